package uchettest_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/steppe-sdk/steppe/uchet/uchettest"
)

// Example looks a company up and follows its background update with plain
// net/http. Every task is configured to take no time, so the output does
// not depend on the clock.
func Example() {
	durations := map[string]time.Duration{}
	for _, name := range uchettest.TaskNames {
		durations[name] = 0
	}
	srv := uchettest.NewServerWith(uchettest.Config{Durations: durations})
	defer srv.Close()

	get := func(route string, v any) int {
		resp, err := srv.Client().Get(srv.BaseURL() + route)
		if err != nil {
			fmt.Println(err)
			return 0
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			fmt.Println(err)
		}
		return resp.StatusCode
	}
	token := "?token=" + uchettest.DefaultToken

	var card struct {
		NameRU string `json:"name_ru"`
		Status string `json:"status"`
	}
	code := get("get_bin_info/"+token+"&bin="+uchettest.SeedBIN, &card)
	fmt.Println(code, card.NameRU, card.Status)

	var failure struct {
		Detail struct{ Code, Message string } `json:"detail"`
	}
	code = get("update_status/"+token+"&iin_bin="+uchettest.SeedBIN, &failure)
	fmt.Println(code, failure.Detail.Code, failure.Detail.Message)

	srv.FailTasks(uchettest.SeedBIN, "samruk")
	srv.StartUpdate(uchettest.SeedBIN)
	var st struct {
		Processed, Success, Failed, Processing int
		FinishTime                             *string `json:"finish_time"`
		Tasks                                  map[string]struct{ Status string }
	}
	code = get("update_status/"+token+"&iin_bin="+uchettest.SeedBIN, &st)
	fmt.Println(code, st.Processed, st.Success, st.Failed, st.Processing, st.FinishTime != nil, st.Tasks["samruk"].Status)

	code = get("get_bin_info/"+token+"&bin="+uchettest.UnknownBIN, &failure)
	fmt.Println(code, failure.Detail.Code)
	fmt.Println("paid requests:", srv.Stats().CompanyRequests)
	// Output:
	// 200 ТОО "Жібек Жолы Логистикс" Действующее
	// 404 not_found update not found
	// 200 20 19 1 0 true failed
	// 404 not_found
	// paid requests: 1
}
