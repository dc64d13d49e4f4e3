package openschool_test

// Soak test: the typed client against its fake with 30% of the answers
// faulty, plus the goroutine-leak check it runs under. Everything here is
// self-contained (names start with "soak") so that it can be read, and
// deleted, on its own.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/openschool/openschooltest"
)

const (
	soakRequests   = 300                    // requests the fake must see before the test stops
	soakMaxRetries = 2                      // the client's own retries
	soakAttempt    = 100 * time.Millisecond // http.Client.Timeout: one attempt, body included (bubble time)
	soakSlowChunk  = 15 * time.Millisecond  // SlowBody pause per 64 bytes (bubble time)
	soakCallerTry  = 40                     // how often the test repeats a call that failed
)

// soakMenu lists the faults of the issue (fakekit.SoakFaults): 500, 502,
// 503, 429 with a Retry-After the client waits out and one it must not, a
// reset connection, a truncated body and a body so slow that the attempt's
// deadline passes.
func soakMenu() []fakekit.ChaosFault { return fakekit.SoakFaults(soakSlowChunk) }

// soakCheckError asserts that a failure that reached the caller is a typed
// *openschool.Error whose fields say what was done: the kind matches the
// fault that caused it, Attempts counts the sends (all of them when the
// last failure was one the client retries), and a GET is never reported
// as maybe delivered. It returns a short label for the summary.
func soakCheckError(t *testing.T, err error) string {
	t.Helper()
	var e *openschool.Error
	require.ErrorAs(t, err, &e, "the failure is not an *openschool.Error: %T %v", err, err)
	require.ErrorIs(t, err, e.Kind(), "errors.Is matches the error's own kind")
	require.Equal(t, http.MethodGet, e.Method)
	require.Contains(t, e.URL, "action=")
	require.Contains(t, err.Error(), e.URL, "the message names the request")
	require.GreaterOrEqual(t, e.Attempts, 1)
	require.LessOrEqual(t, e.Attempts, soakMaxRetries+1)
	require.False(t, e.MaybeDelivered, "a GET is safe to repeat, never 'maybe delivered'")
	if e.Attempts > 1 {
		require.Contains(t, err.Error(), fmt.Sprintf("%d attempts", e.Attempts))
	}
	allSent := e.Attempts == soakMaxRetries+1
	switch {
	case errors.Is(err, openschool.ErrServer):
		require.Contains(t, []int{500, 502, 503}, e.StatusCode)
		require.NoError(t, e.Err)
		if e.StatusCode != http.StatusInternalServerError {
			require.True(t, allSent, "a retryable %d is returned only after every retry: %v", e.StatusCode, err)
		}
	case errors.Is(err, openschool.ErrRateLimited):
		require.Equal(t, http.StatusTooManyRequests, e.StatusCode)
		if e.RetryAfter == 0 {
			require.True(t, allSent, "a 429 the client may wait out is returned only after every retry: %v", err)
		} else {
			require.Equal(t, time.Second, e.RetryAfter, "the server's delay, over WithMaxRetryAfter, is handed to the caller")
		}
	case errors.Is(err, openschool.ErrTransport):
		require.Error(t, e.Err, "a transport failure carries its cause")
		require.Contains(t, []int{0, http.StatusOK}, e.StatusCode, "no answer, or a 200 whose body broke off")
		if e.StatusCode == 0 && !errors.Is(err, context.DeadlineExceeded) {
			require.True(t, allSent, "a reset connection is returned only after every retry: %v", err)
		}
	default:
		t.Fatalf("unexpected kind %v for an injected fault: %v", e.Kind(), err)
	}
	return fmt.Sprintf("%v %d", e.Kind(), e.StatusCode)
}

// soakDataset is the default data plus enough regions and payments to make
// the answers a few kilobytes long.
func soakDataset() *openschooltest.Dataset {
	d := openschooltest.DefaultDataset()
	for i := range 40 {
		d.Regions = append(d.Regions, openschooltest.Region{ID: strconv.Itoa(1000 + i), Name: fmt.Sprintf("Область №%d", i)})
	}
	schools := []string{"61", "67", "17", "88"}
	for i := range 25 {
		d.Payments = append(d.Payments, openschooltest.Payment{
			ID: strconv.Itoa(5000 + i), BookkeepingID: "1", RecipientID: []string{"40", "41"}[i%2], SchoolID: schools[i%4],
			DocNumber: strconv.Itoa(7000 + i), MasterID: strconv.Itoa(80000000 + i), Confirmed: i%3 == 0,
			Amount: fmt.Sprintf("%d.%02d", 100+i*7, i%100), ProfileID: "0", DocDate: "2017-12-13", DocVDate: "2017-12-13", TransDate: "2017-12-14",
			Details: fmt.Sprintf("платіж %d;без ПДВ", i), LabelID: []string{"2", "3", "4", "5"}[i%4],
		})
	}
	return d
}

// soakOp is one read of the API; ids lists the keys of a listing's rows.
type soakOp struct {
	name string
	call func(ctx context.Context, c *openschool.Client) (any, error)
	ids  func(v any) []string
}

func soakOps() []soakOp {
	return []soakOp{
		{"regions", func(ctx context.Context, c *openschool.Client) (any, error) { return c.Regions(ctx) },
			func(v any) []string {
				return soakIDs(v.([]openschool.Region), func(r openschool.Region) string { return r.ID })
			}},
		{"payments", func(ctx context.Context, c *openschool.Client) (any, error) { return c.GovernmentPayments(ctx, nil) },
			func(v any) []string {
				return soakIDs(v.([]openschool.GovernmentPayment), func(p openschool.GovernmentPayment) string { return p.ID })
			}},
		{"schools", func(ctx context.Context, c *openschool.Client) (any, error) { return c.Schools(ctx, nil) },
			func(v any) []string {
				return soakIDs(v.(*openschool.Schools).Schools, func(s openschool.School) string { return s.ID })
			}},
		{"periods", func(ctx context.Context, c *openschool.Client) (any, error) { return c.Periods(ctx) },
			func(v any) []string {
				return soakIDs(v.([]openschool.Period), func(p openschool.Period) string { return p.ID })
			}},
		{"labels", func(ctx context.Context, c *openschool.Client) (any, error) { return c.Labels(ctx) },
			func(v any) []string {
				return soakIDs(v.([]openschool.Label), func(l openschool.Label) string { return l.ID })
			}},
		{"tasks of school 67", func(ctx context.Context, c *openschool.Client) (any, error) {
			return c.Tasks(ctx, openschool.TasksParams{Item: "67"})
		}, func(v any) []string {
			return soakIDs(v.([]openschool.TaskSummary), func(s openschool.TaskSummary) string { return s.ID })
		}},
		{"task 794", func(ctx context.Context, c *openschool.Client) (any, error) { return c.Task(ctx, "794") }, nil},
	}
}

func soakIDs[T any](rows []T, id func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

// TestSoakListingsThroughFaults reads every listing of the API over and
// over through a fake that answers 30% of the requests with a fault. Each
// call that succeeds returns exactly the rows the fake holds, in its
// order, none twice and none missing; each failure that reaches the caller
// is a typed error that says what happened and how often it was sent.
func TestSoakListingsThroughFaults(t *testing.T) {
	fakekit.CheckLeaks(t)
	data := soakDataset()
	wantIDs := map[string][]string{
		"regions":  soakIDs(data.Regions, func(r openschooltest.Region) string { return r.ID }),
		"payments": soakIDs(data.Payments, func(p openschooltest.Payment) string { return p.ID }),
		"schools":  soakIDs(data.Schools, func(s openschooltest.School) string { return s.ID }),
		"periods":  soakIDs(data.Periods, func(p openschooltest.Period) string { return p.ID }),
		"labels":   soakIDs(data.Labels, func(l openschooltest.Label) string { return l.ID }),
	}
	fake := openschooltest.NewServerWith(data)
	t.Cleanup(fake.Close)
	chaos := fakekit.NewChaos(fakekit.SoakSeed(t), fake.Config.Handler, fakekit.SoakRate, soakMenu())
	// In a synctest bubble over in-memory connections, the attempt
	// timeout, the slow bodies, Retry-After and the back-offs are all on
	// the bubble's clock: a loaded machine changes no verdict.
	synctest.Test(t, func(t *testing.T) {
		direct := fakekit.NewPipeServer(fake.Config.Handler)
		t.Cleanup(direct.Close)
		front := fakekit.NewPipeServer(chaos)
		t.Cleanup(front.Close)
		newClient := func(p *fakekit.PipeServer, base string) *openschool.Client {
			c, err := openschool.New(openschool.WithBaseURL(base),
				openschool.WithHTTPClient(&http.Client{Transport: p.Transport(), Timeout: soakAttempt}),
				openschool.WithRetryWait(time.Millisecond, 5*time.Millisecond),
				openschool.WithMaxRetries(soakMaxRetries), openschool.WithMaxRetryAfter(100*time.Millisecond))
			require.NoError(t, err)
			return c
		}
		ctx := t.Context()

		// What the fake holds, read without faults.
		clean := newClient(direct, direct.URL)
		ops := soakOps()
		want := make([]any, len(ops))
		for i, op := range ops {
			var err error
			want[i], err = op.call(ctx, clean)
			require.NoError(t, err, op.name)
			if ids, ok := wantIDs[op.name]; ok {
				require.Equal(t, ids, op.ids(want[i]), "%s: the clean answer holds the dataset's rows", op.name)
			}
		}

		c := newClient(front, front.URL)
		calls, failures := 0, map[string]int{}
		for i := 0; ; i++ {
			if n, _ := chaos.Stats(); n >= soakRequests {
				break
			}
			op := ops[i%len(ops)]
			var got any
			for try := 1; ; try++ {
				var err error
				got, err = op.call(ctx, c)
				calls++
				if err == nil {
					break
				}
				failures[soakCheckError(t, err)]++
				require.Less(t, try, soakCallerTry, "%s failed %d times in a row", op.name, try)
			}
			require.Equal(t, want[i%len(ops)], got, "%s: a successful answer holds exactly the fake's rows", op.name)
			if op.ids != nil {
				ids := op.ids(got)
				require.Len(t, ids, len(slices.Compact(slices.Sorted(slices.Values(ids)))), "%s: no row twice", op.name)
			}
		}
		chaos.CheckFaultMix(t, 0.08)
		total := 0
		for _, n := range failures {
			total += n
		}
		require.Positive(t, total, "some failures reached the caller")
		t.Logf("%d calls, %d failures reached the caller: %v", calls, total, failures)
	})
}
