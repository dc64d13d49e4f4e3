package openschool

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Kyiv must resolve on machines without a zoneinfo database.

	"github.com/steppe-sdk/steppe/internal/transport"
)

// DefaultBaseURL is BASE_URL of the documentation ("Доступ до даних Системи по API (v.1.0)").
// The documentation gives it as plain http.
const DefaultBaseURL = "http://openschool.in.ua"

// apiPath is the one endpoint of API v1; the method is chosen by ?action=.
const apiPath = "/api/v1"

// DefaultMaxResponseBytes caps an answer's body unless
// [WithMaxResponseBytes] says otherwise. The API does not page its lists:
// the schools of a region, the tasks of a school over years and the
// government payments of a period each come in one answer, so the cap is
// the transport's largest, 64 MiB.
const DefaultMaxResponseBytes = 64 << 20

// Client calls the openschool.in.ua API v1. It is safe for concurrent use.
// The API needs no credentials.
type Client struct {
	t *transport.Client
}

// Option configures a Client.
type Option func(*config)

type config struct {
	transport.Config
}

// WithBaseURL points the client at another server, such as an
// openschooltest fake. The default is [DefaultBaseURL].
func WithBaseURL(u string) Option { return transport.WithBaseURL[Option](u) }

// WithHTTPClient supplies the http.Client whose Transport, Jar and Timeout
// are used; it is copied, not modified. The default is a client of
// steppe's own with pooled connections and a 2-minute timeout.
func WithHTTPClient(hc *http.Client) Option { return transport.WithHTTPClient[Option](hc) }

// WithLogger turns on logging: one record per HTTP attempt (method, URL,
// status, attempt, duration) at Debug level, failures at Warn.
// Logging is off by default.
func WithLogger(l *slog.Logger) Option { return transport.WithLogger[Option](l) }

// WithUserAgent prepends a product token (e.g. "schoolwatch/1.2") to the
// User-Agent header.
// Without it the header is steppe's own:
// "steppe/<version> (+github.com/steppe-sdk/steppe)".
func WithUserAgent(ua string) Option { return transport.WithUserAgent[Option](ua) }

// WithMaxRetries sets how many times a failed request (connection error,
// 408, 429, 502, 503, 504) is retried; 0 or less turns retries off.
// The default is 3.
func WithMaxRetries(n int) Option { return transport.WithMaxRetries[Option](n) }

// WithRetryWait bounds the full-jitter backoff between retries
// (defaults 500ms and 10s).
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return transport.WithRetryWait[Option](minWait, maxWait)
}

// WithMaxRetryAfter caps how long a server's Retry-After is waited out
// (default 30s). A longer one ends the call with an [*Error] whose
// RetryAfter holds the server's delay.
func WithMaxRetryAfter(d time.Duration) Option { return transport.WithMaxRetryAfter[Option](d) }

// WithMaxResponseBytes caps the size of a response body (default
// [DefaultMaxResponseBytes]); a larger answer is an [*Error] matching
// [ErrTooLarge].
// Zero keeps the default.
func WithMaxResponseBytes(n int64) Option { return transport.WithMaxResponseBytes[Option](n) }

// New returns a client for the openschool.in.ua API.
func New(opts ...Option) (*Client, error) {
	cfg := config{Config: transport.Config{
		API:              "openschool",
		BaseURL:          DefaultBaseURL,
		ParseError:       parseError,
		MaxResponseBytes: DefaultMaxResponseBytes,
	}}
	for _, o := range opts {
		o(&cfg)
	}
	t, err := transport.New(cfg.Config)
	if err != nil {
		return nil, err
	}
	return &Client{t: t}, nil
}

// Location is the time zone of the API's zone-less dates and timestamps
// ("2017-12-08 14:05:26"): Europe/Kyiv, where the service runs. Every
// time.Time this package returns is in it; use Time.In to convert. It is a
// variable only because time.LoadLocation cannot be a constant; do not
// reassign it.
var Location = kyiv()

// kyiv returns Europe/Kyiv (named Europe/Kiev before tzdata 2022b).
func kyiv() *time.Location {
	for _, name := range []string{"Europe/Kyiv", "Europe/Kiev"} {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.FixedZone("EET", 2*60*60)
}

// parseError reads an error body. The documentation describes none, so any
// JSON object with an "error" or "message" string is used, and a short
// plain-text or HTML body becomes the message.
func parseError(_ int, _ http.Header, body []byte) (code, message string) {
	if msg, ok := errorMessage(body); ok {
		return "", msg
	}
	text := strings.TrimSpace(string(body))
	// Only ASCII is folded, so the offsets found in lower hold in text
	// whatever bytes the page has (a windows-1251 page is not UTF-8).
	lower := asciiLower(text)
	if i := strings.Index(lower, "<title>"); i >= 0 {
		rest, restLower := text[i+len("<title>"):], lower[i+len("<title>"):]
		if j := strings.Index(restLower, "</title>"); j >= 0 {
			return "", strings.TrimSpace(rest[:j])
		}
	}
	if len(text) > 200 || strings.HasPrefix(text, "<") {
		return "", ""
	}
	return "", text
}

// asciiLower folds A–Z to a–z and leaves every other byte as it is.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Error is the error type of every failed call, read with errors.As. Its
// fields: StatusCode (0 when no response arrived), Code and Message (from
// the server's error body, when it has them), RequestID, Method, URL (with
// secrets masked), Attempts, RetryAfter (the server's Retry-After, uncapped),
// Body (the start of the response body) and Err (the underlying transport,
// decode or context error).
// MaybeDelivered is set when a request that is not safe to repeat may
// have reached the server (its answer was lost, or it was redirected) and
// was not sent again; Location is the target of a redirect that was not
// followed ([ErrRedirect]). Every Error matches exactly one kind sentinel
// with errors.Is, and context errors stay reachable beside it.
type Error = transport.Error

// ValidationError reports a parameter rejected before any request was sent.
type ValidationError = transport.ValidationError

// Sentinels for errors.Is; a [*ValidationError] matches [ErrValidation].
var (
	// ErrNotFound: a 404 or 410 answer, or a task that the API did not
	// return.
	ErrNotFound = transport.ErrNotFound
	// ErrRateLimited: a 429 answer after the retries.
	ErrRateLimited = transport.ErrRateLimited
	// ErrValidation: a parameter refused before sending, or a 400, 409 or
	// 422 answer.
	ErrValidation = transport.ErrValidation
	// ErrServer: a 5xx answer after the retries.
	ErrServer = transport.ErrServer
	// ErrTransport: no answer arrived (dial, TLS, reset, timeout).
	ErrTransport = transport.ErrTransport
	// ErrDecode: a 2xx answer that is not the action's documented shape
	// (not JSON, or without the member the action always sends).
	ErrDecode = transport.ErrDecode
	// ErrTooLarge: the answer was larger than [WithMaxResponseBytes].
	ErrTooLarge = transport.ErrTooLarge
	// ErrUnauthorized: a 401 answer (the API needs no credentials, so a
	// proxy in front of it).
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrForbidden: a 403 answer.
	ErrForbidden = transport.ErrForbidden
	// ErrRedirect: the server answered with a redirect (3xx) that was not
	// followed. A redirect is followed only to the same scheme, host and
	// port, so one from the documented http:// address to https:// comes
	// back as an [*Error] whose Location names the target: give that
	// address to [WithBaseURL].
	ErrRedirect = transport.ErrRedirect
)
