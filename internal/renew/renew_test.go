package renew

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errRefused = errors.New("refused")

func TestLoop(t *testing.T) {
	renewable := func(err error) bool { return errors.Is(err, errRefused) }
	for _, tc := range []struct {
		name     string
		gens     []uint64 // the generation each attempt carries; refused unless last
		okAt     int      // the attempt that succeeds, -1 for none
		attempts int
		renewals []uint64
		wantErr  bool
	}{
		{"first try", []uint64{1}, 0, 1, nil, false},
		{"one renewal", []uint64{1, 2}, 1, 2, []uint64{1}, false},
		{"newer generation each time", []uint64{1, 2, 3, 4}, 3, 4, []uint64{1, 2, 3}, false},
		{"bounded", []uint64{1, 2, 3, 4, 5, 6}, -1, 1 + MaxRenewals, []uint64{1, 2, 3}, true},
		{"same generation again", []uint64{1, 1, 1}, -1, 2, []uint64{1}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			var renewed []uint64
			err := Loop(context.Background(), func(context.Context) (uint64, bool, error) {
				gen := tc.gens[min(n, len(tc.gens)-1)]
				n++
				if n-1 == tc.okAt {
					return gen, true, nil
				}
				return gen, true, errRefused
			}, renewable, func(_ context.Context, gen uint64) error {
				renewed = append(renewed, gen)
				return nil
			})
			assert.Equal(t, tc.wantErr, err != nil, "%v", err)
			assert.Equal(t, tc.attempts, n)
			assert.Equal(t, tc.renewals, renewed)
		})
	}
}

func TestLoopStops(t *testing.T) {
	other := errors.New("other")
	calls := 0
	err := Loop(context.Background(), func(context.Context) (uint64, bool, error) { calls++; return 1, true, other },
		func(err error) bool { return errors.Is(err, errRefused) }, func(context.Context, uint64) error { t.Fatal("renewed"); return nil })
	require.ErrorIs(t, err, other)
	assert.Equal(t, 1, calls, "an error renew cannot help is returned at once")

	err = Loop(context.Background(), func(context.Context) (uint64, bool, error) { return 0, false, errRefused },
		func(error) bool { return true }, func(context.Context, uint64) error { t.Fatal("renewed"); return nil })
	require.ErrorIs(t, err, errRefused, "no request carried a credential: nothing to renew")

	signInFailed := errors.New("sign-in failed")
	err = Loop(context.Background(), func(context.Context) (uint64, bool, error) { return 1, true, errRefused },
		func(error) bool { return true }, func(context.Context, uint64) error { return signInFailed })
	require.ErrorIs(t, err, errRefused)
	require.ErrorIs(t, err, signInFailed)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = Loop(ctx, func(context.Context) (uint64, bool, error) { return 1, true, errRefused },
		func(error) bool { return true }, func(context.Context, uint64) error { t.Fatal("renewed"); return nil })
	require.ErrorIs(t, err, errRefused)
}
