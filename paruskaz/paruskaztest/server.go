package paruskaztest

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

// DefaultAPIKey is the key the fake accepts when [Config.APIKeys] is nil.
const DefaultAPIKey = "test-api-key-0001"

// BasePath is the default base path of the API, with a trailing slash; the
// only route is BasePath + "data_set" ([DataSetPath]).
const BasePath = "/back/apikey/v1/"

// DataSetPath is the default path of the upload route. The fake also
// answers the document's other spellings; see the package documentation.
const DataSetPath = BasePath + "data_set"

// MaxBodyBytes is the default body limit: the document's "до 50 МБ в
// запросе" read as 50·10⁶ bytes, the stricter reading (50 MiB would be
// 52,428,800 bytes).
const MaxBodyBytes = 50_000_000

// DefaultRateLimit is the number of requests per second and client IP the
// fake admits when [Config.RateLimit] is zero, as the document states.
const DefaultRateLimit = 2

// ReasonHeader is the response header in which the fake explains, in
// English, why it refused a request. The real server does not send it.
const ReasonHeader = "X-Fake-Reason"

// The message texts of the answers. The first four are the document's;
// the 500 text keeps its typo. The others are the fake's own.
const (
	MsgOK               = "OK"
	MsgBadRequest       = "Ошибка передачи параметров"
	MsgUnauthorized     = "Ошибка авторизации (ключ не верный или заблокирован)"
	MsgInternalError    = "Втнутренняя ошибка сервера"
	MsgTooLarge         = "Превышен допустимый размер запроса"
	MsgTooManyRequests  = "Слишком много запросов"
	MsgMethodNotAllowed = "Метод не поддерживается"
	MsgNotFound         = "Не найдено"
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

// InternalErrorFault returns a fault that answers the next POST with the
// document's 500 answer, {"message":"Втнутренняя ошибка сервера"}. Set its
// Times to repeat it.
func InternalErrorFault() Fault {
	return Fault{
		Method: http.MethodPost,
		Status: http.StatusInternalServerError,
		Body:   `{"message":"` + MsgInternalError + `"}`,
	}
}

// Config sets how the fake behaves. The zero value of a field means its
// default.
type Config struct {
	// APIKeys are the accepted values of the X-API-KEY header. Nil means
	// {DefaultAPIKey}; an empty non-nil slice refuses every key.
	APIKeys []string
	// MaxBodyBytes is the largest accepted body, in bytes. Zero (or
	// negative) means MaxBodyBytes.
	MaxBodyBytes int64
	// RateLimit is the number of requests per second admitted from one
	// client IP. Zero means DefaultRateLimit (2); a negative value turns
	// the limit off.
	RateLimit int
	// Checksum makes the fake also verify the check digit of every BIN
	// and IIN. It is off by default because the document's own sample
	// number fails the check.
	Checksum bool
	// Latency is waited before anything else, as if the network were slow,
	// on every request that reaches the fake. If the request's context
	// ends first, the request is not answered and not counted by the rate
	// limiter.
	Latency time.Duration
}

// DefaultConfig returns the documented behaviour: the key DefaultAPIKey,
// a 50 MB body limit, 2 requests per second per IP, no checksum and no
// latency.
func DefaultConfig() Config {
	return Config{
		APIKeys:      []string{DefaultAPIKey},
		MaxBodyBytes: MaxBodyBytes,
		RateLimit:    DefaultRateLimit,
	}
}

// Stats counts what the fake has seen since it started or was reset.
type Stats struct {
	// Requests is the number of requests that reached the fake's handler,
	// whatever their answer (or none, if the client gave up during
	// Latency). Requests answered by an injected fault are not counted;
	// the Recorder sees those.
	Requests int
	// Accepted is the number of requests answered 200.
	Accepted int
	// BadRequests is the number of requests answered 400.
	BadRequests int
	// Unauthorized is the number of requests answered 401.
	Unauthorized int
	// RateLimited is the number of requests answered 429.
	RateLimited int
	// TooLarge is the number of requests answered 413.
	TooLarge int
	// Duplicates is the number of events in accepted requests that were
	// not stored because the same pass was already stored.
	Duplicates int
	// MaxBodySeen is the size in bytes of the largest body answered 200.
	MaxBodySeen int64
}

// Server is a running fake of the API. Its Faults and Recorder fields come
// from [fakekit.Server]. Close it when done.
type Server struct {
	*fakekit.Server

	cfg     Config
	now     func() time.Time
	limiter limiter

	mu       sync.Mutex // guards the fields below
	events   []Event
	index    map[passKey]int
	stats    Stats
	accepted []time.Time
}

// NewServer starts a fake with [DefaultConfig].
func NewServer() *Server { return NewServerWith(DefaultConfig()) }

// NewServerWith starts a fake with the given configuration.
func NewServerWith(cfg Config) *Server { return newServer(cfg, time.Now) }

// newServer starts a fake that reads the time from now.
func newServer(cfg Config, now func() time.Time) *Server {
	if cfg.APIKeys == nil {
		cfg.APIKeys = []string{DefaultAPIKey}
	} else {
		cfg.APIKeys = append([]string(nil), cfg.APIKeys...)
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = MaxBodyBytes
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	s := &Server{
		cfg:     cfg,
		now:     now,
		limiter: limiter{perSecond: cfg.RateLimit, seen: map[string][]time.Time{}},
		index:   map[passKey]int{},
	}
	s.Server = fakekit.NewServer(http.HandlerFunc(s.serve))
	return s
}

// BaseURL returns the root of the API with a trailing slash, for example
// "http://127.0.0.1:40123/back/apikey/v1/".
func (s *Server) BaseURL() string { return s.URL + BasePath }

// Handler returns the server's complete handler (recorder, then faults,
// then the fake), so that a test can call it in-process, without a
// socket, for example inside a testing/synctest bubble.
func (s *Server) Handler() http.Handler { return s.Config.Handler }

// routes are the paths the fake answers; r.URL.Path is already decoded,
// so "data%20set" arrives as "data set".
var routes = map[string]bool{
	"/back/apikey/v1/data_set": true,
	"/apikey/v1/data_set":      true,
	"/back/apikey/v1/data set": true,
	"/apikey/v1/data set":      true,
}

// message is the body of every answer.
type message struct {
	Message string `json:"message"`
}

// refuse answers with status, msg and the reason header.
func refuse(w http.ResponseWriter, status int, msg, reason string) {
	w.Header().Set(ReasonHeader, reason)
	fakekit.WriteJSON(w, status, message{msg})
}

// serve is the fake's handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.count(func(st *Stats) { st.Requests++ })
	if !fakekit.Sleep(r.Context(), s.cfg.Latency) {
		return
	}
	if !routes[r.URL.Path] {
		refuse(w, http.StatusNotFound, MsgNotFound, fmt.Sprintf("no route %+q", r.URL.Path))
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		refuse(w, http.StatusMethodNotAllowed, MsgMethodNotAllowed, "method "+r.Method+" is not allowed, use POST")
		return
	}
	admitted := s.now()
	if !s.limiter.admit(clientIP(r.RemoteAddr), admitted) {
		s.count(func(st *Stats) { st.RateLimited++ })
		w.Header().Set("Retry-After", "1")
		refuse(w, http.StatusTooManyRequests, MsgTooManyRequests,
			fmt.Sprintf("more than %d requests within one second from this IP", s.cfg.RateLimit))
		return
	}
	if reason := s.authorize(r.Header); reason != "" {
		s.count(func(st *Stats) { st.Unauthorized++ })
		refuse(w, http.StatusUnauthorized, MsgUnauthorized, reason)
		return
	}
	if r.ContentLength > s.cfg.MaxBodyBytes {
		s.tooLarge(w, r.ContentLength)
		return
	}
	if reason := checkContentType(r.Header.Get("Content-Type")); reason != "" {
		s.badRequest(w, reason)
		return
	}
	if r.Body == nil { // possible only for a request built by hand
		r.Body = http.NoBody
	}
	body := &countingReader{r: http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)}
	events, err := decodeBody(body, s.cfg.Checksum)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.tooLarge(w, -1)
		return
	}
	if err != nil {
		s.badRequest(w, err.Error())
		return
	}
	s.store(events, admitted, body.n)
	fakekit.WriteJSON(w, http.StatusOK, message{MsgOK})
}

// badRequest answers 400 with reason.
func (s *Server) badRequest(w http.ResponseWriter, reason string) {
	s.count(func(st *Stats) { st.BadRequests++ })
	refuse(w, http.StatusBadRequest, MsgBadRequest, reason)
}

// tooLarge answers 413; declared is the declared body size, or -1.
func (s *Server) tooLarge(w http.ResponseWriter, declared int64) {
	s.count(func(st *Stats) { st.TooLarge++ })
	reason := fmt.Sprintf("body larger than %d bytes", s.cfg.MaxBodyBytes)
	if declared >= 0 {
		reason = fmt.Sprintf("declared body of %d bytes is larger than %d bytes", declared, s.cfg.MaxBodyBytes)
	}
	refuse(w, http.StatusRequestEntityTooLarge, MsgTooLarge, reason)
}

// authorize checks the X-API-KEY header and returns why it is refused, or
// "".
func (s *Server) authorize(h http.Header) string {
	vs := h.Values("X-Api-Key")
	switch len(vs) {
	case 0:
		return "missing X-API-KEY header"
	case 1:
	default:
		return "more than one X-API-KEY header"
	}
	got := []byte(vs[0])
	match := 0
	for _, k := range s.cfg.APIKeys {
		match |= subtle.ConstantTimeCompare(got, []byte(k))
	}
	if match != 1 {
		return "unknown API key"
	}
	return ""
}

// checkContentType returns why ct is not acceptable, or "".
func checkContentType(ct string) string {
	if ct == "" {
		return "missing Content-Type, want application/json"
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return fmt.Sprintf("Content-Type %+q, want application/json", ct)
	}
	return ""
}

// count updates the statistics under the lock.
func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.stats)
}

// Stats returns a copy of the statistics.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// AcceptedTimes returns the time at which every request answered 200 was
// admitted by the rate limiter, in order of admission. With two
// requests per second allowed, no window of one second contains more than
// two of them.
func (s *Server) AcceptedTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]time.Time(nil), s.accepted...)
	sortTimes(out)
	return out
}

// Reset forgets the stored events, the statistics, the accepted times and
// the rate limiter's history. Injected faults and recorded requests are
// kept; see Faults.Clear and Recorder.Reset.
func (s *Server) Reset() {
	s.mu.Lock()
	s.events = nil
	s.index = map[passKey]int{}
	s.stats = Stats{}
	s.accepted = nil
	s.mu.Unlock()
	s.limiter.reset()
}

// limiter is a sliding-window rate limiter per client IP.
type limiter struct {
	perSecond int // negative: no limit

	mu   sync.Mutex
	seen map[string][]time.Time // admission times within the last second, oldest first
}

// admit reports whether a request from ip arriving at now is admitted, and
// records it if so.
func (l *limiter) admit(ip string, now time.Time) bool {
	if l.perSecond < 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.seen[ip]
	cut := now.Add(-time.Second)
	i := 0
	for i < len(times) && !times[i].After(cut) {
		i++
	}
	times = times[i:]
	if len(times) >= l.perSecond {
		l.seen[ip] = times
		return false
	}
	l.seen[ip] = append(times, now)
	return true
}

// reset forgets every admission.
func (l *limiter) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.seen)
}

// clientIP returns the host part of addr, or addr itself if it has none.
func clientIP(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return addr
	}
	return host
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

// Read reads from the underlying reader and counts the bytes.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
