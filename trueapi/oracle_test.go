package trueapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// The readers this file keeps are the two-pass readers, on encoding/json,
// that the one-pass readers replaced; onepass_test.go checks that both
// give the same results.

func oldParseError(_ int, _ http.Header, body []byte) (code, message string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "", "" // e.g. the empty 406
	}
	switch body[0] {
	case '<':
		return parseXMLError(body)
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) == nil {
			return oldFromObject(obj)
		}
	case '[':
		var list []map[string]json.RawMessage
		if json.Unmarshal(body, &list) == nil {
			return oldFromList(list)
		}
	case '"':
		var s string
		if json.Unmarshal(body, &s) == nil {
			return "", s
		}
	}
	text := string(body)
	if len(text) > 300 {
		// Cut at a character boundary: Russian text is two bytes a letter.
		cut := 300
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	return "", text
}

// str reads a JSON string or number as text.
func oldStr(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

func oldFromObject(obj map[string]json.RawMessage) (code, message string) {
	first := func(keys ...string) string {
		for _, k := range keys {
			if s := oldStr(obj[k]); s != "" {
				return s
			}
		}
		return ""
	}
	code = first("errorCode", "error-code", "code", "error")
	message = first("error_message", "errorMessage", "error-msg", "description", "errorDescription", "message")
	if message == "" {
		if raw, ok := obj["errors"]; ok {
			if s := oldStr(raw); s != "" {
				message = s
			} else {
				var list []map[string]json.RawMessage
				if json.Unmarshal(raw, &list) == nil {
					c, m := oldFromList(list)
					message = m
					if code == "" {
						code = c
					}
				}
			}
		}
	}
	return code, message
}

func oldFromList(list []map[string]json.RawMessage) (code, message string) {
	var msgs []string
	for _, item := range list {
		c, m := oldFromObject(item)
		if code == "" {
			code = c
		}
		if m != "" {
			msgs = append(msgs, m)
		}
	}
	return code, strings.Join(msgs, "; ")
}

func oldTokenFrom(body []byte) string {
	var s string
	if json.Unmarshal(body, &s) == nil {
		return strings.TrimSpace(s)
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	for _, k := range []string{"token", "access_token", "accessToken", "id_token", "jwt"} {
		if json.Unmarshal(m[k], &s) == nil && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func oldParseOrderStatus(body []byte) (OrderStatus, error) {
	var s lenient.String
	if err := json.Unmarshal(body, &s); err != nil || s.S == "" {
		var obj struct {
			Status lenient.String `json:"status"`
		}
		if err2 := json.Unmarshal(body, &obj); err2 != nil || obj.Status.S == "" {
			if err == nil {
				err = errors.New("no status in the answer")
			}
			return "", err
		}
		s = obj.Status
	}
	status := strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(s.S)), " ", "_")
	if status == "" {
		return "", errors.New("a blank status in the answer")
	}
	return OrderStatus(status), nil
}

func oldParseOrderJSON(data []byte) ([]OrderedCis, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []OrderedCis
	for {
		var v json.RawMessage
		if err := dec.Decode(&v); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		recs, err := oldOrderJSONValue(v)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
}

// orderJSONValue reads an array of records, a record, or an object whose
// only array-valued field holds the records.
func oldOrderJSONValue(v json.RawMessage) ([]OrderedCis, error) {
	var list []map[string]json.RawMessage
	if json.Unmarshal(v, &list) == nil {
		out := make([]OrderedCis, 0, len(list))
		for _, m := range list {
			out = append(out, oldOrderedFromJSON(m))
		}
		return out, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(v, &obj); err != nil {
		return nil, err
	}
	if _, ok := obj["cis"]; !ok {
		// An object holding the records: every member that is a
		// non-empty array of records, in key order, so the result is the
		// same on every run.
		var out []OrderedCis
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if err := json.Unmarshal(obj[k], &list); err == nil && len(list) > 0 {
				recs, err := oldOrderJSONValue(obj[k])
				if err != nil {
					return nil, err
				}
				out = append(out, recs...)
			}
		}
		if out != nil {
			return out, nil
		}
	}
	return []OrderedCis{oldOrderedFromJSON(obj)}, nil
}

func oldOrderedFromJSON(m map[string]json.RawMessage) OrderedCis {
	str := func(k string) string {
		var s lenient.String
		_ = json.Unmarshal(m[k], &s)
		return s.S
	}
	r := OrderedCis{
		RequestedCis: str("requestedCis"), Cis: str("cis"), Code: str("code"), Status: CisStatus(str("status")),
		GTIN: str("gtin"), PackageType: PackageType(str("packageType")), Parent: str("parent"),
	}
	var t oracleTime
	if json.Unmarshal(m["producedDate"], &t) == nil {
		r.Produced = t.T
	}
	if raw, ok := m["child"]; ok {
		r.Children = oldChildList(raw)
	}
	for k, v := range m {
		if !orderedFields[strings.ToLower(k)] {
			r.setExtra(k, string(v))
		} else if k == "producedDate" && r.Produced.IsZero() && !lenient.IsAbsent(v) {
			r.setExtra(k, string(v)) // kept when it does not parse
		}
	}
	return r
}

// childList reads child as an array of codes, or a single code.
func oldChildList(raw []byte) []string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var one lenient.String
	if json.Unmarshal(raw, &one) == nil && one.S != "" {
		return []string{one.S}
	}
	return nil
}

type oldShipmentError ShipmentError

func (e *oldShipmentError) UnmarshalJSON(b []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err == nil {
		first := func(keys ...string) string {
			for _, k := range keys {
				if s := oldStr(obj[k]); s != "" {
					return s
				}
			}
			return ""
		}
		*e = oldShipmentError{
			Code:    first("code", "errorCode", "error-code"),
			Message: first("message", "errorMessage", "errorDescription", "description", "error_message", "error-msg"),
		}
		return nil
	}
	var s lenient.String
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*e = oldShipmentError{Message: s.S}
	if code, _, ok := strings.Cut(s.S, ":"); ok && code != "" && strings.Trim(code, "0123456789") == "" {
		e.Code = code
	}
	return nil
}

// shipmentErrorList reads errors as an array of items, a single item, or
// nothing (null, "", "undef", or a string of white space in place of the
// list, as in the error examples of D-21 … D-23).
type oldShipmentErrorList []oldShipmentError

func (l *oldShipmentErrorList) UnmarshalJSON(b []byte) error {
	if lenient.IsAbsent(b) {
		*l = nil
		return nil
	}
	var list []oldShipmentError
	if err := json.Unmarshal(b, &list); err == nil {
		*l = list
		return nil
	}
	var blank string
	if json.Unmarshal(b, &blank) == nil && strings.TrimSpace(blank) == "" {
		*l = nil
		return nil
	}
	var one oldShipmentError
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	if one == (oldShipmentError{}) {
		*l = nil
		return nil
	}
	*l = oldShipmentErrorList{one}
	return nil
}

func oldAggregates(body []byte) (Aggregates, error) {
	var raw map[string]json.RawMessage
	if err := jsonObject(body, &raw); err != nil {
		return nil, err
	}
	out := make(Aggregates, len(raw))
	for parent, v := range raw {
		var children map[string]json.RawMessage
		if err := json.Unmarshal(v, &children); err != nil {
			return nil, err
		}
		m := make(map[string][]string, len(children))
		for child, g := range children {
			m[child] = oldChildList(g)
		}
		out[parent] = m
	}
	return out, nil
}
