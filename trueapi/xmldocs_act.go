package trueapi

import (
	"cmp"
	"encoding/xml"
	"time"
)

// ActOperationType is document@operationType of the Act ПП
// (D-14).
type ActOperationType int

// Operation types of the Act ПП (D-14).
const (
	OperationSale       ActOperationType = 1 // Реализация
	OperationCommission ActOperationType = 2 // Комиссия/агентская торговля
)

// EDOOperator is operatorInfo of the Act ПП (D-14), required
// when a third-party EDO operator sends the Act.
type EDOOperator struct {
	ID                 string // operatorId: String(3), registered in ИС МПТ
	Name               string // operatorName: 1 to 1000 characters
	IdentificationCode string // operatorIdentificationCode: String(12)
}

// ActCorrection makes a [TransferAct] a correction Act ПП
// (D-14): correctionFlag="true" and the corrected Act's correctionDocId,
// regNumber and regDate, all required.
type ActCorrection struct {
	// DocID is correctionDocId, the GUID of the corrected document.
	DocID string
	// RegNumber is regNumber, its registration number.
	RegNumber string
	// RegDate is regDate, its registration date. AMBIGUITY: the table
	// types it "date" without a layout; dd.MM.yyyy is written, the
	// layout of every other date of the Act.
	RegDate time.Time
}

// TransferAct is the Act of acceptance/transfer (Акт приема-передачи, Act
// ПП), original or correction, of D-14, sent with
// [Client.SendEDODocument]. Encode writes, as in the specification's
// example:
//
//	<file sendingDateTime="…" version="1.0" fileId="EEU_ACT_<uuid>">
//	  <participants consigneeId="…" supplierId="…"/>
//	  <operatorInfo …/>
//	  <document operationType="1" correctionFlag="false">
//	    <mainInfo>
//	      <supplierInfo supplierIdentificationCode="…" supplierName="…"/>
//	      <consigneeInfo consigneeIdentificationCode="…" consigneeName="…"/>
//	      <originalDocInfo docNumber="…" docDate="dd.MM.yyyy"/>
//	    </mainInfo>
//	    <productList><iCode count="1">…</iCode></productList>
//	    <productTotals><gtin count="1">…</gtin></productTotals>
//	  </document>
//	</file>
//
// The server checks the totals against the codes (changelog 2.14);
// [Client.CisesUnitsCount] (K-4) computes them.
type TransferAct struct {
	// FileID is file@fileId; empty means a new EEU_ACT_<uuid>, or
	// COR_ACT_<uuid> for a correction. A given id must have that format.
	FileID string
	// Version is file@version; empty means "1.0".
	Version string
	// SendingDateTime is file@sendingDateTime, written
	// YYYY-MM-DDThh:mm:ssZ in UTC; zero means now.
	SendingDateTime time.Time
	// SupplierID and ConsigneeID are participants@supplierId and
	// @consigneeId, the ИИН/БИН of the EDO sender and receiver; empty
	// means Supplier.IdentificationCode and Consignee.IdentificationCode.
	SupplierID  string
	ConsigneeID string
	// Operator is operatorInfo, only when a third-party EDO operator sends
	// the Act.
	Operator *EDOOperator
	// OperationType is document@operationType, required.
	OperationType ActOperationType
	// Correction, when set, makes this a correction Act.
	Correction *ActCorrection
	// Supplier and Consignee are mainInfo/supplierInfo and consigneeInfo:
	// the ИИН/БИН (12 digits) is required, the name optional.
	Supplier  DocParty
	Consignee DocParty
	// OriginalDoc is the optional mainInfo/originalDocInfo (docDate
	// dd.MM.yyyy).
	OriginalDoc *PaperDoc
	// Codes is productList: codes without the crypto tail, each with its
	// count (required).
	Codes []CodeCount
	// Totals is productTotals: consumer units per GTIN.
	Totals []GTINCount
}

type actFileXML struct {
	XMLName         xml.Name           `xml:"file"`
	SendingDateTime string             `xml:"sendingDateTime,attr"`
	Version         string             `xml:"version,attr"`
	FileID          string             `xml:"fileId,attr"`
	Participants    actParticipantsXML `xml:"participants"`
	Operator        *edoOperatorXML    `xml:"operatorInfo"`
	Document        actDocumentXML     `xml:"document"`
}

type actParticipantsXML struct {
	ConsigneeID string `xml:"consigneeId,attr"`
	SupplierID  string `xml:"supplierId,attr"`
}

type edoOperatorXML struct {
	OperatorID                 string `xml:"operatorId,attr"`
	OperatorName               string `xml:"operatorName,attr"`
	OperatorIdentificationCode string `xml:"operatorIdentificationCode,attr"`
}

type actDocumentXML struct {
	OperationType   int            `xml:"operationType,attr"`
	CorrectionFlag  bool           `xml:"correctionFlag,attr"`
	CorrectionDocID string         `xml:"correctionDocId,attr,omitempty"`
	RegNumber       string         `xml:"regNumber,attr,omitempty"`
	RegDate         string         `xml:"regDate,attr,omitempty"`
	MainInfo        actMainInfoXML `xml:"mainInfo"`
	ProductList     codeCountsXML  `xml:"productList"`
	ProductTotals   gtinTotalsXML  `xml:"productTotals"`
}

type actMainInfoXML struct {
	Supplier    actSupplierXML  `xml:"supplierInfo"`
	Consignee   actConsigneeXML `xml:"consigneeInfo"`
	OriginalDoc *paperDocXML    `xml:"originalDocInfo"`
}

// actSupplierXML and actConsigneeXML keep the attribute order of the Act
// example (code, then name).
type actSupplierXML struct {
	SupplierIdentificationCode string `xml:"supplierIdentificationCode,attr"`
	SupplierName               string `xml:"supplierName,attr,omitempty"`
}

type actConsigneeXML struct {
	ConsigneeIdentificationCode string `xml:"consigneeIdentificationCode,attr"`
	ConsigneeName               string `xml:"consigneeName,attr,omitempty"`
}

// sendPath routes the Act to D-14.
func (TransferAct) sendPath() string { return pathFormal }

// Encode validates the Act and writes its XML (D-14). It
// implements [Document].
func (a TransferAct) Encode() ([]byte, error) {
	var c xmlCheck
	prefix := FileIDPrefixAct
	if a.Correction != nil {
		prefix = FileIDPrefixCorrectionAct
	}
	f := actFileXML{
		FileID:          c.prefixedFileID(a.FileID, prefix),
		Version:         c.version(a.Version, "1.0"),
		SendingDateTime: sendingDateTime(a.SendingDateTime),
	}
	f.Document.MainInfo.Supplier = actSupplierXML{
		SupplierIdentificationCode: c.iinBIN("supplierInfo@supplierIdentificationCode", a.Supplier.IdentificationCode),
		SupplierName:               c.text("supplierInfo@supplierName", a.Supplier.Name),
	}
	f.Document.MainInfo.Consignee = actConsigneeXML{
		ConsigneeIdentificationCode: c.iinBIN("consigneeInfo@consigneeIdentificationCode", a.Consignee.IdentificationCode),
		ConsigneeName:               c.text("consigneeInfo@consigneeName", a.Consignee.Name),
	}
	f.Participants.SupplierID = c.iinBIN("participants@supplierId", cmp.Or(a.SupplierID, a.Supplier.IdentificationCode))
	f.Participants.ConsigneeID = c.iinBIN("participants@consigneeId", cmp.Or(a.ConsigneeID, a.Consignee.IdentificationCode))
	if o := a.Operator; o != nil {
		f.Operator = &edoOperatorXML{
			OperatorID:                 c.length("operatorInfo@operatorId", o.ID, 3, 3),
			OperatorName:               c.length("operatorInfo@operatorName", o.Name, 1, 1000),
			OperatorIdentificationCode: c.length("operatorInfo@operatorIdentificationCode", o.IdentificationCode, 1, 12),
		}
	}
	d := &f.Document
	if a.OperationType < 1 {
		c.fail("document@operationType", "is required (1 sale, 2 commission/agency trade)")
	}
	d.OperationType = int(a.OperationType)
	if k := a.Correction; k != nil {
		d.CorrectionFlag = true
		d.CorrectionDocID = c.required("document@correctionDocId", k.DocID)
		d.RegNumber = c.required("document@regNumber", k.RegNumber)
		d.RegDate = c.day("document@regDate", k.RegDate)
	}
	d.MainInfo.OriginalDoc = c.paperDoc(a.OriginalDoc, xmlDayLayout)
	d.ProductList = c.codeCounts(a.Codes, true)
	d.ProductTotals = c.gtinTotals(a.Totals)
	if c.err != nil {
		return nil, c.err
	}
	return marshalXMLFile(f)
}

// ReviseStatus is iCode@reviseStatusCode of the divergence notice
// (D-14): a string since 2.10.
type ReviseStatus string

// Reconciliation statuses of the divergence notice (D-14).
const (
	ReviseNotFound ReviseStatus = "NOT_FOUND" // Не найден
	ReviseFound    ReviseStatus = "FOUND"     // Найден
	ReviseExcluded ReviseStatus = "EXCLUDED"  // Исключен
	ReviseAdded    ReviseStatus = "ADDED"     // Добавлен
)

// RevisedCode is a productList/iCode of the divergence notice
// (D-14): a code and its reconciliation status.
type RevisedCode struct {
	Code   string
	Status ReviseStatus
}

// DivergenceNotice is the divergence notice (Уведомление о расхождении)
// of D-14, which the buyer sends about a received Act; send
// it with [Client.SendEDODocument]. Encode writes, as in the
// specification's example:
//
//	<file xmlns:xsi="…" fileId="DIVERG_<uuid>" version="1.0" sendingDateTime="…Z"
//	      xsi:noNamespaceSchemaLocation="xsd_notific_divergences.xsd">
//	  <document correctionDocId="<GUID of the Act>">
//	    <mainInfo>
//	      <supplierInfo supplierName="…" supplierIdentificationCode="…"/>
//	      <consigneeInfo consigneeName="…" consigneeIdentificationCode="…"/>
//	    </mainInfo>
//	    <productList><iCode reviseStatusCode="NOT_FOUND">…</iCode></productList>
//	  </document>
//	</file>
//
// AMBIGUITY: the specification says it may be registered without a
// signature, yet its table requires the signature field and changelog
// 2.22.0 dropped unsigned sending; it is always signed here. The example's
// sendingDateTime has no Z; the table's YYYY-MM-DDThh:mm:ssZ is written.
type DivergenceNotice struct {
	// FileID is file@fileId; empty means a new DIVERG_<uuid> (see
	// [FileIDPrefixDivergence]). Any id given is sent as is.
	FileID string
	// Version is file@version; empty means "1.0".
	Version string
	// SendingDateTime is file@sendingDateTime (UTC); zero means now.
	SendingDateTime time.Time
	// ActID is document@correctionDocId, the GUID of the original Act.
	ActID string
	// Supplier and Consignee are mainInfo/supplierInfo and consigneeInfo
	// (ИИН/БИН required, name optional).
	Supplier  DocParty
	Consignee DocParty
	// Codes is productList: each code with its status.
	Codes []RevisedCode
}

type divergenceFileXML struct {
	XMLName xml.Name `xml:"file"`
	schemaFileXML
	Document divergenceDocumentXML `xml:"document"`
}

type divergenceDocumentXML struct {
	CorrectionDocID string `xml:"correctionDocId,attr"`
	MainInfo        struct {
		Supplier  supplierXML  `xml:"supplierInfo"`
		Consignee consigneeXML `xml:"consigneeInfo"`
	} `xml:"mainInfo"`
	ProductList struct {
		Codes []revisedCodeXML `xml:"iCode"`
	} `xml:"productList"`
}

type revisedCodeXML struct {
	ReviseStatusCode string `xml:"reviseStatusCode,attr"`
	Code             string `xml:",chardata"`
}

// supplierXML and consigneeXML keep the attribute order of the divergence
// and EAEU examples (name, then code).
type supplierXML struct {
	SupplierName               string `xml:"supplierName,attr,omitempty"`
	SupplierIdentificationCode string `xml:"supplierIdentificationCode,attr"`
	SupplierCountryCode        string `xml:"supplierCountryCode,attr,omitempty"`
}

type consigneeXML struct {
	ConsigneeName               string `xml:"consigneeName,attr,omitempty"`
	ConsigneeIdentificationCode string `xml:"consigneeIdentificationCode,attr"`
}

// sendPath routes the notice to D-14.
func (DivergenceNotice) sendPath() string { return pathFormal }

// Encode validates the notice and writes its XML (D-14). It
// implements [Document].
func (n DivergenceNotice) Encode() ([]byte, error) {
	var c xmlCheck
	f := divergenceFileXML{schemaFileXML: newSchemaFile(n.FileID, c.version(n.Version, "1.0"), n.SendingDateTime, schemaDivergence)}
	if f.FileID == "" {
		f.FileID = NewFileID(FileIDPrefixDivergence)
	} else {
		c.text("file@fileId", f.FileID)
	}
	d := &f.Document
	d.CorrectionDocID = c.required("document@correctionDocId", n.ActID)
	d.MainInfo.Supplier = supplierXML{
		SupplierName:               c.text("supplierInfo@supplierName", n.Supplier.Name),
		SupplierIdentificationCode: c.iinBIN("supplierInfo@supplierIdentificationCode", n.Supplier.IdentificationCode),
	}
	d.MainInfo.Consignee = consigneeXML{
		ConsigneeName:               c.text("consigneeInfo@consigneeName", n.Consignee.Name),
		ConsigneeIdentificationCode: c.iinBIN("consigneeInfo@consigneeIdentificationCode", n.Consignee.IdentificationCode),
	}
	if len(n.Codes) == 0 {
		c.fail("productList/iCode", "at least one code is required")
	}
	d.ProductList.Codes = make([]revisedCodeXML, len(n.Codes))
	for i, rc := range n.Codes {
		field := fieldAt("productList/iCode", i)
		d.ProductList.Codes[i] = revisedCodeXML{
			Code:             c.required(field, rc.Code),
			ReviseStatusCode: c.required(field+"@reviseStatusCode", string(rc.Status)),
		}
	}
	if c.err != nil {
		return nil, c.err
	}
	return marshalXMLFile(f)
}
