package uztgstest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

// The credentials of the default user, those of the documentation's
// examples.
const (
	DefaultEmail    = "api@local.net"
	DefaultPassword = "Str0ngPas$"
)

// APIPath is the path under which every route of the API lives.
const APIPath = "/api/v1"

// GraceForever, used as [Config.Grace], keeps the token replaced by a
// rotation valid until the next rotation replaces it in turn, as the
// previous_token of devise_token_auth v1.2.1 and later does.
const GraceForever time.Duration = -1

// MaxPerPage is the largest page size the API serves; larger per_page
// values are reduced to it.
const MaxPerPage = 1000

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

// Config sets how the fake behaves. The zero value of a field means its
// default, except for Grace and BatchWindow, whose zero is meaningful
// (strict).
type Config struct {
	// Users maps e-mail addresses to passwords. Addresses are compared
	// case-insensitively at sign-in, as Devise does. Nil means
	// {DefaultEmail: DefaultPassword}.
	Users map[string]string
	// Grace is how long the token replaced by a rotation is still
	// accepted, counted from the session's last update (the rotation, or
	// a later batch answer). Zero refuses it at once; GraceForever (or any
	// negative value) accepts it until the next rotation.
	Grace time.Duration
	// BatchWindow makes a request that starts within this time after the
	// session's last update a "batch" request: the token is not rotated,
	// the session's update time moves to now, and the answer carries
	// access-token " " and expiry " " (single spaces) with the real client,
	// uid and token-type. Zero (or negative) rotates on every successful
	// request.
	BatchWindow time.Duration
	// TokenLifespan is how long a token lives after sign-in and after each
	// rotation. Zero means 14 days.
	TokenLifespan time.Duration
	// MaxSessions is the number of sessions (client ids) a user may have;
	// a sign-in beyond it evicts the sessions that expire soonest. Zero
	// means 10.
	MaxSessions int
	// Latency is waited before answering every request. If the request's
	// context ends first, no answer is written.
	Latency time.Duration
	// DefaultPerPage is the page size when per_page is not given. Zero
	// means 25.
	DefaultPerPage int
	// Dataset is the data served. Nil means DefaultDataset().
	Dataset *Dataset
}

// DefaultConfig returns the behaviour of devise_token_auth with its own
// defaults: a 5 s grace for the replaced token, a 5 s batch window, tokens
// living 14 days, 10 sessions per user, and 25 items per page.
func DefaultConfig() Config {
	return Config{
		Grace:          5 * time.Second,
		BatchWindow:    5 * time.Second,
		TokenLifespan:  14 * 24 * time.Hour,
		MaxSessions:    10,
		DefaultPerPage: 25,
	}
}

// StrictConfig returns [DefaultConfig] without grace and without batch
// window: every successful request rotates the token, and the replaced
// token is refused at once.
func StrictConfig() Config {
	c := DefaultConfig()
	c.Grace = 0
	c.BatchWindow = 0
	return c
}

// Server is a running fake of the API. Its Faults and Recorder fields come
// from [fakekit.Server]. Close it when done.
type Server struct {
	*fakekit.Server

	cfg      Config
	data     *Dataset
	accounts map[string]*account // by normalised e-mail, fixed after start
	now      func() time.Time

	mu    sync.Mutex // guards stats
	stats Stats
}

// NewServer starts a fake with [DefaultConfig].
func NewServer() *Server { return NewServerWith(DefaultConfig()) }

// NewServerWith starts a fake with the given configuration.
func NewServerWith(cfg Config) *Server { return newServer(cfg, time.Now) }

// newServer starts a fake that reads the time from now.
func newServer(cfg Config, now func() time.Time) *Server {
	if cfg.Users == nil {
		cfg.Users = map[string]string{DefaultEmail: DefaultPassword}
	}
	if cfg.TokenLifespan <= 0 {
		cfg.TokenLifespan = 14 * 24 * time.Hour
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 10
	}
	if cfg.DefaultPerPage <= 0 {
		cfg.DefaultPerPage = 25
	}
	if cfg.Dataset == nil {
		cfg.Dataset = DefaultDataset()
	}
	s := &Server{cfg: cfg, data: cfg.Dataset, accounts: newAccounts(cfg.Users), now: now}
	s.Server = fakekit.NewServer(http.HandlerFunc(s.serve))
	return s
}

// BaseURL returns the root of the API with a trailing slash, for example
// "http://127.0.0.1:40123/api/v1/".
func (s *Server) BaseURL() string { return s.URL + APIPath + "/" }

// Dataset returns the data the server serves. Do not change it while the
// server runs.
func (s *Server) Dataset() *Dataset { return s.data }

// obj is a JSON object.
type obj = map[string]any

// errorBody is the fake's body for errors of its own: {"errors":[msg]}.
func errorBody(msg string) obj { return obj{"errors": []string{msg}} }

// failure is devise_token_auth's body for refused auth actions.
func failure(msg string) obj { return obj{"success": false, "errors": []string{msg}} }

// listRoutes are the protected GET routes that answer a list.
var listRoutes = map[string]func(*Server, params, int, int) (int, any){
	"customers":             (*Server).customers,
	"stations":              (*Server).stations,
	"equipment_types":       (*Server).equipmentTypes,
	"channel_archive_types": (*Server).channelArchiveTypes,
	"channel_data":          (*Server).channelData,
}

// serve is the fake's handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	started := s.now()
	if !fakekit.Sleep(r.Context(), s.cfg.Latency) {
		return
	}
	route, ok := strings.CutPrefix(r.URL.Path, APIPath+"/")
	route = strings.TrimSuffix(route, "/")
	get := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case !ok:
	case route == "auth/sign_in" && r.Method == http.MethodPost:
		s.serveSignIn(w, r)
		return
	case route == "auth/sign_in" && get:
		fakekit.WriteJSON(w, http.StatusMethodNotAllowed, failure(msgGetSignIn))
		return
	case route == "auth/sign_out" && r.Method == http.MethodDelete:
		s.serveSignOut(w, r)
		return
	case route == "auth/validate_token" && get:
		s.protected(w, r, started, failure(msgInvalidToken), func(acc *account, _ params) (int, any) {
			return http.StatusOK, obj{"success": true, "data": acc.userJSON()}
		})
		return
	case listRoutes[route] != nil && get:
		list := listRoutes[route]
		s.protected(w, r, started, errorBody(msgUnauthenticate), func(_ *account, p params) (int, any) {
			page, per, err := s.paging(p)
			if err != nil {
				return http.StatusBadRequest, errorBody(err.Error())
			}
			return list(s, p, page, per)
		})
		return
	}
	fakekit.WriteJSON(w, http.StatusNotFound, errorBody("Not found"))
}

// serveSignIn answers POST /auth/sign_in.
func (s *Server) serveSignIn(w http.ResponseWriter, r *http.Request) {
	p, err := parseParams(r)
	if err != nil {
		fakekit.WriteJSON(w, http.StatusBadRequest, errorBody(err.Error()))
		return
	}
	acc, hdr := s.signIn(p.get("email"), p.get("password"))
	if acc == nil {
		fakekit.WriteJSON(w, http.StatusUnauthorized, failure(msgBadCredentials))
		return
	}
	copyHeader(w.Header(), hdr)
	fakekit.WriteJSON(w, http.StatusOK, obj{"data": acc.userJSON()})
}

// serveSignOut answers DELETE /auth/sign_out.
func (s *Server) serveSignOut(w http.ResponseWriter, r *http.Request) {
	p, err := parseParams(r)
	if err != nil {
		fakekit.WriteJSON(w, http.StatusBadRequest, errorBody(err.Error()))
		return
	}
	if !s.signOut(credentialsOf(r, p)) {
		fakekit.WriteJSON(w, http.StatusNotFound, failure(msgNotLoggedIn))
		return
	}
	fakekit.WriteJSON(w, http.StatusOK, obj{"success": true})
}

// protected authenticates r, lets h build the answer, and then refreshes
// the session's token (rotation or batch answer), whatever status h chose.
// A refused request gets 401 with the body refused and no auth headers.
func (s *Server) protected(w http.ResponseWriter, r *http.Request, started time.Time, refused any, h func(*account, params) (int, any)) {
	p, err := parseParams(r)
	if err != nil {
		fakekit.WriteJSON(w, http.StatusBadRequest, errorBody(err.Error()))
		return
	}
	c := credentialsOf(r, p)
	acc, ok := s.authenticate(c)
	if !ok {
		s.count(func(st *Stats) { st.AuthFailures++ })
		fakekit.WriteJSON(w, http.StatusUnauthorized, refused)
		return
	}
	status, body := h(acc, p)
	copyHeader(w.Header(), s.refresh(acc, c.client, started, p.truthy("unbatch")))
	fakekit.WriteJSON(w, status, body)
}

// copyHeader copies src into dst keeping the keys as they are (lower case).
func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		dst[k] = vs
	}
}

// params are the request parameters: the JSON (or form) body merged with
// the query string, which wins on conflict, as in Rails.
type params map[string]string

// maxBody limits the request bodies the fake reads.
const maxBody = 1 << 20

// parseParams reads the parameters of r. A JSON body must be an object;
// its strings are taken as they are, numbers in their JSON spelling, true as
// "true", nested values as their JSON text, and null and false are left
// out (they are falsy in Ruby).
func parseParams(r *http.Request) (params, error) {
	p := params{}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("cannot read the request body: %v", err)
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case len(strings.TrimSpace(string(body))) == 0:
	case ct == "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, fmt.Errorf("malformed form body: %v", err)
		}
		for k, vs := range form {
			p[k] = vs[len(vs)-1]
		}
	case ct == "" || ct == "application/json" || strings.HasSuffix(ct, "+json"):
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, fmt.Errorf("malformed JSON body: the body must be a JSON object")
		}
		for k, raw := range m {
			if v, ok := jsonParam(raw); ok {
				p[k] = v
			}
		}
	}
	for k, vs := range r.URL.Query() {
		p[k] = vs[len(vs)-1]
	}
	return p, nil
}

// jsonParam turns a JSON value into a parameter string; ok is false for
// null and false.
func jsonParam(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	switch t := strings.TrimSpace(string(raw)); t {
	case "null", "false":
		return "", false
	default:
		return t, true
	}
}

// get returns the parameter name, or "".
func (p params) get(name string) string { return p[name] }

// truthy reports whether the parameter is present and not empty, as a
// Ruby condition on params[name] would (the string "false" is truthy).
func (p params) truthy(name string) bool { return p[name] != "" }

// int reads an integer parameter; ok is false when it is absent.
func (p params) int(name string) (v int64, ok bool, err error) {
	s, present := p[name]
	if !present || s == "" {
		return 0, false, nil
	}
	v, err = strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%s must be an integer, got %q", name, s)
	}
	return v, true, nil
}

// requiredInt reads an integer parameter that must be present.
func (p params) requiredInt(name string) (int64, error) {
	v, ok, err := p.int(name)
	if err == nil && !ok {
		err = fmt.Errorf("%s is required", name)
	}
	return v, err
}

// requiredDate reads a yyyy-mm-dd parameter that must be present.
func (p params) requiredDate(name string) (time.Time, error) {
	s := p.get(name)
	if s == "" {
		return time.Time{}, fmt.Errorf("%s is required", name)
	}
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s must be a date in the form yyyy-mm-dd, got %q", name, s)
	}
	return t, nil
}

// paging reads page and per_page.
func (s *Server) paging(p params) (page, per int, err error) {
	pg, ok, err := p.int("page")
	if err != nil {
		return 0, 0, err
	}
	if !ok {
		pg = 1
	}
	if pg < 1 {
		return 0, 0, fmt.Errorf("page must be a positive integer, got %d", pg)
	}
	pp, ok, err := p.int("per_page")
	if err != nil {
		return 0, 0, err
	}
	if !ok {
		pp = int64(s.cfg.DefaultPerPage)
	}
	if pp < 1 {
		return 0, 0, fmt.Errorf("per_page must be a positive integer, got %d", pp)
	}
	// A page past the end is only echoed back, so capping it is harmless.
	return int(min(pg, math.MaxInt32)), int(min(pp, MaxPerPage)), nil
}

// listPage is the envelope of every list answer.
type listPage struct {
	Data        any  `json:"data"`
	TotalPages  int  `json:"total_pages"`
	CurrentPage int  `json:"current_page"`
	NextPage    *int `json:"next_page"`
}

// paginate builds page number page of per items out of n, calling item for
// the indexes on that page only.
func paginate[T any](n, page, per int, item func(i int) T) (int, any) {
	out := listPage{TotalPages: (n + per - 1) / per, CurrentPage: page}
	data := []T{}
	if page <= out.TotalPages {
		lo := (page - 1) * per
		for i := lo; i < min(lo+per, n); i++ {
			data = append(data, item(i))
		}
	}
	if page < out.TotalPages {
		next := page + 1
		out.NextPage = &next
	}
	out.Data = data
	return http.StatusOK, out
}

// paginateSlice pages through a slice.
func paginateSlice[T any](items []T, page, per int) (int, any) {
	return paginate(len(items), page, per, func(i int) T { return items[i] })
}

func (s *Server) customers(_ params, page, per int) (int, any) {
	return paginateSlice(s.data.Customers, page, per)
}

func (s *Server) stations(_ params, page, per int) (int, any) {
	return paginateSlice(s.data.Stations, page, per)
}

func (s *Server) equipmentTypes(_ params, page, per int) (int, any) {
	return paginateSlice(s.data.EquipmentTypes, page, per)
}

func (s *Server) channelArchiveTypes(p params, page, per int) (int, any) {
	typ, err := p.requiredInt("equipment_type_id")
	if err != nil {
		return http.StatusBadRequest, errorBody(err.Error())
	}
	var out []Channel
	for _, ch := range s.data.Channels {
		if ch.EquipmentTypeID == typ {
			out = append(out, ch)
		}
	}
	return paginateSlice(out, page, per)
}

// archiveItem is one row of channel_data.
type archiveItem struct {
	EventTime   int64         `json:"event_time"`
	ChannelData []wireReading `json:"channel_data"`
}

// wireReading is a [Reading] as sent: a JSON object with a single key.
type wireReading Reading

// MarshalJSON writes {"<code>":<value>}.
func (r wireReading) MarshalJSON() ([]byte, error) {
	k, err := json.Marshal(r.Code)
	if err != nil {
		return nil, err
	}
	v, err := json.Marshal(r.Value)
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "{%s:%s}", k, v), nil
}

func (s *Server) channelData(p params, page, per int) (int, any) {
	bad := func(err error) (int, any) { return http.StatusBadRequest, errorBody(err.Error()) }
	kind := p.get("archive_type")
	switch {
	case kind == "":
		return bad(fmt.Errorf("archive_type is required"))
	case kind != "settings" && archiveNames[kind] == "":
		return bad(fmt.Errorf("archive_type must be one of hourly, daily, monthly, yearly, nesht, settings, got %q", kind))
	}
	stationID, err := p.requiredInt("station_id")
	if err != nil {
		return bad(err)
	}
	equipmentID, err := p.requiredInt("equipment_id")
	if err != nil {
		return bad(err)
	}
	var from, to time.Time
	if kind != "settings" {
		if from, err = p.requiredDate("fp_start"); err != nil {
			return bad(err)
		}
		if to, err = p.requiredDate("fp_end"); err != nil {
			return bad(err)
		}
		if to.Before(from) {
			return bad(fmt.Errorf("fp_start must not be after fp_end"))
		}
	}
	st, ok := s.data.station(stationID)
	if !ok || st.EquipmentID != equipmentID {
		return http.StatusNotFound, errorBody("Not found")
	}
	if kind == "settings" {
		var items []Setting
		if s.data.Settings != nil {
			items = s.data.Settings(stationID)
		}
		return paginateSlice(items, page, per)
	}
	a, _ := s.data.archive(stationID, kind, from, to) // the station and kind are known
	return paginate(a.n, page, per, func(i int) archiveItem {
		row := a.row(i)
		item := archiveItem{EventTime: row.EventTime, ChannelData: make([]wireReading, len(row.Readings))}
		for j, rd := range row.Readings {
			item.ChannelData[j] = wireReading(rd)
		}
		return item
	})
}
