package paginate

import (
	"context"
	"fmt"
	"iter"
)

// Page is one page of results as returned by a [FetchFunc].
//
// T is the item type, C the cursor type and M the type of the page metadata a
// client wants to expose (often the raw response, e.g. *CustomersPage, or
// struct{} when there is none).
type Page[T any, C comparable, M any] struct {
	// Items are the items of this page, in server order.
	Items []T
	// Next is the cursor to request the following page with. It is ignored
	// when Last is true or Items is empty.
	Next C
	// Last reports that the server said there is no following page.
	Last bool
	// Meta carries client-specific page metadata (total pages, current page,
	// total count, ...). The engine never looks at it.
	Meta M
}

// FetchFunc fetches the page identified by cursor.
//
// The cursor is passed by value; the function must not write to any state
// shared between calls (in particular the caller's request parameters: copy
// them per call). It must honour ctx, which is cancelled when the consumer
// stops iterating while a prefetch is in flight. When it returns a non-nil
// error the returned page is ignored.
type FetchFunc[T any, C comparable, M any] func(ctx context.Context, cursor C) (Page[T, C, M], error)

// PageError is the error yielded when a page could not be obtained, either
// because the fetch failed or because the context was done before it.
// It unwraps to the underlying error, so errors.Is(err, context.Canceled)
// and errors.As on the client's own error types keep working.
type PageError struct {
	// Cursor is the cursor of the page that failed (a value of the C type
	// parameter of the iterator).
	Cursor any
	// Index is the zero-based position of the failed page in the iteration.
	Index int
	// Err is the underlying error.
	Err error
}

// Error implements the error interface.
func (e *PageError) Error() string {
	return fmt.Sprintf("paginate: page at cursor %+v (index %d): %v", e.Cursor, e.Index, e.Err)
}

// Unwrap returns the underlying error.
func (e *PageError) Unwrap() error { return e.Err }

// Items returns an iterator over every item of every page, starting at the
// page identified by first. On failure it yields a single (zero T, err) pair
// with err a [*PageError] and stops. See [Pages] for the paging rules.
func Items[T any, C comparable, M any](ctx context.Context, first C, fetch FetchFunc[T, C, M], opts ...Option) iter.Seq2[T, error] {
	pages := Pages(ctx, first, fetch, opts...)
	return func(yield func(T, error) bool) {
		for page, err := range pages {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}

// Pages returns an iterator over the pages starting at the page identified by
// first. Every page that was fetched successfully is yielded once, including
// a final empty page (so its Meta stays visible).
//
// Nothing is fetched before ranging starts, and every range starts again from
// first. Iteration stops after a page that is empty or marked Last, before a
// Next cursor that was already requested during this range, when a limit set
// by [WithMaxItems] or [WithMaxPages] is reached, when the consumer breaks
// out of the loop, or after yielding one error. Errors, including ctx being
// done before a fetch, are yielded once as (zero Page, *PageError).
func Pages[T any, C comparable, M any](ctx context.Context, first C, fetch FetchFunc[T, C, M], opts ...Option) iter.Seq2[Page[T, C, M], error] {
	o := newOptions(opts)
	return func(yield func(Page[T, C, M], error) bool) {
		run(ctx, first, fetch, o, yield)
	}
}

// Collect drains seq into a slice. It returns the items gathered before the
// first error together with that error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for item, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, item)
	}
	return out, nil
}

// result carries the outcome of a prefetch back to the iterating goroutine.
type result[T any, C comparable, M any] struct {
	page     Page[T, C, M]
	err      error
	panicked bool
	panicVal any
}

// run is the engine behind Pages. All of its state is local, which is what
// makes the iterators restartable.
func run[T any, C comparable, M any](parent context.Context, first C, fetch FetchFunc[T, C, M], o options, yield func(Page[T, C, M], error) bool) {
	ctx, cancel := context.WithCancel(parent)
	var pending chan result[T, C, M] // non-nil while a prefetch is in flight
	defer func() {
		cancel()
		if pending != nil {
			// Wait for the prefetch goroutine: no goroutine outlives the loop.
			if r := <-pending; r.panicked {
				panic(r.panicVal)
			}
		}
	}()

	requested := make(map[C]struct{})
	cursor := first
	items := 0
	for index := 0; ; index++ {
		requested[cursor] = struct{}{}

		var page Page[T, C, M]
		err := ctx.Err()
		if err == nil {
			if pending != nil {
				r := <-pending
				pending = nil
				if r.panicked {
					panic(r.panicVal)
				}
				page, err = r.page, r.err
			} else {
				page, err = fetch(ctx, cursor)
			}
		}
		if err != nil {
			yield(Page[T, C, M]{}, &PageError{Cursor: cursor, Index: index, Err: err})
			return
		}

		more := !page.Last && len(page.Items) > 0
		if o.maxItems > 0 && items+len(page.Items) >= o.maxItems {
			n := o.maxItems - items
			page.Items = page.Items[:n:n]
			more = false
		}
		items += len(page.Items)
		if o.maxPages > 0 && index+1 >= o.maxPages {
			more = false
		}
		if _, seen := requested[page.Next]; seen {
			more = false
		}

		if more && o.prefetch {
			ch := make(chan result[T, C, M], 1)
			pending = ch
			go prefetch(ctx, fetch, page.Next, ch)
		}
		if !yield(page, nil) || !more {
			return
		}
		cursor = page.Next
	}
}

// prefetch fetches the page at cursor and sends the outcome on ch, including a
// panic of fetch, which the iterating goroutine re-raises.
func prefetch[T any, C comparable, M any](ctx context.Context, fetch FetchFunc[T, C, M], cursor C, ch chan<- result[T, C, M]) {
	var r result[T, C, M]
	defer func() {
		if v := recover(); v != nil {
			r = result[T, C, M]{panicked: true, panicVal: v}
		}
		ch <- r
	}()
	r.page, r.err = fetch(ctx, cursor)
}
