package trueapitest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/ids"
)

func TestIdentifiers(t *testing.T) {
	for _, bin := range []string{DefaultOwner, OtherOwner1, OtherOwner2} {
		assert.NoError(t, ids.IINBIN(bin), bin)
	}
	names := map[string]int{}
	for _, g := range ProductGroups() {
		names[g.Name] = g.ID
	}
	assert.Equal(t, map[string]int{"shoes": 2, "tobacco": 3, "pharma": 7, "milk": 8, "alcohol": 11}, names)
}

func TestDataSetDeterministic(t *testing.T) {
	a, aOrder := generate(Config{Seed: 42}.withDefaults())
	b, bOrder := generate(Config{Seed: 42}.withDefaults())
	c, _ := generate(Config{Seed: 43}.withDefaults())
	assert.Equal(t, aOrder, bOrder)
	for k, v := range a {
		assert.Equal(t, *v, *b[k])
	}
	same := 0
	for k := range a {
		if _, ok := c[k]; ok {
			same++
		}
	}
	assert.Less(t, same, len(a)/10, "another seed gives other codes")
}

func TestDataSetShape(t *testing.T) {
	s := start(t, Config{})
	own, foreign := s.OwnCodes(), s.ForeignCodes()
	units := 0
	for _, c := range own {
		if c.PackageType == PackageUnit && c.Owner == DefaultOwner {
			units++
		}
	}
	assert.Equal(t, DefaultCodes, units, "Config.Codes consumer units of the owner")
	assert.Greater(t, len(foreign), 300, "a few hundred codes of two other owners")

	all := append(slices.Clone(own), foreign...)
	byOwner := map[string]int{}
	byStatus := map[string]int{}
	emitted := map[time.Time]int{}
	specials := map[rune]bool{}
	brackets := 0
	for _, c := range all {
		byOwner[c.Owner]++
		byStatus[c.Status]++
		emitted[c.Emitted]++
		assert.NoError(t, ids.GTIN(c.GTIN), c.Cis)
		assert.Len(t, c.GTIN, 14)
		assert.True(t, strings.HasPrefix(c.GTIN, "0"), c.GTIN)
		assert.True(t, wellFormed(c.Cis), c.Cis)
		assert.Equal(t, "01"+c.GTIN+"21"+c.Serial, canonical(c.Cis))
		if strings.HasPrefix(c.Cis, "(01)") {
			brackets++
		}
		for _, r := range c.Serial {
			if strings.ContainsRune(specialChars, r) {
				specials[r] = true
			}
		}
		assert.False(t, c.Emitted.Before(emissionStart), c.Cis)
		assert.True(t, c.Emitted.Year() <= 2026, c.Cis)
		assert.Equal(t, c.Emitted, c.Emitted.Truncate(time.Hour))
		assert.False(t, c.Produced.Before(c.Emitted), c.Cis)
		assert.NotEmpty(t, c.LastDocID)
		g, ok := groupByName(c.ProductGroup)
		require.True(t, ok, c.ProductGroup)
		assert.Equal(t, g.ID, c.ProductGroupID)
		evs := c.history()
		assert.Equal(t, c.LastDocID, evs[len(evs)-1].docID)
		assert.GreaterOrEqual(t, len(evs), 2)
		assert.LessOrEqual(t, len(evs), 4)
		assert.Equal(t, c.Status, evs[len(evs)-1].status)
	}
	assert.Len(t, byOwner, 3)
	assert.Greater(t, byOwner[OtherOwner1], 100)
	assert.Greater(t, byOwner[OtherOwner2], 100)
	assert.Greater(t, byStatus[StatusIntroduced], len(all)/2)
	assert.Positive(t, byStatus[StatusApplied])
	assert.Positive(t, byStatus[StatusWithdrawn])
	assert.Len(t, specials, len(specialChars), "every special character occurs")
	assert.Greater(t, brackets, 10, "tobacco blocks are in the bracket form")
	assert.Less(t, len(emitted), len(all)/10, "many codes share an emission date")

	// Tobacco blocks hold 10 packs and boxes hold blocks.
	box := firstOwn(t, s, func(c Code) bool { return c.ProductGroup == "tobacco" && c.PackageType == PackageLevel2 })
	require.Len(t, box.Children, 5)
	block, ok := s.Lookup(box.Children[0])
	require.True(t, ok)
	assert.Equal(t, PackageLevel1, block.PackageType)
	assert.Equal(t, box.Cis, block.Parent)
	assert.True(t, strings.HasPrefix(block.Cis, "(01)"), block.Cis)
	require.Len(t, block.Children, 10)
	for _, k := range block.Children {
		pack, ok := s.Lookup(k)
		require.True(t, ok)
		assert.Equal(t, PackageUnit, pack.PackageType)
		assert.Equal(t, block.Cis, pack.Parent)
		assert.Equal(t, block.Status, pack.Status)
		assert.Equal(t, "20", pack.Attrs["quantityInPack"])
	}
	s.mu.Lock()
	assert.Equal(t, 50, s.units(s.codes[canonical(box.Cis)], nil))
	s.mu.Unlock()
}

func TestLookupForms(t *testing.T) {
	s := start(t, Config{Codes: 100})
	block := firstOwn(t, s, func(c Code) bool { return c.PackageType == PackageLevel1 && c.ProductGroup == "tobacco" })
	for _, form := range []string{block.Cis, canonical(block.Cis), block.Cis + "\x1d91EE11\x1d92abc"} {
		got, ok := s.Lookup(form)
		require.True(t, ok, form)
		assert.Equal(t, block.Cis, got.Cis)
	}
	got, _ := s.Lookup(block.Cis)
	got.Children[0] = "changed"
	again, _ := s.Lookup(block.Cis)
	assert.NotEqual(t, "changed", again.Children[0], "Lookup returns a copy")
	_, ok := s.Lookup("010487000000000021nothing")
	assert.False(t, ok)

	assert.False(t, wellFormed(""))
	assert.False(t, wellFormed("hello"))
	assert.False(t, wellFormed("01ABCDEFGHIJKLMN21x"))
	assert.True(t, wellFormed("00123456789012345678"))
	assert.Equal(t, "abc", stripTail("abc\x1d91xx"))
}

func TestAddCodeAndGTINs(t *testing.T) {
	s := start(t, Config{Codes: 50, Owner: "123456789021", OwnerName: "ИП Тест"})
	gtins := s.GTINs("123456789021")
	assert.True(t, slices.IsSorted(gtins))
	assert.NotEmpty(t, gtins)
	assert.Empty(t, s.GTINs("999999999999"))

	c := Code{Cis: "(01)04870000000017(21)NEW,code", GTIN: "04870000000017", PackageType: PackageUnit,
		ProductGroup: "shoes", Status: StatusApplied, Owner: "999999999999", Producer: "999999999999",
		Emitted: time.Date(2025, 5, 5, 5, 0, 0, 0, time.UTC)}
	s.AddCode(c)
	got, ok := s.Lookup("010487000000001721NEW,code")
	require.True(t, ok)
	assert.Equal(t, 2, got.ProductGroupID)
	assert.Equal(t, "NEW,code", got.Serial)
	assert.Equal(t, []string{"04870000000017"}, s.GTINs("999999999999"))
	n := len(s.ForeignCodes())
	c.Status = StatusIntroduced
	s.AddCode(c)
	assert.Len(t, s.ForeignCodes(), n, "replaced, not added")
	got, _ = s.Lookup(c.Cis)
	assert.Equal(t, StatusIntroduced, got.Status)
}

func TestConfigDefaults(t *testing.T) {
	c := DefaultConfig()
	assert.Equal(t, DefaultOwner, c.Owner)
	assert.Equal(t, DefaultCodes, c.Codes)
	assert.Equal(t, DefaultTokenTTL, c.TokenTTL)
	assert.Equal(t, DefaultChallengeTTL, c.ChallengeTTL)
	assert.Equal(t, DefaultOrderDelay, c.OrderDelay)
	assert.Equal(t, DefaultResultTTL, c.ResultTTL)
	assert.Equal(t, FormatJSON, c.OrderFormat)
	assert.Equal(t, DefaultMaxCodesPerRequest, c.MaxCodesPerRequest)
	assert.Equal(t, time.Duration(-1), Config{OrderDelay: -time.Hour}.withDefaults().OrderDelay)
	assert.PanicsWithValue(t, `trueapitest: unknown OrderFormat "xml" (want "json" or "csv")`, func() { Config{OrderFormat: "xml"}.withDefaults() })
}
