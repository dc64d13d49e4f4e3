// Package query encodes API parameter structs into URL query strings.
//
// It is the single query-string helper used by every API client in this SDK:
// a client declares an unexported params struct per request and passes
// [Values] of it to the transport. Encoding is go-querystring's alone; this
// package only refuses, once per struct type, the declarations that
// go-querystring would encode wrongly or silently drop, so that a params
// struct either encodes exactly as written or fails loudly.
//
// # Conventions for params structs
//
// Fields are declared with go-querystring's `url` tag:
//
//	type schoolsQuery struct {
//		Query string     `url:"q,omitempty"`
//		Page  *int       `url:"page,omitempty"`  // nil: unset, &0: page=0
//		IDs   []string   `url:"id,omitempty"`    // id=a&id=b
//		Years []int      `url:"years,comma"`     // years=2023%2C2024
//		From  query.Date `url:"from,omitempty"`  // 2024-03-01
//		Since time.Time  `url:"since,omitempty" layout:"2006-01-02T15:04:05Z07:00"`
//		Order Order      `url:"order,omitempty"` // implements query.Encoder
//	}
//
// The rules, all enforced by [Lint] and therefore by [Values] and [Encode]:
//
//   - Lists are repeated keys (ids=a&ids=b), or key[]= and key0= with the
//     brackets and numbered options. A delimited list (the comma, space
//     and semicolon options, the del tag) is allowed only for integers and
//     bools, whose text cannot hold the delimiter; go-querystring does not
//     escape it.
//   - Floats are rejected because go-querystring formats them with fmt.Sprint
//     (1e+06); so are integer types with a String method, which fmt.Sprint
//     would call. Use an integer, a string, or an [Encoder].
//   - time.Time fields need an explicit `layout:"..."` tag (a separate struct
//     tag, not an option inside `url`) or one of the unix, unixmilli and
//     unixnano options. Use [Date] for calendar dates.
//   - Optional scalars are pointers with omitempty, or types whose zero value
//     means "unset" (such as [Date] or an Encoder enum). A pointer without
//     omitempty would send "key=" when nil.
//   - Types implementing [Encoder] encode themselves; their EncodeValues must
//     have a value receiver unless the field is a pointer. A list of them is
//     rejected: go-querystring formats list elements with fmt.Sprint.
//   - Maps, interfaces, nested structs (decimal.Decimal among them: it has
//     no exported field and would send nothing), and lists of structs,
//     pointers or lists are rejected. Embedded structs are flattened, as
//     go-querystring does.
//   - Unknown or misspelled tag options, options that do not apply to the
//     field's type, and two fields producing the same key are rejected.
//
// Every API client calls [Lint] in a test over each of its params structs,
// so that mistakes surface in CI rather than at request time.
package query
