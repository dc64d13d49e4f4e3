package uztgs

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// Reading is one value of an archive record: one element of channel_data
// (§3.3), a one-key object such as {"T": 25.193481}.
type Reading struct {
	// Channel is the channel code exactly as the server sent it ("T",
	// "VNakpriv"); see §3.4.2 and the Channel… constants.
	Channel string
	// Value is the reading. The server sends JSON numbers (floating point
	// on its side, so float64 holds them exactly); a numeric string is
	// accepted too.
	Value float64
	// Valid is false when the server sent null or a value that is not a
	// number; Value is then 0.
	Valid bool
	// Text is the value as sent when it was not a JSON number: the
	// contents of a string (numeric or not), or the raw JSON of an object,
	// array or boolean. Nothing the server sends is dropped.
	Text string
}

// Readings are the values of one archive record in the server's order. The
// order changes from record to record (§3.3 shows T, VNakpriv, VNakwork, P
// and then P, VNakpriv, VNakwork, T), so look values up by channel code.
type Readings []Reading

// Get returns the numeric value of the channel with the given code. The
// code is matched exactly first and then ignoring ASCII case, because the
// documentation spells the same channel "Vnakpriv" (§3.4.2) and "VNakpriv"
// (§3.3). ok is false when the channel is absent or its value is not a
// number.
func (rs Readings) Get(code string) (value float64, ok bool) {
	r, found := rs.Lookup(code)
	return r.Value, found && r.Valid
}

// Lookup returns the reading with the given channel code, matched like
// [Readings.Get].
func (rs Readings) Lookup(code string) (Reading, bool) {
	for _, r := range rs {
		if r.Channel == code {
			return r, true
		}
	}
	for _, r := range rs {
		if equalFoldASCII(r.Channel, code) {
			return r, true
		}
	}
	return Reading{}, false
}

// Map returns the numeric readings keyed by channel code as sent. Prefer
// [Readings.Get] in loops: Map allocates.
func (rs Readings) Map() map[string]float64 {
	m := make(map[string]float64, len(rs))
	for _, r := range rs {
		if r.Valid {
			m[r.Channel] = r.Value
		}
	}
	return m
}

// MarshalJSON writes the readings back in the wire form: a list of
// one-key objects in order. A numeric value is written as a number, a
// non-numeric one as its Text in a JSON string, an absent one as null.
func (rs Readings) MarshalJSON() ([]byte, error) {
	if rs == nil {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 16*len(rs)+2)
	b = append(b, '[')
	for i, r := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		key, _ := json.Marshal(r.Channel)
		b = append(b, '{')
		b = append(b, key...)
		b = append(b, ':')
		switch {
		case r.Valid:
			b = strconv.AppendFloat(b, r.Value, 'g', -1, 64)
		case r.Text != "":
			t, _ := json.Marshal(r.Text)
			b = append(b, t...)
		default:
			b = append(b, "null"...)
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

var errReadings = errors.New(`channel_data: want a list of objects such as [{"T":25.19},{"P":0.99}]`)

// UnmarshalJSON decodes channel_data: a list of objects, each normally with
// one key. Objects with several keys give one reading per key, in order;
// an empty object gives none. It is written by hand because archives are
// large: it allocates the slice and nothing per reading for the channel
// codes of §3.4.2. (The client itself reads channel_data in place from
// the decoder of the whole answer, into blocks shared by a page's
// records; this method serves programs that decode Readings themselves.)
func (rs *Readings) UnmarshalJSON(b []byte) error {
	p := scanner{lenient.Scanner{B: b}}
	p.Space()
	if p.Literal("null") {
		*rs = nil
		return nil
	}
	if !p.Consume('[') {
		return errReadings
	}
	out := make(Readings, 0, estimateReadings(b))
	p.Space()
	if p.Consume(']') {
		*rs = out
		return nil
	}
	for {
		p.Space()
		if !p.Consume('{') {
			return errReadings
		}
		p.Space()
		if !p.Consume('}') {
			for {
				p.Space()
				raw, _, ok := p.RawString()
				if !ok {
					return errReadings
				}
				key, ok := str(raw)
				if !ok {
					return errReadings
				}
				p.Space()
				if !p.Consume(':') {
					return errReadings
				}
				p.Space()
				val, ok := p.value()
				if !ok {
					return errReadings
				}
				r, ok := readingOf(key, val)
				if !ok {
					return errReadings
				}
				out = append(out, r)
				p.Space()
				if p.Consume(',') {
					continue
				}
				if p.Consume('}') {
					break
				}
				return errReadings
			}
		}
		p.Space()
		if p.Consume(',') {
			continue
		}
		if p.Consume(']') {
			break
		}
		return errReadings
	}
	*rs = out
	return nil
}

// decodeReadings reads channel_data in place from dec, as
// [Readings.UnmarshalJSON] reads it from bytes, appending the readings to
// the page's current block.
func (st *decodeState) decodeReadings(dec *jsontext.Decoder, rs *Readings) error {
	switch dec.PeekKind() {
	case 'n':
		*rs = nil
		_, err := dec.ReadToken()
		return err
	case '[':
	default:
		if _, err := dec.ReadValue(); err != nil {
			return err
		}
		return errReadings
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	start := len(st.readings)
	for dec.PeekKind() != ']' {
		if dec.PeekKind() != '{' {
			// Refused, but read to the end of the list, so that the
			// record can go on (a later channel_data may replace it).
			for dec.PeekKind() != ']' {
				if err := dec.SkipValue(); err != nil {
					return err
				}
			}
			if _, err := dec.ReadToken(); err != nil {
				return err
			}
			return errReadings
		}
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != '}' {
			name, err := dec.ReadValue()
			if err != nil {
				return err
			}
			key, ok := str(name)
			if !ok {
				return errReadings
			}
			val, err := dec.ReadValue()
			if err != nil {
				return err
			}
			r, ok := readingOf(key, val)
			if !ok {
				return errReadings
			}
			st.add(r, &start)
		}
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	end := len(st.readings)
	if end == start {
		*rs = Readings{}
	} else {
		*rs = st.readings[start:end:end]
	}
	return nil
}

// estimateReadings counts the objects in b, an upper bound of the readings
// in the common one-key case.
func estimateReadings(b []byte) int {
	n := 0
	for _, c := range b {
		if c == '{' {
			n++
		}
	}
	return n
}

// knownCodes interns the channel codes of §3.4.2 (and the spellings of
// §3.3), so decoding them allocates nothing.
var knownCodes = func() map[string]string {
	m := map[string]string{"VNakwork": "VNakwork", "VNakpriv": "VNakpriv"}
	for _, c := range channelTable {
		m[c.Code] = c.Code
	}
	return m
}()

// scanner reads channel_data from bytes without copying them; it adds a
// value's extent to lenient.Scanner. The bytes need not be valid JSON:
// what is not gives an error, never a panic.
type scanner struct {
	lenient.Scanner
}

// value returns the JSON text of the value at I: a string, a number, null
// or anything else (object, array, literal) as far as Skip takes it.
func (p *scanner) value() ([]byte, bool) {
	start := p.I
	if p.I >= len(p.B) {
		return nil, false
	}
	switch c := p.B[p.I]; {
	case c == '"':
		raw, _, ok := p.RawString()
		return raw, ok
	case c == '-' || (c >= '0' && c <= '9'):
		for p.I < len(p.B) && isNumberByte(p.B[p.I]) {
			p.I++
		}
	case p.Literal("null"):
	default:
		if !p.Skip() {
			return nil, false
		}
	}
	if p.I == start {
		return nil, false // no value at all, as in {"T":}
	}
	return p.B[start:p.I], true
}

// str returns the contents of the JSON string raw (quotes included),
// unescaped as encoding/json does; channel codes come interned.
func str(raw []byte) (string, bool) {
	body := raw[1 : len(raw)-1]
	if bytes.IndexByte(body, '\\') < 0 {
		if s, ok := knownCodes[string(body)]; ok {
			return s, true
		}
		return string(body), true
	}
	var s lenient.String
	if s.UnmarshalJSON(raw) != nil {
		return "", false
	}
	return s.S, true
}

// readingOf is the reading of channel key whose value has the JSON text
// raw: a number (or a numeric string) is a value; a string, or the text
// of anything else but null, is kept in Text.
func readingOf(key string, raw []byte) (Reading, bool) {
	r := Reading{Channel: key}
	switch c := raw[0]; {
	case c == '"':
		s, ok := str(raw)
		if !ok {
			return r, false
		}
		r.Text = s
		// A numeric string is a value; "NaN" and "Inf", which ParseFloat
		// takes, are not numbers JSON can carry, so they stay text.
		if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			r.Value, r.Valid = v, true
		}
	case c == '-' || (c >= '0' && c <= '9'):
		v, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			// Out of float64 range: keep the digits.
			r.Text = string(raw)
			break
		}
		r.Value, r.Valid = v, true
	case c == 'n' && string(raw) == "null":
	default:
		r.Text = string(raw)
	}
	return r, true
}

func isNumberByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// equalFoldASCII compares channel codes ignoring ASCII case.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
