package testkit_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/internal/ids"
	"github.com/steppe-sdk/steppe/internal/testkit"
)

func TestCapture(t *testing.T) {
	saved := os.Stdout
	got := testkit.Capture(t, &os.Stdout, func() { fmt.Print("to stdout") })
	if got != "to stdout" || os.Stdout != saved {
		t.Errorf("got %q; stdout restored: %v", got, os.Stdout == saved)
	}
}

func TestArgs(t *testing.T) {
	saved := os.Args
	t.Run("set", func(t *testing.T) {
		testkit.Args(t, "prog", "-n", "3")
		n := flag.Int("n", 0, "")
		flag.Parse()
		if *n != 3 || flag.CommandLine.Name() != "prog" {
			t.Errorf("n = %d, name %q", *n, flag.CommandLine.Name())
		}
	})
	if flag.Lookup("n") != nil || len(os.Args) != len(saved) {
		t.Error("the flags or arguments were not restored")
	}
}

func TestOutputCancels(t *testing.T) {
	for _, tc := range []struct {
		out  *testkit.Output
		stop int // the write before which the context ends; 0: never
	}{
		{&testkit.Output{CancelAt: "two"}, 2},
		{&testkit.Output{CancelAfter: 3}, 3},
		{&testkit.Output{}, 0},
	} {
		ctx, cancel := context.WithCancel(t.Context())
		tc.out.Cancel = cancel
		stopped := 0
		for i, line := range []string{"one\n", "two\n", "three\n"} {
			fmt.Fprint(tc.out, line)
			if stopped == 0 && ctx.Err() != nil {
				stopped = i + 1
			}
		}
		cancel()
		if stopped != tc.stop || tc.out.String() != "one\ntwo\nthree\n" {
			t.Errorf("CancelAt %q, CancelAfter %d: stopped at %d, want %d; kept %q", tc.out.CancelAt, tc.out.CancelAfter, stopped, tc.stop, tc.out.String())
		}
	}
}

func TestClock(t *testing.T) {
	start := time.Date(2024, 1, 13, 10, 0, 0, 0, time.UTC)
	c := testkit.NewClock(start)
	c.Advance(90 * time.Second)
	if got := c.Now(); !got.Equal(start.Add(90 * time.Second)) {
		t.Errorf("Now = %v", got)
	}
}

func TestEchoes(t *testing.T) {
	want := map[string]string{
		"raw":            `a/"é`,
		"query":          "a%2F%22%C3%A9",
		"path":           "a%2F%22%C3%A9",
		"json":           `a/\"é`,
		"json-plain":     `a/\"é`,
		"php":            `a\/\"é`,
		"php-ascii":      `a\/\"\u00e9`,
		"html":           "a/&#34;é",
		"html-quot":      "a/&quot;é",
		"base64":         "YS8iw6k=",
		"base64-raw":     "YS8iw6k",
		"base64-url":     "YS8iw6k=",
		"base64-url-raw": "YS8iw6k",
	}
	echoes := testkit.Echoes()
	if len(echoes) != len(want) {
		t.Errorf("%d encodings, want %d", len(echoes), len(want))
	}
	for _, e := range echoes {
		if got := e.Encode(`a/"é`); got != want[e.Name] {
			t.Errorf("%s: %q, want %q", e.Name, got, want[e.Name])
		}
	}
	if got := testkit.Echoes()[3].Encode("<"); !strings.Contains(got, `\u003c`) {
		t.Errorf("json escapes HTML: %q", got)
	}
}

func TestSeeds(t *testing.T) {
	var seen []string
	testkit.Seeds(t, []string{"a", "b"}, func(_ *testing.T, in []byte) { seen = append(seen, string(in)) })
	if strings.Join(seen, ",") != "a,b" {
		t.Errorf("checked %q", seen)
	}
}

// IINBIN gives numbers that internal/ids accepts, nudging the 11th digit
// where no check digit exists.
func TestIINBIN(t *testing.T) {
	for in, want := range map[string]string{
		"05014000123": "050140001238",
		"90010130000": "900101300007",
		"10000000028": "100000000291",
	} {
		got := testkit.IINBIN(in)
		if got != want || ids.IINBIN(got) != nil {
			t.Errorf("IINBIN(%s) = %s (%v), want %s", in, got, ids.IINBIN(got), want)
		}
	}
}

func TestSend(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Method", r.Method)
		fmt.Fprintf(w, "got %q", b)
	}))
	defer srv.Close()
	resp, body := testkit.Send(t, srv.Client(), testkit.NewRequest(t, http.MethodPost, srv.URL, "ping"))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Method") != http.MethodPost || string(body) != `got "ping"` {
		t.Errorf("%d %v %q", resp.StatusCode, resp.Header, body)
	}
	if req := testkit.NewRequest(t, http.MethodGet, srv.URL, ""); req.Body != nil {
		t.Error("an empty body was sent as a body")
	}
}
