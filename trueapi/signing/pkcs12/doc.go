// Package pkcs12 reads PKCS#12 (PFX) key files, including the BER-encoded
// files with indefinite lengths that NCA RK (Kazakhstan) issues and that
// DER-only readers reject.
//
// [Decode] checks the password-integrity MAC over the authenticated-safe
// content exactly as it is stored, decrypts the key and certificate bags and
// returns the private keys as raw PKCS#8 PrivateKeyInfo (so keys Go cannot
// parse, such as the Kazakh GOST keys, are still returned) together with the
// parsed certificates.
//
// Supported: MAC with SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512 (PKCS#12
// key derivation); bag encryption with pbeWithSHAAnd3-KeyTripleDES-CBC,
// pbeWithSHAAnd2-KeyTripleDES-CBC, pbeWithSHAAnd128BitRC2-CBC,
// pbeWithSHAAnd40BitRC2-CBC and PBES2 (PBKDF2 with HMAC-SHA-1/224/256/384/512
// and AES-128/192/256-CBC or DES-EDE3-CBC); keyBag, pkcs8ShroudedKeyBag,
// certBag (X.509) and nested safeContentsBag. Public-key integrity and
// privacy modes (signedData, envelopedData), PBMAC1 and the RC4 schemes are
// not supported and yield [ErrUnsupported].
package pkcs12
