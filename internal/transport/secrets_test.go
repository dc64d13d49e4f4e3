package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	headerSecret = "hdr-S3cr3t-value/+="
	querySecret  = "qry-T0ken value&more"
)

// leakCase is one error path of TestSecretsNeverLeak.
type leakCase struct {
	name    string
	base    string
	path    string
	timeout time.Duration
	ctxTime time.Duration
	decode  bool
	kind    error
}

// TestSecretsNeverLeak drives every error path with a secret in a header and
// another in the query string, and searches every error text and log line.
func TestSecretsNeverLeak(t *testing.T) {
	// The server echoes what it received, secrets included, the way a
	// careless API error page might.
	echo := func(w http.ResponseWriter, r *http.Request) string {
		return fmt.Sprintf(`{"message":"bad %s %s","url":%q}`, r.Header.Get("X-Api-Key"), r.URL.Query().Get("token"), r.URL.String())
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid-"+r.URL.Query().Get("token"))
		switch r.URL.Path {
		case "/client-error":
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(echo(w, r)))
		case "/server-error":
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(echo(w, r)))
		case "/slow":
			<-r.Context().Done() // never answers; the client gives up
		case "/not-json":
			_, _ = w.Write([]byte("<html>" + echo(w, r)))
		case "/redirect":
			http.Redirect(w, r, "https://elsewhere.invalid/?token="+url.QueryEscape(r.URL.Query().Get("token")), http.StatusFound)
		default:
			_, _ = w.Write([]byte(`{}`))
		}
	})
	srv := httptest.NewServer(handler)
	defer srv.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	deadAddr := ln.Addr().String()
	require.NoError(t, ln.Close())

	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	newClient := func(t *testing.T, base string, hc *http.Client) *Client {
		secrets := new(Secrets)
		secrets.Add(headerSecret, querySecret)
		c, err := New(Config{
			API: "leak", BaseURL: base, Logger: logger, Secrets: secrets,
			SecretParams: []string{"token"},
			RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond, MaxRetries: 2,
			HTTPClient: hc,
			ParseError: func(_ int, _ http.Header, body []byte) (string, string) {
				return "", string(body)
			},
			Auth: func(next http.RoundTripper) http.RoundTripper {
				return roundTripFunc(func(r *http.Request) (*http.Response, error) {
					r = r.Clone(r.Context())
					r.Header.Set("X-Api-Key", headerSecret)
					return next.RoundTrip(r)
				})
			},
		})
		require.NoError(t, err)
		return c
	}
	query := url.Values{"token": {querySecret}, "id": {"7"}}

	cases := []leakCase{
		{name: "dial failure", base: "http://" + deadAddr, path: "x", kind: ErrTransport},
		// The two cases that wait run in a synctest bubble over in-memory
		// connections: the bubble's clock, not the machine's load, ends
		// the wait.
		{name: "client timeout", base: fakekit.PipeURL, path: "slow", timeout: 30 * time.Second, kind: ErrTransport},
		{name: "context deadline", base: fakekit.PipeURL, path: "slow", ctxTime: 30 * time.Second, kind: context.DeadlineExceeded},
		{name: "4xx", base: srv.URL, path: "client-error", kind: ErrUnauthorized},
		{name: "5xx retries exhausted", base: srv.URL, path: "server-error", kind: ErrServer},
		{name: "decode failure", base: srv.URL, path: "not-json", decode: true, kind: ErrDecode},
		{name: "redirect to another host", base: srv.URL, path: "redirect", kind: ErrRedirect},
	}
	run := func(t *testing.T, tc leakCase, hc *http.Client) {
		c := newClient(t, tc.base, hc)
		ctx := context.Background()
		if tc.ctxTime > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, tc.ctxTime)
			defer cancel()
		}
		var out map[string]any
		var err error
		if tc.decode {
			_, err = c.DoJSON(ctx, &Request{Path: tc.path, Query: query}, &out)
		} else {
			_, err = c.Do(ctx, &Request{Path: tc.path, Query: query})
		}
		require.Error(t, err)
		assert.ErrorIs(t, err, tc.kind)
		assertNoSecret(t, "error", err)
		assertNoSecretText(t, "String()", c.String())
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.base != fakekit.PipeURL {
				run(t, tc, &http.Client{})
				return
			}
			synctest.Test(t, func(t *testing.T) {
				p := fakekit.NewPipeServer(handler)
				defer p.Close()
				start := time.Now()
				run(t, tc, &http.Client{Transport: p.Transport(), Timeout: tc.timeout})
				assert.Positive(t, time.Since(start), "the call waited for the timeout")
			})
		})
	}
	assert.NotEmpty(t, logs.String())
	assertNoSecretText(t, "log", logs.String())
	assert.Contains(t, logs.String(), "token="+Mask)
}

func assertNoSecret(t *testing.T, what string, err error) {
	t.Helper()
	texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	for e := err; e != nil; {
		texts = append(texts, e.Error())
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			e = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				texts = append(texts, inner.Error(), fmt.Sprintf("%#v", inner))
			}
			e = nil
			for _, inner := range u.Unwrap() {
				if inner != nil && !isSentinel(inner) {
					e = inner
				}
			}
		default:
			e = nil
		}
	}
	var apiErr *Error
	if errors.As(err, &apiErr) {
		texts = append(texts, string(apiErr.Body), apiErr.URL, apiErr.Message, apiErr.RequestID)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		texts = append(texts, ue.URL)
	}
	for _, s := range texts {
		assertNoSecretText(t, what, s)
	}
}

func isSentinel(err error) bool {
	for _, s := range []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrValidation, ErrServer, ErrTransport, ErrDecode, ErrTooLarge, ErrUnexpectedStatus} {
		if err == s {
			return true
		}
	}
	return false
}

// assertNoSecretText fails without printing the text, so the failure message
// itself leaks nothing.
func assertNoSecretText(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range []string{headerSecret, querySecret, url.QueryEscape(querySecret), url.PathEscape(headerSecret), url.QueryEscape(headerSecret), "S3cr3t", "T0ken"} {
		if strings.Contains(text, s) {
			t.Errorf("%s contains a secret (%d bytes of text, not printed)", what, len(text))
		}
	}
}

func TestSecretsRegistry(t *testing.T) {
	var s Secrets
	assert.Equal(t, "abc", s.Redact("abc"))
	s.Add("", "ab", "abcd")
	assert.Equal(t, Mask+" "+Mask, s.Redact("abcd ab"))
	var nilS *Secrets
	assert.Equal(t, "x", nilS.Redact("x"))
	assert.Equal(t, []byte(nil), s.RedactBytes(nil))

	u, _ := url.Parse("https://user:pw@h/p?token=abcd&x=1")
	assert.Equal(t, "https://user:"+Mask+"@h/p?token="+Mask+"&x=1", redactURL(u, []string{"token"}, &s))
	assert.Empty(t, redactURL(nil, nil, nil))
}

func TestSecretsRemove(t *testing.T) {
	var s Secrets
	s.Add("old token/1", "new-token")
	assert.Equal(t, "a REDACTED b REDACTED", s.Redact("a old token/1 b new-token"))
	assert.Equal(t, "REDACTED", s.Redact("old+token%2F1"), "escaped forms are masked too")
	n := s.Len()
	s.Remove("old token/1", "", "never-added")
	assert.Less(t, s.Len(), n)
	assert.Equal(t, "a old token/1 b REDACTED", s.Redact("a old token/1 b new-token"), "a removed secret is no longer masked")
	s.Remove("new-token")
	assert.Equal(t, 0, s.Len())
	assert.Equal(t, "new-token", s.Redact("new-token"))
}
