package uchet

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/internal/query"
)

const (
	docToken = "3ea356ede9a74dd089b05a8911e2daa7"
	docBIN   = "141040028436"
)

// docAnswer is the documentation's example answer, verbatim.
const docAnswer = `{
"iin_bin": "141040028436",
"tasks_count": 20,
"processed": 13,
"success": 13,
"failed": 0,
"processing": 7,
"start_time": "17:24:52 25.04.2023",
"finish_time": null,
"tasks": {
"goszakup": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:54 25.04.2023"},
"goszakup_unreliable": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:53 25.04.2023"},
"payments": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:53 25.04.2023"},
"tax_debt_agreement": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:54 25.04.2023"},
"elicense": {"status": "processing", "start_time": "17:24:52 25.04.2023", "finish_time": null},
"degree_of_risk": {"status": "processing", "start_time": "17:24:52 25.04.2023", "finish_time": null},
"in_liquidation": {"status": "processing", "start_time": "17:24:52 25.04.2023", "finish_time": null},
"ndspayer": {"status": "processing", "start_time": "17:24:52 25.04.2023", "finish_time": null},
"absent_legal_address": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:52 25.04.2023"},
"bankrupt": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:52 25.04.2023"},
"inactive": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:52 25.04.2023"},
"false_enterprise": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:52 25.04.2023"},
"registration_invalid": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:52 25.04.2023"},
"tax_arrears": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:52 25.04.2023"},
"violation_tax_code": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:53 25.04.2023"},
"samruk": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:53 25.04.2023"},
"stat_gov": {"status": "done", "start_time": "17:24:52 25.04.2023", "finish_time": "17:24:53 25.04.2023"},
"e_034": {"status": "processing", "start_time": "17:24:52 25.04.2023", "finish_time": null},
"e_080": {"status": "processing", "start_time": "17:24:52 25.04.2023", "finish_time": null},
"e_083": {"status": "processing", "start_time": "17:24:52 25.04.2023", "finish_time": null}
}
}`

func newMocked(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, ""), nil
	})
	c, err := New(docToken, append([]Option{WithHTTPClient(&http.Client{Transport: mt}), WithRetryWait(time.Millisecond, time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return c, mt
}

func TestDocumentationExampleDecodes(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, url.Values{"token": {docToken}, "iin_bin": {docBIN}}, r.URL.Query(), "the documentation's curl")
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		return httpmock.NewStringResponse(200, docAnswer), nil
	})
	st, err := c.UpdateStatus(context.Background(), docBIN)
	require.NoError(t, err)
	at := func(h, m, s int) time.Time { return time.Date(2023, 4, 25, h, m, s, 0, Almaty) }
	assert.Equal(t, docBIN, st.IINBIN)
	assert.Equal(t, 20, st.TasksCount)
	assert.Equal(t, 13, st.Processed)
	assert.Equal(t, 13, st.Success)
	assert.Equal(t, 0, st.Failed)
	assert.Equal(t, 7, st.Processing)
	assert.Equal(t, at(17, 24, 52), st.Start)
	assert.True(t, st.Finish.IsZero(), "finish_time null")
	require.Len(t, st.Tasks, 20)
	for _, name := range TaskNames() {
		_, ok := st.Tasks[name]
		assert.True(t, ok, "task %s", name)
	}
	assert.Equal(t, Task{Status: StatusDone, Start: at(17, 24, 52), Finish: at(17, 24, 54)}, st.Tasks[TaskGoszakup])
	assert.Equal(t, Task{Status: StatusProcessing, Start: at(17, 24, 52)}, st.Tasks[TaskElicense])
	assert.Equal(t, Task{Status: StatusDone, Start: at(17, 24, 52), Finish: at(17, 24, 53)}, st.Tasks[TaskStatGov])
	assert.Equal(t, []TaskName{TaskDegreeOfRisk, TaskE034, TaskE080, TaskE083, TaskElicense, TaskInLiquidation, TaskNDSPayer}, st.Running())
	assert.Empty(t, st.FailedTasks())
	assert.False(t, st.Complete())
	assert.InDelta(t, 65.0, st.Percent(), 1e-9)
	assert.Equal(t, "2023-04-25T11:24:52Z", st.Start.UTC().Format(time.RFC3339), "Almaty was UTC+6 until March 2024")
}

func TestLocationOption(t *testing.T) {
	c, mt := newMocked(t, WithLocation(time.UTC))
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(200, docAnswer))
	st, err := c.UpdateStatus(context.Background(), docBIN)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2023, 4, 25, 17, 24, 52, 0, time.UTC), st.Start)
	_, err = New(docToken, WithLocation(nil))
	require.ErrorIs(t, err, ErrValidation)
}

func TestUnknownTasksAndStatusesAreKept(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(200,
		`{"iin_bin":"141040028436","tasks_count":2,"processed":2,"success":1,"failed":1,"processing":0,"start_time":"10:00:00 01.03.2024","finish_time":"10:00:09 01.03.2024",
		"tasks":{"courts":{"status":"error","start_time":"10:00:00 01.03.2024","finish_time":"10:00:09 01.03.2024"},"goszakup":{"status":"failed","start_time":"10:00:00 01.03.2024","finish_time":"10:00:01 01.03.2024"}}}`))
	st, err := c.UpdateStatus(context.Background(), docBIN)
	require.NoError(t, err)
	assert.Equal(t, TaskStatus("error"), st.Tasks["courts"].Status, "unknown names and statuses are kept")
	assert.True(t, st.Tasks["courts"].Finished(), "a finish time ends a task whatever its status")
	assert.Equal(t, []TaskName{TaskGoszakup}, st.FailedTasks())
	assert.True(t, st.Complete())
	assert.Empty(t, st.Running())
}

func TestBadTimesAreDecodeErrors(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(200,
		`{"iin_bin":"141040028436","start_time":"2023-04-25T17:24:52","tasks":{}}`))
	_, err := c.UpdateStatus(context.Background(), docBIN)
	require.ErrorIs(t, err, ErrDecode)
	assert.Contains(t, err.Error(), "start_time")
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(200, `[1,2]`))
	_, err = c.UpdateStatus(context.Background(), docBIN)
	require.ErrorIs(t, err, ErrDecode)
}

// statusURL is the URL an update_status *Error names for docBIN (the
// token is added on the way out and never named).
const statusURL = "https://pk.uchet.kz/api/v2/update_status/?iin_bin=141040028436"

// TestUndecodableStatusIsTypedError: an update_status answer that arrives
// with 200 but cannot be read — JSON of another shape, an object without
// the documented members (a maintenance or error object), null, wrong
// types or bad times — is the transport's *Error matching ErrDecode, with
// the URL (token masked), status, attempts, cause and body, never a plain
// error and never an empty status.
func TestUndecodableStatusIsTypedError(t *testing.T) {
	full := func(start, finish string) string {
		return `{"iin_bin":"141040028436","tasks_count":1,"processed":1,"success":1,"failed":0,"processing":0,` +
			`"start_time":` + start + `,"finish_time":` + finish + `,"tasks":{"goszakup":{"status":"done","start_time":"10:00:00 01.03.2024","finish_time":"10:00:01 01.03.2024"}}}`
	}
	cases := []struct {
		name, body string
		want       []string // in the error's text
	}{
		{"maintenance object", `{"error":"maintenance"}`, []string{"iin_bin", "tasks_count", "finish_time", "tasks"}},
		{"maintenance object with a status", `{"error":"maintenance","status":"down"}`, []string{"iin_bin", "tasks"}},
		{"empty object", `{}`, []string{"iin_bin", "tasks"}},
		{"null", `null`, []string{"null"}},
		{"array", `[1,2,3]`, []string{"array"}},
		{"string", `"done"`, []string{"string"}},
		{"counters only", `{"iin_bin":"141040028436","tasks_count":20,"processed":13,"success":13,"failed":0,"processing":7}`,
			[]string{"start_time", "finish_time", "tasks"}},
		{"wrapped in data", `{"data":` + full(`"10:00:00 01.03.2024"`, `null`) + `}`, []string{"iin_bin"}},
		{"counter of the wrong type", strings.Replace(full(`"10:00:00 01.03.2024"`, `null`), `"tasks_count":1`, `"tasks_count":"many"`, 1), []string{"tasks_count"}},
		{"tasks of the wrong type", `{"iin_bin":"141040028436","tasks_count":1,"processed":1,"success":1,"failed":0,"processing":0,"start_time":null,"finish_time":null,"tasks":["goszakup"]}`,
			[]string{"tasks"}},
		{"bad start time", full(`"2024-03-01T10:00:00"`, `null`), []string{"start_time", "2024-03-01T10:00:00"}},
		{"bad finish time", full(`"10:00:00 01.03.2024"`, `"10:00 01.03.2024"`), []string{"finish_time"}},
		{"bad task time", strings.Replace(full(`"10:00:00 01.03.2024"`, `null`), `"finish_time":"10:00:01 01.03.2024"`, `"finish_time":"soon"`, 1),
			[]string{"tasks.goszakup.finish_time"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(200, tc.body))
			st, err := c.UpdateStatus(context.Background(), docBIN)
			t.Logf("error: %v", err)
			require.ErrorIs(t, err, ErrDecode)
			assert.Nil(t, st, "no status with the error")
			var e *Error
			require.ErrorAs(t, err, &e, "the failure is the package's *Error: %T %v", err, err)
			assert.Equal(t, ErrDecode, e.Kind())
			assert.Equal(t, "uchet", e.API)
			assert.Equal(t, http.StatusOK, e.StatusCode)
			assert.Equal(t, http.MethodGet, e.Method)
			assert.Equal(t, statusURL, e.URL)
			assert.Equal(t, 1, e.Attempts)
			assert.Equal(t, tc.body, string(e.Body), "the body is kept")
			require.Error(t, e.Err, "the cause is kept")
			var apiErr *APIError
			assert.False(t, errors.As(err, &apiErr), "not an error the API reported")
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), docToken)
		})
	}
}

// TestStatusNullValuesAreLenient: with every documented member present,
// null values read as empty (finish_time while running, as documented;
// counters and tasks too), and keys match without regard to case.
func TestStatusNullValuesAreLenient(t *testing.T) {
	for _, body := range []string{
		`{"iin_bin":"141040028436","tasks_count":null,"processed":null,"success":null,"failed":null,"processing":null,"start_time":null,"finish_time":null,"tasks":null}`,
		`{"iin_bin":"141040028436","tasks_count":0,"processed":0,"success":0,"failed":0,"processing":0,"start_time":"","finish_time":"","tasks":{}}`,
		`{"IIN_BIN":"141040028436","Tasks_Count":0,"processed":0,"success":0,"failed":0,"processing":0,"start_time":null,"finish_time":null,"tasks":{},"extra":1}`,
	} {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(200, body))
		st, err := c.UpdateStatus(context.Background(), docBIN)
		require.NoError(t, err, body)
		assert.Equal(t, docBIN, st.IINBIN, body)
		assert.Zero(t, st.TasksCount, body)
		assert.True(t, st.Start.IsZero() && st.Finish.IsZero(), body)
		assert.Empty(t, st.Tasks, body)
		assert.NotNil(t, st.Tasks, body)
	}
}

// TestStatusTimeErrorsMaskTheToken: a bad time is quoted in the error; a
// server that echoes the token there does not get it shown.
func TestStatusTimeErrorsMaskTheToken(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(200,
		`{"iin_bin":"141040028436","tasks_count":0,"processed":0,"success":0,"failed":0,"processing":0,"start_time":"`+docToken+`","finish_time":null,"tasks":{}}`))
	_, err := c.UpdateStatus(context.Background(), docBIN)
	require.ErrorIs(t, err, ErrDecode)
	assert.Contains(t, err.Error(), "start_time")
	for e := error(err); e != nil; e = errors.Unwrap(e) {
		assert.NotContains(t, e.Error(), docToken)
	}
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.NotContains(t, string(te.Body), docToken)
	for _, inner := range te.Unwrap() {
		for e := inner; e != nil; e = errors.Unwrap(e) {
			assert.NotContains(t, e.Error(), docToken)
		}
	}
}

// TestPollUpdateStopsOnUndecodableStatus: a maintenance answer during a
// wait ends it with the typed decode error, not with an empty snapshot
// that reads as "nothing to update".
func TestPollUpdateStopsOnUndecodableStatus(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(200, `{"error":"maintenance"}`))
	st, err := c.WaitUpdate(context.Background(), docBIN, func(*UpdateStatus) { t.Error("no snapshot expected") },
		WithPollInterval(time.Millisecond, time.Millisecond))
	require.ErrorIs(t, err, ErrDecode)
	assert.Nil(t, st)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, `{"error":"maintenance"}`, string(e.Body))
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestDetailErrorsWhateverTheStatus(t *testing.T) {
	cases := []struct {
		status   int
		body     string
		sentinel error
		kind     error
		code     Code
	}{
		{400, `{"detail":{"code":"iin_bin_validation_error","message":"iin_bin is not valid"}}`, ErrIINBINValidation, ErrValidation, CodeIINBINValidation},
		{422, `{"detail":{"code":"iin_bin_validation_error","message":"iin_bin is not valid"}}`, ErrIINBINValidation, ErrValidation, CodeIINBINValidation},
		{404, `{"detail":{"code":"not_found","message":"company not found"}}`, ErrCompanyNotFound, ErrNotFound, CodeNotFound},
		{200, `{"detail":{"code":"not_found","message":"company not found"}}`, ErrCompanyNotFound, ErrNotFound, CodeNotFound},
		{401, `{"detail":{"code":"token_error","message":"token is not found"}}`, ErrToken, ErrUnauthorized, CodeToken},
		{403, `{"detail":{"code":"token_error","message":"token is not found"}}`, ErrToken, ErrUnauthorized, CodeToken},
		{400, `{"detail":{"code":"limit_exceeded","message":"no checks left"}}`, nil, nil, "limit_exceeded"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d %s", tc.status, tc.code), func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(tc.status, tc.body))
			_, err := c.UpdateStatus(context.Background(), docBIN)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.code, ae.Code, "unknown codes are kept")
			assert.Equal(t, tc.status, ae.StatusCode)
			assert.NotEmpty(t, ae.Message)
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
				assert.ErrorIs(t, err, tc.kind)
			} else {
				assert.NotErrorIs(t, err, ErrToken)
			}
			var te *Error
			require.ErrorAs(t, err, &te, "the transport error is reachable")
			assert.NotContains(t, err.Error(), docToken)
			assert.NotContains(t, te.URL, docToken)
		})
	}

	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(404, `{"detail":"Not Found"}`))
	_, err := c.UpdateStatus(context.Background(), docBIN)
	require.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrCompanyNotFound, "FastAPI's own 404 is not the API's not_found")
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "Not Found", te.Message)
}

func TestValidationBeforeAnyRequest(t *testing.T) {
	c, mt := newMocked(t)
	ctx := context.Background()
	for _, bad := range []string{"", "14104002843", "1410400284367", "14104002843X", "141040028437"} {
		_, err := c.UpdateStatus(ctx, bad)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, bad)
		assert.Equal(t, "iin_bin", ve.Field)
		_, err = c.CompanyByBIN(ctx, bad)
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "bin", ve.Field)
		_, err = c.CompanyByIIN(ctx, bad)
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "iin", ve.Field)
	}
	_, _, err := c.Classifier(ctx, "a/b")
	require.ErrorIs(t, err, ErrValidation)
	_, err = c.Get(ctx, " ", nil)
	require.ErrorIs(t, err, ErrValidation)
	_, err = c.Get(ctx, "x/", url.Values{"token": {"other"}})
	require.ErrorIs(t, err, ErrValidation)
	for st := range c.PollUpdate(ctx, docBIN, WithPollInterval(time.Second, time.Millisecond)) {
		assert.Nil(t, st)
	}
	_, err = New("  ")
	require.ErrorIs(t, err, ErrValidation)
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestCompanyCalls(t *testing.T) {
	c, mt := newMocked(t)
	ctx := context.Background()
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/get_bin_info/", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, url.Values{"token": {docToken}, "bin": {docBIN}}, r.URL.Query())
		return httpmock.NewStringResponse(200, `{"name_ru":"ТОО \"Ромашка\"","name_kz":"«Ромашка» ЖШС","status":"Действующее","registration_date":"2014-10-21","head_fullname":"ИВАНОВ ИВАН","oked_code":62010,"address_ru":null,"tax_debt":{"total_tax_arrear":0}}`), nil
	})
	co, err := c.CompanyByBIN(ctx, docBIN)
	require.NoError(t, err)
	assert.Equal(t, `ТОО "Ромашка"`, co.NameRU)
	assert.Equal(t, "«Ромашка» ЖШС", co.NameKZ)
	assert.Equal(t, "62010", co.OKEDCode, "a number where text is expected is kept as text")
	assert.Equal(t, "", co.AddressRU)
	assert.Equal(t, time.Date(2014, 10, 21, 0, 0, 0, 0, Almaty), co.Registered)
	assert.JSONEq(t, `{"total_tax_arrear":0}`, string(co.Raw["tax_debt"]), "sections are kept raw")

	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/get_iin_info/", httpmock.NewStringResponder(503, "busy"))
	_, err = c.CompanyByIIN(ctx, docBIN)
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, mt.GetCallCountInfo()["GET https://pk.uchet.kz/api/v2/get_iin_info/"], "a billed call is never retried")

	for _, body := range []string{`["not an object"]`, `null`, `"ok"`} {
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/get_iin_info/", httpmock.NewStringResponder(200, body))
		co, err = c.CompanyByIIN(ctx, docBIN)
		require.ErrorIs(t, err, ErrDecode, body)
		assert.Nil(t, co, body)
		var e *Error
		require.ErrorAs(t, err, &e, body)
		assert.Equal(t, http.StatusOK, e.StatusCode, body)
		assert.Equal(t, "https://pk.uchet.kz/api/v2/get_iin_info/?iin=141040028436", e.URL, body)
		assert.Equal(t, body, string(e.Body), body)
	}
	// The company's members are not documented: any object with a member
	// other than an error's is read leniently, with every member kept in
	// Raw (an empty object or a bare error object is refused; see
	// TestCompanyHostileSuccessAnswers).
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/get_iin_info/", httpmock.NewStringResponder(200, `{"new_section":{"a":1},"message":"partial"}`))
	co, err = c.CompanyByIIN(ctx, docBIN)
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":1}`, string(co.Raw["new_section"]))
	assert.JSONEq(t, `"partial"`, string(co.Raw["message"]))

	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/some/new/method/", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, url.Values{"token": {docToken}, "x": {"1"}}, r.URL.Query())
		return httpmock.NewStringResponse(500, `{"detail":"Internal Server Error"}`), nil
	})
	raw, err := c.Get(ctx, "some/new/method/", url.Values{"x": {"1"}})
	require.ErrorIs(t, err, ErrServer)
	assert.Nil(t, raw)
	assert.Equal(t, 1, mt.GetCallCountInfo()["GET https://pk.uchet.kz/api/v2/some/new/method/"], "Get sends once: the method may be billed")
}

func TestClassifierShapes(t *testing.T) {
	c, mt := newMocked(t)
	ctx := context.Background()
	for body, want := range map[string]int{
		`[{"code":"105","name_ru":"Малые","name_kz":"Шағын"},{"code":120}]`: 2,
		`{"results":[{"code":"105"}]}`: 1,
		`{"count":0}`:                  0,
	} {
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/classifiers/krp/", httpmock.NewStringResponder(200, body))
		items, raw, err := c.Classifier(ctx, "krp")
		require.NoError(t, err)
		assert.Len(t, items, want, body)
		assert.JSONEq(t, body, string(raw))
		if want == 2 {
			assert.Equal(t, ClassifierItem{Code: "105", NameRU: "Малые", NameKZ: "Шағын", Raw: json.RawMessage(`{"code":"105","name_ru":"Малые","name_kz":"Шағын"}`)}, items[0])
			assert.Equal(t, "120", items[1].Code)
		}
	}
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/classifiers/krp/", httpmock.NewStringResponder(200, `{"count":0}`))
	raw, err := c.Get(ctx, "classifiers/krp/", nil)
	require.NoError(t, err)
	assert.JSONEq(t, `{"count":0}`, string(raw))
}

// statusBody builds an update_status answer with done of 20 tasks
// processed and failed of them failed.
func statusBody(done, failed int) string {
	tasks := make([]string, 0, 20)
	for i, name := range TaskNames() {
		status, finish := "processing", "null"
		if i < done {
			status, finish = "done", `"10:00:05 01.03.2024"`
			if i < failed {
				status = "failed"
			}
		}
		tasks = append(tasks, fmt.Sprintf(`"%s":{"status":"%s","start_time":"10:00:00 01.03.2024","finish_time":%s}`, name, status, finish))
	}
	finish := "null"
	if done == 20 {
		finish = `"10:00:05 01.03.2024"`
	}
	return fmt.Sprintf(`{"iin_bin":"%s","tasks_count":20,"processed":%d,"success":%d,"failed":%d,"processing":%d,"start_time":"10:00:00 01.03.2024","finish_time":%s,"tasks":{%s}}`,
		docBIN, done, done-failed, failed, 20-done, finish, strings.Join(tasks, ","))
}

// sequenceResponder answers the bodies in turn (the last one forever) and
// records when each request came.
type sequenceResponder struct {
	mu     sync.Mutex
	bodies []string
	status int
	at     []time.Time
}

func (s *sequenceResponder) respond(*http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.at = append(s.at, time.Now())
	body := s.bodies[min(len(s.at), len(s.bodies))-1]
	return httpmock.NewStringResponse(max(s.status, 200), body), nil
}

func TestPollerCompletes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMocked(t)
		seq := &sequenceResponder{bodies: []string{statusBody(0, 0), statusBody(5, 0), statusBody(13, 0), statusBody(19, 0), statusBody(20, 0)}}
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", seq.respond)
		var seen []int
		start := time.Now()
		st, err := c.WaitUpdate(t.Context(), docBIN, func(s *UpdateStatus) { seen = append(seen, s.Processed) })
		require.NoError(t, err)
		assert.True(t, st.Complete())
		assert.Equal(t, []int{0, 5, 13, 19, 20}, seen, "every snapshot is reported")
		gaps := []time.Duration{}
		for i := 1; i < len(seq.at); i++ {
			gaps = append(gaps, seq.at[i].Sub(seq.at[i-1]))
		}
		assert.Equal(t, []time.Duration{time.Second, 1500 * time.Millisecond, 2250 * time.Millisecond, 3375 * time.Millisecond}, gaps, "growing intervals")
		assert.Equal(t, 8125*time.Millisecond, time.Since(start), "bubble time, not real time")
	})
}

func TestPollerIntervalCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMocked(t)
		bodies := make([]string, 12)
		for i := range bodies {
			bodies[i] = statusBody(i, 0)
		}
		bodies = append(bodies, statusBody(20, 0))
		seq := &sequenceResponder{bodies: bodies}
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", seq.respond)
		n := 0
		for st, err := range c.PollUpdate(t.Context(), docBIN, WithPollInterval(2*time.Second, 5*time.Second)) {
			require.NoError(t, err)
			n++
			_ = st
		}
		assert.Equal(t, 13, n)
		last := seq.at[len(seq.at)-1].Sub(seq.at[len(seq.at)-2])
		assert.Equal(t, 5*time.Second, last, "waits stop growing at the cap")
		assert.Equal(t, 2*time.Second, seq.at[1].Sub(seq.at[0]))
	})
}

func TestPollerReportsFailedTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMocked(t)
		seq := &sequenceResponder{bodies: []string{statusBody(10, 1), statusBody(20, 2)}}
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", seq.respond)
		st, err := c.WaitUpdate(t.Context(), docBIN, nil)
		require.ErrorIs(t, err, ErrTasksFailed)
		require.NotNil(t, st, "the final status comes with the error")
		assert.Equal(t, []TaskName{TaskGoszakup, TaskGoszakupUnreliable}, st.FailedTasks())
		assert.Contains(t, err.Error(), "2 of 20 (goszakup, goszakup_unreliable)")
	})
}

func TestPollerCompanyNotFound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMocked(t)
		seq := &sequenceResponder{status: 404, bodies: []string{`{"detail":{"code":"not_found","message":"company not found"}}`}}
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", seq.respond)
		st, err := c.WaitUpdate(t.Context(), docBIN, nil)
		require.ErrorIs(t, err, ErrCompanyNotFound)
		assert.Nil(t, st)
		assert.Len(t, seq.at, 1, "not retried, not polled again")
	})
}

func TestPollerCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMocked(t)
		seq := &sequenceResponder{bodies: []string{statusBody(3, 0), statusBody(8, 0)}}
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", seq.respond)
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		st, err := c.WaitUpdate(ctx, docBIN, nil)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.NotNil(t, st)
		assert.Equal(t, 8, st.Processed, "the last snapshot seen comes back")
		assert.Len(t, seq.at, 5, "polls at 0, 1, 2.5, 4.75 and 8.125 s, then the deadline")

		ctx2, cancel2 := context.WithCancel(t.Context())
		defer cancel2()
		n := 0
		for _, err := range c.PollUpdate(ctx2, docBIN) {
			if err != nil {
				require.ErrorIs(t, err, context.Canceled)
				break
			}
			n++
			cancel2()
		}
		assert.Equal(t, 1, n)
		// A consumer that stops early ends the polling.
		for range c.PollUpdate(t.Context(), docBIN) {
			break
		}
	})
}

// Every error path sees the token in its request; none may show it.
func TestTokenNeverLeaks(t *testing.T) {
	const token = "feedfacefeedfacefeedfacefeedface"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	echo := func(status int, body string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-"+r.URL.Query().Get("token"))
			w.WriteHeader(status)
			_, _ = w.Write([]byte(strings.ReplaceAll(body, "TOKEN", r.URL.RawQuery)))
		}))
	}
	// slow answers nothing until the client gives up. Its cases run in a
	// synctest bubble over in-memory connections: the bubble's clock ends
	// the wait, however loaded the machine.
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedURL := "http://" + ln.Addr().String()
	ln.Close()

	cases := map[string]struct {
		base    string
		opts    []Option
		ctx     func() (context.Context, context.CancelFunc)
		slow    bool          // served by slow, over a fakekit.PipeServer
		timeout time.Duration // the http.Client's Timeout, with slow
	}{
		"dial failure":   {base: closedURL},
		"tls failure":    {base: tlsSrv.URL, opts: []Option{WithHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{}}})}},
		"client timeout": {slow: true, timeout: 50 * time.Second},
		"context cancelled": {slow: true, ctx: func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Second)
		}},
		"4xx":           {base: echo(400, `{"detail":{"code":"token_error","message":"bad token TOKEN"}}`).URL},
		"5xx retried":   {base: echo(503, `down TOKEN`).URL},
		"invalid JSON":  {base: echo(200, `{"iin_bin": TOKEN`).URL},
		"detail on 200": {base: echo(200, `{"detail":{"code":"x","message":"TOKEN"}}`).URL},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if !tc.slow {
				checkTokenNeverLeaks(t, token, &logs, logger, tc.base, tc.opts, tc.ctx)
				return
			}
			synctest.Test(t, func(t *testing.T) {
				p := fakekit.NewPipeServer(slow)
				defer p.Close()
				hc := &http.Client{Transport: p.Transport(), Timeout: tc.timeout}
				checkTokenNeverLeaks(t, token, &logs, logger, p.URL, []Option{WithHTTPClient(hc)}, tc.ctx)
			})
		})
	}
}

// checkTokenNeverLeaks makes one UpdateStatus call with token against base
// and asserts that the token shows in no error text and no log line.
func checkTokenNeverLeaks(t *testing.T, token string, logs *bytes.Buffer, logger *slog.Logger, base string, extra []Option, newCtx func() (context.Context, context.CancelFunc)) {
	t.Helper()
	logs.Reset()
	opts := append([]Option{WithBaseURL(base + "/api/v2/"), WithLogger(logger), WithRetryWait(time.Millisecond, 2*time.Millisecond), WithMaxRetries(2)}, extra...)
	c, err := New(token, opts...)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	if newCtx != nil {
		ctx, cancel = newCtx()
	}
	defer cancel()
	_, err = c.UpdateStatus(ctx, docBIN)
	require.Error(t, err)
	texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), logs.String()}
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
		texts = append(texts, u.Error())
	}
	var te *Error
	if errors.As(err, &te) {
		texts = append(texts, te.URL, te.RequestID, te.Message, string(te.Body))
		for _, inner := range te.Unwrap() {
			if inner != nil {
				texts = append(texts, inner.Error())
			}
		}
	}
	for i, text := range texts {
		assert.NotContains(t, text, token, "text %d", i)
	}
	assert.NotEmpty(t, logs.String(), "the attempt was logged")
}

func TestTokenOnlyToTheAPIHost(t *testing.T) {
	var got url.Values
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Query()
		_, _ = w.Write([]byte(`[]`))
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, docToken, r.URL.Query().Get("token"))
		http.Redirect(w, r, other.URL+"/moved?x=1", http.StatusFound)
	}))
	defer api.Close()
	// By default a redirect to another host is not followed at all.
	c, err := New(docToken, WithBaseURL(api.URL+"/api/v2/"))
	require.NoError(t, err)
	_, _, err = c.Classifier(context.Background(), "krp")
	require.ErrorIs(t, err, ErrRedirect)
	assert.NotContains(t, err.Error(), docToken)
	assert.Nil(t, got, "the other host was not asked")

	// A caller's http.Client may allow it; the token still stays behind.
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	c, err = New(docToken, WithBaseURL(api.URL+"/api/v2/"), WithHTTPClient(hc))
	require.NoError(t, err)
	_, _, err = c.Classifier(context.Background(), "krp")
	require.NoError(t, err)
	assert.Equal(t, url.Values{"x": {"1"}}, got, "the redirect target gets no token")
}

// TestQueryParamsLint checks the query structs the way internal/query
// encodes them; none holds the token, which the transport adds.
func TestQueryParamsLint(t *testing.T) {
	assert.NoError(t, errors.Join(query.Lint(binQuery{}), query.Lint(iinQuery{}), query.Lint(statusQuery{})))
}
