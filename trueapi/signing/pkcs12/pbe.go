package pkcs12

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
)

// maxIterations bounds iteration counts read from a file, so a hostile file
// cannot make Decode run for hours.
const maxIterations = 10_000_000

var (
	oidPBEWithSHAAnd3KeyTripleDESCBC = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidPBEWithSHAAnd2KeyTripleDESCBC = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 4}
	oidPBEWithSHAAnd128BitRC2CBC     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 5}
	oidPBEWithSHAAnd40BitRC2CBC      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 6}
	oidPBES2                         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2                        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}

	oidHMACWithSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACWithSHA224 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}

	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidDESEDE3CBC = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
)

// decrypter decrypts the encrypted parts of a PKCS#12 file with one
// password, in the two encodings the standards use.
type decrypter struct {
	bmp []byte // BMPString form, for the PKCS#12 PBE schemes
	raw []byte // the password octets as given (UTF-8), for PBES2
}

// decrypt decrypts ciphertext with the algorithm described by the
// AlgorithmIdentifier alg.
func (d *decrypter) decrypt(alg *node, ciphertext []byte) ([]byte, error) {
	f, err := alg.seq("encryption algorithm", 1)
	if err != nil {
		return nil, err
	}
	oid, err := f[0].oid("encryption algorithm")
	if err != nil {
		return nil, err
	}
	var params *node
	if len(f) > 1 {
		params = f[1]
	}
	switch {
	case oid.Equal(oidPBEWithSHAAnd3KeyTripleDESCBC):
		return d.pkcs12PBE(params, ciphertext, 24, des.NewTripleDESCipher)
	case oid.Equal(oidPBEWithSHAAnd2KeyTripleDESCBC):
		return d.pkcs12PBE(params, ciphertext, 16, func(k []byte) (cipher.Block, error) {
			return des.NewTripleDESCipher(append(k[:16:16], k[:8]...))
		})
	case oid.Equal(oidPBEWithSHAAnd128BitRC2CBC):
		return d.pkcs12PBE(params, ciphertext, 16, func(k []byte) (cipher.Block, error) { return newRC2(k, 128) })
	case oid.Equal(oidPBEWithSHAAnd40BitRC2CBC):
		return d.pkcs12PBE(params, ciphertext, 5, func(k []byte) (cipher.Block, error) { return newRC2(k, 40) })
	case oid.Equal(oidPBES2):
		return d.pbes2(params, ciphertext)
	}
	return nil, fmt.Errorf("%w: encryption algorithm %s", ErrUnsupported, oid)
}

// pkcs12PBE decrypts with one of the PKCS#12 password-based schemes
// (RFC 7292 Appendix C): key and IV from the PKCS#12 KDF with SHA-1.
func (d *decrypter) pkcs12PBE(params *node, ciphertext []byte, keyLen int, newCipher func([]byte) (cipher.Block, error)) ([]byte, error) {
	if params == nil {
		return nil, errors.New("pkcs12: malformed PBE parameters: missing")
	}
	f, err := params.seq("PBE parameters", 2)
	if err != nil {
		return nil, err
	}
	salt, err := f[0].octets("PBE salt")
	if err != nil {
		return nil, err
	}
	iterations, err := f[1].int("PBE iterations")
	if err != nil {
		return nil, err
	}
	if err := checkIterations(iterations); err != nil {
		return nil, err
	}
	key := deriveKey(sha1.New, d.bmp, salt, kdfKey, iterations, keyLen)
	block, err := newCipher(key)
	if err != nil {
		return nil, err
	}
	iv := deriveKey(sha1.New, d.bmp, salt, kdfIV, iterations, block.BlockSize())
	return cbcDecrypt(block, iv, ciphertext)
}

// pbes2 decrypts with PBES2 (RFC 8018 §6.2) using PBKDF2.
func (d *decrypter) pbes2(params *node, ciphertext []byte) ([]byte, error) {
	if params == nil {
		return nil, errors.New("pkcs12: malformed PBES2 parameters: missing")
	}
	f, err := params.seq("PBES2 parameters", 2)
	if err != nil {
		return nil, err
	}
	kdf, err := f[0].seq("PBES2 key derivation function", 2)
	if err != nil {
		return nil, err
	}
	kdfOID, err := kdf[0].oid("PBES2 key derivation function")
	if err != nil {
		return nil, err
	}
	if !kdfOID.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("%w: PBES2 key derivation function %s", ErrUnsupported, kdfOID)
	}
	salt, iterations, keyLength, prf, err := parsePBKDF2Params(kdf[1])
	if err != nil {
		return nil, err
	}

	enc, err := f[1].seq("PBES2 encryption scheme", 2)
	if err != nil {
		return nil, err
	}
	encOID, err := enc[0].oid("PBES2 encryption scheme")
	if err != nil {
		return nil, err
	}
	var keyLen int
	newCipher := aes.NewCipher
	switch {
	case encOID.Equal(oidAES128CBC):
		keyLen = 16
	case encOID.Equal(oidAES192CBC):
		keyLen = 24
	case encOID.Equal(oidAES256CBC):
		keyLen = 32
	case encOID.Equal(oidDESEDE3CBC):
		keyLen, newCipher = 24, des.NewTripleDESCipher
	default:
		return nil, fmt.Errorf("%w: PBES2 encryption scheme %s", ErrUnsupported, encOID)
	}
	if keyLength != 0 && keyLength != keyLen {
		return nil, fmt.Errorf("pkcs12: malformed PBKDF2 parameters: key length %d, cipher needs %d", keyLength, keyLen)
	}
	iv, err := enc[1].octets("PBES2 IV")
	if err != nil {
		return nil, err
	}
	key, err := pbkdf2.Key(prf, string(d.raw), salt, iterations, keyLen)
	if err != nil {
		return nil, fmt.Errorf("pkcs12: PBKDF2: %w", err)
	}
	block, err := newCipher(key)
	if err != nil {
		return nil, err
	}
	if len(iv) != block.BlockSize() {
		return nil, errors.New("pkcs12: malformed PBES2 parameters: IV length does not match the cipher")
	}
	return cbcDecrypt(block, iv, ciphertext)
}

// parsePBKDF2Params reads PBKDF2-params (RFC 8018 Appendix A.2). keyLength
// is 0 when absent; prf defaults to HMAC-SHA1.
func parsePBKDF2Params(n *node) (salt []byte, iterations, keyLength int, prf func() hash.Hash, err error) {
	f, err := n.seq("PBKDF2 parameters", 2)
	if err != nil {
		return nil, 0, 0, nil, err
	}
	if !f[0].is(classUniversal, tagOctetString) {
		return nil, 0, 0, nil, fmt.Errorf("%w: PBKDF2 salt from another source", ErrUnsupported)
	}
	if salt, err = f[0].octets("PBKDF2 salt"); err != nil {
		return nil, 0, 0, nil, err
	}
	if iterations, err = f[1].int("PBKDF2 iterations"); err != nil {
		return nil, 0, 0, nil, err
	}
	if err := checkIterations(iterations); err != nil {
		return nil, 0, 0, nil, err
	}
	prf = sha1.New
	rest := f[2:]
	if len(rest) > 0 && rest[0].is(classUniversal, tagInteger) {
		if keyLength, err = rest[0].int("PBKDF2 key length"); err != nil {
			return nil, 0, 0, nil, err
		}
		if keyLength <= 0 {
			return nil, 0, 0, nil, errors.New("pkcs12: malformed PBKDF2 parameters: key length")
		}
		rest = rest[1:]
	}
	if len(rest) > 0 {
		alg, err := rest[0].seq("PBKDF2 PRF", 1)
		if err != nil {
			return nil, 0, 0, nil, err
		}
		oid, err := alg[0].oid("PBKDF2 PRF")
		if err != nil {
			return nil, 0, 0, nil, err
		}
		if prf = hashFor(oid, true); prf == nil {
			return nil, 0, 0, nil, fmt.Errorf("%w: PBKDF2 pseudo-random function %s", ErrUnsupported, oid)
		}
	}
	return salt, iterations, keyLength, prf, nil
}

// shaHashes are the hashes of PKCS #12 files, named by their digest
// algorithm identifier in MacData and by their HMAC identifier as the
// PBKDF2 pseudo-random function (RFC 8018, appendix B.1).
var shaHashes = []struct {
	digest, hmac asn1.ObjectIdentifier
	new          func() hash.Hash
}{
	{oidSHA1, oidHMACWithSHA1, sha1.New},
	{oidSHA224, oidHMACWithSHA224, sha256.New224},
	{oidSHA256, oidHMACWithSHA256, sha256.New},
	{oidSHA384, oidHMACWithSHA384, sha512.New384},
	{oidSHA512, oidHMACWithSHA512, sha512.New},
}

// hashFor returns the hash whose digest identifier (HMAC identifier when
// hmac) is oid, or nil.
func hashFor(oid asn1.ObjectIdentifier, hmac bool) func() hash.Hash {
	for _, h := range shaHashes {
		id := h.digest
		if hmac {
			id = h.hmac
		}
		if id.Equal(oid) {
			return h.new
		}
	}
	return nil
}

// checkIterations rejects iteration counts below 1 or above maxIterations.
func checkIterations(n int) error {
	if n < 1 {
		return fmt.Errorf("pkcs12: invalid iteration count %d", n)
	}
	if n > maxIterations {
		return fmt.Errorf("%w: iteration count %d exceeds %d", ErrUnsupported, n, maxIterations)
	}
	return nil
}

// cbcDecrypt decrypts ciphertext in CBC mode and removes the PKCS#7
// padding. Bad padding means a wrong key, reported as ErrIncorrectPassword.
func cbcDecrypt(block cipher.Block, iv, ciphertext []byte) ([]byte, error) {
	bs := block.BlockSize()
	if len(ciphertext) == 0 || len(ciphertext)%bs != 0 {
		return nil, errors.New("pkcs12: ciphertext is not a whole number of blocks")
	}
	out := make([]byte, len(ciphertext))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, ciphertext)
	return unpad(out, bs)
}

// unpad removes PKCS#7 padding from data, whose length is a non-zero
// multiple of blockSize.
func unpad(data []byte, blockSize int) ([]byte, error) {
	if len(data) == 0 || len(data)%blockSize != 0 {
		return nil, fmt.Errorf("%w: invalid padding", ErrIncorrectPassword)
	}
	p := int(data[len(data)-1])
	if p == 0 || p > blockSize {
		return nil, fmt.Errorf("%w: invalid padding", ErrIncorrectPassword)
	}
	for _, c := range data[len(data)-p:] {
		if int(c) != p {
			return nil, fmt.Errorf("%w: invalid padding", ErrIncorrectPassword)
		}
	}
	return data[:len(data)-p], nil
}
