package trueapi

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// Paths of the document-sending methods of §7 of the documentation.
const (
	pathIntroduceGoods = "documents/transit/introduce-goods/create" // D-13
	pathFormal         = "edo-api/outgoing-documents/formal"        // D-14, D-15
	pathThirdCountries = "documents/transit/import/third_countries" // D-16
	pathWriteOff       = "documents/writeOff"                       // D-17
)

// SentDocument is what the sending methods of D-13…D-17
// return. The server processes documents asynchronously: follow the
// status with GET documents/{document_id}/info (D-26), the doc/listV2
// listing (D-25) or, for EDO documents, the outgoing register (D-1).
type SentDocument struct {
	// DocumentID is the document's id in ИС МПТ: the documentId answer of
	// D-14/D-15, and the fileId for D-13, D-16 and D-17, whose id "is
	// inherited from fileId".
	DocumentID string
	// FileID is file@fileId of the XML that was sent ("" if a raw
	// document has none).
	FileID string
	// ProcessingNumber is the "internal processing number" the server
	// answers to D-16 and D-17, as text; "" for the others.
	ProcessingNumber string
	// Signed holds the exact bytes that were signed and sent, and the
	// detached signature.
	Signed *SignedDocument
}

// SendReintroductionNotice registers a re-introduction notice
// (D-13, POST documents/transit/introduce-goods/create): doc, usually
// a [ReintroductionNotice] or a [RawDocument], is serialised once, signed
// detached ([Client.SignDocument]) and sent. The server answers 200 with
// an empty body; the document id is the XML's fileId, returned as
// DocumentID.
//
// AMBIGUITY: the specification leaves the request body table empty; the
// body is read as {"document": base64(XML), "signature": base64(CMS)},
// like D-16 and D-17 of the same family.
//
// The request is never sent twice. If the connection breaks after
// sending, the server answers with a redirect, or a 2xx answer has a body
// (the documented answer has none), the error matches [ErrOutcomeUnknown],
// names the check to run ([Client.DocumentInfo] with the fileId) and the
// *SentDocument is returned with it. A document that is not one
// well-formed XML document, has no fileId or is over 30 MB is refused with
// a [*ValidationError] before it is signed.
func (c *Client) SendReintroductionNotice(ctx context.Context, doc Document) (*SentDocument, error) {
	return c.sendDocument(ctx, doc, pathIntroduceGoods)
}

// SendEDODocument registers an EDO document (D-14 and D-15,
// POST edo-api/outgoing-documents/formal): an Act ПП or correction Act
// ([TransferAct]), a divergence notice ([DivergenceNotice]), an EAEU import
// notice or its correction ([EAEUImportNotice]), or a [RawDocument]; the
// server tells them apart by the XML. doc is serialised once, signed
// detached and sent as multipart/form-data fields content (base64 XML) and
// signature (base64 CMS). The answer's documentId is returned as
// DocumentID.
//
// AMBIGUITY readings: the answer's shape is not shown, so a bare string, a
// JSON string and {"documentId": …} are all read; the divergence notice
// and the EAEU notice, which the text says may go unsigned (a draft), are
// always signed, as the tables require and changelog 2.22.0 says.
//
// The request is never sent twice: if the connection breaks after sending
// or the server answers with a redirect, the error matches
// [ErrOutcomeUnknown] and names the check (the outgoing register,
// [Client.OutgoingDocuments], D-1), and the *SentDocument is returned with
// it; so it is when a 2xx answer holds no documentId, or one that is not
// an id (a maintenance page, a sentence): the error then also matches
// ErrDecode and keeps the answer. A document that is not one well-formed
// XML document, or is over 30 MB, is refused with a [*ValidationError]
// before it is signed.
func (c *Client) SendEDODocument(ctx context.Context, doc Document) (*SentDocument, error) {
	return c.sendDocument(ctx, doc, pathFormal)
}

// SendThirdCountryImportNotice registers a notice of import from third
// countries (D-16, POST
// documents/transit/import/third_countries): doc, usually a
// [ThirdCountryImportNotice] or a [RawDocument], is serialised once,
// signed detached and sent as {"document": base64(XML), "signature":
// base64(CMS)}. The server answers 200 with an "internal processing
// number", returned as ProcessingNumber (a JSON number, a JSON string or
// bare text, without white space or markup); the document id is the
// fileId. A 422 means the signature failed the check.
//
// The request is never sent twice: if the connection breaks after sending,
// the server answers with a redirect, or a 2xx answer is not a processing
// number (empty, a maintenance page, an object), the error matches
// [ErrOutcomeUnknown] and names the check ([Client.DocumentInfo] with the
// fileId), and the *SentDocument is returned with it. A document that is
// not one well-formed XML document, has no fileId or is over 30 MB is
// refused with a [*ValidationError] before it is signed.
func (c *Client) SendThirdCountryImportNotice(ctx context.Context, doc Document) (*SentDocument, error) {
	return c.sendDocument(ctx, doc, pathThirdCountries)
}

// SendWriteOffNotice registers a notice of withdrawal from circulation
// (D-17, POST documents/writeOff): doc, usually a
// [WriteOffNotice] or a [RawDocument], is serialised once, signed detached
// and sent as {"document": base64(XML), "signature": base64(CMS)}. The
// server answers 200 with an "internal processing number", returned as
// ProcessingNumber and read as for [Client.SendThirdCountryImportNotice];
// the document id is the fileId. A 422 means the signature failed the
// check or the document failed processing.
//
// The request is never sent twice: if the connection breaks after sending,
// the server answers with a redirect, or a 2xx answer is not a processing
// number, the error matches [ErrOutcomeUnknown] and names the check
// ([Client.DocumentInfo] with the fileId), and the *SentDocument is
// returned with it. A document that is not one well-formed XML document,
// has no fileId or is over 30 MB is refused with a [*ValidationError]
// before it is signed.
func (c *Client) SendWriteOffNotice(ctx context.Context, doc Document) (*SentDocument, error) {
	return c.sendDocument(ctx, doc, pathWriteOff)
}

// sendDocument serialises doc once, checks it is one well-formed XML
// document (and, but for the formal route, that it has a fileId), signs
// it and sends it to path. A document that fails a check is a
// [*ValidationError] and nothing is signed or sent.
func (c *Client) sendDocument(ctx context.Context, doc Document, path string) (*SentDocument, error) {
	if r, ok := doc.(interface{ sendPath() string }); ok && r.sendPath() != path {
		return nil, transport.Invalid("document", "a %T is not sent to POST %s but to POST %s", doc, path, r.sendPath())
	}
	// Every document of these methods is XML: anything else is refused
	// before the signer sees it, as is a notice without its fileId.
	content, err := encodeChecked(doc, xmlDocument)
	if err != nil {
		return nil, err
	}
	fileID := xmlFileID(content)
	if path != pathFormal && fileID == "" {
		return nil, transport.Invalid("file@fileId", "is missing from the document; it is the document's id")
	}
	signed, err := c.signContent(ctx, content)
	if err != nil {
		return nil, err
	}
	sent := &SentDocument{FileID: fileID, Signed: signed}
	req := &transport.Request{Method: http.MethodPost, Path: path}
	var check string
	if path == pathFormal {
		req.Body, req.ContentType, err = signed.multipartBody()
		// The server gives formal documents their own id, so the register
		// (by partner, date and Client.OutgoingDocumentXML) is the check.
		check = "Client.OutgoingDocuments (GET edo-api/outgoing-documents, D-1, the outgoing EDO register)"
		if sent.FileID != "" {
			check += fmt.Sprintf(", looking for the document whose XML (Client.OutgoingDocumentXML) has fileId %q", sent.FileID)
		}
	} else {
		sent.DocumentID = sent.FileID
		req, err = signed.jsonRequest(path)
		check = fmt.Sprintf("Client.DocumentInfo(ctx, %q) (GET documents/{document_id}/info, D-26; the document id is the fileId) or the doc/listV2 listing (Client.DocListV2, D-25)", sent.FileID)
	}
	if err != nil {
		return nil, fmt.Errorf("trueapi: build the request body: %w", err)
	}
	resp, err := c.create(ctx, req, check)
	if err != nil {
		if errors.Is(err, ErrOutcomeUnknown) {
			return sent, err
		}
		return nil, err
	}
	// Only the documented success answer counts: anything else (a
	// maintenance page answered 200, say) leaves the outcome unknown.
	switch path {
	case pathFormal:
		id, err := parseDocumentID(resp.Body)
		if err != nil {
			return sent, c.unexpectedAnswer(req, resp, check, err)
		}
		sent.DocumentID = id
	case pathThirdCountries, pathWriteOff:
		n, err := parseProcessingNumber(resp.Body)
		if err != nil {
			return sent, c.unexpectedAnswer(req, resp, check, err)
		}
		sent.ProcessingNumber = n
	default: // D-13 answers 200 with an empty body
		if err := emptyAnswer(resp.Body); err != nil {
			return sent, c.unexpectedAnswer(req, resp, check, err)
		}
	}
	return sent, nil
}

// xmlFileID returns the fileId attribute of the XML document's root
// element, or "".
func xmlFileID(content []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(content))
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Space == "" && a.Name.Local == "fileId" {
					return a.Value
				}
			}
			return ""
		}
	}
}

// parseDocumentID reads the documentId answer of D-14/D-15: a bare
// string, a JSON string, or an object with documentId (matched
// case-insensitively, a string or a number). The id must look like one
// (see [idLike]).
func parseDocumentID(body []byte) (string, error) {
	s := bytes.TrimSpace(body)
	if len(s) == 0 {
		return "", errors.New("the answer is empty, without a documentId")
	}
	var id string
	switch s[0] {
	case '{':
		var obj map[string]json.RawMessage
		if err := lenient.Unmarshal(s, &obj); err != nil {
			return "", err
		}
		for k, v := range obj {
			var ls lenient.String
			if strings.EqualFold(k, "documentId") && lenient.Unmarshal(v, &ls) == nil {
				id = ls.S
			}
		}
	case '"':
		if err := lenient.Unmarshal(s, &id); err != nil {
			return "", err
		}
	default:
		id = string(s)
	}
	if id = strings.TrimSpace(id); id == "" || isJSONLiteral(s) {
		return "", errors.New("no documentId in the answer")
	}
	if !idLike(id) {
		return "", errors.New("the answer is not a document id")
	}
	return id, nil
}

// parseProcessingNumber reads the "internal processing number" of D-16
// and D-17, whose shape the specification does not show: a JSON number, a
// JSON string or bare text, which must look like an id (see [idLike]).
// Anything else, an empty answer included, is refused.
func parseProcessingNumber(body []byte) (string, error) {
	s := bytes.TrimSpace(body)
	if len(s) == 0 {
		return "", errors.New("the answer is empty, without the internal processing number")
	}
	n := string(s)
	switch {
	case s[0] == '"':
		if err := lenient.Unmarshal(s, &n); err != nil {
			return "", err
		}
		n = strings.TrimSpace(n)
	case s[0] == '-' || (s[0] >= '0' && s[0] <= '9'):
		if num := numberText(s); num != "" {
			n = num
		}
	}
	if !idLike(n) || isJSONLiteral(s) {
		return "", errors.New("the answer is not an internal processing number")
	}
	return n, nil
}

// isJSONLiteral reports whether b is JSON null, true or false, which are
// no ids.
func isJSONLiteral(b []byte) bool {
	switch string(b) {
	case "null", "true", "false":
		return true
	}
	return false
}

// maxIDBytes bounds an id read from an answer's text.
const maxIDBytes = 256

// idLike reports whether s can be an id the server answered as text (a
// documentId, a processing number): printable ASCII without white space,
// quotes or markup, at most [maxIDBytes] long. A maintenance page, a JSON
// object or a sentence is not an id.
func idLike(s string) bool {
	if s == "" || len(s) > maxIDBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`"'<>{}[]()\,;`, c) >= 0 {
			return false
		}
	}
	return true
}
