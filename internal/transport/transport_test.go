package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	jsonv1 "github.com/go-json-experiment/json/v1"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testBase = "https://api.example.test/v1"

func mockClient(t *testing.T, cfg Config) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		return httpmock.NewStringResponse(599, ""), nil
	})
	if cfg.BaseURL == "" {
		cfg.BaseURL = testBase
	}
	if cfg.API == "" {
		cfg.API = "test"
	}
	cfg.HTTPClient = &http.Client{Transport: mt}
	c, err := New(cfg)
	require.NoError(t, err)
	return c, mt
}

func TestRequestShape(t *testing.T) {
	c, mt := mockClient(t, Config{UserAgent: "acme/2"})
	var got *http.Request
	var gotBody []byte
	mt.RegisterResponder(http.MethodPost, testBase+"/items", func(r *http.Request) (*http.Response, error) {
		got = r
		gotBody, _ = io.ReadAll(r.Body)
		return httpmock.NewStringResponse(201, `{"ok":true}`), nil
	})
	body, err := JSONBody(map[string]string{"a": "<b>"})
	require.NoError(t, err)
	var out struct{ OK bool }
	resp, err := c.DoJSON(context.Background(), &Request{
		Method: http.MethodPost, Path: "items?x=1", Query: url.Values{"y": {"2", "3"}},
		Header: http.Header{"X-Extra": {"v"}}, Body: body, ContentType: "application/json",
	}, &out)
	require.NoError(t, err)
	assert.True(t, out.OK)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, "acme/2 steppe/"+Version+" (+"+ModulePath+")", got.Header.Get("User-Agent"))
	assert.Equal(t, "application/json", got.Header.Get("Accept"))
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, "v", got.Header.Get("X-Extra"))
	assert.Equal(t, "x=1&y=2&y=3", got.URL.RawQuery)
	assert.Equal(t, "/v1/items", got.URL.Path)
	assert.JSONEq(t, `{"a":"<b>"}`, string(gotBody))
	assert.NotContains(t, string(gotBody), `\u003c`, "HTML escaping must be off")
}

func TestConfigValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"empty", Config{}, "base URL: is required"},
		{"relative", Config{BaseURL: "/api"}, "absolute http or https"},
		{"ftp", Config{BaseURL: "ftp://x"}, "absolute http or https"},
		{"query", Config{BaseURL: "http://x/?a=1"}, "query or fragment"},
		{"negative", Config{BaseURL: "http://x", RetryWaitMin: -1}, "must not be negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrValidation)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestStatusKinds(t *testing.T) {
	cases := map[int]error{
		400: ErrValidation, 401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound, 410: ErrNotFound,
		405: ErrUnexpectedStatus, 409: ErrValidation, 422: ErrValidation, 429: ErrRateLimited, 500: ErrServer, 501: ErrServer,
	}
	for status, kind := range cases {
		c, mt := mockClient(t, Config{MaxRetries: -1, ParseError: func(s int, h http.Header, b []byte) (string, string) {
			var v struct{ Code, Message string }
			_ = json.Unmarshal(b, &v)
			return v.Code, v.Message
		}})
		mt.RegisterResponder(http.MethodGet, testBase+"/x", func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(status, `{"code":"E1","message":"bad thing"}`)
			r.Header.Set("X-Request-Id", "rid-7")
			return r, nil
		})
		_, err := c.Do(context.Background(), &Request{Path: "x"})
		require.Error(t, err, status)
		assert.ErrorIs(t, err, kind, status)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, status, e.StatusCode)
		assert.Equal(t, "E1", e.Code)
		assert.Equal(t, "bad thing", e.Message)
		assert.Equal(t, "rid-7", e.RequestID)
		assert.Equal(t, kind, e.Kind())
		assert.Equal(t, 1, e.Attempts)
		assert.Contains(t, e.Error(), "E1: bad thing")
		assert.Contains(t, e.Error(), "request id rid-7")
		assert.Equal(t, status == 429 || status >= 500, e.Temporary(), status)
	}
	assert.Nil(t, KindForStatus(204))
}

func TestRetryThenSuccessTakesNoRealTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{})
		mt.RegisterResponder(http.MethodGet, testBase+"/x", httpmock.ResponderFromMultipleResponses([]*http.Response{
			httpmock.NewStringResponse(503, "busy"),
			httpmock.NewStringResponse(502, "gw"),
			httpmock.NewStringResponse(200, "ok"),
		}))
		start := time.Now()
		resp, err := c.Do(context.Background(), &Request{Path: "x"})
		require.NoError(t, err)
		assert.Equal(t, 3, resp.Attempts)
		assert.Equal(t, "ok", string(resp.Body))
		// Full jitter: the two waits are each at most min·2^n.
		assert.LessOrEqual(t, time.Since(start), DefaultRetryWaitMin+2*DefaultRetryWaitMin)
	})
}

func TestRetryAfterHonouredWithinCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{})
		first := httpmock.NewStringResponse(429, "slow down")
		first.Header.Set("Retry-After", "7")
		mt.RegisterResponder(http.MethodGet, testBase+"/x", httpmock.ResponderFromMultipleResponses([]*http.Response{
			first, httpmock.NewStringResponse(200, "ok"),
		}))
		start := time.Now()
		resp, err := c.Do(context.Background(), &Request{Path: "x"})
		require.NoError(t, err)
		assert.Equal(t, 2, resp.Attempts)
		assert.Equal(t, 7*time.Second, time.Since(start))
	})
}

func TestRetryAfterBeyondCapIsTypedError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{MaxRetryAfter: 10 * time.Second})
		mt.RegisterResponder(http.MethodGet, testBase+"/x", func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(429, "later")
			r.Header.Set("Retry-After", "3600")
			return r, nil
		})
		start := time.Now()
		_, err := c.Do(context.Background(), &Request{Path: "x"})
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, ErrRateLimited)
		assert.Equal(t, time.Hour, e.RetryAfter)
		assert.Equal(t, 1, e.Attempts)
		assert.Zero(t, time.Since(start), "must not sleep")
		assert.Contains(t, err.Error(), "retry after 1h0m0s")
	})
}

func TestRetryAfterPastDeadlineIsTypedError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{})
		mt.RegisterResponder(http.MethodGet, testBase+"/x", func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(503, "later")
			r.Header.Set("Retry-After", time.Now().Add(20*time.Second).UTC().Format(http.TimeFormat))
			return r, nil
		})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := c.Do(ctx, &Request{Path: "x"})
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, ErrServer)
		assert.Equal(t, 20*time.Second, e.RetryAfter)
		assert.Equal(t, 1, e.Attempts)
	})
}

func TestRetriesExhausted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{MaxRetries: 2})
		mt.RegisterResponder(http.MethodGet, testBase+"/x", httpmock.NewStringResponder(504, "gateway timeout"))
		_, err := c.Do(context.Background(), &Request{Path: "x"})
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, ErrServer)
		assert.Equal(t, 3, e.Attempts)
		assert.Equal(t, 3, mt.GetTotalCallCount())
		assert.Equal(t, "gateway timeout", string(e.Body))
		assert.Contains(t, err.Error(), "3 attempts")
	})
}

func TestOnlyIdempotentRequestsAreRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{})
		mt.RegisterResponder(http.MethodPost, testBase+"/doc", httpmock.NewStringResponder(503, ""))
		_, err := c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "doc", Body: []byte("{}")})
		assert.ErrorIs(t, err, ErrServer)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "a document-creating POST is sent once")

		mt.Reset()
		var bodies []string
		mt.RegisterResponder(http.MethodPost, testBase+"/push", func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			bodies = append(bodies, string(b))
			if len(bodies) < 3 {
				return httpmock.NewStringResponse(503, ""), nil
			}
			return httpmock.NewStringResponse(200, ""), nil
		})
		resp, err := c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "push", Body: []byte(`{"n":1}`), Idempotent: true})
		require.NoError(t, err)
		assert.Equal(t, 3, resp.Attempts)
		assert.Equal(t, []string{`{"n":1}`, `{"n":1}`, `{"n":1}`}, bodies, "body replayed intact on every attempt")
	})
}

func TestRetry500OnlyWhenEnabled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{})
		mt.RegisterResponder(http.MethodGet, testBase+"/x", httpmock.NewStringResponder(500, ""))
		_, err := c.Do(context.Background(), &Request{Path: "x"})
		assert.ErrorIs(t, err, ErrServer)
		assert.Equal(t, 1, mt.GetTotalCallCount())

		c2, mt2 := mockClient(t, Config{Retry500: true, MaxRetries: 1})
		mt2.RegisterResponder(http.MethodGet, testBase+"/x", httpmock.NewStringResponder(500, ""))
		_, err = c2.Do(context.Background(), &Request{Path: "x"})
		assert.ErrorIs(t, err, ErrServer)
		assert.Equal(t, 2, mt2.GetTotalCallCount())
	})
}

func TestCancelDuringWaitEndsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{})
		ctx, cancel := context.WithCancel(context.Background())
		mt.RegisterResponder(http.MethodGet, testBase+"/x", func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(503, "")
			r.Header.Set("Retry-After", "20")
			time.AfterFunc(time.Second, cancel)
			return r, nil
		})
		start := time.Now()
		_, err := c.Do(ctx, &Request{Path: "x"})
		assert.ErrorIs(t, err, context.Canceled)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 1, e.Attempts)
		assert.Equal(t, time.Second, time.Since(start), "the wait ends when the context ends")
		// The server's answer stays reachable beside the context error.
		assert.ErrorIs(t, err, ErrServer)
		assert.Equal(t, http.StatusServiceUnavailable, e.StatusCode)
		assert.Equal(t, 20*time.Second, e.RetryAfter)
	})
}

func TestConnectionErrorsRetriedAndTyped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := mockClient(t, Config{MaxRetries: 1})
		mt.RegisterResponder(http.MethodGet, testBase+"/x", httpmock.NewErrorResponder(errors.New("connection reset by peer")))
		_, err := c.Do(context.Background(), &Request{Path: "x"})
		assert.ErrorIs(t, err, ErrTransport)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 2, e.Attempts)
		assert.Zero(t, e.StatusCode)
		var ue *url.Error
		assert.ErrorAs(t, err, &ue)
	})
}

func TestDecodeAndSizeCap(t *testing.T) {
	c, mt := mockClient(t, Config{MaxResponseBytes: 16})
	mt.RegisterResponder(http.MethodGet, testBase+"/bad", httpmock.NewStringResponder(200, `{"a":`))
	mt.RegisterResponder(http.MethodGet, testBase+"/big", httpmock.NewStringResponder(200, strings.Repeat("x", 17)))
	mt.RegisterResponder(http.MethodGet, testBase+"/fit", httpmock.NewStringResponder(200, strings.Repeat("x", 16)))
	var v map[string]any
	_, err := c.DoJSON(context.Background(), &Request{Path: "bad"}, &v)
	assert.ErrorIs(t, err, ErrDecode)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, `{"a":`, string(e.Body))
	var se *jsonv1.SyntaxError
	assert.ErrorAs(t, err, &se, "the decoder's own error is kept")

	_, err = c.Do(context.Background(), &Request{Path: "big"})
	assert.ErrorIs(t, err, ErrTooLarge)
	resp, err := c.Do(context.Background(), &Request{Path: "fit"})
	require.NoError(t, err)
	assert.Len(t, resp.Body, 16)

	// A request's own cap replaces the client's, up or down.
	resp, err = c.Do(context.Background(), &Request{Path: "big", MaxResponseBytes: 17})
	require.NoError(t, err)
	assert.Len(t, resp.Body, 17)
	_, err = c.Do(context.Background(), &Request{Path: "fit", MaxResponseBytes: 15})
	assert.ErrorIs(t, err, ErrTooLarge)
}

func TestTruncatedBodyIsTransportError(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte("short"))
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, RetryWaitMin: time.Microsecond, RetryWaitMax: time.Microsecond})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Path: "x"})
	assert.ErrorIs(t, err, ErrTransport)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusOK, e.StatusCode)
	assert.Equal(t, 1+DefaultMaxRetries, e.Attempts, "a safe GET whose body breaks off is retried")
	assert.EqualValues(t, 1+DefaultMaxRetries, calls.Load())
	assert.False(t, e.MaybeDelivered)
}

func TestAuthOnlyForAPIHost(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(r.Header.Get("X-Api-Key")))
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/away" {
			http.Redirect(w, r, other.URL+"/landing", http.StatusFound)
			return
		}
		_, _ = w.Write([]byte(r.Header.Get("X-Api-Key")))
	}))
	defer api.Close()
	// The caller's own CheckRedirect lets GETs go to another host; the
	// credentials still stay with the API host.
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	c, err := New(Config{BaseURL: api.URL, HTTPClient: hc, Auth: func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r = r.Clone(r.Context())
			r.Header.Set("X-Api-Key", "k-123")
			return next.RoundTrip(r)
		})
	}})
	require.NoError(t, err)
	resp, err := c.Do(context.Background(), &Request{Path: "here"})
	require.NoError(t, err)
	assert.Equal(t, "k-123", string(resp.Body))
	resp, err = c.Do(context.Background(), &Request{Path: "away"})
	require.NoError(t, err)
	assert.Empty(t, string(resp.Body), "a redirect to another host carries no credentials")
}

func TestRedirectDowngradeRefused(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL, http.StatusMovedPermanently)
	}))
	defer tlsSrv.Close()
	// Even a caller's CheckRedirect that allows everything cannot send a
	// request from https to http.
	hc := tlsSrv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return nil }
	c, err := New(Config{BaseURL: tlsSrv.URL, HTTPClient: hc})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Path: "x"})
	assert.ErrorIs(t, err, ErrRedirect)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, e.Attempts, "a refused redirect is not retried")
	assert.Equal(t, http.StatusMovedPermanently, e.StatusCode)
	assert.Equal(t, plain.URL, e.Location)
}

func TestFailedCallKeepsConnectionPool(t *testing.T) {
	var newConns atomic.Int32
	var calls atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1)%2 == 1 {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			newConns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL})
	require.NoError(t, err)
	for range 4 {
		_, _ = c.Do(context.Background(), &Request{Path: "x"})
	}
	assert.Equal(t, int32(1), newConns.Load(), "failed calls must not flush idle connections")
	_, ok := any(c.rc.HTTPClient.Transport).(interface{ CloseIdleConnections() })
	assert.False(t, ok)
}

var limiterRuns atomic.Int32

func TestSharedLimiterByHost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// A fresh host per run: the limiter registry is process-wide and
		// would carry state from an earlier run (go test -count=N).
		host := fmt.Sprintf("limited-%d.example.test", limiterRuns.Add(1))
		a, mt := mockClient(t, Config{BaseURL: "https://" + host, RateLimit: 2})
		mt.RegisterResponder(http.MethodGet, "https://"+host+"/x", httpmock.NewStringResponder(200, ""))
		b, mt2 := mockClient(t, Config{BaseURL: "https://" + host + "/other", RateLimit: 2})
		mt2.RegisterResponder(http.MethodGet, "https://"+host+"/other/x", httpmock.NewStringResponder(200, ""))
		assert.Same(t, SharedLimiter(host, 99, 9), SharedLimiter(host, 1, 1))
		start := time.Now()
		for range 3 {
			_, err := a.Do(context.Background(), &Request{Path: "x"})
			require.NoError(t, err)
			_, err = b.Do(context.Background(), &Request{Path: "x"})
			require.NoError(t, err)
		}
		// 6 requests on one 2/s budget with burst 1: the last leaves at 2.5 s.
		assert.Equal(t, 2500*time.Millisecond, time.Since(start))

		_, _ = a.Do(context.Background(), &Request{Path: "x"})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := a.Do(ctx, &Request{Path: "x"})
		assert.ErrorIs(t, err, ErrRateLimited)
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"5":                             5 * time.Second,
		"0":                             0,
		"Thu, 01 Jan 2026 00:01:00 GMT": time.Minute,
		"Wed, 31 Dec 2025 00:00:00 GMT": 0,
		"99999999999":                   365 * 24 * time.Hour,
	} {
		got, ok := parseRetryAfter(http.Header{"Retry-After": {v}}, now)
		assert.True(t, ok, v)
		assert.Equal(t, want, got, v)
	}
	for _, v := range []string{"", "soon", "-3"} {
		_, ok := parseRetryAfter(http.Header{"Retry-After": {v}}, now)
		assert.False(t, ok, v)
	}
}

func TestFullJitterBounds(t *testing.T) {
	for attempt := range 40 {
		for range 50 {
			d := fullJitter(100*time.Millisecond, 2*time.Second, attempt)
			assert.GreaterOrEqual(t, d, time.Duration(0))
			ceiling := min(2*time.Second, 100*time.Millisecond<<min(attempt, 31))
			assert.LessOrEqual(t, d, ceiling)
		}
	}
	assert.Zero(t, fullJitter(0, 0, 3))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestBodyParts(t *testing.T) {
	var bodies []string
	var lengths []int64
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		lengths = append(lengths, r.ContentLength)
		calls++
		if calls == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	require.NoError(t, err)
	parts := [][]byte{[]byte(`{"a":`), nil, []byte(`[1,2`), []byte(`]}`)}
	_, err = c.Do(t.Context(), &Request{Method: http.MethodPost, Path: "/p", BodyParts: parts, ContentType: "application/json", Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, []string{`{"a":[1,2]}`, `{"a":[1,2]}`}, bodies, "the parts are sent joined, again on a retry")
	assert.Equal(t, []int64{11, 11}, lengths, "with a Content-Length")

	r := &partsReader{parts: [][]byte{[]byte("ab"), []byte("cde")}}
	buf := make([]byte, 1)
	n, err := r.Read(buf)
	assert.Equal(t, 1, n)
	require.NoError(t, err)
	assert.Equal(t, 4, r.Len())
	rest, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "bcde", string(rest))
	assert.Equal(t, 0, r.Len())
}

func TestNoRetry(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	require.NoError(t, err)
	_, err = c.Do(t.Context(), &Request{Path: "/billed", NoRetry: true})
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, calls, "a NoRetry GET is sent once")
	_, err = c.Do(t.Context(), &Request{Path: "/free"})
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1+1+DefaultMaxRetries, calls, "a plain GET is retried")
}

func TestSetMaxRetries(t *testing.T) {
	var c Config
	c.SetMaxRetries(5)
	assert.Equal(t, 5, c.MaxRetries)
	c.SetMaxRetries(0)
	assert.Equal(t, -1, c.MaxRetries, "0 turns retries off rather than meaning the default")
	c.SetMaxRetries(-3)
	assert.Equal(t, -1, c.MaxRetries)
}

// A request that is not safe to repeat is retried only when the
// connection could not be made; a failure after sending is marked
// MaybeDelivered and not repeated.
func TestNonIdempotentRetriedOnlyBeforeSending(t *testing.T) {
	ctx := context.Background()
	closed := httptest.NewServer(http.NotFoundHandler())
	deadURL := closed.URL
	closed.Close()
	c, err := New(Config{BaseURL: deadURL, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	require.NoError(t, err)
	_, err = c.Do(ctx, &Request{Method: http.MethodPost, Path: "doc", Body: []byte("x")})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, DefaultMaxRetries+1, e.Attempts, "a refused connection is retried")
	assert.False(t, e.MaybeDelivered)
	_, err = c.Do(ctx, &Request{Method: http.MethodPost, Path: "doc", Body: []byte("x"), NoRetry: true})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, e.Attempts, "NoRetry sends once whatever happens")

	var got atomic.Int32
	drop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		_, _ = io.ReadAll(r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	defer drop.Close()
	c, err = New(Config{BaseURL: drop.URL, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	require.NoError(t, err)
	_, err = c.Do(ctx, &Request{Method: http.MethodPost, Path: "doc", Body: []byte("x")})
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrTransport)
	assert.True(t, e.MaybeDelivered)
	assert.Contains(t, e.Error(), "may have reached the server")
	assert.Equal(t, int32(1), got.Load(), "received once, not sent again")

	_, err = c.Do(ctx, &Request{Method: http.MethodPost, Path: "doc", Body: []byte("x"), Idempotent: true})
	require.ErrorAs(t, err, &e)
	assert.False(t, e.MaybeDelivered, "a safe request is retried, not marked")

	short := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte("short"))
	}))
	defer short.Close()
	c, err = New(Config{BaseURL: short.URL})
	require.NoError(t, err)
	_, err = c.Do(ctx, &Request{Method: http.MethodPost, Path: "doc"})
	require.ErrorAs(t, err, &e)
	assert.True(t, e.MaybeDelivered, "a 2xx whose body broke off")
}

func TestURLKeepsEscapedSegments(t *testing.T) {
	c, err := New(Config{BaseURL: "https://h.example/api/v3/true-api/"})
	require.NoError(t, err)
	u, err := c.URL("edo-api/"+url.PathEscape("a/b c")+"/base64", nil)
	require.NoError(t, err)
	assert.Equal(t, "https://h.example/api/v3/true-api/edo-api/a%2Fb%20c/base64", u.String())
	u, err = c.URL("cises/orders/x%2By/status", nil)
	require.NoError(t, err)
	assert.Equal(t, "https://h.example/api/v3/true-api/cises/orders/x%2By/status", u.String())
	u, err = c.URL("plain/path", nil)
	require.NoError(t, err)
	assert.Equal(t, "https://h.example/api/v3/true-api/plain/path", u.String())
}

// TestAuthHeaderStaysWithTheAPI: the fixed credentials of AuthHeader go
// with every attempt and with a redirect on the API's own origin, win over
// a caller's header of the same name, and are dropped from a redirect to
// another origin that the caller's own CheckRedirect allows.
func TestAuthHeaderStaysWithTheAPI(t *testing.T) {
	var elsewhere atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Store(r.Header.Clone())
		_, _ = w.Write([]byte("other"))
	}))
	defer other.Close()
	var (
		mu   sync.Mutex
		keys []string
	)
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.URL.Path+"="+strings.Join(r.Header.Values("X-Api-Key"), ","))
		mu.Unlock()
		switch r.URL.Path {
		case "/flaky":
			if calls.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
		case "/here":
			http.Redirect(w, r, "/there", http.StatusFound)
			return
		case "/away":
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer api.Close()
	hc := api.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return nil } // follows anything
	c, err := New(Config{BaseURL: api.URL, HTTPClient: hc, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond,
		AuthHeader: func(context.Context) (string, []string) { return "X-Api-Key", []string{"k3y"} }})
	require.NoError(t, err)
	ctx := context.Background()
	resp, err := c.Do(ctx, &Request{Path: "flaky", Header: http.Header{"X-Api-Key": {"mine"}}})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	_, err = c.Do(ctx, &Request{Path: "here"})
	require.NoError(t, err)
	resp, err = c.Do(ctx, &Request{Path: "away"})
	require.NoError(t, err)
	assert.Equal(t, "other", string(resp.Body))
	mu.Lock()
	assert.Equal(t, []string{"/flaky=k3y", "/flaky=k3y", "/here=k3y", "/there=k3y", "/away=k3y"}, keys)
	mu.Unlock()
	h, _ := elsewhere.Load().(http.Header)
	require.NotNil(t, h, "the other origin was reached")
	assert.Empty(t, h.Values("X-Api-Key"), "the key stays with the API's origin")
}
