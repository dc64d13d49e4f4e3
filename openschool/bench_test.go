package openschool_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/openschool/openschooltest"
)

// handTask is what a developer would write by hand for action=tasks&id_task:
// plain strings, no leniency, no validation, no retries.
type handTask struct {
	Task struct {
		IDTask   string `json:"id_task"`
		Name     string `json:"name"`
		Amount   string `json:"amount"`
		Status   string `json:"status"`
		DateAdd  string `json:"date_add"`
		Deadline string `json:"deadline"`
		Reports  []struct {
			IDReport string `json:"id_report"`
			Spend    string `json:"spend"`
			DateAdd  string `json:"date_add"`
			Images   []struct {
				URL string `json:"image_url"`
			} `json:"images"`
		} `json:"reports"`
		Vote struct {
			Count string  `json:"count"`
			Value float64 `json:"value"`
		} `json:"vote"`
	} `json:"task"`
}

// BenchmarkTask compares one openschool call (action=tasks&id_task=794)
// through the SDK with the same call written by hand with net/http and
// encoding/json, against the same loopback fake, in one run:
//
//	go test -run '^$' -bench BenchmarkTask -benchmem ./openschool/
func BenchmarkTask(b *testing.B) {
	srv := openschooltest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	b.Run("sdk", func(b *testing.B) {
		c, err := openschool.New(openschool.WithBaseURL(srv.URL))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			t, err := c.Task(ctx, "794")
			if err != nil || len(t.Reports) != 1 {
				b.Fatal(err)
			}
		}
	})

	b.Run("handwritten", func(b *testing.B) {
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
		url := srv.URL + "/api/v1?action=tasks&id_task=794"
		b.ReportAllocs()
		for b.Loop() {
			var out handTask
			if err := handGet(ctx, hc, url, &out); err != nil || len(out.Task.Reports) != 1 {
				b.Fatal(err)
			}
		}
	})
}

func handGet(ctx context.Context, hc *http.Client, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return json.Unmarshal(body, out)
}
