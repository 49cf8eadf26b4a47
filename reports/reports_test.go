package reports_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/reports"
)

var (
	march   = vetshare.ReportParams{PeriodFrom: vetshare.Date{Year: 2026, Month: 3, Day: 1}, PeriodTo: vetshare.Date{Year: 2026, Month: 3, Day: 31}}
	asOf    = vetshare.Date{Year: 2026, Month: 6, Day: 15}
	byAsOf  = vetshare.ReportParams{AsOf: asOf}
	longAgo = time.Date(2021, 1, 10, 15, 0, 0, 0, time.UTC)
)

func kind(p vetshare.ReportParams, k vetshare.ReportKind) vetshare.ReportParams { p.Kind = k; return p }

// bounds returns the bounds of the default windows at acct.
func (w *world) bounds(acct vetshare.Account, p vetshare.ReportParams) reports.Bounds {
	return reports.ReportBounds(p.WithDefaults(), w.loc(acct))
}

// R8.1: each of the six reports lists the account's own client entries, and no other's.
func TestR8_1_SixReportsListOwnEntries(t *testing.T) {
	w := newWorld(t)
	b := w.bounds(w.A, byAsOf)
	inMarch := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	ownA := w.client(w.A, "Ann", "Avery", inMarch)
	ownB := w.client(w.B, "Ben", "Brook", inMarch)
	shared := w.client(w.B, "Sam", "Shore", inMarch)
	w.share(w.A, shared, inMarch)
	for _, c := range []vetshare.ClientID{ownA, ownB, shared} {
		for _, acct := range []vetshare.Account{w.A, w.B} {
			if acct.ID == w.A.ID && c == ownB || acct.ID == w.B.ID && c == ownA {
				continue
			}
			w.visit(acct, c, b.LapsedStart.Add(time.Hour))
		}
	}
	aNumbers := []int64{w.number(w.A, ownA), w.number(w.A, shared)}
	bNumbers := []int64{w.number(w.B, ownB), w.number(w.B, shared)}
	for _, k := range []vetshare.ReportKind{vetshare.ReportNewClients, vetshare.ReportActiveClients, vetshare.ReportLapsedClients} {
		p := kind(march, k)
		p.AsOf = asOf
		if d := diff(aNumbers, w.numbers(w.A, p)); d != "" {
			t.Errorf("%s at A (-want +got): %s", k, d)
		}
		if d := diff(bNumbers, w.numbers(w.B, p)); d != "" {
			t.Errorf("%s at B (-want +got): %s", k, d)
		}
	}
	// Nobody is inactive and nobody paid: the other three are empty.
	for _, k := range []vetshare.ReportKind{vetshare.ReportInactiveClients, vetshare.ReportNewEngagedClients, vetshare.ReportActiveEngagedClients} {
		p := kind(march, k)
		p.AsOf = asOf
		if got := w.numbers(w.A, p); len(got) != 0 {
			t.Errorf("%s at A = %v, want none", k, got)
		}
	}
}

// R8.2: New Clients are the entries created in the period, first and last instant included,
// with the period's days read in the account's time zone.
func TestR8_2_NewClientsPeriodEdges(t *testing.T) {
	w := newWorld(t)
	p := kind(march, vetshare.ReportNewClients)
	b := w.bounds(w.A, p)
	// A is in Chicago: March starts at 06:00Z (CST) and ends at 05:00Z on April 1st (CDT).
	if b.PeriodStart != time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC) || b.PeriodEnd != time.Date(2026, 4, 1, 5, 0, 0, 0, time.UTC) {
		t.Fatalf("Chicago's March = [%v, %v)", b.PeriodStart, b.PeriodEnd)
	}
	before := w.client(w.A, "Bea", "Before", b.PeriodStart.Add(-us))
	first := w.client(w.A, "Fay", "First", b.PeriodStart)
	last := w.client(w.A, "Lou", "Last", b.PeriodEnd.Add(-us))
	after := w.client(w.A, "Al", "After", b.PeriodEnd)
	_, _ = before, after
	want := []int64{w.number(w.A, first), w.number(w.A, last)}
	if d := diff(want, w.numbers(w.A, p)); d != "" {
		t.Errorf("New Clients at A (-want +got): %s", d)
	}

	// The same instants in Berlin (B): 2026-03-01T03:00Z is March 1st there, February 28th in
	// Chicago.
	early := time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)
	atA := w.client(w.A, "Cy", "Chicago", early)
	atB := w.client(w.B, "Bo", "Berlin", early)
	_ = atA
	if got := w.numbers(w.A, p); len(got) != 2 {
		t.Errorf("New Clients at A = %v: the client created on Chicago's February 28th is listed", got)
	}
	if d := diff([]int64{w.number(w.B, atB)}, w.numbers(w.B, p)); d != "" {
		t.Errorf("New Clients at B (-want +got): %s", d)
	}
}

// R8.2: a visit is a record added at this account for one of the client's patients; a record
// added at another account, a removed record and a record after the as-of date are not.
func TestR8_2_VisitIsRecordAtThisAccount(t *testing.T) {
	w := newWorld(t)
	b := w.bounds(w.A, byAsOf)
	recent := b.EngagedStart.Add(48 * time.Hour)
	p := kind(byAsOf, vetshare.ReportActiveClients)

	atOther := w.client(w.B, "Otto", "Other", longAgo)
	w.share(w.A, atOther, longAgo)
	w.visit(w.B, atOther, recent)

	removed := w.client(w.A, "Rita", "Removed", longAgo)
	w.remove(w.A, w.visit(w.A, removed, recent))

	future := w.client(w.A, "Fred", "Future", longAgo)
	w.visit(w.A, future, b.AsOfEnd)

	second := w.client(w.A, "Pat", "Second", longAgo)
	w.visit(w.A, second, recent, w.patient(second, "Tom", longAgo))

	if d := diff([]int64{w.number(w.A, second)}, w.numbers(w.A, p)); d != "" {
		t.Errorf("Active at A (-want +got): %s", d)
	}
	want := []int64{w.number(w.A, atOther), w.number(w.A, removed), w.number(w.A, future)}
	if d := diff(want, w.numbers(w.A, kind(byAsOf, vetshare.ReportInactiveClients))); d != "" {
		t.Errorf("Inactive at A (-want +got): %s", d)
	}
	// B sees its own visit.
	if d := diff([]int64{w.number(w.B, atOther)}, w.numbers(w.B, p)); d != "" {
		t.Errorf("Active at B (-want +got): %s", d)
	}
}

// R8.2: Active, Inactive and Lapsed at the edges of their windows, in the account's time zone:
// a visit exactly 18 months before the as-of date is active (and lapsed), a microsecond
// earlier inactive; exactly 12 months before is active and not lapsed; the last visit decides.
func TestR8_2_AsOfWindowEdges(t *testing.T) {
	w := newWorld(t)
	b := w.bounds(w.A, byAsOf)
	// A is in Chicago: 2024-12-15 starts at 06:00Z, 2025-06-15 at 05:00Z, 2026-06-16 at 05:00Z.
	if b.ActiveStart != time.Date(2024, 12, 15, 6, 0, 0, 0, time.UTC) || b.LapsedEnd != time.Date(2025, 6, 15, 5, 0, 0, 0, time.UTC) ||
		b.AsOfEnd != time.Date(2026, 6, 16, 5, 0, 0, 0, time.UTC) {
		t.Fatalf("bounds at A = %+v", b)
	}
	clients := map[string]int64{}
	add := func(name string, visits ...time.Time) {
		c := w.client(w.A, name, name, longAgo)
		for _, v := range visits {
			w.visit(w.A, c, v)
		}
		clients[name] = w.number(w.A, c)
	}
	add("Exactly18", b.ActiveStart)
	add("Over18", b.ActiveStart.Add(-us))
	add("Exactly12", b.LapsedEnd)
	add("Over12", b.LapsedEnd.Add(-us))
	add("OnAsOfDate", b.AsOfEnd.Add(-us))
	add("AfterAsOfDate", b.AsOfEnd)
	add("Never")
	add("LapsedThenBack", b.ActiveStart.Add(time.Hour), b.AsOfEnd.Add(-time.Hour))
	names := func(ns ...string) []int64 {
		out := []int64{}
		for _, n := range ns {
			out = append(out, clients[n])
		}
		return out
	}
	for _, tc := range []struct {
		kind vetshare.ReportKind
		want []int64
	}{
		{vetshare.ReportActiveClients, names("Exactly18", "Exactly12", "Over12", "OnAsOfDate", "LapsedThenBack")},
		{vetshare.ReportInactiveClients, names("Over18", "AfterAsOfDate", "Never")},
		{vetshare.ReportLapsedClients, names("Exactly18", "Over12")},
	} {
		if d := diff(tc.want, w.numbers(w.A, kind(byAsOf, tc.kind))); d != "" {
			t.Errorf("%s (-want +got): %s", tc.kind, d)
		}
	}
	// Windows are parameters: with a 6-month active window only the recent visits count.
	p := kind(byAsOf, vetshare.ReportActiveClients)
	p.ActiveMonths = 6
	if d := diff(names("OnAsOfDate", "LapsedThenBack"), w.numbers(w.A, p)); d != "" {
		t.Errorf("Active over 6 months (-want +got): %s", d)
	}
	// An entry created after the as-of date is in none of the as-of reports.
	late := w.client(w.A, "Late", "Late", b.AsOfEnd)
	for _, k := range []vetshare.ReportKind{vetshare.ReportActiveClients, vetshare.ReportInactiveClients, vetshare.ReportLapsedClients} {
		for _, n := range w.numbers(w.A, kind(byAsOf, k)) {
			if n == w.number(w.A, late) {
				t.Errorf("%s lists a client entry created after the as-of date", k)
			}
		}
	}
}

// R8.2: the as-of date's day and windows are read in each account's time zone: one instant is
// on the as-of date in Chicago and the day after in Berlin.
func TestR8_2_AsOfInAccountTimeZone(t *testing.T) {
	w := newWorld(t)
	c := w.client(w.A, "Zoe", "Zone", longAgo)
	w.share(w.B, c, longAgo)
	// 2026-06-15T23:30Z: June 15th 18:30 in Chicago, June 16th 01:30 in Berlin.
	at := time.Date(2026, 6, 15, 23, 30, 0, 0, time.UTC)
	w.visit(w.A, c, at)
	w.visit(w.B, c, at)
	p := kind(byAsOf, vetshare.ReportActiveClients)
	if got := w.numbers(w.A, p); len(got) != 1 {
		t.Errorf("Active at A = %v, want the client (visit on Chicago's as-of date)", got)
	}
	if got := w.numbers(w.B, p); len(got) != 0 {
		t.Errorf("Active at B = %v, want none (the visit is after Berlin's as-of date)", got)
	}
}

// R8.2: a zero as-of date is the transaction's day in the account's time zone.
func TestR8_2_AsOfDefaultsToToday(t *testing.T) {
	w := newWorld(t)
	w.clock.T = time.Date(2026, 6, 20, 3, 0, 0, 0, time.UTC) // June 19th in Chicago, 20th in Berlin
	for _, tc := range []struct {
		acct vetshare.Account
		want vetshare.Date
	}{{w.A, vetshare.Date{Year: 2026, Month: 6, Day: 19}}, {w.B, vetshare.Date{Year: 2026, Month: 6, Day: 20}}} {
		must(t, w.store.View(context.Background(), func(tx *vetshare.Tx) error {
			r, err := reports.Open(context.Background(), tx, w.actor(tc.acct), vetshare.ReportParams{Kind: vetshare.ReportActiveClients})
			if err != nil {
				return err
			}
			if r.Params.AsOf != tc.want || r.Params.ActiveMonths != 18 {
				t.Errorf("at %s: params %+v, want as of %v with defaults", tc.acct.Name, r.Params, tc.want)
			}
			return nil
		}))
	}
}

// R8.2, R2.10: a client shared by two clinics is in each clinic's reports by that clinic's own
// visits, and its home location is the same in both.
func TestR8_2_SharedClientByEachClinicsVisits(t *testing.T) {
	w := newWorld(t)
	bA, bB := w.bounds(w.A, byAsOf), w.bounds(w.B, byAsOf)
	c := w.client(w.A, "Sue", "Shared", longAgo)
	w.share(w.B, c, longAgo)
	w.setHome(c, w.B)
	w.visit(w.A, c, bA.AsOfEnd.Add(-30*24*time.Hour))    // recent at A
	w.visit(w.B, c, bB.LapsedStart.Add(30*24*time.Hour)) // lapsed at B
	for _, tc := range []struct {
		acct     vetshare.Account
		active   bool
		lapsed   bool
		inactive bool
	}{{w.A, true, false, false}, {w.B, true, true, false}} {
		for _, k := range []struct {
			kind vetshare.ReportKind
			want bool
		}{{vetshare.ReportActiveClients, tc.active}, {vetshare.ReportLapsedClients, tc.lapsed}, {vetshare.ReportInactiveClients, tc.inactive}} {
			rows, err := w.rows(tc.acct, kind(byAsOf, k.kind))
			must(t, err)
			if (len(rows) == 1) != k.want {
				t.Errorf("%s at %s = %+v, want listed: %v", k.kind, tc.acct.Name, rows, k.want)
				continue
			}
			if k.want && (rows[0].HomeAccount != w.B.ID || rows[0].HomeName != w.B.Name || rows[0].Number != w.number(tc.acct, c)) {
				t.Errorf("%s at %s: row %+v, want home %s and the clinic's own number", k.kind, tc.acct.Name, rows[0], w.B.Name)
			}
		}
	}
}

// R8.3, R2.10: rows carry the home location where the account is, or was, in a share group;
// an account never in one has no home location column.
func TestR8_3_HomeLocationOnlyWhereSharing(t *testing.T) {
	w := newWorld(t)
	b := w.bounds(w.A, byAsOf)
	v := b.AsOfEnd.Add(-50 * time.Hour) // 2026-06-14T03:00Z: the 13th in Chicago, the 14th in Berlin
	solo := w.client(w.C, "Olga", "Solo", longAgo)
	w.visit(w.C, solo, v)
	moved := w.client(w.A, "Mo", "Moved", longAgo)
	w.share(w.B, moved, longAgo)
	w.setHome(moved, w.B)
	w.visit(w.A, moved, v)
	w.visit(w.B, moved, v)
	p := kind(byAsOf, vetshare.ReportActiveClients)

	rows := w.csv(w.C, p)
	want := [][]string{
		{"client_number", "last_name", "first_name", "email", "phone", "address", "client_since", "last_visit"},
		{"1", "Solo", "Olga", "Olga@mail.example", "555-0100", "1 Main St", "2021-01-10", "2026-06-13"},
	}
	if d := diff(want, rows); d != "" {
		t.Errorf("CSV at C, never in a group (-want +got): %s", d)
	}
	got, err := w.rows(w.C, p)
	must(t, err)
	if len(got) != 1 || got[0].HomeAccount != "" || got[0].HomeName != "" {
		t.Errorf("rows at C = %+v, want no home location", got)
	}

	want = [][]string{
		{"client_number", "last_name", "first_name", "email", "phone", "address", "client_since", "last_visit", "home_location", "home_location_id"},
		{"1", "Moved", "Mo", "Mo@mail.example", "555-0100", "1 Main St", "2021-01-10", "2026-06-13", "Lakeside", string(w.B.ID)},
	}
	if d := diff(want, w.csv(w.A, p)); d != "" {
		t.Errorf("CSV at A (-want +got): %s", d)
	}
	// B leaves the group: it took part in sharing, so it keeps the column.
	w.update(func(tx *vetshare.Tx) error { return txn.D(tx).LeaveGroup(context.Background(), w.B.ID, w.clock.Now()) })
	want[1][7] = "2026-06-14" // the same instant is a day later in Berlin
	if d := diff(want, w.csv(w.B, p)); d != "" {
		t.Errorf("CSV at B after leaving the group (-want +got): %s", d)
	}
}

func TestOpenErrors(t *testing.T) {
	w := newWorld(t)
	outsider := vetshare.NewID[vetshare.UserID](epoch)
	w.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).InsertUser(context.Background(), vetshare.User{ID: outsider, Name: "Eve", Email: "eve@x.example", Active: true, CreatedAt: epoch})
	})
	for _, tc := range []struct {
		name  string
		actor vetshare.Actor
		p     vetshare.ReportParams
		want  error
	}{
		{"ErrNotMember", vetshare.Actor{User: outsider, Account: w.A.ID}, kind(byAsOf, vetshare.ReportActiveClients), vetshare.ErrNotPermitted},
		{"ErrMalformedAccount", vetshare.Actor{User: w.user, Account: "nope\x00"}, kind(byAsOf, vetshare.ReportActiveClients), vetshare.ErrInvalid},
		{"ErrKind", w.actor(w.A), kind(byAsOf, "everyone"), vetshare.ErrInvalid},
		{"ErrNoPeriod", w.actor(w.A), kind(byAsOf, vetshare.ReportNewClients), vetshare.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := w.store.View(context.Background(), func(tx *vetshare.Tx) error {
				_, err := reports.Open(context.Background(), tx, tc.actor, tc.p)
				return err
			})
			if !errors.Is(err, tc.want) {
				t.Errorf("Open = %v, want %v", err, tc.want)
			}
		})
	}
}

// Rows streams: a consumer that stops early stops the scan, and the report is not read whole
// first.
func TestRowsStopEarly(t *testing.T) {
	w := newWorld(t)
	for i := range 5 {
		w.client(w.A, "N", string(rune('a'+i)), longAgo)
	}
	must(t, w.store.View(context.Background(), func(tx *vetshare.Tx) error {
		r, err := reports.Open(context.Background(), tx, w.actor(w.A), kind(byAsOf, vetshare.ReportInactiveClients))
		if err != nil {
			return err
		}
		var got []int64
		for row, err := range r.Rows(context.Background()) {
			if err != nil {
				return err
			}
			got = append(got, row.Number)
			if len(got) == 2 {
				break
			}
		}
		if d := diff([]int64{1, 2}, got); d != "" {
			t.Errorf("first two rows (-want +got): %s", d)
		}
		// The transaction is still usable after the early stop.
		_, err = txn.D(tx).Account(context.Background(), w.A.ID)
		return err
	}))
	// A cancelled context ends the scan with its error.
	ctx, cancel := context.WithCancel(context.Background())
	err := w.store.View(context.Background(), func(tx *vetshare.Tx) error {
		r, err := reports.Open(ctx, tx, w.actor(w.A), kind(byAsOf, vetshare.ReportInactiveClients))
		if err != nil {
			return err
		}
		cancel()
		for _, err := range r.Rows(ctx) {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Rows after cancel = %v, want context.Canceled", err)
	}
}

// R8.2: an invoice of this account for the client is a visit, at its issue time; a void
// invoice is not, nor is an invoice of another account.
func TestR8_2_InvoiceIsAVisit(t *testing.T) {
	w := newWorld(t)
	b := w.bounds(w.A, byAsOf)
	recent := b.EngagedStart.Add(48 * time.Hour)

	invoiced := w.client(w.A, "Ivy", "Invoiced", longAgo)
	w.invoice(w.A, invoiced, recent)

	voided := w.client(w.A, "Val", "Voided", longAgo)
	w.void(w.invoice(w.A, voided, recent), recent.Add(time.Hour))

	elsewhere := w.client(w.B, "Ed", "Elsewhere", longAgo)
	w.share(w.A, elsewhere, longAgo)
	w.invoice(w.B, elsewhere, recent)

	// Invoiced exactly 18 months before: active and lapsed; a later invoice after the as-of
	// date does not change that.
	edge := w.client(w.A, "Eve", "Edge", longAgo)
	w.invoice(w.A, edge, b.ActiveStart)
	w.invoice(w.A, edge, b.AsOfEnd)

	// The later of a record and an invoice is the last visit.
	both := w.client(w.A, "Bo", "Both", longAgo)
	w.visit(w.A, both, b.ActiveStart.Add(time.Hour))
	w.invoice(w.A, both, recent)

	for _, tc := range []struct {
		kind vetshare.ReportKind
		want []int64
	}{
		{vetshare.ReportActiveClients, []int64{w.number(w.A, invoiced), w.number(w.A, edge), w.number(w.A, both)}},
		{vetshare.ReportInactiveClients, []int64{w.number(w.A, voided), w.number(w.A, elsewhere)}},
		{vetshare.ReportLapsedClients, []int64{w.number(w.A, edge)}},
	} {
		if d := diff(tc.want, w.numbers(w.A, kind(byAsOf, tc.kind))); d != "" {
			t.Errorf("%s at A (-want +got): %s", tc.kind, d)
		}
	}
	rows, err := w.rows(w.A, kind(byAsOf, vetshare.ReportActiveClients))
	must(t, err)
	if len(rows) == 3 && (!rows[1].LastVisit.Equal(b.ActiveStart) || !rows[2].LastVisit.Equal(recent)) {
		t.Errorf("last visits = %v, %v; want %v, %v", rows[1].LastVisit, rows[2].LastVisit, b.ActiveStart, recent)
	}
}

// R8.2: New Engaged Clients are the new clients with an invoice of this account paid in the
// period, the period's first and last instants included.
func TestR8_2_NewEngagedClients(t *testing.T) {
	w := newWorld(t)
	p := kind(march, vetshare.ReportNewEngagedClients)
	b := w.bounds(w.A, p)
	mid := b.PeriodStart.Add(10 * 24 * time.Hour)
	add := func(name string, since time.Time, issued, paid time.Time, acct ...vetshare.Account) int64 {
		c := w.client(w.A, name, name, since)
		at := w.A
		if len(acct) > 0 {
			w.share(acct[0], c, since)
			at = acct[0]
		}
		inv := w.invoice(at, c, issued)
		if !paid.IsZero() {
			w.pay(at, c, inv, paid)
		}
		return w.number(w.A, c)
	}
	firstInstant := add("PaidFirstInstant", b.PeriodStart, b.PeriodStart, b.PeriodStart)
	lastInstant := add("PaidLastInstant", mid, mid, b.PeriodEnd.Add(-us))
	add("PaidAfter", mid, mid, b.PeriodEnd)
	add("Open", mid, mid, time.Time{})
	add("NotNew", b.PeriodStart.Add(-us), mid, mid)
	add("PaidAtB", mid, mid, mid, w.B)
	if d := diff([]int64{firstInstant, lastInstant}, w.numbers(w.A, p)); d != "" {
		t.Errorf("New Engaged at A (-want +got): %s", d)
	}
	rows, err := w.rows(w.A, p)
	must(t, err)
	if len(rows) == 2 && !rows[1].LastPaid.Equal(b.PeriodEnd.Add(-us)) {
		t.Errorf("last paid = %v, want %v", rows[1].LastPaid, b.PeriodEnd.Add(-us))
	}
	// New Clients lists them all but the one created before the period.
	if got := w.numbers(w.A, kind(march, vetshare.ReportNewClients)); len(got) != 5 {
		t.Errorf("New Clients at A = %v, want 5", got)
	}
}

// R8.2: Active Engaged Clients are the active clients with an invoice paid in the 12 months
// before the as-of date; paid exactly 12 months before is inside.
func TestR8_2_ActiveEngagedClients(t *testing.T) {
	w := newWorld(t)
	p := kind(byAsOf, vetshare.ReportActiveEngagedClients)
	b := w.bounds(w.A, p)
	recent := b.AsOfEnd.Add(-10 * 24 * time.Hour)
	add := func(name string, paid time.Time, visit bool) int64 {
		c := w.client(w.A, name, name, longAgo)
		inv := w.invoice(w.A, c, b.ActiveStart.Add(-48*time.Hour)) // too old to be a visit
		if !paid.IsZero() {
			w.pay(w.A, c, inv, paid)
		}
		if visit {
			w.visit(w.A, c, recent)
		}
		return w.number(w.A, c)
	}
	exactly := add("PaidExactly12", b.EngagedStart, true)
	add("PaidJustOver12", b.EngagedStart.Add(-us), true)
	onAsOf := add("PaidOnAsOfDate", b.AsOfEnd.Add(-us), true)
	add("PaidAfterAsOfDate", b.AsOfEnd, true)
	add("PaidNotActive", recent, false)
	add("ActiveNotPaid", time.Time{}, true)
	if d := diff([]int64{exactly, onAsOf}, w.numbers(w.A, p)); d != "" {
		t.Errorf("Active Engaged at A (-want +got): %s", d)
	}
	q := p
	q.EngagedMonths = 1
	if d := diff([]int64{onAsOf}, w.numbers(w.A, q)); d != "" {
		t.Errorf("Active Engaged over 1 month (-want +got): %s", d)
	}
}

// R3.3: a report lists the account checked when it was opened; changing the exported Account
// afterwards does not turn it into another account's client list.
func TestR3_3ReportScopedToCheckedAccount(t *testing.T) {
	w := newWorld(t)
	inMarch := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	w.client(w.A, "Ann", "Avery", inMarch)
	w.client(w.B, "Ben", "Brook", inMarch)
	p := kind(march, vetshare.ReportNewClients)
	p.AsOf = asOf
	must(t, w.store.View(context.Background(), func(tx *vetshare.Tx) error {
		r, err := reports.Open(context.Background(), tx, w.actor(w.A), p)
		if err != nil {
			return err
		}
		r.Account.ID = w.B.ID
		return r.Each(context.Background(), func(row vetshare.ReportRow) error {
			if row.LastName != "Avery" {
				t.Errorf("report opened at A lists %s %s of B", row.FirstName, row.LastName)
			}
			return nil
		})
	}))
}
