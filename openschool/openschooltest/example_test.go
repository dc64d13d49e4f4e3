package openschooltest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/openschool/openschooltest"
)

// The fake serves the default dataset; point the client at its URL.
func ExampleNewServer() {
	srv := openschooltest.NewServer()
	defer srv.Close()
	c, err := openschool.New(openschool.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	regions, err := c.Regions(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(regions), "regions")
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.URL.Path, r.URL.Query().Get("action"))
	}
	// Output:
	// 4 regions
	// GET /api/v1 regions
}

// A dataset of your own; Update changes it while the server runs.
func ExampleNewServerWith() {
	d := openschooltest.DefaultDataset()
	d.Regions = []openschooltest.Region{{ID: "1", Name: "Київська область"}}
	srv := openschooltest.NewServerWith(d)
	defer srv.Close()
	c, _ := openschool.New(openschool.WithBaseURL(srv.URL))
	ctx := context.Background()

	regions, err := c.Regions(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(regions[0].ID, regions[0].Name)

	srv.Update(func(d *openschooltest.Dataset) {
		d.Regions = append(d.Regions, openschooltest.Region{ID: "2", Name: "Львівська область"})
	})
	regions, _ = c.Regions(ctx)
	fmt.Println(len(regions), "regions")
	// Output:
	// 1 Київська область
	// 2 regions
}

// Injected faults exercise a program's error paths: a 503 is retried, a
// 404 is returned.
func ExampleServer_faults() {
	srv := openschooltest.NewServer()
	defer srv.Close()
	c, _ := openschool.New(openschool.WithBaseURL(srv.URL), openschool.WithRetryWait(time.Millisecond, 10*time.Millisecond))
	ctx := context.Background()

	srv.Faults.Add(openschooltest.Fault{Status: 503})
	regions, err := c.Regions(ctx)
	fmt.Println(len(regions), "regions, error:", err, "requests:", len(srv.Requests()))

	srv.Faults.Add(openschooltest.Fault{Status: 404, Body: `{"error":"unknown action"}`})
	_, err = c.Regions(ctx)
	fmt.Println("not found:", errors.Is(err, openschool.ErrNotFound))
	// Output:
	// 4 regions, error: <nil> requests: 2
	// not found: true
}
