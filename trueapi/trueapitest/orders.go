package trueapitest

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Order statuses of K-2.
const (
	OrderNew              = "NEW"
	OrderInProgress       = "IN_PROGRESS"
	OrderSuccess          = "SUCCESS"
	OrderError            = "ERROR"
	OrderValidationFailed = "VALIDATION_FAILED"
	OrderResultExpired    = "RESULT_EXPIRED"
)

// order is an order of cises/my.
type order struct {
	id      string
	pid     string
	created time.Time
	fail    string // the final status instead of SUCCESS, if set
	records []Code // snapshot of the selected codes
}

// FailNextOrder makes the next order accepted by cises/my end in status
// (OrderError or OrderValidationFailed; empty means OrderError) instead
// of SUCCESS when its OrderDelay has passed. Each call affects one order;
// several calls queue up.
func (s *Server) FailNextOrder(status string) {
	if status == "" {
		status = OrderError
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = append(s.failNext, status)
}

// readyAt is when the order reaches its final status.
func (s *Server) readyAt(o *order) time.Time { return o.created.Add(max(s.cfg.OrderDelay, 0)) }

// statusAt returns the status of o at now: NEW for the first half of
// OrderDelay, IN_PROGRESS for the second, then SUCCESS (or the failure
// status), and RESULT_EXPIRED once a success is older than ResultTTL.
func (s *Server) statusAt(o *order, now time.Time) string {
	d := max(s.cfg.OrderDelay, 0)
	elapsed := now.Sub(o.created)
	switch {
	case elapsed < d/2:
		return OrderNew
	case elapsed < d:
		return OrderInProgress
	case o.fail != "":
		return o.fail
	case elapsed >= d+s.cfg.ResultTTL:
		return OrderResultExpired
	}
	return OrderSuccess
}

// msgNoGTIN is the 400 of cises/my without a gtin.
const msgNoGTIN = "GTIN должен быть указан в параметрах запроса"

// serveOrder answers K-1 POST cises/my: it selects the participant's codes
// whose GTIN starts with gtin, of packageType if given, produced on or
// after producedDate if given, sorted by code, at most MaxOrderCodes.
func (s *Server) serveOrder(c *call) {
	_, m, ok := s.objectBody(c)
	if !ok {
		return
	}
	field := func(name string) (string, bool) {
		x, isText := jsonText(m[name])
		if !isText {
			s.badType(c, name, "String")
		}
		return x, isText
	}
	gtin, ok1 := field("gtin")
	pkg, ok2 := field("packageType")
	produced, ok3 := field("producedDate")
	if !ok1 || !ok2 || !ok3 {
		return
	}
	if gtin == "" {
		s.fail(c, http.StatusBadRequest, msgNoGTIN)
		return
	}
	if pkg != "" && !slices.Contains(packageTypes, pkg) {
		s.badType(c, "packageType", "PackageType")
		return
	}
	var from time.Time
	if produced != "" {
		if from, ok = parseTime(produced); !ok {
			s.badType(c, "producedDate", "DateTime")
			return
		}
	}
	o := &order{id: newUUID(), pid: c.pid, created: time.Now()}
	s.mu.Lock()
	for _, k := range s.order {
		code := s.codes[k]
		if code.visibleTo(c.pid) && strings.HasPrefix(code.GTIN, gtin) &&
			(pkg == "" || code.PackageType == pkg) &&
			(from.IsZero() || !code.Produced.Before(from)) {
			o.records = append(o.records, code.clone())
		}
	}
	slices.SortFunc(o.records, func(a, b Code) int { return strings.Compare(a.Cis, b.Cis) })
	o.records = o.records[:min(len(o.records), MaxOrderCodes)]
	if len(s.failNext) > 0 {
		o.fail, s.failNext = s.failNext[0], s.failNext[1:]
	}
	s.orders[o.id] = o
	s.stats.Orders++
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, obj{"uuid": o.id})
}

// findOrder returns the order of the call's {uuid} if it belongs to the
// participant; otherwise it answers 404.
func (s *Server) findOrder(c *call) (*order, bool) {
	s.mu.Lock()
	o, ok := s.orders[c.id]
	s.mu.Unlock()
	if !ok || o.pid != c.pid {
		s.fail(c, http.StatusNotFound, "Заказ с идентификатором "+c.id+" не найден")
		return nil, false
	}
	return o, true
}

// serveOrderStatus answers K-2 GET cises/orders/{uuid}/status with the
// status as a bare JSON string.
func (s *Server) serveOrderStatus(c *call) {
	o, ok := s.findOrder(c)
	if !ok {
		return
	}
	s.writeJSON(c, http.StatusOK, s.statusAt(o, time.Now()))
}

// serveOrderResult answers K-3 GET cises/orders/{uuid}/result: a ZIP
// holding <uuid>.json or <uuid>.csv once the order succeeded, 400 before
// (or after a failure), 404 once the result expired.
func (s *Server) serveOrderResult(c *call) {
	if c.r.Header.Get("Content-Type") != "" {
		s.count(func(st *Stats) { st.ResultContentType++ })
	}
	o, ok := s.findOrder(c)
	if !ok {
		return
	}
	switch st := s.statusAt(o, time.Now()); st {
	case OrderSuccess:
	case OrderResultExpired:
		s.fail(c, http.StatusNotFound, "Результат заказа с идентификатором "+o.id+" не найден: срок хранения истёк")
		return
	default:
		s.fail(c, http.StatusBadRequest, "Заказ с идентификатором "+o.id+" находится в статусе "+st)
		return
	}
	if !accepts(c.r.Header, typeZIP) {
		s.notAcceptable(c.w)
		return
	}
	body, err := s.resultZIP(o)
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Ошибка при выполнении запроса")
		return
	}
	s.count(func(st *Stats) { st.ResultDownloads++ })
	h := c.w.Header()
	h.Set("Content-Type", typeZIP)
	h.Set("Content-Disposition", `attachment; filename="`+o.id+`.zip"`)
	h.Set("Content-Length", fmt.Sprint(len(body)))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(body)
}

// resultRecord is one record of an order's result (K-3).
type resultRecord struct {
	RequestedCis string   `json:"requestedCis,omitempty"`
	Cis          string   `json:"cis"`
	Code         string   `json:"code,omitempty"`
	Status       string   `json:"status"`
	GTIN         string   `json:"gtin"`
	ProducedDate string   `json:"producedDate,omitempty"`
	PackageType  string   `json:"packageType"`
	Child        []string `json:"child,omitempty"`
	Parent       string   `json:"parent,omitempty"`
}

// resultColumns are the CSV header of a result, the K-3 field names.
var resultColumns = []string{"requestedCis", "cis", "code", "status", "gtin", "producedDate", "packageType", "child", "parent"}

// resultZIP builds the ZIP of an order's result: one file named after the
// order, JSON or CSV as configured.
func (s *Server) resultZIP(o *order) ([]byte, error) {
	recs := make([]resultRecord, len(o.records))
	for i, c := range o.records {
		recs[i] = resultRecord{
			Cis: c.Cis, Status: c.Status, GTIN: c.GTIN, ProducedDate: formatTime(c.Produced),
			PackageType: c.PackageType, Child: c.Children, Parent: c.Parent,
		}
	}
	var file bytes.Buffer
	switch s.cfg.OrderFormat {
	case FormatCSV:
		if err := writeCSV(&file, recs); err != nil {
			return nil, err
		}
	default:
		enc := json.NewEncoder(&file)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(recs); err != nil {
			return nil, err
		}
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: o.id + "." + s.cfg.OrderFormat, Method: zip.Deflate, Modified: s.readyAt(o).UTC()})
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(file.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// writeCSV writes the records as RFC 4180 CSV with a header row and CRLF
// line ends; child is a JSON array in its cell.
func writeCSV(w *bytes.Buffer, recs []resultRecord) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(resultColumns); err != nil {
		return err
	}
	for _, r := range recs {
		var child bytes.Buffer
		enc := json.NewEncoder(&child)
		enc.SetEscapeHTML(false)
		list := r.Child
		if list == nil {
			list = []string{}
		}
		if err := enc.Encode(list); err != nil {
			return err
		}
		row := []string{r.RequestedCis, r.Cis, r.Code, r.Status, r.GTIN, r.ProducedDate, r.PackageType, strings.TrimSuffix(child.String(), "\n"), r.Parent}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
