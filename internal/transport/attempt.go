package transport

import (
	"context"
	"io"
	"sync"
	"time"
)

// The per-attempt bound (Client.attemptTimeout) is kept by one watchdog per
// client instead of a context.WithTimeout per attempt, whose cancellable
// context and timer were about half of what a small call cost beyond a
// hand-written one (measured interleaved, see package bench). Every attempt of a client gets the same bound, so the
// attempts' deadlines come in the order the attempts start: the watchdog
// keeps its attempts in that order and one timer for the oldest, which it
// arms only when it has none armed, so a client making calls one after the
// other arms one timer per bound, not one per call.
//
// A timer started in a testing/synctest bubble runs on the bubble's clock
// and must not be touched from outside it, so a timer shared by the calls
// of a client that a program uses both inside and outside bubbles (a
// package-level client in a test suite) would end attempts on the wrong
// clock. An attempt made in a bubble (time.Now has no monotonic reading
// there, and everywhere else it has one) gets its own timer instead.

// A watchdog ends the attempts of one client that outlive their deadline.
// Its zero value is ready to use.
type watchdog struct {
	mu         sync.Mutex
	head, tail *attemptCtx // the running attempts, oldest first
	armed      bool        // a timer will call fire
	// shared makes attempts in a synctest bubble use the shared timer too,
	// for tests of the watchdog itself.
	shared bool
}

// start returns the context of an attempt made with parent, which ends d
// from now unless it ends first (see attemptCtx.end).
func (w *watchdog) start(parent context.Context, d time.Duration) *attemptCtx {
	a := &attemptCtx{Context: parent, w: w}
	if parent.Done() != nil {
		stop := context.AfterFunc(parent, func() { a.cancel(context.Cause(parent)) })
		a.mu.Lock()
		a.stopParent = stop
		a.mu.Unlock()
	}
	now := time.Now()
	a.deadline = now.Add(d)
	if now == now.Round(0) && !w.shared { // in a synctest bubble
		t := time.AfterFunc(d, a.expire)
		a.mu.Lock()
		a.timer = t
		ended := a.err != nil
		a.mu.Unlock()
		if ended {
			t.Stop()
		}
		return a
	}
	w.mu.Lock()
	// An attempt that has ended already (its call's context ended) is
	// not watched; cancel sets err before it calls remove. Deadlines
	// taken just before the lock may come a few nanoseconds out of
	// order, which delays an attempt's end by as much.
	if a.Err() == nil {
		a.prev = w.tail
		if w.tail != nil {
			w.tail.next = a
		} else {
			w.head = a
		}
		w.tail, a.linked = a, true
		if !w.armed {
			w.armed = true
			time.AfterFunc(d, w.fire)
		}
	}
	w.mu.Unlock()
	return a
}

// fire ends the attempts whose deadline has passed and arms a timer for
// the oldest that remains.
func (w *watchdog) fire() {
	var late []*attemptCtx
	w.mu.Lock()
	now := time.Now()
	for w.head != nil && !w.head.deadline.After(now) {
		a := w.head
		w.unlinkLocked(a)
		late = append(late, a)
	}
	if w.head != nil {
		time.AfterFunc(w.head.deadline.Sub(now), w.fire)
	} else {
		w.armed = false
	}
	w.mu.Unlock()
	for _, a := range late {
		a.cancel(context.DeadlineExceeded)
	}
}

func (w *watchdog) remove(a *attemptCtx) {
	w.mu.Lock()
	if a.linked {
		w.unlinkLocked(a)
	}
	w.mu.Unlock()
}

func (w *watchdog) unlinkLocked(a *attemptCtx) {
	if a.prev != nil {
		a.prev.next = a.next
	} else {
		w.head = a.next
	}
	if a.next != nil {
		a.next.prev = a.prev
	} else {
		w.tail = a.prev
	}
	a.prev, a.next, a.linked = nil, nil, false
}

// closedDone is the Done channel of an attempt that ended before anyone
// asked for it.
var closedDone = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// An attemptCtx is the context of one attempt: the call's context, ended
// also by the watchdog at the attempt's deadline and by the end of the
// attempt (its answer's body closed, or no answer). It implements the
// AfterFunc method the context package looks for, so a context derived
// from it (net/http derives one per request) registers here instead of
// starting a goroutine to watch it.
type attemptCtx struct {
	context.Context // the call's
	w               *watchdog
	deadline        time.Time

	// The watchdog's list, guarded by w.mu.
	prev, next *attemptCtx
	linked     bool

	mu         sync.Mutex
	done       chan struct{} // made by the first Done or by the end
	err        error
	afters     []*func()   // AfterFunc's, in the order given
	inline     [1]*func()  // afters' first room
	stopParent func() bool // ends the watch of the call's context
	timer      *time.Timer // the attempt's own, in a synctest bubble

	body io.ReadCloser // the answer's body, read through attemptBody
}

// Deadline is the attempt's: the watchdog makes an attempt only when the
// call's own deadline is not earlier.
func (a *attemptCtx) Deadline() (time.Time, bool) { return a.deadline, true }

func (a *attemptCtx) Done() <-chan struct{} {
	a.mu.Lock()
	if a.done == nil {
		a.done = make(chan struct{})
	}
	d := a.done
	a.mu.Unlock()
	return d
}

func (a *attemptCtx) Err() error {
	a.mu.Lock()
	err := a.err
	a.mu.Unlock()
	return err
}

// AfterFunc arranges for f to run when the attempt ends, like
// context.AfterFunc, and returns a function that cancels that, reporting
// whether it did. The context package calls it while holding a lock of its
// own that f takes, so f never runs in the caller's goroutine. net/http
// registers one function per request, which needs no allocation of its
// own here.
func (a *attemptCtx) AfterFunc(f func()) (stop func() bool) {
	a.mu.Lock()
	if a.err != nil {
		a.mu.Unlock()
		go f()
		return func() bool { return false }
	}
	if a.afters == nil {
		a.afters = a.inline[:0]
	}
	a.afters = append(a.afters, &f)
	a.mu.Unlock()
	return func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		for i, x := range a.afters {
			if x == &f {
				a.afters = append(a.afters[:i], a.afters[i+1:]...)
				return true
			}
		}
		return false
	}
}

// cancel ends the attempt with err, once.
func (a *attemptCtx) cancel(err error) {
	a.mu.Lock()
	if a.err != nil {
		a.mu.Unlock()
		return
	}
	a.err = err
	if a.done == nil {
		a.done = closedDone
	} else {
		close(a.done)
	}
	afters, stop, timer := a.afters, a.stopParent, a.timer
	a.afters, a.stopParent = nil, nil
	a.mu.Unlock()
	if timer != nil {
		timer.Stop()
	}
	for _, f := range afters {
		(*f)()
	}
	if stop != nil {
		stop()
	}
	a.w.remove(a)
}

// expire ends the attempt at its deadline (its own timer's function).
func (a *attemptCtx) expire() { a.cancel(context.DeadlineExceeded) }

// end ends the attempt when the caller is done with it.
func (a *attemptCtx) end() { a.cancel(context.Canceled) }

// attemptBody is an answer's body that ends its attempt when closed. It
// is the attempt's context under another type (the body is the context's
// field), so wrapping the body costs no allocation.
type attemptBody attemptCtx

func (b *attemptBody) Read(p []byte) (int, error) { return b.body.Read(p) }

func (b *attemptBody) Close() error {
	err := b.body.Close()
	(*attemptCtx)(b).end()
	return err
}
