package transport

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redirectPair is an API server that redirects as told and another host
// that records anything that reaches it.
type redirectPair struct {
	api, other *httptest.Server
	apiCalls   atomic.Int32
	otherCalls atomic.Int32
	otherBody  atomic.Value // string
}

func newRedirectPair(t *testing.T) *redirectPair {
	p := &redirectPair{}
	p.other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.otherCalls.Add(1)
		b, _ := io.ReadAll(r.Body)
		p.otherBody.Store(string(b))
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	p.api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.apiCalls.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		var status int
		var target string
		_, _ = fmt.Sscanf(r.URL.Path, "/%d/", &status)
		switch {
		case strings.HasSuffix(r.URL.Path, "/away"):
			target = p.other.URL + "/landing"
		case strings.HasSuffix(r.URL.Path, "/here"):
			target = "/done"
		case strings.HasSuffix(r.URL.Path, "/loop"):
			target = r.URL.Path
		default:
			_, _ = w.Write([]byte(`{"ok":true}`))
			return
		}
		w.Header().Set("Location", target)
		w.WriteHeader(status)
	}))
	t.Cleanup(p.api.Close)
	t.Cleanup(p.other.Close)
	return p
}

// TestWritesNeverFollowRedirects: a request other than GET and HEAD gets its
// 3xx back as ErrRedirect, sent once, with its Location, and marked as
// possibly delivered unless it is safe to repeat. Nothing reaches the other
// host, neither as a body-less GET (301, 302, 303) nor with the body
// (307, 308).
func TestWritesNeverFollowRedirects(t *testing.T) {
	p := newRedirectPair(t)
	c, err := New(Config{BaseURL: p.api.URL, RetryWaitMin: time.Microsecond, RetryWaitMax: time.Microsecond})
	require.NoError(t, err)
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		for _, status := range []int{301, 302, 303, 307, 308} {
			for _, where := range []string{"away", "here"} {
				for _, idempotent := range []bool{false, true} {
					name := fmt.Sprintf("%s %d %s idempotent=%v", method, status, where, idempotent)
					p.apiCalls.Store(0)
					_, err := c.Do(context.Background(), &Request{
						Method: method, Path: fmt.Sprintf("%d/%s", status, where),
						Body: []byte(`{"password":"p"}`), ContentType: "application/json", Idempotent: idempotent,
					})
					require.ErrorIs(t, err, ErrRedirect, name)
					var e *Error
					require.ErrorAs(t, err, &e, name)
					assert.Equal(t, status, e.StatusCode, name)
					assert.Equal(t, 1, e.Attempts, name)
					assert.EqualValues(t, 1, p.apiCalls.Load(), name)
					assert.Equal(t, !idempotent, e.MaybeDelivered, name)
					assert.NotEmpty(t, e.Location, name)
					assert.Contains(t, e.Error(), "redirected to "+e.Location+", not followed", name)
				}
			}
		}
	}
	assert.Zero(t, p.otherCalls.Load(), "no write reached the other host")
}

// TestReadsFollowSameOriginRedirectsOnly: GET and HEAD follow a redirect to
// the same scheme, host and port, not to another host or port, and stop
// after 10.
func TestReadsFollowSameOriginRedirectsOnly(t *testing.T) {
	p := newRedirectPair(t)
	c, err := New(Config{BaseURL: p.api.URL})
	require.NoError(t, err)
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		resp, err := c.Do(context.Background(), &Request{Method: method, Path: "302/here"})
		require.NoError(t, err, method)
		assert.Equal(t, 200, resp.StatusCode)

		_, err = c.Do(context.Background(), &Request{Method: method, Path: "307/away"})
		require.ErrorIs(t, err, ErrRedirect, method)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, p.other.URL+"/landing", e.Location)
		assert.False(t, e.MaybeDelivered, "a read has nothing to deliver")

		p.apiCalls.Store(0)
		_, err = c.Do(context.Background(), &Request{Method: method, Path: "302/loop"})
		require.ErrorIs(t, err, ErrRedirect, method)
		assert.EqualValues(t, 11, p.apiCalls.Load(), "the first request and 10 redirects")
	}
	assert.Zero(t, p.otherCalls.Load())

	// The same host on another port is another origin.
	assert.False(t, sameOrigin(mustURL(t, "http://h:1/a"), mustURL(t, "http://h:2/a")))
	assert.True(t, sameOrigin(mustURL(t, "http://H/a"), mustURL(t, "http://h:80/b")))
	assert.True(t, sameOrigin(mustURL(t, "https://h/a"), mustURL(t, "https://h:443/b")))
	assert.False(t, sameOrigin(mustURL(t, "http://h/a"), mustURL(t, "https://h/a")))
}

// TestCallerCheckRedirectDecidesReadsOnly: a caller's CheckRedirect decides
// where GETs may go, but never makes a write follow a redirect.
func TestCallerCheckRedirectDecidesReadsOnly(t *testing.T) {
	p := newRedirectPair(t)
	var asked atomic.Int32
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { asked.Add(1); return nil }}
	c, err := New(Config{BaseURL: p.api.URL, HTTPClient: hc})
	require.NoError(t, err)
	resp, err := c.Do(context.Background(), &Request{Path: "302/away"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"ok":true}`, string(resp.Body))
	assert.EqualValues(t, 1, p.otherCalls.Load())

	_, err = c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "307/away", Body: []byte("secret body")})
	assert.ErrorIs(t, err, ErrRedirect)
	assert.EqualValues(t, 1, p.otherCalls.Load(), "the POST did not follow")
	assert.EqualValues(t, 1, asked.Load(), "the caller is not asked about writes")
}

func mustURL(t *testing.T, s string) *urlT {
	t.Helper()
	u, err := parseURL(s)
	require.NoError(t, err)
	return u
}

// TestTooLargeSaysHowLarge: the error names the cap, not "200 OK".
func TestTooLargeSaysHowLarge(t *testing.T) {
	c, mt := mockClient(t, Config{MaxResponseBytes: 16})
	mt.RegisterResponder(http.MethodGet, testBase+"/big", func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: endless{}, ContentLength: -1}, nil
	})
	_, err := c.Do(context.Background(), &Request{Path: "big"})
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Equal(t, "test: GET "+testBase+"/big: answer larger than 16 bytes", err.Error())
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 200, e.StatusCode)
	assert.Equal(t, 1, e.Attempts, "a too-large answer is not fetched again")
}

// TestBrokenBodyRetriedThenSucceeds: a safe GET whose 2xx body breaks off
// is sent again; a POST that is not safe to repeat is not, and may have
// been delivered.
func TestBrokenBodyRetriedThenSucceeds(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 || r.Method == http.MethodPost {
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte(`{"items":[`))
			return
		}
		_, _ = w.Write([]byte(`{"items":[]}`))
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, RetryWaitMin: time.Microsecond, RetryWaitMax: time.Microsecond})
	require.NoError(t, err)
	resp, err := c.Do(context.Background(), &Request{Path: "x"})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, `{"items":[]}`, string(resp.Body))

	calls.Store(0)
	_, err = c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "x", Body: []byte("{}")})
	require.ErrorIs(t, err, ErrTransport)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.True(t, e.MaybeDelivered)
	assert.Equal(t, 1, e.Attempts)
	assert.EqualValues(t, 1, calls.Load())
}

type urlT = url.URL

var parseURL = url.Parse

// TestPerAttemptTimeoutIsRetried: the http.Client's own Timeout ends one
// attempt, not the call; a safe request is sent again, and the failure is a
// transport error, not the server error of an earlier attempt.
func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	// In a synctest bubble over in-memory connections, the first answer
	// always beats the timeout, however loaded the machine.
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		srv := fakekit.NewPipeServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			<-r.Context().Done() // never answers
		}))
		defer srv.Close()
		c, err := New(Config{BaseURL: srv.URL, MaxRetries: 2, RetryWaitMin: time.Second, RetryWaitMax: time.Second,
			HTTPClient: &http.Client{Transport: srv.Transport(), Timeout: 20 * time.Second}})
		require.NoError(t, err)
		start := time.Now()
		_, err = c.Do(context.Background(), &Request{Path: "x"})
		require.ErrorIs(t, err, ErrTransport)
		assert.NotErrorIs(t, err, ErrServer)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 3, e.Attempts)
		assert.EqualValues(t, 3, calls.Load())
		took := time.Since(start)
		assert.GreaterOrEqual(t, took, 2*20*time.Second, "two attempts ran to their timeout")
		assert.LessOrEqual(t, took, 2*20*time.Second+2*time.Second, "plus two back-offs of at most 1 s")
	})
}

// TestErrorBodyMaskedBeforeItIsCut: a secret that straddles the 64 KiB cut
// of Error.Body, or the cut a ParseError makes, leaves no part behind.
func TestErrorBodyMaskedBeforeItIsCut(t *testing.T) {
	const secret = "s3cr3t-t0ken-value"
	for _, at := range []int{DefaultMaxErrorBody - 5, DefaultMaxErrorBody - len(secret), DefaultMaxErrorBody, 100} {
		secrets := new(Secrets)
		secrets.Add(secret)
		c, mt := mockClient(t, Config{Secrets: secrets, ParseError: func(_ int, _ http.Header, body []byte) (string, string) {
			return "", string(body[:min(len(body), 105)]) // a parser that cuts the message
		}})
		body := strings.Repeat("x", at) + secret + strings.Repeat("y", 100)
		mt.RegisterResponder(http.MethodGet, testBase+"/x", httpmock.NewStringResponder(400, body))
		_, err := c.Do(context.Background(), &Request{Path: "x"})
		var e *Error
		require.ErrorAs(t, err, &e)
		for _, text := range []string{string(e.Body), e.Message, e.Error()} {
			assert.NotContains(t, text, secret[:4], "secret at %d", at)
		}
		assert.LessOrEqual(t, len(e.Body), DefaultMaxErrorBody)
	}
}
