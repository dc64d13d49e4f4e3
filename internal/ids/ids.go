package ids

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Sentinel errors wrapped by every validation error in this package.
var (
	// ErrDigits reports a character other than an ASCII digit '0'–'9'.
	ErrDigits = errors.New("non-digit character")
	// ErrLength reports a digit count not allowed for the identifier.
	ErrLength = errors.New("invalid length")
	// ErrChecksum reports a check digit that does not match the data digits,
	// or data digits for which no check digit exists.
	ErrChecksum = errors.New("checksum mismatch")
)

// checkDigits reports the first byte of s that is not an ASCII digit.
func checkDigits(name, s string) error {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			r, _ := utf8.DecodeRuneInString(s[i:])
			return fmt.Errorf("ids: %s: %w %q at byte offset %d", name, ErrDigits, r, i)
		}
	}
	return nil
}

// lengthError builds an ErrLength error; want describes the allowed counts.
func lengthError(name, want string, got int) error {
	return fmt.Errorf("ids: %s: %w: want %s digits, got %d", name, ErrLength, want, got)
}

// checksumError builds an ErrChecksum error for a mismatching check digit.
func checksumError(name string, want int, got byte) error {
	return fmt.Errorf("ids: %s: %w: check digit is %c, want %d", name, ErrChecksum, got, want)
}

// digit returns the numeric value of the ASCII digit at s[i].
func digit(s string, i int) int {
	return int(s[i] - '0')
}

// Rule says what err (from [IINBIN], [GTIN] or [EDRPOU]) found wrong
// without quoting the identifier or any of its digits, for errors that
// must not print the value: "must hold ASCII digits only", "must be 12
// digits" (wantLen) or "check digit does not match".
func Rule(err error, wantLen string) string {
	switch {
	case errors.Is(err, ErrDigits):
		return "must hold ASCII digits only"
	case errors.Is(err, ErrLength):
		return "must be " + wantLen + " digits"
	default:
		return "check digit does not match"
	}
}
