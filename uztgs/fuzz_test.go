package uztgs

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets of the hand-written channel_data scanner and of the error
// body decoder. Their seeds run as ordinary tests; fuzz one with e.g.
//
//	go test -run '^$' -fuzz '^FuzzReadings$' ./uztgs/

// FuzzReadings: the scanner never panics, even on bytes encoding/json has
// not validated; on valid JSON it reads exactly what a decoder built on
// encoding/json reads; and what it reads, written with MarshalJSON, is
// valid JSON that reads back to the same channels and values.
func FuzzReadings(f *testing.F) {
	// The archive samples of §3.3 (channel order changes between records)
	// and the forms the decoder documents.
	for _, s := range []string{
		`[{ "T": 25.193481 }, { "VNakpriv": 89519.01 }, { "VNakwork": 292537.06 }, { "P": 0.9954071 }]`,
		`[  
        { "P": 0.995224 },  
        { "VNakpriv": 89519.01 },  
        { "VNakwork": 292537.06 },  
        { "T": 25.103271 }  
      ]`,
		`[]`, `null`, `[{"T":"25.5"},{"X":"обрыв"}]`, `[{"T":null},{}]`, `[{"a":1,"b":2}]`, `[{"k\"ey":1}]`,
		`[{"e":true},{"o":{"x":[1,"}"]}},{"l":[1,2]},{"f":false}]`, `[{"s":"a\u0041"}]`, `[{"big":1e400}]`,
		`[{"Vwork":-0.0},{"dP":1E-7},{"Qst":" 12 "}]`, `{"T":1}`, `[{"T" 1}]`, `[{"T`, `[{"T":"\`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var direct Readings
		errDirect := direct.UnmarshalJSON(b)
		if !json.Valid(b) {
			return
		}
		if !utf8.Valid(b) {
			return // the scanner keeps invalid bytes as sent, encoding/json replaces them
		}
		var rs Readings
		err := json.Unmarshal(b, &rs)
		want, ok := fzReferenceReadings(b)
		if (err == nil) != ok || (errDirect == nil) != ok {
			t.Fatalf("%q: reference ok %v; json.Unmarshal %v; UnmarshalJSON %v", b, ok, err, errDirect)
		}
		if !ok {
			return
		}
		if !fzReadingsEqual(rs, want, true) || !fzReadingsEqual(direct, want, true) {
			t.Fatalf("%q:\n got %#v\nwant %#v", b, rs, want)
		}
		out, err := json.Marshal(rs)
		if err != nil || !json.Valid(out) {
			t.Fatalf("%q: MarshalJSON wrote %q: %v", b, out, err)
		}
		var back Readings
		if err := json.Unmarshal(out, &back); err != nil || !fzReadingsEqual(back, rs, false) {
			t.Fatalf("%q -> %s -> %#v, %v", b, out, back, err)
		}
	})
}

// fzReferenceReadings decodes channel_data with encoding/json's tokens.
func fzReferenceReadings(b []byte) (Readings, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil, false
	}
	if tok == nil {
		return nil, true
	}
	if tok != json.Delim('[') {
		return nil, false
	}
	out := Readings{}
	for dec.More() {
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return nil, false
		}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, false
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, false
			}
			r := Reading{Channel: key.(string)}
			switch c := raw[0]; {
			case c == '"':
				_ = json.Unmarshal(raw, &r.Text)
				if v, err := strconv.ParseFloat(strings.TrimSpace(r.Text), 64); err == nil {
					r.Value, r.Valid = v, true
				}
			case c == '-' || (c >= '0' && c <= '9'):
				if v, err := strconv.ParseFloat(string(raw), 64); err == nil {
					r.Value, r.Valid = v, true
				} else {
					r.Text = string(raw)
				}
			case c == 'n':
			default:
				r.Text = string(raw)
			}
			out = append(out, r)
		}
		if _, err := dec.Token(); err != nil {
			return nil, false
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, false
	}
	return out, true
}

// fzReadingsEqual compares readings; withText also compares the text of
// numeric readings, which MarshalJSON writes as numbers.
func fzReadingsEqual(a, b Readings, withText bool) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		sameValue := x.Value == y.Value || (math.IsNaN(x.Value) && math.IsNaN(y.Value))
		if x.Channel != y.Channel || x.Valid != y.Valid || !sameValue {
			return false
		}
		if (withText || !x.Valid) && x.Text != y.Text {
			return false
		}
	}
	return true
}

// FuzzParseError: the error bodies devise_token_auth sends (a list of
// errors, success false with errors, full_messages, a single error) give
// their messages back joined; no body panics.
func FuzzParseError(f *testing.F) {
	f.Add("You need to sign in or sign up before continuing.", "")
	f.Add("Invalid login credentials. Please try again.", "Неверные логин или пароль. Пожалуйста, попробуйте еще раз.")
	f.Add("User was not found or was not logged in.", "Пользователь не найден или не вошел.")
	f.Add(`{"success":false,"errors":["Invalid login credentials"]}`, "Email can't be blank")
	f.Add(`{"errors":{"x":1}}`, "\xff")
	f.Fuzz(func(t *testing.T, a, b string) {
		parseError(401, nil, []byte(a))
		parseError(401, nil, []byte(b))
		ta, tb := fzText(a), fzText(b)
		for _, c := range []struct {
			body any
			want string
		}{
			{map[string]any{"errors": []string{a}}, ta},
			{map[string]any{"success": false, "errors": []string{a, b}}, ta + "; " + tb},
			{map[string]any{"status": "error", "errors": map[string]any{"full_messages": []string{a, b}}}, ta + "; " + tb},
			{map[string]any{"error": a}, ta},
		} {
			body, _ := json.Marshal(c.body)
			if code, msg := parseError(401, nil, body); code != "" || msg != c.want {
				t.Fatalf("%s: got %q, %q; want %q", body, code, msg, c.want)
			}
		}
	})
}

// fzText is s as a JSON round trip gives it back.
func fzText(s string) string {
	b, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(b, &out)
	return out
}
