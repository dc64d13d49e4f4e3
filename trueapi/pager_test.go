package trueapi_test

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

// pagerItem is a record as the pager tests see it: its id and, in a
// keyset listing, the sort value its cursor carries.
type pagerItem struct{ id, value string }

// keyed maps the records of seq to pagerItems.
func keyed[T any](seq iter.Seq2[T, error], key func(T) pagerItem) iter.Seq2[pagerItem, error] {
	return func(yield func(pagerItem, error) bool) {
		for v, err := range seq {
			if !yield(key(v), err) {
				return
			}
		}
	}
}

// pagerCase is one listing walked through the one pager: the requests it
// must send, page by page, and, for a keyset listing, an answer of its own
// shape.
type pagerCase struct {
	name, method, path string
	limit              int
	// counted: the answers report a count the walk stops at (D-1, D-2),
	// so a last full page is not followed by an empty one.
	counted bool
	walk    func() iter.Seq2[pagerItem, error]
	// want is the query (GET) or body (POST) of the request of page i;
	// prev is the last record of the page before (zero for page 0).
	want func(i int, prev pagerItem) string
	// answer is a full page holding items, for a keyset listing; nil for
	// an offset listing.
	answer func(items []pagerItem) string
}

// keysetQuery is the query of page i of a keyset listing: base, and from
// page 1 on pageDir=NEXT with the reference record prev under idKey and
// orderedColumnValue.
func keysetQuery(base url.Values, idKey string, i int, prev pagerItem) string {
	q := url.Values{}
	for k, v := range base {
		q[k] = v
	}
	if i > 0 {
		q.Set("pageDir", "NEXT")
		q.Set(idKey, prev.id)
		q.Set("orderedColumnValue", prev.value)
	}
	return q.Encode()
}

// resultsAnswer is {"results": [...], "total": n} with one object a
// record, its id under idKey and its sort value under valueKey.
func resultsAnswer(idKey, valueKey string) func([]pagerItem) string {
	return func(items []pagerItem) string {
		recs := make([]string, len(items))
		for i, it := range items {
			recs[i] = fmt.Sprintf(`{%q:%q,%q:%q}`, idKey, it.id, valueKey, it.value)
		}
		return `{"results":[` + strings.Join(recs, ",") + `],"total":` + strconv.Itoa(len(items)) + `}`
	}
}

func pagerCases(c *trueapi.Client, srv *trueapitest.Server) []pagerCase {
	ctx := context.Background()
	gtin := srv.OwnCodes()[0].GTIN
	cis := func(r trueapi.CisRecord) pagerItem { return pagerItem{r.Cis, r.EmissionDate} }
	doc := func(d trueapi.DocumentInfo) pagerItem { return pagerItem{d.Number, d.ReceivedAtRaw} }
	edo := func(d trueapi.EDODocument) pagerItem { return pagerItem{id: d.ID} }
	found := func(d trueapi.FoundDocument) pagerItem { return pagerItem{id: d.DocumentID()} }
	year := trueapi.DocumentSearch{DateFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), Limit: 4}
	eaeu := trueapi.DocumentSearchV2{DocumentType: trueapitest.TypeShipmentGroup, Limit: 1}
	tobacco := trueapi.DocListFilter{ProductGroup: trueapi.GroupTobacco, Limit: 2}
	receipts := trueapi.DocListFilter{ProductGroup: trueapi.GroupTobacco, Limit: 1}
	list := trueapi.ListFilter{GTIN: gtin, Limit: 3}
	return []pagerCase{
		{
			name: "K-9 cises/listV2", method: http.MethodGet, path: "cises/listV2", limit: list.Limit,
			walk: func() iter.Seq2[pagerItem, error] { return keyed(c.CisesListV2(ctx, list), cis) },
			want: func(i int, prev pagerItem) string {
				return keysetQuery(url.Values{"gtin": {gtin}, "limit": {"3"}}, "uit", i, prev)
			},
			answer: resultsAnswer("cis", "emissionDate"),
		},
		{
			name: "P-4 products/listV2", method: http.MethodGet, path: "products/listV2", limit: list.Limit,
			walk: func() iter.Seq2[pagerItem, error] { return keyed(c.ProductsListV2(ctx, list), cis) },
			want: func(i int, prev pagerItem) string {
				return keysetQuery(url.Values{"gtin": {gtin}, "limit": {"3"}, "orderColumn": {"emd"}}, "uit", i, prev)
			},
			answer: resultsAnswer("cis", "emissionDate"),
		},
		{
			name: "D-25 doc/listV2", method: http.MethodGet, path: "doc/listV2", limit: tobacco.Limit,
			walk: func() iter.Seq2[pagerItem, error] { return keyed(c.DocListV2(ctx, tobacco), doc) },
			want: func(i int, prev pagerItem) string {
				return keysetQuery(url.Values{"pg": {"tobacco"}, "limit": {"2"}, "orderColumn": {"receivedAt"}}, "did", i, prev)
			},
			answer: resultsAnswer("number", "receivedAt"),
		},
		{
			name: "D-27 receipt/listV2", method: http.MethodGet, path: "receipt/listV2", limit: receipts.Limit,
			walk: func() iter.Seq2[pagerItem, error] { return keyed(c.ReceiptListV2(ctx, receipts), doc) },
			want: func(i int, prev pagerItem) string {
				return keysetQuery(url.Values{"pg": {"tobacco"}, "limit": {"1"}, "orderColumn": {"receivedAt"}}, "did", i, prev)
			},
			answer: resultsAnswer("number", "receivedAt"),
		},
		{
			name: "D-1 edo-api/outgoing-documents", method: http.MethodGet, path: "edo-api/outgoing-documents", limit: 1, counted: true,
			walk: func() iter.Seq2[pagerItem, error] {
				return keyed(c.OutgoingDocuments(ctx, trueapi.EDOFilter{Limit: 1}), edo)
			},
			want: func(i int, _ pagerItem) string { return fmt.Sprintf("limit=1&offset=%d", i) },
		},
		{
			name: "D-2 edo-api/incoming-documents", method: http.MethodGet, path: "edo-api/incoming-documents", limit: 2, counted: true,
			walk: func() iter.Seq2[pagerItem, error] {
				return keyed(c.IncomingDocuments(ctx, trueapi.EDOFilter{Limit: 2}), edo)
			},
			want: func(i int, _ pagerItem) string { return fmt.Sprintf("limit=2&offset=%d", 2*i) },
		},
		{
			name: "D-6 documents/search", method: http.MethodPost, path: "documents/search", limit: year.Limit,
			walk: func() iter.Seq2[pagerItem, error] { return keyed(c.SearchDocuments(ctx, year), found) },
			want: func(i int, _ pagerItem) string {
				return fmt.Sprintf(`{"dateFrom":"01/01/2025","dateTo":"12/31/2025","pagination":{"offset":%d,"limit":4}}`, 4*i)
			},
		},
		{
			name: "D-21 documents/searchV2", method: http.MethodPost, path: "documents/searchV2", limit: eaeu.Limit,
			walk: func() iter.Seq2[pagerItem, error] { return keyed(c.SearchDocumentsV2(ctx, eaeu), found) },
			want: func(i int, _ pagerItem) string {
				return fmt.Sprintf(`{"documentType":"EAS_CROSSBORDER_GROUP","pagination":{"offset":%d,"limit":1}}`, i)
			},
		},
	}
}

// TestPagerEveryListing walks every paged listing through the one pager
// against the fake and checks each request it sends and the paging rules:
// nothing is requested before the loop, a request a page with the cursor
// (or offset) of the page before, a stop after a short or empty page (or
// at the count), a second range that starts over, an early break that
// sends nothing more, one error yielded and then the end, and, in a
// keyset listing, a stop at a repeated cursor.
func TestPagerEveryListing(t *testing.T) {
	c, srv := fakeClient(t, docConfig())
	for _, tc := range pagerCases(c, srv) {
		t.Run(tc.name, func(t *testing.T) {
			sent := func() []trueapitest.Recorded {
				var out []trueapitest.Recorded
				for _, r := range srv.Requests() {
					if r.Method == tc.method && r.URL.Path == trueapitest.APIPath+tc.path {
						out = append(out, r)
					}
				}
				return out
			}
			shape := func(r trueapitest.Recorded) string {
				if tc.method == http.MethodGet {
					return r.URL.RawQuery
				}
				return string(r.Body)
			}
			before := len(sent())
			seq := tc.walk()
			require.Len(t, sent(), before, "nothing is requested until the loop starts")

			items := collect(t, seq, 10_000)
			n := len(items)
			require.Greater(t, n, 2*tc.limit, "the data set fills several pages")
			ids := map[string]bool{}
			for _, it := range items {
				assert.False(t, ids[it.id], "%s is listed once", it.id)
				ids[it.id] = true
			}
			pages := n/tc.limit + 1
			if tc.counted && n%tc.limit == 0 {
				pages--
			}
			walked := sent()[before:]
			require.Len(t, walked, pages, "a request a page, and none after the last one")
			for i, r := range walked {
				var prev pagerItem
				if i > 0 {
					prev = items[i*tc.limit-1]
				}
				assert.Equal(t, tc.want(i, prev), shape(r), "request %d", i)
			}

			again := collect(t, seq, 10_000)
			assert.Equal(t, items, again, "a second range starts over")
			rewalked := sent()[before+pages:]
			require.Len(t, rewalked, pages)
			for i := range rewalked {
				assert.Equal(t, shape(walked[i]), shape(rewalked[i]), "request %d again", i)
			}

			mark := len(sent())
			for range seq {
				break
			}
			assert.Len(t, sent(), mark+1, "a loop left at the first record sends no second request")

			// A 400 on the second page: the records of the first, one
			// error, the end.
			mark = len(sent())
			srv.Faults.Add(trueapitest.Fault{Method: tc.method, Path: trueapitest.APIPath + tc.path, Every: 2,
				Status: http.StatusBadRequest, Body: `{"error_message":"bad page"}`})
			var got, errs int
			for _, err := range seq {
				if err != nil {
					errs++
					assert.ErrorIs(t, err, trueapi.ErrValidation)
					continue
				}
				got++
			}
			assert.Equal(t, 1, errs, "one error")
			assert.Equal(t, tc.limit, got, "the first page's records before it")
			assert.Len(t, sent(), mark+2, "no request after the error")

			if tc.answer == nil {
				return
			}
			// A server that answers every page with the same full page:
			// the second page's cursor is the first's, and the walk stops.
			mark = len(sent())
			srv.Faults.Add(trueapitest.Fault{Method: tc.method, Path: trueapitest.APIPath + tc.path, Times: -1,
				Status: http.StatusOK, Body: tc.answer(items[:tc.limit])})
			t.Cleanup(srv.Faults.Clear)
			looped := collect(t, seq, 100*tc.limit)
			assert.Len(t, looped, 2*tc.limit, "the page and its repetition")
			assert.Len(t, sent(), mark+2, "no request at a cursor already read")
			srv.Faults.Clear()
		})
	}
}
