package records_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
)

var ctx = context.Background()

var (
	yearly = vetshare.Interval{Count: 1, Unit: vetshare.Years}
	weeks3 = vetshare.Interval{Count: 3, Unit: vetshare.Weeks}
)

// scooby is the story of SPEC R7: Scooby, a client's dog created at location A (account 0),
// shared with location B (account 1) by an automatic group, and each location's vaccines.
type scooby struct {
	f                *fixture.Fixture
	a, b             vetshare.Actor
	patient          vetshare.Patient
	dhppA, rabiesA   vetshare.Item
	rabiesB, examB   vetshare.Item
	client           vetshare.Client
	accountA, accntB vetshare.AccountID
}

func newScooby(t testing.TB, accounts int) *scooby {
	t.Helper()
	f := fixture.New(t, fixture.Options{Accounts: accounts})
	f.Enable(t, vetshare.ModeAutomatic, f.Accounts[0].ID, f.Accounts[1].ID)
	s := &scooby{f: f, a: f.Actor(0), b: f.Actor(1), accountA: f.Accounts[0].ID, accntB: f.Accounts[1].ID}
	s.client, _ = f.Client(t, 0, "Rogers", "Shaggy")
	s.patient = f.Patient(t, 0, s.client.ID, "Scooby", "dog")
	s.dhppA = s.item(t, s.a, vetshare.Item{Name: "DHPP vaccine", Kind: vetshare.ItemProduct, Tracked: true,
		Reminders: []vetshare.ReminderRule{{Kind: "DHPP", Interval: weeks3}}})
	s.rabiesA = s.item(t, s.a, vetshare.Item{Name: "Rabies vaccine", Kind: vetshare.ItemProduct, Tracked: true,
		Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: yearly}}})
	s.rabiesB = s.item(t, s.b, vetshare.Item{Name: "Rabies 1 yr", Kind: vetshare.ItemProduct, Tracked: true,
		Reminders: []vetshare.ReminderRule{{Kind: "rabies", Interval: yearly}}})
	s.examB = s.item(t, s.b, vetshare.Item{Name: "Wellness exam", Kind: vetshare.ItemService})
	return s
}

func (s *scooby) item(t testing.TB, actor vetshare.Actor, it vetshare.Item) vetshare.Item {
	t.Helper()
	s.f.Update(t, func(tx vetshare.Tx) error {
		var err error
		if it, err = inventory.CreateItem(ctx, tx, actor, it); err != nil {
			return err
		}
		if it.Tracked {
			_, err = inventory.Receive(ctx, tx, actor, it.ID, 10, "opening stock")
		}
		return err
	})
	return it
}

func (s *scooby) give(t testing.TB, actor vetshare.Actor, item vetshare.Item) records.UsageChange {
	t.Helper()
	var ch records.UsageChange
	s.f.Update(t, func(tx vetshare.Tx) error {
		var err error
		ch, err = records.AddUsage(ctx, tx, actor, vetshare.Record{PatientID: s.patient.ID, ItemID: item.ID, Quantity: 1})
		return err
	})
	return ch
}

func (s *scooby) onHand(t testing.TB, actor vetshare.Actor, item vetshare.Item) int64 {
	t.Helper()
	var n int64
	s.f.View(t, func(tx vetshare.Tx) error {
		it, err := inventory.Item(ctx, tx, actor, item.ID)
		n = it.OnHand
		return err
	})
	return n
}

func (s *scooby) reminders(t testing.TB, status vetshare.ReminderStatus) []vetshare.Reminder {
	t.Helper()
	var rs []vetshare.Reminder
	s.f.View(t, func(tx vetshare.Tx) error {
		var err error
		rs, err = reminders.PatientReminders(ctx, tx, s.a, s.patient.ID, status)
		return err
	})
	return rs
}

// R5.2: a usage at account X moves X's stock, and only X's.
func TestR5_2_UsageMovesStockOfItsAccount(t *testing.T) {
	s := newScooby(t, 2)
	ch := s.give(t, s.b, s.rabiesB)
	if got := s.onHand(t, s.b, s.rabiesB); got != 9 {
		t.Errorf("B's Rabies on hand = %d, want 9", got)
	}
	if got := s.onHand(t, s.a, s.rabiesA); got != 10 {
		t.Errorf("A's Rabies on hand = %d, want 10 (untouched)", got)
	}
	want := vetshare.StockMovement{ID: ch.Movement.ID, AccountID: s.accntB, ItemID: s.rabiesB.ID, Kind: vetshare.MoveUsed,
		Quantity: -1, RecordID: ch.Record.ID, UserID: s.b.User, At: ch.Record.CreatedAt}
	if diff := cmp.Diff(want, ch.Movement); diff != "" {
		t.Errorf("movement (-want +got):\n%s", diff)
	}
	if ch.Record.Kind != vetshare.RecordUsage || ch.Record.AccountID != s.accntB || ch.Record.UserID != s.b.User {
		t.Errorf("record = %+v, want a usage stamped with B and its user", ch.Record)
	}
	// An untracked service moves nothing.
	if ch := s.give(t, s.b, s.examB); ch.Movement != (vetshare.StockMovement{}) {
		t.Errorf("exam movement = %+v, want none", ch.Movement)
	}
}

// R5.2, R11.1: an item of another account is refused with a typed error naming its account, and
// nothing changes; an item of another owner is not found.
func TestR5_2_ItemOfAnotherAccountRefused(t *testing.T) {
	s := newScooby(t, 2)
	var foreign vetshare.Item
	s.f.Update(t, func(tx vetshare.Tx) error {
		o, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Other Group"})
		if err != nil {
			return err
		}
		acct, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: o.ID, Name: "Elsewhere", Email: "x@elsewhere.example", TimeZone: "UTC", Currency: "USD"})
		if err != nil {
			return err
		}
		if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: s.f.Admin.ID, AccountID: acct.ID, Role: vetshare.RoleOwner, Active: true}); err != nil {
			return err
		}
		foreign, err = inventory.CreateItem(ctx, tx, vetshare.Actor{User: s.f.Admin.ID, Account: acct.ID}, vetshare.Item{Name: "Rabies", Kind: vetshare.ItemProduct, Tracked: true})
		return err
	})
	for _, tc := range []struct {
		name  string
		u     vetshare.Record
		check func(error) bool
	}{
		{"ErrItemOfOtherAccount", vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesB.ID, Quantity: 1}, func(err error) bool {
			var we *inventory.WrongAccountError
			return errors.Is(err, vetshare.ErrNotPermitted) && errors.As(err, &we) && we.ItemAccount == s.accntB && we.Account == s.accountA
		}},
		{"ErrItemOfOtherOwner", vetshare.Record{PatientID: s.patient.ID, ItemID: foreign.ID, Quantity: 1}, func(err error) bool { return errors.Is(err, vetshare.ErrNotFound) }},
		{"ErrUnknownItem", vetshare.Record{PatientID: s.patient.ID, ItemID: vetshare.NewID[vetshare.ItemID](time.Now()), Quantity: 1}, func(err error) bool { return errors.Is(err, vetshare.ErrNotFound) }},
		{"ErrMalformedItem", vetshare.Record{PatientID: s.patient.ID, ItemID: "rabies", Quantity: 1}, func(err error) bool { return errors.Is(err, vetshare.ErrInvalid) }},
		{"ErrQuantityZero", vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesA.ID}, isInvalid("Quantity")},
		{"ErrQuantityNegative", vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesA.ID, Quantity: -2}, isInvalid("Quantity")},
		{"ErrQuantityHuge", vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesA.ID, Quantity: 1 << 62}, isInvalid("Quantity")},
		{"ErrKind", vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesA.ID, Quantity: 1, Kind: vetshare.RecordNote}, isInvalid("Kind")},
		{"ErrUnknownPatient", vetshare.Record{PatientID: vetshare.NewID[vetshare.PatientID](time.Now()), ItemID: s.rabiesA.ID, Quantity: 1}, func(err error) bool { return errors.Is(err, vetshare.ErrNotFound) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.f.Store.Update(ctx, func(tx vetshare.Tx) error {
				_, err := records.AddUsage(ctx, tx, s.a, tc.u)
				return err
			})
			if !tc.check(err) {
				t.Fatalf("AddUsage = %v", err)
			}
			if got := s.onHand(t, s.a, s.rabiesA); got != 10 {
				t.Errorf("A's Rabies on hand = %d, want 10", got)
			}
			if got := s.onHand(t, s.b, s.rabiesB); got != 10 {
				t.Errorf("B's Rabies on hand = %d, want 10", got)
			}
			if rs := s.reminders(t, ""); len(rs) != 0 {
				t.Errorf("reminders = %v, want none", rs)
			}
		})
	}
}

func isInvalid(field string) func(error) bool {
	return func(err error) bool {
		var ie *vetshare.InvalidError
		return errors.As(err, &ie) && ie.Field == field
	}
}

// R5.4: a usage is never refused for lack of stock; items below zero are reported.
func TestR5_4_NeverRefusedForLackOfStock(t *testing.T) {
	s := newScooby(t, 2)
	s.f.Update(t, func(tx vetshare.Tx) error {
		_, err := records.AddUsage(ctx, tx, s.a, vetshare.Record{PatientID: s.patient.ID, ItemID: s.dhppA.ID, Quantity: 12})
		return err
	})
	if got := s.onHand(t, s.a, s.dhppA); got != -2 {
		t.Errorf("on hand = %d, want -2", got)
	}
	var below []vetshare.Item
	var ledger []vetshare.StockMovement
	s.f.View(t, func(tx vetshare.Tx) error {
		var err error
		if below, err = inventory.BelowZero(ctx, tx, s.a, inventory.Page{}); err != nil {
			return err
		}
		ledger, err = inventory.Ledger(ctx, tx, s.a, s.dhppA.ID, inventory.Page{})
		return err
	})
	if len(below) != 1 || below[0].ID != s.dhppA.ID {
		t.Errorf("below zero = %v, want DHPP alone", below)
	}
	var sum int64
	for _, m := range ledger {
		sum += m.Quantity
	}
	if sum != -2 || len(ledger) != 2 {
		t.Errorf("ledger %v sums to %d, want 2 movements summing to -2", ledger, sum)
	}
}

// R7.2: Scooby gets DHPP at A: the DHPP reminder comes from A. A week later he gets Rabies at B:
// the Rabies reminder comes from B, though the client was created at A and A is his home.
func TestR7_2_ScoobyRemindersComeFromWhereGiven(t *testing.T) {
	s := newScooby(t, 2)
	dhpp := s.give(t, s.a, s.dhppA)
	s.f.Clock.Add(7 * 24 * time.Hour)
	rabies := s.give(t, s.b, s.rabiesB)
	if len(dhpp.Scheduled) != 1 || dhpp.Scheduled[0].AccountID != s.accountA || dhpp.Scheduled[0].Kind != "DHPP" {
		t.Errorf("DHPP scheduled %+v, want one DHPP reminder from A", dhpp.Scheduled)
	}
	if len(rabies.Scheduled) != 1 || rabies.Scheduled[0].AccountID != s.accntB {
		t.Errorf("Rabies scheduled %+v, want one reminder from B", rabies.Scheduled)
	}
	if want := rabies.Record.CreatedAt.AddDate(1, 0, 0); !rabies.Scheduled[0].Due.Equal(want) {
		t.Errorf("Rabies due %v, want %v", rabies.Scheduled[0].Due, want)
	}
	if diff := cmp.Diff(append(dhpp.Scheduled, rabies.Scheduled...), s.reminders(t, vetshare.ReminderOpen)); diff != "" {
		t.Errorf("open reminders (-want +got):\n%s", diff)
	}
}

// R7.4: Scooby got Rabies at B; later Rabies is given at A, which has an action for B's Rabies
// item: B's reminder is completed, stamped with A's usage, and A's new one is the one open. The
// cross-account completion is audited (R10.1).
func TestR7_4_ScoobyCrossLocationDisableAction(t *testing.T) {
	s := newScooby(t, 2)
	s.f.Update(t, func(tx vetshare.Tx) error {
		_, err := reminders.AddDisableAction(ctx, tx, s.a, s.rabiesA.ID, s.rabiesB.ID)
		return err
	})
	dhpp := s.give(t, s.a, s.dhppA)
	atB := s.give(t, s.b, s.rabiesB)
	s.f.Clock.Add(30 * 24 * time.Hour)
	atA := s.give(t, s.a, s.rabiesA)

	want := atB.Scheduled[0]
	want.Status, want.CompletedBy, want.CompletedAt = vetshare.ReminderCompleted, atA.Record.ID, atA.Record.CreatedAt
	if diff := cmp.Diff([]vetshare.Reminder{want}, atA.Changed); diff != "" {
		t.Errorf("completed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]vetshare.Reminder{dhpp.Scheduled[0], atA.Scheduled[0]}, s.reminders(t, vetshare.ReminderOpen)); diff != "" {
		t.Errorf("open reminders (-want +got):\n%s", diff)
	}
	var entries []vetshare.AuditEntry
	s.f.View(t, func(tx vetshare.Tx) error {
		var err error
		entries, err = tx.AuditEntries(ctx, s.f.Owner.ID, 0, 1000)
		return err
	})
	found := false
	for _, e := range entries {
		found = found || e.Action == "reminders.complete" && e.Subject == "record:"+string(atA.Record.ID) && e.AccountID == s.accountA
	}
	if !found {
		t.Errorf("no audit entry for the completion of B's reminder from A")
	}
}

// R7.5: without the action, B's reminder stays open next to A's: a duplicate.
func TestR7_5_ScoobyWithoutActionHasDuplicate(t *testing.T) {
	s := newScooby(t, 2)
	atB := s.give(t, s.b, s.rabiesB)
	atA := s.give(t, s.a, s.rabiesA)
	if len(atA.Changed) != 0 {
		t.Errorf("completed %v, want nothing", atA.Changed)
	}
	if diff := cmp.Diff([]vetshare.Reminder{atB.Scheduled[0], atA.Scheduled[0]}, s.reminders(t, vetshare.ReminderOpen)); diff != "" {
		t.Errorf("open reminders (-want +got):\n%s", diff)
	}
}

// R5.3, R7.8: a usage recorded at the wrong account is removed there, returning its stock,
// withdrawing its reminders and reopening those it completed, and re-added at the right one:
// in two steps and in one call.
func TestR5_3_RemoveAndReAdd(t *testing.T) {
	for _, oneCall := range []bool{false, true} {
		name := map[bool]string{false: "TwoSteps", true: "MoveUsage"}[oneCall]
		t.Run(name, func(t *testing.T) {
			s := newScooby(t, 2)
			s.f.Update(t, func(tx vetshare.Tx) error {
				_, err := reminders.AddDisableAction(ctx, tx, s.a, s.rabiesA.ID, s.rabiesB.ID)
				return err
			})
			atB := s.give(t, s.b, s.rabiesB)
			s.f.Clock.Add(24 * time.Hour)
			wrong := s.give(t, s.a, s.rabiesA) // given at B, but recorded at A by mistake
			if len(wrong.Changed) != 1 {
				t.Fatalf("the wrong usage completed %v, want B's reminder", wrong.Changed)
			}
			s.f.Clock.Add(time.Hour)
			var removed, added records.UsageChange
			s.f.Update(t, func(tx vetshare.Tx) error {
				var err error
				if oneCall {
					removed, added, err = records.MoveUsage(ctx, tx, s.a, wrong.Record.ID, "given at B", s.accntB, s.rabiesB.ID)
					return err
				}
				if removed, err = records.RemoveUsage(ctx, tx, s.a, wrong.Record.ID, "given at B"); err != nil {
					return err
				}
				added, err = records.AddUsage(ctx, tx, s.b, vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesB.ID, Quantity: 1})
				return err
			})
			// Stock: returned at A, taken at B.
			if got := s.onHand(t, s.a, s.rabiesA); got != 10 {
				t.Errorf("A on hand = %d, want 10", got)
			}
			if got := s.onHand(t, s.b, s.rabiesB); got != 8 {
				t.Errorf("B on hand = %d, want 8", got)
			}
			if removed.Movement.Kind != vetshare.MoveReturned || removed.Movement.Quantity != 1 || removed.Movement.AccountID != s.accountA {
				t.Errorf("returned %+v, want +1 returned at A", removed.Movement)
			}
			// The removed record is kept and marked, and left out of the history.
			if rm := removed.Record.Removed; rm == nil || rm.Reason != "given at B" || rm.UserID != s.a.User || rm.AccountID != s.accountA {
				t.Errorf("removal = %+v", removed.Record.Removed)
			}
			var history, all []vetshare.Record
			s.f.View(t, func(tx vetshare.Tx) error {
				var err error
				if history, err = records.History(ctx, tx, s.b, records.HistoryQuery{Patient: s.patient.ID}); err != nil {
					return err
				}
				all, err = records.History(ctx, tx, s.b, records.HistoryQuery{Patient: s.patient.ID, IncludeRemoved: true})
				return err
			})
			for _, r := range history {
				if r.ID == wrong.Record.ID {
					t.Errorf("the removed usage is still in the history")
				}
			}
			if len(all) != len(history)+1 {
				t.Errorf("history with removed has %d records, want %d", len(all), len(history)+1)
			}
			// Reminders: A's withdrawn; B's first reopened by the removal, then completed by the
			// re-added usage at B (an item completes its own reminders); B's new one open.
			wantChanged := []vetshare.Reminder{wrong.Scheduled[0], atB.Scheduled[0]}
			wantChanged[0].Status = vetshare.ReminderWithdrawn
			if diff := cmp.Diff(wantChanged, removed.Changed); diff != "" {
				t.Errorf("removal changed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]vetshare.Reminder{added.Scheduled[0]}, s.reminders(t, vetshare.ReminderOpen)); diff != "" {
				t.Errorf("open reminders (-want +got):\n%s", diff)
			}
			if len(added.Changed) != 1 || added.Changed[0].ID != atB.Scheduled[0].ID || added.Changed[0].CompletedBy != added.Record.ID {
				t.Errorf("re-added usage completed %+v, want B's first reminder", added.Changed)
			}
		})
	}
}

// R5.3, R11.1: a move to an item that is not the target account's, or an account the user has
// no membership in, changes nothing; removing twice is a conflict; only the recording account
// removes.
func TestR5_3_MoveUsageBadInput(t *testing.T) {
	s := newScooby(t, 3)
	u := s.give(t, s.a, s.rabiesA)
	for _, tc := range []struct {
		name string
		run  func(tx vetshare.Tx) error
		is   error
	}{
		{"ErrItemNotOfTarget", func(tx vetshare.Tx) error {
			_, _, err := records.MoveUsage(ctx, tx, s.a, u.Record.ID, "wrong place", s.accntB, s.rabiesA.ID)
			return err
		}, vetshare.ErrNotPermitted},
		{"ErrTargetNotSharing", func(tx vetshare.Tx) error {
			// Account 2 is outside the group: it does not share Scooby.
			_, _, err := records.MoveUsage(ctx, tx, s.a, u.Record.ID, "wrong place", s.f.Accounts[2].ID, s.rabiesB.ID)
			return err
		}, vetshare.ErrNotPermitted},
		{"ErrReasonEmpty", func(tx vetshare.Tx) error {
			_, _, err := records.MoveUsage(ctx, tx, s.a, u.Record.ID, " ", s.accntB, s.rabiesB.ID)
			return err
		}, vetshare.ErrInvalid},
		{"ErrRemoveFromOtherAccount", func(tx vetshare.Tx) error {
			_, err := records.RemoveUsage(ctx, tx, s.b, u.Record.ID, "not ours")
			return err
		}, vetshare.ErrNotPermitted},
		{"ErrNotAUsage", func(tx vetshare.Tx) error {
			note, err := records.AddRecord(ctx, tx, s.a, vetshare.Record{PatientID: s.patient.ID, Kind: vetshare.RecordNote, Text: "bright"})
			if err != nil {
				return err
			}
			_, err = records.RemoveUsage(ctx, tx, s.a, note.ID, "typo")
			return err
		}, vetshare.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.f.Store.Update(ctx, func(tx vetshare.Tx) error { return tc.run(tx) })
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			if got := s.onHand(t, s.a, s.rabiesA); got != 9 {
				t.Errorf("A on hand = %d, want 9", got)
			}
			if got := s.onHand(t, s.b, s.rabiesB); got != 10 {
				t.Errorf("B on hand = %d, want 10", got)
			}
			if diff := cmp.Diff(u.Scheduled, s.reminders(t, vetshare.ReminderOpen)); diff != "" {
				t.Errorf("open reminders (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("ErrRemovedTwice", func(t *testing.T) {
		s.f.Update(t, func(tx vetshare.Tx) error {
			_, err := records.RemoveUsage(ctx, tx, s.a, u.Record.ID, "mistake")
			return err
		})
		err := s.f.Store.Update(ctx, func(tx vetshare.Tx) error {
			_, err := records.RemoveUsage(ctx, tx, s.a, u.Record.ID, "mistake")
			return err
		})
		if !errors.Is(err, vetshare.ErrConflict) {
			t.Fatalf("second removal = %v, want a conflict", err)
		}
		if got := s.onHand(t, s.a, s.rabiesA); got != 10 {
			t.Errorf("A on hand = %d, want 10 (returned once)", got)
		}
	})
}

// R7.8: a reminder completed by a removed usage stays completed when a later usage completes it
// too, now stamped with that usage.
func TestR7_8_LaterUsageKeepsReminderCompleted(t *testing.T) {
	s := newScooby(t, 2)
	s.f.Update(t, func(tx vetshare.Tx) error {
		_, err := reminders.AddDisableAction(ctx, tx, s.a, s.rabiesA.ID, s.rabiesB.ID)
		return err
	})
	atB := s.give(t, s.b, s.rabiesB)
	s.f.Clock.Add(time.Hour)
	first := s.give(t, s.a, s.rabiesA)
	s.f.Clock.Add(time.Hour)
	second := s.give(t, s.a, s.rabiesA) // completes first's reminder; B's is already completed
	var removed records.UsageChange
	s.f.Update(t, func(tx vetshare.Tx) error {
		var err error
		removed, err = records.RemoveUsage(ctx, tx, s.a, first.Record.ID, "duplicate entry")
		return err
	})
	wantB := atB.Scheduled[0]
	wantB.Status, wantB.CompletedBy, wantB.CompletedAt = vetshare.ReminderCompleted, second.Record.ID, second.Record.CreatedAt
	wantFirst := first.Scheduled[0]
	wantFirst.Status = vetshare.ReminderWithdrawn
	if diff := cmp.Diff([]vetshare.Reminder{wantFirst, wantB}, removed.Changed); diff != "" {
		t.Errorf("changed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(second.Scheduled, s.reminders(t, vetshare.ReminderOpen)); diff != "" {
		t.Errorf("open (-want +got):\n%s", diff)
	}
	var e []vetshare.AuditEntry
	s.f.View(t, func(tx vetshare.Tx) error {
		var err error
		e, err = tx.AuditEntries(ctx, s.f.Owner.ID, 0, 1000)
		return err
	})
	if n, err := verify(s); err != nil || n != int64(len(e)) {
		t.Errorf("audit chain: %d entries verified, %v", n, err)
	}
}

func verify(s *scooby) (int64, error) {
	var n int64
	err := s.f.Store.View(ctx, func(tx vetshare.Tx) error {
		var err error
		n, err = audit.Verify(ctx, tx, s.f.Owner.ID)
		return err
	})
	return n, err
}
