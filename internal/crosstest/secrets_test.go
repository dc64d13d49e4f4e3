package crosstest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/internal/transport"
	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/signing"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// The credentials of the clients. They hold no character that a header
// cannot carry, so that the echoing servers below can send them back raw.
const (
	paruskazKey   = "pk_live_S3cr3tKey-7f1e9a0c"
	uchetToken    = "feedfacecafebeef0123456789abcdef"
	uztgsEmail    = "meter.reader@s3cret-utility.uz"
	uztgsPassword = "Pa55-w0rd_S3cr3t!x"
	trueapiToken  = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzM2NyM3QifQ.s3cr3tSignatureTrueAPI"
)

// secretsClient is one client's entry of the table.
type secretsClient struct {
	name string
	// secrets names the values that must never show, known beforehand.
	secrets map[string]string
	// setup returns what every server of the client is wrapped in (nil:
	// nothing), the path of the API root, and a function that returns
	// the secrets handed out while the test ran (uztgs: the tokens).
	setup func(t *testing.T) (wrap func(http.Handler) http.Handler, root string, issued func() []string)
	// call makes one request of the client against base.
	call func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error
	// known maps a secret's name to a client bug that shows it.
	known map[string]string
}

func secretsClients() []secretsClient {
	return []secretsClient{
		{
			name:    "paruskaz",
			secrets: map[string]string{"API key": paruskazKey},
			setup: func(*testing.T) (func(http.Handler) http.Handler, string, func() []string) {
				return nil, "/back/apikey/v1/", nil
			},
			call: func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
				c, err := paruskaz.New(paruskazKey, paruskaz.WithBaseURL(base), paruskaz.WithHTTPClient(hc), paruskaz.WithLogger(logger),
					paruskaz.WithChecksum(false), paruskaz.WithMaxRetries(1), paruskaz.WithRetryWait(time.Millisecond, 2*time.Millisecond))
				if err != nil {
					return err
				}
				ev := paruskaz.Event{BIN: "123456789012", OrgName: "Школа №1", Time: time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC), IIN: "123456789012", FIO: "Иванов Иван", Note: "корпус 1"}
				_, err = c.UploadSlice(ctx, []paruskaz.Event{ev})
				return err
			},
		},
		{
			name:    "uchet",
			secrets: map[string]string{"token": uchetToken},
			setup: func(*testing.T) (func(http.Handler) http.Handler, string, func() []string) {
				return nil, uchettest.APIPath, nil
			},
			call: func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
				c, err := uchet.New(uchetToken, uchet.WithBaseURL(base), uchet.WithHTTPClient(hc), uchet.WithLogger(logger),
					uchet.WithMaxRetries(1), uchet.WithRetryWait(time.Millisecond, 2*time.Millisecond))
				if err != nil {
					return err
				}
				_, err = c.UpdateStatus(ctx, uchettest.SeedBIN)
				return err
			},
		},
		{
			name:    "uztgs",
			secrets: map[string]string{"e-mail": uztgsEmail, "password": uztgsPassword},
			setup:   uztgsSecretsSetup,
			call: func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
				c, err := uztgs.New(uztgs.WithBaseURL(base), uztgs.WithPassword(uztgsEmail, uztgsPassword), uztgs.WithHTTPClient(hc),
					uztgs.WithLogger(logger), uztgs.WithSignOutOnClose(false),
					uztgs.WithMaxRetries(1), uztgs.WithRetryWait(time.Millisecond, 2*time.Millisecond))
				if err != nil {
					return err
				}
				for _, err := range c.Stations(ctx, uztgs.PageParams{PerPage: 5}) {
					if err != nil {
						return err
					}
				}
				return nil
			},
		},
		{
			name:    "trueapi",
			secrets: map[string]string{"bearer token": trueapiToken},
			setup: func(*testing.T) (func(http.Handler) http.Handler, string, func() []string) {
				return nil, trueapitest.APIPath, nil
			},
			call: func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
				// A 401 makes the client sign in; against these servers
				// the challenge fails, which is one more error path.
				signer := signing.SignerFunc(func(context.Context, []byte, signing.SignOptions) ([]byte, error) {
					return []byte("not a CMS"), nil
				})
				c, err := trueapi.New(signer, trueapi.WithToken(trueapiToken), trueapi.WithBaseURL(base), trueapi.WithHTTPClient(hc),
					trueapi.WithLogger(logger), trueapi.WithMaxRetries(1), trueapi.WithRetryWait(time.Millisecond, 2*time.Millisecond))
				if err != nil {
					return err
				}
				_, err = c.CisHistory(ctx, "010460620308463021&fl=9MY")
				return err
			},
		},
	}
}

// uztgsSecretsSetup puts a strict uztgstest fake in front of every server
// of the uztgs client: the fake signs the client in and rotates its token
// on every answer (each answer carries the fake's new token), and the
// tokens it hands out are kept, to be searched for like the password.
// Sign-in answers are the fake's own; other requests get the fake's auth
// headers and then the path's (hostile) answer.
func uztgsSecretsSetup(t *testing.T) (func(http.Handler) http.Handler, string, func() []string) {
	cfg := uztgstest.StrictConfig()
	cfg.Users = map[string]string{uztgsEmail: uztgsPassword}
	fake := uztgstest.NewServerWith(cfg)
	t.Cleanup(fake.Close)
	var (
		mu     sync.Mutex
		tokens []string
	)
	keep := func(h http.Header) {
		for _, name := range []string{"access-token", "Access-Token"} {
			for _, v := range h[name] {
				if v = strings.TrimSpace(v); v != "" {
					mu.Lock()
					tokens = append(tokens, v)
					mu.Unlock()
				}
			}
		}
	}
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			rec := httptest.NewRecorder()
			fake.Config.Handler.ServeHTTP(rec, r.Clone(r.Context()))
			keep(rec.Header())
			if strings.Contains(r.URL.Path, "/auth/") {
				for k, v := range rec.Header() {
					w.Header()[k] = v
				}
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
				return
			}
			for _, name := range []string{"access-token", "token-type", "client", "expiry", "uid"} {
				if v, ok := rec.Header()[name]; ok {
					w.Header()[name] = v
				}
			}
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			next.ServeHTTP(w, r)
		})
	}
	issued := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(tokens)
	}
	return wrap, uztgstest.APIPath + "/", issued
}

// echo returns everything a request carried on one line: method, URL,
// headers and body. Careless servers send such things back.
func echo(r *http.Request) string {
	body, _ := io.ReadAll(r.Body)
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(r.Method + " " + r.URL.String())
	for _, name := range names {
		b.WriteString(" | " + name + ": " + strings.Join(r.Header[name], ", "))
	}
	b.WriteString(" | body: " + string(body))
	return b.String()
}

// headerSafe keeps the printable ASCII of s, so that it can be a header
// value; the secrets above are printable ASCII and stay raw.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '_'
		}
		return r
	}, s)
}

// echoing answers with status, sending the request back in the request-id
// header and in the body, in every error shape the clients read.
func echoing(status int, invalidJSON bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e := echo(r)
		w.Header().Set("X-Request-Id", "rid "+headerSafe(e))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		q, _ := json.Marshal(e)
		if invalidJSON {
			_, _ = fmt.Fprintf(w, `{"data":[%s`, q)
			return
		}
		_, _ = fmt.Fprintf(w, `{"detail":{"code":"echo","message":%s},"errors":[%s],"message":%s,"error":%s}`, q, q, q, q)
	}
}

// slow answers nothing until the client gives up (or the test releases
// it, see released). It reads the body first: only then does net/http
// notice a client that hangs up.
func slow(_ http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

// secretsPath is one error path: how the server fails the client.
type secretsPath struct {
	name    string
	kind    error // the failure's kind; nil when the call may succeed
	tls     bool  // the server speaks TLS with a certificate the client does not trust
	dead    bool  // nothing listens
	timeout time.Duration
	ctxTime time.Duration
	serve   http.HandlerFunc
}

func secretsPaths() []secretsPath {
	return []secretsPath{
		{name: "dial failure", kind: transport.ErrTransport, dead: true},
		{name: "TLS failure", kind: transport.ErrTransport, tls: true, serve: echoing(http.StatusOK, false)},
		{name: "client timeout", kind: transport.ErrTransport, timeout: 150 * time.Millisecond, serve: slow},
		{name: "context deadline", kind: context.DeadlineExceeded, ctxTime: 150 * time.Millisecond, serve: slow},
		{name: "400 echo", kind: transport.ErrValidation, serve: echoing(http.StatusBadRequest, false)},
		{name: "401 echo", kind: transport.ErrUnauthorized, serve: echoing(http.StatusUnauthorized, false)},
		{name: "404 echo", kind: transport.ErrNotFound, serve: echoing(http.StatusNotFound, false)},
		{name: "500 echo", kind: transport.ErrServer, serve: echoing(http.StatusInternalServerError, false)},
		{name: "503 echo, retried", kind: transport.ErrServer, serve: echoing(http.StatusServiceUnavailable, false)},
		{name: "invalid JSON echo", serve: echoing(http.StatusOK, true)},
		{name: "2xx error body echo", serve: echoing(http.StatusOK, false)},
	}
}

// pipeHosts numbers the host names of the calls made over a
// fakekit.PipeServer, which answers whatever the host.
var pipeHosts atomic.Int64

// secretsCallOnce makes cl's call on path p against a server of its own on
// loopback (or against dead, where nothing listens), and returns its error.
func secretsCallOnce(t *testing.T, cl secretsClient, p secretsPath, dead, root string, wrap func(http.Handler) http.Handler, logger *slog.Logger) error {
	base := dead
	release := make(chan struct{}) // see released
	if !p.dead {
		srv := httptest.NewUnstartedServer(wrap(released(p.serve, release)))
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused TLS handshake is expected
		if p.tls {
			srv.StartTLS()
		} else {
			srv.Start()
		}
		defer srv.Close()
		base = srv.URL
	}
	tr := &http.Transport{}
	ctx, cancel := context.WithCancel(t.Context())
	err := cl.call(ctx, base+root, &http.Client{Transport: tr}, logger)
	cancel()
	close(release)
	tr.CloseIdleConnections()
	return err
}

// TestSecretsNeverShow registers the credentials of every client (the
// paruskaz API key, the uchet token, the uztgs e-mail and password and the
// rotating tokens its fake hands out), drives every error path with debug
// logging on into one shared log (a dial failure, a TLS failure, a client
// timeout, a context deadline, 4xx and 5xx answers that echo the request's
// URL, headers and body back in their body and in a request-id header,
// invalid JSON and a 2xx error body echoing the same), and then searches
// for each secret, in every spelling of echoEncodings, in err.Error(), %v,
// %+v and %#v, every error of the tree, the typed errors' fields (URL,
// RequestID, Message, Code, Body) and the whole log.
func TestSecretsNeverShow(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	for _, cl := range secretsClients() {
		t.Run(cl.name, func(t *testing.T) {
			// The clients run side by side, logging into the one buffer;
			// each searches the whole of it for its secrets when done.
			t.Parallel()
			wrap, root, issued := cl.setup(t)
			if wrap == nil {
				wrap = func(h http.Handler) http.Handler { return h }
			}
			var texts []shown
			for _, p := range secretsPaths() {
				var err error
				if p.timeout > 0 || p.ctxTime > 0 {
					// The paths that wait run in a synctest bubble over
					// in-memory connections: the bubble's clock ends the
					// wait, however loaded the machine.
					synctest.Test(t, func(t *testing.T) {
						release := make(chan struct{}) // see released
						srv := fakekit.NewPipeServer(wrap(released(p.serve, release)))
						defer srv.Close()
						ctx, cancel := context.WithCancel(t.Context())
						if p.ctxTime > 0 {
							ctx, cancel = context.WithTimeout(t.Context(), p.ctxTime)
						}
						// A host of its own: paruskaz's limiter is shared by
						// host, and the other path's call has used it.
						base := fmt.Sprintf("http://%s-%d.pipe.test", cl.name, pipeHosts.Add(1))
						err = cl.call(ctx, base+root, &http.Client{Transport: srv.Transport(), Timeout: p.timeout}, logger)
						cancel()
						close(release)
					})
				} else {
					err = secretsCallOnce(t, cl, p, dead, root, wrap, logger)
				}
				if p.kind != nil {
					require.Error(t, err, p.name)
					require.ErrorIs(t, err, p.kind, "%s: %v", p.name, err)
				}
				t.Logf("%s: %v", p.name, err)
				for _, s := range errorTexts(err) {
					texts = append(texts, shown{p.name + ": " + s.where, s.text})
				}
			}
			logText := logs.String()
			require.Contains(t, logText, "api="+cl.name, "the client logged its attempts")
			texts = append(texts, shown{"the shared debug log", logText})

			secrets := map[string]string{}
			for name, v := range cl.secrets {
				secrets[name] = v
			}
			if issued != nil {
				tokens := issued()
				require.NotEmpty(t, tokens, "the fake handed out tokens")
				t.Logf("%d tokens handed out by the fake are searched for too", len(tokens))
				for i, tok := range tokens {
					secrets[fmt.Sprintf("token %d handed out by the fake", i+1)] = tok
				}
			}
			knownShown := map[string]bool{}
			for name, secret := range secrets {
				for _, form := range secretForms(secret) {
					for _, s := range texts {
						if !strings.Contains(s.text, form) {
							continue
						}
						if _, known := cl.known[name]; known {
							knownShown[name] = true
							continue
						}
						// The text itself is not printed: it holds the secret.
						t.Errorf("%s shows the %s (spelled %s; the text is not printed)",
							s.where, name, formName(secret, form))
					}
				}
			}
			for _, name := range slices.Sorted(maps.Keys(cl.known)) {
				knownBug(t, knownShown[name], cl.known[name])
			}
		})
	}
}
