package openschool

import (
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/testkit"
)

var moneySeeds = []string{
	`"5000"`, `"992"`, `"17185.1"`, `"73196.3900"`, `"1293402.51"`, `"-80944.65"`, `"+5"`, `"0"`, `"0.00"`, `"-0"`,
	`"-0.0000"`, `"0.00000000000000000"`, `"-0.0000000000000000"`, `"000123.40"`, `"123456789012345678"`,
	`"-12345678901234567"`, `"1234567890123456789"`, `"-123456789012345678"`, `"12345678901234567.8"`,
	`"9223372036854775807"`, `"99999999999999999999"`, `0`, `-0`, `992`, `-1.5`, `4.67`, `123456789012345678`,
	`1234567890123456789`, `01`, `-01`, `00.5`, `0.50`, `1e3`, `"1e3"`, `1.5E-2`, `""`, `"undef"`, `null`, `"1,5"`,
	`"1."`, `".5"`, `"-.5"`, `"+-5"`, `"--5"`, `"-"`, `"+"`, `"."`, `" 1"`, `"1 "`, `"\u0031"`, `"١"`, `"−5"`,
	`true`, `{}`, `[]`, `+5`, `"5`, `5"`, `"`, ``, ` 5`, `5 `, `"0x10"`, `"abc"`,
}

// TestMoneyIsLenientDecimal: parseMoney reads every value as lenient.Decimal
// does (the same decimal.Decimal, the same refusals), the back end's forms
// without copying their text, and zero without allocating.
func TestMoneyIsLenientDecimal(t *testing.T) {
	testkit.Seeds(t, moneySeeds, checkMoney)
	for _, s := range []string{`0`, `"0"`, `"0.0000"`} {
		raw := []byte(s)
		assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = parseMoney(raw) }), s)
	}
	for _, s := range []string{`992`, `"17185.1"`, `"73196.3900"`} {
		raw := []byte(s)
		var sink decimal.Decimal
		// decimal.New's big.Int: the value and its word.
		assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { sink, _ = parseMoney(raw) }), 2.0, s)
		assert.Equal(t, decimal.RequireFromString(strings.Trim(s, `"`)), sink)
	}
}

// TestMoneyFollowsMaxDecodeExponent: a scale beyond
// decimal.MaxDecodeExponent is refused as decimal.NewFromString refuses it.
func TestMoneyFollowsMaxDecodeExponent(t *testing.T) {
	defer func(limit int) { decimal.MaxDecodeExponent = limit }(decimal.MaxDecodeExponent)
	decimal.MaxDecodeExponent = 2
	testkit.Seeds(t, []string{`"0.00"`, `"0.000"`, `"1.25"`, `"1.255"`, `1.255`}, checkMoney)
	_, err := parseMoney([]byte(`"1.255"`))
	assert.Error(t, err)
}

func FuzzMoney(f *testing.F) { testkit.Fuzz(f, moneySeeds, checkMoney) }

func checkMoney(t *testing.T, raw []byte) {
	t.Helper()
	var want lenient.Decimal
	got, err := parseMoney(raw)
	wantErr := want.UnmarshalJSON(raw)
	if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) ||
		!reflect.DeepEqual(got, want.D) {
		t.Fatalf("%q: %#v %v; lenient: %#v %v", raw, got, err, want.D, wantErr)
	}
}
