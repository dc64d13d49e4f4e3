package paruskaz_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/paruskaz/paruskaztest"
)

// Feed turnstile events to an Uploader one at a time as they arrive: it
// groups them by institution and sends a request whenever the batch is
// full; Flush sends the rest. When a request fails, Add (or Flush) returns
// the error, Result says what was delivered and what is pending, and the
// next Add or Flush sends the pending events again (the server ignores
// events it already has).
//
// The body limit is lowered to 500 bytes (two of these events a request),
// and both the fake's and the client's limit of 2 requests/s are lifted,
// as in a test of your own code; keep both limits for sb.paruskaz.kz.
func ExampleUploader() {
	cfg := paruskaztest.DefaultConfig()
	cfg.RateLimit = -1
	srv := paruskaztest.NewServerWith(cfg)
	defer srv.Close()
	// The third request is refused once (a 400 is not retried).
	srv.Faults.Add(paruskaztest.Fault{Method: http.MethodPost, Status: http.StatusBadRequest, Every: 3})

	c, err := paruskaz.New(paruskaztest.DefaultAPIKey, paruskaz.WithBaseURL(srv.BaseURL()),
		paruskaz.WithoutRateLimit(), paruskaz.WithMaxBodyBytes(500))
	if err != nil {
		log.Fatal(err)
	}
	u := c.NewUploader(paruskaz.WithProgress(func(p paruskaz.Progress) { _ = p.Delivered })) // draw progress here
	ctx := context.Background()

	almaty := time.FixedZone("ALMT", 5*3600)
	schools := []string{"050140001238", "081140400015"}
	for i := range 8 {
		e := paruskaz.Event{
			BIN: schools[i%2], OrgName: "Школа №" + schools[i%2][:2],
			Time: time.Date(2024, 1, 13, 8, i, 0, 0, almaty),
			IIN:  "900101300126", FIO: "Ахметов Даулет Серикович",
		}
		if err := u.Add(ctx, e); err != nil {
			r := u.Result()
			fmt.Printf("event %d: send failed; %d delivered in %d requests, %d pending\n", i, r.Delivered, r.Requests, len(r.Pending))
		}
	}
	if err := u.Flush(ctx); err != nil {
		log.Fatal(err)
	}
	r := u.Result()
	fmt.Printf("delivered %d in %d requests, %d pending\n", r.Delivered, r.Requests, len(r.Pending))
	fmt.Println(srv.Count(), "events stored")
	// Output:
	// event 6: send failed; 4 delivered in 2 requests, 3 pending
	// delivered 8 in 5 requests, 0 pending
	// 8 events stored
}
