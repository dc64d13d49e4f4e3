// Package gost signs and verifies with the GOST keys of NCA RK, the
// National Certification Authority of Kazakhstan, in pure Go: CMS
// SignedData as NCA's own software (KalkanCrypt) writes it, certificate
// signatures, and the primitives under them.
//
// # Algorithms
//
//   - [GOST2015_512], GOST 34.310-2015 512-bit: the algorithm of
//     GOST R 34.10-2012 on the curve id-tc26-gost-3410-12-512-paramSetA
//     (RFC 7836), hashing with Streebog-512 (GOST R 34.11-2012, RFC 6986).
//     NCA issues only these keys since 2024 (GOST512_*.p12).
//   - [GOST2004], GOST 34.310-2004: the algorithm of GOST R 34.10-2001
//     (RFC 5832) on the curve id-GostR3410-2001-CryptoPro-A-ParamSet
//     (RFC 4357), hashing with GOST 34.311-95, which is GOST R 34.11-94
//     (RFC 5831) with the S-box of its test parameter set. Older
//     legal-entity key sets carry these keys (GOSTKNCA_*.p12).
//
// [NewStreebog512], [NewStreebog256] and [NewGOST94] are the hashes.
//
// # NCA's conventions
//
// Checked against NCA's own data in testdata (NCA's test CA's signatures
// on its certificates, a KalkanCrypt-made CMS, the test keys and their
// certificates):
//
//   - a public key is LE(X) || LE(Y), each coordinate little-endian, in an
//     OCTET STRING inside the SubjectPublicKeyInfo BIT STRING, with the
//     parameters {curve OID, digest OID};
//   - a private key (PKCS #8 in the PKCS #12 key bag) holds, for GOST 2015,
//     an OCTET STRING with the scalar little-endian over 64 bytes, and for
//     GOST 2004 an INTEGER;
//   - a signature is LE(r) || LE(s) over the digest read as a little-endian
//     number (LE(r) || LE(s) is the byte reversal of the big-endian s || r
//     of RFC 4491). In certificates it is the BIT STRING's content, in CMS
//     the SignerInfo's OCTET STRING;
//   - CMS: see [Signer].
//
// The keys come from NCA's PKCS #12 files through the package
// github.com/steppe-sdk/steppe/trueapi/signing/pkcs12 and
// [ParsePKCS8PrivateKey]. Package signing wires this up: its LoadPKCS12
// returns a signer built on [Signer] for GOST keys.
//
// # Side channels
//
// The secret-dependent arithmetic of signing and of public key derivation
// (the scalar multiplications k·G and d·G, and s = r·d + k·e mod q) runs on
// fixed-size 64-bit limbs with Montgomery multiplication written for this
// package, not on math/big: no branch and no memory index depends on a
// secret value, and every operation does the same work whatever its
// operands. The scalar multiplication is a Montgomery ladder over the bit
// length of q whatever the scalar's own length, one complete addition
// (Renes–Costello–Batina) and one doubling per bit, with masked conditional
// swaps, and the base point's projective coordinates randomised for each
// signature.
//
// math/big is not constant time, and is still used where values are public
// or at the edges: parsing and encoding keys and signatures, the digest
// reduction, r = x mod q, verification (whose inputs are all public), and
// the conversions between big.Int and limbs (which copy the secret scalar
// through big.Int.FillBytes and SetBytes, whose running time depends on
// its length in words). The private scalar is kept in a big.Int. Nonces
// are drawn by rejection sampling from crypto/rand. Go offers no way to
// make the compiler's output constant time, nor to wipe memory reliably;
// these measures make timing attacks harder but come with no guarantee,
// and the code has not been reviewed by a third party. Signing keys that
// must resist local side-channel attackers belong in a hardware token
// (NCA's Kaztoken, through KalkanCrypt or NCALayer).
//
// The hashes use table lookups indexed by the data; they hash only public
// data here (messages, signed attributes, certificates).
package gost
