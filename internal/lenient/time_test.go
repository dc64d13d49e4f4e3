package lenient

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const time3339 = time.RFC3339Nano

var almatyLoc = time.FixedZone("Asia/Almaty", 5*60*60)

// almaty is a client-defined Zone.
type almaty struct{}

func (almaty) Location() *time.Location { return almatyLoc }

// nilZone returns a nil location, which means UTC.
type nilZone struct{}

func (nilZone) Location() *time.Location { return nil }

func TestParseTime(t *testing.T) {
	tests := []struct {
		in      string
		loc     *time.Location
		want    string // RFC 3339 in the parsed time's own zone
		wantErr bool
	}{
		{in: "2024-03-01 12:30:00", loc: time.UTC, want: "2024-03-01T12:30:00Z"},
		{in: "2024-03-01 12:30:00", loc: almatyLoc, want: "2024-03-01T12:30:00+05:00"},
		{in: "2024-03-01 12:30:00.25", loc: almatyLoc, want: "2024-03-01T12:30:00.25+05:00"},
		{in: "2024-03-01 12:30:00", loc: nil, want: "2024-03-01T12:30:00Z"},
		{in: "2024-03-01T12:30:00Z", loc: almatyLoc, want: "2024-03-01T12:30:00Z"},
		{in: "2024-03-01T12:30:00+03:00", loc: almatyLoc, want: "2024-03-01T12:30:00+03:00"},
		{in: "2024-03-01T12:30:00.123456789-07:00", loc: time.UTC, want: "2024-03-01T12:30:00.123456789-07:00"},
		{in: "2024-03-01T12:30:00", loc: almatyLoc, want: "2024-03-01T12:30:00+05:00"},
		{in: "2024-03-01T12:30:00.5", loc: time.UTC, want: "2024-03-01T12:30:00.5Z"},
		{in: "2024-03-01", loc: almatyLoc, want: "2024-03-01T00:00:00+05:00"},
		{in: "2024-02-29", loc: time.UTC, want: "2024-02-29T00:00:00Z"},
		{in: "", wantErr: true},
		{in: "undef", wantErr: true},
		{in: "0000-00-00", wantErr: true},
		{in: "0000-00-00 00:00:00", wantErr: true},
		{in: "2023-02-29", wantErr: true},
		{in: "2024-13-01", wantErr: true},
		{in: "2024-3-1", wantErr: true},
		{in: "01.03.2024", wantErr: true},
		{in: "2024-03-01 12:30", wantErr: true},
		{in: "2024-03-01 12:30:00+05:00", wantErr: true},
		{in: "2024-03-01T12:30:00+0500", wantErr: true},
		{in: " 2024-03-01", wantErr: true},
		{in: "1709296200", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseTime(tc.in, tc.loc)
			if tc.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), `lenient: cannot parse time "`+tc.in+`": want "2006-01-02 15:04:05", RFC 3339`)
				assert.True(t, got.IsZero())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.Format(time3339))
		})
	}
}

func TestParseTimeZoneLessUsesLocation(t *testing.T) {
	got, err := ParseTime("2024-03-01 12:30:00", almatyLoc)
	require.NoError(t, err)
	assert.Equal(t, almatyLoc, got.Location())
	assert.True(t, got.Equal(time.Date(2024, 3, 1, 7, 30, 0, 0, time.UTC)))
}

func TestTimeUnmarshal(t *testing.T) {
	utc := func(s string) Time {
		v, err := time.Parse(time3339, s)
		require.NoError(t, err)
		return Time{T: v.UTC(), Valid: true}
	}
	sentinel := utc("1999-12-31T23:59:59Z")
	runUnmarshal(t, sentinel, []unmarshalCase[Time]{
		{raw: `"2024-03-01 12:30:00"`, want: utc("2024-03-01T12:30:00Z")},
		{raw: `"2024-03-01 12:30:00.001"`, want: utc("2024-03-01T12:30:00.001Z")},
		{raw: `"2024-03-01T12:30:00Z"`, want: utc("2024-03-01T12:30:00Z")},
		{raw: `"2024-03-01T12:30:00.5Z"`, want: utc("2024-03-01T12:30:00.5Z")},
		{raw: `"2024-03-01T12:30:00"`, want: utc("2024-03-01T12:30:00Z")},
		{raw: `"2024-03-01"`, want: utc("2024-03-01T00:00:00Z")},
		{raw: `null`, want: Time{}},
		{raw: `""`, want: Time{}},
		{raw: `"undef"`, want: Time{}},
		{raw: `"0000-00-00"`, want: Time{}},
		{raw: `"0000-00-00 00:00:00"`, want: Time{}},
		{raw: `"yesterday"`, wantErr: `cannot decode Time from "yesterday": want a time string ("2006-01-02 15:04:05", "2006-01-02T15:04:05", RFC 3339 or "2006-01-02"), or null, "", "undef" or a zero date`},
		{raw: `"0000-00-00T00:00:00"`, wantErr: `from "0000-00-00T00:00:00"`},
		{raw: `"2024-02-30"`, wantErr: `from "2024-02-30"`},
		{raw: `1709296200`, wantErr: `from 1709296200`},
		{raw: `true`, wantErr: `from true`},
		{raw: `{}`, wantErr: `from {}`},
	})
}

func TestTimeUnmarshalOffsetKept(t *testing.T) {
	var v Time
	require.NoError(t, json.Unmarshal([]byte(`"2024-03-01T12:30:00+03:00"`), &v))
	_, offset := v.T.Zone()
	assert.Equal(t, 3*60*60, offset)
	assert.True(t, v.T.Equal(time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)))
}

func TestTimeInZone(t *testing.T) {
	var v struct {
		At    TimeIn[almaty]  `json:"at"`
		Until TimeIn[almaty]  `json:"until"`
		Day   TimeIn[almaty]  `json:"day"`
		Nil   TimeIn[nilZone] `json:"nil"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"AT":"2024-03-01 12:30:00","until":"2024-03-01T12:30:00Z","day":"2024-03-01","nil":"2024-03-01 12:30:00"}`), &v))

	assert.True(t, v.At.Valid)
	assert.Equal(t, almatyLoc, v.At.T.Location())
	assert.True(t, v.At.T.Equal(time.Date(2024, 3, 1, 7, 30, 0, 0, time.UTC)))
	assert.True(t, v.Until.T.Equal(time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC)))
	assert.Equal(t, "2024-03-01T00:00:00+05:00", v.Day.T.Format(time3339))
	assert.Equal(t, "2024-03-01T12:30:00Z", v.Nil.T.Format(time3339))

	out, err := json.Marshal(v.At)
	require.NoError(t, err)
	assert.Equal(t, `"2024-03-01T12:30:00+05:00"`, string(out))

	var back TimeIn[almaty]
	require.NoError(t, json.Unmarshal(out, &back))
	assert.True(t, back.T.Equal(v.At.T))
}

func TestTimeMarshal(t *testing.T) {
	runMarshal(t, []marshalCase{
		{Time{T: time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC), Valid: true}, `"2024-03-01T12:30:00Z"`},
		{Time{T: time.Date(2024, 3, 1, 12, 30, 0, 120_000_000, almatyLoc), Valid: true}, `"2024-03-01T12:30:00.12+05:00"`},
		{Time{}, `null`},
		{Time{T: time.Now()}, `null`},
	})
}

func TestTimeMarshalYearOutOfRange(t *testing.T) {
	for _, year := range []int{-1, 10000} {
		_, err := Time{T: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), Valid: true}.MarshalJSON()
		require.ErrorContains(t, err, "outside 0–9999")
	}
}

// TestParseTimeDateOnlyDoesNotAllocate: a date alone is not tried as RFC
// 3339 first (a failed time.Parse allocates its error), and the shortest
// RFC 3339 string time.Parse reads still is.
func TestParseTimeDateOnlyDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := ParseTime("2024-01-13", nil); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs, "allocations per date-only ParseTime")
	got, err := ParseTime("2006-01-02T1:04:05Z", nil)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2006, 1, 2, 1, 4, 5, 0, time.UTC), got)
	assert.Len(t, "2006-01-02T1:04:05Z", minRFC3339)
}

func TestDaysIn(t *testing.T) {
	for _, year := range []int{0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 9999} {
		for month := 1; month <= 12; month++ {
			want := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			if got := DaysIn(year, month); got != want {
				t.Errorf("DaysIn(%d, %d) = %d, want %d", year, month, got, want)
			}
		}
	}
	for _, month := range []int{-1, 0, 13} {
		if got := DaysIn(2024, month); got != 0 {
			t.Errorf("DaysIn(2024, %d) = %d, want 0", month, got)
		}
	}
}
