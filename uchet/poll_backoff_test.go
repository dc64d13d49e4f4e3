package uchet

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scriptedAnswer is one answer of a scriptResponder.
type scriptedAnswer struct {
	status     int
	body       string
	retryAfter string
}

// scriptResponder gives its answers in turn (the last one for ever) and
// records when each request came.
type scriptResponder struct {
	mu      sync.Mutex
	answers []scriptedAnswer
	at      []time.Time
}

func (s *scriptResponder) respond(*http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.at = append(s.at, time.Now())
	a := s.answers[min(len(s.at), len(s.answers))-1]
	resp := httpmock.NewStringResponse(a.status, a.body)
	if a.retryAfter != "" {
		resp.Header.Set("Retry-After", a.retryAfter)
	}
	return resp, nil
}

func (s *scriptResponder) gaps() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Duration
	for i := 1; i < len(s.at); i++ {
		out = append(out, s.at[i].Sub(s.at[i-1]))
	}
	return out
}

func ok(done int) scriptedAnswer { return scriptedAnswer{status: 200, body: statusBody(done, 0)} }

var internalError = scriptedAnswer{status: 500, body: "Internal Server Error"}

// TestPollBackoffGrowsFromTheIntervalAndIsCapped: after a failed poll the
// poller waits the interval then due, doubling with each failure in a row
// up to the back-off cap; the poll interval does not grow meanwhile.
func TestPollBackoffGrowsFromTheIntervalAndIsCapped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMocked(t)
		seq := &scriptResponder{answers: []scriptedAnswer{ok(0), internalError, internalError, internalError, ok(10), ok(20)}}
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", seq.respond)
		var seen []int
		st, err := c.WaitUpdate(t.Context(), docBIN, func(s *UpdateStatus) { seen = append(seen, s.Processed) }, WithPollBackoff(4*time.Second))
		require.NoError(t, err)
		assert.True(t, st.Complete())
		assert.Equal(t, []int{0, 10, 20}, seen)
		// 1 s after the first answer; the interval due is then 1.5 s:
		// back-offs of 1.5, 3 and 4 (capped) s; then the interval due,
		// still 1.5 s.
		assert.Equal(t, []time.Duration{time.Second, 1500 * time.Millisecond, 3 * time.Second, 4 * time.Second, 1500 * time.Millisecond}, seq.gaps())
	})
}

// TestPollBackoffHonoursRetryAfter: a Retry-After longer than the back-off
// is waited out, up to the back-off cap.
func TestPollBackoffHonoursRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMocked(t, WithMaxRetries(0))
		seq := &scriptResponder{answers: []scriptedAnswer{
			{status: 429, retryAfter: "10"},
			{status: 503, retryAfter: "600"},
			ok(20),
		}}
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", seq.respond)
		st, err := c.WaitUpdate(t.Context(), docBIN, nil, WithPollBackoff(time.Minute))
		require.NoError(t, err)
		assert.True(t, st.Complete())
		assert.Equal(t, []time.Duration{10 * time.Second, time.Minute}, seq.gaps())
	})
}

// TestTransientClassification: which failures the poller rides out.
func TestTransientClassification(t *testing.T) {
	cases := []struct {
		status int
		body   string
		want   bool
	}{
		{500, "oops", true},
		{502, "", true},
		{503, "", true},
		{504, "", true},
		{429, "", true},
		{408, "", true},
		{500, `{"detail":{"code":"limit_exceeded","message":"later"}}`, true},
		{500, `{"detail":{"code":"token_error","message":"token is not found"}}`, false},
		{503, `{"detail":{"code":"not_found","message":"company not found"}}`, false},
		{400, `{"detail":{"code":"iin_bin_validation_error","message":"iin_bin is not valid"}}`, false},
		{401, `{"detail":"Not authenticated"}`, false},
		{403, "", false},
		{404, `{"detail":"Not Found"}`, false},
		{405, "", false},
		{200, `{"error":"maintenance"}`, false},
		{200, `{"detail":{"code":"limit_exceeded","message":"later"}}`, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d %s", tc.status, tc.body), func(t *testing.T) {
			c, mt := newMocked(t, WithMaxRetries(0))
			mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(tc.status, tc.body))
			_, err := c.UpdateStatus(context.Background(), docBIN)
			require.Error(t, err)
			assert.Equal(t, tc.want, transient(err), "%v", err)
		})
	}
	assert.False(t, transient(invalid("iin_bin", "must be 12 digits")))
	assert.False(t, transient(context.Canceled))
	assert.False(t, transient(errors.New("other")))

	// A connection that fails is transient.
	c, mt := newMocked(t, WithMaxRetries(0))
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewErrorResponder(errors.New("connection reset by peer")))
	_, err := c.UpdateStatus(context.Background(), docBIN)
	require.ErrorIs(t, err, ErrTransport)
	assert.True(t, transient(err))
}

// TestPollContextEndsDuringARequest: a request cut short by the caller's
// context is not counted as a transient failure; the poll ends at once.
func TestPollContextEndsDuringARequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMocked(t)
		ctx, cancel := context.WithCancel(t.Context())
		calls := 0
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", func(r *http.Request) (*http.Response, error) {
			calls++
			cancel()
			<-r.Context().Done()
			return nil, r.Context().Err()
		})
		st, err := c.WaitUpdate(ctx, docBIN, nil)
		require.ErrorIs(t, err, context.Canceled)
		assert.NotContains(t, err.Error(), "waiting to poll again", "no back-off was begun")
		assert.Nil(t, st)
		assert.Equal(t, 1, calls)
	})
}
