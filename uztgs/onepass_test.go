package uztgs

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/testkit"
)

// The answers are decoded in one pass. These tests hold the one-pass
// readers to the two-pass readings they replaced, kept here as references:
// a page decoded by encoding/json's rules into items that each read their
// own bytes again (lenient.DecodeObject), and an error body decoded into a
// json.RawMessage that is then tried as a list and as an object.

type refStation struct {
	ID, SeancesEventTime, EquipmentTypeID, EquipmentID, CustomerID lenient.Int
	Name, EquipmentBrandName, Phone                                lenient.String
	Extra                                                          map[string]json.RawMessage
}

func (w *refStation) UnmarshalJSON(b []byte) error {
	*w = refStation{}
	var err error
	w.Extra, err = lenient.DecodeObject(b, []lenient.Member{
		{Key: "id", Dst: &w.ID}, {Key: "name", Dst: &w.Name}, {Key: "seances_event_time", Dst: &w.SeancesEventTime},
		{Key: "equipment_type_id", Dst: &w.EquipmentTypeID}, {Key: "equipment_brand_name", Dst: &w.EquipmentBrandName},
		{Key: "phone", Dst: &w.Phone}, {Key: "equipment_id", Dst: &w.EquipmentID}, {Key: "customer_id", Dst: &w.CustomerID},
	}, false)
	return err
}

func (w refStation) public() Station {
	return Station{ID: w.ID.N, Name: w.Name.S, LastSession: refUnix(w.SeancesEventTime), EquipmentTypeID: w.EquipmentTypeID.N,
		EquipmentBrandName: w.EquipmentBrandName.S, Phone: w.Phone.S, EquipmentID: w.EquipmentID.N,
		CustomerID: w.CustomerID.N, Extra: w.Extra}
}

// refUnix is the former reading of a Unix time: absent stays zero.
func refUnix(n lenient.Int) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.N, 0).UTC()
}

type refRecord struct {
	EventTime lenient.Int
	Readings  Readings
	Extra     map[string]json.RawMessage
}

func (w *refRecord) UnmarshalJSON(b []byte) error {
	*w = refRecord{}
	var err error
	w.Extra, err = lenient.DecodeObject(b, []lenient.Member{{Key: "event_time", Dst: &w.EventTime}, {Key: "channel_data", Dst: &w.Readings}}, false)
	return err
}

type refNextPage struct {
	present bool
	n       lenient.Int
}

func (p *refNextPage) UnmarshalJSON(b []byte) error {
	p.present = true
	return p.n.UnmarshalJSON(b)
}

type refPage[W any] struct {
	Data        []W         `json:"data"`
	TotalPages  lenient.Int `json:"total_pages"`
	CurrentPage lenient.Int `json:"current_page"`
	NextPage    refNextPage `json:"next_page"`
}

// samePage decodes b both ways and reports a difference: success, the
// data list's presence, the items, the pagination members.
func samePage(t *testing.T, b []byte) {
	t.Helper()
	var stations pageWire[Station, *Station]
	var refS refPage[refStation]
	err, refErr := lenient.Unmarshal(b, &stations), lenient.Unmarshal(b, &refS)
	if (err == nil) != (refErr == nil) {
		t.Fatalf("%q as stations: one pass %v, two passes %v", b, err, refErr)
	}
	if err == nil {
		if (stations.check() == nil) != (refS.Data != nil) {
			t.Fatalf("%q as stations: data list %v, two passes %v", b, stations.check(), refS.Data != nil)
		}
		want := make([]Station, 0, len(refS.Data))
		for _, w := range refS.Data {
			want = append(want, w.public())
		}
		if len(want) != len(stations.Items) || (len(want) > 0 && !reflect.DeepEqual(want, stations.Items)) {
			t.Fatalf("%q as stations:\n got %#v\nwant %#v", b, stations.Items, want)
		}
		if lenient.Int(stations.TotalPages) != refS.TotalPages || lenient.Int(stations.CurrentPage) != refS.CurrentPage ||
			stations.NextPage.present != refS.NextPage.present || lenient.Int(stations.NextPage.n) != refS.NextPage.n {
			t.Fatalf("%q as stations: pagination %v %v %v, two passes %v %v %v", b,
				stations.TotalPages, stations.CurrentPage, stations.NextPage, refS.TotalPages, refS.CurrentPage, refS.NextPage)
		}
	}
	var records pageWire[Record, *Record]
	var refR refPage[refRecord]
	err, refErr = lenient.Unmarshal(b, &records), lenient.Unmarshal(b, &refR)
	if (err == nil) != (refErr == nil) {
		t.Fatalf("%q as records: one pass %v, two passes %v", b, err, refErr)
	}
	if err != nil {
		return
	}
	if (records.check() == nil) != (refR.Data != nil) || len(records.Items) != len(refR.Data) {
		t.Fatalf("%q as records: %d items, two passes %d", b, len(records.Items), len(refR.Data))
	}
	for i, w := range refR.Data {
		got := records.Items[i]
		if got.Time != refUnix(w.EventTime) || !fzReadingsEqual(got.Readings, w.Readings, true) || !reflect.DeepEqual(got.Extra, w.Extra) {
			t.Fatalf("%q: record %d:\n got %#v\nwant %#v", b, i, got, w)
		}
	}
}

var pageSeeds = []string{
	`{"data":[{"id":12,"name":"865293041116052","seances_event_time":1614024816,"equipment_type_id":1,"equipment_brand_name":"БК","phone":"+998-99-128-20-77","equipment_id":25,"customer_id":44}],"total_pages":6,"current_page":1,"next_page":2}`,
	`{"data":[{"event_time":1612292400,"channel_data":[{"T":25.193481},{"VNakpriv":89519.01}],"station":{"id":18}}],"total_pages":1,"current_page":1,"next_page":null}`,
	`{"Data":[{"ID":"7","Id":"8","\u0069d":9,"name":null,"x":[1,"}"]},null],"TOTAL_PAGES":"2"}`,
	`{"data":[{"id":"x","id":1},{"event_time":"x","event_time":null}]}`,
	`{"data":[{"channel_data":[1],"channel_data":[{"T":1}]},{"channel_data":{"T":1}}]}`,
	`{"data":[{"id":1,"id":"x"}]}`, `{"data":[],"data":null}`, `{"data":null,"data":[]}`, `{"data":{}}`, `{"data":"x"}`,
	`{"data":[1]}`, `{"data":[[]]}`, `null`, `[]`, `{}`, `{"next_page":null}`, `{"next_page":"3","next_page":null}`,
	`{"data":[{"k\u00e9y":2,"k\u00c9y":3}]}`, "{\"data\":[{\"n\xffame\":1,\"name\":\"\xff\"}]}",
	`{"data":[{"channel_data":[{"T":"25.5"},{"X":"обрыв"},{},{"a":1,"b":null}]}]}`, `{"data":[]} {}`, `{"data":[`,
}

func TestPageReadsLikeTheTwoPassReading(t *testing.T) { testkit.Seeds(t, pageSeeds, samePage) }

// FuzzPage: on any answer, the one-pass page reader agrees with the
// two-pass reading it replaced.
func FuzzPage(f *testing.F) { testkit.Fuzz(f, pageSeeds, samePage) }

// parseErrorTwoPass is the reading parseError replaced.
func parseErrorTwoPass(body []byte) string {
	var v struct {
		Errors json.RawMessage `json:"errors"`
		Error  string          `json:"error"`
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	var list []string
	if json.Unmarshal(v.Errors, &list) == nil {
		return strings.Join(list, "; ")
	}
	var full struct {
		FullMessages []string `json:"full_messages"`
	}
	if json.Unmarshal(v.Errors, &full) == nil && len(full.FullMessages) > 0 {
		return strings.Join(full.FullMessages, "; ")
	}
	return v.Error
}

var errorSeeds = []string{
	`{"errors":["You need to sign in or sign up before continuing."]}`, `{"success":false,"errors":["a","b"]}`,
	`{"errors":{"full_messages":["a","b"]}}`, `{"errors":{"full_messages":[]},"error":"e"}`, `{"error":"e"}`,
	`{"errors":null,"error":"e"}`, `{"errors":["a",1],"error":"e"}`, `{"errors":["a",null]}`, `{"errors":"x","error":"e"}`,
	`{"errors":["a"],"error":5}`, `{"Errors":["a"]}`, `{"errors":["a"],"errors":{"full_messages":["b"]}}`,
	`{"errors":{"full_messages":["b"]},"errors":7,"error":"e"}`, `{"errors":{"full_messages":"b"},"error":"e"}`,
	`[]`, `null`, ``, `<html>`, `{"errors":["a"]} x`, "{\"errors\":[\"\xff\"]}",
}

func TestParseErrorReadsLikeTheTwoPassReading(t *testing.T) {
	for _, s := range errorSeeds {
		code, msg := parseError(401, nil, []byte(s))
		assert.Empty(t, code)
		require.Equal(t, parseErrorTwoPass([]byte(s)), msg, s)
	}
}

// FuzzParseErrorTwoPass: on any body, parseError gives the message the
// two-pass reading gave.
func FuzzParseErrorTwoPass(f *testing.F) {
	for _, s := range errorSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, msg := parseError(401, nil, b); msg != parseErrorTwoPass(b) {
			t.Fatalf("%q: got %q, want %q", b, msg, parseErrorTwoPass(b))
		}
	})
}

// pageBody is a page of n items, each made by item(i).
func pageBody(n int, item func(i int) string) []byte {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item(i))
	}
	b.WriteString(`],"total_pages":1,"current_page":1,"next_page":null}`)
	return []byte(b.String())
}

// BenchmarkDecodePage is the decoding alone of a page of 1,000 stations
// and of 1,000 archive records (four readings each):
//
//	go test -run '^$' -bench DecodePage -benchmem ./uztgs/
func BenchmarkDecodePage(b *testing.B) {
	stations := pageBody(1000, func(i int) string {
		return fmt.Sprintf(`{"id":%d,"name":"865293041116052","seances_event_time":1614024816,"equipment_type_id":1,`+
			`"equipment_brand_name":"БК","phone":"+998-99-128-20-77","equipment_id":%d,"customer_id":44,"region":"x"}`, i+1, i+25)
	})
	records := pageBody(1000, func(i int) string {
		return fmt.Sprintf(`{"event_time":%d,"channel_data":[{"T":25.193481},{"P":"0.9954071"},{"Vnakwork":89519.01},{"VNakpriv":null}]}`, 1612292400+3600*i)
	})
	b.Run("stations", func(b *testing.B) { benchPage[Station](b, stations) })
	b.Run("records", func(b *testing.B) { benchPage[Record](b, records) })
}

func benchPage[T any, PT item[T]](b *testing.B, body []byte) {
	b.ReportAllocs()
	for b.Loop() {
		p := pageWire[T, PT]{hint: 1000}
		if err := lenient.Unmarshal(body, &p); err != nil || len(p.Items) != 1000 {
			b.Fatal(err)
		}
	}
}
