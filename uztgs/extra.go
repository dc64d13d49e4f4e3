package uztgs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// member is one documented member of an item of a view: its key and the
// value it decodes into, which reads its JSON value in place from the
// decoder (the lenient types, [num], the readings of a record).
type member struct {
	key string
	dst interface {
		UnmarshalJSONFrom(*jsontext.Decoder) error
	}
}

// errNotObject refuses an item of a view that is not a JSON object (or
// null).
var errNotObject = errors.New("want a JSON object")

// decodeObject reads the JSON object at dec in one pass: the value of each
// documented member into its dst, as the decoder reaches it, and every
// other member, as sent, into the map it returns (nil when there is none),
// so that nothing the server sends is dropped. It replaces reading the
// object's bytes first and walking them again.
//
// A key names a member when it equals the member's key or, as
// encoding/json matches struct fields, equals it without regard to case;
// of a key that appears twice, the last value counts, also when an earlier
// one was refused. JSON null decodes to nothing. A value that its dst
// refuses is an error naming the key (of the first such member in the
// order of members).
//
// An exact key without escapes, the usual case, allocates nothing; a kept
// member costs its key and a copy of its value (the decoder's buffer is
// reused).
func decodeObject(dec *jsontext.Decoder, members []member) (map[string]json.RawMessage, error) {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		return nil, err
	case '{':
	default:
		if _, err := dec.ReadValue(); err != nil {
			return nil, err
		}
		return nil, errNotObject
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	var (
		extra   map[string]json.RawMessage
		buf     [8]error
		refused = buf[:] // by member: the refusal of its last value
	)
	if len(members) > len(buf) {
		refused = make([]error, len(members))
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		m, key := lookup(members, name)
		if m < 0 {
			val, err := dec.ReadValue()
			if err != nil {
				return nil, err
			}
			if extra == nil {
				extra = make(map[string]json.RawMessage)
			}
			extra[key] = bytes.Clone(val)
			continue
		}
		depth := dec.StackDepth()
		_, length := dec.StackIndex(depth)
		refused[m] = members[m].dst.UnmarshalJSONFrom(dec)
		if refused[m] != nil {
			if _, now := dec.StackIndex(depth); dec.StackDepth() != depth || now != length+1 {
				return nil, fmt.Errorf("%s: %w", key, refused[m]) // not read to its end: cannot go on
			}
			refused[m] = fmt.Errorf("%s: %w", key, refused[m])
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	for _, err := range refused[:len(members)] {
		if err != nil {
			return nil, err
		}
	}
	return extra, nil
}

// lookup returns the index of the member a key names (-1 when none) and
// the key as a string: the member's own key for an exact match, else the
// key as sent, unescaped. name is the key's JSON text, quotes included, as
// the decoder has validated it.
func lookup(members []member, name []byte) (int, string) {
	body := name[1 : len(name)-1]
	escaped := bytes.IndexByte(body, '\\') >= 0 || !utf8.Valid(body)
	var key string
	if escaped {
		// encoding/json's reading of the key: escapes resolved, invalid
		// UTF-8 replaced by U+FFFD.
		var s lenient.String
		_ = s.UnmarshalJSON(name)
		key = s.S
	} else {
		for i := range members {
			if string(body) == members[i].key {
				return i, members[i].key
			}
		}
		key = string(body)
	}
	for i := range members {
		if key == members[i].key || strings.EqualFold(key, members[i].key) {
			return i, key
		}
	}
	return -1, key
}
