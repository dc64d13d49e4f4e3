package signing

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/steppe-sdk/steppe/trueapi/signing/gost"
	"github.com/steppe-sdk/steppe/trueapi/signing/pkcs12"
)

// GOSTSigner signs in pure Go with an NCA GOST key: GOST 34.310-2015
// 512-bit (GOST512_*.p12, the only keys NCA issues since 2024) or
// GOST 34.310-2004 (GOSTKNCA_*.p12). It writes the CMS SignedData
// KalkanCrypt writes for these keys (see [gost.Signer]). [LoadPKCS12]
// returns one for a GOST key file; [NCANodeSigner] remains the
// alternative that signs through NCA's own library. It is safe for
// concurrent use.
type GOSTSigner struct {
	s *gost.Signer
}

// NewGOSTSigner returns a signer for a GOST key (from
// [gost.ParsePKCS8PrivateKey]) and its certificate, which goes into every
// signature.
func NewGOSTSigner(key *gost.PrivateKey, cert *x509.Certificate) (*GOSTSigner, error) {
	s, err := gost.NewSigner(key, cert)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	return &GOSTSigner{s: s}, nil
}

// SignCMS signs data, attached or detached as opts say. The purpose is
// ignored: the signer has one key.
func (g *GOSTSigner) SignCMS(ctx context.Context, data []byte, opts SignOptions) ([]byte, error) {
	return g.s.SignCMS(ctx, data, opts.Detached)
}

// Certificate returns the signer's certificate.
func (g *GOSTSigner) Certificate() *x509.Certificate { return g.s.Certificate() }

// gostSigner makes the signer for a GOST key from a PKCS#12 file.
func gostSigner(k pkcs12.Key, cert *x509.Certificate) (Signer, error) {
	key, err := gost.ParsePKCS8PrivateKey(k.PKCS8)
	if errors.Is(err, gost.ErrUnsupported) {
		return nil, fmt.Errorf("%w (key algorithm %v): %v", ErrGOSTKey, k.Algorithm, err)
	}
	if err != nil {
		return nil, fmt.Errorf("signing: GOST private key: %w", err)
	}
	return NewGOSTSigner(key, cert)
}

// verifyGOST checks a GOST CMS with package gost.
func verifyGOST(cms, detached []byte) (*Signed, error) {
	g, err := gost.Verify(cms, detached)
	if err != nil {
		if errors.Is(err, gost.ErrUnsupported) {
			return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
		}
		return nil, fmt.Errorf("signing: %w", err)
	}
	return &Signed{Certificate: g.Certificate, Content: g.Content, SigningTime: g.SigningTime, Detached: g.Detached}, nil
}
