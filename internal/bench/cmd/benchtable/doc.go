// Command benchtable turns the output of the steppe benchmark suite
// (package bench) into a Markdown table of ratios, each measured in the same
// run: SDK against hand-written (against the fakes, and against static
// servers that answer as the fakes did), 4-way against 1-way, prefetching
// against plain, and the heap at 100% of a listing against the heap at 10%.
//
// Usage, from the module root:
//
//	go test -run '^$' -bench . -benchmem -count 1 -timeout 60m ./internal/bench/ | go run ./internal/bench/cmd/benchtable
//	go run ./internal/bench/cmd/benchtable bench.txt [more.txt …]
//	go run ./internal/bench/cmd/benchtable
//
// It reads standard input, or the files named. Run from a terminal with
// neither, it runs the suite itself (the first command above). The
// benchmark lines it reads are echoed to standard error as they come (-q
// turns that off); the table goes to standard output.
//
// The table holds only what the input measured. Above it: the goos,
// goarch and cpu lines of go test; GOMAXPROCS (from the benchmarks' names)
// and the number of CPUs; the number of runs per benchmark (go test
// -count); and the machine's load as the bench recorded it at the start
// and the end of each run (the 1-, 5- and 15-minute load averages, and the
// share of all CPUs' time used by the bench and by other processes in
// between), or a note that the input does not hold it. Per row: the runs,
// each side's medians (time per op with the range of the runs, allocations
// and bytes per op), the ratios (with the ratio of the process's CPU time
// per op when the run reports cpu-ns/op), the target and whether it was met ("no"
// names the figures that missed it). A per-call pair's target depends on
// its size, the last element of its name: "small" at most 1.05× time and
// 20 extra allocations, "large" at most 1.00× time and no extra
// allocation; a time ratio meets its target as printed, to two decimals.
// When the input holds the pair's interleaved benchmark (…/pair, which
// runs the two calls in turns and reports sdk/hand), the time ratio judged
// is the median of its runs' ratios, printed with their range and with the
// ratio of the back-to-back sdk and hand benchmarks beside it; the
// allocations and bytes still come from sdk and hand. The range of the
// pair's …/aa runs (two hand-written clients compared the same way) follows
// in brackets: how far from 1.00 the method alone puts a ratio.
//
// It exits with status 1 when the input reports a failure, holds no
// benchmark, or mixes GOMAXPROCS values (go test -cpu 1,2), whose medians
// would mix.
package main
