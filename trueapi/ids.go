package trueapi

import (
	"strings"

	"github.com/steppe-sdk/steppe/internal/ids"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// CheckGTIN checks a GTIN: 8, 12, 13 or 14 ASCII digits (the True API
// writes 14, shorter GTINs zero-padded on the left) whose last is the GS1
// check digit. The error is a [*ValidationError] naming "GTIN" and the rule
// broken; it does not print the value.
//
// Valid sample: 04600439931256.
func CheckGTIN(s string) error {
	if err := ids.GTIN(s); err != nil {
		return &ValidationError{Field: "GTIN", Rule: ids.Rule(err, "8, 12, 13 or 14")}
	}
	return nil
}

// CheckIINBIN checks a Kazakhstan IIN or BIN (a participant's inn, ownerInn
// or producerInn): 12 ASCII digits whose last is the mod-11 check digit of
// the first 11. The error is a [*ValidationError] naming "IIN/BIN" and the
// rule broken; it does not print the value.
//
// Valid samples: 141040028436 (a BIN), 990101300122 (an IIN).
func CheckIINBIN(s string) error {
	if err := ids.IINBIN(s); err != nil {
		return &ValidationError{Field: "IIN/BIN", Rule: ids.Rule(err, "12")}
	}
	return nil
}

// requireText refuses a value that is empty or only white space, naming
// field: "is required".
func requireText(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return transport.Invalid(field, "is required")
	}
	return nil
}

// requireTexts is requireText for pairs of field name and value, in order;
// the first blank value is refused.
func requireTexts(fieldValues ...string) error {
	for i := 0; i+1 < len(fieldValues); i += 2 {
		if err := requireText(fieldValues[i], fieldValues[i+1]); err != nil {
			return err
		}
	}
	return nil
}
