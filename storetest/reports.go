package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() { Register("Reports", testReports) }

// testReports checks the contract of [driver.ReportsTx.ReportEntries].
func testReports(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 2)
	a, b := w.accounts[0].ID, w.accounts[1].ID
	day := 24 * time.Hour
	at := func(d int) time.Time { return t0.Add(time.Duration(d) * day) }

	// Four clients of account a, entries created on days 0..3 (c[3] is also at b, home b);
	// one client of b only. The facts of c[1] and c[3] are what the checks read.
	var c [4]vetshare.ClientID
	var only vetshare.ClientID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		mk := func(acct vetshare.AccountID, name string, created time.Time) (vetshare.ClientID, error) {
			id := vetshare.NewID[vetshare.ClientID](created)
			cl := vetshare.Client{ID: id, OwnerID: w.owner.ID, FirstName: name, LastName: "L" + name, Email: name + "@x.example",
				Phone: "555", Address: "1 Road", OriginAccount: acct, HomeAccount: acct, CreatedAt: created, UpdatedAt: created, Version: 1}
			if err := txn.D(tx).InsertClient(ctx, cl); err != nil {
				return "", err
			}
			e := vetshare.ClientEntry{AccountID: acct, ClientID: id, Via: vetshare.ViaCreated, CreatedAt: created}
			if err := txn.D(tx).InsertClientEntry(ctx, &e); err != nil {
				return "", err
			}
			for _, pet := range []string{"p1", "p2"} {
				if err := txn.D(tx).InsertPatient(ctx, vetshare.Patient{ID: vetshare.NewID[vetshare.PatientID](created), ClientID: id, Name: pet,
					Species: "dog", OriginAccount: acct, CreatedBy: w.user.ID, CreatedAt: created}); err != nil {
					return "", err
				}
			}
			return id, nil
		}
		var err error
		for i := range c {
			if c[i], err = mk(a, string(rune('a'+i)), at(i)); err != nil {
				return err
			}
		}
		if only, err = mk(b, "b", at(0)); err != nil {
			return err
		}
		e := vetshare.ClientEntry{AccountID: b, ClientID: c[3], Via: vetshare.ViaManual, CreatedAt: at(5)}
		if err := txn.D(tx).InsertClientEntry(ctx, &e); err != nil {
			return err
		}
		cl, err := txn.D(tx).Client(ctx, b, c[3])
		if err != nil {
			return err
		}
		cl.HomeAccount = b
		if err := txn.D(tx).UpdateClient(ctx, cl); err != nil {
			return err
		}
		pets := func(id vetshare.ClientID) []vetshare.Patient {
			ps, _ := txn.D(tx).Patients(ctx, a, id)
			return ps
		}
		rec := func(acct vetshare.AccountID, p vetshare.PatientID, when time.Time) (vetshare.RecordID, error) {
			id := vetshare.NewID[vetshare.RecordID](when)
			return id, txn.D(tx).InsertRecord(ctx, &vetshare.Record{ID: id, PatientID: p, AccountID: acct, UserID: w.user.ID,
				Kind: vetshare.RecordNote, Text: "n", CreatedAt: when})
		}
		inv := func(acct vetshare.AccountID, client vetshare.ClientID, issued time.Time) (vetshare.InvoiceID, error) {
			i := vetshare.Invoice{ID: vetshare.NewID[vetshare.InvoiceID](issued), AccountID: acct, ClientID: client,
				Status: vetshare.InvoiceOpen, Currency: "USD", Total: 10, CreatedBy: w.user.ID, IssuedAt: issued,
				Lines: []vetshare.InvoiceLine{{Description: "x", Quantity: 1, UnitPrice: 10, Amount: 10}}}
			return i.ID, txn.D(tx).InsertInvoice(ctx, &i)
		}
		pay := func(acct vetshare.AccountID, client vetshare.ClientID, i vetshare.InvoiceID, when time.Time) error {
			return txn.D(tx).InsertPayment(ctx, vetshare.Payment{ID: vetshare.NewID[vetshare.PaymentID](when), Key: string(i), AccountID: acct,
				InvoiceID: i, ClientID: client, Channel: vetshare.ChannelCounter, Amount: 10, Currency: "USD", TakenAt: acct,
				UserID: w.user.ID, Method: "cash", CreatedAt: when})
		}
		// c[1]: records at a on both patients (days 10, 20), a removed one (day 25), one at b
		// (day 26); a void invoice (day 27); an invoice paid on day 15 and one paid on day 40.
		p := pets(c[1])
		steps := []func() error{
			func() error { _, err := rec(a, p[0].ID, at(10)); return err },
			func() error { _, err := rec(a, p[1].ID, at(20)); return err },
			func() error {
				id, err := rec(a, p[0].ID, at(25))
				if err != nil {
					return err
				}
				return txn.D(tx).RemoveRecord(ctx, id, vetshare.Removal{At: at(25), UserID: w.user.ID, AccountID: a, Reason: "wrong"})
			},
			func() error {
				id, err := inv(a, c[1], at(27))
				if err != nil {
					return err
				}
				return txn.D(tx).VoidInvoice(ctx, id, at(27))
			},
			func() error {
				id, err := inv(a, c[1], at(12))
				if err != nil {
					return err
				}
				return pay(a, c[1], id, at(15))
			},
			func() error {
				id, err := inv(a, c[1], at(14))
				if err != nil {
					return err
				}
				return pay(a, c[1], id, at(40))
			},
			// c[3]: a record at b (day 30), an open invoice of a (day 22) and an invoice of b
			// paid on day 31, which a must not see.
			func() error { _, err := rec(b, pets(c[3])[0].ID, at(30)); return err },
			func() error { _, err := inv(a, c[3], at(22)); return err },
			func() error {
				id, err := inv(b, c[3], at(31))
				if err != nil {
					return err
				}
				return pay(b, c[3], id, at(31))
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})

	collect := func(q driver.ReportQuery) []vetshare.ReportRow {
		t.Helper()
		var out []vetshare.ReportRow
		view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			return txn.D(tx).ReportEntries(ctx, q, func(r vetshare.ReportRow) error { out = append(out, r); return nil })
		})
		return out
	}
	ids := func(rows []vetshare.ReportRow) []vetshare.ClientID {
		out := []vetshare.ClientID{}
		for _, r := range rows {
			out = append(out, r.ClientID)
		}
		return out
	}

	t.Run("OwnEntriesByNumber", func(t *testing.T) {
		rows := collect(driver.ReportQuery{Account: a})
		if d := cmp.Diff(c[:], ids(rows)); d != "" {
			t.Errorf("entries of a (-want +got):\n%s", d)
		}
		want := vetshare.ReportRow{ClientID: c[0], Number: 1, FirstName: "a", LastName: "La", Email: "a@x.example", Phone: "555",
			Address: "1 Road", ClientSince: at(0), HomeAccount: a}
		if d := cmp.Diff(want, rows[0]); d != "" {
			t.Errorf("row of c[0], nothing asked (-want +got):\n%s", d)
		}
		if rows[3].HomeAccount != b || rows[3].HomeName != "" {
			t.Errorf("c[3]: home %q, name %q; want %s and no name", rows[3].HomeAccount, rows[3].HomeName, b)
		}
		if d := cmp.Diff([]vetshare.ClientID{only, c[3]}, ids(collect(driver.ReportQuery{Account: b}))); d != "" {
			t.Errorf("entries of b (-want +got):\n%s", d)
		}
	})
	t.Run("CreatedRangeHalfOpen", func(t *testing.T) {
		got := ids(collect(driver.ReportQuery{Account: a, CreatedFrom: at(1), CreatedBefore: at(3), ByCreation: true}))
		if d := cmp.Diff(c[1:3], got); d != "" {
			t.Errorf("created in [day 1, day 3) (-want +got):\n%s", d)
		}
		got = ids(collect(driver.ReportQuery{Account: a, CreatedFrom: at(1).Add(time.Microsecond)}))
		if d := cmp.Diff(c[2:], got); d != "" {
			t.Errorf("created from just after day 1 (-want +got):\n%s", d)
		}
	})
	t.Run("LastVisit", func(t *testing.T) {
		for _, tc := range []struct {
			before time.Time
			want1  time.Time // c[1]
			want3  time.Time // c[3]
		}{
			// The removed record, the void invoice and the record at b do not count; the
			// paid invoices of a (issued on days 12 and 14) do.
			{at(100), at(20), at(22)},
			{at(22).Add(time.Microsecond), at(20), at(22)},
			{at(20).Add(time.Microsecond), at(20), time.Time{}},
			{at(20), at(14), time.Time{}},
			{at(11), at(10), time.Time{}},
			{at(10), time.Time{}, time.Time{}},
		} {
			rows := collect(driver.ReportQuery{Account: a, VisitsBefore: tc.before})
			if !rows[1].LastVisit.Equal(tc.want1) || !rows[3].LastVisit.Equal(tc.want3) || !rows[0].LastVisit.IsZero() {
				t.Errorf("visits before %v: c[1] %v, c[3] %v, c[0] %v; want %v, %v, zero", tc.before, rows[1].LastVisit, rows[3].LastVisit,
					rows[0].LastVisit, tc.want1, tc.want3)
			}
		}
		if r := collect(driver.ReportQuery{Account: a, PaidBefore: at(100)}); !r[1].LastVisit.IsZero() {
			t.Errorf("LastVisit = %v without VisitsBefore, want zero", r[1].LastVisit)
		}
	})
	t.Run("LastPaid", func(t *testing.T) {
		for _, tc := range []struct {
			before, want time.Time
		}{{at(100), at(40)}, {at(40), at(15)}, {at(15), time.Time{}}} {
			rows := collect(driver.ReportQuery{Account: a, PaidBefore: tc.before})
			if !rows[1].LastPaid.Equal(tc.want) || !rows[3].LastPaid.IsZero() {
				t.Errorf("paid before %v: c[1] %v, c[3] %v; want %v and zero (b's payment is b's)", tc.before, rows[1].LastPaid, rows[3].LastPaid, tc.want)
			}
		}
		if r := collect(driver.ReportQuery{Account: a, VisitsBefore: at(100)}); !r[1].LastPaid.IsZero() {
			t.Errorf("LastPaid = %v without PaidBefore, want zero", r[1].LastPaid)
		}
	})
	t.Run("StopsAtFnError", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		err := s.View(context.Background(), func(tx *vetshare.Tx) error {
			return txn.D(tx).ReportEntries(context.Background(), driver.ReportQuery{Account: a}, func(vetshare.ReportRow) error {
				n++
				if n == 2 {
					return stop
				}
				return nil
			})
		})
		if err != stop || n != 2 {
			t.Errorf("ReportEntries = %v after %d rows, want the fn's error as it is after 2", err, n)
		}
	})
}
