package paruskaztest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reference decodes body with encoding/json, for comparison.
func reference(t testing.TB, body string) []Event {
	t.Helper()
	var req struct {
		Param struct {
			Data []wireItem `json:"data"`
		} `json:"param"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &req))
	var out []Event
	for _, it := range req.Param.Data {
		for _, p := range it.Person {
			out = append(out, Event{BIN: it.BIN, OrgName: it.OrgName, DateTime: p.DateTime, IIN: p.IIN, FIO: p.FIO, Note: p.Note})
		}
	}
	return out
}

// eventsOf strips the parsed times.
func eventsOf(ds []decoded) []Event {
	out := make([]Event, len(ds))
	for i, d := range ds {
		out[i] = d.Event
	}
	return out
}

// tricky is a valid body with escapes, quotes, backslashes, invalid UTF-8
// and white space everywhere.
const tricky = " \r\n\t{ \"source\" : \"Query\" , \"code\" : \"\\u0049nsertACS\" , \"param\" : { \"data\" : [ { \"person\" : [ " +
	`{"note":"a \"quoted\" note \\","fio":"\u0418\u0432\u0430\u043d\u043e\u0432 \\\\ \/","iin":"900101300017","datetime":"2024-01-13T10:01:23.123456789+06:00"},` +
	"{\"datetime\":\"2024-01-13T10:01:24Z\",\"iin\":\"850715300122\",\"fio\":\"bad \xff\xfe byte\",\"note\":\"\\ud83d\\ude00 \U0001F600\"}" +
	" ] , \"org_name\" : \"\\tШкола\" , \"bin\" : \"980400001234\" } ] } } \n "

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for name, body := range map[string]string{
		"valid":  validBody,
		"doc":    docExample,
		"tricky": tricky,
		"many":   encode(t, makeEvents(t, 300)...),
	} {
		t.Run(name, func(t *testing.T) {
			want := reference(t, body)
			require.NotEmpty(t, want)
			got, err := decodeBody(strings.NewReader(body), false)
			require.NoError(t, err)
			assert.Equal(t, want, eventsOf(got))

			// The same, one byte at a time, so that every token crosses a
			// read boundary.
			got, err = decodeBody(iotest.OneByteReader(strings.NewReader(body)), false)
			require.NoError(t, err)
			assert.Equal(t, want, eventsOf(got))

			got, err = decodeBody(iotest.DataErrReader(strings.NewReader(body)), false)
			require.NoError(t, err)
			assert.Equal(t, want, eventsOf(got))
		})
	}
	got, err := decodeBody(strings.NewReader(tricky), false)
	require.NoError(t, err)
	assert.Equal(t, `a "quoted" note \`, got[0].Note)
	assert.Equal(t, `Иванов \\ /`, got[0].FIO)
	assert.Equal(t, "bad \uFFFD\uFFFD byte", got[1].FIO)
	assert.Equal(t, "😀 😀", got[1].Note)
	assert.Equal(t, "\tШкола", got[1].OrgName)
	want := time.Date(2024, 1, 13, 4, 1, 23, 123456789, time.UTC)
	assert.Equal(t, want.Unix(), got[0].sec)
	assert.EqualValues(t, want.Nanosecond(), got[0].nsec)
}

// TestDecodeNeverAcceptsInvalidJSON mutates valid bodies byte by byte and
// checks that whatever the parser accepts, encoding/json accepts too and
// reads the same way.
func TestDecodeNeverAcceptsInvalidJSON(t *testing.T) {
	inserts := []string{"", " ", ",", "}", "]", `"`, `\`, ":", "0", "\x01", "\xff"}
	accepted := 0
	for _, body := range []string{validBody, tricky} {
		for i := 0; i <= len(body); i++ {
			for _, ins := range inserts {
				for _, drop := range []int{0, 1} {
					if i+drop > len(body) || (ins == "" && drop == 0) {
						continue
					}
					mutated := body[:i] + ins + body[i+drop:]
					got, err := decodeBody(strings.NewReader(mutated), false)
					if err != nil {
						continue
					}
					accepted++
					require.Truef(t, json.Valid([]byte(mutated)), "accepted invalid JSON %q", mutated)
					require.Equal(t, reference(t, mutated), eventsOf(got), mutated)
				}
			}
		}
	}
	assert.Positive(t, accepted, "some harmless mutations (white space) must pass")
}

func TestDecodeErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{"source":"Query"`:                                            `body: malformed JSON: unexpected end of body`,
		`{"source":"Query",}`:                                          `body: malformed JSON at byte 18: want an object key, got '}'`,
		`{"source" "Query"}`:                                           `body: malformed JSON at byte 10: want ':' after an object key, got '"'`,
		`{"source":"Query" "code":1}`:                                  `body: malformed JSON at byte 18: want ',' or '}', got '"'`,
		`{"source":"Que` + "\n" + `ry"}`:                               `source: malformed JSON at byte 14: control character '\n' in a string`,
		`{"source":"\q"}`:                                              `source: malformed JSON at byte 10: invalid escape in a string`,
		`{"source":"Query","code`:                                      `body: malformed JSON: unexpected end of body`,
		`{"source":nul}`:                                               `source: malformed JSON at byte 10: want a value, got 'n'`,
		`{"source":fals}`:                                              `source: malformed JSON at byte 10: want a value, got 'f'`,
		`{"source":true}`:                                              `source: must be a string, got a boolean`,
		`{"source":-1}`:                                                `source: must be a string, got a number`,
		`{"source":{}}`:                                                `source: must be a string, got an object`,
		"{\"source\":\xff}":                                            `source: malformed JSON at byte 10: want a value, got byte 0xff`,
		`{"source":Ж}`:                                                 `source: malformed JSON at byte 10: want a value, got '\u0416'`,
		`{"param":{"data":[{"person":[{},]`:                            `param.data[0].person[0]: missing key "datetime"`,
		`{"param":{"data":[{"person":[{"datetime":"x"`:                 `param.data[0].person[0]: malformed JSON: unexpected end of body`,
		`{"param":{"data":[{"person":[` + validPerson + `,]`:           `param.data[0].person[1]: malformed JSON at byte`,
		`{"param":{"data":[{"person":[` + validPerson + `}`:            `param.data[0].person: malformed JSON at byte`,
		`{"param":{"data":[{"person":[` + validPerson:                  `param.data[0].person: malformed JSON: unexpected end of body`,
		`{"param":{"data":[`:                                           `param.data: malformed JSON: unexpected end of body`,
		`{"param":{"data":[{}`:                                         `param.data[0]: missing key "bin"`,
		`{"param":{"data":[{"person":[{"datetime":"x"}`:                `param.data[0].person[0]: missing key "iin"`,
		`{"param":{"data":[{"person":[{"x":"x"}`:                       `param.data[0].person[0]: unknown key "x", want datetime, iin, fio, note`,
		`{"param":{"data":[{"person":[{"datetime" 1}`:                  `param.data[0].person[0]: malformed JSON at byte`,
		`{"param":{"data":[{"person":[{"datetime":"x","datetime":"y"}`: `param.data[0].person[0]: duplicate key "datetime"`,
		`{"param":{}}`:                                                 `param: missing key "data"`,
		`{}`:                                                           `body: missing key "source"`,
		`{"source":"Query","code":"InsertACS","param":{"data":[` + strings.Repeat(" ", 100) + `{"bin":"1"`: `param.data[0].bin: must be 12 ASCII digits, got "1"`,
	} {
		_, err := decodeBody(strings.NewReader(in), false)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
}

func TestDecodeReadError(t *testing.T) {
	broken := errors.New("connection reset")
	for _, cut := range []int{0, 1, 30, 150, len(validBody)} {
		_, err := decodeBody(iotest.DataErrReader(&failAfter{s: validBody[:cut], err: broken}), false)
		require.Error(t, err, cut)
		assert.ErrorIs(t, err, broken, cut)
		assert.Contains(t, err.Error(), "reading the body: connection reset", cut)
	}
}

// failAfter reads s and then fails with err.
type failAfter struct {
	s   string
	err error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.s == "" {
		return 0, f.err
	}
	n := copy(p, f.s)
	f.s = f.s[n:]
	return n, nil
}

func TestQuote(t *testing.T) {
	assert.Equal(t, `"abc"`, quote("abc"))
	assert.Equal(t, `"\u044f"`, quote("я"))
	assert.Equal(t, `"`+strings.Repeat("a", 40)+`"…`, quote(strings.Repeat("a", 41)))
}

// BenchmarkDecode measures decoding and storing 100,000 events.
func BenchmarkDecode(b *testing.B) {
	events := makeEvents(b, 100_000)
	body := encode(b, events...)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		s := &Server{index: map[passKey]int{}}
		got, err := decodeBody(strings.NewReader(body), false)
		if err != nil {
			b.Fatal(err)
		}
		s.store(got, time.Time{}, int64(len(body)))
	}
}
