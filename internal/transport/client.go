package transport

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"golang.org/x/time/rate"
)

// Version is the steppe release this module belongs to; it is part of the User-Agent.
const Version = "0.1.0"

// ModulePath is the Go module path, named in the User-Agent.
const ModulePath = "github.com/steppe-sdk/steppe"

// maxCallRetries is the most retries any request may get (CallRetries
// above it is cut to it).
const maxCallRetries = 20

// Defaults used when a Config field is left zero.
const (
	DefaultMaxRetries       = 3
	DefaultRetryWaitMin     = 500 * time.Millisecond
	DefaultRetryWaitMax     = 10 * time.Second
	DefaultMaxRetryAfter    = 30 * time.Second
	DefaultMaxResponseBytes = 64 << 20        // 64 MiB
	DefaultMaxErrorBody     = 64 << 10        // 64 KiB kept in Error.Body
	DefaultTimeout          = 2 * time.Minute // per attempt, with the transport's own http.Client
	DefaultAccept           = "application/json"
)

// Config describes one API client's use of the transport. Zero fields take
// the defaults above.
type Config struct {
	// API is the short client name used in errors and logs ("openschool").
	API string
	// BaseURL is the API root, e.g. "http://openschool.in.ua". Required.
	BaseURL string
	// HTTPClient supplies the base RoundTripper, Jar, and Timeout. It is
	// copied, never modified. Nil means a pooled client of our own, whose
	// attempts each end after DefaultTimeout, the answer's body included.
	HTTPClient *http.Client
	// UserAgent is prepended to "steppe/<version> (+module path)".
	UserAgent string
	// Accept is sent on every request unless the request sets its own.
	Accept string
	// MaxRetries is the number of retries after the first attempt; a
	// negative value disables retries, 0 means DefaultMaxRetries.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the full-jitter backoff.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxRetryAfter caps how long a server's Retry-After is honoured by
	// sleeping; beyond it the call returns an *Error with RetryAfter set.
	MaxRetryAfter time.Duration
	// Retry500 makes a plain 500 retryable, for APIs that say it is transient.
	Retry500 bool
	// MaxResponseBytes caps a response body; larger bodies give ErrTooLarge.
	MaxResponseBytes int64
	// Logger receives one record per attempt (method, redacted URL, status,
	// attempt, duration). Nil means silent.
	Logger *slog.Logger
	// RateLimit, when positive, limits attempts per second to BaseURL's
	// host; the limiter is shared by every client in the process that
	// names the same host (see SharedLimiter). RateBurst defaults to 1.
	RateLimit rate.Limit
	RateBurst int
	// Auth wraps the attempt RoundTripper with the client's credentials. It
	// is only used for requests to BaseURL's host, so a redirect to another
	// host carries none of them.
	Auth func(next http.RoundTripper) http.RoundTripper
	// AuthHeader, when set, gives the header that carries the credentials
	// of a call to BaseURL's host (an API key, a bearer token); key ""
	// means none. It is called once per call, when the request is built,
	// with the call's context, so every attempt of the call carries the
	// same credentials and no attempt pays for the request and header copy
	// an Auth RoundTripper must make. A redirect to another origin, which
	// only a caller's own CheckRedirect can allow, loses the header (see
	// checkRedirect). value is shared by the call's requests and must not
	// change.
	AuthHeader func(ctx context.Context) (key string, value []string)
	// Secrets holds the values to mask. Nil means a new empty registry.
	Secrets *Secrets
	// SecretParams names query parameters whose values are always masked.
	SecretParams []string
	// ParseError fills Code and Message of an *Error from an error body.
	ParseError func(status int, header http.Header, body []byte) (code, message string)
	// RequestIDHeaders are looked up, in order, for Error.RequestID.
	RequestIDHeaders []string
}

// SetMaxRetries sets MaxRetries the way clients' WithMaxRetries options
// promise: n retries after the first attempt, and 0 or less none at all
// (MaxRetries itself reads 0 as "the default").
func (c *Config) SetMaxRetries(n int) {
	c.MaxRetries = n
	if n <= 0 {
		c.MaxRetries = -1
	}
}

// Client is a configured transport. It is safe for concurrent use.
type Client struct {
	api          string
	base         *url.URL
	userAgent    string
	accept       string
	maxBody      int64
	maxRetryWait time.Duration
	retry500     bool
	logger       *slog.Logger
	secrets      *Secrets
	secretParams []string
	parseError   func(int, http.Header, []byte) (string, string)
	requestIDs   []string
	maxRetries   int // retries after the first attempt, unless a call says otherwise
	rc           *retryablehttp.Client

	// basePath is the base URL's path without its trailing slashes, and
	// plainBase says that the base URL holds no escaped path (RawPath),
	// so a plain request path is joined to it by appending (see
	// requestURL).
	basePath  string
	plainBase bool
	// paths maps a plain request path to the base path joined with it, for
	// the first maxJoinedPaths paths a client sends (see joinPath).
	paths atomic.Pointer[map[string]string]
	// uaValue and acceptValue are the User-Agent and Accept header values,
	// made once and shared by every request (a header value is replaced,
	// never changed in place).
	uaValue, acceptValue []string
	// attemptTimeout bounds each attempt, body included, when the
	// http.Client is the transport's own (see attemptTransport).
	attemptTimeout time.Duration
	watchdog       watchdog
	authHeader     func(context.Context) (string, []string)
}

// New validates cfg and builds a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, Invalid("base URL", "is required")
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, Invalid("base URL", "must be an absolute http or https URL")
	}
	if base.RawQuery != "" || base.Fragment != "" {
		return nil, Invalid("base URL", "must not have a query or fragment")
	}
	if cfg.RetryWaitMin < 0 || cfg.RetryWaitMax < 0 || cfg.MaxRetryAfter < 0 || cfg.MaxResponseBytes < 0 || cfg.RateLimit < 0 || cfg.RateBurst < 0 {
		return nil, Invalid("transport options", "durations, sizes and rates must not be negative")
	}
	c := &Client{
		api:          cfg.API,
		base:         base,
		accept:       cmp.Or(cfg.Accept, DefaultAccept),
		maxBody:      cmp.Or(cfg.MaxResponseBytes, DefaultMaxResponseBytes),
		maxRetryWait: cmp.Or(cfg.MaxRetryAfter, DefaultMaxRetryAfter),
		retry500:     cfg.Retry500,
		logger:       cfg.Logger,
		secrets:      cfg.Secrets,
		secretParams: cfg.SecretParams,
		parseError:   cfg.ParseError,
		requestIDs:   cfg.RequestIDHeaders,
		authHeader:   cfg.AuthHeader,
	}
	if c.secrets == nil {
		c.secrets = new(Secrets)
	}
	if len(c.requestIDs) == 0 {
		c.requestIDs = []string{"X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Trace-Id"}
	}
	c.userAgent = "steppe/" + Version + " (+" + ModulePath + ")"
	if ua := strings.TrimSpace(cfg.UserAgent); ua != "" {
		c.userAgent = ua + " " + c.userAgent
	}
	c.uaValue, c.acceptValue = []string{c.userAgent}, []string{c.accept}
	c.basePath, c.plainBase = strings.TrimRight(base.Path, "/"), base.RawPath == "" && reparses(base)

	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		// Not http.Client.Timeout: for a RoundTripper it does not know
		// (attemptTransport), net/http enforces it with a goroutine, a
		// timer, two channels and a context per request. The attempt's
		// own deadline is kept by the client's watchdog (see attempt.go).
		c.attemptTimeout = DefaultTimeout
	}
	baseRT := hc.Transport
	if baseRT == nil {
		baseRT = newPooledTransport()
	}
	var limiter *rate.Limiter
	if cfg.RateLimit > 0 {
		limiter = SharedLimiter(base.Host, cfg.RateLimit, max(cfg.RateBurst, 1))
	}
	hc.Transport = &attemptTransport{c: c, host: base.Host, base: baseRT, auth: wrapAuth(cfg.Auth, baseRT), limiter: limiter}
	hc.CheckRedirect = checkRedirect(hc.CheckRedirect)

	retries := cfg.MaxRetries
	switch {
	case retries == 0:
		retries = DefaultMaxRetries
	case retries < 0:
		retries = 0
	}
	c.maxRetries = retries
	c.rc = &retryablehttp.Client{
		HTTPClient:   &hc,
		Logger:       nil,
		RetryWaitMin: cmp.Or(cfg.RetryWaitMin, DefaultRetryWaitMin),
		RetryWaitMax: cmp.Or(cfg.RetryWaitMax, DefaultRetryWaitMax),
		// The loop allows up to maxCallRetries; checkRetry stops at the
		// client's (or the call's) own number.
		RetryMax:     maxCallRetries,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	if c.rc.RetryWaitMax < c.rc.RetryWaitMin {
		c.rc.RetryWaitMax = c.rc.RetryWaitMin
	}
	return c, nil
}

// BaseURL returns a copy of the configured base URL.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

// Secrets returns the client's secret registry.
func (c *Client) Secrets() *Secrets { return c.secrets }

// Request is one logical API call. Body is sent as is on every attempt.
type Request struct {
	Method string
	// Path is appended to the base URL's path; it may hold a query already.
	Path string
	// Query is merged into the URL's query.
	Query url.Values
	// Header is added to the request (after Accept and User-Agent).
	Header http.Header
	// Body and ContentType are the request payload, encoded once.
	Body        []byte
	ContentType string
	// BodyParts, used when Body is nil, is a payload held in pieces that
	// are sent one after another without being joined, so that a large
	// body needs no second copy. The parts must not change while Do runs,
	// nor after Do returns an error: the connection may still be reading
	// them.
	BodyParts [][]byte
	// Idempotent marks a POST or other non-GET request as safe to retry
	// (the server de-duplicates, or the call only reads). GET and HEAD are
	// always idempotent.
	Idempotent bool
	// NoRetry sends the request once, whatever its method: for calls that
	// may be billed each time they reach the server.
	NoRetry bool
	// MaxResponseBytes, if positive, caps this response's body instead of
	// Config.MaxResponseBytes (e.g. a download with a documented size).
	MaxResponseBytes int64
}

// Response is a successful (2xx) answer, fully read.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	// Attempts is how many times the request was sent.
	Attempts int
}

// JSONBody encodes v once (HTML escaping off) for use as Request.Body.
func JSONBody(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// URL resolves a request path and query against the base URL.
func (c *Client) URL(path string, query url.Values) (*url.URL, error) {
	rel, err := url.Parse(path)
	if err != nil {
		return nil, Invalid("path", "cannot be parsed")
	}
	u := *c.base
	u.RawPath = ""
	if rel.Path != "" {
		u.Path = strings.TrimRight(u.Path, "/") + "/" + strings.TrimLeft(rel.Path, "/")
		if rel.RawPath != "" {
			// An escaped segment ("a%2Fb", "%2B") stays escaped.
			u.RawPath = strings.TrimRight(c.base.EscapedPath(), "/") + "/" + strings.TrimLeft(rel.EscapedPath(), "/")
		}
	}
	q := rel.Query()
	for k, vs := range query {
		q[k] = append(q[k], vs...)
	}
	u.RawQuery = q.Encode()
	return &u, nil
}

// Do sends r and returns the 2xx response, or an *Error.
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	st := &callState{idempotent: !r.NoRetry && (r.Idempotent || method == http.MethodGet || method == http.MethodHead), once: r.NoRetry,
		maxRetries: c.maxRetries, head: method == http.MethodHead, limit: cmp.Or(max(r.MaxResponseBytes, 0), c.maxBody)}
	call := callOptionsFrom(ctx)
	if call != nil {
		if call.retries >= 0 {
			st.maxRetries = call.retries
		}
		if call.timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, call.timeout)
			defer cancel()
		}
	}
	// The state is the request's context: it answers Value(callStateKey{})
	// itself, which saves a context.WithValue per call.
	st.Context = ctx
	req, err := c.newRequest(st, method, r)
	if err != nil {
		return nil, err
	}
	u := req.URL
	if call != nil {
		for k, vs := range call.header {
			if _, set := req.Header[k]; !set {
				req.Header[k] = vs[:len(vs):len(vs)]
			}
		}
	}

	// The body is read inside the retry loop, so a safe request whose
	// answer breaks off is sent again like one whose connection failed.
	req.SetResponseHandler(readAnswer)

	resp, err := c.rc.Do(req)
	if err == nil && resp != st.bodyOf {
		// The retries ran out on a retryable answer, which the loop
		// hands back unread.
		st.body, err = readCapped(resp.Body, st.declared(resp), st.limit)
	}
	if resp != nil {
		drainClose(resp.Body)
	}
	if err != nil {
		return nil, c.failure(ctx, method, u, resp, st, err)
	}
	kind := KindForStatus(resp.StatusCode)
	if kind != nil {
		e := c.newError(method, u, resp, st, kind, nil)
		c.fillFromBody(e, resp, st.body)
		if kind == ErrRedirect {
			// Not followed (see checkRedirect): the server saw the
			// request, so one that is not safe to repeat may have
			// been acted on.
			e.Location = redactLocation(resp, c.secretParams, c.secrets)
			e.MaybeDelivered = !st.idempotent
		}
		return nil, e
	}
	// The Response shares the state's allocation.
	out := &st.resp
	*out = Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: st.body, Attempts: int(st.attempts.Load())}
	if call != nil && call.response != nil {
		*call.response = ResponseInfo{StatusCode: out.StatusCode, Header: resp.Header.Clone(),
			RequestID: c.secrets.Redact(c.requestID(resp.Header)), Attempts: out.Attempts}
	}
	return out, nil
}

// newRequest builds the request of r for the retry loop, with st as its
// context: URL, body and the headers the transport manages.
func (c *Client) newRequest(st *callState, method string, r *Request) (*retryablehttp.Request, error) {
	var (
		hr  *http.Request
		err error
	)
	if c.plainBase && plainPath(r.Path) {
		// The URL is written into the one net/http parses from "", with
		// no string to parse: the URL that c.URL returns for this path.
		if hr, err = http.NewRequestWithContext(st, method, "", nil); err != nil {
			u, _ := c.URL(r.Path, r.Query)
			return nil, c.newError(method, u, nil, st, ErrTransport, err)
		}
		u := hr.URL
		*u = *c.base
		u.Path = c.joinPath(r.Path)
		u.RawQuery = encodeQuery(r.Query)
		u.Host = removeEmptyPort(u.Host)
		hr.Host = u.Host
	} else {
		u, err := c.URL(r.Path, r.Query)
		if err != nil {
			return nil, err
		}
		if hr, err = http.NewRequestWithContext(st, method, u.String(), nil); err != nil {
			return nil, c.newError(method, u, nil, st, ErrTransport, err)
		}
	}
	req := &retryablehttp.Request{Request: hr}
	switch {
	case r.Body != nil:
		st.parts[0] = r.Body
		err = req.SetBody(retryablehttp.ReaderFunc(st.openBody))
	case r.BodyParts != nil:
		if len(r.BodyParts) == 1 {
			st.parts[0] = r.BodyParts[0]
		} else {
			st.many = r.BodyParts
		}
		err = req.SetBody(retryablehttp.ReaderFunc(st.openBody))
	}
	if err != nil {
		return nil, c.newError(method, hr.URL, nil, st, ErrTransport, err)
	}
	// The values of the headers the transport sets are made once per
	// client; those of r.Header are the caller's, shared, not copied. A
	// value is never changed in place (Header.Set replaces it, and
	// Header.Add appends to a slice cut to its length, so to a copy).
	h := hr.Header
	h["User-Agent"] = c.uaValue
	h["Accept"] = c.acceptValue
	if r.ContentType != "" {
		h["Content-Type"] = contentTypeValue(r.ContentType)
	}
	for k, vs := range r.Header {
		h[http.CanonicalHeaderKey(k)] = vs[:len(vs):len(vs)]
	}
	if c.authHeader != nil {
		if k, vs := c.authHeader(st.Context); k != "" {
			h[k] = vs[:len(vs):len(vs)]
			st.authKey = k
		}
	}
	return req, nil
}

// maxJoinedPaths bounds the paths a client remembers joined to its base
// path: a client's fixed paths (an API has a few dozen), not every
// document's own.
const maxJoinedPaths = 64

// joinPath returns the base path joined with the plain path p, as c.URL
// joins them. The result for each of the first maxJoinedPaths paths is kept
// in a map that is replaced, never changed, so that a call reads it with
// one atomic load and no lock, and a client's fixed paths cost no
// allocation after their first call.
func (c *Client) joinPath(p string) string {
	m := c.paths.Load()
	if m != nil {
		if joined, ok := (*m)[p]; ok {
			return joined
		}
	}
	joined := c.basePath + "/" + strings.TrimLeft(p, "/")
	if m == nil || len(*m) < maxJoinedPaths {
		next := map[string]string{p: joined}
		if m != nil {
			maps.Copy(next, *m)
		}
		// A lost race drops one entry, which a later call adds again.
		c.paths.CompareAndSwap(m, &next)
	}
	return joined
}

// encodeQuery is url.Values.Encode, whose output it gives, in one
// allocation: a query of up to 16 keys is sorted on the stack.
func encodeQuery(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	if len(v) > 16 {
		return v.Encode()
	}
	var (
		few  [16]string
		keys = few[:0]
		size int
	)
	for k, vs := range v {
		keys = append(keys, k)
		for _, x := range vs {
			size += len(k) + len(x) + 2 // an estimate: escapes make it longer
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	b.Grow(size)
	for _, k := range keys {
		ek := url.QueryEscape(k)
		for _, x := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(x))
		}
	}
	return b.String()
}

// jsonContentType is the Content-Type value of most requests, shared.
var jsonContentType = []string{"application/json"}

func contentTypeValue(ct string) []string {
	if ct == jsonContentType[0] {
		return jsonContentType
	}
	return []string{ct}
}

// plainPath reports whether p is a request path that c.URL would take as
// is, so that joining it to the base path needs no parsing: not empty, not
// starting with "//" (an authority), and made only of letters, digits and
// "-._~/" (nothing escaped or to escape, no query, fragment or scheme).
func plainPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		switch b := p[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9',
			b == '-', b == '.', b == '_', b == '~', b == '/':
		default:
			return false
		}
	}
	return true
}

// reparses reports whether u is the URL that parsing its own string gives
// (false for an empty port, "host:", which the string drops), so that a URL
// copied from it is the one a request parsed from the string would have.
func reparses(u *url.URL) bool {
	again, err := url.Parse(u.String())
	if err != nil || again.User.String() != u.User.String() {
		return false
	}
	again.User = u.User
	return *again == *u
}

// removeEmptyPort strips the empty port of "host:", as
// http.NewRequestWithContext does for the URL it parses.
func removeEmptyPort(host string) string {
	if strings.LastIndex(host, ":") > strings.LastIndex(host, "]") {
		return strings.TrimSuffix(host, ":")
	}
	return host
}

// failure builds the *Error of a call that got no usable answer: the
// connection failed, the answer's body broke off or was too large, or the
// context ended (also while waiting to retry after a server error, in which
// case the last status stays reachable with errors.Is beside the context
// error).
func (c *Client) failure(ctx context.Context, method string, u *url.URL, resp *http.Response, st *callState, err error) *Error {
	var tooLarge *tooLargeError
	switch {
	case errors.As(err, &tooLarge):
		e := c.newError(method, u, resp, st, ErrTooLarge, tooLarge)
		return e
	case resp != nil:
		// The answer arrived but its body broke off.
		kind := KindForStatus(resp.StatusCode)
		e := c.newError(method, u, resp, st, cmp.Or(kind, ErrTransport), err)
		// A 2xx whose body broke off: the server did the work.
		e.MaybeDelivered = !st.idempotent && kind == nil
		return e
	case ctx.Err() != nil && contextCause(err) != nil && st.lastStatus != 0:
		// The caller's context ended while waiting to retry after an
		// answer (a per-attempt timeout of the http.Client is a
		// transport failure like any other).
		e := c.buildError(method, u, st.lastStatus, st.lastHeader, int(st.attempts.Load()), KindForStatus(st.lastStatus), err)
		return e
	}
	kind := ErrTransport
	if errors.Is(err, errLimiter) {
		if st.lastErr != nil {
			// A retry could not get past the client-side rate limit
			// within the attempt's time: the failure to report is the
			// one that made it retry.
			err = st.lastErr
		} else {
			kind = ErrRateLimited
		}
	}
	e := c.newError(method, u, nil, st, kind, err)
	e.MaybeDelivered = !st.idempotent && kind == ErrTransport && !notSent(err)
	return e
}

// DoJSON sends r and decodes a 2xx JSON body into out (if out is not nil).
// A body that does not decode gives an *Error matching ErrDecode, with the
// start of the body attached.
func (c *Client) DoJSON(ctx context.Context, r *Request, out any) (*Response, error) {
	resp, err := c.Do(ctx, r)
	if err != nil || out == nil {
		return resp, err
	}
	if err := lenient.Unmarshal(resp.Body, out); err != nil {
		return resp, c.DecodeError(r, resp, err)
	}
	return resp, nil
}

// DecodeError builds the *Error for a 2xx response whose body a client could
// not decode.
func (c *Client) DecodeError(r *Request, resp *Response, cause error) error {
	u, _ := c.URL(r.Path, r.Query)
	e := c.buildError(cmp.Or(r.Method, http.MethodGet), u, resp.StatusCode, resp.Header, resp.Attempts, ErrDecode, cause)
	e.Body = c.capBody(resp.Body)
	return e
}

// newError builds the *Error of a call that failed inside Do.
func (c *Client) newError(method string, u *url.URL, resp *http.Response, st *callState, kind error, cause error) *Error {
	var (
		status int
		header http.Header
	)
	if resp != nil {
		status, header = resp.StatusCode, resp.Header
	}
	return c.buildError(method, u, status, header, int(st.attempts.Load()), kind, cause)
}

// buildError is the one place an *Error is made: URL, request id and cause
// pass through the secret redaction here.
func (c *Client) buildError(method string, u *url.URL, status int, header http.Header, attempts int, kind, cause error) *Error {
	e := &Error{
		API:        c.api,
		StatusCode: status,
		Method:     method,
		URL:        redactURL(u, c.secretParams, c.secrets),
		Attempts:   attempts,
		kind:       kind,
	}
	if header != nil {
		e.RequestID = c.secrets.Redact(c.requestID(header))
		if ra, ok := parseRetryAfter(header, time.Now()); ok {
			e.RetryAfter = ra
		}
	}
	if cause != nil {
		if ctxErr := contextCause(cause); ctxErr != nil {
			// The context ended: keep it reachable and say so plainly.
			cause = ctxErr
		}
		e.Err = c.scrubCause(cause)
	}
	return e
}

// parseWindow is how much of an error body the client's ParseError sees:
// enough for any error message, and masked before it is parsed, so that a
// parser that cuts the text (to a message's length) cannot cut a secret
// in two.
const parseWindow = 1 << 20

func (c *Client) fillFromBody(e *Error, resp *http.Response, body []byte) {
	red := c.redactedPrefix(body, parseWindow)
	e.Body = red[:min(len(red), DefaultMaxErrorBody)]
	if c.parseError != nil && len(red) > 0 {
		code, msg := c.parseError(resp.StatusCode, resp.Header, red)
		e.Code = c.secrets.Redact(code)
		e.Message = c.secrets.Redact(msg)
	}
}

func (c *Client) capBody(body []byte) []byte {
	return c.redactedPrefix(body, DefaultMaxErrorBody)
}

// redactedPrefix returns a copy of at most the first limit bytes of body
// with every secret masked. The secrets are masked before the text is cut,
// and a cut never leaves the start of a secret behind: of a window longer
// than limit by the longest secret, what may end in a cut-off secret is
// dropped.
func (c *Client) redactedPrefix(body []byte, limit int) []byte {
	if len(body) <= limit {
		return c.secrets.RedactBytes(bytes.Clone(body))
	}
	longest := c.secrets.longest()
	window := body[:min(len(body), limit+longest)]
	red := c.secrets.RedactBytes(bytes.Clone(window))
	keep := min(limit, len(red))
	if len(window) < len(body) && longest > 0 {
		keep = max(min(keep, len(red)-(longest-1)), 0)
	}
	return red[:keep]
}

func (c *Client) requestID(h http.Header) string {
	for _, name := range c.requestIDs {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	return ""
}

// scrubCause rewrites a cause so its text and any *url.Error inside carry no
// secret, while errors.Is/As still reach the original sentinel values.
func (c *Client) scrubCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		u, perr := url.Parse(ue.URL)
		clean := Mask
		if perr == nil {
			clean = redactURL(u, c.secretParams, c.secrets)
		}
		err = &url.Error{Op: ue.Op, URL: clean, Err: c.scrubCause(ue.Err)}
	}
	return &redactedError{msg: c.secrets.Redact(err.Error()), err: err}
}

func contextCause(err error) error {
	switch {
	case errors.Is(err, context.Canceled):
		return context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return context.DeadlineExceeded
	}
	return nil
}

// partsReader reads the parts of a body in order. Len lets retryablehttp
// set Content-Length.
type partsReader struct {
	parts [][]byte
	off   int
}

func (p *partsReader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) && len(p.parts) > 0 {
		c := copy(b[n:], p.parts[0][p.off:])
		n += c
		p.off += c
		if p.off == len(p.parts[0]) {
			p.parts, p.off = p.parts[1:], 0
		}
	}
	if n == 0 && len(p.parts) == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// Len is the number of bytes left.
func (p *partsReader) Len() int {
	n := -p.off
	for _, part := range p.parts {
		n += len(part)
	}
	return n
}

// chunkSize is the size of the pooled buffers a body of unknown length is
// read into before it is copied, once, into a slice of its exact size.
const chunkSize = 32 << 10

// keptChunks is how many chunks one call gives back to the pool (2 MiB): a
// huge hostile body is not kept alive by the pool after its call.
const keptChunks = 64

var chunkPool = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// tooLargeError is the cause of an ErrTooLarge *Error.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return "answer larger than " + strconv.FormatInt(e.limit, 10) + " bytes"
}

// readCapped reads a body of at most limit bytes; a longer one gives a
// *tooLargeError as soon as the limit is passed. declared is the body's
// Content-Length, or -1. It allocates the body's exact size once, plus
// pooled chunks for what a declared length did not cover: a body of n bytes
// costs about n, and a hostile one (endless, a gzip bomb, a lying length) at
// most the limit plus a chunk.
func readCapped(r io.Reader, declared, limit int64) ([]byte, error) {
	if declared > limit {
		return nil, &tooLargeError{limit}
	}
	var head []byte
	if declared > 0 {
		head = make([]byte, declared)
		if _, err := io.ReadFull(r, head); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	// The chunks' list starts on the stack: a body whose length was
	// declared needs one chunk, only to see its end.
	var (
		few    [4]*[]byte
		chunks = few[:0]
	)
	defer func() {
		for i, c := range chunks {
			if i == keptChunks {
				break
			}
			chunkPool.Put(c)
		}
	}()
	total, fill := int64(len(head)), chunkSize
	for {
		if fill == chunkSize {
			chunks = append(chunks, chunkPool.Get().(*[]byte))
			fill = 0
		}
		n, err := r.Read((*chunks[len(chunks)-1])[fill:])
		fill += n
		total += int64(n)
		if total > limit {
			return nil, &tooLargeError{limit}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if total == int64(len(head)) {
		if head == nil {
			return []byte{}, nil
		}
		return head, nil
	}
	out := make([]byte, total)
	off := copy(out, head)
	for _, c := range chunks {
		off += copy(out[off:], *c)
	}
	return out, nil
}

// drainMax is how much of a body drainClose reads so that the connection
// can be reused.
const drainMax = 256 << 10

// drainPool holds drainClose's buffers, smaller than a chunk: a body is
// mostly at its end already when it is drained.
var drainPool = sync.Pool{New: func() any { b := make([]byte, 8<<10); return &b }}

// drainClose reads what is left of a body (up to drainMax bytes, into a
// pooled buffer) and closes it.
func drainClose(body io.ReadCloser) {
	if body == nil {
		return
	}
	buf := drainPool.Get().(*[]byte)
	for left := drainMax; left > 0; {
		n, err := body.Read((*buf)[:min(left, len(*buf))])
		left -= n
		if err != nil {
			break
		}
	}
	drainPool.Put(buf)
	_ = body.Close()
}

// checkRedirect is the redirect policy. A request other than GET and HEAD
// never follows a redirect: a 302 would turn it into a body-less GET that
// "succeeds", and a 307 would send its body (documents, passwords, key
// files) wherever the server says. Its 3xx comes back as an *Error
// matching ErrRedirect. GET and HEAD follow at most 10 redirects to the
// same scheme, host and port, unless the caller's own http.Client has a
// CheckRedirect, which then decides for them (a redirect it lets leave the
// API's origin loses the call's Config.AuthHeader). An https to http
// redirect is always refused.
func checkRedirect(user func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if first.Method != http.MethodGet && first.Method != http.MethodHead {
			return http.ErrUseLastResponse
		}
		if via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return http.ErrUseLastResponse
		}
		if user != nil {
			if err := user(req, via); err != nil {
				return err
			}
			if st, _ := first.Context().Value(callStateKey{}).(*callState); st != nil && st.authKey != "" && !sameOrigin(first.URL, req.URL) {
				// net/http copied the first request's headers; the
				// call's credentials stay with the API's origin.
				delete(req.Header, st.authKey)
			}
			return nil
		}
		if len(via) > 10 || !sameOrigin(first.URL, req.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}
}

// sameOrigin reports whether a and b have the same scheme, host and port
// (an omitted port is the scheme's default).
func sameOrigin(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if strings.EqualFold(u.Scheme, "https") {
			return "443"
		}
		return "80"
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// redactLocation is the Location of a 3xx answer, resolved against its
// request and with secrets masked.
func redactLocation(resp *http.Response, secretParams []string, secrets *Secrets) string {
	loc, err := resp.Location()
	if err != nil {
		return secrets.Redact(resp.Header.Get("Location"))
	}
	return redactURL(loc, secretParams, secrets)
}

// String describes the client for debugging; it holds no secret.
func (c *Client) String() string {
	return fmt.Sprintf("transport.Client{api: %q, base: %q}", c.api, redactURL(c.base, c.secretParams, c.secrets))
}
