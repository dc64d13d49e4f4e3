package paruskaz_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/paruskaz/paruskaztest"
)

// Upload a turnstile log. Events are grouped by institution and split into
// requests under the size limit, sent at 2 requests per second.
func ExampleClient_Upload() {
	srv := paruskaztest.NewServer() // offline; drop WithBaseURL for sb.paruskaz.kz
	defer srv.Close()
	c, err := paruskaz.New(paruskaztest.DefaultAPIKey, paruskaz.WithBaseURL(srv.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}

	almaty := time.FixedZone("ALMT", 5*3600)
	turnstile := func(yield func(paruskaz.Event) bool) {
		for i := range 3 {
			e := paruskaz.Event{
				BIN: "050140001238", OrgName: "КГУ «Общеобразовательная школа №12»",
				Time: time.Date(2024, 1, 13, 8, i, 0, 0, almaty),
				IIN:  "900101300126", FIO: "Ахметов Даулет Серикович", Note: "корпус 2",
			}
			if !yield(e) {
				return
			}
		}
	}
	res, err := c.Upload(context.Background(), turnstile)
	if err != nil {
		// res.Delivered events went through; res.Pending must be sent again.
		fmt.Println("stopped:", err, len(res.Pending), "pending")
		return
	}
	fmt.Println("delivered", res.Delivered, "in", res.Requests, "request")
	fmt.Println(srv.Events()[0].DateTime)
	// Output:
	// delivered 3 in 1 request
	// 2024-01-13T08:00:00+05:00
}

// Push one institution's passes in a single request.
func ExampleClient_Push() {
	srv := paruskaztest.NewServer()
	defer srv.Close()
	c, _ := paruskaz.New(paruskaztest.DefaultAPIKey, paruskaz.WithBaseURL(srv.BaseURL()))

	err := c.Push(context.Background(), []paruskaz.Institution{{
		BIN: "050140001238", OrgName: "КГУ «Общеобразовательная школа №12»",
		Persons: []paruskaz.Person{{Time: time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC), IIN: "123456789012", FIO: "Иванов Иван Иванович"}},
	}})
	var ve *paruskaz.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field, "-", ve.Rule)
	}
	// Output:
	// data[0].person[0].iin - IIN fails the check digit (turn the check off with WithChecksum(false))
}
