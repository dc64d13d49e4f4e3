package trueapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every layout the documentation uses decodes.
func TestWireTimeLayouts(t *testing.T) {
	for raw, want := range map[string]time.Time{
		`"2021-11-25T11:27:03.178Z"`:  time.Date(2021, 11, 25, 11, 27, 3, 178e6, time.UTC), // (a)
		`"2019-12-04T00:46:40Z"`:      time.Date(2019, 12, 4, 0, 46, 40, 0, time.UTC),      // (a) without ms
		`"2020-10-01T09:30:47"`:       time.Date(2020, 10, 1, 9, 30, 47, 0, time.UTC),      // (b) without Z
		`"2020-10-01T09:30:47+05:00"`: time.Date(2020, 10, 1, 4, 30, 47, 0, time.UTC),
		`"16.10.2020"`:                time.Date(2020, 10, 16, 0, 0, 0, 0, time.UTC), // (c)
		`"2021-05-24"`:                time.Date(2021, 5, 24, 0, 0, 0, 0, time.UTC),  // (d)
		`1637839623`:                  time.Unix(1637839623, 0),                      // (e)
		`"1637839623"`:                time.Unix(1637839623, 0),
		`1637839623178`:               time.UnixMilli(1637839623178),
		`"11/19/2021"`:                time.Date(2021, 11, 19, 0, 0, 0, 0, time.UTC), // documents/search
		`null`:                        {},
		`""`:                          {},
	} {
		var w wireTime
		require.NoError(t, json.Unmarshal([]byte(raw), &w), raw)
		assert.True(t, want.Equal(w.T), "%s: got %v", raw, w.T)
	}
	for _, raw := range []string{`"yesterday"`, `true`, `"2021-13-45"`} {
		var w wireTime
		assert.Error(t, json.Unmarshal([]byte(raw), &w), raw)
	}
}
