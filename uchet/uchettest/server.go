package uchettest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/internal/ids"
	"github.com/steppe-sdk/steppe/uchet"
)

// DefaultToken is the token accepted by default, the one of the official
// examples.
const DefaultToken = "3ea356ede9a74dd089b05a8911e2daa7"

// APIPath is the path under which every route of the API lives.
const APIPath = "/api/v2/"

// TimeLayout is the wire format of start_time and finish_time, for example
// "17:24:52 25.04.2023".
const TimeLayout = "15:04:05 02.01.2006"

// TaskNames are the tasks of a background update, in the order of the
// official update_status example.
var TaskNames = []string{
	"goszakup", "goszakup_unreliable", "payments", "tax_debt_agreement",
	"elicense", "degree_of_risk", "in_liquidation", "ndspayer",
	"absent_legal_address", "bankrupt", "inactive", "false_enterprise",
	"registration_invalid", "tax_arrears", "violation_tax_code", "samruk",
	"stat_gov", "e_034", "e_080", "e_083",
}

// Task statuses.
const (
	statusDone       = "done"
	statusProcessing = "processing"
	statusFailed     = "failed"
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

// Config sets how the fake behaves.
type Config struct {
	// Tokens are the accepted tokens. Nil (or empty) means {DefaultToken}.
	Tokens []string
	// Location is the zone the wire times are written in. Nil means
	// Asia/Almaty as the client reads it, [uchet.Almaty].
	Location *time.Location
	// Durations gives how long each task of an update takes; a zero (or
	// negative) duration finishes the task at the update's start. Tasks
	// missing from the map take a duration derived from the task name,
	// between 1 s and 40 s; see [Config.TaskDuration].
	Durations map[string]time.Duration
	// AutoStart makes an update_status request for a known company without
	// an update start one at once, instead of answering not_found.
	AutoStart bool
	// Latency is waited before answering every request. If the request's
	// context ends first, no answer is written.
	Latency time.Duration
}

// DefaultConfig returns the default behaviour: the default token, times in
// Asia/Almaty, derived task durations, AutoStart on and no latency.
func DefaultConfig() Config {
	return Config{AutoStart: true}
}

// TaskDuration returns how long the task takes in an update:
// c.Durations[task] when present (at least zero), otherwise a whole number
// of seconds between 1 and 40 derived from a hash of the name, the same on
// every run.
func (c Config) TaskDuration(task string) time.Duration {
	if d, ok := c.Durations[task]; ok {
		return max(d, 0)
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(task))
	return time.Duration(h.Sum32()%40+1) * time.Second
}

// Stats counts the requests that passed the token check, per route, and
// the refused tokens.
type Stats struct {
	// StatusRequests counts update_status requests, whatever the answer.
	StatusRequests int
	// CompanyRequests counts get_bin_info and get_iin_info requests
	// answered 200: the paid ones.
	CompanyRequests int
	// ClassifierRequests counts classifiers requests, whatever the answer.
	ClassifierRequests int
	// TokenErrors counts requests refused with token_error.
	TokenErrors int
}

// Server is a running fake of the API. Its Faults and Recorder fields come
// from [fakekit.Server]. Close it when done.
type Server struct {
	*fakekit.Server

	cfg Config

	mu        sync.Mutex
	companies map[string]Company
	updates   map[string]time.Time       // start of the current update, by number
	failing   map[string]map[string]bool // tasks that fail, by number
	stats     Stats
	opened    map[string]int // successful card requests, by number
}

// NewServer starts a fake with [DefaultConfig].
func NewServer() *Server { return NewServerWith(DefaultConfig()) }

// NewServerWith starts a fake with the given configuration, knowing the
// companies of [DefaultDataset].
func NewServerWith(cfg Config) *Server {
	if len(cfg.Tokens) == 0 {
		cfg.Tokens = []string{DefaultToken}
	} else {
		cfg.Tokens = append([]string(nil), cfg.Tokens...)
	}
	if cfg.Location == nil {
		cfg.Location = uchet.Almaty // the client's own zone data, so the two agree on every machine
	}
	durations := make(map[string]time.Duration, len(cfg.Durations))
	for k, v := range cfg.Durations {
		durations[k] = v
	}
	cfg.Durations = durations
	s := &Server{
		cfg:       cfg,
		companies: map[string]Company{},
		updates:   map[string]time.Time{},
		failing:   map[string]map[string]bool{},
		opened:    map[string]int{},
	}
	for _, c := range DefaultDataset() {
		s.companies[c.BIN] = c
	}
	s.Server = fakekit.NewServer(http.HandlerFunc(s.serve))
	return s
}

// BaseURL returns the root of the API with its trailing slash, for example
// "http://127.0.0.1:40123/api/v2/".
func (s *Server) BaseURL() string { return s.URL + APIPath }

// Handler returns the server's full handler (recorder, faults, fake), for
// serving requests in-process without a socket, for example inside a
// testing/synctest bubble.
func (s *Server) Handler() http.Handler { return s.Config.Handler }

// Requests returns a copy of the requests received so far, in order.
func (s *Server) Requests() []Recorded { return s.Recorder.Requests() }

// AddCompany adds c, replacing a company with the same number.
func (s *Server) AddCompany(c Company) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.companies[c.BIN] = c
}

// StartUpdate starts, or restarts, a background update of every task of
// [TaskNames] for the company, at time.Now(). The number need not be known
// yet, but update_status answers not_found until the company is added.
func (s *Server) StartUpdate(iinBin string) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates[iinBin] = now
}

// FailTasks makes these tasks of the company's updates, current and
// future, end with status "failed" instead of "done". Names that are not
// in [TaskNames] have no effect.
func (s *Server) FailTasks(iinBin string, tasks ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := s.failing[iinBin]
	if set == nil {
		set = map[string]bool{}
		s.failing[iinBin] = set
	}
	for _, t := range tasks {
		set[t] = true
	}
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// CompanyRequestsFor returns how many get_bin_info or get_iin_info
// requests for this number were answered 200.
func (s *Server) CompanyRequestsFor(iinBin string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opened[iinBin]
}

// detail is FastAPI's error body.
type detail struct {
	Detail any `json:"detail"`
}

// apiError is the detail of the API's own errors.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// fail answers status with {"detail":{"code":code,"message":msg}}.
func fail(w http.ResponseWriter, status int, code, msg string) {
	fakekit.WriteJSON(w, status, detail{apiError{code, msg}})
}

// route answers an authenticated request from its query.
type route func(s *Server, w http.ResponseWriter, q url.Values)

// routeFor returns the handler of a path, or nil if there is none.
func routeFor(path string) route {
	name, ok := strings.CutPrefix(path, APIPath)
	if !ok {
		return nil
	}
	name = strings.TrimSuffix(name, "/")
	switch name {
	case "update_status":
		return (*Server).serveStatus
	case "get_bin_info":
		return func(s *Server, w http.ResponseWriter, q url.Values) { s.serveCard(w, q, "bin", false) }
	case "get_iin_info":
		return func(s *Server, w http.ResponseWriter, q url.Values) { s.serveCard(w, q, "iin", true) }
	}
	if cl, ok := strings.CutPrefix(name, "classifiers/"); ok && cl != "" && !strings.Contains(cl, "/") {
		return func(s *Server, w http.ResponseWriter, _ url.Values) { s.serveClassifier(w, cl) }
	}
	return nil
}

// serve is the fake's handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !fakekit.Sleep(r.Context(), s.cfg.Latency) {
		return
	}
	h := routeFor(r.URL.Path)
	if h == nil {
		fakekit.WriteJSON(w, http.StatusNotFound, detail{"Not Found"})
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		fakekit.WriteJSON(w, http.StatusMethodNotAllowed, detail{"Method Not Allowed"})
		return
	}
	q := r.URL.Query()
	if !s.tokenOK(q.Get("token")) {
		s.mu.Lock()
		s.stats.TokenErrors++
		s.mu.Unlock()
		fail(w, http.StatusUnauthorized, "token_error", "token is not found")
		return
	}
	h(s, w, q)
}

// tokenOK reports whether tok is an accepted token, comparing it with
// every accepted token in constant time.
func (s *Server) tokenOK(tok string) bool {
	ok := 0
	for _, want := range s.cfg.Tokens {
		ok |= subtle.ConstantTimeCompare([]byte(tok), []byte(want))
	}
	return ok == 1
}

// number returns the valid 12-digit number in parameter p, or answers
// iin_bin_validation_error and returns false.
func number(w http.ResponseWriter, q url.Values, p string) (string, bool) {
	n := q.Get(p)
	if ids.IINBIN(n) != nil {
		fail(w, http.StatusBadRequest, "iin_bin_validation_error", p+" is not valid")
		return "", false
	}
	return n, true
}

// notFound answers not_found with msg.
func notFound(w http.ResponseWriter, msg string) {
	fail(w, http.StatusNotFound, "not_found", msg)
}

// serveCard answers get_bin_info (individual false) or get_iin_info.
func (s *Server) serveCard(w http.ResponseWriter, q url.Values, param string, individual bool) {
	n, ok := number(w, q, param)
	if !ok {
		return
	}
	s.mu.Lock()
	c, found := s.companies[n]
	found = found && c.Individual == individual
	if found {
		s.stats.CompanyRequests++
		s.opened[n]++
	}
	s.mu.Unlock()
	if !found {
		notFound(w, "company not found")
		return
	}
	fakekit.WriteJSON(w, http.StatusOK, c.card())
}

// serveClassifier answers classifiers/{name}.
func (s *Server) serveClassifier(w http.ResponseWriter, name string) {
	s.mu.Lock()
	s.stats.ClassifierRequests++
	s.mu.Unlock()
	items, ok := classifiers[name]
	if !ok {
		notFound(w, "classifier not found")
		return
	}
	fakekit.WriteJSON(w, http.StatusOK, items)
}

// taskState is one task in an update_status answer.
type taskState struct {
	Status     string  `json:"status"`
	StartTime  string  `json:"start_time"`
	FinishTime *string `json:"finish_time"`
}

// taskList is the tasks object, kept in the order of TaskNames.
type taskList []namedTask

// namedTask is a task with its name.
type namedTask struct {
	name  string
	state taskState
}

// MarshalJSON writes the tasks as one object, in order.
func (l taskList) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, t := range l {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(t.name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(t.state)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// statusAnswer is the update_status answer.
type statusAnswer struct {
	IINBIN     string   `json:"iin_bin"`
	TasksCount int      `json:"tasks_count"`
	Processed  int      `json:"processed"`
	Success    int      `json:"success"`
	Failed     int      `json:"failed"`
	Processing int      `json:"processing"`
	StartTime  string   `json:"start_time"`
	FinishTime *string  `json:"finish_time"`
	Tasks      taskList `json:"tasks"`
}

// serveStatus answers update_status.
func (s *Server) serveStatus(w http.ResponseWriter, q url.Values) {
	s.mu.Lock()
	s.stats.StatusRequests++
	s.mu.Unlock()
	n, ok := number(w, q, "iin_bin")
	if !ok {
		return
	}
	now := time.Now()
	s.mu.Lock()
	_, known := s.companies[n]
	start, running := s.updates[n]
	if known && !running && s.cfg.AutoStart {
		start, running = now, true
		s.updates[n] = start
	}
	failing := make(map[string]bool, len(s.failing[n]))
	for k, v := range s.failing[n] {
		failing[k] = v
	}
	s.mu.Unlock()
	switch {
	case !known:
		notFound(w, "company not found")
		return
	case !running:
		notFound(w, "update not found")
		return
	}
	fakekit.WriteJSON(w, http.StatusOK, s.progress(n, start, now, failing))
}

// progress computes the state at now of the update of n started at start.
func (s *Server) progress(n string, start, now time.Time, failing map[string]bool) statusAnswer {
	a := statusAnswer{
		IINBIN:     n,
		TasksCount: len(TaskNames),
		StartTime:  s.format(start),
		Tasks:      make(taskList, 0, len(TaskNames)),
	}
	var last time.Time
	for _, name := range TaskNames {
		st := taskState{Status: statusProcessing, StartTime: a.StartTime}
		if end := start.Add(s.cfg.TaskDuration(name)); !now.Before(end) {
			a.Processed++
			if failing[name] {
				st.Status = statusFailed
				a.Failed++
			} else {
				st.Status = statusDone
				a.Success++
			}
			f := s.format(end)
			st.FinishTime = &f
			if end.After(last) {
				last = end
			}
		}
		a.Tasks = append(a.Tasks, namedTask{name, st})
	}
	a.Processing = a.TasksCount - a.Processed
	if a.Processing == 0 {
		f := s.format(last)
		a.FinishTime = &f
	}
	return a
}

// format writes t in the configured zone with TimeLayout, truncated to the
// second.
func (s *Server) format(t time.Time) string {
	return t.In(s.cfg.Location).Truncate(time.Second).Format(TimeLayout)
}
