package vetshare

import "time"

// MaxAmount is the largest amount of money, in minor units, that one invoice line, one invoice
// or one payment may carry: 10^15 (ten trillion dollars in cents). Keeping amounts this far
// below the int64 limit lets a balance add thousands of invoices without overflowing.
const MaxAmount int64 = 1_000_000_000_000_000

// Money is an amount in integer minor units (cents for "USD") of a currency (R4.6). There is
// no floating point anywhere in billing.
type Money struct {
	Amount int64
	// Currency is an ISO 4217 code of three capital letters, such as "USD": the currency of
	// the account the money belongs to.
	Currency string
}

// InvoiceStatus is where an invoice stands.
type InvoiceStatus string

// The invoice statuses.
const (
	InvoiceOpen InvoiceStatus = "open" // something is outstanding
	InvoicePaid InvoiceStatus = "paid" // fully paid; PaidAt says when
	InvoiceVoid InvoiceStatus = "void" // cancelled before any payment; asks for nothing
)

// Invoice is a bill of one account to its client entry (R4.1). It is never shared: only its
// account sees it.
type Invoice struct {
	ID        InvoiceID
	AccountID AccountID // the account that issued it, where its payments are booked
	ClientID  ClientID  // the client, who has an entry in AccountID
	// Number is the invoice number in its account: 1, 2, 3, ...
	Number   int64
	Status   InvoiceStatus
	Currency string // the account's currency when it was issued
	// Total is the sum of the lines' amounts, in minor units of Currency.
	Total int64
	// Paid is the sum of the payments applied to it; it never exceeds Total (R4.6).
	Paid      int64
	Lines     []InvoiceLine
	Note      string
	CreatedBy UserID
	// GivenAt is when the invoice was issued at the clinic, as the host gives it (late
	// charting, an import of history); IssuedAt is when vetshare recorded it (R12.4). Left
	// zero when the invoice is created, it is the transaction's time. Reports count a visit by
	// GivenAt (R8.2).
	GivenAt  time.Time
	IssuedAt time.Time
	// PaidAt is when it became fully paid: the latest time given of its payments (R12.4);
	// zero until then.
	PaidAt   time.Time
	VoidedAt time.Time // when it was voided; zero unless void
}

// Outstanding returns what the invoice still asks for: Total - Paid while it is open, 0 once
// it is paid or void.
func (inv Invoice) Outstanding() int64 {
	if inv.Status != InvoiceOpen {
		return 0
	}
	return inv.Total - inv.Paid
}

// InvoiceLine is one line of an invoice. Amount is Quantity × UnitPrice, in minor units of the
// invoice's currency.
type InvoiceLine struct {
	Description string
	Quantity    int64
	UnitPrice   int64
	Amount      int64
	// RecordID optionally names the usage record (a [Record] of kind usage, added at the
	// invoice's account for a patient of the invoice's client) this line bills. The line keeps
	// its own description and amount whatever becomes of the record.
	RecordID RecordID
}

// Channel is how a payment reached the clinic.
type Channel string

// The payment channels.
const (
	// ChannelCounter is a payment taken at a clinic's counter: it pays only that clinic's
	// invoices (R4.4).
	ChannelCounter Channel = "counter"
	// ChannelApp is a payment the client makes in the client-facing app ("Pet Care app"): it
	// pays an invoice of any account sharing the client, booked at the invoice's account (R4.5).
	ChannelApp Channel = "app"
)

// Valid reports whether c is one of the channels.
func (c Channel) Valid() bool { return c == ChannelCounter || c == ChannelApp }

// Payment is money received against one invoice, booked at the invoice's account.
type Payment struct {
	ID PaymentID
	// Key is the caller's idempotency key, unique within the owner: recording a payment again
	// with the same key records nothing new.
	Key       string
	AccountID AccountID // booked at: always the invoice's account
	InvoiceID InvoiceID
	ClientID  ClientID
	Channel   Channel
	Amount    int64  // positive, minor units of Currency
	Currency  string // the invoice's currency
	// TakenAt is the account the payment was taken from: the actor's account. It equals
	// AccountID at the counter; through the app it may be another account sharing the client.
	TakenAt   AccountID
	UserID    UserID
	Method    string // how it was paid, as the host names it: "card", "cash", ...
	Reference string // the host's or processor's reference, free text
	// GivenAt is when the client paid, as the host gives it; CreatedAt is when vetshare
	// recorded it (R12.4). Left zero when it is recorded, it is the transaction's time.
	GivenAt   time.Time
	CreatedAt time.Time
}

// Balance is a client's balance at one account (R4.2): what the client's open invoices there
// still ask for. There is no balance combined across accounts.
type Balance struct {
	AccountID    AccountID
	ClientID     ClientID
	Outstanding  Money
	OpenInvoices int64
}

// ClientRef is how a host links to a client in another account: the account and that
// account's client number (R2.5, R4.3).
type ClientRef struct {
	AccountID   AccountID
	AccountName string
	Number      int64
}

// LocationBalance is a client's balance at one account that shares the client, with the
// reference a host renders as a link to it (R4.3). It is for reading only.
type LocationBalance struct {
	Ref ClientRef
	Balance
}
