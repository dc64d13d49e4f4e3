package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// output collects a stop's lines. With cancelAfter > 0 it ends the
// stop's context once that many lines have been written, so the call
// that follows fails.
type output struct {
	mu          sync.Mutex
	b           strings.Builder
	writes      int
	cancelAfter int
	cancel      context.CancelFunc
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.writes++
	if o.writes == o.cancelAfter {
		o.cancel()
	}
	return o.b.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// main prints a header and a verdict per stop.
func TestMainFunc(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stdout")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	saved, stdout := stops, os.Stdout
	defer func() { stops, os.Stdout = saved, stdout }()
	stops, os.Stdout = stops[:1], f // the openschool stop: main's part is the same for all
	main()
	f.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{"== openschool (openschool.in.ua, Ukrainian school finances)\n", "   Regions: 4 regions, ", "   ok in "} {
		if !strings.Contains(got, want) {
			t.Errorf("stdout lacks %q:\n%s", want, got)
		}
	}
}

// Every stop runs against its fake and prints its lines. A stop whose
// context ends after k of its lines returns the error of the call that
// follows (cancelAfter lists the k for which that call needs the
// context; the others are checks made before sending).
func TestStops(t *testing.T) {
	want := map[string]struct {
		lines       int
		line        string // one line of the stop's output
		cancelAfter []int
	}{
		"openschool":        {6, "   Labels after an injected 503: ", []int{0, 1, 2, 3, 4}},
		"uztgs":             {3, "   a lost response killed the token; the client signed in again (", []int{0, 1, 2}},
		"paruskaz":          {2, "   rejected before sending: ", []int{0}}, // its upload takes seconds: once is enough
		"uchet":             {3, "   unknown company: ", []int{0, 1}},
		"trueapi":           {6, "   rejected before sending: ", []int{0, 1, 2}}, // 3 and 4 would repeat most of the run
		"trueapi documents": {3, "   answer dropped after sending: not sent again, the caller is told to check (", []int{0, 1, 2}},
	}
	for _, s := range stops {
		name, _, _ := strings.Cut(s.name, " (")
		w, ok := want[name]
		if !ok {
			t.Errorf("stop %q is not tested", s.name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var out output
			if err := s.run(t.Context(), &out); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			got := out.String()
			if n := strings.Count(got, "\n"); n != w.lines || !strings.Contains(got, w.line) {
				t.Errorf("got %d lines, want %d with %q:\n%s", n, w.lines, w.line, got)
			}
		})
		for _, k := range w.cancelAfter {
			t.Run(fmt.Sprintf("%s/cancelled after %d", name, k), func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if k == 0 {
					cancel()
				}
				out := output{cancelAfter: k, cancel: cancel}
				if err := s.run(ctx, &out); err == nil {
					t.Errorf("no error\n%s", out.String())
				}
			})
		}
	}
}
