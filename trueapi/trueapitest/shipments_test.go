package trueapitest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shipmentJSON is an export shipment of the owner's codes.
func shipmentJSON(t testing.TB, s *Server, exporter string, codes ...string) []byte {
	t.Helper()
	var products []map[string]any
	for _, c := range codes {
		products = append(products, map[string]any{"cis": c, "price": 1200.5, "vat": "128.63",
			"documentList": []map[string]any{{"docKind": "сертификат соответствия", "docNumber": 12345, "docDate": "2025-01-01"}}})
	}
	b, err := json.Marshal(map[string]any{
		"productGroup": "tobacco", "exporterCode": exporter, "receiverCountryCode": "RU", "receiverCode": Exporter,
		"receiverName": ExporterName, "documentNumber": "KZ-1", "documentDate": "2025-06-01", "transferDate": "2025-06-02",
		"productList": products,
	})
	require.NoError(t, err)
	return b
}

// shipmentStatus is the answer of D-19.
type shipmentStatus struct {
	DocumentID, DocumentDate, Status string
	Errors                           []struct{ ErrorCode, ErrorMessage string }
}

func TestShipmentTimeline(t *testing.T) {
	s := start(t, Config{Codes: 60, DocumentDelay: 5 * time.Second})
	signer := ownerSigner(t)
	synctest.Test(t, func(t *testing.T) {
		a := inProcess(t, s)
		content := shipmentJSON(t, s, s.Owner(), ownUnits(t, s, 2)...)
		got := a.postDoc("edo-api/shipments", signer, content)
		require.Equal(t, http.StatusOK, got.status, got.body)
		var created struct {
			ShipmentID string
			Errors     []struct{ Code, Message string }
		}
		require.NoError(t, json.Unmarshal([]byte(got.body), &created))
		require.Len(t, created.Errors, 1)
		assert.Equal(t, "0", created.Errors[0].Code)
		assert.Equal(t, "Документ провалидирован", created.Errors[0].Message)

		status := func() string {
			t.Helper()
			got := a.get("edo-api/shipments/" + created.ShipmentID + "/status")
			require.Equal(t, http.StatusOK, got.status, got.body)
			st := decode[shipmentStatus](t, got)
			assert.Equal(t, created.ShipmentID, st.DocumentID)
			assert.Equal(t, time.Now().UTC().Format(time.DateOnly), st.DocumentDate)
			return st.Status
		}
		view := func() map[string]any {
			t.Helper()
			return decode[map[string]any](t, a.get("edo-api/shipments/"+created.ShipmentID+"/view"))
		}
		assert.Equal(t, ShipmentChecking, status())
		assert.Equal(t, ShipmentChecking, view()["status"])
		time.Sleep(5 * time.Second)
		assert.Equal(t, ShipmentSent, status())
		time.Sleep(5 * time.Second)
		assert.Equal(t, ShipmentWaitingAcceptance, status())
		assert.Nil(t, view()["acceptanceDate"])
		imp := decode[map[string]any](t, a.get("documents/import/status/"+created.ShipmentID))
		assert.Equal(t, DocWaitAcceptance, imp["status"])
		time.Sleep(5 * time.Second)
		assert.Equal(t, ShipmentAccepted, status())
		v := view()
		assert.Equal(t, ShipmentAccepted, v["status"])
		assert.Equal(t, "398", v["senderCountryCode"])
		assert.Equal(t, "RU", v["receiverCountryCode"])
		assert.NotEmpty(t, v["acceptanceDate"])
		linked := v["linkedDoc"].([]any)[0].(map[string]any)
		assert.Equal(t, TypeAcceptance, linked["linkedDocType"])
		p := v["products"].([]any)[0].(map[string]any)
		assert.Equal(t, true, p["accepted"])
		assert.Equal(t, 1200.5, p["productCost"])
		assert.Equal(t, 128.63, p["productTax"], "a decimal string is answered as a number")
		cert := p["certificateDocumentData"].([]any)[0].(map[string]any)
		assert.Equal(t, "CONFORMITY_CERTIFICATE", cert["certificateType"])
		assert.Equal(t, "12345", cert["certificateNum"])
		imp = decode[map[string]any](t, a.get("documents/import/shipment/"+created.ShipmentID))
		assert.Equal(t, DocAccepted, imp["status"])

		// A shipment of codes the exporter does not own ends in ERROR.
		bad := shipmentJSON(t, s, OtherOwner1, "0104600000000001215abc")
		got = a.postDoc("edo-api/shipments", signer, bad)
		require.Equal(t, http.StatusOK, got.status, got.body)
		require.NoError(t, json.Unmarshal([]byte(got.body), &created))
		require.Len(t, created.Errors, 2)
		assert.Equal(t, "307", created.Errors[0].Code)
		assert.Equal(t, "303", created.Errors[1].Code)
		assert.Equal(t, ShipmentChecking, status())
		time.Sleep(5 * time.Second)
		st := decode[shipmentStatus](t, a.get("edo-api/shipments/"+created.ShipmentID+"/status"))
		assert.Equal(t, ShipmentError, st.Status)
		require.Len(t, st.Errors, 2)
		assert.Equal(t, "303", st.Errors[1].ErrorCode)
		errs := view()["documentErrors"].([]any)
		assert.Equal(t, "307", errs[0].(map[string]any)["errorCode"])

		// FailNextDocument: ERROR with a 301.
		s.FailNextDocument(DocProcessingError)
		got = a.postDoc("edo-api/shipments", signer, shipmentJSON(t, s, s.Owner(), ownUnits(t, s, 1)...))
		require.NoError(t, json.Unmarshal([]byte(got.body), &created))
		time.Sleep(5 * time.Second)
		st = decode[shipmentStatus](t, a.get("edo-api/shipments/"+created.ShipmentID+"/status"))
		assert.Equal(t, ShipmentError, st.Status)
		require.Len(t, st.Errors, 1)
		assert.Equal(t, "301", st.Errors[0].ErrorCode)
	})
}

func TestShipmentErrors(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	signer := ownerSigner(t)
	good := shipmentJSON(t, s, s.Owner(), ownUnits(t, s, 1)...)

	// An attached signature over the document is accepted here.
	got := a.post("edo-api/shipments", docBody(t, good, attached(t, signer, good)))
	assert.Equal(t, http.StatusOK, got.status, got.body)
	got = a.post("edo-api/shipments", docBody(t, good, attached(t, signer, []byte("other"))))
	assert.Equal(t, http.StatusUnprocessableEntity, got.status)
	assert.Contains(t, errMsg(t, got), "подписаны другие данные")
	got = a.post("edo-api/shipments", docBody(t, good, detached(t, signer, []byte("other"))))
	assert.Equal(t, http.StatusUnprocessableEntity, got.status)
	got = a.post("edo-api/shipments", `{"document":"","signature":"x"}`)
	assert.Equal(t, http.StatusUnprocessableEntity, got.status, "an empty document is 422")
	assert.Equal(t, "Отсутствует обязательный параметр: document", errMsg(t, got))

	var m map[string]any
	require.NoError(t, json.Unmarshal(good, &m))
	for field, value := range map[string]any{
		"productGroup": "paper", "documentDate": "01.06.2025", "receiverName": "", "productList": []any{},
		"exporterCode": 5,
	} {
		c := map[string]any{}
		for k, v := range m {
			c[k] = v
		}
		c[field] = value
		b, _ := json.Marshal(c)
		got := a.postDoc("edo-api/shipments", signer, b)
		assert.Equal(t, http.StatusBadRequest, got.status, field)
		assert.True(t, strings.HasPrefix(errMsg(t, got), msgSchema), errMsg(t, got))
	}
	for _, doc := range []string{`[1]`, `{"productList":[{"cis":""}]}`, `not json`,
		`{"productGroup":"shoes","exporterCode":"1","receiverCountryCode":"RU","receiverCode":"1","receiverName":"x","documentNumber":"1","documentDate":"2025-01-01","transferDate":"2025-01-01","productList":[{"cis":""}]}`,
		`{"productGroup":"shoes","exporterCode":"1","receiverCountryCode":"RU","receiverCode":"1","receiverName":"x","documentNumber":"1","documentDate":"2025-01-01","transferDate":"2025-01-01","productList":[{"cis":"x","documentList":[{},{},{}]}]}`,
		`{"productList":[{"cis":"x","documentList":[{"docNumber":true}]}]}`,
	} {
		got := a.postDoc("edo-api/shipments", signer, []byte(doc))
		assert.Equal(t, http.StatusBadRequest, got.status, doc)
		assert.True(t, strings.HasPrefix(errMsg(t, got), msgSchema), errMsg(t, got))
	}

	for _, route := range []string{"edo-api/shipments/nothing/status", "edo-api/shipments/nothing/view"} {
		got := a.get(route)
		assert.Equal(t, http.StatusBadRequest, got.status)
		assert.Equal(t, msgShipmentNotFound, errMsg(t, got))
	}
	for _, route := range []string{"documents/import/shipment/nothing", "documents/import/status/nothing"} {
		got := a.get(route)
		assert.Equal(t, http.StatusBadRequest, got.status)
		assert.Equal(t, docErr{Code: "400", Description: "Документ не найден. id=nothing"}, decode[docErr](t, got))
	}
	// Another participant's shipment is unknown to it.
	sh := s.Documents("")[14]
	require.Equal(t, TypeShipment, sh.Type)
	assert.Equal(t, http.StatusBadRequest, a.as(s, OtherOwner1).get("documents/import/shipment/"+sh.ID).status)
}

// acceptanceJSON is an acceptance of the seeded shipment by the owner.
func acceptanceJSON(t testing.TB, s *Server, sh Document, edit func(map[string]any)) []byte {
	t.Helper()
	var ship shipmentDoc
	require.NoError(t, json.Unmarshal(sh.Content, &ship))
	var products []map[string]any
	for i, p := range ship.ProductList {
		products = append(products, map[string]any{"cis": p.Cis, "accepted": i == 0})
	}
	m := map[string]any{
		"shipment_id": sh.ID, "document_num": "ACC-1", "document_date": "2025-06-10", "receiver_inn": s.Owner(),
		"receiver": s.cfg.OwnerName, "exporter_taxpayer_id": Exporter, "exporter_name": ExporterName,
		"sender_country_code": "643", "request_type": "ACCEPTANCE", "acceptance_date": "2025-06-10", "reject_all": false,
		"products": products,
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func TestAcceptance(t *testing.T) {
	s := start(t, Config{Codes: 60, DocumentDelay: 4 * time.Second})
	signer := ownerSigner(t)
	var waiting []Document
	for _, d := range s.Documents("") {
		if d.Type == TypeShipment && d.Status == DocWaitAcceptance {
			waiting = append(waiting, d)
		}
	}
	require.Len(t, waiting, 2)
	sh := waiting[0]
	synctest.Test(t, func(t *testing.T) {
		a := inProcess(t, s)
		v := decode[map[string]any](t, a.get("documents/import/shipment/"+sh.ID))
		assert.Equal(t, DocWaitAcceptance, v["status"])
		assert.Equal(t, "643", v["senderCountryCode"])
		assert.Equal(t, ExporterName, v["exporter"])
		assert.Nil(t, v["products"].([]any)[0].(map[string]any)["accepted"], "no information yet")
		st := decode[shipmentStatus](t, a.get("edo-api/shipments/"+sh.ID+"/status"))
		assert.Equal(t, ShipmentWaitingAcceptance, st.Status)

		content := acceptanceJSON(t, s, sh, nil)
		got := a.postDoc("documents/import/acceptancies", signer, content)
		require.Equal(t, http.StatusOK, got.status, got.body)
		var created struct {
			AcceptationID string
			Errors        []map[string]string
		}
		require.NoError(t, json.Unmarshal([]byte(got.body), &created))
		assert.Empty(t, created.Errors)
		assert.NotNil(t, created.Errors, "an empty array")
		status := decode[map[string]any](t, a.get("documents/import/status/"+created.AcceptationID))
		assert.Equal(t, DocInProgress, status["status"])
		assert.Equal(t, TypeAcceptance, status["documentType"])

		// A second acceptance while the first is pending.
		got = a.postDoc("documents/import/acceptancies", signer, acceptanceJSON(t, s, sh, func(m map[string]any) { m["document_num"] = "ACC-2" }))
		assert.Equal(t, http.StatusUnprocessableEntity, got.status)
		assert.Contains(t, decode[docErr](t, got).Description, "уже направлено")

		time.Sleep(4 * time.Second)
		status = decode[map[string]any](t, a.get("documents/import/status/"+created.AcceptationID))
		assert.Equal(t, DocCheckedOK, status["status"])
		v = decode[map[string]any](t, a.get("documents/import/shipment/"+sh.ID))
		assert.Equal(t, DocAccepted, v["status"])
		assert.Equal(t, "2025-06-10", v["acceptanceDate"])
		products := v["products"].([]any)
		assert.Equal(t, true, products[0].(map[string]any)["accepted"])
		assert.Equal(t, false, products[1].(map[string]any)["accepted"])
		linked := v["linkedDoc"].([]any)[0].(map[string]any)
		assert.Equal(t, created.AcceptationID, linked["linkedDocId"])
		st = decode[shipmentStatus](t, a.get("edo-api/shipments/"+sh.ID+"/status"))
		assert.Equal(t, ShipmentAccepted, st.Status)

		// In-band errors: the acceptance fails, the shipment waits on.
		other := waiting[1]
		bad := acceptanceJSON(t, s, other, func(m map[string]any) {
			m["receiver_inn"] = OtherOwner1
			m["exporter_taxpayer_id"] = "12345678"
			m["reject_all"] = true
			m["products"] = []map[string]any{{"cis": "0104600000000001215zzz", "accepted": true}}
		})
		got = a.postDoc("documents/import/acceptancies", signer, bad)
		require.Equal(t, http.StatusOK, got.status, got.body)
		require.NoError(t, json.Unmarshal([]byte(got.body), &created))
		require.Len(t, created.Errors, 3)
		assert.Equal(t, "03", created.Errors[0]["errorCode"])
		assert.Equal(t, "04", created.Errors[1]["errorCode"])
		assert.Equal(t, "303", created.Errors[2]["errorCode"])
		time.Sleep(4 * time.Second)
		status = decode[map[string]any](t, a.get("documents/import/status/"+created.AcceptationID))
		assert.Equal(t, DocCheckedNotOK, status["status"])
		assert.Len(t, status["documentErrors"], 3)
		assert.Equal(t, DocWaitAcceptance, decode[map[string]any](t, a.get("documents/import/shipment/"+other.ID))["status"])

		// After a failed acceptance a new one is taken; reject_all refuses
		// every product.
		got = a.postDoc("documents/import/acceptancies", signer, acceptanceJSON(t, s, other, func(m map[string]any) {
			m["reject_all"] = true
			delete(m, "products")
		}))
		require.Equal(t, http.StatusOK, got.status, got.body)
		time.Sleep(4 * time.Second)
		v = decode[map[string]any](t, a.get("documents/import/shipment/"+other.ID))
		assert.Equal(t, DocAccepted, v["status"])
		for _, p := range v["products"].([]any) {
			assert.Equal(t, false, p.(map[string]any)["accepted"])
		}
	})
}

func TestAcceptanceErrors(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	signer := ownerSigner(t)
	var waiting, accepted Document
	for _, d := range s.Documents("") {
		switch {
		case d.Type == TypeShipment && d.Status == DocWaitAcceptance:
			waiting = d
		case d.Type == TypeShipment:
			accepted = d
		}
	}
	for name, edit := range map[string]func(map[string]any){
		"request_type with Cyrillic А and С": func(m map[string]any) { m["request_type"] = "АСCEPTANCE" },
		"request_type with a blank":          func(m map[string]any) { m["request_type"] = "ACCEPTANCE " },
		"no shipment_id":                     func(m map[string]any) { delete(m, "shipment_id") },
		"no reject_all":                      func(m map[string]any) { delete(m, "reject_all") },
		"no products":                        func(m map[string]any) { delete(m, "products") },
		"a product without accepted":         func(m map[string]any) { m["products"] = []map[string]any{{"cis": "x"}} },
		"a date":                             func(m map[string]any) { m["acceptance_date"] = "10.06.2025" },
		"receiver_inn":                       func(m map[string]any) { m["receiver_inn"] = "123" },
		"exporter_taxpayer_id":               func(m map[string]any) { m["exporter_taxpayer_id"] = "12345" },
		"sender_country_code":                func(m map[string]any) { m["sender_country_code"] = "51" },
		"reject_all as a string":             func(m map[string]any) { m["reject_all"] = "false" },
	} {
		got := a.postDoc("documents/import/acceptancies", signer, acceptanceJSON(t, s, waiting, edit))
		assert.Equal(t, http.StatusUnprocessableEntity, got.status, name)
		e := decode[docErr](t, got)
		assert.Equal(t, "422", e.Code, name)
		assert.True(t, strings.HasPrefix(e.Description, msgSchema), e.Description)
	}
	content := acceptanceJSON(t, s, waiting, nil)
	for name, body := range map[string]string{
		"empty signature": jsonOf(t, map[string]string{"document": b64(content), "signature": ""}),
		"bad signature":   docBody(t, content, detached(t, signer, []byte("x"))),
		"unknown shipment": func() string {
			c := acceptanceJSON(t, s, waiting, func(m map[string]any) { m["shipment_id"] = "nothing" })
			return docBody(t, c, detached(t, signer, c))
		}(),
		"accepted shipment": func() string {
			c := acceptanceJSON(t, s, accepted, nil)
			return docBody(t, c, detached(t, signer, c))
		}(),
	} {
		got := a.post("documents/import/acceptancies", body)
		assert.Equal(t, http.StatusUnprocessableEntity, got.status, name)
		assert.Equal(t, "422", decode[docErr](t, got).Code, name)
	}
	// Acceptances are listed by searchV2 and D-24 answers for them.
	type found struct {
		DocumentsList []map[string]string
	}
	all := decode[found](t, a.post("documents/searchV2", `{"documentType":"EAS_CROSSBORDER_GROUP"}`))
	assert.Len(t, all.DocumentsList, 4)
	acc := decode[found](t, a.post("documents/searchV2", `{"documentType":"LP_ACCEPT_GOODS","documentStatus":"CHECKED_OK","dateFrom":"2025-03-01","dateTo":"2025-03-31","senderBin":"`+s.Owner()+`","receiverBin":7731376812,"pagination":{"offset":0,"order":"DESC","limit":0}}`))
	require.Len(t, acc.DocumentsList, 1)
	item := acc.DocumentsList[0]
	assert.Equal(t, item["fileId"], item["registrationNum"])
	assert.Equal(t, TypeAcceptance, item["documentType"])
	assert.Equal(t, "398", item["senderCountry"])
	assert.Equal(t, s.Owner(), item["exporter"])
	ships := decode[found](t, a.post("documents/searchV2", `{"documentType":"EAS_CROSSBORDER","pagination":{"offset":1,"limit":1}}`))
	require.Len(t, ships.DocumentsList, 1)
	assert.Equal(t, "643", ships.DocumentsList[0]["senderCountry"])
	assert.Empty(t, decode[found](t, a.post("documents/searchV2", `{"documentType":"EAS_CROSSBORDER","dateFrom":"2030-01-01"}`)).DocumentsList, "empty is not 404 here")
	for body, status := range map[string]int{
		`{}`:                                  http.StatusUnprocessableEntity,
		`{"documentType":"EAS_CRROSSBORDER"}`: http.StatusUnprocessableEntity,
		`{"documentType":"EAS_CROSSBORDER","pagination":"x"}`: http.StatusBadRequest,
		`{"documentType":"EAS_CROSSBORDER","dateTo":"x"}`:     http.StatusBadRequest,
	} {
		got := a.post("documents/searchV2", body)
		assert.Equal(t, status, got.status, body)
		assert.Equal(t, strconv.Itoa(status), decode[docErr](t, got).Code, body)
	}
}
