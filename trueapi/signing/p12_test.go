package signing

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/asn1"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/trueapi/signing/gost"
	"github.com/steppe-sdk/steppe/trueapi/signing/pkcs12"
)

const ncaPassword = "Qwerty12" // the published password of NCA's test keys

const (
	authP12 = "testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12"
	authCer = "testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.cer"
	signP12 = "testdata/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12"
	orgP12  = "testdata/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790.p12"
)

func TestLoadNCAKeys(t *testing.T) {
	for _, tc := range []struct {
		file    string
		purpose Purpose
		iinIn   string
	}{
		{authP12, PurposeAuth, "IIN"},
		{signP12, PurposeDocument, "IIN"},
		{orgP12, PurposeAuth, "IIN"},
		{authP12, PurposeDocument, "IIN"}, // one key per file: taken whatever the purpose
	} {
		s, err := LoadPKCS12File(tc.file, ncaPassword, tc.purpose)
		require.NoError(t, err, tc.file)
		cert := s.(CertificateProvider).Certificate()
		assert.Contains(t, cert.Subject.SerialNumber, tc.iinIn, "NCA puts the IIN in SERIALNUMBER")
		challenge := []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTT") // the challenge of the True API documentation's sign-in example
		cms, err := s.SignCMS(context.Background(), challenge, SignOptions{Purpose: tc.purpose})
		require.NoError(t, err)
		v, err := Verify(cms, nil)
		require.NoError(t, err)
		assert.Equal(t, challenge, v.Content)
		assert.Equal(t, cert.Raw, v.Certificate.Raw)
	}
}

func TestLoadPKCS12Errors(t *testing.T) {
	_, err := LoadPKCS12File(authP12, "wrong-password", PurposeAuth)
	require.ErrorIs(t, err, pkcs12.ErrIncorrectPassword)
	assert.NotContains(t, err.Error(), "wrong-password")

	_, err = LoadPKCS12File("testdata/missing.p12", ncaPassword, PurposeAuth)
	require.ErrorIs(t, err, os.ErrNotExist)
	_, err = LoadPKCS12([]byte("not a p12"), ncaPassword, PurposeAuth)
	require.Error(t, err)
}

// The must-show: signatures made with an NCA test key pass openssl cms
// -verify, attached and detached, with the NCA certificate as the trusted
// signer.
func TestOpenSSLVerifiesNCAKeySignatures(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	s, err := LoadPKCS12File(authP12, ncaPassword, PurposeAuth)
	require.NoError(t, err)
	dir := t.TempDir()
	certPEM, err := os.ReadFile(authCer)
	require.NoError(t, err)
	block, _ := pem.Decode(certPEM)
	require.NotNil(t, block)
	data := []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTT")
	content := filepath.Join(dir, "content")
	require.NoError(t, os.WriteFile(content, data, 0o600))
	for _, detached := range []bool{false, true} {
		cms, err := s.SignCMS(context.Background(), data, SignOptions{Detached: detached})
		require.NoError(t, err)
		sig := filepath.Join(dir, "sig.der")
		require.NoError(t, os.WriteFile(sig, cms, 0o600))
		out := filepath.Join(dir, "out")
		// -noverify: NCA's test root is not at hand; the signature itself is checked.
		args := []string{"cms", "-verify", "-binary", "-noverify", "-inform", "DER", "-in", sig, "-out", out}
		if detached {
			args = append(args, "-content", content)
		}
		msg, err := exec.Command(openssl, args...).CombinedOutput()
		require.NoError(t, err, "detached=%v: %s", detached, msg)
		assert.Contains(t, string(msg), "Verification successful")
		got, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Equal(t, data, got)
	}
}

// NCA's GOST key files (GOST512_*.p12, GOSTKNCA_*.p12) give a pure-Go
// GOSTSigner whose attached and detached signatures verify.
func TestLoadNCAGOSTKeys(t *testing.T) {
	for _, tc := range []struct {
		file string
		alg  gost.Algorithm
	}{
		{"testdata/gost1.p12", gost.GOST2015_512},
		{"testdata/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12", gost.GOST2004},
	} {
		for _, purpose := range []Purpose{PurposeAuth, PurposeDocument} {
			s, err := LoadPKCS12File(tc.file, ncaPassword, purpose)
			require.NoError(t, err, tc.file)
			require.IsType(t, &GOSTSigner{}, s)
			cert := s.(CertificateProvider).Certificate()
			assert.Contains(t, cert.Subject.SerialNumber, "IIN123456789011")
			data := []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTT")
			for _, detached := range []bool{false, true} {
				cms, err := s.SignCMS(context.Background(), data, SignOptions{Detached: detached, Purpose: purpose})
				require.NoError(t, err)
				var content []byte
				if detached {
					content = data
				}
				v, err := gost.Verify(cms, content)
				require.NoError(t, err, "%s detached=%v", tc.file, detached)
				assert.Equal(t, data, v.Content)
				assert.Equal(t, detached, v.Detached)
				assert.Equal(t, tc.alg, v.Algorithm)
				assert.True(t, bytes.Equal(cert.Raw, v.Certificate.Raw))
			}
		}
	}
}

func TestGOSTKeyErrors(t *testing.T) {
	s, err := LoadPKCS12File("testdata/gost1.p12", ncaPassword, PurposeDocument)
	require.NoError(t, err)
	cert := s.(CertificateProvider).Certificate()

	// A GOST parameter set package gost does not implement (NCA's GOST 2015
	// 256-bit keys): ErrGOSTKey, pointing to NCANode.
	alg256 := asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 2, 1}
	algID, err := asn1.Marshal(struct{ Algorithm asn1.ObjectIdentifier }{alg256})
	require.NoError(t, err)
	inner, err := asn1.Marshal(make([]byte, 32))
	require.NoError(t, err)
	der, err := asn1.Marshal(struct {
		Version   int
		Algorithm asn1.RawValue
		Key       []byte
	}{0, asn1.RawValue{FullBytes: algID}, inner})
	require.NoError(t, err)
	_, err = gostSigner(pkcs12.Key{PKCS8: der, Algorithm: alg256}, cert)
	require.ErrorIs(t, err, ErrGOSTKey)
	assert.Contains(t, err.Error(), "NewNCANodeSigner", "the error names the signer that can do it")

	// A malformed key is not "unsupported".
	_, err = gostSigner(pkcs12.Key{PKCS8: []byte{0x30, 0x00}, Algorithm: alg256}, cert)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrGOSTKey)

	// A key with another key's certificate.
	other, err := gost.GenerateKey(gost.GOST2015_512, rand.Reader)
	require.NoError(t, err)
	_, err = NewGOSTSigner(other, cert)
	require.Error(t, err)
}
