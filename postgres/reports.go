package postgres

import (
	"context"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// reportSelect reads the account's client entries in one pass with, per entry, the facts asked
// for by correlated subqueries that each stop at their first row; visits by the time given
// (R12.4). A CASE leaves a subquery unrun when its bound is NULL.
const reportSelect = `SELECT e.client_id, e.number, e.created_at, c.first_name, c.last_name, c.email, c.phone, c.address,
	c.home_account,
	CASE WHEN $5::bigint IS NOT NULL THEN (SELECT max((SELECT r.given_at FROM vetshare.records r
		WHERE r.owner_id = $1 AND r.patient_id = p.id AND r.account_id = $2 AND r.removed_at IS NULL AND r.given_at < $5
		ORDER BY r.given_at DESC LIMIT 1)) FROM vetshare.patients p WHERE p.owner_id = $1 AND p.client_id = e.client_id) END,
	CASE WHEN $5::bigint IS NOT NULL THEN (SELECT i.given_at FROM vetshare.invoices i
		WHERE i.owner_id = $1 AND i.account_id = $2 AND i.client_id = e.client_id AND i.status <> 'void' AND i.given_at < $5
		ORDER BY i.given_at DESC LIMIT 1) END,
	CASE WHEN $6::bigint IS NOT NULL THEN (SELECT i.paid_at FROM vetshare.invoices i
		WHERE i.owner_id = $1 AND i.account_id = $2 AND i.client_id = e.client_id AND i.status = 'paid' AND i.paid_at < $6
		ORDER BY i.paid_at DESC LIMIT 1) END
FROM vetshare.client_entries e JOIN vetshare.clients c ON c.owner_id = $1 AND c.id = e.client_id
WHERE e.owner_id = $1 AND e.account_id = $2 AND e.created_at >= $3 AND e.created_at < $4`

const (
	reportByNumber   = reportSelect + ` ORDER BY e.number`
	reportByCreation = reportSelect + ` ORDER BY e.created_at, e.number`
)

// ReportEntries implements [driver.Tx].
func (t *dtx) ReportEntries(ctx context.Context, q driver.ReportQuery, fn func(vetshare.ReportRow) error) error {
	o, err := t.acct(ctx, q.Account)
	if err != nil || o == "" {
		return err
	}
	from, before := int64(-1<<63), int64(1<<63-1)
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
	rows, err := t.tx.Query(ctx, query, o, q.Account, from, before, micros(q.VisitsBefore), micros(q.PaidBefore))
	if err != nil {
		return translate(ctx, err)
	}
	defer rows.Close()
	var (
		row                  vetshare.ReportRow
		created              int64
		visit, invoice, paid *int64
	)
	for rows.Next() {
		if err := rows.Scan(&row.ClientID, &row.Number, &created, &row.FirstName, &row.LastName, &row.Email, &row.Phone,
			&row.Address, &row.HomeAccount, &visit, &invoice, &paid); err != nil {
			return translate(ctx, err)
		}
		row.ClientSince = fromMicros(created)
		row.LastVisit, row.LastPaid = fromNull(visit), fromNull(paid)
		if invoice != nil && (visit == nil || *invoice > *visit) {
			row.LastVisit = fromNull(invoice)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return translate(ctx, rows.Err())
}
