package uchet_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
)

// Wait for a company's background update, reporting progress, and see
// which items failed.
func ExampleClient_WaitUpdate() {
	cfg := uchettest.DefaultConfig()
	cfg.Durations = map[string]time.Duration{}
	for _, name := range uchettest.TaskNames {
		cfg.Durations[name] = 30 * time.Millisecond
	}
	srv := uchettest.NewServerWith(cfg) // offline; drop WithBaseURL for pk.uchet.kz
	defer srv.Close()
	srv.FailTasks(uchettest.SeedBIN, "e_083")

	c, err := uchet.New(uchettest.DefaultToken, uchet.WithBaseURL(srv.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}
	st, err := c.WaitUpdate(context.Background(), uchettest.SeedBIN,
		func(s *uchet.UpdateStatus) { _ = s.Percent() }, // draw a progress bar here
		uchet.WithPollInterval(20*time.Millisecond, 100*time.Millisecond))
	if errors.Is(err, uchet.ErrTasksFailed) {
		fmt.Println("failed:", st.FailedTasks())
	}
	fmt.Println(st.Processed, "of", st.TasksCount, "processed")
	// Output:
	// failed: [e_083]
	// 20 of 20 processed
}

// The API's errors carry a code usable with errors.Is.
func ExampleAPIError() {
	srv := uchettest.NewServer()
	defer srv.Close()
	c, _ := uchet.New(uchettest.DefaultToken, uchet.WithBaseURL(srv.BaseURL()))

	_, err := c.UpdateStatus(context.Background(), uchettest.UnknownBIN)
	var apiErr *uchet.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, errors.Is(err, uchet.ErrCompanyNotFound))
	}
	// Output:
	// not_found true
}
