// Command openschool prints a school's finances from openschool.in.ua:
// regions, the current period, the school's money received and spent, its
// tasks, and its budget payments.
//
// With no flags it runs offline against the in-process fake
// (openschooltest). Pass -base-url http://openschool.in.ua for the real site.
//
//	go run ./examples/openschool
//	go run ./examples/openschool -base-url http://openschool.in.ua -school 61
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/openschool/openschooltest"
)

func main() {
	baseURL := flag.String("base-url", "", "API root, e.g. http://openschool.in.ua (default: the offline fake)")
	school := flag.String("school", "67", "id_school to report on")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *baseURL, *school); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer, baseURL, schoolID string) error {
	if baseURL == "" {
		srv := openschooltest.NewServer()
		defer srv.Close()
		baseURL = srv.URL
		fmt.Fprintf(w, "offline: using the openschooltest fake at %s\n", baseURL)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	c, err := openschool.New(openschool.WithBaseURL(baseURL), openschool.WithUserAgent("steppe-example/1"))
	if err != nil {
		return err
	}

	regions, err := c.Regions(ctx)
	if err != nil {
		return fmt.Errorf("regions: %w", err)
	}
	fmt.Fprintf(w, "%d regions\n", len(regions))

	periods, err := c.Periods(ctx)
	if err != nil {
		return fmt.Errorf("periods: %w", err)
	}
	for _, p := range periods {
		if p.Current {
			fmt.Fprintf(w, "current period %s: %s (%s – %s)\n", p.ID, p.Name, p.DateStart.Format(time.DateOnly), p.DateEnd.Format(time.DateOnly))
		}
	}

	schools, err := c.Schools(ctx, &openschool.SchoolsParams{SchoolID: schoolID})
	if err != nil {
		return fmt.Errorf("schools: %w", err)
	}
	for _, s := range schools.Schools {
		fmt.Fprintf(w, "school %s %q (%s): received %s, spent %s, balance %s UAH\n",
			s.ID, s.Name, s.Region, s.Stock.StringFixed(2), s.Spend.StringFixed(2), s.Balance.StringFixed(2))
	}

	tasks, err := c.Tasks(ctx, openschool.TasksParams{Item: schoolID, PaymentType: openschool.PaymentAll})
	if err != nil {
		return fmt.Errorf("tasks: %w", err)
	}
	for _, t := range tasks {
		fmt.Fprintf(w, "  task %s [%s] %q: planned %s, spent %s, %d report(s)\n",
			t.ID, t.Status, t.Name, t.Amount.StringFixed(2), t.Spend.StringFixed(2), t.ReportCount)
	}
	if len(tasks) > 0 {
		task, err := c.Task(ctx, tasks[0].ID)
		if err != nil {
			return fmt.Errorf("task %s: %w", tasks[0].ID, err)
		}
		for _, r := range task.Reports {
			fmt.Fprintf(w, "  report %s on task %s: %q spent %s on %s\n", r.ID, task.ID, r.Name, r.Spend.StringFixed(2), r.DateAdd.Format(time.DateTime))
		}
	}

	payments, err := c.GovernmentPayments(ctx, &openschool.PaymentsParams{SchoolID: schoolID})
	if err != nil {
		return fmt.Errorf("government payments: %w", err)
	}
	fmt.Fprintf(w, "%d budget payment(s) for school %s\n", len(payments), schoolID)
	for _, p := range payments {
		fmt.Fprintf(w, "  payment %s: %s UAH to %q on %s\n", p.ID, p.Amount.StringFixed(2), p.Recipient.Name, p.TransDate.Format(time.DateOnly))
	}
	return nil
}
