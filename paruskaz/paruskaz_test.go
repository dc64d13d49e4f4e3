package paruskaz

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/ids"
)

const testKey = "k3y-Secret-42"

// iinbin returns a checksum-valid 12-digit number built from an 11-digit
// prefix.
func iinbin(t testing.TB, prefix string) string {
	t.Helper()
	d, err := ids.IINBINCheckDigit(prefix)
	require.NoError(t, err)
	return prefix + string(rune('0'+d))
}

// host gives each test its own host, and so its own shared rate limiter.
func host(t testing.TB) string {
	name := strings.NewReplacer("/", "-", "_", "-", " ", "-").Replace(strings.ToLower(t.Name()))
	return "https://" + name + ".test/back/apikey/v1/"
}

type wire struct {
	Source string `json:"source"`
	Code   string `json:"code"`
	Param  struct {
		Data []struct {
			BIN     string `json:"bin"`
			OrgName string `json:"org_name"`
			Person  []struct {
				DateTime string `json:"datetime"`
				IIN      string `json:"iin"`
				FIO      string `json:"fio"`
				Note     string `json:"note"`
			} `json:"person"`
		} `json:"data"`
	} `json:"param"`
}

// sink records the bodies of POSTs and answers with the responder.
type sink struct {
	mu     sync.Mutex
	bodies [][]byte
	at     []time.Time
	answer func(n int) *http.Response
}

func (s *sink) respond(t *testing.T) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		assert.Equal(t, testKey, r.Header.Get("X-API-KEY"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		s.mu.Lock()
		s.bodies = append(s.bodies, body)
		s.at = append(s.at, time.Now())
		n := len(s.bodies)
		s.mu.Unlock()
		if s.answer != nil {
			if resp := s.answer(n); resp != nil {
				return resp, nil
			}
		}
		return httpmock.NewStringResponse(200, `{"message": "OK"}`), nil
	}
}

// events decodes every recorded body back into flat events.
func (s *sink) events(t *testing.T) []Event {
	var out []Event
	for _, b := range s.bodies {
		var w wire
		require.NoError(t, json.Unmarshal(b, &w), "every body is valid JSON")
		require.Equal(t, "Query", w.Source)
		require.Equal(t, "InsertACS", w.Code)
		for _, d := range w.Param.Data {
			for _, p := range d.Person {
				tm, err := time.Parse(time.RFC3339, p.DateTime)
				require.NoError(t, err)
				out = append(out, Event{BIN: d.BIN, OrgName: d.OrgName, Time: tm, IIN: p.IIN, FIO: p.FIO, Note: p.Note})
			}
		}
	}
	return out
}

func newMocked(t *testing.T, s *sink, opts ...Option) *Client {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, ""), nil
	})
	mt.RegisterResponder(http.MethodPost, `=~/back/apikey/v1/data_set\z`, s.respond(t))
	base := []Option{WithHTTPClient(&http.Client{Transport: mt}), WithBaseURL(host(t)), WithRetryWait(time.Second, 2*time.Second)}
	c, err := New(testKey, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func TestPushMatchesTheDocumentation(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var got []byte
	mt.RegisterResponder(http.MethodPost, "https://sb.paruskaz.kz/back/apikey/v1/data_set", func(r *http.Request) (*http.Response, error) {
		got, _ = io.ReadAll(r.Body)
		assert.Equal(t, []string{testKey}, r.Header.Values("X-Api-Key"), "ASCII X-API-KEY, once")
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Equal(t, int64(len(got)), r.ContentLength)
		return httpmock.NewStringResponse(200, `{"message": "OK"}`), nil
	})
	c, err := New(testKey, WithHTTPClient(&http.Client{Transport: mt}), WithChecksum(false))
	require.NoError(t, err)
	utc := time.UTC
	err = c.Push(context.Background(), []Institution{{
		BIN: "123456789012", OrgName: "Наименование учреждения",
		Persons: []Person{
			{Time: time.Date(2024, 1, 13, 10, 1, 23, 0, utc), IIN: "123456789012", FIO: "Иванов Иван Иванович", Note: "Произвольное текстовое примечание"},
			{Time: time.Date(2024, 1, 13, 18, 9, 18, 0, utc), IIN: "123456789012", FIO: "Иванов Иван Иванович", Note: "Произвольное текстовое примечание"},
		},
	}})
	require.NoError(t, err)
	want := `{"source":"Query","code":"InsertACS","param":{"data":[{"bin":"123456789012","org_name":"Наименование учреждения","person":[` +
		`{"datetime":"2024-01-13T10:01:23+00:00","iin":"123456789012","fio":"Иванов Иван Иванович","note":"Произвольное текстовое примечание"},` +
		`{"datetime":"2024-01-13T18:09:18+00:00","iin":"123456789012","fio":"Иванов Иван Иванович","note":"Произвольное текстовое примечание"}]}]}}`
	assert.Equal(t, want, string(got), "the documentation's example, as valid JSON with the table's key names")
}

func TestPushShapes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sink{}
		c := newMocked(t, s)
		bin1, bin2, iin := iinbin(t, "12345678901"), iinbin(t, "98765432101"), iinbin(t, "85010130012")
		almaty := time.FixedZone("ALMT", 5*3600)
		err := c.Push(t.Context(), []Institution{
			{BIN: bin1, OrgName: `Школа "№1" \ корпус`, Persons: []Person{{Time: time.Date(2024, 1, 13, 10, 1, 23, 987654321, almaty), IIN: iin, FIO: "Ким Ольга", Note: ""}}},
			{BIN: bin2, OrgName: "Колледж", Persons: []Person{{Time: time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC), IIN: iin, FIO: "Tab\there", Note: "line\nbreak\x01"}}},
		})
		require.NoError(t, err)
		require.Len(t, s.bodies, 1)
		body := string(s.bodies[0])
		assert.Contains(t, body, `"datetime":"2024-01-13T10:01:23+05:00"`, "the offset is kept; fractions of a second are not sent")
		assert.Contains(t, body, `"note":""`, "an empty note is sent as \"\"")
		assert.Contains(t, body, `"org_name":"Школа \"№1\" \\ корпус"`)
		assert.Contains(t, body, `"note":"line\nbreak\u0001"`)
		evs := s.events(t)
		require.Len(t, evs, 2)
		assert.Equal(t, "Tab\there", evs[1].FIO)
		assert.Equal(t, "line\nbreak\x01", evs[1].Note)
		assert.Equal(t, bin2, evs[1].BIN)
	})
}

func TestValidation(t *testing.T) {
	c, err := New(testKey, WithBaseURL(host(t)), WithHTTPClient(&http.Client{Transport: httpmock.NewMockTransport()}))
	require.NoError(t, err)
	bin, iin := iinbin(t, "12345678901"), iinbin(t, "85010130012")
	now := time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC)
	good := Person{Time: now, IIN: iin, FIO: "Ким Ольга"}
	inst := func(f func(in *Institution)) []Institution {
		in := Institution{BIN: bin, OrgName: "Школа", Persons: []Person{good, good}}
		f(&in)
		return []Institution{{BIN: bin, OrgName: "A", Persons: []Person{good}}, in}
	}
	cases := []struct {
		data  []Institution
		field string
		rule  string
	}{
		{nil, "data", "at least one"},
		{inst(func(in *Institution) { in.BIN = "" }), "data[1].bin", "required"},
		{inst(func(in *Institution) { in.BIN = "12345" }), "data[1].bin", "12 digits"},
		{inst(func(in *Institution) { in.BIN = "12345678901X" }), "data[1].bin", "12 digits"},
		{inst(func(in *Institution) { in.BIN = "123456789012" }), "data[1].bin", "check digit"},
		{inst(func(in *Institution) { in.OrgName = "  " }), "data[1].org_name", "required"},
		{inst(func(in *Institution) { in.OrgName = "\xff" }), "data[1].org_name", "UTF-8"},
		{inst(func(in *Institution) { in.Persons = nil }), "data[1].person", "at least one"},
		{inst(func(in *Institution) { in.Persons[1].Time = time.Time{} }), "data[1].person[1].datetime", "required"},
		{inst(func(in *Institution) { in.Persons[1].Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), "data[1].person[1].datetime", "year"},
		{inst(func(in *Institution) { in.Persons[1].Time = now.In(time.FixedZone("odd", 30)) }), "data[1].person[1].datetime", "offset"},
		{inst(func(in *Institution) { in.Persons[1].Time = now.In(time.FixedZone("", 24*3600)) }), "data[1].person[1].datetime", "±23:59"},
		{inst(func(in *Institution) { in.Persons[1].Time = now.In(time.FixedZone("", -24*3600)) }), "data[1].person[1].datetime", "±23:59"},
		{inst(func(in *Institution) { in.Persons[1].Time = now.In(time.FixedZone("", 100*3600)) }), "data[1].person[1].datetime", "±23:59"},
		{inst(func(in *Institution) { in.Persons[1].Time = now.In(time.FixedZone("", -1000*3600-30)) }), "data[1].person[1].datetime", "±23:59"},
		{inst(func(in *Institution) { in.Persons[0].IIN = "" }), "data[1].person[0].iin", "required"},
		{inst(func(in *Institution) { in.Persons[0].IIN = "123456789012" }), "data[1].person[0].iin", "IIN fails the check digit"},
		{inst(func(in *Institution) { in.Persons[0].FIO = "" }), "data[1].person[0].fio", "required"},
		{inst(func(in *Institution) { in.Persons[0].Note = "bad \xc3" }), "data[1].person[0].note", "UTF-8"},
	}
	for i, tc := range cases {
		err := c.Push(context.Background(), tc.data)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "case %d", i)
		assert.Equal(t, tc.field, ve.Field, "case %d", i)
		assert.Contains(t, ve.Rule, tc.rule, "case %d", i)
		assert.ErrorIs(t, err, ErrValidation)
		for _, value := range []string{"123456789012", "12345678901X"} {
			assert.NotContains(t, err.Error(), value, "case %d: identifiers are personal data and stay out of errors", i)
		}
	}

	big := strings.Repeat("x", 200)
	small, err := New(testKey, WithBaseURL(host(t)), WithMaxBodyBytes(300))
	require.NoError(t, err)
	err = small.Push(context.Background(), []Institution{{BIN: bin, OrgName: "A", Persons: []Person{{Time: now, IIN: iin, FIO: big}}}})
	require.ErrorIs(t, err, ErrValidation)
	assert.Contains(t, err.Error(), "use an Uploader")
	_, err = small.UploadSlice(context.Background(), []Event{{BIN: bin, OrgName: "A", Time: now, IIN: iin, FIO: big}})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "events[0]", ve.Field, "one event alone over the limit is refused")

	_, err = c.UploadSlice(context.Background(), []Event{{BIN: bin, OrgName: "A", Time: now, IIN: iin, FIO: "x"}, {BIN: bin, OrgName: "A", Time: now, IIN: "1", FIO: "x"}})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "events[1].iin", ve.Field)

	for _, bad := range []Option{WithMaxBodyBytes(0), WithMaxBodyBytes(MaxBodyBytes + 1), WithRateLimit(3), WithRateLimit(0), WithPath(" ")} {
		_, err := New(testKey, bad)
		require.ErrorIs(t, err, ErrValidation)
	}
	_, err = New(" ")
	require.ErrorIs(t, err, ErrValidation)
}

func TestChecksumOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sink{}
		c := newMocked(t, s, WithChecksum(false))
		_, err := c.UploadSlice(t.Context(), []Event{{BIN: "123456789012", OrgName: "A", Time: time.Now(), IIN: "123456789012", FIO: "x"}})
		require.NoError(t, err, "the documentation's sample number passes with the check off")
		assert.Len(t, s.bodies, 1)
	})
}

func TestServerErrors(t *testing.T) {
	cases := []struct {
		status   int
		body     string
		kind     error
		attempts int
	}{
		{400, `{"message": "Ошибка передачи параметров"}`, ErrValidation, 1},
		{401, `{"message": "Ошибка авторизации (ключ не верный или заблокирован)"}`, ErrUnauthorized, 1},
		{500, `{"message": "Втнутренняя ошибка сервера"}`, ErrServer, 4},
		{503, `busy`, ErrServer, 4},
		{429, `{"message":"slow down"}`, ErrRateLimited, 4},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &sink{answer: func(int) *http.Response { return httpmock.NewStringResponse(tc.status, tc.body) }}
				c := newMocked(t, s)
				err := c.Push(t.Context(), []Institution{{BIN: iinbin(t, "12345678901"), OrgName: "A", Persons: []Person{{Time: time.Now(), IIN: iinbin(t, "85010130012"), FIO: "x"}}}})
				require.ErrorIs(t, err, tc.kind)
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tc.status, e.StatusCode)
				assert.Equal(t, tc.attempts, len(s.bodies), "400 and 401 are not retried; the rest are")
				assert.Equal(t, tc.attempts, e.Attempts)
				if strings.HasPrefix(tc.body, "{") {
					assert.NotEmpty(t, e.Message)
				}
			})
		})
	}
}

func TestRetriesRecover(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sink{answer: func(n int) *http.Response {
			switch n {
			case 1:
				return httpmock.NewStringResponse(503, "")
			case 2:
				r := httpmock.NewStringResponse(429, `{"message":"too many"}`)
				r.Header.Set("Retry-After", "3")
				return r
			}
			return nil
		}}
		c := newMocked(t, s)
		start := time.Now()
		res, err := c.UploadSlice(t.Context(), sampleEvents(t, 10))
		require.NoError(t, err)
		assert.Equal(t, 10, res.Delivered)
		assert.Empty(t, res.Pending)
		assert.Len(t, s.bodies, 3)
		assert.GreaterOrEqual(t, time.Since(start), 3*time.Second, "Retry-After was honoured (in the bubble's time)")
	})
}

// sampleEvents makes n valid events over three institutions, interleaved
// as a turnstile log would be.
func sampleEvents(t testing.TB, n int) []Event {
	bins := []string{iinbin(t, "12345678901"), iinbin(t, "98765432101"), iinbin(t, "55555555501")}
	names := []string{"Школа №1", "Колледж \"Связи\"", "Детский сад"}
	iins := []string{iinbin(t, "85010130012"), iinbin(t, "90020230015"), iinbin(t, "01030350018")}
	out := make([]Event, n)
	start := time.Date(2024, 1, 13, 8, 0, 0, 0, time.FixedZone("", 5*3600))
	for i := range out {
		out[i] = Event{BIN: bins[i%3], OrgName: names[i%3], Time: start.Add(time.Duration(i) * time.Second), IIN: iins[(i/3)%3], FIO: fmt.Sprintf("Посетитель %d", i), Note: fmt.Sprintf("корпус %d", i%7)}
	}
	return out
}

// encodedSize is the size of one request holding events, grouped as the
// Uploader groups them.
func encodedSize(evs []Event) int {
	u := &Uploader{groups: map[orgKey]*group{}}
	for i := range evs {
		u.keepEvent(&evs[i])
	}
	n := 0
	for _, p := range u.body() {
		n += len(p)
	}
	return n
}

func TestUploaderSplitsAtTheByteLimit(t *testing.T) {
	evs := sampleEvents(t, 9)
	exact := encodedSize(evs)
	for _, tc := range []struct {
		limit, requests int
	}{{exact, 1}, {exact - 1, 2}} {
		t.Run(fmt.Sprint(tc.limit), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &sink{}
				c := newMocked(t, s, WithMaxBodyBytes(tc.limit))
				var progress []Progress
				res, err := c.UploadSlice(t.Context(), evs, WithProgress(func(p Progress) { progress = append(progress, p) }))
				require.NoError(t, err)
				require.Len(t, s.bodies, tc.requests)
				var total int64
				for _, b := range s.bodies {
					assert.LessOrEqual(t, len(b), tc.limit)
					total += int64(len(b))
				}
				if tc.requests == 1 {
					assert.Len(t, s.bodies[0], exact, "the size is computed exactly")
				}
				got := s.events(t)
				require.Len(t, got, len(evs))
				assertSameEvents(t, evs, got)
				assert.Equal(t, Progress{Read: 9, Delivered: 9, Requests: tc.requests, Bytes: total}, res.Progress)
				assert.Len(t, progress, tc.requests)
				assert.Equal(t, res.Progress, progress[len(progress)-1])
			})
		})
	}
}

// assertSameEvents compares events as sent (to the second) regardless of
// order.
func assertSameEvents(t *testing.T, want, got []Event) {
	t.Helper()
	key := func(e Event) string {
		return e.BIN + "|" + e.OrgName + "|" + e.Time.UTC().Format(time.RFC3339) + "|" + e.IIN + "|" + e.FIO + "|" + e.Note
	}
	seen := map[string]int{}
	for _, e := range got {
		seen[key(e)]++
	}
	for _, e := range want {
		if seen[key(e)] == 0 {
			t.Fatalf("missing %+v", e)
		}
		seen[key(e)]--
	}
}

// assertPending checks that pending holds exactly want, as sent.
func assertPending(t *testing.T, want, pending []Event) {
	t.Helper()
	require.Len(t, pending, len(want))
	assertSameEvents(t, want, pending)
	for _, e := range pending {
		_, off := e.Time.Zone()
		assert.Equal(t, 5*3600, off, "the offset it was sent with")
	}
}

func TestUploaderGroupsByInstitution(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sink{}
		c := newMocked(t, s)
		evs := sampleEvents(t, 30)
		_, err := c.UploadSlice(t.Context(), evs)
		require.NoError(t, err)
		var w wire
		require.NoError(t, json.Unmarshal(s.bodies[0], &w))
		require.Len(t, w.Param.Data, 3, "one object per institution")
		for i, d := range w.Param.Data {
			assert.Equal(t, evs[i].BIN, d.BIN, "institutions in order of first appearance")
			assert.Len(t, d.Person, 10)
			assert.Equal(t, evs[i].FIO, d.Person[0].FIO, "persons keep their order")
			assert.Equal(t, evs[i+27].FIO, d.Person[9].FIO)
		}
	})
}

func TestRateLimitIsKept(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sink{}
		evs := sampleEvents(t, 40)
		c := newMocked(t, s, WithMaxBodyBytes(encodedSize(evs[:3])))
		start := time.Now()
		_, err := c.UploadSlice(t.Context(), evs)
		require.NoError(t, err)
		require.Greater(t, len(s.bodies), 10)
		assertRate(t, s.at)
		assert.GreaterOrEqual(t, time.Since(start), time.Duration(len(s.bodies)-1)*500*time.Millisecond)
		assert.LessOrEqual(t, time.Since(start), time.Duration(len(s.bodies)-1)*502*time.Millisecond+1500*time.Millisecond, "the rate is not slowed materially")
	})
}

// Pushes at irregular moments, as turnstiles produce them, never put three
// requests within one second: the limiter's rounding cannot let one
// through a nanosecond early.
func TestRateLimitIsKeptAtIrregularMoments(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sink{}
		c := newMocked(t, s, WithMaxRetries(0))
		evs := sampleEvents(t, 200)
		rng := rand.New(rand.NewPCG(1, 2))
		for i, e := range evs {
			require.NoError(t, c.Push(t.Context(), []Institution{{BIN: e.BIN, OrgName: e.OrgName, Persons: []Person{{Time: e.Time, IIN: e.IIN, FIO: e.FIO}}}}), "push %d", i)
			if rng.IntN(3) == 0 {
				time.Sleep(time.Duration(rng.Int64N(int64(700 * time.Millisecond))))
			}
		}
		assertRate(t, s.at)
	})
}

// assertRate checks that no one-second window holds more than 2 requests.
func assertRate(t *testing.T, at []time.Time) {
	t.Helper()
	for i := 2; i < len(at); i++ {
		require.GreaterOrEqual(t, at[i].Sub(at[i-2]), time.Second, "requests %d..%d within one second", i-2, i)
	}
}

func TestPermanentUnauthorizedDeliversNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sink{answer: func(int) *http.Response {
			return httpmock.NewStringResponse(401, `{"message":"bad key `+testKey+`"}`)
		}}
		var logs bytes.Buffer
		evs := sampleEvents(t, 20)
		c := newMocked(t, s, WithMaxBodyBytes(encodedSize(evs[:5])), WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		res, err := c.UploadSlice(t.Context(), evs)
		require.ErrorIs(t, err, ErrUnauthorized)
		assert.Zero(t, res.Delivered)
		assertPending(t, evs[:res.Read], res.Pending)
		assert.Len(t, s.bodies, 1, "401 is not retried and the upload stops")
		var e *Error
		require.ErrorAs(t, err, &e)
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), string(e.Body), e.Message, logs.String()} {
			assert.NotContains(t, text, testKey)
		}
	})
}

func TestFailureMidUploadSaysWhatWasDelivered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sink{answer: func(n int) *http.Response {
			if n >= 3 {
				return httpmock.NewStringResponse(400, `{"message": "Ошибка передачи параметров"}`)
			}
			return nil
		}}
		evs := sampleEvents(t, 20)
		c := newMocked(t, s, WithMaxBodyBytes(encodedSize(evs[:4])))
		u := c.NewUploader()
		var addErr error
		added := 0
		for _, e := range evs {
			if addErr = u.Add(t.Context(), e); addErr != nil {
				break
			}
			added++
		}
		require.ErrorIs(t, addErr, ErrValidation)
		res := u.Result()
		assert.Equal(t, 8, res.Delivered, "two batches of four went through")
		assertPending(t, evs[8:res.Read], res.Pending)
		assert.Equal(t, added+1, res.Read, "the event whose Add failed is pending too")

		// The server recovers: adding more and flushing delivers everything.
		s.answer = nil
		for _, e := range evs[res.Read:] {
			require.NoError(t, u.Add(t.Context(), e))
		}
		require.NoError(t, u.Flush(t.Context()))
		final := u.Result()
		assert.Equal(t, 20, final.Delivered)
		assert.Empty(t, final.Pending)
		assertSameEvents(t, evs, s.events(t))
	})
}

func TestCancelledUpload(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sink{}
		evs := sampleEvents(t, 30)
		c := newMocked(t, s, WithMaxBodyBytes(encodedSize(evs[:5])))
		ctx, cancel := context.WithCancel(t.Context())
		var res Result
		var err error
		done := make(chan struct{})
		go func() {
			res, err = c.UploadSlice(ctx, evs, WithProgress(func(p Progress) {
				if p.Requests == 2 {
					cancel()
				}
			}))
			close(done)
		}()
		<-done
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 10, res.Delivered)
		assertPending(t, evs[10:res.Read], res.Pending)
		assert.Len(t, s.bodies, 2)
	})
}

func TestEncodingSizesAreExact(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "ctl\x00\x1f\n\r\t", "кириллица", "emoji 🙂", "\u2028"} {
		got := appendQuoted(nil, s)
		var back string
		require.NoError(t, json.Unmarshal(got, &back))
		assert.Equal(t, s, back)
		assert.Len(t, got, quotedLen(s), "%q", s)
		assert.True(t, utf8.Valid(got))
	}
	e := Event{Time: time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC), IIN: "1", FIO: "a\"b", Note: "\n"}
	assert.Len(t, appendPerson(nil, &e), personSize(&e))
	// Times validation refuses are measured as written too, so that no
	// input can make a batch's size differ from its bytes.
	for _, year := range []int{-10000, -1, 0, 1, 9999, 10000, 123456} {
		for _, off := range []int{0, 24 * 3600, -99 * 3600, 100 * 3600, -100*3600 - 60, 2047 * 3600} {
			e.Time = time.Date(year, 6, 1, 0, 0, 0, 0, time.FixedZone("", off))
			assert.Len(t, appendPerson(nil, &e), personSize(&e), "%d, offset %d", year, off)
		}
	}
	assert.Equal(t, len(appendOrgHead(nil, "b", "n\\"))+len(orgTail), orgSize("b", "n\\"))
}

// A 2xx answer counts only when it is the documented {"message":"OK"}:
// anything else is an *Error matching ErrDecode, and its events stay
// pending and are delivered by the next Flush.
func TestOnlyTheDocumentedAnswerIsSuccess(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		message string
	}{
		{"HTML page", 200, "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", ""},
		{"image", 200, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ""},
		{"empty", 200, "", ""},
		{"invalid JSON", 200, `{"message":"OK"`, ""},
		{"array", 200, `[{"message":"OK"}]`, ""},
		{"null", 200, `null`, ""},
		{"error object", 200, `{"error":"maintenance","status":"down"}`, ""},
		{"message not a string", 200, `{"message":1}`, ""},
		{"another message", 200, `{"message":"Ошибка передачи параметров"}`, "Ошибка передачи параметров"},
		{"the key echoed", 202, `{"message":"bad key ` + testKey + `"}`, "bad key *****"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fail := true
				s := &sink{answer: func(int) *http.Response {
					if fail {
						return httpmock.NewStringResponse(tc.status, tc.body)
					}
					return nil
				}}
				evs := sampleEvents(t, 6)
				c := newMocked(t, s, WithMaxBodyBytes(encodedSize(evs[:4])))
				u := c.NewUploader()
				var err error
				for _, e := range evs {
					if err = u.Add(t.Context(), e); err != nil {
						break
					}
				}
				require.ErrorIs(t, err, ErrDecode)
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tc.status, e.StatusCode)
				assert.Equal(t, 1, e.Attempts, "the request arrived: it is not repeated at once")
				assert.Error(t, e.Err, "the cause is kept")
				assert.Equal(t, tc.body != "", len(e.Body) > 0, "the start of the answer is kept")
				if tc.message != "" {
					assert.Contains(t, e.Message, strings.TrimSuffix(tc.message, "*****"))
				}
				assert.NotContains(t, fmt.Sprintf("%v %s %s", err, e.Message, e.Body), testKey)
				res := u.Result()
				assert.Zero(t, res.Delivered, "nothing counts as delivered")
				assert.Zero(t, res.Requests)
				assertPending(t, evs[:res.Read], res.Pending)

				err = c.Push(t.Context(), []Institution{{BIN: evs[0].BIN, OrgName: evs[0].OrgName, Persons: []Person{{Time: evs[0].Time, IIN: evs[0].IIN, FIO: evs[0].FIO}}}})
				require.ErrorIs(t, err, ErrDecode, "Push too")

				fail = false
				require.NoError(t, u.Flush(t.Context()), "the pending events are sent again")
				res = u.Result()
				assert.Equal(t, res.Read, res.Delivered)
				assert.Empty(t, res.Pending)
			})
		})
	}
}

// The delivered rule, both sides: {"message":"OK"} exactly, as the
// documentation prints it, is success whatever the spacing between JSON
// tokens and whatever other members come with it; any other spelling of
// the word or of the key is an *Error matching ErrDecode that names the
// message, and the events stay pending.
func TestDeliveredOnlyOnExactOK(t *testing.T) {
	for i, body := range []string{
		`{"message":"OK"}`,
		`{"message": "OK"}` + "\n", // the documentation's spelling
		"\t{\"message\" :\r\n\"OK\"}\r\n",
		` { "message" : "OK", "id": 7 } `,
		`{"message":"O\u004b"}`, // the same JSON string, escaped
		`{"count":2,"message":"OK","warnings":[]}`,
	} {
		t.Run("accepted "+strconv.Itoa(i), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &sink{answer: func(int) *http.Response { return httpmock.NewStringResponse(200, body) }}
				c := newMocked(t, s)
				res, err := c.UploadSlice(t.Context(), sampleEvents(t, 3))
				require.NoError(t, err, body)
				assert.Equal(t, 3, res.Delivered)
				assert.Empty(t, res.Pending)
			})
		})
	}
	for i, tc := range []struct{ body, message string }{
		{`{"message":"ok"}`, "ok"},
		{`{"message":"Ok"}`, "Ok"},
		{`{"message":" OK "}`, " OK "},
		{`{"message":"OK\n"}`, "OK\n"},
		{`{"message":"OK."}`, "OK."},
		{`{"message":"ОК"}`, "ОК"}, // Cyrillic О and К, as the documentation types its header name
		{`{"Message":"OK"}`, ""},
		{`{"MESSAGE":"OK"}`, ""},
		{`{"message":null}`, ""},
		{`{"message":["OK"]}`, ""},
	} {
		t.Run("refused "+strconv.Itoa(i), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &sink{answer: func(int) *http.Response { return httpmock.NewStringResponse(200, tc.body) }}
				c := newMocked(t, s)
				evs := sampleEvents(t, 3)
				res, err := c.UploadSlice(t.Context(), evs)
				require.ErrorIs(t, err, ErrDecode, tc.body)
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tc.message, e.Message)
				assert.Zero(t, res.Delivered)
				assertPending(t, evs, res.Pending)
			})
		})
	}
}

// An offset of 24 hours or more cannot be written in RFC 3339: such events
// are refused before anything is sent, and no offset, however large,
// makes the Uploader panic or misreport Pending.
func TestImpossibleOffsetsAreRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sink{}
		c := newMocked(t, s)
		u := c.NewUploader()
		evs := sampleEvents(t, 2)
		for _, off := range []int{24 * 3600, -24 * 3600, 99 * 3600, 100 * 3600, -100 * 3600, 2047 * 3600} {
			e := evs[0]
			e.Time = e.Time.In(time.FixedZone("", off))
			err := u.Add(t.Context(), e)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve, "offset %d", off)
			assert.Equal(t, "events[0].datetime", ve.Field)
		}
		for _, off := range []int{maxOffset, -maxOffset, 14 * 3600, -12 * 3600} {
			e := evs[0]
			e.Time = e.Time.In(time.FixedZone("", off))
			e.Note = fmt.Sprint(off)
			require.NoError(t, u.Add(t.Context(), e), "offset %d", off)
		}
		pending := u.Result().Pending
		require.Len(t, pending, 4)
		for _, p := range pending {
			assert.True(t, p.Time.Equal(evs[0].Time), "pending gives back the time: %v", p.Time)
		}
		require.NoError(t, u.Flush(t.Context()))
		body := string(s.bodies[0])
		for _, want := range []string{"+23:59", "-23:59", "+14:00", "-12:00"} {
			assert.Contains(t, body, want)
		}
		for _, e := range s.events(t) {
			assert.True(t, e.Time.Equal(evs[0].Time))
		}
	})
}
