package lenient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/shopspring/decimal"
)

// From is a value that reads itself from a decoder in place: json v2's
// UnmarshalerFrom, as the types of this package implement it.
type From interface {
	UnmarshalJSONFrom(dec *jsontext.Decoder) error
}

// Read reads the next value of dec into dst, so that public types can stay
// plain Go while their values arrive in loose forms. dst is one of:
//
//   - *string, *int64, *bool or *decimal.Decimal: the value is read by the
//     rules of [String], [Int], [Bool] or [Decimal]; an absent value stores
//     the zero value; a refused value leaves dst unchanged and gives a
//     [*DecodeError], the value read to its end;
//   - a [From], which reads the value itself.
//
// The common forms (a plain JSON string, an integer literal, true or false)
// are taken from the decoder's buffer without an intermediate copy.
func Read(dec *jsontext.Decoder, dst any) error {
	if f, ok := dst.(From); ok {
		return f.UnmarshalJSONFrom(dec)
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	switch p := dst.(type) {
	case *string:
		if v.Kind() == '"' {
			if inner := v[1 : len(v)-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
				*p = string(inner)
				return nil
			}
		}
		var s String
		err = s.UnmarshalJSON(v)
		if err == nil {
			*p = s.S
		}
	case *int64:
		if v.Kind() == '0' {
			if n, perr := strconv.ParseInt(string(v), 10, 64); perr == nil {
				*p = n
				return nil
			}
		}
		var n Int
		err = n.UnmarshalJSON(v)
		if err == nil {
			*p = n.N
		}
	case *bool:
		if k := v.Kind(); k == 't' || k == 'f' {
			*p = k == 't'
			return nil
		}
		var b Bool
		err = b.UnmarshalJSON(v)
		if err == nil {
			*p = b.B
		}
	case *decimal.Decimal:
		var d Decimal
		err = d.UnmarshalJSON(v)
		if err == nil {
			*p = d.D
		}
	default:
		panic(fmt.Sprintf("lenient.Read: cannot read into %T", dst))
	}
	return err
}

// ObjectMode selects how [ReadObject] treats the members it does not
// know and the values it refuses.
type ObjectMode uint8

const (
	// KeepOthers keeps every member that no key names, as sent, in the
	// map ReadObject returns; without it they are skipped.
	KeepOthers ObjectMode = 1 << iota
	// LastCounts lets a later value of a key stand in for an earlier one
	// that was refused, as [DecodeObject] reads a key sent twice; without
	// it the first refused value ends the reading, as in encoding/json.
	LastCounts
)

// ReadObject reads the JSON object at dec in one pass: the value of the
// member named keys[i] into dsts[i] (see [Read]) as the decoder reaches
// it, the others as mode says. It replaces a wire struct of lenient fields
// copied field by field into a public type: the public type's fields are
// the destinations.
//
//   - A key names a member when it equals one of keys or, as
//     encoding/json matches struct fields, equals it without regard to
//     case. Of a key sent twice, the last value counts.
//   - JSON null reads as nothing; any other value that is not an object
//     gives [ErrNotObject].
//   - A refused value is an error naming the documented key (under
//     LastCounts, of the first such key in the order of keys).
//
// keys and dsts must have the same length. An exact key without escapes,
// the usual case, allocates nothing; a kept member costs its key and a
// copy of its value (the decoder's buffer is reused).
func ReadObject(dec *jsontext.Decoder, mode ObjectMode, keys []string, dsts ...any) (map[string]json.RawMessage, error) {
	if len(keys) != len(dsts) {
		panic("lenient.ReadObject: keys and dsts differ in length")
	}
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		return nil, err
	case '{':
	default:
		if _, err := dec.ReadValue(); err != nil {
			return nil, err
		}
		return nil, ErrNotObject
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	var (
		extra   map[string]json.RawMessage
		buf     [20]error
		refused []error // under LastCounts, by key: the refusal of its last value
	)
	if mode&LastCounts != 0 {
		refused = buf[:0]
		if len(keys) > len(buf) {
			refused = make([]error, 0, len(keys))
		}
		refused = refused[:len(keys)]
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		i := KeyIndex(keys, Unquote(name))
		if i < 0 {
			if mode&KeepOthers == 0 {
				if err := dec.SkipValue(); err != nil {
					return nil, err
				}
				continue
			}
			key := string(Unquote(name)) // before the decoder moves on
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
		err = Read(dec, dsts[i])
		if err != nil {
			err = fmt.Errorf("%s: %w", keys[i], err)
			if refused == nil {
				return nil, err
			}
			if _, now := dec.StackIndex(depth); dec.StackDepth() != depth || now != length+1 {
				return nil, err // not read to its end: cannot go on
			}
		}
		if refused != nil {
			refused[i] = err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	for _, err := range refused {
		if err != nil {
			return nil, err
		}
	}
	return extra, nil
}

// ReadArray reads the JSON array at dec, calling elem with the index of
// each element; elem must read the element from dec. JSON null reads as
// nothing, and ok is false; any other value that is not an array is an
// error. An error of elem ends the reading, wrapped with the index.
func ReadArray(dec *jsontext.Decoder, elem func(i int) error) (ok bool, err error) {
	switch k := dec.PeekKind(); k {
	case 'n':
		_, err := dec.ReadToken()
		return false, err
	case '[':
	default:
		if _, err := dec.ReadValue(); err != nil {
			return false, err
		}
		return false, fmt.Errorf("want a list, not %s", KindName(k))
	}
	if _, err := dec.ReadToken(); err != nil {
		return false, err
	}
	for i := 0; dec.PeekKind() != ']'; i++ {
		if err := elem(i); err != nil {
			return false, fmt.Errorf("[%d]: %w", i, err)
		}
	}
	_, err = dec.ReadToken()
	return err == nil, err
}
