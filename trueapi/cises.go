package trueapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/query"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// MaxCodesPerRequest is the limit of codes in one cises/info request
// (K-5, "≤ 1000").
const MaxCodesPerRequest = 1000

// infoConcurrency bounds the requests of one CisesInfo call in flight.
const infoConcurrency = 4

// CisInfo is the cisInfo object of POST cises/info (True API v2.22, K-5)
// and a record of POST cises/list (K-8), every field optional. Members
// the server sent that have no field here (or whose value a field could
// not take) are kept in Extra, so nothing is lost.
type CisInfo struct {
	RequestedCis string // requestedCis: the code as requested
	Cis          string // cis
	GTIN         string // gtin
	// ProductGroupID is productGroupId (the documentation's table spells it
	// productGroupUpd, its example productGroupId; the example is read).
	ProductGroupID int64
	ProductGroup   string    // productGroup, e.g. "tobacco"
	ProductName    string    // productName
	Brand          string    // brand
	Produced       time.Time // producedDate
	PackageType    string    // packageType (§9 of the documentation)
	OwnerBIN       string    // ownerBin (masked for other participants)
	OwnerName      string    // ownerName
	Status         string    // status (§9 of the documentation)
	Children       []string  // child
	Parent         string    // parent
	ProducerBIN    string    // producerBin
	ProducerName   string    // producerName
	ExporterName   string    // exporterName
	// Extra holds every other member of the object, as sent; nil when
	// there is none.
	Extra map[string]json.RawMessage
}

// CisInfoResult is one element of the K-5 answer: the code's information,
// or the server's error for it.
type CisInfoResult struct {
	Info         *CisInfo // nil when the element carries only an error
	ErrorCode    string   // errorCode
	ErrorMessage string   // errorMessage
}

// cisInfoKeys are the members of a cisInfo object that [CisInfo] has a
// field for, in the order of [CisInfo.set].
var cisInfoKeys = [...]string{
	"requestedCis", "cis", "gtin", "productGroupId", "productGroup", "productName", "brand", "producedDate",
	"packageType", "ownerBin", "ownerName", "status", "child", "parent", "producerBin", "producerName", "exporterName",
}

// cisInfoMember returns the index in cisInfoKeys of the member called
// name (a member name as the decoder returns it, quotes included), or -1,
// and the key as sent. A name spelt exactly as documented, the usual
// case, allocates nothing; others are unescaped and matched without
// regard to case, as encoding/json matches struct fields.
func cisInfoMember(name []byte) (int, string) {
	i := -1
	switch string(name) {
	case `"requestedCis"`:
		i = 0
	case `"cis"`:
		i = 1
	case `"gtin"`:
		i = 2
	case `"productGroupId"`:
		i = 3
	case `"productGroup"`:
		i = 4
	case `"productName"`:
		i = 5
	case `"brand"`:
		i = 6
	case `"producedDate"`:
		i = 7
	case `"packageType"`:
		i = 8
	case `"ownerBin"`:
		i = 9
	case `"ownerName"`:
		i = 10
	case `"status"`:
		i = 11
	case `"child"`:
		i = 12
	case `"parent"`:
		i = 13
	case `"producerBin"`:
		i = 14
	case `"producerName"`:
		i = 15
	case `"exporterName"`:
		i = 16
	}
	if i >= 0 {
		return i, cisInfoKeys[i]
	}
	key := memberKey(name)
	return foldMember(cisInfoKeys[:], key), key
}

// set reads the value raw of member m (an index in cisInfoKeys) into its
// field, as the lenient types read it: strings also from numbers and
// booleans, productGroupId also from a string, producedDate in every
// layout the documentation uses, child a list of strings; null leaves the zero
// value. It reports false, leaving the field zero, for a value the field
// cannot take. The texts that repeat from record to record are read
// through t.
func (ci *CisInfo) set(m int, raw []byte, t texts) bool {
	ok := true
	switch m {
	case 0:
		ci.RequestedCis, ok = wireString(raw)
	case 1:
		ci.Cis, ok = wireString(raw)
	case 2:
		ci.GTIN, ok = t.string(raw)
	case 3:
		ci.ProductGroupID, ok = wireInt(raw)
	case 4:
		ci.ProductGroup, ok = t.string(raw)
	case 5:
		ci.ProductName, ok = t.string(raw)
	case 6:
		ci.Brand, ok = t.string(raw)
	case 7:
		var err error
		ci.Produced, err = wireTimeOf(raw)
		ok = err == nil
	case 8:
		ci.PackageType, ok = t.string(raw)
	case 9:
		ci.OwnerBIN, ok = t.string(raw)
	case 10:
		ci.OwnerName, ok = t.string(raw)
	case 11:
		ci.Status, ok = t.string(raw)
	case 12:
		ci.Children, ok = wireStrings(raw)
	case 13:
		ci.Parent, ok = wireString(raw)
	case 14:
		ci.ProducerBIN, ok = t.string(raw)
	case 15:
		ci.ProducerName, ok = t.string(raw)
	case 16:
		ci.ExporterName, ok = t.string(raw)
	}
	return ok
}

// decodeFrom reads a cisInfo object (K-5, and a record of K-8) from dec
// in one pass, straight into ci: each documented member into its field,
// every other member, and a value its field cannot take, as sent into
// Extra. Of a member sent more than once the last value counts. (This is
// [lenient.DecodeObject]'s reading of an object, with nothing copied but
// the members kept.) Texts go through t (see [texts]).
func (ci *CisInfo) decodeFrom(dec *jsontext.Decoder, t texts) error {
	*ci = CisInfo{}
	if err := readObjectStart(dec); err != nil {
		return err
	}
	// refused holds, per member, the key under which a value the field
	// refused was kept, so that a later value of the member replaces it.
	var refused [len(cisInfoKeys)]string
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		m, key := cisInfoMember(name)
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if m < 0 {
			keepMember(&ci.Extra, key, raw)
			continue
		}
		if refused[m] != "" {
			delete(ci.Extra, refused[m])
			refused[m] = ""
		}
		if !ci.set(m, raw, t) {
			keepMember(&ci.Extra, key, raw)
			refused[m] = key
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if len(ci.Extra) == 0 {
		ci.Extra = nil
	}
	return nil
}

// infoElementKeys are the members of a K-5 element.
var infoElementKeys = [...]string{"cisInfo", "errorCode", "errorMessage"}

// errNotInfoElement is the cause of a K-5 element that is not an object.
var errNotInfoElement = errors.New("a cises/info element is not a JSON object")

// decodeFrom reads one element of the K-5 answer, {"cisInfo": {…},
// "errorCode": …, "errorMessage": …}, from dec. Its members are matched
// like the fields of a struct by encoding/json; others are skipped. null
// leaves r zero, as does a null cisInfo its Info.
func (r *CisInfoResult) decodeFrom(dec *jsontext.Decoder, t texts) error {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadValue()
		return err
	case '{':
	default:
		if _, err := dec.ReadValue(); err != nil {
			return err
		}
		return errNotInfoElement
	}
	if err := readObjectStart(dec); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		var m int
		switch string(name) {
		case `"cisInfo"`:
			m = 0
		case `"errorCode"`:
			m = 1
		case `"errorMessage"`:
			m = 2
		default:
			m = foldMember(infoElementKeys[:], memberKey(name))
		}
		switch m {
		case 0:
			switch dec.PeekKind() {
			case 'n':
				r.Info = nil
				_, err = dec.ReadValue()
			case '{':
				if r.Info == nil {
					r.Info = new(CisInfo)
				}
				err = r.Info.decodeFrom(dec, t)
			default:
				if _, err = dec.ReadValue(); err == nil {
					err = fmt.Errorf("cisInfo: %w", lenient.ErrNotObject)
				}
			}
		case 1, 2:
			var raw []byte
			if raw, err = dec.ReadValue(); err != nil {
				break
			}
			var s lenient.String
			if err = s.UnmarshalJSON(raw); err != nil {
				break
			}
			if m == 1 {
				r.ErrorCode = s.S
			} else {
				r.ErrorMessage = s.S
			}
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// infoAnswer is the K-5 answer read in one pass: a JSON array of
// elements, or a single element (the documentation's example is one object while
// the method takes a list and its access note speaks of an empty array).
// The first byte decides which; null is refused before.
type infoAnswer []CisInfoResult

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (a *infoAnswer) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		var t texts
		for dec.PeekKind() != ']' {
			if len(*a) == 1 {
				t = make(texts) // a list: its texts repeat
			}
			*a = append(*a, CisInfoResult{})
			if err := (&(*a)[len(*a)-1]).decodeFrom(dec, t); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	case '{':
		*a = append(*a, CisInfoResult{})
		return (&(*a)[len(*a)-1]).decodeFrom(dec, nil)
	}
	if _, err := dec.ReadValue(); err != nil {
		return err
	}
	return errors.New("the answer is neither a list of cises/info elements nor one element")
}

// decodeInfo reads the K-5 answer, a list of elements or one element.
func decodeInfo(body []byte) ([]CisInfoResult, error) {
	return decodeInfoFor(body, 0)
}

// decodeInfoFor is decodeInfo for the answer to n codes: room for n
// results is made at once.
func decodeInfoFor(body []byte, n int) ([]CisInfoResult, error) {
	if err := notNull(body); err != nil {
		return nil, err
	}
	out := make(infoAnswer, 0, n)
	if err := unmarshalFrom(body, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// CisesInfo returns detailed information on marking codes (POST
// cises/info, True API v2.22, K-5). The body is a bare JSON array of codes,
// as the method requires. More than 1000 codes are split into requests of
// 1000, up to 4 in flight; the results come back in the order of the codes'
// batches, each batch in the server's order. Codes of other participants
// are left out by the server (not an error). The call only reads, so it is
// retried like a GET. It sends no product group; [Client.CisesInfoWithQuery]
// takes the optional pg.
//
// When some batches get no answer, the results of the others are returned
// together with a [*BatchError] that lists the codes without an answer, so
// that only those need to be asked for again. A failed batch does not stop
// the others, except for a failure every batch would meet (401 after a new
// sign-in, 403, 400, the context ending), which stops the ones not yet
// sent.
func (c *Client) CisesInfo(ctx context.Context, codes []string) ([]CisInfoResult, error) {
	return c.CisesInfoWithQuery(ctx, CisesInfoQuery{Codes: codes})
}

// CisesInfoQuery is the input of [Client.CisesInfoWithQuery] (POST
// cises/info, True API v2.22, K-5).
type CisesInfoQuery struct {
	// Codes are the marking codes, without the crypto tail; tobacco group
	// codes with or without brackets. Required.
	Codes []string
	// ProductGroup is pg, optional: changelog 2.16 makes it optional for
	// POST cises/info, tobacco included. The method's table does not list
	// it; since the body is a bare JSON array of codes it is sent in the
	// query string (cises/info?pg=tobacco), where POST
	// cises/aggregated/list (K-6), a POST with the same kind of body,
	// carries its pg. Empty sends none.
	ProductGroup ProductGroup
}

// CisesInfoWithQuery is [Client.CisesInfo] with the optional parameters of
// K-5: q.ProductGroup is sent as pg on every batch's request. (A query
// struct rather than a new parameter of CisesInfo keeps every existing
// call compiling, and leaves room for the next optional parameter, like
// [AggregatedQuery] for cises/aggregated/list.)
func (c *Client) CisesInfoWithQuery(ctx context.Context, q CisesInfoQuery) ([]CisInfoResult, error) {
	if err := checkCodes("codes", q.Codes); err != nil {
		return nil, err
	}
	if q.ProductGroup != "" && strings.TrimSpace(string(q.ProductGroup)) == "" {
		return nil, transport.Invalid("pg", "is blank")
	}
	params, err := query.Values(cisesInfoQuery{ProductGroup: q.ProductGroup})
	if err != nil {
		return nil, err
	}
	if len(q.Codes) <= MaxCodesPerRequest {
		res, err := oneBatch(ctx, "cises/info", q.Codes, func(ctx context.Context, codes []string) ([]CisInfoResult, error) {
			return c.cisesInfoBatch(ctx, params, codes)
		})
		if err != nil {
			return []CisInfoResult{}, err
		}
		return res, nil
	}
	batches, err := inBatches(ctx, "cises/info", q.Codes, func(ctx context.Context, codes []string) ([]CisInfoResult, error) {
		return c.cisesInfoBatch(ctx, params, codes)
	})
	return concat(batches), err
}

// The query strings of cises/info (K-5), cises/list (K-8) and
// cises/history (K-10), encoded by internal/query: a list is sent as
// repeated keys (values=a&values=b), never joined with commas.
type (
	cisesInfoQuery struct {
		ProductGroup ProductGroup `url:"pg,omitempty"`
	}
	cisesListQuery struct {
		Values []string `url:"values"`
	}
	cisHistoryQuery struct {
		Code string `url:"code"`
	}
)

// concat joins the results of the batches; one batch's are returned as
// they are.
func concat[T any](batches [][]T) []T {
	if len(batches) == 1 {
		return batches[0]
	}
	return slices.Concat(batches...)
}

func (c *Client) cisesInfoBatch(ctx context.Context, params url.Values, codes []string) ([]CisInfoResult, error) {
	body, err := transport.JSONBody(codes)
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Method: http.MethodPost, Path: "cises/info", Query: params, Body: body, ContentType: "application/json", Idempotent: true}
	decode := decodeInfo
	if len(codes) > 1 {
		decode = func(body []byte) ([]CisInfoResult, error) { return decodeInfoFor(body, len(codes)) }
	}
	return decoded(ctx, c, req, decode)
}

// CisesList returns information on marking codes (POST cises/list,
// K-8): the codes travel in the query string as repeated values
// (values=a&values=b, a comma being part of a code, strictly escaped) and
// the request has no body. The answer carries the fields of [CisInfo] but
// brand and exporterName; its productGroupId is a string since 2.10 and
// is read either way. More than 1000 codes are split into requests of
// 1000, up to 4 in flight, the results in the batches' order. Codes of
// other participants are left out by the server. The call only reads, so
// it is retried like a GET. Batches that get no answer are reported by a
// [*BatchError] beside the results of the others, as for
// [Client.CisesInfo].
func (c *Client) CisesList(ctx context.Context, codes []string) ([]CisInfo, error) {
	if err := checkCodes("values", codes); err != nil {
		return nil, err
	}
	batches, err := inBatches(ctx, "cises/list", codes, func(ctx context.Context, batch []string) ([]CisInfo, error) {
		params, err := query.Values(cisesListQuery{Values: batch})
		if err != nil {
			return nil, err
		}
		req := &transport.Request{Method: http.MethodPost, Path: "cises/list", Query: params,
			ContentType: "application/json", Idempotent: true}
		return decoded(ctx, c, req, func(body []byte) ([]CisInfo, error) {
			return decodeCisesListFor(body, len(batch))
		})
	})
	return concat(batches), err
}

// cisList is the K-8 answer read in one pass: a JSON array of cisInfo
// objects; a null element is a zero record.
type cisList []CisInfo

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (l *cisList) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '[' {
		return errors.New("the answer is not a JSON array")
	}
	var t texts
	for dec.PeekKind() != ']' {
		if len(*l) == 1 {
			t = make(texts) // a list: its texts repeat
		}
		*l = append(*l, CisInfo{})
		switch dec.PeekKind() {
		case 'n':
			_, err = dec.ReadValue()
		case '{':
			err = (&(*l)[len(*l)-1]).decodeFrom(dec, t)
		default:
			if _, err = dec.ReadValue(); err == nil {
				err = lenient.ErrNotObject
			}
		}
		if err != nil {
			return err
		}
	}
	_, err = dec.ReadToken()
	return err
}

// decodeCisesList reads the K-8 answer, a JSON array (null is refused).
func decodeCisesList(body []byte) ([]CisInfo, error) {
	return decodeCisesListFor(body, 0)
}

// decodeCisesListFor is decodeCisesList for the answer to n codes.
func decodeCisesListFor(body []byte, n int) ([]CisInfo, error) {
	if err := notNull(body); err != nil {
		return nil, err
	}
	out := make(cisList, 0, n)
	if err := unmarshalFrom(body, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// HistoryRecord is one record of a code's movement history (K-10).
type HistoryRecord struct {
	Cis          string    // cis
	GTIN         string    // gtin
	ProductName  string    // productName
	Produced     time.Time // producedDate
	PackageType  string    // packageType
	OwnerBIN     string    // ownerBin
	OwnerName    string    // ownerName
	Status       string    // status
	Children     []string  // child
	Parent       string    // parent
	ProducerBIN  string    // producerBin
	ProducerName string    // producerName
	Timestamp    time.Time // timestamp
	Emitted      time.Time // emissionDate
	Operated     time.Time // operationDate: the last operation
	DocID        string    // docId: the document of the event
}

type historyWire struct {
	Cis           lenient.String `json:"cis"`
	GTIN          lenient.String `json:"gtin"`
	ProductName   lenient.String `json:"productName"`
	ProducedDate  wireTime       `json:"producedDate"`
	PackageType   lenient.String `json:"packageType"`
	OwnerBIN      lenient.String `json:"ownerBin"`
	OwnerName     lenient.String `json:"ownerName"`
	Status        lenient.String `json:"status"`
	Child         []string       `json:"child"`
	Parent        lenient.String `json:"parent"`
	ProducerBIN   lenient.String `json:"producerBin"`
	ProducerName  lenient.String `json:"producerName"`
	Timestamp     wireTime       `json:"timestamp"`
	EmissionDate  wireTime       `json:"emissionDate"`
	OperationDate wireTime       `json:"operationDate"`
	DocID         lenient.String `json:"docId"`
}

func (w historyWire) public() HistoryRecord {
	return HistoryRecord{
		Cis: w.Cis.S, GTIN: w.GTIN.S, ProductName: w.ProductName.S, Produced: w.ProducedDate.T, PackageType: w.PackageType.S,
		OwnerBIN: w.OwnerBIN.S, OwnerName: w.OwnerName.S, Status: w.Status.S, Children: w.Child, Parent: w.Parent.S,
		ProducerBIN: w.ProducerBIN.S, ProducerName: w.ProducerName.S, Timestamp: w.Timestamp.T, Emitted: w.EmissionDate.T,
		Operated: w.OperationDate.T, DocID: w.DocID.S,
	}
}

// CisHistory returns the movement history of one code (GET
// cises/history?code=…, K-10), the events in which the token's
// participant took part. The code is percent-encoded strictly (RFC 3986:
// "&" becomes %26, "+" %2B, "," %2C, "=" %3D), never split at commas.
// The documentation's example answer is one object, yet a history may hold several records;
// both an object and an array are read.
func (c *Client) CisHistory(ctx context.Context, code string) ([]HistoryRecord, error) {
	if strings.TrimSpace(code) == "" {
		return nil, transport.Invalid("code", "is required")
	}
	params, err := query.Values(cisHistoryQuery{Code: code})
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Path: "cises/history", Query: params}
	return decoded(ctx, c, req, decodeHistory)
}

// decodeHistory reads the K-10 answer: an object or an array of records,
// each with its required cis.
func decodeHistory(raw []byte) ([]HistoryRecord, error) {
	if err := notNull(raw); err != nil {
		return nil, err
	}
	var list []historyWire
	if firstByte(raw) == '[' {
		if err := lenient.Unmarshal(raw, &list); err != nil {
			return nil, err
		}
	} else {
		list = make([]historyWire, 1)
		if err := lenient.Unmarshal(raw, &list[0]); err != nil {
			return nil, err
		}
	}
	out := make([]HistoryRecord, len(list))
	for i, w := range list {
		if w.Cis.S == "" {
			// cis is required in every record (the K-10 table): an
			// object without it is not a history, e.g. a maintenance
			// message answered with 200.
			return nil, fmt.Errorf("record %d has no cis", i)
		}
		out[i] = w.public()
	}
	return out, nil
}
