// Package renew holds the rule by which a call recovers from a refused or
// lost credential, shared by the uztgs session and the True API token:
// recovery is per credential generation, not per call.
//
// A credential (a bearer token, a devise_token_auth session) has a
// generation, a number that grows each time it is replaced. When a call
// fails because its credential was refused, the client renews the
// credential once for that generation, shared by every call that failed
// with it (single flight, done by the caller's renew function), and the
// call is tried again with the new one. If the new credential is refused
// too, the call may renew again, since that refusal came from a newer
// generation, but at most [MaxRenewals] times. A refusal from a generation
// the call has already renewed is returned as it is: the sign-in works but
// its credential does not.
package renew

import (
	"context"
	"errors"
)

// MaxRenewals is how many times one call may renew its credential and try
// again.
const MaxRenewals = 3

// Attempt is one try of a call. It reports the generation of the
// credential its last request carried, whether any request carried one,
// and its error.
type Attempt func(ctx context.Context) (gen uint64, sent bool, err error)

// Loop runs attempt until it succeeds or fails with an error that
// renewable does not accept. After a renewable failure it calls renew with
// the generation that failed and runs attempt again: at most MaxRenewals
// times, and each time only when the failure came from a generation newer
// than the one renewed last. A failure of renew is joined to the call's.
// Nothing is renewed when no request carried a credential or ctx has
// ended.
func Loop(ctx context.Context, attempt Attempt, renewable func(error) bool, renew func(ctx context.Context, gen uint64) error) error {
	var renewed uint64
	for n := 0; ; n++ {
		gen, sent, err := attempt(ctx)
		if err == nil || !sent || ctx.Err() != nil || !renewable(err) {
			return err
		}
		if n == MaxRenewals || (n > 0 && gen <= renewed) {
			return err
		}
		renewed = gen
		if rerr := renew(ctx, gen); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
}
