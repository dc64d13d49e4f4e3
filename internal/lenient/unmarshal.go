package lenient

import (
	json "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// v1Semantics are encoding/json's decoding rules (object keys matched to
// struct fields without regard to case, duplicate keys allowed with the
// last one counting, invalid UTF-8 replaced, its error types and texts),
// which the clients' wire types were written against.
var v1Semantics = json.JoinOptions(jsonv1.DefaultOptionsV1())

// Unmarshal decodes the JSON data into v in one pass, with the decoder of
// encoding/json/v2 (github.com/go-json-experiment/json, its code and API
// for Go 1.26) under encoding/json's rules. encoding/json (v1) reads a
// value twice, once to check it and once to decode it; this reads it once.
// Types with an UnmarshalJSONFrom method (the lenient types) are handed
// their value in place.
func Unmarshal(data []byte, v any) error {
	return json.Unmarshal(data, v, v1Semantics)
}
