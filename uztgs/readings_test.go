package uztgs

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadingsNaNStaysText(t *testing.T) {
	var r Readings
	require.NoError(t, json.Unmarshal([]byte(`[{"T":"NaN"},{"P":"Inf"},{"Q":"1.5"}]`), &r))
	for _, code := range []string{"T", "P"} {
		v, ok := r.Lookup(code)
		require.True(t, ok)
		assert.False(t, v.Valid, "%s is text, not a number", code)
	}
	b, err := json.Marshal(r)
	require.NoError(t, err, "marshals back")
	assert.Contains(t, string(b), `"NaN"`)
}
