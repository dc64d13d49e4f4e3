package uztgstest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

func TestSignIn(t *testing.T) {
	s, clk := start(t, DefaultConfig())

	r := do(t, s, http.MethodPost, "auth/sign_in", creds{}, `{"email":"api@local.net","password":"Str0ngPas$"}`)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"data":{"id":6,"email":"api@local.net","provider":"email","uid":"api@local.net","name":"API user"}}`, string(r.body))
	assert.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
	assert.Len(t, r.token(), 22)
	assert.Len(t, r.header.Get("client"), 22)
	assert.NotEqual(t, r.token(), r.header.Get("client"))
	assert.Equal(t, "Bearer", r.header.Get("token-type"))
	assert.Equal(t, DefaultEmail, r.header.Get("uid"))
	assert.Equal(t, strconv.FormatInt(clk.Now().Add(14*24*time.Hour).Unix(), 10), r.header.Get("expiry"))

	// Each sign-in is a new session.
	again := signIn(t, s)
	assert.NotEqual(t, r.header.Get("client"), again.client)
	assert.Equal(t, 2, s.Sessions(DefaultEmail))

	// Addresses are case-insensitive; form bodies work too.
	r = do(t, s, http.MethodPost, "auth/sign_in", creds{}, `{"email":" API@Local.NET ","password":"Str0ngPas$"}`)
	assert.Equal(t, http.StatusOK, r.status)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.BaseURL()+"auth/sign_in",
		strings.NewReader(url.Values{"email": {DefaultEmail}, "password": {DefaultPassword}}.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Len(t, resp.Header.Get("access-token"), 22)

	assert.Equal(t, Stats{SignIns: 4}, s.Stats())
}

func TestSignInRefused(t *testing.T) {
	s, _ := start(t, DefaultConfig())
	for _, body := range []string{
		`{"email":"api@local.net","password":"wrong"}`,
		`{"email":"nobody@local.net","password":"Str0ngPas$"}`,
		`{"email":"api@local.net"}`,
		`{}`,
	} {
		r := do(t, s, http.MethodPost, "auth/sign_in", creds{}, body)
		assert.Equal(t, http.StatusUnauthorized, r.status, body)
		assert.JSONEq(t, `{"success":false,"errors":["Invalid login credentials. Please try again."]}`, string(r.body))
		for _, h := range []string{"access-token", "client", "expiry", "uid", "token-type"} {
			assert.Empty(t, r.header.Values(h), "%s on a refused sign-in", h)
		}
	}
	assert.Equal(t, Stats{SignInFailures: 4}, s.Stats())
	assert.Zero(t, s.Sessions(DefaultEmail))

	r := do(t, s, http.MethodGet, "auth/sign_in", creds{}, "")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Contains(t, string(r.body), "Use POST /sign_in to sign in. GET is not supported.")

	r = do(t, s, http.MethodPut, "auth/sign_in", creds{}, "")
	assert.Equal(t, http.StatusNotFound, r.status)

	r = do(t, s, http.MethodPost, "auth/sign_in", creds{}, `{"email":`)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.NotEmpty(t, errorsOf(t, r))
}

// TestHeadersOnTheWire checks that the auth headers are written in lower
// case, as the documentation shows them; Go's client canonicalises names,
// so the raw response is read.
func TestHeadersOnTheWire(t *testing.T) {
	s, _ := start(t, DefaultConfig())
	conn, err := net.Dial("tcp", s.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	body := `{"email":"api@local.net","password":"Str0ngPas$"}`
	_, err = fmt.Fprintf(conn, "POST /api/v1/auth/sign_in HTTP/1.1\r\nHost: uztgs.uz\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	require.NoError(t, err)
	raw, err := io.ReadAll(bufio.NewReader(conn))
	require.NoError(t, err)
	for _, h := range []string{"access-token", "token-type", "client", "expiry", "uid"} {
		assert.Contains(t, string(raw), "\r\n"+h+": ")
	}
}

func TestStrictRotation(t *testing.T) {
	s, clk := start(t, StrictConfig())
	a := signIn(t, s)

	r := get(t, s, "customers", a, nil)
	require.Equal(t, http.StatusOK, r.status)
	b := r.next(a)
	assert.NotEqual(t, a.token, b.token, "every request rotates")
	assert.Equal(t, a.client, r.header.Get("client"))
	assert.Equal(t, a.uid, r.header.Get("uid"))
	assert.Equal(t, strconv.FormatInt(clk.Now().Add(14*24*time.Hour).Unix(), 10), r.header.Get("expiry"))

	clk.Advance(time.Millisecond)
	r = get(t, s, "customers", a, nil)
	assert.Equal(t, http.StatusUnauthorized, r.status, "the replaced token dies at once")
	assert.JSONEq(t, `{"errors":["You need to sign in or sign up before continuing."]}`, string(r.body))
	assert.Empty(t, r.header.Values("access-token"))
	assert.Empty(t, r.header.Values("client"))

	r = get(t, s, "stations", b, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.NotEqual(t, b.token, r.token())

	assert.Equal(t, Stats{SignIns: 1, Rotations: 2, AuthFailures: 1}, s.Stats())
}

func TestGrace(t *testing.T) {
	cfg := StrictConfig()
	cfg.Grace = 5 * time.Second
	s, clk := start(t, cfg)

	t1 := signIn(t, s)
	t2 := get(t, s, "customers", t1, nil).next(t1)
	require.NotEqual(t, t1.token, t2.token)

	clk.Advance(4 * time.Second)
	r := get(t, s, "customers", t1, nil)
	require.Equal(t, http.StatusOK, r.status, "the replaced token is accepted within the grace")
	t3 := r.next(t1)
	assert.NotEqual(t, t2.token, t3.token, "and its request rotates")

	// t1 is now two rotations old: refused even within the grace.
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", t1, nil).status)

	// t2 was replaced by the last rotation: accepted until 5 s after it.
	clk.Advance(4999 * time.Millisecond)
	r = get(t, s, "auth/validate_token", t2, nil)
	require.Equal(t, http.StatusOK, r.status)
	t4 := r.next(t2)

	// That request rotated too, so t3 is the previous token now, and its
	// grace ends exactly 5 s later.
	clk.Advance(5 * time.Second)
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", t3, url.Values{"page": {"2"}}).status)
	assert.Equal(t, http.StatusOK, get(t, s, "customers", t4, nil).status)
}

func TestGraceForever(t *testing.T) {
	cfg := StrictConfig()
	cfg.Grace = GraceForever
	s, clk := start(t, cfg)

	t1 := signIn(t, s)
	t2 := get(t, s, "customers", t1, nil).next(t1)
	clk.Advance(10 * 24 * time.Hour)
	r := get(t, s, "customers", t1, nil)
	require.Equal(t, http.StatusOK, r.status, "the previous token lives until the next rotation")
	t3 := r.next(t1)

	// That request rotated again: t2 is now the previous token, t1 is dead.
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", t1, nil).status)
	assert.Equal(t, http.StatusOK, get(t, s, "customers", t2, nil).status)
	assert.NotEqual(t, t3.token, t2.token)
}

func TestBatchAnswers(t *testing.T) {
	s, clk := start(t, DefaultConfig())
	a := signIn(t, s)

	clk.Advance(time.Second)
	r := get(t, s, "customers", a, nil)
	require.Equal(t, http.StatusOK, r.status)
	// The blank values " " are trimmed by Go's HTTP server: the headers
	// are present and empty.
	assert.Equal(t, []string{""}, r.header.Values("access-token"))
	assert.Equal(t, []string{""}, r.header.Values("expiry"))
	assert.Equal(t, a.client, r.header.Get("client"))
	assert.Equal(t, a.uid, r.header.Get("uid"))
	assert.Equal(t, "Bearer", r.header.Get("token-type"))
	assert.Equal(t, a, r.next(a), "a batch answer keeps the token")

	// Each batch answer extends the window: requests every 4 s never rotate.
	for range 3 {
		clk.Advance(4 * time.Second)
		r = get(t, s, "stations", a, nil)
		require.Equal(t, http.StatusOK, r.status)
		assert.Empty(t, r.token())
	}

	// unbatch forces a rotation within the window.
	r = get(t, s, "stations", a, url.Values{"unbatch": {"true"}})
	require.Equal(t, http.StatusOK, r.status)
	b := r.next(a)
	assert.NotEqual(t, a.token, b.token)

	// Outside the window the request rotates.
	clk.Advance(6 * time.Second)
	r = get(t, s, "stations", b, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.NotEqual(t, b.token, r.next(b).token)
	assert.NotEmpty(t, r.header.Get("expiry"))

	assert.Equal(t, Stats{SignIns: 1, Rotations: 2, BatchAnswers: 4}, s.Stats())
}

func TestTokenExpiry(t *testing.T) {
	cfg := StrictConfig()
	cfg.TokenLifespan = time.Hour
	s, clk := start(t, cfg)
	a := signIn(t, s)
	a = get(t, s, "customers", a, nil).next(a)

	clk.Advance(59 * time.Minute)
	r := get(t, s, "customers", a, nil)
	require.Equal(t, http.StatusOK, r.status, "each rotation slides the expiry")
	assert.Equal(t, strconv.FormatInt(clk.Now().Add(time.Hour).Unix(), 10), r.header.Get("expiry"))
	a = r.next(a)

	clk.Advance(time.Hour)
	assert.Equal(t, 1, rawSessions(s, DefaultEmail), "the expired session is still stored")
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", a, nil).status)
	assert.Zero(t, rawSessions(s, DefaultEmail), "an expired session is dropped when found")
	assert.Zero(t, s.Sessions(DefaultEmail))
}

func TestMaxSessions(t *testing.T) {
	s, clk := start(t, DefaultConfig())
	var all []creds
	for range 11 {
		all = append(all, signIn(t, s))
		clk.Advance(time.Second)
	}
	assert.Equal(t, 10, s.Sessions(DefaultEmail))
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", all[0], nil).status, "the oldest session is evicted")
	for _, a := range all[1:] {
		assert.Equal(t, http.StatusOK, get(t, s, "customers", a, nil).status)
	}

	// Expired sessions go first, without counting against the limit.
	cfg := DefaultConfig()
	cfg.MaxSessions = 2
	cfg.TokenLifespan = time.Minute
	s2, clk2 := start(t, cfg)
	old := signIn(t, s2)
	clk2.Advance(2 * time.Minute)
	x, y := signIn(t, s2), signIn(t, s2)
	assert.Equal(t, 2, s2.Sessions(DefaultEmail))
	assert.Equal(t, http.StatusUnauthorized, get(t, s2, "customers", old, nil).status)
	assert.Equal(t, http.StatusOK, get(t, s2, "customers", x, nil).status)
	assert.Equal(t, http.StatusOK, get(t, s2, "customers", y, nil).status)
}

func TestSignOut(t *testing.T) {
	s, _ := start(t, StrictConfig())
	a := signIn(t, s)
	b := signIn(t, s)

	r := do(t, s, http.MethodDelete, "auth/sign_out", a, "")
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"success":true}`, string(r.body))
	assert.Empty(t, r.header.Values("access-token"), "no auth headers after sign-out")
	assert.Empty(t, r.header.Values("client"))

	r = do(t, s, http.MethodDelete, "auth/sign_out", a, "")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.JSONEq(t, `{"success":false,"errors":["User was not found or was not logged in."]}`, string(r.body))
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", a, nil).status)

	// The other session is untouched; a wrong token or client gets 404.
	assert.Equal(t, 1, s.Sessions(DefaultEmail))
	assert.Equal(t, http.StatusNotFound, do(t, s, http.MethodDelete, "auth/sign_out", creds{token: b.token, uid: b.uid}, "").status)
	assert.Equal(t, http.StatusNotFound, do(t, s, http.MethodDelete, "auth/sign_out", creds{token: "x", client: b.client, uid: b.uid}, "").status)
	assert.Equal(t, http.StatusNotFound, do(t, s, http.MethodGet, "auth/sign_out", b, "").status)

	st := s.Stats()
	assert.Equal(t, 1, st.SignOuts)
	assert.Equal(t, 1, st.AuthFailures)
}

func TestValidateToken(t *testing.T) {
	s, _ := start(t, StrictConfig())
	a := signIn(t, s)
	r := get(t, s, "auth/validate_token", a, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"success":true,"data":{"id":6,"email":"api@local.net","provider":"email","uid":"api@local.net","name":"API user"}}`, string(r.body))
	b := r.next(a)
	assert.NotEqual(t, a.token, b.token, "validate_token rotates like any protected route")

	r = get(t, s, "auth/validate_token", a, nil)
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.JSONEq(t, `{"success":false,"errors":["Invalid login credentials"]}`, string(r.body))
	assert.Empty(t, r.header.Values("access-token"))

	r = get(t, s, "auth/validate_token", creds{}, nil)
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Equal(t, 2, s.Stats().AuthFailures)
}

func TestCredentials(t *testing.T) {
	s, _ := start(t, StrictConfig())
	a := signIn(t, s)

	// No client header means the client "default", which has no session.
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", creds{token: a.token, uid: a.uid}, nil).status)
	// uid is matched exactly; an unknown user is refused.
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", creds{token: a.token, client: a.client, uid: "API@local.net"}, nil).status)
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", creds{client: a.client, uid: a.uid}, nil).status)

	// Like the gem, the fake takes the values from the parameters when the
	// headers are absent.
	r := get(t, s, "customers", creds{}, url.Values{"access-token": {a.token}, "client": {a.client}, "uid": {a.uid}})
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, a.client, r.header.Get("client"))
}

func TestUsers(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Users = map[string]string{"Zed@Example.uz": "z", DefaultEmail: DefaultPassword, "abc@example.uz": "a"}
	s, _ := start(t, cfg)
	r := do(t, s, http.MethodPost, "auth/sign_in", creds{}, `{"email":"zed@example.uz","password":"z"}`)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"data":{"id":8,"email":"zed@example.uz","provider":"email","uid":"zed@example.uz","name":"API user"}}`, string(r.body))
	r = do(t, s, http.MethodPost, "auth/sign_in", creds{}, `{"email":"abc@example.uz","password":"a"}`)
	assert.Contains(t, string(r.body), `"id":7`)
	assert.Equal(t, http.StatusUnauthorized, do(t, s, http.MethodPost, "auth/sign_in", creds{}, `{"email":"abc@example.uz","password":"z"}`).status)
	assert.Equal(t, 1, s.Sessions("ZED@example.uz"))
	assert.Zero(t, s.Sessions("nobody@example.uz"))
}

func TestRevokeSessions(t *testing.T) {
	s, _ := start(t, DefaultConfig())
	a, b := signIn(t, s), signIn(t, s)
	require.Equal(t, 2, s.Sessions(DefaultEmail))
	s.RevokeSessions(DefaultEmail)
	s.RevokeSessions("nobody@local.net") // no effect, no panic
	assert.Zero(t, s.Sessions(DefaultEmail))
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", a, nil).status)
	assert.Equal(t, http.StatusUnauthorized, get(t, s, "customers", b, nil).status)
	assert.Equal(t, http.StatusOK, get(t, s, "customers", signIn(t, s), nil).status, "signing in again works")
}

// TestSessionDeletedDuringRequest checks that an answer whose session was
// deleted while the request was processed carries no auth headers.
func TestSessionDeletedDuringRequest(t *testing.T) {
	s, _ := start(t, StrictConfig())
	a := signIn(t, s)
	req := httptest.NewRequest(http.MethodGet, APIPath+"/customers", nil)
	a.set(req)
	w := httptest.NewRecorder()
	s.protected(w, req, s.now(), nil, func(*account, params) (int, any) {
		s.RevokeSessions(DefaultEmail)
		return http.StatusOK, obj{"ok": true}
	})
	assert.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, `{"ok":true}`, w.Body.String())
	assert.NotContains(t, w.Header(), "access-token")
	assert.NotContains(t, w.Header(), "client")
	assert.Zero(t, s.Stats().Rotations)
}

func TestPagination(t *testing.T) {
	s, _ := start(t, StrictConfig())
	a := signIn(t, s)
	list := func(route string, q url.Values) page[map[string]any] {
		t.Helper()
		r := get(t, s, route, a, q)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		a = r.next(a)
		var p page[map[string]any]
		r.json(t, &p)
		return p
	}

	p := list("customers", url.Values{"per_page": {"10"}})
	assert.Len(t, p.Data, 10)
	assert.Equal(t, 3, p.TotalPages)
	assert.Equal(t, 1, p.CurrentPage)
	require.NotNil(t, p.NextPage)
	assert.Equal(t, 2, *p.NextPage)
	assert.Equal(t, float64(13), p.Data[0]["id"])
	assert.Equal(t, "0204875446", p.Data[0]["inn"])

	p = list("customers", url.Values{"per_page": {"10"}, "page": {"3"}})
	assert.Len(t, p.Data, 3)
	assert.Nil(t, p.NextPage, "next_page is null on the last page")

	p = list("customers", url.Values{"per_page": {"10"}, "page": {"4"}})
	assert.Empty(t, p.Data)
	assert.NotNil(t, p.Data, "data is [] past the end")
	assert.Equal(t, 4, p.CurrentPage)
	assert.Nil(t, p.NextPage)

	p = list("stations", nil)
	assert.Len(t, p.Data, 25, "25 per page by default")
	assert.Equal(t, 3, p.TotalPages)
	assert.Equal(t, float64(12), p.Data[0]["id"])

	p = list("equipment_types", nil)
	assert.Len(t, p.Data, 2)
	assert.Equal(t, 1, p.TotalPages)
	assert.Equal(t, "Флоугаз", p.Data[1]["name"])

	p = list("channel_archive_types", url.Values{"equipment_type_id": {"2"}, "per_page": {"5"}})
	assert.Equal(t, 3, p.TotalPages, "14 channels of type 2")
	assert.Equal(t, "Общий накопленный объем РУ", p.Data[0]["channel_name"])
	assert.Equal(t, "Месячный архив показаний", p.Data[0]["archive_type_name"])

	p = list("channel_archive_types", url.Values{"equipment_type_id": {"99"}})
	assert.Empty(t, p.Data)
	assert.Zero(t, p.TotalPages, "total_pages is 0 for an empty list")
	assert.Nil(t, p.NextPage)

	// per_page above 1000 is reduced to 1000.
	q := url.Values{"archive_type": {"hourly"}, "station_id": {"12"}, "equipment_id": {"25"},
		"fp_start": {"2021-01-01"}, "fp_end": {"2021-03-31"}, "per_page": {"5000"}}
	p = list("channel_data", q)
	assert.Len(t, p.Data, MaxPerPage)
	assert.Equal(t, 3, p.TotalPages, "2160 rows")

	cfg := StrictConfig()
	cfg.DefaultPerPage = 7
	s2, _ := start(t, cfg)
	r := get(t, s2, "customers", signIn(t, s2), nil)
	var p2 page[Customer]
	r.json(t, &p2)
	assert.Len(t, p2.Data, 7)
	assert.Equal(t, 4, p2.TotalPages)
	assert.Equal(t, DefaultDataset().Customers[:7], p2.Data)
}

func TestParamsFromJSONBody(t *testing.T) {
	s, _ := start(t, StrictConfig())
	a := signIn(t, s)
	currentPage := func(route, body string) int {
		t.Helper()
		r := do(t, s, http.MethodGet, route, a, body)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		a = r.next(a)
		var p page[map[string]any]
		r.json(t, &p)
		return p.CurrentPage
	}
	assert.Equal(t, 2, currentPage("stations", `{"page":"2"}`), "a JSON string")
	assert.Equal(t, 3, currentPage("stations", `{"page":3}`), "a JSON number")
	assert.Equal(t, 3, currentPage("stations?page=3", `{"page":"2"}`), "the query string wins")
	assert.Equal(t, 1, currentPage("stations", `{"page":null,"unbatch":false}`), "null is absent")

	r := do(t, s, http.MethodGet, "channel_data", a,
		`{"archive_type": "hourly", "station_id": "12", "equipment_id": "25", "fp_end": "2021-02-20", "fp_start": "2021-02-01", "page": "2"}`)
	require.Equal(t, http.StatusOK, r.status, "the documentation's example: %s", r.body)
	a = r.next(a)
	var p page[item]
	r.json(t, &p)
	assert.Equal(t, 20, p.TotalPages, "480 rows, 25 per page")
	assert.Equal(t, 2, p.CurrentPage)

	r = do(t, s, http.MethodGet, "channel_archive_types", a, `{"equipment_type_id": "2", "page": "1"}`)
	require.Equal(t, http.StatusOK, r.status)
	a = r.next(a)

	r = do(t, s, http.MethodGet, "stations", a, `["page", 2]`)
	assert.Equal(t, http.StatusBadRequest, r.status, "the body must be an object")
	r = do(t, s, http.MethodGet, "stations", a, `{"page": {"n": 2}}`)
	assert.Equal(t, http.StatusBadRequest, r.status, "a nested value is not a page number")
}

func TestBadParameters(t *testing.T) {
	s, _ := start(t, StrictConfig())
	a := signIn(t, s)
	archive := func(kv ...string) url.Values {
		q := url.Values{"archive_type": {"daily"}, "station_id": {"12"}, "equipment_id": {"25"},
			"fp_start": {"2021-02-01"}, "fp_end": {"2021-02-20"}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				q.Del(kv[i])
			} else {
				q.Set(kv[i], kv[i+1])
			}
		}
		return q
	}
	cases := []struct {
		name   string
		route  string
		q      url.Values
		status int
	}{
		{"page not a number", "customers", url.Values{"page": {"abc"}}, http.StatusBadRequest},
		{"page zero", "customers", url.Values{"page": {"0"}}, http.StatusBadRequest},
		{"per_page zero", "stations", url.Values{"per_page": {"0"}}, http.StatusBadRequest},
		{"per_page not a number", "stations", url.Values{"per_page": {"many"}}, http.StatusBadRequest},
		{"no equipment_type_id", "channel_archive_types", nil, http.StatusBadRequest},
		{"no archive_type", "channel_data", archive("archive_type", ""), http.StatusBadRequest},
		{"unknown archive_type", "channel_data", archive("archive_type", "weekly"), http.StatusBadRequest},
		{"no station_id", "channel_data", archive("station_id", ""), http.StatusBadRequest},
		{"bad station_id", "channel_data", archive("station_id", "12a"), http.StatusBadRequest},
		{"no equipment_id", "channel_data", archive("equipment_id", ""), http.StatusBadRequest},
		{"no fp_start", "channel_data", archive("fp_start", ""), http.StatusBadRequest},
		{"bad fp_end", "channel_data", archive("fp_end", "20.02.2021"), http.StatusBadRequest},
		{"fp_start after fp_end", "channel_data", archive("fp_start", "2021-02-21"), http.StatusBadRequest},
		{"unknown station", "channel_data", archive("station_id", "11"), http.StatusNotFound},
		{"wrong equipment", "channel_data", archive("equipment_id", "61"), http.StatusNotFound},
		{"unknown station, settings", "channel_data", archive("archive_type", "settings", "station_id", "999"), http.StatusNotFound},
	}
	for _, c := range cases {
		r := get(t, s, c.route, a, c.q)
		assert.Equal(t, c.status, r.status, "%s: %s", c.name, r.body)
		errs := errorsOf(t, r)
		if assert.Len(t, errs, 1, c.name) && c.status == http.StatusNotFound {
			assert.Equal(t, "Not found", errs[0])
		}
		// An authenticated request rotates whatever its answer.
		next := r.next(a)
		assert.NotEqual(t, a.token, next.token, "%s: rotation", c.name)
		a = next
	}
	assert.Equal(t, len(cases), s.Stats().Rotations)

	// Unknown routes and methods get 404 without authentication.
	for _, route := range []string{"meters", "auth/unknown", "customers/13"} {
		r := get(t, s, route, a, nil)
		assert.Equal(t, http.StatusNotFound, r.status, route)
		assert.Empty(t, r.token())
	}
	assert.Equal(t, http.StatusNotFound, do(t, s, http.MethodPost, "customers", a, "").status)
	resp, err := s.Client().Get(s.URL + "/api/v2/customers")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	// A malformed body is refused before authentication: no rotation.
	r := do(t, s, http.MethodGet, "customers", a, `{"page":`)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Empty(t, r.token())
	assert.Equal(t, http.StatusOK, get(t, s, "customers", a, nil).status, "the token is still current")
}

func TestChannelDataHourly(t *testing.T) {
	s, _ := start(t, StrictConfig())
	a := signIn(t, s)
	d := s.Dataset()
	from, to := time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 2, 20, 0, 0, 0, 0, time.UTC)
	want := d.ArchiveRows(12, "hourly", from, to)
	require.Equal(t, 20*24, want)

	var rows []item
	var raw []string
	q := url.Values{"archive_type": {"hourly"}, "station_id": {"12"}, "equipment_id": {"25"},
		"fp_start": {"2021-02-01"}, "fp_end": {"2021-02-20"}, "per_page": {"100"}}
	for pg := 1; ; pg++ {
		q.Set("page", strconv.Itoa(pg))
		r := get(t, s, "channel_data", a, q)
		require.Equal(t, http.StatusOK, r.status)
		a = r.next(a)
		var p page[item]
		r.json(t, &p)
		rows = append(rows, p.Data...)
		raw = append(raw, string(r.body))
		if p.NextPage == nil {
			break
		}
		require.Equal(t, pg+1, *p.NextPage)
	}
	require.Len(t, rows, want)

	// The newest row is the last hour of 20 February in Tashkent, the
	// oldest the first hour of 1 February; rows go back an hour at a time.
	assert.Equal(t, time.Date(2021, 2, 20, 23, 0, 0, 0, Tashkent).Unix(), rows[0].EventTime)
	assert.Equal(t, time.Date(2021, 2, 1, 0, 0, 0, 0, Tashkent).Unix(), rows[len(rows)-1].EventTime)
	orders := map[string]bool{}
	for i, row := range rows {
		if i > 0 {
			assert.Equal(t, rows[i-1].EventTime-3600, row.EventTime)
		}
		codes := make([]string, 0, len(row.ChannelData))
		for _, obj := range row.ChannelData {
			require.Len(t, obj, 1, "one key per object")
			for k := range obj {
				codes = append(codes, k)
			}
		}
		assert.ElementsMatch(t, []string{"P", "T", "VNakpriv", "VNakwork"}, codes)
		orders[strings.Join(codes, ",")] = true

		// The wire order is the order of ArchiveRow.
		if i%97 == 0 {
			ar := d.ArchiveRow(12, "hourly", from, to, i)
			assert.Equal(t, ar.EventTime, row.EventTime)
			for j, rd := range ar.Readings {
				assert.Equal(t, rd.Value, row.ChannelData[j][rd.Code])
			}
		}
	}
	assert.Greater(t, len(orders), 3, "the order of the readings varies")
	assert.Contains(t, raw[0], `"channel_data":[{"`)
	assert.Contains(t, raw[0], `"next_page":2}`)
}

func TestChannelDataOtherArchives(t *testing.T) {
	s, _ := start(t, StrictConfig())
	a := signIn(t, s)
	fetch := func(typ, station, equipment, from, to string) page[item] {
		t.Helper()
		r := get(t, s, "channel_data", a, url.Values{"archive_type": {typ}, "station_id": {station},
			"equipment_id": {equipment}, "fp_start": {from}, "fp_end": {to}, "per_page": {"1000"}})
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		a = r.next(a)
		var p page[item]
		r.json(t, &p)
		return p
	}
	codes := func(it item) []string {
		var out []string
		for _, o := range it.ChannelData {
			for k := range o {
				out = append(out, k)
			}
		}
		return out
	}

	p := fetch("daily", "12", "25", "2021-02-01", "2021-02-20")
	require.Len(t, p.Data, 20)
	assert.Equal(t, time.Date(2021, 2, 20, 0, 0, 0, 0, Tashkent).Unix(), p.Data[0].EventTime)
	assert.ElementsMatch(t, []string{"P", "T", "Vwork", "Vpriv", "Vnakwork", "Vnakpriv"}, codes(p.Data[0]))

	p = fetch("monthly", "12", "25", "2021-01-15", "2021-04-01")
	require.Len(t, p.Data, 3, "February, March and April start within the range")
	assert.Equal(t, time.Date(2021, 4, 1, 0, 0, 0, 0, Tashkent).Unix(), p.Data[0].EventTime)
	assert.Equal(t, time.Date(2021, 2, 1, 0, 0, 0, 0, Tashkent).Unix(), p.Data[2].EventTime)
	assert.ElementsMatch(t, []string{"Vwork", "Vpriv", "Vnakwork", "Vnakpriv"}, codes(p.Data[0]))

	p = fetch("yearly", "12", "25", "2020-01-01", "2022-06-30")
	require.Len(t, p.Data, 3)
	assert.Equal(t, time.Date(2022, 1, 1, 0, 0, 0, 0, Tashkent).Unix(), p.Data[0].EventTime)
	assert.ElementsMatch(t, []string{"Vwork", "Vpriv", "Vnakwork", "Vnakpriv"}, codes(p.Data[0]), "monthly channels")
	assert.Empty(t, fetch("yearly", "12", "25", "2020-01-02", "2020-12-31").Data)

	// Station 14 (the third) has a Флоугаз meter.
	st := s.Dataset().Stations[2]
	require.Equal(t, int64(2), st.EquipmentTypeID)
	p = fetch("hourly", strconv.FormatInt(st.ID, 10), strconv.FormatInt(st.EquipmentID, 10), "2021-02-01", "2021-02-01")
	require.Len(t, p.Data, 24)
	assert.ElementsMatch(t, []string{"P", "T", "Vwork", "Vst"}, codes(p.Data[0]))

	p = fetch("nesht", "12", "25", "2021-01-01", "2021-01-31")
	assert.InDelta(t, 31*24/37, len(p.Data), 1)
	for _, it := range p.Data {
		assert.Zero(t, it.EventTime%3600)
		require.Len(t, it.ChannelData, 2)
		assert.IsType(t, float64(0), it.ChannelData[0]["event_code"])
		assert.NotEmpty(t, it.ChannelData[1]["event_name"])
	}
}

func TestSettings(t *testing.T) {
	s, _ := start(t, StrictConfig())
	r := get(t, s, "channel_data", signIn(t, s), url.Values{"archive_type": {"settings"}, "station_id": {"12"}, "equipment_id": {"25"}})
	require.Equal(t, http.StatusOK, r.status, "no dates needed: %s", r.body)
	var p page[map[string]any]
	r.json(t, &p)
	require.Len(t, p.Data, 10)
	assert.Equal(t, map[string]any{
		"channel_name":       "Наличие датчика температуры окружающей среды (1 - датчик установлен, 0 - датчик отсутствует)",
		"channel_data_value": "0",
		"unit_name":          nil,
	}, p.Data[0])
	assert.Contains(t, string(r.body), `"unit_name":"кгс/см²"`)
	assert.Nil(t, p.NextPage)

	// A dataset without settings serves an empty list.
	d := DefaultDataset()
	d.Settings = nil
	cfg := StrictConfig()
	cfg.Dataset = d
	s2, _ := start(t, cfg)
	r = get(t, s2, "channel_data", signIn(t, s2), url.Values{"archive_type": {"settings"}, "station_id": {"12"}, "equipment_id": {"25"}})
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"data":[],"total_pages":0,"current_page":1,"next_page":null}`, string(r.body))
	assert.Same(t, d, s2.Dataset())
}

func TestDropResponse(t *testing.T) {
	s, _ := start(t, StrictConfig())
	a := signIn(t, s)
	s.Faults.Add(Fault{Path: APIPath + "/customers", DropResponse: true})

	// A client without keep-alive, so that net/http does not resend.
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.BaseURL()+"customers", nil)
	require.NoError(t, err)
	a.set(req)
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "the response is lost")
	assert.Equal(t, 1, s.Stats().Rotations, "but the token was rotated")

	r := get(t, s, "customers", a, nil)
	assert.Equal(t, http.StatusUnauthorized, r.status, "so the old token is dead")
	assert.Equal(t, 3, s.Recorder.Count(), "sign-in, the dropped request, the refused one")
}

func TestLatency(t *testing.T) {
	cfg := StrictConfig()
	cfg.Latency = 60 * time.Second
	s := NewServerWith(cfg)
	defer s.Close()
	// In a synctest bubble over in-memory connections the latency and the
	// client's deadline are on the bubble's clock.
	synctest.Test(t, func(t *testing.T) {
		p := fakekit.NewPipeServer(s.Config.Handler)
		defer p.Close()
		begin := time.Now()
		r := doWith(t, p.Client(), p.URL, http.MethodPost, "auth/sign_in", creds{},
			`{"email":"`+DefaultEmail+`","password":"`+DefaultPassword+`"}`)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		assert.Equal(t, cfg.Latency, time.Since(begin))
		a := creds{token: r.token(), client: r.header.Get("client"), uid: r.header.Get("uid")}

		// A client that gives up first gets no answer and the token stays.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+APIPath+"/customers", nil)
		require.NoError(t, err)
		a.set(req)
		resp, err := p.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		require.ErrorIs(t, err, context.DeadlineExceeded)
		time.Sleep(2 * cfg.Latency)
		assert.Zero(t, s.Stats().Rotations)
		assert.Equal(t, http.StatusOK, doWith(t, p.Client(), p.URL, http.MethodGet, "customers", a, "").status)
	})
}

func TestDefaults(t *testing.T) {
	s := NewServer()
	defer s.Close()
	assert.Equal(t, s.URL+"/api/v1/", s.BaseURL())
	assert.Equal(t, DefaultConfig(), Config{
		Grace: 5 * time.Second, BatchWindow: 5 * time.Second, TokenLifespan: 14 * 24 * time.Hour,
		MaxSessions: 10, DefaultPerPage: 25,
	})
	assert.Equal(t, 10, s.cfg.MaxSessions)
	assert.Len(t, s.Dataset().Stations, 57)
	st := StrictConfig()
	assert.Zero(t, st.Grace)
	assert.Zero(t, st.BatchWindow)

	z := newServer(Config{}, time.Now)
	defer z.Close()
	assert.Equal(t, 14*24*time.Hour, z.cfg.TokenLifespan)
	assert.Equal(t, 10, z.cfg.MaxSessions)
	assert.Equal(t, 25, z.cfg.DefaultPerPage)
	assert.Zero(t, z.cfg.BatchWindow)
}

// TestSynctest shows that the fake's handler runs inside a synctest
// bubble, whose fake clock then drives the grace and batch rules.
func TestSynctest(t *testing.T) {
	s := NewServer()
	defer s.Close()
	h := s.Config.Handler
	call := func(method, route string, a creds, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, APIPath+"/"+route, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		a.set(req)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	synctest.Test(t, func(t *testing.T) {
		w := call(http.MethodPost, "auth/sign_in", creds{}, `{"email":"api@local.net","password":"Str0ngPas$"}`)
		require.Equal(t, http.StatusOK, w.Code)
		a := creds{token: raw(w, "access-token"), client: raw(w, "client"), uid: DefaultEmail}
		assert.Equal(t, strconv.FormatInt(time.Now().Add(14*24*time.Hour).Unix(), 10), raw(w, "expiry"))

		w = call(http.MethodGet, "customers", a, "")
		require.Equal(t, http.StatusOK, w.Code)
		assert.Equal(t, " ", raw(w, "access-token"), "a batch answer right after sign-in")

		time.Sleep(6 * time.Second)
		w = call(http.MethodGet, "customers", a, "")
		require.Equal(t, http.StatusOK, w.Code)
		b := a
		b.token = raw(w, "access-token")
		require.NotEqual(t, a.token, b.token, "outside the window the token rotates")

		time.Sleep(4 * time.Second)
		assert.Equal(t, http.StatusOK, call(http.MethodGet, "customers", a, "").Code, "old token within the grace")
		time.Sleep(6 * time.Second)
		assert.Equal(t, http.StatusUnauthorized, call(http.MethodGet, "customers", a, "").Code, "and refused after it")
	})
}

// raw returns a header of a recorded answer by its lower-case name, as the
// fake writes it (Header.Get would look for the canonical name).
func raw(w *httptest.ResponseRecorder, name string) string {
	if vs := w.Header()[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}
