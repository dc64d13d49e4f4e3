package trueapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/paginate"
	"github.com/steppe-sdk/steppe/internal/query"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// GTINPage is one page of the participant's GTINs (GET product/gtin,
// P-1).
type GTINPage struct {
	// GTINs are the product codes of the page (gtins).
	GTINs []string
	// Total is total, the number of GTINs found.
	Total int
}

// gtinPageWire is the P-1 answer. The documentation's table spells the list
// gtings, its example gtins; both are read.
type gtinPageWire struct {
	GTINs        wireList[lenient.String] `json:"gtins"`
	Gtings       wireList[lenient.String] `json:"gtings"`
	Total        lenient.Int              `json:"total"`
	ErrorCode    lenient.String           `json:"errorCode"`
	ErrorMessage lenient.String           `json:"errorMessage"`
}

// GTINsPage returns one page of the GTINs of the token's participant in
// the product group pg (GET product/gtin, P-1). Pages are numbered
// from 0; limit is 1 to [MaxListLimit], 0 meaning [DefaultListLimit]. An
// errorCode in the 200 answer is returned as an [*Error] carrying Code and
// Message (it matches [ErrDecode]: the answer holds no usable page). Bad
// input is refused with a [*ValidationError] before any request.
func (c *Client) GTINsPage(ctx context.Context, pg ProductGroup, page, limit int) (*GTINPage, error) {
	if err := checkGTINPage(pg, page, limit); err != nil {
		return nil, err
	}
	q, err := query.Values(gtinQuery{ProductGroup: pg, Page: page, Limit: cmp.Or(limit, DefaultListLimit)})
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Path: "product/gtin", Query: q}
	var out *GTINPage
	err = c.do(ctx, func(ctx context.Context) error {
		resp, err := c.t.Do(ctx, req)
		if err != nil {
			return err
		}
		var w gtinPageWire
		if err := jsonObject(resp.Body, &w); err != nil {
			return c.t.DecodeError(req, resp, err)
		}
		if w.ErrorCode.S != "" {
			return c.inBandError(req, resp, w.ErrorCode.S, w.ErrorMessage.S)
		}
		// gtins is required: an object without it is not a page.
		list := w.GTINs
		if !list.Set {
			list = w.Gtings
		}
		if err := list.require("gtins"); err != nil {
			return c.t.DecodeError(req, resp, err)
		}
		out = &GTINPage{GTINs: make([]string, len(list.Items)), Total: int(w.Total.N)}
		for i, g := range list.Items {
			out.GTINs[i] = g.S
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GTINs iterates over all GTINs of the token's participant in the product
// group pg (GET product/gtin, P-1), limit a request (0 means
// [DefaultListLimit]), from page 0. It stops after a short or empty page,
// or once (page+1)·limit reaches a positive total; a total of 0 next to a
// full page is not trusted (the documentation shows such totals for K-9), so
// the next page is asked for. Nothing is requested until the loop starts;
// an error is yielded once and ends the loop.
func (c *Client) GTINs(ctx context.Context, pg ProductGroup, limit int) iter.Seq2[string, error] {
	if err := checkGTINPage(pg, 0, limit); err != nil {
		return func(yield func(string, error) bool) { yield("", err) }
	}
	limit = cmp.Or(limit, DefaultListLimit)
	type gtinPage = paginate.Page[string, int, *GTINPage]
	fetch := func(ctx context.Context, page int) (gtinPage, error) {
		p, err := c.GTINsPage(ctx, pg, page, limit)
		if err != nil {
			return gtinPage{}, err
		}
		last := len(p.GTINs) < limit || (p.Total > 0 && (page+1)*limit >= p.Total)
		return gtinPage{Items: p.GTINs, Next: page + 1, Last: last, Meta: p}, nil
	}
	return paginate.Items(ctx, 0, fetch)
}

// gtinQuery is the query string of P-1, encoded by internal/query.
type gtinQuery struct {
	ProductGroup ProductGroup `url:"pg"`
	Page         int          `url:"page"`
	Limit        int          `url:"limit"`
}

func checkGTINPage(pg ProductGroup, page, limit int) error {
	if err := requireText("pg", string(pg)); err != nil {
		return err
	}
	if page < 0 {
		return transport.Invalid("page", "must not be negative (pages start at 0)")
	}
	if limit < 0 || limit > MaxListLimit {
		return transport.Invalid("limit", "must be between 1 and %d (0 means %d)", MaxListLimit, DefaultListLimit)
	}
	return nil
}

// inBandError turns an error reported inside a 200 answer (§2.1 of the
// documentation) into an [*Error] with the server's code and message.
func (c *Client) inBandError(req *transport.Request, resp *transport.Response, code, message string) error {
	code, message = c.t.Secrets().Redact(code), c.t.Secrets().Redact(message)
	err := c.t.DecodeError(req, resp, fmt.Errorf("in-band error %s: %s", code, message))
	var e *Error
	if errors.As(err, &e) {
		e.Code, e.Message = code, message
	}
	return err
}

// ProductPackageType is the packageType of a product card (GET
// products/info, P-2). It is a vocabulary of its own, unlike
// [PackageType] of §3.2; values the server adds are kept as sent.
type ProductPackageType string

// Package types of P-2.
const (
	ProductTradeUnit ProductPackageType = "trade-unit" // an individual pack
	ProductInnerPack ProductPackageType = "inner-pack" // a level-1 pack
	ProductBox       ProductPackageType = "box"        // a level-2 pack
	ProductPallet    ProductPackageType = "pallet"     // a level-3 pack
)

// Name returns the Russian description of P-2, or "" for an unlisted
// value (P-2).
func (p ProductPackageType) Name() string {
	return map[ProductPackageType]string{
		ProductTradeUnit: "индивидуальная упаковка товара", ProductInnerPack: "упаковка 1-го уровня",
		ProductBox: "упаковка 2-го уровня", ProductPallet: "упаковка 3-го уровня",
	}[p]
}

// Product is the product card of one code (GET products/info,
// P-2).
type Product struct {
	ID             int64              // id
	Name           string             // name
	GTIN           string             // gtin
	PackageType    ProductPackageType // packageType
	InnerUnitCount int64              // innerUnitCount: the number of units
	// SpecificAttributes is specificAttributes as sent: the table types it
	// as an array of strings, the example sends an object ({}).
	SpecificAttributes json.RawMessage
	// Extra holds the other members of the answer ("the JSON may also
	// hold fields specific to the product"), as sent; nil when none.
	Extra map[string]json.RawMessage
}

type productWire struct {
	ID                 lenient.Int
	Name               lenient.String
	GTIN               lenient.String
	PackageType        lenient.String
	InnerUnitCount     lenient.Int
	SpecificAttributes rawMember
	Extra              map[string]json.RawMessage
}

// rawMember keeps a JSON value as sent; null leaves it nil.
type rawMember struct{ raw json.RawMessage }

// UnmarshalJSON implements [json.Unmarshaler].
func (r *rawMember) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); string(b) == "null" {
		r.raw = nil
		return nil
	}
	r.raw = append(json.RawMessage(nil), b...)
	return nil
}

// UnmarshalJSON implements [json.Unmarshaler].
func (w *productWire) UnmarshalJSON(b []byte) error {
	*w = productWire{}
	return decodeRecord(b, &w.Extra, []extraMember{
		{Key: "id", Dst: &w.ID},
		{Key: "name", Dst: &w.Name},
		{Key: "gtin", Dst: &w.GTIN},
		{Key: "packageType", Dst: &w.PackageType},
		{Key: "innerUnitCount", Dst: &w.InnerUnitCount},
		{Key: "specificAttributes", Dst: &w.SpecificAttributes},
	})
}

func (w *productWire) public() *Product {
	return &Product{
		ID: w.ID.N, Name: w.Name.S, GTIN: w.GTIN.S, PackageType: ProductPackageType(w.PackageType.S),
		InnerUnitCount: w.InnerUnitCount.N, SpecificAttributes: w.SpecificAttributes.raw, Extra: w.Extra,
	}
}

// ProductInfo returns the product card of one code (GET
// products/info?cis=…, P-2). Tobacco group codes may be given
// with or without brackets; the code is percent-encoded strictly (RFC
// 3986: "(01)04871234567890(21)6M:A>BD" travels as
// %2801%2904871234567890%2821%296M%3AA%3EBD). An unknown code is an
// [*Error] matching [ErrNotFound] ("Продукт не найден").
func (c *Client) ProductInfo(ctx context.Context, cis string) (*Product, error) {
	if err := requireText("cis", cis); err != nil {
		return nil, err
	}
	q, err := query.Values(productInfoQuery{Cis: cis})
	if err != nil {
		return nil, err
	}
	var w productWire
	if err := c.doJSON(ctx, &transport.Request{Path: "products/info", Query: q}, &w); err != nil {
		return nil, err
	}
	return w.public(), nil
}

// productInfoQuery is the query string of P-2, encoded by internal/query.
type productInfoQuery struct {
	Cis string `url:"cis"`
}

// GTINGroup is the product group of one GTIN (POST product/route/gtin,
// P-3), or the server's error for it: the errors come per GTIN
// inside a 200 answer.
type GTINGroup struct {
	GTIN string // data: the GTIN
	// ProductGroupID is tg-id, a number sent in a string ("3"); 0 when
	// absent or not a number.
	ProductGroupID int
	ProductGroup   ProductGroup // tg-name, e.g. "tobacco"
	ErrorCode      string       // error-code, e.g. "404"
	ErrorMessage   string       // error-msg, e.g. "Not found"
}

type gtinGroupWire struct {
	Data         lenient.String `json:"data"`
	GroupID      lenient.String `json:"tg-id"`
	GroupName    lenient.String `json:"tg-name"`
	ErrorCode    lenient.String `json:"error-code"`
	ErrorMessage lenient.String `json:"error-msg"`
}

func (w gtinGroupWire) public() GTINGroup {
	id, _ := strconv.Atoi(strings.TrimSpace(w.GroupID.S))
	return GTINGroup{
		GTIN: w.Data.S, ProductGroupID: id, ProductGroup: ProductGroup(w.GroupName.S),
		ErrorCode: w.ErrorCode.S, ErrorMessage: w.ErrorMessage.S,
	}
}

// GTINProductGroups returns the product group of each GTIN (POST
// product/route/gtin, P-3), with the body {"data": [...]}. The
// answer has one element per GTIN, in the server's order; a GTIN that was
// not found or is not the participant's carries ErrorCode and
// ErrorMessage. When none of the GTINs is found the server answers 404
// {"error_message":"Not Found"}, returned as an [*Error] matching
// [ErrNotFound]. The call only reads, so it is retried like a GET. An
// empty list or a blank GTIN is refused with a [*ValidationError] before
// any request.
func (c *Client) GTINProductGroups(ctx context.Context, gtins []string) ([]GTINGroup, error) {
	if len(gtins) == 0 {
		return nil, transport.Invalid("data", "at least one GTIN is required")
	}
	for i, g := range gtins {
		if strings.TrimSpace(g) == "" {
			return nil, transport.Invalid(fmt.Sprintf("data[%d]", i), "is empty")
		}
	}
	body, err := transport.JSONBody(struct {
		Data []string `json:"data"`
	}{gtins})
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Method: http.MethodPost, Path: "product/route/gtin", Body: body,
		ContentType: "application/json", Idempotent: true}
	var list []gtinGroupWire
	err = c.do(ctx, func(ctx context.Context) error {
		resp, err := c.t.Do(ctx, req)
		if err != nil {
			return err
		}
		// The documentation's answer is an array; a lone object is read as one
		// element. null is neither.
		if err := notNull(resp.Body); err != nil {
			return c.t.DecodeError(req, resp, err)
		}
		if firstByte(resp.Body) == '[' {
			if err := lenient.Unmarshal(resp.Body, &list); err != nil {
				return c.t.DecodeError(req, resp, err)
			}
		} else {
			var one gtinGroupWire
			if err := lenient.Unmarshal(resp.Body, &one); err != nil {
				return c.t.DecodeError(req, resp, err)
			}
			list = []gtinGroupWire{one}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]GTINGroup, len(list))
	for i, w := range list {
		out[i] = w.public()
	}
	return out, nil
}
