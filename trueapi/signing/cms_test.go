package signing

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/trueapi/signing/internal/cms"
)

var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
	testCert    *x509.Certificate
)

// selfSigned returns a throw-away RSA key and a certificate shaped like an
// NCA AUTH certificate (IIN in SERIALNUMBER, BIN in OU, clientAuth).
func selfSigned(t testing.TB) (*rsa.PrivateKey, *x509.Certificate) {
	testKeyOnce.Do(func() {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(424242),
			Subject:      pkix.Name{CommonName: "ТЕСТОВ ТЕСТ", SerialNumber: "IIN123456789011", OrganizationalUnit: []string{"BIN123456789021"}},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		require.NoError(t, err)
		cert, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		testKey, testCert = key, cert
	})
	return testKey, testCert
}

func TestRSASignerRoundTrip(t *testing.T) {
	key, cert := selfSigned(t)
	s, err := NewRSASigner(key, cert)
	require.NoError(t, err)
	at := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	s.now = func() time.Time { return at }
	challenge := []byte("NJKAGNZBJFEYBPEFJUYQXOLLQRCQGU") // 30 bytes, like /auth/key data

	attached, err := s.SignCMS(context.Background(), challenge, SignOptions{Purpose: PurposeAuth})
	require.NoError(t, err)
	got, err := Verify(attached, nil)
	require.NoError(t, err)
	assert.Equal(t, challenge, got.Content)
	assert.False(t, got.Detached)
	assert.Equal(t, cert.Raw, got.Certificate.Raw)
	assert.True(t, at.Equal(got.SigningTime))

	detached, err := s.SignCMS(context.Background(), challenge, SignOptions{Detached: true, Purpose: PurposeDocument})
	require.NoError(t, err)
	got, err = Verify(detached, challenge)
	require.NoError(t, err)
	assert.True(t, got.Detached)
	_, err = Verify(detached, []byte("other bytes"))
	require.Error(t, err, "a detached signature over other bytes fails")
	assert.Contains(t, err.Error(), "messageDigest")
	assert.Equal(t, cert, s.Certificate())
}

// Verify's checks of the algorithms; package internal/cms tests the
// structure and the layout, which is Kalkan's. Each CMS is made by the
// shared assembler with a changed algorithm or certificate.
func TestVerifyRejects(t *testing.T) {
	key, cert := selfSigned(t)
	sign := func(digest []byte) ([]byte, error) { return rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest) }
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecDER, err := x509.CreateCertificate(rand.Reader, cert, cert, &ecKey.PublicKey, key)
	require.NoError(t, err)
	ecCert, err := x509.ParseCertificate(ecDER)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		alg  cms.Algorithm
		cert *x509.Certificate
		ok   bool
	}{
		{"as signed", rsaSHA256, cert, true},
		{"rsaEncryption as signature algorithm", cms.Algorithm{Digest: oidSHA256, NewHash: sha256.New, Signature: oidRSA}, cert, true},
		{"SHA-1 digest", cms.Algorithm{Digest: asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}, NewHash: sha256.New, Signature: oidSHA256WithRSA}, cert, false},
		{"ECDSA signature algorithm", cms.Algorithm{Digest: oidSHA256, NewHash: sha256.New, Signature: asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}}, cert, false},
		{"a certificate whose key is not RSA", rsaSHA256, ecCert, false},
	} {
		der, err := cms.Sign(tc.alg, sign, tc.cert, []byte("x"), false, time.Now())
		require.NoError(t, err)
		_, err = Verify(der, nil)
		if tc.ok {
			assert.NoError(t, err, tc.name)
		} else {
			assert.ErrorIs(t, err, ErrUnsupported, tc.name)
		}
	}
	_, err = Verify([]byte{0x30}, nil)
	assert.ErrorContains(t, err, "signing: not a DER CMS ContentInfo")
	_, err = Verify(cms.TLV(0x30, slices.Concat(cms.MustMarshal(cms.OIDData), cms.TLV(0xa0, cms.MustMarshal([]byte("x"))))), nil)
	assert.ErrorIs(t, err, ErrUnsupported)
}

// NCA's own software produced these signatures (NCANode/KalkanCrypt over
// "asdasd"); Verify must accept them, GOST included.
func TestVerifyNCASamples(t *testing.T) {
	content, err := os.ReadFile("testdata/content.txt")
	require.NoError(t, err)
	raw, err := os.ReadFile("testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.cms")
	require.NoError(t, err)
	der, err := base64.StdEncoding.DecodeString(string(raw))
	require.NoError(t, err)
	got, err := Verify(der, nil)
	require.NoError(t, err)
	assert.Equal(t, content, got.Content)
	assert.Contains(t, got.Certificate.Subject.SerialNumber, "IIN")

	der[len(der)-10] ^= 0xff // inside the signature
	_, err = Verify(der, nil)
	require.Error(t, err)

	raw, err = os.ReadFile("testdata/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.cms")
	require.NoError(t, err)
	der, err = base64.StdEncoding.DecodeString(string(raw))
	require.NoError(t, err)
	got, err = Verify(der, nil)
	require.NoError(t, err, "the Kalkan-made GOST 34.310-2004 signature")
	assert.Equal(t, content, got.Content)
	der[len(der)-10] ^= 0xff
	_, err = Verify(der, nil)
	require.Error(t, err)

	_, err = Verify([]byte("not cms"), nil)
	require.Error(t, err)
}

// openssl cms -verify is an independent verifier; the test is skipped only
// when openssl is not installed (.ci/run installs it).
func TestOpenSSLVerifies(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	key, cert := selfSigned(t)
	s, err := NewRSASigner(key, cert)
	require.NoError(t, err)
	dir := t.TempDir()
	content := filepath.Join(dir, "content.bin")
	data := []byte("document bytes, exactly as sent\x00\xff")
	require.NoError(t, os.WriteFile(content, data, 0o600))
	certPEM := filepath.Join(dir, "cert.pem")
	require.NoError(t, os.WriteFile(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600))

	for _, detached := range []bool{false, true} {
		der, err := s.SignCMS(context.Background(), data, SignOptions{Detached: detached})
		require.NoError(t, err)
		sig := filepath.Join(dir, "sig.der")
		require.NoError(t, os.WriteFile(sig, der, 0o600))
		out := filepath.Join(dir, "out.bin")
		args := []string{"cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-CAfile", certPEM, "-purpose", "any", "-out", out}
		if detached {
			args = append(args, "-content", content)
		}
		msg, err := exec.Command(openssl, args...).CombinedOutput()
		require.NoError(t, err, "openssl cms -verify (detached=%v): %s", detached, msg)
		got, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Equal(t, data, got, "detached=%v", detached)
	}
}

func TestNewRSASignerChecks(t *testing.T) {
	key, cert := selfSigned(t)
	_, err := NewRSASigner(nil, cert)
	require.Error(t, err)
	other, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	_, err = NewRSASigner(other, cert)
	require.Error(t, err, "a certificate of another key")
	s, err := NewRSASigner(key, cert)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = s.SignCMS(ctx, []byte("x"), SignOptions{})
	require.ErrorIs(t, err, context.Canceled)

	f := SignerFunc(func(_ context.Context, data []byte, opts SignOptions) ([]byte, error) {
		if !opts.Detached {
			return nil, errors.New("want detached")
		}
		return append([]byte("cms:"), data...), nil
	})
	out, err := f.SignCMS(context.Background(), []byte("d"), SignOptions{Detached: true})
	require.NoError(t, err)
	assert.Equal(t, "cms:d", string(out))
	assert.Equal(t, "authentication", PurposeAuth.String())
	assert.Equal(t, "document", PurposeDocument.String())
	assert.Equal(t, "unknown purpose", Purpose(9).String())
}

func TestByPurpose(t *testing.T) {
	mark := func(tag string) Signer {
		return SignerFunc(func(_ context.Context, data []byte, opts SignOptions) ([]byte, error) {
			return append([]byte(tag+":"), data...), nil
		})
	}
	s := ByPurpose(mark("auth"), mark("doc"))
	got, err := s.SignCMS(context.Background(), []byte("x"), SignOptions{Purpose: PurposeAuth})
	require.NoError(t, err)
	assert.Equal(t, "auth:x", string(got))
	got, err = s.SignCMS(context.Background(), []byte("y"), SignOptions{Purpose: PurposeDocument, Detached: true})
	require.NoError(t, err)
	assert.Equal(t, "doc:y", string(got))
	_, err = ByPurpose(mark("auth"), nil).SignCMS(context.Background(), nil, SignOptions{Purpose: PurposeDocument})
	assert.ErrorContains(t, err, "no signer for document signatures")
}
