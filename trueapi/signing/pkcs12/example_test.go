package pkcs12_test

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/steppe-sdk/steppe/trueapi/signing/pkcs12"
)

// An NCA RK test key file: BER with indefinite lengths, which DER-only
// PKCS#12 readers reject. Its published password is Qwerty12.
func ExampleDecode() {
	data, err := os.ReadFile("testdata/rsa-auth/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12")
	if err != nil {
		log.Fatal(err)
	}
	bundle, err := pkcs12.Decode(data, "Qwerty12")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("keys:", len(bundle.Keys))
	key := bundle.Keys[0]
	if key.Algorithm.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}) {
		fmt.Println("algorithm: rsaEncryption", key.Algorithm)
	}
	cert := bundle.CertificateFor(key)
	fmt.Println("certificate of", cert.Subject.SerialNumber)

	// RSA keys parse with the standard library; GOST keys need package gost.
	priv, err := x509.ParsePKCS8PrivateKey(key.PKCS8)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%T\n", priv)

	_, err = pkcs12.Decode(data, "wrong")
	fmt.Println("wrong password:", errors.Is(err, pkcs12.ErrIncorrectPassword))
	// Output:
	// keys: 1
	// algorithm: rsaEncryption 1.2.840.113549.1.1.1
	// certificate of IIN123456789011
	// *rsa.PrivateKey
	// wrong password: true
}
