package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

// watched returns the attempts w is watching, oldest first.
func watched(w *watchdog) []*attemptCtx {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []*attemptCtx
	for a := w.head; a != nil; a = a.next {
		out = append(out, a)
	}
	return out
}

// TestWatchdogEndsEachAttemptAtItsDeadline: attempts started at different
// times, some ending early, each end exactly at their own deadline, and the
// watchdog forgets every attempt that ended.
func TestWatchdogEndsEachAttemptAtItsDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := watchdog{shared: true}
		const d = time.Minute
		start := time.Now()
		type run struct {
			a     *attemptCtx
			ended time.Duration
		}
		var (
			mu   sync.Mutex
			runs []*run
		)
		for i := range 6 {
			a := w.start(context.Background(), d)
			dl, ok := a.Deadline()
			require.True(t, ok)
			assert.Equal(t, start.Add(time.Duration(i)*10*time.Second+d), dl)
			r := &run{a: a}
			mu.Lock()
			runs = append(runs, r)
			mu.Unlock()
			go func() {
				<-a.Done()
				mu.Lock()
				r.ended = time.Since(start)
				mu.Unlock()
			}()
			if i == 1 || i == 4 {
				a.end() // answered in time
			}
			if i < 5 {
				time.Sleep(10 * time.Second)
			}
		}
		synctest.Wait()
		assert.Len(t, watched(&w), 4, "at 50 s, the attempts that ended are forgotten")
		time.Sleep(2 * d)
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		for i, r := range runs {
			if i == 1 || i == 4 {
				assert.Equal(t, time.Duration(i)*10*time.Second, r.ended, "attempt %d ended when it was done", i)
				assert.ErrorIs(t, r.a.Err(), context.Canceled)
				continue
			}
			assert.Equal(t, time.Duration(i)*10*time.Second+d, r.ended, "attempt %d ended at its deadline", i)
			assert.ErrorIs(t, r.a.Err(), context.DeadlineExceeded)
		}
		assert.Empty(t, watched(&w))
		w.mu.Lock()
		assert.False(t, w.armed, "no timer is left once nothing is watched")
		w.mu.Unlock()

		// A later attempt arms a new timer.
		a := w.start(context.Background(), d)
		time.Sleep(d)
		synctest.Wait()
		assert.ErrorIs(t, a.Err(), context.DeadlineExceeded)
	})
}

// TestAttemptFollowsTheCallsContext: the call's context ending ends the
// attempt with its cause; an attempt of a context that has ended already
// is not watched; its values come through.
func TestAttemptFollowsTheCallsContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := watchdog{shared: true}
		type key struct{}
		cause := errors.New("caller gave up")
		parent, cancel := context.WithCancelCause(context.WithValue(context.Background(), key{}, "v"))
		a := w.start(parent, time.Minute)
		assert.Equal(t, "v", a.Value(key{}))
		assert.NoError(t, a.Err())
		cancel(cause)
		synctest.Wait()
		<-a.Done()
		assert.ErrorIs(t, a.Err(), cause)
		assert.Empty(t, watched(&w))

		b := w.start(parent, time.Minute)
		synctest.Wait()
		assert.ErrorIs(t, b.Err(), cause)
		assert.Empty(t, watched(&w), "an attempt of an ended call is not watched")

		// The attempt ending first stops the watch of the call's context.
		parent2, cancel2 := context.WithCancel(context.Background())
		defer cancel2()
		c := w.start(parent2, time.Minute)
		c.end()
		cancel2()
		synctest.Wait()
		assert.ErrorIs(t, c.Err(), context.Canceled)
	})
}

// TestAttemptChildren: a context derived from an attempt (as net/http
// derives one per request) registers with it, ends with it, and
// unregisters when it ends first; one derived after the end ends at once.
func TestAttemptChildren(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := watchdog{shared: true}
		a := w.start(context.Background(), time.Minute)
		early, cancelEarly := context.WithCancel(a)
		late, cancelLate := context.WithCancel(a)
		defer cancelLate()
		a.mu.Lock()
		assert.Len(t, a.afters, 2, "both children registered, no goroutine")
		a.mu.Unlock()
		cancelEarly()
		a.mu.Lock()
		assert.Len(t, a.afters, 1, "the child that ended first unregistered")
		a.mu.Unlock()
		assert.ErrorIs(t, early.Err(), context.Canceled)
		assert.NoError(t, late.Err())

		time.Sleep(time.Minute)
		synctest.Wait()
		assert.ErrorIs(t, late.Err(), context.DeadlineExceeded)
		assert.ErrorIs(t, context.Cause(late), context.DeadlineExceeded)

		after, cancelAfter := context.WithCancel(a)
		defer cancelAfter()
		assert.ErrorIs(t, after.Err(), context.DeadlineExceeded, "derived from an ended attempt")
		ran := make(chan struct{})
		stop := a.AfterFunc(func() { close(ran) })
		<-ran
		assert.False(t, stop(), "too late to stop")
	})
}

// TestAttemptBoundOverHTTP: concurrent calls over real HTTP connections
// each get the attempt bound from the moment their attempt starts, and a
// retry gets a fresh one; the watchdog is empty afterwards.
func TestAttemptBoundOverHTTP(t *testing.T) {
	for _, shared := range []bool{false, true} {
		t.Run(map[bool]string{false: "own timers", true: "shared timer"}[shared], func(t *testing.T) {
			testAttemptBoundOverHTTP(t, shared)
		})
	}
}

func testAttemptBoundOverHTTP(t *testing.T, shared bool) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		srv := fakekit.NewPipeServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := calls.Add(1)
			if strings.HasSuffix(r.URL.Path, "/slow") && n <= 3 {
				// Headers now, then a body that never ends.
				w.WriteHeader(http.StatusOK)
				_, _ = io.WriteString(w, "{")
				w.(http.Flusher).Flush()
				<-r.Context().Done()
				return
			}
			_, _ = io.WriteString(w, "ok")
		}))
		defer srv.Close()
		c, err := New(Config{BaseURL: srv.URL, RetryWaitMin: time.Second, RetryWaitMax: time.Second,
			HTTPClient: &http.Client{Transport: srv.Transport()}})
		require.NoError(t, err)
		c.attemptTimeout = 30 * time.Second
		c.watchdog.shared = shared
		start := time.Now()
		var wg sync.WaitGroup
		took := make([]time.Duration, 3)
		for i := range 3 {
			wg.Go(func() {
				time.Sleep(time.Duration(i) * 5 * time.Second)
				resp, err := c.Do(context.Background(), &Request{Path: "slow"})
				if assert.NoError(t, err) {
					assert.Equal(t, "ok", string(resp.Body))
					assert.Equal(t, 2, resp.Attempts)
				}
				took[i] = time.Since(start)
			})
		}
		wg.Wait()
		for i, d := range took {
			// One attempt cut at its bound, a wait of at most 1 s (full
			// jitter), an answer.
			cut := time.Duration(i)*5*time.Second + 30*time.Second
			assert.GreaterOrEqual(t, d, cut, "call %d", i)
			assert.LessOrEqual(t, d, cut+time.Second, "call %d", i)
		}
		assert.Empty(t, watched(&c.watchdog))
	})
}

// TestAttemptInABubbleHasItsOwnTimer: in a synctest bubble an attempt gets
// a timer of its own, on the bubble's clock, so a client used outside
// bubbles first (its shared timer armed on the real clock) still bounds
// its attempts inside one; outside bubbles the attempts share the
// watchdog's timer.
func TestAttemptInABubbleHasItsOwnTimer(t *testing.T) {
	arrived := make(chan struct{})
	var first sync.Once
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/v1/stuck" {
			first.Do(func() { close(arrived) })
			<-r.Context().Done() // never answers
			return nil, r.Context().Err()
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("ok")), ContentLength: 2, Request: r}, nil
	})
	c, err := New(Config{BaseURL: testBase, MaxRetries: -1, HTTPClient: &http.Client{Transport: rt}})
	require.NoError(t, err)
	c.attemptTimeout = time.Minute

	// Outside a bubble: the shared timer is armed, on the real clock.
	held := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() { <-held; cancel() }()
		_, _ = c.Do(ctx, &Request{Path: "stuck"})
	}()
	<-arrived
	require.Len(t, watched(&c.watchdog), 1, "an attempt outside a bubble is watched by the shared timer")
	c.watchdog.mu.Lock()
	assert.True(t, c.watchdog.armed)
	c.watchdog.mu.Unlock()

	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		_, err := c.Do(context.Background(), &Request{Path: "stuck"})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Minute, time.Since(start), "ended on the bubble's clock")
		assert.Len(t, watched(&c.watchdog), 1, "only the attempt from outside is watched")
	})
	close(held)
	<-done
	assert.Empty(t, watched(&c.watchdog))
}

// TestAttemptEndsWithAnAnswerThatComesWithAnError: a RoundTripper that
// returns an answer together with an error (net/http drops the answer, so
// nobody closes its body) still ends the attempt at once, instead of
// leaving it watched until its deadline.
func TestAttemptEndsWithAnAnswerThatComesWithAnError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			body := io.NopCloser(strings.NewReader("x"))
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: body, Request: r}, errors.New("broken")
		})
		c, err := New(Config{BaseURL: testBase, MaxRetries: -1, HTTPClient: &http.Client{Transport: rt}})
		require.NoError(t, err)
		c.attemptTimeout = time.Minute
		c.watchdog.shared = true
		_, err = c.Do(context.Background(), &Request{Path: "x"})
		require.Error(t, err)
		assert.Empty(t, watched(&c.watchdog), "the attempt ended with its call")
	})
}
