package transport

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. Every [*Error] matches exactly one kind with [errors.Is];
// a [*ValidationError] matches [ErrValidation].
var (
	// ErrUnauthorized: the server answered 401 (credentials missing, wrong or expired).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the server answered 403.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: the server answered 404 or 410.
	ErrNotFound = errors.New("not found")
	// ErrRateLimited: the server answered 429, or a client-side rate limit
	// could not be met before the context deadline.
	ErrRateLimited = errors.New("rate limited")
	// ErrValidation: the input was rejected, either before any request (see
	// [ValidationError]) or by the server (400, 409, 422).
	ErrValidation = errors.New("validation failed")
	// ErrServer: the server answered with a 5xx status.
	ErrServer = errors.New("server error")
	// ErrTransport: no HTTP response was received (dial, TLS, reset, timeout).
	ErrTransport = errors.New("transport error")
	// ErrDecode: the response arrived but its body could not be decoded.
	ErrDecode = errors.New("cannot decode response")
	// ErrTooLarge: the response body exceeded the configured size cap.
	ErrTooLarge = errors.New("response too large")
	// ErrRedirect: the server answered with a redirect (3xx) that was not
	// followed. Only GET and HEAD follow redirects, and only to the same
	// scheme, host and port; any other request gets its 3xx back as an
	// [*Error] whose Location names the target. For a request that is not
	// safe to repeat, MaybeDelivered is set: the server saw the request.
	ErrRedirect = errors.New("redirect not followed")
	// ErrUnexpectedStatus: any other non-2xx status (e.g. 405).
	ErrUnexpectedStatus = errors.New("unexpected status")
)

// Error is the one error type of all steppe clients. Its string never holds a
// registered secret: URL, Message and Body are redacted when the error is built.
//
// Use [errors.Is] with the sentinels of this package (re-exported by each
// client) to branch on the kind, and [errors.As] to read the details.
// [context.Canceled] and [context.DeadlineExceeded] stay reachable with
// [errors.Is] when the call ended because of the context.
type Error struct {
	// API is the short name of the client that made the call ("openschool").
	API string
	// StatusCode is the HTTP status of the last response, 0 if none arrived.
	StatusCode int
	// Code is the API's own error code, when its error body has one.
	Code string
	// Message is the API's own error message, when its error body has one.
	Message string
	// RequestID is the server's request id header, when it sends one.
	RequestID string
	// Method and URL describe the request; URL has secrets masked.
	Method string
	URL    string
	// Attempts is how many times the request was sent.
	Attempts int
	// MaybeDelivered is set when a request that is not safe to repeat
	// failed after it may have reached the server (the connection broke
	// after sending, the deadline passed while waiting, or a 2xx answer's
	// body broke off). It was not sent again: whether the server acted on
	// it is unknown and must be checked with the API.
	MaybeDelivered bool
	// Location is the target of a redirect that was not followed (see
	// [ErrRedirect]), with secrets masked.
	Location string
	// RetryAfter is the delay the server asked for (Retry-After), uncapped.
	RetryAfter time.Duration
	// Body is the start of the response body (capped, secrets masked).
	Body []byte
	// Err is the underlying cause: a transport error, a decode error or a
	// context error. It is nil for plain HTTP status errors.
	Err error

	kind error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	if e.API != "" {
		b.WriteString(e.API)
		b.WriteString(": ")
	}
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.URL)
	var parts []string
	switch {
	case e.kind == ErrTooLarge && e.Err != nil && e.StatusCode/100 == 2:
		// The cause says "answer larger than N bytes"; "200 OK" beside
		// it would read as a success.
	case e.StatusCode != 0:
		status := strconv.Itoa(e.StatusCode)
		if t := http.StatusText(e.StatusCode); t != "" {
			status += " " + t
		}
		parts = append(parts, status)
	case e.kind != nil:
		parts = append(parts, e.kind.Error())
	}
	for _, p := range []string{e.Code, e.Message} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	if e.Location != "" {
		parts = append(parts, "redirected to "+e.Location+", not followed")
	}
	for _, p := range parts {
		b.WriteString(": ")
		b.WriteString(p)
	}
	var extra []string
	if e.RequestID != "" {
		extra = append(extra, "request id "+e.RequestID)
	}
	if e.Attempts > 1 {
		extra = append(extra, strconv.Itoa(e.Attempts)+" attempts")
	}
	if e.RetryAfter > 0 {
		extra = append(extra, "retry after "+e.RetryAfter.String())
	}
	if e.MaybeDelivered {
		extra = append(extra, "it may have reached the server and was not sent again")
	}
	if len(extra) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(extra, ", "))
		b.WriteByte(')')
	}
	return b.String()
}

// Unwrap exposes the kind sentinel and the underlying cause to errors.Is/As.
func (e *Error) Unwrap() []error {
	out := make([]error, 0, 2)
	if e.kind != nil {
		out = append(out, e.kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Kind returns the sentinel this error matches (ErrNotFound, ErrServer, …).
func (e *Error) Kind() error { return e.kind }

// Temporary reports whether repeating the same call later may succeed: rate
// limits, 5xx, 408 and transport failures.
func (e *Error) Temporary() bool {
	switch e.kind {
	case ErrRateLimited, ErrServer, ErrTransport:
		return true
	}
	return e.StatusCode == http.StatusRequestTimeout
}

// KindForStatus maps an HTTP status to its sentinel; 2xx gives nil.
func KindForStatus(status int) error {
	switch {
	case status >= 200 && status < 300:
		return nil
	case status >= 300 && status < 400:
		return ErrRedirect
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound, status == http.StatusGone:
		return ErrNotFound
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status == http.StatusBadRequest, status == http.StatusConflict,
		status == http.StatusUnprocessableEntity, status == http.StatusRequestEntityTooLarge:
		return ErrValidation
	case status >= 500:
		return ErrServer
	}
	return ErrUnexpectedStatus
}

// ValidationError reports input that the API would reject, found before any
// request was sent. Field is a path such as "data[3].person[17].iin".
// It never holds the rejected value itself, which may be a secret.
type ValidationError struct {
	Field string
	Rule  string
}

// Error implements error.
func (e *ValidationError) Error() string {
	if e.Field == "" {
		return "invalid input: " + e.Rule
	}
	return "invalid " + e.Field + ": " + e.Rule
}

// Is makes errors.Is(err, ErrValidation) true.
func (e *ValidationError) Is(target error) bool { return target == ErrValidation }

// Invalid returns a *ValidationError for field with a formatted rule.
func Invalid(field, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Rule: fmt.Sprintf(format, args...)}
}

// redactedError carries a cause whose text had secrets masked. Unwrap still
// reaches the original cause so errors.Is(err, context.Canceled) works; the
// causes wrapped here never carry the request URL (see scrubCause).
type redactedError struct {
	msg string
	err error
}

func (r *redactedError) Error() string { return r.msg }
func (r *redactedError) Unwrap() error { return r.err }
