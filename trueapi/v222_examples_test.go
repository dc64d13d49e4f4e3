package trueapi

// Request and answer examples printed in "(kz) True API. Версия 2.22" for
// the sign-in, marking-code (K-1…K-10), product (P-1…P-4),
// billing (B-1…B-3) and document-list (D-25, D-27) methods, replayed here
// where an earlier test does not already: a request example is reproduced
// and its exact shape asserted, an answer example is decoded and its
// values asserted. Where an example is damaged (a transcribed screenshot,
// text cut off) or contradicts the method's text, the test says so and
// tests the reading chosen.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// exampleBody records the bodies a responder saw.
type exampleBody struct {
	mu     sync.Mutex
	bodies []string
}

func (b *exampleBody) add(r *http.Request) {
	var s string
	if r.Body != nil {
		raw, _ := io.ReadAll(r.Body)
		s = string(raw)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bodies = append(b.bodies, s)
}

func (b *exampleBody) all() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.bodies...)
}

// exampleServer answers path with body and records each request line and
// body.
func exampleServer(mt *httpmock.MockTransport, method, path, answer string) (*listingRecorder, *exampleBody) {
	var rec listingRecorder
	var bodies exampleBody
	mt.RegisterResponder(method, base+path, func(r *http.Request) (*http.Response, error) {
		rec.add(r)
		bodies.add(r)
		return httpmock.NewStringResponse(200, answer), nil
	})
	return &rec, &bodies
}

// A-1…A-2, step 3: the NCALayer request signs the base64 of the challenge
// with "include the data" (the last argument, true):
// "args": ["PKCS12", "SIGNATURE", "UkhzRVJMV0FWVUZGV0pMRVhRVE5BVkhGTU1BQ1RU", true].
// The client hands the signer the challenge's exact bytes, whose base64 is
// that argument, for an attached signature. (The step-3 screenshot's input
// R1dGUFNRNwK1KWUVEUU1BVIIIT1dMTFhGukFBS0ZX and its CMS are damaged by the
// transcription and cut off; they are not replayed.)
func TestExampleA1A2ChallengeSigned(t *testing.T) {
	const example = "UkhzRVJMV0FWVUZGV0pMRVhRVE5BVkhGTU1BQ1RU"
	challenge, err := base64.StdEncoding.DecodeString(example)
	require.NoError(t, err)
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, base+"auth/key", httpmock.NewStringResponder(200,
		`{"uuid":"0b3e2c1a-example","data":"`+string(challenge)+`"}`))
	var signIn string
	mt.RegisterResponder(http.MethodPost, base+"auth/simpleSignIn", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		signIn = string(b)
		return httpmock.NewStringResponse(200, `{"token":"jwt-example"}`), nil
	})
	var signed []byte
	var opts signing.SignOptions
	signer := signing.SignerFunc(func(_ context.Context, data []byte, o signing.SignOptions) ([]byte, error) {
		signed, opts = append([]byte(nil), data...), o
		return []byte("cms"), nil
	})
	c, err := New(signer, WithBaseURL(base), WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "jwt-example", tok)
	assert.Equal(t, example, base64.StdEncoding.EncodeToString(signed), "the NCALayer argument is the base64 of the bytes signed")
	assert.False(t, opts.Detached, "true: the data is included in the signature")
	assert.Equal(t, signing.PurposeAuth, opts.Purpose)
	assert.JSONEq(t, `{"uuid":"0b3e2c1a-example","data":"`+base64.StdEncoding.EncodeToString([]byte("cms"))+`"}`, signIn,
		"step 4: uuid from step 1, data the base64 CMS")
}

// K-1 screenshot: POST {{host}}cises/my with {"gtin": "04878239628842",
// "packageType": "UNIT"} answered {"uuid":
// "dceb0e92-25ba-4944-9a14-b62f7334b82b"}.
func TestExampleK1Screenshot(t *testing.T) {
	c, mt, _ := newMocked(t)
	rec, bodies := exampleServer(mt, http.MethodPost, "cises/my", `{ "uuid": "dceb0e92-25ba-4944-9a14-b62f7334b82b" }`)
	id, err := c.OrderCises(context.Background(), CisesOrder{GTIN: "04878239628842", PackageType: PackageUnit})
	require.NoError(t, err)
	assert.Equal(t, "dceb0e92-25ba-4944-9a14-b62f7334b82b", id)
	assert.Equal(t, "/api/v3/true-api/cises/my", rec.all()[0].path)
	assert.JSONEq(t, `{ "gtin": "04878239628842", "packageType": "UNIT" }`, bodies.all()[0])
}

// K-2 screenshot: GET {{host}}/cises/orders/dceb0e92-25ba-4944-9a14-
// b62f7334b02b/status answered "SUCCESS". The id differs from the K-1
// screenshot's answer (…b82b) by one character, a transcription slip; the
// status request is replayed with the id as printed.
func TestExampleK2Screenshot(t *testing.T) {
	c, mt, _ := newMocked(t)
	rec, _ := exampleServer(mt, http.MethodGet, "cises/orders/dceb0e92-25ba-4944-9a14-b62f7334b02b/status", `"SUCCESS"`)
	st, err := c.CisesOrderStatus(context.Background(), "dceb0e92-25ba-4944-9a14-b62f7334b02b")
	require.NoError(t, err)
	assert.Equal(t, OrderSuccess, st)
	assert.Equal(t, "/api/v3/true-api/cises/orders/dceb0e92-25ba-4944-9a14-b62f7334b02b/status", rec.all()[0].path)
}

// K-4: the request and answer examples, as printed; the screenshot spells
// gtinsCounts "stinsCounts" (three codes of 500 and one GTIN of 1500, as
// its description says).
func TestExampleK4(t *testing.T) {
	codes := []string{"010460026600575520021121051810AL02273282", "010460026600575520021121051810AL03326515", "010460026600575520021121051810AL14295492"}
	for _, gtinsKey := range []string{"gtinsCounts", "stinsCounts"} {
		c, mt, _ := newMocked(t)
		_, bodies := exampleServer(mt, http.MethodPost, "cis/cises-units-count", `{
  "cisesCounts": {
    "010460026600575520021121051810AL02273282": 500,
    "010460026600575520021121051810AL03326515": 500,
    "010460026600575520021121051810AL14295492": 500
  },
  "`+gtinsKey+`": {
    "04606203084623": 1500
  }
}`)
		got, err := c.CisesUnitsCount(context.Background(), codes)
		require.NoError(t, err)
		assert.JSONEq(t, `[ "010460026600575520021121051810AL02273282" ,
  "010460026600575520021121051810AL03326515" ,
  "010460026600575520021121051810AL14295492" ]`, bodies.all()[0], "the request example: a bare array")
		assert.Equal(t, &UnitsCount{
			Cises: map[string]int64{codes[0]: 500, codes[1]: 500, codes[2]: 500},
			GTINs: map[string]int64{"04606203084623": 1500},
		}, got, gtinsKey)
	}
}

// K-5: the request example prints the code with a Cyrillic "У"
// (…0XУ36141322) while the answer's requestedCis echoes it with a Latin
// "Y": a transcription slip, read as Latin. The answer is decoded in full;
// the client sends codes as given, so the request body is the example's.
func TestExampleK5(t *testing.T) {
	c, mt, _ := newMocked(t)
	rec, bodies := exampleServer(mt, http.MethodPost, "cises/info", `
{
  "cisInfo": {
    "requestedCis": "010460026601438220071121072610XY36141322",
    "cis": "010460026601438220071121072610XY36141322",
    "gtin": "00000046229175",
    "productName": "NEO DEMI PURPLE CLICK",
    "productGroupId": 3,
    "productGroup": "tobacco",
    "brand": "NEO",
    "producedDate": "2021-11-03T04:16:11.393Z",
    "packageType": "LEVEL2",
    "ownerBin": "*****",
    "ownerName": "*****",
    "status": "APPLIED",
    "child": [
      "00000046082312Y'HrFtG",
      "000000462008771FF\" 3Pm",
      "000000462291759xJDbU\" "
    ],
    "producerBin": "*****",
    "producerName": "*****"
  }
}
`)
	res, err := c.CisesInfo(context.Background(), []string{"010460026601438220071121072610XY36141322"})
	require.NoError(t, err)
	assert.Equal(t, "/api/v3/true-api/cises/info", rec.all()[0].path, "the stage URL's path")
	assert.Empty(t, rec.all()[0].rawQuery)
	assert.JSONEq(t, `[ "010460026601438220071121072610XY36141322" ]`, bodies.all()[0])
	require.Len(t, res, 1)
	assert.Equal(t, CisInfoResult{Info: &CisInfo{
		RequestedCis: "010460026601438220071121072610XY36141322", Cis: "010460026601438220071121072610XY36141322",
		GTIN: "00000046229175", ProductName: "NEO DEMI PURPLE CLICK", ProductGroupID: 3, ProductGroup: "tobacco",
		Brand: "NEO", Produced: time.Date(2021, 11, 3, 4, 16, 11, 393e6, time.UTC), PackageType: "LEVEL2",
		OwnerBIN: "*****", OwnerName: "*****", Status: "APPLIED",
		Children:    []string{"00000046082312Y'HrFtG", `000000462008771FF" 3Pm`, `000000462291759xJDbU" `},
		ProducerBIN: "*****", ProducerName: "*****",
	}}, res[0], "every member has a field: Extra stays nil")
}

// K-5 screenshot: POST {{host}}cises/info with the one code
// 010460026600575520021121082010AL66717957. The transcribed answer ends
// its object with a trailing comma, which is not JSON: as printed it is
// refused (a 200 that is not the documented shape), and with the comma
// removed it is read.
func TestExampleK5Screenshot(t *testing.T) {
	const printed = `
{
  "cisInfo": {
    "requestedCis": "010460026600575520021121082010AL66717957",
    "cis": "010460026600575520021121082010AL66717957",
    "gtin": "04606203084630",
    "productName": "Сигареты Bond Street Selection Blue с фильтром",
    "productGroupId": 3,
    "productGroup": "tobacco",
    "brand": "Bond",
    "producedDate": "2021-08-20T05:08:41.771Z",
  }
}
`
	c, mt, _ := newMocked(t, WithMaxRetries(0))
	_, bodies := exampleServer(mt, http.MethodPost, "cises/info", printed)
	_, err := c.CisesInfo(context.Background(), []string{"010460026600575520021121082010AL66717957"})
	require.ErrorIs(t, err, ErrDecode, "the trailing comma as printed")
	assert.JSONEq(t, `["010460026600575520021121082010AL66717957"]`, bodies.all()[0])

	_, _ = exampleServer(mt, http.MethodPost, "cises/info", strings.Replace(printed, `771Z",`, `771Z"`, 1))
	res, err := c.CisesInfo(context.Background(), []string{"010460026600575520021121082010AL66717957"})
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.Equal(t, &CisInfo{
		RequestedCis: "010460026600575520021121082010AL66717957", Cis: "010460026600575520021121082010AL66717957",
		GTIN: "04606203084630", ProductName: "Сигареты Bond Street Selection Blue с фильтром", ProductGroupID: 3,
		ProductGroup: "tobacco", Brand: "Bond", Produced: time.Date(2021, 8, 20, 5, 8, 41, 771e6, time.UTC),
	}, res[0].Info)
}

// K-6: POST cises/aggregated/list?pg=tobacco with the three codes of the
// request example. The answer example is cut off ("04606203084623_b+du4k"
// .....    ]): it is read with the elision dropped. Its children hold the
// characters a code may carry (& < ; . + ( ? %).
func TestExampleK6(t *testing.T) {
	c, mt, _ := newMocked(t)
	rec, bodies := exampleServer(mt, http.MethodPost, "cises/aggregated/list", `{  
  "010460026600575520021121051810AL02273282": {  
    "010460620308463021-ix%BFn": [  
      "04606203084623hL?SYvG" ,  
      "04606203084623njz5bCN" ,  
      "04606203084623CRo&ZH5" ,  
      "04606203084623YfUwyNe" ,  
      "04606203084623rpcahUr" ,  
      "04606203084623bOA<NE;" ,  
      "04606203084623.qnHK+v" ,  
      "046062030846236SNlREh" ,  
      "04606203084623DGZ.KHQ" ,  
      "04606203084623XfW<(mj"  
    ],  
    "010460620308463021+dJJGvt": [  
      "04606203084623fkhkF0k" ,  
      "04606203084623fsj4kft" ,  
      "04606203084623_b+du4k"    ]  
  }  
}`)
	got, err := c.AggregatedList(context.Background(), AggregatedQuery{ProductGroup: GroupTobacco, Codes: []string{
		"010460026600575520021121051810AL02273282", "010460026600575520021121051810AL03326515", "010460026600575520021121051810AL14295492"}})
	require.NoError(t, err)
	assert.Equal(t, listingReq{http.MethodPost, "/api/v3/true-api/cises/aggregated/list", "pg=tobacco", "Bearer jwt-1"}, rec.all()[0],
		"the stage URL of the example")
	assert.JSONEq(t, `[ "010460026600575520021121051810AL02273282" ,  
  "010460026600575520021121051810AL03326515" ,  
  "010460026600575520021121051810AL14295492" ]`, bodies.all()[0])
	assert.Equal(t, Aggregates{"010460026600575520021121051810AL02273282": {
		"010460620308463021-ix%BFn": {"04606203084623hL?SYvG", "04606203084623njz5bCN", "04606203084623CRo&ZH5",
			"04606203084623YfUwyNe", "04606203084623rpcahUr", "04606203084623bOA<NE;", "04606203084623.qnHK+v",
			"046062030846236SNlREh", "04606203084623DGZ.KHQ", "04606203084623XfW<(mj"},
		"010460620308463021+dJJGvt": {"04606203084623fkhkF0k", "04606203084623fsj4kft", "04606203084623_b+du4k"},
	}}, got)
}

// K-6/K-7 screenshot: the request shows "GET {(host)}cises/aggregated/
// list?pg=tobacco" with a JSON body of three codes. A GET has no body;
// this is the POST of K-6 (its URL and body), which is what is replayed.
// The answer is the transcription's, read as printed.
func TestExampleK6Screenshot(t *testing.T) {
	c, mt, _ := newMocked(t)
	rec, bodies := exampleServer(mt, http.MethodPost, "cises/aggregated/list", `{
  "010460026600575520021121051810AL02273282": {
    "010460620308463021-1X8BFn": [
      "04606203084623hL7SYvG",
      "04606203084623nJ25bCN",
      "04606203084623CRo6ZHS",
      "04606203084623YfUwyNe",
      "04606203084623rpaahUz",
      "04606203084623b0AKNE",
      "04606203084623.qnHK+v",
      "046062030846236SN1REH"
    ]
  }
}`)
	codes := []string{"010460026600575520021121082010AL66717957", "010460026600575520021121082010AL61834192", "010460026600575520021121051810AL02273282"}
	got, err := c.AggregatedList(context.Background(), AggregatedQuery{ProductGroup: GroupTobacco, Codes: codes})
	require.NoError(t, err)
	assert.Equal(t, "pg=tobacco", rec.all()[0].rawQuery)
	assert.JSONEq(t, `[
  "010460026600575520021121082010AL66717957",
  "010460026600575520021121082010AL61834192",
  "010460026600575520021121051810AL02273282"
]`, bodies.all()[0])
	require.Len(t, got, 1, "codes without children are left out by the server")
	assert.Len(t, got["010460026600575520021121051810AL02273282"]["010460620308463021-1X8BFn"], 8)
	assert.Equal(t, "04606203084623.qnHK+v", got["010460026600575520021121051810AL02273282"]["010460620308463021-1X8BFn"][6])
}

// K-7: the request example breaks the second code over two lines
// ("(01)00000046210654(21)" / "oFTjHaM"), read as one code, and sends no
// pg although the method's table marks pg required; the table is followed
// (pg=tobacco, the group of these codes), the example's codes are sent in
// order as repeated keys, brackets escaped. The answer is read in full.
func TestExampleK7(t *testing.T) {
	c, mt, _ := newMocked(t)
	rec, _ := exampleServer(mt, http.MethodGet, "cises/aggregated/list", `{
  "00000046210654900v1s0Xz1zIFDjtcXJjz5cB": {
    "(01)00000046210654(21)4u4qrBQ": [],
    "(01)00000046210654(21)hYVhjnW": []
  },
  "(01)00000046210654(21)oFTjHaM": {
    "00000046210654PQgiuyT": [],
    "00000046210654br263jz": [],
    "00000046210654T8i1BVZ": []
  },
  "00000046210654QuHCUeP": {}
}`)
	got, err := c.AggregatedListByQuery(context.Background(), AggregatedQuery{ProductGroup: GroupTobacco, Codes: []string{
		"00000046210654900v1s0Xz1zIFDjtcXJjz5cB", "(01)00000046210654(21)oFTjHaM", "00000046210654QuHCUeP"}})
	require.NoError(t, err)
	assert.Equal(t, "codes=00000046210654900v1s0Xz1zIFDjtcXJjz5cB&codes=%2801%2900000046210654%2821%29oFTjHaM&codes=00000046210654QuHCUeP&pg=tobacco",
		rec.all()[0].rawQuery)
	assert.Equal(t, Aggregates{
		"00000046210654900v1s0Xz1zIFDjtcXJjz5cB": {"(01)00000046210654(21)4u4qrBQ": {}, "(01)00000046210654(21)hYVhjnW": {}},
		"(01)00000046210654(21)oFTjHaM":          {"00000046210654PQgiuyT": {}, "00000046210654br263jz": {}, "00000046210654T8i1BVZ": {}},
		"00000046210654QuHCUeP":                  {},
	}, got)
}

// K-8: the answer example, read in full (productGroupId a number, though
// the table types it String since 2.10).
func TestExampleK8(t *testing.T) {
	c, mt, _ := newMocked(t)
	_, _ = exampleServer(mt, http.MethodPost, "cises/list", `[
  {
    "requestedCis": "00000046210654900v1s0Xz1zIFDjtcXJjz5cB",
    "cis": "00000046210654900v1s0Xz1zIFDjtcXJjz5cB",
    "status": "APPLIED",
    "gtin": "00000046210654",
    "productName": "Rothmans QR code",
    "producedDate": "2019-12-04T00:46:40Z",
    "packageType": "LEVEL2",
    "child": [
      "(01)00000046210654(21)vrtjAa0",
      "(01)00000046210654(21)4u4qrBQ",
      "(01)00000046210654(21)ArJ7csO",
      "(01)00000046210654(21)1XkYTC4"
    ],
    "parent": "00000046210654900v1s0Xz1zIFDjtcXJjz5cB",
    "producerBin": "0000000000",
    "producerName": "",
    "ownerBin": "0000000001",
    "ownerName": "",
    "productGroup": "tobacco",
    "productGroupId": 3
  }
]`)
	got, err := c.CisesList(context.Background(), []string{"00000046210654900v1s0Xz1zIFDjtcXJjz5cB"})
	require.NoError(t, err)
	assert.Equal(t, []CisInfo{{
		RequestedCis: "00000046210654900v1s0Xz1zIFDjtcXJjz5cB", Cis: "00000046210654900v1s0Xz1zIFDjtcXJjz5cB",
		Status: "APPLIED", GTIN: "00000046210654", ProductName: "Rothmans QR code",
		Produced: time.Date(2019, 12, 4, 0, 46, 40, 0, time.UTC), PackageType: "LEVEL2",
		Children: []string{"(01)00000046210654(21)vrtjAa0", "(01)00000046210654(21)4u4qrBQ",
			"(01)00000046210654(21)ArJ7csO", "(01)00000046210654(21)1XkYTC4"},
		Parent: "00000046210654900v1s0Xz1zIFDjtcXJjz5cB", ProducerBIN: "0000000000", OwnerBIN: "0000000001",
		ProductGroup: "tobacco", ProductGroupID: 3,
	}}, got)
}

// K-10: the answer example. Its cis reads "…&fI=9MY" (capital I) while the
// stage URL asks for "…%26fl=9MY" (small l), a transcription slip; the
// answer is read as printed. Its children carry ' ! & < > + characters.
func TestExampleK10(t *testing.T) {
	c, mt, _ := newMocked(t)
	rec, _ := exampleServer(mt, http.MethodGet, "cises/history", `
{
  "cis": "010460620308463021&fI=9MY",
  "gtin": "04606203084630",
  "packageType": "LEVEL1",
  "ownerBin": "*****",
  "status": "INTRODUCED",
  "child": [
    "04606203084623BpckVjU",
    "04606203084623b8RH+AY",
    "04606203084623_UqUzES",
    "04606203084623.8YxPNw",
    "04606203084623'Mcjhgd",
    "04606203084623NyIkZ7J",
    "04606203084623!nY!ZV",
    "04606203084623g&<JZki",
    "04606203084623kdU.kTu",
    "04606203084623Z+zK<2>"
  ],
  "parent": "010460026600575520021121051810AL02273282",
  "producerBin": "*****",
  "timestamp": "2021-12-08T07:53:26.514Z",
  "operationDate": "2021-12-08T07:52:03.000Z",
  "emissionDate": "2021-08-18T06:38:27.127Z",
  "docId": "ac6fb473-30d4-4758-bc44-92e61ddc7d31"
}
`)
	got, err := c.CisHistory(context.Background(), "010460620308463021&fl=9MY")
	require.NoError(t, err)
	assert.Equal(t, "/api/v3/true-api/cises/history", rec.all()[0].path)
	assert.Equal(t, []HistoryRecord{{
		Cis: "010460620308463021&fI=9MY", GTIN: "04606203084630", PackageType: "LEVEL1", OwnerBIN: "*****",
		Status: "INTRODUCED", Children: []string{"04606203084623BpckVjU", "04606203084623b8RH+AY",
			"04606203084623_UqUzES", "04606203084623.8YxPNw", "04606203084623'Mcjhgd", "04606203084623NyIkZ7J",
			"04606203084623!nY!ZV", "04606203084623g&<JZki", "04606203084623kdU.kTu", "04606203084623Z+zK<2>"},
		Parent: "010460026600575520021121051810AL02273282", ProducerBIN: "*****",
		Timestamp: time.Date(2021, 12, 8, 7, 53, 26, 514e6, time.UTC), Operated: time.Date(2021, 12, 8, 7, 52, 3, 0, time.UTC),
		Emitted: time.Date(2021, 8, 18, 6, 38, 27, 127e6, time.UTC), DocID: "ac6fb473-30d4-4758-bc44-92e61ddc7d31",
	}}, got)
}

// K-10 screenshot: GET /cises/history?code=010460026600575520021121082010AL66717957.
// Its parameter table mixes answer fields into the query (a transcription
// of the response pane); only code is a parameter. The transcribed answer
// ends its child list with a trailing comma, which is not JSON: as printed
// it is refused; with the comma removed it is read, "\b" being the JSON
// escape of a backspace, kept as such.
func TestExampleK10Screenshot(t *testing.T) {
	const printed = `
{
  "cis": "010460620308463021X.nog\b",
  "gtin": "04606203084630",
  "packageType": "LEVEL2",
  "ownerBin": "920525351605",
  "status": "INTRODUCED",
  "child": [
    "010460620308463021X.nog\b",
    "010460620308463021UWZG-\b",
    "010460620308463021Nj.g0HZ",
  ]
}
`
	c, mt, _ := newMocked(t, WithMaxRetries(0))
	rec, _ := exampleServer(mt, http.MethodGet, "cises/history", printed)
	_, err := c.CisHistory(context.Background(), "010460026600575520021121082010AL66717957")
	require.ErrorIs(t, err, ErrDecode, "the trailing comma as printed")
	assert.Equal(t, "code=010460026600575520021121082010AL66717957", rec.all()[0].rawQuery)

	_, _ = exampleServer(mt, http.MethodGet, "cises/history", strings.Replace(printed, `0HZ",`, `0HZ"`, 1))
	got, err := c.CisHistory(context.Background(), "010460026600575520021121082010AL66717957")
	require.NoError(t, err)
	assert.Equal(t, []HistoryRecord{{
		Cis: "010460620308463021X.nog\b", GTIN: "04606203084630", PackageType: "LEVEL2", OwnerBIN: "920525351605",
		Status: "INTRODUCED", Children: []string{"010460620308463021X.nog\b", "010460620308463021UWZG-\b", "010460620308463021Nj.g0HZ"},
	}}, got)
}

// P-3: the request example sends {"data": ["00000046210654",
// "04630034070029"]}; its answer is replayed in TestGTINProductGroupsP3Example.
func TestExampleP3Request(t *testing.T) {
	c, mt, _ := newMocked(t)
	rec, bodies := exampleServer(mt, http.MethodPost, "product/route/gtin",
		`[{"data":"00000046210654","tg-id":"3","tg-name":"tobacco"},{"data":"04630034070029","tg-id":"3","tg-name":"tobacco"}]`)
	got, err := c.GTINProductGroups(context.Background(), []string{"00000046210654", "04630034070029"})
	require.NoError(t, err)
	assert.Len(t, got, 2)
	assert.Equal(t, listingReq{http.MethodPost, "/api/v3/true-api/product/route/gtin", "", "Bearer jwt-1"}, rec.all()[0])
	assert.JSONEq(t, `{
  "data": [
    "00000046210654",
    "04630034070029"
  ]
}`, bodies.all()[0])
}

// D-25 screenshot request: GET doc/listV2 with limit=5,
// documentType=AGGREGATION_DOCUMENT, did=d8f9c943-d67f-412c-a813-
// dea662b14cd (a shortened id, sent as printed), docDate=2021-09-10T00:00:
// 00.000Z, dateTo=2021-09-10T06:18:43.269Z and documentFormat=MANUAL: no
// pg with the limit, did without orderedColumnValue and no pageDir. Every
// parameter is reproduced; the client adds orderColumn=receivedAt, the
// value D-25 documents, which it sends on every page.
//
// The answer is a transcription of two objects in a bare array, with
// "numbez" for number and "sendezName" for senderName, and a trailing
// comma after the second object's last member. The array form is read; the
// trailing comma is dropped. As printed, the misspelt keys stay in Extra
// (nothing is lost); with the keys as the table names them they fill
// Number and SenderName.
func TestExampleD25Screenshot(t *testing.T) {
	printed := `[
{
  "numbez": "se69d4f3-964c-4adf-8838-5b674f6e998e",
  "docDate": "2021-09-10T05:46:29.676Z",
  "receivedAt": "2021-09-10T05:46:29.779Z",
  "type": "AGGREGATION_DOCUMENT",
  "status": "CHECKED_NOT_OK",
  "sendezName": "REDACTED",
  "total": 0,
  "downloadStatus": "CHECKED_NOT_OK",
  "downloadDesc": "Статус 0 Кода Маркировки с номером 0104610030230368213phNDg не соответствует выполняемой операции,Статус 0 Кода Маркировки с номером 0104610030230368213YSub9 не соответствует выполняемой операции,Статус 0 Кода Маркировки с номером 0104610030230368213KZaM1 не соответствует выполняемой операции",
  "input": false,
  "pdfFile": "",
  "errors": [
    "Статус 0 Кода Маркировки с номером 0104610030230368213phNDg не соответствует выполняемой операции",
    "Статус 0 Кода Маркировки с номером 0104610030230368213YSub9 не соответствует выполняемой операции",
    "Статус 0 Кода Маркировки с номером 0104610030230368213KZaM1 не соответствует выполняемой операции"
  ]
},
{
  "numbez": "8d10d1d8-d0cb-4b5a-91f3-6b5ac787cf7c",
  "docDate": "2021-09-10T06:18:09.962Z",
  "receivedAt": "2021-09-10T12:41:48.559Z",
  "type": "AGGREGATION_DOCUMENT",
  "status": "CHECKED_NOT_OK"
}
]`
	c, mt, _ := newMocked(t)
	rec, _ := exampleServer(mt, http.MethodGet, "doc/listV2", printed)
	f := DocListFilter{
		Limit: 5, DocumentTypes: []DocumentType{DocAggregation}, DocDate: time.Date(2021, 9, 10, 0, 0, 0, 0, time.UTC),
		DateTo: time.Date(2021, 9, 10, 6, 18, 43, 269e6, time.UTC), DocumentFormat: DocFormatManual,
	}
	p, err := c.DocListV2Page(context.Background(), f, DocListCursor{DID: "d8f9c943-d67f-412c-a813-dea662b14cd"})
	require.NoError(t, err)
	assert.Equal(t, listingReq{http.MethodGet, "/api/v3/true-api/doc/listV2",
		"dateTo=2021-09-10T06%3A18%3A43.269Z&did=d8f9c943-d67f-412c-a813-dea662b14cd&docDate=2021-09-10T00%3A00%3A00.000Z" +
			"&documentFormat=MANUAL&documentType=AGGREGATION_DOCUMENT&limit=5&orderColumn=receivedAt", "Bearer jwt-1"}, rec.all()[0])

	errs := []string{
		"Статус 0 Кода Маркировки с номером 0104610030230368213phNDg не соответствует выполняемой операции",
		"Статус 0 Кода Маркировки с номером 0104610030230368213YSub9 не соответствует выполняемой операции",
		"Статус 0 Кода Маркировки с номером 0104610030230368213KZaM1 не соответствует выполняемой операции",
	}
	require.Len(t, p.Results, 2)
	first, second := p.Results[0], p.Results[1]
	assert.Empty(t, first.Number)
	assert.Equal(t, map[string]json.RawMessage{
		"numbez": json.RawMessage(`"se69d4f3-964c-4adf-8838-5b674f6e998e"`), "sendezName": json.RawMessage(`"REDACTED"`),
	}, first.Extra, "the misspelt keys, as printed, are kept")
	assert.Equal(t, time.Date(2021, 9, 10, 5, 46, 29, 676e6, time.UTC), first.DocDate)
	assert.Equal(t, time.Date(2021, 9, 10, 5, 46, 29, 779e6, time.UTC), first.ReceivedAt)
	assert.Equal(t, DocAggregation, first.Type)
	assert.Equal(t, DocStatusCheckedNotOK, first.Status)
	assert.Equal(t, DocStatusCheckedNotOK, first.DownloadStatus)
	assert.Equal(t, strings.Join(errs, ","), first.DownloadDesc)
	assert.Equal(t, errs, first.Errors)
	require.NotNil(t, first.Input)
	assert.False(t, *first.Input)
	assert.Zero(t, first.Total)
	assert.Equal(t, "2021-09-10T12:41:48.559Z", second.ReceivedAtRaw)
	assert.Equal(t, time.Date(2021, 9, 10, 6, 18, 9, 962e6, time.UTC), second.DocDate)
	assert.Zero(t, p.Total, "a bare array carries no total")
	assert.True(t, p.Prev.IsZero() && p.Next.IsZero(), "without number no cursor can be made")

	repaired := strings.NewReplacer(`"numbez"`, `"number"`, `"sendezName"`, `"senderName"`).Replace(printed)
	_, _ = exampleServer(mt, http.MethodGet, "doc/listV2", repaired)
	p, err = c.DocListV2Page(context.Background(), f, DocListCursor{DID: "d8f9c943-d67f-412c-a813-dea662b14cd"})
	require.NoError(t, err)
	require.Len(t, p.Results, 2)
	assert.Equal(t, "se69d4f3-964c-4adf-8838-5b674f6e998e", p.Results[0].Number)
	assert.Equal(t, "REDACTED", p.Results[0].SenderName)
	assert.Nil(t, p.Results[0].Extra)
	assert.Equal(t, DocListCursor{PageNext, "8d10d1d8-d0cb-4b5a-91f3-6b5ac787cf7c", "2021-09-10T12:41:48.559Z"}, p.Next)
	assert.False(t, p.More, "2 records of 5")
}

// D-27: the stage URL example reads ".../true-api/doc/listV2", the path of
// D-25, under the heading GET /receipt/listV2; the heading is followed.
// (Its answer example is replayed in TestReceiptListV2D27Example.)
//
// The D-27 screenshot asks GET {{host}}doc/listV2?number=ddc626f9-aa18-
// 45d3-9c3e-bfcef353abe, replayed as printed (a D-25 request). Its answer
// is a fragment, "{…record…}, {"total": 1}", read as the mangled
// {"results": [record], "total": 1} that D-27's own example shows.
func TestExampleD27(t *testing.T) {
	c, mt, _ := newMocked(t)
	rec, _ := exampleServer(mt, http.MethodGet, "receipt/listV2", `{"results":[],"total":0}`)
	_, err := c.ReceiptListV2Page(context.Background(), DocListFilter{}, DocListCursor{})
	require.NoError(t, err)
	assert.Equal(t, "/api/v3/true-api/receipt/listV2", rec.all()[0].path)

	rec, _ = exampleServer(mt, http.MethodGet, "doc/listV2", `{"results":[
{
  "downloadStatus": "CHECKED_NOT_OK",
  "downloadDesc": "Сведения об агрегате уже зарегистрированы в системе",
  "input": false,
  "pdfFile": "",
  "errors": [
    "Сведения об агрегате уже зарегистрированы в системе"
  ]
}],
  "total": 1
}`)
	p, err := c.DocListV2Page(context.Background(), DocListFilter{Number: "ddc626f9-aa18-45d3-9c3e-bfcef353abe"}, DocListCursor{})
	require.NoError(t, err)
	assert.Equal(t, "number=ddc626f9-aa18-45d3-9c3e-bfcef353abe&orderColumn=receivedAt", rec.all()[0].rawQuery)
	assert.Equal(t, 1, p.Total)
	require.Len(t, p.Results, 1)
	r := p.Results[0]
	assert.Equal(t, DocStatusCheckedNotOK, r.DownloadStatus)
	assert.Equal(t, "Сведения об агрегате уже зарегистрированы в системе", r.DownloadDesc)
	assert.Equal(t, []string{"Сведения об агрегате уже зарегистрированы в системе"}, r.Errors)
	require.NotNil(t, r.Input)
	assert.False(t, *r.Input)
	assert.Empty(t, r.PDFFile)
	assert.Nil(t, r.Extra)
}
