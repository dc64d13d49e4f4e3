package ids

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validateCase is one row of a validator table test.
type validateCase struct {
	name    string
	in      string
	wantErr error  // sentinel the error must wrap; nil means valid
	wantMsg string // substring the error message must contain, if any
}

// runValidate runs a validator table test.
func runValidate(t *testing.T, validate func(string) error, cases []validateCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := validate(tc.in)
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.wantErr)
			if tc.wantMsg != "" {
				assert.Contains(t, err.Error(), tc.wantMsg)
			}
		})
	}
}

// checkDigitCase is one row of a check digit table test.
type checkDigitCase struct {
	name    string
	in      string
	want    int
	wantErr error
}

// runCheckDigit runs a check digit table test.
func runCheckDigit(t *testing.T, compute func(string) (int, error), cases []checkDigitCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := compute(tc.in)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				assert.Zero(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// assertCompletions checks that, among the ten completions of data by one
// digit, exactly the one given by compute validates (or none, when compute
// reports that no check digit exists). It reports whether one was valid.
func assertCompletions(t *testing.T, data string, compute func(string) (int, error), validate func(string) error) bool {
	t.Helper()
	want, err := compute(data)
	if err != nil {
		require.ErrorIs(t, err, ErrChecksum, data)
		want = -1
	}
	for d := range 10 {
		s := data + strconv.Itoa(d)
		if d == want {
			require.NoError(t, validate(s), s)
		} else {
			require.ErrorIs(t, validate(s), ErrChecksum, s)
		}
	}
	return want >= 0
}

func TestIINBIN(t *testing.T) {
	runValidate(t, IINBIN, []validateCase{
		{name: "IIN sample", in: "141040028436"},
		{name: "BIN sample", in: "940140000385"},
		{name: "BIN sample 2", in: "990140004654"},
		// 90010130081: first pass sum 131, remainder 10; second pass 78 → 1.
		{name: "second pass valid", in: "900101300811"},
		{name: "second pass valid 2", in: "900101300823"},
		// 90010130080: remainder 10 with both weight sets.
		{name: "never issued, digit 0", in: "900101300800", wantErr: ErrChecksum, wantMsg: "never issued"},
		{name: "never issued, digit 9", in: "900101300809", wantErr: ErrChecksum, wantMsg: "never issued"},
		// 12345678901: first pass 296 mod 11 = 10; second pass 377 → 3.
		{name: "checksum", in: "123456789012", wantErr: ErrChecksum, wantMsg: "IIN/BIN: checksum mismatch: check digit is 2, want 3"},
		{name: "mutated data digit", in: "141040028536", wantErr: ErrChecksum},
		// Digit 11 has weight 11 in the first pass, so changing it alone
		// leaves the remainder unchanged: the mutation is not detectable.
		{name: "weight 11 blind spot", in: "141040028446"},
		{name: "mutated check digit", in: "141040028437", wantErr: ErrChecksum},
		{name: "second pass mutated", in: "900101300812", wantErr: ErrChecksum},
		{name: "empty", in: "", wantErr: ErrLength, wantMsg: "want 12 digits, got 0"},
		{name: "too short", in: "14104002843", wantErr: ErrLength, wantMsg: "want 12 digits, got 11"},
		{name: "too long", in: "1410400284360", wantErr: ErrLength, wantMsg: "got 13"},
		{name: "letter", in: "14104002843X", wantErr: ErrDigits, wantMsg: `IIN/BIN: non-digit character 'X' at byte offset 11`},
		{name: "space", in: "141040 028436", wantErr: ErrDigits, wantMsg: "' ' at byte offset 6"},
		{name: "leading space", in: " 141040028436", wantErr: ErrDigits},
		{name: "trailing newline", in: "141040028436\n", wantErr: ErrDigits},
		{name: "sign", in: "-41040028436", wantErr: ErrDigits},
		{name: "arabic-indic digits", in: "١٤١٠٤٠٠٢٨٤٣٦", wantErr: ErrDigits, wantMsg: "'١' at byte offset 0"},
		{name: "fullwidth digit", in: "14104002843６", wantErr: ErrDigits, wantMsg: "'６'"},
		{name: "invalid UTF-8", in: "1410400284\xff6", wantErr: ErrDigits, wantMsg: `'�' at byte offset 10`},
	})
}

func TestIINBINCheckDigit(t *testing.T) {
	runCheckDigit(t, IINBINCheckDigit, []checkDigitCase{
		{name: "first pass", in: "14104002843", want: 6},
		{name: "first pass zero", in: "00000000000", want: 0},
		{name: "second pass", in: "90010130081", want: 1},
		{name: "never issued", in: "90010130080", wantErr: ErrChecksum},
		{name: "short", in: "1410400284", wantErr: ErrLength},
		{name: "full number", in: "141040028436", wantErr: ErrLength},
		{name: "letter", in: "1410400284a", wantErr: ErrDigits},
	})
}

// TestIINBINBruteForce searches a block of prefixes for every branch of the
// algorithm and checks IINBIN against IINBINCheckDigit for each completion.
func TestIINBINBruteForce(t *testing.T) {
	var firstPass, secondPass, neverIssued int
	for n := 900101300000; n < 900101302000; n++ {
		data := fmt.Sprintf("%011d", n/10)
		if n%10 != 0 {
			continue
		}
		// Reference first-pass remainder, written independently of the package.
		sum := 0
		for i := range 11 {
			sum += int(data[i]-'0') * (i + 1)
		}
		valid := assertCompletions(t, data, IINBINCheckDigit, IINBIN)
		switch {
		case sum%11 != 10:
			require.True(t, valid, data)
			firstPass++
		case valid:
			secondPass++
		default:
			neverIssued++
		}
	}
	assert.Positive(t, firstPass)
	assert.Positive(t, secondPass)
	assert.Positive(t, neverIssued)
}

func TestGTIN(t *testing.T) {
	runValidate(t, GTIN, []validateCase{
		{name: "GTIN-14 sample", in: "04780085115559"},
		{name: "EAN-13", in: "4006381333931"},
		{name: "UPC-A", in: "036000291452"},
		{name: "GTIN-8", in: "96385074"},
		{name: "check digit zero", in: "4000000000006"},
		{name: "all zeros", in: "00000000"},
		{name: "EAN-13 mutated check digit", in: "4006381333932", wantErr: ErrChecksum, wantMsg: "GTIN: checksum mismatch: check digit is 2, want 1"},
		{name: "EAN-13 mutated data digit", in: "4006381334931", wantErr: ErrChecksum},
		{name: "EAN-13 transposed digits", in: "4006381339331", wantErr: ErrChecksum},
		{name: "GTIN-14 mutated", in: "04780085115558", wantErr: ErrChecksum},
		{name: "GTIN-14 sample as GTIN-13", in: "4780085115559"},
		{name: "GTIN-8 mutated", in: "96385075", wantErr: ErrChecksum},
		{name: "empty", in: "", wantErr: ErrLength, wantMsg: "want 8, 12, 13 or 14 digits, got 0"},
		{name: "length 7", in: "9638507", wantErr: ErrLength},
		{name: "length 9", in: "963850740", wantErr: ErrLength},
		{name: "length 11", in: "03600029145", wantErr: ErrLength},
		{name: "length 15", in: "004780085115559", wantErr: ErrLength},
		{name: "hyphen", in: "400-6381333931", wantErr: ErrDigits, wantMsg: "'-' at byte offset 3"},
		{name: "space", in: "4006381333931 ", wantErr: ErrDigits},
		{name: "unicode digits", in: "４００６３８１３３３９３１", wantErr: ErrDigits},
	})
}

func TestGTINCheckDigit(t *testing.T) {
	runCheckDigit(t, GTINCheckDigit, []checkDigitCase{
		{name: "GTIN-8", in: "9638507", want: 4},
		{name: "GTIN-12", in: "03600029145", want: 2},
		{name: "GTIN-13", in: "400638133393", want: 1},
		{name: "GTIN-14", in: "0478008511555", want: 9},
		{name: "zero", in: "400000000000", want: 6},
		{name: "length 8", in: "96385074", wantErr: ErrLength},
		{name: "empty", in: "", wantErr: ErrLength},
		{name: "letter", in: "40063813339x", wantErr: ErrDigits},
	})
}

func TestGTINCompletions(t *testing.T) {
	for _, data := range []string{"9638507", "03600029145", "400638133393", "0478008511555", "1234567", "9999999999999"} {
		require.True(t, assertCompletions(t, data, GTINCheckDigit, GTIN), data)
	}
}

func TestEDRPOU(t *testing.T) {
	runValidate(t, EDRPOU, []validateCase{
		{name: "sample", in: "02146713"},
		{name: "sample 2", in: "03355353"},
		// 3700000: weights 7,1,…,6 → 28 mod 11 = 6.
		{name: "range 3-5", in: "37000006"},
		{name: "range 3-5 upper", in: "59999905"},
		// 4012345: 98 mod 11 = 10; weights 9,3,…,8 → 136 mod 11 = 4.
		{name: "range 3-5 second pass", in: "40123454"},
		// 1234561: 98 mod 11 = 10; weights 3,…,9 → 142 mod 11 = 10 → 0.
		{name: "second pass mod 10", in: "12345610"},
		{name: "from 60000000", in: "60000163"},
		{name: "all zeros", in: "00000000"},
		{name: "mutated check digit", in: "02146714", wantErr: ErrChecksum, wantMsg: "EDRPOU: checksum mismatch: check digit is 4, want 3"},
		{name: "mutated data digit", in: "02146813", wantErr: ErrChecksum},
		{name: "sample 2 mutated", in: "03355354", wantErr: ErrChecksum},
		{name: "range 3-5 mutated", in: "37000007", wantErr: ErrChecksum},
		// 3700000 weighted 1,…,7 would give 3, so the range weights matter.
		{name: "range 3-5 with low-range weights", in: "37000003", wantErr: ErrChecksum},
		{name: "second pass mutated", in: "40123455", wantErr: ErrChecksum},
		{name: "empty", in: "", wantErr: ErrLength, wantMsg: "EDRPOU: invalid length: want 8 digits, got 0"},
		{name: "short", in: "2146713", wantErr: ErrLength},
		{name: "long", in: "021467130", wantErr: ErrLength},
		{name: "letter", in: "0214671O", wantErr: ErrDigits, wantMsg: "'O' at byte offset 7"},
		{name: "plus", in: "+2146713", wantErr: ErrDigits},
		{name: "unicode digits", in: "٠٢١٤٦٧١٣", wantErr: ErrDigits},
	})
}

func TestEDRPOUCheckDigit(t *testing.T) {
	runCheckDigit(t, EDRPOUCheckDigit, []checkDigitCase{
		{name: "low range", in: "0214671", want: 3},
		{name: "boundary 2999999", in: "2999999", want: 3},
		// 3000000: 3·7 = 21 mod 11 = 10; second pass 3·9 = 27 mod 11 = 5.
		{name: "boundary 3000000", in: "3000000", want: 5},
		{name: "range 3-5", in: "3700000", want: 6},
		{name: "range 3-5 second pass", in: "4012345", want: 4},
		{name: "second pass mod 10", in: "1234561", want: 0},
		{name: "high range", in: "6000016", want: 3},
		{name: "short", in: "021467", wantErr: ErrLength},
		{name: "full code", in: "02146713", wantErr: ErrLength},
		{name: "letter", in: "021467a", wantErr: ErrDigits},
	})
}

func TestEDRPOUCompletions(t *testing.T) {
	for n := 0; n < 10_000_000; n += 99_991 {
		data := fmt.Sprintf("%07d", n)
		require.True(t, assertCompletions(t, data, EDRPOUCheckDigit, EDRPOU), data)
	}
}

// TestEDRPOUWeightsUnchanged guards against the second pass mutating the
// shared weight tables.
func TestEDRPOUWeightsUnchanged(t *testing.T) {
	require.NoError(t, EDRPOU("40123454"))
	require.NoError(t, EDRPOU("12345610"))
	assert.Equal(t, [7]int{1, 2, 3, 4, 5, 6, 7}, edrpouWeights)
	assert.Equal(t, [7]int{7, 1, 2, 3, 4, 5, 6}, edrpouWeightsMid)
	require.NoError(t, EDRPOU("02146713"))
}

func TestErrorsAreDistinct(t *testing.T) {
	errs := []error{ErrDigits, ErrLength, ErrChecksum}
	for i, a := range errs {
		for j, b := range errs {
			assert.Equal(t, i == j, a == b)
		}
	}
}

func TestRuleNeverQuotesTheValue(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{IINBIN("12345678901x"), "must hold ASCII digits only"},
		{IINBIN("1234"), "must be 12 digits"},
		{IINBIN("123456789012"), "check digit does not match"},
		{GTIN("04600439931257"), "check digit does not match"},
		{EDRPOU("3285596"), "must be 12 digits"},
	} {
		got := Rule(tc.err, "12")
		if got != tc.want {
			t.Errorf("Rule(%v) = %q, want %q", tc.err, got, tc.want)
		}
		for _, d := range "0123456789" {
			if strings.ContainsRune(got, d) && !strings.Contains(got, "12 digits") {
				t.Errorf("Rule(%v) = %q quotes a digit", tc.err, got)
			}
		}
	}
}
