package trueapitest

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

// bubbleAPI is a caller that serves s in-process, for a synctest bubble;
// its token is issued inside the bubble.
func bubbleAPI(t *testing.T, s *Server) *api {
	return &api{t: t, hc: &http.Client{Transport: &fakekit.HandlerTransport{Handler: s.Handler()}}, base: "http://trueapi.test" + APIPath, token: s.IssueToken("")}
}

// unzip returns the only file of a ZIP and its name.
func unzip(t testing.TB, body string) (name string, content []byte) {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	f, err := zr.File[0].Open()
	require.NoError(t, err)
	defer f.Close()
	content, err = io.ReadAll(f)
	require.NoError(t, err)
	return zr.File[0].Name, content
}

// record is a K-3 result record.
type record struct {
	RequestedCis string   `json:"requestedCis"`
	Cis          string   `json:"cis"`
	Code         string   `json:"code"`
	Status       string   `json:"status"`
	GTIN         string   `json:"gtin"`
	ProducedDate string   `json:"producedDate"`
	PackageType  string   `json:"packageType"`
	Child        []string `json:"child"`
	Parent       string   `json:"parent"`
}

func TestOrderTimeline(t *testing.T) {
	s := start(t, Config{Codes: 300, OrderDelay: 10 * time.Second, ResultTTL: time.Hour})
	synctest.Test(t, func(t *testing.T) {
		a := bubbleAPI(t, s)
		block := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageLevel1 && c.ProductGroup == "tobacco" })
		got := a.post("cises/my", jsonOf(t, map[string]string{"gtin": block.GTIN, "packageType": "LEVEL1"}))
		require.Equal(t, http.StatusOK, got.status, got.body)
		id := decode[map[string]string](t, got)["uuid"]
		require.NotEmpty(t, id)

		status := func() string {
			t.Helper()
			got := a.get("cises/orders/" + id + "/status")
			require.Equal(t, http.StatusOK, got.status, got.body)
			var st string
			require.NoError(t, json.Unmarshal([]byte(got.body), &st), "a bare JSON string")
			return st
		}
		result := func() answer {
			t.Helper()
			return a.send(req{route: "cises/orders/" + id + "/result", header: http.Header{"Accept": {"*/*"}}})
		}
		assert.Equal(t, OrderNew, status())
		early := result()
		assert.Equal(t, http.StatusBadRequest, early.status)
		assert.Equal(t, "Заказ с идентификатором "+id+" находится в статусе NEW", errMsg(t, early))
		time.Sleep(5 * time.Second)
		assert.Equal(t, OrderInProgress, status())
		assert.Equal(t, http.StatusBadRequest, result().status)
		time.Sleep(5*time.Second - time.Millisecond)
		assert.Equal(t, OrderInProgress, status())
		time.Sleep(time.Millisecond)
		assert.Equal(t, OrderSuccess, status())

		zipped := result()
		require.Equal(t, http.StatusOK, zipped.status, zipped.body)
		assert.Equal(t, "application/zip", zipped.header.Get("Content-Type"))
		assert.Equal(t, `attachment; filename="`+id+`.zip"`, zipped.header.Get("Content-Disposition"))
		name, content := unzip(t, zipped.body)
		assert.Equal(t, id+".json", name)
		var recs []record
		require.NoError(t, json.Unmarshal(content, &recs))
		var want []string
		for _, c := range s.OwnCodes() {
			if c.GTIN == block.GTIN && c.PackageType == PackageLevel1 {
				want = append(want, c.Cis)
			}
		}
		slices.Sort(want)
		var gotCis []string
		for _, r := range recs {
			gotCis = append(gotCis, r.Cis)
			assert.Equal(t, PackageLevel1, r.PackageType)
			assert.Len(t, r.Child, 10)
			assert.Equal(t, block.GTIN, r.GTIN)
			assert.NotEmpty(t, r.Status)
			_, err := time.Parse(layoutMillis, r.ProducedDate)
			assert.NoError(t, err)
		}
		assert.Equal(t, want, gotCis)
		assert.Contains(t, string(content), `"cis":"(01)`, "brackets kept, HTML not escaped")

		// Downloading again is allowed, until the result expires.
		assert.Equal(t, http.StatusOK, result().status)
		time.Sleep(time.Hour - time.Millisecond)
		assert.Equal(t, OrderSuccess, status())
		time.Sleep(time.Millisecond)
		assert.Equal(t, OrderResultExpired, status())
		gone := result()
		assert.Equal(t, http.StatusNotFound, gone.status)
		assert.Contains(t, errMsg(t, gone), id)

		assert.Equal(t, 2, s.Stats().ResultDownloads)
	})
}

func TestOrderFailures(t *testing.T) {
	s := start(t, Config{Codes: 100, OrderDelay: 2 * time.Second})
	synctest.Test(t, func(t *testing.T) {
		a := bubbleAPI(t, s)
		gtin := s.OwnCodes()[0].GTIN
		s.FailNextOrder("")
		s.FailNextOrder(OrderValidationFailed)
		var ids []string
		for range 3 {
			got := a.post("cises/my", jsonOf(t, map[string]string{"gtin": gtin}))
			require.Equal(t, http.StatusOK, got.status)
			ids = append(ids, decode[map[string]string](t, got)["uuid"])
		}
		time.Sleep(2 * time.Second)
		for i, want := range []string{OrderError, OrderValidationFailed, OrderSuccess} {
			got := a.get("cises/orders/" + ids[i] + "/status")
			assert.Equal(t, `"`+want+`"`+"\n", got.body)
		}
		failed := a.get("cises/orders/" + ids[0] + "/result")
		assert.Equal(t, http.StatusBadRequest, failed.status)
		assert.Contains(t, errMsg(t, failed), "ERROR")

		// Another participant does not see the order.
		a.token = s.IssueToken(OtherOwner1)
		for _, route := range []string{"/status", "/result"} {
			got := a.get("cises/orders/" + ids[2] + route)
			assert.Equal(t, http.StatusNotFound, got.status)
			assert.Equal(t, "Заказ с идентификатором "+ids[2]+" не найден", errMsg(t, got))
		}
		unknown := a.get("cises/orders/00000000-0000-0000-0000-000000000000/status")
		assert.Equal(t, http.StatusNotFound, unknown.status)
		assert.Equal(t, 3, s.Stats().Orders)
	})
}

func TestOrderCSVAndImmediate(t *testing.T) {
	s := start(t, Config{Codes: 200, OrderDelay: -1, OrderFormat: FormatCSV})
	a := newAPI(t, s)
	var unit Code
	for _, c := range s.OwnCodes() {
		if c.PackageType == PackageUnit && c.Parent != "" && strings.ContainsAny(c.Serial, `",`) {
			unit = c
			break
		}
	}
	require.NotEmpty(t, unit.Cis, "a packed unit whose serial needs CSV quoting")
	got := a.post("cises/my", jsonOf(t, map[string]string{"gtin": unit.GTIN[:10], "packageType": "UNIT", "producedDate": "2024-01-01T00:00:00.000Z"}))
	require.Equal(t, http.StatusOK, got.status)
	id := decode[map[string]string](t, got)["uuid"]
	assert.Equal(t, `"SUCCESS"`+"\n", a.get("cises/orders/"+id+"/status").body, "a negative OrderDelay succeeds at once")

	zipped := a.send(req{route: "cises/orders/" + id + "/result", header: http.Header{"Content-Type": {"application/json"}}})
	require.Equal(t, http.StatusOK, zipped.status)
	assert.Equal(t, 1, s.Stats().ResultContentType)
	name, content := unzip(t, zipped.body)
	assert.Equal(t, id+".csv", name)
	assert.Contains(t, string(content), "\r\n", "RFC 4180 line ends")
	rows, err := csv.NewReader(bytes.NewReader(content)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, resultColumns, rows[0])
	found := false
	for _, row := range rows[1:] {
		require.Len(t, row, len(resultColumns))
		assert.Equal(t, "UNIT", row[6])
		var child []string
		require.NoError(t, json.Unmarshal([]byte(row[7]), &child), row[7])
		assert.Empty(t, child)
		if row[1] == unit.Cis {
			found = true
			assert.Equal(t, unit.Parent, row[8])
			assert.Equal(t, unit.GTIN, row[4])
		}
	}
	assert.True(t, found)
}

func TestOrderSelection(t *testing.T) {
	s := start(t, Config{Codes: 300, OrderDelay: -1})
	a := newAPI(t, s)
	unit := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageUnit })
	cutoff := unit.Produced
	order := func(body string) []record {
		t.Helper()
		got := a.post("cises/my", body)
		require.Equal(t, http.StatusOK, got.status, got.body)
		id := decode[map[string]string](t, got)["uuid"]
		zipped := a.get("cises/orders/" + id + "/result")
		require.Equal(t, http.StatusOK, zipped.status)
		_, content := unzip(t, zipped.body)
		var recs []record
		require.NoError(t, json.Unmarshal(content, &recs))
		return recs
	}
	recs := order(jsonOf(t, map[string]string{"gtin": unit.GTIN, "producedDate": cutoff.Format(time.RFC3339)}))
	want := 0
	for _, c := range s.OwnCodes() {
		if c.GTIN == unit.GTIN && !c.Produced.Before(cutoff) {
			want++
		}
	}
	assert.Len(t, recs, want)
	for _, r := range recs {
		p, err := time.Parse(layoutMillis, r.ProducedDate)
		require.NoError(t, err)
		assert.False(t, p.Before(cutoff))
	}
	// A GTIN of another owner selects nothing.
	var theirs string
	for _, c := range s.ForeignCodes() {
		theirs = c.GTIN
	}
	assert.Empty(t, order(jsonOf(t, map[string]string{"gtin": theirs})))
	// A numeric gtin is taken as text, as Jackson does.
	assert.Empty(t, order(`{"gtin": 12}`))

	for body, msg := range map[string]string{
		`{}`:                                 msgNoGTIN,
		`{"gtin":""}`:                        msgNoGTIN,
		`{"gtin":null}`:                      msgNoGTIN,
		`[]`:                                 "Cannot deserialize instance of `java.util.LinkedHashMap` out of START_ARRAY token",
		`not json`:                           "JSON parse error",
		`{"gtin":"0"} {"gtin":"1"}`:          "JSON parse error",
		`{"gtin":{"a":1}}`:                   "Параметр gtin требует значение типа String",
		`{"gtin":"0","packageType":"CRATE"}`: "Параметр packageType",
		`{"gtin":"0","producedDate":"yesterday"}`: "Параметр producedDate требует значение типа DateTime",
	} {
		got := a.post("cises/my", body)
		assert.Equal(t, http.StatusBadRequest, got.status, body)
		assert.Contains(t, errMsg(t, got), msg, body)
	}
	empty := a.send(req{method: http.MethodPost, route: "cises/my"})
	assert.Equal(t, http.StatusBadRequest, empty.status)
	assert.Equal(t, "Required request body is missing", errMsg(t, empty))
}
