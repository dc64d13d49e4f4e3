package trueapitest

import (
	"net/http"
	"strconv"
	"time"
)

// serveUnitsCount answers K-4 POST cis/cises-units-count: the consumer
// units in each requested code the participant may see, and their sum per
// GTIN of the units.
func (s *Server) serveUnitsCount(c *call) {
	codes, ok := s.codesBody(c)
	if !ok {
		return
	}
	perCode := map[string]int{}
	perGTIN := map[string]int{}
	s.mu.Lock()
	for _, raw := range codes {
		if code, ok := s.resolve(raw, c.pid); ok {
			perCode[stripTail(raw)] = s.units(code, perGTIN)
		}
	}
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, obj{"cisesCounts": perCode, "gtinsCounts": perGTIN})
}

// serveInfo answers K-5 POST cises/info: a JSON array of {"cisInfo": …}
// in request order, leaving out the codes the participant may not see and
// unknown ones. The optional pg restricts the answer to that group.
func (s *Server) serveInfo(c *call) {
	g, ok := s.groupParam(c, false)
	if !ok {
		return
	}
	codes, ok := s.codesBody(c)
	if !ok {
		return
	}
	out := make([]infoElement, 0, len(codes))
	s.mu.Lock()
	s.stats.CodesQueried += len(codes)
	for _, raw := range codes {
		code, ok := s.resolve(raw, c.pid)
		if !ok || (g.Name != "" && code.ProductGroup != g.Name) {
			continue
		}
		bin, name := owner(code, c.pid)
		out = append(out, infoElement{CisInfo: infoRecord{
			RequestedCis:   stripTail(raw),
			Cis:            code.Cis,
			GTIN:           code.GTIN,
			ProductGroupID: code.ProductGroupID,
			ProductGroup:   code.ProductGroup,
			ProductName:    code.ProductName,
			Brand:          code.Brand,
			ProducedDate:   formatTime(code.Produced),
			PackageType:    code.PackageType,
			OwnerBin:       bin,
			OwnerName:      name,
			Status:         code.Status,
			Child:          children(code),
			Parent:         code.Parent,
			ProducerBin:    code.Producer,
			ProducerName:   code.ProducerName,
			ExporterName:   code.ExporterName,
		}})
	}
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, out)
}

// infoElement is one element of the K-5 answer.
type infoElement struct {
	CisInfo infoRecord `json:"cisInfo"`
}

// infoRecord is the cisInfo object of K-5, its members in the order of
// the documentation's table, empty strings left out (as compact leaves them
// out of the fake's other answers). A struct rather than a map: encoding
// a map sorts its keys and copies every value, which made the fake's
// answer of 1,000 codes cost about three times the client's reading of
// it, on the same CPUs in an in-process benchmark.
type infoRecord struct {
	RequestedCis   string   `json:"requestedCis,omitempty"`
	Cis            string   `json:"cis,omitempty"`
	GTIN           string   `json:"gtin,omitempty"`
	ProductGroupID int      `json:"productGroupId"`
	ProductGroup   string   `json:"productGroup,omitempty"`
	ProductName    string   `json:"productName,omitempty"`
	Brand          string   `json:"brand,omitempty"`
	ProducedDate   string   `json:"producedDate,omitempty"`
	PackageType    string   `json:"packageType,omitempty"`
	OwnerBin       string   `json:"ownerBin,omitempty"`
	OwnerName      string   `json:"ownerName,omitempty"`
	Status         string   `json:"status,omitempty"`
	Child          []string `json:"child"`
	Parent         string   `json:"parent,omitempty"`
	ProducerBin    string   `json:"producerBin,omitempty"`
	ProducerName   string   `json:"producerName,omitempty"`
	ExporterName   string   `json:"exporterName,omitempty"`
}

// serveAggregatedPost answers K-6 POST cises/aggregated/list?pg=…: the
// requested codes keep the form of the request.
func (s *Server) serveAggregatedPost(c *call) {
	g, ok := s.groupParam(c, true)
	if !ok {
		return
	}
	codes, ok := s.codesBody(c)
	if !ok {
		return
	}
	s.aggregated(c, g, codes, true, "KM не найдены")
}

// serveAggregatedGet answers K-7 GET cises/aggregated/list?codes=…: the
// requested codes are answered in their emitted form. pg is optional.
func (s *Server) serveAggregatedGet(c *call) {
	g, ok := s.groupParam(c, false)
	if !ok {
		return
	}
	codes := c.q["codes"]
	if len(codes) == 0 {
		s.missing(c, "codes")
		return
	}
	if !s.checkCount(c, len(codes)) {
		return
	}
	s.aggregated(c, g, codes, false, "КМ не найдены")
}

// aggregated answers both variants of cises/aggregated/list: for each
// requested code, a page of its children with their own children. Codes
// the participant may not see, unknown ones and those of another group are
// left out; when none is left the answer is 404 notFound.
func (s *Server) aggregated(c *call, g ProductGroup, codes []string, asRequested bool, notFound string) {
	page, ok := s.intParam(c, "childrenPage", 1, 1)
	if !ok {
		return
	}
	limit, ok := s.intParam(c, "childrenLimit", 50, 1)
	if !ok {
		return
	}
	out := map[string]map[string][]string{}
	s.mu.Lock()
	for _, raw := range codes {
		code, ok := s.resolve(raw, c.pid)
		if !ok || (g.Name != "" && code.ProductGroup != g.Name) {
			continue
		}
		kids := code.Children
		if code.ProductGroup != "tobacco" {
			from := min((page-1)*limit, len(kids))
			kids = kids[from:min(from+limit, len(kids))]
		}
		layer := map[string][]string{}
		for _, k := range kids {
			grand := []string{}
			if kc, ok := s.codes[canonical(k)]; ok {
				grand = children(kc)
			}
			layer[k] = grand
		}
		key := code.Cis
		if asRequested {
			key = stripTail(raw)
		}
		out[key] = layer
	}
	s.mu.Unlock()
	if len(out) == 0 {
		s.fail(c, http.StatusNotFound, notFound)
		return
	}
	s.writeJSON(c, http.StatusOK, out)
}

// serveList answers K-8 POST cises/list?values=…: the codes come in the
// query, any body is ignored.
func (s *Server) serveList(c *call) {
	values := c.q["values"]
	if len(values) == 0 {
		s.missing(c, "values")
		return
	}
	if !s.checkCount(c, len(values)) {
		return
	}
	out := []obj{}
	s.mu.Lock()
	for _, raw := range values {
		code, ok := s.resolve(raw, c.pid)
		if !ok {
			continue
		}
		bin, name := owner(code, c.pid)
		produced := ""
		if !code.Produced.IsZero() {
			produced = code.Produced.UTC().Format(layoutSeconds)
		}
		out = append(out, compact(obj{
			"requestedCis":   stripTail(raw),
			"cis":            code.Cis,
			"status":         code.Status,
			"gtin":           code.GTIN,
			"productName":    code.ProductName,
			"productGroup":   code.ProductGroup,
			"productGroupId": strconv.Itoa(code.ProductGroupID),
			"packageType":    code.PackageType,
			"producedDate":   produced,
			"producerBin":    code.Producer,
			"producerName":   code.ProducerName,
			"ownerBin":       bin,
			"ownerName":      name,
			"parent":         code.Parent,
			"child":          children(code),
		}))
	}
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, out)
}

// msgBadCode is the 400 for a missing or malformed code.
const msgBadCode = "Неверный формат КМ"

// serveHistory answers K-10 GET cises/history?code=…: one record per
// event, oldest first; an empty array for a code of another participant.
func (s *Server) serveHistory(c *call) {
	raw := c.q.Get("code")
	if !wellFormed(raw) {
		s.fail(c, http.StatusBadRequest, msgBadCode)
		return
	}
	s.mu.Lock()
	code, known := s.codes[canonical(raw)]
	var snap Code
	visible := known && code.visibleTo(c.pid)
	if visible {
		snap = code.clone()
	}
	s.mu.Unlock()
	switch {
	case !known:
		s.fail(c, http.StatusNotFound, "КМ не найдены")
		return
	case !visible:
		s.writeJSON(c, http.StatusOK, []obj{})
		return
	}
	bin, name := owner(&snap, c.pid)
	var out []obj
	for _, ev := range snap.history() {
		out = append(out, compact(obj{
			"cis":           snap.Cis,
			"gtin":          snap.GTIN,
			"productName":   snap.ProductName,
			"producedDate":  formatTime(snap.Produced),
			"packageType":   snap.PackageType,
			"ownerBin":      bin,
			"ownerName":     name,
			"status":        ev.status,
			"child":         children(&snap),
			"parent":        snap.Parent,
			"producerBin":   snap.Producer,
			"producerName":  snap.ProducerName,
			"timestamp":     formatTime(ev.at),
			"emissionDate":  formatTime(snap.Emitted),
			"operationDate": formatTime(ev.at),
			"docId":         ev.docID,
		}))
	}
	s.writeJSON(c, http.StatusOK, out)
}

// timeIn reports whether t lies in [from, to]; zero bounds are open.
func timeIn(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || !t.After(to))
}
