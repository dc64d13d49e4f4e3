package uchet

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/steppe-sdk/steppe/internal/ids"
	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// DefaultBaseURL is the API root of the documentation ("Общее описание"):
// https://pk.uchet.kz/api/v2/.
const DefaultBaseURL = "https://pk.uchet.kz/api/v2/"

// DefaultMaxResponseBytes caps an answer's body unless
// [WithMaxResponseBytes] says otherwise. The documented update status is a
// few kilobytes (about twenty tasks); company reports and classifiers are
// the largest answers and are not bounded by the documentation, so 16 MiB
// leaves room for a report with thousands of records while keeping what a
// hostile answer can cost one call to 16 MiB.
const DefaultMaxResponseBytes = 16 << 20

// Client calls the pk.uchet.kz "Проверка контрагента" API v2. It is safe
// for concurrent use.
//
// The API takes its token in the query string (?token=…), so every URL the
// client builds holds a secret. The token is masked in every error, URL
// and log line the client produces.
type Client struct {
	t   *transport.Client
	loc *time.Location
}

// Option configures a Client.
type Option func(*config)

type config struct {
	transport.Config
	loc *time.Location
}

// WithLocation sets the time zone in which the API's zone-less times
// ("17:24:52 25.04.2023") are read. The default is [Almaty]; the
// documentation names no zone.
func WithLocation(loc *time.Location) Option { return func(c *config) { c.loc = loc } }

// WithBaseURL points the client at another server, such as a uchettest
// fake. The default is [DefaultBaseURL].
func WithBaseURL(u string) Option { return transport.WithBaseURL[Option](u) }

// WithHTTPClient supplies the http.Client whose Transport, Jar and Timeout
// are used; it is copied, not modified. The default is a client of
// steppe's own with pooled connections and a 2-minute timeout.
func WithHTTPClient(hc *http.Client) Option { return transport.WithHTTPClient[Option](hc) }

// WithLogger turns on logging: one record per HTTP attempt (method, URL
// with the token masked, status, attempt, duration) at Debug level,
// failures at Warn.
// Logging is off by default.
func WithLogger(l *slog.Logger) Option { return transport.WithLogger[Option](l) }

// WithUserAgent prepends a product token (e.g. "ledger-check/1.4") to the
// User-Agent header.
// Without it the header is steppe's own:
// "steppe/<version> (+github.com/steppe-sdk/steppe)".
func WithUserAgent(ua string) Option { return transport.WithUserAgent[Option](ua) }

// WithMaxRetries sets how many times a failed free request (connection
// error, 408, 429, 502, 503, 504) is retried; 0 or less turns retries off.
// The default is 3. Company calls, which may be billed, are never retried.
func WithMaxRetries(n int) Option { return transport.WithMaxRetries[Option](n) }

// WithRetryWait bounds the full-jitter backoff between retries
// (defaults 500ms and 10s).
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return transport.WithRetryWait[Option](minWait, maxWait)
}

// WithMaxRetryAfter caps how long a server's Retry-After is waited out
// (default 30s).
func WithMaxRetryAfter(d time.Duration) Option { return transport.WithMaxRetryAfter[Option](d) }

// WithMaxResponseBytes caps the size of a response body (default
// [DefaultMaxResponseBytes]); a larger answer is an [*Error] matching
// [ErrTooLarge].
// Zero keeps the default.
func WithMaxResponseBytes(n int64) Option { return transport.WithMaxResponseBytes[Option](n) }

// Almaty is the default zone of the API's times, Asia/Almaty. It is a
// variable only because a *time.Location cannot be a constant; do not
// reassign it.
//
// It comes from the time zone database embedded in this package, never
// from the machine's: Asia/Almaty was UTC+6 until Kazakhstan moved it to
// UTC+5 on 1 March 2024, so a zone database older than that change (or
// none at all, or a fixed offset) reads the documentation's own example,
// "17:24:52 25.04.2023", or every time since March 2024, an hour wrong.
// The embedded data is the Asia/Almaty entry of the Go toolchain's IANA
// database (the bytes time/tzdata embeds), release 2025c.
var Almaty = almaty()

// almatyTZif is Asia/Almaty in TZif form, from IANA tzdata 2025c.
//
//go:embed almaty.tzif
var almatyTZif []byte

func almaty() *time.Location {
	loc, err := time.LoadLocationFromTZData("Asia/Almaty", almatyTZif)
	if err != nil { // cannot happen: the data is embedded and tested
		panic("uchet: the embedded Asia/Almaty zone: " + err.Error())
	}
	return loc
}

// New returns a client that authenticates with token (32 hex characters,
// from the "Проверка Контрагента" cabinet).
func New(token string, opts ...Option) (*Client, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, invalid("token", "is required")
	}
	cfg := config{
		Config: transport.Config{
			API:              "uchet",
			BaseURL:          DefaultBaseURL,
			ParseError:       parseError,
			SecretParams:     []string{"token"},
			MaxResponseBytes: DefaultMaxResponseBytes,
		},
		loc: Almaty,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.loc == nil {
		return nil, invalid("location", "must not be nil")
	}
	cfg.Secrets = new(transport.Secrets)
	cfg.Secrets.Add(token)
	cfg.Auth = func(next http.RoundTripper) http.RoundTripper {
		return tokenTransport{token: token, next: next}
	}
	t, err := transport.New(cfg.Config)
	if err != nil {
		return nil, err
	}
	return &Client{t: t, loc: cfg.loc}, nil
}

// tokenTransport adds ?token= to requests for the API host only (the
// transport applies Auth to that host alone), so a redirect elsewhere
// does not carry it.
type tokenTransport struct {
	token string
	next  http.RoundTripper
}

func (t tokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	q := r.URL.Query()
	q.Set("token", t.token)
	r.URL.RawQuery = q.Encode()
	return t.next.RoundTrip(r)
}

// get sends a GET and hands the answer's body to decode (when not nil). An
// answer holding {"detail":{…}} is an error whatever its status. An error
// of decode (invalid JSON, another shape, a bad value) becomes the
// transport's [*Error] matching [ErrDecode], which keeps the URL (token
// masked), status, attempts and the start of the body.
func (c *Client) get(ctx context.Context, path string, q url.Values, billed bool, decode func(body []byte) error) error {
	req := &transport.Request{Path: path, Query: q, NoRetry: billed}
	resp, err := c.t.Do(ctx, req)
	if err != nil {
		var te *transport.Error
		if errors.As(err, &te) && te.Code != "" {
			return &APIError{Code: Code(te.Code), Message: te.Message, StatusCode: te.StatusCode, Err: err}
		}
		return err
	}
	if code, msg, ok := detail(resp.Body); ok {
		secrets := c.t.Secrets()
		return &APIError{Code: Code(secrets.Redact(string(code))), Message: secrets.Redact(msg), StatusCode: resp.StatusCode, Err: c.t.DecodeError(req, resp, errors.New("answer is an error detail"))}
	}
	if decode == nil {
		return nil
	}
	if err := decode(resp.Body); err != nil {
		return c.t.DecodeError(req, resp, err)
	}
	return nil
}

// into returns a decode function for get that unmarshals into out, in one
// pass (lenient.Unmarshal: encoding/json's rules on the v2 decoder).
func into(out any) func([]byte) error {
	return func(body []byte) error { return lenient.Unmarshal(body, out) }
}

// Get calls any GET method of the API (path relative to the base URL,
// e.g. "classifiers/krp/") and returns the raw JSON answer: a way to
// reach methods this package does not wrap. The token is added by the
// client. It is sent once, without retries, since the method may be billed.
func (c *Client) Get(ctx context.Context, path string, query url.Values) (json.RawMessage, error) {
	if strings.TrimSpace(path) == "" {
		return nil, invalid("path", "is required")
	}
	if query.Has("token") {
		return nil, invalid("query", "must not hold token; the client adds it")
	}
	var raw json.RawMessage
	if err := c.get(ctx, path, query, true, into(&raw)); err != nil {
		return nil, err
	}
	return raw, nil
}

// checkIINBIN validates a 12-digit IIN or BIN before any request.
func checkIINBIN(field, s string) error {
	if err := ids.IINBIN(s); err != nil {
		switch {
		case errors.Is(err, ids.ErrDigits), errors.Is(err, ids.ErrLength):
			return invalid(field, "must be 12 digits")
		default:
			return invalid(field, "fails the IIN/BIN check digit")
		}
	}
	return nil
}

func invalid(field, format string, args ...any) error {
	return transport.Invalid(field, format, args...)
}

// Error is the transport error type of a failed call, read with
// errors.As: StatusCode, Message, RequestID, Method, URL (token masked),
// Attempts, RetryAfter, Body and Err. Errors the API reports in its
// {"detail":{…}} body come as an [*APIError] wrapping it.
// MaybeDelivered is set when a request that is not safe to repeat may
// have reached the server (its answer was lost, or it was redirected) and
// was not sent again; Location is the target of a redirect that was not
// followed ([ErrRedirect]). Every Error matches exactly one kind sentinel
// with errors.Is, and context errors stay reachable beside it.
type Error = transport.Error

// ValidationError reports input refused before any request was sent.
type ValidationError = transport.ValidationError

// Sentinels of the transport, for errors.Is; a [*ValidationError]
// matches [ErrValidation]. An [*APIError] matches its code's sentinel and
// the transport kind of that code.
var (
	// ErrUnauthorized: a 401 answer, or the API's token_error.
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrNotFound: a 404 or 410 answer, or the API's not_found.
	ErrNotFound = transport.ErrNotFound
	// ErrValidation: input refused before sending, a 400, 409 or 422
	// answer, or the API's iin_bin_validation_error.
	ErrValidation = transport.ErrValidation
	// ErrRateLimited: a 429 answer (after the retries, for a free call).
	ErrRateLimited = transport.ErrRateLimited
	// ErrServer: a 5xx answer (after the retries, for a free call).
	ErrServer = transport.ErrServer
	// ErrTransport: no answer arrived (dial, TLS, reset, timeout).
	ErrTransport = transport.ErrTransport
	// ErrDecode: a 2xx answer of another shape than the call's: not JSON,
	// an update_status answer without its documented members, a company
	// answer that is not an object with company data, a bad time.
	ErrDecode = transport.ErrDecode
	// ErrTooLarge: the answer was larger than [WithMaxResponseBytes].
	ErrTooLarge = transport.ErrTooLarge
	// ErrRedirect: the server answered with a redirect (3xx) that was not
	// followed, because it leads to another scheme, host or port: the
	// token travels in the URL and is only ever sent to the API's host.
	// The [*Error]'s Location names the target, token masked.
	ErrRedirect = transport.ErrRedirect
)
