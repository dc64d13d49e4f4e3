package gost

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"testing"
)

// NCA's own signatures: the test CA signed the three GOST 2015 test
// certificates, the root signed the CA and itself.
func TestNCACertificateSignatures(t *testing.T) {
	t.Parallel()
	ca := readCert(t, ncaCA)
	root := readCert(t, ncaRoot)
	for _, n := range gost2015Keys {
		cert := readCert(t, "testdata/"+n+".cer")
		if err := CheckCertificateSignature(cert, ca); err != nil {
			t.Errorf("%s: %v", n, err)
		}
		// crypto/x509 cannot check these: this package is needed.
		if err := cert.CheckSignatureFrom(ca); !errors.Is(err, x509.ErrUnsupportedAlgorithm) {
			t.Logf("%s: crypto/x509 says %v", n, err)
		}
		// The root did not sign it.
		if err := CheckCertificateSignature(cert, root); !errors.Is(err, ErrSignature) {
			t.Errorf("%s signed by the root: %v", n, err)
		}
	}
	if err := CheckCertificateSignature(ca, root); err != nil {
		t.Errorf("CA by root: %v", err)
	}
	if err := CheckCertificateSignature(root, root); err != nil {
		t.Errorf("root by itself: %v", err)
	}
}

func TestCertificateSignatureErrors(t *testing.T) {
	t.Parallel()
	ca := readCert(t, ncaCA)
	leaf := readCert(t, "testdata/gost1.cer")
	old := readCert(t, gost2004Cer)

	// A changed TBSCertificate no longer verifies.
	raw := bytes.Clone(leaf.Raw)
	i := bytes.Index(raw, []byte("IIN123456789011"))
	raw[i+3] = '9'
	changed, err := x509.ParseCertificate(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckCertificateSignature(changed, ca); !errors.Is(err, ErrSignature) {
		t.Errorf("changed certificate: %v", err)
	}
	// A leaf is no issuer.
	if err := CheckCertificateSignature(leaf, leaf); err == nil {
		t.Error("a leaf certificate accepted as issuer")
	}
	// Key usage without certSign.
	noSign := *ca
	noSign.KeyUsage = x509.KeyUsageCRLSign
	if err := CheckCertificateSignature(leaf, &noSign); err == nil {
		t.Error("an issuer without certSign accepted")
	}
	// A GOST 2015 certificate checked with a GOST 2004 key.
	issuer2004 := *ca
	issuer2004.RawSubjectPublicKeyInfo = old.RawSubjectPublicKeyInfo
	if err := CheckCertificateSignature(leaf, &issuer2004); err == nil {
		t.Error("a 2015 signature checked with a 2004 key")
	}
	// A non-GOST issuer, and a non-GOST certificate.
	ec := selfSignedECDSA(t)
	if err := CheckCertificateSignature(leaf, ec); !errors.Is(err, ErrUnsupported) {
		t.Errorf("ECDSA issuer: %v", err)
	}
	if err := CheckCertificateSignature(ec, ca); !errors.Is(err, ErrUnsupported) {
		t.Errorf("ECDSA certificate: %v", err)
	}
	if err := CheckCertificateSignature(nil, ca); err == nil {
		t.Error("nil certificate")
	}
	bad := *leaf
	bad.Raw = []byte{0x30, 0x00}
	if err := CheckCertificateSignature(&bad, ca); err == nil {
		t.Error("malformed certificate")
	}
	bad.Raw = leaf.Raw
	bad.RawTBSCertificate = []byte{1}
	if err := CheckCertificateSignature(&bad, ca); err == nil {
		t.Error("inconsistent certificate")
	}
	if err := CheckSignature(nil, OIDSignature2004, nil, nil); err == nil {
		t.Error("nil key")
	}
	key, _ := GenerateKey(GOST2004, rand.Reader)
	sig, _ := key.SignMessage(rand.Reader, []byte("x"))
	if err := CheckSignature(&key.PublicKey, OIDKey2004, []byte("x"), sig); err != nil {
		t.Errorf("key OID as signature OID: %v", err)
	}
}
