package driver

import (
	"context"
	"time"

	"github.com/vetshare/vetshare"
)

// InvoiceQuery selects a page of one client's invoices at one account, oldest first.
type InvoiceQuery struct {
	Account vetshare.AccountID
	Client  vetshare.ClientID
	// Status, when set, keeps the invoices with this status.
	Status vetshare.InvoiceStatus
	// After, when set, starts after this invoice (keyset paging, as returned last).
	After vetshare.InvoiceID
	Limit int
}

// BillingTx keeps invoices, payments and each client's balance per account (package billing).
// Nothing it keeps is shared across accounts (R3.4).
type BillingTx interface {
	// InsertInvoice stores inv with its lines (numbered in order from 1), gives it its
	// account's next invoice number (set in inv.Number), stores a zero inv.GivenAt, and sets
	// it, as inv.IssuedAt (R12.4), and adds its total to the client's
	// balance at inv.AccountID. It returns ErrConflict when the id is taken and ErrNotFound
	// when inv.AccountID has no entry for inv.ClientID or a line's record does not exist.
	InsertInvoice(ctx context.Context, inv *vetshare.Invoice) error
	// Invoice returns the invoice, without its lines, whatever account it belongs to:
	// ErrNotFound when there is none. It is not scoped: operations use it to decide, and show
	// an invoice only to its own account.
	Invoice(ctx context.Context, id vetshare.InvoiceID) (vetshare.Invoice, error)
	// InvoiceFor is Invoice, after a check of actor, in the same read where the store can, as
	// [DirectoryTx.ActorMembership] would: an error matching [vetshare.ErrNotPermitted] unless
	// actor.User is an active user with an active membership of actor.Account, whether or not
	// the invoice exists. After a check that passed, the transaction is as after
	// ActorMembership (the account read with it, for one).
	InvoiceFor(ctx context.Context, id vetshare.InvoiceID, actor vetshare.Actor) (vetshare.Invoice, error)
	// InvoiceLines returns the invoice's lines in order; none for an unknown invoice.
	InvoiceLines(ctx context.Context, id vetshare.InvoiceID) ([]vetshare.InvoiceLine, error)
	// ClientInvoices lists a page of the client's invoices at q.Account, without their
	// lines, by the time they were recorded (IssuedAt), then id.
	ClientInvoices(ctx context.Context, q InvoiceQuery) ([]vetshare.Invoice, error)
	// VoidInvoice marks the invoice void at at and takes it off its client's balance. It
	// returns ErrNotFound when there is no such invoice and a [*vetshare.ConflictError] when it is not
	// open or has payments; then nothing changes.
	VoidInvoice(ctx context.Context, id vetshare.InvoiceID, at time.Time) error
	// InsertPayment stores p and applies it to its invoice in one step: it adds p.Amount to
	// the invoice's Paid, marks the invoice paid when that pays it fully, at the latest
	// GivenAt of its payments (a zero p.GivenAt is stored as p.CreatedAt; R12.4), and
	// lowers the client's balance at the invoice's account. The invoice must be open, at
	// p.AccountID, for p.ClientID, in p.Currency, with at least p.Amount outstanding; otherwise
	// InsertPayment returns a [*vetshare.ConflictError] and changes nothing. It returns ErrConflict too
	// when the id is taken or the owner of p.AccountID already has a payment with p.Key.
	InsertPayment(ctx context.Context, p vetshare.Payment) error
	// PaymentByKey returns the payment recorded with the idempotency key among the payments of
	// the owner of account: ErrNotFound when there is none.
	PaymentByKey(ctx context.Context, account vetshare.AccountID, key string) (vetshare.Payment, error)
	// InvoicePayments returns the invoice's payments by the time they were recorded, then id.
	InvoicePayments(ctx context.Context, id vetshare.InvoiceID) ([]vetshare.Payment, error)
	// ClientBalance returns the client's balance at account, in the account's currency: zero
	// when it has no open invoice there, ErrNotFound when the account has no entry for the
	// client.
	ClientBalance(ctx context.Context, account vetshare.AccountID, client vetshare.ClientID) (vetshare.Balance, error)
	// ClientBalances returns the client's balance at every account that has an entry for it,
	// each with its reference, by account name. It is not scoped: operations use it to
	// build the cross-location view (R4.3).
	ClientBalances(ctx context.Context, client vetshare.ClientID) ([]vetshare.LocationBalance, error)
}
