package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// DefaultRefreshBefore is how long before the token's expiry a session
// that knows the password signs in again instead of sending a request the
// server may refuse.
const DefaultRefreshBefore = time.Minute

// ErrNoSession is returned, before any request, by a session that has no
// usable headers and no way to sign in (no password was given). It matches
// [transport.ErrUnauthorized] with errors.Is.
var ErrNoSession = fmt.Errorf("%w: no session: give a password, or headers saved from an earlier session", transport.ErrUnauthorized)

// Config configures a [Session].
type Config struct {
	// SignIn sends the sign-in request with the given context, through the
	// transport that this session's [Session.Transport] wraps. The session
	// marks the context, so the request carries no old headers and the
	// headers of its 2xx answer start a new session. Nil when the password
	// is unknown: a 401 is then returned to the caller.
	SignIn func(ctx context.Context) error
	// Store keeps the headers between runs. Nil means an in-memory store.
	Store TokenStore
	// Secrets is the transport's registry. The current and the previous
	// access-token, the session's client and its uid are registered in it
	// so that no error or log line shows them; a token or client that can
	// no longer be used is removed again (the uid, the user's e-mail, is
	// kept: it stays personal data after the session ends).
	Secrets *transport.Secrets
	// Logger receives a warning when the store fails or when a response
	// names another session. Nil means silent.
	Logger *slog.Logger
	// RefreshBefore is how long before expiry to sign in again (when
	// SignIn is set). Zero means DefaultRefreshBefore; negative turns the
	// early sign-in off.
	RefreshBefore time.Duration
}

// Session holds the rotating headers of one devise_token_auth session and
// applies the gem's rules to them:
//
//   - Every request to the API host carries access-token, client, uid and
//     token-type (see [Session.Transport]).
//   - A response's access-token replaces the stored one only when it is
//     not blank and its expiry is not older than the stored expiry. The
//     server answers requests made within its batch window with a blank
//     token (" "), and a 401 with no headers at all; both keep the token.
//   - Requests are serialised: one is in flight at a time, and each starts
//     after the previous one's response headers (with any new token) have
//     arrived. Any number of goroutines may share a session.
//   - A call that gets a 401 signs in again once (shared by all calls that
//     failed with the same token) and is replayed once (see [Session.Do]).
//
// A Session is safe for concurrent use.
type Session struct {
	cfg   Config
	store TokenStore

	// turn is held while a request is on the wire, which serialises them.
	turn chan struct{}
	// signing is held while a sign-in (or the first load from the store)
	// runs, so that only one runs at a time.
	signing chan struct{}

	mu       sync.Mutex
	cur      Headers
	prevTok  string // the token before cur's, still registered as a secret
	gen      uint64 // incremented by every sign-in and resume
	loaded   bool
	storeErr error
}

// New returns a session. It holds no headers until it signs in, resumes
// from cfg.Store or is given headers with [Session.Resume].
func New(cfg Config) *Session {
	s := &Session{cfg: cfg, store: cfg.Store, turn: make(chan struct{}, 1), signing: make(chan struct{}, 1)}
	if s.store == nil {
		s.store = new(MemoryStore)
	}
	if s.cfg.Secrets == nil {
		s.cfg.Secrets = new(transport.Secrets)
	}
	if s.cfg.RefreshBefore == 0 {
		s.cfg.RefreshBefore = DefaultRefreshBefore
	}
	return s
}

// CanSignIn reports whether the session knows how to sign in again.
func (s *Session) CanSignIn() bool { return s.cfg.SignIn != nil }

// Headers returns the current headers (the zero value before the first
// sign-in). Save them to resume the session later.
func (s *Session) Headers() Headers {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// StoreErr returns the last error of the [TokenStore], or nil. A failing
// store does not fail requests (the server has already rotated the token);
// it only means the session cannot be resumed from the store.
func (s *Session) StoreErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.storeErr
}

// Resume makes h the session's headers, replacing any others, and saves
// them to the store.
func (s *Session) Resume(ctx context.Context, h Headers) error {
	if !h.Usable() {
		return transport.Invalid("headers", "need access-token, client and uid")
	}
	if err := acquire(ctx, s.turn); err != nil {
		return err
	}
	defer release(s.turn)
	s.mu.Lock()
	s.install(h)
	s.loaded = true
	s.mu.Unlock()
	s.save(ctx, h)
	return nil
}

// SignIn signs in anew (a new server session) with cfg.SignIn, even when
// the session already has headers.
func (s *Session) SignIn(ctx context.Context) error {
	if s.cfg.SignIn == nil {
		return ErrNoSession
	}
	if err := acquire(ctx, s.signing); err != nil {
		return err
	}
	defer release(s.signing)
	return s.signIn(ctx)
}

// Do runs call, which sends one API request through the transport, with
// the session's rules:
//
//  1. With no usable headers it loads them from the store, or signs in; if
//     the token is about to expire, it signs in again first.
//  2. If call fails with a 401 and the session can sign in, it signs in
//     again, unless another call already did since this one's request
//     was sent, and runs call once more. A second 401 is returned.
//
// Without a password a 401 is returned as it came, matching
// transport.ErrUnauthorized.
func (s *Session) Do(ctx context.Context, call func(ctx context.Context) error) error {
	if err := s.ensure(ctx); err != nil {
		return err
	}
	info := &callInfo{}
	cctx := context.WithValue(ctx, callKey{}, info)
	err := call(cctx)
	if err == nil || !errors.Is(err, transport.ErrUnauthorized) || s.cfg.SignIn == nil || !info.sent {
		return err
	}
	if rerr := s.renew(ctx, info.gen); rerr != nil {
		return errors.Join(err, rerr)
	}
	return call(context.WithValue(ctx, callKey{}, &callInfo{}))
}

// SignOut runs call, which sends the sign-out request, with the current
// headers, then forgets the session and deletes it from the store. A 404
// answer (devise_token_auth's reply when it no longer knows the session)
// or a 401 counts as signed out.
// With no usable headers it only clears the store.
func (s *Session) SignOut(ctx context.Context, call func(ctx context.Context) error) error {
	if !s.Headers().Usable() {
		return s.forget(ctx)
	}
	err := call(context.WithValue(ctx, modeKey{}, modeSignOut))
	if err != nil && !errors.Is(err, transport.ErrNotFound) && !errors.Is(err, transport.ErrUnauthorized) {
		return err
	}
	return s.forget(ctx)
}

func (s *Session) forget(ctx context.Context) error {
	s.mu.Lock()
	s.cfg.Secrets.Remove(s.cur.AccessToken, s.prevTok, s.cur.Client)
	s.cur, s.prevTok = Headers{}, ""
	s.gen++
	s.loaded = true
	s.mu.Unlock()
	return s.store.Delete(ctx)
}

// ensure makes sure the session has headers worth sending.
func (s *Session) ensure(ctx context.Context) error {
	s.mu.Lock()
	cur, loaded, gen := s.cur, s.loaded, s.gen
	s.mu.Unlock()
	if loaded && cur.Usable() && !s.expiring(cur) {
		return nil
	}
	if err := acquire(ctx, s.signing); err != nil {
		return err
	}
	defer release(s.signing)
	s.mu.Lock()
	cur, loaded = s.cur, s.loaded
	changed := s.gen != gen
	s.mu.Unlock()
	if !loaded {
		h, err := s.store.Load(ctx)
		if err != nil {
			s.noteStoreErr(ctx, err)
		}
		s.mu.Lock()
		if !s.loaded && h.Usable() {
			s.install(h)
		}
		s.loaded = true
		cur = s.cur
		s.mu.Unlock()
	}
	if cur.Usable() && (!s.expiring(cur) || changed) {
		return nil
	}
	if s.cfg.SignIn == nil {
		if cur.Usable() {
			return nil // let the server decide; no way to renew anyway
		}
		return ErrNoSession
	}
	return s.signIn(ctx)
}

func (s *Session) expiring(h Headers) bool {
	return s.cfg.SignIn != nil && s.cfg.RefreshBefore > 0 && h.Expired(time.Now(), s.cfg.RefreshBefore)
}

// renew signs in again after a 401 on headers of generation gen, unless a
// sign-in happened since.
func (s *Session) renew(ctx context.Context, gen uint64) error {
	if err := acquire(ctx, s.signing); err != nil {
		return err
	}
	defer release(s.signing)
	s.mu.Lock()
	changed := s.gen != gen
	s.mu.Unlock()
	if changed {
		return nil
	}
	return s.signIn(ctx)
}

// signIn runs cfg.SignIn; the caller holds s.signing.
func (s *Session) signIn(ctx context.Context) error {
	st := &signInState{}
	if err := s.cfg.SignIn(context.WithValue(ctx, modeKey{}, st)); err != nil {
		return err
	}
	if !st.done {
		return fmt.Errorf("%w: the sign-in answer carried no access-token, client and uid headers", transport.ErrUnauthorized)
	}
	return nil
}

// install makes h current; the caller holds s.mu. The old session's
// token and client are unregistered (unless h has the same client), the
// new token, client and uid registered.
func (s *Session) install(h Headers) {
	s.cfg.Secrets.Remove(s.prevTok, s.cur.AccessToken)
	if s.cur.Client != h.Client {
		s.cfg.Secrets.Remove(s.cur.Client)
	}
	s.cfg.Secrets.Add(h.AccessToken, h.Client, h.UID)
	s.cur, s.prevTok = h, ""
	s.gen++
}

// rotate takes a new token from a response; the caller holds s.turn.
func (s *Session) rotate(ctx context.Context, h Headers) {
	s.mu.Lock()
	cur := s.cur
	if h.Client != "" && h.Client != cur.Client {
		s.mu.Unlock()
		s.warn(ctx, "session: ignored a token issued for another client")
		return
	}
	if h.Expiry < cur.Expiry || h.AccessToken == cur.AccessToken {
		s.mu.Unlock()
		return
	}
	s.cfg.Secrets.Remove(s.prevTok)
	s.cfg.Secrets.Add(h.AccessToken, h.UID)
	next := cur
	next.AccessToken, next.Expiry = h.AccessToken, h.Expiry
	if h.TokenType != "" {
		next.TokenType = h.TokenType
	}
	if h.UID != "" {
		next.UID = h.UID
	}
	s.prevTok, s.cur = cur.AccessToken, next
	s.mu.Unlock()
	s.save(ctx, next)
}

func (s *Session) save(ctx context.Context, h Headers) {
	if err := s.store.Save(ctx, h); err != nil {
		s.noteStoreErr(ctx, err)
	}
}

func (s *Session) noteStoreErr(ctx context.Context, err error) {
	s.mu.Lock()
	s.storeErr = err
	s.mu.Unlock()
	s.warn(ctx, "session: token store failed", slog.String("error", s.cfg.Secrets.Redact(err.Error())))
}

func (s *Session) warn(ctx context.Context, msg string, attrs ...slog.Attr) {
	if s.cfg.Logger != nil {
		s.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
	}
}

// Transport returns a RoundTripper that adds the session headers to each
// request sent through next and takes new tokens from the responses. Use it
// as transport.Config.Auth, which applies it only to the API host.
func (s *Session) Transport(next http.RoundTripper) http.RoundTripper {
	return &roundTripper{s: s, next: next}
}

type roundTripper struct {
	s    *Session
	next http.RoundTripper
}

// RoundTrip sends one attempt while holding the session's turn.
func (rt *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	s := rt.s
	if err := acquire(ctx, s.turn); err != nil {
		closeBody(req)
		return nil, err
	}
	defer release(s.turn)

	mode := ctx.Value(modeKey{})
	signIn, _ := mode.(*signInState)
	out := req.Clone(ctx)
	s.mu.Lock()
	cur, gen := s.cur, s.gen
	s.mu.Unlock()
	if signIn == nil && cur.Usable() {
		cur.apply(out.Header)
	}
	if info, ok := ctx.Value(callKey{}).(*callInfo); ok {
		info.gen, info.sent = gen, true
	}
	resp, err := rt.next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	h, ok := fromResponse(resp.Header)
	switch {
	case !ok || resp.StatusCode == http.StatusUnauthorized:
		// Blank (batch) or absent headers: keep the current token.
	case signIn != nil:
		if resp.StatusCode/100 == 2 && h.Usable() {
			s.mu.Lock()
			s.install(h)
			s.loaded = true
			s.mu.Unlock()
			s.save(ctx, h)
			signIn.done = true
		}
	case mode == modeSignOut:
		// The session ends; any header here is moot.
	default:
		s.rotate(ctx, h)
	}
	return resp, nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

type (
	callKey struct{}
	modeKey struct{}
	// callInfo records, for one Do call, the generation of the headers
	// its last attempt carried.
	callInfo struct {
		gen  uint64
		sent bool
	}
	// signInState marks a sign-in request and records whether its answer
	// started a session.
	signInState struct{ done bool }
	sessionMode int
)

const modeSignOut sessionMode = 1

func acquire(ctx context.Context, ch chan struct{}) error {
	select {
	case ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func release(ch chan struct{}) { <-ch }
