package uchet

import "github.com/steppe-sdk/steppe/internal/ids"

// CheckIINBIN checks a Kazakhstan IIN or BIN the way the calls that take
// one do before sending it: 12 ASCII digits whose last is the mod-11 check
// digit of the first 11. The error is a [*ValidationError] naming
// "IIN/BIN" and the rule broken; it does not print the value.
//
// Valid samples: 141040028436 (the BIN of the documentation's example),
// 990101300122 (an IIN).
func CheckIINBIN(s string) error {
	if err := ids.IINBIN(s); err != nil {
		return &ValidationError{Field: "IIN/BIN", Rule: ids.Rule(err, "12")}
	}
	return nil
}
