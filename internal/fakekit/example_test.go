package fakekit_test

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

func ExampleNewServer() {
	s := fakekit.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fakekit.WriteJSON(w, http.StatusOK, map[string]string{"path": r.URL.Path})
	}))
	defer s.Close()

	// The first request to /v1/orders fails with 503; the next one succeeds.
	s.Faults.Add(fakekit.Fault{Method: http.MethodGet, Path: "/v1/orders", Status: http.StatusServiceUnavailable, RetryAfter: 2 * time.Second})

	for range 2 {
		resp, err := s.Client().Get(s.URL + "/v1/orders")
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%d retry-after=%q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	fmt.Println("requests received:", s.Recorder.Count())
	// Output:
	// 503 retry-after="2" 503 Service Unavailable (injected fault)
	// 200 retry-after="" {"path":"/v1/orders"}
	// requests received: 2
}
