package paginate

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type testPage = Page[int, int, string]

var errRunaway = errors.New("runaway pagination: stop condition ignored")

// fakeAPI serves numbered pages from memory and records every requested
// cursor. It is safe for concurrent use (prefetch fetches on a goroutine).
type fakeAPI struct {
	mu     sync.Mutex
	calls  []int
	pages  map[int]testPage
	errAt  map[int]error
	before func(ctx context.Context, cursor int) // optional hook run before serving
}

// newAPI returns n pages of size items each: page i (1-based) holds
// (i-1)*size+1 ... i*size, points to i+1 and the n-th page is marked Last.
func newAPI(n, size int) *fakeAPI {
	api := &fakeAPI{pages: map[int]testPage{}, errAt: map[int]error{}}
	for i := 1; i <= n; i++ {
		items := make([]int, size)
		for j := range items {
			items[j] = (i-1)*size + j + 1
		}
		api.pages[i] = testPage{Items: items, Next: i + 1, Last: i == n, Meta: fmt.Sprintf("page %d of %d", i, n)}
	}
	return api
}

func (a *fakeAPI) fetch(ctx context.Context, cursor int) (testPage, error) {
	a.mu.Lock()
	a.calls = append(a.calls, cursor)
	runaway := len(a.calls) > 100
	a.mu.Unlock()
	if runaway { // a broken stop condition must fail fast, not hang
		return testPage{}, errRunaway
	}
	if a.before != nil {
		a.before(ctx, cursor)
	}
	if err := a.errAt[cursor]; err != nil {
		return testPage{Items: []int{-1}}, err // the page must be ignored
	}
	return a.pages[cursor], nil // unknown cursor: empty page
}

func (a *fakeAPI) Calls() []int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// Rule 1: nothing is fetched until ranging starts.
func TestLazy(t *testing.T) {
	for _, prefetch := range []bool{false, true} {
		t.Run(fmt.Sprintf("prefetch=%v", prefetch), func(t *testing.T) {
			api := newAPI(3, 2)
			items := Items(t.Context(), 1, api.fetch, WithPrefetch(prefetch))
			pages := Pages(t.Context(), 1, api.fetch, WithPrefetch(prefetch))
			require.Empty(t, api.Calls(), "building the iterators must not fetch")

			for range items {
				break
			}
			assert.Equal(t, 1, api.Calls()[0])
			for range pages {
				break
			}
			assert.NotEmpty(t, api.Calls())
		})
	}
}

// Rule 2: every range starts over from the first cursor with fresh state.
func TestRestartable(t *testing.T) {
	for _, prefetch := range []bool{false, true} {
		t.Run(fmt.Sprintf("prefetch=%v", prefetch), func(t *testing.T) {
			api := newAPI(3, 2)
			items := Items(t.Context(), 1, api.fetch, WithPrefetch(prefetch), WithMaxItems(5))

			first, err := Collect(items)
			require.NoError(t, err)
			assert.Equal(t, seq(1, 5), first)

			// A partial range must not leave state behind either.
			for v := range items {
				if v == 3 {
					break
				}
			}

			second, err := Collect(items)
			require.NoError(t, err)
			assert.Equal(t, first, second)
			partial := []int{1, 2}
			if prefetch {
				partial = []int{1, 2, 3} // page 3 was prefetched while page 2 was consumed
			}
			want := append(append([]int{1, 2, 3}, partial...), 1, 2, 3)
			assert.Equal(t, want, api.Calls())
		})
	}
}

// Rule 2 for repeated-cursor detection: the set of requested cursors is per
// range, so a second range is not stopped by cursors seen in the first one.
func TestRestartableCursorSetIsPerRange(t *testing.T) {
	api := newAPI(2, 1)
	pages := Pages(t.Context(), 1, api.fetch)
	for range 2 {
		n := 0
		for _, err := range pages {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 2, n)
	}
}

type keyCursor struct {
	Key int
	Dir Direction
}

// Rule 3: the engine hands out cursor values; a fetch that scribbles on its
// argument changes neither the caller's start cursor nor the engine's next one.
func TestCursorPassedByValue(t *testing.T) {
	first := keyCursor{Key: 0, Dir: Desc}
	var got []keyCursor
	fetch := func(_ context.Context, c keyCursor) (Page[int, keyCursor, struct{}], error) {
		got = append(got, c)
		if len(got) > 10 {
			return Page[int, keyCursor, struct{}]{}, errRunaway
		}
		next := keyCursor{Key: c.Key + 10, Dir: c.Dir}
		c.Key = 999 // must have no effect outside this call
		c.Dir = Asc
		return Page[int, keyCursor, struct{}]{Items: []int{next.Key}, Next: next, Last: next.Key >= 30}, nil
	}
	vals, err := Collect(Items(t.Context(), first, fetch))
	require.NoError(t, err)
	assert.Equal(t, []int{10, 20, 30}, vals)
	assert.Equal(t, []keyCursor{{0, Desc}, {10, Desc}, {20, Desc}}, got)
	assert.Equal(t, keyCursor{Key: 0, Dir: Desc}, first)
}

type listParams struct {
	Page     int
	PerPage  int
	Statuses []string
}

// Rule 3: the adapter pattern clients must follow. The params struct holds a
// slice with spare capacity, so appending to a shallow copy would write into
// the caller's backing array; the adapter copies the struct per call and
// clones the slice before modifying it.
func TestAdapterDoesNotMutateCallerParams(t *testing.T) {
	statuses := make([]string, 1, 8) // spare capacity makes aliasing bugs visible
	statuses[0] = "active"
	params := listParams{PerPage: 2, Statuses: statuses}
	want := listParams{PerPage: 2, Statuses: []string{"active"}}

	var mu sync.Mutex
	var seen []listParams
	list := func(_ context.Context, p listParams) (testPage, error) {
		mu.Lock()
		seen = append(seen, listParams{Page: p.Page, PerPage: p.PerPage, Statuses: slices.Clone(p.Statuses)})
		mu.Unlock()
		if p.Page > 10 {
			return testPage{}, errRunaway
		}
		return NumberedPage([]int{p.Page}, p.Page, 3, ""), nil
	}
	adapter := func(ctx context.Context, p listParams) iter.Seq2[int, error] {
		return Items(ctx, max(p.Page, DefaultFirstPage), func(ctx context.Context, page int) (testPage, error) {
			q := p // copy per call
			q.Page = page
			q.Statuses = append(slices.Clone(p.Statuses), fmt.Sprintf("page-%d", page))
			return list(ctx, q)
		}, WithPrefetch(true))
	}

	it := adapter(t.Context(), params)
	for range 2 { // two ranges: state must not leak from one to the next
		vals, err := Collect(it)
		require.NoError(t, err)
		assert.Equal(t, []int{1, 2, 3}, vals)
	}
	assert.Equal(t, want, params)
	assert.Empty(t, statuses[1:2][0], "backing array of the caller's slice was written to")
	require.Len(t, seen, 6)
	for i, p := range seen {
		page := i%3 + 1
		assert.Equal(t, listParams{Page: page, PerPage: 2, Statuses: []string{"active", fmt.Sprintf("page-%d", page)}}, p)
	}
}

// Rule 4: the stop conditions.
func TestStopConditions(t *testing.T) {
	tests := []struct {
		name      string
		pages     map[int]testPage
		wantItems []int
		wantCalls []int
	}{
		{
			name: "empty page",
			pages: map[int]testPage{
				1: {Items: []int{1}, Next: 2},
				2: {Items: nil, Next: 3},
				3: {Items: []int{3}, Next: 4},
			},
			wantItems: []int{1},
			wantCalls: []int{1, 2},
		},
		{
			name: "empty first page",
			pages: map[int]testPage{
				1: {Next: 2},
			},
			wantItems: nil,
			wantCalls: []int{1},
		},
		{
			name: "last page",
			pages: map[int]testPage{
				1: {Items: []int{1}, Next: 2},
				2: {Items: []int{2}, Next: 3, Last: true},
				3: {Items: []int{3}, Next: 4},
			},
			wantItems: []int{1, 2},
			wantCalls: []int{1, 2},
		},
		{
			name: "cursor loops back to an earlier page",
			pages: map[int]testPage{
				1: {Items: []int{1}, Next: 2},
				2: {Items: []int{2}, Next: 3},
				3: {Items: []int{3}, Next: 1},
			},
			wantItems: []int{1, 2, 3},
			wantCalls: []int{1, 2, 3},
		},
		{
			name: "cursor does not advance",
			pages: map[int]testPage{
				1: {Items: []int{1}, Next: 2},
				2: {Items: []int{2}, Next: 2},
			},
			wantItems: []int{1, 2},
			wantCalls: []int{1, 2},
		},
	}
	for _, tt := range tests {
		for _, prefetch := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/prefetch=%v", tt.name, prefetch), func(t *testing.T) {
				api := &fakeAPI{pages: tt.pages}
				vals, err := Collect(Items(t.Context(), 1, api.fetch, WithPrefetch(prefetch)))
				require.NoError(t, err)
				assert.Equal(t, tt.wantItems, vals)
				assert.Equal(t, tt.wantCalls, api.Calls())
			})
		}
	}
}

// Pages yields every fetched page, including a trailing empty one, with Meta.
func TestPagesYieldsPagesWithMeta(t *testing.T) {
	api := newAPI(2, 2)
	api.pages[2] = testPage{Items: []int{3, 4}, Next: 3, Meta: "page 2, no total"}
	api.pages[3] = testPage{Meta: "empty"}

	var metas []string
	var items [][]int
	for p, err := range Pages(t.Context(), 1, api.fetch) {
		require.NoError(t, err)
		metas = append(metas, p.Meta)
		items = append(items, p.Items)
	}
	assert.Equal(t, []string{"page 1 of 2", "page 2, no total", "empty"}, metas)
	assert.Equal(t, [][]int{{1, 2}, {3, 4}, nil}, items)
}

var errBoom = errors.New("boom")

// Rule 5: one wrapped error, then nothing more, even if the consumer keeps
// going after the error.
func TestErrorYieldedOnceAndStops(t *testing.T) {
	for _, prefetch := range []bool{false, true} {
		t.Run(fmt.Sprintf("prefetch=%v", prefetch), func(t *testing.T) {
			api := newAPI(4, 2)
			api.errAt[2] = fmt.Errorf("GET /x?page=2: %w", errBoom)

			var vals []int
			var errs []error
			for v, err := range Items(t.Context(), 1, api.fetch, WithPrefetch(prefetch)) {
				if err != nil {
					assert.Zero(t, v, "an error comes with the zero item")
					errs = append(errs, err)
					continue // deliberately not breaking
				}
				vals = append(vals, v)
			}
			assert.Equal(t, []int{1, 2}, vals)
			require.Len(t, errs, 1)
			assert.Equal(t, []int{1, 2}, api.Calls(), "no fetch after an error")

			err := errs[0]
			require.ErrorIs(t, err, errBoom)
			var pe *PageError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, 2, pe.Cursor)
			assert.Equal(t, 1, pe.Index)
			assert.Equal(t, "paginate: page at cursor 2 (index 1): GET /x?page=2: boom", err.Error())
		})
	}
}

func TestPagesErrorYieldsZeroPage(t *testing.T) {
	api := newAPI(2, 2)
	api.errAt[1] = errBoom
	n := 0
	for p, err := range Pages(t.Context(), 1, api.fetch) {
		n++
		require.ErrorIs(t, err, errBoom)
		assert.Zero(t, p)
	}
	assert.Equal(t, 1, n)
}

// Rule 5: a fetch failing with a context error stays recognisable.
func TestFetchContextErrorIsRecognisable(t *testing.T) {
	api := newAPI(2, 2)
	api.errAt[1] = fmt.Errorf("do request: %w", context.Canceled)
	_, err := Collect(Items(t.Context(), 1, api.fetch))
	require.ErrorIs(t, err, context.Canceled)
	var pe *PageError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Cursor)
}

// Rule 6: breaking out stops everything.
func TestBreakStopsFetching(t *testing.T) {
	api := newAPI(5, 2)
	for v, err := range Items(t.Context(), 1, api.fetch) {
		require.NoError(t, err)
		if v == 3 { // first item of page 2
			break
		}
	}
	assert.Equal(t, []int{1, 2}, api.Calls())

	api = newAPI(5, 2)
	for _, err := range Pages(t.Context(), 1, api.fetch) {
		require.NoError(t, err)
		break
	}
	assert.Equal(t, []int{1}, api.Calls())
}

// Rule 8: ctx done before the first fetch.
func TestContextDoneBeforeFirstFetch(t *testing.T) {
	for _, prefetch := range []bool{false, true} {
		t.Run(fmt.Sprintf("prefetch=%v", prefetch), func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			api := newAPI(2, 2)
			n := 0
			for v, err := range Items(ctx, 1, api.fetch, WithPrefetch(prefetch)) {
				n++
				assert.Zero(t, v)
				require.ErrorIs(t, err, context.Canceled)
				var pe *PageError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, 1, pe.Cursor)
				assert.Equal(t, 0, pe.Index)
			}
			assert.Equal(t, 1, n)
			assert.Empty(t, api.Calls())
		})
	}
}

// Rule 8: ctx cancelled while the consumer works on a page; the rest of that
// page is still delivered, then one ctx error and no further fetch.
func TestContextCancelledMidIteration(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	api := newAPI(3, 2)
	var vals []int
	var errs []error
	for v, err := range Items(ctx, 1, api.fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		vals = append(vals, v)
		cancel()
	}
	assert.Equal(t, []int{1, 2}, vals)
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], context.Canceled)
	assert.Equal(t, []int{1}, api.Calls())
}

// Rule 9: limits.
func TestLimits(t *testing.T) {
	tests := []struct {
		name      string
		opts      []Option
		wantItems []int
		wantCalls []int
	}{
		{"max items mid page", []Option{WithMaxItems(3)}, []int{1, 2, 3}, []int{1, 2}},
		{"max items on page boundary", []Option{WithMaxItems(4)}, seq(1, 4), []int{1, 2}},
		{"max items above total", []Option{WithMaxItems(100)}, seq(1, 10), seq(1, 5)},
		{"max pages", []Option{WithMaxPages(2)}, seq(1, 4), []int{1, 2}},
		{"max pages 1", []Option{WithMaxPages(1)}, seq(1, 2), []int{1}},
		{"both, items first", []Option{WithMaxPages(3), WithMaxItems(3)}, seq(1, 3), []int{1, 2}},
		{"both, pages first", []Option{WithMaxPages(1), WithMaxItems(3)}, seq(1, 2), []int{1}},
		{"zero and negative mean no limit", []Option{WithMaxItems(0), WithMaxPages(-1), nil}, seq(1, 10), seq(1, 5)},
		{"later option wins", []Option{WithMaxPages(1), WithMaxPages(0)}, seq(1, 10), seq(1, 5)},
	}
	for _, tt := range tests {
		for _, prefetch := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/prefetch=%v", tt.name, prefetch), func(t *testing.T) {
				api := newAPI(5, 2)
				opts := append(slices.Clone(tt.opts), WithPrefetch(prefetch))
				vals, err := Collect(Items(t.Context(), 1, api.fetch, opts...))
				require.NoError(t, err)
				assert.Equal(t, tt.wantItems, vals)
				assert.Equal(t, tt.wantCalls, api.Calls(), "no fetch beyond the limit")
			})
		}
	}
}

// MaxItems truncates the page handed to Pages consumers without exposing the
// client's backing array beyond the limit.
func TestMaxItemsTruncatesPage(t *testing.T) {
	api := newAPI(2, 3)
	var got []testPage
	for p, err := range Pages(t.Context(), 1, api.fetch, WithMaxItems(2)) {
		require.NoError(t, err)
		got = append(got, p)
	}
	require.Len(t, got, 1)
	assert.Equal(t, []int{1, 2}, got[0].Items)
	assert.Equal(t, 2, cap(got[0].Items))
	assert.Equal(t, "page 1 of 2", got[0].Meta)
}

func TestCollect(t *testing.T) {
	api := newAPI(2, 2)
	vals, err := Collect(Items(t.Context(), 1, api.fetch))
	require.NoError(t, err)
	assert.Equal(t, seq(1, 4), vals)

	api.errAt[2] = errBoom
	vals, err = Collect(Items(t.Context(), 1, api.fetch))
	require.ErrorIs(t, err, errBoom)
	assert.Equal(t, seq(1, 2), vals, "items before the error are kept")
}
