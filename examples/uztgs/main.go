// Command uztgs exports last week's hourly archives of every metering
// station to a CSV file, with a progress line, over several sessions.
//
// With no credentials it runs offline against the in-process fake
// (uztgstest). With UZTGS_EMAIL and UZTGS_PASSWORD set it exports from
// https://uztgs.uz/api/v1/ (or -base-url).
//
//	go run ./examples/uztgs
//	UZTGS_EMAIL=api@example.uz UZTGS_PASSWORD=… go run ./examples/uztgs -out export.csv -sessions 4
//
// The CSV has one line per reading: station_id, station, equipment_id,
// event_time (UTC, RFC 3339), channel, value.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"time"

	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

func main() {
	out := flag.String("out", "", "CSV file to write (default: uztgs-export.csv in the temporary directory)")
	sessions := flag.Int("sessions", 4, "parallel sessions, 1 to 10")
	days := flag.Int("days", 7, "how many days back from yesterday")
	baseURL := flag.String("base-url", uztgs.DefaultBaseURL, "API root for the real service")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *out, *baseURL, *sessions, *days); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out, baseURL string, sessions, days int) error {
	email, password := os.Getenv("UZTGS_EMAIL"), os.Getenv("UZTGS_PASSWORD")
	if email == "" || password == "" {
		srv := uztgstest.NewServerWith(uztgstest.StrictConfig())
		defer srv.Close()
		baseURL, email, password = srv.BaseURL(), uztgstest.DefaultEmail, uztgstest.DefaultPassword
		fmt.Fprintf(os.Stderr, "offline: no UZTGS_EMAIL/UZTGS_PASSWORD, exporting from the uztgstest fake at %s\n", baseURL)
	}
	if out == "" {
		out = filepath.Join(os.TempDir(), "uztgs-export.csv")
	}

	c, err := uztgs.New(uztgs.WithBaseURL(baseURL), uztgs.WithPassword(email, password), uztgs.WithUserAgent("steppe-example/1"))
	if err != nil {
		return err
	}
	defer func() {
		if err := c.Close(); err != nil {
			log.Printf("sign-out: %v", err)
		}
	}()

	yesterday := time.Now().UTC().AddDate(0, 0, -1)
	from := yesterday.AddDate(0, 0, 1-days)

	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := bufio.NewWriterSize(f, 1<<16)
	n, exportErr := export(ctx, c, buf, uztgs.ExportParams{Type: uztgs.Hourly, From: from, To: yesterday, Sessions: sessions})
	if err := buf.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "\nwrote %d readings of %s … %s to %s\n", n, from.Format(time.DateOnly), yesterday.Format(time.DateOnly), out)

	var ee *uztgs.ExportError
	if errors.As(exportErr, &ee) {
		for _, fail := range ee.Failed {
			fmt.Fprintf(os.Stderr, "station %d %q: stopped after %d records: %v\n", fail.Station.ID, fail.Station.Name, fail.Records, fail.Err)
		}
		for _, st := range ee.NotExported {
			fmt.Fprintf(os.Stderr, "station %d %q: not exported\n", st.ID, st.Name)
		}
	}
	return exportErr
}

// export writes the CSV and returns the number of readings written.
func export(ctx context.Context, c *uztgs.Client, w io.Writer, p uztgs.ExportParams) (int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"station_id", "station", "equipment_id", "event_time", "channel", "value"}); err != nil {
		return 0, err
	}
	progress := newProgress(os.Stderr)
	p.Progress = progress.update
	n := 0
	line := make([]string, 6)
	for rec, err := range c.Export(ctx, p) {
		if err != nil {
			return n, err
		}
		line[0] = strconv.FormatInt(rec.Station.ID, 10)
		line[1] = rec.Station.Name
		line[2] = strconv.FormatInt(rec.Station.EquipmentID, 10)
		line[3] = rec.Record.Time.Format(time.RFC3339)
		for _, r := range rec.Record.Readings {
			line[4] = r.Channel
			line[5] = r.Text
			if r.Valid {
				line[5] = strconv.FormatFloat(r.Value, 'f', -1, 64)
			}
			if err := cw.Write(line); err != nil {
				return n, err
			}
			n++
		}
	}
	cw.Flush()
	return n, cw.Error()
}

// progress prints one updating line on a terminal, and a plain line per
// finished station otherwise.
type progress struct {
	w        io.Writer
	terminal bool
	start    time.Time
	lastDone int
}

func newProgress(f *os.File) *progress {
	st, err := f.Stat()
	return &progress{w: f, terminal: err == nil && st.Mode()&os.ModeCharDevice != 0, start: time.Now()}
}

func (p *progress) update(s uztgs.ExportProgress) {
	msg := fmt.Sprintf("stations %d/%d (failed %d), %d records, %d pages, %s",
		s.Done+s.Failed, s.Stations, s.Failed, s.Records, s.Pages, time.Since(p.start).Round(time.Millisecond))
	switch {
	case p.terminal:
		fmt.Fprintf(p.w, "\r%s", msg)
	case s.Done+s.Failed != p.lastDone:
		p.lastDone = s.Done + s.Failed
		fmt.Fprintln(p.w, msg)
	}
}
