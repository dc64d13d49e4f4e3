package trueapitest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"

	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// NewSigner returns a signer with a fresh 2048-bit RSA key and a
// self-signed certificate for subject, valid from an hour ago for a day:
// enough for the fake, which checks a sign-in's signature against the
// certificate the CMS carries. The participant the fake sees follows
// [ParticipantOf]: put OU "BIN…" or SERIALNUMBER "IIN…" in subject to
// sign in as a given participant, or leave them out to act as the
// configured owner. The real API accepts only certificates issued by NCA.
func NewSigner(subject pkix.Name) (*signing.RSASigner, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	return newSignerWith(key, subject)
}

func newSignerWith(key *rsa.PrivateKey, subject pkix.Name) (*signing.RSASigner, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: subject,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return signing.NewRSASigner(key, cert)
}
