package pkcs12

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRC2Vectors checks the test vectors of RFC 2268 §5.
func TestRC2Vectors(t *testing.T) {
	tests := []struct {
		key, plain, cipher string
		bits               int
	}{
		{"0000000000000000", "0000000000000000", "ebb773f993278eff", 63},
		{"ffffffffffffffff", "ffffffffffffffff", "278b27e42e2f0d49", 64},
		{"3000000000000000", "1000000000000001", "30649edf9be7d2c2", 64},
		{"88", "0000000000000000", "61a8a244adacccf0", 64},
		{"88bca90e90875a", "0000000000000000", "6ccf4308974c267f", 64},
		{"88bca90e90875a7f0f79c384627bafb2", "0000000000000000", "1a807d272bbe5db1", 64},
		{"88bca90e90875a7f0f79c384627bafb2", "0000000000000000", "2269552ab0f85ca6", 128},
		{"88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e", "0000000000000000", "5b78d3a43dfff1f1", 129},
	}
	for _, tt := range tests {
		t.Run(tt.key+"/"+tt.cipher, func(t *testing.T) {
			key, _ := hex.DecodeString(tt.key)
			plain, _ := hex.DecodeString(tt.plain)
			c, err := newRC2(key, tt.bits)
			require.NoError(t, err)
			assert.Equal(t, rc2BlockSize, c.BlockSize())

			got := make([]byte, 8)
			c.Encrypt(got, plain)
			assert.Equal(t, tt.cipher, hex.EncodeToString(got))

			back := make([]byte, 8)
			c.Decrypt(back, got)
			assert.Equal(t, plain, back)
		})
	}
}

func TestRC2InvalidParameters(t *testing.T) {
	_, err := newRC2(nil, 40)
	assert.Error(t, err)
	_, err = newRC2(make([]byte, 129), 40)
	assert.Error(t, err)
	_, err = newRC2([]byte{1}, 0)
	assert.Error(t, err)
	_, err = newRC2([]byte{1}, 1025)
	assert.Error(t, err)

	c, err := newRC2([]byte{1, 2, 3, 4, 5}, 40)
	require.NoError(t, err)
	assert.Panics(t, func() { c.Encrypt(make([]byte, 8), make([]byte, 7)) })
	assert.Panics(t, func() { c.Decrypt(make([]byte, 7), make([]byte, 8)) })
}

func TestPiTableIsPermutation(t *testing.T) {
	var seen [256]bool
	for _, v := range piTable {
		assert.False(t, seen[v], "duplicate %#x", v)
		seen[v] = true
	}
}

func TestUnpad(t *testing.T) {
	got, err := unpad([]byte{1, 2, 3, 4, 5, 6, 2, 2}, 8)
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 2, 3, 4, 5, 6}, got)
	got, err = unpad([]byte{8, 8, 8, 8, 8, 8, 8, 8}, 8)
	require.NoError(t, err)
	assert.Empty(t, got)

	for _, bad := range [][]byte{
		nil,
		{1, 2, 3},                // not a whole block
		{1, 2, 3, 4, 5, 6, 7, 0}, // zero pad byte
		{1, 2, 3, 4, 5, 6, 7, 9}, // pad longer than a block
		{1, 2, 3, 4, 5, 6, 3, 2}, // inconsistent pad bytes
	} {
		_, err := unpad(bad, 8)
		assert.ErrorIs(t, err, ErrIncorrectPassword, "%x", bad)
	}
}
