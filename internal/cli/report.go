package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/reports"
)

const reportHelp = `
Usage:

	vetshare report NAME --clinic NAME_OR_ID --as EMAIL [--from DAY --to DAY] [--as-of DAY] [--csv | --json]

Prints one of the six client reports of a clinic (R8), as a table, as CSV (--csv) or as JSON.
Where the clinic takes part in record sharing, each row carries the client's home location.

NAME is one of:

	new-clients             client entries created in the period (--from, --to)
	new-engaged-clients     new clients with a paid invoice in the period
	active-clients          clients with a visit in the 18 months before --as-of
	active-engaged-clients  active clients with an invoice paid in the 12 months before --as-of
	inactive-clients        clients with no visit in the 18 months before --as-of
	lapsed-clients          clients whose last visit was 12 to 18 months before --as-of

Days are written 2006-01-02; --as-of defaults to today in the clinic's time zone.

Example:

	$ vetshare report new-clients --db clinic.db --clinic North --as alice@north.example --from 2026-01-01 --to 2026-01-31 --csv > new.csv
`

func runReport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "report", reportHelp, true)
	from := f.String("from", "", "the period's first `day` (the new-client reports)")
	to := f.String("to", "", "the period's last `day` (the new-client reports)")
	asOf := f.String("as-of", "", "the as-of `day` (default today)")
	csv := f.Bool("csv", false, "print CSV with a header")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageErr("report: name one report (see vetshare report --help)")
	}
	kind := vetshare.ReportKind(rest[0])
	if !kind.Valid() {
		var ks []string
		for _, k := range vetshare.ReportKinds() {
			ks = append(ks, string(k))
		}
		return usageErr("report: no report is named %q; the reports are %s", rest[0], strings.Join(ks, ", "))
	}
	p := vetshare.ReportParams{Kind: kind}
	for _, d := range []struct {
		flag, s string
		dst     *vetshare.Date
	}{{"--from", *from, &p.PeriodFrom}, {"--to", *to, &p.PeriodTo}, {"--as-of", *asOf, &p.AsOf}} {
		if d.s == "" {
			continue
		}
		if *d.dst, err = vetshare.ParseDate(d.flag, d.s); err != nil {
			return usageErr("%s %q: write the day as 2006-01-02", d.flag, d.s)
		}
	}
	if kind.ByPeriod() && (p.PeriodFrom.IsZero() || p.PeriodTo.IsZero()) {
		return usageErr("report %s: give the period with --from DAY and --to DAY", kind)
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	actor, _, _, err := actorFor(ctx, db, f.as, f.clnc)
	if err != nil {
		return err
	}
	return db.Store.View(ctx, func(tx *vetshare.Tx) error {
		if *csv {
			_, err := reports.WriteCSV(ctx, tx, actor, p, e.stdout)
			return err
		}
		r, err := reports.Open(ctx, tx, actor, p)
		if err != nil {
			return err
		}
		cols := r.Columns()
		if f.json {
			enc := json.NewEncoder(e.stdout)
			fmt.Fprintf(e.stdout, "{\"report\": %q, \"clinic\": %q, \"columns\": ", kind, r.Account.Name)
			if err := enc.Encode(cols); err != nil {
				return err
			}
			fmt.Fprint(e.stdout, ", \"rows\": [")
			n := 0
			var fields []string
			for row, err := range r.Rows(ctx) {
				if err != nil {
					return err
				}
				if n > 0 {
					fmt.Fprint(e.stdout, ",")
				}
				n++
				fields = r.AppendFields(fields[:0], row)
				if err := enc.Encode(fields); err != nil {
					return err
				}
			}
			fmt.Fprintln(e.stdout, "]}")
			return nil
		}
		fmt.Fprintf(e.stdout, "%s, %s\n\n", kind.Title(), r.Account.Name)
		upper := make([]string, len(cols))
		for i, c := range cols {
			upper[i] = strings.ToUpper(c)
		}
		t := newTable(e.stdout, upper...)
		n := 0
		var fields []string
		for row, err := range r.Rows(ctx) {
			if err != nil {
				return err
			}
			n++
			fields = r.AppendFields(fields[:0], row)
			for i := range fields {
				if fields[i] == "" {
					fields[i] = "-"
				}
			}
			t.row(fields...)
		}
		t.flush()
		fmt.Fprintf(e.stdout, "\n%d clients\n", n)
		return nil
	})
}
