package query

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

var (
	encoderType  = reflect.TypeFor[Encoder]()
	stringerType = reflect.TypeFor[fmt.Stringer]()
	timeType     = reflect.TypeFor[time.Time]()
)

// url tag options understood by go-querystring v1.2.0. The layout and del
// settings are separate struct tags, not url options.
var (
	listOptions  = []string{"comma", "space", "semicolon", "brackets", "numbered"}
	unixOptions  = []string{"unix", "unixmilli", "unixnano"}
	knownOptions = slices.Concat([]string{"omitempty", "int"}, listOptions, unixOptions)
)

// Lint reports every declaration in a params struct type that this package
// would refuse to encode, joined with errors.Join; each is a [*FieldError]
// naming the field. v is a struct, a pointer to one (possibly nil, such as
// (*Params)(nil)), or a [reflect.Type] of either.
//
// Lint checks only what go-querystring does not refuse itself but encodes
// wrongly or silently drops; see the package documentation for the rules.
// Clients call Lint in a test over every params struct; [Values] and
// [Encode] apply the same checks, once per type, before encoding.
func Lint(v any) error {
	t, ok := v.(reflect.Type)
	if !ok {
		t = reflect.TypeOf(v)
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return fmt.Errorf("query: Lint needs a struct type, got %v", t)
	}
	return check(t)
}

// checked caches the result of check by struct type: reflect.Type to
// error (nil when the type passes), so that a call pays one map lookup.
var checked sync.Map

// check lints struct type t, once per type.
func check(t reflect.Type) error {
	if e, ok := checked.Load(t); ok {
		err, _ := e.(error)
		return err
	}
	c := &checker{root: t, keys: map[string]string{}}
	c.walkStruct(t, "")
	err := errors.Join(c.errs...)
	checked.Store(t, err)
	return err
}

// checker walks a params type the way go-querystring walks its values.
type checker struct {
	root  reflect.Type
	errs  []error
	keys  map[string]string // URL key -> path of the field producing it
	stack []reflect.Type    // embedded struct types being walked
}

// fail records a FieldError for the field at path.
func (c *checker) fail(path, format string, args ...any) {
	c.errs = append(c.errs, &FieldError{Struct: c.root.Name(), Field: path, Reason: fmt.Sprintf(format, args...)})
}

// walkStruct checks the fields of struct type t. Like go-querystring, it
// walks embedded structs after the other fields, their keys joining t's.
func (c *checker) walkStruct(t reflect.Type, path string) {
	if slices.Contains(c.stack, t) {
		c.fail(path, "recursive type %s is not supported", t)
		return
	}
	c.stack = append(c.stack, t)
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()

	type embedded struct {
		typ  reflect.Type
		path string
	}
	var embeds []embedded
	for i := range t.NumField() {
		sf := t.Field(i)
		fpath := strings.TrimPrefix(path+"."+sf.Name, ".")
		tag, hasTag := sf.Tag.Lookup("url")
		switch {
		case tag == "-":
			continue
		case !sf.IsExported() && !sf.Anonymous:
			if hasTag {
				c.fail(fpath, "unexported field has a url tag but is never encoded")
			}
			continue
		}
		name, opts, hasOpts := strings.Cut(tag, ",")
		var options []string
		if hasOpts {
			options = strings.Split(opts, ",")
		}
		c.checkTag(fpath, name, options)
		omit := slices.Contains(options, "omitempty")
		if sf.Type.Kind() == reflect.Pointer && !omit {
			c.fail(fpath, "pointer field needs the omitempty option: when nil it encodes as %q", cmp.Or(name, sf.Name)+"=")
		}
		if bt := deref(sf.Type); name == "" && sf.Anonymous && bt.Kind() == reflect.Struct {
			if bt == timeType || reflect.PointerTo(bt).Implements(encoderType) {
				c.fail(fpath, "embedded %s is flattened field by field, bypassing its own encoding; give the field a url tag name", bt)
				continue
			}
			embeds = append(embeds, embedded{bt, fpath})
			continue
		}
		if !sf.IsExported() {
			c.fail(fpath, "unexported embedded %s cannot be encoded (go-querystring panics); tag it url:\"-\"", sf.Type)
			continue
		}
		c.field(sf, fpath, cmp.Or(name, sf.Name), options)
	}
	for _, e := range embeds {
		c.walkStruct(e.typ, e.path)
	}
}

// field checks one named field.
func (c *checker) field(sf reflect.StructField, path, key string, opts []string) {
	if prev, ok := c.keys[key]; ok {
		c.fail(path, "url key %q is also produced by %s", key, prev)
	} else {
		c.keys[key] = path
	}
	ft, bt := sf.Type, deref(sf.Type)
	var allowed []string // url options with an effect, besides omitempty
	layout, del := false, false
	switch {
	case ft.Implements(encoderType):
	case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Pointer:
		c.fail(path, "%s is not allowed: use a single pointer", ft)
		return
	case reflect.PointerTo(bt).Implements(encoderType):
		c.fail(path, "%s implements query.Encoder only with a pointer receiver, so this field would not use it; use a value receiver or a *%s field with omitempty", bt, bt)
		return
	case bt == timeType:
		c.checkTime(sf, path, opts)
		allowed, layout = unixOptions, true
	case bt.Kind() == reflect.Slice || bt.Kind() == reflect.Array:
		if !c.checkList(sf, path, bt, opts) {
			return
		}
		allowed, del = listOptions, true
		if et := bt.Elem(); et == timeType {
			allowed, layout = slices.Concat(listOptions, unixOptions), true
		} else if et.Kind() == reflect.Bool {
			allowed = slices.Concat(listOptions, []string{"int"})
		}
	default:
		if reason := badScalar(bt); reason != "" {
			c.fail(path, "%s", reason)
			return
		}
		if bt.Kind() == reflect.Bool {
			allowed = []string{"int"}
		}
	}
	for _, o := range opts {
		if o != "omitempty" && slices.Contains(knownOptions, o) && !slices.Contains(allowed, o) {
			c.fail(path, "url option %q has no effect on %s", o, ft)
		}
	}
	if _, ok := sf.Tag.Lookup("layout"); ok && !layout {
		c.fail(path, "layout tag has no effect on %s", ft)
	}
	if _, ok := sf.Tag.Lookup("del"); ok && !del {
		c.fail(path, "del tag has no effect on %s", ft)
	}
}

// badScalar explains why a type cannot be encoded as one value, or
// returns "" if it can. go-querystring formats such a value with
// fmt.Sprint.
func badScalar(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if t.Implements(stringerType) {
			return fmt.Sprintf("%s is not allowed: it would be sent as its String method prints it; implement query.Encoder", t)
		}
		return ""
	case reflect.String:
		return ""
	case reflect.Float32, reflect.Float64:
		return fmt.Sprintf("%s is not allowed: go-querystring formats floats with fmt.Sprint (1e+06); use an integer, a string or a query.Encoder", t)
	case reflect.Map:
		return fmt.Sprintf("%s is not allowed: maps encode as \"map[k:v]\"; use a struct or a query.Encoder", t)
	case reflect.Interface:
		return fmt.Sprintf("%s is not allowed: interface fields cannot be checked; use a concrete type", t)
	case reflect.Struct:
		return fmt.Sprintf("%s is not allowed: a nested struct encodes as key[field]=, none for unexported fields (decimal.Decimal sends nothing); embed it, flatten it or implement query.Encoder", t)
	default:
		return fmt.Sprintf("%s cannot be encoded as a query parameter", t)
	}
}

// listSafe lists the runes a del tag may hold: none of them can appear in
// a formatted integer or bool.
const listSafe = " !\"#$%&'()*,/:;<=>?@[\\]^_`{|}~"

// checkList checks a slice or array field and reports whether its element
// type can be encoded. Lists are repeated keys (ids=a&ids=b); a delimited
// list (comma, space, semicolon or a del tag) is allowed only where no
// element can hold the delimiter, since go-querystring does not escape it.
func (c *checker) checkList(sf reflect.StructField, path string, t reflect.Type, opts []string) bool {
	et := t.Elem()
	switch {
	case et == timeType:
		c.checkTime(sf, path, opts)
	case et.Kind() == reflect.Pointer:
		c.fail(path, "%s is not allowed: list elements must not be pointers (nil encodes as an empty value)", t)
		return false
	case et.Implements(encoderType) || reflect.PointerTo(et).Implements(encoderType):
		c.fail(path, "%s is not allowed: list elements are formatted with fmt.Sprint, ignoring EncodeValues", t)
		return false
	case et.Kind() == reflect.Struct:
		c.fail(path, "%s is not allowed: structs in lists encode as \"{a b}\"", t)
		return false
	case et.Kind() == reflect.Slice || et.Kind() == reflect.Array:
		c.fail(path, "%s is not allowed: nested lists encode as \"[a b]\"", t)
		return false
	default:
		if reason := badScalar(et); reason != "" {
			c.fail(path, "list element %s", reason)
			return false
		}
	}
	var modes []string
	for _, o := range opts {
		if slices.Contains(listOptions, o) && !slices.Contains(modes, o) {
			modes = append(modes, o)
		}
	}
	del, hasDel := sf.Tag.Lookup("del")
	delimited := del != "" || slices.ContainsFunc(modes, func(m string) bool { return m != "brackets" && m != "numbered" })
	switch {
	case hasDel && del == "":
		c.fail(path, "empty del tag has no effect")
	case hasDel && strings.Trim(del, listSafe) != "":
		c.fail(path, "del tag %q may appear inside an element; use punctuation such as \"|\"", del)
	}
	if hasDel {
		modes = append(modes, "del tag")
	}
	if len(modes) > 1 {
		c.fail(path, "conflicting list encodings %s; use one", strings.Join(modes, " and "))
	}
	if k := et.Kind(); delimited && (k == reflect.String || et == timeType) {
		c.fail(path, "%s is not allowed as a delimited list: an element may hold the delimiter, which is not escaped; use repeated keys (no list option)", t)
	}
	return true
}

// checkTime requires an explicit, unambiguous time encoding.
func (c *checker) checkTime(sf reflect.StructField, path string, opts []string) {
	var unix []string
	for _, o := range opts {
		if slices.Contains(unixOptions, o) {
			unix = append(unix, o)
		}
	}
	layout, hasLayout := sf.Tag.Lookup("layout")
	switch {
	case len(unix) > 1:
		c.fail(path, "conflicting time options %s; use one", strings.Join(unix, " and "))
	case len(unix) == 1 && hasLayout:
		c.fail(path, "both the %s option and a layout tag are set; the layout would be ignored", unix[0])
	case hasLayout && layout == "":
		c.fail(path, "empty layout tag; go-querystring would fall back to RFC 3339")
	case len(unix) == 0 && !hasLayout:
		c.fail(path, "time.Time needs an explicit layout tag such as layout:%q, or a unix option; use query.Date for dates", time.RFC3339)
	}
}

// checkTag reports a malformed url tag name and unknown options.
func (c *checker) checkTag(path, name string, opts []string) {
	if strings.ContainsAny(name, " \t\"") || strings.Contains(name, "layout:") || strings.Contains(name, "del:") {
		c.fail(path, "malformed url tag name %q; separate struct tags with a space, as in url:\"from\" layout:\"2006-01-02\"", name)
	}
	for _, o := range opts {
		switch {
		case slices.Contains(knownOptions, o):
		case o == "":
			c.fail(path, "empty url tag option (stray comma)")
		case strings.HasPrefix(o, "layout"), strings.HasPrefix(o, "del"), strings.Contains(o, "2006"):
			c.fail(path, "unknown url tag option %q; layout and del are separate struct tags, as in url:\"from\" layout:\"2006-01-02\"", o)
		default:
			c.fail(path, "unknown url tag option %q; known: %s", o, strings.Join(knownOptions, ", "))
		}
	}
}

// deref strips all pointer levels from t.
func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}
