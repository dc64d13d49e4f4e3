package openschool

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/query"
)

// newMocked returns a client on an httpmock transport and the transport.
// Any request without a responder fails the test.
func newMocked(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, ""), nil
	})
	c, err := New(append([]Option{WithHTTPClient(&http.Client{Transport: mt})}, opts...)...)
	require.NoError(t, err)
	return c, mt
}

// expectQuery registers a GET /api/v1 responder that requires exactly the
// query of a documentation example URL and answers body.
func expectQuery(t *testing.T, mt *httpmock.MockTransport, docURL, body string) {
	t.Helper()
	u, err := url.Parse(docURL)
	require.NoError(t, err)
	mt.RegisterResponder(http.MethodGet, DefaultBaseURL+apiPath, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "openschool.in.ua", r.URL.Host)
		assert.Equal(t, "http", r.URL.Scheme)
		assert.Equal(t, u.Query(), r.URL.Query(), "query of %s", docURL)
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "steppe/"))
		assert.Nil(t, r.Body)
		return httpmock.NewStringResponse(200, body), nil
	})
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, Location) }

func TestRequestShapesMatchDocumentationExamples(t *testing.T) {
	ctx := context.Background()
	yes := true
	cases := []struct {
		doc  string
		body string
		call func(c *Client) error
	}{
		{"http://openschool.in.ua/api/v1?action=regions", `{"regions":[]}`,
			func(c *Client) error { _, err := c.Regions(ctx); return err }},
		{"http://openschool.in.ua/api/v1?action=periods", `{"periods":[]}`,
			func(c *Client) error { _, err := c.Periods(ctx); return err }},
		{"http://openschool.in.ua/api/v1?action=labels", `{"labels":[]}`,
			func(c *Client) error { _, err := c.Labels(ctx); return err }},
		{"http://openschool.in.ua/api/v1?action=schools", `{"schools":[]}`,
			func(c *Client) error { _, err := c.Schools(ctx, nil); return err }},
		{"http://openschool.in.ua/api/v1?action=schools&id_school=67", `{"schools":[]}`,
			func(c *Client) error { _, err := c.Schools(ctx, &SchoolsParams{SchoolID: "67"}); return err }},
		{"http://openschool.in.ua/api/v1?action=schools&id_region=7&id_period=45", `{"schools":[]}`,
			func(c *Client) error {
				_, err := c.Schools(ctx, &SchoolsParams{RegionID: "7", PeriodID: "45"})
				return err
			}},
		{"http://openschool.in.ua/api/v1?action=schools&id_region=7&date_start=2017-11-01&date_end=2017-12-31", `{"schools":[]}`,
			func(c *Client) error {
				_, err := c.Schools(ctx, &SchoolsParams{RegionID: "7", DateStart: day(2017, 11, 1), DateEnd: day(2017, 12, 31)})
				return err
			}},
		{"http://openschool.in.ua/api/v1?action=tasks&id_task=794", `{"task":{"Id_task":"794"}}`,
			func(c *Client) error { _, err := c.Task(ctx, "794"); return err }},
		{"http://openschool.in.ua/api/v1?action=tasks&node=school&item=67", `{"tasks":[]}`,
			func(c *Client) error { _, err := c.Tasks(ctx, TasksParams{Node: "school", Item: "67"}); return err }},
		{"http://openschool.in.ua/api/v1?action=tasks&node=school&item=67&task_status=done", `{"tasks":[]}`,
			func(c *Client) error { _, err := c.Tasks(ctx, TasksParams{Item: "67", Status: StatusDone}); return err }},
		{"http://openschool.in.ua/api/v1?action=tasks&node=school&item=67&task_status=done&id_label=3", `{"tasks":[]}`,
			func(c *Client) error {
				_, err := c.Tasks(ctx, TasksParams{Item: "67", Status: StatusDone, LabelID: "3"})
				return err
			}},
		{"http://openschool.in.ua/api/v1?action=tasks&node=school&item=67&task_status=done&payment_type=-1", `{"tasks":[]}`,
			func(c *Client) error {
				_, err := c.Tasks(ctx, TasksParams{Item: "67", Status: StatusDone, PaymentType: PaymentAll})
				return err
			}},
		{"http://openschool.in.ua/api/v1?action=tasks&node=school&item=67&task_status=done&payment_type=-1&id_period=45", `{"tasks":[]}`,
			func(c *Client) error {
				_, err := c.Tasks(ctx, TasksParams{Item: "67", Status: StatusDone, PaymentType: PaymentAll, PeriodID: "45"})
				return err
			}},
		{"http://openschool.in.ua/api/v1?action=tasks&node=school&item=67&task_status=done&payment_type=-1&date_start=2017-11-01&date_end=2017-12-31", `{"tasks":[]}`,
			func(c *Client) error {
				_, err := c.Tasks(ctx, TasksParams{Item: "67", Status: StatusDone, PaymentType: PaymentAll,
					DateStart: day(2017, 11, 1), DateEnd: day(2017, 12, 31)})
				return err
			}},
		{"http://openschool.in.ua/api/v1?action=tasks&node=school&item=67&payment_type=0", `{"tasks":[]}`,
			func(c *Client) error {
				_, err := c.Tasks(ctx, TasksParams{Item: "67", PaymentType: PaymentCharity})
				return err
			}},
		{"http://openschool.in.ua/api/v1?action=tasks&node=school&item=67&payment_type=1&task_status=inprogress", `{"tasks":[]}`,
			func(c *Client) error {
				_, err := c.Tasks(ctx, TasksParams{Item: "67", PaymentType: PaymentBudget, Status: StatusInProgress})
				return err
			}},
		{"http://openschool.in.ua/api/v1?action=governmentpayments", `{"block":[]}`,
			func(c *Client) error { _, err := c.GovernmentPayments(ctx, nil); return err }},
		{"http://openschool.in.ua/api/v1?action=governmentpayments&id_payment=299&id_bookkeeping=1&id_school=17&id_recipient=40&master_id=72086483&doc_number=6469&confirmed=1", `{"block":[]}`,
			func(c *Client) error {
				_, err := c.GovernmentPayments(ctx, &PaymentsParams{PaymentID: "299", BookkeepingID: "1", SchoolID: "17",
					RecipientID: "40", MasterID: "72086483", DocNumber: "6469", Confirmed: &yes})
				return err
			}},
	}
	for _, tc := range cases {
		t.Run(tc.doc[strings.Index(tc.doc, "?")+1:], func(t *testing.T) {
			c, mt := newMocked(t)
			expectQuery(t, mt, tc.doc, tc.body)
			require.NoError(t, tc.call(c))
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

func TestConfirmedFalseIsSent(t *testing.T) {
	c, mt := newMocked(t)
	expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=governmentpayments&confirmed=0", `{"block":[]}`)
	no := false
	_, err := c.GovernmentPayments(context.Background(), &PaymentsParams{Confirmed: &no})
	require.NoError(t, err)
}

func TestInvalidInputIsRejectedBeforeAnyRequest(t *testing.T) {
	ctx := context.Background()
	c, mt := newMocked(t)
	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		{"period with dates", func() error {
			_, err := c.Schools(ctx, &SchoolsParams{PeriodID: "45", DateStart: day(2017, 11, 1)})
			return err
		}, "invalid PeriodID: cannot be combined with DateStart/DateEnd"},
		{"period with end date", func() error {
			_, err := c.Schools(ctx, &SchoolsParams{PeriodID: "45", DateEnd: day(2017, 11, 1)})
			return err
		}, "invalid PeriodID"},
		{"school id not int", func() error { _, err := c.Schools(ctx, &SchoolsParams{SchoolID: "6a"}); return err }, "invalid SchoolID: must be an integer id"},
		{"dates reversed", func() error {
			_, err := c.Schools(ctx, &SchoolsParams{DateStart: day(2018, 1, 1), DateEnd: day(2017, 1, 1)})
			return err
		}, "invalid DateEnd: is before DateStart"},
		{"task id empty", func() error { _, err := c.Task(ctx, ""); return err }, "invalid id: is required"},
		{"task id bad", func() error { _, err := c.Task(ctx, "1 OR 1=1"); return err }, "invalid id: must be an integer id"},
		{"tasks without item", func() error { _, err := c.Tasks(ctx, TasksParams{}); return err }, "invalid Item: is required (the id of the school)"},
		{"tasks bad status", func() error { _, err := c.Tasks(ctx, TasksParams{Item: "67", Status: "closed"}); return err }, "invalid Status"},
		{"tasks bad payment type", func() error {
			_, err := c.Tasks(ctx, TasksParams{Item: "67", PaymentType: PaymentType(9)})
			return err
		}, "invalid PaymentType"},
		{"tasks bad label", func() error { _, err := c.Tasks(ctx, TasksParams{Item: "67", LabelID: "x"}); return err }, "invalid LabelID"},
		{"payments bad doc number", func() error {
			_, err := c.GovernmentPayments(ctx, &PaymentsParams{DocNumber: "64-69"})
			return err
		}, "invalid DocNumber"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrValidation)
			assert.Contains(t, err.Error(), tc.field)
			var ve *ValidationError
			assert.ErrorAs(t, err, &ve)
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "no request may be sent for invalid input")
}

func TestSeveralProblemsAreReportedTogether(t *testing.T) {
	c, _ := newMocked(t)
	_, err := c.Tasks(context.Background(), TasksParams{Status: "x", LabelID: "y"})
	require.Error(t, err)
	for _, f := range []string{"Item", "Status", "LabelID"} {
		assert.Contains(t, err.Error(), "invalid "+f)
	}
}

// taskDocJSON is the documentation's task example (§4, response 1) as a Perl
// JSON encoder would send it: capitalised keys, ids as strings, computed
// sums as numbers, undef as null.
const taskDocJSON = `{"task":{
  "amount":"5000","date_update":"2017-12-08 14:05:26","description":"","archive":"0",
  "reports":[{"Description":"","Comments":[],"Government":"0","Id_task":"794","Spend":"992","Name":"Звіт",
    "Archive":"0","Id_report":"771","Date_add":"2017-12-08 14:05:26",
    "images":[{"image_url":"http://openschool.in.ua/media/images/52697tile.png"}],"id_profile":"2"}],
  "Name":"Моє особисте завдання","Id_period":"45","Label":"Пеня","Government_spend":0,"Item":"67",
  "Deadline":"2017-12-30","Date_add":"2017-12-08 10:35:35","Comments":[{"text":"ok"}],"Id_task":"794","Node":"school",
  "vote":{"Count":"0","Int_part":0,"Value":0,"Dec_part":0},
  "parent_task":null,"id_profile":"2","status":"inprogress"}}`

func TestTaskDecodesDocumentationExample(t *testing.T) {
	c, mt := newMocked(t)
	expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=tasks&id_task=794", taskDocJSON)
	task, err := c.Task(context.Background(), "794")
	require.NoError(t, err)
	assert.Equal(t, "794", task.ID)
	assert.Equal(t, "Моє особисте завдання", task.Name)
	assert.Equal(t, StatusInProgress, task.Status)
	assert.Equal(t, "school", task.Node)
	assert.Equal(t, "67", task.Item)
	assert.Equal(t, "45", task.PeriodID)
	assert.Equal(t, "Пеня", task.Label)
	assert.Equal(t, "5000", task.Amount.String())
	assert.True(t, task.GovernmentSpend.IsZero())
	assert.Equal(t, day(2017, 12, 30), task.Deadline)
	assert.Equal(t, time.Date(2017, 12, 8, 10, 35, 35, 0, Location), task.DateAdd)
	assert.Equal(t, time.Date(2017, 12, 8, 14, 5, 26, 0, Location), task.DateUpdate)
	assert.Equal(t, "2017-12-08T10:35:35+02:00", task.DateAdd.Format(time.RFC3339), "Kyiv winter time")
	assert.False(t, task.Archived)
	assert.Empty(t, task.ParentTaskID)
	assert.Equal(t, "2", task.ProfileID)
	assert.Equal(t, Vote{}, task.Vote.withoutValue())
	assert.True(t, task.Vote.Value.IsZero())
	require.Len(t, task.Comments, 1)
	assert.JSONEq(t, `{"text":"ok"}`, string(task.Comments[0]))
	require.Len(t, task.Reports, 1)
	r := task.Reports[0]
	assert.Equal(t, "771", r.ID)
	assert.Equal(t, "794", r.TaskID)
	assert.Equal(t, "Звіт", r.Name)
	assert.Equal(t, "992", r.Spend.String())
	assert.False(t, r.Government)
	assert.False(t, r.Archived)
	assert.Equal(t, "2", r.ProfileID)
	assert.Equal(t, time.Date(2017, 12, 8, 14, 5, 26, 0, Location), r.DateAdd)
	assert.Equal(t, []Image{{URL: "http://openschool.in.ua/media/images/52697tile.png"}}, r.Images)
	assert.Empty(t, r.Comments)
}

func (v Vote) withoutValue() Vote { v.Value = decimal.Decimal{}; return v }

func TestTaskNotReturnedIsNotFound(t *testing.T) {
	for _, body := range []string{`{"task":null}`, `{"task":{}}`, `{"Task":null}`} {
		c, mt := newMocked(t)
		expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=tasks&id_task=5", body)
		_, err := c.Task(context.Background(), "5")
		assert.ErrorIs(t, err, ErrNotFound, body)
	}
	// Without the "task" member the answer is not the documented one: it
	// says nothing about the task.
	c, mt := newMocked(t)
	expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=tasks&id_task=5", `{}`)
	_, err := c.Task(context.Background(), "5")
	assert.ErrorIs(t, err, ErrDecode)
	assert.NotErrorIs(t, err, ErrNotFound)
}

// TestAnswerWithoutDocumentedMemberIsDecodeError: a 200 answer that is not
// an object holding the member the documentation always shows for the
// action (a maintenance object, another API's error, null, {}) is an
// *Error matching ErrDecode that keeps the URL, status, attempts and body,
// never an empty result.
func TestAnswerWithoutDocumentedMemberIsDecodeError(t *testing.T) {
	ctx := context.Background()
	calls := []struct {
		query  string
		member string
		call   func(c *Client) (got bool, err error) // got: a result came with the error
	}{
		{"regions", "regions", func(c *Client) (bool, error) { r, err := c.Regions(ctx); return r != nil, err }},
		{"periods", "periods", func(c *Client) (bool, error) { r, err := c.Periods(ctx); return r != nil, err }},
		{"schools", "schools", func(c *Client) (bool, error) { r, err := c.Schools(ctx, nil); return r != nil, err }},
		{"tasks&id_task=5", "task", func(c *Client) (bool, error) { r, err := c.Task(ctx, "5"); return r != nil, err }},
		{"tasks&item=67&node=school", "tasks", func(c *Client) (bool, error) {
			r, err := c.Tasks(ctx, TasksParams{Item: "67"})
			return r != nil, err
		}},
		{"labels", "labels", func(c *Client) (bool, error) { r, err := c.Labels(ctx); return r != nil, err }},
		{"governmentpayments", "block", func(c *Client) (bool, error) {
			r, err := c.GovernmentPayments(ctx, nil)
			return r != nil, err
		}},
	}
	bodies := []string{
		`{"error":"maintenance"}`,
		`{"error":"maintenance","status":"down"}`,
		`{}`,
		`null`,
		`{"schools_stock":"1.00"}`, // the sum of action=schools without its list
		`{"data":{"regions":[]}}`,  // the member nested elsewhere
	}
	for _, tc := range calls {
		for _, body := range bodies {
			t.Run(tc.query+" "+body, func(t *testing.T) {
				c, mt := newMocked(t)
				expectQuery(t, mt, "http://openschool.in.ua/api/v1?action="+tc.query, body)
				got, err := tc.call(c)
				require.ErrorIs(t, err, ErrDecode)
				assert.False(t, got, "no result with the error")
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, "openschool", e.API)
				assert.Equal(t, http.StatusOK, e.StatusCode)
				assert.Equal(t, "http://openschool.in.ua/api/v1?action="+tc.query, e.URL)
				assert.Equal(t, 1, e.Attempts)
				assert.Equal(t, body, string(e.Body), "the body is kept")
				require.Error(t, e.Err, "the cause is kept")
				assert.Contains(t, err.Error(), tc.member)
				assert.Contains(t, err.Error(), "200")
			})
		}
	}
}

// TestDocumentedMemberNullOrEmptyIsEmpty: the documented member is enough;
// null (Perl's undef) or an empty list is an empty result, and the key is
// matched without regard to case, as the fields are.
func TestDocumentedMemberNullOrEmptyIsEmpty(t *testing.T) {
	ctx := context.Background()
	for _, body := range []string{`{"regions":[]}`, `{"regions":null}`, `{"Regions":[]}`, `{"regions":[],"error":null}`} {
		c, mt := newMocked(t)
		expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=regions", body)
		regions, err := c.Regions(ctx)
		require.NoError(t, err, body)
		assert.Empty(t, regions, body)
	}
	c, mt := newMocked(t)
	expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=regions", `{"REGIONS":[{"id":"21","name":"Івано-франківська область"}]}`)
	regions, err := c.Regions(ctx)
	require.NoError(t, err)
	assert.Equal(t, []Region{{ID: "21", Name: "Івано-франківська область"}}, regions)

	for _, body := range []string{`{"schools":null}`, `{"schools":[]}`, `{"schools_stock":null,"schools":[]}`} {
		c, mt := newMocked(t)
		expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=schools", body)
		s, err := c.Schools(ctx, nil)
		require.NoError(t, err, body)
		assert.Empty(t, s.Schools, body)
		assert.True(t, s.Stock.IsZero(), body)
	}
	c, mt = newMocked(t)
	expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=governmentpayments", `{"block":null}`)
	payments, err := c.GovernmentPayments(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, payments)
}

// TestWrongShapeIsDecodeError: an answer that is JSON but not an object,
// or whose documented member has the wrong type, is a decode error too.
func TestWrongShapeIsDecodeError(t *testing.T) {
	for _, body := range []string{`[1,2,3]`, `"regions"`, `42`, `{"regions":"none"}`, `{"regions":{"id":"21"}}`} {
		c, mt := newMocked(t)
		expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=regions", body)
		_, err := c.Regions(context.Background())
		require.ErrorIs(t, err, ErrDecode, body)
		var e *Error
		require.ErrorAs(t, err, &e, body)
		assert.Equal(t, body, string(e.Body))
	}
}

func TestListsDecodeDocumentationExamples(t *testing.T) {
	ctx := context.Background()
	c, mt := newMocked(t)
	mt.RegisterResponderWithQuery(http.MethodGet, DefaultBaseURL+apiPath, "action=regions",
		httpmock.NewStringResponder(200, `{"regions":[{"id":"21","name":"Івано-франківська область"},{"id":7,"name":"Херсонська область"}]}`))
	mt.RegisterResponderWithQuery(http.MethodGet, DefaultBaseURL+apiPath, "action=periods",
		httpmock.NewStringResponder(200, `{"periods":[{"name":"Внесено в систему до 01.09.2017","id_period":"44","date_end":"2017-09-04","date_start":"2017-03-01","current_period":null,"parent":null},
		{"name":"Next","id_period":45,"date_end":"2018-08-31","date_start":"2017-09-04","current_period":1,"parent":"44"}]}`))
	mt.RegisterResponderWithQuery(http.MethodGet, DefaultBaseURL+apiPath, "action=labels",
		httpmock.NewStringResponder(200, `{"labels":[{"id_label":"2","name":"Будівельні матеріали"}]}`))
	mt.RegisterResponderWithQuery(http.MethodGet, DefaultBaseURL+apiPath, "action=schools",
		httpmock.NewStringResponder(200, `{"schools_stock":"1293402.51","schools":[{"amount":null,"description":"","balance":"73196.3900","region":"Херсонська область","id_school":"61","spend":"180944.6500","id_region":"7","address":"","phone":"","name":"Херсонська спеціалізована школа I-III ступенів №52","stock":"254141.0400"}]}`))
	mt.RegisterResponderWithQuery(http.MethodGet, DefaultBaseURL+apiPath, "action=tasks&item=67&node=school",
		httpmock.NewStringResponder(200, `{"tasks":[{"Spend":0,"Id_profile":"13","Date_update":"2017-12-08 14:47:45","Id_period":"45","Archive":"0","Description":"","Deadline":"2017-12-13","Amount":"458","Status":"done","Parent_task":null,"Label":"Квіти","Id_task":"796","Node":"school","Date_add":"2017-12-08 14:46:15","Item":"67","Vote_count":"0","Name":"Придбаті квіти","Vote":0,"Report_count":0}]}`))

	regions, err := c.Regions(ctx)
	require.NoError(t, err)
	assert.Equal(t, []Region{{ID: "21", Name: "Івано-франківська область"}, {ID: "7", Name: "Херсонська область"}}, regions)

	periods, err := c.Periods(ctx)
	require.NoError(t, err)
	require.Len(t, periods, 2)
	assert.Equal(t, Period{ID: "44", Name: "Внесено в систему до 01.09.2017", DateStart: day(2017, 3, 1), DateEnd: day(2017, 9, 4)}, periods[0])
	assert.True(t, periods[1].Current)
	assert.Equal(t, "45", periods[1].ID)
	assert.Equal(t, "44", periods[1].ParentID)

	labels, err := c.Labels(ctx)
	require.NoError(t, err)
	assert.Equal(t, []Label{{ID: "2", Name: "Будівельні матеріали"}}, labels)

	schools, err := c.Schools(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "1293402.51", schools.Stock.String())
	require.Len(t, schools.Schools, 1)
	s := schools.Schools[0]
	assert.Equal(t, "61", s.ID)
	assert.Equal(t, "7", s.RegionID)
	assert.Equal(t, "Херсонська область", s.Region)
	assert.True(t, s.Amount.IsZero())
	assert.Equal(t, "73196.39", s.Balance.String())
	assert.True(t, s.Stock.Sub(s.Spend).Equal(s.Balance), "money is exact")
	assert.Equal(t, "254141.04", s.Stock.String())

	tasks, err := c.Tasks(ctx, TasksParams{Item: "67"})
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	ts := tasks[0]
	assert.True(t, ts.Spend.IsZero())
	assert.True(t, ts.Vote.IsZero())
	assert.Equal(t, "458", ts.Amount.String())
	ts.Spend, ts.Vote, ts.Amount = decimal.Decimal{}, decimal.Decimal{}, decimal.Decimal{}
	assert.Equal(t, TaskSummary{
		ID: "796", Name: "Придбаті квіти", Status: StatusDone, Node: "school", Item: "67", PeriodID: "45",
		Label: "Квіти", Deadline: day(2017, 12, 13), DateAdd: time.Date(2017, 12, 8, 14, 46, 15, 0, Location),
		DateUpdate: time.Date(2017, 12, 8, 14, 47, 45, 0, Location), ProfileID: "13",
	}, ts)
}

func TestPaymentDecodesDocumentationExample(t *testing.T) {
	c, mt := newMocked(t)
	expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=governmentpayments&id_payment=299", paymentDocJSON)
	got, err := c.GovernmentPayments(context.Background(), &PaymentsParams{PaymentID: "299"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	p := got[0]
	assert.Equal(t, "299", p.ID)
	assert.Equal(t, "1", p.BookkeepingID)
	assert.Equal(t, Bookkeeping{ID: "1", EDRPOU: "02146713", Bank: "ГУ ДКСУ У ХЕРСОНСЬКІЙ ОБЛАСТІ", MFO: "852010",
		Name: "Управління освіти ХМР", Account: "35421103035762", LastUpdate: day(2017, 12, 15)}, p.Bookkeeping)
	assert.Equal(t, "40", p.RecipientID)
	assert.Equal(t, Recipient{ID: "40", MFO: "380805", EDRPOU: "03355353", Bank: "АТ “РАЙФФАЙЗЕН БАНК АВАЛЬ” У М. КИЄВІ",
		Name: "ВАТ “Херсонгаз”", Account: "26004414838"}, p.Recipient)
	assert.Equal(t, "17", p.SchoolID)
	assert.Equal(t, PaymentSchool{ID: "17", Name: "test 30 ЗОШ", BookkeepingID: "1", RegionID: "14"}, p.School)
	assert.Equal(t, "6469", p.DocNumber)
	assert.True(t, p.Confirmed)
	assert.Equal(t, "17185.1", p.Amount.String())
	assert.True(t, strings.HasPrefix(p.Details, "1011010;2230;за молоко"))
	assert.Equal(t, "0", p.ProfileID)
	assert.Equal(t, day(2017, 12, 13), p.DocDate)
	assert.Equal(t, day(2017, 12, 13), p.DocVDate)
	assert.Equal(t, day(2017, 12, 14), p.TransDate)
	assert.Equal(t, "Продукти та послуги з харчування", p.Label)
	assert.Equal(t, "72086483", p.MasterID)
}

const paymentDocJSON = `{"block":[{"id_bookkeeping":"1","bookkeeping":{"edrpou":"02146713","bank":"ГУ ДКСУ У ХЕРСОНСЬКІЙ ОБЛАСТІ","mfo":"852010","name":"Управління освіти ХМР","account":"35421103035762","id_bookkeeping":"1","last_update":"2017-12-15"},
"id_recipient":"40","recipient":{"mfo":"380805","edrpou":"03355353","bank":"АТ “РАЙФФАЙЗЕН БАНК АВАЛЬ” У М. КИЄВІ","name":"ВАТ “Херсонгаз”","account":"26004414838","id_recipient":"40"},
"id_school":"17","school":{"phone":"","description":"","id_school":"17","address":"","name":"test 30 ЗОШ","bookkeeping":"1","postfix":"","id_region":"14"},
"doc_number":"6469","confirmed":"1","amount":"17185.1","payment_details":"1011010;2230;за молоко ДДЗ№73 накл. № 11-559 вiд 12.12.2017  дог. № 363 від 13.02.2017  д.у.№2 від 18.05.17;без ПДВ",
"id_profile":"0","doc_date":"2017-12-13","doc_v_date":"2017-12-13","trans_date":"2017-12-14","label":"Продукти та послуги з харчування","master_id":"72086483","id_payment":"299"}]}`

func TestServerErrorsAreTyped(t *testing.T) {
	c, mt := newMocked(t, WithMaxRetries(0))
	mt.RegisterResponder(http.MethodGet, DefaultBaseURL+apiPath, httpmock.NewStringResponder(404, `{"error":"unknown action"}`))
	_, err := c.Labels(context.Background())
	assert.ErrorIs(t, err, ErrNotFound)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "unknown action", e.Message)
	assert.Equal(t, "openschool", e.API)
	assert.Equal(t, "http://openschool.in.ua/api/v1?action=labels", e.URL)

	mt.Reset()
	mt.RegisterResponder(http.MethodGet, DefaultBaseURL+apiPath, httpmock.NewStringResponder(502, `<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`))
	_, err = c.Labels(context.Background())
	assert.ErrorIs(t, err, ErrServer)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "502 Bad Gateway", e.Message)

	mt.Reset()
	mt.RegisterResponder(http.MethodGet, DefaultBaseURL+apiPath, httpmock.NewStringResponder(200, `<html>maintenance</html>`))
	_, err = c.Labels(context.Background())
	assert.ErrorIs(t, err, ErrDecode)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "<html>maintenance</html>", string(e.Body))

	mt.Reset()
	mt.RegisterResponder(http.MethodGet, DefaultBaseURL+apiPath, httpmock.NewStringResponder(200, `{"labels":[{"id_label":"x1.5e","name":{}}]}`))
	_, err = c.Labels(context.Background())
	assert.ErrorIs(t, err, ErrDecode)
}

func TestParseError(t *testing.T) {
	for body, want := range map[string]string{
		`{"error":"bad"}`:        "bad",
		`{"message":"m"}`:        "m",
		`{"other":1}`:            "",
		`plain words`:            "plain words",
		`<p>no title</p>`:        "",
		strings.Repeat("x", 300): "",
		`<title>Oops</title>`:    "Oops",
	} {
		_, msg := parseError(500, nil, []byte(body))
		assert.Equal(t, want, msg, body)
	}
}

func TestOptions(t *testing.T) {
	_, err := New(WithBaseURL("::bad"))
	assert.ErrorIs(t, err, ErrValidation)
	c, err := New(WithBaseURL("http://127.0.0.1:1/"), WithUserAgent("x/1"), WithMaxRetries(5),
		WithRetryWait(time.Millisecond, time.Second), WithMaxRetryAfter(time.Second), WithMaxResponseBytes(1<<20), WithLogger(nil))
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:1", c.t.BaseURL().Host)
	assert.Equal(t, "Europe/Kyiv", Location.String())
	assert.NoError(t, errors.Join(query.Lint(schoolsQuery{}), query.Lint(taskQuery{}), query.Lint(tasksQuery{}),
		query.Lint(paymentsQuery{})))
}

// TestPublicTypesDecodeThemselves covers users who json.Unmarshal saved API
// answers straight into the public types: the result must equal what the
// client returns.
func TestPublicTypesDecodeThemselves(t *testing.T) {
	c, mt := newMocked(t)
	expectQuery(t, mt, "http://openschool.in.ua/api/v1?action=tasks&id_task=794", taskDocJSON)
	viaClient, err := c.Task(context.Background(), "794")
	require.NoError(t, err)
	var direct struct{ Task Task }
	require.NoError(t, json.Unmarshal([]byte(taskDocJSON), &direct))
	assert.Equal(t, *viaClient, direct.Task)

	var block struct{ Block []GovernmentPayment }
	require.NoError(t, json.Unmarshal([]byte(paymentDocJSON), &block))
	require.Len(t, block.Block, 1)
	assert.Equal(t, "ВАТ “Херсонгаз”", block.Block[0].Recipient.Name)
	assert.Equal(t, "Управління освіти ХМР", block.Block[0].Bookkeeping.Name)
	assert.Equal(t, "14", block.Block[0].School.RegionID)

	var lists struct {
		Regions []Region
		Periods []Period
		Labels  []Label
		Tasks   []TaskSummary
		Schools Schools
		Images  []Image
		Vote    Vote
	}
	require.NoError(t, json.Unmarshal([]byte(`{"regions":[{"id":7,"name":"X"}],"periods":[{"id_period":"45","current_period":"1"}],
		"labels":[{"id_label":"3","name":"Квіти"}],"tasks":[{"Id_task":"796","Vote":"4.5"}],
		"schools":{"schools_stock":"1.10","schools":[{"id_school":"61","balance":"0.0100"}]},
		"images":[{"image_url":"u"}],"vote":{"Count":"2","Value":4.5}}`), &lists))
	assert.Equal(t, []Region{{ID: "7", Name: "X"}}, lists.Regions)
	assert.True(t, lists.Periods[0].Current)
	assert.Equal(t, []Label{{ID: "3", Name: "Квіти"}}, lists.Labels)
	assert.Equal(t, "4.5", lists.Tasks[0].Vote.String())
	assert.Equal(t, "1.1", lists.Schools.Stock.String())
	assert.Equal(t, "0.01", lists.Schools.Schools[0].Balance.String())
	assert.Equal(t, []Image{{URL: "u"}}, lists.Images)
	assert.Equal(t, int64(2), lists.Vote.Count)

	var bad Region
	assert.Error(t, json.Unmarshal([]byte(`{"id":{}}`), &bad))
}
