package main

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/steppe-sdk/steppe/internal/testkit"
	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// TestMain makes run work offline even where UZTGS_EMAIL is set.
func TestMain(m *testing.M) {
	os.Unsetenv("UZTGS_EMAIL")
	os.Unsetenv("UZTGS_PASSWORD")
	os.Exit(m.Run())
}

// main exports from the fake to the file -out names.
func TestMainFunc(t *testing.T) {
	out := filepath.Join(t.TempDir(), "export.csv")
	testkit.Args(t, "uztgs", "-out", out, "-sessions", "2", "-days", "2")
	got := testkit.Capture(t, &os.Stderr, main)
	testkit.Contains(t, got,
		"offline: no UZTGS_EMAIL/UZTGS_PASSWORD, exporting from the uztgstest fake at http://",
		"stations 1/57 (failed 0), ",
		"stations 57/57 (failed 0), ",
		" to "+out+"\n")
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("station_id,station,equipment_id,event_time,channel,value\n")) || bytes.Count(b, []byte("\n")) < 100 {
		t.Errorf("export.csv starts %q", b[:min(len(b), 200)])
	}
}

// Without -out the file goes to the temporary directory.
func TestRunDefaultOut(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	var err error
	got := testkit.Capture(t, &os.Stderr, func() { err = run(t.Context(), "", "", 1, 1) })
	if err != nil {
		t.Fatal(err)
	}
	testkit.Contains(t, got, " to "+filepath.Join(dir, "uztgs-export.csv")+"\n")
}

// With credentials run exports from -base-url: here a fake whose answers
// this test can spoil.
func TestRunWithCredentials(t *testing.T) {
	t.Setenv("UZTGS_EMAIL", uztgstest.DefaultEmail)
	t.Setenv("UZTGS_PASSWORD", uztgstest.DefaultPassword)
	fake := uztgstest.NewServerWith(uztgstest.StrictConfig())
	defer fake.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var data atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == uztgstest.APIPath+"/channel_data":
			switch data.Add(1) {
			case 1: // the first station fails
				http.Error(w, `{"errors":["injected"]}`, http.StatusUnprocessableEntity)
				return
			case 3: // the export ends while the third page is served
				cancel()
			}
		case r.Method == http.MethodDelete: // sign-out fails
			http.Error(w, `{"errors":["injected"]}`, http.StatusInternalServerError)
			return
		}
		fake.Config.Handler.ServeHTTP(w, r)
	}))
	defer srv.Close()

	var logs bytes.Buffer
	log.SetOutput(&logs)
	defer log.SetOutput(os.Stderr)
	out := filepath.Join(t.TempDir(), "export.csv")
	var err error
	got := testkit.Capture(t, &os.Stderr, func() { err = run(ctx, out, srv.URL+uztgstest.APIPath+"/", 1, 1) })
	var ee *uztgs.ExportError
	if !errors.As(err, &ee) || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want an *ExportError of a cancelled export", err)
	}
	if strings.Contains(got, "offline") {
		t.Errorf("the built-in fake was used:\n%s", got)
	}
	testkit.Contains(t, got, "(failed 1)", "\": stopped after 0 records: ", "\": not exported\n")
	testkit.Contains(t, logs.String(), "sign-out: ")
}

func TestRunErrors(t *testing.T) {
	t.Run("bad base URL", func(t *testing.T) {
		t.Setenv("UZTGS_EMAIL", uztgstest.DefaultEmail)
		t.Setenv("UZTGS_PASSWORD", uztgstest.DefaultPassword)
		var err error
		testkit.Capture(t, &os.Stderr, func() { err = run(t.Context(), filepath.Join(t.TempDir(), "x.csv"), "://no scheme", 1, 1) })
		if err == nil {
			t.Fatal("a malformed base URL was accepted")
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		var err error
		testkit.Capture(t, &os.Stderr, func() { err = run(t.Context(), filepath.Join(t.TempDir(), "missing", "x.csv"), "", 1, 1) })
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("disk full", func(t *testing.T) {
		if runtime.GOOS != "linux" {
			t.Skip("needs /dev/full")
		}
		var err error
		testkit.Capture(t, &os.Stderr, func() { err = run(t.Context(), "/dev/full", "", 1, 2) })
		if err == nil || !strings.Contains(err.Error(), "no space left on device") {
			t.Fatalf("got %v", err)
		}
	})
}

// On a terminal the progress line is redrawn; otherwise a line is
// written per finished station.
func TestProgress(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if p := newProgress(f); !p.terminal {
		t.Skip(os.DevNull, "is not a character device here")
	} else {
		p.update(uztgs.ExportProgress{Stations: 2, Pages: 1})
	}

	var b strings.Builder
	p := &progress{w: &b}
	p.update(uztgs.ExportProgress{Stations: 2, Records: 10, Pages: 1})
	p.update(uztgs.ExportProgress{Stations: 2, Done: 1, Records: 20, Pages: 2})
	p.update(uztgs.ExportProgress{Stations: 2, Done: 1, Records: 30, Pages: 3})
	p.update(uztgs.ExportProgress{Stations: 2, Done: 1, Failed: 1, Records: 30, Pages: 4})
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "stations 1/2 (failed 0), 20 records, 2 pages, ") ||
		!strings.HasPrefix(lines[1], "stations 2/2 (failed 1), 30 records, 4 pages, ") {
		t.Errorf("got %q", b.String())
	}
}
