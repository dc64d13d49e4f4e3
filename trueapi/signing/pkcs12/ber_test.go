package pkcs12

import (
	"encoding/asn1"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestParseBERIndefiniteAndChunks(t *testing.T) {
	// SEQUENCE (indefinite) {
	//   OCTET STRING (constructed, indefinite) { 01 02, (constructed, definite) { 03 }, 04 }
	//   [0] (indefinite) { OCTET STRING 05 }
	//   INTEGER 0x0400
	// }
	data := mustHex(t, "3080"+
		"2480"+"04020102"+"2403040103"+"040104"+"0000"+
		"a080"+"040105"+"0000"+
		"02020400"+
		"0000")
	n, err := parseBER(data)
	require.NoError(t, err)
	assert.Equal(t, data, n.raw)
	f, err := n.seq("test", 3)
	require.NoError(t, err)

	s, err := f[0].octets("string")
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 2, 3, 4}, s)

	inner, err := f[1].explicit("wrapper", 0)
	require.NoError(t, err)
	s, err = inner.octets("inner")
	require.NoError(t, err)
	assert.Equal(t, []byte{5}, s)

	v, err := f[2].int("int")
	require.NoError(t, err)
	assert.Equal(t, 1024, v)
}

func TestParseBERForms(t *testing.T) {
	// High tag number [200] and long-form length.
	n, err := parseBER(mustHex(t, "9f8148"+"8103"+"aabbcc"))
	require.NoError(t, err)
	assert.Equal(t, classContext, n.class)
	assert.Equal(t, 200, n.tag)
	v, err := n.octets("implicit")
	require.NoError(t, err)
	assert.Equal(t, []byte{0xaa, 0xbb, 0xcc}, v)

	// [0] IMPLICIT OCTET STRING in constructed form.
	n, err = parseBER(mustHex(t, "a080"+"0401aa"+"0401bb"+"0000"))
	require.NoError(t, err)
	v, err = n.octets("implicit")
	require.NoError(t, err)
	assert.Equal(t, []byte{0xaa, 0xbb}, v)

	// Constructed BMPString with BMPString chunks.
	n, err = parseBER(mustHex(t, "3e80"+"1e020041"+"1e020042"+"0000"))
	require.NoError(t, err)
	v, err = n.octets("bmp")
	require.NoError(t, err)
	s, err := decodeBMP(v)
	require.NoError(t, err)
	assert.Equal(t, "AB", s)
}

func TestParseBERErrors(t *testing.T) {
	tests := map[string]string{
		"empty":                 "",
		"one byte":              "30",
		"truncated high tag":    "1f81",
		"tag too large":         "1fffffffff7f00",
		"missing length":        "1f01",
		"truncated content":     "040301",
		"truncated long length": "048201",
		"length too large":      "04850000000001",
		"long length past end":  "0482ffff00",
		"reserved length":       "04ff",
		"indefinite primitive":  "0480010000",
		"missing EOC":           "30800401aa",
		"unexpected EOC":        "30020000",
		"bad child":             "30020401",
		"bad child indefinite":  "30800401",
		"trailing data":         "040100ff",
		"nested too deep":       repeat("3080", maxDepth+2),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := parseBER(mustHex(t, in))
			assert.Error(t, err)
		})
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

func TestNodeAccessorErrors(t *testing.T) {
	parse := func(s string) *node {
		n, err := parseBER(mustHex(t, s))
		require.NoError(t, err)
		return n
	}
	_, err := parse("0400").seq("x", 0)
	assert.Error(t, err, "OCTET STRING is not a SEQUENCE")
	_, err = parse("3000").seq("x", 1)
	assert.Error(t, err, "too few fields")
	_, err = parse("3000").set("x", 0)
	assert.Error(t, err, "SEQUENCE is not a SET")
	_, err = parse("a1020500").explicit("x", 0)
	assert.Error(t, err, "wrong tag")
	_, err = parse("a00405000500").explicit("x", 0)
	assert.Error(t, err, "two children")
	_, err = parse("0500").octets("x")
	assert.Error(t, err, "NULL is not a string")
	_, err = parse("24030201ff").octets("x")
	assert.Error(t, err, "chunk is not an OCTET STRING")
	_, err = parse("24052403020100").octets("x")
	assert.Error(t, err, "nested chunk is not an OCTET STRING")
	_, err = parse("0500").oid("x")
	assert.Error(t, err, "NULL is not an OID")
	_, err = parse("060188").oid("x")
	assert.Error(t, err, "truncated OID")
	_, err = parse("0606ffffffffff7f").oid("x")
	assert.Error(t, err, "arc too large")
	_, err = parse("0500").int("x")
	assert.Error(t, err, "NULL is not an INTEGER")
	_, err = parse("02050100000000").int("x")
	assert.Error(t, err, "integer too large")
	_, err = decodeBMP([]byte{0})
	assert.Error(t, err, "odd BMPString")
}

func TestNodeOIDAndInt(t *testing.T) {
	for _, oid := range []asn1.ObjectIdentifier{
		{1, 2, 840, 113549, 1, 12, 1, 3},
		{0, 9, 2342},
		{2, 999, 3},
		{1, 2, 398, 3, 10, 1, 1, 2, 2},
	} {
		der, err := asn1.Marshal(oid)
		require.NoError(t, err)
		n, err := parseBER(der)
		require.NoError(t, err)
		got, err := n.oid("oid")
		require.NoError(t, err)
		assert.True(t, oid.Equal(got), "%v != %v", oid, got)
	}
	for _, v := range []int{0, 1, -1, 127, 128, -129, 1 << 20, 1<<31 - 1, -1 << 31} {
		der, err := asn1.Marshal(v)
		require.NoError(t, err)
		n, err := parseBER(der)
		require.NoError(t, err)
		got, err := n.int("int")
		require.NoError(t, err)
		assert.Equal(t, v, got)
	}
	// Redundant leading sign octets are accepted.
	n, err := parseBER(mustHex(t, "0205000000000a"))
	require.NoError(t, err)
	got, err := n.int("int")
	require.NoError(t, err)
	assert.Equal(t, 10, got)
}
