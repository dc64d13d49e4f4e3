package trueapitest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProductGTINs(t *testing.T) {
	s := start(t, Config{Codes: 300})
	a := newAPI(t, s)
	var want []string
	for _, g := range s.GTINs(DefaultOwner) {
		for _, c := range s.OwnCodes() {
			if c.GTIN == g && c.ProductGroup == "tobacco" {
				want = append(want, g)
				break
			}
		}
	}
	require.Greater(t, len(want), 2)
	var got []string
	for page := 0; ; page++ {
		resp := a.get("product/gtin", "pg", "tobacco", "limit", "2", "page", fmt.Sprint(page))
		require.Equal(t, http.StatusOK, resp.status, resp.body)
		p := decode[struct {
			GTINs []string `json:"gtins"`
			Total int      `json:"total"`
		}](t, resp)
		assert.Equal(t, len(want), p.Total)
		got = append(got, p.GTINs...)
		if (page+1)*2 >= p.Total {
			break
		}
	}
	assert.Equal(t, want, got)
	assert.Equal(t, `{"gtins":[],"total":0}`+"\n", a.get("product/gtin", "pg", "shoes").body)
	assert.Equal(t, `{"gtins":[],"total":0}`+"\n", a.get("product/gtin", "pg", "pharma", "page", "99999999999").body)
	assert.Len(t, decode[struct{ GTINs []string }](t, a.get("product/gtin", "pg", "tobacco")).GTINs, len(want), "limit 10 by default")

	for _, tc := range []struct {
		kv  []string
		msg string
	}{
		{nil, "Отсутствует обязательный параметр: pg"},
		{[]string{"pg", "shoe"}, "Could not determine product group by name 'shoe'"},
		{[]string{"pg", "milk", "page", "-1"}, "Параметр page должен быть не меньше 0"},
		{[]string{"pg", "milk", "limit", "20000"}, "Лимит превышен"},
	} {
		got := a.get("product/gtin", tc.kv...)
		assert.Equal(t, http.StatusBadRequest, got.status)
		assert.Contains(t, errMsg(t, got), tc.msg)
	}
}

func TestProductInfo(t *testing.T) {
	s := start(t, Config{Codes: 400})
	a := newAPI(t, s)
	box := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageLevel2 })
	block, _ := s.Lookup(box.Children[0])
	pack, _ := s.Lookup(block.Children[0])
	for _, tc := range []struct {
		code  Code
		cis   string
		pkg   string
		units float64
	}{
		{pack, pack.Cis, "trade-unit", 1},
		{block, block.Cis, "inner-pack", 10},
		{block, canonical(block.Cis), "inner-pack", 10},
		{box, box.Cis, "box", 50},
	} {
		got := a.get("products/info", "cis", tc.cis)
		require.Equal(t, http.StatusOK, got.status, got.body)
		card := decode[map[string]any](t, got)
		assert.Equal(t, float64(productID(tc.code.GTIN)), card["id"])
		assert.Equal(t, tc.code.GTIN, card["gtin"])
		assert.Equal(t, tc.code.ProductName, card["name"])
		assert.Equal(t, tc.pkg, card["packageType"])
		assert.Equal(t, tc.units, card["innerUnitCount"])
		attrs, ok := card["specificAttributes"].(map[string]any)
		require.True(t, ok, "an object")
		assert.Equal(t, "20", attrs["quantityInPack"])
	}
	for _, tc := range []struct {
		cis    string
		status int
		msg    string
	}{
		{"", 400, msgBadCode},
		{"(01)1234", 400, msgBadCode},
		{"0104870000000000210unknown", 404, "Продукт не найден"},
		{s.ForeignCodes()[0].Cis, 404, "Продукт не найден"},
	} {
		got := a.get("products/info", "cis", tc.cis)
		assert.Equal(t, tc.status, got.status, tc.cis)
		assert.Equal(t, tc.msg, errMsg(t, got), tc.cis)
	}
	assert.Equal(t, "pallet", productPackage("LEVEL3"))
	assert.Equal(t, "trade-unit", productPackage("BUNDLE"))
}

func TestProductRoute(t *testing.T) {
	s := start(t, Config{Codes: 300})
	a := newAPI(t, s)
	milk := firstOwn(t, s, func(c Code) bool { return c.ProductGroup == "milk" })
	tobacco := firstOwn(t, s, func(c Code) bool { return c.ProductGroup == "tobacco" })
	theirs := s.ForeignCodes()[0].GTIN
	got := a.post("product/route/gtin", jsonOf(t, map[string][]string{"data": {milk.GTIN, theirs, "000000432183564", tobacco.GTIN}}))
	require.Equal(t, http.StatusOK, got.status, got.body)
	assert.JSONEq(t, jsonOf(t, []map[string]string{
		{"data": milk.GTIN, "tg-id": "8", "tg-name": "milk"},
		{"data": theirs, "error-code": "401", "error-msg": "Нет доступа к товару"},
		{"data": "000000432183564", "error-code": "404", "error-msg": "Not found"},
		{"data": tobacco.GTIN, "tg-id": "3", "tg-name": "tobacco"},
	}), got.body)

	for _, tc := range []struct {
		body   string
		status int
		msg    string
	}{
		{`{"data":["000000432183564"]}`, 404, "Not Found"},
		{jsonOf(t, map[string][]string{"data": {theirs}}), 404, "Not Found"},
		{`{"data":"00000046210654"}`, 400, "JSON parse error: Cannot deserialize instance of `java.util.ArrayList` out of VALUE_STRING token"},
		{`["00000046210654"]`, 400, "JSON parse error: Cannot deserialize instance of `java.util.LinkedHashMap` out of START_ARRAY token"},
		{`{}`, 400, "Отсутствует обязательный параметр: data"},
		{`{"data":[]}`, 400, "Отсутствует обязательный параметр: data"},
		{`{"data":`, 400, "JSON parse error"},
	} {
		got := a.post("product/route/gtin", tc.body)
		assert.Equal(t, tc.status, got.status, tc.body)
		assert.Contains(t, errMsg(t, got), tc.msg, tc.body)
	}
}
