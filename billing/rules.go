package billing

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
)

// Limits on input.
const (
	MaxLines       = 500       // lines on one invoice
	MaxQuantity    = 1_000_000 // units on one line
	MaxDescription = 500       // bytes of a line's description
	MaxNote        = 4000      // bytes of an invoice's note
	MaxKey         = 200       // bytes of an idempotency key
	MaxReference   = 200       // bytes of a payment's method or reference
	maxBalanceLeft = 1<<63 - 1 // what an int64 balance can hold
)

// CounterError is the refusal of R4.4: a payment taken at the counter of one account was
// applied to an invoice of another. It names both accounts and matches
// [vetshare.ErrNotPermitted].
type CounterError struct {
	Invoice            vetshare.InvoiceID
	Counter            vetshare.AccountID // where the payment was taken
	InvoiceAccount     vetshare.AccountID // the account the invoice belongs to
	CounterName        string             // the names of the two accounts, where known
	InvoiceAccountName string
}

func (e *CounterError) Error() string {
	if e.CounterName == "" || e.InvoiceAccountName == "" {
		return "a payment taken at this counter cannot pay another clinic's invoice: take it at that clinic's counter or through the app"
	}
	return fmt.Sprintf("a payment taken at the counter of %s cannot pay an invoice of %s: take it at %s's counter or through the app",
		e.CounterName, e.InvoiceAccountName, e.InvoiceAccountName)
}

// Unwrap returns [vetshare.ErrNotPermitted].
func (e *CounterError) Unwrap() error { return vetshare.ErrNotPermitted }

// CurrencyError says that an amount is in another currency than the one it must be in (R4.6).
// It matches [vetshare.ErrInvalid].
type CurrencyError struct {
	Field string // the input: "Currency", "Amount.Currency"
	Want  string // the account's or the invoice's currency
	Got   string
}

func (e *CurrencyError) Error() string {
	return fmt.Sprintf("the amount is in %s, but the money here is in %s", e.Got, e.Want)
}

// Unwrap returns [vetshare.ErrInvalid].
func (e *CurrencyError) Unwrap() error { return vetshare.ErrInvalid }

// StatusError refuses something an invoice's status does not allow: paying an invoice that is
// paid or void, voiding one that is not open. It matches [vetshare.ErrInvalid].
type StatusError struct {
	Invoice vetshare.InvoiceID
	Status  vetshare.InvoiceStatus
	Action  string // "pay", "void"
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("cannot %s the invoice: it is %s", e.Action, e.Status)
}

// Unwrap returns [vetshare.ErrInvalid].
func (e *StatusError) Unwrap() error { return vetshare.ErrInvalid }

// OverpaymentError refuses a payment larger than what its invoice has outstanding (R4.6). It
// matches [vetshare.ErrInvalid].
type OverpaymentError struct {
	Invoice     vetshare.InvoiceID
	Amount      vetshare.Money
	Outstanding vetshare.Money
}

func (e *OverpaymentError) Error() string {
	return fmt.Sprintf("a payment of %s exceeds the %s outstanding on the invoice",
		Format(e.Amount), Format(e.Outstanding))
}

// Unwrap returns [vetshare.ErrInvalid].
func (e *OverpaymentError) Unwrap() error { return vetshare.ErrInvalid }

// Format returns m as "USD 12.34", assuming two decimal places, for messages; hosts format
// money themselves.
func Format(m vetshare.Money) string {
	sign, n := "", m.Amount
	if n < 0 {
		sign = "-"
	}
	u := uint64(n)
	if n < 0 {
		u = uint64(-(n + 1)) + 1
	}
	cents := strconv.FormatUint(u%100, 10)
	if len(cents) == 1 {
		cents = "0" + cents
	}
	return m.Currency + " " + sign + strconv.FormatUint(u/100, 10) + "." + cents
}

// CheckCurrency returns an [*vetshare.InvalidError] for field unless code has the form of an
// ISO 4217 code: three capital ASCII letters.
func CheckCurrency(field, code string) error {
	if len(code) != 3 {
		return vetshare.Invalid(field, "a currency is three capital letters, such as USD")
	}
	for i := 0; i < 3; i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return vetshare.Invalid(field, "a currency is three capital letters, such as USD")
		}
	}
	return nil
}

// CheckAmount returns an [*vetshare.InvalidError] for field unless 0 < n <= [vetshare.MaxAmount]
// (R4.6, R11.1): an amount is positive and fits.
func CheckAmount(field string, n int64) error {
	switch {
	case n <= 0:
		return vetshare.Invalid(field, "must be positive")
	case n > vetshare.MaxAmount:
		return vetshare.Invalid(field, "exceeds the largest amount, "+strconv.FormatInt(vetshare.MaxAmount, 10)+" minor units")
	}
	return nil
}

// PriceLines checks an invoice's lines and returns them with each Amount set to Quantity ×
// UnitPrice, and their total. There must be 1 to [MaxLines] lines, each with a description, a
// quantity from 1 to [MaxQuantity] and a unit price from 0 to [vetshare.MaxAmount]; an Amount
// already set must equal the product; each amount and the total must fit in
// [vetshare.MaxAmount], and the total must be positive. It returns an [*vetshare.InvalidError]
// naming the first bad line otherwise. Record ids are checked for form only.
func PriceLines(lines []vetshare.InvoiceLine) ([]vetshare.InvoiceLine, int64, error) {
	if len(lines) == 0 {
		return nil, 0, vetshare.Invalid("Lines", "an invoice needs at least one line")
	}
	if len(lines) > MaxLines {
		return nil, 0, vetshare.Invalid("Lines", "more than "+strconv.Itoa(MaxLines)+" lines")
	}
	out := make([]vetshare.InvoiceLine, len(lines))
	var total int64
	for i, l := range lines {
		f := "Lines[" + strconv.Itoa(i) + "]."
		if err := accounts.CheckText(f+"Description", l.Description, MaxDescription, true); err != nil {
			return nil, 0, err
		}
		if l.Quantity <= 0 || l.Quantity > MaxQuantity {
			return nil, 0, vetshare.Invalid(f+"Quantity", "must be from 1 to "+strconv.Itoa(MaxQuantity))
		}
		if l.UnitPrice < 0 || l.UnitPrice > vetshare.MaxAmount {
			return nil, 0, vetshare.Invalid(f+"UnitPrice", "must be from 0 to "+strconv.FormatInt(vetshare.MaxAmount, 10))
		}
		// Both factors are bounded (10^6 × 10^15 < 2^63), so the product cannot overflow.
		amount := l.Quantity * l.UnitPrice
		if amount > vetshare.MaxAmount {
			return nil, 0, vetshare.Invalid(f+"Amount", "the line's amount exceeds the largest amount")
		}
		if l.Amount != 0 && l.Amount != amount {
			return nil, 0, vetshare.Invalid(f+"Amount", "must be Quantity × UnitPrice, "+strconv.FormatInt(amount, 10))
		}
		if l.RecordID != "" && !vetshare.ValidID(l.RecordID) {
			return nil, 0, vetshare.Invalid(f+"RecordID", "malformed id")
		}
		total += amount // at most 500 × 10^15: no overflow
		l.Description, l.Amount = strings.TrimSpace(l.Description), amount
		out[i] = l
	}
	if total > vetshare.MaxAmount {
		return nil, 0, vetshare.Invalid("Lines", "the invoice's total exceeds the largest amount")
	}
	if total == 0 {
		return nil, 0, vetshare.Invalid("Lines", "the invoice's total must be positive")
	}
	return out, total, nil
}

// CheckPayment applies the payment rules to a payment of amount taken at account takenAt
// through channel, for invoice inv, whose client the caller has established is shared with
// takenAt:
//
//   - R4.4: at the counter, inv must belong to takenAt, or it is a [*CounterError];
//   - R4.5: through the app, inv may belong to any account (it is booked there);
//   - R4.6: amount must be in the invoice's currency ([*CurrencyError]) and positive and no
//     more than it has outstanding ([*OverpaymentError]);
//   - only an open invoice can be paid ([*StatusError]).
func CheckPayment(inv vetshare.Invoice, takenAt vetshare.AccountID, channel vetshare.Channel, amount vetshare.Money) error {
	if !channel.Valid() {
		return vetshare.Invalid("Channel", "must be counter or app")
	}
	if err := CheckAmount("Amount.Amount", amount.Amount); err != nil {
		return err
	}
	if channel == vetshare.ChannelCounter && inv.AccountID != takenAt {
		return &CounterError{Invoice: inv.ID, Counter: takenAt, InvoiceAccount: inv.AccountID}
	}
	if amount.Currency != inv.Currency {
		return &CurrencyError{Field: "Amount.Currency", Want: inv.Currency, Got: amount.Currency}
	}
	if inv.Status != vetshare.InvoiceOpen {
		return &StatusError{Invoice: inv.ID, Status: inv.Status, Action: "pay"}
	}
	if out := inv.Outstanding(); amount.Amount > out {
		return &OverpaymentError{Invoice: inv.ID, Amount: amount,
			Outstanding: vetshare.Money{Amount: out, Currency: inv.Currency}}
	}
	return nil
}

// SamePayment reports whether req, taken at takenAt, is a retry of the recorded payment p:
// the same invoice, amount, currency, channel and account taken at. Method and reference are
// not compared.
func SamePayment(p vetshare.Payment, req PaymentRequest, takenAt vetshare.AccountID) bool {
	return p.InvoiceID == req.Invoice && p.Amount == req.Amount.Amount && p.Currency == req.Amount.Currency &&
		p.Channel == req.Channel && p.TakenAt == takenAt
}

// Apply returns inv after a payment of amount at now, assuming [CheckPayment] allowed it: Paid
// grows by amount and, when that pays it in full, the invoice is paid at now.
func Apply(inv vetshare.Invoice, amount int64, now time.Time) vetshare.Invoice {
	inv.Paid += amount
	if inv.Paid == inv.Total {
		inv.Status, inv.PaidAt = vetshare.InvoicePaid, now
	}
	return inv
}

// CanVoid returns a [*StatusError] unless inv is open with nothing paid: a payment is never
// undone by voiding its invoice.
func CanVoid(inv vetshare.Invoice) error {
	if inv.Status != vetshare.InvoiceOpen || inv.Paid != 0 {
		st := inv.Status
		if st == vetshare.InvoiceOpen {
			st = "partly paid"
		}
		return &StatusError{Invoice: inv.ID, Status: st, Action: "void"}
	}
	return nil
}

// CanAdd reports whether adding n to a balance of outstanding keeps it within an int64.
func CanAdd(outstanding, n int64) bool { return n <= maxBalanceLeft-outstanding }
