package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// The report queries read the account's client entries in one pass, by client number
// (client_entries_report) or by creation time (client_entries_created), with the client's
// profile by primary key and, per entry, the facts asked for by correlated subqueries that each
// stop at their first row: the last record per patient (records_report), the last invoice that
// is not void (invoices_report_visit) and the last invoice paid (invoices_report_paid), visits
// by the time given (R12.4). Every index is covering (migrations 0005 and 0007;
// TestReportQueryPlans holds the plans). A CASE leaves a
// subquery unrun when its bound is NULL.
const reportSelect = `SELECT e.client_id, e.number, e.created_at, c.first_name, c.last_name, c.email, c.phone, c.address,
	c.home_account,
	CASE WHEN ?4 IS NOT NULL THEN (SELECT max((SELECT r.given_at FROM vetshare_records r
		WHERE r.patient_id = p.id AND r.account_id = ?1 AND r.removed_at IS NULL AND r.given_at < ?4
		ORDER BY r.given_at DESC LIMIT 1)) FROM vetshare_patients p WHERE p.client_id = e.client_id) END,
	CASE WHEN ?4 IS NOT NULL THEN (SELECT i.given_at FROM vetshare_invoices i
		WHERE i.account_id = ?1 AND i.client_id = e.client_id AND i.status <> 'void' AND i.given_at < ?4
		ORDER BY i.given_at DESC LIMIT 1) END,
	CASE WHEN ?5 IS NOT NULL THEN (SELECT i.paid_at FROM vetshare_invoices i
		WHERE i.account_id = ?1 AND i.client_id = e.client_id AND i.status = 'paid' AND i.paid_at < ?5
		ORDER BY i.paid_at DESC LIMIT 1) END
FROM vetshare_client_entries e JOIN vetshare_clients c ON c.id = e.client_id`

// reportByNumber walks client_entries_report; the unary + keeps the planner off
// client_entries_created, which would sort every entry in a temporary b-tree before the first row.
const reportByNumber = reportSelect + `
WHERE e.account_id = ?1 AND +e.created_at >= ?2 AND +e.created_at < ?3
ORDER BY e.number`

const reportByCreation = reportSelect + `
WHERE e.account_id = ?1 AND e.created_at >= ?2 AND e.created_at < ?3
ORDER BY e.created_at, e.number`

// openBefore is the upper bound of an open range.
const openBefore = int64(1<<63 - 1)

func (t *dtx) ReportEntries(ctx context.Context, q driver.ReportQuery, fn func(vetshare.ReportRow) error) error {
	from, before := int64(-1<<63), openBefore
	if !q.CreatedFrom.IsZero() {
		from = vetshare.Time(q.CreatedFrom).UnixMicro()
	}
	if !q.CreatedBefore.IsZero() {
		before = vetshare.Time(q.CreatedBefore).UnixMicro()
	}
	query := reportByNumber
	if q.ByCreation {
		query = reportByCreation
	}
	rows, err := t.query(ctx, query, q.Account, from, before, micros(q.VisitsBefore), micros(q.PaidBefore))
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		row     vetshare.ReportRow
		created int64
		visit   sql.NullInt64
		invoice sql.NullInt64
		paid    sql.NullInt64
	)
	for rows.Next() {
		if err := rows.Scan(&row.ClientID, &row.Number, &created, &row.FirstName, &row.LastName, &row.Email, &row.Phone,
			&row.Address, &row.HomeAccount, &visit, &invoice, &paid); err != nil {
			return translate(err)
		}
		row.ClientSince = time.UnixMicro(created).UTC()
		row.LastVisit, row.LastPaid = fromMicros(visit), fromMicros(paid)
		if invoice.Valid && (!visit.Valid || invoice.Int64 > visit.Int64) {
			row.LastVisit = fromMicros(invoice)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}
