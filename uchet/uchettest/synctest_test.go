package uchettest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inProcess is an http.RoundTripper that serves every request with h in
// the calling goroutine, without a socket.
type inProcess struct{ h http.Handler }

// RoundTrip serves req into a ResponseRecorder.
func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.RequestURI = req.URL.RequestURI()
	r.RemoteAddr = "192.0.2.1:1234"
	if r.Body == nil {
		r.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// TestSynctestUpdate follows an update from its start to its end on the
// fake clock of a testing/synctest bubble, with two failing tasks.
func TestSynctestUpdate(t *testing.T) {
	srv := NewServer() // outside the bubble: its listener must not block the clock
	defer srv.Close()
	cfg := DefaultConfig()
	durations := make([]time.Duration, len(TaskNames))
	for i, name := range TaskNames {
		durations[i] = cfg.TaskDuration(name)
	}
	longest := slices.Max(durations)
	failing := map[string]bool{"samruk": true, "e_083": true}

	synctest.Test(t, func(t *testing.T) {
		client := &http.Client{Transport: inProcess{srv.Handler()}}
		get := func() status {
			t.Helper()
			resp, err := client.Get(routeURL("http://uchet.test"+APIPath, "update_status/", "token", DefaultToken, "iin_bin", SeedBIN))
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			var b []byte
			b, err = readAll(resp)
			require.NoError(t, err)
			return decode[status](t, answer{status: resp.StatusCode, body: string(b)})
		}

		t0 := time.Now()
		srv.StartUpdate(SeedBIN)
		srv.FailTasks(SeedBIN, "samruk", "e_083")

		st := get()
		// The bubble starts at midnight UTC, 1 January 2000: 06:00 in Almaty.
		assert.Equal(t, "06:00:00 01.01.2000", st.StartTime)
		assert.Equal(t, 0, st.Processed)
		assert.Equal(t, 20, st.Processing)
		assert.Nil(t, st.FinishTime)

		// Halfway: exactly the tasks whose duration has elapsed are processed.
		half := (longest / 2).Truncate(time.Second)
		time.Sleep(half)
		st = get()
		var done, failed int
		for i, name := range TaskNames {
			task := st.Tasks[name]
			if durations[i] > half {
				assert.Equal(t, "processing", task.Status, name)
				assert.Nil(t, task.FinishTime, name)
				continue
			}
			require.NotNil(t, task.FinishTime, name)
			assert.Equal(t, t0.Add(durations[i]).In(srv.cfg.Location).Format(TimeLayout), *task.FinishTime, name)
			if failing[name] {
				failed++
				assert.Equal(t, "failed", task.Status, name)
			} else {
				done++
				assert.Equal(t, "done", task.Status, name)
			}
		}
		assert.Greater(t, done+failed, 0, "some tasks finish by half time")
		assert.Less(t, done+failed, 20, "some tasks are still running")
		assert.Equal(t, done+failed, st.Processed)
		assert.Equal(t, done, st.Success)
		assert.Equal(t, failed, st.Failed)
		assert.Equal(t, 20-done-failed, st.Processing)
		assert.Nil(t, st.FinishTime)

		// One second before the end, one task at least is still running.
		time.Sleep(longest - half - time.Second)
		st = get()
		assert.Nil(t, st.FinishTime)
		assert.Positive(t, st.Processing)

		time.Sleep(time.Second)
		st = get()
		assert.Equal(t, 20, st.Processed)
		assert.Equal(t, 18, st.Success)
		assert.Equal(t, 2, st.Failed)
		assert.Equal(t, 0, st.Processing)
		require.NotNil(t, st.FinishTime)
		assert.Equal(t, t0.Add(longest).In(srv.cfg.Location).Format(TimeLayout), *st.FinishTime)
		assert.Equal(t, "failed", st.Tasks["samruk"].Status)
		assert.Equal(t, "failed", st.Tasks["e_083"].Status)
		assert.Equal(t, "done", st.Tasks["goszakup"].Status)
		assert.Equal(t, longest, time.Since(t0))

		// A restart begins again from nothing.
		srv.StartUpdate(SeedBIN)
		st = get()
		assert.Equal(t, 0, st.Processed)
		assert.Equal(t, time.Now().In(srv.cfg.Location).Format(TimeLayout), st.StartTime)
	})
	assert.Equal(t, 5, srv.Stats().StatusRequests)
}

// TestSynctestAutoStartAndLatency shows AutoStart and Latency on the
// bubble's clock.
func TestSynctestAutoStartAndLatency(t *testing.T) {
	srv := NewServerWith(Config{AutoStart: true, Latency: 3 * time.Second})
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		client := &http.Client{Transport: inProcess{srv.Handler()}}
		t0 := time.Now()
		resp, err := client.Get(routeURL("http://uchet.test"+APIPath, "update_status", "token", DefaultToken, "iin_bin", IndividualIIN))
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, 3*time.Second, time.Since(t0))
		b, err := readAll(resp)
		require.NoError(t, err)
		st := decode[status](t, answer{body: string(b)})
		assert.Equal(t, "06:00:03 01.01.2000", st.StartTime, "started when the request was answered")
		assert.Equal(t, IndividualIIN, st.IINBIN)
	})
}
