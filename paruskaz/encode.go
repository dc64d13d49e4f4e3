package paruskaz

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steppe-sdk/steppe/internal/ids"
)

// The wire form, written by hand so that a batch's size is known exactly
// before it is encoded, and so that encoding allocates nothing:
//
//	{"source":"Query","code":"InsertACS","param":{"data":[
//	  {"bin":"…","org_name":"…","person":[{"datetime":"…","iin":"…","fio":"…","note":"…"}, …]}, …]}}
const (
	envelopeHead = `{"source":"Query","code":"InsertACS","param":{"data":[`
	envelopeTail = `]}}`
	orgHeadBIN   = `{"bin":`
	orgHeadName  = `,"org_name":`
	orgHeadTail  = `,"person":[`
	orgTail      = `]}`
	personHead   = `{"datetime":"`
	personIIN    = `","iin":`
	personFIO    = `,"fio":`
	personNote   = `,"note":`
	personTail   = `}`
)

// DateTimeLayout is how datetime is sent: RFC 3339 with a numeric offset,
// as the documentation's example "2024-01-13T10:01:23+00:00" shows (UTC is
// written "+00:00", not "Z"). Fractions of a second are not sent.
const DateTimeLayout = "2006-01-02T15:04:05-07:00"

// dateTimeLen is the length of a valid time formatted with DateTimeLayout:
// a year of four digits and an offset within ±23:59.
const dateTimeLen = len(DateTimeLayout)

// maxOffset bounds a datetime's offset: RFC 3339 and ISO 8601 write it as
// two-digit hours (00–23) and minutes (00–59), so ±23:59 at most.
const maxOffset = 24*3600 - 60

// dateTimeSize is the length of t formatted with DateTimeLayout. It is
// dateTimeLen for every time validation accepts; a year or an offset out
// of range is measured as Go writes it, so that the size of a batch never
// differs from its bytes.
func dateTimeSize(t time.Time) int {
	if y := t.Year(); y >= 0 && y <= 9999 {
		if _, off := t.Zone(); off > -100*3600 && off < 100*3600 {
			return dateTimeLen
		}
	}
	var buf [64]byte
	return len(t.AppendFormat(buf[:0], DateTimeLayout))
}

// orgSize is the encoded size of an institution with no persons.
func orgSize(bin, name string) int {
	return len(orgHeadBIN) + quotedLen(bin) + len(orgHeadName) + quotedLen(name) + len(orgHeadTail) + len(orgTail)
}

// personSize is the encoded size of one person entry.
func personSize(e *Event) int {
	return len(personHead) + dateTimeSize(e.Time) + len(personIIN) + quotedLen(e.IIN) +
		len(personFIO) + quotedLen(e.FIO) + len(personNote) + quotedLen(e.Note) + len(personTail)
}

func appendOrgHead(b []byte, bin, name string) []byte {
	b = append(b, orgHeadBIN...)
	b = appendQuoted(b, bin)
	b = append(b, orgHeadName...)
	b = appendQuoted(b, name)
	return append(b, orgHeadTail...)
}

func appendPerson(b []byte, e *Event) []byte {
	b = append(b, personHead...)
	b = e.Time.AppendFormat(b, DateTimeLayout)
	b = append(b, personIIN...)
	b = appendQuoted(b, e.IIN)
	b = append(b, personFIO...)
	b = appendQuoted(b, e.FIO)
	b = append(b, personNote...)
	b = appendQuoted(b, e.Note)
	return append(b, personTail...)
}

const hexDigits = "0123456789abcdef"

// quotedLen is the length of s as a JSON string, quotes included, as
// appendQuoted writes it. s must be valid UTF-8 (validation checks it).
func quotedLen(s string) int {
	n := 2 + len(s)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n++
		case c < 0x20:
			n += 5
		}
	}
	return n
}

// appendQuoted appends s as a JSON string. Non-ASCII text is written as
// UTF-8; only quotes, backslashes and control characters are escaped.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// validator checks events before anything is sent.
type validator struct {
	checksum bool
}

// where locates a value for error messages: "events[3]" (person < 0,
// list "events"), "data[1]" or "data[1].person[2]". The text is only
// built when a check fails, so validating allocates nothing.
type where struct {
	list      string
	i, person int
}

func (w where) field(name string) string {
	s := w.list + "[" + strconv.Itoa(w.i) + "]"
	if w.person >= 0 {
		s += ".person[" + strconv.Itoa(w.person) + "]"
	}
	if name != "" {
		s += "." + name
	}
	return s
}

// event checks one flat event.
func (v validator) event(e *Event, w where) error {
	if err := v.org(e.BIN, e.OrgName, w); err != nil {
		return err
	}
	return v.person(e, w)
}

func (v validator) org(bin, name string, w where) error {
	if err := v.iinbin(bin, w, "bin", "BIN"); err != nil {
		return err
	}
	return text(name, w, "org_name", false)
}

func (v validator) person(e *Event, w where) error {
	if e.Time.IsZero() {
		return invalid(w.field("datetime"), "is required")
	}
	if y := e.Time.Year(); y < 1 || y > 9999 {
		return invalid(w.field("datetime"), "year %d cannot be written in ISO 8601", y)
	}
	if _, off := e.Time.Zone(); off < -maxOffset || off > maxOffset {
		return invalid(w.field("datetime"), "offset %ds is outside ±23:59, which ISO 8601 cannot write", off)
	} else if off%60 != 0 {
		return invalid(w.field("datetime"), "offset %ds is not a whole number of minutes", off)
	}
	if err := v.iinbin(e.IIN, w, "iin", "IIN"); err != nil {
		return err
	}
	if err := text(e.FIO, w, "fio", false); err != nil {
		return err
	}
	return text(e.Note, w, "note", true)
}

func (v validator) iinbin(s string, w where, field, name string) error {
	if s == "" {
		return invalid(w.field(field), "is required")
	}
	if len(s) != 12 || strings.Trim(s, "0123456789") != "" {
		return invalid(w.field(field), "%s must be 12 digits (got %d characters)", name, utf8.RuneCountInString(s))
	}
	if v.checksum {
		if err := ids.IINBIN(s); err != nil && errors.Is(err, ids.ErrChecksum) {
			return invalid(w.field(field), "%s fails the check digit (turn the check off with WithChecksum(false))", name)
		}
	}
	return nil
}

// text checks a name or note: valid UTF-8, and non-blank unless empty is
// allowed.
func text(s string, w where, field string, emptyOK bool) error {
	if !utf8.ValidString(s) {
		return invalid(w.field(field), "is not valid UTF-8")
	}
	if !emptyOK && strings.TrimSpace(s) == "" {
		return invalid(w.field(field), "is required")
	}
	return nil
}
