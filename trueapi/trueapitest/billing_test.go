package trueapitest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBalances(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	type balance struct {
		Balance        int64 `json:"balance"`
		ContractID     int64 `json:"contractId"`
		OrganisationID int64 `json:"organisationId"`
		ProductGroupID int   `json:"productGroupId"`
	}
	got := a.get("elk/product-groups/balance", "productGroupId", "3")
	require.Equal(t, http.StatusOK, got.status, got.body)
	b := decode[balance](t, got)
	assert.Equal(t, int64(120000000), b.Balance, "tiyn, exact")
	assert.Equal(t, 3, b.ProductGroupID)
	assert.NotZero(t, b.OrganisationID)
	assert.Contains(t, got.body, `"balance":120000000,`, "an integer, not a float")

	all := decode[[]balance](t, a.get("elk/product-groups/balance/all"))
	require.Len(t, all, 3)
	assert.Equal(t, []int{3, 8, 11}, []int{all[0].ProductGroupID, all[1].ProductGroupID, all[2].ProductGroupID})
	assert.Equal(t, int64(4550075), all[1].Balance)
	assert.Equal(t, Balance{ProductGroupID: 8, Balance: 4550075, ContractID: all[1].ContractID, OrganisationID: all[1].OrganisationID}, s.Balances("")[1])

	s.SetBalance("", 2, 1)
	assert.Len(t, decode[[]balance](t, a.get("elk/product-groups/balance/all")), 4)
	assert.Equal(t, int64(9900), decode[balance](t, a.as(s, OtherOwner1).get("elk/product-groups/balance", "productGroupId", "3")).Balance)

	got = a.get("elk/product-groups/balance", "productGroupId", "7")
	assert.Equal(t, http.StatusNotFound, got.status)
	assert.Equal(t, strings.Replace(msgNoAccount, "{0}", s.Owner(), 1), errMsg(t, got))
	nobody := a.as(s, "111111111110")
	got = nobody.get("elk/product-groups/balance/all")
	assert.Equal(t, http.StatusNotFound, got.status)
	assert.Contains(t, errMsg(t, got), "111111111110")
	assert.Nil(t, s.Balances("111111111110"))
	assert.Equal(t, "Отсутствует обязательный параметр: productGroupId", errMsg(t, a.get("elk/product-groups/balance")))
	assert.Equal(t, "Параметр productGroupId требует значение типа Integer", errMsg(t, a.get("elk/product-groups/balance", "productGroupId", "tobacco")))
}

func TestInvoiceRequest(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	contract := strconv.FormatInt(s.Balances("")[0].ContractID, 10)
	type answerBody struct {
		Status       int    `json:"status"`
		Response     int64  `json:"response"`
		ErrorMessage string `json:"error_message"`
	}
	body := `{"contractId":"` + contract + `","amount":"15000.00","sendto":"buh@example.kz"}`
	got := a.post("elk/crm-api/prequests", body)
	require.Equal(t, http.StatusOK, got.status, got.body)
	ok := decode[answerBody](t, got)
	assert.Equal(t, 200, ok.Status)
	assert.NotZero(t, ok.Response)
	assert.NotContains(t, got.body, "error_message")
	inv := s.Invoices()
	require.Len(t, inv, 1)
	assert.Equal(t, Invoice{ID: ok.Response, Participant: s.Owner(), ContractID: contract, Amount: "15000.00", SendTo: "buh@example.kz", Requested: inv[0].Requested}, inv[0])
	assert.Equal(t, 1, s.ReceivedTimes([]byte(body)))
	assert.Equal(t, 1, s.Stats().Invoices)

	// A number for amount is taken as its text, as Jackson does.
	got = a.post("elk/crm-api/prequests", `{"contractId":`+contract+`,"amount":150,"sendto":"buh@example.kz"}`)
	assert.Equal(t, 200, decode[answerBody](t, got).Status)

	for body, msg := range map[string]string{
		`{"contractId":"` + contract + `","amount":"-5","sendto":"a@b.kz"}`:    "Сумма -5",
		`{"contractId":"` + contract + `","amount":"1.005","sendto":"a@b.kz"}`: "Сумма 1.005",
		`{"contractId":"` + contract + `","amount":"0","sendto":"a@b.kz"}`:     "Сумма 0",
		`{"contractId":"` + contract + `","amount":"10","sendto":"buh"}`:       "Адрес buh",
		`{"contractId":"1","amount":"10","sendto":"a@b.kz"}`:                   "Лицевой счёт 1 не найден",
	} {
		got := a.post("elk/crm-api/prequests", body)
		require.Equal(t, http.StatusOK, got.status, body)
		e := decode[answerBody](t, got)
		assert.Equal(t, 400, e.Status, body)
		assert.Contains(t, e.ErrorMessage, msg, body)
	}
	got = a.as(s, "111111111110").post("elk/crm-api/prequests", `{"contractId":"1","amount":"10","sendto":"a@b.kz"}`)
	assert.Equal(t, 400, decode[answerBody](t, got).Status, "no account")

	for body, msg := range map[string]string{
		`[]`:                              cannotDeserialize(javaMap, []any{}),
		`{"contractId":true}`:             cannotDeserialize(javaString, true),
		`{"amount":"1"}`:                  "Отсутствует обязательный параметр: contractId",
		`{"contractId":"1","amount":"1"}`: "Отсутствует обязательный параметр: sendto",
		``:                                "Required request body is missing",
	} {
		r := req{method: http.MethodPost, route: "elk/crm-api/prequests", body: body, header: http.Header{"Content-Type": {"application/json"}}}
		got := a.send(r)
		assert.Equal(t, http.StatusBadRequest, got.status, body)
		assert.Equal(t, msg, errMsg(t, got), body)
	}
	assert.Len(t, s.Invoices(), 2)
}

func TestDocumentRoutes(t *testing.T) {
	// Every route with placeholders resolves to itself, the most literal
	// pattern winning.
	for name := range routes {
		if !strings.Contains(name, "{") {
			continue
		}
		path := strings.NewReplacer("{uuid}", "u1", "{documentId}", "d1", "{decision}", "approve", "{shipmentId}", "s1",
			"{shipment_id}", "s1", "{doc_id}", "d1", "{document_id}", "d1", "{receiptId}", "r1").Replace(name)
		got, params := routeOf(path)
		assert.Equal(t, name, got, path)
		assert.NotEmpty(t, params, path)
	}
	name, params := routeOf("edo-api/outgoing-documents/d1/events/withdraw")
	assert.Equal(t, "edo-api/outgoing-documents/{documentId}/events/withdraw", name)
	assert.Equal(t, []string{"d1"}, params)
	name, params = routeOf("edo-api/incoming-documents/d1/events/reject/signature")
	assert.Equal(t, "edo-api/incoming-documents/{documentId}/events/{decision}/signature", name)
	assert.Equal(t, []string{"d1", "reject"}, params)
	name, _ = routeOf("documents/search")
	assert.Equal(t, "documents/search", name)
	name, _ = routeOf("documents//info")
	assert.Empty(t, name)

	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	got := a.post("edo-api/outgoing-documents/x/base64", "{}")
	assert.Equal(t, http.StatusMethodNotAllowed, got.status)
	assert.Equal(t, "GET", got.header.Get("Allow"))
	assert.Equal(t, http.StatusNotFound, a.get("api/v1/edo-api/shipments/x/view").status)
	a.get("edo-api/outgoing-documents/x/base64")
	assert.Equal(t, 1, s.Stats().Requests["GET edo-api/outgoing-documents/{documentId}/base64"], "counted under the route's pattern")
	a.token = ""
	assert.Equal(t, http.StatusUnauthorized, a.get("doc/listV2").status)
	assert.Equal(t, http.StatusUnauthorized, a.post("elk/crm-api/prequests", "{}").status)
}
