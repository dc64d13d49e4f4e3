package gost

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"sync"
	"testing"

	"github.com/steppe-sdk/steppe/trueapi/signing/internal/cms"
	"github.com/steppe-sdk/steppe/trueapi/signing/pkcs12"
)

// DER building blocks for test inputs.
var (
	tlv         = cms.TLV
	mustMarshal = cms.MustMarshal
)

const ncaPassword = "Qwerty12" // the published password of NCA's test keys

// The NCA test material in testdata (see testdata/README.md).
const (
	kalkanCMS   = "testdata/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.cms"
	gost2004P12 = "testdata/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12"
	gost2004Cer = "testdata/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.cer"
	ncaCA       = "testdata/nca_gost2022_test.cer"
	ncaRoot     = "testdata/root_test_gost_2022.cer"
)

// gost2015Keys are the GOST 2015 512-bit test keys, all issued by ncaCA.
var gost2015Keys = []string{"gost1", "individual_valid", "head"}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readCert reads a PEM or DER certificate.
func readCert(t testing.TB, path string) *x509.Certificate {
	t.Helper()
	data := readFile(t, path)
	if block, _ := pem.Decode(data); block != nil {
		data = block.Bytes
	}
	c, err := x509.ParseCertificate(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type loadedKey struct {
	key  *PrivateKey
	cert *x509.Certificate
	raw  pkcs12.Key
}

// keyCache keeps the keys readKey parsed: deriving a public key is a
// scalar multiplication, slow under -race -cover.
var keyCache sync.Map // path -> loadedKey

// readKey decodes an NCA test p12 and parses its one key.
func readKey(t testing.TB, path string) (*PrivateKey, *x509.Certificate, pkcs12.Key) {
	t.Helper()
	if v, ok := keyCache.Load(path); ok {
		l := v.(loadedKey)
		return l.key, l.cert, l.raw
	}
	b, err := pkcs12.Decode(readFile(t, path), ncaPassword)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Keys) != 1 {
		t.Fatalf("%s: %d keys", path, len(b.Keys))
	}
	cert := b.CertificateFor(b.Keys[0])
	if cert == nil {
		t.Fatalf("%s: no certificate for the key", path)
	}
	k, err := ParsePKCS8PrivateKey(b.Keys[0].PKCS8)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	keyCache.Store(path, loadedKey{k, cert, b.Keys[0]})
	return k, cert, b.Keys[0]
}

// readKalkanCMS returns the DER of the KalkanCrypt-made sample CMS.
func readKalkanCMS(t testing.TB) []byte {
	t.Helper()
	der, err := base64.StdEncoding.DecodeString(string(readFile(t, kalkanCMS)))
	if err != nil {
		t.Fatal(err)
	}
	return der
}
