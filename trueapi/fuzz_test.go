package trueapi

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// The fuzz targets of the package's hand-written decoders of odd wire
// formats. Each checks that hostile input gives an error, never a panic,
// and a property that can fail: the same answer in another of the shapes
// the documentation allows decodes to the same value, or a decoded value
// written back decodes unchanged. The seeds are the examples of the
// documentation's sections 4–8. Their seeds run as ordinary tests; fuzz one with e.g.
//
//	go test -run '^$' -fuzz '^FuzzParseError$' ./trueapi/

// fzJSON encodes v, which cannot fail for the strings and maps used here.
func fzJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// fzText is s as a JSON round trip gives it back: invalid UTF-8 replaced.
func fzText(s string) string {
	var out string
	if err := json.Unmarshal(fzJSON(s), &out); err != nil {
		panic(err)
	}
	return out
}

// fzSame compares two decoded values through their JSON form, so that
// times compare as instants with their offsets whatever their *Location.
func fzSame(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return reflect.DeepEqual(a, b)
	}
	return bytes.Equal(ja, jb)
}

// fzXMLText reports whether every rune of s may appear in XML 1.0 text.
func fzXMLText(s string) bool {
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		default:
			return false
		}
	}
	return utf8.ValidString(s)
}

// The error bodies of §2.1 of the documentation, typos included.
var fzErrorBodies = []string{
	`{"error_message":"Параметр gtin требует значение типа String"}`,
	`<UnauthorizedException><error>unauthorized</error><error_description>Full authentication is required to access this resource</error_description></UnauthorizedException>`,
	`<InvalidTokenException><error>invalid_token</error><error_description>Access token expired: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9</error_description></InvalidTokenException>`,
	`{"error_message":"Отсутствует доступ к ресурсу"}`,
	`{"error_message":"Отсутствует действующий договор по ТГ"}`,
	`{"error_message":"Метод с указанным URL не найден"}`,
	``,
	`{"error_message":"Слишком большой запрос"}`,
	`{"code":"422","errors":"Документ не подписан"}`,
	`{"code": "422" "errors": "Документ не подписан"}`,
	`{"code":"400","description":"Неверный формат"}`,
	`{"error_message":"Ошибка при выполнении запроса"}`,
	`{"error_message":"Удаленная система недоступна"}`,
	`{ error_message: "Отсутствует ответ системы" }`,
	`{"errorMessage":"Ошибка получения информации о КМ","errorCode":"500"}`,
	`{"error-code":1,"error-msg":"GTIN не найден"}`,
	`{"errors":[{"errorCode":"101","errorMessage":"Ошибка"},{"errorCode":"102","errorDescription":"Ещё"}]}`,
	`[{"code":"400","message":"a"},{"code":"401","message":"b"}]`,
	`"JSON parse error: Cannot deserialize instance of ` + "`java.util.ArrayList`" + ` out of START_OBJECT token"`,
	`JSON parse error: Cannot deserialize instance of ` + "`java.util.ArrayList`" + ` out of START_OBJECT token; nested exception is com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize instance of ` + "`java.util.ArrayList`" + ` out of START_OBJECT token\n at [Source: (PushbackInputStream); line: 1, column: 1]`,
	`{"error_message":"Лимит превышен, запросите не более 10000 документов. Получено значение 10001"}`,
	`<html><body>502 Bad Gateway</body></html>`,
}

// FuzzParseError: every body gives a code and a message without panic,
// valid UTF-8 for a valid UTF-8 body; and the input's text put into each
// error shape of §1.3 comes back as the message (and code).
func FuzzParseError(f *testing.F) {
	for _, b := range fzErrorBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		code, msg := parseError(400, nil, body)
		if c2, m2 := parseError(400, nil, body); c2 != code || m2 != msg {
			t.Fatalf("%q: not deterministic", body)
		}
		if utf8.Valid(body) && (!utf8.ValidString(code) || !utf8.ValidString(msg)) {
			t.Fatalf("%q: valid UTF-8 gave code %q message %q", body, code, msg)
		}

		m := fzText(string(body))
		if m == "" {
			return
		}
		shapes := []struct {
			body       []byte
			code, want string
		}{
			{fzJSON(map[string]any{"error_message": m}), "", m},
			{fzJSON(map[string]any{"errorMessage": m, "errorCode": "500"}), "500", m},
			{fzJSON(map[string]any{"code": "422", "errors": m}), "422", m},
			{fzJSON(map[string]any{"code": 400, "description": m}), "400", m},
			{fzJSON(map[string]any{"error-code": 7, "error-msg": m}), "7", m},
			{fzJSON(map[string]any{"errors": []any{map[string]any{"errorCode": "E1", "errorDescription": m}}}), "E1", m},
			{fzJSON([]any{map[string]any{"code": "400", "message": m}, map[string]any{"code": "401", "message": m}}), "400", m + "; " + m},
			{fzJSON(m), "", m},
		}
		if fzXMLText(m) {
			var esc bytes.Buffer
			_ = xml.EscapeText(&esc, []byte(m))
			x := "<InvalidTokenException><error>invalid_token</error><error_description>" + esc.String() +
				"</error_description></InvalidTokenException>"
			shapes = append(shapes, struct {
				body       []byte
				code, want string
			}{[]byte(x), "invalid_token", m})
		}
		for _, s := range shapes {
			if c, got := parseError(400, nil, s.body); c != s.code || got != s.want {
				t.Fatalf("%s: got code %q message %q; want %q, %q", s.body, c, got, s.code, s.want)
			}
		}
	})
}

// FuzzWireTime: parseWireTime and wireTime agree; a parsed time printed
// in RFC 3339 parses back to the same instant and offset; Unix seconds
// and milliseconds are read as the documentation's variant (e) says.
func FuzzWireTime(f *testing.F) {
	// §1.9 variants (a)–(e), the search screenshot's MM/dd/yyyy, and the
	// values of the K-5 and K-9 examples.
	for _, s := range []string{
		"2021-11-03T04:16:11.393Z", "2019-12-04T00:46:40Z", "2021-11-25T11:27:03.178Z",
		"2020-10-01T09:30:47", "2020-09-30T21:20:45", "16.10.2020", "2020-10-16", "1612292400",
		"1612292400000", "11/19/2021", "16.10.2020 12:30:00", "2020-07-31T06:03:28.000Z",
		"", "undef", "null", " 1612292400 ", "-1", "99999999999", "100000000001", "2024-03-01T12:30:00+05:00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseWireTime(s)
		if err != nil && !v.IsZero() {
			t.Fatalf("%q: an error with a time", s)
		}
		if utf8.ValidString(s) {
			raw := fzJSON(s)
			var w wireTime
			w.T = time.Unix(7, 0)
			werr := w.UnmarshalJSON(raw)
			switch {
			case lenient.IsAbsent(raw):
				if werr != nil || !w.T.IsZero() {
					t.Fatalf("%s: absent gave %v, %v", raw, w.T, werr)
				}
			case (werr == nil) != (err == nil) || (err == nil && !fzSame(w.T, v)):
				t.Fatalf("%s: wireTime %v, %v; parseWireTime %v, %v", raw, w.T, werr, v, err)
			}
		}
		if err != nil {
			return
		}
		if y := v.Year(); y >= 0 && y <= 9999 {
			text := v.Format(time.RFC3339Nano)
			back, err := parseWireTime(text)
			if err != nil || !fzSame(back, v) {
				t.Fatalf("%q -> %v -> %s -> %v, %v", s, v, text, back, err)
			}
		}
		if secs := v.Unix(); secs >= -1e11 && secs <= 1e11 {
			back, err := parseWireTime(strconv.FormatInt(secs, 10))
			if err != nil || !back.Equal(time.Unix(secs, 0)) {
				t.Fatalf("unix %d: %v, %v", secs, back, err)
			}
		}
		if ms := v.UnixMilli(); ms > 1e11 || ms < -1e11 {
			back, err := parseWireTime(strconv.FormatInt(ms, 10))
			if err != nil || !back.Equal(time.UnixMilli(ms)) {
				t.Fatalf("unix ms %d: %v, %v", ms, back, err)
			}
		}
	})
}

// fzFile is one file of a test ZIP.
type fzFile struct {
	name    string
	data    []byte
	deflate bool
}

// fzZip builds a ZIP in memory.
func fzZip(files ...fzFile) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Store}
		if f.deflate {
			h.Method = zip.Deflate
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			panic(err)
		}
		if _, err := w.Write(f.data); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// The K-3 contents the documentation leaves open: JSON in each of the shapes
// ReadOrderResult reads, and CSV.
var fzOrderContents = []string{
	`[{"requestedCis":"010460026601438220071121072610XY36141322","cis":"010460026601438220071121072610XY36141322","code":"010460026601438220071121072610XY36141322","status":"APPLIED","gtin":"00000046229175","producedDate":"2021-11-03T04:16:11.393Z","packageType":"LEVEL2","child":["00000046082312Y'HrFtG","000000462008771FF\" 3Pm"],"parent":""}]`,
	`{"cis":"00000046332158BJMdwm0","status":"INTRODUCED","gtin":"00000046332158","packageType":"UNIT","parent":"(01)04606203084623(21)AB","producedDate":"1612292400","extra":{"a":1}}`,
	`{"results":[{"cis":"a","status":"APPLIED","gtin":"04780085115559","packageType":"UNIT"}]}` + "\n",
	`{"cis":"a","status":"APPLIED"}` + "\n" + `{"cis":"b","status":"WRITTEN_OFF","child":"c"}` + "\n",
	"requestedCis,cis,code,status,gtin,producedDate,packageType,child,parent\n010470000140027921TrRddTq,010470000140027921TrRddTq,,APPLIED,04700001400279,2021-02-19T22:20:11.170Z,UNIT,,\n",
	"\xef\xbb\xbfcis;status;gtin;child;packageType;note\n\"a;b\";APPLIED;04780085115559;[\"x\",\"y\"];LEVEL1;привет\n",
	"cis,status\n\"0104650117240408211dmfcZNcM\"\"4\",EMITTED\n",
	"",
}

// FuzzReadOrderResult reads the fuzzer's bytes as a ZIP when they start
// with "PK", and otherwise as the content of a file inside a ZIP built
// here. No input panics, every error is ErrDecode or ErrTooLarge, the
// result is the same every time, and a ZIP holding the content twice
// gives every record twice, in order.
func FuzzReadOrderResult(f *testing.F) {
	for i, c := range fzOrderContents {
		f.Add([]byte(c))
		f.Add(fzZip(fzFile{"result.json", []byte(c), i%2 == 0}))
	}
	f.Add(fzZip(fzFile{"dir/", nil, false}, fzFile{"dir/a.csv", []byte(fzOrderContents[4]), true}, fzFile{"b.json", []byte(fzOrderContents[0]), false}))
	f.Add(fzZip())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, []byte("PK")) {
			fzReadOrder(t, data)
			return
		}
		one, err1 := fzReadOrder(t, fzZip(fzFile{"a.json", data, false}))
		two, err2 := fzReadOrder(t, fzZip(fzFile{"a.json", data, true}, fzFile{"b.csv", data, false}))
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("one copy: %v; two copies: %v", err1, err2)
		}
		if err1 == nil && (len(two) != 2*len(one) || !fzSame(two[:len(one)], one) || !fzSame(two[len(one):], one)) {
			t.Fatalf("one copy gave %d records, two copies %d:\n%+v\n%+v", len(one), len(two), one, two)
		}
	})
}

func fzReadOrder(t *testing.T, zipped []byte) ([]OrderedCis, error) {
	t.Helper()
	recs, err := ReadOrderResult(zipped)
	if err != nil {
		if recs != nil || (!errors.Is(err, ErrDecode) && !errors.Is(err, ErrTooLarge)) {
			t.Fatalf("error %v with %d records", err, len(recs))
		}
	}
	again, err2 := ReadOrderResult(zipped)
	if (err == nil) != (err2 == nil) || !fzSame(recs, again) {
		t.Fatalf("not deterministic:\n%+v, %v\n%+v, %v", recs, err, again, err2)
	}
	for _, r := range recs {
		for k := range r.Extra {
			if l := strings.ToLower(k); orderedFields[l] && l != "produceddate" {
				t.Fatalf("the known field %q went to Extra: %+v", k, r)
			}
		}
	}
	return recs, err
}

// FuzzParseOrderStatus: the K-2 answer as a bare string or an object
// gives one normalised status: upper case, no spaces, read the same
// again in either shape.
func FuzzParseOrderStatus(f *testing.F) {
	for _, s := range []string{
		`"SUCCESS"`, `{"status":"SUCCESS"}`, `"NEW"`, `"PRODUCTION"`, `"VALIDATION_FAILED"`, `"IN PROGRESS"`,
		`"IN_PROGRESS"`, `"ERROR"`, `"RESULT_EXPIRED"`, `{"status":"in progress"}`, `{"Status":"new"}`,
		`""`, `null`, `{}`, `{"status":null}`, `42`, `"  success  "`, `[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := parseOrderStatus(body)
		if err != nil {
			if s != "" {
				t.Fatalf("%q: status %q with error %v", body, s, err)
			}
			return
		}
		if s == "" || strings.Contains(string(s), " ") || strings.TrimSpace(string(s)) != string(s) || strings.ToUpper(string(s)) != string(s) {
			t.Fatalf("%q: status %q is not normalised", body, s)
		}
		for _, again := range [][]byte{fzJSON(string(s)), fzJSON(map[string]string{"status": string(s)})} {
			if s2, err := parseOrderStatus(again); err != nil || s2 != s {
				t.Fatalf("%q: %s read back as %q, %v", body, again, s2, err)
			}
		}
	})
}

// FuzzDecodeBase64Text: any decoded body encodes back to itself; and any
// bytes, base64-encoded with line breaks, in a JSON string with escaped
// slashes (the forms the EDO getters send), decode to those bytes.
func FuzzDecodeBase64Text(f *testing.F) {
	for _, s := range []string{
		"PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4=",
		`"PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4="`,
		"PD94bWwgdmVyc2lvbj0i\r\nMS4wIiBlbmNvZGluZz0idXRmLTgiPz4",
		`"a\/b+"`, "", " ", `""`, "====", "Zg", "Zg==", "Zm9v\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		out, err := decodeBase64Text(body)
		if err == nil {
			back, err := decodeBase64Text([]byte(base64.StdEncoding.EncodeToString(out)))
			if len(out) > 0 && (err != nil || !bytes.Equal(back, out)) {
				t.Fatalf("%q -> %q does not encode back: %q, %v", body, out, back, err)
			}
		}
		if len(body) == 0 {
			return
		}
		enc := base64.StdEncoding.EncodeToString(body)
		var wrapped strings.Builder
		wrapped.WriteString(" \"")
		for i := 0; i < len(enc); i += 76 {
			wrapped.WriteString(strings.ReplaceAll(enc[i:min(i+76, len(enc))], "/", `\/`))
			wrapped.WriteString("\r\n")
		}
		wrapped.WriteString("\"\n")
		got, err := decodeBase64Text([]byte(wrapped.String()))
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("%q: got %q, %v", wrapped.String(), got, err)
		}
	})
}

// The K-5 answer of the documentation's example, as one object and as a list.
const fzInfoExample = `{"cisInfo":{"requestedCis":"010460026601438220071121072610XY36141322","cis":"010460026601438220071121072610XY36141322","gtin":"00000046229175","productName":"NEO DEMI PURPLE CLICK","productGroupId":3,"productGroup":"tobacco","brand":"NEO","producedDate":"2021-11-03T04:16:11.393Z","packageType":"LEVEL2","ownerBin":"*****","ownerName":"*****","status":"APPLIED","child":["00000046082312Y'HrFtG","000000462008771FF\" 3Pm","000000462291759xJDbU\" "],"producerBin":"*****","producerName":"*****"}}`

// FuzzDecodeInfo: a single K-5 object decodes like a list holding it, and
// a list like its elements one by one.
func FuzzDecodeInfo(f *testing.F) {
	for _, s := range []string{
		fzInfoExample, "[" + fzInfoExample + "]", `[]`,
		`{"cisInfo":{"cis":"010460026600575520021121082010AL66717957","gtin":"04606203084630","productName":"Сигареты Bond Street Selection Blue с фильтром","productGroupId":"3","producedDate":"2021-08-20T05:08:41.771Z"}}`,
		`[{"errorCode":"404","errorMessage":"КМ не найден"},{"cisInfo":null}]`,
		`{"errorMessage":"Ошибка получения информации о КМ","errorCode":"500"}`, `null`, `[null]`, `"x"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := decodeInfo(body)
		if err != nil {
			return
		}
		again, _ := decodeInfo(body)
		if !fzSame(got, again) {
			t.Fatalf("%q: not deterministic", body)
		}
		trimmed := bytes.TrimSpace(body)
		switch {
		case len(trimmed) > 0 && trimmed[0] == '{':
			list, err := decodeInfo(append(append([]byte("["), body...), ']'))
			if err != nil || !fzSame(list, got) || len(got) != 1 {
				t.Fatalf("%q: as an object %+v; in a list %+v, %v", body, got, list, err)
			}
		case len(trimmed) > 0 && trimmed[0] == '[':
			var elems []json.RawMessage
			if json.Unmarshal(body, &elems) != nil {
				t.Fatalf("%q decoded but is not a list", body)
			}
			each := []CisInfoResult{}
			for _, e := range elems {
				if bytes.Equal(bytes.TrimSpace(e), []byte("null")) {
					each = append(each, CisInfoResult{})
					continue
				}
				one, err := decodeInfo(e)
				if err != nil || len(one) != 1 {
					t.Fatalf("%q: element %s alone: %+v, %v", body, e, one, err)
				}
				each = append(each, one...)
			}
			if !fzSame(each, got) {
				t.Fatalf("%q: the list %+v, its elements %+v", body, got, each)
			}
		}
	})
}

// fzRecordMembers lists the members cisRecordWire reads, each with its
// keys (the first is the one written back) and whether it holds a value.
func fzRecordMembers(w *cisRecordWire) []struct {
	keys []string
	v    json.Marshaler
	ok   bool
} {
	type m = struct {
		keys []string
		v    json.Marshaler
		ok   bool
	}
	s := func(keys []string, v *lenient.String) m { return m{keys, v, v.Valid} }
	return []m{
		s([]string{"cis"}, &w.Cis), {[]string{"countChildren"}, &w.CountChildren, w.CountChildren.Valid},
		s([]string{"emissionDate"}, &w.EmissionDate), s([]string{"gtin"}, &w.GTIN), s([]string{"sgtin"}, &w.SGTIN),
		s([]string{"tnVedGroup", "tnvedGroup"}, &w.TnVedGroup), s([]string{"ownerIin", "ownerBin", "ownerInn"}, &w.OwnerBIN),
		s([]string{"ownerName"}, &w.OwnerName), s([]string{"producerIin", "producerBin", "producerInn"}, &w.ProducerBIN),
		s([]string{"producerName"}, &w.ProducerName), s([]string{"productName"}, &w.ProductName),
		s([]string{"status"}, &w.Status), s([]string{"statusEx"}, &w.StatusEx),
		{[]string{"producedDate"}, nil, false},
		s([]string{"emissionType"}, &w.EmissionType), s([]string{"lastDocId"}, &w.LastDocID), s([]string{"name"}, &w.Name),
		s([]string{"brand"}, &w.Brand), s([]string{"tradeName"}, &w.TradeName), s([]string{"fullName"}, &w.FullName),
		s([]string{"tnVedCode10"}, &w.TnVedCode10), s([]string{"producerCountry"}, &w.ProducerCountry),
		s([]string{"packageName"}, &w.PackageName), s([]string{"packMaterial"}, &w.PackMaterial),
		s([]string{"tobaccoType"}, &w.TobaccoType), s([]string{"packUnitVolume"}, &w.PackUnitVolume),
		s([]string{"alcoholVol"}, &w.AlcoholVol), s([]string{"quantityInPack"}, &w.QuantityInPack),
		s([]string{"structure"}, &w.Structure),
	}
}

// FuzzCisRecord: a K-9/P-4 record, decoded and written back with each
// member under its first key and the unknown members as received, decodes
// to the same record; inside a page it decodes as alone.
func FuzzCisRecord(f *testing.F) {
	for _, s := range []string{
		`{"cis":"00000046332158BJMdwm0","gtin":"00000046332158","sgtin":"BJMdwm0","tnvedGroup":"2402","productName":"","ownerName":". ","producerName":". ","status":"APPLIED","emissionDate":"2020-07-31T06:03:28.000Z","producedDate":"2020-07-31T06:03:28.398Z","emissionType":"LOCAL","lastDocId":"72f83afc-22f1-4422-b6ab-2bd0f2bf634","name":"","brand":"","statusEx":"APPLIED","ownerBin":"810712345678","producerBin":"810712345678","tnVedCode10":"2402209000","packageName":"","producerCountry":"","quantityInPack":"20","tobaccoType":"","structure":"","packMaterial":""}`,
		`{"cis":"010470000140027921TrRddTq","gtin":"04700001400279","sgtin":"TrRddTq","productName":" ","ownerName":" ","ownerInn":"00406700910039","producerName":" ","producerInn":"00406700910039","status":"APPLIED","emissionDate":"2021-02-19T22:19:39.419Z","producedDate":"2021-02-19T22:20:11.170Z","emissionType":"FOREIGN","lastDocId":"4717a2bb-f99a-4d47-bb87-477b1e171d44","name":" ","statusEx":"APPLIED","tradeName":" ","alcoholVol":"12.5 % .","tnVedCode10":"2204101100","packUnitVolume":"750 ","fullName":" ","packageName":" ","producerCountry":" ","structure":" ","packMaterial":" ; / "}`,
		`{"cis":"a","countChildren":"12","ownerIin":null,"ownerBin":"810712345678","producedDate":1612292400,"emissionDate":"31.07.2020","colour":"red"}`,
		`{"cis":17,"countChildren":1.5,"producedDate":"yesterday","status":true}`, `{}`, `null`, `[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var w cisRecordWire
		if err := json.Unmarshal(body, &w); err != nil {
			return
		}
		var page listPageWire
		if err := json.Unmarshal(append(append([]byte(`{"results":[`), body...), "]}"...), &page); err != nil ||
			len(page.Results.Items) != 1 || !fzSame(page.Results.Items[0].public(), w.public()) {
			t.Fatalf("%q: alone %+v; in a page %+v, %v", body, w.public(), page.Results.Items, err)
		}

		known := map[string]bool{}
		obj := map[string]json.RawMessage{}
		for _, m := range fzRecordMembers(&w) {
			for _, k := range m.keys {
				known[k] = true
			}
			if m.ok {
				raw, err := m.v.MarshalJSON()
				if err != nil {
					t.Fatalf("%s: %v", m.keys[0], err)
				}
				obj[m.keys[0]] = raw
			}
		}
		if p := w.ProducedDate.T; !p.IsZero() {
			if y := p.Year(); y >= 0 && y <= 9999 {
				obj["producedDate"] = fzJSON(p.Format(time.RFC3339Nano))
			} else {
				obj["producedDate"] = fzJSON(p.UnixMilli())
			}
		}
		unknown := func(extra map[string]json.RawMessage) map[string]json.RawMessage {
			out := map[string]json.RawMessage{}
			for k, v := range extra {
				if !known[k] {
					out[k] = v
				}
			}
			return out
		}
		for k, v := range unknown(w.Extra) {
			obj[k] = v
		}
		rebuilt := fzJSON(obj)
		var w2 cisRecordWire
		if err := json.Unmarshal(rebuilt, &w2); err != nil {
			t.Fatalf("%q rebuilt as %s: %v", body, rebuilt, err)
		}
		r1, r2 := w.public(), w2.public()
		r1.Extra, r2.Extra = unknown(r1.Extra), unknown(r2.Extra)
		if !fzSame(r1, r2) {
			t.Fatalf("%q\nrebuilt as %s\n%+v\n%+v", body, rebuilt, r1, r2)
		}
	})
}

// FuzzTokenFrom: the A-2 token is read, trimmed, from a bare JSON string
// and from each key the sign-in answer may use.
func FuzzTokenFrom(f *testing.F) {
	for _, s := range []string{
		`{"token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJwaWQiOjF9.c2ln"}`, `"eyJhbGciOiJIUzI1NiJ9.e30.c2ln"`,
		`{"access_token":" x "}`, `{"token":"","jwt":"y"}`, `{"token":1}`, `null`, ``, `{}`, `[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		tok := tokenFrom(body)
		if tok != strings.TrimSpace(tok) {
			t.Fatalf("%q: token %q is not trimmed", body, tok)
		}
		want := strings.TrimSpace(fzText(string(body)))
		for _, shape := range [][]byte{
			fzJSON(string(body)),
			fzJSON(map[string]string{"token": string(body)}),
			fzJSON(map[string]string{"access_token": string(body), "other": "x"}),
			fzJSON(map[string]string{"token": " ", "jwt": string(body)}),
		} {
			if got := tokenFrom(shape); got != want {
				t.Fatalf("%s: got %q, want %q", shape, got, want)
			}
		}
	})
}
