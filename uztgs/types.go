package uztgs

import (
	"time"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// User is the account a sign-in answers with (§2, the "data" of the
// sign_in response).
type User struct {
	ID       int64
	Email    string
	Provider string
	UID      string
	Name     string
}

// Customer is one item of the customers view (§3.1 «Потребители»).
type Customer struct {
	ID              int64  // id
	Name            string // name
	SubdivisionType string // subdivision_type_name, e.g. "Владелец ПУУ"
	INN             string // inn: taxpayer number, kept as sent (leading zeros)
	ContactNumber   string // contact_number
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
}

// Channel is one item of the channels view (§3.6 «Каналы»): a channel of
// an equipment type in one archive.
type Channel struct {
	EquipmentTypeID int64       // equipment_type_id
	ArchiveName     string      // archive_type_name
	Archive         ArchiveType // archive_type_varname
	Name            string      // channel_name
	Code            string      // channel_varname
	Unit            string      // unit_name
}

// Record is one item of the archive view (§3.3 «Архивы показаний»).
type Record struct {
	// Time is event_time, the time of the reading (Unix time, in UTC).
	Time time.Time
	// Readings are the channel values in the server's order.
	Readings Readings
}

// Setting is one item of the configuration view (§3.7 «Конфигурация»).
type Setting struct {
	Name  string // channel_name
	Value string // channel_data_value, as sent (a string)
	Unit  string // unit_name; "" when null
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
// does not fail a whole page.
type (
	userWire struct {
		ID       lenient.Int    `json:"id"`
		Email    lenient.String `json:"email"`
		Provider lenient.String `json:"provider"`
		UID      lenient.String `json:"uid"`
		Name     lenient.String `json:"name"`
	}
	customerWire struct {
		ID              lenient.Int    `json:"id"`
		Name            lenient.String `json:"name"`
		SubdivisionType lenient.String `json:"subdivision_type_name"`
		INN             lenient.String `json:"inn"`
		ContactNumber   lenient.String `json:"contact_number"`
	}
	stationWire struct {
		ID                 lenient.Int    `json:"id"`
		Name               lenient.String `json:"name"`
		SeancesEventTime   lenient.Int    `json:"seances_event_time"`
		EquipmentTypeID    lenient.Int    `json:"equipment_type_id"`
		EquipmentBrandName lenient.String `json:"equipment_brand_name"`
		Phone              lenient.String `json:"phone"`
		EquipmentID        lenient.Int    `json:"equipment_id"`
		CustomerID         lenient.Int    `json:"customer_id"`
	}
	equipmentTypeWire struct {
		ID            lenient.Int    `json:"id"`
		Name          lenient.String `json:"name"`
		Kind          lenient.String `json:"equipment_kind_name"`
		TelemetryType lenient.String `json:"telemetry_type_name"`
		Resource      lenient.String `json:"resource_name"`
		Description   lenient.String `json:"description"`
	}
	channelWire struct {
		EquipmentTypeID lenient.Int    `json:"equipment_type_id"`
		ArchiveName     lenient.String `json:"archive_type_name"`
		Archive         lenient.String `json:"archive_type_varname"`
		Name            lenient.String `json:"channel_name"`
		Code            lenient.String `json:"channel_varname"`
		Unit            lenient.String `json:"unit_name"`
	}
	recordWire struct {
		EventTime lenient.Int `json:"event_time"`
		Readings  Readings    `json:"channel_data"`
	}
	settingWire struct {
		Name  lenient.String `json:"channel_name"`
		Value lenient.String `json:"channel_data_value"`
		Unit  lenient.String `json:"unit_name"`
	}
)

// unixUTC converts a Unix time in seconds; absent stays the zero time.
func unixUTC(n lenient.Int) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.N, 0).UTC()
}

func (w userWire) public() User {
	return User{ID: w.ID.N, Email: w.Email.S, Provider: w.Provider.S, UID: w.UID.S, Name: w.Name.S}
}

func (w customerWire) public() Customer {
	return Customer{ID: w.ID.N, Name: w.Name.S, SubdivisionType: w.SubdivisionType.S, INN: w.INN.S, ContactNumber: w.ContactNumber.S}
}

func (w stationWire) public() Station {
	return Station{
		ID: w.ID.N, Name: w.Name.S, LastSession: unixUTC(w.SeancesEventTime),
		EquipmentTypeID: w.EquipmentTypeID.N, EquipmentBrandName: w.EquipmentBrandName.S,
		Phone: w.Phone.S, EquipmentID: w.EquipmentID.N, CustomerID: w.CustomerID.N,
	}
}

func (w equipmentTypeWire) public() EquipmentType {
	return EquipmentType{ID: w.ID.N, Name: w.Name.S, Kind: w.Kind.S, TelemetryType: w.TelemetryType.S, Resource: w.Resource.S, Description: w.Description.S}
}

func (w channelWire) public() Channel {
	return Channel{EquipmentTypeID: w.EquipmentTypeID.N, ArchiveName: w.ArchiveName.S, Archive: ArchiveType(w.Archive.S), Name: w.Name.S, Code: w.Code.S, Unit: w.Unit.S}
}

func (w recordWire) public() Record { return Record{Time: unixUTC(w.EventTime), Readings: w.Readings} }

func (w settingWire) public() Setting {
	return Setting{Name: w.Name.S, Value: w.Value.S, Unit: w.Unit.S}
}
