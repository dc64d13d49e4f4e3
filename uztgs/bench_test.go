package uztgs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// Run with:
//
//	go test -run '^$' -bench . -benchmem ./uztgs/

// handWritten is the same work written directly with net/http and
// encoding/json: sign in, keep the rotating headers, walk the pages.
type handWritten struct {
	base string
	hc   *http.Client
	hdr  http.Header
}

type hwPage struct {
	Data []struct {
		EventTime   int64                `json:"event_time"`
		ChannelData []map[string]float64 `json:"channel_data"`
	} `json:"data"`
	NextPage *int `json:"next_page"`
}

func newHandWritten(b *testing.B, base string) *handWritten {
	h := &handWritten{base: base, hc: &http.Client{}, hdr: http.Header{}}
	body := strings.NewReader(`{"email":"` + uztgstest.DefaultEmail + `","password":"` + uztgstest.DefaultPassword + `"}`)
	resp, err := h.hc.Post(base+"auth/sign_in", "application/json", body)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	h.keep(resp.Header)
	return h
}

func (h *handWritten) keep(r http.Header) {
	if strings.TrimSpace(r.Get("access-token")) == "" {
		return
	}
	for _, k := range []string{"access-token", "client", "uid", "token-type"} {
		h.hdr.Set(k, r.Get(k))
	}
}

// archive walks every page and returns the number of records.
func (h *handWritten) archive(b *testing.B, stationID, equipmentID int64, from, to string) int {
	n := 0
	for page := 1; page > 0; {
		q := url.Values{"archive_type": {"hourly"}, "station_id": {strconv.FormatInt(stationID, 10)}, "equipment_id": {strconv.FormatInt(equipmentID, 10)},
			"fp_start": {from}, "fp_end": {to}, "page": {strconv.Itoa(page)}, "per_page": {"1000"}}
		req, _ := http.NewRequest(http.MethodGet, h.base+"channel_data?"+q.Encode(), nil)
		req.Header = h.hdr.Clone()
		req.Header.Set("Content-Type", "application/json")
		resp, err := h.hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var p hwPage
		err = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("status %d: %v", resp.StatusCode, err)
		}
		h.keep(resp.Header)
		n += len(p.Data)
		page = 0
		if p.NextPage != nil {
			page = *p.NextPage
		}
	}
	return n
}

// BenchmarkArchivePages reads 5,016 hourly records (6 pages) from the
// strict fake, through the SDK and by hand.
func BenchmarkArchivePages(b *testing.B) {
	srv := uztgstest.NewServerWith(uztgstest.StrictConfig())
	defer srv.Close()
	st := station(srv.Dataset().Stations[0])
	from := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 5000/24) // 209 days: 5016 hourly rows
	want := srv.Dataset().ArchiveRows(st.ID, "hourly", from, to)

	b.Run("sdk", func(b *testing.B) {
		c := newClient(b, srv)
		defer c.Close()
		p := st.Archive(uztgs.Hourly, from, to)
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range c.Archive(context.Background(), p) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != want {
				b.Fatalf("got %d records, want %d", n, want)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*want), "ns/record")
	})
	b.Run("handwritten", func(b *testing.B) {
		h := newHandWritten(b, srv.BaseURL())
		b.ReportAllocs()
		for b.Loop() {
			if n := h.archive(b, st.ID, st.EquipmentID, from.Format(time.DateOnly), to.Format(time.DateOnly)); n != want {
				b.Fatalf("got %d records, want %d", n, want)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*want), "ns/record")
	})
}

// staticArchive serves the same 1,000-record page for every page number up
// to pages, so that a benchmark measures the client and not the fake.
func staticArchive(pages int) *httptest.Server {
	var rows bytes.Buffer
	for i := range 1000 {
		if i > 0 {
			rows.WriteByte(',')
		}
		fmt.Fprintf(&rows, `{"event_time":%d,"channel_data":[{"T":%.6f},{"VNakpriv":%.2f},{"VNakwork":%.2f},{"P":%.7f}]}`,
			1612292400-3600*i, 25+float64(i%100)/37, 89519.01+float64(i), 292537.06+float64(i)*1.5, 0.9954071-float64(i%7)/1e5)
	}
	page := rows.Bytes()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		next := "null"
		if n < pages {
			next = strconv.Itoa(n + 1)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintf(w, `{"data":[%s],"total_pages":%d,"current_page":%d,"next_page":%s}`, page, pages, n, next)
	}))
}

// BenchmarkArchiveStream streams 100,000 hourly records through the
// iterator and reports the heap in use after 10,000 and after 100,000
// records: it must not grow with the row count. "fake" reads them from the
// strict uztgstest fake (whose own allocations, in the same process, are
// counted in alloc-B/record); "static" from a server that repeats one
// prepared page, so alloc-B/record is the client's alone.
func BenchmarkArchiveStream(b *testing.B) {
	const total = 100_000
	b.Run("fake", func(b *testing.B) {
		srv := uztgstest.NewServerWith(uztgstest.StrictConfig())
		defer srv.Close()
		c := newClient(b, srv)
		defer c.Close()
		from := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
		st := station(srv.Dataset().Stations[0])
		streamArchive(b, c, st.Archive(uztgs.Hourly, from, from.AddDate(0, 0, total/24+1)), total)
	})
	b.Run("static", func(b *testing.B) {
		srv := staticArchive(total / 1000)
		defer srv.Close()
		c, err := uztgs.New(uztgs.WithBaseURL(srv.URL+"/api/v1/"), uztgs.WithHeaders(uztgs.Headers{AccessToken: "t", Client: "c", UID: "u"}))
		if err != nil {
			b.Fatal(err)
		}
		streamArchive(b, c, uztgs.ArchiveParams{Type: uztgs.Hourly, StationID: 1, EquipmentID: 1, From: time.Now(), To: time.Now()}, total)
	})
}

// streamArchive ranges over the first total records of p and reports the
// heap in use at 10% and 100% of them.
func streamArchive(b *testing.B, c *uztgs.Client, p uztgs.ArchiveParams, total int) {
	var heap10, heap100, allocated uint64
	var ms runtime.MemStats
	b.ReportAllocs()
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		startAlloc := ms.TotalAlloc
		n := 0
		for _, err := range c.Archive(context.Background(), p) {
			if err != nil {
				b.Fatal(err)
			}
			n++
			if n == total/10 || n == total {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				if n == total/10 {
					heap10 = max(heap10, ms.HeapInuse)
				} else {
					heap100 = max(heap100, ms.HeapInuse)
					allocated += ms.TotalAlloc - startAlloc
					break
				}
			}
		}
		if n != total {
			b.Fatalf("got %d records", n)
		}
	}
	b.ReportMetric(float64(heap10), "heap-at-10%-B")
	b.ReportMetric(float64(heap100), "heap-at-100%-B")
	b.ReportMetric(float64(allocated)/float64(b.N*total), "alloc-B/record")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*total), "ns/record")
}

// BenchmarkArchiveDecode is one 1,000-record page from a static server,
// through the SDK and by hand: the client's own cost per call.
func BenchmarkArchiveDecode(b *testing.B) {
	srv := staticArchive(1)
	defer srv.Close()
	b.Run("sdk", func(b *testing.B) {
		c, _ := uztgs.New(uztgs.WithBaseURL(srv.URL+"/api/v1/"), uztgs.WithHeaders(uztgs.Headers{AccessToken: "t", Client: "c", UID: "u"}))
		p := uztgs.ArchiveParams{Type: uztgs.Hourly, StationID: 1, EquipmentID: 1, From: time.Now(), To: time.Now(), PageParams: uztgs.PageParams{Page: 1, PerPage: 1000}}
		b.ReportAllocs()
		for b.Loop() {
			pg, err := c.ArchivePage(context.Background(), p)
			if err != nil || len(pg.Items) != 1000 {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		h := &handWritten{base: srv.URL + "/api/v1/", hc: &http.Client{}, hdr: http.Header{"Access-Token": {"t"}, "Client": {"c"}, "Uid": {"u"}}}
		b.ReportAllocs()
		for b.Loop() {
			if n := h.archive(b, 1, 1, "2024-01-01", "2024-01-01"); n != 1000 {
				b.Fatal(n)
			}
		}
	})
}

// BenchmarkPrefetch reads 10 pages from a fake that takes 10ms per
// answer, while the caller spends 10ms on each page.
func BenchmarkPrefetch(b *testing.B) {
	cfg := uztgstest.StrictConfig()
	cfg.Latency = 10 * time.Millisecond
	srv := uztgstest.NewServerWith(cfg)
	defer srv.Close()
	st := station(srv.Dataset().Stations[0])
	from := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	p := st.Archive(uztgs.Hourly, from, from.AddDate(0, 0, 416)) // 10,008 rows: 11 pages
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("prefetch=%v", on), func(b *testing.B) {
			c := newClient(b, srv, uztgs.WithPrefetch(on))
			defer c.Close()
			for b.Loop() {
				n := 0
				for _, err := range c.Archive(context.Background(), p) {
					if err != nil {
						b.Fatal(err)
					}
					n++
					if n%1000 == 0 {
						time.Sleep(10 * time.Millisecond) // the caller's work on a page
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/export")
		})
	}
}

// BenchmarkExportSessions exports one week of daily archives of the 57
// stations of the default dataset from a fake that takes 20ms per answer,
// with 1 and 4 sessions.
func BenchmarkExportSessions(b *testing.B) {
	cfg := uztgstest.StrictConfig()
	cfg.Latency = 20 * time.Millisecond
	ds := uztgstest.DefaultDataset()
	cfg.Dataset = ds
	srv := uztgstest.NewServerWith(cfg)
	defer srv.Close()
	stations := make([]uztgs.Station, len(ds.Stations))
	for i, s := range ds.Stations {
		stations[i] = station(s)
	}
	for _, n := range []int{1, 4} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			c := newClient(b, srv)
			defer c.Close()
			for b.Loop() {
				records := 0
				for _, err := range c.Export(context.Background(), uztgs.ExportParams{Type: uztgs.Daily, From: week.from, To: week.to, Stations: stations, Sessions: n}) {
					if err != nil {
						b.Fatal(err)
					}
					records++
				}
				if records != len(stations)*7 {
					b.Fatalf("got %d records", records)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/export")
		})
	}
}

// station converts the fake's station to the client's.
func station(s uztgstest.Station) uztgs.Station {
	return uztgs.Station{ID: s.ID, Name: s.Name, EquipmentID: s.EquipmentID, EquipmentTypeID: s.EquipmentTypeID, CustomerID: s.CustomerID}
}
