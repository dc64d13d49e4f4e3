package gost

import (
	"context"
	"crypto/rand"
	"hash"
	"testing"
)

// perKey runs bench for a fresh key of each algorithm, reporting
// operations a second.
func perKey(b *testing.B, bench func(b *testing.B, key *PrivateKey)) {
	for _, alg := range []Algorithm{GOST2004, GOST2015_512} {
		b.Run(alg.String(), func(b *testing.B) {
			key, err := GenerateKey(alg, rand.Reader)
			if err != nil {
				b.Fatal(err)
			}
			bench(b, key)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}

// perSigner runs bench with a signer of each algorithm's NCA test key,
// reporting operations a second.
func perSigner(b *testing.B, bench func(b *testing.B, s *Signer)) {
	for _, f := range []string{gost2004P12, "testdata/head.p12"} {
		key, cert, _ := readKey(b, f)
		s, err := NewSigner(key, cert)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(key.Algorithm.String(), func(b *testing.B) {
			bench(b, s)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}

func BenchmarkSignDigest(b *testing.B) {
	perKey(b, func(b *testing.B, key *PrivateKey) {
		digest := make([]byte, key.Algorithm.NewHash().Size())
		for b.Loop() {
			if _, err := key.Sign(rand.Reader, digest, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkVerifyDigest(b *testing.B) {
	perKey(b, func(b *testing.B, key *PrivateKey) {
		digest := make([]byte, key.Algorithm.NewHash().Size())
		sig, err := key.Sign(rand.Reader, digest, nil)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if !key.PublicKey.VerifyDigest(digest, sig) {
				b.Fatal("does not verify")
			}
		}
	})
}

// The CMS a sign-in sends: an attached signature over a 30-byte
// challenge, with the NCA test keys.
func BenchmarkSignCMS(b *testing.B) {
	perSigner(b, func(b *testing.B, s *Signer) {
		for b.Loop() {
			if _, err := s.SignCMS(context.Background(), []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTT"), false); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkVerifyCMS(b *testing.B) {
	perSigner(b, func(b *testing.B, s *Signer) {
		cms, err := s.SignCMS(context.Background(), []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTT"), false)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := Verify(cms, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkHash(b *testing.B) {
	msg := make([]byte, 64<<10)
	for _, h := range []struct {
		name string
		new  func() hash.Hash
	}{{"Streebog-512", NewStreebog512}, {"GOST34.311-95", NewGOST94}} {
		b.Run(h.name, func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			d := h.new()
			for b.Loop() {
				d.Reset()
				d.Write(msg)
				d.Sum(nil)
			}
		})
	}
}
