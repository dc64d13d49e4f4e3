package ids_test

import (
	"errors"
	"fmt"

	"github.com/steppe-sdk/steppe/internal/ids"
)

// Check identifiers before they are sent: a mistyped digit is caught by
// the checksum.
func Example() {
	fmt.Println(ids.IINBIN("141040028436"))
	err := ids.IINBIN("141040028437")
	fmt.Println(errors.Is(err, ids.ErrChecksum))
	fmt.Println(ids.GTIN("04600439931256"))
	fmt.Println(errors.Is(ids.EDRPOU("1234"), ids.ErrLength))
	// Output:
	// <nil>
	// true
	// <nil>
	// true
}
