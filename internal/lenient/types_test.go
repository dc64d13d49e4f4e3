package lenient

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unmarshalCase is one row of an UnmarshalJSON table test.
type unmarshalCase[T any] struct {
	raw     string
	want    T
	wantErr string // substring of the error; "" means success
}

// unmarshaler is a pointer to a lenient type.
type unmarshaler[T any] interface {
	*T
	json.Unmarshaler
}

// runUnmarshal checks each case through json.Unmarshal (for valid JSON) and
// through a direct UnmarshalJSON call, and checks that errors are
// *DecodeError values that leave the receiver unchanged.
func runUnmarshal[T any, P unmarshaler[T]](t *testing.T, sentinel T, cases []unmarshalCase[T]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.raw, func(t *testing.T) {
			got := sentinel
			err := P(&got).UnmarshalJSON([]byte(tc.raw))
			if tc.wantErr != "" {
				require.Error(t, err)
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Equal(t, sentinel, got, "receiver changed on error")
			} else {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
			}

			if !json.Valid([]byte(tc.raw)) {
				return
			}
			got = sentinel
			err = json.Unmarshal([]byte(tc.raw), P(&got))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
			}
		})
	}
}

// marshalCase is one row of a MarshalJSON table test.
type marshalCase struct {
	in   json.Marshaler
	want string
}

func runMarshal(t *testing.T, cases []marshalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			out, err := tc.in.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(out))
			assert.True(t, json.Valid(out))
		})
	}
}

func TestStringUnmarshal(t *testing.T) {
	sentinel := String{S: "sentinel", Valid: true}
	runUnmarshal(t, sentinel, []unmarshalCase[String]{
		{raw: `"hello"`, want: String{S: "hello", Valid: true}},
		{raw: `"a\nb\u0416\"\\"`, want: String{S: "a\nbЖ\"\\", Valid: true}},
		{raw: `""`, want: String{S: "", Valid: true}},
		{raw: `"undef"`, want: String{S: "undef", Valid: true}},
		{raw: `" 21 "`, want: String{S: " 21 ", Valid: true}},
		{raw: `21`, want: String{S: "21", Valid: true}},
		{raw: `-0`, want: String{S: "-0", Valid: true}},
		{raw: `1.50`, want: String{S: "1.50", Valid: true}},
		{raw: `1E+2`, want: String{S: "1E+2", Valid: true}},
		{raw: `12345678901234567890123`, want: String{S: "12345678901234567890123", Valid: true}},
		{raw: `true`, want: String{S: "true", Valid: true}},
		{raw: `false`, want: String{S: "false", Valid: true}},
		{raw: `null`, want: String{}},
		{raw: ` null `, want: String{}},
		{raw: `[]`, wantErr: `cannot decode String from []: want a string, number or boolean, or null`},
		{raw: `{"a":"b"}`, wantErr: `from {"a":"b"}`},
		{raw: ``, wantErr: "from empty input"},
		{raw: `"unterminated`, wantErr: `from "unterminated`},
		{raw: `undef`, wantErr: "from undef"},
	})
}

func TestStringMarshal(t *testing.T) {
	runMarshal(t, []marshalCase{
		{String{S: "hi", Valid: true}, `"hi"`},
		{String{S: "", Valid: true}, `""`},
		{String{S: "q\"<", Valid: true}, `"q\"\u003c"`},
		{String{}, `null`},
		{String{S: "ignored"}, `null`},
	})
}

func TestIntUnmarshal(t *testing.T) {
	sentinel := Int{N: 42, Valid: true}
	runUnmarshal(t, sentinel, []unmarshalCase[Int]{
		{raw: `21`, want: Int{N: 21, Valid: true}},
		{raw: `"21"`, want: Int{N: 21, Valid: true}},
		{raw: `"-1"`, want: Int{N: -1, Valid: true}},
		{raw: `-1`, want: Int{N: -1, Valid: true}},
		{raw: `0`, want: Int{N: 0, Valid: true}},
		{raw: `"0"`, want: Int{N: 0, Valid: true}},
		{raw: `"+7"`, want: Int{N: 7, Valid: true}},
		{raw: `"007"`, want: Int{N: 7, Valid: true}},
		{raw: `9223372036854775807`, want: Int{N: 9223372036854775807, Valid: true}},
		{raw: `"-9223372036854775808"`, want: Int{N: -9223372036854775808, Valid: true}},
		{raw: ` "794" `, want: Int{N: 794, Valid: true}},
		{raw: `null`, want: Int{}},
		{raw: `""`, want: Int{}},
		{raw: `"undef"`, want: Int{}},
		{raw: `"abc"`, wantErr: `cannot decode Int from "abc": want an integer as a number or string, or null, "" or "undef"`},
		{raw: `1.5`, wantErr: `cannot decode Int from 1.5: want`},
		{raw: `"1.5"`, wantErr: `from "1.5"`},
		{raw: `1.0`, wantErr: `from 1.0`},
		{raw: `1e3`, wantErr: `from 1e3`},
		{raw: `" 21"`, wantErr: `from " 21"`},
		{raw: `"0x1F"`, wantErr: `from "0x1F"`},
		{raw: `"1_000"`, wantErr: `from "1_000"`},
		{raw: `"Undef"`, wantErr: `from "Undef"`},
		{raw: `true`, wantErr: `from true`},
		{raw: `[1]`, wantErr: `from [1]`},
		{raw: `9223372036854775808`, wantErr: `from 9223372036854775808: want an integer as a number or string, or null, "" or "undef": value out of range`},
		{raw: `"-9223372036854775809"`, wantErr: `value out of range`},
		{raw: `12abc`, wantErr: `from 12abc`},
	})
}

func TestIntRangeErrorIs(t *testing.T) {
	var n Int
	err := n.UnmarshalJSON([]byte(`"99999999999999999999"`))
	require.ErrorIs(t, err, strconv.ErrRange)
	assert.NotErrorIs(t, n.UnmarshalJSON([]byte(`"x"`)), strconv.ErrRange)
}

func TestIntMarshal(t *testing.T) {
	runMarshal(t, []marshalCase{
		{Int{N: 21, Valid: true}, `21`},
		{Int{N: -9223372036854775808, Valid: true}, `-9223372036854775808`},
		{Int{N: 0, Valid: true}, `0`},
		{Int{}, `null`},
		{Int{N: 5}, `null`},
	})
}

func TestBoolUnmarshal(t *testing.T) {
	sentinel := Bool{B: true, Valid: false}
	yes, no := Bool{B: true, Valid: true}, Bool{B: false, Valid: true}
	runUnmarshal(t, sentinel, []unmarshalCase[Bool]{
		{raw: `true`, want: yes},
		{raw: `false`, want: no},
		{raw: `1`, want: yes},
		{raw: `0`, want: no},
		{raw: `"1"`, want: yes},
		{raw: `"0"`, want: no},
		{raw: `"true"`, want: yes},
		{raw: `"false"`, want: no},
		{raw: ` true `, want: yes},
		{raw: `null`, want: Bool{}},
		{raw: `""`, want: Bool{}},
		{raw: `"undef"`, want: Bool{}},
		{raw: `2`, wantErr: `cannot decode Bool from 2: want true, false, 1, 0, "1", "0", "true" or "false", or null, "" or "undef"`},
		{raw: `-1`, wantErr: `from -1`},
		{raw: `1.0`, wantErr: `from 1.0`},
		{raw: `"yes"`, wantErr: `from "yes"`},
		{raw: `"TRUE"`, wantErr: `from "TRUE"`},
		{raw: `"True"`, wantErr: `from "True"`},
		{raw: `" 1"`, wantErr: `from " 1"`},
		{raw: `{}`, wantErr: `from {}`},
		{raw: `True`, wantErr: `from True`},
	})
}

func TestBoolMarshal(t *testing.T) {
	runMarshal(t, []marshalCase{
		{Bool{B: true, Valid: true}, `true`},
		{Bool{B: false, Valid: true}, `false`},
		{Bool{}, `null`},
		{Bool{B: true}, `null`},
	})
}

// dec builds a valid Decimal from its string form.
func dec(t *testing.T, s string) Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	require.NoError(t, err)
	return Decimal{D: d, Valid: true}
}

func TestDecimalUnmarshal(t *testing.T) {
	sentinel := dec(t, "-42.42")
	runUnmarshal(t, sentinel, []unmarshalCase[Decimal]{
		{raw: `"254141.0400"`, want: dec(t, "254141.0400")},
		{raw: `254141.04`, want: dec(t, "254141.04")},
		{raw: `0`, want: dec(t, "0")},
		{raw: `"17185.1"`, want: dec(t, "17185.1")},
		{raw: `-0.001`, want: dec(t, "-0.001")},
		{raw: `"+3"`, want: dec(t, "3")},
		{raw: `1.5e3`, want: dec(t, "1.5e3")},
		{raw: `"2E-2"`, want: dec(t, "0.02")},
		{raw: `0.1`, want: dec(t, "0.1")},
		{raw: `123456789012345678901234567890.123456789`, want: dec(t, "123456789012345678901234567890.123456789")},
		{raw: `null`, want: Decimal{}},
		{raw: `""`, want: Decimal{}},
		{raw: `"undef"`, want: Decimal{}},
		{raw: `"abc"`, wantErr: `cannot decode Decimal from "abc": want a decimal number as a number or string, or null, "" or "undef"`},
		{raw: `"1,5"`, wantErr: `from "1,5"`},
		{raw: `" 1"`, wantErr: `from " 1"`},
		{raw: `"1."`, wantErr: `from "1."`},
		{raw: `".5"`, wantErr: `from ".5"`},
		{raw: `"1e"`, wantErr: `from "1e"`},
		{raw: `"1e+"`, wantErr: `from "1e+"`},
		{raw: `"1.2.3"`, wantErr: `from "1.2.3"`},
		{raw: `"-"`, wantErr: `from "-"`},
		{raw: `"−5"`, wantErr: `from "−5"`},
		{raw: `"NaN"`, wantErr: `from "NaN"`},
		{raw: `"Infinity"`, wantErr: `from "Infinity"`},
		{raw: `true`, wantErr: `from true`},
		{raw: `[0]`, wantErr: `from [0]`},
		{raw: `"1e99999"`, wantErr: `from "1e99999": want a decimal number as a number or string, or null, "" or "undef": exponent out of range`},
	})
}

func TestDecimalString(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{`"73196.3900"`, "73196.3900"},
		{`"254141.0400"`, "254141.0400"},
		{`254141.04`, "254141.04"},
		{`"17185.1"`, "17185.1"},
		{`0`, "0"},
		{`0.00`, "0.00"},
		{`-0.50`, "-0.50"},
		{`1.5e3`, "1500"},
		{`1.50e1`, "15.0"},
		{`"2E-2"`, "0.02"},
		{`"1e21"`, "1000000000000000000000"},
		{`null`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			var d Decimal
			require.NoError(t, json.Unmarshal([]byte(tc.raw), &d))
			assert.Equal(t, tc.want, d.String())
		})
	}
}

// TestDecimalNoFloat checks values that float64 cannot represent exactly.
func TestDecimalNoFloat(t *testing.T) {
	var d Decimal
	require.NoError(t, json.Unmarshal([]byte(`9007199254740993.01`), &d))
	assert.Equal(t, "9007199254740993.01", d.String())

	require.NoError(t, json.Unmarshal([]byte(`0.1`), &d))
	assert.True(t, d.D.Equal(decimal.New(1, -1)))
}

func TestDecimalMarshal(t *testing.T) {
	runMarshal(t, []marshalCase{
		{dec(t, "73196.3900"), `"73196.3900"`},
		{dec(t, "-0.5"), `"-0.5"`},
		{dec(t, "1.5e3"), `"1500"`},
		{Decimal{Valid: true}, `"0"`},
		{Decimal{}, `null`},
		{Decimal{D: decimal.NewFromInt(3)}, `null`},
	})
}

func TestLongValueTruncatedInError(t *testing.T) {
	long := `"` + strings.Repeat("9", 100) + `x"`
	var d Decimal
	err := d.UnmarshalJSON([]byte(long))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "from "+long[:maxExcerpt]+"... (103 bytes): want")
	assert.NotContains(t, err.Error(), long)
}
