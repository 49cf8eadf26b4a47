package reports

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"iter"
	"strconv"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/txn"
)

// Report is a client report of one account, checked and ready to stream. It is valid only
// inside the transaction it was opened in.
type Report struct {
	// Params are the parameters asked for, with the defaults set and the as-of date filled in.
	Params vetshare.ReportParams
	// Account is the account the report lists, Location its time zone.
	Account  vetshare.Account
	Location *time.Location
	// Bounds are the report's period and windows as instants.
	Bounds Bounds
	// Home says whether rows carry the client's home location: the account is, or was, in a
	// share group (R8.3, R2.10).
	Home bool

	tx      *vetshare.Tx
	account vetshare.AccountID            // the account checked at Open, whatever Account says later
	names   map[vetshare.AccountID]string // the owner's accounts, for home locations
}

// Open checks that actor may act in actor.Account and prepares the report p asks for over that
// account's own client entries. Days are read in the account's time zone; a zero as-of date is
// the transaction's day there. It returns [vetshare.ErrInvalid] for bad parameters and
// [vetshare.ErrNotPermitted] for an actor without an active membership in the account.
func Open(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, p vetshare.ReportParams) (*Report, error) {
	const op = "reports.Open"
	p = p.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, vetshare.Op(op, err)
	}
	acct, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	loc, err := time.LoadLocation(acct.TimeZone)
	if err != nil {
		return nil, vetshare.Op(op, vetshare.Invalid("TimeZone", "the account's time zone is unknown: "+acct.TimeZone))
	}
	if p.AsOf.IsZero() {
		p.AsOf = vetshare.DateOf(tx.Now().In(loc))
	}
	home, err := txn.D(tx).EverInGroup(ctx, acct.ID)
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	r := &Report{Params: p, Account: acct, Location: loc, Bounds: ReportBounds(p, loc), Home: home, tx: tx, account: acct.ID}
	if home {
		all, err := txn.D(tx).Accounts(ctx, acct.OwnerID)
		if err != nil {
			return nil, vetshare.Op(op, err)
		}
		r.names = make(map[vetshare.AccountID]string, len(all))
		for _, a := range all {
			r.names[a.ID] = a.Name
		}
	}
	return r, nil
}

// Each calls fn with each row of the report, in its order (see [Query]), reading them from
// the store one at a time. fn must not use the transaction while the rows are read (a store may
// hold its connection for the scan). Each stops at fn's first error and returns it, wrapped.
func (r *Report) Each(ctx context.Context, fn func(vetshare.ReportRow) error) error {
	kind := r.Params.Kind
	err := txn.D(r.tx).ReportEntries(ctx, Query(r.account, kind, r.Bounds), func(row vetshare.ReportRow) error {
		if !Includes(kind, r.Bounds, row) {
			return nil
		}
		if r.Home {
			row.HomeName = r.names[row.HomeAccount]
		} else {
			row.HomeAccount = ""
		}
		return fn(row)
	})
	return vetshare.Op("reports.Each", err)
}

// errStop ends a scan when the consumer of [Report.Rows] stops early.
var errStop = errors.New("stop")

// Rows returns the rows of the report as an iterator, read from the store as it advances, so a
// report of any size never sits in memory. A failure is yielded once, with a zero row, as the
// last pair. As with [Report.Each], the loop body must not use the transaction.
func (r *Report) Rows(ctx context.Context) iter.Seq2[vetshare.ReportRow, error] {
	return func(yield func(vetshare.ReportRow, error) bool) {
		err := r.Each(ctx, func(row vetshare.ReportRow) error {
			if !yield(row, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(vetshare.ReportRow{}, err)
		}
	}
}

// Columns returns the report's CSV header; see the package function [Columns].
func (r *Report) Columns() []string { return Columns(r.Params.Kind, r.Home) }

// AppendFields appends the CSV fields of row to dst, in the order of [Report.Columns], with
// times as days (2006-01-02) in the account's time zone and empty where unset.
func (r *Report) AppendFields(dst []string, row vetshare.ReportRow) []string {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(r.Location).Format(time.DateOnly)
	}
	dst = append(dst, strconv.FormatInt(row.Number, 10), row.LastName, row.FirstName, row.Email, row.Phone, row.Address,
		day(row.ClientSince))
	switch r.Params.Kind {
	case vetshare.ReportNewEngagedClients:
		dst = append(dst, day(row.LastPaid))
	case vetshare.ReportActiveClients, vetshare.ReportInactiveClients, vetshare.ReportLapsedClients:
		dst = append(dst, day(row.LastVisit))
	case vetshare.ReportActiveEngagedClients:
		dst = append(dst, day(row.LastVisit), day(row.LastPaid))
	}
	if r.Home {
		dst = append(dst, row.HomeName, string(row.HomeAccount))
	}
	return dst
}

// WriteCSV writes the report to w as CSV, a header line then one line per row, and returns the
// number of rows written. It streams: memory does not grow with the rows.
func (r *Report) WriteCSV(ctx context.Context, w io.Writer) (int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.Columns()); err != nil {
		return 0, vetshare.Op("reports.WriteCSV", err)
	}
	n := 0
	var fields []string
	err := r.Each(ctx, func(row vetshare.ReportRow) error {
		fields = r.AppendFields(fields[:0], row)
		n++
		return cw.Write(fields)
	})
	if err != nil {
		return n, vetshare.Op("reports.WriteCSV", err)
	}
	cw.Flush()
	return n, vetshare.Op("reports.WriteCSV", cw.Error())
}

// WriteCSV opens the report p asks for in actor.Account ([Open]) and writes it to w as CSV
// with a header ([Report.WriteCSV]), returning the number of rows written.
func WriteCSV(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, p vetshare.ReportParams, w io.Writer) (int, error) {
	r, err := Open(ctx, tx, actor, p)
	if err != nil {
		return 0, err
	}
	return r.WriteCSV(ctx, w)
}
