// Package query encodes API parameter structs into URL query strings.
//
// It is the single query-string helper used by every API client in this SDK.
// Encoding is delegated to github.com/google/go-querystring; this package
// adds the checks and special cases that library lacks, so that a params
// struct either encodes exactly as written or fails loudly.
//
// # Conventions for params structs
//
// Fields are declared with go-querystring's `url` tag:
//
//	type SchoolParams struct {
//		Query    string          `url:"q,omitempty"`
//		Page     *int            `url:"page,omitempty"`      // nil: unset, &0: page=0
//		IDs      []string        `url:"id,omitempty"`        // id=a&id=b
//		Tags     []string        `url:"tags,comma,omitempty"` // tags=a%2Cb
//		MinPrice decimal.Decimal `url:"min_price,omitempty"` // 1000000, never 1e+06
//		From     query.Date      `url:"from,omitempty"`      // 2024-03-01
//		Since    time.Time       `url:"since,omitempty" layout:"2006-01-02T15:04:05Z07:00"`
//		Order    Order           `url:"order,omitempty"`     // implements query.Encoder
//	}
//
// The rules, all enforced by [Lint] and therefore by [Values] and [Encode]:
//
//   - Optional scalars are pointers with omitempty, or types whose zero value
//     means "unset" (such as [Date] or an Encoder enum). A plain int with
//     omitempty can never send 0; a pointer without omitempty sends "key=".
//   - Floats are rejected because go-querystring formats them with fmt.Sprint
//     (1e+06). Use decimal.Decimal (encoded with its String method, never with
//     an exponent), an integer type or a string.
//   - Maps, interfaces, and slices of structs or pointers are rejected:
//     go-querystring would encode them as "map[a:b]", "{a}" or similar.
//   - Lists default to repeated keys (ids=a&ids=b). The comma, space and
//     semicolon options and the del tag are allowed, but encoding fails if an
//     element contains the delimiter, since it is not escaped.
//   - time.Time fields need an explicit `layout:"..."` tag (a separate struct
//     tag, not an option inside `url`) or one of the unix, unixmilli and
//     unixnano options. Use [Date] for calendar dates.
//   - Types implementing [Encoder] encode themselves; their EncodeValues must
//     have a value receiver unless the field is a pointer.
//   - Unknown or misspelled tag options, options that do not apply to the
//     field's type, and two fields producing the same key are rejected.
//
// Every API client should call [Lint] in a test over each exported params
// struct, so that mistakes surface in CI rather than at request time.
package query
