package openschool

import (
	"encoding/json"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/shopspring/decimal"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// The API is served by a Perl back end: values taken from the database are
// JSON strings ("21", "73196.3900"), computed ones are numbers (0), a missing
// value is null, and the documentation spells some keys with a capital first
// letter ("Id_task") and others without. Every type below decodes all of
// these; identifiers stay strings, money is an exact decimal.Decimal (an
// absent amount is zero), and dates are time.Time in [Location].

// kyivZone places zone-less wire times in Europe/Kyiv.
type kyivZone struct{}

func (kyivZone) Location() *time.Location { return Location }

type (
	wString  = lenient.String
	wInt     = lenient.Int
	wDecimal = lenient.Decimal
	wBool    = lenient.Bool
)

// wTime is lenient.TimeIn[kyivZone] (the same fields, the same values
// accepted and refused) that reads the back end's two forms,
// "2006-01-02 15:04:05" and "2006-01-02", without allocating; any other
// value is left to lenient.TimeIn.
type wTime lenient.TimeIn[kyivZone]

// UnmarshalJSON implements encoding/json's Unmarshaler.
func (t *wTime) UnmarshalJSON(raw []byte) error {
	if v, ok := perlTime(raw); ok {
		*t = wTime{T: v, Valid: true}
		return nil
	}
	return (*lenient.TimeIn[kyivZone])(t).UnmarshalJSON(raw)
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (t *wTime) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return t.UnmarshalJSON(raw)
}

// perlTime reads raw when it is a JSON string exactly in the form
// "2006-01-02 15:04:05" or "2006-01-02" holding a valid date and time (two
// digits to a field, no fraction), as time.ParseInLocation reads it in
// Location; for anything else it reports false.
func perlTime(raw []byte) (time.Time, bool) {
	n := len(raw) - 2
	if (n != len("2006-01-02") && n != len("2006-01-02 15:04:05")) || raw[0] != '"' || raw[n+1] != '"' {
		return time.Time{}, false
	}
	s := raw[1 : n+1]
	num := func(at, width int) int {
		v := 0
		for _, c := range s[at : at+width] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	if s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := 0, 0, 0
	if n > len("2006-01-02") {
		if s[10] != ' ' || s[13] != ':' || s[16] != ':' {
			return time.Time{}, false
		}
		hour, minute, sec = num(11, 2), num(14, 2), num(17, 2)
	}
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, Location), true
}

// daysIn is the number of days of month in year (proleptic Gregorian).
func daysIn(month time.Month, year int) int {
	switch month {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// wire is a decoded wire struct that converts to its public type. The
// client decodes whole answers into wire structs and converts once, so
// nested objects are scanned a single time.
type wire[T any] interface{ public() T }

// decodeVia decodes b into the wire struct W in one pass (lenient.Unmarshal:
// encoding/json's rules on the v2 decoder) and stores its public form in dst.
// It backs the public types' UnmarshalJSON, for encoding/json users.
func decodeVia[W wire[T], T any](b []byte, dst *T) error {
	var w W
	if err := lenient.Unmarshal(b, &w); err != nil {
		return err
	}
	*dst = w.public()
	return nil
}

// decodeFrom reads the next value of dec into the wire struct W, in place
// and under encoding/json's rules whatever dec's options, and stores its
// public form in dst. It backs the public types' UnmarshalJSONFrom, for
// users of the v2 API (github.com/go-json-experiment/json), whose decoder
// hands the value over without copying it.
func decodeFrom[W wire[T], T any](dec *jsontext.Decoder, dst *T) error {
	var w W
	if err := jsonv2.UnmarshalDecode(dec, &w, lenient.Options()); err != nil {
		return err
	}
	*dst = w.public()
	return nil
}

// publicAll converts a slice of wire structs; nil stays nil.
func publicAll[W wire[T], T any](ws []W) []T {
	if ws == nil {
		return nil
	}
	out := make([]T, len(ws))
	for i, w := range ws {
		out[i] = w.public()
	}
	return out
}

// Absent lenient values are zero, so these read them directly.
func str(v wString) string           { return v.S }
func dec(v wDecimal) decimal.Decimal { return v.D }
func num(v wInt) int64               { return v.N }
func flag(v wBool) bool              { return v.B }
func tm(v wTime) time.Time           { return v.T }

// Region is one entry of action=regions (§1 "Отримання списку регіонів").
type Region struct {
	ID   string // id
	Name string // name, e.g. "Івано-франківська область"
}

type regionWire struct {
	ID   wString `json:"id"`
	Name wString `json:"name"`
}

// UnmarshalJSON decodes the API's region object.
func (r *Region) UnmarshalJSON(b []byte) error { return decodeVia[regionWire](b, r) }

// UnmarshalJSONFrom decodes the API's region object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (r *Region) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeFrom[regionWire](dec, r)
}

func (w regionWire) public() Region {
	return Region{ID: str(w.ID), Name: str(w.Name)}
}

// Period is one reporting period of action=periods (§2 "Отримуємо список
// звітних періодів"). Its dates describe the period only; they do not filter
// anything.
type Period struct {
	ID        string    // id_period
	Name      string    // name, e.g. "Внесено в систему до 01.09.2017"
	DateStart time.Time // date_start
	DateEnd   time.Time // date_end
	// Current is true for the current period (current_period = 1; undef otherwise).
	Current bool
	// ParentID is the previous period's id (parent), "" when undef.
	ParentID string
}

type periodWire struct {
	ID        wString `json:"id_period"`
	Name      wString `json:"name"`
	DateStart wTime   `json:"date_start"`
	DateEnd   wTime   `json:"date_end"`
	Current   wBool   `json:"current_period"`
	Parent    wString `json:"parent"`
}

// UnmarshalJSON decodes the API's period object.
func (p *Period) UnmarshalJSON(b []byte) error { return decodeVia[periodWire](b, p) }

// UnmarshalJSONFrom decodes the API's period object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (p *Period) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeFrom[periodWire](dec, p)
}

func (w periodWire) public() Period {
	return Period{ID: str(w.ID), Name: str(w.Name), DateStart: tm(w.DateStart), DateEnd: tm(w.DateEnd),
		Current: flag(w.Current), ParentID: str(w.Parent)}
}

// Schools is the answer of action=schools (§3 "Отримуємо список шкіл і суми").
type Schools struct {
	// Stock is schools_stock: the money received by all schools selected.
	Stock   decimal.Decimal
	Schools []School
}

type schoolsWire struct {
	Stock   wDecimal     `json:"schools_stock"`
	Schools []schoolWire `json:"schools"`
}

// UnmarshalJSON decodes the API's schools answer.
func (s *Schools) UnmarshalJSON(b []byte) error { return decodeVia[schoolsWire](b, s) }

// UnmarshalJSONFrom decodes the API's schools answer in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (s *Schools) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeFrom[schoolsWire](dec, s)
}

func (w schoolsWire) public() Schools {
	return Schools{Stock: dec(w.Stock), Schools: publicAll(w.Schools)}
}

// School is one school with its sums for the selected period or dates.
type School struct {
	ID          string // id_school
	Name        string // name
	Description string // description
	Address     string // address
	Phone       string // phone
	RegionID    string // id_region
	Region      string // region: the region's name
	// Amount is the money planned for new tasks (amount; zero when undef).
	Amount decimal.Decimal
	// Stock is the money received (stock).
	Stock decimal.Decimal
	// Spend is the money spent (spend).
	Spend decimal.Decimal
	// Balance is received minus spent (balance).
	Balance decimal.Decimal
}

type schoolWire struct {
	ID          wString  `json:"id_school"`
	Name        wString  `json:"name"`
	Description wString  `json:"description"`
	Address     wString  `json:"address"`
	Phone       wString  `json:"phone"`
	RegionID    wString  `json:"id_region"`
	Region      wString  `json:"region"`
	Amount      wDecimal `json:"amount"`
	Stock       wDecimal `json:"stock"`
	Spend       wDecimal `json:"spend"`
	Balance     wDecimal `json:"balance"`
}

// UnmarshalJSON decodes the API's school object.
func (s *School) UnmarshalJSON(b []byte) error { return decodeVia[schoolWire](b, s) }

// UnmarshalJSONFrom decodes the API's school object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (s *School) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeFrom[schoolWire](dec, s)
}

func (w schoolWire) public() School {
	return School{ID: str(w.ID), Name: str(w.Name), Description: str(w.Description), Address: str(w.Address),
		Phone: str(w.Phone), RegionID: str(w.RegionID), Region: str(w.Region), Amount: dec(w.Amount),
		Stock: dec(w.Stock), Spend: dec(w.Spend), Balance: dec(w.Balance)}
}

// TaskStatus is a task's status (task_status / status).
type TaskStatus string

// The task statuses of the documentation.
const (
	StatusTodo       TaskStatus = "todo"
	StatusInProgress TaskStatus = "inprogress"
	StatusDone       TaskStatus = "done"
)

// Valid reports whether s is one of the documented statuses.
func (s TaskStatus) Valid() bool {
	return s == StatusTodo || s == StatusInProgress || s == StatusDone
}

// Task is one task with its reports, the answer of action=tasks&id_task=…
// (§4, response 1).
type Task struct {
	ID          string     // id_task
	Name        string     // name
	Description string     // description
	Status      TaskStatus // status
	Node        string     // node: the kind of entity, "school"
	Item        string     // item: the entity's id (id_school)
	PeriodID    string     // id_period: the period the task was added in
	Label       string     // label: the task's category name
	// Amount is the money planned for the task (amount).
	Amount decimal.Decimal
	// GovernmentSpend is the money spent from the budget (government_spend).
	GovernmentSpend decimal.Decimal
	Deadline        time.Time // deadline: planned completion date
	DateAdd         time.Time // date_add
	DateUpdate      time.Time // date_update
	Archived        bool      // archive = 1
	// ParentTaskID is the task this one was copied from at a period change
	// (parent_task), "" when undef.
	ParentTaskID string
	ProfileID    string // id_profile: the user who added the task
	Vote         Vote
	Reports      []Report
	// Comments are kept as the server sent them: the documentation only ever
	// shows an empty list, so their fields are unknown.
	Comments []json.RawMessage
}

type taskWire struct {
	ID              wString           `json:"id_task"`
	Name            wString           `json:"name"`
	Description     wString           `json:"description"`
	Status          wString           `json:"status"`
	Node            wString           `json:"node"`
	Item            wString           `json:"item"`
	PeriodID        wString           `json:"id_period"`
	Label           wString           `json:"label"`
	Amount          wDecimal          `json:"amount"`
	GovernmentSpend wDecimal          `json:"government_spend"`
	Deadline        wTime             `json:"deadline"`
	DateAdd         wTime             `json:"date_add"`
	DateUpdate      wTime             `json:"date_update"`
	Archive         wBool             `json:"archive"`
	ParentTask      wString           `json:"parent_task"`
	ProfileID       wString           `json:"id_profile"`
	Vote            *voteWire         `json:"vote"`
	Reports         []reportWire      `json:"reports"`
	Comments        []json.RawMessage `json:"comments"`
}

// UnmarshalJSON decodes the API's task object.
func (t *Task) UnmarshalJSON(b []byte) error { return decodeVia[taskWire](b, t) }

// UnmarshalJSONFrom decodes the API's task object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (t *Task) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return decodeFrom[taskWire](dec, t) }

func (w taskWire) public() Task {
	out := Task{ID: str(w.ID), Name: str(w.Name), Description: str(w.Description), Status: TaskStatus(str(w.Status)),
		Node: str(w.Node), Item: str(w.Item), PeriodID: str(w.PeriodID), Label: str(w.Label), Amount: dec(w.Amount),
		GovernmentSpend: dec(w.GovernmentSpend), Deadline: tm(w.Deadline), DateAdd: tm(w.DateAdd),
		DateUpdate: tm(w.DateUpdate), Archived: flag(w.Archive), ParentTaskID: str(w.ParentTask),
		ProfileID: str(w.ProfileID), Reports: publicAll(w.Reports), Comments: w.Comments}
	if w.Vote != nil {
		out.Vote = w.Vote.public()
	}
	return out
}

// Vote is a task's rating (vote).
type Vote struct {
	Count int64 // count: number of votes
	// Value is the average mark (value); IntPart and DecPart are its whole
	// and decimal parts as the server splits them (int_part, dec_part).
	Value   decimal.Decimal
	IntPart int64
	DecPart int64
}

type voteWire struct {
	Count   wInt     `json:"count"`
	Value   wDecimal `json:"value"`
	IntPart wInt     `json:"int_part"`
	DecPart wInt     `json:"dec_part"`
}

// UnmarshalJSON decodes the API's vote object.
func (v *Vote) UnmarshalJSON(b []byte) error { return decodeVia[voteWire](b, v) }

// UnmarshalJSONFrom decodes the API's vote object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (v *Vote) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return decodeFrom[voteWire](dec, v) }

func (w voteWire) public() Vote {
	return Vote{Count: num(w.Count), Value: dec(w.Value), IntPart: num(w.IntPart), DecPart: num(w.DecPart)}
}

// Report is a report on a task (reports[]).
type Report struct {
	ID          string // id_report
	TaskID      string // id_task
	Name        string // name
	Description string // description
	// Spend is the money actually spent (spend).
	Spend decimal.Decimal
	// Government is true when the money came from the budget (government = 1).
	Government bool
	Archived   bool      // archive = 1
	DateAdd    time.Time // date_add
	ProfileID  string    // id_profile: the user who added the report
	Images     []Image
	// Comments are kept raw; see Task.Comments.
	Comments []json.RawMessage
}

type reportWire struct {
	ID          wString           `json:"id_report"`
	TaskID      wString           `json:"id_task"`
	Name        wString           `json:"name"`
	Description wString           `json:"description"`
	Spend       wDecimal          `json:"spend"`
	Government  wBool             `json:"government"`
	Archive     wBool             `json:"archive"`
	DateAdd     wTime             `json:"date_add"`
	ProfileID   wString           `json:"id_profile"`
	Images      []imageWire       `json:"images"`
	Comments    []json.RawMessage `json:"comments"`
}

// UnmarshalJSON decodes the API's report object.
func (r *Report) UnmarshalJSON(b []byte) error { return decodeVia[reportWire](b, r) }

// UnmarshalJSONFrom decodes the API's report object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (r *Report) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeFrom[reportWire](dec, r)
}

func (w reportWire) public() Report {
	return Report{ID: str(w.ID), TaskID: str(w.TaskID), Name: str(w.Name), Description: str(w.Description),
		Spend: dec(w.Spend), Government: flag(w.Government), Archived: flag(w.Archive), DateAdd: tm(w.DateAdd),
		ProfileID: str(w.ProfileID), Images: publicAll(w.Images), Comments: w.Comments}
}

// Image is a file attached to a report (images[]).
type Image struct {
	URL string // image_url
}

type imageWire struct {
	URL wString `json:"image_url"`
}

// UnmarshalJSON decodes the API's image object.
func (i *Image) UnmarshalJSON(b []byte) error { return decodeVia[imageWire](b, i) }

// UnmarshalJSONFrom decodes the API's image object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (i *Image) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return decodeFrom[imageWire](dec, i) }

func (w imageWire) public() Image { return Image{URL: str(w.URL)} }

// TaskSummary is one task of a list, the answer of action=tasks&node=…&item=…
// (§4, response 2). It carries counts instead of the nested reports.
type TaskSummary struct {
	ID          string     // id_task
	Name        string     // name
	Description string     // description
	Status      TaskStatus // status
	Node        string     // node
	Item        string     // item (id_school)
	PeriodID    string     // id_period
	Label       string     // label
	// Amount is the money planned (amount); Spend the money spent (spend),
	// counted for the payment_type asked for.
	Amount       decimal.Decimal
	Spend        decimal.Decimal
	Deadline     time.Time // deadline
	DateAdd      time.Time // date_add
	DateUpdate   time.Time // date_update
	Archived     bool      // archive = 1
	ParentTaskID string    // parent_task, "" when undef
	ProfileID    string    // id_profile
	VoteCount    int64     // vote_count
	// Vote is the task's rating (vote).
	Vote        decimal.Decimal
	ReportCount int64 // report_count
}

type taskSummaryWire struct {
	ID          wString  `json:"id_task"`
	Name        wString  `json:"name"`
	Description wString  `json:"description"`
	Status      wString  `json:"status"`
	Node        wString  `json:"node"`
	Item        wString  `json:"item"`
	PeriodID    wString  `json:"id_period"`
	Label       wString  `json:"label"`
	Amount      wDecimal `json:"amount"`
	Spend       wDecimal `json:"spend"`
	Deadline    wTime    `json:"deadline"`
	DateAdd     wTime    `json:"date_add"`
	DateUpdate  wTime    `json:"date_update"`
	Archive     wBool    `json:"archive"`
	ParentTask  wString  `json:"parent_task"`
	ProfileID   wString  `json:"id_profile"`
	VoteCount   wInt     `json:"vote_count"`
	Vote        wDecimal `json:"vote"`
	ReportCount wInt     `json:"report_count"`
}

// UnmarshalJSON decodes the API's task list entry.
func (t *TaskSummary) UnmarshalJSON(b []byte) error { return decodeVia[taskSummaryWire](b, t) }

// UnmarshalJSONFrom decodes the API's task list entry in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (t *TaskSummary) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeFrom[taskSummaryWire](dec, t)
}

func (w taskSummaryWire) public() TaskSummary {
	return TaskSummary{ID: str(w.ID), Name: str(w.Name), Description: str(w.Description),
		Status: TaskStatus(str(w.Status)), Node: str(w.Node), Item: str(w.Item), PeriodID: str(w.PeriodID),
		Label: str(w.Label), Amount: dec(w.Amount), Spend: dec(w.Spend), Deadline: tm(w.Deadline),
		DateAdd: tm(w.DateAdd), DateUpdate: tm(w.DateUpdate), Archived: flag(w.Archive),
		ParentTaskID: str(w.ParentTask), ProfileID: str(w.ProfileID), VoteCount: num(w.VoteCount),
		Vote: dec(w.Vote), ReportCount: num(w.ReportCount)}
}

// Label is a task category of action=labels (§5 "Список всіх категорій").
type Label struct {
	ID   string // id_label
	Name string // name, e.g. "Будівельні матеріали"
}

type labelWire struct {
	ID   wString `json:"id_label"`
	Name wString `json:"name"`
}

// UnmarshalJSON decodes the API's label object.
func (l *Label) UnmarshalJSON(b []byte) error { return decodeVia[labelWire](b, l) }

// UnmarshalJSONFrom decodes the API's label object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (l *Label) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return decodeFrom[labelWire](dec, l) }

func (w labelWire) public() Label {
	return Label{ID: str(w.ID), Name: str(w.Name)}
}

// GovernmentPayment is one budget payment of action=governmentpayments
// (§6 "Список всіх бюджетних платежів"), returned under the key "block".
type GovernmentPayment struct {
	ID            string // id_payment
	BookkeepingID string // id_bookkeeping
	Bookkeeping   Bookkeeping
	RecipientID   string // id_recipient
	Recipient     Recipient
	SchoolID      string // id_school
	School        PaymentSchool
	DocNumber     string // doc_number: number in the bookkeeping system
	MasterID      string // master_id: payment number in the treasury system
	// Confirmed is true when a super-administrator confirmed the payment.
	Confirmed bool
	// Amount is the transaction sum (amount).
	Amount decimal.Decimal
	// Details is the payment purpose (payment_details).
	Details string
	// ProfileID is the user who entered the payment by hand, "0" for imports.
	ProfileID string
	DocDate   time.Time // doc_date
	DocVDate  time.Time // doc_v_date
	TransDate time.Time // trans_date
	Label     string    // label: the payment's category name
}

type paymentWire struct {
	ID            wString           `json:"id_payment"`
	BookkeepingID wString           `json:"id_bookkeeping"`
	Bookkeeping   bookkeepingWire   `json:"bookkeeping"`
	RecipientID   wString           `json:"id_recipient"`
	Recipient     recipientWire     `json:"recipient"`
	SchoolID      wString           `json:"id_school"`
	School        paymentSchoolWire `json:"school"`
	DocNumber     wString           `json:"doc_number"`
	MasterID      wString           `json:"master_id"`
	Confirmed     wBool             `json:"confirmed"`
	Amount        wDecimal          `json:"amount"`
	Details       wString           `json:"payment_details"`
	ProfileID     wString           `json:"id_profile"`
	DocDate       wTime             `json:"doc_date"`
	DocVDate      wTime             `json:"doc_v_date"`
	TransDate     wTime             `json:"trans_date"`
	Label         wString           `json:"label"`
}

// UnmarshalJSON decodes the API's payment object.
func (p *GovernmentPayment) UnmarshalJSON(b []byte) error { return decodeVia[paymentWire](b, p) }

// UnmarshalJSONFrom decodes the API's payment object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (p *GovernmentPayment) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeFrom[paymentWire](dec, p)
}

func (w paymentWire) public() GovernmentPayment {
	return GovernmentPayment{ID: str(w.ID), BookkeepingID: str(w.BookkeepingID), Bookkeeping: w.Bookkeeping.public(),
		RecipientID: str(w.RecipientID), Recipient: w.Recipient.public(), SchoolID: str(w.SchoolID), School: w.School.public(),
		DocNumber: str(w.DocNumber), MasterID: str(w.MasterID), Confirmed: flag(w.Confirmed), Amount: dec(w.Amount),
		Details: str(w.Details), ProfileID: str(w.ProfileID), DocDate: tm(w.DocDate), DocVDate: tm(w.DocVDate),
		TransDate: tm(w.TransDate), Label: str(w.Label)}
}

// Bookkeeping is the accounting office that serves a school (bookkeeping).
type Bookkeeping struct {
	ID         string    // id_bookkeeping
	EDRPOU     string    // edrpou
	Name       string    // name
	Bank       string    // bank
	MFO        string    // mfo: the bank's code
	Account    string    // account
	LastUpdate time.Time // last_update
}

type bookkeepingWire struct {
	ID         wString `json:"id_bookkeeping"`
	EDRPOU     wString `json:"edrpou"`
	Name       wString `json:"name"`
	Bank       wString `json:"bank"`
	MFO        wString `json:"mfo"`
	Account    wString `json:"account"`
	LastUpdate wTime   `json:"last_update"`
}

// UnmarshalJSON decodes the API's bookkeeping object.
func (k *Bookkeeping) UnmarshalJSON(b []byte) error { return decodeVia[bookkeepingWire](b, k) }

// UnmarshalJSONFrom decodes the API's bookkeeping object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (k *Bookkeeping) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeFrom[bookkeepingWire](dec, k)
}

func (w bookkeepingWire) public() Bookkeeping {
	return Bookkeeping{ID: str(w.ID), EDRPOU: str(w.EDRPOU), Name: str(w.Name), Bank: str(w.Bank), MFO: str(w.MFO),
		Account: str(w.Account), LastUpdate: tm(w.LastUpdate)}
}

// Recipient is the payee of a budget payment (recipient).
type Recipient struct {
	ID      string // id_recipient
	EDRPOU  string // edrpou
	Name    string // name
	Bank    string // bank
	MFO     string // mfo
	Account string // account
}

type recipientWire struct {
	ID      wString `json:"id_recipient"`
	EDRPOU  wString `json:"edrpou"`
	Name    wString `json:"name"`
	Bank    wString `json:"bank"`
	MFO     wString `json:"mfo"`
	Account wString `json:"account"`
}

// UnmarshalJSON decodes the API's recipient object.
func (r *Recipient) UnmarshalJSON(b []byte) error { return decodeVia[recipientWire](b, r) }

// UnmarshalJSONFrom decodes the API's recipient object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (r *Recipient) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeFrom[recipientWire](dec, r)
}

func (w recipientWire) public() Recipient {
	return Recipient{ID: str(w.ID), EDRPOU: str(w.EDRPOU), Name: str(w.Name), Bank: str(w.Bank), MFO: str(w.MFO),
		Account: str(w.Account)}
}

// PaymentSchool is the school a budget payment belongs to (school).
type PaymentSchool struct {
	ID            string // id_school
	Name          string // name
	Description   string // description
	Address       string // address
	Phone         string // phone
	BookkeepingID string // bookkeeping: the id of the serving bookkeeping
	Postfix       string // postfix: the school's number
	RegionID      string // id_region
}

type paymentSchoolWire struct {
	ID            wString `json:"id_school"`
	Name          wString `json:"name"`
	Description   wString `json:"description"`
	Address       wString `json:"address"`
	Phone         wString `json:"phone"`
	BookkeepingID wString `json:"bookkeeping"`
	Postfix       wString `json:"postfix"`
	RegionID      wString `json:"id_region"`
}

// UnmarshalJSON decodes the API's school object inside a payment.
func (s *PaymentSchool) UnmarshalJSON(b []byte) error { return decodeVia[paymentSchoolWire](b, s) }

// UnmarshalJSONFrom decodes the API's school object inside a payment in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (s *PaymentSchool) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeFrom[paymentSchoolWire](dec, s)
}

func (w paymentSchoolWire) public() PaymentSchool {
	return PaymentSchool{ID: str(w.ID), Name: str(w.Name), Description: str(w.Description), Address: str(w.Address),
		Phone: str(w.Phone), BookkeepingID: str(w.BookkeepingID), Postfix: str(w.Postfix), RegionID: str(w.RegionID)}
}
