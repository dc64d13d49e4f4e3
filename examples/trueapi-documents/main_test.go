package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// output collects what run writes and cancels the run's context once a
// line containing cancelAt has been written, so that the next call fails.
type output struct {
	mu       sync.Mutex
	b        strings.Builder
	cancelAt string
	cancel   context.CancelFunc
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cancelAt != "" && strings.Contains(string(p), o.cancelAt) {
		o.cancel()
	}
	return o.b.Write(p)
}

// main sends a write-off to the fake, follows it to CHECKED_OK and lists
// the documents.
func TestMainFunc(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stdout")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	t.Cleanup(func() { os.Stdout = stdout })
	os.Stdout = f
	wg := cancelled(t)
	main()
	f.Close()
	wg.Wait()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		"offline: the trueapitest fake at http://",
		"sent write-off ",
		"  status: ",
		": CHECKED_OK (MTTPS_90)\n",
		"doc/listV2: ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// cancelled runs run in the background, ending its context after each
// line in turn: the failure of the call that follows is returned. The
// runs go alongside main's, to keep the test short.
func cancelled(t *testing.T) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, at := range []string{"offline:", "sent write-off", "document "} {
		wg.Go(func() {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			out := output{cancelAt: at, cancel: cancel}
			if err := run(ctx, &out); !errors.Is(err, context.Canceled) {
				t.Errorf("context ended after %q: got %v, want context.Canceled", at, err)
			}
		})
	}
	return &wg
}
