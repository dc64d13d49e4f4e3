package trueapi

import (
	"context"
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

// inBatches splits codes into batches of at most MaxCodesPerRequest, runs
// send on them with at most infoConcurrency in flight, and returns the
// results in the order of the batches. The first failure cancels the
// batches still running and is returned naming the codes of its batch.
func inBatches[T any](ctx context.Context, method string, codes []string, send func(ctx context.Context, batch []string) (T, error)) ([]T, error) {
	n := (len(codes) + MaxCodesPerRequest - 1) / MaxCodesPerRequest
	results := make([]T, n)
	if n == 1 {
		r, err := send(ctx, codes)
		if err != nil {
			return nil, err
		}
		results[0] = r
		return results, nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, infoConcurrency)
	var wg sync.WaitGroup
	for b := range n {
		first := b * MaxCodesPerRequest
		chunk := codes[first:min(first+MaxCodesPerRequest, len(codes))]
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			r, err := send(ctx, chunk)
			if err != nil {
				cancel(fmt.Errorf("trueapi: %s codes %d–%d of %d: %w", method, first, first+len(chunk)-1, len(codes), err))
				return
			}
			results[b] = r
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return results, nil
}
