package transport

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRequestURLMatchesURL: the URL Do sends is the one c.URL resolves and
// net/http parses from its string, whether the path is joined to the base
// without parsing (a plain path) or not.
func TestRequestURLMatchesURL(t *testing.T) {
	bases := []string{"https://h.example/v1", "https://h.example/v1/", "https://h.example", "https://h.example/",
		"http://u:p@h.example:8080/api/", "https://h.example/a%2Fb/", "http://[::1]:8080/x", "http://h.example:/x"}
	paths := []string{"x", "/x", "a/b", "a//b", "a/./b/../c", "..", "x-y_z.~/", "a%2Fb", "a b", "a?b=1&a=2", "a#f",
		"//host/x", "a:b", "", "?q=1", "ü/x", "a+b", "a;b", "cises/info"}
	queries := []url.Values{nil, {}, {"b": {"2"}, "a": {"1", "0"}, "e": {}, "sp ace": {"x&y=z"}}}
	for _, base := range bases {
		c, err := New(Config{BaseURL: base})
		require.NoError(t, err, base)
		for _, p := range paths {
			for _, q := range queries {
				want, wantErr := c.URL(p, q)
				req, err := c.newRequest(&callState{Context: context.Background()}, http.MethodGet, &Request{Path: p, Query: q})
				if wantErr != nil {
					assert.Error(t, err, "%s + %q", base, p)
					continue
				}
				require.NoError(t, err, "%s + %q", base, p)
				parsed, err := http.NewRequest(http.MethodGet, want.String(), nil)
				require.NoError(t, err)
				assert.Equal(t, parsed.URL, req.URL, "%s + %q %v", base, p, q)
				assert.Equal(t, parsed.Host, req.Host, "%s + %q", base, p)
				assert.Equal(t, parsed.URL.String(), req.URL.String())
			}
		}
	}
}

// TestRequestHeadersShared: the values of the headers Do sets are shared
// with later requests, so a value changed by one request (a RoundTripper
// that adds to a header) must never reach the next.
func TestRequestHeadersShared(t *testing.T) {
	var seen []http.Header
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Header.Clone())
		r.Header.Add("User-Agent", "added")
		r.Header.Add("Accept", "added")
		r.Header.Add("Content-Type", "added")
		r.Header.Add("X-Mine", "added")
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), ContentLength: 2, Request: r}, nil
	})
	c, err := New(Config{BaseURL: testBase, HTTPClient: &http.Client{Transport: rt}})
	require.NoError(t, err)
	mine := http.Header{"X-Mine": make([]string, 1, 4)}
	mine["X-Mine"][0] = "v"
	for range 2 {
		_, err := c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "x", Body: []byte("{}"), ContentType: "application/json", Header: mine})
		require.NoError(t, err)
	}
	require.Len(t, seen, 2)
	for _, h := range seen {
		assert.Equal(t, []string{c.userAgent}, h["User-Agent"])
		assert.Equal(t, []string{DefaultAccept}, h["Accept"])
		assert.Equal(t, []string{"application/json"}, h["Content-Type"])
		assert.Equal(t, []string{"v"}, h["X-Mine"])
	}
	assert.Equal(t, []string{"v"}, mine["X-Mine"], "the request's own header is left as it was")
	assert.Equal(t, []string{"v", ""}, mine["X-Mine"][:2], "and so is the room behind it")
	assert.Equal(t, []string{"application/json"}, jsonContentType)
}

// stuckBody is an answer's body that sends nothing until its request's
// context ends.
type stuckBody struct{ ctx context.Context }

func (b stuckBody) Read([]byte) (int, error) { <-b.ctx.Done(); return 0, b.ctx.Err() }
func (stuckBody) Close() error               { return nil }

// TestDefaultAttemptTimeout: with the transport's own http.Client each
// attempt, its body included, ends after the attempt timeout and a safe
// request is sent again; the caller's earlier deadline comes first.
func TestDefaultAttemptTimeout(t *testing.T) {
	c, err := New(Config{BaseURL: testBase})
	require.NoError(t, err)
	assert.Equal(t, DefaultTimeout, c.attemptTimeout)
	assert.Zero(t, c.rc.HTTPClient.Timeout, "not http.Client.Timeout, which costs a goroutine per request")
	c, err = New(Config{BaseURL: testBase, HTTPClient: &http.Client{Timeout: time.Second}})
	require.NoError(t, err)
	assert.Zero(t, c.attemptTimeout, "a caller's http.Client keeps its own Timeout")
	assert.Equal(t, time.Second, c.rc.HTTPClient.Timeout)

	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			switch calls.Add(1) {
			case 1: // never answers
				<-r.Context().Done()
				return nil, r.Context().Err()
			case 2: // answers, but its body never ends
				return &http.Response{StatusCode: 200, Header: http.Header{}, Body: stuckBody{r.Context()}, ContentLength: -1, Request: r}, nil
			}
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("ok")), ContentLength: 2, Request: r}, nil
		})
		c, err := New(Config{BaseURL: testBase, RetryWaitMin: time.Second, RetryWaitMax: time.Second, HTTPClient: &http.Client{Transport: rt}})
		require.NoError(t, err)
		c.attemptTimeout = time.Minute
		start := time.Now()
		resp, err := c.Do(context.Background(), &Request{Path: "x"})
		require.NoError(t, err)
		assert.Equal(t, "ok", string(resp.Body))
		assert.Equal(t, 3, resp.Attempts)
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, 2*time.Minute, "two attempts timed out")
		assert.Less(t, elapsed, 2*time.Minute+10*time.Second)

		// The caller's deadline, earlier, ends the call.
		calls.Store(0)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start = time.Now()
		_, err = c.Do(ctx, &Request{Path: "x"})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 10*time.Second, time.Since(start))
		assert.EqualValues(t, 1, calls.Load())
	})
}

// TestJoinPathBounded: the joined paths a client keeps are bounded, and a
// path is joined the same way whether it is kept or not, from any number
// of goroutines.
func TestJoinPathBounded(t *testing.T) {
	c, err := New(Config{BaseURL: testBase + "/"})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 2 * maxJoinedPaths {
				p := "/p" + strconv.Itoa((i+g)%(2*maxJoinedPaths))
				assert.Equal(t, "/v1/"+strings.TrimLeft(p, "/"), c.joinPath(p))
			}
		})
	}
	wg.Wait()
	m := c.paths.Load()
	require.NotNil(t, m)
	assert.LessOrEqual(t, len(*m), maxJoinedPaths)
	assert.Equal(t, "/v1/x/y", c.joinPath("x/y"))
}

// TestEncodeQuery: encodeQuery gives url.Values.Encode's output.
func TestEncodeQuery(t *testing.T) {
	parts := []string{"", "a", "b", "ä", "a b", "x&y=z", "+", "%", "ключ", "/?#"}
	for i := range 400 {
		v := url.Values{}
		for j := range i % 23 {
			k := parts[(i*7+j)%len(parts)] + strconv.Itoa(j%5)
			n := (i + j) % 3
			v[k] = nil
			for m := range n {
				v[k] = append(v[k], parts[(i+j*3+m)%len(parts)])
			}
		}
		assert.Equal(t, v.Encode(), encodeQuery(v), "%v", v)
	}
	assert.Empty(t, encodeQuery(nil))
}
