package query_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/query"
)

func TestDate(t *testing.T) {
	tests := []struct {
		date  query.Date
		str   string
		valid bool
	}{
		{query.Date{Year: 2024, Month: time.February, Day: 29}, "2024-02-29", true},
		{query.Date{Year: 1, Month: time.January, Day: 1}, "0001-01-01", true},
		{query.Date{Year: 9999, Month: time.December, Day: 31}, "9999-12-31", true},
		{query.Date{Year: 2023, Month: time.February, Day: 29}, "2023-02-29", false},
		{query.Date{Year: 2024, Month: 13, Day: 1}, "2024-13-01", false},
		{query.Date{Year: 2024, Month: time.January, Day: 0}, "2024-01-00", false},
		{query.Date{Year: 10000, Month: time.January, Day: 1}, "10000-01-01", false},
		{query.Date{}, "0000-00-00", false},
	}
	for _, tt := range tests {
		t.Run(tt.str, func(t *testing.T) {
			assert.Equal(t, tt.str, tt.date.String())
			assert.Equal(t, tt.valid, tt.date.IsValid())
			if tt.valid {
				got, err := query.ParseDate(tt.str)
				require.NoError(t, err)
				assert.Equal(t, tt.date, got)
			}
		})
	}
}

func TestDateOf(t *testing.T) {
	tz := time.FixedZone("UTC+14", 14*3600)
	at := time.Date(2024, time.March, 1, 20, 0, 0, 0, time.UTC)
	assert.Equal(t, query.Date{Year: 2024, Month: time.March, Day: 1}, query.DateOf(at))
	assert.Equal(t, query.Date{Year: 2024, Month: time.March, Day: 2}, query.DateOf(at.In(tz)))
	assert.True(t, query.Date{}.IsZero())
	assert.False(t, query.DateOf(at).IsZero())
}

func TestParseDateError(t *testing.T) {
	_, err := query.ParseDate("2024-3-1")
	assert.ErrorContains(t, err, "query: parse date: ")
}

func TestParseDateYearZero(t *testing.T) {
	_, err := query.ParseDate("0000-10-01")
	if err == nil {
		t.Fatal("year 0 must be refused")
	}
}
