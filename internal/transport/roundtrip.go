package transport

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

var errLimiter = errors.New("client-side rate limit cannot be met before the context deadline")

// attemptTransport is the RoundTripper every attempt goes through. It does
// not implement CloseIdleConnections on purpose: retryablehttp calls
// http.Client.CloseIdleConnections after each failed call, which would
// otherwise flush the whole pool.
type attemptTransport struct {
	c       *Client
	host    string
	base    http.RoundTripper
	auth    http.RoundTripper
	limiter *rate.Limiter
}

func wrapAuth(auth func(http.RoundTripper) http.RoundTripper, base http.RoundTripper) http.RoundTripper {
	if auth == nil {
		return base
	}
	return auth(base)
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if t.limiter != nil {
		if err := t.limiter.Wait(ctx); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, errLimiter
		}
	}
	st := stateFrom(ctx)
	attempt := st.attempts.Add(1)
	var a *attemptCtx
	if d := t.c.attemptTimeout; d > 0 {
		// The attempt's deadline, unless the caller's comes first. It
		// covers the body too: the body's Close ends it.
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > d {
			a = t.c.watchdog.start(ctx, d)
			ctx = a
			req = req.WithContext(ctx)
		}
	}
	if st.once && (req.Body == nil || req.Body == http.NoBody) {
		// A request that must go out once (it may be billed). SendOnce
		// changes only the body fields of its copy, the attempt's if
		// there is one.
		if a == nil {
			req = req.WithContext(ctx)
		}
		SendOnce(req)
	}
	rt := t.base
	if req.URL.Host == t.host {
		rt = t.auth
	}
	start := time.Now()
	resp, err := rt.RoundTrip(req)
	if a != nil {
		// An answer that comes with an error is dropped by net/http.
		if err != nil || resp == nil || resp.Body == nil || resp.Body == http.NoBody {
			a.end()
		} else {
			a.body = resp.Body
			resp.Body = (*attemptBody)(a)
		}
	}
	if resp != nil {
		st.lastStatus, st.lastHeader = resp.StatusCode, resp.Header
		if resp.Request == nil || resp.Request.Context().Value(callStateKey{}) != st {
			// The response handler (readAnswer) finds the call through
			// the answer's request, which a RoundTripper other than
			// net/http's may leave out.
			resp.Request = req
		}
	}
	if err != nil {
		st.lastErr = err
	}
	if t.c.logger != nil {
		t.log(ctx, req, resp, err, int(attempt), time.Since(start))
	}
	return resp, err
}

func (t *attemptTransport) log(ctx context.Context, req *http.Request, resp *http.Response, err error, attempt int, d time.Duration) {
	level := slog.LevelDebug
	if err != nil || resp.StatusCode >= 400 {
		level = slog.LevelWarn
	}
	if !t.c.logger.Enabled(ctx, level) {
		return // nothing to build
	}
	attrs := []slog.Attr{
		slog.String("api", t.c.api),
		slog.String("method", req.Method),
		slog.String("url", redactURL(req.URL, t.c.secretParams, t.c.secrets)),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", t.c.scrubCause(err).Error()))
	} else {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := t.c.requestID(resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", t.c.secrets.Redact(id)))
		}
	}
	t.c.logger.LogAttrs(ctx, level, "steppe http attempt", attrs...)
}

// newPooledTransport is a private connection pool per client, like
// cleanhttp's pooled transport.
func newPooledTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
}

// SendOnce stops net/http from sending the bodiless request r a second
// time on its own: net/http silently sends such a request again when a
// kept-alive connection drops before the answer, which must not happen to
// a request that may be billed, or whose answer carries a token the server
// has just replaced. r gets an empty body that cannot be rewound (so it is
// not replayed; the loss comes back to the caller) with the "identity"
// transfer encoding, which tells net/http to send it as it comes, without
// Content-Length or chunking (see http.Request.Write), so nothing is sent
// and net/http does not first start a goroutine and a timer to test
// whether the body is empty. r must be the caller's own copy; a request
// that has a body is left as it is.
func SendOnce(r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		r.Body, r.GetBody, r.ContentLength, r.TransferEncoding = onceBody{}, nil, 0, identity
	}
}

// identity is the transfer encoding SendOnce sets; net/http only reads it.
var identity = []string{"identity"}

// onceBody is an empty request body that net/http cannot rewind. Its
// WriteTo lets net/http copy it without a copy buffer.
type onceBody struct{}

func (onceBody) Read([]byte) (int, error)         { return 0, io.EOF }
func (onceBody) WriteTo(io.Writer) (int64, error) { return 0, nil }
func (onceBody) Close() error                     { return nil }
