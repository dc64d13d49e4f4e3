package testkit

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// NewRequest returns a request of method for url carrying body (none when
// body is empty); it ends the test if the request cannot be made.
func NewRequest(t testing.TB, method, url, body string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// Send sends req with c and returns the answer and its body, read to the
// end and closed; it ends the test if either fails.
func Send(t testing.TB, c *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp, ReadBody(t, resp)
}

// ReadBody reads resp's body to the end and closes it; it ends the test if
// the body cannot be read.
func ReadBody(t testing.TB, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// LoseSecondAnswer starts a server that answers 204 No Content, except that
// it reads the second request and then closes its connection without an
// answer: on a kept-alive connection, the case in which net/http sends a
// bodiless request again by itself. It returns the server, closed when the
// test ends, and the count of requests that reached it. (testkit cannot
// use fakekit's Drop fault: fakekit's own tests import testkit.)
func LoseSecondAnswer(t testing.TB) (*httptest.Server, *atomic.Int32) {
	var reached atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reached.Add(1) != 2 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &reached
}
