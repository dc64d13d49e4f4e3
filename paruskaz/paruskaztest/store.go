package paruskaztest

import (
	"slices"
	"time"
)

// Event is one turnstile pass as the fake stored it. Every field is exactly
// as sent; DateTime in particular keeps its original spelling.
type Event struct {
	// BIN is the institution's business identification number.
	BIN string
	// OrgName is the institution's name (org_name).
	OrgName string
	// DateTime is the time of the pass, as sent.
	DateTime string
	// IIN is the visitor's individual identification number.
	IIN string
	// FIO is the visitor's full name.
	FIO string
	// Note is the free-text note (building number and the like).
	Note string
}

// passKey identifies a pass for de-duplication: the same BIN, IIN and
// instant are the same pass, however the instant is spelt.
type passKey struct {
	bin, iin string
	sec      int64
	nsec     int32
}

// keyOf returns the de-duplication key of e, whose DateTime means at.
func keyOf(e *Event, at time.Time) passKey {
	return passKey{bin: e.BIN, iin: e.IIN, sec: at.Unix(), nsec: int32(at.Nanosecond())}
}

// decoded is a validated event with its de-duplication key, which is
// complete once the event's institution has been parsed.
type decoded struct {
	Event
	sec  int64 // the instant of DateTime
	nsec int32
}

// key returns the de-duplication key of d.
func (d *decoded) key() passKey {
	return passKey{bin: d.BIN, iin: d.IIN, sec: d.sec, nsec: d.nsec}
}

// store keeps the events of an accepted request and counts it.
func (s *Server) store(events []decoded, admitted time.Time, size int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = slices.Grow(s.events, len(events))
	for i := range events {
		k := events[i].key()
		if _, dup := s.index[k]; dup {
			s.stats.Duplicates++
			continue
		}
		s.index[k] = len(s.events)
		s.events = append(s.events, events[i].Event)
	}
	s.stats.Accepted++
	s.stats.MaxBodySeen = max(s.stats.MaxBodySeen, size)
	s.accepted = append(s.accepted, admitted)
}

// Events returns a copy of the stored events, in the order they first
// arrived, each pass once.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events)
}

// Count returns the number of stored events.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.events)
}

// Has reports whether e is stored exactly like this, all six fields equal.
// A pass resent with another spelling of the same instant, or with another
// name or note, is stored only in its first version.
func (s *Server) Has(e Event) bool {
	at, err := time.Parse(time.RFC3339, e.DateTime)
	if err != nil {
		return false
	}
	k := keyOf(&e, at)
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.index[k]
	return ok && s.events[i] == e
}

// sortTimes sorts ts in chronological order.
func sortTimes(ts []time.Time) {
	slices.SortStableFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
}
