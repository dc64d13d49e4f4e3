package uztgs

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// member is one documented member of an item of a view: its key and the
// value it decodes into.
type member struct {
	key string
	dst json.Unmarshaler
}

var errObject = errors.New("want a JSON object")

// decodeObject decodes the JSON object b in one pass: the value of each
// documented member into its dst, and every other member, as sent, into
// the map it returns (nil when there is none), so that nothing the server
// sends is dropped. A key names a member when it equals the member's key
// or, as encoding/json matches struct fields, equals it without regard to
// case; of a key that appears twice, the last value counts, as in
// encoding/json. JSON null decodes to nothing. A value that its dst
// refuses is an error naming the key.
//
// b is normally JSON that encoding/json has validated (the argument of an
// UnmarshalJSON); other bytes give an error, never a panic.
func decodeObject(b []byte, members []member) (map[string]json.RawMessage, error) {
	p := scanner{b: b}
	p.space()
	if p.literal("null") {
		p.space()
		if p.i != len(b) {
			return nil, errObject
		}
		return nil, nil
	}
	if !p.consume('{') {
		return nil, errObject
	}
	var extra map[string]json.RawMessage
	p.space()
	if !p.consume('}') {
		for {
			p.space()
			raw, escaped, ok := p.rawString()
			if !ok {
				return nil, errObject
			}
			p.space()
			if !p.consume(':') {
				return nil, errObject
			}
			p.space()
			start := p.i
			if !p.skip() || p.i == start {
				return nil, errObject
			}
			val := b[start:p.i]
			var key string
			if escaped {
				if key, ok = unquote(raw); !ok {
					return nil, errObject
				}
			}
			m, key := lookupMember(members, raw[1:len(raw)-1], key, escaped)
			if m != nil {
				if err := m.dst.UnmarshalJSON(val); err != nil {
					return nil, fmt.Errorf("%s: %w", m.key, err)
				}
			} else {
				if extra == nil {
					extra = make(map[string]json.RawMessage)
				}
				extra[key] = append(json.RawMessage(nil), val...)
			}
			p.space()
			if p.consume(',') {
				continue
			}
			if p.consume('}') {
				break
			}
			return nil, errObject
		}
	}
	p.space()
	if p.i != len(b) {
		return nil, errObject
	}
	return extra, nil
}

// unquote decodes a JSON string that holds escapes.
func unquote(raw []byte) (string, bool) {
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err == nil
}

// lookupMember returns the member a key names, or nil and the key as a
// string. body is the key as sent (between its quotes), key its decoded
// form when it holds escapes. An exact match, the usual case, allocates
// nothing.
func lookupMember(members []member, body []byte, key string, escaped bool) (*member, string) {
	if !escaped {
		for i := range members {
			if string(body) == members[i].key {
				return &members[i], members[i].key
			}
		}
		key = string(body)
	} else {
		for i := range members {
			if key == members[i].key {
				return &members[i], key
			}
		}
	}
	for i := range members {
		if strings.EqualFold(key, members[i].key) {
			return &members[i], key
		}
	}
	return nil, key
}
