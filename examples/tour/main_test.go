package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/steppe-sdk/steppe/internal/testkit"
)

// main prints a header and a verdict per stop.
func TestMainFunc(t *testing.T) {
	saved := stops
	defer func() { stops = saved }()
	stops = stops[:1] // the openschool stop: main's part is the same for all
	testkit.Contains(t, testkit.Capture(t, &os.Stdout, main),
		"== openschool (openschool.in.ua, Ukrainian school finances)\n", "   Regions: 4 regions, ", "   ok in ")
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
			var out testkit.Output
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
				out := testkit.Output{CancelAfter: k, Cancel: cancel}
				if err := s.run(ctx, &out); err == nil {
					t.Errorf("no error\n%s", out.String())
				}
			})
		}
	}
}
