package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steppe-sdk/steppe/internal/testkit"
	"github.com/steppe-sdk/steppe/paruskaz"
)

// offline makes run use the fake and a temporary directory of its own.
func offline(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("PARUSKAZ_API_KEY", "")
	t.Setenv("TMPDIR", dir)
	return dir
}

func TestRunSample(t *testing.T) {
	dir := offline(t)
	pending := filepath.Join(dir, "pending.csv")
	var err error
	out := testkit.Capture(t, &os.Stdout, func() { err = run(t.Context(), "", pending, 60) })
	if err != nil {
		t.Fatal(err)
	}
	sample := filepath.Join(dir, "paruskaz-turnstile-log.csv")
	testkit.Contains(t, out,
		"offline: no PARUSKAZ_API_KEY, uploading to the paruskaztest fake at http://",
		"generated a sample log of 60 events: "+sample+"\n",
		"  request 1: 60 events delivered, ",
		"delivered 60 of 60 events read in 1 request(s)\n",
		"the fake now stores 60 events\n")

	// The second run reuses the sample.
	out = testkit.Capture(t, &os.Stdout, func() { err = run(t.Context(), "", pending, 60) })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "generated") {
		t.Errorf("the sample was generated again:\n%s", out)
	}
	testkit.Contains(t, out, "delivered 60 of 60 events read in 1 request(s)\n")
	if _, err := os.Stat(pending); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a pending file was written: %v", err)
	}
}

func TestRunSampleUnwritable(t *testing.T) {
	offline(t)
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	var err error
	testkit.Capture(t, &os.Stdout, func() { err = run(t.Context(), "", "", 3) })
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want a missing directory", err)
	}
}

const header = "bin,org_name,datetime,iin,fio,note\n"

// logFile writes a CSV log with rows of valid events followed by tail.
func logFile(t *testing.T, rows int, tail string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "log.csv")
	if err := writeSample(path, rows); err != nil {
		t.Fatal(err)
	}
	if tail != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.WriteString(tail)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestRunBadLog(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
		rows             int
	}{
		{"empty file", "", "EOF", -1},
		{"short line", "123,school\n", "line 5: record on line 5: wrong number of fields", 3},
		{"two columns", "bin,org_name\n051240004560,school\n", "line 2: want 6 columns, got 2", -1},
		{"bad time", "051240004560,school,yesterday,900101300000,fio,\n", `line 4: parsing time "yesterday"`, 2},
		{"bad quoting", "a,\"b,c\n", "line 3: ", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := offline(t)
			in := filepath.Join(dir, "log.csv")
			if tc.rows >= 0 {
				in = logFile(t, tc.rows, tc.body)
			} else if err := os.WriteFile(in, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			var err error
			out := testkit.Capture(t, &os.Stdout, func() { err = run(t.Context(), in, filepath.Join(dir, "pending.csv"), 0) })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if tc.rows > 0 {
				testkit.Contains(t, out, "delivered ")
			}
		})
	}
}

func TestRunPending(t *testing.T) {
	dir := offline(t)
	// An IIN with a wrong check digit stops the upload before sending.
	in := logFile(t, 5, "051240004560,school,2024-01-13T07:30:00+05:00,900101300001,fio,\n")
	pending := filepath.Join(dir, "pending.csv")
	var err error
	out := testkit.Capture(t, &os.Stdout, func() { err = run(t.Context(), in, pending, 0) })
	if !errors.Is(err, paruskaz.ErrValidation) {
		t.Fatalf("got %v, want a validation error", err)
	}
	testkit.Contains(t, out, "events not confirmed, written to "+pending+"; the log after line ")
	b, rerr := os.ReadFile(pending)
	if rerr != nil {
		t.Fatal(rerr)
	}
	if !strings.HasPrefix(string(b), header) {
		t.Errorf("pending file:\n%s", b)
	}

	// A pending file that cannot be written is reported too.
	testkit.Capture(t, &os.Stdout, func() { err = run(t.Context(), in, filepath.Join(dir, "missing", "pending.csv"), 0) })
	if !errors.Is(err, paruskaz.ErrValidation) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want both errors", err)
	}
}

func TestRunMissingLog(t *testing.T) {
	dir := offline(t)
	var err error
	testkit.Capture(t, &os.Stdout, func() { err = run(t.Context(), filepath.Join(dir, "none.csv"), "", 0) })
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v", err)
	}
}

// With PARUSKAZ_API_KEY set, run talks to the real service; a blank key
// is refused before that, and a cancelled context sends nothing.
func TestRunWithKey(t *testing.T) {
	dir := offline(t)
	in := logFile(t, 3, "")
	t.Setenv("PARUSKAZ_API_KEY", " ")
	var err error
	out := testkit.Capture(t, &os.Stdout, func() { err = run(t.Context(), in, "", 0) })
	if !errors.Is(err, paruskaz.ErrValidation) {
		t.Fatalf("blank key: got %v", err)
	}
	if strings.Contains(out, "offline") {
		t.Errorf("the fake was used:\n%s", out)
	}

	t.Setenv("PARUSKAZ_API_KEY", "not-a-real-key")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	out = testkit.Capture(t, &os.Stdout, func() { err = run(ctx, in, filepath.Join(dir, "pending.csv"), 0) })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: got %v", err)
	}
	testkit.Contains(t, out, "delivered 0 of ")
}

func TestWithCheckDigit(t *testing.T) {
	for in, want := range map[string]string{
		"05014000123": "050140001238",
		"90010130000": "900101300007",
		"10000000028": "100000000291", // no digit fits: the last one is nudged
	} {
		if got := withCheckDigit(in); got != want {
			t.Errorf("withCheckDigit(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestMainFunc(t *testing.T) {
	dir := offline(t)
	in := logFile(t, 4, "")
	testkit.Args(t, "paruskaz", "-in", in, "-pending", filepath.Join(dir, "pending.csv"))
	out := testkit.Capture(t, &os.Stdout, main)
	testkit.Contains(t, out, "delivered 4 of 4 events read in 1 request(s)\n")
}
