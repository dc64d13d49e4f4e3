package transport

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Mask replaces every secret in error strings, log lines and URLs.
const Mask = "REDACTED"

// Secrets is a registry of values that must never be printed. A client
// registers its API key, token or password here; the transport then masks
// them everywhere it produces text, in every form an echoing server may
// print them (see secretForms): raw, URL-escaped, JSON- and HTML-escaped,
// and base64.
// The zero value is ready to use and safe for concurrent use.
type Secrets struct {
	mu       sync.RWMutex
	values   []string
	replacer *strings.Replacer
}

// Add registers secret values. Empty strings are ignored.
func (s *Secrets) Add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if v == "" {
			continue
		}
		for _, form := range secretForms(v) {
			if !slices.Contains(s.values, form) {
				s.values = append(s.values, form)
			}
		}
	}
	s.replacer = nil
}

// Remove unregisters values added earlier, such as a rotated token that
// can no longer be used. Unknown values are ignored.
func (s *Secrets) Remove(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if v == "" {
			continue
		}
		for _, form := range secretForms(v) {
			if i := slices.Index(s.values, form); i >= 0 {
				s.values = slices.Delete(s.values, i, i+1)
			}
		}
	}
	s.replacer = nil
}

// longest returns the length in bytes of the longest registered form.
func (s *Secrets) longest() int {
	if s == nil {
		return 0
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, v := range s.values {
		n = max(n, len(v))
	}
	return n
}

// Len returns the number of registered values (each secret counts once per
// distinct escaped form).
func (s *Secrets) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.values)
}

// secretForms lists every form in which an echoing server may print v:
// raw; query- and path-escaped (also with slashes kept, as in a URL); as the inside of a JSON string the way
// encoding/json writes it (with and without HTML escaping) and the way PHP
// writes it ("\/" for "/", and non-ASCII as \uXXXX); HTML-escaped with the
// usual entity spellings; and base64, standard and URL-safe, padded and
// raw. Duplicates are removed.
func secretForms(v string) []string {
	forms := []string{v, url.QueryEscape(v), url.PathEscape(v),
		// As a URL prints it in a path, slashes kept (a Location).
		(&url.URL{Path: v}).EscapedPath()}
	for _, html := range []bool{false, true} {
		for _, slash := range []bool{false, true} {
			for _, ascii := range []bool{false, true} {
				j := jsonEscape(v, html, slash, ascii)
				forms = append(forms, j)
				if strings.ContainsAny(v, "\b\f") {
					// encoding/json writes these two short; others write \u0008.
					forms = append(forms, strings.NewReplacer(`\u0008`, `\b`, `\u000c`, `\f`).Replace(j))
				}
			}
		}
	}
	// A value without an HTML-special character is its own HTML form (the
	// common case: a token rotated on every answer costs no replacers).
	if strings.ContainsAny(v, `&<>"'`) {
		for _, quot := range []string{"&#34;", "&quot;"} {
			for _, apos := range []string{"&#39;", "&#x27;", "&apos;"} {
				forms = append(forms, strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, quot, "'", apos).Replace(v))
			}
		}
	}
	b := []byte(v)
	forms = append(forms,
		base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b))
	slices.Sort(forms)
	return slices.Compact(forms)
}

// jsonEscape returns v as the inside of a JSON string. Like encoding/json it
// writes \", \\, \n, \r, \t, \u00XX for other control characters, \ufffd
// for invalid UTF-8 and \u2028/\u2029; html also escapes <, > and & as
// \u003c-style; slash writes "/" as "\/"; ascii writes every non-ASCII
// character as \uXXXX (UTF-16, lower-case hex).
func jsonEscape(v string, html, slash, ascii bool) string {
	if !needsJSONEscape(v) {
		return v
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	u4 := func(r rune) {
		b.WriteString(`\u`)
		b.WriteByte(hex[r>>12&0xf])
		b.WriteByte(hex[r>>8&0xf])
		b.WriteByte(hex[r>>4&0xf])
		b.WriteByte(hex[r&0xf])
	}
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			u4(0xfffd)
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20, r == '\u2028', r == '\u2029', html && (r == '<' || r == '>' || r == '&'):
			u4(r)
		case slash && r == '/':
			b.WriteString(`\/`)
		case ascii && r >= utf8.RuneSelf:
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				u4(r1)
				u4(r2)
			} else {
				u4(r)
			}
		default:
			b.WriteString(v[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsJSONEscape reports whether any variant of jsonEscape could write v
// other than as it is: a control byte, a non-ASCII byte, or one of the
// bytes " \ < > & /.
func needsJSONEscape(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c >= utf8.RuneSelf || strings.IndexByte(`"\\<>&/`, c) >= 0 {
			return true
		}
	}
	return false
}

// Redact returns text with every registered secret masked.
func (s *Secrets) Redact(text string) string {
	if s == nil {
		return text
	}
	return s.current().Replace(text)
}

// current returns the replacer for the registered values, building it on
// first use after a change: Add and Remove stay cheap even when a session
// rotates its token on every request.
func (s *Secrets) current() *strings.Replacer {
	s.mu.RLock()
	r := s.replacer
	s.mu.RUnlock()
	if r != nil {
		return r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.replacer == nil {
		// Longest first, so a secret that contains another is masked whole.
		sorted := slices.Clone(s.values)
		slices.SortStableFunc(sorted, func(a, b string) int { return len(b) - len(a) })
		pairs := make([]string, 0, 2*len(sorted))
		for _, v := range sorted {
			pairs = append(pairs, v, Mask)
		}
		s.replacer = strings.NewReplacer(pairs...)
	}
	return s.replacer
}

// RedactBytes is Redact for a body.
func (s *Secrets) RedactBytes(b []byte) []byte {
	if s == nil || len(b) == 0 {
		return b
	}
	out := s.Redact(string(b))
	return []byte(out)
}

// redactURL prints u with the values of sensitive query parameters, the
// userinfo password and every registered secret masked.
func redactURL(u *url.URL, secretParams []string, secrets *Secrets) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		if _, has := c.User.Password(); has {
			c.User = url.UserPassword(c.User.Username(), Mask)
		}
	}
	if c.RawQuery != "" && len(secretParams) > 0 {
		q := c.Query()
		changed := false
		for _, name := range secretParams {
			if vs, ok := q[name]; ok {
				for i := range vs {
					vs[i] = Mask
				}
				changed = true
			}
		}
		if changed {
			c.RawQuery = q.Encode()
		}
	}
	return secrets.Redact(c.String())
}
