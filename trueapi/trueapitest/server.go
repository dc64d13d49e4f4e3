package trueapitest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

// APIPath is the path under which every route of the API lives.
const APIPath = "/api/v3/true-api/"

// Defaults of [Config].
const (
	DefaultCodes              = 2000
	DefaultTokenTTL           = 10 * time.Hour
	DefaultChallengeTTL       = time.Minute
	DefaultOrderDelay         = 2 * time.Second
	DefaultResultTTL          = time.Hour
	DefaultMaxCodesPerRequest = 1000
	DefaultDocumentDelay      = 2 * time.Second
)

// Limits of the API (as the documentation states them).
const (
	// MaxOrderCodes is the largest number of records in the result of a
	// cises/my order.
	MaxOrderCodes = 10000
	// MaxLimit is the largest limit of the paged routes.
	MaxLimit = 10000
	// MaxBodySize is the largest request body; larger bodies get 413.
	MaxBodySize = 30 << 20
)

// Formats of the file inside an order's result ZIP ([Config.OrderFormat]).
const (
	FormatJSON = "json"
	FormatCSV  = "csv"
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

// Config sets how the fake behaves. A zero field means its default.
type Config struct {
	// Owner is the BIN of the participant whose codes the data set mostly
	// holds, and the participant of every signer certificate whose BIN or
	// IIN owns or produced no code. Empty means [DefaultOwner].
	Owner string
	// OwnerName is the name of Owner in the data. Empty means
	// [DefaultOwnerName].
	OwnerName string
	// Codes is how many consumer units (UNIT codes) Owner has; their
	// aggregates, 20 packs sold to [OtherOwner1] and 150 units of each
	// other owner come on top. Zero (or less) means [DefaultCodes].
	Codes int
	// Seed seeds the generator: the same seed gives the same data set.
	Seed int64
	// TokenTTL is how long a token lives; afterwards it is answered with
	// the XML 401 InvalidTokenException. Zero means [DefaultTokenTTL].
	TokenTTL time.Duration
	// ChallengeTTL is how long a challenge of auth/key can be signed in
	// with. Zero means [DefaultChallengeTTL].
	ChallengeTTL time.Duration
	// OrderDelay is how long a cises/my order takes: NEW for the first
	// half, IN_PROGRESS for the second, then SUCCESS. Zero means
	// [DefaultOrderDelay]; a negative value makes orders succeed at once.
	OrderDelay time.Duration
	// ResultTTL is how long the result of a successful order is kept,
	// counted from its success; afterwards the status is RESULT_EXPIRED
	// and the result answers 404. Zero means [DefaultResultTTL].
	ResultTTL time.Duration
	// OrderFormat is the format of the file inside the result ZIP:
	// [FormatJSON] (the default when empty) or [FormatCSV].
	OrderFormat string
	// Latency is waited before answering every request. If the request's
	// context ends first, no answer is written.
	Latency time.Duration
	// MaxCodesPerRequest is the largest number of codes one request may
	// carry (cises/info, cises/list, cises/aggregated/list,
	// cis/cises-units-count); more get 400. Zero means
	// [DefaultMaxCodesPerRequest].
	MaxCodesPerRequest int
	// DocumentDelay is how long the check of a document takes: it is
	// IN_PROGRESS (EDO status 1, shipment CHECKING) until then; an export
	// shipment then moves on one step per DocumentDelay (SENT,
	// WAITING_ACCEPTANCE, ACCEPTED). Zero means [DefaultDocumentDelay]; a
	// negative value makes documents final at once.
	DocumentDelay time.Duration
}

// DefaultConfig returns the default behaviour, with every default filled
// in and seed 0.
func DefaultConfig() Config { return Config{}.withDefaults() }

// withDefaults fills in the zero fields. It panics on an unknown
// OrderFormat.
func (c Config) withDefaults() Config {
	if c.Owner == "" {
		c.Owner = DefaultOwner
	}
	if c.OwnerName == "" {
		c.OwnerName = DefaultOwnerName
	}
	if c.Codes <= 0 {
		c.Codes = DefaultCodes
	}
	if c.TokenTTL <= 0 {
		c.TokenTTL = DefaultTokenTTL
	}
	if c.ChallengeTTL <= 0 {
		c.ChallengeTTL = DefaultChallengeTTL
	}
	c.OrderDelay = configDelay(c.OrderDelay, DefaultOrderDelay)
	if c.ResultTTL <= 0 {
		c.ResultTTL = DefaultResultTTL
	}
	switch c.OrderFormat {
	case "":
		c.OrderFormat = FormatJSON
	case FormatJSON, FormatCSV:
	default:
		panic(fmt.Sprintf("trueapitest: unknown OrderFormat %q (want %q or %q)", c.OrderFormat, FormatJSON, FormatCSV))
	}
	if c.MaxCodesPerRequest <= 0 {
		c.MaxCodesPerRequest = DefaultMaxCodesPerRequest
	}
	c.DocumentDelay = configDelay(c.DocumentDelay, DefaultDocumentDelay)
	return c
}

// configDelay is a configured delay: 0 means def, and any negative one
// no delay (-1).
func configDelay(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return -1
	}
	return d
}

// Stats counts what the fake did.
type Stats struct {
	// Challenges counts challenges handed out by auth/key.
	Challenges int
	// SignIns counts tokens issued by auth/simpleSignIn.
	SignIns int
	// SignInFailures counts refused auth/simpleSignIn requests.
	SignInFailures int
	// TokenErrors counts 401 answers on the routes that need a token.
	TokenErrors int
	// NotAcceptable counts 406 answers.
	NotAcceptable int
	// Requests counts the requests per route, keyed by method and route
	// as in "GET cises/history", "POST cises/info" or
	// "GET cises/orders/{uuid}/status", whatever the answer.
	Requests map[string]int
	// CodesQueried counts the codes asked for in cises/info requests
	// that got past validation.
	CodesQueried int
	// Orders counts orders accepted by cises/my.
	Orders int
	// ResultDownloads counts result ZIPs served.
	ResultDownloads int
	// ResultContentType counts cises/orders/{uuid}/result requests that
	// carried a Content-Type header, which the API no longer wants
	// (changelog 2.15).
	ResultContentType int
	// Documents counts documents registered by the document-creating
	// routes (formal, introduce-goods, third_countries, writeOff,
	// shipments, acceptancies).
	Documents int
	// DocumentsReceived counts, per sha256 hex digest, how many times the
	// same bytes reached a creating route: the decoded document of the
	// document routes, the decoded CMS of the EDO title signatures, the
	// body of an invoice request. It counts every request that got past
	// the transport checks, refused or not, so a value above 1 means the
	// same content was sent twice.
	DocumentsReceived map[string]int
	// SignatureFailures counts documents and titles refused because their
	// signature did not verify against the content.
	SignatureFailures int
	// TitlesSigned counts EDO titles whose signature was accepted.
	TitlesSigned int
	// Invoices counts invoice requests (elk/crm-api/prequests) accepted.
	Invoices int
}

// Server is a running fake of True API. Its Faults and Recorder fields come
// from [fakekit.Server]. Close it when done.
type Server struct {
	*fakekit.Server

	cfg Config

	mu         sync.Mutex
	codes      map[string]*Code // by canonical form
	order      []string         // canonical forms, in generation and addition order
	challenges map[string]challenge
	tokens     map[string]tokenInfo
	orders     map[string]*order
	failNext   []string
	docs       docStore
	stats      Stats
	maxBody    int64 // MaxBodySize; tests lower it
}

// NewServer starts a fake with [DefaultConfig].
func NewServer() *Server { return NewServerWith(Config{}) }

// NewServerWith starts a fake with the given configuration; zero fields
// take their defaults.
func NewServerWith(cfg Config) *Server {
	cfg = cfg.withDefaults()
	codes, keys := generate(cfg)
	s := &Server{
		cfg:        cfg,
		codes:      codes,
		order:      keys,
		challenges: map[string]challenge{},
		tokens:     map[string]tokenInfo{},
		orders:     map[string]*order{},
		stats:      Stats{Requests: map[string]int{}, DocumentsReceived: map[string]int{}},
		maxBody:    MaxBodySize,
	}
	s.seedDocuments()
	s.Server = fakekit.NewServer(http.HandlerFunc(s.serve))
	return s
}

// BaseURL returns the root of the API with its trailing slash, for example
// "http://127.0.0.1:40123/api/v3/true-api/".
func (s *Server) BaseURL() string { return s.URL + APIPath }

// Handler returns the server's full handler (recorder, faults, fake), for
// serving requests in-process without a socket, for example inside a
// testing/synctest bubble.
func (s *Server) Handler() http.Handler { return s.Config.Handler }

// Requests returns a copy of the requests received so far, in order.
func (s *Server) Requests() []Recorded { return s.Recorder.Requests() }

// Owner returns the configured owner ([Config.Owner] after defaults).
func (s *Server) Owner() string { return s.cfg.Owner }

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Requests = maps.Clone(s.stats.Requests)
	st.DocumentsReceived = maps.Clone(s.stats.DocumentsReceived)
	return st
}

// count updates the counters under the lock.
func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.stats)
}

// OwnCodes returns copies of the codes the owner ([Config.Owner]) may see
// (it owns or produced them), in the order they were generated or added.
func (s *Server) OwnCodes() []Code { return s.codesWhere(true) }

// ForeignCodes returns copies of the codes the owner may not see, in the
// order they were generated or added.
func (s *Server) ForeignCodes() []Code { return s.codesWhere(false) }

// codesWhere returns the codes whose visibility to the owner is visible.
func (s *Server) codesWhere(visible bool) []Code {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Code
	for _, k := range s.order {
		if c := s.codes[k]; c.visibleTo(s.cfg.Owner) == visible {
			out = append(out, c.clone())
		}
	}
	return out
}

// Lookup returns a copy of the code, given in either form (with or
// without GS1 brackets, with or without a crypto tail after a GS
// character).
func (s *Server) Lookup(cis string) (Code, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[canonical(cis)]
	if !ok {
		return Code{}, false
	}
	return c.clone(), true
}

// AddCode adds c to the data set, or replaces the code with the same
// canonical form. It does not link c into its parent's Children or its
// children's Parent: set both sides. A zero ProductGroupID is filled in
// from ProductGroup, and an empty Serial from Cis.
func (s *Server) AddCode(c Code) {
	c = c.clone()
	if g, ok := groupByName(c.ProductGroup); ok && c.ProductGroupID == 0 {
		c.ProductGroupID = g.ID
	}
	k := canonical(c.Cis)
	if c.Serial == "" && len(k) > 18 && strings.HasPrefix(k, "01") {
		c.Serial = k[18:]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.codes[k]; !ok {
		s.order = append(s.order, k)
	}
	s.codes[k] = &c
}

// GTINs returns the sorted GTINs of the codes the participant owns or
// produced.
func (s *Server) GTINs(participant string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := map[string]bool{}
	for _, c := range s.codes {
		if c.visibleTo(participant) {
			set[c.GTIN] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// obj is a JSON object.
type obj = map[string]any

// call is one request being answered.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	q      url.Values
	pid    string   // the token's participant; empty on the auth routes
	id     string   // the first {placeholder} of the route: the order's {uuid}, a document id …
	params []string // the values of every {placeholder} of the route, in order
}

// handler answers one route.
type handler func(s *Server, c *call)

// Content types of the answers.
const (
	typeJSON = "application/json"
	typeZIP  = "application/zip"
	typeXML  = "application/xml"
)

// routes maps a route and a method to its handler.
var routes = map[string]map[string]handler{
	"auth/key":                   {http.MethodGet: (*Server).serveKey},
	"auth/simpleSignIn":          {http.MethodPost: (*Server).serveSignIn},
	"cises/my":                   {http.MethodPost: (*Server).serveOrder},
	"cises/orders/{uuid}/status": {http.MethodGet: (*Server).serveOrderStatus},
	"cises/orders/{uuid}/result": {http.MethodGet: (*Server).serveOrderResult},
	"cis/cises-units-count":      {http.MethodPost: (*Server).serveUnitsCount},
	"cises/info":                 {http.MethodPost: (*Server).serveInfo},
	"cises/aggregated/list":      {http.MethodPost: (*Server).serveAggregatedPost, http.MethodGet: (*Server).serveAggregatedGet},
	"cises/list":                 {http.MethodPost: (*Server).serveList},
	"cises/listV2":               {http.MethodGet: (*Server).serveCisesListV2},
	"cises/history":              {http.MethodGet: (*Server).serveHistory},
	"product/gtin":               {http.MethodGet: (*Server).serveGTINs},
	"products/info":              {http.MethodGet: (*Server).serveProductInfo},
	"product/route/gtin":         {http.MethodPost: (*Server).serveRoute},
	"products/listV2":            {http.MethodGet: (*Server).serveProductsListV2},

	// Documents (§7 of the documentation).
	"edo-api/outgoing-documents":                                          {http.MethodGet: (*Server).serveOutgoing},
	"edo-api/incoming-documents":                                          {http.MethodGet: (*Server).serveIncoming},
	"edo-api/outgoing-documents/{documentId}/base64":                      {http.MethodGet: (*Server).serveOutgoingBase64},
	"edo-api/incoming-documents/{documentId}/base64":                      {http.MethodGet: (*Server).serveIncomingBase64},
	"edo-api/documents/info/{documentId}":                                 {http.MethodGet: (*Server).serveEdoInfo},
	"documents/search":                                                    {http.MethodPost: (*Server).serveSearch},
	"edo-api/outgoing-documents/{documentId}/events/withdraw/base64":      {http.MethodGet: (*Server).serveWithdrawTitle},
	"edo-api/incoming-documents/{documentId}/events/{decision}/base64":    {http.MethodGet: (*Server).serveDecisionTitle},
	"edo-api/incoming-documents/{documentId}/events/{decision}":           {http.MethodPost: (*Server).serveCreateDecision},
	"edo-api/incoming-documents/{documentId}/events/{decision}/signature": {http.MethodPost: (*Server).serveSignDecision},
	"edo-api/outgoing-documents/{documentId}/events/withdraw":             {http.MethodPost: (*Server).serveCreateWithdraw},
	"edo-api/outgoing-documents/{documentId}/events/signature":            {http.MethodPost: (*Server).serveSignWithdraw},
	"documents/transit/introduce-goods/create":                            {http.MethodPost: (*Server).serveIntroduce},
	"edo-api/outgoing-documents/formal":                                   {http.MethodPost: (*Server).serveFormal},
	"documents/transit/import/third_countries":                            {http.MethodPost: (*Server).serveThirdCountries},
	"documents/writeOff":                                                  {http.MethodPost: (*Server).serveWriteOff},
	"edo-api/shipments":                                                   {http.MethodPost: (*Server).serveShipment},
	"edo-api/shipments/{shipmentId}/status":                               {http.MethodGet: (*Server).serveShipmentStatus},
	"edo-api/shipments/{shipmentId}/view":                                 {http.MethodGet: (*Server).serveShipmentView},
	"documents/searchV2":                                                  {http.MethodPost: (*Server).serveSearchV2},
	"documents/import/shipment/{shipment_id}":                             {http.MethodGet: (*Server).serveImportShipment},
	"documents/import/acceptancies":                                       {http.MethodPost: (*Server).serveAcceptance},
	"documents/import/status/{doc_id}":                                    {http.MethodGet: (*Server).serveImportStatus},
	"doc/listV2":                                                          {http.MethodGet: (*Server).serveDocList},
	"documents/{document_id}/info":                                        {http.MethodGet: (*Server).serveDocInfo},
	"receipt/listV2":                                                      {http.MethodGet: (*Server).serveReceiptList},
	"receipt/{receiptId}/info":                                            {http.MethodGet: (*Server).serveReceiptInfo},

	// Billing (§8 of the documentation).
	"elk/crm-api/prequests":          {http.MethodPost: (*Server).serveInvoiceRequest},
	"elk/product-groups/balance":     {http.MethodGet: (*Server).serveBalance},
	"elk/product-groups/balance/all": {http.MethodGet: (*Server).serveBalances},
}

// patterns are the routes with {placeholders}, split into segments, the
// most literal first.
var patterns = patternsOf(routes)

// patternsOf lists the routes with placeholders, split into segments,
// those with more literal segments first so that they win.
func patternsOf(rs map[string]map[string]handler) [][]string {
	var out [][]string
	for name := range rs {
		if strings.Contains(name, "{") {
			out = append(out, strings.Split(name, "/"))
		}
	}
	literal := func(p []string) int {
		n := 0
		for _, seg := range p {
			if !strings.HasPrefix(seg, "{") {
				n++
			}
		}
		return n
	}
	slices.SortFunc(out, func(a, b []string) int {
		return cmp.Or(literal(b)-literal(a), strings.Compare(strings.Join(a, "/"), strings.Join(b, "/")))
	})
	return out
}

// routeOf returns the route name of a path below APIPath and the values
// of its {placeholders}, which may not be empty.
func routeOf(rest string) (name string, params []string) {
	if _, ok := routes[rest]; ok && !strings.Contains(rest, "{") {
		return rest, nil
	}
	segs := strings.Split(rest, "/")
next:
	for _, p := range patterns {
		if len(p) != len(segs) {
			continue
		}
		params = params[:0]
		for i, seg := range p {
			switch {
			case strings.HasPrefix(seg, "{"):
				if segs[i] == "" {
					continue next
				}
				params = append(params, segs[i])
			case seg != segs[i]:
				continue next
			}
		}
		return strings.Join(p, "/"), params
	}
	return "", nil
}

// Messages of the API.
const (
	msgNoMethod = "Метод с указанным URL не найден"
	msgTooLarge = "Слишком большой запрос"
)

// serve is the fake's handler: latency, routing, the token check, the
// Accept check, then the route.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !fakekit.Sleep(r.Context(), s.cfg.Latency) {
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, APIPath)
	name, params := routeOf(rest)
	methods := routes[name]
	if !ok || methods == nil {
		fakekit.WriteJSON(w, http.StatusNotFound, obj{"error_message": msgNoMethod})
		return
	}
	h := methods[r.Method]
	if h == nil {
		w.Header().Set("Allow", strings.Join(slices.Sorted(maps.Keys(methods)), ", "))
		fakekit.WriteJSON(w, http.StatusMethodNotAllowed, obj{"error_message": "Request method '" + r.Method + "' not supported"})
		return
	}
	s.count(func(st *Stats) { st.Requests[r.Method+" "+name]++ })
	c := &call{w: w, r: r, params: params}
	if len(params) > 0 {
		c.id = params[0]
	}
	if !strings.HasPrefix(name, "auth/") {
		pid, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		c.pid = pid
	}
	produces := []string{typeJSON}
	if name == "cises/orders/{uuid}/result" {
		produces = append(produces, typeZIP)
	}
	produces = append(produces, textRoutes[name]...)
	if !slices.ContainsFunc(produces, func(t string) bool { return accepts(r.Header, t) }) {
		s.notAcceptable(w)
		return
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.fail(c, http.StatusBadRequest, "Неверный формат параметров запроса: "+err.Error())
		return
	}
	c.q = q
	h(s, c)
}

// accepts reports whether the Accept headers admit the content type. No
// Accept header (or an empty one) admits everything; a range with q=0
// admits nothing.
func accepts(h http.Header, ctype string) bool {
	major, _, _ := strings.Cut(ctype, "/")
	seen := false
	for _, v := range h.Values("Accept") {
		for part := range strings.SplitSeq(v, ",") {
			mt, params, _ := strings.Cut(part, ";")
			mt = strings.ToLower(strings.TrimSpace(mt))
			if mt == "" {
				continue
			}
			seen = true
			if zeroQ(params) {
				continue
			}
			if mt == "*/*" || mt == ctype || mt == major+"/*" {
				return true
			}
		}
	}
	return !seen
}

// zeroQ reports whether media-range parameters hold q=0.
func zeroQ(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return err == nil && q == 0
		}
	}
	return false
}

// notAcceptable answers 406 with an empty body (§2.5 of the documentation).
func (s *Server) notAcceptable(w http.ResponseWriter) {
	s.count(func(st *Stats) { st.NotAcceptable++ })
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusNotAcceptable)
}

// writeJSON answers with v as JSON, or 406 if JSON is not acceptable.
func (s *Server) writeJSON(c *call, status int, v any) {
	if !accepts(c.r.Header, typeJSON) {
		s.notAcceptable(c.w)
		return
	}
	fakekit.WriteJSON(c.w, status, v)
}

// fail answers status with {"error_message": msg}.
func (s *Server) fail(c *call, status int, msg string) {
	s.writeJSON(c, status, obj{"error_message": msg})
}

// missing answers 400 for a missing required parameter.
func (s *Server) missing(c *call, name string) {
	s.fail(c, http.StatusBadRequest, "Отсутствует обязательный параметр: "+name)
}

// badType answers 400 for a parameter of the wrong type (§2.1 of the documentation).
func (s *Server) badType(c *call, name, typ string) {
	s.fail(c, http.StatusBadRequest, "Параметр "+name+" требует значение типа "+typ)
}

// readBody reads a JSON request body; see [Server.bodyOf]. It answers the
// errors itself and then returns ok false.
func (s *Server) readBody(c *call) (body []byte, ok bool) {
	body, status, msg := s.bodyOf(c)
	if msg != "" {
		s.fail(c, status, msg)
		return nil, false
	}
	return body, true
}

// bodyOf reads a JSON request body. A Content-Type other than JSON gives
// 415 and a body over MaxBodySize 413, with their messages; a missing
// Content-Type is accepted.
func (s *Server) bodyOf(c *call) (body []byte, status int, msg string) {
	if ct := c.r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != typeJSON {
			return nil, http.StatusUnsupportedMediaType, "Content type '" + ct + "' not supported"
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, s.maxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, http.StatusRequestEntityTooLarge, msgTooLarge
	case err != nil:
		return nil, http.StatusBadRequest, "I/O error while reading input message: " + err.Error()
	}
	return body, 0, ""
}

// Java types named in the Jackson-like parse errors.
const (
	javaList   = "java.util.ArrayList"
	javaMap    = "java.util.LinkedHashMap"
	javaString = "java.lang.String"
)

// tokenKind names the Jackson token of a decoded JSON value.
func tokenKind(v any) string {
	switch v := v.(type) {
	case map[string]any:
		return "START_OBJECT"
	case []any:
		return "START_ARRAY"
	case string:
		return "VALUE_STRING"
	case json.Number:
		if strings.ContainsAny(string(v), ".eE") {
			return "VALUE_NUMBER_FLOAT"
		}
		return "VALUE_NUMBER_INT"
	case bool:
		if v {
			return "VALUE_TRUE"
		}
		return "VALUE_FALSE"
	}
	return "VALUE_NULL"
}

// cannotDeserialize is Jackson's message for a value of the wrong kind.
func cannotDeserialize(javaType string, v any) string {
	return "JSON parse error: Cannot deserialize instance of `" + javaType + "` out of " + tokenKind(v) + " token"
}

// decodeBody decodes a JSON body into a generic value. It returns a
// Jackson-like message when the body is empty or not JSON.
func decodeBody(body []byte) (any, string) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, "Required request body is missing"
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, "JSON parse error: " + err.Error()
	}
	if dec.More() {
		return nil, "JSON parse error: unexpected data after the JSON value"
	}
	return v, ""
}

// decodeObject is decodeBody for a body that must be a JSON object; a
// value of another kind gets Jackson's message for a Map.
func decodeObject(body []byte) (map[string]any, string) {
	v, msg := decodeBody(body)
	if msg != "" {
		return nil, msg
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, cannotDeserialize(javaMap, v)
	}
	return m, ""
}

// objectBody reads a JSON body (see bodyOf) that must be an object; it
// answers the errors itself.
func (s *Server) objectBody(c *call) (body []byte, m map[string]any, ok bool) {
	if body, ok = s.readBody(c); !ok {
		return nil, nil, false
	}
	m, msg := decodeObject(body)
	if msg != "" {
		s.fail(c, http.StatusBadRequest, msg)
		return nil, nil, false
	}
	return body, m, true
}

// jsonText reads a decoded member as Jackson reads a String: a string, a
// number as its text, or "" for null or absent; ok is false for any other
// kind.
func jsonText(v any) (s string, ok bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, true
	case json.Number:
		return string(x), true
	}
	return "", false
}

// stringList reads a bare JSON array of strings. Null elements are
// skipped; numbers are taken as their text, as Jackson coerces them.
func stringList(v any) ([]string, string) {
	list, ok := v.([]any)
	if !ok {
		return nil, cannotDeserialize(javaList, v)
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		switch e := e.(type) {
		case nil:
		case string:
			out = append(out, e)
		case json.Number:
			out = append(out, string(e))
		default:
			return nil, cannotDeserialize(javaString, e)
		}
	}
	return out, ""
}

// codesBody reads the bare JSON array of codes of the POST routes and
// checks its size: 1 to MaxCodesPerRequest codes. It answers the errors
// itself.
func (s *Server) codesBody(c *call) ([]string, bool) {
	body, ok := s.readBody(c)
	if !ok {
		return nil, false
	}
	v, msg := decodeBody(body)
	var codes []string
	if msg == "" {
		codes, msg = stringList(v)
	}
	if msg != "" {
		s.fail(c, http.StatusBadRequest, msg)
		return nil, false
	}
	return codes, s.checkCount(c, len(codes))
}

// msgNoCodes is the 400 for a request without codes.
const msgNoCodes = "В запросе не указан ни один КМ"

// checkCount answers 400 unless 1 ≤ n ≤ MaxCodesPerRequest.
func (s *Server) checkCount(c *call, n int) bool {
	switch {
	case n == 0:
		s.fail(c, http.StatusBadRequest, msgNoCodes)
		return false
	case n > s.cfg.MaxCodesPerRequest:
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("Количество КМ в запросе (%d) превышает допустимое: %d", n, s.cfg.MaxCodesPerRequest))
		return false
	}
	return true
}

// groupParam reads the optional pg parameter. An unknown group gets 400;
// required makes a missing one a 400 too.
func (s *Server) groupParam(c *call, required bool) (ProductGroup, bool) {
	pg := c.q.Get("pg")
	if pg == "" {
		if required {
			s.missing(c, "pg")
			return ProductGroup{}, false
		}
		return ProductGroup{}, true
	}
	g, ok := groupByName(pg)
	if !ok {
		s.fail(c, http.StatusBadRequest, "Could not determine product group by name '"+pg+"'")
		return ProductGroup{}, false
	}
	return g, true
}

// intParam reads an optional integer parameter, def when absent; it
// answers 400 when the value is not an integer or is below lo.
func (s *Server) intParam(c *call, name string, def, lo int) (int, bool) {
	v := c.q.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		s.badType(c, name, "Integer")
		return 0, false
	}
	if n < lo {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("Параметр %s должен быть не меньше %d", name, lo))
		return 0, false
	}
	return n, true
}

// limitParam reads limit: an integer from 1 to MaxLimit, def when absent.
func (s *Server) limitParam(c *call, def int) (int, bool) {
	n, ok := s.intParam(c, "limit", def, 1)
	if ok && n > MaxLimit {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("Лимит превышен, запросите не более %d записей. Получено значение %d", MaxLimit, n))
		return 0, false
	}
	return n, ok
}

// Date-time layouts of the answers (as the documentation writes them).
const (
	layoutMillis  = "2006-01-02T15:04:05.000Z"
	layoutSeconds = "2006-01-02T15:04:05Z"
)

// formatTime writes t in UTC with milliseconds; the zero time is "".
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(layoutMillis)
}

// parseTime reads a date-time with or without fractional seconds, or a
// bare date.
func parseTime(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// timeParam reads an optional date-time parameter; a malformed one gets
// 400.
func (s *Server) timeParam(c *call, name string) (time.Time, bool) {
	v := c.q.Get(name)
	if v == "" {
		return time.Time{}, true
	}
	t, ok := parseTime(v)
	if !ok {
		s.badType(c, name, "DateTime")
	}
	return t, ok
}

// resolve finds a requested code the participant may see. The caller
// holds s.mu.
func (s *Server) resolve(raw, pid string) (*Code, bool) {
	c, ok := s.codes[canonical(raw)]
	if !ok || !c.visibleTo(pid) {
		return nil, false
	}
	return c, true
}

// owner returns the owner fields of c as the participant may see them:
// owner information is shown only to the owner.
func owner(c *Code, pid string) (bin, name string) {
	if c.Owner != pid {
		return "", ""
	}
	return c.Owner, c.OwnerName
}

// children returns the children of c, never nil.
func children(c *Code) []string {
	if c.Children == nil {
		return []string{}
	}
	return slices.Clone(c.Children)
}

// units counts the consumer units in c: 1 for a UNIT, the sum over the
// children for an aggregate. The caller holds s.mu.
func (s *Server) units(c *Code, byGTIN map[string]int) int {
	if c.PackageType == PackageUnit {
		if byGTIN != nil {
			byGTIN[c.GTIN]++
		}
		return 1
	}
	n := 0
	for _, ch := range c.Children {
		if cc, ok := s.codes[canonical(ch)]; ok {
			n += s.units(cc, byGTIN)
		}
	}
	return n
}
