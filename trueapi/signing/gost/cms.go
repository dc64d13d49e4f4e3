package gost

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"time"
)

// Object identifiers of RFC 5652.
var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

// The CMS structures, for parsing (RFC 5652).
type (
	contentInfo struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,tag:0"`
	}
	signedData struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		EncapContentInfo encapContentInfo
		Certificates     asn1.RawValue `asn1:"optional,tag:0"`
		CRLs             asn1.RawValue `asn1:"optional,tag:1"`
		SignerInfos      []signerInfo  `asn1:"set"`
	}
	encapContentInfo struct {
		EContentType asn1.ObjectIdentifier
		EContent     asn1.RawValue `asn1:"explicit,optional,tag:0"`
	}
	algorithmIdentifier struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	signerInfo struct {
		Version            int
		SID                asn1.RawValue // issuerAndSerialNumber or [0] subjectKeyIdentifier
		DigestAlgorithm    algorithmIdentifier
		SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
		SignatureAlgorithm algorithmIdentifier
		Signature          []byte
		UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
	}
	issuerAndSerial struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}
	attribute struct {
		Type   asn1.ObjectIdentifier
		Values []asn1.RawValue `asn1:"set"`
	}
)

// Signer signs with an NCA GOST key and its certificate, producing the CMS
// SignedData that NCA's KalkanCrypt produces (kz-signing.md §3.2, and the
// KalkanCrypt GOSTKNCA sample in testdata, which the tests rebuild byte for
// byte but for the signature):
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
	alg := s.key.Algorithm
	_, _, sigOID, digestOID := alg.oids()
	h := alg.NewHash()
	h.Write(data)
	attrs, err := signedAttributes(h.Sum(nil), s.now())
	if err != nil {
		return nil, err
	}
	h.Reset()
	h.Write(attrs)
	sig, err := s.key.Sign(s.rand, h.Sum(nil), nil)
	if err != nil {
		return nil, err
	}

	digestAlg := nullParams(digestOID)
	sid, err := asn1.Marshal(issuerAndSerial{Issuer: asn1.RawValue{FullBytes: s.cert.RawIssuer}, Serial: s.cert.SerialNumber})
	if err != nil {
		return nil, err
	}
	var si bytes.Buffer
	for _, part := range [][]byte{
		mustMarshal(1),
		sid,
		digestAlg,
		retag(attrs, 0xa0), // [0] IMPLICIT SET OF Attribute
		nullParams(sigOID),
		mustMarshal(sig),
	} {
		si.Write(part)
	}
	encap := mustMarshal(oidData)
	if !detached {
		encap = append(encap, tlv(0xa0, mustMarshal(data))...)
	}
	sd := slices.Concat(
		mustMarshal(1),
		tlv(0x31, digestAlg),
		tlv(0x30, encap),
		tlv(0xa0, s.cert.Raw),
		tlv(0x31, tlv(0x30, si.Bytes())),
	)
	return tlv(0x30, slices.Concat(mustMarshal(oidSignedData), tlv(0xa0, tlv(0x30, sd)))), nil
}

// signedAttributes returns the DER SET OF the signed attributes
// contentType (id-data), signingTime and messageDigest, in DER order.
func signedAttributes(digest []byte, t time.Time) ([]byte, error) {
	st, err := asn1.Marshal(t.UTC().Truncate(time.Second))
	if err != nil {
		return nil, fmt.Errorf("gost: signing time: %w", err)
	}
	attrs := [][]byte{
		attr(oidContentType, mustMarshal(oidData)),
		attr(oidSigningTime, st),
		attr(oidMessageDigest, mustMarshal(digest)),
	}
	slices.SortFunc(attrs, bytes.Compare) // DER orders a SET OF by encoding
	return tlv(0x31, slices.Concat(attrs...)), nil
}

func attr(oid asn1.ObjectIdentifier, value []byte) []byte {
	return tlv(0x30, slices.Concat(mustMarshal(oid), tlv(0x31, value)))
}

// nullParams is an AlgorithmIdentifier with NULL parameters.
func nullParams(oid asn1.ObjectIdentifier) []byte {
	return tlv(0x30, slices.Concat(mustMarshal(oid), asn1.NullBytes))
}

// mustMarshal encodes values that always encode (OIDs, ints, byte
// slices).
func mustMarshal(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic("gost: " + err.Error())
	}
	return b
}

// tlv encodes one DER element with the given identifier octet.
func tlv(tag byte, content []byte) []byte {
	n := len(content)
	out := []byte{tag}
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	default:
		var l []byte
		for v := n; v > 0; v >>= 8 {
			l = append([]byte{byte(v)}, l...)
		}
		out = append(out, 0x80|byte(len(l)))
		out = append(out, l...)
	}
	return append(out, content...)
}

// retag returns a copy of the DER element der with another identifier
// octet.
func retag(der []byte, tag byte) []byte {
	out := slices.Clone(der)
	out[0] = tag
	return out
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
func Verify(cms, detached []byte) (*Signed, error) {
	var ci contentInfo
	if rest, err := asn1.Unmarshal(cms, &ci); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("gost: not a DER CMS ContentInfo: %v", err)
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, fmt.Errorf("%w: content type %v is not signedData", ErrUnsupported, ci.ContentType)
	}
	var sd signedData
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("gost: malformed SignedData: %v", err)
	}
	if len(sd.SignerInfos) != 1 {
		return nil, fmt.Errorf("%w: %d signers", ErrUnsupported, len(sd.SignerInfos))
	}
	out := &Signed{}
	if len(sd.EncapContentInfo.EContent.FullBytes) > 0 {
		var content []byte
		if rest, err := asn1.Unmarshal(sd.EncapContentInfo.EContent.Bytes, &content); err != nil || len(rest) > 0 {
			return nil, fmt.Errorf("gost: malformed eContent: %v", err)
		}
		if detached != nil && !bytes.Equal(detached, content) {
			return nil, errors.New("gost: the CMS carries other content than the detached content given")
		}
		out.Content = content
	} else {
		out.Content, out.Detached = detached, true
	}
	certs, err := x509.ParseCertificates(sd.Certificates.Bytes)
	if err != nil {
		return nil, fmt.Errorf("gost: malformed certificates: %w", err)
	}
	si := sd.SignerInfos[0]
	if out.Certificate, err = signerCertificate(si.SID, certs); err != nil {
		return nil, err
	}
	pub, err := CertificatePublicKey(out.Certificate)
	if err != nil {
		return nil, fmt.Errorf("gost: the signer's key: %w", err)
	}
	alg := pub.Algorithm
	out.Algorithm = alg
	_, _, _, digestOID := alg.oids()
	if !si.DigestAlgorithm.Algorithm.Equal(digestOID) {
		return nil, fmt.Errorf("%w: digest algorithm %v with a %v key", ErrUnsupported, si.DigestAlgorithm.Algorithm, alg)
	}
	if a, ok := algorithmForSignature(si.SignatureAlgorithm.Algorithm); !ok || a != alg {
		return nil, fmt.Errorf("%w: signature algorithm %v with a %v key", ErrUnsupported, si.SignatureAlgorithm.Algorithm, alg)
	}
	h := alg.NewHash()
	h.Write(out.Content)
	contentDigest := h.Sum(nil)
	signed := contentDigest
	if len(si.SignedAttrs.FullBytes) > 0 {
		if err := checkSignedAttributes(si.SignedAttrs.FullBytes, sd.EncapContentInfo.EContentType, contentDigest, out); err != nil {
			return nil, err
		}
		h.Reset()
		h.Write(retag(si.SignedAttrs.FullBytes, 0x31)) // signed as a SET OF
		signed = h.Sum(nil)
	}
	if !pub.VerifyDigest(signed, si.Signature) {
		return nil, ErrSignature
	}
	return out, nil
}

// signerCertificate finds the certificate a SignerIdentifier names.
func signerCertificate(sid asn1.RawValue, certs []*x509.Certificate) (*x509.Certificate, error) {
	switch {
	case sid.Class == asn1.ClassUniversal && sid.Tag == asn1.TagSequence:
		var ias issuerAndSerial
		if rest, err := asn1.Unmarshal(sid.FullBytes, &ias); err != nil || len(rest) > 0 {
			return nil, fmt.Errorf("gost: malformed issuerAndSerialNumber: %v", err)
		}
		for _, c := range certs {
			if bytes.Equal(c.RawIssuer, ias.Issuer.FullBytes) && c.SerialNumber.Cmp(ias.Serial) == 0 {
				return c, nil
			}
		}
	case sid.Class == asn1.ClassContextSpecific && sid.Tag == 0 && !sid.IsCompound:
		for _, c := range certs {
			if len(c.SubjectKeyId) > 0 && bytes.Equal(c.SubjectKeyId, sid.Bytes) {
				return c, nil
			}
		}
	default:
		return nil, errors.New("gost: malformed SignerIdentifier")
	}
	return nil, errors.New("gost: the signer's certificate is not in the CMS")
}

// checkSignedAttributes checks the contentType and messageDigest
// attributes (both required, once each, with one value) and reads
// signingTime.
func checkSignedAttributes(der []byte, contentType asn1.ObjectIdentifier, digest []byte, out *Signed) error {
	var attrs []attribute
	if rest, err := asn1.UnmarshalWithParams(der, &attrs, "set,tag:0"); err != nil || len(rest) > 0 {
		return fmt.Errorf("gost: malformed signed attributes: %v", err)
	}
	var sawType, sawDigest bool
	for _, a := range attrs {
		switch {
		case a.Type.Equal(oidContentType):
			var ct asn1.ObjectIdentifier
			if sawType || len(a.Values) != 1 {
				return errors.New("gost: malformed contentType attribute")
			}
			if _, err := asn1.Unmarshal(a.Values[0].FullBytes, &ct); err != nil || !ct.Equal(contentType) {
				return errors.New("gost: the contentType attribute does not match the content")
			}
			sawType = true
		case a.Type.Equal(oidMessageDigest):
			var md []byte
			if sawDigest || len(a.Values) != 1 {
				return errors.New("gost: malformed messageDigest attribute")
			}
			if _, err := asn1.Unmarshal(a.Values[0].FullBytes, &md); err != nil || !bytes.Equal(md, digest) {
				return errors.New("gost: the messageDigest attribute does not match the content")
			}
			sawDigest = true
		case a.Type.Equal(oidSigningTime):
			if len(a.Values) == 1 {
				_, _ = asn1.Unmarshal(a.Values[0].FullBytes, &out.SigningTime)
			}
		}
	}
	if !sawType || !sawDigest {
		return errors.New("gost: the signed attributes lack contentType or messageDigest")
	}
	return nil
}
