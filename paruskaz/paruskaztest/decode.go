package paruskaztest

import (
	"bytes"
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

// The body is parsed by hand, in one streaming pass, rather than with
// encoding/json. Two reasons: encoding/json matches struct fields without
// regard to letter case and lets keys repeat, while the fake wants exact,
// unique keys; and decoding a million events through it took about twice
// as long (over twenty seconds under the race detector), with several
// allocations per event where this parser makes one. The parser refuses
// anything encoding/json would refuse, reads strings exactly as it does
// (escapes, invalid UTF-8 replaced by U+FFFD), and stops at the first
// value of an unexpected kind, so it never has to skip a value.

// Keys of the objects at each level, in the order the document lists them.
var (
	envelopeKeys = []string{"source", "code", "param"}
	paramKeys    = []string{"data"}
	itemKeys     = []string{"bin", "org_name", "person"}
	personKeys   = []string{"datetime", "iin", "fio", "note"}
)

// readChunk is the least free space the parser asks its reader to fill.
const readChunk = 32 << 10

// parser reads one request body.
type parser struct {
	src io.Reader
	buf []byte // buf[pos:] is read but not yet parsed
	pos int
	off int64 // offset in the body of buf[0]
	eof bool
	err error // read error other than io.EOF

	checksum bool
	events   []decoded
	scratch  []byte // the values of the person being parsed
}

// decodeBody reads and validates a request body and returns its events.
// An error either wraps a read error (such as *http.MaxBytesError) or
// explains, for the X-Fake-Reason header, why the body is refused.
func decodeBody(r io.Reader, checksum bool) ([]decoded, error) {
	p := &parser{src: r, checksum: checksum}
	if err := p.object("body", envelopeKeys, p.envelopeField); err != nil {
		return nil, err
	}
	if _, ok := p.next(); ok {
		return nil, errors.New("body: trailing data after the JSON object")
	}
	if p.err != nil {
		return nil, p.readError("body")
	}
	return p.events, nil
}

// envelopeField parses the value of one key of the envelope.
func (p *parser) envelopeField(key string) error {
	switch key {
	case "source":
		return p.constant("source", "Query")
	case "code":
		return p.constant("code", "InsertACS")
	default: // "param"
		return p.object("param", paramKeys, func(string) error {
			return p.array("param.data", p.item)
		})
	}
}

// constant parses a string that must equal want.
func (p *parser) constant(path, want string) error {
	s, err := p.str(path)
	if err != nil {
		return err
	}
	if s != want {
		return fmt.Errorf("%s: must be %q, got %s", path, want, quote(s))
	}
	return nil
}

// item parses the institution object param.data[i] and its persons.
func (p *parser) item(i int) error {
	path := fmt.Sprintf("param.data[%d]", i)
	first := len(p.events)
	var bin, org string
	err := p.object(path, itemKeys, func(key string) error {
		var err error
		switch key {
		case "bin":
			if bin, err = p.str(path + ".bin"); err == nil {
				err = atPath(path+".bin", p.checkID(bin))
			}
		case "org_name":
			if org, err = p.str(path + ".org_name"); err == nil {
				err = atPath(path+".org_name", checkNotBlank(org))
			}
		default: // "person"
			err = p.array(path+".person", func(j int) error { return p.person(path, j) })
		}
		return err
	})
	if err != nil {
		return err
	}
	// The persons may come before bin and org_name in the object.
	for k := first; k < len(p.events); k++ {
		p.events[k].BIN = bin
		p.events[k].OrgName = org
	}
	return nil
}

// person parses and validates the person object item.person[j].
func (p *parser) person(item string, j int) error {
	at := func(key string) string {
		if key == "" {
			return fmt.Sprintf("%s.person[%d]", item, j)
		}
		return fmt.Sprintf("%s.person[%d].%s", item, j, key)
	}
	var f [4]string
	if key, err := p.personFields(&f); err != nil {
		return fmt.Errorf("%s: %w", at(key), err)
	}
	e := decoded{Event: Event{DateTime: f[0], IIN: f[1], FIO: f[2], Note: f[3]}}
	t, err := time.Parse(time.RFC3339, e.DateTime)
	if err != nil {
		return fmt.Errorf("%s: must be RFC 3339 with a time-zone offset, got %s", at("datetime"), quote(e.DateTime))
	}
	e.sec, e.nsec = t.Unix(), int32(t.Nanosecond())
	if msg := p.checkID(e.IIN); msg != "" {
		return fmt.Errorf("%s: %s", at("iin"), msg)
	}
	if msg := checkNotBlank(e.FIO); msg != "" {
		return fmt.Errorf("%s: %s", at("fio"), msg)
	}
	p.events = append(p.events, e)
	return nil
}

// personFields parses a person object into f, by the indexes of
// personKeys. It is object specialised for the hot path: the four values
// share one allocation, and on error it returns the key concerned (""
// for the object itself) and a message without location, so that the
// location is only formatted on failure.
func (p *parser) personFields(f *[4]string) (string, error) {
	if c, err := p.open('{', "an object"); err != nil {
		return "", err
	} else if c == '}' {
		p.pos++
		return "", fmt.Errorf("missing key %q", personKeys[0])
	}
	var seen [4]bool
	var spans [4][2]int // of each value in p.scratch
	p.scratch = p.scratch[:0]
	for done := false; !done; {
		k, err := p.key(personKeys)
		if err != nil {
			return "", err
		}
		if seen[k] {
			return "", fmt.Errorf("duplicate key %q", personKeys[k])
		}
		seen[k] = true
		v, err := p.strBytes()
		if err != nil {
			return personKeys[k], err
		}
		spans[k] = [2]int{len(p.scratch), len(p.scratch) + len(v)}
		p.scratch = append(p.scratch, v...)
		if done, err = p.separator('}'); err != nil {
			return "", err
		}
	}
	for k, ok := range seen {
		if !ok {
			return "", fmt.Errorf("missing key %q", personKeys[k])
		}
	}
	all := string(p.scratch)
	for k, sp := range spans {
		f[k] = all[sp[0]:sp[1]]
	}
	return "", nil
}

// checkID checks a BIN or IIN, 12 ASCII digits and, if asked to, the check
// digit, and returns what is wrong, or "".
func (p *parser) checkID(s string) string {
	if len(s) != 12 || strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return "must be 12 ASCII digits, got " + quote(s)
	}
	if p.checksum {
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

// object parses an object whose keys are exactly keys, each once, calling
// field to parse the value of each.
func (p *parser) object(path string, keys []string, field func(key string) error) error {
	c, err := p.open('{', "an object")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var seen [4]bool // no object has more keys
	if c == '}' {
		p.pos++
	}
	for done := c == '}'; !done; {
		k, err := p.key(keys)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if seen[k] {
			return fmt.Errorf("%s: duplicate key %q", path, keys[k])
		}
		seen[k] = true
		if err := field(keys[k]); err != nil {
			return err
		}
		if done, err = p.separator('}'); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	for k, ok := range seen[:len(keys)] {
		if !ok {
			return fmt.Errorf("%s: missing key %q", path, keys[k])
		}
	}
	return nil
}

// array parses a non-empty array, calling elem to parse element i.
func (p *parser) array(path string, elem func(i int) error) error {
	c, err := p.open('[', "a non-empty array")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if c == ']' {
		p.pos++
		return fmt.Errorf("%s: must be a non-empty array, got []", path)
	}
	for i := 0; ; i++ {
		if err := elem(i); err != nil {
			return err
		}
		if done, err := p.separator(']'); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		} else if done {
			return nil
		}
	}
}

// open consumes the opening delimiter delim of a value that must be what,
// and returns the first byte after it (not consumed).
func (p *parser) open(delim byte, what string) (byte, error) {
	c, ok := p.next()
	if !ok {
		return 0, p.endError()
	}
	if c != delim {
		return 0, p.kindError(what, c)
	}
	p.pos++
	if c, ok = p.next(); !ok {
		return 0, p.endError()
	}
	return c, nil
}

// key parses an object key, which must be one of keys, and the colon
// after it, and returns the key's index in keys.
func (p *parser) key(keys []string) (int, error) {
	c, ok := p.next()
	switch {
	case !ok:
		return 0, p.endError()
	case c != '"':
		return 0, p.syntaxError("an object key")
	}
	b, err := p.stringBytes()
	if err != nil {
		return 0, err
	}
	k := slices.IndexFunc(keys, func(key string) bool { return key == string(b) })
	if k < 0 {
		return 0, fmt.Errorf("unknown key %s, want %s", quote(string(b)), strings.Join(keys, ", "))
	}
	if c, ok = p.next(); !ok {
		return 0, p.endError()
	} else if c != ':' {
		return 0, p.syntaxError("':' after an object key")
	}
	p.pos++
	return k, nil
}

// separator consumes the ',' between two members or elements, or the
// closing delimiter end, in which case done is true.
func (p *parser) separator(end byte) (done bool, err error) {
	c, ok := p.next()
	switch {
	case !ok:
		return false, p.endError()
	case c == end:
		p.pos++
		return true, nil
	case c != ',':
		return false, p.syntaxError(fmt.Sprintf("',' or '%c'", end))
	}
	p.pos++ // a key or an element must follow; the caller checks it
	return false, nil
}

// str parses a string value; path prefixes the error messages.
func (p *parser) str(path string) (string, error) {
	b, err := p.strBytes()
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return string(b), nil
}

// strBytes parses a string value and returns its bytes, which may be
// part of p.buf and so are only valid until the parser reads on.
func (p *parser) strBytes() ([]byte, error) {
	c, ok := p.next()
	if !ok {
		return nil, p.endError()
	}
	if c != '"' {
		return nil, p.kindError("a string", c)
	}
	return p.stringBytes()
}

// kindError reports that the value starting with c is not what it must
// be. A value of another kind is named; a malformed one is a syntax
// error.
func (p *parser) kindError(what string, c byte) error {
	var got string
	switch {
	case c == '{':
		got = "an object"
	case c == '[':
		got = "an array"
	case c == '"':
		got = "a string"
	case c == '-' || c >= '0' && c <= '9':
		got = "a number"
	case p.literal("true"), p.literal("false"):
		got = "a boolean"
	case p.literal("null"):
		got = "null"
	default:
		return p.syntaxError("a value")
	}
	return fmt.Errorf("must be %s, got %s", what, got)
}

// literal reports whether the unparsed input starts with word.
func (p *parser) literal(word string) bool {
	for len(p.buf)-p.pos < len(word) {
		if !p.fill() {
			break
		}
	}
	return bytes.HasPrefix(p.buf[p.pos:], []byte(word))
}

// stringBytes parses the JSON string starting at buf[pos], a quote, and
// returns its value, which may be part of p.buf.
func (p *parser) stringBytes() ([]byte, error) {
	from := 1 // where to look for the closing quote, relative to pos
	for {
		i := bytes.IndexByte(p.buf[p.pos+from:], '"')
		if i < 0 {
			from = len(p.buf) - p.pos
			if !p.fill() {
				return nil, p.endError()
			}
			continue
		}
		end := p.pos + from + i // the quote
		// The quote is escaped if an odd number of backslashes precede it.
		n := 0
		for end-1-n > p.pos && p.buf[end-1-n] == '\\' {
			n++
		}
		if n%2 == 1 {
			from += i + 1
			continue
		}
		return p.finishString(end)
	}
}

// finishString decodes the string token buf[pos:end+1] and consumes it.
// Strings without escapes are used as they are; others are left to
// encoding/json, which also replaces invalid UTF-8 with U+FFFD, as it
// would anywhere in a body.
func (p *parser) finishString(end int) ([]byte, error) {
	raw := p.buf[p.pos+1 : end]
	escaped, ascii := false, true
	for i, c := range raw {
		switch {
		case c < 0x20:
			return nil, fmt.Errorf("malformed JSON at byte %d: control character %+q in a string", p.off+int64(p.pos+1+i), rune(c))
		case c == '\\':
			escaped = true
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	token := p.buf[p.pos : end+1]
	p.pos = end + 1
	if !escaped && (ascii || utf8.Valid(raw)) {
		return raw, nil
	}
	var s string
	if err := json.Unmarshal(token, &s); err != nil {
		return nil, fmt.Errorf("malformed JSON at byte %d: invalid escape in a string", p.off+int64(end+1-len(token)))
	}
	return []byte(s), nil
}

// next skips white space and returns the next byte without consuming it;
// ok is false at the end of the body or on a read error.
func (p *parser) next() (c byte, ok bool) {
	for {
		for p.pos < len(p.buf) {
			switch c = p.buf[p.pos]; c {
			case ' ', '\t', '\n', '\r':
				p.pos++
			default:
				return c, true
			}
		}
		if !p.fill() {
			return 0, false
		}
	}
}

// fill reads more of the body into buf, keeping buf[pos:]. It reports
// whether it read anything.
func (p *parser) fill() bool {
	if p.eof || p.err != nil {
		return false
	}
	if p.pos > 0 {
		n := copy(p.buf, p.buf[p.pos:])
		p.off += int64(p.pos)
		p.buf = p.buf[:n]
		p.pos = 0
	}
	if cap(p.buf)-len(p.buf) < readChunk {
		p.buf = slices.Grow(p.buf, max(readChunk, len(p.buf)))
	}
	for {
		n, err := p.src.Read(p.buf[len(p.buf):cap(p.buf)])
		p.buf = p.buf[:len(p.buf)+n]
		switch {
		case errors.Is(err, io.EOF):
			p.eof = true
		case err != nil:
			p.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// endError reports the end of the input: a read error, or a body cut
// short.
func (p *parser) endError() error {
	if p.err != nil {
		return p.readError("")
	}
	return errors.New("malformed JSON: unexpected end of body")
}

// readError wraps the read error, prefixed with path if it is not "".
func (p *parser) readError(path string) error {
	if path == "" {
		return fmt.Errorf("reading the body: %w", p.err)
	}
	return fmt.Errorf("%s: reading the body: %w", path, p.err)
}

// syntaxError reports a malformed body at the current position, where
// want was expected.
func (p *parser) syntaxError(want string) error {
	got := "end of body"
	if p.pos < len(p.buf) {
		got = fmt.Sprintf("byte 0x%02x", p.buf[p.pos])
		if r, _ := utf8.DecodeRune(p.buf[p.pos:]); r != utf8.RuneError {
			got = fmt.Sprintf("%+q", r)
		}
	}
	return fmt.Errorf("malformed JSON at byte %d: want %s, got %s", p.off+int64(p.pos), want, got)
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
