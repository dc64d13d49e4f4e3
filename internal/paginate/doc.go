// Package paginate is the pagination engine shared by every API client of the
// SDK. A client describes how to fetch one page ([FetchFunc]) and the engine
// turns that into range-over-func iterators: [Items] yields every item of every
// page, [Pages] yields whole pages so callers keep the page metadata.
//
// # Schemes
//
// The engine only knows about an opaque, comparable cursor C. The three
// pagination schemes used by the APIs are expressed by what the client puts in
// the cursor and by the helper it uses to build the returned [Page]:
//
//   - page number: C is the page number (usually starting at
//     [DefaultFirstPage]); build pages with [NumberedPage] (server reports
//     total_pages) or [LinkedPage] (server reports a nullable next_page).
//   - offset+limit: C is the offset; build pages with [OffsetPage].
//   - keyset: C is a [Keyset] (last key seen plus a [Direction]); build pages
//     with [KeysetPage].
//
// # Writing a client adapter
//
// An adapter is a closure over the caller's parameters that copies them for
// every call, stores the cursor in the copy and maps the response:
//
//	func (c *Client) Customers(ctx context.Context, p ListCustomersParams) iter.Seq2[Customer, error] {
//		return paginate.Items(ctx, cmp.Or(p.Page, paginate.DefaultFirstPage),
//			func(ctx context.Context, page int) (paginate.Page[Customer, int, *CustomersPage], error) {
//				q := p // copy: never write to p, it is shared by every page and every range
//				q.Page = page
//				resp, err := c.ListCustomers(ctx, q)
//				if err != nil {
//					return paginate.Page[Customer, int, *CustomersPage]{}, err
//				}
//				return paginate.NumberedPage(resp.Items, resp.CurrentPage, resp.TotalPages, resp), nil
//			})
//	}
//
// The fetch callback must treat the caller's parameters as read-only: take a
// copy per call (q := p) and clone any slice or map it modifies
// (q.Tags = append(slices.Clone(p.Tags), ...)), because a shallow struct copy
// still shares their backing storage.
//
// # Guarantees
//
// The iterators returned by [Items] and [Pages] are lazy (nothing is fetched
// until ranging starts) and restartable (each range starts again from the
// first cursor with fresh state). Iteration stops on an empty page, on a page
// marked [Page.Last], on a cursor that was already requested during the same
// range (protection against servers that loop), when the consumer breaks out
// of the loop, when an optional limit ([WithMaxItems], [WithMaxPages]) is
// reached, or after the first error. An error is yielded exactly once, wrapped
// in a [*PageError] that records which cursor failed; the original error stays
// reachable through [errors.Is] and [errors.As].
//
// With [WithPrefetch] the next page is fetched in a background goroutine while
// the consumer processes the current one (never more than one page ahead).
// Leaving the loop, for whatever reason, cancels that fetch through its context
// and waits for the goroutine to exit before the range statement completes, so
// fetch callbacks must honour context cancellation.
package paginate
