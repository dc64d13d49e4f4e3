package gost

import (
	"context"
	"crypto/rand"
	"hash"
	"testing"
)

func BenchmarkSignDigest(b *testing.B) {
	for _, alg := range []Algorithm{GOST2004, GOST2015_512} {
		b.Run(alg.String(), func(b *testing.B) {
			key, err := GenerateKey(alg, rand.Reader)
			if err != nil {
				b.Fatal(err)
			}
			digest := make([]byte, alg.NewHash().Size())
			for b.Loop() {
				if _, err := key.Sign(rand.Reader, digest, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}

func BenchmarkVerifyDigest(b *testing.B) {
	for _, alg := range []Algorithm{GOST2004, GOST2015_512} {
		b.Run(alg.String(), func(b *testing.B) {
			key, err := GenerateKey(alg, rand.Reader)
			if err != nil {
				b.Fatal(err)
			}
			digest := make([]byte, alg.NewHash().Size())
			sig, err := key.Sign(rand.Reader, digest, nil)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if !key.PublicKey.VerifyDigest(digest, sig) {
					b.Fatal("does not verify")
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}

// The CMS a sign-in sends: an attached signature over a 30-byte
// challenge, with the NCA test keys.
func BenchmarkSignCMS(b *testing.B) {
	for _, f := range []string{gost2004P12, "testdata/head.p12"} {
		key, cert, _ := readKey(b, f)
		s, err := NewSigner(key, cert)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(key.Algorithm.String(), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.SignCMS(context.Background(), []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTT"), false); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}

func BenchmarkVerifyCMS(b *testing.B) {
	for _, f := range []string{gost2004P12, "testdata/head.p12"} {
		key, cert, _ := readKey(b, f)
		s, err := NewSigner(key, cert)
		if err != nil {
			b.Fatal(err)
		}
		cms, err := s.SignCMS(context.Background(), []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTT"), false)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(key.Algorithm.String(), func(b *testing.B) {
			for b.Loop() {
				if _, err := Verify(cms, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
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
