package trueapi

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// creatingCall is one call that creates something on the server: how to
// make it, where it goes, its documented success answer and answers of
// another shape.
type creatingCall struct {
	name   string
	path   string // below the base URL
	status int    // of the documented success answer
	good   string // the documented success answer
	bad    []string
	check  string // a part of the Check its OutcomeUnknownError names
	call   func(ctx context.Context, c *Client) error
}

// maintenancePage is a 200 answer no creating call documents; it echoes
// the client's token, which must not show in the error.
const maintenancePage = "<html><head><title>Технические работы</title></head><body>Service temporarily unavailable (Bearer jwt-x)</body></html>"

func creatingCalls() []creatingCall {
	title := base64.StdEncoding.EncodeToString([]byte(edoTitleXML))
	return []creatingCall{
		{name: "D-13", path: pathIntroduceGoods, status: 200, good: " ",
			bad: []string{`{"documentId":"x"}`, `"17"`, "OK"}, check: "Client.DocumentInfo"},
		{name: "D-14", path: pathFormal, status: 200, good: `{"documentId":"4b0bdd1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b"}`,
			bad: []string{"", `{}`, `"two words"`, `{"documentId":null}`, "null"}, check: "Client.OutgoingDocuments"},
		{name: "D-16", path: pathThirdCountries, status: 200, good: "1234567",
			bad: []string{"", `{"n":1}`, "null", `"Сервис недоступен"`}, check: "Client.DocumentInfo"},
		{name: "D-17", path: pathWriteOff, status: 200, good: `"WO-17"`,
			bad: []string{"", `[1]`, "Service Unavailable"}, check: "Client.DocumentInfo"},
		{name: "D-9", path: "edo-api/incoming-documents/" + edoDocID + "/events/approve", status: 200, good: title,
			bad:   []string{"", base64.StdEncoding.EncodeToString([]byte("Service temporarily unavailable")), "not base64!"},
			check: "Client.IncomingTitle",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.CreateIncomingTitle(ctx, edoDocID, DecisionApprove)
				return err
			}},
		{name: "D-10", path: "edo-api/incoming-documents/" + edoDocID + "/events/approve/signature", status: 201, good: "",
			bad: []string{`{"status":"ok"}`, "OK"}, check: "Client.IncomingDocuments",
			call: func(ctx context.Context, c *Client) error {
				return c.SendIncomingTitleSignature(ctx, edoDocID, DecisionApprove, []byte{0x30, 0x82})
			}},
		{name: "D-11", path: "edo-api/outgoing-documents/" + edoDocID + "/events/withdraw", status: 200, good: title,
			bad: []string{"", "null"}, check: "Client.WithdrawalTitle",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.CreateWithdrawalTitle(ctx, edoDocID)
				return err
			}},
		{name: "D-12", path: "edo-api/outgoing-documents/" + edoDocID + "/events/signature", status: 201, good: "\n",
			bad: []string{`""`}, check: "Client.OutgoingDocuments",
			call: func(ctx context.Context, c *Client) error {
				return c.SendWithdrawalTitleSignature(ctx, edoDocID, []byte{0x30, 0x82})
			}},
		{name: "D-18", path: "edo-api/shipments", status: 200,
			good:  `{"shipmentId":"a851daa8-ca3e-48d1-8575-5a1186b8c2fc","errors":[{"code":"0","message":"Документ провалидирован"}]}`,
			bad:   []string{"", "null", `{}`, `{"errors":[]}`, `[{"shipmentId":"a"}]`},
			check: "documents/searchV2",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.SendShipment(ctx, shipmentSample())
				return err
			}},
		{name: "D-23", path: "documents/import/acceptancies", status: 200,
			good:  `{"acceptationId":"9abd3d41-7b1f-4a5e-9f0c-2d3e4f5a6b7c","errors":[]}`,
			bad:   []string{"", "null", `{}`, `"9abd3d41"`},
			check: "Client.ShipmentDocument",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.SendAcceptance(ctx, shipmentAcceptanceSample())
				return err
			}},
		{name: "B-1", path: "elk/crm-api/prequests", status: 200, good: `{"status":200,"response":17}`,
			bad: []string{"", "null", `{}`, `[{"status":200}]`}, check: "the mailbox",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.RequestInvoice(ctx, InvoiceRequest{ContractID: "600000749", Amount: 100, SendTo: "buh@example.kz"})
				return err
			}},
		{name: "K-1", path: "cises/my", status: 200, good: `{"uuid":"d496647b-5976-40c5-8c93-aebe829c94df"}`,
			bad: []string{"", "null", `{}`, `{"uuid":"two words"}`, `"d496647b"`}, check: "ordering again",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.OrderCises(ctx, CisesOrder{GTIN: "00000046229175"})
				return err
			}},
		// The document calls get their call below, once the client exists.
	}
}

// withDocumentCalls fills in the calls of the D-13 … D-17 entries.
func withDocumentCalls(c *Client, calls []creatingCall) []creatingCall {
	for i := range calls {
		if calls[i].call != nil {
			continue
		}
		var f func(context.Context, Document) (*SentDocument, error)
		var doc Document
		switch calls[i].path {
		case pathIntroduceGoods:
			f, doc = c.SendReintroductionNotice, goldenReintroductionNotice()
		case pathFormal:
			f, doc = c.SendEDODocument, specTransferAct()
		case pathThirdCountries:
			f, doc = c.SendThirdCountryImportNotice, goldenThirdCountryNotice()
		case pathWriteOff:
			f, doc = c.SendWriteOffNotice, goldenWriteOffNotice()
		}
		calls[i].call = func(ctx context.Context, _ *Client) error { _, err := f(ctx, doc); return err }
	}
	return calls
}

// Every call that creates something accepts only its documented success
// answer: a 2xx answer of any other shape (a maintenance page, null, an
// object without the id) is an *OutcomeUnknownError naming the check,
// whose *Error matches ErrDecode and keeps the answer, secrets masked;
// and the request went out once.
func TestCreatingCallsAcceptOnlyTheDocumentedAnswer(t *testing.T) {
	c, mt := sendClient(t)
	ctx := context.Background()
	for _, cc := range withDocumentCalls(c, creatingCalls()) {
		for _, answer := range append([]string{cc.good, maintenancePage}, cc.bad...) {
			var calls atomic.Int32
			mt.RegisterResponder(http.MethodPost, base+cc.path, func(*http.Request) (*http.Response, error) {
				calls.Add(1)
				return httpmock.NewStringResponse(cc.status, answer), nil
			})
			err := cc.call(ctx, c)
			assert.Equal(t, int32(1), calls.Load(), "%s %q: sent once", cc.name, answer)
			if answer == cc.good {
				require.NoError(t, err, "%s: the documented answer %q", cc.name, answer)
				continue
			}
			require.ErrorIs(t, err, ErrOutcomeUnknown, "%s %q", cc.name, answer)
			require.ErrorIs(t, err, ErrDecode, "%s %q", cc.name, answer)
			var oe *OutcomeUnknownError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "POST "+cc.path, oe.Op, cc.name)
			assert.Contains(t, oe.Check, cc.check, cc.name)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, cc.status, e.StatusCode)
			assert.Equal(t, strings.ReplaceAll(answer, "jwt-x", transport.Mask), string(e.Body), "%s: the answer is kept, the token masked", cc.name)
			assert.Contains(t, err.Error(), "not with the documented success answer", cc.name)
			assert.Contains(t, err.Error(), "check with", cc.name)
			assert.NotContains(t, err.Error(), "jwt-x", cc.name)
		}
	}
}

// A creating request answered with a redirect is not followed (the body
// would go to wherever the server says, or a 302 would turn it into a GET
// that "succeeds"): the call gives an *OutcomeUnknownError matching
// ErrRedirect, as the server saw the request, and exactly one request was
// made.
func TestCreatingCallsRedirect(t *testing.T) {
	c, mt := sendClient(t)
	ctx := context.Background()
	var followed atomic.Int32
	mt.RegisterResponder(http.MethodGet, base+"elsewhere", func(*http.Request) (*http.Response, error) {
		followed.Add(1)
		return httpmock.NewStringResponse(200, ""), nil
	})
	mt.RegisterResponder(http.MethodPost, base+"elsewhere", func(*http.Request) (*http.Response, error) {
		followed.Add(1)
		return httpmock.NewStringResponse(200, ""), nil
	})
	for _, cc := range withDocumentCalls(c, creatingCalls()) {
		for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
			var calls atomic.Int32
			mt.RegisterResponder(http.MethodPost, base+cc.path, func(*http.Request) (*http.Response, error) {
				calls.Add(1)
				resp := httpmock.NewStringResponse(status, "")
				resp.Header.Set("Location", base+"elsewhere")
				return resp, nil
			})
			err := cc.call(ctx, c)
			require.ErrorIs(t, err, ErrOutcomeUnknown, "%s %d", cc.name, status)
			require.ErrorIs(t, err, ErrRedirect, "%s %d", cc.name, status)
			var oe *OutcomeUnknownError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "POST "+cc.path, oe.Op)
			assert.Contains(t, oe.Check, cc.check, cc.name)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, status, e.StatusCode)
			assert.Equal(t, base+"elsewhere", e.Location)
			assert.Contains(t, err.Error(), "redirect", cc.name)
			assert.Equal(t, int32(1), calls.Load(), "%s %d: one request", cc.name, status)
		}
	}
	assert.Zero(t, followed.Load(), "no redirect was followed")
}

// The mapping itself, whatever the transport: an *Error the transport
// marks as possibly delivered, or one matching ErrRedirect, is an
// *OutcomeUnknownError; an answer the server refused is not.
func TestOutcomeUnknownMapping(t *testing.T) {
	req := &transport.Request{Method: http.MethodPost, Path: "documents/writeOff"}
	for _, err := range []error{
		&Error{MaybeDelivered: true},
		errors.Join(&Error{StatusCode: 307}, ErrRedirect),
	} {
		got := outcomeUnknown(req, "the check", err)
		var oe *OutcomeUnknownError
		require.ErrorAs(t, got, &oe, "%v", err)
		assert.Equal(t, "POST documents/writeOff", oe.Op)
		assert.Equal(t, "the check", oe.Check)
		assert.Same(t, err, oe.Err)
	}
	for _, err := range []error{&Error{StatusCode: 422}, context.Canceled, errors.New("x")} {
		assert.Same(t, err, outcomeUnknown(req, "the check", err))
	}
}

// JSON null is not a list: every call whose answer is documented as a
// list, or as an object holding one, refuses null (for the answer, or for
// its list member) with an *Error matching ErrDecode that keeps the body,
// instead of an empty result.
func TestNullIsNotAList(t *testing.T) {
	c, mt := sendClient(t)
	ctx := context.Background()
	codes := []string{"0104600439931256215,PJ2bqSe5dx"}
	for _, tc := range []struct {
		name, method, path string
		answers            []string
		call               func() error
	}{
		{"B-3", http.MethodGet, "elk/product-groups/balance/all", []string{"null", " null\n", ""},
			func() error { _, err := c.Balances(ctx); return err }},
		{"K-5", http.MethodPost, "cises/info", []string{"null"},
			func() error { _, err := c.CisesInfo(ctx, codes); return err }},
		{"K-8", http.MethodPost, "cises/list", []string{"null"},
			func() error { _, err := c.CisesList(ctx, codes); return err }},
		{"K-10", http.MethodGet, "cises/history", []string{"null"},
			func() error { _, err := c.CisHistory(ctx, codes[0]); return err }},
		{"K-6", http.MethodPost, "cises/aggregated/list", []string{"null", "[]"},
			func() error {
				_, err := c.AggregatedList(ctx, AggregatedQuery{ProductGroup: GroupTobacco, Codes: codes})
				return err
			}},
		{"K-7", http.MethodGet, "cises/aggregated/list", []string{"null"},
			func() error {
				_, err := c.AggregatedListByQuery(ctx, AggregatedQuery{ProductGroup: GroupTobacco, Codes: codes})
				return err
			}},
		{"P-1", http.MethodGet, "product/gtin", []string{"null", `{"gtins":null,"total":0}`, `{"total":0}`},
			func() error { _, err := c.GTINsPage(ctx, GroupTobacco, 0, 10); return err }},
		{"P-3", http.MethodPost, "product/route/gtin", []string{"null"},
			func() error { _, err := c.GTINProductGroups(ctx, []string{"04630034070029"}); return err }},
		{"D-1", http.MethodGet, "edo-api/outgoing-documents", []string{"null", `{"count":0,"items":null}`},
			func() error { _, err := c.OutgoingDocumentsPage(ctx, EDOFilter{}, 0); return err }},
		{"D-2", http.MethodGet, "edo-api/incoming-documents", []string{"null"},
			func() error { _, err := c.IncomingDocumentsPage(ctx, EDOFilter{}, 0); return err }},
		{"D-5", http.MethodGet, "edo-api/documents/info/" + edoDocID, []string{"null"},
			func() error { _, err := c.EDODocumentInfo(ctx, edoDocID); return err }},
		{"D-6", http.MethodPost, "documents/search", []string{"null", "", `{"documentsList":null}`},
			func() error {
				_, err := c.SearchDocumentsPage(ctx, DocumentSearch{DateFrom: time.Date(2021, 11, 19, 0, 0, 0, 0, time.UTC)}, 0)
				return err
			}},
		{"D-21", http.MethodPost, "documents/searchV2", []string{"null", `{"documents":null}`},
			func() error {
				_, err := c.SearchDocumentsV2Page(ctx, DocumentSearchV2{DocumentType: "EAS_CROSSBORDER"}, 0)
				return err
			}},
		{"D-25", http.MethodGet, "doc/listV2", []string{"null", `{"results":null,"total":0}`},
			func() error { _, err := c.DocListV2Page(ctx, DocListFilter{}, DocListCursor{}); return err }},
		{"D-27", http.MethodGet, "receipt/listV2", []string{"null", `{"results":null}`},
			func() error { _, err := c.ReceiptListV2Page(ctx, DocListFilter{}, DocListCursor{}); return err }},
		{"K-9", http.MethodGet, "cises/listV2", []string{"null", `{"results":null,"total":0}`},
			func() error { _, err := c.CisesListV2Page(ctx, ListFilter{}, ListCursor{}); return err }},
		{"P-4", http.MethodGet, "products/listV2", []string{"null", `{"results":null}`},
			func() error { _, err := c.ProductsListV2Page(ctx, ListFilter{}, ListCursor{}); return err }},
	} {
		for _, answer := range tc.answers {
			mt.RegisterResponder(tc.method, base+tc.path, httpmock.NewStringResponder(200, answer))
			err := tc.call()
			require.ErrorIs(t, err, ErrDecode, "%s %q", tc.name, answer)
			var e *Error
			require.ErrorAs(t, err, &e, "%s %q", tc.name, answer)
			assert.Equal(t, 200, e.StatusCode)
			assert.Equal(t, answer, string(e.Body), "%s: the body is kept", tc.name)
		}
	}

	// An empty list is [] and stays an empty result.
	mt.RegisterResponder(http.MethodGet, base+"elk/product-groups/balance/all", httpmock.NewStringResponder(200, "[]"))
	got, err := c.Balances(ctx)
	require.NoError(t, err)
	assert.Empty(t, got)
	mt.RegisterResponder(http.MethodGet, base+"cises/listV2", httpmock.NewStringResponder(200, `{"results":[],"total":0}`))
	page, err := c.CisesListV2Page(ctx, ListFilter{}, ListCursor{})
	require.NoError(t, err)
	assert.Empty(t, page.Results)
}
