package openschool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/testkit"
	"github.com/steppe-sdk/steppe/openschool/openschooltest"
)

// The answers are read in one pass (decodeAnswer, errorMessage). These
// tests hold them to the two-pass readings they replace, kept here as
// oracles: a decode into map[string]skipValue to find the documented
// member, then encoding/json into the answer's struct; and a decode into
// map[string]json.RawMessage for an error body's message.

// refDecodeAnswer is the former reading of an answer.
func refDecodeAnswer(body []byte, member string, out any) error {
	var members map[string]refSkip
	if err := json.Unmarshal(body, &members); err != nil {
		return err
	}
	if members == nil {
		return fmt.Errorf("the answer is null, not an object holding %q", member)
	}
	found := false
	for k := range members {
		found = found || k == member || strings.EqualFold(k, member)
	}
	if !found {
		return fmt.Errorf("the answer has no %q member", member)
	}
	return json.Unmarshal(body, out)
}

type refSkip struct{}

func (*refSkip) UnmarshalJSON([]byte) error { return nil }

// refErrorMessage is the former reading of an error body's message.
func refErrorMessage(body []byte) (string, bool) {
	var v map[string]json.RawMessage
	if json.Unmarshal(body, &v) != nil {
		return "", false
	}
	for _, k := range []string{"error", "message", "Error", "Message"} {
		var s string
		if raw, ok := v[k]; ok && json.Unmarshal(raw, &s) == nil {
			return s, true
		}
	}
	return "", true
}

// refKeys are the keys each public type lists, by type: the former wire
// structs are rebuilt from them (refWire) for the reference reading.
var refKeys = map[reflect.Type][]string{
	reflect.TypeFor[Region](): regionKeys, reflect.TypeFor[Period](): periodKeys,
	reflect.TypeFor[Schools](): schoolsKeys, reflect.TypeFor[School](): schoolKeys,
	reflect.TypeFor[Task](): taskKeys, reflect.TypeFor[Vote](): voteKeys, reflect.TypeFor[Report](): reportKeys,
	reflect.TypeFor[Image](): imageKeys, reflect.TypeFor[TaskSummary](): taskSummaryKeys,
	reflect.TypeFor[Label](): labelKeys, reflect.TypeFor[GovernmentPayment](): governmentPaymentKeys,
	reflect.TypeFor[Bookkeeping](): bookkeepingKeys, reflect.TypeFor[Recipient](): recipientKeys,
	reflect.TypeFor[PaymentSchool](): paymentSchoolKeys,
}

// refWire returns the former wire type of the public type t: a struct of
// lenient fields tagged with t's keys, decoded by encoding/json. A task's
// vote was a pointer (null resets it); the nested objects of a payment
// were values (null leaves them).
func refWire(t reflect.Type) reflect.Type {
	switch t {
	case reflect.TypeFor[string](), reflect.TypeFor[TaskStatus]():
		return reflect.TypeFor[lenient.String]()
	case reflect.TypeFor[int64]():
		return reflect.TypeFor[lenient.Int]()
	case reflect.TypeFor[bool]():
		return reflect.TypeFor[lenient.Bool]()
	case reflect.TypeFor[decimal.Decimal]():
		return reflect.TypeFor[lenient.Decimal]()
	case reflect.TypeFor[time.Time]():
		return reflect.TypeFor[lenient.TimeIn[kyivZone]]()
	case reflect.TypeFor[[]json.RawMessage]():
		return t
	}
	if t.Kind() == reflect.Slice {
		return reflect.SliceOf(refWire(t.Elem()))
	}
	keys := refKeys[t]
	fields := make([]reflect.StructField, t.NumField())
	for i := range fields {
		ft := refWire(t.Field(i).Type)
		if t == reflect.TypeFor[Task]() && keys[i] == "vote" {
			ft = reflect.PointerTo(ft)
		}
		fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: ft, Tag: reflect.StructTag(`json:"` + keys[i] + `"`)}
	}
	return reflect.StructOf(fields)
}

// refPublic converts a value of refWire(t) to t, as the former public()
// methods did.
func refPublic(w reflect.Value, t reflect.Type) reflect.Value {
	out := reflect.New(t).Elem()
	switch v := w.Interface().(type) {
	case lenient.String:
		out.SetString(v.S)
	case lenient.Int:
		out.SetInt(v.N)
	case lenient.Bool:
		out.SetBool(v.B)
	case lenient.Decimal:
		out.Set(reflect.ValueOf(v.D))
	case lenient.TimeIn[kyivZone]:
		out.Set(reflect.ValueOf(v.T))
	case []json.RawMessage:
		out.Set(w)
	default:
		switch w.Kind() {
		case reflect.Pointer:
			if !w.IsNil() {
				out.Set(refPublic(w.Elem(), t))
			}
		case reflect.Slice:
			if !w.IsNil() {
				out.Set(reflect.MakeSlice(t, w.Len(), w.Len()))
				for i := range w.Len() {
					out.Index(i).Set(refPublic(w.Index(i), t.Elem()))
				}
			}
		default:
			for i := range t.NumField() {
				out.Field(i).Set(refPublic(w.Field(i), t.Field(i).Type))
			}
		}
	}
	return out
}

// refDecode is the former reading of an answer whose member key holds a
// *T: the wire type decoded with encoding/json, then made public.
func refDecode[T any](body []byte, key string, out *T) error {
	field := refWire(reflect.TypeFor[T]())
	if key == "task" {
		field = reflect.PointerTo(field)
	}
	wrapped := reflect.New(reflect.StructOf([]reflect.StructField{{Name: "V", Type: field, Tag: reflect.StructTag(`json:"` + key + `"`)}}))
	err := refDecodeAnswer(body, key, wrapped.Interface())
	*out = refPublic(wrapped.Elem().Field(0), reflect.TypeFor[T]()).Interface().(T)
	return err
}

// answerCase decodes body as one action's answer, in one pass and with
// the reference reading, and returns the result and the error.
type answerCase struct {
	name string
	run  func(body []byte, oracle bool) (any, error)
}

func listCase[T any, PT decoder[T]](key string) answerCase {
	return answerCase{key, func(body []byte, oracle bool) (any, error) {
		var out []T
		var err error
		if oracle {
			err = refDecode(body, key, &out)
		} else {
			err = decodeAnswer(body, []string{key}, list[T, PT](&out))
		}
		return out, err
	}}
}

func answerCases() []answerCase {
	return []answerCase{
		listCase[Region]("regions"), listCase[Period]("periods"), listCase[TaskSummary]("tasks"),
		listCase[Label]("labels"), listCase[GovernmentPayment]("block"),
		{"task", func(body []byte, oracle bool) (any, error) {
			var out Task
			var err error
			if oracle {
				err = refDecode(body, "task", &out)
			} else {
				err = decodeAnswer(body, []string{"task"}, nullable(&out))
			}
			return out, err
		}},
		{"schools", func(body []byte, oracle bool) (any, error) {
			var out Schools
			var err error
			if oracle {
				wire := reflect.New(refWire(reflect.TypeFor[Schools]()))
				err = refDecodeAnswer(body, "schools", wire.Interface())
				out = refPublic(wire.Elem(), reflect.TypeFor[Schools]()).Interface().(Schools)
			} else {
				err = decodeAnswer(body, []string{"schools", "schools_stock"}, list(&out.Schools), money{&out.Stock})
			}
			return out, err
		}},
	}
}

// checkAnswer holds decodeAnswer to the oracle on body: both fail or both
// succeed with the same values.
func checkAnswer(t *testing.T, body []byte) {
	t.Helper()
	for _, c := range answerCases() {
		got, err := c.run(body, false)
		want, refErr := c.run(body, true)
		if (err == nil) != (refErr == nil) {
			t.Fatalf("%s: %q: one pass: %v; two passes: %v", c.name, body, err, refErr)
		}
		if err != nil {
			continue
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if !bytes.Equal(g, w) {
			t.Fatalf("%s: %q:\none pass:   %s\ntwo passes: %s", c.name, body, g, w)
		}
	}
}

var answerSeeds = []string{
	`{"regions":[{"id":"21","name":"Івано-франківська область"},{"id":7,"name":"Херсонська область"}]}`,
	`{"REGIONS":[{"ID":"21","Name":"x"}],"regions":[{"id":"22"}]}`,
	`{"regions":[{"id":"21"}],"Regions":null}`,
	`{"regions":[],"error":null}`, `{"regions":null}`, `{"regions":"none"}`, `{"regions":{"id":"21"}}`,
	`{"error":"maintenance"}`, `{}`, `null`, ` null `, `[1,2,3]`, `"regions"`, `42`, `true`, ``, `{`, `{"regions":[]} x`,
	`{"regions":[]}{"regions":[]}`, `{"regions":[{"id":{}}]}`, `{"regions":[{"id":"1"}],"x":[1,2}`,
	`{"re\u0067ions":[{"id":"5"}]}`, `{"regions":[{"id":"\ud800"}]}`, "{\"regions\":[{\"name\":\"a\xffb\"}]}",
	`{"schools_stock":"1293402.51","schools":[{"amount":null,"balance":"73196.3900","id_school":"61","stock":"254141.0400"}]}`,
	`{"schools_stock":"1.00"}`, `{"Schools_Stock":7,"SCHOOLS":[]}`, `{"schools_stock":"x","schools":[]}`,
	`{"task":{"Id_task":"794","vote":{"Count":"0","Value":0},"reports":[{"Id_report":"771","images":[{"image_url":"u"}],"Comments":[]}],"Comments":[1,{"a":2}]}}`,
	`{"task":null}`, `{"task":{}}`, `{"task":[]}`,
	`{"tasks":[{"Spend":0,"Id_task":"796","Vote":0,"Report_count":0,"Date_add":"2017-12-08 14:46:15"}]}`,
	`{"tasks":[{"deadline":"soon"}]}`, `{"labels":[{"id_label":"2","name":"Будівельні матеріали"}]}`,
	`{"block":[{"id_payment":"299","bookkeeping":{"edrpou":"02146713","last_update":"2017-12-15"},"amount":"17185.1","confirmed":"1","school":null}]}`,
	`{"block":[{"amount":"1,5"}]}`, `{"data":{"regions":[]}}`,
}

func TestDecodeAnswerMatchesTwoPassReading(t *testing.T) { testkit.Seeds(t, answerSeeds, checkAnswer) }

func FuzzDecodeAnswer(f *testing.F) { testkit.Fuzz(f, answerSeeds, checkAnswer) }

var errorSeeds = []string{
	`{"error":"maintenance"}`, `{"message":"down","error":null}`, `{"Error":"x","Message":"y"}`, `{"error":1,"message":"m"}`,
	`{"error":"a","error":2}`, `{"error":2,"error":"b"}`, `{"ERROR":"x"}`, `{"\u0065rror":"esc\u00e9"}`, `null`, `{}`,
	`[]`, `"text"`, `42`, `<html><title>Down</title></html>`, `{"error":"x"} trailing`, "{\"error\":\"a\xffb\"}", ``, `{`,
}

func TestErrorMessageMatchesTwoPassReading(t *testing.T) {
	testkit.Seeds(t, errorSeeds, checkErrorMessage)
}

func FuzzErrorMessage(f *testing.F) { testkit.Fuzz(f, errorSeeds, checkErrorMessage) }

func checkErrorMessage(t *testing.T, body []byte) {
	t.Helper()
	msg, ok := errorMessage(body)
	wantMsg, wantOK := refErrorMessage(body)
	if msg != wantMsg || ok != wantOK {
		t.Fatalf("%q: %q %v; two passes: %q %v", body, msg, ok, wantMsg, wantOK)
	}
}

// TestPublicTypesDecodeInOnePass: the public types decode the API's
// objects with encoding/json (UnmarshalJSON) and with the v2 API
// (UnmarshalJSONFrom) alike, with encoding/json's rules (keys in any
// case) whatever the v2 options, and refuse the same values.
func TestPublicTypesDecodeInOnePass(t *testing.T) {
	for _, b := range fzAnswers {
		for i, d := range fzDecoders {
			v1, err1 := d([]byte(b))
			v2, err2 := fzDecodersV2[i]([]byte(b))
			require.Equal(t, err1 == nil, err2 == nil, "decoder %d: %s: %v / %v", i, b, err1, err2)
			assert.Equal(t, v1, v2, "decoder %d: %s", i, b)
		}
	}
	var ps []GovernmentPayment
	require.NoError(t, jsonv2.Unmarshal([]byte(`[{"ID_PAYMENT":"1","Amount":"17185.10","school":{"Id_school":7}},null]`), &ps))
	assert.Equal(t, "1", ps[0].ID)
	assert.Equal(t, "17185.10", ps[0].Amount.StringFixed(2))
	assert.Equal(t, "7", ps[0].School.ID)
	assert.Equal(t, GovernmentPayment{}, ps[1])
	err := jsonv2.Unmarshal([]byte(`[{"amount":"1,5"}]`), &ps)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1,5")
}

var fzDecodersV2 = []func(b []byte) (any, error){
	fzDecodeAsV2[Region], fzDecodeAsV2[Period], fzDecodeAsV2[Schools], fzDecodeAsV2[School], fzDecodeAsV2[Task],
	fzDecodeAsV2[Vote], fzDecodeAsV2[Report], fzDecodeAsV2[Image], fzDecodeAsV2[TaskSummary], fzDecodeAsV2[Label],
	fzDecodeAsV2[GovernmentPayment], fzDecodeAsV2[Bookkeeping], fzDecodeAsV2[Recipient], fzDecodeAsV2[PaymentSchool],
}

func fzDecodeAsV2[T any](b []byte) (any, error) {
	var v T
	err := jsonv2.Unmarshal(b, &v) // v2's own defaults: the type applies encoding/json's rules itself
	return v, err
}

// paymentsBody returns the fake's answer to action=governmentpayments
// with n payments, as the bench harness builds it.
func paymentsBody(tb testing.TB, n int) []byte {
	tb.Helper()
	ds := openschooltest.DefaultDataset()
	first := ds.Payments[0]
	ds.Payments = ds.Payments[:min(n, len(ds.Payments))]
	for i := range n - len(ds.Payments) {
		p := first
		p.ID = strconv.Itoa(1000 + i)
		p.DocNumber = strconv.Itoa(7000 + i)
		p.MasterID = strconv.Itoa(72090000 + i)
		ds.Payments = append(ds.Payments, p)
	}
	srv := openschooltest.NewServerWith(ds)
	defer srv.Close()
	return getBody(tb, srv.URL+"/api/v1?action=governmentpayments")
}

// getBody returns the body of the answer to a GET of url.
func getBody(tb testing.TB, url string) []byte {
	tb.Helper()
	_, body := testkit.Send(tb, http.DefaultClient, testkit.NewRequest(tb, http.MethodGet, url, ""))
	return body
}

// handPayment is the payment as a developer would decode it by hand
// (the bench harness's baseline): plain strings.
type handPayment struct {
	IDPayment     string `json:"id_payment"`
	IDBookkeeping string `json:"id_bookkeeping"`
	IDRecipient   string `json:"id_recipient"`
	IDSchool      string `json:"id_school"`
	DocNumber     string `json:"doc_number"`
	MasterID      string `json:"master_id"`
	Confirmed     string `json:"confirmed"`
	Amount        string `json:"amount"`
	Details       string `json:"payment_details"`
	IDProfile     string `json:"id_profile"`
	DocDate       string `json:"doc_date"`
	DocVDate      string `json:"doc_v_date"`
	TransDate     string `json:"trans_date"`
	Label         string `json:"label"`
	Bookkeeping   struct {
		ID         string `json:"id_bookkeeping"`
		EDRPOU     string `json:"edrpou"`
		Name       string `json:"name"`
		Bank       string `json:"bank"`
		MFO        string `json:"mfo"`
		Account    string `json:"account"`
		LastUpdate string `json:"last_update"`
	} `json:"bookkeeping"`
	Recipient struct {
		ID      string `json:"id_recipient"`
		EDRPOU  string `json:"edrpou"`
		Name    string `json:"name"`
		Bank    string `json:"bank"`
		MFO     string `json:"mfo"`
		Account string `json:"account"`
	} `json:"recipient"`
	School struct {
		ID          string `json:"id_school"`
		Name        string `json:"name"`
		Description string `json:"description"`
		Address     string `json:"address"`
		Phone       string `json:"phone"`
		Bookkeeping string `json:"bookkeeping"`
		Postfix     string `json:"postfix"`
		IDRegion    string `json:"id_region"`
	} `json:"school"`
}

// BenchmarkDecodePayments compares the decoding alone of 1000 budget
// payments: the client's one pass, the former two passes, a user decoding
// the public type with encoding/json or the v2 API, and plain strings with
// encoding/json (the hand-written baseline).
//
//	go test -run '^$' -bench DecodePayments -benchmem ./openschool/
func BenchmarkDecodePayments(b *testing.B) {
	for _, n := range []int{1, 1000} {
		body := paymentsBody(b, n)
		b.Run(fmt.Sprintf("%d/client", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var out []GovernmentPayment
				if err := decodeAnswer(body, []string{"block"}, list(&out)); err != nil || len(out) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("%d/two-pass", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var out struct {
					Block []GovernmentPayment `json:"block"`
				}
				if err := refDecodeAnswer(body, "block", &out); err != nil || len(out.Block) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("%d/public-v1", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var out struct{ Block []GovernmentPayment }
				if err := json.Unmarshal(body, &out); err != nil || len(out.Block) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("%d/public-v2", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var out struct{ Block []GovernmentPayment }
				if err := jsonv2.Unmarshal(body, &out, lenient.Options()); err != nil || len(out.Block) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("%d/hand", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var out struct{ Block []handPayment }
				if err := json.Unmarshal(body, &out); err != nil || len(out.Block) != n {
					b.Fatal(err)
				}
			}
		})
	}
}

var timeSeeds = []string{
	`"2017-12-08 14:05:26"`, `"2017-12-30"`, `"0000-00-00"`, `"0000-00-00 00:00:00"`, `"0000-01-01"`, `"9999-12-31 23:59:59"`,
	`"2024-02-29"`, `"2023-02-29"`, `"1900-02-29"`, `"2000-02-29"`, `"2017-04-31"`, `"2017-13-01"`, `"2017-00-10"`, `"2017-12-00"`,
	`"2017-12-08 24:00:00"`, `"2017-12-08 23:60:00"`, `"2017-12-08 23:59:60"`, `"2017-12-08T14:05:26"`, `"2017-12-08 14:05:26.5"`,
	`"2017-12-08 7:05:26"`, `"2017-12-08  7:05:26"`, `"2017-1-08"`, `"2017/12/08"`, `"+017-12-08"`, `"2017-12-08T14:05:26+03:00"`,
	`"2017-12-0\u0038"`, `""`, `"undef"`, `null`, `20171230`, `"abc"`, `" 2017-12-30"`, `"2017-12-30 "`, `{}`,
}

// TestPerlTimeIsLenientTime: parseTime reads every value as
// lenient.TimeIn[kyivZone] does (the same time, the same refusals), and
// the back end's two forms without allocating.
func TestPerlTimeIsLenientTime(t *testing.T) {
	for _, s := range timeSeeds {
		checkPerlTime(t, []byte(s))
	}
	for _, s := range []string{`"2017-12-08 14:05:26"`, `"2017-12-30"`} {
		raw := []byte(s)
		assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = parseTime(raw) }), s)
	}
}

func FuzzPerlTime(f *testing.F) { testkit.Fuzz(f, timeSeeds, checkPerlTime) }

func checkPerlTime(t *testing.T, raw []byte) {
	t.Helper()
	var want lenient.TimeIn[kyivZone]
	got, err := parseTime(raw)
	wantErr := want.UnmarshalJSON(raw)
	if (err == nil) != (wantErr == nil) || got != want.T {
		t.Fatalf("%q: %v %v; lenient: %v %v %v", raw, got, err, want.T, want.Valid, wantErr)
	}
}

// taskBody returns the fake's answer to action=tasks&id_task=794.
func taskBody(tb testing.TB) []byte {
	tb.Helper()
	srv := openschooltest.NewServer()
	defer srv.Close()
	return getBody(tb, srv.URL+"/api/v1?action=tasks&id_task=794")
}

// handTask is the task as the bench harness decodes it by hand.
type handTask struct {
	Task struct {
		IDTask      string  `json:"id_task"`
		Name        string  `json:"name"`
		Description string  `json:"description"`
		Status      string  `json:"status"`
		Node        string  `json:"node"`
		Item        string  `json:"item"`
		IDPeriod    string  `json:"id_period"`
		Label       string  `json:"label"`
		Amount      string  `json:"amount"`
		GovSpend    float64 `json:"government_spend"`
		Deadline    string  `json:"deadline"`
		DateAdd     string  `json:"date_add"`
		DateUpdate  string  `json:"date_update"`
		Archive     string  `json:"archive"`
		ParentTask  *string `json:"parent_task"`
		IDProfile   string  `json:"id_profile"`
		Vote        struct {
			Count string  `json:"count"`
			Value float64 `json:"value"`
		} `json:"vote"`
		Reports []struct {
			IDReport    string `json:"id_report"`
			Name        string `json:"name"`
			Description string `json:"description"`
			Spend       string `json:"spend"`
			Government  string `json:"government"`
			Archive     string `json:"archive"`
			DateAdd     string `json:"date_add"`
			IDProfile   string `json:"id_profile"`
			Images      []struct {
				URL string `json:"image_url"`
			} `json:"images"`
		} `json:"reports"`
	} `json:"task"`
}

// BenchmarkDecodeTask compares the decoding alone of one task (the bench
// harness's small openschool call): the client's one pass, the former two
// passes, and the hand-written baseline.
//
//	go test -run '^$' -bench DecodeTask -benchmem ./openschool/
func BenchmarkDecodeTask(b *testing.B) {
	body := taskBody(b)
	b.Run("client", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out Task
			if err := decodeAnswer(body, []string{"task"}, nullable(&out)); err != nil || len(out.Reports) != 1 {
				b.Fatal(err)
			}
		}
	})
	b.Run("two-pass", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out struct {
				Task *Task `json:"task"`
			}
			if err := refDecodeAnswer(body, "task", &out); err != nil || len(out.Task.Reports) != 1 {
				b.Fatal(err)
			}
		}
	})
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out handTask
			if err := json.Unmarshal(body, &out); err != nil || len(out.Task.Reports) != 1 {
				b.Fatal(err)
			}
		}
	})
}
