package testkit

import (
	"context"
	"io"
	"net/http"
	"strings"
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
