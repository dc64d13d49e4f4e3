package ids

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// FuzzIdentifiers checks the three validators against independent
// implementations of the published algorithms (IIN/BIN two weight passes,
// GS1 3-1 weights, EDRPOU with the 30000000–59999999 weights and the +2
// second pass), and their invariants: no
// panic, exactly one sentinel per error, a number that passes has only
// ASCII digits and the right length, its check digit is what the
// CheckDigit function computes, and changing the check digit fails.
// Each input is also turned into a number of every length (its digits,
// padded) completed with its check digit, so valid numbers are exercised
// on every run, not only when the fuzzer guesses a checksum.
//
//	go test -run '^$' -fuzz '^FuzzIdentifiers$' ./internal/ids/
func FuzzIdentifiers(f *testing.F) {
	for _, s := range []string{
		// IIN/BIN: uchet's sample, python-stdnum doctests, the paruskaz
		// placeholder (invalid), second-pass and never-issued numbers.
		"141040028436", "940140000385", "990140004654", "123456789012", "900101300811", "900101300800",
		// GTIN: the True API listV2 sample, EAN-13, UPC-A, GTIN-8.
		"04780085115559", "00000046229175", "04606203084630", "4006381333931", "036000291452", "96385074",
		// EDRPOU: the openschool samples, both weight ranges.
		"02146713", "03355353", "37000006", "40123454", "12345610",
		"", "14104002843X", "١٤١٠٤٠٠٢٨٤٣٦", "1410400284\xff6", " 141040028436",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range fzCheckers {
			c.check(t, s)
			digits := fzDigitsOf(s)
			for _, n := range c.lengths {
				data := fzPad(digits, n-1)
				c.complete(t, data)
			}
		}
	})
}

type fzChecker struct {
	name       string
	lengths    []int
	validate   func(string) error
	checkDigit func(string) (int, error)
	reference  func(data string) int // -1: no check digit exists
}

var fzCheckers = []fzChecker{
	{"IIN/BIN", []int{12}, IINBIN, IINBINCheckDigit, fzRefIINBIN},
	{"GTIN", []int{8, 12, 13, 14}, GTIN, GTINCheckDigit, fzRefGTIN},
	{"EDRPOU", []int{8}, EDRPOU, EDRPOUCheckDigit, fzRefEDRPOU},
}

// check validates s as given.
func (c fzChecker) check(t *testing.T, s string) {
	t.Helper()
	err := c.validate(s)
	allDigits := strings.Trim(s, "0123456789") == ""
	goodLen := slices.Contains(c.lengths, len(s))
	if err != nil {
		kinds := 0
		for _, k := range []error{ErrDigits, ErrLength, ErrChecksum} {
			if errors.Is(err, k) {
				kinds++
			}
		}
		if kinds != 1 {
			t.Fatalf("%s(%q): %v matches %d sentinels", c.name, s, err, kinds)
		}
		switch {
		case !allDigits && !errors.Is(err, ErrDigits):
			t.Fatalf("%s(%q): a non-digit gave %v", c.name, s, err)
		case allDigits && !goodLen && !errors.Is(err, ErrLength):
			t.Fatalf("%s(%q): a wrong length gave %v", c.name, s, err)
		case allDigits && goodLen && !errors.Is(err, ErrChecksum):
			t.Fatalf("%s(%q): digits of the right length gave %v", c.name, s, err)
		}
		if allDigits && goodLen && c.reference(s[:len(s)-1]) == int(s[len(s)-1]-'0') {
			t.Fatalf("%s(%q) refused a number the reference algorithm accepts: %v", c.name, s, err)
		}
		return
	}
	if !allDigits || !goodLen {
		t.Fatalf("%s(%q) accepted: want %v ASCII digits", c.name, s, c.lengths)
	}
	last := len(s) - 1
	if want := c.reference(s[:last]); want != int(s[last]-'0') {
		t.Fatalf("%s(%q) accepted; the reference algorithm wants check digit %d", c.name, s, want)
	}
	c.complete(t, s[:last])
}

// complete checks every completion of the data digits with one more digit.
func (c fzChecker) complete(t *testing.T, data string) {
	t.Helper()
	want := c.reference(data)
	got, err := c.checkDigit(data)
	switch {
	case want < 0 && !errors.Is(err, ErrChecksum):
		t.Fatalf("%s check digit of %q: got %d, %v; no check digit exists", c.name, data, got, err)
	case want >= 0 && (err != nil || got != want):
		t.Fatalf("%s check digit of %q: got %d, %v; want %d", c.name, data, got, err, want)
	}
	for d := byte('0'); d <= '9'; d++ {
		s := data + string(d)
		err := c.validate(s)
		if int(d-'0') == want {
			if err != nil {
				t.Fatalf("%s(%q) refused its own check digit: %v", c.name, s, err)
			}
		} else if !errors.Is(err, ErrChecksum) {
			t.Fatalf("%s(%q) with a wrong check digit: %v", c.name, s, err)
		}
	}
}

// fzDigitsOf keeps the ASCII digits of s.
func fzDigitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// fzPad cuts or left-pads digits with zeros to n digits.
func fzPad(digits string, n int) string {
	if len(digits) >= n {
		return digits[len(digits)-n:]
	}
	return strings.Repeat("0", n-len(digits)) + digits
}

func fzWeighted(data string, w ...int) int {
	sum := 0
	for i, c := range data {
		sum += int(c-'0') * w[i]
	}
	return sum
}

// fzRefIINBIN: s = Σ d·(1..11) mod 11; on 10, weights 3..11,1,2; on 10
// again the number is never issued.
func fzRefIINBIN(data string) int {
	if c := fzWeighted(data, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11) % 11; c != 10 {
		return c
	}
	if c := fzWeighted(data, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2) % 11; c != 10 {
		return c
	}
	return -1
}

// fzRefGTIN: weights 3,1,3,… from the rightmost data digit; the check
// digit brings the sum to a multiple of 10.
func fzRefGTIN(data string) int {
	sum := 0
	for i := 0; i < len(data); i++ {
		w := 1
		if (len(data)-1-i)%2 == 0 {
			w = 3
		}
		sum += w * int(data[i]-'0')
	}
	return (10 - sum%10) % 10
}

// fzRefEDRPOU: weights 1..7, or 7,1..6 for codes 30000000–59999999; on a
// remainder of 10 every weight grows by 2 and the result is taken mod 10.
func fzRefEDRPOU(data string) int {
	w := []int{1, 2, 3, 4, 5, 6, 7}
	if data[0] >= '3' && data[0] <= '5' {
		w = []int{7, 1, 2, 3, 4, 5, 6}
	}
	if c := fzWeighted(data, w...) % 11; c != 10 {
		return c
	}
	for i := range w {
		w[i] += 2
	}
	return fzWeighted(data, w...) % 11 % 10
}
