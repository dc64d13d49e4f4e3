package gost

import (
	"bytes"
	"context"
	"crypto/x509"
	"hash"
	"testing"
)

// The fuzz targets check that the ASN.1 parsers never panic on hostile
// input and that what they accept is consistent. Their seeds run as
// ordinary tests; fuzz with e.g.
//
//	go test -run '^$' -fuzz FuzzVerify ./trueapi/signing/gost/

func FuzzParsePKCS8PrivateKey(f *testing.F) {
	for _, p12 := range []string{gost2004P12, "testdata/gost1.p12"} {
		_, _, raw := readKey(f, p12)
		f.Add(raw.PKCS8)
	}
	f.Add([]byte{0x30, 0x00})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, der []byte) {
		key, err := ParsePKCS8PrivateKey(der)
		if err != nil {
			return
		}
		if !key.Algorithm.curve().isOnCurve(key.X, key.Y) {
			t.Fatal("accepted a key whose public point is off the curve")
		}
	})
}

func FuzzParsePublicKey(f *testing.F) {
	for _, c := range []string{gost2004Cer, "testdata/gost1.cer", ncaCA} {
		f.Add(readCert(f, c).RawSubjectPublicKeyInfo)
	}
	f.Add(selfSignedECDSA(f).RawSubjectPublicKeyInfo)
	f.Fuzz(func(t *testing.T, spki []byte) {
		pub, err := ParsePublicKey(spki)
		if err != nil {
			return
		}
		again, err := publicKeyFromBytes(pub.Algorithm, pub.Bytes())
		if err != nil || !again.Equal(pub) {
			t.Fatalf("Bytes does not round-trip: %v", err)
		}
	})
}

func FuzzCertificate(f *testing.F) {
	ca := readCert(f, ncaCA)
	for _, c := range []string{"testdata/gost1.cer", gost2004Cer, ncaCA, ncaRoot} {
		f.Add(readCert(f, c).Raw)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return
		}
		_, _ = CertificatePublicKey(cert)
		_ = CheckCertificateSignature(cert, ca)
		_ = CheckCertificateSignature(ca, cert)
	})
}

func FuzzVerify(f *testing.F) {
	f.Add(readKalkanCMS(f), []byte(nil))
	key, cert, _ := readKey(f, "testdata/gost1.p12")
	s, err := NewSigner(key, cert)
	if err != nil {
		f.Fatal(err)
	}
	for _, detached := range []bool{false, true} {
		cms, err := s.SignCMS(context.Background(), []byte("fuzz"), detached)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(cms, []byte("fuzz"))
	}
	f.Fuzz(func(t *testing.T, cms, detached []byte) {
		v, err := Verify(cms, detached)
		if err != nil {
			return
		}
		if v.Certificate == nil || (v.Detached && !bytes.Equal(v.Content, detached)) {
			t.Fatalf("inconsistent result %+v", v)
		}
	})
}

// Hashing in pieces gives the one-shot digest, and Sum does not disturb
// the running state.
func FuzzHashIncremental(f *testing.F) {
	f.Add([]byte("012345678901234567890123456789012345678901234567890123456789012345678901234567890"), uint8(7), uint8(70))
	f.Add(bytes.Repeat([]byte{0xff}, 200), uint8(64), uint8(128))
	f.Fuzz(func(t *testing.T, msg []byte, cut1, cut2 uint8) {
		i, j := min(int(cut1), len(msg)), min(int(cut2), len(msg))
		if i > j {
			i, j = j, i
		}
		for _, newHash := range []func() hash.Hash{NewStreebog512, NewStreebog256, NewGOST94} {
			whole := newHash()
			whole.Write(msg)
			want := whole.Sum(nil)
			parts := newHash()
			parts.Write([]byte("garbage"))
			parts.Reset()
			parts.Write(msg[:i])
			_ = parts.Sum(nil)
			parts.Write(msg[i:j])
			parts.Write(msg[j:])
			if got := parts.Sum([]byte("prefix")); !bytes.Equal(got, append([]byte("prefix"), want...)) {
				t.Fatalf("pieces %d/%d: %x, want %x", i, j, got, want)
			}
		}
	})
}
