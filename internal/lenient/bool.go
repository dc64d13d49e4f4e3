package lenient

// Bool is a boolean that may arrive as a JSON boolean, number or string.
//
// UnmarshalJSON accepts true and false, the numbers 1 and 0, and the strings
// "1", "0", "true" and "false" (lower case only). null, "" and "undef" make
// the value absent. Anything else, such as 2, "yes" or "TRUE", is an error.
//
// MarshalJSON writes true or false, or null when absent.
type Bool struct {
	// B is the decoded boolean; it is false when Valid is false.
	B bool
	// Valid is true when a value was present.
	Valid bool
}

const boolWant = `true, false, 1, 0, "1", "0", "true" or "false", or ` + absentForms

// UnmarshalJSON implements [json.Unmarshaler].
func (b *Bool) UnmarshalJSON(raw []byte) error {
	t := scan(raw)
	if t.absent() {
		*b = Bool{}
		return nil
	}
	if t.kind != kindInvalid {
		switch t.text {
		case "1", "true":
			*b = Bool{B: true, Valid: true}
			return nil
		case "0", "false":
			*b = Bool{B: false, Valid: true}
			return nil
		}
	}
	return decodeError("Bool", raw, boolWant, nil)
}

// MarshalJSON implements [json.Marshaler].
func (b Bool) MarshalJSON() ([]byte, error) {
	switch {
	case !b.Valid:
		return []byte("null"), nil
	case b.B:
		return []byte("true"), nil
	default:
		return []byte("false"), nil
	}
}
