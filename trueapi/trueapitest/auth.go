package trueapitest

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"maps"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// challenge is a challenge of auth/key waiting to be signed.
type challenge struct {
	data    string
	expires time.Time
}

// tokenInfo is an issued token.
type tokenInfo struct {
	pid     string
	expires time.Time
}

// Messages of the sign-in. The documentation gives none; these are the
// fake's own.
const (
	msgBadBase64      = "Параметр data должен содержать подпись CMS в формате BASE64"
	msgNoChallenge    = "Случайные данные с идентификатором %s не найдены или устарели"
	msgBadSignature   = "Подпись не прошла проверку: "
	msgDetached       = "Подпись не содержит подписанных данных"
	msgWrongContent   = "Подписанные данные не совпадают с выданными"
	challengeLetters  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	challengeLength   = 30
	xmlUnauthorized   = "<UnauthorizedException><error>unauthorized</error><error_description>Full authentication is required to access this resource</error_description></UnauthorizedException>"
	xmlInvalidToken   = "<InvalidTokenException><error>invalid_token</error><error_description>Access token expired: %s</error_description></InvalidTokenException>"
	authenticateRealm = `Bearer realm="true-api"`
)

// jwtHeader is the encoded header of the fake's tokens,
// {"alg":"HS256","typ":"JWT"}.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// serveKey answers A-1 GET auth/key: a challenge of 30 random upper-case
// letters under a new uuid.
func (s *Server) serveKey(c *call) {
	id := newUUID()
	b := make([]byte, challengeLength)
	for i := range b {
		b[i] = challengeLetters[mrand.IntN(len(challengeLetters))]
	}
	now := time.Now()
	s.mu.Lock()
	maps.DeleteFunc(s.challenges, func(_ string, ch challenge) bool { return !now.Before(ch.expires) })
	s.challenges[id] = challenge{data: string(b), expires: now.Add(s.cfg.ChallengeTTL)}
	s.stats.Challenges++
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, obj{"uuid": id, "data": string(b)})
}

// serveSignIn answers A-2 POST auth/simpleSignIn. A malformed body or
// base64 gets 400; an unknown, used or expired uuid, a signature that
// does not verify, a detached signature or signed content other than the
// challenge get 401 with a JSON error_message. A challenge is used up by
// the first sign-in that names it, successful or not.
func (s *Server) serveSignIn(c *call) {
	tok, status, msg := s.signIn(c)
	if msg != "" {
		s.count(func(st *Stats) { st.SignInFailures++ })
		s.fail(c, status, msg)
		return
	}
	s.writeJSON(c, http.StatusOK, obj{"token": tok})
}

// signIn checks a sign-in request and returns a new token, or the status
// and message of the refusal.
func (s *Server) signIn(c *call) (tok string, status int, msg string) {
	body, status, msg := s.bodyOf(c)
	if msg != "" {
		return "", status, msg
	}
	m, msg := decodeObject(body)
	if msg != "" {
		return "", http.StatusBadRequest, msg
	}
	id, _ := m["uuid"].(string)
	data, _ := m["data"].(string)
	switch {
	case id == "":
		return "", http.StatusBadRequest, "Отсутствует обязательный параметр: uuid"
	case data == "":
		return "", http.StatusBadRequest, "Отсутствует обязательный параметр: data"
	}
	cms, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(data), ""))
	if err != nil {
		return "", http.StatusBadRequest, msgBadBase64
	}
	now := time.Now()
	s.mu.Lock()
	ch, ok := s.challenges[id]
	delete(s.challenges, id)
	s.mu.Unlock()
	if !ok || !now.Before(ch.expires) {
		return "", http.StatusUnauthorized, strings.Replace(msgNoChallenge, "%s", id, 1)
	}
	signed, err := signing.Verify(cms, nil)
	if err != nil {
		if d, derr := signing.Verify(cms, []byte(ch.data)); derr == nil && d.Detached {
			return "", http.StatusUnauthorized, msgDetached
		}
		return "", http.StatusUnauthorized, msgBadSignature + err.Error()
	}
	switch {
	case signed.Detached:
		return "", http.StatusUnauthorized, msgDetached
	case string(signed.Content) != ch.data:
		return "", http.StatusUnauthorized, msgWrongContent
	}
	pid := s.participant(signed.Certificate)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.SignIns++
	return s.issueLocked(pid, now), 0, ""
}

// Object identifiers of the subject attributes that name a participant.
var (
	oidOU           = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidSerialNumber = asn1.ObjectIdentifier{2, 5, 4, 5}
)

// ParticipantOf returns the participant id in an NCA certificate: the BIN
// of a subject OU attribute "BIN" + 12 digits, else the IIN of the subject
// SERIALNUMBER "IIN" + 12 digits, else "".
func ParticipantOf(cert *x509.Certificate) string {
	if cert == nil {
		return ""
	}
	var bin, iin string
	for _, n := range cert.Subject.Names {
		v, _ := n.Value.(string)
		switch {
		case n.Type.Equal(oidOU):
			if b, ok := strings.CutPrefix(v, "BIN"); ok && len(b) == 12 && allDigits(b) {
				bin = b
			}
		case n.Type.Equal(oidSerialNumber):
			if i, ok := strings.CutPrefix(v, "IIN"); ok && len(i) == 12 && allDigits(i) {
				iin = i
			}
		}
	}
	if bin != "" {
		return bin
	}
	return iin
}

// participant maps a signer certificate to the participant of the token:
// the id of [ParticipantOf] when some code of the data set is owned or
// produced by it, otherwise the configured owner.
func (s *Server) participant(cert *x509.Certificate) string {
	id := ParticipantOf(cert)
	if id == "" {
		return s.cfg.Owner
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.codes {
		if c.visibleTo(id) {
			return id
		}
	}
	return s.cfg.Owner
}

// IssueToken returns a new token for the participant, as a sign-in would,
// without a signature and without counting a sign-in. An empty
// participant means the configured owner. It is meant for tests that
// start a client with a token.
func (s *Server) IssueToken(participant string) string {
	if participant == "" {
		participant = s.cfg.Owner
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueLocked(participant, time.Now())
}

// issueLocked creates a token for pid, valid for TokenTTL from now. It
// looks like a JWT whose payload holds pid, iat, exp and jti; its
// signature is random. The caller holds s.mu.
func (s *Server) issueLocked(pid string, now time.Time) string {
	exp := now.Add(s.cfg.TokenTTL)
	payload, _ := json.Marshal(obj{"pid": pid, "iat": now.Unix(), "exp": exp.Unix(), "jti": newUUID(), "iss": "trueapitest"})
	sig := make([]byte, 32)
	_, _ = rand.Read(sig)
	tok := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(sig)
	s.tokens[tok] = tokenInfo{pid: pid, expires: exp}
	return tok
}

// ExpireTokens makes every token issued so far expire now: each answers
// the XML 401 InvalidTokenException from then on. Tokens issued later are
// not affected.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, t := range s.tokens {
		t.expires = time.Time{}
		s.tokens[k] = t
	}
}

// authenticate checks the Authorization header and returns the token's
// participant. Otherwise it answers 401 with the XML body of §2.1 of the documentation:
// UnauthorizedException without a usable "Bearer <token>" header,
// InvalidTokenException (echoing the token) for an unknown or expired
// token.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	tok = strings.TrimSpace(tok)
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		s.unauthorized(w, xmlUnauthorized, `, error="unauthorized", error_description="Full authentication is required to access this resource"`)
		return "", false
	}
	now := time.Now()
	s.mu.Lock()
	info, ok := s.tokens[tok]
	s.mu.Unlock()
	if !ok || !now.Before(info.expires) {
		var esc strings.Builder
		_ = xml.EscapeText(&esc, []byte(tok))
		s.unauthorized(w, strings.Replace(xmlInvalidToken, "%s", esc.String(), 1), `, error="invalid_token", error_description="Access token expired"`)
		return "", false
	}
	return info.pid, true
}

// unauthorized writes a 401 with an XML body, whatever the Accept header
// says, as the API does.
func (s *Server) unauthorized(w http.ResponseWriter, body, challengeParams string) {
	s.count(func(st *Stats) { st.TokenErrors++ })
	h := w.Header()
	h.Set("Content-Type", typeXML)
	h.Set("WWW-Authenticate", authenticateRealm+challengeParams)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte(body))
}
