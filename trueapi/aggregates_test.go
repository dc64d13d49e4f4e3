package trueapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCisesUnitsCountRequestShape(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	codes := []string{"010460026600575520021121051810AL02273282", "010460026600575520021121051810AL03326515", "010460026600575520021121051810AL14295492"}
	mt.RegisterResponder(http.MethodPost, base+"cis/cises-units-count", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		b, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `["010460026600575520021121051810AL02273282","010460026600575520021121051810AL03326515","010460026600575520021121051810AL14295492"]`, string(b), "a bare array, as in the documentation's example")
		return httpmock.NewStringResponse(200, `{"cisesCounts":{"010460026600575520021121051810AL02273282":500,"010460026600575520021121051810AL03326515":"500","010460026600575520021121051810AL14295492":500},"gtinsCounts":{"04606203084623":1500}}`), nil
	})
	got, err := c.CisesUnitsCount(ctx, codes)
	require.NoError(t, err)
	assert.Equal(t, &UnitsCount{Cises: map[string]int64{codes[0]: 500, codes[1]: 500, codes[2]: 500}, GTINs: map[string]int64{"04606203084623": 1500}}, got)

	mt.RegisterResponder(http.MethodPost, base+"cis/cises-units-count", httpmock.NewStringResponder(200, `{"cisesCounts":{},"stinsCounts":{"1":2}}`))
	got, err = c.CisesUnitsCount(ctx, codes[:1])
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"1": 2}, got.GTINs, "the screenshot's spelling is read too")

	mt.RegisterResponder(http.MethodPost, base+"cis/cises-units-count", httpmock.NewStringResponder(500, `{"error_message":"boom"}`))
	_, err = c.CisesUnitsCount(ctx, codes[:1])
	require.ErrorIs(t, err, ErrServer)
	_, err = c.CisesUnitsCount(ctx, nil)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "cis", ve.Field)
}

func TestAggregatedListPOSTRequestShape(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	mt.RegisterResponder(http.MethodPost, base+"cises/aggregated/list", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "pg=tobacco", r.URL.RawQuery, "the documentation's example URL")
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		b, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `["010460026600575520021121051810AL02273282"]`, string(b))
		return httpmock.NewStringResponse(200, `{"010460026600575520021121051810AL02273282": {"010460620308463021-ix%BFn": ["04606203084623hL?SYvG", "04606203084623x"], "010460620308463021+dJJGvt": []}}`), nil
	})
	got, err := c.AggregatedList(ctx, AggregatedQuery{ProductGroup: GroupTobacco, Codes: []string{"010460026600575520021121051810AL02273282"}})
	require.NoError(t, err)
	assert.Equal(t, Aggregates{"010460026600575520021121051810AL02273282": {
		"010460620308463021-ix%BFn": {"04606203084623hL?SYvG", "04606203084623x"},
		"010460620308463021+dJJGvt": {},
	}}, got)

	// 2,500 codes: three requests, answers merged.
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"cises/aggregated/list", func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		assert.Equal(t, "childrenLimit=10&childrenPage=2&pg=milk", r.URL.RawQuery)
		var codes []string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&codes))
		assert.LessOrEqual(t, len(codes), MaxCodesPerRequest)
		out := map[string]map[string][]string{}
		for _, c := range codes {
			out[c] = map[string][]string{c + "-child": nil}
		}
		return httpmock.NewJsonResponse(200, out)
	})
	codes := make([]string, 2500)
	for i := range codes {
		codes[i] = strconv.Itoa(i)
	}
	got, err = c.AggregatedList(ctx, AggregatedQuery{ProductGroup: "milk", Codes: codes, ChildrenPage: 2, ChildrenLimit: 10})
	require.NoError(t, err)
	assert.Len(t, got, 2500)
	assert.Equal(t, int32(3), calls.Load())
	assert.Contains(t, got["2499"], "2499-child")

	mt.RegisterResponder(http.MethodPost, base+"cises/aggregated/list", httpmock.NewStringResponder(404, `{"error_message":"KM не найдены"}`))
	_, err = c.AggregatedList(ctx, AggregatedQuery{ProductGroup: "milk", Codes: codes[:1]})
	require.ErrorIs(t, err, ErrNotFound)
	mt.RegisterResponder(http.MethodPost, base+"cises/aggregated/list", httpmock.NewStringResponder(200, `{"a":["not","a","map"]}`))
	_, err = c.AggregatedList(ctx, AggregatedQuery{ProductGroup: "milk", Codes: codes[:1]})
	require.ErrorIs(t, err, ErrDecode)

	for field, q := range map[string]AggregatedQuery{
		"pg":            {Codes: codes[:1]},
		"codes":         {ProductGroup: "milk"},
		"childrenPage":  {ProductGroup: "milk", Codes: codes[:1], ChildrenPage: -1},
		"childrenLimit": {ProductGroup: "milk", Codes: codes[:1], ChildrenLimit: -1},
	} {
		_, err := c.AggregatedList(ctx, q)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, field, ve.Field)
	}
}

func TestAggregatedListGETRequestShape(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	codes := []string{"00000046210654900v1s0Xz1zIFDjtcXJjz5cB", "(01)00000046210654(21)oFTjHaM", "00000046210654Qu,HCUeP"}
	mt.RegisterResponder(http.MethodGet, base+"cises/aggregated/list", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "codes=00000046210654900v1s0Xz1zIFDjtcXJjz5cB&codes=%2801%2900000046210654%2821%29oFTjHaM&codes=00000046210654Qu%2CHCUeP&pg=tobacco", r.URL.RawQuery,
			"repeated keys, brackets and the comma escaped")
		assert.Equal(t, codes, r.URL.Query()["codes"])
		assert.Empty(t, r.Header.Get("Content-Type"))
		return httpmock.NewStringResponse(200, `{"00000046210654900v1s0Xz1zIFDjtcXJjz5cB": {"(01)00000046210654(21)4u4qrBQ": [], "(01)00000046210654(21)hYVhjnW": []},
   "(01)00000046210654(21)oFTjHaM": {"00000046210654PQgiuyT": []},
   "00000046210654QuHCUeP": {}}`), nil
	})
	got, err := c.AggregatedListByQuery(ctx, AggregatedQuery{ProductGroup: GroupTobacco, Codes: codes})
	require.NoError(t, err)
	assert.Len(t, got, 3)
	assert.Empty(t, got["00000046210654QuHCUeP"])
	assert.Contains(t, got["(01)00000046210654(21)oFTjHaM"], "00000046210654PQgiuyT")

	many := make([]string, MaxCodesPerRequest+1)
	for i := range many {
		many[i] = fmt.Sprint(i)
	}
	_, err = c.AggregatedListByQuery(ctx, AggregatedQuery{ProductGroup: GroupTobacco, Codes: many})
	require.ErrorIs(t, err, ErrValidation)
	_, err = c.AggregatedListByQuery(ctx, AggregatedQuery{Codes: many[:1]})
	require.ErrorIs(t, err, ErrValidation)
}

func TestAggregatedListPages(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	var pages []string
	mt.RegisterResponder(http.MethodPost, base+"cises/aggregated/list", func(r *http.Request) (*http.Response, error) {
		page := r.URL.Query().Get("childrenPage")
		pages = append(pages, page)
		n := map[string]int{"1": 3, "2": 3, "3": 1}[page]
		children := map[string][]string{}
		for i := range n {
			children[page+"-"+strconv.Itoa(i)] = nil
		}
		return httpmock.NewJsonResponse(200, map[string]any{"box": children, "other": map[string]any{}})
	})
	var total int
	for page, err := range c.AggregatedListPages(ctx, AggregatedQuery{ProductGroup: "shoes", Codes: []string{"box", "other"}, ChildrenLimit: 3}) {
		require.NoError(t, err)
		total += len(page["box"])
	}
	assert.Equal(t, []string{"1", "2", "3"}, pages, "until no code has a full page")
	assert.Equal(t, 7, total)

	pages = nil
	for range c.AggregatedListPages(ctx, AggregatedQuery{ProductGroup: "shoes", Codes: []string{"box"}, ChildrenLimit: 3}) {
		break
	}
	assert.Equal(t, []string{"1"}, pages, "an early break stops")

	pages = nil
	for _, err := range c.AggregatedListPages(ctx, AggregatedQuery{ProductGroup: GroupTobacco, Codes: []string{"box"}, ChildrenLimit: 3}) {
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"1"}, pages, "tobacco is not paged")

	var errs int
	for _, err := range c.AggregatedListPages(ctx, AggregatedQuery{Codes: []string{"box"}}) {
		require.ErrorIs(t, err, ErrValidation)
		errs++
	}
	assert.Equal(t, 1, errs)
}

func TestCisesListRequestShape(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	mt.RegisterResponder(http.MethodPost, base+"cises/list", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "values=00000046210654900v1s0Xz1zIFDjtcXJjz5cB&values=00000046210654QuHCUeP", r.URL.RawQuery, "the documentation's example")
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			assert.Empty(t, b, "no body: the codes are in the query")
		}
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		return httpmock.NewStringResponse(200, `[{"requestedCis":"00000046210654900v1s0Xz1zIFDjtcXJjz5cB","cis":"00000046210654900v1s0Xz1zIFDjtcXJjz5cB","status":"INTRODUCED","gtin":"00000046210654","productGroupId":"3","productGroup":"tobacco","packageType":"UNIT","producedDate":"2019-12-04T00:46:40Z","ownerBin":"000000000001","child":["a"]},
{"cis":"00000046210654QuHCUeP","status":"APPLIED","gtin":"00000046210654","productGroupId":3,"packageType":"LEVEL1"}]`), nil
	})
	got, err := c.CisesList(ctx, []string{"00000046210654900v1s0Xz1zIFDjtcXJjz5cB", "00000046210654QuHCUeP"})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, int64(3), got[0].ProductGroupID, "a string productGroupId")
	assert.Equal(t, int64(3), got[1].ProductGroupID, "a number productGroupId")
	assert.Equal(t, []string{"a"}, got[0].Children)
	assert.Equal(t, "000000000001", got[0].OwnerBIN)

	var calls atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"cises/list", func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		vals := r.URL.Query()["values"]
		out := make([]map[string]string, len(vals))
		for i, v := range vals {
			out[i] = map[string]string{"cis": v}
		}
		return httpmock.NewJsonResponse(200, out)
	})
	codes := make([]string, 1001)
	for i := range codes {
		codes[i] = fmt.Sprintf("c,%d", i)
	}
	got, err = c.CisesList(ctx, codes)
	require.NoError(t, err)
	assert.Equal(t, int32(2), calls.Load())
	require.Len(t, got, 1001)
	assert.Equal(t, "c,1000", got[1000].Cis, "commas kept, order kept")

	mt.RegisterResponder(http.MethodPost, base+"cises/list", httpmock.NewStringResponder(400, `{"error_message":"Отсутствует обязательный параметр: values"}`))
	_, err = c.CisesList(ctx, codes[:1])
	require.ErrorIs(t, err, ErrValidation)
	_, err = c.CisesList(ctx, []string{""})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "values[0]", ve.Field)
}
