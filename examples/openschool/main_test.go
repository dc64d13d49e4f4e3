package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/steppe-sdk/steppe/internal/testkit"
	"github.com/steppe-sdk/steppe/openschool/openschooltest"
)

func TestRunOffline(t *testing.T) {
	var out strings.Builder
	if err := run(t.Context(), &out, "", "61"); err != nil {
		t.Fatal(err)
	}
	testkit.Contains(t, out.String(),
		"offline: using the openschooltest fake at http://",
		"4 regions\n",
		"current period 45: 2017/2018 навчальний рік (2017-09-04 – 2018-08-31)\n",
		"1 budget payment(s) for school 61\n",
		`  payment 300: 1250.00 UAH to "Управління освіти ХМР" on 2017-12-15`)
}

func TestRunTaskReports(t *testing.T) {
	var out strings.Builder
	if err := run(t.Context(), &out, "", "67"); err != nil {
		t.Fatal(err)
	}
	testkit.Contains(t, out.String(), `  report 771 on task 794: "Звіт" spent 992.00 on 2017-12-08 14:05:26`)
}

// failing serves the openschooltest fake but answers the requests fail
// picks with a 404.
func failing(t *testing.T, fail func(q map[string][]string) bool) string {
	t.Helper()
	fake := openschooltest.NewServer()
	t.Cleanup(fake.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail(r.URL.Query()) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":"injected"}`))
			return
		}
		fake.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestRunErrors(t *testing.T) {
	action := func(name string) func(q map[string][]string) bool {
		return func(q map[string][]string) bool { return q["action"][0] == name && q["id_task"] == nil }
	}
	for _, tc := range []struct {
		name   string
		fail   func(q map[string][]string) bool
		prefix string
	}{
		{"regions", action("regions"), "regions: "},
		{"periods", action("periods"), "periods: "},
		{"schools", action("schools"), "schools: "},
		{"tasks", action("tasks"), "tasks: "},
		{"task", func(q map[string][]string) bool { return q["id_task"] != nil }, "task 794: "},
		{"payments", action("governmentpayments"), "government payments: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			err := run(t.Context(), &out, failing(t, tc.fail), "67")
			if err == nil || !strings.HasPrefix(err.Error(), tc.prefix) {
				t.Fatalf("got %v, want an error starting %q", err, tc.prefix)
			}
			if strings.Contains(out.String(), "offline") {
				t.Errorf("a base URL was given, yet the fake was started:\n%s", out.String())
			}
		})
	}
}

func TestRunBadBaseURL(t *testing.T) {
	if err := run(t.Context(), io.Discard, "://no scheme", "67"); err == nil {
		t.Fatal("a malformed base URL was accepted")
	}
}

func TestMainFunc(t *testing.T) {
	testkit.Args(t, "openschool", "-school", "61")
	testkit.Contains(t, testkit.Capture(t, &os.Stdout, main), "school 61 ")
}
