package uztgs

import (
	"encoding/json"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// User is the account a sign-in answers with (§2, the "data" of the
// sign_in response).
type User struct {
	ID       int64  // id
	Email    string // email
	Provider string // provider, "email"
	UID      string // uid, the e-mail address
	Name     string // name
	// Extra holds the members the documentation does not list, as sent
	// (raw JSON by key); nil when there is none.
	Extra map[string]json.RawMessage
}

// Customer is one item of the customers view (§3.1 «Потребители»).
type Customer struct {
	ID              int64  // id
	Name            string // name
	SubdivisionType string // subdivision_type_name, e.g. "Владелец ПУУ"
	INN             string // inn: taxpayer number, kept as sent (leading zeros)
	ContactNumber   string // contact_number
	// Extra holds the members the documentation does not list, as sent
	// (raw JSON by key); nil when there is none.
	Extra map[string]json.RawMessage
}

// Station is one item of the stations view (§3.2 «Узлы учета»): a metering
// station with its meter.
type Station struct {
	ID   int64  // id: pass it as station_id
	Name string // name
	// LastSession is the last communication session (seances_event_time,
	// Unix time, in UTC); zero when the server sent none.
	LastSession        time.Time
	EquipmentTypeID    int64  // equipment_type_id: the corrector type (§3.4.2)
	EquipmentBrandName string // equipment_brand_name: the meter model
	Phone              string // phone
	EquipmentID        int64  // equipment_id: pass it with station_id
	CustomerID         int64  // customer_id
	// Extra holds the members the documentation does not list, as sent
	// (raw JSON by key); nil when there is none.
	Extra map[string]json.RawMessage
}

// Archive returns the parameters to read an archive of this station
// between two dates (inclusive), with the station's id and equipment id
// filled in.
func (s Station) Archive(t ArchiveType, from, to time.Time) ArchiveParams {
	return ArchiveParams{Type: t, StationID: s.ID, EquipmentID: s.EquipmentID, From: from, To: to}
}

// EquipmentType is one item of the equipment types view (§3.5 «Типы
// приборов учета»).
type EquipmentType struct {
	ID            int64  // id
	Name          string // name
	Kind          string // equipment_kind_name
	TelemetryType string // telemetry_type_name
	Resource      string // resource_name
	Description   string // description
	// Extra holds the members the documentation does not list, as sent
	// (raw JSON by key); nil when there is none.
	Extra map[string]json.RawMessage
}

// Channel is one item of the channels view (§3.6 «Каналы»): a channel of
// an equipment type in one archive.
type Channel struct {
	EquipmentTypeID int64       // equipment_type_id
	ArchiveName     string      // archive_type_name
	Archive         ArchiveType // archive_type_varname
	// TelemetryType is telemetry_type_name, the name of the telemetry
	// type, as in the equipment types view (§3.5, e.g. "ББТ-1"); "" when
	// not sent. §3.6 lists the member in its table but leaves it out of
	// its example, and describes it as «Код типа архива», the description
	// that belongs to archive_type_varname: the table's descriptions are
	// shifted by a row, and the name is read as in §3.5.
	TelemetryType string
	Name          string // channel_name
	Code          string // channel_varname
	Unit          string // unit_name
	// Extra holds the members the documentation does not list, as sent
	// (raw JSON by key); nil when there is none.
	Extra map[string]json.RawMessage
}

// Record is one item of the archive view (§3.3 «Архивы показаний»).
type Record struct {
	// Time is event_time, the time of the reading (Unix time, in UTC).
	Time time.Time
	// Readings are the channel values in the server's order. The records
	// of one page keep their readings in shared blocks of at most 1024
	// readings (48 KiB), so a record kept after its page holds its block;
	// each record's slice is capped at its own length, so appending to it
	// copies and never touches another record.
	Readings Readings
	// Extra holds the members the documentation does not list, as sent
	// (raw JSON by key); nil when there is none.
	Extra map[string]json.RawMessage
}

// Setting is one item of the configuration view (§3.7 «Конфигурация»).
type Setting struct {
	Name  string // channel_name
	Value string // channel_data_value, as sent (a string)
	Unit  string // unit_name; "" when null
	// Extra holds the members the documentation does not list, as sent
	// (raw JSON by key); nil when there is none.
	Extra map[string]json.RawMessage
}

// Page is one page of a view with the pagination fields of §1.4.
type Page[T any] struct {
	// Items is the page's data, in the server's order.
	Items []T
	// TotalPages is total_pages.
	TotalPages int
	// CurrentPage is current_page.
	CurrentPage int
	// NextPage is next_page, or 0 when the server sent null (this is the
	// last page).
	NextPage int
}

// wire types: every field lenient, so a number sent as a string or a null
// does not fail a whole page. Each reads itself from the decoder with
// decodeObject, which keeps the members it does not know in Extra.
type (
	userWire struct {
		ID       num
		Email    lenient.String
		Provider lenient.String
		UID      lenient.String
		Name     lenient.String
		Extra    map[string]json.RawMessage
	}
	customerWire struct {
		ID              num
		Name            lenient.String
		SubdivisionType lenient.String
		INN             lenient.String
		ContactNumber   lenient.String
		Extra           map[string]json.RawMessage
	}
	stationWire struct {
		ID                 num
		Name               lenient.String
		SeancesEventTime   num
		EquipmentTypeID    num
		EquipmentBrandName lenient.String
		Phone              lenient.String
		EquipmentID        num
		CustomerID         num
		Extra              map[string]json.RawMessage
	}
	equipmentTypeWire struct {
		ID            num
		Name          lenient.String
		Kind          lenient.String
		TelemetryType lenient.String
		Resource      lenient.String
		Description   lenient.String
		Extra         map[string]json.RawMessage
	}
	channelWire struct {
		EquipmentTypeID num
		ArchiveName     lenient.String
		Archive         lenient.String
		TelemetryType   lenient.String
		Name            lenient.String
		Code            lenient.String
		Unit            lenient.String
		Extra           map[string]json.RawMessage
	}
	recordWire struct {
		EventTime num
		Readings  Readings
		Extra     map[string]json.RawMessage
	}
	settingWire struct {
		Name  lenient.String
		Value lenient.String
		Unit  lenient.String
		Extra map[string]json.RawMessage
	}
)

// UnmarshalJSONFrom decodes the "data" of the sign-in answer (§2).
func (w *userWire) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*w = userWire{}
	var err error
	w.Extra, err = decodeObject(dec, []member{
		{"id", &w.ID}, {"email", &w.Email}, {"provider", &w.Provider}, {"uid", &w.UID}, {"name", &w.Name},
	})
	return err
}

// decode reads an item of §3.1.
func (w *customerWire) decode(dec *jsontext.Decoder, _ *decodeState) error {
	var err error
	w.Extra, err = decodeObject(dec, []member{
		{"id", &w.ID}, {"name", &w.Name}, {"subdivision_type_name", &w.SubdivisionType},
		{"inn", &w.INN}, {"contact_number", &w.ContactNumber},
	})
	return err
}

// decode reads an item of §3.2.
func (w *stationWire) decode(dec *jsontext.Decoder, _ *decodeState) error {
	var err error
	w.Extra, err = decodeObject(dec, []member{
		{"id", &w.ID}, {"name", &w.Name}, {"seances_event_time", &w.SeancesEventTime},
		{"equipment_type_id", &w.EquipmentTypeID}, {"equipment_brand_name", &w.EquipmentBrandName},
		{"phone", &w.Phone}, {"equipment_id", &w.EquipmentID}, {"customer_id", &w.CustomerID},
	})
	return err
}

// decode reads an item of §3.5.
func (w *equipmentTypeWire) decode(dec *jsontext.Decoder, _ *decodeState) error {
	var err error
	w.Extra, err = decodeObject(dec, []member{
		{"id", &w.ID}, {"name", &w.Name}, {"equipment_kind_name", &w.Kind},
		{"telemetry_type_name", &w.TelemetryType}, {"resource_name", &w.Resource}, {"description", &w.Description},
	})
	return err
}

// decode reads an item of §3.6.
func (w *channelWire) decode(dec *jsontext.Decoder, _ *decodeState) error {
	var err error
	w.Extra, err = decodeObject(dec, []member{
		{"equipment_type_id", &w.EquipmentTypeID}, {"archive_type_name", &w.ArchiveName},
		{"archive_type_varname", &w.Archive}, {"telemetry_type_name", &w.TelemetryType},
		{"channel_name", &w.Name}, {"channel_varname", &w.Code}, {"unit_name", &w.Unit},
	})
	return err
}

// decode reads an item of §3.3; its readings go into the page's blocks.
func (w *recordWire) decode(dec *jsontext.Decoder, st *decodeState) error {
	st.channelData = readingsInto{st: st, rs: &w.Readings}
	var err error
	w.Extra, err = decodeObject(dec, []member{{"event_time", &w.EventTime}, {"channel_data", &st.channelData}})
	return err
}

// decode reads an item of §3.7.
func (w *settingWire) decode(dec *jsontext.Decoder, _ *decodeState) error {
	var err error
	w.Extra, err = decodeObject(dec, []member{
		{"channel_name", &w.Name}, {"channel_data_value", &w.Value}, {"unit_name", &w.Unit},
	})
	return err
}

// unixUTC converts a Unix time in seconds; absent stays the zero time.
func unixUTC(n num) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.N, 0).UTC()
}

func (w userWire) public() User {
	return User{ID: w.ID.N, Email: w.Email.S, Provider: w.Provider.S, UID: w.UID.S, Name: w.Name.S, Extra: w.Extra}
}

func (w customerWire) public() Customer {
	return Customer{ID: w.ID.N, Name: w.Name.S, SubdivisionType: w.SubdivisionType.S, INN: w.INN.S, ContactNumber: w.ContactNumber.S, Extra: w.Extra}
}

func (w stationWire) public() Station {
	return Station{
		ID: w.ID.N, Name: w.Name.S, LastSession: unixUTC(w.SeancesEventTime),
		EquipmentTypeID: w.EquipmentTypeID.N, EquipmentBrandName: w.EquipmentBrandName.S,
		Phone: w.Phone.S, EquipmentID: w.EquipmentID.N, CustomerID: w.CustomerID.N, Extra: w.Extra,
	}
}

func (w equipmentTypeWire) public() EquipmentType {
	return EquipmentType{ID: w.ID.N, Name: w.Name.S, Kind: w.Kind.S, TelemetryType: w.TelemetryType.S, Resource: w.Resource.S, Description: w.Description.S, Extra: w.Extra}
}

func (w channelWire) public() Channel {
	return Channel{
		EquipmentTypeID: w.EquipmentTypeID.N, ArchiveName: w.ArchiveName.S, Archive: ArchiveType(w.Archive.S),
		TelemetryType: w.TelemetryType.S, Name: w.Name.S, Code: w.Code.S, Unit: w.Unit.S, Extra: w.Extra,
	}
}

func (w recordWire) public() Record {
	return Record{Time: unixUTC(w.EventTime), Readings: w.Readings, Extra: w.Extra}
}

func (w settingWire) public() Setting {
	return Setting{Name: w.Name.S, Value: w.Value.S, Unit: w.Unit.S, Extra: w.Extra}
}
