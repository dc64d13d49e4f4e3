package session

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// server is a small devise_token_auth look-alike: every successful
// request rotates the token, and only the current token is accepted.
type server struct {
	t *testing.T
	*httptest.Server

	mu      sync.Mutex
	tok     string
	client  string
	exp     int64
	serial  int
	signIns int
	// answer, when set, writes the response headers of a protected
	// request instead of the rotation.
	answer func(w http.ResponseWriter)
	// status, when set, answers protected requests with it (after auth).
	status int

	inflight, maxInflight atomic.Int32
}

func newServer(t *testing.T) *server {
	s := &server{t: t, client: "cl-1", exp: time.Now().Add(14 * 24 * time.Hour).Unix()}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	n := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	for {
		m := s.maxInflight.Load()
		if n <= m || s.maxInflight.CompareAndSwap(m, n) {
			break
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.URL.Path {
	case "/sign_in":
		s.signIns++
		s.serial++
		s.client = "cl-" + strconv.Itoa(s.signIns)
		s.tok = "tok-" + strconv.Itoa(s.serial)
		s.exp++
		s.writeHeaders(w, s.tok, strconv.FormatInt(s.exp, 10))
		_, _ = w.Write([]byte(`{"data":{"id":1}}`))
	case "/sign_out":
		if r.Header.Get(HeaderAccessToken) != s.tok || s.tok == "" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		s.tok = ""
		_, _ = w.Write([]byte(`{"success":true}`))
	default:
		if s.tok == "" || r.Header.Get(HeaderAccessToken) != s.tok || r.Header.Get(HeaderClient) != s.client || r.Header.Get(HeaderUID) != "u@x" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"errors":["You need to sign in or sign up before continuing."]}`))
			return
		}
		if s.answer != nil {
			s.answer(w)
		} else {
			s.serial++
			s.tok = "tok-" + strconv.Itoa(s.serial)
			s.exp++
			s.writeHeaders(w, s.tok, strconv.FormatInt(s.exp, 10))
		}
		if s.status != 0 {
			w.WriteHeader(s.status)
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}
}

func (s *server) writeHeaders(w http.ResponseWriter, tok, exp string) {
	h := w.Header()
	h["access-token"] = []string{tok}
	h["token-type"] = []string{"Bearer"}
	h["client"] = []string{s.client}
	h["expiry"] = []string{exp}
	h["uid"] = []string{"u@x"}
}

func (s *server) revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tok = "revoked"
}

func (s *server) current() (tok string, exp int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok, s.exp
}

type fixture struct {
	srv     *server
	sess    *Session
	tc      *transport.Client
	secrets *transport.Secrets
}

// newFixture builds a session on srv; withSignIn gives it a password.
func newFixture(t *testing.T, srv *server, withSignIn bool, cfg Config) *fixture {
	f := &fixture{srv: srv, secrets: new(transport.Secrets)}
	cfg.Secrets = f.secrets
	if withSignIn {
		cfg.SignIn = func(ctx context.Context) error {
			_, err := f.tc.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/sign_in"})
			return err
		}
	}
	f.sess = New(cfg)
	tc, err := transport.New(transport.Config{API: "test", BaseURL: srv.URL, Auth: f.sess.Transport, Secrets: f.secrets, MaxRetries: -1})
	require.NoError(t, err)
	f.tc = tc
	return f
}

func (f *fixture) get(ctx context.Context) error {
	return f.sess.Do(ctx, func(ctx context.Context) error {
		_, err := f.tc.Do(ctx, &transport.Request{Path: "/data"})
		return err
	})
}

func TestSignInThenRotate(t *testing.T) {
	srv := newServer(t)
	store := new(MemoryStore)
	f := newFixture(t, srv, true, Config{Store: store})
	ctx := t.Context()

	require.NoError(t, f.get(ctx))
	tok, exp := srv.current()
	h := f.sess.Headers()
	assert.Equal(t, tok, h.AccessToken, "the token of the last response is kept")
	assert.Equal(t, exp, h.Expiry)
	assert.Equal(t, "cl-1", h.Client)
	assert.Equal(t, "u@x", h.UID)
	assert.Equal(t, "Bearer", h.TokenType)
	saved, _ := store.Load(ctx)
	assert.Equal(t, h, saved, "every new token is saved")

	for range 5 {
		require.NoError(t, f.get(ctx))
	}
	assert.Equal(t, 1, srv.signIns, "one sign-in for six calls")
	tok, _ = srv.current()
	assert.Equal(t, tok, f.sess.Headers().AccessToken)
	assert.Equal(t, "tok-7", tok)
}

func TestKeepsTokenOnBlankOrOlderAnswers(t *testing.T) {
	cases := map[string]func(w http.ResponseWriter){
		"batch blank": func(w http.ResponseWriter) {
			w.Header()["access-token"] = []string{" "}
			w.Header()["expiry"] = []string{" "}
		},
		"absent":             func(http.ResponseWriter) {},
		"older expiry":       func(w http.ResponseWriter) { set(w, "zzleak", "", "1") },
		"expiry not number":  func(w http.ResponseWriter) { set(w, "zzleak", "", "soon") },
		"another client":     func(w http.ResponseWriter) { set(w, "zzleak", "someone-else", "999999") },
		"same token re-sent": nil, // filled below
	}
	for name, answer := range cases {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t)
			var logs bytes.Buffer
			f := newFixture(t, srv, true, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			ctx := t.Context()
			require.NoError(t, f.get(ctx)) // sign in and rotate once
			before := f.sess.Headers()
			if answer == nil {
				answer = func(w http.ResponseWriter) {
					set(w, before.AccessToken, before.Client, strconv.FormatInt(before.Expiry+5, 10))
				}
			}
			srv.mu.Lock()
			srv.answer = answer
			srv.mu.Unlock()
			require.NoError(t, f.get(ctx))
			assert.Equal(t, before.AccessToken, f.sess.Headers().AccessToken)
			assert.NotContains(t, logs.String(), "zzleak", "no token in logs")
		})
	}
}

func set(w http.ResponseWriter, tok, client, exp string) {
	w.Header()["access-token"] = []string{tok}
	if client != "" {
		w.Header()["client"] = []string{client}
	}
	w.Header()["expiry"] = []string{exp}
}

func TestEqualExpiryIsAccepted(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, true, Config{})
	ctx := t.Context()
	require.NoError(t, f.get(ctx))
	h := f.sess.Headers()
	srv.mu.Lock()
	srv.answer = func(w http.ResponseWriter) {
		srv.tok = "same-second"
		set(w, "same-second", "", strconv.FormatInt(h.Expiry, 10))
	}
	srv.mu.Unlock()
	require.NoError(t, f.get(ctx))
	assert.Equal(t, "same-second", f.sess.Headers().AccessToken, "a token issued in the same second replaces the old one")
}

func TestUnauthorizedSignsInOnceAndReplays(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, true, Config{})
	ctx := t.Context()
	require.NoError(t, f.get(ctx))
	srv.revoke()

	require.NoError(t, f.get(ctx), "the 401 is absorbed by one sign-in and one replay")
	assert.Equal(t, 2, srv.signIns)
	assert.Equal(t, "cl-2", f.sess.Headers().Client, "the new session's client id is taken")
}

func TestUnauthorizedTwiceIsReturned(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, true, Config{})
	ctx := t.Context()
	require.NoError(t, f.get(ctx))
	calls := 0
	err := f.sess.Do(ctx, func(ctx context.Context) error {
		calls++
		srv.revoke()
		_, err := f.tc.Do(ctx, &transport.Request{Path: "/data"})
		return err
	})
	require.ErrorIs(t, err, transport.ErrUnauthorized)
	// Each 401 came from the token of the sign-in before it, so the call
	// renews again, up to MaxRenewals times.
	assert.Equal(t, 1+MaxRenewals, calls, "replayed once per renewal")
	assert.Equal(t, 1+MaxRenewals, srv.signIns, "one sign-in per renewal, bounded")
	assert.EqualValues(t, MaxRenewals, f.sess.Stats().ReSignIns)
	assert.EqualValues(t, 1+MaxRenewals, f.sess.Stats().Unauthorized)
}

func TestUnauthorizedWithoutPassword(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, false, Config{Store: NewMemoryStore(Headers{AccessToken: "stale", Client: "cl-1", UID: "u@x", Expiry: 5})})
	err := f.get(t.Context())
	require.ErrorIs(t, err, transport.ErrUnauthorized)
	var te *transport.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, http.StatusUnauthorized, te.StatusCode)
	assert.Equal(t, "stale", f.sess.Headers().AccessToken, "a 401 carries no headers and clears nothing")
	assert.Equal(t, 0, srv.signIns)
}

func TestNoSession(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, false, Config{})
	err := f.get(t.Context())
	require.ErrorIs(t, err, ErrNoSession)
	require.ErrorIs(t, err, transport.ErrUnauthorized)
	assert.Equal(t, int32(0), srv.maxInflight.Load(), "nothing was sent")
	require.ErrorIs(t, f.sess.SignIn(t.Context()), ErrNoSession)
	assert.False(t, f.sess.CanSignIn())
}

func TestResumeFromStoreWithoutPassword(t *testing.T) {
	srv := newServer(t)
	// A first program signs in and keeps its headers.
	store := new(MemoryStore)
	first := newFixture(t, srv, true, Config{Store: store})
	require.NoError(t, first.get(t.Context()))

	// A second program resumes with the store only.
	second := newFixture(t, srv, false, Config{Store: store})
	for range 3 {
		require.NoError(t, second.get(t.Context()))
	}
	assert.Equal(t, 1, srv.signIns, "no new sign-in")
	tok, _ := srv.current()
	saved, _ := store.Load(t.Context())
	assert.Equal(t, tok, saved.AccessToken)
}

func TestResume(t *testing.T) {
	srv := newServer(t)
	first := newFixture(t, srv, true, Config{})
	require.NoError(t, first.get(t.Context()))

	store := new(MemoryStore)
	second := newFixture(t, srv, false, Config{Store: store})
	require.NoError(t, second.sess.Resume(t.Context(), first.sess.Headers()))
	saved, _ := store.Load(t.Context())
	assert.Equal(t, first.sess.Headers(), saved)
	require.NoError(t, second.get(t.Context()))

	err := second.sess.Resume(t.Context(), Headers{AccessToken: "x"})
	require.ErrorIs(t, err, transport.ErrValidation)
}

func TestSingleSignInForManyFailures(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, true, Config{})
	ctx := t.Context()
	require.NoError(t, f.get(ctx))
	srv.revoke()

	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Go(func() { errs <- f.get(ctx) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, 2, srv.signIns, "32 failed calls share one new sign-in")
}

func TestRequestsAreSerialised(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, true, Config{})
	ctx := t.Context()
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range 16 {
		wg.Go(func() {
			for range 20 {
				if f.get(ctx) != nil {
					failures.Add(1)
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int32(0), failures.Load())
	assert.Equal(t, int32(1), srv.maxInflight.Load(), "one request on the wire at a time")
	assert.Equal(t, 1, srv.signIns, "concurrent first calls share one sign-in")
}

func TestCancelWhileWaitingForTurn(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, true, Config{})
	require.NoError(t, f.get(t.Context()))
	f.sess.turn <- struct{}{} // someone else's request is on the wire
	defer release(f.sess.turn)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	err := f.get(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestRefreshBeforeExpiry(t *testing.T) {
	srv := newServer(t)
	store := NewMemoryStore(Headers{AccessToken: "old", Client: "cl-0", UID: "u@x", Expiry: time.Now().Add(30 * time.Second).Unix()})
	f := newFixture(t, srv, true, Config{Store: store})
	require.NoError(t, f.get(t.Context()))
	assert.Equal(t, 1, srv.signIns, "a token expiring within a minute is replaced by a sign-in first")

	srv2 := newServer(t)
	store2 := NewMemoryStore(Headers{AccessToken: "old", Client: "cl-0", UID: "u@x", Expiry: time.Now().Add(30 * time.Second).Unix()})
	f2 := newFixture(t, srv2, true, Config{Store: store2, RefreshBefore: -1})
	require.NoError(t, f2.get(t.Context()), "with early refresh off the 401 path still recovers")
	assert.Equal(t, 1, srv2.signIns)
}

func TestSignInFailure(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, false, Config{})
	f.sess.cfg.SignIn = func(ctx context.Context) error {
		_, err := f.tc.Do(ctx, &transport.Request{Path: "/data"}) // answered 401
		return err
	}
	err := f.get(t.Context())
	require.ErrorIs(t, err, transport.ErrUnauthorized)

	// A 2xx sign-in answer without headers is refused too.
	f.sess.cfg.SignIn = func(ctx context.Context) error {
		_, err := f.tc.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: "/sign_out"})
		if errors.Is(err, transport.ErrNotFound) {
			return nil
		}
		return err
	}
	err = f.sess.SignIn(t.Context())
	require.ErrorIs(t, err, transport.ErrUnauthorized)
	assert.Contains(t, err.Error(), "no access-token")
}

func TestSignOut(t *testing.T) {
	srv := newServer(t)
	store := new(MemoryStore)
	f := newFixture(t, srv, true, Config{Store: store})
	ctx := t.Context()
	require.NoError(t, f.get(ctx))
	signOut := func(ctx context.Context) error {
		_, err := f.tc.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: "/sign_out"})
		return err
	}
	require.NoError(t, f.sess.SignOut(ctx, signOut))
	assert.Equal(t, Headers{}, f.sess.Headers())
	saved, _ := store.Load(ctx)
	assert.Equal(t, Headers{}, saved, "the store is emptied")
	tok, _ := srv.current()
	assert.Empty(t, tok, "the server ended the session")

	// Nothing to sign out: no request.
	require.NoError(t, f.sess.SignOut(ctx, func(context.Context) error { return errors.New("must not be called") }))

	// A 404 (the server no longer knows the session) forgets it, but
	// says the sign-out was not confirmed.
	require.NoError(t, f.get(ctx)) // signs in again
	srv.revoke()
	err := f.sess.SignOut(ctx, signOut)
	require.ErrorIs(t, err, ErrSignOutUnconfirmed)
	require.ErrorIs(t, err, transport.ErrNotFound)
	var te *transport.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, http.StatusNotFound, te.StatusCode)
	assert.False(t, f.sess.Headers().Usable())

	// Any other failure keeps the session.
	require.NoError(t, f.get(ctx))
	boom := errors.New("boom")
	require.ErrorIs(t, f.sess.SignOut(ctx, func(context.Context) error { return boom }), boom)
	assert.True(t, f.sess.Headers().Usable())
}

type failingStore struct{ MemoryStore }

func (*failingStore) Save(context.Context, Headers) error {
	return errors.New("disk full")
}

func (*failingStore) Load(context.Context) (Headers, error) {
	return Headers{}, errors.New("unreadable")
}

func TestStoreFailureDoesNotFailCalls(t *testing.T) {
	srv := newServer(t)
	var logs bytes.Buffer
	f := newFixture(t, srv, true, Config{Store: &failingStore{}, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	require.NoError(t, f.get(t.Context()))
	require.Error(t, f.sess.StoreErr())
	assert.Contains(t, f.sess.StoreErr().Error(), "disk full")
	assert.Contains(t, logs.String(), "token store failed")
	tok, _ := srv.current()
	assert.NotContains(t, logs.String(), tok)
}

func TestTokensAreSecrets(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, true, Config{})
	ctx := t.Context()
	require.NoError(t, f.get(ctx))
	first := f.sess.Headers().AccessToken
	assert.Equal(t, "x "+transport.Mask, f.secrets.Redact("x "+first))
	require.NoError(t, f.get(ctx))
	second := f.sess.Headers().AccessToken
	assert.Equal(t, transport.Mask, f.secrets.Redact(first), "the previous token stays masked")
	assert.Equal(t, transport.Mask, f.secrets.Redact(second))
	require.NoError(t, f.get(ctx))
	assert.Equal(t, first, f.secrets.Redact(first), "older tokens are dropped from the registry, so it does not grow")
	h := f.sess.Headers()
	want := new(transport.Secrets)
	want.Add(second, h.AccessToken, h.Client, h.UID)
	assert.Equal(t, want.Len(), f.secrets.Len(), "the previous and current token, the client and the uid")
}

// The client header identifies the session as much as the token does: it
// is registered with the token, kept through rotations, and unregistered
// when the session ends or a sign-in starts another one. The uid (the
// user's e-mail) is registered and stays registered.
func TestClientAndUIDAreSecrets(t *testing.T) {
	srv := newServer(t)
	f := newFixture(t, srv, true, Config{})
	ctx := t.Context()
	require.NoError(t, f.get(ctx))
	first := f.sess.Headers()
	require.Equal(t, "cl-1", first.Client)
	assert.Equal(t, "client "+transport.Mask+" uid "+transport.Mask, f.secrets.Redact("client cl-1 uid u@x"))
	require.NoError(t, f.get(ctx))
	require.NoError(t, f.get(ctx))
	assert.Equal(t, transport.Mask, f.secrets.Redact("cl-1"), "rotation keeps the client registered")

	// A new sign-in (after a revoked token) starts a session with another
	// client: the old one is unregistered, the new one registered.
	srv.revoke()
	require.NoError(t, f.get(ctx))
	require.Equal(t, "cl-2", f.sess.Headers().Client)
	assert.Equal(t, "cl-1 "+transport.Mask, f.secrets.Redact("cl-1 cl-2"))

	signOut := func(ctx context.Context) error {
		_, err := f.tc.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: "/sign_out"})
		return err
	}
	require.NoError(t, f.sess.SignOut(ctx, signOut))
	assert.Equal(t, "cl-2", f.secrets.Redact("cl-2"), "the ended session's client is unregistered")
	assert.Equal(t, transport.Mask, f.secrets.Redact("u@x"), "the uid stays masked")

	// Resumed headers (no sign-in) are registered too.
	g := newFixture(t, srv, false, Config{})
	require.NoError(t, g.sess.Resume(ctx, Headers{AccessToken: "resumed-tok", Client: "resumed-client", UID: "who@example.org", Expiry: 1}))
	assert.Equal(t, strings.Repeat(transport.Mask+" ", 3), g.secrets.Redact("resumed-tok resumed-client who@example.org "))
}

func TestHeadersNeverPrintTheToken(t *testing.T) {
	h := Headers{AccessToken: "s3cr3t-token", TokenType: "Bearer", Client: "D-Uv3ER53873oLhnNLjL9w", Expiry: 1615227012, UID: "api@local.net"}
	want := `Headers{AccessToken: "REDACTED", TokenType: "Bearer", Client: "REDACTED", Expiry: 1615227012, UID: "REDACTED"}`
	assert.Equal(t, want, h.String())
	assert.Equal(t, want, h.GoString())
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "headers", h, "ptr", &h)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "headers", h)
	type holder struct {
		H  Headers
		P  *Headers
		Hs []Headers
	}
	outs := map[string]string{"slog": logs.String()}
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%10.3v", "%t"} {
		outs[format] = fmt.Sprintf(format, h)
		outs[format+" pointer"] = fmt.Sprintf(format, &h)
		outs[format+" nested"] = fmt.Sprintf(format, holder{H: h, P: &h, Hs: []Headers{h}})
	}
	outs["Sprint"] = fmt.Sprint(h, &h)
	outs["Sprintln"] = fmt.Sprintln(h)
	for name, out := range outs {
		for _, secret := range []string{"s3cr3t", "D-Uv3ER53873oLhnNLjL9w", "api@local.net", "local.net"} {
			assert.NotContains(t, out, secret, name)
			// %x and %X print hex: the secrets must not be there either.
			assert.NotContains(t, strings.ToLower(out), fmt.Sprintf("%x", secret), name)
		}
	}
	assert.Equal(t, want, fmt.Sprintf("%v", h))
	assert.Equal(t, want, fmt.Sprintf("%+v", h))
	assert.Equal(t, want, fmt.Sprintf("%#v", h))
	assert.Equal(t, strconv.Quote(want), fmt.Sprintf("%q", h))
	assert.Contains(t, outs["slog"], "Bearer")
	assert.Contains(t, outs["slog"], "1615227012")
	assert.Contains(t, Headers{}.String(), `AccessToken: ""`)
	assert.Contains(t, Headers{}.String(), `Client: ""`)
	assert.Equal(t, time.Date(2021, 3, 8, 18, 10, 12, 0, time.UTC), h.ExpiresAt())
	assert.True(t, Headers{}.ExpiresAt().IsZero())
	assert.False(t, Headers{}.Expired(time.Now(), time.Hour), "unknown expiry never counts as expired")
	assert.True(t, h.Expired(time.Now(), 0))
	raw, err := json.Marshal(h)
	require.NoError(t, err)
	assert.JSONEq(t, `{"access-token":"s3cr3t-token","token-type":"Bearer","client":"D-Uv3ER53873oLhnNLjL9w","expiry":1615227012,"uid":"api@local.net"}`, string(raw), "the store format keeps the values")
}

func TestOnlyFreshRequestsCarryNoHeaders(t *testing.T) {
	var seen []http.Header
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		h := w.Header()
		h["access-token"] = []string{"t" + strconv.Itoa(len(seen))}
		h["client"] = []string{"c"}
		h["uid"] = []string{"u"}
		h["expiry"] = []string{strconv.Itoa(100 + len(seen))}
	}))
	defer srv.Close()
	secrets := new(transport.Secrets)
	var tc *transport.Client
	sess := New(Config{Secrets: secrets, SignIn: func(ctx context.Context) error {
		_, err := tc.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/sign_in"})
		return err
	}})
	tc, _ = transport.New(transport.Config{BaseURL: srv.URL, Auth: sess.Transport, Secrets: secrets})
	require.NoError(t, sess.Do(t.Context(), func(ctx context.Context) error {
		_, err := tc.Do(ctx, &transport.Request{Path: "/x"})
		return err
	}))
	require.Len(t, seen, 2)
	assert.Empty(t, seen[0].Values(HeaderAccessToken), "the sign-in carries no old token")
	assert.Equal(t, []string{"t1"}, seen[1].Values(HeaderAccessToken))
	assert.Equal(t, []string{"c"}, seen[1].Values(HeaderClient))
	assert.Equal(t, []string{"u"}, seen[1].Values(HeaderUID))
	assert.Equal(t, []string{"Bearer"}, seen[1].Values(HeaderTokenType))
	assert.Empty(t, seen[1].Values(HeaderExpiry), "the server does not read expiry; it is not sent")
}

// TestReSignInsWarn: a warning is logged when re-sign-ins reach the
// threshold, and again at twice and four times it, never in between.
func TestReSignInsWarn(t *testing.T) {
	srv := newServer(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f := newFixture(t, srv, true, Config{WarnReSignIns: 2, Logger: logger})
	ctx := t.Context()
	require.NoError(t, f.get(ctx))
	var warnedAt []int64
	for range 8 {
		srv.revoke()
		before := strings.Count(logs.String(), "many sign-ins")
		require.NoError(t, f.get(ctx))
		if strings.Count(logs.String(), "many sign-ins") > before {
			warnedAt = append(warnedAt, f.sess.Stats().ReSignIns)
		}
	}
	assert.Equal(t, []int64{2, 4, 8}, warnedAt)
	assert.Contains(t, logs.String(), "device slots")
	assert.EqualValues(t, 9, f.sess.Stats().SignIns)
}
