package reports

import (
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// Bounds are the instants that a report's period and windows begin and end at, in UTC, for one
// account's time zone. Every range is half-open: [start, end).
type Bounds struct {
	// PeriodStart is the first instant of the period's first day, PeriodEnd the first instant
	// after its last day.
	PeriodStart, PeriodEnd time.Time
	// AsOfEnd is the first instant after the as-of date: a visit or payment counts if it
	// happened before it.
	AsOfEnd time.Time
	// ActiveStart begins the active window (ActiveMonths before the as-of date).
	ActiveStart time.Time
	// EngagedStart begins the engaged window (EngagedMonths before the as-of date).
	EngagedStart time.Time
	// A lapsed client's last visit is in [LapsedStart, LapsedEnd): LapsedUntilMonths before
	// the as-of date to LapsedFromMonths before it.
	LapsedStart, LapsedEnd time.Time
}

// ReportBounds returns the bounds of the report p asks for, reading its days in loc. p must
// be valid with its defaults set ([vetshare.ReportParams.WithDefaults],
// [vetshare.ReportParams.Validate]) and its as-of date given.
//
// A window of N months before the as-of date D runs from the first instant of the day
// D.AddMonths(-N) to the end of D, so a visit exactly N months before D is inside it, and so is
// one on D itself (R8.2).
func ReportBounds(p vetshare.ReportParams, loc *time.Location) Bounds {
	d := p.AsOf
	return Bounds{
		PeriodStart:  p.PeriodFrom.Start(loc),
		PeriodEnd:    p.PeriodTo.AddDays(1).Start(loc),
		AsOfEnd:      d.AddDays(1).Start(loc),
		ActiveStart:  d.AddMonths(-p.ActiveMonths).Start(loc),
		EngagedStart: d.AddMonths(-p.EngagedMonths).Start(loc),
		LapsedStart:  d.AddMonths(-p.LapsedUntilMonths).Start(loc),
		LapsedEnd:    d.AddMonths(-p.LapsedFromMonths).Start(loc),
	}
}

// in reports whether t is set and in [from, before).
func in(t, from, before time.Time) bool {
	return !t.IsZero() && !t.Before(from) && t.Before(before)
}

// Includes reports whether the client entry that row describes belongs in the report of kind
// with bounds b (R8.2). It reads row.ClientSince (when the account's entry was created),
// row.LastVisit (the last visit at the account, before b.AsOfEnd) and row.LastPaid (the latest
// instant an invoice of the account for the client became paid, before the end of the report's
// payment window); a zero time means none.
//
//   - New Clients: the entry was created in the period.
//   - New Engaged Clients: a new client with an invoice paid in the period.
//   - Active Client List: the entry existed by the end of the as-of date and the last visit is
//     in the active window.
//   - Active Engaged Clients: an active client with an invoice paid in the engaged window.
//   - Inactive Client List: the entry existed by the end of the as-of date and has no visit in
//     the active window (never visited included).
//   - Lapsed Clients: the entry existed by the end of the as-of date and its last visit is in
//     [LapsedStart, LapsedEnd).
func Includes(kind vetshare.ReportKind, b Bounds, row vetshare.ReportRow) bool {
	existed := !row.ClientSince.IsZero() && row.ClientSince.Before(b.AsOfEnd)
	active := in(row.LastVisit, b.ActiveStart, b.AsOfEnd)
	switch kind {
	case vetshare.ReportNewClients:
		return in(row.ClientSince, b.PeriodStart, b.PeriodEnd)
	case vetshare.ReportNewEngagedClients:
		return in(row.ClientSince, b.PeriodStart, b.PeriodEnd) && in(row.LastPaid, b.PeriodStart, b.PeriodEnd)
	case vetshare.ReportActiveClients:
		return existed && active
	case vetshare.ReportActiveEngagedClients:
		return existed && active && in(row.LastPaid, b.EngagedStart, b.AsOfEnd)
	case vetshare.ReportInactiveClients:
		return existed && !active
	case vetshare.ReportLapsedClients:
		return existed && in(row.LastVisit, b.LapsedStart, b.LapsedEnd)
	}
	return false
}

// Query returns the store query that reads the entries a report of kind with bounds b looks
// at, with the facts [Includes] needs, in the report's order: the "new" reports by creation
// time, the others by client number.
func Query(account vetshare.AccountID, kind vetshare.ReportKind, b Bounds) driver.ReportQuery {
	q := driver.ReportQuery{Account: account}
	switch kind {
	case vetshare.ReportNewClients, vetshare.ReportNewEngagedClients:
		q.CreatedFrom, q.CreatedBefore, q.ByCreation = b.PeriodStart, b.PeriodEnd, true
		if kind == vetshare.ReportNewEngagedClients {
			q.PaidBefore = b.PeriodEnd
		}
	default:
		q.CreatedBefore, q.VisitsBefore = b.AsOfEnd, b.AsOfEnd
		if kind == vetshare.ReportActiveEngagedClients {
			q.PaidBefore = b.AsOfEnd
		}
	}
	return q
}

// Columns returns the CSV header of a report of kind: the client number, name and contact
// details, the dates that put the client in the report, and the home location when home is
// true (the account takes part in record sharing, R8.3).
func Columns(kind vetshare.ReportKind, home bool) []string {
	cols := []string{"client_number", "last_name", "first_name", "email", "phone", "address", "client_since"}
	switch kind {
	case vetshare.ReportNewEngagedClients:
		cols = append(cols, "last_paid")
	case vetshare.ReportActiveClients, vetshare.ReportInactiveClients, vetshare.ReportLapsedClients:
		cols = append(cols, "last_visit")
	case vetshare.ReportActiveEngagedClients:
		cols = append(cols, "last_visit", "last_paid")
	}
	if home {
		cols = append(cols, "home_location", "home_location_id")
	}
	return cols
}
