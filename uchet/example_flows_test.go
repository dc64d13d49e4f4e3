package uchet_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
)

// Take one snapshot of a company's background update: how many items are
// done, which still run and which failed. (Client.WaitUpdate polls until
// the update completes.)
func ExampleClient_UpdateStatus() {
	cfg := uchettest.DefaultConfig()
	cfg.Durations = map[string]time.Duration{}
	for _, name := range uchettest.TaskNames {
		cfg.Durations[name] = 0 // finished at the start of the update
	}
	cfg.Durations["e_034"] = time.Hour // still running
	cfg.Durations["samruk"] = time.Hour
	srv := uchettest.NewServerWith(cfg) // offline; drop WithBaseURL for pk.uchet.kz
	defer srv.Close()
	srv.FailTasks(uchettest.SeedBIN, "stat_gov")

	c, err := uchet.New(uchettest.DefaultToken, uchet.WithBaseURL(srv.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}
	st, err := c.UpdateStatus(context.Background(), uchettest.SeedBIN)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d of %d processed (%.0f%%): %d done, %d failed, %d running\n",
		st.Processed, st.TasksCount, st.Percent(), st.Success, st.Failed, st.Processing)
	fmt.Println("complete:", st.Complete(), "finish time known:", !st.Finish.IsZero())
	fmt.Println("running:", st.Running())
	fmt.Println("failed:", st.FailedTasks())
	fmt.Println(st.Tasks[uchet.TaskSamruk].Status, st.Tasks[uchet.TaskStatGov].Status, st.Tasks[uchet.TaskBankrupt].Status)
	// Output:
	// 18 of 20 processed (90%): 17 done, 1 failed, 2 running
	// complete: false finish time known: false
	// running: [e_034 samruk]
	// failed: [stat_gov]
	// processing failed done
}
