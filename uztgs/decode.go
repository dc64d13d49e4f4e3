package uztgs

import (
	"errors"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// Every answer is decoded in one pass: transport.DoJSON hands the body to
// lenient.Unmarshal (encoding/json/v2's decoder under encoding/json's
// rules), and the answer types below take their value from the decoder
// in place (UnmarshalJSONFrom). A page reads its items straight into the
// public types (lenient.ReadObject), and the readings of its records into
// shared blocks; nothing is read into an intermediate value to be read
// again or copied field by field.

// num is a [lenient.Int] read in place. A plain JSON integer, the form the
// server sends, is parsed from the decoder's buffer without a copy; every
// other form (a numeric string, null, "", "undef", or a value to refuse)
// goes to lenient.Int's own rules.
type num lenient.Int

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (n *num) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if len(v) > 0 && (v[0] == '-' || ('0' <= v[0] && v[0] <= '9')) {
		if x, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			*n = num{N: x, Valid: true}
			return nil
		}
	}
	return (*lenient.Int)(n).UnmarshalJSON(v)
}

// item is implemented by the pointer to the public type of a view's item:
// it reads one item from the decoder into the value, in place.
type item[T any] interface {
	*T
	decode(dec *jsontext.Decoder, st *decodeState) error
}

// decodeState is what the items of one page share while it is decoded.
type decodeState struct {
	// readings is the block the readings of the page's records are
	// appended to; each record's Readings is a full slice expression of
	// it, so appending to one never touches the next.
	readings []Reading
	// channelData decodes the channel_data of the current record.
	channelData readingsInto
}

// The blocks of readings grow from minBlock to maxBlock readings
// (48 bytes each): a page of 1000 records with 4 readings each takes 7
// allocations instead of 1000, and a record keeps at most a 48 KiB block
// alive.
const (
	minBlock = 64
	maxBlock = 1024
)

// readingsInto decodes channel_data into the page's blocks (see
// [decodeState]).
type readingsInto struct {
	st *decodeState
	rs *Readings
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (d *readingsInto) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return d.st.decodeReadings(dec, d.rs)
}

// add appends r to the current block for the record whose readings start
// at *start, moving them to a new block when this one is full.
func (st *decodeState) add(r Reading, start *int) {
	if len(st.readings) == cap(st.readings) {
		n := len(st.readings) - *start
		size := min(max(2*cap(st.readings), minBlock), maxBlock)
		next := make([]Reading, n, max(size, 2*n))
		copy(next, st.readings[*start:])
		st.readings, *start = next, 0
	}
	st.readings = append(st.readings, r)
}

// pageWire is the answer of every view: data plus the fields of §1.4,
// decoded in one pass. The items of data are decoded straight into Items.
type pageWire[T any, PT item[T]] struct {
	Items       []T
	hasData     bool // data was a list (an empty one included)
	TotalPages  num
	CurrentPage num
	NextPage    nextPage
	// hint is the number of items the request asked for: Items is made
	// that large at once.
	hint int
	st   decodeState
}

// pageKeys are the members of a page.
var pageKeys = []string{"data", "total_pages", "current_page", "next_page"}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom. It reads the page
// as encoding/json would read a struct with these four members: keys
// matched without regard to case when no key matches exactly, the last of
// a repeated key counting, other members ignored, null as nothing.
func (p *pageWire[T, PT]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	_, err := lenient.ReadObject(dec, 0, pageKeys, (*pageData[T, PT])(p), &p.TotalPages, &p.CurrentPage, &p.NextPage)
	return err
}

// pageData reads the data list of a page.
type pageData[T any, PT item[T]] pageWire[T, PT]

// UnmarshalJSONFrom reads the data list: null leaves no list, like
// encoding/json reading null into a slice.
func (d *pageData[T, PT]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	p := (*pageWire[T, PT])(d)
	p.Items = make([]T, 0, p.hint)
	ok, err := lenient.ReadArray(dec, func(int) error {
		var zero T
		p.Items = append(p.Items, zero)
		return PT(&p.Items[len(p.Items)-1]).decode(dec, &p.st)
	})
	if !ok && err == nil {
		p.Items = nil
	}
	p.hasData = ok
	return err
}

// check refuses an answer without its data list (§1.4: every view sends
// data, [] when empty).
func (p *pageWire[T, PT]) check() error {
	if !p.hasData {
		return errors.New(`the answer has no "data" list`)
	}
	return nil
}

// nextPage is next_page: a number, null on the last page, or absent (the
// stations sample of §2 has no next_page; total_pages decides then).
type nextPage struct {
	present bool
	n       num
}

// UnmarshalJSONFrom records that next_page was present, then decodes it.
func (p *nextPage) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	p.present = true
	return p.n.UnmarshalJSONFrom(dec)
}
