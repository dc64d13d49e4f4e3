package transport

import (
	"net/http/httptrace"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/testkit"
)

// TestNoRetryGETIsNotResentByNetHTTP: when a kept-alive connection closes
// after a GET was written but before its answer, net/http itself sends a
// bodiless GET again on a new connection. A NoRetry GET (it may be billed)
// must reach the server once: the loss comes back as an error that may
// have been delivered.
func TestNoRetryGETIsNotResentByNetHTTP(t *testing.T) {
	srv, reached := testkit.LoseSecondAnswer(t)
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
