package uchet_test

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
)

// statusPath is the path of update_status on the fake, for faults.
const statusPath = uchettest.APIPath + "update_status/"

// faulted returns how many requests the fake received and how many of
// them a fault answered (they never reached the fake's handler).
func faulted(srv *uchettest.Server) (requests, faults int) {
	requests = len(srv.Requests())
	return requests, requests - srv.Stats().StatusRequests
}

// TestWaitUpdateRidesOutA500: a 500 (which the transport does not retry)
// in the middle of an update costs one back-off, not the wait.
func TestWaitUpdateRidesOutA500(t *testing.T) {
	srv := uchettest.NewServer()
	defer srv.Close()
	// The 3rd and 6th status requests fail.
	srv.Faults.Add(uchettest.Fault{Path: statusPath, Status: http.StatusInternalServerError, Every: 3, Times: 2})
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, uchettest.DefaultToken)
		var seen []int
		st, err := c.WaitUpdate(t.Context(), uchettest.SeedBIN, func(s *uchet.UpdateStatus) { seen = append(seen, s.Processed) })
		require.NoError(t, err)
		require.NotNil(t, st)
		assert.True(t, st.Complete())
		assert.Equal(t, 20, st.Success)
		requests, faults := faulted(srv)
		assert.Equal(t, 2, faults, "both 500s were met")
		assert.Len(t, seen, requests-faults, "every answered poll is reported, failed ones are not")
		for i := 1; i < len(seen); i++ {
			assert.GreaterOrEqual(t, seen[i], seen[i-1])
		}
		assert.Zero(t, srv.Faults.Pending())
	})
}

// TestPollUpdateDoesNotYieldTransientFailures: the iterator yields
// snapshots only, so a loop that returns on its first error survives.
func TestPollUpdateDoesNotYieldTransientFailures(t *testing.T) {
	srv := uchettest.NewServer()
	defer srv.Close()
	srv.Faults.Add(uchettest.Fault{Path: statusPath, Status: http.StatusBadGateway, Every: 2, Times: 3},
		uchettest.Fault{Path: statusPath, Drop: true, Every: 5, Times: 2})
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, uchettest.DefaultToken)
		var last *uchet.UpdateStatus
		for st, err := range c.PollUpdate(t.Context(), uchettest.SeedBIN) {
			require.NoError(t, err)
			require.NotNil(t, st)
			last = st
		}
		require.NotNil(t, last)
		assert.True(t, last.Complete())
		_, faults := faulted(srv)
		assert.Equal(t, 5, faults)
	})
}

// TestPollFailureCountResets: the limit counts failures in a row; a
// successful poll starts the count again.
func TestPollFailureCountResets(t *testing.T) {
	srv := uchettest.NewServer()
	defer srv.Close()
	// Every second request fails, for ever: never two in a row.
	srv.Faults.Add(uchettest.Fault{Path: statusPath, Status: http.StatusInternalServerError, Every: 2, Times: -1})
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, uchettest.DefaultToken)
		st, err := c.WaitUpdate(t.Context(), uchettest.SeedBIN, nil, uchet.WithMaxPollFailures(1))
		require.NoError(t, err)
		assert.True(t, st.Complete())
		_, faults := faulted(srv)
		assert.Greater(t, faults, 3, "far more failures than the limit, none of them in a row")
	})
}

// TestPollGivesUpAfterTheLimit: one failure more than the limit in a row
// ends the wait with an error matching the failure's kind, and the last
// status received comes with it.
func TestPollGivesUpAfterTheLimit(t *testing.T) {
	cases := []struct {
		name     string
		fault    uchettest.Fault
		sentinel error
		perPoll  int // requests per poll: the transport retries some failures
	}{
		{"500", uchettest.Fault{Status: http.StatusInternalServerError}, uchet.ErrServer, 1},
		{"503", uchettest.Fault{Status: http.StatusServiceUnavailable}, uchet.ErrServer, 4},
		{"429", uchettest.Fault{Status: http.StatusTooManyRequests}, uchet.ErrRateLimited, 4},
		{"dropped connection", uchettest.Fault{Drop: true}, uchet.ErrTransport, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := uchettest.NewServer()
			defer srv.Close()
			synctest.Test(t, func(t *testing.T) {
				c := inProcess(t, srv, uchettest.DefaultToken)
				var snapshots []*uchet.UpdateStatus
				var before int
				st, err := c.WaitUpdate(t.Context(), uchettest.SeedBIN, func(s *uchet.UpdateStatus) {
					snapshots = append(snapshots, s)
					if len(snapshots) == 3 { // the outage starts after the third snapshot
						f := tc.fault
						f.Path, f.Times = statusPath, -1
						srv.Faults.Add(f)
						before = len(srv.Requests())
					}
				}, uchet.WithMaxPollFailures(2))
				require.ErrorIs(t, err, tc.sentinel)
				assert.Contains(t, err.Error(), "gave up after 3 failed status requests in a row")
				var te *uchet.Error
				require.ErrorAs(t, err, &te, "the transport error is reachable")
				assert.NotContains(t, err.Error(), uchettest.DefaultToken)
				require.Len(t, snapshots, 3)
				require.NotNil(t, st, "the last status received comes with the error")
				assert.Same(t, snapshots[2], st)
				assert.False(t, st.Complete())
				assert.Equal(t, 3*tc.perPoll, len(srv.Requests())-before, "the limit, then one more")
			})
		})
	}
}

// TestPollDefaultLimit: with the default limit, five failures in a row
// are ridden out and the sixth ends the poll, after waits doubling from
// the poll interval.
func TestPollDefaultLimit(t *testing.T) {
	srv := uchettest.NewServer()
	defer srv.Close()
	srv.Faults.Add(uchettest.Fault{Path: statusPath, Status: http.StatusInternalServerError, Times: -1})
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, uchettest.DefaultToken)
		start := time.Now()
		st, err := c.WaitUpdate(t.Context(), uchettest.SeedBIN, nil)
		require.ErrorIs(t, err, uchet.ErrServer)
		assert.Nil(t, st, "no status was ever received")
		reqs := srv.Requests()
		require.Len(t, reqs, uchet.DefaultMaxPollFailures+1)
		var gaps []time.Duration
		for i := 1; i < len(reqs); i++ {
			gaps = append(gaps, reqs[i].At.Sub(reqs[i-1].At))
		}
		assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}, gaps)
		assert.Equal(t, 31*time.Second, time.Since(start))
	})
}

// TestPollStopsAtOnceOnLastingErrors: errors that another request would
// not cure end the poll at the first occurrence.
func TestPollStopsAtOnceOnLastingErrors(t *testing.T) {
	t.Run("not_found", func(t *testing.T) {
		srv := uchettest.NewServer()
		defer srv.Close()
		synctest.Test(t, func(t *testing.T) {
			c := inProcess(t, srv, uchettest.DefaultToken)
			st, err := c.WaitUpdate(t.Context(), uchettest.UnknownBIN, nil)
			require.ErrorIs(t, err, uchet.ErrCompanyNotFound)
			assert.NotContains(t, err.Error(), "gave up")
			assert.Nil(t, st)
			assert.Len(t, srv.Requests(), 1)
		})
	})
	t.Run("token_error", func(t *testing.T) {
		srv := uchettest.NewServer()
		defer srv.Close()
		synctest.Test(t, func(t *testing.T) {
			c := inProcess(t, srv, "00000000000000000000000000000000")
			for st, err := range c.PollUpdate(t.Context(), uchettest.SeedBIN) {
				require.ErrorIs(t, err, uchet.ErrToken)
				assert.Nil(t, st)
			}
			assert.Len(t, srv.Requests(), 1)
		})
	})
	t.Run("token_error with a 5xx status", func(t *testing.T) {
		// The documentation gives no status for its codes: the code
		// decides, not the status.
		srv := uchettest.NewServer()
		defer srv.Close()
		srv.Faults.Add(uchettest.Fault{Path: statusPath, Status: http.StatusInternalServerError, Times: -1,
			Body: `{"detail":{"code":"token_error","message":"token is not found"}}`})
		synctest.Test(t, func(t *testing.T) {
			c := inProcess(t, srv, uchettest.DefaultToken)
			_, err := c.WaitUpdate(t.Context(), uchettest.SeedBIN, nil)
			require.ErrorIs(t, err, uchet.ErrToken)
			assert.Len(t, srv.Requests(), 1)
		})
	})
	t.Run("FastAPI 404 in the middle", func(t *testing.T) {
		srv := uchettest.NewServer()
		defer srv.Close()
		synctest.Test(t, func(t *testing.T) {
			c := inProcess(t, srv, uchettest.DefaultToken)
			var first *uchet.UpdateStatus
			st, err := c.WaitUpdate(t.Context(), uchettest.SeedBIN, func(s *uchet.UpdateStatus) {
				if first == nil {
					first = s
					srv.Faults.Add(uchettest.Fault{Path: statusPath, Status: http.StatusNotFound, Body: `{"detail":"Not Found"}`, Times: -1})
				}
			})
			require.ErrorIs(t, err, uchet.ErrNotFound)
			assert.Same(t, first, st)
			assert.Len(t, srv.Requests(), 2)
		})
	})
}

// TestPollContextEndsDuringBackoff: the wait after a failed poll ends the
// moment the context does, with the context's error, which still names
// the failure being waited out.
func TestPollContextEndsDuringBackoff(t *testing.T) {
	srv := uchettest.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, uchettest.DefaultToken)
		// Polls: 0 s answered, 1 s a 500, then a back-off of 1.5 s during
		// which the deadline (2 s) passes.
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		start := time.Now()
		var first *uchet.UpdateStatus
		st, err := c.WaitUpdate(ctx, uchettest.SeedBIN, func(s *uchet.UpdateStatus) {
			first = s
			srv.Faults.Add(uchettest.Fault{Path: statusPath, Status: http.StatusInternalServerError, Times: -1})
		})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, uchet.ErrServer, "the failure being waited out stays reachable")
		assert.Equal(t, 2*time.Second, time.Since(start), "returned at the deadline, not at the end of the back-off")
		assert.Same(t, first, st)
		assert.Len(t, srv.Requests(), 2)

		// Cancelled from another goroutine in the middle of a long back-off.
		ctx2, cancel2 := context.WithCancel(t.Context())
		start = time.Now()
		time.AfterFunc(10*time.Second, cancel2)
		n := 0
		var last error
		for st, err := range c.PollUpdate(ctx2, uchettest.SeedBIN, uchet.WithPollInterval(30*time.Second, time.Minute)) {
			n++
			assert.Nil(t, st)
			last = err
		}
		require.ErrorIs(t, last, context.Canceled)
		assert.ErrorIs(t, last, uchet.ErrServer)
		assert.Equal(t, 1, n, "the failure itself is not yielded")
		assert.Equal(t, 10*time.Second, time.Since(start))
		srv.Faults.Clear()
	})
}

// TestPollOptionsValidated: bad poll options are refused before any
// request, naming the option.
func TestPollOptionsValidated(t *testing.T) {
	srv := uchettest.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, uchettest.DefaultToken)
		cases := []struct {
			opt   uchet.PollOption
			field string
		}{
			{uchet.WithMaxPollFailures(-1), "max poll failures"},
			{uchet.WithPollBackoff(0), "poll backoff"},
			{uchet.WithPollBackoff(-time.Second), "poll backoff"},
			{uchet.WithPollInterval(0, time.Second), "poll interval"},
		}
		for _, tc := range cases {
			st, err := c.WaitUpdate(t.Context(), uchettest.SeedBIN, nil, tc.opt)
			var ve *uchet.ValidationError
			require.ErrorAs(t, err, &ve, tc.field)
			assert.Equal(t, tc.field, ve.Field)
			assert.ErrorIs(t, err, uchet.ErrValidation)
			assert.Nil(t, st)
		}
		assert.Empty(t, srv.Requests(), "nothing was sent")

		// A limit of 0 is valid: the first failure ends the poll, as is.
		srv.Faults.Add(uchettest.Fault{Path: statusPath, Status: http.StatusInternalServerError})
		_, err := c.WaitUpdate(t.Context(), uchettest.SeedBIN, nil, uchet.WithMaxPollFailures(0))
		require.ErrorIs(t, err, uchet.ErrServer)
		assert.NotContains(t, err.Error(), "gave up")
		assert.Len(t, srv.Requests(), 1)
	})
}
