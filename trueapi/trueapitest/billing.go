package trueapitest

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Balance is the balance of a participant's personal account for one
// product group (B-2).
type Balance struct {
	// ProductGroupID is the product group's number (§9 of the documentation).
	ProductGroupID int
	// Balance is the money on the account, in tiyn (1/100 tenge).
	Balance int64
	// ContractID is the personal account number, also the contractId of
	// invoice requests (as a string there).
	ContractID int64
	// OrganisationID is the participant's id in the billing system.
	OrganisationID int64
}

// Invoice is an invoice request accepted by elk/crm-api/prequests.
type Invoice struct {
	// ID is the invoice id answered as response.
	ID int64
	// Participant is the token's participant.
	Participant string
	// ContractID, Amount and SendTo are as sent.
	ContractID, Amount, SendTo string
	// Requested is when the request was accepted.
	Requested time.Time
}

// account is a participant's personal account.
type account struct {
	organisation, contract int64
	balances               map[int]int64 // by product group id, in tiyn
}

// accountOf returns the participant's account, creating it with ids
// derived from the participant. The caller holds s.mu.
func (s *Server) accountOf(pid string) *account {
	if s.docs.accounts == nil {
		s.docs.accounts = map[string]*account{}
	}
	a, ok := s.docs.accounts[pid]
	if !ok {
		n := int64(hashOf("account", pid) % 1000)
		a = &account{organisation: 600000000 + n, contract: 1000000 + n, balances: map[int]int64{}}
		s.docs.accounts[pid] = a
	}
	return a
}

// SetBalance sets the balance, in tiyn, of the participant's account for a
// product group, creating the account if needed. An empty participant
// means [Config.Owner].
func (s *Server) SetBalance(participant string, productGroupID int, tiyn int64) {
	if participant == "" {
		participant = s.cfg.Owner
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accountOf(participant).balances[productGroupID] = tiyn
}

// Balances returns the participant's balances by product group id; none
// when it has no account. An empty participant means [Config.Owner].
func (s *Server) Balances(participant string) []Balance {
	if participant == "" {
		participant = s.cfg.Owner
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balancesLocked(participant)
}

// balancesLocked lists the participant's balances by group id. The caller
// holds s.mu.
func (s *Server) balancesLocked(pid string) []Balance {
	a, ok := s.docs.accounts[pid]
	if !ok {
		return nil
	}
	var out []Balance
	for _, g := range slices.Sorted(maps.Keys(a.balances)) {
		out = append(out, Balance{ProductGroupID: g, Balance: a.balances[g], ContractID: a.contract, OrganisationID: a.organisation})
	}
	return out
}

// Invoices returns the invoice requests accepted so far, in order.
func (s *Server) Invoices() []Invoice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.docs.invoices)
}

// balanceJSON is a balance as B-2 and B-3 answer it.
func balanceJSON(b Balance) obj {
	return obj{"balance": b.Balance, "contractId": b.ContractID, "organisationId": b.OrganisationID, "productGroupId": b.ProductGroupID}
}

// msgNoAccount is the 404 of the balance routes, {0} being the pid.
const msgNoAccount = "В токене указано некорректное значение параметра pid, либо в Системе ИС МПТ нет пользователя с идентификаторами {0} нет лицевого счёта в Системе ИС МПТ"

// noAccount answers the 404 of a participant without an account.
func (s *Server) noAccount(c *call) {
	s.fail(c, http.StatusNotFound, strings.Replace(msgNoAccount, "{0}", c.pid, 1))
}

// serveBalance answers B-2 GET elk/product-groups/balance?productGroupId=:
// {balance (tiyn), contractId, organisationId, productGroupId}; 404 with
// the documentation's pid message when the participant has no balance for the
// group.
func (s *Server) serveBalance(c *call) {
	raw := c.q.Get("productGroupId")
	if raw == "" {
		s.missing(c, "productGroupId")
		return
	}
	id, err := strconv.Atoi(raw)
	if err != nil {
		s.badType(c, "productGroupId", "Integer")
		return
	}
	s.mu.Lock()
	list := s.balancesLocked(c.pid)
	s.mu.Unlock()
	i := slices.IndexFunc(list, func(b Balance) bool { return b.ProductGroupID == id })
	if i < 0 {
		s.noAccount(c)
		return
	}
	s.writeJSON(c, http.StatusOK, balanceJSON(list[i]))
}

// serveBalances answers B-3 GET elk/product-groups/balance/all: a JSON
// array (the documentation's likely reading) of the B-2 objects, by group id;
// 404 when the participant has no account.
func (s *Server) serveBalances(c *call) {
	s.mu.Lock()
	list := s.balancesLocked(c.pid)
	s.mu.Unlock()
	if len(list) == 0 {
		s.noAccount(c)
		return
	}
	out := make([]obj, 0, len(list))
	for _, b := range list {
		out = append(out, balanceJSON(b))
	}
	s.writeJSON(c, http.StatusOK, out)
}

// amountRE matches an invoice amount: a positive decimal with at most two
// decimals.
var amountRE = regexp.MustCompile(`^[0-9]+(\.[0-9]{1,2})?$`)

// emailRE matches a plausible e-mail address.
var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// serveInvoiceRequest answers B-1 POST elk/crm-api/prequests: {contractId,
// amount (a string: "15000.00"), sendto} (all strings; numbers are taken
// as their text, as Jackson does). A body that is not such an object, or
// lacks a field, gets 400. Otherwise the answer is 200 with an in-band
// status: {"status": 200, "response": <invoice id>}, or {"status": 400,
// "error_message": …} for an amount that is not a positive decimal, an
// address that is not one, or a contractId other than the participant's
// account number.
func (s *Server) serveInvoiceRequest(c *call) {
	body, m, ok := s.objectBody(c)
	if !ok {
		return
	}
	fields := map[string]string{}
	for _, name := range []string{"contractId", "amount", "sendto"} {
		x, isText := jsonText(m[name])
		if !isText {
			s.fail(c, http.StatusBadRequest, cannotDeserialize(javaString, m[name]))
			return
		}
		if x == "" {
			s.missing(c, name)
			return
		}
		fields[name] = x
	}
	s.received(body)
	s.mu.Lock()
	a, hasAccount := s.docs.accounts[c.pid]
	amount, _ := strconv.ParseFloat(fields["amount"], 64)
	var msg string
	switch {
	case !amountRE.MatchString(fields["amount"]) || amount <= 0:
		msg = "Сумма " + fields["amount"] + " должна быть положительным числом с не более чем двумя знаками после точки"
	case !emailRE.MatchString(fields["sendto"]):
		msg = "Адрес " + fields["sendto"] + " не является адресом электронной почты"
	case !hasAccount || strconv.FormatInt(a.contract, 10) != fields["contractId"]:
		msg = "Лицевой счёт " + fields["contractId"] + " не найден у участника " + c.pid
	}
	if msg != "" {
		s.mu.Unlock()
		s.writeJSON(c, http.StatusOK, obj{"status": http.StatusBadRequest, "error_message": msg})
		return
	}
	inv := Invoice{ID: 5000000 + s.docs.next(), Participant: c.pid, ContractID: fields["contractId"],
		Amount: fields["amount"], SendTo: fields["sendto"], Requested: time.Now()}
	s.docs.invoices = append(s.docs.invoices, inv)
	s.stats.Invoices++
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, obj{"status": http.StatusOK, "response": inv.ID})
}
