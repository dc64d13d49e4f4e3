package openschool_test

import (
	"fmt"

	"github.com/steppe-sdk/steppe/openschool"
)

// Check identifiers before they are sent; the error names the rule, never
// the value.
func ExampleCheckEDRPOU() {
	fmt.Println(openschool.CheckEDRPOU("32855961"))
	fmt.Println(openschool.CheckEDRPOU("3285596x"))
	// Output:
	// <nil>
	// invalid EDRPOU: must hold ASCII digits only
}
