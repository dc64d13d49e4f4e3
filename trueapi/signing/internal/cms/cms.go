// Package cms writes and reads the CMS SignedData (RFC 5652) of the NCA RK
// signatures the True API takes, for package signing (RSA) and package
// gost (GOST): one signer, in the layout NCA's KalkanCrypt writes. The
// signature algorithm is a parameter ([Algorithm] and a [SignFunc]); the
// structure is the same for all of them.
package cms

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"slices"
	"time"
)

// Object identifiers of RFC 5652.
var (
	OIDData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	OIDSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	OIDContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	OIDMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	OIDSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

// Algorithm is what a SignedData says about its signature algorithm: the
// digest algorithm, with its hash, and the signature algorithm.
type Algorithm struct {
	// Digest identifies the digest algorithm (digestAlgorithms and the
	// SignerInfo's digestAlgorithm).
	Digest asn1.ObjectIdentifier
	// NewHash returns the hash Digest names.
	NewHash func() hash.Hash
	// Signature identifies the signature algorithm (the SignerInfo's
	// signatureAlgorithm).
	Signature asn1.ObjectIdentifier
}

// SignFunc signs a digest made with the [Algorithm]'s hash: the digest of
// the DER SET OF signed attributes.
type SignFunc func(digest []byte) ([]byte, error)

// Sign returns the DER ContentInfo of a SignedData over content, signed
// by sign for cert at time at, with content embedded or, when detached,
// left out. The layout is KalkanCrypt's:
//
//   - SignedData version 1 with one digestAlgorithm, alg.Digest with NULL
//     parameters;
//   - eContentType id-data, with the content as an OCTET STRING (attached)
//     or without it (detached);
//   - the signer's certificate, and no other;
//   - one SignerInfo version 1, identified by issuer and serial number,
//     with alg.Digest, the signed attributes contentType, signingTime and
//     messageDigest in DER order, alg.Signature with NULL parameters, the
//     signature as an OCTET STRING, and no unsigned attributes.
//
// Errors from sign are returned as they are; the few of its own say "CMS".
func Sign(alg Algorithm, sign SignFunc, cert *x509.Certificate, content []byte, detached bool, at time.Time) ([]byte, error) {
	h := alg.NewHash()
	h.Write(content)
	attrs, err := signedAttributes(h.Sum(nil), at)
	if err != nil {
		return nil, err
	}
	h.Reset()
	h.Write(attrs)
	sig, err := sign(h.Sum(nil))
	if err != nil {
		return nil, err
	}
	sid, err := asn1.Marshal(issuerAndSerial{Issuer: asn1.RawValue{FullBytes: cert.RawIssuer}, Serial: cert.SerialNumber})
	if err != nil {
		return nil, fmt.Errorf("CMS signer identifier: %w", err)
	}
	digestAlg := NullParams(alg.Digest)
	si := slices.Concat(
		MustMarshal(1),
		sid,
		digestAlg,
		Retag(attrs, 0xa0), // [0] IMPLICIT SET OF Attribute
		NullParams(alg.Signature),
		MustMarshal(sig),
	)
	encap := MustMarshal(OIDData)
	if !detached {
		encap = append(encap, TLV(0xa0, MustMarshal(content))...)
	}
	sd := slices.Concat(
		MustMarshal(1),
		TLV(0x31, digestAlg),
		TLV(0x30, encap),
		TLV(0xa0, cert.Raw),
		TLV(0x31, TLV(0x30, si)),
	)
	return TLV(0x30, slices.Concat(MustMarshal(OIDSignedData), TLV(0xa0, TLV(0x30, sd)))), nil
}

// signedAttributes returns the DER SET OF the signed attributes
// contentType (id-data), signingTime and messageDigest, in DER order.
func signedAttributes(digest []byte, t time.Time) ([]byte, error) {
	st, err := asn1.Marshal(t.UTC().Truncate(time.Second))
	if err != nil {
		return nil, fmt.Errorf("CMS signing time: %w", err)
	}
	attrs := [][]byte{
		Attribute(OIDContentType, MustMarshal(OIDData)),
		Attribute(OIDSigningTime, st),
		Attribute(OIDMessageDigest, MustMarshal(digest)),
	}
	slices.SortFunc(attrs, bytes.Compare) // DER orders a SET OF by encoding
	return TLV(0x31, slices.Concat(attrs...)), nil
}

// Attribute encodes an Attribute with one value, value's DER.
func Attribute(oid asn1.ObjectIdentifier, value []byte) []byte {
	return TLV(0x30, slices.Concat(MustMarshal(oid), TLV(0x31, value)))
}

// NullParams is the DER of an AlgorithmIdentifier with NULL parameters,
// as KalkanCrypt writes them.
func NullParams(oid asn1.ObjectIdentifier) []byte {
	return TLV(0x30, slices.Concat(MustMarshal(oid), asn1.NullBytes))
}

// MustMarshal encodes values that always encode (OIDs, ints, byte
// slices); it panics on others.
func MustMarshal(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic("cms: " + err.Error())
	}
	return b
}

// TLV encodes one DER element with the given identifier octet.
func TLV(tag byte, content []byte) []byte {
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

// Retag returns a copy of the DER element der with another identifier
// octet.
func Retag(der []byte, tag byte) []byte {
	out := slices.Clone(der)
	out[0] = tag
	return out
}

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

// UnsupportedError describes an algorithm or a structure this package
// does not handle (as opposed to a malformed or invalid signature).
type UnsupportedError string

// Error returns the description.
func (e UnsupportedError) Error() string { return string(e) }

// WrapError returns err as an error of the calling package: wrapping
// unsupported, that package's ErrUnsupported, when err is an
// [UnsupportedError], and after prefix ("gost", "signing") otherwise.
func WrapError(err error, prefix string, unsupported error) error {
	if u, ok := errors.AsType[UnsupportedError](err); ok {
		return fmt.Errorf("%w: %s", unsupported, u)
	}
	return fmt.Errorf("%s: %w", prefix, err)
}

// Parsed is a SignedData with one signer, taken apart by [Parse] and not
// yet verified.
type Parsed struct {
	// Certificate is the signer's certificate, found among the embedded
	// ones by the SignerInfo's sid.
	Certificate *x509.Certificate
	// Content is the embedded content, or the detached content given to
	// Parse when the SignedData carries none.
	Content []byte
	// Detached reports whether the SignedData carried no content.
	Detached bool
	// Digest and Signature are the SignerInfo's algorithms.
	Digest, Signature asn1.ObjectIdentifier

	contentType asn1.ObjectIdentifier
	signedAttrs []byte // the [0] IMPLICIT signed attributes; nil when absent
	signature   []byte
}

// Parse takes apart a DER ContentInfo holding a SignedData with one
// signer whose certificate is embedded. The content is the embedded one,
// or detached when there is none.
func Parse(der, detached []byte) (*Parsed, error) {
	var ci contentInfo
	if rest, err := asn1.Unmarshal(der, &ci); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("not a DER CMS ContentInfo: %v", err)
	}
	if !ci.ContentType.Equal(OIDSignedData) {
		return nil, UnsupportedError(fmt.Sprintf("content type %v is not signedData", ci.ContentType))
	}
	var sd signedData
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("malformed SignedData: %v", err)
	}
	if len(sd.SignerInfos) != 1 {
		return nil, UnsupportedError(fmt.Sprintf("%d signers", len(sd.SignerInfos)))
	}
	si := sd.SignerInfos[0]
	p := &Parsed{
		Digest:      si.DigestAlgorithm.Algorithm,
		Signature:   si.SignatureAlgorithm.Algorithm,
		contentType: sd.EncapContentInfo.EContentType,
		signedAttrs: si.SignedAttrs.FullBytes,
		signature:   si.Signature,
	}
	if len(sd.EncapContentInfo.EContent.FullBytes) > 0 {
		if rest, err := asn1.Unmarshal(sd.EncapContentInfo.EContent.Bytes, &p.Content); err != nil || len(rest) > 0 {
			return nil, fmt.Errorf("malformed eContent: %v", err)
		}
	} else {
		p.Content, p.Detached = detached, true
	}
	certs, err := x509.ParseCertificates(sd.Certificates.Bytes)
	if err != nil {
		return nil, fmt.Errorf("malformed certificates: %w", err)
	}
	if p.Certificate, err = signerCertificate(si.SID, certs); err != nil {
		return nil, err
	}
	return p, nil
}

// signerCertificate finds the certificate a SignerIdentifier names.
func signerCertificate(sid asn1.RawValue, certs []*x509.Certificate) (*x509.Certificate, error) {
	switch {
	case sid.Class == asn1.ClassUniversal && sid.Tag == asn1.TagSequence:
		var ias issuerAndSerial
		if rest, err := asn1.Unmarshal(sid.FullBytes, &ias); err != nil || len(rest) > 0 {
			return nil, fmt.Errorf("malformed issuerAndSerialNumber: %v", err)
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
		return nil, errors.New("malformed SignerIdentifier")
	}
	return nil, errors.New("the signer's certificate is not in the CMS")
}

// Signed checks the signed attributes against the content, hashing with
// newHash (the hash of p.Digest, which the caller has checked), and
// returns the digest the signature covers (of the signed attributes, or
// of the content when there are none), the signature, and the signingTime
// attribute (zero when absent). The caller verifies the signature.
func (p *Parsed) Signed(newHash func() hash.Hash) (digest, signature []byte, signingTime time.Time, err error) {
	h := newHash()
	h.Write(p.Content)
	digest = h.Sum(nil)
	if p.signedAttrs == nil {
		return digest, p.signature, time.Time{}, nil
	}
	if signingTime, err = checkSignedAttributes(p.signedAttrs, p.contentType, digest); err != nil {
		return nil, nil, time.Time{}, err
	}
	h.Reset()
	h.Write(Retag(p.signedAttrs, 0x31)) // signed as a SET OF
	return h.Sum(nil), p.signature, signingTime, nil
}

// checkSignedAttributes checks the contentType and messageDigest
// attributes (both required, once each, with one value; RFC 5652 §5.3,
// §11) and reads signingTime.
func checkSignedAttributes(der []byte, contentType asn1.ObjectIdentifier, digest []byte) (time.Time, error) {
	var attrs []attribute
	if rest, err := asn1.UnmarshalWithParams(der, &attrs, "set,tag:0"); err != nil || len(rest) > 0 {
		return time.Time{}, fmt.Errorf("malformed signed attributes: %v", err)
	}
	var sawType, sawDigest bool
	var signingTime time.Time
	for _, a := range attrs {
		switch {
		case a.Type.Equal(OIDContentType):
			var ct asn1.ObjectIdentifier
			if sawType || len(a.Values) != 1 {
				return time.Time{}, errors.New("malformed contentType attribute")
			}
			if _, err := asn1.Unmarshal(a.Values[0].FullBytes, &ct); err != nil || !ct.Equal(contentType) {
				return time.Time{}, errors.New("the contentType attribute does not match the content")
			}
			sawType = true
		case a.Type.Equal(OIDMessageDigest):
			var md []byte
			if sawDigest || len(a.Values) != 1 {
				return time.Time{}, errors.New("malformed messageDigest attribute")
			}
			if _, err := asn1.Unmarshal(a.Values[0].FullBytes, &md); err != nil || !bytes.Equal(md, digest) {
				return time.Time{}, errors.New("the messageDigest attribute does not match the content")
			}
			sawDigest = true
		case a.Type.Equal(OIDSigningTime):
			if len(a.Values) == 1 {
				_, _ = asn1.Unmarshal(a.Values[0].FullBytes, &signingTime)
			}
		}
	}
	if !sawType || !sawDigest {
		return time.Time{}, errors.New("the signed attributes lack contentType or messageDigest")
	}
	return signingTime, nil
}
