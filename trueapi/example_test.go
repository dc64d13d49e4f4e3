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

// Sign in with an NCA key file and look up marking codes. Against the
// fake, codes of other participants are left out of the answer, as the
// real server does.
func Example() {
	srv := trueapitest.NewServer() // use trueapi.StageBaseURL for the test stand
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
	codes := []string{srv.OwnCodes()[0].Cis, srv.OwnCodes()[1].Cis, srv.ForeignCodes()[0].Cis}
	res, err := c.CisesInfo(ctx, codes)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d of %d codes are ours\n", len(res), len(codes))
	fmt.Println(res[0].Info.Cis == codes[0], res[0].Info.OwnerBIN == srv.Owner())
	// Output:
	// 2 of 3 codes are ours
	// true true
}

// Order the list of the participant's codes of one GTIN and wait for it.
func ExampleClient_MyCises() {
	cfg := trueapitest.DefaultConfig()
	cfg.OrderDelay = 50 * time.Millisecond
	srv := trueapitest.NewServerWith(cfg)
	defer srv.Close()
	signer, err := signing.LoadPKCS12File("signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12", "Qwerty12", signing.PurposeAuth)
	if err != nil {
		log.Fatal(err)
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}
	gtin := srv.GTINs(srv.Owner())[0]
	recs, err := c.MyCises(context.Background(), trueapi.CisesOrder{GTIN: gtin},
		trueapi.WithPollInterval(20*time.Millisecond, time.Second))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(recs) > 0, recs[0].GTIN == gtin)
	// Output: true true
}

// Walk every code of the participant, 1000 a page, over the keyset
// pagination of cises/listV2.
func ExampleClient_CisesListV2() {
	srv := trueapitest.NewServer()
	defer srv.Close()
	signer, err := signing.LoadPKCS12File("signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12", "Qwerty12", signing.PurposeAuth)
	if err != nil {
		log.Fatal(err)
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for rec, err := range c.CisesListV2(context.Background(), trueapi.ListFilter{Status: trueapi.StatusIntroduced}) {
		if err != nil {
			log.Fatal(err)
		}
		_ = rec.Cis
		n++
	}
	fmt.Println(n > 0)
	// Output: true
}

// A batched call that loses one batch keeps the answers of the others;
// resend only the codes the *BatchError names.
func ExampleBatchError() {
	cfg := trueapitest.DefaultConfig()
	cfg.Codes = 2000
	srv := trueapitest.NewServerWith(cfg)
	defer srv.Close()
	// The second of the two requests of 1000 codes fails with a 500.
	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "cises/info", Status: 500, Every: 2})
	signer, err := signing.LoadPKCS12File("signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12", "Qwerty12", signing.PurposeAuth)
	if err != nil {
		log.Fatal(err)
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}
	var codes []string
	for _, code := range srv.OwnCodes()[:2000] {
		codes = append(codes, code.Cis)
	}
	ctx := context.Background()
	res, err := c.CisesInfo(ctx, codes)
	var be *trueapi.BatchError
	if errors.As(err, &be) {
		fmt.Printf("%d answered, %d to send again (%v)\n", len(res), len(be.Failed), errors.Is(err, trueapi.ErrServer))
		more, err := c.CisesInfo(ctx, be.Failed)
		if err != nil {
			log.Fatal(err)
		}
		res = append(res, more...)
	}
	fmt.Println(len(res), "answered in all")
	// Output:
	// 1000 answered, 1000 to send again (true)
	// 2000 answered in all
}
