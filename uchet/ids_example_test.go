package uchet_test

import (
	"fmt"

	"github.com/steppe-sdk/steppe/uchet"
)

// Check identifiers before they are sent; the error names the rule, never
// the value.
func ExampleCheckIINBIN() {
	fmt.Println(uchet.CheckIINBIN("141040028436"))
	fmt.Println(uchet.CheckIINBIN("14104002843"))
	// Output:
	// <nil>
	// invalid IIN/BIN: must be 12 digits
}
