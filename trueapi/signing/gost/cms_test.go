package gost

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"math/big"
	"slices"
	"testing"
	"time"
)

// The KalkanCrypt-made GOST 34.310-2004 CMS (NCANode, 2020) verifies over
// content.txt with the GOSTKNCA certificate.
func TestKalkanCMSVerifies(t *testing.T) {
	der := readKalkanCMS(t)
	content := readFile(t, "testdata/content.txt")
	v, err := Verify(der, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(v.Content, content) || v.Detached {
		t.Errorf("content %q detached %v", v.Content, v.Detached)
	}
	if v.Algorithm != GOST2004 {
		t.Errorf("algorithm %v", v.Algorithm)
	}
	if want := readCert(t, gost2004Cer); !bytes.Equal(v.Certificate.Raw, want.Raw) {
		t.Error("not the GOSTKNCA certificate")
	}
	if want := time.Date(2020, 9, 9, 20, 3, 14, 0, time.UTC); !v.SigningTime.Equal(want) {
		t.Errorf("signing time %v", v.SigningTime)
	}
	// The detached content may be given too, if it is the same.
	if _, err := Verify(der, content); err != nil {
		t.Error(err)
	}
	if _, err := Verify(der, []byte("other")); err == nil {
		t.Error("other detached content accepted")
	}
	// Its messageDigest is GOST 34.311-95 (test S-box) of "asdasd".
	h := NewGOST94()
	h.Write(content)
	if got := hex.EncodeToString(h.Sum(nil)); got != "08a5e8f4b3e3b01fac5e53af166e5e3bc9ce81eb2449aa8d744cd41fff3f72b6" {
		t.Errorf("GOST 34.311-95(asdasd) = %s", got)
	}
}

// The CMS this package makes is KalkanCrypt's, byte for byte, but for the
// (randomised) signature: given the same key, certificate, content and
// signing time, swapping in Kalkan's signature gives Kalkan's file.
func TestSignCMSMatchesKalkan(t *testing.T) {
	kalkan := readKalkanCMS(t)
	key, cert, _ := readKey(t, gost2004P12)
	s, err := NewSigner(key, cert)
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return time.Date(2020, 9, 9, 20, 3, 14, 0, time.UTC) }
	ours, err := s.SignCMS(context.Background(), readFile(t, "testdata/content.txt"), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ours) != len(kalkan) {
		t.Fatalf("%d bytes, Kalkan's has %d", len(ours), len(kalkan))
	}
	n := len(kalkan) - 64 // the signature OCTET STRING's content ends the file
	if !bytes.Equal(ours[:n], kalkan[:n]) {
		i := 0
		for ours[i] == kalkan[i] {
			i++
		}
		t.Fatalf("differs from byte %d: ours %x, Kalkan's %x", i, ours[i:min(i+16, n)], kalkan[i:min(i+16, n)])
	}
	if _, err := Verify(ours, nil); err != nil {
		t.Fatal(err)
	}
}

func TestSignCMSRoundTrip(t *testing.T) {
	t.Parallel()
	files := []string{gost2004P12, "testdata/head.p12"}
	for _, f := range files {
		key, cert, _ := readKey(t, f)
		s, err := NewSigner(key, cert)
		if err != nil {
			t.Fatal(err)
		}
		if s.Certificate() != cert || s.Algorithm() != key.Algorithm {
			t.Error("Certificate or Algorithm")
		}
		data := []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTT")
		for _, detached := range []bool{false, true} {
			before := time.Now().Truncate(time.Second)
			cms, err := s.SignCMS(context.Background(), data, detached)
			if err != nil {
				t.Fatal(err)
			}
			var v *Signed
			if detached {
				if bytes.Contains(cms, data) {
					t.Error("detached CMS contains the data")
				}
				if _, err := Verify(cms, nil); err == nil {
					t.Error("detached CMS verified without its content")
				}
				if _, err := Verify(cms, []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTx")); err == nil {
					t.Error("detached CMS verified over other content")
				}
				v, err = Verify(cms, data)
			} else {
				v, err = Verify(cms, nil)
			}
			if err != nil {
				t.Fatalf("%s detached=%v: %v", f, detached, err)
			}
			if !bytes.Equal(v.Content, data) || v.Detached != detached || !bytes.Equal(v.Certificate.Raw, cert.Raw) ||
				v.Algorithm != key.Algorithm || v.SigningTime.Before(before) {
				t.Errorf("%s detached=%v: %+v", f, detached, v)
			}
			// Any changed byte of the signature breaks it.
			bad := bytes.Clone(cms)
			bad[len(bad)-1] ^= 0x80
			if _, err := Verify(bad, data); !errors.Is(err, ErrSignature) {
				t.Errorf("changed signature: %v", err)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	key, cert, _ := readKey(t, gost2004P12)
	s, _ := NewSigner(key, cert)
	if _, err := s.SignCMS(ctx, nil, false); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	s.rand = bytes.NewReader(nil)
	if _, err := s.SignCMS(context.Background(), nil, false); err == nil {
		t.Error("signed with no randomness")
	}
	s.rand, s.now = rand.Reader, func() time.Time { return time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC) }
	if _, err := s.SignCMS(context.Background(), nil, false); err == nil {
		t.Error("signed with a time asn1 cannot encode")
	}
}

func TestNewSignerErrors(t *testing.T) {
	t.Parallel()
	key, cert, _ := readKey(t, gost2004P12)
	other, _, _ := readKey(t, "testdata/gost1.p12")
	if _, err := NewSigner(nil, cert); err == nil {
		t.Error("nil key")
	}
	if _, err := NewSigner(other, cert); err == nil {
		t.Error("a key with another's certificate")
	}
	if _, err := NewSigner(key, selfSignedECDSA(t)); err == nil {
		t.Error("an ECDSA certificate")
	}
}

// selfSignedECDSA returns a certificate crypto/x509 makes (not GOST).
func selfSignedECDSA(t testing.TB) *x509.Certificate {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "not GOST"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
		SubjectKeyId: []byte{1, 2, 3},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// cmsParts is a CMS made by Signer, taken apart so tests can change a part
// and put it back together.
type cmsParts struct {
	digestAlgs, encap, certs      []byte
	sid, digestAlg, attrs, sigAlg []byte
	sig                           []byte
	extraSigner                   bool
	outerType                     asn1.ObjectIdentifier
	signerVersion                 int
	signedDataVersion             int
	unsignedAttrs                 []byte
	key                           *PrivateKey
	resign                        bool // re-sign attrs (or the content digest when attrs is nil)
	content                       []byte
}

func (p *cmsParts) assemble(t testing.TB) []byte {
	t.Helper()
	if p.resign {
		h := p.key.Algorithm.NewHash()
		if p.attrs != nil {
			h.Write(retag(p.attrs, 0x31))
		} else {
			h.Write(p.content)
		}
		sig, err := p.key.Sign(rand.Reader, h.Sum(nil), nil)
		if err != nil {
			t.Fatal(err)
		}
		p.sig = sig
	}
	si := slices.Concat(mustMarshal(p.signerVersion), p.sid, p.digestAlg, p.attrs, p.sigAlg, mustMarshal(p.sig), p.unsignedAttrs)
	signers := tlv(0x30, si)
	if p.extraSigner {
		signers = append(signers, tlv(0x30, si)...)
	}
	sd := slices.Concat(mustMarshal(p.signedDataVersion), p.digestAlgs, p.encap, p.certs, tlv(0x31, signers))
	return tlv(0x30, slices.Concat(mustMarshal(p.outerType), tlv(0xa0, tlv(0x30, sd))))
}

// takeApart splits a CMS from Signer.SignCMS.
func takeApart(t testing.TB, cms []byte, key *PrivateKey, content []byte) *cmsParts {
	t.Helper()
	var ci contentInfo
	if _, err := asn1.Unmarshal(cms, &ci); err != nil {
		t.Fatal(err)
	}
	var sd struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		Encap            asn1.RawValue
		Certificates     asn1.RawValue
		SignerInfos      asn1.RawValue
	}
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		t.Fatal(err)
	}
	var si struct {
		Version                       int
		SID, DigestAlg, Attrs, SigAlg asn1.RawValue
		Sig                           []byte
	}
	if _, err := asn1.Unmarshal(sd.SignerInfos.Bytes, &si); err != nil {
		t.Fatal(err)
	}
	return &cmsParts{
		outerType: ci.ContentType, signedDataVersion: sd.Version,
		digestAlgs: sd.DigestAlgorithms.FullBytes, encap: sd.Encap.FullBytes, certs: sd.Certificates.FullBytes,
		signerVersion: si.Version, sid: si.SID.FullBytes, digestAlg: si.DigestAlg.FullBytes,
		attrs: si.Attrs.FullBytes, sigAlg: si.SigAlg.FullBytes, sig: si.Sig,
		key: key, content: content,
	}
}

// Verify's checks, one changed part at a time.
func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	key, cert, _ := readKey(t, gost2004P12)
	s, err := NewSigner(key, cert)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("document")
	good, err := s.SignCMS(context.Background(), data, false)
	if err != nil {
		t.Fatal(err)
	}
	// The reassembly is faithful.
	if p := takeApart(t, good, key, data); !bytes.Equal(p.assemble(t), good) {
		t.Fatal("takeApart/assemble is not the identity")
	}
	attrsWithout := func(drop asn1.ObjectIdentifier, extra ...[]byte) []byte {
		h := key.Algorithm.NewHash()
		h.Write(data)
		all := [][]byte{
			attr(oidContentType, mustMarshal(oidData)),
			attr(oidSigningTime, mustMarshal(time.Now().UTC().Truncate(time.Second))),
			attr(oidMessageDigest, mustMarshal(h.Sum(nil))),
		}
		var kept [][]byte
		for _, a := range all {
			var parsed attribute
			_, _ = asn1.Unmarshal(a, &parsed)
			if !parsed.Type.Equal(drop) {
				kept = append(kept, a)
			}
		}
		kept = append(kept, extra...)
		return tlv(0xa0, slices.Concat(kept...))
	}
	ski := tlv(0x80, cert.SubjectKeyId)

	for _, tc := range []struct {
		name   string
		change func(p *cmsParts)
		ok     bool
	}{
		{"signer identified by subject key identifier", func(p *cmsParts) { p.sid = ski; p.signerVersion = 3 }, true},
		{"no signed attributes: the signature is over the content", func(p *cmsParts) { p.attrs = nil; p.resign = true }, true},
		{"the key algorithm as signature algorithm", func(p *cmsParts) { p.sigAlg = nullParams(OIDKey2004) }, true},
		{"an unknown attribute is ignored", func(p *cmsParts) {
			p.attrs = attrsWithout(nil, attr(asn1.ObjectIdentifier{1, 2, 3}, mustMarshal(1)))
			p.resign = true
		}, true},
		{"not signedData", func(p *cmsParts) { p.outerType = oidData }, false},
		{"two signers", func(p *cmsParts) { p.extraSigner = true }, false},
		{"no certificate", func(p *cmsParts) { p.certs = nil }, false},
		{"garbage certificates", func(p *cmsParts) { p.certs = tlv(0xa0, []byte{0x30, 0x03, 1, 2, 3}) }, false},
		{"unknown subject key identifier", func(p *cmsParts) { p.sid = tlv(0x80, []byte{9}) }, false},
		{"other serial number", func(p *cmsParts) {
			p.sid = mustMarshal(issuerAndSerial{Issuer: asn1.RawValue{FullBytes: cert.RawIssuer}, Serial: big.NewInt(7)})
		}, false},
		{"malformed issuerAndSerialNumber", func(p *cmsParts) { p.sid = tlv(0x30, mustMarshal(1)) }, false},
		{"malformed SignerIdentifier", func(p *cmsParts) { p.sid = mustMarshal(1) }, false},
		{"SHA-256 digest", func(p *cmsParts) { p.digestAlg = nullParams(asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}) }, false},
		{"GOST 2015 signature algorithm", func(p *cmsParts) { p.sigAlg = nullParams(OIDSignature2015_512) }, false},
		{"RSA signature algorithm", func(p *cmsParts) { p.sigAlg = nullParams(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}) }, false},
		{"no messageDigest", func(p *cmsParts) { p.attrs = attrsWithout(oidMessageDigest); p.resign = true }, false},
		{"no contentType", func(p *cmsParts) { p.attrs = attrsWithout(oidContentType); p.resign = true }, false},
		{"two messageDigests", func(p *cmsParts) {
			h := key.Algorithm.NewHash()
			h.Write(data)
			p.attrs = attrsWithout(nil, attr(oidMessageDigest, mustMarshal(h.Sum(nil))))
			p.resign = true
		}, false},
		{"two contentTypes", func(p *cmsParts) {
			p.attrs = attrsWithout(nil, attr(oidContentType, mustMarshal(oidData)))
			p.resign = true
		}, false},
		{"wrong contentType", func(p *cmsParts) {
			p.attrs = attrsWithout(oidContentType, attr(oidContentType, mustMarshal(oidSignedData)))
			p.resign = true
		}, false},
		{"wrong messageDigest", func(p *cmsParts) {
			p.attrs = attrsWithout(oidMessageDigest, attr(oidMessageDigest, mustMarshal(make([]byte, 32))))
			p.resign = true
		}, false},
		{"malformed attributes", func(p *cmsParts) { p.attrs = tlv(0xa0, mustMarshal(1)); p.resign = true }, false},
		{"malformed eContent", func(p *cmsParts) { p.encap = tlv(0x30, slices.Concat(mustMarshal(oidData), tlv(0xa0, mustMarshal(1)))) }, false},
		{"changed content", func(p *cmsParts) {
			p.encap = tlv(0x30, slices.Concat(mustMarshal(oidData), tlv(0xa0, mustMarshal([]byte("documenT")))))
		}, false},
		{"no signed attributes and a signature over the attributes", func(p *cmsParts) { p.attrs = nil }, false},
		{"unsigned attributes are ignored", func(p *cmsParts) { p.unsignedAttrs = tlv(0xa1, attr(oidContentType, mustMarshal(oidData))) }, true},
	} {
		p := takeApart(t, good, key, data)
		tc.change(p)
		_, err := Verify(p.assemble(t), nil)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}

	// Not DER, trailing data, not even ASN.1.
	for _, bad := range [][]byte{nil, {0x30}, append(bytes.Clone(good), 0), tlv(0x30, slices.Concat(mustMarshal(oidSignedData), tlv(0xa0, mustMarshal(1))))} {
		if _, err := Verify(bad, nil); err == nil {
			t.Errorf("accepted %x", bad)
		}
	}
	// A CMS whose signer certificate is not GOST.
	p := takeApart(t, good, key, data)
	ec := selfSignedECDSA(t)
	p.certs = tlv(0xa0, ec.Raw)
	p.sid = tlv(0x80, ec.SubjectKeyId)
	if _, err := Verify(p.assemble(t), nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("ECDSA signer: %v", err)
	}
}
