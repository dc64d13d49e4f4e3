package trueapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// checkCodes refuses an empty list or a blank code before any request,
// naming the field.
func checkCodes(field string, codes []string) error {
	if len(codes) == 0 {
		return transport.Invalid(field, "at least one code is required")
	}
	for i, code := range codes {
		if strings.TrimSpace(code) == "" {
			return transport.Invalid(fmt.Sprintf("%s[%d]", field, i), "is empty")
		}
	}
	return nil
}

// ErrBatchNotSent is matched (with errors.Is) by the error of a batch that
// was never sent because an earlier batch failed in a way no batch can get
// past (a 401 after a new sign-in, a 403, a 400, or the context ending);
// [BatchFailure].Err wraps that failure too.
var ErrBatchNotSent = errors.New("batch not sent")

// BatchError is the error of a call that splits its codes into batches of
// [MaxCodesPerRequest] ([Client.CisesInfo], [Client.CisesList],
// [Client.AggregatedList]) when some batches got no answer. The call still
// returns every result it did get, in the order of the caller's codes;
// the codes of the failed batches are absent there and listed in Failed.
//
// Resend only those:
//
//	res, err := c.CisesInfo(ctx, codes)
//	var be *trueapi.BatchError
//	if errors.As(err, &be) {
//		more, err2 := c.CisesInfo(ctx, be.Failed) // res holds the rest
//		…
//	}
//
// errors.Is and errors.As reach each batch's error (ErrServer, *Error, …).
type BatchError struct {
	// Method is the API method, e.g. "cises/info".
	Method string
	// Total is the number of codes the call was given.
	Total int
	// Failed are the codes without an answer, in the caller's order.
	Failed []string
	// Batches are the failed batches, in order, each with its cause.
	Batches []BatchFailure
}

// BatchFailure is one batch without an answer.
type BatchFailure struct {
	// First is the index, in the caller's codes, of the batch's first
	// code; Codes are the batch's codes.
	First int
	Codes []string
	// Err is why: the batch's own error after the transport's retries,
	// or, for a batch that was never sent, an error matching
	// [ErrBatchNotSent] and the failure that stopped the call.
	Err error
}

// Error summarises the failed batches.
func (e *BatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "trueapi: %s: %d of %d codes without an answer", e.Method, len(e.Failed), e.Total)
	for i, f := range e.Batches {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more batches", len(e.Batches)-i)
			break
		}
		fmt.Fprintf(&b, "; codes %d–%d: %v", f.First, f.First+len(f.Codes)-1, f.Err)
	}
	return b.String()
}

// Unwrap returns each failed batch's error.
func (e *BatchError) Unwrap() []error {
	out := make([]error, len(e.Batches))
	for i, f := range e.Batches {
		out[i] = f.Err
	}
	return out
}

// hopeless reports whether err would fail every other batch as well, so
// that no more batches should be sent: a 401 after the client signed in
// again, a 403, a refused request (400, 409, 422), or the context ending.
func hopeless(err error) bool {
	return errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) || errors.Is(err, ErrValidation) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// inBatches splits codes into batches of at most MaxCodesPerRequest and
// runs send on them with at most infoConcurrency in flight. It returns the
// results of the batches that succeeded, in the batches' order, and, when
// any failed, a *BatchError naming their codes. A failed batch cancels
// nothing already in flight; only a hopeless failure (see hopeless) stops
// the batches not yet sent. A transient failure has already been retried
// by the transport, since every batched method is a safe read.
func inBatches[T any](ctx context.Context, method string, codes []string, send func(ctx context.Context, batch []string) (T, error)) ([]T, error) {
	n := (len(codes) + MaxCodesPerRequest - 1) / MaxCodesPerRequest
	if n == 1 {
		r, err := oneBatch(ctx, method, codes, send)
		if err != nil {
			return []T{}, err
		}
		return []T{r}, nil
	}
	results := make([]T, n)
	errs := make([]error, n)
	var (
		mu   sync.Mutex
		stop error // the hopeless failure, once there is one
	)
	stopped := func() error {
		mu.Lock()
		defer mu.Unlock()
		return stop
	}
	sem := make(chan struct{}, infoConcurrency)
	var wg sync.WaitGroup
	for b := range n {
		first := b * MaxCodesPerRequest
		chunk := codes[first:min(first+MaxCodesPerRequest, len(codes))]
		var cause error
		select {
		case sem <- struct{}{}:
			// select picks at random when the context has ended too:
			// a batch is never sent once it has.
			cause = stopped()
			if cause == nil {
				cause = ctx.Err()
			}
			if cause != nil {
				<-sem
			}
		case <-ctx.Done():
			cause = ctx.Err()
		}
		if cause != nil {
			errs[b] = fmt.Errorf("%w: %w", ErrBatchNotSent, cause)
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			r, err := send(ctx, chunk)
			if err != nil {
				errs[b] = err
				if hopeless(err) {
					mu.Lock()
					if stop == nil {
						stop = err
					}
					mu.Unlock()
				}
				return
			}
			results[b] = r
		})
	}
	wg.Wait()
	var (
		ok  = make([]T, 0, n)
		bad *BatchError
	)
	for b, err := range errs {
		if err == nil {
			ok = append(ok, results[b])
			continue
		}
		if bad == nil {
			bad = &BatchError{Method: method, Total: len(codes)}
		}
		first := b * MaxCodesPerRequest
		chunk := codes[first:min(first+MaxCodesPerRequest, len(codes))]
		bad.Failed = append(bad.Failed, chunk...)
		bad.Batches = append(bad.Batches, BatchFailure{First: first, Codes: chunk, Err: err})
	}
	if bad != nil {
		return ok, bad
	}
	return ok, nil
}

// oneBatch is inBatches for codes that fit in one batch, without its
// result list: the batch is sent from the caller's goroutine, and a
// failure is reported by the same *BatchError.
func oneBatch[T any](ctx context.Context, method string, codes []string, send func(ctx context.Context, batch []string) (T, error)) (T, error) {
	var (
		r   T
		err error
	)
	if err = ctx.Err(); err != nil {
		err = fmt.Errorf("%w: %w", ErrBatchNotSent, err)
	} else if r, err = send(ctx, codes); err == nil {
		return r, nil
	}
	return r, &BatchError{Method: method, Total: len(codes), Failed: append([]string(nil), codes...),
		Batches: []BatchFailure{{First: 0, Codes: codes, Err: err}}}
}
