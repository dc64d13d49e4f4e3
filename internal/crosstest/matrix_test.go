package crosstest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
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

// The credentials of the matrix. Each holds the characters whose spelling
// differs between the encodings of echoEncodings (", \, /, <, >, &, ', +,
// a space and a Cyrillic letter), as far as its client lets it: the
// paruskaz key must be printable ASCII (the client refuses the rest), and
// the values that travel in a header hold no control character.
const (
	mxParuskazKey    = `pk "live"\key/<&>'+ s3cr3t`
	mxUchetToken     = `t0ken "uch"\et/<&>'+ Жs3cr3t`
	mxUztgsEmail     = `"o'b\"r/i<&>n+ Ж"@s3cret-utility.uz`
	mxUztgsPassword  = `Пароль "pa\ss"/<&>'+ s3cr3t`
	mxUztgsToken     = `acc3ss "tok"\en/<&>'+ Жs3cr3t`
	mxUztgsClient    = `cl1ent "id"\x/<&>'+ Жs3cr3t`
	mxTrueapiToken   = `bearer "tok"\en/<&>'+ Жs3cr3t`
	mxNCANodePass    = `nca "pa\ss"/<&>'+ Жs3cr3t`
	mxNCANodeKeyText = "MIIS3cr3t+NCANode/key+file/of+p12+bytes/Zm9v"
	mxControlSecret  = `control "tok"\en/<&>'+ Жs3cr3t`
)

// mxNCANodeKey is the PKCS#12 file handed to the NCANode signer; the signer
// sends it base64-encoded (with "+" and "/"), which is the secret searched for.
var mxNCANodeKey = func() []byte {
	b, err := base64.StdEncoding.DecodeString(mxNCANodeKeyText)
	if err != nil {
		panic(err)
	}
	return b
}()

// mxCase is one client, or one way a client sends its credentials, in the
// matrix.
type mxCase struct {
	name string
	// secrets names the values that must never show.
	secrets map[string]string
	// setup starts what the case needs besides the server of the path
	// (trueapi's NCANode case: an API that hands out a challenge). It
	// returns call, which makes one call of the client against base (the
	// server of the error path) with hc and logger.
	setup func(t *testing.T) func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error
	// known lists client bugs the matrix has found and that are not fixed.
	known []mxKnown
	// control marks the careless client that masks nothing: the matrix
	// must find its secret in every cell that echoes, in the cell's
	// encoding, which shows that the search can see every spelling.
	control bool
}

// mxKnown is a client bug found by the matrix and reported, not fixed
// here: a leak (leak matches it) or an error of the wrong kind (kind
// matches the cell and its error).
type mxKnown struct {
	bug  string
	leak func(l mxLeak) bool
	kind func(j *mxJob) bool
}

// The retry setting of every client of the matrix: one retry, at once.
const (
	mxMaxRetries = 1
	mxWaitMin    = time.Millisecond
	mxWaitMax    = 2 * time.Millisecond
)

// openschool has no credentials at all (the API is open), so it has no
// secret to leak and no row in the matrix.
func mxCases() []mxCase {
	return []mxCase{
		{
			name:    "paruskaz",
			secrets: map[string]string{"API key": mxParuskazKey},
			setup: func(*testing.T) func(context.Context, string, *http.Client, *slog.Logger) error {
				return func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
					c, err := paruskaz.New(mxParuskazKey, paruskaz.WithBaseURL(base+"/back/apikey/v1/"), paruskaz.WithHTTPClient(hc),
						paruskaz.WithLogger(logger), paruskaz.WithChecksum(false),
						paruskaz.WithMaxRetries(mxMaxRetries), paruskaz.WithRetryWait(mxWaitMin, mxWaitMax))
					if err != nil {
						return err
					}
					ev := paruskaz.Event{BIN: "123456789012", OrgName: "Школа №1", Time: time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC), IIN: "123456789012", FIO: "Иванов Иван"}
					_, err = c.UploadSlice(ctx, []paruskaz.Event{ev})
					return err
				}
			},
		},
		{
			name:    "uchet",
			secrets: map[string]string{"token": mxUchetToken},
			setup: func(*testing.T) func(context.Context, string, *http.Client, *slog.Logger) error {
				return func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
					c, err := uchet.New(mxUchetToken, uchet.WithBaseURL(base+uchettest.APIPath), uchet.WithHTTPClient(hc), uchet.WithLogger(logger),
						uchet.WithMaxRetries(mxMaxRetries), uchet.WithRetryWait(mxWaitMin, mxWaitMax))
					if err != nil {
						return err
					}
					_, err = c.UpdateStatus(ctx, uchettest.SeedBIN)
					return err
				}
			},
		},
		{
			// A session resumed from saved headers: every request carries
			// access-token, client and uid; a 401 makes the client sign in
			// with the e-mail and password.
			name: "uztgs session",
			secrets: map[string]string{"access-token": mxUztgsToken, "client": mxUztgsClient,
				"e-mail (uid)": mxUztgsEmail, "password": mxUztgsPassword},
			setup: func(*testing.T) func(context.Context, string, *http.Client, *slog.Logger) error {
				return func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
					h := uztgs.Headers{AccessToken: mxUztgsToken, TokenType: "Bearer", Client: mxUztgsClient,
						UID: mxUztgsEmail, Expiry: time.Now().Add(time.Hour).Unix()}
					return uztgsStations(ctx, base, hc, logger, uztgs.WithHeaders(h), uztgs.WithPassword(mxUztgsEmail, mxUztgsPassword))
				}
			},
		},
		{
			// No session yet: the first request is the sign-in.
			name:    "uztgs sign-in",
			secrets: map[string]string{"e-mail": mxUztgsEmail, "password": mxUztgsPassword},
			setup: func(*testing.T) func(context.Context, string, *http.Client, *slog.Logger) error {
				return func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
					return uztgsStations(ctx, base, hc, logger, uztgs.WithPassword(mxUztgsEmail, mxUztgsPassword))
				}
			},
		},
		{
			// A bearer token given up front; a 401 makes the client sign
			// in, and the challenge fails against the same server.
			name:    "trueapi bearer",
			secrets: map[string]string{"bearer token": mxTrueapiToken},
			setup: func(*testing.T) func(context.Context, string, *http.Client, *slog.Logger) error {
				return func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
					signer := signing.SignerFunc(func(context.Context, []byte, signing.SignOptions) ([]byte, error) {
						return []byte("not a CMS"), nil
					})
					c, err := trueapi.New(signer, trueapi.WithToken(mxTrueapiToken), trueapi.WithBaseURL(base+trueapitest.APIPath),
						trueapi.WithHTTPClient(hc), trueapi.WithLogger(logger),
						trueapi.WithMaxRetries(mxMaxRetries), trueapi.WithRetryWait(mxWaitMin, mxWaitMax))
					if err != nil {
						return err
					}
					_, err = c.CisHistory(ctx, "010460620308463021&fl=9MY")
					return err
				}
			},
		},
		{
			name:    "careless client (control)",
			secrets: map[string]string{"control secret": mxControlSecret},
			control: true,
			setup: func(*testing.T) func(context.Context, string, *http.Client, *slog.Logger) error {
				return carelessCall
			},
		},
		{
			// No token: the client signs in, and its NCANode signer sends
			// the key file and its password to the server of the path.
			name:    "trueapi NCANode",
			secrets: map[string]string{"NCANode password": mxNCANodePass, "key file (base64)": base64.StdEncoding.EncodeToString(mxNCANodeKey)},
			setup:   trueapiNCANodeSetup,
		},
	}
}

func uztgsStations(ctx context.Context, base string, hc *http.Client, logger *slog.Logger, creds ...uztgs.Option) error {
	opts := append(creds, uztgs.WithBaseURL(base+uztgstest.APIPath+"/"), uztgs.WithHTTPClient(hc), uztgs.WithLogger(logger),
		uztgs.WithSignOutOnClose(false), uztgs.WithRefreshBefore(-1),
		uztgs.WithMaxRetries(mxMaxRetries), uztgs.WithRetryWait(mxWaitMin, mxWaitMax))
	c, err := uztgs.New(opts...)
	if err != nil {
		return err
	}
	for _, err := range c.Stations(ctx, uztgs.PageParams{PerPage: 5}) {
		if err != nil {
			return err
		}
	}
	return nil
}

// carelessCall sends the control secret in a header and a JSON body and
// returns (and logs) everything the answer said, masking nothing.
func carelessCall(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
	body, err := json.Marshal(map[string]string{"secret": mxControlSecret})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/control", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("X-Control-Key", mxControlSecret)
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	data, rerr := io.ReadAll(resp.Body)
	id, loc := resp.Header.Get("X-Request-Id"), resp.Header.Get("Location")
	logger.Debug("careless answer", "status", resp.StatusCode, "request_id", id, "body", string(data))
	return fmt.Errorf("careless: %d: %s (request id %s, location %s, read error %v)", resp.StatusCode, data, id, loc, rerr)
}

// trueapiNCANodeSetup starts a True API that answers auth/key with a
// challenge (and nothing else), so that every call signs in through an
// NCANode signer whose service is the server of the error path.
func trueapiNCANodeSetup(t *testing.T) func(context.Context, string, *http.Client, *slog.Logger) error {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/auth/key") {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"uuid":"7f0a2c1e-challenge","data":"MATRIXCHALLENGE"}`)
			return
		}
		http.Error(w, "the matrix's True API only hands out challenges", http.StatusTeapot)
	}))
	t.Cleanup(api.Close)
	fast := signing.NCANodeOption(func(c *transport.Config, _ *signing.NCANodeSigner) {
		c.SetMaxRetries(mxMaxRetries)
		c.RetryWaitMin, c.RetryWaitMax = mxWaitMin, mxWaitMax
	})
	return func(ctx context.Context, base string, hc *http.Client, logger *slog.Logger) error {
		signer, err := signing.NewNCANodeSigner(base, mxNCANodeKey, mxNCANodePass,
			signing.WithNCANodeHTTPClient(hc), signing.WithNCANodeLogger(logger), fast)
		if err != nil {
			return err
		}
		// A transport per call, without idle connections: a call may run
		// in a synctest bubble, whose connections no other call may share
		// and where a goroutine reading an idle socket would keep the
		// bubble's clock still.
		apiTransport := &http.Transport{DisableKeepAlives: true}
		c, err := trueapi.New(signer, trueapi.WithBaseURL(api.URL+trueapitest.APIPath), trueapi.WithHTTPClient(&http.Client{Transport: apiTransport}),
			trueapi.WithLogger(logger), trueapi.WithMaxRetries(mxMaxRetries), trueapi.WithRetryWait(mxWaitMin, mxWaitMax))
		if err != nil {
			return err
		}
		_, err = c.CisHistory(ctx, "010460620308463021&fl=9MY")
		return err
	}
}

// mxPath is one error path of the matrix.
type mxPath struct {
	name string
	kind error // the sentinel the error must match; nil: none asked
	fail bool  // the call must fail
	// once: the server cannot echo (nothing listens, the TLS handshake
	// fails, it answers nothing): the path runs once, not per encoding.
	once    bool
	dead    bool
	tls     bool
	timeout time.Duration // http.Client.Timeout
	ctxTime time.Duration // context deadline
	// serve answers a request whose values (requestValues), each printed
	// in the cell's encoding, are parts, in a body of the given shape.
	serve func(w http.ResponseWriter, r *http.Request, parts []string, shape string)
	// shapes are the body shapes the path is run with (nil: all).
	shapes []string
}

// mxShapes are the shapes of an echoing answer's body: a JSON error body
// with the echo in every member the clients read as code or message, an
// XML error (True API's 401 shape), an HTML page and plain text.
var mxShapes = []string{"json", "xml", "html", "text"}

// mxTimeout is the client timeout and context deadline of the paths that
// hang; the server waits for the client to hang up (or for the call to
// return, see released), so nothing races.
const mxTimeout = 100 * time.Millisecond

func mxPaths() []mxPath {
	answer := func(status int) func(http.ResponseWriter, *http.Request, []string, string) {
		return func(w http.ResponseWriter, _ *http.Request, parts []string, shape string) {
			mxWrite(w, status, parts, shape, false)
		}
	}
	return []mxPath{
		{name: "dial failure", kind: transport.ErrTransport, fail: true, once: true, dead: true},
		{name: "TLS failure", kind: transport.ErrTransport, fail: true, once: true, tls: true, serve: answer(http.StatusOK)},
		{name: "client timeout before headers", kind: transport.ErrTransport, fail: true, once: true, timeout: mxTimeout, serve: mxHang},
		{name: "context deadline before headers", kind: context.DeadlineExceeded, fail: true, once: true, ctxTime: mxTimeout, serve: mxHang},
		{name: "400", kind: transport.ErrValidation, fail: true, serve: answer(http.StatusBadRequest)},
		{name: "401", kind: transport.ErrUnauthorized, fail: true, serve: answer(http.StatusUnauthorized)},
		// Every status is read by the same code: the body shapes run on
		// 400, 401, 307 and 200; 404, 500 and 503 (retried) answer JSON.
		{name: "404", kind: transport.ErrNotFound, fail: true, shapes: []string{"json"}, serve: answer(http.StatusNotFound)},
		{name: "500", kind: transport.ErrServer, fail: true, shapes: []string{"json"}, serve: answer(http.StatusInternalServerError)},
		{name: "503 retried", kind: transport.ErrServer, fail: true, shapes: []string{"json"}, serve: answer(http.StatusServiceUnavailable)},
		{name: "307 to another host", kind: transport.ErrRedirect, fail: true,
			serve: func(w http.ResponseWriter, _ *http.Request, parts []string, shape string) {
				loc := "http://redirect.invalid/next"
				if q := "?echo=" + strings.Join(parts, "&echo="); mxHeaderSafe(q) {
					loc += q
				}
				w.Header().Set("Location", loc)
				mxWrite(w, http.StatusTemporaryRedirect, parts, shape, false)
			}},
		// XML, HTML and text answers with 200 are "200 error body".
		{name: "200 invalid JSON", shapes: []string{"json"}, serve: func(w http.ResponseWriter, _ *http.Request, parts []string, shape string) {
			mxWrite(w, http.StatusOK, parts, shape, true)
		}},
		{name: "200 error body", serve: answer(http.StatusOK)},
		// The answer's headers (with the echoed request id) and the start
		// of its body arrive, then nothing: the body breaks off.
		{name: "client timeout in body", fail: true, timeout: mxTimeout, shapes: []string{"json"},
			serve: func(w http.ResponseWriter, r *http.Request, parts []string, shape string) {
				mxWrite(w, http.StatusOK, parts, shape, true)
				w.(http.Flusher).Flush()
				mxHang(w, r, nil, "")
			}},
		{name: "context deadline in body", kind: context.DeadlineExceeded, fail: true, ctxTime: mxTimeout, shapes: []string{"json"},
			serve: func(w http.ResponseWriter, r *http.Request, parts []string, shape string) {
				mxWrite(w, http.StatusOK, parts, shape, true)
				w.(http.Flusher).Flush()
				mxHang(w, r, nil, "")
			}},
	}
}

// mxHang answers nothing (more) until the client hangs up (or the test
// releases it, see released); the request's
// body was read (requestValues), so net/http notices the hang-up.
func mxHang(_ http.ResponseWriter, r *http.Request, _ []string, _ string) {
	<-r.Context().Done()
}

// mxHeaderSafe reports whether v can be sent as a header value unchanged.
func mxHeaderSafe(v string) bool {
	if v != strings.TrimSpace(v) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] == 0x7f {
			return false
		}
	}
	return true
}

// mxWrite answers with status and a body of the given shape that echoes
// parts; the request-id header echoes them too when they fit in a header.
// broken cuts a JSON body short (invalid JSON).
func mxWrite(w http.ResponseWriter, status int, parts []string, shape string, broken bool) {
	echo := "echo: " + strings.Join(parts, " | ")
	if id := "rid " + strings.Join(parts, " "); mxHeaderSafe(id) {
		w.Header().Set("X-Request-Id", id)
	}
	var body string
	switch shape {
	case "json":
		// The message members hold the echo as a JSON string (they decode
		// to the parts as printed); "echo" holds the parts that are
		// themselves valid inside a JSON string as written.
		m, _ := json.Marshal(echo)
		var lits []string
		for _, p := range parts {
			if json.Valid([]byte(`"` + p + `"`)) {
				lits = append(lits, `"`+p+`"`)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if broken {
			body = fmt.Sprintf(`{"data":[%s,%s`, m, strings.Join(lits, ","))
			break
		}
		body = fmt.Sprintf(`{"detail":{"code":%s,"message":%s},"errors":[%s],"message":%s,"error":%s,"error_message":%s,"status":400,"echo":[%s]}`,
			m, m, m, m, m, m, strings.Join(lits, ","))
	case "xml":
		var x strings.Builder
		_ = xml.EscapeText(&x, []byte(echo))
		w.Header().Set("Content-Type", "application/xml")
		body = `<?xml version="1.0" encoding="UTF-8"?><error><error>` + x.String() + `</error><error_description>` + x.String() + `</error_description></error>`
	case "html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		body = "<!DOCTYPE html><html><head><title>" + strconv.Itoa(status) + "</title></head><body><h1>" + http.StatusText(status) + "</h1><p>" + echo + "</p></body></html>"
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		body = echo + "\n"
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// mxDull are the request headers that carry no credential.
var mxDull = []string{"Accept", "Accept-Encoding", "Content-Length", "Content-Type", "Token-Type", "User-Agent"}

// requestValues returns what a request carried, decoded: its header
// values (the credential of an Authorization header without its scheme),
// its query values and the strings of its JSON body. A careless server
// prints such values back one by one.
func requestValues(r *http.Request) []string {
	var vals []string
	add := func(v string) {
		if strings.TrimSpace(v) != "" && !slices.Contains(vals, v) {
			vals = append(vals, v)
		}
	}
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if slices.Contains(mxDull, name) {
			continue
		}
		for _, v := range r.Header[name] {
			if name == "Authorization" {
				if _, cred, ok := strings.Cut(v, " "); ok {
					v = cred
				}
			}
			add(v)
		}
	}
	q := r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range q[k] {
			add(v)
		}
	}
	body, _ := io.ReadAll(r.Body)
	var doc any
	if json.Unmarshal(body, &doc) == nil {
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				add(v)
			case []any:
				for _, e := range v {
					walk(e)
				}
			case map[string]any:
				keys := make([]string, 0, len(v))
				for k := range v {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					walk(v[k])
				}
			}
		}
		walk(doc)
	}
	return vals
}

// mxJob is one cell of the matrix: one call of one case on one path, the
// server echoing in one encoding and shape.
type mxJob struct {
	id    int
	c     *mxCase
	call  func(context.Context, string, *http.Client, *slog.Logger) error
	p     mxPath
	enc   echoEncoding // zero for a path that runs once
	shape string
	dead  string

	err    error
	took   time.Duration
	logs   *syncBuffer     // read when all cells are done, late lines included
	echoed map[string]bool // the case's secrets the server printed back
}

// hangs reports whether the job's server answers nothing until the
// client gives up: such a job runs inside a synctest bubble.
func (j *mxJob) hangs() bool { return j.p.timeout > 0 || j.p.ctxTime > 0 }

func (j *mxJob) label() string {
	s := j.p.name
	if j.enc.name != "" {
		s += " / " + j.enc.name + " / " + j.shape
	}
	return s
}

// run makes the job's call against its own server (its own port: paruskaz
// limits requests per host and port) with its own transport and log.
func (j *mxJob) run(ctx context.Context) {
	start := time.Now()
	defer func() { j.took = time.Since(start) }()
	var mu sync.Mutex
	echoed := map[string]bool{}
	release := make(chan struct{}) // see released

	addr := strings.TrimPrefix(j.dead, "http://")
	var pipe *fakekit.PipeServer
	if !j.p.dead {
		h := released(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			vals := requestValues(r)
			parts := make([]string, len(vals))
			for i, v := range vals {
				parts[i] = v
				if j.enc.encode != nil {
					parts[i] = j.enc.encode(v)
				}
			}
			mu.Lock()
			for name, secret := range j.c.secrets {
				if slices.Contains(vals, secret) {
					echoed[name] = true
				}
			}
			mu.Unlock()
			j.p.serve(w, r, parts, j.shape)
		}), release)
		if j.hangs() {
			// Run inside a synctest bubble (see TestSecretEchoMatrix): the
			// bubble's clock ends the wait, however loaded the machine.
			pipe = fakekit.NewPipeServer(h)
			defer pipe.Close()
		} else {
			srv := httptest.NewUnstartedServer(h)
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused TLS handshake is expected
			if j.p.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			addr = srv.Listener.Addr().String()
		}
	}
	// The cell's host name is its own, whatever port the system hands
	// out: paruskaz's 2 requests/s limiter is shared by host and port,
	// and a port used again by a later cell would share its wait.
	scheme := "http"
	if j.p.tls {
		scheme = "https"
	}
	// The number after the cell's makes the host new in every run of the
	// test (go test -count): a limiter of an earlier run, made in another
	// synctest bubble, is never met again.
	base := fmt.Sprintf("%s://cell%d-%d.matrix.test", scheme, j.id, pipeHosts.Add(1))
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var tr http.RoundTripper = &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	if pipe != nil {
		tr = pipe.Transport()
	}
	cctx, cancel := context.WithCancel(ctx)
	if j.p.ctxTime > 0 {
		cctx, cancel = context.WithTimeout(ctx, j.p.ctxTime)
	}
	hc := &http.Client{Transport: tr, Timeout: j.p.timeout}
	j.err = j.call(cctx, base, hc, logger)
	cancel()
	close(release)
	hc.CloseIdleConnections()
	j.logs = &logs
	mu.Lock()
	defer mu.Unlock()
	j.echoed = maps.Clone(echoed)
}

// mxLeak is a secret found where it must not be.
type mxLeak struct {
	cse, path, enc, shape string
	where                 string // err.Error(), a field of a typed error, the debug log
	secret                string // the secret's name
	form                  string // the encodings that spell it as found
}

func (l mxLeak) String() string {
	cell := l.path
	if l.enc != "" {
		cell += ", server echoing " + l.enc + " in a " + l.shape + " body and the request id"
	}
	return fmt.Sprintf("%s: %s: the %s shows in %s, spelled %s", l.cse, cell, l.secret, l.where, l.form)
}

// TestSecretEchoMatrix drives, for every client that has a secret, every
// error path of TestSecretsNeverShow (plus a redirect to another host and
// bodies that break off after the headers) with the server printing back
// every value the request carried (headers, the bearer credential, query
// values, the strings of a JSON body), in each encoding of echoEncodings
// in turn: in the body (a JSON error body in every member the clients read
// as code or message, an XML error, an HTML page, plain text), in the
// request-id header and, for the redirect, in the Location. The secrets
// hold the characters whose spellings differ between the encodings. Every
// spelling of every secret is then searched for in Error(), %v, %+v and
// %#v of the error and of every error of its tree, the typed errors'
// fields (URL, Code, Message, RequestID, Body, Location, Err) and the
// client's debug log. openschool has no credentials and no row.
//
// Each cell has its own server, transport and log, so the cells run side
// by side and a leak names its cell.
func TestSecretEchoMatrix(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	cases := mxCases()
	type caseJobs struct {
		c    *mxCase
		jobs []*mxJob
	}
	var all []caseJobs
	var queue []*mxJob
	for i := range cases {
		c := &cases[i]
		call := c.setup(t)
		cj := caseJobs{c: c}
		for _, p := range mxPaths() {
			if p.once {
				cj.jobs = append(cj.jobs, &mxJob{c: c, call: call, p: p, dead: dead})
				continue
			}
			shapes := p.shapes
			if shapes == nil {
				shapes = mxShapes
			}
			for _, enc := range echoEncodings {
				for _, shape := range shapes {
					cj.jobs = append(cj.jobs, &mxJob{c: c, call: call, p: p, enc: enc, shape: shape, dead: dead})
				}
			}
		}
		queue = append(queue, cj.jobs...)
		all = append(all, cj)
	}
	t.Logf("%d cells: %d cases (6 clients' credentials and the control) × %d paths; %d encodings × up to %d shapes on the paths that echo",
		len(queue), len(cases), len(mxPaths()), len(echoEncodings), len(mxShapes))

	// The cells mostly wait (timeouts, paruskaz's 2 requests/s on its
	// retries), so many run at once. The cells whose address is dead run
	// first, before any server of the matrix could be handed its port.
	runAll := func(jobs []*mxJob) {
		work := make(chan *mxJob)
		var wg sync.WaitGroup
		for range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range work {
					j.run(t.Context())
				}
			}()
		}
		for _, j := range jobs {
			work <- j
		}
		close(work)
		wg.Wait()
	}
	for i, j := range queue {
		j.id = i
	}
	isDead := func(j *mxJob) bool { return j.p.dead }
	runAll(slices.DeleteFunc(slices.Clone(queue), func(j *mxJob) bool { return !isDead(j) }))
	runAll(slices.DeleteFunc(slices.Clone(queue), func(j *mxJob) bool { return isDead(j) || j.hangs() }))
	// The cells that wait for a timeout run one by one, each in a synctest
	// bubble over in-memory connections, on the bubble's clock.
	for _, j := range queue {
		if j.hangs() {
			synctest.Test(t, func(t *testing.T) { j.run(t.Context()) })
		}
	}

	for _, cj := range all {
		t.Run(cj.c.name, func(t *testing.T) {
			c := cj.c
			// Every secret was printed back in every encoding somewhere:
			// the search below is not searching for what never came.
			for name := range c.secrets {
				for _, enc := range echoEncodings {
					echoed := false
					for _, j := range cj.jobs {
						echoed = echoed || (j.enc.name == enc.name && j.echoed[name])
					}
					require.True(t, echoed, "the server printed back the %s in %s", name, enc.name)
				}
			}
			var leaks []mxLeak
			reproduced := make([]bool, len(c.known))
			for _, j := range cj.jobs {
				if j.took > 2*time.Second {
					t.Logf("SLOW %s took %v: %s", j.label(), j.took, mxMaskAll(c, j.err))
				}
				if j.p.fail {
					require.Error(t, j.err, j.label())
				}
				if j.p.kind != nil && !c.control && !errors.Is(j.err, j.p.kind) {
					knownKind := false
					for i, k := range c.known {
						if k.kind != nil && k.kind(j) {
							reproduced[i], knownKind = true, true
						}
					}
					if !knownKind {
						t.Errorf("%s: the error does not match %v: %s", j.label(), j.p.kind, mxMaskAll(c, j.err))
					}
				}
				errTexts := errorTexts(j.err)
				texts := append(slices.Clip(errTexts), shown{"the debug log", j.logs.String()})
				var cell []mxLeak
				for name, secret := range c.secrets {
					for _, f := range secretFormsNamed(secret) {
						for _, s := range texts {
							if strings.Contains(s.text, f.text) {
								cell = append(cell, mxLeak{cse: c.name, path: j.p.name, enc: j.enc.name, shape: j.shape,
									where: s.where, secret: name, form: strings.Join(f.encodings, "/")})
							}
						}
					}
				}
				echoing := !j.p.once && j.p.timeout == 0 && j.p.ctxTime == 0 && len(j.echoed) > 0
				if c.control {
					if echoing && !slices.ContainsFunc(cell, func(l mxLeak) bool { return slices.Contains(strings.Split(l.form, "/"), j.enc.name) }) {
						t.Errorf("control: %s: the search did not find the careless client's secret spelled %s", j.label(), j.enc.name)
					}
					continue
				}
				if echoing && j.err != nil && !slices.ContainsFunc(errTexts, func(s shown) bool { return strings.Contains(s.text, transport.Mask) }) {
					// The echo reached the error and was masked there, so
					// the search above looked where the secret would be.
					t.Errorf("%s: the error shows no %s: the echoed secret did not reach it", j.label(), transport.Mask)
				}
				leaks = append(leaks, cell...)
			}
			for _, l := range leaks {
				knownLeak := false
				for i, k := range c.known {
					if k.leak != nil && k.leak(l) {
						reproduced[i], knownLeak = true, true
					}
				}
				if !knownLeak {
					// The text itself is not printed: it holds the secret.
					t.Errorf("leak: %s", l)
				}
			}
			for i, k := range c.known {
				t.Run(fmt.Sprintf("known bug %d", i+1), func(t *testing.T) {
					knownBug(t, reproduced[i], k.bug)
				})
			}
		})
	}
}

// mxMaskAll returns err's text with every spelling of the case's secrets
// masked, for failure messages.
func mxMaskAll(c *mxCase, err error) string {
	if err == nil {
		return "<nil>"
	}
	s := err.Error()
	for _, secret := range c.secrets {
		for _, f := range secretFormsNamed(secret) {
			s = strings.ReplaceAll(s, f.text, "<secret>")
		}
	}
	return s
}

// TestSecretEchoEdges covers echoes that the matrix's search cannot see,
// because what shows is not one of the spellings of echoEncodings:
//
//   - a redirect whose Location holds the request's values in its path:
//     the URL is printed again with its path escaped as a path, not as a
//     segment ("/" kept, so neither path- nor query-escaped);
//   - a secret cut in two by a length limit: 290 bytes of padding before
//     it (True API keeps the first 300 bytes of a text error as the
//     message) and 64 KiB less 10 bytes (the error body kept in
//     Error.Body is 64 KiB): what is cut off is masked nowhere, and the
//     part before the cut is searched for (its first 6 bytes or more).
func TestSecretEchoEdges(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	run := func(t *testing.T, c *mxCase, serve http.HandlerFunc) []shown {
		srv := httptest.NewServer(serve)
		defer srv.Close()
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		err := c.setup(t)(t.Context(), srv.URL, &http.Client{Transport: tr}, logger)
		require.Error(t, err)
		return errorTexts(err)
	}
	var cases []*mxCase
	for _, c := range mxCases() {
		if !c.control {
			cases = append(cases, &c)
		}
	}

	t.Run("Location path", func(t *testing.T) {
		var leaking []string
		for _, c := range cases {
			texts := run(t, c, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", "http://redirect.invalid/echo/"+strings.Join(requestValues(r), "/")+"/end")
				w.WriteHeader(http.StatusTemporaryRedirect)
			})
			for name, secret := range c.secrets {
				spelled := (&url.URL{Path: secret}).EscapedPath()
				for _, s := range texts {
					if strings.Contains(s.text, spelled) || slices.ContainsFunc(secretForms(secret), func(f string) bool { return strings.Contains(s.text, f) }) {
						leaking = append(leaking, fmt.Sprintf("%s: the %s in %s", c.name, name, s.where))
						break
					}
				}
			}
		}
		t.Logf("%d leaks: %s", len(leaking), strings.Join(leaking, "; "))
		// redactLocation prints the URL again, escaping the path as a
		// path ("/" kept): a form the registry now holds.
		require.Empty(t, leaking, "a secret in a redirect's Location path")
	})

	for _, pad := range []int{290, 64<<10 - 10} {
		t.Run(fmt.Sprintf("secret cut after %d bytes", pad), func(t *testing.T) {
			var leaking []string
			for _, c := range cases {
				for name, secret := range c.secrets {
					// The secret alone straddles the cut, when the request
					// carried it (the uztgs password travels only in a
					// sign-in, which these answers do not reach).
					var carried atomic.Bool
					texts := run(t, c, func(w http.ResponseWriter, r *http.Request) {
						vals := requestValues(r)
						echo := strings.Join(vals, " ")
						if slices.Contains(vals, secret) {
							carried.Store(true)
							echo = secret + " and more"
						}
						w.Header().Set("Content-Type", "text/plain")
						w.WriteHeader(http.StatusBadRequest)
						_, _ = io.WriteString(w, strings.Repeat("x", pad)+echo)
					})
					if !carried.Load() {
						continue
					}
					for _, s := range texts {
						if strings.Contains(s.text, secret[:6]) {
							leaking = append(leaking, fmt.Sprintf("%s: the start of the %s in %s", c.name, name, s.where))
							break
						}
					}
				}
			}
			t.Logf("%d leaks: %s", len(leaking), strings.Join(leaking, "; "))
			// Secrets are masked before any cut: trueapi's 300-byte
			// message and the 64 KiB Error.Body never hold part of one.
			require.Empty(t, leaking, "the start of a secret cut off at %d bytes", pad)
		})
	}
}
