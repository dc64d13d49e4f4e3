package trueapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The K-9 answer examples of True API v2.22 (tobacco: ownerBin/producerBin,
// tnvedGroup, total 0 with one result; alcohol: ownerInn/producerInn) and
// the P-4 example; the Cyrillic values the export stripped stay stripped.
const (
	k9Tobacco = `{"results":[{"cis":"00000046332158BJMdwm0","gtin":"00000046332158","sgtin":"BJMdwm0","tnvedGroup":"2402",
		"productName":"","ownerName":". ","producerName":". ","status":"APPLIED","emissionDate":"2020-07-31T06:03:28.000Z",
		"producedDate":"2020-07-31T06:03:28.398Z","emissionType":"LOCAL","lastDocId":"72f83afc-22f1-4422-b6ab-2bd0f2bf634",
		"name":"","brand":"","statusEx":"APPLIED","ownerBin":"810712345678","producerBin":"810712345678",
		"tnVedCode10":"2402209000","packageName":"","producerCountry":"","quantityInPack":"20","tobaccoType":"",
		"structure":"","packMaterial":""}],"total":0}`
	k9Alcohol = `{"results":[{"cis":"010470000140027921TrRddTq","gtin":"04700001400279","sgtin":"TrRddTq","productName":" ",
		"ownerName":" ","ownerInn":"00406700910039","producerName":" ","producerInn":"00406700910039","status":"APPLIED",
		"emissionDate":"2021-02-19T22:19:39.419Z","producedDate":"2021-02-19T22:20:11.170Z","emissionType":"FOREIGN",
		"lastDocId":"4717a2bb-f99a-4d47-bb87-477b1e171d44","name":" ","statusEx":"APPLIED","tradeName":" ",
		"alcoholVol":"12.5 % .","tnVedCode10":"2204101100","packUnitVolume":"750 ","fullName":" ","packageName":" ",
		"producerCountry":" ","structure":" ","packMaterial":" ; / "}],"total":1}`
	p4Example = `{"results":[{"cis":"00000046332158Z0YocDM","gtin":"00000046332158","sgtin":"Z0Y","tnvedGroup":"OcDM",
		"productName":"","ownerName":" ...","ownerInn":"810716401076","producerName":" ...","producerInn":"810716401076",
		"status":"APPLIED","emissionDate":"2020-07-31T10:43:34.000Z","producedDate":"2020-07-31T10:43:34.733Z",
		"emissionType":"LOCAL","lastDocId":"8e0d3528-53eb-4e71-94ad-bfde6bad0bf6","name":"","brand":"","statusEx":"APPLIED",
		"tnVedCode10":"2402209000","packageName":"","producerCountry":"","quantityInPack":"20","tobaccoType":"",
		"structure":"","packMaterial":""}],"total":1}`
)

// listingReq is what a responder saw of one request.
type listingReq struct {
	method, path, rawQuery, auth string
}

// listingRecorder answers with body and records the requests; it is safe for
// the retry goroutines of the transport.
type listingRecorder struct {
	mu   sync.Mutex
	reqs []listingReq
}

func (rec *listingRecorder) responder(status int, body string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		rec.add(r)
		return httpmock.NewStringResponse(status, body), nil
	}
}

func (rec *listingRecorder) add(r *http.Request) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.reqs = append(rec.reqs, listingReq{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization")})
}

func (rec *listingRecorder) all() []listingReq {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.reqs)
}

// The K-9 example request, GET cises/listV2?gtin=04780085115559&
// cisStatus=APPLIED&limit=504780085115559, is damaged: the GTIN was pasted
// into the limit, and 504780085115559 is above the 10000 maximum. It is
// read as limit=50. It sends no orderColumn, and neither does the client
// when the filter names none.
func TestCisesListV2PageK9Example(t *testing.T) {
	c, mt, _ := newMocked(t)
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"cises/listV2", rec.responder(200, k9Tobacco))

	p, err := c.CisesListV2Page(context.Background(),
		ListFilter{GTIN: "04780085115559", Status: StatusApplied, Limit: 50}, ListCursor{})
	require.NoError(t, err)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, listingReq{http.MethodGet, "/api/v3/true-api/cises/listV2",
		"cisStatus=APPLIED&gtin=04780085115559&limit=50", "Bearer jwt-1"}, reqs[0],
		"the example's query and nothing else: no sort column, no uit, orderedColumnValue or pageDir on the first page")

	require.Len(t, p.Results, 1)
	assert.Equal(t, 0, p.Total, "total as sent, even next to a result")
	r := p.Results[0]
	assert.Equal(t, "00000046332158BJMdwm0", r.Cis)
	assert.Equal(t, "00000046332158", r.GTIN)
	assert.Equal(t, "BJMdwm0", r.SGTIN)
	assert.Equal(t, "2402", r.TnVedGroup, "tnvedGroup of the examples")
	assert.Equal(t, "810712345678", r.OwnerBIN, "ownerBin of the tobacco example")
	assert.Equal(t, "810712345678", r.ProducerBIN, "producerBin of the tobacco example")
	assert.Equal(t, ". ", r.OwnerName)
	assert.Equal(t, StatusApplied, r.Status)
	assert.Equal(t, StatusApplied, r.StatusEx)
	assert.Equal(t, "2020-07-31T06:03:28.000Z", r.EmissionDate, "the keyset value exactly as received")
	assert.Equal(t, time.Date(2020, 7, 31, 6, 3, 28, 0, time.UTC), r.Emitted)
	assert.Equal(t, time.Date(2020, 7, 31, 6, 3, 28, 398_000_000, time.UTC), r.Produced)
	assert.Equal(t, ReleaseLocal, r.EmissionType)
	assert.Equal(t, "72f83afc-22f1-4422-b6ab-2bd0f2bf634", r.LastDocID)
	assert.Equal(t, "2402209000", r.TnVedCode10)
	assert.Equal(t, "20", r.QuantityInPack)
	assert.Nil(t, r.Extra, "every member of the example has a field")

	assert.Equal(t, ListCursor{PageNext, "00000046332158BJMdwm0", "2020-07-31T06:03:28.000Z"}, p.Next)
	assert.Equal(t, ListCursor{PagePrev, "00000046332158BJMdwm0", "2020-07-31T06:03:28.000Z"}, p.Prev)
	assert.False(t, p.More, "1 record of 50: the last page")
}

func TestCisesListV2PageAlcoholExample(t *testing.T) {
	c, mt, _ := newMocked(t)
	mt.RegisterResponder(http.MethodGet, base+"cises/listV2", httpmock.NewStringResponder(200, k9Alcohol))
	p, err := c.CisesListV2Page(context.Background(), ListFilter{}, ListCursor{})
	require.NoError(t, err)
	require.Len(t, p.Results, 1)
	r := p.Results[0]
	assert.Equal(t, 1, p.Total)
	assert.Equal(t, "00406700910039", r.OwnerBIN, "ownerInn of the alcohol example")
	assert.Equal(t, "00406700910039", r.ProducerBIN, "producerInn of the alcohol example")
	assert.Equal(t, ReleaseForeign, r.EmissionType)
	assert.Equal(t, "12.5 % .", r.AlcoholVol)
	assert.Equal(t, "750 ", r.PackUnitVolume)
	assert.Equal(t, " ; / ", r.PackMaterial)
	assert.Equal(t, " ", r.TradeName)
	assert.Equal(t, " ", r.FullName)
	assert.Equal(t, time.Date(2021, 2, 19, 22, 19, 39, 419_000_000, time.UTC), r.Emitted)
	assert.Equal(t, time.Date(2021, 2, 19, 22, 20, 11, 170_000_000, time.UTC), r.Produced)
	assert.Nil(t, r.Extra)
}

func TestProductsListV2PageP4Example(t *testing.T) {
	c, mt, _ := newMocked(t)
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"products/listV2", rec.responder(200, p4Example))
	p, err := c.ProductsListV2Page(context.Background(), ListFilter{Cis: "00000046332158Z0YocDM"}, ListCursor{})
	require.NoError(t, err)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, listingReq{http.MethodGet, "/api/v3/true-api/products/listV2",
		"cis=00000046332158Z0YocDM&limit=1000&orderColumn=emd", "Bearer jwt-1"}, reqs[0],
		"the P-4 example, the default page size and emd, the only sort column P-4 allows")
	require.Len(t, p.Results, 1)
	r := p.Results[0]
	assert.Equal(t, "810716401076", r.OwnerBIN, "ownerInn of P-4")
	assert.Equal(t, "810716401076", r.ProducerBIN)
	assert.Equal(t, "OcDM", r.TnVedGroup)
	assert.Equal(t, "2020-07-31T10:43:34.000Z", r.EmissionDate)
	assert.Equal(t, 1, p.Total)
	assert.Equal(t, ListCursor{PageNext, "00000046332158Z0YocDM", "2020-07-31T10:43:34.000Z"}, r.CursorAfter())
}

func TestListV2EveryFilterEscaped(t *testing.T) {
	c, mt, _ := newMocked(t)
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"cises/listV2", rec.responder(200, `{"results":[],"total":0}`))
	f := ListFilter{
		Cis: "(01)04871234567890(21)6M:A>BD", GTIN: "04871234567890", SerialNumber: "6M:A>BD", TnVed10: "2402209000",
		ProducerINN: "810712345678", OwnerINN: "00406700910039", Status: StatusIntroduced, PackageType: PackageLevel1,
		EmissionType: ReleaseForeign, Order: SortDesc, Limit: MaxListLimit,
		EmissionFrom: time.Date(2024, 1, 2, 3, 4, 5, 6_700_000, time.FixedZone("UTC+5", 5*3600)),
		EmissionTo:   time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC),
	}
	p, err := c.CisesListV2Page(context.Background(), f, ListCursor{})
	require.NoError(t, err)
	assert.Empty(t, p.Results)
	assert.False(t, p.More)
	assert.True(t, p.Next.IsZero(), "no cursor from an empty page")
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, "cis=%2801%2904871234567890%2821%296M%3AA%3EBD&cisPackageType=LEVEL1&cisStatus=INTRODUCED"+
		"&emissionDateFrom=2024-01-01T22%3A04%3A05.006Z&emissionDateTo=2024-02-01T00%3A00%3A00.000Z&emissionType=FOREIGN"+
		"&gtin=04871234567890&limit=10000&order=DESC&ownerInn=00406700910039&producerInn=810712345678"+
		"&sn=6M%3AA%3EBD&tnVed10=2402209000", reqs[0].rawQuery, "dates in UTC with milliseconds, codes strictly escaped")
}

// The owner and producer ids arrive under three names, tnVedGroup under
// two; whatever is not read into a field stays in Extra.
func TestListV2RecordConflictsAndExtra(t *testing.T) {
	c, mt, _ := newMocked(t)
	mt.RegisterResponder(http.MethodGet, base+"products/listV2", httpmock.NewStringResponder(200, `{"results":[
		{"cis":"a","emissionDate":"2020-07-31T06:03:28Z","ownerIin":"","ownerBin":"810712345678","ownerInn":"999",
		 "producerIin":"111111111111","producerInn":"111111111111","tnVedGroup":"2402","tnvedGroup":"2403",
		 "countChildren":"3","producedDate":"31 July 2020","quantityInPack":20,"status":"SOME_NEW_STATUS",
		 "nicotine":{"mg":0.5},"volumes":[1,2]},
		{"cis":"b","emissionDate":"not a date","ownerInn":null}],"total":"2"}`))
	p, err := c.ProductsListV2Page(context.Background(), ListFilter{}, ListCursor{})
	require.NoError(t, err)
	require.Len(t, p.Results, 2)
	assert.Equal(t, 2, p.Total, "a total sent as a string")

	r := p.Results[0]
	assert.Equal(t, "810712345678", r.OwnerBIN, "the first id that has a value")
	assert.Equal(t, "111111111111", r.ProducerBIN, "producerIin, the table's name, first")
	assert.Equal(t, "2402", r.TnVedGroup, "tnVedGroup, the table's name, first")
	assert.Equal(t, int64(3), r.CountChildren)
	assert.Equal(t, "20", r.QuantityInPack, "a number read as text")
	assert.Equal(t, CisStatus("SOME_NEW_STATUS"), r.Status, "unknown statuses kept")
	assert.Equal(t, time.Date(2020, 7, 31, 6, 3, 28, 0, time.UTC), r.Emitted, "without milliseconds")
	assert.True(t, r.Produced.IsZero(), "a date the client cannot read…")
	require.NotNil(t, r.Extra)
	assert.JSONEq(t, `"31 July 2020"`, string(r.Extra["producedDate"]), "…stays in Extra as sent")
	assert.JSONEq(t, `""`, string(r.Extra["ownerIin"]))
	assert.JSONEq(t, `"999"`, string(r.Extra["ownerInn"]), "a conflicting alias is not lost")
	assert.JSONEq(t, `"111111111111"`, string(r.Extra["producerInn"]))
	assert.JSONEq(t, `"2403"`, string(r.Extra["tnvedGroup"]))
	assert.JSONEq(t, `{"mg":0.5}`, string(r.Extra["nicotine"]))
	assert.JSONEq(t, `[1,2]`, string(r.Extra["volumes"]))
	assert.Len(t, r.Extra, 7)

	r = p.Results[1]
	assert.Equal(t, "not a date", r.EmissionDate, "the raw value is kept for the keyset")
	assert.True(t, r.Emitted.IsZero())
	assert.Empty(t, r.OwnerBIN)
	assert.Nil(t, r.Extra, "a null id is read as absent")
	assert.Equal(t, ListCursor{PagePrev, "a", "2020-07-31T06:03:28Z"}, p.Prev)
	assert.Equal(t, ListCursor{PageNext, "b", "not a date"}, p.Next)
}

// listServer serves records in order, limit at a time, from the record
// after (NEXT) or before (PREV) the one named by uit and
// orderedColumnValue, checking that the two belong together.
func listServer(t *testing.T, rec *listingRecorder, records []map[string]string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		rec.add(r)
		q := r.URL.Query()
		limit, err := strconv.Atoi(q.Get("limit"))
		require.NoError(t, err)
		from, to := 0, min(limit, len(records))
		if uit := q.Get("uit"); uit != "" {
			i := slices.IndexFunc(records, func(m map[string]string) bool { return m["cis"] == uit })
			require.GreaterOrEqual(t, i, 0, "uit is the cis of a record")
			require.Equal(t, records[i]["emissionDate"], q.Get("orderedColumnValue"), "orderedColumnValue is its emissionDate as sent")
			switch q.Get("pageDir") {
			case "NEXT":
				from, to = i+1, min(i+1+limit, len(records))
			case "PREV":
				from, to = max(i-limit, 0), i
			default:
				t.Errorf("pageDir %q", q.Get("pageDir"))
			}
		}
		return httpmock.NewJsonResponse(200, map[string]any{"results": records[from:to], "total": len(records)})
	}
}

// walkRecords makes n records; their codes hold characters that must be
// escaped and their dates carry milliseconds of .000, which must come
// back exactly.
func walkRecords(n int) []map[string]string {
	out := make([]map[string]string, n)
	for i := range out {
		out[i] = map[string]string{
			"cis":          fmt.Sprintf(`010460620308463021+%d&"(x)`, i),
			"emissionDate": fmt.Sprintf("2020-07-31T06:03:%02d.000Z", i),
		}
	}
	return out
}

// keysetQuery is the raw query the walk tests expect for a filter of
// gtin 04780085115559, APPLIED, ASC, limit 2, after record i (or first
// when i < 0).
func keysetQuery(i int) string {
	q := "cisStatus=APPLIED&gtin=04780085115559&limit=2&order=ASC"
	if i < 0 {
		return q
	}
	return q + fmt.Sprintf("&orderedColumnValue=2020-07-31T06%%3A03%%3A%02d.000Z&pageDir=NEXT&uit=010460620308463021%%2B%d%%26%%22%%28x%%29", i, i)
}

func TestCisesListV2WalksPages(t *testing.T) {
	f := ListFilter{GTIN: "04780085115559", Status: StatusApplied, Order: SortAsc, Limit: 2}
	for _, tc := range []struct {
		name    string
		records int
		queries []string
	}{
		{"short last page", 5, []string{keysetQuery(-1), keysetQuery(1), keysetQuery(3)}},
		{"full last page, then an empty one", 4, []string{keysetQuery(-1), keysetQuery(1), keysetQuery(3)}},
		{"one short page", 1, []string{keysetQuery(-1)}},
		{"nothing", 0, []string{keysetQuery(-1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, _ := newMocked(t)
			var rec listingRecorder
			records := walkRecords(tc.records)
			mt.RegisterResponder(http.MethodGet, base+"cises/listV2", listServer(t, &rec, records))
			var got []string
			for r, err := range c.CisesListV2(context.Background(), f) {
				require.NoError(t, err)
				got = append(got, r.Cis)
			}
			want := make([]string, len(records))
			for i, r := range records {
				want[i] = r["cis"]
			}
			assert.Equal(t, want, append([]string{}, got...), "every record once, in order")
			var queries []string
			for _, s := range rec.all() {
				assert.Equal(t, "Bearer jwt-1", s.auth)
				assert.Equal(t, "/api/v3/true-api/cises/listV2", s.path)
				queries = append(queries, s.rawQuery)
			}
			assert.Equal(t, tc.queries, queries)
		})
	}
}

func TestProductsListV2DefaultLimitAndRestart(t *testing.T) {
	c, mt, _ := newMocked(t)
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"products/listV2", listServer(t, &rec, walkRecords(3)))
	seq := c.ProductsListV2(context.Background(), ListFilter{})
	assert.Empty(t, rec.all(), "nothing is requested before the loop")
	for range 2 {
		n := 0
		for _, err := range seq {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 3, n, "ranging again starts over")
	}
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assert.Equal(t, "limit=1000&orderColumn=emd", reqs[0].rawQuery, "the iterators' default page size")
	assert.Equal(t, "/api/v3/true-api/products/listV2", reqs[0].path)
}

func TestCisesListV2EarlyBreak(t *testing.T) {
	c, mt, _ := newMocked(t)
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"cises/listV2", listServer(t, &rec, walkRecords(9)))
	n := 0
	for _, err := range c.CisesListV2(context.Background(), ListFilter{GTIN: "04780085115559", Status: StatusApplied, Order: SortAsc, Limit: 2}) {
		require.NoError(t, err)
		if n++; n == 3 {
			break
		}
	}
	assert.Equal(t, []string{keysetQuery(-1), keysetQuery(1)}, queriesOf(rec.all()), "no page after the break")
}

func queriesOf(reqs []listingReq) []string {
	out := make([]string, len(reqs))
	for i, s := range reqs {
		out[i] = s.rawQuery
	}
	return out
}

func TestListV2PageBackwards(t *testing.T) {
	c, mt, _ := newMocked(t)
	var rec listingRecorder
	records := walkRecords(6)
	mt.RegisterResponder(http.MethodGet, base+"cises/listV2", listServer(t, &rec, records))
	ctx := context.Background()
	f := ListFilter{Limit: 2}

	first, err := c.CisesListV2Page(ctx, f, ListCursor{})
	require.NoError(t, err)
	assert.True(t, first.More)
	second, err := c.CisesListV2Page(ctx, f, first.Next)
	require.NoError(t, err)
	assert.Equal(t, records[2]["cis"], second.Results[0].Cis)
	back, err := c.CisesListV2Page(ctx, f, second.Prev)
	require.NoError(t, err)
	require.Len(t, back.Results, 2)
	assert.Equal(t, first.Results, back.Results, "PREV from the first record of page 2 gives page 1")

	// A cursor without a direction reads forwards.
	_, err = c.CisesListV2Page(ctx, f, ListCursor{UIT: records[0]["cis"], OrderedColumnValue: records[0]["emissionDate"]})
	require.NoError(t, err)

	qs := queriesOf(rec.all())
	require.Len(t, qs, 4)
	assert.Equal(t, "limit=2&orderedColumnValue=2020-07-31T06%3A03%3A02.000Z&pageDir=PREV&uit=010460620308463021%2B2%26%22%28x%29", qs[2])
	assert.Contains(t, qs[3], "&pageDir=NEXT&")
}

func TestListV2Validation(t *testing.T) {
	c, mt, _ := newMocked(t)
	ctx := context.Background()
	for _, tc := range []struct {
		f     ListFilter
		cur   ListCursor
		field string
	}{
		{ListFilter{Limit: -1}, ListCursor{}, "limit"},
		{ListFilter{Limit: MaxListLimit + 1}, ListCursor{}, "limit"},
		{ListFilter{Order: "asc"}, ListCursor{}, "order"},
		{ListFilter{OrderColumn: "cis"}, ListCursor{}, "orderColumn"},
		{ListFilter{OrderColumn: "EMD"}, ListCursor{}, "orderColumn"},
		{ListFilter{EmissionFrom: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), EmissionTo: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, ListCursor{}, "emissionDateFrom"},
		{ListFilter{}, ListCursor{Dir: PageNext, OrderedColumnValue: "2020-07-31T06:03:28.000Z"}, "uit"},
		{ListFilter{}, ListCursor{UIT: "x"}, "orderedColumnValue"},
		{ListFilter{}, ListCursor{Dir: "BACK", UIT: "x", OrderedColumnValue: "y"}, "pageDir"},
	} {
		for _, call := range []func(context.Context, ListFilter, ListCursor) (*ListPage, error){c.CisesListV2Page, c.ProductsListV2Page} {
			p, err := call(ctx, tc.f, tc.cur)
			assert.Nil(t, p)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.ErrorIs(t, err, ErrValidation)
		}
		if tc.cur.IsZero() {
			for _, seq := range []func(context.Context, ListFilter) iter.Seq2[CisRecord, error]{c.CisesListV2, c.ProductsListV2} {
				n := 0
				for _, err := range seq(ctx, tc.f) {
					n++
					var ve *ValidationError
					require.ErrorAs(t, err, &ve)
					assert.Equal(t, tc.field, ve.Field)
				}
				assert.Equal(t, 1, n, "one error, then the loop ends")
			}
		}
	}
	assert.Zero(t, mt.GetTotalCallCount(), "no request, not even a sign-in")
}

func TestListV2ServerErrors(t *testing.T) {
	c, mt, _ := newMocked(t, WithMaxRetries(0))
	ctx := context.Background()

	mt.RegisterResponder(http.MethodGet, base+"cises/listV2", httpmock.NewStringResponder(403, `{"error_message":"Отсутствует действующий договор по ТГ"}`))
	_, err := c.CisesListV2Page(ctx, ListFilter{}, ListCursor{})
	require.ErrorIs(t, err, ErrForbidden)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 403, e.StatusCode)
	assert.Equal(t, "Отсутствует действующий договор по ТГ", e.Message)

	mt.RegisterResponder(http.MethodGet, base+"cises/listV2", httpmock.NewStringResponder(400, `{"error_message":"string"}`))
	_, err = c.CisesListV2Page(ctx, ListFilter{}, ListCursor{})
	require.ErrorIs(t, err, ErrValidation)

	mt.RegisterResponder(http.MethodGet, base+"products/listV2", httpmock.NewStringResponder(200, `<html>`))
	_, err = c.ProductsListV2Page(ctx, ListFilter{}, ListCursor{})
	require.ErrorIs(t, err, ErrDecode)

	// The second page fails: the first page's records, then one error.
	var rec listingRecorder
	ok := listServer(t, &rec, walkRecords(5))
	mt.RegisterResponder(http.MethodGet, base+"products/listV2", func(r *http.Request) (*http.Response, error) {
		if r.URL.Query().Has("uit") {
			return httpmock.NewStringResponse(500, `{"error_message":"Ошибка при выполнении запроса"}`), nil
		}
		return ok(r)
	})
	var got []string
	var errs []error
	for r, err := range c.ProductsListV2(ctx, ListFilter{Limit: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, r.Cis)
	}
	assert.Len(t, got, 2)
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], ErrServer)
	require.ErrorAs(t, errs[0], &e)
	assert.Equal(t, "Ошибка при выполнении запроса", e.Message)

	// A full page whose last record cannot name the next page is an
	// error, not a silent end.
	mt.RegisterResponder(http.MethodGet, base+"cises/listV2", httpmock.NewStringResponder(200, `{"results":[{"cis":"a"}],"total":3}`))
	got, errs = nil, nil
	for r, err := range c.CisesListV2(ctx, ListFilter{Limit: 1}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, r.Cis)
	}
	assert.Empty(t, got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrDecode)
}

// cises/listV2 sends a sort column only when the filter names one (K-9
// lists no value and its example sends none); products/listV2 always
// sends emd, the only value P-4 allows. The cursor is the emission date
// either way: uit is the cis of the last record and orderedColumnValue its
// emissionDate, which listServer checks on every request.
func TestListV2SortColumnOnlyWhenSet(t *testing.T) {
	for _, tc := range []struct {
		name   string
		path   string
		column SortColumn
		want   string // the sort column part of every query
	}{
		{"cises, none set", "cises/listV2", "", ""},
		{"cises, emd set", "cises/listV2", SortByEmissionDate, "&orderColumn=emd"},
		{"products, none set", "products/listV2", "", "&orderColumn=emd"},
		{"products, emd set", "products/listV2", SortByEmissionDate, "&orderColumn=emd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, _ := newMocked(t)
			var rec listingRecorder
			records := walkRecords(5)
			mt.RegisterResponder(http.MethodGet, base+tc.path, listServer(t, &rec, records))
			f := ListFilter{Limit: 2, OrderColumn: tc.column}
			seq := c.CisesListV2
			if tc.path == "products/listV2" {
				seq = c.ProductsListV2
			}
			n := 0
			for _, err := range seq(context.Background(), f) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, 5, n, "the walk reaches every record")
			q := func(i int) string {
				if i < 0 {
					return "limit=2" + tc.want
				}
				return fmt.Sprintf("limit=2%s&orderedColumnValue=2020-07-31T06%%3A03%%3A%02d.000Z&pageDir=NEXT&uit=010460620308463021%%2B%d%%26%%22%%28x%%29", tc.want, i, i)
			}
			assert.Equal(t, []string{q(-1), q(1), q(3)}, queriesOf(rec.all()),
				"the same sort column on every page; the cursor is the last record's cis and emissionDate")
		})
	}
	assert.Equal(t, SortColumn("emd"), SortByEmissionDate, "P-4's value")
}
