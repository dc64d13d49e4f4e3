package trueapi

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// parseError reads every error body shape of §2.1 of the documentation into a code and
// a message; the transport keeps the raw body in Error.Body.
//
//   - XML, the 401s: <InvalidTokenException><error>invalid_token</error>
//     <error_description>…</error_description></…>
//   - {"error_message": "…"}, the default
//   - {"errorMessage": "…", "errorCode": "500"}
//   - {"code": "422", "errors": "…"} and {"code": "400", "description": "…"}
//   - {"error-code": …, "error-msg": "…"}
//   - {"errors": [{"errorCode", "errorMessage" | "errorDescription"} | {"code", "message"}]}
//   - a bare JSON array of such objects, a JSON string, or plain text
func parseError(_ int, _ http.Header, body []byte) (code, message string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "", "" // e.g. the empty 406
	}
	switch body[0] {
	case '<':
		return parseXMLError(body)
	case '{':
		var obj map[string]json.RawMessage
		if lenient.Unmarshal(body, &obj) == nil {
			return fromObject(obj)
		}
	case '[':
		var list []map[string]json.RawMessage
		if lenient.Unmarshal(body, &list) == nil {
			return fromList(list)
		}
	case '"':
		var s string
		if lenient.Unmarshal(body, &s) == nil {
			return "", s
		}
	}
	text := string(body)
	if len(text) > 300 {
		// Cut at a character boundary: Russian text is two bytes a letter.
		cut := 300
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	return "", text
}

// parseXMLError reads the XML 401 bodies of §1.3.
func parseXMLError(body []byte) (code, message string) {
	var v struct {
		XMLName     xml.Name
		Error       string `xml:"error"`
		Description string `xml:"error_description"`
	}
	if xml.Unmarshal(body, &v) != nil {
		return "", ""
	}
	code = v.Error
	if code == "" {
		code = v.XMLName.Local
	}
	return code, v.Description
}

// str reads a JSON string as its text, or a JSON number as written.
func str(raw json.RawMessage) string {
	switch c := firstByte(raw); {
	case c == '"':
		var s string
		if lenient.Unmarshal(raw, &s) == nil {
			return s
		}
	case c == '-' || '0' <= c && c <= '9':
		return numberText(raw)
	}
	return ""
}

// numberText returns the JSON number raw as written (as json.Number
// keeps it), without surrounding white space, or "" when raw is not one
// number.
func numberText(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) || !json.Valid(raw) {
		return ""
	}
	return string(raw)
}

func fromObject(obj map[string]json.RawMessage) (code, message string) {
	first := func(keys ...string) string {
		for _, k := range keys {
			if s := str(obj[k]); s != "" {
				return s
			}
		}
		return ""
	}
	code = first("errorCode", "error-code", "code", "error")
	message = first("error_message", "errorMessage", "error-msg", "description", "errorDescription", "message")
	if message == "" {
		if raw, ok := obj["errors"]; ok {
			if s := str(raw); s != "" {
				message = s
			} else {
				var list []map[string]json.RawMessage
				if lenient.Unmarshal(raw, &list) == nil {
					c, m := fromList(list)
					message = m
					if code == "" {
						code = c
					}
				}
			}
		}
	}
	return code, message
}

func fromList(list []map[string]json.RawMessage) (code, message string) {
	var msgs []string
	for _, item := range list {
		c, m := fromObject(item)
		if code == "" {
			code = c
		}
		if m != "" {
			msgs = append(msgs, m)
		}
	}
	return code, strings.Join(msgs, "; ")
}

// Error is the error type of every failed call, read with errors.As. Its
// fields: StatusCode (0 when no response arrived), Code and Message (from
// any of the error bodies of §2.1 of the documentation, XML 401s
// included), RequestID, Method, URL (with secrets masked), Attempts,
// RetryAfter (the server's Retry-After, uncapped), Body (the start of the
// raw body, secrets masked) and Err (the underlying transport, decode or
// context error). MaybeDelivered is set when a request that is not safe to
// repeat may have reached the server (its answer was lost, or it was
// redirected) and was not sent again; Location is the target of a redirect
// that was not followed ([ErrRedirect]). A call that creates something
// reports such an outcome as an [*OutcomeUnknownError] wrapping the Error.
// Every Error matches exactly one kind sentinel with errors.Is, and context
// errors stay reachable beside it.
type Error = transport.Error

// ValidationError reports input refused before any request was sent.
type ValidationError = transport.ValidationError

// Sentinels for errors.Is.
var (
	// ErrUnauthorized: 401, also after the one new sign-in a call tries.
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrForbidden: 403, e.g. no valid contract for the product group.
	ErrForbidden = transport.ErrForbidden
	// ErrNotFound: 404 or 410.
	ErrNotFound = transport.ErrNotFound
	// ErrValidation: input refused before any request ([*ValidationError])
	// or by the server (400, 409, 413, 422).
	ErrValidation = transport.ErrValidation
	// ErrRateLimited: 429, or a client-side limit that cannot be met
	// before the context's deadline.
	ErrRateLimited = transport.ErrRateLimited
	// ErrServer: a 5xx answer.
	ErrServer = transport.ErrServer
	// ErrTransport: no answer arrived (dial, TLS, reset, timeout).
	ErrTransport = transport.ErrTransport
	// ErrDecode: a 2xx answer that is not the documented answer of the
	// method; the *Error keeps the start of its body.
	ErrDecode = transport.ErrDecode
	// ErrTooLarge: the answer's body is over the size cap.
	ErrTooLarge = transport.ErrTooLarge
	// ErrRedirect: the server answered 3xx and the redirect was not
	// followed. Only GET and HEAD follow redirects, and only to the same
	// scheme, host and port; any other request gets its 3xx back, with
	// the target in Error.Location. A call that creates something then
	// gives an [*OutcomeUnknownError]: the server saw the request.
	ErrRedirect = transport.ErrRedirect
	// ErrUnexpectedStatus: a status with no kind of its own, such as the
	// 406 True API sends when no Accept value fits.
	ErrUnexpectedStatus = transport.ErrUnexpectedStatus
)
