// Package signing produces the CMS signatures the Kazakhstan ISMET True API
// needs: an attached CMS SignedData over the sign-in challenge
// (/auth/simpleSignIn) and detached CMS signatures over documents. It can be
// used on its own.
//
// A [Signer] takes the exact bytes to sign and returns DER. Signers shipped
// here:
//
//   - [RSASigner]: a pure-Go signer for an RSA key and its certificate,
//     writing the structure NCA's own software (KalkanCrypt) writes: SHA-256
//     with NULL parameters, signed attributes contentType, signingTime and
//     messageDigest, sha256WithRSAEncryption with NULL parameters, and the
//     certificate embedded.
//   - [LoadPKCS12] reads NCA key files (BER-encoded PKCS#12, which other Go
//     PKCS#12 packages reject) and picks the authentication or the signing
//     key. For GOST keys (GOST 34.310-2015 512-bit and 34.310-2004) it
//     returns a [GOSTSigner], pure Go (package gost).
//   - [NCANodeSigner]: a client of a user-run NCANode service
//     (POST /cms/sign), which signs with any NCA key, GOST included.
//   - [SignerFunc], to plug in anything else (an HSM, a CLI).
//
// [Verify] checks an RSA or GOST CMS SignedData: a test helper for fakes
// and a cross-check of the signers.
//
// The CMS layout is the one NCA RK's KalkanCrypt produces for the True API
// (a detached or attached SignedData with signingTime, contentType and
// messageDigest attributes); the GOST signers' tests compare it byte for
// byte with a KalkanCrypt signature, the RSA signer's verify it with
// openssl where openssl is installed.
package signing
