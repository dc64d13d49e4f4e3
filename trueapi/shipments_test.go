package trueapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/trueapi/signing"
)

const (
	shipmentTestID   = "a851daa8-ca3e-48d1-8575-5a1186b8c2fc" // D-18 screenshot
	shipmentImportID = "da08a5d9-ad5f-4f5f-823a-b1d988093ec4" // D-22…D-24 examples
	shipmentCis1     = "010040306003443321*QCriq*bT4fj"
	shipmentCis2     = "010040306003443322*QCriq*bT4fj"
)

var (
	shipmentSignerMu  sync.Mutex
	shipmentSignerRSA *signing.RSASigner
)

// shipmentSigner returns one RSA signer shared by the shipment and billing
// tests: generating a key is the slowest part of a test under -race.
func shipmentSigner(t *testing.T) *signing.RSASigner {
	shipmentSignerMu.Lock()
	defer shipmentSignerMu.Unlock()
	if shipmentSignerRSA == nil {
		shipmentSignerRSA = rsaSigner(t)
	}
	return shipmentSignerRSA
}

// shipmentMocked is a client with the token jwt-x on an httpmock
// transport that fails the test on any request not registered.
func shipmentMocked(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, ""), nil
	})
	c, err := New(shipmentSigner(t), append([]Option{WithBaseURL(base), WithHTTPClient(&http.Client{Transport: mt}),
		WithRetryWait(time.Millisecond, time.Millisecond), WithToken("jwt-x")}, opts...)...)
	require.NoError(t, err)
	return c, mt
}

// shipmentReceive reads the {document, signature} body of D-18 and D-23,
// checks that the detached CMS verifies over the received document, and
// returns the document's bytes.
func shipmentReceive(t *testing.T, r *http.Request) []byte {
	t.Helper()
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	var body map[string]string
	require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
	assert.Len(t, body, 2, "only document and signature")
	doc, err := base64.StdEncoding.DecodeString(body["document"])
	require.NoError(t, err)
	sig, err := base64.StdEncoding.DecodeString(body["signature"])
	require.NoError(t, err)
	signed, err := signing.Verify(sig, doc)
	require.NoError(t, err, "the signature verifies over the received bytes")
	assert.True(t, signed.Detached, "a detached CMS")
	return doc
}

func shipmentDec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

func shipmentDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var shipmentAlmaty = time.FixedZone("Almaty", 5*3600)

func shipmentSample() *EAEUShipment {
	return &EAEUShipment{
		ProductGroup: GroupShoes, ExporterCode: "123456789012", ReceiverCountryCode: "RU", ReceiverCode: "7731376812",
		ReceiverName: `ООО "Получатель" & Co`, DocumentNumber: "УПД-17",
		// 02:00 in Almaty is the previous day in UTC: the date is taken as given.
		DocumentDate: time.Date(2022, 1, 13, 2, 0, 0, 0, shipmentAlmaty),
		TransferDate: shipmentDay(2022, 1, 14),
		Products: []ShipmentProduct{
			{Cis: shipmentCis1, Price: shipmentDec("12345678901234567890.10"), VAT: shipmentDec("0"), Documents: []ShipmentConformityDoc{
				{Kind: ConformityCertificate, Number: "ЕАЭС RU С-RU.АЯ46.В.12345/21", Date: shipmentDay(2021, 7, 1)},
				{Kind: ConformityDeclaration, Number: "123", Date: shipmentDay(2021, 7, 2)},
			}},
			{Cis: shipmentCis2},
		},
	}
}

const shipmentSampleJSON = `{"productGroup":"shoes","exporterCode":"123456789012","receiverCountryCode":"RU","receiverCode":"7731376812",` +
	`"receiverName":"ООО \"Получатель\" & Co","documentNumber":"УПД-17","documentDate":"2022-01-13","transferDate":"2022-01-14",` +
	`"productList":[{"cis":"010040306003443321*QCriq*bT4fj","price":12345678901234567890.10,"vat":0,"documentList":[` +
	`{"docKind":"CONFORMITY_CERTIFICATE","docNumber":"ЕАЭС RU С-RU.АЯ46.В.12345/21","docDate":"2021-07-01"},` +
	`{"docKind":"CONFORMITY_DECLARATION","docNumber":"123","docDate":"2021-07-02"}]},{"cis":"010040306003443322*QCriq*bT4fj"}]}`

func TestEAEUShipmentEncode(t *testing.T) {
	got, err := shipmentSample().Encode()
	require.NoError(t, err)
	assert.Equal(t, shipmentSampleJSON, string(got), "the fields of the documentation's table in order, exact decimals, yyyy-MM-dd")

	// Two documents per product are the limit.
	s := shipmentSample()
	s.Products[0].Documents = append(s.Products[0].Documents, s.Products[0].Documents[0])
	_, err = s.Encode()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "productList[0].documentList", ve.Field)
}

func TestEAEUShipmentValidation(t *testing.T) {
	for field, change := range map[string]func(s *EAEUShipment){
		"productGroup":                           func(s *EAEUShipment) { s.ProductGroup = "" },
		"exporterCode":                           func(s *EAEUShipment) { s.ExporterCode = "12345" },
		"receiverCountryCode":                    func(s *EAEUShipment) { s.ReceiverCountryCode = " " },
		"receiverCode":                           func(s *EAEUShipment) { s.ReceiverCode = "" },
		"receiverName":                           func(s *EAEUShipment) { s.ReceiverName = "" },
		"documentNumber":                         func(s *EAEUShipment) { s.DocumentNumber = "" },
		"documentDate":                           func(s *EAEUShipment) { s.DocumentDate = time.Time{} },
		"transferDate":                           func(s *EAEUShipment) { s.TransferDate = time.Time{} },
		"productList":                            func(s *EAEUShipment) { s.Products = nil },
		"productList[1].cis":                     func(s *EAEUShipment) { s.Products[1].Cis = shipmentCis1 },
		"productList[0].price":                   func(s *EAEUShipment) { s.Products[0].Price = shipmentDec("-0.01") },
		"productList[0].vat":                     func(s *EAEUShipment) { s.Products[0].VAT = shipmentDec("-1") },
		"productList[0].documentList[1].docKind": func(s *EAEUShipment) { s.Products[0].Documents[1].Kind = "" },
		"productList[0].documentList[0].docNumber": func(s *EAEUShipment) {
			s.Products[0].Documents[0].Number = ""
		},
		"productList[0].documentList[0].docDate": func(s *EAEUShipment) { s.Products[0].Documents[0].Date = time.Time{} },
	} {
		s := shipmentSample()
		change(s)
		_, err := s.Encode()
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, field, ve.Field)
	}
}

func shipmentAcceptanceSample() *EAEUAcceptance {
	return &EAEUAcceptance{
		ShipmentID: shipmentImportID, DocumentNum: "Any text up to 255 characters",
		DocumentDate: time.Date(2022, 2, 10, 2, 0, 0, 0, shipmentAlmaty), ReceiverINN: "810716401076",
		ExporterTaxpayerID: "7731376812", ExporterName: "Any text up to 255 characters", SenderCountryCode: "643",
		AcceptanceDate: shipmentDay(2021, 12, 16),
		Products:       []AcceptanceProduct{AcceptedProduct(shipmentCis1), RejectedProduct(shipmentCis2)},
	}
}

// The documentation's partial-acceptance example, with real ids for its
// placeholders.
const shipmentAcceptanceJSON = `{"shipment_id":"da08a5d9-ad5f-4f5f-823a-b1d988093ec4","document_num":"Any text up to 255 characters",` +
	`"document_date":"2022-02-10","receiver_inn":"810716401076","exporter_taxpayer_id":"7731376812",` +
	`"exporter_name":"Any text up to 255 characters","sender_country_code":"643","request_type":"ACCEPTANCE",` +
	`"acceptance_date":"2021-12-16","reject_all":false,"products":[{"cis":"010040306003443321*QCriq*bT4fj","accepted":true},` +
	`{"cis":"010040306003443322*QCriq*bT4fj","accepted":false}]}`

func TestEAEUAcceptanceEncode(t *testing.T) {
	got, err := shipmentAcceptanceSample().Encode()
	require.NoError(t, err)
	assert.Equal(t, shipmentAcceptanceJSON, string(got))
	assert.Contains(t, string(got), `"request_type":"ACCEPTANCE"`, "pure ASCII, no trailing space")

	// The reject-all example: reject_all true, no products.
	a := shipmentAcceptanceSample()
	a.ShipmentID, a.RejectAll, a.Products = "da07a5d6-ad5f-5f5f-824a-b1d983092ec1", true, nil
	got, err = a.Encode()
	require.NoError(t, err)
	assert.Equal(t, `{"shipment_id":"da07a5d6-ad5f-5f5f-824a-b1d983092ec1","document_num":"Any text up to 255 characters",`+
		`"document_date":"2022-02-10","receiver_inn":"810716401076","exporter_taxpayer_id":"7731376812",`+
		`"exporter_name":"Any text up to 255 characters","sender_country_code":"643","request_type":"ACCEPTANCE",`+
		`"acceptance_date":"2021-12-16","reject_all":true}`, string(got))

	// The optional receiver, a leading zero kept.
	a = shipmentAcceptanceSample()
	a.Receiver, a.SenderCountryCode = "ТОО Получатель", "051"
	a.Products = append(a.Products, RejectedProduct("c3"))
	got, err = a.Encode()
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(got, &m))
	assert.Equal(t, "ТОО Получатель", m["receiver"])
	assert.Equal(t, "051", m["sender_country_code"])
	assert.Equal(t, false, m["reject_all"])
	assert.Equal(t, []any{
		map[string]any{"cis": shipmentCis1, "accepted": true},
		map[string]any{"cis": shipmentCis2, "accepted": false},
		map[string]any{"cis": "c3", "accepted": false},
	}, m["products"])
}

// accepted is a boolean (True API v2.22, D-23): an undecided product is
// never sent as "accepted": null. Without reject_all it is refused before
// anything is signed or sent, naming the product; D-23's only form that
// decides every product at once is reject_all (there is no "accept
// all"), and under it an undecided product is sent as not accepted.
func TestEAEUAcceptanceUndecidedProduct(t *testing.T) {
	a := shipmentAcceptanceSample()
	a.Products = append(a.Products, RejectedProduct("c3"), AcceptanceProduct{Cis: "c4"})
	_, err := a.Encode()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "products[3].accepted", ve.Field)
	assert.Contains(t, err.Error(), "undecided")

	// Through SendAcceptance: the signer is not called, nothing is sent.
	var signed atomic.Int32
	_, mt := shipmentMocked(t)
	c, err := New(signing.SignerFunc(func(ctx context.Context, data []byte, o signing.SignOptions) ([]byte, error) {
		signed.Add(1)
		return shipmentSigner(t).SignCMS(ctx, data, o)
	}), WithBaseURL(base), WithHTTPClient(&http.Client{Transport: mt}), WithToken("jwt-x"))
	require.NoError(t, err)
	_, err = c.SendAcceptance(context.Background(), a)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "products[3].accepted", ve.Field)
	assert.Zero(t, signed.Load(), "nothing signed")
	assert.Zero(t, mt.GetTotalCallCount(), "nothing sent")

	// reject_all decides every product: the undecided one is sent false,
	// and so is the whole list; never null.
	a.Products = []AcceptanceProduct{{Cis: shipmentCis1}, RejectedProduct(shipmentCis2)}
	a.RejectAll = true
	var received []byte
	mt.RegisterResponder(http.MethodPost, base+"documents/import/acceptancies", func(r *http.Request) (*http.Response, error) {
		received = shipmentReceive(t, r)
		return httpmock.NewStringResponse(200, `{"acceptationId":"9abd3d41-76bc-4542-a88e-b1f7be8130b5"}`), nil
	})
	_, err = c.SendAcceptance(context.Background(), a)
	require.NoError(t, err)
	assert.Equal(t, int32(1), signed.Load())
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(received, &m))
	assert.JSONEq(t, `true`, string(m["reject_all"]))
	assert.JSONEq(t, `[{"cis":"`+shipmentCis1+`","accepted":false},{"cis":"`+shipmentCis2+`","accepted":false}]`, string(m["products"]))
	assert.NotContains(t, string(received), "null")
}

func TestEAEUAcceptanceValidation(t *testing.T) {
	for field, change := range map[string]func(a *EAEUAcceptance){
		"shipment_id":          func(a *EAEUAcceptance) { a.ShipmentID = "" },
		"document_num":         func(a *EAEUAcceptance) { a.DocumentNum = strings.Repeat("я", 256) },
		"document_date":        func(a *EAEUAcceptance) { a.DocumentDate = time.Time{} },
		"receiver_inn":         func(a *EAEUAcceptance) { a.ReceiverINN = "12 numeric " },
		"exporter_taxpayer_id": func(a *EAEUAcceptance) { a.ExporterTaxpayerID = "8/9/10/12num" },
		"exporter_name":        func(a *EAEUAcceptance) { a.ExporterName = "" },
		"sender_country_code":  func(a *EAEUAcceptance) { a.SenderCountryCode = "51" },
		"acceptance_date":      func(a *EAEUAcceptance) { a.AcceptanceDate = time.Time{} },
		"products":             func(a *EAEUAcceptance) { a.Products = nil },
		"products[1].cis":      func(a *EAEUAcceptance) { a.Products[1].Cis = shipmentCis1 },
		"products[0].cis":      func(a *EAEUAcceptance) { a.Products[0].Cis = "" },
		"products[0].accepted": func(a *EAEUAcceptance) { a.RejectAll = true },
	} {
		a := shipmentAcceptanceSample()
		change(a)
		_, err := a.Encode()
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, field, ve.Field)
	}
	// Kyrgyz (14) and Armenian (8) taxpayer ids pass.
	for _, id := range []string{"12345678", "12345678901234"} {
		a := shipmentAcceptanceSample()
		a.ExporterTaxpayerID = id
		_, err := a.Encode()
		require.NoError(t, err, id)
	}
}

// The must-show: what D-18 receives is exactly what Encode produced, and
// the detached signature verifies over it.
func TestSendShipmentSignedBytes(t *testing.T) {
	c, mt := shipmentMocked(t)
	want, err := shipmentSample().Encode()
	require.NoError(t, err)
	var received []byte
	mt.RegisterResponder(http.MethodPost, base+"edo-api/shipments", func(r *http.Request) (*http.Response, error) {
		received = shipmentReceive(t, r)
		return httpmock.NewStringResponse(200, `{"shipmentId":"`+shipmentTestID+`","errors":[{"code":"0","message":"Документ провалидирован"}]}`), nil
	})
	res, err := c.SendShipment(context.Background(), shipmentSample())
	require.NoError(t, err, "code 0 is success")
	assert.Equal(t, want, received, "the received document is Encode's bytes")
	assert.Equal(t, shipmentTestID, res.ShipmentID)
	assert.Equal(t, []ShipmentError{{Code: "0", Message: "Документ провалидирован"}}, res.Messages)
	assert.True(t, res.Messages[0].OK())
	assert.Equal(t, want, res.Document.Content, "the SignedDocument sent is returned")
	_, err = signing.Verify(res.Document.Signature, res.Document.Content)
	require.NoError(t, err)

	// A RawDocument is sent byte for byte.
	raw := RawDocument(`{"productGroup":"shoes"}`)
	_, err = c.SendShipment(context.Background(), raw)
	require.NoError(t, err)
	assert.Equal(t, []byte(raw), received)

	// Invalid input is refused before any request.
	before := mt.GetTotalCallCount()
	s := shipmentSample()
	s.ExporterCode = ""
	_, err = c.SendShipment(context.Background(), s)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "exporterCode", ve.Field)
	assert.Equal(t, before, mt.GetTotalCallCount())
}

// In-band errors with HTTP 200: the result keeps the shipmentId and a
// typed error lists the errors, the code-"0" notice left out.
func TestSendShipmentInBandErrors(t *testing.T) {
	c, mt := shipmentMocked(t)
	mt.RegisterResponder(http.MethodPost, base+"edo-api/shipments", httpmock.NewStringResponder(200,
		`{"shipmentId":"124324","errors":[{"code":"0","message":"ok"},{"errorCode":303,"errorDescription":"303: КИ не найден"},"307: ( / ) ( ) "]}`))
	res, err := c.SendShipment(context.Background(), shipmentSample())
	require.ErrorIs(t, err, ErrShipmentRejected)
	require.NotNil(t, res)
	assert.Equal(t, "124324", res.ShipmentID)
	assert.Len(t, res.Messages, 3)
	var re *ShipmentRejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "124324", re.ID)
	assert.Equal(t, "POST edo-api/shipments", re.Op)
	assert.Equal(t, []ShipmentError{{Code: "303", Message: "303: КИ не найден"}, {Code: "307", Message: "307: ( / ) ( ) "}}, re.Errors,
		"the API's text byte for byte")
	assert.Contains(t, err.Error(), "303: КИ не найден; 307: ( / ) ( ) ")

	// No id and no errors: a decode error keeping the body.
	mt.RegisterResponder(http.MethodPost, base+"edo-api/shipments", httpmock.NewStringResponder(200, `{"errors":[]}`))
	_, err = c.SendShipment(context.Background(), shipmentSample())
	require.ErrorIs(t, err, ErrDecode)
	mt.RegisterResponder(http.MethodPost, base+"edo-api/shipments", httpmock.NewStringResponder(200, `<html>`))
	_, err = c.SendShipment(context.Background(), shipmentSample())
	require.ErrorIs(t, err, ErrDecode)

	// A schema refusal is an ordinary error.
	mt.RegisterResponder(http.MethodPost, base+"edo-api/shipments", httpmock.NewStringResponder(422, `{"code":"422","errors":"Документ не прошел валидацию по схеме: productList"}`))
	_, err = c.SendShipment(context.Background(), shipmentSample())
	require.ErrorIs(t, err, ErrValidation)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "422", e.Code)
	assert.Contains(t, e.Message, "Документ не прошел валидацию")
}

// A connection that drops after sending: not sent again, the outcome is
// unknown and the error says how to check.
func TestSendShipmentOutcomeUnknown(t *testing.T) {
	c, mt := shipmentMocked(t)
	var sent atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"edo-api/shipments", func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("connection reset by peer")
	})
	res, err := c.SendShipment(context.Background(), shipmentSample())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Nil(t, res)
	var oe *OutcomeUnknownError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "POST edo-api/shipments", oe.Op)
	assert.Contains(t, oe.Check, "searchV2")
	assert.Equal(t, int32(1), sent.Load(), "sent once")
}

func TestShipmentStatusShapes(t *testing.T) {
	c, mt := shipmentMocked(t)
	ctx := context.Background()
	mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/"+shipmentTestID+"/status", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"))
		assert.Empty(t, r.URL.RawQuery)
		return httpmock.NewStringResponse(200, `{"documentId":"4b0bdd1a-3417-4eda-b4dd-08303a8ea584","documentDate":"2021-12-12","status":"ERROR",`+
			`"errors":[{"errorCode":"301","errorMessage":" "},{"errorCode":302,"errorMessage":"второй"}]}`), nil
	})
	st, err := c.ShipmentStatus(ctx, shipmentTestID)
	require.NoError(t, err, "ERROR is an answer with HTTP 200, not a failed call")
	assert.Equal(t, &ShipmentState{DocumentID: "4b0bdd1a-3417-4eda-b4dd-08303a8ea584", DocumentDate: shipmentDay(2021, 12, 12),
		Status: ShipmentStatusError, Errors: []ShipmentError{{Code: "301", Message: " "}, {Code: "302", Message: "второй"}}}, st,
		"the message \" \" is kept as sent")
	assert.True(t, st.Status.Final())

	mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/"+shipmentTestID+"/status", httpmock.NewStringResponder(200,
		`{"documentId":"ba934c18-0ee4-4ba3-ae6e-a9af643b0e3f","documentDate":"2022-01-13","status":"SENT"}`))
	st, err = c.ShipmentStatus(ctx, shipmentTestID)
	require.NoError(t, err)
	assert.Equal(t, ShipmentStatusSent, st.Status)
	assert.Nil(t, st.Errors)
	assert.False(t, st.Status.Final())

	// The id is escaped as one path segment.
	mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/a%20b%3Fc%23d/status", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "/api/v3/true-api/edo-api/shipments/a%20b%3Fc%23d/status", r.URL.EscapedPath())
		return httpmock.NewStringResponse(200, `{"status":"NEW_ONE"}`), nil
	})
	st, err = c.ShipmentStatus(ctx, "a b?c#d")
	require.NoError(t, err)
	assert.Equal(t, ShipmentStatus("NEW_ONE"), st.Status, "an unknown status is kept")

	// Not found is a 400.
	mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/nope/status", httpmock.NewStringResponder(400, `{"error_message":"Документ не найден"}`))
	_, err = c.ShipmentStatus(ctx, "nope")
	require.ErrorIs(t, err, ErrNotFound)
	require.ErrorIs(t, err, ErrValidation)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Документ не найден", e.Message)

	mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/x/status", httpmock.NewStringResponder(200, `{}`))
	_, err = c.ShipmentStatus(ctx, "x")
	require.ErrorIs(t, err, ErrDecode)
	_, err = c.ShipmentStatus(ctx, " ")
	require.ErrorIs(t, err, ErrValidation)
}

// shipmentStatusSeq answers D-19 with the given statuses in turn, the last
// one repeated.
func shipmentStatusSeq(mt *httpmock.MockTransport, id string, bodies ...string) *atomic.Int32 {
	var n atomic.Int32
	mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/"+id+"/status", func(r *http.Request) (*http.Response, error) {
		i := min(int(n.Add(1)), len(bodies)) - 1
		return httpmock.NewStringResponse(200, bodies[i]), nil
	})
	return &n
}

func TestWaitShipmentPolls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := shipmentMocked(t)
		polls := shipmentStatusSeq(mt, shipmentTestID, `{"status":"CHECKING"}`, `{"status":"SENT"}`,
			`{"status":"WAITING_ACCEPTANCE"}`, `{"documentId":"`+shipmentTestID+`","documentDate":"2022-01-13","status":"ACCEPTED"}`)
		var seen []string
		start := time.Now()
		st, err := c.WaitShipment(context.Background(), shipmentTestID, WithProgress(func(s string) { seen = append(seen, s) }))
		require.NoError(t, err)
		assert.Equal(t, ShipmentStatusAccepted, st.Status)
		assert.Equal(t, shipmentDay(2022, 1, 13), st.DocumentDate)
		assert.Equal(t, []string{"CHECKING", "SENT", "WAITING_ACCEPTANCE", "ACCEPTED"}, seen)
		assert.Equal(t, int32(4), polls.Load())
		assert.Equal(t, 4750*time.Millisecond, time.Since(start), "waits of 1 s, 1.5 s and 2.25 s")
	})
}

func TestWaitShipmentErrorAndContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := shipmentMocked(t)
		shipmentStatusSeq(mt, shipmentTestID, `{"status":"CHECKING"}`,
			`{"documentId":"`+shipmentTestID+`","documentDate":"2021-12-12","status":"ERROR","errors":[{"errorCode":"301","errorMessage":"КИ не принадлежит отправителю"}]}`)
		start := time.Now()
		st, err := c.WaitShipment(context.Background(), shipmentTestID, WithPollInterval(10*time.Millisecond, 0))
		require.ErrorIs(t, err, ErrShipmentRejected)
		var re *ShipmentRejectedError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "ERROR", re.Status)
		assert.Equal(t, shipmentTestID, re.ID)
		assert.Equal(t, []ShipmentError{{Code: "301", Message: "КИ не принадлежит отправителю"}}, re.Errors)
		assert.Equal(t, ShipmentStatusError, st.Status, "the final state comes with the error")
		assert.Equal(t, 10*time.Millisecond, time.Since(start))
	})
	synctest.Test(t, func(t *testing.T) {
		c, mt := shipmentMocked(t)
		shipmentStatusSeq(mt, shipmentTestID, `{"status":"WAITING_ACCEPTANCE"}`)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		start := time.Now()
		st, err := c.WaitShipment(ctx, shipmentTestID)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), `last status "WAITING_ACCEPTANCE"`)
		assert.Equal(t, ShipmentStatusWaitingAcceptance, st.Status)
		assert.Equal(t, time.Minute, time.Since(start), "the wait ends with the context")
	})
	synctest.Test(t, func(t *testing.T) {
		c, mt := shipmentMocked(t)
		mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/gone/status", httpmock.NewStringResponder(400, `{"error_message":"не найден"}`))
		st, err := c.WaitShipment(context.Background(), "gone")
		require.ErrorIs(t, err, ErrNotFound)
		assert.Nil(t, st)
	})
}

func TestShipmentView(t *testing.T) {
	c, mt := shipmentMocked(t)
	ctx := context.Background()
	view := `{"status":"ACCEPTED","documentNum":"123456","products":[{"cis":"c1","accepted":true,"extra":{"x":[1,2]}}],"unknown":"kept"}`
	mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/"+shipmentTestID+"/view", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "/api/v3/true-api/edo-api/shipments/"+shipmentTestID+"/view", r.URL.Path, "the base URL, not /api/v1")
		assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"))
		return httpmock.NewStringResponse(200, view), nil
	})
	raw, err := c.ShipmentView(ctx, shipmentTestID)
	require.NoError(t, err)
	assert.Equal(t, view, string(raw), "the undocumented answer is kept as received")
	var doc ShipmentDocument
	require.NoError(t, json.Unmarshal(raw, &doc), "a D-22-like answer reads into a ShipmentDocument")
	assert.Equal(t, ImportStatusAccepted, doc.Status)
	assert.Equal(t, json.RawMessage(`"kept"`), doc.Extra["unknown"])

	mt.RegisterResponder(http.MethodGet, base+"edo-api/shipments/"+shipmentTestID+"/view", httpmock.NewStringResponder(200, `not json`))
	_, err = c.ShipmentView(ctx, shipmentTestID)
	require.ErrorIs(t, err, ErrDecode)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "not json", string(e.Body))
}

// The text example of D-22 (its trailing commas removed).
const shipmentDocText = `{"status":"CHECKED_NOT_OK","documentType":"EAS_CROSSBORDER","documentNum":"da08a5d9-ad5f-4f5f-824a-b2d988113ec7",
"documentDate":"2020-12-30","exporter":"-2","exporterInn":"1234567890","senderCountryCode":"643","receiver":"","receiverInn":"810716401076",
"transferDate":"2020-12-31","products":[{"cis":"010040306003443321*QCriq*bT4fj","productCost":"80.0","productTax":"20.0"},
{"cis":"010040306003113321*QCriq*bT4fj","productCost":"15.0","productTax":"1.0","accepted":null}],
"errors":[{"errorCode":"03","errorDescription":"03: receiver_inn ."},{"errorCode":"08","errorDescription":"08: release_method ."},
{"errorCode":"01","errorDescription":"01: certificate_type."}]}`

// The screenshot of D-22 (its OCR damage repaired).
const shipmentDocScreenshot = `{"status":"CHECKED_OK","type":"EAS_CROSSBORDER","senderInn":"6317136467","senderName":"ООО \"КОЛЛ СЕРВИС\"",
"receiverInn":"960202350172","receiverName":"ООО Получатель в Республике Казахстан","receiverId":"600000199","documentDate":"2022-05-11",
"receivedAt":"2022-05-11T13:02:45.006Z","senderCountryCode":"643","exporter":"ООО \"КОЛЛ СЕРВИС\"","exporterInn":"6317136467",
"transferDate":"2022-05-11","acceptanceDate":"2022-05-12","products":[{"cis":"0100191028060272215vQBzT4_jKINf","accepted":true,
"productCost":12345678901234567890.12,"productTax":1666667,"certificateDocumentData":[{"certificateType":"CONFORMITY_CERTIFICATE",
"certificateNum":"123","certificateDate":"2021-07-01"}]},{"cis":"c2","accepted":false}],
"linkedDocs":[{"docType":"LP_ACCEPT_GOODS","docId":"5bab9759-46a3-4e92-b8bb-bcc815727d1c","docDate":"2022-05-12"}],"documentNum":"123456"}`

func TestShipmentDocumentShapes(t *testing.T) {
	c, mt := shipmentMocked(t)
	ctx := context.Background()
	mt.RegisterResponder(http.MethodGet, base+"documents/import/shipment/"+shipmentImportID, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"))
		return httpmock.NewStringResponse(200, shipmentDocText), nil
	})
	doc, err := c.ShipmentDocument(ctx, shipmentImportID)
	require.NoError(t, err)
	assert.Equal(t, ImportStatusCheckedNotOK, doc.Status)
	assert.True(t, doc.Status.Failed() && doc.Status.Done())
	assert.Equal(t, DocumentType("EAS_CROSSBORDER"), doc.DocumentType)
	assert.Equal(t, "da08a5d9-ad5f-4f5f-824a-b2d988113ec7", doc.DocumentNum)
	assert.Equal(t, shipmentDay(2020, 12, 30), doc.DocumentDate)
	assert.Equal(t, shipmentDay(2020, 12, 31), doc.TransferDate)
	assert.True(t, doc.AcceptanceDate.IsZero())
	assert.Equal(t, "643", doc.SenderCountryCode)
	assert.Equal(t, "810716401076", doc.ReceiverINN)
	require.Len(t, doc.Products, 2)
	assert.True(t, decimal.RequireFromString("80.0").Equal(*doc.Products[0].Cost))
	assert.Equal(t, "1.0", doc.Products[1].Tax.StringFixed(1))
	assert.Nil(t, doc.Products[0].Accepted, "absent: no information")
	assert.Nil(t, doc.Products[1].Accepted, "null: no information")
	assert.Equal(t, []ShipmentError{{Code: "03", Message: "03: receiver_inn ."}, {Code: "08", Message: "08: release_method ."},
		{Code: "01", Message: "01: certificate_type."}}, doc.Errors, "the example's key errors")
	assert.Nil(t, doc.Extra)

	mt.RegisterResponder(http.MethodGet, base+"documents/import/shipment/"+shipmentImportID, httpmock.NewStringResponder(200, shipmentDocScreenshot))
	doc, err = c.ShipmentDocument(ctx, shipmentImportID)
	require.NoError(t, err)
	assert.Equal(t, ImportStatusCheckedOK, doc.Status)
	assert.Equal(t, DocumentType("EAS_CROSSBORDER"), doc.DocumentType, "the screenshot's key type")
	assert.Equal(t, "ООО Получатель в Республике Казахстан", doc.Receiver, "receiverName")
	assert.Equal(t, "6317136467", doc.SenderINN)
	assert.Equal(t, `ООО "КОЛЛ СЕРВИС"`, doc.SenderName)
	assert.Equal(t, "600000199", doc.ReceiverID)
	assert.Equal(t, time.Date(2022, 5, 11, 13, 2, 45, 6e6, time.UTC), doc.ReceivedAt)
	assert.Equal(t, shipmentDay(2022, 5, 12), doc.AcceptanceDate)
	assert.Equal(t, []ShipmentLinkedDoc{{Type: "LP_ACCEPT_GOODS", ID: "5bab9759-46a3-4e92-b8bb-bcc815727d1c", Date: shipmentDay(2022, 5, 12)}}, doc.LinkedDocs)
	require.Len(t, doc.Products, 2)
	p := doc.Products[0]
	require.NotNil(t, p.Accepted)
	assert.True(t, *p.Accepted)
	require.NotNil(t, doc.Products[1].Accepted)
	assert.False(t, *doc.Products[1].Accepted)
	assert.Equal(t, "12345678901234567890.12", p.Cost.StringFixed(2), "exact, never a float")
	assert.Equal(t, "1666667", p.Tax.String())
	assert.Equal(t, []ShipmentCertificate{{Type: ConformityCertificate, Number: "123", Date: shipmentDay(2021, 7, 1)}}, p.Certificates)
	assert.Equal(t, "123456", doc.DocumentNum)

	// The table's spellings linkedDoc{linkedDocType…} and documentErrors.
	var d ShipmentDocument
	require.NoError(t, json.Unmarshal([]byte(`{"status":"ACCEPTED","linkedDoc":{"linkedDocType":"LP_ACCEPT_GOODS","linkedDocId":"x","linkedDocDate":"2022-05-12"},`+
		`"documentErrors":[{"errorCode":"03","errorDescription":"bad"}],"products":[{"cis":"c","accepted":"","certificateDocumentData":null,"productCost":""}]}`), &d))
	assert.Equal(t, []ShipmentLinkedDoc{{Type: "LP_ACCEPT_GOODS", ID: "x", Date: shipmentDay(2022, 5, 12)}}, d.LinkedDocs, "a single object is a list of one")
	assert.Equal(t, []ShipmentError{{Code: "03", Message: "bad"}}, d.Errors)
	assert.Equal(t, []ShipmentDocumentProduct{{Cis: "c"}}, d.Products, "empty values: no information")

	mt.RegisterResponder(http.MethodGet, base+"documents/import/shipment/nope", httpmock.NewStringResponder(500, `{"code":"500","errors":" "}`))
	_, err = c.ShipmentDocument(ctx, "nope")
	require.ErrorIs(t, err, ErrServer)
	mt.RegisterResponder(http.MethodGet, base+"documents/import/shipment/list", httpmock.NewStringResponder(200, `[]`))
	_, err = c.ShipmentDocument(ctx, "list")
	require.ErrorIs(t, err, ErrDecode)
	_, err = c.ShipmentDocument(ctx, "")
	require.ErrorIs(t, err, ErrValidation)
}

// The must-show for D-23: the received document is Encode's bytes, the
// detached signature verifies, and errors in a 200 come back typed with
// the acceptationId.
func TestSendAcceptanceSignedBytes(t *testing.T) {
	c, mt := shipmentMocked(t)
	var received []byte
	mt.RegisterResponder(http.MethodPost, base+"documents/import/acceptancies", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "/api/v3/true-api/documents/import/acceptancies", r.URL.Path, "the base path once")
		received = shipmentReceive(t, r)
		return httpmock.NewStringResponse(200, `{"acceptationId":"9abd3d41-76bc-4542-a88e-b1f7be8130b5","errors":[]}`), nil
	})
	res, err := c.SendAcceptance(context.Background(), shipmentAcceptanceSample())
	require.NoError(t, err)
	assert.Equal(t, shipmentAcceptanceJSON, string(received))
	assert.Equal(t, "9abd3d41-76bc-4542-a88e-b1f7be8130b5", res.AcceptationID)
	assert.Equal(t, []byte(shipmentAcceptanceJSON), res.Document.Content)

	mt.RegisterResponder(http.MethodPost, base+"documents/import/acceptancies", httpmock.NewStringResponder(200,
		`{"acceptationId":"9abd3d41-76bc-4542-a88e-b1f7be8130b5","errors":[{"errorCode":"303","errorMessage":"/ 123243252 / 123243252"},`+
			`{"errorCode":"307","errorMessage":" 123243252 shoes {SystemName} "}]}`))
	res, err = c.SendAcceptance(context.Background(), shipmentAcceptanceSample())
	require.ErrorIs(t, err, ErrShipmentRejected)
	require.NotNil(t, res)
	assert.Equal(t, "9abd3d41-76bc-4542-a88e-b1f7be8130b5", res.AcceptationID)
	var re *ShipmentRejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "9abd3d41-76bc-4542-a88e-b1f7be8130b5", re.ID)
	assert.Equal(t, []ShipmentError{{Code: "303", Message: "/ 123243252 / 123243252"}, {Code: "307", Message: " 123243252 shoes {SystemName} "}}, re.Errors)

	mt.RegisterResponder(http.MethodPost, base+"documents/import/acceptancies", httpmock.NewStringResponder(422, `{"code":"422","description":"Подпись не валидна"}`))
	_, err = c.SendAcceptance(context.Background(), shipmentAcceptanceSample())
	require.ErrorIs(t, err, ErrValidation)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Подпись не валидна", e.Message)
}

func TestSendAcceptanceOutcomeUnknown(t *testing.T) {
	c, mt := shipmentMocked(t)
	var sent atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"documents/import/acceptancies", func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		return nil, errors.New("EOF")
	})
	res, err := c.SendAcceptance(context.Background(), shipmentAcceptanceSample())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Nil(t, res)
	var oe *OutcomeUnknownError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "POST documents/import/acceptancies", oe.Op)
	assert.Contains(t, oe.Check, `Client.ShipmentDocument("`+shipmentImportID+`")`)
	assert.Equal(t, int32(1), sent.Load(), "sent once")

	before := mt.GetTotalCallCount()
	a := shipmentAcceptanceSample()
	a.SenderCountryCode = "398"
	_, err = c.SendAcceptance(context.Background(), a)
	require.ErrorIs(t, err, ErrValidation)
	assert.Equal(t, before, mt.GetTotalCallCount(), "no request for bad input")
}

func TestImportDocumentStatus(t *testing.T) {
	c, mt := shipmentMocked(t)
	ctx := context.Background()
	mt.RegisterResponder(http.MethodGet, base+"documents/import/status/"+shipmentImportID, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "/api/v3/true-api/documents/import/status/"+shipmentImportID, r.URL.Path)
		assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"))
		return httpmock.NewStringResponse(200, `{"documentId":"`+shipmentImportID+`","status":"CHECKED_NOT_OK","documentType":"EAS_CROSSBORDER",`+
			`"documentErrors":[{"errorCode":"03","errorDescription":"03: receiver_inn ."},{"errorCode":"08","errorDescription":"08: release_method ."}],"checkedAt":"x"}`), nil
	})
	st, err := c.ImportDocumentStatus(ctx, shipmentImportID)
	require.NoError(t, err, "CHECKED_NOT_OK is an answer")
	assert.Equal(t, &ImportDocumentState{DocumentID: shipmentImportID, Status: ImportStatusCheckedNotOK, DocumentType: "EAS_CROSSBORDER",
		Errors: []ShipmentError{{Code: "03", Message: "03: receiver_inn ."}, {Code: "08", Message: "08: release_method ."}},
		Extra:  map[string]json.RawMessage{"checkedAt": json.RawMessage(`"x"`)}}, st)

	mt.RegisterResponder(http.MethodGet, base+"documents/import/status/bad", httpmock.NewStringResponder(400,
		`{"code":"400","description":"Документ не найден. id=da08a5d9-ad5f-4f5f-823a-b1d988093ec4"}`))
	_, err = c.ImportDocumentStatus(ctx, "bad")
	require.ErrorIs(t, err, ErrNotFound)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "400", e.Code)
	assert.Contains(t, e.Message, "Документ не найден")
	_, err = c.ImportDocumentStatus(ctx, "")
	require.ErrorIs(t, err, ErrValidation)
}

func shipmentImportStatusSeq(mt *httpmock.MockTransport, bodies ...string) *atomic.Int32 {
	var n atomic.Int32
	mt.RegisterResponder(http.MethodGet, base+"documents/import/status/"+shipmentImportID, func(r *http.Request) (*http.Response, error) {
		i := min(int(n.Add(1)), len(bodies)) - 1
		return httpmock.NewStringResponse(200, bodies[i]), nil
	})
	return &n
}

func TestWaitImport(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := shipmentMocked(t)
		polls := shipmentImportStatusSeq(mt, `{"status":"IN_PROGRESS"}`, `{"status":"IN_PROGRESS"}`, `{"status":"CHECKED_OK","documentType":"LP_ACCEPT_GOODS"}`)
		var seen []string
		start := time.Now()
		st, err := c.WaitImport(context.Background(), shipmentImportID, WithPollInterval(2*time.Second, 3*time.Second), WithProgress(func(s string) { seen = append(seen, s) }))
		require.NoError(t, err)
		assert.Equal(t, ImportStatusCheckedOK, st.Status)
		assert.Equal(t, []string{"IN_PROGRESS", "IN_PROGRESS", "CHECKED_OK"}, seen)
		assert.Equal(t, int32(3), polls.Load())
		assert.Equal(t, 5*time.Second, time.Since(start), "waits of 2 s and 3 s (the cap)")
	})
	synctest.Test(t, func(t *testing.T) {
		c, mt := shipmentMocked(t)
		shipmentImportStatusSeq(mt, `{"status":"IN_PROGRESS"}`, `{"status":"WAIT_ACCEPTANCE"}`)
		st, err := c.WaitImport(context.Background(), shipmentImportID)
		require.NoError(t, err, "a shipment waiting for the caller's acceptance ends the wait")
		assert.Equal(t, ImportStatusWaitAcceptance, st.Status)
	})
	synctest.Test(t, func(t *testing.T) {
		c, mt := shipmentMocked(t)
		shipmentImportStatusSeq(mt, `{"status":"CHECKED_NOT_OK","documentErrors":[{"errorCode":"03","errorDescription":"03: receiver_inn ."}]}`)
		st, err := c.WaitImport(context.Background(), shipmentImportID)
		require.ErrorIs(t, err, ErrShipmentRejected)
		var re *ShipmentRejectedError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "CHECKED_NOT_OK", re.Status)
		assert.Equal(t, []ShipmentError{{Code: "03", Message: "03: receiver_inn ."}}, re.Errors)
		assert.Equal(t, ImportStatusCheckedNotOK, st.Status)
	})
	synctest.Test(t, func(t *testing.T) {
		c, mt := shipmentMocked(t)
		shipmentImportStatusSeq(mt, `{"status":"IN_PROGRESS"}`)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(10*time.Second, cancel)
		start := time.Now()
		st, err := c.WaitImport(ctx, shipmentImportID)
		require.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), `last status "IN_PROGRESS"`)
		assert.Equal(t, ImportStatusInProgress, st.Status)
		assert.Equal(t, 10*time.Second, time.Since(start))
	})
}

// The API's error texts are kept byte for byte (D-18, D-19, D-23), as
// Error.Message keeps them: white space is the API's, not trimmed.
func TestShipmentErrorKeepsText(t *testing.T) {
	for body, want := range map[string]ShipmentError{
		`{"errorCode":"301","errorMessage":" "}`:                              {Code: "301", Message: " "},
		`{"errorCode":"307","errorMessage":" 123243252 shoes {SystemName} "}`: {Code: "307", Message: " 123243252 shoes {SystemName} "},
		`{"code":"0","message":"Документ провалидирован\n"}`:                  {Code: "0", Message: "Документ провалидирован\n"},
		`"307: ( / ) ( ) "`:                                              {Code: "307", Message: "307: ( / ) ( ) "},
		`" 303: leading space"`:                                          {Message: " 303: leading space"},
		`{"message":"","errorMessage":" two "}`:                          {Message: " two "},
		`{"errorCode":" 03 ","errorDescription":"\t03: receiver_inn ."}`: {Code: " 03 ", Message: "\t03: receiver_inn ."},
	} {
		var got ShipmentError
		require.NoError(t, json.Unmarshal([]byte(body), &got), body)
		assert.Equal(t, want, got, body)
	}
	// The same text as the transport's Error.Message keeps.
	_, msg := parseError(400, nil, []byte(`{"errorCode":"301","errorMessage":" "}`))
	assert.Equal(t, " ", msg)

	// Blank in place of the list (D-21 … D-23's error examples) is still no
	// list at all.
	var l shipmentErrorList
	require.NoError(t, json.Unmarshal([]byte(`" "`), &l))
	assert.Nil(t, l)
}

func TestShipmentErrorShapes(t *testing.T) {
	var l shipmentErrorList
	for body, want := range map[string][]ShipmentError{
		`null`:   nil,
		`""`:     nil,
		`" "`:    nil,
		`[]`:     {},
		`"boom"`: {{Message: "boom"}},
		`{"code":"0","message":"Документ провалидирован"}`:                 {{Code: "0", Message: "Документ провалидирован"}},
		`[{"error-code":12,"error-msg":"m"},{"description":"d"},"303: x"]`: {{Code: "12", Message: "m"}, {Message: "d"}, {Code: "303", Message: "303: x"}},
	} {
		l = nil
		require.NoError(t, json.Unmarshal([]byte(body), &l), body)
		assert.Equal(t, want, []ShipmentError(l), body)
	}
	require.Error(t, json.Unmarshal([]byte(`[[1]]`), &l))
	assert.Equal(t, "303: x", ShipmentError{Code: "303", Message: "303: x"}.String())
	assert.Equal(t, "303: x", ShipmentError{Code: "303", Message: "x"}.String())
	assert.Equal(t, "303", ShipmentError{Code: "303"}.String())
	assert.Equal(t, "x", ShipmentError{Message: "x"}.String())
	assert.True(t, ShipmentError{Code: " 0 "}.OK())
	assert.False(t, ShipmentError{Code: "00"}.OK())
	assert.Contains(t, (&ShipmentRejectedError{Op: "op", ID: "i", Status: "ERROR"}).Error(), "no error details")
	assert.True(t, ImportStatusWaitAcceptance.Done() && !ImportStatusInProgress.Done() && !ImportStatus("NEW").Done())
}
