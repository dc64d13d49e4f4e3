package fakekit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultStatusDefaultBody(t *testing.T) {
	s := newServer(t, okHandler)
	s.Faults.Add(Fault{Status: http.StatusServiceUnavailable, RetryAfter: 1500 * time.Millisecond})
	require.Equal(t, 1, s.Faults.Pending())

	resp, body := do(t, s.Client(), http.MethodGet, s.URL+"/x", "")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "2", resp.Header.Get("Retry-After"), "1.5s rounds up to 2s")
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "503 Service Unavailable (injected fault)\n", body)
	assert.Equal(t, 0, s.Faults.Pending())

	resp, body = do(t, s.Client(), http.MethodGet, s.URL+"/x", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, okBody, body)
	assert.Equal(t, 2, s.Recorder.Count(), "faulted requests are recorded too")
}

func TestFaultStatusCustomBodyAndHeaders(t *testing.T) {
	s := newServer(t, okHandler)
	hdr := http.Header{"Retry-After": {"7"}, "x-request-id": {"abc"}}
	s.Faults.Add(
		Fault{Status: http.StatusTooManyRequests, Body: `{"error":"slow down"}`, Header: hdr},
		Fault{Status: http.StatusTooManyRequests, Header: hdr, RetryAfter: 3 * time.Second},
		Fault{Status: http.StatusBadRequest, Body: "<oops>", Header: http.Header{"Content-Type": {"application/xml"}}},
		Fault{Status: http.StatusInternalServerError, Body: "[1]"},
	)
	hdr.Set("Retry-After", "999") // Add copied the header; this must not leak in.

	resp, body := do(t, s.Client(), http.MethodPost, s.URL+"/orders", "{}")
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "7", resp.Header.Get("Retry-After"))
	assert.Equal(t, "abc", resp.Header.Get("X-Request-Id"))
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, `{"error":"slow down"}`, body)

	resp, _ = do(t, s.Client(), http.MethodGet, s.URL+"/orders", "")
	assert.Equal(t, "3", resp.Header.Get("Retry-After"), "RetryAfter wins over Header")

	resp, body = do(t, s.Client(), http.MethodGet, s.URL+"/orders", "")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
	assert.Equal(t, "<oops>", body)

	resp, body = do(t, s.Client(), http.MethodGet, s.URL+"/orders", "")
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "[1]", body)
}

func TestFaultHeaderOnRealResponse(t *testing.T) {
	s := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Owned", "handler")
		w.WriteHeader(http.StatusAccepted)
	}))
	s.Faults.Add(Fault{Header: http.Header{"X-Extra": {"1", "2"}, "X-Owned": {"fault"}}, RetryAfter: time.Second})

	resp, _ := do(t, s.Client(), http.MethodGet, s.URL, "")
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, []string{"1", "2"}, resp.Header.Values("X-Extra"))
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	assert.Equal(t, "handler", resp.Header.Get("X-Owned"), "the handler may override fault headers")
}

func TestFaultDrop(t *testing.T) {
	s := newServer(t, okHandler)
	c := freshClient(t)
	s.Faults.Add(Fault{Drop: true})

	resp, err := c.Get(s.URL + "/a")
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err)
	assert.Nil(t, resp, "Drop yields an error, not a response")
	assert.ErrorIs(t, err, io.EOF)
	assert.Equal(t, 1, s.Recorder.Count())

	resp2, body := do(t, c, http.MethodGet, s.URL+"/a", "")
	assert.Equal(t, http.StatusOK, resp2.StatusCode)
	assert.Equal(t, okBody, body)
}

func TestFaultDropResponse(t *testing.T) {
	var served atomic.Int32
	s := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("X-Effect", "done")
		_, _ = io.WriteString(w, okBody)
	}))
	c := freshClient(t)
	s.Faults.Add(Fault{DropResponse: true, Method: http.MethodPost})

	resp, err := c.Post(s.URL+"/a", "text/plain", strings.NewReader("x"))
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err, "the response is lost")
	assert.Nil(t, resp)
	assert.Equal(t, int32(1), served.Load(), "the handler ran: its effects are kept")

	resp2, body := do(t, c, http.MethodPost, s.URL+"/a", "x")
	assert.Equal(t, http.StatusOK, resp2.StatusCode)
	assert.Equal(t, okBody, body)
	assert.Equal(t, int32(2), served.Load())
}

// A keep-alive client may retry an idempotent request once after the
// server drops a reused connection; Times: 2 makes the failure visible
// regardless, as the Drop documentation advises.
func TestFaultDropKeepAlive(t *testing.T) {
	s := newServer(t, okHandler)
	c := s.Client()
	do(t, c, http.MethodGet, s.URL, "") // warm up a keep-alive connection
	s.Faults.Add(Fault{Drop: true, Times: 2})

	resp, err := c.Get(s.URL)
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err)
	resp, _ = do(t, c, http.MethodGet, s.URL, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestFaultDropHTTP2(t *testing.T) {
	s := NewUnstarted(okHandler)
	s.EnableHTTP2 = true
	s.StartTLS()
	t.Cleanup(s.Close)
	s.Faults.Add(Fault{Drop: true})

	resp, err := s.Client().Get(s.URL)
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err, "HTTP/2 streams are reset instead of hijacked")

	resp, body := do(t, s.Client(), http.MethodGet, s.URL, "")
	assert.Equal(t, 2, resp.ProtoMajor)
	assert.Equal(t, okBody, body)
}

func TestFaultDelay(t *testing.T) {
	s := newServer(t, okHandler)
	synctest.Test(t, func(t *testing.T) {
		p := pipeServer(t, s)
		s.Faults.Add(Fault{Delay: 10 * time.Second})

		start := time.Now()
		resp, body := do(t, p.Client(), http.MethodGet, p.URL, "")
		assert.Equal(t, 10*time.Second, time.Since(start), "the delay, on the bubble's clock")
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, okBody, body)
	})
}

// handlerEnd returns a middleware that closes the returned channel when
// the wrapped handler returns, for a test that sends one request.
func handlerEnd() (func(http.Handler) http.Handler, <-chan struct{}) {
	ended := make(chan struct{})
	mw := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer close(ended)
			next.ServeHTTP(w, r)
		})
	}
	return mw, ended
}

func TestFaultDelayCancelled(t *testing.T) {
	var faults Faults
	var called atomic.Int32
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called.Add(1) })
	synctest.Test(t, func(t *testing.T) {
		signal, handlerEnded := handlerEnd()
		p := NewPipeServer(Chain(next, signal, faults.Wrap))
		t.Cleanup(p.Close)
		faults.Add(Fault{Delay: time.Hour, Status: http.StatusOK})

		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
		require.NoError(t, err)
		start := time.Now()
		resp, err := p.Client().Do(req)
		if resp != nil {
			resp.Body.Close()
		}
		require.ErrorIs(t, err, context.DeadlineExceeded)
		<-handlerEnded
		assert.Equal(t, 20*time.Second, time.Since(start), "the handler stopped waiting when the client gave up")
		assert.Zero(t, called.Load(), "a cancelled delay does not reach the handler")
	})
}

func TestFaultSlowBody(t *testing.T) {
	payload := strings.Repeat("0123456789", 25) // 250 bytes: 4 chunks, 3 pauses
	s := newServer(t, bodyHandler(http.StatusCreated, payload))
	synctest.Test(t, func(t *testing.T) {
		p := pipeServer(t, s)
		s.Faults.Add(Fault{SlowBody: 4 * time.Second, Header: http.Header{"X-Slow": {"yes"}}})

		start := time.Now()
		resp, body := do(t, p.Client(), http.MethodGet, p.URL, "")
		assert.Equal(t, 12*time.Second, time.Since(start), "three pauses, on the bubble's clock")
		assert.Equal(t, http.StatusCreated, resp.StatusCode)
		assert.Equal(t, payload, body)
		assert.Equal(t, int64(len(payload)), resp.ContentLength)
		assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
		assert.Equal(t, "yes", resp.Header.Get("X-Slow"))
	})
}

func TestFaultSlowBodyChunked(t *testing.T) {
	// A handler-declared Transfer-Encoding is left alone.
	s := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Transfer-Encoding", "chunked")
		_, _ = io.WriteString(w, "hello")
	}))
	s.Faults.Add(Fault{SlowBody: time.Millisecond})
	resp, body := do(t, s.Client(), http.MethodGet, s.URL, "")
	assert.Equal(t, "hello", body)
	assert.Equal(t, int64(-1), resp.ContentLength)
}

func TestFaultSlowBodyCancelled(t *testing.T) {
	var faults Faults
	synctest.Test(t, func(t *testing.T) {
		signal, handlerEnded := handlerEnd()
		p := NewPipeServer(Chain(bodyHandler(http.StatusOK, strings.Repeat("x", 1000)), signal, faults.Wrap))
		t.Cleanup(p.Close)
		faults.Add(Fault{SlowBody: time.Hour})

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
		require.NoError(t, err)
		start := time.Now()
		resp, err := p.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		first := make([]byte, slowChunkSize)
		_, err = io.ReadFull(resp.Body, first)
		require.NoError(t, err)
		cancel()
		<-handlerEnded
		assert.Zero(t, time.Since(start), "the handler stopped at once")
		_, err = io.ReadAll(resp.Body)
		assert.Error(t, err)
	})
}

func TestFaultTruncate(t *testing.T) {
	payload := strings.Repeat("abcd", 25) // 100 bytes
	s := newServer(t, bodyHandler(http.StatusOK, payload))
	s.Faults.Add(Fault{Truncate: true})

	resp, err := freshClient(t).Get(s.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, int64(len(payload)), resp.ContentLength)
	got, err := io.ReadAll(resp.Body)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, payload[:50], string(got))

	// The fault is used up; the next request succeeds.
	_, body := do(t, s.Client(), http.MethodGet, s.URL, "")
	assert.Equal(t, payload, body)
}

func TestFaultTruncateVariants(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.Handler
		fault    Fault
		method   string
		wantErr  error
		wantBody string
		wantCode int
	}{
		{
			name:     "empty body",
			handler:  bodyHandler(http.StatusOK, ""),
			fault:    Fault{Truncate: true},
			method:   http.MethodGet,
			wantErr:  io.ErrUnexpectedEOF,
			wantCode: http.StatusOK,
		},
		{
			name:     "injected status",
			handler:  okHandler,
			fault:    Fault{Truncate: true, Status: http.StatusBadGateway, Body: "0123456789"},
			method:   http.MethodGet,
			wantErr:  io.ErrUnexpectedEOF,
			wantBody: "01234",
			wantCode: http.StatusBadGateway,
		},
		{
			name:     "slow and truncated",
			handler:  bodyHandler(http.StatusOK, strings.Repeat("z", 200)),
			fault:    Fault{Truncate: true, SlowBody: time.Millisecond},
			method:   http.MethodGet,
			wantErr:  io.ErrUnexpectedEOF,
			wantBody: strings.Repeat("z", 100),
			wantCode: http.StatusOK,
		},
		{
			name:     "no content",
			handler:  bodyHandler(http.StatusNoContent, ""),
			fault:    Fault{Truncate: true},
			method:   http.MethodGet,
			wantCode: http.StatusNoContent,
		},
		{
			name:     "head",
			handler:  bodyHandler(http.StatusOK, "abcdef"),
			fault:    Fault{Truncate: true},
			method:   http.MethodHead,
			wantCode: http.StatusOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.handler)
			s.Faults.Add(tt.fault)
			req, err := http.NewRequestWithContext(context.Background(), tt.method, s.URL, nil)
			require.NoError(t, err)
			resp, err := freshClient(t).Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.wantCode, resp.StatusCode)
			got, err := io.ReadAll(resp.Body)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, tt.wantBody, string(got))
		})
	}
}

func TestFaultTruncateHTTP2(t *testing.T) {
	s := NewUnstarted(bodyHandler(http.StatusOK, strings.Repeat("q", 100)))
	s.EnableHTTP2 = true
	s.StartTLS()
	t.Cleanup(s.Close)
	s.Faults.Add(Fault{Truncate: true})

	resp, err := s.Client().Get(s.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	assert.Error(t, err)
}

func TestFaultTimes(t *testing.T) {
	s := newServer(t, okHandler)
	c := s.Client()
	get := func() int {
		resp, _ := do(t, c, http.MethodGet, s.URL, "")
		return resp.StatusCode
	}

	s.Faults.Add(Fault{Status: http.StatusBadGateway, Times: 2})
	assert.Equal(t, http.StatusBadGateway, get())
	assert.Equal(t, 1, s.Faults.Pending())
	assert.Equal(t, http.StatusBadGateway, get())
	assert.Equal(t, 0, s.Faults.Pending())
	assert.Equal(t, http.StatusOK, get())

	s.Faults.Add(Fault{Status: http.StatusInternalServerError, Times: -1})
	for range 5 {
		assert.Equal(t, http.StatusInternalServerError, get())
	}
	assert.Equal(t, 1, s.Faults.Pending())
	s.Faults.Clear()
	assert.Equal(t, 0, s.Faults.Pending())
	assert.Equal(t, http.StatusOK, get())

	s.Faults.Add(Fault{Status: http.StatusTeapot, Times: -7}) // any negative: forever
	for range 3 {
		assert.Equal(t, http.StatusTeapot, get())
	}
	assert.Equal(t, 1, s.Faults.Pending())
}

func TestFaultMatching(t *testing.T) {
	s := newServer(t, okHandler)
	c := s.Client()
	status := func(method, path string) int {
		resp, _ := do(t, c, method, s.URL+path, "")
		return resp.StatusCode
	}

	s.Faults.Add(
		Fault{Method: http.MethodPost, Path: "/v1/orders", Status: 501},
		Fault{Path: "/v1/items/*", Status: 502},
		Fault{Method: http.MethodDelete, Status: 503},
	)
	assert.Equal(t, 200, status(http.MethodGet, "/v1/orders"), "method mismatch")
	assert.Equal(t, 200, status(http.MethodPost, "/v1/orders/1"), "exact path mismatch")
	assert.Equal(t, 200, status(http.MethodGet, "/v1/items"), "prefix needs the slash")
	assert.Equal(t, 3, s.Faults.Pending())

	assert.Equal(t, 503, status(http.MethodDelete, "/v1/orders"), "first match in order")
	assert.Equal(t, 502, status(http.MethodGet, "/v1/items/42/parts"))
	assert.Equal(t, 501, status(http.MethodPost, "/v1/orders?x=1"), "query is not part of the path")
	assert.Equal(t, 0, s.Faults.Pending())
}

func TestFaultMatches(t *testing.T) {
	tests := []struct {
		fault        Fault
		method, path string
		want         bool
	}{
		{Fault{}, "GET", "/anything", true},
		{Fault{Path: "*"}, "GET", "/anything", true},
		{Fault{Path: "/a"}, "GET", "/a", true},
		{Fault{Path: "/a"}, "GET", "/a/", false},
		{Fault{Path: "/a*"}, "GET", "/ab", true},
		{Fault{Path: "/a/*"}, "GET", "/a", false},
		{Fault{Method: "GET"}, "POST", "/", false},
		{Fault{Method: "GET"}, "get", "/", false},
		{Fault{Method: "PUT", Path: "/p/*"}, "PUT", "/p/1", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s vs %s %s", tt.fault.Method, tt.fault.Path, tt.method, tt.path), func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, nil)
			assert.Equal(t, tt.want, tt.fault.matches(r))
		})
	}
}

func TestFaultsConcurrent(t *testing.T) {
	s := newServer(t, okHandler)
	c := s.Client()
	const (
		workers   = 8
		perWorker = 25
		faults    = 60
	)
	var (
		wg      sync.WaitGroup
		faulted atomic.Int32
	)
	wg.Go(func() {
		for i := range faults {
			s.Faults.Add(Fault{Status: http.StatusServiceUnavailable, Path: "/w/*"})
			if i%10 == 0 {
				_ = s.Faults.Pending()
				_ = s.Recorder.Requests()
				_, _ = s.Recorder.Last()
			}
		}
	})
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				resp, err := c.Get(fmt.Sprintf("%s/w/%d/%d", s.URL, w, i))
				if !assert.NoError(t, err) {
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch resp.StatusCode {
				case http.StatusServiceUnavailable:
					faulted.Add(1)
				case http.StatusOK:
				default:
					t.Errorf("unexpected status %d", resp.StatusCode)
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, faults, int(faulted.Load())+s.Faults.Pending(), "every fault is used at most once")
	assert.Equal(t, workers*perWorker, s.Recorder.Count())
}

func TestBufferWriter(t *testing.T) {
	var b bufferWriter
	b.header = make(http.Header)
	status, _ := b.result()
	assert.Equal(t, http.StatusOK, status, "nothing written means 200")

	b.Header().Set("A", "1")
	b.WriteHeader(http.StatusEarlyHints) // ignored
	b.WriteHeader(http.StatusNoContent)
	b.WriteHeader(http.StatusOK) // ignored
	b.Header().Set("B", "late")  // after WriteHeader: not sent
	b.Flush()
	_, err := b.Write([]byte("x"))
	assert.ErrorIs(t, err, http.ErrBodyNotAllowed)
	status, h := b.result()
	assert.Equal(t, http.StatusNoContent, status)
	assert.Equal(t, http.Header{"A": {"1"}}, h)

	var b2 bufferWriter
	b2.header = make(http.Header)
	n, err := b2.Write([]byte("hi"))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	status, _ = b2.result()
	assert.Equal(t, http.StatusOK, status)
}

func TestAbortWithoutHijacker(t *testing.T) {
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		abort(httptest.NewRecorder())
	})
}

func TestSleep(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.True(t, Sleep(ctx, 0))
	assert.False(t, Sleep(ctx, time.Hour))
	assert.True(t, Sleep(context.Background(), time.Microsecond))
	assert.True(t, errors.Is(ctx.Err(), context.Canceled))
}

func TestFaultEvery(t *testing.T) {
	s := newServer(t, okHandler)
	s.Faults.Add(Fault{Status: http.StatusTeapot, Every: 3, Times: -1, Path: "/a"})
	var got []int
	for range 7 {
		resp, _ := do(t, s.Client(), http.MethodGet, s.URL+"/a", "")
		got = append(got, resp.StatusCode)
	}
	resp, _ := do(t, s.Client(), http.MethodGet, s.URL+"/b", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a request that does not match does not count")
	assert.Equal(t, []int{200, 200, 418, 200, 200, 418, 200}, got)
	assert.Equal(t, 1, s.Faults.Pending())

	// Times counts the applications, not the requests passed over.
	s.Faults.Clear()
	s.Faults.Add(Fault{Status: http.StatusTeapot, Every: 2, Times: 1})
	got = got[:0]
	for range 4 {
		resp, _ := do(t, s.Client(), http.MethodGet, s.URL+"/a", "")
		got = append(got, resp.StatusCode)
	}
	assert.Equal(t, []int{200, 418, 200, 200}, got)
}

func TestFaultHold(t *testing.T) {
	var served atomic.Int32
	s := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("X-Effect", "done")
		_, _ = io.WriteString(w, okBody)
	}))
	synctest.Test(t, func(t *testing.T) {
		p := pipeServer(t, s)
		s.Faults.Add(Fault{Hold: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+"/a", nil)
		require.NoError(t, err)
		done := make(chan error, 1)
		go func() {
			resp, err := p.Client().Do(req)
			if resp != nil {
				resp.Body.Close()
			}
			done <- err
		}()
		// The handler's effect is there while the answer is held back.
		time.Sleep(59 * time.Minute)
		synctest.Wait()
		assert.EqualValues(t, 1, served.Load())
		select {
		case err := <-done:
			t.Fatalf("the answer was not held: %v", err)
		default:
		}
		cancel()
		assert.ErrorIs(t, <-done, context.Canceled)

		// A short hold delivers the whole answer, after the hold.
		s.Faults.Add(Fault{Hold: time.Second})
		start := time.Now()
		resp, body := do(t, p.Client(), http.MethodGet, p.URL+"/a", "")
		assert.Equal(t, time.Second, time.Since(start))
		assert.Equal(t, "done", resp.Header.Get("X-Effect"))
		assert.Equal(t, okBody, body)
	})
}
