package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/openschool"
	"github.com/steppe-sdk/steppe/openschool/openschooltest"
	"github.com/steppe-sdk/steppe/paruskaz"
	"github.com/steppe-sdk/steppe/paruskaz/paruskaztest"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
	"github.com/steppe-sdk/steppe/uchet"
	"github.com/steppe-sdk/steppe/uchet/uchettest"
	"github.com/steppe-sdk/steppe/uztgs"
	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// BenchmarkCall compares one call through each client with the same call
// written by hand, against the same fake: <client>/<small|large>/<sdk|hand>.
func BenchmarkCall(b *testing.B) { benchCalls(b, false) }

// BenchmarkCallStatic is BenchmarkCall against a static server in front of
// the fake, which answers every request with the bytes the fake answered
// to the same call before the timer (see staticServer), so that the
// fakes' own CPU is not part of either side's time.
func BenchmarkCallStatic(b *testing.B) { benchCalls(b, true) }

func benchCalls(b *testing.B, static bool) {
	for _, c := range []struct {
		name  string
		bench func(*testing.B, bool)
	}{
		{"openschool", benchCallOpenschool},
		{"uztgs", benchCallUztgs},
		{"paruskaz", benchCallParuskaz},
		{"uchet", benchCallUchet},
		{"trueapi", benchCallTrueAPI},
	} {
		b.Run(c.name, func(b *testing.B) { c.bench(b, static) })
	}
}

// A callPair is one call of a client, of one size ("small" or "large"),
// through the SDK and by hand.
type callPair struct {
	size string
	// sides builds both sides of the call against the server at base (the
	// fake's base URL, or a static server's); clients it makes are
	// closed with b.Cleanup.
	sides func(b *testing.B, base string) (sdk, hand func() error)
}

// runPairs runs <size>/sdk and <size>/hand of every pair against the fake
// at fakeBase (whose recorder is rec) or, when static, against a static
// server of the pair's own, which captures the fake's answers to one call
// of each side and is then frozen.
func runPairs(b *testing.B, static bool, fakeBase string, rec recorder, pairs ...callPair) {
	b.Helper()
	for _, p := range pairs {
		base, r := fakeBase, rec
		var st *staticServer
		if static {
			st = newStaticServer(b, fakeBase)
			base, r = st.rebase(b, fakeBase), nil
		}
		sdk, hand := p.sides(b, base)
		if static {
			for _, call := range []func() error{sdk, hand} {
				if err := call(); err != nil {
					b.Fatal(err)
				}
			}
			st.freeze(b)
		}
		b.Run(p.size+"/sdk", func(b *testing.B) { loop(b, r, sdk) })
		b.Run(p.size+"/hand", func(b *testing.B) { loop(b, r, hand) })
		b.Run(p.size+"/pair", func(b *testing.B) { pairLoop(b, r, sdk, hand) })
		if p.size == "small" {
			// The same comparison between two hand-written clients of
			// their own: the noise of the method.
			_, hand2 := p.sides(b, base)
			b.Run(p.size+"/aa", func(b *testing.B) { pairLoop(b, r, hand2, hand) })
		}
	}
}

// --- openschool --------------------------------------------------------

// handOSTask is action=tasks&id_task as a developer would decode it: plain
// strings and numbers, no leniency, no dates.
type handOSTask struct {
	Task struct {
		IDTask      string  `json:"id_task"`
		Name        string  `json:"name"`
		Description string  `json:"description"`
		Status      string  `json:"status"`
		Node        string  `json:"node"`
		Item        string  `json:"item"`
		IDPeriod    string  `json:"id_period"`
		Label       string  `json:"label"`
		Amount      string  `json:"amount"`
		GovSpend    float64 `json:"government_spend"`
		Deadline    string  `json:"deadline"`
		DateAdd     string  `json:"date_add"`
		DateUpdate  string  `json:"date_update"`
		Archive     string  `json:"archive"`
		ParentTask  *string `json:"parent_task"`
		IDProfile   string  `json:"id_profile"`
		Vote        struct {
			Count string  `json:"count"`
			Value float64 `json:"value"`
		} `json:"vote"`
		Reports []struct {
			IDReport    string `json:"id_report"`
			Name        string `json:"name"`
			Description string `json:"description"`
			Spend       string `json:"spend"`
			Government  string `json:"government"`
			Archive     string `json:"archive"`
			DateAdd     string `json:"date_add"`
			IDProfile   string `json:"id_profile"`
			Images      []struct {
				URL string `json:"image_url"`
			} `json:"images"`
		} `json:"reports"`
	} `json:"task"`
}

type handOSPayment struct {
	IDPayment     string `json:"id_payment"`
	IDBookkeeping string `json:"id_bookkeeping"`
	IDRecipient   string `json:"id_recipient"`
	IDSchool      string `json:"id_school"`
	DocNumber     string `json:"doc_number"`
	MasterID      string `json:"master_id"`
	Confirmed     string `json:"confirmed"`
	Amount        string `json:"amount"`
	Details       string `json:"payment_details"`
	IDProfile     string `json:"id_profile"`
	DocDate       string `json:"doc_date"`
	DocVDate      string `json:"doc_v_date"`
	TransDate     string `json:"trans_date"`
	Label         string `json:"label"`
	Bookkeeping   struct {
		ID         string `json:"id_bookkeeping"`
		EDRPOU     string `json:"edrpou"`
		Name       string `json:"name"`
		Bank       string `json:"bank"`
		MFO        string `json:"mfo"`
		Account    string `json:"account"`
		LastUpdate string `json:"last_update"`
	} `json:"bookkeeping"`
	Recipient struct {
		ID      string `json:"id_recipient"`
		EDRPOU  string `json:"edrpou"`
		Name    string `json:"name"`
		Bank    string `json:"bank"`
		MFO     string `json:"mfo"`
		Account string `json:"account"`
	} `json:"recipient"`
	School struct {
		ID          string `json:"id_school"`
		Name        string `json:"name"`
		Description string `json:"description"`
		Address     string `json:"address"`
		Phone       string `json:"phone"`
		Bookkeeping string `json:"bookkeeping"`
		Postfix     string `json:"postfix"`
		IDRegion    string `json:"id_region"`
	} `json:"school"`
}

// osLargePayments is the number of budget payments of the large call.
const osLargePayments = 1000

func benchCallOpenschool(b *testing.B, static bool) {
	ds := openschooltest.DefaultDataset()
	first := ds.Payments[0]
	for i := range osLargePayments - len(ds.Payments) {
		p := first
		p.ID = strconv.Itoa(1000 + i)
		p.DocNumber = strconv.Itoa(7000 + i)
		p.MasterID = strconv.Itoa(72090000 + i)
		ds.Payments = append(ds.Payments, p)
	}
	srv := openschooltest.NewServerWith(ds)
	b.Cleanup(srv.Close)
	ctx := context.Background()
	newClient := func(b *testing.B, base string) *openschool.Client {
		c, err := openschool.New(openschool.WithBaseURL(base))
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	runPairs(b, static, srv.URL, srv.Recorder,
		callPair{"small", func(b *testing.B, base string) (sdk, hand func() error) {
			c, hc, u := newClient(b, base), handHTTP(), base+"/api/v1?action=tasks&id_task=794"
			return func() error {
					t, err := c.Task(ctx, "794")
					if err == nil && len(t.Reports) == 0 {
						err = fmt.Errorf("task without reports")
					}
					return err
				}, func() error {
					var t handOSTask
					_, err := handGet(ctx, hc, u, nil, &t)
					if err == nil && len(t.Task.Reports) == 0 {
						err = fmt.Errorf("task without reports")
					}
					return err
				}
		}},
		callPair{"large", func(b *testing.B, base string) (sdk, hand func() error) {
			c, hc, u := newClient(b, base), handHTTP(), base+"/api/v1?action=governmentpayments"
			return func() error {
					ps, err := c.GovernmentPayments(ctx, nil)
					if err == nil && len(ps) != osLargePayments {
						err = fmt.Errorf("got %d payments", len(ps))
					}
					return err
				}, func() error {
					var out struct {
						Block []handOSPayment `json:"block"`
					}
					_, err := handGet(ctx, hc, u, nil, &out)
					if err == nil && len(out.Block) != osLargePayments {
						err = fmt.Errorf("got %d payments", len(out.Block))
					}
					return err
				}
		}},
	)
}

// --- uztgs -------------------------------------------------------------

// handUztgs is a devise_token_auth session kept by hand: sign in, send the
// session headers with every request, take the new access-token from each
// answer unless it is blank (a batch answer).
type handUztgs struct {
	base string
	hc   *http.Client
	hdr  http.Header
}

func newHandUztgs(ctx context.Context, base string) (*handUztgs, error) {
	h := &handUztgs{base: base, hc: handHTTP(), hdr: http.Header{}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"auth/sign_in",
		strings.NewReader(`{"email":"`+uztgstest.DefaultEmail+`","password":"`+uztgstest.DefaultPassword+`"}`))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	got, err := handDo(h.hc, req, nil)
	if err != nil {
		return nil, err
	}
	h.keep(got)
	return h, nil
}

func (h *handUztgs) keep(got http.Header) {
	if strings.TrimSpace(got.Get("access-token")) == "" {
		return
	}
	for _, k := range []string{"access-token", "client", "uid", "token-type", "expiry"} {
		h.hdr.Set(k, got.Get(k))
	}
}

func (h *handUztgs) get(ctx context.Context, path string, q url.Values, out any) error {
	got, err := handGet(ctx, h.hc, h.base+path+"?"+q.Encode(), h.hdr, out)
	if err != nil {
		return err
	}
	h.keep(got)
	return nil
}

type handUztgsStations struct {
	Data []struct {
		ID                 int64  `json:"id"`
		Name               string `json:"name"`
		SeancesEventTime   int64  `json:"seances_event_time"`
		EquipmentTypeID    int64  `json:"equipment_type_id"`
		EquipmentBrandName string `json:"equipment_brand_name"`
		Phone              string `json:"phone"`
		EquipmentID        int64  `json:"equipment_id"`
		CustomerID         int64  `json:"customer_id"`
	} `json:"data"`
	TotalPages  int  `json:"total_pages"`
	CurrentPage int  `json:"current_page"`
	NextPage    *int `json:"next_page"`
}

type handUztgsArchive struct {
	Data []struct {
		EventTime   int64                `json:"event_time"`
		ChannelData []map[string]float64 `json:"channel_data"`
	} `json:"data"`
	TotalPages  int  `json:"total_pages"`
	CurrentPage int  `json:"current_page"`
	NextPage    *int `json:"next_page"`
}

// uztgsStation converts the fake's station to the client's.
func uztgsStation(s uztgstest.Station) uztgs.Station {
	return uztgs.Station{ID: s.ID, Name: s.Name, EquipmentID: s.EquipmentID, EquipmentTypeID: s.EquipmentTypeID, CustomerID: s.CustomerID}
}

// newUztgsClient returns a client of the fake (or static server) at base.
func newUztgsClient(b *testing.B, base string, opts ...uztgs.Option) *uztgs.Client {
	b.Helper()
	c, err := uztgs.New(append([]uztgs.Option{uztgs.WithBaseURL(base),
		uztgs.WithPassword(uztgstest.DefaultEmail, uztgstest.DefaultPassword)}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func benchCallUztgs(b *testing.B, static bool) {
	srv := uztgstest.NewServerWith(uztgstest.DefaultConfig())
	b.Cleanup(srv.Close) // after the clients' Close, which signs out
	ctx := context.Background()
	st := uztgsStation(srv.Dataset().Stations[0])
	from := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 49) // 50 days: 1,200 hourly rows, a full first page
	archive := st.Archive(uztgs.Hourly, from, to)
	archive.PageParams = uztgs.PageParams{Page: 1, PerPage: uztgs.MaxPerPage}
	archiveQuery := url.Values{"archive_type": {"hourly"}, "station_id": {strconv.FormatInt(st.ID, 10)},
		"equipment_id": {strconv.FormatInt(st.EquipmentID, 10)}, "fp_start": {from.Format(time.DateOnly)},
		"fp_end": {to.Format(time.DateOnly)}, "page": {"1"}, "per_page": {"1000"}}
	// sessions returns a client and a hand-kept session, both signed in.
	sessions := func(b *testing.B, base string) (*uztgs.Client, *handUztgs) {
		c := newUztgsClient(b, base)
		b.Cleanup(func() { _ = c.Close() })
		if _, err := c.SignIn(ctx); err != nil {
			b.Fatal(err)
		}
		h, err := newHandUztgs(ctx, base)
		if err != nil {
			b.Fatal(err)
		}
		return c, h
	}

	runPairs(b, static, srv.BaseURL(), srv.Recorder,
		callPair{"small", func(b *testing.B, base string) (sdk, hand func() error) {
			c, h := sessions(b, base)
			q := url.Values{"page": {"1"}, "per_page": {"10"}}
			return func() error {
					p, err := c.StationsPage(ctx, uztgs.PageParams{Page: 1, PerPage: 10})
					if err == nil && len(p.Items) != 10 {
						err = fmt.Errorf("got %d stations", len(p.Items))
					}
					return err
				}, func() error {
					var p handUztgsStations
					err := h.get(ctx, "stations", q, &p)
					if err == nil && len(p.Data) != 10 {
						err = fmt.Errorf("got %d stations", len(p.Data))
					}
					return err
				}
		}},
		callPair{"large", func(b *testing.B, base string) (sdk, hand func() error) {
			c, h := sessions(b, base)
			return func() error {
					p, err := c.ArchivePage(ctx, archive)
					if err == nil && len(p.Items) != uztgs.MaxPerPage {
						err = fmt.Errorf("got %d records", len(p.Items))
					}
					return err
				}, func() error {
					var p handUztgsArchive
					err := h.get(ctx, "channel_data", archiveQuery, &p)
					if err == nil && len(p.Data) != uztgs.MaxPerPage {
						err = fmt.Errorf("got %d records", len(p.Data))
					}
					return err
				}
		}},
	)
}

// --- paruskaz ----------------------------------------------------------

type handPKPerson struct {
	DateTime string `json:"datetime"`
	IIN      string `json:"iin"`
	FIO      string `json:"fio"`
	Note     string `json:"note"`
}

type handPKInstitution struct {
	BIN     string         `json:"bin"`
	OrgName string         `json:"org_name"`
	Person  []handPKPerson `json:"person"`
}

type handPKEnvelope struct {
	Source string `json:"source"`
	Code   string `json:"code"`
	Param  struct {
		Data []handPKInstitution `json:"data"`
	} `json:"param"`
}

// pkInstitutions returns orgs institutions with persons passes each, every
// BIN and IIN with a valid check digit.
func pkInstitutions(orgs, persons int) []paruskaz.Institution {
	start := time.Date(2024, 1, 13, 7, 30, 0, 0, time.FixedZone("", 5*3600))
	out := make([]paruskaz.Institution, orgs)
	for i := range out {
		in := paruskaz.Institution{
			BIN:     checkDigit(fmt.Sprintf("%05d400%03d", 10000+i, i)),
			OrgName: "КГУ «Общеобразовательная школа №" + strconv.Itoa(i+1) + "»",
		}
		for j := range persons {
			in.Persons = append(in.Persons, paruskaz.Person{
				Time: start.Add(time.Duration(i*persons+j) * time.Second),
				IIN:  checkDigit(fmt.Sprintf("%011d", 85010130000+i*persons+j)),
				FIO:  "Ахметов Даулет Серикович", Note: "корпус 2",
			})
		}
		out[i] = in
	}
	return out
}

// handPKEnvelopeOf is what a developer would write: copy the institutions
// into the wire structs (json.Marshal follows).
func handPKEnvelopeOf(ins []paruskaz.Institution) *handPKEnvelope {
	env := &handPKEnvelope{Source: "Query", Code: "InsertACS"}
	env.Param.Data = make([]handPKInstitution, len(ins))
	for i, in := range ins {
		w := handPKInstitution{BIN: in.BIN, OrgName: in.OrgName, Person: make([]handPKPerson, len(in.Persons))}
		for j, p := range in.Persons {
			w.Person[j] = handPKPerson{DateTime: p.Time.Format(paruskaz.DateTimeLayout), IIN: p.IIN, FIO: p.FIO, Note: p.Note}
		}
		env.Param.Data[i] = w
	}
	return env
}

func benchCallParuskaz(b *testing.B, static bool) {
	cfg := paruskaztest.DefaultConfig()
	cfg.RateLimit = -1
	srv := paruskaztest.NewServerWith(cfg)
	b.Cleanup(srv.Close)
	ctx := context.Background()
	hdr := http.Header{"X-Api-Key": {paruskaztest.DefaultAPIKey}}
	pair := func(size string, orgs, persons int) callPair {
		ins := pkInstitutions(orgs, persons)
		return callPair{size, func(b *testing.B, base string) (sdk, hand func() error) {
			c, err := paruskaz.New(paruskaztest.DefaultAPIKey, paruskaz.WithBaseURL(base), paruskaz.WithoutRateLimit())
			if err != nil {
				b.Fatal(err)
			}
			hc, u := handHTTP(), base+"data_set"
			return func() error { return c.Push(ctx, ins) }, func() error {
				var out struct {
					Message string `json:"message"`
				}
				return handPostJSON(ctx, hc, u, hdr, handPKEnvelopeOf(ins), &out)
			}
		}}
	}
	runPairs(b, static, srv.BaseURL(), srv.Recorder, pair("small", 1, 1), pair("large", 50, 20))
}

// --- uchet -------------------------------------------------------------

type handUchetStatus struct {
	IINBIN     string  `json:"iin_bin"`
	TasksCount int     `json:"tasks_count"`
	Processed  int     `json:"processed"`
	Success    int     `json:"success"`
	Failed     int     `json:"failed"`
	Processing int     `json:"processing"`
	StartTime  string  `json:"start_time"`
	FinishTime *string `json:"finish_time"`
	Tasks      map[string]struct {
		Status     string  `json:"status"`
		StartTime  string  `json:"start_time"`
		FinishTime *string `json:"finish_time"`
	} `json:"tasks"`
}

func benchCallUchet(b *testing.B, static bool) {
	srv := uchettest.NewServer()
	b.Cleanup(srv.Close)
	ctx := context.Background()
	tasks := len(uchettest.TaskNames)
	runPairs(b, static, srv.BaseURL(), srv.Recorder, callPair{"small", func(b *testing.B, base string) (sdk, hand func() error) {
		c, err := uchet.New(uchettest.DefaultToken, uchet.WithBaseURL(base))
		if err != nil {
			b.Fatal(err)
		}
		hc := handHTTP()
		u := base + "update_status/?" + url.Values{"token": {uchettest.DefaultToken}, "iin_bin": {uchettest.SeedBIN}}.Encode()
		return func() error {
				st, err := c.UpdateStatus(ctx, uchettest.SeedBIN)
				if err == nil && len(st.Tasks) != tasks {
					err = fmt.Errorf("got %d tasks", len(st.Tasks))
				}
				return err
			}, func() error {
				var st handUchetStatus
				_, err := handGet(ctx, hc, u, nil, &st)
				if err == nil && len(st.Tasks) != tasks {
					err = fmt.Errorf("got %d tasks", len(st.Tasks))
				}
				return err
			}
	}})
}

// --- trueapi -----------------------------------------------------------

type handCisInfo struct {
	CisInfo *struct {
		RequestedCis   string   `json:"requestedCis"`
		Cis            string   `json:"cis"`
		GTIN           string   `json:"gtin"`
		ProductGroupID int64    `json:"productGroupId"`
		ProductGroup   string   `json:"productGroup"`
		ProductName    string   `json:"productName"`
		Brand          string   `json:"brand"`
		ProducedDate   string   `json:"producedDate"`
		PackageType    string   `json:"packageType"`
		OwnerBin       string   `json:"ownerBin"`
		OwnerName      string   `json:"ownerName"`
		Status         string   `json:"status"`
		Child          []string `json:"child"`
		Parent         string   `json:"parent"`
		ProducerBin    string   `json:"producerBin"`
		ProducerName   string   `json:"producerName"`
		ExporterName   string   `json:"exporterName"`
	} `json:"cisInfo"`
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
}

// newTrueAPIClient returns a client of the fake (or static server) at base,
// signed in (outside any timer), and its bearer token.
func newTrueAPIClient(b *testing.B, base string) (*trueapi.Client, string) {
	b.Helper()
	signer, err := trueapiSigner()
	if err != nil {
		b.Fatal(err)
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(base))
	if err != nil {
		b.Fatal(err)
	}
	tok, err := c.Token(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return c, tok
}

// ownCises returns the first n codes the owner may see.
func ownCises(b *testing.B, srv *trueapitest.Server, n int) []string {
	b.Helper()
	own := srv.OwnCodes()
	if len(own) < n {
		b.Fatalf("the fake has %d codes, want %d", len(own), n)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = own[i].Cis
	}
	return out
}

func benchCallTrueAPI(b *testing.B, static bool) {
	srv := trueapitest.NewServer()
	b.Cleanup(srv.Close)
	ctx := context.Background()
	pair := func(size string, n int) callPair {
		codes := ownCises(b, srv, n)
		return callPair{size, func(b *testing.B, base string) (sdk, hand func() error) {
			c, tok := newTrueAPIClient(b, base)
			hc, u := handHTTP(), base+"cises/info"
			hdr := http.Header{"Authorization": {"Bearer " + tok}, "Accept": {"application/json"}}
			return func() error {
					res, err := c.CisesInfo(ctx, codes)
					if err == nil && len(res) != len(codes) {
						err = fmt.Errorf("got %d results", len(res))
					}
					return err
				}, func() error {
					var res []handCisInfo
					err := handPostJSON(ctx, hc, u, hdr, codes, &res)
					if err == nil && len(res) != len(codes) {
						err = fmt.Errorf("got %d results", len(res))
					}
					return err
				}
		}}
	}
	runPairs(b, static, srv.BaseURL(), srv.Recorder, pair("small", 1), pair("large", trueapi.MaxCodesPerRequest))
}
