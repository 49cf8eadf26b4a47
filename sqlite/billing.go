package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

const invoiceCols = `id, account_id, client_id, number, status, currency, total, paid, given_at, issued_at, paid_at, voided_at,
	created_by, note`

func scanInvoice(r *sql.Rows, inv *vetshare.Invoice) error {
	dest, done := invoiceDest(inv)
	err := r.Scan(dest...)
	done()
	return err
}

// invoiceDest returns the destinations of invoiceCols for inv, and done, which sets inv's
// times from them once they are scanned.
func invoiceDest(inv *vetshare.Invoice) (dest []any, done func()) {
	var given, issued int64
	var paidAt, voidedAt sql.NullInt64
	return []any{&inv.ID, &inv.AccountID, &inv.ClientID, &inv.Number, &inv.Status, &inv.Currency, &inv.Total, &inv.Paid,
			&given, &issued, &paidAt, &voidedAt, &inv.CreatedBy, &inv.Note}, func() {
			inv.GivenAt, inv.IssuedAt = time.UnixMicro(given).UTC(), time.UnixMicro(issued).UTC()
			inv.PaidAt, inv.VoidedAt = fromMicros(paidAt), fromMicros(voidedAt)
		}
}

func (t *dtx) InsertInvoice(ctx context.Context, inv *vetshare.Invoice) error {
	var n int64
	err := t.queryRow(ctx, nil, func(r *sql.Rows) error { return r.Scan(&n) },
		`SELECT coalesce(max(number), 0) + 1 FROM vetshare_invoices WHERE account_id = ?`, inv.AccountID)
	if err != nil {
		return err
	}
	given := inv.GivenAt
	if given.IsZero() {
		given = inv.IssuedAt
	}
	if _, err := t.exec(ctx, `INSERT INTO vetshare_invoices (`+invoiceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		inv.ID, inv.AccountID, inv.ClientID, n, string(inv.Status), inv.Currency, inv.Total, inv.Paid,
		micros(given), micros(inv.IssuedAt), micros(inv.PaidAt), micros(inv.VoidedAt), inv.CreatedBy, inv.Note); err != nil {
		return err
	}
	for i, l := range inv.Lines {
		if _, err := t.exec(ctx, `INSERT INTO vetshare_invoice_lines (invoice_id, line, description, quantity, unit_price, amount, record_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			inv.ID, i+1, l.Description, l.Quantity, l.UnitPrice, l.Amount, nullString(string(l.RecordID))); err != nil {
			return err
		}
	}
	inv.Number, inv.GivenAt = n, vetshare.Time(given)
	return nil
}

func (t *dtx) Invoice(ctx context.Context, id vetshare.InvoiceID) (vetshare.Invoice, error) {
	var inv vetshare.Invoice
	err := t.queryRow(ctx, vetshare.NotFound("invoice", id), func(r *sql.Rows) error { return scanInvoice(r, &inv) },
		`SELECT `+invoiceCols+` FROM vetshare_invoices WHERE id = ?`, id)
	return inv, err
}

// InvoiceFor implements [driver.Tx]: the invoice joined to the member's check (memberCheck).
func (t *dtx) InvoiceFor(ctx context.Context, id vetshare.InvoiceID, actor vetshare.Actor) (vetshare.Invoice, error) {
	var inv vetshare.Invoice
	dest, done := invoiceDest(&inv)
	err := t.memberRead(ctx, qInvoiceFor, actor.User, actor.Account, vetshare.NotFound("invoice", id), []any{id}, dest...)
	if err != nil {
		return vetshare.Invoice{}, err
	}
	done()
	if a := t.actorAccount; t.ownWrite() && a != nil && a.ID == inv.AccountID {
		t.paying = payingInvoice{inv: inv, owner: a.OwnerID}
	}
	return inv, nil
}

// payingInvoice is the invoice InvoiceFor read last, with its account's owner, kept until the
// transaction's next statement in a write transaction of the store's own (as lastSeq is): the
// payment that follows it, as RecordPayment's does, is then decided on it. The zero value
// keeps none.
type payingInvoice struct {
	inv   vetshare.Invoice
	owner vetshare.OwnerID
}

// takes reports whether the invoice as read can take p, as InsertPayment's guard decides.
func (pi payingInvoice) takes(p vetshare.Payment) bool {
	inv := pi.inv
	return inv.ID != "" && inv.ID == p.InvoiceID && inv.AccountID == p.AccountID && inv.ClientID == p.ClientID && inv.Currency == p.Currency &&
		inv.Status == vetshare.InvoiceOpen && inv.Total-inv.Paid >= p.Amount
}

// qInvoiceFor is InvoiceFor's read: ?3 the invoice. It does not read the audit chain's tip: a
// payment, the one operation that reads an invoice so, writes an audit entry only when it is
// taken at another account than the invoice's. Measured at 1M, three alternations: a
// payment's op/limit at p50 went from 1.15-1.19 to 1.08-1.15 without it.
var qInvoiceFor = func() memberStmt {
	q := memberCheck(", "+invoiceColsOfI, " JOIN vetshare_invoices i ON i.id = ?3")
	q.noTip = true
	return q
}()

var invoiceColsOfI = "i." + strings.ReplaceAll(strings.ReplaceAll(invoiceCols, "\n\t", " "), ", ", ", i.")

func (t *dtx) InvoiceLines(ctx context.Context, id vetshare.InvoiceID) ([]vetshare.InvoiceLine, error) {
	var out []vetshare.InvoiceLine
	err := t.each(ctx, func(r *sql.Rows) error {
		var l vetshare.InvoiceLine
		var rec sql.NullString
		err := r.Scan(&l.Description, &l.Quantity, &l.UnitPrice, &l.Amount, &rec)
		l.RecordID = vetshare.RecordID(rec.String)
		out = append(out, l)
		return err
	}, `SELECT description, quantity, unit_price, amount, record_id FROM vetshare_invoice_lines WHERE invoice_id = ? ORDER BY line`, id)
	return out, err
}

func (t *dtx) ClientInvoices(ctx context.Context, q driver.InvoiceQuery) ([]vetshare.Invoice, error) {
	var out []vetshare.Invoice
	scan := func(r *sql.Rows) error {
		var inv vetshare.Invoice
		err := scanInvoice(r, &inv)
		out = append(out, inv)
		return err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	if q.After == "" {
		return out, t.each(ctx, scan, qClientInvoices, q.Account, q.Client, string(q.Status), limit)
	}
	return out, t.each(ctx, scan, qClientInvoicesAfter, q.Account, q.Client, string(q.Status), limit, q.After)
}

// qClientInvoices and qClientInvoicesAfter are ClientInvoices' statements: ?1 the account, ?2
// the client, ?3 the status or "", ?4 the limit (-1 for none), ?5 the invoice the page starts
// after. One range of vetshare_invoices_client each, in number order (TestClientInvoicesPlan).
const (
	qClientInvoices = `SELECT ` + invoiceCols + ` FROM vetshare_invoices WHERE account_id = ?1 AND client_id = ?2
		AND (?3 = '' OR status = ?3) ORDER BY number LIMIT ?4`
	qClientInvoicesAfter = `SELECT ` + invoiceCols + ` FROM vetshare_invoices WHERE account_id = ?1 AND client_id = ?2
		AND (?3 = '' OR status = ?3)
		AND number > (SELECT number FROM vetshare_invoices WHERE id = ?5)
		ORDER BY number LIMIT ?4`
)

func (t *dtx) VoidInvoice(ctx context.Context, id vetshare.InvoiceID, at time.Time) error {
	// The trigger invoices_balance_void takes the invoice off its balance.
	res, err := t.exec(ctx, `UPDATE vetshare_invoices SET status = 'void', voided_at = ? WHERE id = ? AND status = 'open' AND paid = 0`,
		micros(at), id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	if _, err := t.Invoice(ctx, id); err != nil {
		return err
	}
	return &vetshare.ConflictError{Kind: "invoice", ID: string(id), Reason: "only an open invoice without payments can be voided"}
}

const paymentCols = `id, key, account_id, invoice_id, client_id, channel, amount, currency, taken_at, user_id, method,
	reference, given_at, created_at`

func scanPayment(r *sql.Rows, p *vetshare.Payment) error {
	var given, created int64
	err := r.Scan(&p.ID, &p.Key, &p.AccountID, &p.InvoiceID, &p.ClientID, &p.Channel, &p.Amount, &p.Currency, &p.TakenAt,
		&p.UserID, &p.Method, &p.Reference, &given, &created)
	p.GivenAt, p.CreatedAt = time.UnixMicro(given).UTC(), time.UnixMicro(created).UTC()
	return err
}

func (t *dtx) InsertPayment(ctx context.Context, p vetshare.Payment) error {
	// One guarded statement inserts the payment only where the invoice can take it, so that a
	// refusal (or a taken key) changes nothing; the trigger payments_apply applies it to the
	// invoice and the balance in the same statement. Right after InvoiceFor read the invoice
	// (paying), the guard is decided on that read and the payment is a plain INSERT: SQLite
	// runs an INSERT … SELECT into a table with a trigger through a temporary table.
	given := p.GivenAt
	if given.IsZero() {
		given = p.CreatedAt
	}
	args := append(make([]any, 0, 15), p.ID, p.Key, p.AccountID, p.InvoiceID, p.ClientID, string(p.Channel), p.Amount, p.Currency, p.TakenAt, p.UserID,
		p.Method, p.Reference, micros(p.CreatedAt), micros(given))
	var res sql.Result
	var err error
	if pi := t.paying; pi.takes(p) {
		res, err = t.exec(ctx, `INSERT INTO vetshare_payments (id, key, account_id, invoice_id, client_id, channel, amount,
			currency, taken_at, user_id, method, reference, created_at, given_at, owner_id)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)`, append(args, pi.owner)...)
	} else {
		res, err = t.exec(ctx, `INSERT INTO vetshare_payments (id, owner_id, key, account_id, invoice_id, client_id, channel, amount,
			currency, taken_at, user_id, method, reference, created_at, given_at)
			SELECT ?1, a.owner_id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14
			FROM vetshare_invoices i JOIN vetshare_accounts a ON a.id = i.account_id
			WHERE i.id = ?4 AND i.account_id = ?3 AND i.client_id = ?5 AND i.currency = ?8 AND i.status = 'open'
			AND i.total - i.paid >= ?7`, args...)
	}
	if err != nil {
		if ce, ok := err.(*vetshare.ConflictError); ok {
			ce.Kind, ce.ID, ce.Reason = "payment", p.Key, "this payment key is already taken"
		}
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return &vetshare.ConflictError{Kind: "invoice", ID: string(p.InvoiceID),
			Reason: "the invoice cannot take this payment: it is no longer open, or has less outstanding"}
	}
	return nil
}

func (t *dtx) PaymentByKey(ctx context.Context, account vetshare.AccountID, key string) (vetshare.Payment, error) {
	var p vetshare.Payment
	err := t.queryRow(ctx, &vetshare.NotFoundError{Kind: "payment key", ID: key}, func(r *sql.Rows) error { return scanPayment(r, &p) },
		`SELECT `+paymentCols+` FROM vetshare_payments WHERE owner_id = (SELECT owner_id FROM vetshare_accounts WHERE id = ?) AND key = ?`,
		account, key)
	return p, err
}

func (t *dtx) InvoicePayments(ctx context.Context, id vetshare.InvoiceID) ([]vetshare.Payment, error) {
	var out []vetshare.Payment
	err := t.each(ctx, func(r *sql.Rows) error {
		var p vetshare.Payment
		err := scanPayment(r, &p)
		out = append(out, p)
		return err
	}, `SELECT `+paymentCols+` FROM vetshare_payments WHERE invoice_id = ? ORDER BY created_at, id`, id)
	return out, err
}

func (t *dtx) ClientBalance(ctx context.Context, account vetshare.AccountID, client vetshare.ClientID) (vetshare.Balance, error) {
	b := vetshare.Balance{AccountID: account, ClientID: client}
	err := t.queryRow(ctx, vetshare.NotFound("client", client), func(r *sql.Rows) error {
		return r.Scan(&b.Outstanding.Currency, &b.Outstanding.Amount, &b.OpenInvoices)
	}, `SELECT a.currency, coalesce(b.outstanding, 0), coalesce(b.open_invoices, 0)
		FROM vetshare_client_entries e JOIN vetshare_accounts a ON a.id = e.account_id
		LEFT JOIN vetshare_balances b ON b.account_id = e.account_id AND b.client_id = e.client_id
		WHERE e.account_id = ? AND e.client_id = ?`, account, client)
	return b, err
}

func (t *dtx) ClientBalances(ctx context.Context, client vetshare.ClientID) ([]vetshare.LocationBalance, error) {
	var out []vetshare.LocationBalance
	err := t.each(ctx, func(r *sql.Rows) error {
		lb := vetshare.LocationBalance{Balance: vetshare.Balance{ClientID: client}}
		err := r.Scan(&lb.Ref.AccountID, &lb.Ref.AccountName, &lb.Ref.Number, &lb.Outstanding.Currency,
			&lb.Outstanding.Amount, &lb.OpenInvoices)
		lb.AccountID = lb.Ref.AccountID
		out = append(out, lb)
		return err
	}, `SELECT e.account_id, a.name, e.number, a.currency, coalesce(b.outstanding, 0), coalesce(b.open_invoices, 0)
		FROM vetshare_client_entries e JOIN vetshare_accounts a ON a.id = e.account_id
		LEFT JOIN vetshare_balances b ON b.account_id = e.account_id AND b.client_id = e.client_id
		WHERE e.client_id = ? ORDER BY a.name, e.account_id`, client)
	return out, err
}
