// Command trueapi signs in to the ISMET True API and looks up a batch of
// marking codes: it lists the participant's GTINs of a product group,
// orders the list of its own codes of the first GTIN (cises/my: order,
// wait, download the ZIP), and asks cises/info about them.
//
// With no TRUEAPI_P12 it runs offline: it makes a throw-away RSA key and
// certificate and signs in to the in-process fake (trueapitest), which
// verifies the signature for real. With TRUEAPI_P12 (an NCA RSA key file)
// and TRUEAPI_PASSWORD it signs in to the stage stand with that key.
//
//	go run ./examples/trueapi
//	TRUEAPI_P12=AUTH_RSA256_….p12 TRUEAPI_PASSWORD=… go run ./examples/trueapi -pg tobacco
package main

import (
	"context"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"time"

	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/signing"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

func main() {
	pg := flag.String("pg", "tobacco", "product group (a name from §9 of the documentation)")
	show := flag.Int("show", 5, "how many codes to print")
	timeout := flag.Duration("timeout", 5*time.Minute, "give up after this long")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := run(ctx, os.Stdout, trueapi.ProductGroup(*pg), *show); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer, pg trueapi.ProductGroup, show int) error {
	signer, opts, cleanup, err := setup(out)
	if err != nil {
		return err
	}
	defer cleanup()
	c, err := trueapi.New(signer, append(opts, trueapi.WithUserAgent("steppe-example/1"))...)
	if err != nil {
		return err
	}
	if _, err := c.Token(ctx); err != nil {
		return fmt.Errorf("sign-in: %w", err)
	}
	fmt.Fprintln(out, "signed in")

	page, err := c.GTINsPage(ctx, pg, 0, 10)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "product/gtin: %d GTINs of %s (%s)\n", page.Total, pg, pg.Name())
	if len(page.GTINs) == 0 {
		return errors.New("no GTIN to order codes of")
	}
	gtin := page.GTINs[0]

	recs, err := c.MyCises(ctx, trueapi.CisesOrder{GTIN: gtin},
		trueapi.WithPollInterval(200*time.Millisecond, 5*time.Second),
		trueapi.WithProgress(func(s string) { fmt.Fprintf(out, "cises/my order: %s\n", s) }))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "cises/my: %d codes of GTIN %s\n", len(recs), gtin)
	codes := make([]string, len(recs))
	for i, r := range recs {
		codes[i] = r.Cis
	}
	if len(codes) == 0 {
		return nil
	}

	start := time.Now()
	infos, err := c.CisesInfo(ctx, codes)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "cises/info: %d answers for %d codes in %s\n", len(infos), len(codes), time.Since(start).Round(time.Millisecond))
	for _, r := range infos[:min(show, len(infos))] {
		if r.Info == nil {
			fmt.Fprintf(out, "  error %s: %s\n", r.ErrorCode, r.ErrorMessage)
			continue
		}
		fmt.Fprintf(out, "  %-40q %-11s %s, produced %s\n", r.Info.Cis, r.Info.Status, r.Info.PackageType, r.Info.Produced.Format(time.DateOnly))
	}
	return nil
}

// setup picks the signer and the stand: a real key on stage, or a
// throw-away key against the fake.
func setup(out io.Writer) (signing.Signer, []trueapi.Option, func(), error) {
	if path := os.Getenv("TRUEAPI_P12"); path != "" {
		signer, err := signing.LoadPKCS12File(path, os.Getenv("TRUEAPI_PASSWORD"), signing.PurposeAuth)
		if err != nil {
			return nil, nil, nil, err
		}
		fmt.Fprintf(out, "stage: signing in to %s with %s\n", trueapi.StageBaseURL, path)
		return signer, []trueapi.Option{trueapi.WithBaseURL(trueapi.StageBaseURL)}, func() {}, nil
	}
	// A throw-away RSA key and self-signed certificate: the fake checks
	// the signature against the certificate the CMS carries.
	signer, err := trueapitest.NewSigner(pkix.Name{CommonName: "steppe example", SerialNumber: "IIN123456789012"})
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := trueapitest.DefaultConfig()
	cfg.OrderDelay = 500 * time.Millisecond
	srv := trueapitest.NewServerWith(cfg)
	fmt.Fprintf(out, "offline: no TRUEAPI_P12, signing in to the trueapitest fake at %s with a throw-away RSA key\n", srv.BaseURL())
	return signer, []trueapi.Option{trueapi.WithBaseURL(srv.BaseURL())}, srv.Close, nil
}
