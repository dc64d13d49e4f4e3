package lenient

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeObject(t *testing.T) {
	var a, b String
	var n Int
	members := func() []Member {
		a, b, n = String{}, String{}, Int{}
		return []Member{{Key: "a", Aliases: []string{"alpha"}, Dst: &a}, {Key: "b", Dst: &b}, {Key: "n", Dst: &n}}
	}
	for _, tc := range []struct {
		name, in    string
		keep        bool
		a, b        string
		n           int64
		extra       map[string]string
		wantErr     bool
		errContains string
	}{
		{name: "documented and unknown", in: `{"a":"x","b":"y","n":3,"z":[1,{"q":"}"}]}`, a: "x", b: "y", n: 3, extra: map[string]string{"z": `[1,{"q":"}"}]`}},
		{name: "alias when the key is absent", in: `{"a":null,"alpha":"x"}`, a: "x", extra: map[string]string{"a": "null"}},
		{name: "key before alias", in: `{"alpha":"y","a":"x"}`, a: "x", extra: map[string]string{"alpha": `"y"`}},
		{name: "the last of a key sent twice", in: `{"b":"1","b":"2"}`, b: "2"},
		{name: "case-insensitive", in: `{"B":"y"}`, b: "y"},
		{name: "escaped key", in: `{"\u0062":"y","\u007a":1}`, b: "y", extra: map[string]string{"z": "1"}},
		{name: "null", in: ` null `},
		{name: "refused value kept", in: `{"n":"abc"}`, keep: true, extra: map[string]string{"n": `"abc"`}},
		{name: "refused value is an error", in: `{"n":"abc"}`, wantErr: true, errContains: "n: "},
		{name: "not an object", in: `[1]`, wantErr: true},
		{name: "trailing text", in: `{} x`, wantErr: true},
		{name: "cut", in: `{"a":"x"`, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			extra, err := DecodeObject([]byte(tc.in), members(), tc.keep)
			if tc.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.errContains)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.a, a.S)
			assert.Equal(t, tc.b, b.S)
			assert.Equal(t, tc.n, n.N)
			got := map[string]string{}
			for k, v := range extra {
				got[k] = string(v)
			}
			if tc.extra == nil {
				assert.Nil(t, extra)
			} else {
				assert.Equal(t, tc.extra, got)
			}
		})
	}
}

func TestDecodeObjectAllocatesOnlyForTheValues(t *testing.T) {
	var a, b String
	in := []byte(`{"a":"x","b":"y"}`)
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = DecodeObject(in, []Member{{Key: "a", Dst: &a}, {Key: "b", Dst: &b}}, false)
	})
	assert.LessOrEqual(t, allocs, 2.0, "the two strings, nothing for the object")
}

// FuzzDecodeObject compares DecodeObject with the two-pass reading it
// replaces: a decode into map[string]json.RawMessage, then each member from
// the map.
func FuzzDecodeObject(f *testing.F) {
	f.Add(`{"a":"x","alpha":"y","b":null,"z":1}`)
	f.Add(`{"alpha":"y","a":""}`)
	f.Add(`{"n":"12","n":"x"}`)
	f.Add(`{"A":"x"}`)
	f.Fuzz(func(t *testing.T, in string) {
		var ref map[string]json.RawMessage
		if json.Unmarshal([]byte(in), &ref) != nil || ref == nil {
			return
		}
		for k := range ref {
			// The reference matches keys exactly; DecodeObject also
			// folds case, as encoding/json does for struct fields.
			for _, known := range []string{"a", "alpha", "b", "n"} {
				if k != known && equalFoldString(k, known) {
					return
				}
			}
		}
		var a, b String
		var n Int
		extra, err := DecodeObject([]byte(in), []Member{{Key: "a", Aliases: []string{"alpha"}, Dst: &a}, {Key: "b", Dst: &b}, {Key: "n", Dst: &n}}, true)
		if err != nil {
			t.Fatalf("valid object refused: %v", err)
		}
		var ra, rb String
		var rn Int
		want := maps.Clone(ref)
		pick := func(keys []string, dst json.Unmarshaler) {
			key := ""
			for _, k := range keys {
				v, ok := want[k]
				if !ok {
					continue
				}
				if !IsAbsent(v) {
					key = k
					break
				}
				if key == "" {
					key = k
				}
			}
			if key != "" && dst.UnmarshalJSON(want[key]) == nil {
				delete(want, key)
			}
		}
		pick([]string{"a", "alpha"}, &ra)
		pick([]string{"b"}, &rb)
		pick([]string{"n"}, &rn)
		if a != ra || b != rb || n != rn {
			t.Fatalf("members differ: %+v %+v %+v, want %+v %+v %+v", a, b, n, ra, rb, rn)
		}
		if len(want) == 0 {
			want = nil
		}
		if len(extra) != len(want) {
			t.Fatalf("extra %v, want %v", extra, want)
		}
		for k, v := range want {
			var x, y any
			_ = json.Unmarshal(v, &x)
			_ = json.Unmarshal(extra[k], &y)
			if mustJSON(x) != mustJSON(y) {
				t.Fatalf("extra[%q] = %s, want %s", k, extra[k], v)
			}
		}
	})
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func equalFoldString(a, b string) bool {
	return len(a) == len(b) && (a == b || foldEq(a, b))
}

func foldEq(a, b string) bool {
	for i := range len(a) {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}
