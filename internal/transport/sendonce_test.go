package transport

import (
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoRetryGETIsNotResentByNetHTTP: when a kept-alive connection closes
// after a GET was written but before its answer, net/http itself sends a
// bodiless GET again on a new connection. A NoRetry GET (it may be billed)
// must reach the server once: the loss comes back as an error that may
// have been delivered.
func TestNoRetryGETIsNotResentByNetHTTP(t *testing.T) {
	var reached atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reached.Add(1) == 2 {
			// The second request is read, then its connection closes
			// without an answer.
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, HTTPClient: srv.Client()})
	require.NoError(t, err)
	var reused []bool
	ctx := httptrace.WithClientTrace(t.Context(), &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { reused = append(reused, i.Reused) }})
	_, err = c.Do(ctx, &Request{Path: "/billed", NoRetry: true})
	require.NoError(t, err)
	_, err = c.Do(ctx, &Request{Path: "/billed", NoRetry: true})
	require.ErrorIs(t, err, ErrTransport, "the lost answer is returned")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.True(t, e.MaybeDelivered, "the server may have acted on it")
	// Meaningful only if the lost request went out on the kept-alive
	// connection, the case in which net/http resends.
	require.Equal(t, []bool{false, true}, reused, "connections taken (reused or not)")
	assert.EqualValues(t, 2, reached.Load(), "requests that reached the server")
}
