package uztgs

import (
	"encoding/json"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// member is one documented member of an item of a view: its key and the
// value it decodes into.
type member struct {
	key string
	dst json.Unmarshaler
}

// decodeObject decodes the JSON object b in one pass (see
// [lenient.DecodeObject]): the value of each documented member into its
// dst, and every other member, as sent, into the map it returns (nil when
// there is none), so that nothing the server sends is dropped. A key names
// a member when it equals the member's key or, as encoding/json matches
// struct fields, equals it without regard to case; of a key that appears
// twice, the last value counts. JSON null decodes to nothing. A value that
// its dst refuses is an error naming the key.
func decodeObject(b []byte, members []member) (map[string]json.RawMessage, error) {
	var buf [12]lenient.Member
	ms := buf[:0]
	for _, m := range members {
		ms = append(ms, lenient.Member{Key: m.key, Dst: m.dst})
	}
	return lenient.DecodeObject(b, ms, false)
}
