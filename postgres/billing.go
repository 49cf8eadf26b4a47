package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

const invoiceCols = `id, account_id, client_id, number, status, currency, total, paid, given_at, issued_at, paid_at, voided_at,
	created_by, note`

func (t *dtx) invoices(ctx context.Context, query string, args ...any) ([]vetshare.Invoice, error) {
	var out []vetshare.Invoice
	err := t.each(ctx, func(r pgx.Rows) error {
		var inv vetshare.Invoice
		var given, issued int64
		var paidAt, voidedAt *int64
		err := r.Scan(&inv.ID, &inv.AccountID, &inv.ClientID, &inv.Number, &inv.Status, &inv.Currency, &inv.Total, &inv.Paid,
			&given, &issued, &paidAt, &voidedAt, &inv.CreatedBy, &inv.Note)
		inv.GivenAt, inv.IssuedAt = fromMicros(given), fromMicros(issued)
		inv.PaidAt, inv.VoidedAt = fromNull(paidAt), fromNull(voidedAt)
		out = append(out, inv)
		return err
	}, query, args...)
	return out, err
}

// InsertInvoice implements [driver.Tx]. The number comes from the account's invoice counter,
// taken in the statement that inserts the invoice.
func (t *dtx) InsertInvoice(ctx context.Context, inv *vetshare.Invoice) error {
	o, err := t.acct(ctx, inv.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", inv.AccountID))
	}
	given := inv.GivenAt
	if given.IsZero() {
		given = inv.IssuedAt
	}
	var n int64
	err = t.write(ctx, func() error {
		err := t.row(ctx, nil, []any{&n}, `WITH `+next+`
			INSERT INTO vetshare.invoices (owner_id, `+invoiceCols+`)
			SELECT $1, $4, $2, $5, next.value, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 FROM next RETURNING number`,
			o, inv.AccountID, "invoice", inv.ID, inv.ClientID, string(inv.Status), inv.Currency, inv.Total, inv.Paid,
			micros(given), micros(inv.IssuedAt), micros(inv.PaidAt), micros(inv.VoidedAt), inv.CreatedBy, inv.Note)
		if err != nil {
			return err
		}
		for i, l := range inv.Lines {
			if _, err := t.exec(ctx, `INSERT INTO vetshare.invoice_lines (owner_id, invoice_id, line, description, quantity, unit_price, amount, record_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				o, inv.ID, i+1, l.Description, l.Quantity, l.UnitPrice, l.Amount, nullString(string(l.RecordID))); err != nil {
				return err
			}
		}
		if inv.Status != vetshare.InvoiceOpen {
			return nil
		}
		// An open invoice adds what it asks for to its client's balance at its account.
		_, err = t.exec(ctx, `INSERT INTO vetshare.balances AS b (owner_id, account_id, client_id, outstanding, open_invoices)
			VALUES ($1, $2, $3, $4, 1)
			ON CONFLICT (owner_id, account_id, client_id) DO UPDATE
			SET outstanding = b.outstanding + excluded.outstanding, open_invoices = b.open_invoices + 1`,
			o, inv.AccountID, inv.ClientID, inv.Total-inv.Paid)
		return err
	})
	if err != nil {
		return err
	}
	inv.Number, inv.GivenAt = n, vetshare.Time(given)
	return nil
}

// InvoiceFor implements [driver.Tx]: ActorMembership, then Invoice; two statements, as the
// invoice's owner routes its read.
func (t *dtx) InvoiceFor(ctx context.Context, id vetshare.InvoiceID, actor vetshare.Actor) (vetshare.Invoice, error) {
	if err := t.checkMember(ctx, actor.User, actor.Account); err != nil {
		return vetshare.Invoice{}, err
	}
	return t.Invoice(ctx, id)
}

// Invoice implements [driver.Tx].
func (t *dtx) Invoice(ctx context.Context, id vetshare.InvoiceID) (vetshare.Invoice, error) {
	notFound := vetshare.NotFound("invoice", id)
	o, err := t.bare(ctx, "invoice", string(id))
	if err != nil || o == "" {
		return vetshare.Invoice{}, orNotFound(err, notFound)
	}
	is, err := t.invoices(ctx, `SELECT `+invoiceCols+` FROM vetshare.invoices WHERE owner_id = $1 AND id = $2`, o, id)
	if err != nil || len(is) == 0 {
		return vetshare.Invoice{}, orNotFound(err, notFound)
	}
	return is[0], nil
}

// InvoiceLines implements [driver.Tx].
func (t *dtx) InvoiceLines(ctx context.Context, id vetshare.InvoiceID) ([]vetshare.InvoiceLine, error) {
	o, err := t.bare(ctx, "invoice", string(id))
	if err != nil || o == "" {
		return nil, err
	}
	var out []vetshare.InvoiceLine
	err = t.each(ctx, func(r pgx.Rows) error {
		var l vetshare.InvoiceLine
		var rec *string
		err := r.Scan(&l.Description, &l.Quantity, &l.UnitPrice, &l.Amount, &rec)
		l.RecordID = vetshare.RecordID(deref(rec))
		out = append(out, l)
		return err
	}, `SELECT description, quantity, unit_price, amount, record_id FROM vetshare.invoice_lines WHERE owner_id = $1 AND invoice_id = $2 ORDER BY line`, o, id)
	return out, err
}

// ClientInvoices implements [driver.Tx].
func (t *dtx) ClientInvoices(ctx context.Context, q driver.InvoiceQuery) ([]vetshare.Invoice, error) {
	o, err := t.acct(ctx, q.Account)
	if err != nil || o == "" {
		return nil, err
	}
	return t.invoices(ctx, `SELECT `+invoiceCols+` FROM vetshare.invoices WHERE owner_id = $1 AND account_id = $2 AND client_id = $3
		AND ($4 = '' OR status = $4)
		AND ($5 = '' OR number > (SELECT x.number FROM vetshare.invoices x WHERE x.owner_id = $1 AND x.id = $5))
		ORDER BY number LIMIT $6`, o, q.Account, q.Client, string(q.Status), string(q.After), limitArg(q.Limit))
}

// VoidInvoice implements [driver.Tx].
func (t *dtx) VoidInvoice(ctx context.Context, id vetshare.InvoiceID, at time.Time) error {
	notFound := vetshare.NotFound("invoice", id)
	o, err := t.bare(ctx, "invoice", string(id))
	if err != nil || o == "" {
		return orNotFound(err, notFound)
	}
	errNotOpen := &vetshare.ConflictError{Kind: "invoice", ID: string(id), Reason: "only an open invoice without payments can be voided"}
	err = t.write(ctx, func() error {
		var account, client string
		var owed int64
		err := t.row(ctx, errNotOpen, []any{&account, &client, &owed},
			`UPDATE vetshare.invoices SET status = 'void', voided_at = $3 WHERE owner_id = $1 AND id = $2 AND status = 'open' AND paid = 0
			RETURNING account_id, client_id, total - paid`, o, id, micros(at))
		if err != nil {
			return err
		}
		// Voiding an open invoice takes what it still asked for off the balance.
		_, err = t.exec(ctx, `UPDATE vetshare.balances SET outstanding = outstanding - $4, open_invoices = open_invoices - 1
			WHERE owner_id = $1 AND account_id = $2 AND client_id = $3`, o, account, client, owed)
		return err
	})
	if errors.Is(err, errNotOpen) {
		if _, err := t.Invoice(ctx, id); err != nil {
			return err
		}
	}
	return err
}

const paymentCols = `id, key, account_id, invoice_id, client_id, channel, amount, currency, taken_at, user_id, method,
	reference, given_at, created_at`

func (t *dtx) payments(ctx context.Context, query string, args ...any) ([]vetshare.Payment, error) {
	var out []vetshare.Payment
	err := t.each(ctx, func(r pgx.Rows) error {
		var p vetshare.Payment
		var given, created int64
		err := r.Scan(&p.ID, &p.Key, &p.AccountID, &p.InvoiceID, &p.ClientID, &p.Channel, &p.Amount, &p.Currency, &p.TakenAt,
			&p.UserID, &p.Method, &p.Reference, &given, &created)
		p.GivenAt, p.CreatedAt = fromMicros(given), fromMicros(created)
		out = append(out, p)
		return err
	}, query, args...)
	return out, err
}

// InsertPayment implements [driver.Tx]. The invoice is updated first, under its guards, which
// locks it: concurrent payments of one invoice apply one after the other, each against what
// the other left.
func (t *dtx) InsertPayment(ctx context.Context, p vetshare.Payment) error {
	refused := &vetshare.ConflictError{Kind: "invoice", ID: string(p.InvoiceID),
		Reason: "the invoice cannot take this payment: it is no longer open, or has less outstanding"}
	o, err := t.acct(ctx, p.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, refused)
	}
	given := p.GivenAt
	if given.IsZero() {
		given = p.CreatedAt
	}
	return t.write(ctx, func() error {
		n, err := t.exec(ctx, `UPDATE vetshare.invoices SET paid = paid + $6
			WHERE owner_id = $1 AND id = $2 AND account_id = $3 AND client_id = $4 AND currency = $5 AND status = 'open' AND total - paid >= $6`,
			o, p.InvoiceID, p.AccountID, p.ClientID, p.Currency, p.Amount)
		if err != nil {
			return err
		}
		if n == 0 {
			return refused
		}
		_, err = t.exec(ctx, `INSERT INTO vetshare.payments (owner_id, id, key, account_id, invoice_id, client_id, channel, amount,
			currency, taken_at, user_id, method, reference, created_at, given_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			o, p.ID, p.Key, p.AccountID, p.InvoiceID, p.ClientID, string(p.Channel), p.Amount, p.Currency, p.TakenAt, p.UserID,
			p.Method, p.Reference, micros(p.CreatedAt), micros(given))
		if err != nil {
			var ce *vetshare.ConflictError
			if errors.As(err, &ce) {
				ce.Kind, ce.ID, ce.Reason = "payment", p.Key, "this payment key is already taken"
			}
			return err
		}
		// The invoice becomes paid at the latest time given of its payments.
		var paid bool
		if err := t.row(ctx, nil, []any{&paid}, `UPDATE vetshare.invoices SET status = 'paid',
			paid_at = (SELECT max(x.given_at) FROM vetshare.payments x WHERE x.owner_id = $1 AND x.invoice_id = $2)
			WHERE owner_id = $1 AND id = $2 AND paid = total RETURNING true`, o, p.InvoiceID); err != nil {
			return err
		}
		open := 0
		if paid {
			open = 1
		}
		_, err = t.exec(ctx, `UPDATE vetshare.balances SET outstanding = outstanding - $4, open_invoices = open_invoices - $5
			WHERE owner_id = $1 AND account_id = $2 AND client_id = $3`, o, p.AccountID, p.ClientID, p.Amount, open)
		return err
	})
}

// PaymentByKey implements [driver.Tx].
func (t *dtx) PaymentByKey(ctx context.Context, account vetshare.AccountID, key string) (vetshare.Payment, error) {
	notFound := &vetshare.NotFoundError{Kind: "payment key", ID: key}
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return vetshare.Payment{}, orNotFound(err, notFound)
	}
	ps, err := t.payments(ctx, `SELECT `+paymentCols+` FROM vetshare.payments WHERE owner_id = $1 AND key = $2`, o, key)
	if err != nil || len(ps) == 0 {
		return vetshare.Payment{}, orNotFound(err, notFound)
	}
	return ps[0], nil
}

// InvoicePayments implements [driver.Tx].
func (t *dtx) InvoicePayments(ctx context.Context, id vetshare.InvoiceID) ([]vetshare.Payment, error) {
	o, err := t.bare(ctx, "invoice", string(id))
	if err != nil || o == "" {
		return nil, err
	}
	return t.payments(ctx, `SELECT `+paymentCols+` FROM vetshare.payments WHERE owner_id = $1 AND invoice_id = $2 ORDER BY created_at, id`, o, id)
}

// ClientBalance implements [driver.Tx].
func (t *dtx) ClientBalance(ctx context.Context, account vetshare.AccountID, client vetshare.ClientID) (vetshare.Balance, error) {
	b := vetshare.Balance{AccountID: account, ClientID: client}
	notFound := vetshare.NotFound("client", client)
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return b, orNotFound(err, notFound)
	}
	err = t.row(ctx, notFound, []any{&b.Outstanding.Currency, &b.Outstanding.Amount, &b.OpenInvoices},
		`SELECT a.currency, coalesce(b.outstanding, 0), coalesce(b.open_invoices, 0)
		FROM vetshare.client_entries e JOIN vetshare.accounts a ON a.owner_id = $1 AND a.id = e.account_id
		LEFT JOIN vetshare.balances b ON b.owner_id = $1 AND b.account_id = e.account_id AND b.client_id = e.client_id
		WHERE e.owner_id = $1 AND e.account_id = $2 AND e.client_id = $3`, o, account, client)
	return b, err
}

// ClientBalances implements [driver.Tx].
func (t *dtx) ClientBalances(ctx context.Context, client vetshare.ClientID) ([]vetshare.LocationBalance, error) {
	o, err := t.bare(ctx, "client", string(client))
	if err != nil || o == "" {
		return nil, err
	}
	var out []vetshare.LocationBalance
	err = t.each(ctx, func(r pgx.Rows) error {
		lb := vetshare.LocationBalance{Balance: vetshare.Balance{ClientID: client}}
		err := r.Scan(&lb.Ref.AccountID, &lb.Ref.AccountName, &lb.Ref.Number, &lb.Outstanding.Currency,
			&lb.Outstanding.Amount, &lb.OpenInvoices)
		lb.AccountID = lb.Ref.AccountID
		out = append(out, lb)
		return err
	}, `SELECT e.account_id, a.name, e.number, a.currency, coalesce(b.outstanding, 0), coalesce(b.open_invoices, 0)
		FROM vetshare.client_entries e JOIN vetshare.accounts a ON a.owner_id = $1 AND a.id = e.account_id
		LEFT JOIN vetshare.balances b ON b.owner_id = $1 AND b.account_id = e.account_id AND b.client_id = e.client_id
		WHERE e.owner_id = $1 AND e.client_id = $2 ORDER BY a.name, e.account_id`, o, client)
	return out, err
}
