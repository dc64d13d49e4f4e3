package uztgs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

func fastRetries() []uztgs.Option {
	return []uztgs.Option{uztgs.WithRetryWait(time.Millisecond, 5*time.Millisecond)}
}

func newClient(t testing.TB, srv *uztgstest.Server, opts ...uztgs.Option) *uztgs.Client {
	t.Helper()
	base := append([]uztgs.Option{uztgs.WithBaseURL(srv.BaseURL()), uztgs.WithPassword(uztgstest.DefaultEmail, uztgstest.DefaultPassword)}, fastRetries()...)
	c, err := uztgs.New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func strictServer(t testing.TB) *uztgstest.Server {
	srv := uztgstest.NewServerWith(uztgstest.StrictConfig())
	t.Cleanup(srv.Close)
	return srv
}

var week = struct{ from, to time.Time }{time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)}

// 64 goroutines share one client for 2,000 requests against a fake on
// which every request rotates the token and the old one dies at once.
func TestSharedClientStrictFake(t *testing.T) {
	srv := strictServer(t)
	c := newClient(t, srv)
	ctx := t.Context()
	stations, err := c.StationsPage(ctx, uztgs.PageParams{PerPage: 100})
	require.NoError(t, err)
	st := stations.Items

	const total = 2000
	var next, failures atomic.Int64
	next.Store(1) // the stations page above was request 1
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Go(func() {
			for next.Add(1) <= total {
				s := st[(g+int(next.Load()))%len(st)]
				var err error
				switch next.Load() % 4 {
				case 0:
					_, err = c.CustomersPage(ctx, uztgs.PageParams{Page: 1, PerPage: 5})
				case 1:
					_, err = c.ArchivePage(ctx, s.Archive(uztgs.Hourly, week.from, week.from))
				case 2:
					_, err = c.SettingsPage(ctx, uztgs.SettingsParams{StationID: s.ID, EquipmentID: s.EquipmentID})
				default:
					_, err = c.ChannelsPage(ctx, s.EquipmentTypeID, uztgs.PageParams{})
				}
				if err != nil {
					failures.Add(1)
					t.Log(err)
				}
			}
		})
	}
	wg.Wait()
	stats := srv.Stats()
	assert.Zero(t, failures.Load())
	assert.Zero(t, stats.AuthFailures, "not one request carried a dead token")
	assert.Equal(t, 1, stats.SignIns)
	assert.Equal(t, total, stats.Rotations, "every request rotated the token")
	assert.Equal(t, 1, srv.Sessions(uztgstest.DefaultEmail))
	require.NoError(t, c.Close())
	assert.Equal(t, 0, srv.Sessions(uztgstest.DefaultEmail), "Close signed out")
}

// The server rotates the token but the response never arrives: the client
// still holds a token the strict server has already killed.
func TestDroppedResponseRecoversBySigningIn(t *testing.T) {
	srv := strictServer(t)
	c := newClient(t, srv)
	ctx := t.Context()
	_, err := c.CustomersPage(ctx, uztgs.PageParams{})
	require.NoError(t, err)
	lost := c.Headers().AccessToken

	srv.Faults.Add(uztgstest.Fault{Path: uztgstest.APIPath + "/stations", DropResponse: true})
	page, err := c.StationsPage(ctx, uztgs.PageParams{})
	require.NoError(t, err, "the client signs in again and replays")
	assert.NotEmpty(t, page.Items)
	stats := srv.Stats()
	assert.Equal(t, 2, stats.SignIns, "one new sign-in")
	assert.Zero(t, stats.AuthFailures, "no request went out with the dead token")
	assert.EqualValues(t, 1, c.Stats().LostAnswers)
	assert.NotEqual(t, lost, c.Headers().AccessToken)

	_, err = c.CustomersPage(ctx, uztgs.PageParams{})
	require.NoError(t, err, "and keeps working")
}

func TestStoredHeadersResumeWithoutPassword(t *testing.T) {
	srv := strictServer(t)
	path := filepath.Join(t.TempDir(), "uztgs-session.json")
	ctx := t.Context()

	first := newClient(t, srv, uztgs.WithTokenStore(uztgs.NewFileStore(path)), uztgs.WithSignOutOnClose(false))
	_, err := first.CustomersPage(ctx, uztgs.PageParams{})
	require.NoError(t, err)
	require.NoError(t, first.Close(), "Close without sign-out sends nothing")
	assert.Equal(t, 1, srv.Sessions(uztgstest.DefaultEmail))

	// A restarted program: no password, only the file.
	second, err := uztgs.New(uztgs.WithBaseURL(srv.BaseURL()), uztgs.WithTokenStore(uztgs.NewFileStore(path)))
	require.NoError(t, err)
	for range 3 {
		_, err = second.StationsPage(ctx, uztgs.PageParams{})
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.Stats().SignIns, "resumed, not signed in again")
	assert.Zero(t, srv.Stats().AuthFailures)
	stored, err := uztgs.NewFileStore(path).Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, second.Headers(), stored, "the file follows every rotation")

	// The same with headers handed over in memory.
	third, err := uztgs.New(uztgs.WithBaseURL(srv.BaseURL()), uztgs.WithHeaders(second.Headers()))
	require.NoError(t, err)
	_, err = third.EquipmentTypesPage(ctx, uztgs.PageParams{})
	require.NoError(t, err)

	// Once that session is gone, a client without password reports it.
	require.NoError(t, third.SignOut(ctx))
	_, err = second.CustomersPage(ctx, uztgs.PageParams{})
	require.ErrorIs(t, err, uztgs.ErrUnauthorized)
	stored, err = uztgs.NewFileStore(path).Load(ctx)
	require.NoError(t, err)
	assert.True(t, stored.Usable(), "a 401 does not wipe the stored headers")
}

// The gem's own behaviour: requests within 5 s of a rotation are a batch
// and get a blank token, which the client must not take.
func TestBatchAnswersKeepTheToken(t *testing.T) {
	srv := uztgstest.NewServer()
	t.Cleanup(srv.Close)
	c := newClient(t, srv)
	ctx := t.Context()
	for range 10 {
		_, err := c.CustomersPage(ctx, uztgs.PageParams{})
		require.NoError(t, err)
	}
	stats := srv.Stats()
	assert.Zero(t, stats.AuthFailures)
	assert.GreaterOrEqual(t, stats.BatchAnswers, 9, "back-to-back requests are a batch")
	assert.True(t, c.Headers().Usable(), "the blank tokens were not stored")
}

func TestRevokedSessionSignsInAgain(t *testing.T) {
	srv := strictServer(t)
	c := newClient(t, srv)
	ctx := t.Context()
	_, err := c.CustomersPage(ctx, uztgs.PageParams{})
	require.NoError(t, err)
	srv.RevokeSessions(uztgstest.DefaultEmail)
	_, err = c.CustomersPage(ctx, uztgs.PageParams{})
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Stats().SignIns)
}

func TestWrongPassword(t *testing.T) {
	srv := strictServer(t)
	var logs bytes.Buffer
	c, err := uztgs.New(uztgs.WithBaseURL(srv.BaseURL()), uztgs.WithPassword(uztgstest.DefaultEmail, "wrong-S3cret"),
		uztgs.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	_, err = c.StationsPage(t.Context(), uztgs.PageParams{})
	require.ErrorIs(t, err, uztgs.ErrUnauthorized)
	var e *uztgs.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Invalid login credentials. Please try again.", e.Message)
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), string(e.Body), logs.String()} {
		assert.NotContains(t, text, "wrong-S3cret")
	}
	assert.Equal(t, 1, srv.Stats().SignInFailures, "a refused sign-in is not repeated")
}

func TestNoTokenInErrorsOrLogs(t *testing.T) {
	srv := strictServer(t)
	var logs bytes.Buffer
	c := newClient(t, srv, uztgs.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), uztgs.WithMaxRetries(1))
	ctx := t.Context()
	var tokens []string
	for range 3 {
		_, err := c.CustomersPage(ctx, uztgs.PageParams{})
		require.NoError(t, err)
		tokens = append(tokens, c.Headers().AccessToken)
	}
	srv.Faults.Add(uztgstest.Fault{Status: http.StatusServiceUnavailable, Times: 2}, uztgstest.Fault{Status: http.StatusNotFound, Body: `{"errors":["` + tokens[2] + `"]}`})
	_, err := c.CustomersPage(ctx, uztgs.PageParams{})
	require.ErrorIs(t, err, uztgs.ErrServer)
	_, err2 := c.CustomersPage(ctx, uztgs.PageParams{})
	require.ErrorIs(t, err2, uztgs.ErrNotFound)
	var e *uztgs.Error
	require.ErrorAs(t, err2, &e)
	for _, text := range []string{err.Error(), err2.Error(), e.Message, string(e.Body), logs.String(), fmt.Sprintf("%v %#v", c.Headers(), c.Headers())} {
		assert.NotContains(t, text, tokens[2], "the live token never shows")
		assert.NotContains(t, text, uztgstest.DefaultPassword)
	}
	assert.Contains(t, logs.String(), "steppe http attempt")
}

func TestIteratorCoversTheWholeArchive(t *testing.T) {
	srv := strictServer(t)
	ctx := t.Context()
	for _, prefetch := range []bool{false, true} {
		c := newClient(t, srv, uztgs.WithPrefetch(prefetch))
		st := srv.Dataset().Stations[3]
		from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
		want := srv.Dataset().ArchiveRows(st.ID, "hourly", from, to)
		require.Greater(t, want, uztgs.MaxPerPage, "more than one page")
		seen := map[time.Time]bool{}
		var prev time.Time
		n := 0
		for r, err := range c.Archive(ctx, uztgs.ArchiveParams{Type: uztgs.Hourly, StationID: st.ID, EquipmentID: st.EquipmentID, From: from, To: to}) {
			require.NoError(t, err)
			require.False(t, seen[r.Time], "duplicate %v", r.Time)
			seen[r.Time] = true
			if !prev.IsZero() {
				require.True(t, r.Time.Before(prev), "server order (newest first) kept")
			}
			prev = r.Time
			_, ok := r.Readings.Get(uztgs.ChannelT)
			require.True(t, ok)
			n++
		}
		assert.Equal(t, want, n, "prefetch=%v", prefetch)
		require.NoError(t, c.Close())
	}
	assert.Zero(t, srv.Stats().AuthFailures)
}

func TestExport(t *testing.T) {
	srv := strictServer(t)
	c := newClient(t, srv)
	ctx := t.Context()
	var snapshots []uztgs.ExportProgress
	type key struct {
		station int64
		at      time.Time
	}
	seen := map[key]bool{}
	perStation := map[int64]int{}
	for rec, err := range c.Export(ctx, uztgs.ExportParams{
		Type: uztgs.Daily, From: week.from, To: week.to, Sessions: 4,
		Progress: func(p uztgs.ExportProgress) { snapshots = append(snapshots, p) },
	}) {
		require.NoError(t, err)
		k := key{rec.Station.ID, rec.Record.Time}
		require.False(t, seen[k], "duplicate %v", k)
		seen[k] = true
		perStation[rec.Station.ID]++
	}
	ds := srv.Dataset()
	require.Len(t, perStation, len(ds.Stations), "every station")
	for _, st := range ds.Stations {
		assert.Equal(t, ds.ArchiveRows(st.ID, "daily", week.from, week.to), perStation[st.ID], "station %d", st.ID)
	}
	last := snapshots[len(snapshots)-1]
	assert.Equal(t, uztgs.ExportProgress{Stations: len(ds.Stations), Done: len(ds.Stations), Records: len(seen), Pages: last.Pages}, last)
	assert.Equal(t, 4, srv.Stats().SignIns, "the client's session plus three")
	assert.Equal(t, 1, srv.Sessions(uztgstest.DefaultEmail), "the extra sessions signed out")
	assert.Zero(t, srv.Stats().AuthFailures)
}

func TestExportReportsWhatWasNotExported(t *testing.T) {
	srv := strictServer(t)
	c := newClient(t, srv, uztgs.WithMaxRetries(0))
	ctx := t.Context()
	stations := append([]uztgs.Station(nil), publicStations(t, c)[:6]...)
	stations[2].EquipmentID += 1000 // the server answers 404 for a wrong meter
	var got int
	var exportErr *uztgs.ExportError
	for _, err := range c.Export(ctx, uztgs.ExportParams{Type: uztgs.Hourly, From: week.from, To: week.from, Stations: stations, Sessions: 2}) {
		if err != nil {
			require.ErrorAs(t, err, &exportErr)
			continue
		}
		got++
	}
	require.NotNil(t, exportErr)
	require.Len(t, exportErr.Failed, 1)
	assert.Equal(t, stations[2].ID, exportErr.Failed[0].Station.ID)
	assert.Zero(t, exportErr.Failed[0].Records)
	assert.ErrorIs(t, exportErr, uztgs.ErrNotFound)
	assert.Empty(t, exportErr.NotExported)
	assert.NoError(t, exportErr.Err)
	assert.Equal(t, 5*24, got, "the other five stations are complete")
	assert.Contains(t, exportErr.Error(), fmt.Sprintf("station %d", stations[2].ID))

	// Cancelled part-way: what was delivered and what was not is exact.
	ctx2, cancel := context.WithCancel(ctx)
	defer cancel()
	delivered := map[int64]int{}
	exportErr = nil
	for rec, err := range c.Export(ctx2, uztgs.ExportParams{Type: uztgs.Hourly, From: week.from, To: week.to, Stations: stations[3:], Sessions: 1, PerPage: 24}) {
		if err != nil {
			require.ErrorAs(t, err, &exportErr)
			continue
		}
		delivered[rec.Station.ID]++
		if delivered[rec.Station.ID] == 30 {
			cancel()
		}
	}
	require.NotNil(t, exportErr)
	assert.ErrorIs(t, exportErr, context.Canceled)
	require.Len(t, exportErr.Failed, 1)
	assert.Equal(t, stations[3].ID, exportErr.Failed[0].Station.ID)
	assert.Equal(t, delivered[stations[3].ID], exportErr.Failed[0].Records)
	assert.Len(t, exportErr.NotExported, 2)
}

func TestExportEarlyBreakSignsOut(t *testing.T) {
	srv := strictServer(t)
	c := newClient(t, srv)
	n := 0
	for _, err := range c.Export(t.Context(), uztgs.ExportParams{Type: uztgs.Hourly, From: week.from, To: week.to, Sessions: 3}) {
		require.NoError(t, err)
		n++
		if n == 10 {
			break
		}
	}
	assert.Equal(t, 10, n)
	assert.Equal(t, 1, srv.Sessions(uztgstest.DefaultEmail), "only the client's own session is left")
}

func TestExportWithoutPassword(t *testing.T) {
	srv := strictServer(t)
	owner := newClient(t, srv)
	_, err := owner.CustomersPage(t.Context(), uztgs.PageParams{})
	require.NoError(t, err)
	c, err := uztgs.New(uztgs.WithBaseURL(srv.BaseURL()), uztgs.WithHeaders(owner.Headers()))
	require.NoError(t, err)
	for _, err := range c.Export(t.Context(), uztgs.ExportParams{Type: uztgs.Daily, From: week.from, To: week.to, Sessions: 2}) {
		require.ErrorIs(t, err, uztgs.ErrValidation)
		assert.Contains(t, err.Error(), "password")
	}
	n := 0
	for _, err := range c.Export(t.Context(), uztgs.ExportParams{Type: uztgs.Monthly, From: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), To: week.to, Stations: publicStations(t, c)[:2]}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n, "one monthly record per station, through the one session")
}

func publicStations(t testing.TB, c *uztgs.Client) []uztgs.Station {
	var out []uztgs.Station
	for s, err := range c.Stations(context.Background(), uztgs.PageParams{}) {
		require.NoError(t, err)
		out = append(out, s)
	}
	return out
}

func TestExportStationListFailure(t *testing.T) {
	srv := strictServer(t)
	c := newClient(t, srv, uztgs.WithMaxRetries(0))
	srv.Faults.Add(uztgstest.Fault{Path: uztgstest.APIPath + "/stations", Status: http.StatusInternalServerError})
	var errs []error
	for _, err := range c.Export(t.Context(), uztgs.ExportParams{Type: uztgs.Daily, From: week.from, To: week.to}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], uztgs.ErrServer)
	assert.False(t, errors.Is(errs[0], uztgs.ErrValidation))
	assert.True(t, strings.Contains(errs[0].Error(), "500"))
}

// The session headers go to the API host only: a redirect elsewhere
// carries none of them.
func TestHeadersOnlyToTheAPIHost(t *testing.T) {
	var got http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`{"data":[],"total_pages":0,"current_page":1,"next_page":null}`))
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "tok", r.Header.Get("access-token"), "the API host gets the token")
		http.Redirect(w, r, other.URL+"/elsewhere", http.StatusFound)
	}))
	defer api.Close()
	// By default a redirect to another host is not followed at all.
	c, err := uztgs.New(uztgs.WithBaseURL(api.URL+"/api/v1/"), uztgs.WithHeaders(uztgs.Headers{AccessToken: "tok", Client: "cl", UID: "u@x"}))
	require.NoError(t, err)
	_, err = c.CustomersPage(t.Context(), uztgs.PageParams{})
	require.ErrorIs(t, err, uztgs.ErrRedirect)
	require.Nil(t, got, "the other host was not asked")

	// A caller's http.Client may allow it; the headers still stay behind.
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	c, err = uztgs.New(uztgs.WithBaseURL(api.URL+"/api/v1/"), uztgs.WithHTTPClient(hc), uztgs.WithHeaders(uztgs.Headers{AccessToken: "tok", Client: "cl", UID: "u@x"}))
	require.NoError(t, err)
	_, err = c.CustomersPage(t.Context(), uztgs.PageParams{})
	require.NoError(t, err)
	require.NotNil(t, got)
	for _, h := range []string{"access-token", "client", "uid", "token-type"} {
		assert.Empty(t, got.Get(h), h)
	}
}
