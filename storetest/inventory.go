package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() {
	Register("Inventory", testInventory)
	Register("Reminders", testReminders)
}

// stock is a world with a client at account 0 shared with account 1, a patient, and one item
// per account.
type stock struct {
	world
	patient vetshare.Patient
	items   [2]vetshare.Item
}

func newStock(t *testing.T, s vetshare.Store) stock {
	t.Helper()
	st := stock{world: newWorld(t, s, 3)}
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		c, err := st.client(ctx, tx, 0, "Rogers", "Shaggy")
		if err != nil {
			return err
		}
		e := vetshare.ClientEntry{AccountID: st.accounts[1].ID, ClientID: c.ID, Via: vetshare.ViaManual, CreatedAt: t0}
		if err := txn.D(tx).InsertClientEntry(ctx, &e); err != nil {
			return err
		}
		st.patient = vetshare.Patient{ID: vetshare.NewID[vetshare.PatientID](t0), ClientID: c.ID, Name: "Scooby", Species: "dog",
			OriginAccount: st.accounts[0].ID, CreatedBy: st.user.ID, CreatedAt: t0}
		if err := txn.D(tx).InsertPatient(ctx, st.patient); err != nil {
			return err
		}
		for i, name := range []string{"Rabies vaccine", "Rábies 3yr"} {
			st.items[i] = vetshare.Item{ID: vetshare.NewID[vetshare.ItemID](t0), AccountID: st.accounts[i].ID, Name: name,
				Kind: vetshare.ItemProduct, Tracked: true, CreatedAt: t0,
				Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}}
			if err := txn.D(tx).InsertItem(ctx, st.items[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return st
}

// usage inserts a usage record of item i at its account, at.
func (st stock) usage(ctx context.Context, tx *vetshare.Tx, i int, at time.Time) (vetshare.Record, error) {
	r := vetshare.Record{ID: vetshare.NewID[vetshare.RecordID](at), PatientID: st.patient.ID, AccountID: st.accounts[i].ID,
		UserID: st.user.ID, Kind: vetshare.RecordUsage, ItemID: st.items[i].ID, Quantity: 2, CreatedAt: at}
	err := txn.D(tx).InsertRecord(ctx, &r)
	return r, err
}

func testInventory(t *testing.T, h Harness) {
	s := open(t, h)
	st := newStock(t, s)
	a, b := st.accounts[0].ID, st.accounts[1].ID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		got, err := txn.D(tx).Item(ctx, st.items[0].ID)
		if diff := cmp.Diff(st.items[0], got); err != nil || diff != "" {
			t.Errorf("Item: %v (-want +got):\n%s", err, diff)
		}
		wantErr(t, "Item of an unknown id", errOf(txn.D(tx).Item(ctx, vetshare.NewID[vetshare.ItemID](t0))), vetshare.ErrNotFound)
		wantErr(t, "InsertItem with a taken id", txn.D(tx).InsertItem(ctx, st.items[0]), vetshare.ErrConflict)
		orphan := st.items[0]
		orphan.ID, orphan.AccountID = vetshare.NewID[vetshare.ItemID](t0), vetshare.NewID[vetshare.AccountID](t0)
		wantErr(t, "InsertItem in an unknown account", txn.D(tx).InsertItem(ctx, orphan), vetshare.ErrNotFound)

		// Movements add to the count on hand, in order; one naming another account's item
		// changes nothing.
		qs := []int64{10, -3, -9}
		var ms []vetshare.StockMovement
		for _, q := range qs {
			m := vetshare.StockMovement{ID: vetshare.NewID[vetshare.MovementID](t0), AccountID: a, ItemID: st.items[0].ID,
				Kind: vetshare.MoveAdjusted, Quantity: q, UserID: st.user.ID, Note: "n", At: t0} // one instant: the ledger keeps write order
			if err := txn.D(tx).InsertStockMovement(ctx, m); err != nil {
				return err
			}
			ms = append(ms, m)
		}
		wrong := vetshare.StockMovement{ID: vetshare.NewID[vetshare.MovementID](t0), AccountID: b, ItemID: st.items[0].ID,
			Kind: vetshare.MoveReceived, Quantity: 5, UserID: st.user.ID, At: t0}
		wantErr(t, "InsertStockMovement for another account's item", txn.D(tx).InsertStockMovement(ctx, wrong), vetshare.ErrNotFound)
		got, err = txn.D(tx).Item(ctx, st.items[0].ID)
		if err != nil || got.OnHand != -2 {
			t.Errorf("OnHand = %d, %v; want -2", got.OnHand, err)
		}
		ledger, err := txn.D(tx).StockMovements(ctx, st.items[0].ID, "", 10)
		if diff := cmp.Diff(ms, ledger); err != nil || diff != "" {
			t.Errorf("StockMovements: %v (-want +got):\n%s", err, diff)
		}
		page, err := txn.D(tx).StockMovements(ctx, st.items[0].ID, ms[0].ID, 1)
		if diff := cmp.Diff(ms[1:2], page); err != nil || diff != "" {
			t.Errorf("StockMovements after the first: %v (-want +got):\n%s", err, diff)
		}

		// UpdateItem keeps the account and the count.
		up := got
		up.Name, up.Tracked, up.Reminders, up.OnHand = "Rabies 1yr", false, nil, 99
		if err := txn.D(tx).UpdateItem(ctx, up); err != nil {
			return err
		}
		got, err = txn.D(tx).Item(ctx, up.ID)
		up.OnHand = -2
		if diff := cmp.Diff(up, got); err != nil || diff != "" {
			t.Errorf("after UpdateItem: %v (-want +got):\n%s", err, diff)
		}
		wantErr(t, "UpdateItem of an unknown id", txn.D(tx).UpdateItem(ctx, orphan), vetshare.ErrNotFound)
		st.items[0] = got

		// Items: by folded name prefix, below zero, scoped to the account.
		for _, tc := range []struct {
			q    vetshare.ItemQuery
			want []vetshare.ItemID
		}{
			{vetshare.ItemQuery{Account: b, Prefix: "rab", Limit: 10}, []vetshare.ItemID{st.items[1].ID}},
			{vetshare.ItemQuery{Account: a, Prefix: "rabies 1", Limit: 10}, []vetshare.ItemID{st.items[0].ID}},
			{vetshare.ItemQuery{Account: a, Prefix: "x", Limit: 10}, nil},
			{vetshare.ItemQuery{Account: b, BelowZero: true, Limit: 10}, nil},
			{vetshare.ItemQuery{Account: a, AfterKey: "rabies 1yr", AfterID: st.items[0].ID, Limit: 10}, nil},
		} {
			items, err := txn.D(tx).Items(ctx, tc.q)
			var ids []vetshare.ItemID
			for _, it := range items {
				ids = append(ids, it.ID)
			}
			if diff := cmp.Diff(tc.want, ids); err != nil || diff != "" {
				t.Errorf("Items(%+v): %v (-want +got):\n%s", tc.q, err, diff)
			}
		}
		withRules, err := txn.D(tx).ItemsWithReminders(ctx, []vetshare.AccountID{a, b})
		if err != nil || len(withRules) != 1 || withRules[0].ID != st.items[1].ID {
			t.Errorf("ItemsWithReminders = %v, %v; want B's item alone", withRules, err)
		}

		// Usages: seen from every account with an entry for the client, with the origin.
		u, err := st.usage(ctx, tx, 1, t0.Add(time.Hour))
		if err != nil {
			return err
		}
		m := vetshare.StockMovement{ID: vetshare.NewID[vetshare.MovementID](t0), AccountID: b, ItemID: st.items[1].ID,
			Kind: vetshare.MoveUsed, Quantity: -2, RecordID: u.ID, UserID: st.user.ID, At: u.CreatedAt}
		if err := txn.D(tx).InsertStockMovement(ctx, m); err != nil {
			return err
		}
		rm, err := txn.D(tx).RecordMovements(ctx, u.ID)
		if diff := cmp.Diff([]vetshare.StockMovement{m}, rm); err != nil || diff != "" {
			t.Errorf("RecordMovements: %v (-want +got):\n%s", err, diff)
		}
		rows, err := txn.D(tx).Usages(ctx, vetshare.UsageQuery{Account: a, Limit: 10})
		want := []vetshare.UsageRow{{Record: u, ItemName: st.items[1].Name, Origin: b, OriginName: st.accounts[1].Name, PatientName: "Scooby"}}
		if diff := cmp.Diff(want, rows); err != nil || diff != "" {
			t.Errorf("Usages from A: %v (-want +got):\n%s", err, diff)
		}
		rows, err = txn.D(tx).Usages(ctx, vetshare.UsageQuery{Account: st.accounts[2].ID, Limit: 10})
		if err != nil || len(rows) != 0 {
			t.Errorf("Usages from an account without the client = %v, %v; want none", rows, err)
		}
		return nil
	})
}

func errOf[T any](_ T, err error) error { return err }

func testReminders(t *testing.T, h Harness) {
	s := open(t, h)
	st := newStock(t, s)
	a, b := st.accounts[0].ID, st.accounts[1].ID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		act := vetshare.DisableAction{AccountID: a, ItemID: st.items[0].ID, TargetAccountID: b, TargetItemID: st.items[1].ID, CreatedAt: t0}
		if err := txn.D(tx).InsertDisableAction(ctx, act); err != nil {
			return err
		}
		wantErr(t, "InsertDisableAction twice", txn.D(tx).InsertDisableAction(ctx, act), vetshare.ErrConflict)
		as, err := txn.D(tx).DisableActions(ctx, st.items[0].ID)
		if diff := cmp.Diff([]vetshare.DisableAction{act}, as); err != nil || diff != "" {
			t.Errorf("DisableActions: %v (-want +got):\n%s", err, diff)
		}
		as, err = txn.D(tx).AccountsDisableActions(ctx, []vetshare.AccountID{b, a})
		if diff := cmp.Diff([]vetshare.DisableAction{act}, as); err != nil || diff != "" {
			t.Errorf("AccountsDisableActions: %v (-want +got):\n%s", err, diff)
		}

		// DisableActions right after Item, as a usage asks for them (an engine may read them with
		// the item), of a host's item id with spaces; of another item; after a write between.
		third := vetshare.Item{ID: "host item 3", AccountID: a, Name: "Booster", Kind: vetshare.ItemProduct, CreatedAt: t0}
		if err := txn.D(tx).InsertItem(ctx, third); err != nil {
			return err
		}
		act3 := vetshare.DisableAction{AccountID: a, ItemID: st.items[0].ID, TargetAccountID: a, TargetItemID: third.ID, CreatedAt: t0.Add(time.Second)}
		if err := txn.D(tx).InsertDisableAction(ctx, act3); err != nil {
			return err
		}
		both := []vetshare.DisableAction{act, act3}
		slices.SortFunc(both, func(x, y vetshare.DisableAction) int {
			return strings.Compare(string(x.TargetItemID), string(y.TargetItemID))
		})
		for _, c := range []struct {
			name      string
			item      vetshare.ItemID
			between   func() error
			actionsOf vetshare.ItemID
			wantActs  []vetshare.DisableAction
		}{
			{"right after Item", st.items[0].ID, nil, st.items[0].ID, both},
			{"of another item after Item", st.items[0].ID, nil, st.items[1].ID, nil},
			{"after Item and a removal of one", st.items[0].ID, func() error { return txn.D(tx).DeleteDisableAction(ctx, act3.ItemID, act3.TargetItemID) },
				st.items[0].ID, []vetshare.DisableAction{act}},
		} {
			if _, err := txn.D(tx).Item(ctx, c.item); err != nil {
				return err
			}
			if c.between != nil {
				if err := c.between(); err != nil {
					return err
				}
			}
			as, err := txn.D(tx).DisableActions(ctx, c.actionsOf)
			if diff := cmp.Diff(c.wantActs, as, cmpopts.EquateEmpty()); err != nil || diff != "" {
				t.Errorf("DisableActions %s: %v (-want +got):\n%s", c.name, err, diff)
			}
		}
		wantErr(t, "DeleteDisableAction of none", txn.D(tx).DeleteDisableAction(ctx, st.items[1].ID, st.items[0].ID), vetshare.ErrNotFound)
		if err := txn.D(tx).DeleteDisableAction(ctx, act.ItemID, act.TargetItemID); err != nil {
			return err
		}
		if as, err := txn.D(tx).DisableActions(ctx, st.items[0].ID); err != nil || len(as) != 0 {
			t.Errorf("after DeleteDisableAction: %v, %v", as, err)
		}

		// Reminders: one open per patient, item and kind.
		u1, err := st.usage(ctx, tx, 1, t0.Add(time.Hour))
		if err != nil {
			return err
		}
		u2, err := st.usage(ctx, tx, 0, t0.Add(2*time.Hour))
		if err != nil {
			return err
		}
		rem := func(u vetshare.Record, due time.Time) vetshare.Reminder {
			return vetshare.Reminder{ID: vetshare.NewID[vetshare.ReminderID](t0), PatientID: u.PatientID, AccountID: u.AccountID,
				ItemID: u.ItemID, UsageID: u.ID, Kind: "Rabies", Due: due, Status: vetshare.ReminderOpen, CreatedAt: u.CreatedAt}
		}
		r1, r2 := rem(u1, t0.AddDate(1, 0, 0)), rem(u2, t0.AddDate(1, 0, 1))
		for _, r := range []vetshare.Reminder{r1, r2} {
			if err := txn.D(tx).InsertReminder(ctx, r); err != nil {
				return err
			}
		}
		again := rem(u1, t0)
		again.Kind = "RABIES"
		wantErr(t, "InsertReminder of a second open one", txn.D(tx).InsertReminder(ctx, again), vetshare.ErrConflict)
		got, err := txn.D(tx).Reminder(ctx, r1.ID)
		if diff := cmp.Diff(r1, got); err != nil || diff != "" {
			t.Errorf("Reminder: %v (-want +got):\n%s", err, diff)
		}
		dups, err := txn.D(tx).DuplicateReminders(ctx, []vetshare.AccountID{a, b})
		if diff := cmp.Diff([]vetshare.Reminder{r1, r2}, dups); err != nil || diff != "" {
			t.Errorf("DuplicateReminders: %v (-want +got):\n%s", err, diff)
		}
		if dups, err := txn.D(tx).DuplicateReminders(ctx, []vetshare.AccountID{a}); err != nil || len(dups) != 0 {
			t.Errorf("DuplicateReminders of A alone = %v, %v; want none", dups, err)
		}
		due, err := txn.D(tx).DueReminders(ctx, b, t0, t0.AddDate(2, 0, 0), time.Time{}, "", 10)
		if err != nil || len(due) != 1 || due[0].Reminder != r1 || due[0].PatientName != "Scooby" || due[0].AccountName != st.accounts[1].Name {
			t.Errorf("DueReminders from B = %+v, %v; want r1 alone", due, err)
		}
		if due, err := txn.D(tx).DueReminders(ctx, a, t0, t0.AddDate(1, 0, 1), time.Time{}, "", 10); err != nil || len(due) != 0 {
			t.Errorf("DueReminders ending at the due date = %+v, %v; want none", due, err)
		}

		// Status changes.
		done := r1
		done.Status, done.CompletedBy, done.CompletedAt = vetshare.ReminderCompleted, u2.ID, u2.CreatedAt
		if err := txn.D(tx).UpdateReminderStatus(ctx, done, vetshare.ReminderOpen); err != nil {
			return err
		}
		wantErr(t, "UpdateReminderStatus from a stale status", txn.D(tx).UpdateReminderStatus(ctx, done, vetshare.ReminderOpen), vetshare.ErrConflict)
		unknown := done
		unknown.ID = vetshare.NewID[vetshare.ReminderID](t0)
		wantErr(t, "UpdateReminderStatus of none", txn.D(tx).UpdateReminderStatus(ctx, unknown, vetshare.ReminderOpen), vetshare.ErrNotFound)
		if err := txn.D(tx).InsertReminder(ctx, again); err != nil {
			t.Errorf("InsertReminder once the other is completed: %v", err)
		}
		wantErr(t, "reopening next to an open one", txn.D(tx).UpdateReminderStatus(ctx, r1, vetshare.ReminderCompleted), vetshare.ErrConflict)
		for _, tc := range []struct {
			name string
			got  func() ([]vetshare.Reminder, error)
			want []vetshare.Reminder
		}{
			{"PatientReminders open", func() ([]vetshare.Reminder, error) {
				return txn.D(tx).PatientReminders(ctx, st.patient.ID, vetshare.ReminderOpen)
			}, []vetshare.Reminder{again, r2}},
			{"PatientReminders completed", func() ([]vetshare.Reminder, error) {
				return txn.D(tx).PatientReminders(ctx, st.patient.ID, vetshare.ReminderCompleted)
			}, []vetshare.Reminder{done}},
			{"UsageReminders", func() ([]vetshare.Reminder, error) { return txn.D(tx).UsageReminders(ctx, u2.ID) }, []vetshare.Reminder{r2}},
			{"OpenReminders of the item", func() ([]vetshare.Reminder, error) {
				return txn.D(tx).OpenReminders(ctx, st.patient.ID, []vetshare.ItemID{u2.ItemID})
			}, []vetshare.Reminder{r2}},
			{"OpenReminders of many items, repeated and unknown among them", func() ([]vetshare.Reminder, error) {
				// Longer than any short form an engine may keep for a few items.
				items := []vetshare.ItemID{u2.ItemID}
				for range 20 {
					items = append(items, vetshare.NewID[vetshare.ItemID](t0))
				}
				items = append(items, u1.ItemID, u2.ItemID)
				return txn.D(tx).OpenReminders(ctx, st.patient.ID, items)
			}, []vetshare.Reminder{again, r2}},
			{"OpenReminders of no item", func() ([]vetshare.Reminder, error) {
				return txn.D(tx).OpenReminders(ctx, st.patient.ID, nil)
			}, nil},
			{"CompletedReminders", func() ([]vetshare.Reminder, error) { return txn.D(tx).CompletedReminders(ctx, u2.ID) }, []vetshare.Reminder{done}},
		} {
			got, err := tc.got()
			if diff := cmp.Diff(tc.want, got); err != nil || diff != "" {
				t.Errorf("%s: %v (-want +got):\n%s", tc.name, err, diff)
			}
		}

		// PatientUsages: standing usages by time given, then recording order (R12.4), each
		// with the targets kept with it (R7.8).
		if err := txn.D(tx).InsertUsageTargets(ctx, u2.ID, []vetshare.ItemID{st.items[0].ID, st.items[1].ID}); err != nil {
			return err
		}
		wantErr(t, "InsertUsageTargets twice", txn.D(tx).InsertUsageTargets(ctx, u2.ID, []vetshare.ItemID{st.items[1].ID}), vetshare.ErrConflict)
		wantErr(t, "InsertUsageTargets of an unknown item", txn.D(tx).InsertUsageTargets(ctx, u2.ID,
			[]vetshare.ItemID{vetshare.NewID[vetshare.ItemID](t0)}), vetshare.ErrNotFound)
		late := vetshare.Record{ID: vetshare.NewID[vetshare.RecordID](t0), PatientID: st.patient.ID, AccountID: a, UserID: st.user.ID,
			Kind: vetshare.RecordUsage, ItemID: st.items[0].ID, Quantity: 1, GivenAt: t0, CreatedAt: t0.Add(3 * time.Hour)}
		tie := late
		tie.ID = vetshare.NewID[vetshare.RecordID](t0)
		for _, r := range []*vetshare.Record{&late, &tie} {
			if err := txn.D(tx).InsertRecord(ctx, r); err != nil {
				return err
			}
		}
		if err := txn.D(tx).InsertUsageTargets(ctx, late.ID, []vetshare.ItemID{st.items[0].ID}); err != nil {
			return err
		}
		if err := txn.D(tx).RemoveRecord(ctx, u1.ID, vetshare.Removal{At: t0, UserID: st.user.ID, AccountID: b, Reason: "wrong"}); err != nil {
			return err
		}
		want := []vetshare.Usage{{Record: late, Targets: []vetshare.ItemID{st.items[0].ID}}, {Record: tie},
			{Record: u2, Targets: []vetshare.ItemID{st.items[0].ID, st.items[1].ID}}}
		slices.Sort(want[2].Targets)
		us, err := txn.D(tx).PatientUsages(ctx, st.patient.ID, time.Time{})
		if diff := cmp.Diff(want, us, cmpopts.EquateEmpty()); err != nil || diff != "" {
			t.Errorf("PatientUsages: %v (-want +got):\n%s", err, diff)
		}
		us, err = txn.D(tx).PatientUsages(ctx, st.patient.ID, t0)
		if diff := cmp.Diff(want[2:], us, cmpopts.EquateEmpty()); err != nil || diff != "" {
			t.Errorf("PatientUsages given after t0: %v (-want +got):\n%s", err, diff)
		}
		return nil
	})
	testUsageFacts(t, s, st)
	testSeqAfterReads(t, s, st)
}

// testSeqAfterReads checks the recording sequence of records inserted after the reads that
// come before a record in a write to a chart (a member's PatientWithClient and UsageFacts),
// several in one transaction and in the next: each larger than every record's before it, and
// stored as InsertRecord returns it (R12.4: the recording order breaks ties of the time given).
func testSeqAfterReads(t *testing.T, s vetshare.Store, st stock) {
	a := st.accounts[0].ID
	var got []vetshare.Record
	insert := func(ctx context.Context, d driver.Tx) error {
		at := t0.Add(6*time.Hour + time.Duration(len(got))*time.Second)
		r := vetshare.Record{ID: vetshare.NewID[vetshare.RecordID](at), PatientID: st.patient.ID, AccountID: a, UserID: st.user.ID,
			Kind: vetshare.RecordNote, Text: "in order", CreatedAt: at}
		got = append(got, r)
		return d.InsertRecord(ctx, &got[len(got)-1])
	}
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error { return insert(ctx, txn.D(tx)) })
	for range 2 {
		update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			d := txn.D(tx)
			if _, _, err := d.PatientWithClient(ctx, a, st.patient.ID, st.user.ID); err != nil {
				return err
			}
			for range 2 {
				if err := insert(ctx, d); err != nil {
					return err
				}
			}
			if _, err := d.UsageFacts(ctx, a, st.patient.ID, st.user.ID, st.items[0].ID, t0.Add(7*time.Hour)); err != nil {
				return err
			}
			return insert(ctx, d)
		})
	}
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		for i, r := range got {
			stored, err := txn.D(tx).Record(ctx, a, r.ID)
			switch {
			case err != nil:
				t.Errorf("record %d: %v", i, err)
			case stored.Seq != r.Seq:
				t.Errorf("record %d: stored with Seq %d, InsertRecord returned %d", i, stored.Seq, r.Seq)
			case i > 0 && r.Seq <= got[i-1].Seq:
				t.Errorf("record %d: Seq %d after Seq %d; want a larger one", i, r.Seq, got[i-1].Seq)
			}
		}
		return nil
	})
}

// testUsageFacts checks UsageFacts against what testReminders left: open reminders again (of
// item 1, at B, due t0) and r2 (of item 0, at A), standing usages given up to t0+2h, and u1,
// given at t0+1h, removed.
func testUsageFacts(t *testing.T, s vetshare.Store, st stock) {
	a, b, c := st.accounts[0].ID, st.accounts[1].ID, st.accounts[2].ID
	item0, item1 := st.items[0].ID, st.items[1].ID
	gone := vetshare.NewID[vetshare.UserID](t0.Add(9 * time.Hour))
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		for _, acct := range []vetshare.AccountID{a, b, c} {
			if err := d.PutMembership(ctx, vetshare.Membership{UserID: st.user.ID, AccountID: acct, Role: vetshare.RoleStaff, Active: true}); err != nil {
				return err
			}
		}
		// Item 0 disables item 1's reminders at A, not at B.
		if err := d.InsertDisableAction(ctx, vetshare.DisableAction{AccountID: a, ItemID: item0, TargetAccountID: b, TargetItemID: item1, CreatedAt: t0}); err != nil {
			return err
		}
		// The client's home is another account than its origin, which the facts name.
		cl, err := d.Client(ctx, a, st.patient.ClientID)
		if err != nil {
			return err
		}
		cl.HomeAccount = c
		if err := d.UpdateClient(ctx, cl); err != nil {
			return err
		}
		// A usage given after every other, removed: not a later usage.
		removed := vetshare.Record{ID: vetshare.NewID[vetshare.RecordID](t0), PatientID: st.patient.ID, AccountID: a, UserID: st.user.ID,
			Kind: vetshare.RecordUsage, ItemID: item0, Quantity: 1, GivenAt: t0.Add(5 * time.Hour), CreatedAt: t0.Add(5 * time.Hour)}
		if err := d.InsertRecord(ctx, &removed); err != nil {
			return err
		}
		return d.RemoveRecord(ctx, removed.ID, vetshare.Removal{At: t0.Add(5 * time.Hour), UserID: st.user.ID, AccountID: a, Reason: "wrong"})
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		_, cl, err := d.PatientWithClient(ctx, a, st.patient.ID, "")
		if err != nil {
			return err
		}
		open, err := d.PatientReminders(ctx, st.patient.ID, vetshare.ReminderOpen)
		if err != nil {
			return err
		}
		var again, r2 vetshare.Reminder
		for _, r := range open {
			if r.ItemID == item1 {
				again = r
			} else {
				r2 = r
			}
		}
		actions, err := d.DisableActions(ctx, item0)
		if err != nil {
			return err
		}
		for _, c := range []struct {
			name    string
			account vetshare.AccountID
			member  vetshare.UserID
			item    vetshare.ItemID
			given   time.Time
			want    driver.UsageFacts
		}{
			{"at A, after every standing usage: both open reminders, the target's by its action", a, st.user.ID, item0, t0.Add(3 * time.Hour),
				driver.UsageFacts{Owner: cl.OwnerID, Origin: cl.OriginAccount, Item: st.items[0], Actions: actions, Open: []vetshare.Reminder{again, r2}}},
			{"at A, without a member", a, "", item0, t0.Add(3 * time.Hour),
				driver.UsageFacts{Owner: cl.OwnerID, Origin: cl.OriginAccount, Item: st.items[0], Actions: actions, Open: []vetshare.Reminder{again, r2}}},
			{"at A, before a standing usage", a, st.user.ID, item0, t0.Add(time.Hour),
				driver.UsageFacts{Owner: cl.OwnerID, Origin: cl.OriginAccount, Item: st.items[0], Actions: actions, Open: []vetshare.Reminder{again, r2}, Later: true}},
			{"at A, at the time of the last standing usage", a, st.user.ID, item0, t0.Add(2 * time.Hour),
				driver.UsageFacts{Owner: cl.OwnerID, Origin: cl.OriginAccount, Item: st.items[0], Actions: actions, Open: []vetshare.Reminder{again, r2}}},
			{"at B, where item 0 has no action: its own reminder alone", b, st.user.ID, item0, t0.Add(3 * time.Hour),
				driver.UsageFacts{Owner: cl.OwnerID, Origin: cl.OriginAccount, Item: st.items[0], Actions: actions, Open: []vetshare.Reminder{r2}}},
			{"at B, of B's item, with no action", b, st.user.ID, item1, t0.Add(3 * time.Hour),
				driver.UsageFacts{Owner: cl.OwnerID, Origin: cl.OriginAccount, Item: st.items[1], Open: []vetshare.Reminder{again}}},
		} {
			got, err := d.UsageFacts(ctx, c.account, st.patient.ID, c.member, c.item, c.given)
			if diff := cmp.Diff(c.want, got, cmpopts.EquateEmpty()); err != nil || diff != "" {
				t.Errorf("UsageFacts %s: %v (-want +got):\n%s", c.name, err, diff)
			}
		}
		if _, err := d.UsageFacts(ctx, a, st.patient.ID, st.user.ID, item0, t0); err != nil {
			return err
		}
		if got, err := d.Account(ctx, a); err != nil || got.ID != a {
			t.Errorf("Account after UsageFacts by a member = %+v, %v; want A", got, err)
		}
		unknownItem, unknownPatient := vetshare.NewID[vetshare.ItemID](t0), vetshare.NewID[vetshare.PatientID](t0)
		for _, m := range []vetshare.UserID{st.user.ID, ""} {
			_, err := d.UsageFacts(ctx, a, st.patient.ID, m, unknownItem, t0)
			wantErr(t, "UsageFacts of an unknown item", err, vetshare.ErrNotFound)
			_, err = d.UsageFacts(ctx, a, unknownPatient, m, item0, t0)
			wantErr(t, "UsageFacts of an unknown patient", err, vetshare.ErrNotFound)
			_, err = d.UsageFacts(ctx, c, st.patient.ID, m, item0, t0)
			wantErr(t, "UsageFacts from an account without the client", err, vetshare.ErrNotFound)
		}
		for _, patient := range []vetshare.PatientID{st.patient.ID, unknownPatient} {
			_, err := d.UsageFacts(ctx, a, patient, gone, item0, t0)
			wantErr(t, "UsageFacts by a user without a membership", err, vetshare.ErrNotPermitted)
		}
		return nil
	})
}
