// Command uchet follows a company's background data update on
// pk.uchet.kz from start to finish, with a live progress bar on a
// terminal (plain lines otherwise), and prints the result per task.
//
// With no UCHET_TOKEN it runs offline against the in-process fake
// (uchettest), whose update takes a few seconds and has one failing task.
//
//	go run ./examples/uchet
//	UCHET_TOKEN=… go run ./examples/uchet -iin-bin 141040028436
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
)

func main() {
	iinBIN := flag.String("iin-bin", uchettest.SeedBIN, "IIN or BIN of the company whose update to follow")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up after this long")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := run(ctx, os.Stdout, *iinBIN); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out *os.File, iinBIN string) error {
	token := os.Getenv("UCHET_TOKEN")
	var opts []uchet.Option
	var poll []uchet.PollOption
	if token == "" {
		cfg := uchettest.DefaultConfig()
		cfg.Durations = map[string]time.Duration{}
		for i, name := range uchettest.TaskNames {
			cfg.Durations[name] = time.Duration(150+i*137%2000) * time.Millisecond
		}
		srv := uchettest.NewServerWith(cfg)
		defer srv.Close()
		srv.FailTasks(uchettest.SeedBIN, "e_083")
		token = uchettest.DefaultToken
		opts = append(opts, uchet.WithBaseURL(srv.BaseURL()))
		poll = append(poll, uchet.WithPollInterval(200*time.Millisecond, time.Second))
		fmt.Fprintf(out, "offline: no UCHET_TOKEN, following an update on the uchettest fake at %s\n", srv.BaseURL())
	}
	c, err := uchet.New(token, append(opts, uchet.WithUserAgent("steppe-example/1"))...)
	if err != nil {
		return err
	}

	bar := newBar(out)
	st, err := c.WaitUpdate(ctx, iinBIN, bar.show, poll...)
	bar.done()
	if st != nil {
		report(out, st)
	}
	if errors.Is(err, uchet.ErrTasksFailed) {
		fmt.Fprintln(out, "finished, but:", err)
		return nil
	}
	return err
}

// report prints each task's outcome and duration.
func report(w io.Writer, st *uchet.UpdateStatus) {
	fmt.Fprintf(w, "update of %s: %d of %d processed (%d ok, %d failed), started %s", st.IINBIN, st.Processed, st.TasksCount, st.Success, st.Failed, st.Start.Format("15:04:05 02.01.2006"))
	if !st.Finish.IsZero() {
		fmt.Fprintf(w, ", finished after %s", st.Finish.Sub(st.Start))
	}
	fmt.Fprintln(w)
	for _, name := range uchet.TaskNames() {
		t, ok := st.Tasks[name]
		if !ok {
			continue
		}
		took := "running"
		if !t.Finish.IsZero() {
			took = t.Finish.Sub(t.Start).String()
		}
		fmt.Fprintf(w, "  %-22s %-10s %s\n", name, t.Status, took)
	}
}

// bar draws progress: one redrawn line on a terminal, a line per change
// otherwise.
type bar struct {
	w        *os.File
	terminal bool
	last     int
}

func newBar(f *os.File) *bar {
	st, err := f.Stat()
	return &bar{w: f, terminal: err == nil && st.Mode()&os.ModeCharDevice != 0, last: -1}
}

func (b *bar) show(st *uchet.UpdateStatus) {
	const width = 30
	filled := 0
	if st.TasksCount > 0 {
		filled = width * st.Processed / st.TasksCount
	}
	running := st.Running()
	names := make([]string, 0, 3)
	for i, r := range running {
		if i == 3 {
			names = append(names, fmt.Sprintf("+%d", len(running)-3))
			break
		}
		names = append(names, string(r))
	}
	line := fmt.Sprintf("[%s%s] %2d/%d  running: %s", strings.Repeat("#", filled), strings.Repeat("-", width-filled), st.Processed, st.TasksCount, strings.Join(names, ", "))
	switch {
	case b.terminal:
		fmt.Fprintf(b.w, "\r\033[K%s", line)
	case st.Processed != b.last:
		fmt.Fprintln(b.w, line)
	}
	b.last = st.Processed
}

func (b *bar) done() {
	if b.terminal {
		fmt.Fprintln(b.w)
	}
}
