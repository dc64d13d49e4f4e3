//go:build !race

package transport

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A perCallCase is one request sent through Do and the same request
// written by hand with net/http (http.NewRequestWithContext, the API key,
// a Content-Type for a body, Client.Do, the body read and closed).
type perCallCase struct {
	name string
	sdk  func() error
	hand func() error
}

// perCallCases returns a GET and a POST of a JSON body, both sides through
// one in-memory RoundTripper, the SDK's client with its own per-attempt
// timeout and an API key in AuthHeader.
func perCallCases(tb testing.TB) []perCallCase {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			_ = r.Body.Close()
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"message":"OK"}`)),
			ContentLength: 16, Request: r}, nil
	})
	key := []string{"k3y"}
	c, err := New(Config{BaseURL: testBase, HTTPClient: &http.Client{Transport: rt}, AuthHeader: func(context.Context) (string, []string) { return "X-Api-Key", key }})
	require.NoError(tb, err)
	c.attemptTimeout = DefaultTimeout
	hc := &http.Client{Transport: rt}
	ctx := context.Background()
	body := []byte(`{"a":1}`)
	var out []perCallCase
	for _, r := range []*Request{
		{Path: "tasks"},
		{Method: http.MethodPost, Path: "cises/info", Body: body, ContentType: "application/json", Idempotent: true},
	} {
		method := cmp.Or(r.Method, http.MethodGet)
		out = append(out, perCallCase{name: method, sdk: func() error {
			_, err := c.Do(ctx, r)
			return err
		}, hand: func() error {
			var rd io.Reader
			if r.Body != nil {
				rd = bytes.NewReader(body)
			}
			req, err := http.NewRequestWithContext(ctx, method, testBase+"/"+r.Path, rd)
			if err != nil {
				return err
			}
			req.Header["X-Api-Key"] = key
			if rd != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := hc.Do(req)
			if err != nil {
				return err
			}
			if _, err := io.ReadAll(resp.Body); err != nil {
				return err
			}
			return resp.Body.Close()
		}})
	}
	return out
}

// TestPerCallAllocations bounds what Do allocates beyond the same request
// sent by hand (perCallCases). The race detector changes allocation
// counts, so the test does not run under it.
func TestPerCallAllocations(t *testing.T) {
	for _, tc := range perCallCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			count := func(call func() error) float64 {
				return testing.AllocsPerRun(200, func() {
					if err := call(); err != nil {
						t.Fatal(err)
					}
				})
			}
			sdk, hand := count(tc.sdk), count(tc.hand)
			t.Logf("%s: %.0f allocations through Do, %.0f by hand", tc.name, sdk, hand)
			assert.LessOrEqual(t, sdk-hand, 4.0, "allocations beyond the hand-written request")
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

// BenchmarkPerCall is the transport's own CPU cost per call without a
// network: each of perCallCases through Do (sdk) and by hand.
func BenchmarkPerCall(b *testing.B) {
	for _, tc := range perCallCases(b) {
		for side, call := range map[string]func() error{"sdk": tc.sdk, "hand": tc.hand} {
			b.Run(tc.name+"/"+side, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := call(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
