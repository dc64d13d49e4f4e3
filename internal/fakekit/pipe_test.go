package fakekit

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pipeServer serves s's handler (recorder and faults included) over
// in-memory connections and closes it when the test ends. Call it inside
// a synctest bubble.
func pipeServer(t *testing.T, s *Server) *PipeServer {
	t.Helper()
	p := NewPipeServer(s.Config.Handler)
	t.Cleanup(p.Close)
	return p
}

// TestPipeServer: an answer, the client's address, and a Client.Timeout
// that ends the handler's wait, all on the bubble's clock.
func TestPipeServer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		handlerEnded := make(chan error, 1)
		p := NewPipeServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/slow" {
				if !Sleep(r.Context(), time.Hour) {
					handlerEnded <- r.Context().Err()
				}
				return
			}
			host, port, err := net.SplitHostPort(r.RemoteAddr)
			assert.NoError(t, err)
			assert.NotEmpty(t, port)
			_, _ = io.WriteString(w, host)
		}))
		defer p.Close()
		assert.Equal(t, PipeURL, p.URL)

		resp, body := do(t, p.Client(), http.MethodGet, p.URL+"/who", "")
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "192.0.2.1", body)

		start := time.Now()
		c := &http.Client{Transport: p.Transport(), Timeout: time.Minute}
		resp, err := c.Get(p.URL + "/slow")
		if resp != nil {
			resp.Body.Close()
		}
		require.Error(t, err)
		var ne net.Error
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout())
		assert.Equal(t, time.Minute, time.Since(start), "the timeout, on the bubble's clock")
		assert.ErrorIs(t, <-handlerEnded, context.Canceled, "the handler's context ended with the connection")
	})
}

// TestPipeServerClosed: after Close, a request fails at once.
func TestPipeServerClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPipeServer(okHandler)
		p.Close()
		_, err := p.Client().Get(p.URL)
		require.Error(t, err)
		assert.True(t, errors.Is(err, net.ErrClosed), "%v", err)
	})
}

// TestPipeServerDrop: a Drop fault closes the in-memory connection as it
// would a socket.
func TestPipeServerDrop(t *testing.T) {
	s := newServer(t, okHandler)
	synctest.Test(t, func(t *testing.T) {
		p := pipeServer(t, s)
		s.Faults.Add(Fault{Drop: true})
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, p.URL, strings.NewReader("x"))
		require.NoError(t, err)
		resp, err := p.Client().Do(req)
		if resp != nil {
			resp.Body.Close()
		}
		require.Error(t, err)
		assert.ErrorIs(t, err, io.EOF)
		_, body := do(t, p.Client(), http.MethodGet, p.URL, "")
		assert.Equal(t, okBody, body)
	})
}
