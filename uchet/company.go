package uchet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/query"
)

// Company is the answer of get_bin_info or get_iin_info.
//
// These methods are not on the official documentation pages seen so far;
// their paths and field names come from public third-party code that
// calls the API. The fields below are the ones such code reads, decoded
// leniently (a missing or differently typed field stays empty); Raw keeps
// every field of the answer as sent.
type Company struct {
	NameRU       string // name_ru
	NameKZ       string // name_kz
	FullNameRU   string // full_name_ru
	Status       string // status
	HeadFullName string // head_fullname
	AddressRU    string // address_ru
	AddressKZ    string // address_kz
	OKEDCode     string // oked_code
	OKEDNameRU   string // oked_name_ru
	// Registered is registration_date (YYYY-MM-DD) as a date in the
	// client's location; zero when absent.
	Registered time.Time
	// Raw holds every member of the answer, sections such as tax_debt,
	// elicense, goszakup or stat_gov included.
	Raw map[string]json.RawMessage
}

// CompanyByBIN returns a legal entity's data (GET get_bin_info/?bin=…).
//
// Based on public usage, not the official page. It may use up one of the
// paid checks of the tariff plan (a company opened for the first time in
// a month is billed), so it is sent once and never retried. A 2xx answer
// that holds no company data (not a JSON object, {}, or only "error",
// "errors" or "message") is an [*Error] matching [ErrDecode] with the body
// kept, token masked.
func (c *Client) CompanyByBIN(ctx context.Context, bin string) (*Company, error) {
	if err := checkIINBIN("bin", bin); err != nil {
		return nil, err
	}
	return c.company(ctx, "get_bin_info/", binQuery{BIN: bin})
}

// CompanyByIIN returns an individual entrepreneur's data (GET
// get_iin_info/?iin=…).
//
// Based on public usage, not the official page. It may use up one of the
// paid checks of the tariff plan, so it is sent once and never retried.
// Its answer is checked as [Client.CompanyByBIN]'s is.
func (c *Client) CompanyByIIN(ctx context.Context, iin string) (*Company, error) {
	if err := checkIINBIN("iin", iin); err != nil {
		return nil, err
	}
	return c.company(ctx, "get_iin_info/", iinQuery{IIN: iin})
}

// The queries of get_bin_info/ and get_iin_info/, encoded by
// internal/query; the client's transport adds the token.
type (
	binQuery struct {
		BIN string `url:"bin"`
	}
	iinQuery struct {
		IIN string `url:"iin"`
	}
)

// company reads a get_bin_info or get_iin_info answer (params is binQuery
// or iinQuery). Its members are not documented, so only its shape is
// checked (see checkCompany); an answer of another shape is an [*Error]
// matching [ErrDecode].
func (c *Client) company(ctx context.Context, path string, params any) (*Company, error) {
	q, err := query.Values(params)
	if err != nil {
		return nil, err
	}
	co := &Company{}
	var registered string
	err = c.get(ctx, path, q, true, func(body []byte) error {
		var err error
		registered, err = readCompany(body, co)
		if err != nil {
			return err
		}
		return checkCompany(co.Raw)
	})
	if err != nil {
		return nil, err
	}
	if d := strings.TrimSpace(registered); len(d) >= 10 {
		if t, err := time.ParseInLocation(time.DateOnly, d[:10], c.loc); err == nil {
			co.Registered = t
		}
	}
	return co, nil
}

// companyFields are the company members read into Company's fields, in
// the order of companyTargets.
var companyFields = []string{"name_ru", "name_kz", "full_name_ru", "status", "head_fullname", "address_ru",
	"address_kz", "oked_code", "oked_name_ru", "registration_date"}

// readCompany reads a company answer in one pass: every member, as sent,
// into co.Raw (nil for JSON null), and the members of companyFields,
// leniently (a number is kept as text; a value that does not fit, or
// null, leaves the field empty; keys match as encoding/json matches struct
// fields, the last of duplicate keys counting), into co's fields; it
// returns registration_date's text. An answer that is not a JSON object
// or null is an error.
func readCompany(body []byte, co *Company) (registered string, err error) {
	ar := lenient.NewReader(body)
	defer ar.Done()
	dec := &ar.Dec
	switch k := dec.PeekKind(); k {
	case '{':
	case 'n':
		if _, err := dec.ReadValue(); err != nil {
			return "", err
		}
		return "", lenient.AtEOF(dec)
	case 0:
		_, err := dec.ReadToken() // the syntax error PeekKind saw
		return "", err
	default:
		return "", fmt.Errorf("the answer is %s, not a JSON object", lenient.KindName(k))
	}
	if _, err := dec.ReadToken(); err != nil {
		return "", err
	}
	var fields [10]lenient.String
	targets := [...]*string{&co.NameRU, &co.NameKZ, &co.FullNameRU, &co.Status, &co.HeadFullName, &co.AddressRU,
		&co.AddressKZ, &co.OKEDCode, &co.OKEDNameRU, &registered}
	co.Raw = make(map[string]json.RawMessage)
	for dec.PeekKind() != '}' {
		key, err := dec.ReadValue()
		if err != nil {
			return "", err
		}
		text := lenient.Unquote(key)
		i := lenient.KeyIndex(companyFields, text)
		name := string(text)
		val, err := dec.ReadValue()
		if err != nil {
			return "", err
		}
		if i >= 0 {
			_ = fields[i].UnmarshalJSON(val) // lenient: a value that does not fit leaves the field as it was
		}
		co.Raw[name] = append(json.RawMessage(nil), val...)
	}
	if _, err := dec.ReadToken(); err != nil {
		return "", err
	}
	if err := lenient.AtEOF(dec); err != nil {
		return "", err
	}
	for i, f := range fields {
		*targets[i] = f.S
	}
	return registered, nil
}

// errorMembers are the members of the error and maintenance objects that
// web servers and frameworks answer with ({"error":"…"}, {"message":"…"},
// {"errors":[…]}); none is a company field in any known use of the API.
var errorMembers = []string{"error", "errors", "message"}

// checkCompany refuses a company answer that holds no company data: null
// (a JSON object is required), {} (no member at all), or an object whose
// only members are errorMembers, such as a maintenance object answered
// with 200. Any other object is read leniently.
func checkCompany(members map[string]json.RawMessage) error {
	if members == nil {
		return errors.New("the answer is null, not a JSON object")
	}
	if len(members) == 0 {
		return errors.New("the answer is an empty object, not a company")
	}
	for k := range members {
		if !slices.ContainsFunc(errorMembers, func(e string) bool { return strings.EqualFold(k, e) }) {
			return nil
		}
	}
	return errors.New("the answer holds only error members, not a company")
}

// ClassifierItem is one entry of a classifier.
type ClassifierItem struct {
	Code   string // code
	NameRU string // name_ru
	NameKZ string // name_kz
	// Raw is the entry as sent: a part of the answer's raw JSON that
	// Classifier returns, not a copy.
	Raw json.RawMessage
}

// Classifier returns a reference classifier (GET classifiers/{name}/), for
// example "krp", the enterprise-size classifier named on the official
// "Общее описание" page. The answer's shape is not documented: a JSON list
// of entries, or an object holding one under results, items or data, is
// read into Items; Raw always holds the answer as sent.
func (c *Client) Classifier(ctx context.Context, name string) (items []ClassifierItem, raw json.RawMessage, err error) {
	name = strings.Trim(strings.TrimSpace(name), "/")
	if name == "" || strings.ContainsAny(name, "/?#") {
		return nil, nil, invalid("name", "must be a classifier name such as krp")
	}
	err = c.get(ctx, "classifiers/"+url.PathEscape(name)+"/", nil, false, func(body []byte) error {
		raw = append(json.RawMessage(nil), bytes.Trim(body, " \t\r\n")...)
		items, err = readClassifier(raw)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return items, raw, nil
}

// classifierLists are the members that may hold a classifier's list, in
// order of preference (matched exactly).
var classifierLists = [...]string{"results", "items", "data"}

// classifierFields are the entry members read into ClassifierItem.
var classifierFields = []string{"code", "name_ru", "name_kz"}

// readClassifier reads a classifier answer, raw (one JSON value, no space
// around it), in one pass: a list of entries, or an object whose first
// member of classifierLists that holds a list (not null) holds them. Each
// entry's Raw is its text in raw; its fields are read leniently from an
// object entry (a value that does not fit leaves the field empty). Any
// other JSON gives no items; what is not one JSON value is an error.
func readClassifier(raw []byte) ([]ClassifierItem, error) {
	ar := lenient.NewReader(raw)
	defer ar.Done()
	dec := &ar.Dec
	var items []ClassifierItem
	switch dec.PeekKind() {
	case '[':
		list, err := readClassifierList(dec, raw)
		if err != nil {
			return nil, err
		}
		items = list
	case '{':
		if _, err := dec.ReadToken(); err != nil {
			return nil, err
		}
		var lists [len(classifierLists)]struct {
			items []ClassifierItem
			ok    bool // a list, not null or another value
		}
		for dec.PeekKind() != '}' {
			key, err := dec.ReadValue()
			if err != nil {
				return nil, err
			}
			i := slices.Index(classifierLists[:], string(lenient.Unquote(key)))
			if i < 0 || dec.PeekKind() != '[' {
				if i >= 0 {
					lists[i].items, lists[i].ok = nil, false // the last of duplicate keys counts
				}
				if err := dec.SkipValue(); err != nil {
					return nil, err
				}
				continue
			}
			if lists[i].items, err = readClassifierList(dec, raw); err != nil {
				return nil, err
			}
			lists[i].ok = true
		}
		if _, err := dec.ReadToken(); err != nil {
			return nil, err
		}
		for _, l := range lists {
			if l.ok {
				items = l.items
				break
			}
		}
	default:
		if err := dec.SkipValue(); err != nil {
			return nil, err
		}
	}
	if err := lenient.AtEOF(dec); err != nil {
		return nil, err
	}
	return items, nil
}

// readClassifierList reads a list of classifier entries from dec, which
// reads raw (nil for an empty list).
func readClassifierList(dec *jsontext.Decoder, raw []byte) ([]ClassifierItem, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	var items []ClassifierItem
	for dec.PeekKind() != ']' {
		start := dec.InputOffset()
		var item ClassifierItem
		if dec.PeekKind() == '{' {
			if _, err := dec.ReadToken(); err != nil {
				return nil, err
			}
			var fields [3]lenient.String
			for dec.PeekKind() != '}' {
				key, err := dec.ReadValue()
				if err != nil {
					return nil, err
				}
				i := lenient.KeyIndex(classifierFields, lenient.Unquote(key))
				val, err := dec.ReadValue()
				if err != nil {
					return nil, err
				}
				if i >= 0 {
					_ = fields[i].UnmarshalJSON(val) // lenient: a value that does not fit leaves the field as it was
				}
			}
			if _, err := dec.ReadToken(); err != nil {
				return nil, err
			}
			item.Code, item.NameRU, item.NameKZ = fields[0].S, fields[1].S, fields[2].S
		} else if err := dec.SkipValue(); err != nil {
			return nil, err
		}
		// The entry's text: what was read since the previous token, less
		// the comma and space before it.
		text := bytes.TrimLeft(raw[start:dec.InputOffset()], ", \t\r\n")
		item.Raw = json.RawMessage(text[:len(text):len(text)])
		items = append(items, item)
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	return items, nil
}
