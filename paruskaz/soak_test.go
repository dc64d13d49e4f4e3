package paruskaz_test

// Soak test: the typed client against its fake with 30% of the answers
// faulty, plus the goroutine-leak check it runs under. Everything here is
// self-contained (names start with "soak") so that it can be read, and
// deleted, on its own.
//
// The client keeps the documented 2 requests per second, so the upload runs
// in a testing/synctest bubble over fakekit.HandlerTransport: its minutes
// of rate limit, Retry-After and deadlines cost no real time.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/internal/ids"
	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/paruskaz/paruskaztest"
)

const (
	soakEvents     = 3600            // events uploaded
	soakBodyBytes  = 1500            // WithMaxBodyBytes: a handful of events per request
	soakMaxRetries = 2               // the client's own retries
	soakAttempt    = 5 * time.Second // http.Client.Timeout (bubble time)
	soakRounds     = 300             // how often the test resumes an upload that stopped
)

// soakMenu lists the faults of the issue: 500, 502, 503, 429 with a
// Retry-After (waited out: it costs nothing in the bubble), a reset
// connection, a truncated body, and an answer that stalls half-way until
// the attempt's deadline passes. The last two, and a dropped answer, come
// after the fake stored the events: their events are counted in lost, for
// the upload must send each of them once more, and the fake must count
// each such resend as a duplicate.
func soakMenu(lost *atomic.Int64) []soakFault {
	return []soakFault{
		{Name: "500", Weight: 2, Fault: paruskaztest.InternalErrorFault()},
		{Name: "502", Weight: 2, Fault: fakekit.Fault{Status: http.StatusBadGateway}},
		{Name: "503", Weight: 2, Fault: fakekit.Fault{Status: http.StatusServiceUnavailable}},
		{Name: "429 Retry-After 1s", Weight: 2, Fault: fakekit.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Body: `{"message":"Слишком много запросов"}`}},
		{Name: "reset", Weight: 2, Fault: fakekit.Fault{Drop: true}},
		{Name: "answer lost", Weight: 1, Wrap: soakLost(lost, soakFaulty(fakekit.Fault{DropResponse: true}))},
		{Name: "truncated body", Weight: 2, Wrap: soakLost(lost, soakFaulty(fakekit.Fault{Truncate: true}))},
		{Name: "stalled body", Weight: 1, Wrap: soakLost(lost, soakStall)},
	}
}

// soakFaulty serves a request with one fakekit fault.
func soakFaulty(f fakekit.Fault) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		var one fakekit.Faults
		one.Add(f)
		return one.Wrap(next)
	}
}

// soakLost counts in lost the events of the requests whose answer the
// fault loses after the fake stored them (it answered 200).
func soakLost(lost *atomic.Int64, fault func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var fakeSaid soakStatus
			defer func() { // also when the fault aborts the answer with a panic
				if fakeSaid.code == http.StatusOK {
					lost.Add(int64(bytes.Count(body, []byte(`"iin":`))))
				}
			}()
			fault(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fakeSaid.ResponseWriter = w
				next.ServeHTTP(&fakeSaid, r)
			})).ServeHTTP(w, r)
		})
	}
}

// soakStatus notes the status a handler answers with.
type soakStatus struct {
	http.ResponseWriter
	code int
}

func (s *soakStatus) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *soakStatus) Write(p []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

func (s *soakStatus) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// soakStall lets the fake handle the request (so it stores the events),
// starts the answer, and then sends nothing more until the client gives up.
// The SlowBody fault cannot do this here: the fake's answer is shorter than
// one of its 64-byte chunks.
func soakStall(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes()[:rec.Body.Len()/2])
		<-r.Context().Done()
		panic(http.ErrAbortHandler)
	})
}

// soakHostSeq makes every client's host, and so its shared rate limiter,
// its own, also across -count runs.
var soakHostSeq atomic.Int64

// soakFault is one entry of the fault menu.
type soakFault = fakekit.ChaosFault

// soakCheckError asserts that a failure that reached the caller is a typed
// *paruskaz.Error whose fields say what was done: the kind matches the
// fault that caused it, Attempts counts the sends (all of them when the
// last failure was one the client retries), and, the server de-duplicating,
// nothing is reported as maybe delivered. It returns a short label for the
// summary.
func soakCheckError(t *testing.T, err error) string {
	t.Helper()
	var e *paruskaz.Error
	require.ErrorAs(t, err, &e, "the failure is not a *paruskaz.Error: %T %v", err, err)
	require.ErrorIs(t, err, e.Kind(), "errors.Is matches the error's own kind")
	require.Equal(t, http.MethodPost, e.Method)
	require.Contains(t, e.URL, paruskaztest.DataSetPath)
	require.Contains(t, err.Error(), e.URL, "the message names the request")
	require.NotContains(t, fmt.Sprintf("%+v", err), paruskaztest.DefaultAPIKey, "the key never shows")
	require.GreaterOrEqual(t, e.Attempts, 1)
	require.LessOrEqual(t, e.Attempts, soakMaxRetries+1)
	require.False(t, e.MaybeDelivered, "the server de-duplicates, so the request is simply sent again")
	if e.Attempts > 1 {
		require.Contains(t, err.Error(), fmt.Sprintf("%d attempts", e.Attempts))
	}
	allSent := e.Attempts == soakMaxRetries+1
	switch {
	case errors.Is(err, paruskaz.ErrServer):
		require.Contains(t, []int{500, 502, 503}, e.StatusCode)
		require.True(t, allSent, "5xx, 500 included, is returned only after every retry: %v", err)
		if e.StatusCode == http.StatusInternalServerError {
			require.Equal(t, paruskaztest.MsgInternalError, e.Message, "the server's message is kept")
		}
	case errors.Is(err, paruskaz.ErrRateLimited):
		require.Equal(t, http.StatusTooManyRequests, e.StatusCode)
		require.True(t, allSent, "a 429 is returned only after every retry: %v", err)
		require.Equal(t, time.Second, e.RetryAfter)
	case errors.Is(err, paruskaz.ErrTransport):
		require.Error(t, e.Err, "a transport failure carries its cause")
		require.Zero(t, e.StatusCode)
		if errors.Is(err, context.DeadlineExceeded) {
			require.Contains(t, err.Error(), "deadline exceeded")
		} else {
			require.ErrorIs(t, err, fakekit.ErrConnectionClosed)
			require.True(t, allSent, "a broken connection is returned only after every retry: %v", err)
		}
	default:
		t.Fatalf("unexpected kind %v for an injected fault: %v", e.Kind(), err)
	}
	return fmt.Sprintf("%v %d", e.Kind(), e.StatusCode)
}

// soakLog returns n valid passes: 12 institutions, 500 visitors, a pass a
// second, the institutions in runs of 9 passes so that a request holds a
// few of each.
func soakLog(t *testing.T, n int) []paruskaz.Event {
	valid := func(prefix string) string {
		for {
			d, err := ids.IINBINCheckDigit(prefix)
			if err == nil {
				return prefix + strconv.Itoa(d)
			}
			b := []byte(prefix)
			b[10] = '0' + (b[10]-'0'+1)%10
			prefix = string(b)
		}
	}
	var bins, iins []string
	for i := range 12 {
		bins = append(bins, valid(fmt.Sprintf("%06d40%03d", 100100+i*13, i)))
	}
	for i := range 500 {
		iins = append(iins, valid(fmt.Sprintf("%02d%02d%02d3%04d", 60+i%40, 1+i%12, 1+i%28, i)))
	}
	start := time.Date(2024, 1, 13, 7, 0, 0, 0, time.FixedZone("", 5*3600))
	out := make([]paruskaz.Event, n)
	for i := range out {
		org := (i / 9) % len(bins)
		out[i] = paruskaz.Event{
			BIN: bins[org], OrgName: "КГУ «Школа №" + strconv.Itoa(org) + "»", Time: start.Add(time.Duration(i) * time.Second),
			IIN: iins[i%len(iins)], FIO: "Посетитель " + strconv.Itoa(i%len(iins)), Note: []string{"", "корпус 1", `вход "А"`}[i%3],
		}
	}
	require.Len(t, slices.Compact(slices.Sorted(slices.Values(soakKeys(out)))), n, "every pass is distinct")
	return out
}

// soakStored is how the fake stores e.
func soakStored(e paruskaz.Event) paruskaztest.Event {
	return paruskaztest.Event{BIN: e.BIN, OrgName: e.OrgName, DateTime: e.Time.Format(paruskaz.DateTimeLayout), IIN: e.IIN, FIO: e.FIO, Note: e.Note}
}

func soakKeys(events []paruskaz.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		s := soakStored(e)
		out[i] = strings.Join([]string{s.BIN, s.OrgName, s.DateTime, s.IIN, s.FIO, s.Note}, "|")
	}
	return out
}

// TestSoakUploadThroughFaults uploads a log of passes through a fake that
// answers 30% of the requests with a fault, resuming every upload that
// stops the way Result says to: its Pending events, then the events it did
// not read. At every stop the accounting adds up (read = delivered +
// pending, the delivered events are stored, the pending ones are exactly
// the ones read and not delivered), the error is typed, and in the end
// every event was confirmed delivered exactly once, the fake stores each
// exactly once, and the only events it received twice are those whose
// answer was lost: exactly once more per lost answer.
func TestSoakUploadThroughFaults(t *testing.T) {
	fakekit.CheckLeaks(t)
	fake := paruskaztest.NewServer() // outside the bubble: its listener waits on the network
	t.Cleanup(fake.Close)
	var lost atomic.Int64
	chaos := fakekit.NewChaos(fakekit.SoakSeed(t), fake.Handler(), fakekit.SoakRate, soakMenu(&lost))
	events := soakLog(t, soakEvents)
	synctest.Test(t, func(t *testing.T) {
		hc := &http.Client{Transport: &fakekit.HandlerTransport{Handler: chaos}, Timeout: soakAttempt}
		host := fmt.Sprintf("soak-%d-%d.fake.test", os.Getpid(), soakHostSeq.Add(1))
		c, err := paruskaz.New(paruskaztest.DefaultAPIKey, paruskaz.WithHTTPClient(hc), paruskaz.WithBaseURL("http://"+host+paruskaztest.BasePath),
			paruskaz.WithMaxBodyBytes(soakBodyBytes), paruskaz.WithMaxRetries(soakMaxRetries), paruskaz.WithRetryWait(100*time.Millisecond, time.Second))
		require.NoError(t, err)

		input := events
		confirmed, stops, failures := 0, 0, map[string]int{}
		for round := 1; ; round++ {
			require.LessOrEqual(t, round, soakRounds, "the upload does not finish")
			res, err := c.UploadSlice(t.Context(), input)
			require.LessOrEqual(t, res.Read, len(input))
			require.Equal(t, res.Read, res.Delivered+len(res.Pending), "every event read is delivered or pending")
			for i, e := range input[:res.Delivered] {
				require.True(t, fake.Has(soakStored(e)), "round %d: delivered event %d is stored as sent", round, i)
			}
			confirmed += res.Delivered
			if err == nil {
				require.Equal(t, len(input), res.Delivered, "a finished upload delivered everything")
				require.Empty(t, res.Pending)
				break
			}
			stops++
			failures[soakCheckError(t, err)]++
			require.ElementsMatch(t, soakKeys(input[res.Delivered:res.Read]), soakKeys(res.Pending),
				"round %d: the pending events are exactly those read and not delivered", round)
			input = append(slices.Clone(res.Pending), input[res.Read:]...)
		}
		require.Equal(t, soakEvents, confirmed, "each event was confirmed delivered exactly once")
		require.Equal(t, soakEvents, fake.Count(), "the fake stores each event once")
		for i, e := range events {
			require.True(t, fake.Has(soakStored(e)), "event %d is stored as sent", i)
		}
		// An event stored by a request whose answer was lost is sent once
		// more (and counted by the fake as a duplicate) for each such
		// answer, and never otherwise: the fake's duplicates are exactly the
		// events of the lost answers. The fake refuses nothing: the client
		// keeps its rate limit (see TestSoakClientKeepsTheDocumentedRate).
		st := fake.Stats()
		require.Equal(t, st.Requests, st.Accepted, "the fake refused nothing (%+v)", st)
		require.Equal(t, int(lost.Load()), st.Duplicates, "an event is resent once per lost answer, and only then")
		require.Positive(t, st.Duplicates)
		require.Positive(t, stops, "some uploads stopped and were resumed")
		chaos.CheckFaultMix(t, 0.08)
		t.Logf("%d events in %d accepted requests (%d duplicates de-duplicated by the fake, %d requests refused by its rate limit), %d uploads stopped and resumed: %v",
			soakEvents, st.Accepted, st.Duplicates, st.RateLimited, stops, failures)
	})
}

// TestSoakClientKeepsTheDocumentedRate pushes eight times, pausing 300 ms
// after every third push, as a program that pushes whenever its turnstiles
// have something does. The client's limiter must keep the documented 2
// requests per second, which the fake enforces as "no third request within
// one second".
//
// This once failed: the wait golang.org/x/time/rate computes from its
// float token count came out 1 ns short here (pushes 2 and 4 were sent at
// 1 s and 1.999999999 s), so push 4 was the third request within
// 999.999999 ms and the fake refused it with 429; likewise push 7. The
// client now lengthens the interval a little, and retries are off here, so
// any 429 would show.
func TestSoakClientKeepsTheDocumentedRate(t *testing.T) {
	fake := paruskaztest.NewServer() // outside the bubble: its listener waits on the network
	defer fake.Close()
	var refused []int
	synctest.Test(t, func(t *testing.T) {
		hc := &http.Client{Transport: &fakekit.HandlerTransport{Handler: fake.Handler()}}
		host := fmt.Sprintf("soak-rate-%d-%d.fake.test", os.Getpid(), soakHostSeq.Add(1))
		c, err := paruskaz.New(paruskaztest.DefaultAPIKey, paruskaz.WithHTTPClient(hc), paruskaz.WithBaseURL("http://"+host+paruskaztest.BasePath),
			paruskaz.WithMaxRetries(0))
		require.NoError(t, err)
		events := soakLog(t, 8)
		for i, e := range events {
			err := c.Push(t.Context(), []paruskaz.Institution{{BIN: e.BIN, OrgName: e.OrgName, Persons: []paruskaz.Person{{Time: e.Time, IIN: e.IIN, FIO: e.FIO, Note: e.Note}}}})
			if err != nil {
				require.ErrorIs(t, err, paruskaz.ErrRateLimited, "push %d", i)
				refused = append(refused, i)
			}
			if i%3 == 0 {
				time.Sleep(300 * time.Millisecond)
			}
		}
	})
	require.Empty(t, refused, "pushes refused by the fake's 2-per-second limit: the client's limiter let a third request "+
		"through within one second of the first")
	assertAtMostTwoPerSecond(t, fake.AcceptedTimes())
}
