package transport

import (
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Mask replaces every secret in error strings, log lines and URLs.
const Mask = "REDACTED"

// Secrets is a registry of values that must never be printed. A client
// registers its API key, token or password here; the transport then masks
// them, and their URL-escaped forms, everywhere it produces text.
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

// Len returns the number of registered values (each secret counts once per
// distinct escaped form).
func (s *Secrets) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.values)
}

func secretForms(v string) []string {
	return []string{v, url.QueryEscape(v), url.PathEscape(v)}
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
