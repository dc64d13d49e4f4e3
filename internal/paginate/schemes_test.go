package paginate

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNumberedPage(t *testing.T) {
	tests := []struct {
		name             string
		items            []string
		page, totalPages int
		wantNext         int
		wantLast         bool
	}{
		{"first of three", []string{"a"}, 1, 3, 2, false},
		{"last of three", []string{"a"}, 3, 3, 4, true},
		{"past the end", []string{"a"}, 4, 3, 5, true},
		{"unknown total", []string{"a"}, 7, 0, 8, false},
		{"negative total is unknown", []string{"a"}, 7, -1, 8, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NumberedPage(tt.items, tt.page, tt.totalPages, "meta")
			assert.Equal(t, Page[string, int, string]{Items: tt.items, Next: tt.wantNext, Last: tt.wantLast, Meta: "meta"}, p)
		})
	}
}

func TestLinkedPage(t *testing.T) {
	next := "tok-2"
	p := LinkedPage([]int{1}, &next, 7)
	assert.Equal(t, Page[int, string, int]{Items: []int{1}, Next: "tok-2", Meta: 7}, p)

	p = LinkedPage[int, string]([]int{2}, nil, 8)
	assert.Equal(t, Page[int, string, int]{Items: []int{2}, Last: true, Meta: 8}, p)
}

func TestOffsetPage(t *testing.T) {
	tests := []struct {
		name                    string
		n, offset, limit, total int
		wantNext                int
		wantLast                bool
	}{
		{"full page, total unknown", 10, 0, 10, 0, 10, false},
		{"short page", 4, 20, 10, -1, 24, true},
		{"full page reaching total", 10, 10, 10, 20, 20, true},
		{"full page below total", 10, 0, 10, 25, 10, false},
		{"no limit, no total", 3, 3, 0, 0, 6, false},
		{"empty page", 0, 30, 10, 0, 30, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := make([]int, tt.n)
			p := OffsetPage(items, tt.offset, tt.limit, tt.total, struct{}{})
			assert.Equal(t, tt.wantNext, p.Next)
			assert.Equal(t, tt.wantLast, p.Last)
			assert.Len(t, p.Items, tt.n)
		})
	}
}

type event struct {
	ID int
	At int64
}

type eventKey struct {
	At int64
	ID int
}

func TestKeysetPage(t *testing.T) {
	key := func(e event) eventKey { return eventKey{At: e.At, ID: e.ID} }
	cur := Keyset[eventKey]{Dir: Desc}
	require.False(t, cur.HasKey())

	p := KeysetPage([]event{{ID: 9, At: 90}, {ID: 7, At: 70}}, cur, true, key, "m")
	assert.Equal(t, Keyset[eventKey]{Key: eventKey{At: 70, ID: 7}, Dir: Desc}, p.Next)
	assert.False(t, p.Last)
	assert.True(t, p.Next.HasKey())
	assert.Equal(t, "m", p.Meta)

	p = KeysetPage([]event{{ID: 5, At: 50}}, p.Next, false, key, "m")
	assert.Equal(t, Keyset[eventKey]{Key: eventKey{At: 50, ID: 5}, Dir: Desc}, p.Next)
	assert.True(t, p.Last)

	p = KeysetPage(nil, p.Next, true, key, "m")
	assert.Equal(t, Keyset[eventKey]{Key: eventKey{At: 50, ID: 5}, Dir: Desc}, p.Next, "empty page keeps the cursor")
}

// The keyset cursor drives the engine: the repeated-cursor guard catches a
// server that keeps returning the same last item.
func TestKeysetLoopGuard(t *testing.T) {
	var calls []Keyset[int]
	fetch := func(_ context.Context, c Keyset[int]) (Page[int, Keyset[int], struct{}], error) {
		calls = append(calls, c)
		if len(calls) > 10 {
			return Page[int, Keyset[int], struct{}]{}, errRunaway
		}
		return KeysetPage([]int{5}, c, true, func(i int) int { return i }, struct{}{}), nil
	}
	vals, err := Collect(Items(t.Context(), Keyset[int]{Dir: Asc}, fetch))
	require.NoError(t, err)
	assert.Equal(t, []int{5, 5}, vals)
	assert.Equal(t, []Keyset[int]{{Key: 0}, {Key: 5}}, calls)
}

func TestDirectionString(t *testing.T) {
	assert.Equal(t, "asc", Asc.String())
	assert.Equal(t, "desc", Desc.String())
	assert.Equal(t, Asc, Direction(0))
}
