package trueapi

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// MaxOrderedCodes is the most codes one cises/my order returns
// (K-1, changelog 2.11).
const MaxOrderedCodes = 10_000

// Size caps of an order's result. The server's ZIP is about 1 MB at most
// (K-3); the caps leave room and bound what a broken or hostile
// answer can cost.
const (
	// DefaultMaxOrderResultBytes caps the ZIP download.
	DefaultMaxOrderResultBytes = 16 << 20
)

// maxUnpackedBytes caps the unpacked content of the ZIP (a variable so
// that a test can lower it).
var maxUnpackedBytes int64 = 256 << 20

// OrderStatus is the status of a cises/my order (K-2). Values
// outside the constants are kept as the server sent them.
type OrderStatus string

// The order statuses of K-2.
const (
	OrderNew              OrderStatus = "NEW"               // registered
	OrderProduction       OrderStatus = "PRODUCTION"        // being produced
	OrderValidationFailed OrderStatus = "VALIDATION_FAILED" // refused
	OrderInProgress       OrderStatus = "IN_PROGRESS"       // being processed
	OrderSuccess          OrderStatus = "SUCCESS"           // the result can be downloaded
	OrderError            OrderStatus = "ERROR"             // failed
	OrderResultExpired    OrderStatus = "RESULT_EXPIRED"    // the result is gone (kept 1 hour)
)

// Failed reports whether s is a final status without a result.
func (s OrderStatus) Failed() bool {
	return s == OrderValidationFailed || s == OrderError || s == OrderResultExpired
}

// parseOrderStatus reads the K-2 answer: a bare JSON string per the
// example ("SUCCESS"), or {"status": …} per the method's table. The
// specification writes "IN PROGRESS" with a space; it is read as
// IN_PROGRESS.
func parseOrderStatus(body []byte) (OrderStatus, error) {
	var s lenient.String
	if err := s.UnmarshalJSON(body); err != nil || s.S == "" {
		var obj struct {
			Status lenient.String `json:"status"`
		}
		if firstByte(body) != '{' {
			if err == nil {
				err = errors.New("no status in the answer")
			}
			return "", err
		}
		if err2 := lenient.Unmarshal(body, &obj); err2 != nil || obj.Status.S == "" {
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

// CisesOrder is the body of POST cises/my (K-1).
type CisesOrder struct {
	// GTIN (gtin) is required: UNIT codes are selected by the prefix
	// gtin, LEVEL1 (tobacco block) codes by (01)gtin(21).
	GTIN string `json:"gtin"`
	// PackageType (packageType) optionally restricts the package type.
	PackageType PackageType `json:"packageType,omitempty"`
	// Produced (producedDate), if set, is sent as
	// yyyy-MM-ddTHH:mm:ss.SSSZ in UTC.
	Produced time.Time `json:"-"`
}

// OrderedCis is one record of an order's result (K-3).
type OrderedCis struct {
	RequestedCis string      // requestedCis
	Cis          string      // cis
	Code         string      // code: the identification code
	Status       CisStatus   // status (§9 of the documentation)
	GTIN         string      // gtin
	Produced     time.Time   // producedDate
	PackageType  PackageType // packageType (§9 of the documentation)
	Children     []string    // child
	Parent       string      // parent
	// Extra keeps every field or column the documentation does not list, as
	// sent (JSON text for a JSON file, the cell for a CSV file).
	Extra map[string]string
}

// OrderFailedError is returned when an order ends without a result (status
// ERROR, VALIDATION_FAILED or RESULT_EXPIRED). It matches ErrOrderFailed.
type OrderFailedError struct {
	ID     string      // the order's uuid
	Status OrderStatus // the final status
}

// ErrOrderFailed matches every [*OrderFailedError].
var ErrOrderFailed = errors.New("trueapi: the order failed")

func (e *OrderFailedError) Error() string {
	return fmt.Sprintf("trueapi: cises/my order %s ended with status %s", e.ID, e.Status)
}

// Is reports whether target is ErrOrderFailed.
func (e *OrderFailedError) Is(target error) bool { return target == ErrOrderFailed }

// OrderCises orders the list of the participant's own codes of a GTIN
// (POST cises/my, K-1) and returns the order's uuid. The list is
// made asynchronously: follow it with [Client.CisesOrderStatus] and
// [Client.CisesOrderResult], or use [Client.MyCises], which does all three.
// A repeated order only makes the server prepare a second list, so a
// failed attempt is retried. A 2xx answer without the documented uuid (a
// maintenance page, say), or a redirect, gives an [*OutcomeUnknownError]:
// an order may have been made, and it is safe to order again.
func (c *Client) OrderCises(ctx context.Context, o CisesOrder) (string, error) {
	if err := requireText("gtin", o.GTIN); err != nil {
		return "", err
	}
	wire := struct {
		CisesOrder
		Produced string `json:"producedDate,omitempty"`
	}{CisesOrder: o}
	if !o.Produced.IsZero() {
		wire.Produced = o.Produced.UTC().Format(wireTimeLayout)
	}
	body, err := transport.JSONBody(wire)
	if err != nil {
		return "", err
	}
	req := &transport.Request{Method: http.MethodPost, Path: "cises/my", Body: body, ContentType: "application/json", Idempotent: true}
	var id string
	err = c.do(ctx, func(ctx context.Context) error {
		resp, err := c.t.Do(ctx, req)
		if err != nil {
			return err
		}
		var out struct {
			UUID lenient.String `json:"uuid"`
		}
		if err := jsonObject(resp.Body, &out); err != nil {
			return c.unexpectedAnswer(req, resp, orderCheck, err)
		}
		if id = strings.TrimSpace(out.UUID.S); !idLike(id) {
			return c.unexpectedAnswer(req, resp, orderCheck, errors.New("no uuid in the answer"))
		}
		return nil
	})
	if err != nil {
		return "", outcomeUnknown(req, orderCheck, err)
	}
	return id, nil
}

// orderCheck is the check an [*OutcomeUnknownError] of
// [Client.OrderCises] names.
const orderCheck = "nothing: no method lists orders, and an order only prepares a list of codes kept for one hour, so ordering again (Client.OrderCises) is safe"

// orderPath is cises/orders/{uuid}/{what} with the uuid escaped as a
// path segment.
func orderPath(id, what string) string {
	return "cises/orders/" + pathSegment(id) + "/" + what
}

// CisesOrderStatus returns the status of an order (GET
// cises/orders/{uuid}/status, K-2). The documentation's table lists no
// Authorization header; the token is sent anyway, as the method answers
// 401 without one.
func (c *Client) CisesOrderStatus(ctx context.Context, id string) (OrderStatus, error) {
	if err := requireText("uuid", id); err != nil {
		return "", err
	}
	return decoded(ctx, c, &transport.Request{Path: orderPath(id, "status")}, parseOrderStatus)
}

// CisesOrderResult downloads the ZIP of a finished order (GET
// cises/orders/{uuid}/result, K-3). The server keeps it for one
// hour and it may be downloaded again. Bodies above
// [DefaultMaxOrderResultBytes] give an error matching ErrTooLarge. An
// error answer is JSON and becomes an [*Error]; a 2xx answer that is not a
// ZIP gives an error matching ErrDecode. [ReadOrderResult] unpacks the
// ZIP.
func (c *Client) CisesOrderResult(ctx context.Context, id string) ([]byte, error) {
	if err := requireText("uuid", id); err != nil {
		return nil, err
	}
	// No Content-Type: changelog 2.15 removed it from this GET.
	req := &transport.Request{Path: orderPath(id, "result"), MaxResponseBytes: DefaultMaxOrderResultBytes}
	return decoded(ctx, c, req, func(body []byte) ([]byte, error) {
		if !bytes.HasPrefix(body, []byte("PK")) {
			return nil, errors.New("the answer is not a ZIP file")
		}
		return body, nil
	})
}

// MyCises runs the whole cises/my flow: it orders the codes (K-1), polls
// the order's status until it is SUCCESS (K-2; waits grow from 1 s by 1.5
// up to 15 s, see [WithPollInterval], and end with ctx), downloads the ZIP
// (K-3) and returns its records. An order that ends without a result gives
// an [*OrderFailedError]. The server returns at most [MaxOrderedCodes] codes.
func (c *Client) MyCises(ctx context.Context, o CisesOrder, opts ...PollOption) ([]OrderedCis, error) {
	id, err := c.OrderCises(ctx, o)
	if err != nil {
		return nil, err
	}
	status, err := poll(ctx, newPollConfig(opts), func(ctx context.Context) (OrderStatus, bool, error) {
		s, err := c.CisesOrderStatus(ctx, id)
		return s, s == OrderSuccess || s.Failed(), err
	})
	if err != nil {
		return nil, fmt.Errorf("trueapi: cises/my order %s (last status %q): %w", id, status, err)
	}
	if status != OrderSuccess {
		return nil, &OrderFailedError{ID: id, Status: status}
	}
	zipped, err := c.CisesOrderResult(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("trueapi: cises/my order %s: %w", id, err)
	}
	return ReadOrderResult(zipped)
}

// ReadOrderResult unpacks the ZIP of an order (K-3).
// The documentation does not say what format the files inside have, so each file is read by
// its content: JSON (an array of records, one record, an object holding an
// array of records, or one JSON value per line) or CSV with a header row
// naming the fields (comma or semicolon separated; a child cell holds a
// JSON array, or a single code). The files are read in the archive's
// order. Content above 256 MiB unpacked is refused.
func ReadOrderResult(zipped []byte) ([]OrderedCis, error) {
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		return nil, fmt.Errorf("trueapi: order result: %w: %w", ErrDecode, err)
	}
	var (
		out    []OrderedCis
		budget int64 = maxUnpackedBytes
	)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		data, err := readZipFile(f, budget)
		if err != nil {
			return nil, err
		}
		budget -= int64(len(data))
		recs, err := parseOrderFile(data)
		if err != nil {
			return nil, fmt.Errorf("trueapi: order result %s: %w: %w", f.Name, ErrDecode, err)
		}
		out = append(out, recs...)
	}
	return out, nil
}

func readZipFile(f *zip.File, budget int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("trueapi: order result %s: %w: %w", f.Name, ErrDecode, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, budget+1))
	if err != nil {
		return nil, fmt.Errorf("trueapi: order result %s: %w: %w", f.Name, ErrDecode, err)
	}
	if int64(len(data)) > budget {
		return nil, fmt.Errorf("trueapi: order result: %w: more than %d bytes unpacked", ErrTooLarge, maxUnpackedBytes)
	}
	return data, nil
}

func parseOrderFile(data []byte) ([]OrderedCis, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 BOM
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, nil
	}
	if trimmed[0] == '[' || trimmed[0] == '{' {
		return parseOrderJSON(trimmed)
	}
	return parseOrderCSV(data)
}

// orderedFields are the fields of K-3, read into OrderedCis.
var orderedFields = map[string]bool{
	"requestedcis": true, "cis": true, "code": true, "status": true, "gtin": true,
	"produceddate": true, "packagetype": true, "child": true, "parent": true,
}

func parseOrderJSON(data []byte) ([]OrderedCis, error) {
	// Values one after another (JSON lines, or one value), each read as
	// encoding/json's Decoder reads it: duplicate names and invalid UTF-8
	// let through.
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	var out []OrderedCis
	for {
		v, err := dec.ReadValue()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		recs, err := orderJSONValue(v)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
}

// orderJSONValue reads an array of records, a record, or an object whose
// only array-valued field holds the records.
func orderJSONValue(v []byte) ([]OrderedCis, error) {
	var list []map[string]json.RawMessage
	if c := firstByte(v); c == '[' || c == 'n' { // null is no records
		if err := lenient.Unmarshal(v, &list); err != nil {
			return nil, err
		}
		out := make([]OrderedCis, 0, len(list))
		for _, m := range list {
			out = append(out, orderedFromJSON(m))
		}
		return out, nil
	}
	var obj map[string]json.RawMessage
	if err := lenient.Unmarshal(v, &obj); err != nil {
		return nil, err
	}
	if _, ok := obj["cis"]; !ok {
		// An object holding the records: every member that is a
		// non-empty array of records, in key order, so the result is the
		// same on every run.
		var out []OrderedCis
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if firstByte(obj[k]) == '[' && lenient.Unmarshal(obj[k], &list) == nil && len(list) > 0 {
				recs, err := orderJSONValue(obj[k])
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
	return []OrderedCis{orderedFromJSON(obj)}, nil
}

func orderedFromJSON(m map[string]json.RawMessage) OrderedCis {
	str := func(k string) string {
		var s lenient.String
		if raw, ok := m[k]; ok {
			_ = s.UnmarshalJSON(raw)
		}
		return s.S
	}
	r := OrderedCis{
		RequestedCis: str("requestedCis"), Cis: str("cis"), Code: str("code"), Status: CisStatus(str("status")),
		GTIN: str("gtin"), PackageType: PackageType(str("packageType")), Parent: str("parent"),
	}
	if raw, ok := m["producedDate"]; ok {
		if t, err := wireTimeOf(raw); err == nil {
			r.Produced = t
		}
	}
	if raw, ok := m["child"]; ok {
		r.Children = childList(raw)
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
func childList(raw []byte) []string {
	if firstByte(raw) == '[' {
		list, _ := wireStrings(raw)
		return list
	}
	var one lenient.String
	if one.UnmarshalJSON(raw) == nil && one.S != "" {
		return []string{one.S}
	}
	return nil
}

func parseOrderCSV(data []byte) ([]OrderedCis, error) {
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, err
	}
	known := false
	for _, h := range header {
		known = known || strings.EqualFold(strings.TrimSpace(h), "cis")
	}
	if !known {
		return nil, errors.New("neither JSON nor CSV with a cis column")
	}
	var out []OrderedCis
	for {
		row, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		var rec OrderedCis
		for i, cell := range row {
			if i >= len(header) {
				break
			}
			name := strings.TrimSpace(header[i])
			switch strings.ToLower(name) {
			case "requestedcis":
				rec.RequestedCis = cell
			case "cis":
				rec.Cis = cell
			case "code":
				rec.Code = cell
			case "status":
				rec.Status = CisStatus(cell)
			case "gtin":
				rec.GTIN = cell
			case "packagetype":
				rec.PackageType = PackageType(cell)
			case "parent":
				rec.Parent = cell
			case "produceddate":
				if cell == "" {
					continue
				}
				if t, err := parseWireTime(cell); err == nil {
					rec.Produced = t
					continue
				}
				rec.setExtra(name, cell)
			case "child":
				if strings.HasPrefix(strings.TrimSpace(cell), "[") {
					rec.Children = childList([]byte(cell))
				} else if cell != "" {
					rec.Children = []string{cell}
				}
			default:
				rec.setExtra(name, cell)
			}
		}
		out = append(out, rec)
	}
}

func (r *OrderedCis) setExtra(k, v string) {
	if r.Extra == nil {
		r.Extra = map[string]string{}
	}
	r.Extra[k] = v
}
