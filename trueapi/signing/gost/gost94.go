package gost

import (
	"encoding/binary"
	"hash"
	"math/bits"
)

// GOST R 34.11-94 (RFC 5831), which Kazakhstan standardised as
// GOST 34.311-95, with the S-box of the standard's test parameter set
// (id-GostR3411-94-TestParamSet, RFC 4357 section 11.2): NCA's software
// (KalkanCrypt) hashes with this S-box, not with the CryptoPro one. The
// messageDigest of NCA's GOSTKNCA sample CMS proves it (gost_test.go).

// sboxGOST94Test is the S-box of id-GostR3411-94-TestParamSet; row i is
// node K(i+1), which substitutes bits 4i..4i+3 of the 32-bit word.
var sboxGOST94Test = [8][16]byte{
	{4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3},
	{14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9},
	{5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11},
	{7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3},
	{6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2},
	{4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14},
	{13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12},
	{1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12},
}

// gost28147Tables[i][b] is the GOST 28147-89 round function's
// substitution of byte i of the word by value b, shifted into place and
// rotated left by 11 bits, so f(x) is the XOR of four lookups.
var gost28147Tables = func() (t [4][256]uint32) {
	for i := range 4 {
		for b := range 256 {
			x := uint32(sboxGOST94Test[2*i+1][b>>4])<<4 | uint32(sboxGOST94Test[2*i][b&15])
			t[i][b] = bits.RotateLeft32(x<<(8*i), 11)
		}
	}
	return t
}()

func gost28147F(x uint32) uint32 {
	return gost28147Tables[0][byte(x)] ^ gost28147Tables[1][byte(x>>8)] ^
		gost28147Tables[2][byte(x>>16)] ^ gost28147Tables[3][byte(x>>24)]
}

// gost28147Encrypt encrypts one 64-bit block (little-endian, as bytes
// 0..7) under the 256-bit key k (eight little-endian 32-bit words) in the
// simple-substitution mode of GOST 28147-89.
func gost28147Encrypt(k *[8]uint32, block uint64) uint64 {
	n1, n2 := uint32(block), uint32(block>>32)
	for range 3 {
		for j := 0; j < 8; j += 2 {
			n2 ^= gost28147F(n1 + k[j])
			n1 ^= gost28147F(n2 + k[j+1])
		}
	}
	for j := 7; j > 0; j -= 2 {
		n2 ^= gost28147F(n1 + k[j])
		n1 ^= gost28147F(n2 + k[j-1])
	}
	return uint64(n1)<<32 | uint64(n2)
}

type block256 = [32]byte

// gost94C3 is the constant C3 of the key generation, as bytes (least
// significant first).
var gost94C3 = block256{
	0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff,
	0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00,
	0x00, 0xff, 0xff, 0x00, 0xff, 0x00, 0x00, 0xff,
	0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0xff,
}

// gost94A is the transformation A: y4||y3||y2||y1 -> (y1^y2)||y4||y3||y2.
func gost94A(y block256) (r block256) {
	copy(r[:24], y[8:])
	for i := range 8 {
		r[24+i] = y[i] ^ y[8+i]
	}
	return r
}

// gost94P is the byte permutation P: byte t of the result is byte
// 8(t mod 4) + t/4 of the input.
func gost94P(y block256) (r block256) {
	for t := range 32 {
		r[t] = y[8*(t%4)+t/4]
	}
	return r
}

// gost94Psi is the shift register psi on 16-bit words.
func gost94Psi(y *block256) {
	w := func(i int) uint16 { return binary.LittleEndian.Uint16(y[2*i:]) }
	top := w(0) ^ w(1) ^ w(2) ^ w(3) ^ w(12) ^ w(15)
	copy(y[:30], y[2:])
	binary.LittleEndian.PutUint16(y[30:], top)
}

func xor256(a, b block256) (r block256) {
	for i := range 32 {
		r[i] = a[i] ^ b[i]
	}
	return r
}

// add256 sets a to a + b mod 2^256 (little-endian numbers).
func add256(a *block256, b block256) {
	var carry uint64
	for i := 0; i < 32; i += 8 {
		var s uint64
		s, carry = bits.Add64(binary.LittleEndian.Uint64(a[i:]), binary.LittleEndian.Uint64(b[i:]), carry)
		binary.LittleEndian.PutUint64(a[i:], s)
	}
}

// gost94Step is the step function f(H, M) of GOST R 34.11-94.
func gost94Step(h, m block256) block256 {
	var keys [4][8]uint32
	u, v := h, m
	for j := range 4 {
		if j > 0 {
			u = gost94A(u)
			if j == 2 {
				u = xor256(u, gost94C3)
			}
			v = gost94A(gost94A(v))
		}
		k := gost94P(xor256(u, v))
		for i := range 8 {
			keys[j][i] = binary.LittleEndian.Uint32(k[4*i:])
		}
	}
	var s block256
	for i := range 4 {
		binary.LittleEndian.PutUint64(s[8*i:], gost28147Encrypt(&keys[i], binary.LittleEndian.Uint64(h[8*i:])))
	}
	for range 12 {
		gost94Psi(&s)
	}
	s = xor256(s, m)
	gost94Psi(&s)
	s = xor256(s, h)
	for range 61 {
		gost94Psi(&s)
	}
	return s
}

// gost94 is a running GOST R 34.11-94 digest (zero starting vector).
type gost94 struct {
	h, sum   block256
	length   uint64 // bytes hashed, mod 2^64
	buf      block256
	buffered int
}

// NewGOST94 returns a GOST R 34.11-94 (GOST 34.311-95) hash with the
// test parameter set S-box and a zero starting vector: the digest of NCA's
// GOST 34.310-2004 (GOSTKNCA) keys. Its Sum is the 32-byte digest as the
// standard's test vectors print it (RFC 5831 section 7.3.1 with the test
// parameters).
func NewGOST94() hash.Hash { return new(gost94) }

func (d *gost94) Size() int      { return 32 }
func (d *gost94) BlockSize() int { return 32 }
func (d *gost94) Reset()         { *d = gost94{} }

func (d *gost94) block(b []byte) {
	var m block256
	copy(m[:], b)
	d.h = gost94Step(d.h, m)
	add256(&d.sum, m)
}

func (d *gost94) Write(p []byte) (int, error) {
	d.length += uint64(len(p))
	d.buffered = writeBlocks(d.buf[:], d.buffered, p, d.block)
	return len(p), nil
}

// writeBlocks runs block over the bytes of a hash's input in blocks of
// len(buf): first buf, whose first buffered bytes are held from earlier
// writes, topped up from p, then the whole blocks of the rest of p. It
// keeps the tail in buf and returns how many bytes buf holds.
func writeBlocks(buf []byte, buffered int, p []byte, block func([]byte)) int {
	size := len(buf)
	if buffered > 0 {
		c := copy(buf[buffered:], p)
		if buffered += c; buffered < size {
			return buffered
		}
		block(buf)
		p = p[c:]
	}
	for len(p) >= size {
		block(p[:size])
		p = p[size:]
	}
	return copy(buf, p)
}

func (d *gost94) Sum(in []byte) []byte {
	c := *d
	if c.buffered > 0 {
		// The last partial block is padded with zero bits on the
		// significant side: zero bytes after the data.
		var m block256
		copy(m[:], c.buf[:c.buffered])
		c.block(m[:])
	}
	var l block256 // the message length in bits, a 256-bit number
	binary.LittleEndian.PutUint64(l[0:], c.length<<3)
	binary.LittleEndian.PutUint64(l[8:], c.length>>61)
	c.h = gost94Step(c.h, l)
	c.h = gost94Step(c.h, c.sum)
	return append(in, c.h[:]...)
}
