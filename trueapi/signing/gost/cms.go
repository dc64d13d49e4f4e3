package gost

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/steppe-sdk/steppe/trueapi/signing/internal/cms"
)

// Signer signs with an NCA GOST key and its certificate, producing the CMS
// SignedData that NCA's KalkanCrypt produces (the KalkanCrypt GOSTKNCA
// sample in testdata, which the tests rebuild byte for byte but for the
// signature):
//
//   - SignedData version 1 with one digestAlgorithm, the algorithm's digest
//     identifier with NULL parameters (1.2.398.3.10.1.3.1 for GOST 2004,
//     1.2.398.3.10.1.3.3 for GOST 2015 512-bit);
//   - eContentType id-data, with the content (attached) or without it
//     (detached);
//   - the signer's certificate, and no other;
//   - one SignerInfo version 1, identified by issuer and serial number, with
//     the same digest identifier, the signed attributes contentType,
//     signingTime (UTCTime) and messageDigest in DER order, the signature
//     algorithm identifier with NULL parameters (1.2.398.3.10.1.1.1.2 or
//     1.2.398.3.10.1.1.2.3.2), the signature in NCA's byte order as an
//     OCTET STRING, and no unsigned attributes.
//
// A Signer is safe for concurrent use.
type Signer struct {
	key  *PrivateKey
	cert *x509.Certificate
	rand io.Reader
	now  func() time.Time
}

// NewSigner returns a signer for key and its certificate, which goes into
// every signature; the certificate's public key must be key's.
func NewSigner(key *PrivateKey, cert *x509.Certificate) (*Signer, error) {
	if key == nil || cert == nil {
		return nil, errors.New("gost: NewSigner needs a key and a certificate")
	}
	pub, err := CertificatePublicKey(cert)
	if err != nil {
		return nil, fmt.Errorf("gost: the certificate's key: %w", err)
	}
	if !pub.Equal(&key.PublicKey) {
		return nil, errors.New("gost: the certificate does not belong to the key")
	}
	return &Signer{key: key, cert: cert, rand: rand.Reader, now: time.Now}, nil
}

// Certificate returns the signer's certificate.
func (s *Signer) Certificate() *x509.Certificate { return s.cert }

// Algorithm returns the algorithm of the signer's key.
func (s *Signer) Algorithm() Algorithm { return s.key.Algorithm }

// SignCMS returns a DER CMS SignedData over data, with data embedded
// (detached false: the /auth/simpleSignIn form) or left out (detached
// true: the form for documents).
func (s *Signer) SignCMS(ctx context.Context, data []byte, detached bool) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sign := func(digest []byte) ([]byte, error) { return s.key.Sign(s.rand, digest, nil) }
	return cms.Sign(s.key.Algorithm.cms(), sign, s.cert, data, detached, s.now())
}

// cms is the algorithm as the CMS names it.
func (a Algorithm) cms() cms.Algorithm {
	_, _, sig, digest := a.oids()
	return cms.Algorithm{Digest: digest, NewHash: a.NewHash, Signature: sig}
}

// Signed is what [Verify] found in a valid signature.
type Signed struct {
	// Algorithm is the signer's algorithm.
	Algorithm Algorithm
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

// Verify checks a DER CMS SignedData with one GOST signer whose
// certificate is embedded, as NCA's software and [Signer] make them: the
// content digest (against detached when the CMS carries no content), the
// contentType and messageDigest signed attributes, and the signature. It
// does not check the certificate chain (see [CheckCertificateSignature]),
// validity periods or revocation.
//
// A CMS that embeds content is checked against that content; detached
// must then be nil or equal to it.
func Verify(der, detached []byte) (*Signed, error) {
	p, err := cms.Parse(der, detached)
	if err != nil {
		return nil, cms.WrapError(err, "gost", ErrUnsupported)
	}
	if !p.Detached && detached != nil && !bytes.Equal(detached, p.Content) {
		return nil, errors.New("gost: the CMS carries other content than the detached content given")
	}
	pub, err := CertificatePublicKey(p.Certificate)
	if err != nil {
		return nil, fmt.Errorf("gost: the signer's key: %w", err)
	}
	alg := pub.Algorithm
	if !p.Digest.Equal(alg.cms().Digest) {
		return nil, fmt.Errorf("%w: digest algorithm %v with a %v key", ErrUnsupported, p.Digest, alg)
	}
	if a, ok := algorithmForSignature(p.Signature); !ok || a != alg {
		return nil, fmt.Errorf("%w: signature algorithm %v with a %v key", ErrUnsupported, p.Signature, alg)
	}
	digest, sig, signingTime, err := p.Signed(alg.NewHash)
	if err != nil {
		return nil, fmt.Errorf("gost: %w", err)
	}
	if !pub.VerifyDigest(digest, sig) {
		return nil, ErrSignature
	}
	return &Signed{Algorithm: alg, Certificate: p.Certificate, Content: p.Content, SigningTime: signingTime, Detached: p.Detached}, nil
}
