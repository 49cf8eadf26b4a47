package billing_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
)

const (
	acctA = vetshare.AccountID("0A000000000000000000000000")
	acctB = vetshare.AccountID("0B000000000000000000000000")
	inv1  = vetshare.InvoiceID("01000000000000000000000000")
)

// R4.6: money is integer minor units; every amount is checked to be positive and to fit.
func TestR4_6_PriceLines(t *testing.T) {
	line := func(q, p int64) vetshare.InvoiceLine {
		return vetshare.InvoiceLine{Description: " Rabies vaccine ", Quantity: q, UnitPrice: p}
	}
	for _, tc := range []struct {
		name  string
		lines []vetshare.InvoiceLine
		want  []vetshare.InvoiceLine
		total int64
		field string // the InvalidError's field when refused
	}{
		{name: "OK", lines: []vetshare.InvoiceLine{line(2, 1250), line(1, 0)},
			want: []vetshare.InvoiceLine{
				{Description: "Rabies vaccine", Quantity: 2, UnitPrice: 1250, Amount: 2500},
				{Description: "Rabies vaccine", Quantity: 1, UnitPrice: 0, Amount: 0}},
			total: 2500},
		{name: "AmountGivenMatches", lines: []vetshare.InvoiceLine{{Description: "x", Quantity: 3, UnitPrice: 5, Amount: 15}},
			want: []vetshare.InvoiceLine{{Description: "x", Quantity: 3, UnitPrice: 5, Amount: 15}}, total: 15},
		{name: "ErrNoLines", field: "Lines"},
		{name: "ErrTooManyLines", lines: make([]vetshare.InvoiceLine, billing.MaxLines+1), field: "Lines"},
		{name: "ErrDescription", lines: []vetshare.InvoiceLine{{Description: "  ", Quantity: 1, UnitPrice: 1}}, field: "Lines[0].Description"},
		{name: "ErrDescriptionUTF8", lines: []vetshare.InvoiceLine{{Description: "\xff", Quantity: 1, UnitPrice: 1}}, field: "Lines[0].Description"},
		{name: "ErrZeroQuantity", lines: []vetshare.InvoiceLine{line(0, 1)}, field: "Lines[0].Quantity"},
		{name: "ErrNegativeQuantity", lines: []vetshare.InvoiceLine{line(-1, 1)}, field: "Lines[0].Quantity"},
		{name: "ErrNegativePrice", lines: []vetshare.InvoiceLine{line(1, 1), line(1, -5)}, field: "Lines[1].UnitPrice"},
		{name: "ErrPriceTooLarge", lines: []vetshare.InvoiceLine{line(1, math.MaxInt64)}, field: "Lines[0].UnitPrice"},
		{name: "ErrLineOverflow", lines: []vetshare.InvoiceLine{line(billing.MaxQuantity, vetshare.MaxAmount)}, field: "Lines[0].Amount"},
		{name: "ErrTotalTooLarge", lines: []vetshare.InvoiceLine{line(1, vetshare.MaxAmount), line(1, 1)}, field: "Lines"},
		{name: "ErrZeroTotal", lines: []vetshare.InvoiceLine{line(1, 0)}, field: "Lines"},
		{name: "ErrAmountDiffers", lines: []vetshare.InvoiceLine{{Description: "x", Quantity: 3, UnitPrice: 5, Amount: 16}}, field: "Lines[0].Amount"},
		{name: "ErrRecordID", lines: []vetshare.InvoiceLine{{Description: "x", Quantity: 1, UnitPrice: 5, RecordID: "nope\x00"}}, field: "Lines[0].RecordID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := billing.PriceLines(tc.lines)
			if tc.field != "" {
				var ie *vetshare.InvalidError
				if !errors.As(err, &ie) || ie.Field != tc.field {
					t.Fatalf("err = %v, want an InvalidError for %s", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if total != tc.total {
				t.Errorf("total = %d, want %d", total, tc.total)
			}
		})
	}
}

// R4.4, R4.5, R4.6: the payment rules on plain values.
func TestR4_4_R4_5_R4_6_CheckPayment(t *testing.T) {
	open := vetshare.Invoice{ID: inv1, AccountID: acctA, Status: vetshare.InvoiceOpen, Currency: "USD", Total: 1000, Paid: 400}
	paid := open
	paid.Status, paid.Paid = vetshare.InvoicePaid, 1000
	void := open
	void.Status, void.Paid = vetshare.InvoiceVoid, 0
	for _, tc := range []struct {
		name    string
		inv     vetshare.Invoice
		takenAt vetshare.AccountID
		channel vetshare.Channel
		amount  vetshare.Money
		want    error // matched with errors.Is, or compared when a typed value
	}{
		{"R4_4_CounterOwnInvoice", open, acctA, vetshare.ChannelCounter, usd(600), nil},
		{"R4_4_CounterOtherAccount", open, acctB, vetshare.ChannelCounter, usd(100),
			&billing.CounterError{Invoice: inv1, Counter: acctB, InvoiceAccount: acctA}},
		{"R4_5_AppOtherAccount", open, acctB, vetshare.ChannelApp, usd(100), nil},
		{"R4_5_AppOwnAccount", open, acctA, vetshare.ChannelApp, usd(1), nil},
		{"R4_6_Overpayment", open, acctA, vetshare.ChannelCounter, usd(601),
			&billing.OverpaymentError{Invoice: inv1, Amount: usd(601), Outstanding: usd(600)}},
		{"R4_6_Currency", open, acctA, vetshare.ChannelCounter, vetshare.Money{Amount: 100, Currency: "EUR"},
			&billing.CurrencyError{Field: "Amount.Currency", Want: "USD", Got: "EUR"}},
		{"R4_6_Zero", open, acctA, vetshare.ChannelCounter, usd(0), vetshare.ErrInvalid},
		{"R4_6_Negative", open, acctA, vetshare.ChannelApp, usd(-100), vetshare.ErrInvalid},
		{"R4_6_TooLarge", open, acctA, vetshare.ChannelApp, usd(math.MaxInt64), vetshare.ErrInvalid},
		{"Paid", paid, acctA, vetshare.ChannelCounter, usd(1),
			&billing.StatusError{Invoice: inv1, Status: vetshare.InvoicePaid, Action: "pay"}},
		{"Void", void, acctB, vetshare.ChannelApp, usd(1),
			&billing.StatusError{Invoice: inv1, Status: vetshare.InvoiceVoid, Action: "pay"}},
		{"Channel", open, acctA, "phone", usd(1), vetshare.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := billing.CheckPayment(tc.inv, tc.takenAt, tc.channel, tc.amount)
			switch want := tc.want.(type) {
			case nil:
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
			case *billing.CounterError, *billing.OverpaymentError, *billing.CurrencyError, *billing.StatusError:
				if diff := cmp.Diff(want, err); diff != "" {
					t.Fatalf("err (-want +got):\n%s", diff)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("err = %v, want %v", err, want)
				}
			}
		})
	}
}

// R4.4, R12.7: the refusal names both accounts by name in its message, carries their ids as
// fields, and matches ErrNotPermitted.
func TestR4_4_CounterErrorNamesBothAccounts(t *testing.T) {
	err := error(&billing.CounterError{Invoice: inv1, Counter: acctB, InvoiceAccount: acctA, CounterName: "South", InvoiceAccountName: "North"})
	if !errors.Is(err, vetshare.ErrNotPermitted) {
		t.Errorf("errors.Is(%v, ErrNotPermitted) = false", err)
	}
	msg := err.Error()
	for _, s := range []string{"North", "South"} {
		if !strings.Contains(msg, s) {
			t.Errorf("message %q does not name %s", msg, s)
		}
	}
	for _, s := range []string{string(acctA), string(acctB), string(inv1)} {
		if strings.Contains(msg, s) {
			t.Errorf("message %q holds the id %s", msg, s)
		}
	}
}

func TestSamePayment(t *testing.T) {
	p := vetshare.Payment{InvoiceID: inv1, Amount: 500, Currency: "USD", Channel: vetshare.ChannelApp, TakenAt: acctB, Method: "card"}
	req := billing.PaymentRequest{Key: "k", Invoice: inv1, Amount: usd(500), Channel: vetshare.ChannelApp, Method: "cash"}
	if !billing.SamePayment(p, req, acctB) {
		t.Error("a retry with another method is not the same payment")
	}
	for name, mod := range map[string]func(*billing.PaymentRequest, *vetshare.AccountID){
		"Invoice":  func(r *billing.PaymentRequest, _ *vetshare.AccountID) { r.Invoice = "02000000000000000000000000" },
		"Amount":   func(r *billing.PaymentRequest, _ *vetshare.AccountID) { r.Amount.Amount++ },
		"Currency": func(r *billing.PaymentRequest, _ *vetshare.AccountID) { r.Amount.Currency = "EUR" },
		"Channel":  func(r *billing.PaymentRequest, _ *vetshare.AccountID) { r.Channel = vetshare.ChannelCounter },
		"TakenAt":  func(_ *billing.PaymentRequest, a *vetshare.AccountID) { *a = acctA },
	} {
		r, at := req, acctB
		mod(&r, &at)
		if billing.SamePayment(p, r, at) {
			t.Errorf("a request with another %s is the same payment", name)
		}
	}
}

func TestApplyAndCanVoid(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	inv := vetshare.Invoice{ID: inv1, Status: vetshare.InvoiceOpen, Total: 1000}
	if err := billing.CanVoid(inv); err != nil {
		t.Errorf("CanVoid(open, unpaid) = %v", err)
	}
	part := billing.Apply(inv, 400, now)
	if diff := cmp.Diff(vetshare.Invoice{ID: inv1, Status: vetshare.InvoiceOpen, Total: 1000, Paid: 400}, part); diff != "" {
		t.Errorf("partly paid (-want +got):\n%s", diff)
	}
	if err := billing.CanVoid(part); !errors.Is(err, vetshare.ErrInvalid) {
		t.Errorf("CanVoid(partly paid) = %v, want ErrInvalid", err)
	}
	full := billing.Apply(part, 600, now)
	if diff := cmp.Diff(vetshare.Invoice{ID: inv1, Status: vetshare.InvoicePaid, Total: 1000, Paid: 1000, PaidAt: now}, full); diff != "" {
		t.Errorf("paid (-want +got):\n%s", diff)
	}
	if full.Outstanding() != 0 || part.Outstanding() != 600 {
		t.Errorf("Outstanding = %d, %d, want 0, 600", full.Outstanding(), part.Outstanding())
	}
	if !billing.CanAdd(math.MaxInt64-5, 5) || billing.CanAdd(math.MaxInt64-5, 6) {
		t.Error("CanAdd does not stop at the int64 limit")
	}
}

func TestFormat(t *testing.T) {
	for m, want := range map[vetshare.Money]string{
		usd(0): "USD 0.00", usd(5): "USD 0.05", usd(123456): "USD 1234.56", usd(-250): "USD -2.50",
		usd(math.MinInt64): "USD -92233720368547758.08",
	} {
		if got := billing.Format(m); got != want {
			t.Errorf("Format(%v) = %q, want %q", m, got, want)
		}
	}
}
