package fakekit

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// MaxRecordedBody is the number of request-body bytes a [Recorder] keeps
// per request. Longer bodies are still passed on to the wrapped handler in
// full; only the stored copy is cut.
const MaxRecordedBody = 1 << 20

// Recorded is a copy of one request received by a [Recorder].
type Recorded struct {
	// Method is the request method, e.g. "GET".
	Method string
	// URL is the request URL as the server saw it (path and query; no
	// scheme or host for ordinary requests).
	URL *url.URL
	// Header holds the request headers.
	Header http.Header
	// Body holds the first MaxRecordedBody bytes of the request body.
	Body []byte
	// At is when the request reached the recorder.
	At time.Time
}

// clone returns a deep copy of rec, so that callers can modify it freely.
func (rec Recorded) clone() Recorded {
	if rec.URL != nil {
		u := *rec.URL
		rec.URL = &u
	}
	rec.Header = rec.Header.Clone()
	rec.Body = slices.Clone(rec.Body)
	return rec
}

// Recorder keeps a copy of every request that passes through the handler
// returned by [Recorder.Wrap]. The zero value is ready to use. A Recorder
// is safe for concurrent use.
type Recorder struct {
	mu   sync.Mutex
	reqs []Recorded
}

// Wrap returns a handler that records each request and then calls next.
// The request body is read (up to [MaxRecordedBody] bytes) and restored, so
// next sees the complete, unread body. A request is recorded before next
// runs, so requests that next (or a fault) fails are recorded too.
func (rc *Recorder) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if r.Body != nil && r.Body != http.NoBody {
			// A read error is not fatal here: the handler will meet the
			// same error when it reads the rest of the body.
			body, _ = io.ReadAll(io.LimitReader(r.Body, MaxRecordedBody))
			r.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(body), r.Body), Closer: r.Body}
		}
		if len(body) == 0 {
			body = nil
		}
		rec := Recorded{Method: r.Method, URL: r.URL, Header: r.Header, Body: body, At: time.Now()}.clone()

		rc.mu.Lock()
		rc.reqs = append(rc.reqs, rec)
		rc.mu.Unlock()

		next.ServeHTTP(w, r)
	})
}

// replayBody serves the recorded prefix of a request body followed by the
// unread rest, and closes the original body.
type replayBody struct {
	io.Reader
	io.Closer
}

// Requests returns copies of all recorded requests, oldest first.
func (rc *Recorder) Requests() []Recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := make([]Recorded, len(rc.reqs))
	for i, rec := range rc.reqs {
		out[i] = rec.clone()
	}
	return out
}

// Count returns the number of recorded requests.
func (rc *Recorder) Count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.reqs)
}

// Last returns a copy of the most recently recorded request. The boolean is
// false if nothing has been recorded.
func (rc *Recorder) Last() (Recorded, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.reqs) == 0 {
		return Recorded{}, false
	}
	return rc.reqs[len(rc.reqs)-1].clone(), true
}

// Reset forgets all recorded requests.
func (rc *Recorder) Reset() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs = nil
}
