package session

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/testkit"
)

// TestLostAnswerIsNotResent: when a kept-alive connection closes after a
// GET was written but before its answer, net/http sends a bodiless GET
// again on a new connection, with the same headers, so with a token the
// server may just have replaced. The session's requests must not be sent
// again that way: the loss has to come back to the session, which counts
// it and recovers by signing in again.
func TestLostAnswerIsNotResent(t *testing.T) {
	srv, reached := testkit.LoseSecondAnswer(t)
	s := New(Config{})
	ctx := context.Background()
	require.NoError(t, s.Resume(ctx, Headers{AccessToken: "tok-1", Client: "cl-1", UID: "u@x"}))
	hc := &http.Client{Transport: s.Transport(srv.Client().Transport)}
	var reused []bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { reused = append(reused, i.Reused) }})
	get := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/data", nil)
		require.NoError(t, err)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body) // to EOF: the connection goes back to the pool
		return resp.Body.Close()
	}
	require.NoError(t, get())
	require.Error(t, get(), "the lost answer is returned")
	// The test means something only if the lost request went out on the
	// kept-alive connection, the case in which net/http resends.
	require.Equal(t, []bool{false, true}, reused, "connections taken (reused or not)")
	assert.EqualValues(t, 2, reached.Load(), "requests that reached the server")
	assert.EqualValues(t, 1, s.Stats().LostAnswers)
}
