package trueapitest

import (
	"context"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/trueapi/signing"
)

func TestSignIn(t *testing.T) {
	s := start(t, Config{Codes: 100})
	a := newAPI(t, s)
	a.token = ""
	key := a.get("auth/key")
	require.Equal(t, http.StatusOK, key.status)
	assert.Equal(t, "application/json; charset=utf-8", key.header.Get("Content-Type"))
	ch := decode[map[string]string](t, key)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, ch["uuid"])
	assert.Regexp(t, `^[A-Z]{30}$`, ch["data"])

	signer := iinSigner(t)
	before := time.Now()
	tok := signIn(t, a, signer)
	after := time.Now()
	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3)
	assert.True(t, strings.HasPrefix(tok, "eyJ"), tok)
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims struct {
		PID string `json:"pid"`
		Exp int64  `json:"exp"`
	}
	require.NoError(t, json.Unmarshal(payload, &claims))
	assert.Equal(t, DefaultOwner, claims.PID, "an unknown IIN maps to the owner")
	// Issued between before and after, whatever the machine's load.
	assert.GreaterOrEqual(t, claims.Exp, before.Add(DefaultTokenTTL).Unix())
	assert.LessOrEqual(t, claims.Exp, after.Add(DefaultTokenTTL).Unix()+1)

	a.token = tok
	assert.Equal(t, http.StatusOK, a.get("product/gtin", "pg", "tobacco").status)
	st := s.Stats()
	assert.Equal(t, 2, st.Challenges, "one by hand, one by signIn")
	assert.Equal(t, 1, st.SignIns)
	assert.Equal(t, 0, st.SignInFailures)
	assert.Equal(t, 1, st.Requests["GET product/gtin"])
	assert.Equal(t, 1, st.Requests["POST auth/simpleSignIn"])
}

func TestSignInWithNCATestKey(t *testing.T) {
	s := start(t, Config{Codes: 100})
	signer, err := signing.LoadPKCS12File("../signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12", "Qwerty12", signing.PurposeAuth)
	require.NoError(t, err)
	a := newAPI(t, s)
	a.token = signIn(t, a, signer)
	// The key's BIN123456789021 owns nothing: the token is the owner's.
	got := a.post("cises/info", jsonOf(t, []string{s.OwnCodes()[0].Cis}))
	require.Equal(t, http.StatusOK, got.status)
	assert.Len(t, decode[[]any](t, got), 1)
}

func TestParticipantRule(t *testing.T) {
	assert.Equal(t, OtherOwner1, ParticipantOf(binSigner(t, OtherOwner1).Certificate()))
	assert.Equal(t, "123456789011", ParticipantOf(iinSigner(t).Certificate()))
	assert.Empty(t, ParticipantOf(newSigner(t, pkix.Name{CommonName: "x", OrganizationalUnit: []string{"BIN12"}}).Certificate()))
	assert.Empty(t, ParticipantOf(nil))

	s := start(t, Config{Codes: 100})
	a := newAPI(t, s)
	foreign := s.ForeignCodes()
	var theirs Code
	for _, c := range foreign {
		if c.Owner == OtherOwner1 {
			theirs = c
			break
		}
	}
	require.NotEmpty(t, theirs.Cis)
	body := jsonOf(t, []string{theirs.Cis, s.OwnCodes()[0].Cis})

	// The owner does not see OtherOwner1's code.
	infos := decode[[]map[string]map[string]any](t, a.post("cises/info", body))
	require.Len(t, infos, 1)

	// A certificate with OtherOwner1's BIN signs in as OtherOwner1.
	a.token = signIn(t, a, binSigner(t, OtherOwner1))
	infos = decode[[]map[string]map[string]any](t, a.post("cises/info", body))
	require.Len(t, infos, 1)
	assert.Equal(t, theirs.Cis, infos[0]["cisInfo"]["cis"])
	assert.Equal(t, OtherOwner1, infos[0]["cisInfo"]["ownerBin"])

	// A certificate without any id signs in as the owner.
	a.token = signIn(t, a, newSigner(t, pkix.Name{CommonName: "nobody"}))
	infos = decode[[]map[string]map[string]any](t, a.post("cises/info", body))
	require.Len(t, infos, 1)
	assert.NotEqual(t, theirs.Cis, infos[0]["cisInfo"]["cis"])
}

func TestSignInFailures(t *testing.T) {
	s := start(t, Config{Codes: 100})
	a := newAPI(t, s)
	a.token = ""
	signer := iinSigner(t)
	challenge := func() (id, data string) {
		ch := decode[map[string]string](t, a.get("auth/key"))
		return ch["uuid"], ch["data"]
	}
	sign := func(data []byte, detached bool) string {
		cms, err := signer.SignCMS(context.Background(), data, signing.SignOptions{Detached: detached})
		require.NoError(t, err)
		return base64.StdEncoding.EncodeToString(cms)
	}
	signIn := func(body string) answer { return a.post("auth/simpleSignIn", body) }
	fails := 0
	check := func(got answer, status int, msg string) {
		t.Helper()
		fails++
		assert.Equal(t, status, got.status, got.body)
		assert.Contains(t, errMsg(t, got), msg)
	}

	check(signIn("{"), http.StatusBadRequest, "JSON parse error")
	check(signIn(`["x"]`), http.StatusBadRequest, "out of START_ARRAY token")
	check(signIn(`{"data":"x"}`), http.StatusBadRequest, "Отсутствует обязательный параметр: uuid")
	check(signIn(`{"uuid":"x"}`), http.StatusBadRequest, "Отсутствует обязательный параметр: data")
	check(signIn(`{"uuid":"x","data":"%%%"}`), http.StatusBadRequest, "BASE64")
	check(a.send(req{method: http.MethodPost, route: "auth/simpleSignIn", body: "{}", header: http.Header{"Content-Type": {"text/plain"}}}),
		http.StatusUnsupportedMediaType, "Content type 'text/plain' not supported")
	check(signIn(`{"uuid":"nope","data":"AAAA"}`), http.StatusUnauthorized, "Случайные данные с идентификатором nope не найдены")

	id, data := challenge()
	check(signIn(jsonOf(t, map[string]string{"uuid": id, "data": base64.StdEncoding.EncodeToString([]byte("not a CMS"))})),
		http.StatusUnauthorized, "Подпись не прошла проверку")
	// The failed attempt used the challenge up.
	check(signIn(jsonOf(t, map[string]string{"uuid": id, "data": sign([]byte(data), false)})), http.StatusUnauthorized, "не найдены или устарели")

	id, _ = challenge()
	check(signIn(jsonOf(t, map[string]string{"uuid": id, "data": sign([]byte("SOMETHINGELSE"), false)})), http.StatusUnauthorized, msgWrongContent)

	id, data = challenge()
	check(signIn(jsonOf(t, map[string]string{"uuid": id, "data": sign([]byte(data), true)})), http.StatusUnauthorized, msgDetached)

	// A tampered signature does not verify.
	id, data = challenge()
	cms, err := signer.SignCMS(context.Background(), []byte(data), signing.SignOptions{})
	require.NoError(t, err)
	cms[len(cms)-1] ^= 0xff
	check(signIn(jsonOf(t, map[string]string{"uuid": id, "data": base64.StdEncoding.EncodeToString(cms)})), http.StatusUnauthorized, "Подпись не прошла проверку")

	// A good one, with the base64 wrapped over lines as some tools write it.
	id, data = challenge()
	wrapped := regexp.MustCompile(`.{1,64}`).ReplaceAllStringFunc(sign([]byte(data), false), func(s string) string { return s + "\r\n" })
	got := signIn(jsonOf(t, map[string]string{"uuid": id, "data": wrapped}))
	assert.Equal(t, http.StatusOK, got.status, got.body)

	st := s.Stats()
	assert.Equal(t, fails, st.SignInFailures)
	assert.Equal(t, 1, st.SignIns)
}

func TestChallengeAndTokenExpiry(t *testing.T) {
	s := start(t, Config{Codes: 100, ChallengeTTL: 30 * time.Second, TokenTTL: time.Hour})
	signer := iinSigner(t)
	synctest.Test(t, func(t *testing.T) {
		a := &api{t: t, hc: &http.Client{Transport: &fakekit.HandlerTransport{Handler: s.Handler()}}, base: "http://trueapi.test" + APIPath}
		ch := decode[map[string]string](t, a.get("auth/key"))
		time.Sleep(30 * time.Second)
		cms, err := signer.SignCMS(t.Context(), []byte(ch["data"]), signing.SignOptions{})
		require.NoError(t, err)
		late := a.post("auth/simpleSignIn", jsonOf(t, map[string]string{"uuid": ch["uuid"], "data": base64.StdEncoding.EncodeToString(cms)}))
		assert.Equal(t, http.StatusUnauthorized, late.status)

		a.token = signIn(t, a, signer)
		assert.Equal(t, http.StatusOK, a.get("product/gtin", "pg", "milk").status)
		time.Sleep(time.Hour - time.Second)
		assert.Equal(t, http.StatusOK, a.get("product/gtin", "pg", "milk").status)
		time.Sleep(time.Second)
		got := a.get("product/gtin", "pg", "milk")
		assert.Equal(t, http.StatusUnauthorized, got.status)
		assert.Equal(t, "<InvalidTokenException><error>invalid_token</error><error_description>Access token expired: "+a.token+"</error_description></InvalidTokenException>", got.body)
	})
}

func TestTokenErrors(t *testing.T) {
	s := start(t, Config{Codes: 100})
	a := newAPI(t, s)
	good := a.token

	const unauthorized = "<UnauthorizedException><error>unauthorized</error><error_description>Full authentication is required to access this resource</error_description></UnauthorizedException>"
	for _, h := range []string{"", "Bearer", "Bearer ", "Basic abc", "Bearer:" + good, "Token " + good} {
		got := a.send(req{route: "cises/history", query: pairs("code", "x"), header: http.Header{"Authorization": {h}}})
		assert.Equal(t, http.StatusUnauthorized, got.status, h)
		assert.Equal(t, unauthorized, got.body, h)
		assert.Equal(t, "application/xml", got.header.Get("Content-Type"))
		assert.Contains(t, got.header.Get("WWW-Authenticate"), "Bearer")
	}
	a.token = "eyJunknown<&>"
	got := a.get("cises/history", "code", "x")
	assert.Equal(t, http.StatusUnauthorized, got.status)
	assert.Equal(t, "<InvalidTokenException><error>invalid_token</error><error_description>Access token expired: eyJunknown&lt;&amp;&gt;</error_description></InvalidTokenException>", got.body)

	// The scheme is case-insensitive.
	a.token = ""
	got = a.send(req{route: "product/gtin", query: pairs("pg", "milk"), header: http.Header{"Authorization": {"bearer " + good}}})
	assert.Equal(t, http.StatusOK, got.status)

	// ExpireTokens ends every token issued so far, not later ones.
	a.token = good
	s.ExpireTokens()
	got = a.get("product/gtin", "pg", "milk")
	assert.Equal(t, http.StatusUnauthorized, got.status)
	assert.Contains(t, got.body, "Access token expired: "+good)
	a.token = s.IssueToken(OtherOwner2)
	got = a.get("product/gtin", "pg", "milk")
	require.Equal(t, http.StatusOK, got.status)
	assert.Equal(t, 1, decode[struct{ Total int }](t, got).Total, "the token belongs to OtherOwner2")

	assert.Equal(t, 8, s.Stats().TokenErrors)
}
