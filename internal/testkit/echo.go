package testkit

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
	"unicode/utf16"
)

// Echo is one way a server may print back a value it received.
type Echo struct {
	Name   string              // a short name for messages, such as "json" or "base64-url-raw"
	Encode func(string) string // the value as the server prints it
}

// Echoes returns the ways a careless server prints back what it got,
// written independently of the transport's own list of secret forms, so
// that tests of the masking have an oracle of their own: as is; query-
// and path-escaped; inside a JSON string the way encoding/json writes it,
// with and without HTML escaping (\u003c), and the way PHP's json_encode
// does ("\/" for "/", and non-ASCII as \uXXXX unless told otherwise);
// html.EscapeString and its &quot; spelling; base64, standard and
// URL-safe, padded and raw.
func Echoes() []Echo {
	return []Echo{
		{"raw", func(s string) string { return s }},
		{"query", url.QueryEscape},
		{"path", url.PathEscape},
		{"json", func(s string) string { return jsonInside(s, true) }},
		{"json-plain", func(s string) string { return jsonInside(s, false) }},
		{"php", func(s string) string { return strings.ReplaceAll(jsonInside(s, false), "/", `\/`) }},
		{"php-ascii", func(s string) string { return asciiEscape(strings.ReplaceAll(jsonInside(s, false), "/", `\/`)) }},
		{"html", html.EscapeString},
		{"html-quot", func(s string) string { return strings.ReplaceAll(html.EscapeString(s), "&#34;", "&quot;") }},
		{"base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }},
		{"base64-raw", func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }},
		{"base64-url", func(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }},
		{"base64-url-raw", func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }},
	}
}

// jsonInside is s as encoding/json writes it inside a string, quotes cut.
func jsonInside(s string, escapeHTML bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(s); err != nil {
		panic(err) // a string always encodes
	}
	out := strings.TrimSuffix(buf.String(), "\n")
	return out[1 : len(out)-1]
}

// asciiEscape writes every non-ASCII character of s as \uXXXX (UTF-16).
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
