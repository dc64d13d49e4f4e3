package openschool_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/openschool/openschooltest"
)

func ExampleClient_Schools() {
	srv := openschooltest.NewServer() // use openschool.New() alone for the real site
	defer srv.Close()
	c, err := openschool.New(openschool.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	res, err := c.Schools(context.Background(), &openschool.SchoolsParams{SchoolID: "61"})
	if err != nil {
		panic(err)
	}
	s := res.Schools[0]
	fmt.Println(s.Name)
	fmt.Println("received", s.Stock, "spent", s.Spend, "balance", s.Balance)
	// Output:
	// Херсонська спеціалізована школа I-III ступенів №52
	// received 254141.04 spent 180944.65 balance 73196.39
}

func ExampleClient_Task() {
	srv := openschooltest.NewServer()
	defer srv.Close()
	c, _ := openschool.New(openschool.WithBaseURL(srv.URL))
	task, err := c.Task(context.Background(), "794")
	if err != nil {
		panic(err)
	}
	fmt.Println(task.Name, task.Status, task.Amount)
	for _, r := range task.Reports {
		fmt.Println(r.Name, r.Spend, r.DateAdd.Format(time.RFC3339))
	}
	// Output:
	// Моє особисте завдання inprogress 5000
	// Звіт 992 2017-12-08T14:05:26+02:00
}

func ExampleClient_Tasks() {
	srv := openschooltest.NewServer()
	defer srv.Close()
	c, _ := openschool.New(openschool.WithBaseURL(srv.URL))
	tasks, err := c.Tasks(context.Background(), openschool.TasksParams{
		Item: "67", Status: openschool.StatusDone, PaymentType: openschool.PaymentBudget,
	})
	if err != nil {
		panic(err)
	}
	for _, t := range tasks {
		fmt.Printf("%s %s: budget money spent %s\n", t.ID, t.Name, t.Spend)
	}
	// Output:
	// 796 Придбаті квіти: budget money spent 458
	// 650 Ремонт даху: budget money spent 4999.75
}

func ExampleClient_GovernmentPayments() {
	srv := openschooltest.NewServer()
	defer srv.Close()
	c, _ := openschool.New(openschool.WithBaseURL(srv.URL))
	confirmed := true
	payments, err := c.GovernmentPayments(context.Background(), &openschool.PaymentsParams{SchoolID: "17", Confirmed: &confirmed})
	if err != nil {
		panic(err)
	}
	for _, p := range payments {
		fmt.Println(p.ID, p.Amount, p.Recipient.Name, p.Recipient.EDRPOU)
	}
	// Output:
	// 299 17185.1 ВАТ “Херсонгаз” 03355353
}

func ExampleValidationError() {
	c, _ := openschool.New()
	_, err := c.Schools(context.Background(), &openschool.SchoolsParams{
		PeriodID: "45", DateStart: time.Date(2017, 11, 1, 0, 0, 0, 0, openschool.Location),
	})
	var ve *openschool.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field)
	}
	fmt.Println(errors.Is(err, openschool.ErrValidation))
	// Output:
	// PeriodID
	// true
}

func ExampleError() {
	srv := openschooltest.NewServer()
	defer srv.Close()
	srv.Faults.Add(openschooltest.Fault{Status: 429, RetryAfter: time.Hour})
	c, _ := openschool.New(openschool.WithBaseURL(srv.URL))
	_, err := c.Labels(context.Background())
	var e *openschool.Error
	if errors.As(err, &e) && errors.Is(err, openschool.ErrRateLimited) {
		fmt.Println(e.StatusCode, e.RetryAfter, e.Attempts)
	}
	// Output:
	// 429 1h0m0s 1
}
