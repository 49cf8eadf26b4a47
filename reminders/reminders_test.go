package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
)

var ctx = context.Background()

var yearly = vetshare.Interval{Count: 1, Unit: vetshare.Years}

func rabies(t *testing.T, f *fixture.Fixture, actor vetshare.Actor, name string) vetshare.Item {
	t.Helper()
	var it vetshare.Item
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		it, err = inventory.CreateItem(ctx, tx, actor, vetshare.Item{Name: name, Kind: vetshare.ItemProduct,
			Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: yearly}}})
		return err
	})
	return it
}

// R7.3, R11.1: a disable action names an item of the account or of another account of its
// group; an account outside the group is refused with a typed error, another owner's item is
// not found, and a refused action is not stored.
func TestR7_3_DisableActionsWithinGroup(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3})
	f.Enable(t, vetshare.ModeManual, f.Accounts[0].ID, f.Accounts[1].ID)
	a, b, c := rabies(t, f, f.Actor(0), "Rabies A"), rabies(t, f, f.Actor(1), "Rabies B"), rabies(t, f, f.Actor(2), "Rabies C")
	a2 := rabies(t, f, f.Actor(0), "Rabies A 3yr")
	var foreign vetshare.Item
	f.Update(t, func(tx *vetshare.Tx) error {
		o, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Other"})
		if err != nil {
			return err
		}
		acct, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: o.ID, Name: "Other", Email: "o@other.example", TimeZone: "UTC", Currency: "USD"})
		if err != nil {
			return err
		}
		if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: f.Admin.ID, AccountID: acct.ID, Role: vetshare.RoleOwner, Active: true}); err != nil {
			return err
		}
		foreign, err = inventory.CreateItem(ctx, tx, vetshare.Actor{User: f.Admin.ID, Account: acct.ID}, vetshare.Item{Name: "Rabies", Kind: vetshare.ItemProduct})
		return err
	})
	add := func(actor vetshare.Actor, item, target vetshare.ItemID) error {
		return f.Store.Update(ctx, func(tx *vetshare.Tx) error {
			_, err := reminders.AddDisableAction(ctx, tx, actor, item, target)
			return err
		})
	}
	t.Run("OKSameGroup", func(t *testing.T) {
		if err := add(f.Actor(0), a.ID, b.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("OKSameAccount", func(t *testing.T) {
		if err := add(f.Actor(0), a.ID, a2.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrOutsideGroup", func(t *testing.T) {
		err := add(f.Actor(0), a.ID, c.ID)
		var oe *reminders.OutsideGroupError
		if !errors.Is(err, vetshare.ErrNotPermitted) || !errors.As(err, &oe) || oe.TargetAccount != f.Accounts[2].ID {
			t.Fatalf("err = %v, want an OutsideGroupError naming account C", err)
		}
	})
	t.Run("ErrFromAccountOutsideGroup", func(t *testing.T) {
		if err := add(f.Actor(2), c.ID, a.ID); !errors.Is(err, vetshare.ErrNotPermitted) {
			t.Fatalf("err = %v, want not permitted", err)
		}
	})
	t.Run("ErrOtherOwner", func(t *testing.T) {
		if err := add(f.Actor(0), a.ID, foreign.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Fatalf("err = %v, want not found", err)
		}
	})
	t.Run("ErrItemOfOtherAccount", func(t *testing.T) {
		if err := add(f.Actor(0), b.ID, a.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Fatalf("err = %v, want not found", err)
		}
	})
	t.Run("ErrUnknownTarget", func(t *testing.T) {
		if err := add(f.Actor(0), a.ID, vetshare.NewID[vetshare.ItemID](time.Now())); !errors.Is(err, vetshare.ErrNotFound) {
			t.Fatalf("err = %v, want not found", err)
		}
	})
	t.Run("ErrItself", func(t *testing.T) {
		if err := add(f.Actor(0), a.ID, a.ID); !errors.Is(err, vetshare.ErrInvalid) {
			t.Fatalf("err = %v, want invalid", err)
		}
	})
	t.Run("ErrTwice", func(t *testing.T) {
		if err := add(f.Actor(0), a.ID, b.ID); !errors.Is(err, vetshare.ErrConflict) {
			t.Fatalf("err = %v, want conflict", err)
		}
	})
	f.View(t, func(tx *vetshare.Tx) error {
		got, _, err := reminders.DisableActions(ctx, tx, f.Actor(0), a.ID, vetshare.Page{})
		var targets []vetshare.ItemID
		for _, x := range got {
			targets = append(targets, x.TargetItemID)
		}
		want := []vetshare.ItemID{a2.ID, b.ID}
		if b.ID < a2.ID {
			want = []vetshare.ItemID{b.ID, a2.ID}
		}
		if diff := cmp.Diff(want, targets); diff != "" {
			t.Errorf("actions stored (-want +got):\n%s", diff)
		}
		return err
	})
}

// R7.5: the setup report flags the Rabies items given at both locations without a disable
// action, and Scooby's duplicate; once the actions are configured and Rabies given again, both
// are gone.
func TestR7_5_DuplicateReport(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	a, b := rabies(t, f, f.Actor(0), "Rabies A"), rabies(t, f, f.Actor(1), "Rabies B")
	cl, _ := f.Client(t, 0, "Rogers", "Shaggy")
	scooby := f.Patient(t, 0, cl.ID, "Scooby", "dog")
	give := func(i int, it vetshare.Item) records.UsageChange {
		var ch records.UsageChange
		f.Update(t, func(tx *vetshare.Tx) error {
			var err error
			ch, err = records.AddUsage(ctx, tx, f.Actor(i), vetshare.Record{PatientID: scooby.ID, ItemID: it.ID, Quantity: 1})
			return err
		})
		return ch
	}
	report := func() reminders.Report {
		var r reminders.Report
		f.View(t, func(tx *vetshare.Tx) error {
			var err error
			r, err = reminders.DuplicateReport(ctx, tx, f.Actor(0))
			return err
		})
		return r
	}
	ref := func(it vetshare.Item) reminders.ItemRef {
		return reminders.ItemRef{AccountID: it.AccountID, ID: it.ID, Name: it.Name}
	}
	atB := give(1, b)
	f.Clock.Add(time.Hour)
	atA := give(0, a)
	got := report()
	want := reminders.Report{
		Accounts: f.AccountIDs(),
		Gaps: []reminders.Gap{
			{Kind: "Rabies", Item: ref(a), GivenBy: ref(b)},
			{Kind: "Rabies", Item: ref(b), GivenBy: ref(a)},
		},
		Duplicates: []reminders.Duplicate{{PatientID: scooby.ID, Kind: "Rabies", Reminders: []vetshare.Reminder{atB.Scheduled[0], atA.Scheduled[0]}}},
	}
	if f.Accounts[1].ID < f.Accounts[0].ID {
		want.Gaps[0], want.Gaps[1] = want.Gaps[1], want.Gaps[0]
	}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b vetshare.AccountID) bool { return a < b })); diff != "" {
		t.Errorf("report without actions (-want +got):\n%s", diff)
	}

	f.Update(t, func(tx *vetshare.Tx) error {
		if _, err := reminders.AddDisableAction(ctx, tx, f.Actor(0), a.ID, b.ID); err != nil {
			return err
		}
		_, err := reminders.AddDisableAction(ctx, tx, f.Actor(1), b.ID, a.ID)
		return err
	})
	if got := report(); len(got.Gaps) != 0 || len(got.Duplicates) != 1 {
		t.Errorf("after the setup: %d gaps, %d duplicates; want none and the one still open", len(got.Gaps), len(got.Duplicates))
	}
	f.Clock.Add(time.Hour)
	give(1, b) // completes A's reminder by B's action and B's own
	if got := report(); len(got.Gaps) != 0 || len(got.Duplicates) != 0 {
		t.Errorf("after Rabies again: %+v, want nothing", got)
	}
}

// R7.7: each account lists the reminders due in a window that come from it.
func TestR7_7_DueFromEachAccount(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	dhpp := vetshare.Item{Name: "DHPP", Kind: vetshare.ItemProduct, Reminders: []vetshare.ReminderRule{{Kind: "DHPP", Interval: vetshare.Interval{Count: 3, Unit: vetshare.Weeks}}}}
	var dA, dB vetshare.Item
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		if dA, err = inventory.CreateItem(ctx, tx, f.Actor(0), dhpp); err != nil {
			return err
		}
		dB, err = inventory.CreateItem(ctx, tx, f.Actor(1), dhpp)
		return err
	})
	cl, _ := f.Client(t, 0, "Rogers", "Shaggy")
	var atA []records.UsageChange
	for i, name := range []string{"Scooby", "Scrappy", "Yabba"} {
		p := f.Patient(t, 0, cl.ID, name, "dog")
		f.Clock.Add(24 * time.Hour)
		f.Update(t, func(tx *vetshare.Tx) error {
			ch, err := records.AddUsage(ctx, tx, f.Actor(0), vetshare.Record{PatientID: p.ID, ItemID: dA.ID, Quantity: 1})
			atA = append(atA, ch)
			if err != nil || i > 0 {
				return err
			}
			_, err = records.AddUsage(ctx, tx, f.Actor(1), vetshare.Record{PatientID: p.ID, ItemID: dB.ID, Quantity: 1})
			return err
		})
	}
	due := func(actor vetshare.Actor, from, to time.Time, page vetshare.Page) ([]vetshare.DueReminder, vetshare.Cursor) {
		var out []vetshare.DueReminder
		var next vetshare.Cursor
		f.View(t, func(tx *vetshare.Tx) error {
			var err error
			out, next, err = reminders.Due(ctx, tx, actor, from, to, page)
			return err
		})
		return out, next
	}
	from, to := atA[0].Scheduled[0].Due, atA[2].Scheduled[0].Due // the third is due at to: outside
	got, next := due(f.Actor(0), from, to, vetshare.Page{Limit: 1})
	for next != "" {
		var more []vetshare.DueReminder
		more, next = due(f.Actor(0), from, to, vetshare.Page{After: next, Limit: 1})
		got = append(got, more...)
	}
	a := f.Accounts[0]
	want := []vetshare.DueReminder{
		{Reminder: atA[0].Scheduled[0], PatientName: "Scooby", ClientID: cl.ID, AccountName: a.Name},
		{Reminder: atA[1].Scheduled[0], PatientName: "Scrappy", ClientID: cl.ID, AccountName: a.Name},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("due at A (-want +got):\n%s", diff)
	}
	if got, _ := due(f.Actor(1), from, to, vetshare.Page{}); len(got) != 1 || got[0].AccountID != f.Accounts[1].ID {
		t.Errorf("due at B = %+v, want B's own one", got)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		if _, _, err := reminders.Due(ctx, tx, f.Actor(0), to, from, vetshare.Page{}); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("reversed window = %v, want invalid", err)
		}
		return nil
	})
}

// BenchmarkDuplicateReport runs the setup report of a group of 10 accounts with 500 items each:
// every account has the same catalogue, item i with a reminder rule of kind i, and disable
// actions for the other accounts' items of its kinds but one in ten (about 4,500 gaps), and
// 200 patients have open duplicates.
func BenchmarkDuplicateReport(b *testing.B) {
	f := fixture.New(b, fixture.Options{Accounts: 10, Mode: vetshare.ModeAutomatic})
	now := f.Clock.Now()
	items := make([][]vetshare.Item, 10)
	f.Update(b, func(tx *vetshare.Tx) error {
		for a := range 10 {
			for i := range 500 {
				it := vetshare.Item{ID: vetshare.NewID[vetshare.ItemID](now), AccountID: f.Accounts[a].ID, Name: fmt.Sprintf("Item %d", i),
					Kind: vetshare.ItemProduct, CreatedAt: now,
					Reminders: []vetshare.ReminderRule{{Kind: fmt.Sprintf("Kind %d", i), Interval: yearly}}}
				if err := txn.D(tx).InsertItem(ctx, it); err != nil {
					return err
				}
				items[a] = append(items[a], it)
			}
		}
		for a := range 10 {
			for z := range 10 {
				for i := range 500 {
					if a == z || (i+a+z)%10 == 0 {
						continue
					}
					if err := txn.D(tx).InsertDisableAction(ctx, vetshare.DisableAction{AccountID: f.Accounts[a].ID, ItemID: items[a][i].ID,
						TargetAccountID: f.Accounts[z].ID, TargetItemID: items[z][i].ID, CreatedAt: now}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	cl, _ := f.Client(b, 0, "Rogers", "Shaggy")
	f.Update(b, func(tx *vetshare.Tx) error {
		for p := range 200 {
			pt, err := records.AddPatient(ctx, tx, f.Actor(0), vetshare.Patient{ClientID: cl.ID, Name: fmt.Sprintf("Dog %d", p), Species: "dog"})
			if err != nil {
				return err
			}
			// Given at a, then at z, whose item has no action for a's: a duplicate.
			i := 10 * (p % 50)
			a, z := p%10, (10-p%10)%10
			if a == z {
				z = (a + 5) % 10
				i = (20 - a - z) % 10 // (i+a+z)%10 == 0
			}
			for _, x := range []int{a, z} {
				if _, err := records.AddUsage(ctx, tx, f.Actor(x), vetshare.Record{PatientID: pt.ID, ItemID: items[x][i].ID, Quantity: 1}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	for b.Loop() {
		f.View(b, func(tx *vetshare.Tx) error {
			r, err := reminders.DuplicateReport(ctx, tx, f.Actor(0))
			if err == nil && (len(r.Duplicates) != 200 || len(r.Gaps) == 0) {
				err = fmt.Errorf("%d duplicates, %d gaps", len(r.Duplicates), len(r.Gaps))
			}
			b.ReportMetric(float64(len(r.Gaps)), "gaps")
			return err
		})
	}
}
