package uchettest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/internal/ids"
)

func TestIdentifiers(t *testing.T) {
	for _, c := range DefaultDataset() {
		assert.NoError(t, ids.IINBIN(c.BIN), c.NameRU)
		assert.NotEqual(t, UnknownBIN, c.BIN)
	}
	assert.NoError(t, ids.IINBIN(UnknownBIN))
	assert.NoError(t, ids.IINBIN(SeedBIN))
	assert.NoError(t, ids.IINBIN(IndividualIIN))
	assert.Len(t, TaskNames, 20)
	assert.Equal(t, "goszakup", TaskNames[0])
	assert.Equal(t, "e_083", TaskNames[19])
}

func TestTaskDuration(t *testing.T) {
	var c Config
	seen := map[time.Duration]bool{}
	for _, name := range TaskNames {
		d := c.TaskDuration(name)
		assert.GreaterOrEqual(t, d, time.Second, name)
		assert.LessOrEqual(t, d, 40*time.Second, name)
		assert.Equal(t, d, d.Truncate(time.Second), name)
		assert.Equal(t, d, c.TaskDuration(name), "deterministic")
		seen[d] = true
	}
	assert.Greater(t, len(seen), 5, "durations vary")
	c.Durations = map[string]time.Duration{"samruk": 3 * time.Second, "e_034": -time.Second}
	assert.Equal(t, 3*time.Second, c.TaskDuration("samruk"))
	assert.Equal(t, time.Duration(0), c.TaskDuration("e_034"))
}

func TestUpdateStatusShape(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Durations = map[string]time.Duration{}
	for _, name := range TaskNames {
		cfg.Durations[name] = time.Hour // nothing finishes during the test
	}
	s := start(t, cfg)
	for _, route := range []string{"update_status/", "update_status"} {
		a := call(t, s, route, "iin_bin", SeedBIN)
		require.Equal(t, http.StatusOK, a.status, a.body)
		assert.Equal(t, "application/json; charset=utf-8", a.header.Get("Content-Type"))
		st := decode[status](t, a)
		assert.Equal(t, SeedBIN, st.IINBIN)
		assert.Equal(t, 20, st.TasksCount)
		assert.Equal(t, 0, st.Processed)
		assert.Equal(t, 20, st.Processing)
		assert.Nil(t, st.FinishTime)
		assert.Len(t, st.Tasks, 20)
		_, err := time.ParseInLocation(TimeLayout, st.StartTime, time.UTC)
		assert.NoError(t, err)
		for name, task := range st.Tasks {
			assert.Equal(t, "processing", task.Status, name)
			assert.Equal(t, st.StartTime, task.StartTime, name)
			assert.Nil(t, task.FinishTime, name)
		}
		// Keys in the order of the official example.
		pos := -1
		for _, name := range TaskNames {
			i := strings.Index(a.body, `"`+name+`":{`)
			assert.Greater(t, i, pos, name)
			pos = i
		}
		for _, key := range []string{`"finish_time":null,"tasks":{"goszakup":{"status":"processing"`, `"iin_bin":"141040028436","tasks_count":20,`} {
			assert.Contains(t, a.body, key)
		}
	}
	assert.Equal(t, 2, s.Stats().StatusRequests)
}

func TestUpdateStatusFinished(t *testing.T) {
	loc := time.FixedZone("UTC+5", 5*3600)
	durations := map[string]time.Duration{}
	for _, name := range TaskNames {
		durations[name] = 0
	}
	durations["payments"] = -time.Hour
	s := start(t, Config{Durations: durations, Location: loc})
	s.FailTasks(SeedBIN, "samruk", "e_083", "no_such_task")
	// On a synctest bubble's clock, served in-process, the start time is
	// known to the second.
	synctest.Test(t, func(t *testing.T) {
		c := &http.Client{Transport: inProcess{s.Handler()}}
		before := time.Now()
		s.StartUpdate(SeedBIN)
		time.Sleep(time.Minute)
		st := decode[status](t, send(t, c, http.MethodGet, routeURL("http://uchet.test"+APIPath, "update_status/", "token", DefaultToken, "iin_bin", SeedBIN)))
		assert.Equal(t, 20, st.Processed)
		assert.Equal(t, 18, st.Success)
		assert.Equal(t, 2, st.Failed)
		assert.Equal(t, 0, st.Processing)
		require.NotNil(t, st.FinishTime)
		assert.Equal(t, st.StartTime, *st.FinishTime)
		assert.Equal(t, "failed", st.Tasks["samruk"].Status)
		assert.Equal(t, "failed", st.Tasks["e_083"].Status)
		assert.Equal(t, "done", st.Tasks["payments"].Status)
		assert.Equal(t, before.In(loc).Format(TimeLayout), st.StartTime)
	})
}

func TestAutoStartOff(t *testing.T) {
	s := start(t, Config{})
	a := call(t, s, "update_status/", "iin_bin", SeedBIN)
	assert.Equal(t, http.StatusNotFound, a.status)
	e := decode[apiErr](t, a)
	assert.Equal(t, "not_found", e.Detail.Code)
	assert.Equal(t, "update not found", e.Detail.Message)

	s.StartUpdate(SeedBIN)
	assert.Equal(t, http.StatusOK, call(t, s, "update_status/", "iin_bin", SeedBIN).status)

	// An update of a company added later.
	s.StartUpdate(UnknownBIN)
	assert.Equal(t, http.StatusNotFound, call(t, s, "update_status/", "iin_bin", UnknownBIN).status)
	s.AddCompany(Company{BIN: UnknownBIN, NameRU: "ТОО \"Новая\""})
	assert.Equal(t, http.StatusOK, call(t, s, "update_status/", "iin_bin", UnknownBIN).status)
}

func TestCompanyCards(t *testing.T) {
	s := start(t, DefaultConfig())

	a := call(t, s, "get_bin_info/", "bin", SeedBIN)
	require.Equal(t, http.StatusOK, a.status, a.body)
	card := decode[map[string]any](t, a)
	assert.Equal(t, SeedBIN, card["bin"])
	assert.Equal(t, `ТОО "Жібек Жолы Логистикс"`, card["name_ru"])
	assert.Equal(t, "2014-10-21", card["registration_date"])
	for _, k := range []string{"name_kz", "full_name_ru", "status", "head_fullname", "address_ru", "oked_code", "oked_name_ru"} {
		assert.NotEmpty(t, card[k], k)
	}
	assert.Equal(t, map[string]any{"is_participant": true, "regdate": "2016-03-14"}, card["goszakup"])
	statGov := card["stat_gov"].(map[string]any)
	assert.Equal(t, "Малые предприятия (> 5 и <= 15)", statGov["krp_name_ru"])

	a = call(t, s, "get_bin_info", "bin", "050840001233")
	card = decode[map[string]any](t, a)
	assert.Equal(t, 152340.5, card["tax_debt"].(map[string]any)["total_tax_arrear"])
	assert.Equal(t, map[string]any{"is_participant": false, "regdate": nil}, card["goszakup"])
	assert.Contains(t, a.body, `"regdate":null`)

	a = call(t, s, "get_iin_info/", "iin", IndividualIIN)
	require.Equal(t, http.StatusOK, a.status, a.body)
	card = decode[map[string]any](t, a)
	assert.Equal(t, IndividualIIN, card["iin"])
	assert.Equal(t, card["name_ru"], card["full_name_ru"])
	assert.Nil(t, card["stat_gov"].(map[string]any)["krp_name_ru"])

	// The wrong kind of number is not found and not paid.
	assert.Equal(t, http.StatusNotFound, call(t, s, "get_bin_info/", "bin", IndividualIIN).status)
	assert.Equal(t, http.StatusNotFound, call(t, s, "get_iin_info/", "iin", SeedBIN).status)

	assert.Equal(t, 3, s.Stats().CompanyRequests)
	assert.Equal(t, 1, s.CompanyRequestsFor(SeedBIN))
	assert.Equal(t, 1, s.CompanyRequestsFor(IndividualIIN))
	assert.Equal(t, 0, s.CompanyRequestsFor(UnknownBIN))
}

func TestClassifiers(t *testing.T) {
	s := start(t, DefaultConfig())
	a := call(t, s, "classifiers/krp/")
	require.Equal(t, http.StatusOK, a.status, a.body)
	items := decode[[]map[string]string](t, a)
	require.GreaterOrEqual(t, len(items), 6)
	assert.Equal(t, "105", items[0]["code"])
	for _, it := range items {
		assert.Len(t, it, 3)
		assert.NotEmpty(t, it["name_ru"])
		assert.NotEmpty(t, it["name_kz"])
	}
	assert.Equal(t, http.StatusOK, call(t, s, "classifiers/krp").status)
	e := decode[apiErr](t, call(t, s, "classifiers/kfs/"))
	assert.Equal(t, "not_found", e.Detail.Code)
	assert.Equal(t, 3, s.Stats().ClassifierRequests)
}

func TestErrors(t *testing.T) {
	s := start(t, DefaultConfig())
	cases := []struct {
		name    string
		route   string
		params  []string
		status  int
		code    string
		message string
	}{
		{"no token", "update_status/", []string{"iin_bin", SeedBIN}, 401, "token_error", "token is not found"},
		{"wrong token", "update_status/", []string{"token", "00000000000000000000000000000000", "iin_bin", SeedBIN}, 401, "token_error", "token is not found"},
		{"empty token", "classifiers/krp/", []string{"token", ""}, 401, "token_error", "token is not found"},
		{"token on card", "get_bin_info/", []string{"token", "x", "bin", SeedBIN}, 401, "token_error", "token is not found"},
		{"missing iin_bin", "update_status/", []string{"token", DefaultToken}, 400, "iin_bin_validation_error", "iin_bin is not valid"},
		{"short iin_bin", "update_status/", []string{"token", DefaultToken, "iin_bin", "14104002843"}, 400, "iin_bin_validation_error", "iin_bin is not valid"},
		{"letters", "update_status/", []string{"token", DefaultToken, "iin_bin", "14104002843a"}, 400, "iin_bin_validation_error", "iin_bin is not valid"},
		{"check digit", "update_status/", []string{"token", DefaultToken, "iin_bin", "141040028437"}, 400, "iin_bin_validation_error", "iin_bin is not valid"},
		{"unknown", "update_status/", []string{"token", DefaultToken, "iin_bin", UnknownBIN}, 404, "not_found", "company not found"},
		{"bin missing", "get_bin_info/", []string{"token", DefaultToken, "iin", SeedBIN}, 400, "iin_bin_validation_error", "bin is not valid"},
		{"bin check digit", "get_bin_info/", []string{"token", DefaultToken, "bin", "141040028430"}, 400, "iin_bin_validation_error", "bin is not valid"},
		{"bin unknown", "get_bin_info/", []string{"token", DefaultToken, "bin", UnknownBIN}, 404, "not_found", "company not found"},
		{"iin invalid", "get_iin_info/", []string{"token", DefaultToken, "iin", "850615300120"}, 400, "iin_bin_validation_error", "iin is not valid"},
		{"iin unknown", "get_iin_info/", []string{"token", DefaultToken, "iin", UnknownBIN}, 404, "not_found", "company not found"},
		{"classifier", "classifiers/oked/", []string{"token", DefaultToken}, 404, "not_found", "classifier not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := send(t, s.Client(), http.MethodGet, routeURL(s.BaseURL(), tc.route, tc.params...))
			assert.Equal(t, tc.status, a.status, a.body)
			e := decode[apiErr](t, a)
			assert.Equal(t, tc.code, e.Detail.Code)
			assert.Equal(t, tc.message, e.Detail.Message)
		})
	}
	assert.Equal(t, 4, s.Stats().TokenErrors)
	assert.Equal(t, 0, s.Stats().CompanyRequests)
}

func TestMethodsAndPaths(t *testing.T) {
	s := start(t, DefaultConfig())
	good := routeURL(s.BaseURL(), "update_status/", "token", DefaultToken, "iin_bin", SeedBIN)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodHead, http.MethodPatch} {
		a := send(t, s.Client(), m, good)
		assert.Equal(t, http.StatusMethodNotAllowed, a.status, m)
		assert.Equal(t, "GET", a.header.Get("Allow"), m)
		if m != http.MethodHead {
			assert.JSONEq(t, `{"detail":"Method Not Allowed"}`, a.body, m)
		}
	}
	// Routing comes before the token check.
	a := send(t, s.Client(), http.MethodPost, s.BaseURL()+"classifiers/krp/")
	assert.Equal(t, http.StatusMethodNotAllowed, a.status)

	for _, p := range []string{"/", "/api/v2", "/api/v2/", "/api/v1/update_status/", "/api/v2/update_status//", "/api/v2/classifiers/", "/api/v2/classifiers/krp/x/", "/api/v2/get_company/"} {
		a := send(t, s.Client(), http.MethodGet, s.URL+p+"?token="+DefaultToken)
		assert.Equal(t, http.StatusNotFound, a.status, p)
		assert.JSONEq(t, `{"detail":"Not Found"}`, a.body, p)
	}
	assert.Equal(t, Stats{}, s.Stats())
}

func TestTokens(t *testing.T) {
	s := start(t, Config{Tokens: []string{"first", "second"}})
	for _, tok := range []string{"first", "second"} {
		a := send(t, s.Client(), http.MethodGet, routeURL(s.BaseURL(), "classifiers/krp/", "token", tok))
		assert.Equal(t, http.StatusOK, a.status, tok)
	}
	a := send(t, s.Client(), http.MethodGet, routeURL(s.BaseURL(), "classifiers/krp/", "token", DefaultToken))
	assert.Equal(t, http.StatusUnauthorized, a.status)
	assert.Equal(t, Stats{ClassifierRequests: 2, TokenErrors: 1}, s.Stats())
}

func TestFaultsAndRecorder(t *testing.T) {
	s := start(t, DefaultConfig())
	s.Faults.Add(Fault{Path: APIPath + "update_status/", Status: http.StatusBadGateway, Body: `{"detail":"upstream"}`})
	a := call(t, s, "update_status/", "iin_bin", SeedBIN)
	assert.Equal(t, http.StatusBadGateway, a.status)
	assert.JSONEq(t, `{"detail":"upstream"}`, a.body)
	assert.Equal(t, 0, s.Stats().StatusRequests, "the fault answered, not the fake")

	a = call(t, s, "update_status/", "iin_bin", SeedBIN)
	assert.Equal(t, http.StatusOK, a.status)

	s.Faults.Add(Fault{Path: APIPath + "*", Drop: true, Times: 2})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, routeURL(s.BaseURL(), "classifiers/krp/", "token", DefaultToken), nil)
	require.NoError(t, err)
	_, err = s.Client().Do(req)
	assert.Error(t, err)
	s.Faults.Clear()

	reqs := s.Requests()
	require.GreaterOrEqual(t, len(reqs), 3)
	assert.Equal(t, APIPath+"update_status/", reqs[0].URL.Path)
	assert.Equal(t, DefaultToken, reqs[0].URL.Query().Get("token"))
	assert.Equal(t, SeedBIN, reqs[1].URL.Query().Get("iin_bin"))
}

func TestLatency(t *testing.T) {
	s := start(t, Config{Latency: 150 * time.Second})
	// In a synctest bubble over in-memory connections the latency and the
	// client's deadline are on the bubble's clock.
	synctest.Test(t, func(t *testing.T) {
		p := fakekit.NewPipeServer(s.Handler())
		defer p.Close()
		base := p.URL + APIPath
		t0 := time.Now()
		a := send(t, p.Client(), http.MethodGet, routeURL(base, "classifiers/krp/", "token", DefaultToken))
		assert.Equal(t, http.StatusOK, a.status)
		assert.Equal(t, 150*time.Second, time.Since(t0))

		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, routeURL(base, "classifiers/krp/", "token", DefaultToken), nil)
		require.NoError(t, err)
		t0 = time.Now()
		_, err = p.Client().Do(req)
		assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
		assert.Equal(t, 30*time.Second, time.Since(t0))
	})
}

func TestConfigCopied(t *testing.T) {
	tokens := []string{"a"}
	durations := map[string]time.Duration{"samruk": 0}
	s := start(t, Config{Tokens: tokens, Durations: durations})
	tokens[0] = "b"
	durations["samruk"] = time.Hour
	a := send(t, s.Client(), http.MethodGet, routeURL(s.BaseURL(), "classifiers/krp/", "token", "a"))
	assert.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, time.Duration(0), s.cfg.TaskDuration("samruk"))
	assert.Equal(t, s.URL+"/api/v2/", s.BaseURL())

	ds := DefaultDataset()
	ds[0].NameRU = "changed"
	card := decode[map[string]any](t, send(t, s.Client(), http.MethodGet, routeURL(s.BaseURL(), "get_bin_info/", "token", "a", "bin", SeedBIN)))
	assert.Equal(t, DefaultDataset()[0].NameRU, card["name_ru"])
}
