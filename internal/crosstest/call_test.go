package crosstest_test

import (
	"context"
	"crypto/x509/pkix"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/openschool/openschooltest"
	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/paruskaz/paruskaztest"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// TestCallOptionsInEveryClient: each client's WithCall, CallHeader,
// CallRetries and CallResponse reach its fake the same way: the header on
// the wire, the answer's facts recorded, and CallRetries(0) returning a 503
// at once.
func TestCallOptionsInEveryClient(t *testing.T) {
	type run struct {
		name string
		// do makes one call with ctx; recorder and faults are the fake's.
		setup func(t *testing.T) (do func(ctx context.Context) error, fk *fakekit.Server, path string)
		with  func(ctx context.Context, id string, info any, retries int) context.Context
		info  func() any
		got   func(info any) (status int, attempts int)
	}
	runs := []run{
		{
			name: "openschool",
			setup: func(t *testing.T) (func(context.Context) error, *fakekit.Server, string) {
				srv := openschooltest.NewServer()
				t.Cleanup(srv.Close)
				c, err := openschool.New(openschool.WithBaseURL(srv.BaseURL()), openschool.WithRetryWait(time.Millisecond, time.Millisecond))
				require.NoError(t, err)
				return func(ctx context.Context) error { _, err := c.Regions(ctx); return err }, srv.Server, "/api/v1"
			},
			info: func() any { return new(openschool.ResponseInfo) },
			with: func(ctx context.Context, id string, info any, retries int) context.Context {
				return openschool.WithCall(ctx, openschool.CallHeader("X-Correlation-Id", id), openschool.CallRetries(retries), openschool.CallResponse(info.(*openschool.ResponseInfo)))
			},
			got: func(info any) (int, int) { i := info.(*openschool.ResponseInfo); return i.StatusCode, i.Attempts },
		},
		{
			name: "uchet",
			setup: func(t *testing.T) (func(context.Context) error, *fakekit.Server, string) {
				srv := uchettest.NewServer()
				t.Cleanup(srv.Close)
				c, err := uchet.New(uchettest.DefaultToken, uchet.WithBaseURL(srv.BaseURL()), uchet.WithRetryWait(time.Millisecond, time.Millisecond))
				require.NoError(t, err)
				return func(ctx context.Context) error { _, err := c.UpdateStatus(ctx, uchettest.SeedBIN); return err }, srv.Server, uchettest.APIPath + "update_status/"
			},
			info: func() any { return new(uchet.ResponseInfo) },
			with: func(ctx context.Context, id string, info any, retries int) context.Context {
				return uchet.WithCall(ctx, uchet.CallHeader("X-Correlation-Id", id), uchet.CallRetries(retries), uchet.CallResponse(info.(*uchet.ResponseInfo)))
			},
			got: func(info any) (int, int) { i := info.(*uchet.ResponseInfo); return i.StatusCode, i.Attempts },
		},
		{
			name: "uztgs",
			setup: func(t *testing.T) (func(context.Context) error, *fakekit.Server, string) {
				srv := uztgstest.NewServer()
				t.Cleanup(srv.Close)
				c, err := uztgs.New(uztgs.WithBaseURL(srv.BaseURL()), uztgs.WithPassword(uztgstest.DefaultEmail, uztgstest.DefaultPassword),
					uztgs.WithRetryWait(time.Millisecond, time.Millisecond), uztgs.WithSignOutOnClose(false))
				require.NoError(t, err)
				return func(ctx context.Context) error { _, err := c.CustomersPage(ctx, uztgs.PageParams{}); return err }, srv.Server, uztgstest.APIPath + "/customers"
			},
			info: func() any { return new(uztgs.ResponseInfo) },
			with: func(ctx context.Context, id string, info any, retries int) context.Context {
				return uztgs.WithCall(ctx, uztgs.CallHeader("X-Correlation-Id", id), uztgs.CallRetries(retries), uztgs.CallResponse(info.(*uztgs.ResponseInfo)))
			},
			got: func(info any) (int, int) { i := info.(*uztgs.ResponseInfo); return i.StatusCode, i.Attempts },
		},
		{
			name: "paruskaz",
			setup: func(t *testing.T) (func(context.Context) error, *fakekit.Server, string) {
				srv := paruskaztest.NewServer()
				t.Cleanup(srv.Close)
				c, err := paruskaz.New(paruskaztest.DefaultAPIKey, paruskaz.WithBaseURL(srv.BaseURL()), paruskaz.WithChecksum(false),
					paruskaz.WithRetryWait(time.Millisecond, time.Millisecond))
				require.NoError(t, err)
				inst := []paruskaz.Institution{{BIN: "141040028436", OrgName: "Школа №1", Persons: []paruskaz.Person{{
					Time: time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC), IIN: "990101300122", FIO: "Иванов Иван"}}}}
				return func(ctx context.Context) error { return c.Push(ctx, inst) }, srv.Server, "*"
			},
			info: func() any { return new(paruskaz.ResponseInfo) },
			with: func(ctx context.Context, id string, info any, retries int) context.Context {
				return paruskaz.WithCall(ctx, paruskaz.CallHeader("X-Correlation-Id", id), paruskaz.CallRetries(retries), paruskaz.CallResponse(info.(*paruskaz.ResponseInfo)))
			},
			got: func(info any) (int, int) { i := info.(*paruskaz.ResponseInfo); return i.StatusCode, i.Attempts },
		},
		{
			name: "trueapi",
			setup: func(t *testing.T) (func(context.Context) error, *fakekit.Server, string) {
				srv := trueapitest.NewServer()
				t.Cleanup(srv.Close)
				signer, err := trueapitest.NewSigner(pkix.Name{CommonName: "test"})
				require.NoError(t, err)
				c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()), trueapi.WithRetryWait(time.Millisecond, time.Millisecond))
				require.NoError(t, err)
				codes := []string{srv.OwnCodes()[0].Cis}
				return func(ctx context.Context) error { _, err := c.CisesInfo(ctx, codes); return err }, srv.Server, trueapitest.APIPath + "cises/info"
			},
			info: func() any { return new(trueapi.ResponseInfo) },
			with: func(ctx context.Context, id string, info any, retries int) context.Context {
				return trueapi.WithCall(ctx, trueapi.CallHeader("X-Correlation-Id", id), trueapi.CallRetries(retries), trueapi.CallResponse(info.(*trueapi.ResponseInfo)))
			},
			got: func(info any) (int, int) { i := info.(*trueapi.ResponseInfo); return i.StatusCode, i.Attempts },
		},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			do, fk, path := r.setup(t)
			info := r.info()
			require.NoError(t, do(r.with(t.Context(), "corr-1", info, 3)))
			last, ok := fk.Recorder.Last()
			require.True(t, ok)
			assert.Equal(t, "corr-1", last.Header.Get("X-Correlation-Id"), "the header is on the wire")
			status, attempts := r.got(info)
			assert.Equal(t, http.StatusOK, status/100*100, "a 2xx answer recorded: %d", status)
			assert.Equal(t, 1, attempts)

			fk.Faults.Add(fakekit.Fault{Path: path, Status: http.StatusServiceUnavailable, Times: 2})
			before := fk.Recorder.Count()
			err := do(r.with(t.Context(), "corr-2", r.info(), 0))
			require.Error(t, err, "CallRetries(0): the 503 is not retried")
			assert.Equal(t, 1, fk.Recorder.Count()-before)
			fk.Faults.Clear()
		})
	}
}
