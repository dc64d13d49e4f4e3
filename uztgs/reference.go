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
	unitM3   = "м³"
	unitKgf  = "кгс/см²"
	unitC    = "°С"
	unitKPa  = "кПа"
	bk       = "БК"
	flowgas  = "Флоугаз"
	nWork    = "Рабочий объем"
	nPriv    = "Приведенный объем"
	nNakWork = "Накопленный рабочий объем"
	nNakPriv = "Накопленный приведенный объем"
	nTotRU   = "Общий накопленный объем РУ"
	nTotSU   = "Общий накопленный объем СУ"
	nNakRU   = "Накопленный объем РУ"
	nNakSU   = "Накопленный объем СУ"
)

// channelTable is §3.4.2, row for row.
var channelTable = [...]ChannelInfo{
	{1, bk, Monthly, nWork, ChannelVwork, unitM3},
	{1, bk, Monthly, nPriv, ChannelVpriv, unitM3},
	{1, bk, Monthly, nNakWork, ChannelVnakwork, unitM3},
	{1, bk, Monthly, nNakPriv, ChannelVnakpriv, unitM3},
	{1, bk, Daily, "Давление", ChannelP, unitKgf},
	{1, bk, Daily, "Температура", ChannelT, unitC},
	{1, bk, Daily, nWork, ChannelVwork, unitM3},
	{1, bk, Daily, nPriv, ChannelVpriv, unitM3},
	{1, bk, Daily, nNakWork, ChannelVnakwork, unitM3},
	{1, bk, Daily, nNakPriv, ChannelVnakpriv, unitM3},
	{1, bk, Hourly, "Давление", ChannelP, unitKgf},
	{1, bk, Hourly, "Температура", ChannelT, unitC},
	{1, bk, Hourly, nNakWork, ChannelVnakwork, unitM3},
	{1, bk, Hourly, nNakPriv, ChannelVnakpriv, unitM3},
	{2, flowgas, Monthly, nTotRU, ChannelVwork, unitM3},
	{2, flowgas, Monthly, nTotSU, ChannelVst, unitM3},
	{2, flowgas, Monthly, nNakRU, ChannelVnakwork, unitM3},
	{2, flowgas, Monthly, nNakSU, ChannelVnakst, unitM3},
	{2, flowgas, Daily, "Среднее давление", ChannelP, unitKPa},
	{2, flowgas, Daily, "Средняя температура", ChannelT, unitC},
	{2, flowgas, Daily, nTotRU, ChannelVwork, unitM3},
	{2, flowgas, Daily, nTotSU, ChannelVst, unitM3},
	{2, flowgas, Daily, nNakRU, ChannelVnakwork, unitM3},
	{2, flowgas, Daily, nNakSU, ChannelVnakst, unitM3},
	{2, flowgas, Hourly, "Среднее давление", ChannelP, unitKPa},
	{2, flowgas, Hourly, "Средняя температура", ChannelT, unitC},
	{2, flowgas, Hourly, nTotRU, ChannelVwork, unitM3},
	{2, flowgas, Hourly, nTotSU, ChannelVst, unitM3},
}

// Channels returns a copy of the channel reference table §3.4.2 (28 rows:
// BK and Flowgas correctors, monthly, daily and hourly archives). The
// server's own list for an account comes from [Client.Channels].
func Channels() []ChannelInfo {
	out := make([]ChannelInfo, len(channelTable))
	copy(out[:], channelTable[:])
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
