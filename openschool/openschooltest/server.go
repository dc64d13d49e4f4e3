package openschooltest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

// Fault is a fault to inject with srv.Faults.Add; each request gets the
// first pending fault that matches it. Its fields:
//
//   - Method, Path: which requests it matches (empty: any; a Path ending
//     in "*" matches by prefix).
//   - Status, Body, Header, RetryAfter: answer with this status (and body,
//     headers, Retry-After in seconds) instead of the real handler.
//   - Drop: close the connection without an answer.
//   - DropResponse: run the real handler (its effects stay), then close
//     the connection without sending the answer: a lost answer.
//   - Hold: run the real handler, then hold the answer back this long.
//   - Delay: wait this long before answering.
//   - SlowBody: send the body in 64-byte chunks this far apart.
//   - Truncate: declare the full length, send half the body, close.
//   - Times: how many matching requests it applies to (0: once; -1:
//     until srv.Faults.Clear). Every: only every Every-th matching request.
type Fault = fakekit.Fault

// Recorded is a request the fake received.
type Recorded = fakekit.Recorded

// Server is a running fake. Its Faults and Recorder fields come from
// fakekit.Server. Close it when done.
type Server struct {
	*fakekit.Server
	mu    sync.RWMutex
	data  *Dataset
	stats Stats
}

// Stats counts what the fake answered.
type Stats struct {
	// Requests counts the requests that reached the API route, by action
	// ("regions", "schools", …); an unknown action counts under "".
	Requests map[string]int
	// Refused counts the answers 400 (a parameter refused), 404 (unknown
	// path or action) and 405 (a method other than GET and HEAD).
	Refused int
}

// NewServer starts a fake serving [DefaultDataset].
func NewServer() *Server { return NewServerWith(DefaultDataset()) }

// NewServerWith starts a fake serving d. The fake owns d from then on; use
// [Server.Update] to change it.
func NewServerWith(d *Dataset) *Server {
	s := &Server{data: d}
	s.Server = fakekit.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Update changes the dataset under the server's lock.
func (s *Server) Update(f func(d *Dataset)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.data)
}

// Requests returns the requests received so far, faulted ones included.
func (s *Server) Requests() []Recorded { return s.Recorder.Requests() }

// BaseURL is the URL to give the client (openschool.WithBaseURL): the
// server's root, under which the API lives at /api/v1.
func (s *Server) BaseURL() string { return s.URL }

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := Stats{Refused: s.stats.Refused, Requests: make(map[string]int, len(s.stats.Requests))}
	for k, v := range s.stats.Requests {
		out.Requests[k] = v
	}
	return out
}

// count records one answer; refused reports a 4xx.
func (s *Server) count(action string, refused bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stats.Requests == nil {
		s.stats.Requests = map[string]int{}
	}
	s.stats.Requests[action]++
	if refused {
		s.stats.Refused++
	}
}

type obj = map[string]any

// badRequest is a parameter the fake refuses, answered with 400.
type badRequest string

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/v1" && r.URL.Path != "/api/v1/" {
		s.count("", true)
		fakekit.WriteJSON(w, http.StatusNotFound, obj{"error": "not found"})
		return
	}
	q := r.URL.Query()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.count(q.Get("action"), true)
		fakekit.WriteJSON(w, http.StatusMethodNotAllowed, obj{"error": "method not allowed"})
		return
	}
	handlers := map[string]func(url.Values) (obj, error){
		"regions": s.regions, "periods": s.periods, "schools": s.schools,
		"tasks": s.tasks, "labels": s.labels, "governmentpayments": s.payments,
	}
	h, ok := handlers[q.Get("action")]
	if !ok {
		s.count("", true)
		fakekit.WriteJSON(w, http.StatusNotFound, obj{"error": "unknown action"})
		return
	}
	s.mu.RLock()
	body, err := h(q)
	s.mu.RUnlock()
	s.count(q.Get("action"), err != nil)
	if err != nil {
		fakekit.WriteJSON(w, http.StatusBadRequest, obj{"error": err.Error()})
		return
	}
	fakekit.WriteJSON(w, http.StatusOK, body)
}

func (e badRequest) Error() string { return string(e) }

// params reads and checks the INT and date parameters the fake understands.
type params struct {
	q url.Values
}

func (p params) int(name string) (string, error) {
	v := p.q.Get(name)
	if v == "" {
		return "", nil
	}
	if _, err := strconv.Atoi(v); err != nil {
		return "", badRequest(name + " must be INT")
	}
	return v, nil
}

func (p params) date(name string) (string, error) {
	v := p.q.Get(name)
	if v == "" {
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return "", badRequest(name + " must be yyyy-mm-dd")
	}
	return v, nil
}

func (s *Server) regions(url.Values) (obj, error) {
	out := make([]obj, 0, len(s.data.Regions))
	for _, r := range s.data.Regions {
		out = append(out, obj{"id": r.ID, "name": r.Name})
	}
	return obj{"regions": out}, nil
}

func (s *Server) periods(url.Values) (obj, error) {
	out := make([]obj, 0, len(s.data.Periods))
	for _, p := range s.data.Periods {
		var current any // undef unless current, as in the documentation
		if p.Current {
			current = "1"
		}
		out = append(out, obj{"name": p.Name, "id_period": p.ID, "date_end": p.DateEnd, "date_start": p.DateStart,
			"current_period": current, "parent": undef(p.Parent)})
	}
	return obj{"periods": out}, nil
}

func (s *Server) labels(url.Values) (obj, error) {
	out := make([]obj, 0, len(s.data.Labels))
	for _, l := range s.data.Labels {
		out = append(out, obj{"id_label": l.ID, "name": l.Name})
	}
	return obj{"labels": out}, nil
}

func (s *Server) schools(q url.Values) (obj, error) {
	p := params{q}
	school, e1 := p.int("id_school")
	region, e2 := p.int("id_region")
	period, e3 := p.int("id_period")
	from, e4 := p.date("date_start")
	to, e5 := p.date("date_end")
	if err := firstErr(e1, e2, e3, e4, e5); err != nil {
		return nil, err
	}
	if from != "" || to != "" {
		period = "" // "Період і дати в одному запиті не використовувати, період пошук не буде врахований."
	}
	total := decimal.Zero
	out := []obj{}
	for _, sc := range s.data.Schools {
		if (school != "" && sc.ID != school) || (region != "" && sc.RegionID != region) {
			continue
		}
		stock, spend := decimal.Zero, decimal.Zero
		for _, m := range s.data.Movements {
			if m.SchoolID != sc.ID || (period != "" && m.PeriodID != period) ||
				(from != "" && m.Date < from) || (to != "" && m.Date > to) {
				continue
			}
			a := decimal.RequireFromString(m.Amount)
			if a.IsNegative() {
				spend = spend.Sub(a)
			} else {
				stock = stock.Add(a)
			}
		}
		var amount any // undef when the school has no new tasks
		planned := decimal.Zero
		hasNew := false
		for _, t := range s.data.Tasks {
			if t.Node == "school" && t.Item == sc.ID && t.Status == "todo" {
				planned = planned.Add(decimal.RequireFromString(t.Amount))
				hasNew = true
			}
		}
		if hasNew {
			amount = planned.String()
		}
		total = total.Add(stock)
		out = append(out, obj{
			"amount": amount, "description": sc.Description, "balance": stock.Sub(spend).StringFixed(4),
			"region": s.regionName(sc.RegionID), "id_school": sc.ID, "spend": spend.StringFixed(4),
			"id_region": sc.RegionID, "address": sc.Address, "phone": sc.Phone, "name": sc.Name,
			"stock": stock.StringFixed(4),
		})
	}
	return obj{"schools_stock": total.StringFixed(2), "schools": out}, nil
}

func (s *Server) regionName(id string) string {
	for _, r := range s.data.Regions {
		if r.ID == id {
			return r.Name
		}
	}
	return ""
}

func (s *Server) labelName(id string) string {
	for _, l := range s.data.Labels {
		if l.ID == id {
			return l.Name
		}
	}
	return ""
}

func (s *Server) tasks(q url.Values) (obj, error) {
	p := params{q}
	id, e1 := p.int("id_task")
	item, e2 := p.int("item")
	payment, e3 := p.int("payment_type")
	period, e4 := p.int("id_period")
	label, e5 := p.int("id_label")
	from, e6 := p.date("date_start")
	to, e7 := p.date("date_end")
	if err := firstErr(e1, e2, e3, e4, e5, e6, e7); err != nil {
		return nil, err
	}
	status := q.Get("task_status")
	if status != "" && !slices.Contains([]string{"todo", "done", "inprogress"}, status) {
		return nil, badRequest("task_status must be todo, done or inprogress")
	}
	if payment != "" && !slices.Contains([]string{"-1", "0", "1"}, payment) {
		return nil, badRequest("payment_type must be -1, 0 or 1")
	}
	if id != "" {
		for _, t := range s.data.Tasks {
			if t.ID == id {
				return obj{"task": s.taskObject(t)}, nil
			}
		}
		return obj{"task": nil}, nil
	}
	node := q.Get("node")
	if node == "" || item == "" {
		return nil, badRequest("node & item or id_task required")
	}
	out := []obj{}
	for _, t := range s.data.Tasks {
		day := t.DateAdd
		if len(day) >= 10 {
			day = day[:10]
		}
		if t.Node != node || t.Item != item || (status != "" && t.Status != status) ||
			(period != "" && t.PeriodID != period) || (label != "" && t.LabelID != label) ||
			(from != "" && day < from) || (to != "" && day > to) {
			continue
		}
		spend := decimal.Zero
		for _, r := range t.Reports {
			if payment == "0" && r.Government || payment == "1" && !r.Government {
				continue
			}
			spend = spend.Add(decimal.RequireFromString(r.Spend))
		}
		// The list uses the capitalised keys of the documentation; computed
		// values are JSON numbers, database values strings.
		out = append(out, obj{
			"Spend": spend.InexactFloat64(), "Id_profile": t.ProfileID, "Date_update": t.DateUpdate,
			"Id_period": t.PeriodID, "Archive": boolString(t.Archived), "Description": t.Description,
			"Deadline": t.Deadline, "Amount": t.Amount, "Status": t.Status, "Parent_task": undef(t.ParentTask),
			"Label": s.labelName(t.LabelID), "Id_task": t.ID, "Node": t.Node, "Date_add": t.DateAdd,
			"Item": t.Item, "Vote_count": strconv.Itoa(t.VoteCount), "Name": t.Name,
			"Vote": voteNumber(t.VoteValue), "Report_count": len(t.Reports),
		})
	}
	return obj{"tasks": out}, nil
}

func (s *Server) taskObject(t Task) obj {
	reports := []obj{}
	government := decimal.Zero
	for _, r := range t.Reports {
		images := []obj{}
		for _, u := range r.Images {
			images = append(images, obj{"image_url": u})
		}
		if r.Government {
			government = government.Add(decimal.RequireFromString(r.Spend))
		}
		reports = append(reports, obj{
			"Description": r.Description, "Comments": []any{}, "Government": boolString(r.Government),
			"Id_task": t.ID, "Spend": r.Spend, "Name": r.Name, "Archive": boolString(r.Archived),
			"Id_report": r.ID, "Date_add": r.DateAdd, "images": images, "id_profile": r.ProfileID,
		})
	}
	value := decimal.Zero
	if t.VoteValue != "" {
		value = decimal.RequireFromString(t.VoteValue)
	}
	intPart := value.Truncate(0)
	decPart := value.Sub(intPart).Shift(2).Truncate(0)
	return obj{
		"amount": t.Amount, "date_update": t.DateUpdate, "description": t.Description,
		"archive": boolString(t.Archived), "reports": reports, "Name": t.Name, "Id_period": t.PeriodID,
		"Label": s.labelName(t.LabelID), "Government_spend": government.InexactFloat64(), "Item": t.Item,
		"Deadline": t.Deadline, "Date_add": t.DateAdd, "Comments": []any{}, "Id_task": t.ID, "Node": t.Node,
		"vote": obj{
			"Count": strconv.Itoa(t.VoteCount), "Int_part": intPart.IntPart(),
			"Value": value.InexactFloat64(), "Dec_part": decPart.IntPart(),
		},
		"parent_task": undef(t.ParentTask), "id_profile": t.ProfileID, "status": t.Status,
	}
}

func (s *Server) payments(q url.Values) (obj, error) {
	p := params{q}
	names := []string{"id_payment", "id_bookkeeping", "id_school", "id_recipient", "master_id", "doc_number", "confirmed"}
	want := map[string]string{}
	for _, n := range names {
		v, err := p.int(n)
		if err != nil {
			return nil, err
		}
		want[n] = v
	}
	if c := want["confirmed"]; c != "" && c != "0" && c != "1" {
		return nil, badRequest("confirmed must be 0 or 1")
	}
	out := []obj{}
	for _, pay := range s.data.Payments {
		have := map[string]string{
			"id_payment": pay.ID, "id_bookkeeping": pay.BookkeepingID, "id_school": pay.SchoolID,
			"id_recipient": pay.RecipientID, "master_id": pay.MasterID, "doc_number": pay.DocNumber,
			"confirmed": boolString(pay.Confirmed),
		}
		match := true
		for _, n := range names {
			if want[n] != "" && want[n] != have[n] {
				match = false
			}
		}
		if match {
			out = append(out, s.paymentObject(pay))
		}
	}
	return obj{"block": out}, nil
}

func (s *Server) paymentObject(p Payment) obj {
	o := obj{
		"id_bookkeeping": p.BookkeepingID, "id_recipient": p.RecipientID, "id_school": p.SchoolID,
		"doc_number": p.DocNumber, "confirmed": boolString(p.Confirmed), "amount": p.Amount,
		"payment_details": p.Details, "id_profile": p.ProfileID, "doc_date": p.DocDate, "doc_v_date": p.DocVDate,
		"trans_date": p.TransDate, "label": s.labelName(p.LabelID), "master_id": p.MasterID, "id_payment": p.ID,
	}
	for _, b := range s.data.Bookkeepings {
		if b.ID == p.BookkeepingID {
			o["bookkeeping"] = obj{"edrpou": b.EDRPOU, "bank": b.Bank, "mfo": b.MFO, "name": b.Name,
				"account": b.Account, "id_bookkeeping": b.ID, "last_update": b.LastUpdate}
		}
	}
	for _, r := range s.data.Recipients {
		if r.ID == p.RecipientID {
			o["recipient"] = obj{"mfo": r.MFO, "edrpou": r.EDRPOU, "bank": r.Bank, "name": r.Name,
				"account": r.Account, "id_recipient": r.ID}
		}
	}
	for _, sc := range s.data.Schools {
		if sc.ID == p.SchoolID {
			o["school"] = obj{"phone": sc.Phone, "description": sc.Description, "id_school": sc.ID,
				"address": sc.Address, "name": sc.Name, "bookkeeping": sc.BookkeepingID, "postfix": sc.Postfix,
				"id_region": sc.RegionID}
		}
	}
	return o
}

// undef sends "" as null, the way Perl's undef is encoded.
func undef(v string) any {
	if v == "" {
		return nil
	}
	return v
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// voteNumber sends the rating as a JSON number (0 when there is none), as the
// documentation shows it.
func voteNumber(v string) any {
	if v == "" {
		return 0
	}
	return decimal.RequireFromString(v).InexactFloat64()
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
