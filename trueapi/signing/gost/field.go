package gost

import (
	"math/big"
	"math/bits"
)

// maxLimbs is the number of 64-bit limbs of the largest modulus (512 bits).
const maxLimbs = 8

// fe is an element of a prime field in Montgomery form (x·R mod m, with
// R = 2^(64n)), as n little-endian 64-bit limbs; limbs n.. are zero.
type fe [maxLimbs]uint64

// field is arithmetic modulo an odd m < 2^(64n), n ≤ maxLimbs, with
// fixed-size limbs and no branches or memory accesses that depend on the
// values: every operation runs the same instructions whatever its
// operands. The secret-dependent arithmetic of signing (the scalar
// multiplication k·G and s = r·d + k·e mod q) runs here rather than in
// math/big, whose running time depends on the values.
type field struct {
	n       int
	m       fe
	mInv    uint64 // -m⁻¹ mod 2^64
	r2      fe     // R² mod m, plain (not Montgomery) form
	one     fe     // 1 in Montgomery form: R mod m
	modulus *big.Int
	mMinus2 *big.Int // Fermat inversion exponent (public)
}

func newField(m *big.Int, n int) *field {
	f := &field{n: n, modulus: new(big.Int).Set(m), mMinus2: new(big.Int).Sub(m, big.NewInt(2))}
	f.m = limbsOf(m, n)
	// -m⁻¹ mod 2^64 by Newton's iteration: x = x·(2 - m0·x) doubles the
	// correct low bits; m0·m0 ≡ 1 mod 8 starts with 3 of them.
	m0 := f.m[0]
	x := m0
	for range 5 {
		x *= 2 - m0*x
	}
	f.mInv = -x
	r := new(big.Int).Lsh(big.NewInt(1), uint(64*n))
	f.one = limbsOf(new(big.Int).Mod(r, m), n)
	f.r2 = limbsOf(new(big.Int).Mod(new(big.Int).Mul(r, r), m), n)
	return f
}

// limbsOf returns x (0 ≤ x < 2^(64n)) as limbs.
func limbsOf(x *big.Int, n int) (z fe) {
	b := x.FillBytes(make([]byte, 8*n))
	for i := range n {
		for j := range 8 {
			z[i] |= uint64(b[8*n-1-8*i-j]) << (8 * j)
		}
	}
	clear(b)
	return z
}

// bigOf returns the limbs as a number.
func bigOf(x *fe, n int) *big.Int {
	b := make([]byte, 8*n)
	for i := range n {
		for j := range 8 {
			b[8*n-1-8*i-j] = byte(x[i] >> (8 * j))
		}
	}
	z := new(big.Int).SetBytes(b)
	clear(b)
	return z
}

// mul sets z = x·y·R⁻¹ mod m (Montgomery multiplication, the CIOS
// method), for x, y < m. z may alias x or y.
func (f *field) mul(z, x, y *fe) {
	n := f.n
	xs, ms := x[:n], f.m[:n]
	var tt [maxLimbs + 2]uint64
	t := tt[:n+2]
	for _, yi := range y[:n] {
		var c, cc uint64
		for j, xj := range xs {
			hi, lo := bits.Mul64(xj, yi)
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			t[j], cc = bits.Add64(lo, c, 0)
			c = hi + cc
		}
		t[n], cc = bits.Add64(t[n], c, 0)
		t[n+1] = cc

		u := t[0] * f.mInv
		hi, lo := bits.Mul64(u, ms[0])
		_, cc = bits.Add64(lo, t[0], 0)
		c = hi + cc
		for j := 1; j < len(ms); j++ {
			hi, lo = bits.Mul64(u, ms[j])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			t[j-1], cc = bits.Add64(lo, c, 0)
			c = hi + cc
		}
		t[n-1], cc = bits.Add64(t[n], c, 0)
		t[n] = t[n+1] + cc
	}
	// t < 2m: subtract m unless that borrows past t[n].
	var d fe
	var borrow uint64
	for j, mj := range ms {
		d[j], borrow = bits.Sub64(t[j], mj, borrow)
	}
	_, borrow = bits.Sub64(t[n], 0, borrow)
	keep := -borrow // all ones: t < m, keep t
	for j := range ms {
		z[j] = t[j]&keep | d[j]&^keep
	}
}

// add sets z = x + y mod m, for x, y < m.
func (f *field) add(z, x, y *fe) {
	n := f.n
	var s, d fe
	var carry, borrow uint64
	for j := range n {
		s[j], carry = bits.Add64(x[j], y[j], carry)
	}
	for j := range n {
		d[j], borrow = bits.Sub64(s[j], f.m[j], borrow)
	}
	// Keep the sum when it did not overflow and subtracting m borrowed.
	keep := -(borrow &^ carry)
	for j := range n {
		z[j] = s[j]&keep | d[j]&^keep
	}
}

// sub sets z = x - y mod m, for x, y < m.
func (f *field) sub(z, x, y *fe) {
	n := f.n
	var d fe
	var borrow, carry uint64
	for j := range n {
		d[j], borrow = bits.Sub64(x[j], y[j], borrow)
	}
	mask := -borrow
	for j := range n {
		z[j], carry = bits.Add64(d[j], f.m[j]&mask, carry)
	}
}

// toMont returns the Montgomery form of x, 0 ≤ x < m.
func (f *field) toMont(x *big.Int) fe {
	z := limbsOf(x, f.n)
	f.mul(&z, &z, &f.r2)
	return z
}

// fromMont returns the number whose Montgomery form is x.
func (f *field) fromMont(x *fe) *big.Int {
	var one, z fe
	one[0] = 1
	f.mul(&z, x, &one)
	defer clear(z[:])
	return bigOf(&z, f.n)
}

// inv sets z = x⁻¹ (x^(m-2), Fermat), or 0 for x = 0. The exponent is
// public; the sequence of operations does not depend on x.
func (f *field) inv(z, x *fe) {
	r := f.one
	base := *x
	e := f.mMinus2
	for i := e.BitLen() - 1; i >= 0; i-- {
		f.mul(&r, &r, &r)
		if e.Bit(i) == 1 {
			f.mul(&r, &r, &base)
		}
	}
	*z = r
}

// isZero returns 1 if x = 0, else 0, without branching on x.
func (f *field) isZero(x *fe) uint64 {
	var acc uint64
	for j := range f.n {
		acc |= x[j]
	}
	// acc | -acc has its top bit set exactly when acc ≠ 0.
	return 1 ^ (acc|-acc)>>63
}

// cswap swaps a and b when bit is 1, and leaves them when it is 0,
// without branching on bit.
func cswap(a, b *fe, bit uint64) {
	mask := -bit
	for j := range maxLimbs {
		t := mask & (a[j] ^ b[j])
		a[j] ^= t
		b[j] ^= t
	}
}
