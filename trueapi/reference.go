package trueapi

// Reference tables of §9 of the documentation («Справочники»).
// The specification says the tables will grow as True API develops, so the
// types are strings (or ints) that carry any value the server sends; the
// constants are the documented values and Name gives the Russian
// description of the specification.

// ProductGroup is a product group code (pg), §9 «Список поддерживаемых
// товарных групп».
type ProductGroup string

// Product groups of §9.
const (
	GroupShoes   ProductGroup = "shoes"   // id 2
	GroupTobacco ProductGroup = "tobacco" // id 3
	GroupPharma  ProductGroup = "pharma"  // id 7
	GroupMilk    ProductGroup = "milk"    // id 8
	GroupAlcohol ProductGroup = "alcohol" // id 11
)

var productGroups = map[ProductGroup]struct {
	id   int
	name string
}{
	GroupShoes:   {2, "Обувные товары"},
	GroupTobacco: {3, "Табачные изделия"},
	GroupPharma:  {7, "Лекарственные препараты для медицинского применения"},
	GroupMilk:    {8, "Молочная продукция"},
	GroupAlcohol: {11, "Алкогольная продукция"},
}

// ID returns the numeric id of the group (productGroupId), or 0 for a
// group the table does not list.
func (g ProductGroup) ID() int { return productGroups[g].id }

// Name returns the Russian description, or "" for an unlisted group.
func (g ProductGroup) Name() string { return productGroups[g].name }

// ProductGroupByID returns the group with the given productGroupId.
func ProductGroupByID(id int) (ProductGroup, bool) {
	for g, v := range productGroups {
		if v.id == id {
			return g, true
		}
	}
	return "", false
}

// PackageType is a package type, §9 «Типы упаковки» (the export split the
// codes as "LEVE L1"; the real codes are LEVEL1…).
type PackageType string

// Package types of §9.
const (
	PackageUnit   PackageType = "UNIT"
	PackageLevel1 PackageType = "LEVEL1"
	PackageLevel2 PackageType = "LEVEL2"
	PackageLevel3 PackageType = "LEVEL3"
	PackageLevel4 PackageType = "LEVEL4"
	PackageLevel5 PackageType = "LEVEL5"
	PackageBundle PackageType = "BUNDLE"
)

// Name returns the Russian description, or "".
func (p PackageType) Name() string {
	return map[PackageType]string{
		PackageUnit: "Единица товара", PackageLevel1: "Упаковка 1-го уровня", PackageLevel2: "Упаковка 2-го уровня",
		PackageLevel3: "Упаковка 3-го уровня", PackageLevel4: "Упаковка 4-го уровня", PackageLevel5: "Упаковка 5-го уровня",
		PackageBundle: "Комплект",
	}[p]
}

// CisStatus is a marking-code status, §9 «Статусы КМ».
type CisStatus string

// Code statuses of §9 (with their numeric ids).
const (
	StatusEmitted            CisStatus = "EMITTED"             // 0
	StatusApplied            CisStatus = "APPLIED"             // 1
	StatusIntroduced         CisStatus = "INTRODUCED"          // 2
	StatusWrittenOff         CisStatus = "WRITTEN_OFF"         // 3
	StatusWithdrawn          CisStatus = "WITHDRAWN"           // 4
	StatusReservedNotUsed    CisStatus = "RESERVED_NOT_USED"   // 5
	StatusIntroducedReturned CisStatus = "INTRODUCED_RETURNED" // 6
	StatusDisaggregated      CisStatus = "DISAGGREGATED"       // 7
	StatusExported           CisStatus = "EXPORTED"            // 9
	StatusLoanRetired        CisStatus = "LOAN_RETIRED"        // 10
	StatusRemarkRetired      CisStatus = "REMARK_RETIRED"      // 11
	StatusAppliedNotPaid     CisStatus = "APPLIED_NOT_PAID"    // 12
)

// Name returns the Russian description, or "".
func (s CisStatus) Name() string {
	return map[CisStatus]string{
		StatusEmitted: "Эмитирован", StatusApplied: "Нанесён", StatusIntroduced: "Введен в оборот",
		StatusWrittenOff: "Списан", StatusWithdrawn: "Выведен из оборота, продан",
		StatusReservedNotUsed: "Зарезервировано. Не использовать", StatusIntroducedReturned: "Возвращён в оборот",
		StatusDisaggregated: "Дезагрегирован", StatusExported: "Используется для документов экспорта",
		StatusLoanRetired: "Выведен из оборота по договору рассрочки", StatusRemarkRetired: "Выведен из оборота при перемаркировке",
		StatusAppliedNotPaid: "Нанесён, не оплачен",
	}[s]
}

// DocumentType is a document type, §9 «Типы документов».
type DocumentType string

// Document types of §9.
const (
	DocReceipt        DocumentType = "RECEIPT"
	DocReceiptReturn  DocumentType = "RECEIPT_RETURN"
	DocIntroduceGoods DocumentType = "KZ_INTRODUCE_GOODS"
	DocWithdrawal     DocumentType = "MTTPS_90"
	DocImport         DocumentType = "IMPORT"
	DocImportTransit  DocumentType = "IMPORT_TRANSIT"
	DocWriteOff       DocumentType = "WRITE_OFF"
	DocAggregation    DocumentType = "AGGREGATION_DOCUMENT"
	DocAcceptanceAct  DocumentType = "KZ_UPD"
)

// Name returns the Russian name, or "".
func (d DocumentType) Name() string {
	return map[DocumentType]string{
		DocReceipt: "Чек", DocReceiptReturn: "Чек возврата", DocIntroduceGoods: "повторный ввод в оборот",
		DocWithdrawal: "вывод из оборота", DocImport: "ввоз из третьих стран", DocImportTransit: "ввоз из стран ЕАЭС",
		DocWriteOff: "списание", DocAggregation: "агрегация", DocAcceptanceAct: "акт Приема-передачи",
	}[d]
}

// DocumentStatus is a document status, §9 «Статусы документов».
type DocumentStatus string

// Document statuses of §9.
const (
	DocStatusInProgress      DocumentStatus = "IN_PROGRESS"
	DocStatusCheckedOK       DocumentStatus = "CHECKED_OK"
	DocStatusCheckedNotOK    DocumentStatus = "CHECKED_NOT_OK"
	DocStatusProcessingError DocumentStatus = "PROCESSING_ERROR"
	DocStatusUndefined       DocumentStatus = "UNDEFINED"
)

// Name returns the Russian description, or "".
func (s DocumentStatus) Name() string {
	return map[DocumentStatus]string{
		DocStatusInProgress: "Проверяется", DocStatusCheckedOK: "Оформлен", DocStatusCheckedNotOK: "Ошибка при проверке",
		DocStatusProcessingError: "Ошибка при обработке", DocStatusUndefined: "Не определён",
	}[s]
}

// ActStatus is a status of an Act ПП, §9 «Статусы для Акта ПП».
type ActStatus int

// Act ПП statuses of §9.
const (
	ActSent              ActStatus = 1
	ActNew               ActStatus = 2
	ActRegistered        ActStatus = 3
	ActConfirmed         ActStatus = 4
	ActRejected          ActStatus = 5
	ActDivergence        ActStatus = 8
	ActInvalid           ActStatus = 10
	ActWithdrawn         ActStatus = 16
	ActCorrected         ActStatus = 17
	ActTotalsCalculating ActStatus = 18
	ActTotalsCalculated  ActStatus = 19
	ActTotalsChecking    ActStatus = 20
)

// Name returns the UI name the specification gives in brackets, or "".
// (The specification writes status 1 "Отравлен", a typo for Отправлен.)
func (s ActStatus) Name() string {
	return map[ActStatus]string{
		ActSent: "Отправлен", ActNew: "Новое", ActRegistered: "Ожидает подтверждения", ActConfirmed: "Подписан получателем",
		ActRejected: "Отклонен", ActDivergence: "На согласовании", ActInvalid: "Ошибка доставки", ActWithdrawn: "Отозван",
		ActCorrected: "Аннулирован", ActTotalsCalculating: "Расчет итогов", ActTotalsCalculated: "Готов к регистрации",
		ActTotalsChecking: "Обработка документа",
	}[s]
}

// ReleaseMethod is how goods were released into circulation (emissionType),
// §9 «Способ выпуска товаров в оборот» (the export split the codes as
// "FOR EIGN" and "LOC AL").
type ReleaseMethod string

// Release methods of §9.
const (
	ReleaseForeign ReleaseMethod = "FOREIGN" // Ввезён в РК
	ReleaseLocal   ReleaseMethod = "LOCAL"   // Производство РК
)

// Name returns the Russian description, or "".
func (r ReleaseMethod) Name() string {
	return map[ReleaseMethod]string{ReleaseForeign: "Ввезён в РК", ReleaseLocal: "Производство РК"}[r]
}

// CustomsOffice is a row of §9 «Справочник кодов таможенных органов».
type CustomsOffice struct {
	Code string // customCode, 5 digits
	Name string
}

// CustomsOffices returns the 92 customs offices of §9, in its order.
func CustomsOffices() []CustomsOffice {
	out := make([]CustomsOffice, len(customsOffices))
	copy(out, customsOffices[:])
	return out
}

// CustomsOfficeName returns the name of the office with the given code.
func CustomsOfficeName(code string) (string, bool) {
	for _, o := range customsOffices {
		if o.Code == code {
			return o.Name, true
		}
	}
	return "", false
}

var customsOffices = [...]CustomsOffice{
	{"50100", "КОМИТЕТ ГОСУДАРСТВЕННЫХ ДОХОДОВ МИНИСТЕРСТВА ФИНАНСОВ РЕСПУБЛИКИ КАЗАХСТАН"},
	{"50400", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО АКТЮБИНСКОЙ ОБЛАСТИ"},
	{"50404", "Т/П \"ХРОМТАУ\""},
	{"50411", "Т/П \"ЕМЫ\""},
	{"50417", "Т/П \"АКТОБЕ-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"50427", "Т/П \"АУЕЖАЙ-АКТОБЕ\""},
	{"50450", "Т/П \"СПЕЦИАЛИЗИРОВАННЫЙ ПОСТ АКТОБЕ\""},
	{"50500", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО АТЫРАУСКОЙ ОБЛАСТИ"},
	{"50505", "Т/П \"ТЕНИЗ\""},
	{"50517", "Т/П \"АК-ЖАЙЫК - ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"50522", "Т/П \"АУЕЖАЙ АТЫРАУ\""},
	{"50523", "Т/П \"КАШАГАН\""},
	{"50525", "Т/П \"СПЕЦИАЛЬНАЯ ЭКОНОМИЧЕСКАЯ ЗОНА-НАЦИОНАЛЬНЫЙ ИНДУСТРИАЛЬНЫЙ НЕФТЕХИМИЧЕСКИЙ ТЕХНОПАРК\""},
	{"50600", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО КОСТАНАЙСКОЙ ОБЛАСТИ"},
	{"50601", "Т/П \"ЖЕТИКАРА\""},
	{"50622", "Т/П \"АРКАЛЫК\""},
	{"50624", "Т/П \"КОСТАНАЙ-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"50700", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО МАНГИСТАУСКОЙ ОБЛАСТИ"},
	{"50708", "Т/П \"КАРА ШЕКПЕН\""},
	{"50709", "Т/П \"МОРПОРТ\""},
	{"50710", "Т/П \"ТЕМИР - БАБА\""},
	{"50711", "Т/П \"АКТАУ-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"50712", "Т/П \"АУЕЖАЙ АКТАУ\""},
	{"50714", "Т/П \"ТАЖЕН\""},
	{"50715", "Т/П \"БЕЙНЕУ\""},
	{"50716", "ТАМОЖЕННЫЙ ПОСТ БОЛАШАК"},
	{"50717", "КПП \"КУРЫК\" Т/П \"МОРПОРТ\""},
	{"50800", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО ПАВЛОДАРСКОЙ ОБЛАСТИ"},
	{"50802", "Т/П \"ЕКІБАСТУЗ\""},
	{"50823", "Т/П \"ПАВЛОДАР-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"50830", "ТАМОЖЕННЫЙ ПОСТ \"Павлодар-специальная экономическая зона\""},
	{"50900", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО СЕВЕРО-КАЗАХСТАНСКОЙ ОБЛАСТИ"},
	{"50916", "Т/П \"ЖАНА ЕСИЛЬ\""},
	{"50919", "Т/П \"ТАЙЫНША\""},
	{"50921", "Т/П \"ПЕТРОПАВЛОВСК-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"51400", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО ВОСТОЧНО-КАЗАХСТАНСКОЙ ОБЛАСТИ"},
	{"51419", "Т/П \"ОСКЕМЕН-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"51423", "Т/П \"АУЕЖАЙ ОСКЕМЕН\""},
	{"51426", "Т/П \"БАХТЫ\""},
	{"51428", "Т/П \"СЕМЕЙ\""},
	{"51435", "Т/П \"МАЙКАПЧАГАЙ\""},
	{"51500", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО ЖАМБЫЛСКОЙ ОБЛАСТИ"},
	{"51512", "ТП \"ТАРАЗ-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"51700", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО ЗАПАДНО-КАЗАХСТАНСКОЙ ОБЛАСТИ"},
	{"51702", "Т/П \"АКСАЙ\""},
	{"51712", "Т/П \"ОРАЛ-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"51800", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО КАРАГАНДИНСКОЙ ОБЛАСТИ"},
	{"51801", "Т/П \"ТЕМИРТАУ\""},
	{"51804", "ТП \"КАРАГАНДА-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"51810", "Т/П \"АУЕЖАЙ-КАРАГАНДА\""},
	{"51814", "ТАМОЖЕННЫЙ ПОСТ \"СПЕЦИАЛЬНАЯ ЭКОНОМИЧЕСКАЯ ЗОНА \"САРЫАРКА\""},
	{"52900", "ЦЕНТРАЛЬНАЯ ТАМОЖЕННАЯ ЛАБОРАТОРИЯ"},
	{"54500", "КИНОЛОГИЧЕСКИЙ ЦЕНТР"},
	{"55100", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО Г.НУР-СУЛТАН"},
	{"55101", "Т/П \"АСТАНА-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"55103", "Т/П \"АУЕЖАЙ-АСТАНА\""},
	{"55106", "Т/П \"СПЕЦИАЛЬНАЯ ЭКОНОМИЧЕСКАЯ ЗОНА \"АСТАНА-ЖАНА КАЛА\""},
	{"55200", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО АКМОЛИНСКОЙ ОБЛАСТИ"},
	{"55202", "Т/П АТБАСАР"},
	{"55204", "Т/П КОКШЕТАУ-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ"},
	{"55300", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО ГОРОДУ АЛМАТЫ"},
	{"55301", "Т/П \"ЖЕТИСУ\""},
	{"55302", "Т/П АЛМАТЫ-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ"},
	{"55303", "Т/П \"СПЕЦ.ЭКОНОМ.ЗОНА \"ПАРК ИНФОРМАЦ-Х ТЕХНОЛОГИЙ\""},
	{"55307", "ТАМОЖЕННЫЙ ПОСТ \"АЛМАЛЫ - ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"55400", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО АЛМАТИНСКОЙ ОБЛАСТИ"},
	{"55401", "Т/П \"ТАЛДЫКОРГАН\""},
	{"55403", "Т/П КАЛЖАТ"},
	{"55407", "ТАМОЖНЯ \"ДОСТЫК\" ДЕПАРТАМЕНТА ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО АЛМАТИНСКОЙ ОБЛАСТИ"},
	{"55408", "Т/П \"АЛАКОЛЬ\" ТАМОЖНИ \"ДОСТЫК\" ДЕПАРТАМЕНТА ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО АЛМАТИНСКОЙ ОБЛАСТИ"},
	{"55409", "Т/П \"ТЕМИРЖОЛ\" ТАМОЖНИ \"ДОСТЫК\" ДЕПАРТАМЕНТА ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО АЛМАТИНСКОЙ ОБЛАСТИ"},
	{"55410", "Т/П \"НУР ЖОЛЫ\""},
	{"55451", "Т/П МЦПС \"Хоргос\""},
	{"55453", "Т/П \"АЛТЫНКОЛЬ-ЖОЛ\""},
	{"55500", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО ТУРКЕСТАНСКОЙ ОБЛАСТИ"},
	{"55501", "Т/П \"ЖИБЕК ЖОЛЫ\""},
	{"55502", "Т/П \"АТАМЕКЕН\""},
	{"55507", "Т/П \"СТ. САРЫАГАШ\""},
	{"55508", "Т/П \"КАЗЫГУРТ\""},
	{"55510", "Т/П ИМЕНИ БАУЫРЖАНА КОНЫСБАЕВА"},
	{"55513", "Т/П \"КАПЛАНБЕК\""},
	{"55515", "КПП \"ЦЕЛИННЫЙ\" Т/П \"АТАМЕКЕН\""},
	{"55516", "КПП \"СЫРДАРЬЯ\" Т/П \"АТАМЕКЕН\""},
	{"55520", "Т/П \"ТУРКЕСТАН-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"55600", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО КЫЗЫЛОРДИНСКОЙ ОБЛАСТИ"},
	{"55601", "Т/П \"АРАЛ\""},
	{"55603", "Т/П КЫЗЫЛОРДА-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ"},
	{"55605", "Т/П \"БАЙКОНЫР\""},
	{"57200", "ДЕПАРТАМЕНТ ГОСУДАРСТВЕННЫХ ДОХОДОВ ПО ГОРОДУ ШЫМКЕНТ"},
	{"57201", "Т/П \"ШЫМКЕНТ-ЦЕНТР ТАМОЖЕННОГО ОФОРМЛЕНИЯ\""},
	{"57202", "Т/П \"СЭЗ \"ОНТУСТИК\""},
	{"57203", "Т/П \"АУЕЖАЙ-ШЫМКЕНТ\""},
}
