package lenient

import (
	"errors"
	"strconv"
)

// Int is a 64-bit integer that may arrive as a JSON number or string.
//
// UnmarshalJSON accepts an integer literal without fraction or exponent,
// either as a JSON number (21, -1) or inside a JSON string ("21", "-1",
// "+7"). null, "" and "undef" make the value absent. Anything else, such as
// "abc", 1.5, 1e3, true or a value outside the int64 range, is an error; in
// the last case the error wraps [strconv.ErrRange].
//
// MarshalJSON writes a JSON number, or null when absent.
type Int struct {
	// N is the decoded integer; it is 0 when Valid is false.
	N int64
	// Valid is true when a value was present.
	Valid bool
}

const intWant = "an integer as a number or string, or " + absentForms

// UnmarshalJSON implements [json.Unmarshaler].
func (n *Int) UnmarshalJSON(raw []byte) error {
	t := scan(raw)
	if t.absent() {
		*n = Int{}
		return nil
	}
	if t.kind != kindNumber && t.kind != kindString {
		return decodeError("Int", raw, intWant, nil)
	}
	v, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		var cause error
		if errors.Is(err, strconv.ErrRange) {
			cause = strconv.ErrRange
		}
		return decodeError("Int", raw, intWant, cause)
	}
	*n = Int{N: v, Valid: true}
	return nil
}

// MarshalJSON implements [json.Marshaler].
func (n Int) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, n.N, 10), nil
}
