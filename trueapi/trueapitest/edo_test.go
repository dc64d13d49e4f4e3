package trueapitest

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEdoRegisters(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	in := decode[edoPage](t, a.get("edo-api/incoming-documents"))
	assert.Equal(t, 5, in.Count, "Acts only by default, the correction left out")
	assert.Equal(t, 6, decode[edoPage](t, a.get("edo-api/incoming-documents", "type", "1000", "type", "1100")).Count)
	out := decode[edoPage](t, a.get("edo-api/outgoing-documents"))
	assert.Equal(t, 4, out.Count, "three Acts and an import notice")
	for i := 1; i < len(in.Items); i++ {
		assert.LessOrEqual(t, in.Items[i-1].Date, in.Items[i].Date, "by date, ascending")
	}
	desc := decode[edoPage](t, a.get("edo-api/incoming-documents", "asc", "false", "sortBy", "date"))
	assert.Equal(t, in.Items[0], desc.Items[len(desc.Items)-1])
	byStatus := decode[edoPage](t, a.get("edo-api/incoming-documents", "sortBy", "status"))
	assert.True(t, slices.IsSortedFunc(byStatus.Items, func(x, y edoItem) int { return x.Status - y.Status }))
	byNumber := decode[edoPage](t, a.get("edo-api/incoming-documents", "sortBy", "number"))
	assert.True(t, slices.IsSortedFunc(byNumber.Items, func(x, y edoItem) int { return strings.Compare(x.Number, y.Number) }))

	// Offset pages of 2 give everything once.
	var ids []string
	for offset := 0; ; {
		p := decode[edoPage](t, a.get("edo-api/incoming-documents", "offset", strconv.Itoa(offset), "limit", "2"))
		assert.Equal(t, 5, p.Count, "count is the total")
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		offset += len(p.Items)
		if len(p.Items) == 0 || offset >= p.Count {
			break
		}
	}
	require.Len(t, ids, 5)
	for i, it := range in.Items {
		assert.Equal(t, it.ID, ids[i])
	}
	assert.Empty(t, decode[edoPage](t, a.get("edo-api/incoming-documents", "limit", "0")).Items)
	assert.Len(t, decode[edoPage](t, a.get("edo-api/incoming-documents", "limit", "null")).Items, 5)

	// Filters.
	assert.Equal(t, 3, decode[edoPage](t, a.get("edo-api/incoming-documents", "statuses", "3")).Count)
	assert.Equal(t, 4, decode[edoPage](t, a.get("edo-api/incoming-documents", "statuses", "3,61")).Count, "61 stands for 4")
	assert.Equal(t, 5, decode[edoPage](t, a.get("edo-api/incoming-documents", "statuses", "3", "statuses", "4", "statuses", "5")).Count)
	assert.Equal(t, 1, decode[edoPage](t, a.get("edo-api/incoming-documents", "partner_inn", OtherOwner2)).Count)
	mid := in.Items[2].Date
	assert.Equal(t, 3, decode[edoPage](t, a.get("edo-api/incoming-documents", "create_from", strconv.FormatInt(mid, 10))).Count)
	assert.Equal(t, 1, decode[edoPage](t, a.get("edo-api/incoming-documents", "create_from", strconv.FormatInt(mid, 10), "create_to", strconv.FormatInt(mid, 10))).Count)
	assert.Equal(t, 1, decode[edoPage](t, a.get("edo-api/outgoing-documents", "type", "1200")).Count)

	got := a.get("edo-api/outgoing-documents", "limit", "10001")
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Equal(t, "Лимит превышен, запросите не более 10000 документов. Получено значение 10001", errMsg(t, got))
	got = a.get("edo-api/outgoing-documents", "limit", "-1")
	assert.Equal(t, http.StatusInternalServerError, got.status)
	assert.Equal(t, "Ошибка при выполнении запроса", errMsg(t, got))
	for _, kv := range [][]string{{"limit", "x"}, {"offset", "-1"}, {"sortBy", "owner"}, {"asc", "yes"}, {"create_from", "2025-01-01"}, {"create_to", "x"}, {"statuses", "x"}, {"type", "x"}} {
		assert.Equal(t, http.StatusBadRequest, a.get("edo-api/incoming-documents", kv...).status, kv)
	}
}

func TestEdoBase64(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	docs := s.Documents("")
	incoming, outgoing := docs[0], docs[6]
	require.Equal(t, s.Owner(), incoming.Receiver)
	require.Equal(t, s.Owner(), outgoing.Sender)

	got := a.getText("edo-api/incoming-documents/" + incoming.ID + "/base64")
	require.Equal(t, http.StatusOK, got.status, got.body)
	assert.Equal(t, "text/plain; charset=utf-8", got.header.Get("Content-Type"))
	assert.Equal(t, incoming.Content, unb64(t, got.body))
	assert.True(t, bytes.HasPrefix(incoming.Content, []byte(xmlHeader)))
	got = a.getText("edo-api/outgoing-documents/" + outgoing.Number + "/base64")
	require.Equal(t, http.StatusOK, got.status, "the number works as the id")
	assert.Equal(t, outgoing.Content, unb64(t, got.body))
	got = a.get("edo-api/outgoing-documents/" + outgoing.ID + "/base64")
	assert.Equal(t, `"`+b64(outgoing.Content)+`"`+"\n", got.body, "JSON only: a JSON string")
	got = a.send(req{route: "edo-api/outgoing-documents/" + outgoing.ID + "/base64", header: http.Header{"Accept": {"application/xml"}}})
	assert.Equal(t, http.StatusNotAcceptable, got.status)

	for _, route := range []string{
		"edo-api/outgoing-documents/" + incoming.ID + "/base64", // not outgoing
		"edo-api/incoming-documents/" + outgoing.ID + "/base64", // not incoming
		"edo-api/incoming-documents/nothing/base64",
		"edo-api/incoming-documents/" + docs[12].ID + "/base64", // not an EDO document
	} {
		got := a.getText(route)
		assert.Equal(t, http.StatusNotFound, got.status, route)
		assert.Equal(t, msgEdoNotFound, errMsg(t, got), route)
	}
}

func TestEdoDecisions(t *testing.T) {
	s := start(t, Config{Codes: 60})
	a := newAPI(t, s)
	signer := ownerSigner(t)
	p1 := a.as(s, OtherOwner1)
	docs := s.Documents("")
	act := docs[0]
	require.Equal(t, ActAwaiting, act.EdoStatus)
	base := "edo-api/incoming-documents/" + act.ID + "/events/"

	// No title yet.
	got := a.getText(base + "approve/base64")
	assert.Equal(t, http.StatusNotFound, got.status)
	assert.Equal(t, msgIncomingNotFound, errMsg(t, got))

	// Step 1: the title, the same bytes when asked again.
	got = a.postText(base+"approve", "")
	require.Equal(t, http.StatusOK, got.status, got.body)
	title := unb64(t, got.body)
	assert.True(t, bytes.HasPrefix(title, []byte(xmlHeader)))
	root, err := parseXML(title)
	require.NoError(t, err)
	assert.Equal(t, DecisionApprove, root.attr("decision"))
	assert.True(t, strings.HasPrefix(root.attr("fileId"), "EEU_ACTPOK_"+s.Owner()+"_"+OtherOwner1+"_"), root.attr("fileId"))
	assert.Equal(t, s.Owner(), root.child("participants").attr("consigneeIdNumber"))
	assert.Equal(t, OtherOwner1, root.child("participants").attr("supplierIdNumber"))
	assert.Equal(t, act.FileID, root.find("sellerInfo").attr("sellerFileId"))
	assert.Equal(t, s.cfg.OwnerName, root.find("signer").attr("name"))
	again := a.send(req{method: http.MethodPost, route: base + "approve", header: http.Header{"Accept": {"*/*"}}})
	require.Equal(t, http.StatusOK, again.status, "no Content-Type for an empty body is fine")
	assert.Equal(t, title, unb64(t, again.body))
	assert.Equal(t, title, unb64(t, a.getText(base+"approve/base64").body))

	// Step 2: refusals, then the signature.
	sig := detached(t, signer, title)
	got = a.send(req{method: http.MethodPost, route: base + "approve/signature", body: b64(sig), header: http.Header{"Content-Type": {"application/json"}}})
	assert.Equal(t, http.StatusUnsupportedMediaType, got.status)
	got = a.send(req{method: http.MethodPost, route: base + "approve/signature", body: b64(sig), header: http.Header{"Content-Type": {""}}})
	assert.Equal(t, http.StatusUnsupportedMediaType, got.status, "the body must be labelled text/plain")
	got = a.postText(base+"approve/signature", "")
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Equal(t, msgNoBody, errMsg(t, got))
	got = a.postText(base+"approve/signature", "%%%")
	assert.Equal(t, http.StatusBadRequest, got.status)
	changed := bytes.Replace(title, []byte("APPROVE"), []byte("APPROVe"), 1)
	got = a.postText(base+"approve/signature", b64(detached(t, signer, changed)))
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Contains(t, errMsg(t, got), "Ошибка проверки подписи титула документа "+act.ID+": подпись не соответствует документу")
	got = a.postText(base+"reject/signature", b64(sig))
	assert.Equal(t, http.StatusBadRequest, got.status, "no reject title was created")
	assert.Contains(t, errMsg(t, got), "не сформирован")
	got = a.postText(base+"approve/signature", b64(sig))
	require.Equal(t, http.StatusCreated, got.status, got.body)
	assert.Empty(t, got.body)

	d, _ := s.Document(act.ID)
	assert.Equal(t, ActSigned, d.EdoStatus)
	require.Len(t, d.Titles, 1)
	assert.Equal(t, title, d.Titles[0].Content)
	assert.Equal(t, sig, d.Titles[0].Signature)
	assert.False(t, d.Titles[0].Signed.IsZero())
	assert.Equal(t, 2, s.ReceivedTimes(sig), "the refused reject/signature with it counts too")
	assert.Equal(t, 1, s.Stats().TitlesSigned)
	in := decode[edoPage](t, a.get("edo-api/incoming-documents", "statuses", "4"))
	assert.Contains(t, in.Items, edoItem{ID: act.ID, Status: ActSigned, Number: act.Number, Date: act.Received.Unix(), Type: EdoAct, CreatedAt: act.Received.Unix()})
	// The supplier sees the decision and its signed title (D-7).
	out := decode[edoPage](t, p1.get("edo-api/outgoing-documents", "statuses", "4"))
	assert.Contains(t, slices.Collect(func(yield func(string) bool) {
		for _, it := range out.Items {
			yield(it.ID)
		}
	}), act.ID)
	got = p1.getText("edo-api/outgoing-documents/" + act.ID + "/events/withdraw/base64")
	require.Equal(t, http.StatusOK, got.status, got.body)
	assert.Equal(t, title, unb64(t, got.body))

	// Decided: no new title, no second signature.
	got = a.postText(base+"reject", "")
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Contains(t, errMsg(t, got), "находится в статусе 4")
	got = a.postText(base+"approve/signature", b64(sig))
	assert.Equal(t, http.StatusBadRequest, got.status)

	// Reject another Act.
	other := docs[1]
	base = "edo-api/incoming-documents/" + other.ID + "/events/"
	title = unb64(t, a.postText(base+"reject", "").body)
	require.Equal(t, http.StatusCreated, a.postText(base+"reject/signature", b64(detached(t, signer, title))).status)
	d, _ = s.Document(other.ID)
	assert.Equal(t, ActRejected, d.EdoStatus)

	// Path errors.
	got = a.postText("edo-api/incoming-documents/"+docs[2].ID+"/events/APPROVE", "")
	assert.Equal(t, http.StatusBadRequest, got.status, "the decision is lower case")
	assert.Contains(t, errMsg(t, got), "approve, reject")
	assert.Equal(t, http.StatusBadRequest, a.getText("edo-api/incoming-documents/"+docs[2].ID+"/events/accept/base64").status)
	assert.Equal(t, http.StatusBadRequest, a.postText("edo-api/incoming-documents/"+docs[2].ID+"/events/x/signature", "x").status)
	got = a.postText("edo-api/incoming-documents/nothing/events/approve", "")
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Equal(t, "Документ с идентификатором nothing не найден", errMsg(t, got))
	got = a.send(req{method: http.MethodPost, route: "edo-api/incoming-documents/" + docs[2].ID + "/events/approve", body: "{}", header: http.Header{"Content-Type": {"application/json"}}})
	assert.Equal(t, http.StatusUnsupportedMediaType, got.status)
}

func TestEdoWithdraw(t *testing.T) {
	s := start(t, Config{Codes: 60, DocumentDelay: -1})
	a := newAPI(t, s)
	signer := ownerSigner(t)
	act := actFor(t, s, OtherOwner1, 1)
	got := a.postFormal(act, detached(t, signer, act))
	require.Equal(t, http.StatusOK, got.status, got.body)
	id := decode[map[string]string](t, got)["documentId"]
	base := "edo-api/outgoing-documents/" + id + "/events/"

	got = a.getText(base + "withdraw/base64")
	assert.Equal(t, http.StatusNotFound, got.status)
	assert.Equal(t, msgEventNotFound, errMsg(t, got))
	got = a.postText(base+"signature", b64(detached(t, signer, act)))
	assert.Equal(t, http.StatusBadRequest, got.status, "no title yet")

	got = a.postText(base+"withdraw", "")
	require.Equal(t, http.StatusOK, got.status, got.body)
	title := unb64(t, got.body)
	root, err := parseXML(title)
	require.NoError(t, err)
	assert.Equal(t, DecisionWithdraw, root.attr("decision"))
	assert.True(t, strings.HasPrefix(root.attr("fileId"), "EEU_ACTOTZ_"))
	d, _ := s.Document(id)
	assert.Equal(t, b64(d.Signature), root.find("sign").text, "the title carries the Act's signature")
	assert.Equal(t, title, unb64(t, a.getText(base+"withdraw/base64").body))

	require.Equal(t, http.StatusCreated, a.postText(base+"signature", b64(detached(t, signer, title))).status)
	d, _ = s.Document(id)
	assert.Equal(t, ActWithdrawn, d.EdoStatus)
	got = a.postText(base+"withdraw", "")
	assert.Equal(t, http.StatusBadRequest, got.status)
	// Another participant's outgoing document is unknown here.
	got = a.as(s, OtherOwner1).postText(base+"withdraw", "")
	assert.Equal(t, http.StatusBadRequest, got.status)
}
