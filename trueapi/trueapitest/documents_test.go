package trueapitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

func TestThirdCountries(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	signer := ownerSigner(t)
	fileID := "IMPORT_" + newUUID()
	content := importXML(fileID, s.Owner(), "0104600000000001215abcdef")
	sig := detached(t, signer, content)

	got := a.send(req{method: http.MethodPost, route: "documents/transit/import/third_countries", body: docBody(t, content, sig), header: http.Header{"Accept": {"*/*"}}})
	require.Equal(t, http.StatusOK, got.status, got.body)
	assert.Equal(t, "text/plain; charset=utf-8", got.header.Get("Content-Type"))
	assert.Regexp(t, `^[0-9]+$`, got.body, "the internal processing number")

	d, ok := s.Document(fileID)
	require.True(t, ok, "the id is the fileId")
	assert.Equal(t, content, d.Content, "the exact bytes received")
	assert.Equal(t, sig, d.Signature)
	assert.Equal(t, TypeImport, d.Type)
	assert.Equal(t, DocInProgress, d.Status)
	assert.Equal(t, got.body, d.ProcessingNumber)
	assert.Equal(t, "POST documents/transit/import/third_countries", d.Route)
	assert.Equal(t, s.Owner(), d.Sender)
	assert.Equal(t, 1, s.ReceivedTimes(content))
	assert.Equal(t, 1, s.Stats().Documents)
	assert.Contains(t, s.Documents(""), d)

	// The same fileId again: refused, and the content counted twice.
	again := a.post("documents/transit/import/third_countries", docBody(t, content, sig))
	assert.Equal(t, http.StatusBadRequest, again.status)
	assert.Equal(t, "Документ с идентификатором "+fileID+" уже зарегистрирован", errMsg(t, again))
	assert.Equal(t, 2, s.ReceivedTimes(content))
	assert.Equal(t, 2, s.Stats().DocumentsReceived[digest(content)])

	// Without an Accept for text, the number comes as a JSON string.
	other := importXML("IMPORT_"+newUUID(), s.Owner(), "x")
	got = a.send(req{method: http.MethodPost, route: "documents/transit/import/third_countries", body: docBody(t, other, detached(t, signer, other)), header: http.Header{"Accept": {"application/json"}}})
	require.Equal(t, http.StatusOK, got.status, got.body)
	assert.Regexp(t, `^"[0-9]+"\n$`, got.body)
}

func TestDocumentSignatureRefused(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	signer := ownerSigner(t)
	fileID := "IMPORT_" + newUUID()
	content := importXML(fileID, s.Owner(), "0104600000000001215abcdef")
	sig := detached(t, signer, content)

	// One byte changed after signing.
	changed := bytes.Replace(content, []byte("abcdef"), []byte("abcdeg"), 1)
	got := a.post("documents/transit/import/third_countries", docBody(t, changed, sig))
	assert.Equal(t, http.StatusUnprocessableEntity, got.status, got.body)
	assert.True(t, strings.HasPrefix(errMsg(t, got), "Ошибка проверки подписи документа "+fileID+": подпись не соответствует документу"), errMsg(t, got))

	// An attached signature is not a detached one.
	got = a.post("documents/transit/import/third_countries", docBody(t, content, attached(t, signer, content)))
	assert.Equal(t, http.StatusUnprocessableEntity, got.status)
	assert.Contains(t, errMsg(t, got), "открепленной")

	// A key of another participant.
	got = a.post("documents/transit/import/third_countries", docBody(t, content, detached(t, binSigner(t, OtherOwner1), content)))
	assert.Equal(t, http.StatusUnprocessableEntity, got.status)
	assert.Contains(t, errMsg(t, got), "принадлежит участнику "+OtherOwner1)

	// Not a CMS at all.
	got = a.post("documents/transit/import/third_countries", docBody(t, content, []byte("not a cms")))
	assert.Equal(t, http.StatusUnprocessableEntity, got.status)

	_, stored := s.Document(fileID)
	assert.False(t, stored)
	st := s.Stats()
	assert.Equal(t, 4, st.SignatureFailures)
	assert.Zero(t, st.Documents)
	assert.Equal(t, 3, s.ReceivedTimes(content), "refused documents are counted as received")
}

func TestDocumentTransportErrors(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	route := "documents/writeOff"
	content := noticeXML(newUUID(), s.Owner(), "2", "x")
	sig := detached(t, ownerSigner(t), content)
	for _, tc := range []struct {
		name, body, ctype string
		status            int
		msg               string
	}{
		{"text content type", docBody(t, content, sig), "text/plain", http.StatusUnsupportedMediaType, "Content type 'text/plain' not supported"},
		{"array", `[]`, "", http.StatusBadRequest, "JSON parse error: Cannot deserialize instance of `java.util.LinkedHashMap` out of START_ARRAY token"},
		{"number document", `{"document": 5, "signature": "x"}`, "", http.StatusBadRequest, "JSON parse error: Cannot deserialize instance of `java.lang.String` out of VALUE_NUMBER_INT token"},
		{"empty body", ``, "", http.StatusBadRequest, "Required request body is missing"},
		{"no document", `{"signature": "` + b64(sig) + `"}`, "", http.StatusBadRequest, "Отсутствует обязательный параметр: document"},
		{"no signature", `{"document": "` + b64(content) + `"}`, "", http.StatusBadRequest, "Отсутствует обязательный параметр: signature"},
		{"bad base64", `{"document": "%%%", "signature": "` + b64(sig) + `"}`, "", http.StatusBadRequest, "Параметр document должен содержать данные в формате BASE64"},
		{"bad signature base64", `{"document": "` + b64(content) + `", "signature": "%%%"}`, "", http.StatusBadRequest, "Параметр signature должен содержать подпись CMS в формате BASE64"},
	} {
		r := req{method: http.MethodPost, route: route, body: tc.body}
		if tc.ctype != "" {
			r.header = http.Header{"Content-Type": {tc.ctype}}
		}
		if tc.body == "" {
			r.header = http.Header{"Content-Type": {"application/json"}}
		}
		got := a.send(r)
		assert.Equal(t, tc.status, got.status, tc.name)
		assert.Equal(t, tc.msg, errMsg(t, got), tc.name)
	}

	// Over the limit: 413 (in-process, as in TestRouting).
	s.maxBody = 200
	ip := inProcess(t, s)
	big := noticeXML(newUUID(), s.Owner(), "2", strings.Repeat("x", 300))
	got := ip.post(route, docBody(t, big, sig))
	assert.Equal(t, http.StatusRequestEntityTooLarge, got.status)
	assert.Equal(t, msgTooLarge, errMsg(t, got))
	got = ip.post(route, `{"document":"`+strings.Repeat("A", 70000)+`"}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, got.status)
	assert.Zero(t, s.ReceivedTimes(big), "a refused transport does not count")
}

func TestXMLChecks(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	signer := ownerSigner(t)
	o := s.Owner()
	id := newUUID()
	for _, tc := range []struct {
		route   string
		content string
		msg     string
	}{
		{"documents/writeOff", `<file fileId="x"/>`, "документ должен начинаться с заголовка"},
		{"documents/writeOff", "\uFEFF" + xmlHeader + `<file fileId="x"/>`, "документ должен начинаться с заголовка"},
		{"documents/writeOff", `<?xml version="1.0" encoding="windows-1251"?><file/>`, "документ должен начинаться с заголовка"},
		{"documents/writeOff", xmlHeader + `<file fileId="x"><a></b></file>`, "XML не разобран"},
		{"documents/writeOff", xmlHeader + `<file fileId="x"/><other/>`, "больше одного корневого элемента"},
		{"documents/writeOff", xmlHeader + `<file fileId="x"/>text`, "текст вне корневого элемента"},
		{"documents/writeOff", xmlHeader, "не содержит корневого элемента"},
		{"documents/writeOff", xmlHeader + `<file version="1.0"/>`, "отсутствует обязательный атрибут fileId"},
		{"documents/writeOff", string(noticeXML(id, OtherOwner1, "2", "x")), "participantIdentificationCode " + OtherOwner1},
		{"documents/writeOff", string(noticeXML(id, o, "19", "x")), `недопустимое значение reason "19"`},
		{"documents/writeOff", string(noticeXML(id, o, "2")), "нет ни одного кода"},
		{"documents/transit/introduce-goods/create", string(noticeXML(id, o, "4", "x")), `недопустимое значение reason "4"`},
		{"documents/transit/import/third_countries", string(importXML("IMP_"+id, o, "x")), "неверный формат fileId IMP_"},
		{"documents/transit/import/third_countries", string(importXML("IMPORT_"+id, OtherOwner1, "x")), "importerCode " + OtherOwner1},
		{"documents/transit/import/third_countries", xmlHeader + `<file fileId="IMPORT_` + id + `"><importerInfo importerCode="` + o + `"/></file>`, "нет ни одного товара"},
	} {
		got := a.postDoc(tc.route, signer, []byte(tc.content))
		assert.Equal(t, http.StatusBadRequest, got.status, tc.content)
		assert.True(t, strings.HasPrefix(errMsg(t, got), msgBadXML+": "), errMsg(t, got))
		assert.Contains(t, errMsg(t, got), tc.msg, tc.content)
	}
	// Single quotes and a lower-case encoding are fine.
	ok := `<?xml version='1.0' encoding='utf-8'?>` + string(noticeXML(newUUID(), o, "2", "x"))[len(xmlHeader):]
	assert.Equal(t, http.StatusOK, a.postDoc("documents/writeOff", signer, []byte(ok)).status)
}

func TestIntroduceAndWriteOff(t *testing.T) {
	s := start(t, Config{Codes: 60, DocumentDelay: -1})
	a := newAPI(t, s)
	signer := ownerSigner(t)
	codes := ownUnits(t, s, 2)

	introID := newUUID()
	got := a.postDoc("documents/transit/introduce-goods/create", signer, noticeXML(introID, s.Owner(), "1", codes...))
	require.Equal(t, http.StatusOK, got.status, got.body)
	assert.Empty(t, got.body)
	d, ok := s.Document(introID)
	require.True(t, ok)
	assert.Equal(t, TypeIntroduceGoods, d.Type)
	assert.Equal(t, DocCheckedOK, d.Status, "a negative DocumentDelay is at once")
	assert.Equal(t, "tobacco", d.ProductGroup)
	assert.Empty(t, d.ProcessingNumber)

	offID := newUUID()
	got = a.postDoc("documents/writeOff", signer, noticeXML(offID, s.Owner(), "18", codes...))
	require.Equal(t, http.StatusOK, got.status, got.body)
	d, ok = s.Document(offID)
	require.True(t, ok)
	assert.Equal(t, TypeWithdrawal, d.Type)
	assert.Equal(t, `"`+d.ProcessingNumber+"\"\n", got.body, "a JSON string for a client that accepts only JSON")

	// D-5 shows both with their codes as cisList.
	info := a.get("edo-api/documents/info/" + offID)
	require.Equal(t, http.StatusOK, info.status, info.body)
	var body struct {
		Status, Type string
		Body         struct {
			FileID, Version, SendingDateTime string
			Document                         struct {
				MainInfo map[string]any `json:"mainInfo"`
				CisList  []struct{ Value, Name, Status string }
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(info.body), &body))
	assert.Equal(t, DocCheckedOK, body.Status)
	assert.Equal(t, TypeWithdrawal, body.Type)
	assert.Equal(t, offID, body.Body.FileID)
	assert.Equal(t, "1.0", body.Body.Version)
	assert.Equal(t, "18", body.Body.Document.MainInfo["reason"])
	require.Len(t, body.Body.Document.CisList, 2)
	assert.Equal(t, codes[0], body.Body.Document.CisList[0].Value)
	assert.NotEmpty(t, body.Body.Document.CisList[0].Name)
	assert.NotEmpty(t, body.Body.Document.CisList[0].Status)
}

func TestFormal(t *testing.T) {
	s := start(t, Config{Codes: 60, DocumentDelay: -1})
	a := newAPI(t, s)
	signer := ownerSigner(t)
	content := actFor(t, s, OtherOwner1, 2)
	sig := detached(t, signer, content)

	got := a.postFormal(content, sig)
	require.Equal(t, http.StatusOK, got.status, got.body)
	id := decode[map[string]string](t, got)["documentId"]
	d, ok := s.Document(id)
	require.True(t, ok)
	assert.Equal(t, content, d.Content)
	assert.Equal(t, sig, d.Signature)
	assert.Equal(t, EdoAct, d.EdoType)
	assert.Equal(t, TypeAct, d.Type)
	assert.Equal(t, ActAwaiting, d.EdoStatus)
	assert.Equal(t, OtherOwner1, d.Receiver)
	assert.True(t, strings.HasPrefix(d.FileID, "EEU_ACT_"))
	assert.NotEqual(t, d.FileID, d.ID, "the id is generated")
	byNumber, ok := s.Document(d.Number)
	require.True(t, ok)
	assert.Equal(t, id, byNumber.ID)

	// The recipient sees it among its incoming documents, with its body.
	p1 := a.as(s, OtherOwner1)
	in := decode[edoPage](t, p1.get("edo-api/incoming-documents"))
	assert.Contains(t, in.Items, edoItem{ID: id, Status: ActAwaiting, Number: d.Number, Date: d.Received.Unix(), Type: EdoAct, CreatedAt: d.Received.Unix()})
	body := p1.getText("edo-api/incoming-documents/" + id + "/base64")
	require.Equal(t, http.StatusOK, body.status)
	assert.Equal(t, content, unb64(t, body.body))

	// A correction, a divergence notice (sent by the consignee) and an
	// EAEU import notice.
	cor := actXML("COR_ACT_"+newUUID(), s.Owner(), OtherOwner1, "2025-06-01T10:00:00Z", ownUnits(t, s, 1))
	got = a.postFormal(cor, detached(t, signer, cor))
	require.Equal(t, http.StatusOK, got.status, got.body)
	d, _ = s.Document(decode[map[string]string](t, got)["documentId"])
	assert.Equal(t, EdoActCorrection, d.EdoType)

	div := []byte(xmlHeader + `<file fileId="DIVERG_` + newUUID() + `" version="1.0" sendingDateTime="2025-06-01T10:00:00"><document correctionDocId="x"><mainInfo>` +
		`<supplierInfo supplierIdentificationCode="` + OtherOwner1 + `"/><consigneeInfo consigneeIdentificationCode="` + s.Owner() + `"/></mainInfo>` +
		`<productList><iCode reviseStatusCode="NOT_FOUND">x</iCode></productList></document></file>`)
	got = a.postFormal(div, detached(t, signer, div))
	require.Equal(t, http.StatusOK, got.status, got.body)
	d, _ = s.Document(decode[map[string]string](t, got)["documentId"])
	assert.Equal(t, EdoDivergence, d.EdoType)
	assert.Equal(t, ActUnderAgreement, d.EdoStatus)
	assert.Equal(t, s.Owner(), d.Sender)

	imp := []byte(xmlHeader + `<file fileId="IMPORT_TRANSIT_` + newUUID() + `" version="5.01" sendingDateTime="2025-06-01T10:00:00Z">` +
		`<participants supplierId="` + Exporter + `" consigneeId="` + s.Owner() + `"/><document correctionFlag="false"><mainInfo>` +
		`<exciseInfo exciseDocNumber="1" exciseDocDate="01.06.2025" exciseAmount="123.09"/></mainInfo>` +
		`<productList><iCode><![CDATA[0104600000000001215abc]]></iCode></productList><productTotals><gtin count="1">04600000000001</gtin></productTotals></document></file>`)
	got = a.postFormal(imp, detached(t, signer, imp))
	require.Equal(t, http.StatusOK, got.status, got.body)
	impID := decode[map[string]string](t, got)["documentId"]
	d, _ = s.Document(impID)
	assert.Equal(t, EdoImportNotice, d.EdoType)
	assert.Equal(t, TypeImportTransit, d.Type)
	info := decode[struct {
		Body struct {
			Document struct {
				MainInfo      map[string]map[string]string `json:"mainInfo"`
				ProductList   []map[string]any             `json:"productList"`
				ProductTotals map[string]int               `json:"productTotals"`
			}
		}
	}](t, a.get("edo-api/documents/info/"+impID))
	assert.Equal(t, "123.09", info.Body.Document.MainInfo["exciseDocInfo"]["exciseAmount"], "exciseInfo is named as D-5 names it")
	assert.Equal(t, "0104600000000001215abc", info.Body.Document.ProductList[0]["value"])
	assert.Equal(t, map[string]int{"04600000000001": 1}, info.Body.Document.ProductTotals)

	out := decode[edoPage](t, a.get("edo-api/outgoing-documents", "type", "1005,1100", "type", "1200"))
	assert.Equal(t, 4, out.Count, "one seeded import notice and the three above")
	assert.Equal(t, 4, s.Stats().Documents)
}

func TestFormalErrors(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	signer := ownerSigner(t)
	content := actFor(t, s, OtherOwner1, 1)
	sig := detached(t, signer, content)
	route := "edo-api/outgoing-documents/formal"

	// Transport: a JSON body, no content type, a broken body, missing parts.
	got := a.post(route, docBody(t, content, sig))
	assert.Equal(t, http.StatusUnsupportedMediaType, got.status)
	assert.Equal(t, "Content type 'application/json' not supported", errMsg(t, got))
	got = a.send(req{method: http.MethodPost, route: route, body: "x", header: http.Header{"Content-Type": {""}}})
	assert.Equal(t, http.StatusUnsupportedMediaType, got.status)
	got = a.send(req{method: http.MethodPost, route: route, body: "x", header: http.Header{"Content-Type": {"multipart/form-data"}}})
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Contains(t, errMsg(t, got), "Failed to parse multipart servlet request")
	got = a.send(req{method: http.MethodPost, route: route, body: "--b\r\nbroken", header: http.Header{"Content-Type": {"multipart/form-data; boundary=b"}}})
	assert.Equal(t, http.StatusBadRequest, got.status)
	body, ct := multipartBody(t, "content", b64(content))
	got = a.send(req{method: http.MethodPost, route: route, body: body, header: http.Header{"Content-Type": {ct}}})
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Equal(t, "Required request part 'signature' is not present", errMsg(t, got))
	body, ct = multipartBody(t, "content", "", "signature", b64(sig))
	got = a.send(req{method: http.MethodPost, route: route, body: body, header: http.Header{"Content-Type": {ct}}})
	assert.Equal(t, "Отсутствует обязательный параметр: content", errMsg(t, got))

	for _, tc := range []struct {
		content []byte
		msg     string
	}{
		{[]byte("<file/>"), msgBadXML + ": документ должен начинаться"},
		{actXML("ACT_"+newUUID(), s.Owner(), OtherOwner1, "", []string{"x"}), msgBadXML + ": неизвестный или неверный формат fileId ACT_"},
		{actXML("EEU_ACT_123", s.Owner(), OtherOwner1, "", []string{"x"}), msgBadXML + ": неизвестный или неверный формат fileId EEU_ACT_123"},
		{actXML("EEU_ACT_"+newUUID(), OtherOwner1, s.Owner(), "", []string{"x"}), "ИИН/БИН отправителя документа " + OtherOwner1 + " не совпадает"},
		{actXML("EEU_ACT_"+newUUID(), s.Owner(), PreRegisteredBIN, "", []string{"x"}), msgPreRegistered},
		{actXML("EEU_ACT_"+newUUID(), s.Owner(), OtherOwner1, "", nil), msgBadXML + ": в документе нет ни одного кода"},
		{[]byte(xmlHeader + `<file fileId="EEU_ACT_` + newUUID() + `"/>`), msgBadXML + ": не указаны ИИН/БИН"},
		{[]byte(strings.Replace(string(content), `count="1"`, "", 1)), msgBadXML + ": у кода"},
	} {
		got := a.postFormal(tc.content, detached(t, signer, tc.content))
		assert.Equal(t, http.StatusBadRequest, got.status, string(tc.content))
		assert.True(t, strings.HasPrefix(errMsg(t, got), tc.msg), "%s\n%s", errMsg(t, got), tc.content)
	}

	// A signature over other bytes: 400 (the only status D-14 lists).
	other := actFor(t, s, OtherOwner1, 2)
	got = a.postFormal(content, detached(t, signer, other))
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Contains(t, errMsg(t, got), "Ошибка проверки подписи документа EEU_ACT_")
	// Registered once; the same fileId again is refused.
	require.Equal(t, http.StatusOK, a.postFormal(content, sig).status)
	got = a.postFormal(content, sig)
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Contains(t, errMsg(t, got), "уже зарегистрирован")
	assert.Equal(t, 3, s.ReceivedTimes(content))
}

func TestDocumentTimeline(t *testing.T) {
	s := start(t, Config{Codes: 60, DocumentDelay: 10 * time.Second})
	signer := ownerSigner(t)
	synctest.Test(t, func(t *testing.T) {
		a := inProcess(t, s)
		fileID := newUUID()
		got := a.postDoc("documents/writeOff", signer, noticeXML(fileID, s.Owner(), "3", "x"))
		require.Equal(t, http.StatusOK, got.status, got.body)
		s.FailNextDocument("")
		act := actFor(t, s, OtherOwner1, 1)
		got = a.postFormal(act, detached(t, signer, act))
		require.Equal(t, http.StatusOK, got.status, got.body)
		actID := decode[map[string]string](t, got)["documentId"]

		info := func(id string) map[string]any {
			t.Helper()
			got := a.get("documents/" + id + "/info")
			require.Equal(t, http.StatusOK, got.status, got.body)
			return decode[map[string]any](t, got)
		}
		assert.Equal(t, DocInProgress, info(fileID)["status"])
		d, _ := s.Document(actID)
		assert.Equal(t, DocInProgress, d.Status)
		assert.Equal(t, ActSent, d.EdoStatus)
		assert.Empty(t, d.Errors)

		time.Sleep(10*time.Second - time.Millisecond)
		assert.Equal(t, DocInProgress, info(fileID)["status"])
		time.Sleep(time.Millisecond)
		assert.Equal(t, DocCheckedOK, info(fileID)["status"])
		failed := info(actID)
		assert.Equal(t, DocCheckedNotOK, failed["status"])
		assert.Equal(t, DocCheckedNotOK, failed["downloadStatus"])
		assert.NotEmpty(t, failed["errors"])
		assert.Contains(t, failed["errorMessage"], "code: 400 error: ")
		d, _ = s.Document(actID)
		assert.Equal(t, ActError, d.EdoStatus)
		assert.NotEmpty(t, d.Errors)
		out := decode[edoPage](t, a.get("edo-api/outgoing-documents", "statuses", "62"))
		assert.Contains(t, out.Items, edoItem{ID: actID, Status: ActError, Number: d.Number, Date: d.Received.Unix(), Type: EdoAct, CreatedAt: d.Received.Unix()}, "62 stands for 10")
	})
}

func TestDropResponseStoresOnce(t *testing.T) {
	s := start(t, Config{Codes: 60})
	signer := ownerSigner(t)
	a := inProcess(t, s)
	s.Faults.Add(Fault{Path: APIPath + "documents/writeOff", DropResponse: true})
	fileID := newUUID()
	content := noticeXML(fileID, s.Owner(), "3", "x")
	hr, err := http.NewRequest(http.MethodPost, a.base+"documents/writeOff", strings.NewReader(docBody(t, content, detached(t, signer, content))))
	require.NoError(t, err)
	hr.Header.Set("Authorization", "Bearer "+a.token)
	hr.Header.Set("Content-Type", "application/json")
	_, err = a.hc.Do(hr)
	require.True(t, errors.Is(err, fakekit.ErrConnectionClosed), "%v", err)
	d, ok := s.Document(fileID)
	require.True(t, ok, "the document is stored although the answer was dropped")
	assert.Equal(t, content, d.Content)
	assert.Equal(t, 1, s.ReceivedTimes(content))
	assert.Equal(t, 1, s.Stats().Documents)
}

func TestSearch(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	type list struct {
		DocumentsList []struct{ FileID, SendingDateTime, Status, Type string }
	}
	all := decode[list](t, a.post("documents/search", `{"dateFrom":"2025-01-01","pagination":{"offset":0,"limit":100}}`))
	assert.Len(t, all.DocumentsList, 18, "every seeded document of the owner but the receipts")
	for _, d := range all.DocumentsList {
		assert.NotEmpty(t, d.FileID)
		_, err := time.Parse(layoutMillis, d.SendingDateTime)
		assert.NoError(t, err)
	}
	// The screenshot's form: MM/dd/yyyy and numbers as strings.
	page := decode[list](t, a.post("documents/search", `{"dateFrom":"03/06/2025","dateTo":"06.03.2025","pagination":{"offset":"1","order":"DESC","limit":"2"}}`))
	require.Len(t, page.DocumentsList, 2)
	assert.True(t, page.DocumentsList[0].SendingDateTime >= page.DocumentsList[1].SendingDateTime)
	// Filters.
	byType := decode[list](t, a.post("documents/search", `{"dateFrom":"2025-01-01","documentType":"EAS_CROSSBORDER_GROUP","documentStatus":"ACCEPTED","senderBin":`+Exporter+`,"receiverBin":"`+s.Owner()+`","pagination":{}}`))
	require.Len(t, byType.DocumentsList, 1)
	assert.Equal(t, TypeShipment, byType.DocumentsList[0].Type)
	// No document: 404.
	got := a.post("documents/search", `{"dateFrom":"2030-01-01","pagination":{}}`)
	assert.Equal(t, http.StatusNotFound, got.status)
	assert.Equal(t, msgSearchNotFound, errMsg(t, got))

	for body, msg := range map[string]string{
		`{"pagination":{}}`:                                            "Отсутствует обязательный параметр: dateFrom",
		`{"dateFrom":"2025-01-01"}`:                                    "Отсутствует обязательный параметр: pagination",
		`{"dateFrom":"yesterday","pagination":{}}`:                     "Параметр dateFrom требует значение типа Date",
		`{"dateFrom":"2025-01-01","pagination":{"order":"UP"}}`:        "Параметр pagination.order требует значение типа Order (ASC, DESC)",
		`{"dateFrom":"2025-01-01","pagination":{"limit":"x"}}`:         "Параметр pagination.limit требует значение типа Integer",
		`{"dateFrom":"2025-01-01","pagination":{"offset":-1}}`:         "Параметр pagination.offset требует значение типа Integer",
		`{"dateFrom":"2025-01-01","pagination":{"limit":10001}}`:       "Лимит превышен, запросите не более 10000 документов. Получено значение 10001",
		`{"dateFrom":"2025-01-01","pagination":[]}`:                    cannotDeserialize(javaMap, []any{}),
		`{"dateFrom":"2025-01-01","documentType":"X","pagination":{}}`: "Параметр documentType требует значение типа DocumentType",
		`{"dateFrom":true,"pagination":{}}`:                            cannotDeserialize(javaString, true),
		`{"documentType":true,"pagination":{}}`:                        cannotDeserialize(javaString, true),
		`[]`:                                                           cannotDeserialize(javaMap, []any{}),
		`{`:                                                            "JSON parse error",
	} {
		got := a.post("documents/search", body)
		assert.Equal(t, http.StatusBadRequest, got.status, body)
		assert.Contains(t, errMsg(t, got), msg, body)
	}
}

func TestDocListKeyset(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	type item struct {
		Number, ReceivedAt, DocDate, Type, Status, SenderBin, ReceiverBin, DocumentFormat string
		Input                                                                             bool
		Errors                                                                            []string
	}
	type page struct {
		Results []item
		Total   int
	}
	first := decode[page](t, a.get("doc/listV2"))
	assert.Equal(t, 18, first.Total)
	require.Len(t, first.Results, 18)

	// Pages of 4 forward, then backward, cover everything once, in order,
	// across the two documents registered at the same instant.
	var seen []string
	var last item
	for {
		kv := []string{"limit", "4", "pg", "tobacco"}
		if last.Number != "" {
			kv = append(kv, "did", last.Number, "orderedColumnValue", last.ReceivedAt, "pageDir", "NEXT", "orderColumn", "receivedAt")
		}
		p := decode[page](t, a.get("doc/listV2", kv...))
		for _, it := range p.Results {
			seen = append(seen, it.Number)
		}
		if len(p.Results) < 4 {
			break
		}
		last = p.Results[len(p.Results)-1]
	}
	want := decode[page](t, a.get("doc/listV2", "pg", "tobacco"))
	require.Len(t, seen, want.Total)
	for i, it := range want.Results {
		assert.Equal(t, it.Number, seen[i])
	}
	assert.Less(t, want.Total, 18, "pg leaves out the documents of other groups")
	back := decode[page](t, a.get("doc/listV2", "limit", "3", "pg", "tobacco", "did", last.Number, "orderedColumnValue", last.ReceivedAt, "pageDir", "PREV"))
	require.Len(t, back.Results, 3)
	assert.Equal(t, seen[len(seen)-len(want.Results)%4-4:][:3], []string{back.Results[0].Number, back.Results[1].Number, back.Results[2].Number})

	desc := decode[page](t, a.get("doc/listV2", "order", "DESC"))
	assert.Equal(t, first.Results[0].Number, desc.Results[len(desc.Results)-1].Number)

	// Filters.
	in := decode[page](t, a.get("doc/listV2", "inputFormat", "true"))
	for _, it := range in.Results {
		assert.True(t, it.Input)
		assert.Equal(t, s.Owner(), it.ReceiverBin)
	}
	assert.Equal(t, 9, in.Total)
	assert.Equal(t, 2, decode[page](t, a.get("doc/listV2", "documentType", "KZ_INTRODUCE_GOODS,MTTPS_90")).Total)
	assert.Equal(t, 2, decode[page](t, a.get("doc/listV2", "documentStatus", "CHECKED_NOT_OK")).Total)
	assert.Equal(t, 1, decode[page](t, a.get("doc/listV2", "number", first.Results[3].Number)).Total)
	assert.Equal(t, 5, decode[page](t, a.get("doc/listV2", "participantBin", Exporter)).Total)
	assert.Equal(t, 4, decode[page](t, a.get("doc/listV2", "documentFormat", "XML")).Total)
	assert.Equal(t, 1, decode[page](t, a.get("doc/listV2", "dateFrom", first.Results[17].ReceivedAt)).Total)
	failed := decode[page](t, a.get("doc/listV2", "documentType", "IMPORT"))
	require.Len(t, failed.Results, 1)
	assert.NotEmpty(t, failed.Results[0].Errors)

	// did alone names the reference record (the D-25 example request
	// sends it so); an unknown number has nothing after it.
	after := decode[page](t, a.get("doc/listV2", "did", first.Results[3].Number, "limit", "2"))
	require.Len(t, after.Results, 2, "a limit without pg on doc/listV2, as in the D-25 example")
	assert.Equal(t, []string{first.Results[4].Number, first.Results[5].Number}, []string{after.Results[0].Number, after.Results[1].Number})
	before := decode[page](t, a.get("doc/listV2", "did", first.Results[3].Number, "pageDir", "PREV"))
	require.Len(t, before.Results, 3)
	assert.Equal(t, first.Results[2].Number, before.Results[2].Number)
	none := decode[page](t, a.get("doc/listV2", "did", "x"))
	assert.Empty(t, none.Results)
	assert.Equal(t, 18, none.Total)

	// docDate keeps the documents dated on that UTC day.
	day := decode[page](t, a.get("doc/listV2", "docDate", "2000-01-01T00:00:00.000Z"))
	assert.Zero(t, day.Total)
	dated := first.Results[0].DocDate
	require.NotEmpty(t, dated)
	onDay := 0
	for _, it := range first.Results {
		if it.DocDate[:10] == dated[:10] {
			onDay++
		}
	}
	day = decode[page](t, a.get("doc/listV2", "docDate", dated[:10]+"T00:00:00.000Z"))
	assert.Equal(t, onDay, day.Total)
	for _, it := range day.Results {
		assert.Equal(t, dated[:10], it.DocDate[:10])
	}
	assert.Equal(t, 400, a.get("doc/listV2", "docDate", "x").status)

	for _, kv := range [][]string{
		{"pg", "paper"}, {"limit", "10001", "pg", "milk"}, {"orderColumn", "emd"}, {"orderedColumnValue", "y"},
		{"did", "x", "orderedColumnValue", "y"}, {"pageDir", "UP"}, {"order", "UP"}, {"inputFormat", "maybe"},
		{"documentFormat", "PDF"}, {"dateFrom", "x"}, {"dateTo", "x"},
	} {
		got := a.get("doc/listV2", kv...)
		assert.Equal(t, http.StatusBadRequest, got.status, kv)
	}
	assert.Equal(t, http.StatusOK, a.get("doc/listV2", "limit", "5").status, "D-25 lists no pg")
	assert.Equal(t, "Отсутствует обязательный параметр: pg", errMsg(t, a.get("receipt/listV2", "limit", "5")), "D-27's pg row")
}

func TestDocInfo(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	docs := s.Documents("")
	act := docs[0]
	got := a.get("documents/" + act.ID + "/info")
	require.Equal(t, http.StatusOK, got.status, got.body)
	info := decode[map[string]any](t, got)
	assert.Equal(t, act.ID, info["number"])
	assert.Equal(t, act.Number, info["externalId"])
	assert.Equal(t, string(act.Content), info["content"])
	assert.Equal(t, true, info["input"])
	assert.Equal(t, TypeAct, info["type"])
	assert.NotNil(t, info["body"])
	byNumber := decode[map[string]any](t, a.get("documents/"+act.Number+"/info"))
	assert.Equal(t, act.ID, byNumber["number"])

	// Another participant's document: 403; an unknown one or a receipt: 404.
	var foreign Document
	for _, d := range s.Documents(OtherOwner1) {
		if d.Receiver == OtherOwner2 {
			foreign = d
		}
	}
	got = a.get("documents/" + foreign.ID + "/info")
	assert.Equal(t, http.StatusForbidden, got.status)
	assert.Equal(t, msgNoAccess, errMsg(t, got))
	got = a.get("edo-api/documents/info/" + foreign.ID)
	assert.Equal(t, http.StatusNotFound, got.status, "D-5 lists no 403")
	got = a.get("documents/nothing/info")
	assert.Equal(t, http.StatusNotFound, got.status)
	assert.Equal(t, msgDocNotFound, errMsg(t, got))
	got = a.get("documents/" + docs[len(docs)-1].ID + "/info")
	assert.Equal(t, http.StatusNotFound, got.status)

	// A JSON document's body is the document itself.
	for _, d := range docs {
		if d.Type == TypeShipment {
			info := decode[map[string]any](t, a.get("documents/"+d.ID+"/info"))
			body := info["body"].(map[string]any)
			assert.Equal(t, Exporter, body["exporterCode"])
			assert.Equal(t, "2025-03", info["docDate"].(string)[:7])
			break
		}
	}
}

func TestReceipts(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	type page struct {
		Results []struct{ Number, Type, ReceivedAt, DocumentFormat string }
		Total   int
	}
	all := decode[page](t, a.get("receipt/listV2"))
	assert.Equal(t, 10, all.Total)
	assert.Equal(t, 2, decode[page](t, a.get("receipt/listV2", "documentType", TypeReceiptReturn)).Total)
	assert.Equal(t, 5, decode[page](t, a.get("receipt/listV2", "documentFormat", "CSV")).Total)
	p := decode[page](t, a.get("receipt/listV2", "limit", "3", "pg", "tobacco"))
	require.Len(t, p.Results, 3)
	next := decode[page](t, a.get("receipt/listV2", "limit", "3", "pg", "tobacco", "did", p.Results[2].Number, "orderedColumnValue", p.Results[2].ReceivedAt))
	assert.Equal(t, all.Results[3].Number, next.Results[0].Number)
	got := a.get("receipt/listV2", "limit", "3")
	assert.Equal(t, http.StatusBadRequest, got.status, "a limit needs pg")

	id := all.Results[1].Number
	got = a.get("receipt/"+id+"/info", "pg", "tobacco")
	require.Equal(t, http.StatusOK, got.status, got.body)
	var r struct {
		DocumentID, Type, Status, SenderBin, KktRegID string
		FiscalDocumentNumber                          int64
		ShiftNumber, OperationType                    int
		Products                                      []struct{ Price, Count, Sum int64 }
		Body                                          struct {
			Products []struct {
				Cis, Gtin string
				Price     int64
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(got.body), &r))
	assert.Equal(t, id, r.DocumentID)
	assert.Equal(t, TypeReceipt, r.Type)
	assert.Equal(t, s.Owner(), r.SenderBin)
	assert.Equal(t, 1, r.OperationType)
	assert.NotZero(t, r.FiscalDocumentNumber)
	require.NotEmpty(t, r.Products)
	assert.Equal(t, r.Products[0].Price*r.Products[0].Count, r.Products[0].Sum)
	assert.Equal(t, r.Products[0].Price, r.Body.Products[0].Price)
	assert.NotEmpty(t, r.Body.Products[0].Cis)

	got = a.get("receipt/"+id+"/info", "pg", "alcohol")
	assert.Equal(t, http.StatusNotFound, got.status)
	got = a.get("receipt/nothing/info")
	assert.Equal(t, http.StatusNotFound, got.status)
	assert.Equal(t, "Чек с идентификатором nothing не найден", errMsg(t, got))
	got = a.get("receipt/" + s.Documents(OtherOwner1)[len(s.Documents(OtherOwner1))-1].ID + "/info")
	assert.Equal(t, http.StatusForbidden, got.status)
	assert.Contains(t, errMsg(t, got), "принадлежит другому владельцу")
	assert.Equal(t, http.StatusBadRequest, a.get("receipt/"+id+"/info", "pg", "paper").status)
}

func TestParseXMLNestedText(t *testing.T) {
	// Text before child elements, several levels deep: the character data
	// of open elements must survive the growth of the parser's stack.
	root, err := parseXML([]byte(`<a>1<b>2<c>3<d>4<e>5<f>6</f></e></d></c></b><!-- c --><b x="y"/>1</a>`))
	require.NoError(t, err)
	assert.Equal(t, "11", root.text)
	assert.Equal(t, "6", root.find("f").text)
	assert.Equal(t, "5", root.find("e").text)
	assert.Len(t, root.children("b"), 2)
	assert.Equal(t, obj{"b": []any{obj{"c": obj{"d": obj{"e": obj{"f": "6", "value": "5"}, "value": "4"}, "value": "3"}, "value": "2"}, obj{"x": "y"}}, "value": "11"}, root.toJSON())
}
