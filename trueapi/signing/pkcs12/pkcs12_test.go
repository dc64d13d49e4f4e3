package pkcs12

import (
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ncaPassword = "Qwerty12"

var (
	oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidGOST2004      = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 1, 1}
	oidGOST2015      = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 2, 2}
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// readPEMCert reads the PEM certificate beside a .p12 file.
func readPEMCert(t *testing.T, p12Path string) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(readFile(t, strings.TrimSuffix(p12Path, ".p12")+".cer"))
	require.NotNil(t, block)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	return cert
}

func ncaFiles(t testing.TB, dirs ...string) []string {
	t.Helper()
	var files []string
	for _, d := range dirs {
		m, err := filepath.Glob(filepath.Join("testdata", d, "*.p12"))
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.NotEmpty(t, files)
	return files
}

// publicKeyOf returns the public key of a private key from
// x509.ParsePKCS8PrivateKey.
func publicKeyOf(t *testing.T, priv any) interface{ Equal(crypto.PublicKey) bool } {
	t.Helper()
	s, ok := priv.(crypto.Signer)
	require.True(t, ok, "%T is not a crypto.Signer", priv)
	pub, ok := s.Public().(interface{ Equal(crypto.PublicKey) bool })
	require.True(t, ok)
	return pub
}

// eachNCAFile decodes each of the n NCA test files in dirs, checks that
// it holds one key and one certificate, the one in the .cer file next to
// it, and runs check on them.
func eachNCAFile(t *testing.T, n int, check func(t *testing.T, path string, b *Bundle, k Key, want *x509.Certificate), dirs ...string) {
	files := ncaFiles(t, dirs...)
	assert.Len(t, files, n)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := Decode(readFile(t, path), ncaPassword)
			require.NoError(t, err)
			require.Len(t, b.Keys, 1)
			require.Len(t, b.Certificates, 1)
			want := readPEMCert(t, path)
			assert.Equal(t, want.Raw, b.Certificates[0].Raw)
			check(t, path, b, b.Keys[0], want)
		})
	}
}

func TestDecodeNCARSA(t *testing.T) {
	eachNCAFile(t, 3, func(t *testing.T, path string, b *Bundle, k Key, want *x509.Certificate) {
		assert.True(t, k.Algorithm.Equal(oidRSAEncryption), "algorithm %s", k.Algorithm)
		priv, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
		require.NoError(t, err)
		assert.True(t, publicKeyOf(t, priv).Equal(want.PublicKey), "private key does not match the certificate")

		got := b.CertificateFor(k)
		require.NotNil(t, got)
		assert.Equal(t, want.Raw, got.Raw)

		// Both bag attributes equal the certificate's SKI, which is in the file name.
		ski := hex.EncodeToString(want.SubjectKeyId)
		assert.Contains(t, filepath.Base(path), ski)
		assert.Equal(t, ski, hex.EncodeToString(k.LocalKeyID))
		assert.Equal(t, ski, k.FriendlyName)

		// Without the localKeyId, the public key still finds the certificate.
		k.LocalKeyID = nil
		got = b.CertificateFor(k)
		require.NotNil(t, got)
		assert.Equal(t, want.Raw, got.Raw)
	}, "rsa-auth", "rsa-sign")
}

func TestDecodeNCAGOST(t *testing.T) {
	eachNCAFile(t, 4, func(t *testing.T, path string, b *Bundle, k Key, want *x509.Certificate) {
		wantOID := oidGOST2015
		if strings.Contains(path, "gost2004") {
			wantOID = oidGOST2004
		}
		assert.True(t, k.Algorithm.Equal(wantOID), "algorithm %s", k.Algorithm)
		_, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
		assert.Error(t, err, "Go cannot parse GOST keys")
		assert.Nil(t, b.Certificates[0].PublicKey)
		assert.Equal(t, hex.EncodeToString(want.SubjectKeyId), k.FriendlyName)

		got := b.CertificateFor(k)
		require.NotNil(t, got)
		assert.Equal(t, want.Raw, got.Raw)

		// Without the localKeyId a GOST key cannot be matched.
		k.LocalKeyID = []byte("other")
		assert.Nil(t, b.CertificateFor(k))
	}, "gost2004", "gost2015")
}

func TestDecodeWrongPassword(t *testing.T) {
	for _, path := range ncaFiles(t, "rsa-auth", "gost2015") {
		for _, pw := range []string{"", "123456", "qwerty12", "Qwerty12 "} {
			_, err := Decode(readFile(t, path), pw)
			require.ErrorIs(t, err, ErrIncorrectPassword, "%s with %q", path, pw)
			if pw != "" {
				assert.NotContains(t, err.Error(), pw)
			}
		}
	}
}

// TestDecodeCorrupted truncates and flips bytes of the NCA files: every
// result must be an error, never a panic.
func TestDecodeCorrupted(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(1, 2))
	for _, path := range ncaFiles(t, "rsa-auth", "rsa-sign", "gost2004", "gost2015") {
		data := readFile(t, path)
		for i := 0; i < len(data); i += 1 + len(data)/64 {
			_, err := Decode(data[:i], ncaPassword)
			assert.Error(t, err, "%s truncated to %d", path, i)
		}
		for range 200 {
			c := append([]byte(nil), data...)
			pos := rng.IntN(len(c))
			c[pos] ^= byte(1 << rng.IntN(8))
			_, err := Decode(c, ncaPassword)
			assert.Error(t, err, "%s with byte %d flipped", path, pos)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, path := range ncaFiles(f, "rsa-auth", "rsa-sign", "gost2004", "gost2015") {
		f.Add(readFile(f, path))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Decode(data, ncaPassword)
		if err != nil {
			assert.Nil(t, b)
			assert.NotContains(t, err.Error(), ncaPassword)
			return
		}
		for _, k := range b.Keys {
			assert.NotEmpty(t, k.PKCS8)
			assert.NotEmpty(t, k.Algorithm)
			_ = b.CertificateFor(k)
		}
	})
}

func TestCertificateForNil(t *testing.T) {
	var b *Bundle
	assert.Nil(t, b.CertificateFor(Key{}))
	assert.Nil(t, (&Bundle{}).CertificateFor(Key{PKCS8: []byte{1}}))
}

func TestErrorsAreDistinct(t *testing.T) {
	assert.False(t, errors.Is(ErrIncorrectPassword, ErrUnsupported))
	assert.NotEqual(t, ErrIncorrectPassword.Error(), ErrUnsupported.Error())
}
