package signing

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"time"
)

// RSASigner signs with an RSA key and its certificate, in pure Go. It is
// safe for concurrent use.
type RSASigner struct {
	key  crypto.Signer
	cert *x509.Certificate
	now  func() time.Time
}

// NewRSASigner returns a signer for key (an *rsa.PrivateKey, or any
// crypto.Signer with an RSA public key, such as a PKCS #11 or cloud HSM
// key) and its certificate, which goes into every signature.
func NewRSASigner(key crypto.Signer, cert *x509.Certificate) (*RSASigner, error) {
	if key == nil || cert == nil {
		return nil, errors.New("signing: NewRSASigner needs a key and a certificate")
	}
	pub, ok := key.Public().(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("signing: NewRSASigner needs an RSA key")
	}
	certPub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok || !pub.Equal(certPub) {
		return nil, errors.New("signing: the certificate does not belong to the key")
	}
	return &RSASigner{key: key, cert: cert, now: time.Now}, nil
}

// SignCMS signs data, attached or detached as opts say. The purpose is
// ignored: the signer has one key.
func (s *RSASigner) SignCMS(ctx context.Context, data []byte, opts SignOptions) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return buildRSA(s.key, s.cert, data, opts.Detached, s.now())
}

// Certificate returns the signer's certificate.
func (s *RSASigner) Certificate() *x509.Certificate { return s.cert }
