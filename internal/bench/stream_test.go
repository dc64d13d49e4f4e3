package bench

import (
	"context"
	"iter"
	"runtime"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// Rows of the streaming benchmarks.
const (
	uztgsStreamRows   = 1_000_000
	trueapiStreamRows = 100_000
)

// BenchmarkStream ranges over long listings through the iterators and
// reports the live heap at 10% and 100% of the rows.
func BenchmarkStream(b *testing.B) {
	b.Run("uztgs-archive-1M", func(b *testing.B) {
		srv := uztgstest.NewServerWith(uztgstest.DefaultConfig())
		defer srv.Close()
		c := newUztgsClient(b, srv.BaseURL())
		defer c.Close()
		st := uztgsStation(srv.Dataset().Stations[0])
		from := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
		p := st.Archive(uztgs.Hourly, from, from.AddDate(0, 0, uztgsStreamRows/24+1))
		if n := srv.Dataset().ArchiveRows(st.ID, string(uztgs.Hourly), p.From, p.To); n < uztgsStreamRows {
			b.Fatalf("the archive has %d rows", n)
		}
		stream(b, srv.Recorder, uztgsStreamRows, func(ctx context.Context) iter.Seq2[uztgs.Record, error] {
			return c.Archive(ctx, p)
		})
	})
	b.Run("trueapi-listV2-100k", func(b *testing.B) {
		srv := trueapitest.NewServerWith(trueapitest.Config{Codes: trueapiStreamRows})
		defer srv.Close()
		c, _ := newTrueAPIClient(b, srv.BaseURL())
		// Pages of 10,000, the API's largest: the fake sorts all its codes
		// for every page, which would make pages of 1,000 take 45 s.
		f := trueapi.ListFilter{PackageType: trueapi.PackageUnit, Limit: trueapi.MaxListLimit}
		first, err := c.CisesListV2Page(context.Background(), f, trueapi.ListCursor{})
		if err != nil {
			b.Fatal(err)
		}
		if first.Total < trueapiStreamRows {
			b.Fatalf("the listing has %d records", first.Total)
		}
		stream(b, srv.Recorder, trueapiStreamRows, func(ctx context.Context) iter.Seq2[trueapi.CisRecord, error] {
			return c.CisesListV2(ctx, f)
		})
	})
}

// stream ranges over the first rows items of seq and reports:
// heap0-MB, heap10%-MB and heap100%-MB, the heap in use after two GCs before
// the first row, after 10% and after 100% of the rows; peak-MB, the largest
// heap in use seen every 1,000 rows (without forcing a GC); retained-B/row,
// the growth of the live heap from 10% to 100% per row; alloc-B/row, the
// bytes allocated per row (the fake's included); and ns/row.
func stream[T any](b *testing.B, rec recorder, rows int, seq func(context.Context) iter.Seq2[T, error]) {
	var heap0, heap10, heap100, peak, allocated uint64
	var ms runtime.MemStats
	live := func() uint64 {
		rec.Reset()
		// Twice: the first GC moves the sync.Pools to their victim
		// caches, the second frees them, so the figure is steady.
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	b.ReportAllocs()
	for b.Loop() {
		heap0 = max(heap0, live())
		start := ms.TotalAlloc
		n := 0
		for _, err := range seq(context.Background()) {
			if err != nil {
				b.Fatal(err)
			}
			n++
			switch {
			case n == rows/10:
				heap10 = max(heap10, live())
			case n == rows:
				heap100 = max(heap100, live())
				allocated += ms.TotalAlloc - start
			case n%1000 == 0:
				rec.Reset()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			if n == rows {
				break
			}
		}
		if n != rows {
			b.Fatalf("got %d rows, want %d", n, rows)
		}
	}
	const mb = 1 << 20
	b.ReportMetric(float64(heap0)/mb, "heap0-MB")
	b.ReportMetric(float64(heap10)/mb, "heap10%-MB")
	b.ReportMetric(float64(heap100)/mb, "heap100%-MB")
	b.ReportMetric(float64(max(peak, heap100))/mb, "peak-MB")
	b.ReportMetric((float64(heap100)-float64(heap10))/float64(rows-rows/10), "retained-B/row")
	b.ReportMetric(float64(allocated)/float64(b.N*rows), "alloc-B/row")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}
