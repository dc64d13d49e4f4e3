package openschool

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/shopspring/decimal"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// The API is served by a Perl back end: values taken from the database are
// JSON strings ("21", "73196.3900"), computed ones are numbers (0), a missing
// value is null, and the documentation spells some keys with a capital first
// letter ("Id_task") and others without. The public types stay plain Go and
// read all of these themselves, in one pass (lenient.ReadObject): each lists
// its members' keys in the order of its fields and decodes into the fields
// directly. Identifiers stay strings, money is an exact decimal.Decimal (an
// absent amount is zero), and dates are time.Time in [Location].
//
// A member is read as encoding/json reads a struct's field: keys in any
// case, the last of a key sent twice counting (a repeated object or list
// merges into the earlier one), the first refused value ending the read.

// decoder is implemented by the pointer to each public type: it reads the
// object at dec into the value in place, merging with what is there.
type decoder[T any] interface {
	*T
	decode(dec *jsontext.Decoder) error
}

// readObject reads the object at dec, or null (nothing), into dsts.
func readObject(dec *jsontext.Decoder, keys []string, dsts ...any) error {
	_, err := lenient.ReadObject(dec, 0, keys, dsts...)
	return err
}

// unmarshal backs the public types' UnmarshalJSON, for encoding/json
// users: one pass over b, which replaces *p.
func unmarshal[T any, PT decoder[T]](b []byte, p PT) error {
	r := lenient.NewReader(b)
	defer r.Done()
	if err := unmarshalFrom(&r.Dec, p); err != nil {
		return err
	}
	return lenient.AtEOF(&r.Dec)
}

// unmarshalFrom backs the public types' UnmarshalJSONFrom, for users of
// the v2 API (github.com/go-json-experiment/json), whose decoder hands the
// value over in place. Keys match as in encoding/json whatever dec's
// options; the value replaces *p (null gives the zero value).
func unmarshalFrom[T any, PT decoder[T]](dec *jsontext.Decoder, p PT) error {
	var zero T
	*p = zero
	return p.decode(dec)
}

// object reads a member that holds one of the public types, as
// encoding/json reads a struct: null leaves it as it is.
type object[T any, PT decoder[T]] struct{ p *T }

func obj[T any, PT decoder[T]](p *T) object[T, PT] { return object[T, PT]{p} }

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (o object[T, PT]) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return PT(o.p).decode(dec) }

// orZero reads a member as encoding/json reads a pointer to a struct into
// the value it points to: null gives the zero value.
type orZero[T any, PT decoder[T]] struct{ p *T }

func nullable[T any, PT decoder[T]](p *T) orZero[T, PT] { return orZero[T, PT]{p} }

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (o orZero[T, PT]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		var zero T
		*o.p = zero
		_, err := dec.ReadToken()
		return err
	}
	return PT(o.p).decode(dec)
}

// listOf reads a list of one of the public types.
type listOf[T any, PT decoder[T]] struct{ p *[]T }

func list[T any, PT decoder[T]](p *[]T) listOf[T, PT] { return listOf[T, PT]{p} }

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (l listOf[T, PT]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return readList(dec, l.p, func(dec *jsontext.Decoder, v *T) error { return PT(v).decode(dec) })
}

// rawList reads a list kept as sent (comments).
type rawList struct{ p *[]json.RawMessage }

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (l rawList) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return readList(dec, l.p, func(dec *jsontext.Decoder, v *json.RawMessage) error {
		raw, err := dec.ReadValue()
		*v = append((*v)[:0], raw...)
		return err
	})
}

// readList reads the list at dec into *p as encoding/json reads a list
// into a slice: null gives nil, [] an empty slice, and each element is
// read into the slot of its index, over what a list sent earlier under
// the same key left there.
func readList[T any](dec *jsontext.Decoder, p *[]T, elem func(*jsontext.Decoder, *T) error) error {
	s := *p
	n := 0
	ok, err := lenient.ReadArray(dec, func(i int) error {
		switch {
		case i < len(s):
		case i < cap(s):
			s = s[:i+1]
		default:
			var zero T
			s = append(s, zero)
		}
		n = i + 1
		return elem(dec, &s[i])
	})
	switch {
	case !ok && err == nil:
		s = nil
	case n == 0 && err == nil:
		s = []T{}
	}
	*p = s[:n]
	return err
}

// kyivTime reads a date of the back end into a time.Time.
type kyivTime struct{ p *time.Time }

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (t kyivTime) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return readWith(dec, t.p, parseTime)
}

// money reads an amount into a decimal.Decimal.
type money struct{ p *decimal.Decimal }

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (m money) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return readWith(dec, m.p, parseMoney) }

// readWith reads the next value of dec with parse into *p; a value parse
// refuses leaves *p as it is.
func readWith[T any](dec *jsontext.Decoder, p *T, parse func([]byte) (T, error)) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	v, err := parse(raw)
	if err == nil {
		*p = v
	}
	return err
}

// parseMoney reads raw as lenient.Decimal does (the same values accepted
// and refused, the same decimal.Decimal to the last field; an absent amount
// is zero). The back end's own forms, plainMoney's, cost no copy of the
// text, and a zero amount no allocation.
func parseMoney(raw []byte) (decimal.Decimal, error) {
	if v, ok := plainMoney(raw); ok {
		return v, nil
	}
	var d lenient.Decimal
	err := d.UnmarshalJSON(raw)
	return d.D, err
}

// zeros holds the zero of each scale plainMoney reads ("0", "0.0", …),
// shared: a decimal.Decimal is never changed in place.
var zeros = func() (z [18]decimal.Decimal) {
	for i := range z {
		z[i] = decimal.New(0, -int32(i))
	}
	return z
}()

// plainMoney reads raw when it is a JSON number or string holding
// [+-]digits[.digits] (a number without the +) that decimal.NewFromString
// reads into an int64, 18 characters at most besides the point, and
// returns what NewFromString returns; for anything else it reports false.
func plainMoney(raw []byte) (decimal.Decimal, bool) {
	s, number := raw, true
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' {
		s, number = raw[1:n-1], false
	}
	if len(s) > 19 {
		return decimal.Decimal{}, false
	}
	first := 0 // the first digit
	if len(s) > 0 && (s[0] == '-' || s[0] == '+' && !number) {
		first = 1
	}
	var coef int64
	point := -1
	for i := first; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			coef = coef*10 + int64(c-'0')
		case c == '.' && point < 0 && i > first:
			point = i
		default:
			return decimal.Decimal{}, false
		}
	}
	// end is the end of the whole part, scale the number of digits after
	// the point, and size the length NewFromString holds to 18 (the sign
	// counts, the point does not).
	end, scale, size := len(s), 0, len(s)
	if point >= 0 {
		end, scale, size = point, len(s)-point-1, len(s)-1
	}
	switch {
	case end == first, point >= 0 && scale == 0, size > 18,
		number && s[first] == '0' && end > first+1, // JSON has no leading zeros
		scale > decimal.MaxDecodeExponent, -scale > decimal.MaxDecodeExponent:
		return decimal.Decimal{}, false
	}
	if s[0] == '-' {
		coef = -coef
	}
	if coef == 0 {
		return zeros[scale], true
	}
	return decimal.New(coef, -int32(scale)), true
}

// kyivZone places zone-less wire times in Europe/Kyiv.
type kyivZone struct{}

func (kyivZone) Location() *time.Location { return Location }

// parseTime reads raw as lenient.TimeIn[kyivZone] does (the same values
// accepted and refused; an absent date is the zero time), the back end's
// two forms, "2006-01-02 15:04:05" and "2006-01-02", without allocating.
func parseTime(raw []byte) (time.Time, error) {
	if v, ok := perlTime(raw); ok {
		return v, nil
	}
	var t lenient.TimeIn[kyivZone]
	err := t.UnmarshalJSON(raw)
	return t.T, err
}

// perlTime reads raw when it is a JSON string exactly in the form
// "2006-01-02 15:04:05" or "2006-01-02" holding a valid date and time (two
// digits to a field, no fraction), as time.ParseInLocation reads it in
// Location; for anything else it reports false.
func perlTime(raw []byte) (time.Time, bool) {
	n := len(raw) - 2
	if (n != len("2006-01-02") && n != len("2006-01-02 15:04:05")) || raw[0] != '"' || raw[n+1] != '"' {
		return time.Time{}, false
	}
	s := raw[1 : n+1]
	num := func(at, width int) int {
		v := 0
		for _, c := range s[at : at+width] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	if s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := 0, 0, 0
	if n > len("2006-01-02") {
		if s[10] != ' ' || s[13] != ':' || s[16] != ':' {
			return time.Time{}, false
		}
		hour, minute, sec = num(11, 2), num(14, 2), num(17, 2)
	}
	if year < 0 || month < 1 || month > 12 || day < 1 || day > lenient.DaysIn(year, month) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, Location), true
}

// present reads the member an answer must hold and records that it was
// sent.
type present struct {
	dst  any
	sent bool
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (p *present) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	p.sent = true
	return lenient.Read(dec, p.dst)
}

// decodeAnswer reads body, which must be one JSON object holding the
// member the documentation always shows for the action (keys[0]), in a
// single pass: the value of the member keys[i] goes into dsts[i] (see
// lenient.Read), every other member is skipped. Keys are matched as
// encoding/json matches struct fields: exactly, else without regard to
// case (the documentation capitalises some keys); of a key sent twice, the
// last counts. A body that is not an object, null included, or that lacks
// keys[0], is an error; keys[0] itself may be null or empty.
func decodeAnswer(body []byte, keys []string, dsts ...any) error {
	r := lenient.NewReader(body)
	defer r.Done()
	dec := &r.Dec
	want := keys[0]
	switch k := dec.PeekKind(); k {
	case '{':
	case 'n':
		if _, err := dec.ReadValue(); err != nil {
			return err
		}
		if err := lenient.AtEOF(dec); err != nil {
			return err
		}
		return fmt.Errorf("the answer is null, not an object holding %q", want)
	case 0:
		_, err := dec.ReadToken() // the syntax error PeekKind saw
		return err
	default:
		return fmt.Errorf("the answer is %s, not an object holding %q", lenient.KindName(k), want)
	}
	first := &present{dst: dsts[0]}
	dsts[0] = first
	if _, err := lenient.ReadObject(dec, 0, keys, dsts...); err != nil {
		return err
	}
	if err := lenient.AtEOF(dec); err != nil {
		return err
	}
	if !first.sent {
		return fmt.Errorf("the answer has no %q member", want)
	}
	return nil
}

// errorKeys are the members an error body's message is taken from, in
// order of preference.
var errorKeys = [...]string{"error", "message", "Error", "Message"}

// errorMessage reads an error body in one pass. When body is JSON null or
// a JSON object, ok is true and msg is the string (null reads as "") under
// the first of errorKeys that holds one, else "". Keys match exactly; of a
// key sent twice, the last counts. Any other body gives ok false.
func errorMessage(body []byte) (msg string, ok bool) {
	r := lenient.NewReader(body)
	defer r.Done()
	dec := &r.Dec
	switch dec.PeekKind() {
	case 'n':
		if _, err := dec.ReadValue(); err != nil || lenient.AtEOF(dec) != nil {
			return "", false
		}
		return "", true
	case '{':
	default:
		return "", false
	}
	if _, err := dec.ReadToken(); err != nil {
		return "", false
	}
	var found [len(errorKeys)]struct {
		msg string
		ok  bool
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return "", false
		}
		key := lenient.Unquote(name)
		i := -1
		for j, k := range errorKeys {
			if string(key) == k {
				i = j
				break
			}
		}
		val, err := dec.ReadValue()
		if err != nil {
			return "", false
		}
		if i < 0 {
			continue
		}
		switch val.Kind() {
		case '"':
			s, _ := jsontext.AppendUnquote(nil, val) // invalid UTF-8 is replaced, as encoding/json does
			found[i].msg, found[i].ok = string(s), true
		case 'n':
			found[i].msg, found[i].ok = "", true
		default:
			found[i].msg, found[i].ok = "", false
		}
	}
	if _, err := dec.ReadToken(); err != nil || lenient.AtEOF(dec) != nil {
		return "", false
	}
	for _, f := range found {
		if f.ok {
			return f.msg, true
		}
	}
	return "", true
}
