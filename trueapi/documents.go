package trueapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/steppe-sdk/steppe/internal/transport"
	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// MaxDocumentBytes is the largest document the API takes (the documentation:
// 30 MB, 413 above). Larger documents are refused before signing.
const MaxDocumentBytes = 30 << 20

// Document is a document to send: it serialises itself once into the
// exact bytes that are signed and sent. The builders of this package
// (the Act, the notices …) implement it, and [RawDocument] wraps bytes
// prepared elsewhere.
type Document interface {
	Encode() ([]byte, error)
}

// RawDocument is a document already serialised, sent byte for byte.
type RawDocument []byte

// Encode returns the bytes themselves.
func (d RawDocument) Encode() ([]byte, error) { return d, nil }

// SignedDocument is a document's exact bytes and the detached CMS
// signature over them. The bytes are never serialised again between
// signing and sending.
type SignedDocument struct {
	Content   []byte
	Signature []byte
}

// SignDocument serialises doc once and signs those bytes with a detached
// CMS (signing.PurposeDocument). Documents above [MaxDocumentBytes] are
// refused. The send methods call it; use it directly to keep or inspect
// what is sent. It signs any bytes: the send methods first check that a
// document is in the format its method documents (XML, or a JSON object
// for the EAEU shipment and acceptance), and the title flows check the
// server's title is XML.
func (c *Client) SignDocument(ctx context.Context, doc Document) (*SignedDocument, error) {
	content, err := encodeDocument(doc)
	if err != nil {
		return nil, err
	}
	return c.signContent(ctx, content)
}

// encodeDocument serialises doc once and refuses a missing, empty or
// oversized document with a [*ValidationError].
func encodeDocument(doc Document) ([]byte, error) {
	if doc == nil {
		return nil, transport.Invalid("document", "is required")
	}
	content, err := doc.Encode()
	if err != nil {
		return nil, fmt.Errorf("trueapi: build the document: %w", err)
	}
	if len(content) == 0 {
		return nil, transport.Invalid("document", "is empty")
	}
	if len(content) > MaxDocumentBytes {
		return nil, transport.Invalid("document", "is %d bytes, over the API's limit of %d (30 MB)", len(content), MaxDocumentBytes)
	}
	return content, nil
}

// encodeChecked is encodeDocument followed by check, the documented
// format of the method the document goes to ([xmlDocument] or
// [jsonDocument]): a document in another format is a [*ValidationError]
// naming "document", before anything signs it.
func encodeChecked(doc Document, check func([]byte) error) ([]byte, error) {
	content, err := encodeDocument(doc)
	if err != nil {
		return nil, err
	}
	if err := check(content); err != nil {
		return nil, transport.Invalid("document", "is %v", err)
	}
	return content, nil
}

// signContent signs content, already checked, with a detached CMS.
func (c *Client) signContent(ctx context.Context, content []byte) (*SignedDocument, error) {
	sig, err := c.signer.SignCMS(ctx, content, signing.SignOptions{Detached: true, Purpose: signing.PurposeDocument})
	if err != nil {
		return nil, fmt.Errorf("trueapi: sign the document: %w", err)
	}
	return &SignedDocument{Content: content, Signature: sig}, nil
}

// ErrOutcomeUnknown matches an [*OutcomeUnknownError].
var ErrOutcomeUnknown = errors.New("trueapi: the outcome is unknown")

// OutcomeUnknownError is returned when a call that creates something on
// the server (a document, a title or its signature, an invoice request, an
// order) failed after the request may have reached the server:
//
//   - no answer came: the connection broke after sending, the context
//     ended while waiting, or the answer broke off (Err matches
//     [ErrTransport] or the context's error);
//   - the server answered with a redirect, which a creating request never
//     follows (Err matches [ErrRedirect]);
//   - the server answered 2xx, but not with the success answer the
//     documentation gives for the method, e.g. an HTML maintenance page
//     (Err is an [*Error] matching [ErrDecode] that keeps the answer's
//     body, secrets masked).
//
// The client did not send the request again, since a document registered
// twice is an incident; whether the server took it is unknown until
// checked with the method named in Check.
type OutcomeUnknownError struct {
	// Op is the call, e.g. "POST documents/writeOff".
	Op string
	// Check says how to find out whether the server took the request.
	Check string
	// Err is the failure: an *Error matching ErrTransport, ErrRedirect or
	// ErrDecode, or the context's error.
	Err error
}

// Error says what happened, that the request was not sent again and how
// to check the outcome.
func (e *OutcomeUnknownError) Error() string {
	what := "but no answer came"
	switch {
	case errors.Is(e.Err, ErrRedirect):
		what = "and the server answered with a redirect, which was not followed"
	case errors.Is(e.Err, ErrDecode):
		what = "and the server answered, but not with the documented success answer"
	}
	return fmt.Sprintf("trueapi: %s: the request may have reached the server, %s (%v); it was not sent again: check with %s before sending it again", e.Op, what, e.Err, e.Check)
}

// Unwrap returns the failure.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// Is reports whether target is ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// create sends a request that creates something on the server. It is
// never repeated once it may have reached the server (only a failure to
// connect is retried, and a 401 before any processing is replayed after a
// new sign-in); such a failure, a redirect included, becomes an
// [*OutcomeUnknownError] naming check. The caller checks the 2xx answer's
// shape and reports a wrong one with [Client.unexpectedAnswer].
func (c *Client) create(ctx context.Context, req *transport.Request, check string) (*transport.Response, error) {
	req.Idempotent, req.NoRetry = false, false
	var resp *transport.Response
	err := c.do(ctx, func(ctx context.Context) error {
		var err error
		resp, err = c.t.Do(ctx, req)
		return err
	})
	if err != nil {
		return nil, outcomeUnknown(req, check, err)
	}
	return resp, nil
}

// outcomeUnknown turns err into an [*OutcomeUnknownError] when the request
// may have reached the server: the transport says so (MaybeDelivered) or
// the server answered with a redirect. Other errors are returned as they
// are.
func outcomeUnknown(req *transport.Request, check string, err error) error {
	var te *Error
	if errors.As(err, &te) && (te.MaybeDelivered || errors.Is(err, ErrRedirect)) {
		return &OutcomeUnknownError{Op: req.Method + " " + req.Path, Check: check, Err: err}
	}
	return err
}

// unexpectedAnswer is the error of a creating call whose 2xx answer is not
// the documented success answer: the server may have taken the request,
// so it is an [*OutcomeUnknownError] naming check, whose Err is an
// [*Error] matching ErrDecode that keeps the body (secrets masked).
func (c *Client) unexpectedAnswer(req *transport.Request, resp *transport.Response, check string, cause error) error {
	return &OutcomeUnknownError{Op: req.Method + " " + req.Path, Check: check, Err: c.t.DecodeError(req, resp, cause)}
}

// createRead is create followed by read of the 2xx answer's body: a body
// that read refuses gives an [*OutcomeUnknownError] naming check. The
// caller reports a later finding with [Client.unexpectedAnswer] and the
// returned response.
func (c *Client) createRead(ctx context.Context, req *transport.Request, check string, read func(body []byte) error) (*transport.Response, error) {
	resp, err := c.create(ctx, req, check)
	if err != nil {
		return nil, err
	}
	if err := read(resp.Body); err != nil {
		return nil, c.unexpectedAnswer(req, resp, check, err)
	}
	return resp, nil
}

// documentBody is the JSON transport {"document", "signature"} of the
// transit, write-off, shipment and import methods: both base64.
type documentBody struct {
	Document  string `json:"document"`
	Signature string `json:"signature"`
}

func (s *SignedDocument) jsonBody() ([]byte, error) {
	return transport.JSONBody(documentBody{
		Document:  base64.StdEncoding.EncodeToString(s.Content),
		Signature: base64.StdEncoding.EncodeToString(s.Signature),
	})
}

// jsonRequest is the POST of s to path as {"document", "signature"}.
func (s *SignedDocument) jsonRequest(path string) (*transport.Request, error) {
	body, err := s.jsonBody()
	if err != nil {
		return nil, err
	}
	return &transport.Request{Method: http.MethodPost, Path: path, Body: body, ContentType: "application/json"}, nil
}

// multipartBody is the multipart/form-data transport of
// edo-api/outgoing-documents/formal: fields content and signature, both
// base64.
func (s *SignedDocument) multipartBody() (body []byte, contentType string, err error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range []struct {
		name string
		data []byte
	}{{"content", s.Content}, {"signature", s.Signature}} {
		w, err := mw.CreateFormField(f.name)
		if err != nil {
			return nil, "", err
		}
		enc := base64.NewEncoder(base64.StdEncoding, w)
		if _, err := enc.Write(f.data); err != nil {
			return nil, "", err
		}
		if err := enc.Close(); err != nil {
			return nil, "", err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

// decodeBase64Text reads a body that is a bare base64 string (the EDO
// document and title getters and the title creators) strictly: the
// standard alphabet with its padding ("=" up to a multiple of 4), the
// unused bits of the last character zero. Around and inside it only JSON
// white space (space, tab, CR, LF), the quotes of a JSON string and the
// JSON escape \/ of a slash are tolerated. Anything else, a missing "="
// or a cut answer included, is an error: a damaged answer is never
// decoded into bytes someone might sign.
func decodeBase64Text(body []byte) ([]byte, error) {
	s := strings.Trim(string(body), jsonSpace)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	s = strings.ReplaceAll(s, `\/`, "/") // a JSON-escaped slash
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(jsonSpace, r) {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return nil, errors.New("the answer is empty")
	}
	out, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("the answer is not standard base64 with padding: %w", err)
	}
	return out, nil
}

// jsonSpace is JSON's white space.
const jsonSpace = " \t\r\n"

// decodeBase64XML reads a bare base64 answer documented to hold an XML
// document (D-3, D-4, D-7, D-8, D-9, D-11): [decodeBase64Text], then
// [xmlDocument] on the decoded bytes.
func decodeBase64XML(body []byte) ([]byte, error) {
	b, err := decodeBase64Text(body)
	if err != nil {
		return nil, err
	}
	if err := xmlDocument(b); err != nil {
		return nil, fmt.Errorf("the decoded answer is %w", err)
	}
	return b, nil
}

// getBase64XML sends a GET whose answer is the bare base64 of an XML
// document and returns the decoded XML; an answer that is not that is an
// [*Error] matching ErrDecode that keeps the body.
func (c *Client) getBase64XML(ctx context.Context, path string) ([]byte, error) {
	return decoded(ctx, c, &transport.Request{Path: path}, decodeBase64XML)
}

// postSignatureText sends a detached CMS as the whole text/plain body
// (base64), the transport of the EDO title signatures, which answer 201
// with no body (D-10, D-12). A 2xx answer with a body is not that answer:
// an [*OutcomeUnknownError]. An empty sig is refused before any request.
func (c *Client) postSignatureText(ctx context.Context, path string, sig []byte, check string) error {
	if len(sig) == 0 {
		return transport.Invalid("signature", "is required")
	}
	body := []byte(base64.StdEncoding.EncodeToString(sig))
	req := &transport.Request{Method: http.MethodPost, Path: path, Body: body, ContentType: "text/plain"}
	_, err := c.createRead(ctx, req, check, emptyAnswer)
	return err
}

// emptyAnswer checks the answer of a method documented to answer with no
// body (white space is tolerated).
func emptyAnswer(body []byte) error {
	if len(bytes.TrimSpace(body)) != 0 {
		return errors.New("the method answers with an empty body, but this answer has one")
	}
	return nil
}
