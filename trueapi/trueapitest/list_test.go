package trueapitest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listPage is a decoded listV2 answer.
type listPage struct {
	Results []map[string]any `json:"results"`
	Total   int              `json:"total"`
}

// expected returns the codes of the data set the owner sees that pass
// pred, in the listV2 order.
func expected(s *Server, desc bool, pred func(Code) bool) []string {
	var cs []Code
	for _, c := range s.OwnCodes() {
		if pred(c) {
			cs = append(cs, c)
		}
	}
	slices.SortFunc(cs, func(a, b Code) int {
		o := compareKeys(listKey{a.Emitted, a.Cis}, listKey{b.Emitted, b.Cis})
		if desc {
			return -o
		}
		return o
	})
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Cis
	}
	return out
}

// walk reads every page of a listV2 route in direction dir, starting from
// the first page, and returns the codes in the order read.
func walk(t *testing.T, a *api, route string, limit int, kv ...string) (cis []string, total int) {
	t.Helper()
	var cursor []string
	for range 10000 {
		q := append(append([]string{"limit", fmt.Sprint(limit)}, kv...), cursor...)
		got := a.get(route, q...)
		require.Equal(t, http.StatusOK, got.status, got.body)
		p := decode[listPage](t, got)
		require.LessOrEqual(t, len(p.Results), limit)
		total = p.Total
		for _, r := range p.Results {
			cis = append(cis, r["cis"].(string))
		}
		if len(p.Results) < limit {
			return cis, total
		}
		last := p.Results[len(p.Results)-1]
		cursor = []string{"pageDir", "NEXT", "uit", last["cis"].(string), "orderedColumnValue", last["emissionDate"].(string)}
	}
	t.Fatal("too many pages")
	return nil, 0
}

func TestListV2KeysetNext(t *testing.T) {
	s := start(t, Config{Codes: 200, Seed: 7})
	a := newAPI(t, s)
	tobacco := firstOwn(t, s, func(c Code) bool { return c.ProductGroup == "tobacco" && c.PackageType == PackageUnit })

	for _, tc := range []struct {
		name  string
		route string
		desc  bool
		kv    []string
		pred  func(Code) bool
	}{
		{"all ascending", "cises/listV2", false, nil, func(Code) bool { return true }},
		{"all descending", "products/listV2", true, []string{"order", "DESC", "orderColumn", "emd"}, func(Code) bool { return true }},
		{"introduced units of one GTIN", "cises/listV2", false, []string{"gtin", tobacco.GTIN, "cisStatus", StatusIntroduced, "cisPackageType", "UNIT"},
			func(c Code) bool {
				return c.GTIN == tobacco.GTIN && c.Status == StatusIntroduced && c.PackageType == PackageUnit
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := expected(s, tc.desc, tc.pred)
			require.NotEmpty(t, want)
			got, total := walk(t, a, tc.route, 7, tc.kv...)
			assert.Equal(t, len(want), total)
			assert.Equal(t, want, got, "every record once, in order")
		})
	}

	// The data set has long runs of equal emission dates, so the code
	// tie-breaker decides many page borders.
	own := s.OwnCodes()
	dates := map[time.Time]int{}
	for _, c := range own {
		dates[c.Emitted]++
	}
	assert.Greater(t, slices.Max(slices.Collect(maps.Values(dates))), 14, "runs longer than two pages of 7")
}

func TestListV2KeysetPrev(t *testing.T) {
	s := start(t, Config{Codes: 300, Seed: 3})
	a := newAPI(t, s)
	want := expected(s, false, func(Code) bool { return true })
	last, ok := s.Lookup(want[len(want)-1])
	require.True(t, ok)
	// Walk back from the last record with PREV pages of 9.
	var got []string
	uit, value := last.Cis, last.Emitted.Format(layoutMillis)
	for {
		resp := a.get("cises/listV2", "limit", "9", "pageDir", "PREV", "uit", uit, "orderedColumnValue", value)
		require.Equal(t, http.StatusOK, resp.status, resp.body)
		p := decode[listPage](t, resp)
		assert.Equal(t, len(want), p.Total)
		if len(p.Results) == 0 {
			break
		}
		var page []string
		for _, r := range p.Results {
			page = append(page, r["cis"].(string))
		}
		got = append(page, got...)
		first := p.Results[0]
		uit, value = first["cis"].(string), first["emissionDate"].(string)
	}
	assert.Equal(t, want[:len(want)-1], got, "all records before the last one, each once")

	// A cursor in the middle: NEXT then PREV come back to the same page.
	mid, _ := s.Lookup(want[100])
	next := decode[listPage](t, a.get("cises/listV2", "limit", "5", "uit", mid.Cis, "orderedColumnValue", mid.Emitted.Format(layoutMillis)))
	require.Len(t, next.Results, 5)
	assert.Equal(t, want[101], next.Results[0]["cis"])
	prev := decode[listPage](t, a.get("cises/listV2", "limit", "5", "pageDir", "PREV", "uit", mid.Cis, "orderedColumnValue", mid.Emitted.Format(layoutMillis)))
	require.Len(t, prev.Results, 5)
	assert.Equal(t, want[95], prev.Results[0]["cis"])
	assert.Equal(t, want[99], prev.Results[4]["cis"])
}

func TestListV2Items(t *testing.T) {
	s := start(t, Config{Codes: 400})
	a := newAPI(t, s)
	block := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageLevel1 && c.ProductGroup == "tobacco" })

	p := decode[listPage](t, a.get("cises/listV2", "cis", canonical(block.Cis)))
	require.Equal(t, 1, p.Total)
	require.Len(t, p.Results, 1)
	it := p.Results[0]
	assert.Equal(t, block.Cis, it["cis"])
	assert.Equal(t, float64(10), it["countChildren"])
	assert.Equal(t, block.Emitted.Format(layoutMillis), it["emissionDate"])
	assert.Equal(t, block.Serial, it["sgtin"])
	assert.Equal(t, "2402", it["tnvedGroup"])
	assert.Equal(t, "2402209000", it["tnVedCode10"])
	assert.Equal(t, DefaultOwner, it["ownerBin"])
	assert.Equal(t, DefaultOwner, it["producerBin"])
	assert.Equal(t, block.Status, it["statusEx"])
	assert.Equal(t, "LOCAL", it["emissionType"])
	assert.Equal(t, block.LastDocID, it["lastDocId"])
	assert.Equal(t, "KZ", it["producerCountry"])
	assert.Equal(t, "20", it["quantityInPack"], "a string")
	assert.Equal(t, "блок", it["packageName"])
	assert.Equal(t, "Сигареты с фильтром", it["tobaccoType"])
	for _, k := range []string{"gtin", "ownerName", "producerName", "productName", "status", "producedDate", "name", "brand", "packMaterial"} {
		assert.Contains(t, it, k)
	}

	p = decode[listPage](t, a.get("products/listV2", "sn", block.Serial))
	require.Len(t, p.Results, 1)
	it = p.Results[0]
	assert.Equal(t, DefaultOwner, it["ownerInn"])
	assert.Equal(t, DefaultOwner, it["producerInn"])
	assert.NotContains(t, it, "ownerBin")
	for _, k := range []string{"cis", "emissionDate", "emissionType", "gtin", "lastDocId", "ownerName", "producerName", "producedDate", "productName", "sgtin", "status", "statusEx", "tnVedCode10", "tnvedGroup", "name", "brand", "quantityInPack"} {
		assert.Contains(t, it, k)
	}

	// Default limits: 10 and 49.
	assert.Len(t, decode[listPage](t, a.get("cises/listV2")).Results, 10)
	assert.Len(t, decode[listPage](t, a.get("products/listV2")).Results, 49)

	// Filters.
	imported := firstOwn(t, s, func(c Code) bool { return c.EmissionType == EmissionForeign })
	for _, tc := range []struct {
		kv   []string
		pred func(Code) bool
	}{
		{[]string{"emissionType", "FOREIGN"}, func(c Code) bool { return c.EmissionType == EmissionForeign }},
		{[]string{"tnVed10", "0401201100"}, func(c Code) bool { return c.TNVED == "0401201100" }},
		{[]string{"producerInn", DefaultOwner, "ownerInn", OtherOwner1}, func(c Code) bool { return c.Owner == OtherOwner1 }},
		{[]string{"cisPackageType", "LEVEL2"}, func(c Code) bool { return c.PackageType == PackageLevel2 }},
		{[]string{"emissionDateFrom", imported.Emitted.Format(layoutMillis), "emissionDateTo", imported.Emitted.Format(time.RFC3339)},
			func(c Code) bool { return c.Emitted.Equal(imported.Emitted) }},
	} {
		want := expected(s, false, tc.pred)
		require.NotEmpty(t, want, tc.kv)
		got, total := walk(t, a, "cises/listV2", 10000, tc.kv...)
		assert.Equal(t, want, got, tc.kv)
		assert.Equal(t, len(want), total, tc.kv)
	}
	// Only the participant's codes are listed.
	p = decode[listPage](t, a.get("cises/listV2", "ownerInn", OtherOwner2))
	assert.Zero(t, p.Total)
	assert.NotNil(t, p.Results)

	for _, tc := range []struct {
		kv  []string
		msg string
	}{
		{[]string{"limit", "10001"}, "Лимит превышен, запросите не более 10000 записей. Получено значение 10001"},
		{[]string{"limit", "0"}, "Параметр limit должен быть не меньше 1"},
		{[]string{"limit", "ten"}, "Параметр limit требует значение типа Integer"},
		{[]string{"orderColumn", "cis"}, "Сортировка по полю cis не поддерживается, допустимое значение: emd"},
		{[]string{"order", "UP"}, "Параметр order требует значение типа Order (ASC, DESC)"},
		{[]string{"pageDir", "BACK"}, "Параметр pageDir требует значение типа PageDir (NEXT, PREV)"},
		{[]string{"uit", block.Cis}, "Параметры uit и orderedColumnValue передаются только вместе"},
		{[]string{"orderedColumnValue", "2024-01-01T00:00:00.000Z"}, "Параметры uit и orderedColumnValue передаются только вместе"},
		{[]string{"uit", block.Cis, "orderedColumnValue", "yesterday"}, "Параметр orderedColumnValue требует значение типа DateTime"},
		{[]string{"emissionDateFrom", "01.01.2024"}, "Параметр emissionDateFrom требует значение типа DateTime"},
		{[]string{"emissionDateTo", "soon"}, "Параметр emissionDateTo требует значение типа DateTime"},
		{[]string{"emissionType", "IMPORT"}, "Параметр emissionType требует значение типа EmissionType (LOCAL, FOREIGN)"},
		{[]string{"cisPackageType", "CRATE"}, "Параметр cisPackageType требует значение типа PackageType"},
	} {
		for _, route := range []string{"cises/listV2", "products/listV2"} {
			got := a.get(route, tc.kv...)
			assert.Equal(t, http.StatusBadRequest, got.status, tc.kv)
			assert.True(t, strings.HasPrefix(errMsg(t, got), tc.msg), "%v: %s", tc.kv, got.body)
		}
	}
	// A date without a time is accepted.
	assert.Equal(t, http.StatusOK, a.get("cises/listV2", "emissionDateFrom", "2025-01-01").status)
}
