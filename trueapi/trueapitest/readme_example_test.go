package trueapitest_test

import (
	"context"
	"crypto/x509/pkix"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

// Testing your own code with the fake and its faults (the README's
// "Testing your code with the fakes", as written there).
func ExampleServer_faults() {
	srv := trueapitest.NewServer() // also openschooltest, uztgstest, paruskaztest, uchettest
	defer srv.Close()
	signer, _ := trueapitest.NewSigner(pkix.Name{CommonName: "test"}) // a throw-away RSA key the fake accepts
	c, _ := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "cises/info", Status: 503, Times: 2})
	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "documents/writeOff", DropResponse: true})

	// The two 503s are retried away.
	res, err := c.CisesInfo(context.Background(), []string{srv.OwnCodes()[0].Cis})
	fmt.Println(len(res), err, srv.Stats().SignIns)
	// Output: 1 <nil> 1
}

// The fake inside a testing/synctest bubble, served in-process: a token
// that lives 10 hours expires without a real second passing.
func TestReadmeInProcessBubble(t *testing.T) {
	cfg := trueapitest.DefaultConfig()
	srv := trueapitest.NewServerWith(cfg) // outside the bubble
	defer srv.Close()
	signer, err := trueapitest.NewSigner(pkix.Name{CommonName: "test"})
	if err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()), trueapi.WithHTTPClient(srv.InProcessClient()))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		code := []string{srv.OwnCodes()[0].Cis}
		if _, err := c.CisesInfo(ctx, code); err != nil {
			t.Fatal(err)
		}
		time.Sleep(trueapitest.DefaultTokenTTL + time.Minute)
		if _, err := c.CisesInfo(ctx, code); err != nil {
			t.Fatal(err) // the 401 was met with a new sign-in
		}
		if got := srv.Stats().SignIns; got != 2 {
			t.Fatalf("sign-ins = %d, want 2 (the token expired on the bubble's clock)", got)
		}
	})
}
