package signing

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/steppe-sdk/steppe/trueapi/signing/internal/cms"
)

// Object identifiers of RFC 5754 and PKCS #1.
var (
	oidSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSA           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA256WithRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
)

// rsaSHA256 is the algorithm of Kalkan's RSA signatures:
// sha256WithRSAEncryption over SHA-256.
var rsaSHA256 = cms.Algorithm{Digest: oidSHA256, NewHash: sha256.New, Signature: oidSHA256WithRSA}

// ErrUnsupported is wrapped by errors about algorithms or structures this
// package does not handle.
var ErrUnsupported = errors.New("signing: unsupported")

// buildRSA builds the SignedData with one RSA signer.
func buildRSA(key crypto.Signer, cert *x509.Certificate, data []byte, detached bool, t time.Time) ([]byte, error) {
	sign := func(digest []byte) ([]byte, error) {
		sig, err := key.Sign(rand.Reader, digest, crypto.SHA256)
		if err != nil {
			return nil, fmt.Errorf("signing: RSA signature: %w", err)
		}
		return sig, nil
	}
	return cms.Sign(rsaSHA256, sign, cert, data, detached, t)
}

// Signed is what [Verify] found in a valid signature.
type Signed struct {
	// Certificate is the signer's certificate, taken from the CMS.
	Certificate *x509.Certificate
	// Content is the signed content: the embedded one, or the detached
	// content given to Verify.
	Content []byte
	// SigningTime is the signingTime attribute, zero when absent.
	SigningTime time.Time
	// Detached reports whether the CMS carried no content.
	Detached bool
}

// Verify checks a DER CMS SignedData with one signer whose certificate is
// embedded, RSA with SHA-256 or an NCA GOST algorithm (see package gost):
// the content digest (against detached when the CMS holds no content), the
// signed attributes (contentType and messageDigest, RFC 5652 §5.3) and
// the signature. It does not check the certificate chain or validity
// period.
func Verify(der, detached []byte) (*Signed, error) {
	p, err := cms.Parse(der, detached)
	if err != nil {
		return nil, cms.WrapError(err, "signing", ErrUnsupported)
	}
	if isGOST(p.Digest) || isGOST(p.Signature) {
		return verifyGOST(der, detached)
	}
	if !p.Digest.Equal(oidSHA256) {
		return nil, fmt.Errorf("%w: digest algorithm %v", ErrUnsupported, p.Digest)
	}
	if a := p.Signature; !a.Equal(oidSHA256WithRSA) && !a.Equal(oidRSA) {
		return nil, fmt.Errorf("%w: signature algorithm %v", ErrUnsupported, a)
	}
	pub, ok := p.Certificate.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: the certificate's key is not RSA", ErrUnsupported)
	}
	digest, sig, signingTime, err := p.Signed(sha256.New)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest, sig); err != nil {
		return nil, fmt.Errorf("signing: signature does not verify: %w", err)
	}
	return &Signed{Certificate: p.Certificate, Content: p.Content, SigningTime: signingTime, Detached: p.Detached}, nil
}
