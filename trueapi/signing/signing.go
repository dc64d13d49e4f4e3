package signing

import (
	"context"
	"crypto/x509"
	"fmt"
)

// Purpose says what a signature is for; signers that hold several keys use
// it to pick one (the AUTH key or the signing key).
type Purpose int

// Purposes.
const (
	// PurposeAuth signs the challenge of /auth/simpleSignIn.
	PurposeAuth Purpose = iota
	// PurposeDocument signs a document or an EDO title.
	PurposeDocument
)

// String names the purpose.
func (p Purpose) String() string {
	switch p {
	case PurposeAuth:
		return "authentication"
	case PurposeDocument:
		return "document"
	}
	return "unknown purpose"
}

// SignOptions are the options of one signature.
type SignOptions struct {
	// Detached leaves the signed bytes out of the CMS (documents); false
	// embeds them (sign-in).
	Detached bool
	// Purpose is a hint for the key to use; signers with one key ignore it.
	Purpose Purpose
}

// Signer produces a DER-encoded CMS SignedData (RFC 5652) over data, the
// exact bytes to sign (the challenge string of /auth/key, or a document),
// never their base64 text.
type Signer interface {
	SignCMS(ctx context.Context, data []byte, opts SignOptions) ([]byte, error)
}

// SignerFunc adapts a function to [Signer].
type SignerFunc func(ctx context.Context, data []byte, opts SignOptions) ([]byte, error)

// SignCMS calls f.
func (f SignerFunc) SignCMS(ctx context.Context, data []byte, opts SignOptions) ([]byte, error) {
	return f(ctx, data, opts)
}

// CertificateProvider is implemented by signers that know their
// certificate, so a caller can show whose key signs (the IIN is in the
// subject's SERIALNUMBER, the BIN in OU).
type CertificateProvider interface {
	Certificate() *x509.Certificate
}

// ByPurpose returns a signer that signs sign-in challenges with auth and
// documents and EDO titles with doc, for the usual NCA key set of an
// authentication key (AUTH_RSA256_….p12) and a signing key
// (RSA256_….p12). A nil signer for a purpose is an error when that purpose
// is asked for.
func ByPurpose(auth, doc Signer) Signer {
	return SignerFunc(func(ctx context.Context, data []byte, opts SignOptions) ([]byte, error) {
		s := auth
		if opts.Purpose == PurposeDocument {
			s = doc
		}
		if s == nil {
			return nil, fmt.Errorf("signing: no signer for %s signatures", opts.Purpose)
		}
		return s.SignCMS(ctx, data, opts)
	})
}
