package lenient

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Options returns the options of [Unmarshal] (encoding/json's rules on
// the v2 decoder), for clients that walk an answer with a
// jsontext.Decoder and decode its values with json.UnmarshalDecode.
func Options() json.Options { return v1Semantics }

// Reader is a jsontext.Decoder over an answer's bytes, taken from a pool:
// a new decoder costs about eight allocations, more than the rest of a
// small answer's walk. Get one with [NewReader], read with Dec, give it
// back with Done.
type Reader struct {
	buf bytes.Buffer // the decoder reads a bytes.Buffer in place, without a copy
	Dec jsontext.Decoder
}

var readers = sync.Pool{New: func() any { return new(Reader) }}

// NewReader returns a Reader over body, with the options of [Unmarshal].
func NewReader(body []byte) *Reader {
	r := readers.Get().(*Reader)
	r.buf = *bytes.NewBuffer(body)
	r.Dec.Reset(&r.buf, v1Semantics)
	return r
}

// Done drops the reference to the body and returns r to the pool.
func (r *Reader) Done() {
	r.buf = bytes.Buffer{}
	r.Dec.Reset(&r.buf)
	readers.Put(r)
}

// AtEOF checks that nothing but white space follows the value read.
func AtEOF(dec *jsontext.Decoder) error {
	switch _, err := dec.ReadToken(); {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return err
	default:
		return errors.New("more than one JSON value in the answer")
	}
}

// Unquote returns the text of a JSON string value (an object key, or a
// value read with ReadValue), without copying it when it holds no escape
// and is valid UTF-8; invalid UTF-8 is replaced, as encoding/json does.
func Unquote(v jsontext.Value) []byte {
	inner := v[1 : len(v)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return inner
	}
	out, _ := jsontext.AppendUnquote(nil, v)
	return out
}

// KeyIndex returns the index in keys of the key that an object member's
// name (its text, see [Unquote]) stands for, or -1: an exact match first,
// else one without regard to case, as encoding/json matches struct fields.
func KeyIndex(keys []string, name []byte) int {
	for i, k := range keys {
		if string(name) == k {
			return i
		}
	}
	for i, k := range keys {
		if strings.EqualFold(string(name), k) {
			return i
		}
	}
	return -1
}

// KindName names the kind of a JSON value for error messages ("an array").
func KindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case '[':
		return "an array"
	case '{':
		return "an object"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	default:
		return "not JSON"
	}
}
