package trueapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/renew"
	"github.com/steppe-sdk/steppe/internal/transport"
	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// Base URLs of the documentation.
const (
	ProdBaseURL  = "https://elk.prod.markirovka.ismet.kz/api/v3/true-api/"
	StageBaseURL = "https://stage.ismet.kz/api/v3/true-api/"
)

// wireTimeLayout is the date-time layout the API takes in requests,
// yyyy-MM-ddTHH:mm:ss.SSS'Z' in UTC (one of the documentation's date layouts).
// DefaultMaxResponseBytes caps an answer's body unless
// [WithMaxResponseBytes] says otherwise. A document may be up to 30 MB
// (True API v2.22, general rules), and it comes back base64-encoded inside
// JSON (about 40 MB), so 64 MiB holds the largest documented answer; the
// order ZIP has its own, smaller cap ([DefaultMaxOrderResultBytes]).
const DefaultMaxResponseBytes = 64 << 20

const wireTimeLayout = "2006-01-02T15:04:05.000Z"

// accept lists every kind of answer True API gives (JSON, ZIP, base64
// text), so the server never answers 406 (§2.5 of the documentation).
const accept = "application/json, application/zip, application/octet-stream, text/plain, */*"

// Client calls the ISMET True API. It signs in with its [signing.Signer]
// when it first needs a token and again when the token expires (a 401);
// the token is shared by all goroutines. It is safe for concurrent use.
type Client struct {
	t      *transport.Client
	signer signing.Signer
	tokens tokenSource
}

// Option configures a Client.
type Option func(*config)

type config struct {
	transport.Config
	token string
}

// WithBaseURL selects the stand: [ProdBaseURL] (the default),
// [StageBaseURL], or a trueapitest fake.
func WithBaseURL(u string) Option { return transport.WithBaseURL[Option](u) }

// WithToken starts from a token obtained earlier; the client signs in only
// when the server refuses it.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithHTTPClient supplies the http.Client whose Transport, Jar and Timeout
// are used; it is copied, not modified. The default is a client of
// steppe's own with pooled connections and a 2-minute timeout.
func WithHTTPClient(hc *http.Client) Option { return transport.WithHTTPClient[Option](hc) }

// WithLogger turns on logging: one record per HTTP attempt at Debug
// level, failures at Warn. The token never appears.
// Logging is off by default.
func WithLogger(l *slog.Logger) Option { return transport.WithLogger[Option](l) }

// WithUserAgent prepends a product token to the User-Agent header.
// Without it the header is steppe's own:
// "steppe/<version> (+github.com/steppe-sdk/steppe)".
func WithUserAgent(ua string) Option { return transport.WithUserAgent[Option](ua) }

// WithMaxRetries sets how many times a failed safe request is retried; 0
// or less turns retries off. The default is 3.
func WithMaxRetries(n int) Option { return transport.WithMaxRetries[Option](n) }

// WithMaxRetryAfter caps how long a server's Retry-After is waited out
// (default 30 s); a longer one ends the call with an [*Error] carrying it.
func WithMaxRetryAfter(d time.Duration) Option { return transport.WithMaxRetryAfter[Option](d) }

// WithMaxResponseBytes caps the size of a response body (default
// [DefaultMaxResponseBytes]; the order ZIP has its own cap,
// [DefaultMaxOrderResultBytes]); a larger answer is an [*Error] matching
// [ErrTooLarge].
// Zero keeps the default.
func WithMaxResponseBytes(n int64) Option { return transport.WithMaxResponseBytes[Option](n) }

// WithRetryWait bounds the full-jitter backoff between retries
// (defaults 500ms and 10s).
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return transport.WithRetryWait[Option](minWait, maxWait)
}

// New returns a client that signs in with signer (an attached CMS over
// the challenge of /auth/key, §4 of the documentation).
func New(signer signing.Signer, opts ...Option) (*Client, error) {
	if signer == nil {
		return nil, transport.Invalid("signer", "is required")
	}
	cfg := config{Config: transport.Config{
		API:              "trueapi",
		BaseURL:          ProdBaseURL,
		Accept:           accept,
		ParseError:       parseError,
		MaxResponseBytes: DefaultMaxResponseBytes,
	}}
	for _, o := range opts {
		o(&cfg)
	}
	c := &Client{signer: signer}
	cfg.Secrets = new(transport.Secrets)
	c.tokens = tokenSource{secrets: cfg.Secrets, signing: make(chan struct{}, 1), signIn: c.signIn}
	if cfg.token != "" {
		c.tokens.set(cfg.token)
	}
	cfg.AuthHeader = c.tokens.authHeader
	t, err := transport.New(cfg.Config)
	if err != nil {
		return nil, err
	}
	c.t = t
	return c, nil
}

// Token returns the current token, signing in first if there is none.
func (c *Client) Token(ctx context.Context) (string, error) {
	tok, _, err := c.tokens.get(ctx)
	return tok, err
}

// challenge is the answer of GET auth/key.
type challenge struct {
	UUID string `json:"uuid"`
	Data string `json:"data"`
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom, reading the
// challenge in one pass: uuid and data are matched without regard to case
// (the documentation's table writes UUID, its text uuid; of several spellings
// the last counts), values that are not strings are ignored, and null is
// no challenge.
func (c *challenge) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadValue()
		return err
	}
	if err := readObjectStart(dec); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		var dst *string
		switch strings.ToLower(memberKey(name)) {
		case "uuid":
			dst = &c.UUID
		case "data":
			dst = &c.Data
		}
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if dst != nil && firstByte(raw) == '"' {
			_ = lenient.Unmarshal(raw, dst)
		}
	}
	_, err := dec.ReadToken()
	return err
}

// signIn runs: get a challenge, sign its data attached, and
// exchange the signature for a token.
func (c *Client) signIn(ctx context.Context) (string, error) {
	ctx = context.WithValue(ctx, noTokenKey{}, true)
	var ch challenge
	if _, err := c.t.DoJSON(ctx, &transport.Request{Path: "auth/key"}, &ch); err != nil {
		return "", fmt.Errorf("trueapi: sign-in: %w", err)
	}
	if ch.UUID == "" || ch.Data == "" {
		return "", fmt.Errorf("trueapi: sign-in: %w: auth/key answered without uuid and data", ErrDecode)
	}
	// The exact bytes of the data string are signed (§4 of the documentation step 3).
	cms, err := c.signer.SignCMS(ctx, []byte(ch.Data), signing.SignOptions{Purpose: signing.PurposeAuth})
	if err != nil {
		return "", fmt.Errorf("trueapi: sign-in: sign the challenge: %w", err)
	}
	body, err := transport.JSONBody(challenge{UUID: ch.UUID, Data: base64.StdEncoding.EncodeToString(cms)})
	if err != nil {
		return "", err
	}
	req := &transport.Request{Method: http.MethodPost, Path: "auth/simpleSignIn", Body: body, ContentType: "application/json"}
	resp, err := c.t.Do(ctx, req)
	if err != nil {
		// An error answer may still carry a credential: mask what looks
		// like one before the error leaves.
		var e *Error
		if errors.As(err, &e) {
			maskSignInError(e)
		}
		return "", fmt.Errorf("trueapi: sign-in: %w", err)
	}
	tok := tokenFrom(resp.Body)
	if tok == "" {
		// The answer came but could not be read: whatever in it may be
		// the token is masked before the body goes into the error.
		local := new(transport.Secrets)
		local.Add(signInSecrets(resp.Body, true)...)
		masked := *resp
		masked.Body = local.RedactBytes(resp.Body)
		return "", fmt.Errorf("trueapi: sign-in: %w", c.t.DecodeError(req, &masked, errors.New("no token in the answer")))
	}
	// Registered at once, so that nothing printed from here on shows it.
	c.t.Secrets().Add(tok)
	return tok, nil
}

// maskSignInError masks in e, the error answer of a sign-in, every value
// that looks like a credential (see [signInSecrets]); the error message
// stays readable otherwise.
func maskSignInError(e *Error) {
	local := new(transport.Secrets)
	local.Add(signInSecrets(e.Body, false)...)
	local.Add(signInSecrets([]byte(e.Message), false)...)
	e.Body = local.RedactBytes(e.Body)
	e.Code, e.Message, e.Location = local.Redact(e.Code), local.Redact(e.Message), local.Redact(e.Location)
}

// credentialKeys are parts of the names of JSON members and XML elements
// whose values are credentials, matched case-insensitively.
var credentialKeys = []string{"token", "jwt", "secret", "passw", "credential", "bearer", "apikey", "api_key", "private"}

func credentialKey(k string) bool {
	k = strings.ToLower(k)
	for _, c := range credentialKeys {
		if strings.Contains(k, c) {
			return true
		}
	}
	return false
}

var (
	// jwtRE matches a JSON Web Token: a base64url header that starts
	// with {" ("eyJ"), a payload and a signature.
	jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	// namedRE matches a value written after a credential's name in
	// text: token=…, "jwt": "…", Bearer …, <accessToken>…<.
	namedRE = regexp.MustCompile(`(?i)(?:(?:token|jwt|secret|password|bearer)["']?\s*[:=]\s*["']?|bearer\s+|<[\w:.-]*(?:token|jwt)[^>]*>\s*)([^\s"'<>,;&]+)`)
	// wordRE matches a long run of the characters tokens are made of.
	wordRE = regexp.MustCompile(`[A-Za-z0-9._~+/=-]{20,}`)
)

// signInSecrets lists the values of a sign-in answer that may be the
// issued token or another credential, to be masked in an error:
//
//   - in JSON, every value (string or number, at any depth) under a member
//     whose name names a credential (token, jwt, secret, …);
//   - in any text, JWTs and values written after a credential's name;
//   - when the answer was a success (2xx) that could not be read, also
//     every JSON string of 4 characters or more, and for an answer that
//     is not JSON, every long run of token characters and the whole
//     answer if it is one word: it was to hold the token.
func signInSecrets(body []byte, success bool) []string {
	var out []string
	add := func(vs ...string) {
		for _, v := range vs {
			if strings.TrimSpace(v) != "" {
				out = append(out, v)
			}
		}
	}
	text := bytes.TrimSpace(body)
	add(jwtRE.FindAllString(string(text), -1)...)
	for _, m := range namedRE.FindAllStringSubmatch(string(text), -1) {
		add(m[1])
	}
	if json.Valid(text) {
		var walk func(raw json.RawMessage, cred bool, depth int)
		walk = func(raw json.RawMessage, cred bool, depth int) {
			if len(raw) == 0 || depth > 64 {
				return
			}
			switch raw[0] {
			case '{':
				var obj map[string]json.RawMessage
				if lenient.Unmarshal(raw, &obj) == nil {
					for k, v := range obj {
						walk(bytes.TrimSpace(v), cred || credentialKey(k), depth+1)
					}
				}
			case '[':
				var list []json.RawMessage
				if lenient.Unmarshal(raw, &list) == nil {
					for _, v := range list {
						walk(bytes.TrimSpace(v), cred, depth+1)
					}
				}
			case '"':
				var s string
				if lenient.Unmarshal(raw, &s) == nil && (cred || (success && len(strings.TrimSpace(s)) >= 4)) {
					add(s, string(raw[1:len(raw)-1])) // decoded, and as written
				}
			case 't', 'f', 'n': // true, false, null: no secret
			default: // a number
				if cred {
					add(string(raw))
				}
			}
		}
		walk(text, false, 0)
	} else if success {
		if !bytes.ContainsAny(text, " \t\r\n") {
			add(string(text))
		}
		add(wordRE.FindAllString(string(text), -1)...)
	}
	return out
}

// tokenFrom reads the token of A-2. The documentation only has a screenshot, so
// {"token": …} (the expected shape) and the usual alternatives are read,
// as is a bare JSON string.
func tokenFrom(body []byte) string {
	var s string
	switch firstByte(body) {
	case '"':
		if lenient.Unmarshal(body, &s) == nil {
			return strings.TrimSpace(s)
		}
	case '{':
		var m map[string]json.RawMessage
		if lenient.Unmarshal(body, &m) != nil {
			return ""
		}
		for _, k := range []string{"token", "access_token", "accessToken", "id_token", "jwt"} {
			if v, ok := m[k]; ok && firstByte(v) == '"' && lenient.Unmarshal(v, &s) == nil && strings.TrimSpace(s) != "" {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}

// tokenSource caches the token and makes sure that one sign-in runs at a
// time, however many calls need one.
type tokenSource struct {
	secrets *transport.Secrets
	signIn  func(ctx context.Context) (string, error)
	signing chan struct{} // held while a sign-in runs

	mu      sync.Mutex
	tok     string
	auth    []string // {"Bearer " + tok}: the Authorization header, shared by every request (read only)
	gen     uint64   // grows with every token set
	signIns int
}

func (s *tokenSource) current() string {
	tok, _ := s.currentGen()
	return tok
}

// currentGen returns the token and its generation.
func (s *tokenSource) currentGen() (string, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok, s.gen
}

// currentAuth returns the Authorization header of the token (nil when
// there is none), which must not be modified, and the token's generation.
func (s *tokenSource) currentAuth() ([]string, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auth, s.gen
}

func (s *tokenSource) set(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets.Remove(s.tok)
	s.secrets.Add(tok)
	s.tok = tok
	s.auth = nil
	if tok != "" {
		s.auth = []string{"Bearer " + tok}
	}
	s.gen++
}

// get returns the cached token, signing in if there is none. fresh
// reports whether this call signed in.
func (s *tokenSource) get(ctx context.Context) (tok string, fresh bool, err error) {
	if tok := s.current(); tok != "" {
		return tok, false, nil
	}
	_, gen := s.currentGen()
	return s.renew(ctx, gen)
}

// renew signs in unless the token's generation has moved past stale
// (another call signed in while this one waited): one sign-in per wave of
// 401s, however many calls met it.
func (s *tokenSource) renew(ctx context.Context, stale uint64) (string, bool, error) {
	select {
	case s.signing <- struct{}{}:
	case <-ctx.Done():
		return "", false, ctx.Err()
	}
	defer func() { <-s.signing }()
	if tok, gen := s.currentGen(); tok != "" && gen != stale {
		return tok, false, nil
	}
	tok, err := s.signIn(ctx)
	if err != nil {
		return "", false, err
	}
	s.set(tok)
	s.mu.Lock()
	s.signIns++
	s.mu.Unlock()
	return tok, true, nil
}

type noTokenKey struct{}

// usedTokenKey is the key under which a call's context is its
// *usedToken.
type usedTokenKey struct{}

// usedToken is the context of one attempt loop of a call, in which
// authHeader records the generation of the token the call's request
// carried, if any. It is its own context value (one allocation per call rather
// than a context.WithValue and a record).
type usedToken struct {
	context.Context
	gen  uint64
	sent bool
}

// Value returns u itself for usedTokenKey, and the parent's values
// otherwise.
func (u *usedToken) Value(key any) any {
	if key == (usedTokenKey{}) {
		return u
	}
	return u.Context.Value(key)
}

// authHeader gives a call its Authorization: Bearer header, with the
// token current when the call starts; every attempt of the call carries
// it. It records the token's generation in the call's usedToken, so a 401
// renews only a token that no other call has renewed already (see do). A
// sign-in's own requests carry no token.
func (s *tokenSource) authHeader(ctx context.Context) (string, []string) {
	if ctx.Value(noTokenKey{}) != nil {
		return "", nil
	}
	auth, gen := s.currentAuth()
	if used, ok := ctx.Value(usedTokenKey{}).(*usedToken); ok {
		used.gen, used.sent = gen, auth != nil
	}
	if auth == nil {
		return "", nil
	}
	return "Authorization", auth
}

// do sends one call with a token: it signs in first when there is no
// token, and when the server answers 401 (the token expired: an XML
// InvalidTokenException) it signs in again, once for all calls that
// failed with that token, and replays the call. A call whose replay meets
// a 401 from the newer token (it expired again soon after) renews again,
// at most 3 times in all (see internal/renew).
func (c *Client) do(ctx context.Context, call func(ctx context.Context) error) error {
	if _, _, err := c.tokens.get(ctx); err != nil {
		return err
	}
	return renew.Loop(ctx, func(ctx context.Context) (uint64, bool, error) {
		used := &usedToken{Context: ctx}
		err := call(used)
		return used.gen, used.sent, err
	}, func(err error) bool { return errors.Is(err, ErrUnauthorized) }, func(ctx context.Context, gen uint64) error {
		_, _, err := c.tokens.renew(ctx, gen)
		return err
	})
}

// doJSON sends a request with a token and decodes the JSON answer into
// out (if not nil).
func (c *Client) doJSON(ctx context.Context, req *transport.Request, out any) error {
	return c.do(ctx, func(ctx context.Context) error {
		_, err := c.t.DoJSON(ctx, req, out)
		return err
	})
}

// decoded sends req with a token and reads the 2xx body with decode; a
// body decode refuses becomes an error matching ErrDecode that keeps the
// body.
func decoded[T any](ctx context.Context, c *Client, req *transport.Request, decode func([]byte) (T, error)) (T, error) {
	var out T
	err := c.do(ctx, func(ctx context.Context) error {
		resp, err := c.t.Do(ctx, req)
		if err != nil {
			return err
		}
		out, err = decode(resp.Body)
		if err != nil {
			return c.t.DecodeError(req, resp, err)
		}
		return nil
	})
	return out, err
}

// pathSegment escapes one path segment strictly (§2.4 of the documentation): what
// url.PathEscape escapes, and "+" as %2B too.
func pathSegment(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "+", "%2B")
}
