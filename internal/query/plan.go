package query

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// apply completes vals, encoded by go-querystring from root, with the
// decimal fields it dropped, and checks delimited lists.
func (p *plan) apply(root reflect.Value, vals url.Values) error {
	for _, d := range p.decimals {
		v, ok := locate(root, d.index)
		if !ok {
			continue
		}
		if v.Kind() == reflect.Pointer {
			// omitempty is mandatory on pointers; a non-nil pointer to
			// zero is sent, as go-querystring does for other pointers.
			if v.IsNil() {
				continue
			}
			v = v.Elem()
		} else if d.omitEmpty && v.Interface().(decimal.Decimal).IsZero() {
			continue
		}
		vals.Add(d.key, v.Interface().(decimal.Decimal).String())
	}

	var errs []error
	for _, l := range p.lists {
		v, ok := locate(root, l.index)
		if !ok {
			continue
		}
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				continue
			}
			v = v.Elem()
		}
		for i := range v.Len() {
			if l.dates {
				if d := v.Index(i).Interface().(Date); !d.IsValid() {
					errs = append(errs, l.errorf(root, "element %d (%s) is not a valid date", i, d))
					continue
				}
			}
			if l.delim == "" {
				continue
			}
			if s := l.format(v.Index(i)); strings.Contains(s, l.delim) {
				errs = append(errs, l.errorf(root, "element %d (%q) contains the list delimiter %q, which is not escaped; use repeated keys instead", i, s, l.delim))
			}
		}
	}
	return errors.Join(errs...)
}

// errorf returns a FieldError for the field of root that r refers to.
func (r fieldRef) errorf(root reflect.Value, format string, args ...any) error {
	return &FieldError{Struct: root.Type().Name(), Field: r.path, Reason: fmt.Sprintf(format, args...)}
}

// locate returns the field of root at index, following pointers between
// steps. It reports false if a pointer on the way is nil, in which case
// go-querystring encodes nothing below it (such pointers carry omitempty).
func locate(root reflect.Value, index []int) (reflect.Value, bool) {
	v := root
	for i, x := range index {
		if i > 0 {
			for v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return reflect.Value{}, false
				}
				v = v.Elem()
			}
		}
		v = v.Field(x)
	}
	return v, true
}

// format returns the string go-querystring produces for a list element.
func (l *listField) format(v reflect.Value) string {
	if v.Kind() == reflect.Bool && l.asInt {
		if v.Bool() {
			return "1"
		}
		return "0"
	}
	if t, ok := v.Interface().(time.Time); ok {
		switch l.unix {
		case optUnix:
			return strconv.FormatInt(t.Unix(), 10)
		case optUnixMilli:
			return strconv.FormatInt(t.UnixNano()/1e6, 10)
		case optUnixNano:
			return strconv.FormatInt(t.UnixNano(), 10)
		}
		return t.Format(l.layout)
	}
	return fmt.Sprint(v.Interface())
}
