package uchet

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/testkit"
)

// Every answer is read in one pass (readStatus, readCompany,
// readClassifier, detail). These tests hold each to the reading with
// encoding/json it replaced, kept here as an oracle; FuzzUpdateStatus does
// the same for readStatus.

// refDetail is the former reading of an error detail.
func refDetail(body []byte) (code Code, message string, ok bool) {
	if len(body) == 0 || body[0] != '{' || !bytes.Contains(body, []byte(`"detail"`)) {
		return "", "", false
	}
	var b struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &b) != nil || len(b.Detail) == 0 {
		return "", "", false
	}
	var d struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(b.Detail, &d) == nil && d.Code != "" {
		return Code(d.Code), d.Message, true
	}
	var text string
	if json.Unmarshal(b.Detail, &text) == nil {
		return "", text, true
	}
	return "", string(b.Detail), true
}

// refReadCompany is the former reading of a company answer, but for one
// fix: encoding/json stops at a value a field's UnmarshalJSON refuses, so
// the former reading left the fields after it empty too; the documented
// behaviour, which readCompany has, is that only the refused field stays
// empty. The oracle reads each field on its own to get it.
func refReadCompany(body []byte, co *Company) (registered string, err error) {
	if err := json.Unmarshal(body, &co.Raw); err != nil {
		return "", err
	}
	targets := []*string{&co.NameRU, &co.NameKZ, &co.FullNameRU, &co.Status, &co.HeadFullName, &co.AddressRU,
		&co.AddressKZ, &co.OKEDCode, &co.OKEDNameRU, &registered}
	for i, key := range companyFields {
		*targets[i] = refField(body, key)
	}
	return registered, nil
}

// refField decodes the member key of the object body with encoding/json
// into a lenient.String, alone.
func refField(body []byte, key string) string {
	v := reflect.New(reflect.StructOf([]reflect.StructField{{
		Name: "F", Type: reflect.TypeFor[lenient.String](), Tag: reflect.StructTag(`json:"` + key + `"`),
	}}))
	_ = json.Unmarshal(body, v.Interface())
	return v.Elem().Field(0).Interface().(lenient.String).S
}

// refReadClassifier is the former reading of a classifier answer, with the
// fix of refReadCompany for its entries.
func refReadClassifier(body []byte) (items []ClassifierItem, raw json.RawMessage, err error) {
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, nil, err
	}
	list := []json.RawMessage(nil)
	if json.Unmarshal(raw, &list) != nil {
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) == nil {
			for _, k := range []string{"results", "items", "data"} {
				if json.Unmarshal(obj[k], &list) == nil && list != nil {
					break
				}
			}
		}
	}
	for _, e := range list {
		// Each field on its own, as in refReadCompany.
		items = append(items, ClassifierItem{Code: refField(e, "code"), NameRU: refField(e, "name_ru"),
			NameKZ: refField(e, "name_kz"), Raw: e})
	}
	return items, raw, nil
}

var detailSeeds = []string{
	`{"detail":{"code":"iin_bin_validation_error","message":"iin_bin is not valid"}}`,
	`{"Detail":{"Code":"not_found","MESSAGE":"m"}}`, `{"detail":{"code":5,"message":"m"}}`, `{"detail":{"code":"","message":"m"}}`,
	`{"detail":"Not Found"}`, `{"detail":null}`, `{"detail":[{"loc":["query"],"msg":"field required"}]}`, `{"detail":42}`,
	`{"detail":"a","detail":{"code":"c"}}`, `{"detail":"x"} trailing`, `{"other":"detail"}`, `{"details":"x"}`, `[{"detail":"x"}]`,
	`{"detail":"\u00e9\ud800"}`, "{\"detail\":\"a\xffb\"}", `{"detail":{"code":"c","message":null}}`, `{"detail":true}`,
}

func TestDetailMatchesFormerReading(t *testing.T) { testkit.Seeds(t, detailSeeds, checkDetail) }

func FuzzDetailOracle(f *testing.F) { testkit.Fuzz(f, detailSeeds, checkDetail) }

func checkDetail(t *testing.T, body []byte) {
	t.Helper()
	c, m, ok := detail(body)
	rc, rm, rok := refDetail(body)
	if c != rc || m != rm || ok != rok {
		t.Fatalf("%q: %q %q %v; former: %q %q %v", body, c, m, ok, rc, rm, rok)
	}
}

var companySeeds = []string{
	`{"name_ru":"ТОО \"Ромашка\"","name_kz":"«Ромашка» ЖШС","status":"Действующее","registration_date":"2014-10-21","head_fullname":"ИВАНОВ ИВАН","oked_code":62010,"address_ru":null,"tax_debt":{"total_tax_arrear":0}}`,
	`{"NAME_RU":"a","name_ru":"b"}`, `{"name_ru":"a","Name_Ru":{}}`, `{"name_ru":[1],"status":true}`, `{"n\u0061me_ru":"esc"}`,
	`{"error":"maintenance"}`, `{}`, ` { } `, `null`, `[]`, `"ok"`, `{"name_ru":"a"}{"name_ru":"b"}`, `{"a":1,"a":2}`,
	"{\"name_ru\":\"a\xffb\",\"k\xfe\":1}", `{"registration_date":"2014-10-21T00:00:00"}`, `{`, ``,
}

func TestReadCompanyMatchesFormerReading(t *testing.T) {
	testkit.Seeds(t, companySeeds, checkCompanyReading)
}

func FuzzReadCompany(f *testing.F) { testkit.Fuzz(f, companySeeds, checkCompanyReading) }

func checkCompanyReading(t *testing.T, body []byte) {
	t.Helper()
	var got, want Company
	reg, err := readCompany(body, &got)
	wantReg, wantErr := refReadCompany(body, &want)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("%q: one pass: %v; former: %v", body, err, wantErr)
	}
	if err != nil {
		return
	}
	if reg != wantReg || !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\none pass: %q %+v\nformer:   %q %+v", body, reg, got, wantReg, want)
	}
	if (checkCompany(got.Raw) == nil) != (checkCompany(want.Raw) == nil) {
		t.Fatalf("%q: the shape check differs", body)
	}
}

var classifierSeeds = []string{
	`[{"code":"1","name_ru":"Микро","name_kz":"Микро"},{"CODE":2,"Name_RU":null},"x",null,[1],{"code":{}}]`,
	`{"results":[{"code":"1"}]}`, `{"items":[{"code":"1"}],"results":null}`, `{"results":"x","data":[{"code":"2"}]}`,
	`{"Results":[{"code":"1"}],"data":[]}`, `{"results":[],"items":[{"code":"1"}]}`, `{"data":[1],"data":null}`,
	`{"data":null,"data":[{"code":"3"}]}`, `[]`, `{}`, `null`, `"krp"`, `42`, ` [ {"code" : "1"} , { } ] `,
	`[{"code":"1"}] x`, `[{"code":"1"}`, ``, `{"results":[{"code":"\u0031"}]}`,
}

func TestReadClassifierMatchesFormerReading(t *testing.T) {
	testkit.Seeds(t, classifierSeeds, checkClassifierReading)
}

func FuzzReadClassifier(f *testing.F) { testkit.Fuzz(f, classifierSeeds, checkClassifierReading) }

func checkClassifierReading(t *testing.T, body []byte) {
	t.Helper()
	raw := bytes.Trim(body, " \t\r\n")
	items, err := readClassifier(raw)
	wantItems, wantRaw, wantErr := refReadClassifier(body)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("%q: one pass: %v; former: %v", body, err, wantErr)
	}
	if err != nil {
		return
	}
	if !bytes.Equal(raw, wantRaw) || !reflect.DeepEqual(items, wantItems) {
		t.Fatalf("%q:\none pass: %s %+v\nformer:   %s %+v", body, raw, items, wantRaw, wantItems)
	}
}

// TestStatusReadMatchesFormerReading runs the FuzzUpdateStatus oracle on
// answers of every shape the tests know, beyond the fuzz seeds.
func TestStatusReadMatchesFormerReading(t *testing.T) {
	bodies := []string{
		`{"iin_bin":"141040028436","tasks_count":2,"processed":2,"success":1,"failed":1,"processing":0,"start_time":"10:00:00 01.03.2024","finish_time":"10:00:09 01.03.2024",
		"tasks":{"courts":{"status":"error","start_time":"10:00:00 01.03.2024","finish_time":"10:00:09 01.03.2024"},"goszakup":{"status":"failed","start_time":"10:00:00 01.03.2024","finish_time":"10:00:01 01.03.2024"}}}`,
		`{"iin_bin":"141040028436","tasks_count":null,"processed":null,"success":null,"failed":null,"processing":null,"start_time":null,"finish_time":null,"tasks":null}`,
		`{"IIN_BIN":"141040028436","Tasks_Count":0,"processed":0,"success":0,"failed":0,"processing":0,"start_time":"","finish_time":" ","tasks":{},"extra":1}`,
		`{"tasks_count":3,"tasks_count":null,"tasks":{"a":{"status":"done"}},"tasks":{"b":null},"TASKS":{"a":{"STATUS":"processing","start_time":"bad"}}}`,
		`{"tasks":{"a":{"start_time":"bad"}},"tasks":{"a":{"start_time":"01:02:03 04.05.2006"}}}`,
		`{"tasks":{"a":{"start_time":"bad"}},"tasks":null}`, `{"start_time":"x","start_time":null}`,
		`{"tasks_count":"many"}`, `{"tasks_count":1.5}`, `{"tasks_count":1e2}`, `{"tasks_count":-0}`, `{"tasks_count":99999999999999999999}`,
		`{"iin_bin":1}`, `{"iin_bin":"\u0031\ud800"}`, `{"start_time":5}`, `{"tasks":[]}`, `{"tasks":{"a":"done"}}`, `{"tasks":{"a":{"status":1}}}`,
		`{"tasks":{"a":{"start_time":{}}}}`, `{"tasks_count":"x"} trailing`, `{"tasks_count":"x",}`, `{"start_time":" 7:04:05 29.02.2024 "}`,
		`{"start_time":"24:00:00 31.12.2023"}`, `{"start_time":"00:00:00 29.02.2023"}`, `{"start_time":"00:00:00 29.02.2000"}`,
		`{"start_time":"00:00:00 29.02.1900"}`, `{"start_time":"23:59:59 31.12.0000"}`, `{"start_time":"12:30:45.5 01.01.2024"}`,
		`{"start_time":"12:30:60 01.01.2024"}`, `{"start_time":"12:60:00 01.01.2024"}`, `{"start_time":"12:00:00 00.01.2024"}`,
		`{"start_time":"12:00:00 31.04.2024"}`, `{"start_time":"12:00:00 01.13.2024"}`, `{"start_time":"12:00:00 01.00.2024"}`,
		`{"start_time":"1a:00:00 01.01.2024"}`, `{"start_time":"\u0031\u0032:00:00 01.01.2024"}`, "{\"tasks\":{\"\xff\":{}}}",
		`null`, `[1,2]`, `"done"`, `42`, `true`, ``, `{`, `{"tasks":{"a":{}}`,
	}
	for _, b := range bodies {
		st, shape, bad, err := readStatus([]byte(b), Almaty)
		refSt, refShape, refBad, refErr := refReadStatus([]byte(b), Almaty)
		require.Equal(t, refErr == nil, err == nil, "%s: %v / %v", b, err, refErr)
		if err != nil {
			continue
		}
		assert.Equal(t, refShape, shape, b)
		assert.Equal(t, refBad == nil, bad == nil, "%s: %v / %v", b, bad, refBad)
		if bad != nil {
			for _, part := range strings.Split(refBad.Error(), "\n") {
				assert.Contains(t, bad.Error(), part, b)
			}
		}
		assert.Equal(t, refSt, st, b)
	}
}

// TestCanonicalTimeIsParseInLocation: the allocation-free reading of the
// API's own time form gives what time.ParseInLocation gives, on every day
// of a leap and a common year and at the edges of the clock.
func TestCanonicalTimeIsParseInLocation(t *testing.T) {
	for _, loc := range []*time.Location{Almaty, time.UTC} {
		for d := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2025; d = d.Add(7*time.Hour + 13*time.Minute + 7*time.Second) {
			s := d.Format(TimeLayout)
			got, ok := canonicalTime(s, loc)
			want, err := time.ParseInLocation(TimeLayout, s, loc)
			require.True(t, ok, s)
			require.NoError(t, err, s)
			require.Equal(t, want, got, s)
		}
	}
	n := testing.AllocsPerRun(100, func() { _, _ = canonicalTime([]byte("17:24:52 25.04.2023"), Almaty) })
	assert.Zero(t, n)
}

// benchStatusBody is an update_status answer with n tasks, as the fake sends
// it: the documented task names first, then made-up ones.
func benchStatusBody(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"iin_bin":"141040028436","tasks_count":` + strconv.Itoa(n) + `,"processed":` + strconv.Itoa(n-n/3) +
		`,"success":` + strconv.Itoa(n-n/3) + `,"failed":0,"processing":` + strconv.Itoa(n/3) +
		`,"start_time":"17:24:52 25.04.2023","finish_time":null,"tasks":{`)
	names := TaskNames()
	for i := range n {
		name := "task_" + strconv.Itoa(i)
		if i < len(names) {
			name = string(names[i])
		}
		if i > 0 {
			b.WriteByte(',')
		}
		if i%3 == 2 {
			b.WriteString(`"` + name + `":{"status":"processing","start_time":"17:24:52 25.04.2023","finish_time":null}`)
		} else {
			b.WriteString(`"` + name + `":{"status":"done","start_time":"17:24:52 25.04.2023","finish_time":"17:24:54 25.04.2023"}`)
		}
	}
	b.WriteString(`}}`)
	return b.Bytes()
}

// handStatus is update_status as a developer would decode it by hand (the
// bench harness's baseline): strings, no times read.
type handStatus struct {
	IINBIN     string  `json:"iin_bin"`
	TasksCount int     `json:"tasks_count"`
	Processed  int     `json:"processed"`
	Success    int     `json:"success"`
	Failed     int     `json:"failed"`
	Processing int     `json:"processing"`
	StartTime  string  `json:"start_time"`
	FinishTime *string `json:"finish_time"`
	Tasks      map[string]struct {
		Status     string  `json:"status"`
		StartTime  string  `json:"start_time"`
		FinishTime *string `json:"finish_time"`
	} `json:"tasks"`
}

// BenchmarkDecodeStatus compares the decoding alone of an update_status
// answer of 20 tasks (the documented size) and of 1000: the client's one
// pass (times read, members checked), the former two passes, and the
// hand-written baseline (encoding/json into strings).
//
//	go test -run '^$' -bench DecodeStatus -benchmem ./uchet/
func BenchmarkDecodeStatus(b *testing.B) {
	for _, n := range []int{20, 1000} {
		body := benchStatusBody(n)
		b.Run(strconv.Itoa(n)+"/client", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st, shape, bad, err := readStatus(body, Almaty)
				if err != nil || shape != nil || bad != nil || len(st.Tasks) != n {
					b.Fatal(err, shape, bad)
				}
			}
		})
		b.Run(strconv.Itoa(n)+"/two-pass", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st, shape, bad, err := refReadStatus(body, Almaty)
				if err != nil || shape != nil || bad != nil || len(st.Tasks) != n {
					b.Fatal(err, shape, bad)
				}
			}
		})
		b.Run(strconv.Itoa(n)+"/hand", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var st handStatus
				if err := json.Unmarshal(body, &st); err != nil || len(st.Tasks) != n {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestStatusTypeErrorsMaskTheToken: a value of the wrong type is quoted in
// the error when it is a number; a token of digits that the server echoes
// there does not get shown (the transport masks the cause it wraps).
func TestStatusTypeErrorsMaskTheToken(t *testing.T) {
	const digits = "31415926535897932384626433832795"
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(200,
		`{"iin_bin":`+digits+`,"tasks_count":0,"processed":0,"success":0,"failed":0,"processing":0,"start_time":null,"finish_time":null,"tasks":{}}`))
	c, err := New(digits, WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	_, err = c.UpdateStatus(context.Background(), docBIN)
	require.ErrorIs(t, err, ErrDecode)
	assert.Contains(t, err.Error(), "iin_bin")
	var te *Error
	require.ErrorAs(t, err, &te)
	require.Error(t, te.Err)
	assert.Contains(t, te.Err.Error(), "iin_bin", "the cause names the member")
	assert.NotContains(t, te.Err.Error(), digits)
	assert.NotContains(t, err.Error(), digits)
}
