package trueapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The answer shapes of the listings: the documented object everywhere,
// and a bare array of records only where the documentation shows one
// (the D-25 and D-1 screenshots; D-27 and D-2 share their readers). K-9
// and P-4 refuse it as ErrDecode, keeping the body.
func TestPagerAnswerShapes(t *testing.T) {
	c, mt, _ := newMocked(t)
	ctx := context.Background()
	const bare = `[{"cis":"c1","emissionDate":"2020-07-31T06:03:28.000Z","number":"n1","receivedAt":"2021-08-24T05:32:11Z","id":"e1"}]`
	for _, tc := range []struct {
		name, path string
		bare       bool
		call       func() (int, error)
	}{
		{"K-9", "cises/listV2", false, func() (int, error) {
			p, err := c.CisesListV2Page(ctx, ListFilter{}, ListCursor{})
			assert.Nil(t, p)
			return 0, err
		}},
		{"P-4", "products/listV2", false, func() (int, error) {
			p, err := c.ProductsListV2Page(ctx, ListFilter{}, ListCursor{})
			assert.Nil(t, p)
			return 0, err
		}},
		{"D-25", "doc/listV2", true, func() (int, error) {
			p, err := c.DocListV2Page(ctx, DocListFilter{}, DocListCursor{})
			if err != nil {
				return 0, err
			}
			assert.Equal(t, DocListCursor{Dir: PageNext, DID: "n1", OrderedColumnValue: "2021-08-24T05:32:11Z"}, p.Next)
			assert.Zero(t, p.Total, "a bare array carries no total")
			return len(p.Results), nil
		}},
		{"D-27", "receipt/listV2", true, func() (int, error) {
			p, err := c.ReceiptListV2Page(ctx, DocListFilter{}, DocListCursor{})
			if err != nil {
				return 0, err
			}
			return len(p.Results), nil
		}},
		{"D-1", "edo-api/outgoing-documents", true, func() (int, error) {
			p, err := c.OutgoingDocumentsPage(ctx, EDOFilter{}, 0)
			if err != nil {
				return 0, err
			}
			assert.Equal(t, "e1", p.Items[0].ID)
			return len(p.Items), nil
		}},
		{"D-2", "edo-api/incoming-documents", true, func() (int, error) {
			p, err := c.IncomingDocumentsPage(ctx, EDOFilter{}, 0)
			if err != nil {
				return 0, err
			}
			return len(p.Items), nil
		}},
	} {
		mt.RegisterResponder(http.MethodGet, base+tc.path, httpmock.NewStringResponder(200, bare))
		n, err := tc.call()
		if tc.bare {
			require.NoError(t, err, tc.name)
			assert.Equal(t, 1, n, tc.name)
			continue
		}
		require.ErrorIs(t, err, ErrDecode, tc.name)
		var e *Error
		require.ErrorAs(t, err, &e, tc.name)
		assert.Equal(t, bare, string(e.Body), "%s: the body is kept", tc.name)
	}
}

// A record's cursors name it as the reference record, reading on after it
// (NEXT) or back before it (PREV); a record without its id or sort value
// gives the zero cursor, the first page.
func TestRecordCursors(t *testing.T) {
	r := CisRecord{Cis: "c1", EmissionDate: "2020-07-31T06:03:28.000Z"}
	assert.Equal(t, ListCursor{Dir: PageNext, UIT: "c1", OrderedColumnValue: r.EmissionDate}, r.CursorAfter())
	assert.Equal(t, ListCursor{Dir: PagePrev, UIT: "c1", OrderedColumnValue: r.EmissionDate}, r.CursorBefore())
	assert.True(t, CisRecord{Cis: "c1"}.CursorAfter().IsZero())
	assert.True(t, CisRecord{EmissionDate: r.EmissionDate}.CursorBefore().IsZero())

	d := DocumentInfo{Number: "n1", ReceivedAtRaw: "2021-08-24T05:32:11Z"}
	assert.Equal(t, DocListCursor{Dir: PageNext, DID: "n1", OrderedColumnValue: d.ReceivedAtRaw}, d.CursorAfter())
	assert.Equal(t, DocListCursor{Dir: PagePrev, DID: "n1", OrderedColumnValue: d.ReceivedAtRaw}, d.CursorBefore())
	assert.True(t, DocumentInfo{Number: "n1"}.CursorAfter().IsZero())
	assert.True(t, DocumentInfo{ReceivedAtRaw: d.ReceivedAtRaw}.CursorBefore().IsZero())
}

// The pager reads the caller's filter and never writes to it, nor to the
// slices and pointers it shares: every page of a walk, and a second walk,
// send the same filter.
func TestPagerLeavesTheFilterAlone(t *testing.T) {
	c, mt, _ := newMocked(t)
	ctx := context.Background()
	var rec listingRecorder
	mt.RegisterResponder(http.MethodGet, base+"doc/listV2", rec.responder(200, `{"results":[{"number":"n1","receivedAt":"r1"}]}`))
	mt.RegisterResponder(http.MethodGet, base+"edo-api/outgoing-documents", rec.responder(200, `{"count":1,"items":[{"id":"e1"}]}`))
	in := true
	docs := DocListFilter{DocumentTypes: []DocumentType{"A", "B"}, Input: &in, Limit: 1}
	edo := EDOFilter{Statuses: []ActStatus{3, 5}, Types: []EDODocumentType{EDOAct}, Asc: &in, Limit: 1}
	for range 2 {
		for _, err := range c.DocListV2(ctx, docs) {
			require.NoError(t, err)
		}
		for _, err := range c.OutgoingDocuments(ctx, edo) {
			require.NoError(t, err)
		}
	}
	assert.Equal(t, DocListFilter{DocumentTypes: []DocumentType{"A", "B"}, Input: &in, Limit: 1}, docs)
	assert.Equal(t, EDOFilter{Statuses: []ActStatus{3, 5}, Types: []EDODocumentType{EDOAct}, Asc: &in, Limit: 1}, edo)
	assert.True(t, in)
	assert.Equal(t, []string{
		"documentType=A&documentType=B&inputFormat=true&limit=1&orderColumn=receivedAt",
		"did=n1&documentType=A&documentType=B&inputFormat=true&limit=1&orderColumn=receivedAt&orderedColumnValue=r1&pageDir=NEXT",
		"asc=true&limit=1&offset=0&statuses=3&statuses=5&type=1000",
	}, queriesOf(rec.all()[:3]), "D-25 reads on from the page before; D-1 stops at its count")
	assert.Equal(t, queriesOf(rec.all()[:3]), queriesOf(rec.all()[3:]), "the second walk sends the same")
}
