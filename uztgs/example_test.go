package uztgs_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// Sign in, list the stations, and read one day of a station's hourly
// archive. The client keeps the rotating token by itself.
func Example() {
	srv := uztgstest.NewServer() // offline; drop WithBaseURL for https://uztgs.uz/api/v1/
	defer srv.Close()

	ctx := context.Background()
	c, err := uztgs.New(uztgs.WithBaseURL(srv.BaseURL()), uztgs.WithPassword("api@local.net", "Str0ngPas$"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close() // signs out

	page, err := c.StationsPage(ctx, uztgs.PageParams{Page: 1, PerPage: 3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("page %d of %d, next %d\n", page.CurrentPage, page.TotalPages, page.NextPage)

	st := page.Items[0]
	day := time.Date(2021, 2, 2, 0, 0, 0, 0, time.UTC)
	n := 0
	for rec, err := range c.Archive(ctx, st.Archive(uztgs.Hourly, day, day)) {
		if err != nil {
			log.Fatal(err)
		}
		if n == 0 {
			_, hasT := rec.Readings.Get(uztgs.ChannelT)
			fmt.Println("newest record at", rec.Time.Format(time.RFC3339), "has T:", hasT)
		}
		n++
	}
	fmt.Println("records:", n)
	// Output:
	// page 1 of 19, next 2
	// newest record at 2021-02-02T18:00:00Z has T: true
	// records: 24
}

// A program that runs every hour keeps its session in a file and resumes
// it instead of signing in again (the server keeps only 10 sessions per
// user).
func ExampleNewFileStore() {
	srv := uztgstest.NewServer()
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "uztgs-example")
	defer os.RemoveAll(dir)
	store := uztgs.NewFileStore(filepath.Join(dir, "session.json"))

	run := func() {
		c, err := uztgs.New(uztgs.WithBaseURL(srv.BaseURL()),
			uztgs.WithPassword("api@local.net", "Str0ngPas$"), // used only when the stored session is gone
			uztgs.WithTokenStore(store), uztgs.WithSignOutOnClose(false))
		if err != nil {
			log.Fatal(err)
		}
		defer c.Close()
		if _, err := c.CustomersPage(context.Background(), uztgs.PageParams{}); err != nil {
			log.Fatal(err)
		}
	}
	run()
	run()
	fmt.Println("sign-ins for two runs:", srv.Stats().SignIns)
	// Output:
	// sign-ins for two runs: 1
}

// Export a week of daily archives of all stations over four sessions.
func ExampleClient_Export() {
	srv := uztgstest.NewServer()
	defer srv.Close()
	c, _ := uztgs.New(uztgs.WithBaseURL(srv.BaseURL()), uztgs.WithPassword("api@local.net", "Str0ngPas$"))
	defer c.Close()

	from := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	records := 0
	for rec, err := range c.Export(context.Background(), uztgs.ExportParams{Type: uztgs.Daily, From: from, To: from.AddDate(0, 0, 6), Sessions: 4}) {
		var exportErr *uztgs.ExportError
		if errors.As(err, &exportErr) {
			fmt.Println("not delivered:", len(exportErr.Failed), len(exportErr.NotExported))
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		_ = rec.Station.ID // write rec.Record somewhere
		records++
	}
	fmt.Println("records:", records)
	// Output:
	// records: 399
}

// Read a value by its channel code: the documentation spells some codes
// differently in its table and its sample, so lookups ignore case.
func ExampleReadings_Get() {
	rs := uztgs.Readings{{Channel: "T", Value: 25.193481, Valid: true}, {Channel: "VNakpriv", Value: 89519.01, Valid: true}}
	v, ok := rs.Get(uztgs.ChannelVnakpriv) // "Vnakpriv" in §3.4.2
	fmt.Println(v, ok)
	// Output:
	// 89519.01 true
}
