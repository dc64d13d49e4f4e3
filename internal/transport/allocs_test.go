//go:build !race

package transport

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPerCallAllocations bounds what Do allocates beyond the same request
// sent by hand with net/http (http.NewRequestWithContext, a Content-Type,
// Client.Do, the body read and closed), both through the same in-memory
// RoundTripper: a GET and a POST of a JSON body, with the transport's own
// per-attempt timeout. The race detector changes allocation counts, so the
// test does not run under it.
func TestPerCallAllocations(t *testing.T) {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			_ = r.Body.Close()
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"message":"OK"}`)),
			ContentLength: 16, Request: r}, nil
	})
	c, err := New(Config{BaseURL: testBase, HTTPClient: &http.Client{Transport: rt}})
	require.NoError(t, err)
	c.attemptTimeout = DefaultTimeout
	hc := &http.Client{Transport: rt}
	ctx := context.Background()
	body := []byte(`{"a":1}`)
	for _, tc := range []struct {
		name     string
		sdk      *Request
		method   string
		withBody bool
		extra    float64
	}{
		{"GET", &Request{Path: "tasks"}, http.MethodGet, false, 8},
		{"POST", &Request{Method: http.MethodPost, Path: "cises/info", Body: body, ContentType: "application/json", Idempotent: true}, http.MethodPost, true, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sdk := testing.AllocsPerRun(200, func() {
				if _, err := c.Do(ctx, tc.sdk); err != nil {
					t.Fatal(err)
				}
			})
			hand := testing.AllocsPerRun(200, func() {
				var rd io.Reader
				if tc.withBody {
					rd = strings.NewReader(string(body))
				}
				req, err := http.NewRequestWithContext(ctx, tc.method, testBase+"/"+tc.sdk.Path, rd)
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := io.ReadAll(resp.Body); err != nil {
					t.Fatal(err)
				}
				_ = resp.Body.Close()
			})
			t.Logf("%s: %.0f allocations through Do, %.0f by hand", tc.name, sdk, hand)
			assert.LessOrEqual(t, sdk-hand, tc.extra, "allocations beyond the hand-written request")
		})
	}
}

// TestRotatingSecretIsCheap bounds what registering and dropping a token
// costs when it rotates on every answer (the uztgs session): a token of
// URL-safe characters is its own JSON and HTML form, so only the escaped
// and base64 forms are built (86 allocations a value before this bound).
// A value with characters to escape still gets every form, as
// FuzzRedactEchoes checks.
func TestRotatingSecretIsCheap(t *testing.T) {
	const token = "xT9k2LmQp0vZr8aBcD3eFg"
	assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { _ = secretForms(token) }), 10.0)
	var s Secrets
	assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { s.Add(token); s.Remove(token) }), 20.0)
	assert.Equal(t, 0, s.Len())
}
