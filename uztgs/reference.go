package uztgs

// ArchiveType is the archive_type parameter of channel_data: which archive
// of a meter to read. The five archives are the table of §3.4.1
// "Справочник типов архивов"; [Settings] reads the configuration (§3.7).
type ArchiveType string

// Archive types of §3.4.1.
const (
	Hourly  ArchiveType = "hourly"  // Часовой архив показаний
	Daily   ArchiveType = "daily"   // Суточный архив показаний
	Monthly ArchiveType = "monthly" // Месячный архив показаний
	Yearly  ArchiveType = "yearly"  // Годовой архив показаний
	// Abnormal is the archive of abnormal situations ("nesht", Архив
	// нештатных ситуаций). The documentation does not describe its
	// channels; its readings are decoded like any other, text included.
	Abnormal ArchiveType = "nesht"
)

// settingsType is archive_type=settings, the configuration view (§3.7),
// reached through [Client.SettingsPage] and [Client.Settings].
const settingsType = "settings"

// ArchiveTypes returns the archive types of §3.4.1 in the documentation's
// order.
func ArchiveTypes() []ArchiveType { return []ArchiveType{Hourly, Daily, Monthly, Yearly, Abnormal} }

// Name returns the Russian name §3.4.1 gives the archive type, or "" for an
// unknown one.
func (a ArchiveType) Name() string {
	switch a {
	case Hourly:
		return "Часовой архив показаний"
	case Daily:
		return "Суточный архив показаний"
	case Monthly:
		return "Месячный архив показаний"
	case Yearly:
		return "Годовой архив показаний"
	case Abnormal:
		return "Архив нештатных ситуаций"
	}
	return ""
}

// Valid reports whether a is one of the five archive types of §3.4.1.
func (a ArchiveType) Valid() bool { return a.Name() != "" }

// Equipment type ids of the reference tables (§3.4.2 column
// equipment_type_id, §3.5).
const (
	EquipmentBK      int64 = 1 // corrector "БК"
	EquipmentFlowgas int64 = 2 // corrector "Флоугаз"
)

// Channel codes of §3.4.2 (channel_varname). The archive sample of §3.3
// spells two of them "VNakwork" and "VNakpriv";
// [Readings.Get] matches codes case-insensitively when there is no exact
// match, so these constants find either spelling.
const (
	ChannelP        = "P"        // pressure (average pressure for Flowgas)
	ChannelT        = "T"        // temperature (average for Flowgas)
	ChannelVwork    = "Vwork"    // working volume (Flowgas: total accumulated working volume)
	ChannelVpriv    = "Vpriv"    // standard (reduced) volume, BK
	ChannelVnakwork = "Vnakwork" // accumulated working volume
	ChannelVnakpriv = "Vnakpriv" // accumulated standard volume, BK
	ChannelVst      = "Vst"      // total accumulated standard volume, Flowgas
	ChannelVnakst   = "Vnakst"   // accumulated standard volume, Flowgas
)

// ChannelInfo is one row of the channel reference table §3.4.2
// "Справочник каналов-параметров узла учета".
type ChannelInfo struct {
	EquipmentTypeID int64       // equipment_type_id
	Corrector       string      // corrector_name: "БК" or "Флоугаз"
	Archive         ArchiveType // archive_type
	Name            string      // channel_name
	Code            string      // channel_varname
	Unit            string      // unit_name
}

const (
	unitM3  = "м³"
	bk      = "БК"
	flowgas = "Флоугаз"
)

// channelNames are the channel names and units of §3.4.2 by corrector.
var channelNames = map[int64]map[string][2]string{
	EquipmentBK: {
		ChannelP: {"Давление", "кгс/см²"}, ChannelT: {"Температура", "°С"},
		ChannelVwork: {"Рабочий объем", unitM3}, ChannelVpriv: {"Приведенный объем", unitM3},
		ChannelVnakwork: {"Накопленный рабочий объем", unitM3}, ChannelVnakpriv: {"Накопленный приведенный объем", unitM3},
	},
	EquipmentFlowgas: {
		ChannelP: {"Среднее давление", "кПа"}, ChannelT: {"Средняя температура", "°С"},
		ChannelVwork: {"Общий накопленный объем РУ", unitM3}, ChannelVst: {"Общий накопленный объем СУ", unitM3},
		ChannelVnakwork: {"Накопленный объем РУ", unitM3}, ChannelVnakst: {"Накопленный объем СУ", unitM3},
	},
}

// channelTable is §3.4.2, row for row: for each corrector and archive,
// its channels in the table's order.
var channelTable = channelRows(map[int64][3][]string{ // monthly, daily, hourly
	EquipmentBK: {
		{ChannelVwork, ChannelVpriv, ChannelVnakwork, ChannelVnakpriv},
		{ChannelP, ChannelT, ChannelVwork, ChannelVpriv, ChannelVnakwork, ChannelVnakpriv},
		{ChannelP, ChannelT, ChannelVnakwork, ChannelVnakpriv},
	},
	EquipmentFlowgas: {
		{ChannelVwork, ChannelVst, ChannelVnakwork, ChannelVnakst},
		{ChannelP, ChannelT, ChannelVwork, ChannelVst, ChannelVnakwork, ChannelVnakst},
		{ChannelP, ChannelT, ChannelVwork, ChannelVst},
	},
})

// channelRows expands the channels of each corrector's monthly, daily and
// hourly archives into the rows of §3.4.2, BK first.
func channelRows(archives map[int64][3][]string) []ChannelInfo {
	var rows []ChannelInfo
	for _, c := range []struct {
		id   int64
		name string
	}{{EquipmentBK, bk}, {EquipmentFlowgas, flowgas}} {
		for i, a := range [...]ArchiveType{Monthly, Daily, Hourly} {
			for _, code := range archives[c.id][i] {
				n := channelNames[c.id][code]
				rows = append(rows, ChannelInfo{c.id, c.name, a, n[0], code, n[1]})
			}
		}
	}
	return rows
}

// Channels returns a copy of the channel reference table §3.4.2 (28 rows:
// BK and Flowgas correctors, monthly, daily and hourly archives). The
// server's own list for an account comes from [Client.Channels].
func Channels() []ChannelInfo {
	out := make([]ChannelInfo, len(channelTable))
	copy(out, channelTable)
	return out
}

// LookupChannel finds the row of §3.4.2 for a corrector type, archive and
// channel code (matched exactly, then case-insensitively).
func LookupChannel(equipmentTypeID int64, archive ArchiveType, code string) (ChannelInfo, bool) {
	var fold *ChannelInfo
	for i := range channelTable {
		c := &channelTable[i]
		if c.EquipmentTypeID != equipmentTypeID || c.Archive != archive {
			continue
		}
		if c.Code == code {
			return *c, true
		}
		if fold == nil && equalFoldASCII(c.Code, code) {
			fold = c
		}
	}
	if fold != nil {
		return *fold, true
	}
	return ChannelInfo{}, false
}

// MeterType is one row of the meter type reference table §3.4.3
// "Справочник типов приборов учета".
type MeterType struct {
	EquipmentTypeID int64  // the id used by §3.4.2 and §3.5
	Name            string // Наименование прибора учета
	Kind            string // Вид прибора учета
	Telemetry       string // Тип телеметрии
	Resource        string // Энергоресурс
	Description     string // Описание
}

// MeterTypes returns the table §3.4.3. Note that the sample answer of §3.5
// gives the BK corrector's telemetry as "ББТ-1" where this table says
// "ББТ-3"; the account's own values come from [Client.EquipmentTypes].
func MeterTypes() []MeterType {
	return []MeterType{
		{EquipmentBK, bk, "Корректор", "ББТ-3", "Газ", "Корректор объема газа БК"},
		{EquipmentFlowgas, flowgas, "Корректор", "ББТ-3", "Газ", "Корректор объема газа Флоугаз"},
	}
}

func (a ArchiveType) check(field string) error {
	if a.Valid() {
		return nil
	}
	if a == settingsType {
		return invalid(field, "is %q; read the configuration with Client.Settings", settingsType)
	}
	if a == "" {
		return invalid(field, "is required (hourly, daily, monthly, yearly or nesht)")
	}
	return invalid(field, "is %q; want hourly, daily, monthly, yearly or nesht", string(a))
}

// String returns the wire value.
func (a ArchiveType) String() string { return string(a) }
