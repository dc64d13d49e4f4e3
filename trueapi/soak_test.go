package trueapi_test

// The soak test of the issue: the client against its fake with 30% of the
// answers faulty (500, 502, 503, 429 with Retry-After, a reset
// connection, a lost answer, a truncated body, a body that stalls past the
// deadline), in a testing/synctest bubble over fakekit.HandlerTransport so
// that waits cost no real time.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/signing"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

// faultyHandler answers 30% of the requests with a random fault of the
// menu, sign-in excepted (to keep the count of sign-ins meaningful).
func faultyHandler(next http.Handler, seed uint64) (http.Handler, func() int) {
	menu := []fakekit.ChaosFault{
		{Name: "500", Weight: 1, Fault: fakekit.Fault{Status: http.StatusInternalServerError, Body: `{"error_message":"Внутренняя ошибка"}`}},
		{Name: "502", Weight: 1, Fault: fakekit.Fault{Status: http.StatusBadGateway}},
		{Name: "503", Weight: 1, Fault: fakekit.Fault{Status: http.StatusServiceUnavailable}},
		{Name: "429", Weight: 1, Fault: fakekit.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second}},
		{Name: "reset", Weight: 1, Fault: fakekit.Fault{Drop: true}},
		{Name: "answer lost", Weight: 1, Fault: fakekit.Fault{DropResponse: true}},
		{Name: "truncated", Weight: 1, Fault: fakekit.Fault{Truncate: true}},
		{Name: "stalled", Weight: 1, Fault: fakekit.Fault{SlowBody: 10 * time.Second}}, // past the client's 5 s timeout
	}
	chaos := fakekit.NewChaos(seed, next, 0.30, menu)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, trueapitest.APIPath+"auth/") {
			next.ServeHTTP(w, r)
			return
		}
		chaos.ServeHTTP(w, r)
	})
	return h, func() int {
		_, hits := chaos.Stats()
		n := 0
		for _, v := range hits {
			n += v
		}
		return n
	}
}

func TestSoakUnderFaults(t *testing.T) {
	cfg := trueapitest.DefaultConfig()
	cfg.Codes = 600
	cfg.DocumentDelay = 2 * time.Second
	srv := trueapitest.NewServerWith(cfg) // outside the bubble
	defer srv.Close()
	auth := ncaSigner(t)
	doc, err := signing.LoadPKCS12File("signing/testdata/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12", "Qwerty12", signing.PurposeDocument)
	require.NoError(t, err)
	own := srv.OwnCodes()
	var units []trueapitest.Code
	for _, code := range own {
		if code.PackageType == "UNIT" && code.Owner == srv.Owner() {
			units = append(units, code)
		}
	}

	synctest.Test(t, func(t *testing.T) {
		h, faults := faultyHandler(srv.Handler(), 7)
		hc := &http.Client{Transport: &fakekit.HandlerTransport{Handler: h}, Timeout: 5 * time.Second}
		c, err := trueapi.New(signing.ByPurpose(auth, doc), trueapi.WithBaseURL(srv.BaseURL()), trueapi.WithHTTPClient(hc),
			trueapi.WithMaxRetries(12), trueapi.WithRetryWait(10*time.Millisecond, time.Second))
		require.NoError(t, err)
		ctx := context.Background()

		// Reads are retried on 502/503/429 and broken connections; a 500
		// (not retried by default) ends the walk with a typed error, and
		// the walk is run again. A walk that ends returns exactly the
		// codes the fake holds, each once.
		var seen map[string]int
		for attempt := 0; seen == nil; attempt++ {
			require.Less(t, attempt, 20, "the listing never completed")
			walk := map[string]int{}
			for rec, err := range c.CisesListV2(ctx, trueapi.ListFilter{Limit: 50}) {
				if err != nil {
					var te *trueapi.Error
					require.ErrorAs(t, err, &te, "a typed error: %v", err)
					walk = nil
					break
				}
				walk[rec.Cis]++
			}
			seen = walk
		}
		require.Len(t, seen, len(own))
		for _, code := range own {
			require.Equal(t, 1, seen[code.Cis], "%s listed once", code.Cis)
		}
		var infos []trueapi.CisInfoResult
		for attempt := 0; infos == nil; attempt++ {
			require.Less(t, attempt, 20, "cises/info never completed")
			infos, err = c.CisesInfo(ctx, cisesOf(own))
			if err != nil {
				var te *trueapi.Error
				require.ErrorAs(t, err, &te, "a typed error: %v", err)
			}
		}
		require.Len(t, infos, len(own))

		// Documents are never received twice; every failure is typed
		// and says whether the outcome is known.
		var sent, unknown, refused int
		for i := range 40 {
			notice := &trueapi.WriteOffNotice{
				Reason:      trueapi.WithdrawalDefect,
				Participant: trueapi.DocParty{IdentificationCode: srv.Owner()},
				Basis:       trueapi.BasisDoc{Name: "Акт", Number: string(rune('A' + i%26)), Date: time.Now()},
				Codes:       []trueapi.CodeCount{{Code: units[i%len(units)].Cis, Count: 1}},
			}
			signed, err := c.SignDocument(ctx, notice)
			require.NoError(t, err)
			res, err := c.SendWriteOffNotice(ctx, trueapi.RawDocument(signed.Content))
			times := srv.ReceivedTimes(signed.Content)
			require.LessOrEqual(t, times, 1, "document %d received %d times", i, times)
			var te *trueapi.Error
			switch {
			case err == nil:
				sent++
				require.Equal(t, 1, times)
				require.NotEmpty(t, res.FileID)
			case errors.Is(err, trueapi.ErrOutcomeUnknown):
				unknown++
				assert.Contains(t, err.Error(), "Client.DocumentInfo")
			case errors.As(err, &te):
				refused++
				assert.Equal(t, 0, times, "a refusal the server sent means it did not take the document: %v", err)
			default:
				t.Fatalf("untyped error: %v", err)
			}
		}
		t.Logf("%d faults injected; documents: %d sent, %d unknown outcome, %d refused", faults(), sent, unknown, refused)
		assert.Positive(t, sent)
		assert.Positive(t, unknown+refused, "the faults reached the document route")
		assert.Greater(t, faults(), 10)
	})
}
