package transport

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallOptions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{})
		var seen http.Header
		calls := 0
		mt.RegisterResponder(http.MethodGet, testBase+"/x", func(r *http.Request) (*http.Response, error) {
			calls++
			seen = r.Header.Clone()
			if calls == 1 {
				return httpmock.NewStringResponse(503, ""), nil
			}
			resp := httpmock.NewStringResponse(200, `{}`)
			resp.Header.Set("X-Request-Id", "rid-9")
			resp.Header.Set("X-RateLimit-Remaining", "41")
			return resp, nil
		})
		var info ResponseInfo
		ctx := WithCall(context.Background(), CallHeader("X-Correlation-Id", "c-1"), CallResponse(&info))
		_, err := c.Do(ctx, &Request{Path: "x", Header: http.Header{"User-Agent": {"mine"}}})
		require.NoError(t, err)
		assert.Equal(t, "c-1", seen.Get("X-Correlation-Id"))
		assert.Equal(t, "mine", seen.Get("User-Agent"), "the request's own headers win")
		assert.Equal(t, ResponseInfo{StatusCode: 200, Header: info.Header, RequestID: "rid-9", Attempts: 2}, info)
		assert.Equal(t, "41", info.Header.Get("X-RateLimit-Remaining"))

		// CallRetries(0): the 503 comes back at once.
		calls = 0
		_, err = c.Do(WithCall(context.Background(), CallRetries(0)), &Request{Path: "x"})
		require.ErrorIs(t, err, ErrServer)
		assert.Equal(t, 1, calls)

		// Nested WithCall adds to the outer options.
		calls = 1
		ctx = WithCall(WithCall(context.Background(), CallHeader("A", "1")), CallHeader("B", "2"))
		_, err = c.Do(ctx, &Request{Path: "x"})
		require.NoError(t, err)
		assert.Equal(t, "1", seen.Get("A"))
		assert.Equal(t, "2", seen.Get("B"))
	})
}

func TestCallTimeoutAndMoreRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{MaxRetries: 1})
		calls := 0
		mt.RegisterResponder(http.MethodGet, testBase+"/x", func(r *http.Request) (*http.Response, error) {
			calls++
			resp := httpmock.NewStringResponse(503, "")
			resp.Header.Set("Retry-After", "1")
			return resp, nil
		})
		_, err := c.Do(WithCall(context.Background(), CallRetries(5)), &Request{Path: "x"})
		require.ErrorIs(t, err, ErrServer)
		assert.Equal(t, 6, calls, "more retries than the client's for this call")

		calls = 0
		start := time.Now()
		_, err = c.Do(WithCall(context.Background(), CallRetries(5), CallTimeout(2500*time.Millisecond)), &Request{Path: "x"})
		// At 2 s the next wait (Retry-After 1 s) would pass the call's
		// 2.5 s: the 503 is returned with the server's delay instead.
		require.ErrorIs(t, err, ErrServer)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, time.Second, e.RetryAfter)
		assert.Equal(t, 2*time.Second, time.Since(start))
		assert.Equal(t, 3, calls, "sent at 0 s, 1 s and 2 s")
	})
}
