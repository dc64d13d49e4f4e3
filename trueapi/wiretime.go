package trueapi

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// wireTime decodes every date layout the documentation uses: ISO 8601 with or
// without milliseconds and with or without Z (a), (b); dd.MM.yyyy (c);
// yyyy-MM-dd (d); Unix seconds as a number or a numeric string (e, the EDO
// lists; values above 10^11 are read as milliseconds); and MM/dd/yyyy, the
// layout of the documents/search screenshot. Times without a zone are UTC.
// null, "" and "undef" leave it zero.
type wireTime struct {
	T time.Time
}

// UnmarshalJSON implements [json.Unmarshaler].
func (t *wireTime) UnmarshalJSON(raw []byte) error {
	v, err := wireTimeOf(raw)
	if err != nil {
		return err
	}
	t.T = v
	return nil
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom: the value is
// read in place and parsed once.
func (t *wireTime) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return t.UnmarshalJSON(raw)
}

// wireTimeOf reads the JSON value raw as a [wireTime] does. The usual
// forms, an ISO 8601 string without escapes and a Unix time as a JSON
// number, are read without allocating; anything else goes through
// [parseWireTime].
func wireTimeOf(raw []byte) (time.Time, error) {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' {
		if v, ok := isoWireTime(raw[1 : n-1]); ok {
			return v, nil
		}
	} else if n > 0 && (raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9') {
		if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return unixWireTime(n), nil
		}
	}
	if lenient.IsAbsent(raw) {
		return time.Time{}, nil
	}
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		if err := lenient.Unmarshal(raw, &s); err != nil {
			return time.Time{}, err
		}
	}
	return parseWireTime(s)
}

// unixWireTime reads the documentation's Unix-time dates: Unix seconds, or
// milliseconds beyond ±10^11.
func unixWireTime(n int64) time.Time {
	if n > 1e11 || n < -1e11 {
		return time.UnixMilli(n).UTC()
	}
	return time.Unix(n, 0).UTC()
}

func parseWireTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if v, ok := isoWireTime(s); ok {
		return v, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return unixWireTime(n), nil
	}
	if v, err := lenient.ParseTime(s, time.UTC); err == nil {
		return v, nil
	}
	for _, layout := range []string{"02.01.2006", "01/02/2006", "02.01.2006 15:04:05"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v, nil
		}
	}
	return time.Time{}, fmt.Errorf("trueapi: cannot parse the date %q in any layout the documentation uses", s)
}

// isoWireTime reads, without allocating, the shapes of the documentation that
// the answers use most: yyyy-MM-dd, and yyyy-MM-dd, "T" or a space,
// HH:mm:ss, optionally "." and a fraction of a second, and after "T"
// optionally "Z". It reports false for anything else, including what
// [parseWireTime]'s layouts refuse (a day past the month's end, hour 24,
// a space before Z). Where it reports true, the time is the one those
// layouts give: [lenient.ParseTime]'s "2006-01-02 15:04:05",
// "2006-01-02T15:04:05" or "2006-01-02" in UTC, or RFC 3339 with Z, the
// fraction read to 9 digits and the rest ignored, as [time.Parse] does.
func isoWireTime[S string | []byte](s S) (time.Time, bool) {
	n := len(s)
	if n != len("2006-01-02") && n < len("2006-01-02T15:04:05") {
		return time.Time{}, false
	}
	ok := true
	num := func(i, j, lo, hi int) int {
		v := 0
		for ; i < j; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				ok = false
				return 0
			}
			v = v*10 + int(c-'0')
		}
		if v < lo || v > hi {
			ok = false
		}
		return v
	}
	year := num(0, 4, 0, 9999)
	month := num(5, 7, 1, 12)
	if !ok || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	day := num(8, 10, 1, lenient.DaysIn(year, month))
	if !ok {
		return time.Time{}, false
	}
	if n == len("2006-01-02") {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
	}
	sep := s[10]
	hour := num(11, 13, 0, 23)
	minute := num(14, 16, 0, 59)
	sec := num(17, 19, 0, 59)
	if !ok || (sep != 'T' && sep != ' ') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	i, nsec := 19, 0
	if i < n && s[i] == '.' {
		j := i + 1
		for j < n && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		if j == i+1 {
			return time.Time{}, false
		}
		digits := min(j-i-1, 9)
		nsec = num(i+1, i+1+digits, 0, 999_999_999)
		for range 9 - digits {
			nsec *= 10
		}
		i = j
	}
	switch {
	case i == n:
	case i == n-1 && s[i] == 'Z' && sep == 'T':
	default:
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}
