package paruskaztest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

// docExample is the document's sample request made valid JSON, with its
// sample numbers, which fail the checksum.
const docExample = `{
    "source": "Query",
    "code": "InsertACS",
    "param": {
        "data": [
            {
                "bin": "123456789012",
                "org_name": "Наименование учреждения",
                "person": [
                    {
                        "datetime": "2024-01-13T10:01:23+00:00",
                        "iin": "123456789012",
                        "fio": "Иванов Иван Иванович",
                        "note": "Произвольное текстовое примечание"
                    },
                    {
                        "datetime": "2024-01-13T18:09:18+00:00",
                        "iin": "123456789012",
                        "fio": "Иванов Иван Иванович",
                        "note": "Произвольное текстовое примечание"
                    }
                ]
            }
        ]
    }
}`

func TestDefaults(t *testing.T) {
	cfg := DefaultConfig()
	assert.Equal(t, []string{DefaultAPIKey}, cfg.APIKeys)
	assert.EqualValues(t, 50_000_000, cfg.MaxBodyBytes)
	assert.Equal(t, 2, cfg.RateLimit)
	assert.False(t, cfg.Checksum)
	assert.Zero(t, cfg.Latency)

	srv := NewServer()
	defer srv.Close()
	assert.Equal(t, srv.URL+"/back/apikey/v1/", srv.BaseURL())
	assert.Equal(t, "/back/apikey/v1/data_set", DataSetPath)

	// A zero Config means the defaults too.
	s := NewServerWith(Config{})
	defer s.Close()
	assert.Equal(t, DefaultConfig(), s.cfg)
}

func TestDocExample(t *testing.T) {
	srv, _ := start(t, Config{})
	a := post(t, srv, docExample)
	require.Equal(t, http.StatusOK, a.status, a.reason())
	assert.Equal(t, `{"message":"OK"}`+"\n", a.raw)
	assert.Equal(t, "application/json; charset=utf-8", a.header.Get("Content-Type"))
	assert.Empty(t, a.reason())

	want := []Event{
		{BIN: sampleNum, OrgName: "Наименование учреждения", DateTime: "2024-01-13T10:01:23+00:00",
			IIN: sampleNum, FIO: "Иванов Иван Иванович", Note: "Произвольное текстовое примечание"},
		{BIN: sampleNum, OrgName: "Наименование учреждения", DateTime: "2024-01-13T18:09:18+00:00",
			IIN: sampleNum, FIO: "Иванов Иван Иванович", Note: "Произвольное текстовое примечание"},
	}
	assert.Equal(t, want, srv.Events())
	assert.Equal(t, 2, srv.Count())
	assert.True(t, srv.Has(want[0]))
	assert.True(t, srv.Has(want[1]))
	st := srv.Stats()
	assert.Equal(t, 1, st.Requests)
	assert.Equal(t, 1, st.Accepted)
	assert.EqualValues(t, len(docExample), st.MaxBodySeen)
}

func TestChecksum(t *testing.T) {
	srv, _ := start(t, Config{Checksum: true, RateLimit: -1})

	a := post(t, srv, docExample)
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Equal(t, MsgBadRequest, a.message)
	assert.Contains(t, a.reason(), "param.data[0].bin: bad check digit")
	assert.Zero(t, srv.Count())

	valid := strings.ReplaceAll(strings.Replace(docExample, sampleNum, validBIN, 1), sampleNum, validIIN)
	a = post(t, srv, valid)
	require.Equal(t, http.StatusOK, a.status, a.reason())
	assert.Equal(t, 2, srv.Count())

	a = post(t, srv, strings.Replace(validBody, validIIN, sampleNum, 1))
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Contains(t, a.reason(), "param.data[0].person[0].iin: bad check digit")
}

func TestBadRequests(t *testing.T) {
	tests := []struct {
		name, from, to, reason string
	}{
		{"not JSON", validBody, "hello", "body: malformed JSON"},
		{"empty body", validBody, "", "body: malformed JSON: unexpected end of body"},
		{"cut short", validBody, validBody[:40], "malformed JSON: unexpected end of body"},
		{"cut in a person", validBody, validBody[:150], "malformed JSON: unexpected end of body"},
		{"array body", validBody, "[]", "body: must be an object, got an array"},
		{"second object", validBody, validBody + "{}", "body: trailing data after the JSON object"},
		{"trailing garbage", validBody, validBody + " x", "body: trailing data after the JSON object"},
		{"wrong source", `"Query"`, `"query"`, `source: must be "Query", got "query"`},
		{"source a number", `"Query"`, `1`, "source: must be a string, got a number"},
		{"wrong code", `"InsertACS"`, `"insertAcs"`, `code: must be "InsertACS"`},
		{"capitalised key", `"source"`, `"Source"`, `body: unknown key "Source"`},
		{"repeated key", `"source":"Query",`, `"source":"Query","source":"Query",`, `body: duplicate key "source"`},
		{"missing param", `,"param":{"data":[` + validBody[len(`{"source":"Query","code":"InsertACS","param":{"data":[`):len(validBody)-3] + `]}}`, `}`, `body: missing key "param"`},
		{"param an array", `"param":{"data":`, `"param":[{"data":`, "param: must be an object, got an array"},
		{"unknown param key", `{"data":`, `{"format":1,"data":`, `param: unknown key "format"`},
		{"data null", `"data":[{"bin"`, `"data":null,"x":[{"bin"`, "param.data: must be a non-empty array, got null"},
		{"data empty", `"data":[{"bin"`, `"data":[],"x":[{"bin"`, "param.data: must be a non-empty array, got []"},
		{"data item a number", `"data":[{`, `"data":[1,{`, "param.data[0]: must be an object, got a number"},
		{"bin with a space", `"bin":`, `"bin ":`, `param.data[0]: unknown key "bin "`},
		{"org name with a space", `"org_name":`, `"org name":`, `param.data[0]: unknown key "org name"`},
		{"BIN in capitals", `"bin":`, `"BIN":`, `param.data[0]: unknown key "BIN"`},
		{"missing bin", `"bin":"980400001234",`, ``, `param.data[0]: missing key "bin"`},
		{"short bin", validBIN, "98040000123", `param.data[0].bin: must be 12 ASCII digits, got "98040000123"`},
		{"bin with a letter", validBIN, "98040000123X", "param.data[0].bin: must be 12 ASCII digits"},
		{"bin in Arabic digits", validBIN, "٩٨٠٤٠٠٠٠١٢٣٤", `param.data[0].bin: must be 12 ASCII digits, got "\u0669`},
		{"bin a number", `"` + validBIN + `"`, validBIN, "param.data[0].bin: must be a string, got a number"},
		{"blank org_name", "Школа № 1", ` \t\u00a0`, "param.data[0].org_name: must not be blank"},
		{"org_name null", `"Школа № 1"`, "null", "param.data[0].org_name: must be a string, got null"},
		{"person empty", validPerson, "", "param.data[0].person: must be a non-empty array, got []"},
		{"person an object", "[" + validPerson + "]", validPerson, "param.data[0].person: must be a non-empty array, got an object"},
		{"person null", validPerson, "null", "param.data[0].person[0]: must be an object, got null"},
		{"person a string", validPerson, `"x"`, "param.data[0].person[0]: must be an object, got a string"},
		{"person an array", validPerson, `[]`, "param.data[0].person[0]: must be an object, got an array"},
		{"person a boolean", validPerson, `true`, "param.data[0].person[0]: must be an object, got a boolean"},
		{"person a number", validPerson, `-1`, "param.data[0].person[0]: must be an object, got a number"},
		{"second person bad", validPerson, validPerson + `,{}`, `param.data[0].person[1]: missing key "datetime"`},
		{"missing note", `,"note":"Корпус 1"`, "", `param.data[0].person[0]: missing key "note"`},
		{"null note", `"Корпус 1"`, "null", "param.data[0].person[0].note: must be a string, got null"},
		{"iin a number", `"iin":"` + validIIN + `"`, `"iin":` + validIIN, "param.data[0].person[0].iin: must be a string, got a number"},
		{"fio an object", `"fio":"Иванов Иван Иванович"`, `"fio":{}`, "param.data[0].person[0].fio: must be a string, got an object"},
		{"fio an array", `"fio":"Иванов Иван Иванович"`, `"fio":[]`, "param.data[0].person[0].fio: must be a string, got an array"},
		{"note a boolean", `"Корпус 1"`, "false", "param.data[0].person[0].note: must be a string, got a boolean"},
		{"date time with a space", `"datetime"`, `"date time"`, `param.data[0].person[0]: unknown key "date time"`},
		{"Datetime capitalised", `"datetime"`, `"Datetime"`, `param.data[0].person[0]: unknown key "Datetime"`},
		{"person key repeated", `"note":`, `"fio":"x","note":`, `param.data[0].person[0]: duplicate key "fio"`},
		{"bad JSON in a person", `"note":"Корпус 1"`, `"note":tru`, "param.data[0].person[0].note: malformed JSON at byte"},
		{"short iin", `"iin":"` + validIIN, `"iin":"9001013000`, "param.data[0].person[0].iin: must be 12 ASCII digits"},
		{"blank fio", "Иванов Иван Иванович", "   ", "param.data[0].person[0].fio: must not be blank"},
		{"datetime without offset", "2024-01-13T10:01:23+00:00", "2024-01-13T10:01:23", `param.data[0].person[0].datetime: must be RFC 3339 with a time-zone offset, got "2024-01-13T10:01:23"`},
		{"datetime date only", "2024-01-13T10:01:23+00:00", "2024-01-13", "param.data[0].person[0].datetime: must be RFC 3339"},
		{"datetime Russian style", "2024-01-13T10:01:23+00:00", "13.01.2024 10:01:23", "param.data[0].person[0].datetime: must be RFC 3339"},
		{"datetime with a space", "2024-01-13T10:01:23+00:00", "2024-01-13 10:01:23+00:00", "param.data[0].person[0].datetime: must be RFC 3339"},
		{"datetime compact offset", "2024-01-13T10:01:23+00:00", "2024-01-13T10:01:23+0000", "param.data[0].person[0].datetime: must be RFC 3339"},
	}
	srv, _ := start(t, unlimited())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, validBody, tt.from, "bad test: nothing to replace")
			body := strings.Replace(validBody, tt.from, tt.to, 1)
			before := srv.Stats().BadRequests
			a := post(t, srv, body)
			require.Equal(t, http.StatusBadRequest, a.status, "body %s", body)
			assert.Equal(t, MsgBadRequest, a.message)
			assert.Equal(t, `{"message":"Ошибка передачи параметров"}`+"\n", a.raw)
			assert.Contains(t, a.reason(), tt.reason)
			assert.Equal(t, before+1, srv.Stats().BadRequests)
		})
	}
	assert.Zero(t, srv.Count(), "nothing may be stored from a refused request")
	assert.Zero(t, srv.Stats().Accepted)
}

func TestReasonShortensLongValues(t *testing.T) {
	srv, _ := start(t, unlimited())
	long := strings.Repeat("я", 100)
	a := post(t, srv, strings.Replace(validBody, `"Query"`, `"`+long+`"`, 1))
	require.Equal(t, http.StatusBadRequest, a.status)
	assert.Contains(t, a.reason(), `got "\u044f`)
	assert.True(t, strings.HasSuffix(a.reason(), "…"), a.reason())
	assert.Less(t, len(a.reason()), 300)
}

func TestContentType(t *testing.T) {
	srv, _ := start(t, unlimited())
	for _, tt := range []struct {
		ct     string
		status int
		reason string
	}{
		{"", http.StatusBadRequest, "missing Content-Type"},
		{"text/plain", http.StatusBadRequest, `Content-Type "text/plain", want application/json`},
		{"application/json;;", http.StatusBadRequest, "want application/json"},
		{"application/json", http.StatusOK, ""},
		{"application/json; charset=utf-8", http.StatusOK, ""},
		{"Application/JSON", http.StatusOK, ""},
	} {
		req := newPost(t, srv.URL+DataSetPath, strings.NewReader(validBody))
		if tt.ct == "" {
			req.Header.Del("Content-Type")
		} else {
			req.Header.Set("Content-Type", tt.ct)
		}
		a := do(t, srv, req)
		assert.Equal(t, tt.status, a.status, tt.ct)
		if tt.reason == "" {
			assert.Empty(t, a.reason(), tt.ct)
		} else {
			assert.Contains(t, a.reason(), tt.reason, tt.ct)
		}
	}
}

func TestAllOrNothing(t *testing.T) {
	srv, _ := start(t, unlimited())
	events := makeEvents(t, 3)
	body := encode(t, events...)
	// The last pass's IIN is made invalid.
	i := strings.LastIndex(body, events[2].IIN)
	bad := body[:i] + "12345" + body[i+12:]
	a := post(t, srv, bad)
	require.Equal(t, http.StatusBadRequest, a.status)
	assert.Contains(t, a.reason(), "param.data[0].person[2].iin")
	assert.Zero(t, srv.Count())
	assert.False(t, srv.Has(events[0]))

	require.Equal(t, http.StatusOK, post(t, srv, body).status)
	assert.Equal(t, events, srv.Events())
}

func TestKeyOrderAndEscapes(t *testing.T) {
	srv, _ := start(t, unlimited())
	// Keys in another order, persons before bin, escapes and white space.
	body := "{ \"param\" : { \"data\" : [ { \"person\" : [ { \"note\" : \"\" , \"fio\" : \"\\u0418\\u0432\\u0430\\u043d\\u043e\\u0432 \\\"\u0418\\\"\" ,\n" +
		"\t\"iin\":\"900101300017\",\"datetime\":\"2024-01-13T10:01:23.5Z\"},{\"datetime\":\"2024-01-13T15:01:23+05:00\",\"iin\":\"850715300122\",\"fio\":\"Bad \xff byte\",\"note\":\"x\"}] ,\r\n" +
		"\"org_name\" : \"Школа\" , \"bin\" : \"980400001234\" } ] } , \"code\" : \"InsertACS\" , \"source\" : \"Query\" }\n\n"
	a := post(t, srv, body)
	require.Equal(t, http.StatusOK, a.status, a.reason())
	assert.Equal(t, []Event{
		{BIN: validBIN, OrgName: "Школа", DateTime: "2024-01-13T10:01:23.5Z", IIN: validIIN, FIO: `Иванов "И"`, Note: ""},
		{BIN: validBIN, OrgName: "Школа", DateTime: "2024-01-13T15:01:23+05:00", IIN: otherIIN, FIO: "Bad \uFFFD byte", Note: "x"},
	}, srv.Events())
}

func TestSeveralInstitutions(t *testing.T) {
	srv, _ := start(t, unlimited())
	a := makeEvents(t, 2)
	b := makeEvents(t, 2)
	for i := range b {
		b[i].BIN = makeID(t, 12345678901)
		b[i].OrgName = "Детский сад № 7"
	}
	all := append(append([]Event{}, a...), b...)
	require.Equal(t, http.StatusOK, post(t, srv, encode(t, all...)).status)
	assert.Equal(t, all, srv.Events())
	for _, e := range all {
		assert.True(t, srv.Has(e))
	}
}

func TestUnauthorized(t *testing.T) {
	srv, _ := start(t, Config{APIKeys: []string{"first", "second"}, RateLimit: -1})
	tests := []struct {
		name   string
		set    func(h http.Header)
		status int
		reason string
	}{
		{"missing", func(h http.Header) { h.Del("X-Api-Key") }, http.StatusUnauthorized, "missing X-API-KEY header"},
		{"wrong", func(h http.Header) { h.Set("X-API-KEY", "third") }, http.StatusUnauthorized, "unknown API key"},
		{"default key not configured", func(h http.Header) { h.Set("X-API-KEY", DefaultAPIKey) }, http.StatusUnauthorized, "unknown API key"},
		{"empty", func(h http.Header) { h.Set("X-API-KEY", "") }, http.StatusUnauthorized, "unknown API key"},
		{"prefix", func(h http.Header) { h.Set("X-API-KEY", "firs") }, http.StatusUnauthorized, "unknown API key"},
		{"twice", func(h http.Header) { h.Set("X-API-KEY", "first"); h.Add("X-API-KEY", "first") }, http.StatusUnauthorized, "more than one X-API-KEY header"},
		{"first key", func(h http.Header) { h.Set("X-API-KEY", "first") }, http.StatusOK, ""},
		{"second key, lower-case name", func(h http.Header) { h.Del("X-Api-Key"); h["x-api-key"] = []string{"second"} }, http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newPost(t, srv.URL+DataSetPath, strings.NewReader(validBody))
			tt.set(req.Header)
			a := do(t, srv, req)
			assert.Equal(t, tt.status, a.status)
			assert.Equal(t, tt.reason, a.reason())
			if tt.status == http.StatusUnauthorized {
				assert.Equal(t, `{"message":"Ошибка авторизации (ключ не верный или заблокирован)"}`+"\n", a.raw)
			}
		})
	}
	assert.Equal(t, 6, srv.Stats().Unauthorized)
	assert.Equal(t, 2, srv.Stats().Accepted)

	none, _ := start(t, Config{APIKeys: []string{}})
	a := post(t, none, validBody)
	assert.Equal(t, http.StatusUnauthorized, a.status, "an empty key list refuses every key")
}

// cyrillicHeader is the header name as the document spells it, with
// Cyrillic look-alike letters.
const cyrillicHeader = "Х-АРІ-КЕҮ"

func TestCyrillicHeaderName(t *testing.T) {
	srv, _ := start(t, unlimited())
	require.NotEqual(t, "X-API-KEY", cyrillicHeader)

	// In-process, the handler sees the name as it is: no key.
	req := httptest.NewRequest(http.MethodPost, DataSetPath, strings.NewReader(validBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(cyrillicHeader, DefaultAPIKey)
	_, canonical := req.Header[cyrillicHeader]
	require.True(t, canonical, "Go leaves non-ASCII names alone")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.Equal(t, "missing X-API-KEY header", rec.Header().Get(ReasonHeader))

	// Go's client refuses to send such a name.
	req = newPost(t, srv.URL+DataSetPath, strings.NewReader(validBody))
	req.Header.Del("X-Api-Key")
	req.Header.Set(cyrillicHeader, DefaultAPIKey)
	_, err := srv.Client().Do(req)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid header field name")

	// Go's server answers a raw request carrying one with its own 400.
	seen := srv.Stats().Requests
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\n%s: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		DataSetPath, cyrillicHeader, DefaultAPIKey, len(validBody), validBody)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, seen, srv.Stats().Requests, "the fake never saw it")
}

func TestBodyLimit(t *testing.T) {
	limit := int64(len(validBody))
	srv, _ := start(t, Config{MaxBodyBytes: limit, RateLimit: -1})

	// Exactly the limit is fine.
	a := post(t, srv, validBody)
	require.Equal(t, http.StatusOK, a.status, a.reason())
	assert.Equal(t, limit, srv.Stats().MaxBodySeen)

	// One byte more in the note is refused, by its declared length.
	over := strings.Replace(validBody, "Корпус 1", "Корпус 12", 1)
	require.EqualValues(t, limit+1, len(over))
	a = post(t, srv, over)
	assert.Equal(t, http.StatusRequestEntityTooLarge, a.status)
	assert.Equal(t, MsgTooLarge, a.message)
	assert.Equal(t, fmt.Sprintf("declared body of %d bytes is larger than %d bytes", limit+1, limit), a.reason())

	// Without a declared length, it is refused as it streams in.
	a = do(t, srv, newPost(t, srv.URL+DataSetPath, struct{ io.Reader }{strings.NewReader(over)}))
	assert.Equal(t, http.StatusRequestEntityTooLarge, a.status)
	assert.Equal(t, fmt.Sprintf("body larger than %d bytes", limit), a.reason())

	// Trailing white space counts too.
	a = do(t, srv, newPost(t, srv.URL+DataSetPath, struct{ io.Reader }{strings.NewReader(validBody + "\n")}))
	assert.Equal(t, http.StatusRequestEntityTooLarge, a.status)

	// And exactly the limit without a declared length is fine.
	a = do(t, srv, newPost(t, srv.URL+DataSetPath, struct{ io.Reader }{strings.NewReader(validBody)}))
	assert.Equal(t, http.StatusOK, a.status)

	st := srv.Stats()
	assert.Equal(t, 3, st.TooLarge)
	assert.Equal(t, 2, st.Accepted)
	assert.Equal(t, limit, st.MaxBodySeen)
	assert.Equal(t, 1, srv.Count())
}

func TestNilBody(t *testing.T) {
	srv, _ := start(t, unlimited())
	req := httptest.NewRequest(http.MethodPost, DataSetPath, nil)
	req.Header.Set("X-API-KEY", DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	req.Body = nil
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, "body: malformed JSON: unexpected end of body", rec.Header().Get(ReasonHeader))
}

func TestDefaultBodyLimit(t *testing.T) {
	srv, _ := start(t, unlimited())
	for _, tt := range []struct {
		declared int64
		status   int
	}{
		{MaxBodyBytes + 1, http.StatusRequestEntityTooLarge},
		{MaxBodyBytes, http.StatusBadRequest}, // not too large; the body is then cut short
	} {
		req := httptest.NewRequest(http.MethodPost, DataSetPath, strings.NewReader("{"))
		req.Header.Set("X-API-KEY", DefaultAPIKey)
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = tt.declared
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		assert.Equal(t, tt.status, rec.Code, tt.declared)
	}
}

func TestRateLimit(t *testing.T) {
	srv, clk := start(t, DefaultConfig())
	t0 := clk.Now()
	check := func(status int) {
		t.Helper()
		a := post(t, srv, validBody)
		require.Equal(t, status, a.status, a.reason())
		if status == http.StatusTooManyRequests {
			assert.Equal(t, "1", a.header.Get("Retry-After"))
			assert.Equal(t, MsgTooManyRequests, a.message)
			assert.Equal(t, "more than 2 requests within one second from this IP", a.reason())
		}
	}
	check(http.StatusOK) // t0
	clk.Advance(500 * time.Millisecond)
	check(http.StatusOK) // t0+500ms
	clk.Advance(100 * time.Millisecond)
	check(http.StatusTooManyRequests)
	clk.Advance(399 * time.Millisecond)
	check(http.StatusTooManyRequests) // t0+999ms: the first is still in the window
	clk.Advance(time.Millisecond)
	check(http.StatusOK)              // t0+1s: the first has left the window
	check(http.StatusTooManyRequests) // the second is still in it
	clk.Advance(500 * time.Millisecond)
	check(http.StatusOK) // t0+1.5s

	// Unknown paths and wrong methods do not count.
	get, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+DataSetPath, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusMethodNotAllowed, do(t, srv, get).status)
	clk.Advance(time.Second)
	get, err = http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/nowhere", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, do(t, srv, get).status)
	check(http.StatusOK)

	// A refused key still counts.
	req := newPost(t, srv.URL+DataSetPath, strings.NewReader(validBody))
	req.Header.Set("X-API-KEY", "nope")
	assert.Equal(t, http.StatusUnauthorized, do(t, srv, req).status)
	check(http.StatusTooManyRequests)

	assert.Equal(t, []time.Time{t0, t0.Add(500 * time.Millisecond), t0.Add(time.Second), t0.Add(1500 * time.Millisecond), t0.Add(2500 * time.Millisecond)},
		srv.AcceptedTimes())
	st := srv.Stats()
	assert.Equal(t, 5, st.Accepted)
	assert.Equal(t, 4, st.RateLimited)
	assert.Equal(t, 1, st.Unauthorized)
	assert.Equal(t, 12, st.Requests)
}

func TestRateLimitPerIP(t *testing.T) {
	srv, _ := start(t, Config{RateLimit: 1})
	send := func(remote string) int {
		req := httptest.NewRequest(http.MethodPost, DataSetPath, strings.NewReader(validBody))
		req.Header.Set("X-API-KEY", DefaultAPIKey)
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	assert.Equal(t, http.StatusOK, send("192.0.2.1:1000"))
	assert.Equal(t, http.StatusTooManyRequests, send("192.0.2.1:2000"), "same IP, other port")
	assert.Equal(t, http.StatusOK, send("192.0.2.2:1000"))
	assert.Equal(t, http.StatusOK, send("[2001:db8::1]:443"))
	assert.Equal(t, http.StatusTooManyRequests, send("[2001:db8::1]:444"))
	assert.Equal(t, http.StatusOK, send(""))
	assert.Equal(t, http.StatusTooManyRequests, send(""))
}

func TestClientIP(t *testing.T) {
	for addr, want := range map[string]string{
		"192.0.2.1:80":   "192.0.2.1",
		"[::1]:8080":     "::1",
		"":               "",
		"no-port":        "no-port",
		":80":            ":80",
		"192.0.2.1":      "192.0.2.1",
		"example.com:80": "example.com",
	} {
		assert.Equal(t, want, clientIP(addr), addr)
	}
}

func TestRateLimitOff(t *testing.T) {
	srv, _ := start(t, unlimited())
	for range 10 {
		require.Equal(t, http.StatusOK, post(t, srv, validBody).status)
	}
	assert.Len(t, srv.AcceptedTimes(), 10)
	assert.Zero(t, srv.Stats().RateLimited)
}

func TestDeduplication(t *testing.T) {
	srv, _ := start(t, unlimited())
	require.Equal(t, http.StatusOK, post(t, srv, validBody).status)
	// The same pass again.
	require.Equal(t, http.StatusOK, post(t, srv, validBody).status)
	// The same instant spelt with Z, and with another offset.
	z := validEvent
	z.DateTime = "2024-01-13T10:01:23Z"
	almaty := validEvent
	almaty.DateTime = "2024-01-13T15:01:23+05:00"
	// The same pass with another name and note.
	renamed := validEvent
	renamed.FIO, renamed.Note = "Иванов И. И.", "другое"
	// A different pass: same person, one second later; another person.
	later := validEvent
	later.DateTime = "2024-01-13T10:01:24+00:00"
	other := validEvent
	other.IIN = otherIIN
	// Same IIN and time at another institution.
	elsewhere := validEvent
	elsewhere.BIN = makeID(t, 11111111111)
	require.Equal(t, http.StatusOK, post(t, srv, encode(t, z, almaty, renamed, later, later, other, elsewhere)).status)

	assert.Equal(t, []Event{validEvent, later, other, elsewhere}, srv.Events())
	assert.Equal(t, 4, srv.Count())
	assert.True(t, srv.Has(validEvent))
	assert.False(t, srv.Has(z), "the first spelling wins")
	assert.False(t, srv.Has(renamed), "the first version wins")
	assert.True(t, srv.Has(later))
	assert.True(t, srv.Has(other))
	assert.True(t, srv.Has(elsewhere))
	bad := validEvent
	bad.DateTime = "yesterday"
	assert.False(t, srv.Has(bad))
	assert.False(t, srv.Has(Event{}))
	st := srv.Stats()
	assert.Equal(t, 5, st.Duplicates) // the resend, z, almaty, renamed, the second later
	assert.Equal(t, 3, st.Accepted)

	// Events returns a copy.
	evs := srv.Events()
	evs[0].FIO = "changed"
	assert.True(t, srv.Has(validEvent))
}

func TestPaths(t *testing.T) {
	srv, _ := start(t, unlimited())
	for i, path := range []string{
		"/back/apikey/v1/data_set",
		"/apikey/v1/data_set",
		"/back/apikey/v1/data%20set",
		"/apikey/v1/data%20set",
		"/back/apikey/v1/data set",
		"/apikey/v1/data set",
	} {
		e := validEvent
		e.IIN = makeID(t, 30000000000+i)
		a := do(t, srv, newPost(t, srv.URL+path, strings.NewReader(encode(t, e))))
		assert.Equal(t, http.StatusOK, a.status, path)
		assert.True(t, srv.Has(e), path)
	}
	assert.Equal(t, "/back/apikey/v1/data%20set", srv.Recorder.Requests()[2].URL.EscapedPath())

	for _, path := range []string{"/", "/back/apikey/v1/", "/back/apikey/v1/data_set/", "/back/apikey/v2/data_set", "/back/apikey/v1/data-set", "/BACK/apikey/v1/data_set"} {
		a := do(t, srv, newPost(t, srv.URL+path, strings.NewReader(validBody)))
		assert.Equal(t, http.StatusNotFound, a.status, path)
		assert.Equal(t, MsgNotFound, a.message, path)
		assert.Contains(t, a.reason(), "no route", path)
	}

	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		req, err := http.NewRequestWithContext(context.Background(), method, srv.URL+"/apikey/v1/data_set", strings.NewReader(validBody))
		require.NoError(t, err)
		a := do(t, srv, req)
		assert.Equal(t, http.StatusMethodNotAllowed, a.status, method)
		assert.Equal(t, "POST", a.header.Get("Allow"), method)
		assert.Equal(t, MsgMethodNotAllowed, a.message, method)
	}
	assert.Equal(t, 6, srv.Count())
}

func TestFaults(t *testing.T) {
	srv, _ := start(t, unlimited())
	srv.Faults.Add(InternalErrorFault())
	a := post(t, srv, validBody)
	assert.Equal(t, http.StatusInternalServerError, a.status)
	assert.Equal(t, `{"message":"Втнутренняя ошибка сервера"}`, a.raw)
	assert.Equal(t, MsgInternalError, a.message)
	assert.Equal(t, "application/json; charset=utf-8", a.header.Get("Content-Type"))
	assert.Zero(t, srv.Count())

	// DropResponse: stored, but the client never hears of it.
	srv.Faults.Add(Fault{Path: DataSetPath, DropResponse: true})
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	_, err := (&http.Client{Transport: tr}).Do(newPost(t, srv.URL+DataSetPath, strings.NewReader(validBody)))
	require.Error(t, err)
	assert.True(t, srv.Has(validEvent))

	// A resend after the lost answer is harmless.
	require.Equal(t, http.StatusOK, post(t, srv, validBody).status)
	assert.Equal(t, 1, srv.Count())

	srv.Faults.Add(Fault{Status: http.StatusServiceUnavailable, RetryAfter: 2 * time.Second})
	a = post(t, srv, validBody)
	assert.Equal(t, http.StatusServiceUnavailable, a.status)
	assert.Equal(t, "2", a.header.Get("Retry-After"))

	assert.Equal(t, 4, srv.Recorder.Count())
	st := srv.Stats()
	assert.Equal(t, 2, st.Requests, "faulted requests never reach the fake")
	assert.Equal(t, 1, st.Duplicates)
}

func TestReset(t *testing.T) {
	srv, clk := start(t, DefaultConfig())
	require.Equal(t, http.StatusOK, post(t, srv, validBody).status)
	require.Equal(t, http.StatusOK, post(t, srv, validBody).status)
	require.Equal(t, http.StatusTooManyRequests, post(t, srv, validBody).status)
	srv.Reset()
	assert.Zero(t, srv.Count())
	assert.Empty(t, srv.Events())
	assert.Equal(t, Stats{}, srv.Stats())
	assert.Empty(t, srv.AcceptedTimes())
	assert.False(t, srv.Has(validEvent))
	assert.Equal(t, 3, srv.Recorder.Count(), "the recorder is not reset")

	// The limiter's history is gone too, and storing works again.
	require.Equal(t, http.StatusOK, post(t, srv, validBody).status)
	assert.True(t, srv.Has(validEvent))
	assert.Equal(t, []time.Time{clk.Now()}, srv.AcceptedTimes())
	assert.Equal(t, Stats{Requests: 1, Accepted: 1, MaxBodySeen: int64(len(validBody))}, srv.Stats())
}

func TestLatency(t *testing.T) {
	const latency = 2 * time.Second
	srv, _ := start(t, Config{Latency: latency, RateLimit: 1})
	// In a synctest bubble over in-memory connections the latency and the
	// client's deadline are on the bubble's clock: the verdict does not
	// depend on how loaded the machine is.
	synctest.Test(t, func(t *testing.T) {
		p := fakekit.NewPipeServer(srv.Handler())
		defer p.Close()
		send := func(req *http.Request) int {
			t.Helper()
			resp, err := p.Client().Do(req)
			require.NoError(t, err)
			return readAnswer(t, resp).status
		}
		began := time.Now()
		require.Equal(t, http.StatusOK, send(newPost(t, p.URL+DataSetPath, strings.NewReader(validBody))))
		assert.Equal(t, latency, time.Since(began))

		// A client that gives up during the latency gets no answer, and
		// its request is not charged to the rate limit.
		srv.Reset()
		ctx, cancel := context.WithTimeout(context.Background(), latency/10)
		defer cancel()
		req := newPost(t, p.URL+DataSetPath, strings.NewReader(validBody)).WithContext(ctx)
		_, err := p.Client().Do(req)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		synctest.Wait() // the handler has seen the request and given up
		assert.Equal(t, 1, srv.Stats().Requests)
		// Had the abandoned request gone on after the latency, it would
		// now be in the limiter's window, and the next request would get
		// 429.
		time.Sleep(latency + latency/2)
		assert.Equal(t, http.StatusOK, send(newPost(t, p.URL+DataSetPath, strings.NewReader(validBody))))
		assert.Equal(t, 1, srv.Stats().Accepted)
	})
}

func TestConcurrentUploads(t *testing.T) {
	srv, _ := start(t, unlimited())
	const workers, perWorker, batch = 8, 10, 20
	all := makeEvents(t, workers*perWorker*batch)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				lo := (w*perWorker + i) * batch
				// Every batch also resends the previous one's first pass.
				evs := all[lo : lo+batch]
				if lo > 0 {
					evs = append([]Event{all[lo-batch]}, evs...)
				}
				a := post(t, srv, encode(t, evs...))
				assert.Equal(t, http.StatusOK, a.status, a.reason())
			}
		})
	}
	wg.Wait()
	assert.Equal(t, len(all), srv.Count())
	for _, e := range all {
		if !srv.Has(e) {
			t.Fatalf("lost %+v", e)
		}
	}
	st := srv.Stats()
	assert.Equal(t, workers*perWorker, st.Accepted)
	assert.Equal(t, workers*perWorker-1, st.Duplicates)
	assert.Len(t, srv.AcceptedTimes(), workers*perWorker)
}

func TestLargeUpload(t *testing.T) {
	srv, _ := start(t, unlimited())
	events := makeEvents(t, 10_000)
	body := encode(t, events...)
	a := post(t, srv, body)
	require.Equal(t, http.StatusOK, a.status, a.reason())
	assert.Equal(t, len(events), srv.Count())
	assert.EqualValues(t, len(body), srv.Stats().MaxBodySeen)
	for _, e := range events {
		if !srv.Has(e) {
			t.Fatalf("lost %+v", e)
		}
	}
}
