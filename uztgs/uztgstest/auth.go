package uztgstest

import (
	"cmp"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Response texts of devise_token_auth and Devise (English locale).
const (
	msgBadCredentials = "Invalid login credentials. Please try again."
	msgGetSignIn      = "Use POST /sign_in to sign in. GET is not supported."
	msgNotLoggedIn    = "User was not found or was not logged in."
	msgUnauthenticate = "You need to sign in or sign up before continuing."
	msgInvalidToken   = "Invalid login credentials"
)

// Names of the authentication headers, written in lower case as the
// documentation's samples show them.
const (
	hdrAccessToken = "access-token"
	hdrTokenType   = "token-type"
	hdrClient      = "client"
	hdrExpiry      = "expiry"
	hdrUID         = "uid"
)

// Stats counts what the fake's authentication did.
type Stats struct {
	// SignIns counts successful sign-ins.
	SignIns int
	// SignInFailures counts sign-ins refused with 401.
	SignInFailures int
	// SignOuts counts successful sign-outs (200).
	SignOuts int
	// Rotations counts answers that carried a new access token.
	Rotations int
	// BatchAnswers counts answers to authenticated requests that kept the
	// token and carried the blank access-token " ".
	BatchAnswers int
	// AuthFailures counts 401 answers on protected routes, validate_token
	// included.
	AuthFailures int
}

// account is a user and its sessions. mu plays the part of the row lock
// that devise_token_auth takes on the user's record.
type account struct {
	id       int64
	email    string
	password string

	mu       sync.Mutex
	sessions map[string]*session // by client id
	created  uint64              // sessions created so far, to order them
}

// session is one token entry of a user (one client id).
type session struct {
	token     string
	previous  string // the token replaced by the last rotation
	updatedAt time.Time
	expiry    time.Time
	seq       uint64 // creation order
}

// userJSON is the user as devise_token_auth renders it (without tokens).
func (a *account) userJSON() map[string]any {
	return map[string]any{"id": a.id, "email": a.email, "provider": "email", "uid": a.email, "name": "API user"}
}

// newAccounts builds the accounts of cfg.Users. The default user gets id 6,
// as in the documentation's sample; the others get 7, 8, … in the order of
// their e-mail addresses.
func newAccounts(users map[string]string) map[string]*account {
	emails := make([]string, 0, len(users))
	pass := make(map[string]string, len(users))
	for e, p := range users {
		e = normaliseEmail(e)
		emails = append(emails, e)
		pass[e] = p
	}
	slices.Sort(emails)
	out := make(map[string]*account, len(emails))
	next := int64(7)
	for _, e := range emails {
		id := int64(6)
		if e != DefaultEmail {
			id = next
			next++
		}
		out[e] = &account{id: id, email: e, password: pass[e], sessions: make(map[string]*session)}
	}
	return out
}

// normaliseEmail trims and lower-cases an e-mail address, as Devise does
// with its case-insensitive, whitespace-stripped keys.
func normaliseEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// newToken returns 16 random bytes as 22 characters of URL-safe base64.
func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}

// equal compares two secrets in constant time; an empty secret matches
// nothing.
func equal(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// credentials are the authentication values of a request.
type credentials struct {
	uid, token, client string
}

// credentialsOf reads uid, access-token and client from the headers, or
// from the parameters when a header is absent (devise_token_auth does the
// same). A missing client is the client "default".
func credentialsOf(r *http.Request, p params) credentials {
	get := func(name string) string {
		if v := r.Header.Get(name); v != "" {
			return v
		}
		return p.get(name)
	}
	c := credentials{uid: get(hdrUID), token: get(hdrAccessToken), client: get(hdrClient)}
	if c.client == "" {
		c.client = "default"
	}
	return c
}

// authenticate finds the account and session that c proves, and reports
// whether the token is accepted: the current token of an unexpired
// session, or the previous token within the grace period. Expired sessions
// are deleted when found.
func (s *Server) authenticate(c credentials) (*account, bool) {
	acc, ok := s.accounts[c.uid]
	if !ok || c.token == "" {
		return nil, false
	}
	now := s.now()
	acc.mu.Lock()
	defer acc.mu.Unlock()
	sess, ok := acc.sessions[c.client]
	if !ok {
		return nil, false
	}
	if !sess.expiry.After(now) {
		delete(acc.sessions, c.client)
		return nil, false
	}
	if equal(c.token, sess.token) {
		return acc, true
	}
	if equal(c.token, sess.previous) {
		switch g := s.cfg.Grace; {
		case g < 0:
			return acc, true
		case g > 0 && now.Before(sess.updatedAt.Add(g)):
			return acc, true
		}
	}
	return nil, false
}

// refresh is devise_token_auth's after_action: under the account's lock it
// either extends the batch window and answers with blank token headers, or
// rotates the token and answers with the new one. It returns no headers if
// the session was deleted while the request was processed.
func (s *Server) refresh(acc *account, client string, started time.Time, unbatch bool) http.Header {
	acc.mu.Lock()
	defer acc.mu.Unlock()
	sess, ok := acc.sessions[client]
	if !ok {
		return nil
	}
	now := s.now()
	w := s.cfg.BatchWindow
	if w > 0 && !unbatch && sess.updatedAt.After(started.Add(-w)) {
		sess.updatedAt = now
		s.count(func(st *Stats) { st.BatchAnswers++ })
		return authHeader(" ", client, " ", acc.email)
	}
	sess.previous, sess.token = sess.token, newToken()
	sess.updatedAt = now
	sess.expiry = now.Add(s.cfg.TokenLifespan)
	s.count(func(st *Stats) { st.Rotations++ })
	return authHeader(sess.token, client, expiryText(sess.expiry), acc.email)
}

// signIn checks the credentials and creates a new session. It returns the
// headers of the new session, or nil if the credentials are wrong.
func (s *Server) signIn(email, password string) (*account, http.Header) {
	acc, ok := s.accounts[normaliseEmail(email)]
	if !ok || !equal(password, acc.password) {
		s.count(func(st *Stats) { st.SignInFailures++ })
		return nil, nil
	}
	now := s.now()
	acc.mu.Lock()
	defer acc.mu.Unlock()
	client := newToken()
	acc.created++
	sess := &session{token: newToken(), updatedAt: now, expiry: now.Add(s.cfg.TokenLifespan), seq: acc.created}
	acc.sessions[client] = sess
	acc.prune(now, s.cfg.MaxSessions)
	s.count(func(st *Stats) { st.SignIns++ })
	return acc, authHeader(sess.token, client, expiryText(sess.expiry), acc.email)
}

// prune deletes the expired sessions and then, while there are more than
// limit, the ones that expire soonest (the oldest on a tie). The caller
// holds acc.mu.
func (acc *account) prune(now time.Time, limit int) {
	type entry struct {
		client string
		sess   *session
	}
	var live []entry
	for c, sess := range acc.sessions {
		if !sess.expiry.After(now) {
			delete(acc.sessions, c)
			continue
		}
		live = append(live, entry{c, sess})
	}
	if len(live) <= limit {
		return
	}
	slices.SortFunc(live, func(a, b entry) int {
		return cmp.Or(a.sess.expiry.Compare(b.sess.expiry), cmp.Compare(a.sess.seq, b.sess.seq))
	})
	for _, e := range live[:len(live)-limit] {
		delete(acc.sessions, e.client)
	}
}

// signOut deletes the session that c proves, and reports whether there was
// one.
func (s *Server) signOut(c credentials) bool {
	acc, ok := s.authenticate(c)
	if !ok {
		return false
	}
	acc.mu.Lock()
	delete(acc.sessions, c.client)
	acc.mu.Unlock()
	s.count(func(st *Stats) { st.SignOuts++ })
	return true
}

// authHeader builds the authentication headers with lower-case names.
func authHeader(token, client, expiry, uid string) http.Header {
	return http.Header{
		hdrAccessToken: {token},
		hdrTokenType:   {"Bearer"},
		hdrClient:      {client},
		hdrExpiry:      {expiry},
		hdrUID:         {uid},
	}
}

// expiryText formats an expiry as Unix seconds.
func expiryText(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// count updates the statistics.
func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.stats)
}

// Stats returns a snapshot of the authentication counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Sessions returns the number of live (unexpired) sessions of the user
// with the given e-mail address; expired ones are deleted on the way.
func (s *Server) Sessions(email string) int {
	acc, ok := s.accounts[normaliseEmail(email)]
	if !ok {
		return 0
	}
	acc.mu.Lock()
	defer acc.mu.Unlock()
	acc.prune(s.now(), len(acc.sessions))
	return len(acc.sessions)
}

// RevokeSessions deletes all sessions of the user, as a password reset
// would, so that all of the user's tokens get 401 from then on.
func (s *Server) RevokeSessions(email string) {
	acc, ok := s.accounts[normaliseEmail(email)]
	if !ok {
		return
	}
	acc.mu.Lock()
	defer acc.mu.Unlock()
	clear(acc.sessions)
}
