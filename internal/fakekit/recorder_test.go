package fakekit

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoHandler answers with the request body it read.
var echoHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_, _ = w.Write(b)
})

func TestRecorder(t *testing.T) {
	s := newServer(t, echoHandler)
	_, ok := s.Recorder.Last()
	assert.False(t, ok)
	assert.Empty(t, s.Recorder.Requests())

	before := time.Now()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/v1/things?page=2", strings.NewReader(`{"name":"x"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	echoed, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, `{"name":"x"}`, string(echoed), "the handler sees the restored body")

	do(t, s.Client(), http.MethodGet, s.URL+"/v1/other", "")
	assert.Equal(t, 2, s.Recorder.Count())

	reqs := s.Recorder.Requests()
	require.Len(t, reqs, 2)
	first := reqs[0]
	assert.Equal(t, http.MethodPost, first.Method)
	assert.Equal(t, "/v1/things", first.URL.Path)
	assert.Equal(t, "2", first.URL.Query().Get("page"))
	assert.Equal(t, "Bearer t", first.Header.Get("Authorization"))
	assert.Equal(t, `{"name":"x"}`, string(first.Body))
	assert.False(t, first.At.Before(before))

	last, ok := s.Recorder.Last()
	require.True(t, ok)
	assert.Equal(t, http.MethodGet, last.Method)
	assert.Equal(t, "/v1/other", last.URL.Path)
	assert.Nil(t, last.Body)

	// Returned values are copies.
	first.Header.Set("Authorization", "changed")
	first.URL.Path = "/changed"
	first.Body[0] = 'X'
	again := s.Recorder.Requests()[0]
	assert.Equal(t, "Bearer t", again.Header.Get("Authorization"))
	assert.Equal(t, "/v1/things", again.URL.Path)
	assert.Equal(t, `{"name":"x"}`, string(again.Body))

	s.Recorder.Reset()
	assert.Zero(t, s.Recorder.Count())
	_, ok = s.Recorder.Last()
	assert.False(t, ok)
}

func TestRecorderLargeBody(t *testing.T) {
	s := newServer(t, echoHandler)
	payload := bytes.Repeat([]byte("0123456789abcdef"), MaxRecordedBody/16+10)

	resp, err := s.Client().Post(s.URL, "application/octet-stream", bytes.NewReader(payload))
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, len(payload), len(got), "the handler gets the whole body")
	assert.True(t, bytes.Equal(payload, got))

	last, ok := s.Recorder.Last()
	require.True(t, ok)
	assert.Len(t, last.Body, MaxRecordedBody)
	assert.True(t, bytes.Equal(payload[:MaxRecordedBody], last.Body))
}

func TestRecorderDirect(t *testing.T) {
	var rc Recorder
	closed := false
	h := rc.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			_ = r.Body.Close()
			w.Header().Set("X-Len", strconv.Itoa(len(b)))
		}
	}))

	// A request without a body.
	r := httptest.NewRequest(http.MethodGet, "/none", nil)
	r.Body = nil
	h.ServeHTTP(httptest.NewRecorder(), r)

	// Closing the restored body closes the original one.
	r = httptest.NewRequest(http.MethodPut, "/some", nil)
	r.Body = closeFunc{Reader: strings.NewReader("abc"), close: func() { closed = true }}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, "3", w.Header().Get("X-Len"))
	assert.True(t, closed)

	reqs := rc.Requests()
	require.Len(t, reqs, 2)
	assert.Nil(t, reqs[0].Body)
	assert.Equal(t, "abc", string(reqs[1].Body))
}

// closeFunc is an io.ReadCloser that calls close when closed.
type closeFunc struct {
	io.Reader
	close func()
}

func (c closeFunc) Close() error {
	c.close()
	return nil
}
