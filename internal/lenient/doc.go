// Package lenient provides JSON scalar types that tolerate the loose wire
// formats of back ends that do not care much about JSON types, such as a Perl
// service that sends a number as 21 in one response and "21" in the next,
// and marks a missing value as null, "" or "undef".
//
// The types are meant for the unexported wire structs of client packages:
//
//	type taskWire struct {
//		ID      lenient.Int     `json:"id_task"`
//		Spend   lenient.Decimal `json:"spend"`
//		Done    lenient.Bool    `json:"done"`
//		Title   lenient.String  `json:"title"`
//		Created lenient.Time    `json:"created"`
//	}
//
// A public type can also read its JSON straight into plain Go fields, with
// no wire struct to copy from: [ReadObject] matches the keys and [Read]
// applies the rules of these types to *string, *int64, *bool and
// *decimal.Decimal destinations, in one pass over a jsontext.Decoder.
//
// Each type has a Valid field that is false when the value was absent and
// true when a value was decoded; the zero value of every type is absent.
// What counts as absent is documented per type: null always does, and all
// types except [String] also treat "" and "undef" as absent (see [IsAbsent]).
// A JSON key that is missing from the object leaves the field untouched, so a
// freshly declared struct reports it as absent too.
//
// UnmarshalJSON never decodes numbers through float64: numeric literals are
// taken from the raw JSON text, so [Decimal] is exact and [Int] covers the
// whole int64 range. Rejected input yields a [*DecodeError] naming the type,
// the received JSON text (shortened to about 64 bytes) and the accepted forms;
// the receiver is left unchanged on error.
//
// MarshalJSON writes one canonical form per type: JSON strings for [String],
// [Decimal] (exact, with the scale as received) and [Time] (RFC 3339), JSON
// numbers for [Int], JSON booleans for [Bool], and null for an absent value,
// so marshalled output decodes back to an equal value. Absent fields can be
// dropped from output with the "omitzero" struct tag option.
//
// encoding/json matches object keys to struct tags case-insensitively when no
// exact match exists, so one struct with tag "id_task" decodes both "Id_task"
// and "id_task" keys.
//
// # Time zones
//
// Time strings without a zone offset, such as "2024-03-01 12:30:00", are
// interpreted in a location chosen by the user of the package through the type
// parameter of [TimeIn]: a [Zone] is a small (usually empty) struct type whose
// Location method returns the location. [Time] is [TimeIn] with [UTC]. A client
// whose back end reports local Almaty time declares its own zone once:
//
//	var almatyLoc = time.FixedZone("Asia/Almaty", 5*60*60)
//
//	type almaty struct{}
//
//	func (almaty) Location() *time.Location { return almatyLoc }
//
//	type eventWire struct {
//		At lenient.TimeIn[almaty] `json:"at"`
//	}
//
// Strings that carry an offset (RFC 3339) keep their own offset whatever the
// zone. [ParseTime] parses the same layouts from a Go string with an explicit
// location.
package lenient
