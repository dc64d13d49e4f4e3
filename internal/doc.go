// Package internal holds no code of its own; this comment describes how
// steppe is built, for anyone who reads or changes it.
//
// # Layers
//
//	examples/<api>/     runnable programs; with no credentials they run
//	                    against the <api>test fake, offline
//	<api>/              a public client: Client, options, typed requests and
//	                    answers, errors, iterators (openschool, uztgs,
//	                    paruskaz, uchet, trueapi)
//	<api>/<api>test/    an in-process fake of that API for users' own tests
//	internal/...        what two clients need, written once
//
// A client package imports internal/... and the standard library, never
// another client package (internal/archtest checks it), so reading or
// vendoring one client means one folder plus internal/. A client file holds
// only what is specific to its API: paths, types, validation rules, the
// error body's shape, the auth scheme.
//
// # What lives in internal/
//
//   - transport: the one HTTP engine (on go-retryablehttp). Retries,
//     Retry-After, the response cap, redirects, the error type, secret
//     masking, logging, client-side rate limits.
//   - renew: the rule by which a call recovers from a refused or lost
//     credential, once per credential generation (the uztgs session and
//     the True API token).
//   - session: the devise_token_auth session of uztgs (rotating headers,
//     token stores, recovery, sign-out).
//   - paginate: page, offset and keyset iterators as iter.Seq2.
//   - query: query strings from go-querystring structs (see Queries).
//   - lenient: JSON scalars for odd back ends, single-pass decoding
//     (encoding/json/v2 under encoding/json's rules) and one-pass object
//     decoding that keeps unknown members.
//   - ids: IIN/BIN, GTIN and EDRPOU check digits.
//   - fakekit: the fakes' plumbing (fault injection, request recording,
//     seeded chaos and the soak tests' fault menu, goroutine-leak checks,
//     and in-process and in-memory connections for tests in a
//     testing/synctest bubble).
//   - testkit: what the tests of several packages share (a program's
//     output and arguments, a settable clock, seed oracles run as test and
//     fuzz target, the ways a server echoes a value); only _test files
//     import it.
//   - crosstest: tests that drive all five clients the same way (hostile
//     answers, secrets in every echo, default response caps, the shared
//     and per-call options).
//
// # How a client is built
//
// New validates its options and builds a transport.Config: the API's base
// URL, its error-body parser (ParseError), its secrets (Secrets,
// SecretParams), its auth and its response cap (DefaultMaxResponseBytes,
// sized for the largest documented answer). Auth takes one of two forms: a
// header read once per call when the request is built (AuthHeader:
// paruskaz's API key, the True API bearer token), which no attempt has to
// copy its request for, or an http.RoundTripper inside the retry loop
// (Auth: uchet's token in the query, the uztgs session, whose headers
// rotate with every answer). Both reach only the API's origin. Every call builds a transport.Request
// (body encoded once to bytes, marked Idempotent when it only reads, or
// NoRetry when it may be billed), sends it with Do or DoJSON, and decodes
// the 2xx body once. A 2xx answer that is not the documented success shape
// is an error (ErrDecode, or for a True API call that creates something an
// OutcomeUnknownError), never a success. Input the API would refuse is a
// *ValidationError naming the field before any request.
//
// # Options
//
// The options every client takes (WithBaseURL, WithHTTPClient, WithLogger,
// WithUserAgent, WithMaxRetries, WithRetryWait, WithMaxRetryAfter,
// WithMaxResponseBytes) are written once, in transport/options.go, as
// generic constructors of a client's own Option type; the per-call ones
// (WithCall, CallHeader, CallTimeout, CallRetries, CallResponse,
// ResponseInfo) once, in transport/call.go. A client offers each shared
// option as a plain function whose body is that one call,
//
//	func WithLogger(l *slog.Logger) Option { return transport.WithLogger[Option](l) }
//
// so that its godoc lists the option among the constructors of its own
// Option type, with a doc comment that gives this client's default; the
// per-call options, which need no client type, are aliases
// (type CallOption = transport.CallOption, CallHeader = transport.CallHeader).
// openai-go shares one public option package, whose option.RequestOption
// serves the client and every call alike, and go-github has no option type
// at all (exported Client fields, WithAuthToken-style methods, a *Response
// beside each result). Neither fits here: a client may import no public
// package but its own, its defaults differ (response caps, retried
// statuses), and a bare alias or variable would show internal/transport's
// doc instead of the client's. What stays in each client is one line a name,
// the least Go allows, since it has no re-export.
//
// # Queries
//
// Every client builds every query string one way: an unexported params
// struct with go-querystring `url:"name,omitempty"` tags, encoded by
// query.Values into the transport.Request's Query; no client builds
// url.Values by hand. Lists are repeated keys (values=a&values=b), never
// comma-joined where a value may hold a comma; time.Time needs an explicit
// layout tag or a unix option (query.Date for dates); floats are refused,
// so no exponent is ever sent. query.Lint checks a struct type once (cached
// per type) for what go-querystring would encode wrongly or drop, and each
// client lints its params structs in a test. Credentials are not params:
// uchet's token is added by its auth RoundTripper and masked as a secret.
//
// # Errors
//
// One error type, transport.Error, re-exported by each client: status, the
// API's code and message, request id, method and masked URL, attempts,
// Retry-After, the start of the body (masked), MaybeDelivered, Location.
// Every *Error matches exactly one kind sentinel with errors.Is
// (ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited,
// ErrValidation, ErrServer, ErrTransport, ErrDecode, ErrTooLarge,
// ErrRedirect, ErrUnexpectedStatus); context.Canceled and
// context.DeadlineExceeded stay reachable beside it.
//
// # Retries and redirects
//
// Safe requests (GET, and POSTs that only read) are retried on connection
// errors, a body that breaks off, 408, 429, 502, 503, 504 (500 where an API
// says it is transient), with full-jitter backoff and Retry-After up to a
// cap. A request that creates something is retried only when the
// connection could not be made; after that its failure is MaybeDelivered.
// Only GET and HEAD follow redirects, to the same origin; any other request
// gets its 3xx back as ErrRedirect, so a body is never sent elsewhere.
//
// # Secrets
//
// API keys, tokens, passwords, the uchet query-string token and the uztgs
// session values are registered with the transport's Secrets. They are
// masked in every error, log line and printed value, in every form a
// server may echo them (raw, URL-escaped, JSON- and HTML-escaped, base64),
// before any text is cut.
//
// # Decoding
//
// Answers are decoded in one pass (lenient.Unmarshal, lenient.DecodeObject,
// lenient.ReadObject and the lenient types' UnmarshalJSONFrom), under
// encoding/json's rules for key matching, so that strict checks (required
// members, null lists) cost no second read. Public types are plain Go;
// leniency lives in decoding: openschool's and uztgs's types list their
// keys and read into their own fields (lenient.ReadObject), without a wire
// struct to copy from.
//
// # Tests and time
//
// No test lets the machine's clock decide its verdict: a loaded machine
// must not turn a pass into a failure. A test that waits (a timeout, a
// back-off, Retry-After, a fake's latency, a token's expiry) runs inside a
// testing/synctest bubble, and the fake is reached without a socket, since
// a goroutine waiting on a loopback socket keeps the bubble's clock still:
// fakekit.HandlerTransport calls the handler directly, and
// fakekit.PipeServer runs net/http's client and server over in-memory
// connections, where client timeouts, cancellation and dropped
// connections behave as over TCP. Goroutines that must overlap meet at a
// barrier, not after a sleep.
package internal
