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

func TestGTINsPageP1Example(t *testing.T) {
	c, mt, _ := newMocked(t)
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"product/gtin",
		rec.responder(200, `{"gtins":["04630034070029","00000046210654"],"total":2}`))
	p, err := c.GTINsPage(context.Background(), GroupTobacco, 0, 2)
	require.NoError(t, err)
	assert.Equal(t, &GTINPage{GTINs: []string{"04630034070029", "00000046210654"}, Total: 2}, p)
	assert.Equal(t, []listingReq{{http.MethodGet, "/api/v3/true-api/product/gtin", "limit=2&page=0&pg=tobacco", "Bearer jwt-1"}}, rec.all(),
		"the documentation's example request")
}

func TestGTINsPageShapes(t *testing.T) {
	c, mt, _ := newMocked(t)
	ctx := context.Background()
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"product/gtin", rec.responder(200, `{"gtings":["04630034070029"],"total":"1"}`))
	p, err := c.GTINsPage(ctx, GroupMilk, 3, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"04630034070029"}, p.GTINs, "the table's spelling gtings")
	assert.Equal(t, 1, p.Total, "a total sent as a string")
	assert.Equal(t, "limit=1000&page=3&pg=milk", rec.all()[0].rawQuery, "limit 0 is the default page size")

	mt.RegisterResponder(http.MethodGet, base+"product/gtin", httpmock.NewStringResponder(200, `{"gtins":[],"total":0}`))
	p, err = c.GTINsPage(ctx, GroupMilk, 0, 10)
	require.NoError(t, err)
	assert.Empty(t, p.GTINs)
}

// gtinServer serves total GTINs, page and limit as the request says.
func gtinServer(t *testing.T, rec *listingRecorder, total int, sentTotal string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		rec.add(r)
		page, err := strconv.Atoi(r.URL.Query().Get("page"))
		require.NoError(t, err)
		limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
		require.NoError(t, err)
		gtins := []string{} // [] when empty: null is not a list
		for i := page * limit; i < min((page+1)*limit, total); i++ {
			gtins = append(gtins, fmt.Sprintf("%014d", i))
		}
		body, err := json.Marshal(gtins)
		require.NoError(t, err)
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"gtins":%s,"total":%s}`, body, sentTotal)), nil
	}
}

func TestGTINsWalksPages(t *testing.T) {
	for _, tc := range []struct {
		name      string
		total     int
		sentTotal string
		pages     []string
	}{
		{"short last page", 5, "5", []string{"0", "1", "2"}},
		{"total reached on a full page", 4, "4", []string{"0", "1"}},
		{"total 0 next to full pages is not trusted", 4, "0", []string{"0", "1", "2"}},
		{"no total", 3, "null", []string{"0", "1"}},
		{"nothing", 0, "0", []string{"0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, _ := newMocked(t)
			var rec listingRecorder
			mt.RegisterResponder(http.MethodGet, base+"product/gtin", gtinServer(t, &rec, tc.total, tc.sentTotal))
			var got []string
			for g, err := range c.GTINs(context.Background(), GroupTobacco, 2) {
				require.NoError(t, err)
				got = append(got, g)
			}
			assert.Len(t, got, tc.total)
			for i, g := range got {
				assert.Equal(t, fmt.Sprintf("%014d", i), g)
			}
			var pages []string
			for _, s := range rec.all() {
				assert.Equal(t, "Bearer jwt-1", s.auth)
				pages = append(pages, s.rawQuery)
			}
			want := make([]string, len(tc.pages))
			for i, p := range tc.pages {
				want[i] = "limit=2&page=" + p + "&pg=tobacco"
			}
			assert.Equal(t, want, pages, "pages from 0, same limit and group")
		})
	}
}

func TestGTINsEarlyBreakAndDefaultLimit(t *testing.T) {
	c, mt, _ := newMocked(t)
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"product/gtin", gtinServer(t, &rec, 2500, "2500"))
	n := 0
	for _, err := range c.GTINs(context.Background(), GroupShoes, 0) {
		require.NoError(t, err)
		if n++; n == 1001 {
			break
		}
	}
	assert.Equal(t, []string{"limit=1000&page=0&pg=shoes", "limit=1000&page=1&pg=shoes"}, queriesOf(rec.all()))
}

func TestGTINsValidation(t *testing.T) {
	c, mt, _ := newMocked(t)
	ctx := context.Background()
	for _, tc := range []struct {
		pg          ProductGroup
		page, limit int
		field       string
	}{
		{"", 0, 10, "pg"},
		{" ", 0, 10, "pg"},
		{GroupTobacco, -1, 10, "page"},
		{GroupTobacco, 0, -1, "limit"},
		{GroupTobacco, 0, MaxListLimit + 1, "limit"},
	} {
		_, err := c.GTINsPage(ctx, tc.pg, tc.page, tc.limit)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tc.field, ve.Field)
		if tc.page == 0 {
			n := 0
			for _, err := range c.GTINs(ctx, tc.pg, tc.limit) {
				n++
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tc.field, ve.Field)
			}
			assert.Equal(t, 1, n)
		}
	}
	assert.Zero(t, mt.GetTotalCallCount(), "no request, not even a sign-in")
}

func TestGTINsErrors(t *testing.T) {
	c, mt, _ := newMocked(t, WithMaxRetries(0))
	ctx := context.Background()

	// An errorCode inside a 200 answer.
	mt.RegisterResponder(http.MethodGet, base+"product/gtin",
		httpmock.NewStringResponder(200, `{"gtins":[],"total":0,"errorCode":"500","errorMessage":"Ошибка"}`))
	_, err := c.GTINsPage(ctx, GroupTobacco, 0, 10)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "500", e.Code)
	assert.Equal(t, "Ошибка", e.Message)
	assert.Equal(t, 200, e.StatusCode)
	assert.ErrorIs(t, err, ErrDecode, "the answer holds no usable page")
	assert.Contains(t, err.Error(), "product/gtin")
	assert.JSONEq(t, `{"gtins":[],"total":0,"errorCode":"500","errorMessage":"Ошибка"}`, string(e.Body))
	var errs []error
	for _, err := range c.GTINs(ctx, GroupTobacco, 10) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	require.ErrorAs(t, errs[0], &e)
	assert.Equal(t, "500", e.Code)

	mt.RegisterResponder(http.MethodGet, base+"product/gtin",
		httpmock.NewStringResponder(400, `{"error_message":"Could not determine product group by name 'shoe'"}`))
	_, err = c.GTINsPage(ctx, "shoe", 0, 10)
	require.ErrorIs(t, err, ErrValidation)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Could not determine product group by name 'shoe'", e.Message)

	mt.RegisterResponder(http.MethodGet, base+"product/gtin", httpmock.NewStringResponder(200, `"nope"`))
	_, err = c.GTINsPage(ctx, GroupTobacco, 0, 10)
	require.ErrorIs(t, err, ErrDecode)
}

func TestProductInfoP2Example(t *testing.T) {
	c, mt, _ := newMocked(t)
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"products/info", rec.responder(200,
		`{"id":92,"name":" ","gtin":"04870003870025","packageType":"trade-unit","innerUnitCount":1,"specificAttributes":{}}`))
	p, err := c.ProductInfo(context.Background(), "(01)04871234567890(21)6M:A>BD")
	require.NoError(t, err)
	assert.Equal(t, []listingReq{{http.MethodGet, "/api/v3/true-api/products/info",
		"cis=%2801%2904871234567890%2821%296M%3AA%3EBD", "Bearer jwt-1"}}, rec.all(),
		"the documentation's example escaping, and the token although the table leaves it out")
	assert.Equal(t, &Product{ID: 92, Name: " ", GTIN: "04870003870025", PackageType: ProductTradeUnit, InnerUnitCount: 1,
		SpecificAttributes: json.RawMessage(`{}`)}, p)
	assert.Equal(t, "индивидуальная упаковка товара", p.PackageType.Name())
}

func TestProductInfoExtraFields(t *testing.T) {
	c, mt, _ := newMocked(t)
	mt.RegisterResponder(http.MethodGet, base+"products/info", httpmock.NewStringResponder(200,
		`{"id":"93","gtin":"04870003870032","packageType":"crate","innerUnitCount":"10",
		  "specificAttributes":["a","b"],"tobaccoType":"сигареты","mrp":{"value":100}}`))
	p, err := c.ProductInfo(context.Background(), "04870003870032abc")
	require.NoError(t, err)
	assert.Equal(t, int64(93), p.ID)
	assert.Equal(t, int64(10), p.InnerUnitCount)
	assert.Equal(t, ProductPackageType("crate"), p.PackageType, "unknown package types kept")
	assert.Empty(t, p.PackageType.Name())
	assert.JSONEq(t, `["a","b"]`, string(p.SpecificAttributes), "the table's array form")
	assert.Len(t, p.Extra, 2)
	assert.JSONEq(t, `"сигареты"`, string(p.Extra["tobaccoType"]))
	assert.JSONEq(t, `{"value":100}`, string(p.Extra["mrp"]))

	mt.RegisterResponder(http.MethodGet, base+"products/info", httpmock.NewStringResponder(200,
		`{"id":94,"gtin":"04870003870049","packageType":"box","innerUnitCount":50,"specificAttributes":null}`))
	p, err = c.ProductInfo(context.Background(), "04870003870049abc")
	require.NoError(t, err)
	assert.Nil(t, p.SpecificAttributes)
	assert.Nil(t, p.Extra)
	assert.Equal(t, ProductBox, p.PackageType)
}

func TestProductInfoErrors(t *testing.T) {
	c, mt, _ := newMocked(t, WithMaxRetries(0))
	ctx := context.Background()
	_, err := c.ProductInfo(ctx, " ")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "cis", ve.Field)
	assert.Zero(t, mt.GetTotalCallCount(), "no request, not even a sign-in")

	mt.RegisterResponder(http.MethodGet, base+"products/info", httpmock.NewStringResponder(404, `{"error_message":"Продукт не найден"}`))
	_, err = c.ProductInfo(ctx, "x")
	require.ErrorIs(t, err, ErrNotFound)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Продукт не найден", e.Message)

	mt.RegisterResponder(http.MethodGet, base+"products/info", httpmock.NewStringResponder(400, `{"error_message":"Неверный формат КМ"}`))
	_, err = c.ProductInfo(ctx, "x")
	require.ErrorIs(t, err, ErrValidation)
}

func TestGTINProductGroupsP3Example(t *testing.T) {
	c, mt, _ := newMocked(t)
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"product/route/gtin", func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		assert.Equal(t, "/api/v3/true-api/product/route/gtin", r.URL.Path)
		assert.Empty(t, r.URL.RawQuery)
		assert.Equal(t, "Bearer jwt-1", r.Header.Get("Authorization"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		assert.Equal(t, `{"data":["00000046210654","04630034070012","000000432183564"]}`, string(body))
		return httpmock.NewStringResponse(200, `[{"data":"00000046210654","tg-id":"3","tg-name":"tobacco"},
			{"data":"04630034070012","error-code":"401","error-msg":" "},
			{"data":"000000432183564","error-code":"404","error-msg":"Not found"}]`), nil
	})
	routes, err := c.GTINProductGroups(context.Background(), []string{"00000046210654", "04630034070012", "000000432183564"})
	require.NoError(t, err)
	assert.Equal(t, []GTINGroup{
		{GTIN: "00000046210654", ProductGroupID: 3, ProductGroup: GroupTobacco},
		{GTIN: "04630034070012", ErrorCode: "401", ErrorMessage: " "},
		{GTIN: "000000432183564", ErrorCode: "404", ErrorMessage: "Not found"},
	}, routes, "per-GTIN errors in a 200 answer are data, not a failure")
	assert.Equal(t, int32(1), calls.Load())
}

func TestGTINProductGroupsRetriedLikeAGet(t *testing.T) {
	c, mt, _ := newMocked(t)
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"product/route/gtin", func(r *http.Request) (*http.Response, error) {
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		assert.Equal(t, `{"data":["00000046210654"]}`, string(body), "the same body on every attempt")
		if calls.Add(1) == 1 {
			return httpmock.NewStringResponse(503, `{"error_message":"Удаленная система недоступна"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"data":"00000046210654","tg-id":3,"tg-name":"tobacco"}`), nil
	})
	routes, err := c.GTINProductGroups(context.Background(), []string{"00000046210654"})
	require.NoError(t, err)
	assert.Equal(t, int32(2), calls.Load(), "a 503 on the read-only POST is retried")
	assert.Equal(t, []GTINGroup{{GTIN: "00000046210654", ProductGroupID: 3, ProductGroup: GroupTobacco}}, routes,
		"a lone object and a numeric tg-id are read too")
}

func TestGTINProductGroupsErrors(t *testing.T) {
	c, mt, _ := newMocked(t, WithMaxRetries(0))
	ctx := context.Background()
	for _, tc := range []struct {
		gtins []string
		field string
	}{
		{nil, "data"},
		{[]string{}, "data"},
		{[]string{"00000046210654", ""}, "data[1]"},
	} {
		_, err := c.GTINProductGroups(ctx, tc.gtins)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tc.field, ve.Field)
	}
	assert.Zero(t, mt.GetTotalCallCount(), "no request, not even a sign-in")

	mt.RegisterResponder(http.MethodPost, base+"product/route/gtin", httpmock.NewStringResponder(404, `{"error_message":"Not Found"}`))
	_, err := c.GTINProductGroups(ctx, []string{"00000046210654"})
	require.ErrorIs(t, err, ErrNotFound, "no GTIN found at all")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Not Found", e.Message)

	mt.RegisterResponder(http.MethodPost, base+"product/route/gtin", httpmock.NewStringResponder(200, `oops`))
	_, err = c.GTINProductGroups(ctx, []string{"00000046210654"})
	require.ErrorIs(t, err, ErrDecode)
}
