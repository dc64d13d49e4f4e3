package uztgs

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/lenient"
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
	type page = pageWire[Station, *Station]
	for _, body := range []string{`{"error":"maintenance"}`, `null`, `{"data":null,"total_pages":1}`, `{"data":[],"data":null}`} {
		var p page
		require.NoError(t, lenient.Unmarshal([]byte(body), &p), body)
		require.Error(t, p.check(), body)
	}
	for _, body := range []string{`[]`, `"x"`, `{"data":{}}`, `{"data":[1]}`, `{"data":[{"id":"x"}]}`, `{"total_pages":"x","data":[]}`, `{"data":[]} x`} {
		var p page
		require.Error(t, lenient.Unmarshal([]byte(body), &p), body)
	}
	var p page
	require.NoError(t, lenient.Unmarshal([]byte(`{"data":[],"total_pages":0}`), &p))
	require.NoError(t, p.check(), "an empty list is a result")
	assert.NotNil(t, p.Items)
}

// A page reads its members as encoding/json reads a struct: keys in any
// case, the last of a repeated key, other members ignored; its items keep
// their unknown members and tolerate the lenient forms.
func TestPageDecodesInOnePass(t *testing.T) {
	var p pageWire[Station, *Station]
	p.hint = 2
	body := `{"Data":[{"id":"12","name":"A","seances_event_time":1614024816,"EQUIPMENT_ID":25,"x":{"y":[1]}},null,{"id":13,"phone":7}],` +
		`"total_pages":"3","current_page":1,"current_page":2,"next_page":null,"note":[1,{"a":"}"}]}`
	require.NoError(t, lenient.Unmarshal([]byte(body), &p))
	require.NoError(t, p.check())
	require.Len(t, p.Items, 3)
	assert.Equal(t, Station{ID: 12, Name: "A", LastSession: time.Unix(1614024816, 0).UTC(), EquipmentID: 25,
		Extra: map[string]json.RawMessage{"x": json.RawMessage(`{"y":[1]}`)}}, p.Items[0])
	assert.Equal(t, Station{}, p.Items[1])
	assert.Equal(t, Station{ID: 13, Phone: "7"}, p.Items[2])
	assert.Equal(t, int64(3), p.TotalPages.N)
	assert.Equal(t, int64(2), p.CurrentPage.N)
	assert.True(t, p.NextPage.present)
	assert.False(t, p.NextPage.n.Valid)
}

// The records of a page share blocks of readings, yet each record's
// readings are its own: appending to one leaves the next alone.
func TestRecordsShareReadingBlocks(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	const records = 700 // several blocks, one of them cut inside a record
	for i := range records {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"event_time":%d,"channel_data":[{"T":%d},{"P":"%d.5"},{"VNakpriv":null},{"X":"обрыв"}]}`, 1612292400+i, i, i)
	}
	b.WriteString(`,{"event_time":1,"channel_data":[]},{"event_time":2,"channel_data":null}]}`)
	var p pageWire[Record, *Record]
	require.NoError(t, lenient.Unmarshal([]byte(b.String()), &p))
	require.Len(t, p.Items, records+2)
	for i, r := range p.Items[:records] {
		require.Len(t, r.Readings, 4, i)
		assert.Equal(t, time.Unix(int64(1612292400+i), 0).UTC(), r.Time)
		v, ok := r.Readings.Get("T")
		assert.True(t, ok)
		assert.Equal(t, float64(i), v)
		v, ok = r.Readings.Get("p")
		assert.True(t, ok)
		assert.Equal(t, float64(i)+0.5, v)
		assert.Equal(t, "обрыв", r.Readings[3].Text)
		assert.Equal(t, len(r.Readings), cap(r.Readings), "a full slice expression")
	}
	next := p.Items[1].Readings[0]
	_ = append(p.Items[0].Readings, Reading{Channel: "new"})
	assert.Equal(t, next, p.Items[1].Readings[0])
	assert.NotNil(t, p.Items[records].Readings, "[] stays an empty list")
	assert.Empty(t, p.Items[records].Readings)
	assert.Nil(t, p.Items[records+1].Readings, "null stays nil")
}
