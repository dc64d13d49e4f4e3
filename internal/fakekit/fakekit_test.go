package fakekit

import (
	"io"
	"net/http"
	"testing"

	"github.com/steppe-sdk/steppe/internal/testkit"
)

// okBody is what okHandler answers.
const okBody = `{"ok":true}` + "\n"

// okHandler answers every request with 200 and okBody.
var okHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
})

// bodyHandler answers every request with status and body.
func bodyHandler(status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// newServer starts a Server for h and closes it when the test ends.
func newServer(t *testing.T, h http.Handler) *Server {
	t.Helper()
	s := NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// freshClient returns a client that opens a new connection per request, so
// that http.Transport never retries on a reused connection.
func freshClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// do sends a request and returns the response with its fully read body.
func do(t *testing.T, c *http.Client, method, url string, body string) (*http.Response, string) {
	t.Helper()
	resp, b := testkit.Send(t, c, testkit.NewRequest(t, method, url, body))
	return resp, string(b)
}
