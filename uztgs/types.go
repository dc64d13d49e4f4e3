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

var userKeys = []string{"id", "email", "provider", "uid", "name"}

// signInData is the "data" of the sign-in answer (§2): the account, and
// its id as sent, which the answer must hold.
type signInData struct {
	User
	id num
}

// UnmarshalJSONFrom decodes the "data" of the sign-in answer (§2).
func (d *signInData) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*d = signInData{}
	err := readItem(dec, &d.Extra, userKeys, &d.id, &d.Email, &d.Provider, &d.UID, &d.Name)
	d.ID = d.id.N
	return err
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

var customerKeys = []string{"id", "name", "subdivision_type_name", "inn", "contact_number"}

// decode reads an item of §3.1.
func (c *Customer) decode(dec *jsontext.Decoder, _ *decodeState) error {
	return readItem(dec, &c.Extra, customerKeys, &c.ID, &c.Name, &c.SubdivisionType, &c.INN, &c.ContactNumber)
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

var stationKeys = []string{"id", "name", "seances_event_time", "equipment_type_id", "equipment_brand_name", "phone",
	"equipment_id", "customer_id"}

// decode reads an item of §3.2.
func (s *Station) decode(dec *jsontext.Decoder, _ *decodeState) error {
	return readItem(dec, &s.Extra, stationKeys, &s.ID, &s.Name, unixTime{&s.LastSession}, &s.EquipmentTypeID,
		&s.EquipmentBrandName, &s.Phone, &s.EquipmentID, &s.CustomerID)
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

var equipmentTypeKeys = []string{"id", "name", "equipment_kind_name", "telemetry_type_name", "resource_name", "description"}

// decode reads an item of §3.5.
func (e *EquipmentType) decode(dec *jsontext.Decoder, _ *decodeState) error {
	return readItem(dec, &e.Extra, equipmentTypeKeys, &e.ID, &e.Name, &e.Kind, &e.TelemetryType, &e.Resource, &e.Description)
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

var channelKeys = []string{"equipment_type_id", "archive_type_name", "archive_type_varname", "telemetry_type_name",
	"channel_name", "channel_varname", "unit_name"}

// decode reads an item of §3.6.
func (c *Channel) decode(dec *jsontext.Decoder, _ *decodeState) error {
	return readItem(dec, &c.Extra, channelKeys, &c.EquipmentTypeID, &c.ArchiveName, (*string)(&c.Archive),
		&c.TelemetryType, &c.Name, &c.Code, &c.Unit)
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

var recordKeys = []string{"event_time", "channel_data"}

// decode reads an item of §3.3; its readings go into the page's blocks.
func (r *Record) decode(dec *jsontext.Decoder, st *decodeState) error {
	st.channelData = readingsInto{st: st, rs: &r.Readings}
	return readItem(dec, &r.Extra, recordKeys, unixTime{&r.Time}, &st.channelData)
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

var settingKeys = []string{"channel_name", "channel_data_value", "unit_name"}

// decode reads an item of §3.7.
func (s *Setting) decode(dec *jsontext.Decoder, _ *decodeState) error {
	return readItem(dec, &s.Extra, settingKeys, &s.Name, &s.Value, &s.Unit)
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

// readItem reads an item of a view, or null (nothing), in one pass: the
// member keys[i] into dsts[i] (lenient.Read: a number sent as a string or
// a null does not fail a whole page), every other member, as sent, into
// *extra (nil when there is none). Of a key sent twice the last counts,
// also when an earlier value was refused.
func readItem(dec *jsontext.Decoder, extra *map[string]json.RawMessage, keys []string, dsts ...any) error {
	var err error
	*extra, err = lenient.ReadObject(dec, lenient.KeepOthers|lenient.LastCounts, keys, dsts...)
	return err
}

// unixTime reads a Unix time in seconds (a [num]) into a time.Time in
// UTC; an absent one is the zero time.
type unixTime struct{ t *time.Time }

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (u unixTime) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var n num
	if err := n.UnmarshalJSONFrom(dec); err != nil {
		return err
	}
	*u.t = time.Time{}
	if n.Valid {
		*u.t = time.Unix(n.N, 0).UTC()
	}
	return nil
}
