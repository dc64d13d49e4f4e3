package paruskaz

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/internal/testkit"
)

// Run with:
//
//	go test -run '^$' -bench . -benchmem ./paruskaz/

const benchEvents = 1_000_000

// generate yields n events over 50 institutions without holding them.
func generate(n int) iter.Seq[Event] {
	bins := make([]string, 50)
	for i := range bins {
		bins[i] = testkit.IINBIN(fmt.Sprintf("%05d400%03d", 10000+i, i))
	}
	start := time.Date(2024, 1, 13, 7, 30, 0, 0, time.FixedZone("", 5*3600))
	return func(yield func(Event) bool) {
		for i := range n {
			e := Event{
				BIN: bins[i%50], OrgName: "КГУ «Общеобразовательная школа №" + strconv.Itoa(i%50) + "»",
				Time: start.Add(time.Duration(i) * time.Second), IIN: testkit.IINBIN(fmt.Sprintf("%011d", 85010130000+i%99991)),
				FIO: "Ахметов Даулет Серикович", Note: "корпус 2",
			}
			if !yield(e) {
				return
			}
		}
	}
}

func benchClient(b *testing.B, maxBody int) *Client {
	c, err := New("bench-key", WithBaseURL("https://bench.invalid/back/apikey/v1/"), WithMaxBodyBytes(maxBody))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkEncode1M validates, groups, batches and encodes 1,000,000
// events through the Uploader (requests are discarded, so the rate limit
// is not part of it), against the same grouping done by hand into structs
// and one json.Marshal. Both start from the same []Event.
func BenchmarkEncode1M(b *testing.B) {
	events := slices.Collect(generate(benchEvents))
	b.Run("uploader", func(b *testing.B) {
		c := benchClient(b, MaxBodyBytes)
		var total int64
		b.ReportAllocs()
		for b.Loop() {
			u := c.NewUploader()
			total = 0
			u.send = func(_ context.Context, parts [][]byte) error {
				for _, p := range parts {
					total += int64(len(p))
				}
				return nil
			}
			for _, e := range events {
				if err := u.Add(context.Background(), e); err != nil {
					b.Fatal(err)
				}
			}
			if err := u.Flush(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(total)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchEvents), "ns/event")
	})
	b.Run("json.Marshal", func(b *testing.B) {
		type person struct {
			DateTime string `json:"datetime"`
			IIN      string `json:"iin"`
			FIO      string `json:"fio"`
			Note     string `json:"note"`
		}
		type institution struct {
			BIN     string   `json:"bin"`
			OrgName string   `json:"org_name"`
			Person  []person `json:"person"`
		}
		type envelope struct {
			Source string `json:"source"`
			Code   string `json:"code"`
			Param  struct {
				Data []institution `json:"data"`
			} `json:"param"`
		}
		b.ReportAllocs()
		var n int
		for b.Loop() {
			env := envelope{Source: "Query", Code: "InsertACS"}
			index := map[[2]string]int{}
			for _, e := range events {
				k := [2]string{e.BIN, e.OrgName}
				i, ok := index[k]
				if !ok {
					i = len(env.Param.Data)
					index[k] = i
					env.Param.Data = append(env.Param.Data, institution{BIN: e.BIN, OrgName: e.OrgName})
				}
				env.Param.Data[i].Person = append(env.Param.Data[i].Person, person{e.Time.Format(DateTimeLayout), e.IIN, e.FIO, e.Note})
			}
			out, err := json.Marshal(&env)
			if err != nil {
				b.Fatal(err)
			}
			n = len(out)
		}
		b.SetBytes(int64(n))
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchEvents), "ns/event")
	})
}

// BenchmarkUploadPeakHeap uploads 1,000,000 events, generated one at a
// time, with three batch sizes and reports the peak live heap (after a GC,
// at every request) and the total encoded size: the heap follows the batch
// size, not the upload.
func BenchmarkUploadPeakHeap(b *testing.B) {
	for _, mb := range []int{1, 10, 50} {
		b.Run(fmt.Sprintf("batch=%dMB", mb), func(b *testing.B) {
			c := benchClient(b, mb*1_000_000)
			var peak uint64
			var total int64
			var ms runtime.MemStats
			for b.Loop() {
				runtime.GC()
				u := c.NewUploader()
				total = 0
				u.send = func(_ context.Context, parts [][]byte) error {
					runtime.GC()
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc)
					for _, p := range parts {
						total += int64(len(p))
					}
					return nil
				}
				for e := range generate(benchEvents) {
					if err := u.Add(context.Background(), e); err != nil {
						b.Fatal(err)
					}
				}
				if err := u.Flush(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/1e6, "peak-live-heap-MB")
			b.ReportMetric(float64(mb), "batch-MB")
			b.ReportMetric(float64(total)/1e6, "upload-MB")
		})
	}
}
