package gost

import (
	"crypto/subtle"
	"errors"
	"io"
	"math/big"
)

// curve is a short Weierstrass curve y² = x³ + ax + b over GF(p) with a
// base point (x, y) of prime order q. Every curve here has cofactor 1,
// which the complete addition formulas below need.
type curve struct {
	name             string
	p, q, a, b, x, y *big.Int
	size             int // bytes of p and q (32 or 64)
	qBits            int // bit length of q: the ladder's fixed length
	fp, fq           *field
	aM, b3M          fe // a and 3b in Montgomery form
}

func mustHex(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("gost: bad constant " + s)
	}
	return n
}

func newCurve(name string, p, q, a, b, x, y *big.Int, size int) *curve {
	c := &curve{name: name, p: p, q: q, a: a, b: b, x: x, y: y, size: size}
	c.qBits = q.BitLen()
	c.fp = newField(p, size/8)
	c.fq = newField(q, size/8)
	c.aM = c.fp.toMont(new(big.Int).Mod(a, p))
	c.b3M = c.fp.toMont(new(big.Int).Mod(new(big.Int).Mul(b, big.NewInt(3)), p))
	return c
}

// curveTC26512A is id-tc26-gost-3410-12-512-paramSetA (RFC 7836 appendix
// A.1; Р 50.1.114-2016): NCA's 1.2.398.3.10.1.1.2.2.1 for GOST 2015
// 512-bit keys. p = 2^512 - 569, a = p - 3.
var curveTC26512A = newCurve("id-tc26-gost-3410-12-512-paramSetA",
	mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"+
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7"),
	mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"+
		"27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275"),
	mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"+
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC4"),
	mustHex("E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265"+
		"EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760"),
	big.NewInt(3),
	mustHex("7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921"+
		"DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4"),
	64)

// curveCryptoProA is id-GostR3410-2001-CryptoPro-A-ParamSet (RFC 4357
// section 11.4): NCA's 1.2.398.3.10.1.1.1.1.1 for GOST 34.310-2004 keys.
// p = 2^256 - 617, a = p - 3, b = 166.
var curveCryptoProA = newCurve("id-GostR3410-2001-CryptoPro-A-ParamSet",
	mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97"),
	mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893"),
	mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94"),
	big.NewInt(166),
	big.NewInt(1),
	mustHex("8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14"),
	32)

// point is a point in homogeneous projective coordinates (X:Y:Z), the
// affine point (X/Z, Y/Z), with coordinates in Montgomery form; the
// neutral element is (0:1:0).
type point struct{ x, y, z fe }

func (c *curve) identity() point { return point{y: c.fp.one} }

// affinePoint returns (x:y:1) for affine coordinates in [0, p).
func (c *curve) affinePoint(x, y *big.Int) point {
	return point{x: c.fp.toMont(x), y: c.fp.toMont(y), z: c.fp.one}
}

// add sets r = p1 + p2 with the complete addition formulas for prime-order
// short Weierstrass curves of Renes, Costello and Batina ("Complete
// addition formulas for prime order elliptic curves", 2016, algorithm 1):
// the same sequence of field operations for every input, doubling and the
// neutral element included. r may alias p1 or p2.
func (c *curve) add(r, p1, p2 *point) {
	f := c.fp
	var t0, t1, t2, t3, t4, t5, x3, y3, z3 fe
	f.mul(&t0, &p1.x, &p2.x)
	f.mul(&t1, &p1.y, &p2.y)
	f.mul(&t2, &p1.z, &p2.z)
	f.add(&t3, &p1.x, &p1.y)
	f.add(&t4, &p2.x, &p2.y)
	f.mul(&t3, &t3, &t4)
	f.add(&t4, &t0, &t1)
	f.sub(&t3, &t3, &t4) // X1Y2 + X2Y1
	f.add(&t4, &p1.x, &p1.z)
	f.add(&t5, &p2.x, &p2.z)
	f.mul(&t4, &t4, &t5)
	f.add(&t5, &t0, &t2)
	f.sub(&t4, &t4, &t5) // X1Z2 + X2Z1
	f.add(&t5, &p1.y, &p1.z)
	f.add(&x3, &p2.y, &p2.z)
	f.mul(&t5, &t5, &x3)
	f.add(&x3, &t1, &t2)
	f.sub(&t5, &t5, &x3) // Y1Z2 + Y2Z1
	f.mul(&z3, &c.aM, &t4)
	f.mul(&x3, &c.b3M, &t2)
	f.add(&z3, &x3, &z3)
	f.sub(&x3, &t1, &z3)
	f.add(&z3, &t1, &z3)
	f.mul(&y3, &x3, &z3)
	f.add(&t1, &t0, &t0)
	f.add(&t1, &t1, &t0)
	f.mul(&t2, &c.aM, &t2)
	f.mul(&t4, &c.b3M, &t4)
	f.add(&t1, &t1, &t2)
	f.sub(&t2, &t0, &t2)
	f.mul(&t2, &c.aM, &t2)
	f.add(&t4, &t4, &t2)
	f.mul(&t0, &t1, &t4)
	f.add(&y3, &y3, &t0)
	f.mul(&t0, &t5, &t4)
	f.mul(&x3, &t3, &x3)
	f.sub(&x3, &x3, &t0)
	f.mul(&t0, &t3, &t1)
	f.mul(&z3, &t5, &z3)
	f.add(&z3, &z3, &t0)
	r.x, r.y, r.z = x3, y3, z3
}

// toAffine returns the affine coordinates of q, or ok = false for the
// neutral element. The inversion is Fermat's (z^(p-2)).
func (c *curve) toAffine(q *point) (x, y *big.Int, ok bool) {
	f := c.fp
	if f.isZero(&q.z) == 1 {
		return nil, nil, false
	}
	var inv, ax, ay fe
	f.inv(&inv, &q.z)
	f.mul(&ax, &q.x, &inv)
	f.mul(&ay, &q.y, &inv)
	return f.fromMont(&ax), f.fromMont(&ay), true
}

// scalarBytes returns k as exactly c.size big-endian bytes; k must be in
// [0, 2^(8*size)).
func (c *curve) scalarBytes(k *big.Int) []byte {
	return k.FillBytes(make([]byte, c.size))
}

// scalarMult returns k·(x, y) for a secret scalar k in [0, q): a
// Montgomery ladder over a fixed number of bits (the bit length of q,
// whatever the length of k), one complete addition and one doubling per
// bit, the ladder's points exchanged by a masked conditional swap; the
// field arithmetic is fixed-size and branch-free (field.go). With rand
// not nil, the input point's projective representation is randomised
// with a random λ: (λx : λy : λ).
func (c *curve) scalarMult(k, x, y *big.Int, rand io.Reader) (point, error) {
	kb := c.scalarBytes(k)
	defer clear(kb)
	r0, r1 := c.identity(), c.affinePoint(x, y)
	if rand != nil {
		lambda, err := randomScalar(rand, c.p)
		if err != nil {
			return point{}, err
		}
		l := c.fp.toMont(lambda)
		lambda.SetInt64(0)
		c.fp.mul(&r1.x, &r1.x, &l)
		c.fp.mul(&r1.y, &r1.y, &l)
		r1.z = l
	}
	var swap uint64
	for i := c.qBits - 1; i >= 0; i-- {
		bit := uint64(kb[len(kb)-1-i/8]>>(uint(i)%8)) & 1
		swap ^= bit
		cswap(&r0.x, &r1.x, swap)
		cswap(&r0.y, &r1.y, swap)
		cswap(&r0.z, &r1.z, swap)
		swap = bit
		c.add(&r1, &r0, &r1)
		c.add(&r0, &r0, &r0)
	}
	cswap(&r0.x, &r1.x, swap)
	cswap(&r0.y, &r1.y, swap)
	cswap(&r0.z, &r1.z, swap)
	return r0, nil
}

// doubleScalarMultVartime returns u1·G + u2·(x, y), in variable time: it
// is for verification, whose inputs are all public.
func (c *curve) doubleScalarMultVartime(u1, u2, x, y *big.Int) point {
	g := c.affinePoint(c.x, c.y)
	q := c.affinePoint(x, y)
	var gq point
	c.add(&gq, &g, &q)
	table := [4]*point{nil, &g, &q, &gq}
	r := c.identity()
	for i := max(u1.BitLen(), u2.BitLen()) - 1; i >= 0; i-- {
		c.add(&r, &r, &r)
		if j := u1.Bit(i) | u2.Bit(i)<<1; j != 0 {
			c.add(&r, &r, table[j])
		}
	}
	return r
}

// isOnCurve reports whether (x, y) is an affine point of the curve with
// coordinates in [0, p).
func (c *curve) isOnCurve(x, y *big.Int) bool {
	if x.Sign() < 0 || y.Sign() < 0 || x.Cmp(c.p) >= 0 || y.Cmp(c.p) >= 0 {
		return false
	}
	lhs := new(big.Int).Mul(y, y)
	lhs.Mod(lhs, c.p)
	rhs := new(big.Int).Mul(x, x)
	rhs.Add(rhs, c.a)
	rhs.Mul(rhs, x)
	rhs.Add(rhs, c.b)
	rhs.Mod(rhs, c.p)
	return lhs.Cmp(rhs) == 0
}

// randomScalar returns a uniformly random integer in [1, n-1], drawing
// bit strings of n's length until one falls in range.
func randomScalar(rand io.Reader, n *big.Int) (*big.Int, error) {
	bitLen := n.BitLen()
	buf := make([]byte, (bitLen+7)/8)
	defer clear(buf)
	k := new(big.Int)
	for range 100 {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, errors.Join(errors.New("gost: reading random bytes"), err)
		}
		buf[0] &= byte(0xff >> (8*len(buf) - bitLen))
		k.SetBytes(buf)
		if k.Sign() > 0 && k.Cmp(n) < 0 {
			return k, nil
		}
	}
	return nil, errors.New("gost: the random source gives no number in range")
}

// reverse returns a reversed copy of b: NCA writes numbers little-endian.
func reverse(b []byte) []byte {
	r := make([]byte, len(b))
	for i, v := range b {
		r[len(b)-1-i] = v
	}
	return r
}

// equalBytes compares in constant time (for key comparisons).
func equalBytes(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }
