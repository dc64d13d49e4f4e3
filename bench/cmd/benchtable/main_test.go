package main

import (
	"io"
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/steppe-sdk/steppe/bench
cpu: AMD EPYC
BenchmarkCall/openschool/small/sdk-2         	   10000	    105000 ns/op	   24632 B/op	     250 allocs/op
BenchmarkCall/openschool/small/hand-2        	   10000	    100000 ns/op	   17168 B/op	     242 allocs/op
BenchmarkCall/openschool/small/sdk-2         	   10000	    107000 ns/op	   24632 B/op	     252 allocs/op
BenchmarkCall/openschool/small/hand-2        	   10000	    102000 ns/op	   17168 B/op	     242 allocs/op
BenchmarkCall/uztgs/large/sdk-2              	     100	  12000000 ns/op	 1853432 B/op	   32340 allocs/op
BenchmarkCall/uztgs/large/hand-2             	     100	  10000000 ns/op	 2494896 B/op	   51228 allocs/op
BenchmarkStream/uztgs-archive-1M-2         	       1	10601107720 ns/op	      1649 alloc-B/row	         0.8750 heap0-MB	         1.469 heap10%-MB	         1.414 heap100%-MB	     10601 ns/row	         4.250 peak-MB	        -0.06372 retained-B/row	1649270472 B/op	32316438 allocs/op
BenchmarkBulk/paruskaz-upload/sdk-2     	       1	1034678632 ns/op	 136.29 MB/s	      1035 ns/event	262374352 B/op	    2474 allocs/op
BenchmarkBulk/paruskaz-upload/hand-2    	       1	1123492784 ns/op	 125.53 MB/s	      1123 ns/event	598139944 B/op	 1005015 allocs/op
BenchmarkBulk/trueapi-info/conc=1-2     	       1	4187856291 ns/op	      4187 ms/100k-codes	744436664 B/op	 9224251 allocs/op
BenchmarkBulk/trueapi-info/conc=4-2     	       1	1587227807 ns/op	      1587 ms/100k-codes	742296424 B/op	 9223974 allocs/op
BenchmarkBulk/uztgs-export/sessions=1-2 	       1	2899521245 ns/op	      2899 ms/export	91912080 B/op	 1872285 allocs/op
BenchmarkBulk/uztgs-export/sessions=4-2 	       1	 862580029 ns/op	       862.0 ms/export	97436184 B/op	 1874166 allocs/op
BenchmarkBulk/uztgs-prefetch/plain-2    	       1	 598650585 ns/op	       598.0 ms/walk	33623984 B/op	  646178 allocs/op
BenchmarkBulk/uztgs-prefetch/prefetch-2 	       1	 393116912 ns/op	       393.0 ms/walk	32300848 B/op	  646143 allocs/op
BenchmarkCall/uchet/small/sdk-2              	       1	    326443 ns/op	   50144 B/op	     438 allocs/op
PASS
ok  	github.com/steppe-sdk/steppe/bench	14.245s
`

func table(t *testing.T, in string) (*results, map[string]row) {
	t.Helper()
	res := newResults()
	if err := res.parse(strings.NewReader(in), io.Discard); err != nil {
		t.Fatal(err)
	}
	rows := map[string]row{}
	for _, r := range build(res) {
		rows[r.name] = r
	}
	return res, rows
}

func TestTable(t *testing.T) {
	res, rows := table(t, sample)
	if len(res.failures) != 0 {
		t.Errorf("failures %q", res.failures)
	}
	if got, _ := res.get("Call/openschool/small/sdk", "ns/op"); got != 106000 {
		t.Errorf("median of two runs: got %v", got)
	}
	want := map[string][2]string{ // ratio, verdict
		"Call/openschool/small":   {"1.05× time, +9 allocs", "yes"},
		"Call/uztgs/large":        {"1.20× time, -18888 allocs", "no: " + defaultWhy},
		"Stream/uztgs-archive-1M": {"0.963× heap (100% / 10%)", "yes"},
		"Bulk/paruskaz-upload":    {"0.92× time, -1002541 allocs", "—"},
		"Bulk/trueapi-info":       {"2.64× faster", "no: " + why["Bulk/trueapi-info"]},
		"Bulk/uztgs-export":       {"3.36× faster", "yes"},
		"Bulk/uztgs-prefetch":     {"1.52× faster", "—"},
		"Call/uchet/small/sdk":    {"—", "—"},
	}
	if len(rows) != len(want) {
		t.Errorf("got %d rows, want %d: %v", len(rows), len(want), rows)
	}
	for name, w := range want {
		r, ok := rows[name]
		if !ok {
			t.Errorf("no row %s", name)
			continue
		}
		if r.ratio != w[0] || r.verdict != w[1] {
			t.Errorf("%s: got %q, %q; want %q, %q", name, r.ratio, r.verdict, w[0], w[1])
		}
	}
	if s := rows["Bulk/trueapi-info"].subject; s != "conc=4: 1.59 s" {
		t.Errorf("subject %q", s)
	}

	for i, r := range build(res) {
		if want := map[int]string{0: "Call/openschool/small", 3: "Stream/uztgs-archive-1M", 4: "Bulk/paruskaz-upload"}[i]; want != "" && r.name != want {
			t.Errorf("row %d is %s, want %s", i, r.name, want)
		}
	}

	var b strings.Builder
	render(&b, res, build(res))
	if !strings.Contains(b.String(), "| Call/openschool/small | 106 µs, 251 allocs | 101 µs, 242 allocs |") {
		t.Errorf("table:\n%s", b.String())
	}
}

func TestWhyAndFailures(t *testing.T) {
	why["Call/uztgs/large"] = "the readings are decoded into a slice"
	defer delete(why, "Call/uztgs/large")
	res, rows := table(t, sample+"--- FAIL: BenchmarkCall/trueapi/small/sdk\n")
	if got := rows["Call/uztgs/large"].verdict; got != "no: the readings are decoded into a slice" {
		t.Errorf("verdict %q", got)
	}
	if len(res.failures) != 1 {
		t.Errorf("failures %q", res.failures)
	}
}

func TestDuration(t *testing.T) {
	for ns, want := range map[float64]string{850: "850 ns", 12345: "12.3 µs", 45.6e6: "45.6 ms", 2.345e9: "2.35 s"} {
		if got := duration(ns); got != want {
			t.Errorf("duration(%v) = %q, want %q", ns, got, want)
		}
	}
}
