package uztgstest

import (
	"fmt"
	"strconv"
)

// Customer is a consumer of the supplier (GET /customers, §3.1).
type Customer struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"`
	SubdivisionType string `json:"subdivision_type_name"`
	INN             string `json:"inn"`
	ContactNumber   string `json:"contact_number"`
}

// Station is a metering node (GET /stations, §3.2). SeancesEventTime is the
// last communication session in Unix seconds. EquipmentID is the id of the
// meter installed at the node; channel_data requires it next to the
// station's id.
type Station struct {
	ID                 int64  `json:"id"`
	Name               string `json:"name"`
	SeancesEventTime   int64  `json:"seances_event_time"`
	EquipmentTypeID    int64  `json:"equipment_type_id"`
	EquipmentBrandName string `json:"equipment_brand_name"`
	Phone              string `json:"phone"`
	EquipmentID        int64  `json:"equipment_id"`
	CustomerID         int64  `json:"customer_id"`
}

// EquipmentType is a kind of meter (GET /equipment_types, §3.4.3 and §3.5).
type EquipmentType struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Kind          string `json:"equipment_kind_name"`
	TelemetryType string `json:"telemetry_type_name"`
	Resource      string `json:"resource_name"`
	Description   string `json:"description"`
}

// Channel is one row of the channel reference (§3.4.2), served by
// GET /channel_archive_types: a quantity that a meter of type
// EquipmentTypeID records in the archive ArchiveType ("hourly", "daily",
// "monthly"; "yearly" archives use the "monthly" rows unless the table has
// "yearly" rows of its own). Code is the key of the quantity in channel_data.
type Channel struct {
	EquipmentTypeID int64  `json:"equipment_type_id"`
	ArchiveTypeName string `json:"archive_type_name"`
	ArchiveType     string `json:"archive_type_varname"`
	Name            string `json:"channel_name"`
	Code            string `json:"channel_varname"`
	Unit            string `json:"unit_name"`
}

// Setting is one configuration item of a meter (channel_data with
// archive_type=settings, §3.7). Value is always a string; Unit is sent as
// null when nil.
type Setting struct {
	Name  string  `json:"channel_name"`
	Value string  `json:"channel_data_value"`
	Unit  *string `json:"unit_name"`
}

// Dataset is what the fake serves. The server reads it without locking, so
// do not change it while a server that uses it is running.
//
// Archive rows (hourly, daily, monthly, yearly, nesht) are not stored: they
// are computed on demand from the station, the time and the channel; see
// [Dataset.ArchiveRow].
type Dataset struct {
	// Customers are served by /customers in this order.
	Customers []Customer
	// Stations are served by /stations in this order.
	Stations []Station
	// EquipmentTypes are served by /equipment_types in this order.
	EquipmentTypes []EquipmentType
	// Channels is the channel reference table (§3.4.2); it decides both
	// /channel_archive_types and which readings an archive row holds.
	Channels []Channel
	// Settings returns the configuration of a station's meter, in the
	// order it is served. It is a function rather than a map so that the
	// default data can be generated on the fly; a nil Settings serves an
	// empty list for every station.
	Settings func(stationID int64) []Setting
}

// Units used by the channel table, spelled as the documentation spells them
// (the "С" of "°С" is Cyrillic in the original).
const (
	unitM3      = "м³"
	unitKgfCm2  = "кгс/см²"
	unitCelsius = "°С"
	unitKPa     = "кПа"
)

// archiveNames maps the archive type codes to their names (§3.4.1).
var archiveNames = map[string]string{
	"hourly":  "Часовой архив показаний",
	"daily":   "Суточный архив показаний",
	"monthly": "Месячный архив показаний",
	"yearly":  "Годовой архив показаний",
	"nesht":   "Архив нештатных ситуаций",
}

// DefaultDataset returns the fake's standard data, the same on every call
// (each call returns a fresh copy):
//
//   - 23 customers with ids from 13 to 50 (with gaps), including the two
//     customers that the documentation shows (13 and 22);
//   - 57 stations with ids from 12 (with gaps); station 12 has meter 25,
//     the pair used in the documentation's examples, and station 18 is the
//     documentation's sample station (meter 61, customer 14). About a third
//     of the stations have a Флоугаз meter (type 2), the rest a БК (type 1);
//   - the equipment types 1 "БК" and 2 "Флоугаз" of §3.4.3;
//   - the full 28-row channel table of §3.4.2;
//   - ten configuration settings per station, the first being the
//     documentation's sample item.
func DefaultDataset() *Dataset {
	d := &Dataset{
		Customers:      defaultCustomers(),
		EquipmentTypes: defaultEquipmentTypes(),
		Channels:       defaultChannels(),
	}
	d.Stations = defaultStations(d.Customers)
	types := make(map[int64]int64, len(d.Stations))
	for _, st := range d.Stations {
		types[st.ID] = st.EquipmentTypeID
	}
	d.Settings = func(stationID int64) []Setting {
		typ, ok := types[stationID]
		if !ok {
			return nil
		}
		return defaultSettings(stationID, typ)
	}
	return d
}

func defaultCustomers() []Customer {
	const owner, subscriber = "Владелец ПУУ", "Абонент"
	return []Customer{
		{13, "O'ZBEKISTON YENGIL ATLETIKA FEDERATSIYASI", owner, "0204875446", "+998-91-381-18-88"},
		{14, `"COCA-COLA ICHIMLIGI UZBEKISTAN" MChJ XK`, owner, "200837645", "+998-71-140-04-50"},
		{15, `"TOSHKENT NON KOMBINATI" AJ`, owner, "200512397", "+998-71-262-33-19"},
		{17, `"SAMARQAND CHINNI ZAVODI" MChJ`, owner, "302745118", "+998-66-233-71-05"},
		{18, "YUNUSOBOD TUMANI 112-SONLI UMUMIY O'RTA TA'LIM MAKTABI", subscriber, "0201684432", "+998-90-934-12-77"},
		{19, `"FARG'ONA TO'QIMACHI" MChJ`, owner, "305118072", "+998-73-244-56-10"},
		{22, "\"TRANSYO`LQURILISH\" DUK", owner, "0300943875", "+998-97-354-54-01"},
		{23, `"NAVOIY ISSIQXONA" FX`, subscriber, "307262941", "+998-93-412-08-36"},
		{25, `"BUXORO G'ISHT ZAVODI" MChJ`, owner, "301998154", "+998-65-221-47-90"},
		{26, "CHILONZOR TUMANI 4-SONLI OILAVIY POLIKLINIKA", subscriber, "0201457713", "+998-71-276-15-02"},
		{28, `"ANDIJON SUT" MChJ`, owner, "304581226", "+998-74-223-90-11"},
		{30, `"QARSHI NONVOYXONASI" XK`, subscriber, "306317408", "+998-91-467-33-25"},
		{31, `"XORAZM GILAM" MChJ`, owner, "302004963", "+998-62-226-18-44"},
		{33, `"OLMALIQ MEHMONXONASI" MChJ`, owner, "305772190", "+998-70-612-44-09"},
		{34, "MIRZO ULUG'BEK TUMANI 27-SONLI MAKTABGACHA TA'LIM TASHKILOTI", subscriber, "0200962258", "+998-71-268-52-30"},
		{36, `"NAMANGAN TEKSTIL" AJ`, owner, "200344781", "+998-69-227-61-13"},
		{39, `"JIZZAX SEMENT" MChJ`, owner, "303650327", "+998-72-226-09-88"},
		{40, `"GULISTON OSH MARKAZI" XK`, subscriber, "308122546", "+998-99-873-25-64"},
		{41, `"TERMIZ DON MAHSULOTLARI" AJ`, owner, "200199635", "+998-76-223-14-70"},
		{44, `"URGANCH AVTOSERVIS" MChJ`, subscriber, "306904412", "+998-94-118-70-03"},
		{45, "QORAQALPOG'ISTON RESPUBLIKA KO'P TARMOQLI SHIFOXONASI", owner, "0201133847", "+998-61-222-35-41"},
		{47, `"ZARAFSHON SAVDO" MChJ`, subscriber, "309015673", "+998-95-340-81-27"},
		{50, `"SIRDARYO BALIQ" FX`, owner, "304227819", "+998-67-235-06-92"},
	}
}

func defaultEquipmentTypes() []EquipmentType {
	return []EquipmentType{
		{ID: 1, Name: "БК", Kind: "Корректор", TelemetryType: "ББТ-3", Resource: "Газ", Description: "Корректор объема газа БК"},
		{ID: 2, Name: "Флоугаз", Kind: "Корректор", TelemetryType: "ББТ-3", Resource: "Газ", Description: "Корректор объема газа Флоугаз"},
	}
}

// defaultChannels is the table of §3.4.2, row for row.
func defaultChannels() []Channel {
	type row struct {
		typ                       int64
		archive, name, code, unit string
	}
	rows := []row{
		{1, "monthly", "Рабочий объем", "Vwork", unitM3},
		{1, "monthly", "Приведенный объем", "Vpriv", unitM3},
		{1, "monthly", "Накопленный рабочий объем", "Vnakwork", unitM3},
		{1, "monthly", "Накопленный приведенный объем", "Vnakpriv", unitM3},
		{1, "daily", "Давление", "P", unitKgfCm2},
		{1, "daily", "Температура", "T", unitCelsius},
		{1, "daily", "Рабочий объем", "Vwork", unitM3},
		{1, "daily", "Приведенный объем", "Vpriv", unitM3},
		{1, "daily", "Накопленный рабочий объем", "Vnakwork", unitM3},
		{1, "daily", "Накопленный приведенный объем", "Vnakpriv", unitM3},
		{1, "hourly", "Давление", "P", unitKgfCm2},
		{1, "hourly", "Температура", "T", unitCelsius},
		{1, "hourly", "Накопленный рабочий объем", "Vnakwork", unitM3},
		{1, "hourly", "Накопленный приведенный объем", "Vnakpriv", unitM3},
		{2, "monthly", "Общий накопленный объем РУ", "Vwork", unitM3},
		{2, "monthly", "Общий накопленный объем СУ", "Vst", unitM3},
		{2, "monthly", "Накопленный объем РУ", "Vnakwork", unitM3},
		{2, "monthly", "Накопленный объем СУ", "Vnakst", unitM3},
		{2, "daily", "Среднее давление", "P", unitKPa},
		{2, "daily", "Средняя температура", "T", unitCelsius},
		{2, "daily", "Общий накопленный объем РУ", "Vwork", unitM3},
		{2, "daily", "Общий накопленный объем СУ", "Vst", unitM3},
		{2, "daily", "Накопленный объем РУ", "Vnakwork", unitM3},
		{2, "daily", "Накопленный объем СУ", "Vnakst", unitM3},
		{2, "hourly", "Среднее давление", "P", unitKPa},
		{2, "hourly", "Средняя температура", "T", unitCelsius},
		{2, "hourly", "Общий накопленный объем РУ", "Vwork", unitM3},
		{2, "hourly", "Общий накопленный объем СУ", "Vst", unitM3},
	}
	out := make([]Channel, len(rows))
	for i, r := range rows {
		out[i] = Channel{
			EquipmentTypeID: r.typ, ArchiveTypeName: archiveNames[r.archive], ArchiveType: r.archive,
			Name: r.name, Code: r.code, Unit: r.unit,
		}
	}
	return out
}

// districts name the places of the generated gas distribution points.
var districts = []string{
	"Chilonzor", "Yunusobod", "Mirobod", "Olmazor", "Sergeli", "Yakkasaroy", "Bektemir",
	"Uchtepa", "Shayxontohur", "Yashnobod", "Zangiota", "Qibray", "Chirchiq", "Angren",
}

// mobilePrefixes are Uzbek mobile operator codes.
var mobilePrefixes = []string{"90", "91", "93", "94", "95", "97", "98", "99", "33", "88"}

// defaultStations generates the 57 stations. Everything is derived from
// the station's position k, so the result never changes.
func defaultStations(customers []Customer) []Station {
	const n = 57
	out := make([]Station, 0, n)
	id := int64(12)
	for k := range n {
		h := mix(uint64(k) + 0x5eed)
		typ := int64(1)
		if k%3 == 2 {
			typ = 2
		}
		st := Station{
			ID:               id,
			SeancesEventTime: 1614236068 - int64(h%(3*86400)),
			EquipmentTypeID:  typ,
			EquipmentID:      25 + 9*int64(k) + int64(k*k%4),
			CustomerID:       customers[(7*k+19)%len(customers)].ID,
		}
		st.EquipmentBrandName = map[int64]string{1: "БК", 2: "Флоугаз"}[typ]
		if k%2 == 0 {
			// A name that is just the modem's IMEI, as in the stations answer of §2.
			st.Name = fmt.Sprintf("8652930411%05d", h%100000)
		} else {
			st.Name = fmt.Sprintf("%s, ГРПШ-%d", districts[(h>>20)%uint64(len(districts))], 1+(h>>32)%40)
		}
		if k%6 != 5 {
			st.Phone = fmt.Sprintf("+998-%s-%03d-%02d-%02d", mobilePrefixes[(h>>8)%uint64(len(mobilePrefixes))],
				(h>>16)%1000, (h>>28)%100, (h>>36)%100)
		}
		if k == 4 { // The station of the documentation's sample.
			st.Name = `000 "Coca-Cola Ichimligi Uzbekistan" LTD`
			st.SeancesEventTime = 1614236068
			st.Phone = "+998-97-725-12-28"
		}
		out = append(out, st)
		id++
		if k%5 == 3 {
			id += 2
		}
	}
	return out
}

// defaultSettings generates ten configuration items for a station whose
// meter is of equipment type typ: pressures in кгс/см² for a БК, in кПа for
// a Флоугаз.
func defaultSettings(stationID, typ int64) []Setting {
	h := mix(uint64(stationID) ^ 0xc0ffee)
	unit := func(s string) *string { return &s }
	pUnit, pBase, pMax := unitKgfCm2, "1.0332", "2.5"
	if typ == 2 {
		pUnit, pBase, pMax = unitKPa, "101.325", "600"
	}
	return []Setting{
		{Name: "Наличие датчика температуры окружающей среды (1 - датчик установлен, 0 - датчик отсутствует)", Value: "0"},
		{Name: "Заводской номер корректора", Value: strconv.FormatUint(100000+h%900000, 10)},
		{Name: "Версия программного обеспечения", Value: fmt.Sprintf("2.%d", 10+(h>>8)%8)},
		{Name: "Условно-постоянное значение давления", Value: pBase, Unit: unit(pUnit)},
		{Name: "Условно-постоянное значение температуры", Value: "20", Unit: unit(unitCelsius)},
		{Name: "Верхний предел измерений датчика давления", Value: pMax, Unit: unit(pUnit)},
		{Name: "Плотность газа при стандартных условиях", Value: fmt.Sprintf("0.%03d", 670+(h>>16)%30), Unit: unit("кг/м³")},
		{Name: "Молярная доля азота", Value: fmt.Sprintf("%d.%02d", 1+(h>>24)%2, (h>>28)%100), Unit: unit("%")},
		{Name: "Молярная доля диоксида углерода", Value: fmt.Sprintf("0.%02d", 5+(h>>36)%40), Unit: unit("%")},
		{Name: "Контрактный час (час начала газовых суток)", Value: "8"},
	}
}

// mix is the SplitMix64 finaliser: a cheap, well-spread hash of x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
