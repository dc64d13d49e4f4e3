package uztgstest

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// day returns midnight UTC of a date, the way time.Parse reads fp_start.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDefaultDataset(t *testing.T) {
	d := DefaultDataset()
	require.Len(t, d.Customers, 23)
	require.Len(t, d.Stations, 57)
	require.Len(t, d.EquipmentTypes, 2)
	require.Len(t, d.Channels, 28)

	inn := regexp.MustCompile(`^\d{9,10}$`)
	phone := regexp.MustCompile(`^\+998-\d\d-\d{3}-\d\d-\d\d$`)
	customers := map[int64]bool{}
	for _, c := range d.Customers {
		assert.False(t, customers[c.ID], "duplicate customer %d", c.ID)
		customers[c.ID] = true
		assert.Regexp(t, inn, c.INN)
		assert.Regexp(t, phone, c.ContactNumber)
		assert.NotEmpty(t, c.Name)
		assert.NotEmpty(t, c.SubdivisionType)
	}
	assert.Equal(t, Customer{13, "O'ZBEKISTON YENGIL ATLETIKA FEDERATSIYASI", "Владелец ПУУ", "0204875446", "+998-91-381-18-88"}, d.Customers[0])

	ids, equipment := map[int64]bool{}, map[int64]bool{}
	types := map[int64]int{}
	contiguous := true
	for i, st := range d.Stations {
		assert.False(t, ids[st.ID], "duplicate station %d", st.ID)
		assert.False(t, equipment[st.EquipmentID], "duplicate meter %d", st.EquipmentID)
		ids[st.ID], equipment[st.EquipmentID] = true, true
		types[st.EquipmentTypeID]++
		assert.True(t, customers[st.CustomerID], "station %d: unknown customer %d", st.ID, st.CustomerID)
		if st.Phone != "" {
			assert.Regexp(t, phone, st.Phone)
		}
		assert.Equal(t, map[int64]string{1: "БК", 2: "Флоугаз"}[st.EquipmentTypeID], st.EquipmentBrandName)
		assert.InDelta(t, 1614236068, st.SeancesEventTime, 3*86400)
		if i > 0 && st.ID != d.Stations[i-1].ID+1 {
			contiguous = false
		}
	}
	assert.False(t, contiguous, "station ids have gaps")
	assert.Greater(t, types[1], types[2])
	assert.Positive(t, types[2])
	assert.Equal(t, int64(12), d.Stations[0].ID)
	assert.Equal(t, int64(25), d.Stations[0].EquipmentID, "the pair of the documentation's examples")
	assert.Equal(t, Station{
		ID: 18, Name: `000 "Coca-Cola Ichimligi Uzbekistan" LTD`, SeancesEventTime: 1614236068, EquipmentTypeID: 1,
		EquipmentBrandName: "БК", Phone: "+998-97-725-12-28", EquipmentID: 61, CustomerID: 14,
	}, d.Stations[4])

	// The documentation's sample station, as JSON.
	b, err := json.Marshal(d.Stations[4])
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":18,"name":"000 \"Coca-Cola Ichimligi Uzbekistan\" LTD","seances_event_time":1614236068,
		"equipment_type_id":1,"equipment_brand_name":"БК","phone":"+998-97-725-12-28","equipment_id":61,"customer_id":14}`, string(b))

	// The channel table of §3.4.2.
	assert.Equal(t, Channel{1, "Месячный архив показаний", "monthly", "Рабочий объем", "Vwork", "м³"}, d.Channels[0])
	assert.Equal(t, Channel{1, "Суточный архив показаний", "daily", "Давление", "P", "кгс/см²"}, d.Channels[4])
	assert.Equal(t, Channel{1, "Часовой архив показаний", "hourly", "Накопленный приведенный объем", "Vnakpriv", "м³"}, d.Channels[13])
	assert.Equal(t, Channel{2, "Суточный архив показаний", "daily", "Средняя температура", "T", "°С"}, d.Channels[19])
	assert.Equal(t, Channel{2, "Часовой архив показаний", "hourly", "Общий накопленный объем СУ", "Vst", "м³"}, d.Channels[27])
	b, err = json.Marshal(d.Channels[18])
	require.NoError(t, err)
	assert.JSONEq(t, `{"equipment_type_id":2,"archive_type_name":"Суточный архив показаний","archive_type_varname":"daily",
		"channel_name":"Среднее давление","channel_varname":"P","unit_name":"кПа"}`, string(b))

	b, err = json.Marshal(d.EquipmentTypes[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":1,"name":"БК","equipment_kind_name":"Корректор","telemetry_type_name":"ББТ-3",
		"resource_name":"Газ","description":"Корректор объема газа БК"}`, string(b))

	// Deterministic.
	again := DefaultDataset()
	assert.Equal(t, d.Customers, again.Customers)
	assert.Equal(t, d.Stations, again.Stations)
	assert.Equal(t, d.Settings(12), again.Settings(12))
}

func TestDefaultSettings(t *testing.T) {
	d := DefaultDataset()
	assert.Nil(t, d.Settings(1), "unknown station")
	bk, flow := d.Settings(12), d.Settings(14)
	require.Len(t, bk, 10)
	require.Len(t, flow, 10)
	assert.Equal(t, "кгс/см²", *bk[3].Unit)
	assert.Equal(t, "кПа", *flow[3].Unit)
	assert.NotEqual(t, bk[1].Value, flow[1].Value, "serial numbers differ")
	b, err := json.Marshal(bk[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"channel_name":"Наличие датчика температуры окружающей среды (1 - датчик установлен, 0 - датчик отсутствует)",
		"channel_data_value":"0","unit_name":null}`, string(b))
}

func TestArchiveRowsCounts(t *testing.T) {
	d := DefaultDataset()
	cases := []struct {
		kind     string
		from, to time.Time
		want     int
	}{
		{"hourly", day(2021, 2, 1), day(2021, 2, 1), 24},
		{"hourly", day(2021, 2, 1), day(2021, 2, 20), 480},
		{"hourly", day(2021, 2, 2), day(2021, 2, 1), 0},
		{"daily", day(2020, 2, 1), day(2020, 3, 1), 30},
		{"monthly", day(2021, 1, 1), day(2021, 12, 31), 12},
		{"monthly", day(2021, 1, 2), day(2021, 1, 31), 0},
		{"monthly", day(2020, 12, 31), day(2021, 1, 1), 1},
		{"yearly", day(2019, 1, 1), day(2021, 1, 1), 3},
		{"yearly", day(2019, 1, 2), day(2019, 12, 31), 0},
		{"settings", day(2021, 1, 1), day(2021, 1, 2), 0},
		{"weekly", day(2021, 1, 1), day(2021, 1, 2), 0},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, d.ArchiveRows(12, c.kind, c.from, c.to), "%s %v..%v", c.kind, c.from, c.to)
	}
	assert.Zero(t, d.ArchiveRows(11, "hourly", day(2021, 1, 1), day(2021, 1, 2)), "unknown station")

	// Only the calendar dates count, in the times' own locations.
	late := time.Date(2021, 2, 1, 23, 30, 0, 0, time.UTC) // already 2 February in Tashkent
	assert.Equal(t, 24, d.ArchiveRows(12, "hourly", late, late))
	assert.Equal(t, time.Date(2021, 2, 1, 23, 0, 0, 0, Tashkent).Unix(), d.ArchiveRow(12, "hourly", late, late, 0).EventTime)

	assert.Equal(t, Row{}, d.ArchiveRow(12, "hourly", late, late, 24))
	assert.Equal(t, Row{}, d.ArchiveRow(12, "hourly", late, late, -1))
	assert.Equal(t, Row{}, d.ArchiveRow(11, "hourly", late, late, 0))
	assert.Equal(t, d.ArchiveRow(12, "daily", late, late, 0), d.ArchiveRow(12, "daily", late, late, 0), "deterministic")
}

// TestLongHourlyRange walks 105,192 hourly rows, as a client paging
// through twelve years would, and checks the order and the values.
func TestLongHourlyRange(t *testing.T) {
	d := DefaultDataset()
	from, to := day(2010, 1, 1), day(2021, 12, 31)
	n := d.ArchiveRows(12, "hourly", from, to)
	require.Equal(t, 4383*24, n)
	// The server prepares the query once per page and then computes rows;
	// so does this test, checking ArchiveRow now and then.
	a, ok := d.archive(12, "hourly", from, to)
	require.True(t, ok)
	prev := a.row(0)
	assert.Equal(t, time.Date(2021, 12, 31, 23, 0, 0, 0, Tashkent).Unix(), prev.EventTime)
	for i := 1; i < n; i++ {
		row := a.row(i)
		require.Equal(t, prev.EventTime-3600, row.EventTime, "row %d", i)
		if i%1000 == 0 {
			require.Equal(t, row, d.ArchiveRow(12, "hourly", from, to, i))
		}
		if i%50 == 0 {
			cur, old := values(row), values(prev)
			require.LessOrEqual(t, cur["VNakwork"], old["VNakwork"], "row %d: accumulated volumes never decrease", i)
			require.LessOrEqual(t, cur["VNakpriv"], old["VNakpriv"], "row %d", i)
			require.Less(t, cur["VNakpriv"], cur["VNakwork"])
			require.InDelta(t, 0.992, cur["P"], 0.0061)
			require.True(t, cur["T"] >= 5 && cur["T"] <= 30, "row %d: T %v", i, cur["T"])
		}
		prev = row
	}
	assert.Equal(t, time.Date(2010, 1, 1, 0, 0, 0, 0, Tashkent).Unix(), prev.EventTime)
}

// values maps the codes of a row to its float values.
func values(r Row) map[string]float64 {
	out := make(map[string]float64, len(r.Readings))
	for _, rd := range r.Readings {
		out[rd.Code] = rd.Value.(float64)
	}
	return out
}

func TestArchiveValues(t *testing.T) {
	d := DefaultDataset()
	from, to := day(2021, 1, 1), day(2021, 3, 31)

	// БК daily: the volume of a day is the growth of the accumulated one.
	n := d.ArchiveRows(12, "daily", from, to)
	require.Equal(t, 90, n)
	for i := 1; i < n; i++ {
		newer, older := values(d.ArchiveRow(12, "daily", from, to, i-1)), values(d.ArchiveRow(12, "daily", from, to, i))
		assert.InDelta(t, newer["Vnakwork"]-older["Vnakwork"], older["Vwork"], 0.02, "day %d", i)
		assert.InDelta(t, newer["Vnakpriv"]-older["Vnakpriv"], older["Vpriv"], 0.02, "day %d", i)
		assert.Positive(t, older["Vwork"])
		assert.Less(t, older["Vpriv"], older["Vwork"])
	}
	first, second := values(d.ArchiveRow(12, "daily", from, to, 0)), values(d.ArchiveRow(12, "daily", from, to, 1))
	assert.NotEqual(t, first["Vwork"], second["Vwork"], "daily volumes vary")

	// Флоугаз: pressure in кПа.
	for i := range 48 {
		v := values(d.ArchiveRow(14, "hourly", from, to, i))
		assert.InDelta(t, 300, v["P"], 8.01)
		assert.Greater(t, v["Vwork"], v["Vst"])
	}
	m := values(d.ArchiveRow(14, "monthly", from, to, 0))
	assert.Greater(t, m["Vwork"], m["Vnakwork"], "the overall total is larger")
	assert.Len(t, m, 4)

	// A dataset of one's own: yearly channels of its own, and a quantity the
	// fake does not know.
	own := &Dataset{
		Stations: []Station{{ID: 1, EquipmentTypeID: 7, EquipmentID: 2}},
		Channels: []Channel{
			{EquipmentTypeID: 7, ArchiveType: "yearly", Name: "Счётчик импульсов", Code: "N", Unit: "шт"},
			{EquipmentTypeID: 7, ArchiveType: "monthly", Name: "Рабочий объем", Code: "Vwork", Unit: "м³"},
		},
	}
	row := own.ArchiveRow(1, "yearly", day(2020, 1, 1), day(2020, 1, 1), 0)
	require.Len(t, row.Readings, 1)
	assert.Equal(t, "N", row.Readings[0].Code)
	v := row.Readings[0].Value.(float64)
	assert.True(t, v >= 0 && v < 100)
	row = own.ArchiveRow(1, "monthly", day(2020, 1, 1), day(2020, 1, 1), 0)
	assert.Positive(t, values(row)["Vwork"])
}

func TestNesht(t *testing.T) {
	d := DefaultDataset()
	for _, r := range []struct{ from, to time.Time }{
		{day(2021, 1, 1), day(2021, 1, 1)},
		{day(2021, 1, 1), day(2021, 3, 31)},
		{day(1969, 12, 1), day(1970, 1, 10)}, // before the epoch too
	} {
		a, ok := d.archive(12, "nesht", r.from, r.to)
		require.True(t, ok)
		// Brute force: every hour of the range that is its block's event.
		var want []int64
		for h := a.end/3600 - 1; h >= a.start/3600; h-- {
			if a.eventHour(floorDiv(h, neshtPeriod)) == h {
				want = append(want, h*3600)
			}
		}
		n := d.ArchiveRows(12, "nesht", r.from, r.to)
		require.Len(t, want, n, "%v..%v", r.from, r.to)
		for i, at := range want {
			row := d.ArchiveRow(12, "nesht", r.from, r.to, i)
			assert.Equal(t, at, row.EventTime)
			require.Len(t, row.Readings, 2)
			assert.Equal(t, "event_code", row.Readings[0].Code)
			assert.IsType(t, int64(0), row.Readings[0].Value)
			assert.Equal(t, "event_name", row.Readings[1].Code)
			assert.NotEmpty(t, row.Readings[1].Value)
		}
	}
	n := d.ArchiveRows(12, "nesht", day(2021, 1, 1), day(2021, 12, 31))
	assert.InDelta(t, 365*24/37, n, 1, "about one event in 37 hours")
}

func TestFloorDiv(t *testing.T) {
	assert.Equal(t, int64(2), floorDiv(7, 3))
	assert.Equal(t, int64(-3), floorDiv(-7, 3))
	assert.Equal(t, int64(-2), floorDiv(-6, 3))
	assert.Equal(t, int64(-3), floorDiv(7, -3))
	assert.Equal(t, time.Date(-1, time.December, 1, 0, 0, 0, 0, Tashkent), monthStart(-1))
}

func TestWireReading(t *testing.T) {
	b, err := json.Marshal([]wireReading{{"T", 25.193481}, {"VNakpriv", 89519.01}, {"event_name", "Нет связи"}})
	require.NoError(t, err)
	assert.Equal(t, `[{"T":25.193481},{"VNakpriv":89519.01},{"event_name":"Нет связи"}]`, string(b))
	_, err = json.Marshal(wireReading{"x", func() {}})
	assert.Error(t, err)
}
