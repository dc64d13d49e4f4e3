// Package crosstest_test holds reliability tests that look at all the typed
// clients at once: hostile answers (hostile_test.go) and secrets that must
// never show (secrets_test.go). It has test files only.
package crosstest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// goroutines returns the stack of every goroutine, keyed by its id.
func goroutines() map[string]string {
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

// leakedSince waits up to settle for the goroutines started since before to
// end, and returns the stacks of those still running. The test framework's
// own goroutines are ignored.
func leakedSince(before map[string]string, settle time.Duration) []string {
	var leaked []string
	for deadline := time.Now().Add(settle); ; time.Sleep(10 * time.Millisecond) {
		leaked = leaked[:0]
		for id, g := range goroutines() {
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

// checkLeaks fails t if goroutines started after this call are still
// running once t's cleanups have run (call it first, so that its cleanup
// runs last) and a settle period has passed.
func checkLeaks(t *testing.T) {
	t.Helper()
	before := goroutines()
	t.Cleanup(func() {
		if leaked := leakedSince(before, 5*time.Second); len(leaked) > 0 {
			t.Errorf("%d goroutine(s) left behind:\n\n%s", len(leaked), strings.Join(leaked, "\n\n"))
		}
	})
}

// knownBug ends a check that fails because of a client bug found by these
// tests and not fixed here: while broken, the test is skipped with the
// bug's description (visible with -v), so the suite stays green and the bug
// stays on record; once fixed, the test fails until the marker is removed.
func knownBug(t *testing.T, broken bool, bug string) {
	t.Helper()
	if broken {
		t.Skipf("KNOWN CLIENT BUG (reported, not fixed here): %s", bug)
	}
	t.Errorf("this known bug no longer reproduces, remove its marker: %s", bug)
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a shared
// slog handler.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// errorTexts returns every text an error can show: its message, %v, %+v
// and %#v, the same for every error in its tree, and the string fields of
// the typed errors in it (what fields does, for each error of the tree).
func errorTexts(err error, fields func(e error) []string) []string {
	if err == nil {
		return nil
	}
	texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	texts = append(texts, fields(err)...)
	var ue *url.Error
	if errors.As(err, &ue) {
		texts = append(texts, ue.URL)
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, inner := range u.Unwrap() {
			texts = append(texts, errorTexts(inner, fields)...)
		}
	case interface{ Unwrap() error }:
		texts = append(texts, errorTexts(u.Unwrap(), fields)...)
	}
	return texts
}

// secretForms returns the spellings under which a secret may show: as is,
// URL-escaped both ways, and escaped as a JSON string.
func secretForms(s string) []string {
	j, _ := json.Marshal(s)
	var out []string
	for _, f := range []string{s, url.QueryEscape(s), url.PathEscape(s), strings.Trim(string(j), `"`)} {
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}
