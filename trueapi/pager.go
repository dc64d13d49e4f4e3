package trueapi

// The one pager of the True API's listings. Every paged method is a
// [listing]: what tells one from another (path, method, the filter's
// mapping to the query or body, validation, the page size, how an answer
// is read, which record fields make the next cursor) is data, and the
// paging itself is done once, on the engine of internal/paginate:
//
//   - keyset with direction (§5.2 of the documentation): GET cises/listV2
//     (K-9), products/listV2 (P-4), doc/listV2 (D-25) and receipt/listV2
//     (D-27), through [listing.keysetPageAt] and [keysetItems];
//   - offset and limit: GET edo-api/outgoing-documents and
//     incoming-documents (D-1, D-2), POST documents/search (D-6) and
//     documents/searchV2 (D-21), through [offsetPage] and [offsetItems].

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/paginate"
	"github.com/steppe-sdk/steppe/internal/query"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// listing describes one paged listing. F is its filter (the caller's
// parameters, only ever read through a pointer to the pager's own copy),
// C the cursor of one page request (a public cursor type, or the offset)
// and T a record.
type listing[F any, C comparable, T any] struct {
	// path is the method's path.
	path string
	// post sends the page request as a POST with a JSON body, a read-only
	// query that is retried like a GET (D-6, D-21); otherwise it is a GET
	// with a query string.
	post bool
	// check refuses bad input before any request with a
	// [*ValidationError] naming the parameter.
	check func(f *F, cur C) error
	// params maps the filter and the cursor to what one page request
	// sends: a params struct that internal/query encodes (GET) or the
	// JSON body (POST). f and cur are checked.
	params func(f *F, cur C) any
	// read decodes a 2xx answer into its records and the count the server
	// reports (0 when it reports none).
	read func(body []byte) (answer[T], error)
	// empty, if set, tells an error answer that means "nothing matched"
	// (D-6's 404): the page is then empty, not an error.
	empty func(err error) bool
	// limit is the page size the request asks for; 0 means none was sent,
	// and a page may then be followed by more whenever it is not empty.
	limit func(f *F) int

	// Keyset listings only.

	// ref names the reference record that item is as a cursor: the zero
	// keysetRef when it lacks the fields the cursor is made of.
	ref func(item T) keysetRef
	// at spells the public cursor that reads in direction dir from ref,
	// which is not zero.
	at func(dir PageDir, ref keysetRef) C
	// lacks names the record fields a cursor is made of, for the error of
	// a full page whose last record gives none.
	lacks string
}

// answer is a page answer as read: the records and the count the server
// reports.
type answer[T any] struct {
	items []T
	total int
}

// fetch checks the input, sends one page request and reads its answer.
func (l *listing[F, C, T]) fetch(ctx context.Context, c *Client, f *F, cur C) (answer[T], error) {
	if err := l.check(f, cur); err != nil {
		return answer[T]{}, err
	}
	req, err := l.request(f, cur)
	if err != nil {
		return answer[T]{}, err
	}
	a, err := decoded(ctx, c, req, l.read)
	if err != nil && l.empty != nil && l.empty(err) {
		return answer[T]{items: []T{}}, nil
	}
	return a, err
}

// request builds the request of one page.
func (l *listing[F, C, T]) request(f *F, cur C) (*transport.Request, error) {
	params := l.params(f, cur)
	if l.post {
		body, err := transport.JSONBody(params)
		if err != nil {
			return nil, err
		}
		return &transport.Request{Method: http.MethodPost, Path: l.path, Body: body,
			ContentType: "application/json", Idempotent: true}, nil
	}
	q, err := query.Values(params)
	if err != nil {
		return nil, err
	}
	return &transport.Request{Path: l.path, Query: q}, nil
}

// failed is the iterator of a listing whose filter was refused: it yields
// err once, when the loop starts.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// The checks the listings share; each returns a [*ValidationError] naming
// the parameter key, or nil. A filter's check joins them with cmp.Or, so
// the first failure in its order of parameters is reported.

// checkLimit refuses a page size outside 0…[MaxListLimit]; def is what 0
// means, 0 for "no limit is sent".
func checkLimit(key string, limit, def int) error {
	switch {
	case limit >= 0 && limit <= MaxListLimit:
		return nil
	case def == 0:
		return transport.Invalid(key, "must be between 1 and %d (0 sends none)", MaxListLimit)
	}
	return transport.Invalid(key, "must be between 1 and %d (0 means %d)", MaxListLimit, def)
}

// checkOffset refuses a negative offset.
func checkOffset(key string, offset int) error {
	if offset < 0 {
		return transport.Invalid(key, "must not be negative")
	}
	return nil
}

// checkOrder refuses a sort order other than empty, ASC or DESC.
func checkOrder(key string, o SortOrder) error {
	switch o {
	case "", SortAsc, SortDesc:
		return nil
	}
	return transport.Invalid(key, "must be %q or %q", SortAsc, SortDesc)
}

// checkRange refuses a period whose start, when both ends are set, is
// after its end.
func checkRange(fromKey string, from time.Time, toKey string, to time.Time) error {
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return transport.Invalid(fromKey, "is after %s", toKey)
	}
	return nil
}

// checkCursor refuses a keyset cursor that is not zero (§5.2) whose
// pageDir is neither empty, NEXT nor PREV, that lacks the id of its
// reference record (idKey: uit, did) or, when needValue, its
// orderedColumnValue.
func checkCursor(dir PageDir, idKey, id, value string, needValue bool) error {
	switch dir {
	case "", PageNext, PagePrev:
	default:
		return transport.Invalid("pageDir", "must be %q or %q", PageNext, PagePrev)
	}
	if id == "" {
		return transport.Invalid(idKey, "is required with orderedColumnValue and pageDir")
	}
	if needValue && value == "" {
		return transport.Invalid("orderedColumnValue", "is required with %s and pageDir", idKey)
	}
	return nil
}

// keysetRef names the reference record of a keyset listing (§5.2): its id
// (uit, did) and the value of the sort column at it (orderedColumnValue),
// exactly as received.
type keysetRef struct{ ID, Value string }

// refOf is the reference of a record with the given id and sort value, or
// the zero keysetRef when either is missing: such a record gives no
// cursor.
func refOf(id, value string) keysetRef {
	if id == "" || value == "" {
		return keysetRef{}
	}
	return keysetRef{ID: id, Value: value}
}

// keyset is the engine's cursor of a keyset walk: the reference record and
// the direction to read in from it, [paginate.Asc] for pageDir=NEXT (on
// in the listing's order) and [paginate.Desc] for PREV.
type keyset = paginate.Keyset[keysetRef]

// cursor is the public cursor of a keyset request at k.
func (l *listing[F, C, T]) cursor(k keyset) C {
	dir := PageNext
	if k.Dir == paginate.Desc {
		dir = PagePrev
	}
	return cursorAt(dir, k.Key, l.at)
}

// cursorAt is the cursor, spelt by at, that reads in direction dir from
// ref; the zero cursor (the first page) when ref is zero.
func cursorAt[C any](dir PageDir, ref keysetRef, at func(PageDir, keysetRef) C) C {
	if ref == (keysetRef{}) {
		var first C
		return first
	}
	return at(dir, ref)
}

// keysetPage is one page of a keyset listing. [ListPage] and [DocListPage]
// have its shape and are converted from it.
type keysetPage[T any, C comparable] struct {
	Results    []T
	Total      int
	Next, Prev C
	More       bool
}

// keysetPageAt reads the page at cur: Next reads on after its last record,
// Prev back before its first, and More says whether it was full (as many
// records as the limit, or not empty without one).
func (l *listing[F, C, T]) keysetPageAt(ctx context.Context, c *Client, f *F, cur C) (*keysetPage[T, C], error) {
	a, err := l.fetch(ctx, c, f, cur)
	if err != nil {
		return nil, err
	}
	p := &keysetPage[T, C]{Results: a.items, Total: a.total}
	if n := len(a.items); n > 0 {
		p.Next = l.cursor(keyset{Key: l.ref(a.items[n-1]), Dir: paginate.Asc})
		p.Prev = l.cursor(keyset{Key: l.ref(a.items[0]), Dir: paginate.Desc})
		limit := l.limit(f)
		p.More = limit == 0 || n >= limit
	}
	return p, nil
}

// keysetItems walks a keyset listing forwards from its first page: each
// following request reads on (pageDir=NEXT) from the last record of the
// page before, until a page that is not full. A full page whose last
// record gives no cursor is an error, not the end of the listing.
func keysetItems[F any, C comparable, T any](ctx context.Context, c *Client, l *listing[F, C, T], f F) iter.Seq2[T, error] {
	var first C
	if err := l.check(&f, first); err != nil {
		return failed[T](err)
	}
	type page = paginate.Page[T, keyset, struct{}]
	return paginate.Items(ctx, keyset{}, func(ctx context.Context, k keyset) (page, error) {
		p, err := l.keysetPageAt(ctx, c, &f, l.cursor(k))
		if err != nil {
			return page{}, err
		}
		next := paginate.KeysetPage(p.Results, k, p.More, l.ref, struct{}{})
		if p.More && !next.Next.HasKey() {
			return page{}, fmt.Errorf("trueapi: %s: %w: the last record of a full page has no %s to read on from", l.path, ErrDecode, l.lacks)
		}
		return next, nil
	})
}

// offsetPage reads the page at offset. Its Next is the offset after its
// records, Meta the count the server reports, and it is the last when it
// holds fewer records than the limit or Next reaches a positive count.
func offsetPage[F, T any](ctx context.Context, c *Client, l *listing[F, int, T], f *F, offset int) (paginate.Page[T, int, int], error) {
	a, err := l.fetch(ctx, c, f, offset)
	if err != nil {
		return paginate.Page[T, int, int]{}, err
	}
	return paginate.OffsetPage(a.items, offset, l.limit(f), a.total, a.total), nil
}

// offsetItems walks an offset listing from offset 0, each request at the
// offset after the last record read, until the last page.
func offsetItems[F, T any](ctx context.Context, c *Client, l *listing[F, int, T], f F) iter.Seq2[T, error] {
	if err := l.check(&f, 0); err != nil {
		return failed[T](err)
	}
	return paginate.Items(ctx, 0, func(ctx context.Context, offset int) (paginate.Page[T, int, int], error) {
		return offsetPage(ctx, c, l, &f, offset)
	})
}

// resultsWire is the answer of a keyset listing, {"results", "total"}
// (K-9, P-4, D-25, D-27).
type resultsWire[R any] struct {
	Results wireList[R] `json:"results"`
	Total   lenient.Int `json:"total"`
}

// readPage returns the reader of a page answer whose records are of wire
// type R: JSON null is refused; a bare array of records is read as the
// list where bare allows it (the D-25 and D-1 screenshots); otherwise the
// answer is decoded into the object W, of which members picks the list
// and the count.
func readPage[T, R any, PR interface {
	*R
	public() T
}, W any](bare bool, members func(*W) (*wireList[R], *lenient.Int)) func([]byte) (answer[T], error) {
	return func(b []byte) (answer[T], error) {
		if isNull(b) {
			return answer[T]{}, errNullList
		}
		var w W
		list, total := members(&w)
		var err error
		if bare && firstByte(b) == '[' {
			err = lenient.Unmarshal(b, list)
		} else {
			err = lenient.Unmarshal(b, &w)
		}
		if err != nil {
			return answer[T]{}, err
		}
		a := answer[T]{items: make([]T, len(list.Items)), total: int(total.N)}
		for i := range list.Items {
			a.items[i] = PR(&list.Items[i]).public()
		}
		return a, nil
	}
}

// readResults reads {"results", "total"}, and a bare array where bare
// allows it.
func readResults[T, R any, PR interface {
	*R
	public() T
}](bare bool) func([]byte) (answer[T], error) {
	return readPage[T, R, PR](bare, func(w *resultsWire[R]) (*wireList[R], *lenient.Int) { return &w.Results, &w.Total })
}
