package query_test

import (
	"errors"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	gqs "github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/query"
)

func ptr[T any](v T) *T { return &v }

type Pagination struct {
	Page    *int `url:"page,omitempty"`
	PerPage int  `url:"per_page,omitempty"`
}

type pricing struct {
	Price string `url:"price"`
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
		{"comma-joined ints", struct {
			N []int `url:"n,comma"`
		}{[]int{1, -2}}, "n=1%2C-2"},
		{"space-joined uints", struct {
			N []uint16 `url:"n,space"`
		}{[]uint16{1, 2}}, "n=1+2"},
		{"semicolon-joined ints", struct {
			N []int64 `url:"n,semicolon"`
		}{[]int64{1, 2}}, "n=1%3B2"},
		{"del tag", struct {
			N []int `url:"n" del:"|"`
		}{[]int{1, 2}}, "n=1%7C2"},
		{"bools as ints, comma", struct {
			Flags []bool `url:"flags,comma,int"`
		}{[]bool{true, false}}, "flags=1%2C0"},
		{"pointer to list", struct {
			N *[]int `url:"n,comma,omitempty"`
		}{ptr([]int{1, 2})}, "n=1%2C2"},
		{"nil pointer to delimited list", struct {
			N *[]int `url:"n,comma,omitempty"`
		}{}, ""},
		{"strings with delimiters as repeated keys", struct {
			Codes []string `url:"code"`
		}{[]string{"a,b", "c d", "e;f|g"}}, "code=a%2Cb&code=c+d&code=e%3Bf%7Cg"},
		{"exported field of unexported embedded struct", struct {
			pricing
		}{pricing{"3"}}, "price=3"},

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
			At []time.Time `url:"at,unixmilli"`
		}{[]time.Time{day1}}, "at=1709289000000"},
		{"time list unixnano", struct {
			At []time.Time `url:"at,numbered,unixnano"`
		}{[]time.Time{day1}}, "at0=1709289000000000000"},
		{"time list unix", struct {
			At []time.Time `url:"at,unix"`
		}{[]time.Time{day1, day2}}, "at=1709289000&at=1709337600"},
		{"time list layout", struct {
			At []time.Time `url:"at" layout:"Jan 2, 2006"`
		}{[]time.Time{day1, day2}}, "at=Mar+1%2C+2024&at=Mar+2%2C+2024"},

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

type nestedFilter struct {
	Q      string `url:"q"`
	Filter struct {
		Max int `url:"max"`
	} `url:"filter"`
}

// TestFieldErrorMessage checks the whole text of a FieldError.
func TestFieldErrorMessage(t *testing.T) {
	_, err := query.Values(floatParams{Price: 1e6})
	assert.EqualError(t, err, "query: floatParams.Price: float64 is not allowed: go-querystring formats floats with fmt.Sprint (1e+06); use an integer, a string or a query.Encoder")
	assert.ErrorContains(t, query.Lint(nestedFilter{}), "query: nestedFilter.Filter: struct { Max int")
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
		Min  int64    `url:"min"`
		Tags []string `url:"tags"`
	}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			v, err := query.Values(params{Pagination{Page: ptr(i)}, int64(i), []string{"a"}})
			assert.NoError(t, err)
			assert.Equal(t, strconv.Itoa(i), v.Get("min"))
		})
	}
	wg.Wait()
}

// TestValuesAllocs checks that a call costs what go-querystring's own
// Values costs: the checks run once per type, not per call.
func TestValuesAllocs(t *testing.T) {
	p := &SchoolParams{Page: ptr(2), IDs: []string{"a", "b"}, From: query.DateOf(day1), Since: day2, Order: OrderAsc}
	_, err := query.Values(p) // the first call checks the type
	require.NoError(t, err)
	ours := testing.AllocsPerRun(100, func() { _, _ = query.Values(p) })
	theirs := testing.AllocsPerRun(100, func() { _, _ = gqs.Values(p) })
	assert.LessOrEqual(t, ours, theirs, "query.Values allocates %v times a call, go-querystring %v", ours, theirs)
}
