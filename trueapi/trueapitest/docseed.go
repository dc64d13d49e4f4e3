package trueapitest

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// seeder builds the seeded documents, the same for the same Config.Seed.
type seeder struct {
	s   *Server
	rng *rand.Rand
	at  time.Time
}

// uuid returns a version 4 UUID from the seeded generator.
func (sd *seeder) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(sd.rng.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// tick returns the next registration time: five to seven hours later.
func (sd *seeder) tick() time.Time {
	sd.at = sd.at.Add(5*time.Hour + time.Duration(sd.rng.IntN(120))*time.Minute + time.Duration(sd.rng.IntN(1000))*time.Millisecond)
	return sd.at
}

// units returns the emitted forms of the consumer units owned (and, when
// ownOnly, produced) by pid, in data-set order.
func (sd *seeder) units(pid string, ownOnly bool) []string {
	var out []string
	for _, k := range sd.s.order {
		c := sd.s.codes[k]
		if c.Owner == pid && c.PackageType == PackageUnit && (!ownOnly || c.Producer == pid) {
			out = append(out, c.Cis)
		}
	}
	return out
}

// ruCode returns a Russian marking code, foreign to the data set.
func (sd *seeder) ruCode() string {
	return fmt.Sprintf("010460%010d21%s", sd.rng.Int64N(1e10), sd.uuid()[:8])
}

// take cuts the first n codes off list (fewer when it is short).
func take(list *[]string, n int) []string {
	n = min(n, len(*list))
	out := (*list)[:n:n]
	*list = (*list)[n:]
	return out
}

// group is the product group of the first known code.
func (sd *seeder) group(codes []string) string {
	for _, c := range codes {
		if code, ok := sd.s.codes[canonical(c)]; ok {
			return code.ProductGroup
		}
	}
	return ""
}

// xmlDoc stores a settled XML document registered at t.
func (sd *seeder) xmlDoc(d *doc, t time.Time, content string) *doc {
	root, err := parseXML([]byte(content))
	if err != nil {
		panic("trueapitest: seeded document: " + err.Error())
	}
	d.root, d.Content, d.Received = root, []byte(content), t
	if d.ID == "" {
		d.ID = root.field("fileId")
	}
	d.FileID = root.field("fileId")
	d.SenderName, d.ReceiverName = sd.s.participantName(d.Sender), sd.s.participantName(d.Receiver)
	sd.s.docs.add(d)
	return d
}

// act stores a settled Act (or correction) from one party to another in
// the Act status given.
func (sd *seeder) act(from, to string, edoType, status int, codes []string) *doc {
	prefix := "EEU_ACT_"
	if edoType == EdoActCorrection {
		prefix = "COR_ACT_"
	}
	t := sd.tick()
	fileID := prefix + sd.uuid()
	d := &doc{kind: kindEDO, format: "UPD", Document: Document{
		ID: sd.uuid(), Number: sd.uuid(), Type: TypeAct, EdoType: edoType, EdoStatus: status, Status: DocCheckedOK,
		Sender: from, Receiver: to, ProductGroup: sd.group(codes),
	}}
	if status == ActError {
		d.Status = DocCheckedNotOK
		d.failErrors = []string{"Получатель " + to + " не зарегистрирован в ИС МПТ"}
	}
	d.total = int64(len(codes)) * 85000
	d.vat = d.total * 12 / 112
	return sd.xmlDoc(d, t, string(actXML(fileID, from, to, t.Format(layoutSeconds), codes)))
}

// notice stores a settled re-introduction or withdrawal notice of pid.
func (sd *seeder) notice(pid, typ, reason string, t time.Time, codes []string) *doc {
	fileID := sd.uuid()
	content := xmlHeader + "\n" + `<file fileId="` + fileID + `" version="1.0" sendingDateTime="` + t.Format(layoutSeconds) + `"><document><mainInfo>` +
		`<reason>` + reason + `</reason>` +
		`<participantInfo participantName="` + esc(sd.s.participantName(pid)) + `" participantIdentificationCode="` + pid + `"/>` +
		`<originalDocInfo docName="Акт инвентаризации" docNumber="` + strconv.Itoa(10+sd.rng.IntN(90)) + `" docDate="` + t.Format("02.01.2006") + `"/>` +
		`</mainInfo><productList>` + xmlCodes(codes) + `</productList></document></file>`
	return sd.xmlDoc(&doc{kind: kindPlain, format: "XML", Document: Document{Type: typ, Status: DocCheckedOK, Sender: pid, ProductGroup: sd.group(codes)}}, t, content)
}

// seedDocuments fills the store: EDO Acts between the owner and the other
// owners in every direction and status, an EAEU import notice, notices of
// the Документы tab, incoming EAEU shipments from [Exporter], receipts,
// and the billing accounts. Called once by NewServerWith.
func (s *Server) seedDocuments() {
	sd := &seeder{s: s, rng: rand.New(rand.NewPCG(uint64(s.cfg.Seed)^0xd0c5, 0x5eed)), at: time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC)}
	o := s.cfg.Owner
	own, p1, p2 := sd.units(o, true), sd.units(OtherOwner1, true), sd.units(OtherOwner2, true)

	// Incoming Acts of the owner: three awaiting its decision (one from
	// OtherOwner2), one signed, one rejected, and a correction.
	sd.act(OtherOwner1, o, EdoAct, ActAwaiting, take(&p1, 3))
	sd.act(OtherOwner1, o, EdoAct, ActAwaiting, take(&p1, 2))
	sd.act(OtherOwner2, o, EdoAct, ActAwaiting, take(&p2, 4))
	sd.act(OtherOwner1, o, EdoAct, ActSigned, take(&p1, 2))
	sd.act(OtherOwner1, o, EdoAct, ActRejected, take(&p1, 1))
	sd.act(OtherOwner1, o, EdoActCorrection, ActAwaiting, take(&p1, 2))
	// Outgoing Acts of the owner.
	sd.act(o, OtherOwner1, EdoAct, ActAwaiting, take(&own, 3))
	sd.act(o, OtherOwner2, EdoAct, ActSigned, take(&own, 2))
	sd.act(o, OtherOwner1, EdoAct, ActError, take(&own, 1))
	// An Act between the other owners, which the owner may not see.
	sd.act(OtherOwner1, OtherOwner2, EdoAct, ActAwaiting, take(&p1, 2))

	// An EAEU import notice of the owner.
	t := sd.tick()
	imported := []string{sd.ruCode()}
	sd.xmlDoc(&doc{kind: kindEDO, format: "UPD", Document: Document{
		ID: sd.uuid(), Number: sd.uuid(), Type: TypeImportTransit, EdoType: EdoImportNotice, EdoStatus: ActAwaiting, Status: DocCheckedOK,
		Sender: o, Receiver: Exporter,
	}}, t, xmlHeader+"\n"+`<file fileId="IMPORT_TRANSIT_`+sd.uuid()+`" version="5.01" sendingDateTime="`+t.Format(layoutSeconds)+`">`+
		`<participants supplierId="`+Exporter+`" consigneeId="`+o+`"/><document correctionFlag="false"><mainInfo>`+
		`<supplierInfo supplierName="`+esc(ExporterName)+`" supplierIdentificationCode="`+Exporter+`" supplierCountryCode="RU"/>`+
		`<consigneeInfo consigneeIdentificationCode="`+o+`"/>`+
		`<exciseInfo exciseDocNumber="EX-1" exciseDocDate="`+t.Format("02.01.2006")+`" exciseAmount="123.09"/></mainInfo>`+
		`<productList>`+xmlCodes(imported)+`</productList><productTotals>`+gtinTotals(imported)+`</productTotals></document></file>`)

	// The Документы tab: a re-introduction and a withdrawal registered at
	// the same instant, a failed third-country import, an aggregation.
	t = sd.tick()
	sd.notice(o, TypeIntroduceGoods, "1", t, take(&own, 2))
	sd.notice(o, TypeWithdrawal, "2", t, take(&own, 2))
	t = sd.tick()
	imp := sd.xmlDoc(&doc{kind: kindPlain, format: "XML", Document: Document{Type: TypeImport, Status: DocCheckedNotOK, Sender: o}}, t,
		xmlHeader+"\n"+`<file fileId="IMPORT_`+sd.uuid()+`" version="1.0" sendingDateTime="`+t.Format(layoutSeconds)+`"><document><mainInfo>`+
			`<importerInfo importerName="`+esc(s.cfg.OwnerName)+`" importerCode="`+o+`"/><exportCountry>CN</exportCountry>`+
			`<customDocument docType="DECLARATION" regNumber="55302/010325/0001234" regDate="`+t.Format(time.DateOnly)+`"/>`+
			`<customDecisionInfo decisionCode="10" decisionDateTime="`+t.Format(layoutSeconds)+`" customCode="55302"/></mainInfo>`+
			`<productItems><item iCodeFromDeclaration="`+imported[0]+`"><product tnved="2208601100" gtin="`+imported[0][2:16]+`" originCountry="CN" itemNumber="1"/></item></productItems>`+
			`</document></file>`)
	imp.failErrors = []string{"КИ " + imported[0] + " не найден в декларации на товары"}
	t = sd.tick()
	agg := take(&own, 3)
	sd.xmlDoc(&doc{kind: kindPlain, format: "XML", Document: Document{Type: TypeAggregation, Status: DocCheckedOK, Sender: o, ProductGroup: sd.group(agg)}}, t,
		xmlHeader+"\n"+`<file fileId="`+sd.uuid()+`" version="1.0" sendingDateTime="`+t.Format(layoutSeconds)+`"><document>`+
			`<aggregationUnit unitSerialNumber="`+fmt.Sprintf("00%018d", sd.rng.Int64N(1e18))+`">`+xmlCodes(agg)+`</aggregationUnit></document></file>`)

	sd.shipments(o)
	sd.receipts(o, &own)

	s.accountOf(o).balances = map[int]int64{3: 120000000, 8: 4550075, 11: 0}
	s.accountOf(OtherOwner1).balances = map[int]int64{3: 9900}
	s.accountOf(OtherOwner2).balances = map[int]int64{8: 250000}
}

// shipments stores three incoming EAEU shipments from Exporter to the
// owner: two waiting for acceptance, one accepted with its acceptance.
func (sd *seeder) shipments(o string) {
	s := sd.s
	for i := range 3 {
		t := sd.tick()
		sh := &shipmentDoc{
			ProductGroup: "milk", ExporterCode: Exporter, ReceiverCountryCode: "KZ", ReceiverCode: o, ReceiverName: s.cfg.OwnerName,
			DocumentNumber: fmt.Sprintf("RU-%d-%04d", t.Year(), i+1), DocumentDate: t.Format(time.DateOnly), TransferDate: t.Format(time.DateOnly),
		}
		for range 3 - i%2 {
			sh.ProductList = append(sh.ProductList, shipmentProduct{
				Cis:   sd.ruCode(),
				Price: "80.00", Vat: "13.33",
				DocumentList: []conformity{{DocKind: "CONFORMITY_DECLARATION", DocNumber: "ЕАЭС N RU Д-RU.РА01.В.12345/25", DocDate: "2025-01-15"}},
			})
		}
		content, err := json.Marshal(sh)
		if err != nil {
			panic("trueapitest: seeded shipment: " + err.Error())
		}
		d := &doc{kind: kindImport, ship: sh, format: "MANUAL", Document: Document{
			ID: sd.uuid(), Type: TypeShipment, Status: DocWaitAcceptance, Sender: Exporter, SenderName: ExporterName,
			Receiver: o, ReceiverName: s.cfg.OwnerName, ProductGroup: sh.ProductGroup, Received: t, Content: content,
		}}
		s.docs.add(d)
		if i < 2 {
			continue
		}
		yes, no := true, false
		a := &acceptanceDoc{
			ShipmentID: d.ID, DocumentNum: sh.DocumentNumber, DocumentDate: sh.DocumentDate, ReceiverInn: o, Receiver: s.cfg.OwnerName,
			ExporterTaxpayerID: Exporter, ExporterName: ExporterName, SenderCountryCode: countryRU, RequestType: "ACCEPTANCE",
			AcceptanceDate: sh.TransferDate, RejectAll: &no,
		}
		for _, p := range sh.ProductList {
			a.Products = append(a.Products, acceptedProduct{Cis: p.Cis, Accepted: &yes})
		}
		content, err = json.Marshal(a)
		if err != nil {
			panic("trueapitest: seeded acceptance: " + err.Error())
		}
		acc := &doc{kind: kindAcceptance, acc: a, shipment: d, format: "MANUAL", Document: Document{
			ID: sd.uuid(), Type: TypeAcceptance, Status: DocCheckedOK, Sender: o, SenderName: s.cfg.OwnerName,
			Receiver: Exporter, ReceiverName: ExporterName, ProductGroup: sh.ProductGroup, Received: sd.tick(), Content: content,
		}}
		d.acceptance, d.Status = acc, DocAccepted
		s.docs.add(acc)
	}
}

// receipts stores ten receipts of the owner (two returns, one failed) and
// two of OtherOwner1, selling codes of the owner.
func (sd *seeder) receipts(o string, own *[]string) {
	s := sd.s
	prices := map[string]int64{"tobacco": 85000, "milk": 52000, "alcohol": 450000}
	for i := range 12 {
		pid := o
		if i >= 10 {
			pid = OtherOwner1
		}
		t := sd.tick()
		r := &receiptDoc{date: t.Add(-time.Duration(sd.rng.IntN(50)) * time.Minute), fiscal: 111019454 + int64(i), shift: 139 + i/4, op: 1, kkt: "010101234567"}
		typ := TypeReceipt
		if i == 3 || i == 7 {
			typ, r.op = TypeReceiptReturn, 2
		}
		var total int64
		group := ""
		for _, cis := range take(own, 1+i%3) {
			code := s.codes[canonical(cis)]
			price := prices[code.ProductGroup]
			group = code.ProductGroup
			total += price
			r.products = append(r.products, receiptProduct{cis: cis, gtin: code.GTIN, name: code.ProductName, packageType: "pack",
				producer: code.Producer, price: price, count: 1, sum: price, nds: price * 12 / 112})
		}
		d := &doc{kind: kindReceipt, receipt: r, format: []string{"MANUAL", "CSV"}[i%2], total: total, vat: total * 12 / 112, Document: Document{
			ID: sd.uuid(), Type: typ, Status: DocCheckedOK, Sender: pid, SenderName: s.participantName(pid),
			ProductGroup: group, Received: t,
		}}
		if i == 5 {
			d.Status, d.failErrors = DocCheckedNotOK, []string{"Чек содержит КМ в статусе, не допускающем продажу"}
		}
		d.Content, _ = json.Marshal(obj{"fiscalDocumentNumber": r.fiscal, "kktRegId": r.kkt, "operationType": r.op, "total": total})
		s.docs.add(d)
	}
}
