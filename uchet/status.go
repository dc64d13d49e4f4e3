package uchet

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/query"
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

// parseTime reads "HH:MM:SS DD.MM.YYYY" in loc, spaces around it allowed;
// null or blank is zero.
func parseTime(field string, s *string, loc *time.Location) (time.Time, error) {
	if s == nil {
		return time.Time{}, nil
	}
	t, ok := readTime(*s, loc)
	if !ok {
		return time.Time{}, timeError(field, *s)
	}
	return t, nil
}

func timeError(field, s string) error {
	return fmt.Errorf("%s: %q is not HH:MM:SS DD.MM.YYYY", field, s)
}

// readTime reads s as parseTime does, reporting whether it could.
func readTime[S ~string | ~[]byte](s S, loc *time.Location) (time.Time, bool) {
	if t, ok := canonicalTime(s, loc); ok {
		return t, true
	}
	text := strings.TrimSpace(string(s))
	if text == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation(TimeLayout, text, loc)
	return t, err == nil
}

// canonicalTime reads s when it is exactly in [TimeLayout] with two-digit
// fields and no space around it, as the API sends its times, without
// allocating: it gives what time.ParseInLocation gives for such a string,
// and false (leaving it to time.ParseInLocation) for any other.
func canonicalTime[S ~string | ~[]byte](s S, loc *time.Location) (time.Time, bool) {
	if len(s) != len(TimeLayout) || s[2] != ':' || s[5] != ':' || s[8] != ' ' || s[11] != '.' || s[14] != '.' {
		return time.Time{}, false
	}
	num := func(at, n int) int {
		v := 0
		for i := at; i < at+n; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	hour, minute, sec := num(0, 2), num(3, 2), num(6, 2)
	day, month, year := num(9, 2), num(12, 2), num(15, 4)
	if hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 ||
		month < 1 || month > 12 || year < 0 || day < 1 || day > lenient.DaysIn(year, month) {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc), true
}

// UpdateStatus returns the progress of the background update of the
// company with the given IIN or BIN (GET update_status/?iin_bin=…). The
// number is checked (12 digits, check digit) before any request.
func (c *Client) UpdateStatus(ctx context.Context, iinBIN string) (*UpdateStatus, error) {
	if err := checkIINBIN("iin_bin", iinBIN); err != nil {
		return nil, err
	}
	q, err := query.Values(statusQuery{IINBIN: iinBIN})
	if err != nil {
		return nil, err
	}
	var st *UpdateStatus
	err = c.get(ctx, "update_status/", q, false, func(body []byte) error {
		var err error
		st, err = c.decodeStatus(body)
		return err
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// statusQuery is the query of update_status/, encoded by internal/query;
// the client's transport adds the token.
type statusQuery struct {
	IINBIN string `url:"iin_bin"`
}

// statusMembers are the members of the update_status answer that the
// documentation («Ответ» and its example) always shows. Their values may
// be null (finish_time while the update runs; null counters read as 0).
var statusMembers = []string{"iin_bin", "tasks_count", "processed", "success", "failed", "processing",
	"start_time", "finish_time", "tasks"}

// Indexes of statusMembers.
const (
	mIINBIN = iota
	mTasksCount
	mProcessed
	mSuccess
	mFailed
	mProcessing
	mStart
	mFinish
	mTasks
)

// taskMembers are the members of one task that are read.
var taskMembers = []string{"status", "start_time", "finish_time"}

// knownTasks maps the documented task names to their constants, so that
// reading them allocates nothing.
var knownTasks = func() map[string]TaskName {
	m := make(map[string]TaskName)
	for _, n := range TaskNames() {
		m[string(n)] = n
	}
	return m
}()

// maxTasksHint bounds the size a tasks map is made with from tasks_count.
const maxTasksHint = 1 << 12

// decodeStatus reads an update_status answer: a JSON object holding every
// one of statusMembers, with times in [TimeLayout]. An answer of another
// shape, such as a maintenance object {"error":"…"} answered with 200, is
// an error, not an empty status. The answer is read in one pass, the
// presence of the members checked on the way.
func (c *Client) decodeStatus(body []byte) (*UpdateStatus, error) {
	st, shape, bad, err := readStatus(body, c.loc)
	if err != nil {
		return nil, err
	}
	if bad != nil {
		// The bad value is quoted: mask the token should the server echo it.
		bad = errors.New(c.t.Secrets().Redact(bad.Error()))
	}
	if err = errors.Join(shape, bad); err != nil {
		return nil, err
	}
	return st, nil
}

// readStatus reads an update_status answer in one pass, with encoding/json's
// rules for keys (exact, else without regard to case; the last of duplicate
// keys counts) and values (a member's null leaves it as it is, a task's null
// is an empty task). err reports JSON that cannot be read as the answer:
// bad syntax, or a value of the wrong type (its message names the member and
// may quote the value). Otherwise shape reports missing members and bad
// the times that are not in [TimeLayout] (quoted), and st is the status read.
func readStatus(body []byte, loc *time.Location) (st *UpdateStatus, shape, bad error, err error) {
	ar := lenient.NewReader(body)
	defer ar.Done()
	r := statusReader{dec: &ar.Dec, loc: loc}
	if err := r.read(); err != nil {
		return nil, nil, nil, err
	}
	if r.typeErr != nil {
		return nil, nil, nil, r.typeErr
	}
	var missing []string
	for i, name := range statusMembers {
		if r.sent&(1<<i) == 0 {
			missing = append(missing, name)
		}
	}
	switch {
	case r.null:
		shape = errors.New("the answer is null, not a JSON object")
	case len(missing) > 0:
		shape = fmt.Errorf("the answer lacks the documented member(s) %s", strings.Join(missing, ", "))
	}
	errs := []error{r.startErr, r.finishErr}
	for _, name := range slices.Sorted(maps.Keys(r.badTasks)) {
		errs = append(errs, r.badTasks[name])
	}
	if r.st.Tasks == nil {
		r.st.Tasks = make(map[TaskName]Task)
	}
	return &r.st, shape, errors.Join(errs...), nil
}

// statusReader is one pass over an update_status answer.
type statusReader struct {
	dec *jsontext.Decoder
	loc *time.Location
	st  UpdateStatus
	// null is set when the answer is JSON null; sent has bit i set when
	// statusMembers[i] was sent.
	null bool
	sent uint16
	// startErr, finishErr and badTasks are the times that are not in
	// TimeLayout (a later value of the same key replaces them).
	startErr, finishErr error
	badTasks            map[TaskName]error
	// typeErr is the first value of the wrong type; reading goes on, as
	// encoding/json's does, so that bad syntax further on is reported
	// instead.
	typeErr error
}

func (r *statusReader) read() error {
	dec := r.dec
	switch k := dec.PeekKind(); k {
	case '{':
	case 0:
		_, err := dec.ReadToken() // the syntax error PeekKind saw
		return err
	default:
		if err := dec.SkipValue(); err != nil {
			return err
		}
		if err := lenient.AtEOF(dec); err != nil {
			return err
		}
		if k == 'n' {
			r.null = true // no value: reported with the missing members
			return nil
		}
		return fmt.Errorf("the answer is %s, not a JSON object", lenient.KindName(k))
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		i := lenient.KeyIndex(statusMembers, lenient.Unquote(name))
		if i < 0 {
			if err := dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		r.sent |= 1 << i
		if i == mTasks {
			err = r.readTasks()
		} else {
			err = r.readMember(i)
		}
		if err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	return lenient.AtEOF(dec)
}

// readMember reads the value of statusMembers[i], other than tasks.
func (r *statusReader) readMember(i int) error {
	val, err := r.dec.ReadValue()
	if err != nil {
		return err
	}
	switch i {
	case mIINBIN:
		switch val.Kind() {
		case '"':
			r.st.IINBIN = string(lenient.Unquote(val))
		case 'n':
		default:
			r.wrongType(statusMembers[i], val, "a string")
		}
	case mStart:
		r.st.Start, r.startErr = r.readTime(val, nil, statusMembers[i])
	case mFinish:
		r.st.Finish, r.finishErr = r.readTime(val, nil, statusMembers[i])
	default:
		counters := [...]*int{mTasksCount: &r.st.TasksCount, mProcessed: &r.st.Processed, mSuccess: &r.st.Success,
			mFailed: &r.st.Failed, mProcessing: &r.st.Processing}
		switch val.Kind() {
		case '0':
			n, err := strconv.ParseInt(string(val), 10, strconv.IntSize)
			if err != nil {
				r.wrongType(statusMembers[i], val, "an integer")
				break
			}
			*counters[i] = int(n)
		case 'n':
		default:
			r.wrongType(statusMembers[i], val, "an integer")
		}
	}
	return nil
}

// readTasks reads the value of tasks: an object of tasks, or null.
func (r *statusReader) readTasks() error {
	dec := r.dec
	switch dec.PeekKind() {
	case '{':
	case 'n', 0:
		_, err := dec.ReadValue()
		r.st.Tasks, r.badTasks = nil, nil // null empties the map, as encoding/json's does
		return err
	default:
		val, err := dec.ReadValue()
		if err == nil {
			r.wrongType("tasks", val, "an object of tasks")
		}
		return err
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if r.st.Tasks == nil {
		hint := 0
		if r.sent&(1<<mTasksCount) != 0 {
			hint = min(max(r.st.TasksCount, 0), maxTasksHint)
		}
		r.st.Tasks = make(map[TaskName]Task, hint)
	}
	for dec.PeekKind() != '}' {
		key, err := dec.ReadValue()
		if err != nil {
			return err
		}
		name := taskName(lenient.Unquote(key))
		t, bad, err := r.readTask(name)
		if err != nil {
			return err
		}
		r.st.Tasks[name] = t
		switch {
		case bad != nil:
			if r.badTasks == nil {
				r.badTasks = make(map[TaskName]error)
			}
			r.badTasks[name] = bad
		case r.badTasks != nil:
			delete(r.badTasks, name)
		}
	}
	_, err := dec.ReadToken()
	return err
}

// readTask reads one task: an object, or null for an empty task. bad
// reports its times that are not in TimeLayout.
func (r *statusReader) readTask(name TaskName) (t Task, bad, err error) {
	dec := r.dec
	switch dec.PeekKind() {
	case '{':
	case 'n', 0:
		_, err := dec.ReadValue()
		return Task{}, nil, err
	default:
		val, err := dec.ReadValue()
		if err == nil {
			r.wrongType("tasks."+string(name), val, "an object")
		}
		return Task{}, nil, err
	}
	if _, err := dec.ReadToken(); err != nil {
		return Task{}, nil, err
	}
	var startErr, finishErr error
	for dec.PeekKind() != '}' {
		key, err := dec.ReadValue()
		if err != nil {
			return Task{}, nil, err
		}
		i := lenient.KeyIndex(taskMembers, lenient.Unquote(key))
		if i < 0 {
			if err := dec.SkipValue(); err != nil {
				return Task{}, nil, err
			}
			continue
		}
		val, err := dec.ReadValue()
		if err != nil {
			return Task{}, nil, err
		}
		switch i {
		case 0:
			switch val.Kind() {
			case '"':
				t.Status = taskStatus(lenient.Unquote(val))
			case 'n':
			default:
				r.wrongType("tasks."+string(name)+".status", val, "a string")
			}
		case 1:
			t.Start, startErr = r.readTime(val, &name, taskMembers[i])
		case 2:
			t.Finish, finishErr = r.readTime(val, &name, taskMembers[i])
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return Task{}, nil, err
	}
	return t, errors.Join(startErr, finishErr), nil
}

// readTime reads a time value: a string in TimeLayout (blank is zero) or
// null. The error, which names the member (key, of the task when task is
// not nil) and quotes the value, reports a string in another layout; a
// value of another type is recorded as such.
func (r *statusReader) readTime(val jsontext.Value, task *TaskName, key string) (time.Time, error) {
	field := func() string {
		if task == nil {
			return key
		}
		return "tasks." + string(*task) + "." + key
	}
	switch val.Kind() {
	case '"':
		text := lenient.Unquote(val)
		t, ok := readTime(text, r.loc)
		if !ok {
			return time.Time{}, timeError(field(), string(text))
		}
		return t, nil
	case 'n':
		return time.Time{}, nil
	default:
		r.wrongType(field(), val, "a time string")
		return time.Time{}, nil
	}
}

// wrongType records a value of the wrong type for field, the first one
// only, as encoding/json reports it.
func (r *statusReader) wrongType(field string, val jsontext.Value, want string) {
	if r.typeErr != nil {
		return
	}
	got := lenient.KindName(val.Kind())
	if val.Kind() == '0' {
		got = "the number " + string(val)
	}
	r.typeErr = fmt.Errorf("%s: cannot read %s as %s", field, got, want)
}

// taskName returns the task name text stands for, without allocating for
// the documented ones.
func taskName(text []byte) TaskName {
	if n, ok := knownTasks[string(text)]; ok {
		return n
	}
	return TaskName(text)
}

// taskStatus returns the status text stands for, without allocating for
// the known ones.
func taskStatus(text []byte) TaskStatus {
	switch string(text) {
	case string(StatusDone):
		return StatusDone
	case string(StatusProcessing):
		return StatusProcessing
	case string(StatusFailed):
		return StatusFailed
	}
	return TaskStatus(text)
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
