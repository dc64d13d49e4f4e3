package paruskaztest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steppe-sdk/steppe/internal/ids"
)

// The request body is walked token by token rather than decoded into
// structs: encoding/json matches struct fields case-insensitively and lets
// keys repeat, while the fake wants exact keys, and walking keeps memory
// bounded by the events rather than by the body. Each person object, the
// bulk of the body, is parsed by personJSON.UnmarshalJSON.

// Keys of the objects at each level, in the order the document lists them.
var (
	envelopeKeys = []string{"source", "code", "param"}
	paramKeys    = []string{"data"}
	itemKeys     = []string{"bin", "org_name", "person"}
	personKeys   = [...]string{"datetime", "iin", "fio", "note"}
)

// Indexes into personKeys.
const (
	keyDateTime = iota
	keyIIN
	keyFIO
	keyNote
)

// bodyDecoder walks one request body.
type bodyDecoder struct {
	dec      *json.Decoder
	checksum bool
	events   []decoded
}

// decodeBody reads and validates a request body and returns its events.
// An error either wraps a read error (such as *http.MaxBytesError) or
// explains, for the X-Fake-Reason header, why the body is refused.
func decodeBody(r io.Reader, checksum bool) ([]decoded, error) {
	d := &bodyDecoder{dec: json.NewDecoder(r), checksum: checksum}
	if err := d.object("body", envelopeKeys, d.envelopeField); err != nil {
		return nil, err
	}
	switch _, err := d.dec.Token(); {
	case err == io.EOF:
		return d.events, nil
	case err != nil && !isSyntax(err):
		return nil, fmt.Errorf("after the JSON object: %w", err)
	default:
		return nil, errors.New("body: trailing data after the JSON object")
	}
}

// envelopeField reads the value of one key of the envelope.
func (d *bodyDecoder) envelopeField(key string) error {
	switch key {
	case "source":
		return d.constant("source", "Query")
	case "code":
		return d.constant("code", "InsertACS")
	default: // "param"
		return d.object("param", paramKeys, func(string) error {
			return d.array("param.data", d.item)
		})
	}
}

// constant reads a string that must equal want.
func (d *bodyDecoder) constant(path, want string) error {
	s, err := d.str(path)
	if err != nil {
		return err
	}
	if s != want {
		return fmt.Errorf("%s: must be %q, got %s", path, want, quote(s))
	}
	return nil
}

// item reads the institution object param.data[i] and its persons.
func (d *bodyDecoder) item(i int) error {
	path := fmt.Sprintf("param.data[%d]", i)
	first := len(d.events)
	var bin, org string
	err := d.object(path, itemKeys, func(key string) error {
		var err error
		switch key {
		case "bin":
			if bin, err = d.str(path + ".bin"); err == nil {
				err = atPath(path+".bin", d.checkID(bin))
			}
		case "org_name":
			if org, err = d.str(path + ".org_name"); err == nil {
				err = atPath(path+".org_name", checkNotBlank(org))
			}
		default: // "person"
			err = d.array(path+".person", func(j int) error { return d.person(path, j) })
		}
		return err
	})
	if err != nil {
		return err
	}
	// The persons may come before bin and org_name in the object.
	for k := first; k < len(d.events); k++ {
		d.events[k].BIN = bin
		d.events[k].OrgName = org
	}
	return nil
}

// person reads and validates the person object item.person[j].
func (d *bodyDecoder) person(item string, j int) error {
	var p personJSON
	if err := d.dec.Decode(&p); err != nil {
		var pe *personError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s.person[%d]%s: %s", item, j, pe.field(), pe.msg)
		}
		return d.readError(fmt.Sprintf("%s.person[%d]", item, j), err)
	}
	e := decoded{Event: Event{
		DateTime: p.fields[keyDateTime],
		IIN:      p.fields[keyIIN],
		FIO:      p.fields[keyFIO],
		Note:     p.fields[keyNote],
	}}
	at, err := time.Parse(time.RFC3339, e.DateTime)
	if err != nil {
		return fmt.Errorf("%s.person[%d].datetime: must be RFC 3339 with a time-zone offset, got %s", item, j, quote(e.DateTime))
	}
	e.at = at
	if msg := d.checkID(e.IIN); msg != "" {
		return fmt.Errorf("%s.person[%d].iin: %s", item, j, msg)
	}
	if msg := checkNotBlank(e.FIO); msg != "" {
		return fmt.Errorf("%s.person[%d].fio: %s", item, j, msg)
	}
	d.events = append(d.events, e)
	return nil
}

// checkID checks a BIN or IIN, 12 ASCII digits and, if asked to, the check
// digit, and returns what is wrong, or "".
func (d *bodyDecoder) checkID(s string) string {
	if len(s) != 12 || strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return "must be 12 ASCII digits, got " + quote(s)
	}
	if d.checksum {
		if err := ids.IINBIN(s); err != nil {
			return fmt.Sprintf("bad check digit in %s: %v", quote(s), err)
		}
	}
	return ""
}

// checkNotBlank returns what is wrong with a name that is empty or only
// white space, or "".
func checkNotBlank(s string) string {
	if strings.TrimSpace(s) == "" {
		return "must not be blank, got " + quote(s)
	}
	return ""
}

// atPath turns the message msg about path into an error, or nil if msg is
// "".
func atPath(path, msg string) error {
	if msg == "" {
		return nil
	}
	return fmt.Errorf("%s: %s", path, msg)
}

// object reads an object whose keys are exactly keys, each once, and calls
// field to read the value of each.
func (d *bodyDecoder) object(path string, keys []string, field func(key string) error) error {
	if err := d.open(path, '{', "an object"); err != nil {
		return err
	}
	var seen [4]bool // no object has more keys
	for d.dec.More() {
		t, err := d.token(path)
		if err != nil {
			return err
		}
		key, _ := t.(string) // an object key is always a string
		k := slices.Index(keys, key)
		switch {
		case k < 0:
			return fmt.Errorf("%s: unknown key %s, want %s", path, quote(key), strings.Join(keys, ", "))
		case seen[k]:
			return fmt.Errorf("%s: duplicate key %q", path, key)
		}
		seen[k] = true
		if err := field(key); err != nil {
			return err
		}
	}
	if _, err := d.token(path); err != nil { // the closing brace
		return err
	}
	for k, ok := range seen[:len(keys)] {
		if !ok {
			return fmt.Errorf("%s: missing key %q", path, keys[k])
		}
	}
	return nil
}

// array reads a non-empty array and calls elem to read element i.
func (d *bodyDecoder) array(path string, elem func(i int) error) error {
	if err := d.open(path, '[', "a non-empty array"); err != nil {
		return err
	}
	n := 0
	for ; d.dec.More(); n++ {
		if err := elem(n); err != nil {
			return err
		}
	}
	if _, err := d.token(path); err != nil { // the closing bracket
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: must be a non-empty array, got []", path)
	}
	return nil
}

// open reads a token that must be the delimiter delim.
func (d *bodyDecoder) open(path string, delim json.Delim, what string) error {
	t, err := d.token(path)
	if err != nil {
		return err
	}
	if t != delim {
		return fmt.Errorf("%s: must be %s, got %s", path, what, describe(t))
	}
	return nil
}

// str reads a string value.
func (d *bodyDecoder) str(path string) (string, error) {
	t, err := d.token(path)
	if err != nil {
		return "", err
	}
	s, ok := t.(string)
	if !ok {
		return "", fmt.Errorf("%s: must be a string, got %s", path, describe(t))
	}
	return s, nil
}

// token reads the next token.
func (d *bodyDecoder) token(path string) (json.Token, error) {
	t, err := d.dec.Token()
	if err != nil {
		return nil, d.readError(path, err)
	}
	return t, nil
}

// readError describes an error of the JSON decoder met at path.
func (d *bodyDecoder) readError(path string, err error) error {
	switch {
	case err == io.EOF, errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: malformed JSON: unexpected end of body", path)
	case isSyntax(err):
		return fmt.Errorf("%s: malformed JSON: %v", path, err)
	default:
		return fmt.Errorf("%s: reading the body: %w", path, err)
	}
}

// isSyntax reports whether err is a JSON syntax error.
func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

// describe names the kind of a JSON token for messages.
func describe(t json.Token) string {
	switch t := t.(type) {
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	default:
		return "null"
	}
}

// quote quotes s in ASCII for a message, shortening it if it is long.
func quote(s string) string {
	const maxRunes = 40
	if utf8.RuneCountInString(s) > maxRunes {
		r := []rune(s)
		return fmt.Sprintf("%+q…", string(r[:maxRunes]))
	}
	return fmt.Sprintf("%+q", s)
}

// personJSON is one person object: the four string values, by the
// indexes of personKeys.
type personJSON struct {
	fields [len(personKeys)]string
}

// personError is a problem with a person object; key is "" when it is
// about the object itself.
type personError struct {
	key, msg string
}

// Error implements error.
func (e *personError) Error() string { return e.field() + ": " + e.msg }

// field returns ".key", or "" for the object itself.
func (e *personError) field() string {
	if e.key == "" {
		return ""
	}
	return "." + e.key
}

// UnmarshalJSON parses b, a complete JSON value already validated by the
// decoder, as a person object with exactly the four string keys. It is
// hand-written because it runs once per event, and because
// encoding/json would accept keys in any letter case.
func (p *personJSON) UnmarshalJSON(b []byte) error {
	var seen [len(personKeys)]bool
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return &personError{msg: "must be an object, got " + kindAt(b, i)}
	}
	i++
	for {
		i = skipSpace(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		if i >= len(b) || b[i] == '}' {
			break
		}
		key, next, err := parseString(b, i)
		if err != nil {
			return err
		}
		k := slices.Index(personKeys[:], key)
		switch {
		case k < 0:
			return &personError{msg: fmt.Sprintf("unknown key %s, want %s", quote(key), strings.Join(personKeys[:], ", "))}
		case seen[k]:
			return &personError{msg: fmt.Sprintf("duplicate key %q", key)}
		}
		i = skipSpace(b, next)
		if i < len(b) && b[i] == ':' {
			i = skipSpace(b, i+1)
		}
		if i >= len(b) || b[i] != '"' {
			return &personError{key: key, msg: "must be a string, got " + kindAt(b, i)}
		}
		if p.fields[k], i, err = parseString(b, i); err != nil {
			return err
		}
		seen[k] = true
	}
	for k, ok := range seen {
		if !ok {
			return &personError{msg: fmt.Sprintf("missing key %q", personKeys[k])}
		}
	}
	return nil
}

// skipSpace returns the index of the first byte of b at or after i that
// is not JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// kindAt names the kind of the JSON value starting at b[i].
func kindAt(b []byte, i int) string {
	if i >= len(b) {
		return "nothing"
	}
	switch b[i] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// parseString parses the JSON string starting at b[i] (a quote) and
// returns its value and the index just after it. Strings without escapes
// are copied directly; others are left to encoding/json, which also
// replaces invalid UTF-8 as it does everywhere else in the body.
func parseString(b []byte, i int) (string, int, error) {
	escaped := false
	j := i + 1
	for j < len(b) && b[j] != '"' {
		if b[j] == '\\' {
			escaped = true
			j++
		}
		j++
	}
	if j >= len(b) {
		return "", len(b), &personError{msg: "malformed JSON: unterminated string"}
	}
	raw := b[i+1 : j]
	if !escaped && utf8.Valid(raw) {
		return string(raw), j + 1, nil
	}
	var s string
	if err := json.Unmarshal(b[i:j+1], &s); err != nil {
		return "", j + 1, &personError{msg: "malformed JSON: " + err.Error()}
	}
	return s, j + 1, nil
}
