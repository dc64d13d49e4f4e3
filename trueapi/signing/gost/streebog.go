package gost

import (
	"encoding/binary"
	"hash"
	"math/bits"
)

// Streebog (GOST R 34.11-2012, RFC 6986) works on 512-bit vectors. Here a
// vector is eight little-endian 64-bit words: word 0 holds bytes 0..7 of
// the byte string, byte 0 being the least significant byte of the vector.
// The RFC prints vectors most significant byte first, so its messages and
// digests read reversed against the byte strings used here (and by every
// byte-oriented implementation, NCA's included).

// streebogLPS[j][v] is l(pi(v) << 8j): the composition L∘P∘S of the
// standard, applied to one byte, precomputed.
var streebogLPS = func() (t [8][256]uint64) {
	for j := range 8 {
		for v := range 256 {
			x := uint64(streebogPi[v]) << (8 * j)
			var r uint64
			for i := range 64 {
				if x>>(63-i)&1 == 1 {
					r ^= streebogA[i]
				}
			}
			t[j][v] = r
		}
	}
	return t
}()

type vec512 = [8]uint64

// lps computes L(P(S(x))). After S and P, byte i of word j lands in byte
// j of word i (P transposes the 8x8 byte matrix), so word i of the result
// is the XOR of the table entries of byte i of every word.
//
// The table lookups are indexed by the data; the package hashes only
// public data (messages, signed attributes, certificates), never keys.
func lps(x vec512) (r vec512) {
	for i := range 8 {
		s := 8 * uint(i)
		r[i] = streebogLPS[0][byte(x[0]>>s)] ^ streebogLPS[1][byte(x[1]>>s)] ^
			streebogLPS[2][byte(x[2]>>s)] ^ streebogLPS[3][byte(x[3]>>s)] ^
			streebogLPS[4][byte(x[4]>>s)] ^ streebogLPS[5][byte(x[5]>>s)] ^
			streebogLPS[6][byte(x[6]>>s)] ^ streebogLPS[7][byte(x[7]>>s)]
	}
	return r
}

func xor512(a, b vec512) (r vec512) {
	for i := range 8 {
		r[i] = a[i] ^ b[i]
	}
	return r
}

// add512 sets a to a + b mod 2^512.
func add512(a *vec512, b vec512) {
	var carry uint64
	for i := range 8 {
		a[i], carry = bits.Add64(a[i], b[i], carry)
	}
}

// streebogG is the compression function g_N(h, m).
func streebogG(n, h, m vec512) vec512 {
	k := lps(xor512(h, n))
	t := m
	for i := range 12 {
		t = lps(xor512(k, t))
		k = lps(xor512(k, streebogC[i]))
	}
	t = xor512(t, k)
	return xor512(xor512(t, h), m)
}

// streebog is a running Streebog-256 or Streebog-512 digest.
type streebog struct {
	size     int // 32 or 64
	h, n, s  vec512
	buf      [64]byte
	buffered int
}

// NewStreebog512 returns a GOST R 34.11-2012 hash with a 512-bit result
// (Streebog-512), the digest of NCA's GOST 2015 keys. Its Sum is the
// digest as a byte string, least significant byte first (RFC 6986 prints
// the same value reversed).
func NewStreebog512() hash.Hash { d := &streebog{size: 64}; d.Reset(); return d }

// NewStreebog256 returns a GOST R 34.11-2012 hash with a 256-bit result
// (Streebog-256).
func NewStreebog256() hash.Hash { d := &streebog{size: 32}; d.Reset(); return d }

func (d *streebog) Size() int      { return d.size }
func (d *streebog) BlockSize() int { return 64 }

func (d *streebog) Reset() {
	var iv uint64
	if d.size == 32 {
		iv = 0x0101010101010101
	}
	for i := range 8 {
		d.h[i], d.n[i], d.s[i] = iv, 0, 0
	}
	d.buffered = 0
}

func (d *streebog) block(b []byte) {
	var m vec512
	for i := range 8 {
		m[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	d.h = streebogG(d.n, d.h, m)
	add512(&d.n, vec512{512})
	add512(&d.s, m)
}

func (d *streebog) Write(p []byte) (int, error) {
	d.buffered = writeBlocks(d.buf[:], d.buffered, p, d.block)
	return len(p), nil
}

func (d *streebog) Sum(in []byte) []byte {
	c := *d // Sum does not change the running state
	var padded [64]byte
	copy(padded[:], c.buf[:c.buffered])
	padded[c.buffered] = 1
	var m vec512
	for i := range 8 {
		m[i] = binary.LittleEndian.Uint64(padded[8*i:])
	}
	c.h = streebogG(c.n, c.h, m)
	add512(&c.n, vec512{uint64(8 * c.buffered)})
	add512(&c.s, m)
	c.h = streebogG(vec512{}, c.h, c.n)
	c.h = streebogG(vec512{}, c.h, c.s)
	var out [64]byte
	for i := range 8 {
		binary.LittleEndian.PutUint64(out[8*i:], c.h[i])
	}
	return append(in, out[64-c.size:]...)
}
