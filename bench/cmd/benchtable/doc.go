// Command benchtable turns the output of the steppe benchmark suite
// (package bench) into a Markdown table of ratios, each measured in the same
// run: SDK against hand-written, 4-way against 1-way, prefetching against
// plain, and the heap at 100% of a listing against the heap at 10%.
//
// Usage, from the module root:
//
//	go test -run '^$' -bench . -benchmem -count 1 -timeout 60m ./bench/ | go run ./bench/cmd/benchtable
//	go run ./bench/cmd/benchtable bench.txt [more.txt …]
//	go run ./bench/cmd/benchtable
//
// It reads standard input, or the files named. Run from a terminal with
// neither, it runs the suite itself (the first command above). The
// benchmark lines it reads are echoed to standard error as they come (-q
// turns that off); the table goes to standard output. With -count above 1
// each figure is the median of the runs. It exits with status 1 when the
// input reports a failure or holds no benchmark.
package main
