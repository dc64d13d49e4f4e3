package uztgs

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// objectProbe decodes one object with readItem, as an item of a page
// is decoded: in place, from the decoder of lenient.Unmarshal.
type objectProbe struct {
	keys  []string
	dsts  []any
	extra map[string]json.RawMessage
}

func (o *objectProbe) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return readItem(dec, &o.extra, o.keys, o.dsts...)
}

// decodeBytes decodes the JSON text b, which must be one object (or null),
// with readItem.
func decodeBytes(b []byte, keys []string, dsts ...any) (map[string]json.RawMessage, error) {
	p := objectProbe{keys: keys, dsts: dsts}
	err := lenient.Unmarshal(b, &p)
	return p.extra, err
}

// readItem reads the documented members, keeps the others as sent,
// and matches keys like encoding/json.
func TestDecodeObject(t *testing.T) {
	type got struct {
		id    lenient.Int
		name  lenient.String
		extra map[string]json.RawMessage
	}
	decode := func(b string) (got, error) {
		var g got
		var err error
		g.extra, err = decodeBytes([]byte(b), []string{"id", "name"}, (*num)(&g.id), &g.name)
		return g, err
	}
	for _, tc := range []struct {
		in    string
		id    int64
		name  string
		extra map[string]json.RawMessage
	}{
		{`{"id":13,"name":"A"}`, 13, "A", nil},
		{` { "id" : "13" , "name" : null } `, 13, "", nil},
		{`{}`, 0, "", nil},
		{`null`, 0, "", nil},
		{`{"id":1,"region":{"id":3,"name":"}"},"tags":[1,"a"],"ok":true,"n":-1.5e3,"s":"x\"y","z":null}`, 1, "", map[string]json.RawMessage{
			"region": json.RawMessage(`{"id":3,"name":"}"}`), "tags": json.RawMessage(`[1,"a"]`), "ok": json.RawMessage(`true`),
			"n": json.RawMessage(`-1.5e3`), "s": json.RawMessage(`"x\"y"`), "z": json.RawMessage(`null`),
		}},
		{`{"\u0069d":7,"na\u006De":"esc"}`, 7, "esc", nil},
		{`{"ID":7,"Name":"fold"}`, 7, "fold", nil},
		{`{"id":1,"ID":2}`, 2, "", nil},
		{`{"id":1,"k\u00e9y":2}`, 1, "", map[string]json.RawMessage{"kéy": json.RawMessage(`2`)}},
		{"{\"id\":1,\n\"extra\" :\t[ 1 , 2 ]\n}", 1, "", map[string]json.RawMessage{"extra": json.RawMessage(`[ 1 , 2 ]`)}},
	} {
		g, err := decode(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.id, g.id.N, tc.in)
		assert.Equal(t, tc.name, g.name.S, tc.in)
		assert.Equal(t, tc.extra, g.extra, tc.in)
	}
	for _, bad := range []string{``, `[]`, `5`, `"x"`, `nul`, `null x`, `{"id":1}x`, `{"id":1,}`, `{"id" 1}`, `{"id":}`, `{id:1}`, `{"id":1`, `{"a`, `{"a":"\`} {
		_, err := decode(bad)
		assert.Error(t, err, bad)
	}
	_, err := decode(`{"id":"thirteen"}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "id", "the error names the member")

	// The value kept is a copy: the decoder may reuse its buffer.
	b := []byte(`{"x":[1]}`)
	var g got
	g.extra, err = decodeBytes(b, nil)
	require.NoError(t, err)
	b[6] = '9'
	assert.Equal(t, json.RawMessage(`[1]`), g.extra["x"])
}

// FuzzDecodeObject: readItem never panics, and on valid JSON it
// decodes exactly what encoding/json decodes into a struct with the same
// members (but for a key sent twice whose earlier value is refused: then
// the last counts, as in lenient.DecodeObject), and keeps exactly the
// members such a struct would drop.
func FuzzDecodeObject(f *testing.F) {
	for _, s := range []string{
		`{"id":13,"name":"O'ZBEKISTON YENGIL ATLETIKA FEDERATSIYASI","subdivision_type_name":"Владелец ПУУ"}`,
		`{"event_time":1612292400,"channel_data":[{"T":25.193481},{"P":0.9954071}],"station":{"id":18}}`,
		`{"ID":1,"Id":"2","channel_DATA":null,"\u0069d":3}`, `null`, `{}`, `[]`, `{"a":1,"a":2}`, `{"id":"x"}`,
		`{"channel_data":{"T":1}}`, `{"k":"\ud800"}`, `{"id":1}  `, `{"id":1} {}`, `{"Id":"A","\u0069d":0}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var id lenient.Int
		var name lenient.String
		var rs Readings
		extra, err := decodeBytes(b, []string{"id", "name", "channel_data"}, (*num)(&id), &name, &readingsInto{st: &decodeState{}, rs: &rs})
		if !json.Valid(b) || !utf8.Valid(b) {
			return // encoding/json replaces invalid UTF-8; readItem keeps it
		}
		var ref struct {
			ID   lenient.Int    `json:"id"`
			Name lenient.String `json:"name"`
			RS   Readings       `json:"channel_data"`
		}
		refErr := json.Unmarshal(b, &ref)
		if err == nil && refErr != nil {
			// encoding/json stops at the first refused value; an item
			// reads the last value of a key sent twice, also after a
			// refused one, as lenient.DecodeObject does.
			ref.ID, ref.Name, ref.RS = lenient.Int{}, lenient.String{}, nil
			_, refErr = lenient.DecodeObject(b, []lenient.Member{
				{Key: "id", Dst: &ref.ID}, {Key: "name", Dst: &ref.Name}, {Key: "channel_data", Dst: &ref.RS},
			}, false)
		}
		if (err == nil) != (refErr == nil) {
			t.Fatalf("%q: readItem %v, encoding/json %v", b, err, refErr)
		}
		if err != nil {
			return
		}
		if id != ref.ID || name != ref.Name || !fzReadingsEqual(rs, ref.RS, true) {
			t.Fatalf("%q: got %v %v %v, want %v %v %v", b, id, name, rs, ref.ID, ref.Name, ref.RS)
		}
		var all map[string]json.RawMessage
		if json.Unmarshal(b, &all) != nil {
			t.Fatalf("%q: not an object, yet decoded", b)
		}
		for k := range all {
			if strings.EqualFold(k, "id") || strings.EqualFold(k, "name") || strings.EqualFold(k, "channel_data") {
				delete(all, k)
			}
		}
		if len(all) == 0 {
			all = nil
		}
		if len(all) != len(extra) {
			t.Fatalf("%q: extra %v, want %v", b, extra, all)
		}
		for k, v := range all {
			if string(extra[k]) != string(v) {
				t.Fatalf("%q: extra[%q] = %s, want %s", b, k, extra[k], v)
			}
		}
	})
}
