package transport

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// echoEncodings are the ways a server may print back a value it received,
// written here independently of secretForms: encoding/json with and
// without HTML escaping, PHP's json_encode (slashes escaped, and by default
// non-ASCII as \uXXXX), html.EscapeString and the &quot; spelling, URL
// escaping and base64.
var echoEncodings = map[string]func(string) string{
	"raw":        func(s string) string { return s },
	"query":      url.QueryEscape,
	"path":       url.PathEscape,
	"json":       func(s string) string { return jsonInside(s, true) },
	"json-plain": func(s string) string { return jsonInside(s, false) },
	"php":        func(s string) string { return strings.ReplaceAll(jsonInside(s, false), "/", `\/`) },
	"php-ascii":  func(s string) string { return asciiEscape(strings.ReplaceAll(jsonInside(s, false), "/", `\/`)) },
	"html":       html.EscapeString,
	"html-quot":  func(s string) string { return strings.ReplaceAll(html.EscapeString(s), "&#34;", "&quot;") },
	"base64":     func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
	"base64-raw": func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) },
	"base64-url": func(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) },
	"base64-url-raw": func(s string) string {
		return base64.RawURLEncoding.EncodeToString([]byte(s))
	},
}

// jsonInside is s as encoding/json writes it inside a string, quotes cut.
func jsonInside(s string, escapeHTML bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	out := strings.TrimSuffix(buf.String(), "\n")
	return out[1 : len(out)-1]
}

// asciiEscape writes every non-ASCII character of s as \uXXXX.
func asciiEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&b, `\u%04x`, u)
		}
	}
	return b.String()
}

// FuzzRedactEchoes checks the masking against an independent oracle: a
// random secret is echoed in a random encoding inside an error body, and
// the redacted body holds the secret in none of the encodings.
//
//	go test -run '^$' -fuzz '^FuzzRedactEchoes$' ./internal/transport/
func FuzzRedactEchoes(f *testing.F) {
	f.Add(`pa"ss\word`, uint8(3))
	f.Add("a/b/c", uint8(5))
	f.Add("Пароль<&>'", uint8(6))
	f.Add("\u2028x\x01", uint8(3))
	f.Add("ok", uint8(9))
	f.Add("tok\xffen", uint8(4))
	f.Add("\b\f", uint8(7))
	names := make([]string, 0, len(echoEncodings))
	for name := range echoEncodings {
		names = append(names, name)
	}
	// Map order is random; fix it so a corpus entry means one encoding.
	sortStrings(names)
	f.Fuzz(func(t *testing.T, secret string, pick uint8) {
		if secret == "" || strings.Contains(Mask, secret) {
			return
		}
		s := new(Secrets)
		s.Add(secret)
		enc := names[int(pick)%len(names)]
		body := `{"error":"wrong credentials: ` + echoEncodings[enc](secret) + `"}`
		out := s.Redact(body)
		var forms []string
		for _, e := range names {
			forms = append(forms, echoEncodings[e](secret))
		}
		fzNoSecret(t, "echo "+enc, out, forms)
	})
}

// sortStrings sorts names in place.
func sortStrings(s []string) { slices.Sort(s) }
