package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/internal/testkit"
	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
)

// TestMain makes run work offline even where UCHET_TOKEN is set.
func TestMain(m *testing.M) {
	os.Unsetenv("UCHET_TOKEN")
	os.Exit(m.Run())
}

// runPiped runs run with its output on a pipe and returns what it wrote.
// Once a line containing cancelAt has been written, it ends the context.
func runPiped(ctx context.Context, iinBIN, cancelAt string) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	var out strings.Builder
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if cancelAt != "" && strings.Contains(sc.Text(), cancelAt) {
				cancel()
			}
		}
		r.Close()
	}()
	err = run(ctx, w, iinBIN)
	w.Close()
	<-done
	return out.String(), err
}

// main follows the seed company's update on the fake, whose task e_083
// fails, and prints a line per progress step and the outcome per task.
// Shorter runs go alongside.
func TestMainFunc(t *testing.T) {
	var wg sync.WaitGroup
	// The update ends with the context: run returns the error, after
	// the status so far.
	wg.Go(func() {
		out, err := runPiped(t.Context(), uchettest.SeedBIN, "running: ")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: got %v", err)
		}
		if !strings.Contains(out, "update of "+uchettest.SeedBIN+": ") {
			t.Errorf("cancelled: no report:\n%s", out)
		}
	})
	// An unknown company: no status to report.
	wg.Go(func() {
		out, err := runPiped(t.Context(), uchettest.UnknownBIN, "")
		if !errors.Is(err, uchet.ErrCompanyNotFound) {
			t.Errorf("unknown company: got %v", err)
		}
		if strings.Contains(out, "update of") {
			t.Errorf("unknown company: a report:\n%s", out)
		}
	})

	testkit.Args(t, "uchet", "-iin-bin", uchettest.SeedBIN, "-timeout", "1m")
	got := testkit.Capture(t, &os.Stdout, main)
	wg.Wait()
	testkit.Contains(t, got,
		"offline: no UCHET_TOKEN, following an update on the uchettest fake at http://",
		"[------------------------------]  0/20  running: ",
		"[##############################] 20/20  running: \n",
		"update of "+uchettest.SeedBIN+": 20 of 20 processed (19 ok, 1 failed), started ",
		", finished after ",
		"  e_083                  failed     ",
		"finished, but: ")
}

// With UCHET_TOKEN run talks to pk.uchet.kz; a blank token is refused
// first, and a context that has already ended sends nothing.
func TestRunWithToken(t *testing.T) {
	t.Setenv("UCHET_TOKEN", " ")
	if _, err := runPiped(t.Context(), uchettest.SeedBIN, ""); !errors.Is(err, uchet.ErrValidation) {
		t.Fatalf("blank token: got %v", err)
	}
	t.Setenv("UCHET_TOKEN", "not-a-real-token")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	out, err := runPiped(ctx, uchettest.SeedBIN, "")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(out, "offline") {
		t.Errorf("the fake was used:\n%s", out)
	}
}

// On a terminal the bar redraws one line.
func TestBarTerminal(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := newBar(f)
	if !b.terminal {
		t.Skip(os.DevNull, "is not a character device here")
	}
	b.show(&uchet.UpdateStatus{})
	b.show(status(time.Time{}))
	b.done()
	if b.last != 1 {
		t.Errorf("last = %d", b.last)
	}
}

// status is an update of five tasks, one finished, four running.
func status(finish time.Time) *uchet.UpdateStatus {
	start := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	st := &uchet.UpdateStatus{IINBIN: uchettest.SeedBIN, TasksCount: 5, Processed: 1, Success: 1, Start: start, Finish: finish, Tasks: map[uchet.TaskName]uchet.Task{}}
	for i, name := range uchet.TaskNames()[:5] {
		task := uchet.Task{Status: uchet.StatusProcessing, Start: start}
		if i == 0 {
			task = uchet.Task{Status: "done", Start: start, Finish: start.Add(1500 * time.Millisecond)}
		}
		st.Tasks[name] = task
	}
	st.Tasks["x_999"] = uchet.Task{Status: uchet.StatusProcessing, Start: start}
	return st
}

func TestBarLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	b := newBar(f)
	st := status(time.Time{})
	b.show(st)
	b.show(st) // no change: no line
	b.done()
	f.Close()
	got, _ := os.ReadFile(path)
	want := "[######------------------------]  1/5  running: "
	if lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], want) || !strings.HasSuffix(lines[0], ", +2") {
		t.Errorf("got %q, want one line starting %q and ending with +2", got, want)
	}
}

func TestReport(t *testing.T) {
	var b strings.Builder
	names := uchet.TaskNames()
	report(&b, status(time.Time{}))
	got := b.String()
	for _, want := range []string{
		"update of " + uchettest.SeedBIN + ": 1 of 5 processed (1 ok, 0 failed), started 09:00:00 01.03.2024\n",
		"  " + string(names[0]) + strings.Repeat(" ", 23-len(names[0])) + "done       1.5s\n",
		"  " + string(names[1]) + strings.Repeat(" ", 23-len(names[1])) + "processing running\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "x_999") {
		t.Errorf("an unknown task was listed:\n%s", got)
	}
	b.Reset()
	report(&b, status(time.Date(2024, 3, 1, 9, 1, 0, 0, time.UTC)))
	if !strings.Contains(b.String(), ", finished after 1m0s\n") {
		t.Errorf("report:\n%s", b.String())
	}
}
