package transport_test

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// optConfig stands for a client's private config: it embeds Config and
// adds a field of its own.
type optConfig struct {
	transport.Config
	own string
}

type opt func(*optConfig)

// TestSharedOptions: the shared option constructors set the embedded
// Config of a client's own config and nothing else, with the rules every
// client promises: 0 or fewer retries mean none, a zero response cap
// keeps the client's default.
func TestSharedOptions(t *testing.T) {
	hc, logger := &http.Client{}, slog.New(slog.DiscardHandler)
	cfg := optConfig{Config: transport.Config{MaxResponseBytes: 1 << 20}, own: "kept"}
	for _, o := range []opt{
		transport.WithBaseURL[opt]("https://api.example/v1/"),
		transport.WithHTTPClient[opt](hc),
		transport.WithLogger[opt](logger),
		transport.WithUserAgent[opt]("probe/1.0"),
		transport.WithMaxRetries[opt](5),
		transport.WithRetryWait[opt](time.Second, time.Minute),
		transport.WithMaxRetryAfter[opt](time.Hour),
		transport.WithMaxResponseBytes[opt](0),
	} {
		o(&cfg)
	}
	assert.Equal(t, optConfig{Config: transport.Config{
		BaseURL: "https://api.example/v1/", HTTPClient: hc, Logger: logger, UserAgent: "probe/1.0",
		MaxRetries: 5, RetryWaitMin: time.Second, RetryWaitMax: time.Minute, MaxRetryAfter: time.Hour,
		MaxResponseBytes: 1 << 20,
	}, own: "kept"}, cfg)

	transport.WithMaxResponseBytes[opt](512)(&cfg)
	assert.Equal(t, int64(512), cfg.MaxResponseBytes)
	for _, n := range []int{0, -3} {
		transport.WithMaxRetries[opt](n)(&cfg)
		assert.Equal(t, -1, cfg.MaxRetries, "WithMaxRetries(%d): no retries", n)
	}
}
