package trueapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
	"github.com/steppe-sdk/steppe/trueapi/signing"
)

const sampleXML = `<?xml version="1.0" encoding="UTF-8"?><file fileId="0f4c1f7e-5b1a-4d6e-9c1b-1a2b3c4d5e6f" version="1.0"><document><mainInfo reason="1"/></document></file>`

// The must-show: a document signed by SignDocument with the NCA RSA
// signing key is accepted by openssl cms -verify -content over the exact
// bytes.
func TestSignDocumentOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	doc, err := signing.LoadPKCS12File("signing/testdata/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12", "Qwerty12", signing.PurposeDocument)
	require.NoError(t, err)
	c, err := New(signing.ByPurpose(rsaSigner(t), doc), WithBaseURL(base))
	require.NoError(t, err)
	signed, err := c.SignDocument(context.Background(), RawDocument(sampleXML))
	require.NoError(t, err)
	assert.Equal(t, []byte(sampleXML), signed.Content)

	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		return p
	}
	cert := doc.(signing.CertificateProvider).Certificate()
	args := []string{"cms", "-verify", "-binary", "-inform", "DER", "-in", write("sig.der", signed.Signature),
		"-content", write("doc.xml", signed.Content), "-CAfile", write("cert.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})),
		"-purpose", "any", "-partial_chain", "-no_check_time", "-out", filepath.Join(dir, "out.xml")}
	out, err := exec.Command(openssl, args...).CombinedOutput()
	require.NoError(t, err, "openssl cms -verify -content: %s", out)

	// One byte changed: openssl refuses.
	args[8] = write("doc2.xml", bytes.Replace(signed.Content, []byte(`reason="1"`), []byte(`reason="2"`), 1))
	out, err = exec.Command(openssl, args...).CombinedOutput()
	require.Error(t, err, "a changed document must not verify")
	assert.Contains(t, string(out), "Verification failure", "refused for the content, not for the arguments")
}

func TestSignDocumentChecks(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	for name, doc := range map[string]Document{
		"nil":   nil,
		"empty": RawDocument(nil),
		"big":   RawDocument(make([]byte, MaxDocumentBytes+1)),
	} {
		_, err := c.SignDocument(ctx, doc)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, "document", ve.Field)
	}
	_, err := c.SignDocument(ctx, failingDoc{})
	require.ErrorContains(t, err, "build the document: no")
	assert.Zero(t, mt.GetTotalCallCount())

	bad, err := New(signing.SignerFunc(func(context.Context, []byte, signing.SignOptions) ([]byte, error) {
		return nil, errors.New("token unplugged")
	}))
	require.NoError(t, err)
	_, err = bad.SignDocument(ctx, RawDocument("x"))
	require.ErrorContains(t, err, "sign the document: token unplugged")
}

type failingDoc struct{}

func (failingDoc) Encode() ([]byte, error) { return nil, errors.New("no") }

// A document-creating POST that loses its connection after sending is not
// sent again and says how to check the outcome.
func TestCreateOutcomeUnknown(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	var sent atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"documents/writeOff", func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("connection reset by peer")
	})
	req := &transport.Request{Method: http.MethodPost, Path: "documents/writeOff", Body: []byte("{}"), ContentType: "application/json", Idempotent: true}
	_, err := c.create(context.Background(), req, "Client.DocumentInfo")
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.ErrorIs(t, err, ErrTransport)
	var oe *OutcomeUnknownError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "POST documents/writeOff", oe.Op)
	assert.Contains(t, err.Error(), "check with Client.DocumentInfo")
	assert.Equal(t, int32(1), sent.Load(), "not sent again, even if marked idempotent by mistake")

	// A refusal the server did answer is an ordinary error.
	mt.RegisterResponder(http.MethodPost, base+"documents/writeOff", httpmock.NewStringResponder(400, `{"error_message":"bad"}`))
	_, err = c.create(context.Background(), req, "x")
	require.ErrorIs(t, err, ErrValidation)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
}

func TestDocumentTransports(t *testing.T) {
	s := &SignedDocument{Content: []byte(sampleXML), Signature: []byte{0x30, 0x82, 0xff}}
	body, err := s.jsonBody()
	require.NoError(t, err)
	var jb map[string]string
	require.NoError(t, json.Unmarshal(body, &jb))
	assert.Equal(t, map[string]string{"document": base64.StdEncoding.EncodeToString([]byte(sampleXML)), "signature": "MIL/"}, jb)

	body, ct, err := s.multipartBody()
	require.NoError(t, err)
	mt, params, err := mime.ParseMediaType(ct)
	require.NoError(t, err)
	assert.Equal(t, "multipart/form-data", mt)
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	got := map[string]string{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		b, _ := io.ReadAll(p)
		got[p.FormName()] = string(b)
	}
	assert.Equal(t, map[string]string{"content": base64.StdEncoding.EncodeToString([]byte(sampleXML)), "signature": "MIL/"}, got)
}

func TestDecodeBase64Text(t *testing.T) {
	want := []byte(sampleXML)
	b64 := base64.StdEncoding.EncodeToString(want)
	for _, body := range []string{b64, " " + b64 + "\r\n", `"` + b64 + `"`, b64[:20] + "\n" + b64[20:], "\t" + b64[:20] + " \r\n " + b64[20:]} {
		got, err := decodeBase64Text([]byte(body))
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	got, err := decodeBase64Text([]byte(`"PD9/"`))
	require.NoError(t, err)
	assert.Equal(t, []byte("<?\x7f"), got)
	got, err = decodeBase64Text([]byte(`"PD9\/"`))
	require.NoError(t, err, "a JSON-escaped slash")
	assert.Equal(t, []byte("<?\x7f"), got)
	_, err = decodeBase64Text([]byte("  "))
	require.Error(t, err)
	_, err = decodeBase64Text([]byte("<html>"))
	require.Error(t, err)
}

// Base64 answers are decoded strictly: the standard alphabet with its
// padding and canonical last bits. What an earlier raw-encoding fallback
// turned into bytes (a cut answer, padding left out, the URL alphabet,
// a stray character) is an error, never bytes to sign.
func TestDecodeBase64TextStrict(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(sampleXML))
	require.True(t, strings.HasSuffix(b64, "="), "the sample needs padding")
	for name, body := range map[string]string{
		"padding left out":      strings.TrimRight(b64, "="),
		"a cut title":           "PD94bWwgdg", // "<?xml v" without its padding
		"a cut title in quotes": `"PD94bWwgdg"`,
		"the URL alphabet":      "PD94_-8=",
		"non-zero unused bits":  "Zh==",
		"padding inside":        "Zg==Zg==",
		"a stray character":     b64[:8] + "." + b64[8:],
		"a JSON escape":         `"PD9\u002f"`,
		"a backslash":           `PD9\`,
		"a raw-encoded body":    base64.RawStdEncoding.EncodeToString([]byte(sampleXML)),
		"a Cyrillic letter":     "сНJv",
	} {
		got, err := decodeBase64Text([]byte(body))
		require.Error(t, err, "%s: %q decoded to %q", name, body, got)
		assert.Nil(t, got, name)
	}
}

// An answer documented as the base64 of an XML document must decode to
// one well-formed XML document: one root element, read to the end.
func TestDecodeBase64XML(t *testing.T) {
	enc := func(s string) []byte { return []byte(base64.StdEncoding.EncodeToString([]byte(s))) }
	for _, doc := range []string{
		sampleXML,
		"\xef\xbb\xbf" + sampleXML,
		"<!-- c -->\n<?pi x?>\n<!DOCTYPE file>\n<file a='1'><![CDATA[<x>]]></file>\n<!-- after -->\n",
		`<?xml version="1.0" encoding="windows-1251"?><file name="` + "\xcf\xf0\xe8\xe2\xe5\xf2" + `"/>`,
		`<file xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="x.xsd"/>`,
	} {
		got, err := decodeBase64XML(enc(doc))
		require.NoError(t, err, "%q", doc)
		assert.Equal(t, doc, string(got))
	}
	for name, doc := range map[string]string{
		"a cut document":         `<?xml v`,
		"a cut element":          `<?xml version="1.0"?><file><document>`,
		"the declaration only":   `<?xml version="1.0" encoding="UTF-8"?>`,
		"two roots":              `<file/><file/>`,
		"text after the root":    `<file/>garbage`,
		"text before the root":   `?xml version="1.0"?><file/>`,
		"crossed elements":       `<a><b></a></b>`,
		"an unknown entity":      `<file>&nbsp;</file>`,
		"an unquoted attribute":  `<file a=1/>`,
		"plain text":             `Service temporarily unavailable`,
		"invalid UTF-8 in UTF-8": "<file>\xff</file>",
	} {
		_, err := decodeBase64XML(enc(doc))
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "the decoded answer is not", name)
	}
}

func TestTextTransports(t *testing.T) {
	c, mt, _ := newMocked(t, WithToken("jwt-x"))
	ctx := context.Background()
	mt.RegisterResponder(http.MethodGet, base+"edo-api/x/base64", httpmock.NewStringResponder(200, base64.StdEncoding.EncodeToString([]byte(sampleXML))))
	got, err := c.getBase64XML(ctx, "edo-api/x/base64")
	require.NoError(t, err)
	assert.Equal(t, sampleXML, string(got))
	mt.RegisterResponder(http.MethodGet, base+"edo-api/y/base64", httpmock.NewStringResponder(200, "%%%"))
	_, err = c.getBase64XML(ctx, "edo-api/y/base64")
	require.ErrorIs(t, err, ErrDecode)

	mt.RegisterResponder(http.MethodPost, base+"edo-api/x/signature", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "text/plain", r.Header.Get("Content-Type"))
		b, _ := io.ReadAll(r.Body)
		assert.Equal(t, "MIL/", string(b), "the raw base64 CMS is the whole body")
		return httpmock.NewStringResponse(201, ""), nil
	})
	require.NoError(t, c.postSignatureText(ctx, "edo-api/x/signature", []byte{0x30, 0x82, 0xff}, "x"))
}
