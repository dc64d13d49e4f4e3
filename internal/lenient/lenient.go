package lenient

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxExcerpt is the number of bytes of a rejected value quoted in errors.
const maxExcerpt = 64

// absentForms is the list of absent forms shared by the error messages of the
// types that accept all of them.
const absentForms = `null, "" or "undef"`

// IsAbsent reports whether raw, ignoring surrounding JSON whitespace, is one
// of the JSON values that mean "no value": null, the empty string "" or the
// string "undef".
func IsAbsent(raw []byte) bool {
	return scan(raw).absent()
}

// DecodeError reports a JSON value that a lenient type does not accept.
type DecodeError struct {
	// Type is the name of the lenient type, such as "Int".
	Type string
	// Value is the received JSON text without surrounding whitespace,
	// shortened to about 64 bytes (cut at a UTF-8 boundary and marked with
	// "..." and the full length) when longer.
	Value string
	// Want describes the accepted forms.
	Want string
	// Err is the underlying cause, such as [strconv.ErrRange], or nil.
	Err error
}

// Error returns a message of the form
// `lenient: cannot decode Int from "abc": want ...`.
func (e *DecodeError) Error() string {
	value := e.Value
	if value == "" {
		value = "empty input"
	}
	msg := "lenient: cannot decode " + e.Type + " from " + value + ": want " + e.Want
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns e.Err.
func (e *DecodeError) Unwrap() error {
	return e.Err
}

// decodeError builds a *DecodeError for raw.
func decodeError(typ string, raw []byte, want string, err error) *DecodeError {
	return &DecodeError{Type: typ, Value: excerpt(string(trimSpace(raw))), Want: want, Err: err}
}

// excerpt shortens s to at most maxExcerpt bytes without splitting a UTF-8
// sequence, noting the full length, and replaces invalid UTF-8.
func excerpt(s string) string {
	if len(s) > maxExcerpt {
		cut := maxExcerpt
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "... (" + strconv.Itoa(len(s)) + " bytes)"
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// kind classifies a JSON value.
type kind uint8

const (
	kindInvalid kind = iota // not a JSON scalar: object, array or malformed
	kindNull
	kindBool
	kindNumber
	kindString
)

// token is a JSON scalar taken apart.
type token struct {
	kind kind
	// text is the unescaped contents of a string, the literal text of a
	// number, or "true"/"false".
	text string
}

// absent reports whether t is null, "" or "undef".
func (t token) absent() bool {
	switch t.kind {
	case kindNull:
		return true
	case kindString:
		return t.text == "" || t.text == "undef"
	default:
		return false
	}
}

// trimSpace removes the whitespace JSON allows around a value.
func trimSpace(raw []byte) []byte {
	return bytes.Trim(raw, " \t\r\n")
}

// scan classifies raw and extracts its text. It validates its input, so it is
// safe for UnmarshalJSON methods called directly rather than by
// encoding/json.
func scan(raw []byte) token {
	b := trimSpace(raw)
	if len(b) == 0 {
		return token{}
	}
	switch c := b[0]; {
	case c == 'n':
		if string(b) == "null" {
			return token{kind: kindNull}
		}
	case c == 't' || c == 'f':
		if s := string(b); s == "true" || s == "false" {
			return token{kind: kindBool, text: s}
		}
	case c == '"':
		if s, ok := Text(b); ok {
			return token{kind: kindString, text: s}
		}
		var s string
		if json.Unmarshal(b, &s) == nil {
			return token{kind: kindString, text: s}
		}
	case c == '-' || ('0' <= c && c <= '9'):
		if json.Valid(b) {
			return token{kind: kindNumber, text: string(b)}
		}
	}
	return token{}
}
