package gost

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"math/big"
)

// The GOST R 34.10 signature (2001 and 2012 alike): for a digest whose
// integer value is α, e = α mod q (1 when that is 0); with a random k in
// [1, q-1], C = k·G, r = x_C mod q, s = (r·d + k·e) mod q; neither r nor
// s may be 0. It verifies when, with v = e⁻¹ mod q, z1 = s·v and
// z2 = -r·v (mod q), the x coordinate of z1·G + z2·Q is r modulo q.
//
// NCA's byte conventions, checked against NCA's own signatures (the test
// CA's signatures on its certificates, and a KalkanCrypt CMS):
//
//   - α is the digest byte string read little-endian (as GOST R 34.11
//     defines the hash value: its first byte is the least significant);
//   - the signature is LE(r) || LE(s), each over Size bytes.
//
// LE(r) || LE(s) is the byte reversal, as a whole, of the big-endian
// s || r that RFC 4491 specifies for X.509: a verifier that reads digests
// and signatures big-endian needs both reversed first.

// digestToE maps a digest to e.
func (c *curve) digestToE(digest []byte) *big.Int {
	e := new(big.Int).SetBytes(reverse(digest))
	e.Mod(e, c.q)
	if e.Sign() == 0 {
		e.SetInt64(1)
	}
	return e
}

// signWithK computes (r, s) with the nonce k; ok is false when r or s is
// 0 and another k must be drawn.
func (c *curve) signWithK(d, e, k *big.Int, rand io.Reader) (r, s *big.Int, ok bool, err error) {
	p, err := c.scalarMult(k, c.x, c.y, rand)
	if err != nil {
		return nil, nil, false, err
	}
	x, _, _ := c.toAffine(&p) // k in [1, q-1]: never the neutral element
	r = x.Mod(x, c.q)
	if r.Sign() == 0 {
		return nil, nil, false, nil
	}
	// s = r·d + k·e mod q, in the branch-free field arithmetic.
	f := c.fq
	rd, dm, km, em := f.toMont(r), f.toMont(d), f.toMont(k), f.toMont(e)
	f.mul(&rd, &rd, &dm)
	f.mul(&km, &km, &em)
	f.add(&rd, &rd, &km)
	s = f.fromMont(&rd)
	clear(dm[:])
	clear(km[:])
	clear(rd[:])
	if s.Sign() == 0 {
		return nil, nil, false, nil
	}
	return r, s, true, nil
}

// sign computes (r, s) with a fresh random nonce.
func (c *curve) sign(d, e *big.Int, rand io.Reader) (r, s *big.Int, err error) {
	for range 100 { // a retry happens with probability about 2/q
		k, err := randomScalar(rand, c.q)
		if err != nil {
			return nil, nil, err
		}
		r, s, ok, err := c.signWithK(d, e, k, rand)
		k.SetInt64(0)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			return r, s, nil
		}
	}
	return nil, nil, errors.New("gost: the random source keeps giving unusable nonces")
}

// verify checks (r, s) over e for the public point (qx, qy).
func (c *curve) verify(qx, qy, e, r, s *big.Int) bool {
	if r.Sign() <= 0 || s.Sign() <= 0 || r.Cmp(c.q) >= 0 || s.Cmp(c.q) >= 0 {
		return false
	}
	v := new(big.Int).ModInverse(e, c.q)
	if v == nil {
		return false
	}
	z1 := new(big.Int).Mul(s, v)
	z1.Mod(z1, c.q)
	z2 := new(big.Int).Mul(r, v)
	z2.Neg(z2).Mod(z2, c.q)
	p := c.doubleScalarMultVartime(z1, z2, qx, qy)
	x, _, ok := c.toAffine(&p)
	if !ok {
		return false
	}
	return x.Mod(x, c.q).Cmp(r) == 0
}

// encodeSignature writes LE(r) || LE(s).
func (c *curve) encodeSignature(r, s *big.Int) []byte {
	out := make([]byte, 0, 2*c.size)
	out = append(out, reverse(c.scalarBytes(r))...)
	return append(out, reverse(c.scalarBytes(s))...)
}

// decodeSignature reads LE(r) || LE(s).
func (c *curve) decodeSignature(sig []byte) (r, s *big.Int, ok bool) {
	if len(sig) != 2*c.size {
		return nil, nil, false
	}
	r = new(big.Int).SetBytes(reverse(sig[:c.size]))
	s = new(big.Int).SetBytes(reverse(sig[c.size:]))
	return r, s, true
}

// Sign signs a digest made with the key's hash ([Algorithm.NewHash]; opts
// is ignored, since crypto.Hash has no GOST hashes) and returns the
// signature in NCA's format, LE(r) || LE(s), 2·Size bytes. rand must be a
// cryptographic random source such as crypto/rand.Reader.
func (k *PrivateKey) Sign(rand io.Reader, digest []byte, _ crypto.SignerOpts) ([]byte, error) {
	if rand == nil {
		return nil, errors.New("gost: Sign needs a random source")
	}
	if want := k.Algorithm.NewHash().Size(); len(digest) != want {
		return nil, fmt.Errorf("gost: a %s digest has %d bytes, not %d", k.Algorithm, want, len(digest))
	}
	c := k.Algorithm.curve()
	r, s, err := c.sign(k.d, c.digestToE(digest), rand)
	if err != nil {
		return nil, err
	}
	return c.encodeSignature(r, s), nil
}

// SignMessage hashes msg with the key's hash and signs the digest.
func (k *PrivateKey) SignMessage(rand io.Reader, msg []byte) ([]byte, error) {
	h := k.Algorithm.NewHash()
	h.Write(msg)
	return k.Sign(rand, h.Sum(nil), nil)
}

// VerifyDigest reports whether sig (NCA's LE(r) || LE(s)) is a valid
// signature of digest, a digest made with the key's hash.
func (pub *PublicKey) VerifyDigest(digest, sig []byte) bool {
	if !pub.Algorithm.valid() || pub.X == nil || pub.Y == nil {
		return false
	}
	c := pub.Algorithm.curve()
	r, s, ok := c.decodeSignature(sig)
	if !ok {
		return false
	}
	return c.verify(pub.X, pub.Y, c.digestToE(digest), r, s)
}

// VerifyMessage hashes msg with the key's hash and checks sig over the
// digest.
func (pub *PublicKey) VerifyMessage(msg, sig []byte) bool {
	if !pub.Algorithm.valid() {
		return false
	}
	h := pub.Algorithm.NewHash()
	h.Write(msg)
	return pub.VerifyDigest(h.Sum(nil), sig)
}
