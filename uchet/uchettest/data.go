package uchettest

// Identifiers of the default data. All of them pass the IIN/BIN check
// digit.
const (
	// SeedBIN is the BIN of the official update_status example.
	SeedBIN = "141040028436"
	// IndividualIIN is the IIN of the individual entrepreneur in
	// [DefaultDataset], found by get_iin_info only.
	IndividualIIN = "850615300129"
	// UnknownBIN is a valid BIN that is not in [DefaultDataset], for
	// not_found tests.
	UnknownBIN = "991240001110"
)

// Company is a company the fake knows. The first fields are those of the
// brief's contract; the ones after Individual are optional details of the
// company card.
type Company struct {
	// BIN is the 12-digit number: a BIN, or an IIN when Individual is set.
	BIN string
	// NameRU and NameKZ are the short names in Russian and Kazakh.
	NameRU, NameKZ string
	// Status is the registration status, e.g. "Действующее".
	Status string
	// RegistrationDate is written as is; use "YYYY-MM-DD".
	RegistrationDate string
	// HeadFullName is the name of the head (or of the entrepreneur).
	HeadFullName string
	// AddressRU is the legal address in Russian.
	AddressRU string
	// Individual marks an individual entrepreneur: it is found by
	// get_iin_info (an IIN) instead of get_bin_info.
	Individual bool

	// FullNameRU is the full name; empty means NameRU.
	FullNameRU string
	// OKEDCode and OKEDNameRU are the main activity (ОКЭД).
	OKEDCode, OKEDNameRU string
	// KRPCode is the enterprise-size class, a code of the krp classifier;
	// empty gives a null krp_name_ru.
	KRPCode string
	// TaxArrear is the total tax arrear in tenge.
	TaxArrear float64
	// GoszakupRegDate is the date of registration as a public procurement
	// participant; empty means not a participant (regdate null).
	GoszakupRegDate string
}

// DefaultDataset returns a fresh copy of the companies a new server knows.
func DefaultDataset() []Company {
	return []Company{
		{
			BIN:              SeedBIN,
			NameRU:           `ТОО "Жібек Жолы Логистикс"`,
			NameKZ:           `"Жібек Жолы Логистикс" ЖШС`,
			FullNameRU:       `Товарищество с ограниченной ответственностью "Жібек Жолы Логистикс"`,
			Status:           "Действующее",
			RegistrationDate: "2014-10-21",
			HeadFullName:     "АХМЕТОВ ЕРЛАН СЕРИКОВИЧ",
			AddressRU:        "Казахстан, г. Алматы, Алмалинский район, ул. Толе би, д. 101, кв. 12",
			OKEDCode:         "52291",
			OKEDNameRU:       "Транспортно-экспедиционные услуги",
			KRPCode:          "110",
			GoszakupRegDate:  "2016-03-14",
		},
		{
			BIN:              "050840001233",
			NameRU:           `ТОО "Алатау Құрылыс"`,
			NameKZ:           `"Алатау Құрылыс" ЖШС`,
			FullNameRU:       `Товарищество с ограниченной ответственностью "Алатау Құрылыс"`,
			Status:           "Действующее",
			RegistrationDate: "2005-08-30",
			HeadFullName:     "ЖУМАБАЕВА АЙГУЛЬ ТАЛГАТОВНА",
			AddressRU:        "Казахстан, г. Астана, район Есиль, пр. Мангилик Ел, д. 55/8",
			OKEDCode:         "41201",
			OKEDNameRU:       "Строительство жилых зданий",
			KRPCode:          "215",
			TaxArrear:        152340.5,
		},
		{
			BIN:              "180940012348",
			NameRU:           `ТОО "Сарыарқа Агро"`,
			NameKZ:           `"Сарыарқа Агро" ЖШС`,
			Status:           "Бездействующее",
			RegistrationDate: "2018-09-12",
			HeadFullName:     "ПЕТРЕНКО ВИКТОР АЛЕКСАНДРОВИЧ",
			AddressRU:        "Казахстан, Карагандинская область, г. Караганда, ул. Ерубаева, д. 34",
			OKEDCode:         "01110",
			OKEDNameRU:       "Выращивание зерновых и зернобобовых культур, включая семенное производство",
			KRPCode:          "105",
		},
		{
			BIN:              IndividualIIN,
			NameRU:           `ИП "САЙЛАУБЕКОВ"`,
			NameKZ:           `"САЙЛАУБЕКОВ" ЖК`,
			Status:           "Действующий",
			RegistrationDate: "2016-05-20",
			HeadFullName:     "САЙЛАУБЕКОВ НУРЛАН АСКАРОВИЧ",
			AddressRU:        "Казахстан, г. Шымкент, Абайский район, мкр. Нурсат, д. 12, кв. 40",
			Individual:       true,
			OKEDCode:         "47190",
			OKEDNameRU:       "Прочая розничная торговля в неспециализированных магазинах",
		},
	}
}

// classifierItem is one entry of a classifier.
type classifierItem struct {
	Code   string `json:"code"`
	NameRU string `json:"name_ru"`
	NameKZ string `json:"name_kz"`
}

// classifiers are the classifiers the fake serves. The krp (enterprise
// size by head count) entries are invented but plausible.
var classifiers = map[string][]classifierItem{
	"krp": {
		{"105", "Малые предприятия (<= 5)", "Шағын кәсіпорындар (<= 5)"},
		{"110", "Малые предприятия (> 5 и <= 15)", "Шағын кәсіпорындар (> 5 және <= 15)"},
		{"120", "Малые предприятия (> 15 и <= 50)", "Шағын кәсіпорындар (> 15 және <= 50)"},
		{"150", "Малые предприятия (> 50 и <= 100)", "Шағын кәсіпорындар (> 50 және <= 100)"},
		{"215", "Средние предприятия (> 100 и <= 250)", "Орта кәсіпорындар (> 100 және <= 250)"},
		{"305", "Крупные предприятия (> 250 и <= 1000)", "Ірі кәсіпорындар (> 250 және <= 1000)"},
		{"310", "Крупные предприятия (> 1000)", "Ірі кәсіпорындар (> 1000)"},
	},
}

// krpName returns the Russian name of a krp code, or nil.
func krpName(code string) any {
	for _, it := range classifiers["krp"] {
		if it.Code == code {
			return it.NameRU
		}
	}
	return nil
}

// obj is a JSON object.
type obj = map[string]any

// card is the JSON company card of c.
func (c Company) card() obj {
	idKey := "bin"
	if c.Individual {
		idKey = "iin"
	}
	full := c.FullNameRU
	if full == "" {
		full = c.NameRU
	}
	var regdate any
	if c.GoszakupRegDate != "" {
		regdate = c.GoszakupRegDate
	}
	return obj{
		idKey:               c.BIN,
		"name_ru":           c.NameRU,
		"name_kz":           c.NameKZ,
		"full_name_ru":      full,
		"status":            c.Status,
		"registration_date": c.RegistrationDate,
		"head_fullname":     c.HeadFullName,
		"address_ru":        c.AddressRU,
		"oked_code":         c.OKEDCode,
		"oked_name_ru":      c.OKEDNameRU,
		"tax_debt": obj{
			"total_tax_arrear":            c.TaxArrear,
			"pension_contribution_arrear": 0,
			"social_contribution_arrear":  0,
		},
		"goszakup":            obj{"is_participant": regdate != nil, "regdate": regdate},
		"goszakup_unreliable": obj{"is_unreliable": false},
		"stat_gov": obj{
			"krp_code":     c.KRPCode,
			"krp_name_ru":  krpName(c.KRPCode),
			"oked_name_ru": c.OKEDNameRU,
		},
	}
}
