package fakekit

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// slowChunkSize is the number of body bytes written per chunk when a
// [Fault] has SlowBody set.
const slowChunkSize = 64

// Fault describes a failure to inject into the responses of a fake server.
// Faults are queued in a [Faults] value and applied to the next requests that
// match them.
//
// The effects combine in this order: Delay is waited out first; then Drop
// closes the connection, ignoring everything else; DropResponse runs the
// real handler and then closes the connection; otherwise the response is
// produced (by Status or by the real handler), Header and RetryAfter are added
// to it, and it is written out, slowly if SlowBody is set and cut short if
// Truncate is set.
type Fault struct {
	// Method restricts the fault to requests with this method, compared
	// exactly (e.g. "POST"). Empty matches any method.
	Method string
	// Path restricts the fault to requests whose r.URL.Path equals it, or,
	// when Path ends with "*", starts with the text before the "*"
	// ("/v1/orders/*" matches "/v1/orders/" and "/v1/orders/42" but not
	// "/v1/orders"). Empty matches any path.
	Path string

	// Status, if non-zero, answers the request with this status code and
	// Body instead of calling the real handler.
	Status int
	// Body is the response body used with Status. If empty, a short
	// plain-text description such as "503 Service Unavailable (injected
	// fault)" is sent. Unless Header sets a Content-Type, the body is
	// labelled application/json when it starts with "{" or "[", and
	// text/plain otherwise.
	Body string
	// Header holds extra response headers, e.g. Retry-After. They are set
	// on the injected response, or on the real response before the real
	// handler runs (so the handler may still override them).
	Header http.Header
	// RetryAfter, if positive, sets the Retry-After header to this many
	// seconds, rounded up to a whole second. It takes precedence over a
	// Retry-After in Header.
	RetryAfter time.Duration

	// Drop hijacks the connection and closes it without sending any
	// response, so the client gets an error (typically io.EOF or
	// "connection reset") instead of a response. For HTTP/2 connections,
	// which cannot be hijacked, the stream is reset instead.
	//
	// Note that Go's http.Transport may silently retry a request once when
	// a reused keep-alive connection closes before any response byte
	// arrives and the request is idempotent (GET, HEAD, OPTIONS, TRACE, or
	// one with an Idempotency-Key header); the retry then consumes the next
	// matching fault or reaches the real handler. To make such a client see
	// the error reliably, use Times: 2 (or -1), or disable keep-alives.
	Drop bool
	// DropResponse runs the real handler to the end, so the server keeps
	// every effect of the request (a rotated token, a stored record), and
	// then closes the connection without sending a byte of its response:
	// the request succeeded but the client never learns it. It is ignored
	// when Status or Drop is set. The same keep-alive caveat as for Drop
	// applies: Go's http.Transport may resend an idempotent request once.
	DropResponse bool
	// Delay, if positive, waits this long before answering. If the request
	// context ends first (the client gave up or the server is closing), the
	// handler returns without answering.
	Delay time.Duration
	// SlowBody, if positive, writes the response body in chunks of 64
	// bytes, flushing after each and pausing SlowBody between chunks. The
	// client still receives the exact body, just slowly.
	SlowBody time.Duration
	// Truncate sends the status and headers with a Content-Length for the
	// full body, writes only the first half of the body, and then closes
	// the connection, so that reading the body fails with
	// io.ErrUnexpectedEOF. An empty body is declared as one byte long so
	// that the failure is still visible. Responses to HEAD requests and
	// responses that may not have a body (1xx, 204, 304) are sent in full
	// before the connection is closed.
	Truncate bool

	// Hold runs the real handler to the end, so the server keeps every
	// effect of the request (a rotated token, a stored record), and then
	// holds its answer back for this long before sending it: a client that
	// gives up meanwhile never sees the answer. If the request's context
	// ends first (the client went away), nothing is written. It is ignored
	// when Status, Drop or DropResponse is set.
	Hold time.Duration

	// Times is how many matching requests the fault applies to. Zero means
	// once; -1 (or any negative number) means every matching request until
	// [Faults.Clear] is called.
	Times int
	// Every, when above 1, applies the fault only to every Every-th
	// matching request (the Every-th, the 2·Every-th, …); the requests in
	// between are served normally and do not use up Times. With Times -1
	// it makes a steady rate of faults: Every 7 loses one answer in seven.
	Every int
}

// matches reports whether f applies to r.
func (f *Fault) matches(r *http.Request) bool {
	if f.Method != "" && f.Method != r.Method {
		return false
	}
	if f.Path == "" {
		return true
	}
	if prefix, ok := strings.CutSuffix(f.Path, "*"); ok {
		return strings.HasPrefix(r.URL.Path, prefix)
	}
	return r.URL.Path == f.Path
}

// Faults is a queue of [Fault] values applied by the handler returned from
// [Faults.Wrap]. Faults are tried in the order they were added and each
// request gets at most one: the first pending fault that matches it. The
// zero value is an empty queue ready to use. Faults is safe for concurrent
// use, including adding faults while requests are being served.
type Faults struct {
	mu    sync.Mutex
	queue []*queuedFault
}

// queuedFault is a fault together with the number of applications it has
// left; left is negative for faults that apply forever.
type queuedFault struct {
	fault Fault
	left  int
	seen  int // matching requests so far, for Every
}

// Add appends faults to the end of the queue. The Header maps are copied,
// so the caller may reuse them.
func (fs *Faults) Add(faults ...Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, f := range faults {
		f.Header = f.Header.Clone()
		left := f.Times
		switch {
		case left == 0:
			left = 1
		case left < 0:
			left = -1
		}
		fs.queue = append(fs.queue, &queuedFault{fault: f, left: left})
	}
}

// Clear removes all pending faults, including those that apply forever.
func (fs *Faults) Clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.queue = nil
}

// Pending returns the number of faults still in the queue. A fault counts
// once however many applications it has left, and a fault that applies
// forever stays pending until [Faults.Clear].
func (fs *Faults) Pending() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return len(fs.queue)
}

// take removes one application of the first fault that matches r and
// returns that fault.
func (fs *Faults) take(r *http.Request) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, q := range fs.queue {
		if !q.fault.matches(r) {
			continue
		}
		if q.fault.Every > 1 {
			q.seen++
			if q.seen%q.fault.Every != 0 {
				continue
			}
		}
		if q.left > 0 {
			q.left--
			if q.left == 0 {
				fs.queue = slices.Delete(fs.queue, i, i+1)
			}
		}
		return q.fault, true
	}
	return Fault{}, false
}

// Wrap returns a handler that applies the first pending fault matching each
// request, or calls next if there is none.
func (fs *Faults) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := fs.take(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		f.serve(w, r, next)
	})
}

// serve answers r according to f, using next for the real response.
func (f *Fault) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if !Sleep(r.Context(), f.Delay) {
		return
	}
	if f.Drop {
		abort(w)
		return
	}
	h := next
	if f.Status != 0 {
		h = http.HandlerFunc(f.serveStatus)
	} else if f.DropResponse {
		next.ServeHTTP(&bufferWriter{header: make(http.Header)}, r)
		abort(w)
		return
	}
	if f.Hold > 0 {
		bw := &bufferWriter{header: make(http.Header)}
		f.setHeaders(bw.header)
		h.ServeHTTP(bw, r)
		if !Sleep(r.Context(), f.Hold) {
			return
		}
		f.writeOut(w, r, bw)
		return
	}
	if f.SlowBody <= 0 && !f.Truncate {
		f.setHeaders(w.Header())
		h.ServeHTTP(w, r)
		return
	}
	bw := &bufferWriter{header: make(http.Header)}
	f.setHeaders(bw.header)
	h.ServeHTTP(bw, r)
	f.writeOut(w, r, bw)
}

// setHeaders copies the fault's extra headers into h.
func (f *Fault) setHeaders(h http.Header) {
	for k, vs := range f.Header {
		h[http.CanonicalHeaderKey(k)] = slices.Clone(vs)
	}
	if f.RetryAfter > 0 {
		secs := (f.RetryAfter + time.Second - 1) / time.Second
		h.Set("Retry-After", strconv.FormatInt(int64(secs), 10))
	}
}

// serveStatus writes the injected status response.
func (f *Fault) serveStatus(w http.ResponseWriter, _ *http.Request) {
	body := f.Body
	if body == "" {
		body = strconv.Itoa(f.Status) + " " + http.StatusText(f.Status) + " (injected fault)\n"
	}
	h := w.Header()
	if h.Get("Content-Type") == "" {
		if strings.HasPrefix(body, "{") || strings.HasPrefix(body, "[") {
			h.Set("Content-Type", "application/json; charset=utf-8")
		} else {
			h.Set("Content-Type", "text/plain; charset=utf-8")
		}
	}
	if bodyAllowed(f.Status) {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(body))
}

// writeOut sends the buffered response b to w, applying SlowBody and
// Truncate.
func (f *Fault) writeOut(w http.ResponseWriter, r *http.Request, b *bufferWriter) {
	status, header := b.result()
	body := b.body.Bytes()
	dst := w.Header()
	for k, vs := range header {
		dst[k] = vs
	}
	hasBody := bodyAllowed(status)
	switch {
	case f.Truncate && hasBody:
		declared := len(body)
		body = body[:declared/2]
		declared = max(declared, 1)
		dst.Del("Transfer-Encoding")
		dst.Set("Content-Length", strconv.Itoa(declared))
	case hasBody && dst.Get("Content-Length") == "" && dst.Get("Transfer-Encoding") == "":
		dst.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	rc := http.NewResponseController(w)
	if hasBody && r.Method != http.MethodHead {
		if !f.writeBody(r.Context(), w, rc, body) {
			return
		}
	}
	if f.Truncate {
		_ = rc.Flush()
		abort(w)
	}
}

// writeBody writes body to w, in slow flushed chunks if f.SlowBody is set.
// It reports whether the whole body was written.
func (f *Fault) writeBody(ctx context.Context, w http.ResponseWriter, rc *http.ResponseController, body []byte) bool {
	if f.SlowBody <= 0 {
		_, err := w.Write(body)
		return err == nil
	}
	for len(body) > 0 {
		n := min(slowChunkSize, len(body))
		if _, err := w.Write(body[:n]); err != nil {
			return false
		}
		body = body[n:]
		if err := rc.Flush(); err != nil {
			return false
		}
		if len(body) > 0 && !Sleep(ctx, f.SlowBody) {
			return false
		}
	}
	return true
}

// Sleep waits for d or until ctx is done, and reports whether the full
// duration passed. Fakes use it for injected latency, so a server stops
// waiting when its client gives up.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// abort closes the client connection without completing the response. It
// hijacks the connection when possible and otherwise panics with
// [http.ErrAbortHandler], which makes the server reset the stream without
// logging.
func abort(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// bufferWriter is an http.ResponseWriter that keeps the response in memory
// so that it can be written out later, slowly or truncated.
type bufferWriter struct {
	header   http.Header
	snapshot http.Header // header as of WriteHeader, like net/http
	status   int
	body     bytes.Buffer
}

// Header returns the response header map.
func (b *bufferWriter) Header() http.Header { return b.header }

// WriteHeader records the status code. Informational (1xx) codes and
// repeated calls are ignored.
func (b *bufferWriter) WriteHeader(code int) {
	if b.status != 0 || (code >= 100 && code <= 199) {
		return
	}
	b.status = code
	b.snapshot = b.header.Clone()
}

// Write appends p to the buffered body.
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(b.status) {
		return 0, http.ErrBodyNotAllowed
	}
	return b.body.Write(p)
}

// Flush does nothing; it lets handlers that flush run unchanged.
func (b *bufferWriter) Flush() {}

// result returns the final status and header of the buffered response.
func (b *bufferWriter) result() (int, http.Header) {
	if b.status == 0 {
		return http.StatusOK, b.header
	}
	return b.status, b.snapshot
}
