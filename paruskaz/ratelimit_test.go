package paruskaz_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/testkit"
	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/paruskaz/paruskaztest"
)

// pushes sends n pushes of one pass each through c, inside a
// testing/synctest bubble, and returns the bubble's time they took: the
// fake answers in no time, so all of it is the client's limiter waiting.
func pushes(t *testing.T, c *paruskaz.Client, n int) time.Duration {
	t.Helper()
	start := time.Now()
	for i := range n {
		in := []paruskaz.Institution{{
			BIN: testkit.IINBIN("08114040001"), OrgName: "School",
			Persons: []paruskaz.Person{{Time: time.Date(2024, 1, 13, 7, 30, i, 0, time.UTC), IIN: testkit.IINBIN(fmt.Sprintf("850101%05d", i)), FIO: "Ахметов Даулет"}},
		}}
		require.NoError(t, c.Push(t.Context(), in), "push %d", i)
	}
	return time.Since(start)
}

// With WithoutRateLimit, ten pushes to a fake take no time on the bubble's
// clock: no limiter wait. The same pushes with the default limit take
// the 9 intervals of about 500 ms the limiter spaces them by, which shows
// that the bubble's clock sees a limiter's wait.
func TestWithoutRateLimit(t *testing.T) {
	cfg := paruskaztest.DefaultConfig()
	cfg.RateLimit = -1 // the fake's own limit is lifted too
	srv := paruskaztest.NewServerWith(cfg)
	defer srv.Close()

	synctest.Test(t, func(t *testing.T) {
		c := inProcess(t, srv, paruskaz.WithoutRateLimit())
		assert.Zero(t, pushes(t, c, 10), "the limit is lifted: no limiter wait")
	})
	t.Run("default", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c := inProcess(t, srv)
			took := pushes(t, c, 10)
			assert.GreaterOrEqual(t, took, 9*time.Second/paruskaz.RequestsPerSecond)
			assert.LessOrEqual(t, took, 9*(time.Second/paruskaz.RequestsPerSecond+2*time.Millisecond))
		})
	})
	t.Run("set again", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c := inProcess(t, srv, paruskaz.WithoutRateLimit(), paruskaz.WithRateLimit(1))
			took := pushes(t, c, 3)
			assert.GreaterOrEqual(t, took, 2*time.Second, "a later WithRateLimit sets a limit again")
			assert.LessOrEqual(t, took, 2*(time.Second+2*time.Millisecond))
		})
	})
	assert.Equal(t, 23, srv.Stats().Accepted)
	assert.Zero(t, srv.Stats().RateLimited)
}

// The limit cannot be lifted for the real service.
func TestWithoutRateLimitRefusedForTheRealService(t *testing.T) {
	for _, base := range []string{"", paruskaz.DefaultBaseURL, "https://SB.PARUSKAZ.KZ:443/apikey/v1/"} {
		opts := []paruskaz.Option{paruskaz.WithoutRateLimit()}
		if base != "" {
			opts = append(opts, paruskaz.WithBaseURL(base))
		}
		_, err := paruskaz.New(paruskaztest.DefaultAPIKey, opts...)
		var verr *paruskaz.ValidationError
		require.True(t, errors.As(err, &verr), "base %q: %v", base, err)
		assert.ErrorIs(t, err, paruskaz.ErrValidation)
		assert.Contains(t, err.Error(), "rate limit")
	}
}

// A test of your own code against a fake lifts both limits: the fake's
// (Config.RateLimit -1) and the client's (WithoutRateLimit).
func ExampleWithoutRateLimit() {
	cfg := paruskaztest.DefaultConfig()
	cfg.RateLimit = -1
	srv := paruskaztest.NewServerWith(cfg)
	defer srv.Close()

	c, err := paruskaz.New(paruskaztest.DefaultAPIKey,
		paruskaz.WithBaseURL(srv.BaseURL()), paruskaz.WithoutRateLimit())
	if err != nil {
		panic(err)
	}
	start := time.Date(2024, 1, 13, 7, 30, 0, 0, time.UTC)
	for i := range 10 {
		err := c.Push(context.Background(), []paruskaz.Institution{{
			BIN: "081140400015", OrgName: "School",
			Persons: []paruskaz.Person{{Time: start.Add(time.Duration(i) * time.Minute), IIN: "850101300015", FIO: "Ахметов Даулет"}},
		}})
		if err != nil {
			panic(err)
		}
	}
	fmt.Println(srv.Stats().Accepted, "pushes accepted")
	// Output: 10 pushes accepted
}
