package trueapi

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"net/http"
	"net/url"
	"slices"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/query"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// UnitsCount is the answer of POST cis/cises-units-count (K-4).
type UnitsCount struct {
	// Cises maps each requested code to the consumer units it holds
	// (cisesCounts).
	Cises map[string]int64
	// GTINs maps each GTIN to its consumer units over the request
	// (gtinsCounts; the documentation types it as an array of objects, the
	// example shows a map).
	GTINs map[string]int64
}

// CisesUnitsCount counts the consumer units inside aggregated codes (POST
// cis/cises-units-count, K-4; note the cis/ prefix), for the
// totals of an Act and of the EAEU import notice. Tobacco group codes must
// be written with brackets; codes go without the crypto tail. The body is
// a bare JSON array. The documentation states no maximum, so the codes go in one
// request. Changelog 2.2.3 names the method GET; the method's own section
// says POST, which is what is sent. The call only reads, so it is retried
// like a GET.
func (c *Client) CisesUnitsCount(ctx context.Context, codes []string) (*UnitsCount, error) {
	if err := checkCodes("cis", codes); err != nil {
		return nil, err
	}
	body, err := transport.JSONBody(codes)
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Method: http.MethodPost, Path: "cis/cises-units-count", Body: body, ContentType: "application/json", Idempotent: true}
	var wire struct {
		Cises map[string]lenient.Int `json:"cisesCounts"`
		GTINs map[string]lenient.Int `json:"gtinsCounts"`
		// stinsCounts is how the documentation's screenshot spells gtinsCounts.
		STINs map[string]lenient.Int `json:"stinsCounts"`
	}
	if err := c.doJSON(ctx, req, &wire); err != nil {
		return nil, err
	}
	if wire.GTINs == nil {
		wire.GTINs = wire.STINs
	}
	out := &UnitsCount{Cises: make(map[string]int64, len(wire.Cises)), GTINs: make(map[string]int64, len(wire.GTINs))}
	for k, v := range wire.Cises {
		out.Cises[k] = v.N
	}
	for k, v := range wire.GTINs {
		out.GTINs[k] = v.N
	}
	return out, nil
}

// Aggregates is the answer of cises/aggregated/list (K-6, K-7):
// for each requested code, its children, and for each child the codes it
// holds in turn. The documentation calls it "the first layer of the aggregation
// tree" while its example shows these two levels; both levels are kept.
type Aggregates map[string]map[string][]string

// AggregatedQuery selects the codes and the page of their children of
// cises/aggregated/list (K-6, K-7).
type AggregatedQuery struct {
	// ProductGroup (pg) is the product group's name, e.g. [GroupTobacco];
	// required by the table of both methods.
	ProductGroup ProductGroup
	// Codes are the aggregated codes, a crypto tail being stripped by the
	// server. K-6 answers in the bracket form of the request, K-7 in the
	// form the code was emitted in.
	Codes []string
	// ChildrenPage (childrenPage) is the page of children, from 1; 0
	// leaves it to the server (1). Not used for tobacco.
	ChildrenPage int
	// ChildrenLimit (childrenLimit) is the page size of children; 0 leaves
	// it to the server (50). Not used for tobacco.
	ChildrenLimit int
}

func (q *AggregatedQuery) check() error {
	if err := requireText("pg", string(q.ProductGroup)); err != nil {
		return err
	}
	if q.ChildrenPage < 0 {
		return transport.Invalid("childrenPage", "must be 1 or more, got %d", q.ChildrenPage)
	}
	if q.ChildrenLimit < 0 {
		return transport.Invalid("childrenLimit", "must be 1 or more, got %d", q.ChildrenLimit)
	}
	return checkCodes("codes", q.Codes)
}

// aggregatedParams is the query string of cises/aggregated/list (K-6,
// K-7), encoded by internal/query. Codes is set for K-7 only, as
// repeated keys (codes=a&codes=b), never joined with commas.
type aggregatedParams struct {
	ProductGroup  ProductGroup `url:"pg"`
	ChildrenPage  int          `url:"childrenPage,omitempty"`
	ChildrenLimit int          `url:"childrenLimit,omitempty"`
	Codes         []string     `url:"codes,omitempty"`
}

// values encodes q's query string; q is checked. The codes are in it
// only when withCodes is set (K-7).
func (q *AggregatedQuery) values(withCodes bool) (url.Values, error) {
	p := aggregatedParams{ProductGroup: q.ProductGroup, ChildrenPage: q.ChildrenPage, ChildrenLimit: q.ChildrenLimit}
	if withCodes {
		p.Codes = q.Codes
	}
	return query.Values(p)
}

// AggregatedList returns the children of aggregated codes (POST
// cises/aggregated/list?pg=…, K-6), the codes in a bare JSON array
// body. More than 1000 codes are split into requests of 1000, up to 4 in
// flight, and the answers merged. The call only reads, so it is retried
// like a GET. Batches that get no answer are reported by a [*BatchError]
// beside the merged answers of the others, as for [Client.CisesInfo].
func (c *Client) AggregatedList(ctx context.Context, q AggregatedQuery) (Aggregates, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	params, err := q.values(false)
	if err != nil {
		return nil, err
	}
	parts, err := inBatches(ctx, "cises/aggregated/list", q.Codes, func(ctx context.Context, batch []string) (Aggregates, error) {
		body, err := transport.JSONBody(batch)
		if err != nil {
			return nil, err
		}
		req := &transport.Request{Method: http.MethodPost, Path: "cises/aggregated/list", Query: params, Body: body,
			ContentType: "application/json", Idempotent: true}
		return c.aggregates(ctx, req)
	})
	if len(parts) == 0 {
		return nil, err
	}
	out := parts[0]
	for _, p := range parts[1:] {
		maps.Copy(out, p)
	}
	return out, err
}

// AggregatedListByQuery is the GET variant (GET
// cises/aggregated/list?codes=…&codes=…, K-7): the codes are
// repeated query values, strictly escaped, a comma being part of a code.
// It takes at most 1000 codes, and a long query may exceed the server's
// URL limits; [Client.AggregatedList] sends the codes in the body instead.
func (c *Client) AggregatedListByQuery(ctx context.Context, q AggregatedQuery) (Aggregates, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	if len(q.Codes) > MaxCodesPerRequest {
		return nil, transport.Invalid("codes", "at most %d codes per request, got %d (AggregatedList splits longer lists)", MaxCodesPerRequest, len(q.Codes))
	}
	params, err := q.values(true)
	if err != nil {
		return nil, err
	}
	return c.aggregates(ctx, &transport.Request{Path: "cises/aggregated/list", Query: params})
}

// aggregates sends a K-6 or K-7 request and reads its answer, an object
// (JSON null is refused).
func (c *Client) aggregates(ctx context.Context, req *transport.Request) (Aggregates, error) {
	return decoded(ctx, c, req, func(body []byte) (Aggregates, error) {
		var a aggregatesAnswer
		if err := jsonObject(body, &a); err != nil {
			return nil, err
		}
		return Aggregates(a), nil
	})
}

// aggregatesAnswer is the K-6/K-7 answer read in one pass: for each
// requested code, an object mapping each child to its own children (a
// list, or a single code). A code whose value is null has no children;
// any other value that is not an object is refused, naming the code.
type aggregatesAnswer Aggregates

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (a *aggregatesAnswer) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if err := readObjectStart(dec); err != nil {
		return err
	}
	out := make(aggregatesAnswer)
	var refused []string // codes whose (last) value is not an object
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		parent := memberKey(name)
		children := make(map[string][]string)
		switch dec.PeekKind() {
		case 'n':
			_, err = dec.ReadValue()
		case '{':
			err = readChildren(dec, children)
		default:
			// Refused unless the code is sent again: of a code sent
			// twice the last value counts.
			if _, err = dec.ReadValue(); err != nil {
				return err
			}
			if !slices.Contains(refused, parent) {
				refused = append(refused, parent)
			}
			continue
		}
		if err != nil {
			return err
		}
		refused = slices.DeleteFunc(refused, func(c string) bool { return c == parent })
		out[parent] = children
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if len(refused) > 0 {
		return fmt.Errorf("code %q: %w", refused[0], lenient.ErrNotObject)
	}
	*a = out
	return nil
}

// readChildren reads the object of one code's children from dec into m.
func readChildren(dec *jsontext.Decoder, m map[string][]string) error {
	if err := readObjectStart(dec); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		child := memberKey(name)
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		m[child] = childList(raw)
	}
	_, err := dec.ReadToken()
	return err
}

// AggregatedListPages walks the pages of children of K-6 (POST): it starts
// at q.ChildrenPage (1 if 0) and increments it until no requested code has
// a full page of children left (the answer carries no total). q.ChildrenLimit
// defaults to the server's 50. For tobacco the server does not page, so
// one page is read.
func (c *Client) AggregatedListPages(ctx context.Context, q AggregatedQuery) iter.Seq2[Aggregates, error] {
	return func(yield func(Aggregates, error) bool) {
		q.ChildrenPage = max(q.ChildrenPage, 1)
		limit := q.ChildrenLimit
		if limit == 0 {
			limit = 50
		}
		for {
			page, err := c.AggregatedList(ctx, q)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(page, nil) {
				return
			}
			full := false
			for _, children := range page {
				full = full || len(children) >= limit
			}
			if !full || q.ProductGroup == GroupTobacco {
				return
			}
			q.ChildrenPage++
		}
	}
}
