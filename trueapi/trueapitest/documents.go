package trueapitest

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// Content types of the document transports.
const (
	typeText      = "text/plain"
	typeMultipart = "multipart/form-data"
)

// textRoutes are the routes whose answers may be text/plain as well as
// JSON: the base64 getters and title creators, the empty answers, the
// processing numbers.
var textRoutes = map[string][]string{
	"edo-api/outgoing-documents/{documentId}/base64":                      {typeText},
	"edo-api/incoming-documents/{documentId}/base64":                      {typeText},
	"edo-api/outgoing-documents/{documentId}/events/withdraw/base64":      {typeText},
	"edo-api/incoming-documents/{documentId}/events/{decision}/base64":    {typeText},
	"edo-api/incoming-documents/{documentId}/events/{decision}":           {typeText},
	"edo-api/incoming-documents/{documentId}/events/{decision}/signature": {typeText},
	"edo-api/outgoing-documents/{documentId}/events/withdraw":             {typeText},
	"edo-api/outgoing-documents/{documentId}/events/signature":            {typeText},
	"documents/transit/introduce-goods/create":                            {typeText},
	"documents/transit/import/third_countries":                            {typeText},
	"documents/writeOff": {typeText},
}

// Participants the fake's documents name besides the data set's owners.
const (
	// Exporter is the Russian exporter (a 10-digit INN) of the seeded
	// incoming EAEU shipments and of the seeded EAEU import notice.
	Exporter = "7731376812"
	// ExporterName is the name of [Exporter].
	ExporterName = `ООО "Северный Экспорт"`
	// PreRegisteredBIN is a consignee that has not finished its
	// registration: an Act to it is refused with the documentation's 400
	// "…Organisation status PRE_REGISTERED_* incorrect." (D-14).
	PreRegisteredBIN = "990240000019"
)

// Messages of the document routes (the documentation's where it gives them).
const (
	msgPreRegistered  = "EdoApiServiceProxy#createOutgoingDocumentJsonKzUpd(DocumentWrapperDto): Organisation status PRE_REGISTERED_* incorrect."
	msgSignature      = "Ошибка проверки подписи"
	msgDocNotFound    = "Документ с указанным идентификатором не найден"
	msgNoAccess       = "Отсутствует доступ к ресурсу"
	msgSearchNotFound = "Документы с указанными параметрами не найдены"
	msgNoBody         = "Required request body is missing"
)

// docRoute says how a document-creating route answers its errors.
type docRoute struct {
	// name is the route as recorded in Document.Route.
	name string
	// emptyStatus is the status of a missing or undecodable document or
	// signature: 400, or 422 for shipments and acceptances.
	emptyStatus int
	// sigStatus is the status of a signature that does not verify.
	sigStatus int
	// coded answers {"code": "<status>", "description": msg} instead of
	// {"error_message": msg} (the import methods, §7.8–§7.11).
	coded bool
	// attachedOK accepts an attached CMS whose content is the document
	// (shipments, whose mode the documentation does not state).
	attachedOK bool
}

// refuse answers an error in the route's shape.
func (s *Server) refuse(c *call, rt docRoute, status int, msg string) {
	if rt.coded {
		s.writeJSON(c, status, obj{"code": strconv.Itoa(status), "description": msg})
		return
	}
	s.fail(c, status, msg)
}

// checkContentType answers 415 unless the request's media type is want;
// a missing Content-Type passes when missingOK.
func (s *Server) checkContentType(c *call, want string, missingOK bool) bool {
	ct := c.r.Header.Get("Content-Type")
	if ct == "" && missingOK {
		return true
	}
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != want {
		s.fail(c, http.StatusUnsupportedMediaType, "Content type '"+ct+"' not supported")
		return false
	}
	return true
}

// docBodyLimit is the largest body of a document route: the base64 of a
// document of MaxBodySize and room for the rest. The document itself may
// not exceed MaxBodySize (the documentation: 30 MB, 413 above).
func (s *Server) docBodyLimit() int64 { return s.maxBody/3*4 + 8 + 64<<10 }

// readLimited reads the body, at most limit bytes; it answers 413 above.
func (s *Server) readLimited(c *call, limit int64) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, limit))
	if err != nil {
		s.readError(c, err)
		return nil, false
	}
	return body, true
}

// readError answers a failure to read the body: 413 when it was too
// large, 400 otherwise.
func (s *Server) readError(c *call, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.fail(c, http.StatusRequestEntityTooLarge, msgTooLarge)
		return
	}
	s.fail(c, http.StatusBadRequest, "I/O error while reading input message: "+err.Error())
}

// decode64 decodes standard base64, line breaks and blanks allowed.
func decode64(v string) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v), ""))
}

// jsonSubmission reads the JSON transport {"document": base64,
// "signature": base64} (unknown fields are ignored, as Jackson does) and
// returns the decoded document and signature, which it counts as
// received. It answers the errors itself.
func (s *Server) jsonSubmission(c *call, rt docRoute) (content, sig []byte, ok bool) {
	if !s.checkContentType(c, typeJSON, true) {
		return nil, nil, false
	}
	body, ok := s.readLimited(c, s.docBodyLimit())
	if !ok {
		return nil, nil, false
	}
	m, msg := decodeObject(body)
	if msg != "" {
		s.fail(c, http.StatusBadRequest, msg)
		return nil, nil, false
	}
	fields := map[string]string{}
	for _, name := range []string{"document", "signature"} {
		switch x := m[name].(type) {
		case nil:
		case string:
			fields[name] = x
		default:
			s.fail(c, http.StatusBadRequest, cannotDeserialize(javaString, x))
			return nil, nil, false
		}
	}
	return s.submission(c, rt, fields["document"], fields["signature"], "document")
}

// submission decodes the base64 document and signature of a request,
// checks the document's size and counts it as received. docField names
// the document's field in the messages.
func (s *Server) submission(c *call, rt docRoute, doc64, sig64, docField string) (content, sig []byte, ok bool) {
	for _, f := range []struct{ name, value string }{{docField, doc64}, {"signature", sig64}} {
		if strings.TrimSpace(f.value) == "" {
			s.refuse(c, rt, rt.emptyStatus, "Отсутствует обязательный параметр: "+f.name)
			return nil, nil, false
		}
	}
	content, err := decode64(doc64)
	if err != nil {
		s.refuse(c, rt, rt.emptyStatus, "Параметр "+docField+" должен содержать данные в формате BASE64")
		return nil, nil, false
	}
	if sig, err = decode64(sig64); err != nil {
		s.refuse(c, rt, rt.emptyStatus, "Параметр signature должен содержать подпись CMS в формате BASE64")
		return nil, nil, false
	}
	if int64(len(content)) > s.maxBody {
		s.fail(c, http.StatusRequestEntityTooLarge, msgTooLarge)
		return nil, nil, false
	}
	s.received(content)
	return content, sig, true
}

// verifySignature checks that sig is a CMS over content by the
// participant: detached, or attached with content as its content when
// attachedOK. The signer's certificate must map to pid as a sign-in's
// would ([ParticipantOf], unknown ids mapping to the owner). It returns
// "" or the reason of the refusal, and counts refusals.
func (s *Server) verifySignature(sig, content []byte, pid string, attachedOK bool) string {
	reason := func() string {
		signed, err := signing.Verify(sig, content)
		if err != nil {
			return "подпись не соответствует документу: " + err.Error()
		}
		if !signed.Detached {
			if !attachedOK {
				return "подпись должна быть открепленной (без включения данных в подпись)"
			}
			if !bytes.Equal(signed.Content, content) {
				return "подпись не соответствует документу: подписаны другие данные"
			}
		}
		if p := s.participant(signed.Certificate); p != pid {
			return "сертификат подписи принадлежит участнику " + p + ", а не " + pid
		}
		return ""
	}()
	if reason != "" {
		s.count(func(st *Stats) { st.SignatureFailures++ })
	}
	return reason
}

// writeText answers text as text/plain, or as a JSON string when the
// client accepts JSON but not text.
func (s *Server) writeText(c *call, status int, text string) {
	if !accepts(c.r.Header, typeText) {
		s.writeJSON(c, status, text)
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(text)))
	c.w.WriteHeader(status)
	_, _ = io.WriteString(c.w, text)
}

// writeEmpty answers status with an empty body.
func (s *Server) writeEmpty(c *call, status int) {
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(status)
}

// xmlRoute is a route taking an XML document in the JSON transport.
type xmlRoute struct {
	docRoute
	typ string
	// check checks the parsed document of the participant and returns ""
	// or the reason it is invalid.
	check func(root *node, pid string) string
}

// serveIntroduce answers D-13 POST documents/transit/introduce-goods/create:
// {"document","signature"} (the documentation's reading of an empty table); 200
// with an empty body. The document id is the XML fileId.
func (s *Server) serveIntroduce(c *call) {
	rt := xmlRoute{docRoute: docRoute{name: "POST documents/transit/introduce-goods/create", emptyStatus: http.StatusBadRequest, sigStatus: http.StatusUnprocessableEntity},
		typ: TypeIntroduceGoods, check: checkNotice(3)}
	if _, ok := s.xmlDocument(c, rt); ok {
		s.writeEmpty(c, http.StatusOK)
	}
}

// serveThirdCountries answers D-16 POST
// documents/transit/import/third_countries: 200 with the internal
// processing number as text. The document id is the XML fileId,
// "IMPORT_<uuid>".
func (s *Server) serveThirdCountries(c *call) {
	rt := xmlRoute{docRoute: docRoute{name: "POST documents/transit/import/third_countries", emptyStatus: http.StatusBadRequest, sigStatus: http.StatusUnprocessableEntity},
		typ: TypeImport, check: checkImport}
	if d, ok := s.xmlDocument(c, rt); ok {
		s.writeText(c, http.StatusOK, d.ProcessingNumber)
	}
}

// serveWriteOff answers D-17 POST documents/writeOff: 200 with the
// internal processing number as text. The document id is the XML fileId;
// its type is MTTPS_90 (the documentation's "withdrawal", D-5), not WRITE_OFF.
func (s *Server) serveWriteOff(c *call) {
	rt := xmlRoute{docRoute: docRoute{name: "POST documents/writeOff", emptyStatus: http.StatusBadRequest, sigStatus: http.StatusUnprocessableEntity},
		typ: TypeWithdrawal, check: checkNotice(18)}
	if d, ok := s.xmlDocument(c, rt); ok {
		s.writeText(c, http.StatusOK, d.ProcessingNumber)
	}
}

// checkNotice checks a re-introduction or withdrawal notice: the
// participant is the caller, reason is 1 to maxReason, at least one code.
func checkNotice(maxReason int) func(root *node, pid string) string {
	return func(root *node, pid string) string {
		if id := root.find("participantInfo").field("participantIdentificationCode"); id != pid {
			return "participantIdentificationCode " + id + " не совпадает с ИИН/БИН участника " + pid
		}
		reason := root.find("mainInfo").field("reason")
		if n, err := strconv.Atoi(reason); err != nil || n < 1 || n > maxReason {
			return fmt.Sprintf("недопустимое значение reason %q (допустимо от 1 до %d)", reason, maxReason)
		}
		if len(root.all("iCode")) == 0 {
			return "в документе нет ни одного кода идентификации (productList/iCode)"
		}
		return ""
	}
}

// checkImport checks a third-country import notice: fileId
// "IMPORT_<uuid>", the importer is the caller, at least one item.
func checkImport(root *node, pid string) string {
	fileID := root.field("fileId")
	if rest, ok := strings.CutPrefix(fileID, "IMPORT_"); !ok || !uuidRE.MatchString(rest) {
		return "неверный формат fileId " + fileID + ": ожидается IMPORT_<UUID>"
	}
	if code := root.find("importerInfo").field("importerCode"); code != pid {
		return "importerCode " + code + " не совпадает с ИИН/БИН участника " + pid
	}
	if len(root.all("item")) == 0 {
		return "в документе нет ни одного товара (productItems/item)"
	}
	return ""
}

// xmlDocument registers an XML document sent in the JSON transport: it
// checks the XML, the route's rules and the signature, refuses a fileId
// already registered, and stores the document under its fileId.
func (s *Server) xmlDocument(c *call, rt xmlRoute) (Document, bool) {
	content, sig, ok := s.jsonSubmission(c, rt.docRoute)
	if !ok {
		return Document{}, false
	}
	root, msg := parseDocXML(content)
	if msg == "" {
		msg = rt.check(root, c.pid)
	}
	if msg != "" {
		s.fail(c, http.StatusBadRequest, msgBadXML+": "+msg)
		return Document{}, false
	}
	fileID := root.field("fileId")
	if reason := s.verifySignature(sig, content, c.pid, false); reason != "" {
		s.refuse(c, rt.docRoute, rt.sigStatus, msgSignature+" документа "+fileID+": "+reason)
		return Document{}, false
	}
	now := time.Now()
	s.mu.Lock()
	if s.lookup(fileID) != nil {
		s.mu.Unlock()
		s.fail(c, http.StatusBadRequest, "Документ с идентификатором "+fileID+" уже зарегистрирован")
		return Document{}, false
	}
	d := &doc{kind: kindPlain, root: root, format: "XML", Document: Document{
		ID: fileID, FileID: fileID, Type: rt.typ, Sender: c.pid, SenderName: s.participantName(c.pid),
		Content: content, Signature: sig, Route: rt.name, ProductGroup: s.groupOfLocked(root),
	}}
	if rt.typ != TypeIntroduceGoods {
		d.ProcessingNumber = strconv.FormatInt(1000000+s.docs.next(), 10)
	}
	s.register(d, now)
	out := d.snapshot(now)
	s.mu.Unlock()
	return out, true
}

// groupOfLocked is the product group of the first code of the document
// the fake knows, or "". The caller holds s.mu.
func (s *Server) groupOfLocked(root *node) string {
	for _, name := range []string{"iCode", "iCodeFromDeclaration"} {
		for _, n := range root.all(name) {
			if code, ok := s.codes[canonical(n.text)]; ok {
				return code.ProductGroup
			}
		}
	}
	return ""
}

// serveFormal answers D-14 and D-15 POST edo-api/outgoing-documents/formal:
// multipart/form-data with the parts content (base64 XML) and signature
// (base64 detached CMS, required: drafts were removed in 2.22.0). The
// fileId prefix tells the document apart: EEU_ACT_ (Act), COR_ACT_
// (correction), DIVERG (divergence notice), IMPORT_TRANSIT_ and
// IM_TRANSIT_COR_ (EAEU import notices), each followed by a UUID. The
// answer is JSON {"documentId"} (the documentation does not show its form); the
// id is generated, the fileId stays in the content.
func (s *Server) serveFormal(c *call) {
	rt := docRoute{name: "POST edo-api/outgoing-documents/formal", emptyStatus: http.StatusBadRequest, sigStatus: http.StatusBadRequest}
	if !s.checkContentType(c, typeMultipart, false) {
		return
	}
	parts, ok := s.multipartFields(c, "content", "signature")
	if !ok {
		return
	}
	content, sig, ok := s.submission(c, rt, parts["content"], parts["signature"], "content")
	if !ok {
		return
	}
	d, msg := s.formalDoc(content, c.pid)
	if msg != "" {
		s.fail(c, http.StatusBadRequest, msg)
		return
	}
	if reason := s.verifySignature(sig, content, c.pid, false); reason != "" {
		s.fail(c, rt.sigStatus, msgSignature+" документа "+d.FileID+": "+reason)
		return
	}
	now := time.Now()
	s.mu.Lock()
	for _, o := range s.docs.order {
		if o.FileID == d.FileID && o.Sender == d.Sender {
			s.mu.Unlock()
			s.fail(c, http.StatusBadRequest, "Документ с fileId "+d.FileID+" уже зарегистрирован")
			return
		}
	}
	d.ID, d.Number, d.Signature, d.Route = newUUID(), newUUID(), sig, rt.name
	d.ProductGroup = s.groupOfLocked(d.root)
	s.register(d, now)
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, obj{"documentId": d.ID})
}

// multipartFields reads the named parts of a multipart body (form fields
// or files alike, the first of each name); a missing part gets Spring's
// 400.
func (s *Server) multipartFields(c *call, names ...string) (map[string]string, bool) {
	c.r.Body = http.MaxBytesReader(c.w, c.r.Body, s.docBodyLimit())
	mr, err := c.r.MultipartReader()
	if err != nil {
		s.fail(c, http.StatusBadRequest, "Failed to parse multipart servlet request: "+err.Error())
		return nil, false
	}
	out := map[string]string{}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			var b []byte
			b, err = io.ReadAll(p)
			if _, seen := out[p.FormName()]; !seen && err == nil && slices.Contains(names, p.FormName()) {
				out[p.FormName()] = string(b)
			}
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				s.readError(c, err)
			} else {
				s.fail(c, http.StatusBadRequest, "Failed to parse multipart servlet request: "+err.Error())
			}
			return nil, false
		}
	}
	for _, n := range names {
		if _, ok := out[n]; !ok {
			s.fail(c, http.StatusBadRequest, "Required request part '"+n+"' is not present")
			return nil, false
		}
	}
	return out, true
}

// formalDoc checks a formal document of the participant and builds its
// record, or returns the 400 message.
func (s *Server) formalDoc(content []byte, pid string) (*doc, string) {
	root, msg := parseDocXML(content)
	if msg != "" {
		return nil, msgBadXML + ": " + msg
	}
	fileID := root.field("fileId")
	typ, edoType, ok := formalKind(fileID)
	if !ok {
		return nil, msgBadXML + ": неизвестный или неверный формат fileId " + fileID +
			" (ожидается EEU_ACT_, COR_ACT_, DIVERG, IMPORT_TRANSIT_ или IM_TRANSIT_COR_ и UUID)"
	}
	parts := root.find("participants")
	supplier := cmp.Or(parts.attr("supplierId"), root.find("supplierInfo").attr("supplierIdentificationCode"))
	consignee := cmp.Or(parts.attr("consigneeId"), root.find("consigneeInfo").attr("consigneeIdentificationCode"))
	if supplier == "" || consignee == "" {
		return nil, msgBadXML + ": не указаны ИИН/БИН поставщика и получателя (participants@supplierId, participants@consigneeId)"
	}
	sender, receiver := supplier, consignee
	if edoType != EdoAct && edoType != EdoActCorrection {
		sender, receiver = consignee, supplier
	}
	if sender != pid {
		return nil, "ИИН/БИН отправителя документа " + sender + " не совпадает с участником " + pid
	}
	codes := root.all("iCode")
	if len(codes) == 0 {
		return nil, msgBadXML + ": в документе нет ни одного кода идентификации (productList/iCode)"
	}
	if edoType == EdoAct || edoType == EdoActCorrection {
		if receiver == PreRegisteredBIN {
			return nil, msgPreRegistered
		}
		for _, n := range codes {
			if v, err := strconv.Atoi(n.attr("count")); err != nil || v < 1 {
				return nil, msgBadXML + ": у кода " + n.text + " нет обязательного атрибута count"
			}
		}
	}
	return &doc{kind: kindEDO, root: root, format: "UPD", Document: Document{
		FileID: fileID, Type: typ, EdoType: edoType, Content: content,
		Sender: sender, SenderName: s.participantName(sender), Receiver: receiver, ReceiverName: s.participantName(receiver),
	}}, ""
}

// visibleDoc returns the document with the id or number if the
// participant is a party of it. It answers 404 for an unknown document and
// forbidden (403, or 404 when 0) for another participant's; receipts are
// unknown here. The caller must not hold s.mu.
func (s *Server) visibleDoc(c *call, forbidden int) (*doc, bool) {
	s.mu.Lock()
	d := s.lookup(c.id)
	s.mu.Unlock()
	switch {
	case d == nil || d.kind == kindReceipt:
		s.fail(c, http.StatusNotFound, msgDocNotFound)
		return nil, false
	case !d.visibleTo(c.pid) && forbidden != 0:
		s.fail(c, forbidden, msgNoAccess)
		return nil, false
	case !d.visibleTo(c.pid):
		s.fail(c, http.StatusNotFound, msgDocNotFound)
		return nil, false
	}
	return d, true
}

// serveEdoInfo answers D-5 GET edo-api/documents/info/{documentId}: one
// object {status, type, body} (the documentation's text reading; its screenshot
// shows an array). body is {document, fileId, version, sendingDateTime}
// for an XML document, the JSON document itself otherwise.
func (s *Server) serveEdoInfo(c *call) {
	d, ok := s.visibleDoc(c, 0)
	if !ok {
		return
	}
	now := time.Now()
	s.mu.Lock()
	out := obj{"status": d.statusAt(now), "type": d.Type, "body": s.documentBody(d)}
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, out)
}

// documentBody is the JSON form of a document's content (D-5, D-26). An
// XML document is converted element by element ([node.toJSON]); its codes
// become {value, name, status} (cisList for re-introduction and
// withdrawal, productList otherwise) and its GTIN totals a map of counts;
// exciseInfo is named exciseDocInfo as in D-5. The caller holds s.mu.
func (s *Server) documentBody(d *doc) any {
	if d.root == nil {
		var v any
		if json.Unmarshal(d.Content, &v) != nil {
			return obj{}
		}
		return v
	}
	el := d.root.child("document")
	m, _ := el.toJSON().(obj)
	if m == nil {
		m = obj{}
	}
	if pl := el.child("productList"); pl != nil {
		list := []obj{}
		for _, ic := range pl.children("iCode") {
			e := obj{"value": ic.text, "name": "", "status": ""}
			if code, ok := s.codes[canonical(ic.text)]; ok {
				e["name"], e["status"] = code.ProductName, code.Status
			}
			if n, err := strconv.Atoi(ic.attr("count")); err == nil {
				e["count"] = n
			}
			list = append(list, e)
		}
		delete(m, "productList")
		key := "productList"
		if d.Type == TypeIntroduceGoods || d.Type == TypeWithdrawal {
			key = "cisList"
		}
		m[key] = list
	}
	if pt := el.child("productTotals"); pt != nil {
		totals := obj{}
		for _, g := range pt.children("gtin") {
			n, _ := strconv.Atoi(g.attr("count"))
			totals[g.text] = n
		}
		m["productTotals"] = totals
	}
	if mi, ok := m["mainInfo"].(obj); ok && mi["exciseInfo"] != nil {
		mi["exciseDocInfo"] = mi["exciseInfo"]
		delete(mi, "exciseInfo")
	}
	return obj{"document": m, "fileId": d.FileID, "version": d.root.attr("version"), "sendingDateTime": d.root.attr("sendingDateTime")}
}

// searchTypes are the documentType values of D-6.
var searchTypes = []string{TypeIntroduceGoods, TypeWithdrawal, TypeImport, TypeImportTransit, TypeWriteOff,
	TypeAggregation, TypeAct, TypeShipment, TypeShipmentGroup}

// searchBody is a parsed body of documents/search or searchV2.
type searchBody struct {
	typ, status, sender, receiver string
	from, to                      time.Time
	offset, limit                 int
	desc                          bool
}

// searchBody reads and parses the body of D-6 (d6) or D-21; it answers a
// refusal itself, as {"error_message"} for D-6 and {"code",
// "description"} for D-21.
func (s *Server) searchBody(c *call, d6 bool) (searchBody, bool) {
	body, ok := s.readBody(c)
	if !ok {
		return searchBody{}, false
	}
	sb, status, msg := parseSearch(body, d6)
	if msg != "" {
		s.refuse(c, docRoute{coded: !d6}, status, msg)
		return sb, false
	}
	return sb, true
}

// parseSearch reads the body of D-6 (d6: dateFrom and pagination
// required) or D-21 (documentType required, one of the EAEU types). It
// returns the body, or the status and message of the
// refusal.
func parseSearch(body []byte, d6 bool) (searchBody, int, string) {
	var sb searchBody
	m, msg := decodeObject(body)
	if msg != "" {
		return sb, http.StatusBadRequest, msg
	}
	str := func(name string) (string, string) {
		x, ok := jsonText(m[name])
		if !ok {
			return "", cannotDeserialize(javaString, m[name])
		}
		return x, ""
	}
	fields := []struct {
		name string
		dst  *string
	}{{"documentType", &sb.typ}, {"documentStatus", &sb.status}, {"senderBin", &sb.sender}, {"receiverBin", &sb.receiver}}
	for _, f := range fields {
		if *f.dst, msg = str(f.name); msg != "" {
			return sb, http.StatusBadRequest, msg
		}
	}
	dates := []struct {
		name string
		dst  *time.Time
	}{{"dateFrom", &sb.from}, {"dateTo", &sb.to}}
	for _, f := range dates {
		name, dst := f.name, f.dst
		raw, msg := str(name)
		if msg != "" {
			return sb, http.StatusBadRequest, msg
		}
		if raw == "" {
			if d6 && name == "dateFrom" {
				return sb, http.StatusBadRequest, "Отсутствует обязательный параметр: dateFrom"
			}
			continue
		}
		t, ok := parseDay(raw)
		if !ok {
			return sb, http.StatusBadRequest, "Параметр " + name + " требует значение типа Date"
		}
		*dst = t
	}
	if !d6 && !slices.Contains([]string{TypeShipment, TypeAcceptance, TypeShipmentGroup}, sb.typ) {
		return sb, http.StatusUnprocessableEntity, "Параметр documentType должен быть одним из EAS_CROSSBORDER, LP_ACCEPT_GOODS, EAS_CROSSBORDER_GROUP, получено: " + sb.typ
	}
	if d6 && sb.typ != "" && !slices.Contains(searchTypes, sb.typ) {
		return sb, http.StatusBadRequest, "Параметр documentType требует значение типа DocumentType (" + strings.Join(searchTypes, ", ") + ")"
	}
	p := m["pagination"]
	if p == nil {
		if d6 {
			return sb, http.StatusBadRequest, "Отсутствует обязательный параметр: pagination"
		}
		return sb, 0, ""
	}
	pm, ok := p.(map[string]any)
	if !ok {
		return sb, http.StatusBadRequest, cannotDeserialize(javaMap, p)
	}
	var st int
	if sb.offset, st, msg = paginationInt(pm, "offset"); msg != "" {
		return sb, st, msg
	}
	if sb.limit, st, msg = paginationInt(pm, "limit"); msg != "" {
		return sb, st, msg
	}
	if sb.limit > MaxLimit {
		return sb, http.StatusBadRequest, fmt.Sprintf("Лимит превышен, запросите не более %d документов. Получено значение %d", MaxLimit, sb.limit)
	}
	order, _ := pm["order"].(string)
	switch strings.ToUpper(order) {
	case "", "ASC":
	case "DESC":
		sb.desc = true
	default:
		return sb, http.StatusBadRequest, "Параметр pagination.order требует значение типа Order (ASC, DESC)"
	}
	return sb, 0, ""
}

// paginationInt reads a non-negative integer of a pagination object,
// given as a number or a numeric string (Jackson coerces it), 0 when
// absent.
func paginationInt(m map[string]any, name string) (int, int, string) {
	var raw string
	switch x := m[name].(type) {
	case nil:
		return 0, 0, ""
	case json.Number:
		raw = string(x)
	case string:
		raw = x
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		return 0, http.StatusBadRequest, "Параметр pagination." + name + " требует значение типа Integer"
	}
	return n, 0, ""
}

// parseDay reads a date as yyyy-MM-dd, MM/dd/yyyy (the D-6 screenshot),
// dd.MM.yyyy or a date-time.
func parseDay(v string) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "01/02/2006", "02.01.2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return parseTime(v)
}

// inDays reports whether t falls on the days from to to (inclusive; zero
// bounds are open).
func inDays(t, from, to time.Time) bool {
	t = t.UTC()
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to.Add(24*time.Hour)))
}

// matchType reports whether a document of type typ matches the searched
// type (EAS_CROSSBORDER_GROUP matches shipments and acceptances).
func matchType(want, typ string) bool {
	return want == "" || want == typ || (want == TypeShipmentGroup && (typ == TypeShipment || typ == TypeAcceptance))
}

// search selects the participant's documents (no receipts) matching sb,
// sorted by the time received (then id), and cuts out the page. limit 0
// means no limit. The caller holds s.mu.
func (s *Server) search(sb searchBody, pid string, now time.Time, kinds ...docKind) []*doc {
	var out []*doc
	for _, d := range s.docs.order {
		if d.visibleTo(pid) && slices.Contains(kinds, d.kind) && matchType(sb.typ, d.Type) &&
			(sb.status == "" || d.statusAt(now) == sb.status) &&
			(sb.sender == "" || d.Sender == sb.sender) && (sb.receiver == "" || d.Receiver == sb.receiver) &&
			inDays(d.Received, sb.from, sb.to) {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b *doc) int {
		o := cmp.Or(a.Received.Compare(b.Received), strings.Compare(a.ID, b.ID))
		if sb.desc {
			return -o
		}
		return o
	})
	out = out[min(sb.offset, len(out)):]
	if sb.limit > 0 {
		out = out[:min(sb.limit, len(out))]
	}
	return out
}

// DefaultSearchLimit is the page size of documents/search when
// pagination.limit is absent or 0 (the documentation states none).
const DefaultSearchLimit = 100

// serveSearch answers D-6 POST documents/search: {"documentsList": [{fileId,
// sendingDateTime, status, type}]}, the participant's documents (not the
// receipts) received on dateFrom (required; yyyy-MM-dd, MM/dd/yyyy or
// dd.MM.yyyy) to dateTo, by pagination {offset, order, limit} (required;
// numbers or numeric strings). fileId is the document id. No document
// gives 404 "Документы с указанными параметрами не найдены".
func (s *Server) serveSearch(c *call) {
	sb, ok := s.searchBody(c, true)
	if !ok {
		return
	}
	if sb.limit == 0 {
		sb.limit = DefaultSearchLimit
	}
	now := time.Now()
	s.mu.Lock()
	list := []obj{}
	for _, d := range s.search(sb, c.pid, now, kindPlain, kindEDO, kindExport, kindImport, kindAcceptance) {
		list = append(list, obj{"fileId": d.ID, "sendingDateTime": formatTime(d.Received), "status": d.statusAt(now), "type": d.Type})
	}
	s.mu.Unlock()
	if len(list) == 0 {
		s.fail(c, http.StatusNotFound, msgSearchNotFound)
		return
	}
	s.writeJSON(c, http.StatusOK, obj{"documentsList": list})
}

// docDate is the date of a document: its sendingDateTime, its
// documentDate, a receipt's date, else the time received.
func (d *doc) docDate() time.Time {
	if t, ok := parseTime(d.root.attr("sendingDateTime")); ok {
		return t
	}
	if d.ship != nil {
		if t, ok := parseDay(d.ship.DocumentDate); ok {
			return t
		}
	}
	if d.acc != nil {
		if t, ok := parseDay(d.acc.DocumentDate); ok {
			return t
		}
	}
	if d.receipt != nil {
		return d.receipt.date
	}
	return d.Received
}

// docItem is a record of doc/listV2, receipt/listV2 and
// documents/{id}/info as the participant sees it at now. The caller holds
// s.mu.
func (d *doc) docItem(pid string, now time.Time) obj {
	status := d.statusAt(now)
	errs := d.errorsAt(now)
	if errs == nil {
		errs = []string{}
	}
	o := obj{
		"number": d.ID, "docDate": formatTime(d.docDate()), "receivedAt": formatTime(d.Received),
		"type": d.Type, "status": status, "senderBin": d.Sender, "senderName": d.SenderName,
		"receiverBin": d.Receiver, "receiverName": d.ReceiverName, "total": d.total, "vat": d.vat,
		"downloadStatus": status, "input": d.Receiver == pid, "errors": errs, "documentFormat": d.format,
	}
	if d.Number != d.ID {
		o["externalId"] = d.Number
	}
	if len(errs) > 0 {
		o["downloadDesc"] = errs[0]
		o["errorMessage"] = "code: 400 error: " + errs[0]
	}
	return compact(o)
}

// docKey is the sort key of doc/listV2 and receipt/listV2: the time
// received, then the number.
type docKey struct {
	at     time.Time
	number string
}

// docQuery is a parsed doc/listV2 or receipt/listV2 request.
type docQuery struct {
	from, to, day   time.Time
	status, number  string
	partner, format string
	types           []string
	input           *bool
	group           string
	limit           int
	desc, prev      bool
	cursor          *docKey
}

// DefaultDocListLimit is the page size of doc/listV2 and receipt/listV2
// (D-25).
const DefaultDocListLimit = 100

// documentFormats are the documentFormat values of D-27.
var documentFormats = []string{"MANUAL", "UPD", "XML", "CSV"}

// parseDocQuery reads the parameters of doc/listV2 and receipt/listV2. On
// receipt/listV2 a limit needs pg (D-27's pg row); doc/listV2 lists no pg
// and its example sends limit=5 without one. docDate, which only D-25's
// example request sends, keeps the documents whose document date falls on
// that UTC day (the example's answer holds documents of that day; the
// documentation says no more). did may come alone: the records after (or
// before) the one with that number.
func (s *Server) parseDocQuery(c *call, receipts bool) (docQuery, bool) {
	q := c.q
	dq := docQuery{status: q.Get("documentStatus"), number: q.Get("number"), partner: q.Get("participantBin"), format: q.Get("documentFormat")}
	var ok bool
	if dq.from, ok = s.timeParam(c, "dateFrom"); !ok {
		return dq, false
	}
	if dq.to, ok = s.timeParam(c, "dateTo"); !ok {
		return dq, false
	}
	if dq.day, ok = s.timeParam(c, "docDate"); !ok {
		return dq, false
	}
	if dq.limit, ok = s.limitParam(c, DefaultDocListLimit); !ok {
		return dq, false
	}
	g, ok := s.groupParam(c, receipts && q.Has("limit"))
	if !ok {
		return dq, false
	}
	dq.group = g.Name
	for _, t := range q["documentType"] {
		for v := range strings.SplitSeq(t, ",") {
			if v = strings.TrimSpace(v); v != "" {
				dq.types = append(dq.types, v)
			}
		}
	}
	if dq.format != "" && !slices.Contains(documentFormats, dq.format) {
		s.badType(c, "documentFormat", "DocumentFormat ("+strings.Join(documentFormats, ", ")+")")
		return dq, false
	}
	if v := q.Get("inputFormat"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.badType(c, "inputFormat", "Boolean")
			return dq, false
		}
		dq.input = &b
	}
	if dq.desc, dq.prev, ok = s.keysetOrder(c, "receivedAt"); !ok {
		return dq, false
	}
	did, value := q.Get("did"), q.Get("orderedColumnValue")
	switch {
	case did == "" && value == "":
	case did == "":
		s.fail(c, http.StatusBadRequest, "Параметр orderedColumnValue передаётся только вместе с did")
		return dq, false
	case value == "":
		dq.cursor = &docKey{number: did} // its time is looked up in docList
	default:
		at, ok := parseTime(value)
		if !ok {
			s.badType(c, "orderedColumnValue", "DateTime")
			return dq, false
		}
		dq.cursor = &docKey{at: at, number: did}
	}
	return dq, true
}

// matches reports whether d passes the filters of the query for the
// participant at now. A document whose product group is unknown passes
// every pg.
func (dq *docQuery) matches(d *doc, pid string, now time.Time) bool {
	return (dq.status == "" || d.statusAt(now) == dq.status) &&
		(dq.number == "" || d.ID == dq.number || d.Number == dq.number) &&
		(dq.partner == "" || d.Sender == dq.partner || d.Receiver == dq.partner) &&
		(dq.format == "" || d.format == dq.format) &&
		(len(dq.types) == 0 || slices.Contains(dq.types, d.Type)) &&
		(dq.input == nil || *dq.input == (d.Receiver == pid)) &&
		(dq.day.IsZero() || sameUTCDay(d.docDate(), dq.day)) &&
		(dq.group == "" || d.ProductGroup == "" || d.ProductGroup == dq.group) &&
		timeIn(d.Received, dq.from, dq.to)
}

// docList answers doc/listV2 or receipt/listV2: {"results": […], "total":
// n}, the participant's documents of the kinds wanted sorted by
// (receivedAt, number), keyset pages as in cises/listV2 with did and
// orderedColumnValue as the cursor.
func (s *Server) docList(c *call, receipts bool) {
	dq, ok := s.parseDocQuery(c, receipts)
	if !ok {
		return
	}
	now := time.Now()
	s.mu.Lock()
	var all []*doc
	for _, d := range s.docs.order {
		if d.visibleTo(c.pid) && (d.kind == kindReceipt) == receipts && dq.matches(d, c.pid, now) {
			all = append(all, d)
		}
	}
	sign := 1
	if dq.desc {
		sign = -1
	}
	keyOf := func(d *doc) docKey { return docKey{d.Received, d.ID} }
	sorted := func(a, b docKey) int { return sign * cmp.Or(a.at.Compare(b.at), strings.Compare(a.number, b.number)) }
	slices.SortFunc(all, func(a, b *doc) int { return sorted(keyOf(a), keyOf(b)) })
	page := all[:min(dq.limit, len(all))]
	if dq.cursor != nil && dq.cursor.at.IsZero() {
		// did alone: the reference record is the document of that
		// number; an unknown one has no records after or before it.
		if i := slices.IndexFunc(all, func(d *doc) bool { return d.ID == dq.cursor.number }); i >= 0 {
			dq.cursor = &docKey{at: all[i].Received, number: all[i].ID}
		} else {
			dq.cursor, page = nil, nil
		}
	}
	if dq.cursor != nil {
		before, after := 0, len(all)
		for j, d := range all {
			switch o := sorted(keyOf(d), *dq.cursor); {
			case o < 0:
				before = j + 1
			case o > 0 && after == len(all):
				after = j
			}
		}
		if dq.prev {
			page = all[max(before-dq.limit, 0):before]
		} else {
			page = all[after:min(after+dq.limit, len(all))]
		}
	}
	results := make([]obj, 0, len(page))
	for _, d := range page {
		results = append(results, d.docItem(c.pid, now))
	}
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, obj{"results": results, "total": len(all)})
}

// serveDocList answers D-25 GET doc/listV2: the participant's documents,
// receipts excepted.
func (s *Server) serveDocList(c *call) { s.docList(c, false) }

// serveDocInfo answers D-26 GET documents/{document_id}/info: the record of
// doc/listV2 with body (the document as JSON, see documentBody) and
// content (the document as received, as a string). The id may be the
// document id or its EDO number. Another participant's document gets 403
// "Отсутствует доступ к ресурсу", an unknown one 404.
func (s *Server) serveDocInfo(c *call) {
	d, ok := s.visibleDoc(c, http.StatusForbidden)
	if !ok {
		return
	}
	now := time.Now()
	s.mu.Lock()
	o := d.docItem(c.pid, now)
	o["body"] = s.documentBody(d)
	o["content"] = string(d.Content)
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, o)
}

// sameUTCDay reports whether a and b fall on the same day in UTC.
func sameUTCDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}
