package trueapitest

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Default page sizes of the listV2 routes, as the documentation states them.
const (
	DefaultCisesListLimit    = 10
	DefaultProductsListLimit = 49
)

// keysetOrder reads order (ASC or DESC), orderColumn (empty or column,
// the only one the keyset lists sort by) and pageDir (NEXT or PREV) of a
// keyset list. It answers the errors itself.
func (s *Server) keysetOrder(c *call, column string) (desc, prev, ok bool) {
	if desc, ok = s.twoWayParam(c, "order", "ASC", "DESC", "Order (ASC, DESC)"); !ok {
		return false, false, false
	}
	if col := c.q.Get("orderColumn"); col != "" && col != column {
		s.fail(c, http.StatusBadRequest, "Сортировка по полю "+col+" не поддерживается, допустимое значение: "+column)
		return false, false, false
	}
	if prev, ok = s.twoWayParam(c, "pageDir", "NEXT", "PREV", "PageDir (NEXT, PREV)"); !ok {
		return false, false, false
	}
	return desc, prev, true
}

// twoWayParam reads the query parameter name, in any case: empty or off
// gives false, on true; any other value answers 400 naming the type typ.
func (s *Server) twoWayParam(c *call, name, off, on, typ string) (set, ok bool) {
	switch strings.ToUpper(c.q.Get(name)) {
	case "", off:
		return false, true
	case on:
		return true, true
	}
	s.badType(c, name, typ)
	return false, false
}

// listQuery is a parsed listV2 request.
type listQuery struct {
	cis, status, gtin, sn, tnved, emission, pkg, producer, owner string
	from, to                                                     time.Time
	limit                                                        int
	desc, prev                                                   bool
	cursor                                                       *listKey
}

// listKey is the sort key of a listV2 record: emission date, then code.
type listKey struct {
	at  time.Time
	cis string
}

// compareKeys orders keys ascending by emission date, then by code.
func compareKeys(a, b listKey) int {
	return cmp.Or(a.at.Compare(b.at), strings.Compare(a.cis, b.cis))
}

// parseList reads the listV2 parameters; it answers 400 for a bad one.
func (s *Server) parseList(c *call, defLimit int) (listQuery, bool) {
	q := c.q
	lq := listQuery{
		cis: q.Get("cis"), status: q.Get("cisStatus"), gtin: q.Get("gtin"), sn: q.Get("sn"),
		tnved: q.Get("tnVed10"), emission: q.Get("emissionType"), pkg: q.Get("cisPackageType"),
		producer: q.Get("producerInn"), owner: q.Get("ownerInn"),
	}
	var ok bool
	if lq.from, ok = s.timeParam(c, "emissionDateFrom"); !ok {
		return lq, false
	}
	if lq.to, ok = s.timeParam(c, "emissionDateTo"); !ok {
		return lq, false
	}
	if lq.limit, ok = s.limitParam(c, defLimit); !ok {
		return lq, false
	}
	if e := lq.emission; e != "" && e != EmissionLocal && e != EmissionForeign {
		s.badType(c, "emissionType", "EmissionType (LOCAL, FOREIGN)")
		return lq, false
	}
	if p := lq.pkg; p != "" && !slices.Contains(packageTypes, p) {
		s.badType(c, "cisPackageType", "PackageType ("+strings.Join(packageTypes, ", ")+")")
		return lq, false
	}
	if lq.desc, lq.prev, ok = s.keysetOrder(c, "emd"); !ok {
		return lq, false
	}
	uit, value := q.Get("uit"), q.Get("orderedColumnValue")
	switch {
	case uit == "" && value == "":
	case uit == "" || value == "":
		s.fail(c, http.StatusBadRequest, "Параметры uit и orderedColumnValue передаются только вместе")
		return lq, false
	default:
		at, ok := parseTime(value)
		if !ok {
			s.badType(c, "orderedColumnValue", "DateTime")
			return lq, false
		}
		lq.cursor = &listKey{at: at, cis: uit}
	}
	return lq, true
}

// matches reports whether a code passes the filters of the query.
func (lq *listQuery) matches(c *Code) bool {
	return (lq.cis == "" || canonical(lq.cis) == canonical(c.Cis)) &&
		(lq.status == "" || c.Status == lq.status) &&
		(lq.gtin == "" || c.GTIN == lq.gtin) &&
		(lq.sn == "" || c.Serial == lq.sn) &&
		(lq.tnved == "" || c.TNVED == lq.tnved) &&
		(lq.emission == "" || c.EmissionType == lq.emission) &&
		(lq.pkg == "" || c.PackageType == lq.pkg) &&
		(lq.producer == "" || c.Producer == lq.producer) &&
		(lq.owner == "" || c.Owner == lq.owner) &&
		timeIn(c.Emitted, lq.from, lq.to)
}

// page selects the participant's matching codes and cuts the page out of
// them: sorted by (emission date, code), ascending or descending; with a
// cursor, NEXT takes the limit records after it and PREV the limit records
// before it, both in the sort order. Without a cursor the page is the
// first one. It returns the page and the number of matching records.
func (s *Server) page(lq listQuery, pid string) ([]Code, int) {
	s.mu.Lock()
	var all []Code
	for _, k := range s.order {
		if c := s.codes[k]; c.visibleTo(pid) && lq.matches(c) {
			all = append(all, c.clone())
		}
	}
	s.mu.Unlock()
	sign := 1
	if lq.desc {
		sign = -1
	}
	sorted := func(a, b listKey) int { return sign * compareKeys(a, b) }
	keyOf := func(c *Code) listKey { return listKey{at: c.Emitted, cis: c.Cis} }
	slices.SortFunc(all, func(a, b Code) int { return sorted(keyOf(&a), keyOf(&b)) })
	total := len(all)
	if lq.cursor == nil {
		return all[:min(lq.limit, total)], total
	}
	// all[:before] sort before the cursor, all[after:] after it.
	before, after := 0, total
	for j := range all {
		switch o := sorted(keyOf(&all[j]), *lq.cursor); {
		case o < 0:
			before = j + 1
		case o > 0 && after == total:
			after = j
		}
	}
	if lq.prev {
		return all[max(before-lq.limit, 0):before], total
	}
	return all[after:min(after+lq.limit, total)], total
}

// serveCisesListV2 answers K-9 GET cises/listV2.
func (s *Server) serveCisesListV2(c *call) {
	s.listV2(c, DefaultCisesListLimit, func(code *Code) obj {
		bin, name := owner(code, c.pid)
		return obj{
			"cis": code.Cis, "countChildren": len(code.Children), "emissionDate": formatTime(code.Emitted),
			"gtin": code.GTIN, "sgtin": code.Serial, "tnvedGroup": tnvedGroup(code.TNVED),
			"ownerBin": bin, "ownerName": name, "producerBin": code.Producer, "producerName": code.ProducerName,
			"productName": code.ProductName, "status": code.Status, "statusEx": code.Status,
			"producedDate": formatTime(code.Produced), "emissionType": code.EmissionType,
			"lastDocId": code.LastDocID, "name": code.ProductName, "brand": code.Brand,
			"tnVedCode10": code.TNVED, "producerCountry": code.ProducerCountry,
		}
	})
}

// serveProductsListV2 answers P-4 GET products/listV2.
func (s *Server) serveProductsListV2(c *call) {
	s.listV2(c, DefaultProductsListLimit, func(code *Code) obj {
		bin, name := owner(code, c.pid)
		return obj{
			"cis": code.Cis, "emissionDate": formatTime(code.Emitted), "emissionType": code.EmissionType,
			"gtin": code.GTIN, "lastDocId": code.LastDocID, "ownerInn": bin, "ownerName": name,
			"producerInn": code.Producer, "producerName": code.ProducerName,
			"producedDate": formatTime(code.Produced), "productName": code.ProductName,
			"sgtin": code.Serial, "status": code.Status, "statusEx": code.Status,
			"tnVedCode10": code.TNVED, "tnvedGroup": tnvedGroup(code.TNVED),
			"name": code.ProductName, "brand": code.Brand, "producerCountry": code.ProducerCountry,
		}
	})
}

// listV2 answers a listV2 route with {"results": […], "total": n}; item
// builds the fixed fields of a record, to which the code's group-specific
// attributes are added.
func (s *Server) listV2(c *call, defLimit int, item func(*Code) obj) {
	lq, ok := s.parseList(c, defLimit)
	if !ok {
		return
	}
	page, total := s.page(lq, c.pid)
	results := make([]obj, 0, len(page))
	for i := range page {
		o := item(&page[i])
		for k, v := range page[i].Attrs {
			if _, fixed := o[k]; !fixed {
				o[k] = v
			}
		}
		results = append(results, compact(o))
	}
	s.writeJSON(c, http.StatusOK, obj{"results": results, "total": total})
}

// tnvedGroup is the 4-digit heading of a ТН ВЭД code.
func tnvedGroup(tnved string) string { return tnved[:min(4, len(tnved))] }

// compact removes the empty strings of a record, which the API leaves out.
func compact(o obj) obj {
	for k, v := range o {
		if v == "" {
			delete(o, k)
		}
	}
	return o
}
