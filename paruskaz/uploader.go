package paruskaz

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/steppe-sdk/steppe/internal/lenient"
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
// server accepted (answered with the documented {"message":"OK"}).
type Progress struct {
	Read      int   // events taken in (validated and batched)
	Delivered int   // events the server accepted
	Requests  int   // requests the server accepted
	Bytes     int64 // body bytes of those requests
}

// Result says exactly what an upload delivered. Events are counted in the
// order they were given: the first Delivered events were accepted by the
// server. Pending holds the events after those that were taken in but not
// confirmed (the batch in flight when the upload stopped, grouped by
// institution, then any events added after the failure); events after
// Read were not taken from the source. To finish an upload that stopped,
// send Pending and then the rest of the source; the server ignores events
// it already has, so a batch that did arrive unconfirmed does no harm.
//
// Pending events of the batch are decoded from the bytes that were to be
// sent, so their Time is the instant to the second, with the offset it was
// sent with.
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
// connection errors, 429 and 5xx. A batch is delivered only when the
// server answers {"message":"OK"}; any other 2xx answer fails the send
// with an [*Error] matching [ErrDecode] and the batch stays pending. Each
// event is encoded once, straight into its institution's part of the
// batch, and is not kept: memory use is one batch of encoded bytes,
// whatever the size of the upload.
//
// An Uploader is not safe for concurrent use; use one per goroutine (all
// of them share the client's rate limit).
type Uploader struct {
	c        *Client
	progress func(Progress)
	send     func(ctx context.Context, parts [][]byte) error // c.send; replaced in benchmarks

	prog   Progress
	groups map[orgKey]*group
	order  []*group // the batch's institutions, in order of first event
	spare  []*group
	count  int     // events in the batch
	size   int     // encoded size of the batch
	held   []Event // taken in after a send failed, waiting for a batch
	parts  [][]byte
	// tainted is set when a send fails: its connection may still be
	// reading the batch's buffers, so they are never written again.
	tainted bool
}

type orgKey struct{ bin, name string }

// group is one institution of the batch, encoded.
type group struct {
	key     orgKey
	head    []byte // {"bin":…,"org_name":…,"person":[
	persons []byte // the encoded persons, comma-separated
	orgSize int    // encoded size without persons
}

// The fixed parts of a body, shared read-only by every request.
var (
	partHead   = []byte(envelopeHead)
	partTail   = []byte(envelopeTail)
	partOrgEnd = []byte(orgTail)
	partComma  = []byte(",")
)

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
// again. Events added while sends keep failing wait in memory. An invalid
// event is refused with a [*ValidationError] naming the field
// ("events[41].iin", counting events from 0 in the order they were added)
// and is not taken in.
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
	u.keep(&e, key, g, os)
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

// keep encodes a validated event that fits into the batch; g and os are
// as for growth. The batch's size grows by the bytes actually written, so
// it always equals the length of the body.
func (u *Uploader) keep(e *Event, key orgKey, g *group, os int) {
	if u.size == 0 {
		u.size = len(envelopeHead) + len(envelopeTail)
	}
	if g == nil {
		g = u.newGroup(key)
		g.head = appendOrgHead(g.head, key.bin, key.name)
		g.orgSize = os
		u.groups[key] = g
		if len(u.order) > 0 {
			u.size++
		}
		u.order = append(u.order, g)
		u.size += len(g.head) + len(orgTail)
	} else {
		g.persons = append(g.persons, ',')
		u.size++
	}
	n := len(g.persons)
	g.persons = appendPerson(g.persons, e)
	u.count++
	u.size += len(g.persons) - n
}

// keepEvent is keep for an event whose sizes are not known yet.
func (u *Uploader) keepEvent(e *Event) {
	key := orgKey{e.BIN, e.OrgName}
	u.keep(e, key, u.groups[key], orgSize(e.BIN, e.OrgName))
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
		g.key, g.head, g.persons, g.orgSize = key, g.head[:0], g.persons[:0], 0
		return g
	}
	return &group{key: key}
}

// Flush sends everything taken in and not yet delivered. After an error
// the events stay pending, so calling Flush again retries them.
func (u *Uploader) Flush(ctx context.Context) error {
	for u.count > 0 || len(u.held) > 0 {
		for len(u.held) > 0 && u.fits(&u.held[0]) {
			u.keepEvent(&u.held[0])
			u.held = u.held[1:]
		}
		if len(u.held) == 0 {
			u.held = nil
		}
		parts := u.body()
		if err := u.send(ctx, parts); err != nil {
			u.tainted = true
			return err
		}
		u.prog.Delivered += u.count
		u.prog.Requests++
		u.prog.Bytes += int64(u.size)
		u.reset()
		if u.progress != nil {
			u.progress(u.prog)
		}
	}
	return nil
}

// body lists the parts of the batch's request body, in order. Their
// length is u.size: keep counts the bytes it writes.
func (u *Uploader) body() [][]byte {
	parts := u.parts[:0]
	parts = append(parts, partHead)
	for i, g := range u.order {
		if i > 0 {
			parts = append(parts, partComma)
		}
		parts = append(parts, g.head, g.persons, partOrgEnd)
	}
	parts = append(parts, partTail)
	u.parts = parts
	return parts
}

// reset empties the batch. Its buffers are reused unless a send of them
// failed.
func (u *Uploader) reset() {
	if u.tainted {
		u.tainted = false
		u.parts = nil
	} else {
		u.spare = append(u.spare, u.order...)
	}
	clear(u.order)
	u.order = u.order[:0]
	clear(u.groups)
	u.count, u.size = 0, 0
}

// Result returns what has been delivered so far and the events taken in
// but not yet confirmed.
func (u *Uploader) Result() Result {
	pending := make([]Event, 0, u.count+len(u.held))
	for _, g := range u.order {
		pending = append(pending, decodePersons(g)...)
	}
	pending = append(pending, u.held...)
	return Result{Progress: u.prog, Pending: pending}
}

// decodePersons turns a group's encoded persons back into events.
func decodePersons(g *group) []Event {
	var persons []struct {
		DateTime string `json:"datetime"`
		IIN      string `json:"iin"`
		FIO      string `json:"fio"`
		Note     string `json:"note"`
	}
	raw := make([]byte, 0, len(g.persons)+2)
	raw = append(append(append(raw, '['), g.persons...), ']')
	if err := lenient.Unmarshal(raw, &persons); err != nil {
		panic("paruskaz: cannot decode a batch it encoded: " + err.Error())
	}
	out := make([]Event, len(persons))
	for i, p := range persons {
		t, _ := time.Parse(DateTimeLayout, p.DateTime)
		out[i] = Event{BIN: g.key.bin, OrgName: g.key.name, Time: t, IIN: p.IIN, FIO: p.FIO, Note: p.Note}
	}
	return out
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
