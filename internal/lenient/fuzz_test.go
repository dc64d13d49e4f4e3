package lenient

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// The fuzz targets check that every lenient type decodes hostile input
// without panicking, leaves the receiver alone when it refuses a value,
// and that what it accepts survives MarshalJSON and a second decode
// unchanged (the package's "marshalled output decodes back to an equal
// value"). Their seeds run as ordinary tests; fuzz one with e.g.
//
//	go test -run '^$' -fuzz '^FuzzUnmarshal$' ./internal/lenient/

// fzPlus5 is a zone with a whole-hour offset, as a client would declare.
type fzPlus5 struct{}

var fzPlus5Loc = time.FixedZone("UTC+5", 5*60*60)

func (fzPlus5) Location() *time.Location { return fzPlus5Loc }

// fzSeeds are the values of the openschool documentation's examples (a
// Perl back end: DB strings, computed numbers, undef) and the loose forms
// the package documents.
var fzSeeds = []string{
	`"21"`, `21`, `"794"`, `"73196.3900"`, `"254141.0400"`, `0`, `"0"`, `"1"`, `1`,
	`"17185.1"`, `254141.04`, `-1.5e3`, `"1.5e3"`, `"+7"`, `"-0.001"`,
	`null`, `""`, `"undef"`, `" null "`, `true`, `false`, `"true"`, `"false"`,
	`"2017-12-08 14:05:26"`, `"2017-12-30"`, `"2017-03-01"`, `"0000-00-00"`,
	`"0000-00-00 00:00:00"`, `"2024-03-01T12:30:00+03:00"`, `"2024-03-01T12:30:00.123456789Z"`,
	`"2024-03-01T12:30:00.5"`, `"2024-03-01 12:30:00.25"`,
	`"Івано-франківська область"`, `"a\"b\u00e9"`, `"\u0075ndef"`,
	`99999999999999999999`, `-9223372036854775808`, `"1e999999999999"`,
	`[]`, `{}`, `"yes"`, `"TRUE"`, `1.50`, ` "x" `, `"open`, `01`,
}

func FuzzUnmarshal(f *testing.F) {
	for _, s := range fzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		absent := IsAbsent(raw)
		fzCheck(t, "String", raw, absent, String{S: "sentinel", Valid: true}, func(a, b String) bool { return a == b })
		fzCheck(t, "Int", raw, absent, Int{N: 42, Valid: true}, func(a, b Int) bool { return a == b })
		fzCheck(t, "Bool", raw, absent, Bool{B: true, Valid: true}, func(a, b Bool) bool { return a == b })
		fzCheck(t, "Decimal", raw, absent, Decimal{Valid: true}, fzDecimalEqual)
		fzCheck(t, "Time", raw, absent, Time{T: time.Unix(1, 0).UTC(), Valid: true}, fzTimeEqual[UTC])
		fzCheck(t, "TimeIn", raw, absent, TimeIn[fzPlus5]{T: time.Unix(1, 0).In(fzPlus5Loc), Valid: true}, fzTimeEqual[fzPlus5])
	})
}

// fzValue is a lenient type: decoded through a pointer, marshalled by value.
type fzValue[T any] interface {
	*T
	json.Unmarshaler
}

// fzCheck decodes raw into a T preset to sentinel and checks the
// package's promises.
func fzCheck[T json.Marshaler, P fzValue[T]](t *testing.T, name string, raw []byte, absent bool, sentinel T, equal func(a, b T) bool) {
	t.Helper()
	v := sentinel
	err := P(&v).UnmarshalJSON(raw)
	if err != nil {
		var de *DecodeError
		if !errors.As(err, &de) || de.Type == "" {
			t.Fatalf("%s: error %v (%T) is not a *DecodeError", name, err, err)
		}
		if !equal(v, sentinel) {
			t.Fatalf("%s: the receiver changed on error: %+v", name, v)
		}
		if absent && name != "String" {
			t.Fatalf("%s: absent input %q refused: %v", name, raw, err)
		}
		return
	}
	var zero T
	if absent && name != "String" && !equal(v, zero) {
		t.Fatalf("%s: absent input %q decoded to %+v", name, raw, v)
	}
	out, err := v.MarshalJSON()
	if err != nil {
		t.Fatalf("%s: cannot marshal %+v decoded from %q: %v", name, v, raw, err)
	}
	if !json.Valid(out) {
		t.Fatalf("%s: MarshalJSON wrote invalid JSON %q", name, out)
	}
	var again T
	if err := P(&again).UnmarshalJSON(out); err != nil {
		t.Fatalf("%s: %q decoded from %q does not decode back: %v", name, out, raw, err)
	}
	if !equal(v, again) {
		t.Fatalf("%s: %q -> %+v -> %q -> %+v", name, raw, v, out, again)
	}
	out2, err := again.MarshalJSON()
	if err != nil || !bytes.Equal(out, out2) {
		t.Fatalf("%s: marshalling is not canonical: %q then %q (%v)", name, out, out2, err)
	}
}

func fzDecimalEqual(a, b Decimal) bool {
	return a.Valid == b.Valid && a.D.Equal(b.D) && a.String() == b.String()
}

func fzTimeEqual[Z Zone](a, b TimeIn[Z]) bool {
	if a.Valid != b.Valid || !a.T.Equal(b.T) {
		return false
	}
	_, oa := a.T.Zone()
	_, ob := b.T.Zone()
	return oa == ob
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"2017-12-08 14:05:26", "2017-12-30", "2024-03-01 12:30:00.25", "2024-03-01T12:30:00Z",
		"2024-03-01T12:30:00+03:00", "2024-03-01T12:30:00.123456789-07:00", "2024-03-01T12:30:00",
		"2024-03-01T12:30:00.5", "2024-02-29", "0000-00-00", "", "undef", "2023-02-29",
		"01.03.2024", "2024-03-01 12:30", "2024-03-01T12:30:00+0500", "1709296200",
		"0000-01-01T00:00:00+05:00", "9999-12-31 23:59:59.999999999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		utc, errUTC := ParseTime(s, nil)
		plus5, err5 := ParseTime(s, fzPlus5Loc)
		if (errUTC == nil) != (err5 == nil) {
			t.Fatalf("%q: accepted in one location only: %v / %v", s, errUTC, err5)
		}
		if errUTC != nil {
			if !utc.IsZero() || !plus5.IsZero() {
				t.Fatalf("%q: a non-zero time with an error", s)
			}
			return
		}
		// The wall clock is the text's; only a zone-less text moves with
		// the location, by exactly the difference of the offsets.
		const wall = "2006-01-02 15:04:05.999999999"
		if utc.Format(wall) != plus5.Format(wall) {
			t.Fatalf("%q: wall clocks differ: %s / %s", s, utc.Format(wall), plus5.Format(wall))
		}
		if d := utc.Sub(plus5); d != 0 && d != 5*time.Hour {
			t.Fatalf("%q: the location moved the time by %v", s, d)
		}
		if y := utc.Year(); y < 0 || y > 9999 {
			t.Fatalf("%q: year %d out of the 4-digit layouts' range", s, y)
		}
		for _, v := range []time.Time{utc, plus5} {
			text := v.Format(time.RFC3339Nano)
			back, err := ParseTime(text, nil)
			if err != nil || !back.Equal(v) {
				t.Fatalf("%q: %s does not parse back (%v, %v)", s, text, back, err)
			}
		}
	})
}
