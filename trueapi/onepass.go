package trueapi

import (
	"encoding/json"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// Readers of answers in one pass. An answer is decoded once, by the
// decoder of encoding/json/v2 (github.com/go-json-experiment/json) under
// encoding/json's rules ([lenient.Unmarshal]). The records of the bulk
// calls (cises/info, cises/list) and the aggregates read their members
// straight from its [jsontext.Decoder] (see [unmarshalFrom]), each value
// parsed where it lies and copied only when it is kept; pages and lists
// elsewhere decode their members in place (UnmarshalJSONFrom) rather than
// reading them out and decoding them again, and answers of several
// shapes are told apart by their first byte, not by a decode that fails.
// The helpers below take one JSON value as the decoder returns it (valid,
// without surrounding white space) and read it as the lenient types do,
// without allocating for the usual forms.

// syntaxV1 are the syntax rules of encoding/json: duplicate member names
// and invalid UTF-8 are let through (the lenient readers replace invalid
// UTF-8 with U+FFFD, as encoding/json does).
var syntaxV1 = jsonv2.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

// unmarshalFrom decodes data into v, whose UnmarshalJSONFrom reads the
// whole value itself, in one pass. [lenient.Unmarshal] would first check
// the whole input (encoding/json's order of errors) and then decode it;
// for a reader of its own that check is a second pass with nothing to
// gain: malformed input is an error either way.
func unmarshalFrom(data []byte, v jsonv2.UnmarshalerFrom) error {
	return jsonv2.Unmarshal(data, v, syntaxV1)
}

// wireString reads raw as [lenient.String] does (a string, a number or a
// boolean as its text; null as ""), reporting false for a value it
// refuses (an object or an array).
func wireString(raw []byte) (string, bool) {
	if s, ok := lenient.Text(raw); ok {
		return s, true
	}
	var s lenient.String
	if s.UnmarshalJSON(raw) != nil {
		return "", false
	}
	return s.S, true
}

// texts holds one copy of each text read through it: the members of a
// list answer that repeat from record to record (a product's GTIN, name
// and group, the owner, the producer, a status) are stored once, which
// spares an allocation per member and record. A nil texts stores nothing;
// a full one (maxTexts) stores nothing more.
type texts map[string]string

// string reads raw as [wireString] does, returning the stored copy of a
// text seen before.
func (t texts) string(raw []byte) (string, bool) {
	if t == nil {
		return wireString(raw)
	}
	n := len(raw)
	if n < 2 || raw[0] != '"' || raw[n-1] != '"' || !lenient.Plain(raw[1:n-1]) {
		return wireString(raw) // not a plain string: rare, not stored
	}
	inner := raw[1 : n-1]
	if s, ok := t[string(inner)]; ok {
		return s, true
	}
	s := string(inner)
	if len(t) < maxTexts {
		t[s] = s
	}
	return s, true
}

// maxTexts bounds a texts: an answer whose members do not repeat stops
// filling it.
const maxTexts = 512

// wireInt reads raw as [lenient.Int] does (an integer as a number or a
// string; null, "" and "undef" as 0), reporting false for a value it
// refuses.
func wireInt(raw []byte) (int64, bool) {
	if len(raw) > 0 && (raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9') {
		if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return n, true
		}
	}
	var n lenient.Int
	if n.UnmarshalJSON(raw) != nil {
		return 0, false
	}
	return n.N, true
}

// wireStrings reads raw as encoding/json reads a []string: null is nil,
// [] an empty list, a null element "", and any other value is refused.
func wireStrings(raw []byte) ([]string, bool) {
	p := lenient.Scanner{B: raw}
	p.Space()
	if p.Literal("null") {
		return nil, true
	}
	if !p.Consume('[') {
		return nil, false
	}
	var (
		buf  [8]string
		list = buf[:0]
	)
	p.Space()
	if !p.Consume(']') {
		for {
			p.Space()
			switch {
			case p.Literal("null"):
				list = append(list, "")
			default:
				s, _, ok := p.RawString()
				if !ok {
					return nil, false
				}
				if text, ok := lenient.Text(s); ok {
					list = append(list, text)
					break
				}
				var text string
				if lenient.Unmarshal(s, &text) != nil {
					return nil, false
				}
				list = append(list, text)
			}
			p.Space()
			if p.Consume(',') {
				continue
			}
			if p.Consume(']') {
				break
			}
			return nil, false
		}
	}
	return append(make([]string, 0, len(list)), list...), true
}

// memberKey returns the text of name, a JSON object member's name as the
// decoder returns it (quotes included), unescaped as encoding/json does
// (invalid UTF-8 becomes U+FFFD).
func memberKey(name []byte) string {
	if s, ok := lenient.Text(name); ok {
		return s
	}
	var s string
	if lenient.Unmarshal(name, &s) != nil {
		return string(name)
	}
	return s
}

// foldMember returns the index of the key in keys that key equals
// without regard to case (the matching encoding/json falls back to), or
// -1.
func foldMember(keys []string, key string) int {
	for i, k := range keys {
		if strings.EqualFold(key, k) {
			return i
		}
	}
	return -1
}

// keepMember stores a copy of the value raw under key in *extra, making
// the map on first use.
func keepMember(extra *map[string]json.RawMessage, key string, raw []byte) {
	if *extra == nil {
		*extra = make(map[string]json.RawMessage)
	}
	(*extra)[key] = append(json.RawMessage(nil), raw...)
}

// readObjectStart reads the '{' that opens an object.
func readObjectStart(dec *jsontext.Decoder) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '{' {
		return lenient.ErrNotObject
	}
	return nil
}

// firstByte returns the first byte of b that is not JSON white space, or
// 0: it tells an array from an object before anything is decoded.
func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return c
		}
	}
	return 0
}
