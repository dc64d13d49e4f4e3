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
//	go test -run '^$' -bench . -benchmem -count 1 -timeout 60m ./bench/ | go run ./bench/cmd/benchtable
//
// Add -count 5 for steadier figures (the table takes the median of the
// runs of each benchmark); -bench Call runs only the per-call pairs. The
// whole suite takes a few minutes on a quiet two-core machine: run it there,
// since other processes distort the ratios.
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
// timer). Targets: SDK time within 10% of the hand-written call, at most 20
// extra allocations per call. Allocations include the fake's own, which are
// the same on both sides; the difference is the SDK's.
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
//   - trueapi-info/<conc=1|conc=4>: cises/info for 100,000 codes from a fake
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
// sessions=1 and prefetch with plain, and prints per pair the two figures,
// their ratio, the target and whether it was met. A missed target is
// explained by the why map of cmd/benchtable, keyed by the row's name, which
// is filled in from a run on a quiet machine.
//
// # Fairness
//
// paruskaz limits itself to the documented 2 requests per second per host.
// The benchmarks lift that limit for the fake's loopback address (on the
// client, by registering an unlimited shared limiter for the host before
// the client is built, and on the fake, with Config.RateLimit -1), since the
// hand-written code does not wait either; the figure is the client's own
// cost. The fakes record every request they receive: the benchmarks empty
// the recorders as they go, on both sides alike, so that the records of
// thousands of requests neither fill the heap nor count as the client's.
package bench
