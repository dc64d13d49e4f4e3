package query_test

import (
	"fmt"
	"net/url"
	"time"

	"github.com/steppe-sdk/steppe/internal/query"
)

// Order is an enum-like parameter. Its zero value means "unset" and encodes
// to nothing; the other values map to the API's "0", "1" and "-1".
type Order int

// Order values.
const (
	OrderUnset Order = iota
	OrderNone
	OrderAsc
	OrderDesc
)

// EncodeValues implements query.Encoder.
func (o Order) EncodeValues(key string, v *url.Values) error {
	switch o {
	case OrderUnset:
		return nil
	case OrderNone:
		v.Add(key, "0")
	case OrderAsc:
		v.Add(key, "1")
	case OrderDesc:
		v.Add(key, "-1")
	default:
		return fmt.Errorf("invalid Order %d for key %q", int(o), key)
	}
	return nil
}

// SchoolParams is a typical params struct.
type SchoolParams struct {
	Query string     `url:"q,omitempty"`
	Page  *int       `url:"page,omitempty"`
	IDs   []string   `url:"id,omitempty"`
	From  query.Date `url:"from,omitempty"`
	Since time.Time  `url:"since,omitempty" layout:"2006-01-02T15:04:05Z07:00"`
	Order Order      `url:"order,omitempty"`
}

func ExampleEncode() {
	u, _ := url.Parse("https://api.example.com/v1?action=schools")
	page := 0
	err := query.Encode(u, SchoolParams{
		Page:  &page,
		IDs:   []string{"a1", "b2,c3"},
		From:  query.Date{Year: 2024, Month: time.March, Day: 1},
		Order: OrderDesc,
	})
	fmt.Println(u, err)
	// Output: https://api.example.com/v1?action=schools&from=2024-03-01&id=a1&id=b2%2Cc3&order=-1&page=0 <nil>
}

func ExampleLint() {
	type BadParams struct {
		Limit int     `url:"limit,omitemtpy"`
		Price float64 `url:"price,omitempty"`
	}
	fmt.Println(query.Lint(BadParams{}))
	// Output:
	// query: BadParams.Limit: unknown url tag option "omitemtpy"; known: omitempty, int, comma, space, semicolon, brackets, numbered, unix, unixmilli, unixnano
	// query: BadParams.Price: float64 is not allowed: go-querystring formats floats with fmt.Sprint (1e+06); use an integer, a string or a query.Encoder
}

func Example_enum() {
	type Params struct {
		Sort Order `url:"sort"`
	}
	for _, o := range []Order{OrderUnset, OrderNone, OrderAsc, OrderDesc} {
		v, err := query.Values(Params{Sort: o})
		fmt.Printf("%q %v\n", v.Encode(), err)
	}
	// Output:
	// "" <nil>
	// "sort=0" <nil>
	// "sort=1" <nil>
	// "sort=-1" <nil>
}
