package trueapi_test

// Partial results of batched calls and token recovery per generation,
// against the fake behind a loopback server that fails chosen batches or
// expires the token.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

// wrappedFake runs the fake behind a handler of the test's own, which sees
// every request first and may answer it itself.
func wrappedFake(t *testing.T, cfg trueapitest.Config, before func(w http.ResponseWriter, r *http.Request, body []byte) bool) (*trueapi.Client, *trueapitest.Server) {
	t.Helper()
	srv := trueapitest.NewServerWith(cfg)
	t.Cleanup(srv.Close)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if before(w, r, body) {
			return
		}
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	c, err := trueapi.New(ncaSigner(t), trueapi.WithBaseURL(front.URL+trueapitest.APIPath),
		trueapi.WithRetryWait(time.Millisecond, 2*time.Millisecond))
	require.NoError(t, err)
	return c, srv
}

// firstCode returns the first code of a cises/info request body.
func firstCode(body []byte) string {
	var codes []string
	if json.Unmarshal(body, &codes) != nil || len(codes) == 0 {
		return ""
	}
	return codes[0]
}

// TestCisesInfoKeepsAnsweredBatches: 10,000 codes where batch 6 (codes
// 5000–5999) fails for good: the 9,000 answered come back in order and the
// error names exactly the 1,000 others. Failing once (503, retried), all
// 10,000 come back with no error.
func TestCisesInfoKeepsAnsweredBatches(t *testing.T) {
	cfg := trueapitest.DefaultConfig()
	cfg.Codes = 10_000
	var (
		failFor   atomic.Value // the first code of the batch to fail
		permanent atomic.Bool
		failures  atomic.Int32
	)
	failFor.Store("")
	c, srv := wrappedFake(t, cfg, func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if !strings.HasSuffix(r.URL.Path, "/cises/info") || firstCode(body) != failFor.Load().(string) {
			return false
		}
		if !permanent.Load() && failures.Load() > 0 {
			return false
		}
		failures.Add(1)
		if permanent.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"errorMessage":"Ошибка получения информации о КМ","errorCode":"500"}`))
		} else {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		return true
	})
	var codes []string
	for _, code := range srv.OwnCodes() {
		codes = append(codes, code.Cis)
	}
	require.GreaterOrEqual(t, len(codes), 10_000)
	codes = codes[:10_000]
	failFor.Store(codes[5000])
	ctx := t.Context()

	cisOf := func(res []trueapi.CisInfoResult) []string {
		out := make([]string, len(res))
		for i, r := range res {
			require.NotNil(t, r.Info)
			out[i] = r.Info.Cis
		}
		return out
	}

	permanent.Store(true)
	res, err := c.CisesInfo(ctx, codes)
	var be *trueapi.BatchError
	require.ErrorAs(t, err, &be)
	require.ErrorIs(t, err, trueapi.ErrServer)
	assert.Equal(t, codes[5000:6000], be.Failed, "exactly the codes of batch 6")
	require.Len(t, be.Batches, 1)
	assert.Equal(t, 5000, be.Batches[0].First)
	assert.Equal(t, 10_000, be.Total)
	assert.Equal(t, slices.Concat(codes[:5000], codes[6000:]), cisOf(res), "the 9,000 answered, in order")
	assert.EqualValues(t, 1, failures.Load(), "a 500 is not retried by the True API client")

	// Resend only what failed, once the server is well again.
	failFor.Store("")
	more, err := c.CisesInfo(ctx, be.Failed)
	require.NoError(t, err)
	assert.Equal(t, codes[5000:6000], cisOf(more))

	permanent.Store(false)
	failures.Store(0)
	failFor.Store(codes[5000])
	res, err = c.CisesInfo(ctx, codes)
	require.NoError(t, err)
	assert.Equal(t, codes, cisOf(res), "a transient failure is retried: all 10,000, in order")
	assert.EqualValues(t, 1, failures.Load())
}

// TestBatchesStopOnlyWhenHopeless: a 403 on one batch stops the batches
// not yet sent (they are named as not sent) but not those in flight.
func TestBatchesStopOnlyWhenHopeless(t *testing.T) {
	cfg := trueapitest.DefaultConfig()
	cfg.Codes = 10_000
	var sent atomic.Int32
	var c *trueapi.Client
	var srv *trueapitest.Server
	c, srv = wrappedFake(t, cfg, func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if !strings.HasSuffix(r.URL.Path, "/cises/info") {
			return false
		}
		sent.Add(1)
		if firstCode(body) == srv.OwnCodes()[0].Cis {
			w.WriteHeader(http.StatusForbidden)
			return true
		}
		return false
	})
	var codes []string
	for _, code := range srv.OwnCodes() {
		codes = append(codes, code.Cis)
	}
	codes = codes[:10_000]
	res, err := c.CisesInfo(t.Context(), codes)
	var be *trueapi.BatchError
	require.ErrorAs(t, err, &be)
	require.ErrorIs(t, err, trueapi.ErrForbidden)
	require.ErrorIs(t, err, trueapi.ErrBatchNotSent)
	assert.Equal(t, 1000*len(be.Batches), len(be.Failed))
	assert.Equal(t, 10_000, len(be.Failed)+len(res), "every code is either answered or named")
	assert.Less(t, int(sent.Load()), 10, "the batches not yet sent were not sent")
	for _, f := range be.Batches[1:] {
		if errors.Is(f.Err, trueapi.ErrBatchNotSent) {
			assert.ErrorIs(t, f.Err, trueapi.ErrForbidden, "a batch not sent says why")
		}
	}
}

// TestTokenExpiresTwice: 32 goroutines share one client while the token
// expires twice in quick succession (the token issued after the first
// expiry expires as soon as it is issued). Every call succeeds, there is
// one sign-in per wave, and the CisesListV2 walks are complete and in
// order.
func TestTokenExpiresTwice(t *testing.T) {
	cfg := trueapitest.DefaultConfig()
	cfg.Codes = 300
	var (
		requests atomic.Int32
		waves    atomic.Int32
		srvRef   atomic.Pointer[trueapitest.Server]
	)
	c, srv := wrappedFake(t, cfg, func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		s := srvRef.Load()
		if s == nil || strings.Contains(r.URL.Path, "/auth/") {
			return false
		}
		if requests.Add(1) == 60 && waves.CompareAndSwap(0, 1) {
			s.ExpireTokens() // wave 1
		}
		if s.Stats().SignIns == 2 && waves.CompareAndSwap(1, 2) {
			s.ExpireTokens() // wave 2: the renewed token dies at once
		}
		return false
	})
	srvRef.Store(srv)
	ctx := t.Context()
	var codes []string
	for _, code := range srv.OwnCodes() {
		codes = append(codes, code.Cis)
	}
	walk := func() ([]string, error) {
		var out []string
		for rec, err := range c.CisesListV2(ctx, trueapi.ListFilter{Limit: 25}) {
			if err != nil {
				return out, err
			}
			out = append(out, rec.Cis)
		}
		return out, nil
	}
	want, err := walk() // signs in: sign-in 1
	require.NoError(t, err)
	require.Greater(t, len(want), 25*4, "a walk of several pages")
	requests.Store(0)

	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []error
		wrong  int
	)
	for g := range 32 {
		wg.Go(func() {
			for i := range 3 {
				var err error
				if (g+i)%2 == 0 {
					var got []string
					got, err = walk()
					if err == nil && !slices.Equal(got, want) {
						mu.Lock()
						wrong++
						mu.Unlock()
					}
				} else {
					_, err = c.CisesInfo(ctx, codes[:100])
				}
				if err != nil {
					mu.Lock()
					failed = append(failed, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for i, err := range failed {
		if i == 3 {
			break
		}
		t.Errorf("call failed: %v", err)
	}
	require.Empty(t, failed, "%d of 96 calls failed", len(failed))
	assert.Zero(t, wrong, "walks that were not complete and in order")
	assert.EqualValues(t, 2, waves.Load(), "both expiries happened during the calls")
	assert.Equal(t, 3, srv.Stats().SignIns, "the first sign-in and one per expiry wave")
}

var _ = context.Background
