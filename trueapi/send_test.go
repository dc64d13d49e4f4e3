package trueapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/trueapi/signing"
)

var (
	sendSignerOnce sync.Once
	sendSigner     *signing.RSASigner
)

// sendClient is newMocked with a token, sharing one RSA key among the
// send tests to keep them fast.
func sendClient(t *testing.T) (*Client, *httpmock.MockTransport) {
	t.Helper()
	sendSignerOnce.Do(func() { sendSigner = rsaSigner(t) })
	require.NotNil(t, sendSigner)
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, ""), nil
	})
	c, err := New(sendSigner, WithBaseURL(base), WithHTTPClient(&http.Client{Transport: mt}),
		WithRetryWait(time.Millisecond, time.Millisecond), WithToken("jwt-x"))
	require.NoError(t, err)
	return c, mt
}

// receivedDocument is what a send test's responder found in the request:
// the decoded document/content and signature.
type receivedDocument struct {
	content, signature []byte
}

// readSent checks the transport of r (JSON {document, signature} or
// multipart content + signature, per the documentation) and decodes both fields.
func readSent(t *testing.T, r *http.Request, multipartForm bool) receivedDocument {
	t.Helper()
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "Bearer jwt-x", r.Header.Get("Authorization"))
	body, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	fields := map[string]string{}
	if multipartForm {
		mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		require.NoError(t, err)
		require.Equal(t, "multipart/form-data", mediaType)
		require.NotEmpty(t, params["boundary"])
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			assert.Empty(t, p.FileName(), "form fields, not files")
			b, _ := io.ReadAll(p)
			fields[p.FormName()] = string(b)
		}
		assert.Len(t, fields, 2)
		fields["document"] = fields["content"]
	} else {
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.NoError(t, json.Unmarshal(body, &fields))
		assert.Len(t, fields, 2, "exactly document and signature: %s", body)
	}
	var got receivedDocument
	got.content, err = base64.StdEncoding.DecodeString(fields["document"])
	require.NoError(t, err, "base64 document/content")
	got.signature, err = base64.StdEncoding.DecodeString(fields["signature"])
	require.NoError(t, err, "base64 signature")
	return got
}

// assertSignedBytes is the signed-bytes check: the received signature is a
// detached CMS that verifies over the received content, and that content
// is exactly what Encode produced (nothing was serialised again).
func assertSignedBytes(t *testing.T, got receivedDocument, want []byte) {
	t.Helper()
	signed, err := signing.Verify(got.signature, got.content)
	require.NoError(t, err, "the signature verifies over the received bytes")
	assert.True(t, signed.Detached, "a detached CMS")
	assert.Equal(t, string(want), string(got.content), "the received bytes are those Encode produced")
}

func TestSendReintroductionNotice(t *testing.T) {
	c, mt := sendClient(t)
	doc := goldenReintroductionNotice()
	want := encodeOK(t, doc)
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodPost, base+"documents/transit/introduce-goods/create", func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		assertSignedBytes(t, readSent(t, r, false), want)
		return httpmock.NewStringResponse(200, " "), nil
	})
	sent, err := c.SendReintroductionNotice(context.Background(), doc)
	require.NoError(t, err)
	assert.Equal(t, int32(1), calls.Load())
	assert.Equal(t, doc.FileID, sent.DocumentID, "the document id is the fileId")
	assert.Equal(t, doc.FileID, sent.FileID)
	assert.Empty(t, sent.ProcessingNumber)
	assert.Equal(t, want, sent.Signed.Content, "the caller keeps the exact bytes")
	_, err = signing.Verify(sent.Signed.Signature, sent.Signed.Content)
	require.NoError(t, err)

	// A pointer to a builder, and raw bytes, go the same way; an empty
	// body is fine too.
	mt.RegisterResponder(http.MethodPost, base+"documents/transit/introduce-goods/create", func(r *http.Request) (*http.Response, error) {
		assertSignedBytes(t, readSent(t, r, false), want)
		return httpmock.NewStringResponse(200, ""), nil
	})
	sent, err = c.SendReintroductionNotice(context.Background(), &doc)
	require.NoError(t, err)
	assert.Equal(t, doc.FileID, sent.DocumentID)
	sent, err = c.SendReintroductionNotice(context.Background(), RawDocument(want))
	require.NoError(t, err)
	assert.Equal(t, doc.FileID, sent.DocumentID, "read from the raw XML")
}

// D-14 and D-15 share the multipart endpoint: the Act, the correction Act,
// the divergence notice and the EAEU notice, each answer shape of
// documentId.
func TestSendEDODocument(t *testing.T) {
	c, mt := sendClient(t)
	correction := specEAEUImportNotice()
	correction.FileID, correction.Correction = "", true
	correction.PrimaryDoc = &EAEUPrimaryDoc{ID: "874236e2-e643-11ec-8fea-0242ac120002", Number: "1", Date: time.Date(2022, 6, 8, 0, 0, 0, 0, almaty)}
	cases := []struct {
		doc      Document
		answer   string
		randomID bool
	}{
		{specTransferAct(), `"4b0bdd1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b"`, false},
		{specDivergenceNotice(), `{"documentId":"4b0bdd1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b","extra":[1]}`, false},
		{specEAEUImportNotice(), "4b0bdd1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b\n", false},
		{correction, `{"DocumentID": "4b0bdd1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b"}`, true},
	}
	for _, tc := range cases {
		var want []byte
		var calls atomic.Int32
		mt.RegisterResponder(http.MethodPost, base+"edo-api/outgoing-documents/formal", func(r *http.Request) (*http.Response, error) {
			calls.Add(1)
			got := readSent(t, r, true)
			want = got.content // the fileId of the correction is random: check it below
			_, err := signing.Verify(got.signature, got.content)
			require.NoError(t, err)
			return httpmock.NewStringResponse(200, tc.answer), nil
		})
		sent, err := c.SendEDODocument(context.Background(), tc.doc)
		require.NoError(t, err, "%T", tc.doc)
		assert.Equal(t, int32(1), calls.Load())
		assert.Equal(t, "4b0bdd1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b", sent.DocumentID, tc.answer)
		assert.Equal(t, want, sent.Signed.Content)
		assert.Equal(t, xmlFileID(want), sent.FileID)
		if tc.randomID {
			assert.True(t, strings.HasPrefix(sent.FileID, FileIDPrefixImportTransitCorrection), sent.FileID)
		} else {
			assertSignedBytes(t, receivedDocument{content: sent.Signed.Content, signature: sent.Signed.Signature}, encodeOK(t, tc.doc))
		}
	}
}

// The must-show for the multipart transport: the bytes signed are the
// bytes Encode produced, received unchanged.
func TestSendEDODocumentSignedBytes(t *testing.T) {
	c, mt := sendClient(t)
	act := specTransferAct()
	want := encodeOK(t, act)
	mt.RegisterResponder(http.MethodPost, base+"edo-api/outgoing-documents/formal", func(r *http.Request) (*http.Response, error) {
		assertSignedBytes(t, readSent(t, r, true), want)
		return httpmock.NewStringResponse(200, `{"documentId":"d-1"}`), nil
	})
	sent, err := c.SendEDODocument(context.Background(), act)
	require.NoError(t, err)
	assert.Equal(t, "d-1", sent.DocumentID)
	assert.Equal(t, act.FileID, sent.FileID)
}

func TestSendThirdCountryAndWriteOff(t *testing.T) {
	c, mt := sendClient(t)
	for _, tc := range []struct {
		path   string
		doc    Document
		send   func(context.Context, Document) (*SentDocument, error)
		answer string
		number string
	}{
		{"documents/transit/import/third_countries", goldenThirdCountryNotice(), c.SendThirdCountryImportNotice, "1234567", "1234567"},
		{"documents/transit/import/third_countries", goldenThirdCountryNotice(), c.SendThirdCountryImportNotice, ` "98-7" `, "98-7"},
		{"documents/writeOff", goldenWriteOffNotice(), c.SendWriteOffNotice, "42\n", "42"},
		{"documents/writeOff", goldenWriteOffNotice(), c.SendWriteOffNotice, `"WO-17"`, "WO-17"},
	} {
		want := encodeOK(t, tc.doc)
		var calls atomic.Int32
		mt.RegisterResponder(http.MethodPost, base+tc.path, func(r *http.Request) (*http.Response, error) {
			calls.Add(1)
			assertSignedBytes(t, readSent(t, r, false), want)
			resp := httpmock.NewStringResponse(200, tc.answer)
			resp.Header.Set("Content-Type", "text/plain")
			return resp, nil
		})
		sent, err := tc.send(context.Background(), tc.doc)
		require.NoError(t, err, tc.path)
		assert.Equal(t, int32(1), calls.Load())
		assert.Equal(t, tc.number, sent.ProcessingNumber, "the internal processing number")
		assert.Equal(t, xmlFileID(want), sent.DocumentID, "the document id is the fileId")
		assert.Equal(t, want, sent.Signed.Content)
	}

	// 422: the signature failed the check; an ordinary error, no result.
	mt.RegisterResponder(http.MethodPost, base+"documents/writeOff", httpmock.NewStringResponder(422, `{"error_message":" 6f8c1a37-d791-425a-8dcb-490eaf1cea27 "}`))
	sent, err := c.SendWriteOffNotice(context.Background(), goldenWriteOffNotice())
	require.Error(t, err)
	assert.Nil(t, sent)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 422, e.StatusCode)
}

// A connection that breaks after sending: not sent again, the error
// matches ErrOutcomeUnknown and names the check, and the result keeps the
// fileId and the bytes.
func TestSendDocumentOutcomeUnknown(t *testing.T) {
	c, mt := sendClient(t)
	for _, tc := range []struct {
		path  string
		doc   Document
		send  func(context.Context, Document) (*SentDocument, error)
		check string
	}{
		{"documents/transit/introduce-goods/create", goldenReintroductionNotice(), c.SendReintroductionNotice, `Client.DocumentInfo(ctx, "320a4a79-80a5-4756-bd68-a572027131be")`},
		{"edo-api/outgoing-documents/formal", specTransferAct(), c.SendEDODocument, "Client.OutgoingDocuments"},
		{"documents/transit/import/third_countries", goldenThirdCountryNotice(), c.SendThirdCountryImportNotice, `Client.DocumentInfo(ctx, "IMPORT_0b8e2f4c-1d3a-4e5f-9a6b-7c8d9e0f1a2b")`},
		{"documents/writeOff", goldenWriteOffNotice(), c.SendWriteOffNotice, `Client.DocumentInfo(ctx, "6f8c1a37-d791-425a-8dcb-490eaf1cea27")`},
	} {
		var calls atomic.Int32
		mt.RegisterResponder(http.MethodPost, base+tc.path, func(r *http.Request) (*http.Response, error) {
			calls.Add(1)
			_, _ = io.ReadAll(r.Body)
			return nil, errors.New("connection reset by peer")
		})
		sent, err := tc.send(context.Background(), tc.doc)
		require.ErrorIs(t, err, ErrOutcomeUnknown, tc.path)
		require.ErrorIs(t, err, ErrTransport)
		assert.Equal(t, int32(1), calls.Load(), "sent exactly once: %s", tc.path)
		assert.Contains(t, err.Error(), "check with "+tc.check)
		var oe *OutcomeUnknownError
		require.ErrorAs(t, err, &oe)
		assert.Equal(t, "POST "+tc.path, oe.Op)
		require.NotNil(t, sent, "the caller keeps what may have been registered")
		assert.Equal(t, xmlFileID(encodeOK(t, tc.doc)), sent.FileID)
		assert.NotEmpty(t, sent.Signed.Signature)
	}
}

// Nothing is signed or sent for a document over 30 MB, an invalid
// builder, a builder sent to the wrong method, a document that is not one
// well-formed XML document, or a notice without a fileId.
func TestSendDocumentRefusedBeforeSending(t *testing.T) {
	c, mt := sendClient(t)
	ctx := context.Background()
	big := RawDocument(make([]byte, MaxDocumentBytes+1))
	copy(big, `<?xml version="1.0" encoding="UTF-8"?><file fileId="x">`)
	bad := goldenWriteOffNotice()
	bad.Participant.IdentificationCode = "1"
	for _, tc := range []struct {
		send  func(context.Context, Document) (*SentDocument, error)
		doc   Document
		field string
	}{
		{c.SendWriteOffNotice, big, "document"},
		{c.SendEDODocument, big, "document"},
		{c.SendThirdCountryImportNotice, big, "document"},
		{c.SendReintroductionNotice, big, "document"},
		{c.SendWriteOffNotice, nil, "document"},
		{c.SendWriteOffNotice, bad, "participantInfo@participantIdentificationCode"},
		{c.SendWriteOffNotice, goldenReintroductionNotice(), "document"},
		{c.SendEDODocument, &bad, "document"},
		{c.SendThirdCountryImportNotice, specEAEUImportNotice(), "document"},
		{c.SendReintroductionNotice, RawDocument(`<?xml version="1.0" encoding="UTF-8"?><file version="1.0"/>`), "file@fileId"},
		{c.SendWriteOffNotice, RawDocument("not XML"), "document"},
		{c.SendEDODocument, RawDocument("not XML"), "document"},
		{c.SendThirdCountryImportNotice, RawDocument(`<file fileId="IMPORT_x"><document>`), "document"},
		{c.SendReintroductionNotice, RawDocument(`<file fileId="a"/><file fileId="b"/>`), "document"},
		{c.SendEDODocument, RawDocument(`?xml version="1.0"?><file fileId="EEU_ACT_x"/>`), "document"},
	} {
		sent, err := tc.send(ctx, tc.doc)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%T", tc.doc)
		assert.Equal(t, tc.field, ve.Field, "%v", err)
		assert.Nil(t, sent)
	}
	assert.Zero(t, mt.GetTotalCallCount(), "no request at all")
}

func TestSendEDODocumentAnswers(t *testing.T) {
	c, mt := sendClient(t)
	ctx := context.Background()
	for _, body := range []string{"", "  ", `{}`, `{"documentId":""}`, `""`, "<html>oops</html>", `{"documentId":`} {
		mt.RegisterResponder(http.MethodPost, base+"edo-api/outgoing-documents/formal", httpmock.NewStringResponder(200, body))
		sent, err := c.SendEDODocument(ctx, specTransferAct())
		require.ErrorIs(t, err, ErrDecode, "%q", body)
		require.NotNil(t, sent, "the server took the document: the caller keeps it")
		assert.Equal(t, specTransferAct().FileID, sent.FileID)
	}
	mt.RegisterResponder(http.MethodPost, base+"edo-api/outgoing-documents/formal", httpmock.NewStringResponder(415, ""))
	sent, err := c.SendEDODocument(ctx, specTransferAct())
	require.ErrorIs(t, err, ErrUnexpectedStatus)
	assert.Nil(t, sent)
	mt.RegisterResponder(http.MethodPost, base+"edo-api/outgoing-documents/formal", httpmock.NewStringResponder(400,
		`{"error_message":"EdoApiServiceProxy#createOutgoingDocumentJsonKzUpd(DocumentWrapperDto): Organisation status PRE_REGISTERED_* incorrect."}`))
	_, err = c.SendEDODocument(ctx, specTransferAct())
	require.ErrorIs(t, err, ErrValidation)
	assert.Contains(t, err.Error(), "PRE_REGISTERED_")
}

func TestSendParseAnswers(t *testing.T) {
	for body, want := range map[string]string{
		`"abc"`:                    "abc",
		` abc-1 `:                  "abc-1",
		`{"documentId":"x"}`:       "x",
		`{"documentid":12345}`:     "12345",
		"\"  spaced  \"\n":         "spaced",
		`{"a":1,"documentId":"y"}`: "y",
	} {
		got, err := parseDocumentID([]byte(body))
		require.NoError(t, err, body)
		assert.Equal(t, want, got, body)
	}
	for body, want := range map[string]string{" 17 ": "17", `"17"`: "17", "98-7\n": "98-7", `" IMP-1/2 "`: "IMP-1/2", "1.5e3": "1.5e3"} {
		got, err := parseProcessingNumber([]byte(body))
		require.NoError(t, err, body)
		assert.Equal(t, want, got, body)
	}
	// Not a processing number: the outcome of a send is then unknown.
	for _, body := range []string{"", " \n", "null", `{"n":1}`, `[1]`, `""`, `"a b"`, "<html><body>Технические работы</body></html>",
		"Service Unavailable", `"<b>x</b>"`, strings.Repeat("9", maxIDBytes+1), "true"} {
		_, err := parseProcessingNumber([]byte(body))
		require.Error(t, err, "%q", body)
	}
	for _, body := range []string{`"a b"`, "<html>x</html>", `{"documentId":"two words"}`, `{"documentId":{"x":1}}`, "null"} {
		_, err := parseDocumentID([]byte(body))
		require.Error(t, err, "%q", body)
	}
	assert.Equal(t, "a", xmlFileID([]byte(`<?xml version="1.0"?><!--c--><file version="1" fileId="a"><x fileId="b"/></file>`)))
	assert.Empty(t, xmlFileID([]byte(`<file><document fileId="b"/></file>`)), "only the root's attribute")
}
