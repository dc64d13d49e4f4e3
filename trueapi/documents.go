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

// MaxDocumentBytes is the largest document the API takes (catalog §1.8:
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
// what is sent.
func (c *Client) SignDocument(ctx context.Context, doc Document) (*SignedDocument, error) {
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
	sig, err := c.signer.SignCMS(ctx, content, signing.SignOptions{Detached: true, Purpose: signing.PurposeDocument})
	if err != nil {
		return nil, fmt.Errorf("trueapi: sign the document: %w", err)
	}
	return &SignedDocument{Content: content, Signature: sig}, nil
}

// ErrOutcomeUnknown matches an [*OutcomeUnknownError].
var ErrOutcomeUnknown = errors.New("trueapi: the outcome is unknown")

// OutcomeUnknownError is returned when a call that creates something on
// the server (a document, a title signature, an invoice request) failed
// after the request may have reached the server: the connection broke
// after sending, the context ended while waiting for the answer, or the
// answer broke off. The client did not send it again, since a document
// registered twice is an incident; whether the server took it is unknown
// until checked with the method named in Check.
type OutcomeUnknownError struct {
	// Op is the call, e.g. "POST documents/writeOff".
	Op string
	// Check says how to find out whether the server took the request.
	Check string
	// Err is the transport failure (an *Error matching ErrTransport, or
	// the context's error).
	Err error
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("trueapi: %s: the request may have reached the server, but no answer came (%v); it was not sent again: check with %s before sending it again", e.Op, e.Err, e.Check)
}

// Unwrap returns the transport failure.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// Is reports whether target is ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// create sends a request that creates something on the server. It is
// never repeated once it may have reached the server (only a failure to
// connect is retried, and a 401 before any processing is replayed after a
// new sign-in); such a failure becomes an [*OutcomeUnknownError] naming
// check.
func (c *Client) create(ctx context.Context, req *transport.Request, check string) (*transport.Response, error) {
	req.Idempotent, req.NoRetry = false, false
	var resp *transport.Response
	err := c.do(ctx, func(ctx context.Context) error {
		var err error
		resp, err = c.t.Do(ctx, req)
		return err
	})
	var te *Error
	if errors.As(err, &te) && te.MaybeDelivered {
		return nil, &OutcomeUnknownError{Op: req.Method + " " + req.Path, Check: check, Err: err}
	}
	return resp, err
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
// document and title getters): whitespace, a JSON string's quotes and line
// breaks inside are tolerated.
func decodeBase64Text(body []byte) ([]byte, error) {
	s := strings.TrimSpace(string(body))
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	s = strings.ReplaceAll(s, `\/`, "/") // a JSON-escaped slash
	if s == "" {
		return nil, errors.New("the answer is empty")
	}
	out, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if out2, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err2 == nil {
			return out2, nil
		}
		return nil, fmt.Errorf("the answer is not base64: %w", err)
	}
	return out, nil
}

// getBase64 sends a GET whose answer is a bare base64 string and returns
// the decoded bytes.
func (c *Client) getBase64(ctx context.Context, path string) ([]byte, error) {
	return decoded(ctx, c, &transport.Request{Path: path}, decodeBase64Text)
}

// postSignatureText sends a detached CMS as the whole text/plain body
// (base64), the transport of the EDO title signatures, which answer 201
// with no body.
func (c *Client) postSignatureText(ctx context.Context, path string, sig []byte, check string) error {
	body := []byte(base64.StdEncoding.EncodeToString(sig))
	_, err := c.create(ctx, &transport.Request{Method: http.MethodPost, Path: path, Body: body, ContentType: "text/plain"}, check)
	return err
}
