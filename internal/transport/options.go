package transport

import (
	"log/slog"
	"net/http"
	"time"
)

// Configurable is a client's own option target: a pointer to its private
// config struct, which embeds Config and so has Config's methods, this
// unexported one included.
type Configurable interface{ config() *Config }

func (c *Config) config() *Config { return c }

// The options every client shares are written once here, as generic
// constructors of the client's own option type O (func(*config)). A client
// declares each under its own name with its own doc comment, e.g.
//
//	func WithBaseURL(u string) Option { return transport.WithBaseURL[Option](u) }

// WithBaseURL sets Config.BaseURL.
func WithBaseURL[O ~func(C), C Configurable](u string) O {
	return func(c C) { c.config().BaseURL = u }
}

// WithHTTPClient sets Config.HTTPClient (copied by New, never modified).
func WithHTTPClient[O ~func(C), C Configurable](hc *http.Client) O {
	return func(c C) { c.config().HTTPClient = hc }
}

// WithLogger sets Config.Logger.
func WithLogger[O ~func(C), C Configurable](l *slog.Logger) O {
	return func(c C) { c.config().Logger = l }
}

// WithUserAgent sets Config.UserAgent, the product token put before
// steppe's own.
func WithUserAgent[O ~func(C), C Configurable](ua string) O {
	return func(c C) { c.config().UserAgent = ua }
}

// WithMaxRetries sets the retries after the first attempt; 0 or less means
// none (see [Config.SetMaxRetries]).
func WithMaxRetries[O ~func(C), C Configurable](n int) O {
	return func(c C) { c.config().SetMaxRetries(n) }
}

// WithRetryWait sets the bounds of the full-jitter backoff.
func WithRetryWait[O ~func(C), C Configurable](minWait, maxWait time.Duration) O {
	return func(c C) { c.config().RetryWaitMin, c.config().RetryWaitMax = minWait, maxWait }
}

// WithMaxRetryAfter sets Config.MaxRetryAfter.
func WithMaxRetryAfter[O ~func(C), C Configurable](d time.Duration) O {
	return func(c C) { c.config().MaxRetryAfter = d }
}

// WithMaxResponseBytes sets Config.MaxResponseBytes; 0 keeps the client's
// default.
func WithMaxResponseBytes[O ~func(C), C Configurable](n int64) O {
	return func(c C) {
		if n != 0 {
			c.config().MaxResponseBytes = n
		}
	}
}
