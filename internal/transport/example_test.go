package transport_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// A client of an API built on the engine: a 503 is retried, a 404 becomes
// an *Error matching ErrNotFound, and a registered secret never shows.
func Example() {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		switch {
		case r.URL.Path == "/v1/flaky" && calls == 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case r.URL.Path == "/v1/flaky":
			fmt.Fprint(w, `{"ok":true}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"error":"no such thing for key %s"}`, r.URL.Query().Get("key"))
		}
	}))
	defer srv.Close()

	secrets := new(transport.Secrets)
	secrets.Add("s3cr3t")
	c, err := transport.New(transport.Config{API: "demo", BaseURL: srv.URL + "/v1/", Secrets: secrets,
		RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		panic(err)
	}
	var out struct{ OK bool }
	resp, err := c.DoJSON(context.Background(), &transport.Request{Path: "flaky"}, &out)
	fmt.Println(out.OK, resp.Attempts, err)

	_, err = c.Do(context.Background(), &transport.Request{Path: "missing", Query: map[string][]string{"key": {"s3cr3t"}}})
	var e *transport.Error
	fmt.Println(errors.Is(err, transport.ErrNotFound), errors.As(err, &e), e.StatusCode)
	fmt.Println(string(e.Body))
	// Output:
	// true 2 <nil>
	// true true 404
	// {"error":"no such thing for key REDACTED"}
}
