package uztgs_test

// Recovery per token generation: lost answers, cancelled calls, loops left
// early and unconfirmed sign-outs, against the fake with its faults.

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// recoveryClient is a client of srv that signs in with the password (or,
// with headersOnly, resumes headers from a sign-in made beforehand).
func recoveryClient(t *testing.T, srv *uztgstest.Server, headersOnly bool, opts ...uztgs.Option) *uztgs.Client {
	t.Helper()
	base := []uztgs.Option{uztgs.WithBaseURL(srv.BaseURL()), uztgs.WithRetryWait(time.Millisecond, 2*time.Millisecond), uztgs.WithSignOutOnClose(false)}
	if headersOnly {
		first, err := uztgs.New(append(append(base, opts...), uztgs.WithPassword(uztgstest.DefaultEmail, uztgstest.DefaultPassword))...)
		require.NoError(t, err)
		_, err = first.SignIn(t.Context())
		require.NoError(t, err)
		base = append(base, uztgs.WithHeaders(first.Headers()))
	} else {
		base = append(base, uztgs.WithPassword(uztgstest.DefaultEmail, uztgstest.DefaultPassword))
	}
	c, err := uztgs.New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// stationIDs lists the station ids of the fake's data set.
func stationIDs(srv *uztgstest.Server) []int64 {
	var ids []int64
	for _, st := range srv.Dataset().Stations {
		ids = append(ids, st.ID)
	}
	return ids
}

// countGETs counts the data requests the fake received.
func countGETs(srv *uztgstest.Server) int {
	n := 0
	for _, r := range srv.Recorder.Requests() {
		if r.Method == http.MethodGet {
			n++
		}
	}
	return n
}

// TestLostAnswersUnderConcurrency: the fake rotates the token on every
// answer (strict) or batches within 5 s (default), and every 3rd or 7th
// answer is lost after the server handled the request. 64 goroutines share
// one client and list the stations 6 times each (384 listings of 3 pages).
// Every listing must come back exact, and the client may sign in at most
// once per lost answer, plus the first sign-in.
func TestLostAnswersUnderConcurrency(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   uztgstest.Config
		every int
	}{
		{"strict every 3rd", uztgstest.StrictConfig(), 3},
		{"strict every 7th", uztgstest.StrictConfig(), 7},
		{"batch window every 3rd", uztgstest.DefaultConfig(), 3},
		{"batch window every 7th", uztgstest.DefaultConfig(), 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := uztgstest.NewServerWith(tc.cfg)
			defer srv.Close()
			srv.Faults.Add(uztgstest.Fault{Method: http.MethodGet, DropResponse: true, Every: tc.every, Times: -1})
			c := recoveryClient(t, srv, false)
			want := stationIDs(srv)

			const goroutines, listings = 64, 6
			var (
				wg       sync.WaitGroup
				mu       sync.Mutex
				failures []error
				wrong    int
			)
			for range goroutines {
				wg.Go(func() {
					for range listings {
						var got []int64
						var err error
						for st, e := range c.Stations(t.Context(), uztgs.PageParams{PerPage: 20}) {
							if e != nil {
								err = e
								break
							}
							got = append(got, st.ID)
						}
						mu.Lock()
						if err != nil {
							failures = append(failures, err)
						} else if !slices.Equal(got, want) {
							wrong++
						}
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			srv.Faults.Clear()
			for i, err := range failures {
				if i == 3 {
					break
				}
				t.Errorf("listing failed: %v", err)
			}
			require.Empty(t, failures, "%d of %d listings failed", len(failures), goroutines*listings)
			require.Zero(t, wrong, "listings that were not exact")

			lost := countGETs(srv) / tc.every
			fake, st := srv.Stats(), c.Stats()
			t.Logf("%d GETs, %d answers lost; fake: %d sign-ins, %d rotations, %d batch answers, %d 401s; client: %+v",
				countGETs(srv), lost, fake.SignIns, fake.Rotations, fake.BatchAnswers, fake.AuthFailures, st)
			assert.LessOrEqual(t, fake.SignIns, lost+1, "at most one sign-in per lost answer, plus the first")
			assert.EqualValues(t, fake.SignIns, st.SignIns, "the client counts every sign-in")
			assert.EqualValues(t, st.SignIns-1, st.ReSignIns)
			assert.EqualValues(t, lost, st.LostAnswers, "the client sees every lost answer")
		})
	}
}

// TestExportUnderLostAnswers: Export with 10 sessions, every 7th answer
// lost, delivers every record of every station exactly once.
func TestExportUnderLostAnswers(t *testing.T) {
	srv := uztgstest.NewServerWith(uztgstest.StrictConfig())
	defer srv.Close()
	c := recoveryClient(t, srv, false)
	day := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	params := uztgs.ExportParams{Type: uztgs.Hourly, From: day, To: day.Add(24 * time.Hour), Sessions: 10, PerPage: 10}

	// The same export without faults is the reference.
	want := map[int64][]time.Time{}
	for r, err := range c.Export(t.Context(), params) {
		require.NoError(t, err)
		want[r.Station.ID] = append(want[r.Station.ID], r.Record.Time)
	}
	require.Len(t, want, len(srv.Dataset().Stations))

	srv.Faults.Add(uztgstest.Fault{Method: http.MethodGet, DropResponse: true, Every: 7, Times: -1})
	got := map[int64][]time.Time{}
	for r, err := range c.Export(t.Context(), params) {
		if err != nil {
			// Sessions whose answers were lost were signed in again, and
			// with 10 sessions already open the server evicted others:
			// their sign-out is reported, their records still count.
			var ee *uztgs.ExportError
			require.True(t, errors.As(err, &ee), "%v", err)
			require.Empty(t, ee.Failed, "%v", err)
			require.Empty(t, ee.NotExported, "%v", err)
			t.Logf("sessions not signed out: %d (%v)", len(ee.NotSignedOut), err)
			continue
		}
		got[r.Station.ID] = append(got[r.Station.ID], r.Record.Time)
	}
	srv.Faults.Clear()
	for id, times := range want {
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		g := got[id]
		slices.SortFunc(g, func(a, b time.Time) int { return a.Compare(b) })
		require.Equal(t, times, g, "station %d", id)
	}
	require.Len(t, got, len(want))
	st := c.Stats()
	t.Logf("client stats after both exports: %+v; fake sessions left: %d", st, srv.Sessions(uztgstest.DefaultEmail))
	assert.Positive(t, st.LostAnswers)
}

// TestCancelledCallKeepsTheToken: a call whose context ends while the
// server holds its answer (having rotated the token) returns at once; the
// next call goes out with the token of that answer: no 401, no sign-in.
func TestCancelledCallKeepsTheToken(t *testing.T) {
	for _, headersOnly := range []bool{false, true} {
		name := "password"
		if headersOnly {
			name = "headers only"
		}
		t.Run(name, func(t *testing.T) {
			srv := uztgstest.NewServerWith(uztgstest.StrictConfig())
			defer srv.Close()
			// In a synctest bubble over in-memory connections, the hold
			// lasts on the bubble's clock: the call is always cancelled
			// while the answer is held, however loaded the machine.
			synctest.Test(t, func(t *testing.T) {
				p := fakekit.NewPipeServer(srv.Config.Handler)
				defer p.Close()
				c := recoveryClient(t, srv, headersOnly, uztgs.WithHTTPClient(p.Client()))
				_, err := c.CustomersPage(t.Context(), uztgs.PageParams{})
				require.NoError(t, err)
				before := srv.Stats()

				// A hold shorter than the session's AnswerWait (30 s): the
				// abandoned answer still arrives, with its new token.
				srv.Faults.Add(uztgstest.Fault{Method: http.MethodGet, Hold: 5 * time.Second})
				ctx, cancel := context.WithCancel(t.Context())
				done := make(chan error, 1)
				go func() {
					_, err := c.StationsPage(ctx, uztgs.PageParams{})
					done <- err
				}()
				// Cancel once the server has handled the request (and
				// rotated) and holds the answer back.
				synctest.Wait()
				require.Greater(t, srv.Stats().Rotations, before.Rotations)
				select {
				case err := <-done:
					t.Fatalf("the call ended before it was cancelled: %v", err)
				default:
				}
				cancel()
				require.ErrorIs(t, <-done, context.Canceled, "the caller gets its context error")

				_, err = c.CustomersPage(t.Context(), uztgs.PageParams{})
				require.NoError(t, err)
				after := srv.Stats()
				assert.Equal(t, before.AuthFailures, after.AuthFailures, "no 401")
				assert.Equal(t, before.SignIns, after.SignIns, "no new sign-in")
				assert.EqualValues(t, 1, c.Stats().AbandonedAnswers)
				require.NoError(t, c.SignOut(t.Context()), "the session is alive and signs out")
			})
		})
	}
}

// TestPrefetchLeftEarly: a prefetching loop left early five times (its
// prefetch request cancelled after the server rotated) costs no 401 and
// no sign-in.
func TestPrefetchLeftEarly(t *testing.T) {
	srv := uztgstest.NewServerWith(uztgstest.StrictConfig())
	defer srv.Close()
	c := recoveryClient(t, srv, false, uztgs.WithPrefetch(true))
	_, err := c.CustomersPage(t.Context(), uztgs.PageParams{})
	require.NoError(t, err)
	before := srv.Stats()
	for range 5 {
		// The second page is held, so the prefetch is still out when the
		// loop ends after the first item.
		srv.Faults.Add(uztgstest.Fault{Method: http.MethodGet, Hold: 50 * time.Millisecond, Every: 2})
		for _, err := range c.Stations(t.Context(), uztgs.PageParams{PerPage: 5}) {
			require.NoError(t, err)
			break
		}
	}
	_, err = c.CustomersPage(t.Context(), uztgs.PageParams{})
	require.NoError(t, err)
	after := srv.Stats()
	assert.Equal(t, before.AuthFailures, after.AuthFailures, "no 401")
	assert.Equal(t, before.SignIns, after.SignIns, "no new sign-in")
	assert.Zero(t, c.Stats().Unauthorized)
	t.Logf("client stats: %+v", c.Stats())
}

// TestSignOutMustBeConfirmed: Close after the server answered 404 to the
// sign-out, and a {"success": false} answer, are errors.
func TestSignOutMustBeConfirmed(t *testing.T) {
	srv := uztgstest.NewServer()
	defer srv.Close()
	c := recoveryClient(t, srv, false, uztgs.WithSignOutOnClose(true))
	_, err := c.CustomersPage(t.Context(), uztgs.PageParams{})
	require.NoError(t, err)
	srv.RevokeSessions(uztgstest.DefaultEmail) // the server forgets the session: sign-out gets 404
	err = c.Close()
	require.ErrorIs(t, err, uztgs.ErrSignOutUnconfirmed)
	require.ErrorIs(t, err, uztgs.ErrNotFound)
	assert.False(t, c.Headers().Usable(), "the session is forgotten all the same")

	_, err = c.CustomersPage(t.Context(), uztgs.PageParams{})
	require.NoError(t, err)
	srv.Faults.Add(uztgstest.Fault{Method: http.MethodDelete, Status: http.StatusOK, Body: `{"success":false}`})
	err = c.Close()
	require.ErrorIs(t, err, uztgs.ErrDecode)
	assert.True(t, c.Headers().Usable(), "unconfirmed: the session is kept to try again")
	require.NoError(t, c.Close())
}

// TestExportReportsSessionsNotSignedOut: Export's error names the extra
// sessions whose sign-out the server did not confirm.
func TestExportReportsSessionsNotSignedOut(t *testing.T) {
	srv := uztgstest.NewServer()
	defer srv.Close()
	c := recoveryClient(t, srv, false)
	day := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	srv.Faults.Add(uztgstest.Fault{Method: http.MethodDelete, Status: http.StatusNotFound, Body: `{"success":false,"errors":["User was not found or was not logged in."]}`, Times: 2})
	page, err := c.StationsPage(t.Context(), uztgs.PageParams{PerPage: 4})
	require.NoError(t, err)
	records := 0
	var last error
	for _, err := range c.Export(t.Context(), uztgs.ExportParams{Type: uztgs.Hourly, From: day, To: day.Add(24 * time.Hour), Sessions: 4, Stations: page.Items}) {
		if err != nil {
			last = err
			continue
		}
		records++
	}
	var ee *uztgs.ExportError
	require.True(t, errors.As(last, &ee), "%v", last)
	assert.Empty(t, ee.Failed)
	assert.Empty(t, ee.NotExported)
	assert.Len(t, ee.NotSignedOut, 2)
	assert.ErrorIs(t, last, uztgs.ErrSignOutUnconfirmed)
	assert.Contains(t, last.Error(), "2 session(s) not signed out")
	assert.Positive(t, records)
}

// TestGETsCarryNoBody: on the wire, a session GET has no body, no
// Content-Length and no Transfer-Encoding, although the session gives
// net/http an empty body that it cannot rewind.
func TestGETsCarryNoBody(t *testing.T) {
	srv := uztgstest.NewServer()
	defer srv.Close()
	var bad atomic.Int32
	wire := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && (r.ContentLength != 0 || len(r.TransferEncoding) > 0 || r.Header.Get("Content-Length") != "") {
			bad.Add(1)
		}
		srv.Config.Handler.ServeHTTP(w, r)
	}))
	defer wire.Close()
	c, err := uztgs.New(uztgs.WithBaseURL(wire.URL+uztgstest.APIPath+"/"), uztgs.WithPassword(uztgstest.DefaultEmail, uztgstest.DefaultPassword), uztgs.WithSignOutOnClose(false))
	require.NoError(t, err)
	for range 3 {
		_, err = c.StationsPage(t.Context(), uztgs.PageParams{})
		require.NoError(t, err)
	}
	assert.Zero(t, bad.Load())
}
