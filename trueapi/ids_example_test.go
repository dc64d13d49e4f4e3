package trueapi_test

import (
	"fmt"

	"github.com/steppe-sdk/steppe/trueapi"
)

// Check identifiers before they are sent; the error names the rule, never
// the value.
func ExampleCheckGTIN() {
	fmt.Println(trueapi.CheckGTIN("04600439931256"))
	fmt.Println(trueapi.CheckGTIN("04600439931257"))
	fmt.Println(trueapi.CheckIINBIN("990101300122"))
	// Output:
	// <nil>
	// invalid GTIN: check digit does not match
	// <nil>
}
