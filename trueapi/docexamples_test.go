package trueapi

// The request and answer examples that True API v2.22 prints for its
// document methods D-1 … D-24, replayed: each one is copied verbatim into
// a constant below and sent through the client (on httpmock) with the
// values it carries as the expected result. Many examples are damaged:
// OCR'd screenshots, cut-off bodies, invalid JSON, a lost "<". Each test
// says what is damaged or contradicts the text, and tests the reading this
// client chose; a repair is done in the test, on the verbatim text, so the
// damage stays visible. The XML examples of D-14 and D-15 are the goldens
// of xmldocs_test.go, the D-23 documents those of shipments_test.go.

import (
	"context"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// exClient is a client with the token jwt-x on a mock transport that
// fails the test on any request no responder expects; signs counts the
// calls of its signer.
func exClient(t *testing.T) (*Client, *httpmock.MockTransport, *atomic.Int32) {
	t.Helper()
	inner := edoSigner(t)
	var signs atomic.Int32
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, ""), nil
	})
	c, err := New(signing.SignerFunc(func(ctx context.Context, data []byte, o signing.SignOptions) ([]byte, error) {
		signs.Add(1)
		return inner.SignCMS(ctx, data, o)
	}), WithBaseURL(base), WithHTTPClient(&http.Client{Transport: mt}), WithRetryWait(time.Millisecond, time.Millisecond), WithToken("jwt-x"))
	require.NoError(t, err)
	return c, mt, &signs
}

// exGutter removes the line-number gutter of a screenshot's body.
func exGutter(s string) string { return regexp.MustCompile(`(?m)^\d+ `).ReplaceAllString(s, "") }

var exTrailingComma = regexp.MustCompile(`,(\s*[}\]])`)

// exRepair repairs an example printed as invalid JSON: the replacements
// given (old, new pairs), then commas before a closing bracket dropped. It
// checks that the example was invalid and the repair is valid.
func exRepair(t *testing.T, verbatim string, pairs ...string) string {
	t.Helper()
	require.False(t, json.Valid([]byte(verbatim)), "the example is printed as invalid JSON")
	s := exTrailingComma.ReplaceAllString(strings.NewReplacer(pairs...).Replace(verbatim), "$1")
	require.True(t, json.Valid([]byte(s)), "the repair is JSON: %s", s)
	return s
}

func exB64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// exDay is a date at midnight UTC.
func exDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// exDecodeError checks err is an *Error matching ErrDecode that keeps the
// whole answer.
func exDecodeError(t *testing.T, err error, answer string, msgAndArgs ...any) {
	t.Helper()
	require.ErrorIs(t, err, ErrDecode, msgAndArgs...)
	var e *Error
	require.ErrorAs(t, err, &e, msgAndArgs...)
	assert.Equal(t, answer, string(e.Body), msgAndArgs...)
}

// D-1.
const (
	// exD1Answer is the answer example, verbatim.
	exD1Answer = `{
  "count": 1,
  "items": [
    {
      "id": "cc51a72d-ab19-494b-9bea-cd9ac7c31604",
      "status": 3,
      "number": "367c2fa8-2b8a-4307-b5c5-65d64bd7e17b",
      "date": 1636966209,
      "type": 1000,
      "created_at": 1636966209
    }
  ]
}`
	// exD1Screenshot is the screenshot's answer, verbatim: it breaks off
	// inside the second item.
	exD1Screenshot = `1 {
2   "count": 9,
3   "items": [
4     {
5       "id": "cc51a72d-ab19-494b-9bea-cd9ac7c31684",
6       "status": 3,
7       "numbez": "367c2fa8-2b8a-4367-b5c5-65664bd7e17b",
8       "date": 1636966209,
9       "type": 1888,
10      "created_at": 1636966209
11    },
12     {
13       "id": "26379eb1-842f-4011-ae35-53841b5ed31a",
14       "status": 6,
15       "numbez": "26379eb1-842f-4011-ae35-53841b5ed31a",
16       "date": 1636967701,
17       "type": 1888,`
)

// True API v2.22, D-1: the answer example.
func TestExampleD1Answer(t *testing.T) {
	c, mt, _ := exClient(t)
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/outgoing-documents"), httpmock.NewStringResponder(200, exD1Answer))
	p, err := c.OutgoingDocumentsPage(context.Background(), EDOFilter{}, 0)
	require.NoError(t, err)
	assert.Equal(t, &EDOPage{Count: 1, Items: []EDODocument{{
		ID: "cc51a72d-ab19-494b-9bea-cd9ac7c31604", Status: ActRegistered, Number: "367c2fa8-2b8a-4307-b5c5-65d64bd7e17b",
		Date: time.Unix(1636966209, 0).UTC(), Type: EDOAct, CreatedAt: time.Unix(1636966209, 0).UTC(),
	}}, Offset: 0, Next: 1, More: false}, p)
}

// True API v2.22, D-1: the screenshot's request (offset 1, limit "10 000",
// asc true, statuses 3, partner_inn 970425450202, type 1000; create_from
// and create_to left empty) and its answer. The answer is damaged: cut
// off inside the second item, number OCR'd as "numbez", and type 1888 and
// status 6, which neither list has. Reading: the cut body is closed after
// its last member; a key the table does not list stays in Extra rather
// than being guessed to be number, and unknown codes are kept as sent.
func TestExampleD1Screenshot(t *testing.T) {
	c, mt, _ := exClient(t)
	var rec edoRecorder
	answer := strings.TrimSuffix(exGutter(exD1Screenshot), ",") + "}]}"
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/outgoing-documents"), rec.reply(200, answer))
	asc := true
	p, err := c.OutgoingDocumentsPage(context.Background(), EDOFilter{
		Asc: &asc, PartnerINN: "970425450202", Statuses: []ActStatus{3}, Types: []EDODocumentType{1000}, Limit: 10_000,
	}, 1)
	require.NoError(t, err)
	seen := rec.all()
	require.Len(t, seen, 1)
	assert.Equal(t, "asc=true&limit=10000&offset=1&partner_inn=970425450202&statuses=3&type=1000", seen[0].RawQuery)
	assert.Equal(t, 9, p.Count)
	require.Len(t, p.Items, 2)
	assert.Equal(t, EDODocument{ID: "cc51a72d-ab19-494b-9bea-cd9ac7c31684", Status: 3, Date: time.Unix(1636966209, 0).UTC(), Type: 1888,
		CreatedAt: time.Unix(1636966209, 0).UTC(), Extra: map[string]json.RawMessage{"numbez": json.RawMessage(`"367c2fa8-2b8a-4367-b5c5-65664bd7e17b"`)}}, p.Items[0])
	assert.Equal(t, ActStatus(6), p.Items[1].Status, "kept as sent")
	assert.Equal(t, EDODocumentType(1888), p.Items[1].Type)
	assert.Equal(t, time.Unix(1636967701, 0).UTC(), p.Items[1].Date)
	assert.Equal(t, 1, p.Offset)
	assert.Equal(t, 3, p.Next)
	assert.False(t, p.More)
}

// D-2.
const (
	exD2Screenshot = `1  {
2    "count": 1,
3    "items": [
4      {
5        "id": "e285dee1-aa91-49d4-ac7a-a3fd956ca270",
6        "status": 4,
7        "number": "8de5c6db-14b6-4f41-9625-4b8deb836fb8",
8        "date": 1636459235,
9        "type": 1000,
10       "created_at": 1636459386
11      }
12    ]
13  }`
	exD2Answer = `{
  "count": 1,
  "items": [
    {
      "id": "e285dee1-aa91-49d4-ac7a-a3fd956ca270",
      "status": 4,
      "number": "8de5c6db-14b6-4f41-9625-4b0deb836fb8",
      "date": 1636459235,
      "type": 1000,
      "created_at": 1636459306
    }
  ]
}`
)

// True API v2.22, D-2: the screenshot's answer and the answer example.
// They print one document with two OCR differences (number …4b8deb… or
// …4b0deb…, created_at 1636459386 or 1636459306); each is read as printed.
// (The screenshot's request, ?asc=true&partner_inn=930801350956, is
// TestEDOIncomingPageScreenshot's.)
func TestExampleD2(t *testing.T) {
	c, mt, _ := exClient(t)
	for _, tc := range []struct {
		answer, number string
		created        int64
	}{
		{exGutter(exD2Screenshot), "8de5c6db-14b6-4f41-9625-4b8deb836fb8", 1636459386},
		{exD2Answer, "8de5c6db-14b6-4f41-9625-4b0deb836fb8", 1636459306},
	} {
		mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/incoming-documents"), httpmock.NewStringResponder(200, tc.answer))
		asc := true
		p, err := c.IncomingDocumentsPage(context.Background(), EDOFilter{Asc: &asc, PartnerINN: "930801350956"}, 0)
		require.NoError(t, err)
		assert.Equal(t, 1, p.Count)
		assert.Equal(t, []EDODocument{{ID: "e285dee1-aa91-49d4-ac7a-a3fd956ca270", Status: ActConfirmed, Number: tc.number,
			Date: time.Unix(1636459235, 0).UTC(), Type: EDOAct, CreatedAt: time.Unix(tc.created, 0).UTC()}}, p.Items)
		assert.Equal(t, "Подписан получателем", p.Items[0].Status.Name())
	}
}

// D-3 and D-4.
const (
	// exD4Answer is the answer example of D-4, verbatim, line breaks
	// included.
	exD4Answer = `PD94bWwgdMvYc21vbj0iMS4wIiBlbnVzZGluz0iVVRGLTgiPz4KPGZpbGUGc2VuZGluz0RhdGVUaW1lPSIyMDIyLTA2LTAyVDEwOjI5OjE5IiB2
ZzJzaW9uPSIeLjAiIGZpbGVJZD0iRUVVX0FDVF9mNGIzYWw0Ni0yZDVkLTRIYWUtOTQyZi04MzY5OTNiOjE5OTY5OTY5OTY5OTY5OTY5OTY5
cyBjb25zaWduZWVJZD0iOTQwNDQ4NDUwNDQyIiBzdXBwG1lcklkPSI5NzA1M
DEZMDE3ODYiLz4KICAgIDxkb2N1bWVudCBvcGVyYXRpb25UeXB1PSIeLjAiBjb3JyZWN0aW9uRmxxZz0iZmFsc2UiPgogICAgICAgIDxtYWluSW5mb
z4KICAgICAgICAgICAgPHN1cHBsaWVySW5mbYBzdXBwG1lcklkZW50aWZpY2F0aW9uQ29kZT0iOTcwNTAxMzAxNzg2IiBzdXBwG1lck5hbWU9I
tCY0J8g0JHqldCa0JHqntCb0JDQotKw0JvQyDQkdCV0JrQl9CQ0KIiLz4KICA
gICAgICAgICAgPGNvbnpZ25lZUluZm8gY29uc2lnbmVlSWRlbnRpZmljYXRpb25Db2RlPSI5NDA0MDg0NTA0NDIiIGNvbnpZ25lZU5hbWU9ItC
Y0J8g0JzQkNCA0KPQm9CR0JXQmtCe0JLQkCDQkNCh0JXQm9CsINCC0KPQoNCQ0KLQkdCV0JrQmtCr0JfQyIvPgogICAgICAgIDwvWFpbkluzm8
+CiAgICAgICAgPHByb2RlY3RmaXN0PgogICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg
nQ9IjEiPjAxMDQ2MjcMTA2MzAwNzkyMTNFwNFBaDwvaUNvZGU+CiAgICAgICAgPC9wcm9kdWN0TGlzdD4KICAgICAgICAgICAgICAgICAgICAgICAg
z4KICAgICAgICAgICAgPGd0aW4gY29lbnQ9IjEiPjA0NjI3MTEwNjMwMDE5PC9ndGlupGogICAgICAgIDwvcHJvZHVhdFRvdGFscz4KICAgICAgICAg
G9jdWl1bnQ+CjwvZmlsZT4=`
	// exD4Screenshot is the start of the body the screenshot shows,
	// verbatim, with the quote the export left at its end.
	exD4Screenshot = `PD94bWwgdmVyc21vb3R1MS4wI1B1bmVzZG1uZz01VVRGLTg1Pz4KP6ZpbG9uc2VuZG1uZ0RhdGVuaw11PS1yMDIyLTA2LTAyVDEwOjI0IjE0IjE1I1B2ZXJzaW9uPS1xLjA1IGZpbG9JZ081RUVVX080V0F9mNG1zYW9uM0N10yZDVKLTR1YUw0OTQyZ184MzY5O'`
	// exD4ID is the document id of the screenshot's request.
	exD4ID = "f4b3ac46-2d5d-4bae-942f-836993b8cff6"
)

// True API v2.22, D-3 and D-4 (one section in the documentation): the
// screenshot's request reads an incoming document. Its answer and the
// answer example are OCR'd base64 that no longer decodes: the example has
// 1153 characters once its line breaks are gone, no multiple of 4, and
// misread letters (dMvYc21vbj0i for dmVyc2lvbj0i). Decoded leniently, as
// this client once did, it gave 864 bytes of garbage and no error.
// Reading: both are refused as ErrDecode keeping the answer; what they
// stand for, the base64 of an Act whose fileId is EEU_ACT_<the id>, is
// decoded to its exact bytes. The stage URL of D-3 shows the incoming path
// (a typo); the outgoing path of its heading is used.
func TestExampleD4(t *testing.T) {
	c, mt, _ := exClient(t)
	ctx := context.Background()
	var rec edoRecorder
	for _, answer := range []string{exD4Answer, exD4Screenshot} {
		mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/incoming-documents/"+exD4ID+"/base64"), rec.reply(200, answer))
		got, err := c.IncomingDocumentXML(ctx, exD4ID)
		exDecodeError(t, err, answer)
		assert.Nil(t, got)
		mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/outgoing-documents/"+exD4ID+"/base64"), rec.reply(200, answer))
		_, err = c.OutgoingDocumentXML(ctx, exD4ID)
		exDecodeError(t, err, answer)
	}
	assert.Equal(t, edoSeen{http.MethodGet, edoPrefix + "edo-api/incoming-documents/" + exD4ID + "/base64", "", "Bearer jwt-x", "", ""}, rec.all()[0])
	assert.Equal(t, edoPrefix+"edo-api/outgoing-documents/"+exD4ID+"/base64", rec.all()[1].Path)

	act := strings.Replace(specActXML, "EEU_ACT_f93fc9fa-e63c-11ec-8fea-0242ac120002", "EEU_ACT_"+exD4ID, 1)
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/incoming-documents/"+exD4ID+"/base64"), httpmock.NewStringResponder(200, exB64(act)))
	got, err := c.IncomingDocumentXML(ctx, exD4ID)
	require.NoError(t, err)
	assert.Equal(t, act, string(got))
	assert.True(t, strings.HasPrefix(exB64(act), exD4Answer[:8]), "the example's readable start")
}

// D-5.
const (
	// exD5Screenshot is the screenshot's answer, verbatim: it breaks off
	// after mainInfo.
	exD5Screenshot = `1 [{"status":"CHECKED_OK","type":"IMPORT","body":{"document":{"mainInfo":{"importerInfo":{"importerName":"ИП МАКУЛБЕКОВА АСЕЛЬ МҮРАТБЕКҰЛЫ","importerCode":"940488450442"},"exportCountry":"AS"}`
	// exD5Reintroduction is the answer example for re-introduction and
	// withdrawal notices, verbatim.
	exD5Reintroduction = `{
  "status": "CHECKED_OK",
  "type": "KZ_INTRODUCE_GOODS",
  "body": {
    "document": {
      "mainInfo": {
        "participantInfo": {
          "participantName": " ",
          "participantIdentificationCode": "080740000861"
        },
        "originalDocInfo": {
          "docName": " ",
          "docNumber": "77",
          "docDate": "16.10.2020"
        },
        "reason": "2"
      },
      "cisList": [
        {
          "value": "0487000001002842fuSo1",
          "name": " ",
          "status": " "
        },
        {
          "value": "04870000010028\\kkQZK6",
          "name": " Camel",
          "status": " "
        }
      ]
    },
    "fileId": "320a4a79-80a5-4756-bd68-a572027131be",
    "version": "1.0",
    "sendingDateTime": "2020-10-17T09:30:47Z"
  }
}`
	// exD5Import is the answer example for EAEU import notices, verbatim.
	exD5Import = `{
  "status": "CHECKED_OK",
  "type": "IMPORT_TRANSIT",
  "body": {
    "document": {
      "mainInfo": {
        "supplierInfo": {
          "supplierName": " ",
          "supplierIdentificationCode": "080740000861",
          "supplierCountryCode": "US"
        },
        "consigneeInfo": {
          "consigneeName": " ",
          "consigneeIdentificationCode": "322534565777"
        },
        "originalDocInfo": {
          "docNumber": "77",
          "docDate": "16.10.2020"
        },
        "exciseDocInfo": {
          "exciseDocNumber": "29-",
          "exciseDocDate": "16.10.2020",
          "exciseAmount": "123.09"
        },
        "complianceInfo": {
          "complianceDocNumber": "33",
          "complianceDocDate": "16.10.2020",
          "complianceDocType": " "
        }
      }
    },
    "productList": [
      {
        "value": "0487000001002842fuS01",
        "name": " \\\"\\\" ",
        "status": " "
      },
      {
        "value": "04870000010028\\\"kkQZK6",
        "name": " \\\"Camel\\\" ",
        "status": " "
      }
    ],
    "productTotals": {
      "0487000001002842": "23",
      "04870000010028": "198"
    },
    "fileId": "KZ_EAES_320a4a79-80a5-4756-bd68-a572027131be",
    "version": "1.0",
    "sendingDateTime": "2020-10-17T09:30:47Z"
  }
}`
)

// True API v2.22, D-5: the screenshot's request sends the id as a query
// parameter of documents/info and gets an array; the answer breaks off.
// Reading: the heading's path edo-api/documents/info/{documentId} with the
// id as its last segment, and the cut answer closed after its last member.
// The structure of IMPORT is not documented: mainInfo is kept as sent.
func TestExampleD5Screenshot(t *testing.T) {
	c, mt, _ := exClient(t)
	const id = "4382ce7b-878b-4d25-b455-598711b31bf6bea7e80"
	var rec edoRecorder
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/documents/info/"+id), rec.reply(200, exGutter(exD5Screenshot)+"}}}]"))
	list, err := c.EDODocumentInfo(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, edoPrefix+"edo-api/documents/info/"+id, rec.all()[0].Path)
	require.Len(t, list, 1)
	assert.Equal(t, DocStatusCheckedOK, list[0].Status)
	assert.Equal(t, DocImport, list[0].Type)
	doc, err := list[0].Document()
	require.NoError(t, err)
	assert.JSONEq(t, `{"importerInfo":{"importerName":"ИП МАКУЛБЕКОВА АСЕЛЬ МҮРАТБЕКҰЛЫ","importerCode":"940488450442"},"exportCountry":"AS"}`, string(doc.MainInfo))
	assert.Nil(t, doc.Products)
}

// True API v2.22, D-5: the re-introduction answer, both of its codes. The
// table lists only reason 1 for KZ_INTRODUCE_GOODS; the example's "2" is
// kept as sent.
func TestExampleD5Reintroduction(t *testing.T) {
	c, mt, _ := exClient(t)
	const id = "320a4a79-80a5-4756-bd68-a572027131be"
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/documents/info/"+id), httpmock.NewStringResponder(200, exD5Reintroduction))
	list, err := c.EDODocumentInfo(context.Background(), id)
	require.NoError(t, err)
	require.Len(t, list, 1)
	info := list[0]
	assert.Equal(t, DocStatusCheckedOK, info.Status)
	assert.Equal(t, DocIntroduceGoods, info.Type)
	assert.Equal(t, id, info.FileID)
	assert.Equal(t, "1.0", info.Version)
	assert.Equal(t, time.Date(2020, 10, 17, 9, 30, 47, 0, time.UTC), info.SendingDateTime)
	doc, err := info.Document()
	require.NoError(t, err)
	assert.Equal(t, &EDOInfoParty{Name: " ", IdentificationCode: "080740000861"}, doc.Participant)
	assert.Equal(t, &EDOInfoOriginalDoc{Name: " ", Number: "77", Date: exDay(2020, 10, 16), DateText: "16.10.2020"}, doc.OriginalDoc)
	assert.Equal(t, "2", doc.Reason)
	assert.Equal(t, []EDOInfoProduct{
		{Value: "0487000001002842fuSo1", Name: " ", Status: " "},
		{Value: `04870000010028\kkQZK6`, Name: " Camel", Status: " "},
	}, doc.Products)
	assert.Nil(t, doc.ProductTotals)
}

// True API v2.22, D-5: the EAEU import answer. Its productList and
// productTotals stand beside document in body, as fileId does, while the
// table nests them in document: both places are read. What else it
// contradicts is kept as sent: supplierCountryCode "US" (the table allows
// AM, BY, KG, RU), exciseAmount the string "123.09" (typed Integer; read
// exactly as a decimal), complianceInfo one object (typed an array),
// productTotals counts as strings (typed Integer), and product codes of 16
// digits where a GTIN has 14.
func TestExampleD5Import(t *testing.T) {
	c, mt, _ := exClient(t)
	const id = "KZ_EAES_320a4a79-80a5-4756-bd68-a572027131be"
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("edo-api/documents/info/"+id), httpmock.NewStringResponder(200, exD5Import))
	list, err := c.EDODocumentInfo(context.Background(), id)
	require.NoError(t, err)
	require.Len(t, list, 1)
	info := list[0]
	assert.Equal(t, DocImportTransit, info.Type)
	assert.Equal(t, id, info.FileID)
	assert.Equal(t, time.Date(2020, 10, 17, 9, 30, 47, 0, time.UTC), info.SendingDateTime)
	doc, err := info.Document()
	require.NoError(t, err)
	assert.Equal(t, []EDOInfoProduct{
		{Value: "0487000001002842fuS01", Name: ` \"\" `, Status: " "},
		{Value: `04870000010028\"kkQZK6`, Name: ` \"Camel\" `, Status: " "},
	}, doc.Products, "productList beside document")
	assert.Equal(t, map[string]int64{"0487000001002842": 23, "04870000010028": 198}, doc.ProductTotals, "productTotals beside document")
	assert.Equal(t, &EDOInfoParty{Name: " ", IdentificationCode: "080740000861", CountryCode: "US"}, doc.Supplier)
	assert.Equal(t, &EDOInfoParty{Name: " ", IdentificationCode: "322534565777"}, doc.Consignee)
	assert.Equal(t, &EDOInfoOriginalDoc{Number: "77", Date: exDay(2020, 10, 16), DateText: "16.10.2020"}, doc.OriginalDoc)
	require.NotNil(t, doc.Excise)
	assert.Equal(t, "29-", doc.Excise.Number)
	assert.Equal(t, exDay(2020, 10, 16), doc.Excise.Date)
	assert.True(t, decimal.RequireFromString("123.09").Equal(doc.Excise.Amount))
	assert.Equal(t, []EDOInfoCompliance{{Number: "33", Date: exDay(2020, 10, 16), Type: " "}}, doc.Compliance)

	// Inside document, where the table puts them, they are read too; the
	// document's own lists come first.
	var body map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(info.Body, &body))
	var inner map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body["document"], &inner))
	inner["productList"], inner["productTotals"] = body["productList"], body["productTotals"]
	body["productList"], body["productTotals"] = json.RawMessage(`[{"value":"other"}]`), json.RawMessage(`{"x":"1"}`)
	body["document"], _ = json.Marshal(inner)
	moved := info
	moved.Body, _ = json.Marshal(body)
	doc2, err := moved.Document()
	require.NoError(t, err)
	assert.Equal(t, doc.Products, doc2.Products)
	assert.Equal(t, doc.ProductTotals, doc2.ProductTotals)
}

// D-6.
const (
	// exD6Screenshot is the screenshot's answer, verbatim.
	exD6Screenshot = `1 {
2   "documentsList": [
3     {
4       "fileId": "39e88b0-01d1-4ab0-96f0-acc792d34b2",
5       "sendingDateTime": "2022-03-03T18:49:05.382Z",
6       "status": "CHECKED_NOT_OK",
7       "type": "AGGREGATION_DOCUMENT"
8     }
9   ]
10 }`
	// exD6Answer is the answer example, verbatim: four bare objects and
	// "....." where the list goes on.
	exD6Answer = `{
  "fileId": "315c2767-b949-407e-842a-4e9aa41b4b9a",
  "sendingDateTime": "2021-11-25T11:27:03.178Z",
  "status": "CHECKED_OK",
  "type": "IMPORT_TRANSIT"
},
{
  "fileId": "fccfe719-d8d6-4ec2-b538-cd4f23278b77",
  "sendingDateTime": "2021-11-24T04:23:08.604Z",
  "status": "CHECKED_OK",
  "type": "IMPORT_TRANSIT"
},
{
  "fileId": "095d5b2d-df2b-4f88-adc2-d6744edecc5b",
  "sendingDateTime": "2021-11-04T04:42:38.543Z",
  "status": "CHECKED_OK",
  "type": "IMPORT_TRANSIT"
},
{
  "fileId": "9f065339-865d-408a-8ed4-0603b959fc7d",
  "sendingDateTime": "2021-11-03T11:59:12.911Z",
  "status": "CHECKED_OK",
  "type": "IMPORT_TRANSIT"
}.....`
)

// True API v2.22, D-6: the two answers. The screenshot's fileId
// "39e88b0-01d1-4ab0-96f0-acc792d34b2" is no GUID (OCR); it is kept as
// sent. The answer example lists bare objects without the documentsList
// wrapper and breaks off with "....."; reading: a bare array of them. (The
// screenshot's request is TestSearchDocumentsExample's.)
func TestExampleD6(t *testing.T) {
	c, mt, _ := exClient(t)
	ctx := context.Background()
	s := DocumentSearch{DateFrom: exDay(2021, 11, 19), Order: SortDesc, Limit: 1}
	mt.RegisterResponder(http.MethodPost, base+"documents/search", httpmock.NewStringResponder(200, exGutter(exD6Screenshot)))
	p, err := c.SearchDocumentsPage(ctx, s, 1)
	require.NoError(t, err)
	assert.Equal(t, []FoundDocument{{FileID: "39e88b0-01d1-4ab0-96f0-acc792d34b2", SendingDateTime: time.Date(2022, 3, 3, 18, 49, 5, 382e6, time.UTC),
		Status: DocStatusCheckedNotOK, Type: DocAggregation}}, p.Documents)

	require.True(t, strings.HasSuffix(exD6Answer, "}....."))
	answer := "[" + strings.TrimSuffix(exD6Answer, ".....") + "]"
	mt.RegisterResponder(http.MethodPost, base+"documents/search", httpmock.NewStringResponder(200, answer))
	p, err = c.SearchDocumentsPage(ctx, DocumentSearch{DateFrom: exDay(2021, 11, 1)}, 0)
	require.NoError(t, err)
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339Nano, s); return v }
	assert.Equal(t, []FoundDocument{
		{FileID: "315c2767-b949-407e-842a-4e9aa41b4b9a", SendingDateTime: at("2021-11-25T11:27:03.178Z"), Status: DocStatusCheckedOK, Type: DocImportTransit},
		{FileID: "fccfe719-d8d6-4ec2-b538-cd4f23278b77", SendingDateTime: at("2021-11-24T04:23:08.604Z"), Status: DocStatusCheckedOK, Type: DocImportTransit},
		{FileID: "095d5b2d-df2b-4f88-adc2-d6744edecc5b", SendingDateTime: at("2021-11-04T04:42:38.543Z"), Status: DocStatusCheckedOK, Type: DocImportTransit},
		{FileID: "9f065339-865d-408a-8ed4-0603b959fc7d", SendingDateTime: at("2021-11-03T11:59:12.911Z"), Status: DocStatusCheckedOK, Type: DocImportTransit},
	}, p.Documents)
	assert.False(t, p.More)
}

// The titles of D-7 … D-12.
const (
	// exD7Screenshot is the body of the D-7 screenshot, verbatim.
	exD7Screenshot = `PD94bWwgdmVyc2l1b30iMS4wTiB1bWVnZGl1Zz0iVVRGLTgiPz4KPGZpbGUGZn1sZUlkPSJFRVVFfQUNUVV1RIRFJXT185NDAA6MDg0NTA0NDJfNzAxMDIyZmUwMTA0XzIwMjEtMTEtMjZfNGRlNTJiNjctNGRkMi00OTI4LT1kZDA0MjJjNzFhNDI0ZmFhI.`
	// exD7Title is the answer example of D-7, verbatim.
	exD7Title = `?xml version="1.0" encoding="UTF-8"?>
<file fileId="EEU_ACTPOK_810716401076_800513300402_2020-09-30_70bfa059-802a-4ac6-bc4a-4cc01bcb1123" version="1.0" decision="APPROVE">
  <participants consigneeIdNumber="810716401076" supplierIdNumber="800513300402" />
  <buyerInfo purchaseTimestamp="2020-09-30T21:20:45">
    <sellerInfo sellerFileId="EEU_ACT_f66fa4d9-266b-48ea-b90b-977fd5df7ec4" sellerFileTimestamp="2020-09-30T20:06:57">
      <sign>MIISdwYJKoZlIhvcNAQcCo...EPADCCAQoCggEBALLxo4++FN6EQEyy9sZwwPgMnqR</sign>
    </sellerInfo>
  </buyerInfo>
</file>`
	// exD8Screenshot is the body of the D-8 screenshot, verbatim.
	exD8Screenshot = `PD94bWwgdmVyc2l1b3B9IjMS4wIiB1bNvZ61uZz9iVVRGLTgiPz4KP6ZpbGugZm1sZU1kPSJFRVYfSU1QT1JUVFJBT1NJVE9lXzEyMTIxMjEyMjJfOTQwNDA4NDUwNDQyXzIwMjEtMTk0MjI0QTYwFHYi00NzgzLWlI4YTYtZjZjAzM0ExZDIyOQ`
	// exD8Title is the answer example of D-8, verbatim, its line breaks
	// inside two attribute values included.
	exD8Title = `?xml version="1.0" encoding="UTF-8"?>
<file fileId="EEU_ACTПОК_810716401076_800513300402_2020-09-30_70bfa059-802a-4ac6-bc4a-4cc01bcb1123" version="
1.0" decision="APPROVE">
  <participants consigneeIdNumber="810716401076" supplierIdNumber="800513300402" />
  <buyerInfo purchaseTimestamp="2020-09-30T21:20:45">
    <sellerInfo sellerFileId="EEU_ACT_f66fa4d9-266b-48ea-b90b-977fd5df7ec4" sellerFileTimestamp="2020-09-
30T20:06:57">
      <sign>MIISdwYJKoZiIhvcNAQcCoIISa...PgMnqR</sign>
    </sellerInfo>
  </buyerInfo>
</file>`
	// exD9Title is the answer example of D-9, verbatim.
	exD9Title = `?xml version="1.0" encoding="UTF-8"?>
<file fileId="EEU_ACTPOK_810716401076_800513300402_2020-09-30_70bfa059-802a-4ac6-bc4a-4cc01bcb1123" version="
1.0" decision="APPROVE">
  <participants consigneeIdNumber="810716401076" supplierIdNumber="800513300402" />
  <buyerInfo purchaseTimestamp="2020-09-30T21:20:45">
    <sellerInfo sellerFileId="EEU_ACT_f66fa4d9-266b-48ea-b90b-977fd5df7ec4" sellerFileTimestamp="2020-09-
30T20:06:57">
      <sign>MIISdwYJKoZIHvcNAQcCo...wPgMnqR</sign>
    </sellerInfo>
    <signer name=" " />
  </buyerInfo>
</file>`
	// exD11Screenshot is the start of the body of the D-11 screenshot,
	// verbatim.
	exD11Screenshot = `PD94bWwgdmVyc2lvcj9iMS4wIi81bnVzG1uZz09iVVVRLTg1Pz4KPGZpbGUGZm1sZU1kPSJFRVVF$SU1QT1JUUVFJBT1NJVWFdUSERSV06$NjMxNzEzNjQ2N185NDAA0MDgONTA0NDJFmJyM10wN18xMzBhMD1iZC02MGZlLlRmNjgtYTkzYy1iZjRmMmJhMTA1Zi`
	// exD11Title is the answer example of D-11, verbatim.
	exD11Title = `?xml version="1.0" encoding="UTF-8"?>
<file fileId="ЕЕУ_АКТРОК_810716401076_800513300402_2020-09-30_70bfa059-802a-4ac6-bc4a-4cc01bcb1123" version="1.0" decision="WITHDRAW">
  <participants consigneeIdNumber="810716401076" supplierIdNumber="800513300402" />
  <buyerInfo purchaseTimestamp="2020-09-30T21:20:45">
    <sellerInfo sellerFileId="ЕЕУ_АКТ_f66fa4d9-266b-48ea-b90b-977fd5df7ec4" sellerFileTimestamp="2020-09-30T20:06:57">
      <sign>MIISdwYJKoZIhvcNA...9sZwwPgMnqR</sign>
    </sellerInfo>
    <signer name=" " />
  </buyerInfo>
</file>`
	// exD12Title is the title printed under D-12, verbatim.
	exD12Title = `?xml version="1.0" encoding="UTF-8"?>
<file fileId="ЕЕУ_АКТРОК_810716401076_800513300402_2020-09-30_70bfa059-802a-4ac6-bc4a-4cc01bcb1123" version="1.0" decision="WITHDRAW">
  <participants consigneeIdNumber="810716401076" supplierIdNumber="800513300402" />
  <buyerInfo purchaseTimestamp="2020-09-30T21:20:45">
    <sellerInfo sellerFileId="ЕЕУ_АКТ_f66fa4d9-266b-48ea-b90b-977fd5df7ec4" sellerFileTimestamp="2020-09-30T20:06:57">
      <sign>MIISdwYJKoZIhvcNA...9sZwwPgMnqR</sign>
    </sellerInfo>
    <signer name=" " />
  </buyerInfo>
</file>`
)

// exTitles are the answer examples of the title methods: each lost the
// "<" of its XML declaration, so as printed none is XML.
var exTitles = map[string]string{"D-7": exD7Title, "D-8": exD8Title, "D-9": exD9Title, "D-11": exD11Title, "D-12": exD12Title}

// The title examples are printed without the "<" of "<?xml": as printed
// they are text before a root element, not XML, and are refused. Reading:
// the "<" was lost; with it restored each is one well-formed XML document.
// The line breaks inside two attribute values of D-8 and D-9 (version="
// 1.0", sellerFileTimestamp="2020-09-\n30T20:06:57") are wraps of the
// export, but well-formed: the bytes are kept exactly as served.
func TestExampleTitlesLostTheirBracket(t *testing.T) {
	for name, title := range exTitles {
		require.True(t, strings.HasPrefix(title, "?xml "), name)
		_, err := decodeBase64XML([]byte(exB64(title)))
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "text outside the root element", name)
		got, err := decodeBase64XML([]byte(exB64("<" + title)))
		require.NoError(t, err, name)
		assert.Equal(t, "<"+title, string(got), name)
	}
	assert.Equal(t, exD11Title, exD12Title, "D-12 prints D-11's title again")
}

// True API v2.22, D-7: the screenshot's request, its OCR'd base64 answer
// (with "TiB1" for "IiBl" and a final ".", no base64) and the title of the
// answer example. The example's decision is APPROVE and it has no signer,
// where a withdrawal title of D-11 says WITHDRAW and the table requires
// signer; the title is returned as served, not interpreted.
func TestExampleD7(t *testing.T) {
	c, mt, _ := exClient(t)
	const id = "c83577a7-92ce-403d-965c-926b42185a5b"
	path := "edo-api/outgoing-documents/" + id + "/events/withdraw/base64"
	var rec edoRecorder
	mt.RegisterRegexpResponder(http.MethodGet, edoURL(path), rec.reply(200, exD7Screenshot))
	_, err := c.WithdrawalTitle(context.Background(), id)
	exDecodeError(t, err, exD7Screenshot)
	assert.Equal(t, edoSeen{http.MethodGet, edoPrefix + path, "", "Bearer jwt-x", "", ""}, rec.all()[0])

	mt.RegisterRegexpResponder(http.MethodGet, edoURL(path), httpmock.NewStringResponder(200, exB64(exD7Title)))
	_, err = c.WithdrawalTitle(context.Background(), id)
	exDecodeError(t, err, exB64(exD7Title))
	mt.RegisterRegexpResponder(http.MethodGet, edoURL(path), httpmock.NewStringResponder(200, exB64("<"+exD7Title)))
	got, err := c.WithdrawalTitle(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, "<"+exD7Title, string(got))
}

// True API v2.22, D-8: the screenshot's OCR'd base64 answer (for the
// request TestEDOTitleGetters replays) and the answer example, whose fileId
// has a Cyrillic "ПОК" (OCR) and whose attribute values wrap; both kept
// as served.
func TestExampleD8(t *testing.T) {
	c, mt, _ := exClient(t)
	path := "edo-api/incoming-documents/" + edoDocID + "/events/approve/base64"
	mt.RegisterRegexpResponder(http.MethodGet, edoURL(path), httpmock.NewStringResponder(200, exD8Screenshot))
	_, err := c.IncomingTitle(context.Background(), edoDocID, DecisionApprove)
	exDecodeError(t, err, exD8Screenshot)
	mt.RegisterRegexpResponder(http.MethodGet, edoURL(path), httpmock.NewStringResponder(200, exB64("<"+exD8Title)))
	got, err := c.IncomingTitle(context.Background(), edoDocID, DecisionApprove)
	require.NoError(t, err)
	assert.Equal(t, "<"+exD8Title, string(got))
	assert.Contains(t, string(got), `fileId="EEU_ACTПОК_`)
}

// True API v2.22, D-9 then D-10: the title of D-9's answer example is
// signed byte for byte and its detached signature posted to D-10; as
// printed (no "<") it is not XML, and then nothing is signed and D-10 is
// not called.
func TestExampleD9(t *testing.T) {
	c, mt, signs := exClient(t)
	path := "edo-api/incoming-documents/" + edoDocID + "/events/approve"
	var posted edoRecorder
	mt.RegisterResponder(http.MethodPost, base+path+"/signature", posted.reply(201, ""))
	mt.RegisterResponder(http.MethodPost, base+path, httpmock.NewStringResponder(200, exB64(exD9Title)))
	signed, err := c.DecideIncoming(context.Background(), edoDocID, DecisionApprove)
	exDecodeError(t, err, exB64(exD9Title))
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Nil(t, signed)
	assert.Zero(t, signs.Load(), "nothing signed")
	assert.Empty(t, posted.all(), "no D-10")

	mt.RegisterResponder(http.MethodPost, base+path, httpmock.NewStringResponder(200, exB64("<"+exD9Title)))
	signed, err = c.DecideIncoming(context.Background(), edoDocID, DecisionApprove)
	require.NoError(t, err)
	assert.Equal(t, "<"+exD9Title, string(signed.Content))
	require.Len(t, posted.all(), 1)
	cms, err := base64.StdEncoding.DecodeString(posted.all()[0].Body)
	require.NoError(t, err)
	_, err = signing.Verify(cms, []byte("<"+exD9Title))
	require.NoError(t, err, "a detached CMS over the exact title bytes")
}

// True API v2.22, D-11 then D-12: the screenshot's request (POST, no
// body), its OCR'd answer (with "$", no base64) and the title of the answer
// example (WITHDRAW; a Cyrillic "ЕЕУ_АКТРОК" in its ids, OCR, kept). The
// damaged answer is never signed and no D-12 request goes out; the title,
// its "<" restored, is signed byte for byte and its signature posted.
func TestExampleD11(t *testing.T) {
	c, mt, signs := exClient(t)
	const id = "4a93cf20-2046-411b-bc54-acfde9a663f5"
	create, sign := "edo-api/outgoing-documents/"+id+"/events/withdraw", "edo-api/outgoing-documents/"+id+"/events/signature"
	var rec edoRecorder
	mt.RegisterResponder(http.MethodPost, base+sign, rec.reply(201, ""))
	mt.RegisterResponder(http.MethodPost, base+create, rec.reply(200, exD11Screenshot))
	signed, err := c.WithdrawOutgoing(context.Background(), id)
	exDecodeError(t, err, exD11Screenshot)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Nil(t, signed)
	assert.Zero(t, signs.Load(), "nothing signed")
	require.Len(t, rec.all(), 1, "no D-12")
	assert.Equal(t, edoSeen{http.MethodPost, edoPrefix + create, "", "Bearer jwt-x", "text/plain", ""}, rec.all()[0], "text/plain, no body")

	mt.RegisterResponder(http.MethodPost, base+create, rec.reply(200, exB64("<"+exD11Title)))
	signed, err = c.WithdrawOutgoing(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, "<"+exD11Title, string(signed.Content))
	seen := rec.all()
	require.Len(t, seen, 3)
	assert.Equal(t, edoPrefix+sign, seen[2].Path)
	cms, err := base64.StdEncoding.DecodeString(seen[2].Body)
	require.NoError(t, err)
	_, err = signing.Verify(cms, []byte("<"+exD11Title))
	require.NoError(t, err)
}

// True API v2.22, D-12: its screenshot posts to
// incoming-documents/12646295-…/events/approve/signature, which is D-10's
// URL, not the heading's outgoing …/events/signature (a contradiction):
// replayed as the D-10 request it is, answered 201. D-12 then prints a
// title under "Структура титула документа, передаваемого в ответе"
// although the text says the answer has no body ("только код 201"):
// reading, 201 without a body; a 201 with that title is not the documented
// answer, and the outcome is unknown.
func TestExampleD12(t *testing.T) {
	c, mt, _ := exClient(t)
	const id = "12646295-6719-4a49-9c37-9f24e111766a"
	var rec edoRecorder
	mt.RegisterResponder(http.MethodPost, base+"edo-api/incoming-documents/"+id+"/events/approve/signature", rec.reply(201, ""))
	require.NoError(t, c.SendIncomingTitleSignature(context.Background(), id, DecisionApprove, []byte{0x30, 0x82}))
	assert.Equal(t, "text/plain", rec.all()[0].ContentType)

	mt.RegisterResponder(http.MethodPost, base+"edo-api/outgoing-documents/"+id+"/events/signature", httpmock.NewStringResponder(201, exD12Title))
	err := c.SendWithdrawalTitleSignature(context.Background(), id, []byte{0x30, 0x82})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	exDecodeError(t, err, exD12Title)
}

// D-14.
const (
	// exD14Content and exD14Signature are the content and signature of
	// D-14's request example, verbatim, line breaks included.
	exD14Content = `PD94bWwgdMvyc2lvbj0iMS4wIiBlbnVzZGluz0iVVRGLTgiPz4KPGZpbGUGc2VuZGluz0RhdGVUaW1lPSiYMDiYlTA2LTA2VDA5OjQ1OjE1WiIgdMvyc2lvbj0iMS4wIiBmaWxlSWQ9IkVfVVV9BQ1RfZjkzMm5ZmEtZTYzYy0xMwVjLThmZWEtMDIOMmFjMTIwMDAyIj4KCTxwYXJ0aWNpcGFudHMgY29uc2lnbmVlSWQ9Ijk3MDQyNTQ1MDIwMiIgc3VwcGxpZXJjZD0iOT

QwNDA4NDUwNDQyIi8+Cgk8ZG9jdWllbnQyb3BlcmF0aW9uVHlwZT0iMSIgcY29ycmVjdGlvbksZsYWc9ImZhbnh1Ij4KcQk8bWFBpbkluzm8+CgkJCTxzdBWbG1lckluZm8gc3VwcGxpZXJjZGVudGlmaWNhdGlvbksvZGU9Ijk0MDQwODQ1MDQ0MiIgc3VwcGxpZXJ0YXJlPSlQmNCFINCC0JDQmtCj0JvQkdCV0JrQntCS0JAg0JDQodCV0JvQrCDQnNCj0KDKQkNCi0JHQldCa0JrQg9CX0KsiLz4KcQkJPgNvbnNpZ25lZUluZm8gY29uc2lnbmVlSWRlbnRpbZmljYXRpb25Db2RlPSi5NzA0MjU0NTAyMDIiIGNvbnNpZ25lZU5hbWU9IitCY0J8g0KDKQg9Ch0JrQldCb0JtQmNcd0JAg0JDQmdCi0J7Qm9Ka0KvQnSDQnNkW0KDKQkNCi0JHQldCa0prQg9CX0KsiLz4KcQk8L2lhaW5JbmZvPgoJCTxwcm9kdWN0TG1zdD4KcQkJPgldDb2RlIGNvdW50PSIxiIj4wMDA1MDYwMjU1MzUwMDAwMDAwMzwaUNvZGU+CgkJPc9wcm9kdWN0TG1zdD4KcQk8cHJvZHVhdFRvdGFscz4KcQkJPgldCa0aW4gY291bnQ9IjEiPjA1MDYwMjU1MzUxMTQ3PC9ndGluPgoJCTwvcHJvZHVhdFRvdGFscz4KCTwvZG9jdWllbnQ+CjwvZmlsZT4=`
	exD14Signature = `MIII

/gYJKoZiHvcNAQcCoII7zCCCCoSAQEEXdZANBg1ghkqBzQMEAgEFAFADALBqkqhkiG9w0BBWgggggAIMIIGHDCBBGygAwIBAgIUbQyO0rparPJBnQ9gSnmnBZhIewwDQYJKoZiHvcNAQELBQAuWjELMAkGALUEBHMCS1oxQzBBBGNVBAMMOTKw0JvQotCi0KvSmidQmtCj05jQm9CQ0J3Q1NCR0KDQo9Co0Ksg0J7QoNCi0JDQm9CrOpogKFFJTQSkwHhcNMjExMTMwMTIwNTA4WHcNMjIxMTMwMTIwNTA4WjCBuzEqMCgGALUEAwwh0JzQkNCA0KPKm9CR0JXQmtCe0JLQkCDQkNCh0JXQm9CSmR8wHQYDVQOEDBbQnNCQ0JrQo9Cb0JHQldCa0J7QkTQMRgVfYDVQFWEw9JSU45NDA0MDg0NTA0NDIxZCZAJBgNVBAYTAktaMSEwHwYDVQQqDBjQnNCj0KDKQkNCi0JHQldCa0JrQg9CX0KsxiIjAgBgkqhkiG9w0BCQEWEFTU0VMOTYxM0BHTUFJTC5DT00wgGEmIA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCCEVAVRG0VLZpag4BqnW8t9Rr49lQ5xHT6xY40SJ49k6Loi0Sd8V22+A9XEKY7xa6tEftjJf6brNpXFC/vWYfh0A56Qahe9pymFptaxq5Y0oJBoQAYhM313+h34XUrwqW/AGvyPvgU0+39bpUv+8zJfowAlf7kLu5xQv09wLHB1WQ+07To8EPXSNQOYvNxrNNi4kI6i0MT5N9eX00Bje7/FBr1IE92NxCYOwDjTLnuEGkeDOEvlIQR65dDmuQrKqQ00q77/e3D5XdnLsa0x+zPds/UiYuTyE6g7wp2/2QA93E8MThDa8umOSPTy5suSp3vhUN8PXxcQrj55xY34dhAgMBAAGjggHmMIIB4jA0BGNVHQ8BAf8EBAMCBsAwKAYDVR0lBCEwHwYIKwYBBQUHAwQGCCqDDgMDBAEBBgkqg4DAwDQAgEwDwYDVR0jBAGwBoAeW2p0ETADBgNVHQ4EFgQU1fRNZ42r+QDKLaMPOYstxDPeNCEwXgYDVR0gBFCwVTBTBgqg4DAwIDMEgwIQYIKwYBBQUHAQEWFwH0dHA6Ly9wa2kuZ292Lmt6L2Nwc2AjbGgrBgEFBQcCAjAXDBVodHRwOi8vcGtpLmdvdi5rei9jcHMwVgYDVR0fBE8wTTBLoEmgR4YhaHR0cDovL2Nybc5wa2kuZ292Lmt6L25jYV9yc2EuY3JshiJodHRwOi8vY3JsmS5wa2kuZ292Lmt6L25jYV9yc2EuY3JsmF0GALUdLgRTMFEwT6BNoEuGI2h0dHA6Ly9jcmwucGtpLmdvdi5rei9uY2FfZf9yc2EuY3JshiRodHRwOi8vY3JsmS5wa2kuZ292Lmt6L25jYV9kX3JzYS5jcmwWYgYIKwYBBQUHAQEVEVjBUMC4GCCsGAQUFBzAChiJodHRwOi8vcGtpLmdvdi5rei9jZlJ0L25jYV9yc2EuY2VymCIGCCsGAQUFBzABhhZodHRwOi8vb2Nzc5wa2kuZ292Lmt6MA0GCSqGSIb3DQEBCwUAA4ICAQAuWjMzYyYtGo/E/B1f9iZiAqPqy4n/xiSyGNf+FHhh4NAgrRVyM89iVlujWusicgkxU+TouZJSXjEuOeb2rlicIobiJn8aCoe450TZlJ/r70FB5fjWBQNVx40pivxJxGmvkyMlP19cpXtXvs2i5pA3PQR8r/y19ZWN2jOH3y1CoRelpyCHShoZYGI87xPBZ7qZWOZSQb6WEHQazypKqPwOvgvatPD+18bCEJ855j/ivrJplZyTlcfYEKdfxFCbLi56IZrWlEhiY+azzAkQp9Z/xFSnUz/zKwEfyqaMTKadiWm8z6kUyar7G8WTIzdmj84ktQbdXkCwszBtCefnV76+7182ZK3DEJ6BBB/1x3l0jJnW4OvJn+XKteez7Ui/vkUIvF3MiaagBezm7iChVZMrBB1liD5dN3eoX/yq1+JJzJKFYtbLmtC0j14QF8g89e8nYhaC73lg3b4LQ6U2Z5Nq9T4FF42494xVvZMBrwo1fZV3K5oKJ6+TVKHm4PoUy8K5azyAs4Ms0zv/L0wwDQ45R/RMbIo0hg30sQ8bk+SSz5rn1FVwsQ91/WRo7r8Dn3ZDRl1bc9MkYv+L+58EFtToY9brpoT6zULT8kKil+PIgw1YY+957Bei7Lics/jELlH/C6Q05QILnNa+5H4WQjNTQddzjml/FUP+bjCkH11DGCAjowggI2AgEBMGowUjELMAkGALUEBHMCS1oxQzBBBGNVBAMMOTKw0JvQotCi0KvSmidQmtCj05jQm9CQ0J3Q1NCR0KDQo9Co0Ksg0J7QoNCi0JDQm9CrOpogKFFJTQSkCFG0Mjtk6WqzyQZ0AfYEp5pWYSHsMA0GCSGSAFlAwQCAQAoIGiMBGCSqGSIb3DQEJAzELBgkqhkiG9w0BBwEwHAYJKoZiHvcNAQkFMQ8XDITyMDYwNzA4NTU0OVowLWYJKoZiHvcNAQkEMSIIEIPWeyxYZ0mlr9Jhp5Njs/XcyETPNh6+RFncE3QtZsnxIMDcGCyqGSIb3DQEJEAIVMSgwJjAkMCIEIFAP2A1Y0aQTA1S34WwH+aRS6Up153vmfJHLQXkiD1TzMA0GCSqGSIb3DQEBCwUABIIBABzWl3KfrnUBYsIUeEF1gdkv7gcFv9g5bJqem77V4d8/dzRhX3citrDWhnRuZ54eEo/+VpQST8tliUgk8RXkEPH2HMOa10/2KqNpUm7NPrzvUr4N1a9JY83BnntkKDP5AOWuNHZ+Pik5w537NMvz7MP/5zLfek7Dh0RLoc3Vsewv+w73bt/17Rhhe0fdqAnH3Iyc4j4pb5qYpSpqNSNqm+rWYA/Xul6+ya4X3ZGcQ2+wDtnqVTY1L7y+0yqw4a3T8qPjGDmlPRjqnfB2Fab2HqwJXx3zwhfEYm+Ltmht+Cb4RKOCSchEulJzD1AqhfhQ+En+kaj3qiyegWbNtlko=`
)

// True API v2.22, D-14: the request example's content and signature are
// OCR'd. content has 1038 characters, no multiple of 4, and misread
// letters (dMvyc2lvbj0i for dmVyc2lvbj0i): it does not decode strictly.
// signature decodes, but to no CMS: its DER declares 2302 bytes and holds
// 2300, and its first OID reads 2a 86 62 1e for 2a 86 48 86 ("KoZiHvcN"
// for "KoZIhvcN"). Reading: content's readable start is "<?xml ", so the
// example stands for base64 of the Act XML and a base64 detached CMS over
// it, which is what SendEDODocument sends (TestSendEDODocument). The Act's
// XML example is TestXMLDocActGolden's, the divergence notice's
// TestXMLDocDivergenceGolden's.
func TestExampleD14Request(t *testing.T) {
	got, err := decodeBase64Text([]byte(exD14Content))
	require.Error(t, err)
	assert.Nil(t, got)
	start, err := decodeBase64Text([]byte(exD14Content[:8]))
	require.NoError(t, err)
	assert.Equal(t, "<?xml ", string(start))

	sig, err := decodeBase64Text([]byte(exD14Signature))
	require.NoError(t, err)
	assert.Equal(t, []byte{0x30, 0x82, 0x08, 0xfe, 0x06, 0x09, 0x2a, 0x86, 0x62, 0x1e}, sig[:10])
	assert.Len(t, sig, 2300)
	var der asn1.RawValue
	_, err = asn1.Unmarshal(sig, &der)
	require.Error(t, err, "a cut DER")
}

// exD16Request is the body of D-16's request example, verbatim.
const exD16Request = `POST <url >/documents/transit/import/third_countries
Content-Type: application/json
Authorization: Bearer <>
{
  "document": "сНJvZHVjdF9kb2N1bWVudAp7Cmpzb24gZGVzY3JpcHRpb24KfQ==",
  "signature": "MIIFtwYJKoZIhvcNAQcCoIIFqDCCBaQCAQExDjgUAMAsGCSqGSIb3DQ"
}`

// True API v2.22, D-16: the request example is {"document", "signature"},
// the shape this client sends, but its values are placeholders: document
// starts with a Cyrillic "сН" (OCR of "cH") and, repaired, decodes to
// "product_document\n{\njson description\n}", no XML; the signature is cut
// (54 characters). Reading: the shape is replayed; such a document is
// refused before anything signs it.
func TestExampleD16(t *testing.T) {
	var example map[string]string
	require.NoError(t, json.Unmarshal([]byte(exD16Request[strings.Index(exD16Request, "{"):]), &example))
	_, err := decodeBase64Text([]byte(example["document"]))
	require.Error(t, err, "a Cyrillic letter is no base64")
	_, err = decodeBase64Text([]byte(example["signature"]))
	require.Error(t, err, "a cut signature")
	placeholder, err := decodeBase64Text([]byte(strings.NewReplacer("с", "c", "Н", "H").Replace(example["document"])))
	require.NoError(t, err)
	assert.Equal(t, "product_document\n{\njson description\n}", string(placeholder))

	c, mt, signs := exClient(t)
	_, err = c.SendThirdCountryImportNotice(context.Background(), RawDocument(placeholder))
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "document", ve.Field)
	assert.Zero(t, signs.Load())
	assert.Zero(t, mt.GetTotalCallCount())

	mt.RegisterResponder(http.MethodPost, base+pathThirdCountries, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		var sent map[string]string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&sent))
		assert.ElementsMatch(t, []string{"document", "signature"}, mapKeys(sent), "the example's members")
		assert.ElementsMatch(t, mapKeys(example), mapKeys(sent))
		return httpmock.NewStringResponse(200, "1234567"), nil
	})
	sent, err := c.SendThirdCountryImportNotice(context.Background(), goldenThirdCountryNotice())
	require.NoError(t, err)
	assert.Equal(t, "1234567", sent.ProcessingNumber)
}

func mapKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// True API v2.22, D-17: the error bodies of its table, {"error_message":
// "string"} (400) and {"error_message": " <fileId> "} (422; the Russian
// text was lost): refusals, not unknown outcomes, the message kept byte
// for byte.
func TestExampleD17Errors(t *testing.T) {
	c, mt, _ := exClient(t)
	for status, body := range map[int]string{400: `{ "error_message": "string" }`, 422: `{ "error_message": " <fileId> " }`} {
		mt.RegisterResponder(http.MethodPost, base+pathWriteOff, httpmock.NewStringResponder(status, body))
		sent, err := c.SendWriteOffNotice(context.Background(), goldenWriteOffNotice())
		require.ErrorIs(t, err, ErrValidation, body)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
		assert.Nil(t, sent)
		var e *Error
		require.ErrorAs(t, err, &e)
		var want map[string]string
		require.NoError(t, json.Unmarshal([]byte(body), &want))
		assert.Equal(t, want["error_message"], e.Message)
	}
}

// D-18.
const (
	// exD18Screenshot is the screenshot's answer, verbatim.
	exD18Screenshot = `      {
        "shipmentId": "a851daa8-ca3e-48d1-8575-5a1186b8c2fc",
        "errors": [
          {
            "code": "0",
            "message": "Документ провалидирован"
          }
        ]
      }`
	// exD18Answer is the answer example, verbatim: invalid JSON.
	exD18Answer = `{ "shipmentId": 124324",
  "errors": [
    { "303: / ( ) / ( )" },
    { "307: ( / ) ( ) " },
  ]
}`
)

// True API v2.22, D-18: the screenshot's answer, a code-"0" notice, is a
// success; the answer example is invalid JSON (the id lost its opening
// quote, each error is a string in braces, a trailing comma). Reading: the
// id a string, the errors bare strings "code: text", whose texts are kept
// byte for byte (the trailing space of "307: ( / ) ( ) " included).
func TestExampleD18(t *testing.T) {
	c, mt, _ := exClient(t)
	mt.RegisterResponder(http.MethodPost, base+"edo-api/shipments", httpmock.NewStringResponder(200, exD18Screenshot))
	res, err := c.SendShipment(context.Background(), shipmentSample())
	require.NoError(t, err)
	assert.Equal(t, "a851daa8-ca3e-48d1-8575-5a1186b8c2fc", res.ShipmentID)
	assert.Equal(t, []ShipmentError{{Code: "0", Message: "Документ провалидирован"}}, res.Messages)

	answer := exRepair(t, exD18Answer, `124324"`, `"124324"`, `{ "303: / ( ) / ( )" }`, `"303: / ( ) / ( )"`, `{ "307: ( / ) ( ) " }`, `"307: ( / ) ( ) "`)
	mt.RegisterResponder(http.MethodPost, base+"edo-api/shipments", httpmock.NewStringResponder(200, answer))
	res, err = c.SendShipment(context.Background(), shipmentSample())
	var re *ShipmentRejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "124324", res.ShipmentID)
	assert.Equal(t, "124324", re.ID)
	assert.Equal(t, []ShipmentError{{Code: "303", Message: "303: / ( ) / ( )"}, {Code: "307", Message: "307: ( / ) ( ) "}}, re.Errors)
}

// D-19.
const (
	exD19Screenshot = `1  {
2    "documentId": "ba934c18-0ee4-4ba3-ae6e-a9af643b0e3f",
3    "documentDate": "2022-01-13",
4    "status": "SENT"
5  }`
	// exD19Error is the ERROR example, verbatim: two commas are missing.
	exD19Error = `{
  "documentId": "4b0bdd1a-3417-4eda-b4dd-08303a8ea584",
  "documentDate": "2021-12-12",
  "status": "ERROR"
  "errors": [
    {
      "errorCode": "301"
      "errorMessage": " "
    }
  ]
}`
	exD19Sent = `{
  "documentId": "4b0bdd1a-3417-4eda-b4dd-08303a8ea584",
  "documentDate": "2021-12-12",
  "status": "SENT"
}`
)

// True API v2.22, D-19: the screenshot's request and answer, and the two
// answer examples; the ERROR one, its commas restored, keeps its message
// " " as sent.
func TestExampleD19(t *testing.T) {
	c, mt, _ := exClient(t)
	const id = "ba934c18-0ee4-4ba3-ae6e-a9af643b0e3f"
	var rec edoRecorder
	mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/"+id+"/status", rec.reply(200, exGutter(exD19Screenshot)))
	st, err := c.ShipmentStatus(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, edoSeen{http.MethodGet, edoPrefix + "edo-api/shipments/" + id + "/status", "", "Bearer jwt-x", "", ""}, rec.all()[0])
	assert.Equal(t, &ShipmentState{DocumentID: id, DocumentDate: exDay(2022, 1, 13), Status: ShipmentStatusSent}, st)

	const other = "4b0bdd1a-3417-4eda-b4dd-08303a8ea584"
	for answer, want := range map[string]*ShipmentState{
		exRepair(t, exD19Error, `"ERROR"`+"\n", `"ERROR",`+"\n", `"301"`+"\n", `"301",`+"\n"): {DocumentID: other, DocumentDate: exDay(2021, 12, 12),
			Status: ShipmentStatusError, Errors: []ShipmentError{{Code: "301", Message: " "}}},
		exD19Sent: {DocumentID: other, DocumentDate: exDay(2021, 12, 12), Status: ShipmentStatusSent},
	} {
		mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/"+other+"/status", httpmock.NewStringResponder(200, answer))
		st, err := c.ShipmentStatus(context.Background(), other)
		require.NoError(t, err)
		assert.Equal(t, want, st)
	}
}

// D-21.
const (
	exD21Answer = `{
  "documentsList": [
    {
      "registrationNum": "da08a5d9-ad5f-4f5f-823a-b1d988093ec4",
      "registrationDate": "2020-12-20",
      "status": "ACCEPTED",
      "documentType": "EAS_CROSSBORDER",
      "exporter": "7731376812",
      "senderCountry": "643",
      "receiver": "810716401076"
    },
    {
      "registrationNum": "da08a5d9-ad5f-4f5f-824a-b2d988093ec4",
      "registrationDate": "2020-12-28",
      "status": "CHECKED_NOT_OK",
      "documentType": "EAS_CROSSBORDER",
      "exporter": "7731376812",
      "senderCountry": "643",
      "receiver": "810716401076"
    },
    {
      "registrationNum": "da08a5d9-ad5f-6f5f-824a-b7d938093ec8",
      "registrationDate": "2020-12-28",
      "status": "WAIT_ACCEPTANCE",
      "documentType": "EAS_CROSSBORDER",
      "exporter": "7731376812",
      "senderCountry": "643",
      "receiver": "810716401076"
    }
  ]
}`
	// exD21Error is the error example, verbatim: a comma is missing.
	exD21Error = `{
  "code": "422"
  "errors": " "
}`
)

// True API v2.22, D-21: the answer example, all three documents, in the
// shape of the example (registrationNum …), not the table's; and the error
// example, which is invalid JSON: as printed its text is the message;
// repaired, code "422" and the message " " as sent. (The request body and
// the screenshot's {"documents": []} are
// TestSearchDocumentsV2Example's.)
func TestExampleD21(t *testing.T) {
	c, mt, _ := exClient(t)
	ctx := context.Background()
	s := DocumentSearchV2{DocumentType: "EAS_CROSSBORDER", DocumentStatus: "ACCEPTED", DateFrom: exDay(2020, 12, 20), DateTo: exDay(2021, 12, 20),
		SenderBIN: "7731376812", ReceiverBIN: "810716401076", Order: SortAsc}
	mt.RegisterResponder(http.MethodPost, base+"documents/searchV2", httpmock.NewStringResponder(200, exD21Answer))
	p, err := c.SearchDocumentsV2Page(ctx, s, 0)
	require.NoError(t, err)
	doc := func(num string, day int, status DocumentStatus) FoundDocument {
		return FoundDocument{RegistrationNum: num, RegistrationDate: exDay(2020, 12, day), Status: status, Type: "EAS_CROSSBORDER",
			Exporter: "7731376812", SenderCountry: "643", Receiver: "810716401076"}
	}
	assert.Equal(t, []FoundDocument{
		doc("da08a5d9-ad5f-4f5f-823a-b1d988093ec4", 20, "ACCEPTED"),
		doc("da08a5d9-ad5f-4f5f-824a-b2d988093ec4", 28, DocStatusCheckedNotOK),
		doc("da08a5d9-ad5f-6f5f-824a-b7d938093ec8", 28, "WAIT_ACCEPTANCE"),
	}, p.Documents)

	for answer, want := range map[string][2]string{
		exD21Error: {"", strings.TrimSpace(exD21Error)},
		exRepair(t, exD21Error, `"422"`+"\n", `"422",`+"\n"): {"422", " "},
	} {
		mt.RegisterResponder(http.MethodPost, base+"documents/searchV2", httpmock.NewStringResponder(422, answer))
		_, err = c.SearchDocumentsV2Page(ctx, s, 0)
		require.ErrorIs(t, err, ErrValidation)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, want, [2]string{e.Code, e.Message})
	}
}

// exD22Screenshot is the answer of D-22's screenshot, verbatim.
const exD22Screenshot = `1 {"status": "CHECKED_OK", "type": "EAS_CROSSBORDER", "senderInn": "6317136467", "senderName": "000 \\"КОЛЛ СЕРВИС\\"", "receiverInn": "960202350172",
  "receiverName": "000 Получатель в Республике Казахстан", "receiverId": "600000199", "documentDate": "2022-05-11",
  "receivedAt": "2022-05-11T13:02:45.006Z", "senderCountryCode": "643", "exporter": "000 \\"КОЛЛ СЕРВИС\\"", "exporterInn": "6317136467",
  "receiver": "000 Получатель в Республике Казахстан", "transferDate": "2022-05-11", "acceptanceDate": "2022-05-12", "products": [
    {"cis": "0100191028060272215vQBzT4_jKINf", "accepted": true, "productCost": 10000000, "productTax": 1666667, "certificateDocumentData": [
      {"certificateType": "CONFORMITY_CERTIFICATE", "certificateNum": "123", "certificateDate": "2021-07-01"}]}, {"linkedDocs": [
      {"docType": "LP_ACCEPT_GOODS", "docId": "5bab9759-46a3-4e92-b8bb-bcc815727d1c", "docDate": "2022-05-12"}]}, {"documentNum": "123456"}]}`

// True API v2.22, D-22: the screenshot's request and answer. The answer
// is damaged: its quotes are escaped twice (\\" for \", so it is no JSON),
// and its brackets put linkedDocs and documentNum into the products array
// as objects of their own. Reading: \" inside the names, and linkedDocs
// and documentNum members of the document, where the table lists linkedDoc
// and documentNum. The names' "000" (OCR of "ООО") are kept as sent. (The
// request and answer examples of the text are
// TestShipmentDocumentShapes'.)
func TestExampleD22Screenshot(t *testing.T) {
	c, mt, _ := exClient(t)
	const id = "0cebc22c-5331-4176-81c0-a18c161db108"
	answer := exRepair(t, exGutter(exD22Screenshot), `\\"`, `\"`,
		`"2021-07-01"}]}, {"linkedDocs": [`, `"2021-07-01"}]}], "linkedDocs": [`,
		`"2022-05-12"}]}, {"documentNum": "123456"}]}`, `"2022-05-12"}], "documentNum": "123456"}`)
	var rec edoRecorder
	mt.RegisterResponder(http.MethodGet, base+"documents/import/shipment/"+id, rec.reply(200, answer))
	doc, err := c.ShipmentDocument(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, edoSeen{http.MethodGet, edoPrefix + "documents/import/shipment/" + id, "", "Bearer jwt-x", "", ""}, rec.all()[0])
	yes := true
	cost, tax := decimal.RequireFromString("10000000"), decimal.RequireFromString("1666667")
	assert.Equal(t, &ShipmentDocument{
		Status: ImportStatusCheckedOK, DocumentType: "EAS_CROSSBORDER", DocumentNum: "123456", DocumentDate: exDay(2022, 5, 11),
		Exporter: `000 "КОЛЛ СЕРВИС"`, ExporterINN: "6317136467", SenderCountryCode: "643",
		Receiver: "000 Получатель в Республике Казахстан", ReceiverINN: "960202350172", TransferDate: exDay(2022, 5, 11),
		AcceptanceDate: exDay(2022, 5, 12),
		LinkedDocs:     []ShipmentLinkedDoc{{Type: "LP_ACCEPT_GOODS", ID: "5bab9759-46a3-4e92-b8bb-bcc815727d1c", Date: exDay(2022, 5, 12)}},
		Products: []ShipmentDocumentProduct{{Cis: "0100191028060272215vQBzT4_jKINf", Accepted: &yes, Cost: &cost, Tax: &tax,
			Certificates: []ShipmentCertificate{{Type: ConformityCertificate, Number: "123", Date: exDay(2021, 7, 1)}}}},
		SenderINN: "6317136467", SenderName: `000 "КОЛЛ СЕРВИС"`, ReceiverID: "600000199",
		ReceivedAt: time.Date(2022, 5, 11, 13, 2, 45, 6e6, time.UTC),
		// Both receiver and receiverName are sent; receiver is read, the
		// other kept as sent.
		Extra: map[string]json.RawMessage{"receiverName": json.RawMessage(`"000 Получатель в Республике Казахстан"`)},
	}, doc)
}

// D-23.
const (
	exD23Answer = `{
  "acceptationId": "9abd3d41-76bc-4542-a88e-blf7be8130b5",
  "errors": [
    { "errorCode": "303", "errorMessage": "/ 123243252 / 123243252" },
    { "errorCode": "307", "errorMessage": " 123243252 shoes {SystemName} " }
  ]
}`
	// exD23Error is the error example, verbatim: a comma is missing.
	exD23Error = `{
  "code": "422"
  "errors": " "
}`
)

// True API v2.22, D-23: the answer example, whose acceptationId has an
// "l" where hex has a "1" (OCR; kept as sent), with two errors, their
// texts byte for byte; and the error example, its comma restored: code
// "422", message " ". (The partial and reject-all documents are
// TestEAEUAcceptanceEncode's.)
func TestExampleD23(t *testing.T) {
	c, mt, _ := exClient(t)
	mt.RegisterResponder(http.MethodPost, base+"documents/import/acceptancies", httpmock.NewStringResponder(200, exD23Answer))
	res, err := c.SendAcceptance(context.Background(), shipmentAcceptanceSample())
	var re *ShipmentRejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "9abd3d41-76bc-4542-a88e-blf7be8130b5", res.AcceptationID)
	assert.Equal(t, []ShipmentError{{Code: "303", Message: "/ 123243252 / 123243252"}, {Code: "307", Message: " 123243252 shoes {SystemName} "}}, re.Errors)

	mt.RegisterResponder(http.MethodPost, base+"documents/import/acceptancies", httpmock.NewStringResponder(422,
		exRepair(t, exD23Error, `"422"`+"\n", `"422",`+"\n")))
	_, err = c.SendAcceptance(context.Background(), shipmentAcceptanceSample())
	require.ErrorIs(t, err, ErrValidation)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, [2]string{"422", " "}, [2]string{e.Code, e.Message})
}

// D-24.
const (
	// exD24Answer is the answer example, verbatim: trailing commas.
	exD24Answer = `{
  "documentId": "da08a5d9-ad5f-4f5f-823a-b1d988093ec4",
  "status": "CHECKED_NOT_OK",
  "documentType": "EAS_CROSSBORDER",
  "documentErrors": [
    {
      "errorCode": "03",
      "errorDescription": "03: receiver_inn .",
    },
    {
      "errorCode": "08",
      "errorDescription": "08: release_method .",
    },
    {
      "errorCode": "01",
      "errorDescription": "01: certificate_type.",
    }
  ]
}`
	// exD24Error is the error example, verbatim: a comma is missing.
	exD24Error = `{
  "code": "400"
  "description": " . id=da08a5d9-ad5f-4f5f-823a-b1d988093ec4 "
}`
)

// True API v2.22, D-24: the answer example, its trailing commas dropped,
// all three errors; and the error example, its comma restored, whose
// description is kept byte for byte.
func TestExampleD24(t *testing.T) {
	c, mt, _ := exClient(t)
	const id = "da08a5d9-ad5f-4f5f-823a-b1d988093ec4"
	mt.RegisterResponder(http.MethodGet, base+"documents/import/status/"+id, httpmock.NewStringResponder(200, exRepair(t, exD24Answer)))
	st, err := c.ImportDocumentStatus(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, &ImportDocumentState{DocumentID: id, Status: ImportStatusCheckedNotOK, DocumentType: "EAS_CROSSBORDER", Errors: []ShipmentError{
		{Code: "03", Message: "03: receiver_inn ."}, {Code: "08", Message: "08: release_method ."}, {Code: "01", Message: "01: certificate_type."},
	}}, st)

	mt.RegisterResponder(http.MethodGet, base+"documents/import/status/x", httpmock.NewStringResponder(400,
		exRepair(t, exD24Error, `"400"`+"\n", `"400",`+"\n")))
	_, err = c.ImportDocumentStatus(context.Background(), "x")
	require.ErrorIs(t, err, ErrNotFound)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, [2]string{"400", " . id=da08a5d9-ad5f-4f5f-823a-b1d988093ec4 "}, [2]string{e.Code, e.Message})
}
