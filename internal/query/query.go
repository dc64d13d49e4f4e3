package query

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"

	gqs "github.com/google/go-querystring/query"
)

// Encoder is implemented by types that encode themselves into URL values,
// such as enums whose zero value means "unset". It is go-querystring's
// Encoder interface, re-exported so that clients need only this package.
//
// EncodeValues should add zero or more values under key; adding none leaves
// the parameter out of the query.
type Encoder = gqs.Encoder

// FieldError reports a params struct field that cannot be encoded safely,
// either because of how it is declared (see [Lint]) or because of its value.
type FieldError struct {
	// Struct is the name of the params type, empty for unnamed types.
	Struct string
	// Field is the dotted Go path of the field within Struct, such as
	// "Filter.MinPrice".
	Field string
	// Reason describes the problem.
	Reason string
}

// Error implements the error interface.
func (e *FieldError) Error() string {
	path := e.Field
	if e.Struct != "" {
		path = e.Struct + "." + path
	}
	return "query: " + path + ": " + e.Reason
}

// Values returns the query parameters encoded from params, which must be a
// struct, a pointer to a struct, or nil. A nil params (or nil pointer) yields
// empty values.
//
// The struct type must pass [Lint], checked once per type; otherwise the
// lint errors, [*FieldError] values joined with errors.Join, are returned.
// Encoding is go-querystring's alone, so a call costs what
// go-querystring's Values costs plus one cache lookup. An error is also
// returned if an [Encoder] fails.
func Values(params any) (url.Values, error) {
	t := reflect.TypeOf(params)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return url.Values{}, nil
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("query: params must be a struct or a pointer to a struct, got %T", params)
	}
	if err := check(t); err != nil {
		return nil, err
	}
	vals, err := gqs.Values(params)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return vals, nil
}

// Encode merges the query parameters encoded from params (see [Values]) into
// the query of u. Parameters already in u, such as a fixed "action=schools",
// are kept. If params would set a key that u already has, Encode returns an
// error rather than sending the key twice.
//
// On success the whole query is re-encoded with [url.Values.Encode], which
// sorts it by key. On error, or when params encodes to nothing (for example a
// nil pointer), u is left unchanged.
func Encode(u *url.URL, params any) error {
	if u == nil {
		return errors.New("query: Encode called with a nil URL")
	}
	vals, err := Values(params)
	if err != nil || len(vals) == 0 {
		return err
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return fmt.Errorf("query: existing query of URL: %w", err)
	}
	var dup []string
	for k := range vals {
		if q.Has(k) {
			dup = append(dup, k)
		}
	}
	if len(dup) > 0 {
		slices.Sort(dup)
		return fmt.Errorf("query: params set %s, already present in the URL query", quoteAll(dup))
	}
	for k, vs := range vals {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return nil
}

// quoteAll formats keys as a comma-separated list of quoted strings.
func quoteAll(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = fmt.Sprintf("%q", k)
	}
	return strings.Join(q, ", ")
}
