package uztgs

import (
	"context"
	"iter"
	"time"

	"github.com/steppe-sdk/steppe/internal/paginate"
	"github.com/steppe-sdk/steppe/internal/query"
)

// PageParams selects one page of a view (§1.4 «Пагинация»).
type PageParams struct {
	// Page is the page number, from 1 (page). 0 means the first page; an
	// iterator starts at it.
	Page int
	// PerPage is the number of items per page, at most [MaxPerPage]
	// (per_page). 0 leaves it to the server for a page call; iterators use
	// MaxPerPage.
	PerPage int
}

// ArchiveParams selects an archive of one station (§3.3 «Архивы
// показаний», channel_data).
type ArchiveParams struct {
	// Type is the archive (archive_type): Hourly, Daily, Monthly, Yearly or
	// Abnormal. Required.
	Type ArchiveType
	// StationID and EquipmentID name the station and its meter
	// (station_id, equipment_id, from [Station]). Required.
	StationID   int64
	EquipmentID int64
	// From and To are the first and last day of the range (fp_start,
	// fp_end, sent as yyyy-mm-dd). Only the calendar date, in the time's
	// own location, is sent; the documentation does not say in which time
	// zone the server reads it. Required.
	From, To time.Time
	PageParams
}

// SettingsParams selects the configuration of one station (§3.7
// «Конфигурация», channel_data with archive_type=settings).
type SettingsParams struct {
	// StationID and EquipmentID name the station and its meter. Required.
	StationID   int64
	EquipmentID int64
	PageParams
}

// wire query structs, encoded by internal/query.
type (
	pageQuery struct {
		Page    int `url:"page,omitempty"`
		PerPage int `url:"per_page,omitempty"`
	}
	channelsQuery struct {
		EquipmentTypeID int64 `url:"equipment_type_id"`
		pageQuery
	}
	archiveQuery struct {
		ArchiveType string     `url:"archive_type"`
		StationID   int64      `url:"station_id"`
		EquipmentID int64      `url:"equipment_id"`
		Start       query.Date `url:"fp_start,omitempty"`
		End         query.Date `url:"fp_end,omitempty"`
		pageQuery
	}
)

func (p PageParams) wire() (pageQuery, error) {
	if p.Page < 0 {
		return pageQuery{}, invalid("page", "must not be negative")
	}
	if p.PerPage < 0 || p.PerPage > MaxPerPage {
		return pageQuery{}, invalid("per_page", "must be between 1 and %d", MaxPerPage)
	}
	return pageQuery(p), nil
}

func (p ArchiveParams) wire() (archiveQuery, error) {
	if err := p.Type.check("archive_type"); err != nil {
		return archiveQuery{}, err
	}
	if err := checkIDs(p.StationID, p.EquipmentID); err != nil {
		return archiveQuery{}, err
	}
	if p.From.IsZero() {
		return archiveQuery{}, invalid("fp_start", "is required")
	}
	if p.To.IsZero() {
		return archiveQuery{}, invalid("fp_end", "is required")
	}
	start, end := query.DateOf(p.From), query.DateOf(p.To)
	if start.String() > end.String() {
		return archiveQuery{}, invalid("fp_end", "(%s) is before fp_start (%s)", end, start)
	}
	pq, err := p.PageParams.wire()
	return archiveQuery{ArchiveType: string(p.Type), StationID: p.StationID, EquipmentID: p.EquipmentID, Start: start, End: end, pageQuery: pq}, err
}

func (p SettingsParams) wire() (archiveQuery, error) {
	if err := checkIDs(p.StationID, p.EquipmentID); err != nil {
		return archiveQuery{}, err
	}
	pq, err := p.PageParams.wire()
	return archiveQuery{ArchiveType: settingsType, StationID: p.StationID, EquipmentID: p.EquipmentID, pageQuery: pq}, err
}

func checkIDs(station, equipment int64) error {
	if station <= 0 {
		return invalid("station_id", "is required (a station's ID)")
	}
	if equipment <= 0 {
		return invalid("equipment_id", "is required (the station's EquipmentID)")
	}
	return nil
}

// fetchPage requests one page of a view and decodes its items, perPage
// of them at most as the request says (0: as many as the server sends).
func fetchPage[T any, PT item[T]](ctx context.Context, c *Client, path string, params any, perPage int) (*Page[T], error) {
	q, err := query.Values(params)
	if err != nil {
		return nil, invalid("parameters", "%v", err)
	}
	w := &pageWire[T, PT]{hint: min(max(perPage, 0), MaxPerPage)}
	if err := c.get(ctx, path, q, w); err != nil {
		return nil, err
	}
	p := &Page[T]{Items: w.Items, TotalPages: int(w.TotalPages.N), CurrentPage: int(w.CurrentPage.N)}
	switch {
	case w.NextPage.present && w.NextPage.n.Valid:
		p.NextPage = int(w.NextPage.n.N)
	case !w.NextPage.present && p.CurrentPage > 0 && p.CurrentPage < p.TotalPages:
		p.NextPage = p.CurrentPage + 1
	}
	return p, nil
}

// items iterates over every item of a view, page by page. withPage sets
// the page number and size on a copy of the caller's parameters.
func items[T any, PT item[T]](ctx context.Context, c *Client, path string, first, perPage int, withPage func(page int) any) iter.Seq2[T, error] {
	fetch := func(ctx context.Context, page int) (paginate.Page[T, int, struct{}], error) {
		p, err := fetchPage[T, PT](ctx, c, path, withPage(page), perPage)
		if err != nil {
			return paginate.Page[T, int, struct{}]{}, err
		}
		var next *int
		if p.NextPage > 0 {
			next = &p.NextPage
		}
		return paginate.LinkedPage(p.Items, next, struct{}{}), nil
	}
	return paginate.Items(ctx, max(first, paginate.DefaultFirstPage), fetch, paginate.WithPrefetch(c.prefetch))
}

func perPage(n int) int {
	if n == 0 {
		return MaxPerPage
	}
	return n
}

// CustomersPage returns one page of the customers view (§3.1 «Потребители»,
// GET customers).
func (c *Client) CustomersPage(ctx context.Context, p PageParams) (*Page[Customer], error) {
	q, err := p.wire()
	if err != nil {
		return nil, err
	}
	return fetchPage[Customer](ctx, c, pathCustomers, q, q.PerPage)
}

// Customers iterates over all customers (§3.1), MaxPerPage at a time
// unless p.PerPage says otherwise, from page p.Page.
func (c *Client) Customers(ctx context.Context, p PageParams) iter.Seq2[Customer, error] {
	q, err := p.wire()
	if err != nil {
		return failed[Customer](err)
	}
	q.PerPage = perPage(q.PerPage)
	return items[Customer](ctx, c, pathCustomers, q.Page, q.PerPage, func(page int) any { q := q; q.Page = page; return q })
}

// StationsPage returns one page of the stations view (§3.2 «Узлы учета»,
// GET stations).
func (c *Client) StationsPage(ctx context.Context, p PageParams) (*Page[Station], error) {
	q, err := p.wire()
	if err != nil {
		return nil, err
	}
	return fetchPage[Station](ctx, c, pathStations, q, q.PerPage)
}

// Stations iterates over all stations (§3.2).
func (c *Client) Stations(ctx context.Context, p PageParams) iter.Seq2[Station, error] {
	q, err := p.wire()
	if err != nil {
		return failed[Station](err)
	}
	q.PerPage = perPage(q.PerPage)
	return items[Station](ctx, c, pathStations, q.Page, q.PerPage, func(page int) any { q := q; q.Page = page; return q })
}

// EquipmentTypesPage returns one page of the equipment types view (§3.5
// «Типы приборов учета», GET equipment_types).
func (c *Client) EquipmentTypesPage(ctx context.Context, p PageParams) (*Page[EquipmentType], error) {
	q, err := p.wire()
	if err != nil {
		return nil, err
	}
	return fetchPage[EquipmentType](ctx, c, pathEquipmentTypes, q, q.PerPage)
}

// EquipmentTypes iterates over all equipment types (§3.5).
func (c *Client) EquipmentTypes(ctx context.Context, p PageParams) iter.Seq2[EquipmentType, error] {
	q, err := p.wire()
	if err != nil {
		return failed[EquipmentType](err)
	}
	q.PerPage = perPage(q.PerPage)
	return items[EquipmentType](ctx, c, pathEquipmentTypes, q.Page, q.PerPage, func(page int) any { q := q; q.Page = page; return q })
}

func channelsWire(equipmentTypeID int64, p PageParams) (channelsQuery, error) {
	if equipmentTypeID <= 0 {
		return channelsQuery{}, invalid("equipment_type_id", "is required (a station's EquipmentTypeID)")
	}
	pq, err := p.wire()
	return channelsQuery{EquipmentTypeID: equipmentTypeID, pageQuery: pq}, err
}

// ChannelsPage returns one page of the channels of an equipment type (§3.6
// «Каналы», GET channel_archive_types?equipment_type_id=…).
func (c *Client) ChannelsPage(ctx context.Context, equipmentTypeID int64, p PageParams) (*Page[Channel], error) {
	q, err := channelsWire(equipmentTypeID, p)
	if err != nil {
		return nil, err
	}
	return fetchPage[Channel](ctx, c, pathChannels, q, q.PerPage)
}

// Channels iterates over all channels of an equipment type (§3.6).
func (c *Client) Channels(ctx context.Context, equipmentTypeID int64, p PageParams) iter.Seq2[Channel, error] {
	q, err := channelsWire(equipmentTypeID, p)
	if err != nil {
		return failed[Channel](err)
	}
	q.PerPage = perPage(q.PerPage)
	return items[Channel](ctx, c, pathChannels, q.Page, q.PerPage, func(page int) any { q := q; q.Page = page; return q })
}

// ArchivePage returns one page of a station's archive (§3.3 «Архивы
// показаний», GET channel_data). Records come in the server's order.
func (c *Client) ArchivePage(ctx context.Context, p ArchiveParams) (*Page[Record], error) {
	q, err := p.wire()
	if err != nil {
		return nil, err
	}
	return fetchPage[Record](ctx, c, pathChannelData, q, q.PerPage)
}

// Archive iterates over every record of a station's archive (§3.3),
// MaxPerPage records per request unless p.PerPage says otherwise. Memory
// use is one page (two with [WithPrefetch]), whatever the range.
func (c *Client) Archive(ctx context.Context, p ArchiveParams) iter.Seq2[Record, error] {
	q, err := p.wire()
	if err != nil {
		return failed[Record](err)
	}
	q.PerPage = perPage(q.PerPage)
	return items[Record](ctx, c, pathChannelData, q.Page, q.PerPage, func(page int) any { q := q; q.Page = page; return q })
}

// SettingsPage returns one page of a station's configuration (§3.7
// «Конфигурация», GET channel_data?archive_type=settings).
func (c *Client) SettingsPage(ctx context.Context, p SettingsParams) (*Page[Setting], error) {
	q, err := p.wire()
	if err != nil {
		return nil, err
	}
	return fetchPage[Setting](ctx, c, pathChannelData, q, q.PerPage)
}

// Settings iterates over a station's whole configuration (§3.7).
func (c *Client) Settings(ctx context.Context, p SettingsParams) iter.Seq2[Setting, error] {
	q, err := p.wire()
	if err != nil {
		return failed[Setting](err)
	}
	q.PerPage = perPage(q.PerPage)
	return items[Setting](ctx, c, pathChannelData, q.Page, q.PerPage, func(page int) any { q := q; q.Page = page; return q })
}

// failed is an iterator that yields err once.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
