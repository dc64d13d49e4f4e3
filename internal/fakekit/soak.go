package fakekit

import (
	"net/http"
	"testing"
	"time"
)

// SoakRate is the share of answers a soak test makes faulty.
const SoakRate = 0.30

// SoakSeed returns the seed of a soak test's fault generator: 20240613, or
// the number in SOAK_SEED, to explore other sequences (see [Seed]).
func SoakSeed(t testing.TB) uint64 {
	t.Helper()
	return Seed(t, "SOAK_SEED", 20240613)
}

// SoakFaults returns the soak tests' menu of faults, then extra: 500, 502,
// 503, 429 with a Retry-After a client waits out (0 s) and one it must
// not (1 s, over its WithMaxRetryAfter), a reset connection, a truncated
// body (weight 2 each), and a body that pauses slow per 64 bytes, so that
// an attempt's deadline passes (weight 1).
func SoakFaults(slow time.Duration, extra ...ChaosFault) []ChaosFault {
	return append([]ChaosFault{
		{Name: "500", Weight: 2, Fault: Fault{Status: http.StatusInternalServerError}},
		{Name: "502", Weight: 2, Fault: Fault{Status: http.StatusBadGateway}},
		{Name: "503", Weight: 2, Fault: Fault{Status: http.StatusServiceUnavailable}},
		{Name: "429 Retry-After 1s", Weight: 2, Fault: Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second}},
		{Name: "429 Retry-After 0", Weight: 2, Fault: Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"0"}}}},
		{Name: "reset", Weight: 2, Fault: Fault{Drop: true}},
		{Name: "truncated body", Weight: 2, Fault: Fault{Truncate: true}},
		{Name: "slow body", Weight: 1, Fault: Fault{SlowBody: slow}},
	}, extra...)
}
