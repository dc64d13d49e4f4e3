package lenient_test

import (
	"encoding/json"
	"fmt"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// Back ends that send the same field as a number, a string or null decode
// into one Go type.
func Example() {
	var v struct {
		ID    lenient.Int     `json:"id"`
		Sum   lenient.Decimal `json:"sum"`
		Name  lenient.String  `json:"name"`
		Since lenient.Time    `json:"since"`
	}
	err := json.Unmarshal([]byte(`{"id":"42","sum":"1234.50","name":7,"since":"2024-03-01 10:00:00"}`), &v)
	fmt.Println(err, v.ID.N, v.Sum, v.Name.S, v.Since.T.Format("2006-01-02T15:04"))
	err = json.Unmarshal([]byte(`{"id":null,"sum":12.5,"name":null,"since":""}`), &v)
	fmt.Println(err, v.ID.N, v.Sum, v.Name.S == "", v.Since.Valid)
	// Output:
	// <nil> 42 1234.50 7 2024-03-01T10:00
	// <nil> 0 12.5 true false
}
