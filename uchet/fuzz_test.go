package uchet

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// Fuzz targets of the error-detail decoder and of the update_status
// answer with its "HH:MM:SS DD.MM.YYYY" times. Their seeds are the
// documentation's examples («Статус обновления данных»). Fuzz one with e.g.
//
//	go test -run '^$' -fuzz '^FuzzDetail$' ./uchet/

// FuzzDetail: no body panics; parseError reports what detail reads; the
// documented {"detail":{"code","message"}} gives its code and message
// back, and FastAPI's string detail its text.
func FuzzDetail(f *testing.F) {
	f.Add([]byte(`{"detail":{"code":"iin_bin_validation_error","message":"iin_bin is not valid"}}`), "iin_bin_validation_error", "iin_bin is not valid")
	f.Add([]byte(`{"detail":{"code":"not_found","message":"company not found"}}`), "not_found", "Компания не была найдена в базе Проверки Контрагента")
	f.Add([]byte(`{"detail":{"code":"token_error","message":"token is not found"}}`), "token_error", "Не был указан либо неверный токен")
	f.Add([]byte(`{"detail":"Not Found"}`), "", "Internal Server Error")
	f.Add([]byte(`{"detail":[{"loc":["query","iin_bin"],"msg":"field required","type":"value_error.missing"}]}`), "limit_exceeded", "")
	f.Add([]byte(`{"detail":null}`), "", "")
	f.Add([]byte(` {"detail":"x"}`), "\xff", "\x00")
	f.Add([]byte(`[]`), "", "")
	f.Fuzz(func(t *testing.T, body []byte, code, msg string) {
		c, m, ok := detail(body)
		if ok && (len(body) == 0 || body[0] != '{') {
			t.Fatalf("%q: detail read from a body that is not an object", body)
		}
		if !ok && (c != "" || m != "") {
			t.Fatalf("%q: no detail, yet %q %q", body, c, m)
		}
		if pc, pm := parseError(400, nil, body); pc != string(c) || pm != m {
			t.Fatalf("%q: parseError %q %q, detail %q %q", body, pc, pm, c, m)
		}

		code, msg = fzText(code), fzText(msg)
		doc, _ := json.Marshal(map[string]any{"detail": map[string]string{"code": code, "message": msg}})
		c, m, ok = detail(doc)
		if !ok || (code != "" && (string(c) != code || m != msg)) {
			t.Fatalf("%s: got %q %q %v", doc, c, m, ok)
		}
		text, _ := json.Marshal(map[string]any{"detail": msg})
		if c, m, ok := detail(text); !ok || c != "" || m != msg {
			t.Fatalf("%s: got %q %q %v", text, c, m, ok)
		}
	})
}

// FuzzUpdateStatus: no answer panics the decoding of update_status; a
// time string is read exactly when it is blank or in TimeLayout, and a
// time read is printed back in TimeLayout to the same instant; the
// derived lists are sorted task names of the answer.
func FuzzUpdateStatus(f *testing.F) {
	const example = `{"iin_bin":"141040028436","tasks_count":20,"processed":13,"success":13,"failed":0,"processing":7,` +
		`"start_time":"17:24:52 25.04.2023","finish_time":null,"tasks":{` +
		`"goszakup":{"status":"done","start_time":"17:24:52 25.04.2023","finish_time":"17:24:54 25.04.2023"},` +
		`"goszakup_unreliable":{"status":"done","start_time":"17:24:52 25.04.2023","finish_time":"17:24:53 25.04.2023"},` +
		`"payments":{"status":"processing","start_time":"17:24:52 25.04.2023","finish_time":null},` +
		`"samruk":{"status":"failed","start_time":"17:24:52 25.04.2023","finish_time":""}}}`
	f.Add([]byte(example), "17:24:52 25.04.2023")
	f.Add([]byte(`{"tasks_count":0,"tasks":{}}`), "")
	f.Add([]byte(`{"start_time":"25.04.2023 17:24:52","tasks":{"x":{"status":"weird","finish_time":"00:00:00 01.01.0001"}}}`), " 7:04:05 29.02.2024 ")
	f.Add([]byte(`{"tasks_count":"20"}`), "24:00:00 31.12.2023")
	f.Add([]byte(`null`), "03:30:00 21.03.1992")
	f.Fuzz(func(t *testing.T, body []byte, ts string) {
		v, err := parseTime("start_time", &ts, Almaty)
		want, refErr := fzParseTime(ts)
		if (err == nil) != (refErr == nil) || (err == nil && !v.Equal(want)) {
			t.Fatalf("%q: %v, %v; want %v, %v", ts, v, err, want, refErr)
		}
		if err == nil && !v.IsZero() {
			again := v.Format(TimeLayout)
			back, err := parseTime("start_time", &again, Almaty)
			if err != nil || !back.Equal(v) {
				t.Fatalf("%q -> %v -> %q -> %v, %v", ts, v, again, back, err)
			}
		}

		var w statusWire
		if json.NewDecoder(bytes.NewReader(body)).Decode(&w) != nil {
			return
		}
		st, err := w.public(Almaty)
		wantErr := !fzTimeOK(w.Start) || !fzTimeOK(w.Finish)
		for _, tw := range w.Tasks {
			wantErr = wantErr || !fzTimeOK(tw.Start) || !fzTimeOK(tw.Finish)
		}
		if (err != nil) != wantErr {
			t.Fatalf("%q: error %v; a bad time: %v", body, err, wantErr)
		}
		if st == nil || len(st.Tasks) != len(w.Tasks) {
			t.Fatalf("%q: %+v", body, st)
		}
		for _, names := range [][]TaskName{st.Running(), st.FailedTasks()} {
			if !slices.IsSorted(names) {
				t.Fatalf("%q: names not sorted: %v", body, names)
			}
			for _, n := range names {
				if _, ok := st.Tasks[n]; !ok {
					t.Fatalf("%q: %q is not a task", body, n)
				}
			}
		}
		if p := st.Percent(); math.IsNaN(p) || math.IsInf(p, 0) {
			t.Fatalf("%q: percent %v", body, p)
		}
		_ = st.Complete()
	})
}

// fzParseTime is the documented reading of a time: blank is zero, else
// TimeLayout in Asia/Almaty.
func fzParseTime(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation("15:04:05 02.01.2006", strings.TrimSpace(s), Almaty)
}

func fzTimeOK(s *string) bool {
	if s == nil {
		return true
	}
	_, err := fzParseTime(*s)
	return err == nil
}

// fzText is s as a JSON round trip gives it back.
func fzText(s string) string {
	b, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(b, &out)
	return out
}
