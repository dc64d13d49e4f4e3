package uchettest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/testkit"
)

// answer is a response with its read body.
type answer struct {
	status int
	header http.Header
	body   string
}

// decode unmarshals the body into a fresh value of type T.
func decode[T any](t *testing.T, a answer) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(a.body), &v), "body %s", a.body)
	return v
}

// apiErr is the decoded {"detail":{"code","message"}} body.
type apiErr struct {
	Detail struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"detail"`
}

// status is the decoded update_status answer.
type status struct {
	IINBIN     string  `json:"iin_bin"`
	TasksCount int     `json:"tasks_count"`
	Processed  int     `json:"processed"`
	Success    int     `json:"success"`
	Failed     int     `json:"failed"`
	Processing int     `json:"processing"`
	StartTime  string  `json:"start_time"`
	FinishTime *string `json:"finish_time"`
	Tasks      map[string]struct {
		Status     string  `json:"status"`
		StartTime  string  `json:"start_time"`
		FinishTime *string `json:"finish_time"`
	} `json:"tasks"`
}

// start runs a server with cfg and closes it when the test ends.
func start(t *testing.T, cfg Config) *Server {
	t.Helper()
	s := NewServerWith(cfg)
	t.Cleanup(s.Close)
	return s
}

// send performs method on rawURL with c and reads the answer.
func send(t *testing.T, c *http.Client, method, rawURL string) answer {
	t.Helper()
	resp, b := testkit.Send(t, c, testkit.NewRequest(t, method, rawURL, ""))
	return answer{resp.StatusCode, resp.Header, string(b)}
}

// call GETs route (relative to the API root) with the default token and the
// given parameters (name, value pairs).
func call(t *testing.T, s *Server, route string, kv ...string) answer {
	t.Helper()
	return send(t, s.Client(), http.MethodGet, routeURL(s.BaseURL(), route, append([]string{"token", DefaultToken}, kv...)...))
}

// routeURL builds base+route?kv….
func routeURL(base, route string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Add(kv[i], kv[i+1])
	}
	u := base + route
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// readAll reads the whole body of resp.
func readAll(resp *http.Response) ([]byte, error) { return io.ReadAll(resp.Body) }
