package query_test

import (
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/steppe-sdk/steppe/internal/query"
)

// fzParams has a field of every kind the clients' params structs use.
type fzParams struct {
	Q     string      `url:"q,omitempty"`
	Page  *int        `url:"page,omitempty"`
	IDs   []string    `url:"id,omitempty"`
	Tags  []string    `url:"tag,brackets,omitempty"`
	Nums  []int64     `url:"n,comma,omitempty"`
	From  query.Date  `url:"from,omitempty"`
	Since time.Time   `url:"since,omitempty" layout:"2006-01-02T15:04:05Z07:00"`
	Done  *bool       `url:"done,omitempty"`
	Day   *query.Date `url:"day,omitempty"`
}

// Years 1–9999 with a day to spare on each side, so that any offset keeps
// the year within RFC 3339.
const (
	fzMinUnix = -62135596800 + 86400
	fzMaxUnix = 253402300799 - 86400
)

// FuzzValues encodes a params struct built from the input and checks that
// url.ParseQuery gives every field back exactly: strings byte for byte
// (commas and all, as repeated keys), dates and times through their
// layouts, a comma list of integers split back into its elements. Values
// fails exactly when a date is invalid. Encode keeps the URL's own
// parameters and refuses to send a key twice.
//
//	go test -run '^$' -fuzz '^FuzzValues$' ./internal/query/
func FuzzValues(f *testing.F) {
	if err := query.Lint(fzParams{}); err != nil {
		f.Fatal(err)
	}
	// The openschool documentation's examples and True API marking codes
	// (True API v2.22 §2.4, escaping), which hold + % & " and commas.
	f.Add("Херсонська", 0, "61\n67", "todo|done", "73196.3900", "2017-11-01", int64(1512742526), int16(120), 2017, 12, 31, false)
	f.Add("", 45, "0104650117240408211dmfcZNcM\"4\n010460620308463021&fl=9MY", "a,b|c", "1000000", "2017-12-31", int64(0), int16(0), 0, 0, 0, true)
	f.Add("(01)04871234567890(21)6M:A>BD", -1, "", "", "-0.001", "2024-02-30", int64(-62135596800), int16(-840), 2024, 2, 29, true)
	f.Add("a+b c;d=e", 7, "+%2B", " |", "1e-3", "0001-01-01", int64(253402300799), int16(840), 2023, 2, 29, false)
	f.Add("\x1d\xff", 1, "\n", "|", "1.5e3", "2024-3-1", int64(1709296200), int16(330), 9999, 12, 31, false)

	f.Fuzz(func(t *testing.T, q string, page int, ids, tags, num, date string, since int64, offMin int16, y, m, d int, conflict bool) {
		p := fzParams{Q: q}
		if page != 0 {
			p.Page = &page
		}
		if ids != "" {
			p.IDs = strings.Split(ids, "\n")
		}
		if tags != "" {
			p.Tags = strings.Split(tags, "|")
		}
		if v, err := decimal.NewFromString(num); err == nil && len(num) <= 40 && v.Exponent() > -100 && v.Exponent() < 100 {
			p.Nums = []int64{v.IntPart()}
			if len(num)%2 == 0 {
				p.Nums = append(p.Nums, -v.IntPart())
			}
		}
		if v, err := query.ParseDate(date); err == nil {
			if v.String() != date || !v.IsValid() {
				t.Fatalf("ParseDate(%q) = %+v, which prints as %s; valid: %v", date, v, v, v.IsValid())
			}
			p.From = v
		}
		if since != 0 {
			secs := fzMinUnix + ((since%(fzMaxUnix-fzMinUnix+1))+(fzMaxUnix-fzMinUnix+1))%(fzMaxUnix-fzMinUnix+1)
			p.Since = time.Unix(secs, 0).In(time.FixedZone("", int(offMin)%(14*60)*60))
		}
		switch page % 3 {
		case 1, -1:
			done := page > 0
			p.Done = &done
		}
		validDay := true
		if y != 0 || m != 0 || d != 0 {
			day := query.Date{Year: y, Month: time.Month(m), Day: d}
			p.Day = &day
			validDay = fzValidDate(y, m, d)
			if day.IsValid() != validDay {
				t.Fatalf("%+v: IsValid = %v", day, day.IsValid())
			}
		}

		vals, err := query.Values(p)
		if !validDay {
			if err == nil || !strings.Contains(err.Error(), "invalid date") {
				t.Fatalf("%+v: want an invalid date error, got %v", p, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		byPtr, err := query.Values(&p)
		if err != nil || !reflect.DeepEqual(vals, byPtr) {
			t.Fatalf("by pointer: %v, %v; by value: %v", byPtr, err, vals)
		}

		parsed, err := url.ParseQuery(vals.Encode())
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", vals.Encode(), err)
		}
		if !reflect.DeepEqual(parsed, vals) {
			t.Fatalf("%q parses back as %v, not %v", vals.Encode(), parsed, vals)
		}
		fzCheckFields(t, p, parsed)

		u, _ := url.Parse("https://openschool.in.ua/api/v1?action=schools")
		if conflict {
			u.RawQuery += "&q=x"
		}
		before := u.String()
		err = query.Encode(u, &p)
		if conflict && p.Q != "" {
			if err == nil || !strings.Contains(err.Error(), `"q"`) || u.String() != before {
				t.Fatalf("Encode with q twice: %v, URL %s", err, u)
			}
			return
		}
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		got, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			t.Fatalf("Encode wrote %q: %v", u.RawQuery, err)
		}
		want := maps.Clone(parsed)
		want["action"] = []string{"schools"}
		if conflict {
			want["q"] = []string{"x"}
		}
		if len(parsed) == 0 {
			want = url.Values{"action": {"schools"}}
			if conflict {
				want["q"] = []string{"x"}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Encode gave %v, want %v", got, want)
		}
	})
}

// fzCheckFields compares the parsed query with the params, field by field.
func fzCheckFields(t *testing.T, p fzParams, got url.Values) {
	t.Helper()
	want := 0
	one := func(key string, present bool, check func(v string) bool) {
		t.Helper()
		vs, ok := got[key]
		if ok != present {
			t.Fatalf("%s: present %v, want %v (%v)", key, ok, present, got)
		}
		if !ok {
			return
		}
		want++
		if len(vs) != 1 || !check(vs[0]) {
			t.Fatalf("%s = %q does not give back %+v", key, vs, p)
		}
	}
	one("q", p.Q != "", func(v string) bool { return v == p.Q })
	one("page", p.Page != nil, func(v string) bool { return v == strconv.Itoa(*p.Page) })
	one("n", len(p.Nums) > 0, func(v string) bool {
		var back []int64
		for s := range strings.SplitSeq(v, ",") {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return false
			}
			back = append(back, n)
		}
		return slices.Equal(back, p.Nums)
	})
	one("from", !p.From.IsZero(), func(v string) bool { return v == p.From.String() })
	one("since", !p.Since.IsZero(), func(v string) bool {
		back, err := time.Parse(time.RFC3339, v)
		_, o1 := back.Zone()
		_, o2 := p.Since.Zone()
		return err == nil && back.Equal(p.Since) && o1 == o2
	})
	one("done", p.Done != nil, func(v string) bool { return v == strconv.FormatBool(*p.Done) })
	one("day", p.Day != nil, func(v string) bool { return v == p.Day.String() })
	for key, list := range map[string][]string{"id": p.IDs, "tag[]": p.Tags} {
		if vs, ok := got[key]; ok != (len(list) > 0) || (ok && !slices.Equal(vs, list)) {
			t.Fatalf("%s = %q, want %q", key, vs, list)
		} else if ok {
			want++
		}
	}
	if len(got) != want {
		t.Fatalf("unexpected keys in %v", got)
	}
}

// fzValidDate is an independent check of a calendar date in years 1–9999.
func fzValidDate(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}
