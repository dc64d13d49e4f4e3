package openschool

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/steppe-sdk/steppe/internal/query"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// SchoolsParams filters action=schools. Every field is optional.
// The API ignores the period when dates are given, so setting PeriodID
// together with DateStart or DateEnd is rejected before any request.
type SchoolsParams struct {
	SchoolID string // id_school
	RegionID string // id_region, from [Client.Regions]
	PeriodID string // id_period, from [Client.Periods]
	// DateStart and DateEnd select the contributions and spending counted
	// in the sums (date_start, date_end; only the calendar date is sent).
	DateStart time.Time
	DateEnd   time.Time
}

// PaymentType selects which money a task list counts in Spend (payment_type).
// The zero value leaves the parameter out.
type PaymentType int

// Payment types of the documentation.
const (
	PaymentAny     PaymentType = iota // not sent: the server's default
	PaymentCharity                    // 0: charitable money
	PaymentBudget                     // 1: budget money
	PaymentAll                        // -1: all money
)

// EncodeValues writes the documented wire value (0, 1 or -1).
func (p PaymentType) EncodeValues(key string, v *url.Values) error {
	switch p {
	case PaymentAny:
	case PaymentCharity:
		v.Set(key, "0")
	case PaymentBudget:
		v.Set(key, "1")
	case PaymentAll:
		v.Set(key, "-1")
	default:
		return fmt.Errorf("unknown payment type %d", int(p))
	}
	return nil
}

// TasksParams lists the tasks of one entity: action=tasks&node=…&item=…
// (§4 "Перелік завдань"). Item is required; Node defaults to "school".
type TasksParams struct {
	Node        string      // node: the kind of entity; "school" when empty
	Item        string      // item: the entity's id (id_school); required
	Status      TaskStatus  // task_status; empty selects all
	PaymentType PaymentType // payment_type
	PeriodID    string      // id_period
	LabelID     string      // id_label, from [Client.Labels]
	// DateStart and DateEnd select by the date the task was set.
	DateStart time.Time
	DateEnd   time.Time
}

// PaymentsParams filters action=governmentpayments. Every field is optional.
type PaymentsParams struct {
	PaymentID     string // id_payment
	BookkeepingID string // id_bookkeeping
	SchoolID      string // id_school
	RecipientID   string // id_recipient
	MasterID      string // master_id: payment number in the treasury system
	DocNumber     string // doc_number: number in the bookkeeping system
	// Confirmed, when set, selects payments confirmed by an administrator
	// (true) or not (false). The documentation lists this filter but leaves
	// it out of its URL template; it is sent as confirmed=1 or confirmed=0.
	Confirmed *bool
}

// The wire parameters of each request, encoded by internal/query: one
// struct a request, holding exactly the parameters the documentation lists
// for it, since go-querystring walks every field of the struct on every
// call.
type (
	// schoolsQuery is action=schools (§3).
	schoolsQuery struct {
		SchoolID  string     `url:"id_school,omitempty"`
		RegionID  string     `url:"id_region,omitempty"`
		PeriodID  string     `url:"id_period,omitempty"`
		DateStart query.Date `url:"date_start,omitempty"`
		DateEnd   query.Date `url:"date_end,omitempty"`
	}
	// taskQuery is action=tasks&id_task=… (§4, response 1): id_task
	// alone, the documentation's other way to call the action than
	// node & item, whose filters do not apply to one task.
	taskQuery struct {
		TaskID string `url:"id_task"`
	}
	// tasksQuery is action=tasks&node=…&item=… (§4, response 2).
	tasksQuery struct {
		Node        string      `url:"node,omitempty"`
		Item        string      `url:"item,omitempty"`
		Status      TaskStatus  `url:"task_status,omitempty"`
		PaymentType PaymentType `url:"payment_type,omitempty"`
		PeriodID    string      `url:"id_period,omitempty"`
		LabelID     string      `url:"id_label,omitempty"`
		DateStart   query.Date  `url:"date_start,omitempty"`
		DateEnd     query.Date  `url:"date_end,omitempty"`
	}
	// paymentsQuery is action=governmentpayments (§6).
	paymentsQuery struct {
		PaymentID     string `url:"id_payment,omitempty"`
		BookkeepingID string `url:"id_bookkeeping,omitempty"`
		SchoolID      string `url:"id_school,omitempty"`
		RecipientID   string `url:"id_recipient,omitempty"`
		MasterID      string `url:"master_id,omitempty"`
		DocNumber     string `url:"doc_number,omitempty"`
		Confirmed     *bool  `url:"confirmed,omitempty,int"`
	}
)

// Regions lists the regions (action=regions, §1).
func (c *Client) Regions(ctx context.Context) ([]Region, error) {
	return getList[Region](ctx, c, "regions", nil, "regions")
}

// Periods lists the reporting periods (action=periods, §2).
func (c *Client) Periods(ctx context.Context) ([]Period, error) {
	return getList[Period](ctx, c, "periods", nil, "periods")
}

// Schools lists schools with the money they received and spent
// (action=schools, §3). A nil p selects every school over all time.
func (c *Client) Schools(ctx context.Context, p *SchoolsParams) (*Schools, error) {
	var q *schoolsQuery // nil: no parameters
	if p != nil {
		if p.PeriodID != "" && (!p.DateStart.IsZero() || !p.DateEnd.IsZero()) {
			return nil, transport.Invalid("PeriodID", "cannot be combined with DateStart/DateEnd: the API would ignore the period")
		}
		if err := errors.Join(checkID("SchoolID", p.SchoolID), checkID("RegionID", p.RegionID),
			checkID("PeriodID", p.PeriodID), checkRange(p.DateStart, p.DateEnd)); err != nil {
			return nil, err
		}
		q = &schoolsQuery{SchoolID: p.SchoolID, RegionID: p.RegionID, PeriodID: p.PeriodID,
			DateStart: date(p.DateStart), DateEnd: date(p.DateEnd)}
	}
	// schools_stock is a sum: when it is missing it reads as zero, but the
	// list must be there.
	var out Schools
	err := c.get(ctx, "schools", q, []string{"schools", "schools_stock"}, list(&out.Schools), money{&out.Stock})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Task returns one task with its reports (action=tasks&id_task=…, §4).
// A task the server does not return gives an error matching [ErrNotFound].
func (c *Client) Task(ctx context.Context, id string) (*Task, error) {
	if id == "" {
		return nil, transport.Invalid("id", "is required")
	}
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	var out Task
	// "task" must be in the answer; null or an object without an id means
	// the server has no such task.
	if err := c.get(ctx, "tasks", &taskQuery{TaskID: id}, []string{"task"}, nullable(&out)); err != nil {
		return nil, err
	}
	if out.ID == "" {
		return nil, fmt.Errorf("openschool: task %s: %w", id, ErrNotFound)
	}
	return &out, nil
}

// Tasks lists the tasks of one entity, usually a school
// (action=tasks&node=…&item=…, §4).
func (c *Client) Tasks(ctx context.Context, p TasksParams) ([]TaskSummary, error) {
	if p.Node == "" {
		p.Node = "school"
	}
	var errs []error
	if p.Item == "" {
		errs = append(errs, transport.Invalid("Item", "is required (the id of the %s)", p.Node))
	}
	if p.Status != "" && !p.Status.Valid() {
		errs = append(errs, transport.Invalid("Status", "must be todo, inprogress or done"))
	}
	if p.PaymentType < PaymentAny || p.PaymentType > PaymentAll {
		errs = append(errs, transport.Invalid("PaymentType", "must be one of the PaymentType constants"))
	}
	errs = append(errs, checkID("Item", p.Item), checkID("PeriodID", p.PeriodID), checkID("LabelID", p.LabelID),
		checkRange(p.DateStart, p.DateEnd))
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	q := tasksQuery{Node: p.Node, Item: p.Item, Status: p.Status, PaymentType: p.PaymentType,
		PeriodID: p.PeriodID, LabelID: p.LabelID, DateStart: date(p.DateStart), DateEnd: date(p.DateEnd)}
	return getList[TaskSummary](ctx, c, "tasks", &q, "tasks")
}

// Labels lists the task categories (action=labels, §5).
func (c *Client) Labels(ctx context.Context) ([]Label, error) {
	return getList[Label](ctx, c, "labels", nil, "labels")
}

// GovernmentPayments lists budget payments (action=governmentpayments, §6).
// A nil p selects all of them.
func (c *Client) GovernmentPayments(ctx context.Context, p *PaymentsParams) ([]GovernmentPayment, error) {
	var q *paymentsQuery // nil: no parameters
	if p != nil {
		if err := errors.Join(checkID("PaymentID", p.PaymentID), checkID("BookkeepingID", p.BookkeepingID),
			checkID("SchoolID", p.SchoolID), checkID("RecipientID", p.RecipientID),
			checkID("MasterID", p.MasterID), checkID("DocNumber", p.DocNumber)); err != nil {
			return nil, err
		}
		q = &paymentsQuery{PaymentID: p.PaymentID, BookkeepingID: p.BookkeepingID, SchoolID: p.SchoolID,
			RecipientID: p.RecipientID, MasterID: p.MasterID, DocNumber: p.DocNumber, Confirmed: p.Confirmed}
	}
	return getList[GovernmentPayment](ctx, c, "governmentpayments", q, "block")
}

// getList calls an action whose answer is a list under key (see get).
func getList[T any, PT decoder[T]](ctx context.Context, c *Client, action string, params any, key string) ([]T, error) {
	var out []T
	if err := c.get(ctx, action, params, []string{key}, list[T, PT](&out)); err != nil {
		return nil, err
	}
	return out, nil
}

// get calls GET /api/v1?action=<action>&<params> and decodes the JSON
// body in one pass (see decodeAnswer): the answer must be a JSON object
// that holds keys[0], the one member the documentation always shows
// for the action ("regions", "schools", "task", "block", …); the other
// members are optional. A 2xx answer without it, such as a maintenance
// object {"error":"…"} or null, is not read as "no data": it gives an
// [*Error] matching [ErrDecode] that keeps the URL, status, attempts and
// body. The member itself may be null or empty (the Perl back end's undef
// or an empty list): that is an empty result.
func (c *Client) get(ctx context.Context, action string, params any, keys []string, dsts ...any) error {
	vals, err := query.Values(params)
	if err != nil {
		return err
	}
	vals.Set("action", action)
	req := &transport.Request{Path: apiPath, Query: vals}
	resp, err := c.t.Do(ctx, req)
	if err != nil {
		return err
	}
	if err := decodeAnswer(resp.Body, keys, dsts...); err != nil {
		return c.t.DecodeError(req, resp, err)
	}
	return nil
}

// checkID accepts "" (unset) or an integer, as the documentation's INT.
func checkID(field, v string) error {
	if v == "" {
		return nil
	}
	for i, r := range v {
		if (r < '0' || r > '9') && !(i == 0 && r == '-' && len(v) > 1) {
			return transport.Invalid(field, "must be an integer id")
		}
	}
	return nil
}

func checkRange(start, end time.Time) error {
	if !start.IsZero() && !end.IsZero() && date(end).String() < date(start).String() {
		return transport.Invalid("DateEnd", "is before DateStart")
	}
	return nil
}

func date(t time.Time) query.Date {
	if t.IsZero() {
		return query.Date{}
	}
	return query.DateOf(t)
}
