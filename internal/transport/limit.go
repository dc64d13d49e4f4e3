package transport

import (
	"sync"

	"golang.org/x/time/rate"
)

var limiters struct {
	sync.Mutex
	byHost map[string]*rate.Limiter
}

// SharedLimiter returns the process-wide limiter for host, creating it with
// r and burst on first use. Providers that limit per IP (paruskaz: 2
// requests/s) are respected even when a program builds several clients:
// they all draw from this one budget. The first configuration for a host wins.
func SharedLimiter(host string, r rate.Limit, burst int) *rate.Limiter {
	limiters.Lock()
	defer limiters.Unlock()
	if limiters.byHost == nil {
		limiters.byHost = make(map[string]*rate.Limiter)
	}
	if l, ok := limiters.byHost[host]; ok {
		return l
	}
	l := rate.NewLimiter(r, burst)
	limiters.byHost[host] = l
	return l
}
