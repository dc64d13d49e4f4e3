package paginate

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Rule 7: while the consumer works on page N, page N+1 is fetched, and
// never page N+2.
func TestPrefetchOverlapsAtMostOnePageAhead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newAPI(4, 2)
		var vals []int
		for v, err := range Items(t.Context(), 1, api.fetch, WithPrefetch(true)) {
			require.NoError(t, err)
			if v%2 == 0 { // last item of a page: let the background fetch run
				synctest.Wait()
				page := v / 2
				want := seq(1, min(page+1, 4))
				assert.Equal(t, want, api.Calls(), "while consuming page %d", page)
			}
			vals = append(vals, v)
		}
		assert.Equal(t, seq(1, 8), vals)
		assert.Equal(t, seq(1, 4), api.Calls())
	})
}

// Without prefetch nothing happens in the background.
func TestNoPrefetchByDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newAPI(3, 2)
		for v, err := range Items(t.Context(), 1, api.fetch, WithPrefetch(false)) {
			require.NoError(t, err)
			if v == 2 {
				synctest.Wait()
				assert.Equal(t, []int{1}, api.Calls())
			}
		}
	})
}

// blockingAPI serves page 1 immediately and blocks every later fetch until
// its context is cancelled; it records that the goroutine saw the
// cancellation and exited.
type blockingAPI struct {
	*fakeAPI
	started   atomic.Int32
	cancelled atomic.Int32
	exited    atomic.Int32
}

func newBlockingAPI() *blockingAPI {
	b := &blockingAPI{fakeAPI: newAPI(3, 2)}
	b.before = func(ctx context.Context, cursor int) {
		if cursor == 1 {
			return
		}
		b.started.Add(1)
		defer b.exited.Add(1)
		<-ctx.Done()
		b.cancelled.Add(1)
	}
	b.errAt[2] = context.Canceled // what an HTTP client returns after cancellation
	return b
}

// Rules 6 and 7: breaking out while a prefetch is in flight cancels it and
// waits for its goroutine before the range statement completes.
func TestPrefetchBreakCancelsAndWaits(t *testing.T) {
	for _, useItems := range []bool{true, false} {
		t.Run(fmt.Sprintf("items=%v", useItems), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := newBlockingAPI()
				if useItems {
					for range Items(context.Background(), 1, api.fetch, WithPrefetch(true)) {
						synctest.Wait() // the prefetch of page 2 is now blocked
						require.EqualValues(t, 1, api.started.Load())
						break
					}
				} else {
					for range Pages(context.Background(), 1, api.fetch, WithPrefetch(true)) {
						synctest.Wait()
						require.EqualValues(t, 1, api.started.Load())
						break
					}
				}
				// No synctest.Wait here: the engine itself must have waited.
				assert.EqualValues(t, 1, api.cancelled.Load(), "in-flight prefetch not cancelled")
				assert.EqualValues(t, 1, api.exited.Load(), "prefetch goroutine still running after the loop")
				assert.Equal(t, []int{1, 2}, api.Calls())
			})
		})
	}
}

// Rules 6 and 7 without synctest: a goroutine count check with a short retry
// loop over many partial iterations.
func TestPrefetchNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := range 50 {
		api := newAPI(5, 3)
		stopAt := i%15 + 1
		for v, err := range Items(t.Context(), 1, api.fetch, WithPrefetch(true)) {
			require.NoError(t, err)
			if v == stopAt {
				break
			}
		}
		blocking := newBlockingAPI()
		for range Items(t.Context(), 1, blocking.fetch, WithPrefetch(true)) {
			break
		}
		require.EqualValues(t, blocking.started.Load(), blocking.exited.Load())
	}
	// The prefetch goroutines have been told to stop; give them time to
	// be scheduled. The bound only guards against a leak hanging the
	// test: a loaded machine slows the loop, it does not change the
	// verdict.
	after := runtime.NumGoroutine()
	for deadline := time.Now().Add(10 * time.Second); after > before && time.Now().Before(deadline); after = runtime.NumGoroutine() {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, after, before, "goroutines leaked")
}

// Rules 7 and 8: ctx cancelled by the consumer while a prefetch is in flight.
func TestPrefetchContextCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		api := newBlockingAPI()
		var vals []int
		var errs []error
		for v, err := range Items(ctx, 1, api.fetch, WithPrefetch(true)) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			vals = append(vals, v)
			cancel()
		}
		assert.Equal(t, []int{1, 2}, vals)
		require.Len(t, errs, 1)
		require.ErrorIs(t, errs[0], context.Canceled)
		var pe *PageError
		require.ErrorAs(t, errs[0], &pe)
		assert.Equal(t, 2, pe.Cursor)
		assert.Equal(t, []int{1, 2}, api.Calls())
		assert.EqualValues(t, 1, api.exited.Load())
	})
}

// Rule 8 with a deadline: fake time in the bubble makes this instantaneous.
func TestDeadlineExceededBeforeFetch(t *testing.T) {
	for _, prefetch := range []bool{false, true} {
		t.Run(fmt.Sprintf("prefetch=%v", prefetch), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				defer cancel()
				api := newAPI(3, 2)
				var errs []error
				n := 0
				for _, err := range Items(ctx, 1, api.fetch, WithPrefetch(prefetch)) {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					n++
					if n == 2 {
						time.Sleep(2 * time.Second) // slow consumer: the deadline passes
					}
				}
				assert.Equal(t, 2, n)
				require.Len(t, errs, 1)
				require.ErrorIs(t, errs[0], context.DeadlineExceeded)
			})
		})
	}
}

// A panicking consumer still cancels and waits for the prefetch.
func TestPrefetchConsumerPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newBlockingAPI()
		assert.PanicsWithValue(t, "consumer", func() {
			for range Items(context.Background(), 1, api.fetch, WithPrefetch(true)) {
				synctest.Wait()
				panic("consumer")
			}
		})
		assert.EqualValues(t, 1, api.started.Load())
		assert.EqualValues(t, 1, api.exited.Load())
	})
}

// A panic in a prefetching fetch is re-raised on the consumer's goroutine
// instead of crashing the process from the background goroutine.
func TestPrefetchFetchPanicIsPropagated(t *testing.T) {
	newPanicking := func() *fakeAPI {
		api := newAPI(3, 2)
		api.before = func(_ context.Context, cursor int) {
			if cursor == 2 {
				panic("fetch exploded")
			}
		}
		return api
	}
	t.Run("consumed", func(t *testing.T) {
		api := newPanicking()
		var vals []int
		assert.PanicsWithValue(t, "fetch exploded", func() {
			for v := range Items(t.Context(), 1, api.fetch, WithPrefetch(true)) {
				vals = append(vals, v)
			}
		})
		assert.Equal(t, []int{1, 2}, vals)
	})
	t.Run("consumer broke out", func(t *testing.T) {
		api := newPanicking()
		assert.PanicsWithValue(t, "fetch exploded", func() {
			for range Items(t.Context(), 1, api.fetch, WithPrefetch(true)) {
				break
			}
		})
	})
}
