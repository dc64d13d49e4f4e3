package session

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

// rotating counts a request in n and answers with a new token and the
// body parts sent on body, one write per part, ending when body is closed.
func rotating(n *atomic.Int64, body <-chan string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h := w.Header()
		h["access-token"] = []string{"tok-new"}
		h["client"] = []string{"cl-1"}
		h["uid"] = []string{"u@x"}
		h["expiry"] = []string{"100"}
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		for part := range body {
			_, _ = io.WriteString(w, part)
			w.(http.Flusher).Flush()
		}
	}
}

func resumed(t *testing.T, cfg Config) *Session {
	s := New(cfg)
	require.NoError(t, s.Resume(t.Context(), Headers{AccessToken: "tok-old", Client: "cl-1", UID: "u@x", Expiry: 10}))
	return s
}

// TestBodyReadEndsWithTheCaller: the request is sent with a context the
// caller's does not cancel (so that its answer is awaited for the token),
// but once the answer is handed over its body is read under the caller's
// context: when that ends, a blocked Read returns the caller's error.
func TestBodyReadEndsWithTheCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int64
		body := make(chan string)
		p := fakekit.NewPipeServer(rotating(&n, body))
		defer p.Close()
		defer close(body)
		s := resumed(t, Config{})
		// With a Timeout, http.Client wraps the answer's body in its own
		// (as the transport's layers do): the session must close the body
		// it got, not read resp.Body again.
		hc := &http.Client{Transport: s.Transport(p.Transport()), Timeout: time.Hour}
		// The caller's context ends on its own (a timer, not this
		// goroutine), while the body is read.
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, fakekit.PipeURL+"/data", nil)
		require.NoError(t, err)
		resp, err := hc.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, "tok-new", s.Headers().AccessToken, "the answer's token is taken with its headers")
		body <- "part"
		buf := make([]byte, 16)
		got, err := resp.Body.Read(buf)
		require.NoError(t, err)
		assert.Equal(t, "part", string(buf[:got]))

		start := time.Now()
		_, err = resp.Body.Read(buf) // the server sends nothing more
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Minute, time.Since(start), "the read ended with the caller's context")
	})
}

// TestAbandonedAnswerWaitsAnswerWait: a caller that gives up returns at
// once; the answer is still awaited for its token, for AnswerWait, and
// the next request waits for it (requests are serialised). An answer that
// does not come within AnswerWait is lost.
func TestAbandonedAnswerWaitsAnswerWait(t *testing.T) {
	for _, tc := range []struct {
		name    string
		hold    time.Duration
		lost    int64
		abandon int64
	}{
		{"answered within AnswerWait", 5 * time.Second, 0, 1},
		{"not answered within AnswerWait", 20 * time.Second, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var n, arrived atomic.Int64
				body := make(chan string)
				close(body)
				p := fakekit.NewPipeServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if arrived.Add(1) == 1 { // the first answer is held
						select {
						case <-time.After(tc.hold):
						case <-r.Context().Done():
							return
						}
					}
					rotating(&n, body)(w, r)
				}))
				defer p.Close()
				s := resumed(t, Config{AnswerWait: 10 * time.Second})
				hc := &http.Client{Transport: s.Transport(p.Transport())}
				get := func(ctx context.Context) error {
					req, err := http.NewRequestWithContext(ctx, http.MethodGet, fakekit.PipeURL+"/data", nil)
					require.NoError(t, err)
					resp, err := hc.Do(req)
					if err != nil {
						return err
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					return resp.Body.Close()
				}
				ctx, cancel := context.WithTimeout(t.Context(), time.Second)
				defer cancel()
				start := time.Now()
				assert.ErrorIs(t, get(ctx), context.DeadlineExceeded)
				assert.Equal(t, time.Second, time.Since(start), "the caller returns when its context ends")

				// The next request goes out after the first answer settled.
				require.NoError(t, get(t.Context()))
				st := s.Stats()
				assert.Equal(t, int64(2), arrived.Load(), "requests that reached the server")
				assert.Equal(t, tc.lost, st.LostAnswers)
				assert.Equal(t, tc.abandon, st.AbandonedAnswers)
				if tc.lost == 0 {
					assert.Equal(t, tc.hold, time.Since(start), "the second request waited for the first answer")
				} else {
					// AnswerWait counts from when the caller gave up.
					assert.Equal(t, 11*time.Second, time.Since(start), "the second request waited AnswerWait after the first caller gave up")
				}
			})
		})
	}
}
