package fakekit

import (
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// Goroutines returns the stack of every goroutine, keyed by its id.
func Goroutines() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		head, _, _ := strings.Cut(g, "\n")
		if f := strings.Fields(head); len(f) >= 2 && f[0] == "goroutine" {
			out[f[1]] = g
		}
	}
	return out
}

// LeakedSince waits up to settle for the goroutines started since before
// (a [Goroutines] snapshot) to end, and returns the stacks of those still
// running, the test framework's own left out.
func LeakedSince(before map[string]string, settle time.Duration) []string {
	var leaked []string
	for deadline := time.Now().Add(settle); ; time.Sleep(10 * time.Millisecond) {
		leaked = leaked[:0]
		for id, g := range Goroutines() {
			if _, old := before[id]; !old && !framework(g) {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 || time.Now().After(deadline) {
			sort.Strings(leaked)
			return leaked
		}
	}
}

func framework(stack string) bool {
	for _, s := range []string{"testing.tRunner", "testing.(*T).Run", "testing.runTests", "testing.(*M).", "os/signal.signal_recv", "runtime.ensureSigM"} {
		if strings.Contains(stack, s) {
			return true
		}
	}
	return false
}

// CheckLeaks fails t if goroutines started after this call are still
// running once t's cleanups have run and 5 s have passed. Call it first in
// a test, so that its cleanup runs last.
func CheckLeaks(t testing.TB) {
	t.Helper()
	before := Goroutines()
	t.Cleanup(func() {
		if leaked := LeakedSince(before, 5*time.Second); len(leaked) > 0 {
			t.Errorf("%d goroutine(s) left behind:\n\n%s", len(leaked), strings.Join(leaked, "\n\n"))
		}
	})
}
