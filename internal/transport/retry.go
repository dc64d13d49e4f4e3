package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

type callStateKey struct{}

// callState travels through the retry loop as the request's context: it
// is the caller's context, with the call's own state.
type callState struct {
	context.Context
	idempotent bool
	once       bool   // Request.NoRetry: sent once, whatever happens
	head       bool   // a HEAD request: no body, whatever its length says
	maxRetries int    // retries allowed after the first attempt
	limit      int64  // the answer's size cap
	authKey    string // the header Config.AuthHeader gave the call, if any
	attempts   atomic.Int32
	// body is the final answer's body, read inside the retry loop.
	body   []byte
	bodyOf *http.Response
	// lastStatus and lastHeader are the last answer's, kept so a call
	// whose context ends while it waits to retry still reports it.
	lastStatus int
	lastHeader http.Header
	// lastErr is the last attempt's failure to get an answer.
	lastErr error

	// The request body: one part (parts[0]), or many. opens counts the
	// readers handed out; the first two (retryablehttp's length probe
	// and the first attempt, one after the other) use reader, the others
	// get their own.
	parts  [1][]byte
	many   [][]byte
	opens  atomic.Int32
	reader bytes.Reader

	// resp is the Response Do returns, made with the state.
	resp Response
}

// Value makes the state findable in the request's context (stateFrom).
func (s *callState) Value(key any) any {
	if key == (callStateKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// declared is the length the answer's body declares, or -1.
func (s *callState) declared(resp *http.Response) int64 {
	if s.head {
		return -1 // the length of the body a GET would have had
	}
	return resp.ContentLength
}

// errNoCall is the failure of an answer whose request does not lead to its
// call's state, which attemptTransport makes sure never happens.
var errNoCall = errors.New("transport: an answer whose request is not the call's")

// readAnswer is the response handler of the retry loop, one function for
// every call (no closure per call): it finds the call's state through the
// answer's request (see attemptTransport.RoundTrip) and reads the body.
func readAnswer(resp *http.Response) error {
	if resp.Request == nil {
		return errNoCall
	}
	st, _ := resp.Request.Context().Value(callStateKey{}).(*callState)
	if st == nil {
		return errNoCall
	}
	return st.readBody(resp)
}

// readBody reads the answer's body (up to the cap) and closes it.
func (s *callState) readBody(resp *http.Response) error {
	data, err := readCapped(resp.Body, s.declared(resp), s.limit)
	drainClose(resp.Body)
	if err != nil {
		return err
	}
	s.body, s.bodyOf = data, resp
	return nil
}

// openBody returns a new reader of the request body for retryablehttp.
// A body in one part is read through a *bytes.Reader, which net/http knows
// is in memory: it sends the headers and such a body together, where
// another reader makes it flush the headers first.
func (s *callState) openBody() (io.Reader, error) {
	if s.many != nil {
		return &partsReader{parts: s.many}, nil
	}
	if s.opens.Add(1) <= 2 {
		s.reader.Reset(s.parts[0])
		return &s.reader, nil
	}
	return bytes.NewReader(s.parts[0]), nil
}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	if st == nil {
		return &callState{}
	}
	return st
}

// checkRetry is the retry policy handed to retryablehttp. It never returns
// an error of its own: the caller builds the typed error from the last
// response or cause.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, nil
	}
	st := stateFrom(ctx)
	if int(st.attempts.Load()) > st.maxRetries {
		return false, nil // this request's retries are used up
	}
	if !st.idempotent {
		// A request that is not safe to repeat is sent again only when
		// it cannot have reached the server: the connection was never
		// made.
		return !st.once && err != nil && notSent(err), nil
	}
	if err != nil {
		return retryableCause(err), nil
	}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	case http.StatusInternalServerError:
		if !c.retry500 {
			return false, nil
		}
	default:
		return false, nil
	}
	if ra, ok := parseRetryAfter(resp.Header, time.Now()); ok {
		if ra > c.maxRetryWait {
			return false, nil // surfaced as an *Error with RetryAfter
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < ra {
			return false, nil
		}
	}
	return true, nil
}

// notSent reports whether a failure happened before any byte of the
// request could reach the server: the name did not resolve or the
// connection was refused or timed out while dialling.
func notSent(err error) bool {
	var (
		opErr  *net.OpError
		dnsErr *net.DNSError
	)
	if errors.As(err, &dnsErr) {
		return true
	}
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// retryableCause says whether a failure without a response may pass on retry.
// An error with a Permanent method that reports true (e.g. an Auth
// RoundTripper that could not renew its credentials) is not retried.
// The caller's context has been checked already (checkRetry): a deadline
// here is the http.Client's own per-attempt Timeout, which a retry may beat.
func retryableCause(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var (
		tooLarge  *tooLargeError
		permanent interface{ Permanent() bool }
	)
	if errors.Is(err, errLimiter) || errors.As(err, &tooLarge) || (errors.As(err, &permanent) && permanent.Permanent()) {
		return false
	}
	var (
		certErr     *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidErr  x509.CertificateInvalidError
	)
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalidErr) {
		return false
	}
	if strings.Contains(err.Error(), "unsupported protocol scheme") {
		return false
	}
	return true
}

// backoff returns the server's Retry-After when it is within the cap, and
// otherwise a full-jitter exponential delay: uniform in [0, min(max, min·2^n)].
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if ra, ok := parseRetryAfter(resp.Header, time.Now()); ok && ra <= c.maxRetryWait {
			return ra
		}
	}
	return fullJitter(minWait, maxWait, attempt)
}

func fullJitter(minWait, maxWait time.Duration, attempt int) time.Duration {
	ceiling := maxWait
	if attempt < 32 {
		if d := minWait << attempt; d > 0 && d < maxWait {
			ceiling = d
		}
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(365*24*time.Hour/time.Second) {
			secs = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
