package uztgs

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/session"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// DefaultBaseURL is the API root of §2: https://uztgs.uz/api/v1/.
const DefaultBaseURL = "https://uztgs.uz/api/v1/"

// MaxPerPage is the largest per_page the server honours (§1.4: "не более
// 1000 записей"). The iterators use it.
const MaxPerPage = 1000

// DefaultMaxResponseBytes caps an answer's body unless
// [WithMaxResponseBytes] says otherwise. Every list is paged with at most
// [MaxPerPage] records a page (documentation §1.4); the largest, a page of
// 1000 archive records with their channel readings, is a few megabytes, so
// 16 MiB holds it with room to spare and bounds what a hostile answer can
// cost one call.
const DefaultMaxResponseBytes = 16 << 20

// Paths of the documentation, relative to the base URL.
const (
	pathSignIn         = "auth/sign_in"
	pathSignOut        = "auth/sign_out"
	pathCustomers      = "customers"
	pathStations       = "stations"
	pathEquipmentTypes = "equipment_types"
	pathChannels       = "channel_archive_types"
	pathChannelData    = "channel_data"
)

// Headers are the five session headers of §2 (access-token, token-type,
// client, expiry, uid). Keep them to resume a session later. Printing a
// Headers value (String, GoString, any fmt verb, log/slog) shows only the
// token type and the expiry: the access-token, the client and the uid (an
// e-mail address) are masked. JSON keeps them all, for a [TokenStore].
type Headers = session.Headers

// TokenStore keeps a session's headers between runs, so that a restarted
// program resumes its session without the password. The client saves the
// headers after every response that carried a new token and deletes them
// on sign-out. See [NewFileStore] and [NewMemoryStore].
type TokenStore = session.TokenStore

// FileStore is a [TokenStore] in a JSON file, written atomically with mode
// 0600.
type FileStore = session.FileStore

// MemoryStore is a [TokenStore] in memory.
type MemoryStore = session.MemoryStore

// NewFileStore returns a [FileStore] for the file at path (its directory
// must exist).
func NewFileStore(path string) *FileStore { return session.NewFileStore(path) }

// NewMemoryStore returns a [MemoryStore] holding h.
func NewMemoryStore(h Headers) *MemoryStore { return session.NewMemoryStore(h) }

// Client reads the uztgs.uz metering data Web API. It is safe for
// concurrent use: requests on one client are serialised, because each
// response may replace the token the next request must carry (§2).
type Client struct {
	t        *transport.Client
	sess     *session.Session
	cfg      config
	signOut  bool
	prefetch bool
	user     atomic.Pointer[User]

	mu          sync.Mutex
	exportStats Stats // the counters of Export's extra sessions, once closed
}

// Stats counts what a client's sessions did, so that the cost of lost
// answers and re-sign-ins is visible; [Client.Stats] returns it. Its
// counters: SignIns (the first included), ReSignIns (each opens a new
// server session, which holds one of the user's device slots, 10 by
// default, until it expires or is evicted), Rotations (new tokens taken),
// BlankAnswers (batch answers with the blank token " ", or none),
// LostAnswers (requests that may have reached the server but whose answer
// never came: the server may have rotated the token, so each leads to a
// sign-in when the password is known), Unauthorized (401s), ForeignClient
// (tokens issued for another client id, ignored) and AbandonedAnswers
// (answers still read for their token after their caller had gone).
type Stats = session.Stats

// Stats returns the client's counters: those of its own session plus
// those of the extra sessions of the exports it has finished.
func (c *Client) Stats() Stats {
	st := c.sess.Stats()
	c.mu.Lock()
	defer c.mu.Unlock()
	st.Add(c.exportStats)
	return st
}

// Option configures a Client.
type Option func(*config)

type config struct {
	transport.Config
	email, password string
	store           TokenStore
	headers         *Headers
	refreshBefore   time.Duration
	signOutOnClose  bool
	prefetch        bool
}

// WithPassword gives the e-mail and password of §2. The client signs in
// with them before its first request, and again whenever the server
// refuses the token (once per refusal).
func WithPassword(email, password string) Option {
	return func(c *config) { c.email, c.password = email, password }
}

// WithHeaders starts from headers saved from an earlier session (§2: keep
// the headers of the last response to use them next time). Without
// [WithPassword] the client can then only work while that session lives.
func WithHeaders(h Headers) Option { return func(c *config) { c.headers = &h } }

// WithTokenStore keeps the session headers in store: the client resumes
// from it when it has no headers yet, and saves every new token into it.
func WithTokenStore(store TokenStore) Option { return func(c *config) { c.store = store } }

// WithSignOutOnClose decides whether [Client.Close] signs out (default
// true). Turn it off when the session is kept in a [TokenStore] to be
// resumed by the next run.
func WithSignOutOnClose(on bool) Option { return func(c *config) { c.signOutOnClose = on } }

// WithRefreshBefore makes a client that knows the password sign in again
// this long before the token expires (default 1 minute; negative turns
// it off).
func WithRefreshBefore(d time.Duration) Option { return func(c *config) { c.refreshBefore = d } }

// WithPrefetch makes the iterators request the next page while the caller
// works on the current one (default off). Requests are still sent one at a
// time per client.
func WithPrefetch(on bool) Option { return func(c *config) { c.prefetch = on } }

// WithBaseURL points the client at another server, such as a uztgstest
// fake. The default is [DefaultBaseURL].
func WithBaseURL(u string) Option { return transport.WithBaseURL[Option](u) }

// WithHTTPClient supplies the http.Client whose Transport, Jar and Timeout
// are used; it is copied, not modified. The default is a client of
// steppe's own with pooled connections and a 2-minute timeout.
func WithHTTPClient(hc *http.Client) Option { return transport.WithHTTPClient[Option](hc) }

// WithLogger turns on logging: one record per HTTP attempt (method, URL,
// status, attempt, duration) at Debug level, failures at Warn. Tokens and
// the password never appear.
// Logging is off by default.
func WithLogger(l *slog.Logger) Option { return transport.WithLogger[Option](l) }

// WithUserAgent prepends a product token (e.g. "meterexport/2.0") to the
// User-Agent header.
// Without it the header is steppe's own:
// "steppe/<version> (+github.com/steppe-sdk/steppe)".
func WithUserAgent(ua string) Option { return transport.WithUserAgent[Option](ua) }

// WithMaxRetries sets how many times a failed request (connection error,
// 408, 429, 502, 503, 504) is retried; 0 or less turns retries off.
// The default is 3.
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

// WithMaxResponseBytes caps the size of a response body (default
// [DefaultMaxResponseBytes]); a larger answer is an [*Error] matching
// [ErrTooLarge].
// Zero keeps the default.
func WithMaxResponseBytes(n int64) Option { return transport.WithMaxResponseBytes[Option](n) }

// New returns a client for the uztgs.uz API. It sends nothing until the
// first call. It needs a password ([WithPassword]) or a session to resume
// ([WithHeaders], or a [WithTokenStore] that holds one).
func New(opts ...Option) (*Client, error) {
	cfg := config{
		Config: transport.Config{
			API:              "uztgs",
			BaseURL:          DefaultBaseURL,
			ParseError:       parseError,
			MaxResponseBytes: DefaultMaxResponseBytes,
		},
		signOutOnClose: true,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if (cfg.email == "") != (cfg.password == "") {
		if cfg.email == "" {
			return nil, invalid("email", "is required with a password")
		}
		return nil, invalid("password", "is required with an e-mail")
	}
	if cfg.headers != nil && !cfg.headers.Usable() {
		return nil, invalid("headers", "need access-token, client and uid")
	}
	if cfg.email == "" && cfg.headers == nil && cfg.store == nil {
		return nil, invalid("credentials", "give WithPassword, WithHeaders or WithTokenStore")
	}
	return newClient(cfg, cfg.store)
}

// newClient builds a client with its own session on store (nil means
// memory); the exporter uses it for its extra sessions.
func newClient(cfg config, store TokenStore) (*Client, error) {
	c := &Client{cfg: cfg, signOut: cfg.signOutOnClose, prefetch: cfg.prefetch}
	tc := cfg.Config
	tc.Secrets = new(transport.Secrets)
	tc.Secrets.Add(cfg.password)
	tc.Secrets.Add(cfg.email) // personal data, echoed by servers that repeat the uid header
	scfg := session.Config{
		Store:         store,
		Secrets:       tc.Secrets,
		Logger:        cfg.Logger,
		RefreshBefore: cfg.refreshBefore,
	}
	if cfg.password != "" {
		scfg.SignIn = c.signIn
	}
	c.sess = session.New(scfg)
	tc.Auth = c.sess.Transport
	t, err := transport.New(tc)
	if err != nil {
		return nil, err
	}
	c.t = t
	if cfg.headers != nil && store == cfg.store {
		if err := c.sess.Resume(context.Background(), *cfg.headers); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// signIn is POST auth/sign_in with {"email","password"} (§2). The only
// answer that counts is the documented one, {"data":{"id":…,"uid":…,…}}
// (see checkSignIn).
func (c *Client) signIn(ctx context.Context) error {
	body, err := transport.JSONBody(struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}{c.cfg.email, c.cfg.password})
	if err != nil {
		return err
	}
	req := &transport.Request{Method: http.MethodPost, Path: pathSignIn, Body: body, ContentType: "application/json"}
	var out signInAnswer
	resp, err := c.t.DoJSON(ctx, req, &out)
	if err == nil {
		if cerr := out.check(); cerr != nil {
			err = c.t.DecodeError(req, resp, cerr)
		}
	}
	if err != nil {
		var e *Error
		if resp != nil && errors.As(err, &e) && errors.Is(err, ErrDecode) {
			// The server (or something in front of it) took the sign-in
			// and answered 2xx: it may have opened a session, which is
			// not sent again.
			e.MaybeDelivered = true
		}
		return err
	}
	u := out.Data.User
	c.user.Store(&u)
	return nil
}

// signInAnswer is the sign-in answer of §2:
// {"data":{"id":6,"email":"…","provider":"email","uid":"…","name":"…"}}.
type signInAnswer struct {
	Data *signInData `json:"data"`
}

// check refuses a 2xx sign-in answer that is not the documented one: no
// "data" object (an HTML page, {}, null, a list, {"success":true}), or a
// "data" without the account's id and uid.
func (a *signInAnswer) check() error {
	switch {
	case a.Data == nil:
		return errors.New(`the sign-in answer has no "data" object`)
	case !a.Data.id.Valid || strings.TrimSpace(a.Data.UID) == "":
		return errors.New(`the sign-in answer's "data" lacks the account's id or uid`)
	}
	return nil
}

// SignIn signs in with the password of [WithPassword] (POST auth/sign_in,
// §2) and returns the account. Calling it is optional: the client signs in
// by itself before its first request. Each call starts a new server
// session, and the server keeps at most 10 per user.
//
// A 2xx answer other than the documented {"data":{…}} with the account's
// id and uid (an HTML page, {}, null, a list) is an [*Error] matching
// [ErrDecode] with MaybeDelivered set and the body kept (secrets masked).
// Session headers that came with such an answer are kept, so that
// [Client.SignOut] can end the session they name.
func (c *Client) SignIn(ctx context.Context) (*User, error) {
	if err := c.sess.SignIn(ctx); err != nil {
		return nil, err
	}
	u := *c.user.Load()
	return &u, nil
}

// SignOut ends the session on the server (DELETE auth/sign_out, §2) and
// forgets its headers, also in the [TokenStore]. The client may sign in
// again afterwards if it has the password.
//
// A 404 (the server no longer knows the session) or 401 (it refused the
// token) forgets the session too, since the server will not take it again,
// but the sign-out was not confirmed: the error matches
// [ErrSignOutUnconfirmed] and [ErrNotFound] or [ErrUnauthorized]. The
// server session the token named, if it still exists, holds its device
// slot until it expires.
//
// Only the documented answer, 200 {"success":true}, confirms the sign-out.
// Any other 2xx answer (an HTML page, {}, null, {"success":false}) is an
// [*Error] matching [ErrDecode] with the body kept, and the session is kept
// too: whether the server ended it is unknown, and calling SignOut again
// settles it.
func (c *Client) SignOut(ctx context.Context) error {
	return c.sess.SignOut(ctx, func(ctx context.Context) error {
		req := &transport.Request{Method: http.MethodDelete, Path: pathSignOut, ContentType: "application/json", Idempotent: true}
		resp, err := c.t.Do(ctx, req)
		if err != nil {
			return err
		}
		if err := checkSignOut(resp.Body); err != nil {
			return c.t.DecodeError(req, resp, err)
		}
		return nil
	})
}

// checkSignOut accepts the documented sign-out answer, a JSON object whose
// "success" is true (other members are ignored). It reads the body once,
// with encoding/json's rules.
func checkSignOut(body []byte) error {
	var v *struct {
		Success *bool `json:"success"`
	}
	if err := lenient.Unmarshal(body, &v); err != nil {
		return err
	}
	if v == nil || v.Success == nil || !*v.Success {
		return errors.New(`the sign-out answer is not the documented {"success":true}`)
	}
	return nil
}

// closeTimeout bounds the sign-out done by Close.
const closeTimeout = 30 * time.Second

// Close signs out (unless [WithSignOutOnClose] turned that off), so the
// session does not hold one of the server's 10 slots per user for the two
// weeks a token lives. Its error is that of [Client.SignOut]: nil only when
// the server confirmed the sign-out, or when there was no session.
func (c *Client) Close() error {
	if !c.signOut {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	return c.SignOut(ctx)
}

// Headers returns the current session headers (the zero value before the
// first sign-in). With them, [WithHeaders] resumes the session.
func (c *Client) Headers() Headers { return c.sess.Headers() }

// StoreErr returns the last error of the [TokenStore], or nil. A failing
// store does not fail calls.
func (c *Client) StoreErr() error { return c.sess.StoreErr() }

// get sends a GET with the session rules and decodes the JSON answer.
// The documentation asks for Content-Type: application/json on every
// request (§4), so it is sent even though a GET has no body.
func (c *Client) get(ctx context.Context, path string, q map[string][]string, out any) error {
	req := &transport.Request{Path: path, Query: q, ContentType: "application/json"}
	return c.sess.Do(ctx, func(ctx context.Context) error {
		resp, err := c.t.DoJSON(ctx, req, out)
		if err != nil {
			return err
		}
		// An answer that decodes but lacks what the documentation always
		// sends (a maintenance object answered with 200) is not an empty
		// result.
		if ch, ok := out.(interface{ check() error }); ok {
			if err := ch.check(); err != nil {
				return c.t.DecodeError(req, resp, err)
			}
		}
		return nil
	})
}

// parseError reads devise_token_auth's error bodies: {"errors":[…]} or
// {"success":false,"errors":[…]} (the messages may be Russian or English),
// {"errors":{"full_messages":[…]}} or {"error":"…"}. The body is read
// once: "errors" is decoded as the list or the object its first byte
// says it is.
func parseError(_ int, _ http.Header, body []byte) (code, message string) {
	var v struct {
		Errors errorList `json:"errors"`
		Error  string    `json:"error"`
	}
	if lenient.Unmarshal(body, &v) != nil {
		return "", ""
	}
	if v.Errors.ok {
		return "", strings.Join(v.Errors.messages, "; ")
	}
	return "", v.Error
}

// errorList is the "errors" of an error body: a list of messages (null
// counts as an empty one) or an object with a non-empty "full_messages"
// list. ok is false for anything else, which leaves "error" to say what
// went wrong.
type errorList struct {
	messages []string
	ok       bool
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom. Its value is
// never refused: a form it does not know leaves ok false.
func (l *errorList) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	*l = errorList{}
	switch raw.Kind() {
	case 'n':
		l.ok = true
	case '[':
		l.ok = lenient.Unmarshal(raw, &l.messages) == nil
	case '{':
		var full struct {
			FullMessages []string `json:"full_messages"`
		}
		if lenient.Unmarshal(raw, &full) == nil && len(full.FullMessages) > 0 {
			l.messages, l.ok = full.FullMessages, true
		}
	}
	if !l.ok {
		l.messages = nil
	}
	return nil
}

// Error is the error type of every failed call, read with errors.As. Its
// fields: StatusCode (0 when no response arrived), Message (the server's
// "errors", joined), RequestID (X-Request-Id), Method, URL, Attempts,
// RetryAfter, Body (the start of the response body) and Err (the
// underlying transport, decode or context error).
// MaybeDelivered is set when a request that is not safe to repeat may
// have reached the server (its answer was lost, or it was redirected) and
// was not sent again; Location is the target of a redirect that was not
// followed ([ErrRedirect]). Every Error matches exactly one kind sentinel
// with errors.Is, and context errors stay reachable beside it.
type Error = transport.Error

// ValidationError reports a parameter rejected before any request was sent.
type ValidationError = transport.ValidationError

// Sentinels for errors.Is; a [*ValidationError] matches [ErrValidation].
var (
	// ErrUnauthorized: the server refused the credentials (401), also
	// after the one sign-in and replay the client tries; or the client
	// has neither a session nor a password.
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrForbidden: the server answered 403.
	ErrForbidden = transport.ErrForbidden
	// ErrNotFound: the server answered 404 or 410.
	ErrNotFound = transport.ErrNotFound
	// ErrRateLimited: the server answered 429 after the retries.
	ErrRateLimited = transport.ErrRateLimited
	// ErrValidation: a parameter refused before sending, or a 400, 409 or
	// 422 answer.
	ErrValidation = transport.ErrValidation
	// ErrServer: a 5xx answer after the retries.
	ErrServer = transport.ErrServer
	// ErrTransport: no answer arrived (dial, TLS, reset, timeout).
	ErrTransport = transport.ErrTransport
	// ErrDecode: a 2xx answer that is not the documented one: a view
	// without its data list, a sign-in without {"data":{…}}, a sign-out
	// without {"success":true}, or a body that is not JSON.
	ErrDecode = transport.ErrDecode
	// ErrTooLarge: the answer was larger than [WithMaxResponseBytes].
	ErrTooLarge = transport.ErrTooLarge
	// ErrRedirect: the server answered with a redirect (3xx) that was not
	// followed: the sign-in (POST) and the sign-out (DELETE) never follow
	// one, and a view (GET) follows one only to the same scheme, host and
	// port, so the session headers and the password never go to another
	// host. The [*Error]'s Location names the target.
	ErrRedirect = transport.ErrRedirect
	// ErrSignOutUnconfirmed: a sign-out (or Close) that the server did not
	// confirm because it answered 404 or 401; the session is forgotten.
	ErrSignOutUnconfirmed = session.ErrSignOutUnconfirmed
)

func invalid(field, format string, args ...any) error {
	return transport.Invalid(field, format, args...)
}
