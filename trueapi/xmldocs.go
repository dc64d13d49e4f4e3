package trueapi

// Builders of the XML documents of §7 of the documentation (§7.2–§7.6 of the
// specification): the Act ПП and its correction, the divergence notice
// (D-14), the EAEU import notice and its correction (D-15), the
// third-country import notice (D-16), the withdrawal notice (D-17) and the
// re-introduction notice (D-13). Each is a Go struct whose Encode validates
// the fields and writes the UTF-8 XML that is signed and sent byte for
// byte.

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// File id prefixes (D-14…D-16). A fileId is the
// prefix followed by a 36-character UUID; the re-introduction (D-13) and
// withdrawal (D-17) notices take a plain GUID.
const (
	// FileIDPrefixAct starts the fileId of an original Act ПП (D-14):
	// EEU_ACT_<uuid>.
	FileIDPrefixAct = "EEU_ACT_"
	// FileIDPrefixCorrectionAct starts the fileId of a correction Act ПП
	// (D-14): COR_ACT_<uuid>.
	FileIDPrefixCorrectionAct = "COR_ACT_"
	// FileIDPrefixDivergence starts the fileId of a divergence notice
	// (D-14). AMBIGUITY: the table says "prefix DIVERG + 36-character
	// UUID" without saying whether an underscore follows, and its example
	// uses a bare UUID; DIVERG_<uuid> is chosen, like every other prefix of
	// the specification. A caller may set any fileId, a bare UUID included.
	FileIDPrefixDivergence = "DIVERG_"
	// FileIDPrefixImportTransit starts the fileId of an EAEU import notice
	// (D-15): IMPORT_TRANSIT_<uuid>, 51 characters.
	FileIDPrefixImportTransit = "IMPORT_TRANSIT_"
	// FileIDPrefixImportTransitCorrection starts the fileId of a
	// correction EAEU import notice (D-15): IM_TRANSIT_COR_<uuid>.
	FileIDPrefixImportTransitCorrection = "IM_TRANSIT_COR_"
	// FileIDPrefixImport starts the fileId of a third-country import notice
	// (D-16): IMPORT_<uuid>, 43 characters.
	FileIDPrefixImport = "IMPORT_"
)

// NewFileID returns prefix followed by a new random UUID (version 4, 36
// lowercase characters from crypto/rand), the fileId format of
// the documentation: NewFileID(FileIDPrefixAct) gives EEU_ACT_<uuid>, NewFileID("")
// the plain GUID of the re-introduction and withdrawal notices. The
// builders call it when FileID is left empty; call it yourself to know the
// id before sending.
func NewFileID(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])  // never fails (crypto/rand, Go 1.24+)
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return prefix + string(s[:])
}

// Date and time layouts of the XML documents (as the documentation writes them).
const (
	// xmlDateTimeLayout is YYYY-MM-DDThh:mm:ssZ in UTC (variant b):
	// sendingDateTime, decisionDateTime.
	xmlDateTimeLayout = "2006-01-02T15:04:05Z"
	// xmlDayLayout is dd.MM.yyyy (variant c): docDate, exciseDocDate,
	// complianceDocDate, primaryDocDate.
	xmlDayLayout = "02.01.2006"
	// xmlISODayLayout is yyyy-MM-dd (variant d): the third-country import
	// notice's regDate and docDate.
	xmlISODayLayout = "2006-01-02"
)

// Schema locations written on the root element, as the specification's
// examples (and, for D-16, working client code) write them.
const (
	xsiNamespace         = "http://www.w3.org/2001/XMLSchema-instance"
	schemaDivergence     = "xsd_notific_divergences.xsd"
	schemaEAEUImport     = "schemas_xsd_%D0%95%D0%90%D0%AD%D0%A1_%D0%9A%D0%97.xsd"
	schemaThirdCountries = "xsd_notific_import.xsd"
)

// DocParty is a participant's identification code and name (§7 of the documentation),
// written as the two attributes of supplierInfo, consigneeInfo (D-14, D-15),
// participantInfo (D-13, D-17) or importerInfo (D-16).
type DocParty struct {
	// IdentificationCode is the ИИН/БИН (12 digits; for the foreign
	// supplier of an EAEU import notice, its taxpayer id).
	IdentificationCode string
	// Name is optional except for the EAEU supplier and the importer.
	Name string
}

// PaperDoc is originalDocInfo (§7 of the documentation) of the Act ПП (D-14), the EAEU import
// notice (D-15) and the third-country import notice (D-16): the paper
// primary document. Both fields are required when the block is given.
type PaperDoc struct {
	Number string    // docNumber
	Date   time.Time // docDate: dd.MM.yyyy, yyyy-MM-dd in the D-16 notice
}

// BasisDoc is originalDocInfo (§7 of the documentation) of the re-introduction (D-13) and withdrawal
// (D-17) notices: the document the operation is based on. All fields are
// required.
type BasisDoc struct {
	Name   string    // docName
	Number string    // docNumber
	Date   time.Time // docDate, written dd.MM.yyyy
}

// CodeCount is a productList/iCode element (§7 of the documentation) of the Act ПП (D-14), the
// re-introduction (D-13) and the withdrawal (D-17) notices: a marking
// code without its crypto tail, and count, the consumer units it holds (1
// for a consumer unit, n for a group or transport code). Count is
// required in the Act (changelog 2.14) and optional in the notices, where
// 0 leaves the attribute out.
type CodeCount struct {
	Code  string
	Count int
}

// GTINCount is a productTotals/gtin element (D-14, D-15): a GTIN of the
// consumer units and their count. GTINs shorter than 14 digits are
// left-padded with zeros (as the documentation writes them).
type GTINCount struct {
	GTIN  string
	Count int
}

// codeCountXML is <iCode count="n">code</iCode>.
type codeCountXML struct {
	Count int    `xml:"count,attr,omitempty"`
	Code  string `xml:",chardata"`
}

// codeCountsXML is a productList of counted codes.
type codeCountsXML struct {
	Codes []codeCountXML `xml:"iCode"`
}

// gtinCountXML is <gtin count="n">gtin</gtin>.
type gtinCountXML struct {
	Count int    `xml:"count,attr"`
	GTIN  string `xml:",chardata"`
}

// gtinTotalsXML is productTotals.
type gtinTotalsXML struct {
	GTINs []gtinCountXML `xml:"gtin"`
}

// paperDocXML is originalDocInfo with docNumber and docDate.
type paperDocXML struct {
	DocNumber string `xml:"docNumber,attr"`
	DocDate   string `xml:"docDate,attr"`
}

// marshalXMLFile writes the document: the XML declaration
// of §2.3 of the documentation, then v indented by two spaces like the specification's
// examples. encoding/xml escapes text and attribute values (W3C: & < > "
// ' and the line breaks and tabs of attributes as character references).
func marshalXMLFile(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header) // <?xml version="1.0" encoding="UTF-8"?>\n
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// xmlCheck validates a builder's fields, keeping the first failure as a
// *ValidationError naming the XML field (element@attribute, or
// element/child[i] in lists).
type xmlCheck struct {
	err error
}

func (c *xmlCheck) fail(field, format string, args ...any) {
	if c.err == nil {
		c.err = transport.Invalid(field, format, args...)
	}
}

// text returns v after checking that XML 1.0 can carry it: valid UTF-8
// without control characters other than tab and line breaks. A raw GS
// separator (0x1D) of a scanned marking code is the usual offender.
func (c *xmlCheck) text(field, v string) string {
	for i, r := range v {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(v[i:]); size == 1 {
				c.fail(field, "is not valid UTF-8")
				return v
			}
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE || r == 0xFFFF:
			c.fail(field, "contains the character %U, which XML 1.0 cannot carry (remove GS separators and other control characters)", r)
			return v
		}
	}
	return v
}

// required returns v after checking it is not empty. Blank values pass:
// the specification's own examples carry names reduced to spaces.
func (c *xmlCheck) required(field, v string) string {
	if v == "" {
		c.fail(field, "is required")
		return v
	}
	return c.text(field, v)
}

// length returns the required v after checking its length in characters.
func (c *xmlCheck) length(field, v string, minLen, maxLen int) string {
	if v == "" {
		c.fail(field, "is required")
		return v
	}
	c.text(field, v)
	if n := utf8.RuneCountInString(v); n < minLen || n > maxLen {
		if minLen == maxLen {
			c.fail(field, "must be %d characters, not %d", minLen, n)
		} else {
			c.fail(field, "must be %d to %d characters, not %d", minLen, maxLen, n)
		}
	}
	return v
}

// digits returns v after checking it is exactly n ASCII digits.
func (c *xmlCheck) digits(field, v string, n int, what string) string {
	if v == "" {
		c.fail(field, "is required")
		return v
	}
	if len(v) != n || strings.Trim(v, "0123456789") != "" {
		c.fail(field, "must be %d digits (%s)", n, what)
	}
	return v
}

// iinBIN checks a Kazakhstan ИИН/БИН: 12 digits, sent as a string (the
// check digit is left to the server).
func (c *xmlCheck) iinBIN(field, v string) string {
	return c.digits(field, v, 12, "an ИИН/БИН")
}

// gtin returns the GTIN left-padded with zeros to 14 digits
// (as the documentation writes them), after checking it is digits only.
func (c *xmlCheck) gtin(field, v string) string {
	if v != "" && len(v) < 14 && strings.Trim(v, "0123456789") == "" {
		v = strings.Repeat("0", 14-len(v)) + v
	}
	return c.digits(field, v, 14, "a GTIN")
}

// count checks a required count of consumer units.
func (c *xmlCheck) count(field string, n int) int {
	if n < 1 {
		c.fail(field, "must be at least 1, not %d", n)
	}
	return n
}

// optCount checks an optional count: 0 leaves it out.
func (c *xmlCheck) optCount(field string, n int) int {
	if n < 0 {
		c.fail(field, "must not be negative")
	}
	return n
}

// day formats a required date dd.MM.yyyy; the calendar date is taken in
// t's own location.
func (c *xmlCheck) day(field string, t time.Time) string {
	if t.IsZero() {
		c.fail(field, "is required")
		return ""
	}
	return t.Format(xmlDayLayout)
}

// isoDay formats a required date yyyy-MM-dd, in t's own location.
func (c *xmlCheck) isoDay(field string, t time.Time) string {
	if t.IsZero() {
		c.fail(field, "is required")
		return ""
	}
	return t.Format(xmlISODayLayout)
}

// dateTime formats a required instant YYYY-MM-DDThh:mm:ssZ in UTC.
func (c *xmlCheck) dateTime(field string, t time.Time) string {
	if t.IsZero() {
		c.fail(field, "is required")
		return ""
	}
	return t.UTC().Format(xmlDateTimeLayout)
}

// schemaFileXML is the attributes of a <file> that names its schema (the
// divergence notice, the EAEU and the third-country import notices), in
// the order of their examples.
type schemaFileXML struct {
	XSI             string `xml:"xmlns:xsi,attr"`
	FileID          string `xml:"fileId,attr"`
	Version         string `xml:"version,attr"`
	SendingDateTime string `xml:"sendingDateTime,attr"`
	SchemaLocation  string `xml:"xsi:noNamespaceSchemaLocation,attr"`
}

// newSchemaFile fills the attributes of a <file> with schema; sent is
// formatted by sendingDateTime.
func newSchemaFile(fileID, version string, sent time.Time, schema string) schemaFileXML {
	return schemaFileXML{XSI: xsiNamespace, FileID: fileID, Version: version, SendingDateTime: sendingDateTime(sent), SchemaLocation: schema}
}

// sendingDateTime formats file@sendingDateTime, now when t is zero.
func sendingDateTime(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Format(xmlDateTimeLayout)
}

// version returns v, or def when v is empty.
func (c *xmlCheck) version(v, def string) string {
	if v == "" {
		return def
	}
	return c.text("file@version", v)
}

// prefixedFileID returns id, or a new prefix+UUID when id is empty, after
// checking that a given id has the strict format prefix + 36-character
// UUID (D-14…D-16).
func (c *xmlCheck) prefixedFileID(id, prefix string) string {
	if id == "" {
		return NewFileID(prefix)
	}
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok || !isUUID(rest) {
		c.fail("file@fileId", "must be %s followed by a 36-character UUID (%d characters)", prefix, len(prefix)+36)
	}
	return id
}

// plainFileID returns id, or a new GUID when id is empty, after checking
// that a given id fits maxLen characters.
func (c *xmlCheck) plainFileID(id string, maxLen int) string {
	if id == "" {
		return NewFileID("")
	}
	return c.length("file@fileId", id, 1, maxLen)
}

// isUUID reports whether s is 8-4-4-4-12 hexadecimal digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", rune(s[i])) {
				return false
			}
		}
	}
	return true
}

// codeCounts builds a productList of counted codes; countRequired is true
// for the Act ПП.
func (c *xmlCheck) codeCounts(codes []CodeCount, countRequired bool) codeCountsXML {
	if len(codes) == 0 {
		c.fail("productList/iCode", "at least one code is required")
	}
	out := codeCountsXML{Codes: make([]codeCountXML, len(codes))}
	for i, cc := range codes {
		field := fieldAt("productList/iCode", i)
		out.Codes[i].Code = c.required(field, cc.Code)
		if countRequired {
			out.Codes[i].Count = c.count(field+"@count", cc.Count)
		} else {
			out.Codes[i].Count = c.optCount(field+"@count", cc.Count)
		}
	}
	return out
}

// gtinTotals builds productTotals.
func (c *xmlCheck) gtinTotals(totals []GTINCount) gtinTotalsXML {
	if len(totals) == 0 {
		c.fail("productTotals/gtin", "at least one GTIN total is required")
	}
	out := gtinTotalsXML{GTINs: make([]gtinCountXML, len(totals))}
	for i, g := range totals {
		field := fieldAt("productTotals/gtin", i)
		out.GTINs[i].GTIN = c.gtin(field, g.GTIN)
		out.GTINs[i].Count = c.count(field+"@count", g.Count)
	}
	return out
}

// paperDoc builds an optional originalDocInfo with docNumber and docDate
// in layout.
func (c *xmlCheck) paperDoc(d *PaperDoc, layout string) *paperDocXML {
	if d == nil {
		return nil
	}
	out := &paperDocXML{DocNumber: c.required("originalDocInfo@docNumber", d.Number)}
	if layout == xmlISODayLayout {
		out.DocDate = c.isoDay("originalDocInfo@docDate", d.Date)
	} else {
		out.DocDate = c.day("originalDocInfo@docDate", d.Date)
	}
	return out
}

// fieldAt names the i-th (from 0) element of a list as name[i].
func fieldAt(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}
