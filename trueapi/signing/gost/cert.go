package gost

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
)

// ErrSignature is wrapped by the errors for signatures that do not verify.
var ErrSignature = errors.New("gost: the signature does not verify")

// algorithmForSignature maps a signature algorithm identifier to an
// Algorithm. The public key algorithm's identifier is accepted too: some
// CMS producers write it in SignerInfo.signatureAlgorithm.
func algorithmForSignature(oid asn1.ObjectIdentifier) (Algorithm, bool) {
	switch {
	case oid.Equal(OIDSignature2004), oid.Equal(OIDKey2004):
		return GOST2004, true
	case oid.Equal(OIDSignature2015_512), oid.Equal(OIDKey2015_512):
		return GOST2015_512, true
	}
	return 0, false
}

// CheckSignature checks sig, a signature in NCA's format, over signed
// (the message, which it hashes with the key's hash) made with the
// algorithm sigAlg (a GOST signature algorithm identifier, which must
// belong to pub's algorithm).
func CheckSignature(pub *PublicKey, sigAlg asn1.ObjectIdentifier, signed, sig []byte) error {
	alg, ok := algorithmForSignature(sigAlg)
	if !ok {
		return fmt.Errorf("%w: signature algorithm %v", ErrUnsupported, sigAlg)
	}
	if pub == nil || pub.Algorithm != alg {
		return fmt.Errorf("gost: a %v signature cannot be checked with this key", alg)
	}
	if !pub.VerifyMessage(signed, sig) {
		return ErrSignature
	}
	return nil
}

// CheckCertificateSignature checks that issuer's key signed cert, for the
// GOST certificates crypto/x509 cannot check (its CheckSignatureFrom
// returns x509.ErrUnsupportedAlgorithm for them). Like CheckSignatureFrom,
// it requires a version 3 issuer to be a CA (basic constraints) allowed to
// sign certificates (key usage, when present), and it checks neither
// names, validity periods nor revocation. The signature value is the BIT
// STRING's bytes in NCA's format, LE(r) || LE(s), over the hash of the
// DER TBSCertificate.
func CheckCertificateSignature(cert, issuer *x509.Certificate) error {
	if cert == nil || issuer == nil {
		return errors.New("gost: CheckCertificateSignature needs a certificate and its issuer")
	}
	if issuer.Version == 3 && (!issuer.BasicConstraintsValid || !issuer.IsCA) {
		return errors.New("gost: the issuer is not a CA certificate")
	}
	if issuer.KeyUsage != 0 && issuer.KeyUsage&x509.KeyUsageCertSign == 0 {
		return errors.New("gost: the issuer's key usage does not allow signing certificates")
	}
	var outer struct {
		TBS       asn1.RawValue
		Algorithm pkix.AlgorithmIdentifier
		Signature asn1.BitString
	}
	if rest, err := asn1.Unmarshal(cert.Raw, &outer); err != nil || len(rest) > 0 {
		return fmt.Errorf("gost: malformed certificate: %v", err)
	}
	if !bytes.Equal(outer.TBS.FullBytes, cert.RawTBSCertificate) {
		return errors.New("gost: malformed certificate") // cannot happen for a parsed certificate
	}
	pub, err := CertificatePublicKey(issuer)
	if err != nil {
		return fmt.Errorf("gost: the issuer's key: %w", err)
	}
	if err := CheckSignature(pub, outer.Algorithm.Algorithm, cert.RawTBSCertificate, outer.Signature.RightAlign()); err != nil {
		return fmt.Errorf("gost: certificate signature: %w", err)
	}
	return nil
}
