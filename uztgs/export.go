package uztgs

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"time"
)

// MaxSessions is the number of sessions devise_token_auth keeps per user
// (max_number_of_devices = 10); signing in an eleventh ends the oldest.
const MaxSessions = 10

// DefaultExportSessions is the number of sessions an export uses when
// ExportParams.Sessions is 0 and the client knows the password.
const DefaultExportSessions = 4

// ExportParams describes an export of one archive over many stations.
type ExportParams struct {
	// Type, From and To select the archive and the date range, as in
	// [ArchiveParams]. Required.
	Type     ArchiveType
	From, To time.Time
	// Stations to export. Nil means every station of the account, listed
	// first with [Client.Stations].
	Stations []Station
	// Sessions is how many sessions fetch in parallel (at most
	// [MaxSessions]). The client's own session is one of them; the others
	// sign in with the password at the start and sign out at the end.
	// 0 means [DefaultExportSessions] with a password, 1 without.
	Sessions int
	// PerPage is the page size; 0 means [MaxPerPage].
	PerPage int
	// Progress, if set, is called after each page, on the goroutine that
	// ranges over the export.
	Progress func(ExportProgress)
}

// ExportProgress is a snapshot of an export.
type ExportProgress struct {
	Stations int // stations to export
	Done     int // stations exported completely
	Failed   int // stations that failed
	Records  int // records delivered so far
	Pages    int // pages received so far
}

// StationRecord is one exported record with the station it belongs to.
type StationRecord struct {
	Station Station
	Record  Record
}

// StationFailure is a station whose export stopped with an error. The
// first Records records of it (in the server's order) were delivered.
type StationFailure struct {
	Station Station
	Records int
	Err     error
}

// ExportError is yielded, once and last, by an export that did not deliver
// every station completely. Stations missing from both lists were
// exported completely.
type ExportError struct {
	// Failed are the stations that ran into an error, with how many of
	// their records were delivered before it.
	Failed []StationFailure
	// NotExported are the stations of which nothing was delivered because
	// the export ended first.
	NotExported []Station
	// Err is why the export ended early (the context's error), or nil when
	// it ran to the end.
	Err error
	// NotSignedOut holds, for each extra session the export could not
	// sign out at its end, the error of its sign-out (one matching
	// [ErrSignOutUnconfirmed] when the server answered 404 or 401). Such a
	// session may still hold one of the user's device slots until it
	// expires. Its records, if any, were delivered all the same.
	NotSignedOut []error
}

// Error summarises the failures.
func (e *ExportError) Error() string {
	var b strings.Builder
	if len(e.Failed) == 0 && len(e.NotExported) == 0 && e.Err == nil {
		fmt.Fprintf(&b, "uztgs: export complete, but %d session(s) not signed out", len(e.NotSignedOut))
	} else {
		fmt.Fprintf(&b, "uztgs: export incomplete: %d station(s) failed, %d not exported", len(e.Failed), len(e.NotExported))
		if len(e.NotSignedOut) > 0 {
			fmt.Fprintf(&b, ", %d session(s) not signed out", len(e.NotSignedOut))
		}
	}
	if e.Err != nil {
		fmt.Fprintf(&b, " (%v)", e.Err)
	}
	for i, f := range e.Failed {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Failed)-i)
			break
		}
		fmt.Fprintf(&b, "; station %d after %d records: %v", f.Station.ID, f.Records, f.Err)
	}
	if len(e.NotSignedOut) > 0 {
		fmt.Fprintf(&b, "; sign-out: %v", e.NotSignedOut[0])
	}
	return b.String()
}

// Unwrap returns Err and the stations' errors, for errors.Is and errors.As.
func (e *ExportError) Unwrap() []error {
	errs := make([]error, 0, len(e.Failed)+1)
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	for _, f := range e.Failed {
		errs = append(errs, f.Err)
	}
	return append(errs, e.NotSignedOut...)
}

// exportBatch is what a worker sends: a page of a station, or its end.
type exportBatch struct {
	station int
	records []Record
	done    bool
	err     error
}

// Export streams the archive of many stations, fetching several stations
// at once over up to [MaxSessions] sessions (one request at a time per
// session, as the token rotation requires). Records of one station arrive
// in the server's order; pages of different stations interleave.
//
// A station that fails (after the retries and the one sign-in of every
// call) does not stop the others. When anything was not delivered, the
// last value yielded is an [*ExportError] saying which stations failed,
// how far each got, and which were never started. The extra sessions
// are signed out at the end, also when the loop is left early.
func (c *Client) Export(ctx context.Context, p ExportParams) iter.Seq2[StationRecord, error] {
	sessions, err := c.checkExport(p)
	if err != nil {
		return failed[StationRecord](err)
	}
	return func(yield func(StationRecord, error) bool) {
		stations := p.Stations
		if stations == nil {
			for st, err := range c.Stations(ctx, PageParams{}) {
				if err != nil {
					yield(StationRecord{}, err)
					return
				}
				stations = append(stations, st)
			}
		}
		c.export(ctx, p, stations, sessions, yield)
	}
}

func (c *Client) checkExport(p ExportParams) (int, error) {
	probe := ArchiveParams{Type: p.Type, StationID: 1, EquipmentID: 1, From: p.From, To: p.To, PageParams: PageParams{PerPage: p.PerPage}}
	if _, err := probe.wire(); err != nil {
		return 0, err
	}
	n := p.Sessions
	switch {
	case n < 0 || n > MaxSessions:
		return 0, invalid("sessions", "must be between 1 and %d (the server keeps %d per user)", MaxSessions, MaxSessions)
	case n == 0 && c.cfg.password != "":
		n = DefaultExportSessions
	case n == 0:
		n = 1
	case n > 1 && c.cfg.password == "":
		return 0, invalid("sessions", "more than 1 needs the password (WithPassword) to sign in the extra sessions")
	}
	return n, nil
}

func (c *Client) export(ctx context.Context, p ExportParams, stations []Station, sessions int, yield func(StationRecord, error) bool) {
	workers := []*Client{c}
	for range min(sessions, len(stations)) - 1 {
		w, err := c.sibling()
		if err != nil {
			yield(StationRecord{}, err)
			return
		}
		workers = append(workers, w)
	}
	// The extra sessions are signed out at the end: before the last
	// value, whose error lists those that could not be, or, when the
	// caller left the loop, after the workers stopped (failures are then
	// only logged).
	signedOut := false
	var notSignedOut []error
	signOut := func() {
		signedOut = true
		notSignedOut = c.closeWorkers(context.WithoutCancel(ctx), workers[1:])
	}
	defer func() {
		if !signedOut {
			signOut()
		}
	}()

	// stop tells the workers that the caller left the loop. Their requests
	// in flight are not cancelled: a request cut off after the server
	// rotated the token would leave a session that cannot sign out.
	stop := make(chan struct{})
	jobs := make(chan int)
	results := make(chan exportBatch, len(workers))
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() { w.exportWorker(ctx, stop, p, stations, jobs, results) })
	}
	// idle is closed when every worker has stopped (all of them may stop
	// early, e.g. when every session is refused), so the feeder never
	// blocks on a job nobody will take.
	idle := make(chan struct{})
	go func() {
		defer close(jobs)
		for i := range stations {
			select {
			case jobs <- i:
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-idle:
				return
			}
		}
	}()
	go func() { wg.Wait(); close(idle); close(results) }()
	defer func() {
		for range results { // let the workers finish before signing out
		}
		if !signedOut {
			signOut()
		}
	}()

	delivered := make([]int, len(stations))
	finished := make([]bool, len(stations))
	prog := ExportProgress{Stations: len(stations)}
	var failures []StationFailure
	for b := range results {
		st := stations[b.station]
		for _, r := range b.records {
			if !yield(StationRecord{Station: st, Record: r}, nil) {
				close(stop)
				return
			}
			delivered[b.station]++
			prog.Records++
		}
		switch {
		case b.done && b.err != nil:
			finished[b.station] = true
			failures = append(failures, StationFailure{Station: st, Records: delivered[b.station], Err: b.err})
			prog.Failed++
		case b.done:
			finished[b.station] = true
			prog.Done++
		default:
			prog.Pages++
		}
		if p.Progress != nil {
			p.Progress(prog)
		}
	}
	var notExported []Station
	for i, st := range stations {
		switch {
		case finished[i]:
		case delivered[i] > 0:
			failures = append(failures, StationFailure{Station: st, Records: delivered[i], Err: context.Cause(ctx)})
		default:
			notExported = append(notExported, st)
		}
	}
	signOut() // every worker has stopped: results is closed
	if len(failures) > 0 || len(notExported) > 0 || len(notSignedOut) > 0 {
		yield(StationRecord{}, &ExportError{Failed: failures, NotExported: notExported, Err: ctx.Err(), NotSignedOut: notSignedOut})
	}
}

// exportWorker exports the stations it takes from jobs through its own
// session, until jobs is closed, stop is closed or ctx ends.
func (c *Client) exportWorker(ctx context.Context, stop <-chan struct{}, p ExportParams, stations []Station, jobs <-chan int, results chan<- exportBatch) {
	send := func(b exportBatch) bool {
		select {
		case results <- b:
			return true
		case <-stop:
			return false
		case <-ctx.Done():
			return false
		}
	}
	for {
		var i int
		var ok bool
		select {
		case i, ok = <-jobs:
		case <-stop:
			return
		}
		if !ok {
			return
		}
		ap := stations[i].Archive(p.Type, p.From, p.To)
		ap.PerPage = perPage(p.PerPage)
		err := c.exportStation(ctx, ap, func(records []Record) bool {
			return send(exportBatch{station: i, records: records})
		})
		if errors.Is(err, errStopped) || ctx.Err() != nil {
			return
		}
		if !send(exportBatch{station: i, done: true, err: err}) {
			return
		}
		if errors.Is(err, ErrUnauthorized) {
			// This session cannot sign in: leave the remaining stations
			// to the others (or to the ExportError's NotExported list).
			return
		}
	}
}

var errStopped = errors.New("export stopped")

// exportStation walks the pages of one station's archive.
func (c *Client) exportStation(ctx context.Context, ap ArchiveParams, emit func([]Record) bool) error {
	q, err := ap.wire()
	if err != nil {
		return err
	}
	seen := map[int]bool{}
	page := max(q.Page, 1)
	for {
		seen[page] = true
		q.Page = page
		pg, err := fetchPage[Record](ctx, c, pathChannelData, q, q.PerPage)
		if err != nil {
			return err
		}
		if len(pg.Items) > 0 && !emit(pg.Items) {
			return errStopped
		}
		if len(pg.Items) == 0 || pg.NextPage <= 0 || seen[pg.NextPage] {
			return nil
		}
		page = pg.NextPage
	}
}

// sibling returns a client with the same settings and a new session of its
// own, kept in memory.
func (c *Client) sibling() (*Client, error) {
	cfg := c.cfg
	cfg.headers = nil
	cfg.signOutOnClose = true
	return newClient(cfg, nil)
}

// closeWorkers signs out the exporter's extra sessions in parallel, adds
// their counters to c's, and returns the sign-out errors, each naming its
// session (2 and up; the caller's own session is 1 and stays open).
func (c *Client) closeWorkers(ctx context.Context, clients []*Client) []error {
	ctx, cancel := context.WithTimeout(ctx, closeTimeout)
	defer cancel()
	errs := make([]error, len(clients))
	var wg sync.WaitGroup
	for i, w := range clients {
		wg.Go(func() {
			if err := w.SignOut(ctx); err != nil {
				errs[i] = fmt.Errorf("export session %d: %w", i+2, err)
				if w.cfg.Logger != nil {
					w.cfg.Logger.WarnContext(ctx, "uztgs: export session sign-out failed", "error", errs[i].Error())
				}
			}
		})
	}
	wg.Wait()
	c.mu.Lock()
	for _, w := range clients {
		c.exportStats.Add(w.Stats())
	}
	c.mu.Unlock()
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}
