package uztgs

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values of the documentation's example (§2).
const (
	docEmail    = "api@local.net"
	docPassword = "Str0ngPas$"
	docToken1   = "tgervk9_9xicJYpmSsnnNA"
	docToken2   = "Bmh2GVrxr6aW0Hngor4gPw"
	docClient   = "D-Uv3ER53873oLhnNLjL9w"
	docExpiry1  = "1615227012"
	docExpiry2  = "1615311367"
)

// newMocked returns a client on an httpmock transport. Any request without
// a responder fails the test. Refreshing before expiry is off, because the
// documentation's expiry values are in 2021.
func newMocked(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, ""), nil
	})
	base := []Option{WithHTTPClient(&http.Client{Transport: mt}), WithPassword(docEmail, docPassword), WithRefreshBefore(-1), WithMaxRetries(0)}
	c, err := New(append(base, opts...)...)
	require.NoError(t, err)
	return c, mt
}

func sessionResponse(status int, body, token, expiry string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp.Header.Set("access-token", token)
	resp.Header.Set("token-type", "Bearer")
	resp.Header.Set("client", docClient)
	resp.Header.Set("expiry", expiry)
	resp.Header.Set("uid", docEmail)
	return resp
}

// signInResponder answers the documentation's sign-in.
func signInResponder(t *testing.T, mt *httpmock.MockTransport) {
	mt.RegisterResponder(http.MethodPost, DefaultBaseURL+pathSignIn, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Empty(t, r.Header.Get("access-token"), "a sign-in carries no token")
		body, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `{"email":"api@local.net","password":"Str0ngPas$"}`, string(body))
		return sessionResponse(200, `{"data":{"id":6,"email":"api@local.net","provider":"email","uid":"api@local.net","name":"API user"}}`, docToken1, docExpiry1), nil
	})
}

// expectGet registers a GET responder that checks the query of a
// documentation URL and the session headers, and answers body with the
// next token.
func expectGet(t *testing.T, mt *httpmock.MockTransport, docURL, wantToken, body string) {
	t.Helper()
	u, err := url.Parse(docURL)
	require.NoError(t, err)
	mt.RegisterResponder(http.MethodGet, "https://uztgs.uz"+u.Path, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, u.Query(), r.URL.Query(), "query of %s", docURL)
		assert.Equal(t, wantToken, r.Header.Get("access-token"))
		assert.Equal(t, "Bearer", r.Header.Get("token-type"))
		assert.Equal(t, docClient, r.Header.Get("client"))
		assert.Equal(t, docEmail, r.Header.Get("uid"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "§4 asks for it on every request")
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "steppe/"))
		// The session hands net/http an empty body it cannot rewind (so a
		// dropped connection is not silently resent with a replaced
		// token); net/http sends none (TestGETsCarryNoBody).
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			assert.Empty(t, b, "parameters go in the query string, not a GET body")
			assert.Zero(t, r.ContentLength)
		}
		return sessionResponse(200, body, docToken2, docExpiry2), nil
	})
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDocumentationSessionFlow(t *testing.T) {
	c, mt := newMocked(t)
	ctx := context.Background()
	signInResponder(t, mt)
	u, err := c.SignIn(ctx)
	require.NoError(t, err)
	assert.Equal(t, &User{ID: 6, Email: docEmail, Provider: "email", UID: docEmail, Name: "API user"}, u)
	h := c.Headers()
	assert.Equal(t, Headers{AccessToken: docToken1, TokenType: "Bearer", Client: docClient, Expiry: 1615227012, UID: docEmail}, h)

	// §2: GET stations with the token of the sign-in, page 2.
	expectGet(t, mt, "https://uztgs.uz/api/v1/stations?page=2", docToken1, `{"data":[{"id":1,"name":"865293041101853","seances_event_time":1612099086,"equipment_brand_name":"Koppeктор БК","phone":"","equipment_id":1}],"total_pages":7,"current_page":2}`)
	page, err := c.StationsPage(ctx, PageParams{Page: 2})
	require.NoError(t, err)
	assert.Equal(t, 7, page.TotalPages)
	assert.Equal(t, 2, page.CurrentPage)
	assert.Equal(t, 3, page.NextPage, "the sample has no next_page; total_pages decides")
	require.Len(t, page.Items, 1)
	assert.Equal(t, time.Date(2021, 1, 31, 13, 18, 6, 0, time.UTC), page.Items[0].LastSession)
	assert.Equal(t, docToken2, c.Headers().AccessToken, "the response's new token is kept")
	assert.Equal(t, int64(1615311367), c.Headers().Expiry)

	// Sign-out with the last token.
	mt.RegisterResponder(http.MethodDelete, DefaultBaseURL+pathSignOut, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, docToken2, r.Header.Get("access-token"))
		assert.Equal(t, docClient, r.Header.Get("client"))
		assert.Equal(t, docEmail, r.Header.Get("uid"))
		return httpmock.NewStringResponse(200, `{"success":true}`), nil
	})
	require.NoError(t, c.Close())
	assert.Equal(t, Headers{}, c.Headers())
	assert.Equal(t, 1, mt.GetCallCountInfo()["DELETE "+DefaultBaseURL+pathSignOut])
}

// The resource URLs of §3.1–§3.7 give the queries. The curls of §4.2–§4.7
// send the same parameters as a JSON body of a GET ({"page":"2"} for §4.2
// and {"page":2} for §4.3, both page=2 in TestDecodesDocumentationSamples;
// §4.4 is §3.5's URL, §4.5 {"equipment_type_id":"2","page":"1"} and §4.6
// the hourly archive with page 1 are in TestDecodesDocumentationSamples,
// §4.7 is §3.7's URL): the client sends them in the query string, as §3
// shows, and no body.
func TestRequestShapesMatchDocumentationExamples(t *testing.T) {
	ctx := context.Background()
	empty := `{"data":[],"total_pages":1,"current_page":1,"next_page":null}`
	cases := []struct {
		doc  string
		call func(c *Client) error
	}{
		{"https://uztgs.uz/api/v1/customers?page=1", func(c *Client) error {
			_, err := c.CustomersPage(ctx, PageParams{Page: 1})
			return err
		}},
		{"https://uztgs.uz/api/v1/stations?page=1", func(c *Client) error {
			_, err := c.StationsPage(ctx, PageParams{Page: 1})
			return err
		}},
		{"https://uztgs.uz/api/v1/equipment_types?page=1", func(c *Client) error {
			_, err := c.EquipmentTypesPage(ctx, PageParams{Page: 1})
			return err
		}},
		{"https://uztgs.uz/api/v1/channel_archive_types?equipment_type_id=25&page=1", func(c *Client) error {
			_, err := c.ChannelsPage(ctx, 25, PageParams{Page: 1})
			return err
		}},
		{"https://uztgs.uz/api/v1/channel_data?archive_type=hourly&station_id=12&equipment_id=25&fp_end=2021-02-20&fp_start=2021-02-01&page=2", func(c *Client) error {
			_, err := c.ArchivePage(ctx, ArchiveParams{Type: Hourly, StationID: 12, EquipmentID: 25, From: day(2021, 2, 1), To: day(2021, 2, 20), PageParams: PageParams{Page: 2}})
			return err
		}},
		{"https://uztgs.uz/api/v1/channel_data?archive_type=settings&station_id=12&equipment_id=25&page=1", func(c *Client) error {
			_, err := c.SettingsPage(ctx, SettingsParams{StationID: 12, EquipmentID: 25, PageParams: PageParams{Page: 1}})
			return err
		}},
		{"https://uztgs.uz/api/v1/customers?page=3&per_page=1000", func(c *Client) error {
			_, err := c.CustomersPage(ctx, PageParams{Page: 3, PerPage: 1000})
			return err
		}},
		{"https://uztgs.uz/api/v1/customers", func(c *Client) error {
			_, err := c.CustomersPage(ctx, PageParams{})
			return err
		}},
		{"https://uztgs.uz/api/v1/channel_data?archive_type=nesht&station_id=1&equipment_id=2&fp_end=2021-03-01&fp_start=2021-03-01", func(c *Client) error {
			// The calendar date in the time's own location is sent.
			tashkent := time.FixedZone("UZT", 5*3600)
			d := time.Date(2021, 3, 1, 2, 0, 0, 0, tashkent) // 2021-02-28 21:00 UTC
			_, err := c.ArchivePage(ctx, ArchiveParams{Type: Abnormal, StationID: 1, EquipmentID: 2, From: d, To: d})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.doc, func(t *testing.T) {
			c, mt := newMocked(t, WithHeaders(Headers{AccessToken: docToken1, TokenType: "Bearer", Client: docClient, UID: docEmail, Expiry: 1615227012}))
			expectGet(t, mt, tc.doc, docToken1, empty)
			require.NoError(t, tc.call(c))
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

// The answers of §3.1, §3.2, §3.3, §3.5, §3.6 and §3.7 (§4.2 and §4.3
// print the first items of §3.1 and §3.2 again). Damaged in print and read
// as follows: "..." stands for more items and is left out; the archive
// of §3.3 closes its object before total_pages, current_page and
// next_page, which are read as members of the same object; the setting of
// §3.7 has a comma after the last item and a line break inside
// channel_name, read without the comma and with a space; the second
// customer of §3.1 is printed "\`TRANSYO`LQURILISH`" DUK", quoting damaged
// in typesetting (the backtick is the Uzbek Latin o‘, as in O'ZBEKISTON),
// read as the name "TRANSYO`LQURILISH" DUK in double quotes.
func TestDecodesDocumentationSamples(t *testing.T) {
	ctx := context.Background()
	c, mt := newMocked(t, WithHeaders(Headers{AccessToken: docToken1, Client: docClient, UID: docEmail}))

	expectGet(t, mt, "https://uztgs.uz/api/v1/customers?page=2", docToken1, `{ "data": [
	  {"id": 13, "name": "O'ZBEKISTON YENGIL ATLETIKA FEDERATSIYASI", "subdivision_type_name": "Владелец ПУУ", "inn": "0204875446", "contact_number": "+998-91-381-18-88"},
	  {"id": 22, "name": "\"TRANSYO`+"`"+`LQURILISH\" DUK", "subdivision_type_name": "Владелец ПУУ", "inn": "0300943875", "contact_number": "+998-97-354-54-01"}
	], "total_pages": 8, "current_page": 2, "next_page": 3 }`)
	customers, err := c.CustomersPage(ctx, PageParams{Page: 2})
	require.NoError(t, err)
	assert.Equal(t, &Page[Customer]{
		Items: []Customer{
			{ID: 13, Name: "O'ZBEKISTON YENGIL ATLETIKA FEDERATSIYASI", SubdivisionType: "Владелец ПУУ", INN: "0204875446", ContactNumber: "+998-91-381-18-88"},
			{ID: 22, Name: "\"TRANSYO`LQURILISH\" DUK", SubdivisionType: "Владелец ПУУ", INN: "0300943875", ContactNumber: "+998-97-354-54-01"},
		},
		TotalPages: 8, CurrentPage: 2, NextPage: 3,
	}, customers)

	expectGet(t, mt, "https://uztgs.uz/api/v1/stations?page=2", docToken2, `{"data": [{"id": 18, "name": "000 \"Coca-Cola Ichimligi Uzbekistan\" LTD", "seances_event_time": 1614236068, "equipment_type_id": 1, "equipment_brand_name": "БК", "phone": "+998-97-725-12-28", "equipment_id": 61, "customer_id": 14}], "total_pages": 9, "current_page": 2, "next_page": 3}`)
	stations, err := c.StationsPage(ctx, PageParams{Page: 2})
	require.NoError(t, err)
	assert.Equal(t, []Station{{ID: 18, Name: `000 "Coca-Cola Ichimligi Uzbekistan" LTD`, LastSession: time.Unix(1614236068, 0).UTC(), EquipmentTypeID: 1, EquipmentBrandName: "БК", Phone: "+998-97-725-12-28", EquipmentID: 61, CustomerID: 14}}, stations.Items)
	assert.Equal(t, time.UTC, stations.Items[0].LastSession.Location(), "unix times become UTC")
	assert.Equal(t, ArchiveParams{Type: Daily, StationID: 18, EquipmentID: 61, From: day(2021, 1, 1), To: day(2021, 1, 31)}, stations.Items[0].Archive(Daily, day(2021, 1, 1), day(2021, 1, 31)))

	expectGet(t, mt, "https://uztgs.uz/api/v1/channel_data?archive_type=hourly&station_id=12&equipment_id=25&fp_end=2021-02-20&fp_start=2021-02-01&page=1", docToken2, `{
	  "data": [
	    {"event_time": 1612292400, "channel_data": [{ "T": 25.193481 }, { "VNakpriv": 89519.01 }, { "VNakwork": 292537.06 }, { "P": 0.9954071 }]},
	    {"event_time": 1612288800, "channel_data": [{ "P": 0.995224 }, { "VNakpriv": 89519.01 }, { "VNakwork": 292537.06 }, { "T": 25.103271 }]}
	  ],
	  "total_pages": 2, "current_page": 1, "next_page": 2 }`)
	archive, err := c.ArchivePage(ctx, ArchiveParams{Type: Hourly, StationID: 12, EquipmentID: 25, From: day(2021, 2, 1), To: day(2021, 2, 20), PageParams: PageParams{Page: 1}})
	require.NoError(t, err)
	require.Len(t, archive.Items, 2)
	first := archive.Items[0]
	assert.Equal(t, time.Date(2021, 2, 2, 19, 0, 0, 0, time.UTC), first.Time)
	assert.Equal(t, Readings{{Channel: "T", Value: 25.193481, Valid: true}, {Channel: "VNakpriv", Value: 89519.01, Valid: true}, {Channel: "VNakwork", Value: 292537.06, Valid: true}, {Channel: "P", Value: 0.9954071, Valid: true}}, first.Readings, "server order kept")
	assert.Equal(t, "P", archive.Items[1].Readings[0].Channel, "each record keeps its own order")
	v, ok := first.Readings.Get(ChannelVnakpriv)
	assert.True(t, ok, "the table's spelling finds the sample's")
	assert.Equal(t, 89519.01, v)
	assert.Equal(t, 2, archive.NextPage)

	expectGet(t, mt, "https://uztgs.uz/api/v1/equipment_types?page=1", docToken2, `{"data": [{"id": 1, "name": "БК", "equipment_kind_name": "Корректор", "telemetry_type_name": "ББТ-1", "resource_name": "Газ", "description": "Корректор объема газа БК "}], "total_pages": 1, "current_page": 1, "next_page": null}`)
	types, err := c.EquipmentTypesPage(ctx, PageParams{Page: 1})
	require.NoError(t, err)
	assert.Equal(t, &Page[EquipmentType]{Items: []EquipmentType{{ID: 1, Name: "БК", Kind: "Корректор", TelemetryType: "ББТ-1", Resource: "Газ", Description: "Корректор объема газа БК "}}, TotalPages: 1, CurrentPage: 1}, types)

	expectGet(t, mt, "https://uztgs.uz/api/v1/channel_archive_types?equipment_type_id=2&page=1", docToken2, `{"data": [{"equipment_type_id": 2, "archive_type_name": "Суточный архив показаний", "archive_type_varname": "daily", "channel_name": "Среднее давление", "channel_varname": "P", "unit_name": "кПа"}], "total_pages": 4, "current_page": 1, "next_page": 2}`)
	channels, err := c.ChannelsPage(ctx, EquipmentFlowgas, PageParams{Page: 1})
	require.NoError(t, err)
	assert.Equal(t, []Channel{{EquipmentTypeID: 2, ArchiveName: "Суточный архив показаний", Archive: Daily, Name: "Среднее давление", Code: "P", Unit: "кПа"}}, channels.Items)

	expectGet(t, mt, "https://uztgs.uz/api/v1/channel_data?archive_type=settings&station_id=12&equipment_id=25&page=1", docToken2, `{"data": [{"channel_name": "Наличие датчика температуры окружающей среды (1 - датчик установлен, 0 - датчик отсутствует)", "channel_data_value": "0", "unit_name": null}], "total_pages": 1, "current_page": 1, "next_page": null}`)
	settings, err := c.SettingsPage(ctx, SettingsParams{StationID: 12, EquipmentID: 25, PageParams: PageParams{Page: 1}})
	require.NoError(t, err)
	assert.Equal(t, []Setting{{Name: "Наличие датчика температуры окружающей среды (1 - датчик установлен, 0 - датчик отсутствует)", Value: "0"}}, settings.Items)
	assert.Zero(t, settings.NextPage)
}

func TestIteratorsUseLargestPageAndFollowNextPage(t *testing.T) {
	c, mt := newMocked(t, WithHeaders(Headers{AccessToken: docToken1, Client: docClient, UID: docEmail}))
	var pages []string
	mt.RegisterResponder(http.MethodGet, "https://uztgs.uz/api/v1/customers", func(r *http.Request) (*http.Response, error) {
		q := r.URL.Query()
		pages = append(pages, q.Get("page"))
		assert.Equal(t, "1000", q.Get("per_page"))
		next := `null`
		if q.Get("page") == "1" {
			next = "2"
		}
		body := `{"data":[{"id":` + q.Get("page") + `}],"total_pages":2,"current_page":` + q.Get("page") + `,"next_page":` + next + `}`
		return sessionResponse(200, body, docToken2, docExpiry2), nil
	})
	var ids []int64
	for cu, err := range c.Customers(context.Background(), PageParams{}) {
		require.NoError(t, err)
		ids = append(ids, cu.ID)
	}
	assert.Equal(t, []int64{1, 2}, ids)
	assert.Equal(t, []string{"1", "2"}, pages)
}

func TestIteratorsOfEveryView(t *testing.T) {
	ctx := context.Background()
	c, mt := newMocked(t, WithHeaders(Headers{AccessToken: docToken1, Client: docClient, UID: docEmail}))
	one := func(item string) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			assert.Equal(t, "1000", r.URL.Query().Get("per_page"))
			assert.Equal(t, "1", r.URL.Query().Get("page"))
			return sessionResponse(200, `{"data":[`+item+`],"total_pages":1,"current_page":1,"next_page":null}`, docToken2, docExpiry2), nil
		}
	}
	mt.RegisterResponder(http.MethodGet, "https://uztgs.uz/api/v1/stations", one(`{"id":5}`))
	mt.RegisterResponder(http.MethodGet, "https://uztgs.uz/api/v1/equipment_types", one(`{"id":1}`))
	mt.RegisterResponder(http.MethodGet, "https://uztgs.uz/api/v1/channel_archive_types", one(`{"equipment_type_id":1,"channel_varname":"P"}`))
	mt.RegisterResponder(http.MethodGet, "https://uztgs.uz/api/v1/channel_data", func(r *http.Request) (*http.Response, error) {
		if r.URL.Query().Get("archive_type") == "settings" {
			return one(`{"channel_name":"x","channel_data_value":"1","unit_name":"м"}`)(r)
		}
		return one(`{"event_time":1,"channel_data":[{"P":1}]}`)(r)
	})
	n := 0
	for s, err := range c.Stations(ctx, PageParams{}) {
		require.NoError(t, err)
		assert.Equal(t, int64(5), s.ID)
		n++
	}
	for e, err := range c.EquipmentTypes(ctx, PageParams{}) {
		require.NoError(t, err)
		assert.Equal(t, "", e.Name)
		n++
	}
	for ch, err := range c.Channels(ctx, 1, PageParams{}) {
		require.NoError(t, err)
		assert.Equal(t, "P", ch.Code)
		n++
	}
	for r, err := range c.Archive(ctx, ArchiveParams{Type: Daily, StationID: 5, EquipmentID: 6, From: day(2021, 1, 1), To: day(2021, 1, 1)}) {
		require.NoError(t, err)
		assert.Equal(t, time.Unix(1, 0).UTC(), r.Time)
		n++
	}
	for s, err := range c.Settings(ctx, SettingsParams{StationID: 5, EquipmentID: 6}) {
		require.NoError(t, err)
		assert.Equal(t, Setting{Name: "x", Value: "1", Unit: "м"}, s)
		n++
	}
	assert.Equal(t, 5, n)
}

func TestValidationBeforeAnyRequest(t *testing.T) {
	ctx := context.Background()
	c, mt := newMocked(t)
	from, to := day(2021, 2, 1), day(2021, 2, 20)
	good := ArchiveParams{Type: Hourly, StationID: 12, EquipmentID: 25, From: from, To: to}
	with := func(f func(p *ArchiveParams)) ArchiveParams { p := good; f(&p); return p }
	cases := []struct {
		field string
		err   error
	}{
		{"per_page", func() error { _, err := c.CustomersPage(ctx, PageParams{PerPage: 1001}); return err }()},
		{"per_page", func() error { _, err := c.StationsPage(ctx, PageParams{PerPage: -1}); return err }()},
		{"page", func() error { _, err := c.EquipmentTypesPage(ctx, PageParams{Page: -1}); return err }()},
		{"equipment_type_id", func() error { _, err := c.ChannelsPage(ctx, 0, PageParams{}); return err }()},
		{"archive_type", func() error { _, err := c.ArchivePage(ctx, with(func(p *ArchiveParams) { p.Type = "" })); return err }()},
		{"archive_type", func() error {
			_, err := c.ArchivePage(ctx, with(func(p *ArchiveParams) { p.Type = "settings" }))
			return err
		}()},
		{"archive_type", func() error {
			_, err := c.ArchivePage(ctx, with(func(p *ArchiveParams) { p.Type = "weekly" }))
			return err
		}()},
		{"station_id", func() error {
			_, err := c.ArchivePage(ctx, with(func(p *ArchiveParams) { p.StationID = 0 }))
			return err
		}()},
		{"equipment_id", func() error {
			_, err := c.ArchivePage(ctx, with(func(p *ArchiveParams) { p.EquipmentID = -1 }))
			return err
		}()},
		{"fp_start", func() error {
			_, err := c.ArchivePage(ctx, with(func(p *ArchiveParams) { p.From = time.Time{} }))
			return err
		}()},
		{"fp_end", func() error {
			_, err := c.ArchivePage(ctx, with(func(p *ArchiveParams) { p.To = time.Time{} }))
			return err
		}()},
		{"fp_end", func() error {
			_, err := c.ArchivePage(ctx, with(func(p *ArchiveParams) { p.From, p.To = to, from }))
			return err
		}()},
		{"per_page", func() error {
			_, err := c.ArchivePage(ctx, with(func(p *ArchiveParams) { p.PerPage = 5000 }))
			return err
		}()},
		{"station_id", func() error { _, err := c.SettingsPage(ctx, SettingsParams{EquipmentID: 1}); return err }()},
		{"station_id", firstErr(c.Archive(ctx, with(func(p *ArchiveParams) { p.StationID = 0 })))},
		{"station_id", firstErr(c.Settings(ctx, SettingsParams{}))},
		{"per_page", firstErr(c.Customers(ctx, PageParams{PerPage: 1001}))},
		{"per_page", firstErr(c.Stations(ctx, PageParams{PerPage: 1001}))},
		{"per_page", firstErr(c.EquipmentTypes(ctx, PageParams{PerPage: 1001}))},
		{"equipment_type_id", firstErr(c.Channels(ctx, -3, PageParams{}))},
		{"sessions", firstErr(c.Export(ctx, ExportParams{Type: Hourly, From: from, To: to, Sessions: 11}))},
		{"fp_start", firstErr(c.Export(ctx, ExportParams{Type: Hourly, To: to}))},
	}
	for i, tc := range cases {
		var ve *ValidationError
		require.ErrorAs(t, tc.err, &ve, "case %d", i)
		assert.Equal(t, tc.field, ve.Field, "case %d: %v", i, tc.err)
		assert.ErrorIs(t, tc.err, ErrValidation)
	}
	assert.Contains(t, cases[5].err.Error(), "Client.Settings", "settings has its own call")
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing was sent")
}

func firstErr[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		return err
	}
	return nil
}

func TestNewRequiresCredentials(t *testing.T) {
	_, err := New()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "credentials", ve.Field)
	_, err = New(WithPassword("a@b", ""))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "password", ve.Field)
	_, err = New(WithPassword("", "pw"))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "email", ve.Field)
	_, err = New(WithHeaders(Headers{AccessToken: "x"}))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "headers", ve.Field)
	_, err = New(WithPassword("a@b", "pw"), WithBaseURL("ftp://x"))
	require.ErrorIs(t, err, ErrValidation)
	c, err := New(WithTokenStore(NewMemoryStore(Headers{})))
	require.NoError(t, err, "a store alone may hold a session")
	_, err = c.CustomersPage(context.Background(), PageParams{})
	require.ErrorIs(t, err, ErrUnauthorized, "an empty store and no password: nothing to send")
	_, err = c.SignIn(context.Background())
	require.ErrorIs(t, err, ErrUnauthorized)
}

func TestServerErrorsAreTyped(t *testing.T) {
	ctx := context.Background()
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodPost, DefaultBaseURL+pathSignIn, func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(401, `{"success":false,"errors":["Invalid login credentials. Please try again."]}`), nil
	})
	_, err := c.StationsPage(ctx, PageParams{})
	require.ErrorIs(t, err, ErrUnauthorized)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Invalid login credentials. Please try again.", e.Message)
	assert.Equal(t, http.MethodPost, e.Method)
	assert.NotContains(t, err.Error(), docPassword)
	assert.NotContains(t, string(e.Body), docPassword)

	c2, mt2 := newMocked(t, WithHeaders(Headers{AccessToken: docToken1, Client: docClient, UID: docEmail}))
	mt2.RegisterResponder(http.MethodGet, "https://uztgs.uz/api/v1/channel_data", func(*http.Request) (*http.Response, error) {
		return sessionResponse(404, `{"errors":["Not found"]}`, docToken2, docExpiry2), nil
	})
	_, err = c2.SettingsPage(ctx, SettingsParams{StationID: 1, EquipmentID: 2})
	require.ErrorIs(t, err, ErrNotFound)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Not found", e.Message)
	assert.Equal(t, docToken2, c2.Headers().AccessToken, "an error answer may still rotate the token")

	mt2.RegisterResponder(http.MethodGet, "https://uztgs.uz/api/v1/customers", func(*http.Request) (*http.Response, error) {
		return sessionResponse(200, `<html>maintenance</html>`, docToken1, docExpiry2), nil
	})
	_, err = c2.CustomersPage(ctx, PageParams{})
	require.ErrorIs(t, err, ErrDecode)
}

func TestParseError(t *testing.T) {
	cases := map[string]string{
		`{"errors":["You need to sign in or sign up before continuing."]}`:       "You need to sign in or sign up before continuing.",
		`{"success":false,"errors":["a","b"]}`:                                   "a; b",
		`{"status":"error","errors":{"full_messages":["Email can't be blank"]}}`: "Email can't be blank",
		`{"error":"boom"}`:   "boom",
		`not json`:           "",
		`{"errors":{"x":1}}`: "",
	}
	for body, want := range cases {
		_, msg := parseError(400, nil, []byte(body))
		assert.Equal(t, want, msg, body)
	}
}

func TestReferenceTables(t *testing.T) {
	ch := Channels()
	require.Len(t, ch, 28, "§3.4.2 has 28 rows")
	assert.Equal(t, ChannelInfo{1, "БК", Monthly, "Рабочий объем", "Vwork", "м³"}, ch[0])
	assert.Equal(t, ChannelInfo{2, "Флоугаз", Hourly, "Общий накопленный объем СУ", "Vst", "м³"}, ch[27])
	var rows strings.Builder
	for i, c := range ch {
		if i == 0 || c.Archive != ch[i-1].Archive {
			fmt.Fprintf(&rows, "\n%d %s %s:", c.EquipmentTypeID, c.Corrector, c.Archive)
		}
		fmt.Fprintf(&rows, " %s %s %s;", c.Code, c.Name, c.Unit)
	}
	assert.Equal(t, `
1 БК monthly: Vwork Рабочий объем м³; Vpriv Приведенный объем м³; Vnakwork Накопленный рабочий объем м³; Vnakpriv Накопленный приведенный объем м³;
1 БК daily: P Давление кгс/см²; T Температура °С; Vwork Рабочий объем м³; Vpriv Приведенный объем м³; Vnakwork Накопленный рабочий объем м³; Vnakpriv Накопленный приведенный объем м³;
1 БК hourly: P Давление кгс/см²; T Температура °С; Vnakwork Накопленный рабочий объем м³; Vnakpriv Накопленный приведенный объем м³;
2 Флоугаз monthly: Vwork Общий накопленный объем РУ м³; Vst Общий накопленный объем СУ м³; Vnakwork Накопленный объем РУ м³; Vnakst Накопленный объем СУ м³;
2 Флоугаз daily: P Среднее давление кПа; T Средняя температура °С; Vwork Общий накопленный объем РУ м³; Vst Общий накопленный объем СУ м³; Vnakwork Накопленный объем РУ м³; Vnakst Накопленный объем СУ м³;
2 Флоугаз hourly: P Среднее давление кПа; T Средняя температура °С; Vwork Общий накопленный объем РУ м³; Vst Общий накопленный объем СУ м³;`,
		rows.String(), "§3.4.2 row for row")
	ch[0].Code = "changed"
	assert.Equal(t, "Vwork", Channels()[0].Code, "a copy is returned")

	info, ok := LookupChannel(EquipmentBK, Hourly, "VNakpriv")
	require.True(t, ok, "the sample's spelling is found")
	assert.Equal(t, "Накопленный приведенный объем", info.Name)
	info, ok = LookupChannel(EquipmentFlowgas, Daily, "P")
	require.True(t, ok)
	assert.Equal(t, "кПа", info.Unit)
	_, ok = LookupChannel(EquipmentFlowgas, Hourly, "Vnakst")
	assert.False(t, ok, "not in the hourly Flowgas archive")

	assert.Equal(t, []ArchiveType{"hourly", "daily", "monthly", "yearly", "nesht"}, ArchiveTypes())
	assert.Equal(t, "Архив нештатных ситуаций", Abnormal.Name())
	assert.Equal(t, "", ArchiveType("settings").Name())
	assert.False(t, ArchiveType("settings").Valid())
	assert.Equal(t, "daily", Daily.String())

	mt := MeterTypes()
	require.Len(t, mt, 2)
	assert.Equal(t, "Корректор объема газа Флоугаз", mt[1].Description)
}

func TestReadingsDecoding(t *testing.T) {
	cases := []struct {
		in   string
		want Readings
	}{
		{`[]`, Readings{}},
		{`null`, nil},
		{` [ {"T" : 25.1 } , {"P":-1e-3} ] `, Readings{{Channel: "T", Value: 25.1, Valid: true}, {Channel: "P", Value: -0.001, Valid: true}}},
		{`[{"T":"25.5"},{"X":"обрыв"}]`, Readings{{Channel: "T", Value: 25.5, Valid: true, Text: "25.5"}, {Channel: "X", Text: "обрыв"}}},
		{`[{"T":null},{}]`, Readings{{Channel: "T"}}},
		{`[{"a":1,"b":2}]`, Readings{{Channel: "a", Value: 1, Valid: true}, {Channel: "b", Value: 2, Valid: true}}},
		{`[{"k\"ey":1}]`, Readings{{Channel: `k"ey`, Value: 1, Valid: true}}},
		{`[{"e":true},{"o":{"x":[1,"}"]}},{"l":[1,2]},{"f":false}]`, Readings{{Channel: "e", Text: "true"}, {Channel: "o", Text: `{"x":[1,"}"]}`}, {Channel: "l", Text: "[1,2]"}, {Channel: "f", Text: "false"}}},
		{`[{"s":"a\u0041"}]`, Readings{{Channel: "s", Text: "aA"}}},
		{`[{"big":1e400}]`, Readings{{Channel: "big", Text: "1e400"}}},
	}
	for _, tc := range cases {
		var r struct {
			R Readings `json:"r"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"r":`+tc.in+`}`), &r), tc.in)
		assert.Equal(t, tc.want, r.R, tc.in)
	}
	for _, bad := range []string{`{"T":1}`, `[1]`, `["T"]`, `[{"T":1} {"P":2}]`, `[{1:2}]`, `[{"T" 1}]`, `[{"T":1,}]`, `[{"T":1]`, `[{"T":1}`, `[{"T`} {
		var r Readings
		assert.Error(t, r.UnmarshalJSON([]byte(bad)), bad)
	}
}

func TestReadingsLookupAndMarshal(t *testing.T) {
	rs := Readings{{Channel: "T", Value: 25.19, Valid: true}, {Channel: "VNakpriv", Value: 89519.01, Valid: true}, {Channel: "X", Text: "обрыв"}, {Channel: "N"}}
	v, ok := rs.Get("Vnakpriv")
	assert.True(t, ok)
	assert.Equal(t, 89519.01, v)
	_, ok = rs.Get("X")
	assert.False(t, ok, "not numeric")
	r, ok := rs.Lookup("X")
	assert.True(t, ok)
	assert.Equal(t, "обрыв", r.Text)
	_, ok = rs.Lookup("missing")
	assert.False(t, ok)
	assert.Equal(t, map[string]float64{"T": 25.19, "VNakpriv": 89519.01}, rs.Map())

	out, err := json.Marshal(rs)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"T":25.19},{"VNakpriv":89519.01},{"X":"обрыв"},{"N":null}]`, string(out))
	var back Readings
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, "VNakpriv", back[1].Channel)
	out, _ = json.Marshal(Readings(nil))
	assert.Equal(t, "null", string(out))
}
