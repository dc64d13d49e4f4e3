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
	"strings"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/trueapi/signing/internal/cms"
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

// Verify's checks of the algorithms; package internal/cms tests the
// structure. Each CMS is made by the shared assembler with a changed
// algorithm, certificate or signature.
func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	key, cert, _ := readKey(t, gost2004P12)
	data := []byte("document")
	sign := func(digest []byte) ([]byte, error) { return key.Sign(rand.Reader, digest, nil) }
	alg := key.Algorithm.cms()
	ec := selfSignedECDSA(t)
	for _, tc := range []struct {
		name string
		alg  cms.Algorithm
		cert *x509.Certificate
		sign cms.SignFunc
		want error // nil when accepted
	}{
		{"as signed", alg, cert, sign, nil},
		{"the key algorithm as signature algorithm", cms.Algorithm{Digest: alg.Digest, NewHash: alg.NewHash, Signature: OIDKey2004}, cert, sign, nil},
		{"SHA-256 digest", cms.Algorithm{Digest: asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}, NewHash: alg.NewHash, Signature: alg.Signature}, cert, sign, ErrUnsupported},
		{"GOST 2015 signature algorithm", cms.Algorithm{Digest: alg.Digest, NewHash: alg.NewHash, Signature: OIDSignature2015_512}, cert, sign, ErrUnsupported},
		{"RSA signature algorithm", cms.Algorithm{Digest: alg.Digest, NewHash: alg.NewHash, Signature: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}}, cert, sign, ErrUnsupported},
		{"a signer certificate that is not GOST", alg, ec, sign, ErrUnsupported},
		{"a signature over another digest", alg, cert, func(d []byte) ([]byte, error) { return sign(slices.Concat(d[1:], d[:1])) }, ErrSignature},
	} {
		der, err := cms.Sign(tc.alg, tc.sign, tc.cert, data, false, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, err = Verify(der, nil)
		if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// Errors of the structure keep the package's prefix and sentinel.
	if _, err := Verify([]byte{0x30}, nil); err == nil || !strings.HasPrefix(err.Error(), "gost: ") {
		t.Errorf("not DER: %v", err)
	}
	if _, err := Verify(cms.TLV(0x30, slices.Concat(cms.MustMarshal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}), cms.TLV(0xa0, cms.MustMarshal([]byte("x"))))), nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("not signedData: %v", err)
	}
}
