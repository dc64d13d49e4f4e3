package trueapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// MaxCodesPerRequest is the limit of codes in one cises/info request
// (catalog K-5, "≤ 1000").
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
	// ProductGroupID is productGroupId (the catalog's table spells it
	// productGroupUpd, its example productGroupId; the example is read).
	ProductGroupID int64
	ProductGroup   string    // productGroup, e.g. "tobacco"
	ProductName    string    // productName
	Brand          string    // brand
	Produced       time.Time // producedDate
	PackageType    string    // packageType (catalog §3.2)
	OwnerBIN       string    // ownerBin (masked for other participants)
	OwnerName      string    // ownerName
	Status         string    // status (catalog §3.3)
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

// cisInfoWire is a cisInfo object as sent; it splits the JSON object
// into the known members and the rest.
type cisInfoWire struct {
	RequestedCis   lenient.String
	Cis            lenient.String
	GTIN           lenient.String
	ProductGroupID lenient.Int
	ProductGroup   lenient.String
	ProductName    lenient.String
	Brand          lenient.String
	ProducedDate   wireTime
	PackageType    lenient.String
	OwnerBIN       lenient.String
	OwnerName      lenient.String
	Status         lenient.String
	Child          cisStrings
	Parent         lenient.String
	ProducerBIN    lenient.String
	ProducerName   lenient.String
	ExporterName   lenient.String
	Extra          map[string]json.RawMessage
}

// UnmarshalJSON implements [json.Unmarshaler].
func (w *cisInfoWire) UnmarshalJSON(b []byte) error {
	*w = cisInfoWire{}
	extra, err := decodeWithExtra(b, []extraMember{
		{Key: "requestedCis", Dst: &w.RequestedCis},
		{Key: "cis", Dst: &w.Cis},
		{Key: "gtin", Dst: &w.GTIN},
		{Key: "productGroupId", Dst: &w.ProductGroupID},
		{Key: "productGroup", Dst: &w.ProductGroup},
		{Key: "productName", Dst: &w.ProductName},
		{Key: "brand", Dst: &w.Brand},
		{Key: "producedDate", Dst: &w.ProducedDate},
		{Key: "packageType", Dst: &w.PackageType},
		{Key: "ownerBin", Dst: &w.OwnerBIN},
		{Key: "ownerName", Dst: &w.OwnerName},
		{Key: "status", Dst: &w.Status},
		{Key: "child", Dst: &w.Child},
		{Key: "parent", Dst: &w.Parent},
		{Key: "producerBin", Dst: &w.ProducerBIN},
		{Key: "producerName", Dst: &w.ProducerName},
		{Key: "exporterName", Dst: &w.ExporterName},
	})
	w.Extra = extra
	return err
}

// cisStrings reads child, an array of strings; null is no list. Any other
// value is refused, so that it stays in Extra as sent.
type cisStrings []string

// UnmarshalJSON implements [json.Unmarshaler].
func (s *cisStrings) UnmarshalJSON(b []byte) error {
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*s = list
	return nil
}

type cisInfoElement struct {
	CisInfo      *cisInfoWire   `json:"cisInfo"`
	ErrorCode    lenient.String `json:"errorCode"`
	ErrorMessage lenient.String `json:"errorMessage"`
}

func (w *cisInfoWire) public() CisInfo {
	return CisInfo{
		RequestedCis: w.RequestedCis.S, Cis: w.Cis.S, GTIN: w.GTIN.S, ProductGroupID: w.ProductGroupID.N,
		ProductGroup: w.ProductGroup.S, ProductName: w.ProductName.S, Brand: w.Brand.S, Produced: w.ProducedDate.T,
		PackageType: w.PackageType.S, OwnerBIN: w.OwnerBIN.S, OwnerName: w.OwnerName.S, Status: w.Status.S,
		Children: w.Child, Parent: w.Parent.S, ProducerBIN: w.ProducerBIN.S, ProducerName: w.ProducerName.S,
		ExporterName: w.ExporterName.S, Extra: w.Extra,
	}
}

func (e cisInfoElement) public() CisInfoResult {
	r := CisInfoResult{ErrorCode: e.ErrorCode.S, ErrorMessage: e.ErrorMessage.S}
	if e.CisInfo != nil {
		info := e.CisInfo.public()
		r.Info = &info
	}
	return r
}

// decodeInfo reads the K-5 answer. The catalog's example is one object
// while the method takes a list and its access note speaks of an empty
// array; both an array and a single object are read.
func decodeInfo(body []byte) ([]CisInfoResult, error) {
	if err := notNull(body); err != nil {
		return nil, err
	}
	var list []cisInfoElement
	if err := json.Unmarshal(body, &list); err != nil {
		var one cisInfoElement
		if err2 := json.Unmarshal(body, &one); err2 != nil {
			return nil, err
		}
		list = []cisInfoElement{one}
	}
	out := make([]CisInfoResult, len(list))
	for i, e := range list {
		out[i] = e.public()
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
	var query url.Values
	if q.ProductGroup != "" {
		query = url.Values{"pg": {string(q.ProductGroup)}}
	}
	batches, err := inBatches(ctx, "cises/info", q.Codes, func(ctx context.Context, codes []string) ([]CisInfoResult, error) {
		return c.cisesInfoBatch(ctx, query, codes)
	})
	return slices.Concat(batches...), err
}

func (c *Client) cisesInfoBatch(ctx context.Context, query url.Values, codes []string) ([]CisInfoResult, error) {
	body, err := transport.JSONBody(codes)
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Method: http.MethodPost, Path: "cises/info", Query: query, Body: body, ContentType: "application/json", Idempotent: true}
	return decoded(ctx, c, req, decodeInfo)
}

// CisesList returns information on marking codes (POST cises/list,
// catalog K-8): the codes travel in the query string as repeated values
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
		req := &transport.Request{Method: http.MethodPost, Path: "cises/list", Query: url.Values{"values": batch},
			ContentType: "application/json", Idempotent: true}
		return decoded(ctx, c, req, decodeCisesList)
	})
	return slices.Concat(batches...), err
}

// decodeCisesList reads the K-8 answer, a JSON array (null is refused).
func decodeCisesList(body []byte) ([]CisInfo, error) {
	if err := notNull(body); err != nil {
		return nil, err
	}
	var wire []cisInfoWire
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, err
	}
	out := make([]CisInfo, len(wire))
	for i, w := range wire {
		out[i] = w.public()
	}
	return out, nil
}

// HistoryRecord is one record of a code's movement history (catalog K-10).
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
// cises/history?code=…, catalog K-10), the events in which the token's
// participant took part. The code is percent-encoded strictly (RFC 3986:
// "&" becomes %26, "+" %2B, "," %2C, "=" %3D), never split at commas. The catalog's
// example answer is one object, yet a history may hold several records;
// both an object and an array are read.
func (c *Client) CisHistory(ctx context.Context, code string) ([]HistoryRecord, error) {
	if strings.TrimSpace(code) == "" {
		return nil, transport.Invalid("code", "is required")
	}
	req := &transport.Request{Path: "cises/history", Query: map[string][]string{"code": {code}}}
	return decoded(ctx, c, req, decodeHistory)
}

// decodeHistory reads the K-10 answer: an object or an array of records,
// each with its required cis.
func decodeHistory(raw []byte) ([]HistoryRecord, error) {
	if err := notNull(raw); err != nil {
		return nil, err
	}
	var list []historyWire
	if err := json.Unmarshal(raw, &list); err != nil {
		var one historyWire
		if err2 := json.Unmarshal(raw, &one); err2 != nil {
			return nil, err
		}
		list = []historyWire{one}
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
