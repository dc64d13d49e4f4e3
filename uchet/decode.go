package uchet

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// v1Rules are encoding/json's decoding rules (keys matched exactly, else
// without regard to case; the last of duplicate keys counts; invalid UTF-8
// replaced) for the decoder of encoding/json/v2
// (github.com/go-json-experiment/json), as lenient.Unmarshal applies them.
var v1Rules = json.JoinOptions(jsonv1.DefaultOptionsV1())

// answerReader is a decoder over an answer's bytes, kept in a pool: a new
// jsontext.Decoder costs about eight allocations.
type answerReader struct {
	buf bytes.Buffer // the decoder reads a bytes.Buffer in place, without a copy
	dec jsontext.Decoder
}

var answerReaders = sync.Pool{New: func() any { return new(answerReader) }}

// newAnswerReader returns a decoder over body with v1Rules; release it
// with done.
func newAnswerReader(body []byte) *answerReader {
	r := answerReaders.Get().(*answerReader)
	r.buf = *bytes.NewBuffer(body)
	r.dec.Reset(&r.buf, v1Rules)
	return r
}

// done drops the reference to the body and returns r to the pool.
func (r *answerReader) done() {
	r.buf = bytes.Buffer{}
	r.dec.Reset(&r.buf)
	answerReaders.Put(r)
}

// atEOF checks that nothing but white space follows the value read.
func atEOF(dec *jsontext.Decoder) error {
	switch _, err := dec.ReadToken(); {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return err
	default:
		return errors.New("more than one JSON value in the answer")
	}
}

// unquote returns the text of a JSON string value (an object key, or a
// value read with ReadValue), without copying it when it holds no escape
// and is valid UTF-8; invalid UTF-8 is replaced, as encoding/json does.
func unquote(v jsontext.Value) []byte {
	inner := v[1 : len(v)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return inner
	}
	out, _ := jsontext.AppendUnquote(nil, v)
	return out
}

// keyIndex returns the index in keys of the key an object member name
// (its text) stands for, or -1: an exact match first, else one without
// regard to case, as encoding/json matches struct fields.
func keyIndex(keys []string, name []byte) int {
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

// kindName names the kind of a JSON value for error messages.
func kindName(k jsontext.Kind) string {
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
