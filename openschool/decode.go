package openschool

import (
	"fmt"
	"strings"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// member is one member of an answer: its key and where its value goes.
type member struct {
	key string
	dst any // a pointer, decoded with lenient.Options()
}

// decodeAnswer reads body, which must be one JSON object holding the
// member the documentation always shows for the action (members[0]), in a
// single pass: the value of each of members goes into its dst (decoded as
// lenient.Unmarshal decodes, so the lenient field types read their values
// in place), every other member is skipped. Keys are matched as
// encoding/json matches struct fields: exactly, else without regard to
// case (the documentation capitalises some keys); of a key sent twice, the
// last counts. A body that is not an object, null included, or that lacks
// members[0], is an error; members[0] itself may be null or empty.
func decodeAnswer(body []byte, members ...member) error {
	r := lenient.NewReader(body)
	defer r.Done()
	dec := &r.Dec
	want := members[0].key
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
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	sent := false
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		i := matchKey(members, name)
		if i < 0 {
			if err := dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		sent = sent || i == 0
		if err := json.UnmarshalDecode(dec, members[i].dst); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if err := lenient.AtEOF(dec); err != nil {
		return err
	}
	if !sent {
		return fmt.Errorf("the answer has no %q member", want)
	}
	return nil
}

// matchKey returns the index of the member that the object key name
// (as sent, quoted) names, or -1: an exact match first, else one without
// regard to case, as encoding/json matches struct fields.
func matchKey(members []member, name jsontext.Value) int {
	key := lenient.Unquote(name)
	for i := range members {
		if string(key) == members[i].key {
			return i
		}
	}
	for i := range members {
		if strings.EqualFold(string(key), members[i].key) {
			return i
		}
	}
	return -1
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
