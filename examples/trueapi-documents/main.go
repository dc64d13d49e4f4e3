// Command trueapi-documents writes marking codes off: it builds a
// write-off notice (withdrawal from circulation, D-17) for a few
// of the participant's codes, signs the exact XML bytes with a detached
// CMS, sends it, follows the document to its final status, and lists the
// participant's recent documents.
//
// It runs offline against the in-process fake (trueapitest), which
// verifies the detached signature over the bytes it received, with a
// throw-away RSA key:
//
//	go run ./examples/trueapi-documents
package main

import (
	"context"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"time"

	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer) error {
	cfg := trueapitest.DefaultConfig()
	cfg.DocumentDelay = time.Second
	srv := trueapitest.NewServerWith(cfg)
	defer srv.Close()
	signer, err := trueapitest.NewSigner(pkix.Name{CommonName: "steppe example"})
	if err != nil {
		return err
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "offline: the trueapitest fake at %s, a throw-away RSA key\n", srv.BaseURL())

	// Three of the participant's unit codes are damaged and leave
	// circulation.
	var codes []trueapi.CodeCount
	for _, code := range srv.OwnCodes() {
		if code.PackageType == "UNIT" && code.Owner == srv.Owner() && len(codes) < 3 {
			codes = append(codes, trueapi.CodeCount{Code: code.Cis, Count: 1})
		}
	}
	notice := &trueapi.WriteOffNotice{
		Reason:      trueapi.WithdrawalDefect,
		Participant: trueapi.DocParty{IdentificationCode: srv.Owner(), Name: "ТОО «Пример»"},
		Basis:       trueapi.BasisDoc{Name: "Акт списания", Number: "17", Date: time.Now()},
		Codes:       codes,
	}
	sent, err := c.SendWriteOffNotice(ctx, notice)
	if errors.Is(err, trueapi.ErrOutcomeUnknown) {
		// Not sent again: a document registered twice is an incident.
		return fmt.Errorf("check before resending: %w", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "sent write-off %s: %d bytes of XML, detached CMS of %d bytes; processing number %q\n",
		sent.FileID, len(sent.Signed.Content), len(sent.Signed.Signature), sent.ProcessingNumber)

	info, err := c.WaitDocument(ctx, sent.FileID,
		trueapi.WithPollInterval(200*time.Millisecond, time.Second),
		trueapi.WithProgress(func(s string) { fmt.Fprintf(out, "  status: %s\n", s) }))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "document %s: %s (%s)\n", info.Number, info.Status, info.Type)

	n := 0
	for doc, err := range c.DocListV2(ctx, trueapi.DocListFilter{ProductGroup: trueapi.GroupTobacco, Limit: 50, Order: trueapi.SortDesc}) {
		if err != nil {
			return err
		}
		if n < 5 {
			fmt.Fprintf(out, "  %-40s %-22s %-16s %s\n", doc.Number, doc.Type, doc.Status, doc.ReceivedAt.Format(time.DateTime))
		}
		n++
	}
	fmt.Fprintf(out, "doc/listV2: %d documents\n", n)
	return nil
}
