package trueapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The documentation's D-26 and D-27 examples, with the ids the export shortened
// ("528157d1-…") written out.
const (
	docListNumber    = "528157d1-3dbd-43ce-9585-d53bde2bd305"
	docListD27Answer = `{"results":[{"number":"` + docListNumber + `","docDate":"2021-08-24T05:00:47.000Z","receivedAt":"2021-08-24T05:32:11.123Z",
		"type":"KZ_UPD","status":"CHECKED_NOT_OK","senderName":"*****","receiverName":"*****","total":0,"downloadStatus":"CHECKED_NOT_OK",
		"downloadDesc":"00000462008779MwcqeS 4","input":false,"pdfFile":"","errors":["00000462008779MwcqeS 4"]}],"total":1}`
	docListD26Answer = `{"number":"` + docListNumber + `","docDate":"2021-08-24T05:00:47.000Z","receivedAt":"2021-08-24T05:32:11.123Z",
		"type":"KZ_UPD","status":"CHECKED_NOT_OK","senderName":"*****","receiverName":"*****","invoiceNumber":"` + docListNumber + `","total":0,"vat":0,
		"content":"<?xml version='1.0' encoding='UTF-8'?>\n<file version='1.0' fileId='EEU_ACT_a5db7e5d-0c1d-4e2f-8a9b-1c2d3e4f5a6b'>\n\t<document/>\n</file>",
		"senderBin":"*****","receiverBin":"*****"}`
)

func TestDocListV2PageQuery(t *testing.T) {
	c, mt := edoMocked(t)
	var rec edoRecorder
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("doc/listV2"), rec.reply(200, docListD27Answer))
	in := true
	almaty := time.FixedZone("Almaty", 5*3600)
	p, err := c.DocListV2Page(context.Background(), DocListFilter{
		DateFrom: time.Date(2021, 8, 24, 10, 0, 0, 0, almaty), DateTo: time.Date(2021, 8, 25, 10, 0, 0, 5e6, almaty),
		DocumentStatus: DocStatusCheckedNotOK, DocumentTypes: []DocumentType{DocAcceptanceAct, DocWriteOff}, Input: &in,
		Number: "a&b", ParticipantBIN: "000740000861", DocumentFormat: DocFormatManual, ProductGroup: GroupTobacco,
		Order: SortDesc, Limit: 50,
	}, DocListCursor{})
	require.NoError(t, err)
	seen := rec.all()
	require.Len(t, seen, 1)
	assert.Equal(t, edoSeen{http.MethodGet, edoPrefix + "doc/listV2",
		"dateFrom=2021-08-24T05%3A00%3A00.000Z&dateTo=2021-08-25T05%3A00%3A00.005Z&documentFormat=MANUAL&documentStatus=CHECKED_NOT_OK" +
			"&documentType=KZ_UPD&documentType=WRITE_OFF&inputFormat=true&limit=50&number=a%26b&order=DESC&orderColumn=receivedAt" +
			"&participantBin=000740000861&pg=tobacco",
		"Bearer jwt-x", "", ""}, seen[0], "UTC dates with milliseconds, repeated documentType, the sort column, no cursor on the first page")

	assert.Equal(t, 1, p.Total)
	require.Len(t, p.Results, 1)
	assert.False(t, p.More, "1 record of 50")
	assert.Equal(t, DocListCursor{PageNext, docListNumber, "2021-08-24T05:32:11.123Z"}, p.Next)
	assert.Equal(t, DocListCursor{PagePrev, docListNumber, "2021-08-24T05:32:11.123Z"}, p.Prev)
}

func TestReceiptListV2D27Example(t *testing.T) {
	c, mt := edoMocked(t)
	var rec edoRecorder
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("receipt/listV2"), rec.reply(200, docListD27Answer))
	p, err := c.ReceiptListV2Page(context.Background(), DocListFilter{}, DocListCursor{})
	require.NoError(t, err)
	seen := rec.all()
	require.Len(t, seen, 1)
	assert.Equal(t, edoPrefix+"receipt/listV2", seen[0].Path)
	assert.Equal(t, "orderColumn=receivedAt", seen[0].RawQuery, "no limit, so no pg is needed")
	require.Len(t, p.Results, 1)
	r := p.Results[0]
	assert.Equal(t, docListNumber, r.Number)
	assert.Equal(t, time.Date(2021, 8, 24, 5, 0, 47, 0, time.UTC), r.DocDate)
	assert.Equal(t, time.Date(2021, 8, 24, 5, 32, 11, 123e6, time.UTC), r.ReceivedAt)
	assert.Equal(t, "2021-08-24T05:32:11.123Z", r.ReceivedAtRaw)
	assert.Equal(t, DocAcceptanceAct, r.Type)
	assert.Equal(t, DocStatusCheckedNotOK, r.Status)
	assert.Equal(t, "*****", r.SenderName)
	assert.Equal(t, "*****", r.ReceiverName)
	assert.Zero(t, r.Total)
	assert.Equal(t, DocStatusCheckedNotOK, r.DownloadStatus)
	assert.Equal(t, "00000462008779MwcqeS 4", r.DownloadDesc)
	require.NotNil(t, r.Input)
	assert.False(t, *r.Input)
	assert.Equal(t, []string{"00000462008779MwcqeS 4"}, r.Errors)
	assert.Nil(t, r.Extra, "every member of the example has a field")
	assert.Equal(t, 1, p.Total)
	assert.True(t, p.More, "without a limit, a page that is not empty may be followed by more")
}

func TestDocListV2Iterator(t *testing.T) {
	c, mt := edoMocked(t)
	var rec edoRecorder
	record := func(i int) string {
		return `{"number":"n` + strconv.Itoa(i) + `","receivedAt":"2021-08-24T05:32:1` + strconv.Itoa(i) + `Z","type":"KZ_UPD","status":"CHECKED_OK"}`
	}
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("doc/listV2"), func(r *http.Request) (*http.Response, error) {
		rec.record(r)
		from := 0
		if did := r.URL.Query().Get("did"); did != "" {
			from, _ = strconv.Atoi(strings.TrimPrefix(did, "n"))
			from++
		}
		var recs []string
		for i := from; i < min(from+2, 5); i++ {
			recs = append(recs, record(i))
		}
		return httpmock.NewStringResponse(200, `{"results":[`+strings.Join(recs, ",")+`],"total":5}`), nil
	})
	var numbers []string
	for d, err := range c.DocListV2(context.Background(), DocListFilter{ProductGroup: GroupMilk, Limit: 2}) {
		require.NoError(t, err)
		numbers = append(numbers, d.Number)
	}
	assert.Equal(t, []string{"n0", "n1", "n2", "n3", "n4"}, numbers)
	var queries []string
	for _, s := range rec.all() {
		queries = append(queries, s.RawQuery)
	}
	assert.Equal(t, []string{
		"limit=2&orderColumn=receivedAt&pg=milk",
		"did=n1&limit=2&orderColumn=receivedAt&orderedColumnValue=2021-08-24T05%3A32%3A11Z&pageDir=NEXT&pg=milk",
		"did=n3&limit=2&orderColumn=receivedAt&orderedColumnValue=2021-08-24T05%3A32%3A13Z&pageDir=NEXT&pg=milk",
	}, queries, "did and receivedAt of the last record as received; stops after the short page")

	// A page read backwards from a cursor.
	_, err := c.DocListV2Page(context.Background(), DocListFilter{}, DocListCursor{Dir: PagePrev, DID: "n3", OrderedColumnValue: "x"})
	require.NoError(t, err)
	assert.Equal(t, "did=n3&orderColumn=receivedAt&orderedColumnValue=x&pageDir=PREV", rec.all()[3].RawQuery)
}

// Without a limit the server's page size is not relied on: the walk goes
// on until an empty page (here the D-25 screenshot's bare array).
func TestReceiptListV2WithoutLimit(t *testing.T) {
	c, mt := edoMocked(t)
	var calls atomic.Int32
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("receipt/listV2"), func(r *http.Request) (*http.Response, error) {
		assert.Empty(t, r.URL.Query().Get("limit"))
		switch calls.Add(1) {
		case 1:
			return httpmock.NewStringResponse(200, `[{"number":"r1","receivedAt":"2021-08-24T05:32:11.123Z"},{"number":"r2","receivedAt":"2021-08-24T05:32:12.123Z"}]`), nil
		case 2:
			assert.Equal(t, "r2", r.URL.Query().Get("did"))
			return httpmock.NewStringResponse(200, `{"results":[{"number":"r3","receivedAt":"2021-08-24T05:32:13Z"}],"total":3}`), nil
		}
		return httpmock.NewStringResponse(200, `{"results":[],"total":3}`), nil
	})
	n := 0
	for _, err := range c.ReceiptListV2(context.Background(), DocListFilter{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 3, n)
	assert.Equal(t, int32(3), calls.Load())

	// A full page whose last record cannot be read on from is an error.
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("receipt/listV2"), httpmock.NewStringResponder(200, `{"results":[{"number":"r1"}]}`))
	for _, err := range c.ReceiptListV2(context.Background(), DocListFilter{}) {
		require.ErrorIs(t, err, ErrDecode)
	}
}

func TestDocListValidation(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	day := time.Date(2021, 8, 24, 0, 0, 0, 0, time.UTC)
	for field, tc := range map[string]struct {
		f   DocListFilter
		cur DocListCursor
	}{
		"limit":    {DocListFilter{Limit: MaxListLimit + 1, ProductGroup: GroupShoes}, DocListCursor{}},
		"order":    {DocListFilter{Order: "asc"}, DocListCursor{}},
		"dateFrom": {DocListFilter{DateFrom: day, DateTo: day.Add(-time.Hour)}, DocListCursor{}},
		"did":      {DocListFilter{}, DocListCursor{OrderedColumnValue: "x"}},
		"pageDir":  {DocListFilter{}, DocListCursor{Dir: "UP", DID: "n1", OrderedColumnValue: "x"}},
	} {
		_, err := c.DocListV2Page(ctx, tc.f, tc.cur)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, field, ve.Field)
		_, err = c.ReceiptListV2Page(ctx, tc.f, tc.cur)
		require.ErrorAs(t, err, &ve, field)
	}
	// pg with a limit is D-27's rule only (see TestDocListPGWithLimit).
	_, err := c.ReceiptListV2Page(ctx, DocListFilter{Limit: 10}, DocListCursor{})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "pg", ve.Field)
	for _, err := range c.ReceiptListV2(ctx, DocListFilter{Limit: 100}) {
		require.ErrorIs(t, err, ErrValidation)
	}
	_, err = c.DocumentInfo(ctx, "")
	require.ErrorIs(t, err, ErrValidation)
	_, err = c.WaitDocument(ctx, " ")
	require.ErrorIs(t, err, ErrValidation)
	_, err = c.ReceiptInfo(ctx, "", "")
	require.ErrorIs(t, err, ErrValidation)
	assert.Zero(t, mt.GetTotalCallCount(), "no request for bad input")
}

func TestDocumentInfoD26Example(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	var rec edoRecorder
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("documents/"+docListNumber+"/info"), rec.reply(200, docListD26Answer))
	d, err := c.DocumentInfo(ctx, docListNumber)
	require.NoError(t, err)
	assert.Equal(t, []edoSeen{{http.MethodGet, edoPrefix + "documents/" + docListNumber + "/info", "", "Bearer jwt-x", "", ""}}, rec.all(),
		"the documentation's stage URL; the token is sent although the table lists none")
	assert.Equal(t, docListNumber, d.Number)
	assert.Equal(t, docListNumber, d.InvoiceNumber)
	assert.Equal(t, DocAcceptanceAct, d.Type)
	assert.Equal(t, DocStatusCheckedNotOK, d.Status)
	assert.Equal(t, "*****", d.SenderBIN)
	assert.Equal(t, "*****", d.ReceiverBIN)
	assert.Zero(t, d.VAT)
	assert.True(t, strings.HasPrefix(d.Content, "<?xml version='1.0' encoding='UTF-8'?>\n<file"), "content with its line breaks")
	assert.Nil(t, d.Body, "the example has no body")
	assert.Nil(t, d.Extra)

	// The screenshot's LP_ACCEPT_GOODS with a body, sendName, the
	// errorMessagees typo, sender objects and amounts as strings.
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("documents/x%20y/info"), httpmock.NewStringResponder(200,
		`{"number":"x y","type":"LP_ACCEPT_GOODS","status":"CHECKED_OK","sendName":"S","total":"12500","vat":1500,
		  "body":{"participantId":"60000249","productGroupCode":2,"signInn":"123"},"errorMessagees":[{"reason":["ciss"],"count":1,"tpe":"ReasonErrorData"}],
		  "sender":{"name":"N","address":"A","bin":"000740000861","kpp":""},"receiver":"R","errors":"one","unknown":[1]}`))
	d, err = c.DocumentInfo(ctx, "x y")
	require.NoError(t, err)
	assert.Equal(t, "S", d.SenderName)
	assert.Equal(t, int64(12500), d.Total, "tiyn, from a string")
	assert.Equal(t, int64(1500), d.VAT)
	assert.JSONEq(t, `{"participantId":"60000249","productGroupCode":2,"signInn":"123"}`, string(d.Body))
	assert.JSONEq(t, `[{"reason":["ciss"],"count":1,"tpe":"ReasonErrorData"}]`, string(d.ErrorMessages))
	assert.Equal(t, &DocumentParty{Name: "N", Address: "A", BIN: "000740000861"}, d.Sender)
	assert.Equal(t, &DocumentParty{Name: "R"}, d.Receiver)
	assert.Equal(t, []string{"one"}, d.Errors)
	assert.JSONEq(t, `[1]`, string(d.Extra["unknown"]))

	mt.RegisterRegexpResponder(http.MethodGet, edoURL("documents/nope/info"),
		httpmock.NewStringResponder(404, `{"error_message":"Документ с указанным идентификатором не найден"}`))
	_, err = c.DocumentInfo(ctx, "nope")
	require.ErrorIs(t, err, ErrNotFound)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Документ с указанным идентификатором не найден", e.Message)
}

func TestWaitDocument(t *testing.T) {
	c, mt := edoMocked(t)
	var calls atomic.Int32
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("documents/d1/info"), func(*http.Request) (*http.Response, error) {
		switch calls.Add(1) {
		case 1:
			return httpmock.NewStringResponse(404, `{"error_message":"Документ с указанным идентификатором не найден"}`), nil
		case 2:
			return httpmock.NewStringResponse(200, `{"number":"d1","status":"IN_PROGRESS"}`), nil
		case 3:
			return httpmock.NewStringResponse(200, `{"number":"d1","status":"UNDEFINED"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"number":"d1","status":"CHECKED_OK","type":"WRITE_OFF"}`), nil
	})
	var progress []string
	d, err := c.WaitDocument(context.Background(), "d1", WithPollInterval(time.Millisecond, time.Millisecond),
		WithProgress(func(s string) { progress = append(progress, s) }))
	require.NoError(t, err)
	assert.Equal(t, DocStatusCheckedOK, d.Status)
	assert.Equal(t, DocWriteOff, d.Type)
	assert.Equal(t, []string{"NOT_FOUND", "IN_PROGRESS", "UNDEFINED", "CHECKED_OK"}, progress)
}

func TestWaitDocumentFailed(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	fast := WithPollInterval(time.Millisecond, time.Millisecond)
	var calls atomic.Int32
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("documents/d2/info"), func(*http.Request) (*http.Response, error) {
		if calls.Add(1) == 1 {
			return httpmock.NewStringResponse(200, `{"number":"d2","status":"IN_PROGRESS"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"number":"d2","status":"CHECKED_NOT_OK","errors":["00000462008779MwcqeS 4"],
			"errorMessage":"code: 4 error: DocumentValidationError"}`), nil
	})
	d, err := c.WaitDocument(ctx, "d2", fast)
	require.ErrorIs(t, err, ErrDocumentFailed)
	var fe *DocumentFailedError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "d2", fe.ID)
	assert.Equal(t, DocStatusCheckedNotOK, fe.Status)
	assert.Equal(t, []string{"00000462008779MwcqeS 4"}, fe.Errors)
	assert.Equal(t, "code: 4 error: DocumentValidationError", fe.ErrorMessage)
	assert.Same(t, d, fe.Info)
	assert.Equal(t, "trueapi: document d2 ended with status CHECKED_NOT_OK: code: 4 error: DocumentValidationError; 00000462008779MwcqeS 4", err.Error())

	// PROCESSING_ERROR read from downloadStatus when status is empty.
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("documents/d3/info"), httpmock.NewStringResponder(200,
		`{"number":"d3","downloadStatus":"PROCESSING_ERROR","downloadDesc":"broken"}`))
	_, err = c.WaitDocument(ctx, "d3", fast)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, DocStatusProcessingError, fe.Status)
	assert.Contains(t, err.Error(), "broken")

	// Other errors end the wait as they are; so does the context.
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("documents/d4/info"), httpmock.NewStringResponder(403, `{"error_message":"Отсутствует доступ к ресурсу"}`))
	_, err = c.WaitDocument(ctx, "d4", fast)
	require.ErrorIs(t, err, ErrForbidden)
	assert.NotErrorIs(t, err, ErrDocumentFailed)
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("documents/d5/info"), httpmock.NewStringResponder(200, `{"number":"d5","status":"IN_PROGRESS"}`))
	// On a synctest bubble's clock the first status is always read before
	// the deadline, however loaded the machine.
	synctest.Test(t, func(t *testing.T) {
		short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		_, err := c.WaitDocument(short, "d5", fast)
		require.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
		assert.Contains(t, err.Error(), `last status "IN_PROGRESS"`)
	})
}

func TestReceiptInfo(t *testing.T) {
	c, mt := edoMocked(t)
	ctx := context.Background()
	var rec edoRecorder
	// The screenshot: the fields flattened at the top level, numbers as
	// strings.
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("receipt/12345/info"), rec.reply(200,
		`{"documentId":"12345","documentDate":"2021-08-24T05:00:47.000Z","receivedAt":"2021-08-24T05:32:11Z","type":"RECEIPT","status":"CHECKED_OK",
		  "senderBin":"000740000861","senderName":"S","userInn":"810716401076","fiscalDocumentNumber":"111019454","shiftNumber":"139","operationType":"1",
		  "kktRegId":"010101012345","products":[{"id":"p1","name":" ","gtin":"04600439931256","price":"1","count":1,"packageType":"pack","sum":"1",
		  "nds":"0","percentage":"0","producerId":"000740000861","cis":"010460043993125621abc","valid":true,"extra":"x"}]}`))
	r, err := c.ReceiptInfo(ctx, "12345", GroupTobacco)
	require.NoError(t, err)
	assert.Equal(t, []edoSeen{{http.MethodGet, edoPrefix + "receipt/12345/info", "pg=tobacco", "Bearer jwt-x", "", ""}}, rec.all())
	assert.Equal(t, "12345", r.DocumentID)
	assert.Equal(t, time.Date(2021, 8, 24, 5, 0, 47, 0, time.UTC), r.DocumentDate)
	assert.Equal(t, time.Date(2021, 8, 24, 5, 32, 11, 0, time.UTC), r.ReceivedAt)
	assert.Equal(t, DocReceipt, r.Type)
	assert.Equal(t, DocStatusCheckedOK, r.Status)
	assert.Equal(t, "810716401076", r.UserINN)
	assert.Equal(t, int64(111019454), r.FiscalDocumentNumber)
	assert.Equal(t, int64(139), r.ShiftNumber)
	assert.Equal(t, ReceiptSale, r.OperationType)
	assert.Equal(t, "010101012345", r.KKTRegID)
	require.Len(t, r.Products, 1)
	p := r.Products[0]
	assert.Equal(t, "010460043993125621abc", p.Cis)
	assert.Equal(t, "pack", p.PackageType)
	assert.True(t, decimal.NewFromInt(1).Equal(p.Price))
	assert.True(t, decimal.NewFromInt(1).Equal(p.Count))
	assert.True(t, p.NDS.IsZero())
	require.NotNil(t, p.Valid)
	assert.True(t, *p.Valid)
	assert.JSONEq(t, `"x"`, string(p.Extra["extra"]))
	assert.Nil(t, r.Body)
	assert.Nil(t, r.Extra)

	// The table: the fields under body; the top level wins where both have one.
	mt.RegisterRegexpResponder(http.MethodGet, edoURL("receipt/r%232/info"), httpmock.NewStringResponder(200,
		`{"documentId":"r#2","status":"CHECKED_OK","body":{"documentId":"other","type":"RECEIPT_RETURN","operationType":2,"fiscalDocumentNumber":7,
		  "products":[{"price":150.5,"count":2,"sum":301}],"bodyOnly":true}}`))
	r, err = c.ReceiptInfo(ctx, "r#2", "")
	require.NoError(t, err)
	assert.Equal(t, "r#2", r.DocumentID)
	assert.Equal(t, DocReceiptReturn, r.Type)
	assert.Equal(t, ReceiptRefund, r.OperationType)
	assert.Equal(t, int64(7), r.FiscalDocumentNumber)
	require.Len(t, r.Products, 1)
	assert.True(t, decimal.RequireFromString("150.5").Equal(r.Products[0].Price))
	assert.Contains(t, string(r.Body), `"bodyOnly":true`)
	assert.JSONEq(t, `true`, string(r.Extra["bodyOnly"]))

	mt.RegisterRegexpResponder(http.MethodGet, edoURL("receipt/theirs/info"), httpmock.NewStringResponder(403,
		`{"error_message":"Чек с идентификатором 0f4c1f7e-5b1a-4d6e-9c1b-1a2b3c4d5e6f принадлежит другому владельцу"}`))
	_, err = c.ReceiptInfo(ctx, "theirs", "")
	require.ErrorIs(t, err, ErrForbidden)
}

// "pg with limit" is D-27's rule (its pg row); D-25 has no pg row and its
// example request sends limit=5 without pg, so doc/listV2 sends a limit
// alone, while receipt/listV2 refuses it before any request.
func TestDocListPGWithLimit(t *testing.T) {
	c, mt, _ := newMocked(t)
	ctx := context.Background()
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"doc/listV2", rec.responder(200, `{"results":[],"total":0}`))
	mt.RegisterResponder(http.MethodGet, base+"receipt/listV2", rec.responder(200, `{"results":[],"total":0}`))

	_, err := c.DocListV2Page(ctx, DocListFilter{Limit: 5}, DocListCursor{})
	require.NoError(t, err)
	for _, err := range c.DocListV2(ctx, DocListFilter{Limit: 5}) {
		require.NoError(t, err)
	}
	_, err = c.ReceiptListV2Page(ctx, DocListFilter{Limit: 5}, DocListCursor{})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "pg", ve.Field)
	_, err = c.ReceiptListV2Page(ctx, DocListFilter{Limit: 5, ProductGroup: GroupTobacco}, DocListCursor{})
	require.NoError(t, err)
	_, err = c.DocListV2Page(ctx, DocListFilter{Limit: 5, ProductGroup: GroupMilk}, DocListCursor{})
	require.NoError(t, err)

	assert.Equal(t, []listingReq{
		{http.MethodGet, "/api/v3/true-api/doc/listV2", "limit=5&orderColumn=receivedAt", "Bearer jwt-1"},
		{http.MethodGet, "/api/v3/true-api/doc/listV2", "limit=5&orderColumn=receivedAt", "Bearer jwt-1"},
		{http.MethodGet, "/api/v3/true-api/receipt/listV2", "limit=5&orderColumn=receivedAt&pg=tobacco", "Bearer jwt-1"},
		{http.MethodGet, "/api/v3/true-api/doc/listV2", "limit=5&orderColumn=receivedAt&pg=milk", "Bearer jwt-1"},
	}, rec.all(), "pg is sent where it is given, required only by receipt/listV2")
}

// docDate, which D-25's example request sends, is exposed and sent in UTC
// in the documented date-time layout; a cursor may be did alone, and a
// cursor without a direction sends none (NEXT is the server's default).
func TestDocListDocDateAndDIDCursor(t *testing.T) {
	c, mt, _ := newMocked(t)
	ctx := context.Background()
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"doc/listV2", rec.responder(200, `{"results":[],"total":0}`))
	almaty := time.FixedZone("Almaty", 5*3600)
	_, err := c.DocListV2Page(ctx, DocListFilter{DocDate: time.Date(2021, 9, 10, 5, 0, 0, 0, almaty)}, DocListCursor{DID: "n&1"})
	require.NoError(t, err)
	_, err = c.DocListV2Page(ctx, DocListFilter{}, DocListCursor{Dir: PagePrev, DID: "n1"})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"did=n%261&docDate=2021-09-10T00%3A00%3A00.000Z&orderColumn=receivedAt",
		"did=n1&orderColumn=receivedAt&pageDir=PREV",
	}, queriesOf(rec.all()))
}
