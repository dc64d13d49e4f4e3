package trueapi

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestInvoice(t *testing.T) {
	c, mt := shipmentMocked(t)
	ctx := context.Background()
	var body string
	reply := `{"status": 200}` // the documentation's example: a number, no response
	mt.RegisterResponder(http.MethodPost, base+"elk/crm-api/prequests", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "/api/v3/true-api/elk/crm-api/prequests", r.URL.Path)
		assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		return httpmock.NewStringResponse(200, reply), nil
	})
	res, err := c.RequestInvoice(ctx, InvoiceRequest{ContractID: "600000749", Amount: 12345678901, SendTo: "buh@example.kz"})
	require.NoError(t, err)
	assert.Equal(t, `{"contractId":"600000749","amount":"123456789.01","sendto":"buh@example.kz"}`, body, "amount a string in tenge, exact")
	assert.Equal(t, &InvoiceResult{Status: "200"}, res)

	reply = `{"status":"200","response":987654321012345678}`
	res, err = c.RequestInvoice(ctx, InvoiceRequest{ContractID: "600000749", Amount: 15_000_000, SendTo: "buh@example.kz"})
	require.NoError(t, err)
	assert.Equal(t, `{"contractId":"600000749","amount":"150000","sendto":"buh@example.kz"}`, body)
	assert.Equal(t, &InvoiceResult{Status: "200", InvoiceID: "987654321012345678"}, res, "the id's digits kept")

	_, err = c.RequestInvoice(ctx, InvoiceRequest{ContractID: "1", Amount: 12340, SendTo: "a@b.kz"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"contractId":"1","amount":"123.4","sendto":"a@b.kz"}`, body)

	// A 2xx answer without the required status: an invoice may have been
	// made, so the outcome is unknown, and the answer is kept.
	for _, reply = range []string{``, `null`, `{}`, `{"response":5}`, `"OK"`, `<html><body>Технические работы</body></html>`} {
		res, err = c.RequestInvoice(ctx, InvoiceRequest{ContractID: "1", Amount: 1, SendTo: "a@b.kz"})
		require.ErrorIs(t, err, ErrOutcomeUnknown, "%q", reply)
		require.ErrorIs(t, err, ErrDecode, "%q", reply)
		assert.Nil(t, res)
		var oe *OutcomeUnknownError
		require.ErrorAs(t, err, &oe)
		assert.Equal(t, "POST elk/crm-api/prequests", oe.Op)
		assert.Contains(t, oe.Check, "a@b.kz")
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, reply, string(e.Body), "the answer is kept")
	}
	assert.JSONEq(t, `{"contractId":"1","amount":"0.01","sendto":"a@b.kz"}`, body)

	// Failures reported in a 200.
	for _, reply = range []string{`{"status":500,"error_message":"Лицевой счёт не найден"}`, `{"status":"400"}`, `{"status":"OK","error_message":"x"}`} {
		res, err = c.RequestInvoice(ctx, InvoiceRequest{ContractID: "1", Amount: 100, SendTo: "a@b.kz"})
		require.ErrorIs(t, err, ErrInvoiceRefused, reply)
		require.NotNil(t, res, reply)
		var ie *InvoiceRefusedError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, res.Status, ie.Status)
		assert.Equal(t, res.ErrorMessage, ie.Message)
	}
	assert.Contains(t, err.Error(), `status "OK"`)
	reply = `[1]`
	_, err = c.RequestInvoice(ctx, InvoiceRequest{ContractID: "1", Amount: 100, SendTo: "a@b.kz"})
	require.ErrorIs(t, err, ErrDecode)

	before := mt.GetTotalCallCount()
	for field, r := range map[string]InvoiceRequest{
		"contractId": {Amount: 100, SendTo: "a@b.kz"},
		"amount":     {ContractID: "1", Amount: 0, SendTo: "a@b.kz"},
		"sendto":     {ContractID: "1", Amount: 100, SendTo: "Бухгалтерия <a@b.kz>"},
	} {
		_, err := c.RequestInvoice(ctx, r)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, field, ve.Field)
	}
	_, err = c.RequestInvoice(ctx, InvoiceRequest{ContractID: "1", Amount: -5, SendTo: "not-an-email"})
	require.ErrorIs(t, err, ErrValidation)
	assert.Equal(t, before, mt.GetTotalCallCount(), "no request for bad input")
}

// The invoice request creates an invoice e-mail: a dropped connection is
// not retried.
func TestRequestInvoiceOutcomeUnknown(t *testing.T) {
	c, mt := shipmentMocked(t)
	var sent atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"elk/crm-api/prequests", func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("connection reset by peer")
	})
	_, err := c.RequestInvoice(context.Background(), InvoiceRequest{ContractID: "1", Amount: 100, SendTo: "buh@example.kz"})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	var oe *OutcomeUnknownError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "POST elk/crm-api/prequests", oe.Op)
	assert.Contains(t, oe.Check, "buh@example.kz")
	assert.Equal(t, int32(1), sent.Load())

	mt.RegisterResponder(http.MethodPost, base+"elk/crm-api/prequests", httpmock.NewStringResponder(500, `{"error_message":"Ошибка при выполнении запроса"}`))
	_, err = c.RequestInvoice(context.Background(), InvoiceRequest{ContractID: "1", Amount: 100, SendTo: "buh@example.kz"})
	require.ErrorIs(t, err, ErrServer)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "the server answered")
}

func TestBalance(t *testing.T) {
	c, mt := shipmentMocked(t)
	ctx := context.Background()
	var query string
	reply := `{"balance": 120000000, "organisationId": 600000749, "productGroupId": 8}` // the documentation's example
	mt.RegisterResponder(http.MethodGet, base+"elk/product-groups/balance", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"), "sent although the table omits it")
		assert.Empty(t, r.Header.Get("Content-Type"))
		query = r.URL.RawQuery
		return httpmock.NewStringResponse(200, reply), nil
	})
	b, err := c.Balance(ctx, GroupMilk)
	require.NoError(t, err)
	assert.Equal(t, "productGroupId=8", query)
	assert.Equal(t, &GroupBalance{Balance: 120000000, HasBalance: true, OrganisationID: "600000749", ProductGroupID: 8}, b)
	assert.Equal(t, "1200000.00", b.Tenge())
	assert.Equal(t, GroupMilk, b.ProductGroup())

	for reply, want := range map[string]int64{
		`{"balance":12345678901,"productGroupId":1,"contractId":77}`:       12345678901,
		`{"balance":"12345678901","productGroupId":1}`:                     12345678901,
		`{"balance":12345678901.00,"productGroupId":"1"}`:                  12345678901,
		`{"balance":9223372036854775807,"productGroupId":1}`:               math.MaxInt64,
		`{"balance":-250,"organisationId":"600000749","productGroupId":1}`: -250,
	} {
		mt.RegisterResponder(http.MethodGet, base+"elk/product-groups/balance", func(r *http.Request) (*http.Response, error) {
			query = r.URL.RawQuery
			return httpmock.NewStringResponse(200, reply), nil
		})
		b, err := c.BalanceByID(ctx, 1)
		require.NoError(t, err, reply)
		assert.Equal(t, "productGroupId=1", query)
		assert.Equal(t, want, b.Balance, reply)
		assert.True(t, b.HasBalance)
		assert.Equal(t, 1, b.ProductGroupID)
		assert.Equal(t, ProductGroup(""), b.ProductGroup(), "id 1 is not in §3.1")
	}
	assert.Equal(t, "123456789.01", GroupBalance{Balance: 12345678901}.Tenge())

	mt.RegisterResponder(http.MethodGet, base+"elk/product-groups/balance", httpmock.NewStringResponder(200, `{"organisationId":600000749,"productGroupId":2,"contractId":"A-1"}`))
	b, err = c.Balance(ctx, GroupShoes)
	require.NoError(t, err)
	assert.Equal(t, &GroupBalance{OrganisationID: "600000749", ProductGroupID: 2, ContractID: "A-1"}, b, "no balance given")

	for _, bad := range []string{`{"balance":1.5}`, `{"balance":9223372036854775808}`, `{"balance":"abc"}`, `[]`} {
		mt.RegisterResponder(http.MethodGet, base+"elk/product-groups/balance", httpmock.NewStringResponder(200, bad))
		_, err = c.BalanceByID(ctx, 1)
		require.ErrorIs(t, err, ErrDecode, bad)
	}

	mt.RegisterResponder(http.MethodGet, base+"elk/product-groups/balance", httpmock.NewStringResponder(404, `{"error_message":"В токене отсутствует свойство pid"}`))
	_, err = c.Balance(ctx, GroupTobacco)
	require.ErrorIs(t, err, ErrNotFound)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "В токене отсутствует свойство pid", e.Message)

	before := mt.GetTotalCallCount()
	_, err = c.Balance(ctx, "lp")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "productGroupId", ve.Field)
	_, err = c.BalanceByID(ctx, 0)
	require.ErrorIs(t, err, ErrValidation)
	assert.Equal(t, before, mt.GetTotalCallCount())
}

func TestBalances(t *testing.T) {
	c, mt := shipmentMocked(t)
	ctx := context.Background()
	two := []GroupBalance{
		{Balance: 12345678901, HasBalance: true, ContractID: "5", OrganisationID: "600000749", ProductGroupID: 2},
		{OrganisationID: "600000749", ProductGroupID: 3},
	}
	for reply, want := range map[string][]GroupBalance{
		`[{"balance":12345678901,"contractId":5,"organisationId":600000749,"productGroupId":2},{"organisationId":600000749,"productGroupId":3}]`:                    two,
		`{"balances":[{"balance":"12345678901","contractId":"5","organisationId":"600000749","productGroupId":2},{"organisationId":600000749,"productGroupId":3}]}`: two,
		`{"balance": 120000000, "organisationId": 600000749, "productGroupId": 8}`:                                                                                  {{Balance: 120000000, HasBalance: true, OrganisationID: "600000749", ProductGroupID: 8}},
		`[]`: {},
	} {
		mt.RegisterResponder(http.MethodGet, base+"elk/product-groups/balance/all", func(r *http.Request) (*http.Response, error) {
			assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"))
			assert.Empty(t, r.Header.Get("Content-Type"), "no application/json/zip")
			assert.Empty(t, r.URL.RawQuery)
			return httpmock.NewStringResponse(200, reply), nil
		})
		got, err := c.Balances(ctx)
		require.NoError(t, err, reply)
		assert.Equal(t, want, got, reply)
	}
	for _, bad := range []string{`{"x":1}`, `{"a":[],"b":[]}`, `[{"balance":0.5}]`, `{"balance":0.5}`, `"text"`} {
		mt.RegisterResponder(http.MethodGet, base+"elk/product-groups/balance/all", httpmock.NewStringResponder(200, bad))
		_, err := c.Balances(ctx)
		require.ErrorIs(t, err, ErrDecode, bad)
	}
	mt.RegisterResponder(http.MethodGet, base+"elk/product-groups/balance/all", httpmock.NewStringResponder(404, `{"error_message":"В токене указано некорректное значение параметра pid"}`))
	_, err := c.Balances(ctx)
	require.ErrorIs(t, err, ErrNotFound)
}

func TestFormatTenge(t *testing.T) {
	for tiyn, want := range map[int64]string{
		0: "0.00", 5: "0.05", -5: "-0.05", 100: "1.00", -100: "-1.00", 12345: "123.45",
		12345678901: "123456789.01", math.MaxInt64: "92233720368547758.07", math.MinInt64: "-92233720368547758.08",
	} {
		assert.Equal(t, want, FormatTenge(tiyn), tiyn)
	}
	for tiyn, want := range map[Tiyn]string{1: "0.01", 10: "0.1", 100: "1", 12340: "123.4", 12345678901: "123456789.01", math.MaxInt64: "92233720368547758.07"} {
		assert.Equal(t, want, billingAmount(tiyn), tiyn)
		assert.Equal(t, FormatTenge(int64(tiyn)), tiyn.Tenge())
	}
	assert.Equal(t, "-0.05", Tiyn(-5).Tenge())
}

// The invoice amount is given in tiyn (its type, Tiyn) and goes on the
// wire in tenge, as the JSON string amount. B-1 prints no request example
// (only the answer {"status": 200}), so the exact bodies below are this
// client's reading: amount is tenge, the currency printed on an invoice.
func TestRequestInvoiceAmountUnit(t *testing.T) {
	c, mt, _ := newMocked(t)
	ctx := context.Background()
	var bodies []string
	mt.RegisterResponder(http.MethodPost, base+"elk/crm-api/prequests", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		return httpmock.NewStringResponse(200, "{\n  \"status\": 200\n}"), nil // the B-1 answer example
	})
	for _, amount := range []Tiyn{15_000_000, 12_345, 12_340, 1, Tiyn(120_000_000)} {
		res, err := c.RequestInvoice(ctx, InvoiceRequest{ContractID: "600000749", Amount: amount, SendTo: "buh@example.kz"})
		require.NoError(t, err)
		assert.Equal(t, &InvoiceResult{Status: "200"}, res, "the B-1 answer: status 200 as a number, no response")
	}
	assert.Equal(t, []string{
		`{"contractId":"600000749","amount":"150000","sendto":"buh@example.kz"}`,
		`{"contractId":"600000749","amount":"123.45","sendto":"buh@example.kz"}`,
		`{"contractId":"600000749","amount":"123.4","sendto":"buh@example.kz"}`,
		`{"contractId":"600000749","amount":"0.01","sendto":"buh@example.kz"}`,
		`{"contractId":"600000749","amount":"1200000","sendto":"buh@example.kz"}`,
	}, bodies, "tiyn in, tenge on the wire: the B-2 example balance of 120000000 tiyn is an invoice of 1200000 tenge")
	assert.Equal(t, "1200000.00", Tiyn(120_000_000).Tenge())
}
