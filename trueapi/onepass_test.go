package trueapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// The one-pass readers of cises/info and cises/list are checked against
// the readers they replaced, kept here as oracles: encoding/json (v1)
// over the answer, lenient.DecodeObject per cisInfo object, lenient
// decoders per member, and an array decode before an object decode.

// oracleInfoWire is the cisInfo object as the replaced reader saw it.
type oracleInfoWire struct {
	RequestedCis   lenient.String
	Cis            lenient.String
	GTIN           lenient.String
	ProductGroupID lenient.Int
	ProductGroup   lenient.String
	ProductName    lenient.String
	Brand          lenient.String
	ProducedDate   oracleTime
	PackageType    lenient.String
	OwnerBIN       lenient.String
	OwnerName      lenient.String
	Status         lenient.String
	Child          oracleStrings
	Parent         lenient.String
	ProducerBIN    lenient.String
	ProducerName   lenient.String
	ExporterName   lenient.String
	Extra          map[string]json.RawMessage
}

func (w *oracleInfoWire) UnmarshalJSON(b []byte) error {
	*w = oracleInfoWire{}
	extra, err := lenient.DecodeObject(b, []lenient.Member{
		{Key: "requestedCis", Dst: &w.RequestedCis},
		{Key: "cis", Dst: &w.Cis},
		{Key: "gtin", Dst: &w.GTIN},
		{Key: "productGroupId", Dst: &w.ProductGroupID},
		{Key: "productGroup", Dst: &w.ProductGroup},
		{Key: "productName", Dst: &w.ProductName},
		{Key: "brand", Dst: &w.Brand},
		{Key: "producedDate", Dst: &w.ProducedDate},
		{Key: "packageType", Dst: &w.PackageType},
		{Key: "ownerBin", Dst: &w.OwnerBIN},
		{Key: "ownerName", Dst: &w.OwnerName},
		{Key: "status", Dst: &w.Status},
		{Key: "child", Dst: &w.Child},
		{Key: "parent", Dst: &w.Parent},
		{Key: "producerBin", Dst: &w.ProducerBIN},
		{Key: "producerName", Dst: &w.ProducerName},
		{Key: "exporterName", Dst: &w.ExporterName},
	}, true)
	w.Extra = extra
	return err
}

// oracleStrings is the replaced reader of child.
type oracleStrings []string

func (s *oracleStrings) UnmarshalJSON(b []byte) error {
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*s = list
	return nil
}

// oracleTime is the replaced reader of a date.
type oracleTime struct{ T time.Time }

func (t *oracleTime) UnmarshalJSON(raw []byte) error {
	if lenient.IsAbsent(raw) {
		t.T = time.Time{}
		return nil
	}
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
	}
	v, err := oracleParseTime(s)
	if err != nil {
		return err
	}
	t.T = v
	return nil
}

// oracleParseTime is parseWireTime as it was, every layout tried in turn.
func oracleParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return unixWireTime(n), nil
	}
	if v, err := lenient.ParseTime(s, time.UTC); err == nil {
		return v, nil
	}
	for _, layout := range []string{"02.01.2006", "01/02/2006", "02.01.2006 15:04:05"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v, nil
		}
	}
	return time.Time{}, errors.New("no layout")
}

func (w *oracleInfoWire) public() CisInfo {
	return CisInfo{
		RequestedCis: w.RequestedCis.S, Cis: w.Cis.S, GTIN: w.GTIN.S, ProductGroupID: w.ProductGroupID.N,
		ProductGroup: w.ProductGroup.S, ProductName: w.ProductName.S, Brand: w.Brand.S, Produced: w.ProducedDate.T,
		PackageType: w.PackageType.S, OwnerBIN: w.OwnerBIN.S, OwnerName: w.OwnerName.S, Status: w.Status.S,
		Children: w.Child, Parent: w.Parent.S, ProducerBIN: w.ProducerBIN.S, ProducerName: w.ProducerName.S,
		ExporterName: w.ExporterName.S, Extra: w.Extra,
	}
}

type oracleInfoElement struct {
	CisInfo      *oracleInfoWire `json:"cisInfo"`
	ErrorCode    lenient.String  `json:"errorCode"`
	ErrorMessage lenient.String  `json:"errorMessage"`
}

// oracleDecodeInfo is decodeInfo as it was.
func oracleDecodeInfo(body []byte) ([]CisInfoResult, error) {
	if err := notNull(body); err != nil {
		return nil, err
	}
	var list []oracleInfoElement
	if err := json.Unmarshal(body, &list); err != nil {
		var one oracleInfoElement
		if err2 := json.Unmarshal(body, &one); err2 != nil {
			return nil, err
		}
		list = []oracleInfoElement{one}
	}
	out := make([]CisInfoResult, len(list))
	for i, e := range list {
		out[i] = CisInfoResult{ErrorCode: e.ErrorCode.S, ErrorMessage: e.ErrorMessage.S}
		if e.CisInfo != nil {
			info := e.CisInfo.public()
			out[i].Info = &info
		}
	}
	return out, nil
}

// oracleDecodeCisesList is decodeCisesList as it was.
func oracleDecodeCisesList(body []byte) ([]CisInfo, error) {
	if err := notNull(body); err != nil {
		return nil, err
	}
	var wire []oracleInfoWire
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, err
	}
	out := make([]CisInfo, len(wire))
	for i, w := range wire {
		out[i] = w.public()
	}
	return out, nil
}

// oracleSame reports whether two decoded answers are equal, down to the
// locations of their times and nil against empty.
func oracleSame(a, b any) bool {
	return reflect.DeepEqual(a, b)
}

// onePassSeeds are K-5 and K-8 answers with every member kind, odd
// spellings, duplicates, refused values, escapes and invalid UTF-8.
var onePassSeeds = []string{
	fzInfoExample, "[" + fzInfoExample + "]", `[]`, `[null]`, `null`, `"x"`, `{}`, `[{}]`, `[1]`, `{"cisInfo":7}`,
	`{"cisInfo":{"cis":"010460026600575520021121082010AL66717957","gtin":"04606203084630","productName":"Сигареты Bond Street Selection Blue с фильтром","productGroupId":"3","producedDate":"2021-08-20T05:08:41.771Z"}}`,
	`[{"errorCode":"404","errorMessage":"КМ не найден"},{"cisInfo":null}]`,
	`{"errorMessage":"Ошибка получения информации о КМ","errorCode":500}`,
	`[{"cisInfo":{"cis":"a","status":"APPLIED","child":["b"],"mrp":{"value":12000},"expirationDate":"2025-01-01T00:00:00.000Z","withdrawReason":null}},
	 {"cisInfo":{"cis":"b","child":"not-a-list","producedDate":"31 July 2020","productGroupId":"three"}},
	 {"cisInfo":{"cis":"c","child":null}}]`,
	`[{"cisInfo":{"CIS":"upper","Cis":{"x":1},"cis":"last"}}]`,
	`[{"cisInfo":{"cis":{"x":1},"CIS":"valid after refused"}}]`,
	`[{"cisInfo":{"cis":"valid","Cis":[1],"productGroupId":1,"productGroupId":"x"}}]`,
	`[{"cisInfo":{"c\u0069s":"escaped key","\u0063hild":["a\u0062",null,"\ud83d\ude00"],"x\"y":1,"x\"y":2}}]`,
	"[{\"cisInfo\":{\"cis\":\"bad \xff utf8\",\"k\xfe\":\"v\",\"child\":[\"\xc0\"]}}]",
	`[{"cisInfo":{"producedDate":1612292400,"productGroupId":-12,"brand":true,"gtin":4.5e3,"status":null,"parent":"","owner` + `Bin":"undef"}}]`,
	`[{"cisInfo":{"producedDate":"2020-02-30"},"ErrorCode":"e","ERRORMESSAGE":17,"unknown":[1,2]}]`,
	`[{"cisInfo":{"producedDate":"2020-02-29T23:59:59.1234567891Z","child":[],"productGroupId":"9223372036854775808"}}]`,
	`[{"cisInfo":{"producedDate":"2020-01-02 03:04:05.5","child":[1]}},{"cisInfo":{"producedDate":"2020-01-02t03:04:05Z","child":[[]]}}]`,
	`[{"cisInfo":{"producedDate":"16.10.2020"},"errorCode":{}}]`,
	`[{"cisInfo":{"cis":"a"}},{"cisInfo":{"cis":"b"},"cisInfo":null},{"cisInfo":null,"cisInfo":{"gtin":"c"}}]`,
	` [ { "cisInfo" : { "cis" : "spaced" , "child" : [ "a" , null ] } } ] `,
	`[{"cisInfo":{"cis":"a"}} 1]`, `[{"cisInfo":{"cis":"a"}}] x`, `{"cisInfo":{"cis":"a"}`,
	`[{"cis":"a","gtin":"b","markingType":"KZ"},null,{"productGroupId":"3"}]`,
	`[{"cisInfo":{"ownerName":"ТОО \"Юг\"\\\/\b\f\n\r\t\u00e9\u0000\uFFFF","child":["\"a\"","\ud800"],"\u0067tin":"\udc00x"}}]`,
}

// FuzzJSONText: the one-pass reading of a JSON string gives the text
// encoding/json gives, or leaves the string to the lenient decoders.
func FuzzJSONText(f *testing.F) {
	for _, s := range []string{`"plain"`, `"ТОО \"Юг\""`, `"\\\/\b\f\n\r\t"`, `"\u00e9\u0000\uFFFF"`, `"\ud83d\ude00"`,
		`"\ud800"`, "\"\xff\"", `"a\"`, `"\u12"`, `"\x"`, `""`, `"` + strings.Repeat("\\n", 300) + `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := lenient.Text(raw)
		var want string
		err := json.Unmarshal(raw, &want)
		if ok && (err != nil || got != want) {
			t.Fatalf("%q: got %q; encoding/json %q, %v", raw, got, want, err)
		}
		if err == nil {
			var s lenient.String
			require.NoError(t, s.UnmarshalJSON(raw))
			if w, ok := wireString(raw); !ok || w != s.S {
				t.Fatalf("%q: wireString %q, %v; lenient %q", raw, w, ok, s.S)
			}
		}
	})
}

// FuzzOnePassInfo: the one-pass reader of cises/info and cises/list
// gives what the replaced two-pass reader gave, an error where it gave
// one.
func FuzzOnePassInfo(f *testing.F) {
	for _, s := range onePassSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := decodeInfo(body)
		want, werr := oracleDecodeInfo(body)
		if (err == nil) != (werr == nil) || !oracleSame(got, want) {
			t.Fatalf("%q: cises/info\n got %#v, %v\nwant %#v, %v", body, got, err, want, werr)
		}
		list, err := decodeCisesList(body)
		wantList, werr := oracleDecodeCisesList(body)
		if (err == nil) != (werr == nil) || !oracleSame(list, wantList) {
			t.Fatalf("%q: cises/list\n got %#v, %v\nwant %#v, %v", body, list, err, wantList, werr)
		}
	})
}

// Every seed agrees with the oracle, valid or not, and the seeds that
// decode cover the keeping of refused and unknown members.
func TestOnePassInfoSeeds(t *testing.T) {
	decoded := 0
	for _, s := range onePassSeeds {
		got, err := decodeInfo([]byte(s))
		want, werr := oracleDecodeInfo([]byte(s))
		require.Equal(t, werr == nil, err == nil, "%s: %v / %v", s, err, werr)
		require.True(t, oracleSame(got, want), "%s\n got %#v\nwant %#v", s, got, want)
		if err == nil {
			decoded++
		}
	}
	assert.Greater(t, decoded, len(onePassSeeds)/2)

	res, err := decodeInfo([]byte(`[{"cisInfo":{"CIS":"upper","Cis":{"x":1},"cis":"last"}},{"cisInfo":{"cis":{"x":1},"CIS":"valid after refused"}}]`))
	require.NoError(t, err)
	assert.Equal(t, "last", res[0].Info.Cis)
	assert.Nil(t, res[0].Info.Extra, "the earlier values of a member sent again are dropped, as encoding/json drops them")
	assert.Equal(t, "valid after refused", res[1].Info.Cis)
	assert.Nil(t, res[1].Info.Extra, "a refused value replaced by a later one is not kept")

	res, err = decodeInfo([]byte("[{\"cisInfo\":{\"k\xfe\":\"v\",\"child\":[\"\xc0\"]}}]"))
	require.NoError(t, err)
	assert.Equal(t, []string{"\uFFFD"}, res[0].Info.Children, "invalid UTF-8 becomes U+FFFD, as in encoding/json")
	assert.Contains(t, res[0].Info.Extra, "k\uFFFD")
}

// The date reader's fast path gives what the layouts
// of the documentation tried in turn give.
func FuzzISOWireTime(f *testing.F) {
	for _, s := range []string{
		"2021-11-03T04:16:11.393Z", "2019-12-04T00:46:40Z", "2020-10-01T09:30:47", "2020-10-01 09:30:47.25",
		"2020-10-16", "2020-02-29", "2019-02-29", "2020-13-01", "2020-00-10", "2020-01-00", "2020-04-31",
		"2020-01-02T24:00:00Z", "2020-01-02T23:60:00Z", "2020-01-02T23:59:60Z", "2020-01-02 03:04:05Z",
		"2020-01-02T03:04:05.Z", "2020-01-02T03:04:05,5Z", "2020-01-02T03:04:05.1234567890123Z", "0000-01-01",
		"2020-01-02t03:04:05Z", "2020-01-02T03:04:05+05:00", "2020-01-02T03:04:05z", "+020-01-02", "2020-1-02",
		"2020-01-02T3:04:05", "1612292400", "16.10.2020", " 2020-01-02 ", "2020-01-02T03:04:05.000000000Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseWireTime(s)
		want, werr := oracleParseTime(s)
		if (err == nil) != (werr == nil) || got != want {
			t.Fatalf("%q: got %v (%#v), %v; want %v (%#v), %v", s, got, got, err, want, want, werr)
		}
		if v, ok := isoWireTime(s); ok && v != want {
			t.Fatalf("%q: fast path %v, layouts %v", s, v, want)
		}
		if !utf8.ValidString(s) {
			return
		}
		raw := fzJSON(s)
		var w wireTime
		var o oracleTime
		err, werr = w.UnmarshalJSON(raw), o.UnmarshalJSON(raw)
		if (err == nil) != (werr == nil) || w.T != o.T {
			t.Fatalf("%s: got %v, %v; want %v, %v", raw, w.T, err, o.T, werr)
		}
	})
}

// FuzzOnePassAnswers: the answers whose readers now decide by the first
// byte or read in one pass (the sign-in token, order status and results,
// error bodies, children of aggregates, shipment errors) read as the
// replaced two-pass readers read them (oracle_test.go).
func FuzzOnePassAnswers(f *testing.F) {
	for _, s := range []string{
		`"tok"`, `{"token":" t "}`, `{"accessToken":5,"jwt":"j"}`, `null`, `[]`, `{}`, `"SUCCESS"`, `{"status":"IN PROGRESS"}`,
		`{"status":7}`, `[{"cis":"a","child":["b","c"],"producedDate":"2021-11-03T04:16:11.393Z","x":1},null]`,
		`{"codes":[{"cis":"a"}],"more":[{"cis":"b","child":"c"}]}`, `{"cis":"a","child":null} {"cis":"b"}`, `[1,2]`,
		`{"error_message":"x","errorCode":500}`, `{"errors":[{"code":"1","message":"m"},{"errorDescription":"d"}]}`,
		`[{"errorMessage":"a"},{"message":"b"}]`, `{"code":1.5e2,"description":"\ud800"}`, `"12: message"`, `"  "`,
		`{"p":{"c1":["g1","g2"],"c2":"g3","c3":null,"c4":[1]},"q":null}`, `{"p":["not","a","map"]}`, `{"p":{"c":{}}}`,
		`[{"code":"0","message":" "},"1:x",{"errorCode":2}]`, `{"errorCode":"e","error-msg":"m"}`, `""`, `undef`, `"undef"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if got, want := tokenFrom(body), oldTokenFrom(body); got != want {
			t.Fatalf("%q: token %q, was %q", body, got, want)
		}
		st, err := parseOrderStatus(body)
		wst, werr := oldParseOrderStatus(body)
		if st != wst || (err == nil) != (werr == nil) {
			t.Fatalf("%q: status %q, %v; was %q, %v", body, st, err, wst, werr)
		}
		if b := firstByte(body); b == '[' || b == '{' {
			got, err := parseOrderJSON(body)
			want, werr := oldParseOrderJSON(body)
			if (err == nil) != (werr == nil) || (err == nil && !reflect.DeepEqual(got, want)) {
				t.Fatalf("%q: order %#v, %v; was %#v, %v", body, got, err, want, werr)
			}
		}
		if json.Valid(body) {
			if got, want := childList(body), oldChildList(body); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: children %#v, were %#v", body, got, want)
			}
		}
		code, msg := parseError(400, nil, body)
		wcode, wmsg := oldParseError(400, nil, body)
		if code != wcode || msg != wmsg {
			t.Fatalf("%q: error %q %q, was %q %q", body, code, msg, wcode, wmsg)
		}
		var se ShipmentError
		var wse oldShipmentError
		err, werr = json.Unmarshal(body, &se), json.Unmarshal(body, &wse)
		if (err == nil) != (werr == nil) || (err == nil && se != ShipmentError(wse)) {
			t.Fatalf("%q: shipment error %#v, %v; was %#v, %v", body, se, err, wse, werr)
		}
		var sl shipmentErrorList
		var wsl oldShipmentErrorList
		err, werr = json.Unmarshal(body, &sl), json.Unmarshal(body, &wsl)
		if (err == nil) != (werr == nil) || len(sl) != len(wsl) {
			t.Fatalf("%q: shipment errors %#v, %v; were %#v, %v", body, sl, err, wsl, werr)
		}
		for i := range sl {
			if sl[i] != ShipmentError(wsl[i]) {
				t.Fatalf("%q: shipment error %d %#v, was %#v", body, i, sl[i], wsl[i])
			}
		}
		var a aggregatesAnswer
		err = jsonObject(body, &a)
		want, werr := oldAggregates(body)
		if (err == nil) != (werr == nil) || (err == nil && !reflect.DeepEqual(Aggregates(a), want)) {
			t.Fatalf("%q: aggregates %#v, %v; were %#v, %v", body, a, err, want, werr)
		}
	})
}

// infoBody is a K-5 answer of n codes shaped like the fake's: units and
// blocks with children, Cyrillic names, quotes in names.
func infoBody(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		cis := fmt.Sprintf("0104600266014382210%07dXY3614", i)
		child := `[]`
		if i%10 == 0 {
			child = fmt.Sprintf(`["%sa","%sb","%sc"]`, cis, cis, cis)
		}
		fmt.Fprintf(&b, `{"cisInfo":{"requestedCis":%q,"cis":%q,"gtin":"04600266014382","productGroupId":3,"productGroup":"tobacco",`+
			`"productName":"Сигареты Bond Street Selection Blue с фильтром","brand":"Bond","producedDate":"2021-11-03T04:16:11.393Z",`+
			`"packageType":"UNIT","ownerBin":"810712345678","ownerName":"ТОО \"Табак-Юг\"","status":"INTRODUCED","child":%s,`+
			`"producerBin":"990740000683","producerName":"ТОО \"Филип Моррис Казахстан\""}}`, cis, cis, child)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// BenchmarkDecodeInfo: the K-5 answer of 1,000 codes, read in one pass
// and by the replaced reader (encoding/json, DecodeObject, lenient
// decoders per member).
func BenchmarkDecodeInfo(b *testing.B) {
	body := infoBody(MaxCodesPerRequest)
	for _, r := range []struct {
		name string
		read func([]byte) ([]CisInfoResult, error)
	}{
		{"one-pass", func(body []byte) ([]CisInfoResult, error) { return decodeInfoFor(body, MaxCodesPerRequest) }},
		{"replaced", oracleDecodeInfo},
	} {
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				res, err := r.read(body)
				if err != nil || len(res) != MaxCodesPerRequest {
					b.Fatal(len(res), err)
				}
			}
		})
	}
}

// listBody is a K-9 page of n records as the documentation shows them,
// with two members the SDK does not know.
func listBody(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"results":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		cis := fmt.Sprintf("0104600266014382215%08d", i)
		fmt.Fprintf(&b, `{"cis":%q,"gtin":"04600266014382","sgtin":%q,"tnVedGroup":"2402","productName":"Сигареты Bond Street Selection Blue",`+
			`"ownerIin":"810712345678","ownerName":"ТОО \"Табак-Юг\"","producerIin":"990740000683","producerName":"ТОО \"Филип Моррис Казахстан\"",`+
			`"status":"INTRODUCED","statusEx":"INTRODUCED","producedDate":"2021-11-03T04:16:11.393Z","emissionDate":"2021-11-01T10:00:00.000Z",`+
			`"emissionType":"LOCAL","lastDocId":"a1b2c3","countChildren":0,"packageType":"UNIT","productGroup":"tobacco"}`, cis, cis[2:])
	}
	fmt.Fprintf(&b, `],"total":%d}`, n)
	return b.Bytes()
}

// BenchmarkDecodeListPage: a K-9 page of 1,000 records, as the listing
// reads it.
func BenchmarkDecodeListPage(b *testing.B) {
	body := listBody(1000)
	read := readResults[CisRecord, cisRecordWire](false)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		a, err := read(body)
		if err != nil || len(a.items) != 1000 || a.items[999].OwnerBIN != "810712345678" {
			b.Fatal(err)
		}
	}
}
