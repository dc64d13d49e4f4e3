package trueapitest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// node is an element of a parsed XML document.
type node struct {
	name  string
	attrs []xml.Attr // without namespaced attributes (xmlns, xsi:…)
	kids  []*node
	text  string // the trimmed character data directly inside
}

// attr returns the attribute name, or "".
func (n *node) attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// child returns the first child element named name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// children returns the child elements named name.
func (n *node) children(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// find returns the first element named name below n, depth first, or nil.
func (n *node) find(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
		if f := k.find(name); f != nil {
			return f
		}
	}
	return nil
}

// all returns every element named name below n, depth first.
func (n *node) all(name string) []*node {
	var out []*node
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
		out = append(out, k.all(name)...)
	}
	return out
}

// field reads a value written either as an attribute of n or as the text
// of a child element: the documentation's structure tables do not say which.
func (n *node) field(name string) string {
	if v := n.attr(name); v != "" {
		return v
	}
	return strings.TrimSpace(n.child(name).textOrEmpty())
}

// textOrEmpty is the text of n, "" for nil.
func (n *node) textOrEmpty() string {
	if n == nil {
		return ""
	}
	return n.text
}

// toJSON converts n into JSON-like values: attributes and child elements
// become fields (repeated children an array), the text of an element with
// fields becomes "value", and an element with neither is its text.
func (n *node) toJSON() any {
	if len(n.attrs) == 0 && len(n.kids) == 0 {
		return n.text
	}
	m := obj{}
	for _, a := range n.attrs {
		m[a.Name.Local] = a.Value
	}
	seen := map[string]int{}
	for _, k := range n.kids {
		seen[k.name]++
	}
	for _, k := range n.kids {
		if seen[k.name] > 1 {
			list, _ := m[k.name].([]any)
			m[k.name] = append(list, k.toJSON())
			continue
		}
		m[k.name] = k.toJSON()
	}
	if n.text != "" {
		m["value"] = n.text
	}
	return m
}

// Messages of the XML checks.
const (
	msgBadXML = "Операция не выполнена. Невалидный формат XML документа"
	xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>`
)

// declRE matches the XML declaration the documents must start with
// (§2.3 of the documentation): version 1.0, encoding UTF-8 in either case,
// single or double quotes.
var declRE = regexp.MustCompile(`^<\?xml\s+version\s*=\s*(["'])1\.0["']\s+encoding\s*=\s*(["'])(?i:utf-8)["'](\s+standalone\s*=\s*["'](yes|no)["'])?\s*\?>`)

// parseDocXML parses a document's XML: it must start with the declaration
// of declRE (no byte-order mark, no blank before it), be well-formed, have
// one root element and a fileId (an attribute of the root, or a child
// element). It returns the root, or the reason it was refused.
func parseDocXML(content []byte) (*node, string) {
	if !declRE.Match(content) {
		return nil, `документ должен начинаться с заголовка ` + xmlHeader
	}
	root, err := parseXML(content)
	if err != nil {
		return nil, err.Error()
	}
	if root.field("fileId") == "" {
		return nil, "отсутствует обязательный атрибут fileId"
	}
	return root, ""
}

// parseXML parses well-formed XML with exactly one root element.
func parseXML(content []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(content))
	dec.Strict = true
	var root *node
	var stack []*node
	var text []*strings.Builder // the character data of each open element
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("XML не разобран: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, errors.New("XML содержит больше одного корневого элемента")
			}
			n := &node{name: t.Name.Local}
			for _, a := range t.Attr {
				if a.Name.Space == "" && a.Name.Local != "xmlns" {
					n.attrs = append(n.attrs, a)
				}
			}
			if len(stack) == 0 {
				root = n
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
			text = append(text, &strings.Builder{})
		case xml.EndElement:
			n := stack[len(stack)-1]
			n.text = strings.TrimSpace(text[len(text)-1].String())
			stack, text = stack[:len(stack)-1], text[:len(text)-1]
		case xml.CharData:
			if len(stack) > 0 {
				text[len(text)-1].Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("XML содержит текст вне корневого элемента")
			}
		}
	}
	if root == nil {
		return nil, errors.New("XML не содержит корневого элемента")
	}
	return root, nil
}

// uuidRE matches a 36-character UUID.
var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// formalKind classifies a formal document by its fileId prefix
// (D-14, D-15): the document type and its EDO type, or ok false for an
// unknown prefix or a prefix not followed by a UUID. A divergence notice
// is "DIVERG" + a UUID, with or without an underscore; its type is KZ_UPD,
// the Act family (the documentation gives it none).
func formalKind(fileID string) (typ string, edoType int, ok bool) {
	prefixes := []struct {
		prefix string
		typ    string
		edo    int
	}{
		{"EEU_ACT_", TypeAct, EdoAct},
		{"COR_ACT_", TypeAct, EdoActCorrection},
		{"IMPORT_TRANSIT_", TypeImportTransit, EdoImportNotice},
		{"IM_TRANSIT_COR_", TypeImportTransit, EdoImportNoticeCorrection},
		{"DIVERG_", TypeAct, EdoDivergence},
		{"DIVERG", TypeAct, EdoDivergence},
	}
	for _, p := range prefixes {
		if rest, found := strings.CutPrefix(fileID, p.prefix); found {
			return p.typ, p.edo, uuidRE.MatchString(rest)
		}
	}
	return "", 0, false
}

// esc escapes s for an XML attribute or text.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// xmlCodes writes <iCode count="1">…</iCode> elements of codes.
func xmlCodes(codes []string) string {
	var b strings.Builder
	for _, c := range codes {
		b.WriteString(`<iCode count="1">` + esc(c) + `</iCode>`)
	}
	return b.String()
}

// gtinTotals writes the <gtin count=…> totals of codes, GTINs in order of
// first appearance.
func gtinTotals(codes []string) string {
	var order []string
	count := map[string]int{}
	for _, c := range codes {
		k := canonical(c)
		if len(k) < 16 {
			continue
		}
		g := k[2:16]
		if count[g] == 0 {
			order = append(order, g)
		}
		count[g]++
	}
	var b strings.Builder
	for _, g := range order {
		b.WriteString(`<gtin count="` + strconv.Itoa(count[g]) + `">` + g + `</gtin>`)
	}
	return b.String()
}

// actXML builds an Act ПП (D-14) with the given fileId
// ("EEU_ACT_<uuid>", or "COR_ACT_<uuid>" for a correction), from supplier
// to consignee, listing codes with count 1 and their GTIN totals, sent at
// sendingDateTime ("YYYY-MM-DDThh:mm:ssZ").
func actXML(fileID, supplier, consignee, sendingDateTime string, codes []string) []byte {
	correction := strings.HasPrefix(fileID, "COR_ACT_")
	return []byte(xmlHeader + "\n" +
		`<file sendingDateTime="` + esc(sendingDateTime) + `" version="1.0" fileId="` + esc(fileID) + `">` +
		`<participants consigneeId="` + esc(consignee) + `" supplierId="` + esc(supplier) + `"/>` +
		`<document operationType="1" correctionFlag="` + strconv.FormatBool(correction) + `">` +
		`<mainInfo><supplierInfo supplierIdentificationCode="` + esc(supplier) + `"/>` +
		`<consigneeInfo consigneeIdentificationCode="` + esc(consignee) + `"/></mainInfo>` +
		`<productList>` + xmlCodes(codes) + `</productList>` +
		`<productTotals>` + gtinTotals(codes) + `</productTotals>` +
		`</document></file>`)
}
