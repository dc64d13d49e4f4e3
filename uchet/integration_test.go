package uchet_test

import (
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
)

// inProcess returns a client that reaches srv without a socket, so that
// the fake's update advances with the synctest bubble's clock.
func inProcess(t *testing.T, srv *uchettest.Server, token string) *uchet.Client {
	t.Helper()
	hc := &http.Client{Transport: &fakekit.HandlerTransport{Handler: srv.Handler()}}
	c, err := uchet.New(token, uchet.WithHTTPClient(hc), uchet.WithBaseURL(srv.BaseURL()), uchet.WithRetryWait(time.Second, 5*time.Second))
	require.NoError(t, err)
	return c
}

func TestWaitUpdateOnTheFake(t *testing.T) {
	srv := uchettest.NewServer() // outside the bubble: its listener waits on the network
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, uchettest.DefaultToken)
		start := time.Now()
		var snapshots []*uchet.UpdateStatus
		st, err := c.WaitUpdate(t.Context(), uchettest.SeedBIN, func(s *uchet.UpdateStatus) { snapshots = append(snapshots, s) })
		require.NoError(t, err)
		assert.True(t, st.Complete())
		assert.Equal(t, 20, st.TasksCount)
		assert.Equal(t, 20, st.Success)
		assert.Len(t, st.Tasks, 20)
		assert.False(t, st.Finish.IsZero())
		assert.Empty(t, st.Running())
		require.Greater(t, len(snapshots), 3, "progress was reported along the way")
		assert.Equal(t, 0, snapshots[0].Processed, "the update had just started")
		for i := 1; i < len(snapshots); i++ {
			assert.GreaterOrEqual(t, snapshots[i].Processed, snapshots[i-1].Processed, "progress never goes back")
		}
		assert.Less(t, time.Since(start), 2*time.Minute, "in bubble time")
	})
}

func TestWaitUpdateWithFailedTasks(t *testing.T) {
	srv := uchettest.NewServer()
	defer srv.Close()
	srv.FailTasks(uchettest.SeedBIN, "samruk", "e_080")
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, uchettest.DefaultToken)
		st, err := c.WaitUpdate(t.Context(), uchettest.SeedBIN, nil)
		require.ErrorIs(t, err, uchet.ErrTasksFailed)
		require.NotNil(t, st)
		assert.Equal(t, []uchet.TaskName{uchet.TaskE080, uchet.TaskSamruk}, st.FailedTasks())
		assert.Equal(t, 2, st.Failed)
		assert.Equal(t, 18, st.Success)
		assert.Equal(t, uchet.StatusFailed, st.Tasks[uchet.TaskSamruk].Status)
	})
}

func TestFakeErrors(t *testing.T) {
	srv := uchettest.NewServer()
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, uchettest.DefaultToken)
		_, err := c.WaitUpdate(t.Context(), uchettest.UnknownBIN, nil)
		require.ErrorIs(t, err, uchet.ErrCompanyNotFound)

		bad := inProcess(t, srv, "00000000000000000000000000000000")
		_, err = bad.UpdateStatus(t.Context(), uchettest.SeedBIN)
		require.ErrorIs(t, err, uchet.ErrToken)
		var ae *uchet.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, uchet.CodeToken, ae.Code)

		srv.Faults.Add(uchettest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: 2 * time.Second})
		st, err := c.UpdateStatus(t.Context(), uchettest.SeedBIN)
		require.NoError(t, err, "a 503 is retried after its Retry-After")
		assert.Equal(t, uchettest.SeedBIN, st.IINBIN)

		items, _, err := c.Classifier(t.Context(), "krp")
		require.NoError(t, err)
		assert.NotEmpty(t, items)
		assert.NotEmpty(t, items[0].Code)

		co, err := c.CompanyByBIN(t.Context(), uchettest.SeedBIN)
		require.NoError(t, err)
		assert.NotEmpty(t, co.NameRU)
		assert.False(t, co.Registered.IsZero())
		assert.Contains(t, co.Raw, "tax_debt")
		assert.Equal(t, 1, srv.Stats().CompanyRequests)
	})
}
