package uchet

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// Code is an error code of the API's {"detail":{"code","message"}} body.
type Code string

// Error codes of the documentation ("Возможные ошибки"). Other codes are
// kept as they come.
const (
	// CodeIINBINValidation: iin_bin is missing or not a valid IIN/BIN.
	CodeIINBINValidation Code = "iin_bin_validation_error"
	// CodeNotFound: the company is not in the Проверка Контрагента base.
	CodeNotFound Code = "not_found"
	// CodeToken: the token is missing or wrong.
	CodeToken Code = "token_error"
)

// String returns the code as sent.
func (c Code) String() string { return string(c) }

// Sentinels of the documented codes, for errors.Is.
var (
	ErrIINBINValidation = errors.New("uchet: " + string(CodeIINBINValidation))
	ErrCompanyNotFound  = errors.New("uchet: " + string(CodeNotFound))
	ErrToken            = errors.New("uchet: " + string(CodeToken))
)

// APIError is an error the API reported in its body,
// {"detail":{"code":"…","message":"…"}}, whatever the HTTP status (the
// documentation does not give one). errors.Is matches the code's sentinel
// ([ErrToken], [ErrCompanyNotFound], [ErrIINBINValidation]) and the
// matching transport kind ([ErrUnauthorized], [ErrNotFound],
// [ErrValidation]); errors.As reaches the [*Error] with the request's
// details through Err.
type APIError struct {
	Code       Code   // detail.code, as sent (unknown codes included)
	Message    string // detail.message
	StatusCode int    // the HTTP status of the answer
	Err        error  // the transport's *Error for the answer
}

// Error describes the failure; it never holds the token.
func (e *APIError) Error() string {
	s := "uchet: " + string(e.Code)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.StatusCode != 0 {
		s += " (HTTP " + http.StatusText(e.StatusCode) + ")"
	}
	return s
}

// Unwrap returns the transport error.
func (e *APIError) Unwrap() error { return e.Err }

// Is matches the sentinel of the code and its transport kind.
func (e *APIError) Is(target error) bool {
	switch e.Code {
	case CodeToken:
		return target == ErrToken || target == ErrUnauthorized
	case CodeNotFound:
		return target == ErrCompanyNotFound || target == ErrNotFound
	case CodeIINBINValidation:
		return target == ErrIINBINValidation || target == ErrValidation
	}
	return false
}

// detail reads an error detail from a body: ok when the body is an object
// with a "detail" member (matched as encoding/json matches a struct field:
// exactly, else without regard to case). The documented detail is
// {"code","message"}; FastAPI's own errors send "detail" as a string (its
// text is the message) or a list (its JSON text is the message).
func detail(body []byte) (code Code, message string, ok bool) {
	if len(body) == 0 || body[0] != '{' || !bytes.Contains(body, []byte(`"detail"`)) {
		// Not an object, or no detail key (as FastAPI writes it): the
		// common case, which needs no parse of the body.
		return "", "", false
	}
	var b struct {
		Detail jsontext.Value `json:"detail"`
	}
	if lenient.Unmarshal(body, &b) != nil || len(b.Detail) == 0 {
		return "", "", false
	}
	switch b.Detail.Kind() {
	case '{':
		var d struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if lenient.Unmarshal(b.Detail, &d) == nil && d.Code != "" {
			return Code(d.Code), d.Message, true
		}
	case '"', 'n':
		var text string
		if lenient.Unmarshal(b.Detail, &text) == nil {
			return "", text, true
		}
	}
	return "", string(b.Detail), true
}

// parseError fills the transport error's Code and Message from a non-2xx
// body.
func parseError(_ int, _ http.Header, body []byte) (code, message string) {
	c, m, _ := detail(body)
	return string(c), m
}
