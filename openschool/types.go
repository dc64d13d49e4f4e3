package openschool

import (
	"encoding/json"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/shopspring/decimal"
)

// Each public type below lists the keys of its members in the order of its
// fields, and reads them into its fields in one pass (see decode.go).

// Region is one entry of action=regions (§1 "Отримання списку регіонів").
type Region struct {
	ID   string // id
	Name string // name, e.g. "Івано-франківська область"
}

var regionKeys = []string{"id", "name"}

func (r *Region) decode(dec *jsontext.Decoder) error {
	return readObject(dec, regionKeys, &r.ID, &r.Name)
}

// UnmarshalJSON decodes the API's region object in one pass.
func (r *Region) UnmarshalJSON(b []byte) error { return unmarshal(b, r) }

// UnmarshalJSONFrom decodes the API's region object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (r *Region) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, r) }

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

var periodKeys = []string{"id_period", "name", "date_start", "date_end", "current_period", "parent"}

func (p *Period) decode(dec *jsontext.Decoder) error {
	return readObject(dec, periodKeys, &p.ID, &p.Name, kyivTime{&p.DateStart}, kyivTime{&p.DateEnd}, &p.Current,
		&p.ParentID)
}

// UnmarshalJSON decodes the API's period object in one pass.
func (p *Period) UnmarshalJSON(b []byte) error { return unmarshal(b, p) }

// UnmarshalJSONFrom decodes the API's period object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (p *Period) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, p) }

// Schools is the answer of action=schools (§3 "Отримуємо список шкіл і суми").
type Schools struct {
	// Stock is schools_stock: the money received by all schools selected.
	Stock   decimal.Decimal
	Schools []School
}

var schoolsKeys = []string{"schools_stock", "schools"}

func (s *Schools) decode(dec *jsontext.Decoder) error {
	return readObject(dec, schoolsKeys, money{&s.Stock}, list(&s.Schools))
}

// UnmarshalJSON decodes the API's schools answer in one pass.
func (s *Schools) UnmarshalJSON(b []byte) error { return unmarshal(b, s) }

// UnmarshalJSONFrom decodes the API's schools answer in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (s *Schools) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, s) }

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

var schoolKeys = []string{"id_school", "name", "description", "address", "phone", "id_region", "region", "amount",
	"stock", "spend", "balance"}

func (s *School) decode(dec *jsontext.Decoder) error {
	return readObject(dec, schoolKeys, &s.ID, &s.Name, &s.Description, &s.Address, &s.Phone, &s.RegionID, &s.Region,
		money{&s.Amount}, money{&s.Stock}, money{&s.Spend}, money{&s.Balance})
}

// UnmarshalJSON decodes the API's school object in one pass.
func (s *School) UnmarshalJSON(b []byte) error { return unmarshal(b, s) }

// UnmarshalJSONFrom decodes the API's school object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (s *School) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, s) }

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

var taskKeys = []string{"id_task", "name", "description", "status", "node", "item", "id_period", "label", "amount",
	"government_spend", "deadline", "date_add", "date_update", "archive", "parent_task", "id_profile", "vote",
	"reports", "comments"}

func (t *Task) decode(dec *jsontext.Decoder) error {
	return readObject(dec, taskKeys, &t.ID, &t.Name, &t.Description, (*string)(&t.Status), &t.Node, &t.Item,
		&t.PeriodID, &t.Label, money{&t.Amount}, money{&t.GovernmentSpend}, kyivTime{&t.Deadline},
		kyivTime{&t.DateAdd}, kyivTime{&t.DateUpdate}, &t.Archived, &t.ParentTaskID, &t.ProfileID, nullable(&t.Vote),
		list(&t.Reports), rawList{&t.Comments})
}

// UnmarshalJSON decodes the API's task object in one pass.
func (t *Task) UnmarshalJSON(b []byte) error { return unmarshal(b, t) }

// UnmarshalJSONFrom decodes the API's task object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (t *Task) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, t) }

// Vote is a task's rating (vote).
type Vote struct {
	Count int64 // count: number of votes
	// Value is the average mark (value); IntPart and DecPart are its whole
	// and decimal parts as the server splits them (int_part, dec_part).
	Value   decimal.Decimal
	IntPart int64
	DecPart int64
}

var voteKeys = []string{"count", "value", "int_part", "dec_part"}

func (v *Vote) decode(dec *jsontext.Decoder) error {
	return readObject(dec, voteKeys, &v.Count, money{&v.Value}, &v.IntPart, &v.DecPart)
}

// UnmarshalJSON decodes the API's vote object in one pass.
func (v *Vote) UnmarshalJSON(b []byte) error { return unmarshal(b, v) }

// UnmarshalJSONFrom decodes the API's vote object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (v *Vote) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, v) }

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

var reportKeys = []string{"id_report", "id_task", "name", "description", "spend", "government", "archive", "date_add",
	"id_profile", "images", "comments"}

func (r *Report) decode(dec *jsontext.Decoder) error {
	return readObject(dec, reportKeys, &r.ID, &r.TaskID, &r.Name, &r.Description, money{&r.Spend},
		&r.Government, &r.Archived, kyivTime{&r.DateAdd}, &r.ProfileID, list(&r.Images), rawList{&r.Comments})
}

// UnmarshalJSON decodes the API's report object in one pass.
func (r *Report) UnmarshalJSON(b []byte) error { return unmarshal(b, r) }

// UnmarshalJSONFrom decodes the API's report object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (r *Report) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, r) }

// Image is a file attached to a report (images[]).
type Image struct {
	URL string // image_url
}

var imageKeys = []string{"image_url"}

func (i *Image) decode(dec *jsontext.Decoder) error {
	return readObject(dec, imageKeys, &i.URL)
}

// UnmarshalJSON decodes the API's image object in one pass.
func (i *Image) UnmarshalJSON(b []byte) error { return unmarshal(b, i) }

// UnmarshalJSONFrom decodes the API's image object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (i *Image) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, i) }

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

var taskSummaryKeys = []string{"id_task", "name", "description", "status", "node", "item", "id_period", "label",
	"amount", "spend", "deadline", "date_add", "date_update", "archive", "parent_task", "id_profile", "vote_count",
	"vote", "report_count"}

func (t *TaskSummary) decode(dec *jsontext.Decoder) error {
	return readObject(dec, taskSummaryKeys, &t.ID, &t.Name, &t.Description, (*string)(&t.Status), &t.Node, &t.Item,
		&t.PeriodID, &t.Label, money{&t.Amount}, money{&t.Spend}, kyivTime{&t.Deadline}, kyivTime{&t.DateAdd},
		kyivTime{&t.DateUpdate}, &t.Archived, &t.ParentTaskID, &t.ProfileID, &t.VoteCount, money{&t.Vote},
		&t.ReportCount)
}

// UnmarshalJSON decodes the API's task list entry in one pass.
func (t *TaskSummary) UnmarshalJSON(b []byte) error { return unmarshal(b, t) }

// UnmarshalJSONFrom decodes the API's task list entry in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (t *TaskSummary) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, t) }

// Label is a task category of action=labels (§5 "Список всіх категорій").
type Label struct {
	ID   string // id_label
	Name string // name, e.g. "Будівельні матеріали"
}

var labelKeys = []string{"id_label", "name"}

func (l *Label) decode(dec *jsontext.Decoder) error {
	return readObject(dec, labelKeys, &l.ID, &l.Name)
}

// UnmarshalJSON decodes the API's label object in one pass.
func (l *Label) UnmarshalJSON(b []byte) error { return unmarshal(b, l) }

// UnmarshalJSONFrom decodes the API's label object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (l *Label) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, l) }

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

var governmentPaymentKeys = []string{"id_payment", "id_bookkeeping", "bookkeeping", "id_recipient", "recipient",
	"id_school", "school", "doc_number", "master_id", "confirmed", "amount", "payment_details", "id_profile",
	"doc_date", "doc_v_date", "trans_date", "label"}

func (p *GovernmentPayment) decode(dec *jsontext.Decoder) error {
	return readObject(dec, governmentPaymentKeys, &p.ID, &p.BookkeepingID, obj(&p.Bookkeeping), &p.RecipientID,
		obj(&p.Recipient), &p.SchoolID, obj(&p.School), &p.DocNumber, &p.MasterID, &p.Confirmed,
		money{&p.Amount}, &p.Details, &p.ProfileID, kyivTime{&p.DocDate}, kyivTime{&p.DocVDate},
		kyivTime{&p.TransDate}, &p.Label)
}

// UnmarshalJSON decodes the API's payment object in one pass.
func (p *GovernmentPayment) UnmarshalJSON(b []byte) error { return unmarshal(b, p) }

// UnmarshalJSONFrom decodes the API's payment object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (p *GovernmentPayment) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return unmarshalFrom(dec, p)
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

var bookkeepingKeys = []string{"id_bookkeeping", "edrpou", "name", "bank", "mfo", "account", "last_update"}

func (k *Bookkeeping) decode(dec *jsontext.Decoder) error {
	return readObject(dec, bookkeepingKeys, &k.ID, &k.EDRPOU, &k.Name, &k.Bank, &k.MFO, &k.Account,
		kyivTime{&k.LastUpdate})
}

// UnmarshalJSON decodes the API's bookkeeping object in one pass.
func (k *Bookkeeping) UnmarshalJSON(b []byte) error { return unmarshal(b, k) }

// UnmarshalJSONFrom decodes the API's bookkeeping object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (k *Bookkeeping) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, k) }

// Recipient is the payee of a budget payment (recipient).
type Recipient struct {
	ID      string // id_recipient
	EDRPOU  string // edrpou
	Name    string // name
	Bank    string // bank
	MFO     string // mfo
	Account string // account
}

var recipientKeys = []string{"id_recipient", "edrpou", "name", "bank", "mfo", "account"}

func (r *Recipient) decode(dec *jsontext.Decoder) error {
	return readObject(dec, recipientKeys, &r.ID, &r.EDRPOU, &r.Name, &r.Bank, &r.MFO, &r.Account)
}

// UnmarshalJSON decodes the API's recipient object in one pass.
func (r *Recipient) UnmarshalJSON(b []byte) error { return unmarshal(b, r) }

// UnmarshalJSONFrom decodes the API's recipient object in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (r *Recipient) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, r) }

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

var paymentSchoolKeys = []string{"id_school", "name", "description", "address", "phone", "bookkeeping", "postfix",
	"id_region"}

func (s *PaymentSchool) decode(dec *jsontext.Decoder) error {
	return readObject(dec, paymentSchoolKeys, &s.ID, &s.Name, &s.Description, &s.Address, &s.Phone, &s.BookkeepingID,
		&s.Postfix, &s.RegionID)
}

// UnmarshalJSON decodes the API's school object inside a payment in one pass.
func (s *PaymentSchool) UnmarshalJSON(b []byte) error { return unmarshal(b, s) }

// UnmarshalJSONFrom decodes the API's school object inside a payment in place, for the
// encoding/json/v2 API (github.com/go-json-experiment/json).
func (s *PaymentSchool) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return unmarshalFrom(dec, s) }
