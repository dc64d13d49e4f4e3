package trueapitest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/testkit"
	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// testKey is one RSA key shared by every test certificate, generated once.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// newSigner returns a signer with a throw-away self-signed certificate for
// the subject, like the client's tests make one.
func newSigner(t testing.TB, subject pkix.Name) *signing.RSASigner {
	t.Helper()
	s, err := newSignerWith(testKey(), subject)
	require.NoError(t, err)
	return s
}

// iinSigner is a signer whose certificate names only an IIN that owns no
// code, so its sign-in maps to the configured owner.
func iinSigner(t testing.TB) *signing.RSASigner {
	return newSigner(t, pkix.Name{CommonName: "test", SerialNumber: "IIN123456789011"})
}

// binSigner is a signer whose certificate carries OU "BIN" + bin.
func binSigner(t testing.TB, bin string) *signing.RSASigner {
	return newSigner(t, pkix.Name{CommonName: "test", SerialNumber: "IIN123456789011", OrganizationalUnit: []string{"BIN" + bin}})
}

// start runs a server with cfg and closes it when the test ends.
func start(t testing.TB, cfg Config) *Server {
	t.Helper()
	s := NewServerWith(cfg)
	t.Cleanup(s.Close)
	return s
}

// answer is a response with its read body.
type answer struct {
	status int
	header http.Header
	body   string
}

// decode unmarshals the body into a fresh value of type T.
func decode[T any](t testing.TB, a answer) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(a.body), &v), "status %d body %s", a.status, a.body)
	return v
}

// errMsg is the error_message of an error body.
func errMsg(t testing.TB, a answer) string {
	t.Helper()
	return decode[struct {
		Message string `json:"error_message"`
	}](t, a).Message
}

// api calls one fake with a token.
type api struct {
	t     testing.TB
	hc    *http.Client
	base  string
	token string
}

// newAPI returns a caller of s with a fresh token for the owner.
func newAPI(t testing.TB, s *Server) *api {
	return &api{t: t, hc: s.Client(), base: s.BaseURL(), token: s.IssueToken("")}
}

// req is one request to send.
type req struct {
	method string
	route  string     // below the API root
	query  url.Values // may be nil
	body   string     // sent as application/json when non-empty
	header http.Header
}

// send performs r and reads the answer. The token and an Accept header
// admitting every answer are added unless r.header sets them.
func (a *api) send(r req) answer {
	a.t.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	u := a.base + r.route
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	hr := testkit.NewRequest(a.t, r.method, u, r.body)
	if r.body != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		hr.Header.Set("Authorization", "Bearer "+a.token)
	}
	hr.Header.Set("Accept", "application/json, application/zip")
	for k, vs := range r.header {
		hr.Header[k] = vs
	}
	resp, b := testkit.Send(a.t, a.hc, hr)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

// get sends a GET with query pairs.
func (a *api) get(route string, kv ...string) answer {
	a.t.Helper()
	return a.send(req{route: route, query: pairs(kv...)})
}

// post sends a POST with a JSON body.
func (a *api) post(route, body string, kv ...string) answer {
	a.t.Helper()
	return a.send(req{method: http.MethodPost, route: route, body: body, query: pairs(kv...)})
}

// pairs builds url.Values from name, value pairs; names may repeat.
func pairs(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Add(kv[i], kv[i+1])
	}
	return q
}

// jsonOf encodes v.
func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// signIn runs with the signer and returns the token.
func signIn(t testing.TB, a *api, signer signing.Signer) string {
	t.Helper()
	saved := a.token
	a.token = ""
	defer func() { a.token = saved }()
	key := a.get("auth/key")
	require.Equal(t, http.StatusOK, key.status, key.body)
	ch := decode[struct{ UUID, Data string }](t, key)
	cms, err := signer.SignCMS(context.Background(), []byte(ch.Data), signing.SignOptions{Purpose: signing.PurposeAuth})
	require.NoError(t, err)
	resp := a.post("auth/simpleSignIn", jsonOf(t, map[string]string{"uuid": ch.UUID, "data": base64.StdEncoding.EncodeToString(cms)}))
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	return decode[struct{ Token string }](t, resp).Token
}

// firstOwn returns the first code of the owner matching the predicate.
func firstOwn(t testing.TB, s *Server, pred func(Code) bool) Code {
	t.Helper()
	for _, c := range s.OwnCodes() {
		if c.Owner == s.Owner() && pred(c) {
			return c
		}
	}
	t.Fatal("no such code in the data set")
	return Code{}
}
