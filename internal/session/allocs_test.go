//go:build !race

package session

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// TestPerCallAllocations bounds what a session adds to a call: the same
// GET through the same transport and in-memory RoundTripper, once through
// Session.Do and the session's Transport, and once without a session. The
// answers keep the token (blank, as devise_token_auth answers within its
// batch window): registering a new token as a secret costs the transport's
// Secrets, not the session. The race detector changes allocation counts,
// so the test does not run under it.
func TestPerCallAllocations(t *testing.T) {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		h := http.Header{}
		if r.Header.Get(HeaderAccessToken) != "" {
			h[keyAccessToken] = blank
			h[keyClient] = client
		}
		return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(`{"ok":true}`)),
			ContentLength: 11, Request: r}, nil
	})
	ctx := context.Background()
	s := New(Config{SignIn: func(context.Context) error { return nil }})
	require.NoError(t, s.Resume(ctx, Headers{AccessToken: "tok-0", Client: "cl-1", UID: "u@x", Expiry: 4_000_000_000})) // 2096
	withSession, err := transport.New(transport.Config{API: "test", BaseURL: "https://api.example/", Auth: s.Transport,
		HTTPClient: &http.Client{Transport: rt}, Secrets: new(transport.Secrets)})
	require.NoError(t, err)
	plain, err := transport.New(transport.Config{API: "test", BaseURL: "https://api.example/",
		HTTPClient: &http.Client{Transport: rt}, Secrets: new(transport.Secrets)})
	require.NoError(t, err)
	req := &transport.Request{Path: "data", Idempotent: true}

	sdk := testing.AllocsPerRun(200, func() {
		err := s.Do(ctx, func(ctx context.Context) error {
			_, err := withSession.Do(ctx, req)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	require.Greater(t, s.Stats().BlankAnswers, int64(200), "the answers went through the session")
	bare := testing.AllocsPerRun(200, func() {
		if _, err := plain.Do(ctx, req); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%.0f allocations with the session, %.0f without", sdk, bare)
	// The session's own share (13 when written): the request's copy, its
	// header map and values, its context, the flight goroutine, the
	// answer's body and the call's context.
	assert.LessOrEqual(t, sdk-bare, 14.0, "allocations the session adds to a call")
}

var (
	blank  = []string{" "}
	client = []string{"cl-1"}
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
