package query

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

var (
	encoderType     = reflect.TypeFor[Encoder]()
	timeType        = reflect.TypeFor[time.Time]()
	dateType        = reflect.TypeFor[Date]()
	decimalType     = reflect.TypeFor[decimal.Decimal]()
	nullDecimalType = reflect.TypeFor[decimal.NullDecimal]()
)

// url tag options understood by go-querystring v1.2.0. The "layout" and
// "del" settings are separate struct tags, not url options.
const (
	optOmitEmpty = "omitempty"
	optComma     = "comma"
	optSpace     = "space"
	optSemicolon = "semicolon"
	optBrackets  = "brackets"
	optNumbered  = "numbered"
	optInt       = "int"
	optUnix      = "unix"
	optUnixMilli = "unixmilli"
	optUnixNano  = "unixnano"
)

var (
	knownOptions = []string{
		optOmitEmpty, optComma, optSpace, optSemicolon, optBrackets,
		optNumbered, optInt, optUnix, optUnixMilli, optUnixNano,
	}
	listOptions = []string{optComma, optSpace, optSemicolon, optBrackets, optNumbered}
	unixOptions = []string{optUnix, optUnixMilli, optUnixNano}
	delimiters  = map[string]string{optComma: ",", optSpace: " ", optSemicolon: ";"}
)

// Lint reports every declaration in a params struct type that this package
// would refuse to encode, joined with errors.Join; each is a [*FieldError]
// naming the field. v is a struct, a pointer to one (possibly nil, such as
// (*Params)(nil)), or a [reflect.Type] of either.
//
// Lint rejects:
//   - unknown or misspelled url tag options, and options or layout/del tags
//     that have no effect on the field's type;
//   - a layout or del setting written inside the url tag;
//   - float, complex, map, interface, chan and func fields;
//   - slices and arrays of structs, pointers, lists, maps or Encoders
//     (other than [Date], decimal.Decimal and time.Time);
//   - pointer fields without omitempty;
//   - time.Time fields without a layout tag or unix option;
//   - Encoder types with a pointer receiver used as non-pointer fields;
//   - conflicting list options and fields that produce the same key.
//
// Clients call Lint in a test over every exported params struct. [Values]
// and [Encode] apply the same checks (cached per type) before encoding.
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
	_, err := compile(t)
	return err
}

// plan lists what must be done after go-querystring has encoded a struct of
// a given type: decimal fields to add and delimited lists to check.
type plan struct {
	decimals []decimalField
	lists    []listField
}

// fieldRef locates a field from the root struct.
type fieldRef struct {
	index []int  // field indexes; pointers are followed between steps
	path  string // dotted Go path, for errors
	key   string // URL key as go-querystring names it
}

// decimalField is a decimal.Decimal or pointer-to-decimal field, which
// go-querystring would walk as a struct without exported fields and drop.
type decimalField struct {
	fieldRef
	omitEmpty bool
}

// listField is a slice or array encoded as a single delimited value, or a
// list of dates, whose elements are checked.
type listField struct {
	fieldRef
	delim  string
	asInt  bool   // bool elements as 1/0
	unix   string // unix option for time elements, if any
	layout string // layout tag for time elements
	dates  bool   // Date elements, which must be valid
}

type compiled struct {
	plan *plan
	err  error
}

// plans caches compiled results by struct type.
var plans sync.Map // reflect.Type -> compiled

// compile lints the struct type t and returns its encoding plan.
func compile(t reflect.Type) (*plan, error) {
	if c, ok := plans.Load(t); ok {
		c := c.(compiled)
		return c.plan, c.err
	}
	c := &compiler{root: t, plan: &plan{}, keys: map[string]string{}}
	c.walkStruct(t, "", "", nil)
	res := compiled{plan: c.plan, err: errors.Join(c.errs...)}
	if res.err != nil {
		res.plan = nil
	}
	plans.Store(t, res)
	return res.plan, res.err
}

// compiler walks a params type the way go-querystring walks its values.
type compiler struct {
	root  reflect.Type
	plan  *plan
	errs  []error
	keys  map[string]string // URL key -> path of the field producing it
	stack []reflect.Type    // struct types being walked, to stop recursion
}

// fail records a FieldError for the field at path.
func (c *compiler) fail(path, format string, args ...any) {
	c.errs = append(c.errs, &FieldError{
		Struct: c.root.Name(),
		Field:  path,
		Reason: fmt.Sprintf(format, args...),
	})
}

// embedded is an embedded struct field, walked after its siblings.
type embedded struct {
	typ   reflect.Type
	path  string
	index []int
}

// walkStruct checks the fields of struct type t, whose keys are nested under
// scope. Like go-querystring, it handles embedded structs after the other
// fields, in the same scope.
func (c *compiler) walkStruct(t reflect.Type, scope, path string, index []int) {
	if slices.Contains(c.stack, t) {
		c.fail(path, "recursive type %s is not supported", t)
		return
	}
	c.stack = append(c.stack, t)
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()

	var embeds []embedded
	for i := range t.NumField() {
		sf := t.Field(i)
		fpath := sf.Name
		if path != "" {
			fpath = path + "." + sf.Name
		}
		tag, hasTag := sf.Tag.Lookup("url")
		if !sf.IsExported() && !sf.Anonymous {
			if hasTag && tag != "-" {
				c.fail(fpath, "unexported field has a url tag but is never encoded")
			}
			continue
		}
		if tag == "-" {
			continue
		}
		name, opts := parseTag(tag)
		c.checkTag(fpath, name, opts)
		omit := slices.Contains(opts, optOmitEmpty)
		idx := append(slices.Clip(index), i)

		if name == "" && sf.Anonymous {
			if bt := deref(sf.Type); bt.Kind() == reflect.Struct {
				if sf.Type.Kind() == reflect.Pointer && !omit {
					c.fail(fpath, "embedded pointer needs the omitempty option: when nil it encodes as %q", scoped(scope, sf.Name)+"=")
				}
				if selfEncoding(bt) {
					c.fail(fpath, "embedded %s is flattened field by field, bypassing its own encoding; give the field a url tag name", bt)
					continue
				}
				embeds = append(embeds, embedded{typ: bt, path: fpath, index: idx})
				continue
			}
		}
		if !sf.IsExported() {
			c.fail(fpath, "unexported embedded %s cannot be encoded (go-querystring panics); tag it url:\"-\"", sf.Type)
			continue
		}
		if name == "" {
			name = sf.Name
		}
		c.field(sf, fieldRef{index: idx, path: fpath, key: scoped(scope, name)}, opts, omit)
	}
	for _, e := range embeds {
		c.walkStruct(e.typ, scope, e.path, e.index)
	}
}

// selfEncoding reports whether struct type t has an encoding of its own that
// go-querystring bypasses when t is embedded.
func selfEncoding(t reflect.Type) bool {
	return t == timeType || t == decimalType || t == nullDecimalType ||
		reflect.PointerTo(t).Implements(encoderType)
}

// applicable lists the url options and extra tags that have an effect on a
// field; anything else present is reported.
type applicable struct {
	opts   []string
	layout bool
	del    bool
}

// field checks one named field and records it in the plan if needed.
func (c *compiler) field(sf reflect.StructField, ref fieldRef, opts []string, omit bool) {
	ft := sf.Type
	if ft.Kind() == reflect.Pointer && !omit {
		c.fail(ref.path, "pointer field needs the omitempty option: when nil it encodes as %q", ref.key+"=")
	}
	if ft.Implements(encoderType) {
		c.claim(ref)
		c.checkApplicable(sf, ref.path, opts, applicable{})
		return
	}
	if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Pointer {
		c.fail(ref.path, "%s is not allowed: use a single pointer", ft)
		return
	}
	bt := deref(ft)
	if reflect.PointerTo(bt).Implements(encoderType) {
		c.fail(ref.path, "%s implements query.Encoder only with a pointer receiver, so this field would not use it; use a value receiver or a *%s field with omitempty", bt, bt)
		return
	}

	switch {
	case bt == decimalType:
		c.claim(ref)
		c.checkApplicable(sf, ref.path, opts, applicable{})
		c.plan.decimals = append(c.plan.decimals, decimalField{fieldRef: ref, omitEmpty: omit})
	case bt == nullDecimalType:
		c.fail(ref.path, "decimal.NullDecimal is not supported; use *decimal.Decimal with omitempty")
	case bt == timeType:
		c.claim(ref)
		c.checkTime(sf, ref.path, opts)
		c.checkApplicable(sf, ref.path, opts, applicable{opts: unixOptions, layout: true})
	case bt.Kind() == reflect.Slice || bt.Kind() == reflect.Array:
		c.claim(ref)
		c.list(sf, ref, bt, opts)
	case bt.Kind() == reflect.Struct:
		c.checkApplicable(sf, ref.path, opts, applicable{})
		c.walkStruct(bt, ref.key, ref.path, ref.index)
	default:
		c.claim(ref)
		if reason := badScalar(bt); reason != "" {
			c.fail(ref.path, "%s", reason)
			return
		}
		a := applicable{}
		if bt.Kind() == reflect.Bool {
			a.opts = []string{optInt}
		}
		c.checkApplicable(sf, ref.path, opts, a)
	}
}

// badScalar explains why a non-struct, non-list type cannot be encoded, or
// returns "" if it can.
func badScalar(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool, reflect.String,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ""
	case reflect.Float32, reflect.Float64:
		return fmt.Sprintf("%s is not allowed: go-querystring formats floats with fmt.Sprint (1e+06); use decimal.Decimal, an integer or a string", t)
	case reflect.Map:
		return fmt.Sprintf("%s is not allowed: maps encode as \"map[k:v]\"; use a struct or a query.Encoder", t)
	case reflect.Interface:
		return fmt.Sprintf("%s is not allowed: interface fields cannot be checked; use a concrete type", t)
	default:
		return fmt.Sprintf("%s cannot be encoded as a query parameter", t)
	}
}

// list checks a slice or array field and plans the delimiter check.
func (c *compiler) list(sf reflect.StructField, ref fieldRef, t reflect.Type, opts []string) {
	et := t.Elem()
	a := applicable{opts: listOptions, del: true}
	switch {
	case et == dateType || et == decimalType:
		// Elements are formatted with fmt.Sprint, which uses String.
	case et == timeType:
		c.checkTime(sf, ref.path, opts)
		a.opts = append(slices.Clip(a.opts), unixOptions...)
		a.layout = true
	case et.Kind() == reflect.Pointer:
		c.fail(ref.path, "%s is not allowed: list elements must not be pointers (nil encodes as an empty value)", t)
		return
	case et.Implements(encoderType) || reflect.PointerTo(et).Implements(encoderType):
		c.fail(ref.path, "%s is not allowed: list elements are formatted with fmt.Sprint, ignoring EncodeValues", t)
		return
	case et.Kind() == reflect.Struct:
		c.fail(ref.path, "%s is not allowed: structs in lists encode as \"{a b}\"", t)
		return
	case et.Kind() == reflect.Slice || et.Kind() == reflect.Array:
		c.fail(ref.path, "%s is not allowed: nested lists encode as \"[a b]\"", t)
		return
	default:
		if reason := badScalar(et); reason != "" {
			c.fail(ref.path, "list element %s", reason)
			return
		}
		if et.Kind() == reflect.Bool {
			a.opts = append(slices.Clip(a.opts), optInt)
		}
	}
	c.checkApplicable(sf, ref.path, opts, a)

	var modes []string
	for _, o := range opts {
		if slices.Contains(listOptions, o) && !slices.Contains(modes, o) {
			modes = append(modes, o)
		}
	}
	del, hasDel := sf.Tag.Lookup("del")
	if hasDel {
		if del == "" {
			c.fail(ref.path, "empty del tag has no effect")
		}
		modes = append(modes, "del tag")
	}
	if len(modes) > 1 {
		c.fail(ref.path, "conflicting list encodings %s; use one", strings.Join(modes, " and "))
		return
	}
	for _, o := range opts {
		if d, ok := delimiters[o]; ok {
			del = d
		}
	}
	if del == "" && et != dateType {
		return
	}
	lf := listField{fieldRef: ref, delim: del, asInt: slices.Contains(opts, optInt), dates: et == dateType}
	if et == timeType {
		lf.layout = sf.Tag.Get("layout")
		for _, o := range opts {
			if slices.Contains(unixOptions, o) {
				lf.unix = o
			}
		}
	}
	c.plan.lists = append(c.plan.lists, lf)
}

// checkTime requires an explicit, unambiguous time encoding.
func (c *compiler) checkTime(sf reflect.StructField, path string, opts []string) {
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

// checkApplicable reports known url options, and layout or del tags, that
// have no effect on the field. Unknown options are reported by checkTag.
func (c *compiler) checkApplicable(sf reflect.StructField, path string, opts []string, a applicable) {
	for _, o := range opts {
		if o == optOmitEmpty || !slices.Contains(knownOptions, o) || slices.Contains(a.opts, o) {
			continue
		}
		c.fail(path, "url option %q has no effect on %s", o, sf.Type)
	}
	if _, ok := sf.Tag.Lookup("layout"); ok && !a.layout {
		c.fail(path, "layout tag has no effect on %s", sf.Type)
	}
	if _, ok := sf.Tag.Lookup("del"); ok && !a.del {
		c.fail(path, "del tag has no effect on %s", sf.Type)
	}
}

// checkTag reports a malformed url tag name and unknown options.
func (c *compiler) checkTag(path, name string, opts []string) {
	if strings.ContainsAny(name, " \t\"") || strings.Contains(name, "layout:") || strings.Contains(name, "del:") {
		c.fail(path, "malformed url tag name %q; separate struct tags with a space, as in url:\"from\" layout:\"2006-01-02\"", name)
	}
	for _, o := range opts {
		switch {
		case slices.Contains(knownOptions, o):
		case o == "":
			c.fail(path, "empty url tag option (stray comma)")
		case strings.HasPrefix(o, "layout"):
			c.fail(path, "layout must be a separate struct tag, as in url:\"from\" layout:\"2006-01-02\", not the url option %q", o)
		case strings.HasPrefix(o, "del"):
			c.fail(path, "del must be a separate struct tag, as in url:\"ids\" del:\"|\", not the url option %q", o)
		case strings.Contains(o, "2006") || strings.Contains(o, "15:04"):
			c.fail(path, "url option %q looks like a time layout; use a separate layout tag", o)
		default:
			if s := suggest(o); s != "" {
				c.fail(path, "unknown url tag option %q (did you mean %q?)", o, s)
			} else {
				c.fail(path, "unknown url tag option %q", o)
			}
		}
	}
}

// claim records the key of a field and reports a key already produced by
// another field, which go-querystring would silently send twice.
func (c *compiler) claim(ref fieldRef) {
	if prev, ok := c.keys[ref.key]; ok {
		c.fail(ref.path, "url key %q is also produced by %s", ref.key, prev)
		return
	}
	c.keys[ref.key] = ref.path
}

// scoped returns the URL key of name nested under scope, as go-querystring
// names it: "scope[name]".
func scoped(scope, name string) string {
	if scope == "" {
		return name
	}
	return scope + "[" + name + "]"
}

// parseTag splits a url tag into name and options, as go-querystring does.
func parseTag(tag string) (string, []string) {
	s := strings.Split(tag, ",")
	return s[0], s[1:]
}

// deref strips all pointer levels from t.
func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// suggest returns the known option closest to an unknown one, or "".
func suggest(opt string) string {
	best, bestDist := "", 3
	for _, k := range knownOptions {
		if d := editDistance(opt, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein (optimal string alignment)
// distance between a and b, so that a swap such as "omitemtpy" counts once.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
