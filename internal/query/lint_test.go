package query_test

import (
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/query"
)

// ptrOrder implements query.Encoder with a pointer receiver.
type ptrOrder int

func (o *ptrOrder) EncodeValues(key string, v *url.Values) error {
	v.Add(key, "x")
	return nil
}

type Recursive struct {
	*Recursive `url:",omitempty"`
	N          int `url:"n"`
}

type ID string

// ProductGroup is a string enum, sent as it is.
type ProductGroup string

type withID struct {
	ID
}

//lint:ignore U1000 only its reflect.Type is used
type id string

type withUnexportedID struct {
	id //lint:ignore U1000 only its reflect.Type is used
}

func TestLintAccepts(t *testing.T) {
	for _, v := range []any{
		SchoolParams{},
		(*SchoolParams)(nil),
		reflect.TypeFor[SchoolParams](),
		reflect.TypeFor[*Pagination](),
		withID{},
		struct {
			Pagination
			Codes   []string       `url:"code,omitempty"`
			Tags    []string       `url:"tags,brackets"`
			IDs     []int          `url:"ids,comma,omitempty"`
			Flags   []bool         `url:"flags,int,semicolon"`
			Numbers []int          `url:"n,numbered"`
			Pipe    []uint         `url:"pipe" del:"|"`
			At      []time.Time    `url:"at,unix"`
			Order   *Order         `url:"order,omitempty"`
			PO      *ptrOrder      `url:"po,omitempty"`
			Date    *query.Date    `url:"date,omitempty"`
			When    *time.Time     `url:"when,omitempty,unixnano"`
			Name    ProductGroup   `url:"pg"`
			U       uint8          `url:"u"`
			B       bool           `url:"b,int"`
			Skip    map[string]int `url:"-"`
			private map[string]int
		}{},
	} {
		assert.NoError(t, query.Lint(v), "%T", v)
	}
}

func TestLint(t *testing.T) {
	tests := []struct {
		name   string
		v      any
		field  string
		reason string
	}{
		// Tag options.
		{"misspelled option", struct {
			Limit int `url:"limit,omitemtpy"`
		}{}, "Limit", `unknown url tag option "omitemtpy"; known: omitempty, int, comma, space, semicolon, brackets, numbered, unix, unixmilli, unixnano`},
		{"misspelled list option", struct {
			Tags []string `url:"tags,coma"`
		}{}, "Tags", `unknown url tag option "coma"`},
		{"unknown option", struct {
			Limit int `url:"limit,required"`
		}{}, "Limit", `unknown url tag option "required"`},
		{"option with whitespace", struct {
			Limit int `url:"limit, omitempty"`
		}{}, "Limit", `unknown url tag option " omitempty"`},
		{"stray comma", struct {
			Limit int `url:"limit,"`
		}{}, "Limit", "empty url tag option (stray comma)"},
		{"bare layout in url tag", struct {
			From time.Time `url:"from,unix,2006-01-02"`
		}{}, "From", `unknown url tag option "2006-01-02"; layout and del are separate struct tags`},
		{"del option in url tag", struct {
			IDs []string `url:"ids,del=|"`
		}{}, "IDs", `unknown url tag option "del=|"; layout and del are separate struct tags`},
		{"list option on scalar", struct {
			Q string `url:"q,comma"`
		}{}, "Q", `url option "comma" has no effect on string`},
		{"int option on int", struct {
			N int `url:"n,int"`
		}{}, "N", `url option "int" has no effect on int`},
		{"unix option on list of strings", struct {
			S []string `url:"s,unix"`
		}{}, "S", `url option "unix" has no effect on []string`},
		{"option on encoder", struct {
			O Order `url:"o,comma"`
		}{}, "O", `url option "comma" has no effect on query_test.Order`},
		{"option on time", struct {
			At time.Time `url:"at,unix,int"`
		}{}, "At", `url option "int" has no effect on time.Time`},
		{"int option on list of strings", struct {
			S []string `url:"s,int"`
		}{}, "S", `url option "int" has no effect on []string`},
		{"layout tag on string", struct {
			Q string `url:"q" layout:"2006"`
		}{}, "Q", "layout tag has no effect on string"},
		{"del tag on string", struct {
			Q string `url:"q" del:","`
		}{}, "Q", "del tag has no effect on string"},

		// Types.
		{"float32", struct {
			F float32 `url:"f"`
		}{}, "F", "float32 is not allowed"},
		{"complex", struct {
			C complex128 `url:"c"`
		}{}, "C", "complex128 cannot be encoded"},
		{"map", struct {
			M map[string]int `url:"m"`
		}{}, "M", `map[string]int is not allowed: maps encode as "map[k:v]"`},
		{"url.Values", struct {
			M url.Values `url:"m"`
		}{}, "M", "url.Values is not allowed"},
		{"interface", struct {
			X any `url:"x"`
		}{}, "X", "interface {} is not allowed: interface fields cannot be checked"},
		{"chan", struct {
			C chan int `url:"c"`
		}{}, "C", "chan int cannot be encoded"},
		{"func", struct {
			F func() `url:"f"`
		}{}, "F", "func() cannot be encoded"},
		{"slice of structs", struct {
			S []Pagination `url:"s"`
		}{}, "S", `[]query_test.Pagination is not allowed: structs in lists encode as "{a b}"`},
		{"array of structs", struct {
			S [2]struct{ A int } `url:"s"`
		}{}, "S", `structs in lists`},
		{"slice of pointers", struct {
			S []*int `url:"s"`
		}{}, "S", "list elements must not be pointers"},
		{"slice of encoders", struct {
			S []Order `url:"s"`
		}{}, "S", "ignoring EncodeValues"},
		{"nested lists", struct {
			S [][]string `url:"s"`
		}{}, "S", `nested lists encode as "[a b]"`},
		{"slice of floats", struct {
			S []float64 `url:"s,comma"`
		}{}, "S", "list element float64 is not allowed"},
		{"slice of maps", struct {
			S []map[string]int `url:"s"`
		}{}, "S", "list element map[string]int is not allowed"},
		{"null decimal", struct {
			D decimal.NullDecimal `url:"d"`
		}{}, "D", "decimal.NullDecimal is not allowed: a nested struct"},
		{"nested struct with options", struct {
			P Pagination `url:"p,brackets"`
		}{}, "P", "query_test.Pagination is not allowed: a nested struct"},
		{"pointer-receiver encoder as value", struct {
			P ptrOrder `url:"p"`
		}{}, "P", "query_test.ptrOrder implements query.Encoder only with a pointer receiver"},
		{"double pointer", struct {
			P **int `url:"p,omitempty"`
		}{}, "P", "**int is not allowed: use a single pointer"},
		{"recursive type", Recursive{}, "Recursive", "recursive type query_test.Recursive is not supported"},

		// Refused whatever the values, before anything is encoded.
		{"float", floatParams{Price: 1e6}, "Price", "float64 is not allowed"},
		{"float pointer", &struct {
			P *float64 `url:"p,omitempty"`
		}{}, "P", "float64 is not allowed"},
		{"nil pointer to a bad type", (*floatParams)(nil), "Price", "float64 is not allowed"},
		{"decimal", struct {
			D decimal.Decimal `url:"d"`
		}{decimal.NewFromInt(1)}, "D", "decimal.Decimal sends nothing"},
		{"nested struct", nestedFilter{}, "Filter", "a nested struct encodes as key[field]="},
		{"comma list of strings", struct {
			Tags []string `url:"tags,comma"`
		}{[]string{"a", "b"}}, "Tags", "an element may hold the delimiter, which is not escaped; use repeated keys"},
		{"space list of strings", struct {
			Tags []string `url:"tags,space"`
		}{}, "Tags", "not allowed as a delimited list"},
		{"semicolon array of strings", struct {
			Tags [1]string `url:"tags,semicolon"`
		}{}, "Tags", "not allowed as a delimited list"},
		{"del list of strings", struct {
			Tags []string `url:"tags" del:"|"`
		}{}, "Tags", "not allowed as a delimited list"},
		{"comma list of times", struct {
			At []time.Time `url:"at,comma" layout:"Jan 2, 2006"`
		}{}, "At", "not allowed as a delimited list"},
		{"del that a number holds", struct {
			N []int `url:"n" del:"-"`
		}{}, "N", `del tag "-" may appear inside an element`},
		{"date list", struct {
			Days []query.Date `url:"day"`
		}{}, "Days", "ignoring EncodeValues"},
		{"decimal list", struct {
			D []decimal.Decimal `url:"d"`
		}{}, "D", "structs in lists"},
		{"int with a String method", struct {
			M time.Month `url:"m"`
		}{time.March}, "M", "time.Month is not allowed: it would be sent as its String method prints it"},
		{"list of ints with a String method", struct {
			M []time.Month `url:"m"`
		}{}, "M", "list element time.Month is not allowed"},

		// Pointers.
		{"pointer without omitempty", struct {
			Page *int `url:"page"`
		}{}, "Page", `pointer field needs the omitempty option: when nil it encodes as "page="`},
		{"embedded field without omitempty", struct {
			Pagination
			Page *int `url:"p"`
		}{}, "Page", `pointer field needs the omitempty option: when nil it encodes as "p="`},
		{"embedded pointer without omitempty", struct {
			*Pagination
		}{}, "Pagination", `pointer field needs the omitempty option: when nil it encodes as "Pagination="`},

		// Times.
		{"time without layout", struct {
			At time.Time `url:"at"`
		}{}, "At", `time.Time needs an explicit layout tag such as layout:"2006-01-02T15:04:05Z07:00", or a unix option`},
		{"time list without layout", struct {
			At []time.Time `url:"at"`
		}{}, "At", "time.Time needs an explicit layout tag"},
		{"time with layout and unix", struct {
			At time.Time `url:"at,unix" layout:"2006"`
		}{}, "At", "both the unix option and a layout tag are set"},
		{"time with two unix options", struct {
			At time.Time `url:"at,unix,unixmilli"`
		}{}, "At", "conflicting time options unix and unixmilli"},
		{"time with empty layout", struct {
			At time.Time `url:"at" layout:""`
		}{}, "At", "empty layout tag"},

		// Lists.
		{"two list options", struct {
			S []int `url:"s,comma,brackets"`
		}{}, "S", "conflicting list encodings comma and brackets"},
		{"list option and del tag", struct {
			S []int `url:"s,numbered" del:"|"`
		}{}, "S", "conflicting list encodings numbered and del tag"},
		{"empty del tag", struct {
			S []string `url:"s" del:""`
		}{}, "S", "empty del tag has no effect"},
		{"comma list of string enums", struct {
			S []ProductGroup `url:"s,comma"`
		}{}, "S", "[]query_test.ProductGroup is not allowed as a delimited list: an element may hold the delimiter"},
		{"del tag with a letter", struct {
			S []bool `url:"s" del:"e"`
		}{}, "S", `del tag "e" may appear inside an element`},

		// Structure.
		{"duplicate key", struct {
			Pagination
			Page int `url:"page"`
		}{}, "Pagination.Page", `url key "page" is also produced by Page`},
		{"unexported field with tag", struct {
			secret string `url:"secret"`
		}{}, "secret", "unexported field has a url tag but is never encoded"},
		{"unexported embedded non-struct", withUnexportedID{}, "id", "unexported embedded query_test.id cannot be encoded"},
		{"embedded time", struct {
			time.Time
		}{}, "Time", "embedded time.Time is flattened field by field"},
		{"embedded date", struct {
			query.Date `url:",omitempty"`
		}{}, "Date", "embedded query.Date is flattened"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := query.Lint(tt.v)
			errs := fieldErrors(t, err)
			require.Len(t, errs, 1, "%v", err)
			assert.Equal(t, tt.field, errs[0].Field)
			assert.Contains(t, errs[0].Reason, tt.reason)

			// Values applies the same checks.
			_, verr := query.Values(tt.v)
			assert.Equal(t, err, verr)
		})
	}
}

func TestLintReportsAll(t *testing.T) {
	type Bad struct {
		A float64        `url:"a"`
		B map[string]int `url:"b,omitemtpy"`
		C *int           `url:"c"`
	}
	errs := fieldErrors(t, query.Lint(Bad{}))
	var fields []string
	for _, e := range errs {
		assert.Equal(t, "Bad", e.Struct)
		fields = append(fields, e.Field)
	}
	assert.Equal(t, []string{"A", "B", "B", "C"}, fields)
}

func TestLintNotStruct(t *testing.T) {
	assert.EqualError(t, query.Lint(nil), "query: Lint needs a struct type, got <nil>")
	assert.EqualError(t, query.Lint(3), "query: Lint needs a struct type, got int")
	assert.EqualError(t, query.Lint(reflect.TypeFor[[]string]()), "query: Lint needs a struct type, got []string")
}

func TestFieldErrorUnnamedStruct(t *testing.T) {
	err := query.Lint(struct {
		F float64 `url:"f"`
	}{})
	assert.ErrorContains(t, err, "query: F: float64 is not allowed")
}

func TestLintLayoutInURLTag(t *testing.T) {
	type Params struct {
		From time.Time `url:"from,layout=2006-01-02"`
		To   time.Time `url:"to layout:2006-01-02"`
	}
	var msgs []string
	for _, e := range fieldErrors(t, query.Lint(Params{})) {
		msgs = append(msgs, e.Error())
	}
	assert.Equal(t, []string{
		`query: Params.From: unknown url tag option "layout=2006-01-02"; layout and del are separate struct tags, as in url:"from" layout:"2006-01-02"`,
		`query: Params.From: time.Time needs an explicit layout tag such as layout:"2006-01-02T15:04:05Z07:00", or a unix option; use query.Date for dates`,
		`query: Params.To: malformed url tag name "to layout:2006-01-02"; separate struct tags with a space, as in url:"from" layout:"2006-01-02"`,
		`query: Params.To: time.Time needs an explicit layout tag such as layout:"2006-01-02T15:04:05Z07:00", or a unix option; use query.Date for dates`,
	}, msgs)
}
