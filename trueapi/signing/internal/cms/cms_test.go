package cms_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/trueapi/signing/gost"
	"github.com/steppe-sdk/steppe/trueapi/signing/internal/cms"
)

// The algorithms the True API's signers use: Kalkan's RSA, GOST
// 34.310-2004 (GOST R 34.10-2001 with GOST 34.311-95) and GOST
// 34.310-2015 512-bit (GOST R 34.10-2012 with Streebog-512).
var algorithms = map[string]cms.Algorithm{
	"RSA": {
		Digest:    asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1},
		NewHash:   sha256.New,
		Signature: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11},
	},
	"GOST 2004":     {Digest: gost.OIDDigest2004, NewHash: gost.NewGOST94, Signature: gost.OIDSignature2004},
	"GOST 2015 512": {Digest: gost.OIDDigest2015_512, NewHash: gost.NewStreebog512, Signature: gost.OIDSignature2015_512},
}

// fakeSign stands in for a key: the assembler does not look into the
// signature, and a signature that spells out its digest shows which
// digest was signed.
func fakeSign(digest []byte) ([]byte, error) {
	return append([]byte("signature over "), digest...), nil
}

var (
	certOnce sync.Once
	testCert *x509.Certificate
)

// certificate returns a throw-away certificate with a subject key
// identifier. The assembler only embeds it and names it, so its key type
// does not matter.
func certificate(t testing.TB) *x509.Certificate {
	t.Helper()
	certOnce.Do(func() {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(424242), Subject: pkix.Name{CommonName: "signer", SerialNumber: "IIN123456789011"},
			NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), SubjectKeyId: []byte{1, 2, 3, 4},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
		if err != nil {
			t.Fatal(err)
		}
		if testCert, err = x509.ParseCertificate(der); err != nil {
			t.Fatal(err)
		}
	})
	return testCert
}

var at = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)

// parts is a SignedData made by Sign, taken apart so tests can look at a
// part, or change it and put it back together.
type parts struct {
	outerType                     asn1.ObjectIdentifier
	signedDataVersion             int
	digestAlgs, encap, certs      []byte
	signerVersion                 int
	sid, digestAlg, attrs, sigAlg []byte
	sig, unsignedAttrs            []byte
	extraSigner                   bool
}

func (p *parts) assemble() []byte {
	si := slices.Concat(cms.MustMarshal(p.signerVersion), p.sid, p.digestAlg, p.attrs, p.sigAlg, cms.MustMarshal(p.sig), p.unsignedAttrs)
	signers := cms.TLV(0x30, si)
	if p.extraSigner {
		signers = append(signers, cms.TLV(0x30, si)...)
	}
	sd := slices.Concat(cms.MustMarshal(p.signedDataVersion), p.digestAlgs, p.encap, p.certs, cms.TLV(0x31, signers))
	return cms.TLV(0x30, slices.Concat(cms.MustMarshal(p.outerType), cms.TLV(0xa0, cms.TLV(0x30, sd))))
}

// takeApart splits a SignedData from Sign, checking that it has exactly
// the five parts Sign writes and one SignerInfo of six.
func takeApart(t testing.TB, der []byte) *parts {
	t.Helper()
	var ci struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,tag:0"`
	}
	var sd struct {
		Version                                          int
		DigestAlgorithms, Encap, Certificates, SignerSet asn1.RawValue
	}
	var si struct {
		Version                       int
		SID, DigestAlg, Attrs, SigAlg asn1.RawValue
		Sig                           []byte
	}
	var signers []asn1.RawValue
	for _, step := range []func() ([]byte, error){
		func() ([]byte, error) { return asn1.Unmarshal(der, &ci) },
		func() ([]byte, error) { return asn1.Unmarshal(ci.Content.Bytes, &sd) },
		func() ([]byte, error) { return asn1.UnmarshalWithParams(sd.SignerSet.FullBytes, &signers, "set") },
	} {
		if rest, err := step(); err != nil || len(rest) > 0 {
			t.Fatalf("not a SignedData as Sign writes it: %v, %d bytes left", err, len(rest))
		}
	}
	if len(signers) != 1 {
		t.Fatalf("%d SignerInfos", len(signers))
	}
	if rest, err := asn1.Unmarshal(signers[0].FullBytes, &si); err != nil || len(rest) > 0 {
		t.Fatalf("not a SignerInfo as Sign writes it: %v", err)
	}
	return &parts{
		outerType: ci.ContentType, signedDataVersion: sd.Version,
		digestAlgs: sd.DigestAlgorithms.FullBytes, encap: sd.Encap.FullBytes, certs: sd.Certificates.FullBytes,
		signerVersion: si.Version, sid: si.SID.FullBytes, digestAlg: si.DigestAlg.FullBytes,
		attrs: si.Attrs.FullBytes, sigAlg: si.SigAlg.FullBytes, sig: si.Sig,
	}
}

// The layout is KalkanCrypt's for every algorithm, attached and detached,
// and Parse and Signed read back what Sign wrote.
func TestSignLayout(t *testing.T) {
	cert := certificate(t)
	content := []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTT")
	for name, alg := range algorithms {
		for _, detached := range []bool{false, true} {
			der, err := cms.Sign(alg, fakeSign, cert, content, detached, at.Add(999*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			p := takeApart(t, der)
			if !bytes.Equal(p.assemble(), der) {
				t.Fatalf("%s: takeApart and assemble are not inverses", name)
			}
			sid := cms.MustMarshal(struct {
				Issuer asn1.RawValue
				Serial *big.Int
			}{asn1.RawValue{FullBytes: cert.RawIssuer}, cert.SerialNumber})
			encap := cms.MustMarshal(cms.OIDData)
			if !detached {
				encap = append(encap, cms.TLV(0xa0, cms.MustMarshal(content))...)
			}
			h := alg.NewHash()
			h.Write(content)
			contentDigest := h.Sum(nil)
			attrs := [][]byte{ // in DER order: by length first, 0x18, 0x1c, 0x2f or 0x4f
				cms.Attribute(cms.OIDContentType, cms.MustMarshal(cms.OIDData)),
				cms.Attribute(cms.OIDSigningTime, cms.MustMarshal(at)),
				cms.Attribute(cms.OIDMessageDigest, cms.MustMarshal(contentDigest)),
			}
			for _, c := range []struct {
				part      string
				got, want []byte
			}{
				{"contentType", cms.MustMarshal(p.outerType), cms.MustMarshal(cms.OIDSignedData)},
				{"SignedData version", cms.MustMarshal(p.signedDataVersion), cms.MustMarshal(1)},
				{"digestAlgorithms", p.digestAlgs, cms.TLV(0x31, cms.NullParams(alg.Digest))},
				{"encapContentInfo", p.encap, cms.TLV(0x30, encap)},
				{"certificates", p.certs, cms.TLV(0xa0, cert.Raw)},
				{"SignerInfo version", cms.MustMarshal(p.signerVersion), cms.MustMarshal(1)},
				{"sid", p.sid, sid},
				{"digestAlgorithm", p.digestAlg, cms.NullParams(alg.Digest)},
				{"signedAttrs", p.attrs, cms.TLV(0xa0, slices.Concat(attrs...))},
				{"signatureAlgorithm", p.sigAlg, cms.NullParams(alg.Signature)},
			} {
				if !bytes.Equal(c.got, c.want) {
					t.Errorf("%s detached=%v: %s is %x, want %x", name, detached, c.part, c.got, c.want)
				}
			}
			if detached == bytes.Contains(der, content) {
				t.Errorf("%s detached=%v: content embedded %v", name, detached, !detached)
			}

			parsed, err := cms.Parse(der, content)
			if err != nil {
				t.Fatalf("%s detached=%v: %v", name, detached, err)
			}
			if !bytes.Equal(parsed.Content, content) || parsed.Detached != detached || parsed.Certificate.SerialNumber.Cmp(cert.SerialNumber) != 0 ||
				!parsed.Digest.Equal(alg.Digest) || !parsed.Signature.Equal(alg.Signature) {
				t.Errorf("%s detached=%v: parsed %+v", name, detached, parsed)
			}
			digest, sig, signingTime, err := parsed.Signed(alg.NewHash)
			if err != nil {
				t.Fatalf("%s detached=%v: %v", name, detached, err)
			}
			h.Reset()
			h.Write(cms.Retag(p.attrs, 0x31))
			if want := h.Sum(nil); !bytes.Equal(digest, want) || !bytes.Equal(sig, append([]byte("signature over "), want...)) {
				t.Errorf("%s detached=%v: the signature is not over the signed attributes' digest", name, detached)
			}
			if !signingTime.Equal(at) {
				t.Errorf("%s detached=%v: signing time %v", name, detached, signingTime)
			}
		}
	}
}

func TestSignErrors(t *testing.T) {
	cert := certificate(t)
	alg := algorithms["RSA"]
	failed := errors.New("the token is unplugged")
	_, err := cms.Sign(alg, func([]byte) ([]byte, error) { return nil, failed }, cert, nil, false, at)
	if !errors.Is(err, failed) {
		t.Errorf("the signer's error: %v", err)
	}
	if _, err := cms.Sign(alg, fakeSign, cert, nil, false, time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("signed with a time asn1 cannot encode")
	}
	noSerial := *cert
	noSerial.SerialNumber = nil
	if _, err := cms.Sign(alg, fakeSign, &noSerial, nil, false, at); err == nil {
		t.Error("signed for a certificate without a serial number")
	}
}

// A long content takes the long form of DER lengths.
func TestSignLongContent(t *testing.T) {
	content := bytes.Repeat([]byte{0xab}, 70000)
	alg := algorithms["GOST 2015 512"]
	der, err := cms.Sign(alg, fakeSign, certificate(t), content, false, at)
	if err != nil {
		t.Fatal(err)
	}
	p, err := cms.Parse(der, nil)
	if err != nil || !bytes.Equal(p.Content, content) {
		t.Fatalf("%v", err)
	}
	if _, _, _, err := p.Signed(alg.NewHash); err != nil {
		t.Error(err)
	}
}

// Parse and Signed, one changed part at a time.
func TestParseRejects(t *testing.T) {
	cert := certificate(t)
	alg := algorithms["GOST 2004"]
	content := []byte("document")
	good, err := cms.Sign(alg, fakeSign, cert, content, false, at)
	if err != nil {
		t.Fatal(err)
	}
	h := alg.NewHash()
	h.Write(content)
	contentDigest := h.Sum(nil)
	attrsWithout := func(drop asn1.ObjectIdentifier, extra ...[]byte) []byte {
		kept := [][]byte{cms.Attribute(cms.OIDSigningTime, cms.MustMarshal(at))}
		if !drop.Equal(cms.OIDContentType) {
			kept = append(kept, cms.Attribute(cms.OIDContentType, cms.MustMarshal(cms.OIDData)))
		}
		if !drop.Equal(cms.OIDMessageDigest) {
			kept = append(kept, cms.Attribute(cms.OIDMessageDigest, cms.MustMarshal(contentDigest)))
		}
		return cms.TLV(0xa0, slices.Concat(append(kept, extra...)...))
	}
	encap := func(content []byte) []byte {
		return cms.TLV(0x30, slices.Concat(cms.MustMarshal(cms.OIDData), cms.TLV(0xa0, content)))
	}
	ias := func(serial int64) []byte {
		return cms.MustMarshal(struct {
			Issuer asn1.RawValue
			Serial *big.Int
		}{asn1.RawValue{FullBytes: cert.RawIssuer}, big.NewInt(serial)})
	}
	unsupported := "unsupported"

	for _, tc := range []struct {
		name   string
		change func(p *parts)
		want   string // "" when accepted, "unsupported" for an UnsupportedError
	}{
		{"as signed", func(*parts) {}, ""},
		{"signer identified by subject key identifier", func(p *parts) { p.sid = cms.TLV(0x80, cert.SubjectKeyId); p.signerVersion = 3 }, ""},
		{"an unknown attribute is ignored", func(p *parts) {
			p.attrs = attrsWithout(nil, cms.Attribute(asn1.ObjectIdentifier{1, 2, 3}, cms.MustMarshal(1)))
		}, ""},
		{"unsigned attributes are ignored", func(p *parts) {
			p.unsignedAttrs = cms.TLV(0xa1, cms.Attribute(cms.OIDContentType, cms.MustMarshal(cms.OIDData)))
		}, ""},
		{"no signed attributes: the signature is over the content", func(p *parts) { p.attrs = nil }, ""},
		{"not signedData", func(p *parts) { p.outerType = cms.OIDData }, unsupported},
		{"two signers", func(p *parts) { p.extraSigner = true }, unsupported},
		{"no certificate", func(p *parts) { p.certs = nil }, "the signer's certificate is not in the CMS"},
		{"garbage certificates", func(p *parts) { p.certs = cms.TLV(0xa0, []byte{0x30, 0x03, 1, 2, 3}) }, "malformed certificates"},
		{"unknown subject key identifier", func(p *parts) { p.sid = cms.TLV(0x80, []byte{9}) }, "not in the CMS"},
		{"other serial number", func(p *parts) { p.sid = ias(7) }, "not in the CMS"},
		{"malformed issuerAndSerialNumber", func(p *parts) { p.sid = cms.TLV(0x30, cms.MustMarshal(1)) }, "malformed issuerAndSerialNumber"},
		{"malformed SignerIdentifier", func(p *parts) { p.sid = cms.MustMarshal(1) }, "malformed SignerIdentifier"},
		{"no messageDigest", func(p *parts) { p.attrs = attrsWithout(cms.OIDMessageDigest) }, "lack contentType or messageDigest"},
		{"no contentType", func(p *parts) { p.attrs = attrsWithout(cms.OIDContentType) }, "lack contentType or messageDigest"},
		{"two messageDigests", func(p *parts) {
			p.attrs = attrsWithout(nil, cms.Attribute(cms.OIDMessageDigest, cms.MustMarshal(contentDigest)))
		}, "malformed messageDigest"},
		{"two contentTypes", func(p *parts) {
			p.attrs = attrsWithout(nil, cms.Attribute(cms.OIDContentType, cms.MustMarshal(cms.OIDData)))
		}, "malformed contentType"},
		{"wrong contentType", func(p *parts) {
			p.attrs = attrsWithout(cms.OIDContentType, cms.Attribute(cms.OIDContentType, cms.MustMarshal(cms.OIDSignedData)))
		}, "contentType attribute does not match"},
		{"wrong messageDigest", func(p *parts) {
			p.attrs = attrsWithout(cms.OIDMessageDigest, cms.Attribute(cms.OIDMessageDigest, cms.MustMarshal(make([]byte, 32))))
		}, "messageDigest attribute does not match"},
		{"malformed attributes", func(p *parts) { p.attrs = cms.TLV(0xa0, cms.MustMarshal(1)) }, "malformed signed attributes"},
		{"malformed eContent", func(p *parts) { p.encap = encap(cms.MustMarshal(1)) }, "malformed eContent"},
		{"changed content", func(p *parts) { p.encap = encap(cms.MustMarshal([]byte("documenT"))) }, "messageDigest attribute does not match"},
	} {
		p := takeApart(t, good)
		tc.change(p)
		der := p.assemble()
		parsed, err := cms.Parse(der, nil)
		var digest, sig []byte
		if err == nil {
			digest, sig, _, err = parsed.Signed(alg.NewHash)
		}
		_, isUnsupported := errors.AsType[cms.UnsupportedError](err)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want == unsupported && !isUnsupported:
			t.Errorf("%s: %v, want an UnsupportedError", tc.name, err)
		case tc.want != "" && tc.want != unsupported && (err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.want))):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		case err == nil && p.attrs == nil && !bytes.Equal(digest, contentDigest):
			t.Errorf("%s: the signed digest is not the content's", tc.name)
		case err == nil && !bytes.Equal(sig, p.sig):
			t.Errorf("%s: signature %x", tc.name, sig)
		}
	}

	// Not DER, trailing data, not even a SignedData.
	for _, bad := range [][]byte{nil, {0x30}, append(bytes.Clone(good), 0),
		cms.TLV(0x30, slices.Concat(cms.MustMarshal(cms.OIDSignedData), cms.TLV(0xa0, cms.MustMarshal(1))))} {
		if _, err := cms.Parse(bad, nil); err == nil {
			t.Errorf("accepted %x", bad)
		}
	}
}

// Detached content is taken only when the SignedData has none.
func TestParseDetached(t *testing.T) {
	cert := certificate(t)
	alg := algorithms["RSA"]
	for _, detached := range []bool{false, true} {
		der, err := cms.Sign(alg, fakeSign, cert, []byte("signed"), detached, at)
		if err != nil {
			t.Fatal(err)
		}
		p, err := cms.Parse(der, []byte("given"))
		if err != nil {
			t.Fatal(err)
		}
		want := map[bool]string{false: "signed", true: "given"}[detached]
		if string(p.Content) != want || p.Detached != detached {
			t.Errorf("detached=%v: content %q, detached %v", detached, p.Content, p.Detached)
		}
	}
}

func TestWrapError(t *testing.T) {
	errUnsupported := errors.New("pkg: unsupported")
	err := cms.WrapError(cms.UnsupportedError("2 signers"), "pkg", errUnsupported)
	if !errors.Is(err, errUnsupported) || err.Error() != "pkg: unsupported: 2 signers" {
		t.Errorf("unsupported: %v", err)
	}
	malformed := errors.New("malformed SignedData")
	err = cms.WrapError(malformed, "pkg", errUnsupported)
	if !errors.Is(err, malformed) || errors.Is(err, errUnsupported) || err.Error() != "pkg: malformed SignedData" {
		t.Errorf("malformed: %v", err)
	}
}

func TestMustMarshalPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a value asn1 cannot encode")
		}
	}()
	cms.MustMarshal(make(chan int))
}

// Parse never panics, and what it accepts is consistent.
func FuzzParse(f *testing.F) {
	for _, alg := range algorithms {
		for _, detached := range []bool{false, true} {
			der, err := cms.Sign(alg, fakeSign, certificate(f), []byte("fuzz"), detached, at)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(der, []byte("fuzz"))
		}
	}
	f.Fuzz(func(t *testing.T, der, detached []byte) {
		p, err := cms.Parse(der, detached)
		if err != nil {
			return
		}
		if p.Certificate == nil || (p.Detached && !bytes.Equal(p.Content, detached)) {
			t.Fatalf("inconsistent result %+v", p)
		}
		for _, alg := range algorithms {
			_, _, _, _ = p.Signed(alg.NewHash)
		}
	})
}
