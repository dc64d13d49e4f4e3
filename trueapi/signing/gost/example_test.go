package gost_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/steppe-sdk/steppe/trueapi/signing/gost"
	"github.com/steppe-sdk/steppe/trueapi/signing/pkcs12"
)

// Sign with an NCA GOST512 key file and check the signature. Package
// signing's LoadPKCS12 does the first steps for you.
func Example() {
	data, err := os.ReadFile("testdata/individual_valid.p12")
	if err != nil {
		log.Fatal(err)
	}
	bundle, err := pkcs12.Decode(data, "Qwerty12")
	if err != nil {
		log.Fatal(err)
	}
	k := bundle.Keys[0]
	key, err := gost.ParsePKCS8PrivateKey(k.PKCS8)
	if err != nil {
		log.Fatal(err)
	}
	signer, err := gost.NewSigner(key, bundle.CertificateFor(k))
	if err != nil {
		log.Fatal(err)
	}
	cms, err := signer.SignCMS(context.Background(), []byte("document"), true) // detached
	if err != nil {
		log.Fatal(err)
	}
	signed, err := gost.Verify(cms, []byte("document"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(signed.Algorithm, signed.Certificate.Subject.SerialNumber)
	// Output: GOST 34.310-2015 512-bit IIN123456789011
}
