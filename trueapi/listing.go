package trueapi

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/paginate"
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
func (r CisRecord) CursorAfter() ListCursor { return r.cursor(PageNext) }

// CursorBefore returns the cursor of the page that precedes r in a keyset
// listing (K-9 and P-4: pageDir=PREV), or the zero cursor when r
// lacks its cis or emission date.
func (r CisRecord) CursorBefore() ListCursor { return r.cursor(PagePrev) }

func (r CisRecord) cursor(dir PageDir) ListCursor {
	if r.Cis == "" || r.EmissionDate == "" {
		return ListCursor{}
	}
	return ListCursor{Dir: dir, UIT: r.Cis, OrderedColumnValue: r.EmissionDate}
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
	extra, err := decodeWithExtra(b, []extraMember{
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
	w.Extra = extra
	return err
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

// listPageWire is {"results", "total"}; null, for the page or its
// results, is refused.
type listPageWire struct {
	Results wireList[cisRecordWire] `json:"results"`
	Total   lenient.Int             `json:"total"`
}

// UnmarshalJSON implements [json.Unmarshaler].
func (w *listPageWire) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return errNullList
	}
	type plain listPageWire
	return lenient.Unmarshal(b, (*plain)(w))
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom: the page is
// decoded in the pass over the answer, not read out and decoded again.
func (w *listPageWire) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		return readNullList(dec)
	}
	type plain listPageWire
	return jsonv2.UnmarshalDecode(dec, (*plain)(w))
}

func (f *ListFilter) check() error {
	if f.Limit < 0 || f.Limit > MaxListLimit {
		return transport.Invalid("limit", "must be between 1 and %d (0 means %d)", MaxListLimit, DefaultListLimit)
	}
	switch f.Order {
	case "", SortAsc, SortDesc:
	default:
		return transport.Invalid("order", "must be %q or %q", SortAsc, SortDesc)
	}
	switch f.OrderColumn {
	case "", SortByEmissionDate:
	default:
		return transport.Invalid("orderColumn", "must be empty or %q (emission date), the only sort column the documentation names and the one the cursor follows", SortByEmissionDate)
	}
	if !f.EmissionFrom.IsZero() && !f.EmissionTo.IsZero() && f.EmissionFrom.After(f.EmissionTo) {
		return transport.Invalid("emissionDateFrom", "is after emissionDateTo")
	}
	return nil
}

func (c *ListCursor) check() error {
	if c.IsZero() {
		return nil
	}
	switch c.Dir {
	case "", PageNext, PagePrev:
	default:
		return transport.Invalid("pageDir", "must be %q or %q", PageNext, PagePrev)
	}
	if c.UIT == "" {
		return transport.Invalid("uit", "is required with orderedColumnValue and pageDir")
	}
	if c.OrderedColumnValue == "" {
		return transport.Invalid("orderedColumnValue", "is required with uit and pageDir")
	}
	return nil
}

// query builds the query string of one page; f and cur are checked.
// column is the sort column to send, "" for none.
func (f *ListFilter) query(column SortColumn, cur ListCursor) url.Values {
	q := url.Values{}
	set := func(key, value string) {
		if value != "" {
			q.Set(key, value)
		}
	}
	set("cis", f.Cis)
	set("gtin", f.GTIN)
	set("sn", f.SerialNumber)
	set("tnVed10", f.TnVed10)
	set("producerInn", f.ProducerINN)
	set("ownerInn", f.OwnerINN)
	set("cisStatus", string(f.Status))
	set("cisPackageType", string(f.PackageType))
	set("emissionType", string(f.EmissionType))
	if !f.EmissionFrom.IsZero() {
		q.Set("emissionDateFrom", f.EmissionFrom.UTC().Format(wireTimeLayout))
	}
	if !f.EmissionTo.IsZero() {
		q.Set("emissionDateTo", f.EmissionTo.UTC().Format(wireTimeLayout))
	}
	set("order", string(f.Order))
	set("orderColumn", string(column))
	q.Set("limit", strconv.Itoa(cmp.Or(f.Limit, DefaultListLimit)))
	if !cur.IsZero() {
		q.Set("pageDir", string(cmp.Or(cur.Dir, PageNext)))
		q.Set("uit", cur.UIT)
		q.Set("orderedColumnValue", cur.OrderedColumnValue)
	}
	return q
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
	return c.listV2Page(ctx, "cises/listV2", f.OrderColumn, f, cur)
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
	return c.listV2Items(ctx, "cises/listV2", f.OrderColumn, f)
}

// ProductsListV2Page returns one page of the products (codes with their
// product attributes) matching f (GET products/listV2, True API v2.22,
// P-4). It pages like [Client.CisesListV2Page], but always sends the sort
// column emd, the only one P-4 allows.
func (c *Client) ProductsListV2Page(ctx context.Context, f ListFilter, cur ListCursor) (*ListPage, error) {
	return c.listV2Page(ctx, "products/listV2", SortByEmissionDate, f, cur)
}

// ProductsListV2 iterates over every product matching f (GET
// products/listV2, True API v2.22, P-4), [DefaultListLimit] records a
// request unless f.Limit says otherwise, orderColumn=emd on every
// request; it walks like [Client.CisesListV2].
func (c *Client) ProductsListV2(ctx context.Context, f ListFilter) iter.Seq2[CisRecord, error] {
	return c.listV2Items(ctx, "products/listV2", SortByEmissionDate, f)
}

// listV2Page reads one page of K-9 or P-4; column is the sort column to
// send ("" for none).
func (c *Client) listV2Page(ctx context.Context, path string, column SortColumn, f ListFilter, cur ListCursor) (*ListPage, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if err := cur.check(); err != nil {
		return nil, err
	}
	var w listPageWire
	if err := c.doJSON(ctx, &transport.Request{Path: path, Query: f.query(column, cur)}, &w); err != nil {
		return nil, err
	}
	results := w.Results.Items
	p := &ListPage{Results: make([]CisRecord, len(results)), Total: int(w.Total.N)}
	for i := range results {
		p.Results[i] = results[i].public()
	}
	if n := len(p.Results); n > 0 {
		p.Next = p.Results[n-1].CursorAfter()
		p.Prev = p.Results[0].CursorBefore()
		p.More = n >= cmp.Or(f.Limit, DefaultListLimit)
	}
	return p, nil
}

func (c *Client) listV2Items(ctx context.Context, path string, column SortColumn, f ListFilter) iter.Seq2[CisRecord, error] {
	if err := f.check(); err != nil {
		return func(yield func(CisRecord, error) bool) { yield(CisRecord{}, err) }
	}
	return keysetItems(ctx, path, "cis or emissionDate", func(ctx context.Context, cur ListCursor) ([]CisRecord, ListCursor, bool, error) {
		p, err := c.listV2Page(ctx, path, column, f, cur)
		if err != nil {
			return nil, cur, false, err
		}
		return p.Results, p.Next, p.More, nil
	})
}

// keysetItems walks a keyset listing (K-9, P-4, D-25, D-27) forwards with
// the shared engine: page reads the page at a cursor and says where the
// next one starts and whether it may hold more. A full page whose last
// record gives no cursor (key names what it lacks) is an error, not the
// end of the listing.
func keysetItems[T any, C interface {
	comparable
	IsZero() bool
}](ctx context.Context, path, key string, page func(ctx context.Context, cur C) ([]T, C, bool, error)) iter.Seq2[T, error] {
	var first C
	return paginate.Items(ctx, first, func(ctx context.Context, cur C) (paginate.Page[T, C, struct{}], error) {
		items, next, more, err := page(ctx, cur)
		if err != nil {
			return paginate.Page[T, C, struct{}]{}, err
		}
		if more && next.IsZero() {
			return paginate.Page[T, C, struct{}]{}, fmt.Errorf("trueapi: %s: %w: the last record of a full page has no %s to read on from", path, ErrDecode, key)
		}
		return paginate.Page[T, C, struct{}]{Items: items, Next: next, Last: !more}, nil
	})
}
