package openschool

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets of the decoders of the Perl back end's loose JSON and of
// the error body reader. Seeds are the documentation's examples in JSON.
// Fuzz one with e.g.
//
//	go test -run '^$' -fuzz '^FuzzDecode$' ./openschool/

// The answers of the documentation's §1–§6, as the Perl encoder sends them.
var fzAnswers = []string{
	`{"id":"21","name":"Івано-франківська область"}`,
	`{"name":"Внесено в систему до 01.09.2017","id_period":"44","date_end":"2017-09-04","date_start":"2017-03-01","current_period":null,"parent":null}`,
	`{"schools_stock":"1293402.51","schools":[{"amount":null,"description":"","balance":"73196.3900","region":"Херсонська область","id_school":"61","spend":"180944.6500","id_region":"7","address":"","phone":"","name":"Херсонська спеціалізована школа I-III ступенів №52","stock":"254141.0400"}]}`,
	`{"amount":"5000","date_update":"2017-12-08 14:05:26","description":"","archive":"0","reports":[{"Description":"","Comments":[],"Government":"0","Id_task":"794","Spend":"992","Name":"Звіт","Archive":"0","Id_report":"771","Date_add":"2017-12-08 14:05:26","images":[{"image_url":"http://openschool.in.ua/media/images/52697tile.png"}],"id_profile":"2"}],"Name":"Моє особисте завдання","Id_period":"45","Label":"Пеня","Government_spend":0,"Item":"67","Deadline":"2017-12-30","Date_add":"2017-12-08 10:35:35","Comments":[],"Id_task":"794","Node":"school","vote":{"Count":"0","Int_part":0,"Value":0,"Dec_part":0},"parent_task":null,"id_profile":"2","status":"inprogress"}`,
	`{"Spend":0,"Id_profile":"13","Date_update":"2017-12-08 14:47:45","Id_period":"45","Archive":"0","Description":"","Deadline":"2017-12-13","Amount":"458","Status":"done","Parent_task":null,"Label":"Квіти","Id_task":"796","Node":"school","Date_add":"2017-12-08 14:46:15","Item":"67","Vote_count":"0","Name":"Придбаті квіти","Vote":0,"Report_count":0}`,
	`{"id_label":"2","name":"Будівельні матеріали"}`,
	`{"id_bookkeeping":"1","bookkeeping":{"edrpou":"02146713","bank":"ГУ ДКСУ У ХЕРСОНСЬКІЙ ОБЛАСТІ","mfo":"852010","name":"Управління освіти ХМР","account":"35421103035762","id_bookkeeping":"1","last_update":"2017-12-15"},"id_recipient":"40","recipient":{"mfo":"380805","edrpou":"03355353","bank":"АТ “РАЙФФАЙЗЕН БАНК АВАЛЬ” У М. КИЄВІ","name":"ВАТ “Херсонгаз”","account":"26004414838","id_recipient":"40"},"id_school":"17","school":{"phone":"","description":"","id_school":"17","address":"","name":"test 30 ЗОШ","bookkeeping":"1","postfix":"","id_region":"14"},"doc_number":"6469","confirmed":"1","amount":"17185.1","payment_details":"1011010;2230;за молоко ДДЗ№73 накл. № 11-559 вiд 12.12.2017  дог. № 363 від 13.02.2017  д.у.№2 від 18.05.17;без ПДВ","id_profile":"0","doc_date":"2017-12-13","doc_v_date":"2017-12-13","trans_date":"2017-12-14","label":"Продукти та послуги з харчування","master_id":"72086483","id_payment":"299"}`,
	`{"count":"3","value":"4.3333","int_part":4,"dec_part":"3333"}`,
	`{"id_task":"undef","amount":"","archive":"undef","deadline":"0000-00-00","date_add":"0000-00-00 00:00:00","current_period":1}`,
	`{"amount":1e3,"id_task":7.5,"archive":true,"deadline":20171230}`, `null`, `{}`, `[]`,
}

// FuzzDecode decodes the input as every public type. JSON::XS sends the
// same field as a string one day and a number the next, and the
// documentation capitalises some keys: the answer with every numeric
// string turned into a number, every number into a string and every key
// capitalised must decode to the same value (or fail the same way).
func FuzzDecode(f *testing.F) {
	for _, s := range fzAnswers {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		flipped, ok := fzFlip(b)
		if !ok {
			for _, d := range fzDecoders {
				_, _ = d(b) // not JSON, or not UTF-8: only no panic
			}
			return
		}
		for i, d := range fzDecoders {
			v1, err1 := d(b)
			v2, err2 := d(flipped)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("decoder %d: %q: %v\n%s: %v", i, b, err1, flipped, err2)
			}
			if err1 != nil {
				continue
			}
			j1, e1 := json.Marshal(v1)
			j2, e2 := json.Marshal(v2)
			if e1 != nil || e2 != nil || !bytes.Equal(j1, j2) {
				t.Fatalf("decoder %d:\n%q\n-> %s (%v)\n%s\n-> %s (%v)", i, b, j1, e1, flipped, j2, e2)
			}
		}
	})
}

// fzDecoders decode b as each public type.
var fzDecoders = []func(b []byte) (any, error){
	fzDecodeAs[Region], fzDecodeAs[Period], fzDecodeAs[Schools], fzDecodeAs[School], fzDecodeAs[Task],
	fzDecodeAs[Vote], fzDecodeAs[Report], fzDecodeAs[Image], fzDecodeAs[TaskSummary], fzDecodeAs[Label],
	fzDecodeAs[GovernmentPayment], fzDecodeAs[Bookkeeping], fzDecodeAs[Recipient], fzDecodeAs[PaymentSchool],
}

func fzDecodeAs[T any](b []byte) (any, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

// fzFlip rewrites a JSON document in order: numbers become strings,
// strings holding a JSON number become numbers, keys get a capital first
// letter; the comments lists, kept as raw JSON, are copied as they are.
func fzFlip(b []byte) ([]byte, bool) {
	if !json.Valid(b) || !utf8.Valid(b) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out bytes.Buffer
	if err := fzFlipValue(dec, &out); err != nil {
		return nil, false
	}
	return out.Bytes(), true
}

func fzFlipValue(dec *json.Decoder, out *bytes.Buffer) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case json.Delim:
		out.WriteString(v.String())
		end := json.Delim('}')
		if v == '[' {
			end = ']'
		}
		for first := true; dec.More(); first = false {
			if !first {
				out.WriteByte(',')
			}
			if v == '{' {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				k := key.(string)
				if k != "" && k[0] >= 'a' && k[0] <= 'z' {
					k = string(k[0]-'a'+'A') + k[1:]
				}
				kb, _ := json.Marshal(k)
				out.Write(kb)
				out.WriteByte(':')
				if strings.EqualFold(k, "comments") {
					var raw json.RawMessage
					if err := dec.Decode(&raw); err != nil {
						return err
					}
					out.Write(raw)
					continue
				}
			}
			if err := fzFlipValue(dec, out); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
		out.WriteString(end.String())
	case json.Number:
		s, _ := json.Marshal(v.String())
		out.Write(s)
	case string:
		if fzNumber(v) {
			out.WriteString(v)
		} else {
			s, _ := json.Marshal(v)
			out.Write(s)
		}
	default: // bool, nil
		s, _ := json.Marshal(v)
		out.Write(s)
	}
	return nil
}

// fzNumber reports whether s is exactly a JSON number literal.
func fzNumber(s string) bool {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	last := s[len(s)-1]
	return last >= '0' && last <= '9' && json.Valid([]byte(s))
}

// FuzzParseError: no body panics the error reader (HTML pages of an
// unmaintained server, in any encoding, included); a JSON object's
// "error" or "message" is the message, an HTML page's title is the
// message, and other text only when it is short.
func FuzzParseError(f *testing.F) {
	for _, s := range []string{
		`{"error":"Not found"}`, `{"message":"Внутрішня помилка"}`, `{"Error":1,"Message":"m"}`,
		"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
		"<!DOCTYPE html><HTML><HEAD><TITLE> Помилка </TITLE></HEAD></HTML>", "Service Unavailable", "", "null",
		strings.Repeat("x", 201),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, msg := parseError(500, nil, []byte(s))
		text := strings.TrimSpace(s)
		if !json.Valid([]byte(s)) && !strings.Contains(strings.ToLower(text), "<title>") && msg != "" && (len(text) > 200 || msg != text) {
			t.Fatalf("%q: message %q", s, msg)
		}
		want := fzText(s)
		for _, key := range []string{"error", "message", "Error", "Message"} {
			body, _ := json.Marshal(map[string]string{key: s})
			if _, got := parseError(500, nil, body); got != want {
				t.Fatalf("%s: got %q, want %q", body, got, want)
			}
		}
		if !strings.Contains(strings.ToLower(s), "</title>") {
			page := "<html><head><title>" + s + "</title></head><body>" + s + "</body></html>"
			if _, got := parseError(502, nil, []byte(page)); got != strings.TrimSpace(s) {
				t.Fatalf("%q: title %q, want %q", page, got, strings.TrimSpace(s))
			}
		}
	})
}

// fzText is s as a JSON round trip gives it back.
func fzText(s string) string {
	b, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(b, &out)
	return out
}
