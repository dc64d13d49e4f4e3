package signing

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"
)

// Object identifiers of RFC 5652, RFC 5754 and PKCS #1.
var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSA           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA256WithRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

// ErrUnsupported is wrapped by errors about algorithms or structures this
// package does not handle.
var ErrUnsupported = errors.New("signing: unsupported")

type (
	contentInfo struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,tag:0"`
	}
	signedData struct {
		Version          int
		DigestAlgorithms []algorithmIdentifier `asn1:"set"`
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
		SID                issuerAndSerial
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
	// The marshalling twins of contentInfo, signedData and
	// encapContentInfo: encoding/asn1 writes a RawValue with its own tag and
	// ignores "explicit", so the [0] wrappers are built by hand.
	contentInfoOut struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}
	signedDataOut struct {
		Version          int
		DigestAlgorithms []algorithmIdentifier `asn1:"set"`
		EncapContentInfo encapContentInfoOut
		Certificates     asn1.RawValue
		SignerInfos      []signerInfo `asn1:"set"`
	}
	encapContentInfoOut struct {
		EContentType asn1.ObjectIdentifier
		EContent     asn1.RawValue `asn1:"optional"`
	}
)

// explicit0 wraps DER in an explicit [0] tag.
func explicit0(der []byte) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: der}
}

// withNull is an algorithm identifier with NULL parameters, as Kalkan
// writes them.
func withNull(oid asn1.ObjectIdentifier) algorithmIdentifier {
	return algorithmIdentifier{Algorithm: oid, Parameters: asn1.NullRawValue}
}

// signedAttributes returns the DER of the signed attributes as a SET OF
// (what is signed) for content with the given digest at time t.
func signedAttributes(digest []byte, t time.Time) ([]byte, error) {
	values := []struct {
		oid asn1.ObjectIdentifier
		v   any
	}{
		{oidContentType, oidData},
		{oidSigningTime, t.UTC().Truncate(time.Second)},
		{oidMessageDigest, digest},
	}
	encoded := make([][]byte, 0, len(values))
	for _, a := range values {
		v, err := asn1.Marshal(a.v)
		if err != nil {
			return nil, err
		}
		attr, err := asn1.Marshal(attribute{Type: a.oid, Values: []asn1.RawValue{{FullBytes: v}}})
		if err != nil {
			return nil, err
		}
		encoded = append(encoded, attr)
	}
	slices.SortFunc(encoded, bytes.Compare) // DER orders a SET OF by encoding
	return asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: bytes.Join(encoded, nil)})
}

// buildRSA builds the SignedData with one RSA signer.
func buildRSA(key crypto.Signer, cert *x509.Certificate, data []byte, detached bool, t time.Time) ([]byte, error) {
	digest := sha256.Sum256(data)
	attrs, err := signedAttributes(digest[:], t)
	if err != nil {
		return nil, err
	}
	attrsDigest := sha256.Sum256(attrs)
	sig, err := key.Sign(rand.Reader, attrsDigest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("signing: RSA signature: %w", err)
	}
	// Stored as [0] IMPLICIT: the same content under another tag.
	var implicit asn1.RawValue
	if _, err := asn1.Unmarshal(attrs, &implicit); err != nil {
		return nil, err
	}
	implicit = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: implicit.Bytes}

	sd := signedDataOut{
		Version:          1,
		DigestAlgorithms: []algorithmIdentifier{withNull(oidSHA256)},
		EncapContentInfo: encapContentInfoOut{EContentType: oidData},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: cert.Raw},
		SignerInfos: []signerInfo{{
			Version:            1,
			SID:                issuerAndSerial{Issuer: asn1.RawValue{FullBytes: cert.RawIssuer}, Serial: cert.SerialNumber},
			DigestAlgorithm:    withNull(oidSHA256),
			SignedAttrs:        implicit,
			SignatureAlgorithm: withNull(oidSHA256WithRSA),
			Signature:          sig,
		}},
	}
	if !detached {
		octets, err := asn1.Marshal(data)
		if err != nil {
			return nil, err
		}
		sd.EncapContentInfo.EContent = explicit0(octets)
	}
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(contentInfoOut{ContentType: oidSignedData, Content: explicit0(inner)})
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
// embedded, RSA with SHA-256 or an NCA GOST algorithm (see package gost): the content digest (against detached when the
// CMS holds no content), the signed attributes and the signature. It does
// not check the certificate chain or validity period.
func Verify(cms, detached []byte) (*Signed, error) {
	var ci contentInfo
	if rest, err := asn1.Unmarshal(cms, &ci); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("signing: not a DER CMS ContentInfo: %v", err)
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, fmt.Errorf("%w: content type %v is not signedData", ErrUnsupported, ci.ContentType)
	}
	var sd signedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("signing: bad SignedData: %w", err)
	}
	if len(sd.SignerInfos) != 1 {
		return nil, fmt.Errorf("%w: %d signers", ErrUnsupported, len(sd.SignerInfos))
	}
	out := &Signed{}
	switch {
	case len(sd.EncapContentInfo.EContent.Bytes) > 0:
		var content []byte
		if _, err := asn1.Unmarshal(sd.EncapContentInfo.EContent.Bytes, &content); err != nil {
			return nil, fmt.Errorf("signing: bad eContent: %w", err)
		}
		out.Content = content
	default:
		out.Content, out.Detached = detached, true
	}
	certs, err := x509.ParseCertificates(sd.Certificates.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signing: bad certificates: %w", err)
	}
	si := sd.SignerInfos[0]
	for _, c := range certs {
		if bytes.Equal(c.RawIssuer, si.SID.Issuer.FullBytes) && c.SerialNumber.Cmp(si.SID.Serial) == 0 {
			out.Certificate = c
		}
	}
	if out.Certificate == nil {
		return nil, errors.New("signing: the signer's certificate is not in the CMS")
	}
	if isGOST(si.DigestAlgorithm.Algorithm) || isGOST(si.SignatureAlgorithm.Algorithm) {
		return verifyGOST(cms, detached)
	}
	if !si.DigestAlgorithm.Algorithm.Equal(oidSHA256) {
		return nil, fmt.Errorf("%w: digest algorithm %v", ErrUnsupported, si.DigestAlgorithm.Algorithm)
	}
	if a := si.SignatureAlgorithm.Algorithm; !a.Equal(oidSHA256WithRSA) && !a.Equal(oidRSA) {
		return nil, fmt.Errorf("%w: signature algorithm %v", ErrUnsupported, a)
	}
	pub, ok := out.Certificate.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: the certificate's key is not RSA", ErrUnsupported)
	}
	contentDigest := sha256.Sum256(out.Content)
	if len(si.SignedAttrs.Bytes) == 0 {
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, contentDigest[:], si.Signature); err != nil {
			return nil, fmt.Errorf("signing: signature does not verify: %w", err)
		}
		return out, nil
	}
	var attrs []attribute
	if _, err := asn1.UnmarshalWithParams(si.SignedAttrs.FullBytes, &attrs, "set,tag:0"); err != nil {
		return nil, fmt.Errorf("signing: bad signed attributes: %w", err)
	}
	var gotDigest []byte
	for _, a := range attrs {
		if len(a.Values) != 1 {
			continue
		}
		switch {
		case a.Type.Equal(oidMessageDigest):
			_, _ = asn1.Unmarshal(a.Values[0].FullBytes, &gotDigest)
		case a.Type.Equal(oidSigningTime):
			_, _ = asn1.Unmarshal(a.Values[0].FullBytes, &out.SigningTime)
		case a.Type.Equal(oidContentType):
			var ct asn1.ObjectIdentifier
			if _, err := asn1.Unmarshal(a.Values[0].FullBytes, &ct); err != nil || !ct.Equal(sd.EncapContentInfo.EContentType) {
				return nil, errors.New("signing: the contentType attribute does not match the content")
			}
		}
	}
	if !bytes.Equal(gotDigest, contentDigest[:]) {
		return nil, errors.New("signing: the messageDigest attribute does not match the content")
	}
	signedSet := slices.Clone(si.SignedAttrs.FullBytes)
	signedSet[0] = 0x31 // the signature covers the attributes as a SET OF
	attrsDigest := sha256.Sum256(signedSet)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, attrsDigest[:], si.Signature); err != nil {
		return nil, fmt.Errorf("signing: signature does not verify: %w", err)
	}
	return out, nil
}
