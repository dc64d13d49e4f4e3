package trueapi

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Checks of an answer's outer shape, shared by the decoders: a 2xx answer
// that is not the documented shape is an error matching ErrDecode (for a
// call that creates something, an [*OutcomeUnknownError]), never an empty
// success.

// jsonObject decodes body, which must be a JSON object, into v. JSON null,
// an array, a string or an empty answer is refused.
func jsonObject(body []byte, v any) error {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return errors.New("the answer is empty, not a JSON object")
	}
	if b[0] != '{' {
		return errors.New("the answer is not a JSON object")
	}
	return json.Unmarshal(b, v)
}

// isNull reports whether b is JSON null (or nothing but white space).
func isNull(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || string(b) == "null"
}

// errNullList is the cause of an answer that is null, or empty, where the
// documentation gives a list: an empty list is [], and null is not one.
var errNullList = errors.New("the answer is null where a list is documented")

// notNull refuses an answer that is JSON null or empty where the
// documentation gives a list or an object holding one.
func notNull(body []byte) error {
	if isNull(body) {
		return errNullList
	}
	return nil
}

// wireList is a list member of an answer that the documentation requires:
// JSON null in its place is refused (errNullList), and Set reports whether
// the member was there at all.
type wireList[T any] struct {
	Items []T
	Set   bool
}

// UnmarshalJSON implements [json.Unmarshaler].
func (l *wireList[T]) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return errNullList
	}
	l.Set = true
	return json.Unmarshal(b, &l.Items)
}

// require refuses a missing member named name.
func (l *wireList[T]) require(name string) error {
	if !l.Set {
		return errors.New("the answer has no " + name + " list")
	}
	return nil
}
