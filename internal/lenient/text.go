package lenient

import (
	"unicode/utf16"
	"unicode/utf8"
)

// plainText returns the text of raw, a JSON string, when it needs no
// unescaping (no backslash, valid UTF-8): the usual case.
func plainText(raw []byte) (string, bool) {
	n := len(raw)
	if n < 2 || raw[0] != '"' || raw[n-1] != '"' {
		return "", false
	}
	inner := raw[1 : n-1]
	if !Plain(inner) {
		return "", false
	}
	return string(inner), true
}

// Plain reports whether inner, the bytes between a JSON string's quotes,
// is its text: valid UTF-8 without escapes or control characters.
func Plain(inner []byte) bool {
	ascii := true
	for _, c := range inner {
		if c < 0x20 || c == '\\' || c == '"' {
			return false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	return ascii || utf8.Valid(inner)
}

// Text returns the text of raw, a JSON string, as encoding/json reads it,
// for strings of valid UTF-8 whose escapes are the short ones (\" \\ \/
// \b \f \n \r \t) or \u escapes of characters outside the surrogate range:
// all but the rarest strings, read with one allocation. It reports false
// for anything else (invalid UTF-8, a surrogate, a value that is not a
// string), which encoding/json reads with its replacements.
func Text(raw []byte) (string, bool) {
	if s, ok := plainText(raw); ok {
		return s, true
	}
	n := len(raw)
	if n < 2 || raw[0] != '"' || raw[n-1] != '"' || !utf8.Valid(raw) {
		return "", false
	}
	inner := raw[1 : n-1]
	var buf [256]byte
	out := buf[:0]
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		switch {
		case c == '"' || c < 0x20:
			return "", false // not a JSON string
		case c != '\\':
			out = append(out, c)
			continue
		}
		if i++; i == len(inner) {
			return "", false
		}
		switch e := inner[i]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+4 >= len(inner) {
				return "", false
			}
			r, ok := hex4(inner[i+1 : i+5])
			if !ok || utf16.IsSurrogate(r) {
				return "", false
			}
			out = utf8.AppendRune(out, r)
			i += 4
		default:
			return "", false
		}
	}
	return string(out), true
}

// hex4 reads four hexadecimal digits.
func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
