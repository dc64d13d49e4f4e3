package lenient

import (
	"fmt"
	"time"
)

// Zone supplies the location in which [TimeIn] interprets time strings that
// carry no zone offset. Implementations are used through their zero value, so
// they should be empty struct types whose Location method returns a cached
// location; a nil location means UTC.
type Zone interface {
	// Location returns the location for zone-less time strings.
	Location() *time.Location
}

// UTC is the [Zone] of Coordinated Universal Time.
type UTC struct{}

// Location returns [time.UTC].
func (UTC) Location() *time.Location {
	return time.UTC
}

// Time is a time that interprets zone-less strings in UTC. Use [TimeIn] with
// another [Zone] for back ends that report local time.
type Time = TimeIn[UTC]

// TimeIn is a point in time sent as a JSON string in one of several layouts;
// strings without a zone offset are interpreted in the location of the zone Z.
//
// UnmarshalJSON accepts the layouts of [ParseTime]. null, "", "undef",
// "0000-00-00" and "0000-00-00 00:00:00" make the value absent. Anything
// else, including JSON numbers, is an error.
//
// MarshalJSON writes the time as an RFC 3339 JSON string with nanosecond
// precision as needed and the offset of T's location, or null when absent.
// Like [time.Time.MarshalJSON], it fails for years outside 0–9999, which
// RFC 3339 cannot represent.
type TimeIn[Z Zone] struct {
	// T is the decoded time; it is the zero time when Valid is false.
	T time.Time
	// Valid is true when a value was present.
	Valid bool
}

const timeWant = `a time string ("2006-01-02 15:04:05", "2006-01-02T15:04:05", RFC 3339 or "2006-01-02"), or null, "", "undef" or a zero date`

// UnmarshalJSON implements [json.Unmarshaler].
func (t *TimeIn[Z]) UnmarshalJSON(raw []byte) error {
	tok := scan(raw)
	if tok.absent() || (tok.kind == kindString && isZeroDate(tok.text)) {
		*t = TimeIn[Z]{}
		return nil
	}
	if tok.kind != kindString {
		return decodeError("Time", raw, timeWant, nil)
	}
	var z Z
	v, err := ParseTime(tok.text, z.Location())
	if err != nil {
		return decodeError("Time", raw, timeWant, nil)
	}
	*t = TimeIn[Z]{T: v, Valid: true}
	return nil
}

// MarshalJSON implements [json.Marshaler].
func (t TimeIn[Z]) MarshalJSON() ([]byte, error) {
	if !t.Valid {
		return []byte("null"), nil
	}
	if y := t.T.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("lenient: cannot marshal Time: year %d outside 0–9999", y)
	}
	b := make([]byte, 0, len(time.RFC3339Nano)+2)
	b = append(b, '"')
	b = t.T.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

// isZeroDate reports the "no date" placeholders of MySQL-style back ends.
func isZeroDate(s string) bool {
	return s == "0000-00-00" || s == "0000-00-00 00:00:00"
}

// timeLayouts are tried in order by ParseTime; zoned reports whether the
// layout carries its own offset.
var timeLayouts = [...]struct {
	layout string
	zoned  bool
}{
	{layout: "2006-01-02 15:04:05"},
	{layout: time.RFC3339, zoned: true},
	{layout: "2006-01-02T15:04:05"},
	{layout: "2006-01-02"},
}

// ParseTime parses s in one of these layouts:
//
//   - "2006-01-02 15:04:05", optionally with fractional seconds;
//   - RFC 3339, "2006-01-02T15:04:05Z07:00", optionally with fractional
//     seconds;
//   - "2006-01-02T15:04:05", optionally with fractional seconds;
//   - "2006-01-02", meaning midnight.
//
// Layouts without an offset are interpreted in loc, or in UTC when loc is
// nil; RFC 3339 strings keep their own offset. ParseTime does not treat
// empty or zero dates specially: they are errors.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	for _, l := range timeLayouts {
		// Cheap shape checks: a failed time.Parse allocates its error.
		if l.zoned && len(s) < minRFC3339 || !l.zoned && !fitsLayout(s, l.layout) {
			continue
		}
		var (
			v   time.Time
			err error
		)
		if l.zoned {
			v, err = time.Parse(l.layout, s)
		} else {
			v, err = time.ParseInLocation(l.layout, s, loc)
		}
		if err == nil {
			return v, nil
		}
	}
	return time.Time{}, fmt.Errorf(`lenient: cannot parse time %q: want "2006-01-02 15:04:05", RFC 3339, "2006-01-02T15:04:05" or "2006-01-02"`, excerpt(s))
}

// minRFC3339 is the length of the shortest string time.Parse reads as RFC
// 3339: a date, "T", an hour of one digit, minutes, seconds and "Z". A date
// alone ("2006-01-02") is never tried as RFC 3339.
const minRFC3339 = len("2006-01-02T1:04:05Z")

// fitsLayout reports whether s can be in the zone-less layout: as long as the
// layout, or longer only by fractional seconds.
func fitsLayout(s, layout string) bool {
	return len(s) == len(layout) || (len(s) > len(layout) && s[len(layout)] == '.' && len(layout) > len("2006-01-02"))
}

// DaysIn returns the number of days of month (1–12) in year of the
// proleptic Gregorian calendar, or 0 for a month out of range. The clients'
// hand-written date readers use it to refuse a day such as 31.04.
func DaysIn(year, month int) int {
	switch month {
	case 1, 3, 5, 7, 8, 10, 12:
		return 31
	case 4, 6, 9, 11:
		return 30
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 0
}
