package openschool_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/openschool/openschooltest"
)

func fakeClient(t *testing.T, opts ...openschool.Option) (*openschool.Client, *openschooltest.Server) {
	t.Helper()
	srv := openschooltest.NewServer()
	t.Cleanup(srv.Close)
	opts = append([]openschool.Option{openschool.WithBaseURL(srv.URL), openschool.WithRetryWait(time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := openschool.New(opts...)
	require.NoError(t, err)
	return c, srv
}

func d(y int, m time.Month, day int) time.Time {
	return time.Date(y, m, day, 0, 0, 0, 0, openschool.Location)
}

func TestFakeReferenceLists(t *testing.T) {
	ctx := context.Background()
	c, srv := fakeClient(t)
	regions, err := c.Regions(ctx)
	require.NoError(t, err)
	assert.Contains(t, regions, openschool.Region{ID: "21", Name: "Івано-франківська область"})

	periods, err := c.Periods(ctx)
	require.NoError(t, err)
	require.Len(t, periods, 2)
	assert.False(t, periods[0].Current)
	assert.Empty(t, periods[0].ParentID)
	assert.True(t, periods[1].Current)
	assert.Equal(t, "44", periods[1].ParentID)

	labels, err := c.Labels(ctx)
	require.NoError(t, err)
	assert.Len(t, labels, 4)

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "action=regions", reqs[0].URL.RawQuery)
	assert.Equal(t, "/api/v1", reqs[0].URL.Path)
}

func TestFakeSchoolsFilters(t *testing.T) {
	ctx := context.Background()
	c, _ := fakeClient(t)

	all, err := c.Schools(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, all.Schools, 4)

	one, err := c.Schools(ctx, &openschool.SchoolsParams{SchoolID: "61"})
	require.NoError(t, err)
	require.Len(t, one.Schools, 1)
	s := one.Schools[0]
	// The documentation's own example sums.
	assert.Equal(t, "254141.04", s.Stock.String())
	assert.Equal(t, "180944.65", s.Spend.String())
	assert.Equal(t, "73196.39", s.Balance.String())
	assert.Equal(t, "15000", s.Amount.String(), "money planned for its new task")
	assert.Equal(t, "254141.04", one.Stock.String())

	byPeriod, err := c.Schools(ctx, &openschool.SchoolsParams{RegionID: "7", PeriodID: "44"})
	require.NoError(t, err)
	require.Len(t, byPeriod.Schools, 2)
	assert.Equal(t, "100000", byPeriod.Schools[0].Stock.String())
	assert.True(t, byPeriod.Schools[1].Stock.IsZero())

	byDates, err := c.Schools(ctx, &openschool.SchoolsParams{RegionID: "7", DateStart: d(2017, 11, 1), DateEnd: d(2017, 12, 31)})
	require.NoError(t, err)
	require.Len(t, byDates.Schools, 2)
	assert.Equal(t, "154141.04", byDates.Schools[0].Stock.String())
	assert.Equal(t, "100000", byDates.Schools[0].Spend.String())
	assert.Equal(t, "1450", byDates.Schools[1].Spend.String())
	assert.True(t, byDates.Schools[1].Stock.IsZero(), "the October income is outside the dates")
}

func TestFakeTasks(t *testing.T) {
	ctx := context.Background()
	c, _ := fakeClient(t)

	task, err := c.Task(ctx, "794")
	require.NoError(t, err)
	assert.Equal(t, "Моє особисте завдання", task.Name)
	assert.Equal(t, "Пеня", task.Label)
	require.Len(t, task.Reports, 1)
	assert.Equal(t, "992", task.Reports[0].Spend.String())
	assert.Len(t, task.Reports[0].Images, 1)

	rated, err := c.Task(ctx, "801")
	require.NoError(t, err)
	assert.Equal(t, int64(3), rated.Vote.Count)
	assert.Equal(t, "4.67", rated.Vote.Value.String())
	assert.Equal(t, int64(4), rated.Vote.IntPart)
	assert.Equal(t, int64(67), rated.Vote.DecPart)

	archived, err := c.Task(ctx, "650")
	require.NoError(t, err)
	assert.True(t, archived.Archived)
	assert.Equal(t, "4999.75", archived.GovernmentSpend.String())

	_, err = c.Task(ctx, "999999")
	assert.ErrorIs(t, err, openschool.ErrNotFound)

	all, err := c.Tasks(ctx, openschool.TasksParams{Item: "67"})
	require.NoError(t, err)
	assert.Len(t, all, 4)

	done, err := c.Tasks(ctx, openschool.TasksParams{Item: "67", Status: openschool.StatusDone})
	require.NoError(t, err)
	assert.Len(t, done, 2)

	flowers, err := c.Tasks(ctx, openschool.TasksParams{Item: "67", Status: openschool.StatusDone, LabelID: "3"})
	require.NoError(t, err)
	require.Len(t, flowers, 1)
	assert.Equal(t, "796", flowers[0].ID)
	assert.Equal(t, int64(1), flowers[0].ReportCount)

	spendBy := func(pt openschool.PaymentType) string {
		ts, err := c.Tasks(ctx, openschool.TasksParams{Item: "67", PeriodID: "44", PaymentType: pt})
		require.NoError(t, err)
		require.Len(t, ts, 1)
		return ts[0].Spend.String()
	}
	assert.Equal(t, "12000", spendBy(openschool.PaymentAll))
	assert.Equal(t, "12000", spendBy(openschool.PaymentAny))
	assert.Equal(t, "7000.25", spendBy(openschool.PaymentCharity))
	assert.Equal(t, "4999.75", spendBy(openschool.PaymentBudget))

	december, err := c.Tasks(ctx, openschool.TasksParams{Item: "67", DateStart: d(2017, 12, 1), DateEnd: d(2017, 12, 31)})
	require.NoError(t, err)
	assert.Len(t, december, 3)

	other, err := c.Tasks(ctx, openschool.TasksParams{Item: "61"})
	require.NoError(t, err)
	require.Len(t, other, 1)
	assert.Equal(t, "640", other[0].ParentTaskID)
}

func TestFakeGovernmentPayments(t *testing.T) {
	ctx := context.Background()
	c, _ := fakeClient(t)
	all, err := c.GovernmentPayments(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, all, 2)

	yes, no := true, false
	confirmed, err := c.GovernmentPayments(ctx, &openschool.PaymentsParams{Confirmed: &yes})
	require.NoError(t, err)
	require.Len(t, confirmed, 1)
	assert.Equal(t, "299", confirmed[0].ID)
	assert.Equal(t, "Управління освіти ХМР", confirmed[0].Bookkeeping.Name)
	assert.Equal(t, "ВАТ “Херсонгаз”", confirmed[0].Recipient.Name)
	assert.Equal(t, "test 30 ЗОШ", confirmed[0].School.Name)

	unconfirmed, err := c.GovernmentPayments(ctx, &openschool.PaymentsParams{Confirmed: &no})
	require.NoError(t, err)
	require.Len(t, unconfirmed, 1)
	assert.Equal(t, "300", unconfirmed[0].ID)

	for _, p := range []openschool.PaymentsParams{
		{PaymentID: "299"}, {BookkeepingID: "1", SchoolID: "17"}, {RecipientID: "40"}, {MasterID: "72086483"}, {DocNumber: "6469"},
	} {
		got, err := c.GovernmentPayments(ctx, &p)
		require.NoError(t, err)
		require.Len(t, got, 1, "%+v", p)
		assert.Equal(t, "299", got[0].ID)
	}
	none, err := c.GovernmentPayments(ctx, &openschool.PaymentsParams{SchoolID: "88"})
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestFakeUpdate(t *testing.T) {
	c, srv := fakeClient(t)
	srv.Update(func(d *openschooltest.Dataset) {
		d.Labels = append(d.Labels, openschooltest.Label{ID: "9", Name: "Нова"})
	})
	labels, err := c.Labels(context.Background())
	require.NoError(t, err)
	assert.Equal(t, openschool.Label{ID: "9", Name: "Нова"}, labels[len(labels)-1])
}

func TestFaultsAreRetriedOrTyped(t *testing.T) {
	ctx := context.Background()
	c, srv := fakeClient(t)

	srv.Faults.Add(openschooltest.Fault{Status: http.StatusServiceUnavailable, Times: 2})
	labels, err := c.Labels(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, labels)
	assert.Len(t, srv.Requests(), 3, "two faults, then the answer")

	srv.Faults.Add(openschooltest.Fault{Drop: true, Times: 2})
	_, err = c.Labels(ctx)
	require.NoError(t, err, "a dropped connection is retried")

	srv.Faults.Add(openschooltest.Fault{SlowBody: time.Millisecond})
	regions, err := c.Regions(ctx)
	require.NoError(t, err)
	assert.Len(t, regions, 4)

	srv.Faults.Add(openschooltest.Fault{Truncate: true, Times: -1})
	_, err = c.Regions(ctx)
	assert.ErrorIs(t, err, openschool.ErrTransport)
	srv.Faults.Clear()

	srv.Faults.Add(openschooltest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Hour})
	_, err = c.Regions(ctx)
	assert.ErrorIs(t, err, openschool.ErrRateLimited)
	var e *openschool.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, time.Hour, e.RetryAfter)

	srv.Faults.Add(openschooltest.Fault{Delay: time.Second})
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = c.Regions(short)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestFakeRejectsWhatTheAPIWould(t *testing.T) {
	srv := openschooltest.NewServer()
	defer srv.Close()
	for path, want := range map[string]int{
		"/api/v1?action=nope":                                         404,
		"/api/v2?action=regions":                                      404,
		"/api/v1?action=schools&id_region=x":                          400,
		"/api/v1?action=schools&date_start=2017-13-01":                400,
		"/api/v1?action=tasks":                                        400,
		"/api/v1?action=tasks&node=school&item=67&task_status=closed": 400,
		"/api/v1?action=tasks&node=school&item=67&payment_type=5":     400,
		"/api/v1?action=governmentpayments&confirmed=2":               400,
		"/api/v1?action=regions":                                      200,
		"/api/v1?action=schools&id_period=45&date_start=2017-01-01":   200,
	} {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, path)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1?action=regions", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

func TestFakeIgnoresPeriodWhenDatesGiven(t *testing.T) {
	srv := openschooltest.NewServer()
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1?action=schools&id_school=61&id_period=44&date_start=2017-11-01")
	require.NoError(t, err)
	defer resp.Body.Close()
	var s openschool.Schools
	require.NoError(t, jsonDecode(resp, &s))
	assert.Equal(t, "154141.04", s.Schools[0].Stock.String(), "the period is not taken into account")
}

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }
