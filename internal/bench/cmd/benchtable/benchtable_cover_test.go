package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestBuildCases feeds small runs of go test -bench through parse, build
// and render, and checks the rows they make.
func TestBuildCases(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       string
		rows     []string // "name | runs | subject | baseline | ratio | target | verdict", in order
		failures int
		header   int
	}{
		{
			name: "per call without -benchmem",
			in: "BenchmarkCall/x/small/sdk-8   100   1000 ns/op\n" +
				"BenchmarkCall/x/small/hand-8  100   1000 ns/op\n",
			rows: []string{"Call/x/small | 1 | 1 µs | 1 µs | 1.00× time | ≤ 1.05× time, ≤ +20 allocs (run with -benchmem) | yes"},
		},
		{
			name: "per call over both targets, static",
			in: "BenchmarkCallStatic/x/small/sdk-8   100   2000 ns/op   500 B/op   100 allocs/op\n" +
				"BenchmarkCallStatic/x/small/hand-8  100   1000 ns/op   250 B/op    10 allocs/op\n",
			rows: []string{"CallStatic/x/small | 1 | 2 µs, 100 allocs, 500 B | 1 µs, 10 allocs, 250 B | 2.00× time, +90 allocs, 2.00× B/op | ≤ 1.05× time, ≤ +20 allocs | no (time, allocs)"},
		},
		{
			name: "runs and ranges",
			in: "BenchmarkCall/x/large/sdk-2   10   3000000 ns/op   2097152 B/op\n" +
				"BenchmarkCall/x/large/hand-2  10   1000000 ns/op   1048576 B/op\n" +
				"BenchmarkCall/x/large/sdk-2   10   1000000 ns/op   2097152 B/op\n" +
				"BenchmarkCall/x/large/sdk-2   10   1100000 ns/op   3221225472 B/op\n",
			rows: []string{"Call/x/large | 3, 1 | 1.1 ms (1 ms – 3 ms), 2 MiB | 1 ms, 1 MiB | 1.10× time, 2.00× B/op | ≤ 1.00× time, ≤ +0 allocs (run with -benchmem) | no (time)"},
		},
		{
			name: "too many allocations",
			in: "BenchmarkCall/x/small/sdk   100   1000 ns/op   100 allocs/op\n" +
				"BenchmarkCall/x/small/hand  100   1000 ns/op    10 allocs/op\n",
			rows: []string{"Call/x/small | 1 | 1 µs, 100 allocs | 1 µs, 10 allocs | 1.00× time, +90 allocs | ≤ 1.05× time, ≤ +20 allocs | no (allocs)"},
		},
		{
			name: "large within its targets, at the edge",
			in: "BenchmarkCall/x/large/sdk-2   10   1000000 ns/op   500 allocs/op\n" +
				"BenchmarkCall/x/large/hand-2  10   1000000 ns/op   500 allocs/op\n",
			rows: []string{"Call/x/large | 1 | 1 ms, 500 allocs | 1 ms, 500 allocs | 1.00× time, +0 allocs | ≤ 1.00× time, ≤ +0 allocs | yes"},
		},
		{
			name: "large with one allocation more",
			in: "BenchmarkCall/x/large/sdk-2   10   900000 ns/op   501 allocs/op\n" +
				"BenchmarkCall/x/large/hand-2  10   1000000 ns/op   500 allocs/op\n",
			rows: []string{"Call/x/large | 1 | 900 µs, 501 allocs | 1 ms, 500 allocs | 0.90× time, +1 allocs | ≤ 1.00× time, ≤ +0 allocs | no (allocs)"},
		},
		{
			name: "small just over the time target",
			in: "BenchmarkCallStatic/x/small/sdk-2   10   1060 ns/op   30 allocs/op\n" +
				"BenchmarkCallStatic/x/small/hand-2  10   1000 ns/op   10 allocs/op\n",
			rows: []string{"CallStatic/x/small | 1 | 1.06 µs, 30 allocs | 1 µs, 10 allocs | 1.06× time, +20 allocs | ≤ 1.05× time, ≤ +20 allocs | no (time)"},
		},
		{
			name: "the time ratio as printed meets the target",
			in: "BenchmarkCall/x/large/sdk-2   10   1004 ns/op\n" +
				"BenchmarkCall/x/large/hand-2  10   1000 ns/op\n" +
				"BenchmarkCall/x/small/sdk-2   10   1054 ns/op\n" +
				"BenchmarkCall/x/small/hand-2  10   1000 ns/op\n",
			rows: []string{
				"Call/x/large | 1 | 1 µs | 1 µs | 1.00× time | ≤ 1.00× time, ≤ +0 allocs (run with -benchmem) | yes",
				"Call/x/small | 1 | 1.05 µs | 1 µs | 1.05× time | ≤ 1.05× time, ≤ +20 allocs (run with -benchmem) | yes",
			},
		},
		{
			name: "CPU time per op",
			in: "BenchmarkCall/x/small/sdk-2   10   2000 ns/op   30 allocs/op   1100 cpu-ns/op\n" +
				"BenchmarkCall/x/small/hand-2  10   1000 ns/op   10 allocs/op   1000 cpu-ns/op\n",
			rows: []string{"Call/x/small | 1 | 2 µs, 30 allocs | 1 µs, 10 allocs | 2.00× time, +20 allocs, 1.10× CPU | ≤ 1.05× time, ≤ +20 allocs | no (time)"},
		},
		{
			name: "a per-call pair of another size has no target",
			in: "BenchmarkCall/x/medium/sdk-2   10   1000 ns/op\n" +
				"BenchmarkCall/x/medium/hand-2  10   1000 ns/op\n",
			rows: []string{"Call/x/medium | 1 | 1 µs | 1 µs | 1.00× time | none in the issue | —"},
		},
		{
			name: "pair without its partner",
			in: "BenchmarkBulk/y/conc=4-2   1   2000000 ns/op\n" +
				"BenchmarkBulk/z/sessions=1-2   1   3000000 ns/op   12.5 MB/s\n",
			rows: []string{
				"Bulk/y/conc=4 | 1 | 2 ms | not in this run | — | — | —",
				"Bulk/z/sessions=1 | 1 | 3 ms, 12 MB/s | not in this run | — | — | —",
			},
		},
		{
			name: "stream without heap figures",
			in:   "BenchmarkStream/a-4   1   5000000000 ns/op\n",
			rows: []string{"Stream/a | 1 | 5 s | not in this run | — | — | —"},
		},
		{
			name: "stream over its target",
			in:   "BenchmarkStream/b-4   1   5 ns/op   1.0 heap10%-MB   2.0 heap100%-MB\n",
			rows: []string{"Stream/b | 1 | heap 1.0 MB at 10%, 2.0 MB at 100% | — | 2.000× heap (100% / 10%) | ≤ 1.10× | no (heap)"},
		},
		{
			name: "names outside the groups and without a slash sort last",
			in: "BenchmarkPlain-4   10   500 ns/op\n" +
				"BenchmarkBulk/p/prefetch   1   100 ns/op\n" +
				"BenchmarkBulk/p/plain   1   150 ns/op\n",
			rows: []string{
				"Bulk/p | 1 | prefetch: 100 ns | plain: 150 ns | 1.50× faster | none in the issue (ideal 2×) | —",
				"Plain | 1 | 500 ns | not in this run | — | — | —",
			},
		},
		{
			name: "lines that are not results",
			in: "goos: linux\ngoos: linux\ngoarch: amd64\ncpu: Test CPU     \ncpu: Test CPU\n" +
				"BenchmarkOdd-2   10   5 ns/op   7\n" + // odd number of fields
				"BenchmarkWord-2   10   five ns/op   3 allocs/op\n" + // a value that is no number
				"--- FAIL: BenchmarkBroken\nFAIL\tgithub.com/steppe-sdk/steppe/internal/bench\t0.1s\npanic: boom\n" +
				"ok  \tgithub.com/steppe-sdk/steppe/internal/bench\t1s\n",
			rows:     []string{"Word | 0 | 0 ns, 3 allocs | not in this run | — | — | —"},
			failures: 3,
			header:   3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := newResults()
			if err := res.parse(strings.NewReader(tc.in), io.Discard); err != nil {
				t.Fatal(err)
			}
			if len(res.failures) != tc.failures || len(res.header) != tc.header {
				t.Errorf("failures %q, header %q", res.failures, res.header)
			}
			var got []string
			for _, r := range build(res) {
				got = append(got, strings.Join([]string{r.name, r.runs, r.subject, r.baseline, r.ratio, r.target, r.verdict}, " | "))
			}
			if strings.Join(got, "\n") != strings.Join(tc.rows, "\n") {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.rows, "\n"))
			}
		})
	}
}

func TestRenderEscapesPipes(t *testing.T) {
	var b strings.Builder
	render(&b, newResults(), []row{{name: "a|b", runs: "1", subject: "s", baseline: "b", ratio: "r", target: "t", verdict: "v"}})
	want := "ratio: SDK / baseline for time, B/op and CPU (the process's CPU time per op), SDK − baseline for allocs; \"n× faster\": baseline time / SDK time  \n" +
		"machine load: not in the input (the bench prints it at the start and the end of a run)  \n\n" +
		"| benchmark | runs | SDK | baseline | ratio | target | met? |\n| --- | --- | --- | --- | --- | --- | --- |\n| a\\|b | 1 | s | b | r | t | v |\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestDurationUnits(t *testing.T) {
	for _, tc := range []struct {
		ns   float64
		want string
	}{
		{0, "0 ns"},
		{999, "999 ns"},
		{1000, "1 µs"},
		{-2500, "-2.5 µs"},
		{1e6, "1 ms"},
		{59.94e9, "59.9 s"},
	} {
		if got := duration(tc.ns); got != tc.want {
			t.Errorf("duration(%v) = %q, want %q", tc.ns, got, tc.want)
		}
	}
}

// swap points the standard files at temporary files (stdin holding in),
// and returns a function giving what was written to stdout and stderr.
func swap(t *testing.T, in string) func() (stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	open := func(name, content string) *os.File {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	stdin, stdout, stderr := os.Stdin, os.Stdout, os.Stderr
	t.Cleanup(func() { os.Stdin, os.Stdout, os.Stderr = stdin, stdout, stderr })
	os.Stdin, os.Stdout, os.Stderr = open("stdin", in), open("stdout", ""), open("stderr", "")
	return func() (string, string) {
		o, _ := os.ReadFile(filepath.Join(dir, "stdout"))
		e, _ := os.ReadFile(filepath.Join(dir, "stderr"))
		return string(o), string(e)
	}
}

// runMain runs the command with the arguments and returns its exit status.
func runMain(t *testing.T, args ...string) int {
	t.Helper()
	saved, cl, usage := os.Args, flag.CommandLine, flag.Usage
	t.Cleanup(func() { os.Args, flag.CommandLine, flag.Usage = saved, cl, usage })
	os.Args = append([]string{"benchtable"}, args...)
	flag.CommandLine = flag.NewFlagSet("benchtable", flag.ContinueOnError)
	flag.CommandLine.SetOutput(io.Discard)
	return run()
}

const run1 = "cpu: Test CPU\n" +
	"BenchmarkCall/x/small/sdk-2    100   1050 ns/op   12 allocs/op\n" +
	"BenchmarkCall/x/small/hand-2   100   1000 ns/op   10 allocs/op\n"

func TestMainStdin(t *testing.T) {
	output := swap(t, run1)
	if code := runMain(t); code != 0 {
		t.Errorf("exit status %d", code)
	}
	stdout, stderr := output()
	if !strings.Contains(stdout, "cpu: Test CPU  \nGOMAXPROCS: 2  \n") ||
		!strings.Contains(stdout, "| Call/x/small | 1 | 1.05 µs, 12 allocs | 1 µs, 10 allocs | 1.05× time, +2 allocs | ") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if stderr != run1 {
		t.Errorf("the lines read were not echoed to stderr: %q", stderr)
	}
}

func TestMainFilesQuiet(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i, ns := range []string{"1000", "3000", "2000"} { // -count 3 over three files: the median
		path := filepath.Join(dir, "run"+string(rune('a'+i))+".txt")
		in := "BenchmarkCall/x/small/sdk-2 100 " + ns + " ns/op\nBenchmarkCall/x/small/hand-2 100 1000 ns/op\n"
		if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	output := swap(t, "")
	runMain(t, append([]string{"-q"}, files...)...)
	stdout, stderr := output()
	if !strings.Contains(stdout, "| Call/x/small | 3 | 2 µs (1 µs – 3 µs) | 1 µs | 2.00× time | ") ||
		!strings.Contains(stdout, "runs per benchmark: 3;") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if stderr != "" {
		t.Errorf("-q, yet stderr is %q", stderr)
	}

	var usage strings.Builder
	flag.CommandLine.SetOutput(&usage)
	flag.Usage()
	if !strings.HasPrefix(usage.String(), "usage: go test -run '^$' -bench . -benchmem ./internal/bench/ | benchtable [-q]\n") || !strings.Contains(usage.String(), "-q\t") {
		t.Errorf("usage:\n%s", usage.String())
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := read([]string{filepath.Join(dir, "missing.txt")}, io.Discard); !os.IsNotExist(err) {
		t.Errorf("missing file: got %v", err)
	}
	long := filepath.Join(dir, "long.txt")
	if err := os.WriteFile(long, []byte(strings.Repeat("x", 2<<20)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := read([]string{long}, io.Discard); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("a line over 1 MiB: got %v", err)
	}
}

// From a terminal with no files, read runs the suite itself with go
// test; suiteArgs is swapped for a quick go command here.
func TestReadRunsSuite(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a character device for standard input")
	}
	tty, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	if fi, err := tty.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Skip(os.DevNull, "is not a character device here")
	}
	saved, stdin, stderr := suiteArgs, os.Stdin, os.Stderr
	t.Cleanup(func() { suiteArgs, os.Stdin, os.Stderr = saved, stdin, stderr })
	os.Stdin = tty
	os.Stderr, _ = os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	defer os.Stderr.Close()

	for _, tc := range []struct {
		name     string
		args     []string
		path     string
		failures int
		err      bool
	}{
		{name: "ok", args: []string{"version"}, path: os.Getenv("PATH")},
		{name: "go fails", args: []string{"no-such-go-command"}, path: os.Getenv("PATH"), failures: 1},
		{name: "no go", args: []string{"version"}, path: t.TempDir(), err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PATH", tc.path)
			suiteArgs = tc.args
			res, err := read(nil, io.Discard)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v", err)
			}
			if err == nil && (len(res.failures) != tc.failures || len(res.order) != 0) {
				t.Errorf("failures %q, benchmarks %q", res.failures, res.order)
			}
		})
	}
}

// The command fails, with a message, on input it cannot make an honest
// table of.
func TestMainExitStatus(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		args     []string
		code     int
		stdout   bool // a table is printed
		stderr   string
	}{
		{name: "no benchmark", in: "PASS\n", code: 1, stderr: "no benchmark results"},
		{name: "missing file", args: []string{"/no/such/file.txt"}, code: 1, stderr: "no such file"},
		{name: "bad flag", args: []string{"-no-such-flag"}, code: 2},
		{
			name: "mixed GOMAXPROCS",
			in:   "BenchmarkCall/x/small/sdk   100   1000 ns/op\nBenchmarkCall/x/small/sdk-4   100   500 ns/op\n",
			code: 1, stderr: "mixes GOMAXPROCS 1, 4",
		},
		{
			name: "failures",
			in:   run1 + "--- FAIL: BenchmarkCall/x/large/sdk\n",
			code: 1, stdout: true, stderr: "the run reported failures:\n  --- FAIL: BenchmarkCall/x/large/sdk",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			output := swap(t, tc.in)
			code := runMain(t, append([]string{"-q"}, tc.args...)...)
			stdout, stderr := output()
			if code != tc.code || (stdout != "") != tc.stdout || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit status %d, stdout %q, stderr %q", code, stdout, stderr)
			}
		})
	}
}

// The lines the bench prints about the machine become the table's
// conditions; missing or partial ones are said to be so.
func TestConditions(t *testing.T) {
	const start = "steppe bench: at=start loadavg=0.10/0.20/0.30 gomaxprocs=2 cpus=4\n"
	const end = "steppe bench: at=end loadavg=1.00/0.50/0.40 cpu-self=49.0% cpu-others=0.5%\n"
	const bench = "BenchmarkCall/x/small/sdk-2   100   1000 ns/op\n"
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{
			name: "start and end",
			in:   start + bench + end,
			want: []string{
				"GOMAXPROCS: 2 (4 CPUs)",
				"runs per benchmark: 1; a figure is the median of the runs, a time's range (min – max) follows it",
				"ratio: SDK / baseline for time, B/op and CPU (the process's CPU time per op), SDK − baseline for allocs; \"n× faster\": baseline time / SDK time",
				"load average (1, 5, 15 min) at the start: 0.10 0.20 0.30",
				"load average (1, 5, 15 min) at the end: 1.00 0.50 0.40; CPU time since the start: this process 49.0%, other processes 0.5% (of all CPUs)",
			},
		},
		{
			name: "unknown figures, a line of another kind and a run that stopped early",
			in: "steppe bench: at=start loadavg=unknown gomaxprocs=1 cpus=1\n" + "steppe bench: at=later note=x\n" +
				"BenchmarkCall/x/small/sdk   100   1000 ns/op\n" + start + "steppe bench: at=end\n",
			want: []string{
				"GOMAXPROCS: 1 (1 CPUs)",
				"runs per benchmark: 1; a figure is the median of the runs, a time's range (min – max) follows it",
				"ratio: SDK / baseline for time, B/op and CPU (the process's CPU time per op), SDK − baseline for allocs; \"n× faster\": baseline time / SDK time",
				"load average (1, 5, 15 min) at the start: unknown",
				"load average (1, 5, 15 min) at the start: 0.10 0.20 0.30",
				"load average (1, 5, 15 min) at the end: unknown; CPU time since the start: this process unknown, other processes unknown (of all CPUs)",
				"machine load: 2 start and 1 end lines (a run that stopped early?)",
			},
		},
		{
			name: "none",
			in:   bench,
			want: []string{
				"GOMAXPROCS: 2",
				"runs per benchmark: 1; a figure is the median of the runs, a time's range (min – max) follows it",
				"ratio: SDK / baseline for time, B/op and CPU (the process's CPU time per op), SDK − baseline for allocs; \"n× faster\": baseline time / SDK time",
				"machine load: not in the input (the bench prints it at the start and the end of a run)",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := newResults()
			if err := res.parse(strings.NewReader(tc.in), io.Discard); err != nil {
				t.Fatal(err)
			}
			if got := conditions(res); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestBytesize(t *testing.T) {
	for b, want := range map[float64]string{0: "0 B", 1023: "1023 B", 1024: "1 KiB", 1536: "1.5 KiB", 5 << 20: "5 MiB", 3 << 30: "3 GiB"} {
		if got := bytesize(b); got != want {
			t.Errorf("bytesize(%v) = %q, want %q", b, got, want)
		}
	}
}
