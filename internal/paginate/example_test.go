package paginate_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/paginate"
)

// This file shows how API clients build their iterators on the engine, one
// client per pagination scheme, each talking JSON to a synthetic httptest
// server on loopback.

// APIError is the error the example clients return for a non-2xx response.
type APIError struct{ Status int }

func (e *APIError) Error() string { return fmt.Sprintf("api: HTTP %d", e.Status) }

func getJSON(ctx context.Context, hc *http.Client, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &APIError{Status: resp.StatusCode}
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// server is a synthetic JSON API that records the query of every request and
// can be told to fail on one of them.
type server struct {
	*httptest.Server
	mu      sync.Mutex
	queries []url.Values
	failOn  func(url.Values) bool
}

func newServer(handle func(q url.Values) any) *server {
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		s.mu.Lock()
		s.queries = append(s.queries, q)
		fail := s.failOn != nil && s.failOn(q)
		s.mu.Unlock()
		if fail {
			http.Error(w, `{"error":"boom"}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(handle(q))
	}))
	return s
}

func (s *server) setFailOn(f func(url.Values) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failOn = f
}

func (s *server) Queries() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.queries)
}

func atoi(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// ---------------------------------------------------------------------------
// Page-number scheme: a uztgs-like customers API returning
// {"items": [...], "total_pages": 3, "current_page": 1, "next_page": 2}.

// Customer is a customer of the uztgs-like API.
type Customer struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// CustomersPage is the raw response of GET /customers.
type CustomersPage struct {
	Items       []Customer `json:"items"`
	TotalPages  int        `json:"total_pages"`
	CurrentPage int        `json:"current_page"`
	NextPage    *int       `json:"next_page"`
}

// ListCustomersParams are the query parameters of GET /customers.
type ListCustomersParams struct {
	Page     int
	PerPage  int
	Statuses []string
}

// UztgsClient is a minimal page-number client.
type UztgsClient struct {
	BaseURL string
	HTTP    *http.Client
}

// ListCustomers fetches one page of customers.
func (c *UztgsClient) ListCustomers(ctx context.Context, p ListCustomersParams) (*CustomersPage, error) {
	q := url.Values{"page": {strconv.Itoa(p.Page)}, "per_page": {strconv.Itoa(p.PerPage)}, "status": p.Statuses}
	var out CustomersPage
	if err := getJSON(ctx, c.HTTP, c.BaseURL+"/customers?"+q.Encode(), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CustomerPage is the page type the client exposes; Meta is the raw response.
type CustomerPage = paginate.Page[Customer, int, *CustomersPage]

// customersFetch is the adapter shared by Customers and CustomerPages.
func (c *UztgsClient) customersFetch(p ListCustomersParams) paginate.FetchFunc[Customer, int, *CustomersPage] {
	return func(ctx context.Context, page int) (CustomerPage, error) {
		q := p // copy per call: p is shared by every page and every range
		q.Page = page
		resp, err := c.ListCustomers(ctx, q)
		if err != nil {
			return CustomerPage{}, err
		}
		return paginate.NumberedPage(resp.Items, resp.CurrentPage, resp.TotalPages, resp), nil
	}
}

// Customers iterates over every customer matching p.
func (c *UztgsClient) Customers(ctx context.Context, p ListCustomersParams, opts ...paginate.Option) iter.Seq2[Customer, error] {
	return paginate.Items(ctx, cmp.Or(p.Page, paginate.DefaultFirstPage), c.customersFetch(p), opts...)
}

// CustomerPages iterates page by page, keeping total_pages/current_page.
func (c *UztgsClient) CustomerPages(ctx context.Context, p ListCustomersParams, opts ...paginate.Option) iter.Seq2[CustomerPage, error] {
	return paginate.Pages(ctx, cmp.Or(p.Page, paginate.DefaultFirstPage), c.customersFetch(p), opts...)
}

var customerNames = []string{"Aziz", "Bobur", "Dilnoza", "Gulnora", "Jasur"}

func newCustomersServer() *server {
	return newServer(func(q url.Values) any {
		page, per := atoi(q.Get("page"), 1), atoi(q.Get("per_page"), 2)
		total := (len(customerNames) + per - 1) / per
		resp := CustomersPage{Items: []Customer{}, TotalPages: total, CurrentPage: page}
		for i := (page - 1) * per; i < page*per && i >= 0 && i < len(customerNames); i++ {
			resp.Items = append(resp.Items, Customer{ID: i + 1, Name: customerNames[i]})
		}
		if page < total {
			next := page + 1
			resp.NextPage = &next
		}
		return resp
	})
}

func ExampleNumberedPage() {
	srv := newCustomersServer()
	defer srv.Close()
	client := &UztgsClient{BaseURL: srv.URL, HTTP: srv.Client()}

	for c, err := range client.Customers(context.Background(), ListCustomersParams{PerPage: 2}) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(c.ID, c.Name)
	}
	// Output:
	// 1 Aziz
	// 2 Bobur
	// 3 Dilnoza
	// 4 Gulnora
	// 5 Jasur
}

func ExamplePages() {
	srv := newCustomersServer()
	defer srv.Close()
	client := &UztgsClient{BaseURL: srv.URL, HTTP: srv.Client()}

	for page, err := range client.CustomerPages(context.Background(), ListCustomersParams{PerPage: 2}) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Printf("page %d/%d: %d customers\n", page.Meta.CurrentPage, page.Meta.TotalPages, len(page.Items))
	}
	// Output:
	// page 1/3: 2 customers
	// page 2/3: 2 customers
	// page 3/3: 1 customers
}

// LinkedPage follows the server's nullable next_page instead of total_pages.
func ExampleLinkedPage() {
	srv := newCustomersServer()
	defer srv.Close()
	client := &UztgsClient{BaseURL: srv.URL, HTTP: srv.Client()}

	fetch := func(ctx context.Context, page int) (CustomerPage, error) {
		resp, err := client.ListCustomers(ctx, ListCustomersParams{Page: page, PerPage: 3})
		if err != nil {
			return CustomerPage{}, err
		}
		return paginate.LinkedPage(resp.Items, resp.NextPage, resp), nil
	}
	all, err := paginate.Collect(paginate.Items(context.Background(), paginate.DefaultFirstPage, fetch))
	fmt.Println(len(all), err)
	// Output:
	// 5 <nil>
}

// ---------------------------------------------------------------------------
// Offset+limit scheme: GET /orders?offset=0&limit=2 returning
// {"orders": [...], "total": 5}.

// Order is an order of the offset-paginated API.
type Order struct {
	ID int `json:"id"`
}

// OrdersResponse is the raw response of GET /orders.
type OrdersResponse struct {
	Orders []Order `json:"orders"`
	Total  int     `json:"total"`
}

// ListOrdersParams are the query parameters of GET /orders.
type ListOrdersParams struct {
	Offset int
	Limit  int
}

// ShopClient is a minimal offset+limit client.
type ShopClient struct {
	BaseURL string
	HTTP    *http.Client
}

// ListOrders fetches one page of orders.
func (c *ShopClient) ListOrders(ctx context.Context, p ListOrdersParams) (*OrdersResponse, error) {
	q := url.Values{"offset": {strconv.Itoa(p.Offset)}, "limit": {strconv.Itoa(p.Limit)}}
	var out OrdersResponse
	if err := getJSON(ctx, c.HTTP, c.BaseURL+"/orders?"+q.Encode(), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Orders iterates over every order, prefetching the next page.
func (c *ShopClient) Orders(ctx context.Context, p ListOrdersParams, opts ...paginate.Option) iter.Seq2[Order, error] {
	opts = append([]paginate.Option{paginate.WithPrefetch(true)}, opts...)
	return paginate.Items(ctx, p.Offset, func(ctx context.Context, offset int) (paginate.Page[Order, int, *OrdersResponse], error) {
		q := p
		q.Offset = offset
		resp, err := c.ListOrders(ctx, q)
		if err != nil {
			return paginate.Page[Order, int, *OrdersResponse]{}, err
		}
		return paginate.OffsetPage(resp.Orders, offset, q.Limit, resp.Total, resp), nil
	}, opts...)
}

func newOrdersServer(total int) *server {
	return newServer(func(q url.Values) any {
		offset, limit := atoi(q.Get("offset"), 0), atoi(q.Get("limit"), 10)
		resp := OrdersResponse{Orders: []Order{}, Total: total}
		for i := offset; i < offset+limit && i < total; i++ {
			resp.Orders = append(resp.Orders, Order{ID: 100 + i})
		}
		return resp
	})
}

func ExampleOffsetPage() {
	srv := newOrdersServer(5)
	defer srv.Close()
	client := &ShopClient{BaseURL: srv.URL, HTTP: srv.Client()}

	for o, err := range client.Orders(context.Background(), ListOrdersParams{Limit: 2}) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println("order", o.ID)
	}
	// Output:
	// order 100
	// order 101
	// order 102
	// order 103
	// order 104
}

// ---------------------------------------------------------------------------
// Keyset scheme with direction: GET /events?order=desc&after_at=..&after_id=..
// &limit=2 returning {"events": [...], "has_more": true}. Events are ordered
// by (at, id); the cursor is the key of the last event seen plus the direction.

// Event is an event of the keyset-paginated API.
type Event struct {
	ID int   `json:"id"`
	At int64 `json:"at"`
}

// EventKey is the ordering key of an event: timestamp with an ID tie-breaker.
type EventKey struct {
	At int64
	ID int
}

func eventKey(e Event) EventKey { return EventKey{At: e.At, ID: e.ID} }

func (k EventKey) less(o EventKey) bool { return k.At < o.At || (k.At == o.At && k.ID < o.ID) }

// EventsResponse is the raw response of GET /events.
type EventsResponse struct {
	Events  []Event `json:"events"`
	HasMore bool    `json:"has_more"`
}

// ListEventsParams are the query parameters of GET /events.
type ListEventsParams struct {
	Order paginate.Direction
	After *EventKey
	Limit int
}

// EventsClient is a minimal keyset client.
type EventsClient struct {
	BaseURL string
	HTTP    *http.Client
}

// ListEvents fetches one page of events.
func (c *EventsClient) ListEvents(ctx context.Context, p ListEventsParams) (*EventsResponse, error) {
	q := url.Values{"order": {p.Order.String()}, "limit": {strconv.Itoa(p.Limit)}}
	if p.After != nil {
		q.Set("after_at", strconv.FormatInt(p.After.At, 10))
		q.Set("after_id", strconv.Itoa(p.After.ID))
	}
	var out EventsResponse
	if err := getJSON(ctx, c.HTTP, c.BaseURL+"/events?"+q.Encode(), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Events iterates over every event in p.Order, starting after p.After.
func (c *EventsClient) Events(ctx context.Context, p ListEventsParams, opts ...paginate.Option) iter.Seq2[Event, error] {
	first := paginate.Keyset[EventKey]{Dir: p.Order}
	if p.After != nil {
		first.Key = *p.After
	}
	return paginate.Items(ctx, first, func(ctx context.Context, cur paginate.Keyset[EventKey]) (paginate.Page[Event, paginate.Keyset[EventKey], struct{}], error) {
		q := p
		q.Order, q.After = cur.Dir, nil
		if cur.HasKey() {
			q.After = &cur.Key // cur is this call's own copy
		}
		resp, err := c.ListEvents(ctx, q)
		if err != nil {
			return paginate.Page[Event, paginate.Keyset[EventKey], struct{}]{}, err
		}
		return paginate.KeysetPage(resp.Events, cur, resp.HasMore, eventKey, struct{}{}), nil
	}, opts...)
}

// Two events share a timestamp, so the ID tie-breaker matters.
var allEvents = []Event{{1, 1000}, {2, 1010}, {3, 1010}, {4, 1020}, {5, 1030}}

func newEventsServer() *server {
	return newServer(func(q url.Values) any {
		desc := q.Get("order") == "desc"
		limit := atoi(q.Get("limit"), 10)
		events := slices.Clone(allEvents)
		if desc {
			slices.Reverse(events)
		}
		if q.Has("after_id") {
			after := EventKey{At: int64(atoi(q.Get("after_at"), 0)), ID: atoi(q.Get("after_id"), 0)}
			events = slices.DeleteFunc(events, func(e Event) bool {
				if desc {
					return !eventKey(e).less(after)
				}
				return !after.less(eventKey(e))
			})
		}
		resp := EventsResponse{Events: events[:min(limit, len(events))], HasMore: len(events) > limit}
		return resp
	})
}

func ExampleKeysetPage() {
	srv := newEventsServer()
	defer srv.Close()
	client := &EventsClient{BaseURL: srv.URL, HTTP: srv.Client()}

	for e, err := range client.Events(context.Background(), ListEventsParams{Order: paginate.Desc, Limit: 2}) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(e.At, e.ID)
	}
	// Output:
	// 1030 5
	// 1020 4
	// 1010 3
	// 1010 2
	// 1000 1
}

// ---------------------------------------------------------------------------
// Tests of the example clients against the synthetic servers.

func TestPageNumberClient(t *testing.T) {
	srv := newCustomersServer()
	defer srv.Close()
	client := &UztgsClient{BaseURL: srv.URL, HTTP: srv.Client()}

	statuses := make([]string, 2, 4)
	copy(statuses, []string{"active", "vip"})
	params := ListCustomersParams{PerPage: 2, Statuses: statuses}

	for _, prefetch := range []bool{false, true} {
		got, err := paginate.Collect(client.Customers(t.Context(), params, paginate.WithPrefetch(prefetch)))
		require.NoError(t, err)
		assert.Len(t, got, 5)
	}
	assert.Equal(t, ListCustomersParams{PerPage: 2, Statuses: []string{"active", "vip"}}, params)

	queries := srv.Queries()
	require.Len(t, queries, 6, "3 pages per range, no request past total_pages")
	for i, q := range queries {
		assert.Equal(t, url.Values{"page": {strconv.Itoa(i%3 + 1)}, "per_page": {"2"}, "status": {"active", "vip"}}, q)
	}

	// A configured start page.
	got, err := paginate.Collect(client.Customers(t.Context(), ListCustomersParams{Page: 2, PerPage: 2}))
	require.NoError(t, err)
	assert.Equal(t, []Customer{{3, "Dilnoza"}, {4, "Gulnora"}, {5, "Jasur"}}, got)
}

func TestPageNumberClientErrors(t *testing.T) {
	srv := newCustomersServer()
	defer srv.Close()
	srv.setFailOn(func(q url.Values) bool { return q.Get("page") == "2" })
	client := &UztgsClient{BaseURL: srv.URL, HTTP: srv.Client()}

	got, err := paginate.Collect(client.Customers(t.Context(), ListCustomersParams{PerPage: 2}))
	assert.Len(t, got, 2)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusInternalServerError, apiErr.Status)
	var pe *paginate.PageError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 2, pe.Cursor)
	assert.Len(t, srv.Queries(), 2)

	// Cancellation surfaces through net/http and stays recognisable.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	srv.setFailOn(nil)
	n := 0
	for _, err := range client.Customers(ctx, ListCustomersParams{PerPage: 2}, paginate.WithPrefetch(true)) {
		if err != nil {
			require.ErrorIs(t, err, context.Canceled)
			continue
		}
		n++
		cancel()
	}
	assert.Equal(t, 2, n)
}

func TestOffsetClient(t *testing.T) {
	tests := []struct {
		name      string
		total     int
		params    ListOrdersParams
		opts      []paginate.Option
		wantIDs   []int
		wantCalls []string // offsets requested
	}{
		{"total reached on a full page", 4, ListOrdersParams{Limit: 2}, nil, []int{100, 101, 102, 103}, []string{"0", "2"}},
		{"short last page", 5, ListOrdersParams{Limit: 2}, nil, []int{100, 101, 102, 103, 104}, []string{"0", "2", "4"}},
		{"start offset", 5, ListOrdersParams{Offset: 3, Limit: 2}, nil, []int{103, 104}, []string{"3"}},
		{"empty", 0, ListOrdersParams{Limit: 2}, nil, nil, []string{"0"}},
		{"max items", 100, ListOrdersParams{Limit: 2}, []paginate.Option{paginate.WithMaxItems(3)}, []int{100, 101, 102}, []string{"0", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOrdersServer(tt.total)
			defer srv.Close()
			client := &ShopClient{BaseURL: srv.URL, HTTP: srv.Client()}

			var ids []int
			for o, err := range client.Orders(t.Context(), tt.params, tt.opts...) {
				require.NoError(t, err)
				ids = append(ids, o.ID)
			}
			assert.Equal(t, tt.wantIDs, ids)
			var offsets []string
			for _, q := range srv.Queries() {
				offsets = append(offsets, q.Get("offset"))
				assert.Equal(t, strconv.Itoa(tt.params.Limit), q.Get("limit"))
			}
			assert.Equal(t, tt.wantCalls, offsets)
		})
	}
}

func TestKeysetClient(t *testing.T) {
	srv := newEventsServer()
	defer srv.Close()
	client := &EventsClient{BaseURL: srv.URL, HTTP: srv.Client()}

	ids := func(p ListEventsParams) []int {
		var out []int
		for e, err := range client.Events(t.Context(), p) {
			require.NoError(t, err)
			out = append(out, e.ID)
		}
		return out
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5}, ids(ListEventsParams{Order: paginate.Asc, Limit: 2}))
	assert.Equal(t, []int{5, 4, 3, 2, 1}, ids(ListEventsParams{Order: paginate.Desc, Limit: 2}))

	after := EventKey{At: 1010, ID: 2}
	params := ListEventsParams{Order: paginate.Asc, After: &after, Limit: 1}
	assert.Equal(t, []int{3, 4, 5}, ids(params))
	assert.Equal(t, EventKey{At: 1010, ID: 2}, after, "caller's key must not be overwritten")

	desc := srv.Queries()[3:6] // the three requests of the descending listing
	assert.Equal(t, url.Values{"order": {"desc"}, "limit": {"2"}}, desc[0])
	assert.Equal(t, url.Values{"order": {"desc"}, "limit": {"2"}, "after_at": {"1020"}, "after_id": {"4"}}, desc[1])
	assert.Equal(t, url.Values{"order": {"desc"}, "limit": {"2"}, "after_at": {"1010"}, "after_id": {"2"}}, desc[2])
}

// A keyset server that ignores the cursor and keeps sending the same page is
// stopped by the repeated-cursor guard instead of looping forever.
func TestKeysetClientLoopingServer(t *testing.T) {
	srv := newServer(func(url.Values) any {
		return EventsResponse{Events: allEvents[:2], HasMore: true}
	})
	defer srv.Close()
	client := &EventsClient{BaseURL: srv.URL, HTTP: srv.Client()}

	// WithMaxPages is only a safety net so that a broken guard fails instead of hanging.
	got, err := paginate.Collect(client.Events(t.Context(), ListEventsParams{Limit: 2}, paginate.WithPrefetch(true), paginate.WithMaxPages(10)))
	require.NoError(t, err)
	assert.Len(t, got, 4, "first page, then the repeated page whose next cursor was already requested")
	assert.Len(t, srv.Queries(), 2)
}
