package uchet

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
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
// one-pass reading (readStatus) agrees with the two-pass reading it
// replaced (refReadStatus): the same answers refused, the same members
// missing, the same status; the derived lists are sorted task names of
// the answer.
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

		st, shape, bad, err := readStatus(body, Almaty)
		refSt, refShape, refBad, refErr := refReadStatus(body, Almaty)
		if (err == nil) != (refErr == nil) {
			t.Fatalf("%q: one pass: %v; two passes: %v", body, err, refErr)
		}
		if err != nil {
			return
		}
		if (shape == nil) != (refShape == nil) || (shape != nil && shape.Error() != refShape.Error()) {
			t.Fatalf("%q: shape: one pass: %v; two passes: %v", body, shape, refShape)
		}
		if (bad == nil) != (refBad == nil) {
			t.Fatalf("%q: times: one pass: %v; two passes: %v", body, bad, refBad)
		}
		if !reflect.DeepEqual(st, refSt) {
			t.Fatalf("%q:\none pass:   %+v\ntwo passes: %+v", body, st, refSt)
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

// fzText is s as a JSON round trip gives it back.
func fzText(s string) string {
	b, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(b, &out)
	return out
}

// refReadStatus is the former reading of an update_status answer, kept as
// the oracle of readStatus: encoding/json into a wire struct, then a
// second decode into map[string]skipValue to list the members.
func refReadStatus(body []byte, loc *time.Location) (st *UpdateStatus, shape, bad, err error) {
	var w refStatusWire
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, nil, nil, err
	}
	shape = refMissingMembers(body, statusMembers...)
	st, bad = w.public(loc)
	return st, shape, bad, nil
}

type (
	refStatusWire struct {
		IINBIN     string                 `json:"iin_bin"`
		TasksCount int                    `json:"tasks_count"`
		Processed  int                    `json:"processed"`
		Success    int                    `json:"success"`
		Failed     int                    `json:"failed"`
		Processing int                    `json:"processing"`
		Start      *string                `json:"start_time"`
		Finish     *string                `json:"finish_time"`
		Tasks      map[string]refTaskWire `json:"tasks"`
	}
	refTaskWire struct {
		Status string  `json:"status"`
		Start  *string `json:"start_time"`
		Finish *string `json:"finish_time"`
	}
)

func (w *refStatusWire) public(loc *time.Location) (*UpdateStatus, error) {
	st := &UpdateStatus{IINBIN: w.IINBIN, TasksCount: w.TasksCount, Processed: w.Processed, Success: w.Success,
		Failed: w.Failed, Processing: w.Processing, Tasks: make(map[TaskName]Task, len(w.Tasks))}
	var err, e error
	st.Start, e = parseTime("start_time", w.Start, loc)
	err = errors.Join(err, e)
	st.Finish, e = parseTime("finish_time", w.Finish, loc)
	err = errors.Join(err, e)
	for name, tw := range w.Tasks {
		t := Task{Status: TaskStatus(tw.Status)}
		t.Start, e = parseTime("tasks."+name+".start_time", tw.Start, loc)
		err = errors.Join(err, e)
		t.Finish, e = parseTime("tasks."+name+".finish_time", tw.Finish, loc)
		err = errors.Join(err, e)
		st.Tasks[TaskName(name)] = t
	}
	return st, err
}

func refMissingMembers(body []byte, names ...string) error {
	var members map[string]refSkip
	if err := json.Unmarshal(body, &members); err != nil {
		return err
	}
	if members == nil {
		return errors.New("the answer is null, not a JSON object")
	}
	var missing []string
	for _, name := range names {
		found := false
		for k := range members {
			found = found || k == name || strings.EqualFold(k, name)
		}
		if !found {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the answer lacks the documented member(s) %s", strings.Join(missing, ", "))
	}
	return nil
}

type refSkip struct{}

func (*refSkip) UnmarshalJSON([]byte) error { return nil }
