package trueapi

// The EDO and document-search methods of §7.1 of the documentation: the outgoing
// and incoming registers (D-1, D-2), document bodies (D-3, D-4), details
// of a finished document (D-5), the searches (D-6, and D-21 of 7.8), the
// titles (D-7, D-8) and the two-step title flows (D-9 → D-10, D-11 →
// D-12).

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// EDODocumentType is the numeric type of a document in the EDO registers
// (the type of GET edo-api/outgoing-documents and incoming-documents,
// D-1, D-2 and §3.4). Values outside the constants are kept as
// the server sent them.
type EDODocumentType int

// EDO document types of D-1 and §3.4.
const (
	EDOAct                    EDODocumentType = 1000 // Акт ПП
	EDODivergenceNotice       EDODocumentType = 1005 // уведомление о расхождении
	EDOCorrectionAct          EDODocumentType = 1100 // корректировочный Акт ПП
	EDOImportNotice           EDODocumentType = 1200 // уведомление о ввозе из ЕАЭС
	EDOCorrectionImportNotice EDODocumentType = 1300 // корректировочное уведомление о ввозе из ЕАЭС
)

// Act statuses that only the statuses filter of GET
// edo-api/outgoing-documents lists (D-1, an ambiguity of the documentation).
// The request list of D-1 gives 61 for "Подписан получателем" and 62 for
// "Ошибка доставки", while its response list and §3.6 give 4 and 10
// ([ActConfirmed], [ActInvalid]). This client models the status as an
// open integer: every value is sent and read as is, and the constants of
// both lists are offered.
const (
	ActDraft                   ActStatus = 0  // Черновик (D-1 request list)
	ActSignedByRecipientFilter ActStatus = 61 // Подписан получателем (D-1 request list; 4 in §3.6)
	ActDeliveryErrorFilter     ActStatus = 62 // Ошибка доставки (D-1 request list; 10 in §3.6)
)

// EDOFilter selects the documents of GET edo-api/outgoing-documents
// (D-1) and GET edo-api/incoming-documents (D-2). Empty
// fields are not sent; offset and limit are set by the page call and the
// iterator.
type EDOFilter struct {
	// SortBy is sortBy, the sort field; the documentation lists no values.
	SortBy string
	// Asc is asc: true is the natural order, false the reverse, nil
	// leaves it out (the server's default).
	Asc *bool
	// CreatedFrom and CreatedTo bound the registration date (create_from,
	// create_to), sent as Unix seconds. The zero time is not sent.
	CreatedFrom, CreatedTo time.Time
	// PartnerINN is partner_inn: the buyer's ИИН/БИН in the outgoing
	// register, the sender's in the incoming one.
	PartnerINN string
	// Statuses is statuses, sent as repeated keys
	// (statuses=3&statuses=5). The documentation does not say how the array is
	// serialised (AMBIGUITY of D-1); repeated keys are its safest guess,
	// and the one chosen here.
	Statuses []ActStatus
	// Types is type, sent as repeated keys like Statuses. The incoming
	// register defaults to and only knows [EDOAct].
	Types []EDODocumentType
	// Limit is the page size, 1 to [MaxListLimit]; 0 means
	// [DefaultListLimit]. The server's own default, 10 000, is not relied
	// on: a limit is always sent.
	Limit int
}

// EDODocument is one item of the EDO registers (D-1, D-2).
type EDODocument struct {
	// ID is id, the document id of the {documentId} paths.
	ID string
	// Status is status (§3.6 and the lists of D-1; see [ActDraft]).
	Status ActStatus
	// Number is number, the registration number.
	Number string
	// Date is date, the registration date (Unix seconds on the wire).
	Date time.Time
	// Type is type.
	Type EDODocumentType
	// CreatedAt is created_at (Unix seconds on the wire).
	CreatedAt time.Time
	// Extra holds the members the documentation does not list, as sent; nil
	// when there is none.
	Extra map[string]json.RawMessage
}

// EDOPage is one page of an EDO register (D-1, D-2).
type EDOPage struct {
	// Count is count, the number of documents matching the filter. The
	// documentation is not clear whether it counts all matches or the page's
	// items ("Количество документов"); this client reads it as the total
	// of all matches.
	Count int
	// Items are the documents of the page, in the server's order.
	Items []EDODocument
	// Offset is the offset the page was read at; Next is the offset of
	// the following page (Offset + len(Items)).
	Offset, Next int
	// More reports whether further documents may follow: the page was
	// full and Next is below a positive Count.
	More bool
}

type edoDocumentWire struct {
	ID        lenient.String
	Status    lenient.Int
	Number    lenient.String
	Date      wireTime
	Type      lenient.Int
	CreatedAt wireTime
	Extra     map[string]json.RawMessage
}

// UnmarshalJSON implements [json.Unmarshaler].
func (w *edoDocumentWire) UnmarshalJSON(b []byte) error {
	*w = edoDocumentWire{}
	return decodeRecord(b, &w.Extra, []extraMember{
		{Key: "id", Dst: &w.ID},
		{Key: "status", Dst: &w.Status},
		{Key: "number", Dst: &w.Number},
		{Key: "date", Dst: &w.Date},
		{Key: "type", Dst: &w.Type},
		{Key: "created_at", Aliases: []string{"createdAt"}, Dst: &w.CreatedAt},
	})
}

func (w *edoDocumentWire) public() EDODocument {
	return EDODocument{
		ID: w.ID.S, Status: ActStatus(w.Status.N), Number: w.Number.S, Date: w.Date.T,
		Type: EDODocumentType(w.Type.N), CreatedAt: w.CreatedAt.T, Extra: w.Extra,
	}
}

// edoPageWire is the answer of D-1 and D-2, {"count", "items"}; a bare
// array of items is read too, and null, for the page or its items, is
// refused.
type edoPageWire struct {
	Count lenient.Int               `json:"count"`
	Items wireList[edoDocumentWire] `json:"items"`
}

func (f *EDOFilter) check(offset int) error {
	return cmp.Or(checkLimit("limit", f.Limit, DefaultListLimit), checkOffset("offset", offset),
		checkRange("create_from", f.CreatedFrom, "create_to", f.CreatedTo))
}

// edoQuery is the query string of one page of D-1 or D-2, encoded by
// internal/query: dates as Unix seconds, statuses and types as repeated
// keys (statuses=3&statuses=5), a limit on every page.
type edoQuery struct {
	Offset      int               `url:"offset"`
	Limit       int               `url:"limit"`
	SortBy      string            `url:"sortBy,omitempty"`
	Asc         *bool             `url:"asc,omitempty"`
	CreatedFrom time.Time         `url:"create_from,omitempty,unix"`
	CreatedTo   time.Time         `url:"create_to,omitempty,unix"`
	PartnerINN  string            `url:"partner_inn,omitempty"`
	Statuses    []ActStatus       `url:"statuses,omitempty"`
	Types       []EDODocumentType `url:"type,omitempty"`
}

// query maps f, checked, to the query of the page at offset.
func (f *EDOFilter) query(offset int) edoQuery {
	return edoQuery{
		Offset: offset, Limit: cmp.Or(f.Limit, DefaultListLimit), SortBy: f.SortBy, Asc: f.Asc,
		CreatedFrom: f.CreatedFrom, CreatedTo: f.CreatedTo, PartnerINN: f.PartnerINN,
		Statuses: f.Statuses, Types: f.Types,
	}
}

// outgoingDocuments and incomingDocuments are the EDO registers D-1 and
// D-2: the same filter and items, read by offset.
var outgoingDocuments, incomingDocuments = edoRegister("edo-api/outgoing-documents"), edoRegister("edo-api/incoming-documents")

// edoRegister describes D-1 or D-2.
func edoRegister(path string) *listing[EDOFilter, int, EDODocument] {
	return &listing[EDOFilter, int, EDODocument]{
		path:   path,
		check:  (*EDOFilter).check,
		params: func(f *EDOFilter, offset int) any { return f.query(offset) },
		read: readPage[EDODocument, edoDocumentWire](true, func(w *edoPageWire) (*wireList[edoDocumentWire], *lenient.Int) {
			return &w.Items, &w.Count
		}),
		limit: func(f *EDOFilter) int { return cmp.Or(f.Limit, DefaultListLimit) },
	}
}

// OutgoingDocumentsPage returns one page of the EDO "Outgoing" register,
// the supplier's Acts and EAEU import notices (GET
// edo-api/outgoing-documents, D-1), read at offset. Bad input
// (a limit outside 0…10 000, a negative offset) is refused with a
// [*ValidationError] before any request: the server answers 400 above
// 10 000 and 500 below 0.
func (c *Client) OutgoingDocumentsPage(ctx context.Context, f EDOFilter, offset int) (*EDOPage, error) {
	return c.edoPage(ctx, outgoingDocuments, f, offset)
}

// IncomingDocumentsPage returns one page of the EDO "Incoming" register,
// the buyer's Acts (GET edo-api/incoming-documents, D-2), read at
// offset; it pages like [Client.OutgoingDocumentsPage].
func (c *Client) IncomingDocumentsPage(ctx context.Context, f EDOFilter, offset int) (*EDOPage, error) {
	return c.edoPage(ctx, incomingDocuments, f, offset)
}

// OutgoingDocuments iterates over every document of the EDO "Outgoing"
// register matching f (GET edo-api/outgoing-documents, D-1),
// [DefaultListLimit] a request unless f.Limit says otherwise. It reads
// from offset 0, each request at the offset after the last document read,
// and stops after a short page or once the offset reaches a positive
// count. Nothing is requested until the loop starts; an error is yielded
// once and ends the loop.
func (c *Client) OutgoingDocuments(ctx context.Context, f EDOFilter) iter.Seq2[EDODocument, error] {
	return offsetItems(ctx, c, outgoingDocuments, f)
}

// IncomingDocuments iterates over every document of the EDO "Incoming"
// register matching f (GET edo-api/incoming-documents, D-2); it
// walks like [Client.OutgoingDocuments].
func (c *Client) IncomingDocuments(ctx context.Context, f EDOFilter) iter.Seq2[EDODocument, error] {
	return offsetItems(ctx, c, incomingDocuments, f)
}

// edoPage reads the page of register l at offset.
func (c *Client) edoPage(ctx context.Context, l *listing[EDOFilter, int, EDODocument], f EDOFilter, offset int) (*EDOPage, error) {
	p, err := offsetPage(ctx, c, l, &f, offset)
	if err != nil {
		return nil, err
	}
	return &EDOPage{Count: p.Meta, Items: p.Items, Offset: offset, Next: p.Next, More: !p.Last}, nil
}

// edoOutgoingPath is edo-api/outgoing-documents/{documentId}/rest with
// the id escaped as a path segment.
func edoOutgoingPath(id, rest string) string {
	return "edo-api/outgoing-documents/" + pathSegment(id) + "/" + rest
}

// edoIncomingPath is edo-api/incoming-documents/{documentId}/rest.
func edoIncomingPath(id, rest string) string {
	return "edo-api/incoming-documents/" + pathSegment(id) + "/" + rest
}

// OutgoingDocumentXML returns the XML of an outgoing document (GET
// edo-api/outgoing-documents/{documentId}/base64, D-3): the
// server's bare base64 answer, decoded. The documentation's stage URL example
// shows the incoming path (a TYPO); the method heading's outgoing path is
// used. An answer that is not strict base64 (standard alphabet, padded)
// of one well-formed XML document is an [*Error] matching ErrDecode that
// keeps the body, never bytes to sign.
func (c *Client) OutgoingDocumentXML(ctx context.Context, documentID string) ([]byte, error) {
	if err := requireText("documentId", documentID); err != nil {
		return nil, err
	}
	return c.getBase64XML(ctx, edoOutgoingPath(documentID, "base64"))
}

// IncomingDocumentXML returns the XML of an incoming document (GET
// edo-api/incoming-documents/{documentId}/base64, D-4, which the
// specification merges into D-3): the bare base64 answer, decoded and
// checked like [Client.OutgoingDocumentXML]'s. The damaged example of
// True API v2.22, D-4 (OCR'd base64 whose length is no multiple of 4) is
// such an error.
func (c *Client) IncomingDocumentXML(ctx context.Context, documentID string) ([]byte, error) {
	if err := requireText("documentId", documentID); err != nil {
		return nil, err
	}
	return c.getBase64XML(ctx, edoIncomingPath(documentID, "base64"))
}

// EDOInfo is the answer of GET edo-api/documents/info/{documentId}
// (D-5): the typed common part of a finished document and its
// body as sent. [EDOInfo.Document] reads the documented bodies.
type EDOInfo struct {
	// Status is status (§3.5).
	Status DocumentStatus
	// Type is type: KZ_INTRODUCE_GOODS, MTTPS_90, IMPORT_TRANSIT or
	// IMPORT (§3.4).
	Type DocumentType
	// FileID is body.fileId, the document's GUID (read from
	// body.document.fileId when the body holds it there, as D-5's table
	// places it).
	FileID string
	// Version is body.version (or body.document.version).
	Version string
	// SendingDateTime is body.sendingDateTime (or
	// body.document.sendingDateTime).
	SendingDateTime time.Time
	// Body is body as sent; nil when absent.
	Body json.RawMessage
	// Extra holds the top-level members the documentation does not list.
	Extra map[string]json.RawMessage
}

type edoInfoWire struct {
	Status lenient.String
	Type   lenient.String
	Body   rawMember
	Extra  map[string]json.RawMessage
}

// UnmarshalJSON implements [json.Unmarshaler].
func (w *edoInfoWire) UnmarshalJSON(b []byte) error {
	*w = edoInfoWire{}
	return decodeRecord(b, &w.Extra, []extraMember{
		{Key: "status", Dst: &w.Status},
		{Key: "type", Dst: &w.Type},
		{Key: "body", Dst: &w.Body},
	})
}

// edoInfoHeader is the common part of a D-5 body: fileId, version and
// sendingDateTime, beside document (example) or inside it (table).
type edoInfoHeader struct {
	FileID          lenient.String `json:"fileId"`
	Version         lenient.String `json:"version"`
	SendingDateTime wireTime       `json:"sendingDateTime"`
}

func (w *edoInfoWire) public() EDOInfo {
	info := EDOInfo{Status: DocumentStatus(w.Status.S), Type: DocumentType(w.Type.S), Body: w.Body.raw, Extra: w.Extra}
	if w.Body.raw == nil {
		return info
	}
	var outer struct {
		edoInfoHeader
		Document *edoInfoHeader `json:"document"`
	}
	if lenient.Unmarshal(w.Body.raw, &outer) != nil {
		return info
	}
	h := outer.edoInfoHeader
	if outer.Document != nil {
		h.FileID.S = cmp.Or(h.FileID.S, outer.Document.FileID.S)
		h.Version.S = cmp.Or(h.Version.S, outer.Document.Version.S)
		if h.SendingDateTime.T.IsZero() {
			h.SendingDateTime = outer.Document.SendingDateTime
		}
	}
	info.FileID, info.Version, info.SendingDateTime = h.FileID.S, h.Version.S, h.SendingDateTime.T
	return info
}

// EDODocumentInfo returns the details of a document whose workflow is
// complete, the "Документы" tab (GET edo-api/documents/info/{documentId},
// D-5): EAEU import, third-country import, re-introduction and
// withdrawal notices.
//
// AMBIGUITIES of D-5 and the readings chosen: the path is the heading's
// and the stage example's edo-api/documents/info/{documentId} (the table
// leaves out edo-api, the screenshot sends the id as a query parameter),
// with the id as a path segment. The text example answers one object,
// the screenshot an array; both are read, an object becoming a slice of
// one (an empty array is an empty slice). Every element keeps its body
// as sent.
func (c *Client) EDODocumentInfo(ctx context.Context, documentID string) ([]EDOInfo, error) {
	if err := requireText("documentId", documentID); err != nil {
		return nil, err
	}
	req := &transport.Request{Path: "edo-api/documents/info/" + pathSegment(documentID)}
	return decoded(ctx, c, req, func(body []byte) ([]EDOInfo, error) {
		if err := notNull(body); err != nil {
			return nil, err
		}
		var list []edoInfoWire
		if b := bytes.TrimSpace(body); len(b) > 0 && b[0] == '[' {
			if err := lenient.Unmarshal(b, &list); err != nil {
				return nil, err
			}
		} else {
			var one edoInfoWire
			if err := lenient.Unmarshal(b, &one); err != nil {
				return nil, err
			}
			list = []edoInfoWire{one}
		}
		out := make([]EDOInfo, len(list))
		for i := range list {
			out[i] = list[i].public()
		}
		return out, nil
	})
}

// EDOInfoDocument is body.document of GET edo-api/documents/info
// (D-5), for the two documented bodies: re-introduction (KZ_INTRODUCE_GOODS)
// and withdrawal (MTTPS_90) notices fill Participant, OriginalDoc and
// Reason; EAEU import notices (IMPORT_TRANSIT) fill Supplier, Consignee,
// OriginalDoc, Excise, Compliance and ProductTotals. Both fill Products.
// The structure of IMPORT is not documented: read [EDOInfo.Body] for it.
type EDOInfoDocument struct {
	// Participant is mainInfo.participantInfo.
	Participant *EDOInfoParty
	// Supplier is mainInfo.supplierInfo, with its country code.
	Supplier *EDOInfoParty
	// Consignee is mainInfo.consigneeInfo.
	Consignee *EDOInfoParty
	// OriginalDoc is mainInfo.originalDocInfo.
	OriginalDoc *EDOInfoOriginalDoc
	// Reason is mainInfo.reason:'s withdrawal reasons for MTTPS_90,
	// the re-introduction reasons for KZ_INTRODUCE_GOODS
	// (the documentation's example sends "2" where D-5's table lists only 1; it is kept as
	// sent).
	Reason string
	// Excise is mainInfo.exciseDocInfo (exciseInfo in the request XML of
	// D-15; both are read).
	Excise *EDOInfoExcise
	// Compliance is mainInfo.complianceInfo: typed an array of 1 to 10
	// documents, a single object in the example; both are read.
	Compliance []EDOInfoCompliance
	// Products is cisList (re-introduction, withdrawal) or productList
	// (EAEU import), whichever was sent, read inside body.document (D-5's
	// table) or beside it in body (D-5's import example).
	Products []EDOInfoProduct
	// ProductTotals is productTotals, GTIN to count, read in the same two
	// places; counts are typed Integer but strings in the example, and
	// both are read.
	ProductTotals map[string]int64
	// MainInfo is mainInfo as sent.
	MainInfo json.RawMessage
}

// EDOInfoParty is a participant of a D-5 body (D-5):
// participantInfo, supplierInfo or consigneeInfo.
type EDOInfoParty struct {
	// Name is participantName, supplierName or consigneeName.
	Name string
	// IdentificationCode is participantIdentificationCode,
	// supplierIdentificationCode or consigneeIdentificationCode.
	IdentificationCode string
	// CountryCode is supplierCountryCode (AM, BY, KG, RU).
	CountryCode string
}

// EDOInfoOriginalDoc is mainInfo.originalDocInfo of a D-5 body
// (D-5).
type EDOInfoOriginalDoc struct {
	Name   string // docName
	Number string // docNumber
	// Date is docDate (dd.mm.yyyy); zero when it does not parse, with the
	// text kept in DateText.
	Date     time.Time
	DateText string
}

// EDOInfoExcise is mainInfo.exciseDocInfo of a D-5 body (D-5).
type EDOInfoExcise struct {
	Number string    // exciseDocNumber
	Date   time.Time // exciseDocDate (dd.mm.yyyy)
	// Amount is exciseAmount: typed Integer, "123.09" in the example;
	// read exactly as a decimal from a number or a string.
	Amount decimal.Decimal
}

// EDOInfoCompliance is one conformity document of a D-5 body
// (D-5, complianceInfo).
type EDOInfoCompliance struct {
	Number string    // complianceDocNumber
	Date   time.Time // complianceDocDate (dd.mm.yyyy)
	Type   string    // complianceDocType
}

// EDOInfoProduct is one code of a D-5 body (D-5, cisList or
// productList).
type EDOInfoProduct struct {
	Value  string // value: the code without its crypto tail
	Name   string // name
	Status string // status
}

type edoInfoPartyWire struct {
	ParticipantName               lenient.String `json:"participantName"`
	ParticipantIdentificationCode lenient.String `json:"participantIdentificationCode"`
	SupplierName                  lenient.String `json:"supplierName"`
	SupplierIdentificationCode    lenient.String `json:"supplierIdentificationCode"`
	SupplierCountryCode           lenient.String `json:"supplierCountryCode"`
	ConsigneeName                 lenient.String `json:"consigneeName"`
	ConsigneeIdentificationCode   lenient.String `json:"consigneeIdentificationCode"`
}

func (w *edoInfoPartyWire) public() *EDOInfoParty {
	if w == nil {
		return nil
	}
	return &EDOInfoParty{
		Name:               cmp.Or(w.ParticipantName.S, w.SupplierName.S, w.ConsigneeName.S),
		IdentificationCode: cmp.Or(w.ParticipantIdentificationCode.S, w.SupplierIdentificationCode.S, w.ConsigneeIdentificationCode.S),
		CountryCode:        w.SupplierCountryCode.S,
	}
}

type edoInfoComplianceWire struct {
	Number lenient.String `json:"complianceDocNumber"`
	Date   wireTime       `json:"complianceDocDate"`
	Type   lenient.String `json:"complianceDocType"`
}

// edoComplianceList reads complianceInfo: an array, or a single object.
type edoComplianceList []edoInfoComplianceWire

func (l *edoComplianceList) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '{' {
		var one edoInfoComplianceWire
		if err := lenient.Unmarshal(b, &one); err != nil {
			return err
		}
		*l = edoComplianceList{one}
		return nil
	}
	return lenient.Unmarshal(b, (*[]edoInfoComplianceWire)(l))
}

type edoInfoProductWire struct {
	Value  lenient.String `json:"value"`
	Name   lenient.String `json:"name"`
	Status lenient.String `json:"status"`
}

type edoInfoDocumentWire struct {
	MainInfo json.RawMessage `json:"mainInfo"`
	Main     struct {
		ParticipantInfo *edoInfoPartyWire `json:"participantInfo"`
		SupplierInfo    *edoInfoPartyWire `json:"supplierInfo"`
		ConsigneeInfo   *edoInfoPartyWire `json:"consigneeInfo"`
		OriginalDocInfo *struct {
			DocName   lenient.String `json:"docName"`
			DocNumber lenient.String `json:"docNumber"`
			DocDate   lenient.String `json:"docDate"`
		} `json:"originalDocInfo"`
		Reason        lenient.String `json:"reason"`
		ExciseDocInfo *struct {
			Number lenient.String  `json:"exciseDocNumber"`
			Date   wireTime        `json:"exciseDocDate"`
			Amount lenient.Decimal `json:"exciseAmount"`
		} `json:"exciseDocInfo"`
		ExciseInfo     json.RawMessage   `json:"exciseInfo"`
		ComplianceInfo edoComplianceList `json:"complianceInfo"`
	} `json:"-"`
	CisList       []edoInfoProductWire   `json:"cisList"`
	ProductList   []edoInfoProductWire   `json:"productList"`
	ProductTotals map[string]lenient.Int `json:"productTotals"`
}

// edoPresent reports whether raw holds a value: not missing, null, "" or
// "undef".
func edoPresent(raw json.RawMessage) bool { return len(raw) > 0 && !lenient.IsAbsent(raw) }

// Document reads body.document of a D-5 answer (D-5) into its
// typed form; the body stays in [EDOInfo.Body]. It fails when the body
// holds no document object or a member has a type the documentation does not
// allow.
func (i *EDOInfo) Document() (*EDOInfoDocument, error) {
	if !edoPresent(i.Body) {
		return nil, errors.New("trueapi: edo-api/documents/info: no body")
	}
	var body struct {
		Document      json.RawMessage        `json:"document"`
		CisList       []edoInfoProductWire   `json:"cisList"`
		ProductList   []edoInfoProductWire   `json:"productList"`
		ProductTotals map[string]lenient.Int `json:"productTotals"`
	}
	if err := lenient.Unmarshal(i.Body, &body); err != nil {
		return nil, fmt.Errorf("trueapi: edo-api/documents/info body: %w", err)
	}
	if !edoPresent(body.Document) {
		return nil, errors.New("trueapi: edo-api/documents/info body: no document")
	}
	var w edoInfoDocumentWire
	if err := lenient.Unmarshal(body.Document, &w); err != nil {
		return nil, fmt.Errorf("trueapi: edo-api/documents/info body.document: %w", err)
	}
	if edoPresent(w.MainInfo) {
		if err := lenient.Unmarshal(w.MainInfo, &w.Main); err != nil {
			return nil, fmt.Errorf("trueapi: edo-api/documents/info body.document.mainInfo: %w", err)
		}
		if w.Main.ExciseDocInfo == nil && edoPresent(w.Main.ExciseInfo) {
			if err := lenient.Unmarshal(w.Main.ExciseInfo, &w.Main.ExciseDocInfo); err != nil {
				return nil, fmt.Errorf("trueapi: edo-api/documents/info body.document.mainInfo.exciseInfo: %w", err)
			}
		}
	}
	m := &w.Main
	d := &EDOInfoDocument{
		Participant: m.ParticipantInfo.public(), Supplier: m.SupplierInfo.public(), Consignee: m.ConsigneeInfo.public(),
		Reason: m.Reason.S, MainInfo: w.MainInfo,
	}
	if o := m.OriginalDocInfo; o != nil {
		d.OriginalDoc = &EDOInfoOriginalDoc{Name: o.DocName.S, Number: o.DocNumber.S, DateText: o.DocDate.S}
		if t, err := parseWireTime(o.DocDate.S); err == nil {
			d.OriginalDoc.Date = t
		}
	}
	if e := m.ExciseDocInfo; e != nil {
		d.Excise = &EDOInfoExcise{Number: e.Number.S, Date: e.Date.T, Amount: e.Amount.D}
	}
	for _, c := range m.ComplianceInfo {
		d.Compliance = append(d.Compliance, EDOInfoCompliance{Number: c.Number.S, Date: c.Date.T, Type: c.Type.S})
	}
	// The codes and totals: inside document, where D-5's table puts them,
	// or beside it in body, where D-5's import example has them (as it
	// has fileId); the first list present is read.
	products := w.CisList
	for _, alt := range [][]edoInfoProductWire{w.ProductList, body.CisList, body.ProductList} {
		if products == nil {
			products = alt
		}
	}
	for _, p := range products {
		d.Products = append(d.Products, EDOInfoProduct{Value: p.Value.S, Name: p.Name.S, Status: p.Status.S})
	}
	totals := w.ProductTotals
	if totals == nil {
		totals = body.ProductTotals
	}
	if totals != nil {
		d.ProductTotals = make(map[string]int64, len(totals))
		for gtin, n := range totals {
			d.ProductTotals[gtin] = n.N
		}
	}
	return d, nil
}

// DefaultSearchDateLayout is the layout of dateFrom and dateTo in POST
// documents/search (D-6), MM/dd/yyyy. The documentation does not state
// the format; its only example, a screenshot,
// sends "11/19/2021", so that layout is the default;
// [DocumentSearch.DateLayout] overrides it.
const DefaultSearchDateLayout = "01/02/2006"

// searchV2DateLayout is the layout of the searchV2 dates (D-21:
// the example sends yyyy-MM-dd).
const searchV2DateLayout = "2006-01-02"

// DocumentSearch is the body of POST documents/search (D-6), which
// lists the finished documents of the "Документы" tab (not the EDO
// registers). Empty fields are not sent; pagination.offset and limit are
// set by the page call and the iterator.
type DocumentSearch struct {
	// DocumentType is documentType; empty means every type. Values:
	// KZ_INTRODUCE_GOODS, MTTPS_90, IMPORT, IMPORT_TRANSIT, WRITE_OFF,
	// AGGREGATION_DOCUMENT, KZ_UPD, EAS_CROSSBORDER, EAS_CROSSBORDER_GROUP.
	DocumentType DocumentType
	// DocumentStatus is documentStatus (§3.5).
	DocumentStatus DocumentStatus
	// DateFrom is dateFrom and is required; DateTo is dateTo. They are
	// sent as the calendar date of the time in its own location, in
	// DateLayout.
	DateFrom, DateTo time.Time
	// DateLayout is the Go layout of the dates; empty means
	// [DefaultSearchDateLayout] (MM/dd/yyyy, the screenshot's).
	DateLayout string
	// SenderBIN and ReceiverBIN are senderBin and receiverBin, sent as
	// strings.
	SenderBIN, ReceiverBIN string
	// Order is pagination.order, by document date; empty leaves the
	// server's default.
	Order SortOrder
	// Limit is pagination.limit, the page size, 1 to [MaxListLimit]; 0
	// means [DefaultListLimit]. The documentation states no maximum or default.
	Limit int
}

// DocumentSearchV2 is the body of POST documents/searchV2 (D-21),
// the synchronous search of EAEU import documents. Empty fields are not
// sent; pagination.offset and limit are set by the page call and the
// iterator.
type DocumentSearchV2 struct {
	// DocumentType is documentType and is required: EAS_CROSSBORDER (the
	// EAEU shipment notice; the table spells it EAS_CRROSSBORDER, a
	// TYPO), LP_ACCEPT_GOODS (the acceptance notice) or
	// EAS_CROSSBORDER_GROUP (every document of an EAEU import).
	DocumentType DocumentType
	// DocumentStatus is documentStatus, e.g. ACCEPTED.
	DocumentStatus DocumentStatus
	// DateFrom and DateTo are dateFrom and dateTo, sent as yyyy-MM-dd
	// (the example's layout), the calendar date of the time in its own
	// location.
	DateFrom, DateTo time.Time
	// SenderBIN and ReceiverBIN are senderBin and receiverBin. The table
	// types them as numbers, the example sends strings; they are always
	// sent as strings, which keeps leading zeros.
	SenderBIN, ReceiverBIN string
	// Order is pagination.order; empty leaves the server's default.
	Order SortOrder
	// Limit is pagination.limit, 1 to [MaxListLimit]; 0 means
	// [DefaultListLimit]. (The example sends limit 0, whose meaning is
	// unknown, so 0 is never sent.)
	Limit int
}

// FoundDocument is one document found by POST documents/search
// (D-6) or POST documents/searchV2 (D-21). D-21 documents three
// item shapes; the union of their fields is
// read, and what a shape does not send stays zero.
type FoundDocument struct {
	// FileID is fileId, the document id (D-6, the D-21 table).
	FileID string
	// SendingDateTime is sendingDateTime (D-6, the D-21 table).
	SendingDateTime time.Time
	// Status is status (§3.5; also ACCEPTED, WAIT_ACCEPTANCE for D-21).
	Status DocumentStatus
	// Type is type or documentType (the D-21 example's key).
	Type DocumentType
	// SenderName and ReceiverName are senderName and receiverName (the
	// D-21 table).
	SenderName, ReceiverName string
	// RegistrationNum is registrationNum, the document id of the D-21
	// example.
	RegistrationNum string
	// RegistrationDate is registrationDate (the D-21 example, yyyy-MM-dd).
	RegistrationDate time.Time
	// Exporter is exporter, the exporter's id in the D-21 example.
	Exporter string
	// SenderCountry is senderCountry, a numeric ISO code as a string
	// ("643" is Russia).
	SenderCountry string
	// Receiver is receiver, the receiver's id in the D-21 example.
	Receiver string
	// Extra holds the members the documentation does not list, as sent.
	Extra map[string]json.RawMessage
}

// DocumentID returns FileID, or RegistrationNum when the item carries no
// fileId (the D-21 example shape; D-21).
func (d FoundDocument) DocumentID() string { return cmp.Or(d.FileID, d.RegistrationNum) }

// DocumentSearchPage is one page of POST documents/search (D-6) or
// documents/searchV2 (D-21). The answers carry no total.
type DocumentSearchPage struct {
	// Documents are the documents of the page, in the server's order.
	Documents []FoundDocument
	// Offset is the pagination.offset the page was read at; Next is the
	// offset of the following page.
	Offset, Next int
	// More reports whether the page was full: further documents may
	// follow. A shorter page is the last one.
	More bool
}

type edoFoundWire struct {
	FileID           lenient.String
	SendingDateTime  wireTime
	Status           lenient.String
	Type             lenient.String
	SenderName       lenient.String
	ReceiverName     lenient.String
	RegistrationNum  lenient.String
	RegistrationDate wireTime
	Exporter         lenient.String
	SenderCountry    lenient.String
	Receiver         lenient.String
	Extra            map[string]json.RawMessage
}

// UnmarshalJSON implements [json.Unmarshaler].
func (w *edoFoundWire) UnmarshalJSON(b []byte) error {
	*w = edoFoundWire{}
	return decodeRecord(b, &w.Extra, []extraMember{
		{Key: "fileId", Dst: &w.FileID},
		{Key: "sendingDateTime", Aliases: []string{"sendingDate Time"}, Dst: &w.SendingDateTime},
		{Key: "status", Dst: &w.Status},
		{Key: "type", Aliases: []string{"documentType"}, Dst: &w.Type},
		{Key: "senderName", Aliases: []string{"sendezName"}, Dst: &w.SenderName},
		{Key: "receiverName", Dst: &w.ReceiverName},
		{Key: "registrationNum", Dst: &w.RegistrationNum},
		{Key: "registrationDate", Dst: &w.RegistrationDate},
		{Key: "exporter", Dst: &w.Exporter},
		{Key: "senderCountry", Dst: &w.SenderCountry},
		{Key: "receiver", Dst: &w.Receiver},
	})
}

func (w *edoFoundWire) public() FoundDocument {
	return FoundDocument{
		FileID: w.FileID.S, SendingDateTime: w.SendingDateTime.T, Status: DocumentStatus(w.Status.S),
		Type: DocumentType(w.Type.S), SenderName: w.SenderName.S, ReceiverName: w.ReceiverName.S,
		RegistrationNum: w.RegistrationNum.S, RegistrationDate: w.RegistrationDate.T, Exporter: w.Exporter.S,
		SenderCountry: w.SenderCountry.S, Receiver: w.Receiver.S, Extra: w.Extra,
	}
}

// edoDecodeFound reads a search answer: {"documentsList": […]} (D-6, the
// D-21 example), {"documents": […]} (the D-21 screenshot), a bare array,
// or a single document object. An empty body, null, or null in place of
// the list is refused (the server answers 404 when nothing matched).
func edoDecodeFound(body []byte) ([]FoundDocument, error) {
	b := bytes.TrimSpace(body)
	var list []edoFoundWire
	switch {
	case isNull(b):
		return nil, errNullList
	case b[0] == '[':
		if err := lenient.Unmarshal(b, &list); err != nil {
			return nil, err
		}
	default:
		var obj map[string]json.RawMessage
		if err := lenient.Unmarshal(b, &obj); err != nil {
			return nil, err
		}
		raw, ok := obj["documentsList"]
		if !ok {
			raw, ok = obj["documents"]
		}
		switch {
		case ok && isNull(raw):
			return nil, errNullList
		case ok && !lenient.IsAbsent(raw):
			if err := lenient.Unmarshal(raw, &list); err != nil {
				return nil, err
			}
		case ok:
		case obj["fileId"] != nil || obj["registrationNum"] != nil:
			var one edoFoundWire
			if err := lenient.Unmarshal(b, &one); err != nil {
				return nil, err
			}
			list = []edoFoundWire{one}
		default:
			return nil, errors.New("neither documentsList nor documents in the answer")
		}
	}
	out := make([]FoundDocument, len(list))
	for i := range list {
		out[i] = list[i].public()
	}
	return out, nil
}

// readFound reads a page of D-6 or D-21, whose answers carry no total.
func readFound(b []byte) (answer[FoundDocument], error) {
	docs, err := edoDecodeFound(b)
	return answer[FoundDocument]{items: docs}, err
}

type edoPagination struct {
	Offset int    `json:"offset"`
	Order  string `json:"order,omitempty"`
	Limit  int    `json:"limit"`
}

type edoSearchBody struct {
	DocumentType   string        `json:"documentType,omitempty"`
	DocumentStatus string        `json:"documentStatus,omitempty"`
	DateFrom       string        `json:"dateFrom,omitempty"`
	DateTo         string        `json:"dateTo,omitempty"`
	SenderBIN      string        `json:"senderBin,omitempty"`
	ReceiverBIN    string        `json:"receiverBin,omitempty"`
	Pagination     edoPagination `json:"pagination"`
}

func edoCheckSearchPage(limit, offset int, order SortOrder, from, to time.Time) error {
	return cmp.Or(checkLimit("pagination.limit", limit, DefaultListLimit), checkOffset("pagination.offset", offset),
		checkOrder("pagination.order", order), checkRange("dateFrom", from, "dateTo", to))
}

func (s *DocumentSearch) check(offset int) error {
	if s.DateFrom.IsZero() {
		return transport.Invalid("dateFrom", "is required")
	}
	return edoCheckSearchPage(s.Limit, offset, s.Order, s.DateFrom, s.DateTo)
}

func (s *DocumentSearchV2) check(offset int) error {
	if err := requireText("documentType", string(s.DocumentType)); err != nil {
		return err
	}
	return edoCheckSearchPage(s.Limit, offset, s.Order, s.DateFrom, s.DateTo)
}

func edoFormatDate(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(layout)
}

func (s *DocumentSearch) body(offset int) edoSearchBody {
	layout := cmp.Or(s.DateLayout, DefaultSearchDateLayout)
	return edoSearchBody{
		DocumentType: string(s.DocumentType), DocumentStatus: string(s.DocumentStatus),
		DateFrom: edoFormatDate(s.DateFrom, layout), DateTo: edoFormatDate(s.DateTo, layout),
		SenderBIN: s.SenderBIN, ReceiverBIN: s.ReceiverBIN,
		Pagination: edoPagination{Offset: offset, Order: string(s.Order), Limit: cmp.Or(s.Limit, DefaultListLimit)},
	}
}

func (s *DocumentSearchV2) body(offset int) edoSearchBody {
	return edoSearchBody{
		DocumentType: string(s.DocumentType), DocumentStatus: string(s.DocumentStatus),
		DateFrom: edoFormatDate(s.DateFrom, searchV2DateLayout), DateTo: edoFormatDate(s.DateTo, searchV2DateLayout),
		SenderBIN: s.SenderBIN, ReceiverBIN: s.ReceiverBIN,
		Pagination: edoPagination{Offset: offset, Order: string(s.Order), Limit: cmp.Or(s.Limit, DefaultListLimit)},
	}
}

// edoEmptySearch reports whether err is D-6's 404 for a search that found
// nothing, as opposed to the 404 of a wrong URL ("Метод с указанным URL
// не найден").
func edoEmptySearch(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusNotFound {
		return false
	}
	return !strings.Contains(e.Message, "URL")
}

// SearchDocumentsPage returns one page of the finished documents matching
// s (POST documents/search, D-6), read at pagination.offset
// offset. The call only reads, so it is retried like a GET.
//
// The server answers 404 when no document matches (D-6: "an empty
// result can be a 404"); this is returned as an empty page, not an error.
// A 404 naming a wrong URL ("Метод с указанным URL не найден") stays an
// error.
//
// Readings of the documentation's ambiguities: dates use [DefaultSearchDateLayout]
// unless s.DateLayout says otherwise; pagination.offset is a record offset
// from 0 (the screenshot's offset "1" with limit "1" does not tell a
// record offset from a page number) and the numbers are sent as JSON
// numbers, as the table types them (the screenshot sends strings); the
// answer is read with the documentsList wrapper or as a bare array.
func (c *Client) SearchDocumentsPage(ctx context.Context, s DocumentSearch, offset int) (*DocumentSearchPage, error) {
	return searchPage(ctx, c, searchDocuments, s, offset)
}

// SearchDocuments iterates over every finished document matching s (POST
// documents/search, D-6), [DefaultListLimit] a request unless
// s.Limit says otherwise, from offset 0. The answers carry no total, so
// the walk stops after a page shorter than the limit (or the 404 of an
// empty page). Nothing is requested until the loop starts; an error is
// yielded once and ends the loop.
func (c *Client) SearchDocuments(ctx context.Context, s DocumentSearch) iter.Seq2[FoundDocument, error] {
	return offsetItems(ctx, c, searchDocuments, s)
}

// SearchDocumentsV2Page returns one page of the EAEU import documents
// matching s (POST documents/searchV2, D-21), read at
// pagination.offset offset. The call only reads, so it is retried like a
// GET. The answer is read with a documentsList or a documents wrapper, or
// as a bare array (three shapes in the documentation). Unlike D-6, a 404 is not
// documented for an empty search and stays an error.
func (c *Client) SearchDocumentsV2Page(ctx context.Context, s DocumentSearchV2, offset int) (*DocumentSearchPage, error) {
	return searchPage(ctx, c, searchDocumentsV2, s, offset)
}

// SearchDocumentsV2 iterates over every EAEU import document matching s
// (POST documents/searchV2, D-21); it walks like
// [Client.SearchDocuments].
func (c *Client) SearchDocumentsV2(ctx context.Context, s DocumentSearchV2) iter.Seq2[FoundDocument, error] {
	return offsetItems(ctx, c, searchDocumentsV2, s)
}

// searchDocuments and searchDocumentsV2 are D-6 and D-21: read-only POST
// queries paged by pagination.offset, whose answers carry no total. Only
// D-6 documents a 404 for a search that found nothing.
var (
	searchDocuments = &listing[DocumentSearch, int, FoundDocument]{
		path:   "documents/search",
		post:   true,
		check:  (*DocumentSearch).check,
		params: func(s *DocumentSearch, offset int) any { return s.body(offset) },
		read:   readFound,
		empty:  edoEmptySearch,
		limit:  func(s *DocumentSearch) int { return cmp.Or(s.Limit, DefaultListLimit) },
	}
	searchDocumentsV2 = &listing[DocumentSearchV2, int, FoundDocument]{
		path:   "documents/searchV2",
		post:   true,
		check:  (*DocumentSearchV2).check,
		params: func(s *DocumentSearchV2, offset int) any { return s.body(offset) },
		read:   readFound,
		limit:  func(s *DocumentSearchV2) int { return cmp.Or(s.Limit, DefaultListLimit) },
	}
)

// searchPage reads the page of search l at offset.
func searchPage[F any](ctx context.Context, c *Client, l *listing[F, int, FoundDocument], s F, offset int) (*DocumentSearchPage, error) {
	p, err := offsetPage(ctx, c, l, &s, offset)
	if err != nil {
		return nil, err
	}
	return &DocumentSearchPage{Documents: p.Items, Offset: offset, Next: p.Next, More: !p.Last}, nil
}

// Decision is the {decision} path segment of the incoming-document title
// methods (D-8, D-9, D-10): lowercase approve or reject. (Inside
// the title XML the decision is uppercase: APPROVE, REJECT.)
type Decision string

// Decisions of D-8 … D-10.
const (
	DecisionApprove Decision = "approve" // accept the incoming document
	DecisionReject  Decision = "reject"  // reject the incoming document
)

// segment returns the path segment of d, lowercased, or a
// [*ValidationError] for any other value.
func (d Decision) segment() (string, error) {
	s := strings.ToLower(strings.TrimSpace(string(d)))
	if s != string(DecisionApprove) && s != string(DecisionReject) {
		return "", transport.Invalid("decision", "must be %q or %q", DecisionApprove, DecisionReject)
	}
	return s, nil
}

// WithdrawalTitle returns the withdrawal title XML of an outgoing document
// (GET edo-api/outgoing-documents/{documentId}/events/withdraw/base64,
// D-7), decoded from the bare base64 answer.
// The documentation's description contradicts itself ("the withdrawn
// document" vs "a document awaiting confirmation", and the Act scenario
// calls it the acceptance/rejection info of an outgoing Act); this client
// reads the path: the title of the withdrawal event, the one
// [Client.CreateWithdrawalTitle] creates. The answer is checked like
// [Client.OutgoingDocumentXML]'s.
func (c *Client) WithdrawalTitle(ctx context.Context, documentID string) ([]byte, error) {
	if err := requireText("documentId", documentID); err != nil {
		return nil, err
	}
	return c.getBase64XML(ctx, edoOutgoingPath(documentID, "events/withdraw/base64"))
}

// IncomingTitle returns the accept or reject title XML of an incoming
// document (GET edo-api/incoming-documents/{documentId}/events/{decision}/base64,
// True API v2.22, D-8), decoded from the bare base64 answer and checked like
// [Client.OutgoingDocumentXML]'s.
func (c *Client) IncomingTitle(ctx context.Context, documentID string, d Decision) ([]byte, error) {
	if err := requireText("documentId", documentID); err != nil {
		return nil, err
	}
	seg, err := d.segment()
	if err != nil {
		return nil, err
	}
	return c.getBase64XML(ctx, edoIncomingPath(documentID, "events/"+seg+"/base64"))
}

// edoCreateTitle sends a title-creating POST (text/plain, no body) and
// decodes the bare base64 title of its answer (D-9, D-11). The answer
// must be strict base64 of one well-formed XML document
// ([decodeBase64XML]); anything else leaves the outcome unknown (the
// title may have been created, and check reads it) and is never handed to
// a signer.
func (c *Client) edoCreateTitle(ctx context.Context, path, check string) ([]byte, error) {
	req := &transport.Request{Method: http.MethodPost, Path: path, ContentType: "text/plain"}
	var title []byte
	if _, err := c.createRead(ctx, req, check, func(body []byte) (err error) {
		title, err = decodeBase64XML(body)
		return err
	}); err != nil {
		return nil, err
	}
	return title, nil
}

// CreateIncomingTitle is step 1 of accepting or rejecting an incoming
// document (POST edo-api/incoming-documents/{documentId}/events/{decision},
// D-9): the server generates the title, whose XML is returned
// (decoded from the answer's base64). Sign those exact bytes detached and
// send the signature with [Client.SendIncomingTitleSignature], or use
// [Client.DecideIncoming] for both steps.
//
// The request is text/plain without a body. It creates server state, so
// it is never sent again once it may have reached the server; such a
// failure is an [*OutcomeUnknownError] pointing to [Client.IncomingTitle],
// as are a redirect and a 2xx answer that is not the strict base64 of one
// well-formed XML document (that error also matches ErrDecode and keeps
// the answer).
func (c *Client) CreateIncomingTitle(ctx context.Context, documentID string, d Decision) ([]byte, error) {
	if err := requireText("documentId", documentID); err != nil {
		return nil, err
	}
	seg, err := d.segment()
	if err != nil {
		return nil, err
	}
	return c.edoCreateTitle(ctx, edoIncomingPath(documentID, "events/"+seg),
		"GET edo-api/incoming-documents/{documentId}/events/"+seg+"/base64 (Client.IncomingTitle)")
}

// SendIncomingTitleSignature is step 2 of accepting or rejecting an
// incoming document (POST
// edo-api/incoming-documents/{documentId}/events/{decision}/signature,
// D-10): the body is the base64 of signature, a detached CMS over
// the title of step 1, as text/plain; the server answers 201 with no body.
// It is never sent again once it may have reached the server; such a
// failure, a redirect, or a 2xx answer with a body, is an
// [*OutcomeUnknownError] pointing to the incoming register, where the
// document's status shows the outcome.
func (c *Client) SendIncomingTitleSignature(ctx context.Context, documentID string, d Decision, signature []byte) error {
	if err := requireText("documentId", documentID); err != nil {
		return err
	}
	seg, err := d.segment()
	if err != nil {
		return err
	}
	return c.postSignatureText(ctx, edoIncomingPath(documentID, "events/"+seg+"/signature"), signature,
		"GET edo-api/incoming-documents (Client.IncomingDocuments): the document's status becomes 4 (approve) or 5 (reject)")
}

// DecideIncoming accepts or rejects an incoming document in one call
// (D-9 then D-10): it has the server create the title
// ([Client.CreateIncomingTitle]), signs the exact decoded title bytes with
// a detached CMS (signing.PurposeDocument) and posts the signature
// ([Client.SendIncomingTitleSignature]). It returns the title and its
// signature. When step 2 fails they are returned with the error, so the
// same signature can be sent again with SendIncomingTitleSignature once
// the outcome is known; an [*OutcomeUnknownError] from either step means
// the request was not sent again. A title that is not the strict base64
// of one well-formed XML document is never signed: the call stops after
// step 1 with that error and sends nothing more.
func (c *Client) DecideIncoming(ctx context.Context, documentID string, d Decision) (*SignedDocument, error) {
	return c.signTitle(ctx,
		func(ctx context.Context) ([]byte, error) { return c.CreateIncomingTitle(ctx, documentID, d) },
		func(ctx context.Context, sig []byte) error {
			return c.SendIncomingTitleSignature(ctx, documentID, d, sig)
		})
}

// signTitle is the two steps of an EDO title (D-9 and D-10, D-11 and
// D-12): create makes the title, which is signed detached, and send
// posts the signature. A failed send returns what was signed with its
// error.
func (c *Client) signTitle(ctx context.Context, create func(context.Context) ([]byte, error), send func(context.Context, []byte) error) (*SignedDocument, error) {
	title, err := create(ctx)
	if err != nil {
		return nil, err
	}
	signed, err := c.SignDocument(ctx, RawDocument(title))
	if err != nil {
		return nil, err
	}
	if err := send(ctx, signed.Signature); err != nil {
		return signed, err
	}
	return signed, nil
}

// CreateWithdrawalTitle is step 1 of withdrawing an outgoing document
// (POST edo-api/outgoing-documents/{documentId}/events/withdraw,
// D-11): the server generates the title (decision WITHDRAW), whose XML is
// returned. Sign those exact bytes detached and send the signature with
// [Client.SendWithdrawalTitleSignature], or use [Client.WithdrawOutgoing]
// for both steps. Like [Client.CreateIncomingTitle] it is never sent
// again once it may have reached the server, and an answer that is not
// the strict base64 of one well-formed XML document leaves the outcome
// unknown.
func (c *Client) CreateWithdrawalTitle(ctx context.Context, documentID string) ([]byte, error) {
	if err := requireText("documentId", documentID); err != nil {
		return nil, err
	}
	return c.edoCreateTitle(ctx, edoOutgoingPath(documentID, "events/withdraw"),
		"GET edo-api/outgoing-documents/{documentId}/events/withdraw/base64 (Client.WithdrawalTitle)")
}

// SendWithdrawalTitleSignature is step 2 of withdrawing an outgoing
// document (POST edo-api/outgoing-documents/{documentId}/events/signature,
// D-12): the body is the base64 of signature, a detached CMS over
// the title of step 1, as text/plain; the server answers 201 with no body.
// Like [Client.SendIncomingTitleSignature] it is never sent again, and a
// failure after sending, a redirect or a 2xx answer with a body is an
// [*OutcomeUnknownError] pointing to the outgoing register.
//
// Path AMBIGUITY of D-12: the method heading and body write
// /events/signature, changelog 2.2.3 writes /events/withdraw/signature and
// the screenshot shows an incoming approve URL; this client uses the
// heading's /events/signature.
func (c *Client) SendWithdrawalTitleSignature(ctx context.Context, documentID string, signature []byte) error {
	if err := requireText("documentId", documentID); err != nil {
		return err
	}
	return c.postSignatureText(ctx, edoOutgoingPath(documentID, "events/signature"), signature,
		"GET edo-api/outgoing-documents (Client.OutgoingDocuments): the document's status becomes 16 (withdrawn)")
}

// WithdrawOutgoing withdraws an outgoing document in one call
// (D-11 then D-12): it has the server create the withdrawal title, signs
// the exact decoded title bytes with a detached CMS
// (signing.PurposeDocument) and posts the signature. It returns the title
// and its signature, also with the error of step 2, like
// [Client.DecideIncoming]; like it, it signs nothing and sends no
// signature when the title of step 1 is not well-formed XML.
func (c *Client) WithdrawOutgoing(ctx context.Context, documentID string) (*SignedDocument, error) {
	return c.signTitle(ctx, func(ctx context.Context) ([]byte, error) { return c.CreateWithdrawalTitle(ctx, documentID) },
		func(ctx context.Context, sig []byte) error {
			return c.SendWithdrawalTitleSignature(ctx, documentID, sig)
		})
}
