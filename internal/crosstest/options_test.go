package crosstest_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/signing"
	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
	"github.com/steppe-sdk/steppe/uztgs"
)

// commonOptions are the values a test gives every client through its own
// WithBaseURL, WithHTTPClient, WithLogger, WithUserAgent, WithMaxRetries,
// WithRetryWait, WithMaxRetryAfter and WithMaxResponseBytes.
type commonOptions struct {
	baseURL       string
	hc            *http.Client
	logger        *slog.Logger
	userAgent     string
	maxRetries    int
	retryWait     time.Duration // both bounds
	maxRetryAfter time.Duration
	maxBytes      int64
}

// optionClients builds each client with o, and returns one call of it
// that the transport may retry (a GET, or a POST that is safe to repeat).
var optionClients = []struct {
	name  string
	build func(t *testing.T, o commonOptions) func(ctx context.Context) error
}{
	{"openschool", func(t *testing.T, o commonOptions) func(context.Context) error {
		c, err := openschool.New(openschool.WithBaseURL(o.baseURL), openschool.WithHTTPClient(o.hc),
			openschool.WithLogger(o.logger), openschool.WithUserAgent(o.userAgent),
			openschool.WithMaxRetries(o.maxRetries), openschool.WithRetryWait(o.retryWait, o.retryWait),
			openschool.WithMaxRetryAfter(o.maxRetryAfter), openschool.WithMaxResponseBytes(o.maxBytes))
		require.NoError(t, err)
		return func(ctx context.Context) error { _, err := c.Regions(ctx); return err }
	}},
	{"uchet", func(t *testing.T, o commonOptions) func(context.Context) error {
		c, err := uchet.New(uchettest.DefaultToken, uchet.WithBaseURL(o.baseURL), uchet.WithHTTPClient(o.hc),
			uchet.WithLogger(o.logger), uchet.WithUserAgent(o.userAgent),
			uchet.WithMaxRetries(o.maxRetries), uchet.WithRetryWait(o.retryWait, o.retryWait),
			uchet.WithMaxRetryAfter(o.maxRetryAfter), uchet.WithMaxResponseBytes(o.maxBytes))
		require.NoError(t, err)
		return func(ctx context.Context) error { _, err := c.UpdateStatus(ctx, uchettest.SeedBIN); return err }
	}},
	{"uztgs", func(t *testing.T, o commonOptions) func(context.Context) error {
		c, err := uztgs.New(uztgs.WithHeaders(uztgs.Headers{AccessToken: "tok", TokenType: "Bearer", Client: "cl", UID: "u@example.test"}),
			uztgs.WithSignOutOnClose(false), uztgs.WithBaseURL(o.baseURL), uztgs.WithHTTPClient(o.hc),
			uztgs.WithLogger(o.logger), uztgs.WithUserAgent(o.userAgent),
			uztgs.WithMaxRetries(o.maxRetries), uztgs.WithRetryWait(o.retryWait, o.retryWait),
			uztgs.WithMaxRetryAfter(o.maxRetryAfter), uztgs.WithMaxResponseBytes(o.maxBytes))
		require.NoError(t, err)
		return func(ctx context.Context) error { _, err := c.CustomersPage(ctx, uztgs.PageParams{}); return err }
	}},
	{"paruskaz", func(t *testing.T, o commonOptions) func(context.Context) error {
		c, err := paruskaz.New("options-key", paruskaz.WithChecksum(false), paruskaz.WithoutRateLimit(),
			paruskaz.WithBaseURL(o.baseURL), paruskaz.WithHTTPClient(o.hc),
			paruskaz.WithLogger(o.logger), paruskaz.WithUserAgent(o.userAgent),
			paruskaz.WithMaxRetries(o.maxRetries), paruskaz.WithRetryWait(o.retryWait, o.retryWait),
			paruskaz.WithMaxRetryAfter(o.maxRetryAfter), paruskaz.WithMaxResponseBytes(o.maxBytes))
		require.NoError(t, err)
		inst := []paruskaz.Institution{{BIN: "141040028436", OrgName: "Школа №1", Persons: []paruskaz.Person{{
			Time: time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC), IIN: "990101300122", FIO: "Иванов Иван"}}}}
		return func(ctx context.Context) error { return c.Push(ctx, inst) }
	}},
	{"trueapi", func(t *testing.T, o commonOptions) func(context.Context) error {
		signer := signing.SignerFunc(func(context.Context, []byte, signing.SignOptions) ([]byte, error) {
			return nil, errors.New("the test gives a token; no sign-in")
		})
		c, err := trueapi.New(signer, trueapi.WithToken("options-token"), trueapi.WithBaseURL(o.baseURL), trueapi.WithHTTPClient(o.hc),
			trueapi.WithLogger(o.logger), trueapi.WithUserAgent(o.userAgent),
			trueapi.WithMaxRetries(o.maxRetries), trueapi.WithRetryWait(o.retryWait, o.retryWait),
			trueapi.WithMaxRetryAfter(o.maxRetryAfter), trueapi.WithMaxResponseBytes(o.maxBytes))
		require.NoError(t, err)
		return func(ctx context.Context) error { _, err := c.Balances(ctx); return err }
	}},
}

// optionProbe is the base http.RoundTripper of a client: it answers every
// request with answer, in memory, and records what it was sent.
type optionProbe struct {
	answer func() (status int, header http.Header, body string)

	mu   sync.Mutex
	seen []*http.Request
}

func (p *optionProbe) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	p.mu.Lock()
	p.seen = append(p.seen, r)
	status, header, body := p.answer()
	p.mu.Unlock()
	if header == nil {
		header = http.Header{}
	}
	header.Set("Content-Type", "application/json")
	return &http.Response{
		StatusCode: status, Status: strconv.Itoa(status) + " " + http.StatusText(status),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
		Request: r,
	}, nil
}

func (p *optionProbe) requests() []*http.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*http.Request(nil), p.seen...)
}

// TestCommonOptionsInEveryClient: every client's shared options reach its
// transport. The HTTP client's RoundTripper (WithHTTPClient) sees every
// request, at the host and path of WithBaseURL, with WithUserAgent's token
// first; WithMaxRetries sets the attempts, WithRetryWait the waits between
// them (on synctest's clock), WithLogger gets one record an attempt,
// WithMaxRetryAfter ends a call whose Retry-After is longer, and
// WithMaxResponseBytes refuses a larger answer.
func TestCommonOptionsInEveryClient(t *testing.T) {
	for _, cl := range optionClients {
		t.Run(cl.name, func(t *testing.T) {
			// A loopback address on the discard port: were WithHTTPClient
			// lost, the client would dial a closed local port, not the
			// network.
			const host = "127.0.0.1:9"
			prefix := "/" + cl.name + "-prefix/"
			base := "https://" + host + prefix
			opts := func(p *optionProbe, logger *slog.Logger) commonOptions {
				return commonOptions{
					baseURL: base, hc: &http.Client{Transport: p}, logger: logger, userAgent: "options-probe/1.0",
					maxRetries: 4, retryWait: time.Hour, maxRetryAfter: 10 * time.Minute, maxBytes: 256,
				}
			}

			t.Run("retries", func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					p := &optionProbe{answer: func() (int, http.Header, string) { return http.StatusServiceUnavailable, nil, `{}` }}
					var logs syncBuffer
					logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
					call := cl.build(t, opts(p, logger))
					start := time.Now()
					err := call(t.Context())
					waited := time.Since(start)
					var e *transport.Error
					require.ErrorAs(t, err, &e)
					assert.Equal(t, http.StatusServiceUnavailable, e.StatusCode)

					reqs := p.requests()
					require.Len(t, reqs, 5, "WithMaxRetries(4): five attempts")
					assert.Equal(t, 5, e.Attempts)
					for _, r := range reqs {
						assert.Equal(t, host, r.URL.Host, "WithBaseURL's host")
						assert.True(t, strings.HasPrefix(r.URL.Path, prefix), "WithBaseURL's path: %s", r.URL.Path)
						assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "options-probe/1.0 steppe/"),
							"WithUserAgent first: %q", r.Header.Get("User-Agent"))
					}
					// Four full-jitter waits of at most one hour each. The
					// default bounds (500ms, 10s) wait 7.5 s at the most; four
					// waits under one hour add up to less than a minute with a
					// chance of about 3e-9.
					assert.LessOrEqual(t, waited, 4*time.Hour, "WithRetryWait's maximum")
					assert.Greater(t, waited, time.Minute, "WithRetryWait, not the default waits")
					assert.Equal(t, 5, strings.Count(logs.String(), "steppe http attempt"), "WithLogger: a record an attempt:\n%s", logs.String())
					assert.Contains(t, logs.String(), host+prefix)
				})
			})

			t.Run("retry after", func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					// Ten minutes (WithMaxRetryAfter, above the default 30 s) is
					// waited out; an hour is not.
					var n int
					p := &optionProbe{answer: func() (int, http.Header, string) {
						n++
						if n == 1 {
							return http.StatusServiceUnavailable, http.Header{"Retry-After": {"600"}}, `{}`
						}
						return http.StatusServiceUnavailable, http.Header{"Retry-After": {"3600"}}, `{}`
					}}
					call := cl.build(t, opts(p, nil))
					start := time.Now()
					err := call(t.Context())
					assert.Equal(t, 10*time.Minute, time.Since(start), "the first Retry-After waited out, the second not")
					var e *transport.Error
					require.ErrorAs(t, err, &e)
					assert.Equal(t, time.Hour, e.RetryAfter)
					assert.Len(t, p.requests(), 2)
				})
			})

			t.Run("response cap", func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					p := &optionProbe{answer: func() (int, http.Header, string) {
						return http.StatusOK, nil, `{"padding":"` + strings.Repeat("x", 4096) + `"}`
					}}
					err := cl.build(t, opts(p, nil))(t.Context())
					require.ErrorIs(t, err, transport.ErrTooLarge, "WithMaxResponseBytes(256) refuses 4 KiB")
				})
			})
		})
	}
}
