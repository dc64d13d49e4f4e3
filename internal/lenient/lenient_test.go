package lenient

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsAbsent(t *testing.T) {
	tests := []struct {
		raw  string
		want bool
	}{
		{`null`, true},
		{`""`, true},
		{`"undef"`, true},
		{" \t\r\n null \n", true},
		{`  ""  `, true},
		{`"\u0075ndef"`, true},
		{`"Undef"`, false},
		{`"UNDEF"`, false},
		{`" "`, false},
		{`"null"`, false},
		{`0`, false},
		{`false`, false},
		{`"0"`, false},
		{`[]`, false},
		{`{}`, false},
		{``, false},
		{`nul`, false},
		{`nullx`, false},
		{`"undef`, false},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			assert.Equal(t, tc.want, IsAbsent([]byte(tc.raw)))
		})
	}
}

func TestScan(t *testing.T) {
	tests := []struct {
		raw  string
		want token
	}{
		{`null`, token{kind: kindNull}},
		{`true`, token{kind: kindBool, text: "true"}},
		{` false `, token{kind: kindBool, text: "false"}},
		{`"a\"b\u00e9"`, token{kind: kindString, text: `a"bé`}},
		{`-1.50e+3`, token{kind: kindNumber, text: "-1.50e+3"}},
		{`0`, token{kind: kindNumber, text: "0"}},
		{``, token{}},
		{`   `, token{}},
		{`nil`, token{}},
		{`tru`, token{}},
		{`"open`, token{}},
		{`"a" "b"`, token{}},
		{`01`, token{}},
		{`1 2`, token{}},
		{`-`, token{}},
		{`+1`, token{}},
		{`.5`, token{}},
		{`NaN`, token{}},
		{`[1]`, token{}},
		{`{"a":1}`, token{}},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			assert.Equal(t, tc.want, scan([]byte(tc.raw)))
		})
	}
}

func TestDecodeError(t *testing.T) {
	t.Run("message", func(t *testing.T) {
		err := decodeError("Int", []byte(` "abc" `), intWant, nil)
		assert.Equal(t, `lenient: cannot decode Int from "abc": want an integer as a number or string, or null, "" or "undef"`, err.Error())
		assert.NoError(t, err.Unwrap())
	})
	t.Run("cause", func(t *testing.T) {
		err := decodeError("Int", []byte(`99999999999999999999`), intWant, strconv.ErrRange)
		assert.Equal(t, `lenient: cannot decode Int from 99999999999999999999: want an integer as a number or string, or null, "" or "undef": value out of range`, err.Error())
		assert.ErrorIs(t, err, strconv.ErrRange)
	})
	t.Run("empty input", func(t *testing.T) {
		err := decodeError("Bool", []byte(" "), boolWant, nil)
		assert.Contains(t, err.Error(), "cannot decode Bool from empty input: want ")
	})
	t.Run("truncated", func(t *testing.T) {
		raw := `"` + strings.Repeat("x", 200) + `"`
		err := decodeError("Int", []byte(raw), intWant, nil)
		assert.Equal(t, raw[:maxExcerpt]+"... (202 bytes)", err.Value)
		assert.Contains(t, err.Error(), "from "+raw[:maxExcerpt]+"... (202 bytes): want ")
	})
	t.Run("truncated at rune boundary", func(t *testing.T) {
		// 63 ASCII bytes then a 2-byte rune straddling the 64-byte limit.
		raw := strings.Repeat("a", 63) + "é" + strings.Repeat("b", 10)
		err := decodeError("String", []byte(raw), stringWant, nil)
		assert.Equal(t, strings.Repeat("a", 63)+"... (75 bytes)", err.Value)
	})
	t.Run("exactly the limit", func(t *testing.T) {
		raw := strings.Repeat("7", maxExcerpt)
		assert.Equal(t, raw, decodeError("Int", []byte(raw), intWant, nil).Value)
	})
	t.Run("invalid UTF-8", func(t *testing.T) {
		err := decodeError("Int", []byte("\xff\xfe"), intWant, nil)
		assert.Equal(t, "\uFFFD", err.Value)
	})
	t.Run("errors.As", func(t *testing.T) {
		var n Int
		err := json.Unmarshal([]byte(`{"n":"abc"}`), &struct {
			N *Int `json:"n"`
		}{N: &n})
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, "Int", de.Type)
		assert.Equal(t, `"abc"`, de.Value)
		assert.Equal(t, intWant, de.Want)
		assert.False(t, errors.Is(err, strconv.ErrRange))
	})
}

// wire mimics a client's unexported wire struct with lower-case tags.
type wire struct {
	IDTask  Int     `json:"id_task"`
	Spend   Decimal `json:"spend"`
	Name    String  `json:"name"`
	Closed  Bool    `json:"closed"`
	Created Time    `json:"created"`
}

func TestStructCaseInsensitiveKeys(t *testing.T) {
	var a, b wire
	require.NoError(t, json.Unmarshal([]byte(`{"Id_task":"794","Spend":"992","NAME":17,"Closed":"1","CREATED":"2024-03-01 12:30:00"}`), &a))
	require.NoError(t, json.Unmarshal([]byte(`{"id_task":794,"spend":0,"name":"x","closed":false,"created":"undef"}`), &b))

	assert.Equal(t, Int{N: 794, Valid: true}, a.IDTask)
	assert.Equal(t, "992", a.Spend.String())
	assert.Equal(t, String{S: "17", Valid: true}, a.Name)
	assert.Equal(t, Bool{B: true, Valid: true}, a.Closed)
	assert.True(t, a.Created.Valid)
	assert.Equal(t, "2024-03-01T12:30:00Z", a.Created.T.Format(time3339))

	assert.Equal(t, Int{N: 794, Valid: true}, b.IDTask)
	assert.True(t, b.Spend.Valid)
	assert.Equal(t, "0", b.Spend.String())
	assert.Equal(t, String{S: "x", Valid: true}, b.Name)
	assert.Equal(t, Bool{B: false, Valid: true}, b.Closed)
	assert.Equal(t, Time{}, b.Created)

	assert.Equal(t, a.IDTask, b.IDTask)
}

func TestStructMissingAndNullKeys(t *testing.T) {
	var w wire
	require.NoError(t, json.Unmarshal([]byte(`{}`), &w))
	assert.Equal(t, wire{}, w)

	// null resets a previously decoded value to absent.
	require.NoError(t, json.Unmarshal([]byte(`{"id_task":5,"spend":"1.5","name":"n","closed":true,"created":"2024-01-01"}`), &w))
	require.True(t, w.IDTask.Valid && w.Spend.Valid && w.Name.Valid && w.Closed.Valid && w.Created.Valid)
	require.NoError(t, json.Unmarshal([]byte(`{"id_task":null,"spend":null,"name":null,"closed":null,"created":null}`), &w))
	assert.Equal(t, wire{}, w)
}

func TestStructErrorNamesValue(t *testing.T) {
	var w wire
	err := json.Unmarshal([]byte(`{"id_task":1.5}`), &w)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot decode Int from 1.5")
}

func TestRoundTrip(t *testing.T) {
	inputs := []string{
		`{"id_task":"794","spend":"73196.3900","name":1.50,"closed":"1","created":"2024-03-01 12:30:00.5"}`,
		`{"id_task":-9223372036854775808,"spend":-0.001,"name":"тест \"q\" <&>","closed":0,"created":"2024-03-01T12:30:00+05:00"}`,
		`{"id_task":null,"spend":"","name":null,"closed":"undef","created":"0000-00-00 00:00:00"}`,
		`{"spend":"1.5e3","closed":"false","created":"2024-03-01"}`,
	}
	for _, in := range inputs {
		t.Run(in, func(t *testing.T) {
			var first wire
			require.NoError(t, json.Unmarshal([]byte(in), &first))
			out, err := json.Marshal(first)
			require.NoError(t, err)

			var second wire
			require.NoError(t, json.Unmarshal(out, &second))
			assert.Equal(t, first.IDTask, second.IDTask)
			assert.Equal(t, first.Name, second.Name)
			assert.Equal(t, first.Closed, second.Closed)
			assert.Equal(t, first.Spend.Valid, second.Spend.Valid)
			assert.True(t, first.Spend.D.Equal(second.Spend.D))
			assert.Equal(t, first.Spend.String(), second.Spend.String())
			assert.Equal(t, first.Created.Valid, second.Created.Valid)
			assert.True(t, first.Created.T.Equal(second.Created.T))

			// The canonical form is a fixed point.
			again, err := json.Marshal(second)
			require.NoError(t, err)
			assert.JSONEq(t, string(out), string(again))
		})
	}
}

func TestMarshalCanonical(t *testing.T) {
	var w wire
	require.NoError(t, json.Unmarshal([]byte(`{"id_task":"007","spend":254141.0400,"name":21,"closed":"true","created":"2024-03-01T12:30:00.123+05:00"}`), &w))
	out, err := json.Marshal(w)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id_task":7,"spend":"254141.0400","name":"21","closed":true,"created":"2024-03-01T12:30:00.123+05:00"}`, string(out))

	out, err = json.Marshal(wire{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id_task":null,"spend":null,"name":null,"closed":null,"created":null}`, string(out))
}

func TestOmitZero(t *testing.T) {
	type sparse struct {
		A Int     `json:"a,omitzero"`
		B Decimal `json:"b,omitzero"`
		C String  `json:"c,omitzero"`
		D Bool    `json:"d,omitzero"`
		E Time    `json:"e,omitzero"`
	}
	out, err := json.Marshal(sparse{A: Int{Valid: true}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":0}`, string(out))
}

// FuzzText: Text reads a JSON string as encoding/json does, or leaves it
// to encoding/json.
func FuzzText(f *testing.F) {
	for _, s := range []string{`"plain"`, `"ТОО \"Юг\""`, `"\\\/\b\f\n\r\t"`, `"\u00e9\u0000\uFFFF"`, `"\ud83d\ude00"`,
		`"\ud800"`, "\"\xff\"", `"a\"`, `"\u12"`, `"\x"`, `""`, `"`, `x`, `"a"b"`, "\"a\tb\"", `"` + strings.Repeat("\\n", 300) + `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := Text(raw)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(raw, &want); err != nil || got != want {
			t.Fatalf("%q: Text %q; encoding/json %q, %v", raw, got, want, err)
		}
	})
}

func TestText(t *testing.T) {
	for in, want := range map[string]string{`"ТОО \"Табак-Юг\""`: `ТОО "Табак-Юг"`, `"a\\b\/c\n"`: "a\\b/c\n", `""`: "", `"\u0041é"`: "Aé"} {
		got, ok := Text([]byte(in))
		assert.True(t, ok, in)
		assert.Equal(t, want, got)
	}
	for _, in := range []string{`"\ud800"`, `"a\"`, `"a"b"`, "\"\xff\"", "\"a\tb\"", `"\x"`, `"`, `x`, `1`} {
		_, ok := Text([]byte(in))
		assert.False(t, ok, in)
	}
}
