package uztgs

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The examples of «Описание Web API» that the tests of uztgs_test.go do not
// replay, and the places where an example is damaged or contradicts the
// text, each with the reading the client follows.

// The client id is printed three ways in §2: "D-Uv3ER53873oLhnNLjL9w" in
// the sign-in answer, "D-Uv3ER53873olhnNLjL9w" (small L) in the request
// that follows and "D-Uv3ER53873o1hnNLjL9w" (digit one) in its answer and
// in the sign-out. The table of §2 says the client header identifies the
// connection, so the three are one id, damaged in typing. The client sends
// the id its sign-in gave, byte for byte; an answer whose client header
// names another id carries a token for another session, which is ignored
// and counted in Stats.ForeignClient (the package doc's rule). Replayed
// literally, the stations answer of §2 is such an answer. (The table of
// §2 also names the token header "access_token"; every example sends
// "access-token", which the client uses. It sends the four headers of the
// curl examples, not expiry, which §2 says the next request does not
// need.)
func TestDocumentationClientHeaderAsPrinted(t *testing.T) {
	const printedLater = "D-Uv3ER53873o1hnNLjL9w"
	ctx := context.Background()
	c, mt := newMocked(t)
	signInResponder(t, mt)
	calls := 0
	mt.RegisterResponder(http.MethodGet, "https://uztgs.uz/api/v1/stations", func(r *http.Request) (*http.Response, error) {
		calls++
		assert.Equal(t, docClient, r.Header.Get("client"), "the sign-in's id, not the request example's olhn")
		assert.Empty(t, r.Header.Get("access_token"))
		assert.Empty(t, r.Header.Get("expiry"))
		assert.Equal(t, "Bearer", r.Header.Get("token-type"))
		assert.Equal(t, docEmail, r.Header.Get("uid"))
		assert.Equal(t, "2", r.URL.Query().Get("page"))
		body := `{"data":[{"id":1,"name":"865293041101853","seances_event_time":1612099086,"equipment_brand_name":"Koppeктор БК","phone":"","equipment_id":1}],"total_pages":7,"current_page":2}`
		if calls == 1 {
			assert.Equal(t, docToken1, r.Header.Get("access-token"))
			resp := sessionResponse(200, body, docToken2, docExpiry2)
			resp.Header.Set("client", printedLater) // §2's answer, as printed
			return resp, nil
		}
		assert.Equal(t, docToken1, r.Header.Get("access-token"), "the foreign token was not taken")
		return sessionResponse(200, body, docToken2, docExpiry2), nil
	})

	page, err := c.StationsPage(ctx, PageParams{Page: 2})
	require.NoError(t, err, "the data of the answer is good")
	require.Len(t, page.Items, 1)
	h := c.Headers()
	assert.Equal(t, docToken1, h.AccessToken, "a token for another client id is ignored")
	assert.Equal(t, docClient, h.Client)
	assert.Equal(t, int64(1615227012), h.Expiry)
	st := c.Stats()
	assert.EqualValues(t, 1, st.ForeignClient)
	assert.Zero(t, st.Rotations)
	assert.EqualValues(t, 1, st.SignIns)

	// Read as one id, the same answer rotates the token.
	_, err = c.StationsPage(ctx, PageParams{Page: 2})
	require.NoError(t, err)
	assert.Equal(t, docToken2, c.Headers().AccessToken)
	st = c.Stats()
	assert.EqualValues(t, 1, st.ForeignClient, "counted once")
	assert.EqualValues(t, 1, st.Rotations)
}

// §2 prints its stations answer as {"data": { {…}, ... }, …}: data is a
// list in every other example and in §1.4, and the braces are read as
// brackets. The item lacks equipment_type_id and customer_id (zero), and
// the page lacks next_page (total_pages decides). The brand "Koppeктор"
// mixes Latin and Cyrillic letters; it is kept as sent.
func TestDocumentationStationsAnswerOfSection2(t *testing.T) {
	c, mt := newMocked(t, WithHeaders(Headers{AccessToken: docToken1, TokenType: "Bearer", Client: docClient, UID: docEmail, Expiry: 1615227012}))
	expectGet(t, mt, "https://uztgs.uz/api/v1/stations?page=2", docToken1, `{"data":
  [
    {"id":1,"name":"865293041101853","seances_event_time":1612099086,"equipment_brand_name":"Koppeктор БК","phone":"","equipment_id":1}
  ],
  "total_pages":7,
  "current_page":2
}`)
	page, err := c.StationsPage(context.Background(), PageParams{Page: 2})
	require.NoError(t, err)
	assert.Equal(t, &Page[Station]{
		Items: []Station{{ID: 1, Name: "865293041101853", LastSession: time.Date(2021, 1, 31, 13, 18, 6, 0, time.UTC),
			EquipmentBrandName: "Koppeктор БК", EquipmentID: 1}},
		TotalPages: 7, CurrentPage: 2, NextPage: 3,
	}, page)
}

// §4.1 signs in as user@local.net; the body is the documented
// {"email","password"} and the answer's headers start the session.
func TestDocumentationSignInOfSection4(t *testing.T) {
	const email = "user@local.net"
	c, mt := newMocked(t, WithPassword(email, docPassword))
	mt.RegisterResponder(http.MethodPost, "https://uztgs.uz/api/v1/auth/sign_in", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "§4 asks for it")
		b, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `{"email":"user@local.net","password":"Str0ngPas$"}`, string(b))
		resp := sessionResponse(200, `{"data":{"id":7,"email":"user@local.net","provider":"email","uid":"user@local.net","name":"user"}}`, docToken1, docExpiry1)
		resp.Header.Set("uid", email)
		return resp, nil
	})
	u, err := c.SignIn(context.Background())
	require.NoError(t, err)
	assert.Equal(t, &User{ID: 7, Email: email, Provider: "email", UID: email, Name: "user"}, u)
	assert.Equal(t, email, c.Headers().UID)
}

// Where the text of §4 and its examples disagree, the examples (and §3)
// are read:
//   - §4.3 names "equipment_type_id": 61, but its example (and §3.2's)
//     has equipment_type_id 1 and equipment_id 61: 61 is the meter.
//   - §4.2 and §4.3 write the ids the next calls need as strings,
//     "customer_id": "13" and "station_id": "18"; an id sent as a string
//     is read as the number.
//   - §4.2 says total_pages 7 and current_page 1; the answer printed
//     under it says 8 and 2. The answer's own numbers are kept.
//   - The tables of §3 name the page number "current_pages"; every
//     example sends "current_page", which is read. A "current_pages"
//     member is not the page number; like any member outside the
//     documented ones it is not an error.
//   - §4 says to send "a POST request" and its curls send --request GET
//     with the parameters in a JSON body ("page": "2", or 2 in §4.3);
//     §3 gives each view as a URL with a query string. The client sends
//     GET with the parameters in the query string (the request tests of
//     uztgs_test.go replay §4.2–§4.7 so).
func TestDocumentationTextAgainstExamples(t *testing.T) {
	ctx := context.Background()
	c, mt := newMocked(t, WithHeaders(Headers{AccessToken: docToken1, Client: docClient, UID: docEmail}))

	expectGet(t, mt, "https://uztgs.uz/api/v1/stations?page=2", docToken1, `{"data":[
  {
    "id":18,
    "name":"000 \"Coca-Cola Ichimligi Uzbekistan\" LTD",
    "seances_event_time":1614236068,
    "equipment_type_id":1,
    "equipment_brand_name":"БК",
    "phone":"+998-97-725-12-28",
    "equipment_id":61,
    "customer_id":14
  }
],
"total_pages":9,
"current_page":2,
"next_page":3
}`)
	stations, err := c.StationsPage(ctx, PageParams{Page: 2})
	require.NoError(t, err)
	require.Len(t, stations.Items, 1)
	s := stations.Items[0]
	assert.Equal(t, int64(1), s.EquipmentTypeID, "the example's equipment_type_id, not the text's 61")
	assert.Equal(t, int64(61), s.EquipmentID)
	assert.Equal(t, ArchiveParams{Type: Hourly, StationID: 18, EquipmentID: 61, From: day(2021, 2, 1), To: day(2021, 2, 20)},
		s.Archive(Hourly, day(2021, 2, 1), day(2021, 2, 20)), "what §4.6 needs from §4.3")

	expectGet(t, mt, "https://uztgs.uz/api/v1/customers?page=2", docToken2, `{"data":[{"id":"13","name":"O'ZBEKISTON YENGIL ATLETIKA FEDERATSIYASI","subdivision_type_name":"Владелец ПУУ","inn":"0204875446","contact_number":"+998-91-381-18-88"}],"total_pages":8,"current_pages":2,"next_page":3}`)
	customers, err := c.CustomersPage(ctx, PageParams{Page: 2})
	require.NoError(t, err)
	assert.Equal(t, &Page[Customer]{
		Items:      []Customer{{ID: 13, Name: "O'ZBEKISTON YENGIL ATLETIKA FEDERATSIYASI", SubdivisionType: "Владелец ПУУ", INN: "0204875446", ContactNumber: "+998-91-381-18-88"}},
		TotalPages: 8, NextPage: 3,
	}, customers, `"id":"13" is 13; "current_pages" is not read`)
}

// Every item type keeps the members the documentation does not list, as
// sent, in Extra: each view's example from §2 and §3, plus one member
// the documentation does not name. The documented members decode as
// without it.
func TestDocumentationItemsKeepUnknownMembers(t *testing.T) {
	ctx := context.Background()
	c, mt := newMocked(t, WithHeaders(Headers{AccessToken: docToken1, Client: docClient, UID: docEmail}))
	raw := func(s string) map[string]json.RawMessage {
		return map[string]json.RawMessage{"extra_member": json.RawMessage(s)}
	}
	page := func(item string) string {
		return `{"data":[` + item + `],"total_pages":1,"current_page":1,"next_page":null}`
	}

	expectGet(t, mt, "https://uztgs.uz/api/v1/customers?page=1", docToken1, page(`{"id": 13, "name": "O'ZBEKISTON YENGIL ATLETIKA FEDERATSIYASI", "subdivision_type_name": "Владелец ПУУ", "inn": "0204875446", "contact_number": "+998-91-381-18-88", "extra_member": {"region": "Ташкент", "ids": [1, 2]}}`))
	customers, err := c.CustomersPage(ctx, PageParams{Page: 1})
	require.NoError(t, err)
	assert.Equal(t, []Customer{{ID: 13, Name: "O'ZBEKISTON YENGIL ATLETIKA FEDERATSIYASI", SubdivisionType: "Владелец ПУУ", INN: "0204875446", ContactNumber: "+998-91-381-18-88",
		Extra: raw(`{"region": "Ташкент", "ids": [1, 2]}`)}}, customers.Items)

	expectGet(t, mt, "https://uztgs.uz/api/v1/stations?page=1", docToken2, page(`{"id": 18, "name": "000 \"Coca-Cola Ichimligi Uzbekistan\" LTD", "seances_event_time": 1614236068, "equipment_type_id": 1, "equipment_brand_name": "БК", "phone": "+998-97-725-12-28", "equipment_id": 61, "customer_id": 14, "extra_member": null}`))
	stations, err := c.StationsPage(ctx, PageParams{Page: 1})
	require.NoError(t, err)
	assert.Equal(t, []Station{{ID: 18, Name: `000 "Coca-Cola Ichimligi Uzbekistan" LTD`, LastSession: time.Unix(1614236068, 0).UTC(), EquipmentTypeID: 1,
		EquipmentBrandName: "БК", Phone: "+998-97-725-12-28", EquipmentID: 61, CustomerID: 14, Extra: raw(`null`)}}, stations.Items)

	expectGet(t, mt, "https://uztgs.uz/api/v1/equipment_types?page=1", docToken2, page(`{"id": 1, "name": "БК", "equipment_kind_name": "Корректор", "telemetry_type_name": "ББТ-1", "resource_name": "Газ", "description": "Корректор объема газа БК ", "extra_member": "ББТ-3"}`))
	types, err := c.EquipmentTypesPage(ctx, PageParams{Page: 1})
	require.NoError(t, err)
	assert.Equal(t, []EquipmentType{{ID: 1, Name: "БК", Kind: "Корректор", TelemetryType: "ББТ-1", Resource: "Газ", Description: "Корректор объема газа БК ",
		Extra: raw(`"ББТ-3"`)}}, types.Items)

	expectGet(t, mt, "https://uztgs.uz/api/v1/channel_archive_types?equipment_type_id=2&page=1", docToken2, page(`{"equipment_type_id": 2, "archive_type_name": "Суточный архив показаний", "archive_type_varname": "daily", "channel_name": "Среднее давление", "channel_varname": "P", "unit_name": "кПа", "extra_member": 1.50}`))
	channels, err := c.ChannelsPage(ctx, EquipmentFlowgas, PageParams{Page: 1})
	require.NoError(t, err)
	assert.Equal(t, []Channel{{EquipmentTypeID: 2, ArchiveName: "Суточный архив показаний", Archive: Daily, Name: "Среднее давление", Code: "P", Unit: "кПа",
		Extra: raw(`1.50`)}}, channels.Items, "the number kept as sent")

	expectGet(t, mt, "https://uztgs.uz/api/v1/channel_data?archive_type=hourly&station_id=12&equipment_id=25&fp_end=2021-02-20&fp_start=2021-02-01&page=1", docToken2,
		page(`{"event_time": 1612292400, "channel_data": [{ "T": 25.193481 }, { "VNakpriv": 89519.01 }, { "VNakwork": 292537.06 }, { "P": 0.9954071 }], "extra_member": [{"quality": "ok"}]}`))
	archive, err := c.ArchivePage(ctx, ArchiveParams{Type: Hourly, StationID: 12, EquipmentID: 25, From: day(2021, 2, 1), To: day(2021, 2, 20), PageParams: PageParams{Page: 1}})
	require.NoError(t, err)
	assert.Equal(t, []Record{{Time: time.Date(2021, 2, 2, 19, 0, 0, 0, time.UTC),
		Readings: Readings{{Channel: "T", Value: 25.193481, Valid: true}, {Channel: "VNakpriv", Value: 89519.01, Valid: true}, {Channel: "VNakwork", Value: 292537.06, Valid: true}, {Channel: "P", Value: 0.9954071, Valid: true}},
		Extra:    raw(`[{"quality": "ok"}]`)}}, archive.Items)

	expectGet(t, mt, "https://uztgs.uz/api/v1/channel_data?archive_type=settings&station_id=12&equipment_id=25&page=1", docToken2, page(`{"channel_name": "Наличие датчика температуры окружающей среды (1 - датчик установлен, 0 - датчик отсутствует)", "channel_data_value": "0", "unit_name": null, "extra_member": false}`))
	settings, err := c.SettingsPage(ctx, SettingsParams{StationID: 12, EquipmentID: 25, PageParams: PageParams{Page: 1}})
	require.NoError(t, err)
	assert.Equal(t, []Setting{{Name: "Наличие датчика температуры окружающей среды (1 - датчик установлен, 0 - датчик отсутствует)", Value: "0",
		Extra: raw(`false`)}}, settings.Items)

	// The sign-in's user: devise_token_auth sends more of the account
	// than §2 shows (image, nickname, allow_password_change).
	c2, mt2 := newMocked(t)
	mt2.RegisterResponder(http.MethodPost, DefaultBaseURL+pathSignIn, func(*http.Request) (*http.Response, error) {
		return sessionResponse(200, `{"data":{"id":6,"email":"api@local.net","provider":"email","uid":"api@local.net","name":"API user","image":null,"allow_password_change":false}}`, docToken1, docExpiry1), nil
	})
	u, err := c2.SignIn(ctx)
	require.NoError(t, err)
	assert.Equal(t, &User{ID: 6, Email: docEmail, Provider: "email", UID: docEmail, Name: "API user",
		Extra: map[string]json.RawMessage{"image": json.RawMessage(`null`), "allow_password_change": json.RawMessage(`false`)}}, u)
}

// A documented member that cannot hold its value still fails the page: an
// unknown member is kept, a broken documented one is not hidden in Extra.
func TestBrokenDocumentedMemberFailsThePage(t *testing.T) {
	c, mt := newMocked(t, WithHeaders(Headers{AccessToken: docToken1, Client: docClient, UID: docEmail}))
	expectGet(t, mt, "https://uztgs.uz/api/v1/stations?page=1", docToken1, `{"data":[{"id":"eighteen"}],"total_pages":1,"current_page":1,"next_page":null}`)
	_, err := c.StationsPage(context.Background(), PageParams{Page: 1})
	require.ErrorIs(t, err, ErrDecode)
	assert.Contains(t, err.Error(), "id")
}

// §3.6 lists telemetry_type_name among the channel's members but leaves it
// out of its example; when the server sends it, it is the channel's
// TelemetryType, spelt as in §3.5 and §3.4.3.
func TestChannelTelemetryType(t *testing.T) {
	c, mt := newMocked(t, WithHeaders(Headers{AccessToken: docToken1, Client: docClient, UID: docEmail}))
	expectGet(t, mt, "https://uztgs.uz/api/v1/channel_archive_types?equipment_type_id=2&page=1", docToken1, `{"data": [
    {"equipment_type_id": 2, "archive_type_name": "Суточный архив показаний", "archive_type_varname": "daily", "telemetry_type_name": "ББТ-3", "channel_name": "Среднее давление", "channel_varname": "P", "unit_name": "кПа"},
    {"equipment_type_id": 2, "archive_type_name": "Суточный архив показаний", "archive_type_varname": "daily", "telemetry_type_name": null, "channel_name": "Средняя температура", "channel_varname": "T", "unit_name": "°С"}
  ], "total_pages": 4, "current_page": 1, "next_page": 2}`)
	page, err := c.ChannelsPage(context.Background(), EquipmentFlowgas, PageParams{Page: 1})
	require.NoError(t, err)
	assert.Equal(t, []Channel{
		{EquipmentTypeID: 2, ArchiveName: "Суточный архив показаний", Archive: Daily, TelemetryType: "ББТ-3", Name: "Среднее давление", Code: "P", Unit: "кПа"},
		{EquipmentTypeID: 2, ArchiveName: "Суточный архив показаний", Archive: Daily, Name: "Средняя температура", Code: "T", Unit: "°С"},
	}, page.Items)
	assert.Equal(t, 2, page.NextPage)
}
