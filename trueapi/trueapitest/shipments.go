package trueapitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Country codes of the EAEU shipments: the numeric ISO code of Kazakhstan
// (the sender of export shipments and acceptances) and of Russia (the
// sender of the seeded incoming shipments).
const (
	countryKZ = "398"
	countryRU = "643"
)

// flexString is a JSON string that may come as a number (the documentation types
// some identifiers as Number).
type flexString string

// UnmarshalJSON takes a string, a number or null.
func (f *flexString) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if v == nil {
		return nil
	}
	s, ok := jsonText(v)
	if !ok {
		return errors.New("ожидается строка или число, получено " + tokenKind(v))
	}
	*f = flexString(s)
	return nil
}

// shipmentDoc is the JSON document of an EAEU export shipment (D-18), also
// used for the seeded incoming shipments.
type shipmentDoc struct {
	ProductGroup        string            `json:"productGroup"`
	ExporterCode        string            `json:"exporterCode"`
	ReceiverCountryCode string            `json:"receiverCountryCode"`
	ReceiverCode        string            `json:"receiverCode"`
	ReceiverName        string            `json:"receiverName"`
	DocumentNumber      string            `json:"documentNumber"`
	DocumentDate        string            `json:"documentDate"`
	TransferDate        string            `json:"transferDate"`
	ProductList         []shipmentProduct `json:"productList"`
}

// shipmentProduct is a product of a shipment.
type shipmentProduct struct {
	Cis          string       `json:"cis"`
	Price        json.Number  `json:"price,omitempty"`
	Vat          json.Number  `json:"vat,omitempty"`
	DocumentList []conformity `json:"documentList,omitempty"`
}

// conformity is a conformity document of a shipped product.
type conformity struct {
	DocKind   string     `json:"docKind"`
	DocNumber flexString `json:"docNumber"`
	DocDate   string     `json:"docDate"`
}

// acceptanceDoc is the JSON document of an acceptance notice (D-23), in
// snake_case.
type acceptanceDoc struct {
	ShipmentID         string            `json:"shipment_id"`
	DocumentNum        string            `json:"document_num"`
	DocumentDate       string            `json:"document_date"`
	ReceiverInn        string            `json:"receiver_inn"`
	Receiver           string            `json:"receiver"`
	ExporterTaxpayerID string            `json:"exporter_taxpayer_id"`
	ExporterName       string            `json:"exporter_name"`
	SenderCountryCode  string            `json:"sender_country_code"`
	RequestType        string            `json:"request_type"`
	AcceptanceDate     string            `json:"acceptance_date"`
	RejectAll          *bool             `json:"reject_all"`
	Products           []acceptedProduct `json:"products"`
}

// acceptedProduct is a product decision of an acceptance.
type acceptedProduct struct {
	Cis      string `json:"cis"`
	Accepted *bool  `json:"accepted"`
}

// msgSchema starts the schema validation errors of shipments (D-18).
const msgSchema = "Документ не прошел валидацию по схеме: "

// inband is an in-band error {errorCode, errorMessage}.
func inband(code, msg string) obj { return obj{"errorCode": code, "errorMessage": msg} }

// isDay reports whether v is a yyyy-MM-dd date.
func isDay(v string) bool {
	_, err := time.Parse(time.DateOnly, v)
	return err == nil
}

// strictJSON decodes a JSON object into v; the error names what is wrong.
func strictJSON(content []byte, v any) error {
	if !json.Valid(content) {
		return errors.New("документ не является корректным JSON")
	}
	return json.Unmarshal(content, v)
}

// schemaSubmission reads the JSON submission of rt (D-18, D-23), decodes
// its document into doc and checks it: a document that is not JSON or
// fails doc's schema gets schemaStatus with msgSchema, a signature that
// does not verify (attached allowed when rt.attachedOK) rt.sigStatus. It
// answers the errors itself.
func (s *Server) schemaSubmission(c *call, rt docRoute, schemaStatus int, doc interface{ check() string }) (content, sig []byte, ok bool) {
	content, sig, ok = s.jsonSubmission(c, rt)
	if !ok {
		return nil, nil, false
	}
	msg := ""
	if err := strictJSON(content, doc); err != nil {
		msg = err.Error()
	} else {
		msg = doc.check()
	}
	if msg != "" {
		s.refuse(c, rt, schemaStatus, msgSchema+msg)
		return nil, nil, false
	}
	if reason := s.verifySignature(sig, content, c.pid, rt.attachedOK); reason != "" {
		s.refuse(c, rt, rt.sigStatus, msgSignature+" документа: "+reason)
		return nil, nil, false
	}
	return content, sig, true
}

// requiredField is a required member of a document and its value.
type requiredField struct{ name, value string }

// missingField returns the schema message for the first empty field, or
// "".
func missingField(fields []requiredField) string {
	for _, f := range fields {
		if f.value == "" {
			return "отсутствует обязательное поле " + f.name
		}
	}
	return ""
}

// check checks the schema of an export shipment and returns "" or what is
// wrong.
func (sh *shipmentDoc) check() string {
	required := []requiredField{
		{"productGroup", sh.ProductGroup}, {"exporterCode", sh.ExporterCode}, {"receiverCountryCode", sh.ReceiverCountryCode},
		{"receiverCode", sh.ReceiverCode}, {"receiverName", sh.ReceiverName}, {"documentNumber", sh.DocumentNumber},
		{"documentDate", sh.DocumentDate}, {"transferDate", sh.TransferDate},
	}
	if msg := missingField(required); msg != "" {
		return msg
	}
	if _, ok := groupByName(sh.ProductGroup); !ok {
		return "недопустимое значение productGroup " + sh.ProductGroup
	}
	for _, f := range required[6:] {
		if !isDay(f.value) {
			return "поле " + f.name + " должно быть датой в формате yyyy-MM-dd: " + f.value
		}
	}
	if len(sh.ProductList) == 0 {
		return "productList не может быть пустым"
	}
	for _, p := range sh.ProductList {
		if p.Cis == "" {
			return "отсутствует обязательное поле productList[].cis"
		}
		if len(p.DocumentList) > 2 {
			return "у товара " + p.Cis + " больше двух документов соответствия"
		}
	}
	return ""
}

// serveShipment answers D-18 POST edo-api/shipments: {"document": base64
// JSON, "signature": base64 CMS (detached, or attached over the
// document)}. An empty document or signature, or a signature that does not
// verify, gets 422; a document that fails the schema 400 "Документ не
// прошел валидацию по схеме: …". The answer is {"shipmentId", "errors"}:
// [{"code":"0","message":"Документ провалидирован"}], or the in-band
// errors (a code the exporter does not own, 303; an exporterCode other
// than the caller, 307), which make the shipment end in ERROR.
func (s *Server) serveShipment(c *call) {
	rt := docRoute{name: "POST edo-api/shipments", emptyStatus: http.StatusUnprocessableEntity, sigStatus: http.StatusUnprocessableEntity, attachedOK: true}
	sh := &shipmentDoc{}
	content, sig, ok := s.schemaSubmission(c, rt, http.StatusBadRequest, sh)
	if !ok {
		return
	}
	now := time.Now()
	s.mu.Lock()
	d := &doc{kind: kindExport, ship: sh, format: "MANUAL", linkedID: newUUID(), Document: Document{
		ID: newUUID(), Type: TypeShipment, Sender: c.pid, SenderName: s.participantName(c.pid),
		Receiver: sh.ReceiverCode, ReceiverName: sh.ReceiverName, ProductGroup: sh.ProductGroup,
		Content: content, Signature: sig, Route: rt.name,
	}}
	if sh.ExporterCode != c.pid {
		d.inband = append(d.inband, inband("307", "exporterCode "+sh.ExporterCode+" не совпадает с участником "+c.pid))
	}
	for _, p := range sh.ProductList {
		if _, ok := s.resolve(p.Cis, c.pid); !ok {
			d.inband = append(d.inband, inband("303", "КИ "+p.Cis+" не найден у участника "+c.pid))
		}
	}
	s.register(d, now)
	errs := []obj{{"code": "0", "message": "Документ провалидирован"}}
	if len(d.inband) > 0 {
		errs = errs[:0]
		for _, e := range d.inband {
			errs = append(errs, obj{"code": e["errorCode"], "message": e["errorMessage"]})
		}
	}
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, obj{"shipmentId": d.ID, "errors": errs})
}

// shipment returns the participant's shipment (export or import) of the
// call's id, or nil.
func (s *Server) shipment(c *call) *doc {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.lookup(c.id)
	if d == nil || (d.kind != kindExport && d.kind != kindImport) || !d.visibleTo(c.pid) {
		return nil
	}
	return d
}

// shipmentErrors are the errors of a failed shipment or acceptance as
// {errorCode, errorMessage}: the in-band errors, or a 301 for a failure
// asked by FailNextDocument. The caller holds s.mu.
func (d *doc) shipmentErrors() []obj {
	if len(d.inband) > 0 {
		return slices.Clone(d.inband)
	}
	var out []obj
	for _, e := range d.failErrors {
		out = append(out, inband("301", e))
	}
	return out
}

// msgShipmentNotFound is D-19's 400 for an unknown shipment.
const msgShipmentNotFound = "Документ не найден по shipmentId"

// serveShipmentStatus answers D-19 GET edo-api/shipments/{shipmentId}/status:
// {documentId, documentDate (the registration date, yyyy-MM-dd), status}
// and errors [{errorCode, errorMessage}] in ERROR, with 200 even then. The
// status follows the clock: CHECKING for DocumentDelay, then ERROR, or
// SENT, WAITING_ACCEPTANCE and ACCEPTED one DocumentDelay apart. An unknown
// shipment gets 400 "Документ не найден по shipmentId".
func (s *Server) serveShipmentStatus(c *call) {
	d := s.shipment(c)
	if d == nil {
		s.fail(c, http.StatusBadRequest, msgShipmentNotFound)
		return
	}
	now := time.Now()
	s.mu.Lock()
	st := d.shipmentStatusAt(now)
	o := obj{"documentId": d.ID, "documentDate": d.Received.UTC().Format(time.DateOnly), "status": st}
	if st == ShipmentError {
		o["errors"] = d.shipmentErrors()
	}
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, o)
}

// serveShipmentView answers D-20 GET edo-api/shipments/{shipmentId}/view,
// whose answer the documentation does not document: the D-22 object, with the
// D-19 status. The documentation's /api/v1 prefix is not served: the route
// lives under APIPath like the others.
func (s *Server) serveShipmentView(c *call) {
	d := s.shipment(c)
	if d == nil {
		s.fail(c, http.StatusBadRequest, msgShipmentNotFound)
		return
	}
	now := time.Now()
	s.mu.Lock()
	o := s.shipmentView(d, now, d.shipmentStatusAt(now))
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, o)
}

// serveImportShipment answers D-22 GET documents/import/shipment/{shipment_id}:
// the shipment with its products and, once accepted, the acceptance
// (acceptanceDate, linkedDoc, products[].accepted). The status is
// IN_PROGRESS, WAIT_ACCEPTANCE, ACCEPTED or CHECKED_NOT_OK. An unknown
// shipment gets 400 {"code":"400","description":"Документ не найден.
// id=…"}.
func (s *Server) serveImportShipment(c *call) {
	d := s.shipment(c)
	if d == nil {
		s.refuse(c, docRoute{coded: true}, http.StatusBadRequest, "Документ не найден. id="+c.id)
		return
	}
	now := time.Now()
	s.mu.Lock()
	o := s.shipmentView(d, now, d.statusAt(now))
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, o)
}

// certificateType maps a docKind of D-18 to the certificateType of D-22.
func certificateType(kind string) string {
	if strings.Contains(strings.ToUpper(kind), "CERTIFICATE") || strings.Contains(strings.ToLower(kind), "сертификат") {
		return "CONFORMITY_CERTIFICATE"
	}
	return "CONFORMITY_DECLARATION"
}

// shipmentView builds the D-22 object of a shipment at now with the given
// status; field names follow the documentation's table (documentType,
// linkedDoc, documentErrors). The caller holds s.mu.
func (s *Server) shipmentView(d *doc, now time.Time, status string) obj {
	sh := d.ship
	o := obj{
		"documentId": d.ID, "status": status, "documentType": TypeShipment,
		"documentNum": sh.DocumentNumber, "documentDate": sh.DocumentDate,
		"exporter": s.participantName(sh.ExporterCode), "exporterInn": sh.ExporterCode,
		"senderCountryCode": countryKZ, "receiver": sh.ReceiverName, "receiverInn": sh.ReceiverCode,
		"transferDate": sh.TransferDate, "receivedAt": formatTime(d.Received),
	}
	if d.kind == kindImport {
		o["senderCountryCode"] = countryRU
	} else {
		o["receiverCountryCode"] = sh.ReceiverCountryCode
	}
	accepted := map[string]bool{}
	known := false
	switch a := d.acceptance; {
	case d.kind == kindExport && d.shipmentStatusAt(now) == ShipmentAccepted:
		known = true
		for _, p := range sh.ProductList {
			accepted[p.Cis] = true
		}
		at := d.acceptedAt().UTC().Format(time.DateOnly)
		o["acceptanceDate"] = at
		o["linkedDoc"] = []obj{{"linkedDocType": TypeAcceptance, "linkedDocId": d.linkedID, "linkedDocDate": at}}
	case a != nil && a.done(now) && a.fail == "":
		known = true
		for _, p := range a.acc.Products {
			accepted[p.Cis] = !*a.acc.RejectAll && p.Accepted != nil && *p.Accepted
		}
		o["acceptanceDate"] = a.acc.AcceptanceDate
		o["linkedDoc"] = []obj{{"linkedDocType": TypeAcceptance, "linkedDocId": a.ID, "linkedDocDate": a.Received.UTC().Format(time.DateOnly)}}
	}
	products := []obj{}
	for _, p := range sh.ProductList {
		po := obj{"cis": p.Cis}
		if known {
			po["accepted"] = accepted[p.Cis]
		}
		if p.Price != "" {
			po["productCost"] = p.Price
		}
		if p.Vat != "" {
			po["productTax"] = p.Vat
		}
		var certs []obj
		for _, dl := range p.DocumentList {
			certs = append(certs, obj{"certificateType": certificateType(dl.DocKind), "certificateNum": string(dl.DocNumber), "certificateDate": dl.DocDate})
		}
		if certs != nil {
			po["certificateDocumentData"] = certs
		}
		products = append(products, po)
	}
	o["products"] = products
	if d.failed(now) {
		o["documentErrors"] = describedErrors(d.shipmentErrors())
	}
	return o
}

// describedErrors renames errorMessage to errorDescription, the key of the
// import methods.
func describedErrors(errs []obj) []obj {
	out := make([]obj, 0, len(errs))
	for _, e := range errs {
		out = append(out, obj{"errorCode": e["errorCode"], "errorDescription": e["errorMessage"]})
	}
	return out
}

// senderCountry is the numeric country of a document's sender.
func (d *doc) senderCountry() string {
	if d.kind == kindImport {
		return countryRU
	}
	return countryKZ
}

// serveSearchV2 answers D-21 POST documents/searchV2: {"documentsList":
// [...]} (one of the documentation's three shapes; empty is an empty list, not
// 404), the participant's EAEU documents of documentType (required:
// EAS_CROSSBORDER, LP_ACCEPT_GOODS or EAS_CROSSBORDER_GROUP), filtered by
// documentStatus, dateFrom and dateTo (the registration day), senderBin
// and receiverBin (strings or numbers), paged by pagination {offset,
// order, limit} (limit 0 or absent: no limit). Items carry the fields of
// both the table and the example: fileId and registrationNum (the id),
// sendingDateTime, registrationDate, status, type and documentType,
// senderName, receiverName, exporter, senderCountry, receiver. Errors are
// {"code","description"}.
func (s *Server) serveSearchV2(c *call) {
	sb, ok := s.searchBody(c, false)
	if !ok {
		return
	}
	now := time.Now()
	s.mu.Lock()
	list := []obj{}
	for _, d := range s.search(sb, c.pid, now, kindExport, kindImport, kindAcceptance) {
		list = append(list, compact(obj{
			"fileId": d.ID, "registrationNum": d.ID, "sendingDateTime": formatTime(d.Received),
			"registrationDate": d.Received.UTC().Format(time.DateOnly), "status": d.statusAt(now),
			"type": d.Type, "documentType": d.Type, "senderName": d.SenderName, "receiverName": d.ReceiverName,
			"exporter": d.Sender, "senderCountry": d.senderCountry(), "receiver": d.Receiver,
		}))
	}
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, obj{"documentsList": list})
}

// senderCountries are the sender_country_code values of D-23.
var senderCountries = []string{"112", "417", "051", "643"}

// check checks the schema of an acceptance and returns "" or what is
// wrong.
func (a *acceptanceDoc) check() string {
	required := []requiredField{
		{"shipment_id", a.ShipmentID}, {"document_num", a.DocumentNum}, {"document_date", a.DocumentDate},
		{"receiver_inn", a.ReceiverInn}, {"exporter_taxpayer_id", a.ExporterTaxpayerID}, {"exporter_name", a.ExporterName},
		{"sender_country_code", a.SenderCountryCode}, {"request_type", a.RequestType}, {"acceptance_date", a.AcceptanceDate},
	}
	if msg := missingField(required); msg != "" {
		return msg
	}
	switch {
	case !isDay(a.DocumentDate) || !isDay(a.AcceptanceDate):
		return "document_date и acceptance_date должны быть датами в формате yyyy-MM-dd"
	case len(a.ReceiverInn) != 12 || !allDigits(a.ReceiverInn):
		return "receiver_inn должен состоять из 12 цифр"
	case !slices.Contains([]int{8, 9, 10, 12}, len(a.ExporterTaxpayerID)) || !allDigits(a.ExporterTaxpayerID):
		return "exporter_taxpayer_id должен состоять из 8, 9, 10 или 12 цифр"
	case !slices.Contains(senderCountries, a.SenderCountryCode):
		return "недопустимое значение sender_country_code " + a.SenderCountryCode + " (допустимы 112, 417, 051, 643)"
	case a.RequestType != "ACCEPTANCE":
		return "недопустимое значение request_type " + a.RequestType + " (допустимо только ACCEPTANCE)"
	case a.RejectAll == nil:
		return "отсутствует обязательное поле reject_all"
	case !*a.RejectAll && len(a.Products) == 0:
		return "products обязателен, если reject_all = false"
	}
	for _, p := range a.Products {
		if p.Cis == "" || p.Accepted == nil {
			return "у каждого товара должны быть cis и accepted"
		}
	}
	return ""
}

// serveAcceptance answers D-23 POST documents/import/acceptancies:
// {"document": base64 JSON (snake_case), "signature": base64 detached
// CMS}. A missing field, a bad value (request_type must be the ASCII
// ACCEPTANCE), a signature that does not verify or an unknown or already
// accepted shipment gets 422 {"code":"422","description":…}. The answer is
// {"acceptationId", "errors"}; in-band errors (receiver_inn other than
// the shipment's receiver, 03; exporter_taxpayer_id other than its
// exporter, 04; a code not in the shipment, 303) make the acceptance end
// in CHECKED_NOT_OK. Otherwise the acceptance is CHECKED_OK after
// DocumentDelay and the shipment ACCEPTED.
func (s *Server) serveAcceptance(c *call) {
	rt := docRoute{name: "POST documents/import/acceptancies", emptyStatus: http.StatusUnprocessableEntity, sigStatus: http.StatusUnprocessableEntity, coded: true}
	a := &acceptanceDoc{}
	content, sig, ok := s.schemaSubmission(c, rt, http.StatusUnprocessableEntity, a)
	if !ok {
		return
	}
	now := time.Now()
	s.mu.Lock()
	sh := s.lookup(a.ShipmentID)
	if sh == nil || sh.kind != kindImport || sh.Receiver != c.pid {
		s.mu.Unlock()
		s.refuse(c, rt, http.StatusUnprocessableEntity, "Документ отгрузки "+a.ShipmentID+" не найден")
		return
	}
	if prev := sh.acceptance; (prev != nil && prev.fail == "") || (sh.ready.IsZero() && sh.Status == DocAccepted) {
		s.mu.Unlock()
		s.refuse(c, rt, http.StatusUnprocessableEntity, "По документу отгрузки "+a.ShipmentID+" уже направлено уведомление о приемке")
		return
	}
	d := &doc{kind: kindAcceptance, acc: a, shipment: sh, format: "MANUAL", Document: Document{
		ID: newUUID(), Type: TypeAcceptance, Sender: c.pid, SenderName: s.participantName(c.pid),
		Receiver: sh.Sender, ReceiverName: sh.SenderName, ProductGroup: sh.ProductGroup,
		Content: content, Signature: sig, Route: rt.name,
	}}
	if a.ReceiverInn != sh.Receiver {
		d.inband = append(d.inband, inband("03", "03: receiver_inn не совпадает с получателем отгрузки"))
	}
	if a.ExporterTaxpayerID != sh.Sender {
		d.inband = append(d.inband, inband("04", "04: exporter_taxpayer_id не совпадает с экспортером отгрузки"))
	}
	for _, p := range a.Products {
		if !slices.ContainsFunc(sh.ship.ProductList, func(sp shipmentProduct) bool { return sp.Cis == p.Cis }) {
			d.inband = append(d.inband, inband("303", "303: КИ "+p.Cis+" отсутствует в документе отгрузки"))
		}
	}
	s.register(d, now)
	sh.acceptance = d
	errs := slices.Clone(d.inband)
	s.mu.Unlock()
	if errs == nil {
		errs = []obj{}
	}
	s.writeJSON(c, http.StatusOK, obj{"acceptationId": d.ID, "errors": errs})
}

// serveImportStatus answers D-24 GET documents/import/status/{doc_id}:
// {documentId, status, documentType} and documentErrors [{errorCode,
// errorDescription}] when the check failed, for the participant's
// shipments and acceptances; otherwise 400 {"code":"400",
// "description":"Документ не найден. id=…"}.
func (s *Server) serveImportStatus(c *call) {
	now := time.Now()
	s.mu.Lock()
	d := s.lookup(c.id)
	if d == nil || !d.visibleTo(c.pid) || !slices.Contains([]docKind{kindExport, kindImport, kindAcceptance}, d.kind) {
		s.mu.Unlock()
		s.refuse(c, docRoute{coded: true}, http.StatusBadRequest, "Документ не найден. id="+c.id)
		return
	}
	o := obj{"documentId": d.ID, "status": d.statusAt(now), "documentType": d.Type}
	if d.failed(now) {
		o["documentErrors"] = describedErrors(d.shipmentErrors())
	}
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, o)
}
