package trueapitest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cisInfo is the decoded cisInfo object of K-5.
type cisInfo struct {
	RequestedCis   string   `json:"requestedCis"`
	Cis            string   `json:"cis"`
	GTIN           string   `json:"gtin"`
	ProductGroupID int      `json:"productGroupId"`
	ProductGroup   string   `json:"productGroup"`
	ProductName    string   `json:"productName"`
	Brand          string   `json:"brand"`
	ProducedDate   string   `json:"producedDate"`
	PackageType    string   `json:"packageType"`
	OwnerBin       string   `json:"ownerBin"`
	OwnerName      string   `json:"ownerName"`
	Status         string   `json:"status"`
	Child          []string `json:"child"`
	Parent         string   `json:"parent"`
	ProducerBin    string   `json:"producerBin"`
	ProducerName   string   `json:"producerName"`
	ExporterName   string   `json:"exporterName"`
}

func TestCisesInfo(t *testing.T) {
	s := start(t, Config{Codes: 300, MaxCodesPerRequest: 5})
	a := newAPI(t, s)
	block := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageLevel1 && c.ProductGroup == "tobacco" })
	unit := firstOwn(t, s, func(c Code) bool { return c.ProductGroup == "milk" && c.PackageType == PackageUnit })
	imported := firstOwn(t, s, func(c Code) bool { return c.EmissionType == EmissionForeign })
	foreign := s.ForeignCodes()[0]
	plainBlock := canonical(block.Cis) + "\x1d93dGVz"
	body := jsonOf(t, []string{unit.Cis, foreign.Cis, "0104870000000000210unknown", plainBlock, imported.Cis})

	got := a.post("cises/info", body)
	require.Equal(t, http.StatusOK, got.status, got.body)
	infos := decode[[]struct{ CisInfo cisInfo }](t, got)
	require.Len(t, infos, 3, "foreign and unknown codes are left out")
	u, b, imp := infos[0].CisInfo, infos[1].CisInfo, infos[2].CisInfo
	assert.Equal(t, unit.Cis, u.RequestedCis)
	assert.Equal(t, unit.Cis, u.Cis)
	assert.Equal(t, unit.GTIN, u.GTIN)
	assert.Equal(t, 8, u.ProductGroupID)
	assert.Equal(t, "milk", u.ProductGroup)
	assert.Equal(t, unit.ProductName, u.ProductName)
	assert.Equal(t, unit.Brand, u.Brand)
	assert.Equal(t, unit.Produced.Format(layoutMillis), u.ProducedDate)
	assert.Equal(t, DefaultOwner, u.OwnerBin)
	assert.Equal(t, DefaultOwnerName, u.OwnerName)
	assert.Equal(t, DefaultOwner, u.ProducerBin)
	assert.Equal(t, unit.Status, u.Status)
	assert.Equal(t, canonical(block.Cis), b.RequestedCis, "the crypto tail is cut off")
	assert.Equal(t, block.Cis, b.Cis, "answered in the emitted form")
	assert.Equal(t, 3, b.ProductGroupID)
	assert.Equal(t, block.Children, b.Child)
	assert.Equal(t, block.Parent, b.Parent)
	assert.Equal(t, "LEVEL1", b.PackageType)
	assert.NotEmpty(t, imp.ExporterName)
	assert.Contains(t, got.body, `"productGroupId":8`, "a number")
	assert.Contains(t, got.body, `"child":[]`, "an empty list, not null")

	// pg restricts the answer to the group.
	infos = decode[[]struct{ CisInfo cisInfo }](t, a.post("cises/info", body, "pg", "milk"))
	require.Len(t, infos, 1)
	assert.Equal(t, unit.Cis, infos[0].CisInfo.Cis)

	// Codes of other owners only: an empty array.
	got = a.post("cises/info", jsonOf(t, []string{foreign.Cis}))
	require.Equal(t, http.StatusOK, got.status)
	assert.Equal(t, "[]\n", got.body)

	// A producer that sold the code sees it without the owner's data.
	var sold Code
	for _, c := range s.OwnCodes() {
		if c.Owner == OtherOwner1 {
			sold = c
		}
	}
	require.NotEmpty(t, sold.Cis)
	infos = decode[[]struct{ CisInfo cisInfo }](t, a.post("cises/info", jsonOf(t, []string{sold.Cis})))
	require.Len(t, infos, 1)
	assert.Empty(t, infos[0].CisInfo.OwnerBin)
	assert.Empty(t, infos[0].CisInfo.OwnerName)
	assert.Equal(t, DefaultOwner, infos[0].CisInfo.ProducerBin)

	for body, msg := range map[string]string{
		`{"codes":["x"]}`:           "JSON parse error: Cannot deserialize instance of `java.util.ArrayList` out of START_OBJECT token",
		`"x"`:                       "out of VALUE_STRING token",
		`12`:                        "out of VALUE_NUMBER_INT token",
		`1.5`:                       "out of VALUE_NUMBER_FLOAT token",
		`true`:                      "out of VALUE_TRUE token",
		`false`:                     "out of VALUE_FALSE token",
		`null`:                      "out of VALUE_NULL token",
		`[{"a":1}]`:                 "Cannot deserialize instance of `java.lang.String` out of START_OBJECT token",
		`[]`:                        msgNoCodes,
		`[null]`:                    msgNoCodes,
		`["1","2","3","4","5","6"]`: "превышает допустимое: 5",
		`[`:                         "JSON parse error",
	} {
		got := a.post("cises/info", body)
		assert.Equal(t, http.StatusBadRequest, got.status, body)
		assert.Contains(t, errMsg(t, got), msg, body)
	}
	assert.Equal(t, http.StatusBadRequest, a.post("cises/info", `["1"]`, "pg", "shoe").status)
	missing := a.send(req{method: http.MethodPost, route: "cises/info"})
	assert.Equal(t, "Required request body is missing", errMsg(t, missing))
	numbers := a.post("cises/info", `[12345]`)
	assert.Equal(t, "[]\n", numbers.body, "numbers are taken as text")
	assert.Equal(t, 5+5+1+1+1, s.Stats().CodesQueried)
}

func TestUnitsCount(t *testing.T) {
	s := start(t, Config{Codes: 300})
	a := newAPI(t, s)
	box := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageLevel2 })
	block, _ := s.Lookup(box.Children[0])
	loose := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageUnit && c.Parent == "" })
	pack, _ := s.Lookup(block.Children[0])
	got := a.post("cis/cises-units-count", jsonOf(t, []string{box.Cis, canonical(block.Cis), loose.Cis, s.ForeignCodes()[0].Cis}))
	require.Equal(t, http.StatusOK, got.status, got.body)
	counts := decode[struct {
		CisesCounts map[string]int `json:"cisesCounts"`
		GtinsCounts map[string]int `json:"gtinsCounts"`
	}](t, got)
	assert.Equal(t, map[string]int{box.Cis: 50, canonical(block.Cis): 10, loose.Cis: 1}, counts.CisesCounts)
	want := map[string]int{pack.GTIN: 60}
	want[loose.GTIN]++
	assert.Equal(t, want, counts.GtinsCounts)
	assert.Equal(t, http.StatusBadRequest, a.post("cis/cises-units-count", `{}`).status)
	assert.Equal(t, msgNoCodes, errMsg(t, a.post("cis/cises-units-count", `[]`)))
}

func TestAggregated(t *testing.T) {
	s := start(t, Config{Codes: 400})
	a := newAPI(t, s)
	box := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageLevel2 && c.ProductGroup == "tobacco" })
	milkBox := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageLevel1 && c.ProductGroup == "milk" })
	require.Len(t, milkBox.Children, 12)
	block, _ := s.Lookup(box.Children[0])
	type tree = map[string]map[string][]string

	// POST: the requested form is kept; tobacco ignores the paging.
	got := a.post("cises/aggregated/list", jsonOf(t, []string{canonical(block.Cis), box.Cis, s.ForeignCodes()[0].Cis}), "pg", "tobacco", "childrenLimit", "1")
	require.Equal(t, http.StatusOK, got.status, got.body)
	tr := decode[tree](t, got)
	require.Len(t, tr, 2)
	require.Len(t, tr[box.Cis], 5)
	assert.Equal(t, block.Children, tr[box.Cis][block.Cis])
	require.Len(t, tr[canonical(block.Cis)], 10)
	for _, grand := range tr[canonical(block.Cis)] {
		assert.Empty(t, grand)
	}
	assert.Contains(t, got.body, `[]`, "a unit has an empty list")

	// GET: codes repeat, the emitted form is answered, a unit maps to {}.
	loose := firstOwn(t, s, func(c Code) bool {
		return c.PackageType == PackageUnit && c.Parent == "" && c.ProductGroup == "tobacco"
	})
	got = a.send(req{route: "cises/aggregated/list", query: url.Values{"codes": {canonical(block.Cis), loose.Cis}}})
	require.Equal(t, http.StatusOK, got.status, got.body)
	tr = decode[tree](t, got)
	assert.Len(t, tr[block.Cis], 10)
	assert.NotNil(t, tr[loose.Cis])
	assert.Empty(t, tr[loose.Cis])

	// Other groups page their children.
	var all []string
	for p := 1; ; p++ {
		got = a.send(req{route: "cises/aggregated/list", query: url.Values{"codes": {milkBox.Cis}, "childrenLimit": {"5"}, "childrenPage": {fmt.Sprint(p)}}})
		require.Equal(t, http.StatusOK, got.status, got.body)
		layer := decode[tree](t, got)[milkBox.Cis]
		for k := range layer {
			all = append(all, k)
		}
		if len(layer) < 5 {
			break
		}
	}
	assert.ElementsMatch(t, milkBox.Children, all)
	got = a.post("cises/aggregated/list", jsonOf(t, []string{milkBox.Cis}), "pg", "milk")
	assert.Len(t, decode[tree](t, got)[milkBox.Cis], 12, "default limit 50")

	// A comma is part of a code, never a separator.
	var comma Code
	for _, c := range s.OwnCodes() {
		if strings.Contains(c.Cis, ",") {
			comma = c
			break
		}
	}
	require.NotEmpty(t, comma.Cis)
	got = a.send(req{route: "cises/aggregated/list", query: url.Values{"codes": {comma.Cis}}})
	require.Equal(t, http.StatusOK, got.status, got.body)
	assert.Contains(t, decode[tree](t, got), comma.Cis)

	// Errors.
	for _, c := range []struct {
		r      req
		status int
		msg    string
	}{
		{req{method: http.MethodPost, route: "cises/aggregated/list", body: `["x"]`}, 400, "Отсутствует обязательный параметр: pg"},
		{req{method: http.MethodPost, route: "cises/aggregated/list", body: `["x"]`, query: pairs("pg", "tobaco")}, 400, "Could not determine product group by name 'tobaco'"},
		{req{method: http.MethodPost, route: "cises/aggregated/list", body: `[]`, query: pairs("pg", "tobacco")}, 400, msgNoCodes},
		{req{method: http.MethodPost, route: "cises/aggregated/list", body: jsonOf(t, []string{box.Cis}), query: pairs("pg", "milk")}, 404, "KM не найдены"},
		{req{method: http.MethodPost, route: "cises/aggregated/list", body: jsonOf(t, []string{s.ForeignCodes()[0].Cis}), query: pairs("pg", "tobacco")}, 404, "KM не найдены"},
		{req{route: "cises/aggregated/list"}, 400, "Отсутствует обязательный параметр: codes"},
		{req{route: "cises/aggregated/list", query: pairs("codes", "nothing")}, 404, "КМ не найдены"},
		{req{route: "cises/aggregated/list", query: pairs("codes", box.Cis, "childrenPage", "0")}, 400, "Параметр childrenPage должен быть не меньше 1"},
		{req{route: "cises/aggregated/list", query: pairs("codes", box.Cis, "childrenLimit", "x")}, 400, "Параметр childrenLimit требует значение типа Integer"},
		{req{route: "cises/aggregated/list", query: pairs("codes", box.Cis, "pg", "x")}, 400, "Could not determine product group by name 'x'"},
	} {
		got := a.send(c.r)
		assert.Equal(t, c.status, got.status, c.r)
		assert.Equal(t, c.msg, errMsg(t, got), c.r)
	}
	tooMany := url.Values{}
	for i := range DefaultMaxCodesPerRequest + 1 {
		tooMany.Add("codes", fmt.Sprint(i))
	}
	assert.Equal(t, http.StatusBadRequest, a.send(req{route: "cises/aggregated/list", query: tooMany}).status)
}

func TestCisesList(t *testing.T) {
	s := start(t, Config{Codes: 200})
	a := newAPI(t, s)
	block := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageLevel1 && c.ProductGroup == "tobacco" })
	unit := firstOwn(t, s, func(c Code) bool { return c.ProductGroup == "alcohol" && c.PackageType == PackageUnit })
	q := url.Values{"values": {unit.Cis, s.ForeignCodes()[0].Cis, block.Cis + "\x1d91abc"}}
	for _, body := range []string{"", "ignored"} {
		got := a.send(req{method: http.MethodPost, route: "cises/list", query: q, body: body})
		require.Equal(t, http.StatusOK, got.status, got.body)
		items := decode[[]map[string]any](t, got)
		require.Len(t, items, 2)
		u, b := items[0], items[1]
		assert.Equal(t, unit.Cis, u["requestedCis"])
		assert.Equal(t, unit.Cis, u["cis"])
		assert.Equal(t, "11", u["productGroupId"], "a string since 2.10")
		assert.Equal(t, "alcohol", u["productGroup"])
		assert.Equal(t, unit.Produced.Format(layoutSeconds), u["producedDate"], "no milliseconds")
		assert.Equal(t, DefaultOwner, u["ownerBin"])
		assert.Equal(t, []any{}, u["child"])
		assert.Equal(t, block.Cis, b["requestedCis"])
		assert.Len(t, b["child"], 10)
		assert.Equal(t, "3", b["productGroupId"])
	}
	got := a.post("cises/list", "")
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Equal(t, "Отсутствует обязательный параметр: values", errMsg(t, got))
	got = a.send(req{method: http.MethodPost, route: "cises/list", query: pairs("values", s.ForeignCodes()[0].Cis)})
	assert.Equal(t, "[]\n", got.body)
}

func TestHistory(t *testing.T) {
	s := start(t, Config{Codes: 400})
	a := newAPI(t, s)
	// Every special character travels percent-encoded in the query.
	for _, ch := range specialChars {
		c := firstOwn(t, s, func(c Code) bool {
			return strings.ContainsRune(c.Serial, ch) && c.Status != StatusApplied
		})
		got := a.get("cises/history", "code", c.Cis)
		require.Equal(t, http.StatusOK, got.status, "%q: %s", c.Cis, got.body)
		recs := decode[[]map[string]any](t, got)
		require.GreaterOrEqual(t, len(recs), 3, c.Cis)
		require.LessOrEqual(t, len(recs), 4, c.Cis)
		assert.Equal(t, StatusEmitted, recs[0]["status"])
		assert.Equal(t, StatusApplied, recs[1]["status"])
		assert.Equal(t, c.Status, recs[len(recs)-1]["status"])
		assert.Equal(t, c.LastDocID, recs[len(recs)-1]["docId"])
		prev := ""
		for _, r := range recs {
			assert.Equal(t, c.Cis, r["cis"])
			assert.Equal(t, c.GTIN, r["gtin"])
			assert.Equal(t, c.Emitted.Format(layoutMillis), r["emissionDate"])
			assert.Equal(t, r["timestamp"], r["operationDate"])
			ts := r["timestamp"].(string)
			assert.GreaterOrEqual(t, ts, prev, "oldest first")
			prev = ts
			for _, k := range []string{"productName", "producedDate", "packageType", "ownerBin", "ownerName", "child", "producerBin", "producerName", "docId"} {
				assert.Contains(t, r, k)
			}
		}
	}
	applied := firstOwn(t, s, func(c Code) bool { return c.Status == StatusApplied })
	assert.Len(t, decode[[]any](t, a.get("cises/history", "code", applied.Cis)), 2)

	// The raw query must be percent-encoded: a bare "+" is a space.
	plus := firstOwn(t, s, func(c Code) bool { return strings.Contains(c.Cis, "+") })
	raw := a.send(req{route: "cises/history?code=" + strings.ReplaceAll(url.QueryEscape(plus.Cis), "%2B", "+")})
	assert.Equal(t, http.StatusNotFound, raw.status)

	got := a.get("cises/history")
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Equal(t, msgBadCode, errMsg(t, got))
	assert.Equal(t, msgBadCode, errMsg(t, a.get("cises/history", "code", "garbage")))
	got = a.get("cises/history", "code", "0104870000000000210unknown")
	assert.Equal(t, http.StatusNotFound, got.status)
	assert.Equal(t, "КМ не найдены", errMsg(t, got))
	got = a.get("cises/history", "code", s.ForeignCodes()[0].Cis)
	assert.Equal(t, http.StatusOK, got.status)
	assert.Equal(t, "[]\n", got.body)

	// A code added with only an emission event has one record.
	s.AddCode(Code{Cis: "0104870000000017210000001", GTIN: "04870000000017", PackageType: PackageUnit, ProductGroup: "milk",
		Status: StatusEmitted, Owner: DefaultOwner, Emitted: time.Date(2025, 1, 2, 3, 0, 0, 0, time.UTC), LastDocID: "doc-1"})
	recs := decode[[]map[string]any](t, a.get("cises/history", "code", "0104870000000017210000001"))
	require.Len(t, recs, 1)
	assert.Equal(t, "doc-1", recs[0]["docId"])
}
