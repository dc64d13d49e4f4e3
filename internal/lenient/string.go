package lenient

import "encoding/json"

// String is a JSON string that also accepts numbers and booleans.
//
// UnmarshalJSON accepts:
//   - a JSON string, stored unescaped; "" and "undef" are kept as they are,
//     since they can be legitimate text;
//   - a JSON number, stored as its literal text, so 21 gives "21" and 1.50
//     gives "1.50";
//   - true or false, stored as "true" or "false";
//   - null, which makes the value absent.
//
// MarshalJSON writes a JSON string, or null when absent.
type String struct {
	// S is the decoded text; it is "" when Valid is false.
	S string
	// Valid is true when a value was present.
	Valid bool
}

const stringWant = "a string, number or boolean, or null"

// UnmarshalJSON implements [json.Unmarshaler].
func (s *String) UnmarshalJSON(raw []byte) error {
	switch t := scan(raw); t.kind {
	case kindNull:
		*s = String{}
	case kindString, kindNumber, kindBool:
		*s = String{S: t.text, Valid: true}
	default:
		return decodeError("String", raw, stringWant, nil)
	}
	return nil
}

// MarshalJSON implements [json.Marshaler].
func (s String) MarshalJSON() ([]byte, error) {
	if !s.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(s.S)
}
