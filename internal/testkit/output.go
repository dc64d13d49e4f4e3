package testkit

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Capture runs f with *stream (os.Stdout or os.Stderr) sent to a file and
// returns what f wrote there. The stream is restored when f returns.
func Capture(t testing.TB, stream **os.File, f func()) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "capture")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	saved := *stream
	*stream = file
	func() {
		defer func() { *stream = saved }()
		f()
	}()
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Args sets os.Args to args and gives the flag package a fresh command
// line named args[0] that returns its errors, as a program's main sees
// them; both are restored when t ends.
func Args(t testing.TB, args ...string) {
	t.Helper()
	saved, cl := os.Args, flag.CommandLine
	t.Cleanup(func() { os.Args, flag.CommandLine = saved, cl })
	os.Args = args
	flag.CommandLine = flag.NewFlagSet(args[0], flag.ContinueOnError)
}

// Contains marks t failed for each of want that out lacks, and prints out.
func Contains(t testing.TB, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// Output is an io.Writer that keeps what is written to it, safe for
// concurrent use. It can end a context part-way through a run, so that
// the call that follows a line fails. The zero Output only keeps.
type Output struct {
	Cancel      context.CancelFunc // ends the run's context; needed when CancelAt or CancelAfter is set
	CancelAt    string             // when not empty, Cancel is called before the write that contains it
	CancelAfter int                // when above zero, Cancel is called before the CancelAfter-th write

	mu     sync.Mutex
	b      strings.Builder
	writes int
}

// Write keeps p, ending the context first where CancelAt or CancelAfter
// say so.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.writes++
	if (o.CancelAt != "" && strings.Contains(string(p), o.CancelAt)) || o.writes == o.CancelAfter {
		o.Cancel()
	}
	return o.b.Write(p)
}

// String returns what has been written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// CancelAtEach starts run in the background once for each line of at,
// with an [Output] that ends the run's context once a write contains that
// line, and marks t failed unless the run then returns context.Canceled:
// the call after each line must stop when its context ends. Wait on the
// returned group before t ends.
func CancelAtEach(t testing.TB, at []string, run func(ctx context.Context, w io.Writer) error) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, line := range at {
		wg.Go(func() {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			out := Output{CancelAt: line, Cancel: cancel}
			if err := run(ctx, &out); !errors.Is(err, context.Canceled) {
				t.Errorf("context ended after %q: got %v, want context.Canceled", line, err)
			}
		})
	}
	return &wg
}
