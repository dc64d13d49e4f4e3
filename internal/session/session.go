package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/steppe-sdk/steppe/internal/renew"
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
	// AnswerWait bounds how long an answer is still awaited, for the new
	// token its headers may carry, after the caller's context has ended.
	// Zero means DefaultAnswerWait.
	AnswerWait time.Duration
	// WarnReSignIns is the number of sign-ins after the first at which
	// the session logs a warning (again at twice, four times … that
	// number): each one opens a new server session that holds one of the
	// user's device slots. Zero means DefaultWarnReSignIns; negative
	// turns the warning off.
	WarnReSignIns int
}

// DefaultAnswerWait is how long an answer that may carry a new token is
// still awaited after its caller gave up.
const DefaultAnswerWait = 30 * time.Second

// DefaultWarnReSignIns is the default [Config.WarnReSignIns]: half of
// devise_token_auth's default of 10 sessions per user.
const DefaultWarnReSignIns = 5

// MaxRenewals is how many times one call may sign in again and be replayed
// after a 401, each time only when the 401 came from a token newer than
// the one it already renewed (see package internal/renew).
const MaxRenewals = renew.MaxRenewals

// Stats counts what a session did; see [Session.Stats].
type Stats struct {
	// SignIns counts sign-ins that started a session, the first included.
	SignIns int64
	// ReSignIns counts the sign-ins after the first (recovery from a 401
	// or a lost answer, and renewal before expiry). Each opens a new
	// server session, which holds one of the user's device slots until
	// it expires or is evicted.
	ReSignIns int64
	// Rotations counts answers whose new access-token was taken.
	Rotations int64
	// BlankAnswers counts answers that kept the token: the blank token of
	// a batch answer, or no token headers at all.
	BlankAnswers int64
	// LostAnswers counts requests that may have reached the server but
	// whose answer never came (the connection broke, or the answer did
	// not arrive within AnswerWait after the caller gave up): the server
	// may have rotated the token, so the session signs in again.
	LostAnswers int64
	// Unauthorized counts 401 answers to session requests.
	Unauthorized int64
	// ForeignClient counts answers that carried a token for another
	// client id, which the session ignores (it keeps its own).
	ForeignClient int64
	// AbandonedAnswers counts answers read for their token after their
	// caller had gone (a cancelled call, an iterator left early).
	AbandonedAnswers int64
}

// Add adds o's counters to s's.
func (s *Stats) Add(o Stats) {
	s.SignIns += o.SignIns
	s.ReSignIns += o.ReSignIns
	s.Rotations += o.Rotations
	s.BlankAnswers += o.BlankAnswers
	s.LostAnswers += o.LostAnswers
	s.Unauthorized += o.Unauthorized
	s.ForeignClient += o.ForeignClient
	s.AbandonedAnswers += o.AbandonedAnswers
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
	// broken is set when a request with generation gen's token got a 401
	// or lost its answer: that token may have been replaced, so no request
	// goes out with it until a sign-in makes a new generation.
	broken bool
	// renewing is the sign-in in flight for a broken generation, shared
	// by every call that needs it.
	renewing *renewal
	stats    Stats
	nextWarn int64

	// flight is the request on the wire, guarded by turn; answered
	// receives a value when its answer is in for RoundTrip to take.
	flight   flight
	answered chan struct{}
}

// renewal is one single-flight sign-in and its result.
type renewal struct {
	done chan struct{}
	err  error
}

// New returns a session. It holds no headers until it signs in, resumes
// from cfg.Store or is given headers with [Session.Resume].
func New(cfg Config) *Session {
	s := &Session{cfg: cfg, store: cfg.Store, turn: make(chan struct{}, 1), signing: make(chan struct{}, 1), answered: make(chan struct{}, 1)}
	if s.store == nil {
		s.store = new(MemoryStore)
	}
	if s.cfg.Secrets == nil {
		s.cfg.Secrets = new(transport.Secrets)
	}
	if s.cfg.RefreshBefore == 0 {
		s.cfg.RefreshBefore = DefaultRefreshBefore
	}
	if s.cfg.AnswerWait <= 0 {
		s.cfg.AnswerWait = DefaultAnswerWait
	}
	if s.cfg.WarnReSignIns == 0 {
		s.cfg.WarnReSignIns = DefaultWarnReSignIns
	}
	s.nextWarn = int64(s.cfg.WarnReSignIns)
	return s
}

// Stats returns a snapshot of the session's counters.
func (s *Session) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
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
//  2. If call fails with a 401, or with a transport error whose last
//     attempt lost its answer, and the session can sign in, the session
//     signs in again once for the generation of headers that failed
//     (shared by every call that failed with it; none if another call
//     already did) and runs call once more. A call renews again only when
//     its next failure came from a newer generation, at most
//     [MaxRenewals] times.
//
// A request that lost its answer marks its generation as soon as the loss
// is seen: the transport's own retry of a safe request, and every queued
// request, then wait for the new sign-in instead of going out with a token
// the server may have replaced.
//
// Without a password a 401 is returned as it came, matching
// transport.ErrUnauthorized.
func (s *Session) Do(ctx context.Context, call func(ctx context.Context) error) error {
	if err := s.ensure(ctx); err != nil {
		return err
	}
	if s.cfg.SignIn == nil {
		return call(ctx)
	}
	var lost bool
	err := renew.Loop(ctx, func(ctx context.Context) (uint64, bool, error) {
		c := &callCtx{Context: ctx}
		err := call(c)
		lost = c.info.lost
		return c.info.gen, c.info.sent, err
	}, func(err error) bool {
		var re *recoveryError
		return !errors.As(err, &re) && (errors.Is(err, transport.ErrUnauthorized) || (lost && errors.Is(err, transport.ErrTransport)))
	}, s.recover)
	if err == nil {
		return nil
	}
	if re := (*recoveryError)(nil); errors.As(err, &re) {
		// The sign-in that was to replace a broken token failed: that
		// is the call's failure.
		return re.err
	}
	return err
}

// ErrSignOutUnconfirmed is matched (with errors.Is) by the error of a
// sign-out that the server did not confirm: it answered 404 (it no longer
// knows the session) or 401 (it refused the token). The session is
// forgotten all the same, since the server will not accept it again.
var ErrSignOutUnconfirmed = errors.New("sign-out not confirmed by the server")

// SignOut runs call, which sends the sign-out request, with the current
// headers, then forgets the session and deletes it from the store. A 404
// or 401 answer forgets the session too, but the sign-out was not
// confirmed: the error matches [ErrSignOutUnconfirmed] and the status's
// sentinel. Any other failure keeps the session, so SignOut can be tried
// again. With no usable headers it only clears the store.
func (s *Session) SignOut(ctx context.Context, call func(ctx context.Context) error) error {
	if !s.Headers().Usable() {
		return s.forget(ctx)
	}
	err := call(context.WithValue(ctx, modeKey{}, modeSignOut))
	if err != nil && !errors.Is(err, transport.ErrNotFound) && !errors.Is(err, transport.ErrUnauthorized) {
		return err
	}
	ferr := s.forget(ctx)
	if err != nil {
		return errors.Join(fmt.Errorf("%w: %w", ErrSignOutUnconfirmed, err), ferr)
	}
	return ferr
}

func (s *Session) forget(ctx context.Context) error {
	s.mu.Lock()
	s.cfg.Secrets.Remove(s.cur.AccessToken, s.prevTok, s.cur.Client)
	s.cur, s.prevTok = Headers{}, ""
	s.gen++
	s.broken = false
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

// recover signs in again after generation gen got a 401 or lost an
// answer, unless a sign-in happened since. Calls that need the same
// recovery share one sign-in and its result; when the one that ran it gave
// up (its context ended), the next caller runs it.
func (s *Session) recover(ctx context.Context, gen uint64) error {
	for {
		s.mu.Lock()
		if s.gen != gen {
			s.mu.Unlock()
			return nil
		}
		r := s.renewing
		leader := r == nil
		if leader {
			r = &renewal{done: make(chan struct{})}
			s.renewing = r
		}
		s.mu.Unlock()
		if leader {
			r.err = s.signInOnce(ctx, gen)
			s.mu.Lock()
			s.renewing = nil
			s.mu.Unlock()
			close(r.done)
			return r.err
		}
		select {
		case <-r.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil && (ctx.Err() != nil || !isContextErr(r.err)) {
			return r.err
		}
	}
}

// signInOnce signs in unless generation gen has been replaced meanwhile
// (by ensure or an explicit SignIn, which also hold s.signing).
func (s *Session) signInOnce(ctx context.Context, gen uint64) error {
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

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// markBroken records that generation gen's token may have been replaced.
func (s *Session) markBroken(gen uint64) {
	s.mu.Lock()
	if s.gen == gen {
		s.broken = true
	}
	s.mu.Unlock()
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
	s.broken = false
}

// rotate takes a new token from a response; the caller holds s.turn.
func (s *Session) rotate(ctx context.Context, h Headers) {
	s.mu.Lock()
	cur := s.cur
	if h.Client != "" && h.Client != cur.Client {
		s.stats.ForeignClient++
		s.mu.Unlock()
		s.warn(ctx, "session: ignored a token issued for another client")
		return
	}
	if h.Expiry < cur.Expiry || h.AccessToken == cur.AccessToken {
		s.stats.BlankAnswers++
		s.mu.Unlock()
		return
	}
	s.stats.Rotations++
	s.cfg.Secrets.Remove(s.prevTok)
	s.cfg.Secrets.Add(h.AccessToken)
	if h.UID != cur.UID {
		s.cfg.Secrets.Add(h.UID) // (registering costs: skip the same uid)
	}
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
//
// It waits for the turn, and, while the current generation of headers is
// broken (a 401 or a lost answer) and the session can sign in, for the
// sign-in that replaces them. The turn is then held until the answer's
// headers are in. If the caller's context ends first, RoundTrip returns at
// once, but the answer is still awaited in the background (for at most
// AnswerWait) so that a new token it carries is kept: the server has
// rotated the token whether or not the caller is still there.
func (rt *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	s := rt.s
	mode := ctx.Value(modeKey{})
	signIn, _ := mode.(*signInState)
	session := signIn == nil && mode != modeSignOut
	var (
		cur Headers
		gen uint64
	)
	for {
		if err := acquire(ctx, s.turn); err != nil {
			closeBody(req)
			return nil, err
		}
		s.mu.Lock()
		cur, gen = s.cur, s.gen
		wait := session && s.broken && s.cfg.SignIn != nil
		s.mu.Unlock()
		if !wait {
			break
		}
		release(s.turn)
		if err := s.recover(ctx, gen); err != nil {
			closeBody(req)
			if ctx.Err() == nil {
				err = &recoveryError{err: err}
			}
			return nil, err
		}
	}

	// The request is sent with a context of its own, which the caller's
	// ending does not cancel: the answer is awaited for its token all the
	// same. It ends when the answer's body is closed, when the caller's
	// context ends while the body is read, or AnswerWait after the caller
	// gave up on the headers.
	sendCtx, cancelSend := context.WithCancel(context.WithoutCancel(ctx))
	out := outgoing(req, sendCtx, cur, signIn == nil && cur.Usable())
	info, _ := ctx.Value(callKey{}).(*callInfo)
	if info != nil {
		info.gen, info.sent, info.lost = gen, true, false
	}

	// The flight is the session's one request on the wire (the turn
	// guards it). It is sent from a goroutine of its own so that RoundTrip
	// can return when the caller's context ends.
	f := &s.flight
	*f = flight{out: out, ctx: ctx, cancel: cancelSend, gen: gen, signIn: signIn, mode: mode}
	go s.fly(rt.next)
	select {
	case <-s.answered:
	case <-ctx.Done():
		f.wait = time.AfterFunc(s.cfg.AnswerWait, cancelSend)
		if f.state.CompareAndSwap(flightWaiting, flightAbandoned) {
			// The caller has gone; fly settles the answer (which may
			// still carry a new token) and gives the turn back.
			return nil, ctx.Err()
		}
		// The answer came in the meantime: take it as usual.
		f.wait.Stop()
		<-s.answered
	}
	resp, err := f.resp, f.err
	*f = flight{}
	if err != nil && info != nil && session && mayHaveReached(err) {
		info.lost = true
	}
	s.settle(ctx, resp, err, gen, signIn, mode, false)
	release(s.turn)
	if err != nil {
		cancelSend()
		return nil, err
	}
	// The body is read with the caller's context again: fly closes it
	// when that context ends first.
	resp.Body = &answerBody{rc: resp.Body, ctx: ctx, cancel: cancelSend}
	return resp, nil
}

// outgoing returns the request to send for req: a copy with ctx and, when
// withHeaders, the session headers cur. It copies only the request and its
// header map (net/http changes neither the URL nor the other headers'
// values).
func outgoing(req *http.Request, ctx context.Context, cur Headers, withHeaders bool) *http.Request {
	out := req.WithContext(ctx)
	if withHeaders {
		hdr := make(http.Header, len(req.Header)+4)
		maps.Copy(hdr, req.Header)
		cur.apply(hdr)
		out.Header = hdr
	}
	// net/http would silently send a bodiless request again when a
	// kept-alive connection drops before the answer, with the same headers,
	// so with a token the server has just replaced; the loss must come back
	// here, and the session recovers from it.
	transport.SendOnce(out)
	return out
}

// flight states.
const (
	flightWaiting   int32 = iota // RoundTrip waits for the answer
	flightAnswered               // fly handed the answer to RoundTrip
	flightAbandoned              // the caller has gone; fly settles the answer
)

// flight is the request a session has on the wire, and its answer. The
// session's turn guards it: it is reused by the next request only after
// the answer has been settled.
type flight struct {
	out    *http.Request
	ctx    context.Context // the caller's
	cancel context.CancelFunc
	gen    uint64
	signIn *signInState
	mode   any

	resp *http.Response
	err  error
	// state says who settles the answer: RoundTrip (answered) or fly
	// (abandoned). Whoever changes it from waiting decides.
	state atomic.Int32
	// wait ends the request AnswerWait after its caller gave up; set
	// before state becomes flightAbandoned.
	wait *time.Timer
}

// fly sends the flight's request through next and hands the answer to
// RoundTrip, then closes the answer's body if the caller's context ends
// before the body is closed (which ends the request's own context). When
// the caller has gone before the answer came, fly settles the answer
// itself, reads it and gives the turn back.
func (s *Session) fly(next http.RoundTripper) {
	f := &s.flight
	f.resp, f.err = next.RoundTrip(f.out)
	if f.state.CompareAndSwap(flightWaiting, flightAnswered) {
		// The body as next returned it: RoundTrip and the layers above
		// replace resp.Body with their own wrappers.
		var body io.Closer
		if f.err == nil {
			body = f.resp.Body
		}
		callerDone, sendDone := f.ctx.Done(), f.out.Context().Done()
		s.answered <- struct{}{}
		if body != nil {
			select {
			case <-callerDone:
				_ = body.Close()
			case <-sendDone:
			}
		}
		return
	}
	f.wait.Stop()
	resp, err, cancel := f.resp, f.err, f.cancel
	ctx, gen, signIn, mode := context.WithoutCancel(f.ctx), f.gen, f.signIn, f.mode
	*f = flight{}
	s.settle(ctx, resp, err, gen, signIn, mode, true)
	release(s.turn)
	if resp != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}
	cancel()
}

// settle applies an answer's headers to the session (a new token, a
// sign-in's new session) and records what a 401 or a lost answer means for
// generation gen.
func (s *Session) settle(ctx context.Context, resp *http.Response, err error, gen uint64, signIn *signInState, mode any, abandoned bool) {
	session := signIn == nil && mode != modeSignOut
	if err != nil {
		if session && mayHaveReached(err) {
			s.mu.Lock()
			s.stats.LostAnswers++
			s.mu.Unlock()
			s.markBroken(gen)
		}
		return
	}
	if abandoned {
		s.mu.Lock()
		s.stats.AbandonedAnswers++
		s.mu.Unlock()
	}
	h, ok := fromResponse(resp.Header)
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		// A 401 carries no new token; the one sent may be dead.
		if session {
			s.mu.Lock()
			s.stats.Unauthorized++
			s.mu.Unlock()
			s.markBroken(gen)
		}
	case signIn != nil:
		if resp.StatusCode/100 == 2 && ok && h.Usable() {
			s.mu.Lock()
			s.install(h)
			s.loaded = true
			warn := s.countSignIn()
			s.mu.Unlock()
			s.save(ctx, h)
			signIn.done = true
			if warn > 0 {
				s.warn(ctx, "session: many sign-ins; each opens a new server session, which holds one of the user's device slots (10 by default) until it expires or is evicted",
					slog.Int64("re_sign_ins", warn))
			}
		}
	case mode == modeSignOut:
		// The session ends; any header here is moot.
	case !ok:
		// Blank (batch) or absent headers: keep the current token.
		s.mu.Lock()
		s.stats.BlankAnswers++
		s.mu.Unlock()
	default:
		s.rotate(ctx, h)
	}
}

// countSignIn counts a sign-in and returns the number of re-sign-ins when
// it reaches the next warning threshold, else 0. The caller holds s.mu.
func (s *Session) countSignIn() int64 {
	s.stats.SignIns++
	if s.stats.SignIns == 1 {
		return 0
	}
	s.stats.ReSignIns++
	if s.cfg.WarnReSignIns > 0 && s.stats.ReSignIns >= s.nextWarn {
		s.nextWarn *= 2
		return s.stats.ReSignIns
	}
	return 0
}

// mayHaveReached reports whether a failed attempt may have reached the
// server: anything but a failure to resolve the name or to connect.
func mayHaveReached(err error) bool {
	var (
		opErr  *net.OpError
		dnsErr *net.DNSError
	)
	if errors.As(err, &dnsErr) {
		return false
	}
	return !errors.As(err, &opErr) || opErr.Op != "dial"
}

// answerBody is an answer's body read under the caller's context: the
// request itself was sent with a context of its own (see RoundTrip).
type answerBody struct {
	rc     io.ReadCloser
	ctx    context.Context
	cancel context.CancelFunc // ends the request's context
}

func (b *answerBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err != nil && err != io.EOF && b.ctx.Err() != nil {
		err = b.ctx.Err()
	}
	return n, err
}

func (b *answerBody) Close() error {
	err := b.rc.Close()
	b.cancel()
	return err
}

// recoveryError is how RoundTrip reports that the sign-in meant to
// replace a broken token failed. It is permanent (the transport does not
// retry it), and Do returns the sign-in's own error in its place.
type recoveryError struct{ err error }

func (e *recoveryError) Error() string   { return "session: signing in again failed: " + e.err.Error() }
func (e *recoveryError) Permanent() bool { return true }

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

type (
	callKey struct{}
	modeKey struct{}
	// callCtx is the context of one attempt of a Do call: ctx with its
	// callInfo under callKey, in one allocation.
	callCtx struct {
		context.Context
		info callInfo
	}
	// callInfo records, for one Do call, the generation of the headers
	// its last attempt carried.
	callInfo struct {
		gen  uint64
		sent bool
		lost bool // the answer to the last attempt never came
	}
	// signInState marks a sign-in request and records whether its answer
	// started a session.
	signInState struct{ done bool }
	sessionMode int
)

const modeSignOut sessionMode = 1

// Value returns the attempt's callInfo for callKey, else ctx's value.
func (c *callCtx) Value(key any) any {
	if key == (callKey{}) {
		return &c.info
	}
	return c.Context.Value(key)
}

func acquire(ctx context.Context, ch chan struct{}) error {
	select {
	case ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func release(ch chan struct{}) { <-ch }
