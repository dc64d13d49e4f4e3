package trueapi

import (
	"encoding/xml"
	"time"
)

// ReintroductionReason is mainInfo/reason of the re-introduction notice
// (D-13). Values outside the constants are sent as
// given.
type ReintroductionReason string

// Re-introduction reasons of D-13 (). AMBIGUITY: the D-5 answer lists only 1,
// yet its own example has 2; the three reasons of the D-13 structure are
// taken.
const (
	// ReintroduceSurplus: surplus goods found (обнаружение излишков).
	ReintroduceSurplus ReintroductionReason = "1"
	// ReintroduceMarkedBeforeMandatory: goods marked before mandatory
	// marking started.
	ReintroduceMarkedBeforeMandatory ReintroductionReason = "2"
	// ReintroduceConfiscated: goods confiscated earlier.
	ReintroduceConfiscated ReintroductionReason = "3"
)

// WithdrawalReason is mainInfo/reason of the withdrawal notice
// (D-17), the reasons of document type MTTPS_90. Values outside
// the constants are sent as given.
type WithdrawalReason string

// Withdrawal reasons of D-17 ().
const (
	WithdrawalDefect             WithdrawalReason = "1"  // Брак
	WithdrawalLoss               WithdrawalReason = "2"  // Утрата
	WithdrawalDamage             WithdrawalReason = "3"  // Повреждение
	WithdrawalDestruction        WithdrawalReason = "4"  // Уничтожение
	WithdrawalOwnNeeds           WithdrawalReason = "5"  // Использование для собственных нужд предприятия
	WithdrawalSampling           WithdrawalReason = "6"  // Отбор образцов
	WithdrawalOnlineTrade        WithdrawalReason = "7"  // Вывод из оборота при интернет торговле
	WithdrawalReturnToIndividual WithdrawalReason = "8"  // Возврат физическому лицу (pharma only)
	WithdrawalMedicalUse         WithdrawalReason = "9"  // Для медицинского назначения
	WithdrawalFreePrescription   WithdrawalReason = "10" // Отпуск по бесплатному рецепту
	WithdrawalExportEAEU         WithdrawalReason = "11" // Экспорт в страны ЕАЭС
	WithdrawalExportOutsideEAEU  WithdrawalReason = "12" // Экспорт за пределы ЕАЭС
	WithdrawalRetailSale         WithdrawalReason = "13" // Розничная продажа
	WithdrawalProcessed          WithdrawalReason = "14" // Выбыл (переработка)
	WithdrawalStatePurchase      WithdrawalReason = "15" // Приобретение государственным предприятием
	WithdrawalBuyerOwnNeeds      WithdrawalReason = "16" // Использование для собственных нужд покупателем
	WithdrawalConfiscation       WithdrawalReason = "17" // Конфискация
	WithdrawalOther              WithdrawalReason = "18" // Другое
)

// ReintroductionNotice is the notice of re-introduction into circulation
// (Уведомление о повторном вводе в оборот, document type
// KZ_INTRODUCE_GOODS) of D-13, sent with
// [Client.SendReintroductionNotice]; its document id is its fileId. The
// specification gives only the table; Encode writes (attributes for the
// leaf fields of each block, as in the other documents):
//
//	<file fileId="<GUID>" version="1.0" sendingDateTime="…Z">
//	  <document>
//	    <mainInfo>
//	      <reason>1</reason>
//	      <participantInfo participantName="…" participantIdentificationCode="…"/>
//	      <originalDocInfo docName="…" docNumber="…" docDate="dd.MM.yyyy"/>
//	    </mainInfo>
//	    <productList><iCode count="1">…</iCode></productList>
//	  </document>
//	</file>
//
// AMBIGUITY: fileId, version and sendingDateTime are attributes of the
// root, as in every example of the specification; reason, a leaf of
// mainInfo, is an element like exportCountry of D-16 (mainInfo carries
// only elements in every example).
type ReintroductionNotice struct {
	// FileID is file@fileId, the document's id; empty means a new GUID.
	FileID string
	// Version is file@version; empty means "1.0".
	Version string
	// SendingDateTime is file@sendingDateTime (UTC); zero means now.
	SendingDateTime time.Time
	// Reason is mainInfo/reason, required.
	Reason ReintroductionReason
	// Participant is mainInfo/participantInfo: the ИИН/БИН is required,
	// the name optional.
	Participant DocParty
	// Basis is mainInfo/originalDocInfo, required.
	Basis BasisDoc
	// Codes is productList: codes without crypto tail (group codes of
	// tobacco with or without brackets), count optional.
	Codes []CodeCount
}

// WriteOffNotice is the notice of withdrawal from circulation for other
// reasons (Уведомление о выводе из оборота) of D-17, sent with
// [Client.SendWriteOffNotice]; its document id is its fileId. Encode writes
// the same structure as [ReintroductionNotice], with the withdrawal
// reason:
//
//	<file fileId="<GUID>" version="1.0" sendingDateTime="…Z">
//	  <document>
//	    <mainInfo>
//	      <reason>18</reason>
//	      <participantInfo participantName="…" participantIdentificationCode="…"/>
//	      <originalDocInfo docName="…" docNumber="…" docDate="dd.MM.yyyy"/>
//	    </mainInfo>
//	    <productList><iCode count="1">…</iCode></productList>
//	  </document>
//	</file>
//
// AMBIGUITY readings: the table's "field" is fileId and its "Count" is
// count (the spelling of every other document); fileId is a plain GUID
// although the table allows String(44); the resulting document type is
// MTTPS_90 or WRITE_OFF, which only the server decides.
type WriteOffNotice struct {
	// FileID is file@fileId, the document's id (at most 44 characters);
	// empty means a new GUID.
	FileID string
	// Version is file@version; empty means "1.0".
	Version string
	// SendingDateTime is file@sendingDateTime (UTC); zero means now.
	SendingDateTime time.Time
	// Reason is mainInfo/reason, required (8 is for pharma only).
	Reason WithdrawalReason
	// Participant is mainInfo/participantInfo: the ИИН/БИН is required,
	// the name optional.
	Participant DocParty
	// Basis is mainInfo/originalDocInfo, required.
	Basis BasisDoc
	// Codes is productList: codes without crypto tail, count optional.
	Codes []CodeCount
}

type noticeFileXML struct {
	XMLName         xml.Name          `xml:"file"`
	FileID          string            `xml:"fileId,attr"`
	Version         string            `xml:"version,attr"`
	SendingDateTime string            `xml:"sendingDateTime,attr"`
	Document        noticeDocumentXML `xml:"document"`
}

type noticeDocumentXML struct {
	MainInfo struct {
		Reason      string `xml:"reason"`
		Participant struct {
			ParticipantName               string `xml:"participantName,attr,omitempty"`
			ParticipantIdentificationCode string `xml:"participantIdentificationCode,attr"`
		} `xml:"participantInfo"`
		OriginalDoc struct {
			DocName   string `xml:"docName,attr"`
			DocNumber string `xml:"docNumber,attr"`
			DocDate   string `xml:"docDate,attr"`
		} `xml:"originalDocInfo"`
	} `xml:"mainInfo"`
	ProductList codeCountsXML `xml:"productList"`
}

// encodeNotice writes the common structure of D-13 and D-17.
func encodeNotice(fileID string, maxFileID int, version string, sent time.Time, reason string, p DocParty, b BasisDoc, codes []CodeCount) ([]byte, error) {
	var c xmlCheck
	f := noticeFileXML{
		FileID:          c.plainFileID(fileID, maxFileID),
		Version:         c.version(version, "1.0"),
		SendingDateTime: sendingDateTime(sent),
	}
	m := &f.Document.MainInfo
	m.Reason = c.required("mainInfo/reason", reason)
	m.Participant.ParticipantName = c.text("participantInfo@participantName", p.Name)
	m.Participant.ParticipantIdentificationCode = c.iinBIN("participantInfo@participantIdentificationCode", p.IdentificationCode)
	m.OriginalDoc.DocName = c.required("originalDocInfo@docName", b.Name)
	m.OriginalDoc.DocNumber = c.required("originalDocInfo@docNumber", b.Number)
	m.OriginalDoc.DocDate = c.day("originalDocInfo@docDate", b.Date)
	f.Document.ProductList = c.codeCounts(codes, false)
	if c.err != nil {
		return nil, c.err
	}
	return marshalXMLFile(f)
}

// sendPath routes the notice to D-13.
func (ReintroductionNotice) sendPath() string { return pathIntroduceGoods }

// Encode validates the notice and writes its XML (D-13). It
// implements [Document].
func (n ReintroductionNotice) Encode() ([]byte, error) {
	return encodeNotice(n.FileID, 255, n.Version, n.SendingDateTime, string(n.Reason), n.Participant, n.Basis, n.Codes)
}

// sendPath routes the notice to D-17.
func (WriteOffNotice) sendPath() string { return pathWriteOff }

// Encode validates the notice and writes its XML (D-17). It
// implements [Document].
func (n WriteOffNotice) Encode() ([]byte, error) {
	return encodeNotice(n.FileID, 44, n.Version, n.SendingDateTime, string(n.Reason), n.Participant, n.Basis, n.Codes)
}
