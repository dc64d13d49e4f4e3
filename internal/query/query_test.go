package query_test

import (
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/query"
)

func ptr[T any](v T) *T { return &v }

type Pagination struct {
	Page    *int `url:"page,omitempty"`
	PerPage int  `url:"per_page,omitempty"`
}

type Filter struct {
	Min  decimal.Decimal  `url:"min,omitempty"`
	Max  *decimal.Decimal `url:"max,omitempty"`
	Name string           `url:"name,omitempty"`
}

type pricing struct {
	Price decimal.Decimal `url:"price"`
}

var (
	day1 = time.Date(2024, time.March, 1, 10, 30, 0, 0, time.UTC)
	day2 = time.Date(2024, time.March, 2, 0, 0, 0, 0, time.UTC)
)

func TestValues(t *testing.T) {
	tests := []struct {
		name   string
		params any
		want   string
	}{
		// Lists.
		{"repeated keys by default", struct {
			IDs []string `url:"id"`
		}{[]string{"a", "b"}}, "id=a&id=b"},
		{"repeated ints from array", struct {
			N [2]int `url:"n"`
		}{[2]int{1, 2}}, "n=1&n=2"},
		{"empty list omitted", struct {
			IDs []string `url:"id"`
		}{}, ""},
		{"brackets", struct {
			IDs []string `url:"ids,brackets"`
		}{[]string{"a", "b"}}, "ids%5B%5D=a&ids%5B%5D=b"},
		{"numbered", struct {
			IDs []string `url:"id,numbered"`
		}{[]string{"a", "b"}}, "id0=a&id1=b"},
		{"comma", struct {
			Tags []string `url:"tags,comma"`
		}{[]string{"a", "b c"}}, "tags=a%2Cb+c"},
		{"space", struct {
			Tags []string `url:"tags,space"`
		}{[]string{"a", "b,c"}}, "tags=a+b%2Cc"},
		{"semicolon", struct {
			Tags []string `url:"tags,semicolon"`
		}{[]string{"a", "b"}}, "tags=a%3Bb"},
		{"del tag", struct {
			Tags []string `url:"tags" del:"|"`
		}{[]string{"a", "b"}}, "tags=a%7Cb"},
		{"bools as ints, comma", struct {
			Flags []bool `url:"flags,comma,int"`
		}{[]bool{true, false}}, "flags=1%2C0"},
		{"pointer to list", struct {
			Tags *[]string `url:"tags,comma,omitempty"`
		}{ptr([]string{"a", "b"})}, "tags=a%2Cb"},
		{"nil pointer to delimited list", struct {
			Tags *[]string `url:"tags,comma,omitempty"`
		}{}, ""},

		// Decimals never use exponents.
		{"decimal million", struct {
			D decimal.Decimal `url:"d"`
		}{decimal.NewFromFloat(1e6)}, "d=1000000"},
		{"decimal tiny", struct {
			D decimal.Decimal `url:"d"`
		}{decimal.New(1, -7)}, "d=0.0000001"},
		{"decimal large exponent", struct {
			D decimal.Decimal `url:"d"`
		}{decimal.New(15, 20)}, "d=1500000000000000000000"},
		{"decimal negative", struct {
			D decimal.Decimal `url:"d"`
		}{decimal.RequireFromString("-2.25")}, "d=-2.25"},
		{"zero decimal sent without omitempty", struct {
			D decimal.Decimal `url:"d"`
		}{}, "d=0"},
		{"zero decimal omitted with omitempty", struct {
			D decimal.Decimal `url:"d,omitempty"`
		}{}, ""},
		{"nil decimal pointer omitted", struct {
			D *decimal.Decimal `url:"d,omitempty"`
		}{}, ""},
		{"pointer to zero decimal sent", struct {
			D *decimal.Decimal `url:"d,omitempty"`
		}{ptr(decimal.Zero)}, "d=0"},
		{"decimal list", struct {
			D []decimal.Decimal `url:"d"`
		}{[]decimal.Decimal{decimal.NewFromFloat(1e6), decimal.New(1, -7)}}, "d=1000000&d=0.0000001"},
		{"decimal comma list", struct {
			D []decimal.Decimal `url:"d,comma"`
		}{[]decimal.Decimal{decimal.NewFromInt(1), decimal.New(25, -1)}}, "d=1%2C2.5"},
		{"decimals in nested struct", struct {
			F Filter `url:"filter"`
		}{Filter{Min: decimal.New(15, -1), Max: ptr(decimal.New(1, 6)), Name: "x"}}, "filter%5Bmax%5D=1000000&filter%5Bmin%5D=1.5&filter%5Bname%5D=x"},
		{"decimals under nil nested pointer", struct {
			F *Filter `url:"filter,omitempty"`
		}{}, ""},
		{"decimals under nested pointer", struct {
			F *Filter `url:"filter,omitempty"`
		}{&Filter{Min: decimal.NewFromInt(2)}}, "filter%5Bmin%5D=2"},
		{"decimal in unexported embedded struct", struct {
			pricing
		}{pricing{decimal.NewFromInt(3)}}, "price=3"},

		// Dates and times.
		{"date", struct {
			From query.Date `url:"from"`
		}{query.DateOf(day1)}, "from=2024-03-01"},
		{"zero date omitted without omitempty", struct {
			From query.Date `url:"from"`
		}{}, ""},
		{"nil date pointer omitted", struct {
			From *query.Date `url:"from,omitempty"`
		}{}, ""},
		{"date pointer", struct {
			From *query.Date `url:"from,omitempty"`
		}{ptr(query.DateOf(day1))}, "from=2024-03-01"},
		{"date list", struct {
			Days []query.Date `url:"day,comma"`
		}{[]query.Date{query.DateOf(day1), query.DateOf(day2)}}, "day=2024-03-01%2C2024-03-02"},
		{"time with layout", struct {
			At time.Time `url:"at" layout:"2006-01-02T15:04:05Z07:00"`
		}{day1}, "at=2024-03-01T10%3A30%3A00Z"},
		{"zero time omitted", struct {
			At time.Time `url:"at,omitempty" layout:"2006-01-02"`
		}{}, ""},
		{"time unix", struct {
			At time.Time `url:"at,unix"`
		}{day1}, "at=1709289000"},
		{"time list unixmilli", struct {
			At []time.Time `url:"at,comma,unixmilli"`
		}{[]time.Time{day1}}, "at=1709289000000"},
		{"time list unixnano", struct {
			At []time.Time `url:"at,comma,unixnano"`
		}{[]time.Time{day1}}, "at=1709289000000000000"},
		{"time list unix", struct {
			At []time.Time `url:"at,semicolon,unix"`
		}{[]time.Time{day1, day2}}, "at=1709289000%3B1709337600"},
		{"time list layout", struct {
			At []time.Time `url:"at,comma" layout:"2006-01-02"`
		}{[]time.Time{day1, day2}}, "at=2024-03-01%2C2024-03-02"},

		// Pointers and scalars.
		{"nil pointer omitted", Pagination{}, ""},
		{"pointer to zero sent", Pagination{Page: ptr(0)}, "page=0"},
		{"zero int with omitempty omitted", Pagination{PerPage: 0}, ""},
		{"bool int", struct {
			B bool `url:"b,int"`
		}{true}, "b=1"},
		{"embedded struct", struct {
			Pagination
			Q string `url:"q"`
		}{Pagination{Page: ptr(2), PerPage: 50}, "x"}, "page=2&per_page=50&q=x"},
		{"nil embedded pointer", struct {
			*Pagination `url:",omitempty"`
			Q           string `url:"q"`
		}{nil, "x"}, "q=x"},
		{"embedded pointer", struct {
			*Pagination `url:",omitempty"`
		}{&Pagination{Page: ptr(1)}}, "page=1"},
		{"ignored fields", struct {
			Skip   float64 `url:"-"`
			hidden float64
		}{1e6, 1e6}, ""},

		// Enums.
		{"enum unset", struct {
			O Order `url:"o"`
		}{OrderUnset}, ""},
		{"enum none", struct {
			O Order `url:"o"`
		}{OrderNone}, "o=0"},
		{"enum pointer", struct {
			O *Order `url:"o,omitempty"`
		}{ptr(OrderDesc)}, "o=-1"},

		// Nil params.
		{"nil interface", nil, ""},
		{"nil pointer", (*Pagination)(nil), ""},
		{"pointer to struct", &Pagination{Page: ptr(3)}, "page=3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.params != nil {
				require.NoError(t, query.Lint(tt.params))
			}
			v, err := query.Values(tt.params)
			require.NoError(t, err)
			assert.Equal(t, tt.want, v.Encode())
		})
	}
}

// fieldErrors returns the FieldErrors in a possibly joined error.
func fieldErrors(t *testing.T, err error) []*query.FieldError {
	t.Helper()
	require.Error(t, err)
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var out []*query.FieldError
	for _, e := range errs {
		var fe *query.FieldError
		require.True(t, errors.As(e, &fe), "not a FieldError: %v", e)
		out = append(out, fe)
	}
	return out
}

type floatParams struct {
	Price float64 `url:"price,omitempty"`
}

type nestedFloat struct {
	Q      string `url:"q"`
	Filter struct {
		Max float32 `url:"max"`
	} `url:"filter"`
}

func TestValuesRejects(t *testing.T) {
	tests := []struct {
		name   string
		params any
		field  string
		reason string
		msg    string // full message, if checked
	}{
		{"float", floatParams{Price: 1e6}, "Price", "float64 is not allowed", `query: floatParams.Price: float64 is not allowed: go-querystring formats floats with fmt.Sprint (1e+06); use decimal.Decimal, an integer or a string`},
		{"float pointer", &struct {
			P *float64 `url:"p,omitempty"`
		}{}, "P", "float64 is not allowed", ""},
		{"nested float", nestedFloat{}, "Filter.Max", "float32 is not allowed", "query: nestedFloat.Filter.Max: float32 is not allowed"},
		{"map", struct {
			Extra map[string]string `url:"extra"`
		}{map[string]string{"a": "b"}}, "Extra", `maps encode as "map[k:v]"`, ""},
		{"slice of structs", struct {
			Items []Pagination `url:"items"`
		}{}, "Items", `structs in lists encode as "{a b}"`, ""},
		{"comma in comma list", struct {
			Tags []string `url:"tags,comma"`
		}{[]string{"a", "b,c"}}, "Tags", `element 1 ("b,c") contains the list delimiter ","`, ""},
		{"space in space list", struct {
			Tags []string `url:"tags,space"`
		}{[]string{"a b"}}, "Tags", `element 0 ("a b") contains the list delimiter " "`, ""},
		{"semicolon in semicolon list", struct {
			Tags [1]string `url:"tags,semicolon"`
		}{[1]string{"a;b"}}, "Tags", `contains the list delimiter ";"`, ""},
		{"delimiter in del list", struct {
			Tags []string `url:"tags" del:"|"`
		}{[]string{"a|b"}}, "Tags", `contains the list delimiter "|"`, ""},
		{"delimiter in time layout", struct {
			At []time.Time `url:"at,comma" layout:"Jan 2, 2006"`
		}{[]time.Time{day1}}, "At", `element 0 ("Mar 1, 2024") contains`, ""},
		{"delimiter in decimal list", struct {
			D []decimal.Decimal `url:"d" del:"."`
		}{[]decimal.Decimal{decimal.New(15, -1)}}, "D", `element 0 ("1.5")`, ""},
		{"delimiter in nested list", struct {
			F struct {
				Tags []string `url:"tags,comma"`
			} `url:"f"`
		}{struct {
			Tags []string `url:"tags,comma"`
		}{[]string{"x,y"}}}, "F.Tags", "contains the list delimiter", ""},
		{"invalid date in list", struct {
			Days []query.Date `url:"day"`
		}{[]query.Date{{Year: 2024, Month: 2, Day: 30}}}, "Days", "element 0 (2024-02-30) is not a valid date", ""},
		{"zero date in list", struct {
			Days []query.Date `url:"day"`
		}{[]query.Date{{}}}, "Days", "is not a valid date", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := query.Values(tt.params)
			assert.Nil(t, v)
			errs := fieldErrors(t, err)
			require.Len(t, errs, 1, "%v", err)
			assert.Equal(t, tt.field, errs[0].Field)
			assert.Contains(t, errs[0].Reason, tt.reason)
			if tt.msg != "" {
				assert.Contains(t, err.Error(), tt.msg)
			}
		})
	}
}

func TestValuesErrors(t *testing.T) {
	tests := []struct {
		name   string
		params any
		want   string
	}{
		{"not a struct", 42, "query: params must be a struct or a pointer to a struct, got int"},
		{"invalid date", struct {
			From query.Date `url:"from"`
		}{query.Date{Year: 2023, Month: 2, Day: 29}}, `query: invalid date 2023-02-29 for key "from"`},
		{"invalid enum", struct {
			O Order `url:"o"`
		}{Order(9)}, `query: invalid Order 9 for key "o"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := query.Values(tt.params)
			assert.Nil(t, v)
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestEncode(t *testing.T) {
	tests := []struct {
		name   string
		base   string
		params any
		want   string
	}{
		{"merge keeps existing keys", "https://api.test/v1?action=schools", Pagination{Page: ptr(0)}, "https://api.test/v1?action=schools&page=0"},
		{"merge sorts keys", "https://api.test/v1?z=1&action=schools", struct {
			IDs []string `url:"id"`
		}{[]string{"b", "a"}}, "https://api.test/v1?action=schools&id=b&id=a&z=1"},
		{"into empty query", "https://api.test/v1", Pagination{Page: ptr(1), PerPage: 10}, "https://api.test/v1?page=1&per_page=10"},
		{"nil pointer params: no change", "https://api.test/v1?z=1&a=%20", (*Pagination)(nil), "https://api.test/v1?z=1&a=%20"},
		{"nil params: no change", "https://api.test/v1?z=1&a=%20", nil, "https://api.test/v1?z=1&a=%20"},
		{"empty params: no change", "https://api.test/v1?z=1", Pagination{}, "https://api.test/v1?z=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.base)
			require.NoError(t, err)
			require.NoError(t, query.Encode(u, tt.params))
			assert.Equal(t, tt.want, u.String())
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		base   string
		params any
		want   string
	}{
		{"conflicting keys", "https://api.test/v1?page=1&per_page=5&action=x", Pagination{Page: ptr(2), PerPage: 10}, `query: params set "page", "per_page", already present in the URL query`},
		{"malformed existing query", "https://api.test/v1?a=%zz", Pagination{Page: ptr(2)}, "query: existing query of URL: invalid URL escape"},
		{"bad params", "https://api.test/v1?a=1", floatParams{}, "query: floatParams.Price: float64 is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &url.URL{Scheme: "https", Host: "api.test", Path: "/v1"}
			if i := len("https://api.test/v1?"); len(tt.base) > i {
				u.RawQuery = tt.base[i:]
			}
			err := query.Encode(u, tt.params)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Equal(t, tt.base, u.String(), "URL must be unchanged")
		})
	}

	t.Run("nil URL", func(t *testing.T) {
		assert.EqualError(t, query.Encode(nil, Pagination{}), "query: Encode called with a nil URL")
	})
}

func TestValuesConcurrent(t *testing.T) {
	type params struct {
		Pagination
		Min  decimal.Decimal `url:"min"`
		Tags []string        `url:"tags,comma"`
	}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			v, err := query.Values(params{Pagination{Page: ptr(i)}, decimal.NewFromInt(int64(i)), []string{"a"}})
			assert.NoError(t, err)
			assert.Equal(t, decimal.NewFromInt(int64(i)).String(), v.Get("min"))
		})
	}
	wg.Wait()
}
