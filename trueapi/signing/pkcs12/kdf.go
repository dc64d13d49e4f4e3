package pkcs12

import (
	"hash"
	"unicode/utf16"
)

// Purposes of the PKCS#12 key derivation (RFC 7292 Appendix B.3).
const (
	kdfKey = 1 // encryption key
	kdfIV  = 2 // initialisation vector
	kdfMAC = 3 // MAC key
)

// bmpPassword encodes password as a PKCS#12 password: a BMPString (UTF-16,
// big-endian) followed by two zero octets (RFC 7292 Appendix B.1).
func bmpPassword(password string) []byte {
	units := utf16.Encode([]rune(password))
	out := make([]byte, 0, 2*len(units)+2)
	for _, u := range units {
		out = append(out, byte(u>>8), byte(u))
	}
	return append(out, 0, 0)
}

// deriveKey is the PKCS#12 key derivation function (RFC 7292 Appendix B.2):
// it derives size bytes for purpose id from password (already BMP-encoded),
// salt and the iteration count, with hash function h.
func deriveKey(h func() hash.Hash, password, salt []byte, id byte, iterations, size int) []byte {
	hh := h()
	u, v := hh.Size(), hh.BlockSize()

	d := make([]byte, v)
	for i := range d {
		d[i] = id
	}
	// I = S || P, each the input repeated to a multiple of v bytes.
	fill := func(in []byte) []byte {
		if len(in) == 0 {
			return nil
		}
		out := make([]byte, v*((len(in)+v-1)/v))
		for i := range out {
			out[i] = in[i%len(in)]
		}
		return out
	}
	ib := append(fill(salt), fill(password)...)

	out := make([]byte, 0, size+u)
	b := make([]byte, v)
	for len(out) < size {
		hh.Reset()
		hh.Write(d)
		hh.Write(ib)
		a := hh.Sum(nil)
		for r := 1; r < iterations; r++ {
			hh.Reset()
			hh.Write(a)
			a = hh.Sum(a[:0])
		}
		out = append(out, a...)
		if len(out) >= size {
			break
		}
		for i := range b {
			b[i] = a[i%u]
		}
		// Each v-byte block of I becomes (I_j + B + 1) mod 2^(8v).
		for j := 0; j < len(ib); j += v {
			carry := 1
			for k := v - 1; k >= 0; k-- {
				s := int(ib[j+k]) + int(b[k]) + carry
				ib[j+k] = byte(s)
				carry = s >> 8
			}
		}
	}
	return out[:size]
}
