package paruskaz

import "github.com/steppe-sdk/steppe/internal/ids"

// CheckIINBIN checks a Kazakhstan IIN (a person's 12-digit number) or BIN
// (an organisation's): 12 ASCII digits whose last is the mod-11 check digit
// of the first 11. It is the check [Client.Push] and the [Uploader] make
// on Event.IIN and Event.BIN (unless [WithChecksum] turned it off), for use
// before events are collected. The error is a [*ValidationError] naming
// "IIN/BIN" and the rule broken; it does not print the value.
//
// Valid samples: 141040028436 (a BIN), 990101300122 (an IIN). The
// documentation's own sample, 123456789012, fails the check digit.
func CheckIINBIN(s string) error {
	if err := ids.IINBIN(s); err != nil {
		return invalid("IIN/BIN", "%s", ids.Rule(err, "12"))
	}
	return nil
}
