package uztgstest

import (
	"hash/fnv"
	"math"
	"strings"
	"time"
)

// Tashkent is the zone in which the fake reads fp_start and fp_end:
// Asia/Tashkent, which is UTC+5 all year (Uzbekistan has had no daylight
// saving time since 1992). It is a fixed zone so that no time zone database
// is needed.
var Tashkent = time.FixedZone("UZT", 5*60*60)

// Row is one item of an archive as channel_data serves it: the time of the
// readings in Unix seconds and the readings in the order they are sent.
type Row struct {
	EventTime int64
	Readings  []Reading
}

// Reading is one value of a [Row]. Value is a float64 for measurements
// (hourly, daily, monthly and yearly archives); in the nesht archive the
// readings are {"event_code", int64} and {"event_name", string}.
type Reading struct {
	Code  string
	Value any
}

const (
	secondsPerHour = 60 * 60
	secondsPerDay  = 24 * secondsPerHour
	// neshtPeriod is the length, in hours, of the blocks that hold one
	// abnormal event each.
	neshtPeriod = 37
)

// neshtEvents are the abnormal events of the nesht archive. The codes and
// names are the fake's invention: the documentation lists the archive but
// shows none of its content.
var neshtEvents = []struct {
	code int64
	name string
}{
	{3, "Отключение внешнего питания"},
	{5, "Вскрытие корпуса корректора"},
	{12, "Нет связи с датчиком давления"},
	{13, "Нет связи с датчиком температуры"},
	{21, "Давление вне допустимого диапазона"},
	{22, "Температура вне допустимого диапазона"},
	{31, "Расход выше максимального"},
	{40, "Низкий заряд батареи"},
}

// bkHourlySpelling is how channel_data spells two codes of the БК hourly
// archive: the documentation's sample row says "VNakpriv" and "VNakwork"
// where its channel table says "Vnakpriv" and "Vnakwork".
var bkHourlySpelling = map[string]string{"Vnakpriv": "VNakpriv", "Vnakwork": "VNakwork"}

// archive is one archive query (station, archive type, day range) reduced
// to a few numbers, so that any row can be computed in constant time
// without listing the range.
type archive struct {
	st       Station
	kind     string
	codes    []string   // the row's channel codes as sent on the wire
	measures []quantity // what each channel measures
	n        int        // number of rows
	top      int64      // unit index of the newest row
	start    int64      // first second of the range (Unix)
	end      int64      // first second after the range (Unix)
}

// ArchiveRows returns the number of rows channel_data serves for the
// station, the archive type (hourly, daily, monthly, yearly or nesht) and
// the days from and to, both included. Only the calendar dates of from and
// to, in their own locations, are used, as the fp_start and fp_end
// parameters would carry them. It returns 0 for an unknown station or
// archive type, and for "settings", which is not an archive of rows.
func (d *Dataset) ArchiveRows(stationID int64, archiveType string, from, to time.Time) int {
	a, ok := d.archive(stationID, archiveType, from, to)
	if !ok {
		return 0
	}
	return a.n
}

// ArchiveRow returns the i-th row (from 0) that channel_data serves for
// the same query as [Dataset.ArchiveRows], in the server's order, newest
// first. It returns the zero Row when i is out of range. Each call costs
// the same whatever i and the size of the range.
func (d *Dataset) ArchiveRow(stationID int64, archiveType string, from, to time.Time, i int) Row {
	a, ok := d.archive(stationID, archiveType, from, to)
	if !ok || i < 0 || i >= a.n {
		return Row{}
	}
	return a.row(i)
}

// station returns the station with the given id.
func (d *Dataset) station(id int64) (Station, bool) {
	for _, st := range d.Stations {
		if st.ID == id {
			return st, true
		}
	}
	return Station{}, false
}

// channelsFor sets the codes (as channel_data spells them) and the
// quantities of the channels that the archive records for the station's
// meter type.
func (a *archive) channelsFor(d *Dataset) {
	typ := a.st.EquipmentTypeID
	table := a.kind
	if a.kind == "yearly" && !d.hasChannels(typ, "yearly") {
		table = "monthly"
	}
	for _, ch := range d.Channels {
		if ch.EquipmentTypeID != typ || ch.ArchiveType != table {
			continue
		}
		code := ch.Code
		if s, ok := bkHourlySpelling[code]; ok && typ == 1 && a.kind == "hourly" {
			code = s
		}
		a.codes = append(a.codes, code)
		a.measures = append(a.measures, a.measure(ch))
	}
}

// hasChannels reports whether the channel table has rows for the meter
// type and archive type.
func (d *Dataset) hasChannels(typ int64, kind string) bool {
	for _, ch := range d.Channels {
		if ch.EquipmentTypeID == typ && ch.ArchiveType == kind {
			return true
		}
	}
	return false
}

// archive prepares the query; ok is false for an unknown station or
// archive type.
func (d *Dataset) archive(stationID int64, kind string, from, to time.Time) (*archive, bool) {
	st, ok := d.station(stationID)
	if !ok {
		return nil, false
	}
	y1, m1, d1 := from.Date()
	y2, m2, d2 := to.Date()
	first := time.Date(y1, m1, d1, 0, 0, 0, 0, Tashkent)
	last := time.Date(y2, m2, d2, 0, 0, 0, 0, Tashkent) // the last day's midnight
	a := &archive{st: st, kind: kind, start: first.Unix(), end: last.AddDate(0, 0, 1).Unix()}
	var n int64
	switch kind {
	case "hourly":
		n = (a.end - a.start) / secondsPerHour
		a.top = a.end/secondsPerHour - 1
	case "daily":
		n = (a.end - a.start) / secondsPerDay
	case "monthly":
		lo := monthIndex(first)
		if d1 != 1 {
			lo++
		}
		a.top = monthIndex(last)
		n = a.top - lo + 1
	case "yearly":
		lo := int64(y1)
		if m1 != time.January || d1 != 1 {
			lo++
		}
		a.top = int64(y2)
		n = a.top - lo + 1
	case "nesht":
		n = a.prepareNesht()
	default:
		return nil, false
	}
	a.n = int(max(n, 0))
	if kind != "nesht" {
		a.channelsFor(d)
	}
	return a, true
}

// prepareNesht finds the nesht blocks whose events fall in the range and
// returns their number. Hours are cut into blocks of neshtPeriod hours
// counted from the Unix epoch, and each block holds exactly one event, at
// an hour chosen by hashing the station and the block.
func (a *archive) prepareNesht() int64 {
	hs, he := floorDiv(a.start, secondsPerHour), floorDiv(a.end, secondsPerHour)
	if he <= hs {
		return 0
	}
	lo, hi := floorDiv(hs, neshtPeriod), floorDiv(he-1, neshtPeriod)
	if a.eventHour(lo) < hs {
		lo++
	}
	if a.eventHour(hi) >= he {
		hi--
	}
	a.top = hi
	return hi - lo + 1
}

// eventHour returns the hour (counted from the Unix epoch) of the abnormal
// event in nesht block k.
func (a *archive) eventHour(k int64) int64 {
	return k*neshtPeriod + int64(mix(uint64(a.st.ID)<<32^uint64(k))%neshtPeriod)
}

// row computes row i, newest first; i must be in [0, a.n).
func (a *archive) row(i int) Row {
	u := a.top - int64(i)
	var t, next int64
	switch a.kind {
	case "hourly":
		t = u * secondsPerHour
		next = t + secondsPerHour
	case "daily":
		t = a.end - int64(i+1)*secondsPerDay
		next = t + secondsPerDay
	case "monthly":
		t, next = monthStart(u).Unix(), monthStart(u+1).Unix()
	case "yearly":
		t = time.Date(int(u), time.January, 1, 0, 0, 0, 0, Tashkent).Unix()
		next = time.Date(int(u+1), time.January, 1, 0, 0, 0, 0, Tashkent).Unix()
	case "nesht":
		t = a.eventHour(u) * secondsPerHour
		ev := neshtEvents[mix(uint64(a.st.ID)^uint64(t)<<7)%uint64(len(neshtEvents))]
		return Row{EventTime: t, Readings: []Reading{{"event_code", ev.code}, {"event_name", ev.name}}}
	}
	readings := make([]Reading, len(a.codes))
	for j, code := range a.codes {
		readings[j] = Reading{Code: code, Value: a.value(a.measures[j], t, next)}
	}
	// The order of the readings changes from row to row, as in the
	// documentation's sample.
	h := mix(uint64(a.st.ID)*0x2545f4914f6cdd1d ^ uint64(t))
	for j := len(readings) - 1; j > 0; j-- {
		k := int(h % uint64(j+1))
		h = mix(h)
		readings[j], readings[k] = readings[k], readings[j]
	}
	return Row{EventTime: t, Readings: readings}
}

// quantity says what a channel measures and how to compute its values.
type quantity struct {
	kind   quantityKind
	seed   uint64  // hash of the table's code, for the noise
	factor float64 // for volumes: 1 at working conditions, less at standard ones
	offset float64 // for accumulated volumes: the reading at the Unix epoch
}

// quantityKind is a kind of measured value.
type quantityKind int

const (
	pressureKgf quantityKind = iota // gauge pressure, about 0.99 кгс/см²
	pressureKPa                     // pressure, about 300 кПа
	temperature                     // 5–30 °С
	accumulated                     // a volume counter that never decreases
	periodic                        // the volume over the row's period
	unknown                         // anything else: 0–100
)

// measure works out what channel ch measures for the station. The kind is
// read from the channel: pressure (code P or a pressure unit), temperature
// (code T or °), accumulated volume (a name with "накопленн"), or volume
// over the period (other volumes).
func (a *archive) measure(ch Channel) quantity {
	q := quantity{seed: hashString(ch.Code), factor: 1}
	name := strings.ToLower(ch.Name)
	lc := strings.ToLower(ch.Code)
	if strings.Contains(lc, "priv") || strings.HasSuffix(lc, "st") {
		// Volume at standard conditions; the documentation's sample shows
		// it at about 0.31 of the volume at working conditions.
		q.factor = 0.29 + 0.04*unit(mix(uint64(a.st.ID)^0xfac7))
	}
	switch {
	case strings.Contains(ch.Unit, "кПа"):
		q.kind = pressureKPa
	case ch.Code == "P" || strings.Contains(ch.Unit, "Па") || strings.Contains(ch.Unit, "кгс"):
		q.kind = pressureKgf
	case ch.Code == "T" || strings.Contains(ch.Unit, "°"):
		q.kind = temperature
	case strings.Contains(name, "накопленн"):
		q.kind = accumulated
		q.offset = 20000 + 60000*unit(mix(uint64(a.st.ID)^q.seed))
		if strings.Contains(name, "общий") {
			q.offset += 150000
		}
	case strings.Contains(name, "объем") || ch.Unit == unitM3:
		q.kind = periodic
	default:
		q.kind = unknown
	}
	return q
}

// value computes the reading of a channel measuring q for the period
// [t, next) of the station.
func (a *archive) value(q quantity, t, next int64) float64 {
	u := unit(mix(uint64(a.st.ID)*0x9e3779b97f4a7c15 ^ uint64(t)*0xff51afd7ed558ccd ^ q.seed))
	switch q.kind {
	case pressureKPa:
		return round(292+16*u, 3)
	case pressureKgf:
		return round(0.986+0.012*u, 7)
	case temperature:
		return round(a.temperature(t, u), 6)
	case accumulated:
		return round(a.flow(t)*q.factor+q.offset, 2)
	case periodic:
		return round((a.flow(next)-a.flow(t))*q.factor, 3)
	}
	return round(100*u, 3)
}

// flow is the volume (m³, working conditions) that has passed through the
// station's meter from the Unix epoch to t. It grows at a per-station rate
// modulated by a daily, an (irregular) weekly and a yearly cycle, and never
// decreases: the swings add up to less than the rate.
func (a *archive) flow(t int64) float64 {
	rate := 0.3 + 2.7*unit(mix(uint64(a.st.ID)^0xf10e)) // m³ per hour
	h := float64(t) / secondsPerHour
	v := h
	for _, c := range []struct{ swing, period float64 }{
		{0.5, 24},             // busier by day
		{0.3, 7*24 + 5},       // not a whole number of days, so days differ
		{0.15, 365.2425 * 24}, // more gas in winter
	} {
		v += c.swing * c.period / (2 * math.Pi) * math.Sin(2*math.Pi*h/c.period)
	}
	return rate * v
}

// temperature is the gas temperature at t: a seasonal and a daily cycle
// plus noise u, kept within 5–30 °C.
func (a *archive) temperature(t int64, u float64) float64 {
	local := float64(t + 5*secondsPerHour)
	days := local / secondsPerDay
	hourOfDay := math.Mod(local/secondsPerHour, 24)
	v := 17.5 - 9*math.Cos(2*math.Pi*(days-15)/365.2425) + 2.5*math.Sin(2*math.Pi*(hourOfDay-9)/24) + 2*(u-0.5)
	return min(max(v, 5), 30)
}

// monthIndex counts months from year 0 to the month of t.
func monthIndex(t time.Time) int64 { return int64(t.Year())*12 + int64(t.Month()) - 1 }

// monthStart is the first midnight of month index m in Tashkent.
func monthStart(m int64) time.Time {
	return time.Date(int(floorDiv(m, 12)), time.Month(m-floorDiv(m, 12)*12+1), 1, 0, 0, 0, 0, Tashkent)
}

// floorDiv divides rounding towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// hashString is the 64-bit FNV-1a hash of s.
func hashString(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// round rounds v to the given number of decimal places.
func round(v float64, places int) float64 {
	p := math.Pow10(places)
	return math.Round(v*p) / p
}
