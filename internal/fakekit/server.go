package fakekit

import (
	"net/http"
	"net/http/httptest"
)

// Server is an [httptest.Server] whose handler is wrapped as
// Recorder → Faults → handler: the recorder sees every request, including
// those answered or dropped by a fault.
type Server struct {
	*httptest.Server

	// Faults holds the faults injected into the server's responses.
	Faults *Faults
	// Recorder holds the requests the server has received.
	Recorder *Recorder
}

// NewServer starts and returns a new Server on a loopback address, serving
// h behind a [Recorder] and a [Faults] queue. A nil h answers 404 Not Found
// to every request. The caller should call Close when finished.
func NewServer(h http.Handler) *Server {
	s := NewUnstarted(h)
	s.Start()
	return s
}

// NewUnstarted returns a new Server like [NewServer] but does not
// start it. After changing its configuration, the caller should call Start
// or StartTLS, and Close when finished.
func NewUnstarted(h http.Handler) *Server {
	if h == nil {
		h = http.NotFoundHandler()
	}
	s := &Server{Faults: new(Faults), Recorder: new(Recorder)}
	s.Server = httptest.NewUnstartedServer(s.Recorder.Wrap(s.Faults.Wrap(h)))
	return s
}

// InProcessClient returns an http.Client that serves every request with
// the server's handler (the recorder and the faults included), in the
// calling goroutine and without a network connection. Inside a
// testing/synctest bubble the fake then reads the bubble's clock, so that
// token expiry, delays and statuses that change with time take no real
// seconds. Pass it to the client's WithHTTPClient option.
func (s *Server) InProcessClient() *http.Client {
	return &http.Client{Transport: &HandlerTransport{Handler: s.Config.Handler}}
}
