package lenient

import (
	"errors"
	"strconv"

	"github.com/shopspring/decimal"
)

// Decimal is an exact decimal number that may arrive as a JSON number or
// string. It is backed by [decimal.Decimal] and never passes through float64.
//
// UnmarshalJSON accepts a decimal literal, optionally signed and with an
// optional fraction and exponent, either as a JSON number (254141.04, 0,
// -1.5e3) or inside a JSON string ("254141.0400", "17185.1"). null, "" and
// "undef" make the value absent. Anything else, such as "abc", "1,5", " 1" or
// true, is an error. The scale is kept as received: "73196.3900" holds four
// decimal places, which [Decimal.String] and MarshalJSON reproduce.
//
// MarshalJSON writes the [Decimal.String] form as a JSON string, which keeps
// it exact for consumers that parse JSON numbers as floats, or null when
// absent.
type Decimal struct {
	// D is the decoded number; it is zero when Valid is false.
	D decimal.Decimal
	// Valid is true when a value was present.
	Valid bool
}

const decimalWant = "a decimal number as a number or string, or " + absentForms

// errExponent reports an exponent beyond what the decimal package accepts.
var errExponent = errors.New("exponent out of range")

// UnmarshalJSON implements [json.Unmarshaler].
func (d *Decimal) UnmarshalJSON(raw []byte) error {
	t := scan(raw)
	if t.absent() {
		*d = Decimal{}
		return nil
	}
	if (t.kind != kindNumber && t.kind != kindString) || !isDecimalLiteral(t.text) {
		return decodeError("Decimal", raw, decimalWant, nil)
	}
	v, err := decimal.NewFromString(t.text)
	if err != nil {
		// The syntax is already checked, so only the exponent can be at fault.
		return decodeError("Decimal", raw, decimalWant, errExponent)
	}
	*d = Decimal{D: v, Valid: true}
	return nil
}

// String returns the number in plain notation with as many fractional digits
// as were received ("73196.3900" stays "73196.3900"; "1.5e3" becomes "1500"),
// or "" when absent.
func (d Decimal) String() string {
	if !d.Valid {
		return ""
	}
	return d.D.StringFixed(max(0, -d.D.Exponent()))
}

// MarshalJSON implements [json.Marshaler].
func (d Decimal) MarshalJSON() ([]byte, error) {
	if !d.Valid {
		return []byte("null"), nil
	}
	return strconv.AppendQuote(nil, d.String()), nil
}

// isDecimalLiteral reports whether s matches
// [+-]? digits ( "." digits )? ( [eE] [+-]? digits )?.
func isDecimalLiteral(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	i, ok := digits(s, i)
	if !ok {
		return false
	}
	if i < len(s) && s[i] == '.' {
		if i, ok = digits(s, i+1); !ok {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i, ok = digits(s, i); !ok {
			return false
		}
	}
	return i == len(s)
}

// digits skips the ASCII digits of s starting at i and reports whether there
// was at least one.
func digits(s string, i int) (int, bool) {
	start := i
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i, i > start
}
