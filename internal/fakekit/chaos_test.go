package fakekit

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"
)

func TestChaos(t *testing.T) {
	CheckLeaks(t)
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	menu := []ChaosFault{
		{Name: "503", Weight: 2, Fault: Fault{Status: http.StatusServiceUnavailable}},
		{Name: "teapot", Weight: 1, Wrap: func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
		}},
	}
	run := func(seed uint64) []int {
		c := NewChaos(seed, ok, 0.3, menu)
		var codes []int
		for range 400 {
			rec := httptest.NewRecorder()
			c.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			codes = append(codes, rec.Code)
		}
		c.CheckFaultMix(t, 0.08)
		n, hits := c.Stats()
		if n != 400 || hits["503"] == 0 || hits["teapot"] == 0 {
			t.Fatalf("stats %d %v", n, hits)
		}
		return codes
	}
	a, b := run(1), run(1)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("answer %d differs for the same seed", i)
		}
	}
	t.Setenv("CHAOS_SEED", "42")
	if Seed(t, "CHAOS_SEED", 7) != 42 {
		t.Fatal("the environment overrides the seed")
	}
}

func TestLeakedSince(t *testing.T) {
	// In a bubble the settle time is the bubble's: the second call waits
	// until the goroutine has ended, however loaded the machine.
	synctest.Test(t, func(t *testing.T) {
		before := Goroutines()
		stop := make(chan struct{})
		go func() { <-stop }()
		if leaked := LeakedSince(before, 20*time.Millisecond); len(leaked) != 1 {
			t.Fatalf("want the one goroutine started, got %d", len(leaked))
		}
		close(stop)
		if leaked := LeakedSince(before, time.Second); len(leaked) != 0 {
			t.Fatalf("it ended, yet %d reported", len(leaked))
		}
	})
}
