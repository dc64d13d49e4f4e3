package transport

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzParseRetryAfter checks the Retry-After parser: no panic, never a
// negative delay, whole seconds read exactly (capped at a year), and an
// HTTP date k seconds ahead of now read as k seconds.
//
//	go test -run '^$' -fuzz '^FuzzParseRetryAfter$' ./internal/transport/
func FuzzParseRetryAfter(f *testing.F) {
	// RFC 9110 §10.2.3's examples, the forms servers send, and the edges.
	for _, v := range []string{
		"120", "Fri, 31 Dec 1999 23:59:59 GMT", "0", "5", " 7 ", "-3", "soon", "",
		"99999999999", "9223372036854775807", "Thu, 01 Jan 2026 00:01:00 GMT",
		"Thursday, 01-Jan-26 00:01:00 GMT", "Thu Jan  1 00:01:00 2026", "1.5", "+5",
	} {
		f.Add(v, int64(1767225600), uint32(60))
	}
	f.Fuzz(func(t *testing.T, v string, nowUnix int64, ahead uint32) {
		// now within years 1970–9000, so that now+ahead prints as an HTTP date.
		now := time.Unix(nowUnix%(220000000000)&(1<<62-1), 0).UTC()
		d, ok := parseRetryAfter(http.Header{"Retry-After": {v}}, now)
		if !ok && d != 0 {
			t.Fatalf("%q: not ok with a delay %v", v, d)
		}
		if d < 0 {
			t.Fatalf("%q: negative delay %v", v, d)
		}
		again, ok2 := parseRetryAfter(http.Header{"Retry-After": {v}}, now)
		if again != d || ok2 != ok {
			t.Fatalf("%q: not deterministic", v)
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			const year = int64(365 * 24 * 60 * 60)
			switch {
			case n < 0 && ok:
				t.Fatalf("%q: a negative number accepted", v)
			case n >= 0 && (!ok || d != time.Duration(min(n, year))*time.Second):
				t.Fatalf("%q: got %v, %v", v, d, ok)
			}
		}
		date := now.Add(time.Duration(ahead) * time.Second).Format(http.TimeFormat)
		if d, ok := parseRetryAfter(http.Header{"Retry-After": {date}}, now); !ok || d != time.Duration(ahead)*time.Second {
			t.Fatalf("%q at %v: got %v, %v; want %ds", date, now, d, ok, ahead)
		}
	})
}

// FuzzRedact checks the secrets registry and the error paths that use it:
// once a secret is registered, no text the transport produces holds it
// (or its URL-escaped forms) other than as part of a mask, whatever
// surrounds it: Redact, the URL of a request whose path segment and
// query carry it, and every field of an *Error built from a response
// that echoes it in its body, error code, message and request id.
//
//	go test -run '^$' -fuzz '^FuzzRedact$' ./internal/transport/
func FuzzRedact(f *testing.F) {
	// Tokens of the clients' kinds: uchet's 32-hex token, a JWT, the
	// devise_token_auth triple's parts, paruskaz's key; and awkward ones.
	f.Add("3ea356ede9a74dd089b05a8911e2daa7", "token=", 3)
	f.Add("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJwaWQiOjF9.c2ln", `{"error_message":"Access token expired: `, 40)
	f.Add("a b/c?d=e&f+g%h", "x", 0)
	f.Add("DX", "DXX", 1)
	f.Add("Ключ доступа", "Х-АРІ-КЕҮ: ", 12)
	f.Add("R", "REDACTED", 2)
	f.Add("ab", "aab", 1)
	f.Add("\xff/\x00", "%FF", 1)
	f.Fuzz(func(t *testing.T, secret, text string, at int) {
		s := new(Secrets)
		s.Add(secret)
		if secret == "" {
			if s.Len() != 0 || s.Redact(text) != text {
				t.Fatal("an empty secret was registered")
			}
			return
		}
		forms := secretForms(secret)
		i := 0
		if len(text) > 0 {
			i = (at%len(text) + len(text)) % len(text)
		}
		in := text[:i] + secret + text[i:]
		fzNoSecret(t, "Redact", s.Redact(in), forms)
		fzNoSecret(t, "RedactBytes", string(s.RedactBytes([]byte(in+in))), forms)
		if !fzOverlaps(text, forms) && s.Redact(text) != text {
			t.Fatalf("Redact changed %q, which holds no secret", text)
		}

		base, _ := url.Parse("https://api.example.test/v1/")
		c := &Client{api: "fuzz", base: base, secrets: s, secretParams: []string{"apikey"},
			requestIDs: []string{"X-Request-Id"},
			parseError: func(int, http.Header, []byte) (string, string) { return secret, in },
		}
		u, err := c.URL("items/"+url.PathEscape(secret), url.Values{"token": {secret}, "q": {in}, "apikey": {text}})
		if err != nil {
			t.Fatalf("URL: %v", err)
		}
		printed := redactURL(u, c.secretParams, s)
		fzNoSecret(t, "redactURL", printed, forms)
		if back, err := url.Parse(printed); err == nil && text != "" && text != Mask && text != s.Redact(Mask) &&
			back.Query().Get("apikey") == text {
			t.Fatalf("the secret parameter apikey was not masked: %s", printed)
		}

		header := http.Header{"X-Request-Id": {in}, "Retry-After": {"1"}}
		cause := &url.Error{Op: "Get", URL: u.String(), Err: errors.New("dial " + in)}
		e := c.buildError(http.MethodGet, u, http.StatusBadRequest, header, 2, ErrValidation, cause)
		c.fillFromBody(e, &http.Response{StatusCode: http.StatusBadRequest, Header: header}, []byte(in))
		for _, field := range []struct{ name, text string }{
			{"URL", e.URL}, {"Code", e.Code}, {"Message", e.Message}, {"RequestID", e.RequestID},
			{"Body", string(e.Body)}, {"Err", e.Err.Error()},
		} {
			fzNoSecret(t, "Error."+field.name, field.text, forms)
		}
		if !errors.Is(e, ErrValidation) {
			t.Fatal("the error lost its kind")
		}
		var ue *url.Error
		if !errors.As(e, &ue) {
			t.Fatal("the error lost its *url.Error")
		}
	})
}

// fzNoSecret fails if any form of the secret occurs in out other than
// overlapping a mask (a secret such as "DX" next to a mask's "D" is not a
// leak).
func fzNoSecret(t *testing.T, what, out string, forms []string) {
	t.Helper()
	masked := fzMaskSpans(out)
	for _, form := range forms {
		for from := 0; ; {
			j := strings.Index(out[from:], form)
			if j < 0 {
				break
			}
			start, end := from+j, from+j+len(form)
			if !fzCovered(masked, start, end) {
				t.Fatalf("%s: %q holds the secret form %q at %d", what, out, form, start)
			}
			from = start + 1
		}
	}
}

// fzMaskSpans returns the byte ranges of the masks in out.
func fzMaskSpans(out string) [][2]int {
	var spans [][2]int
	for from := 0; ; {
		j := strings.Index(out[from:], Mask)
		if j < 0 {
			return spans
		}
		spans = append(spans, [2]int{from + j, from + j + len(Mask)})
		from += j + 1
	}
}

// fzCovered reports whether [start, end) overlaps a mask.
func fzCovered(spans [][2]int, start, end int) bool {
	for _, s := range spans {
		if start < s[1] && s[0] < end {
			return true
		}
	}
	return false
}

// fzOverlaps reports whether text holds any of the forms.
func fzOverlaps(text string, forms []string) bool {
	for _, f := range forms {
		if strings.Contains(text, f) {
			return true
		}
	}
	return false
}
