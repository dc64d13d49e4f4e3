package paruskaz_test

import (
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/internal/testkit"
	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/paruskaz/paruskaztest"
)

// inProcess returns a client that reaches srv without a socket, so that a
// synctest bubble's clock drives the rate limit and the fake's window.
func inProcess(t *testing.T, srv *paruskaztest.Server, opts ...paruskaz.Option) *paruskaz.Client {
	t.Helper()
	hc := &http.Client{Transport: &fakekit.HandlerTransport{Handler: srv.Handler()}}
	base := []paruskaz.Option{paruskaz.WithHTTPClient(hc), paruskaz.WithBaseURL("http://" + hostFor(t) + paruskaztest.BasePath), paruskaz.WithRetryWait(100*time.Millisecond, 2*time.Second)}
	c, err := paruskaz.New(paruskaztest.DefaultAPIKey, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// hostSeq makes hostFor's names unique across runs of the same test
// (go test -count=N): the client-side limiter is shared by host for the
// whole process, and one made in an earlier synctest bubble must not be
// met again.
var hostSeq atomic.Int64

// hostFor names a host of the test's own, so its rate limiter is its own.
func hostFor(t *testing.T) string {
	h := fmt.Sprintf("r%d-", hostSeq.Add(1))
	for _, r := range t.Name() {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			h += string(r)
		} else {
			h += "-"
		}
	}
	return h + ".fake.test"
}

// turnstileLog is a deterministic log of n passes at 40 institutions,
// generated on demand so that a million events need not be held.
type turnstileLog struct {
	bins, iins []string
	start      time.Time
}

func newLog() *turnstileLog {
	l := &turnstileLog{start: time.Date(2024, 1, 13, 7, 0, 0, 0, time.FixedZone("", 5*3600))}
	for i := range 40 {
		l.bins = append(l.bins, testkit.IINBIN(fmt.Sprintf("%06d40%03d", 100000+i*7, i)))
	}
	for i := range 5000 {
		l.iins = append(l.iins, testkit.IINBIN(fmt.Sprintf("%02d%02d%02d3%04d", 70+i%30, 1+i%12, 1+i%28, i)))
	}
	return l
}

func (l *turnstileLog) event(i int) paruskaz.Event {
	return paruskaz.Event{
		BIN: l.bins[i%40], OrgName: "КГУ «Школа №" + strconv.Itoa(i%40) + "»",
		Time: l.start.Add(time.Duration(i) * time.Second), IIN: l.iins[i%5000],
		FIO: "Посетитель " + strconv.Itoa(i%5000), Note: []string{"", "корпус 1", `вход "А"`}[i%3],
	}
}

func (l *turnstileLog) events(n int) func(func(paruskaz.Event) bool) {
	return func(yield func(paruskaz.Event) bool) {
		for i := range n {
			if !yield(l.event(i)) {
				return
			}
		}
	}
}

// stored is what the fake should hold for event e.
func stored(e paruskaz.Event) paruskaztest.Event {
	return paruskaztest.Event{BIN: e.BIN, OrgName: e.OrgName, DateTime: e.Time.Format(paruskaz.DateTimeLayout), IIN: e.IIN, FIO: e.FIO, Note: e.Note}
}

// assertAtMostTwoPerSecond checks every one-second window.
func assertAtMostTwoPerSecond(t *testing.T, at []time.Time) {
	t.Helper()
	for i := 2; i < len(at); i++ {
		require.GreaterOrEqual(t, at[i].Sub(at[i-2]), time.Second, "three requests within one second (%d..%d)", i-2, i)
	}
}

// A million events arrive exactly as sent, in requests under the limit, at
// no more than two requests per second.
func TestUploadMillion(t *testing.T) {
	if raceEnabled {
		t.Skip("a million events under -race take minutes; .ci/run runs this test without -race")
	}
	const n = 1_000_000
	const limit = 2_000_000
	srv := paruskaztest.NewServer() // outside the bubble: its listener waits on the network
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, paruskaz.WithMaxBodyBytes(limit))
		l := newLog()
		res, err := c.Upload(t.Context(), l.events(n))
		require.NoError(t, err)
		assert.Equal(t, n, res.Delivered)
		assert.Empty(t, res.Pending)
		require.Equal(t, n, srv.Count())
		for i := range n {
			if !srv.Has(stored(l.event(i))) {
				t.Fatalf("event %d missing or changed", i)
			}
		}
		st := srv.Stats()
		assert.LessOrEqual(t, st.MaxBodySeen, int64(limit), "no request over the limit")
		assert.Equal(t, res.Requests, st.Accepted)
		assert.Zero(t, st.RateLimited, "the client never tripped the server's limit")
		assert.Greater(t, res.Requests, 50)
		assertAtMostTwoPerSecond(t, srv.AcceptedTimes())
	})
}

// The same kind of upload through 5xx, 429 with Retry-After, dropped
// connections, lost answers and cut bodies still delivers every event once.
func TestUploadThroughFaults(t *testing.T) {
	const n = 30_000
	srv := paruskaztest.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, paruskaz.WithMaxBodyBytes(200_000), paruskaz.WithMaxRetries(12))
		srv.Faults.Add(
			paruskaztest.Fault{Status: http.StatusInternalServerError, Body: `{"message": "Втнутренняя ошибка сервера"}`, Times: 2},
			paruskaztest.Fault{Status: http.StatusServiceUnavailable},
			paruskaztest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 3 * time.Second, Body: `{"message":"slow down"}`},
			paruskaztest.Fault{Drop: true, Times: 2},
			paruskaztest.Fault{DropResponse: true},
			paruskaztest.Fault{Truncate: true},
			paruskaztest.Fault{Status: http.StatusBadGateway},
		)
		l := newLog()
		res, err := c.Upload(t.Context(), l.events(n))
		require.NoError(t, err)
		assert.Equal(t, n, res.Delivered)
		assert.Zero(t, srv.Faults.Pending(), "every fault was hit")
		require.Equal(t, n, srv.Count(), "nothing lost, nothing twice")
		for i := range n {
			require.True(t, srv.Has(stored(l.event(i))), "event %d", i)
		}
		assert.Positive(t, srv.Stats().Duplicates, "the batch whose answer was lost was sent again and de-duplicated")
		assertAtMostTwoPerSecond(t, srv.AcceptedTimes())
	})
}

func TestPermanentBadKeyDeliversNothing(t *testing.T) {
	srv := paruskaztest.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		hc := &http.Client{Transport: &fakekit.HandlerTransport{Handler: srv.Handler()}}
		c, err := paruskaz.New("not-the-key", paruskaz.WithHTTPClient(hc), paruskaz.WithBaseURL("http://"+hostFor(t)+paruskaztest.BasePath), paruskaz.WithMaxBodyBytes(50_000))
		require.NoError(t, err)
		l := newLog()
		events := make([]paruskaz.Event, 2000)
		for i := range events {
			events[i] = l.event(i)
		}
		res, err := c.UploadSlice(t.Context(), events)
		require.ErrorIs(t, err, paruskaz.ErrUnauthorized)
		assert.Zero(t, res.Delivered, "not one event delivered")
		require.Len(t, res.Pending, res.Read, "the events taken in are pending; the rest were never read")
		taken := map[paruskaztest.Event]bool{}
		for _, e := range events[:res.Read] {
			taken[stored(e)] = true
		}
		for i, e := range res.Pending {
			assert.True(t, taken[stored(e)], "pending %d is one of the events taken in", i)
		}
		assert.Zero(t, srv.Count())
		assert.Equal(t, 1, srv.Stats().Unauthorized, "a 401 is not retried")
	})
}

func TestFakeAcceptsExactlyTheLimit(t *testing.T) {
	l := newLog()
	events := make([]paruskaz.Event, 50)
	for i := range events {
		events[i] = l.event(i)
	}
	probe := paruskaztest.NewServer()
	defer probe.Close()
	synctest.Test(t, func(t *testing.T) {
		_, err := inProcess(t, probe).UploadSlice(t.Context(), events)
		require.NoError(t, err)
	})
	exact := probe.Stats().MaxBodySeen // one request holding all 50 events

	for _, tc := range []struct {
		limit    int64
		requests int
	}{{exact, 1}, {exact - 1, 2}} {
		cfg := paruskaztest.DefaultConfig()
		cfg.MaxBodyBytes = tc.limit
		srv := paruskaztest.NewServerWith(cfg)
		defer srv.Close()
		synctest.Test(t, func(t *testing.T) {
			c := inProcess(t, srv, paruskaz.WithMaxBodyBytes(int(tc.limit)))
			res, err := c.UploadSlice(t.Context(), events)
			require.NoError(t, err)
			assert.Equal(t, tc.requests, res.Requests, "limit %d", tc.limit)
			assert.Equal(t, 50, srv.Count())
			assert.Zero(t, srv.Stats().TooLarge)
			assert.LessOrEqual(t, srv.Stats().MaxBodySeen, tc.limit)
		})
	}
}
