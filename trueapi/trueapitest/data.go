package trueapitest

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/steppe-sdk/steppe/internal/ids"
)

// Participants of the generated data set. All three numbers pass the
// IIN/BIN check digit.
const (
	// DefaultOwner is the BIN of the participant that owns most codes of the
	// data set; it is the default [Config.Owner].
	DefaultOwner = "000740001307"
	// DefaultOwnerName is the name of [Config.Owner] in the data set.
	DefaultOwnerName = `ТОО "Дала Трейд"`
	// OtherOwner1 is the BIN of the first other owner: it has tobacco
	// codes of its own and 20 packs produced by [Config.Owner] (sold to it).
	OtherOwner1 = "190840012346"
	// OtherOwner1Name is the name of [OtherOwner1].
	OtherOwner1Name = `ТОО "Алтын Сауда"`
	// OtherOwner2 is the BIN of the second other owner, with milk codes.
	OtherOwner2 = "210540023456"
	// OtherOwner2Name is the name of [OtherOwner2].
	OtherOwner2Name = `АО "Каспий Дистрибуция"`
)

// Code statuses of §9 of the documentation used by the data set.
const (
	StatusEmitted    = "EMITTED"
	StatusApplied    = "APPLIED"
	StatusIntroduced = "INTRODUCED"
	StatusWrittenOff = "WRITTEN_OFF"
	StatusWithdrawn  = "WITHDRAWN"
)

// Package types of §9 of the documentation used by the data set.
const (
	PackageUnit   = "UNIT"
	PackageLevel1 = "LEVEL1"
	PackageLevel2 = "LEVEL2"
)

// Emission types of §9 of the documentation.
const (
	EmissionLocal   = "LOCAL"
	EmissionForeign = "FOREIGN"
)

// packageTypes are all the package types of §9 of the documentation.
var packageTypes = []string{"UNIT", "LEVEL1", "LEVEL2", "LEVEL3", "LEVEL4", "LEVEL5", "BUNDLE"}

// ProductGroup is a product group of §9 of the documentation.
type ProductGroup struct {
	// ID is the number used as productGroupId and tg-id.
	ID int
	// Name is the code used as pg and productGroup, e.g. "tobacco".
	Name string
	// Description is the Russian name of the group.
	Description string
}

// productGroups is the table of §9 of the documentation.
var productGroups = []ProductGroup{
	{2, "shoes", "Обувные товары"},
	{3, "tobacco", "Табачная продукция"},
	{7, "pharma", "Лекарственные средства для медицинского применения"},
	{8, "milk", "Молочная продукция"},
	{11, "alcohol", "Алкогольная продукция"},
}

// ProductGroups returns the product groups the fake knows (§9 of the documentation).
// The data set has codes of tobacco, milk and alcohol; shoes and pharma
// are known groups without codes.
func ProductGroups() []ProductGroup { return slices.Clone(productGroups) }

// groupByName returns the product group with the given pg code.
func groupByName(name string) (ProductGroup, bool) {
	for _, g := range productGroups {
		if g.Name == name {
			return g, true
		}
	}
	return ProductGroup{}, false
}

// Code is a marking code (КМ) of the fake's data set.
type Code struct {
	// Cis is the code as it was emitted: "01" + GTIN + "21" + serial, or
	// "(01)" + GTIN + "(21)" + serial for tobacco blocks. Both forms name
	// the same code in requests.
	Cis string
	// GTIN is the 14-digit product code.
	GTIN string
	// Serial is the serial number (the part after AI 21), served as sgtin
	// and matched by the sn filter.
	Serial string
	// PackageType is UNIT, LEVEL1 or LEVEL2 (§9 of the documentation).
	PackageType string
	// ProductGroup is the pg code, e.g. "tobacco"; ProductGroupID its
	// number (filled in from ProductGroup by [Server.AddCode] when zero).
	ProductGroup   string
	ProductGroupID int
	// ProductName and Brand describe the product.
	ProductName, Brand string
	// TNVED is the 10-digit ТН ВЭД code.
	TNVED string
	// Status is the code status (§9 of the documentation).
	Status string
	// EmissionType is LOCAL or FOREIGN.
	EmissionType string
	// Owner and Producer are 12-digit BIN/IIN; the names go with them.
	Owner, OwnerName       string
	Producer, ProducerName string
	// ProducerCountry is the alpha-2 country of production.
	ProducerCountry string
	// ExporterName is the foreign exporter of imported (FOREIGN) codes.
	ExporterName string
	// Emitted is the emission date; the data set truncates it to the hour,
	// so that many codes share it.
	Emitted time.Time
	// Produced is the production date, at midnight UTC.
	Produced time.Time
	// Parent is the aggregate holding the code, in its emitted form.
	Parent string
	// Children are the codes the aggregate holds, in their emitted form.
	Children []string
	// LastDocID is the id of the last document about the code, the docId
	// of its last history record.
	LastDocID string
	// Attrs are group-specific attributes served as extra fields by the
	// listV2 routes and as specificAttributes by products/info, e.g.
	// "quantityInPack": "20" for tobacco.
	Attrs map[string]string
}

// clone returns a deep copy of c.
func (c Code) clone() Code {
	c.Children = slices.Clone(c.Children)
	c.Attrs = maps.Clone(c.Attrs)
	return c
}

// visibleTo reports whether the participant may see the code: it owns or
// produced it.
func (c *Code) visibleTo(pid string) bool { return c.Owner == pid || c.Producer == pid }

// canonical returns the form of a code used as a key: the crypto tail
// (from the first GS character, 0x1D) is cut off and the GS1 brackets of
// "(01)GTIN(21)serial" are removed.
func canonical(cis string) string {
	if i := strings.IndexByte(cis, 0x1d); i >= 0 {
		cis = cis[:i]
	}
	if len(cis) > 22 && strings.HasPrefix(cis, "(01)") && cis[18:22] == "(21)" {
		return "01" + cis[4:18] + "21" + cis[22:]
	}
	return cis
}

// stripTail cuts the crypto tail off a requested code.
func stripTail(cis string) string {
	if i := strings.IndexByte(cis, 0x1d); i >= 0 {
		return cis[:i]
	}
	return cis
}

// wellFormed reports whether cis looks like a marking code: "01" + 14
// digits + "21" + a serial (brackets allowed), or an SSCC "00" + 18
// digits.
func wellFormed(cis string) bool {
	k := canonical(cis)
	switch {
	case len(k) > 18 && strings.HasPrefix(k, "01") && k[16:18] == "21":
		return allDigits(k[2:16])
	case len(k) == 20 && strings.HasPrefix(k, "00"):
		return allDigits(k)
	}
	return false
}

// allDigits reports whether s is non-empty and all ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// event is one record of a code's history.
type event struct {
	status string
	at     time.Time
	docID  string
}

// hashOf returns a 64-bit FNV-1a hash of the parts.
func hashOf(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	return h.Sum64()
}

// docID derives a document id in UUID form from a code and an event
// number, the same on every run.
func docID(cis string, i int) string {
	sum := sha256.Sum256([]byte(cis + "/" + strconv.Itoa(i)))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// history derives the events of a code from its dates and status: EMITTED
// at emission, APPLIED at production, INTRODUCED some hours later, and the
// final status (WITHDRAWN, WRITTEN_OFF, …) some days after that.
func (c *Code) history() []event {
	h := hashOf(c.Cis)
	emitted := c.Emitted
	applied := c.Produced
	if applied.Before(emitted) {
		applied = emitted
	}
	introduced := applied.Add(time.Duration(h%72+1) * time.Hour)
	final := introduced.Add(time.Duration(h/72%30+1) * 24 * time.Hour)
	var evs []event
	add := func(st string, at time.Time) { evs = append(evs, event{status: st, at: at}) }
	add(StatusEmitted, emitted)
	switch c.Status {
	case StatusEmitted:
	case StatusApplied:
		add(StatusApplied, applied)
	case StatusIntroduced:
		add(StatusApplied, applied)
		add(StatusIntroduced, introduced)
	default:
		add(StatusApplied, applied)
		add(StatusIntroduced, introduced)
		add(c.Status, final)
	}
	for i := range evs {
		evs[i].docID = docID(c.Cis, i)
	}
	if c.LastDocID != "" {
		evs[len(evs)-1].docID = c.LastDocID
	}
	return evs
}

// productID derives the product card id of a GTIN.
func productID(gtin string) int { return int(hashOf("product", gtin)%90000) + 92 }

// productSpec describes a product line of the generated data set.
type productSpec struct {
	group        string
	name, brand  string
	tnved        string
	owner, oname string
	producer     string // empty: the owner
	pname        string
	emission     string
	country      string
	exporter     string
	attrs        map[string]string
	units        int     // consumer units to generate
	aggregated   float64 // share of the units packed in LEVEL1 aggregates
	perLevel1    int     // units per LEVEL1 aggregate (0: none)
	perLevel2    int     // LEVEL1 aggregates per LEVEL2 box (0: none)
	serialLen    int
	brackets     bool // LEVEL1 codes are emitted as (01)…(21)…
}

// Attribute sets of the groups.
var (
	tobaccoAttrs = map[string]string{"quantityInPack": "20", "tobaccoType": "Сигареты с фильтром", "packMaterial": "картон"}
	milkAttrs    = map[string]string{"packMaterial": "Тетра Пак", "packUnitVolume": "1000"}
	alcoholAttrs = map[string]string{"packMaterial": "стекло", "packUnitVolume": "750", "alcoholVol": "40"}
)

// packageNames are the packageName attribute per group and package type.
var packageNames = map[string][3]string{
	"tobacco": {"пачка", "блок", "короб"},
	"milk":    {"пакет", "короб", "паллета"},
	"alcohol": {"бутылка", "короб", "паллета"},
}

// specialChars are the characters of GS1 serials that need escaping in
// URLs, CSV or JSON; the data set makes sure every one of them occurs.
const specialChars = `+%&"(),`

// serialAlphabet is the alphabet of ordinary serial characters.
const serialAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._"

// The span of emission dates: 2024-01-01 to 2026-12-31.
var (
	emissionStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	emissionHours = int(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).Sub(emissionStart) / time.Hour)
)

// generator builds the data set.
type generator struct {
	rng       *rand.Rand
	codes     map[string]*Code
	order     []string
	gtins     map[string]bool
	batchLeft int
	batchAt   time.Time
	specials  string // special characters still to place
}

// generate builds the data set of cfg: the owner's cfg.Codes consumer
// units with their aggregates, 20 packs produced by the owner and sold to
// OtherOwner1, and 150 units of each other owner.
func generate(cfg Config) (map[string]*Code, []string) {
	g := &generator{
		rng:      rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(cfg.Seed)^0x9e3779b97f4a7c15)),
		codes:    map[string]*Code{},
		gtins:    map[string]bool{},
		specials: specialChars,
	}
	n := cfg.Codes
	share := func(f float64) int { return int(float64(n) * f) }
	own := []productSpec{
		{group: "tobacco", name: "Сигареты Steppe Blue", brand: "Steppe", tnved: "2402209000", attrs: tobaccoAttrs,
			units: share(0.30), aggregated: 0.8, perLevel1: 10, perLevel2: 5, serialLen: 7, brackets: true},
		{group: "tobacco", name: "Сигареты Altai Gold", brand: "Altai", tnved: "2402209000", attrs: tobaccoAttrs,
			units: share(0.20), aggregated: 0.8, perLevel1: 10, perLevel2: 5, serialLen: 7, brackets: true},
		{group: "milk", name: "Молоко пастеризованное 3,2% 1 л", brand: "Сүт Әлемі", tnved: "0401201100", attrs: milkAttrs,
			units: share(0.20), aggregated: 0.6, perLevel1: 12, serialLen: 13},
		{group: "milk", name: "Кефир 2,5% 1 л", brand: "Сүт Әлемі", tnved: "0403109100", attrs: milkAttrs,
			units: share(0.10), serialLen: 13},
		{group: "alcohol", name: "Водка Dala 0,75 л", brand: "Dala", tnved: "2208601100", attrs: alcoholAttrs,
			units: share(0.12), aggregated: 0.5, perLevel1: 6, serialLen: 13},
		{group: "alcohol", name: "Коньяк Ararat 0,75 л", brand: "Ararat", tnved: "2208201200", attrs: alcoholAttrs,
			emission: EmissionForeign, country: "AM", exporter: `ЗАО "Арарат Экспорт"`, serialLen: 13},
	}
	sum := 0
	for _, p := range own[:len(own)-1] {
		sum += p.units
	}
	own[len(own)-1].units = max(n-sum, 0)
	for i := range own {
		own[i].owner, own[i].oname = cfg.Owner, cfg.OwnerName
	}
	others := []productSpec{
		{group: "tobacco", name: "Сигареты Tengri Red", brand: "Tengri", tnved: "2402209000", attrs: tobaccoAttrs,
			owner: OtherOwner1, oname: OtherOwner1Name, units: 150, aggregated: 0.6, perLevel1: 10, serialLen: 7, brackets: true},
		{group: "milk", name: "Сливки 10% 0,2 л", brand: "Каспий", tnved: "0401401000", attrs: milkAttrs,
			owner: OtherOwner2, oname: OtherOwner2Name, units: 150, serialLen: 13},
	}
	var packGTIN string
	for i, p := range own {
		gtin := g.product(p)
		if i == 0 {
			packGTIN = gtin
		}
	}
	// Packs the owner produced and sold to OtherOwner1: visible to both.
	sold := own[0]
	sold.owner, sold.oname = OtherOwner1, OtherOwner1Name
	sold.producer, sold.pname = cfg.Owner, cfg.OwnerName
	sold.units, sold.aggregated = 20, 0
	for range sold.units {
		g.unit(sold, packGTIN, g.looseStatus())
	}
	for _, p := range others {
		g.product(p)
	}
	return g.codes, g.order
}

// product generates the codes of one product line and returns the GTIN of
// its consumer unit.
func (g *generator) product(p productSpec) string {
	unitGTIN := g.gtin()
	var l1GTIN, l2GTIN string
	if p.perLevel1 > 0 {
		l1GTIN = g.gtin()
	}
	if p.perLevel2 > 0 {
		l2GTIN = g.gtin()
	}
	packed := 0
	if p.perLevel1 > 0 {
		packed = int(float64(p.units)*p.aggregated) / p.perLevel1 * p.perLevel1
	}
	// Aggregates first, top down, so that children share the status.
	var level1 []*Code
	for len(level1)*p.perLevel1 < packed {
		level1 = append(level1, nil)
	}
	boxes := 0
	if p.perLevel2 > 0 {
		boxes = len(level1) / p.perLevel2
	}
	status := make([]string, len(level1))
	for b := range boxes {
		st := g.packedStatus()
		box := g.code(p, l2GTIN, PackageLevel2, st, false)
		for i := b * p.perLevel2; i < (b+1)*p.perLevel2; i++ {
			status[i] = st
			level1[i] = g.code(p, l1GTIN, PackageLevel1, st, p.brackets)
			link(box, level1[i])
		}
	}
	for i := range level1 {
		if level1[i] == nil {
			status[i] = g.packedStatus()
			level1[i] = g.code(p, l1GTIN, PackageLevel1, status[i], p.brackets)
		}
		for range p.perLevel1 {
			link(level1[i], g.unit(p, unitGTIN, status[i]))
		}
	}
	for range p.units - packed {
		g.unit(p, unitGTIN, g.looseStatus())
	}
	return unitGTIN
}

// link makes child a child of parent.
func link(parent, child *Code) {
	parent.Children = append(parent.Children, child.Cis)
	child.Parent = parent.Cis
}

// unit generates one consumer unit.
func (g *generator) unit(p productSpec, gtin, status string) *Code {
	return g.code(p, gtin, PackageUnit, status, false)
}

// code generates one code and adds it to the data set.
func (g *generator) code(p productSpec, gtin, pkg, status string, brackets bool) *Code {
	grp, _ := groupByName(p.group)
	serialLen := p.serialLen
	var serial, cis string
	for {
		serial = g.serial(serialLen)
		cis = "01" + gtin + "21" + serial
		if _, dup := g.codes[cis]; !dup {
			break
		}
	}
	key := cis
	if brackets {
		cis = "(01)" + gtin + "(21)" + serial
	}
	producer, pname := p.producer, p.pname
	if producer == "" {
		producer, pname = p.owner, p.oname
	}
	emission, country := p.emission, p.country
	if emission == "" {
		emission, country = EmissionLocal, "KZ"
	}
	emitted := g.emission()
	level := map[string]int{PackageUnit: 0, PackageLevel1: 1, PackageLevel2: 2}[pkg]
	name := p.name
	if level > 0 {
		name += " (" + packageNames[p.group][level] + ")"
	}
	attrs := maps.Clone(p.attrs)
	attrs["packageName"] = packageNames[p.group][level]
	c := &Code{
		Cis: cis, GTIN: gtin, Serial: serial, PackageType: pkg,
		ProductGroup: grp.Name, ProductGroupID: grp.ID,
		ProductName: name, Brand: p.brand, TNVED: p.tnved,
		Status: status, EmissionType: emission,
		Owner: p.owner, OwnerName: p.oname, Producer: producer, ProducerName: pname,
		ProducerCountry: country,
		ExporterName:    p.exporter,
		Emitted:         emitted,
		Produced:        emitted.Add(time.Duration(1+g.rng.IntN(5)) * 24 * time.Hour).Truncate(24 * time.Hour),
		Attrs:           attrs,
	}
	evs := c.history()
	c.LastDocID = evs[len(evs)-1].docID
	g.codes[key] = c
	g.order = append(g.order, key)
	return c
}

// gtin returns a new 14-digit GTIN with a leading zero, the Kazakh GS1
// prefix 487 and a valid check digit.
func (g *generator) gtin() string {
	for {
		data := "0487" + strconv.Itoa(100000000+g.rng.IntN(900000000))
		check, _ := ids.GTINCheckDigit(data) // 13 digits: never fails
		s := data + strconv.Itoa(check)
		if !g.gtins[s] {
			g.gtins[s] = true
			return s
		}
	}
}

// serial returns a random serial of n printable GS1 characters. The first
// serials carry the special characters one by one; later about one in five
// carries one at random.
func (g *generator) serial(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = serialAlphabet[g.rng.IntN(len(serialAlphabet))]
	}
	switch {
	case g.specials != "":
		b[g.rng.IntN(n)] = g.specials[0]
		g.specials = g.specials[1:]
	case g.rng.IntN(5) == 0:
		b[g.rng.IntN(n)] = specialChars[g.rng.IntN(len(specialChars))]
	}
	return string(b)
}

// emission returns the emission time of the next code: codes come in
// batches of 20 to 80 that share one hour, so that many codes have equal
// emission dates.
func (g *generator) emission() time.Time {
	if g.batchLeft == 0 {
		g.batchLeft = 20 + g.rng.IntN(61)
		g.batchAt = emissionStart.Add(time.Duration(g.rng.IntN(emissionHours)) * time.Hour)
	}
	g.batchLeft--
	return g.batchAt
}

// packedStatus picks the status of an aggregate and its contents.
func (g *generator) packedStatus() string {
	if g.rng.IntN(10) < 7 {
		return StatusIntroduced
	}
	return StatusApplied
}

// looseStatus picks the status of a unit outside any aggregate.
func (g *generator) looseStatus() string {
	switch r := g.rng.IntN(100); {
	case r < 60:
		return StatusIntroduced
	case r < 85:
		return StatusApplied
	case r < 95:
		return StatusWithdrawn
	default:
		return StatusWrittenOff
	}
}
