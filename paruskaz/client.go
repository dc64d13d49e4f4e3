package paruskaz

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"golang.org/x/time/rate"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// DefaultBaseURL is the API root of the documentation's URL
// https://sb.paruskaz.kz/back/apikey/v1/data_set.
const DefaultBaseURL = "https://" + defaultHost + "/back/apikey/v1/"

// defaultHost is the host of DefaultBaseURL.
const defaultHost = "sb.paruskaz.kz"

// DefaultPath is the method's path under the base URL. The documentation
// also writes it "data set" (with a space) and without the /back prefix;
// [WithBaseURL] and [WithPath] reach such a server.
const DefaultPath = "data_set"

// MaxBodyBytes is the documented request size limit, "до 50 МБ в запросе",
// read as 50,000,000 bytes (the stricter of 50·10⁶ and 50·2²⁰).
const MaxBodyBytes = 50_000_000

// RequestsPerSecond is the documented rate limit, "2 запроса в секунду на
// IP адрес": the server counts requests per client IP address and answers
// 429 beyond it. Every client keeps it by default, and clients in one
// process that talk to the same host share it. [WithRateLimit] lowers it;
// only tests against a local fake lift it, with [WithoutRateLimit].
const RequestsPerSecond = 2

// DefaultMaxResponseBytes caps an answer's body unless
// [WithMaxResponseBytes] says otherwise. The push's only answers are the
// short {"message":"OK"} and short error texts, so 1 MiB holds them and any
// error page a proxy may put in their place, and a hostile or broken server
// cannot make one call hold more.
const DefaultMaxResponseBytes = 1 << 20

// rateSlack lengthens the interval between two requests (500 ms at the
// documented rate) a little. golang.org/x/time/rate computes its waits in
// floating point and truncates them to whole nanoseconds, so a request can
// leave up to a few nanoseconds early: at exactly 2 per second a third
// request could then fall 999.999999 ms after the first and be refused by
// a server that counts "no more than 2 within any second". 1 ms per
// interval (0.2% slower) is far above that rounding.
const rateSlack = time.Millisecond

// Client pushes turnstile (СКУД) visits to sb.paruskaz.kz. It is safe for
// concurrent use; all clients of a process that talk to the same host share
// one 2-requests-per-second budget.
type Client struct {
	t        *transport.Client
	path     string
	maxBody  int
	validate validator
}

// Option configures a Client.
type Option func(*config)

type config struct {
	transport.Config
	path      string
	maxBody   int
	checksum  bool
	unlimited bool // WithoutRateLimit
}

// WithBaseURL points the client at another server, such as a paruskaztest
// fake. The default is [DefaultBaseURL].
func WithBaseURL(u string) Option { return transport.WithBaseURL[Option](u) }

// WithPath changes the method's path under the base URL (default
// [DefaultPath]).
func WithPath(p string) Option { return func(c *config) { c.path = p } }

// WithChecksum turns the IIN/BIN check digit test on or off (default on).
// The documentation's own sample number 123456789012 fails it.
func WithChecksum(on bool) Option { return func(c *config) { c.checksum = on } }

// WithMaxBodyBytes lowers the size of a request body (default and maximum
// [MaxBodyBytes]). Smaller requests use less memory.
func WithMaxBodyBytes(n int) Option { return func(c *config) { c.maxBody = n } }

// WithRateLimit lowers the request rate (default and maximum
// [RequestsPerSecond]), for a process that shares its IP address with other
// senders.
func WithRateLimit(perSecond float64) Option {
	return func(c *config) { c.RateLimit, c.unlimited = rate.Limit(perSecond), false }
}

// WithoutRateLimit lifts the client's limit of [RequestsPerSecond], for
// tests against a local fake, such as a paruskaztest server started with
// Config.RateLimit -1, where spacing requests 501 ms apart would only slow
// the test down. The client then waits for no limiter and does not take
// from the budget that other clients of the same host share.
//
// Keep the limit for real use: sb.paruskaz.kz admits 2 requests per second
// per IP address and answers 429 beyond that, so New refuses this option
// with the default base URL. A later [WithRateLimit] sets a limit again.
func WithoutRateLimit() Option { return func(c *config) { c.unlimited = true } }

// WithHTTPClient supplies the http.Client whose Transport, Jar and Timeout
// are used; it is copied, not modified. The default is a client of
// steppe's own with pooled connections and a 2-minute timeout.
func WithHTTPClient(hc *http.Client) Option { return transport.WithHTTPClient[Option](hc) }

// WithLogger turns on logging: one record per HTTP attempt (method, URL,
// status, attempt, duration) at Debug level, failures at Warn. The API key
// never appears.
// Logging is off by default.
func WithLogger(l *slog.Logger) Option { return transport.WithLogger[Option](l) }

// WithUserAgent prepends a product token (e.g. "acs-bridge/3.1") to the
// User-Agent header.
// Without it the header is steppe's own:
// "steppe/<version> (+github.com/steppe-sdk/steppe)".
func WithUserAgent(ua string) Option { return transport.WithUserAgent[Option](ua) }

// WithMaxRetries sets how many times a failed request (connection error,
// 429, 500, 502, 503, 504) is retried; 0 or less turns retries off. The
// default is 3. Retrying is safe: the server de-duplicates visits.
func WithMaxRetries(n int) Option { return transport.WithMaxRetries[Option](n) }

// WithRetryWait bounds the full-jitter backoff between retries
// (defaults 500ms and 10s).
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return transport.WithRetryWait[Option](minWait, maxWait)
}

// WithMaxRetryAfter caps how long a server's Retry-After is waited out
// (default 30s). A longer one ends the call with an [*Error] whose
// RetryAfter holds the server's delay.
func WithMaxRetryAfter(d time.Duration) Option { return transport.WithMaxRetryAfter[Option](d) }

// WithMaxResponseBytes caps the size of an answer's body (default
// [DefaultMaxResponseBytes]); a larger answer is an [*Error] matching
// [ErrTooLarge], and the events of that request stay pending.
// Zero keeps the default.
func WithMaxResponseBytes(n int64) Option { return transport.WithMaxResponseBytes[Option](n) }

// New returns a client that authenticates with apiKey (the X-API-KEY
// header, "Ключ доступа").
//
// The key is sent exactly as given, so a key that could not travel in a
// header unchanged is refused here with a [*ValidationError] for "api
// key" (whose text never holds the key): empty, white space at either end
// (such as the newline a key read from a file ends with), a control
// character, or anything but printable ASCII.
func New(apiKey string, opts ...Option) (*Client, error) {
	if err := checkKey(apiKey); err != nil {
		return nil, err
	}
	cfg := config{
		Config: transport.Config{
			API:              "paruskaz",
			BaseURL:          DefaultBaseURL,
			ParseError:       parseError,
			RateLimit:        RequestsPerSecond,
			RateBurst:        1,
			Retry500:         true,
			MaxResponseBytes: DefaultMaxResponseBytes,
		},
		path:     DefaultPath,
		maxBody:  MaxBodyBytes,
		checksum: true,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxBody <= 0 || cfg.maxBody > MaxBodyBytes {
		return nil, invalid("max body bytes", "must be between 1 and %d", MaxBodyBytes)
	}
	switch {
	case cfg.unlimited:
		if u, err := url.Parse(cfg.BaseURL); err == nil && strings.EqualFold(u.Hostname(), defaultHost) {
			return nil, invalid("rate limit", "cannot be lifted for %s, which admits %d requests per second per IP address", defaultHost, RequestsPerSecond)
		}
		cfg.RateLimit = 0 // no limiter
	case cfg.RateLimit <= 0 || cfg.RateLimit > RequestsPerSecond:
		return nil, invalid("rate limit", "must be above 0 and at most %d requests per second", RequestsPerSecond)
	default:
		cfg.RateLimit = limiterRate(cfg.RateLimit)
	}
	if strings.TrimSpace(cfg.path) == "" {
		return nil, invalid("path", "is required")
	}
	cfg.Secrets = new(transport.Secrets)
	cfg.Secrets.Add(apiKey)
	// X-API-KEY in ASCII, unlike the documentation's look-alike letters,
	// as net/http keys it; the value is made once and shared.
	key := []string{apiKey}
	cfg.AuthHeader = func(context.Context) (string, []string) { return headerAPIKey, key }
	t, err := transport.New(cfg.Config)
	if err != nil {
		return nil, err
	}
	return &Client{t: t, path: cfg.path, maxBody: cfg.maxBody, validate: validator{checksum: cfg.checksum}}, nil
}

// checkKey refuses an API key that cannot be sent unchanged as the
// X-API-KEY header value. net/http refuses to send a header value holding
// a control character, and would fail every attempt of every push; white
// space at either end is dropped or kept by servers and proxies at will.
// Non-ASCII bytes are obsolete in a header value (RFC 9110 §5.5) and, in
// a key, a sign of look-alike letters copied from a document. The rule
// names the problem and its position, never the key.
func checkKey(key string) error {
	const field = "api key"
	if strings.TrimSpace(key) == "" {
		return invalid(field, "is required")
	}
	for i := 0; i < len(key); i++ {
		b := key[i]
		switch {
		case b < 0x20 || b == 0x7f:
			return invalid(field, "holds a control character at byte %d (a line break or tab copied with the key?)", i)
		case b >= 0x80:
			return invalid(field, "holds a non-ASCII byte at byte %d; a key is printable ASCII", i)
		}
	}
	if key[0] == ' ' || key[len(key)-1] == ' ' {
		return invalid(field, "begins or ends with a space")
	}
	return nil
}

// limiterRate is the rate given to the limiter for perSecond requests per
// second: one request per interval of 1/perSecond, rounded up to the
// nanosecond, plus rateSlack, so that no window of one second ever holds
// more than perSecond requests.
func limiterRate(perSecond rate.Limit) rate.Limit {
	interval := time.Duration(math.Ceil(float64(time.Second) / float64(perSecond)))
	return rate.Every(interval + rateSlack)
}

// headerAPIKey is the name of the X-API-KEY header as net/http keys it.
var headerAPIKey = http.CanonicalHeaderKey("X-API-KEY")

// Person is one pass through a turnstile, in or out (an element of
// "person").
type Person struct {
	// Time is when the turnstile was passed (datetime). It is sent with
	// its location's offset in [DateTimeLayout], to the second.
	Time time.Time
	// IIN is the visitor's individual identification number, 12 digits.
	IIN string
	// FIO is the visitor's full name (фамилия, имя, отчество).
	FIO string
	// Note is free text, such as the building number; it may be empty
	// and is then sent as "".
	Note string
}

// Institution is one institution with the passes recorded at it (an
// element of "data").
type Institution struct {
	// BIN is the institution's business identification number, 12 digits.
	BIN string
	// OrgName is the institution's name (org_name).
	OrgName string
	// Persons are the passes (person); at least one.
	Persons []Person
}

// Push sends institutions with their passes in one request (POST data_set).
// Every field is checked first; a body over the size limit is refused
// before sending; use an [Uploader] for anything that may be larger.
// The request counts as delivered only when the server gives the
// documented answer {"message":"OK"}, exactly (see the package doc for
// the rule and why); any other 2xx answer (an HTML page from a proxy, an
// error object, {"message":"ok"}) is an [*Error] matching [ErrDecode],
// and sending the same passes again is harmless.
func (c *Client) Push(ctx context.Context, institutions []Institution) error {
	if len(institutions) == 0 {
		return invalid("data", "must hold at least one institution")
	}
	size := len(envelopeHead) + len(envelopeTail) + len(institutions) - 1
	for i := range institutions {
		in := &institutions[i]
		w := where{list: "data", i: i, person: -1}
		if err := c.validate.org(in.BIN, in.OrgName, w); err != nil {
			return err
		}
		if len(in.Persons) == 0 {
			return invalid(w.field("person"), "must hold at least one pass")
		}
		size += orgSize(in.BIN, in.OrgName) + len(in.Persons) - 1
		for j := range in.Persons {
			e := Event{Time: in.Persons[j].Time, IIN: in.Persons[j].IIN, FIO: in.Persons[j].FIO, Note: in.Persons[j].Note}
			if err := c.validate.person(&e, where{list: "data", i: i, person: j}); err != nil {
				return err
			}
			size += personSize(&e)
		}
	}
	if size > c.maxBody {
		return invalid("data", "encodes to %d bytes, over the %d-byte request limit; use an Uploader", size, c.maxBody)
	}
	body := make([]byte, 0, size)
	body = append(body, envelopeHead...)
	for i := range institutions {
		in := &institutions[i]
		if i > 0 {
			body = append(body, ',')
		}
		body = appendOrgHead(body, in.BIN, in.OrgName)
		for j := range in.Persons {
			if j > 0 {
				body = append(body, ',')
			}
			p := in.Persons[j]
			body = appendPerson(body, &Event{Time: p.Time, IIN: p.IIN, FIO: p.FIO, Note: p.Note})
		}
		body = append(body, orgTail...)
	}
	body = append(body, envelopeTail...)
	return c.send(ctx, [][]byte{body})
}

// send posts one encoded body, held in parts that are sent without being
// joined. The server de-duplicates, so the request is marked safe to retry.
// A 2xx answer counts only if it is the documented success answer,
// {"message":"OK"}; anything else is an *Error matching ErrDecode, so the
// caller keeps the events pending and sends them again.
func (c *Client) send(ctx context.Context, parts [][]byte) error {
	req := &transport.Request{Method: http.MethodPost, Path: c.path, BodyParts: parts, ContentType: "application/json", Idempotent: true}
	resp, err := c.t.Do(ctx, req)
	if err != nil {
		return err
	}
	msg, err := checkOK(resp.Body)
	if err == nil {
		return nil
	}
	derr := c.t.DecodeError(req, resp, err)
	var e *Error
	if msg != "" && errors.As(derr, &e) {
		e.Message = c.t.Secrets().Redact(msg)
	}
	return derr
}

// errNotOK is the cause of an ErrDecode failure for a 2xx answer that is
// JSON but not the documented success answer.
var errNotOK = errors.New(`the answer is not the documented success answer {"message":"OK"}`)

// checkOK checks that a 2xx body is the documented success answer:
// "Status: 200 OK {"message": "OK"}". The rule is exact: the answer is a
// JSON object whose member "message" (that key, in small letters) is the
// string "OK" (those two capital letters, nothing around them). Spaces
// between JSON tokens and other members do not change what the answer
// says and are allowed. It returns the message of a JSON answer that is
// not OK, for the error.
//
// Why exact: the documentation shows {"message": "OK"} and nothing else,
// in its example answer and in its list of answers. A tolerant reading
// ("ok", " OK ", a key "Message") would protect against a server that
// writes the word otherwise than its documentation; but what it risks is
// worse than what it saves. A delivered count that is wrong loses passes
// without a word, while an answer refused by mistake is a loud
// [ErrDecode] whose events stay pending and are sent again harmlessly
// (the server de-duplicates), with the server's message in the error for
// whoever has to widen the rule.
func checkOK(body []byte) (message string, err error) {
	if string(bytes.Trim(body, " \t\r\n")) == okBody {
		return "", nil // the documented answer, with JSON white space around it at most
	}
	var a okAnswer
	if err := lenient.Unmarshal(body, &a); err != nil {
		return "", err
	}
	switch {
	case a.null:
		return "", fmt.Errorf("%w: it is null", errNotOK)
	case !a.found:
		return "", fmt.Errorf("%w: it has no \"message\"", errNotOK)
	case a.notString:
		return "", fmt.Errorf("%w: its \"message\" is not a string", errNotOK)
	case a.message != "OK":
		return a.message, errNotOK
	}
	return "", nil
}

// okAnswer is what checkOK needs of a 2xx answer, read in one pass over
// the body (the reading it replaces decoded the body into a
// map[string]json.RawMessage, then "message" again), under the same rules:
// a JSON object (or null); its member "message", that exact key once
// unescaped, the last one counting when it is repeated; whose value is a
// string (null reads as "", as into a Go string); the other members only
// checked to be JSON.
// okBody is the success answer as the documentation prints it, which
// checkOK accepts without decoding; any other spelling is decoded.
const okBody = `{"message":"OK"}`

type okAnswer struct {
	null      bool   // the answer is JSON null
	found     bool   // it has a member "message"
	notString bool   // whose value is not a string (nor null)
	message   string // or is this string
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (a *okAnswer) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case 'n':
		a.null = true
		_, err := dec.ReadToken()
		return err
	case '{':
	default:
		if _, err := dec.ReadValue(); err != nil {
			return err
		}
		return errors.New("the answer is not a JSON object")
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if !isMessageKey(name) {
			if err := dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		a.found, a.notString, a.message = true, false, ""
		switch dec.PeekKind() {
		case '"':
			err = json.UnmarshalDecode(dec, &a.message)
		case 'n':
			_, err = dec.ReadToken()
		default:
			a.notString = true
			err = dec.SkipValue()
		}
		if err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// isMessageKey reports whether the object key with the JSON text name
// (quotes included) is "message", escapes resolved.
func isMessageKey(name []byte) bool {
	body := name[1 : len(name)-1]
	if string(body) == "message" {
		return true
	}
	if bytes.IndexByte(body, '\\') < 0 {
		return false
	}
	var buf [32]byte
	key, err := jsontext.AppendUnquote(buf[:0], name)
	return err == nil && string(key) == "message"
}

// parseError reads {"message":"…"}; the status code decides the kind.
func parseError(_ int, _ http.Header, body []byte) (code, message string) {
	var v struct {
		Message string `json:"message"`
	}
	if lenient.Unmarshal(body, &v) == nil {
		return "", v.Message
	}
	return "", ""
}

// Error is the error type of every failed call, read with errors.As. Its
// fields: StatusCode (0 when no response arrived), Message (the server's
// "message"), RequestID, Method, URL, Attempts, RetryAfter, Body (the
// start of the response body) and Err (the underlying transport or
// context error).
// MaybeDelivered is set when a request that is not safe to repeat may
// have reached the server (its answer was lost, or it was redirected) and
// was not sent again; Location is the target of a redirect that was not
// followed ([ErrRedirect]). Every Error matches exactly one kind sentinel
// with errors.Is, and context errors stay reachable beside it.
type Error = transport.Error

// ValidationError reports input rejected before any request was sent; its
// Field is the path of the bad value, such as "events[17].iin" or
// "data[0].person[3].datetime".
type ValidationError = transport.ValidationError

// Sentinels for errors.Is; a [*ValidationError] matches [ErrValidation].
var (
	// ErrUnauthorized: 401, the key is wrong or blocked. Not retried.
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrValidation: 400 from the server, or input refused before sending.
	ErrValidation = transport.ErrValidation
	// ErrRateLimited: 429 after the retries, or the client-side limit of
	// 2 requests per second could not be met before the context deadline.
	ErrRateLimited = transport.ErrRateLimited
	// ErrServer: a 5xx answer after the retries.
	ErrServer = transport.ErrServer
	// ErrTransport: no answer arrived (dial, TLS, reset, timeout) after
	// the retries.
	ErrTransport = transport.ErrTransport
	// ErrNotFound: 404 or 410, usually a wrong [WithBaseURL] or [WithPath].
	ErrNotFound = transport.ErrNotFound
	// ErrTooLarge: the answer was larger than the client reads.
	ErrTooLarge = transport.ErrTooLarge
	// ErrDecode: a 2xx answer that is not the documented success answer
	// {"message":"OK"} (an HTML page, an image, other JSON): the request
	// is not counted as delivered.
	ErrDecode = transport.ErrDecode
	// ErrRedirect: the server answered the push with a redirect (3xx).
	// A push is a POST, and a POST never follows a redirect (its body is
	// not sent again, least of all to another host): the answer comes
	// back as an [*Error] whose Location names the target, and its
	// events are not counted as delivered. Point [WithBaseURL] or
	// [WithPath] at the target if it is the service's new address.
	ErrRedirect = transport.ErrRedirect
)

func invalid(field, format string, args ...any) error {
	return transport.Invalid(field, format, args...)
}
