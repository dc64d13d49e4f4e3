package fakekit

import (
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
)

// ChaosFault is one entry of a [Chaos] menu: a [Fault], or, when Wrap is
// set, a handler of its own around the fake. Weight is its relative share
// of the faulty answers.
type ChaosFault struct {
	Name   string
	Weight int
	Fault  Fault
	Wrap   func(next http.Handler) http.Handler
}

// Chaos is a handler that answers a seeded random share of the requests
// with a fault picked from its menu by weight, and passes the others to
// the fake. Each faulty request gets a [Faults] queue of its own holding
// the one fault, so concurrent requests cannot take each other's faults.
// Soak tests put it in front of a fake's Handler.
type Chaos struct {
	next http.Handler
	rate float64
	menu []ChaosFault

	mu       sync.Mutex
	rng      *rand.Rand
	requests int
	hits     map[string]int
}

// NewChaos returns a Chaos in front of next that makes the share rate of
// the answers faulty, the same sequence for the same seed.
func NewChaos(seed uint64, next http.Handler, rate float64, menu []ChaosFault) *Chaos {
	return &Chaos{next: next, rate: rate, menu: menu, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), hits: map[string]int{}}
}

// ServeHTTP answers r with a fault or passes it on.
func (c *Chaos) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.requests++
	var pick *ChaosFault
	if c.rng.Float64() < c.rate {
		total := 0
		for _, f := range c.menu {
			total += f.Weight
		}
		n := c.rng.IntN(total)
		for i := range c.menu {
			if n < c.menu[i].Weight {
				pick = &c.menu[i]
				break
			}
			n -= c.menu[i].Weight
		}
		c.hits[pick.Name]++
	}
	c.mu.Unlock()
	switch {
	case pick == nil:
		c.next.ServeHTTP(w, r)
		return
	case pick.Wrap != nil:
		pick.Wrap(c.next).ServeHTTP(w, r)
		return
	}
	var one Faults
	one.Add(pick.Fault)
	one.Wrap(c.next).ServeHTTP(w, r)
}

// Stats returns the number of requests seen and of faults injected, by
// name.
func (c *Chaos) Stats() (requests int, hits map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests, maps.Clone(c.hits)
}

// CheckFaultMix fails t unless every fault of the menu was injected and
// the share of faulty answers is within delta of the rate asked for.
func (c *Chaos) CheckFaultMix(t testing.TB, delta float64) {
	t.Helper()
	requests, hits := c.Stats()
	faulty := 0
	for _, f := range c.menu {
		if hits[f.Name] == 0 {
			t.Fatalf("fault %q was never injected", f.Name)
		}
		faulty += hits[f.Name]
	}
	share := float64(faulty) / float64(max(requests, 1))
	if share < c.rate-delta || share > c.rate+delta {
		t.Fatalf("faulty share of %d requests is %.2f, want %.2f ± %.2f", requests, share, c.rate, delta)
	}
	t.Logf("%d requests, %d faulty (%.0f%%): %v", requests, faulty, 100*share, hits)
}

// Seed returns def, or the number in the environment variable env, and
// logs it so that a failing sequence can be replayed.
func Seed(t testing.TB, env string, def uint64) uint64 {
	t.Helper()
	seed := def
	if s := os.Getenv(env); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s: %v", env, err)
		}
		seed = n
	}
	t.Logf("fault seed %d (set %s to change it)", seed, env)
	return seed
}
