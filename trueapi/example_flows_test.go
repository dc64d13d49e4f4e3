package trueapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/signing"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

// Write damaged codes off: build a withdrawal notice (D-17), sign
// its exact XML bytes with a detached CMS and send it, then follow the
// document until the server has checked it. The fake verifies the
// signature over the bytes it received and takes DocumentDelay to check
// the document.
func ExampleClient_SendWriteOffNotice() {
	cfg := trueapitest.DefaultConfig()
	cfg.Codes = 50
	cfg.DocumentDelay = 100 * time.Millisecond // the real check takes seconds to minutes
	srv := trueapitest.NewServerWith(cfg)      // use trueapi.StageBaseURL for the test stand
	defer srv.Close()

	signer, err := signing.LoadPKCS12File("signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12", "Qwerty12", signing.PurposeAuth)
	if err != nil {
		log.Fatal(err)
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Three of the participant's unit codes are defective.
	var codes []trueapi.CodeCount
	for _, code := range srv.OwnCodes() {
		if code.PackageType == "UNIT" && code.Owner == srv.Owner() && len(codes) < 3 {
			codes = append(codes, trueapi.CodeCount{Code: code.Cis, Count: 1})
		}
	}
	notice := &trueapi.WriteOffNotice{
		Reason:      trueapi.WithdrawalDefect,
		Participant: trueapi.DocParty{IdentificationCode: srv.Owner(), Name: "ТОО «Пример»"},
		Basis:       trueapi.BasisDoc{Name: "Акт списания", Number: "17", Date: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
		Codes:       codes,
	}
	sent, err := c.SendWriteOffNotice(ctx, notice)
	if errors.Is(err, trueapi.ErrOutcomeUnknown) {
		// Not sent again (a document registered twice is an incident):
		// look it up first with c.DocumentInfo(ctx, sent.FileID).
		log.Fatal(err)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sent:", sent.DocumentID == sent.FileID, sent.ProcessingNumber != "", len(sent.Signed.Signature) > 0)

	info, err := c.WaitDocument(ctx, sent.DocumentID,
		trueapi.WithPollInterval(20*time.Millisecond, 100*time.Millisecond),
		trueapi.WithProgress(func(status string) { _ = status })) // show the status here
	var failed *trueapi.DocumentFailedError
	if errors.As(err, &failed) {
		fmt.Println("refused:", failed.Status, failed.Errors)
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("document:", info.Status, info.Number == sent.DocumentID)
	// Output:
	// sent: true true true
	// document: CHECKED_OK true
}

// A document the server refuses ends WaitDocument with a
// *DocumentFailedError that carries the server's errors.
func ExampleDocumentFailedError() {
	cfg := trueapitest.DefaultConfig()
	cfg.Codes = 50
	cfg.DocumentDelay = -1 // checked at once
	srv := trueapitest.NewServerWith(cfg)
	defer srv.Close()
	srv.FailNextDocument("") // the next document ends CHECKED_NOT_OK

	signer, err := signing.LoadPKCS12File("signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12", "Qwerty12", signing.PurposeAuth)
	if err != nil {
		log.Fatal(err)
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	sent, err := c.SendWriteOffNotice(ctx, &trueapi.WriteOffNotice{
		Reason:      trueapi.WithdrawalLoss,
		Participant: trueapi.DocParty{IdentificationCode: srv.Owner()},
		Basis:       trueapi.BasisDoc{Name: "Акт", Number: "18", Date: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
		Codes:       []trueapi.CodeCount{{Code: srv.OwnCodes()[0].Cis, Count: 1}},
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.WaitDocument(ctx, sent.DocumentID, trueapi.WithPollInterval(20*time.Millisecond, 100*time.Millisecond))
	var failed *trueapi.DocumentFailedError
	if errors.As(err, &failed) {
		fmt.Println(failed.Status, len(failed.Errors) > 0, errors.Is(err, trueapi.ErrDocumentFailed))
	}
	// Output:
	// CHECKED_NOT_OK true true
}

// Read the balances of the participant's personal accounts, one per
// product group, in tiyn (Tenge formats them).
func ExampleClient_Balances() {
	srv := trueapitest.NewServerWith(trueapitest.Config{Codes: 50})
	defer srv.Close()
	// The fake's participant has accounts for tobacco, milk and alcohol;
	// set two of its balances (in tiyn): 1 200 000 and 15.50 tenge.
	srv.SetBalance("", trueapi.GroupTobacco.ID(), 120_000_000)
	srv.SetBalance("", trueapi.GroupMilk.ID(), 1_550)

	signer, err := signing.LoadPKCS12File("signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12", "Qwerty12", signing.PurposeAuth)
	if err != nil {
		log.Fatal(err)
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}
	balances, err := c.Balances(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range balances {
		fmt.Println(b.ProductGroup(), b.Tenge(), b.Balance)
	}
	// Output:
	// tobacco 1200000.00 120000000
	// milk 15.50 1550
	// alcohol 0.00 0
}

// Ask for an invoice to top up the tobacco account; the server e-mails
// it. The contract id is the account number that the balance carries.
func ExampleClient_RequestInvoice() {
	srv := trueapitest.NewServerWith(trueapitest.Config{Codes: 50})
	defer srv.Close()
	signer, err := signing.LoadPKCS12File("signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12", "Qwerty12", signing.PurposeAuth)
	if err != nil {
		log.Fatal(err)
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	tobacco, err := c.Balance(ctx, trueapi.GroupTobacco)
	if err != nil {
		log.Fatal(err)
	}

	res, err := c.RequestInvoice(ctx, trueapi.InvoiceRequest{
		ContractID: tobacco.ContractID,
		Amount:     trueapi.Tiyn(15_000_000), // 150 000 tenge, sent as "150000"
		SendTo:     "buh@example.kz",
	})
	var refused *trueapi.InvoiceRefusedError
	if errors.As(err, &refused) {
		fmt.Println("refused:", refused.Message)
		return
	}
	if err != nil {
		// Not sent again: with ErrOutcomeUnknown, check the mailbox first.
		log.Fatal(err)
	}
	fmt.Println("invoice requested:", res.Status, res.InvoiceID != "")
	fmt.Println(len(srv.Invoices()), "invoice, of", srv.Invoices()[0].Amount, "tenge")

	// Another participant's account is refused, in a 200 answer.
	_, err = c.RequestInvoice(ctx, trueapi.InvoiceRequest{ContractID: "1", Amount: 100, SendTo: "buh@example.kz"})
	fmt.Println(errors.Is(err, trueapi.ErrInvoiceRefused))
	// Output:
	// invoice requested: 200 true
	// 1 invoice, of 150000 tenge
	// true
}
