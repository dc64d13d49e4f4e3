package pkcs12

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"hash"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Test-only encoders: tlv writes a definite-length element, indef an
// indefinite-length one.

func tlv(tag byte, parts ...[]byte) []byte {
	var content []byte
	for _, p := range parts {
		content = append(content, p...)
	}
	n := len(content)
	out := []byte{tag}
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x100:
		out = append(out, 0x81, byte(n))
	default:
		out = append(out, 0x82, byte(n>>8), byte(n))
	}
	return append(out, content...)
}

func indef(tag byte, parts ...[]byte) []byte {
	out := []byte{tag, 0x80}
	for _, p := range parts {
		out = append(out, p...)
	}
	return append(out, 0, 0)
}

func der(t testing.TB, v any) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	require.NoError(t, err)
	return b
}

func seqOf(parts ...[]byte) []byte    { return tlv(0x30, parts...) }
func setOf(parts ...[]byte) []byte    { return tlv(0x31, parts...) }
func ctx0(parts ...[]byte) []byte     { return tlv(0xa0, parts...) }
func octet(b []byte) []byte           { return tlv(0x04, b) }
func bmp(s string) []byte             { return tlv(0x1e, bmpPassword(s)[:2*len(s)]) }
func algID(oid, params []byte) []byte { return seqOf(oid, params) }

// fixture is a key and certificate generated for the synthetic tests.
type fixture struct {
	key  *ecdsa.PrivateKey
	p8   []byte
	cert []byte
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p8, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "pkcs12 test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return fixture{key: key, p8: p8, cert: cert}
}

// builder assembles PKCS#12 files for tests.
type builder struct {
	t        testing.TB
	password string
	noPad    bool // encrypt the (block-aligned) plaintext without padding
	nullPW   bool // encode the password as no octets at all, not as a BMPString
}

func (b builder) pad(plain []byte, bs int) []byte {
	if b.noPad {
		return plain
	}
	p := bs - len(plain)%bs
	out := append([]byte(nil), plain...)
	for range p {
		out = append(out, byte(p))
	}
	return out
}

func (b builder) cbc(block cipher.Block, iv, plain []byte) []byte {
	in := b.pad(plain, block.BlockSize())
	out := make([]byte, len(in))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, in)
	return out
}

var testSalt = []byte("0123456789abcdef")

// pbe encrypts with a PKCS#12 PBE scheme and returns the AlgorithmIdentifier
// and the ciphertext.
func (b builder) pbe(oid asn1.ObjectIdentifier, plain []byte) (alg, ct []byte) {
	const iter = 3
	pw := bmpPassword(b.password)
	if b.nullPW {
		pw = nil
	}
	var block cipher.Block
	var err error
	switch {
	case oid.Equal(oidPBEWithSHAAnd3KeyTripleDESCBC):
		block, err = des.NewTripleDESCipher(deriveKey(sha1.New, pw, testSalt, kdfKey, iter, 24))
	case oid.Equal(oidPBEWithSHAAnd2KeyTripleDESCBC):
		k := deriveKey(sha1.New, pw, testSalt, kdfKey, iter, 16)
		block, err = des.NewTripleDESCipher(append(k, k[:8]...))
	case oid.Equal(oidPBEWithSHAAnd128BitRC2CBC):
		block, err = newRC2(deriveKey(sha1.New, pw, testSalt, kdfKey, iter, 16), 128)
	case oid.Equal(oidPBEWithSHAAnd40BitRC2CBC):
		block, err = newRC2(deriveKey(sha1.New, pw, testSalt, kdfKey, iter, 5), 40)
	default:
		b.t.Fatalf("no test encrypter for %s", oid)
	}
	require.NoError(b.t, err)
	iv := deriveKey(sha1.New, pw, testSalt, kdfIV, iter, 8)
	return algID(der(b.t, oid), seqOf(octet(testSalt), der(b.t, iter))), b.cbc(block, iv, plain)
}

// pbes2 encrypts with PBES2; prf may be nil (default HMAC-SHA1).
func (b builder) pbes2(prf asn1.ObjectIdentifier, h func() hash.Hash, enc asn1.ObjectIdentifier, keyLen int, writeKeyLen bool, plain []byte) (alg, ct []byte) {
	const iter = 5
	key, err := pbkdf2.Key(h, b.password, testSalt, iter, keyLen)
	require.NoError(b.t, err)
	var block cipher.Block
	if enc.Equal(oidDESEDE3CBC) {
		block, err = des.NewTripleDESCipher(key)
	} else {
		block, err = aes.NewCipher(key)
	}
	require.NoError(b.t, err)
	iv := testSalt[:block.BlockSize()]
	kdfParams := [][]byte{octet(testSalt), der(b.t, iter)}
	if writeKeyLen {
		kdfParams = append(kdfParams, der(b.t, keyLen))
	}
	if prf != nil {
		kdfParams = append(kdfParams, algID(der(b.t, prf), []byte{5, 0}))
	}
	alg = algID(der(b.t, oidPBES2), seqOf(
		algID(der(b.t, oidPBKDF2), seqOf(kdfParams...)),
		algID(der(b.t, enc), octet(iv)),
	))
	return alg, b.cbc(block, iv, plain)
}

func attrs(localKeyID []byte, name string) []byte {
	var a [][]byte
	if localKeyID != nil {
		a = append(a, seqOf(derOID(oidLocalKeyID), setOf(octet(localKeyID))))
	}
	if name != "" {
		a = append(a, seqOf(derOID(oidFriendlyName), setOf(bmp(name))))
	}
	a = append(a, seqOf(derOID(asn1.ObjectIdentifier{1, 2, 3}), setOf([]byte{5, 0})))
	return setOf(a...)
}

func derOID(oid asn1.ObjectIdentifier) []byte {
	b, err := asn1.Marshal(oid)
	if err != nil {
		panic(err)
	}
	return b
}

func keyBag(p8, attributes []byte) []byte {
	return seqOf(derOID(oidKeyBag), ctx0(p8), attributes)
}

func shroudedKeyBag(alg, ct, attributes []byte) []byte {
	return seqOf(derOID(oidShroudedKeyBag), ctx0(seqOf(alg, octet(ct))), attributes)
}

func certBag(cert, attributes []byte) []byte {
	return seqOf(derOID(oidCertBag), ctx0(seqOf(derOID(oidX509Certificate), ctx0(octet(cert)))), attributes)
}

func dataInfo(safeContents []byte) []byte {
	return seqOf(derOID(oidData), ctx0(octet(safeContents)))
}

func encryptedInfo(alg, ct []byte) []byte {
	return seqOf(derOID(oidEncryptedData), ctx0(seqOf([]byte{2, 1, 0},
		seqOf(derOID(oidData), alg, tlv(0x80, ct)))))
}

// pfx wraps the AuthenticatedSafe encoding authSafe in a PFX with a MAC
// computed with h over the password encoding macPW (nil: no MacData).
func pfx(t testing.TB, authSafe []byte, h func() hash.Hash, hashOID asn1.ObjectIdentifier, macPW []byte) []byte {
	t.Helper()
	parts := [][]byte{der(t, 3), seqOf(derOID(oidData), ctx0(octet(authSafe)))}
	if h != nil {
		const iter = 7
		mac := hmac.New(h, deriveKey(h, macPW, testSalt, kdfMAC, iter, h().Size()))
		mac.Write(authSafe)
		parts = append(parts, seqOf(seqOf(algID(derOID(hashOID), []byte{5, 0}), octet(mac.Sum(nil))), octet(testSalt), der(t, iter)))
	}
	return seqOf(parts...)
}

func TestDecodeSynthetic(t *testing.T) {
	fx := newFixture(t)
	const pw = "pässwörd-😀"
	bl := builder{t: t, password: pw}

	keyAlg, keyCT := bl.pbe(oidPBEWithSHAAnd2KeyTripleDESCBC, fx.p8)
	certAlg, certCT := bl.pbe(oidPBEWithSHAAnd128BitRC2CBC, seqOf(certBag(fx.cert, attrs([]byte{1}, "cert"))))
	nested := seqOf(derOID(oidSafeContentsBag), ctx0(seqOf(
		keyBag(fx.p8, attrs([]byte{2}, "plain")),
		// A certBag of another type and a secretBag are skipped.
		seqOf(derOID(oidCertBag), ctx0(seqOf(derOID(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 2}), ctx0(octet([]byte("x")))))),
		seqOf(derOID(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 5}), ctx0(octet([]byte("secret")))),
	)))
	authSafe := seqOf(
		dataInfo(seqOf(shroudedKeyBag(keyAlg, keyCT, attrs([]byte{1}, "key")), nested)),
		encryptedInfo(certAlg, certCT),
	)
	data := pfx(t, authSafe, sha256.New, oidSHA256, bmpPassword(pw))

	b, err := Decode(data, pw)
	require.NoError(t, err)
	require.Len(t, b.Keys, 2)
	require.Len(t, b.Certificates, 1)
	assert.Equal(t, fx.cert, b.Certificates[0].Raw)
	for i, k := range b.Keys {
		assert.Equal(t, fx.p8, k.PKCS8)
		assert.True(t, k.Algorithm.Equal(asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}), "key %d: %s", i, k.Algorithm)
		c := b.CertificateFor(k)
		require.NotNil(t, c, "key %d", i)
		assert.Equal(t, fx.cert, c.Raw)
	}
	assert.Equal(t, []byte{1}, b.Keys[0].LocalKeyID)
	assert.Equal(t, "key", b.Keys[0].FriendlyName)
	assert.Equal(t, []byte{2}, b.Keys[1].LocalKeyID, "found by public key")
	assert.Equal(t, "plain", b.Keys[1].FriendlyName)

	_, err = Decode(data, "wrong")
	assert.ErrorIs(t, err, ErrIncorrectPassword)

	// A key that matches no certificate.
	other := newFixture(t)
	assert.Nil(t, b.CertificateFor(Key{PKCS8: other.p8}))
}

// TestDecodeBERChunkedAuthSafe checks that the MAC covers the concatenated
// chunks of a constructed, indefinite-length authSafe OCTET STRING.
func TestDecodeBERChunkedAuthSafe(t *testing.T) {
	fx := newFixture(t)
	bl := builder{t: t, password: "pw"}
	alg, ct := bl.pbe(oidPBEWithSHAAnd3KeyTripleDESCBC, fx.p8)
	certAlg, certCT := bl.pbe(oidPBEWithSHAAnd40BitRC2CBC, seqOf(certBag(fx.cert, nil)))
	authSafe := indef(0x30,
		indef(0x30, derOID(oidData), indef(0xa0, indef(0x24, octet(seqOf(shroudedKeyBag(alg, ct, attrs([]byte{9}, ""))))))),
		indef(0x30, derOID(oidEncryptedData), indef(0xa0, indef(0x30, []byte{2, 1, 0},
			indef(0x30, derOID(oidData), certAlg, indef(0xa0, octet(certCT[:8]), octet(certCT[8:])))))),
	)
	mac := hmac.New(sha1.New, deriveKey(sha1.New, bmpPassword("pw"), testSalt, kdfMAC, 1, 20))
	mac.Write(authSafe)
	split := len(authSafe) / 3
	data := indef(0x30,
		der(t, 3),
		indef(0x30, derOID(oidData), indef(0xa0, indef(0x24, octet(authSafe[:split]), octet(authSafe[split:])))),
		// Iterations absent: the default is 1.
		seqOf(seqOf(algID(derOID(oidSHA1), nil), octet(mac.Sum(nil))), octet(testSalt)),
	)

	b, err := Decode(data, "pw")
	require.NoError(t, err)
	require.Len(t, b.Keys, 1)
	require.Len(t, b.Certificates, 1)
	assert.Equal(t, fx.p8, b.Keys[0].PKCS8)
	assert.Equal(t, []byte{9}, b.Keys[0].LocalKeyID)
	assert.Equal(t, fx.cert, b.CertificateFor(b.Keys[0]).Raw)
}

func TestDecodePBES2(t *testing.T) {
	fx := newFixture(t)
	bl := builder{t: t, password: "secret"}
	tests := []struct {
		name        string
		prf         asn1.ObjectIdentifier
		h           func() hash.Hash
		enc         asn1.ObjectIdentifier
		keyLen      int
		writeKeyLen bool
	}{
		{"default PRF AES-128", nil, sha1.New, oidAES128CBC, 16, false},
		{"SHA-1 AES-192", oidHMACWithSHA1, sha1.New, oidAES192CBC, 24, true},
		{"SHA-224 AES-256", oidHMACWithSHA224, sha256.New224, oidAES256CBC, 32, false},
		{"SHA-256 AES-256", oidHMACWithSHA256, sha256.New, oidAES256CBC, 32, true},
		{"SHA-384 3DES", oidHMACWithSHA384, sha512.New384, oidDESEDE3CBC, 24, false},
		{"SHA-512 AES-128", oidHMACWithSHA512, sha512.New, oidAES128CBC, 16, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alg, ct := bl.pbes2(tt.prf, tt.h, tt.enc, tt.keyLen, tt.writeKeyLen, fx.p8)
			data := pfx(t, seqOf(dataInfo(seqOf(shroudedKeyBag(alg, ct, nil)))), sha1.New, oidSHA1, bmpPassword("secret"))
			b, err := Decode(data, "secret")
			require.NoError(t, err)
			require.Len(t, b.Keys, 1)
			assert.Equal(t, fx.p8, b.Keys[0].PKCS8)
		})
	}
}

func TestDecodeMACHashes(t *testing.T) {
	fx := newFixture(t)
	bl := builder{t: t, password: "pw"}
	alg, ct := bl.pbe(oidPBEWithSHAAnd3KeyTripleDESCBC, fx.p8)
	authSafe := seqOf(dataInfo(seqOf(shroudedKeyBag(alg, ct, nil))))
	for _, tt := range []struct {
		oid asn1.ObjectIdentifier
		h   func() hash.Hash
	}{
		{oidSHA1, sha1.New}, {oidSHA224, sha256.New224}, {oidSHA256, sha256.New},
		{oidSHA384, sha512.New384}, {oidSHA512, sha512.New},
	} {
		data := pfx(t, authSafe, tt.h, tt.oid, bmpPassword("pw"))
		b, err := Decode(data, "pw")
		require.NoError(t, err, "MAC %s", tt.oid)
		assert.Len(t, b.Keys, 1)
		_, err = Decode(data, "pW")
		assert.ErrorIs(t, err, ErrIncorrectPassword, "MAC %s", tt.oid)
	}
}

func TestDecodeNoMACAndEmptyPassword(t *testing.T) {
	fx := newFixture(t)
	// No MacData: the bag decryption alone tells a wrong password.
	bl := builder{t: t, password: "pw"}
	alg, ct := bl.pbe(oidPBEWithSHAAnd3KeyTripleDESCBC, fx.p8)
	data := pfx(t, seqOf(dataInfo(seqOf(shroudedKeyBag(alg, ct, nil)))), nil, nil, nil)
	b, err := Decode(data, "pw")
	require.NoError(t, err)
	assert.Len(t, b.Keys, 1)
	_, err = Decode(data, "not the password")
	assert.ErrorIs(t, err, ErrIncorrectPassword)

	// Empty password, as two zero octets or (some writers) no octets at
	// all; the form that verifies the MAC also decrypts the bags.
	for _, macPW := range [][]byte{nil, bmpPassword("")} {
		bl = builder{t: t, password: "", nullPW: macPW == nil}
		alg, ct = bl.pbe(oidPBEWithSHAAnd3KeyTripleDESCBC, fx.p8)
		data = pfx(t, seqOf(dataInfo(seqOf(shroudedKeyBag(alg, ct, nil)))), sha1.New, oidSHA1, macPW)
		b, err = Decode(data, "")
		require.NoError(t, err)
		assert.Len(t, b.Keys, 1)
	}
}

func TestDecodeErrors(t *testing.T) {
	fx := newFixture(t)
	const pw = "Sup3r-Secret-Pass"
	bl := builder{t: t, password: pw}
	null := []byte{5, 0}
	withMAC := func(authSafe []byte) []byte { return pfx(t, authSafe, sha1.New, oidSHA1, bmpPassword(pw)) }
	keyInfo := func(alg, ct []byte) []byte { return withMAC(seqOf(dataInfo(seqOf(shroudedKeyBag(alg, ct, nil))))) }
	goodAlg, goodCT := bl.pbe(oidPBEWithSHAAnd3KeyTripleDESCBC, fx.p8)
	badPadAlg, badPadCT := builder{t: t, password: pw, noPad: true}.pbe(oidPBEWithSHAAnd3KeyTripleDESCBC, make([]byte, 16))
	pbes2 := func(kdf, enc []byte) []byte { return algID(derOID(oidPBES2), seqOf(kdf, enc)) }
	pbkdf2Alg := func(params ...[]byte) []byte { return algID(derOID(oidPBKDF2), seqOf(params...)) }
	aesAlg := algID(derOID(oidAES128CBC), octet(make([]byte, 16)))
	garbageAlg, garbageCT := bl.pbe(oidPBEWithSHAAnd3KeyTripleDESCBC, []byte("not a key"))
	garbageCertAlg, garbageCertCT := bl.pbe(oidPBEWithSHAAnd40BitRC2CBC, seqOf(certBag([]byte{0x30, 0}, nil)))

	tests := []struct {
		name        string
		data        []byte
		unsupported bool
		incorrect   bool
	}{
		{name: "not a sequence", data: octet(nil)},
		{name: "version 2", data: seqOf(der(t, 2), dataInfo(seqOf())), unsupported: true},
		{name: "version not integer", data: seqOf(null, dataInfo(seqOf()))},
		{name: "signedData", data: seqOf(der(t, 3), seqOf(derOID(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}), ctx0(seqOf()))), unsupported: true},
		{name: "authSafe without content", data: seqOf(der(t, 3), seqOf(derOID(oidData)))},
		{name: "authSafe content not octets", data: seqOf(der(t, 3), seqOf(derOID(oidData), ctx0(null)))},
		{name: "authSafe bad content type", data: seqOf(der(t, 3), seqOf(null, ctx0(null)))},
		{name: "authSafe bad explicit", data: seqOf(der(t, 3), seqOf(derOID(oidData), tlv(0xa1, null)))},
		{name: "MAC MD5", data: seqOf(der(t, 3), dataInfo(seqOf()), seqOf(seqOf(algID(derOID(asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 5}), null), octet(nil)), octet(testSalt))), unsupported: true},
		{name: "MAC iterations too large", data: seqOf(der(t, 3), dataInfo(seqOf()), seqOf(seqOf(algID(derOID(oidSHA1), null), octet(nil)), octet(testSalt), der(t, maxIterations+1))), unsupported: true},
		{name: "MAC iterations zero", data: seqOf(der(t, 3), dataInfo(seqOf()), seqOf(seqOf(algID(derOID(oidSHA1), null), octet(nil)), octet(testSalt), der(t, 0)))},
		{name: "MAC iterations not integer", data: seqOf(der(t, 3), dataInfo(seqOf()), seqOf(seqOf(algID(derOID(oidSHA1), null), octet(nil)), octet(testSalt), null))},
		{name: "MAC salt not octets", data: seqOf(der(t, 3), dataInfo(seqOf()), seqOf(seqOf(algID(derOID(oidSHA1), null), octet(nil)), null))},
		{name: "MAC digest not octets", data: seqOf(der(t, 3), dataInfo(seqOf()), seqOf(seqOf(algID(derOID(oidSHA1), null), null), octet(testSalt)))},
		{name: "MAC algorithm not OID", data: seqOf(der(t, 3), dataInfo(seqOf()), seqOf(seqOf(algID(null, null), octet(nil)), octet(testSalt)))},
		{name: "MAC algorithm not sequence", data: seqOf(der(t, 3), dataInfo(seqOf()), seqOf(seqOf(null, octet(nil)), octet(testSalt)))},
		{name: "MAC DigestInfo not sequence", data: seqOf(der(t, 3), dataInfo(seqOf()), seqOf(null, octet(testSalt)))},
		{name: "MacData not sequence", data: seqOf(der(t, 3), dataInfo(seqOf()), null)},
		{name: "MAC mismatch", data: seqOf(der(t, 3), dataInfo(seqOf()), seqOf(seqOf(algID(derOID(oidSHA1), null), octet(make([]byte, 20))), octet(testSalt))), incorrect: true},
		{name: "authSafe not BER", data: withMAC([]byte{0x30})},
		{name: "authSafe not sequence", data: withMAC(null)},
		{name: "envelopedData", data: withMAC(seqOf(seqOf(derOID(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 3}), ctx0(seqOf())))), unsupported: true},
		{name: "entry not ContentInfo", data: withMAC(seqOf(null))},
		{name: "SafeContents not BER", data: withMAC(seqOf(dataInfo([]byte{0x30, 0x05})))},
		{name: "SafeContents not sequence", data: withMAC(seqOf(dataInfo(null)))},
		{name: "bag not sequence", data: withMAC(seqOf(dataInfo(seqOf(null))))},
		{name: "bag type not OID", data: withMAC(seqOf(dataInfo(seqOf(seqOf(null, ctx0(null))))))},
		{name: "bag value not explicit", data: withMAC(seqOf(dataInfo(seqOf(seqOf(derOID(oidKeyBag), null)))))},
		{name: "attributes not set", data: withMAC(seqOf(dataInfo(seqOf(keyBag(fx.p8, null)))))},
		{name: "attribute not sequence", data: withMAC(seqOf(dataInfo(seqOf(keyBag(fx.p8, setOf(null))))))},
		{name: "attribute type not OID", data: withMAC(seqOf(dataInfo(seqOf(keyBag(fx.p8, setOf(seqOf(null, setOf(null))))))))},
		{name: "attribute values not set", data: withMAC(seqOf(dataInfo(seqOf(keyBag(fx.p8, setOf(seqOf(derOID(oidLocalKeyID), null)))))))},
		{name: "localKeyId not octets", data: withMAC(seqOf(dataInfo(seqOf(keyBag(fx.p8, setOf(seqOf(derOID(oidLocalKeyID), setOf(null))))))))},
		{name: "localKeyId bad chunks", data: withMAC(seqOf(dataInfo(seqOf(keyBag(fx.p8, setOf(seqOf(derOID(oidLocalKeyID), setOf(tlv(0x24, null)))))))))},
		{name: "friendlyName not BMP", data: withMAC(seqOf(dataInfo(seqOf(keyBag(fx.p8, setOf(seqOf(derOID(oidFriendlyName), setOf(octet(nil)))))))))},
		{name: "friendlyName odd", data: withMAC(seqOf(dataInfo(seqOf(keyBag(fx.p8, setOf(seqOf(derOID(oidFriendlyName), setOf(tlv(0x1e, []byte{0})))))))))},
		{name: "friendlyName bad chunks", data: withMAC(seqOf(dataInfo(seqOf(keyBag(fx.p8, setOf(seqOf(derOID(oidFriendlyName), setOf(tlv(0x3e, octet(nil))))))))))},
		{name: "keyBag garbage", data: withMAC(seqOf(dataInfo(seqOf(keyBag(octet(nil), nil)))))},
		{name: "keyBag short", data: withMAC(seqOf(dataInfo(seqOf(keyBag(seqOf(der(t, 0)), nil)))))},
		{name: "keyBag algorithm not sequence", data: withMAC(seqOf(dataInfo(seqOf(keyBag(seqOf(der(t, 0), null, octet(nil)), nil)))))},
		{name: "keyBag algorithm not OID", data: withMAC(seqOf(dataInfo(seqOf(keyBag(seqOf(der(t, 0), seqOf(null), octet(nil)), nil)))))},
		{name: "shrouded not sequence", data: withMAC(seqOf(dataInfo(seqOf(seqOf(derOID(oidShroudedKeyBag), ctx0(null))))))},
		{name: "shrouded data not octets", data: withMAC(seqOf(dataInfo(seqOf(seqOf(derOID(oidShroudedKeyBag), ctx0(seqOf(goodAlg, null)))))))},
		{name: "shrouded decrypts to garbage", data: keyInfo(garbageAlg, garbageCT)},
		{name: "bad padding", data: keyInfo(badPadAlg, badPadCT), incorrect: true},
		{name: "partial block", data: keyInfo(goodAlg, goodCT[:len(goodCT)-1])},
		{name: "empty ciphertext", data: keyInfo(goodAlg, nil)},
		{name: "RC4", data: keyInfo(algID(derOID(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 1}), seqOf(octet(testSalt), der(t, 1))), goodCT), unsupported: true},
		{name: "algorithm not sequence", data: keyInfo(null, goodCT)},
		{name: "algorithm not OID", data: keyInfo(seqOf(null), goodCT)},
		{name: "PBE without params", data: keyInfo(seqOf(derOID(oidPBEWithSHAAnd3KeyTripleDESCBC)), goodCT)},
		{name: "PBE params not sequence", data: keyInfo(algID(derOID(oidPBEWithSHAAnd3KeyTripleDESCBC), null), goodCT)},
		{name: "PBE salt not octets", data: keyInfo(algID(derOID(oidPBEWithSHAAnd3KeyTripleDESCBC), seqOf(null, der(t, 1))), goodCT)},
		{name: "PBE iterations not integer", data: keyInfo(algID(derOID(oidPBEWithSHAAnd3KeyTripleDESCBC), seqOf(octet(testSalt), null)), goodCT)},
		{name: "PBE iterations negative", data: keyInfo(algID(derOID(oidPBEWithSHAAnd3KeyTripleDESCBC), seqOf(octet(testSalt), der(t, -1))), goodCT)},
		{name: "PBES2 without params", data: keyInfo(seqOf(derOID(oidPBES2)), goodCT)},
		{name: "PBES2 params not sequence", data: keyInfo(algID(derOID(oidPBES2), null), goodCT)},
		{name: "PBES2 KDF not sequence", data: keyInfo(pbes2(null, aesAlg), goodCT)},
		{name: "PBES2 KDF not OID", data: keyInfo(pbes2(seqOf(null, null), aesAlg), goodCT)},
		{name: "PBES2 scrypt", data: keyInfo(pbes2(algID(derOID(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}), seqOf()), aesAlg), goodCT), unsupported: true},
		{name: "PBKDF2 params not sequence", data: keyInfo(pbes2(algID(derOID(oidPBKDF2), null), aesAlg), goodCT)},
		{name: "PBKDF2 other salt source", data: keyInfo(pbes2(pbkdf2Alg(seqOf(null), der(t, 1)), aesAlg), goodCT), unsupported: true},
		{name: "PBKDF2 salt bad chunks", data: keyInfo(pbes2(pbkdf2Alg(tlv(0x24, null), der(t, 1)), aesAlg), goodCT)},
		{name: "PBKDF2 iterations not integer", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), null), aesAlg), goodCT)},
		{name: "PBKDF2 iterations zero", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 0)), aesAlg), goodCT)},
		{name: "PBKDF2 key length zero", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1), der(t, 0)), aesAlg), goodCT)},
		{name: "PBKDF2 key length too large", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1), tlv(0x02, []byte{1, 0, 0, 0, 0, 0})), aesAlg), goodCT)},
		{name: "PBKDF2 key length mismatch", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1), der(t, 32)), aesAlg), goodCT)},
		{name: "PBKDF2 PRF not sequence", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1), null), aesAlg), goodCT)},
		{name: "PBKDF2 PRF not OID", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1), seqOf(null)), aesAlg), goodCT)},
		{name: "PBKDF2 PRF MD5", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1), algID(derOID(asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 6}), null)), aesAlg), goodCT), unsupported: true},
		{name: "PBES2 scheme not sequence", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1)), null), goodCT)},
		{name: "PBES2 scheme not OID", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1)), seqOf(null, null)), goodCT)},
		{name: "PBES2 scheme DES", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1)), algID(derOID(asn1.ObjectIdentifier{1, 3, 14, 3, 2, 7}), octet(testSalt[:8]))), goodCT), unsupported: true},
		{name: "PBES2 IV not octets", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1)), algID(derOID(oidAES128CBC), null)), goodCT)},
		{name: "PBES2 IV wrong length", data: keyInfo(pbes2(pbkdf2Alg(octet(testSalt), der(t, 1)), algID(derOID(oidAES128CBC), octet(testSalt[:8]))), goodCT)},
		{name: "encryptedData without content", data: withMAC(seqOf(seqOf(derOID(oidEncryptedData))))},
		{name: "encryptedData not sequence", data: withMAC(seqOf(seqOf(derOID(oidEncryptedData), ctx0(null))))},
		{name: "encryptedData version", data: withMAC(seqOf(seqOf(derOID(oidEncryptedData), ctx0(seqOf(null, seqOf())))))},
		{name: "encryptedContentInfo short", data: withMAC(seqOf(seqOf(derOID(oidEncryptedData), ctx0(seqOf(der(t, 0), seqOf(derOID(oidData)))))))},
		{name: "encryptedContent wrong tag", data: withMAC(seqOf(seqOf(derOID(oidEncryptedData), ctx0(seqOf(der(t, 0), seqOf(derOID(oidData), goodAlg, octet(goodCT)))))))},
		{name: "encryptedContent bad chunks", data: withMAC(seqOf(seqOf(derOID(oidEncryptedData), ctx0(seqOf(der(t, 0), seqOf(derOID(oidData), goodAlg, tlv(0xa0, null)))))))},
		{name: "certBag not sequence", data: withMAC(seqOf(dataInfo(seqOf(seqOf(derOID(oidCertBag), ctx0(null))))))},
		{name: "certBag type not OID", data: withMAC(seqOf(dataInfo(seqOf(seqOf(derOID(oidCertBag), ctx0(seqOf(null, null)))))))},
		{name: "certBag value not explicit", data: withMAC(seqOf(dataInfo(seqOf(seqOf(derOID(oidCertBag), ctx0(seqOf(derOID(oidX509Certificate), null)))))))},
		{name: "certBag value not octets", data: withMAC(seqOf(dataInfo(seqOf(seqOf(derOID(oidCertBag), ctx0(seqOf(derOID(oidX509Certificate), ctx0(null))))))))},
		{name: "certificate garbage", data: withMAC(seqOf(encryptedInfo(garbageCertAlg, garbageCertCT)))},
		{name: "safeContentsBag too deep", data: withMAC(seqOf(dataInfo(seqOf(nestBags(maxBagNesting + 1)))))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Decode(tt.data, pw)
			require.Error(t, err)
			assert.Nil(t, b)
			assert.NotContains(t, err.Error(), pw)
			assert.Equal(t, tt.unsupported, errors.Is(err, ErrUnsupported), "ErrUnsupported: %v", err)
			assert.Equal(t, tt.incorrect, errors.Is(err, ErrIncorrectPassword), "ErrIncorrectPassword: %v", err)
		})
	}

	// The nesting limit itself is accepted.
	_, err := Decode(withMAC(seqOf(dataInfo(seqOf(nestBags(maxBagNesting))))), pw)
	assert.NoError(t, err)
}

// nestBags returns a chain of n safeContentsBags, the innermost holding an
// empty SafeContents.
func nestBags(n int) []byte {
	bag := seqOf(derOID(oidSafeContentsBag), ctx0(seqOf()))
	for i := 1; i < n; i++ {
		bag = seqOf(derOID(oidSafeContentsBag), ctx0(seqOf(bag)))
	}
	return bag
}

// TestDecodeOpenSSL decodes DER files written by the openssl command.
func TestDecodeOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	fx := newFixture(t)
	dir := t.TempDir()
	keyPath, certPath := filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem")
	require.NoError(t, os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: fx.p8}), 0o600))
	require.NoError(t, os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: fx.cert}), 0o600))

	const pw = "open-ssl-pw"
	variants := map[string][]string{
		"aes256":         {"-keypbe", "AES-256-CBC", "-certpbe", "AES-256-CBC"},
		"legacy":         {"-legacy"},
		"legacy rc2-128": {"-legacy", "-keypbe", "PBE-SHA1-RC2-128", "-certpbe", "PBE-SHA1-2DES"},
		"aes sha512 mac": {"-keypbe", "AES-128-CBC", "-certpbe", "AES-192-CBC", "-macalg", "sha512", "-iter", "3000"},
		"unencrypted":    {"-keypbe", "NONE", "-certpbe", "NONE"},
	}
	for name, args := range variants {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".p12")
			cmd := exec.Command(openssl, append([]string{"pkcs12", "-export", "-inkey", keyPath, "-in", certPath,
				"-name", "friendly", "-passout", "pass:" + pw, "-out", out}, args...)...)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Skipf("openssl cannot write this variant: %v: %s", err, msg)
			}
			data := readFile(t, out)
			b, err := Decode(data, pw)
			require.NoError(t, err)
			require.Len(t, b.Keys, 1)
			require.Len(t, b.Certificates, 1)
			k := b.Keys[0]
			assert.Equal(t, "friendly", k.FriendlyName)
			assert.NotEmpty(t, k.LocalKeyID)
			priv, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
			require.NoError(t, err)
			assert.True(t, fx.key.Equal(priv))
			assert.Equal(t, fx.cert, b.Certificates[0].Raw)
			require.NotNil(t, b.CertificateFor(k))
			assert.Equal(t, fx.cert, b.CertificateFor(k).Raw)

			_, err = Decode(data, pw+"x")
			assert.ErrorIs(t, err, ErrIncorrectPassword)
		})
	}
}
