package fakekit

import (
	"errors"
	"net/http"
	"net/http/httptest"
)

// ErrConnectionClosed is returned by [HandlerTransport] when the handler
// aborts the response (a Drop, DropResponse or Truncate fault).
var ErrConnectionClosed = errors.New("fakekit: connection closed by the server before a complete response")

// HandlerTransport is an http.RoundTripper that answers by calling Handler
// directly, in the calling goroutine, without a socket. Tests use it inside
// a testing/synctest bubble, where waiting on a real network connection
// would keep the bubble's clock from advancing; a fake's rate limits and
// Retry-After waits then cost no real time.
//
// A handler that aborts (panics with http.ErrAbortHandler, as the Drop,
// DropResponse and Truncate faults do when they cannot hijack) gives
// [ErrConnectionClosed] instead of a response.
type HandlerTransport struct {
	Handler http.Handler
	// RemoteAddr is the client address the handler sees; empty means
	// "192.0.2.1:1234".
	RemoteAddr string
}

// RoundTrip serves req with the handler.
func (t *HandlerTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	defer in.Body.Close()
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = t.RemoteAddr
	if in.RemoteAddr == "" {
		in.RemoteAddr = "192.0.2.1:1234"
	}
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	rec := httptest.NewRecorder()
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler {
				panic(p)
			}
			resp, err = nil, ErrConnectionClosed
		}
	}()
	t.Handler.ServeHTTP(rec, in)
	resp = rec.Result()
	resp.Request = req
	return resp, nil
}
