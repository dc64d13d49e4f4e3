package paruskaz

import (
	"context"
	"iter"
	"slices"
	"strconv"
	"time"
)

// Event is one flat turnstile pass with its institution, the shape an
// access-control system exports. The [Uploader] groups events by
// institution (BIN and name) into the documented structure.
type Event struct {
	BIN     string    // institution's BIN (bin), 12 digits
	OrgName string    // institution's name (org_name)
	Time    time.Time // when the turnstile was passed (datetime); sent to the second
	IIN     string    // visitor's IIN (iin), 12 digits
	FIO     string    // visitor's full name (fio)
	Note    string    // free text (note); may be empty
}

// Progress is a snapshot of an upload, reported after each request the
// server accepted.
type Progress struct {
	Read      int   // events taken in (validated and batched)
	Delivered int   // events the server accepted
	Requests  int   // requests the server accepted
	Bytes     int64 // body bytes of those requests
}

// Result says exactly what an upload delivered. Events are counted in the
// order they were given: the first Delivered events were accepted by the
// server; Pending holds, in order, the events that were taken in but not
// confirmed (the batch in flight when the upload stopped). Events after
// those were not taken from the source. To finish an upload that stopped,
// send Pending and then the rest of the source; the server ignores events
// it already has, so a batch that did arrive unconfirmed does no harm.
type Result struct {
	Progress
	Pending []Event
}

// UploadOption configures an [Uploader].
type UploadOption func(*Uploader)

// WithProgress calls f after every request the server accepted, on the
// goroutine that sends.
func WithProgress(f func(Progress)) UploadOption { return func(u *Uploader) { u.progress = f } }

// Uploader batches events into requests of at most the client's body
// limit and sends them in order at the documented rate, retrying
// connection errors, 429 and 5xx. Memory use is one batch: its events and
// one reusable body buffer, whatever the size of the upload.
//
// An Uploader is not safe for concurrent use; use one per goroutine (all
// of them share the client's rate limit).
type Uploader struct {
	c        *Client
	progress func(Progress)
	send     func(ctx context.Context, body []byte) error // c.send; replaced in benchmarks

	prog   Progress
	events []Event // the batch, in input order
	groups map[orgKey]*group
	order  []*group // the batch's institutions, in order of first event
	spare  []*group
	size   int     // encoded size of the batch
	held   []Event // taken in after a send failed, waiting for a batch
	body   []byte
}

type orgKey struct{ bin, name string }

// group is one institution of the batch: its events' positions.
type group struct {
	key     orgKey
	idx     []int32
	orgSize int // encoded size without persons
}

// NewUploader returns an Uploader that sends through c.
func (c *Client) NewUploader(opts ...UploadOption) *Uploader {
	u := &Uploader{c: c, groups: make(map[orgKey]*group), send: c.send}
	for _, o := range opts {
		o(u)
	}
	return u
}

// Add validates e and adds it to the current batch. When e does not fit
// in the batch, the batch is sent first (waiting for the rate limit). If
// that send fails, Add returns its error; the batch and e stay pending
// ([Uploader.Result] lists them) and the next Add or Flush sends them
// again. Events added while sends keep failing wait in memory. An invalid event is refused with a [*ValidationError] naming the
// field ("events[41].iin", counting events from 0 in the order they were
// added) and is not taken in.
func (u *Uploader) Add(ctx context.Context, e Event) error {
	w := where{list: "events", i: u.prog.Read, person: -1}
	if err := u.c.validate.event(&e, w); err != nil {
		return err
	}
	key := orgKey{e.BIN, e.OrgName}
	g := u.groups[key]
	ps, os := personSize(&e), 0
	if g != nil {
		os = g.orgSize
	} else {
		os = orgSize(e.BIN, e.OrgName)
	}
	if alone := len(envelopeHead) + len(envelopeTail) + os + ps; alone > u.c.maxBody {
		return invalid(w.field(""), "encodes to a %d-byte request, over the %d-byte limit", alone, u.c.maxBody)
	}
	u.prog.Read++
	if len(u.held) > 0 || u.size+u.growth(g, os, ps) > u.c.maxBody {
		// The batch is full, or a failed send left events waiting.
		if err := u.Flush(ctx); err != nil {
			u.held = append(u.held, e)
			return err
		}
		g = nil // the batch is new
	}
	u.keep(e, key, g, os, ps)
	return nil
}

// growth is how much an event of person size ps, for the institution g
// (nil when new to the batch, of size os), adds to the batch.
func (u *Uploader) growth(g *group, os, ps int) int {
	grow := ps
	if u.size == 0 {
		grow += len(envelopeHead) + len(envelopeTail)
	}
	if g == nil {
		grow += os
		if len(u.order) > 0 {
			grow++ // the comma between institutions
		}
	} else {
		grow++ // the comma between persons
	}
	return grow
}

// keep puts a validated event that fits into the batch; g, os and ps are
// as for growth.
func (u *Uploader) keep(e Event, key orgKey, g *group, os, ps int) {
	if u.size == 0 {
		u.size = len(envelopeHead) + len(envelopeTail)
	}
	if g == nil {
		g = u.newGroup(key)
		g.orgSize = os
		u.groups[key] = g
		if len(u.order) > 0 {
			u.size++
		}
		u.order = append(u.order, g)
		u.size += os
	} else {
		ps++
	}
	g.idx = append(g.idx, int32(len(u.events)))
	u.size += ps
	u.events = append(u.events, e)
}

// keepEvent is keep for an event whose sizes are not known yet.
func (u *Uploader) keepEvent(e Event) {
	key := orgKey{e.BIN, e.OrgName}
	g := u.groups[key]
	os := orgSize(e.BIN, e.OrgName)
	u.keep(e, key, g, os, personSize(&e))
}

// fits reports whether e fits in the batch.
func (u *Uploader) fits(e *Event) bool {
	g := u.groups[orgKey{e.BIN, e.OrgName}]
	return u.size+u.growth(g, orgSize(e.BIN, e.OrgName), personSize(e)) <= u.c.maxBody
}

func (u *Uploader) newGroup(key orgKey) *group {
	if n := len(u.spare); n > 0 {
		g := u.spare[n-1]
		u.spare = u.spare[:n-1]
		g.key, g.idx, g.orgSize = key, g.idx[:0], 0
		return g
	}
	return &group{key: key}
}

// Flush sends everything taken in and not yet delivered. After an error
// the events stay pending, so calling Flush again retries them.
func (u *Uploader) Flush(ctx context.Context) error {
	for len(u.events) > 0 || len(u.held) > 0 {
		for len(u.held) > 0 && u.fits(&u.held[0]) {
			u.keepEvent(u.held[0])
			u.held = u.held[1:]
		}
		if len(u.held) == 0 {
			u.held = nil
		}
		body := u.encode()
		if err := u.send(ctx, body); err != nil {
			// The transport may still hold the body of a request whose
			// answer came early; never reuse that buffer.
			u.body = nil
			return err
		}
		u.prog.Delivered += len(u.events)
		u.prog.Requests++
		u.prog.Bytes += int64(len(body))
		u.reset()
		if u.progress != nil {
			u.progress(u.prog)
		}
	}
	return nil
}

// encode writes the batch into the reusable body buffer.
func (u *Uploader) encode() []byte {
	b := u.body[:0]
	if cap(b) < u.size {
		b = make([]byte, 0, u.size)
	}
	b = append(b, envelopeHead...)
	for i, g := range u.order {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendOrgHead(b, g.key.bin, g.key.name)
		for j, k := range g.idx {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendPerson(b, &u.events[k])
		}
		b = append(b, orgTail...)
	}
	b = append(b, envelopeTail...)
	if len(b) != u.size {
		panic("paruskaz: batch size accounting is wrong: " + strconv.Itoa(len(b)) + " != " + strconv.Itoa(u.size))
	}
	u.body = b
	return b
}

// reset empties the batch, keeping its memory.
func (u *Uploader) reset() {
	clear(u.events) // drop the strings
	u.events = u.events[:0]
	u.spare = append(u.spare, u.order...)
	clear(u.order)
	u.order = u.order[:0]
	clear(u.groups)
	u.size = 0
}

// Result returns what has been delivered so far and the events taken in
// but not yet confirmed.
func (u *Uploader) Result() Result {
	pending := make([]Event, 0, len(u.events)+len(u.held))
	pending = append(pending, u.events...)
	pending = append(pending, u.held...)
	return Result{Progress: u.prog, Pending: pending}
}

// Upload sends every event of events through a new [Uploader] and flushes
// it. It stops at the first error: an invalid event (not taken in), or a
// request that failed after its retries, or ctx ending. The [Result] then
// says which events were delivered and which are pending.
func (c *Client) Upload(ctx context.Context, events iter.Seq[Event], opts ...UploadOption) (Result, error) {
	u := c.NewUploader(opts...)
	for e := range events {
		if err := u.Add(ctx, e); err != nil {
			return u.Result(), err
		}
	}
	err := u.Flush(ctx)
	return u.Result(), err
}

// UploadSlice is [Client.Upload] for a slice. On error, events[r.Delivered:]
// are the ones to send again (r.Pending are the first of them).
func (c *Client) UploadSlice(ctx context.Context, events []Event, opts ...UploadOption) (Result, error) {
	return c.Upload(ctx, slices.Values(events), opts...)
}
