package trueapitest

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxEdoLimit is the largest and the default limit of the EDO registers
// (D-1, D-2).
const MaxEdoLimit = 10000

// Messages of the EDO routes (the documentation's where it gives them).
const (
	msgEdoNotFound      = "Исходящий документ по идентификатору не найден" // D-3, D-4 (both)
	msgEventNotFound    = "Событие по идентификатору не найдено"           // D-7
	msgIncomingNotFound = "Эвент входящего документа не найден"            // D-8
	msgInternal         = "Ошибка при выполнении запроса"
)

// edoSortKeys are the sortBy values of the EDO registers
// (the documentation lists none): the item fields.
var edoSortKeys = []string{"date", "created_at", "number", "status", "type", "id"}

// edoStatusAliases maps the request-only status codes of D-1 to the
// statuses the items carry: 61 "Подписан
// получателем" is 4, 62 "Ошибка доставки" is 10.
var edoStatusAliases = map[int]int{61: ActSigned, 62: ActError}

// intList reads a repeated integer parameter; each value may also be a
// comma-separated list, as Spring binds both.
func (s *Server) intList(c *call, name string) ([]int, bool) {
	var out []int
	for _, raw := range c.q[name] {
		for v := range strings.SplitSeq(raw, ",") {
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				s.badType(c, name, "Integer")
				return nil, false
			}
			out = append(out, n)
		}
	}
	return out, true
}

// unixParam reads an optional Unix time in seconds.
func (s *Server) unixParam(c *call, name string) (*int64, bool) {
	v := c.q.Get(name)
	if v == "" {
		return nil, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		s.badType(c, name, "Long")
		return nil, false
	}
	return &n, true
}

// serveOutgoing answers D-1 GET edo-api/outgoing-documents.
func (s *Server) serveOutgoing(c *call) { s.edoList(c, true) }

// serveIncoming answers D-2 GET edo-api/incoming-documents; type defaults
// to 1000.
func (s *Server) serveIncoming(c *call) { s.edoList(c, false) }

// edoList answers an EDO register: {"count": n, "items": [{id, status,
// number, date, type, created_at}]}, the EDO documents the participant
// sent (outgoing) or received, with dates in Unix seconds. count is the
// number of matching documents, all pages together. Parameters: offset
// (from 0), limit (default and maximum 10000: above 400 with the
// documentation's message, below 0 500; 0 gives no items), sortBy (date,
// created_at, number, status, type or id; date by default), asc (true by
// default), create_from and create_to (Unix seconds, inclusive),
// partner_inn (the other party), statuses and type (repeated or
// comma-separated integers; 61 and 62 stand for 4 and 10).
func (s *Server) edoList(c *call, outgoing bool) {
	offset, ok := s.intParam(c, "offset", 0, 0)
	if !ok {
		return
	}
	limit := MaxEdoLimit
	if v := c.q.Get("limit"); v != "" && v != "null" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			s.badType(c, "limit", "Integer")
			return
		case n < 0:
			s.fail(c, http.StatusInternalServerError, msgInternal)
			return
		case n > MaxEdoLimit:
			s.fail(c, http.StatusBadRequest, fmt.Sprintf("Лимит превышен, запросите не более %d документов. Получено значение %d", MaxEdoLimit, n))
			return
		}
		limit = n
	}
	sortBy := cmp.Or(c.q.Get("sortBy"), "date")
	if !slices.Contains(edoSortKeys, sortBy) {
		s.fail(c, http.StatusBadRequest, "Сортировка по полю "+sortBy+" не поддерживается, допустимые значения: "+strings.Join(edoSortKeys, ", "))
		return
	}
	asc := true
	if v := c.q.Get("asc"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.badType(c, "asc", "Boolean")
			return
		}
		asc = b
	}
	from, ok1 := s.unixParam(c, "create_from")
	if !ok1 {
		return
	}
	to, ok2 := s.unixParam(c, "create_to")
	if !ok2 {
		return
	}
	statuses, ok3 := s.intList(c, "statuses")
	if !ok3 {
		return
	}
	for i, st := range statuses {
		statuses[i] = cmp.Or(edoStatusAliases[st], st)
	}
	types, ok4 := s.intList(c, "type")
	if !ok4 {
		return
	}
	if len(types) == 0 && !outgoing {
		types = []int{EdoAct}
	}
	partner := c.q.Get("partner_inn")
	now := time.Now()
	s.mu.Lock()
	var items []obj
	for _, d := range s.docs.order {
		mine, other := d.Receiver, d.Sender
		if outgoing {
			mine, other = d.Sender, d.Receiver
		}
		st := d.edoStatusAt(now)
		at := d.Received.Unix()
		if d.kind != kindEDO || mine != c.pid || (partner != "" && other != partner) ||
			(len(statuses) > 0 && !slices.Contains(statuses, st)) || (len(types) > 0 && !slices.Contains(types, d.EdoType)) ||
			(from != nil && at < *from) || (to != nil && at > *to) {
			continue
		}
		items = append(items, obj{"id": d.ID, "status": st, "number": d.Number, "date": at, "type": d.EdoType, "created_at": at})
	}
	s.mu.Unlock()
	slices.SortStableFunc(items, func(a, b obj) int {
		o := cmp.Or(compareItem(a[sortBy], b[sortBy]), compareItem(a["id"], b["id"]))
		if !asc {
			return -o
		}
		return o
	})
	count := len(items)
	items = items[min(offset, count):]
	items = items[:min(limit, len(items))]
	if items == nil {
		items = []obj{}
	}
	s.writeJSON(c, http.StatusOK, obj{"count": count, "items": items})
}

// compareItem orders two values of an EDO item field.
func compareItem(a, b any) int {
	switch a := a.(type) {
	case int:
		return cmp.Compare(a, b.(int))
	case int64:
		return cmp.Compare(a, b.(int64))
	}
	return strings.Compare(a.(string), b.(string))
}

// edoDoc returns the EDO document of the call's {documentId} (id or
// number) that the participant sent (outgoing) or received, or nil.
func (s *Server) edoDoc(c *call, outgoing bool) *doc {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.lookup(c.id)
	if d == nil || d.kind != kindEDO {
		return nil
	}
	if (outgoing && d.Sender != c.pid) || (!outgoing && d.Receiver != c.pid) {
		return nil
	}
	return d
}

// serveOutgoingBase64 answers D-3 GET
// edo-api/outgoing-documents/{documentId}/base64: the document XML as a
// bare base64 text.
func (s *Server) serveOutgoingBase64(c *call) { s.edoBase64(c, true) }

// serveIncomingBase64 answers D-4 GET
// edo-api/incoming-documents/{documentId}/base64.
func (s *Server) serveIncomingBase64(c *call) { s.edoBase64(c, false) }

// edoBase64 answers the base64 of an EDO document's content; 404 "Исходящий
// документ по идентификатору не найден" for both directions, as the
// documentation has it.
func (s *Server) edoBase64(c *call, outgoing bool) {
	d := s.edoDoc(c, outgoing)
	if d == nil {
		s.fail(c, http.StatusNotFound, msgEdoNotFound)
		return
	}
	s.mu.Lock()
	text := base64.StdEncoding.EncodeToString(d.Content)
	s.mu.Unlock()
	s.writeText(c, http.StatusOK, text)
}

// decisionParam reads the lowercase {decision} of the path: approve or
// reject. It answers 400 otherwise.
func (s *Server) decisionParam(c *call) (string, bool) {
	switch v := c.params[1]; v {
	case "approve":
		return DecisionApprove, true
	case "reject":
		return DecisionReject, true
	default:
		s.fail(c, http.StatusBadRequest, "Недопустимое значение параметра decision: "+v+" (допустимые значения: approve, reject)")
		return "", false
	}
}

// latestTitle returns the latest title of d with the decision (signed
// only when signed), or nil. The caller holds s.mu.
func (d *doc) latestTitle(decision string, signedOnly bool) *Title {
	for _, t := range slices.Backward(d.titles) {
		if t.Decision == decision && (!signedOnly || t.Signature != nil) {
			return t
		}
	}
	return nil
}

// serveWithdrawTitle answers D-7 GET
// edo-api/outgoing-documents/{documentId}/events/withdraw/base64: the
// latest withdrawal title of the participant's outgoing document, or,
// when it has none, the recipient's signed acceptance or rejection title
// (the documentation's Act scenario reads D-7 that way); 404 "Событие по
// идентификатору не найдено" otherwise.
func (s *Server) serveWithdrawTitle(c *call) {
	d := s.edoDoc(c, true)
	var t *Title
	s.mu.Lock()
	if d != nil {
		t = d.latestTitle(DecisionWithdraw, false)
		for _, dec := range []string{DecisionApprove, DecisionReject} {
			if t == nil {
				t = d.latestTitle(dec, true)
			}
		}
	}
	var text string
	if t != nil {
		text = base64.StdEncoding.EncodeToString(t.Content)
	}
	s.mu.Unlock()
	if t == nil {
		s.fail(c, http.StatusNotFound, msgEventNotFound)
		return
	}
	s.writeText(c, http.StatusOK, text)
}

// serveDecisionTitle answers D-8 GET
// edo-api/incoming-documents/{documentId}/events/{decision}/base64: the
// latest title of that decision created by D-9 (signed or not); 404
// "Эвент входящего документа не найден" when there is none.
func (s *Server) serveDecisionTitle(c *call) {
	decision, ok := s.decisionParam(c)
	if !ok {
		return
	}
	d := s.edoDoc(c, false)
	var text string
	s.mu.Lock()
	if d != nil {
		if t := d.latestTitle(decision, false); t != nil {
			text = base64.StdEncoding.EncodeToString(t.Content)
		}
	}
	s.mu.Unlock()
	if text == "" {
		s.fail(c, http.StatusNotFound, msgIncomingNotFound)
		return
	}
	s.writeText(c, http.StatusOK, text)
}

// serveCreateDecision answers D-9 POST
// edo-api/incoming-documents/{documentId}/events/{decision}: it generates
// the title of the decision for an incoming document awaiting confirmation
// (status 3) and answers its base64 as text. A title of the same decision
// not yet signed is answered again, byte for byte, so that a repeated
// request signs the same title.
func (s *Server) serveCreateDecision(c *call) {
	decision, ok := s.decisionParam(c)
	if ok {
		s.createTitle(c, false, decision)
	}
}

// serveCreateWithdraw answers D-11 POST
// edo-api/outgoing-documents/{documentId}/events/withdraw: the WITHDRAW
// title of an outgoing document awaiting confirmation, as D-9.
func (s *Server) serveCreateWithdraw(c *call) { s.createTitle(c, true, DecisionWithdraw) }

// titleDoc returns the EDO document of a title route, in Act status 3, or
// answers 400.
func (s *Server) titleDoc(c *call, outgoing bool, now time.Time) (*doc, bool) {
	d := s.edoDoc(c, outgoing)
	if d == nil {
		s.fail(c, http.StatusBadRequest, "Документ с идентификатором "+c.id+" не найден")
		return nil, false
	}
	s.mu.Lock()
	st := d.edoStatusAt(now)
	s.mu.Unlock()
	if st != ActAwaiting {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("Документ %s находится в статусе %d: действие возможно только в статусе %d (Ожидает подтверждения)", c.id, st, ActAwaiting))
		return nil, false
	}
	return d, true
}

// createTitle answers D-9 and D-11.
func (s *Server) createTitle(c *call, outgoing bool, decision string) {
	if !s.checkContentType(c, typeText, true) {
		return
	}
	now := time.Now()
	d, ok := s.titleDoc(c, outgoing, now)
	if !ok {
		return
	}
	s.mu.Lock()
	t := d.latestTitle(decision, false)
	if t == nil || t.Signature != nil {
		t = &Title{Decision: decision, Created: now, Content: s.titleXML(d, decision, c.pid, now)}
		d.titles = append(d.titles, t)
	}
	text := base64.StdEncoding.EncodeToString(t.Content)
	s.mu.Unlock()
	s.writeText(c, http.StatusOK, text)
}

// titleXML generates a title (D-7 structure): the file with its
// fileId, version and decision, the participants, the buyer's (or
// supplier's) info with the signed Act's fileId, time and signature, and
// the signer's name. The caller holds s.mu.
func (s *Server) titleXML(d *doc, decision, pid string, now time.Time) []byte {
	kind := "ACTPOK"
	if decision == DecisionWithdraw {
		kind = "ACTOTZ"
	}
	fileID := fmt.Sprintf("EEU_%s_%s_%s_%s_%s", kind, d.Receiver, d.Sender, now.UTC().Format(time.DateOnly), newUUID())
	sellerAt := cmp.Or(d.root.attr("sendingDateTime"), d.Received.UTC().Format(layoutSeconds))
	return []byte(xmlHeader + "\n" +
		`<file fileId="` + esc(fileID) + `" version="1.0" decision="` + decision + `">` +
		`<participants consigneeIdNumber="` + esc(d.Receiver) + `" supplierIdNumber="` + esc(d.Sender) + `"/>` +
		`<buyerInfo purchaseTimestamp="` + now.UTC().Format("2006-01-02T15:04:05") + `">` +
		`<sellerInfo sellerFileId="` + esc(d.FileID) + `" sellerFileTimestamp="` + esc(sellerAt) + `">` +
		`<sign>` + base64.StdEncoding.EncodeToString(d.Signature) + `</sign></sellerInfo>` +
		`<signer name="` + esc(cmp.Or(s.participantName(pid), pid)) + `"/>` +
		`</buyerInfo></file>`)
}

// serveSignDecision answers D-10 POST
// edo-api/incoming-documents/{documentId}/events/{decision}/signature.
func (s *Server) serveSignDecision(c *call) {
	decision, ok := s.decisionParam(c)
	if ok {
		s.signTitle(c, false, decision)
	}
}

// serveSignWithdraw answers D-12 POST
// edo-api/outgoing-documents/{documentId}/events/signature (the path of
// the documentation's heading, not the changelog's …/withdraw/signature).
func (s *Server) serveSignWithdraw(c *call) { s.signTitle(c, true, DecisionWithdraw) }

// signTitle answers D-10 and D-12: the text/plain body is the base64 of a
// detached CMS over the exact bytes of the title created by D-9 or D-11.
// Once it verifies, the document's Act status becomes 4 (approve), 5
// (reject) or 16 (withdraw), and the answer is 201 with no body.
func (s *Server) signTitle(c *call, outgoing bool, decision string) {
	if !s.checkContentType(c, typeText, false) {
		return
	}
	body, ok := s.readLimited(c, s.maxBody)
	if !ok {
		return
	}
	if len(bytes.TrimSpace(body)) == 0 {
		s.fail(c, http.StatusBadRequest, msgNoBody)
		return
	}
	sig, err := decode64(string(body))
	if err != nil {
		s.fail(c, http.StatusBadRequest, "Тело запроса должно содержать подпись CMS в формате BASE64")
		return
	}
	s.received(sig)
	now := time.Now()
	d, ok := s.titleDoc(c, outgoing, now)
	if !ok {
		return
	}
	s.mu.Lock()
	t := d.latestTitle(decision, false)
	var content []byte
	if t != nil {
		content = t.Content
	}
	s.mu.Unlock()
	if t == nil {
		s.fail(c, http.StatusBadRequest, "Титул "+decision+" документа "+c.id+" не сформирован")
		return
	}
	if reason := s.verifySignature(sig, content, c.pid, false); reason != "" {
		s.fail(c, http.StatusBadRequest, msgSignature+" титула документа "+c.id+": "+reason)
		return
	}
	s.mu.Lock()
	if d.edoStatusAt(now) != ActAwaiting || t.Signature != nil {
		s.mu.Unlock()
		s.fail(c, http.StatusBadRequest, "Документ "+c.id+" уже подписан")
		return
	}
	t.Signature, t.Signed = sig, now
	d.decided = map[string]int{DecisionApprove: ActSigned, DecisionReject: ActRejected, DecisionWithdraw: ActWithdrawn}[decision]
	s.stats.TitlesSigned++
	s.mu.Unlock()
	s.writeEmpty(c, http.StatusCreated)
}
