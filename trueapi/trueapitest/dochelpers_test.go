package trueapitest

import (
	"bytes"
	"context"
	"crypto/x509/pkix"
	"encoding/base64"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/trueapi/signing"
)

// ownerSigner is a signer whose certificate maps to the configured owner.
func ownerSigner(t testing.TB) *signing.RSASigner {
	return newSigner(t, pkix.Name{CommonName: "owner"})
}

// detached signs content with a detached CMS, as a client signs a
// document or a title.
func detached(t testing.TB, signer signing.Signer, content []byte) []byte {
	t.Helper()
	cms, err := signer.SignCMS(context.Background(), content, signing.SignOptions{Detached: true, Purpose: signing.PurposeDocument})
	require.NoError(t, err)
	return cms
}

// attached signs content with an attached CMS.
func attached(t testing.TB, signer signing.Signer, content []byte) []byte {
	t.Helper()
	cms, err := signer.SignCMS(context.Background(), content, signing.SignOptions{Purpose: signing.PurposeDocument})
	require.NoError(t, err)
	return cms
}

// b64 is standard base64.
func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// unb64 decodes a base64 text answer.
func unb64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err, s)
	return b
}

// docBody is the JSON transport of a document and its signature.
func docBody(t testing.TB, content, sig []byte) string {
	return jsonOf(t, map[string]string{"document": b64(content), "signature": b64(sig)})
}

// postDoc signs content with signer and posts it in the JSON transport.
func (a *api) postDoc(route string, signer signing.Signer, content []byte) answer {
	a.t.Helper()
	return a.post(route, docBody(a.t, content, detached(a.t, signer, content)))
}

// multipartBody builds a multipart/form-data body of the named fields.
func multipartBody(t testing.TB, fields ...string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		require.NoError(t, mw.WriteField(fields[i], fields[i+1]))
	}
	require.NoError(t, mw.Close())
	return buf.String(), mw.FormDataContentType()
}

// postFormal posts content and sig to outgoing-documents/formal.
func (a *api) postFormal(content, sig []byte) answer {
	a.t.Helper()
	body, ct := multipartBody(a.t, "content", b64(content), "signature", b64(sig))
	return a.send(req{method: http.MethodPost, route: "edo-api/outgoing-documents/formal", body: body, header: http.Header{"Content-Type": {ct}}})
}

// postText posts a text/plain body.
func (a *api) postText(route, body string) answer {
	a.t.Helper()
	return a.send(req{method: http.MethodPost, route: route, body: body, header: http.Header{"Content-Type": {"text/plain"}, "Accept": {"*/*"}}})
}

// getText gets a text answer.
func (a *api) getText(route string) answer {
	a.t.Helper()
	return a.send(req{route: route, header: http.Header{"Accept": {"*/*"}}})
}

// as returns a caller of the same fake with a token of participant.
func (a *api) as(s *Server, participant string) *api {
	c := *a
	c.token = s.IssueToken(participant)
	return &c
}

// inProcess is a caller that serves s in-process with a token of the
// owner; inside a synctest bubble its token is issued in the bubble.
func inProcess(t testing.TB, s *Server) *api {
	return &api{t: t, hc: &http.Client{Transport: &fakekit.HandlerTransport{Handler: s.Handler()}}, base: "http://trueapi.test" + APIPath, token: s.IssueToken("")}
}

// noticeXML is a re-introduction or withdrawal notice of pid.
func noticeXML(fileID, pid, reason string, codes ...string) []byte {
	return []byte(xmlHeader + "\n" + `<file fileId="` + fileID + `" version="1.0" sendingDateTime="2025-06-01T10:00:00Z"><document><mainInfo>` +
		`<reason>` + reason + `</reason><participantInfo participantIdentificationCode="` + pid + `"/>` +
		`<originalDocInfo docName="Акт" docNumber="7" docDate="01.06.2025"/></mainInfo>` +
		`<productList>` + xmlCodes(codes) + `</productList></document></file>`)
}

// importXML is a third-country import notice of pid.
func importXML(fileID, pid, code string) []byte {
	return []byte(xmlHeader + `<file fileId="` + fileID + `" version="1.0" sendingDateTime="2025-06-01T10:00:00Z"><document><mainInfo>` +
		`<importerInfo importerName="x" importerCode="` + pid + `"/><exportCountry>CN</exportCountry></mainInfo>` +
		`<productItems><item iCodeFromDeclaration="` + esc(code) + `"><product tnved="2402209000" gtin="04600000000001" originCountry="CN" itemNumber="1"/></item></productItems>` +
		`</document></file>`)
}

// ownUnits returns n units owned and produced by the owner.
func ownUnits(t testing.TB, s *Server, n int) []string {
	t.Helper()
	var out []string
	for _, c := range s.OwnCodes() {
		if c.Owner == s.Owner() && c.Producer == s.Owner() && c.PackageType == PackageUnit && len(out) < n {
			out = append(out, c.Cis)
		}
	}
	require.Len(t, out, n)
	return out
}

// actFor builds an Act of the owner to consignee with n of its units.
func actFor(t testing.TB, s *Server, consignee string, n int) []byte {
	return actXML("EEU_ACT_"+newUUID(), s.Owner(), consignee, time.Now().UTC().Format(layoutSeconds), ownUnits(t, s, n))
}

// docErr is an error of the import methods.
type docErr struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// edoItem is an item of the EDO registers.
type edoItem struct {
	ID        string `json:"id"`
	Status    int    `json:"status"`
	Number    string `json:"number"`
	Date      int64  `json:"date"`
	Type      int    `json:"type"`
	CreatedAt int64  `json:"created_at"`
}

// edoPage is a page of the EDO registers.
type edoPage struct {
	Count int       `json:"count"`
	Items []edoItem `json:"items"`
}
