package paginate

// DefaultFirstPage is the first page number of 1-based page-number APIs.
// Adapters typically start at cmp.Or(params.Page, DefaultFirstPage); APIs that
// count pages from 0 simply start at 0.
const DefaultFirstPage = 1

// NumberedPage builds the [Page] of a page-number API that reports the total
// number of pages. page is the number of the page that was returned (the
// requested cursor, or the server's current_page); the next cursor is page+1.
// The page is marked Last when totalPages > 0 and page >= totalPages; pass
// totalPages <= 0 when the server does not report it, and the iteration then
// ends on the first empty page.
//
// NumberedPage assumes 1-based numbering (pages 1..totalPages). For a 0-based
// API pass totalPages <= 0 and set Last to page+1 >= totalPages on the result,
// or use [LinkedPage] when the server returns next_page.
func NumberedPage[T, M any](items []T, page, totalPages int, meta M) Page[T, int, M] {
	return Page[T, int, M]{
		Items: items,
		Next:  page + 1,
		Last:  totalPages > 0 && page >= totalPages,
		Meta:  meta,
	}
}

// LinkedPage builds the [Page] of an API whose responses name the following
// page explicitly and send null when there is none (next_page, next_cursor,
// ...). A nil next marks the page as Last; otherwise *next is the next cursor.
func LinkedPage[T any, C comparable, M any](items []T, next *C, meta M) Page[T, C, M] {
	p := Page[T, C, M]{Items: items, Last: next == nil, Meta: meta}
	if next != nil {
		p.Next = *next
	}
	return p
}

// OffsetPage builds the [Page] of an offset+limit API. offset and limit are
// the values that were requested and total the total number of items the
// server reports (<= 0 when unknown). The next cursor is offset+len(items); the
// page is marked Last when it holds fewer than limit items (limit > 0) or when
// the next offset reaches a known total.
func OffsetPage[T, M any](items []T, offset, limit, total int, meta M) Page[T, int, M] {
	next := offset + len(items)
	return Page[T, int, M]{
		Items: items,
		Next:  next,
		Last:  (limit > 0 && len(items) < limit) || (total > 0 && next >= total),
		Meta:  meta,
	}
}

// Direction is the sort direction of a keyset-paginated listing.
type Direction uint8

const (
	// Asc lists items in ascending key order (the zero Direction).
	Asc Direction = iota
	// Desc lists items in descending key order.
	Desc
)

// String returns "asc" or "desc"; adapters map it to whatever spelling the
// API expects.
func (d Direction) String() string {
	if d == Desc {
		return "desc"
	}
	return "asc"
}

// Keyset is the cursor of keyset (seek) pagination: the next page holds the
// items that come strictly after Key in direction Dir. K is the key the
// listing is ordered by, e.g. an ID or a struct{ At time.Time; ID int64 } for
// a timestamp with an ID tie-breaker; the zero K means "from the beginning".
type Keyset[K comparable] struct {
	// Key is the key of the last item already seen.
	Key K
	// Dir is the sort direction.
	Dir Direction
}

// HasKey reports whether k carries a key, i.e. whether the adapter must send
// an "after"/"before" filter rather than start from the beginning.
func (k Keyset[K]) HasKey() bool {
	var zero K
	return k.Key != zero
}

// KeysetPage builds the [Page] of a keyset API. cur is the cursor that was
// requested; key extracts the ordering key of an item. The next cursor is the
// key of the last item, in the same direction as cur. hasMore is what the
// server says about further pages (e.g. has_more, or len(items) == limit when
// the API only honours a limit); false marks the page as Last.
func KeysetPage[T any, K comparable, M any](items []T, cur Keyset[K], hasMore bool, key func(T) K, meta M) Page[T, Keyset[K], M] {
	next := cur
	if len(items) > 0 {
		next.Key = key(items[len(items)-1])
	}
	return Page[T, Keyset[K], M]{Items: items, Next: next, Last: !hasMore, Meta: meta}
}
