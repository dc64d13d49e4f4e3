package trueapi

import (
	"cmp"
	"context"
	"encoding/json"
	"iter"
	"time"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// Page sizes of the keyset listings cises/listV2 (K-9) and
// products/listV2 (P-4), and of product/gtin (P-1).
const (
	// DefaultListLimit is the page size used when a limit is 0. The
	// server's own defaults (10 for K-9 and P-1, "49" for P-4) are too
	// small to walk a listing, so the client always sends a limit.
	DefaultListLimit = 1000
	// MaxListLimit is the largest page size the server accepts
	// (the documentation: "не более 10000 записей").
	MaxListLimit = 10_000
)

// SortColumn is the orderColumn parameter of the keyset listings
// GET cises/listV2 and GET products/listV2 (True API v2.22, K-9 and P-4):
// the column the records are sorted by.
type SortColumn string

// SortByEmissionDate is emd, the emission date: the one sort column the
// documentation names (P-4: "допустимое значение emd - дата эмиссии"). The
// keyset value (orderedColumnValue) of a record in this order is its
// emissionDate.
const SortByEmissionDate SortColumn = "emd"

// SortOrder is the order parameter of the keyset listings (K-9
// and P-4).
type SortOrder string

// Sort orders of K-9 and P-4.
const (
	SortAsc  SortOrder = "ASC"  // ascending emission date
	SortDesc SortOrder = "DESC" // descending emission date
)

// PageDir is the pageDir parameter of the keyset listings (K-9
// and P-4): the direction to read in from the reference record.
type PageDir string

// Page directions of K-9 and P-4.
const (
	PageNext PageDir = "NEXT" // the records after the reference record
	PagePrev PageDir = "PREV" // the records before the reference record
)

// ListFilter selects the records of GET cises/listV2 (K-9) and
// GET products/listV2 (P-4); both methods take the same query
// parameters. Empty fields are not sent. Strings are percent-encoded
// strictly (RFC 3986), so marking codes travel intact.
type ListFilter struct {
	// Cis is the marking code to filter by (cis). The K-9 table and the
	// 2.23.0 changelog call it required, while the 2.22.5 changelog, the
	// P-4 table and the K-9 example request leave it out; this client
	// reads it as optional, the reading of the v2.22 document it targets.
	Cis          string
	GTIN         string // gtin: 14 digits, zero-padded
	SerialNumber string // sn: the serial number of the code
	TnVed10      string // tnVed10: the 10-digit ТН ВЭД code
	ProducerINN  string // producerInn: the producer's (or importer's) ИИН/БИН
	OwnerINN     string // ownerInn: the owner's ИИН/БИН
	// Status is cisStatus (§9 of the documentation).
	Status CisStatus
	// PackageType is cisPackageType (§9 of the documentation).
	PackageType PackageType
	// EmissionType is emissionType: [ReleaseLocal] or [ReleaseForeign].
	EmissionType ReleaseMethod
	// EmissionFrom and EmissionTo bound the emission date
	// (emissionDateFrom, emissionDateTo); they are sent in UTC with
	// milliseconds, yyyy-MM-ddTHH:mm:ss.SSSZ. The zero time is not sent.
	EmissionFrom, EmissionTo time.Time
	// Order is order, [SortAsc] or [SortDesc]; empty leaves the
	// server's default.
	Order SortOrder
	// OrderColumn is orderColumn, the sort column: empty or
	// [SortByEmissionDate] (emd), the only value the documentation names.
	//
	// GET cises/listV2 (K-9) sends it only when it is set: K-9 lists no
	// value for it and its example request sends none. GET products/listV2
	// (P-4) always sends emd, the only value P-4 allows, whether this field
	// is empty or emd.
	//
	// The keyset cursor stays the emission date in both cases. K-9 and P-4
	// say that uit and orderedColumnValue travel together and that
	// orderedColumnValue is "the value, at the reference record, of the
	// column the records are sorted by". K-9 names no default column, and
	// emd is the only column either method names for the same records. So
	// this client reads the server's default order as emission date, and a
	// cursor carries the record's emissionDate whether or not orderColumn
	// was sent. Any other column is refused before a request, because the
	// client could not read its value off a record to build the next
	// cursor.
	OrderColumn SortColumn
	// Limit is the page size, 1 to [MaxListLimit]; 0 means
	// [DefaultListLimit].
	Limit int
}

// ListCursor is a position in a keyset listing (K-9 and P-4,
// §5.2): the reference record, named by uit (its cis) and
// orderedColumnValue (its emissionDate exactly as the server sent it), and
// the direction to read in from it. The zero ListCursor asks for the first
// page. Get cursors from [ListPage.Next], [ListPage.Prev],
// [CisRecord.CursorAfter] and [CisRecord.CursorBefore].
type ListCursor struct {
	// Dir is pageDir; empty means [PageNext].
	Dir PageDir
	// UIT is uit, the cis of the reference record.
	UIT string
	// OrderedColumnValue is orderedColumnValue, the emissionDate of the
	// reference record as received.
	OrderedColumnValue string
}

// IsZero reports whether c asks for the first page of a keyset listing
// (no uit, orderedColumnValue or pageDir; K-9 and P-4).
func (c ListCursor) IsZero() bool { return c == ListCursor{} }

// CisRecord is one record of GET cises/listV2 (K-9, type
// LpCisInfo) and of GET products/listV2 (P-4). Every field is
// optional. The group-specific attributes vary with the product group and
// the national-catalogue card: every member the server sent that has no
// field here (or whose value a field could not take) is kept in Extra,
// so nothing is lost.
type CisRecord struct {
	Cis           string // cis
	CountChildren int64  // countChildren
	// Emitted is emissionDate, parsed with or without milliseconds; it is
	// zero when the server's text is not a date-time.
	Emitted time.Time
	// EmissionDate is emissionDate exactly as received: the keyset value
	// (orderedColumnValue) of the next and previous pages.
	EmissionDate string
	GTIN         string // gtin
	SGTIN        string // sgtin: GTIN and serial number (the examples hold the serial only)
	// TnVedGroup is tnVedGroup (table) or tnvedGroup (examples).
	TnVedGroup string
	// OwnerBIN is the owner's ИИН/БИН, from ownerIin (K-9 table), ownerBin
	// (K-9 tobacco example) or ownerInn (K-9 alcohol example, P-4),
	// whichever was sent, in that order of preference; another of the
	// three sent as well stays in Extra.
	OwnerBIN  string
	OwnerName string // ownerName
	// ProducerBIN is the producer's ИИН/БИН, from producerIin, producerBin
	// or producerInn, read like OwnerBIN.
	ProducerBIN  string
	ProducerName string        // producerName
	ProductName  string        // productName
	Status       CisStatus     // status (§9 of the documentation)
	StatusEx     CisStatus     // statusEx: "the same as status"
	Produced     time.Time     // producedDate, with or without milliseconds
	EmissionType ReleaseMethod // emissionType: LOCAL or FOREIGN
	LastDocID    string        // lastDocId: the last document on the code

	// Common catalogue attributes.
	Name            string // name
	Brand           string // brand
	TradeName       string // tradeName
	FullName        string // fullName
	TnVedCode10     string // tnVedCode10
	ProducerCountry string // producerCountry

	// Group-specific attributes the documentation names.
	PackageName    string // packageName
	PackMaterial   string // packMaterial
	TobaccoType    string // tobaccoType (tobacco)
	PackUnitVolume string // packUnitVolume (alcohol), e.g. "750 мл"
	AlcoholVol     string // alcoholVol (alcohol), e.g. "12.5 % об."
	QuantityInPack string // quantityInPack, e.g. "20": a string in the examples
	Structure      string // structure

	// Extra holds every other member of the record, as sent; nil when
	// there is none.
	Extra map[string]json.RawMessage
}

// CursorAfter returns the cursor of the page that follows r in a keyset
// listing (K-9 and P-4: pageDir=NEXT, uit=r.Cis,
// orderedColumnValue=r.EmissionDate), or the zero cursor when r lacks its
// cis or emission date.
func (r CisRecord) CursorAfter() ListCursor { return cursorAt(PageNext, r.ref(), listCursor) }

// CursorBefore returns the cursor of the page that precedes r in a keyset
// listing (K-9 and P-4: pageDir=PREV), or the zero cursor when r
// lacks its cis or emission date.
func (r CisRecord) CursorBefore() ListCursor { return cursorAt(PagePrev, r.ref(), listCursor) }

// ref is r as the reference record of a cursor: its cis and its
// emissionDate as received.
func (r CisRecord) ref() keysetRef { return refOf(r.Cis, r.EmissionDate) }

// listCursor spells a cursor of K-9 and P-4: uit and orderedColumnValue.
func listCursor(dir PageDir, ref keysetRef) ListCursor {
	return ListCursor{Dir: dir, UIT: ref.ID, OrderedColumnValue: ref.Value}
}

// ListPage is one page of GET cises/listV2 (K-9) or GET
// products/listV2 (P-4).
type ListPage struct {
	// Results are the records in the server's order.
	Results []CisRecord
	// Total is total, the number of records matching the filter as the
	// server counts them. The documentation's K-9 tobacco example answers
	// total 0 with one result, so paging never relies on it.
	Total int
	// Next is the cursor of the following page (after the last record),
	// Prev that of the preceding one (before the first record); both are
	// zero when the page is empty.
	Next, Prev ListCursor
	// More reports whether the page was full (as many records as the
	// limit): further records may follow in the direction it was read in.
	// A shorter page is the last one.
	More bool
}

// cisRecordWire is a record as sent; it splits the JSON object into the
// known members and the rest.
type cisRecordWire struct {
	Cis             lenient.String
	CountChildren   lenient.Int
	EmissionDate    lenient.String
	GTIN            lenient.String
	SGTIN           lenient.String
	TnVedGroup      lenient.String
	OwnerBIN        lenient.String
	OwnerName       lenient.String
	ProducerBIN     lenient.String
	ProducerName    lenient.String
	ProductName     lenient.String
	Status          lenient.String
	StatusEx        lenient.String
	ProducedDate    wireTime
	EmissionType    lenient.String
	LastDocID       lenient.String
	Name            lenient.String
	Brand           lenient.String
	TradeName       lenient.String
	FullName        lenient.String
	TnVedCode10     lenient.String
	ProducerCountry lenient.String
	PackageName     lenient.String
	PackMaterial    lenient.String
	TobaccoType     lenient.String
	PackUnitVolume  lenient.String
	AlcoholVol      lenient.String
	QuantityInPack  lenient.String
	Structure       lenient.String
	Extra           map[string]json.RawMessage
}

// UnmarshalJSON implements [json.Unmarshaler].
func (w *cisRecordWire) UnmarshalJSON(b []byte) error {
	*w = cisRecordWire{}
	return decodeRecord(b, &w.Extra, []extraMember{
		{Key: "cis", Dst: &w.Cis},
		{Key: "countChildren", Dst: &w.CountChildren},
		{Key: "emissionDate", Dst: &w.EmissionDate},
		{Key: "gtin", Dst: &w.GTIN},
		{Key: "sgtin", Dst: &w.SGTIN},
		{Key: "tnVedGroup", Aliases: []string{"tnvedGroup"}, Dst: &w.TnVedGroup},
		{Key: "ownerIin", Aliases: []string{"ownerBin", "ownerInn"}, Dst: &w.OwnerBIN},
		{Key: "ownerName", Dst: &w.OwnerName},
		{Key: "producerIin", Aliases: []string{"producerBin", "producerInn"}, Dst: &w.ProducerBIN},
		{Key: "producerName", Dst: &w.ProducerName},
		{Key: "productName", Dst: &w.ProductName},
		{Key: "status", Dst: &w.Status},
		{Key: "statusEx", Dst: &w.StatusEx},
		{Key: "producedDate", Dst: &w.ProducedDate},
		{Key: "emissionType", Dst: &w.EmissionType},
		{Key: "lastDocId", Dst: &w.LastDocID},
		{Key: "name", Dst: &w.Name},
		{Key: "brand", Dst: &w.Brand},
		{Key: "tradeName", Dst: &w.TradeName},
		{Key: "fullName", Dst: &w.FullName},
		{Key: "tnVedCode10", Dst: &w.TnVedCode10},
		{Key: "producerCountry", Dst: &w.ProducerCountry},
		{Key: "packageName", Dst: &w.PackageName},
		{Key: "packMaterial", Dst: &w.PackMaterial},
		{Key: "tobaccoType", Dst: &w.TobaccoType},
		{Key: "packUnitVolume", Dst: &w.PackUnitVolume},
		{Key: "alcoholVol", Dst: &w.AlcoholVol},
		{Key: "quantityInPack", Dst: &w.QuantityInPack},
		{Key: "structure", Dst: &w.Structure},
	})
}

func (w *cisRecordWire) public() CisRecord {
	r := CisRecord{
		Cis: w.Cis.S, CountChildren: w.CountChildren.N, EmissionDate: w.EmissionDate.S, GTIN: w.GTIN.S,
		SGTIN: w.SGTIN.S, TnVedGroup: w.TnVedGroup.S, OwnerBIN: w.OwnerBIN.S, OwnerName: w.OwnerName.S,
		ProducerBIN: w.ProducerBIN.S, ProducerName: w.ProducerName.S, ProductName: w.ProductName.S,
		Status: CisStatus(w.Status.S), StatusEx: CisStatus(w.StatusEx.S), Produced: w.ProducedDate.T,
		EmissionType: ReleaseMethod(w.EmissionType.S), LastDocID: w.LastDocID.S,
		Name: w.Name.S, Brand: w.Brand.S, TradeName: w.TradeName.S, FullName: w.FullName.S,
		TnVedCode10: w.TnVedCode10.S, ProducerCountry: w.ProducerCountry.S,
		PackageName: w.PackageName.S, PackMaterial: w.PackMaterial.S, TobaccoType: w.TobaccoType.S,
		PackUnitVolume: w.PackUnitVolume.S, AlcoholVol: w.AlcoholVol.S, QuantityInPack: w.QuantityInPack.S,
		Structure: w.Structure.S, Extra: w.Extra,
	}
	if r.EmissionDate != "" {
		if t, err := parseWireTime(r.EmissionDate); err == nil {
			r.Emitted = t
		}
	}
	return r
}

// extraMember names the keys under which a JSON member may arrive, in order of
// preference, and where to decode it.
type extraMember = lenient.Member

// decodeWithExtra decodes the JSON object b into the members' targets, in
// one pass, and returns the rest of the object (nil when nothing is left):
// the members it does not know, the aliases of a member other than the one
// read, and members whose value their target refused. Of a member's keys,
// the first with a value that is not null, "" or "undef" is read, or else
// the first present (see [lenient.DecodeObject]).
func decodeWithExtra(b []byte, members []extraMember) (map[string]json.RawMessage, error) {
	return lenient.DecodeObject(b, members, true)
}

// decodeRecord is decodeWithExtra for a wire record: the rest of the
// object goes to *extra.
func decodeRecord(b []byte, extra *map[string]json.RawMessage, members []extraMember) (err error) {
	*extra, err = decodeWithExtra(b, members)
	return err
}

// listPageWire is the answer of K-9 and P-4, {"results", "total"};
// null, for the page or its results, is refused.
type listPageWire = resultsWire[cisRecordWire]

// check refuses bad input: f, and cur unless it is zero.
func (f *ListFilter) check(cur ListCursor) error {
	var column, cursor error
	if f.OrderColumn != "" && f.OrderColumn != SortByEmissionDate {
		column = transport.Invalid("orderColumn", "must be empty or %q (emission date), the only sort column the documentation names and the one the cursor follows", SortByEmissionDate)
	}
	if !cur.IsZero() {
		cursor = checkCursor(cur.Dir, "uit", cur.UIT, cur.OrderedColumnValue, true)
	}
	return cmp.Or(checkLimit("limit", f.Limit, DefaultListLimit), checkOrder("order", f.Order), column,
		checkRange("emissionDateFrom", f.EmissionFrom, "emissionDateTo", f.EmissionTo), cursor)
}

// listQuery is the query string of one page of K-9 or P-4, encoded by
// internal/query. Dates are sent in UTC with milliseconds (the layout is
// wireTimeLayout).
type listQuery struct {
	Cis                string        `url:"cis,omitempty"`
	GTIN               string        `url:"gtin,omitempty"`
	SerialNumber       string        `url:"sn,omitempty"`
	TnVed10            string        `url:"tnVed10,omitempty"`
	ProducerINN        string        `url:"producerInn,omitempty"`
	OwnerINN           string        `url:"ownerInn,omitempty"`
	Status             CisStatus     `url:"cisStatus,omitempty"`
	PackageType        PackageType   `url:"cisPackageType,omitempty"`
	EmissionType       ReleaseMethod `url:"emissionType,omitempty"`
	EmissionFrom       time.Time     `url:"emissionDateFrom,omitempty" layout:"2006-01-02T15:04:05.000Z"`
	EmissionTo         time.Time     `url:"emissionDateTo,omitempty" layout:"2006-01-02T15:04:05.000Z"`
	Order              SortOrder     `url:"order,omitempty"`
	OrderColumn        SortColumn    `url:"orderColumn,omitempty"`
	Limit              int           `url:"limit"`
	PageDir            PageDir       `url:"pageDir,omitempty"`
	UIT                string        `url:"uit,omitempty"`
	OrderedColumnValue string        `url:"orderedColumnValue,omitempty"`
}

// query maps f and cur, checked, to the query of one page; column is the
// sort column to send, "" for none.
func (f *ListFilter) query(column SortColumn, cur ListCursor) listQuery {
	q := listQuery{
		Cis: f.Cis, GTIN: f.GTIN, SerialNumber: f.SerialNumber, TnVed10: f.TnVed10,
		ProducerINN: f.ProducerINN, OwnerINN: f.OwnerINN, Status: f.Status, PackageType: f.PackageType,
		EmissionType: f.EmissionType, EmissionFrom: f.EmissionFrom.UTC(), EmissionTo: f.EmissionTo.UTC(),
		Order: f.Order, OrderColumn: column, Limit: cmp.Or(f.Limit, DefaultListLimit),
	}
	if !cur.IsZero() {
		q.PageDir, q.UIT, q.OrderedColumnValue = cmp.Or(cur.Dir, PageNext), cur.UIT, cur.OrderedColumnValue
	}
	return q
}

// cisesListV2 and productsListV2 are K-9 and P-4: the same filter, cursor
// and records; K-9 sends the sort column only when it is set, P-4 always
// sends emd.
var cisesListV2, productsListV2 = listV2("cises/listV2", ""), listV2("products/listV2", SortByEmissionDate)

// listV2 describes K-9 or P-4; column is the sort column sent when the
// filter names none.
func listV2(path string, column SortColumn) *listing[ListFilter, ListCursor, CisRecord] {
	return &listing[ListFilter, ListCursor, CisRecord]{
		path:   path,
		check:  (*ListFilter).check,
		params: func(f *ListFilter, cur ListCursor) any { return f.query(cmp.Or(f.OrderColumn, column), cur) },
		read:   readResults[CisRecord, cisRecordWire](false),
		limit:  func(f *ListFilter) int { return cmp.Or(f.Limit, DefaultListLimit) },
		ref:    CisRecord.ref,
		at:     listCursor,
		lacks:  "cis or emissionDate",
	}
}

// CisesListV2Page returns one page of marking codes matching f (GET
// cises/listV2, True API v2.22, K-9). The zero cursor asks for the first
// page; [ListPage.Next] (pageDir=NEXT) and [ListPage.Prev] (pageDir=PREV)
// move on from it with the same filter, order, sort column and limit. A
// sort column is sent only when f.OrderColumn is set (the K-9 example
// sends none); either way the cursor is the emission date of the
// reference record (see [ListFilter].OrderColumn). Only the token's
// participant's codes are listed (as owner or producer). Bad input is
// refused with a [*ValidationError] before any request.
func (c *Client) CisesListV2Page(ctx context.Context, f ListFilter, cur ListCursor) (*ListPage, error) {
	p, err := cisesListV2.keysetPageAt(ctx, c, &f, cur)
	return (*ListPage)(p), err
}

// CisesListV2 iterates over every marking code matching f (GET
// cises/listV2, True API v2.22, K-9), [DefaultListLimit] records a
// request unless f.Limit says otherwise. It reads forwards from the first
// page: each following request carries pageDir=NEXT, uit (the cis of the
// last record) and orderedColumnValue (its emissionDate as received), and
// orderColumn only when f.OrderColumn is set. The walk stops after a page
// shorter than the limit. Nothing is requested until the loop starts; an
// error is yielded once and ends the loop.
func (c *Client) CisesListV2(ctx context.Context, f ListFilter) iter.Seq2[CisRecord, error] {
	return keysetItems(ctx, c, cisesListV2, f)
}

// ProductsListV2Page returns one page of the products (codes with their
// product attributes) matching f (GET products/listV2, True API v2.22,
// P-4). It pages like [Client.CisesListV2Page], but always sends the sort
// column emd, the only one P-4 allows.
func (c *Client) ProductsListV2Page(ctx context.Context, f ListFilter, cur ListCursor) (*ListPage, error) {
	p, err := productsListV2.keysetPageAt(ctx, c, &f, cur)
	return (*ListPage)(p), err
}

// ProductsListV2 iterates over every product matching f (GET
// products/listV2, True API v2.22, P-4), [DefaultListLimit] records a
// request unless f.Limit says otherwise, orderColumn=emd on every
// request; it walks like [Client.CisesListV2].
func (c *Client) ProductsListV2(ctx context.Context, f ListFilter) iter.Seq2[CisRecord, error] {
	return keysetItems(ctx, c, productsListV2, f)
}
