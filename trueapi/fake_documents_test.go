package trueapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/signing"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

// The document and billing methods of §7–§8 of the documentation (D-1…D-28, B-1…B-3)
// against the fake. Documents are signed by the NCA signing key (RSA256_…)
// and sign-ins by the NCA authentication key; both certificates carry the
// same IIN, which owns no code of the data set, so the fake maps both to
// its owner (TestFakeDocSignersMapToOwner).

// ncaDocKey is an NCA RSA test key (password Qwerty12) with a signing
// certificate.
const ncaDocKey = "signing/testdata/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12"

// fakeDocDelay is the fake's DocumentDelay of the tests on sockets.
const fakeDocDelay = 50 * time.Millisecond

// fastPoll polls the fake every 10 to 50 ms.
var fastPoll = trueapi.WithPollInterval(10*time.Millisecond, 50*time.Millisecond)

func ncaDocSigner(t testing.TB) signing.Signer {
	t.Helper()
	s, err := signing.LoadPKCS12File(ncaDocKey, "Qwerty12", signing.PurposeDocument)
	require.NoError(t, err)
	return s
}

// docSigner signs in with the authentication key and documents with the
// signing key, the usual NCA key set.
func docSigner(t testing.TB) signing.Signer {
	t.Helper()
	return signing.ByPurpose(ncaSigner(t), ncaDocSigner(t))
}

func docConfig() trueapitest.Config {
	cfg := trueapitest.DefaultConfig()
	cfg.DocumentDelay = fakeDocDelay
	return cfg
}

// docClient starts a fake with cfg and a client that signs documents with
// signer (docSigner when nil), over a socket.
func docClient(t *testing.T, cfg trueapitest.Config, signer signing.Signer) (*trueapi.Client, *trueapitest.Server) {
	t.Helper()
	_, srv := fakeClient(t, cfg)
	if signer == nil {
		signer = docSigner(t)
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()), trueapi.WithRetryWait(time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	return c, srv
}

// bubbleClient is a client of srv served in-process, for a synctest
// bubble: the fake's document clock is the bubble's.
func bubbleClient(t *testing.T, srv *trueapitest.Server, signer signing.Signer) *trueapi.Client {
	t.Helper()
	hc := &http.Client{Transport: &fakekit.HandlerTransport{Handler: srv.Handler()}}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()), trueapi.WithHTTPClient(hc))
	require.NoError(t, err)
	return c
}

// ownUnits returns n consumer units the owner owns in group.
func ownUnits(t *testing.T, srv *trueapitest.Server, group string, n int) []trueapitest.Code {
	t.Helper()
	var out []trueapitest.Code
	for _, c := range srv.OwnCodes() {
		if c.Owner == srv.Owner() && c.PackageType == trueapitest.PackageUnit && c.ProductGroup == group {
			out = append(out, c)
			if len(out) == n {
				return out
			}
		}
	}
	t.Fatalf("the data set has fewer than %d %s units of the owner", n, group)
	return nil
}

func codeCounts(codes []trueapitest.Code) []trueapi.CodeCount {
	out := make([]trueapi.CodeCount, len(codes))
	for i, c := range codes {
		out[i] = trueapi.CodeCount{Code: c.Cis, Count: 1}
	}
	return out
}

func gtinTotals(codes []trueapitest.Code) []trueapi.GTINCount {
	var out []trueapi.GTINCount
	for _, c := range codes {
		i := slices.IndexFunc(out, func(g trueapi.GTINCount) bool { return g.GTIN == c.GTIN })
		if i < 0 {
			out = append(out, trueapi.GTINCount{GTIN: c.GTIN})
			i = len(out) - 1
		}
		out[i].Count++
	}
	return out
}

func owner(srv *trueapitest.Server) trueapi.DocParty {
	return trueapi.DocParty{IdentificationCode: srv.Owner(), Name: trueapitest.DefaultOwnerName}
}

func writeOffNotice(srv *trueapitest.Server, codes []trueapitest.Code) trueapi.WriteOffNotice {
	return trueapi.WriteOffNotice{
		Reason:      trueapi.WithdrawalDefect,
		Participant: owner(srv),
		Basis:       trueapi.BasisDoc{Name: "Акт списания", Number: "A-17", Date: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		Codes:       codeCounts(codes),
	}
}

func reintroductionNotice(srv *trueapitest.Server, codes []trueapitest.Code) trueapi.ReintroductionNotice {
	return trueapi.ReintroductionNotice{
		Reason:      trueapi.ReintroduceSurplus,
		Participant: owner(srv),
		Basis:       trueapi.BasisDoc{Name: "Акт инвентаризации", Number: "12", Date: time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)},
		Codes:       codeCounts(codes),
	}
}

func thirdCountryNotice(srv *trueapitest.Server, code trueapitest.Code) trueapi.ThirdCountryImportNotice {
	day := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	return trueapi.ThirdCountryImportNotice{
		Importer:        owner(srv),
		ExportCountry:   "CN",
		CustomsDocument: trueapi.CustomsDocument{Type: trueapi.CustomsDeclaration, RegNumber: "55301/161126/0012345", RegDate: day},
		CustomsDecision: trueapi.CustomsDecision{Code: "10", DateTime: day.Add(10 * time.Hour), CustomsCode: "55301"},
		Certification:   trueapi.CertificationDoc{Type: "Декларация о соответствии", Number: "ЕАЭС KG417/031.Д.0021456", Date: day},
		Items: []trueapi.ImportItem{{DeclaredCode: code.Cis, TNVED: code.TNVED, GTIN: code.GTIN, OriginCountry: "CN", ItemNumber: 1,
			Codes: []string{code.Cis}}},
	}
}

func transferAct(srv *trueapitest.Server, to string, codes []trueapitest.Code) trueapi.TransferAct {
	return trueapi.TransferAct{
		OperationType: trueapi.OperationSale,
		Supplier:      owner(srv),
		Consignee:     trueapi.DocParty{IdentificationCode: to},
		OriginalDoc:   &trueapi.PaperDoc{Number: "ЭСФ-" + to[:4], Date: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)},
		Codes:         codeCounts(codes),
		Totals:        gtinTotals(codes),
	}
}

func exportShipment(srv *trueapitest.Server, codes []trueapitest.Code) *trueapi.EAEUShipment {
	s := &trueapi.EAEUShipment{
		ProductGroup: trueapi.GroupMilk, ExporterCode: srv.Owner(), ReceiverCountryCode: "RU", ReceiverCode: trueapitest.Exporter,
		ReceiverName: trueapitest.ExporterName, DocumentNumber: "УПД-2026/117",
		DocumentDate: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), TransferDate: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
	}
	for _, c := range codes {
		s.Products = append(s.Products, trueapi.ShipmentProduct{Cis: c.Cis})
	}
	return s
}

// storedAs checks the must-show on the fake's copy of a document: it
// received exactly the bytes the client signed, once, and the signature it
// received verifies over them. It returns the stored document.
func storedAs(t *testing.T, srv *trueapitest.Server, id string, signed *trueapi.SignedDocument) trueapitest.Document {
	t.Helper()
	require.NotNil(t, signed)
	d, ok := srv.Document(id)
	require.True(t, ok, "the fake stored document %s", id)
	assert.Equal(t, signed.Content, d.Content, "the server received the signed bytes, byte for byte")
	assert.Equal(t, signed.Signature, d.Signature, "and the signature as signed")
	v, err := signing.Verify(d.Signature, d.Content)
	require.NoError(t, err, "the signature verifies over the bytes the server received")
	assert.True(t, v.Detached)
	assert.Equal(t, 1, srv.ReceivedTimes(d.Content), "the document reached the server once")
	return d
}

// documentsBy returns the documents of the owner the route created.
func documentsBy(srv *trueapitest.Server, route string) []trueapitest.Document {
	var out []trueapitest.Document
	for _, d := range srv.Documents("") {
		if d.Route == route {
			out = append(out, d)
		}
	}
	return out
}

func isReceipt(d trueapitest.Document) bool {
	return d.Type == trueapitest.TypeReceipt || d.Type == trueapitest.TypeReceiptReturn
}

// collect drains an iterator, failing the test on an error; it gives up
// after limit items, so a walk that never ends shows as duplicates.
func collect[T any](t *testing.T, seq iter.Seq2[T, error], limit int) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
		if len(out) >= limit {
			break
		}
	}
	return out
}

func TestFakeDocSignersMapToOwner(t *testing.T) {
	auth, ok := ncaSigner(t).(signing.CertificateProvider)
	require.True(t, ok)
	doc, ok := ncaDocSigner(t).(signing.CertificateProvider)
	require.True(t, ok)
	a, d := trueapitest.ParticipantOf(auth.Certificate()), trueapitest.ParticipantOf(doc.Certificate())
	assert.Equal(t, "123456789011", a, "the IIN of the subject SERIALNUMBER")
	assert.Equal(t, a, d, "both keys belong to the same participant")
	srv := trueapitest.NewServer()
	defer srv.Close()
	for _, c := range srv.OwnCodes() {
		require.NotEqual(t, a, c.Owner)
		require.NotEqual(t, a, c.Producer)
	}
	// So the fake maps both to its owner: a document of the owner signed
	// by the signing key is accepted (the tests below).
}

// D-17 in a synctest bubble, where the fake's DocumentDelay runs on the
// bubble's clock: the write-off is IN_PROGRESS until the delay has passed,
// then CHECKED_OK; a failed check is the typed failure.
func TestFakeDocWriteOff(t *testing.T) {
	cfg := trueapitest.DefaultConfig()
	cfg.DocumentDelay = time.Second
	srv := trueapitest.NewServerWith(cfg) // outside the bubble
	defer srv.Close()
	signer := docSigner(t)
	codes := ownUnits(t, srv, "tobacco", 4)
	synctest.Test(t, func(t *testing.T) {
		c := bubbleClient(t, srv, signer)
		ctx := context.Background()

		sent, err := c.SendWriteOffNotice(ctx, writeOffNotice(srv, codes[:2]))
		require.NoError(t, err)
		require.NotEmpty(t, sent.FileID)
		assert.Equal(t, sent.FileID, sent.DocumentID, "the id of D-17 is the fileId")
		stored := storedAs(t, srv, sent.DocumentID, sent.Signed)
		assert.Equal(t, "POST documents/writeOff", stored.Route)
		assert.Equal(t, trueapitest.TypeWithdrawal, stored.Type)
		require.NotEmpty(t, sent.ProcessingNumber)
		assert.Equal(t, stored.ProcessingNumber, sent.ProcessingNumber, "the internal processing number answered as text")

		info, err := c.DocumentInfo(ctx, sent.DocumentID)
		require.NoError(t, err)
		assert.Equal(t, trueapi.DocStatusInProgress, info.Status, "checked for DocumentDelay")
		assert.Equal(t, string(sent.Signed.Content), info.Content, "D-26 content is the document as received")

		start := time.Now()
		var seen []string
		info, err = c.WaitDocument(ctx, sent.DocumentID, trueapi.WithProgress(func(s string) { seen = append(seen, s) }))
		require.NoError(t, err)
		assert.Equal(t, trueapi.DocStatusCheckedOK, info.Status)
		assert.Equal(t, trueapi.DocWithdrawal, info.Type)
		assert.Equal(t, srv.Owner(), info.SenderBIN)
		assert.Equal(t, []string{"IN_PROGRESS", "CHECKED_OK"}, seen, "polled once before the check ended, once after")
		assert.Equal(t, time.Second, time.Since(start), "the first wait (1 s) reached the end of the check")
		var body map[string]any
		require.NoError(t, json.Unmarshal(info.Body, &body), "D-26 body is the document as JSON")
		assert.Contains(t, string(info.Body), srv.Owner())

		// The check fails: WaitDocument gives the typed failure with the
		// server's errors.
		srv.FailNextDocument(trueapitest.DocCheckedNotOK)
		failing, err := c.SendWriteOffNotice(ctx, writeOffNotice(srv, codes[2:]))
		require.NoError(t, err, "the failure comes with the check, not with the send")
		storedAs(t, srv, failing.DocumentID, failing.Signed)
		_, err = c.WaitDocument(ctx, failing.DocumentID)
		require.ErrorIs(t, err, trueapi.ErrDocumentFailed)
		var fe *trueapi.DocumentFailedError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, failing.DocumentID, fe.ID)
		assert.Equal(t, trueapi.DocStatusCheckedNotOK, fe.Status)
		require.NotEmpty(t, fe.Errors)
		assert.Contains(t, fe.Errors[0], "FailNextDocument")
		assert.Contains(t, err.Error(), "CHECKED_NOT_OK")
		stored, _ = srv.Document(failing.DocumentID)
		assert.Equal(t, fe.Errors, stored.Errors)

		st := srv.Stats()
		assert.Equal(t, 2, st.Documents)
		assert.Equal(t, 2, st.Requests["POST documents/writeOff"], "nothing sent twice")
	})
}

// D-13 and D-16, followed with D-26 and D-5.
func TestFakeDocReintroductionAndImport(t *testing.T) {
	c, srv := docClient(t, docConfig(), nil)
	ctx := context.Background()
	codes := ownUnits(t, srv, "milk", 3)

	re, err := c.SendReintroductionNotice(ctx, reintroductionNotice(srv, codes[:2]))
	require.NoError(t, err)
	assert.Equal(t, re.FileID, re.DocumentID, "the id of D-13 is the fileId")
	assert.Empty(t, re.ProcessingNumber, "D-13 answers an empty 200")
	stored := storedAs(t, srv, re.DocumentID, re.Signed)
	assert.Equal(t, trueapitest.TypeIntroduceGoods, stored.Type)
	assert.Equal(t, "POST documents/transit/introduce-goods/create", stored.Route)

	srv.FailNextDocument(trueapitest.DocProcessingError)
	imp, err := c.SendThirdCountryImportNotice(ctx, thirdCountryNotice(srv, codes[2]))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(imp.FileID, trueapi.FileIDPrefixImport))
	assert.Equal(t, imp.FileID, imp.DocumentID)
	stored = storedAs(t, srv, imp.DocumentID, imp.Signed)
	assert.Equal(t, trueapitest.TypeImport, stored.Type)
	require.NotEmpty(t, imp.ProcessingNumber)
	assert.Equal(t, stored.ProcessingNumber, imp.ProcessingNumber)

	info, err := c.WaitDocument(ctx, re.DocumentID, fastPoll)
	require.NoError(t, err)
	assert.Equal(t, trueapi.DocStatusCheckedOK, info.Status)
	assert.Equal(t, trueapi.DocIntroduceGoods, info.Type)

	_, err = c.WaitDocument(ctx, imp.DocumentID, fastPoll)
	var fe *trueapi.DocumentFailedError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, trueapi.DocStatusProcessingError, fe.Status)
	require.NotNil(t, fe.Info)
	assert.Equal(t, trueapi.DocImport, fe.Info.Type)

	// D-5: the finished document's details, its body typed.
	edo, err := c.EDODocumentInfo(ctx, re.DocumentID)
	require.NoError(t, err)
	require.Len(t, edo, 1)
	assert.Equal(t, trueapi.DocStatusCheckedOK, edo[0].Status)
	assert.Equal(t, trueapi.DocIntroduceGoods, edo[0].Type)
	assert.Equal(t, re.FileID, edo[0].FileID)
	body, err := edo[0].Document()
	require.NoError(t, err)
	require.NotNil(t, body.Participant)
	assert.Equal(t, srv.Owner(), body.Participant.IdentificationCode)
	assert.Equal(t, "1", body.Reason)
	var values []string
	for _, p := range body.Products {
		values = append(values, p.Value)
	}
	assert.Equal(t, cisesOf(codes[:2]), values)

	edo, err = c.EDODocumentInfo(ctx, imp.DocumentID)
	require.NoError(t, err)
	require.Len(t, edo, 1)
	assert.Equal(t, trueapi.DocImport, edo[0].Type)
	assert.Equal(t, trueapi.DocStatusProcessingError, edo[0].Status)
}

// D-14 and D-15: the four EDO documents over the multipart formal route.
func TestFakeEDOFormalDocuments(t *testing.T) {
	c, srv := docClient(t, docConfig(), nil)
	ctx := context.Background()
	codes := ownUnits(t, srv, "alcohol", 4)

	var incoming trueapitest.Document
	for _, d := range srv.Documents("") {
		if d.Sender == trueapitest.OtherOwner1 && d.EdoType == trueapitest.EdoAct && d.EdoStatus == trueapitest.ActAwaiting {
			incoming = d
			break
		}
	}
	require.NotEmpty(t, incoming.ID)

	act, err := c.SendEDODocument(ctx, transferAct(srv, trueapitest.OtherOwner1, codes[:2]))
	require.NoError(t, err)
	require.NotEmpty(t, act.DocumentID)
	assert.True(t, strings.HasPrefix(act.FileID, trueapi.FileIDPrefixAct))

	correction := transferAct(srv, trueapitest.OtherOwner1, codes[:1])
	correction.Correction = &trueapi.ActCorrection{DocID: act.DocumentID, RegNumber: act.DocumentID, RegDate: time.Now()}
	cor, err := c.SendEDODocument(ctx, correction)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(cor.FileID, trueapi.FileIDPrefixCorrectionAct))

	div, err := c.SendEDODocument(ctx, trueapi.DivergenceNotice{
		ActID:     incoming.ID,
		Supplier:  trueapi.DocParty{IdentificationCode: trueapitest.OtherOwner1, Name: trueapitest.OtherOwner1Name},
		Consignee: owner(srv),
		Codes:     []trueapi.RevisedCode{{Code: codes[2].Cis, Status: trueapi.ReviseNotFound}, {Code: codes[3].Cis, Status: trueapi.ReviseAdded}},
	})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(div.FileID, trueapi.FileIDPrefixDivergence))

	ru := []string{"0104600439931256215xWq%Zp", "0104600439931256215xWq&Zr"}
	eaeu, err := c.SendEDODocument(ctx, trueapi.EAEUImportNotice{
		Supplier:  trueapi.EAEUSupplier{Name: trueapitest.ExporterName, IdentificationCode: trueapitest.Exporter, CountryCode: "RU"},
		Consignee: owner(srv),
		Excise:    &trueapi.ExciseReceipt{Number: "EX-7", Date: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		Codes:     ru,
		Totals:    []trueapi.GTINCount{{GTIN: "04600439931256", Count: 2}},
	})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(eaeu.FileID, trueapi.FileIDPrefixImportTransit))

	want := map[string]struct {
		edoType, status int
	}{
		act.DocumentID:  {trueapitest.EdoAct, trueapitest.ActAwaiting},
		cor.DocumentID:  {trueapitest.EdoActCorrection, trueapitest.ActAwaiting},
		div.DocumentID:  {trueapitest.EdoDivergence, trueapitest.ActUnderAgreement},
		eaeu.DocumentID: {trueapitest.EdoImportNotice, trueapitest.ActAwaiting},
	}
	for _, sent := range []*trueapi.SentDocument{act, cor, div, eaeu} {
		stored := storedAs(t, srv, sent.DocumentID, sent.Signed)
		assert.Equal(t, "POST edo-api/outgoing-documents/formal", stored.Route)
		assert.Equal(t, sent.FileID, stored.FileID)
		assert.Equal(t, want[sent.DocumentID].edoType, stored.EdoType)
		assert.Equal(t, srv.Owner(), stored.Sender, "the owner registers each of them")
		// D-26 follows EDO documents by their id too.
		info, err := c.WaitDocument(ctx, sent.DocumentID, fastPoll)
		require.NoError(t, err)
		assert.Equal(t, trueapi.DocStatusCheckedOK, info.Status)
		xml, err := c.OutgoingDocumentXML(ctx, sent.DocumentID)
		require.NoError(t, err)
		assert.Equal(t, sent.Signed.Content, xml, "D-3 gives back the exact XML")
	}

	// The outgoing register (D-1) shows the four in their Act statuses.
	got := map[string]trueapi.ActStatus{}
	types := []trueapi.EDODocumentType{trueapi.EDOAct, trueapi.EDOCorrectionAct, trueapi.EDODivergenceNotice, trueapi.EDOImportNotice}
	for d, err := range c.OutgoingDocuments(ctx, trueapi.EDOFilter{Types: types, CreatedFrom: time.Now().Add(-time.Hour), Limit: 3}) {
		require.NoError(t, err)
		got[d.ID] = d.Status
	}
	require.Len(t, got, 4)
	for id, w := range want {
		assert.Equal(t, trueapi.ActStatus(w.status), got[id], id)
	}

	// An Act to a consignee whose registration is not finished: the
	// documentation's 400, nothing registered.
	_, err = c.SendEDODocument(ctx, transferAct(srv, trueapitest.PreRegisteredBIN, codes[:1]))
	require.ErrorIs(t, err, trueapi.ErrValidation)
	assert.Contains(t, err.Error(), "PRE_REGISTERED")
	assert.Len(t, documentsBy(srv, "POST edo-api/outgoing-documents/formal"), 4)
}

// The dropped-connection must-show for D-17: the fake stores the write-off
// and drops the answer; the client does not send it again, says so with
// ErrOutcomeUnknown and names the check, which finds the document.
func TestFakeDroppedWriteOff(t *testing.T) {
	c, srv := docClient(t, docConfig(), nil)
	ctx := context.Background()
	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "documents/writeOff", DropResponse: true})

	sent, err := c.SendWriteOffNotice(ctx, writeOffNotice(srv, ownUnits(t, srv, "tobacco", 2)))
	require.Error(t, err)
	require.ErrorIs(t, err, trueapi.ErrOutcomeUnknown)
	var oe *trueapi.OutcomeUnknownError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "POST documents/writeOff", oe.Op)
	require.NotNil(t, sent, "the signed document comes with the error")
	assert.Contains(t, err.Error(), "Client.DocumentInfo", "the message names the method to check with")
	assert.Contains(t, err.Error(), sent.FileID)

	assert.Equal(t, 1, srv.Stats().Requests["POST documents/writeOff"], "not sent again")
	stored := storedAs(t, srv, sent.FileID, sent.Signed)
	assert.Equal(t, 1, srv.ReceivedTimes(stored.Content), "stored exactly once")

	// The check the error names finds the document.
	info, err := c.DocumentInfo(ctx, sent.FileID)
	require.NoError(t, err)
	assert.Equal(t, sent.FileID, info.Number)
	info, err = c.WaitDocument(ctx, sent.FileID, fastPoll)
	require.NoError(t, err)
	assert.Equal(t, trueapi.DocStatusCheckedOK, info.Status)
	assert.Equal(t, 1, srv.Stats().Documents)
}

// The dropped-connection must-show for the multipart formal route.
func TestFakeDroppedFormal(t *testing.T) {
	c, srv := docClient(t, docConfig(), nil)
	ctx := context.Background()
	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "edo-api/outgoing-documents/formal", DropResponse: true})
	start := time.Now().Truncate(time.Second)

	sent, err := c.SendEDODocument(ctx, transferAct(srv, trueapitest.OtherOwner2, ownUnits(t, srv, "milk", 3)))
	require.ErrorIs(t, err, trueapi.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "Client.OutgoingDocuments", "the message names the register to check")
	require.NotNil(t, sent)
	assert.Empty(t, sent.DocumentID, "the answer with the documentId was lost")
	assert.Equal(t, 1, srv.Stats().Requests["POST edo-api/outgoing-documents/formal"], "not sent again")
	assert.Equal(t, 1, srv.ReceivedTimes(sent.Signed.Content), "stored exactly once")
	formal := documentsBy(srv, "POST edo-api/outgoing-documents/formal")
	require.Len(t, formal, 1)
	storedAs(t, srv, formal[0].ID, sent.Signed)

	// As a caller would: read the outgoing register from the time of the
	// send and compare the XML of each new document with the one sent.
	var found []string
	for d, err := range c.OutgoingDocuments(ctx, trueapi.EDOFilter{CreatedFrom: start}) {
		require.NoError(t, err)
		xml, err := c.OutgoingDocumentXML(ctx, d.ID)
		require.NoError(t, err)
		if bytes.Equal(xml, sent.Signed.Content) {
			found = append(found, d.ID)
		}
	}
	assert.Equal(t, []string{formal[0].ID}, found, "the register holds the document once")
	info, err := c.WaitDocument(ctx, found[0], fastPoll)
	require.NoError(t, err)
	assert.Equal(t, trueapi.DocStatusCheckedOK, info.Status)
}

// The dropped-connection must-show for D-18 edo-api/shipments.
func TestFakeDroppedShipment(t *testing.T) {
	c, srv := docClient(t, docConfig(), nil)
	ctx := context.Background()
	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "edo-api/shipments", DropResponse: true})

	res, err := c.SendShipment(ctx, exportShipment(srv, ownUnits(t, srv, "milk", 2)))
	require.ErrorIs(t, err, trueapi.ErrOutcomeUnknown)
	assert.Nil(t, res, "no shipmentId came back")
	assert.Contains(t, err.Error(), "documents/searchV2", "the message names the search to check with")
	assert.Equal(t, 1, srv.Stats().Requests["POST edo-api/shipments"], "not sent again")

	// The client keeps nothing on this path: take the content from the
	// fake's store.
	shipped := documentsBy(srv, "POST edo-api/shipments")
	require.Len(t, shipped, 1)
	assert.Equal(t, 1, srv.ReceivedTimes(shipped[0].Content), "stored exactly once")
	v, err := signing.Verify(shipped[0].Signature, shipped[0].Content)
	require.NoError(t, err)
	assert.True(t, v.Detached)

	// The named check, D-21, finds it.
	found := collect(t, c.SearchDocumentsV2(ctx, trueapi.DocumentSearchV2{
		DocumentType: trueapitest.TypeShipment, SenderBIN: srv.Owner(),
	}), 100)
	require.Len(t, found, 1)
	assert.Equal(t, shipped[0].ID, found[0].DocumentID())
	st, err := c.WaitShipment(ctx, found[0].DocumentID(), fastPoll)
	require.NoError(t, err)
	assert.Equal(t, trueapi.ShipmentStatusAccepted, st.Status)
}

// D-1 … D-5 on the seeded registers, D-6 and D-21.
func TestFakeEDORegisters(t *testing.T) {
	c, srv := fakeClient(t, docConfig())
	ctx := context.Background()
	own := srv.Owner()
	var wantOut, wantIn, wantInAwaiting []string
	var outAct, inAct, importNotice, reintro trueapitest.Document
	for _, d := range srv.Documents("") {
		switch {
		case d.EdoType != 0 && d.Sender == own:
			wantOut = append(wantOut, d.ID)
			if d.EdoType == trueapitest.EdoAct && outAct.ID == "" {
				outAct = d
			}
			if d.EdoType == trueapitest.EdoImportNotice {
				importNotice = d
			}
		case d.EdoType == trueapitest.EdoAct && d.Receiver == own:
			wantIn = append(wantIn, d.ID)
			inAct = d
			if d.EdoStatus == trueapitest.ActAwaiting {
				wantInAwaiting = append(wantInAwaiting, d.ID)
			}
		case d.Type == trueapitest.TypeIntroduceGoods:
			reintro = d
		}
	}
	require.Len(t, wantOut, 4, "three Acts and an EAEU import notice")
	require.Len(t, wantIn, 5)
	require.Len(t, wantInAwaiting, 3)

	ids := func(docs []trueapi.EDODocument) []string {
		out := make([]string, len(docs))
		for i, d := range docs {
			out[i] = d.ID
		}
		return out
	}
	before := srv.Stats().Requests["GET edo-api/outgoing-documents"]
	out := collect(t, c.OutgoingDocuments(ctx, trueapi.EDOFilter{Limit: 3}), 100)
	assert.ElementsMatch(t, wantOut, ids(out))
	assert.Equal(t, 2, srv.Stats().Requests["GET edo-api/outgoing-documents"]-before, "two pages of 3")
	in := collect(t, c.IncomingDocuments(ctx, trueapi.EDOFilter{Limit: 2}), 100)
	assert.ElementsMatch(t, wantIn, ids(in), "Acts only: the incoming register's default type")
	for _, d := range in {
		assert.Equal(t, trueapi.EDOAct, d.Type)
		assert.False(t, d.CreatedAt.IsZero())
	}

	// Filters: statuses (61 and 62 stand for 4 and 10) and types.
	awaiting := collect(t, c.IncomingDocuments(ctx, trueapi.EDOFilter{Statuses: []trueapi.ActStatus{trueapi.ActRegistered}}), 100)
	assert.ElementsMatch(t, wantInAwaiting, ids(awaiting))
	withCorrections := collect(t, c.IncomingDocuments(ctx, trueapi.EDOFilter{
		Statuses: []trueapi.ActStatus{trueapi.ActRegistered}, Types: []trueapi.EDODocumentType{trueapi.EDOAct, trueapi.EDOCorrectionAct},
	}), 100)
	assert.Len(t, withCorrections, 4, "and the awaiting correction")
	signed := collect(t, c.OutgoingDocuments(ctx, trueapi.EDOFilter{Statuses: []trueapi.ActStatus{trueapi.ActSignedByRecipientFilter}}), 100)
	require.Len(t, signed, 1)
	assert.Equal(t, trueapi.ActConfirmed, signed[0].Status, "61 asks for the status 4")
	failed := collect(t, c.OutgoingDocuments(ctx, trueapi.EDOFilter{Statuses: []trueapi.ActStatus{trueapi.ActDeliveryErrorFilter}}), 100)
	require.Len(t, failed, 1)
	assert.Equal(t, trueapi.ActInvalid, failed[0].Status)
	notices := collect(t, c.OutgoingDocuments(ctx, trueapi.EDOFilter{Types: []trueapi.EDODocumentType{trueapi.EDOImportNotice}}), 100)
	assert.Equal(t, []string{importNotice.ID}, ids(notices))
	partner := collect(t, c.OutgoingDocuments(ctx, trueapi.EDOFilter{PartnerINN: trueapitest.OtherOwner2}), 100)
	assert.Len(t, partner, 1)

	// Page calls.
	p, err := c.OutgoingDocumentsPage(ctx, trueapi.EDOFilter{Limit: 3}, 0)
	require.NoError(t, err)
	assert.Equal(t, 4, p.Count)
	assert.Len(t, p.Items, 3)
	assert.True(t, p.More)
	assert.Equal(t, 3, p.Next)
	p, err = c.OutgoingDocumentsPage(ctx, trueapi.EDOFilter{Limit: 3}, p.Next)
	require.NoError(t, err)
	assert.Len(t, p.Items, 1)
	assert.False(t, p.More)
	p, err = c.IncomingDocumentsPage(ctx, trueapi.EDOFilter{Limit: 10}, 50)
	require.NoError(t, err)
	assert.Empty(t, p.Items)
	assert.Equal(t, 5, p.Count)
	assert.False(t, p.More)

	// D-3, D-4: the XML as stored.
	xml, err := c.OutgoingDocumentXML(ctx, outAct.ID)
	require.NoError(t, err)
	assert.Equal(t, outAct.Content, xml)
	assert.True(t, bytes.HasPrefix(xml, []byte("<?xml")))
	xml, err = c.IncomingDocumentXML(ctx, inAct.ID)
	require.NoError(t, err)
	assert.Equal(t, inAct.Content, xml)
	_, err = c.IncomingDocumentXML(ctx, outAct.ID)
	require.ErrorIs(t, err, trueapi.ErrNotFound, "an outgoing document is not in the incoming register")
	_, err = c.OutgoingDocumentXML(ctx, "00000000-0000-4000-8000-000000000000")
	require.ErrorIs(t, err, trueapi.ErrNotFound)

	// D-5 on the seeded EAEU import notice and re-introduction.
	info, err := c.EDODocumentInfo(ctx, importNotice.ID)
	require.NoError(t, err)
	require.Len(t, info, 1)
	assert.Equal(t, trueapi.DocImportTransit, info[0].Type)
	assert.Equal(t, importNotice.FileID, info[0].FileID)
	body, err := info[0].Document()
	require.NoError(t, err)
	require.NotNil(t, body.Supplier)
	assert.Equal(t, "RU", body.Supplier.CountryCode)
	require.NotNil(t, body.Excise)
	assert.Equal(t, "123.09", body.Excise.Amount.StringFixed(2))
	info, err = c.EDODocumentInfo(ctx, reintro.ID)
	require.NoError(t, err)
	require.Len(t, info, 1)
	assert.Equal(t, trueapi.DocIntroduceGoods, info[0].Type)
	_, err = c.EDODocumentInfo(ctx, "no-such-document")
	require.ErrorIs(t, err, trueapi.ErrNotFound)
}

// D-6 and D-21, the searches of finished documents.
func TestFakeEDOSearch(t *testing.T) {
	c, srv := fakeClient(t, docConfig())
	ctx := context.Background()
	var all, acts, eaeu []string
	accepted := 0
	for _, d := range srv.Documents("") {
		if isReceipt(d) {
			continue
		}
		all = append(all, d.ID)
		if d.Type == trueapitest.TypeAct {
			acts = append(acts, d.ID)
		}
		if d.Type == trueapitest.TypeShipment || d.Type == trueapitest.TypeAcceptance {
			eaeu = append(eaeu, d.ID)
		}
		if d.Type == trueapitest.TypeShipment && d.Status == trueapitest.DocAccepted {
			accepted++
		}
	}
	require.Len(t, eaeu, 4, "three incoming shipments and an acceptance")
	require.Equal(t, 1, accepted)
	found := func(docs []trueapi.FoundDocument) []string {
		out := make([]string, len(docs))
		for i, d := range docs {
			out[i] = d.DocumentID()
		}
		return out
	}
	year := trueapi.DocumentSearch{DateFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)}

	s := year
	s.Limit = 4
	before := srv.Stats().Requests["POST documents/search"]
	docs := collect(t, c.SearchDocuments(ctx, s), 1000)
	assert.ElementsMatch(t, all, found(docs), "every document of the owner, no receipt, no duplicate")
	assert.Equal(t, (len(all)+4)/4, srv.Stats().Requests["POST documents/search"]-before, "pages of 4, the last one short or empty")
	for _, d := range docs {
		assert.False(t, d.SendingDateTime.IsZero())
		assert.NotEmpty(t, d.Status)
	}
	s = year
	s.DocumentType = trueapi.DocAcceptanceAct
	assert.ElementsMatch(t, acts, found(collect(t, c.SearchDocuments(ctx, s), 100)))

	// Nothing on those days: the server's 404 is an empty result.
	empty := trueapi.DocumentSearch{DateFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)}
	assert.Empty(t, collect(t, c.SearchDocuments(ctx, empty), 10))
	page, err := c.SearchDocumentsPage(ctx, empty, 0)
	require.NoError(t, err)
	assert.Empty(t, page.Documents)
	assert.False(t, page.More)

	// D-21.
	v2 := collect(t, c.SearchDocumentsV2(ctx, trueapi.DocumentSearchV2{DocumentType: trueapitest.TypeShipmentGroup, Limit: 3}), 100)
	assert.ElementsMatch(t, eaeu, found(v2))
	acc := collect(t, c.SearchDocumentsV2(ctx, trueapi.DocumentSearchV2{DocumentType: trueapitest.TypeShipment, DocumentStatus: trueapitest.DocAccepted}), 100)
	require.Len(t, acc, 1)
	assert.Equal(t, trueapitest.Exporter, acc[0].Exporter)
	assert.Equal(t, "643", acc[0].SenderCountry)
	v2page, err := c.SearchDocumentsV2Page(ctx, trueapi.DocumentSearchV2{DocumentType: trueapitest.TypeAcceptance, DateFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)}, 0)
	require.NoError(t, err)
	assert.Empty(t, v2page.Documents)
}

// incomingAwaiting returns the seeded incoming Acts awaiting the owner's
// decision.
func incomingAwaiting(t *testing.T, c *trueapi.Client) []string {
	t.Helper()
	var ids []string
	for d, err := range c.IncomingDocuments(context.Background(), trueapi.EDOFilter{Statuses: []trueapi.ActStatus{trueapi.ActRegistered}}) {
		require.NoError(t, err)
		ids = append(ids, d.ID)
	}
	require.Len(t, ids, 3)
	return ids
}

func incomingStatuses(t *testing.T, c *trueapi.Client) map[string]trueapi.ActStatus {
	t.Helper()
	out := map[string]trueapi.ActStatus{}
	for d, err := range c.IncomingDocuments(context.Background(), trueapi.EDOFilter{}) {
		require.NoError(t, err)
		out[d.ID] = d.Status
	}
	return out
}

// D-8, D-9, D-10: accepting and rejecting incoming Acts.
func TestFakeTitleDecideIncoming(t *testing.T) {
	c, srv := docClient(t, docConfig(), nil)
	ctx := context.Background()
	ids := incomingAwaiting(t, c)

	// One call: approve.
	approved, err := c.DecideIncoming(ctx, ids[0], trueapi.DecisionApprove)
	require.NoError(t, err)
	d, _ := srv.Document(ids[0])
	require.Len(t, d.Titles, 1)
	assert.Equal(t, trueapitest.DecisionApprove, d.Titles[0].Decision)
	assert.Equal(t, d.Titles[0].Content, approved.Content, "the exact title bytes the server served were signed")
	assert.Equal(t, approved.Signature, d.Titles[0].Signature)
	_, err = signing.Verify(d.Titles[0].Signature, d.Titles[0].Content)
	require.NoError(t, err, "the title signature verifies over the title the server holds")
	assert.Contains(t, string(approved.Content), `decision="APPROVE"`)
	assert.Equal(t, 1, srv.ReceivedTimes(approved.Signature))
	title, err := c.IncomingTitle(ctx, ids[0], trueapi.DecisionApprove)
	require.NoError(t, err)
	assert.Equal(t, approved.Content, title, "D-8 returns the signed title")
	assert.Equal(t, 1, srv.Stats().TitlesSigned)

	// One call: reject.
	rejected, err := c.DecideIncoming(ctx, ids[1], trueapi.DecisionReject)
	require.NoError(t, err)
	assert.Contains(t, string(rejected.Content), `decision="REJECT"`)
	title, err = c.IncomingTitle(ctx, ids[1], trueapi.DecisionReject)
	require.NoError(t, err)
	assert.Equal(t, rejected.Content, title)
	_, err = c.IncomingTitle(ctx, ids[1], trueapi.DecisionApprove)
	require.ErrorIs(t, err, trueapi.ErrNotFound, "no approval title was made")
	assert.Equal(t, 2, srv.Stats().TitlesSigned)

	// Two steps: the title, the same bytes again until signed, then the
	// signature.
	title, err = c.CreateIncomingTitle(ctx, ids[2], trueapi.DecisionApprove)
	require.NoError(t, err)
	again, err := c.CreateIncomingTitle(ctx, ids[2], trueapi.DecisionApprove)
	require.NoError(t, err)
	assert.Equal(t, title, again, "an unsigned title is served again byte for byte")
	read, err := c.IncomingTitle(ctx, ids[2], trueapi.DecisionApprove)
	require.NoError(t, err)
	assert.Equal(t, title, read)
	signed, err := c.SignDocument(ctx, trueapi.RawDocument(title))
	require.NoError(t, err)
	assert.Equal(t, trueapitest.ActAwaiting, int(incomingStatuses(t, c)[ids[2]]), "nothing decided before the signature")
	require.NoError(t, c.SendIncomingTitleSignature(ctx, ids[2], trueapi.DecisionApprove, signed.Signature))
	assert.Equal(t, 3, srv.Stats().TitlesSigned)
	d, _ = srv.Document(ids[2])
	require.Len(t, d.Titles, 1)
	assert.Equal(t, signed.Signature, d.Titles[0].Signature)

	st := incomingStatuses(t, c)
	assert.Equal(t, trueapi.ActConfirmed, st[ids[0]])
	assert.Equal(t, trueapi.ActRejected, st[ids[1]])
	assert.Equal(t, trueapi.ActConfirmed, st[ids[2]])

	// A decided Act takes no other decision.
	_, err = c.DecideIncoming(ctx, ids[0], trueapi.DecisionReject)
	require.ErrorIs(t, err, trueapi.ErrValidation)
	assert.Equal(t, 3, srv.Stats().TitlesSigned)
	assert.Zero(t, srv.Stats().SignatureFailures)
}

// D-7, D-11, D-12: withdrawing outgoing Acts.
func TestFakeTitleWithdraw(t *testing.T) {
	cfg := docConfig()
	cfg.DocumentDelay = 250 * time.Millisecond // long enough to see status 1
	c, srv := docClient(t, cfg, nil)
	ctx := context.Background()
	var seededID string
	for d, err := range c.OutgoingDocuments(ctx, trueapi.EDOFilter{Statuses: []trueapi.ActStatus{trueapi.ActRegistered}, Types: []trueapi.EDODocumentType{trueapi.EDOAct}}) {
		require.NoError(t, err)
		seededID = d.ID
	}
	require.NotEmpty(t, seededID)
	_, err := c.WithdrawalTitle(ctx, seededID)
	require.ErrorIs(t, err, trueapi.ErrNotFound, "no withdrawal yet")

	// One call on the seeded Act awaiting its buyer.
	w, err := c.WithdrawOutgoing(ctx, seededID)
	require.NoError(t, err)
	assert.Contains(t, string(w.Content), `decision="WITHDRAW"`)
	title, err := c.WithdrawalTitle(ctx, seededID)
	require.NoError(t, err)
	assert.Equal(t, w.Content, title)
	d, _ := srv.Document(seededID)
	require.Len(t, d.Titles, 1)
	assert.Equal(t, w.Signature, d.Titles[0].Signature)
	_, err = signing.Verify(d.Titles[0].Signature, d.Titles[0].Content)
	require.NoError(t, err)
	assert.Equal(t, trueapitest.ActWithdrawn, d.EdoStatus)

	// Two steps on an Act sent now, once it awaits its buyer.
	act, err := c.SendEDODocument(ctx, transferAct(srv, trueapitest.OtherOwner1, ownUnits(t, srv, "tobacco", 1)))
	require.NoError(t, err)
	_, err = c.CreateWithdrawalTitle(ctx, act.DocumentID)
	require.ErrorIs(t, err, trueapi.ErrValidation, "status 1: still checked")
	_, err = c.WaitDocument(ctx, act.DocumentID, fastPoll)
	require.NoError(t, err)
	title, err = c.CreateWithdrawalTitle(ctx, act.DocumentID)
	require.NoError(t, err)
	signed, err := c.SignDocument(ctx, trueapi.RawDocument(title))
	require.NoError(t, err)
	require.NoError(t, c.SendWithdrawalTitleSignature(ctx, act.DocumentID, signed.Signature))
	read, err := c.WithdrawalTitle(ctx, act.DocumentID)
	require.NoError(t, err)
	assert.Equal(t, title, read)

	got := map[string]trueapi.ActStatus{}
	for d, err := range c.OutgoingDocuments(ctx, trueapi.EDOFilter{Statuses: []trueapi.ActStatus{trueapi.ActWithdrawn}}) {
		require.NoError(t, err)
		got[d.ID] = d.Status
	}
	assert.Equal(t, map[string]trueapi.ActStatus{seededID: trueapi.ActWithdrawn, act.DocumentID: trueapi.ActWithdrawn}, got)
	assert.Equal(t, 2, srv.Stats().TitlesSigned)
}

// D-25, D-26: every document of the owner in pages of two, per product
// group, no duplicate.
func TestFakeListDocuments(t *testing.T) {
	c, srv := fakeClient(t, docConfig())
	ctx := context.Background()
	docs := srv.Documents("")
	for _, g := range []trueapi.ProductGroup{trueapi.GroupTobacco, trueapi.GroupMilk, trueapi.GroupAlcohol} {
		var want []string
		for _, d := range docs {
			if !isReceipt(d) && (d.ProductGroup == "" || d.ProductGroup == string(g)) {
				want = append(want, d.ID)
			}
		}
		before := srv.Stats().Requests["GET doc/listV2"]
		got := collect(t, c.DocListV2(ctx, trueapi.DocListFilter{ProductGroup: g, Limit: 2}), 200)
		numbers := make([]string, len(got))
		for i, d := range got {
			numbers[i] = d.Number
		}
		assert.ElementsMatch(t, want, numbers, "%s: everything once", g)
		assert.Equal(t, len(want)/2+1, srv.Stats().Requests["GET doc/listV2"]-before, "%s: pages of two", g)
		for i := 1; i < len(got); i++ {
			assert.False(t, got[i].ReceivedAt.Before(got[i-1].ReceivedAt), "sorted by receivedAt")
		}
	}

	// Filters and a page walked back.
	in := true
	incoming := collect(t, c.DocListV2(ctx, trueapi.DocListFilter{Input: &in, DocumentTypes: []trueapi.DocumentType{trueapi.DocAcceptanceAct}}), 100)
	assert.Len(t, incoming, 6, "the five Acts and the correction the owner received")
	page, err := c.DocListV2Page(ctx, trueapi.DocListFilter{ProductGroup: trueapi.GroupTobacco, Limit: 3}, trueapi.DocListCursor{})
	require.NoError(t, err)
	require.Len(t, page.Results, 3)
	next, err := c.DocListV2Page(ctx, trueapi.DocListFilter{ProductGroup: trueapi.GroupTobacco, Limit: 3}, page.Next)
	require.NoError(t, err)
	back, err := c.DocListV2Page(ctx, trueapi.DocListFilter{ProductGroup: trueapi.GroupTobacco, Limit: 3}, next.Prev)
	require.NoError(t, err)
	assert.Equal(t, page.Results, back.Results, "PREV from the second page is the first")

	// A limit without pg: sent on doc/listV2 (D-25's example does so),
	// refused before any request on receipt/listV2 (D-27's pg row).
	all, err := c.DocListV2Page(ctx, trueapi.DocListFilter{Limit: 3}, trueapi.DocListCursor{})
	require.NoError(t, err)
	assert.Len(t, all.Results, 3)
	_, err = c.ReceiptListV2Page(ctx, trueapi.DocListFilter{Limit: 3}, trueapi.DocListCursor{})
	var ve *trueapi.ValidationError
	require.ErrorAs(t, err, &ve, "a limit without pg is refused before any request")
	assert.Equal(t, "pg", ve.Field)

	// D-26 on a seeded Act and on the failed import.
	for _, d := range docs {
		if d.Type != trueapitest.TypeAct && d.Type != trueapitest.TypeImport {
			continue
		}
		info, err := c.DocumentInfo(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, d.ID, info.Number)
		assert.Equal(t, d.Type, string(info.Type))
		assert.Equal(t, d.Status, string(info.Status))
		assert.Equal(t, string(d.Content), info.Content)
		assert.True(t, json.Valid(info.Body) && len(info.Body) > 2)
		assert.ElementsMatch(t, d.Errors, info.Errors)
	}
	_, err = c.DocumentInfo(ctx, "00000000-0000-4000-8000-000000000000")
	require.ErrorIs(t, err, trueapi.ErrNotFound)
}

// D-25 over documents sent during the test: their receivedAt has more
// precision than the fake serves, which the keyset cursor must survive.
func TestFakeListDocumentsAfterSending(t *testing.T) {
	c, srv := docClient(t, docConfig(), nil)
	ctx := context.Background()
	var sent []string
	for range 3 {
		s, err := c.SendWriteOffNotice(ctx, writeOffNotice(srv, ownUnits(t, srv, "tobacco", 1)))
		require.NoError(t, err)
		sent = append(sent, s.DocumentID)
	}
	var want []string
	for _, d := range srv.Documents("") {
		if !isReceipt(d) && (d.ProductGroup == "" || d.ProductGroup == "tobacco") {
			want = append(want, d.ID)
		}
	}
	got := collect(t, c.DocListV2(ctx, trueapi.DocListFilter{ProductGroup: trueapi.GroupTobacco, Limit: 1}), 2*len(want))
	numbers := make([]string, len(got))
	for i, d := range got {
		numbers[i] = d.Number
	}
	assert.ElementsMatch(t, want, numbers, "every document once, the new ones included")
	for _, id := range sent {
		assert.Contains(t, numbers, id)
	}
}

// D-27, D-28: the receipts of the owner in pages of two, per group.
func TestFakeListReceipts(t *testing.T) {
	c, srv := fakeClient(t, docConfig())
	ctx := context.Background()
	var receipts []trueapitest.Document
	for _, d := range srv.Documents("") {
		if isReceipt(d) {
			receipts = append(receipts, d)
		}
	}
	require.Len(t, receipts, 10)
	var all []string
	for _, g := range []trueapi.ProductGroup{trueapi.GroupTobacco, trueapi.GroupMilk, trueapi.GroupAlcohol} {
		var want []string
		for _, d := range receipts {
			if d.ProductGroup == string(g) {
				want = append(want, d.ID)
			}
		}
		got := collect(t, c.ReceiptListV2(ctx, trueapi.DocListFilter{ProductGroup: g, Limit: 2}), 100)
		for _, r := range got {
			assert.Contains(t, []trueapi.DocumentType{trueapi.DocReceipt, trueapi.DocReceiptReturn}, r.Type)
			all = append(all, r.Number)
		}
		assert.Len(t, got, len(want), string(g))
	}
	want := make([]string, len(receipts))
	for i, d := range receipts {
		want[i] = d.ID
	}
	assert.ElementsMatch(t, want, all, "every receipt once over the three groups")

	// D-27 filters: the returns, by format.
	returns := collect(t, c.ReceiptListV2(ctx, trueapi.DocListFilter{DocumentTypes: []trueapi.DocumentType{trueapi.DocReceiptReturn}}), 100)
	assert.Len(t, returns, 2)
	csv := collect(t, c.ReceiptListV2(ctx, trueapi.DocListFilter{DocumentFormat: trueapi.DocFormatCSV}), 100)
	assert.Len(t, csv, 5)

	// D-28.
	r := receipts[3]
	info, err := c.ReceiptInfo(ctx, r.ID, trueapi.ProductGroup(r.ProductGroup))
	require.NoError(t, err)
	assert.Equal(t, r.ID, info.DocumentID)
	assert.Equal(t, trueapi.DocReceiptReturn, info.Type)
	assert.Equal(t, trueapi.ReceiptRefund, info.OperationType)
	assert.Equal(t, int64(111019457), info.FiscalDocumentNumber)
	require.NotEmpty(t, info.Products)
	for _, p := range info.Products {
		assert.True(t, p.Sum.Equal(p.Price.Mul(p.Count)), "exact amounts")
		assert.True(t, p.Sum.IsPositive())
	}
	// The fake answers the table's top-level products (price, count, sum)
	// and the screenshot's full lines under body; the client fills each
	// line from body, so the codes are in Products.
	for _, p := range info.Products {
		_, ok := srv.Lookup(p.Cis)
		assert.True(t, ok, "a code of the data set: %q", p.Cis)
		assert.NotEmpty(t, p.GTIN)
	}
	_, err = c.ReceiptInfo(ctx, r.ID, trueapi.GroupShoes)
	require.ErrorIs(t, err, trueapi.ErrNotFound, "a receipt of another group")
	var foreign string
	for _, d := range srv.Documents(trueapitest.OtherOwner1) {
		if isReceipt(d) {
			foreign = d.ID
		}
	}
	require.NotEmpty(t, foreign)
	_, err = c.ReceiptInfo(ctx, foreign, "")
	require.ErrorIs(t, err, trueapi.ErrForbidden, "another owner's receipt")
}

// D-18, D-19, D-20, D-24: an export shipment through its statuses, in a
// synctest bubble so that each step is seen.
func TestFakeShipExport(t *testing.T) {
	cfg := trueapitest.DefaultConfig()
	cfg.DocumentDelay = time.Second
	srv := trueapitest.NewServerWith(cfg)
	defer srv.Close()
	signer := docSigner(t)
	codes := ownUnits(t, srv, "milk", 3)
	foreign := srv.ForeignCodes()[0].Cis
	synctest.Test(t, func(t *testing.T) {
		c := bubbleClient(t, srv, signer)
		ctx := context.Background()
		res, err := c.SendShipment(ctx, exportShipment(srv, codes))
		require.NoError(t, err)
		require.NotEmpty(t, res.ShipmentID)
		require.Len(t, res.Messages, 1)
		assert.True(t, res.Messages[0].OK(), "the code-0 notice")
		stored := storedAs(t, srv, res.ShipmentID, res.Document)
		assert.Equal(t, "POST edo-api/shipments", stored.Route)

		st, err := c.ShipmentStatus(ctx, res.ShipmentID)
		require.NoError(t, err)
		assert.Equal(t, trueapi.ShipmentStatusChecking, st.Status)
		assert.Equal(t, res.ShipmentID, st.DocumentID)

		var seen []string
		st, err = c.WaitShipment(ctx, res.ShipmentID, trueapi.WithPollInterval(250*time.Millisecond, 250*time.Millisecond),
			trueapi.WithProgress(func(s string) {
				if len(seen) == 0 || seen[len(seen)-1] != s {
					seen = append(seen, s)
				}
			}))
		require.NoError(t, err)
		assert.Equal(t, trueapi.ShipmentStatusAccepted, st.Status)
		assert.Equal(t, []string{"CHECKING", "SENT", "WAITING_ACCEPTANCE", "ACCEPTED"}, seen)

		view, err := c.ShipmentView(ctx, res.ShipmentID)
		require.NoError(t, err)
		var doc trueapi.ShipmentDocument
		require.NoError(t, json.Unmarshal(view, &doc), "D-20 is shaped like D-22")
		assert.Equal(t, trueapi.ImportStatusAccepted, doc.Status)
		assert.Equal(t, srv.Owner(), doc.ExporterINN)
		require.Len(t, doc.Products, 3)
		for i, p := range doc.Products {
			assert.Equal(t, codes[i].Cis, p.Cis)
			require.NotNil(t, p.Accepted)
			assert.True(t, *p.Accepted)
		}
		require.Len(t, doc.LinkedDocs, 1)
		assert.Equal(t, trueapi.DocumentType(trueapitest.TypeAcceptance), doc.LinkedDocs[0].Type)

		imp, err := c.ImportDocumentStatus(ctx, res.ShipmentID)
		require.NoError(t, err)
		assert.Equal(t, trueapi.ImportStatusAccepted, imp.Status)

		// A code the exporter does not own: registered with an in-band
		// error, and the shipment ends in ERROR.
		bad, err := c.SendShipment(ctx, exportShipment(srv, []trueapitest.Code{{Cis: foreign}}))
		require.ErrorIs(t, err, trueapi.ErrShipmentRejected)
		require.NotNil(t, bad)
		require.NotEmpty(t, bad.ShipmentID)
		var re *trueapi.ShipmentRejectedError
		require.ErrorAs(t, err, &re)
		require.Len(t, re.Errors, 1)
		assert.Equal(t, "303", re.Errors[0].Code)
		st, err = c.WaitShipment(ctx, bad.ShipmentID)
		require.ErrorIs(t, err, trueapi.ErrShipmentRejected)
		require.NotNil(t, st)
		assert.Equal(t, trueapi.ShipmentStatusError, st.Status)
		require.NotEmpty(t, st.Errors)
		assert.Equal(t, "303", st.Errors[0].Code)
	})
}

// D-22, D-23, D-24: accepting a seeded incoming EAEU shipment.
func TestFakeShipImportAcceptance(t *testing.T) {
	c, srv := docClient(t, docConfig(), nil)
	ctx := context.Background()
	var waiting, accepted []string
	for _, d := range srv.Documents("") {
		if d.Type == trueapitest.TypeShipment && d.Sender == trueapitest.Exporter {
			if d.Status == trueapitest.DocAccepted {
				accepted = append(accepted, d.ID)
			} else {
				waiting = append(waiting, d.ID)
			}
		}
	}
	require.Len(t, waiting, 2)
	require.Len(t, accepted, 1)

	done, err := c.ShipmentDocument(ctx, accepted[0])
	require.NoError(t, err)
	assert.Equal(t, trueapi.ImportStatusAccepted, done.Status)
	require.Len(t, done.LinkedDocs, 1)
	assert.Equal(t, trueapi.DocumentType(trueapitest.TypeAcceptance), done.LinkedDocs[0].Type)

	sh, err := c.ShipmentDocument(ctx, waiting[0])
	require.NoError(t, err)
	assert.Equal(t, trueapi.ImportStatusWaitAcceptance, sh.Status)
	assert.Equal(t, trueapitest.Exporter, sh.ExporterINN)
	assert.Equal(t, srv.Owner(), sh.ReceiverINN)
	assert.Equal(t, "643", sh.SenderCountryCode)
	require.NotEmpty(t, sh.Products)
	for _, p := range sh.Products {
		assert.Nil(t, p.Accepted, "no decision yet")
		require.NotNil(t, p.Cost)
		assert.Equal(t, "80.00", p.Cost.StringFixed(2))
	}
	assert.Empty(t, sh.LinkedDocs)

	a := &trueapi.EAEUAcceptance{
		ShipmentID: waiting[0], DocumentNum: sh.DocumentNum, DocumentDate: sh.DocumentDate,
		ReceiverINN: srv.Owner(), Receiver: trueapitest.DefaultOwnerName,
		ExporterTaxpayerID: trueapitest.Exporter, ExporterName: trueapitest.ExporterName, SenderCountryCode: "643",
		AcceptanceDate: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
	}
	for i, p := range sh.Products {
		if i == 0 {
			a.Products = append(a.Products, trueapi.RejectedProduct(p.Cis))
		} else {
			a.Products = append(a.Products, trueapi.AcceptedProduct(p.Cis))
		}
	}
	sent, err := c.SendAcceptance(ctx, a)
	require.NoError(t, err)
	require.NotEmpty(t, sent.AcceptationID)
	stored := storedAs(t, srv, sent.AcceptationID, sent.Document)
	assert.Equal(t, "POST documents/import/acceptancies", stored.Route)
	assert.Contains(t, string(stored.Content), `"request_type":"ACCEPTANCE"`)

	state, err := c.WaitImport(ctx, sent.AcceptationID, fastPoll)
	require.NoError(t, err)
	assert.Equal(t, trueapi.ImportStatusCheckedOK, state.Status)
	assert.Equal(t, trueapi.DocumentType(trueapitest.TypeAcceptance), state.DocumentType)

	sh, err = c.ShipmentDocument(ctx, waiting[0])
	require.NoError(t, err)
	assert.Equal(t, trueapi.ImportStatusAccepted, sh.Status)
	require.Len(t, sh.LinkedDocs, 1)
	assert.Equal(t, sent.AcceptationID, sh.LinkedDocs[0].ID)
	for i, p := range sh.Products {
		require.NotNil(t, p.Accepted)
		assert.Equal(t, i != 0, *p.Accepted, "the first product was rejected")
	}
	state, err = c.ImportDocumentStatus(ctx, waiting[0])
	require.NoError(t, err)
	assert.Equal(t, trueapi.ImportStatusAccepted, state.Status)

	// The same shipment cannot be accepted twice.
	_, err = c.SendAcceptance(ctx, a)
	require.ErrorIs(t, err, trueapi.ErrValidation)
	assert.Len(t, documentsBy(srv, "POST documents/import/acceptancies"), 1)

	// An acceptance naming another receiver: registered, with the in-band
	// error, and its check fails.
	b := *a
	b.ShipmentID, b.ReceiverINN = waiting[1], trueapitest.OtherOwner1
	sh2, err := c.ShipmentDocument(ctx, waiting[1])
	require.NoError(t, err)
	b.Products = []trueapi.AcceptanceProduct{trueapi.AcceptedProduct(sh2.Products[0].Cis)}
	bad, err := c.SendAcceptance(ctx, &b)
	require.ErrorIs(t, err, trueapi.ErrShipmentRejected)
	require.NotNil(t, bad)
	state, err = c.WaitImport(ctx, bad.AcceptationID, fastPoll)
	require.ErrorIs(t, err, trueapi.ErrShipmentRejected)
	assert.Equal(t, trueapi.ImportStatusCheckedNotOK, state.Status)
	require.NotEmpty(t, state.Errors)
	assert.Equal(t, "03", state.Errors[0].Code)
}

// B-1, B-2, B-3: balances in exact tiyn and an invoice request.
func TestFakeBilling(t *testing.T) {
	c, srv := fakeClient(t, docConfig())
	ctx := context.Background()
	srv.SetBalance("", 3, 12345678901)
	srv.SetBalance("", 7, -5)
	accounts := srv.Balances("")
	require.Len(t, accounts, 4)
	contract := strconv.FormatInt(accounts[0].ContractID, 10)
	organisation := strconv.FormatInt(accounts[0].OrganisationID, 10)

	b, err := c.Balance(ctx, trueapi.GroupTobacco)
	require.NoError(t, err)
	assert.Equal(t, trueapi.GroupBalance{Balance: 12345678901, HasBalance: true, ContractID: contract, OrganisationID: organisation, ProductGroupID: 3}, *b)
	assert.Equal(t, "123456789.01", b.Tenge())
	b, err = c.BalanceByID(ctx, 8)
	require.NoError(t, err)
	assert.Equal(t, int64(4550075), b.Balance)
	assert.Equal(t, trueapi.GroupMilk, b.ProductGroup())
	b, err = c.BalanceByID(ctx, 11)
	require.NoError(t, err)
	assert.True(t, b.HasBalance)
	assert.Zero(t, b.Balance)
	_, err = c.Balance(ctx, trueapi.GroupShoes)
	require.ErrorIs(t, err, trueapi.ErrNotFound, "no account for shoes")

	all, err := c.Balances(ctx)
	require.NoError(t, err)
	require.Len(t, all, len(accounts))
	for i, a := range accounts {
		assert.Equal(t, a.ProductGroupID, all[i].ProductGroupID)
		assert.Equal(t, a.Balance, all[i].Balance, "exact tiyn")
		assert.Equal(t, contract, all[i].ContractID)
	}
	i := slices.IndexFunc(all, func(b trueapi.GroupBalance) bool { return b.ProductGroupID == 7 })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, "-0.05", all[i].Tenge())

	res, err := c.RequestInvoice(ctx, trueapi.InvoiceRequest{ContractID: contract, Amount: 1234567, SendTo: "buh@dala.kz"})
	require.NoError(t, err)
	inv := srv.Invoices()
	require.Len(t, inv, 1)
	assert.Equal(t, strconv.FormatInt(inv[0].ID, 10), res.InvoiceID)
	assert.Equal(t, "200", res.Status)
	assert.Equal(t, "12345.67", inv[0].Amount, "tiyn sent as tenge, exactly")
	assert.Equal(t, contract, inv[0].ContractID)
	assert.Equal(t, "buh@dala.kz", inv[0].SendTo)
	assert.Equal(t, srv.Owner(), inv[0].Participant)

	res, err = c.RequestInvoice(ctx, trueapi.InvoiceRequest{ContractID: "1", Amount: 100, SendTo: "buh@dala.kz"})
	require.ErrorIs(t, err, trueapi.ErrInvoiceRefused, "refused in a 200")
	require.NotNil(t, res)
	assert.Equal(t, "400", res.Status)
	assert.NotEmpty(t, res.ErrorMessage)
	assert.Len(t, srv.Invoices(), 1)

	// A dropped answer: the request is not sent again.
	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "elk/crm-api/prequests", DropResponse: true})
	_, err = c.RequestInvoice(ctx, trueapi.InvoiceRequest{ContractID: contract, Amount: 15000000, SendTo: "buh@dala.kz"})
	require.ErrorIs(t, err, trueapi.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "buh@dala.kz", "the mailbox is the only check")
	inv = srv.Invoices()
	require.Len(t, inv, 2, "made once")
	assert.Equal(t, "150000", inv[1].Amount)
	assert.Equal(t, 3, srv.Stats().Requests["POST elk/crm-api/prequests"])
	assert.Equal(t, 2, srv.Stats().Invoices)
}

// Documents refused: too large (before sending), signed over other bytes
// (by the fake), unknown ids.
func TestFakeDocErrors(t *testing.T) {
	// Over 30 MB: refused before anything is sent, the sign-in included.
	c, srv := docClient(t, docConfig(), nil)
	ctx := context.Background()
	huge := make(trueapi.RawDocument, trueapi.MaxDocumentBytes+1)
	copy(huge, `<?xml version="1.0" encoding="UTF-8"?><file fileId="x">`)
	_, err := c.SendWriteOffNotice(ctx, huge)
	var ve *trueapi.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "document", ve.Field)
	_, err = c.SendEDODocument(ctx, huge)
	require.ErrorAs(t, err, &ve)
	assert.Empty(t, srv.Requests(), "no request at all")
	assert.Zero(t, srv.Stats().Documents)

	// Unknown ids.
	_, err = c.DocumentInfo(ctx, "00000000-0000-4000-8000-000000000000")
	require.ErrorIs(t, err, trueapi.ErrNotFound)
	_, err = c.ShipmentStatus(ctx, "00000000-0000-4000-8000-000000000000")
	require.ErrorIs(t, err, trueapi.ErrNotFound)
	_, err = c.ShipmentDocument(ctx, "00000000-0000-4000-8000-000000000000")
	require.ErrorIs(t, err, trueapi.ErrNotFound)
	_, err = c.ImportDocumentStatus(ctx, "00000000-0000-4000-8000-000000000000")
	require.ErrorIs(t, err, trueapi.ErrNotFound)

	// A signer that signs other bytes than those sent: the fake checks
	// the signature for real and refuses the document.
	docKey := ncaDocSigner(t)
	tampering := signing.SignerFunc(func(ctx context.Context, data []byte, opts signing.SignOptions) ([]byte, error) {
		return docKey.SignCMS(ctx, append(slices.Clone(data), " "...), opts)
	})
	bad, err := trueapi.New(signing.ByPurpose(ncaSigner(t), tampering), trueapi.WithBaseURL(srv.BaseURL()))
	require.NoError(t, err)
	notice := writeOffNotice(srv, ownUnits(t, srv, "tobacco", 1))
	notice.FileID = trueapi.NewFileID("")
	content, err := notice.Encode()
	require.NoError(t, err)
	_, err = bad.SendWriteOffNotice(ctx, notice)
	require.ErrorIs(t, err, trueapi.ErrValidation)
	var e *trueapi.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusUnprocessableEntity, e.StatusCode)
	assert.Contains(t, e.Message, "Ошибка проверки подписи")
	assert.Equal(t, 1, srv.Stats().SignatureFailures)
	assert.Equal(t, 1, srv.ReceivedTimes(content), "received once, refused")
	_, ok := srv.Document(notice.FileID)
	assert.False(t, ok, "not registered")

	_, err = bad.SendEDODocument(ctx, transferAct(srv, trueapitest.OtherOwner1, ownUnits(t, srv, "milk", 1)))
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode, "400 on the formal route")
	assert.Contains(t, e.Message, "Ошибка проверки подписи")

	_, err = bad.SendShipment(ctx, exportShipment(srv, ownUnits(t, srv, "milk", 1)))
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusUnprocessableEntity, e.StatusCode)

	// A title signed over other bytes: refused, the Act stays awaiting.
	ids := incomingAwaiting(t, c)
	signed, err := bad.DecideIncoming(ctx, ids[0], trueapi.DecisionApprove)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
	require.NotNil(t, signed, "the title and its signature come with the error")
	assert.Equal(t, trueapi.ActRegistered, incomingStatuses(t, c)[ids[0]])
	assert.Equal(t, 4, srv.Stats().SignatureFailures)
	assert.Zero(t, srv.Stats().TitlesSigned)
	assert.Zero(t, srv.Stats().Documents)

	// And errors.Is reaches the typed error through the wrapping.
	assert.True(t, errors.Is(err, trueapi.ErrValidation))
}
