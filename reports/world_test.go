package reports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"path/filepath"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/reports"
	"github.com/vetshare/vetshare/sqlite"
)

// world is a small group on a real SQLite store: accounts A (Chicago) and B (Berlin) in one
// share group, C (Chicago) never in one, and a user who is a member of all three. Data is
// written with the store's Insert methods, so tests can date every row as they need.
type world struct {
	t       testing.TB
	store   *sqlite.Store
	clock   *vetshare.FixedClock
	owner   vetshare.OwnerID
	A, B, C vetshare.Account
	user    vetshare.UserID
}

var epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	clock := &vetshare.FixedClock{T: time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC)}
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vetshare.db"), sqlite.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	w := &world{t: t, store: s, clock: clock, owner: vetshare.NewID[vetshare.OwnerID](epoch), user: vetshare.NewID[vetshare.UserID](epoch)}
	account := func(name, zone string) vetshare.Account {
		return vetshare.Account{ID: vetshare.NewID[vetshare.AccountID](epoch), OwnerID: w.owner, Name: name,
			Email: "front@" + name + ".example", EmailVerified: true, TimeZone: zone, Currency: "USD", CreatedAt: epoch}
	}
	w.A, w.B, w.C = account("Northside", "America/Chicago"), account("Lakeside", "Europe/Berlin"), account("Solo", "America/Chicago")
	w.update(func(tx *vetshare.Tx) error {
		must(t, txn.D(tx).InsertOwner(ctx, vetshare.Owner{ID: w.owner, Name: "Paws Group", CreatedAt: epoch}))
		must(t, txn.D(tx).InsertUser(ctx, vetshare.User{ID: w.user, Name: "Dana", Email: "dana@paws.example", EmailVerified: true, Active: true, CreatedAt: epoch}))
		for _, a := range []vetshare.Account{w.A, w.B, w.C} {
			must(t, txn.D(tx).InsertAccount(ctx, a))
			must(t, txn.D(tx).PutMembership(ctx, vetshare.Membership{UserID: w.user, AccountID: a.ID, Role: vetshare.RoleAdmin, Permissions: vetshare.PermAll, Active: true}))
		}
		g := vetshare.ShareGroup{ID: vetshare.NewID[vetshare.GroupID](epoch), OwnerID: w.owner, Mode: vetshare.ModeManual, CreatedAt: epoch}
		must(t, txn.D(tx).InsertGroup(ctx, g))
		must(t, txn.D(tx).JoinGroup(ctx, vetshare.GroupMember{GroupID: g.ID, AccountID: w.A.ID, JoinedAt: epoch}))
		must(t, txn.D(tx).JoinGroup(ctx, vetshare.GroupMember{GroupID: g.ID, AccountID: w.B.ID, JoinedAt: epoch}))
		return nil
	})
	return w
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (w *world) update(fn func(tx *vetshare.Tx) error) {
	w.t.Helper()
	must(w.t, w.store.Update(context.Background(), fn))
}

// client creates a client at acct, its entry there created at since, and one patient.
func (w *world) client(acct vetshare.Account, first, last string, since time.Time) vetshare.ClientID {
	w.t.Helper()
	ctx := context.Background()
	id := vetshare.NewID[vetshare.ClientID](since)
	w.update(func(tx *vetshare.Tx) error {
		must(w.t, txn.D(tx).InsertClient(ctx, vetshare.Client{ID: id, OwnerID: w.owner, FirstName: first, LastName: last,
			Email: first + "@mail.example", Phone: "555-0100", Address: "1 Main St", OriginAccount: acct.ID,
			HomeAccount: acct.ID, CreatedAt: since, UpdatedAt: since, Version: 1}))
		must(w.t, txn.D(tx).InsertClientEntry(ctx, &vetshare.ClientEntry{AccountID: acct.ID, ClientID: id, Via: vetshare.ViaCreated, CreatedAt: since}))
		return txn.D(tx).InsertPatient(ctx, vetshare.Patient{ID: vetshare.PatientID(id), ClientID: id, Name: first + "'s dog",
			Species: "dog", OriginAccount: acct.ID, CreatedBy: w.user, CreatedAt: since})
	})
	return id
}

// share gives acct an entry for the client, created at at.
func (w *world) share(acct vetshare.Account, c vetshare.ClientID, at time.Time) {
	w.t.Helper()
	w.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).InsertClientEntry(context.Background(), &vetshare.ClientEntry{AccountID: acct.ID, ClientID: c, Via: vetshare.ViaManual, CreatedAt: at})
	})
}

// patient adds another patient to the client.
func (w *world) patient(c vetshare.ClientID, name string, at time.Time) vetshare.PatientID {
	w.t.Helper()
	id := vetshare.NewID[vetshare.PatientID](at)
	w.update(func(tx *vetshare.Tx) error {
		cl, err := txn.D(tx).ClientEntries(context.Background(), c)
		must(w.t, err)
		return txn.D(tx).InsertPatient(context.Background(), vetshare.Patient{ID: id, ClientID: c, Name: name, Species: "cat",
			OriginAccount: cl[0].AccountID, CreatedBy: w.user, CreatedAt: at})
	})
	return id
}

// visit adds a record at acct for the client's first patient (or p, when given) at at.
func (w *world) visit(acct vetshare.Account, c vetshare.ClientID, at time.Time, p ...vetshare.PatientID) vetshare.RecordID {
	w.t.Helper()
	pid := vetshare.PatientID(c)
	if len(p) > 0 {
		pid = p[0]
	}
	id := vetshare.NewID[vetshare.RecordID](at)
	w.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).InsertRecord(context.Background(), &vetshare.Record{ID: id, PatientID: pid, AccountID: acct.ID, UserID: w.user,
			Kind: vetshare.RecordNote, Text: "exam", CreatedAt: at})
	})
	return id
}

func (w *world) remove(acct vetshare.Account, r vetshare.RecordID) {
	w.t.Helper()
	w.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).RemoveRecord(context.Background(), r, vetshare.Removal{At: w.clock.Now(), UserID: w.user, AccountID: acct.ID, Reason: "wrong patient"})
	})
}

func (w *world) setHome(c vetshare.ClientID, acct vetshare.Account) {
	w.t.Helper()
	ctx := context.Background()
	w.update(func(tx *vetshare.Tx) error {
		cl, err := txn.D(tx).Client(ctx, acct.ID, c)
		must(w.t, err)
		cl.HomeAccount = acct.ID
		return txn.D(tx).UpdateClient(ctx, cl)
	})
}

func (w *world) actor(acct vetshare.Account) vetshare.Actor {
	return vetshare.Actor{User: w.user, Account: acct.ID}
}

// rows runs the report in a read transaction and returns its rows.
func (w *world) rows(acct vetshare.Account, p vetshare.ReportParams) ([]vetshare.ReportRow, error) {
	w.t.Helper()
	var out []vetshare.ReportRow
	err := w.store.View(context.Background(), func(tx *vetshare.Tx) error {
		r, err := reports.Open(context.Background(), tx, w.actor(acct), p)
		if err != nil {
			return err
		}
		for row, err := range r.Rows(context.Background()) {
			if err != nil {
				return err
			}
			out = append(out, row)
		}
		return nil
	})
	return out, err
}

// numbers runs the report and returns the client numbers it lists.
func (w *world) numbers(acct vetshare.Account, p vetshare.ReportParams) []int64 {
	w.t.Helper()
	rows, err := w.rows(acct, p)
	must(w.t, err)
	out := []int64{}
	for _, r := range rows {
		out = append(out, r.Number)
	}
	return out
}

// csv runs the report as CSV and returns its records.
func (w *world) csv(acct vetshare.Account, p vetshare.ReportParams) [][]string {
	w.t.Helper()
	var buf bytes.Buffer
	must(w.t, w.store.View(context.Background(), func(tx *vetshare.Tx) error {
		_, err := reports.WriteCSV(context.Background(), tx, w.actor(acct), p, &buf)
		return err
	}))
	recs, err := csv.NewReader(&buf).ReadAll()
	must(w.t, err)
	return recs
}

// number returns the client's number at acct.
func (w *world) number(acct vetshare.Account, c vetshare.ClientID) int64 {
	w.t.Helper()
	var n int64
	must(w.t, w.store.View(context.Background(), func(tx *vetshare.Tx) error {
		e, err := txn.D(tx).ClientEntry(context.Background(), acct.ID, c)
		n = e.Number
		return err
	}))
	return n
}

// loc returns the account's time zone.
func (w *world) loc(acct vetshare.Account) *time.Location { return mustLoad(w.t, acct.TimeZone) }

// invoice issues an invoice of acct for the client at at, for 100 minor units.
func (w *world) invoice(acct vetshare.Account, c vetshare.ClientID, at time.Time) vetshare.InvoiceID {
	w.t.Helper()
	inv := vetshare.Invoice{ID: vetshare.NewID[vetshare.InvoiceID](at), AccountID: acct.ID, ClientID: c, Status: vetshare.InvoiceOpen,
		Currency: acct.Currency, Total: 100, Note: "exam", CreatedBy: w.user, IssuedAt: at,
		Lines: []vetshare.InvoiceLine{{Description: "exam", Quantity: 1, UnitPrice: 100, Amount: 100}}}
	w.update(func(tx *vetshare.Tx) error { return txn.D(tx).InsertInvoice(context.Background(), &inv) })
	return inv.ID
}

// pay pays the invoice in full at at, at the counter of its account.
func (w *world) pay(acct vetshare.Account, c vetshare.ClientID, inv vetshare.InvoiceID, at time.Time) {
	w.t.Helper()
	w.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).InsertPayment(context.Background(), vetshare.Payment{ID: vetshare.NewID[vetshare.PaymentID](at), Key: string(inv),
			AccountID: acct.ID, InvoiceID: inv, ClientID: c, Channel: vetshare.ChannelCounter, Amount: 100, Currency: acct.Currency,
			TakenAt: acct.ID, UserID: w.user, Method: "card", CreatedAt: at})
	})
}

func (w *world) void(inv vetshare.InvoiceID, at time.Time) {
	w.t.Helper()
	w.update(func(tx *vetshare.Tx) error { return txn.D(tx).VoidInvoice(context.Background(), inv, at) })
}
