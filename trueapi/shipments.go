package trueapi

// The EAEU shipments with acceptance, §7.7–§7.11 of the documentation:
// the export side (D-18 send, D-19 status, D-20 view) and the import side
// (D-22 the shipment's body, D-23 the acceptance notice, D-24 the import
// document status). D-21 (documents/searchV2) is in edo.go.

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// MaxShipmentConformityDocs is the most conformity documents one product of
// an EAEU shipment may carry (D-18 documentList, §1.8: "up to 2").
const MaxShipmentConformityDocs = 2

// shipmentMaxText is the longest document_num and exporter_name of the
// acceptance notice (D-23: "up to 255 characters").
const shipmentMaxText = 255

// shipmentDateLayout is the yyyy-MM-dd of every date of the shipment and
// import documents (one of the documentation's date layouts).
const shipmentDateLayout = time.DateOnly

// ConformityDocKind is the kind of a document confirming a product's
// conformity: docKind of the EAEU shipment (D-18) and
// certificateType of the shipment body (D-22). Values outside the
// constants are kept as sent.
type ConformityDocKind string

// Conformity document kinds of D-22. AMBIGUITY: D-18 describes
// docKind only in words ("декларация соответствия" / "сертификат
// соответствия") without codes; the codes of D-22 are used for it too.
const (
	ConformityCertificate ConformityDocKind = "CONFORMITY_CERTIFICATE" // сертификат соответствия
	ConformityDeclaration ConformityDocKind = "CONFORMITY_DECLARATION" // декларация о соответствии
)

// EAEUShipment is the JSON document "Уведомление об экспорте ЕАЭС" sent by
// [Client.SendShipment] (D-18, §2.3 section 7.7). Encode checks the
// required fields and writes the fields in the order of
// the documentation's table; ids and country codes are strings, dates yyyy-MM-dd.
type EAEUShipment struct {
	// ProductGroup (productGroup) is the group's code (§9 of the documentation); the
	// specification says only shoes is in its enum "for now", so any code
	// is sent.
	ProductGroup ProductGroup
	// ExporterCode (exporterCode) is the ИИН/БИН of the submitting
	// participant: 12 digits.
	ExporterCode string
	// ReceiverCountryCode (receiverCountryCode) is the EAEU member state of
	// the receiver. AMBIGUITY: its format is not stated (alpha-2 "RU" or
	// numeric "643"); it is sent exactly as given.
	ReceiverCountryCode string
	// ReceiverCode (receiverCode) is the receiver's id in its country.
	// Required: the table's "Дата" in the required column is read as a
	// typo for "Да".
	ReceiverCode string
	// ReceiverName (receiverName) is the receiver's name.
	ReceiverName string
	// DocumentNumber (documentNumber) and DocumentDate (documentDate) are
	// the primary document's.
	DocumentNumber string
	DocumentDate   time.Time
	// TransferDate (transferDate) is the shipment date. AMBIGUITY: it is
	// described as "date and time" but its format is yyyy-MM-dd; only the
	// date is sent.
	TransferDate time.Time
	// Products (productList) lists the codes shipped; at least one.
	Products []ShipmentProduct
}

// ShipmentProduct is one productList entry of an [EAEUShipment]
// (D-18).
type ShipmentProduct struct {
	// Cis (cis) is the marking code. (The specification's description of
	// this field is copied from a sort parameter; it is the code.)
	Cis string
	// Price (price, optional) is the price per unit including VAT and VAT
	// (vat, optional) the VAT, both Decimal: sent as exact JSON numbers
	// with the scale given (decimal.RequireFromString("80.50") is sent as
	// 80.50), never through float64. Negative values are refused.
	// The specification does not name the unit; the values are sent as
	// given.
	Price *decimal.Decimal
	VAT   *decimal.Decimal
	// Documents (documentList, optional) are the conformity documents, at
	// most [MaxShipmentConformityDocs].
	Documents []ShipmentConformityDoc
}

// ShipmentConformityDoc is one documentList entry of a [ShipmentProduct]
// (D-18). Its three fields are "conditionally required": all of
// them are required when the entry is given.
type ShipmentConformityDoc struct {
	// Kind (docKind) is [ConformityCertificate] or [ConformityDeclaration].
	Kind ConformityDocKind
	// Number (docNumber). AMBIGUITY: the table types it Number, but
	// conformity document numbers are alphanumeric (and D-22 returns
	// certificateNum as a String), so it is sent as a JSON string. Use a
	// [RawDocument] if the server's schema wants a number.
	Number string
	// Date (docDate). AMBIGUITY: the format is not stated; yyyy-MM-dd is
	// sent, like every other date of the document and certificateDate of
	// D-22.
	Date time.Time
}

type shipmentWire struct {
	ProductGroup        ProductGroup          `json:"productGroup"`
	ExporterCode        string                `json:"exporterCode"`
	ReceiverCountryCode string                `json:"receiverCountryCode"`
	ReceiverCode        string                `json:"receiverCode"`
	ReceiverName        string                `json:"receiverName"`
	DocumentNumber      string                `json:"documentNumber"`
	DocumentDate        string                `json:"documentDate"`
	TransferDate        string                `json:"transferDate"`
	ProductList         []shipmentProductWire `json:"productList"`
}

type shipmentProductWire struct {
	Cis          string                      `json:"cis"`
	Price        json.Number                 `json:"price,omitempty"`
	VAT          json.Number                 `json:"vat,omitempty"`
	DocumentList []shipmentConformityDocWire `json:"documentList,omitempty"`
}

type shipmentConformityDocWire struct {
	DocKind   ConformityDocKind `json:"docKind"`
	DocNumber string            `json:"docNumber"`
	DocDate   string            `json:"docDate"`
}

// Encode checks the shipment and returns its JSON (D-18): the
// exact bytes [Client.SendShipment] signs and sends. A missing or malformed
// field gives a [*ValidationError] naming the wire field, e.g.
// "productList[2].documentList".
func (s *EAEUShipment) Encode() ([]byte, error) {
	w := shipmentWire{
		ProductGroup: s.ProductGroup, ExporterCode: s.ExporterCode, ReceiverCountryCode: s.ReceiverCountryCode,
		ReceiverCode: s.ReceiverCode, ReceiverName: s.ReceiverName, DocumentNumber: s.DocumentNumber,
	}
	if err := requireTexts(
		"productGroup", string(s.ProductGroup), "exporterCode", s.ExporterCode,
		"receiverCountryCode", s.ReceiverCountryCode, "receiverCode", s.ReceiverCode,
		"receiverName", s.ReceiverName, "documentNumber", s.DocumentNumber,
	); err != nil {
		return nil, err
	}
	if !shipmentDigits(s.ExporterCode, 12) {
		return nil, transport.Invalid("exporterCode", "must be a ИИН/БИН of 12 digits")
	}
	var err error
	if w.DocumentDate, err = shipmentDate("documentDate", s.DocumentDate); err != nil {
		return nil, err
	}
	if w.TransferDate, err = shipmentDate("transferDate", s.TransferDate); err != nil {
		return nil, err
	}
	if len(s.Products) == 0 {
		return nil, transport.Invalid("productList", "needs at least one product")
	}
	seen := make(map[string]int, len(s.Products))
	w.ProductList = make([]shipmentProductWire, len(s.Products))
	for i, p := range s.Products {
		field := fmt.Sprintf("productList[%d]", i)
		if strings.TrimSpace(p.Cis) == "" {
			return nil, transport.Invalid(field+".cis", "is required")
		}
		if k, ok := seen[p.Cis]; ok {
			return nil, transport.Invalid(field+".cis", "repeats productList[%d].cis", k)
		}
		seen[p.Cis] = i
		pw := shipmentProductWire{Cis: p.Cis}
		if pw.Price, err = shipmentAmount(field+".price", p.Price); err != nil {
			return nil, err
		}
		if pw.VAT, err = shipmentAmount(field+".vat", p.VAT); err != nil {
			return nil, err
		}
		if len(p.Documents) > MaxShipmentConformityDocs {
			return nil, transport.Invalid(field+".documentList", "has %d documents, at most %d are allowed", len(p.Documents), MaxShipmentConformityDocs)
		}
		for j, d := range p.Documents {
			df := fmt.Sprintf("%s.documentList[%d]", field, j)
			if strings.TrimSpace(string(d.Kind)) == "" {
				return nil, transport.Invalid(df+".docKind", "is required")
			}
			if strings.TrimSpace(d.Number) == "" {
				return nil, transport.Invalid(df+".docNumber", "is required")
			}
			date, err := shipmentDate(df+".docDate", d.Date)
			if err != nil {
				return nil, err
			}
			pw.DocumentList = append(pw.DocumentList, shipmentConformityDocWire{DocKind: d.Kind, DocNumber: d.Number, DocDate: date})
		}
		w.ProductList[i] = pw
	}
	return transport.JSONBody(w)
}

// EAEUAcceptance is the JSON document "Уведомление о приемке товаров ЕАЭС"
// sent by [Client.SendAcceptance] (D-23, §2.3 section 7.10). Its
// keys are snake_case; request_type is always the ASCII ACCEPTANCE and
// reject_all is always sent.
type EAEUAcceptance struct {
	// ShipmentID (shipment_id) is the id of the shipment accepted (the
	// documentId of D-24, the id read with [Client.ShipmentDocument]).
	ShipmentID string
	// DocumentNum (document_num, ≤ 255 characters) and DocumentDate
	// (document_date) are the primary document's.
	DocumentNum  string
	DocumentDate time.Time
	// ReceiverINN (receiver_inn) is the receiver's ИИН/БИН: 12 digits.
	ReceiverINN string
	// Receiver (receiver) is the receiver's name; optional.
	Receiver string
	// ExporterTaxpayerID (exporter_taxpayer_id) is the foreign exporter's
	// id. The specification says 8, 9, 10 or 12 digits; the documentation gives
	// 14 for Kyrgyzstan, so 8 to 14 ASCII letters or digits are taken.
	ExporterTaxpayerID string
	// ExporterName (exporter_name, ≤ 255 characters).
	ExporterName string
	// SenderCountryCode (sender_country_code) is the numeric code of the
	// sending country with its leading zero: "112" Belarus, "417"
	// Kyrgyzstan, "051" Armenia, "643" Russia, the values the
	// specification allows.
	SenderCountryCode string
	// AcceptanceDate (acceptance_date) is the date of acceptance.
	AcceptanceDate time.Time
	// RejectAll (reject_all) rejects every product; it is always sent
	// (false by default). Products may then be left out, as in D-23's
	// reject-all example.
	RejectAll bool
	// Products (products) lists the decisions per code; required unless
	// RejectAll. Without RejectAll every product needs its decision
	// (Accepted not nil); with RejectAll no product may be marked
	// accepted, and an undecided one is sent as not accepted.
	Products []AcceptanceProduct
}

// AcceptanceProduct is one products entry of an [EAEUAcceptance]
// (D-23).
type AcceptanceProduct struct {
	// Cis (cis) is the marking code.
	Cis string
	// Accepted (accepted) is the decision: true accepted, false not
	// accepted. The field is a boolean (True API v2.22, D-23: "true -
	// Принят, false - Не принят"), so nil, undecided, is never sent as
	// null: Encode refuses it with a [*ValidationError] naming
	// products[i].accepted, unless RejectAll is set, the one form of D-23
	// that decides every product at once (reject_all; D-23 has no "accept
	// all"), in which case it is sent as false.
	Accepted *bool
}

// AcceptedProduct returns a products entry accepting cis (D-23).
func AcceptedProduct(cis string) AcceptanceProduct {
	accepted := true
	return AcceptanceProduct{Cis: cis, Accepted: &accepted}
}

// RejectedProduct returns a products entry not accepting cis
// (D-23).
func RejectedProduct(cis string) AcceptanceProduct {
	accepted := false
	return AcceptanceProduct{Cis: cis, Accepted: &accepted}
}

// shipmentAcceptanceRequestType is the only request_type. The specification
// writes it with a Cyrillic А and С and a trailing space in its example;
// the pure ASCII word is sent.
const shipmentAcceptanceRequestType = "ACCEPTANCE"

// shipmentSenderCountries are the sender_country_code values of D-23.
var shipmentSenderCountries = map[string]bool{"112": true, "417": true, "051": true, "643": true}

type shipmentAcceptanceWire struct {
	ShipmentID         string                          `json:"shipment_id"`
	DocumentNum        string                          `json:"document_num"`
	DocumentDate       string                          `json:"document_date"`
	ReceiverINN        string                          `json:"receiver_inn"`
	Receiver           string                          `json:"receiver,omitempty"`
	ExporterTaxpayerID string                          `json:"exporter_taxpayer_id"`
	ExporterName       string                          `json:"exporter_name"`
	SenderCountryCode  string                          `json:"sender_country_code"`
	RequestType        string                          `json:"request_type"`
	AcceptanceDate     string                          `json:"acceptance_date"`
	RejectAll          bool                            `json:"reject_all"` // always sent
	Products           []shipmentAcceptanceProductWire `json:"products,omitempty"`
}

type shipmentAcceptanceProductWire struct {
	Cis      string `json:"cis"`
	Accepted bool   `json:"accepted"` // a boolean, never null
}

// Encode checks the acceptance notice and returns its JSON
// (D-23): the exact bytes [Client.SendAcceptance] signs and sends. A missing
// or malformed field gives a [*ValidationError] naming the wire field.
func (a *EAEUAcceptance) Encode() ([]byte, error) {
	w := shipmentAcceptanceWire{
		ShipmentID: a.ShipmentID, DocumentNum: a.DocumentNum, ReceiverINN: a.ReceiverINN, Receiver: a.Receiver,
		ExporterTaxpayerID: a.ExporterTaxpayerID, ExporterName: a.ExporterName, SenderCountryCode: a.SenderCountryCode,
		RequestType: shipmentAcceptanceRequestType, RejectAll: a.RejectAll,
	}
	if err := requireTexts(
		"shipment_id", a.ShipmentID, "document_num", a.DocumentNum, "receiver_inn", a.ReceiverINN,
		"exporter_taxpayer_id", a.ExporterTaxpayerID, "exporter_name", a.ExporterName,
		"sender_country_code", a.SenderCountryCode,
	); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, value string }{{"document_num", a.DocumentNum}, {"exporter_name", a.ExporterName}} {
		if n := utf8.RuneCountInString(f.value); n > shipmentMaxText {
			return nil, transport.Invalid(f.name, "has %d characters, at most %d are allowed", n, shipmentMaxText)
		}
	}
	if !shipmentDigits(a.ReceiverINN, 12) {
		return nil, transport.Invalid("receiver_inn", "must be a ИИН/БИН of 12 digits")
	}
	if !shipmentTaxpayerID(a.ExporterTaxpayerID) {
		return nil, transport.Invalid("exporter_taxpayer_id", "must be 8 to 14 letters or digits")
	}
	if !shipmentSenderCountries[a.SenderCountryCode] {
		return nil, transport.Invalid("sender_country_code", "must be 112, 417, 051 or 643 (3 digits, leading zero kept)")
	}
	var err error
	if w.DocumentDate, err = shipmentDate("document_date", a.DocumentDate); err != nil {
		return nil, err
	}
	if w.AcceptanceDate, err = shipmentDate("acceptance_date", a.AcceptanceDate); err != nil {
		return nil, err
	}
	if !a.RejectAll && len(a.Products) == 0 {
		return nil, transport.Invalid("products", "are required unless reject_all is true")
	}
	seen := make(map[string]int, len(a.Products))
	for i, p := range a.Products {
		field := fmt.Sprintf("products[%d]", i)
		if strings.TrimSpace(p.Cis) == "" {
			return nil, transport.Invalid(field+".cis", "is required")
		}
		if k, ok := seen[p.Cis]; ok {
			return nil, transport.Invalid(field+".cis", "repeats products[%d].cis", k)
		}
		seen[p.Cis] = i
		switch {
		case p.Accepted == nil && !a.RejectAll:
			return nil, transport.Invalid(field+".accepted",
				"is undecided (nil): the field is a boolean, true (accepted) or false (not accepted); only reject_all decides every product at once")
		case p.Accepted != nil && *p.Accepted && a.RejectAll:
			return nil, transport.Invalid(field+".accepted", "is true while reject_all is true")
		}
		// Undecided under reject_all: reject_all decides it, not accepted.
		w.Products = append(w.Products, shipmentAcceptanceProductWire{Cis: p.Cis, Accepted: p.Accepted != nil && *p.Accepted})
	}
	return transport.JSONBody(w)
}

func shipmentDate(field string, t time.Time) (string, error) {
	if t.IsZero() {
		return "", transport.Invalid(field, "is required")
	}
	return t.Format(shipmentDateLayout), nil
}

// shipmentAmount writes an optional Decimal as an exact JSON number with
// the scale it was given.
func shipmentAmount(field string, d *decimal.Decimal) (json.Number, error) {
	if d == nil {
		return "", nil
	}
	if d.IsNegative() {
		return "", transport.Invalid(field, "must not be negative")
	}
	return json.Number(d.StringFixed(max(0, -d.Exponent()))), nil
}

// shipmentDigits reports whether s is n ASCII digits.
func shipmentDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func shipmentTaxpayerID(s string) bool {
	if len(s) < 8 || len(s) > 14 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// ShipmentError is one item of the errors the EAEU shipment and import
// methods report in their answers (D-18, D-19, D-22, D-23, D-24).
// The specification writes them {code, message}, {errorCode,
// errorDescription} and {errorCode, errorMessage}, with the code as a
// string or a number, and once as a bare string "303: …"; all are read.
type ShipmentError struct {
	// Code is code or errorCode. "0" means success (D-18: "Документ
	// провалидирован", the document is valid); see OK.
	Code string
	// Message is message, errorMessage or errorDescription, byte for
	// byte as the API sent it (white space is not trimmed).
	Message string
}

// OK reports whether the item is the success notice with code "0" that
// D-18 returns, rather than an error.
func (e ShipmentError) OK() bool { return strings.TrimSpace(e.Code) == "0" }

// String returns "code: message", or the message alone when it already
// starts with the code (as the errorDescription of D-24 does).
func (e ShipmentError) String() string {
	switch {
	case e.Code == "":
		return e.Message
	case e.Message == "" || strings.HasPrefix(e.Message, e.Code):
		return cmp.Or(e.Message, e.Code)
	}
	return e.Code + ": " + e.Message
}

// UnmarshalJSON reads an object with any of the key spellings of True
// API v2.22 §1.3 and D-18 … D-24, or a bare string whose leading digits
// before a colon are the code (the D-18 text example). The texts are kept
// byte for byte, white space included, as [Error].Message keeps them: a
// message " " (D-19's example) stays " ". Of several spellings the first
// non-empty one is taken.
func (e *ShipmentError) UnmarshalJSON(b []byte) error {
	var obj map[string]json.RawMessage
	if c := firstByte(b); c == '{' || c == 'n' {
		if err := lenient.Unmarshal(b, &obj); err != nil {
			return err
		}
		first := func(keys ...string) string {
			for _, k := range keys {
				if s := str(obj[k]); s != "" {
					return s
				}
			}
			return ""
		}
		*e = ShipmentError{
			Code:    first("code", "errorCode", "error-code"),
			Message: first("message", "errorMessage", "errorDescription", "description", "error_message", "error-msg"),
		}
		return nil
	}
	var s lenient.String
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	*e = ShipmentError{Message: s.S}
	if code, _, ok := strings.Cut(s.S, ":"); ok && code != "" && strings.Trim(code, "0123456789") == "" {
		e.Code = code
	}
	return nil
}

// shipmentErrorList reads errors as an array of items, a single item, or
// nothing (null, "", "undef", or a string of white space in place of the
// list, as in the error examples of D-21 … D-23).
type shipmentErrorList []ShipmentError

func (l *shipmentErrorList) UnmarshalJSON(b []byte) error {
	if lenient.IsAbsent(b) {
		*l = nil
		return nil
	}
	switch firstByte(b) {
	case '[':
		var list []ShipmentError
		if err := lenient.Unmarshal(b, &list); err != nil {
			return err
		}
		*l = list
		return nil
	case '"':
		var blank string
		if lenient.Unmarshal(b, &blank) == nil && strings.TrimSpace(blank) == "" {
			*l = nil
			return nil
		}
	}
	var one ShipmentError
	if err := lenient.Unmarshal(b, &one); err != nil {
		return err
	}
	if one == (ShipmentError{}) {
		*l = nil
		return nil
	}
	*l = shipmentErrorList{one}
	return nil
}

// failures returns the items that are not the code-"0" success notice.
func (l shipmentErrorList) failures() []ShipmentError {
	var out []ShipmentError
	for _, e := range l {
		if !e.OK() {
			out = append(out, e)
		}
	}
	return out
}

// ErrShipmentRejected matches every [*ShipmentRejectedError]: errors
// reported in a 200 by the EAEU shipment and import methods
// (§7.7–§7.11 of the documentation).
var ErrShipmentRejected = errors.New("trueapi: the EAEU shipment or acceptance has errors")

// ShipmentRejectedError reports errors the server gave in a successful
// (HTTP 200) answer of the EAEU shipment and import methods
// (§7.7–§7.11 of the documentation): D-18 and D-23 registered the document but list errors, or the
// status of D-19 is ERROR, or that of D-24 is CHECKED_NOT_OK or
// PROCESSING_ERROR. The creating methods return it together with their
// result, whose id it repeats.
type ShipmentRejectedError struct {
	// Op is the call, e.g. "POST edo-api/shipments".
	Op string
	// ID is the document's id (shipmentId, acceptationId or documentId);
	// it may be empty when the server gave none.
	ID string
	// Status is the final status of the pollers; empty for D-18 and D-23.
	Status string
	// Errors are the items the server listed, the code-"0" notice left
	// out; it may be empty for a failed status without details.
	Errors []ShipmentError
}

// Error lists the call, the document's id, the status if any and the
// errors.
func (e *ShipmentRejectedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "trueapi: %s: document %q", e.Op, e.ID)
	if e.Status != "" {
		fmt.Fprintf(&b, " ended with status %s", e.Status)
	}
	if len(e.Errors) == 0 {
		b.WriteString(" (no error details given)")
		return b.String()
	}
	fmt.Fprintf(&b, " has %d error(s): ", len(e.Errors))
	for i, item := range e.Errors {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(item.String())
	}
	return b.String()
}

// Is reports whether target is ErrShipmentRejected.
func (e *ShipmentRejectedError) Is(target error) bool { return target == ErrShipmentRejected }

// shipmentPath is edo-api/shipments/{shipmentId}/{what}, the id escaped as
// a path segment.
func shipmentPath(id, what string) string {
	return "edo-api/shipments/" + pathSegment(id) + "/" + what
}

// SentShipment is the result of [Client.SendShipment] (D-18).
type SentShipment struct {
	// ShipmentID (shipmentId) identifies the shipment for
	// [Client.ShipmentStatus], [Client.WaitShipment] and
	// [Client.ShipmentView].
	ShipmentID string
	// Messages are the items of errors as answered, the code-"0" success
	// notice included.
	Messages []ShipmentError
	// Document is what was signed and sent.
	Document *SignedDocument
}

type shipmentCreatedWire struct {
	ShipmentID lenient.String    `json:"shipmentId"`
	Errors     shipmentErrorList `json:"errors"`
}

// SendShipment signs and sends an EAEU export notice (POST edo-api/shipments,
// D-18, §2.3 section 7.7): doc (an [*EAEUShipment], or a
// [RawDocument] holding the JSON) is serialised once, signed with a
// detached CMS, and sent as {"document", "signature"}, both base64.
// AMBIGUITY: the specification does not say whether the signature is
// attached or detached; detached is used, like every other document
// method. The method is asynchronous: follow the shipment with
// [Client.WaitShipment].
//
// The answer's errors with code "0" mean success. Any other item is an
// error found while the document was registered: the result (with its
// ShipmentID) is returned together with a [*ShipmentRejectedError]. A
// request that may have reached the server without an answer, or was
// answered with a redirect, is not sent again and gives an
// [*OutcomeUnknownError]; so does a 2xx answer that is not the documented
// object with shipmentId (or with error items), which keeps the answer
// (ErrDecode) and returns the result, if the answer was an object. A
// document that is not one JSON object (the documented format) is
// refused with a [*ValidationError] before it is signed.
func (c *Client) SendShipment(ctx context.Context, doc Document) (*SentShipment, error) {
	const check = "documents/searchV2 (D-21) with documentType EAS_CROSSBORDER for the document's number: the shipmentId was not received"
	return sendShipmentDoc[shipmentCreatedWire](ctx, c, doc, "edo-api/shipments", "shipmentId", check,
		func(id string, msgs []ShipmentError, signed *SignedDocument) *SentShipment {
			return &SentShipment{ShipmentID: id, Messages: msgs, Document: signed}
		})
}

// shipmentCreated is the answer of D-18 or D-23: created gives the new
// document's id, trimmed, and the answer's error items.
type shipmentCreated interface {
	created() (id string, errs shipmentErrorList)
}

func (w *shipmentCreatedWire) created() (string, shipmentErrorList) {
	return strings.TrimSpace(w.ShipmentID.S), w.Errors
}

// sendShipmentDoc is D-18 and D-23: it signs doc (one JSON object) with a
// detached CMS, posts it to path as {"document", "signature"} without a
// retry, reads the answer W, and makes the result with newResult. Error
// items in the answer give the result with a [*ShipmentRejectedError];
// an answer that is not an object, or has no id (idKey), gives an
// [*OutcomeUnknownError] naming check.
func sendShipmentDoc[W any, R any, PW interface {
	*W
	shipmentCreated
}](ctx context.Context, c *Client, doc Document, path, idKey, check string, newResult func(id string, msgs []ShipmentError, signed *SignedDocument) *R) (*R, error) {
	content, err := encodeChecked(doc, jsonDocument)
	if err != nil {
		return nil, err
	}
	signed, err := c.signContent(ctx, content)
	if err != nil {
		return nil, err
	}
	req, err := signed.jsonRequest(path)
	if err != nil {
		return nil, err
	}
	var w W
	resp, err := c.createRead(ctx, req, check, func(body []byte) error { return jsonObject(body, &w) })
	if err != nil {
		return nil, err
	}
	id, errs := PW(&w).created()
	out := newResult(id, errs, signed)
	if failed := errs.failures(); len(failed) > 0 {
		return out, &ShipmentRejectedError{Op: "POST " + path, ID: id, Errors: failed}
	}
	if id == "" {
		return out, c.unexpectedAnswer(req, resp, check, fmt.Errorf("no %s in the answer", idKey))
	}
	return out, nil
}

// ShipmentStatus is the processing status of an EAEU export notice
// (D-19, §2.3 section 7.7). Values outside the constants are kept
// as the server sent them.
type ShipmentStatus string

// Shipment statuses of D-19.
const (
	ShipmentStatusChecking          ShipmentStatus = "CHECKING"           // Проверяется
	ShipmentStatusSent              ShipmentStatus = "SENT"               // Отправлен в ГИС МТ
	ShipmentStatusWaitingAcceptance ShipmentStatus = "WAITING_ACCEPTANCE" // ожидает подтверждения
	ShipmentStatusAccepted          ShipmentStatus = "ACCEPTED"           // Принят
	ShipmentStatusError             ShipmentStatus = "ERROR"              // processed with errors; final
)

// Final reports whether nothing follows s (D-19): ERROR (final per
// the specification) or ACCEPTED.
func (s ShipmentStatus) Final() bool {
	return s == ShipmentStatusError || s == ShipmentStatusAccepted
}

// ShipmentState is the answer of [Client.ShipmentStatus] (D-19).
type ShipmentState struct {
	DocumentID   string          // documentId
	DocumentDate time.Time       // documentDate: the registration date (yyyy-MM-dd, UTC)
	Status       ShipmentStatus  // status
	Errors       []ShipmentError // errors, given with status ERROR
}

type shipmentStateWire struct {
	DocumentID   lenient.String    `json:"documentId"`
	DocumentDate wireTime          `json:"documentDate"`
	Status       lenient.String    `json:"status"`
	Errors       shipmentErrorList `json:"errors"`
}

func shipmentParseState(body []byte) (*ShipmentState, error) {
	var w shipmentStateWire
	if err := lenient.Unmarshal(body, &w); err != nil {
		return nil, err
	}
	status := ShipmentStatus(strings.TrimSpace(w.Status.S))
	if status == "" {
		return nil, errors.New("no status in the answer")
	}
	return &ShipmentState{DocumentID: w.DocumentID.S, DocumentDate: w.DocumentDate.T, Status: status, Errors: w.Errors}, nil
}

// ShipmentStatus returns the processing status of an EAEU export notice
// (GET edo-api/shipments/{shipmentId}/status, D-19, §2.3 section
// 7.7). A failed processing is an answer, not an error: status ERROR with
// its errors in a 200. The server answers 400, not 404, for a shipment it
// does not know; that error matches both ErrValidation and ErrNotFound.
func (c *Client) ShipmentStatus(ctx context.Context, shipmentID string) (*ShipmentState, error) {
	return shipmentGet(ctx, c, "shipmentId", shipmentID, shipmentPath(shipmentID, "status"), shipmentParseState)
}

// shipmentGet is the GET of the shipment and import methods (D-19,
// D-20, D-22, D-24): a blank id (field) is refused before any request,
// the answer at path is read by decode, and the 400 for an unknown id
// also matches ErrNotFound.
func shipmentGet[T any](ctx context.Context, c *Client, field, id, path string, decode func([]byte) (T, error)) (T, error) {
	if err := requireText(field, id); err != nil {
		var zero T
		return zero, err
	}
	v, err := decoded(ctx, c, &transport.Request{Path: path}, decode)
	return v, shipmentNotFound(err)
}

// shipmentNotFound makes the 400 the shipment and import methods give for
// an unknown id match ErrNotFound as well.
func shipmentNotFound(err error) error {
	var e *Error
	if errors.As(err, &e) && e.StatusCode == http.StatusBadRequest {
		return fmt.Errorf("%w (the server's answer for an unknown id): %w", ErrNotFound, err)
	}
	return err
}

// WaitShipment polls the status of an EAEU export notice (D-19)
// until it is final: ACCEPTED returns the state; ERROR returns the state
// and a [*ShipmentRejectedError] with the errors. Waits grow from 1 s by
// 1.5 up to 15 s (see [WithPollInterval]); [WithProgress] sees every
// status. AMBIGUITY: the specification only calls ERROR final; ACCEPTED is
// taken as final too, while SENT and WAITING_ACCEPTANCE are waited
// through. WAITING_ACCEPTANCE lasts until the receiver in the other EAEU
// country accepts, which may take days: bound the wait with ctx, whose
// end returns the last state with the context's error.
func (c *Client) WaitShipment(ctx context.Context, shipmentID string, opts ...PollOption) (*ShipmentState, error) {
	return waitShipmentDoc(ctx, opts, "shipment", shipmentID, "GET edo-api/shipments/{shipmentId}/status", c.ShipmentStatus,
		func(st *ShipmentState) (ShipmentStatus, []ShipmentError) { return st.Status, st.Errors },
		ShipmentStatus.Final, func(s ShipmentStatus) bool { return s == ShipmentStatusError })
}

// waitShipmentDoc is WaitShipment and WaitImport: it polls get(id) until
// done with the status that state reads, and returns the last state; a
// failed status gives a [*ShipmentRejectedError] for op with the state's
// errors, an error of the poll names what and id with the last status.
func waitShipmentDoc[T any, S ~string](ctx context.Context, opts []PollOption, what, id, op string,
	get func(context.Context, string) (*T, error), state func(*T) (S, []ShipmentError), done, failed func(S) bool,
) (*T, error) {
	var last *T
	status, err := poll(ctx, newPollConfig(opts), func(ctx context.Context) (S, bool, error) {
		st, err := get(ctx, id)
		if err != nil {
			return "", false, err
		}
		last = st
		s, _ := state(st)
		return s, done(s), nil
	})
	if err != nil {
		if last != nil {
			status, _ = state(last)
		}
		return last, fmt.Errorf("trueapi: %s %s (last status %q): %w", what, id, status, err)
	}
	if failed(status) {
		_, errs := state(last)
		return last, &ShipmentRejectedError{Op: op, ID: id, Status: string(status), Errors: errs}
	}
	return last, nil
}

// ShipmentView returns the full EAEU export notice with the acceptance
// data (GET edo-api/shipments/{shipmentId}/view, D-20, §2.3
// section 7.7). The specification documents neither the request's answer
// nor its shape (only an absent screenshot), so the JSON is returned as
// received; it is probably shaped like D-22, in which case
// json.Unmarshal into a [ShipmentDocument] reads it. An answer that is not
// JSON gives an error matching ErrDecode that keeps the body. AMBIGUITY:
// the URL is written <stand>/api/v1/edo-api/…; the base URL
// (…/api/v3/true-api/) is used as for every other method.
func (c *Client) ShipmentView(ctx context.Context, shipmentID string) (json.RawMessage, error) {
	return shipmentGet(ctx, c, "shipmentId", shipmentID, shipmentPath(shipmentID, "view"), func(body []byte) (json.RawMessage, error) {
		if !json.Valid(body) {
			return nil, errors.New("the answer is not JSON")
		}
		return json.RawMessage(body), nil
	})
}

// ImportStatus is the status of an import document: the EAEU shipment
// (EAS_CROSSBORDER) or its acceptance (LP_ACCEPT_GOODS) (D-22,
// D-24, §3.5). Values outside the constants are kept as sent.
type ImportStatus string

// Import document statuses of D-22 and §3.5.
const (
	ImportStatusInProgress      ImportStatus = "IN_PROGRESS"      // Проверяется
	ImportStatusCheckedOK       ImportStatus = "CHECKED_OK"       // Оформлен (the D-22 screenshot)
	ImportStatusCheckedNotOK    ImportStatus = "CHECKED_NOT_OK"   // Обработан с ошибками
	ImportStatusProcessingError ImportStatus = "PROCESSING_ERROR" // Ошибка при обработке (§3.5)
	ImportStatusWaitAcceptance  ImportStatus = "WAIT_ACCEPTANCE"  // Ожидает приемку
	ImportStatusAccepted        ImportStatus = "ACCEPTED"         // Принят
)

// Failed reports whether s is a final status of a document with errors
// (D-22, D-24, §3.5): CHECKED_NOT_OK or PROCESSING_ERROR.
func (s ImportStatus) Failed() bool {
	return s == ImportStatusCheckedNotOK || s == ImportStatusProcessingError
}

// Done reports whether the server has finished processing (D-24):
// any listed status but IN_PROGRESS; unknown statuses are not done. WAIT_ACCEPTANCE counts as done: the shipment
// waits for the importer's own acceptance ([Client.SendAcceptance]).
func (s ImportStatus) Done() bool {
	switch s {
	case ImportStatusCheckedOK, ImportStatusCheckedNotOK, ImportStatusProcessingError, ImportStatusWaitAcceptance, ImportStatusAccepted:
		return true
	}
	return false
}

// ShipmentDocument is the structured EAEU shipment document with the
// acceptance results, if any (D-22, §2.3 section 7.9). The
// specification's table and its screenshot use different keys; both are
// read (documentType or type, linkedDoc or linkedDocs, documentErrors or
// errors, receiver or receiverName). Fields neither lists are kept in
// Extra.
type ShipmentDocument struct {
	Status            ImportStatus // status
	DocumentType      DocumentType // documentType (type): EAS_CROSSBORDER
	DocumentNum       string       // documentNum: the primary document's number
	DocumentDate      time.Time    // documentDate
	Exporter          string       // exporter: the exporter's name
	ExporterINN       string       // exporterInn: the exporter's id
	SenderCountryCode string       // senderCountryCode, numeric ("643")
	Receiver          string       // receiver (receiverName)
	ReceiverINN       string       // receiverInn
	TransferDate      time.Time    // transferDate
	// AcceptanceDate (acceptanceDate) is zero before acceptance;
	// described as "date and time" but written yyyy-MM-dd.
	AcceptanceDate time.Time
	LinkedDocs     []ShipmentLinkedDoc       // linkedDoc (linkedDocs)
	Products       []ShipmentDocumentProduct // products
	Errors         []ShipmentError           // documentErrors (errors)
	// Fields only the screenshot shows.
	SenderINN  string    // senderInn
	SenderName string    // senderName
	ReceiverID string    // receiverId
	ReceivedAt time.Time // receivedAt
	// Extra keeps the fields not listed above, as sent.
	Extra map[string]json.RawMessage
}

// ShipmentLinkedDoc is a document linked to a shipment, such as its
// acceptance (D-22 linkedDoc: linkedDocType, linkedDocId,
// linkedDocDate; the screenshot's linkedDocs: docType, docId, docDate).
type ShipmentLinkedDoc struct {
	Type DocumentType // LP_ACCEPT_GOODS for the acceptance notice
	ID   string
	Date time.Time
}

// ShipmentDocumentProduct is one products entry of a [ShipmentDocument]
// (D-22).
type ShipmentDocumentProduct struct {
	Cis string // cis
	// Accepted (accepted) is tri-state: true accepted, false not
	// accepted, nil when the server sent null, "" or nothing (no
	// information yet).
	Accepted *bool
	// Cost (productCost) and Tax (productTax) are exact decimals, nil when
	// absent; the specification sends them as numbers (10000000) or
	// strings ("80.0").
	Cost *decimal.Decimal
	Tax  *decimal.Decimal
	// Certificates (certificateDocumentData) are the conformity documents.
	Certificates []ShipmentCertificate
	// Extra keeps the fields not listed above, as sent.
	Extra map[string]json.RawMessage
}

// ShipmentCertificate is one certificateDocumentData entry of a
// [ShipmentDocumentProduct] (D-22).
type ShipmentCertificate struct {
	Type   ConformityDocKind // certificateType
	Number string            // certificateNum
	Date   time.Time         // certificateDate
}

// shipmentJSONFunc adapts a function to json.Unmarshaler for
// decodeWithExtra.
type shipmentJSONFunc func([]byte) error

func (f shipmentJSONFunc) UnmarshalJSON(b []byte) error { return f(b) }

func shipmentMember(dst json.Unmarshaler, keys ...string) extraMember {
	return extraMember{Key: keys[0], Aliases: keys[1:], Dst: dst}
}

// UnmarshalJSON reads the D-22 answer with every key spelling of the
// specification.
func (d *ShipmentDocument) UnmarshalJSON(b []byte) error {
	var (
		status, docType, num, exporter, exporterINN, country, receiver, receiverINN lenient.String
		senderINN, senderName, receiverID                                           lenient.String
		docDate, transfer, acceptance, receivedAt                                   wireTime
		linked                                                                      []ShipmentLinkedDoc
		products                                                                    []ShipmentDocumentProduct
		errs                                                                        shipmentErrorList
	)
	extra, err := decodeWithExtra(b, []extraMember{
		shipmentMember(&status, "status"),
		shipmentMember(&docType, "documentType", "type"),
		shipmentMember(&num, "documentNum"),
		shipmentMember(&docDate, "documentDate"),
		shipmentMember(&exporter, "exporter"),
		shipmentMember(&exporterINN, "exporterInn"),
		shipmentMember(&country, "senderCountryCode"),
		shipmentMember(&receiver, "receiver", "receiverName"),
		shipmentMember(&receiverINN, "receiverInn"),
		shipmentMember(&transfer, "transferDate"),
		shipmentMember(&acceptance, "acceptanceDate"),
		shipmentMember(shipmentJSONFunc(func(b []byte) error { return shipmentList(b, &linked) }), "linkedDoc", "linkedDocs"),
		shipmentMember(shipmentJSONFunc(func(b []byte) error { return shipmentList(b, &products) }), "products"),
		shipmentMember(&errs, "documentErrors", "errors"),
		shipmentMember(&senderINN, "senderInn"),
		shipmentMember(&senderName, "senderName"),
		shipmentMember(&receiverID, "receiverId"),
		shipmentMember(&receivedAt, "receivedAt"),
	})
	if err != nil {
		return err
	}
	*d = ShipmentDocument{
		Status: ImportStatus(strings.TrimSpace(status.S)), DocumentType: DocumentType(docType.S), DocumentNum: num.S,
		DocumentDate: docDate.T, Exporter: exporter.S, ExporterINN: exporterINN.S, SenderCountryCode: country.S,
		Receiver: receiver.S, ReceiverINN: receiverINN.S, TransferDate: transfer.T, AcceptanceDate: acceptance.T,
		LinkedDocs: linked, Products: products, Errors: errs, SenderINN: senderINN.S, SenderName: senderName.S,
		ReceiverID: receiverID.S, ReceivedAt: receivedAt.T, Extra: extra,
	}
	return nil
}

// shipmentList reads an array, or a single object as a list of one.
func shipmentList[T any](b []byte, out *[]T) error {
	if lenient.IsAbsent(b) {
		*out = nil
		return nil
	}
	if firstByte(b) == '[' {
		return lenient.Unmarshal(b, out)
	}
	var one T
	if err := lenient.Unmarshal(b, &one); err != nil {
		return err
	}
	*out = []T{one}
	return nil
}

// UnmarshalJSON reads both spellings of a linked document (D-22).
func (l *ShipmentLinkedDoc) UnmarshalJSON(b []byte) error {
	typ, id, date, err := shipmentRef(b, [2]string{"linkedDocType", "docType"}, [2]string{"linkedDocId", "docId"}, [2]string{"linkedDocDate", "docDate"})
	if err != nil {
		return err
	}
	*l = ShipmentLinkedDoc{Type: DocumentType(typ), ID: id, Date: date}
	return nil
}

// shipmentRef reads the three members of a linked document or a
// certificate (D-22): its kind, its number and its date, each under the
// first of its two keys that has a value.
func shipmentRef(b []byte, kindKeys, numKeys, dateKeys [2]string) (kind, num string, date time.Time, err error) {
	var (
		k, n lenient.String
		d    wireTime
	)
	_, err = decodeWithExtra(b, []extraMember{
		shipmentMember(&k, kindKeys[:]...),
		shipmentMember(&n, numKeys[:]...),
		shipmentMember(&d, dateKeys[:]...),
	})
	return k.S, n.S, d.T, err
}

// UnmarshalJSON reads a product of D-22, its amounts as numbers or
// strings.
func (p *ShipmentDocumentProduct) UnmarshalJSON(b []byte) error {
	var (
		cis         lenient.String
		accepted    lenient.Bool
		cost, tax   lenient.Decimal
		certificate []ShipmentCertificate
	)
	extra, err := decodeWithExtra(b, []extraMember{
		shipmentMember(&cis, "cis"),
		shipmentMember(&accepted, "accepted"),
		shipmentMember(&cost, "productCost"),
		shipmentMember(&tax, "productTax"),
		shipmentMember(shipmentJSONFunc(func(b []byte) error { return shipmentList(b, &certificate) }), "certificateDocumentData"),
	})
	if err != nil {
		return err
	}
	*p = ShipmentDocumentProduct{Cis: cis.S, Certificates: certificate, Extra: extra}
	if accepted.Valid {
		p.Accepted = &accepted.B
	}
	if cost.Valid {
		p.Cost = &cost.D
	}
	if tax.Valid {
		p.Tax = &tax.D
	}
	return nil
}

// UnmarshalJSON reads a certificate of D-22, also under the D-18 keys
// docKind, docNumber and docDate.
func (c *ShipmentCertificate) UnmarshalJSON(b []byte) error {
	typ, num, date, err := shipmentRef(b, [2]string{"certificateType", "docKind"}, [2]string{"certificateNum", "docNumber"}, [2]string{"certificateDate", "docDate"})
	if err != nil {
		return err
	}
	*c = ShipmentCertificate{Type: ConformityDocKind(typ), Number: num, Date: date}
	return nil
}

// shipmentImportPath is documents/import/{what}/{id}, the id escaped as a path
// segment.
func shipmentImportPath(what, id string) string {
	return "documents/import/" + what + "/" + pathSegment(id)
}

// ShipmentDocument returns the structured EAEU shipment document, with the
// acceptance results if any (GET documents/import/shipment/{shipment_id},
// D-22, §2.3 section 7.9). The call is synchronous. An unknown id
// gives the server's error; a 400 also matches ErrNotFound.
func (c *Client) ShipmentDocument(ctx context.Context, shipmentID string) (*ShipmentDocument, error) {
	return shipmentGet(ctx, c, "shipment_id", shipmentID, shipmentImportPath("shipment", shipmentID), func(body []byte) (*ShipmentDocument, error) {
		var d ShipmentDocument
		if err := lenient.Unmarshal(body, &d); err != nil {
			return nil, err
		}
		return &d, nil
	})
}

// SentAcceptance is the result of [Client.SendAcceptance] (D-23).
type SentAcceptance struct {
	// AcceptationID (acceptationId) identifies the acceptance notice for
	// [Client.ImportDocumentStatus] and [Client.WaitImport].
	AcceptationID string
	// Messages are the items of errors as answered.
	Messages []ShipmentError
	// Document is what was signed and sent.
	Document *SignedDocument
}

type shipmentAcceptanceCreatedWire struct {
	AcceptationID lenient.String    `json:"acceptationId"`
	AcceptanceID  lenient.String    `json:"acceptanceId"`
	Errors        shipmentErrorList `json:"errors"`
}

// SendAcceptance signs and sends the EAEU goods acceptance notice (POST
// documents/import/acceptancies, D-23, §2.3 section 7.10): doc (an
// [*EAEUAcceptance], or a [RawDocument] holding the JSON) is serialised
// once, signed with a detached CMS (the specification says
// "открепленная подпись") and sent as {"document", "signature"}, both
// base64. AMBIGUITY: the URL is written <stand>api/v3/true-api/documents/…,
// repeating the base path; the base URL plus documents/import/acceptancies
// is used.
//
// The answer carries acceptationId and possibly errors found in the
// document (the specification's "success … for a document with
// errors"): those give the result together with a
// [*ShipmentRejectedError]. A code-"0" item is not an error. A request
// that may have reached the server without an answer, or was answered
// with a redirect, is not sent again and gives an [*OutcomeUnknownError];
// so does a 2xx answer that is not the documented object with
// acceptationId (or with error items), which keeps the answer (ErrDecode)
// and returns the result, if the answer was an object. A document that is
// not one JSON object is refused with a [*ValidationError] before it is
// signed.
func (c *Client) SendAcceptance(ctx context.Context, doc Document) (*SentAcceptance, error) {
	check := "Client.ShipmentDocument (D-22) for the shipment: a registered acceptance appears in its linkedDoc (LP_ACCEPT_GOODS); or documents/searchV2 with documentType LP_ACCEPT_GOODS"
	if a, ok := doc.(*EAEUAcceptance); ok {
		check = fmt.Sprintf("Client.ShipmentDocument(%q) (D-22): a registered acceptance appears in its linkedDoc (LP_ACCEPT_GOODS); or documents/searchV2 with documentType LP_ACCEPT_GOODS", a.ShipmentID)
	}
	return sendShipmentDoc[shipmentAcceptanceCreatedWire](ctx, c, doc, "documents/import/acceptancies", "acceptationId", check,
		func(id string, msgs []ShipmentError, signed *SignedDocument) *SentAcceptance {
			return &SentAcceptance{AcceptationID: id, Messages: msgs, Document: signed}
		})
}

func (w *shipmentAcceptanceCreatedWire) created() (string, shipmentErrorList) {
	return strings.TrimSpace(cmp.Or(w.AcceptationID.S, w.AcceptanceID.S)), w.Errors
}

// ImportDocumentState is the answer of [Client.ImportDocumentStatus]
// (D-24). Fields the example does not show are kept in Extra.
type ImportDocumentState struct {
	DocumentID   string          // documentId
	Status       ImportStatus    // status
	DocumentType DocumentType    // documentType: EAS_CROSSBORDER or LP_ACCEPT_GOODS
	Errors       []ShipmentError // documentErrors (errors)
	Extra        map[string]json.RawMessage
}

func shipmentParseImportState(body []byte) (*ImportDocumentState, error) {
	var (
		id, status, typ lenient.String
		errs            shipmentErrorList
	)
	extra, err := decodeWithExtra(body, []extraMember{
		shipmentMember(&id, "documentId"),
		shipmentMember(&status, "status"),
		shipmentMember(&typ, "documentType", "type"),
		shipmentMember(&errs, "documentErrors", "errors"),
	})
	if err != nil {
		return nil, err
	}
	st := &ImportDocumentState{DocumentID: id.S, Status: ImportStatus(strings.TrimSpace(status.S)), DocumentType: DocumentType(typ.S), Errors: errs, Extra: extra}
	if st.Status == "" {
		return nil, errors.New("no status in the answer")
	}
	return st, nil
}

// ImportDocumentStatus returns the status of an import document, a
// shipment or its acceptance (GET documents/import/status/{doc_id},
// D-24, §2.3 section 7.11). A document with errors is an answer,
// not an error: CHECKED_NOT_OK with documentErrors. An unknown id gives
// the server's 400 ({"code", "description"}), which also matches
// ErrNotFound.
func (c *Client) ImportDocumentStatus(ctx context.Context, docID string) (*ImportDocumentState, error) {
	return shipmentGet(ctx, c, "doc_id", docID, shipmentImportPath("status", docID), shipmentParseImportState)
}

// WaitImport polls the status of an import document (D-24) until
// the server has processed it ([ImportStatus.Done]): CHECKED_OK,
// WAIT_ACCEPTANCE or ACCEPTED return the state; CHECKED_NOT_OK and
// PROCESSING_ERROR return the state and a [*ShipmentRejectedError] with
// its errors. AMBIGUITY: the specification lists no final statuses for
// D-24; WAIT_ACCEPTANCE ends the wait because a shipment in it waits for
// the caller's own acceptance. Waits grow from 1 s by 1.5 up to 15 s (see
// [WithPollInterval]); [WithProgress] sees every status; the end of ctx
// returns the last state with the context's error.
func (c *Client) WaitImport(ctx context.Context, docID string, opts ...PollOption) (*ImportDocumentState, error) {
	return waitShipmentDoc(ctx, opts, "import document", docID, "GET documents/import/status/{doc_id}", c.ImportDocumentStatus,
		func(st *ImportDocumentState) (ImportStatus, []ShipmentError) { return st.Status, st.Errors },
		ImportStatus.Done, ImportStatus.Failed)
}
