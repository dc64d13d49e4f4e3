package fakekit

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewServerNilHandler(t *testing.T) {
	s := newServer(t, nil)
	resp, _ := do(t, s.Client(), http.MethodGet, s.URL+"/missing", "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, 1, s.Recorder.Count())
}

func TestNewServerLoopback(t *testing.T) {
	s := newServer(t, okHandler)
	u, err := url.Parse(s.URL)
	require.NoError(t, err)
	ip := net.ParseIP(u.Hostname())
	require.NotNil(t, ip)
	assert.True(t, ip.IsLoopback())
}

func TestNewUnstarted(t *testing.T) {
	s := NewUnstarted(okHandler)
	assert.Empty(t, s.URL, "not started yet")
	s.StartTLS()
	defer s.Close()
	s.Faults.Add(Fault{Status: http.StatusUnauthorized})

	resp, _ := do(t, s.Client(), http.MethodGet, s.URL, "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, body := do(t, s.Client(), http.MethodGet, s.URL, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, okBody, body)
	assert.Equal(t, 2, s.Recorder.Count())
}

func TestHandlerTransport(t *testing.T) {
	var seen *http.Request
	s := NewUnstarted(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Echo", string(body))
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, "made")
	}))
	hc := &http.Client{Transport: &HandlerTransport{Handler: s.Config.Handler}}

	resp, err := hc.Post("http://fake.test/a?b=c", "text/plain", strings.NewReader("hello"))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "hello", resp.Header.Get("X-Echo"))
	assert.Equal(t, "made", string(body))
	assert.Equal(t, "/a?b=c", seen.RequestURI)
	assert.Equal(t, "192.0.2.1:1234", seen.RemoteAddr)
	assert.Equal(t, "fake.test", seen.Host)
	assert.Equal(t, 1, s.Recorder.Count(), "the recorder sees in-process requests")

	s.Faults.Add(Fault{Drop: true}, Fault{DropResponse: true})
	for range 2 {
		_, err = hc.Get("http://fake.test/x")
		require.ErrorIs(t, err, ErrConnectionClosed)
	}
	hc2 := &http.Client{Transport: &HandlerTransport{Handler: s.Config.Handler, RemoteAddr: "10.0.0.9:5"}}
	resp, err = hc2.Get("http://fake.test/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "10.0.0.9:5", seen.RemoteAddr)
	assert.Equal(t, http.NoBody, seen.Body)

	boom := &HandlerTransport{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })}
	assert.PanicsWithValue(t, "boom", func() { _, _ = boom.RoundTrip(httptest.NewRequest(http.MethodGet, "http://x/", nil)) })
}

func TestInProcessClient(t *testing.T) {
	s := NewServer(okHandler)
	defer s.Close()
	s.Faults.Add(Fault{Status: http.StatusTeapot})
	c := s.InProcessClient()
	resp, err := c.Get("http://fake.invalid/x") // no network: any host
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusTeapot, resp.StatusCode, "faults apply")
	resp, err = c.Get("http://fake.invalid/y")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 2, s.Recorder.Count(), "the recorder sees both")
}
