package testkit

import "testing"

// Seeds runs check on each of seeds: the test form of an oracle whose
// fuzz form is [Fuzz].
func Seeds(t *testing.T, seeds []string, check func(t *testing.T, input []byte)) {
	t.Helper()
	for _, s := range seeds {
		check(t, []byte(s))
	}
}

// Fuzz adds seeds to f's corpus and fuzzes check.
func Fuzz(f *testing.F, seeds []string, check func(t *testing.T, input []byte)) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(check)
}
