package vetshare_test

import (
	"errors"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
)

func TestDate(t *testing.T) {
	d := func(y int, m time.Month, day int) vetshare.Date { return vetshare.Date{Year: y, Month: m, Day: day} }
	t.Run("AddMonths", func(t *testing.T) {
		// R8.2: "18 months before" is calendar months as time.AddDate counts them, a missing
		// day overflowing into the next month.
		for _, tc := range []struct {
			from vetshare.Date
			n    int
			want vetshare.Date
		}{
			{d(2026, 6, 15), -18, d(2024, 12, 15)},
			{d(2026, 8, 31), -18, d(2025, 3, 3)}, // 2025-02-31 is March 3rd
			{d(2026, 2, 28), -12, d(2025, 2, 28)},
			{d(2028, 2, 29), -12, d(2027, 3, 1)},
			{d(2026, 1, 31), 1, d(2026, 3, 3)},
		} {
			if got := tc.from.AddMonths(tc.n); got != tc.want {
				t.Errorf("%v.AddMonths(%d) = %v, want %v", tc.from, tc.n, got, tc.want)
			}
		}
	})
	t.Run("Start", func(t *testing.T) {
		for _, tc := range []struct {
			zone string
			day  vetshare.Date
			want string
		}{
			{"UTC", d(2026, 3, 1), "2026-03-01T00:00:00Z"},
			{"America/Chicago", d(2026, 3, 1), "2026-03-01T06:00:00Z"},
			{"Europe/Berlin", d(2026, 7, 1), "2026-06-30T22:00:00Z"},
			// Midnight does not exist on 2018-08-12 in Santiago: the day starts at 01:00 -03.
			{"America/Santiago", d(2018, 8, 12), "2018-08-12T04:00:00Z"},
			// Nor on 2018-03-25 in Beirut, where the day starts at 01:00 +03.
			{"Asia/Beirut", d(2018, 3, 25), "2018-03-24T22:00:00Z"},
		} {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			got := tc.day.Start(loc)
			if got.Format(time.RFC3339) != tc.want {
				t.Errorf("%v.Start(%s) = %v, want %s", tc.day, tc.zone, got, tc.want)
			}
			if prev := got.Add(-time.Microsecond).In(loc); vetshare.DateOf(prev) == tc.day {
				t.Errorf("%v.Start(%s): the instant before, %v, is still that day", tc.day, tc.zone, prev)
			}
			if vetshare.DateOf(got.In(loc)) != tc.day {
				t.Errorf("%v.Start(%s) = %v, which is another day there", tc.day, tc.zone, got.In(loc))
			}
		}
	})
	t.Run("ParseDate", func(t *testing.T) {
		got, err := vetshare.ParseDate("AsOf", "2026-02-28")
		if err != nil || got != d(2026, 2, 28) || got.String() != "2026-02-28" {
			t.Errorf("ParseDate = %v, %v", got, err)
		}
		for _, s := range []string{"", "2026-02-30", "28/02/2026", "2026-2-28"} {
			if _, err := vetshare.ParseDate("AsOf", s); !errors.Is(err, vetshare.ErrInvalid) {
				t.Errorf("ParseDate(%q) = %v, want ErrInvalid", s, err)
			}
		}
	})
	t.Run("Valid", func(t *testing.T) {
		for _, tc := range []struct {
			d    vetshare.Date
			want bool
		}{{d(2026, 2, 28), true}, {d(2026, 2, 29), false}, {d(2028, 2, 29), true}, {d(2026, 13, 1), false},
			{d(0, 1, 1), false}, {d(2026, 1, 0), false}, {vetshare.Date{}, false}} {
			if got := tc.d.Valid(); got != tc.want {
				t.Errorf("%+v.Valid() = %v, want %v", tc.d, got, tc.want)
			}
		}
	})
}

func TestReportParams(t *testing.T) {
	day := vetshare.Date{Year: 2026, Month: 3, Day: 1}
	// R8.2: every window is a parameter with the SPEC's default.
	t.Run("Defaults", func(t *testing.T) {
		got := vetshare.ReportParams{Kind: vetshare.ReportLapsedClients}.WithDefaults()
		if got.ActiveMonths != 18 || got.EngagedMonths != 12 || got.LapsedFromMonths != 12 || got.LapsedUntilMonths != 18 {
			t.Errorf("defaults = %+v", got)
		}
		kept := vetshare.ReportParams{ActiveMonths: 24, EngagedMonths: 6, LapsedFromMonths: 3, LapsedUntilMonths: 9}.WithDefaults()
		if kept.ActiveMonths != 24 || kept.EngagedMonths != 6 || kept.LapsedFromMonths != 3 || kept.LapsedUntilMonths != 9 {
			t.Errorf("given windows changed: %+v", kept)
		}
	})
	t.Run("Validate", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			p     vetshare.ReportParams
			field string // "" for valid
		}{
			{"OK", vetshare.ReportParams{Kind: vetshare.ReportActiveClients}, ""},
			{"OKPeriod", vetshare.ReportParams{Kind: vetshare.ReportNewClients, PeriodFrom: day, PeriodTo: day}, ""},
			{"ErrKind", vetshare.ReportParams{Kind: "churned"}, "Kind"},
			{"ErrPeriodMissing", vetshare.ReportParams{Kind: vetshare.ReportNewClients}, "PeriodFrom"},
			{"ErrPeriodToMissing", vetshare.ReportParams{Kind: vetshare.ReportNewEngagedClients, PeriodFrom: day}, "PeriodTo"},
			{"ErrPeriodBadDay", vetshare.ReportParams{Kind: vetshare.ReportNewClients, PeriodFrom: vetshare.Date{Year: 2026, Month: 2, Day: 30}, PeriodTo: day}, "PeriodFrom"},
			{"ErrPeriodReversed", vetshare.ReportParams{Kind: vetshare.ReportNewClients, PeriodFrom: day, PeriodTo: day.AddDays(-1)}, "PeriodTo"},
			{"ErrAsOf", vetshare.ReportParams{Kind: vetshare.ReportActiveClients, AsOf: vetshare.Date{Year: 2026, Month: 4, Day: 31}}, "AsOf"},
			{"ErrNegativeWindow", vetshare.ReportParams{Kind: vetshare.ReportActiveClients, ActiveMonths: -1}, "ActiveMonths"},
			{"ErrHugeWindow", vetshare.ReportParams{Kind: vetshare.ReportActiveClients, EngagedMonths: 1 << 40}, "EngagedMonths"},
			{"ErrLapsedEdges", vetshare.ReportParams{Kind: vetshare.ReportLapsedClients, LapsedFromMonths: 18}, "LapsedFromMonths"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.p.WithDefaults().Validate()
				var inv *vetshare.InvalidError
				switch {
				case tc.field == "" && err != nil:
					t.Errorf("Validate() = %v, want nil", err)
				case tc.field != "" && (!errors.As(err, &inv) || inv.Field != tc.field):
					t.Errorf("Validate() = %v, want an InvalidError for %s", err, tc.field)
				}
			})
		}
	})
}
