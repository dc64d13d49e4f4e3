package trueapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoInfo answers cises/info with one element per requested code.
func echoInfo(t *testing.T, requests *atomic.Int32, maxBatch *atomic.Int32) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		requests.Add(1)
		var codes []string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&codes), "the body is a bare JSON array")
		for {
			m := maxBatch.Load()
			if int32(len(codes)) <= m || maxBatch.CompareAndSwap(m, int32(len(codes))) {
				break
			}
		}
		out := make([]map[string]any, len(codes))
		for i, c := range codes {
			out[i] = map[string]any{"cisInfo": map[string]any{"requestedCis": c, "cis": c, "gtin": "04600439931256", "productGroupId": "3", "producedDate": "2019-12-04T00:46:40Z", "child": []string{}}}
		}
		return httpmock.NewJsonResponse(200, out)
	}
}

// The must-show: 25,000 codes give 25 requests of at most 1000, and the
// results come back in the caller's order.
func TestCisesInfoBatches(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	var requests, maxBatch atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"cises/info", echoInfo(t, &requests, &maxBatch))
	codes := make([]string, 25_000)
	for i := range codes {
		codes[i] = fmt.Sprintf("0104650117240408211%07d", i)
	}
	codes[12_345] = `0104650117240408211dmf+cZ%N&c"M(4),x` // the characters of §2.4 of the documentation
	res, err := c.CisesInfo(context.Background(), codes)
	require.NoError(t, err)
	assert.Equal(t, int32(25), requests.Load())
	assert.Equal(t, int32(MaxCodesPerRequest), maxBatch.Load())
	require.Len(t, res, len(codes))
	for i, r := range res {
		require.NotNil(t, r.Info)
		require.Equal(t, codes[i], r.Info.RequestedCis, "result %d in the caller's order", i)
	}
	assert.Equal(t, int64(3), res[0].Info.ProductGroupID, "a number sent as a string")
	assert.Equal(t, time.Date(2019, 12, 4, 0, 46, 40, 0, time.UTC), res[0].Info.Produced)
}

func TestCisesInfoShapesAndErrors(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"), WithMaxRetries(0))
	ctx := context.Background()
	mt.RegisterResponder(http.MethodPost, base+"cises/info", httpmock.NewStringResponder(200,
		`{"cisInfo":{"requestedCis":"a","status":"INTRODUCED","ownerBin":"*****"},"errorCode":"","errorMessage":""}`))
	res, err := c.CisesInfo(ctx, []string{"a"})
	require.NoError(t, err)
	require.Len(t, res, 1, "a single object is read as a one-element list")
	assert.Equal(t, "INTRODUCED", res[0].Info.Status)

	mt.RegisterResponder(http.MethodPost, base+"cises/info", httpmock.NewStringResponder(200, `[{"errorCode":"404","errorMessage":"КМ не найден"}]`))
	res, err = c.CisesInfo(ctx, []string{"b"})
	require.NoError(t, err)
	assert.Nil(t, res[0].Info)
	assert.Equal(t, "КМ не найден", res[0].ErrorMessage)

	mt.RegisterResponder(http.MethodPost, base+"cises/info", httpmock.NewStringResponder(200, `[]`))
	res, err = c.CisesInfo(ctx, []string{"someone-else's"})
	require.NoError(t, err)
	assert.Empty(t, res, "codes of other owners: an empty answer, not an error")

	var n atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"cises/info", func(r *http.Request) (*http.Response, error) {
		if n.Add(1) == 2 {
			return httpmock.NewStringResponse(500, `{"errorMessage":"Ошибка получения информации о КМ","errorCode":"500"}`), nil
		}
		return httpmock.NewStringResponse(200, `[]`), nil
	})
	codes := make([]string, 2500)
	for i := range codes {
		codes[i] = fmt.Sprint(i)
	}
	_, err = c.CisesInfo(ctx, codes)
	require.ErrorIs(t, err, ErrServer)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "500", e.Code)
	assert.Equal(t, "Ошибка получения информации о КМ", e.Message)
	var be *BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Batches, 1, "one batch failed; the others are not cancelled")
	assert.Equal(t, be.Batches[0].Codes, be.Failed)
	assert.Equal(t, codes[be.Batches[0].First:be.Batches[0].First+len(be.Failed)], be.Failed)
	assert.Contains(t, err.Error(), "cises/info: "+fmt.Sprint(len(be.Failed))+" of 2500 codes without an answer")

	mt.RegisterResponder(http.MethodPost, base+"cises/info", httpmock.NewStringResponder(200, `<html>`))
	_, err = c.CisesInfo(ctx, []string{"x"})
	require.ErrorIs(t, err, ErrDecode)

	_, err = c.CisesInfo(ctx, nil)
	require.ErrorIs(t, err, ErrValidation)
	_, err = c.CisesInfo(ctx, []string{"ok", " "})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "codes[1]", ve.Field)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.CisesInfo(cctx, codes)
	require.ErrorIs(t, err, context.Canceled)
}

func TestCisHistoryEscapesStrictly(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	mt.RegisterResponder(http.MethodGet, base+"cises/history", func(r *http.Request) (*http.Response, error) {
		// The documentation's example is code=010460620308463021%26fl=9MY; "=" is
		// encoded too here (%3D), which means the same to the server.
		assert.Equal(t, "code=010460620308463021%26fl%3D9MY", r.URL.RawQuery)
		assert.Equal(t, "010460620308463021&fl=9MY", r.URL.Query().Get("code"))
		return httpmock.NewStringResponse(200, `{"cis":"010460620308463021&fl=9MY","gtin":"04606203084630","status":"INTRODUCED","packageType":"UNIT","operationDate":"2021-11-25T11:27:03.178Z","docId":"d-1"}`), nil
	})
	recs, err := c.CisHistory(ctx, "010460620308463021&fl=9MY")
	require.NoError(t, err)
	require.Len(t, recs, 1, "a single object is one record")
	assert.Equal(t, "010460620308463021&fl=9MY", recs[0].Cis)
	assert.Equal(t, time.Date(2021, 11, 25, 11, 27, 3, 178_000_000, time.UTC), recs[0].Operated)
	assert.Equal(t, "d-1", recs[0].DocID)

	hard := `0104650117240408211dm+f%Z&c"M(4),x`
	mt.RegisterResponder(http.MethodGet, base+"cises/history", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "code=0104650117240408211dm%2Bf%25Z%26c%22M%284%29%2Cx", r.URL.RawQuery)
		assert.Equal(t, []string{hard}, r.URL.Query()["code"], "the code round-trips, comma included")
		return httpmock.NewStringResponse(200, `[{"cis":"a"},{"cis":"b"}]`), nil
	})
	recs, err = c.CisHistory(ctx, hard)
	require.NoError(t, err)
	assert.Len(t, recs, 2)

	mt.RegisterResponder(http.MethodGet, base+"cises/history", httpmock.NewStringResponder(404, `{"error_message":"КМ не найдены"}`))
	_, err = c.CisHistory(ctx, "x")
	require.ErrorIs(t, err, ErrNotFound)
	mt.RegisterResponder(http.MethodGet, base+"cises/history", httpmock.NewStringResponder(200, `"text"`))
	_, err = c.CisHistory(ctx, "x")
	require.Error(t, err)
	_, err = c.CisHistory(ctx, " ")
	require.ErrorIs(t, err, ErrValidation)
}

// The optional pg of POST cises/info (changelog 2.16) goes in the query
// string of every batch, the body staying a bare array of codes; CisesInfo
// sends none.
func TestCisesInfoWithQueryProductGroup(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	var queries []string
	var mu sync.Mutex
	mt.RegisterResponder(http.MethodPost, base+"cises/info", func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
		var codes []string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&codes), "the body is a bare JSON array")
		out := make([]map[string]any, len(codes))
		for i, code := range codes {
			out[i] = map[string]any{"cisInfo": map[string]any{"requestedCis": code, "productGroup": r.URL.Query().Get("pg")}}
		}
		return httpmock.NewJsonResponse(200, out)
	})
	codes := make([]string, 1001)
	for i := range codes {
		codes[i] = fmt.Sprintf("010460026601438220071121072610%07d", i)
	}
	res, err := c.CisesInfoWithQuery(ctx, CisesInfoQuery{Codes: codes, ProductGroup: GroupTobacco})
	require.NoError(t, err)
	require.Len(t, res, 1001)
	assert.Equal(t, "tobacco", res[1000].Info.ProductGroup)
	assert.Equal(t, []string{"pg=tobacco", "pg=tobacco"}, queries, "pg on every batch")

	queries = nil
	_, err = c.CisesInfo(ctx, codes[:1])
	require.NoError(t, err)
	assert.Equal(t, []string{""}, queries, "CisesInfo sends no pg")
	queries = nil
	_, err = c.CisesInfoWithQuery(ctx, CisesInfoQuery{Codes: codes[:1]})
	require.NoError(t, err)
	assert.Equal(t, []string{""}, queries, "an empty ProductGroup sends none")

	before := mt.GetTotalCallCount()
	for field, q := range map[string]CisesInfoQuery{
		"pg":       {Codes: codes[:1], ProductGroup: " "},
		"codes":    {ProductGroup: GroupTobacco},
		"codes[1]": {Codes: []string{"a", ""}},
	} {
		_, err := c.CisesInfoWithQuery(ctx, q)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, field, ve.Field)
	}
	assert.Equal(t, before, mt.GetTotalCallCount(), "no request for bad input")
}

// CisInfo keeps the members it has no field for, and the values a field
// could not take, in Extra as sent, like the other record types; so do the
// records of cises/list, which share it.
func TestCisInfoKeepsUnknownMembers(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	mt.RegisterResponder(http.MethodPost, base+"cises/info", httpmock.NewStringResponder(200, `[
		{"cisInfo":{"cis":"a","status":"APPLIED","child":["b"],"mrp":{"value":12000},"expirationDate":"2025-01-01T00:00:00.000Z","withdrawReason":null}},
		{"cisInfo":{"cis":"b","child":"not-a-list","producedDate":"31 July 2020","productGroupId":"three"}},
		{"cisInfo":{"cis":"c","child":null}}]`))
	res, err := c.CisesInfo(ctx, []string{"a", "b", "c"})
	require.NoError(t, err)
	require.Len(t, res, 3)
	a := res[0].Info
	assert.Equal(t, []string{"b"}, a.Children)
	assert.Equal(t, map[string]json.RawMessage{
		"mrp": json.RawMessage(`{"value":12000}`), "expirationDate": json.RawMessage(`"2025-01-01T00:00:00.000Z"`),
		"withdrawReason": json.RawMessage(`null`),
	}, a.Extra, "unknown members as sent")
	b := res[1].Info
	assert.Nil(t, b.Children)
	assert.True(t, b.Produced.IsZero())
	assert.Zero(t, b.ProductGroupID)
	assert.Equal(t, map[string]json.RawMessage{
		"child": json.RawMessage(`"not-a-list"`), "producedDate": json.RawMessage(`"31 July 2020"`),
		"productGroupId": json.RawMessage(`"three"`),
	}, b.Extra, "values the fields could not take are not lost")
	assert.Nil(t, res[2].Info.Extra, "null child is an absent list")
	assert.Nil(t, res[2].Info.Children)

	mt.RegisterResponder(http.MethodPost, base+"cises/list", httpmock.NewStringResponder(200,
		`[{"cis":"a","status":"APPLIED","gtin":"00000046210654","packageType":"UNIT","markingType":"KZ"}]`))
	list, err := c.CisesList(ctx, []string{"a"})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, map[string]json.RawMessage{"markingType": json.RawMessage(`"KZ"`)}, list[0].Extra)
}
