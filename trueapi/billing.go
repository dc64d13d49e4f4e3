package trueapi

// The billing methods, §8 of the documentation: B-1
// invoice request, B-2 and B-3 balances. They need a personal account
// (лицевой счёт) of the participant.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"strings"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/query"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// FormatTenge formats an amount in tiyn (1/100 tenge, the unit of the
// balances and document totals, the documentation) as tenge with two decimals,
// e.g. 12345678901 → "123456789.01" and -5 → "-0.05", with integer
// arithmetic only.
func FormatTenge(tiyn int64) string {
	neg := tiyn < 0
	abs := uint64(tiyn)
	if neg {
		abs = -abs // two's complement: also right for math.MinInt64
	}
	s := fmt.Sprintf("%d.%02d", abs/100, abs%100)
	if neg {
		return "-" + s
	}
	return s
}

// Tiyn is an amount of money in tiyn, 1/100 of a tenge: the unit of the
// balances and document totals (True API v2.22, B-2, D-25: "в тиынах").
// It names the unit of an amount whose wire form is in another unit, such
// as [InvoiceRequest].Amount, which travels in tenge.
type Tiyn int64

// Tenge formats the amount as tenge with two decimals, like
// [FormatTenge]: Tiyn(12345).Tenge() is "123.45".
func (t Tiyn) Tenge() string { return FormatTenge(int64(t)) }

// billingAmount writes a positive amount in tiyn as tenge in the shortest
// exact decimal form: 15000000 → "150000", 12345 → "123.45", 12340 →
// "123.4".
func billingAmount(amount Tiyn) string {
	tiyn := int64(amount)
	whole, frac := tiyn/100, tiyn%100
	switch {
	case frac == 0:
		return strconv.FormatInt(whole, 10)
	case frac%10 == 0:
		return fmt.Sprintf("%d.%d", whole, frac/10)
	}
	return fmt.Sprintf("%d.%02d", whole, frac)
}

// InvoiceRequest is the body of POST elk/crm-api/prequests (B-1,
// §2.4): a request for an invoice e-mailed to SendTo.
type InvoiceRequest struct {
	// ContractID (contractId) is the personal account number (the table
	// heads it "contractId (номер лицевого счёта)").
	ContractID string
	// Amount is the invoice's amount including VAT, given in tiyn (its
	// type says so) and sent in TENGE: the JSON string amount carries
	// Amount/100 in the shortest exact decimal form, Tiyn(15000000) as
	// "150000", Tiyn(12345) as "123.45", Tiyn(12340) as "123.4". It must
	// be positive.
	//
	// AMBIGUITY: B-1 types amount as a String, "the amount of the invoice
	// including VAT; this value is printed on the invoice", and names no
	// unit; it prints no request example. It is read as tenge, the
	// currency an invoice is printed in, while the API's other amounts
	// (balances, document totals) are integers in tiyn; a Tiyn is taken
	// so that the caller's amount is exact and its unit explicit.
	Amount Tiyn
	// SendTo (sendto, all lowercase) is the e-mail address the invoice
	// is sent to.
	SendTo string
}

type billingInvoiceRequestWire struct {
	ContractID string `json:"contractId"`
	Amount     string `json:"amount"`
	SendTo     string `json:"sendto"`
}

// InvoiceResult is the answer of [Client.RequestInvoice] (B-1).
type InvoiceResult struct {
	// Status (status) is the processing status code as text. The table
	// types it String and the example sends the number 200; both are
	// read.
	Status string
	// InvoiceID (response) is the id of the created invoice, kept as the
	// digits sent; the specification's example leaves it out.
	InvoiceID string
	// ErrorMessage (error_message) is set when the request failed.
	ErrorMessage string
}

type billingInvoiceResultWire struct {
	Status       lenient.String `json:"status"`
	Response     lenient.String `json:"response"`
	ErrorMessage lenient.String `json:"error_message"`
}

// ErrInvoiceRefused matches every [*InvoiceRefusedError]: a B-1 invoice
// request refused in a 200 (§8 of the documentation).
var ErrInvoiceRefused = errors.New("trueapi: the invoice request was refused")

// InvoiceRefusedError is returned by [Client.RequestInvoice] when a
// successful (HTTP 200) answer reports a failure (B-1): an
// error_message, or a numeric status outside 200–299.
type InvoiceRefusedError struct {
	Status  string // status
	Message string // error_message
}

// Error gives the status and the server's message.
func (e *InvoiceRefusedError) Error() string {
	return fmt.Sprintf("trueapi: POST elk/crm-api/prequests: the invoice request was refused (status %q): %s", e.Status, billingMessage(e.Message))
}

// Is reports whether target is ErrInvoiceRefused.
func (e *InvoiceRefusedError) Is(target error) bool { return target == ErrInvoiceRefused }

func billingMessage(s string) string {
	if s == "" {
		return "no message"
	}
	return s
}

// RequestInvoice asks for an invoice, which the server e-mails to
// r.SendTo (POST elk/crm-api/prequests, B-1, §2.4; the path's
// spelling "prequests" is the specification's). Each request that reaches
// the server makes an invoice, so it is never repeated once it may have
// been sent: such a failure gives an [*OutcomeUnknownError], as does a
// redirect and a 2xx answer that is not the documented object with status
// (an empty answer, a maintenance page; the error also matches ErrDecode
// and keeps the answer). A 200 whose body reports a failure gives the
// result and an [*InvoiceRefusedError].
func (c *Client) RequestInvoice(ctx context.Context, r InvoiceRequest) (*InvoiceResult, error) {
	if err := requireText("contractId", r.ContractID); err != nil {
		return nil, err
	}
	if r.Amount <= 0 {
		return nil, transport.Invalid("amount", "must be positive, got %d tiyn", int64(r.Amount))
	}
	if addr, err := mail.ParseAddress(r.SendTo); err != nil || addr.Address != r.SendTo {
		return nil, transport.Invalid("sendto", "must be a bare e-mail address")
	}
	body, err := transport.JSONBody(billingInvoiceRequestWire{ContractID: r.ContractID, Amount: billingAmount(r.Amount), SendTo: r.SendTo})
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Method: http.MethodPost, Path: "elk/crm-api/prequests", Body: body, ContentType: "application/json"}
	check := fmt.Sprintf("the mailbox %s (no method lists invoice requests; another request e-mails another invoice)", r.SendTo)
	// The documented answer is an object with status (required); one
	// with error_message alone is the refusal body of every method.
	var w billingInvoiceResultWire
	resp, err := c.createRead(ctx, req, check, func(body []byte) error { return jsonObject(body, &w) })
	if err != nil {
		return nil, err
	}
	out := &InvoiceResult{Status: strings.TrimSpace(w.Status.S), InvoiceID: strings.TrimSpace(w.Response.S), ErrorMessage: strings.TrimSpace(w.ErrorMessage.S)}
	if out.Status == "" && out.ErrorMessage == "" {
		return nil, c.unexpectedAnswer(req, resp, check, errors.New("no status in the answer"))
	}
	code, numErr := strconv.Atoi(out.Status)
	if out.ErrorMessage != "" || (numErr == nil && (code < 200 || code > 299)) {
		return out, &InvoiceRefusedError{Status: out.Status, Message: out.ErrorMessage}
	}
	return out, nil
}

// GroupBalance is the balance of the participant's personal account for
// one product group (B-2 and B-3, §2.4).
type GroupBalance struct {
	// Balance (balance) is in tiyn, exact; see [GroupBalance.Tenge].
	// It is optional in the answer: HasBalance reports whether it was
	// given.
	Balance    int64
	HasBalance bool
	// ContractID (contractId, optional) and OrganisationID
	// (organisationId, British spelling) are ids, kept as the digits
	// sent.
	ContractID     string
	OrganisationID string
	// ProductGroupID (productGroupId) is the group's number
	// (§9 of the documentation); see [GroupBalance.ProductGroup].
	ProductGroupID int
}

// Tenge returns the balance in tenge with two decimals (B-2: the
// balance is in tiyn), e.g. "1200000.00" for 120000000 tiyn.
func (b GroupBalance) Tenge() string { return FormatTenge(b.Balance) }

// ProductGroup returns the group's code, or "" for an id
// §9 of the documentation does not list.
func (b GroupBalance) ProductGroup() ProductGroup {
	g, _ := ProductGroupByID(b.ProductGroupID)
	return g
}

type billingBalanceWire struct {
	Balance        lenient.Decimal `json:"balance"`
	ContractID     lenient.String  `json:"contractId"`
	OrganisationID lenient.String  `json:"organisationId"`
	ProductGroupID lenient.Int     `json:"productGroupId"`
}

func (w *billingBalanceWire) public() (GroupBalance, error) {
	b := GroupBalance{ContractID: w.ContractID.S, OrganisationID: w.OrganisationID.S, ProductGroupID: int(w.ProductGroupID.N)}
	if w.Balance.Valid {
		d := w.Balance.D
		if !d.IsInteger() || !d.BigInt().IsInt64() {
			return GroupBalance{}, fmt.Errorf("balance %s is not a whole number of tiyn within int64", w.Balance.String())
		}
		b.Balance, b.HasBalance = d.BigInt().Int64(), true
	}
	return b, nil
}

func billingParseBalance(body []byte) (*GroupBalance, error) {
	var w billingBalanceWire
	if err := lenient.Unmarshal(body, &w); err != nil {
		return nil, err
	}
	b, err := w.public()
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// Balance returns the participant's balance for product group g (GET
// elk/product-groups/balance?productGroupId=, B-2, §2.4), the
// group sent as its number ([ProductGroup.ID]). A group §9 of the documentation does
// not list is refused; use [Client.BalanceByID] for it. Only the caller's
// own balance can be read. A token without the participant's pid, or a
// participant without a personal account, gives 404 (ErrNotFound).
func (c *Client) Balance(ctx context.Context, g ProductGroup) (*GroupBalance, error) {
	id := g.ID()
	if id == 0 {
		return nil, transport.Invalid("productGroupId", "product group %q is not in §9 of the documentation; use BalanceByID with its number", g)
	}
	return c.BalanceByID(ctx, id)
}

// BalanceByID is [Client.Balance] for a product group given by its number
// (B-2; the specification's example uses 1, which §3.1 does not
// list). The table lists no Authorization header; the token is sent
// anyway.
func (c *Client) BalanceByID(ctx context.Context, productGroupID int) (*GroupBalance, error) {
	if productGroupID <= 0 {
		return nil, transport.Invalid("productGroupId", "must be positive, got %d", productGroupID)
	}
	params, err := query.Values(balanceQuery{ProductGroupID: productGroupID})
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Path: "elk/product-groups/balance", Query: params}
	return decoded(ctx, c, req, billingParseBalance)
}

// balanceQuery is the query string of elk/product-groups/balance (B-2),
// encoded by internal/query.
type balanceQuery struct {
	ProductGroupID int `url:"productGroupId"`
}

// Balances returns the participant's balances for all its product groups
// (GET elk/product-groups/balance/all, B-3, §2.4). AMBIGUITY: the
// answer's container is not shown; a JSON array of balances is expected,
// and a single balance object or an object holding the array is read
// too; JSON null is not a list and gives an [*Error] matching ErrDecode
// that keeps the answer. (The specification's Content-Type
// application/json/zip is a typo; the GET sends no body and no
// Content-Type.)
func (c *Client) Balances(ctx context.Context) ([]GroupBalance, error) {
	return decoded(ctx, c, &transport.Request{Path: "elk/product-groups/balance/all"}, billingParseBalances)
}

func billingParseBalances(body []byte) ([]GroupBalance, error) {
	if err := notNull(body); err != nil {
		return nil, err
	}
	var list []billingBalanceWire
	if firstByte(body) == '[' {
		if err := lenient.Unmarshal(body, &list); err != nil {
			return nil, err
		}
	} else {
		var obj map[string]json.RawMessage
		if err := lenient.Unmarshal(body, &obj); err != nil {
			return nil, err
		}
		var err error
		if list, err = billingObjectBalances(body, obj); err != nil {
			return nil, err
		}
	}
	out := make([]GroupBalance, 0, len(list))
	for _, w := range list {
		b, err := w.public()
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// billingObjectBalances reads an object answer of B-3: one balance, or a
// wrapper whose one array member holds the balances.
func billingObjectBalances(body []byte, obj map[string]json.RawMessage) ([]billingBalanceWire, error) {
	for _, k := range []string{"balance", "organisationId", "productGroupId"} {
		if _, ok := obj[k]; ok {
			var one billingBalanceWire
			if err := lenient.Unmarshal(body, &one); err != nil {
				return nil, err
			}
			return []billingBalanceWire{one}, nil
		}
	}
	var found []billingBalanceWire
	n := 0
	for _, v := range obj {
		var list []billingBalanceWire
		if firstByte(v) == '[' && lenient.Unmarshal(v, &list) == nil {
			found = list
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("the answer is neither a list of balances, a balance, nor an object holding one list")
	}
	return found, nil
}
