package openschool

import "github.com/steppe-sdk/steppe/internal/ids"

// CheckEDRPOU checks a Ukrainian legal entity code (ЄДРПОУ), such as a
// school's or a payment recipient's: 8 ASCII digits whose last is the
// check digit of the first 7. The error is a [*ValidationError] naming
// "EDRPOU" and the rule broken; it does not print the value.
//
// Valid samples: 32855961, 00032945.
func CheckEDRPOU(s string) error {
	if err := ids.EDRPOU(s); err != nil {
		return &ValidationError{Field: "EDRPOU", Rule: ids.Rule(err, "8")}
	}
	return nil
}
