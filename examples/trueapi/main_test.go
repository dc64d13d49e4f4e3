package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/signing/pkcs12"
)

// TestMain makes run work offline even where TRUEAPI_P12 is set.
func TestMain(m *testing.M) {
	os.Unsetenv("TRUEAPI_P12")
	os.Exit(m.Run())
}

// An NCA RK test key (public, password Qwerty12, no legal weight).
const testP12 = "../../trueapi/signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12"

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

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// With TRUEAPI_P12 the key file is loaded and the stage stand is used; a
// context that has already ended sends nothing there.
func TestRunStage(t *testing.T) {
	t.Setenv("TRUEAPI_P12", testP12)
	t.Setenv("TRUEAPI_PASSWORD", "Qwerty12")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out output
	err := run(ctx, &out, trueapi.GroupTobacco, 1)
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "sign-in: ") {
		t.Fatalf("got %v", err)
	}
	if want := "stage: signing in to " + trueapi.StageBaseURL + " with " + testP12 + "\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}

	t.Setenv("TRUEAPI_PASSWORD", "wrong")
	if err := run(ctx, &out, trueapi.GroupTobacco, 1); !errors.Is(err, pkcs12.ErrIncorrectPassword) {
		t.Fatalf("wrong password: got %v", err)
	}
}

// main runs offline: it signs in to the fake, orders the codes of a GTIN
// and prints -show of them.
func TestMainFunc(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stdout")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	stdout, args, cl := os.Stdout, os.Args, flag.CommandLine
	t.Cleanup(func() { os.Stdout, os.Args, flag.CommandLine = stdout, args, cl })
	os.Stdout, os.Args = f, []string{"trueapi", "-pg", "tobacco", "-show", "2", "-timeout", "1m"}
	flag.CommandLine = flag.NewFlagSet("trueapi", flag.ContinueOnError)
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
		"offline: no TRUEAPI_P12, signing in to the trueapitest fake at http://",
		"\nsigned in\n",
		"product/gtin: ",
		"cises/my order: ",
		"cises/my: ",
		"cises/info: ",
		"INTRODUCED",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n  \""); n != 2 {
		t.Errorf("printed %d codes, want 2:\n%s", n, got)
	}
}

// cancelled runs run in the background, ending its context after each
// line in turn: the failure of the call that follows is returned. The
// runs go alongside main's, to keep the test short.
func cancelled(t *testing.T) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, at := range []string{"offline:", "signed in", "product/gtin:", "cises/my:"} {
		wg.Go(func() {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			out := output{cancelAt: at, cancel: cancel}
			if err := run(ctx, &out, trueapi.GroupTobacco, 1); !errors.Is(err, context.Canceled) {
				t.Errorf("context ended after %q: got %v, want context.Canceled", at, err)
			}
		})
	}
	return &wg
}
