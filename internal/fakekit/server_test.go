package fakekit

import (
	"net"
	"net/http"
	"net/url"
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
