// Command tour runs every steppe client that exists against its in-process
// fake and prints what each call did. It needs no network and no credentials:
//
//	go run ./examples/tour
package main

import (
	"context"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
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

// stop is one client's part of the tour.
type stop struct {
	name string
	run  func(ctx context.Context, w io.Writer) error
}

var stops = []stop{
	{"openschool (openschool.in.ua, Ukrainian school finances)", tourOpenschool},
	{"uztgs (uztgs.uz, Uzbekistan gas metering)", tourUztgs},
	{"paruskaz (sb.paruskaz.kz, turnstile visits)", tourParuskaz},
	{"uchet (pk.uchet.kz, counterparty checks)", tourUchet},
	{"trueapi (ISMET True API, goods marking: signed sign-in, codes, products)", tourTrueapi},
	{"trueapi documents (write-off signed and sent once, followed to its status)", tourTrueapiDocuments},
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	failed := 0
	for _, s := range stops {
		fmt.Printf("== %s\n", s.name)
		start := time.Now()
		if err := s.run(ctx, os.Stdout); err != nil {
			failed++
			fmt.Printf("   FAILED: %v\n", err)
			continue
		}
		fmt.Printf("   ok in %s\n", time.Since(start).Round(time.Millisecond))
	}
	if failed > 0 {
		log.Fatalf("%d of %d clients failed", failed, len(stops))
	}
}

func tourOpenschool(ctx context.Context, w io.Writer) error {
	srv := openschooltest.NewServer()
	defer srv.Close()
	c, err := openschool.New(openschool.WithBaseURL(srv.URL), openschool.WithRetryWait(10*time.Millisecond, 100*time.Millisecond))
	if err != nil {
		return err
	}

	regions, err := c.Regions(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   Regions: %d regions, first %q\n", len(regions), regions[0].Name)

	schools, err := c.Schools(ctx, &openschool.SchoolsParams{RegionID: "7", PeriodID: "45"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   Schools(region 7, period 45): %d schools, %s UAH received in all\n", len(schools.Schools), schools.Stock.StringFixed(2))

	task, err := c.Task(ctx, "794")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   Task(794): %q, %s, %d report(s), added %s Kyiv time\n", task.Name, task.Status, len(task.Reports), task.DateAdd.Format(time.DateTime))

	payments, err := c.GovernmentPayments(ctx, &openschool.PaymentsParams{DocNumber: "6469"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   GovernmentPayments(doc 6469): %s UAH, EDRPOU of payee %s\n", payments[0].Amount.String(), payments[0].Recipient.EDRPOU)

	_, err = c.Schools(ctx, &openschool.SchoolsParams{PeriodID: "45", DateStart: time.Now()})
	if !errors.Is(err, openschool.ErrValidation) {
		return fmt.Errorf("period with dates was not rejected: %v", err)
	}
	fmt.Fprintf(w, "   rejected before sending: %v\n", err)

	srv.Faults.Add(openschooltest.Fault{Status: 503})
	labels, err := c.Labels(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   Labels after an injected 503: %d labels (the fake has received %d requests in all, the 503 included)\n", len(labels), len(srv.Requests()))
	return nil
}

func tourUztgs(ctx context.Context, w io.Writer) error {
	// The strict fake: every request rotates the token and the old one dies at once.
	srv := uztgstest.NewServerWith(uztgstest.StrictConfig())
	defer srv.Close()
	c, err := uztgs.New(uztgs.WithBaseURL(srv.BaseURL()), uztgs.WithPassword(uztgstest.DefaultEmail, uztgstest.DefaultPassword),
		uztgs.WithRetryWait(10*time.Millisecond, 100*time.Millisecond))
	if err != nil {
		return err
	}
	defer c.Close()

	var stations []uztgs.Station
	for s, err := range c.Stations(ctx, uztgs.PageParams{}) {
		if err != nil {
			return err
		}
		stations = append(stations, s)
	}
	st := stations[0]
	day := time.Now().UTC().AddDate(0, 0, -1)
	rows := 0
	var last uztgs.Record
	for r, err := range c.Archive(ctx, st.Archive(uztgs.Hourly, day, day)) {
		if err != nil {
			return err
		}
		rows++
		last = r
	}
	t, _ := last.Readings.Get(uztgs.ChannelT)
	fmt.Fprintf(w, "   %d stations; station %d: %d hourly records yesterday, the oldest at %s UTC, T=%.2f\n", len(stations), st.ID, rows, last.Time.UTC().Format(time.DateTime), t)

	srv.Faults.Add(uztgstest.Fault{Path: uztgstest.APIPath + "/customers", DropResponse: true})
	if _, err := c.CustomersPage(ctx, uztgs.PageParams{}); err != nil {
		return err
	}
	stats := srv.Stats()
	fmt.Fprintf(w, "   a lost response killed the token; the client signed in again (%d sign-ins, %d rotations)\n", stats.SignIns, stats.Rotations)

	before := srv.Sessions(uztgstest.DefaultEmail) // this client's, and the one whose token was lost
	records := 0
	for _, err := range c.Export(ctx, uztgs.ExportParams{Type: uztgs.Daily, From: day.AddDate(0, 0, -6), To: day, Sessions: 4}) {
		if err != nil {
			return err
		}
		records++
	}
	fmt.Fprintf(w, "   exported %d daily records of %d stations over 4 sessions; sessions open on the server: %d before the export, %d after (its 3 extra sessions signed out)\n",
		records, len(stations), before, srv.Sessions(uztgstest.DefaultEmail))
	return nil
}

func tourParuskaz(ctx context.Context, w io.Writer) error {
	srv := paruskaztest.NewServer()
	defer srv.Close()
	c, err := paruskaz.New(paruskaztest.DefaultAPIKey, paruskaz.WithBaseURL(srv.BaseURL()), paruskaz.WithMaxBodyBytes(100_000),
		paruskaz.WithRetryWait(10*time.Millisecond, 100*time.Millisecond), paruskaz.WithChecksum(false))
	if err != nil {
		return err
	}
	// The documentation's own sample numbers (123456789012) fail the check
	// digit, hence WithChecksum(false) for this made-up log.
	at := time.Date(2024, 1, 13, 8, 0, 0, 0, time.FixedZone("", 5*3600))
	events := make([]paruskaz.Event, 2000)
	for i := range events {
		events[i] = paruskaz.Event{BIN: fmt.Sprintf("1234567890%02d", i%3), OrgName: fmt.Sprintf("Школа №%d", i%3+1),
			Time: at.Add(time.Duration(i) * time.Second), IIN: fmt.Sprintf("9001013%05d", i%400), FIO: "Посетитель", Note: ""}
	}
	srv.Faults.Add(paruskaztest.Fault{Status: 503})
	start := time.Now()
	res, err := c.UploadSlice(ctx, events)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   %d events in %d requests of at most 100 kB through an injected 503, at 2 requests/s: %s; the fake stored %d events\n",
		res.Delivered, res.Requests, time.Since(start).Round(10*time.Millisecond), srv.Count())

	events[7].IIN = "12345"
	_, err = c.UploadSlice(ctx, events[:10])
	if !errors.Is(err, paruskaz.ErrValidation) {
		return fmt.Errorf("a short IIN was not rejected: %v", err)
	}
	fmt.Fprintf(w, "   rejected before sending: %v\n", err)
	return nil
}

func tourUchet(ctx context.Context, w io.Writer) error {
	cfg := uchettest.DefaultConfig()
	cfg.Durations = map[string]time.Duration{}
	for i, name := range uchettest.TaskNames {
		cfg.Durations[name] = time.Duration(20+i*10) * time.Millisecond
	}
	srv := uchettest.NewServerWith(cfg)
	defer srv.Close()
	srv.FailTasks(uchettest.SeedBIN, "e_083")
	c, err := uchet.New(uchettest.DefaultToken, uchet.WithBaseURL(srv.BaseURL()))
	if err != nil {
		return err
	}
	snapshots := 0
	st, err := c.WaitUpdate(ctx, uchettest.SeedBIN, func(*uchet.UpdateStatus) { snapshots++ }, uchet.WithPollInterval(20*time.Millisecond, 100*time.Millisecond))
	if !errors.Is(err, uchet.ErrTasksFailed) {
		return fmt.Errorf("the failing task was not reported: %v", err)
	}
	fmt.Fprintf(w, "   update of %s: %d status snapshots, %d of %d tasks done, failed tasks: %v\n", st.IINBIN, snapshots, st.Success, st.TasksCount, st.FailedTasks())

	_, err = c.UpdateStatus(ctx, uchettest.UnknownBIN)
	if !errors.Is(err, uchet.ErrCompanyNotFound) {
		return fmt.Errorf("unknown company: %v", err)
	}
	fmt.Fprintf(w, "   unknown company: %v\n", err)
	_, err = c.UpdateStatus(ctx, "141040028437")
	if !errors.Is(err, uchet.ErrValidation) {
		return fmt.Errorf("a bad check digit was not rejected: %v", err)
	}
	fmt.Fprintf(w, "   rejected before sending: %v\n", err)
	return nil
}

func tourTrueapi(ctx context.Context, w io.Writer) error {
	cfg := trueapitest.DefaultConfig()
	cfg.OrderDelay = 100 * time.Millisecond
	srv := trueapitest.NewServerWith(cfg)
	defer srv.Close()
	signer, err := trueapitest.NewSigner(pkix.Name{CommonName: "steppe tour"}) // a throw-away RSA key
	if err != nil {
		return err
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	if err != nil {
		return err
	}
	if _, err := c.Token(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "   signed in with an attached CMS the fake verified (%d sign-in)\n", srv.Stats().SignIns)

	own, foreign := srv.OwnCodes(), srv.ForeignCodes()
	codes := make([]string, 0, len(own)+1)
	for _, code := range own {
		codes = append(codes, code.Cis)
	}
	codes = append(codes, foreign[0].Cis)
	res, err := c.CisesInfo(ctx, codes)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   CisesInfo: %d codes in %d requests of at most 1000, %d answers (another owner's code left out)\n",
		len(codes), srv.Stats().Requests["POST cises/info"], len(res))

	srv.ExpireTokens()
	if _, err := c.CisHistory(ctx, own[0].Cis); err != nil {
		return err
	}
	fmt.Fprintf(w, "   token expired (XML 401): signed in again, %d sign-ins in all, call replayed\n", srv.Stats().SignIns)

	gtin := srv.GTINs(srv.Owner())[0]
	recs, err := c.MyCises(ctx, trueapi.CisesOrder{GTIN: gtin}, trueapi.WithPollInterval(20*time.Millisecond, 100*time.Millisecond))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   MyCises(%s): ordered, polled, ZIP unpacked: %d codes\n", gtin, len(recs))

	n := 0
	for _, err := range c.CisesListV2(ctx, trueapi.ListFilter{Limit: 500}) {
		if err != nil {
			return err
		}
		n++
	}
	fmt.Fprintf(w, "   CisesListV2: %d codes over keyset pages of 500\n", n)

	_, err = c.CisesListV2Page(ctx, trueapi.ListFilter{Limit: 20_000}, trueapi.ListCursor{})
	if !errors.Is(err, trueapi.ErrValidation) {
		return fmt.Errorf("a limit over 10000 was not rejected: %v", err)
	}
	fmt.Fprintf(w, "   rejected before sending: %v\n", err)
	return nil
}

func tourTrueapiDocuments(ctx context.Context, w io.Writer) error {
	cfg := trueapitest.DefaultConfig()
	cfg.DocumentDelay = 100 * time.Millisecond
	srv := trueapitest.NewServerWith(cfg)
	defer srv.Close()
	signer, err := trueapitest.NewSigner(pkix.Name{CommonName: "steppe tour"})
	if err != nil {
		return err
	}
	c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
	if err != nil {
		return err
	}
	var codes []trueapi.CodeCount
	for _, code := range srv.OwnCodes() {
		if code.PackageType == "UNIT" && code.Owner == srv.Owner() && len(codes) < 2 {
			codes = append(codes, trueapi.CodeCount{Code: code.Cis, Count: 1})
		}
	}
	sent, err := c.SendWriteOffNotice(ctx, &trueapi.WriteOffNotice{
		Reason:      trueapi.WithdrawalDefect,
		Participant: trueapi.DocParty{IdentificationCode: srv.Owner()},
		Basis:       trueapi.BasisDoc{Name: "Акт списания", Number: "1", Date: time.Now()},
		Codes:       codes,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   write-off %s: XML signed detached, the fake verified it over the %d bytes it received (received %d time)\n",
		sent.FileID, len(sent.Signed.Content), srv.ReceivedTimes(sent.Signed.Content))
	info, err := c.WaitDocument(ctx, sent.FileID, trueapi.WithPollInterval(20*time.Millisecond, 100*time.Millisecond))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   WaitDocument: %s %s\n", info.Type, info.Status)

	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "documents/writeOff", DropResponse: true, Times: -1})
	_, err = c.SendWriteOffNotice(ctx, &trueapi.WriteOffNotice{
		Reason:      trueapi.WithdrawalDefect,
		Participant: trueapi.DocParty{IdentificationCode: srv.Owner()},
		Basis:       trueapi.BasisDoc{Name: "Акт списания", Number: "2", Date: time.Now()},
		Codes:       codes[:1],
	})
	if !errors.Is(err, trueapi.ErrOutcomeUnknown) {
		return fmt.Errorf("a dropped answer was not reported as an unknown outcome: %v", err)
	}
	fmt.Fprintf(w, "   answer dropped after sending: not sent again, the caller is told to check (the fake now holds %d documents: this one and the one above)\n", srv.Stats().Documents)
	return nil
}
