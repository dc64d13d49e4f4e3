package paruskaztest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/ids"
	"github.com/steppe-sdk/steppe/internal/testkit"
)

// Check-digit-valid identifiers (and the document's sample, which is not).
const (
	validBIN  = "980400001234"
	validIIN  = "900101300017"
	otherIIN  = "850715300122"
	sampleNum = "123456789012"
)

// validPerson is a person object that passes every check.
const validPerson = `{"datetime":"2024-01-13T10:01:23+00:00","iin":"900101300017","fio":"Иванов Иван Иванович","note":"Корпус 1"}`

// validBody is a request with one institution and one pass.
const validBody = `{"source":"Query","code":"InsertACS","param":{"data":[` +
	`{"bin":"980400001234","org_name":"Школа № 1","person":[` + validPerson + `]}]}}`

// validEvent is the pass in validBody.
var validEvent = Event{
	BIN: validBIN, OrgName: "Школа № 1", DateTime: "2024-01-13T10:01:23+00:00",
	IIN: validIIN, FIO: "Иванов Иван Иванович", Note: "Корпус 1",
}

// start runs a server with cfg on a fake clock and closes it when the test
// ends.
func start(t *testing.T, cfg Config) (*Server, *testkit.Clock) {
	t.Helper()
	clk := testkit.NewClock(time.Date(2024, 1, 13, 10, 0, 0, 0, time.UTC))
	s := newServer(cfg, clk.Now)
	t.Cleanup(s.Close)
	return s, clk
}

// unlimited is a configuration without rate limit, for tests that send
// many requests.
func unlimited() Config {
	c := DefaultConfig()
	c.RateLimit = -1
	return c
}

// answer is a response with its decoded message.
type answer struct {
	status  int
	header  http.Header
	message string
	raw     string
}

// reason returns the X-Fake-Reason header.
func (a answer) reason() string { return a.header.Get(ReasonHeader) }

// newPost builds a POST of body to url with the default key and content
// type.
func newPost(t *testing.T, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, body)
	require.NoError(t, err)
	req.Header.Set("X-API-KEY", DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	return req
}

// do sends req with the server's client and reads the answer.
func do(t *testing.T, s *Server, req *http.Request) answer {
	t.Helper()
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	return readAnswer(t, resp)
}

// readAnswer reads and closes resp.
func readAnswer(t *testing.T, resp *http.Response) answer {
	t.Helper()
	b := testkit.ReadBody(t, resp)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	var m struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(b, &m) == nil {
		a.message = m.Message
	}
	return a
}

// post sends body to the default route with the default headers.
func post(t *testing.T, s *Server, body string) answer {
	t.Helper()
	return do(t, s, newPost(t, s.URL+DataSetPath, strings.NewReader(body)))
}

// wireItem and wirePerson build request bodies in the documented shape.
type wireItem struct {
	BIN     string       `json:"bin"`
	OrgName string       `json:"org_name"`
	Person  []wirePerson `json:"person"`
}

type wirePerson struct {
	DateTime string `json:"datetime"`
	IIN      string `json:"iin"`
	FIO      string `json:"fio"`
	Note     string `json:"note"`
}

// encode builds a request body holding events, one institution object per
// run of events with the same BIN and name.
func encode(t testing.TB, events ...Event) string {
	t.Helper()
	var items []wireItem
	for _, e := range events {
		if n := len(items); n == 0 || items[n-1].BIN != e.BIN || items[n-1].OrgName != e.OrgName {
			items = append(items, wireItem{BIN: e.BIN, OrgName: e.OrgName})
		}
		it := &items[len(items)-1]
		it.Person = append(it.Person, wirePerson{e.DateTime, e.IIN, e.FIO, e.Note})
	}
	var req struct {
		Source string `json:"source"`
		Code   string `json:"code"`
		Param  struct {
			Data []wireItem `json:"data"`
		} `json:"param"`
	}
	req.Source, req.Code, req.Param.Data = "Query", "InsertACS", items
	b, err := json.Marshal(req)
	require.NoError(t, err)
	return string(b)
}

// makeID returns the valid 12-digit identifier whose first digits are
// derived from n (skipping numbers that have no check digit).
func makeID(t testing.TB, n int) string {
	t.Helper()
	for ; ; n++ {
		data := fmtDigits(n, 11)
		if d, err := ids.IINBINCheckDigit(data); err == nil {
			return data + string(rune('0'+d))
		}
	}
}

// fmtDigits formats n with exactly width digits.
func fmtDigits(n, width int) string {
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

// makeEvents returns n distinct valid passes of one institution.
func makeEvents(t testing.TB, n int) []Event {
	t.Helper()
	base := time.Date(2024, 1, 13, 8, 0, 0, 0, time.FixedZone("", 5*3600))
	out := make([]Event, n)
	for i := range out {
		out[i] = Event{
			BIN: validBIN, OrgName: "Школа № 1",
			DateTime: base.Add(time.Duration(i) * time.Second).Format(time.RFC3339),
			IIN:      makeID(t, 90010130000+i%1000),
			FIO:      "Посетитель " + fmtDigits(i, 7),
			Note:     "",
		}
	}
	return out
}
