package crosstest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uztgs"
)

// TestDefaultCaps: with no WithMaxResponseBytes, each client stops an
// endless answer at its documented DefaultMaxResponseBytes, says so, and
// allocates no more than that cap plus 1 MiB for the call.
func TestDefaultCaps(t *testing.T) {
	if testing.Short() {
		t.Skip("reads up to 64 MiB per client")
	}
	caps := map[string]int64{
		"openschool": openschool.DefaultMaxResponseBytes,
		"uztgs":      uztgs.DefaultMaxResponseBytes,
		"uchet":      uchet.DefaultMaxResponseBytes,
		"paruskaz":   paruskaz.DefaultMaxResponseBytes,
		"trueapi":    trueapi.DefaultMaxResponseBytes,
	}
	endless := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("["))
		for r.Context().Err() == nil {
			if _, err := w.Write(jsonish); err != nil {
				return
			}
		}
	}
	for _, cl := range hostileClientsCapped(0) {
		t.Run(cl.name, func(t *testing.T) {
			limit, ok := caps[cl.name]
			require.True(t, ok)
			wrap, root := cl.setup(t)
			var h http.Handler = http.HandlerFunc(endless)
			if wrap != nil {
				h = wrap(h)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()

			allocated, err := allocatedDuring(func() error { return cl.call(ctx, srv.URL+root, &http.Client{Transport: tr}) })

			require.ErrorIs(t, err, transport.ErrTooLarge)
			require.Contains(t, err.Error(), "answer larger than "+strconv.FormatInt(limit, 10)+" bytes")
			var e *transport.Error
			require.True(t, errors.As(err, &e))
			t.Logf("%s: cap %d MiB, allocated %.1f MiB", cl.name, limit>>20, float64(allocated)/(1<<20))
			require.LessOrEqual(t, allocated, uint64(limit+1<<20))
		})
	}
}
