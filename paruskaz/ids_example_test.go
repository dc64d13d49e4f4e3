package paruskaz_test

import (
	"errors"
	"fmt"

	"github.com/steppe-sdk/steppe/paruskaz"
)

// Check identifiers before they are sent; the error names the rule, never
// the value.
func ExampleCheckIINBIN() {
	fmt.Println(paruskaz.CheckIINBIN("141040028436"))
	fmt.Println(paruskaz.CheckIINBIN("990101300122"))
	err := paruskaz.CheckIINBIN("123456789012") // the documentation's sample
	fmt.Println(err, errors.Is(err, paruskaz.ErrValidation))
	// Output:
	// <nil>
	// <nil>
	// invalid IIN/BIN: check digit does not match true
}
