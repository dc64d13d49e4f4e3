package uchet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"slices"
	"strings"
	"time"
)

// TimeLayout is the API's time format, "17:24:52 25.04.2023"
// (HH:MM:SS DD.MM.YYYY), with no zone.
const TimeLayout = "15:04:05 02.01.2006"

// TaskName names one item of a company's background update (a key of
// "tasks"). The constants are the 20 items of the documentation's
// example; other names are kept as they come.
type TaskName string

// Task names of the documentation's example, in its order.
const (
	TaskGoszakup            TaskName = "goszakup"
	TaskGoszakupUnreliable  TaskName = "goszakup_unreliable"
	TaskPayments            TaskName = "payments"
	TaskTaxDebtAgreement    TaskName = "tax_debt_agreement"
	TaskElicense            TaskName = "elicense"
	TaskDegreeOfRisk        TaskName = "degree_of_risk"
	TaskInLiquidation       TaskName = "in_liquidation"
	TaskNDSPayer            TaskName = "ndspayer"
	TaskAbsentLegalAddress  TaskName = "absent_legal_address"
	TaskBankrupt            TaskName = "bankrupt"
	TaskInactive            TaskName = "inactive"
	TaskFalseEnterprise     TaskName = "false_enterprise"
	TaskRegistrationInvalid TaskName = "registration_invalid"
	TaskTaxArrears          TaskName = "tax_arrears"
	TaskViolationTaxCode    TaskName = "violation_tax_code"
	TaskSamruk              TaskName = "samruk"
	TaskStatGov             TaskName = "stat_gov"
	TaskE034                TaskName = "e_034"
	TaskE080                TaskName = "e_080"
	TaskE083                TaskName = "e_083"
)

// TaskNames returns the task names of the documentation's example, in its
// order.
func TaskNames() []TaskName {
	return []TaskName{TaskGoszakup, TaskGoszakupUnreliable, TaskPayments, TaskTaxDebtAgreement, TaskElicense,
		TaskDegreeOfRisk, TaskInLiquidation, TaskNDSPayer, TaskAbsentLegalAddress, TaskBankrupt, TaskInactive,
		TaskFalseEnterprise, TaskRegistrationInvalid, TaskTaxArrears, TaskViolationTaxCode, TaskSamruk, TaskStatGov,
		TaskE034, TaskE080, TaskE083}
}

// TaskStatus is the status of one task. The documentation shows "done"
// and "processing"; its "failed" counter implies a failure status, read
// here as "failed". Other values are kept as they come.
type TaskStatus string

// Task statuses.
const (
	StatusProcessing TaskStatus = "processing"
	StatusDone       TaskStatus = "done"
	StatusFailed     TaskStatus = "failed" // inferred from the failed counter
)

// Finished reports whether the task has ended, successfully or not: any
// status other than processing with a finish time, or done or failed.
func (t Task) Finished() bool {
	return t.Status == StatusDone || t.Status == StatusFailed || (t.Status != StatusProcessing && !t.Finish.IsZero())
}

// Task is one item of an update.
type Task struct {
	Status TaskStatus
	// Start and Finish are start_time and finish_time in the client's
	// location; Finish is zero while the task runs (null).
	Start, Finish time.Time
}

// UpdateStatus is the progress of a company's background update
// (update_status, «Статус обновления данных»).
type UpdateStatus struct {
	IINBIN     string // iin_bin
	TasksCount int    // tasks_count: items to update
	Processed  int    // processed: items finished
	Success    int    // success: items finished successfully
	Failed     int    // failed: items finished with a failure
	Processing int    // processing: items still running
	// Start and Finish are start_time and finish_time of the whole update;
	// Finish is zero while it runs (null).
	Start, Finish time.Time
	// Tasks maps each item to its state, unknown item names included.
	Tasks map[TaskName]Task
}

// Complete reports whether the update has finished: a finish time, or
// every item processed.
func (s *UpdateStatus) Complete() bool {
	return !s.Finish.IsZero() || (s.TasksCount > 0 && s.Processed >= s.TasksCount && s.Processing == 0)
}

// Running returns the names of the items still running, sorted.
func (s *UpdateStatus) Running() []TaskName {
	return s.names(func(t Task) bool { return !t.Finished() })
}

// FailedTasks returns the names of the items that failed, sorted.
func (s *UpdateStatus) FailedTasks() []TaskName {
	return s.names(func(t Task) bool { return t.Status == StatusFailed })
}

func (s *UpdateStatus) names(keep func(Task) bool) []TaskName {
	var out []TaskName
	for name, t := range s.Tasks {
		if keep(t) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// Percent is Processed of TasksCount as a percentage (0 when unknown).
func (s *UpdateStatus) Percent() float64 {
	if s.TasksCount <= 0 {
		return 0
	}
	return 100 * float64(s.Processed) / float64(s.TasksCount)
}

// wire types
type (
	statusWire struct {
		IINBIN     string              `json:"iin_bin"`
		TasksCount int                 `json:"tasks_count"`
		Processed  int                 `json:"processed"`
		Success    int                 `json:"success"`
		Failed     int                 `json:"failed"`
		Processing int                 `json:"processing"`
		Start      *string             `json:"start_time"`
		Finish     *string             `json:"finish_time"`
		Tasks      map[string]taskWire `json:"tasks"`
	}
	taskWire struct {
		Status string  `json:"status"`
		Start  *string `json:"start_time"`
		Finish *string `json:"finish_time"`
	}
)

// parseTime reads "HH:MM:SS DD.MM.YYYY" in loc; null or "" is zero.
func parseTime(field string, s *string, loc *time.Location) (time.Time, error) {
	if s == nil || strings.TrimSpace(*s) == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(TimeLayout, strings.TrimSpace(*s), loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %q is not HH:MM:SS DD.MM.YYYY", field, *s)
	}
	return t, nil
}

func (w *statusWire) public(loc *time.Location) (*UpdateStatus, error) {
	st := &UpdateStatus{IINBIN: w.IINBIN, TasksCount: w.TasksCount, Processed: w.Processed, Success: w.Success,
		Failed: w.Failed, Processing: w.Processing, Tasks: make(map[TaskName]Task, len(w.Tasks))}
	var err, e error
	st.Start, e = parseTime("start_time", w.Start, loc)
	err = errors.Join(err, e)
	st.Finish, e = parseTime("finish_time", w.Finish, loc)
	err = errors.Join(err, e)
	for name, tw := range w.Tasks {
		t := Task{Status: TaskStatus(tw.Status)}
		t.Start, e = parseTime("tasks."+name+".start_time", tw.Start, loc)
		err = errors.Join(err, e)
		t.Finish, e = parseTime("tasks."+name+".finish_time", tw.Finish, loc)
		err = errors.Join(err, e)
		st.Tasks[TaskName(name)] = t
	}
	return st, err
}

// UpdateStatus returns the progress of the background update of the
// company with the given IIN or BIN (GET update_status/?iin_bin=…). The
// number is checked (12 digits, check digit) before any request.
func (c *Client) UpdateStatus(ctx context.Context, iinBIN string) (*UpdateStatus, error) {
	if err := checkIINBIN("iin_bin", iinBIN); err != nil {
		return nil, err
	}
	var st *UpdateStatus
	err := c.get(ctx, "update_status/", url.Values{"iin_bin": {iinBIN}}, false, func(body []byte) error {
		var err error
		st, err = c.decodeStatus(body)
		return err
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// statusMembers are the members of the update_status answer that the
// documentation («Ответ» and its example) always shows. Their values may
// be null (finish_time while the update runs; null counters read as 0).
var statusMembers = []string{"iin_bin", "tasks_count", "processed", "success", "failed", "processing",
	"start_time", "finish_time", "tasks"}

// decodeStatus reads an update_status answer: a JSON object holding every
// one of statusMembers, with times in [TimeLayout]. An answer of another
// shape, such as a maintenance object {"error":"…"} answered with 200, is
// an error, not an empty status.
func (c *Client) decodeStatus(body []byte) (*UpdateStatus, error) {
	var w statusWire
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, err
	}
	shape := missingMembers(body, statusMembers...)
	st, err := w.public(c.loc)
	if err != nil {
		// The bad value is quoted: mask the token should the server echo it.
		err = errors.New(c.t.Secrets().Redact(err.Error()))
	}
	if err = errors.Join(shape, err); err != nil {
		return nil, err
	}
	return st, nil
}

// Poll intervals of [Client.PollUpdate] and [Client.WaitUpdate].
const (
	DefaultPollInterval    = time.Second
	DefaultMaxPollInterval = 15 * time.Second
)

// Tolerance of failed polls in [Client.PollUpdate] and [Client.WaitUpdate]
// (see [WithMaxPollFailures] and [WithPollBackoff]). With the defaults the
// waits after failed polls double from the poll interval then due: an
// outage of about half a minute is ridden out early in an update (waits
// of 1, 2, 4, 8 and 16 s, on top of the retries inside each request), and
// one of about four minutes once the interval has reached 15 s (waits of
// 15 s, 30 s, then 1 min).
const (
	// DefaultMaxPollFailures is how many status requests in a row may fail
	// transiently before the poller gives up.
	DefaultMaxPollFailures = 5
	// DefaultMaxPollBackoff is the longest wait after a failed poll.
	DefaultMaxPollBackoff = time.Minute
)

// PollOption configures polling.
type PollOption func(*poll)

type poll struct {
	first, max  time.Duration
	factor      float64
	maxFailures int
	maxBackoff  time.Duration
}

// WithPollInterval sets the first wait between two status requests and
// the longest (defaults 1s and 15s); each wait is 1.5 times the one before.
func WithPollInterval(first, longest time.Duration) PollOption {
	return func(p *poll) { p.first, p.max = first, longest }
}

// WithMaxPollFailures sets how many status requests in a row may fail
// transiently before the poller gives up (default
// [DefaultMaxPollFailures], 5): with n, the n+1st consecutive failure ends
// the poll. 0 ends it at the first failure; a negative n is a
// [*ValidationError] for the field "max poll failures".
//
// A failure is transient when a later request may succeed: no answer
// (connection refused or reset, timeout: [ErrTransport]), a 5xx answer
// ([ErrServer]) or a 429 ([ErrRateLimited]), that is an [*Error] whose
// Temporary method reports true. Such a failure has already been through
// the client's own retries ([WithMaxRetries]) where they apply (a 500 is
// not retried there). Every other error ends the poll at once: the API's
// documented codes ([ErrToken], [ErrCompanyNotFound],
// [ErrIINBINValidation]) whatever their HTTP status, any other 4xx, an
// answer that cannot be read ([ErrDecode], [ErrTooLarge]), a redirect, and
// the end of the caller's context. A successful poll resets the count.
func WithMaxPollFailures(n int) PollOption {
	return func(p *poll) { p.maxFailures = n }
}

// WithPollBackoff sets the longest wait after a failed poll (default
// [DefaultMaxPollBackoff], 1 min); it must be positive, or PollUpdate
// yields a [*ValidationError] for the field "poll backoff".
//
// After the k-th failure in a row the poller waits the poll interval that
// was due next ([WithPollInterval]) times 2^(k-1), at most longest. When
// the failed answer's Retry-After (a 429 or 503, say) asks for longer,
// that delay is waited instead, also at most longest. The poll interval
// itself does not grow while polls fail. The wait ends at once when the
// context ends.
func WithPollBackoff(longest time.Duration) PollOption {
	return func(p *poll) { p.maxBackoff = longest }
}

// check validates the options.
func (p *poll) check() error {
	switch {
	case p.first <= 0 || p.max < p.first:
		return invalid("poll interval", "first must be positive and not above the longest")
	case p.maxFailures < 0:
		return invalid("max poll failures", "must not be negative")
	case p.maxBackoff <= 0:
		return invalid("poll backoff", "must be positive")
	}
	return nil
}

// backoff returns the wait after the failures-th failed poll in a row:
// interval doubled failures-1 times, capped, or a longer Retry-After of
// the failure, capped too.
func (p *poll) backoff(interval time.Duration, failures int, err error) time.Duration {
	d := min(interval, p.maxBackoff)
	for i := 1; i < failures && d < p.maxBackoff; i++ {
		d = min(2*d, p.maxBackoff)
	}
	var te *Error
	if errors.As(err, &te) && te.RetryAfter > d {
		d = min(te.RetryAfter, p.maxBackoff)
	}
	return d
}

// transient reports whether a failed status request may succeed if sent
// again later (see [WithMaxPollFailures]). The caller checks its context
// first: a request cut short by the caller's context is a transport
// failure too.
func transient(err error) bool {
	if errors.Is(err, ErrToken) || errors.Is(err, ErrCompanyNotFound) || errors.Is(err, ErrIINBINValidation) {
		return false // the API's own answer, whatever its HTTP status
	}
	var te *Error
	return errors.As(err, &te) && te.Temporary()
}

// PollUpdate polls the update of a company until it is complete and
// yields every snapshot, the last one complete. Waits grow from 1 s by half
// each time up to 15 s ([WithPollInterval]).
//
// A status request that fails transiently (no answer, 5xx, 429; see
// [WithMaxPollFailures]) is not yielded: the poller waits a back-off
// ([WithPollBackoff]) and asks again, up to 5 failures in a row by
// default. So the loop yields only snapshots and at most one error, the
// last value it yields, and a loop that returns on its first error still
// rides out a short outage. (With [WithLogger] every failed request is
// logged.)
//
// The loop ends after the complete snapshot; after yielding the error of
// a request that failed for good (such as [ErrCompanyNotFound], or a
// transient failure beyond the limit, wrapped in a message that counts
// the failures and matching the failure's sentinel, such as [ErrServer],
// with errors.Is); or when ctx ends, at once, yielding ctx's error (while
// waiting after a failed poll the error matches that failure too). Bad
// options yield a [*ValidationError] before any request. Completion with
// failed tasks is a normal last snapshot: check [UpdateStatus.FailedTasks].
func (c *Client) PollUpdate(ctx context.Context, iinBIN string, opts ...PollOption) iter.Seq2[*UpdateStatus, error] {
	p := poll{first: DefaultPollInterval, max: DefaultMaxPollInterval, factor: 1.5,
		maxFailures: DefaultMaxPollFailures, maxBackoff: DefaultMaxPollBackoff}
	for _, o := range opts {
		o(&p)
	}
	if err := p.check(); err != nil {
		return func(yield func(*UpdateStatus, error) bool) { yield(nil, err) }
	}
	return func(yield func(*UpdateStatus, error) bool) {
		wait := p.first // the next wait after a successful poll
		failures := 0   // failed polls in a row
		for {
			st, err := c.UpdateStatus(ctx, iinBIN)
			var pause time.Duration
			if err != nil {
				if ctx.Err() != nil || !transient(err) {
					yield(nil, err)
					return
				}
				if failures >= p.maxFailures {
					if failures > 0 {
						err = fmt.Errorf("uchet: polling gave up after %d failed status requests in a row: %w", failures+1, err)
					}
					yield(nil, err)
					return
				}
				failures++
				pause = p.backoff(wait, failures, err)
			} else {
				failures = 0
				if !yield(st, nil) || st.Complete() {
					return
				}
				pause = wait
				wait = min(time.Duration(float64(wait)*p.factor), p.max)
			}
			if !sleep(ctx, pause) {
				if err != nil {
					// Keep the failure being waited out reachable.
					yield(nil, fmt.Errorf("%w (waiting to poll again after: %w)", ctx.Err(), err))
				} else {
					yield(nil, ctx.Err())
				}
				return
			}
		}
	}
}

// sleep waits d; false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// ErrTasksFailed is returned by [Client.WaitUpdate] when the update
// finished but some of its items failed; the status is returned too.
var ErrTasksFailed = errors.New("uchet: the update finished with failed tasks")

// WaitUpdate polls like [Client.PollUpdate], calling progress (if not nil)
// with every snapshot, and returns the complete status. If items failed,
// it returns the status and an error wrapping [ErrTasksFailed] that names
// them.
//
// Transient failures of single polls are ridden out as PollUpdate
// describes ([WithMaxPollFailures], [WithPollBackoff]). When the poll
// ends without a complete status — a request that failed for good, more
// failures in a row than the limit, or the end of ctx — WaitUpdate returns
// the last snapshot received (nil if none) together with the error.
func (c *Client) WaitUpdate(ctx context.Context, iinBIN string, progress func(*UpdateStatus), opts ...PollOption) (*UpdateStatus, error) {
	var last *UpdateStatus
	for st, err := range c.PollUpdate(ctx, iinBIN, opts...) {
		if err != nil {
			return last, err
		}
		last = st
		if progress != nil {
			progress(st)
		}
	}
	if failed := last.FailedTasks(); len(failed) > 0 || last.Failed > 0 {
		names := make([]string, len(failed))
		for i, f := range failed {
			names[i] = string(f)
		}
		return last, fmt.Errorf("%w: %d of %d (%s)", ErrTasksFailed, last.Failed, last.TasksCount, strings.Join(names, ", "))
	}
	return last, nil
}
