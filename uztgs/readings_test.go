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

func TestPageWithoutDataIsAnError(t *testing.T) {
	var p pageWire[stationWire]
	require.NoError(t, json.Unmarshal([]byte(`{"error":"maintenance"}`), &p))
	require.Error(t, p.check())
	require.NoError(t, json.Unmarshal([]byte(`{"data":[],"total_pages":0}`), &p))
	require.NoError(t, p.check(), "an empty list is a result")
}
