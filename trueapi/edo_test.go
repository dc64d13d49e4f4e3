package trueapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// edoSharedSigner is one RSA key for every test of edo_test.go and
// doclists_test.go: generating a key per test would cost most of the
// time budget under -race.
var (
	edoSignerOnce   sync.Once
	edoSharedSigner *signing.RSASigner
)

func edoSigner(t *testing.T) *signing.RSASigner {
	edoSignerOnce.Do(func() { edoSharedSigner = rsaSigner(t) })
	require.NotNil(t, edoSharedSigner)
	return edoSharedSigner
}

// edoMocked is a client with the token jwt-x (no sign-in) on a mock
// transport that fails the test on any request no responder expects.
func edoMocked(t *testing.T) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, ""), nil
	})
	c, err := New(edoSigner(t), WithBaseURL(base), WithHTTPClient(&http.Client{Transport: mt}),
		WithRetryWait(time.Millisecond, time.Millisecond), WithToken("jwt-x"))
	require.NoError(t, err)
	return c, mt
}

// edoSeen is what a responder saw of one request.
type edoSeen struct {
	Method, Path, RawQuery, Auth, ContentType, Body string
}

// edoRecorder records requests; it is safe for the transport's goroutines.
type edoRecorder struct {
	mu   sync.Mutex
	seen []edoSeen
}

func (rec *edoRecorder) record(r *http.Request) edoSeen {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	s := edoSeen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), string(body)}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.seen = append(rec.seen, s)
	return s
}

func (rec *edoRecorder) reply(status int, body string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		rec.record(r)
		return httpmock.NewStringResponse(status, body), nil
	}
}

func (rec *edoRecorder) all() []edoSeen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.seen)
}

// edoURL matches base+path followed by nothing but a query.
func edoURL(path string) *regexp.Regexp {
	return regexp.MustCompile("^" + regexp.QuoteMeta(base+path) + `(\?.*)?$`)
}

const (
	edoPrefix = "/api/v3/true-api/"
	// edoD1Example is the answer example of D-1.
	edoD1Example = `{"count": 1, "items": [{"id": "cc51a72d-0f1e-4c55-9d3b-0c1a9e4f2b11", "status": 3, "number": "367c2fa8-8a40-4d5d-9b16-3d6e2f9a1c02", "date": 1636966209, "type": 1000, "created_at": 1636966209}]}`
	// edoDocID is the document id of the documentation's D-8 example.
	edoDocID = "6f8c1a37-d791-425a-8dcb-490eaf1cea27"
	// edoTitleXML is a title with the structure of D-7.
	edoTitleXML = `<?xml version="1.0" encoding="UTF-8"?>` +
		`<file fileId="EEU_ACTPOK_970425450202_940408450442_2020-10-01_` + edoDocID + `" version="1.0" decision="APPROVE">` +
		`<participants consigneeIdNumber="970425450202" supplierIdNumber="940408450442"/>` +
		`<buyerInfo purchaseTimestamp="2020-09-30T21:20:45"><sellerInfo sellerFileId="EEU_ACT_` + edoDocID + `" sellerFileTimestamp="2020-09-30T21:20:45">` +
		`<sign>MIIBsupplier</sign></sellerInfo><signer name="Тест"/></buyerInfo></file>`
)

func TestEDOOutgoingPageExample(t *testing.T) {
	c, mt := edoMocked(t)
	var rec edoRecorder
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/outgoing-documents"), rec.reply(200, edoD1Example))

	from := time.Date(2021, 11, 15, 0, 0, 0, 0, time.FixedZone("Almaty", 5*3600))
	asc := false
	p, err := c.OutgoingDocumentsPage(context.Background(), EDOFilter{
		SortBy: "date", Asc: &asc, CreatedFrom: from, CreatedTo: from.Add(24 * time.Hour), PartnerINN: "930801350956",
		Statuses: []ActStatus{ActRegistered, ActDeliveryErrorFilter}, Types: []EDODocumentType{EDOAct, EDOImportNotice}, Limit: 50,
	}, 100)
	require.NoError(t, err)
	seen := rec.all()
	require.Len(t, seen, 1)
	assert.Equal(t, edoSeen{http.MethodGet, edoPrefix + "edo-api/outgoing-documents",
		"asc=false&create_from=1636916400&create_to=1637002800&limit=50&offset=100&partner_inn=930801350956&sortBy=date" +
			"&statuses=3&statuses=62&type=1000&type=1200",
		"Bearer jwt-x", "", ""}, seen[0], "Unix seconds, repeated keys, no Content-Type on a GET")

	assert.Equal(t, 1, p.Count)
	require.Len(t, p.Items, 1)
	d := p.Items[0]
	assert.Equal(t, "cc51a72d-0f1e-4c55-9d3b-0c1a9e4f2b11", d.ID)
	assert.Equal(t, ActRegistered, d.Status)
	assert.Equal(t, "Ожидает подтверждения", d.Status.Name())
	assert.Equal(t, "367c2fa8-8a40-4d5d-9b16-3d6e2f9a1c02", d.Number)
	assert.Equal(t, time.Unix(1636966209, 0).UTC(), d.Date)
	assert.Equal(t, time.Unix(1636966209, 0).UTC(), d.CreatedAt)
	assert.Equal(t, EDOAct, d.Type)
	assert.Nil(t, d.Extra)
	assert.Equal(t, 100, p.Offset)
	assert.Equal(t, 101, p.Next)
	assert.False(t, p.More)
}

func TestEDOIncomingPageScreenshot(t *testing.T) {
	c, mt := edoMocked(t)
	var rec edoRecorder
	// Unknown statuses and members pass through; numbers as strings are read.
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/incoming-documents"), rec.reply(200,
		`{"count":"2","items":[{"id":"a","status":"61","number":"n","date":"1636966209","type":1000,"created_at":null,"extra":true},{"id":"b","status":99,"type":1005}]}`))
	asc := true
	p, err := c.IncomingDocumentsPage(context.Background(), EDOFilter{Asc: &asc, PartnerINN: "930801350956"}, 0)
	require.NoError(t, err)
	seen := rec.all()
	require.Len(t, seen, 1)
	assert.Equal(t, edoPrefix+"edo-api/incoming-documents", seen[0].Path)
	assert.Equal(t, "asc=true&limit=1000&offset=0&partner_inn=930801350956", seen[0].RawQuery,
		"the screenshot's query, plus the default page size and the offset")
	require.Len(t, p.Items, 2)
	assert.Equal(t, ActSignedByRecipientFilter, p.Items[0].Status)
	assert.True(t, p.Items[0].CreatedAt.IsZero())
	assert.JSONEq(t, `true`, string(p.Items[0].Extra["extra"]))
	assert.Equal(t, ActStatus(99), p.Items[1].Status, "an unknown status is kept")
	assert.Equal(t, EDODivergenceNotice, p.Items[1].Type)
	assert.Equal(t, 2, p.Count)
}

func TestEDORegisterIterator(t *testing.T) {
	c, mt := edoMocked(t)
	var rec edoRecorder
	items := func(from, n int) string {
		var parts []string
		for i := range n {
			parts = append(parts, `{"id":"d`+strconv.Itoa(from+i)+`","status":4,"type":1000}`)
		}
		return strings.Join(parts, ",")
	}
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/outgoing-documents"), func(r *http.Request) (*http.Response, error) {
		rec.record(r)
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		n := min(2, 5-offset)
		return httpmock.NewStringResponse(200, `{"count":5,"items":[`+items(offset, n)+`]}`), nil
	})
	var ids []string
	for d, err := range c.OutgoingDocuments(context.Background(), EDOFilter{Limit: 2, Statuses: []ActStatus{ActConfirmed}}) {
		require.NoError(t, err)
		ids = append(ids, d.ID)
	}
	assert.Equal(t, []string{"d0", "d1", "d2", "d3", "d4"}, ids)
	var queries []string
	for _, s := range rec.all() {
		queries = append(queries, s.RawQuery)
	}
	assert.Equal(t, []string{"limit=2&offset=0&statuses=4", "limit=2&offset=2&statuses=4", "limit=2&offset=4&statuses=4"}, queries,
		"stops after the short page")

	// Full pages that reach count: no request beyond it.
	var rec2 edoRecorder
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/incoming-documents"), func(r *http.Request) (*http.Response, error) {
		rec2.record(r)
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		return httpmock.NewStringResponse(200, `{"count":4,"items":[`+items(offset, 2)+`]}`), nil
	})
	n := 0
	for _, err := range c.IncomingDocuments(context.Background(), EDOFilter{Limit: 2}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 4, n)
	assert.Len(t, rec2.all(), 2, "offset 4 >= count 4 ends the walk")
}

func TestEDORegisterValidation(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	t0 := time.Unix(1636966209, 0)
	for field, tc := range map[string]struct {
		f      EDOFilter
		offset int
	}{
		"limit":       {EDOFilter{Limit: MaxListLimit + 1}, 0},
		"offset":      {EDOFilter{}, -1},
		"create_from": {EDOFilter{CreatedFrom: t0.Add(time.Hour), CreatedTo: t0}, 0},
	} {
		_, err := c.OutgoingDocumentsPage(ctx, tc.f, tc.offset)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, field, ve.Field)
	}
	_, err := c.IncomingDocumentsPage(ctx, EDOFilter{Limit: -1}, 0)
	require.ErrorIs(t, err, ErrValidation)
	for _, err := range c.IncomingDocuments(ctx, EDOFilter{Limit: 10_001}) {
		require.ErrorIs(t, err, ErrValidation)
	}
	assert.Zero(t, mt.GetTotalCallCount(), "no request for bad input")
}

func TestEDODocumentXML(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	xml := `<?xml version="1.0" encoding="UTF-8"?><file sendingDateTime="2022-06-06T09:45:15Z" version="1.0" fileId="EEU_ACT_f93fc9fa-e63c-11ec-8fea-0242ac120002"><participants consigneeId="970425450202" supplierId="940408450442"/><document operationType="1" correctionFlag="false"></document></file>`
	b64 := base64.StdEncoding.EncodeToString([]byte(xml))
	require.True(t, strings.HasPrefix(b64, "PD94bWwgdmVyc2lvbj0iMS4wIi"), "the documentation's D-4 example starts so")

	var rec edoRecorder
	mt.RegisterRegexpResponder(http.MethodGet, regexp.MustCompile(`/base64$`), rec.reply(200, b64[:40]+"\r\n"+b64[40:]+"\n"))
	got, err := c.IncomingDocumentXML(ctx, edoDocID)
	require.NoError(t, err)
	assert.Equal(t, xml, string(got))
	got, err = c.OutgoingDocumentXML(ctx, "id with space#%")
	require.NoError(t, err)
	assert.Equal(t, xml, string(got))
	seen := rec.all()
	require.Len(t, seen, 2)
	assert.Equal(t, edoSeen{http.MethodGet, edoPrefix + "edo-api/incoming-documents/" + edoDocID + "/base64", "", "Bearer jwt-x", "", ""}, seen[0])
	assert.Equal(t, edoPrefix+"edo-api/outgoing-documents/id%20with%20space%23%25/base64", seen[1].Path, "the id is one escaped path segment")

	mt.RegisterRegexpResponder(http.MethodGet, regexp.MustCompile(`/base64$`),
		httpmock.NewStringResponder(404, `{"error_message":"Исходящий документ не найден"}`))
	_, err = c.OutgoingDocumentXML(ctx, "nope")
	require.ErrorIs(t, err, ErrNotFound)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Исходящий документ не найден", e.Message)

	before := mt.GetTotalCallCount()
	_, err = c.IncomingDocumentXML(ctx, " ")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "documentId", ve.Field)
	assert.Equal(t, before, mt.GetTotalCallCount())
}

// The D-5 examples of the documentation: the re-introduction answer (an object)
// and the screenshot (an array), and the EAEU import notice body.
func TestEDODocumentInfo(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	reintro := `{"status":"CHECKED_OK","type":"KZ_INTRODUCE_GOODS",
	 "body":{"document":{"mainInfo":{"participantInfo":{"participantName":" ","participantIdentificationCode":"080740000861"},
	                                 "originalDocInfo":{"docName":" ","docNumber":"77","docDate":"16.10.2020"},
	                                 "reason":"2"},
	                     "cisList":[{"value":"0487000001002842fuSo1","name":" ","status":" "}]},
	         "fileId":"320a4a79-80a5-4756-bd68-a572027131be","version":"1.0","sendingDateTime":"2020-10-17T09:30:47Z"}}`
	var rec edoRecorder
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/documents/info/320a4a79-80a5-4756-bd68-a572027131be"), rec.reply(200, reintro))
	list, err := c.EDODocumentInfo(ctx, "320a4a79-80a5-4756-bd68-a572027131be")
	require.NoError(t, err)
	assert.Equal(t, []edoSeen{{http.MethodGet, edoPrefix + "edo-api/documents/info/320a4a79-80a5-4756-bd68-a572027131be", "", "Bearer jwt-x", "", ""}}, rec.all())
	require.Len(t, list, 1, "an object is a slice of one")
	info := list[0]
	assert.Equal(t, DocStatusCheckedOK, info.Status)
	assert.Equal(t, DocIntroduceGoods, info.Type)
	assert.Equal(t, "320a4a79-80a5-4756-bd68-a572027131be", info.FileID)
	assert.Equal(t, "1.0", info.Version)
	assert.Equal(t, time.Date(2020, 10, 17, 9, 30, 47, 0, time.UTC), info.SendingDateTime)
	assert.Contains(t, string(info.Body), `"cisList"`, "the body is kept as sent")
	doc, err := info.Document()
	require.NoError(t, err)
	assert.Equal(t, &EDOInfoParty{Name: " ", IdentificationCode: "080740000861"}, doc.Participant)
	assert.Equal(t, &EDOInfoOriginalDoc{Name: " ", Number: "77", Date: time.Date(2020, 10, 16, 0, 0, 0, 0, time.UTC), DateText: "16.10.2020"}, doc.OriginalDoc)
	assert.Equal(t, "2", doc.Reason, "kept as sent, although D-5's table lists only 1")
	assert.Equal(t, []EDOInfoProduct{{Value: "0487000001002842fuSo1", Name: " ", Status: " "}}, doc.Products)

	// The screenshot: an array, with the IMPORT_TRANSIT body of the table
	// (exciseAmount "123.09", one complianceInfo object, productTotals as
	// strings) and fileId inside document, where D-5's table puts it.
	transit := `[{"status":"CHECKED_OK","type":"IMPORT_TRANSIT","body":{"document":{"fileId":"KZ_EAES_320a4a79","version":"5.01",
	  "mainInfo":{"supplierInfo":{"supplierName":"S","supplierIdentificationCode":"7731376812","supplierCountryCode":"RU"},
	   "consigneeInfo":{"consigneeIdentificationCode":"970425450202"},"originalDocInfo":{"docNumber":"1","docDate":"16.10.2020"},
	   "exciseDocInfo":{"exciseDocNumber":"E1","exciseDocDate":"15.10.2020","exciseAmount":"123.09"},
	   "complianceInfo":{"complianceDocDate":"14.10.2020","complianceDocNumber":"C1","complianceDocType":"T"}},
	  "productList":[{"value":"010460043993125621abc","status":"INTRODUCED"}],"productTotals":{"04600439931256":"23"}}}},
	 {"status":"CHECKED_NOT_OK","type":"IMPORT","body":null,"extraTop":1}]`
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/documents/info/x"), httpmock.NewStringResponder(200, transit))
	list, err = c.EDODocumentInfo(ctx, "x")
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "KZ_EAES_320a4a79", list[0].FileID)
	assert.Equal(t, "5.01", list[0].Version)
	doc, err = list[0].Document()
	require.NoError(t, err)
	assert.Equal(t, &EDOInfoParty{Name: "S", IdentificationCode: "7731376812", CountryCode: "RU"}, doc.Supplier)
	assert.Equal(t, &EDOInfoParty{IdentificationCode: "970425450202"}, doc.Consignee)
	require.NotNil(t, doc.Excise)
	assert.Equal(t, "E1", doc.Excise.Number)
	assert.Equal(t, time.Date(2020, 10, 15, 0, 0, 0, 0, time.UTC), doc.Excise.Date)
	assert.True(t, decimal.RequireFromString("123.09").Equal(doc.Excise.Amount))
	assert.Equal(t, []EDOInfoCompliance{{Number: "C1", Date: time.Date(2020, 10, 14, 0, 0, 0, 0, time.UTC), Type: "T"}}, doc.Compliance)
	assert.Equal(t, []EDOInfoProduct{{Value: "010460043993125621abc", Status: "INTRODUCED"}}, doc.Products)
	assert.Equal(t, map[string]int64{"04600439931256": 23}, doc.ProductTotals)
	assert.Equal(t, DocImport, list[1].Type)
	assert.Nil(t, list[1].Body)
	assert.JSONEq(t, `1`, string(list[1].Extra["extraTop"]))
	_, err = list[1].Document()
	require.Error(t, err, "no body to read")

	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/documents/info/gone"),
		httpmock.NewStringResponder(404, `{"error_message":"Документ не найден"}`))
	_, err = c.EDODocumentInfo(ctx, "gone")
	require.ErrorIs(t, err, ErrNotFound)
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/documents/info/bad"), httpmock.NewStringResponder(200, `<html>`))
	_, err = c.EDODocumentInfo(ctx, "bad")
	require.ErrorIs(t, err, ErrDecode)
}

// edoLenientBody reads a search body with numbers or strings alike, so the
// documentation's screenshot body (strings) compares with what is sent.
type edoLenientBody struct {
	DocumentType   string `json:"documentType"`
	DocumentStatus string `json:"documentStatus"`
	DateFrom       string `json:"dateFrom"`
	DateTo         string `json:"dateTo"`
	SenderBIN      string `json:"senderBin"`
	ReceiverBIN    string `json:"receiverBin"`
	Pagination     struct {
		Offset lenient.Int `json:"offset"`
		Order  string      `json:"order"`
		Limit  lenient.Int `json:"limit"`
	} `json:"pagination"`
}

func edoReadBody(t *testing.T, s string) edoLenientBody {
	t.Helper()
	var b edoLenientBody
	require.NoError(t, json.Unmarshal([]byte(s), &b))
	return b
}

func TestSearchDocumentsExample(t *testing.T) {
	c, mt := edoMocked(t)
	var rec edoRecorder
	mt.RegisterResponder(http.MethodPost, base+"documents/search", rec.reply(200,
		`{"documentsList":[{"fileId":"3f3b8f0a-1d2c-4e5f-8a9b-0c1d2e3f4a5b","sendingDateTime":"2022-03-03T18:49:05.382Z","status":"CHECKED_NOT_OK","type":"AGGREGATION_DOCUMENT"}]}`))
	p, err := c.SearchDocumentsPage(context.Background(),
		DocumentSearch{DateFrom: time.Date(2021, 11, 19, 0, 0, 0, 0, time.Local), Order: SortDesc, Limit: 1}, 1)
	require.NoError(t, err)
	seen := rec.all()
	require.Len(t, seen, 1)
	assert.Equal(t, http.MethodPost, seen[0].Method)
	assert.Equal(t, edoPrefix+"documents/search", seen[0].Path)
	assert.Equal(t, "application/json", seen[0].ContentType)
	assert.Equal(t, "Bearer jwt-x", seen[0].Auth)
	assert.Equal(t, edoReadBody(t, `{"dateFrom":"11/19/2021","pagination":{"offset":"1","order":"DESC","limit":"1"}}`), edoReadBody(t, seen[0].Body),
		"the documentation's example body, read leniently")
	assert.JSONEq(t, `{"dateFrom":"11/19/2021","pagination":{"offset":1,"order":"DESC","limit":1}}`, seen[0].Body, "numbers as the table types them")

	require.Len(t, p.Documents, 1)
	d := p.Documents[0]
	assert.Equal(t, "3f3b8f0a-1d2c-4e5f-8a9b-0c1d2e3f4a5b", d.FileID)
	assert.Equal(t, d.FileID, d.DocumentID())
	assert.Equal(t, time.Date(2022, 3, 3, 18, 49, 5, 382e6, time.UTC), d.SendingDateTime)
	assert.Equal(t, DocStatusCheckedNotOK, d.Status)
	assert.Equal(t, DocAggregation, d.Type)
	assert.Equal(t, 1, p.Offset)
	assert.Equal(t, 2, p.Next)
	assert.True(t, p.More, "a full page")

	// Every field, another date layout.
	_, err = c.SearchDocumentsPage(context.Background(), DocumentSearch{
		DocumentType: DocWithdrawal, DocumentStatus: DocStatusCheckedOK, DateFrom: time.Date(2021, 1, 2, 23, 0, 0, 0, time.UTC),
		DateTo: time.Date(2021, 2, 3, 0, 0, 0, 0, time.UTC), DateLayout: "2006-01-02", SenderBIN: "000740000861", ReceiverBIN: "970425450202",
	}, 0)
	require.NoError(t, err)
	assert.JSONEq(t, `{"documentType":"MTTPS_90","documentStatus":"CHECKED_OK","dateFrom":"2021-01-02","dateTo":"2021-02-03",
		"senderBin":"000740000861","receiverBin":"970425450202","pagination":{"offset":0,"limit":1000}}`, rec.all()[1].Body)
}

func TestSearchDocumentsEmpty404(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	s := DocumentSearch{DateFrom: time.Date(2021, 11, 19, 0, 0, 0, 0, time.UTC)}
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"documents/search", func(*http.Request) (*http.Response, error) {
		calls.Add(1)
		return httpmock.NewStringResponse(404, `{"error_message":"Документы не найдены"}`), nil
	})
	p, err := c.SearchDocumentsPage(ctx, s, 0)
	require.NoError(t, err, "D-6 answers 404 for an empty search: an empty page")
	assert.Empty(t, p.Documents)
	assert.False(t, p.More)
	n := 0
	for _, err := range c.SearchDocuments(ctx, s) {
		require.NoError(t, err)
		n++
	}
	assert.Zero(t, n)
	assert.Equal(t, int32(2), calls.Load())

	mt.RegisterResponder(http.MethodPost, base+"documents/search",
		httpmock.NewStringResponder(404, `{"error_message":"Метод с указанным URL не найден"}`))
	_, err = c.SearchDocumentsPage(ctx, s, 0)
	require.ErrorIs(t, err, ErrNotFound, "a wrong URL stays an error")
}

func TestSearchDocumentsIterator(t *testing.T) {
	c, mt := edoMocked(t)
	var rec edoRecorder
	mt.RegisterResponder(http.MethodPost, base+"documents/search", func(r *http.Request) (*http.Response, error) {
		s := rec.record(r)
		b := edoReadBody(t, s.Body)
		var docs []string
		for i := b.Pagination.Offset.N; i < min(b.Pagination.Offset.N+b.Pagination.Limit.N, 5); i++ {
			docs = append(docs, `{"fileId":"f`+strconv.FormatInt(i, 10)+`","status":"CHECKED_OK","type":"KZ_UPD"}`)
		}
		if b.Pagination.Offset.N == 2 {
			return httpmock.NewStringResponse(200, `[`+strings.Join(docs, ",")+`]`), nil // a bare array
		}
		return httpmock.NewStringResponse(200, `{"documentsList":[`+strings.Join(docs, ",")+`]}`), nil
	})
	var ids []string
	for d, err := range c.SearchDocuments(context.Background(), DocumentSearch{DateFrom: time.Date(2021, 11, 19, 0, 0, 0, 0, time.UTC), Order: SortAsc, Limit: 2}) {
		require.NoError(t, err)
		ids = append(ids, d.FileID)
	}
	assert.Equal(t, []string{"f0", "f1", "f2", "f3", "f4"}, ids)
	var offsets []int64
	for _, s := range rec.all() {
		b := edoReadBody(t, s.Body)
		offsets = append(offsets, b.Pagination.Offset.N)
		assert.Equal(t, "ASC", b.Pagination.Order)
	}
	assert.Equal(t, []int64{0, 2, 4}, offsets, "stops after the short page")
}

// POST documents/search only reads: it is retried like a GET.
func TestSearchDocumentsRetried(t *testing.T) {
	c, mt := edoMocked(t)
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"documents/search", func(*http.Request) (*http.Response, error) {
		if calls.Add(1) == 1 {
			return httpmock.NewStringResponse(503, `{"error_message":"Удаленная система недоступна"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"documentsList":[]}`), nil
	})
	p, err := c.SearchDocumentsPage(context.Background(), DocumentSearch{DateFrom: time.Now()}, 0)
	require.NoError(t, err)
	assert.Empty(t, p.Documents)
	assert.Equal(t, int32(2), calls.Load())
}

func TestSearchDocumentsValidation(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	day := time.Date(2021, 11, 19, 0, 0, 0, 0, time.UTC)
	for field, s := range map[string]DocumentSearch{
		"dateFrom":         {},
		"pagination.limit": {DateFrom: day, Limit: MaxListLimit + 1},
		"pagination.order": {DateFrom: day, Order: "UP"},
	} {
		_, err := c.SearchDocumentsPage(ctx, s, 0)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, field, ve.Field)
		for _, err := range c.SearchDocuments(ctx, s) {
			require.ErrorAs(t, err, &ve)
		}
	}
	_, err := c.SearchDocumentsPage(ctx, DocumentSearch{DateFrom: day}, -1)
	require.ErrorIs(t, err, ErrValidation)
	_, err = c.SearchDocumentsPage(ctx, DocumentSearch{DateFrom: day, DateTo: day.Add(-time.Hour)}, 0)
	require.ErrorIs(t, err, ErrValidation)
	_, err = c.SearchDocumentsV2Page(ctx, DocumentSearchV2{}, 0)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "documentType", ve.Field)
	assert.Zero(t, mt.GetTotalCallCount(), "no request for bad input")
}

func TestSearchDocumentsV2Example(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	var rec edoRecorder
	mt.RegisterResponder(http.MethodPost, base+"documents/searchV2", rec.reply(200,
		`{"documentsList":[{"registrationNum":"da08a5d9-ad5f-4f5f-823a-b1d988093ec4","registrationDate":"2020-12-20","status":"ACCEPTED","documentType":"EAS_CROSSBORDER","exporter":"7731376812","senderCountry":"643","receiver":"810716401076"},
		 {"fileId":"f2","sendingDateTime":"2021-11-25T11:27:03.178Z","status":"WAIT_ACCEPTANCE","type":"LP_ACCEPT_GOODS","senderName":"S","receiverName":"R"}]}`))
	p, err := c.SearchDocumentsV2Page(ctx, DocumentSearchV2{
		DocumentType: "EAS_CROSSBORDER", DocumentStatus: "ACCEPTED",
		DateFrom: time.Date(2020, 12, 20, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2021, 12, 20, 0, 0, 0, 0, time.UTC),
		SenderBIN: "7731376812", ReceiverBIN: "810716401076", Order: SortAsc,
	}, 0)
	require.NoError(t, err)
	seen := rec.all()
	require.Len(t, seen, 1)
	assert.Equal(t, edoPrefix+"documents/searchV2", seen[0].Path)
	assert.Equal(t, "application/json", seen[0].ContentType)
	want := edoReadBody(t, `{"documentType":"EAS_CROSSBORDER","documentStatus":"ACCEPTED","dateFrom":"2020-12-20","dateTo":"2021-12-20","senderBin":"7731376812","receiverBin":"810716401076","pagination":{"offset":0,"order":"ASC","limit":0}}`)
	want.Pagination.Limit = lenient.Int{N: DefaultListLimit, Valid: true} // limit 0 is never sent
	assert.Equal(t, want, edoReadBody(t, seen[0].Body), "the documentation's example body")
	assert.Contains(t, seen[0].Body, `"senderBin":"7731376812"`, "ids are strings")

	require.Len(t, p.Documents, 2)
	d := p.Documents[0]
	assert.Equal(t, "da08a5d9-ad5f-4f5f-823a-b1d988093ec4", d.DocumentID(), "registrationNum when there is no fileId")
	assert.Equal(t, time.Date(2020, 12, 20, 0, 0, 0, 0, time.UTC), d.RegistrationDate)
	assert.Equal(t, DocumentStatus("ACCEPTED"), d.Status)
	assert.Equal(t, DocumentType("EAS_CROSSBORDER"), d.Type, "documentType of the example")
	assert.Equal(t, "7731376812", d.Exporter)
	assert.Equal(t, "643", d.SenderCountry)
	assert.Equal(t, "810716401076", d.Receiver)
	assert.Equal(t, FoundDocument{FileID: "f2", SendingDateTime: time.Date(2021, 11, 25, 11, 27, 3, 178e6, time.UTC),
		Status: "WAIT_ACCEPTANCE", Type: "LP_ACCEPT_GOODS", SenderName: "S", ReceiverName: "R"}, p.Documents[1], "the table's shape")
	assert.False(t, p.More)

	// The screenshot's {"documents": []}, through the iterator.
	mt.RegisterResponder(http.MethodPost, base+"documents/searchV2", httpmock.NewStringResponder(200, `{"documents": []}`))
	for _, err := range c.SearchDocumentsV2(ctx, DocumentSearchV2{DocumentType: "EAS_CROSSBORDER_GROUP", SenderBIN: "0012"}) {
		require.NoError(t, err)
		t.Fatal("no documents")
	}
	mt.RegisterResponder(http.MethodPost, base+"documents/searchV2", httpmock.NewStringResponder(422, `{"code": "422", "errors": "bad"}`))
	_, err = c.SearchDocumentsV2Page(ctx, DocumentSearchV2{DocumentType: "EAS_CROSSBORDER"}, 0)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "422", e.Code)
	assert.Equal(t, "bad", e.Message)
	require.ErrorIs(t, err, ErrValidation)
}

func TestEDOTitleGetters(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	var rec edoRecorder
	title := base64.StdEncoding.EncodeToString([]byte(edoTitleXML))
	mt.RegisterRegexpResponder(http.MethodGet, regexp.MustCompile(`/base64$`), rec.reply(200, `"`+title+`"`))
	got, err := c.IncomingTitle(ctx, edoDocID, DecisionApprove)
	require.NoError(t, err)
	assert.Equal(t, edoTitleXML, string(got))
	_, err = c.IncomingTitle(ctx, edoDocID, "REJECT")
	require.NoError(t, err)
	_, err = c.WithdrawalTitle(ctx, edoDocID)
	require.NoError(t, err)
	assert.Equal(t, []edoSeen{
		{http.MethodGet, edoPrefix + "edo-api/incoming-documents/" + edoDocID + "/events/approve/base64", "", "Bearer jwt-x", "", ""},
		{http.MethodGet, edoPrefix + "edo-api/incoming-documents/" + edoDocID + "/events/reject/base64", "", "Bearer jwt-x", "", ""},
		{http.MethodGet, edoPrefix + "edo-api/outgoing-documents/" + edoDocID + "/events/withdraw/base64", "", "Bearer jwt-x", "", ""},
	}, rec.all(), "the documentation's D-8 example path; the decision segment in lower case")

	_, err = c.IncomingTitle(ctx, edoDocID, "withdraw")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "decision", ve.Field)
	_, err = c.WithdrawalTitle(ctx, "")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "documentId", ve.Field)
	assert.Len(t, rec.all(), 3, "no request for bad input")
}

// edoTitleServer answers a title-creating POST with the base64 of
// edoTitleXML (in lines, as a *.txt file) and a signature POST with 201,
// recording both.
func edoTitleServer(t *testing.T, mt *httpmock.MockTransport, createPath, signPath string, signResponder httpmock.Responder) *edoRecorder {
	rec := &edoRecorder{}
	b64 := base64.StdEncoding.EncodeToString([]byte(edoTitleXML))
	mt.RegisterResponder(http.MethodPost, base+createPath, rec.reply(200, b64[:76]+"\r\n"+b64[76:]+"\r\n"))
	if signResponder == nil {
		signResponder = rec.reply(201, "")
	} else {
		inner := signResponder
		signResponder = func(r *http.Request) (*http.Response, error) {
			rec.record(r)
			return inner(r)
		}
	}
	mt.RegisterResponder(http.MethodPost, base+signPath, signResponder)
	return rec
}

// The must-show: the signature posted in step 2 is a detached CMS that
// verifies over exactly the title bytes step 1 returned.
func TestDecideIncomingSignsTheTitle(t *testing.T) {
	c, mt := edoMocked(t)
	path := "edo-api/incoming-documents/" + edoDocID + "/events/approve"
	rec := edoTitleServer(t, mt, path, path+"/signature", nil)

	signed, err := c.DecideIncoming(context.Background(), edoDocID, DecisionApprove)
	require.NoError(t, err)
	assert.Equal(t, edoTitleXML, string(signed.Content), "the decoded title")

	seen := rec.all()
	require.Len(t, seen, 2)
	assert.Equal(t, edoSeen{http.MethodPost, edoPrefix + path, "", "Bearer jwt-x", "text/plain", ""}, seen[0], "step 1: text/plain, no body")
	assert.Equal(t, http.MethodPost, seen[1].Method)
	assert.Equal(t, edoPrefix+path+"/signature", seen[1].Path)
	assert.Equal(t, "text/plain", seen[1].ContentType)
	assert.Equal(t, "Bearer jwt-x", seen[1].Auth)
	cms, err := base64.StdEncoding.DecodeString(seen[1].Body)
	require.NoError(t, err, "the raw base64 CMS is the whole body")
	assert.Equal(t, signed.Signature, cms)
	v, err := signing.Verify(cms, []byte(edoTitleXML))
	require.NoError(t, err, "verifies over the title bytes of step 1")
	assert.True(t, v.Detached, "a detached CMS")
	_, err = signing.Verify(cms, []byte(strings.Replace(edoTitleXML, "APPROVE", "REJECT", 1)))
	require.Error(t, err, "and over nothing else")
}

// The two lower-level steps, and their errors.
func TestIncomingTitleSteps(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	path := "edo-api/incoming-documents/" + edoDocID + "/events/reject"
	rec := edoTitleServer(t, mt, path, path+"/signature", nil)
	title, err := c.CreateIncomingTitle(ctx, edoDocID, DecisionReject)
	require.NoError(t, err)
	assert.Equal(t, edoTitleXML, string(title))
	require.NoError(t, c.SendIncomingTitleSignature(ctx, edoDocID, DecisionReject, []byte{0x30, 0x82, 0xff}))
	seen := rec.all()
	require.Len(t, seen, 2)
	assert.Equal(t, "MIL/", seen[1].Body)

	// Refusals the server answered are ordinary typed errors.
	mt.RegisterResponder(http.MethodPost, base+path, httpmock.NewStringResponder(400, `{"error_message":"Документ не в статусе Ожидает подтверждения"}`))
	_, err = c.CreateIncomingTitle(ctx, edoDocID, DecisionReject)
	require.ErrorIs(t, err, ErrValidation)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Документ не в статусе Ожидает подтверждения", e.Message)
	_, err = c.DecideIncoming(ctx, edoDocID, DecisionReject)
	require.ErrorIs(t, err, ErrValidation)

	mt.RegisterResponder(http.MethodPost, base+path, httpmock.NewStringResponder(200, "not base64 at all!"))
	_, err = c.CreateIncomingTitle(ctx, edoDocID, DecisionReject)
	require.ErrorIs(t, err, ErrDecode)
	assert.Contains(t, err.Error(), "Client.IncomingTitle", "says where to read the created title")

	before := mt.GetTotalCallCount()
	err = c.SendIncomingTitleSignature(ctx, edoDocID, DecisionReject, nil)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "signature", ve.Field)
	_, err = c.CreateIncomingTitle(ctx, edoDocID, "")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "decision", ve.Field)
	_, err = c.DecideIncoming(ctx, "", DecisionApprove)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, before, mt.GetTotalCallCount(), "no request for bad input")
}

// The must-show: a connection dropped after the signature POST was sent
// gives ErrOutcomeUnknown, and the signature is not sent a second time.
func TestDecideIncomingOutcomeUnknown(t *testing.T) {
	c, mt := edoMocked(t)
	path := "edo-api/incoming-documents/" + edoDocID + "/events/approve"
	var sent atomic.Int32
	rec := edoTitleServer(t, mt, path, path+"/signature", func(*http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("connection reset")
	})
	signed, err := c.DecideIncoming(context.Background(), edoDocID, DecisionApprove)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.ErrorIs(t, err, ErrTransport)
	var oe *OutcomeUnknownError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "POST "+path+"/signature", oe.Op)
	assert.Contains(t, oe.Check, "Client.IncomingDocuments")
	assert.Equal(t, int32(1), sent.Load(), "not sent again")
	assert.Len(t, rec.all(), 2, "one title, one signature")
	require.NotNil(t, signed, "the title and signature come back to send again once checked")
	_, err = signing.Verify(signed.Signature, signed.Content)
	require.NoError(t, err)

	// A drop after the title POST: no signature is made or sent.
	var created atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+path, func(*http.Request) (*http.Response, error) {
		created.Add(1)
		return nil, errors.New("connection reset")
	})
	signed, err = c.DecideIncoming(context.Background(), edoDocID, DecisionApprove)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.ErrorAs(t, err, &oe)
	assert.Contains(t, oe.Check, "Client.IncomingTitle")
	assert.Nil(t, signed)
	assert.Equal(t, int32(1), created.Load())
	assert.Equal(t, int32(1), sent.Load())
}

func TestWithdrawOutgoing(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	create, sign := "edo-api/outgoing-documents/"+edoDocID+"/events/withdraw", "edo-api/outgoing-documents/"+edoDocID+"/events/signature"
	rec := edoTitleServer(t, mt, create, sign, nil)
	signed, err := c.WithdrawOutgoing(ctx, edoDocID)
	require.NoError(t, err)
	seen := rec.all()
	require.Len(t, seen, 2)
	assert.Equal(t, edoSeen{http.MethodPost, edoPrefix + create, "", "Bearer jwt-x", "text/plain", ""}, seen[0])
	assert.Equal(t, edoPrefix+sign, seen[1].Path, "the heading's /events/signature")
	assert.Equal(t, "text/plain", seen[1].ContentType)
	cms, err := base64.StdEncoding.DecodeString(seen[1].Body)
	require.NoError(t, err)
	v, err := signing.Verify(cms, []byte(edoTitleXML))
	require.NoError(t, err, "a detached CMS over the title of step 1")
	assert.True(t, v.Detached)
	assert.Equal(t, edoTitleXML, string(signed.Content))

	// The steps, and a dropped connection on the signature.
	title, err := c.CreateWithdrawalTitle(ctx, edoDocID)
	require.NoError(t, err)
	assert.Equal(t, edoTitleXML, string(title))
	var sent atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+sign, func(*http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("connection reset")
	})
	err = c.SendWithdrawalTitleSignature(ctx, edoDocID, signed.Signature)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	var oe *OutcomeUnknownError
	require.ErrorAs(t, err, &oe)
	assert.Contains(t, oe.Check, "status becomes 16")
	_, err = c.WithdrawOutgoing(ctx, edoDocID)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int32(2), sent.Load(), "each signature sent once")

	before := mt.GetTotalCallCount()
	var ve *ValidationError
	require.ErrorAs(t, c.SendWithdrawalTitleSignature(ctx, edoDocID, nil), &ve)
	_, err = c.CreateWithdrawalTitle(ctx, "  ")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, before, mt.GetTotalCallCount())
}

// A title the server answers with is signed only if it is the strict
// base64 of one well-formed XML document. A damaged answer (a cut title,
// base64 without its padding, garbage that decodes, a second root) is an
// *Error matching ErrDecode that keeps the answer, within an
// *OutcomeUnknownError (the title may exist on the server): the signer is
// not called and no signature request (D-10, D-12) goes out.
func TestTitleFlowsNeverSignADamagedTitle(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString
	answers := map[string]string{
		"a title cut to its first bytes":     "PD94bWwgdg", // "<?xml v", unpadded
		"the same, padded":                   "PD94bWwgdg==",
		"a title cut inside its root":        b64([]byte(edoTitleXML[:len(edoTitleXML)-20])),
		"a title cut after its root's start": b64([]byte(edoTitleXML[:strings.Index(edoTitleXML, "<participants")])),
		"base64 without its padding":         base64.RawStdEncoding.EncodeToString([]byte(edoTitleXML + "x")),
		"a second root":                      b64([]byte(edoTitleXML + "<file/>")),
		"text after the root":                b64([]byte(edoTitleXML + "Service temporarily unavailable")),
		"D-4's damaged example":              exD4Answer,
	}
	for _, flow := range []struct {
		name, create, sign string
		call               func(context.Context, *Client) (*SignedDocument, error)
	}{
		{"D-11 then D-12", "edo-api/outgoing-documents/" + edoDocID + "/events/withdraw", "edo-api/outgoing-documents/" + edoDocID + "/events/signature",
			func(ctx context.Context, c *Client) (*SignedDocument, error) {
				return c.WithdrawOutgoing(ctx, edoDocID)
			}},
		{"D-9 then D-10", "edo-api/incoming-documents/" + edoDocID + "/events/reject", "edo-api/incoming-documents/" + edoDocID + "/events/reject/signature",
			func(ctx context.Context, c *Client) (*SignedDocument, error) {
				return c.DecideIncoming(ctx, edoDocID, DecisionReject)
			}},
	} {
		for name, answer := range answers {
			c, mt, signs := exClient(t)
			var created, signed edoRecorder
			mt.RegisterResponder(http.MethodPost, base+flow.create, created.reply(200, answer))
			mt.RegisterResponder(http.MethodPost, base+flow.sign, signed.reply(201, ""))
			got, err := flow.call(context.Background(), c)
			require.Error(t, err, "%s: %s", flow.name, name)
			require.ErrorIs(t, err, ErrDecode, "%s: %s", flow.name, name)
			require.ErrorIs(t, err, ErrOutcomeUnknown, "%s: %s", flow.name, name)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, answer, string(e.Body), "%s: %s: the answer is kept", flow.name, name)
			assert.Nil(t, got, "%s: %s", flow.name, name)
			assert.Len(t, created.all(), 1, "%s: %s", flow.name, name)
			assert.Zero(t, signs.Load(), "%s: %s: the signer was not called", flow.name, name)
			assert.Empty(t, signed.all(), "%s: %s: no signature was sent", flow.name, name)
		}
	}
}
