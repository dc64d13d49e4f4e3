package lenient

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var readSeeds = []string{
	`"abc"`, `"a\"b"`, `"\u00e9"`, "\"a\xffb\"", `""`, `"undef"`, `null`, `true`, `false`, `0`, `-7`, `21`, `"21"`,
	`"+7"`, `1.50`, `"73196.3900"`, `-1.5e3`, `1e3`, `9223372036854775807`, `9223372036854775808`, `"1"`, `"0"`,
	`"true"`, `"TRUE"`, `2`, `"1,5"`, `[]`, `{}`, `[1]`, `{"a":1}`,
}

// checkRead holds Read on raw to the lenient type of each destination:
// the same value, the same refusals, and the value read to its end.
func checkRead(t *testing.T, raw []byte) {
	t.Helper()
	dec := func() *jsontext.Decoder { return jsontext.NewDecoder(bytes.NewReader(raw), Options()) }
	read := func(dst any) error {
		d := dec()
		err := Read(d, dst)
		if _, end := d.ReadToken(); err == nil && end == nil {
			t.Fatalf("%q into %T: not read to its end", raw, dst)
		}
		return err
	}
	var (
		s, ws = "x", String{}
		n, wn = int64(-1), Int{}
		b, wb = true, Bool{}
		d, wd = decimal.NewFromInt(-1), Decimal{}
	)
	same := func(err, want error, equal bool, got any) {
		t.Helper()
		if (err == nil) != (want == nil) || (err == nil && !equal) {
			t.Fatalf("%q: %v (%v); the lenient type: %v", raw, got, err, want)
		}
		if err != nil && !errors.As(err, new(*DecodeError)) && json.Valid(raw) {
			t.Fatalf("%q: %v is not a *DecodeError", raw, err)
		}
	}
	err, want := read(&s), ws.UnmarshalJSON(raw)
	same(err, want, s == ws.S, s)
	err, want = read(&n), wn.UnmarshalJSON(raw)
	same(err, want, n == wn.N, n)
	err, want = read(&b), wb.UnmarshalJSON(raw)
	same(err, want, b == wb.B, b)
	err, want = read(&d), wd.UnmarshalJSON(raw)
	same(err, want, d.Equal(wd.D) && d.Exponent() == wd.D.Exponent(), d)
}

func TestReadIsTheLenientTypes(t *testing.T) {
	for _, s := range readSeeds {
		checkRead(t, []byte(s))
	}
	var n Int // a From reads itself
	require.NoError(t, Read(jsontext.NewDecoder(bytes.NewReader([]byte(`"5"`))), &n))
	assert.Equal(t, Int{N: 5, Valid: true}, n)
	var s string
	assert.Equal(t, 1.0, allocs([]byte(`"plain"`), func(dec *jsontext.Decoder) { _ = Read(dec, &s) }),
		"a plain string costs its own copy only")
	assert.Panics(t, func() { _ = Read(jsontext.NewDecoder(bytes.NewReader([]byte(`1`))), new(float64)) })
}

func FuzzRead(f *testing.F) {
	for _, s := range readSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		checkRead(t, raw)
	})
}

func TestReadObject(t *testing.T) {
	type got struct {
		id    int64
		name  string
		extra map[string]json.RawMessage
	}
	keys := []string{"id", "name"}
	read := func(in string, mode ObjectMode) (got, error) {
		var g got
		r := NewReader([]byte(in))
		defer r.Done()
		var err error
		g.extra, err = ReadObject(&r.Dec, mode, keys, &g.id, &g.name)
		if err == nil {
			err = AtEOF(&r.Dec)
		}
		return g, err
	}
	for _, tc := range []struct {
		in    string
		mode  ObjectMode
		id    int64
		name  string
		extra map[string]json.RawMessage
	}{
		{in: `{"id":13,"name":"A"}`, id: 13, name: "A"},
		{in: ` { "id" : "13" , "name" : null } `, id: 13},
		{in: `{}`}, {in: `null`},
		{in: `{"ID":7,"Name":"fold"}`, id: 7, name: "fold"},
		{in: `{"\u0069d":7,"na\u006De":"esc"}`, id: 7, name: "esc"},
		{in: `{"id":1,"ID":2}`, id: 2},
		{in: `{"id":1,"x":[1,{"a":"}"}],"y":null}`, id: 1},
		{in: `{"id":1,"x":[1,{"a":"}"}],"k\u00e9y":2}`, mode: KeepOthers, id: 1,
			extra: map[string]json.RawMessage{"x": json.RawMessage(`[1,{"a":"}"}]`), "kéy": json.RawMessage(`2`)}},
		{in: `{"id":"x","id":5}`, mode: LastCounts, id: 5},
	} {
		g, err := read(tc.in, tc.mode)
		require.NoError(t, err, tc.in)
		assert.Equal(t, got{tc.id, tc.name, tc.extra}, g, tc.in)
	}
	for _, tc := range []struct {
		in   string
		mode ObjectMode
		msg  string
	}{
		{in: `{"id":"x","id":5}`, msg: "id: lenient: cannot decode Int"},
		{in: `{"id":5,"id":"x"}`, mode: LastCounts, msg: "id: "},
		{in: `{"name":{},"id":"x"}`, mode: LastCounts, msg: "id: "},
		{in: `[1]`, msg: "want a JSON object"}, {in: `"x"`}, {in: `{"id":1`}, {in: `{"id":1,}`}, {in: `{"a":1} x`},
	} {
		_, err := read(tc.in, tc.mode)
		require.Error(t, err, tc.in)
		assert.Contains(t, err.Error(), tc.msg, tc.in)
	}
	assert.Panics(t, func() { _, _ = ReadObject(jsontext.NewDecoder(bytes.NewReader([]byte(`{}`))), 0, keys) })

	// Exact keys and numbers allocate nothing; the name costs its copy.
	raw := []byte(`{"id":13,"name":"Ana","other":[1,2]}`)
	var id int64
	var name string
	assert.Equal(t, 1.0, allocs(raw, func(dec *jsontext.Decoder) { _, _ = ReadObject(dec, 0, keys, &id, &name) }))
}

// allocs is the allocations of read on raw, from a decoder reused as
// Reader reuses one (not taken from the pool, which the race detector
// empties at random).
func allocs(raw []byte, read func(*jsontext.Decoder)) float64 {
	var (
		buf bytes.Buffer
		dec jsontext.Decoder
	)
	return testing.AllocsPerRun(100, func() {
		buf = *bytes.NewBuffer(raw)
		dec.Reset(&buf, Options())
		read(&dec)
	})
}

func TestReadArray(t *testing.T) {
	sum := func(in string) (int64, bool, error) {
		r := NewReader([]byte(in))
		defer r.Done()
		var total int64
		ok, err := ReadArray(&r.Dec, func(int) error {
			var n int64
			err := Read(&r.Dec, &n)
			total += n
			return err
		})
		return total, ok, err
	}
	for _, tc := range []struct {
		in    string
		total int64
		ok    bool
	}{{`[1,"2",null]`, 3, true}, {`[]`, 0, true}, {`null`, 0, false}} {
		total, ok, err := sum(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.total, total, tc.in)
		assert.Equal(t, tc.ok, ok, tc.in)
	}
	_, _, err := sum(`{"a":1}`)
	assert.EqualError(t, err, "want a list, not an object")
	_, _, err = sum(`[1,"x"]`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "[1]: lenient: cannot decode Int")
	_, _, err = sum(`[1,`)
	assert.Error(t, err)
}
