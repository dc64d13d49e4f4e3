package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// Sizes of the bulk benchmarks.
const (
	pkUploadEvents   = 1_000_000
	pkHandBatch      = 200_000 // passes per hand-written request: about 35 MB
	infoCodes        = 20_000
	bulkLatency      = 20 * time.Millisecond
	exportDays       = 42 // hourly: 1,008 records, two pages per station
	prefetchPages    = 20
	prefetchLatency  = 10 * time.Millisecond
	prefetchPageWork = 10 * time.Millisecond
)

// BenchmarkBulk measures the bulk paths: paruskaz encoding and batching
// against json.Marshal, and concurrency and prefetching against a fake
// with latency.
func BenchmarkBulk(b *testing.B) {
	b.Run("paruskaz-upload", benchBulkParuskaz)
	b.Run("trueapi-info", benchBulkTrueAPIInfo)
	b.Run("uztgs-export", benchBulkUztgsExport)
	b.Run("uztgs-prefetch", benchBulkUztgsPrefetch)
}

// --- paruskaz ----------------------------------------------------------

// pkEvents returns n passes at 50 institutions, with valid BINs and IINs.
func pkEvents(n int) []paruskaz.Event {
	const orgs = 50
	bins := make([]string, orgs)
	for i := range bins {
		bins[i] = checkDigit(fmt.Sprintf("%05d400%03d", 20000+i, i))
	}
	iins := make([]string, 997)
	for i := range iins {
		iins[i] = checkDigit(fmt.Sprintf("%011d", 90020230000+i*7))
	}
	start := time.Date(2024, 1, 13, 7, 30, 0, 0, time.FixedZone("", 5*3600))
	out := make([]paruskaz.Event, n)
	for i := range out {
		out[i] = paruskaz.Event{
			BIN: bins[i%orgs], OrgName: "КГУ «Общеобразовательная школа №" + strconv.Itoa(i%orgs+1) + "»",
			Time: start.Add(time.Duration(i) * time.Second), IIN: iins[i%len(iins)],
			FIO: "Ахметов Даулет Серикович", Note: "корпус 2",
		}
	}
	return out
}

// discardServer reads and drops every request body and answers 200
// {"message":"OK"}, as the service does.
func discardServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, `{"message":"OK"}`)
	}))
}

// handPKUpload is the upload written by hand: events in batches of a fixed
// count, grouped by institution into the wire structs, json.Marshal, POST.
func handPKUpload(ctx context.Context, hc *http.Client, u string, events []paruskaz.Event) (int64, error) {
	hdr := http.Header{"X-Api-Key": {"bench-key"}}
	var sent int64
	for first := 0; first < len(events); first += pkHandBatch {
		env := handPKEnvelope{Source: "Query", Code: "InsertACS"}
		index := map[[2]string]int{}
		for _, e := range events[first:min(first+pkHandBatch, len(events))] {
			k := [2]string{e.BIN, e.OrgName}
			i, ok := index[k]
			if !ok {
				i = len(env.Param.Data)
				index[k] = i
				env.Param.Data = append(env.Param.Data, handPKInstitution{BIN: e.BIN, OrgName: e.OrgName})
			}
			env.Param.Data[i].Person = append(env.Param.Data[i].Person,
				handPKPerson{DateTime: e.Time.Format(paruskaz.DateTimeLayout), IIN: e.IIN, FIO: e.FIO, Note: e.Note})
		}
		body, err := json.Marshal(&env)
		if err != nil {
			return sent, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
		if err != nil {
			return sent, err
		}
		req.Header = hdr.Clone()
		req.Header.Set("Content-Type", "application/json")
		var out struct {
			Message string `json:"message"`
		}
		if _, err := handDo(hc, req, &out); err != nil {
			return sent, err
		}
		sent += int64(len(body))
	}
	return sent, nil
}

func benchBulkParuskaz(b *testing.B) {
	events := pkEvents(pkUploadEvents)
	srv := discardServer()
	defer srv.Close()
	base := srv.URL + "/back/apikey/v1/"
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		c, err := paruskaz.New("bench-key", paruskaz.WithBaseURL(base), paruskaz.WithoutRateLimit())
		if err != nil {
			b.Fatal(err)
		}
		var sent int64
		b.ReportAllocs()
		for b.Loop() {
			r, err := c.UploadSlice(ctx, events)
			if err != nil {
				b.Fatal(err)
			}
			if r.Delivered != len(events) {
				b.Fatalf("delivered %d of %d", r.Delivered, len(events))
			}
			sent = r.Bytes
		}
		b.SetBytes(sent)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
	})
	b.Run("hand", func(b *testing.B) {
		hc := handHTTP()
		var sent int64
		b.ReportAllocs()
		for b.Loop() {
			n, err := handPKUpload(ctx, hc, base+"data_set", events)
			if err != nil {
				b.Fatal(err)
			}
			sent = n
		}
		b.SetBytes(sent)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
	})
}

// --- trueapi cises/info ------------------------------------------------

func benchBulkTrueAPIInfo(b *testing.B) {
	srv := trueapitest.NewServerWith(trueapitest.Config{Codes: infoCodes, Latency: bulkLatency})
	defer srv.Close()
	c, _ := newTrueAPIClient(b, srv.BaseURL())
	codes := ownCises(b, srv, infoCodes)
	ctx := context.Background()
	check := func(got int) {
		if got != len(codes) {
			b.Fatalf("got %d results for %d codes", got, len(codes))
		}
	}
	// One request at a time: CisesInfo once per batch of 1,000 codes.
	b.Run("conc=1", func(b *testing.B) {
		for b.Loop() {
			got := 0
			for first := 0; first < len(codes); first += trueapi.MaxCodesPerRequest {
				res, err := c.CisesInfo(ctx, codes[first:min(first+trueapi.MaxCodesPerRequest, len(codes))])
				if err != nil {
					b.Fatal(err)
				}
				got += len(res)
			}
			check(got)
			srv.Recorder.Reset()
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/20k-codes")
	})
	// One call: the client keeps 4 requests in flight.
	b.Run("conc=4", func(b *testing.B) {
		for b.Loop() {
			res, err := c.CisesInfo(ctx, codes)
			if err != nil {
				b.Fatal(err)
			}
			check(len(res))
			srv.Recorder.Reset()
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/20k-codes")
	})
}

// --- uztgs export ------------------------------------------------------

func benchBulkUztgsExport(b *testing.B) {
	cfg := uztgstest.DefaultConfig()
	cfg.Latency = bulkLatency
	srv := uztgstest.NewServerWith(cfg)
	defer srv.Close()
	ds := srv.Dataset()
	stations := make([]uztgs.Station, len(ds.Stations))
	want := 0
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, exportDays-1)
	for i, s := range ds.Stations {
		stations[i] = uztgsStation(s)
		want += ds.ArchiveRows(s.ID, string(uztgs.Hourly), from, to)
	}
	for _, sessions := range []int{1, 4} {
		b.Run("sessions="+strconv.Itoa(sessions), func(b *testing.B) {
			c := newUztgsClient(b, srv.BaseURL())
			defer c.Close()
			if _, err := c.SignIn(context.Background()); err != nil {
				b.Fatal(err)
			}
			p := uztgs.ExportParams{Type: uztgs.Hourly, From: from, To: to, Stations: stations, Sessions: sessions}
			for b.Loop() {
				n := 0
				for _, err := range c.Export(context.Background(), p) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != want {
					b.Fatalf("got %d records, want %d", n, want)
				}
				srv.Recorder.Reset()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/export")
		})
	}
}

// --- uztgs prefetch ----------------------------------------------------

func benchBulkUztgsPrefetch(b *testing.B) {
	cfg := uztgstest.DefaultConfig()
	cfg.Latency = prefetchLatency
	srv := uztgstest.NewServerWith(cfg)
	defer srv.Close()
	st := uztgsStation(srv.Dataset().Stations[0])
	from := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	p := st.Archive(uztgs.Hourly, from, from.AddDate(0, 0, prefetchPages*uztgs.MaxPerPage/24-1))
	want := srv.Dataset().ArchiveRows(st.ID, string(uztgs.Hourly), p.From, p.To)
	for _, v := range []struct {
		name string
		on   bool
	}{{"plain", false}, {"prefetch", true}} {
		b.Run(v.name, func(b *testing.B) {
			c := newUztgsClient(b, srv.BaseURL(), uztgs.WithPrefetch(v.on))
			defer c.Close()
			if _, err := c.SignIn(context.Background()); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				n := 0
				for _, err := range c.Archive(context.Background(), p) {
					if err != nil {
						b.Fatal(err)
					}
					if n++; n%uztgs.MaxPerPage == 0 {
						time.Sleep(prefetchPageWork) // the caller's work on a page
					}
				}
				if n != want {
					b.Fatalf("got %d records, want %d", n, want)
				}
				srv.Recorder.Reset()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/walk")
		})
	}
}
