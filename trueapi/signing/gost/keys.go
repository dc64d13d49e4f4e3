package gost

import (
	"crypto"
	cryptorand "crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/big"
)

// ErrUnsupported is wrapped by errors about keys, parameter sets and
// algorithms this package does not implement (for example NCA's GOST 2015
// 256-bit keys, which NCA defines but does not issue).
var ErrUnsupported = errors.New("gost: unsupported")

// Object identifiers of NCA RK's GOST algorithms (arc 1.2.398.3.10), as
// NCA's certificates, key files and KalkanCrypt's CMS use them.
var (
	// OIDKey2004 is the public key algorithm of GOST 34.310-2004 keys.
	OIDKey2004 = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 1, 1}
	// OIDParamSet2004A is their curve parameter set (CryptoPro-A).
	OIDParamSet2004A = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 1, 1, 1}
	// OIDSignature2004 is the GOST 34.310-2004 signature algorithm.
	OIDSignature2004 = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 1, 2}
	// OIDDigest2004 is GOST 34.311-95 (GOST R 34.11-94, test S-box).
	OIDDigest2004 = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 3, 1}

	// OIDKey2015_512 is the public key algorithm of GOST 2015 512-bit keys.
	OIDKey2015_512 = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 2, 2}
	// OIDParamSet2015_512A is their curve parameter set (tc26 512 paramSetA).
	OIDParamSet2015_512A = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 2, 2, 1}
	// OIDSignature2015_512 is the GOST 2015 512-bit signature algorithm.
	OIDSignature2015_512 = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 2, 3, 2}
	// OIDDigest2015_512 is Streebog-512 (GOST R 34.11-2012, 512-bit).
	OIDDigest2015_512 = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 3, 3}
)

// Algorithm is one of NCA's GOST signature algorithms.
type Algorithm int

// The algorithms NCA issues keys for.
const (
	// GOST2004 is GOST 34.310-2004 (GOSTKNCA_*.p12): the algorithm of
	// GOST R 34.10-2001 on the CryptoPro-A curve (256-bit), hashing with
	// GOST 34.311-95 (GOST R 34.11-94 with the test parameter set S-box).
	GOST2004 Algorithm = iota + 1
	// GOST2015_512 is GOST 34.310-2015 512-bit (GOST512_*.p12, issued
	// since 2024): the algorithm of GOST R 34.10-2012 on the tc26 512-bit
	// paramSetA curve, hashing with Streebog-512 (GOST R 34.11-2012).
	GOST2015_512
)

// String names the algorithm.
func (a Algorithm) String() string {
	switch a {
	case GOST2004:
		return "GOST 34.310-2004"
	case GOST2015_512:
		return "GOST 34.310-2015 512-bit"
	}
	return fmt.Sprintf("gost.Algorithm(%d)", int(a))
}

// NewHash returns the algorithm's hash: GOST 34.311-95 for [GOST2004],
// Streebog-512 for [GOST2015_512] (and GOST 34.311-95 for values that are
// neither).
func (a Algorithm) NewHash() hash.Hash {
	if a == GOST2015_512 {
		return NewStreebog512()
	}
	return NewGOST94()
}

// Size is the length in bytes of a coordinate, of the private scalar and
// of each half of a signature: 32 for [GOST2004] (and values that are
// neither algorithm), 64 for [GOST2015_512].
func (a Algorithm) Size() int { return a.curve().size }

func (a Algorithm) curve() *curve {
	if a == GOST2015_512 {
		return curveTC26512A
	}
	return curveCryptoProA
}

func (a Algorithm) valid() bool { return a == GOST2004 || a == GOST2015_512 }

// oids returns the algorithm's public key, parameter set, signature and
// digest identifiers.
func (a Algorithm) oids() (key, params, sig, digest asn1.ObjectIdentifier) {
	if a == GOST2015_512 {
		return OIDKey2015_512, OIDParamSet2015_512A, OIDSignature2015_512, OIDDigest2015_512
	}
	return OIDKey2004, OIDParamSet2004A, OIDSignature2004, OIDDigest2004
}

// algorithmForKey maps a public key algorithm identifier (with its
// parameters, which may be absent) to an Algorithm.
func algorithmForKey(ai pkix.AlgorithmIdentifier) (Algorithm, error) {
	var alg Algorithm
	switch {
	case ai.Algorithm.Equal(OIDKey2004):
		alg = GOST2004
	case ai.Algorithm.Equal(OIDKey2015_512):
		alg = GOST2015_512
	default:
		return 0, fmt.Errorf("%w: key algorithm %v", ErrUnsupported, ai.Algorithm)
	}
	if len(ai.Parameters.FullBytes) == 0 || ai.Parameters.Tag == asn1.TagNull {
		return alg, nil
	}
	var params struct {
		PublicKeyParamSet asn1.ObjectIdentifier
		Rest              []asn1.RawValue `asn1:"optional"`
	}
	if rest, err := asn1.Unmarshal(ai.Parameters.FullBytes, &params); err != nil || len(rest) > 0 {
		return 0, fmt.Errorf("gost: malformed key parameters: %v", err)
	}
	if _, want, _, _ := alg.oids(); !params.PublicKeyParamSet.Equal(want) {
		return 0, fmt.Errorf("%w: parameter set %v for %s", ErrUnsupported, params.PublicKeyParamSet, alg)
	}
	return alg, nil
}

// PublicKey is a GOST public key.
type PublicKey struct {
	Algorithm Algorithm
	X, Y      *big.Int
}

// NewPublicKey checks that (x, y) is a point of the algorithm's curve and
// returns it as a key.
func NewPublicKey(alg Algorithm, x, y *big.Int) (*PublicKey, error) {
	if !alg.valid() {
		return nil, fmt.Errorf("%w: algorithm %v", ErrUnsupported, alg)
	}
	if x == nil || y == nil || !alg.curve().isOnCurve(x, y) {
		return nil, errors.New("gost: the public key is not a point of the curve")
	}
	return &PublicKey{Algorithm: alg, X: new(big.Int).Set(x), Y: new(big.Int).Set(y)}, nil
}

// Bytes returns the key as NCA's certificates carry it (inside an OCTET
// STRING): LE(X) || LE(Y), each coordinate little-endian over Size bytes.
func (pub *PublicKey) Bytes() []byte {
	n := pub.Algorithm.Size()
	out := make([]byte, 2*n)
	copy(out, reverse(pub.X.FillBytes(make([]byte, n))))
	copy(out[n:], reverse(pub.Y.FillBytes(make([]byte, n))))
	return out
}

// Equal reports whether x is a *PublicKey with the same algorithm and
// point.
func (pub *PublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*PublicKey)
	return ok && o != nil && o.Algorithm == pub.Algorithm && o.X.Cmp(pub.X) == 0 && o.Y.Cmp(pub.Y) == 0
}

// publicKeyFromBytes decodes LE(X) || LE(Y).
func publicKeyFromBytes(alg Algorithm, b []byte) (*PublicKey, error) {
	n := alg.Size()
	if len(b) != 2*n {
		return nil, fmt.Errorf("gost: a %s public key has %d bytes, not %d", alg, 2*n, len(b))
	}
	x := new(big.Int).SetBytes(reverse(b[:n]))
	y := new(big.Int).SetBytes(reverse(b[n:]))
	return NewPublicKey(alg, x, y)
}

// ParsePublicKey parses a DER SubjectPublicKeyInfo with an NCA GOST key:
// the algorithm identifier with its parameter set, and a BIT STRING
// holding an OCTET STRING with LE(X) || LE(Y).
func ParsePublicKey(spki []byte) (*PublicKey, error) {
	var info struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if rest, err := asn1.Unmarshal(spki, &info); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("gost: malformed SubjectPublicKeyInfo: %v", err)
	}
	alg, err := algorithmForKey(info.Algorithm)
	if err != nil {
		return nil, err
	}
	if info.PublicKey.BitLength%8 != 0 {
		return nil, errors.New("gost: malformed public key: not whole bytes")
	}
	var point []byte
	if rest, err := asn1.Unmarshal(info.PublicKey.Bytes, &point); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("gost: malformed public key: %v", err)
	}
	return publicKeyFromBytes(alg, point)
}

// CertificatePublicKey returns the GOST public key of an NCA certificate
// (crypto/x509 parses these certificates but leaves PublicKey nil).
func CertificatePublicKey(cert *x509.Certificate) (*PublicKey, error) {
	if cert == nil {
		return nil, errors.New("gost: no certificate")
	}
	return ParsePublicKey(cert.RawSubjectPublicKeyInfo)
}

// PrivateKey is a GOST private key. It implements crypto.Signer, with
// NCA's conventions (see [PrivateKey.Sign]).
type PrivateKey struct {
	PublicKey
	d *big.Int
}

// NewPrivateKey returns the key with the big-endian scalar d, which must
// be in [1, q-1] for the algorithm's curve order q, and derives its
// public key.
func NewPrivateKey(alg Algorithm, d []byte) (*PrivateKey, error) {
	if !alg.valid() {
		return nil, fmt.Errorf("%w: algorithm %v", ErrUnsupported, alg)
	}
	c := alg.curve()
	if len(d) > c.size {
		return nil, fmt.Errorf("gost: a %s private key has at most %d bytes", alg, c.size)
	}
	k := new(big.Int).SetBytes(d)
	if k.Sign() == 0 || k.Cmp(c.q) >= 0 {
		return nil, errors.New("gost: the private key is out of range")
	}
	return newPrivateKey(alg, k)
}

func newPrivateKey(alg Algorithm, d *big.Int) (*PrivateKey, error) {
	c := alg.curve()
	p, err := c.scalarMult(d, c.x, c.y, cryptorand.Reader)
	if err != nil {
		return nil, err
	}
	x, y, _ := c.toAffine(&p) // d in [1, q-1]: never the neutral element
	return &PrivateKey{PublicKey: PublicKey{Algorithm: alg, X: x, Y: y}, d: d}, nil
}

// GenerateKey returns a new random key (for tests and self-signed
// certificates: NCA generates the keys of real certificates).
func GenerateKey(alg Algorithm, rand io.Reader) (*PrivateKey, error) {
	if !alg.valid() {
		return nil, fmt.Errorf("%w: algorithm %v", ErrUnsupported, alg)
	}
	d, err := randomScalar(rand, alg.curve().q)
	if err != nil {
		return nil, err
	}
	return newPrivateKey(alg, d)
}

// Public returns the public key (a *PublicKey).
func (k *PrivateKey) Public() crypto.PublicKey { return &k.PublicKey }

// Equal reports whether x is a *PrivateKey with the same algorithm and
// scalar.
func (k *PrivateKey) Equal(x crypto.PrivateKey) bool {
	o, ok := x.(*PrivateKey)
	if !ok || o == nil || o.Algorithm != k.Algorithm {
		return false
	}
	c := k.Algorithm.curve()
	return equalBytes(c.scalarBytes(k.d), c.scalarBytes(o.d))
}

// ParsePKCS8PrivateKey parses an NCA GOST private key: a DER PKCS #8
// PrivateKeyInfo with a Kazakh key algorithm identifier, as the key bags
// of NCA's PKCS #12 files hold it. The privateKey OCTET STRING wraps
//
//   - for GOST 2015 keys (1.2.398.3.10.1.1.2.2): an OCTET STRING with the
//     scalar little-endian over 64 bytes;
//   - for GOST 2004 keys (1.2.398.3.10.1.1.1.1): an INTEGER (big-endian).
//
// Either form is accepted for either algorithm (the tag tells the byte
// order). The scalar is reduced modulo q; zero is refused.
func ParsePKCS8PrivateKey(der []byte) (*PrivateKey, error) {
	var info struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
		Attributes asn1.RawValue `asn1:"optional,tag:0"`
	}
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("gost: malformed PKCS #8 private key: %v", err)
	}
	alg, err := algorithmForKey(info.Algorithm)
	if err != nil {
		return nil, err
	}
	c := alg.curve()
	var inner asn1.RawValue
	if rest, err := asn1.Unmarshal(info.PrivateKey, &inner); err != nil || len(rest) > 0 || inner.Class != asn1.ClassUniversal {
		return nil, fmt.Errorf("gost: malformed private key value: %v", err)
	}
	d := new(big.Int)
	switch inner.Tag {
	case asn1.TagOctetString:
		if len(inner.Bytes) != c.size {
			return nil, fmt.Errorf("gost: a %s private key has %d bytes, not %d", alg, c.size, len(inner.Bytes))
		}
		le := reverse(inner.Bytes)
		d.SetBytes(le)
		clear(le)
	case asn1.TagInteger:
		var n *big.Int
		if _, err := asn1.Unmarshal(inner.FullBytes, &n); err != nil {
			return nil, fmt.Errorf("gost: malformed private key INTEGER: %v", err)
		}
		if n.Sign() <= 0 || n.BitLen() > 8*c.size {
			return nil, errors.New("gost: the private key is out of range")
		}
		d = n
	default:
		return nil, fmt.Errorf("%w: private key value with tag %d", ErrUnsupported, inner.Tag)
	}
	d.Mod(d, c.q)
	if d.Sign() == 0 {
		return nil, errors.New("gost: the private key is zero modulo q")
	}
	return newPrivateKey(alg, d)
}
