package trueapi

// The document and receipt methods of §7.12 of the documentation: the keyset
// listings GET doc/listV2 (D-25) and GET receipt/listV2 (D-27), a
// document's content GET documents/{document_id}/info (D-26) with the
// status poller WaitDocument, and a receipt GET receipt/{receiptId}/info
// (D-28).

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
	"github.com/steppe-sdk/steppe/internal/query"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// docListOrderColumn is the sort column sent on every D-25 and D-27
// request: receivedAt, the only value the documentation allows. Sending it keeps
// the keyset (did plus the receivedAt of the last record) well defined.
const docListOrderColumn = "receivedAt"

// DocumentFormat is the documentFormat filter of GET receipt/listV2
// (D-27; the D-25 screenshot sends it too). Values outside the
// constants are sent as given.
type DocumentFormat string

// Document formats of D-27.
const (
	DocFormatManual DocumentFormat = "MANUAL" // JSON
	DocFormatUPD    DocumentFormat = "UPD"    // EDO
	DocFormatXML    DocumentFormat = "XML"
	DocFormatCSV    DocumentFormat = "CSV"
)

// DocListFilter selects the records of GET doc/listV2 (D-25) and
// GET receipt/listV2 (D-27), which take the same query parameters.
// Empty fields are not sent.
type DocListFilter struct {
	// DateFrom and DateTo bound the document date (dateFrom, dateTo),
	// sent in UTC as yyyy-MM-ddTHH:mm:ss.SSSZ. The zero time is not sent.
	DateFrom, DateTo time.Time
	// DocDate is docDate, the document date, sent in UTC in the same
	// layout, yyyy-MM-ddTHH:mm:ss.SSSZ (2021-09-10T00:00:00.000Z in the
	// D-25 example request). The parameter tables of D-25 and D-27 do not
	// list it; the D-25 example request sends it, with records of that
	// day in the answer. The documentation does not say whether the server
	// matches the day or the instant; the value is sent as given. The zero
	// time is not sent.
	DocDate time.Time
	// DocumentStatus is documentStatus (§3.5).
	DocumentStatus DocumentStatus
	// DocumentTypes is documentType (§3.4), sent as repeated keys.
	DocumentTypes []DocumentType
	// Input is inputFormat: true lists incoming, false outgoing
	// documents; nil leaves it out.
	Input *bool
	// Number is number, a document number.
	Number string
	// ParticipantBIN is participantBin.
	ParticipantBIN string
	// DocumentFormat is documentFormat (D-27).
	DocumentFormat DocumentFormat
	// ProductGroup is pg, sent when not empty. GET receipt/listV2 (D-27)
	// requires it whenever limit is sent, and for tobacco: its pg row says
	// so, and [Client.ReceiptListV2Page] refuses a limit without it. GET
	// doc/listV2 (D-25) has no pg row, and its example request sends
	// limit=5 without pg, so a limit without pg is sent there as given
	// (the same "the product group must be given" sentence is repeated in
	// D-25's limit row, but D-25 lists no pg parameter to give; the
	// example is followed).
	ProductGroup ProductGroup
	// Order is order, [SortAsc] or [SortDesc]; empty leaves the server's
	// default. The sort column is always receivedAt.
	Order SortOrder
	// Limit is limit, the page size, 1 to [MaxListLimit]; for
	// GET receipt/listV2 a limit needs ProductGroup. 0 sends no limit, so
	// the server's default (100, D-25 and D-27) applies; the iterators
	// then do not rely on that default and read on until an empty page.
	Limit int
}

// DocListCursor is a position in a keyset listing of documents or
// receipts (D-25, D-27, §5.2): the reference record, named by did
// (its number) and orderedColumnValue (its receivedAt exactly as the
// server sent it), and the direction to read in from it. The zero
// DocListCursor asks for the first page. Get cursors from
// [DocListPage.Next], [DocListPage.Prev], [DocumentInfo.CursorAfter] and
// [DocumentInfo.CursorBefore].
//
// A cursor may carry did alone: did's own description reads "all records
// with a number greater or smaller than this one, by direction", the D-25
// example request sends did without orderedColumnValue, and D-25 only
// forbids orderedColumnValue without did. The iterators always send both.
type DocListCursor struct {
	// Dir is pageDir. Empty sends no pageDir: the server's default is
	// NEXT (D-25: "используется по умолчанию").
	Dir PageDir
	// DID is did, the number of the reference record; required in a
	// cursor that is not zero.
	DID string
	// OrderedColumnValue is orderedColumnValue, the receivedAt of the
	// reference record as received; D-25 allows it only with did. It may
	// be empty.
	OrderedColumnValue string
}

// IsZero reports whether c asks for the first page of a document or
// receipt listing (no did, orderedColumnValue or pageDir; D-25,
// D-27).
func (c DocListCursor) IsZero() bool { return c == DocListCursor{} }

// DocumentParty is the sender or receiver object of a document record
// (D-25: typed String, an object {name, address, bin, kpp} in
// fact; a string is read as the name).
type DocumentParty struct {
	Name    string // name
	Address string // address
	BIN     string // bin
	KPP     string // kpp: "not filled"
}

// DocumentInfo is a document record of GET doc/listV2 (D-25),
// GET documents/{document_id}/info (D-26) and GET receipt/listV2
// (D-27), which share their fields. Every field is optional on
// the wire; members the documentation does not list are kept in Extra.
type DocumentInfo struct {
	// Number is number, the document id.
	Number string
	// DocDate is docDate.
	DocDate time.Time
	// ReceivedAt is receivedAt, parsed; ReceivedAtRaw is the text as
	// received, the keyset value (orderedColumnValue) of the next and
	// previous pages.
	ReceivedAt    time.Time
	ReceivedAtRaw string
	// Type is type (§3.4).
	Type DocumentType
	// Status is status (§3.5).
	Status DocumentStatus
	// ExternalID is externalId, the id in the external EDO system.
	ExternalID string
	// SenderBIN, SenderName, ReceiverBIN and ReceiverName are senderBin,
	// senderName (sendName in a D-26 screenshot), receiverBin and
	// receiverName.
	SenderBIN, SenderName, ReceiverBIN, ReceiverName string
	// Sender and Receiver are sender and receiver (receiver "only for
	// УД"); nil when absent.
	Sender, Receiver *DocumentParty
	// InvoiceNumber and InvoiceDate are invoiceNumber and invoiceDate as
	// sent (not returned for tobacco).
	InvoiceNumber, InvoiceDate string
	// Total and VAT are total and vat, the document's amount and VAT in
	// tiyn (1/100 tenge). (The listing's own top-level total, the record
	// count, is [DocListPage.Total].) A value that is not an integer is
	// kept in Extra.
	Total, VAT int64
	// DownloadStatus is downloadStatus (§3.5), DownloadDesc downloadDesc,
	// the description of a failed load.
	DownloadStatus DocumentStatus
	DownloadDesc   string
	// Body is body, the document as JSON (its shape depends on the type),
	// as sent; nil when absent.
	Body json.RawMessage
	// Content is content, the original document (XML) as text.
	Content string
	// Input is input: true incoming, false outgoing; nil when absent.
	Input *bool
	// PDFFile is pdfFile, a link to a PDF.
	PDFFile string
	// Errors is errors: typed String, an array of strings in fact; both
	// are read (other values as their JSON text).
	Errors []string
	// DocErrors is docErrors (not returned for tobacco).
	DocErrors string
	// ErrorMessage is errorMessage, "code: <code> error: <…>".
	ErrorMessage string
	// ErrorMessages is errorMessages (errorMessagees in D-26, a TYPO) as
	// sent: typed List<string>, objects in the example.
	ErrorMessages json.RawMessage
	// Extra holds every other member, as sent; nil when there is none.
	Extra map[string]json.RawMessage
}

// CursorAfter returns the cursor of the page that follows d in a keyset
// listing (D-25, D-27: pageDir=NEXT, did=d.Number,
// orderedColumnValue=d.ReceivedAtRaw), or the zero cursor when d lacks
// its number or receivedAt.
func (d DocumentInfo) CursorAfter() DocListCursor { return cursorAt(PageNext, d.ref(), docListCursor) }

// CursorBefore returns the cursor of the page that precedes d in a keyset
// listing (D-25, D-27: pageDir=PREV), or the zero cursor when d
// lacks its number or receivedAt.
func (d DocumentInfo) CursorBefore() DocListCursor { return cursorAt(PagePrev, d.ref(), docListCursor) }

// ref is d as the reference record of a cursor: its number and its
// receivedAt as received.
func (d DocumentInfo) ref() keysetRef { return refOf(d.Number, d.ReceivedAtRaw) }

// docListCursor spells a cursor of D-25 and D-27: did and
// orderedColumnValue.
func docListCursor(dir PageDir, ref keysetRef) DocListCursor {
	return DocListCursor{Dir: dir, DID: ref.ID, OrderedColumnValue: ref.Value}
}

// DocListPage is one page of GET doc/listV2 (D-25) or GET
// receipt/listV2 (D-27).
type DocListPage struct {
	// Results are the records in the server's order.
	Results []DocumentInfo
	// Total is total, the number of records matching the filter as the
	// server counts them (0 when the answer is a bare array); paging never
	// relies on it.
	Total int
	// Next is the cursor of the following page (after the last record),
	// Prev that of the preceding one (before the first record); both are
	// zero when the page is empty.
	Next, Prev DocListCursor
	// More reports whether further records may follow in the direction the
	// page was read in: the page was full (as many records as the limit)
	// or, without a limit, not empty.
	More bool
}

// docListStrings reads errors: a string, or an array of strings (other
// values kept as their JSON text).
type docListStrings []string

func (s *docListStrings) UnmarshalJSON(b []byte) error {
	if lenient.IsAbsent(b) {
		*s = nil
		return nil
	}
	if b = bytes.TrimSpace(b); b[0] != '[' {
		var one lenient.String
		if err := one.UnmarshalJSON(b); err != nil {
			return err
		}
		*s = docListStrings{one.S}
		return nil
	}
	var list []json.RawMessage
	if err := lenient.Unmarshal(b, &list); err != nil {
		return err
	}
	out := make(docListStrings, 0, len(list))
	for _, v := range list {
		var one lenient.String
		if one.UnmarshalJSON(v) == nil {
			out = append(out, one.S)
		} else {
			out = append(out, string(v))
		}
	}
	*s = out
	return nil
}

// docListParty reads sender or receiver: an object or a string.
type docListParty struct{ p *DocumentParty }

func (w *docListParty) UnmarshalJSON(b []byte) error {
	if lenient.IsAbsent(b) {
		w.p = nil
		return nil
	}
	if b = bytes.TrimSpace(b); b[0] != '{' {
		var name lenient.String
		if err := name.UnmarshalJSON(b); err != nil {
			return err
		}
		w.p = &DocumentParty{Name: name.S}
		return nil
	}
	var o struct {
		Name    lenient.String `json:"name"`
		Address lenient.String `json:"address"`
		BIN     lenient.String `json:"bin"`
		KPP     lenient.String `json:"kpp"`
	}
	if err := lenient.Unmarshal(b, &o); err != nil {
		return err
	}
	w.p = &DocumentParty{Name: o.Name.S, Address: o.Address.S, BIN: o.BIN.S, KPP: o.KPP.S}
	return nil
}

type docListRecordWire struct {
	Number         lenient.String
	DocDate        wireTime
	ReceivedAt     lenient.String
	Type           lenient.String
	Status         lenient.String
	ExternalID     lenient.String
	SenderBIN      lenient.String
	SenderName     lenient.String
	ReceiverBIN    lenient.String
	ReceiverName   lenient.String
	Sender         docListParty
	Receiver       docListParty
	InvoiceNumber  lenient.String
	InvoiceDate    lenient.String
	Total          lenient.Int
	VAT            lenient.Int
	DownloadStatus lenient.String
	DownloadDesc   lenient.String
	Body           rawMember
	Content        lenient.String
	Input          lenient.Bool
	PDFFile        lenient.String
	Errors         docListStrings
	DocErrors      lenient.String
	ErrorMessage   lenient.String
	ErrorMessages  rawMember
	Extra          map[string]json.RawMessage
}

// UnmarshalJSON implements [json.Unmarshaler].
func (w *docListRecordWire) UnmarshalJSON(b []byte) error {
	*w = docListRecordWire{}
	return decodeRecord(b, &w.Extra, []extraMember{
		{Key: "number", Dst: &w.Number},
		{Key: "docDate", Dst: &w.DocDate},
		{Key: "receivedAt", Dst: &w.ReceivedAt},
		{Key: "type", Dst: &w.Type},
		{Key: "status", Dst: &w.Status},
		{Key: "externalId", Dst: &w.ExternalID},
		{Key: "senderBin", Dst: &w.SenderBIN},
		{Key: "senderName", Aliases: []string{"sendName"}, Dst: &w.SenderName},
		{Key: "receiverBin", Dst: &w.ReceiverBIN},
		{Key: "receiverName", Dst: &w.ReceiverName},
		{Key: "sender", Dst: &w.Sender},
		{Key: "receiver", Dst: &w.Receiver},
		{Key: "invoiceNumber", Dst: &w.InvoiceNumber},
		{Key: "invoiceDate", Dst: &w.InvoiceDate},
		{Key: "total", Dst: &w.Total},
		{Key: "vat", Dst: &w.VAT},
		{Key: "downloadStatus", Dst: &w.DownloadStatus},
		{Key: "downloadDesc", Dst: &w.DownloadDesc},
		{Key: "body", Dst: &w.Body},
		{Key: "content", Dst: &w.Content},
		{Key: "input", Dst: &w.Input},
		{Key: "pdfFile", Dst: &w.PDFFile},
		{Key: "errors", Dst: &w.Errors},
		{Key: "docErrors", Dst: &w.DocErrors},
		{Key: "errorMessage", Dst: &w.ErrorMessage},
		{Key: "errorMessages", Aliases: []string{"errorMessagees"}, Dst: &w.ErrorMessages},
	})
}

func (w *docListRecordWire) public() DocumentInfo {
	d := DocumentInfo{
		Number: w.Number.S, DocDate: w.DocDate.T, ReceivedAtRaw: w.ReceivedAt.S, Type: DocumentType(w.Type.S),
		Status: DocumentStatus(w.Status.S), ExternalID: w.ExternalID.S, SenderBIN: w.SenderBIN.S,
		SenderName: w.SenderName.S, ReceiverBIN: w.ReceiverBIN.S, ReceiverName: w.ReceiverName.S,
		Sender: w.Sender.p, Receiver: w.Receiver.p, InvoiceNumber: w.InvoiceNumber.S, InvoiceDate: w.InvoiceDate.S,
		Total: w.Total.N, VAT: w.VAT.N, DownloadStatus: DocumentStatus(w.DownloadStatus.S),
		DownloadDesc: w.DownloadDesc.S, Body: w.Body.raw, Content: w.Content.S, PDFFile: w.PDFFile.S,
		Errors: w.Errors, DocErrors: w.DocErrors.S, ErrorMessage: w.ErrorMessage.S,
		ErrorMessages: w.ErrorMessages.raw, Extra: w.Extra,
	}
	if w.Input.Valid {
		d.Input = &w.Input.B
	}
	if d.ReceivedAtRaw != "" {
		if t, err := parseWireTime(d.ReceivedAtRaw); err == nil {
			d.ReceivedAt = t
		}
	}
	return d
}

// check refuses bad input: f, and cur unless it is zero; pgWithLimit
// says whether the method needs pg with a limit (D-27, receipt/listV2).
func (f *DocListFilter) check(pgWithLimit bool, cur DocListCursor) error {
	var pg, cursor error
	if pgWithLimit && f.Limit > 0 && strings.TrimSpace(string(f.ProductGroup)) == "" {
		pg = transport.Invalid("pg", "is required when limit is given (receipt/listV2)")
	}
	if !cur.IsZero() {
		cursor = checkCursor(cur.Dir, "did", cur.DID, cur.OrderedColumnValue, false)
	}
	return cmp.Or(checkLimit("limit", f.Limit, 0), pg, checkOrder("order", f.Order),
		checkRange("dateFrom", f.DateFrom, "dateTo", f.DateTo), cursor)
}

// docListQuery is the query string of one page of D-25 or D-27, encoded
// by internal/query: dates in UTC with milliseconds (wireTimeLayout),
// document types as repeated keys, the sort column receivedAt on every
// page.
type docListQuery struct {
	DateFrom           time.Time      `url:"dateFrom,omitempty" layout:"2006-01-02T15:04:05.000Z"`
	DateTo             time.Time      `url:"dateTo,omitempty" layout:"2006-01-02T15:04:05.000Z"`
	DocDate            time.Time      `url:"docDate,omitempty" layout:"2006-01-02T15:04:05.000Z"`
	DocumentStatus     DocumentStatus `url:"documentStatus,omitempty"`
	DocumentTypes      []DocumentType `url:"documentType,omitempty"`
	Input              *bool          `url:"inputFormat,omitempty"`
	Number             string         `url:"number,omitempty"`
	ParticipantBIN     string         `url:"participantBin,omitempty"`
	DocumentFormat     DocumentFormat `url:"documentFormat,omitempty"`
	ProductGroup       ProductGroup   `url:"pg,omitempty"`
	Order              SortOrder      `url:"order,omitempty"`
	OrderColumn        string         `url:"orderColumn"`
	Limit              int            `url:"limit,omitempty"`
	PageDir            PageDir        `url:"pageDir,omitempty"`
	DID                string         `url:"did,omitempty"`
	OrderedColumnValue string         `url:"orderedColumnValue,omitempty"`
}

// query maps f and cur, checked, to the query of one page.
func (f *DocListFilter) query(cur DocListCursor) docListQuery {
	return docListQuery{
		DateFrom: f.DateFrom.UTC(), DateTo: f.DateTo.UTC(), DocDate: f.DocDate.UTC(),
		DocumentStatus: f.DocumentStatus, DocumentTypes: f.DocumentTypes, Input: f.Input, Number: f.Number,
		ParticipantBIN: f.ParticipantBIN, DocumentFormat: f.DocumentFormat, ProductGroup: f.ProductGroup,
		Order: f.Order, OrderColumn: docListOrderColumn, Limit: f.Limit,
		PageDir: cur.Dir, DID: cur.DID, OrderedColumnValue: cur.OrderedColumnValue,
	}
}

// docListV2 and receiptListV2 are D-25 and D-27: the same filter, cursor
// and records; D-27 needs pg with a limit.
var docListV2, receiptListV2 = docList("doc/listV2", false), docList("receipt/listV2", true)

// docList describes D-25 or D-27; pgWithLimit says whether a limit needs
// pg. The answer is read as {"results", "total"} or as a bare array.
func docList(path string, pgWithLimit bool) *listing[DocListFilter, DocListCursor, DocumentInfo] {
	return &listing[DocListFilter, DocListCursor, DocumentInfo]{
		path:   path,
		check:  func(f *DocListFilter, cur DocListCursor) error { return f.check(pgWithLimit, cur) },
		params: func(f *DocListFilter, cur DocListCursor) any { return f.query(cur) },
		read:   readResults[DocumentInfo, docListRecordWire](true),
		limit:  func(f *DocListFilter) int { return f.Limit },
		ref:    DocumentInfo.ref,
		at:     docListCursor,
		lacks:  "number or receivedAt",
	}
}

// DocListV2Page returns one page of the documents uploaded earlier
// matching f, except introduction notices (GET doc/listV2, True API
// v2.22, D-25). The zero cursor asks for the first page;
// [DocListPage.Next] (pageDir=NEXT) and [DocListPage.Prev] (pageDir=PREV)
// move on from it with the same filter, order, sort column (receivedAt)
// and limit. A limit is sent with or without pg (the D-25 example sends
// limit=5 without it). The answer is read as {"results", "total"} or as a
// bare array (AMBIGUITY of D-25: the screenshot looks like a mangled
// {"results", "total"}). Bad input is refused with a [*ValidationError]
// before any request.
func (c *Client) DocListV2Page(ctx context.Context, f DocListFilter, cur DocListCursor) (*DocListPage, error) {
	p, err := docListV2.keysetPageAt(ctx, c, &f, cur)
	return (*DocListPage)(p), err
}

// DocListV2 iterates over every document matching f (GET doc/listV2,
// True API v2.22, D-25). It reads forwards from the first page: each
// following request carries pageDir=NEXT, did (the number of the last
// record) and orderedColumnValue (its receivedAt as received). With a
// limit the walk stops after a page shorter than the limit; without one,
// after an empty page. Nothing is requested until the loop starts; an
// error is yielded once and ends the loop.
func (c *Client) DocListV2(ctx context.Context, f DocListFilter) iter.Seq2[DocumentInfo, error] {
	return keysetItems(ctx, c, docListV2, f)
}

// ReceiptListV2Page returns one page of the receipts (cash-register
// cheques) uploaded earlier matching f (GET receipt/listV2, True API
// v2.22, D-27); it pages like [Client.DocListV2Page], except that a limit
// without pg is refused before any request (D-27's pg row: "обязательно
// указывать ... при установке параметра limit"). The D-27 example answer
// lists documents (KZ_UPD), so the method may list documents of every
// kind; the records are read as [DocumentInfo].
func (c *Client) ReceiptListV2Page(ctx context.Context, f DocListFilter, cur DocListCursor) (*DocListPage, error) {
	p, err := receiptListV2.keysetPageAt(ctx, c, &f, cur)
	return (*DocListPage)(p), err
}

// ReceiptListV2 iterates over every receipt matching f (GET
// receipt/listV2, D-27); it walks like [Client.DocListV2].
func (c *Client) ReceiptListV2(ctx context.Context, f DocListFilter) iter.Seq2[DocumentInfo, error] {
	return keysetItems(ctx, c, receiptListV2, f)
}

// DocumentInfo returns the content of a document: an Act ПП, an EAEU or
// third-country import, a re-introduction, withdrawal, aggregation or
// write-off (GET documents/{document_id}/info, D-26). Body holds
// the document as JSON and Content as XML text. The id is the document's
// id or number in ИС МПТ, escaped as a path segment. The documentation's table
// lists no Authorization header; the token is sent anyway. An unknown id
// is an [*Error] matching [ErrNotFound]. (This is not GET
// edo-api/documents/info/{documentId}, [Client.EDODocumentInfo].)
func (c *Client) DocumentInfo(ctx context.Context, documentID string) (*DocumentInfo, error) {
	if err := requireText("document_id", documentID); err != nil {
		return nil, err
	}
	var w docListRecordWire
	if err := c.doJSON(ctx, &transport.Request{Path: "documents/" + pathSegment(documentID) + "/info"}, &w); err != nil {
		return nil, err
	}
	d := w.public()
	return &d, nil
}

// ErrDocumentFailed matches every [*DocumentFailedError] (a document that
// GET documents/{document_id}/info, D-26, reports as refused).
var ErrDocumentFailed = errors.New("trueapi: the document was refused")

// DocumentFailedError is returned by [Client.WaitDocument] when a document
// ends in a failure status of §3.5 (CHECKED_NOT_OK or PROCESSING_ERROR;
// D-26). It carries the server's errors and matches
// [ErrDocumentFailed].
type DocumentFailedError struct {
	// ID is the document id that was polled.
	ID string
	// Status is the final status.
	Status DocumentStatus
	// Errors is the record's errors; ErrorMessage its errorMessage,
	// DownloadDesc its downloadDesc.
	Errors       []string
	ErrorMessage string
	DownloadDesc string
	// Info is the last answer of GET documents/{document_id}/info.
	Info *DocumentInfo
}

// Error names the document, its final status (§9 of the documentation) and the
// server's errors.
func (e *DocumentFailedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "trueapi: document %s ended with status %s", e.ID, e.Status)
	var details []string
	if e.ErrorMessage != "" {
		details = append(details, e.ErrorMessage)
	}
	details = append(details, e.Errors...)
	if len(details) == 0 && e.DownloadDesc != "" {
		details = append(details, e.DownloadDesc)
	}
	if len(details) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(details, "; "))
	}
	return b.String()
}

// Is reports whether target is [ErrDocumentFailed] (D-26).
func (e *DocumentFailedError) Is(target error) bool { return target == ErrDocumentFailed }

// docListStatusAccepted is ACCEPTED, a final status of import documents
// seen beside §3.5.
const docListStatusAccepted DocumentStatus = "ACCEPTED"

// DocStatusNotFound is the status [Client.WaitDocument] reports to
// [WithProgress] while GET documents/{document_id}/info (D-26)
// answers 404: the document is not registered yet. It is not a status the
// server sends.
const DocStatusNotFound DocumentStatus = "NOT_FOUND"

// docListFinal reports whether s ends a document's processing, and
// whether it failed.
func docListFinal(s DocumentStatus) (final, failed bool) {
	switch s {
	case DocStatusCheckedOK, docListStatusAccepted:
		return true, false
	case DocStatusCheckedNotOK, DocStatusProcessingError:
		return true, true
	}
	return false, false
}

// docListNotYet reports whether err is D-26's 404 for a document that is
// not (yet) known, as opposed to the 404 of a wrong URL.
func docListNotYet(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound && !strings.Contains(e.Message, "URL")
}

// WaitDocument polls GET documents/{document_id}/info (D-26) until
// the document reaches a final status of §3.5, and returns its record:
// CHECKED_OK (or ACCEPTED, the import documents' final status) is
// success; CHECKED_NOT_OK and PROCESSING_ERROR give a
// [*DocumentFailedError] with the server's errors. IN_PROGRESS, UNDEFINED
// and any other status keep it polling. The documents sent by this
// package are processed asynchronously, so a 404 (the document is not
// registered yet) also keeps it polling, reported to [WithProgress] as
// [DocStatusNotFound]; bound the wait with ctx. Waits grow from 1 s by
// 1.5 up to 15 s (see [WithPollInterval]). The record's status is read
// from status, or from downloadStatus when status is empty.
func (c *Client) WaitDocument(ctx context.Context, documentID string, opts ...PollOption) (*DocumentInfo, error) {
	if err := requireText("document_id", documentID); err != nil {
		return nil, err
	}
	var info *DocumentInfo
	status, err := poll(ctx, newPollConfig(opts), func(ctx context.Context) (DocumentStatus, bool, error) {
		i, err := c.DocumentInfo(ctx, documentID)
		if err != nil {
			if docListNotYet(err) {
				return DocStatusNotFound, false, nil
			}
			return "", false, err
		}
		info = i
		s := cmp.Or(i.Status, i.DownloadStatus)
		final, _ := docListFinal(s)
		return s, final, nil
	})
	if err != nil {
		return info, fmt.Errorf("trueapi: document %s (last status %q): %w", documentID, status, err)
	}
	if _, failed := docListFinal(status); failed {
		return info, &DocumentFailedError{
			ID: documentID, Status: status, Errors: info.Errors, ErrorMessage: info.ErrorMessage,
			DownloadDesc: info.DownloadDesc, Info: info,
		}
	}
	return info, nil
}

// ReceiptOperation is the operationType of a receipt (D-28).
type ReceiptOperation int

// Receipt operations of D-28.
const (
	ReceiptSale   ReceiptOperation = 1 // продажа ("обработка чека" in the specification)
	ReceiptRefund ReceiptOperation = 2 // возврат
)

// ReceiptInfo is a receipt (GET receipt/{receiptId}/info, D-28).
// The table puts the receipt's fields under body, the screenshot at the
// top level (an ambiguity of the documentation): a field is read from the top
// level, or else from body. Numbers may arrive as strings and are read
// either way.
type ReceiptInfo struct {
	// DocumentID is documentId.
	DocumentID string
	// DocumentDate is documentDate; ReceivedAt is receivedAt.
	DocumentDate, ReceivedAt time.Time
	// Type is type: RECEIPT or RECEIPT_RETURN.
	Type DocumentType
	// Status is status (§3.5).
	Status DocumentStatus
	// SenderBIN and SenderName are senderBin and senderName; UserINN is
	// userInn (the screenshot).
	SenderBIN, SenderName, UserINN string
	// FiscalDocumentNumber is fiscalDocumentNumber ("111019454" in the
	// screenshot).
	FiscalDocumentNumber int64
	// ShiftNumber is shiftNumber.
	ShiftNumber int64
	// OperationType is operationType: [ReceiptSale] or [ReceiptRefund].
	OperationType ReceiptOperation
	// KKTRegID is kktRegId, the cash register's registration number.
	KKTRegID string
	// Products are products.
	Products []ReceiptProduct
	// Body is body as sent; nil when absent.
	Body json.RawMessage
	// Extra holds the other members of the top level (and of body, for
	// members the top level lacks), as sent.
	Extra map[string]json.RawMessage
}

// ReceiptProduct is one product of a receipt (D-28, products).
// Amounts are read exactly from numbers or strings.
type ReceiptProduct struct {
	ID          string          // id
	Name        string          // name
	GTIN        string          // gtin
	Cis         string          // cis
	PackageType string          // packageType, e.g. "pack"
	ProducerID  string          // producerId
	Price       decimal.Decimal // price
	Count       decimal.Decimal // count
	Sum         decimal.Decimal // sum
	NDS         decimal.Decimal // nds: VAT
	Percentage  decimal.Decimal // percentage
	// Valid is valid; nil when absent.
	Valid *bool
	// Extra holds the members the documentation does not list, as sent.
	Extra map[string]json.RawMessage
}

type docListReceiptProductWire struct {
	ID, Name, GTIN, Cis, PackageType, ProducerID lenient.String
	Price, Count, Sum, NDS, Percentage           lenient.Decimal
	Valid                                        lenient.Bool
	Extra                                        map[string]json.RawMessage
}

// UnmarshalJSON implements [json.Unmarshaler].
func (w *docListReceiptProductWire) UnmarshalJSON(b []byte) error {
	*w = docListReceiptProductWire{}
	return decodeRecord(b, &w.Extra, []extraMember{
		{Key: "id", Dst: &w.ID},
		{Key: "name", Dst: &w.Name},
		{Key: "gtin", Dst: &w.GTIN},
		{Key: "cis", Dst: &w.Cis},
		{Key: "packageType", Dst: &w.PackageType},
		{Key: "producerId", Dst: &w.ProducerID},
		{Key: "price", Dst: &w.Price},
		{Key: "count", Dst: &w.Count},
		{Key: "sum", Dst: &w.Sum},
		{Key: "nds", Dst: &w.NDS},
		{Key: "percentage", Dst: &w.Percentage},
		{Key: "valid", Dst: &w.Valid},
	})
}

type docListReceiptWire struct {
	DocumentID           lenient.String
	DocumentDate         wireTime
	ReceivedAt           wireTime
	Type                 lenient.String
	Status               lenient.String
	SenderBIN            lenient.String
	SenderName           lenient.String
	UserINN              lenient.String
	FiscalDocumentNumber lenient.Int
	ShiftNumber          lenient.Int
	OperationType        lenient.Int
	KKTRegID             lenient.String
	Products             []docListReceiptProductWire
	Body                 rawMember
}

// docListMergeLines merges two arrays of receipt lines of the same
// length member by member, the first's values winning unless absent.
func docListMergeLines(first, second json.RawMessage) (json.RawMessage, bool) {
	var a, b []map[string]json.RawMessage
	if lenient.Unmarshal(first, &a) != nil || lenient.Unmarshal(second, &b) != nil || len(a) != len(b) || len(a) == 0 {
		return nil, false
	}
	for i := range a {
		for k, v := range b[i] {
			if cur, ok := a[i][k]; !ok || lenient.IsAbsent(cur) {
				a[i][k] = v
			}
		}
	}
	out, err := json.Marshal(a)
	return out, err == nil
}

// docListDecodeReceipt reads a D-28 answer. Members missing at the top
// level are read from body; the top level's leftovers, and body's members
// the top level lacks that are not read, end in Extra.
func docListDecodeReceipt(b []byte) (*ReceiptInfo, error) {
	var top map[string]json.RawMessage
	if err := lenient.Unmarshal(b, &top); err != nil {
		return nil, err
	}
	if top == nil {
		return nil, errors.New("the answer is null")
	}
	merged := make(map[string]json.RawMessage, len(top))
	for k, v := range top {
		merged[k] = v
	}
	var body map[string]json.RawMessage
	if raw, ok := top["body"]; ok && lenient.Unmarshal(raw, &body) == nil {
		for k, v := range body {
			if _, ok := merged[k]; !ok {
				merged[k] = v
			}
		}
		// The table gives the top-level lines price, count and sum only,
		// and body the full lines (cis, gtin, name): line by line, body
		// fills what the top level lacks.
		if p, ok := docListMergeLines(top["products"], body["products"]); ok {
			merged["products"] = p
		}
	}
	all, err := json.Marshal(merged)
	if err != nil {
		return nil, err
	}
	var w docListReceiptWire
	var products rawMember
	extra, err := decodeWithExtra(all, []extraMember{
		{Key: "documentId", Dst: &w.DocumentID},
		{Key: "documentDate", Dst: &w.DocumentDate},
		{Key: "receivedAt", Dst: &w.ReceivedAt},
		{Key: "type", Dst: &w.Type},
		{Key: "status", Dst: &w.Status},
		{Key: "senderBin", Dst: &w.SenderBIN},
		{Key: "senderName", Dst: &w.SenderName},
		{Key: "userInn", Dst: &w.UserINN},
		{Key: "fiscalDocumentNumber", Dst: &w.FiscalDocumentNumber},
		{Key: "shiftNumber", Dst: &w.ShiftNumber},
		{Key: "operationType", Dst: &w.OperationType},
		{Key: "kktRegId", Dst: &w.KKTRegID},
		{Key: "products", Dst: &products},
		{Key: "body", Dst: &w.Body},
	})
	if err != nil {
		return nil, err
	}
	if products.raw != nil {
		if err := lenient.Unmarshal(products.raw, &w.Products); err != nil {
			return nil, fmt.Errorf("products: %w", err)
		}
	}
	r := &ReceiptInfo{
		DocumentID: w.DocumentID.S, DocumentDate: w.DocumentDate.T, ReceivedAt: w.ReceivedAt.T,
		Type: DocumentType(w.Type.S), Status: DocumentStatus(w.Status.S), SenderBIN: w.SenderBIN.S,
		SenderName: w.SenderName.S, UserINN: w.UserINN.S, FiscalDocumentNumber: w.FiscalDocumentNumber.N,
		ShiftNumber: w.ShiftNumber.N, OperationType: ReceiptOperation(w.OperationType.N), KKTRegID: w.KKTRegID.S,
		Body: w.Body.raw, Extra: extra,
	}
	for _, p := range w.Products {
		rp := ReceiptProduct{
			ID: p.ID.S, Name: p.Name.S, GTIN: p.GTIN.S, Cis: p.Cis.S, PackageType: p.PackageType.S,
			ProducerID: p.ProducerID.S, Price: p.Price.D, Count: p.Count.D, Sum: p.Sum.D, NDS: p.NDS.D,
			Percentage: p.Percentage.D, Extra: p.Extra,
		}
		if p.Valid.Valid {
			rp.Valid = &p.Valid.B
		}
		r.Products = append(r.Products, rp)
	}
	return r, nil
}

// ReceiptInfo returns a receipt by id (GET receipt/{receiptId}/info,
// D-28), with pg sent when not empty. The id is escaped as a path
// segment. A receipt of another owner is an [*Error] matching
// [ErrForbidden].
func (c *Client) ReceiptInfo(ctx context.Context, receiptID string, pg ProductGroup) (*ReceiptInfo, error) {
	if err := requireText("receiptId", receiptID); err != nil {
		return nil, err
	}
	q, err := query.Values(receiptInfoQuery{ProductGroup: pg})
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Path: "receipt/" + pathSegment(receiptID) + "/info", Query: q}
	return decoded(ctx, c, req, docListDecodeReceipt)
}

// receiptInfoQuery is the query string of D-28, encoded by internal/query.
type receiptInfoQuery struct {
	ProductGroup ProductGroup `url:"pg,omitempty"`
}
