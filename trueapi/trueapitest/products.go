package trueapitest

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
)

// serveGTINs answers P-1 GET product/gtin?pg=…&limit=…&page=…: the sorted
// GTINs of the participant's codes in the group, page by page (page from
// 0, limit 10 by default).
func (s *Server) serveGTINs(c *call) {
	g, ok := s.groupParam(c, true)
	if !ok {
		return
	}
	limit, ok := s.limitParam(c, 10)
	if !ok {
		return
	}
	page, ok := s.intParam(c, "page", 0, 0)
	if !ok {
		return
	}
	set := map[string]bool{}
	s.mu.Lock()
	for _, code := range s.codes {
		if code.ProductGroup == g.Name && code.visibleTo(c.pid) {
			set[code.GTIN] = true
		}
	}
	s.mu.Unlock()
	all := append([]string{}, slices.Sorted(maps.Keys(set))...)
	from := min(page*limit, len(all))
	if page > len(all) { // guards page*limit against overflow
		from = len(all)
	}
	gtins := all[from:min(from+limit, len(all))]
	s.writeJSON(c, http.StatusOK, obj{"gtins": gtins, "total": len(all)})
}

// productPackage maps a package type of §3.2 to the vocabulary of
// products/info.
func productPackage(pkg string) string {
	switch pkg {
	case PackageUnit, "BUNDLE":
		return "trade-unit"
	case PackageLevel1:
		return "inner-pack"
	case PackageLevel2:
		return "box"
	}
	return "pallet"
}

// serveProductInfo answers P-2 GET products/info?cis=…: the product card
// of the code's GTIN. A malformed code gets 400, an unknown code or one
// the participant may not see 404.
func (s *Server) serveProductInfo(c *call) {
	raw := c.q.Get("cis")
	if !wellFormed(raw) {
		s.fail(c, http.StatusBadRequest, msgBadCode)
		return
	}
	s.mu.Lock()
	code, ok := s.resolve(raw, c.pid)
	var card obj
	if ok {
		attrs := map[string]string{}
		maps.Copy(attrs, code.Attrs)
		card = obj{
			"id":                 productID(code.GTIN),
			"name":               code.ProductName,
			"gtin":               code.GTIN,
			"packageType":        productPackage(code.PackageType),
			"innerUnitCount":     s.units(code, nil),
			"specificAttributes": attrs,
		}
	}
	s.mu.Unlock()
	if !ok {
		s.fail(c, http.StatusNotFound, "Продукт не найден")
		return
	}
	s.writeJSON(c, http.StatusOK, card)
}

// serveRoute answers P-3 POST product/route/gtin with {"data": [gtin, …]}:
// one element per GTIN, the product group of a GTIN of the participant's
// codes, or an in-band error: "401" for a GTIN of other participants'
// codes, "404" for an unknown one. When no GTIN is found the answer is 404.
func (s *Server) serveRoute(c *call) {
	_, m, ok := s.objectBody(c)
	if !ok {
		return
	}
	if m["data"] == nil {
		s.missing(c, "data")
		return
	}
	gtins, msg := stringList(m["data"])
	if msg != "" {
		s.fail(c, http.StatusBadRequest, msg)
		return
	}
	if len(gtins) == 0 {
		s.missing(c, "data")
		return
	}
	type route struct {
		group ProductGroup
		known bool
	}
	found := map[string]route{}
	s.mu.Lock()
	for _, code := range s.codes {
		r := found[code.GTIN]
		r.known = true
		if code.visibleTo(c.pid) {
			r.group, _ = groupByName(code.ProductGroup)
		}
		found[code.GTIN] = r
	}
	s.mu.Unlock()
	out := make([]obj, 0, len(gtins))
	hit := false
	for _, g := range gtins {
		switch r := found[g]; {
		case r.group.ID != 0:
			hit = true
			out = append(out, obj{"data": g, "tg-id": strconv.Itoa(r.group.ID), "tg-name": r.group.Name})
		case r.known:
			out = append(out, obj{"data": g, "error-code": "401", "error-msg": "Нет доступа к товару"})
		default:
			out = append(out, obj{"data": g, "error-code": "404", "error-msg": "Not found"})
		}
	}
	if !hit {
		s.fail(c, http.StatusNotFound, "Not Found")
		return
	}
	s.writeJSON(c, http.StatusOK, out)
}
