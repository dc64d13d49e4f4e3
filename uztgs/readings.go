package uztgs

import (
	"encoding/json"
	"errors"
	"github.com/steppe-sdk/steppe/internal/lenient"
	"math"
	"strconv"
	"strings"
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
// codes of §3.4.2.
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
				key, ok := p.str()
				if !ok {
					return errReadings
				}
				p.Space()
				if !p.Consume(':') {
					return errReadings
				}
				p.Space()
				r, ok := p.reading(key)
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

// scanner reads the JSON that encoding/json has already validated; it
// adds channel readings to lenient.Scanner.
type scanner struct {
	lenient.Scanner
}

// str reads a JSON string and returns its contents.
func (p *scanner) str() (string, bool) {
	raw, escaped, ok := p.RawString()
	if !ok {
		return "", false
	}
	if !escaped {
		body := raw[1 : len(raw)-1]
		if s, ok := knownCodes[string(body)]; ok {
			return s, true
		}
		return string(body), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// reading reads the value of the channel key.
func (p *scanner) reading(key string) (Reading, bool) {
	r := Reading{Channel: key}
	if p.I >= len(p.B) {
		return r, false
	}
	switch c := p.B[p.I]; {
	case c == '"':
		s, ok := p.str()
		if !ok {
			return r, false
		}
		r.Text = s
		// A numeric string is a value; "NaN" and "Inf", which ParseFloat
		// takes, are not numbers JSON can carry, so they stay text.
		if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			r.Value, r.Valid = v, true
		}
		return r, true
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.I
		for p.I < len(p.B) && isNumberByte(p.B[p.I]) {
			p.I++
		}
		v, err := strconv.ParseFloat(string(p.B[start:p.I]), 64)
		if err != nil {
			// Out of float64 range: keep the digits.
			r.Text = string(p.B[start:p.I])
			return r, true
		}
		r.Value, r.Valid = v, true
		return r, true
	case p.Literal("null"):
		return r, true
	default:
		start := p.I
		if !p.Skip() {
			return r, false
		}
		r.Text = string(p.B[start:p.I])
		return r, true
	}
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
