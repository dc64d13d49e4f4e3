package transport

import (
	"context"
	"net/http"
	"time"
)

// CallOption changes one call, or every HTTP request of it, made with a
// context from [WithCall]. Each client re-exports the constructors under
// its own names (CallHeader, CallTimeout, CallRetries, CallResponse).
type CallOption func(*callOptions)

type callOptions struct {
	header   http.Header
	timeout  time.Duration
	retries  int // -1: the client's
	response *ResponseInfo
}

type callOptionsKey struct{}

// WithCall returns a context that carries opts to every request sent with
// it, on top of options an outer WithCall set.
func WithCall(ctx context.Context, opts ...CallOption) context.Context {
	o := callOptions{retries: -1}
	if prev, ok := ctx.Value(callOptionsKey{}).(*callOptions); ok {
		o = *prev
		o.header = prev.header.Clone()
	}
	for _, opt := range opts {
		opt(&o)
	}
	return context.WithValue(ctx, callOptionsKey{}, &o)
}

// CallHeader adds a header to every request of the call (a correlation id,
// say). It cannot replace the headers the client manages: credentials,
// User-Agent, Content-Type.
func CallHeader(key, value string) CallOption {
	return func(o *callOptions) {
		if o.header == nil {
			o.header = http.Header{}
		}
		o.header.Add(key, value)
	}
}

// CallTimeout bounds each HTTP request of the call, retries and their
// waits included, on top of the context's own deadline.
func CallTimeout(d time.Duration) CallOption {
	return func(o *callOptions) { o.timeout = d }
}

// CallRetries sets how many times a request of the call may be retried
// (0: none), instead of the client's WithMaxRetries. The rules of what is
// retried do not change: a request that may have created something is
// still never sent twice.
func CallRetries(n int) CallOption {
	return func(o *callOptions) { o.retries = max(n, 0) }
}

// CallResponse makes the call record, in info, the answer to its last
// successful HTTP request: status, headers, request id and attempts. For a
// call that sends several requests (a page walk, batches of codes) it is
// the last one's. A failed request records nothing: its [*Error] carries
// the same facts.
func CallResponse(info *ResponseInfo) CallOption {
	return func(o *callOptions) { o.response = info }
}

// ResponseInfo describes a successful HTTP answer (see [CallResponse]).
type ResponseInfo struct {
	// StatusCode is the HTTP status, 2xx.
	StatusCode int
	// Header holds the answer's headers (Retry-After, rate-limit
	// headers, …), a copy.
	Header http.Header
	// RequestID is the server's request id header, when it sends one,
	// with secrets masked.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
}

func callOptionsFrom(ctx context.Context) *callOptions {
	o, _ := ctx.Value(callOptionsKey{}).(*callOptions)
	return o
}
