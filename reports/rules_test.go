package reports_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/reports"
)

// diff is cmp.Diff, for (-want +got) messages.
func diff(want, got any) string { return cmp.Diff(want, got) }

func mustLoad(t testing.TB, zone string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

const us = time.Microsecond

func TestReportBounds(t *testing.T) {
	chicago := mustLoad(t, "America/Chicago")
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02 15:04", s, chicago)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	p := vetshare.ReportParams{
		Kind:       vetshare.ReportActiveClients,
		PeriodFrom: vetshare.Date{Year: 2026, Month: 3, Day: 1}, PeriodTo: vetshare.Date{Year: 2026, Month: 3, Day: 31},
		AsOf: vetshare.Date{Year: 2026, Month: 6, Day: 15},
	}.WithDefaults()
	// R8.2: days in the account's time zone; N months before the as-of date is the start of
	// the day N calendar months earlier; the period and the as-of date include their last day.
	want := reports.Bounds{
		PeriodStart:  at("2026-03-01 00:00"),
		PeriodEnd:    at("2026-04-01 00:00"),
		AsOfEnd:      at("2026-06-16 00:00"),
		ActiveStart:  at("2024-12-15 00:00"),
		EngagedStart: at("2025-06-15 00:00"),
		LapsedStart:  at("2024-12-15 00:00"),
		LapsedEnd:    at("2025-06-15 00:00"),
	}
	if d := diff(want, reports.ReportBounds(p, chicago)); d != "" {
		t.Errorf("ReportBounds (-want +got): %s", d)
	}
	p.ActiveMonths, p.EngagedMonths, p.LapsedFromMonths, p.LapsedUntilMonths = 24, 6, 3, 9
	got := reports.ReportBounds(p, chicago)
	if !got.ActiveStart.Equal(at("2024-06-15 00:00")) || !got.EngagedStart.Equal(at("2025-12-15 00:00")) ||
		!got.LapsedStart.Equal(at("2025-09-15 00:00")) || !got.LapsedEnd.Equal(at("2026-03-15 00:00")) {
		t.Errorf("windows given as parameters not used: %+v", got)
	}
}

// row is a client entry's facts for Includes.
func row(since, visit, paid time.Time) vetshare.ReportRow {
	return vetshare.ReportRow{ClientSince: since, LastVisit: visit, LastPaid: paid}
}

func TestIncludes(t *testing.T) {
	loc := mustLoad(t, "Europe/Berlin")
	p := vetshare.ReportParams{
		PeriodFrom: vetshare.Date{Year: 2026, Month: 3, Day: 1}, PeriodTo: vetshare.Date{Year: 2026, Month: 3, Day: 31},
		AsOf: vetshare.Date{Year: 2026, Month: 6, Day: 15},
	}.WithDefaults()
	b := reports.ReportBounds(p, loc)
	var zero time.Time
	long := b.ActiveStart.AddDate(-3, 0, 0) // a client of long standing
	first, last := b.PeriodStart, b.PeriodEnd.Add(-us)
	asOfLast := b.AsOfEnd.Add(-us)
	recent := b.EngagedStart.Add(24 * time.Hour) // inside every window but the lapsed one
	lapsed := b.LapsedStart.Add(24 * time.Hour)

	type tc struct {
		name string
		row  vetshare.ReportRow
		want bool
	}
	for _, k := range []struct {
		kind  vetshare.ReportKind
		cases []tc
	}{
		// R8.2 New Clients: client entries created in the period, first and last instant
		// included.
		{vetshare.ReportNewClients, []tc{
			{"CreatedFirstInstant", row(first, zero, zero), true},
			{"CreatedLastInstant", row(last, zero, zero), true},
			{"CreatedJustBefore", row(first.Add(-us), zero, zero), false},
			{"CreatedJustAfter", row(b.PeriodEnd, zero, zero), false},
			{"VisitsDoNotMatter", row(long, recent, recent), false},
		}},
		// R8.2 New Engaged Clients: new clients with an invoice paid in the period.
		{vetshare.ReportNewEngagedClients, []tc{
			{"PaidInPeriod", row(first, zero, last), true},
			{"PaidFirstInstant", row(last, zero, first), true},
			{"NotPaid", row(first, zero, zero), false},
			{"PaidBeforePeriod", row(first, zero, first.Add(-us)), false},
			{"PaidAfterPeriod", row(first, zero, b.PeriodEnd), false},
			{"PaidButNotNew", row(first.Add(-us), zero, last), false},
		}},
		// R8.2 Active Client List: a visit in the 18 months before the as-of date; a visit
		// exactly 18 months before is inside.
		{vetshare.ReportActiveClients, []tc{
			{"VisitExactly18MonthsBefore", row(long, b.ActiveStart, zero), true},
			{"VisitJustOver18MonthsBefore", row(long, b.ActiveStart.Add(-us), zero), false},
			{"VisitOnAsOfDate", row(long, asOfLast, zero), true},
			{"VisitAfterAsOfDate", row(long, b.AsOfEnd, zero), false},
			{"NeverVisited", row(long, zero, zero), false},
			{"EntryAfterAsOfDate", row(b.AsOfEnd, asOfLast, zero), false},
		}},
		// R8.2 Active Engaged Clients: active, with an invoice paid in the 12 months before
		// the as-of date.
		{vetshare.ReportActiveEngagedClients, []tc{
			{"PaidExactly12MonthsBefore", row(long, recent, b.EngagedStart), true},
			{"PaidJustOver12MonthsBefore", row(long, recent, b.EngagedStart.Add(-us)), false},
			{"PaidOnAsOfDate", row(long, recent, asOfLast), true},
			{"PaidButNotActive", row(long, b.ActiveStart.Add(-us), recent), false},
			{"ActiveNotPaid", row(long, recent, zero), false},
		}},
		// R8.2 Inactive Client List: no visit in the 18 months before the as-of date.
		{vetshare.ReportInactiveClients, []tc{
			{"NeverVisited", row(long, zero, zero), true},
			{"VisitJustOver18MonthsBefore", row(long, b.ActiveStart.Add(-us), zero), true},
			{"VisitExactly18MonthsBefore", row(long, b.ActiveStart, zero), false},
			{"VisitOnAsOfDate", row(long, asOfLast, zero), false},
			{"EntryOnAsOfDate", row(asOfLast, zero, zero), true},
			{"EntryAfterAsOfDate", row(b.AsOfEnd, zero, zero), false},
		}},
		// R8.2 Lapsed Clients: last visit between 12 and 18 months before the as-of date;
		// exactly 18 months before is lapsed, exactly 12 months before is not (it is within
		// the 12 months).
		{vetshare.ReportLapsedClients, []tc{
			{"LastVisitExactly18MonthsBefore", row(long, b.ActiveStart, zero), true},
			{"LastVisitJustOver18MonthsBefore", row(long, b.ActiveStart.Add(-us), zero), false},
			{"LastVisitJustOver12MonthsBefore", row(long, b.LapsedEnd.Add(-us), zero), true},
			{"LastVisitExactly12MonthsBefore", row(long, b.LapsedEnd, zero), false},
			{"LastVisitBetween", row(long, lapsed, zero), true},
			{"NeverVisited", row(long, zero, zero), false},
			{"EntryAfterAsOfDate", row(b.AsOfEnd, lapsed, zero), false},
		}},
	} {
		for _, c := range k.cases {
			t.Run(string(k.kind)+"/"+c.name, func(t *testing.T) {
				if got := reports.Includes(k.kind, b, c.row); got != c.want {
					t.Errorf("Includes(%s, %+v) = %v, want %v", k.kind, c.row, got, c.want)
				}
			})
		}
	}
}

// R8.2: Active and Inactive split every client entry that existed by the as-of date; Lapsed
// clients are active ones whose last visit is not in the last 12 months.
func TestR8_2_ActiveInactiveLapsedPartition(t *testing.T) {
	loc := mustLoad(t, "America/Chicago")
	b := reports.ReportBounds(vetshare.ReportParams{AsOf: vetshare.Date{Year: 2026, Month: 8, Day: 31}}.WithDefaults(), loc)
	since := b.ActiveStart.AddDate(-1, 0, 0)
	for d := -40 * 24 * time.Hour; d < 40*24*time.Hour; d += 7 * time.Hour {
		for _, edge := range []time.Time{b.ActiveStart, b.LapsedEnd, b.AsOfEnd} {
			r := row(since, edge.Add(d), time.Time{})
			if !r.LastVisit.Before(b.AsOfEnd) {
				continue // the store never reports a visit after the as-of date
			}
			active := reports.Includes(vetshare.ReportActiveClients, b, r)
			inactive := reports.Includes(vetshare.ReportInactiveClients, b, r)
			lapsed := reports.Includes(vetshare.ReportLapsedClients, b, r)
			recent := !r.LastVisit.Before(b.LapsedEnd)
			if active == inactive {
				t.Errorf("visit %v: active %v, inactive %v", r.LastVisit, active, inactive)
			}
			if lapsed != (active && !recent) {
				t.Errorf("visit %v: lapsed %v, active %v, within 12 months %v", r.LastVisit, lapsed, active, recent)
			}
		}
	}
}

func TestColumns(t *testing.T) {
	base := []string{"client_number", "last_name", "first_name", "email", "phone", "address", "client_since"}
	home := []string{"home_location", "home_location_id"}
	cat := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	for _, tc := range []struct {
		kind  vetshare.ReportKind
		dates []string
	}{
		{vetshare.ReportNewClients, nil},
		{vetshare.ReportNewEngagedClients, []string{"last_paid"}},
		{vetshare.ReportActiveClients, []string{"last_visit"}},
		{vetshare.ReportActiveEngagedClients, []string{"last_visit", "last_paid"}},
		{vetshare.ReportInactiveClients, []string{"last_visit"}},
		{vetshare.ReportLapsedClients, []string{"last_visit"}},
	} {
		// R8.3: the home location column only where the account takes part in sharing.
		if d := diff(cat(base, tc.dates, home), reports.Columns(tc.kind, true)); d != "" {
			t.Errorf("Columns(%s, true) (-want +got): %s", tc.kind, d)
		}
		if d := diff(cat(base, tc.dates), reports.Columns(tc.kind, false)); d != "" {
			t.Errorf("Columns(%s, false) (-want +got): %s", tc.kind, d)
		}
	}
}

// R11.1, R11.4: parameters at the limits Validate accepts give ordered bounds and no panic, in
// any zone; beyond them Validate refuses.
func TestExtremeParams(t *testing.T) {
	days := []vetshare.Date{{Year: 1, Month: 1, Day: 1}, {Year: 9999, Month: 12, Day: 31}, {Year: 2024, Month: 2, Day: 29}}
	for _, zone := range []string{"UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Santiago"} {
		loc := mustLoad(t, zone)
		for _, d := range days {
			for _, months := range []int{1, vetshare.MaxReportMonths} {
				from, until := months-1, months
				if months == 1 {
					from, until = 1, 2
				}
				p := vetshare.ReportParams{Kind: vetshare.ReportNewClients, PeriodFrom: d, PeriodTo: d, AsOf: d,
					ActiveMonths: months, EngagedMonths: months, LapsedFromMonths: from, LapsedUntilMonths: until}
				if err := p.Validate(); err != nil {
					t.Fatalf("%+v: %v", p, err)
				}
				b := reports.ReportBounds(p, loc)
				if !b.PeriodStart.Before(b.PeriodEnd) || !b.ActiveStart.Before(b.AsOfEnd) || !b.EngagedStart.Before(b.AsOfEnd) ||
					!b.LapsedStart.Before(b.LapsedEnd) || b.LapsedEnd.After(b.AsOfEnd) {
					t.Errorf("%s %v %d months: bounds out of order: %+v", zone, d, months, b)
				}
				for _, k := range vetshare.ReportKinds() {
					reports.Includes(k, b, row(b.PeriodStart, b.ActiveStart, b.EngagedStart))
				}
			}
		}
	}
	p := vetshare.ReportParams{Kind: vetshare.ReportActiveClients, AsOf: vetshare.Date{Year: 10000, Month: 1, Day: 1}}
	if err := p.WithDefaults().Validate(); err == nil {
		t.Errorf("Validate accepted the year 10000")
	}
}
