package query

import (
	"fmt"
	"net/url"
	"time"
)

// DateLayout is the layout of an encoded [Date].
const DateLayout = time.DateOnly // "2006-01-02"

// Date is a calendar date without time of day or time zone, encoded as
// YYYY-MM-DD. The zero Date means "unset" and encodes to nothing, with or
// without omitempty.
type Date struct {
	Year  int        // Year, 1 to 9999.
	Month time.Month // Month of the year, January = 1.
	Day   int        // Day of the month, from 1.
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses a date in [DateLayout] format.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("query: parse date: %w", err)
	}
	d := DateOf(t)
	if !d.IsValid() {
		return Date{}, fmt.Errorf("query: parse date %q: the year must be 1 to 9999", s)
	}
	return d, nil
}

// String returns d in [DateLayout] format.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date, meaning "unset".
func (d Date) IsZero() bool {
	return d == Date{}
}

// IsValid reports whether d is an existing date between years 1 and 9999.
func (d Date) IsValid() bool {
	return d.Year >= 1 && d.Year <= 9999 &&
		DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) == d
}

// EncodeValues implements [Encoder]. It adds d under key unless d is zero,
// and fails if d is not a valid date.
func (d Date) EncodeValues(key string, v *url.Values) error {
	if d.IsZero() {
		return nil
	}
	if !d.IsValid() {
		return fmt.Errorf("invalid date %s for key %q", d, key)
	}
	v.Add(key, d.String())
	return nil
}
