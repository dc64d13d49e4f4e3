package trueapitest

import (
	"net/http"
	"time"
)

// receiptDoc is the content of a receipt (cash-register cheque).
type receiptDoc struct {
	date     time.Time
	fiscal   int64
	shift    int
	op       int // 1 sale, 2 return
	kkt      string
	products []receiptProduct
}

// receiptProduct is a line of a receipt; amounts in tiyn.
type receiptProduct struct {
	cis, gtin, name, packageType, producer string
	price, count, sum, nds                 int64
}

// serveReceiptList answers D-27 GET receipt/listV2: the participant's
// receipts (RECEIPT, RECEIPT_RETURN) as doc/listV2 lists documents, with
// documentFormat (MANUAL, UPD, XML, CSV) as a filter.
// The documentation's example lists KZ_UPD documents; the fake lists receipts only.
func (s *Server) serveReceiptList(c *call) { s.docList(c, true) }

// serveReceiptInfo answers D-28 GET receipt/{receiptId}/info: the
// documentation's table (body, documentId, documentDate, receivedAt, type,
// status, senderBin, fiscalDocumentNumber, shiftNumber, operationType,
// kktRegId, products with price, count and sum), with numbers as numbers;
// body repeats the receipt with every product field of the screenshot.
// Another participant's receipt gets 403 "Чек с идентификатором … принадлежит
// другому владельцу", an unknown one (or one of another pg) 404.
func (s *Server) serveReceiptInfo(c *call) {
	g, ok := s.groupParam(c, false)
	if !ok {
		return
	}
	s.mu.Lock()
	d := s.lookup(c.id)
	if d == nil || d.kind != kindReceipt || (g.Name != "" && d.ProductGroup != g.Name) {
		s.mu.Unlock()
		s.fail(c, http.StatusNotFound, "Чек с идентификатором "+c.id+" не найден")
		return
	}
	if d.Sender != c.pid {
		s.mu.Unlock()
		s.fail(c, http.StatusForbidden, "Чек с идентификатором "+c.id+" принадлежит другому владельцу")
		return
	}
	r := d.receipt
	products := make([]obj, 0, len(r.products))
	lines := make([]obj, 0, len(r.products))
	for i, p := range r.products {
		products = append(products, obj{"price": p.price, "count": p.count, "sum": p.sum})
		lines = append(lines, obj{
			"id": i + 1, "name": p.name, "gtin": p.gtin, "cis": p.cis, "price": p.price, "count": p.count,
			"sum": p.sum, "nds": p.nds, "percentage": 12, "packageType": p.packageType, "producerId": p.producer, "valid": true,
		})
	}
	head := obj{
		"documentId": d.ID, "documentDate": formatTime(r.date), "receivedAt": formatTime(d.Received),
		"type": d.Type, "status": d.Status, "senderBin": d.Sender, "senderName": d.SenderName,
		"fiscalDocumentNumber": r.fiscal, "shiftNumber": r.shift, "operationType": r.op, "kktRegId": r.kkt,
	}
	body := obj{"userInn": d.Sender, "products": lines}
	out := obj{"products": products, "body": body}
	for k, v := range head {
		body[k] = v
		out[k] = v
	}
	s.mu.Unlock()
	s.writeJSON(c, http.StatusOK, out)
}
