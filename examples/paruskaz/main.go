// Command paruskaz uploads a CSV export of a turnstile log to sb.paruskaz.kz.
//
// The CSV has a header line and the columns bin, org_name, datetime
// (RFC 3339), iin, fio, note. Without -in, a sample log is generated on the
// first run (in the temporary directory) and reused afterwards.
//
// With no PARUSKAZ_API_KEY it runs offline against the in-process fake
// (paruskaztest); with it, against https://sb.paruskaz.kz/back/apikey/v1/.
//
//	go run ./examples/paruskaz
//	PARUSKAZ_API_KEY=… go run ./examples/paruskaz -in log.csv
//
// Events that could not be delivered are written to -pending, so the next
// run can send them (the server ignores events it already has).
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"time"

	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/paruskaz/paruskaztest"
)

func main() {
	in := flag.String("in", "", "CSV log to upload (default: a generated sample in the temporary directory)")
	pending := flag.String("pending", filepath.Join(os.TempDir(), "paruskaz-pending.csv"), "where to write events that were not delivered")
	sample := flag.Int("sample", 10_000, "events in a generated sample log")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *in, *pending, *sample); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, in, pendingPath string, sample int) error {
	var opts []paruskaz.Option
	key := os.Getenv("PARUSKAZ_API_KEY")
	if key == "" {
		srv := paruskaztest.NewServer()
		defer srv.Close()
		key = paruskaztest.DefaultAPIKey
		opts = append(opts, paruskaz.WithBaseURL(srv.BaseURL()))
		defer func() { fmt.Printf("the fake now stores %d events\n", srv.Count()) }()
		fmt.Printf("offline: no PARUSKAZ_API_KEY, uploading to the paruskaztest fake at %s\n", srv.BaseURL())
	}
	if in == "" {
		in = filepath.Join(os.TempDir(), "paruskaz-turnstile-log.csv")
		if _, err := os.Stat(in); errors.Is(err, os.ErrNotExist) {
			if err := writeSample(in, sample); err != nil {
				return err
			}
			fmt.Printf("generated a sample log of %d events: %s\n", sample, in)
		}
	}
	c, err := paruskaz.New(key, append(opts, paruskaz.WithUserAgent("steppe-example/1"))...)
	if err != nil {
		return err
	}

	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	events, readErr := readLog(f)
	start := time.Now()
	res, err := c.Upload(ctx, events, paruskaz.WithProgress(func(p paruskaz.Progress) {
		fmt.Printf("  request %d: %d events delivered, %d bytes, %s\n", p.Requests, p.Delivered, p.Bytes, time.Since(start).Round(time.Millisecond))
	}))
	if *readErr != nil && err == nil {
		err = *readErr
	}
	fmt.Printf("delivered %d of %d events read in %d request(s)\n", res.Delivered, res.Read, res.Requests)
	if len(res.Pending) > 0 {
		if werr := writeEvents(pendingPath, res.Pending); werr != nil {
			return errors.Join(err, werr)
		}
		fmt.Printf("%d events not confirmed, written to %s; the log after line %d was not read\n", len(res.Pending), pendingPath, res.Read+1)
	}
	return err
}

// readLog streams the CSV as events. A malformed line stops the stream and
// is reported through the returned error pointer.
func readLog(r io.Reader) (iter.Seq[paruskaz.Event], *error) {
	var failure error
	seq := func(yield func(paruskaz.Event) bool) {
		cr := csv.NewReader(bufio.NewReader(r))
		cr.ReuseRecord = true
		if _, err := cr.Read(); err != nil { // header
			failure = err
			return
		}
		for line := 2; ; line++ {
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err == nil && len(rec) != 6 {
				err = fmt.Errorf("want 6 columns, got %d", len(rec))
			}
			var at time.Time
			if err == nil {
				at, err = time.Parse(time.RFC3339, rec[2])
			}
			if err != nil {
				failure = fmt.Errorf("line %d: %w", line, err)
				return
			}
			if !yield(paruskaz.Event{BIN: rec[0], OrgName: rec[1], Time: at, IIN: rec[3], FIO: rec[4], Note: rec[5]}) {
				return
			}
		}
	}
	return seq, &failure
}

func writeEvents(path string, events []paruskaz.Event) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"bin", "org_name", "datetime", "iin", "fio", "note"})
	for _, e := range events {
		_ = w.Write([]string{e.BIN, e.OrgName, e.Time.Format(time.RFC3339), e.IIN, e.FIO, e.Note})
	}
	w.Flush()
	return errors.Join(w.Error(), f.Close())
}

// writeSample generates a plausible day of turnstile passes at three
// schools, with valid BINs and IINs.
func writeSample(path string, n int) error {
	schools := []struct{ bin, name string }{
		{withCheckDigit("05014000123"), "КГУ «Общеобразовательная школа №12»"},
		{withCheckDigit("07124000456"), "КГУ «Гимназия №3 имени Абая»"},
		{withCheckDigit("11034000789"), "ГККП «Колледж связи»"},
	}
	names := []string{"Ахметов Даулет Серикович", "Иванова Анна Петровна", "Нурланова Айгерим Бекетовна", "Ким Виктор Олегович", "Сейткали Ерлан"}
	almaty := time.FixedZone("ALMT", 5*3600)
	start := time.Date(2024, 1, 13, 7, 30, 0, 0, almaty)
	events := make([]paruskaz.Event, n)
	for i := range events {
		s := schools[i%len(schools)]
		person := i % 997
		iin := withCheckDigit(fmt.Sprintf("%02d%02d%02d3%04d", 80+person%20, 1+person%12, 1+person%28, person))
		note := "корпус " + strconv.Itoa(1+i%3)
		if i%5 == 0 {
			note = ""
		}
		events[i] = paruskaz.Event{BIN: s.bin, OrgName: s.name, Time: start.Add(time.Duration(i) * 3 * time.Second), IIN: iin, FIO: names[person%len(names)], Note: note}
	}
	return writeEvents(path, events)
}

// withCheckDigit appends the Kazakhstan IIN/BIN check digit to 11 digits
// (weights 1..11, then 3..11,1,2 when the first remainder is 10). Numbers
// for which no digit exists are nudged, which is fine for sample data.
func withCheckDigit(d string) string {
	for {
		sum := 0
		for i := range 11 {
			sum += int(d[i]-'0') * (i + 1)
		}
		c := sum % 11
		if c == 10 {
			sum = 0
			for i := range 11 {
				sum += int(d[i]-'0') * ((i+2)%11 + 1)
			}
			c = sum % 11
		}
		if c < 10 {
			return d + strconv.Itoa(c)
		}
		b := []byte(d)
		b[10] = '0' + (b[10]-'0'+1)%10
		d = string(b)
	}
}
