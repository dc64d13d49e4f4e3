package bench

import (
	"bytes"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// A staticServer stands in for a fake in BenchmarkCallStatic. Until it is
// frozen it is a proxy: it forwards every request to the fake and keeps the
// fake's first answer to each method and path (status, headers, body).
// Once frozen, it answers every request from those captured answers alone,
// after reading and dropping the request's body, and no longer reaches the
// fake; a method and path it has no answer for gets 404. The per-request
// cost on the server's side is then a few header map writes and one write
// of precomputed bytes, the same for both sides of a pair.
type staticServer struct {
	*httptest.Server
	fake *url.URL
	hc   *http.Client

	mu       sync.Mutex
	captured map[string]*answer
	frozen   atomic.Pointer[map[string]*answer]
}

// An answer is one captured answer of the fake.
type answer struct {
	status int
	header http.Header // with Content-Length; never modified once captured
	body   []byte
}

// newStaticServer starts a static server in front of the fake at fakeBase
// (any URL of the fake; only its scheme and host are used). It is closed
// when b's benchmark ends.
func newStaticServer(b *testing.B, fakeBase string) *staticServer {
	b.Helper()
	u, err := url.Parse(fakeBase)
	if err != nil {
		b.Fatal(err)
	}
	s := &staticServer{fake: u, hc: handHTTP(), captured: map[string]*answer{}}
	s.Server = httptest.NewServer(s)
	b.Cleanup(s.Close)
	return s
}

// rebase returns u with the scheme and host of the static server.
func (s *staticServer) rebase(b *testing.B, u string) string {
	b.Helper()
	v, err := url.Parse(u)
	if err != nil {
		b.Fatal(err)
	}
	own, _ := url.Parse(s.URL)
	v.Scheme, v.Host = own.Scheme, own.Host
	return v.String()
}

// freeze ends capturing: from now on the server answers from the captured
// answers only. It fails b if nothing was captured.
func (s *staticServer) freeze(b *testing.B) {
	b.Helper()
	s.mu.Lock()
	m := maps.Clone(s.captured)
	s.mu.Unlock()
	if len(m) == 0 {
		b.Fatal("static server: nothing captured")
	}
	s.frozen.Store(&m)
}

func key(r *http.Request) string { return r.Method + " " + r.URL.Path }

func (s *staticServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := s.frozen.Load()
	if m == nil {
		s.capture(w, r)
		return
	}
	_, _ = io.Copy(io.Discard, r.Body)
	a := (*m)[key(r)]
	if a == nil {
		http.Error(w, "static server: no captured answer for "+key(r), http.StatusNotFound)
		return
	}
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// hopByHop are the headers of one connection, not of the answer; Date is
// written afresh by the server and Content-Length set from the body.
var hopByHop = []string{"Connection", "Keep-Alive", "Transfer-Encoding", "Trailer", "Upgrade", "Date", "Content-Length"}

// capture forwards r to the fake, keeps the fake's first answer to r's
// method and path, and relays the answer.
func (s *staticServer) capture(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	target := *s.fake
	target.Path, target.RawPath, target.RawQuery = r.URL.Path, r.URL.RawPath, r.URL.RawQuery
	req, err := http.NewRequestWithContext(r.Context(), r.Method, target.String(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := s.hc.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	a := &answer{status: resp.StatusCode, header: resp.Header.Clone(), body: data}
	for _, k := range hopByHop {
		delete(a.header, k)
	}
	a.header.Set("Content-Length", strconv.Itoa(len(data)))
	s.mu.Lock()
	if _, ok := s.captured[key(r)]; !ok {
		s.captured[key(r)] = a
	}
	s.mu.Unlock()
	maps.Copy(w.Header(), a.header)
	w.WriteHeader(a.status)
	_, _ = w.Write(data)
}
