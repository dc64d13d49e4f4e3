package uztgstest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/testkit"
)

// start runs a server with cfg on a fake clock and closes it at the end of
// the test.
func start(t *testing.T, cfg Config) (*Server, *testkit.Clock) {
	t.Helper()
	clk := testkit.NewClock(time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC))
	s := newServer(cfg, clk.Now)
	t.Cleanup(s.Close)
	return s, clk
}

// creds holds the auth headers a client would keep.
type creds struct {
	token, client, uid string
}

// set puts the session's headers on req.
func (a creds) set(req *http.Request) {
	if a.token != "" {
		req.Header.Set("access-token", a.token)
	}
	if a.client != "" {
		req.Header.Set("client", a.client)
	}
	if a.uid != "" {
		req.Header.Set("uid", a.uid)
	}
	req.Header.Set("token-type", "Bearer")
}

// result is a response with its body read.
type result struct {
	status int
	header http.Header
	body   []byte
}

// token returns the access-token of the answer.
func (r result) token() string { return r.header.Get("access-token") }

// next returns the session to use after this answer: the new token if one
// came, the old one otherwise.
func (r result) next(a creds) creds {
	if tok := strings.TrimSpace(r.token()); tok != "" {
		a.token = tok
	}
	return a
}

// json decodes the body into v.
func (r result) json(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// do sends a request to the API path route (below APIPath) and reads the
// answer.
func do(t *testing.T, s *Server, method, route string, a creds, body string) result {
	t.Helper()
	return doWith(t, s.Client(), s.URL, method, route, a, body)
}

// doWith is do with client c against the server at base (a
// fakekit.PipeServer's, say).
func doWith(t *testing.T, c *http.Client, base, method, route string, a creds, body string) result {
	t.Helper()
	req := testkit.NewRequest(t, method, base+APIPath+"/"+route, body)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	a.set(req)
	resp, b := testkit.Send(t, c, req)
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

// get sends a GET with query parameters.
func get(t *testing.T, s *Server, route string, a creds, q url.Values) result {
	t.Helper()
	if len(q) > 0 {
		route += "?" + q.Encode()
	}
	return do(t, s, http.MethodGet, route, a, "")
}

// signIn signs in as the default user and returns its credentials.
func signIn(t *testing.T, s *Server) creds {
	t.Helper()
	r := do(t, s, http.MethodPost, "auth/sign_in", creds{},
		`{"email":"`+DefaultEmail+`","password":"`+DefaultPassword+`"}`)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	return creds{token: r.token(), client: r.header.Get("client"), uid: r.header.Get("uid")}
}

// page is a decoded list answer.
type page[T any] struct {
	Data        []T  `json:"data"`
	TotalPages  int  `json:"total_pages"`
	CurrentPage int  `json:"current_page"`
	NextPage    *int `json:"next_page"`
}

// item is a decoded channel_data archive row.
type item struct {
	EventTime   int64            `json:"event_time"`
	ChannelData []map[string]any `json:"channel_data"`
}

// errorsOf decodes an {"errors":[…]} body.
func errorsOf(t *testing.T, r result) []string {
	t.Helper()
	var v struct {
		Errors []string `json:"errors"`
	}
	r.json(t, &v)
	return v.Errors
}

// rawSessions counts the stored sessions of a user, expired ones included.
func rawSessions(s *Server, email string) int {
	acc := s.accounts[email]
	acc.mu.Lock()
	defer acc.mu.Unlock()
	return len(acc.sessions)
}
