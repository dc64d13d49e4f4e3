package trueapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
	"github.com/steppe-sdk/steppe/trueapi/signing"
)

const (
	base         = "https://stage.ismet.kz/api/v3/true-api/"
	docChallenge = "RHsERLWAVUFFWJLEXQTNAVHFMMACTT" // decoded from the documentation's sign-in example
	expiredXML   = `<InvalidTokenException><error>invalid_token</error><error_description>Access token expired: %s</error_description></InvalidTokenException>`
)

func rsaSigner(t testing.TB) *signing.RSASigner {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "test", SerialNumber: "IIN123456789011"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	s, err := signing.NewRSASigner(key, cert)
	require.NoError(t, err)
	return s
}

// authServer answers on mt, checking the signature for real,
// and issues tokens jwt-1, jwt-2, …
type authServer struct {
	t       *testing.T
	signIns atomic.Int32
}

func (a *authServer) register(mt *httpmock.MockTransport) {
	mt.RegisterResponder(http.MethodGet, base+"auth/key", func(r *http.Request) (*http.Response, error) {
		assert.Empty(a.t, r.Header.Get("Authorization"), "auth calls carry no token")
		assert.Equal(a.t, accept, r.Header.Get("Accept"))
		return httpmock.NewStringResponse(200, `{"uuid":"b4a5d3c6-challenge","data":"`+docChallenge+`"}`), nil
	})
	mt.RegisterResponder(http.MethodPost, base+"auth/simpleSignIn", func(r *http.Request) (*http.Response, error) {
		assert.Empty(a.t, r.Header.Get("Authorization"))
		assert.Equal(a.t, "application/json", r.Header.Get("Content-Type"))
		var body struct{ UUID, Data string }
		require.NoError(a.t, json.NewDecoder(r.Body).Decode(&body))
		assert.Equal(a.t, "b4a5d3c6-challenge", body.UUID)
		cms, err := base64.StdEncoding.DecodeString(body.Data)
		require.NoError(a.t, err)
		signed, err := signing.Verify(cms, nil)
		require.NoError(a.t, err, "an attached CMS that verifies")
		assert.Equal(a.t, docChallenge, string(signed.Content), "the exact bytes of data are signed")
		n := a.signIns.Add(1)
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"token":"jwt-%d"}`, n)), nil
	})
}

func newMocked(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport, *authServer) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, ""), nil
	})
	auth := &authServer{t: t}
	auth.register(mt)
	c, err := New(rsaSigner(t), append([]Option{WithBaseURL(base), WithHTTPClient(&http.Client{Transport: mt}), WithRetryWait(time.Millisecond, time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return c, mt, auth
}

func TestSignIn(t *testing.T) {
	c, _, auth := newMocked(t)
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "jwt-1", tok)
	tok, err = c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "jwt-1", tok, "the token is cached")
	assert.Equal(t, int32(1), auth.signIns.Load())
}

// The must-show: 50 goroutines hit an expired token at once; exactly one
// new sign-in runs and every call is replayed once with the new token. No
// call is answered before all 50 have been sent with the old token; in a
// synctest bubble a call that never came would be reported as a deadlock
// instead of hanging.
func TestExpiredTokenOneSignIn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 50
		c, mt, auth := newMocked(t, WithToken("jwt-old"))
		var calls, stale atomic.Int32
		allStale := make(chan struct{})
		mt.RegisterResponder(http.MethodGet, base+"cises/history", func(r *http.Request) (*http.Response, error) {
			calls.Add(1)
			if tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "); tok == "jwt-old" {
				if stale.Add(1) == n {
					close(allStale)
				}
				<-allStale // the n calls overlap
				resp := httpmock.NewStringResponse(401, fmt.Sprintf(expiredXML, tok))
				resp.Header.Set("Content-Type", "application/xml")
				return resp, nil
			}
			assert.Equal(t, "Bearer jwt-1", r.Header.Get("Authorization"))
			return httpmock.NewStringResponse(200, `[]`), nil
		})
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				var out []any
				errs <- c.doJSON(context.Background(), &transport.Request{Path: "cises/history"}, &out)
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		assert.Equal(t, int32(1), auth.signIns.Load(), "one sign-in for 50 failures")
		assert.Equal(t, int32(n), stale.Load(), "each call sent once with the old token")
		assert.Equal(t, int32(2*n), calls.Load(), "and replayed once with the new one")
	})
}

func TestStillUnauthorizedAfterSignIn(t *testing.T) {
	c, mt, auth := newMocked(t)
	mt.RegisterResponder(http.MethodGet, base+"cises/history", httpmock.NewStringResponder(401,
		`<UnauthorizedException><error>unauthorized</error><error_description>Full authentication is required to access this resource</error_description></UnauthorizedException>`))
	err := c.doJSON(context.Background(), &transport.Request{Path: "cises/history"}, nil)
	require.ErrorIs(t, err, ErrUnauthorized)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "unauthorized", e.Code)
	assert.Equal(t, "Full authentication is required to access this resource", e.Message)
	// Every 401 came from the token of the sign-in before it, so the call
	// renews again, but at most 3 times.
	assert.Equal(t, int32(1+3), auth.signIns.Load(), "the first sign-in, then one per renewal, bounded")
}

func TestSignInFailures(t *testing.T) {
	ctx := context.Background()
	mt := httpmock.NewMockTransport()
	hc := &http.Client{Transport: mt}
	signer := rsaSigner(t)
	c, err := New(signer, WithBaseURL(base), WithHTTPClient(hc), WithMaxRetries(0))
	require.NoError(t, err)

	mt.RegisterResponder(http.MethodGet, base+"auth/key", httpmock.NewStringResponder(200, `{"UUID":"u","DATA":"x"}`))
	mt.RegisterResponder(http.MethodPost, base+"auth/simpleSignIn", httpmock.NewStringResponder(200, `{"something":"else"}`))
	_, err = c.Token(ctx)
	require.ErrorIs(t, err, ErrDecode, "no token field")

	mt.RegisterResponder(http.MethodPost, base+"auth/simpleSignIn", httpmock.NewStringResponder(403, `{"error_message":"Отсутствует доступ к ресурсу"}`))
	_, err = c.Token(ctx)
	require.ErrorIs(t, err, ErrForbidden)
	assert.Contains(t, err.Error(), "Отсутствует доступ к ресурсу")

	mt.RegisterResponder(http.MethodGet, base+"auth/key", httpmock.NewStringResponder(200, `{}`))
	_, err = c.Token(ctx)
	require.ErrorIs(t, err, ErrDecode, "a challenge without uuid and data")

	failing := signing.SignerFunc(func(context.Context, []byte, signing.SignOptions) ([]byte, error) {
		return nil, errors.New("token device unplugged")
	})
	c2, err := New(failing, WithBaseURL(base), WithHTTPClient(hc))
	require.NoError(t, err)
	mt.RegisterResponder(http.MethodGet, base+"auth/key", httpmock.NewStringResponder(200, `{"uuid":"u","data":"x"}`))
	_, err = c2.Token(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "token device unplugged")

	_, err = New(nil)
	require.ErrorIs(t, err, ErrValidation)
	_, err = New(signer, WithBaseURL("::"))
	require.ErrorIs(t, err, ErrValidation)

	ctxDone, cancel := context.WithCancel(ctx)
	cancel()
	c.tokens.signing <- struct{}{}
	_, _, err = c.tokens.renew(ctxDone, 0)
	<-c.tokens.signing
	require.ErrorIs(t, err, context.Canceled)
}

func TestTokenFromShapes(t *testing.T) {
	for body, want := range map[string]string{
		`{"token":"a.b.c"}`:        "a.b.c",
		`{"access_token":" a.b "}`: "a.b",
		`{"accessToken":"x"}`:      "x",
		`"bare.jwt.value"`:         "bare.jwt.value",
		`{"token":""}`:             "",
		`[1]`:                      "",
	} {
		assert.Equal(t, want, tokenFrom([]byte(body)), body)
	}
}

func TestParseErrorShapes(t *testing.T) {
	cases := []struct{ body, code, msg string }{
		{fmt.Sprintf(expiredXML, "jwt"), "invalid_token", "Access token expired: jwt"},
		{`{"error_message":"Отсутствует действующий договор по ТГ"}`, "", "Отсутствует действующий договор по ТГ"},
		{`{"errorMessage":"Ошибка","errorCode":"500"}`, "500", "Ошибка"},
		{`{"code":"422","errors":"signature is not valid"}`, "422", "signature is not valid"},
		{`{"code":400,"description":"bad date"}`, "400", "bad date"},
		{`{"error-code":12,"error-msg":"unknown gtin"}`, "12", "unknown gtin"},
		{`{"errors":[{"errorCode":"E1","errorMessage":"first"},{"errorCode":"E2","errorDescription":"second"}]}`, "E1", "first; second"},
		{`[{"code":"C","message":"m1"},{"message":"m2"}]`, "C", "m1; m2"},
		{`"plain JSON string"`, "", "plain JSON string"},
		{`JSON parse error: Cannot deserialize instance of java.util.ArrayList`, "", "JSON parse error: Cannot deserialize instance of java.util.ArrayList"},
		{``, "", ""},
		{`<broken`, "", ""},
	}
	for _, tc := range cases {
		code, msg := parseError(400, nil, []byte(tc.body))
		assert.Equal(t, tc.code, code, tc.body)
		assert.Equal(t, tc.msg, msg, tc.body)
	}
	_, long := parseError(500, nil, bytes.Repeat([]byte("x"), 1000))
	assert.Len(t, long, 300)
}

func TestEmpty406(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	mt.RegisterResponder(http.MethodGet, base+"cises/orders/u/result", httpmock.NewStringResponder(406, ""))
	err := c.doJSON(context.Background(), &transport.Request{Path: "cises/orders/u/result"}, nil)
	require.ErrorIs(t, err, ErrUnexpectedStatus)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 406, e.StatusCode)
}

func TestTokenNeverLeaks(t *testing.T) {
	var logs bytes.Buffer
	c, mt, _ := newMocked(t, WithToken("jwt-secret-token"), WithMaxRetries(1),
		WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithUserAgent("test/1"))
	mt.RegisterResponder(http.MethodGet, base+"cises/history", func(r *http.Request) (*http.Response, error) {
		auth := r.Header.Get("Authorization")
		resp := httpmock.NewStringResponse(500, `{"error_message":"echo `+auth+`"}`)
		resp.Header.Set("X-Request-Id", auth)
		return resp, nil
	})
	err := c.doJSON(context.Background(), &transport.Request{Path: "cises/history"}, nil)
	require.ErrorIs(t, err, ErrServer)
	var e *Error
	require.ErrorAs(t, err, &e)
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), e.Message, e.RequestID, string(e.Body), logs.String()} {
		assert.NotContains(t, text, "jwt-secret-token")
	}
	body, _ := io.ReadAll(bytes.NewReader(e.Body))
	assert.Contains(t, string(body), transport.Mask)
}

func TestResponseAndRetryAfterCaps(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"), WithMaxResponseBytes(64), WithMaxRetryAfter(time.Second))
	mt.RegisterResponder(http.MethodGet, base+"cises/history", httpmock.NewStringResponder(200, `[`+strings.Repeat(`{"cis":"x"},`, 20)+`{}]`))
	_, err := c.CisHistory(context.Background(), "x")
	require.ErrorIs(t, err, ErrTooLarge)
	mt.RegisterResponder(http.MethodGet, base+"cises/history", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(503, "")
		r.Header.Set("Retry-After", "120")
		return r, nil
	})
	_, err = c.CisHistory(context.Background(), "x")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 2*time.Minute, e.RetryAfter, "a Retry-After over the cap ends the call")
	assert.Equal(t, 1, e.Attempts)
}

// A sign-in answer the client cannot read, or an error answer of the
// sign-in, may carry the issued token or another credential: whatever
// looks like one is masked in the error text, Error.Body, Code and
// Message, and the debug log never shows it.
func TestSignInAnswerSecretsMasked(t *testing.T) {
	ctx := context.Background()
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA"
	for _, tc := range []struct {
		status         int
		body, secret   string
		kind           error
		message, other string // the readable message kept, a word kept in the body
	}{
		{200, `{"token": 98765432123, "expires": 3600}`, "98765432123", ErrDecode, "", "expires"},
		{200, `{"tok":"SECRET-tok-1"}`, "SECRET-tok-1", ErrDecode, "", "tok"},
		{200, `{"token":{"value":"SECRET-obj-2"},"extra":[1,2]}`, "SECRET-obj-2", ErrDecode, "", "extra"},
		{200, `{"data":{"accessToken":["SECRET-arr-3"]}}`, "SECRET-arr-3", ErrDecode, "", "accessToken"},
		{200, `{"token":"   ","bearer":"SECRET\/slash-4"}`, "SECRET/slash-4", ErrDecode, "", "bearer"},
		{200, jwt, jwt, ErrDecode, "", ""},
		{200, "token=SECRET-text-5; expires=3600", "SECRET-text-5", ErrDecode, "", "expires"},
		{200, "<html><body>Your token: SECRET-html-6</body></html>", "SECRET-html-6", ErrDecode, "", "Your"},
		{400, `{"error_message":"signature rejected","token":"SECRET-4xx-7"}`, "SECRET-4xx-7", ErrValidation, "signature rejected", "signature rejected"},
		{403, `{"error_message":"доступ запрещён, token=SECRET-msg-8"}`, "SECRET-msg-8", ErrForbidden, "доступ запрещён, token=REDACTED", "доступ"},
		{401, `<InvalidTokenException><error>invalid_token</error><error_description>Bearer SECRET-xml-9 refused</error_description></InvalidTokenException>`,
			"SECRET-xml-9", ErrUnauthorized, "Bearer REDACTED refused", "invalid_token"},
		{500, `{"errorMessage":"` + jwt + `","errorCode":"500"}`, jwt, ErrServer, "REDACTED", "errorCode"},
	} {
		var logs bytes.Buffer
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder(http.MethodGet, base+"auth/key", httpmock.NewStringResponder(200, `{"uuid":"u-1","data":"random-challenge-data"}`))
		mt.RegisterResponder(http.MethodPost, base+"auth/simpleSignIn", httpmock.NewStringResponder(tc.status, tc.body))
		c, err := New(rsaSigner(t), WithBaseURL(base), WithHTTPClient(&http.Client{Transport: mt}), WithMaxRetries(0),
			WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		require.NoError(t, err)
		_, err = c.Token(ctx)
		require.ErrorIs(t, err, tc.kind, tc.body)
		var e *Error
		require.ErrorAs(t, err, &e, tc.body)
		assert.NotContains(t, err.Error(), tc.secret, tc.body)
		assert.NotContains(t, string(e.Body), tc.secret, tc.body)
		assert.NotContains(t, string(e.Body), strings.ReplaceAll(tc.secret, "/", `\/`), "%s: nor as escaped", tc.body)
		assert.NotContains(t, e.Message, tc.secret, tc.body)
		assert.NotContains(t, e.Code, tc.secret, tc.body)
		assert.Contains(t, string(e.Body), transport.Mask, tc.body)
		assert.Contains(t, string(e.Body), tc.other, "%s: the rest of the answer is kept", tc.body)
		assert.Equal(t, tc.message, e.Message, tc.body)
		assert.NotEmpty(t, logs.String(), "the attempts were logged")
		assert.NotContains(t, logs.String(), tc.secret, tc.body)
	}
}

// A token read from the sign-in answer is registered as a secret at once,
// with the answer's other members ignored: an error answer that echoes it
// later does not show it.
func TestSignInTokenRegistered(t *testing.T) {
	ctx := context.Background()
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, base+"auth/key", httpmock.NewStringResponder(200, `{"uuid":"u-1","data":"random-challenge-data"}`))
	mt.RegisterResponder(http.MethodPost, base+"auth/simpleSignIn", httpmock.NewStringResponder(200,
		`{"token":"SECRET-ok-10","extra":{"refresh":null},"expires_in":3600}`))
	mt.RegisterResponder(http.MethodGet, base+"cises/history", httpmock.NewStringResponder(400,
		`{"error_message":"bad request for token SECRET-ok-10"}`))
	c, err := New(rsaSigner(t), WithBaseURL(base), WithHTTPClient(&http.Client{Transport: mt}), WithMaxRetries(0))
	require.NoError(t, err)
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "SECRET-ok-10", tok)
	assert.Equal(t, "x "+transport.Mask, c.t.Secrets().Redact("x SECRET-ok-10"))
	_, err = c.CisHistory(ctx, "010460620308463021")
	require.ErrorIs(t, err, ErrValidation)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.NotContains(t, err.Error(), "SECRET-ok-10")
	assert.Equal(t, "bad request for token "+transport.Mask, e.Message)
}
