package lenient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Member is one documented member of a JSON object: its key, the other
// keys it may be sent under (in order of preference after Key), and the
// value it decodes into.
type Member struct {
	Key     string
	Aliases []string
	Dst     json.Unmarshaler
}

// keyAt returns the member's key of rank r (0 is Key) and whether there is
// one.
func (m *Member) keyAt(r int) (string, bool) {
	if r == 0 {
		return m.Key, true
	}
	if r-1 < len(m.Aliases) {
		return m.Aliases[r-1], true
	}
	return "", false
}

// ErrNotObject is returned by [DecodeObject] for input that is not one JSON
// object.
var ErrNotObject = errors.New("want a JSON object")

// DecodeObject decodes the JSON object b in one pass over its bytes: the
// value of each member into its Dst, and every other member, as sent, into
// the map it returns (nil when there is none), so that nothing the server
// sends is dropped. It replaces a decode into map[string]json.RawMessage
// followed by a decode of each value, which reads the answer twice.
//
//   - A key names a member when it equals one of the member's keys or, as
//     encoding/json matches struct fields, equals it without regard to
//     case. Of a key sent twice, the last value counts.
//   - When a member is sent under several of its keys, the first key (Key,
//     then Aliases in order) whose value is not absent (see [IsAbsent]) is read, and
//     the others are kept in the map.
//   - A value its Dst refuses is an error naming the key, unless
//     keepRefused is set: then the value is kept in the map instead.
//
// JSON null decodes to nothing. b is normally JSON that encoding/json has
// validated (the argument of an UnmarshalJSON); other bytes give an error,
// never a panic.
func DecodeObject(b []byte, members []Member, keepRefused bool) (map[string]json.RawMessage, error) {
	p := Scanner{B: b}
	p.Space()
	if p.Literal("null") {
		p.Space()
		if p.I != len(b) {
			return nil, ErrNotObject
		}
		return nil, nil
	}
	if !p.Consume('{') {
		return nil, ErrNotObject
	}
	type pick struct {
		key  string
		rank int
		val  []byte
	}
	var (
		picks [16]pick
		chose = picks[:0]
		extra map[string]json.RawMessage
	)
	if len(members) > len(picks) {
		chose = make([]pick, 0, len(members))
	}
	chose = chose[:len(members)]
	for i := range chose {
		chose[i] = pick{rank: -1}
	}
	keep := func(key string, val []byte) {
		if extra == nil {
			extra = make(map[string]json.RawMessage)
		}
		extra[key] = append(json.RawMessage(nil), val...)
	}
	p.Space()
	if !p.Consume('}') {
		for {
			p.Space()
			raw, escaped, ok := p.RawString()
			if !ok {
				return nil, ErrNotObject
			}
			p.Space()
			if !p.Consume(':') {
				return nil, ErrNotObject
			}
			p.Space()
			start := p.I
			if !p.Skip() || p.I == start {
				return nil, ErrNotObject
			}
			val := b[start:p.I]
			m, rank, key, ok := lookup(members, raw, escaped)
			if !ok {
				return nil, ErrNotObject
			}
			if m < 0 {
				keep(key, val)
			} else {
				c := &chose[m]
				switch {
				case c.rank < 0 || c.rank == rank:
					*c = pick{key, rank, val} // first, or sent again: the last counts
				case better(rank, val, c.rank, c.val):
					keep(c.key, c.val)
					*c = pick{key, rank, val}
				default:
					keep(key, val)
				}
			}
			p.Space()
			if p.Consume(',') {
				continue
			}
			if p.Consume('}') {
				break
			}
			return nil, ErrNotObject
		}
	}
	p.Space()
	if p.I != len(b) {
		return nil, ErrNotObject
	}
	for i, c := range chose {
		if c.rank < 0 {
			continue
		}
		if err := members[i].Dst.UnmarshalJSON(c.val); err != nil {
			if !keepRefused {
				return nil, fmt.Errorf("%s: %w", c.key, err)
			}
			keep(c.key, c.val)
		}
	}
	return extra, nil
}

// better reports whether the value under the key of rank r should be read
// instead of the one under rank old: a value that is not absent beats an
// absent one, and otherwise the earlier key wins.
func better(r int, val []byte, old int, oldVal []byte) bool {
	absent, oldAbsent := IsAbsent(val), IsAbsent(oldVal)
	if absent != oldAbsent {
		return oldAbsent
	}
	return r < old
}

// lookup finds the member a key names and the rank of the key among the
// member's keys, or -1 and the key as a string. raw is the key as sent,
// quotes included. An exact match of an unescaped key, the usual case,
// allocates nothing.
func lookup(members []Member, raw []byte, escaped bool) (m, rank int, key string, ok bool) {
	body := raw[1 : len(raw)-1]
	if !escaped && !utf8.Valid(body) {
		escaped = true // encoding/json reads invalid UTF-8 as U+FFFD
	}
	if escaped {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return -1, -1, "", false
		}
		key, body = s, []byte(s)
	}
	for i := range members {
		for r := 0; ; r++ {
			k, more := members[i].keyAt(r)
			if !more {
				break
			}
			if string(body) == k {
				return i, r, k, true
			}
		}
	}
	if !escaped {
		key = string(body)
	}
	for i := range members {
		for r := 0; ; r++ {
			k, more := members[i].keyAt(r)
			if !more {
				break
			}
			if strings.EqualFold(key, k) {
				return i, r, key, true
			}
		}
	}
	return -1, -1, key, true
}

// Scanner reads JSON that has already been validated (the argument of an
// UnmarshalJSON) without copying it: B is the text, I the position.
// Methods that fail return false and leave I where the failure was.
type Scanner struct {
	B []byte
	I int
}

// Space skips JSON white space.
func (p *Scanner) Space() {
	for p.I < len(p.B) {
		switch p.B[p.I] {
		case ' ', '\t', '\n', '\r':
			p.I++
		default:
			return
		}
	}
}

// Consume steps over c if it is next.
func (p *Scanner) Consume(c byte) bool {
	if p.I < len(p.B) && p.B[p.I] == c {
		p.I++
		return true
	}
	return false
}

// Literal steps over s if it is next.
func (p *Scanner) Literal(s string) bool {
	if bytes.HasPrefix(p.B[p.I:], []byte(s)) {
		p.I += len(s)
		return true
	}
	return false
}

// RawString returns the bytes of the string starting at I, quotes
// included, and whether it holds escapes.
func (p *Scanner) RawString() (raw []byte, escaped, ok bool) {
	if !p.Consume('"') {
		return nil, false, false
	}
	start := p.I - 1
	for p.I < len(p.B) {
		switch p.B[p.I] {
		case '\\':
			escaped = true
			p.I += 2
			continue
		case '"':
			p.I++
			return p.B[start:p.I], escaped, true
		}
		p.I++
	}
	return nil, false, false
}

// Skip steps over one value of any kind.
func (p *Scanner) Skip() bool {
	depth := 0
	for p.I < len(p.B) {
		c := p.B[p.I]
		if depth == 0 && (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			return true
		}
		switch c {
		case '"':
			if _, _, ok := p.RawString(); !ok {
				return false
			}
			if depth == 0 {
				return true
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				p.I++
				return true
			}
		}
		p.I++
	}
	return depth == 0
}
