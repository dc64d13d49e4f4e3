package paruskaz

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/steppe-sdk/steppe/internal/ids"
)

// Seconds of 0001-01-02 and 9999-12-30 UTC: any offset keeps the year in
// 1–9999 except near the ends, where validation must refuse the event.
const (
	fzMinUnix = -62135596800 + 86400
	fzMaxUnix = 253402300799 - 86400
)

// FuzzUploader runs events built from the input through validation, the
// hand-written encoder and the Uploader's batching, with the request
// replaced by a capture. An event is refused exactly when a documented
// rule says so (BIN and IIN 12 digits with a valid check digit unless the
// check is off; names valid UTF-8 and not blank; the note valid UTF-8; a
// year of 1–9999; an offset within ±23:59), with a *ValidationError. Every body sent is valid JSON
// of the documented envelope within the byte limit, and it, like the
// pending events of Result, gives back every event taken in: the same
// fields, the time to the second with its offset.
//
//	go test -run '^$' -fuzz '^FuzzUploader$' ./paruskaz/
func FuzzUploader(f *testing.F) {
	// The documentation's request example: its placeholder numbers fail
	// the check digit; uchet's sample IIN passes it.
	f.Add("123456789012", "Наименование учреждения", "123456789012", "Иванов Иван Иванович", "Произвольное текстовое примечание", int64(1705140083), int16(0), uint8(2), uint16(600), false)
	f.Add("940140000385", "Наименование учреждения", "141040028436", "Иванов Иван Иванович", "", int64(1705169358), int16(20), uint8(5), uint16(0), true)
	f.Add("141040028436", "\"quoted\" \\ name\n\t\x01", "990140004654", "Ә І Ң Ғ Ү Ұ Қ Ө Һ", "корпус 2", int64(-62135596800), int16(-48), uint8(3), uint16(65535), true)
	f.Add("14104002843X", " ", "141040028436", "\xff", "\u2028", int64(253402300799), int16(56), uint8(1), uint16(10), true)
	// Offsets of 24 h and more cannot be written in RFC 3339 (+24:00), and
	// from 100 h on take three digits (+100:00): both are refused.
	f.Add("940140000385", "Школа", "141040028436", "Иванов Иван Иванович", "", int64(1705169358), int16(96), uint8(5), uint16(0), true)
	f.Add("940140000385", "Школа", "141040028436", "Иванов Иван Иванович", "", int64(1705169358), int16(-96), uint8(5), uint16(0), true)
	f.Add("940140000385", "Школа", "141040028436", "Иванов Иван Иванович", "", int64(1705169358), int16(400), uint8(5), uint16(0), true)
	f.Add("940140000385", "Школа", "141040028436", "Иванов Иван Иванович", "", int64(1705169358), int16(95), uint8(5), uint16(0), true)
	f.Fuzz(func(t *testing.T, bin, org, iin, fio, note string, unix int64, offQ int16, n uint8, limit uint16, checksum bool) {
		maxBody := 400 + int(limit)%4000
		c, err := New("k3y", WithBaseURL("https://fuzz.test/back/apikey/v1/"), WithMaxBodyBytes(maxBody), WithChecksum(checksum))
		if err != nil {
			t.Fatal(err)
		}
		secs := unix // up to a day beyond either end, to cross into years 0 and 10000
		if span := int64(fzMaxUnix - fzMinUnix + 1); unix < fzMinUnix-86400 || unix > fzMaxUnix+86400 {
			secs = fzMinUnix + (unix%span+span)%span
		}
		zone := time.FixedZone("", int(offQ)*15*60) // offQ quarter hours

		var sent []Event
		var requests int
		u := c.NewUploader()
		u.send = func(_ context.Context, parts [][]byte) error {
			body := bytes.Join(parts, nil)
			requests++
			if len(body) > maxBody {
				t.Fatalf("a body of %d bytes, over the limit %d", len(body), maxBody)
			}
			sent = append(sent, fzDecodeBody(t, body)...)
			return nil
		}

		var taken []Event
		for i := range 1 + int(n)%6 {
			e := Event{BIN: bin, OrgName: org, IIN: iin, FIO: fio, Note: note + strconv.Itoa(i),
				Time: time.Unix(secs+int64(i), int64(i)*123456789).In(zone)}
			if i%3 == 2 {
				e.BIN = "940140000385" // a second institution in the batch
			}
			err := u.Add(context.Background(), e)
			why := fzInvalid(e, checksum)
			var ve *ValidationError
			switch {
			case err == nil && why != "":
				t.Fatalf("%+v accepted; want refused: %s", e, why)
			case err != nil && !errors.As(err, &ve):
				t.Fatalf("%+v: %v is not a *ValidationError", e, err)
			case err != nil && why == "" && !strings.Contains(err.Error(), "-byte limit"):
				t.Fatalf("%+v refused: %v", e, err)
			case err == nil:
				taken = append(taken, e)
			}
		}
		pending := u.Result().Pending
		fzSameEvents(t, "pending", append(append([]Event(nil), sent...), pending...), taken)
		if err := u.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		fzSameEvents(t, "sent", sent, taken)
		if r := u.Result(); r.Delivered != len(taken) || r.Requests != requests || len(r.Pending) != 0 {
			t.Fatalf("result %+v after %d events in %d requests", r, len(taken), requests)
		}
	})
}

// fzInvalid gives the documented reason to refuse e, or "".
func fzInvalid(e Event, checksum bool) string {
	for _, n := range []string{e.BIN, e.IIN} {
		if len(n) != 12 || strings.Trim(n, "0123456789") != "" {
			return "not 12 digits"
		}
		if checksum && ids.IINBIN(n) != nil {
			return "check digit"
		}
	}
	for _, s := range []string{e.OrgName, e.FIO} {
		if !utf8.ValidString(s) || strings.TrimSpace(s) == "" {
			return "blank or not UTF-8"
		}
	}
	if !utf8.ValidString(e.Note) {
		return "note not UTF-8"
	}
	if e.Time.IsZero() {
		return "the zero instant, in any zone, is no time" // the documented datetime is required
	}
	if y := e.Time.Year(); y < 1 || y > 9999 {
		return "year"
	}
	if _, off := e.Time.Zone(); off <= -24*3600 || off >= 24*3600 || off%60 != 0 {
		return "offset outside ±23:59 or not whole minutes"
	}
	return ""
}

// fzDecodeBody checks a request body against the documented envelope and
// returns its events.
func fzDecodeBody(t *testing.T, body []byte) []Event {
	t.Helper()
	if !json.Valid(body) {
		t.Fatalf("invalid JSON body %q", body)
	}
	var w wire // the documented envelope (paruskaz_test.go)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil || w.Source != "Query" || w.Code != "InsertACS" || len(w.Param.Data) == 0 {
		t.Fatalf("body %q: %v", body, err)
	}
	var out []Event
	for _, org := range w.Param.Data {
		if len(org.Person) == 0 {
			t.Fatalf("an institution without persons in %q", body)
		}
		for _, p := range org.Person {
			at, err := time.Parse(time.RFC3339, p.DateTime)
			if err != nil || len(p.DateTime) != len(DateTimeLayout) {
				t.Fatalf("datetime %q is not RFC 3339 in %s: %v", p.DateTime, DateTimeLayout, err)
			}
			out = append(out, Event{BIN: org.BIN, OrgName: org.OrgName, Time: at, IIN: p.IIN, FIO: p.FIO, Note: p.Note})
		}
	}
	return out
}

// fzSameEvents compares events by their notes, which are distinct; times
// to the second, with the same offset.
func fzSameEvents(t *testing.T, what string, got, want []Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d events, want %d:\n%+v\n%+v", what, len(got), len(want), got, want)
	}
	byNote := map[string]Event{}
	for _, e := range got {
		byNote[e.Note] = e
	}
	for _, w := range want {
		g, ok := byNote[w.Note]
		_, og := g.Time.Zone()
		_, ow := w.Time.Zone()
		if !ok || g.BIN != w.BIN || g.OrgName != w.OrgName || g.IIN != w.IIN || g.FIO != w.FIO ||
			!g.Time.Equal(w.Time.Truncate(time.Second)) || og != ow {
			t.Fatalf("%s: event %+v came back as %+v", what, w, g)
		}
	}
}
