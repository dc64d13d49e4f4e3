package uchet

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/steppe-sdk/steppe/internal/lenient"
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

type companyWire struct {
	NameRU       lenient.String `json:"name_ru"`
	NameKZ       lenient.String `json:"name_kz"`
	FullNameRU   lenient.String `json:"full_name_ru"`
	Status       lenient.String `json:"status"`
	HeadFullName lenient.String `json:"head_fullname"`
	AddressRU    lenient.String `json:"address_ru"`
	AddressKZ    lenient.String `json:"address_kz"`
	OKEDCode     lenient.String `json:"oked_code"`
	OKEDNameRU   lenient.String `json:"oked_name_ru"`
	Registered   lenient.String `json:"registration_date"`
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
	return c.company(ctx, "get_bin_info/", url.Values{"bin": {bin}})
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
	return c.company(ctx, "get_iin_info/", url.Values{"iin": {iin}})
}

// company reads a get_bin_info or get_iin_info answer. Its members are not
// documented, so only its shape is checked (see checkCompany); an answer
// of another shape is an [*Error] matching [ErrDecode].
func (c *Client) company(ctx context.Context, path string, q url.Values) (*Company, error) {
	co := &Company{}
	var w companyWire
	err := c.get(ctx, path, q, true, func(body []byte) error {
		if err := json.Unmarshal(body, &co.Raw); err != nil {
			return err
		}
		if err := checkCompany(co.Raw); err != nil {
			return err
		}
		_ = json.Unmarshal(body, &w) // lenient: fields that do not fit stay empty; Raw has them
		return nil
	})
	if err != nil {
		return nil, err
	}
	co.NameRU, co.NameKZ, co.FullNameRU, co.Status = w.NameRU.S, w.NameKZ.S, w.FullNameRU.S, w.Status.S
	co.HeadFullName, co.AddressRU, co.AddressKZ = w.HeadFullName.S, w.AddressRU.S, w.AddressKZ.S
	co.OKEDCode, co.OKEDNameRU = w.OKEDCode.S, w.OKEDNameRU.S
	if d := strings.TrimSpace(w.Registered.S); len(d) >= 10 {
		if t, err := time.ParseInLocation(time.DateOnly, d[:10], c.loc); err == nil {
			co.Registered = t
		}
	}
	return co, nil
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
	// Raw is the entry as sent.
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
	if err := c.get(ctx, "classifiers/"+url.PathEscape(name)+"/", nil, false, into(&raw)); err != nil {
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
		var w struct {
			Code   lenient.String `json:"code"`
			NameRU lenient.String `json:"name_ru"`
			NameKZ lenient.String `json:"name_kz"`
		}
		_ = json.Unmarshal(e, &w)
		items = append(items, ClassifierItem{Code: w.Code.S, NameRU: w.NameRU.S, NameKZ: w.NameKZ.S, Raw: e})
	}
	return items, raw, nil
}
