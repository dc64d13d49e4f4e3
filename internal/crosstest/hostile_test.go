package crosstest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/internal/transport"
	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/signing"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// hostileCap is the response cap the clients get here (WithMaxResponseBytes;
// paruskaz has no option and caps at 1 MiB itself).
const hostileCap = 1 << 20

// hostileSlack is what a call may allocate besides the capped body: one
// read chunk, net/http's buffers and the decoders.
const hostileSlack = 1 << 20

// jsonish is 32 KiB of "0,0,0,…", written again and again by the endless
// answers without allocating.
var jsonish = bytes.Repeat([]byte("0,"), 16<<10)

// hostileRow is one hostile answer to the client's data request.
type hostileRow struct {
	name   string
	status int   // the status the answer carries
	kind   error // the sentinel the failure must match
	big    bool  // the answer is far over the cap: allocations are checked
	serve  http.HandlerFunc
}

func hostileRows() []hostileRow {
	fixed := func(status int, contentType, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	endless := func(status int, contentType, head string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(head))
			for {
				if _, err := w.Write(jsonish); err != nil {
					return // the client hung up
				}
			}
		}
	}
	return []hostileRow{
		{name: "endless body", status: 200, kind: transport.ErrTooLarge, big: true,
			serve: endless(http.StatusOK, "application/json", `{"data":[`)},
		{name: "1 GB body", status: 200, kind: transport.ErrTooLarge, big: true,
			serve: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", strconv.Itoa(1<<30))
				w.WriteHeader(http.StatusOK)
				for n := 0; n < 1<<30; n += len(jsonish) {
					if _, err := w.Write(jsonish); err != nil {
						return
					}
				}
			}},
		{name: "endless 503 error page", status: 503, kind: transport.ErrTooLarge, big: true,
			serve: endless(http.StatusServiceUnavailable, "text/html", "<html><body>")},
		{name: "HTML error page with status 200", status: 200, kind: transport.ErrDecode,
			serve: fixed(http.StatusOK, "text/html; charset=utf-8",
				"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n")},
		{name: "wrong content type", status: 200, kind: transport.ErrDecode,
			serve: fixed(http.StatusOK, "image/png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")},
		{name: "invalid JSON", status: 200, kind: transport.ErrDecode,
			serve: fixed(http.StatusOK, "application/json", `{"data":[{"id":1,"name":"x"},`)},
		{name: "JSON of the wrong shape", status: 200, kind: transport.ErrDecode,
			serve: fixed(http.StatusOK, "application/json", `[1,2,3]`)},
		{name: "JSON without the expected fields", status: 200, kind: transport.ErrDecode,
			serve: fixed(http.StatusOK, "application/json", `{"error":"maintenance","status":"down"}`)},
		{name: "401 without a body", status: 401, kind: transport.ErrUnauthorized,
			serve: fixed(http.StatusUnauthorized, "", "")},
	}
}

// hostileClient is one client's entry of the table.
type hostileClient struct {
	name string
	// setup returns what the hostile answer is wrapped in (nil: nothing)
	// and the path of the API root on the server.
	setup func(t *testing.T) (wrap func(http.Handler) http.Handler, root string)
	// call makes one data request of the client against base.
	call func(ctx context.Context, base string, hc *http.Client) error
	// asError reads the package's *Error out of a failure.
	asError func(err error) (*transport.Error, bool)
	// known maps a row to a client bug that makes it fail: see knownBug.
	known map[string]string
}

func hostileClients() []hostileClient { return hostileClientsCapped(hostileCap) }

// hostileClientsCapped is hostileClients with the given response cap;
// 0 leaves each client's default.
func hostileClientsCapped(limit int64) []hostileClient {
	return []hostileClient{
		{
			name:  "openschool",
			setup: func(*testing.T) (func(http.Handler) http.Handler, string) { return nil, "" },
			call: func(ctx context.Context, base string, hc *http.Client) error {
				c, err := openschool.New(openschool.WithBaseURL(base), openschool.WithHTTPClient(hc), openschool.WithMaxResponseBytes(limit),
					openschool.WithMaxRetries(1), openschool.WithRetryWait(time.Millisecond, 2*time.Millisecond))
				if err != nil {
					return err
				}
				_, err = c.Regions(ctx)
				return err
			},
			asError: func(err error) (*transport.Error, bool) { var e *openschool.Error; return e, errors.As(err, &e) },
		},
		{
			name: "uztgs",
			// Signing in goes to a real fake; the data request meets the
			// hostile answer.
			setup: func(t *testing.T) (func(http.Handler) http.Handler, string) {
				fake := uztgstest.NewServer()
				t.Cleanup(fake.Close)
				return func(h http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if strings.Contains(r.URL.Path, "/auth/") {
							fake.Config.Handler.ServeHTTP(w, r)
							return
						}
						h.ServeHTTP(w, r)
					})
				}, uztgstest.APIPath + "/"
			},
			call: func(ctx context.Context, base string, hc *http.Client) error {
				c, err := uztgs.New(uztgs.WithBaseURL(base), uztgs.WithPassword(uztgstest.DefaultEmail, uztgstest.DefaultPassword),
					uztgs.WithHTTPClient(hc), uztgs.WithMaxResponseBytes(limit),
					uztgs.WithMaxRetries(1), uztgs.WithRetryWait(time.Millisecond, 2*time.Millisecond), uztgs.WithSignOutOnClose(false))
				if err != nil {
					return err
				}
				for _, err := range c.Stations(ctx, uztgs.PageParams{}) {
					if err != nil {
						return err
					}
				}
				return nil
			},
			asError: func(err error) (*transport.Error, bool) { var e *uztgs.Error; return e, errors.As(err, &e) },
		},
		{
			name:  "uchet",
			setup: func(*testing.T) (func(http.Handler) http.Handler, string) { return nil, uchettest.APIPath },
			call: func(ctx context.Context, base string, hc *http.Client) error {
				c, err := uchet.New(uchettest.DefaultToken, uchet.WithBaseURL(base), uchet.WithHTTPClient(hc), uchet.WithMaxResponseBytes(limit),
					uchet.WithMaxRetries(1), uchet.WithRetryWait(time.Millisecond, 2*time.Millisecond))
				if err != nil {
					return err
				}
				_, err = c.UpdateStatus(ctx, uchettest.SeedBIN)
				return err
			},
			asError: func(err error) (*transport.Error, bool) { var e *uchet.Error; return e, errors.As(err, &e) },
		},
		{
			name: "paruskaz",
			// Each row has a server, so a host and a rate limiter, of its own.
			setup: func(*testing.T) (func(http.Handler) http.Handler, string) { return nil, "/back/apikey/v1/" },
			call: func(ctx context.Context, base string, hc *http.Client) error {
				c, err := paruskaz.New("hostile-test-key", paruskaz.WithBaseURL(base), paruskaz.WithHTTPClient(hc), paruskaz.WithChecksum(false), paruskaz.WithMaxResponseBytes(limit),
					paruskaz.WithMaxRetries(1), paruskaz.WithRetryWait(time.Millisecond, 2*time.Millisecond))
				if err != nil {
					return err
				}
				ev := paruskaz.Event{BIN: "123456789012", OrgName: "Школа №1", Time: time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC), IIN: "123456789012", FIO: "Иванов Иван"}
				res, err := c.UploadSlice(ctx, []paruskaz.Event{ev})
				if err == nil && res.Delivered != 1 {
					return fmt.Errorf("no error, yet %d of 1 event delivered", res.Delivered)
				}
				if err != nil && (res.Delivered != 0 || len(res.Pending) != 1) {
					return fmt.Errorf("%w; and the result does not add up: %+v", err, res)
				}
				return err
			},
			asError: func(err error) (*transport.Error, bool) { var e *paruskaz.Error; return e, errors.As(err, &e) },
		},
		{
			name:  "trueapi",
			setup: func(*testing.T) (func(http.Handler) http.Handler, string) { return nil, trueapitest.APIPath },
			call: func(ctx context.Context, base string, hc *http.Client) error {
				// A token from earlier: the data request is the first
				// request; a 401 makes the client sign in, which fails here.
				signer := signing.SignerFunc(func(context.Context, []byte, signing.SignOptions) ([]byte, error) {
					return nil, errors.New("no key in this test")
				})
				c, err := trueapi.New(signer, trueapi.WithToken("hostile-test-token"), trueapi.WithBaseURL(base), trueapi.WithHTTPClient(hc),
					trueapi.WithMaxResponseBytes(limit), trueapi.WithMaxRetries(1), trueapi.WithRetryWait(time.Millisecond, 2*time.Millisecond))
				if err != nil {
					return err
				}
				_, err = c.CisHistory(ctx, "010460620308463021&fl=9MY")
				return err
			},
			asError: func(err error) (*transport.Error, bool) { var e *trueapi.Error; return e, errors.As(err, &e) },
		},
	}
}

// TestHostileAnswers sends each client's data request to servers that
// answer it in hostile ways: an endless body, a 1 GB body, an endless
// error page, an HTML error page with status 200, a wrong content type,
// invalid JSON, JSON of another shape, JSON without the expected members
// and a 401 without a body. Each must give a typed error (errors.As to the
// package's *Error, errors.Is to the right sentinel) that holds the status
// and, for what did not decode, the start of the body; the oversized
// answers must be cut at the cap, so that the call allocates no more than
// the cap and some slack; and after each client's table no goroutine may
// be left behind.
func TestHostileAnswers(t *testing.T) {
	for _, cl := range hostileClients() {
		t.Run(cl.name, func(t *testing.T) {
			fakekit.CheckLeaks(t)
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			wrap, root := cl.setup(t)
			for _, row := range hostileRows() {
				t.Run(row.name, func(t *testing.T) {
					var h http.Handler = row.serve
					if wrap != nil {
						h = wrap(h)
					}
					srv := httptest.NewServer(h)
					defer srv.Close()
					defer tr.CloseIdleConnections()
					ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
					defer cancel()

					allocated, err := allocatedDuring(func() error { return cl.call(ctx, srv.URL+root, &http.Client{Transport: tr}) })

					e, typed := cl.asError(err)
					if bug, ok := cl.known[row.name]; ok {
						t.Logf("error: %v", err)
						knownBug(t, err == nil || !typed || !errors.Is(err, row.kind), bug)
						return
					}
					require.Error(t, err)
					require.ErrorIs(t, err, row.kind, "%v", err)
					require.True(t, typed, "the failure is not the package's *Error: %T %v", err, err)
					require.ErrorIs(t, err, e.Kind())
					require.Equal(t, row.status, e.StatusCode, "the error holds the status that came")
					if row.status/100 == 2 && errors.Is(err, transport.ErrTooLarge) {
						// A 2xx that was too large is not called "200 OK".
						require.Contains(t, err.Error(), "answer larger than ")
						require.NotContains(t, err.Error(), "200 OK")
					} else {
						require.Contains(t, err.Error(), strconv.Itoa(row.status))
					}
					require.GreaterOrEqual(t, e.Attempts, 1)
					if errors.Is(err, transport.ErrDecode) {
						require.NotEmpty(t, e.Body, "the start of what did not decode is kept")
						require.LessOrEqual(t, len(e.Body), transport.DefaultMaxErrorBody)
						require.Error(t, e.Err, "the decoder's error is kept")
					}
					if row.big {
						require.LessOrEqual(t, allocated, uint64(hostileCap+hostileSlack),
							"the call allocated %d MiB for a %d MiB cap", allocated>>20, hostileCap>>20)
						t.Logf("allocated %.1f MiB (cap %d MiB)", float64(allocated)/(1<<20), hostileCap>>20)
					}
				})
			}
		})
	}
}
