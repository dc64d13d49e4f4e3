package trueapitest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"
)

// Document types (§9 of the documentation, and the EAEU types used by §7.7–§7.11).
const (
	TypeReceipt        = "RECEIPT"
	TypeReceiptReturn  = "RECEIPT_RETURN"
	TypeIntroduceGoods = "KZ_INTRODUCE_GOODS"
	TypeWithdrawal     = "MTTPS_90"
	TypeImport         = "IMPORT"
	TypeImportTransit  = "IMPORT_TRANSIT"
	TypeWriteOff       = "WRITE_OFF"
	TypeAggregation    = "AGGREGATION_DOCUMENT"
	TypeAct            = "KZ_UPD"
	TypeShipment       = "EAS_CROSSBORDER"
	TypeAcceptance     = "LP_ACCEPT_GOODS"
	// TypeShipmentGroup is a search type only: every document of an EAEU
	// import, shipments and acceptances.
	TypeShipmentGroup = "EAS_CROSSBORDER_GROUP"
)

// Document statuses (§9 of the documentation, and the statuses of import documents).
const (
	DocInProgress      = "IN_PROGRESS"
	DocCheckedOK       = "CHECKED_OK"
	DocCheckedNotOK    = "CHECKED_NOT_OK"
	DocProcessingError = "PROCESSING_ERROR"
	DocAccepted        = "ACCEPTED"
	DocWaitAcceptance  = "WAIT_ACCEPTANCE"
)

// Statuses of an EAEU export shipment (D-19).
const (
	ShipmentChecking          = "CHECKING"
	ShipmentSent              = "SENT"
	ShipmentWaitingAcceptance = "WAITING_ACCEPTANCE"
	ShipmentAccepted          = "ACCEPTED"
	ShipmentError             = "ERROR"
)

// Numeric types of EDO documents (D-1, §3.4).
const (
	EdoAct                    = 1000
	EdoDivergence             = 1005
	EdoActCorrection          = 1100
	EdoImportNotice           = 1200
	EdoImportNoticeCorrection = 1300
)

// Statuses of EDO documents (§9 of the documentation, "Статусы для Акта ПП").
const (
	ActSent           = 1  // Отправлен: being checked
	ActAwaiting       = 3  // Ожидает подтверждения: registered, waiting for the recipient
	ActSigned         = 4  // Подписан получателем
	ActRejected       = 5  // Отклонен
	ActUnderAgreement = 8  // На согласовании: a registered divergence notice
	ActError          = 10 // Ошибка доставки
	ActWithdrawn      = 16 // Отозван
)

// Decisions of an EDO title, as written inside the title XML; the path
// takes them in lower case (approve, reject).
const (
	DecisionApprove  = "APPROVE"
	DecisionReject   = "REJECT"
	DecisionWithdraw = "WITHDRAW"
)

// Document is a document of the fake's store, as seen at the moment it
// was copied out: [Server.Document] and [Server.Documents] compute the
// statuses from the clock.
type Document struct {
	// ID is the document id: the fileId of the XML for introduce-goods
	// (D-13), third_countries (D-16) and writeOff (D-17), a generated UUID
	// otherwise (formal documents, shipments, acceptances, receipts).
	ID string
	// Number is the registration number of an EDO document (the number of
	// the EDO registers, also accepted wherever an id is); it is ID for
	// the other documents.
	Number string
	// FileID is the fileId of an XML document, empty for JSON documents.
	FileID string
	// Type is the document type (§9 of the documentation): KZ_UPD, IMPORT_TRANSIT,
	// KZ_INTRODUCE_GOODS, MTTPS_90, IMPORT, EAS_CROSSBORDER …
	Type string
	// EdoType is the numeric EDO type (1000 Act, 1005 divergence notice,
	// 1100 correction, 1200 and 1300 EAEU import notices), 0 for the
	// documents that are not in the EDO registers.
	EdoType int
	// Status is the document status (§9 of the documentation): IN_PROGRESS until
	// [Config.DocumentDelay] has passed, then CHECKED_OK or the failure
	// status; ACCEPTED or WAIT_ACCEPTANCE for EAEU shipments.
	Status string
	// EdoStatus is the Act status (§9 of the documentation) of an EDO document: 1
	// while it is checked, then 3 (8 for a divergence notice) or 10, and
	// 4, 5 or 16 once a title is signed. It is 0 for other documents.
	EdoStatus int
	// ShipmentStatus is the D-19 status of an EAEU shipment (CHECKING,
	// SENT, WAITING_ACCEPTANCE, ACCEPTED, ERROR), empty for the others.
	ShipmentStatus string
	// Sender and Receiver are the BIN/IIN of the parties, with their
	// names. The sender of a divergence notice or an EAEU import notice is
	// the consignee that registers it.
	Sender, SenderName     string
	Receiver, ReceiverName string
	// ProductGroup is the pg code of the codes the document names, when
	// the fake knows them; empty otherwise.
	ProductGroup string
	// Received is when the fake registered the document.
	Received time.Time
	// Content is the exact document bytes received (decoded from base64),
	// or generated for the seeded documents.
	Content []byte
	// Signature is the exact detached CMS received, nil for the seeded
	// documents.
	Signature []byte
	// Errors are the processing errors of a failed document, once its
	// check is over.
	Errors []string
	// Titles are the EDO titles created for the document (D-9, D-11), in
	// order.
	Titles []Title
	// Route is the route that created the document, e.g.
	// "POST documents/writeOff"; empty for the seeded documents.
	Route string
	// ProcessingNumber is the "internal processing number" answered by
	// third_countries and writeOff.
	ProcessingNumber string
}

// Title is an EDO title (the accept, reject or withdraw event of an Act)
// generated by the fake.
type Title struct {
	// Decision is APPROVE, REJECT or WITHDRAW.
	Decision string
	// Content is the exact title XML the fake served as base64.
	Content []byte
	// Signature is the detached CMS over Content accepted by the
	// signature route; nil until then.
	Signature []byte
	// Created and Signed are when the title was generated and signed.
	Created, Signed time.Time
}

// docKind says how a document's status evolves.
type docKind int

// Kinds of documents.
const (
	kindPlain      docKind = iota // IN_PROGRESS, then CHECKED_OK or the failure
	kindEDO                       // formal documents: an Act status as well
	kindExport                    // D-18 shipments: CHECKING → SENT → WAITING_ACCEPTANCE → ACCEPTED
	kindImport                    // incoming EAEU shipments: WAIT_ACCEPTANCE until accepted
	kindAcceptance                // D-23 acceptances of incoming shipments
	kindReceipt                   // receipts of D-27 and D-28
)

// doc is a stored document with what its statuses are computed from.
type doc struct {
	Document // Status and EdoStatus hold the fixed statuses of settled documents
	kind     docKind
	// ready is when the check ends; zero for a document settled from the
	// start (the seeded ones), whose statuses are those stored.
	ready time.Time
	// step is the DocumentDelay at creation, by which shipments move on.
	step time.Duration
	// fail is the final status when the check fails; failErrors go with it.
	fail       string
	failErrors []string
	// decided is the Act status set by a signed title, 0 before.
	decided int
	titles  []*Title
	// root is the parsed XML; nil for JSON documents and receipts.
	root *node
	// ship is the content of a shipment, acc of an acceptance.
	ship *shipmentDoc
	acc  *acceptanceDoc
	// acceptance is the latest acceptance of an incoming shipment;
	// shipment the shipment of an acceptance.
	acceptance *doc
	shipment   *doc
	// linkedID is the id of the foreign acceptance of an export shipment.
	linkedID string
	// inband are the errors answered at creation, which make the check
	// fail (shipments, acceptances).
	inband []obj
	// total and vat are the amounts in tiyn.
	total, vat int64
	// format is the documentFormat (MANUAL, UPD, XML, CSV).
	format  string
	receipt *receiptDoc
}

// docStore holds the documents, invoices and balances. Its fields are
// guarded by Server.mu.
type docStore struct {
	byID     map[string]*doc // by ID and by Number
	order    []*doc          // in the order received
	failNext []string
	invoices []Invoice
	accounts map[string]*account // by participant
	serial   int64               // of processing numbers and invoices
}

// add stores d. The caller holds s.mu.
func (st *docStore) add(d *doc) {
	if st.byID == nil {
		st.byID = map[string]*doc{}
	}
	if d.Number == "" {
		d.Number = d.ID
	}
	st.byID[d.ID] = d
	st.byID[d.Number] = d
	st.order = append(st.order, d)
}

// next returns a new serial number. The caller holds s.mu.
func (st *docStore) next() int64 {
	st.serial++
	return st.serial
}

// done reports whether the check of d is over at now.
func (d *doc) done(now time.Time) bool { return d.ready.IsZero() || !now.Before(d.ready) }

// failed reports whether the check of d failed, as of now.
func (d *doc) failed(now time.Time) bool {
	if d.ready.IsZero() {
		return slices.Contains([]string{DocCheckedNotOK, DocProcessingError, ShipmentError}, d.Status) ||
			d.EdoStatus == ActError
	}
	return d.done(now) && d.fail != ""
}

// shipmentStatusAt is the D-19 status of a shipment at now.
func (d *doc) shipmentStatusAt(now time.Time) string {
	switch d.kind {
	case kindImport:
		switch d.statusAt(now) {
		case DocAccepted:
			return ShipmentAccepted
		case DocCheckedNotOK:
			return ShipmentError
		}
		return ShipmentWaitingAcceptance
	case kindExport:
	default:
		return ""
	}
	switch {
	case !d.done(now):
		return ShipmentChecking
	case d.fail != "":
		return ShipmentError
	case d.step <= 0:
		return ShipmentAccepted
	}
	switch now.Sub(d.ready) / d.step {
	case 0:
		return ShipmentSent
	case 1:
		return ShipmentWaitingAcceptance
	}
	return ShipmentAccepted
}

// acceptedAt is when an export shipment becomes ACCEPTED.
func (d *doc) acceptedAt() time.Time { return d.ready.Add(2 * max(d.step, 0)) }

// statusAt is the document status of d at now.
func (d *doc) statusAt(now time.Time) string {
	switch d.kind {
	case kindExport:
		switch d.shipmentStatusAt(now) {
		case ShipmentChecking:
			return DocInProgress
		case ShipmentError:
			return DocCheckedNotOK
		case ShipmentAccepted:
			return DocAccepted
		}
		return DocWaitAcceptance
	case kindImport:
		if a := d.acceptance; a != nil && a.done(now) && a.fail == "" {
			return DocAccepted
		}
		return d.Status
	}
	switch {
	case d.ready.IsZero():
		return d.Status
	case now.Before(d.ready):
		return DocInProgress
	case d.fail != "":
		return d.fail
	}
	return DocCheckedOK
}

// edoStatusAt is the Act status of an EDO document at now, 0 for others.
func (d *doc) edoStatusAt(now time.Time) int {
	switch {
	case d.kind != kindEDO:
		return 0
	case d.decided != 0:
		return d.decided
	case d.ready.IsZero():
		return d.EdoStatus
	case now.Before(d.ready):
		return ActSent
	case d.fail != "":
		return ActError
	case d.EdoType == EdoDivergence:
		return ActUnderAgreement
	}
	return ActAwaiting
}

// errorsAt are the processing errors of d at now: none until its check
// failed.
func (d *doc) errorsAt(now time.Time) []string {
	if !d.failed(now) {
		return nil
	}
	return slices.Clone(d.failErrors)
}

// snapshot copies d out as seen at now. The caller holds s.mu.
func (d *doc) snapshot(now time.Time) Document {
	out := d.Document
	out.Status = d.statusAt(now)
	out.EdoStatus = d.edoStatusAt(now)
	out.ShipmentStatus = d.shipmentStatusAt(now)
	out.Content = bytes.Clone(d.Content)
	out.Signature = bytes.Clone(d.Signature)
	out.Errors = d.errorsAt(now)
	out.Titles = nil
	for _, t := range d.titles {
		c := *t
		c.Content, c.Signature = bytes.Clone(t.Content), bytes.Clone(t.Signature)
		out.Titles = append(out.Titles, c)
	}
	return out
}

// visibleTo reports whether the participant is a party of d.
func (d *doc) visibleTo(pid string) bool { return d.Sender == pid || d.Receiver == pid }

// Document returns a copy of the document with the given id (or EDO
// number), its statuses as of now.
func (s *Server) Document(id string) (Document, bool) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs.byID[id]
	if !ok {
		return Document{}, false
	}
	return d.snapshot(now), true
}

// Documents returns copies of the documents the participant sent or
// received (receipts included), in the order they were registered, their
// statuses as of now. An empty participant means [Config.Owner].
func (s *Server) Documents(participant string) []Document {
	if participant == "" {
		participant = s.cfg.Owner
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Document
	for _, d := range s.docs.order {
		if d.visibleTo(participant) {
			out = append(out, d.snapshot(now))
		}
	}
	return out
}

// ReceivedTimes returns how many times these exact bytes reached a
// creating route (see [Stats].DocumentsReceived): pass a document's
// content, a title signature's CMS or an invoice request's body.
func (s *Server) ReceivedTimes(content []byte) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats.DocumentsReceived[digest(content)]
}

// digest is the sha256 hex digest of b, the key of DocumentsReceived.
func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// received counts content in DocumentsReceived.
func (s *Server) received(content []byte) {
	s.count(func(st *Stats) { st.DocumentsReceived[digest(content)]++ })
}

// FailNextDocument makes the check of the next document registered by a
// creating route fail once [Config.DocumentDelay] has passed: a document
// ends in status (CHECKED_NOT_OK or PROCESSING_ERROR; empty means
// CHECKED_NOT_OK) with errors, an EDO document in Act status 10, a
// shipment in ERROR. Each call affects one document; several calls queue
// up.
func (s *Server) FailNextDocument(status string) {
	if status == "" {
		status = DocCheckedNotOK
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs.failNext = append(s.docs.failNext, status)
}

// register stores a document created by a route at now: its check ends
// DocumentDelay later, failing if FailNextDocument asked for it or if it
// carries in-band errors. The caller holds s.mu.
func (s *Server) register(d *doc, now time.Time) {
	// The wire carries receivedAt to the millisecond, and a keyset cursor
	// made from it must compare equal to the stored time.
	now = now.Truncate(time.Millisecond)
	d.Received = now
	d.step = max(s.cfg.DocumentDelay, 0)
	d.ready = now.Add(d.step)
	if len(s.docs.failNext) > 0 {
		d.fail, s.docs.failNext = s.docs.failNext[0], s.docs.failNext[1:]
		d.failErrors = append(d.failErrors, "Документ "+d.ID+" не прошёл проверку: ошибка обработки документа (FailNextDocument)")
	}
	if len(d.inband) > 0 && d.fail == "" {
		d.fail = DocCheckedNotOK
	}
	for _, e := range d.inband {
		code, _ := e["errorCode"].(string)
		msg, _ := e["errorMessage"].(string)
		d.failErrors = append(d.failErrors, code+": "+msg)
	}
	s.docs.add(d)
	s.stats.Documents++
}

// lookup returns the document with the id or number. The caller holds
// s.mu.
func (s *Server) lookup(id string) *doc { return s.docs.byID[id] }

// participantName is the name of a participant the fake knows, or "".
func (s *Server) participantName(bin string) string {
	switch bin {
	case s.cfg.Owner:
		return s.cfg.OwnerName
	case OtherOwner1:
		return OtherOwner1Name
	case OtherOwner2:
		return OtherOwner2Name
	case Exporter:
		return ExporterName
	}
	return ""
}
