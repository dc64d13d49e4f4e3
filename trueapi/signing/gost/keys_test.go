package gost

import (
	"encoding/asn1"
	"errors"
	"math/big"
	"slices"
	"testing"
)

// algID is an AlgorithmIdentifier {key OID, {param set, digest}}.
func algID(key, paramSet, digest []int) []byte {
	return tlv(0x30, slices.Concat(mustMarshal(oid(key)), tlv(0x30, slices.Concat(mustMarshal(oid(paramSet)), mustMarshal(oid(digest))))))
}

func oid(a []int) asn1.ObjectIdentifier { return a }

func pkcs8(alg, inner []byte) []byte {
	return tlv(0x30, slices.Concat(mustMarshal(0), alg, mustMarshal(inner)))
}

func spki(alg, bitString []byte) []byte {
	return tlv(0x30, slices.Concat(alg, bitString))
}

func bitString(content []byte, unused byte) []byte {
	return tlv(0x03, append([]byte{unused}, content...))
}

func TestParsePKCS8PrivateKey(t *testing.T) {
	t.Parallel()
	alg04 := algID(OIDKey2004, OIDParamSet2004A, OIDDigest2004)
	alg15 := algID(OIDKey2015_512, OIDParamSet2015_512A, OIDDigest2015_512)
	key04, _, _ := readKey(t, gost2004P12)
	key15, _, _ := readKey(t, "testdata/gost1.p12")

	// The other container for the same scalar gives the same key.
	be := key15.d.FillBytes(make([]byte, 64))
	if k, err := ParsePKCS8PrivateKey(pkcs8(alg15, mustMarshal(new(big.Int).SetBytes(be)))); err != nil || !k.Equal(key15) {
		t.Errorf("GOST 2015 scalar as INTEGER: %v", err)
	}
	le04 := reverse(key04.d.FillBytes(make([]byte, 32)))
	if k, err := ParsePKCS8PrivateKey(pkcs8(alg04, mustMarshal(le04))); err != nil || !k.Equal(key04) {
		t.Errorf("GOST 2004 scalar as OCTET STRING: %v", err)
	}
	// NULL and absent parameters are taken as the algorithm's only set.
	noParams := tlv(0x30, mustMarshal(oid(OIDKey2004)))
	nullParams := tlv(0x30, slices.Concat(mustMarshal(oid(OIDKey2004)), []byte{5, 0}))
	for _, a := range [][]byte{noParams, nullParams} {
		if k, err := ParsePKCS8PrivateKey(pkcs8(a, mustMarshal(le04))); err != nil || !k.Equal(key04) {
			t.Errorf("parameters %x: %v", a, err)
		}
	}

	qLE := reverse(curveCryptoProA.q.FillBytes(make([]byte, 32)))
	for _, tc := range []struct {
		name        string
		der         []byte
		unsupported bool
	}{
		{"empty", nil, false},
		{"trailing data", append(pkcs8(alg04, mustMarshal(le04)), 0), false},
		{"RSA key", pkcs8(tlv(0x30, slices.Concat(mustMarshal(oid([]int{1, 2, 840, 113549, 1, 1, 1})), []byte{5, 0})), mustMarshal(1)), true},
		{"GOST 2015 256-bit key", pkcs8(algID([]int{1, 2, 398, 3, 10, 1, 1, 2, 1}, []int{1, 2, 398, 3, 10, 1, 1, 2, 1, 1}, []int{1, 2, 398, 3, 10, 1, 3, 2}), mustMarshal(1)), true},
		{"2004 key on the 2015 curve", pkcs8(algID(OIDKey2004, OIDParamSet2015_512A, OIDDigest2004), mustMarshal(le04)), true},
		{"malformed parameters", pkcs8(tlv(0x30, slices.Concat(mustMarshal(oid(OIDKey2004)), tlv(0x30, mustMarshal(1)))), mustMarshal(le04)), false},
		{"garbage value", pkcs8(alg04, []byte{0x04}), false},
		{"value with trailing data", pkcs8(alg04, append(mustMarshal(le04), 0)), false},
		{"short OCTET STRING", pkcs8(alg15, mustMarshal(make([]byte, 32))), false},
		{"zero INTEGER", pkcs8(alg04, mustMarshal(0)), false},
		{"negative INTEGER", pkcs8(alg04, mustMarshal(-5)), false},
		{"long INTEGER", pkcs8(alg04, mustMarshal(new(big.Int).Lsh(big.NewInt(1), 256))), false},
		{"non-minimal INTEGER", pkcs8(alg04, []byte{0x02, 0x02, 0x00, 0x01}), false},
		{"BIT STRING value", pkcs8(alg04, bitString(le04, 0)), true},
		{"context-specific value", pkcs8(alg04, tlv(0x80, le04)), false},
		{"q, which is 0 mod q", pkcs8(alg04, mustMarshal(qLE)), false},
	} {
		_, err := ParsePKCS8PrivateKey(tc.der)
		if err == nil || errors.Is(err, ErrUnsupported) != tc.unsupported {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestParsePublicKey(t *testing.T) {
	key, cert, _ := readKey(t, gost2004P12)
	pub, err := ParsePublicKey(cert.RawSubjectPublicKeyInfo)
	if err != nil || !pub.Equal(&key.PublicKey) {
		t.Fatal(err)
	}
	alg04 := algID(OIDKey2004, OIDParamSet2004A, OIDDigest2004)
	good := bitString(mustMarshal(pub.Bytes()), 0)
	if p, err := ParsePublicKey(spki(alg04, good)); err != nil || !p.Equal(pub) {
		t.Fatalf("rebuilt SubjectPublicKeyInfo: %v", err)
	}
	offCurve := pub.Bytes()
	offCurve[0] ^= 1
	for _, tc := range []struct {
		name        string
		der         []byte
		unsupported bool
	}{
		{"trailing data", append(spki(alg04, good), 0), false},
		{"unknown algorithm", spki(tlv(0x30, mustMarshal(oid([]int{1, 2, 3}))), good), true},
		{"partial byte", spki(alg04, bitString(mustMarshal(pub.Bytes()), 4)), false},
		{"not an OCTET STRING", spki(alg04, bitString(pub.Bytes(), 0)), false},
		{"short point", spki(alg04, bitString(mustMarshal(pub.Bytes()[1:]), 0)), false},
		{"point off the curve", spki(alg04, bitString(mustMarshal(offCurve), 0)), false},
	} {
		_, err := ParsePublicKey(tc.der)
		if err == nil || errors.Is(err, ErrUnsupported) != tc.unsupported {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := CertificatePublicKey(nil); err == nil {
		t.Error("nil certificate")
	}
}
