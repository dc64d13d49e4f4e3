package bench

import (
	"bytes"
	"context"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/trueapi/signing"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

// resetEvery is how many calls a per-call benchmark makes between two
// resets of the fake's request recorder.
const resetEvery = 256

// handHTTP returns the http.Client a developer would write by hand: one
// transport with a pool of keep-alive connections, as large as the SDK's.
func handHTTP() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: t}
}

// A recorder is a fake's request recorder (the Recorder field of every
// <api>test.Server), which the benchmarks empty as they go.
type recorder interface{ Reset() }

// loop runs call b.N times (once before the timer, to open the connection
// and sign in), failing on its first error, and empties the fake's request
// recorder, if any, every resetEvery calls. Besides the time it reports
// cpu-ns/op, the CPU time the whole process used per call (the client, the
// server in the same process, the garbage collector): unlike the time, it
// does not grow while the call waits for a CPU that other processes hold,
// so it stays comparable between the two sides on a busy machine.
func loop(b *testing.B, rec recorder, call func() error) {
	b.Helper()
	if err := call(); err != nil {
		b.Fatal(err)
	}
	reset := func() {
		if rec != nil {
			rec.Reset()
		}
	}
	reset()
	b.ReportAllocs()
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		if err := call(); err != nil {
			b.Fatal(err)
		}
		if i++; i%resetEvery == 0 {
			reset()
		}
	}
	if cpu1 := cpuTime(); cpu0 >= 0 && cpu1 >= cpu0 && i > 0 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(i), "cpu-ns/op")
	}
}

// pairLoop runs the SDK's and the hand-written call in turns, one of each
// per iteration (the order alternating, so neither always runs just after
// the other's garbage), timing each call on its own, and reports the
// SDK's and the hand-written call's mean time per call (sdk-ns/op,
// hand-ns/op) and their ratio (sdk/hand). Since both sides run
// interleaved through the same seconds, a change in the machine's speed
// during the run (another process, a CPU's clock) reaches both alike,
// which back-to-back runs of the two benchmarks cannot promise. Its own
// ns/op is the pair's and its allocations are both sides' together; the
// sides' own allocations are the sdk and hand benchmarks'.
func pairLoop(b *testing.B, rec recorder, sdk, hand func() error) {
	b.Helper()
	for _, call := range []func() error{sdk, hand} {
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
	if rec != nil {
		rec.Reset()
	}
	b.ReportAllocs()
	var sdkNs, handNs time.Duration
	timed := func(call func() error, into *time.Duration) {
		t0 := time.Now()
		if err := call(); err != nil {
			b.Fatal(err)
		}
		*into += time.Since(t0)
	}
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			timed(sdk, &sdkNs)
			timed(hand, &handNs)
		} else {
			timed(hand, &handNs)
			timed(sdk, &sdkNs)
		}
		if i++; i%(resetEvery/2) == 0 && rec != nil {
			rec.Reset()
		}
	}
	if i > 0 && handNs > 0 {
		b.ReportMetric(float64(sdkNs)/float64(i), "sdk-ns/op")
		b.ReportMetric(float64(handNs)/float64(i), "hand-ns/op")
		b.ReportMetric(float64(sdkNs)/float64(handNs), "sdk/hand")
	}
}

// handDo sends req, checks that the answer is 200 and decodes its JSON body
// into out (if not nil). It returns the answer's headers.
func handDo(hc *http.Client, req *http.Request, out any) (http.Header, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: status %d: %.200s", req.Method, req.URL.Path, resp.StatusCode, body)
	}
	if out == nil {
		return resp.Header, nil
	}
	return resp.Header, json.Unmarshal(body, out)
}

// handGet is a GET of u decoded into out.
func handGet(ctx context.Context, hc *http.Client, u string, hdr http.Header, out any) (http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	return handDo(hc, req, out)
}

// handPostJSON POSTs in as JSON to u and decodes the answer into out.
func handPostJSON(ctx context.Context, hc *http.Client, u string, hdr http.Header, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	_, err = handDo(hc, req, out)
	return err
}

// trueapiSigner returns one throw-away signer for the whole run: making a
// 2048-bit RSA key takes a while.
var trueapiSigner = sync.OnceValues(func() (signing.Signer, error) {
	return trueapitest.NewSigner(pkix.Name{CommonName: "steppe bench"})
})

// checkDigit appends the IIN/BIN check digit to 11 digits, changing the
// 11th digit until one exists (the mod-11 scheme of Kazakhstan's IIN/BIN).
func checkDigit(d string) string {
	b := []byte(d)
	for {
		s1, s2 := 0, 0
		for i := range 11 {
			n := int(b[i] - '0')
			s1 += n * (i + 1)
			s2 += n * ((i+2)%11 + 1)
		}
		if c := s1 % 11; c != 10 {
			return string(b) + strconv.Itoa(c)
		}
		if c := s2 % 11; c != 10 {
			return string(b) + strconv.Itoa(c)
		}
		b[10] = '0' + (b[10]-'0'+1)%10
	}
}
