package vetshare

import (
	"fmt"
	"time"
)

// ReportKind names one of the six client reports of an account (R8.1).
type ReportKind string

// The client reports (R8.1, R8.2). Each lists the account's own client entries.
const (
	// ReportNewClients lists the client entries created in the period.
	ReportNewClients ReportKind = "new-clients"
	// ReportNewEngagedClients lists the new clients with at least one invoice of the account
	// that became paid in the period.
	ReportNewEngagedClients ReportKind = "new-engaged-clients"
	// ReportActiveClients lists the clients with a visit in the active window (18 months)
	// before the as-of date.
	ReportActiveClients ReportKind = "active-clients"
	// ReportActiveEngagedClients lists the active clients with at least one invoice of the
	// account paid in the engaged window (12 months) before the as-of date.
	ReportActiveEngagedClients ReportKind = "active-engaged-clients"
	// ReportInactiveClients lists the clients with no visit in the active window (18 months)
	// before the as-of date.
	ReportInactiveClients ReportKind = "inactive-clients"
	// ReportLapsedClients lists the clients whose last visit was between the lapsed window's
	// edges (12 and 18 months) before the as-of date.
	ReportLapsedClients ReportKind = "lapsed-clients"
)

// ReportKinds returns the six report kinds, in the order R8.1 lists them.
func ReportKinds() []ReportKind {
	return []ReportKind{ReportNewClients, ReportNewEngagedClients, ReportActiveClients,
		ReportActiveEngagedClients, ReportInactiveClients, ReportLapsedClients}
}

// Valid reports whether k is one of the report kinds.
func (k ReportKind) Valid() bool {
	for _, r := range ReportKinds() {
		if k == r {
			return true
		}
	}
	return false
}

// ByPeriod reports whether the report selects by the reporting period (the two "new" reports);
// the others select by the as-of date.
func (k ReportKind) ByPeriod() bool {
	return k == ReportNewClients || k == ReportNewEngagedClients
}

// Title returns the report's name as R8.1 gives it, such as "Lapsed Clients".
func (k ReportKind) Title() string {
	switch k {
	case ReportNewClients:
		return "New Clients"
	case ReportNewEngagedClients:
		return "New Engaged Clients"
	case ReportActiveClients:
		return "Active Client List"
	case ReportActiveEngagedClients:
		return "Active Engaged Clients"
	case ReportInactiveClients:
		return "Inactive Client List"
	case ReportLapsedClients:
		return "Lapsed Clients"
	}
	return string(k)
}

// Date is a calendar day with no time zone of its own. Reports read it in the time zone of the
// account they are made for: the day runs from its first instant there to the first instant of
// the next day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses a day written "2006-01-02". It returns an [*InvalidError] for field when s
// is not such a day.
func ParseDate(field, s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Invalid(field, fmt.Sprintf("%q is not a date written YYYY-MM-DD", s))
	}
	return DateOf(t), nil
}

// String returns the day written "2006-01-02".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// IsZero reports whether d is the zero Date, which stands for "not given".
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a day of the calendar (no February 30th) in the years 1 to 9999.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 {
		return false
	}
	return DateOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)) == d
}

// AddMonths returns d moved by n calendar months as [time.Time.AddDate] does: a day that the
// target month lacks overflows into the next month (August 31st less 18 months is March 3rd).
func (d Date) AddMonths(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).AddDate(0, n, 0))
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).AddDate(0, 0, n))
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// Start returns the first instant of the day in loc, in UTC at the store's precision. Where a
// daylight-saving change skips midnight, that is the instant of the change (in Santiago,
// 2018-08-12 starts at 01:00).
func (d Date) Start(loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
	if DateOf(t) != d {
		// time.Date gave an instant of the day before: midnight was skipped, and the day
		// begins when that zone period ends.
		_, end := t.ZoneBounds()
		t = end
	}
	return Time(t)
}

// The default windows of the reports (R8.2), in calendar months before the as-of date.
const (
	DefaultActiveMonths      = 18
	DefaultEngagedMonths     = 12
	DefaultLapsedFromMonths  = 12
	DefaultLapsedUntilMonths = 18
	// MaxReportMonths bounds every window: a hundred years.
	MaxReportMonths = 1200
)

// ReportParams are the parameters of a client report (R8.2). Days are calendar days read in the
// account's time zone. A window of N months before the as-of date D holds the instants from
// the first instant of the day D less N calendar months ([Date.AddMonths]) to the end of D:
// a visit exactly N months before D is inside it, and D itself counts.
//
// A zero window takes its default; see [ReportParams.WithDefaults].
type ReportParams struct {
	Kind ReportKind
	// PeriodFrom and PeriodTo are the first and the last day of the reporting period, both
	// included. The two "new" reports need them; the others ignore them.
	PeriodFrom, PeriodTo Date
	// AsOf is the as-of date, included in every window. Zero means the day of the transaction
	// in the account's time zone. The "new" reports ignore it.
	AsOf Date
	// ActiveMonths is the window of the Active and Inactive lists: a visit in it makes the
	// client active (default 18).
	ActiveMonths int
	// EngagedMonths is the window of Active Engaged Clients: an invoice paid in it makes an
	// active client engaged (default 12).
	EngagedMonths int
	// LapsedFromMonths and LapsedUntilMonths are the edges of Lapsed Clients: the last visit
	// is in the LapsedUntilMonths window but not in the LapsedFromMonths one (defaults 12
	// and 18). A last visit exactly 18 months before is lapsed; exactly 12 months before is not.
	LapsedFromMonths, LapsedUntilMonths int
}

// WithDefaults returns p with each zero window set to its default.
func (p ReportParams) WithDefaults() ReportParams {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&p.ActiveMonths, DefaultActiveMonths)
	def(&p.EngagedMonths, DefaultEngagedMonths)
	def(&p.LapsedFromMonths, DefaultLapsedFromMonths)
	def(&p.LapsedUntilMonths, DefaultLapsedUntilMonths)
	return p
}

// Validate checks p after [ReportParams.WithDefaults]: a known kind; for the "new" reports a
// period of valid days whose first day is not after its last; a valid or zero as-of date;
// windows from 1 to [MaxReportMonths] months, with LapsedFromMonths below LapsedUntilMonths.
// It returns an [*InvalidError] naming the first field at fault.
func (p ReportParams) Validate() error {
	if !p.Kind.Valid() {
		return Invalid("Kind", fmt.Sprintf("unknown report %q", p.Kind))
	}
	if p.Kind.ByPeriod() {
		switch {
		case p.PeriodFrom.IsZero():
			return Invalid("PeriodFrom", "the period's first day is needed")
		case !p.PeriodFrom.Valid():
			return Invalid("PeriodFrom", "not a day of the calendar")
		case p.PeriodTo.IsZero():
			return Invalid("PeriodTo", "the period's last day is needed")
		case !p.PeriodTo.Valid():
			return Invalid("PeriodTo", "not a day of the calendar")
		case p.PeriodTo.Before(p.PeriodFrom):
			return Invalid("PeriodTo", "before the period's first day")
		}
	}
	if !p.AsOf.IsZero() && !p.AsOf.Valid() {
		return Invalid("AsOf", "not a day of the calendar")
	}
	for _, w := range []struct {
		field string
		v     int
	}{{"ActiveMonths", p.ActiveMonths}, {"EngagedMonths", p.EngagedMonths},
		{"LapsedFromMonths", p.LapsedFromMonths}, {"LapsedUntilMonths", p.LapsedUntilMonths}} {
		if w.v < 1 || w.v > MaxReportMonths {
			return Invalid(w.field, fmt.Sprintf("must be 1 to %d months", MaxReportMonths))
		}
	}
	if p.LapsedFromMonths >= p.LapsedUntilMonths {
		return Invalid("LapsedFromMonths", "must be less than LapsedUntilMonths")
	}
	return nil
}

// ReportRow is one client entry listed by a report: the account's client number, the client's
// name and contact details, the dates that put the client in the report, and the home location
// where the account takes part in record sharing (R8.3).
type ReportRow struct {
	ClientID  ClientID
	Number    int64 // the client number in the report's account (R2.5)
	FirstName string
	LastName  string
	Email     string
	Phone     string
	Address   string
	// ClientSince is when the account's client entry was created.
	ClientSince time.Time
	// LastVisit is the client's last visit at the account up to the end of the as-of date;
	// zero when there is none or the report selects by period.
	LastVisit time.Time
	// LastPaid is when the latest of the client's invoices at the account paid in the
	// report's engaged window (the period, or EngagedMonths before the as-of date) became
	// paid; zero in the reports that do not ask for payment.
	LastPaid time.Time
	// HomeAccount and HomeName are the client's home location (R2.10), empty when the account
	// does not take part in record sharing.
	HomeAccount AccountID
	HomeName    string
}
