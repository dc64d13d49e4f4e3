package trueapi

import (
	"cmp"
	"context"
	"time"
)

// Default polling intervals of the asynchronous flows: the first wait, the
// factor each wait grows by, and the longest wait.
const (
	defaultPollFirst  = time.Second
	defaultPollMax    = 15 * time.Second
	defaultPollFactor = 1.5
)

// PollOption configures how a call that waits for the server (the
// cises/my order flow, and the document status calls) polls.
type PollOption func(*pollConfig)

type pollConfig struct {
	first, max time.Duration
	onStatus   func(status string)
}

// WithPollInterval sets the first wait between two status requests and
// the longest one; each wait is 1.5 times the previous one. The defaults
// are 1 s and 15 s.
func WithPollInterval(first, maxWait time.Duration) PollOption {
	return func(c *pollConfig) {
		if first > 0 {
			c.first = first
		}
		if maxWait > 0 {
			c.max = maxWait
		}
	}
}

// WithProgress calls f with every status the server reports while a call
// polls, on the caller's goroutine, before the call waits again.
func WithProgress(f func(status string)) PollOption {
	return func(c *pollConfig) { c.onStatus = f }
}

func newPollConfig(opts []PollOption) pollConfig {
	c := pollConfig{first: defaultPollFirst, max: defaultPollMax}
	for _, o := range opts {
		o(&c)
	}
	c.max = max(c.max, c.first)
	return c
}

// poll calls check until it reports done or fails, waiting between the
// calls with growing intervals. status is handed to the progress callback
// after each check. A context that ends while waiting ends the poll with
// the context's error. A failure returns the last status the server
// reported, so the caller can say how far it got.
func poll[S ~string](ctx context.Context, cfg pollConfig, check func(ctx context.Context) (status S, done bool, err error)) (S, error) {
	wait := cfg.first
	var last S // the last status the server reported, kept across a failed check
	for {
		status, done, err := check(ctx)
		if err != nil {
			return cmp.Or(status, last), err
		}
		last = status
		if cfg.onStatus != nil {
			cfg.onStatus(string(status))
		}
		if done {
			return status, nil
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return last, context.Cause(ctx)
		case <-timer.C:
		}
		wait = min(time.Duration(float64(wait)*defaultPollFactor), cfg.max)
	}
}
