// Package bench measures the SDK's clients side by side with the same work
// written by hand with net/http and encoding/json, against the same
// in-process loopback fakes, in one run. Every figure the table reports is a
// ratio between two benchmarks of that run, so the machine's speed cancels
// out.
//
// The package holds benchmarks only; "go test ./..." compiles them and runs
// nothing. Run the suite and print its table with one command, from the
// module root:
//
//	go test -run '^$' -bench . -benchmem -count 1 -timeout 60m ./internal/bench/ | go run ./internal/bench/cmd/benchtable
//
// Add -count 5 for steadier figures (the table takes the median of the
// runs of each benchmark and shows their range). The whole suite takes a
// few minutes on a quiet two-core machine: run it there, since other
// processes distort the ratios; the table prints the load the run saw.
// Narrower runs select benchmarks by name:
//
//	go test -run '^$' -bench 'Call' -benchmem -count 5 ./internal/bench/ | go run ./internal/bench/cmd/benchtable
//	go test -run '^$' -bench '^BenchmarkCall$' -benchmem -count 5 ./internal/bench/ | go run ./internal/bench/cmd/benchtable
//	go test -run '^$' -bench 'CallStatic' -benchmem -count 5 ./internal/bench/ | go run ./internal/bench/cmd/benchtable
//	go test -run '^$' -bench 'Call/paruskaz' -benchmem ./internal/bench/ | go run ./internal/bench/cmd/benchtable
//
// The first runs the per-call pairs in both modes (against the fakes and
// against static servers, below), the second against the fakes only, the
// third against static servers only, the fourth one client's pairs in both
// modes.
//
// # What is measured
//
// BenchmarkCall/<client>/<small|large>/<sdk|hand> is one API call through
// the SDK and the same call by hand (a plain struct of strings, one
// http.Client, no validation, no retries): openschool (a task; 1,000 budget
// payments), uztgs (a page of 10 stations; a page of 1,000 hourly archive
// records, with the devise_token_auth session headers kept by hand), paruskaz
// (a push of 1 pass; a push of 1,000 passes of 50 institutions), uchet
// (update_status, whose answer has one size) and trueapi (cises/info for 1
// and for 1,000 codes, with the bearer token of a sign-in made before the
// timer). Targets, by size: for the small calls (uchet's one size among
// them), SDK time at most 1.05× the hand-written call's and at most 20
// extra allocations per call (the transport's own share); for the large
// ones (1,000 items), SDK time at most 1.00× and no more allocations than
// the hand-written call. Allocations
// include the fake's own, which are the same on both sides; the difference
// is the SDK's. Each per-call benchmark also reports cpu-ns/op, the CPU
// time the whole process (client, server, garbage collector) used per
// call: unlike the time it does not grow while a call waits for a CPU that
// other processes hold, so its ratio says more than the time's on a busy
// machine (it is read with getrusage, on Unix only).
//
// BenchmarkCall/<client>/<small|large>/pair runs the two sides of a pair in
// turns, one call of each per iteration, the order alternating, each call
// timed on its own; it reports both sides' mean time per call (sdk-ns/op,
// hand-ns/op) and their ratio (sdk/hand). sdk and hand run one after the
// other, seconds apart, so a change in the machine's speed between them
// (another process, a virtual CPU's neighbours) moves their ratio by a few
// per cent; the interleaved ratio sees both sides through the same
// seconds, and the table judges the time target by it. For the small calls,
// …/aa is the same interleaved comparison between two hand-written clients
// of their own (a second call of the pair's setup), whose ratio would be
// 1.00 but for the noise of the method: the table prints its range beside
// the pair's.
//
// BenchmarkCallStatic/<client>/<small|large>/<sdk|hand|pair|aa> is the same pairs
// against a static server of each pair's own instead of the fake. Before
// the timer the static server forwards one call of each side to the fake
// (the SDK's first) and keeps the fake's first answer to each method and
// path (status, headers and body); then it stops forwarding and answers
// every request with those precomputed bytes, after reading the request's
// body, whatever the request's query or body. Both sides reach the same
// static server and, since they use the same methods and paths, get the
// same bytes: the fake's answer to the SDK's call. In-process fakes spend CPU on every request
// (decoding, validation, building the answer) on the same cores as the
// client, which dilutes the ratio against the fakes and makes it depend on
// the fake's cost; against the static server nearly all the time and
// allocations per call are the client's, net/http's and the loopback's, so
// the ratio shows the SDK's own cost. The static server checks nothing:
// that each side's call is right is BenchmarkCall's business (both kinds
// check the answers they decode).
//
// BenchmarkStream/<listing> ranges over 1,000,000 uztgs hourly archive
// records and over a 100,000-code True API keyset listing (cises/listV2, in
// pages of 10,000, the API's largest, because the fake sorts all its codes
// for every page). It reports the heap in use after two GCs before the
// first row, at 10% and at 100% of the rows (heap0-MB, heap10%-MB,
// heap100%-MB), the largest heap in use seen every 1,000 rows (peak-MB), the
// growth of the live heap per row from 10% to 100% (retained-B/row), and the
// bytes allocated per row, the fake's included (alloc-B/row). The heap in use
// includes the fake's own data (the True API fake holds its codes in memory),
// the same at both points; retained-B/row shows the growth alone. Target:
// the heap at 100% within 10% of the heap at 10%.
//
// BenchmarkBulk:
//
//   - paruskaz-upload/<sdk|hand>: 1,000,000 passes of 50 institutions
//     uploaded through Client.UploadSlice (validation, grouping, batching into
//     bodies of at most 50 MB, encoding) and by hand (grouping into structs,
//     json.Marshal per batch of 200,000 passes, POST), to a loopback server
//     that reads and discards each body, so that the figure is the encoding
//     and batching and not a fake's decoding. No target is set in the issue.
//   - trueapi-info/<conc=1|conc=4>: cises/info for 20,000 codes from a fake
//     that takes 20 ms per answer; conc=4 is one CisesInfo call (the client
//     keeps 4 requests of 1,000 codes in flight), conc=1 calls CisesInfo once
//     per 1,000 codes in turn. Target: conc=4 at least 3× faster.
//   - uztgs-export/<sessions=1|sessions=4>: Client.Export of the hourly
//     archives of 57 stations over 6 weeks (two pages per station) from a fake
//     that takes 20 ms per answer, with 1 and 4 sessions. Target: at least 3×
//     faster with 4.
//   - uztgs-prefetch/<plain|prefetch>: 20 pages of an archive from a fake
//     that takes 10 ms per page, the caller spending 10 ms on each page, with
//     and without WithPrefetch. No target is set in the issue; the ideal is 2×.
//
// # The table
//
// cmd/benchtable pairs sdk with hand, conc=4 with conc=1, sessions=4 with
// sessions=1 and prefetch with plain, and prints per pair the number of
// runs, both sides' medians (time, allocations and bytes per op), their
// ratios, the target and whether it was met: only what the run measured.
// Above the table it prints GOMAXPROCS, the runs per benchmark and the
// machine's load, which TestMain prints before the first benchmark and
// after the last as lines of the form
//
//	steppe bench: at=start loadavg=0.52/0.40/0.33 gomaxprocs=2 cpus=2
//	steppe bench: at=end loadavg=1.95/1.20/0.70 cpu-self=58.1% cpu-others=3.2%
//
// loadavg is /proc/loadavg's 1-, 5- and 15-minute load average. At the
// start it still holds the minute before (building the test binary
// counts); at the end it also counts the benchmarks' own threads.
// cpu-self and cpu-others, from /proc/stat and /proc/self/stat, are the
// shares of all CPUs' time between the two lines that this process and
// every other process used: cpu-others well above zero means the machine
// was not quiet and the ratios are suspect. They are counted in clock
// ticks (10 ms on most systems), so only a run of some seconds gives a
// useful share. Off Linux the figures are "unknown".
//
// # Fairness
//
// paruskaz limits itself to the documented 2 requests per second per host.
// The benchmarks lift that limit against the fakes and static servers (on
// the client with paruskaz.WithoutRateLimit, and on the fake with
// Config.RateLimit -1), since the hand-written code does not wait either;
// the figure is the client's own cost. The fakes record every request they
// receive: the benchmarks empty the recorders as they go, on both sides
// alike, so that the records of thousands of requests neither fill the
// heap nor count as the client's. The benchmarks use the clients' and the
// fakes' public API only.
package bench
