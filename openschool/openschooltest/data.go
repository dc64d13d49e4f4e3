package openschooltest

// Dataset is what the fake serves. Its fields are plain strings in the wire
// formats of the API (ids as decimal strings, money as decimal strings, dates
// as YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MM:SS); an empty string is sent
// as null (Perl's undef) where the documentation shows undef.
//
// Change it through [Server.Update] while the server runs.
type Dataset struct {
	Regions      []Region
	Periods      []Period
	Schools      []School
	Movements    []Movement
	Labels       []Label
	Tasks        []Task
	Bookkeepings []Bookkeeping
	Recipients   []Recipient
	Payments     []Payment
}

// Region is a region (action=regions).
type Region struct{ ID, Name string }

// Period is a reporting period (action=periods). Parent "" is sent as undef.
type Period struct {
	ID, Name, DateStart, DateEnd string
	Current                      bool
	Parent                       string
}

// School is a school (action=schools). Its sums are computed from Movements
// and, for amount, from the planned amounts of its tasks in status todo.
type School struct {
	ID, RegionID, Name, Description, Address, Phone string
	BookkeepingID, Postfix                          string
}

// Movement is money received (positive Amount) or spent (negative Amount)
// by a school on Date within a period; action=schools sums them.
type Movement struct {
	SchoolID, PeriodID, Date, Amount string
}

// Label is a task category (action=labels).
type Label struct{ ID, Name string }

// Task is a task of an entity (action=tasks).
type Task struct {
	ID, Node, Item, Name, Description, Status  string
	PeriodID, LabelID, Amount, Deadline        string
	DateAdd, DateUpdate, ParentTask, ProfileID string
	Archived                                   bool
	VoteCount                                  int
	VoteValue                                  string
	Reports                                    []Report
}

// Report is a report on a task; Government marks budget money.
type Report struct {
	ID, Name, Description, Spend, DateAdd, ProfileID string
	Government, Archived                             bool
	Images                                           []string
}

// Bookkeeping is an accounting office serving schools.
type Bookkeeping struct {
	ID, EDRPOU, Bank, MFO, Name, Account, LastUpdate string
}

// Recipient is the payee of budget payments.
type Recipient struct {
	ID, MFO, EDRPOU, Bank, Name, Account string
}

// Payment is a budget payment (action=governmentpayments).
type Payment struct {
	ID, BookkeepingID, RecipientID, SchoolID, DocNumber, MasterID string
	Confirmed                                                     bool
	Amount, Details, ProfileID, DocDate, DocVDate, TransDate      string
	LabelID                                                       string
}

// DefaultDataset returns the fake's standard data: the documentation's own
// examples (region 21, periods 44 and 45, school 61 with its sums, school 67
// with tasks 794 and 796, labels, payment 299 with its bookkeeping and
// recipient) plus enough neighbours to make every filter select something.
// Each call returns a fresh copy.
func DefaultDataset() *Dataset {
	return &Dataset{
		Regions: []Region{
			{"21", "Івано-франківська область"},
			{"7", "Херсонська область"},
			{"14", "Чернігівська область"},
			{"4", "Вінницька область"},
		},
		Periods: []Period{
			{ID: "44", Name: "Внесено в систему до 01.09.2017", DateStart: "2017-03-01", DateEnd: "2017-09-04"},
			{ID: "45", Name: "2017/2018 навчальний рік", DateStart: "2017-09-04", DateEnd: "2018-08-31", Current: true, Parent: "44"},
		},
		Schools: []School{
			{ID: "61", RegionID: "7", Name: "Херсонська спеціалізована школа I-III ступенів №52", BookkeepingID: "1", Postfix: "52"},
			{ID: "67", RegionID: "7", Name: "Херсонська загальноосвітня школа I-III ступенів №30", Address: "м. Херсон, вул. Лавренєва, 5", Phone: "0552 000000", BookkeepingID: "1", Postfix: "30"},
			{ID: "17", RegionID: "14", Name: "test 30 ЗОШ", BookkeepingID: "1"},
			{ID: "88", RegionID: "21", Name: "Івано-Франківська гімназія №1", Description: "Гімназія", Postfix: "1"},
		},
		Movements: []Movement{
			// School 61: stock 254141.04, spend 180944.65, balance 73196.39 over all time.
			{"61", "44", "2017-04-12", "100000.00"},
			{"61", "44", "2017-06-30", "-80944.65"},
			{"61", "45", "2017-11-15", "154141.04"},
			{"61", "45", "2017-12-20", "-100000.00"},
			// School 67.
			{"67", "45", "2017-10-02", "12000.50"},
			{"67", "45", "2017-12-08", "-992.00"},
			{"67", "45", "2017-12-13", "-458.00"},
			{"17", "45", "2017-12-14", "17185.10"},
			{"17", "45", "2017-12-14", "-17185.10"},
			{"88", "44", "2017-05-05", "5000.0000"},
		},
		Labels: []Label{
			{"2", "Будівельні матеріали"},
			{"3", "Квіти"},
			{"4", "Пеня"},
			{"5", "Продукти та послуги з харчування"},
		},
		Tasks: []Task{
			{
				ID: "794", Node: "school", Item: "67", Name: "Моє особисте завдання", Status: "inprogress",
				PeriodID: "45", LabelID: "4", Amount: "5000", Deadline: "2017-12-30",
				DateAdd: "2017-12-08 10:35:35", DateUpdate: "2017-12-08 14:05:26", ProfileID: "2",
				Reports: []Report{{
					ID: "771", Name: "Звіт", Spend: "992", DateAdd: "2017-12-08 14:05:26", ProfileID: "2",
					Images: []string{"http://openschool.in.ua/media/images/52697tile.png"},
				}},
			},
			{
				ID: "796", Node: "school", Item: "67", Name: "Придбаті квіти", Status: "done",
				PeriodID: "45", LabelID: "3", Amount: "458", Deadline: "2017-12-13",
				DateAdd: "2017-12-08 14:46:15", DateUpdate: "2017-12-08 14:47:45", ProfileID: "13",
				Reports: []Report{{ID: "772", Name: "Чек", Spend: "458", Government: true, DateAdd: "2017-12-08 14:47:00", ProfileID: "13"}},
			},
			{
				ID: "801", Node: "school", Item: "67", Name: "Фарба для спортзалу", Status: "todo",
				PeriodID: "45", LabelID: "2", Amount: "3200.50", Deadline: "2018-01-20",
				DateAdd: "2017-12-20 09:00:00", DateUpdate: "2017-12-20 09:00:00", ProfileID: "13",
				VoteCount: 3, VoteValue: "4.67",
			},
			{
				ID: "650", Node: "school", Item: "67", Name: "Ремонт даху", Status: "done",
				PeriodID: "44", LabelID: "2", Amount: "12000", Deadline: "2017-08-01",
				DateAdd: "2017-05-02 12:00:00", DateUpdate: "2017-08-01 18:30:00", ProfileID: "2", Archived: true,
				Reports: []Report{
					{ID: "600", Name: "Матеріали", Spend: "7000.25", DateAdd: "2017-06-01 10:00:00", ProfileID: "2"},
					{ID: "601", Name: "Роботи", Spend: "4999.75", Government: true, DateAdd: "2017-07-30 10:00:00", ProfileID: "2"},
				},
			},
			{
				ID: "802", Node: "school", Item: "61", Name: "Меблі для класу", Status: "todo",
				PeriodID: "45", LabelID: "2", Amount: "15000", Deadline: "2018-02-01",
				DateAdd: "2017-11-20 11:11:11", DateUpdate: "2017-11-21 08:00:00", ProfileID: "5", ParentTask: "640",
			},
		},
		Bookkeepings: []Bookkeeping{{
			ID: "1", EDRPOU: "02146713", Bank: "ГУ ДКСУ У ХЕРСОНСЬКІЙ ОБЛАСТІ", MFO: "852010",
			Name: "Управління освіти ХМР", Account: "35421103035762", LastUpdate: "2017-12-15",
		}},
		Recipients: []Recipient{
			{ID: "40", MFO: "380805", EDRPOU: "03355353", Bank: "АТ “РАЙФФАЙЗЕН БАНК АВАЛЬ” У М. КИЄВІ", Name: "ВАТ “Херсонгаз”", Account: "26004414838"},
			{ID: "41", MFO: "852010", EDRPOU: "02146713", Bank: "ГУ ДКСУ У ХЕРСОНСЬКІЙ ОБЛАСТІ", Name: "Управління освіти ХМР", Account: "35421103035763"},
		},
		Payments: []Payment{
			{
				ID: "299", BookkeepingID: "1", RecipientID: "40", SchoolID: "17", DocNumber: "6469", MasterID: "72086483",
				Confirmed: true, Amount: "17185.1", ProfileID: "0", DocDate: "2017-12-13", DocVDate: "2017-12-13", TransDate: "2017-12-14",
				Details: "1011010;2230;за молоко ДДЗ№73 накл. № 11-559 вiд 12.12.2017  дог. № 363 від 13.02.2017  д.у.№2 від 18.05.17;без ПДВ",
				LabelID: "5",
			},
			{
				ID: "300", BookkeepingID: "1", RecipientID: "41", SchoolID: "61", DocNumber: "6470", MasterID: "72086484",
				Confirmed: false, Amount: "1250.00", ProfileID: "3", DocDate: "2017-12-14", DocVDate: "2017-12-14", TransDate: "2017-12-15",
				Details: "1011010;2210;канцтовари;без ПДВ", LabelID: "2",
			},
		},
	}
}
