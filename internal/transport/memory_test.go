package transport

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endless is a body that never ends: 'x' forever.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func (endless) Close() error { return nil }

// allocatedBy returns the bytes the heap handed out while f ran. Other
// goroutines of the test binary add a little noise, never less.
func allocatedBy(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// gzipBomb is a gzip stream of n zero bytes (about n/1000 bytes on the wire).
func gzipBomb(t testing.TB, n int64) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	_, err = io.CopyN(zw, zeros{}, n)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestHostileBodyMemoryBoundedByCap measures what one call allocates
// against an endless body, an oversized body with and without a declared
// length, and a gzip bomb: at most the cap plus 1 MiB, and ErrTooLarge.
func TestHostileBodyMemoryBoundedByCap(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 16 MiB bodies")
	}
	// 16 MiB keeps the test quick under -race; the bound is the same for
	// any cap (TestDefaultCaps in internal/crosstest reads each client's
	// default).
	const limit = 16 << 20
	bomb := gzipBomb(t, 4*limit)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(bomb)))
			_, _ = w.Write(bomb)
		case "/declared":
			w.Header().Set("Content-Length", strconv.FormatInt(4*limit, 10))
			_, _ = io.CopyN(w, zeros{}, 4*limit)
		}
	}))
	defer srv.Close()
	endlessClient, err := New(Config{BaseURL: testBase, MaxResponseBytes: limit, HTTPClient: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: endless{}, ContentLength: -1, Request: r}, nil
	})}})
	require.NoError(t, err)
	netClient, err := New(Config{BaseURL: srv.URL, MaxResponseBytes: limit})
	require.NoError(t, err)

	for _, tc := range []struct {
		name string
		c    *Client
		path string
	}{
		{"endless", endlessClient, "any"},
		{"gzip bomb", netClient, "bomb"},
		{"declared oversize", netClient, "declared"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			n := allocatedBy(func() { _, err = tc.c.Do(context.Background(), &Request{Path: tc.path}) })
			require.ErrorIs(t, err, ErrTooLarge)
			t.Logf("%s: %.1f MiB allocated for a %d MiB cap", tc.name, float64(n)/(1<<20), limit>>20)
			assert.LessOrEqual(t, n, uint64(limit+1<<20), "one hostile call allocates at most the cap plus 1 MiB")
		})
	}
}

// TestBodyWithinCapCostsAtMostTwice: a body of n bytes within the cap costs
// at most 2n, whether its length is declared or not. A body of unknown
// length is read into pooled chunks and copied once; the first call of a
// process finds the pool empty and pays for the chunks too (2n plus the
// chunk list), later calls reuse up to 2 MiB of them.
func TestBodyWithinCapCostsAtMostTwice(t *testing.T) {
	const n = 8 << 20
	body := bytes.Repeat([]byte("y"), n)
	for _, declared := range []bool{true, false} {
		t.Run("declared="+strconv.FormatBool(declared), func(t *testing.T) {
			c, err := New(Config{BaseURL: testBase, HTTPClient: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				cl := int64(-1)
				if declared {
					cl = n
				}
				return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: cl, Request: r}, nil
			})}})
			require.NoError(t, err)
			var resp *Response
			first := allocatedBy(func() { resp, err = c.Do(context.Background(), &Request{Path: "x"}) })
			require.NoError(t, err)
			assert.Equal(t, body, resp.Body)
			got := allocatedBy(func() { resp, err = c.Do(context.Background(), &Request{Path: "x"}) })
			require.NoError(t, err)
			assert.Len(t, resp.Body, n)
			t.Logf("%d MiB body: %.2f MiB allocated by the first call, %.2f MiB by the next", n>>20, float64(first)/(1<<20), float64(got)/(1<<20))
			assert.LessOrEqual(t, got, uint64(2*n))
			assert.LessOrEqual(t, first, uint64(2*n+256<<10))
			if declared {
				assert.LessOrEqual(t, got, uint64(n+64<<10), "a declared length is read into one slice of that size")
			}
		})
	}
}
