package trueapi

import (
	"cmp"
	"encoding/xml"
	"time"

	"github.com/shopspring/decimal"
)

// EAEUSupplier is mainInfo/supplierInfo of the EAEU import notice
// (D-15): all three attributes are required.
type EAEUSupplier struct {
	// Name is supplierName, 1 to 255 characters.
	Name string
	// IdentificationCode is supplierIdentificationCode, the foreign
	// taxpayer id, 1 to 255 characters.
	IdentificationCode string
	// CountryCode is supplierCountryCode, two letters: AM, BY, KG or RU.
	CountryCode string
}

// EAEUPrimaryDoc is the registration of the notice an EAEU import notice
// corrects (D-15): document@primaryDocId (String(36)),
// primaryDocNumber and primaryDocDate (dd.MM.yyyy), all required for a
// correction.
type EAEUPrimaryDoc struct {
	ID     string
	Number string
	Date   time.Time
}

// ExciseReceipt is mainInfo/exciseInfo of the EAEU import notice
// (D-15): one excise receipt per document, all attributes required.
type ExciseReceipt struct {
	Number string    // exciseDocNumber
	Date   time.Time // exciseDocDate, dd.MM.yyyy
	// Amount is exciseAmount, written with two decimals ("123.09"); an
	// amount with more decimals is refused rather than rounded.
	Amount decimal.Decimal
}

// ComplianceDoc is a conformity document of the EAEU import notice
// (D-15), all attributes required.
type ComplianceDoc struct {
	Number string    // complianceDocNumber
	Date   time.Time // complianceDocDate, dd.MM.yyyy
	Type   string    // complianceDocType
}

// EAEUImportNotice is the notice of import from an EAEU country
// (Уведомление о ввозе из ЕАЭС), original or correction,
// of D-15, sent with [Client.SendEDODocument]. Encode writes, as in the
// specification's example:
//
//	<file xmlns:xsi="…" fileId="IMPORT_TRANSIT_<uuid>" version="5.01" sendingDateTime="…Z"
//	      xsi:noNamespaceSchemaLocation="schemas_xsd_%D0%95%D0%90%D0%AD%D0%A1_%D0%9A%D0%97.xsd">
//	  <participants supplierId="…" consigneeId="…"/>
//	  <document correctionFlag="false">
//	    <mainInfo>
//	      <supplierInfo supplierName="…" supplierIdentificationCode="…" supplierCountryCode="RU"/>
//	      <consigneeInfo consigneeName="…" consigneeIdentificationCode="…"/>
//	      <originalDocInfo docNumber="…" docDate="dd.MM.yyyy"/>
//	      <exciseInfo exciseDocNumber="…" exciseDocDate="…" exciseAmount="123.09"/>
//	      <complianceInfo><complianceDocumentInfo complianceDocDate="…" complianceDocNumber="…" complianceDocType="…"/></complianceInfo>
//	    </mainInfo>
//	    <productList><iCode><![CDATA[…]]></iCode></productList>
//	    <productTotals><gtin count="1">…</gtin></productTotals>
//	  </document>
//	</file>
//
// AMBIGUITY readings: the conformity document element is
// complianceDocumentInfo, as in the example (an XMLSpy sample generated
// from the schema), not the table's complianceDocInfo; the excise block is
// exciseInfo, as in the request table (the D-5 answer calls it
// exciseDocInfo); the version defaults to the example's 5.01.
type EAEUImportNotice struct {
	// FileID is file@fileId; empty means a new IMPORT_TRANSIT_<uuid>, or
	// IM_TRANSIT_COR_<uuid> for a correction. A given id must have that
	// format (51 characters for an original).
	FileID string
	// Version is file@version; empty means "5.01".
	Version string
	// SendingDateTime is file@sendingDateTime (UTC); zero means now.
	SendingDateTime time.Time
	// SupplierID is participants@supplierId, the sender's id (8 to 14
	// characters: RU 10 or 12, KG 14, BY 9, AM 8); empty means
	// Supplier.IdentificationCode.
	SupplierID string
	// ConsigneeID is participants@consigneeId, the receiver's ИИН/БИН;
	// empty means Consignee.IdentificationCode.
	ConsigneeID string
	// Correction is document@correctionFlag; a correction needs
	// PrimaryDoc.
	Correction bool
	// PrimaryDoc is the corrected notice (primaryDocId, primaryDocNumber,
	// primaryDocDate); required for a correction.
	PrimaryDoc *EAEUPrimaryDoc
	// Supplier is mainInfo/supplierInfo.
	Supplier EAEUSupplier
	// Consignee is mainInfo/consigneeInfo: the ИИН/БИН is required, the
	// name optional.
	Consignee DocParty
	// OriginalDoc is the optional mainInfo/originalDocInfo (dd.MM.yyyy).
	OriginalDoc *PaperDoc
	// Excise is the optional mainInfo/exciseInfo.
	Excise *ExciseReceipt
	// Compliance is the optional mainInfo/complianceInfo: 1 to 10
	// documents.
	Compliance []ComplianceDoc
	// Codes is productList: the codes without crypto tail (no count
	// here), written as CDATA like the example.
	Codes []string
	// Totals is productTotals: consumer units per GTIN.
	Totals []GTINCount
}

type eaeuFileXML struct {
	XMLName xml.Name `xml:"file"`
	schemaFileXML
	Participants eaeuParticipantsXML `xml:"participants"`
	Document     eaeuDocumentXML     `xml:"document"`
}

type eaeuParticipantsXML struct {
	SupplierID  string `xml:"supplierId,attr"`
	ConsigneeID string `xml:"consigneeId,attr"`
}

type eaeuDocumentXML struct {
	CorrectionFlag   bool            `xml:"correctionFlag,attr"`
	PrimaryDocID     string          `xml:"primaryDocId,attr,omitempty"`
	PrimaryDocNumber string          `xml:"primaryDocNumber,attr,omitempty"`
	PrimaryDocDate   string          `xml:"primaryDocDate,attr,omitempty"`
	MainInfo         eaeuMainInfoXML `xml:"mainInfo"`
	ProductList      struct {
		Codes []cdataCodeXML `xml:"iCode"`
	} `xml:"productList"`
	ProductTotals gtinTotalsXML `xml:"productTotals"`
}

type eaeuMainInfoXML struct {
	Supplier    supplierXML    `xml:"supplierInfo"`
	Consignee   consigneeXML   `xml:"consigneeInfo"`
	OriginalDoc *paperDocXML   `xml:"originalDocInfo"`
	Excise      *exciseXML     `xml:"exciseInfo"`
	Compliance  *complianceXML `xml:"complianceInfo"`
}

type exciseXML struct {
	ExciseDocNumber string `xml:"exciseDocNumber,attr"`
	ExciseDocDate   string `xml:"exciseDocDate,attr"`
	ExciseAmount    string `xml:"exciseAmount,attr"`
}

type complianceXML struct {
	Docs []complianceDocXML `xml:"complianceDocumentInfo"`
}

type complianceDocXML struct {
	ComplianceDocDate   string `xml:"complianceDocDate,attr"`
	ComplianceDocNumber string `xml:"complianceDocNumber,attr"`
	ComplianceDocType   string `xml:"complianceDocType,attr"`
}

// cdataCodeXML is <iCode><![CDATA[code]]></iCode>.
type cdataCodeXML struct {
	Code string `xml:",cdata"`
}

// sendPath routes the notice to D-15.
func (EAEUImportNotice) sendPath() string { return pathFormal }

// Encode validates the notice and writes its XML (D-15). It
// implements [Document].
func (n EAEUImportNotice) Encode() ([]byte, error) {
	var c xmlCheck
	prefix := FileIDPrefixImportTransit
	if n.Correction {
		prefix = FileIDPrefixImportTransitCorrection
	}
	f := eaeuFileXML{schemaFileXML: newSchemaFile(c.prefixedFileID(n.FileID, prefix), c.version(n.Version, "5.01"), n.SendingDateTime, schemaEAEUImport)}
	f.Participants.SupplierID = c.length("participants@supplierId", cmp.Or(n.SupplierID, n.Supplier.IdentificationCode), 8, 14)
	f.Participants.ConsigneeID = c.iinBIN("participants@consigneeId", cmp.Or(n.ConsigneeID, n.Consignee.IdentificationCode))
	d := &f.Document
	d.CorrectionFlag = n.Correction
	if p := n.PrimaryDoc; p != nil {
		d.PrimaryDocID = c.length("document@primaryDocId", p.ID, 1, 36)
		d.PrimaryDocNumber = c.required("document@primaryDocNumber", p.Number)
		d.PrimaryDocDate = c.day("document@primaryDocDate", p.Date)
	} else if n.Correction {
		c.fail("document@primaryDocId", "is required for a correction (set PrimaryDoc)")
	}
	m := &d.MainInfo
	m.Supplier = supplierXML{
		SupplierName:               c.length("supplierInfo@supplierName", n.Supplier.Name, 1, 255),
		SupplierIdentificationCode: c.length("supplierInfo@supplierIdentificationCode", n.Supplier.IdentificationCode, 1, 255),
		SupplierCountryCode:        c.countryAlpha2("supplierInfo@supplierCountryCode", n.Supplier.CountryCode),
	}
	m.Consignee = consigneeXML{
		ConsigneeName:               c.text("consigneeInfo@consigneeName", n.Consignee.Name),
		ConsigneeIdentificationCode: c.iinBIN("consigneeInfo@consigneeIdentificationCode", n.Consignee.IdentificationCode),
	}
	m.OriginalDoc = c.paperDoc(n.OriginalDoc, xmlDayLayout)
	if e := n.Excise; e != nil {
		m.Excise = &exciseXML{
			ExciseDocNumber: c.required("exciseInfo@exciseDocNumber", e.Number),
			ExciseDocDate:   c.day("exciseInfo@exciseDocDate", e.Date),
			ExciseAmount:    c.money2("exciseInfo@exciseAmount", e.Amount),
		}
	}
	if len(n.Compliance) > 10 {
		c.fail("complianceInfo/complianceDocumentInfo", "holds at most 10 documents, not %d", len(n.Compliance))
	}
	if len(n.Compliance) > 0 {
		m.Compliance = &complianceXML{Docs: make([]complianceDocXML, len(n.Compliance))}
		for i, cd := range n.Compliance {
			field := fieldAt("complianceInfo/complianceDocumentInfo", i)
			m.Compliance.Docs[i] = complianceDocXML{
				ComplianceDocDate:   c.day(field+"@complianceDocDate", cd.Date),
				ComplianceDocNumber: c.required(field+"@complianceDocNumber", cd.Number),
				ComplianceDocType:   c.required(field+"@complianceDocType", cd.Type),
			}
		}
	}
	if len(n.Codes) == 0 {
		c.fail("productList/iCode", "at least one code is required")
	}
	d.ProductList.Codes = make([]cdataCodeXML, len(n.Codes))
	for i, code := range n.Codes {
		d.ProductList.Codes[i].Code = c.required(fieldAt("productList/iCode", i), code)
	}
	d.ProductTotals = c.gtinTotals(n.Totals)
	if c.err != nil {
		return nil, c.err
	}
	return marshalXMLFile(f)
}

// countryAlpha2 checks a required two-letter country code.
func (c *xmlCheck) countryAlpha2(field, v string) string {
	if v == "" {
		c.fail(field, "is required")
		return v
	}
	if len(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' {
		c.fail(field, "must be two capital letters (AM, BY, KG, RU)")
	}
	return v
}

// money2 writes a non-negative amount with exactly two decimals.
func (c *xmlCheck) money2(field string, d decimal.Decimal) string {
	if d.IsNegative() {
		c.fail(field, "must not be negative")
	}
	if !d.Equal(d.Truncate(2)) {
		c.fail(field, "has more than two decimals; round it first")
	}
	return d.StringFixed(2)
}

// CustomsDocType is customDocument@docType of the third-country import
// notice (D-16).
type CustomsDocType string

// Customs document types of D-16 ().
const (
	// CustomsDeclaration is a goods declaration (Декларация на товары).
	CustomsDeclaration CustomsDocType = "DECLARATION"
	// CustomsStatement is a release before the declaration is filed
	// (Заявление о выпуске товаров до подачи декларации).
	CustomsStatement CustomsDocType = "STATEMENT"
)

// CustomsDocument is mainInfo/customDocument of the third-country import
// notice (D-16), all attributes required.
type CustomsDocument struct {
	Type      CustomsDocType // docType
	RegNumber string         // regNumber
	RegDate   time.Time      // regDate, written yyyy-MM-dd
}

// CustomsDecision is mainInfo/customDecisionInfo of the third-country
// import notice (D-16), all attributes required.
type CustomsDecision struct {
	// Code is decisionCode: 10, 11, 12, 13, 14 or 20 (the specification
	// does not give their meanings).
	Code string
	// DateTime is decisionDateTime, written YYYY-MM-DDThh:mm:ssZ in UTC.
	DateTime time.Time
	// CustomsCode is customCode, the 5-digit customs office code
	// (§9 of the documentation, [CustomsOffices]).
	CustomsCode string
}

// CertificationDoc is mainInfo/certificationInfo of the third-country
// import notice (D-16): the conformity document, all
// attributes required.
type CertificationDoc struct {
	Type   string // docType
	Number string // docNumber
	// Date is docDate. AMBIGUITY: its layout is not stated; yyyy-MM-dd is
	// written, the layout of this notice's other dates (and of working
	// client code).
	Date time.Time
}

// ImportItem is a productItems/item of the third-country import notice
// (D-16): a code as declared and its product.
type ImportItem struct {
	// DeclaredCode is item@iCodeFromDeclaration, the КИ/КИГУ/КИТУ of the
	// customs declaration.
	DeclaredCode string
	// TNVED is product@tnved, the 10-digit ТН ВЭД ЕАЭС code. AMBIGUITY:
	// the table spells the attribute trved, a typo; tnved is written.
	TNVED string
	// GTIN is product@gtin (14 digits, left-padded with zeros).
	GTIN string
	// OriginCountry is product@originCountry.
	OriginCountry string
	// ItemNumber is product@itemNumber, the item's number in the goods
	// declaration (from 1).
	ItemNumber int
	// Codes is the optional product/iCode list: the consumer-unit codes
	// linked to that ТН ВЭД.
	Codes []string
}

// ThirdCountryImportNotice is the notice of import from third countries
// (Уведомление о ввозе из третьих стран) of D-16, sent with
// [Client.SendThirdCountryImportNotice]. The specification gives only the
// table; Encode writes (attributes for the leaf fields of each block, as
// in the other documents and in working client code):
//
//	<file xmlns:xsi="…" fileId="IMPORT_<uuid>" version="1.0" sendingDateTime="…Z"
//	      xsi:noNamespaceSchemaLocation="xsd_notific_import.xsd">
//	  <document>
//	    <mainInfo>
//	      <importerInfo importerName="…" importerCode="…"/>
//	      <exportCountry>CN</exportCountry>
//	      <customDocument docType="DECLARATION" regNumber="…" regDate="yyyy-MM-dd"/>
//	      <customDecisionInfo decisionCode="10" decisionDateTime="…Z" customCode="55301"/>
//	      <certificationInfo docType="…" docNumber="…" docDate="yyyy-MM-dd"/>
//	      <originalDocInfo docNumber="…" docDate="yyyy-MM-dd"/>
//	    </mainInfo>
//	    <productItems>
//	      <item iCodeFromDeclaration="…">
//	        <product tnved="…" gtin="…" originCountry="…" itemNumber="1"><iCode>…</iCode></product>
//	      </item>
//	    </productItems>
//	  </document>
//	</file>
//
// AMBIGUITY: exportCountry, a leaf of mainInfo, is an element (as working
// client code writes it), while the leaves of the other blocks are
// attributes.
type ThirdCountryImportNotice struct {
	// FileID is file@fileId; empty means a new IMPORT_<uuid> (43
	// characters). A given id must have that format.
	FileID string
	// Version is file@version; empty means "1.0".
	Version string
	// SendingDateTime is file@sendingDateTime (UTC); zero means now.
	SendingDateTime time.Time
	// Importer is mainInfo/importerInfo: importerName (1 to 100
	// characters) and importerCode (ИИН/БИН), both required.
	Importer DocParty
	// ExportCountry is mainInfo/exportCountry, the country of export as
	// the country directory codes it (e.g. CN).
	ExportCountry string
	// CustomsDocument is mainInfo/customDocument.
	CustomsDocument CustomsDocument
	// CustomsDecision is mainInfo/customDecisionInfo.
	CustomsDecision CustomsDecision
	// Certification is mainInfo/certificationInfo.
	Certification CertificationDoc
	// OriginalDoc is the optional mainInfo/originalDocInfo (yyyy-MM-dd).
	OriginalDoc *PaperDoc
	// Items is productItems: one item per declared code.
	Items []ImportItem
}

type importFileXML struct {
	XMLName xml.Name `xml:"file"`
	schemaFileXML
	Document importDocumentXML `xml:"document"`
}

type importDocumentXML struct {
	MainInfo     importMainInfoXML `xml:"mainInfo"`
	ProductItems struct {
		Items []importItemXML `xml:"item"`
	} `xml:"productItems"`
}

type importMainInfoXML struct {
	Importer struct {
		ImporterName string `xml:"importerName,attr"`
		ImporterCode string `xml:"importerCode,attr"`
	} `xml:"importerInfo"`
	ExportCountry  string `xml:"exportCountry"`
	CustomDocument struct {
		DocType   string `xml:"docType,attr"`
		RegNumber string `xml:"regNumber,attr"`
		RegDate   string `xml:"regDate,attr"`
	} `xml:"customDocument"`
	CustomDecision struct {
		DecisionCode     string `xml:"decisionCode,attr"`
		DecisionDateTime string `xml:"decisionDateTime,attr"`
		CustomCode       string `xml:"customCode,attr"`
	} `xml:"customDecisionInfo"`
	Certification struct {
		DocType   string `xml:"docType,attr"`
		DocNumber string `xml:"docNumber,attr"`
		DocDate   string `xml:"docDate,attr"`
	} `xml:"certificationInfo"`
	OriginalDoc *paperDocXML `xml:"originalDocInfo"`
}

type importItemXML struct {
	ICodeFromDeclaration string `xml:"iCodeFromDeclaration,attr"`
	Product              struct {
		TNVED         string   `xml:"tnved,attr"`
		GTIN          string   `xml:"gtin,attr"`
		OriginCountry string   `xml:"originCountry,attr"`
		ItemNumber    int      `xml:"itemNumber,attr"`
		Codes         []string `xml:"iCode"`
	} `xml:"product"`
}

// sendPath routes the notice to D-16.
func (ThirdCountryImportNotice) sendPath() string { return pathThirdCountries }

// Encode validates the notice and writes its XML (D-16). It
// implements [Document].
func (n ThirdCountryImportNotice) Encode() ([]byte, error) {
	var c xmlCheck
	f := importFileXML{schemaFileXML: newSchemaFile(c.prefixedFileID(n.FileID, FileIDPrefixImport), c.version(n.Version, "1.0"), n.SendingDateTime, schemaThirdCountries)}
	m := &f.Document.MainInfo
	m.Importer.ImporterName = c.length("importerInfo@importerName", n.Importer.Name, 1, 100)
	m.Importer.ImporterCode = c.iinBIN("importerInfo@importerCode", n.Importer.IdentificationCode)
	m.ExportCountry = c.required("mainInfo/exportCountry", n.ExportCountry)
	m.CustomDocument.DocType = c.required("customDocument@docType", string(n.CustomsDocument.Type))
	m.CustomDocument.RegNumber = c.required("customDocument@regNumber", n.CustomsDocument.RegNumber)
	m.CustomDocument.RegDate = c.isoDay("customDocument@regDate", n.CustomsDocument.RegDate)
	m.CustomDecision.DecisionCode = c.required("customDecisionInfo@decisionCode", n.CustomsDecision.Code)
	m.CustomDecision.DecisionDateTime = c.dateTime("customDecisionInfo@decisionDateTime", n.CustomsDecision.DateTime)
	m.CustomDecision.CustomCode = c.digits("customDecisionInfo@customCode", n.CustomsDecision.CustomsCode, 5, "a customs office code")
	m.Certification.DocType = c.required("certificationInfo@docType", n.Certification.Type)
	m.Certification.DocNumber = c.required("certificationInfo@docNumber", n.Certification.Number)
	m.Certification.DocDate = c.isoDay("certificationInfo@docDate", n.Certification.Date)
	m.OriginalDoc = c.paperDoc(n.OriginalDoc, xmlISODayLayout)
	if len(n.Items) == 0 {
		c.fail("productItems/item", "at least one item is required")
	}
	items := make([]importItemXML, len(n.Items))
	for i, it := range n.Items {
		field := fieldAt("productItems/item", i)
		x := &items[i]
		x.ICodeFromDeclaration = c.required(field+"@iCodeFromDeclaration", it.DeclaredCode)
		x.Product.TNVED = c.digits(field+"/product@tnved", it.TNVED, 10, "a ТН ВЭД code")
		x.Product.GTIN = c.gtin(field+"/product@gtin", it.GTIN)
		x.Product.OriginCountry = c.required(field+"/product@originCountry", it.OriginCountry)
		x.Product.ItemNumber = c.count(field+"/product@itemNumber", it.ItemNumber)
		for j, code := range it.Codes {
			x.Product.Codes = append(x.Product.Codes, c.required(fieldAt(field+"/product/iCode", j), code))
		}
	}
	f.Document.ProductItems.Items = items
	if c.err != nil {
		return nil, c.err
	}
	return marshalXMLFile(f)
}
