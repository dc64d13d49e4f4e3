// Package crosstest_test holds reliability tests that look at all the typed
// clients at once: hostile answers (hostile_test.go) and secrets that must
// never show (secrets_test.go).
package crosstest_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/steppe-sdk/steppe/internal/testkit"
	"github.com/steppe-sdk/steppe/internal/transport"
	"github.com/steppe-sdk/steppe/uchet"
)

// knownBug ends a check that fails because of a client bug found by these
// tests and not fixed here: while broken, the test is skipped with the
// bug's description (visible with -v), so the suite stays green and the bug
// stays on record; once fixed, the test fails until the marker is removed.
func knownBug(t *testing.T, broken bool, bug string) {
	t.Helper()
	if broken {
		t.Skipf("KNOWN CLIENT BUG (reported, not fixed here): %s", bug)
	}
	t.Errorf("this known bug no longer reproduces, remove its marker: %s", bug)
}

// released serves h with a request context that also ends when release
// is closed. A test closes release once its call has returned, so that a
// handler that waits for the client to hang up (slow, mxHang) ends even
// when the client does not hang up: the uztgs session keeps awaiting an
// answer after its caller gave up, for the token it may carry.
func released(h http.Handler, release <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		go func() {
			select {
			case <-release:
				cancel()
			case <-ctx.Done():
			}
		}()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a shared
// slog handler.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// shown is one text a caller may see, and where it comes from.
type shown struct{ where, text string }

// errorTexts returns every text err can show: Error(), %v, %+v and %#v of it
// and of every error of its tree, and the string fields of the typed
// errors in it (URL, Code, Message, RequestID, Body, Location, Err).
func errorTexts(err error) []shown {
	if err == nil {
		return nil
	}
	ty := fmt.Sprintf("%T", err)
	out := []shown{
		{"Error() of " + ty, err.Error()},
		{"%v of " + ty, fmt.Sprintf("%v", err)},
		{"%+v of " + ty, fmt.Sprintf("%+v", err)},
		{"%#v of " + ty, fmt.Sprintf("%#v", err)},
	}
	field := func(name, text string) { out = append(out, shown{ty + "." + name, text}) }
	switch e := err.(type) {
	case *transport.Error:
		field("URL", e.URL)
		field("Code", e.Code)
		field("Message", e.Message)
		field("RequestID", e.RequestID)
		field("Body", string(e.Body))
		field("Location", e.Location)
		field("Method", e.Method)
		field("API", e.API)
		if e.Err != nil {
			field("Err", e.Err.Error())
		}
		field("%+v of the struct", fmt.Sprintf("%+v", *e))
	case *uchet.APIError:
		field("Code", string(e.Code))
		field("Message", e.Message)
		if e.Err != nil {
			field("Err", e.Err.Error())
		}
		field("%+v of the struct", fmt.Sprintf("%+v", *e))
	case *url.Error:
		field("URL", e.URL)
		field("Op", e.Op)
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, inner := range u.Unwrap() {
			out = append(out, errorTexts(inner)...)
		}
	case interface{ Unwrap() error }:
		out = append(out, errorTexts(u.Unwrap())...)
	}
	return out
}

// echoEncoding is one way a server may print back a value it received.
type echoEncoding struct {
	name   string
	encode func(string) string
}

// echoEncodings are the ways a careless server prints back what it got
// (testkit.Echoes: as is, URL-escaped, inside a JSON string as
// encoding/json and PHP's json_encode write it, HTML-escaped, base64),
// written independently of the transport's own list (secretForms in
// internal/transport/secrets.go).
var echoEncodings = func() []echoEncoding {
	var out []echoEncoding
	for _, e := range testkit.Echoes() {
		out = append(out, echoEncoding{name: e.Name, encode: e.Encode})
	}
	return out
}()

// secretForm is one spelling of a secret and the encodings that give it.
type secretForm struct {
	text      string
	encodings []string
}

// secretFormsNamed returns the distinct spellings under which a secret may
// show, one for each encoding of echoEncodings (encodings that spell it
// alike share one entry).
func secretFormsNamed(s string) []secretForm {
	var out []secretForm
	for _, e := range echoEncodings {
		f := e.encode(s)
		if f == "" {
			continue
		}
		i := slices.IndexFunc(out, func(sf secretForm) bool { return sf.text == f })
		if i < 0 {
			out = append(out, secretForm{text: f})
			i = len(out) - 1
		}
		out[i].encodings = append(out[i].encodings, e.name)
	}
	return out
}

// secretForms returns the distinct spellings under which a secret may
// show: every encoding of echoEncodings.
func secretForms(s string) []string {
	var out []string
	for _, f := range secretFormsNamed(s) {
		out = append(out, f.text)
	}
	return out
}

// formName names the encodings that spell secret as form, for messages
// that must not print the form itself.
func formName(secret, form string) string {
	for _, f := range secretFormsNamed(secret) {
		if f.text == form {
			return strings.Join(f.encodings, "/")
		}
	}
	return "unknown"
}

// allocatedDuring runs call after a garbage collection and returns the
// bytes allocated meanwhile (by every goroutine) and call's error.
func allocatedDuring(call func() error) (uint64, error) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := call()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, err
}
