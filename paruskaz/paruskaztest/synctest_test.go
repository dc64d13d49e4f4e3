package paruskaztest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handlerTransport is an http.RoundTripper that serves every request
// in-process with h, as if it came from remote.
type handlerTransport struct {
	h      http.Handler
	remote string
}

// RoundTrip serves req into a ResponseRecorder.
func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.RequestURI = req.URL.RequestURI()
	r.RemoteAddr = t.remote
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	if r.Body == nil {
		r.Body = http.NoBody
	}
	defer r.Body.Close()
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// TestSynctestBubble shows that the rate limit and the latency follow a
// testing/synctest bubble's clock when the handler is served in-process:
// the test covers seconds of fake time without waiting.
func TestSynctestBubble(t *testing.T) {
	limited := NewServer() // servers are started outside the bubble
	defer limited.Close()
	slow := NewServerWith(Config{Latency: 5 * time.Second})
	defer slow.Close()

	synctest.Test(t, func(t *testing.T) {
		client := &http.Client{Transport: handlerTransport{h: limited.Handler(), remote: "192.0.2.7:5000"}}
		send := func(c *http.Client) int {
			t.Helper()
			resp, err := c.Do(newPost(t, "http://paruskaz.test"+DataSetPath, strings.NewReader(validBody)))
			require.NoError(t, err)
			return readAnswer(t, resp).status
		}
		t0 := time.Now()
		assert.Equal(t, http.StatusOK, send(client))
		assert.Equal(t, http.StatusOK, send(client))
		assert.Equal(t, http.StatusTooManyRequests, send(client))
		time.Sleep(999 * time.Millisecond)
		assert.Equal(t, http.StatusTooManyRequests, send(client))
		time.Sleep(time.Millisecond)
		assert.Equal(t, http.StatusOK, send(client))
		assert.Equal(t, time.Second, time.Since(t0))
		assert.Equal(t, []time.Time{t0, t0, t0.Add(time.Second)}, limited.AcceptedTimes())

		slowClient := &http.Client{Transport: handlerTransport{h: slow.Handler(), remote: "192.0.2.8:5000"}}
		t1 := time.Now()
		assert.Equal(t, http.StatusOK, send(slowClient))
		assert.Equal(t, 5*time.Second, time.Since(t1))
	})
	assert.Equal(t, 2, limited.Stats().RateLimited)
	assert.Equal(t, 1, limited.Count())
	assert.Equal(t, 1, slow.Stats().Accepted)
}
