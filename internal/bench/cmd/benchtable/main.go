package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// suiteArgs is the go test command run when there is no input.
var suiteArgs = []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "1", "-timeout", "60m", "github.com/steppe-sdk/steppe/internal/bench"}

func main() { os.Exit(run()) }

// run is the command; it returns the exit status.
func run() int {
	quiet := flag.Bool("q", false, "do not echo the benchmark lines to standard error")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go test -run '^$' -bench . -benchmem ./internal/bench/ | benchtable [-q]\n       benchtable [-q] file…")
		flag.PrintDefaults()
	}
	if err := flag.CommandLine.Parse(os.Args[1:]); err != nil {
		return 2
	}
	echo := io.Writer(os.Stderr)
	if *quiet {
		echo = io.Discard
	}
	res, err := read(flag.Args(), echo)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		return 1
	}
	if len(res.order) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results in the input")
		return 1
	}
	if procs := res.gomaxprocs(); len(procs) > 1 {
		fmt.Fprintf(os.Stderr, "benchtable: the input mixes GOMAXPROCS %s (go test -cpu), whose medians would mix: give one at a time\n", joinInts(procs))
		return 1
	}
	render(os.Stdout, res, build(res))
	if len(res.failures) > 0 {
		fmt.Fprintln(os.Stderr, "benchtable: the run reported failures:")
		for _, f := range res.failures {
			fmt.Fprintln(os.Stderr, "  "+f)
		}
		return 1
	}
	return 0
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
	header   []string // goos, goarch, cpu lines
	procs    map[int]bool
	machine  []map[string]string // the bench's "steppe bench:" lines, in order
	failures []string
}

func newResults() *results {
	return &results{values: map[string]map[string][]float64{}, procs: map[int]bool{}}
}

// benchLine matches "BenchmarkName-2   	 100	  1234 ns/op	…"; the
// suffix is GOMAXPROCS, which go test leaves out when it is 1.
var benchLine = regexp.MustCompile(`^Benchmark(\S+?)(?:-(\d+))?\s+(\d+)\s+(.+)$`)

// machinePrefix begins the lines the bench prints about the machine at the
// start and the end of a run (see TestMain in package bench):
// "steppe bench: at=start loadavg=0.52/0.40/0.33 gomaxprocs=2 cpus=2".
const machinePrefix = "steppe bench:"

func (r *results) parse(in io.Reader, echo io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(echo, line)
		switch {
		case strings.HasPrefix(line, "cpu:"), strings.HasPrefix(line, "goos:"), strings.HasPrefix(line, "goarch:"):
			// go test pads the cpu line with spaces.
			if h := strings.TrimRight(line, " \t"); !slices.Contains(r.header, h) {
				r.header = append(r.header, h)
			}
			continue
		case strings.HasPrefix(line, "--- FAIL"), strings.HasPrefix(line, "FAIL"), strings.HasPrefix(line, "panic:"):
			r.failures = append(r.failures, line)
			continue
		case strings.HasPrefix(line, machinePrefix):
			kv := map[string]string{}
			for _, f := range strings.Fields(strings.TrimPrefix(line, machinePrefix)) {
				if k, v, ok := strings.Cut(f, "="); ok {
					kv[k] = v
				}
			}
			r.machine = append(r.machine, kv)
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		fields := strings.Fields(m[4])
		if len(fields)%2 != 0 {
			continue
		}
		procs := 1
		if m[2] != "" {
			procs, _ = strconv.Atoi(m[2])
		}
		r.procs[procs] = true
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

// gomaxprocs returns the GOMAXPROCS values of the benchmark lines, sorted.
func (r *results) gomaxprocs() []int { return slices.Sorted(maps.Keys(r.procs)) }

// runs returns how many runs of a benchmark the input holds.
func (r *results) runs(name string) int { return len(r.values[name]["ns/op"]) }

// span returns the smallest and largest of a benchmark's values in unit.
func (r *results) span(name, unit string) (lo, hi float64, ok bool) {
	vs := r.values[name][unit]
	if len(vs) == 0 {
		return 0, 0, false
	}
	return slices.Min(vs), slices.Max(vs), true
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

// interleaved is the last element of the name of a per-call benchmark that
// runs the SDK's and the hand-written call in turns and reports their
// ratio as sdk/hand (see pairLoop in package bench).
const interleaved = "pair"

// nullPair is the interleaved comparison of two hand-written clients, whose
// ratio shows the method's noise; it is printed with its pair's row.
const nullPair = "aa"

// Targets of the issue.
const (
	maxHeapGrowth = 1.10 // heap at 100% within 10% of the heap at 10%
	minSpeedup    = 3.0  // 4-way at least 3× faster than 1-way
)

// A callTarget is the target of a per-call pair: the SDK's time at most
// maxTime times the hand-written call's, and at most maxExtra allocations
// more per call.
type callTarget struct {
	maxTime  float64
	maxExtra int
}

// callTargets are the per-call targets by the size of the answer, the last
// element of the pair's name (Call/<client>/<size>): one item, where the
// extra allocations are the transport's own share, and 1,000 items, where
// the SDK must be no slower and allocate no more than the hand-written
// call.
var callTargets = map[string]callTarget{
	"small": {maxTime: 1.05, maxExtra: 20},
	"large": {maxTime: 1.00, maxExtra: 0},
}

// row is one line of the table.
type row struct {
	name, runs               string
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
		if leaf == interleaved || leaf == nullPair {
			// Read with its sdk and hand (pairRow), or alone.
			used[name] = true
			if _, ok := r.values[dir+"/sdk"]; !ok {
				rows = append(rows, singleRow(r, name))
			}
			continue
		}
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
		if k == perCall && rank(name) > 1 { // outside Call and CallStatic
			k = throughput
		}
		rows = append(rows, pairRow(r, dir, subj, base, *p, k))
	}
	slices.SortStableFunc(rows, func(a, b row) int { return cmp.Compare(rank(a.name), rank(b.name)) })
	return rows
}

// groups is the order of the table's sections; the first two hold the
// per-call pairs.
var groups = []string{"Call/", "CallStatic/", "Stream/", "Bulk/"}

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
	out := row{name: dir, runs: runs(r, subj, base)}
	switch k {
	case perCall, throughput:
		out.subject, out.baseline = figures(r, subj), figures(r, base)
		ratio := st / bt
		out.ratio = fmt.Sprintf("%.2f× time", ratio)
		if pr, ok := r.get(dir+"/"+interleaved, "sdk/hand"); ok {
			// The interleaved ratio is the one that counts: both sides
			// ran through the same seconds.
			lo, hi, _ := r.span(dir+"/"+interleaved, "sdk/hand")
			out.ratio = fmt.Sprintf("%.2f× time interleaved (%.2f – %.2f in %d runs; back to back %.2f×)",
				pr, lo, hi, r.runs(dir+"/"+interleaved), ratio)
			ratio = pr
		}
		if lo, hi, ok := r.span(dir+"/"+nullPair, "sdk/hand"); ok {
			out.ratio += fmt.Sprintf(" [hand against hand %.2f – %.2f]", lo, hi)
		}
		sa, okS := r.get(subj, "allocs/op")
		ba, okB := r.get(base, "allocs/op")
		allocs := okS && okB
		if allocs {
			out.ratio += fmt.Sprintf(", %+.0f allocs", sa-ba)
		}
		sb, okS := r.get(subj, "B/op")
		bb, okB := r.get(base, "B/op")
		if okS && okB && bb > 0 {
			out.ratio += fmt.Sprintf(", %.2f× B/op", sb/bb)
		}
		sc, okS := r.get(subj, "cpu-ns/op")
		bc, okB := r.get(base, "cpu-ns/op")
		if okS && okB && bc > 0 {
			out.ratio += fmt.Sprintf(", %.2f× CPU", sc/bc)
		}
		_, size := split(dir)
		target, ok := callTargets[size]
		if k == throughput || !ok {
			out.target = "none in the issue"
			out.verdict = "—"
			return out
		}
		out.target = fmt.Sprintf("≤ %.2f× time, ≤ %+d allocs", target.maxTime, target.maxExtra)
		if !allocs {
			out.target += " (run with -benchmem)"
		}
		var missed []string
		// The ratio as printed, to two decimals, is what meets the
		// target or not: "1.00× time" never reads "no" against "≤ 1.00×".
		if math.Round(ratio*100)/100 > target.maxTime {
			missed = append(missed, "time")
		}
		if allocs && sa-ba > float64(target.maxExtra) {
			missed = append(missed, "allocs")
		}
		out.verdict = verdict(missed...)
	case speedup, prefetch:
		out.subject = p.subject + ": " + figures(r, subj)
		out.baseline = p.baseline + ": " + figures(r, base)
		ratio := bt / st
		out.ratio = fmt.Sprintf("%.2f× faster", ratio)
		if k == prefetch {
			out.target = "none in the issue (ideal 2×)"
			out.verdict = "—"
			return out
		}
		out.target = fmt.Sprintf("≥ %.0f× faster", minSpeedup)
		out.verdict = verdict(missedIf(ratio < minSpeedup, "speed-up")...)
	}
	return out
}

func heapRow(r *results, name string) row {
	h10, ok10 := r.get(name, "heap10%-MB")
	h100, ok100 := r.get(name, "heap100%-MB")
	if !ok10 || !ok100 {
		return singleRow(r, name)
	}
	out := row{name: name, runs: runs(r, name), baseline: "—"}
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
	out.verdict = verdict(missedIf(ratio > maxHeapGrowth, "heap")...)
	return out
}

func singleRow(r *results, name string) row {
	return row{name: name, runs: runs(r, name), subject: figures(r, name), baseline: "not in this run", ratio: "—", target: "—", verdict: "—"}
}

// verdict is "yes", or "no" with the figures that missed their target.
func verdict(missed ...string) string {
	if len(missed) == 0 {
		return "yes"
	}
	return "no (" + strings.Join(missed, ", ") + ")"
}

func missedIf(cond bool, what string) []string {
	if cond {
		return []string{what}
	}
	return nil
}

// runs formats the number of runs of the benchmarks of a row.
func runs(r *results, names ...string) string {
	var ns []int
	for _, name := range names {
		if n := r.runs(name); !slices.Contains(ns, n) {
			ns = append(ns, n)
		}
	}
	return joinInts(ns)
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// figures formats a benchmark's medians: time per op (with the range of
// the runs when there are several), allocations and bytes per op, MB/s.
func figures(r *results, name string) string {
	t, _ := r.get(name, "ns/op")
	s := duration(t)
	if lo, hi, ok := r.span(name, "ns/op"); ok && lo != hi {
		s += " (" + duration(lo) + " – " + duration(hi) + ")"
	}
	if a, ok := r.get(name, "allocs/op"); ok {
		s += fmt.Sprintf(", %.0f allocs", a)
	}
	if v, ok := r.get(name, "B/op"); ok {
		s += ", " + bytesize(v)
	}
	if v, ok := r.get(name, "MB/s"); ok {
		s += fmt.Sprintf(", %.0f MB/s", v)
	}
	return s
}

// bytesize formats bytes per op with a binary unit that keeps 3
// significant digits.
func bytesize(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.3g GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.3g MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.3g KiB", b/(1<<10))
	default:
		return fmt.Sprintf("%.0f B", b)
	}
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

// render writes the conditions of the run and the table, in Markdown.
func render(w io.Writer, r *results, rows []row) {
	for _, h := range r.header {
		fmt.Fprintf(w, "%s  \n", h)
	}
	for _, line := range conditions(r) {
		fmt.Fprintf(w, "%s  \n", line)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| benchmark | runs | SDK | baseline | ratio | target | met? |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- |")
	for _, x := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", cell(x.name), cell(x.runs), cell(x.subject), cell(x.baseline),
			cell(x.ratio), cell(x.target), cell(x.verdict))
	}
}

// conditions describes how the figures were taken: GOMAXPROCS, the runs
// per benchmark, and the machine's load that the bench recorded at the
// start and the end of each run.
func conditions(r *results) []string {
	var out []string
	if procs := r.gomaxprocs(); len(procs) > 0 {
		line := "GOMAXPROCS: " + joinInts(procs)
		for _, m := range r.machine {
			if m["cpus"] != "" {
				line += " (" + m["cpus"] + " CPUs)"
				break
			}
		}
		out = append(out, line)
	}
	if len(r.order) > 0 {
		lo, hi := math.MaxInt, 0
		for _, name := range r.order {
			lo, hi = min(lo, r.runs(name)), max(hi, r.runs(name))
		}
		n := strconv.Itoa(lo)
		if lo != hi {
			n = fmt.Sprintf("%d to %d (see the runs column)", lo, hi)
		}
		out = append(out, "runs per benchmark: "+n+"; a figure is the median of the runs, a time's range (min – max) follows it")
	}
	out = append(out, "ratio: SDK / baseline for time, B/op and CPU (the process's CPU time per op), SDK − baseline for allocs; \"n× faster\": baseline time / SDK time")
	var starts, ends int
	for _, m := range r.machine {
		label := "at the " + m["at"]
		switch m["at"] {
		case "start":
			starts++
		case "end":
			ends++
		default:
			continue
		}
		line := "load average (1, 5, 15 min) " + label + ": " + strings.ReplaceAll(cmp.Or(m["loadavg"], "unknown"), "/", " ")
		if m["at"] == "end" {
			line += "; CPU time since the start: this process " + cmp.Or(m["cpu-self"], "unknown") +
				", other processes " + cmp.Or(m["cpu-others"], "unknown") + " (of all CPUs)"
		}
		out = append(out, line)
	}
	switch {
	case starts == 0 && ends == 0:
		out = append(out, "machine load: not in the input (the bench prints it at the start and the end of a run)")
	case starts != ends:
		out = append(out, fmt.Sprintf("machine load: %d start and %d end lines (a run that stopped early?)", starts, ends))
	}
	return out
}

// cell escapes the pipes of a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
