package signing_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"log"
	"slices"

	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// The NCA RK test keys in testdata open with the published password
// Qwerty12. They carry no legal weight.
const (
	authKey  = "testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12"
	signKey  = "testdata/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12"
	gostKey  = "testdata/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12"
	password = "Qwerty12"
)

// An NCA authentication key signs the sign-in challenge of True API as an
// attached CMS, which Verify checks.
func ExampleLoadPKCS12File() {
	signer, err := signing.LoadPKCS12File(authKey, password, signing.PurposeAuth)
	if err != nil {
		log.Fatal(err)
	}
	cert := signer.(signing.CertificateProvider).Certificate()
	fmt.Println("key of", cert.Subject.SerialNumber)

	challenge := []byte("6f2f3e1c-6b1d-4a53-9c1e-2f0c5a7d8e90") // the data of GET /auth/key
	cms, err := signer.SignCMS(context.Background(), challenge, signing.SignOptions{Purpose: signing.PurposeAuth})
	if err != nil {
		log.Fatal(err)
	}
	signed, err := signing.Verify(cms, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified")
	fmt.Printf("content: %s\n", signed.Content)
	fmt.Println("detached:", signed.Detached)
	fmt.Println("signed by", signed.Certificate.Subject.SerialNumber)
	// Output:
	// key of IIN123456789011
	// verified
	// content: 6f2f3e1c-6b1d-4a53-9c1e-2f0c5a7d8e90
	// detached: false
	// signed by IIN123456789011
}

// The usual NCA key set: the AUTH key signs in, the signing key signs
// documents, here with a detached CMS.
func ExampleByPurpose() {
	auth, err := signing.LoadPKCS12File(authKey, password, signing.PurposeAuth)
	if err != nil {
		log.Fatal(err)
	}
	doc, err := signing.LoadPKCS12File(signKey, password, signing.PurposeDocument)
	if err != nil {
		log.Fatal(err)
	}
	signer := signing.ByPurpose(auth, doc)
	ctx := context.Background()

	for _, opts := range []signing.SignOptions{
		{Purpose: signing.PurposeAuth},
		{Purpose: signing.PurposeDocument, Detached: true},
	} {
		data := []byte("<document/>")
		cms, err := signer.SignCMS(ctx, data, opts)
		if err != nil {
			log.Fatal(err)
		}
		var detached []byte
		if opts.Detached {
			detached = data
		}
		signed, err := signing.Verify(cms, detached)
		if err != nil {
			log.Fatal(err)
		}
		eku := signed.Certificate.ExtKeyUsage
		fmt.Printf("%s: detached %v, clientAuth key %v, emailProtection key %v\n", opts.Purpose, signed.Detached,
			slices.Contains(eku, x509.ExtKeyUsageClientAuth), slices.Contains(eku, x509.ExtKeyUsageEmailProtection))
	}
	// Output:
	// authentication: detached false, clientAuth key true, emailProtection key false
	// document: detached true, clientAuth key false, emailProtection key true
}

// A GOST key file gives a pure-Go GOSTSigner.
func ExampleGOSTSigner() {
	signer, err := signing.LoadPKCS12File(gostKey, password, signing.PurposeDocument)
	if err != nil {
		log.Fatal(err)
	}
	g, ok := signer.(*signing.GOSTSigner)
	fmt.Println("GOST signer:", ok)

	data := []byte("<document/>")
	cms, err := g.SignCMS(context.Background(), data, signing.SignOptions{Detached: true})
	if err != nil {
		log.Fatal(err)
	}
	signed, err := signing.Verify(cms, data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified over", len(signed.Content), "bytes, detached:", signed.Detached)
	fmt.Println("signed by", signed.Certificate.Subject.SerialNumber)
	// Output:
	// GOST signer: true
	// verified over 11 bytes, detached: true
	// signed by IIN123456789011
}
