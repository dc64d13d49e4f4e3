package main

import (
	"io"
	"strings"
	"testing"
)

const sample = `steppe bench: at=start loadavg=0.52/0.40/0.33 gomaxprocs=2 cpus=2
goos: linux
goarch: amd64
pkg: github.com/steppe-sdk/steppe/internal/bench
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
BenchmarkCallStatic/paruskaz/small/sdk-2     	    8000	    150000 ns/op	   12328 B/op	     151 allocs/op
BenchmarkCallStatic/paruskaz/small/hand-2    	    8000	    140000 ns/op	    8640 B/op	      98 allocs/op
PASS
steppe bench: at=end loadavg=1.95/1.20/0.70 cpu-self=58.1% cpu-others=3.2%
ok  	github.com/steppe-sdk/steppe/internal/bench	14.245s
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
	want := map[string][3]string{ // runs, ratio, verdict
		"Call/openschool/small":     {"2", "1.05× time, +9 allocs, 1.43× B/op", "yes"},
		"Call/uztgs/large":          {"1", "1.20× time, -18888 allocs, 0.74× B/op", "no (time)"},
		"CallStatic/paruskaz/small": {"1", "1.07× time, +53 allocs, 1.43× B/op", "no (time, allocs)"},
		"Stream/uztgs-archive-1M":   {"1", "0.963× heap (100% / 10%)", "yes"},
		"Bulk/paruskaz-upload":      {"1", "0.92× time, -1002541 allocs, 0.44× B/op", "—"},
		"Bulk/trueapi-info":         {"1", "2.64× faster", "no (speed-up)"},
		"Bulk/uztgs-export":         {"1", "3.36× faster", "yes"},
		"Bulk/uztgs-prefetch":       {"1", "1.52× faster", "—"},
		"Call/uchet/small/sdk":      {"1", "—", "—"},
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
		if got := [3]string{r.runs, r.ratio, r.verdict}; got != w {
			t.Errorf("%s: got %q; want %q", name, got, w)
		}
	}
	if s := rows["Bulk/trueapi-info"].subject; s != "conc=4: 1.59 s, 9223974 allocs, 708 MiB" {
		t.Errorf("subject %q", s)
	}

	for i, r := range build(res) {
		if want := map[int]string{0: "Call/openschool/small", 3: "CallStatic/paruskaz/small", 4: "Stream/uztgs-archive-1M", 5: "Bulk/paruskaz-upload"}[i]; want != "" && r.name != want {
			t.Errorf("row %d is %s, want %s", i, r.name, want)
		}
	}

	var b strings.Builder
	render(&b, res, build(res))
	for _, want := range []string{
		"cpu: AMD EPYC  \nGOMAXPROCS: 2 (2 CPUs)  \nruns per benchmark: 1 to 2 (see the runs column);",
		"load average (1, 5, 15 min) at the start: 0.52 0.40 0.33  \n",
		"load average (1, 5, 15 min) at the end: 1.95 1.20 0.70; CPU time since the start: this process 58.1%, other processes 3.2% (of all CPUs)  \n\n",
		"| benchmark | runs | SDK | baseline | ratio | target | met? |\n",
		"| Call/openschool/small | 2 | 106 µs (105 µs – 107 µs), 251 allocs, 24.1 KiB | 101 µs (100 µs – 102 µs), 242 allocs, 16.8 KiB | 1.05× time, +9 allocs, 1.43× B/op | ≤ 1.05× time, ≤ +20 allocs | yes |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in the table:\n%s", want, b.String())
		}
	}
}

// The table holds only what the input measured: no explanation of a
// missed target that the run did not measure.
func TestNoCannedText(t *testing.T) {
	_, rows := table(t, sample)
	for _, r := range rows {
		if v := r.verdict; v != "yes" && v != "—" && !strings.HasPrefix(v, "no (") {
			t.Errorf("%s: verdict %q", r.name, v)
		}
	}
}

func TestFailures(t *testing.T) {
	res, _ := table(t, sample+"--- FAIL: BenchmarkCall/trueapi/small/sdk\n")
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

// TestInterleaved: a per-call pair with its interleaved benchmark is judged
// by the median of the interleaved ratios, and the back-to-back ratio is
// shown beside it; an interleaved benchmark without its pair is a row of
// its own.
func TestInterleaved(t *testing.T) {
	in := `BenchmarkCall/paruskaz/small/sdk-2         	   10000	    110000 ns/op	    9000 B/op	     100 allocs/op
BenchmarkCall/paruskaz/small/hand-2        	   10000	    100000 ns/op	    8600 B/op	      98 allocs/op
BenchmarkCall/paruskaz/small/pair-2        	    5000	    204000 ns/op	    100000 hand-ns/op	    104000 sdk-ns/op	         1.040 sdk/hand	   17600 B/op	     198 allocs/op
BenchmarkCall/paruskaz/small/pair-2        	    5000	    204000 ns/op	    100000 hand-ns/op	    103000 sdk-ns/op	         1.030 sdk/hand	   17600 B/op	     198 allocs/op
BenchmarkCall/paruskaz/small/pair-2        	    5000	    204000 ns/op	    100000 hand-ns/op	    108000 sdk-ns/op	         1.080 sdk/hand	   17600 B/op	     198 allocs/op
BenchmarkCall/paruskaz/small/aa-2          	    5000	    200000 ns/op	    100000 hand-ns/op	     98000 sdk-ns/op	         0.980 sdk/hand	   17200 B/op	     196 allocs/op
BenchmarkCall/paruskaz/small/aa-2          	    5000	    200000 ns/op	    100000 hand-ns/op	    101000 sdk-ns/op	         1.010 sdk/hand	   17200 B/op	     196 allocs/op
BenchmarkCall/trueapi/small/pair-2         	    5000	    204000 ns/op	    100000 hand-ns/op	    104000 sdk-ns/op	         1.040 sdk/hand	   17600 B/op	     198 allocs/op
`
	_, rows := table(t, in)
	r := rows["Call/paruskaz/small"]
	if want := "1.04× time interleaved (1.03 – 1.08 in 3 runs; back to back 1.10×) [hand against hand 0.98 – 1.01], +2 allocs, 1.05× B/op"; r.ratio != want {
		t.Errorf("ratio %q, want %q", r.ratio, want)
	}
	if r.verdict != "yes" {
		t.Errorf("verdict %q: the interleaved 1.04× meets 1.05×", r.verdict)
	}
	if _, ok := rows["Call/trueapi/small/pair"]; !ok || len(rows) != 2 {
		t.Errorf("rows %v", rows)
	}
}
