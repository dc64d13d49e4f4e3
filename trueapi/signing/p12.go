package signing

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/steppe-sdk/steppe/trueapi/signing/pkcs12"
)

// ErrGOSTKey is returned by [LoadPKCS12] for a GOST key of a kind this
// package cannot sign with: GOST 2015 512-bit keys (GOST512_*.p12) and
// GOST 34.310-2004 keys (GOSTKNCA_*.p12) are signed with in pure Go
// ([GOSTSigner]), other parameter sets (such as the GOST 2015 256-bit keys
// NCA defines but does not issue) are not. Sign with such a key through
// [NewNCANodeSigner].
var ErrGOSTKey = errors.New("signing: the key is a GOST key of a kind this package cannot sign with; use NewNCANodeSigner (an NCANode service signs with any NCA key)")

// ErrNoKey is returned by [LoadPKCS12] when the file holds no private key
// with a certificate.
var ErrNoKey = errors.New("signing: the PKCS#12 file holds no private key with its certificate")

// oidKazakhGOST is the arc of NCA's GOST algorithms (1.2.398.3.10).
var oidKazakhGOST = asn1.ObjectIdentifier{1, 2, 398, 3, 10}

func isGOST(oid asn1.ObjectIdentifier) bool {
	return len(oid) > len(oidKazakhGOST) && oid[:len(oidKazakhGOST)].Equal(oidKazakhGOST)
}

// LoadPKCS12File is [LoadPKCS12] for a file.
func LoadPKCS12File(path, password string, purpose Purpose) (Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return LoadPKCS12(data, password, purpose)
}

// LoadPKCS12 reads an NCA key file (PKCS#12, BER-encoded as NCA issues
// them, or DER) and returns a signer for its key.
//
// NCA issues two keys per set: AUTH_RSA256_*.p12, whose certificate allows
// client authentication, and RSA256_*.p12 (or GOST*), for legally binding
// signatures. When a file holds several keys, the one whose certificate
// fits purpose is taken (clientAuth for [PurposeAuth], emailProtection for
// [PurposeDocument]); a file with one key gives that key whatever the
// purpose, since True API does not say which kind it requires.
//
// An RSA key gives an [RSASigner], a GOST key (GOST512_*.p12,
// GOSTKNCA_*.p12) a [GOSTSigner], which signs in pure Go as KalkanCrypt
// does ([NCANodeSigner] remains the way to sign through NCA's own library);
// a GOST key of another parameter set gives [ErrGOSTKey]. A wrong password
// wraps [pkcs12.ErrIncorrectPassword].
func LoadPKCS12(data []byte, password string, purpose Purpose) (Signer, error) {
	bundle, err := pkcs12.Decode(data, password)
	if err != nil {
		return nil, fmt.Errorf("signing: read PKCS#12: %w", err)
	}
	type candidate struct {
		key  pkcs12.Key
		cert *x509.Certificate
	}
	var found []candidate
	for _, k := range bundle.Keys {
		if cert := bundle.CertificateFor(k); cert != nil {
			found = append(found, candidate{k, cert})
		}
	}
	if len(found) == 0 {
		return nil, ErrNoKey
	}
	want := x509.ExtKeyUsageEmailProtection
	if purpose == PurposeAuth {
		want = x509.ExtKeyUsageClientAuth
	}
	chosen := found[0]
	for _, c := range found {
		if slices.Contains(c.cert.ExtKeyUsage, want) {
			chosen = c
			break
		}
	}
	if isGOST(chosen.key.Algorithm) {
		return gostSigner(chosen.key, chosen.cert)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(chosen.key.PKCS8)
	if err != nil {
		return nil, fmt.Errorf("%w: private key: %v", ErrUnsupported, err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: a %T key; only RSA keys sign here", ErrUnsupported, parsed)
	}
	return NewRSASigner(crypto.Signer(key), chosen.cert)
}
