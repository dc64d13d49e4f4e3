package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// suiteArgs is the go test command run when there is no input.
var suiteArgs = []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "1", "-timeout", "60m", "github.com/steppe-sdk/steppe/bench"}

// why explains a missed target, keyed by the row's name (the benchmark's
// name without "Benchmark", the -GOMAXPROCS suffix and the variant, e.g.
// "Call/uztgs/large" or "Bulk/trueapi-info"). Rows without an entry get
// defaultWhy.
var why = map[string]string{
	"Call/openschool/small": smallWhy,
	"Call/uztgs/small":      smallWhy + " uztgs also rotates and stores the session headers on every answer.",
	"Call/paruskaz/small":   smallWhy + " paruskaz also validates every event and waits on its 2/s limiter's bookkeeping.",
	"Call/uchet/small":      smallWhy + " uchet also checks the 200 body for a detail error and the nine documented members (a second parse).",
	"Call/trueapi/small":    smallWhy + " Profile (trueapi): decoding is about 40% of the SDK's client CPU, the transport under 15%.",
	"Call/openschool/large": "1,000 payments become exact decimals and Kyiv-zoned times through per-field lenient decoders (about 10 allocations a row more than strings). Fix: decode decimals and times straight from the raw bytes in one pass.",
	"Call/trueapi/large":    "1,000 cisInfo records go through per-field lenient decoders and the every-layout date decoder (about 14 allocations a record more than plain strings). Fix: one hand-written pass over the array, as uztgs does for readings.",
	"Bulk/trueapi-info":     "CPU-bound on this 2-core machine: the client and the fake share the process and both encode and decode 100,000 records (9.2 M allocations); 4 requests in flight hide the 20 ms latencies but not the CPU time. Fix: cheaper decoding (above); with the fake in another process or more cores the ratio rises toward 4×.",
}

// smallWhy is the common cause of the small calls' gap (about 40 µs).
const smallWhy = "About 40 µs a call: the SDK decodes into typed, checked values through lenient per-field decoders (each re-parses its value) and checks the documented shape, where the baseline reads plain strings; the allocations are those decoders'. Fix: single-pass decoding (encoding/json/v2 unmarshalers or hand scanners)."

const defaultWhy = "see the suite's notes (go doc ./bench)"

func main() {
	quiet := flag.Bool("q", false, "do not echo the benchmark lines to standard error")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go test -run '^$' -bench . -benchmem ./bench/ | benchtable [-q]\n       benchtable [-q] file…")
		flag.PrintDefaults()
	}
	flag.Parse()
	echo := io.Writer(os.Stderr)
	if *quiet {
		echo = io.Discard
	}
	res, err := read(flag.Args(), echo)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if len(res.order) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results in the input")
		os.Exit(1)
	}
	render(os.Stdout, res, build(res))
	if len(res.failures) > 0 {
		fmt.Fprintln(os.Stderr, "benchtable: the run reported failures:")
		for _, f := range res.failures {
			fmt.Fprintln(os.Stderr, "  "+f)
		}
		os.Exit(1)
	}
}

// read parses the files, standard input, or the output of the suite run
// here when standard input is a terminal.
func read(files []string, echo io.Writer) (*results, error) {
	res := newResults()
	if len(files) > 0 {
		for _, name := range files {
			f, err := os.Open(name)
			if err != nil {
				return nil, err
			}
			err = res.parse(f, echo)
			f.Close()
			if err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	if fi, err := os.Stdin.Stat(); err == nil && fi.Mode()&os.ModeCharDevice == 0 {
		return res, res.parse(os.Stdin, echo)
	}
	fmt.Fprintln(os.Stderr, "benchtable: running go "+strings.Join(suiteArgs, " "))
	cmd := exec.Command("go", suiteArgs...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	perr := res.parse(out, echo)
	if err := cmd.Wait(); err != nil {
		res.failures = append(res.failures, "go test: "+err.Error())
	}
	return res, perr
}

// results are the benchmark figures of a run: per benchmark name, per unit,
// one value per line of output (several with -count).
type results struct {
	order    []string // names in order of first appearance
	values   map[string]map[string][]float64
	header   []string // goos, goarch, cpu, pkg lines
	failures []string
}

func newResults() *results { return &results{values: map[string]map[string][]float64{}} }

// benchLine matches "BenchmarkName-2   	 100	  1234 ns/op	…".
var benchLine = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+(\d+)\s+(.+)$`)

func (r *results) parse(in io.Reader, echo io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(echo, line)
		switch {
		case strings.HasPrefix(line, "cpu:"), strings.HasPrefix(line, "goos:"), strings.HasPrefix(line, "goarch:"):
			if !slices.Contains(r.header, line) {
				r.header = append(r.header, line)
			}
			continue
		case strings.HasPrefix(line, "--- FAIL"), strings.HasPrefix(line, "FAIL"), strings.HasPrefix(line, "panic:"):
			r.failures = append(r.failures, line)
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		fields := strings.Fields(m[3])
		if len(fields)%2 != 0 {
			continue
		}
		name := m[1]
		units := r.values[name]
		if units == nil {
			units = map[string][]float64{}
			r.values[name] = units
			r.order = append(r.order, name)
		}
		for i := 0; i < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			units[fields[i+1]] = append(units[fields[i+1]], v)
		}
	}
	return sc.Err()
}

// get returns the median of a benchmark's values in unit, and whether
// there were any.
func (r *results) get(name, unit string) (float64, bool) {
	vs := r.values[name][unit]
	if len(vs) == 0 {
		return 0, false
	}
	s := slices.Sorted(slices.Values(vs))
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2, true
	}
	return s[len(s)/2], true
}

// A pairing names the variant measured (the SDK's way) and its baseline,
// the last element of the two benchmarks' names.
type pairing struct {
	subject, baseline string
	kind              kind
}

type kind int

const (
	perCall    kind = iota // time ratio subject/baseline and extra allocations
	throughput             // time ratio subject/baseline, no target
	speedup                // baseline/subject, at least 3× wanted
	prefetch               // baseline/subject, no target
	heap                   // heap at 100% / heap at 10%
	single                 // a benchmark without its pair in this run
)

var pairings = []pairing{
	{"sdk", "hand", perCall}, // throughput outside BenchmarkCall
	{"conc=4", "conc=1", speedup},
	{"sessions=4", "sessions=1", speedup},
	{"prefetch", "plain", prefetch},
}

// Targets of the issue.
const (
	maxTimeRatio   = 1.10 // SDK time within 10% of hand-written
	maxExtraAllocs = 20   // extra allocations per call
	maxHeapGrowth  = 1.10 // heap at 100% within 10% of the heap at 10%
	minSpeedup     = 3.0  // 4-way at least 3× faster than 1-way
)

// row is one line of the table.
type row struct {
	name                     string
	subject, baseline, ratio string
	target, verdict          string
}

// build pairs the benchmarks and computes the ratios.
func build(r *results) []row {
	var rows []row
	used := map[string]bool{}
	for _, name := range r.order {
		if used[name] {
			continue
		}
		dir, leaf := split(name)
		if strings.HasPrefix(name, "Stream/") {
			used[name] = true
			rows = append(rows, heapRow(r, name))
			continue
		}
		var p *pairing
		for i := range pairings {
			if leaf == pairings[i].subject || leaf == pairings[i].baseline {
				p = &pairings[i]
			}
		}
		if p == nil {
			used[name] = true
			rows = append(rows, singleRow(r, name))
			continue
		}
		subj, base := dir+"/"+p.subject, dir+"/"+p.baseline
		_, hasSubj := r.values[subj]
		_, hasBase := r.values[base]
		if !hasSubj || !hasBase {
			used[name] = true
			rows = append(rows, singleRow(r, name))
			continue
		}
		used[subj], used[base] = true, true
		k := p.kind
		if k == perCall && !strings.HasPrefix(name, "Call/") {
			k = throughput
		}
		rows = append(rows, pairRow(r, dir, subj, base, *p, k))
	}
	slices.SortStableFunc(rows, func(a, b row) int { return cmp.Compare(rank(a.name), rank(b.name)) })
	return rows
}

// groups is the order of the table's sections.
var groups = []string{"Call/", "Stream/", "Bulk/"}

func rank(name string) int {
	for i, g := range groups {
		if strings.HasPrefix(name, g) {
			return i
		}
	}
	return len(groups)
}

func split(name string) (dir, leaf string) {
	i := strings.LastIndex(name, "/")
	if i < 0 {
		return "", name
	}
	return name[:i], name[i+1:]
}

func pairRow(r *results, dir, subj, base string, p pairing, k kind) row {
	st, _ := r.get(subj, "ns/op")
	bt, _ := r.get(base, "ns/op")
	out := row{name: dir}
	switch k {
	case perCall, throughput:
		out.subject, out.baseline = timeAllocs(r, subj), timeAllocs(r, base)
		ratio := st / bt
		out.ratio = fmt.Sprintf("%.2f× time", ratio)
		sa, okS := r.get(subj, "allocs/op")
		ba, okB := r.get(base, "allocs/op")
		if okS && okB {
			out.ratio += fmt.Sprintf(", %+.0f allocs", sa-ba)
		}
		if k == throughput {
			out.target = "none in the issue"
			out.verdict = "—"
			return out
		}
		out.target = fmt.Sprintf("≤ %.2f× time, ≤ %+d allocs", maxTimeRatio, maxExtraAllocs)
		met := ratio <= maxTimeRatio && (!okS || !okB || sa-ba <= maxExtraAllocs)
		if !okS || !okB {
			out.target += " (run with -benchmem)"
		}
		out.verdict = verdict(dir, met)
	case speedup, prefetch:
		out.subject = p.subject + ": " + duration(st)
		out.baseline = p.baseline + ": " + duration(bt)
		ratio := bt / st
		out.ratio = fmt.Sprintf("%.2f× faster", ratio)
		if k == prefetch {
			out.target = "none in the issue (ideal 2×)"
			out.verdict = "—"
			return out
		}
		out.target = fmt.Sprintf("≥ %.0f× faster", minSpeedup)
		out.verdict = verdict(dir, ratio >= minSpeedup)
	}
	return out
}

func heapRow(r *results, name string) row {
	h10, ok10 := r.get(name, "heap10%-MB")
	h100, ok100 := r.get(name, "heap100%-MB")
	if !ok10 || !ok100 {
		return singleRow(r, name)
	}
	out := row{name: name, baseline: "—"}
	parts := []string{fmt.Sprintf("heap %.1f MB at 10%%, %.1f MB at 100%%", h10, h100)}
	if v, ok := r.get(name, "peak-MB"); ok {
		parts = append(parts, fmt.Sprintf("peak %.1f MB", v))
	}
	if v, ok := r.get(name, "heap0-MB"); ok {
		parts = append(parts, fmt.Sprintf("%.1f MB before the first row", v))
	}
	if v, ok := r.get(name, "retained-B/row"); ok {
		parts = append(parts, fmt.Sprintf("%.2f B/row retained", v))
	}
	if v, ok := r.get(name, "alloc-B/row"); ok {
		parts = append(parts, fmt.Sprintf("%.0f B/row allocated", v))
	}
	if v, ok := r.get(name, "ns/row"); ok {
		parts = append(parts, duration(v)+"/row")
	}
	out.subject = strings.Join(parts, "; ")
	ratio := h100 / h10
	out.ratio = fmt.Sprintf("%.3f× heap (100%% / 10%%)", ratio)
	out.target = fmt.Sprintf("≤ %.2f×", maxHeapGrowth)
	out.verdict = verdict(name, ratio <= maxHeapGrowth)
	return out
}

func singleRow(r *results, name string) row {
	return row{name: name, subject: timeAllocs(r, name), baseline: "not in this run", ratio: "—", target: "—", verdict: "—"}
}

func verdict(name string, met bool) string {
	if met {
		return "yes"
	}
	return "no: " + cmp.Or(why[name], defaultWhy)
}

// timeAllocs formats a benchmark's time and allocations per op.
func timeAllocs(r *results, name string) string {
	t, _ := r.get(name, "ns/op")
	s := duration(t)
	if a, ok := r.get(name, "allocs/op"); ok {
		s += fmt.Sprintf(", %.0f allocs", a)
	}
	if v, ok := r.get(name, "MB/s"); ok {
		s += fmt.Sprintf(", %.0f MB/s", v)
	}
	return s
}

// duration formats nanoseconds with a unit that keeps 3 significant digits.
func duration(ns float64) string {
	switch a := math.Abs(ns); {
	case a >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case a >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case a >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	default:
		return fmt.Sprintf("%.3g ns", ns)
	}
}

// render writes the table in Markdown.
func render(w io.Writer, r *results, rows []row) {
	for _, h := range r.header {
		fmt.Fprintf(w, "%s  \n", h)
	}
	if len(r.header) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "| benchmark | SDK | baseline | ratio | target | met? / why |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
	for _, x := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", cell(x.name), cell(x.subject), cell(x.baseline),
			cell(x.ratio), cell(x.target), cell(x.verdict))
	}
}

// cell escapes the pipes of a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
