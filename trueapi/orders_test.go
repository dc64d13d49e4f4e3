package trueapi

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const orderID = "d496647b-5976-40c5-8c93-aebe829c94df" // the documentation's example

func zipOf(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(files); i += 2 {
		w, err := zw.Create(files[i])
		require.NoError(t, err)
		_, err = io.WriteString(w, files[i+1])
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

const orderJSON = `[{"requestedCis":"r1","cis":"010460043993125621abc","status":"INTRODUCED","gtin":"04600439931256","producedDate":"2021-11-25T11:27:03.178Z","packageType":"UNIT","child":[],"parent":"p1","extraField":7},
{"cis":"010460043993125621a,b\"c","status":"APPLIED","gtin":"04600439931256","packageType":"LEVEL1","child":["x","y"]}]`

func TestOrderCisesRequestShape(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	mt.RegisterResponder(http.MethodPost, base+"cises/my", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		b, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `{"gtin":"00000046229175","packageType":"UNIT"}`, string(b), "the documentation's example body")
		return httpmock.NewStringResponse(200, `{"uuid":"`+orderID+`"}`), nil
	})
	id, err := c.OrderCises(context.Background(), CisesOrder{GTIN: "00000046229175", PackageType: PackageUnit})
	require.NoError(t, err)
	assert.Equal(t, orderID, id)

	mt.RegisterResponder(http.MethodPost, base+"cises/my", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `{"gtin":"04600439931256","producedDate":"2024-03-01T05:06:07.008Z"}`, string(b))
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	almaty := time.FixedZone("Almaty", 5*3600)
	_, err = c.OrderCises(context.Background(), CisesOrder{GTIN: "04600439931256", Produced: time.Date(2024, 3, 1, 10, 6, 7, 8e6, almaty)})
	require.ErrorIs(t, err, ErrDecode, "an answer without uuid")

	mt.RegisterResponder(http.MethodPost, base+"cises/my", httpmock.NewStringResponder(400, `{"error_message":"GTIN должен быть указан в параметрах запроса"}`))
	_, err = c.OrderCises(context.Background(), CisesOrder{GTIN: "1"})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "GTIN должен быть указан в параметрах запроса", e.Message)

	before := mt.GetTotalCallCount()
	_, err = c.OrderCises(context.Background(), CisesOrder{})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "gtin", ve.Field)
	assert.Equal(t, before, mt.GetTotalCallCount(), "no request for bad input")
}

func TestOrderStatusShapes(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	for body, want := range map[string]OrderStatus{
		`"SUCCESS"`:                OrderSuccess,
		`{"status":"NEW"}`:         OrderNew,
		`"IN PROGRESS"`:            OrderInProgress, // the documentation's spelling
		` "RESULT_EXPIRED" `:       OrderResultExpired,
		`"SOMETHING_NEW"`:          "SOMETHING_NEW",
		`{"status":"PRODUCTION"} `: OrderProduction,
	} {
		mt.RegisterResponder(http.MethodGet, base+"cises/orders/"+orderID+"/status", func(r *http.Request) (*http.Response, error) {
			assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"), "the token is sent although the table omits it")
			return httpmock.NewStringResponse(200, body), nil
		})
		got, err := c.CisesOrderStatus(ctx, orderID)
		require.NoError(t, err, body)
		assert.Equal(t, want, got, body)
	}
	assert.True(t, OrderError.Failed() && OrderValidationFailed.Failed() && OrderResultExpired.Failed())
	assert.False(t, OrderSuccess.Failed() || OrderNew.Failed())

	mt.RegisterResponder(http.MethodGet, base+"cises/orders/"+orderID+"/status", httpmock.NewStringResponder(200, `{}`))
	_, err := c.CisesOrderStatus(ctx, orderID)
	require.ErrorIs(t, err, ErrDecode)
	mt.RegisterResponder(http.MethodGet, base+"cises/orders/nope/status", httpmock.NewStringResponder(404, `{"error_message":"Заказ с идентификатором nope не найден"}`))
	_, err = c.CisesOrderStatus(ctx, "nope")
	require.ErrorIs(t, err, ErrNotFound)
	_, err = c.CisesOrderStatus(ctx, "")
	require.ErrorIs(t, err, ErrValidation)
	_, err = c.CisesOrderResult(ctx, " ")
	require.ErrorIs(t, err, ErrValidation)
}

func TestOrderResultDownload(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"), WithMaxRetries(0))
	ctx := context.Background()
	zipped := zipOf(t, orderID+".json", orderJSON)
	mt.RegisterResponder(http.MethodGet, base+"cises/orders/"+orderID+"/result", func(r *http.Request) (*http.Response, error) {
		assert.Empty(t, r.Header.Get("Content-Type"), "changelog 2.15 removed Content-Type from this GET")
		assert.Contains(t, r.Header.Get("Accept"), "application/zip")
		resp := httpmock.NewBytesResponse(200, zipped)
		resp.Header.Set("Content-Type", "application/zip")
		return resp, nil
	})
	got, err := c.CisesOrderResult(ctx, orderID)
	require.NoError(t, err)
	assert.Equal(t, zipped, got)

	mt.RegisterResponder(http.MethodGet, base+"cises/orders/"+orderID+"/result", httpmock.NewStringResponder(200, `{"error_message":"not ready"}`))
	_, err = c.CisesOrderResult(ctx, orderID)
	require.ErrorIs(t, err, ErrDecode, "a 200 that is not a ZIP")

	mt.RegisterResponder(http.MethodGet, base+"cises/orders/"+orderID+"/result", httpmock.NewBytesResponder(200, append([]byte("PK"), make([]byte, DefaultMaxOrderResultBytes)...)))
	_, err = c.CisesOrderResult(ctx, orderID)
	require.ErrorIs(t, err, ErrTooLarge, "the download is capped")
}

func TestReadOrderResultFormats(t *testing.T) {
	recs, err := ReadOrderResult(zipOf(t, "dir/", "", "a.json", orderJSON))
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, OrderedCis{RequestedCis: "r1", Cis: "010460043993125621abc", Status: StatusIntroduced, GTIN: "04600439931256",
		Produced: time.Date(2021, 11, 25, 11, 27, 3, 178e6, time.UTC), PackageType: PackageUnit, Children: []string{}, Parent: "p1",
		Extra: map[string]string{"extraField": "7"}}, recs[0], "an unknown field is kept")
	assert.Equal(t, `010460043993125621a,b"c`, recs[1].Cis)
	assert.Equal(t, []string{"x", "y"}, recs[1].Children)

	csvFile := "\xef\xbb\xbfrequestedCis,cis,status,gtin,producedDate,packageType,child,parent,weight\r\n" +
		`,"010460043993125621a,b""c",INTRODUCED,04600439931256,2019-12-04T00:46:40Z,LEVEL1,"[""k1"",""k2""]",,1.5` + "\r\n" +
		`r,c2,APPLIED,04600439931256,someday,UNIT,solo,p,` + "\r\n"
	recs, err = ReadOrderResult(zipOf(t, "a.csv", csvFile))
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, `010460043993125621a,b"c`, recs[0].Cis, "RFC 4180 quoting")
	assert.Equal(t, []string{"k1", "k2"}, recs[0].Children)
	assert.Equal(t, time.Date(2019, 12, 4, 0, 46, 40, 0, time.UTC), recs[0].Produced)
	assert.Equal(t, map[string]string{"weight": "1.5"}, recs[0].Extra)
	assert.Equal(t, []string{"solo"}, recs[1].Children)
	assert.Equal(t, "someday", recs[1].Extra["producedDate"], "a date that does not parse is kept")

	semi := "cis;status\nc1;INTRODUCED\n"
	recs, err = ReadOrderResult(zipOf(t, "a.csv", semi))
	require.NoError(t, err)
	assert.Equal(t, []OrderedCis{{Cis: "c1", Status: StatusIntroduced}}, recs)

	// One JSON value per line, an object holding the list, one record.
	recs, err = ReadOrderResult(zipOf(t, "a.json", `{"cis":"1"}`+"\n"+`{"cis":"2","producedDate":"bad"}`, "b.json", `{"items":[{"cis":"3"}]}`, "c.json", " "))
	require.NoError(t, err)
	require.Len(t, recs, 3)
	assert.Equal(t, []string{"1", "2", "3"}, []string{recs[0].Cis, recs[1].Cis, recs[2].Cis})
	assert.Equal(t, `"bad"`, recs[1].Extra["producedDate"])

	for name, zipped := range map[string][]byte{
		"not a zip":   []byte("PK-not-really"),
		"bad json":    zipOf(t, "a.json", `[{"cis":`),
		"no cis col":  zipOf(t, "a.csv", "a,b\n1,2\n"),
		"bad csv":     zipOf(t, "a.csv", "cis\n\"x\n"),
		"json scalar": zipOf(t, "a.json", `{"cis":"1"} 7`),
	} {
		_, err := ReadOrderResult(zipped)
		require.ErrorIs(t, err, ErrDecode, name)
	}
}

func TestReadOrderResultBomb(t *testing.T) {
	defer func(n int64) { maxUnpackedBytes = n }(maxUnpackedBytes)
	maxUnpackedBytes = 8 << 20
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("a.json")
	require.NoError(t, err)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range maxUnpackedBytes>>20 + 1 {
		_, err = w.Write(chunk)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.Less(t, buf.Len(), 64<<10, "a small ZIP")
	_, err = ReadOrderResult(buf.Bytes())
	require.ErrorIs(t, err, ErrTooLarge)
}

// orderFlow answers K-1…K-3 on mt: the status is NEW, then IN_PROGRESS,
// then final.
func orderFlow(t *testing.T, mt *httpmock.MockTransport, final string, zipped []byte) *atomic.Int32 {
	var polls atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"cises/my", httpmock.NewStringResponder(200, `{"uuid":"`+orderID+`"}`))
	mt.RegisterResponder(http.MethodGet, base+"cises/orders/"+orderID+"/status", func(r *http.Request) (*http.Response, error) {
		switch polls.Add(1) {
		case 1:
			return httpmock.NewStringResponse(200, `"NEW"`), nil
		case 2:
			return httpmock.NewStringResponse(200, `"IN PROGRESS"`), nil
		}
		b, _ := json.Marshal(final)
		return httpmock.NewBytesResponse(200, b), nil
	})
	mt.RegisterResponder(http.MethodGet, base+"cises/orders/"+orderID+"/result", httpmock.NewBytesResponder(200, zipped))
	return &polls
}

func TestMyCisesFlow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt, _ := newMocked(t, WithToken("jwt-x"))
		polls := orderFlow(t, mt, "SUCCESS", zipOf(t, "r.json", orderJSON))
		var seen []string
		start := time.Now()
		recs, err := c.MyCises(context.Background(), CisesOrder{GTIN: "04600439931256"}, WithProgress(func(s string) { seen = append(seen, s) }))
		require.NoError(t, err)
		assert.Len(t, recs, 2)
		assert.Equal(t, []string{"NEW", "IN_PROGRESS", "SUCCESS"}, seen)
		assert.Equal(t, int32(3), polls.Load())
		assert.Equal(t, 2500*time.Millisecond, time.Since(start), "waits of 1 s and 1.5 s")
	})
}

func TestMyCisesFailsAndCancels(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt, _ := newMocked(t, WithToken("jwt-x"))
		orderFlow(t, mt, "VALIDATION_FAILED", nil)
		_, err := c.MyCises(context.Background(), CisesOrder{GTIN: "1"}, WithPollInterval(10*time.Millisecond, 20*time.Millisecond))
		require.ErrorIs(t, err, ErrOrderFailed)
		var oe *OrderFailedError
		require.ErrorAs(t, err, &oe)
		assert.Equal(t, OrderFailedError{ID: orderID, Status: OrderValidationFailed}, *oe)
		assert.Contains(t, err.Error(), orderID)
	})
	synctest.Test(t, func(t *testing.T) {
		c, mt, _ := newMocked(t, WithToken("jwt-x"))
		mt.RegisterResponder(http.MethodPost, base+"cises/my", httpmock.NewStringResponder(200, `{"uuid":"`+orderID+`"}`))
		mt.RegisterResponder(http.MethodGet, base+"cises/orders/"+orderID+"/status", httpmock.NewStringResponder(200, `"NEW"`))
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		start := time.Now()
		_, err := c.MyCises(ctx, CisesOrder{GTIN: "1"})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), `last status "NEW"`)
		assert.Equal(t, time.Minute, time.Since(start), "the poll ends with the context")
	})
	synctest.Test(t, func(t *testing.T) {
		c, mt, _ := newMocked(t, WithToken("jwt-x"), WithMaxRetries(0))
		orderFlow(t, mt, "SUCCESS", []byte("PK broken"))
		_, err := c.MyCises(context.Background(), CisesOrder{GTIN: "1"}, WithPollInterval(time.Millisecond, 0))
		require.ErrorIs(t, err, ErrDecode)
		mt.RegisterResponder(http.MethodGet, base+"cises/orders/"+orderID+"/result", httpmock.NewStringResponder(404, `{"error_message":"gone"}`))
		_, err = c.MyCises(context.Background(), CisesOrder{GTIN: "1"})
		require.ErrorIs(t, err, ErrNotFound)
		assert.True(t, strings.Contains(err.Error(), orderID))
		mt.RegisterResponder(http.MethodPost, base+"cises/my", httpmock.NewStringResponder(403, `{"error_message":"Отсутствует действующий договор по ТГ"}`))
		_, err = c.MyCises(context.Background(), CisesOrder{GTIN: "1"})
		require.ErrorIs(t, err, ErrForbidden)
		mt.RegisterResponder(http.MethodPost, base+"cises/my", httpmock.NewStringResponder(200, `{"uuid":"`+orderID+`"}`))
		mt.RegisterResponder(http.MethodGet, base+"cises/orders/"+orderID+"/status", httpmock.NewStringResponder(500, ``))
		_, err = c.MyCises(context.Background(), CisesOrder{GTIN: "1"})
		require.ErrorIs(t, err, ErrServer)
	})
}

func TestPathSegmentsStrict(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	mt.RegisterResponder(http.MethodGet, `=~status$`, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "/api/v3/true-api/cises/orders/a%2Fb%2Bc%20d/status", r.URL.EscapedPath(), "/ + and space escaped")
		return httpmock.NewStringResponse(200, `"NEW"`), nil
	})
	s, err := c.CisesOrderStatus(context.Background(), "a/b+c d")
	require.NoError(t, err)
	assert.Equal(t, OrderNew, s)
}

func TestFuzzFoundRegressions(t *testing.T) {
	_, err := parseOrderStatus([]byte(`" "`))
	require.Error(t, err, "a blank status is not a status")
	_, msg := parseError(500, nil, []byte("aaa"+strings.Repeat("Ошибка ", 50)))
	assert.True(t, utf8.ValidString(msg), "cut at a character boundary")
	a, err := ReadOrderResult(zipOf(t, "a.json", `{"b":[{"cis":"2"}],"a":[{"cis":"1"}]}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "2"}, []string{a[0].Cis, a[1].Cis}, "every array, in key order")
}
