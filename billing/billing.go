package billing

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/member"
	"github.com/vetshare/vetshare/internal/txn"
)

// CreateInvoice issues an invoice of the actor's account to its client entry for inv.ClientID
// (R4.1), with inv.Lines priced by [PriceLines] and an optional Note. inv.AccountID, when set,
// must be the actor's account; inv.Currency, when set, must be the account's currency (R4.6);
// inv.GivenAt is when the invoice was issued at the clinic, zero for the transaction's time
// (R12.4: more than [vetshare.MaxGivenAhead] after it, or a time no store keeps, is
// [vetshare.ErrInvalid]); the id, number, status, totals and the other times are set here. A line's RecordID, when set, must name
// a usage recorded at this account for a patient of the client, not removed.
//
// It returns [vetshare.ErrNotFound] when the client is not shared with the account (R3.3),
// [vetshare.ErrNotPermitted] for another account, and [vetshare.ErrInvalid] (with a
// [*CurrencyError] for a currency mismatch) for bad input, changing nothing.
func CreateInvoice(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, inv vetshare.Invoice) (vetshare.Invoice, error) {
	const op = "billing.CreateInvoice"
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	if inv.AccountID != "" && inv.AccountID != actor.Account {
		return vetshare.Invoice{}, vetshare.Op(op, &vetshare.NotPermittedError{
			Reason:  "an invoice belongs to the clinic that creates it: create it while logged into that clinic",
			User:    actor.User,
			Account: inv.AccountID,
		})
	}
	if !vetshare.ValidID(inv.ClientID) {
		return vetshare.Invoice{}, vetshare.Op(op, vetshare.Invalid("ClientID", "malformed id"))
	}
	if err := accounts.CheckText("Note", inv.Note, MaxNote, false); err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	lines, total, err := PriceLines(inv.Lines)
	if err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	given, err := vetshare.GivenTime("GivenAt", inv.GivenAt, tx.Now())
	if err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	acct, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	if inv.Currency != "" && inv.Currency != acct.Currency {
		return vetshare.Invoice{}, vetshare.Op(op, &CurrencyError{Field: "Currency", Want: acct.Currency, Got: inv.Currency})
	}
	bal, err := txn.D(tx).ClientBalance(ctx, actor.Account, inv.ClientID)
	if err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	if !CanAdd(bal.Outstanding.Amount, total) {
		return vetshare.Invoice{}, vetshare.Op(op, vetshare.Invalid("Lines", "the client's balance would not fit"))
	}
	for i, l := range lines {
		if l.RecordID == "" {
			continue
		}
		if err := checkUsage(ctx, tx, actor.Account, inv.ClientID, "Lines["+strconv.Itoa(i)+"].RecordID", l.RecordID); err != nil {
			return vetshare.Invoice{}, vetshare.Op(op, err)
		}
	}
	now := tx.Now()
	inv = vetshare.Invoice{
		ID: vetshare.NewID[vetshare.InvoiceID](now), AccountID: actor.Account, ClientID: inv.ClientID,
		Status: vetshare.InvoiceOpen, Currency: acct.Currency, Total: total, Lines: lines,
		Note: strings.TrimSpace(inv.Note), CreatedBy: actor.User, GivenAt: given, IssuedAt: now,
	}
	if err := txn.D(tx).InsertInvoice(ctx, &inv); err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	return inv, nil
}

// checkUsage returns an error unless id is a usage recorded at account, not removed, for a
// patient of client.
func checkUsage(ctx context.Context, tx *vetshare.Tx, account vetshare.AccountID, client vetshare.ClientID, field string, id vetshare.RecordID) error {
	r, err := txn.D(tx).Record(ctx, account, id)
	if err != nil {
		return err
	}
	switch {
	case r.Kind != vetshare.RecordUsage:
		return vetshare.Invalid(field, "the record is a "+string(r.Kind)+", not a usage")
	case r.AccountID != account:
		return vetshare.Invalid(field, "the usage was recorded at another clinic: bill it there")
	case r.Removed != nil:
		return vetshare.Invalid(field, "the usage was removed")
	}
	p, err := txn.D(tx).Patient(ctx, account, r.PatientID)
	if err != nil {
		return err
	}
	if p.ClientID != client {
		return vetshare.Invalid(field, "the usage is for a patient of another client")
	}
	return nil
}

// Invoice returns an invoice of the actor's account with its lines. An invoice of any other
// account answers [vetshare.ErrNotFound], as one that does not exist (R3.4).
func Invoice(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.InvoiceID) (vetshare.Invoice, error) {
	const op = "billing.Invoice"
	inv, err := ownInvoice(ctx, tx, actor, id)
	if err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	if inv.Lines, err = txn.D(tx).InvoiceLines(ctx, id); err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	return inv, nil
}

// ownInvoice checks the actor and returns the invoice when it belongs to the actor's account.
func ownInvoice(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.InvoiceID) (vetshare.Invoice, error) {
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Invoice{}, err
	}
	if !vetshare.ValidID(id) {
		return vetshare.Invoice{}, vetshare.Invalid("Invoice", "malformed id")
	}
	inv, err := txn.D(tx).Invoice(ctx, id)
	if err != nil {
		return vetshare.Invoice{}, err
	}
	if inv.AccountID != actor.Account {
		return vetshare.Invoice{}, vetshare.NotFound("invoice", id)
	}
	return inv, nil
}

// Invoices lists the client's invoices at the actor's account in the order they were issued
// (by invoice number), without their lines; those with status only when status is set. It pages with
// [vetshare.Page]: next is the cursor of the next page, empty after the last. It returns
// [vetshare.ErrNotFound] when the client is not shared with the account, and
// [vetshare.ErrInvalid] for an unknown status, a bad limit or a cursor of another list.
func Invoices(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, client vetshare.ClientID, status vetshare.InvoiceStatus, page vetshare.Page) (rows []vetshare.Invoice, next vetshare.Cursor, err error) {
	const op = "billing.Invoices"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	after, err := cursor.Read(op, page.After, 1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	switch {
	case !vetshare.ValidID(client):
		return nil, "", vetshare.Op(op, vetshare.Invalid("client", "malformed id"))
	case status != "" && status != vetshare.InvoiceOpen && status != vetshare.InvoicePaid && status != vetshare.InvoiceVoid:
		return nil, "", vetshare.Op(op, vetshare.Invalid("status", "must be open, paid or void"))
	}
	if _, err := txn.D(tx).ClientEntry(ctx, actor.Account, client); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	q := driver.InvoiceQuery{Account: actor.Account, Client: client, Status: status, Limit: limit + 1}
	if after != nil {
		q.After = vetshare.InvoiceID(after[0])
	}
	rows, err = txn.D(tx).ClientInvoices(ctx, q)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	rows, next = cursor.Trim(op, rows, limit, func(inv vetshare.Invoice) []string { return []string{string(inv.ID)} })
	return rows, next, nil
}

// VoidInvoice cancels an open invoice of the actor's account that has no payment: it no longer
// asks for anything. It returns a [*StatusError] for an invoice that is paid, partly paid or
// void already, and [vetshare.ErrNotFound] for an invoice of another account.
func VoidInvoice(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.InvoiceID) (vetshare.Invoice, error) {
	const op = "billing.VoidInvoice"
	inv, err := ownInvoice(ctx, tx, actor, id)
	if err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	if err := CanVoid(inv); err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	if err := txn.D(tx).VoidInvoice(ctx, id, tx.Now()); err != nil {
		return vetshare.Invoice{}, vetshare.Op(op, err)
	}
	inv.Status, inv.VoidedAt = vetshare.InvoiceVoid, tx.Now()
	return inv, nil
}

// PaymentRequest is a payment to record.
type PaymentRequest struct {
	// Key is the caller's idempotency key, unique within the owner (a random UUID per payment
	// attempt, say): a retry with the same key records nothing twice.
	Key     string
	Invoice vetshare.InvoiceID
	// Amount is what is paid, in the invoice's currency.
	Amount  vetshare.Money
	Channel vetshare.Channel
	// Method and Reference are the host's, kept as given: "card", "cash", a processor's id.
	Method    string
	Reference string
	// GivenAt is when the client paid, zero for the transaction's time (R12.4).
	GivenAt time.Time
}

// RecordPayment records a payment taken at the actor's account through req.Channel and applies
// it to req.Invoice, booked at the invoice's account:
//
//   - at the counter, only an invoice of the actor's account can be paid (R4.4); another
//     account's invoice is refused with a [*CounterError] naming both accounts;
//   - through the app, an invoice of any account that shares the client with the actor's
//     account can be paid (R4.5), and the payment is written to the audit log as a
//     cross-account write when that is another account (R10.1);
//   - the amount must be positive, in the invoice's currency and no more than is outstanding
//     (R4.6); only an open invoice can be paid;
//   - req.GivenAt more than [vetshare.MaxGivenAhead] after the transaction's time, or a time
//     no store keeps, is refused with [vetshare.ErrInvalid] (R12.4). An invoice is paid at the
//     latest time given of its payments.
//
// Recording is idempotent: when the owner already has a payment with req.Key that
// [SamePayment] finds equal to req, RecordPayment returns it and records nothing; when the key
// holds a different payment it returns a [*vetshare.ConflictError]. An invoice whose client is
// not shared with the actor's account answers [vetshare.ErrNotFound] (R3.3). Nothing changes
// on error.
func RecordPayment(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, req PaymentRequest) (vetshare.Payment, error) {
	const op = "billing.RecordPayment"
	defer txn.Begin(tx)()
	if err := accounts.CheckActor(actor); err != nil {
		return vetshare.Payment{}, vetshare.Op(op, err)
	}
	// The store checks the actor in the read of the invoice. A bad request is refused after a
	// refused actor, as every operation refuses.
	if err := checkRequest(req); err != nil {
		return vetshare.Payment{}, vetshare.Op(op, member.First(ctx, tx, actor, err))
	}
	inv, err := txn.D(tx).InvoiceFor(ctx, req.Invoice, actor)
	if err != nil {
		return vetshare.Payment{}, vetshare.Op(op, member.Refusal(ctx, tx, actor, err))
	}
	if inv.AccountID != actor.Account {
		// Another account's invoice is reachable only where the client is shared (R3.3).
		if _, err := txn.D(tx).ClientEntry(ctx, actor.Account, inv.ClientID); errors.Is(err, vetshare.ErrNotFound) {
			return vetshare.Payment{}, vetshare.Op(op, vetshare.NotFound("invoice", req.Invoice))
		} else if err != nil {
			return vetshare.Payment{}, vetshare.Op(op, err) // the store failed: not a refusal (R11.2)
		}
	}
	if err := CheckPayment(inv, actor.Account, req.Channel, req.Amount); err != nil {
		// A retry may no longer pass the rules: the payment it repeats may have paid the invoice.
		if prev, ok, kerr := retried(ctx, tx, actor, req); kerr != nil || ok {
			return prev, vetshare.Op(op, kerr)
		}
		return vetshare.Payment{}, vetshare.Op(op, nameCounter(ctx, tx, err))
	}
	now := tx.Now()
	given, err := vetshare.GivenTime("GivenAt", req.GivenAt, now)
	if err != nil {
		return vetshare.Payment{}, vetshare.Op(op, err)
	}
	p := vetshare.Payment{
		ID: vetshare.NewID[vetshare.PaymentID](now), Key: req.Key, AccountID: inv.AccountID, InvoiceID: inv.ID,
		ClientID: inv.ClientID, Channel: req.Channel, Amount: req.Amount.Amount, Currency: inv.Currency,
		TakenAt: actor.Account, UserID: actor.User, Method: strings.TrimSpace(req.Method),
		Reference: strings.TrimSpace(req.Reference), GivenAt: given, CreatedAt: now,
	}
	// The key is checked by the insert itself, which changes nothing when the key is taken:
	// a first attempt, the common case, reads nothing more.
	if err := txn.D(tx).InsertPayment(ctx, p); err != nil {
		var ce *vetshare.ConflictError
		if errors.As(err, &ce) && ce.Kind == "payment" {
			if prev, ok, kerr := retried(ctx, tx, actor, req); kerr != nil || ok {
				return prev, vetshare.Op(op, kerr)
			}
		}
		return vetshare.Payment{}, vetshare.Op(op, err)
	}
	if p.AccountID != p.TakenAt {
		if err := auditCrossAccount(ctx, tx, actor, p); err != nil {
			return vetshare.Payment{}, vetshare.Op(op, err)
		}
	}
	return p, nil
}

// retried returns the payment recorded with req.Key when req repeats it (ok), a
// [*vetshare.ConflictError] when the key holds a different payment, and nothing when the key is
// free.
func retried(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, req PaymentRequest) (prev vetshare.Payment, ok bool, err error) {
	prev, err = txn.D(tx).PaymentByKey(ctx, actor.Account, req.Key)
	switch {
	case errors.Is(err, vetshare.ErrNotFound):
		return vetshare.Payment{}, false, nil
	case err != nil:
		return vetshare.Payment{}, false, err
	case !SamePayment(prev, req, actor.Account):
		return vetshare.Payment{}, false, &vetshare.ConflictError{Kind: "payment key", ID: req.Key,
			Reason: "this payment key was already used for a different payment"}
	}
	return prev, true, nil
}

func checkRequest(req PaymentRequest) error {
	if err := accounts.CheckText("Key", req.Key, MaxKey, true); err != nil {
		return err
	}
	if !vetshare.ValidID(req.Invoice) {
		return vetshare.Invalid("Invoice", "malformed id")
	}
	if !req.Channel.Valid() {
		return vetshare.Invalid("Channel", "must be counter or app")
	}
	if err := CheckAmount("Amount.Amount", req.Amount.Amount); err != nil {
		return err
	}
	if err := CheckCurrency("Amount.Currency", req.Amount.Currency); err != nil {
		return err
	}
	if err := accounts.CheckText("Method", req.Method, MaxReference, false); err != nil {
		return err
	}
	return accounts.CheckText("Reference", req.Reference, MaxReference, false)
}

// auditCrossAccount writes an app payment booked at another account than the one it was taken
// at to the audit log (R10.1).
func auditCrossAccount(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, p vetshare.Payment) error {
	acct, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return err
	}
	return auditlog.Write(ctx, tx, acct.OwnerID, actor, "billing.payment", "invoice:"+string(p.InvoiceID), "ok", struct {
		Payment  vetshare.PaymentID `json:"payment"`
		BookedAt vetshare.AccountID `json:"booked_at"`
		Client   vetshare.ClientID  `json:"client"`
		Channel  vetshare.Channel   `json:"channel"`
		Amount   int64              `json:"amount"`
		Currency string             `json:"currency"`
	}{p.ID, p.AccountID, p.ClientID, p.Channel, p.Amount, p.Currency})
}

// Payments lists the payments of an invoice of the actor's account, oldest first (by the time
// recorded, then id). It pages with [vetshare.Page]: next is the cursor of the next page, empty
// after the last. An invoice has few payments, each paying part of its total, so each page is
// cut from all of them. [vetshare.ErrNotFound] for an invoice of another account;
// [vetshare.ErrInvalid] for a bad limit or a cursor of another list.
func Payments(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.InvoiceID, page vetshare.Page) (rows []vetshare.Payment, next vetshare.Cursor, err error) {
	const op = "billing.Payments"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	after, err := cursor.Read(op, page.After, 2)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if _, err := ownInvoice(ctx, tx, actor, id); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	rows, err = txn.D(tx).InvoicePayments(ctx, id)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	key := func(p vetshare.Payment) []string { return []string{cursor.Time(p.CreatedAt), string(p.ID)} }
	rows, next = cursor.Cut(op, rows, after, limit, key)
	return rows, next, nil
}

// Balance returns the client's balance at the actor's account (R4.2): what its open invoices
// there still ask for, in the account's currency. No function returns a balance combined
// across accounts. It returns [vetshare.ErrNotFound] when the client is not shared with the
// account.
func Balance(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, client vetshare.ClientID) (vetshare.Balance, error) {
	const op = "billing.Balance"
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Balance{}, vetshare.Op(op, err)
	}
	if !vetshare.ValidID(client) {
		return vetshare.Balance{}, vetshare.Op(op, vetshare.Invalid("client", "malformed id"))
	}
	b, err := txn.D(tx).ClientBalance(ctx, actor.Account, client)
	return b, vetshare.Op(op, err)
}

// LocationBalances is the cross-location balance view (R4.3): from the actor's account, which
// must share the client, the client's balance at each other account that shares it, each in
// that account's currency and with the reference (account, its client number) a host renders as
// a link, by account name. The view is read-only and adds nothing up. It returns
// [vetshare.ErrNotFound] when the client is not shared with the actor's account.
func LocationBalances(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, client vetshare.ClientID) ([]vetshare.LocationBalance, error) {
	const op = "billing.LocationBalances"
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, vetshare.Op(op, err)
	}
	if !vetshare.ValidID(client) {
		return nil, vetshare.Op(op, vetshare.Invalid("client", "malformed id"))
	}
	all, err := txn.D(tx).ClientBalances(ctx, client)
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	out := make([]vetshare.LocationBalance, 0, len(all))
	shared := false
	for _, b := range all {
		if b.AccountID == actor.Account {
			shared = true
			continue
		}
		out = append(out, b)
	}
	if !shared {
		return nil, vetshare.Op(op, vetshare.NotFound("client", client))
	}
	return out, nil
}

// nameCounter sets the names of the accounts of a [*CounterError] (R12.7); it reads them only on
// this refusal.
func nameCounter(ctx context.Context, tx *vetshare.Tx, err error) error {
	var ce *CounterError
	if !errors.As(err, &ce) {
		return err
	}
	if a, aerr := txn.D(tx).Account(ctx, ce.Counter); aerr == nil {
		ce.CounterName = a.Name
	}
	if a, aerr := txn.D(tx).Account(ctx, ce.InvoiceAccount); aerr == nil {
		ce.InvoiceAccountName = a.Name
	}
	return err
}
