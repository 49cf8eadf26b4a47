package records_test

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
)

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
	s.f.Update(t, func(tx *vetshare.Tx) error {
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
	s.f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		ch, err = records.AddUsage(ctx, tx, actor, vetshare.Record{PatientID: s.patient.ID, ItemID: item.ID, Quantity: 1})
		return err
	})
	return ch
}

func (s *scooby) onHand(t testing.TB, actor vetshare.Actor, item vetshare.Item) int64 {
	t.Helper()
	var n int64
	s.f.View(t, func(tx *vetshare.Tx) error {
		it, err := inventory.Item(ctx, tx, actor, item.ID)
		n = it.OnHand
		return err
	})
	return n
}

func (s *scooby) reminders(t testing.TB, status vetshare.ReminderStatus) []vetshare.Reminder {
	t.Helper()
	var rs []vetshare.Reminder
	s.f.View(t, func(tx *vetshare.Tx) error {
		var err error
		rs, _, err = reminders.PatientReminders(ctx, tx, s.a, s.patient.ID, status, vetshare.Page{})
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
	s.f.Update(t, func(tx *vetshare.Tx) error {
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
		{"ErrMalformedItem", vetshare.Record{PatientID: s.patient.ID, ItemID: "rabies\x00", Quantity: 1}, func(err error) bool { return errors.Is(err, vetshare.ErrInvalid) }},
		{"ErrQuantityZero", vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesA.ID}, isInvalid("Quantity")},
		{"ErrQuantityNegative", vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesA.ID, Quantity: -2}, isInvalid("Quantity")},
		{"ErrQuantityHuge", vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesA.ID, Quantity: 1 << 62}, isInvalid("Quantity")},
		{"ErrKind", vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesA.ID, Quantity: 1, Kind: vetshare.RecordNote}, isInvalid("Kind")},
		{"ErrUnknownPatient", vetshare.Record{PatientID: vetshare.NewID[vetshare.PatientID](time.Now()), ItemID: s.rabiesA.ID, Quantity: 1}, func(err error) bool { return errors.Is(err, vetshare.ErrNotFound) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.f.Store.Update(ctx, func(tx *vetshare.Tx) error {
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
	s.f.Update(t, func(tx *vetshare.Tx) error {
		_, err := records.AddUsage(ctx, tx, s.a, vetshare.Record{PatientID: s.patient.ID, ItemID: s.dhppA.ID, Quantity: 12})
		return err
	})
	if got := s.onHand(t, s.a, s.dhppA); got != -2 {
		t.Errorf("on hand = %d, want -2", got)
	}
	var below []vetshare.Item
	var ledger []vetshare.StockMovement
	s.f.View(t, func(tx *vetshare.Tx) error {
		var err error
		if below, _, err = inventory.BelowZero(ctx, tx, s.a, vetshare.Page{}); err != nil {
			return err
		}
		ledger, _, err = inventory.Ledger(ctx, tx, s.a, s.dhppA.ID, vetshare.Page{})
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
	s.f.Update(t, func(tx *vetshare.Tx) error {
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
	s.f.View(t, func(tx *vetshare.Tx) error {
		var err error
		entries, err = txn.D(tx).AuditEntries(ctx, s.f.Owner.ID, 0, 1000)
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
			s.f.Update(t, func(tx *vetshare.Tx) error {
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
			s.f.Update(t, func(tx *vetshare.Tx) error {
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
			s.f.View(t, func(tx *vetshare.Tx) error {
				var err error
				if history, _, err = records.History(ctx, tx, s.b, records.HistoryQuery{Patient: s.patient.ID}, vetshare.Page{}); err != nil {
					return err
				}
				all, _, err = records.History(ctx, tx, s.b, records.HistoryQuery{Patient: s.patient.ID, IncludeRemoved: true}, vetshare.Page{})
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
		run  func(tx *vetshare.Tx) error
		is   error
	}{
		{"ErrItemNotOfTarget", func(tx *vetshare.Tx) error {
			_, _, err := records.MoveUsage(ctx, tx, s.a, u.Record.ID, "wrong place", s.accntB, s.rabiesA.ID)
			return err
		}, vetshare.ErrNotPermitted},
		{"ErrTargetNotSharing", func(tx *vetshare.Tx) error {
			// Account 2 is outside the group: it does not share Scooby.
			_, _, err := records.MoveUsage(ctx, tx, s.a, u.Record.ID, "wrong place", s.f.Accounts[2].ID, s.rabiesB.ID)
			return err
		}, vetshare.ErrNotPermitted},
		{"ErrReasonEmpty", func(tx *vetshare.Tx) error {
			_, _, err := records.MoveUsage(ctx, tx, s.a, u.Record.ID, " ", s.accntB, s.rabiesB.ID)
			return err
		}, vetshare.ErrInvalid},
		{"ErrRemoveFromOtherAccount", func(tx *vetshare.Tx) error {
			_, err := records.RemoveUsage(ctx, tx, s.b, u.Record.ID, "not ours")
			return err
		}, vetshare.ErrNotPermitted},
		{"ErrNotAUsage", func(tx *vetshare.Tx) error {
			note, err := records.AddRecord(ctx, tx, s.a, vetshare.Record{PatientID: s.patient.ID, Kind: vetshare.RecordNote, Text: "bright"})
			if err != nil {
				return err
			}
			_, err = records.RemoveUsage(ctx, tx, s.a, note.ID, "typo")
			return err
		}, vetshare.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.f.Store.Update(ctx, func(tx *vetshare.Tx) error { return tc.run(tx) })
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
		s.f.Update(t, func(tx *vetshare.Tx) error {
			_, err := records.RemoveUsage(ctx, tx, s.a, u.Record.ID, "mistake")
			return err
		})
		err := s.f.Store.Update(ctx, func(tx *vetshare.Tx) error {
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
	s.f.Update(t, func(tx *vetshare.Tx) error {
		_, err := reminders.AddDisableAction(ctx, tx, s.a, s.rabiesA.ID, s.rabiesB.ID)
		return err
	})
	atB := s.give(t, s.b, s.rabiesB)
	s.f.Clock.Add(time.Hour)
	first := s.give(t, s.a, s.rabiesA)
	s.f.Clock.Add(time.Hour)
	second := s.give(t, s.a, s.rabiesA) // completes first's reminder; B's is already completed
	var removed records.UsageChange
	s.f.Update(t, func(tx *vetshare.Tx) error {
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
	s.f.View(t, func(tx *vetshare.Tx) error {
		var err error
		e, err = txn.D(tx).AuditEntries(ctx, s.f.Owner.ID, 0, 1000)
		return err
	})
	if n, err := verify(s); err != nil || n != int64(len(e)) {
		t.Errorf("audit chain: %d entries verified, %v", n, err)
	}
}

func verify(s *scooby) (int64, error) {
	var n int64
	err := s.f.Store.View(ctx, func(tx *vetshare.Tx) error {
		var err error
		n, err = audit.Verify(ctx, tx, s.a)
		return err
	})
	return n, err
}

// R5.3, R5.4, R7.4, R7.8: over random sequences of usages, removals and moves at the accounts
// of a group, with a random setup of disable actions:
//   - every item's count on hand equals the sum of its ledger, and the opening stock less the
//     quantities of the usages that stand;
//   - no reminder is open twice for one patient, item and kind;
//   - every completed reminder names a standing usage that completes it;
//   - the reminders are exactly those of the standing usages recorded in order, as if each
//     removed usage had never been recorded and each moved one had been recorded where it
//     ended up in the first place.
func TestR5_R7_UsageSequencesProperty(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3, Mode: vetshare.ModeAutomatic})
	rapid.Check(t, func(rt *rapid.T) {
		const opening = 100
		var client vetshare.Client
		var patients [2]vetshare.Patient
		var items [3][2]vetshare.Item // per account: a Rabies item, a DHPP item
		var actions []vetshare.DisableAction
		tracked := rapid.SliceOfN(rapid.Bool(), 6, 6).Draw(rt, "tracked")
		type pair struct{ x, z [2]int }
		var wanted []pair
		for xa := range 3 {
			for xs := range 2 {
				for za := range 3 {
					for zs := range 2 {
						if (xa != za || xs != zs) && rapid.IntRange(0, 3).Draw(rt, "action") == 0 {
							wanted = append(wanted, pair{[2]int{xa, xs}, [2]int{za, zs}})
						}
					}
				}
			}
		}
		err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
			var err error
			if client, _, err = records.CreateClient(ctx, tx, f.Actor(0), vetshare.Client{LastName: "Rogers", FirstName: "Shaggy"}); err != nil {
				return err
			}
			for i := range patients {
				if patients[i], err = records.AddPatient(ctx, tx, f.Actor(i), vetshare.Patient{ClientID: client.ID, Name: "Scooby", Species: "dog"}); err != nil {
					return err
				}
			}
			for a := range 3 {
				for slot, rule := range []vetshare.ReminderRule{{Kind: "Rabies", Interval: yearly}, {Kind: "DHPP", Interval: weeks3}} {
					it := vetshare.Item{Name: rule.Kind, Kind: vetshare.ItemProduct, Tracked: tracked[2*a+slot], Reminders: []vetshare.ReminderRule{rule}}
					if items[a][slot], err = inventory.CreateItem(ctx, tx, f.Actor(a), it); err != nil {
						return err
					}
					if it.Tracked {
						if _, err := inventory.Receive(ctx, tx, f.Actor(a), items[a][slot].ID, opening, ""); err != nil {
							return err
						}
					}
				}
			}
			for _, p := range wanted {
				a, err := reminders.AddDisableAction(ctx, tx, f.Actor(p.x[0]), items[p.x[0]][p.x[1]].ID, items[p.z[0]][p.z[1]].ID)
				if err != nil {
					return err
				}
				actions = append(actions, a)
			}
			return nil
		})
		if err != nil {
			rt.Fatal(err)
		}
		itemOf := map[vetshare.ItemID]vetshare.Item{}
		for a := range 3 {
			for s := range 2 {
				itemOf[items[a][s].ID] = items[a][s]
			}
		}
		var standing []vetshare.Record // the usages that stand, in the order recorded
		drop := func(i int) { standing = append(standing[:i:i], standing[i+1:]...) }
		steps := rapid.IntRange(1, 20).Draw(rt, "steps")
		for range steps {
			f.Clock.Add(time.Hour)
			err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
				switch op := rapid.IntRange(0, 3).Draw(rt, "op"); {
				case op <= 1 || len(standing) == 0:
					a, slot := rapid.IntRange(0, 2).Draw(rt, "account"), rapid.IntRange(0, 1).Draw(rt, "slot")
					p := patients[rapid.IntRange(0, 1).Draw(rt, "patient")]
					ch, err := records.AddUsage(ctx, tx, f.Actor(a), vetshare.Record{PatientID: p.ID, ItemID: items[a][slot].ID, Quantity: int64(rapid.IntRange(1, 5).Draw(rt, "qty"))})
					standing = append(standing, ch.Record)
					return err
				case op == 2:
					i := rapid.IntRange(0, len(standing)-1).Draw(rt, "remove")
					u := standing[i]
					_, err := records.RemoveUsage(ctx, tx, vetshare.Actor{User: f.Admin.ID, Account: u.AccountID}, u.ID, "wrong")
					drop(i)
					return err
				default:
					i := rapid.IntRange(0, len(standing)-1).Draw(rt, "move")
					u := standing[i]
					to := rapid.IntRange(0, 2).Draw(rt, "to")
					slot := 0
					if itemOf[u.ItemID].Name == "DHPP" {
						slot = 1
					}
					_, added, err := records.MoveUsage(ctx, tx, vetshare.Actor{User: f.Admin.ID, Account: u.AccountID}, u.ID, "wrong account", f.Accounts[to].ID, items[to][slot].ID)
					drop(i)
					standing = append(standing, added.Record)
					return err
				}
			})
			if err != nil {
				rt.Fatal(err)
			}
		}

		// The model: the standing usages replayed with the pure rules in the order they were
		// given, then recorded (R12.4): a moved usage keeps its time given.
		slices.SortStableFunc(standing, func(a, b vetshare.Record) int {
			if reminders.Before(a, b) {
				return -1
			}
			return 1
		})
		type key struct {
			usage vetshare.RecordID
			kind  string
		}
		type state struct {
			Patient     vetshare.PatientID
			Account     vetshare.AccountID
			Item        vetshare.ItemID
			Due         time.Time
			Status      vetshare.ReminderStatus
			CompletedBy vetshare.RecordID
		}
		want := map[key]state{}
		var open []vetshare.Reminder
		wantOnHand := map[vetshare.ItemID]int64{}
		for _, u := range standing {
			for _, r := range reminders.ResolveDisableActions(u, open, actions) {
				k := key{r.UsageID, r.Kind}
				s := want[k]
				s.Status, s.CompletedBy = r.Status, r.CompletedBy
				want[k] = s
			}
			open = open[:0]
			for _, r := range reminders.Schedule(u, itemOf[u.ItemID]) {
				want[key{r.UsageID, r.Kind}] = state{r.PatientID, r.AccountID, r.ItemID, r.Due, r.Status, ""}
			}
			for k, s := range want {
				if s.Status == vetshare.ReminderOpen {
					open = append(open, vetshare.Reminder{PatientID: s.Patient, ItemID: s.Item, UsageID: k.usage, Kind: k.kind, Status: s.Status})
				}
			}
			wantOnHand[u.ItemID] -= u.Quantity
		}

		got := map[key]state{}
		isStanding := map[vetshare.RecordID]vetshare.Record{}
		for _, u := range standing {
			isStanding[u.ID] = u
		}
		err = f.Store.View(ctx, func(tx *vetshare.Tx) error {
			for _, p := range patients {
				rs, err := txn.D(tx).PatientReminders(ctx, p.ID, "")
				if err != nil {
					return err
				}
				openOnce := map[[2]string]bool{}
				for _, r := range rs {
					if r.Status == vetshare.ReminderWithdrawn {
						if _, ok := isStanding[r.UsageID]; ok {
							rt.Errorf("reminder %s of a standing usage is withdrawn", r.ID)
						}
						continue
					}
					got[key{r.UsageID, r.Kind}] = state{r.PatientID, r.AccountID, r.ItemID, r.Due, r.Status, r.CompletedBy}
					if r.Status == vetshare.ReminderOpen {
						k := [2]string{string(r.ItemID), r.Kind}
						if openOnce[k] {
							rt.Errorf("patient %s has two open reminders of item %s, kind %s", p.ID, r.ItemID, r.Kind)
						}
						openOnce[k] = true
					}
					if r.Status == vetshare.ReminderCompleted {
						by, ok := isStanding[r.CompletedBy]
						if !ok || !reminders.Targets(by, actions)[r.ItemID] {
							rt.Errorf("reminder %s is completed by %q, not a standing usage that completes it", r.ID, r.CompletedBy)
						}
					}
				}
			}
			for id, it := range itemOf {
				ms, err := txn.D(tx).StockMovements(ctx, id, "", 100000)
				if err != nil {
					return err
				}
				var sum int64
				for _, m := range ms {
					sum += m.Quantity
				}
				cur, err := txn.D(tx).Item(ctx, id)
				if err != nil {
					return err
				}
				if cur.OnHand != sum {
					rt.Errorf("item %s: on hand %d, ledger sums to %d", id, cur.OnHand, sum)
				}
				if want := map[bool]int64{true: opening + wantOnHand[id], false: 0}[it.Tracked]; cur.OnHand != want {
					rt.Errorf("item %s: on hand %d, want %d", id, cur.OnHand, want)
				}
			}
			return nil
		})
		if err != nil {
			rt.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(key{})); diff != "" {
			rt.Errorf("reminders differ from a replay of the standing usages (-want +got):\n%s", diff)
		}
	})
}

// BenchmarkAddUsage records a usage with stock, reminder scheduling and disable resolution
// against a patient with 50 open reminders, and, interleaved in the same loop, the same rows
// written with plain SQL (a record, a ledger entry and its count, one reminder completed and
// one scheduled) for another patient in the same state. It reports both and their ratio.
func BenchmarkAddUsage(b *testing.B) {
	f := fixture.New(b, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	cl, _ := f.Client(b, 0, "Rogers", "Shaggy")
	lib, base := f.Patient(b, 0, cl.ID, "Scooby", "dog"), f.Patient(b, 0, cl.ID, "Scrappy", "dog")
	var given vetshare.Item
	var target vetshare.Item
	f.Update(b, func(tx *vetshare.Tx) error {
		var err error
		// 50 items with a reminder each, given once to both patients: 50 open reminders each.
		for i := range 50 {
			it, err := inventory.CreateItem(ctx, tx, f.Actor(i%2), vetshare.Item{Name: fmt.Sprintf("Vaccine %d", i), Kind: vetshare.ItemProduct,
				Tracked: true, Reminders: []vetshare.ReminderRule{{Kind: fmt.Sprintf("Kind %d", i), Interval: yearly}}})
			if err != nil {
				return err
			}
			if i == 1 {
				target = it
			}
			for _, p := range []vetshare.Patient{lib, base} {
				if _, err := records.AddUsage(ctx, tx, f.Actor(i%2), vetshare.Record{PatientID: p.ID, ItemID: it.ID, Quantity: 1}); err != nil {
					return err
				}
			}
		}
		if given, err = inventory.CreateItem(ctx, tx, f.Actor(0), vetshare.Item{Name: "Rabies", Kind: vetshare.ItemProduct, Tracked: true,
			Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: yearly}}}); err != nil {
			return err
		}
		if _, err := reminders.AddDisableAction(ctx, tx, f.Actor(0), given.ID, target.ID); err != nil {
			return err
		}
		for _, p := range []vetshare.Patient{lib, base} {
			if _, err := records.AddUsage(ctx, tx, f.Actor(0), vetshare.Record{PatientID: p.ID, ItemID: given.ID, Quantity: 1}); err != nil {
				return err
			}
		}
		return nil
	})

	// The baseline: the same rows, with statements prepared once, in one transaction each.
	db := f.RequireSQLite(b).DB()
	prep := func(q string) *sql.Stmt {
		st, err := db.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}
	insRecord := prep(`INSERT INTO vetshare_records (id, patient_id, account_id, user_id, kind, text, item_id, quantity, created_at, given_at, seq)
		VALUES (?1, ?2, ?3, ?4, 'usage', '', ?5, 1, ?6, ?6, (SELECT coalesce(max(seq), 0) + 1 FROM vetshare_records))`)
	updItem := prep(`UPDATE vetshare_items SET on_hand = on_hand - 1 WHERE id = ?`)
	insMove := prep(`INSERT INTO vetshare_stock_movements (id, seq, account_id, item_id, kind, quantity, record_id, user_id, note, at)
		VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM vetshare_stock_movements WHERE item_id = ?), ?, ?, 'used', -1, ?, ?, '', ?)`)
	complete := prep(`UPDATE vetshare_reminders SET status = 'completed', completed_by = ?, completed_at = ? WHERE id = ?`)
	insRem := prep(`INSERT INTO vetshare_reminders (id, patient_id, account_id, item_id, usage_id, kind, kind_key, due, status, created_at)
		VALUES (?, ?, ?, ?, ?, 'Rabies', 'rabies', ?, 'open', ?)`)
	var open vetshare.ReminderID
	f.View(b, func(tx *vetshare.Tx) error {
		rs, err := txn.D(tx).PatientReminders(ctx, base.ID, vetshare.ReminderOpen)
		for _, r := range rs {
			if r.ItemID == given.ID {
				open = r.ID
			}
		}
		return err
	})
	a := f.Actor(0)
	plain := func() {
		now := time.Now().UTC()
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		rec, rem := vetshare.NewID[vetshare.RecordID](now), vetshare.NewID[vetshare.ReminderID](now)
		us := now.UnixMicro()
		for _, e := range []func() (sql.Result, error){
			func() (sql.Result, error) {
				return tx.Stmt(insRecord).Exec(rec, base.ID, a.Account, a.User, given.ID, us)
			},
			func() (sql.Result, error) { return tx.Stmt(updItem).Exec(given.ID) },
			func() (sql.Result, error) {
				return tx.Stmt(insMove).Exec(vetshare.NewID[vetshare.MovementID](now), given.ID, a.Account, given.ID, rec, a.User, us)
			},
			func() (sql.Result, error) { return tx.Stmt(complete).Exec(rec, us, open) },
			func() (sql.Result, error) {
				return tx.Stmt(insRem).Exec(rem, base.ID, a.Account, given.ID, rec, now.AddDate(1, 0, 0).UnixMicro(), us)
			},
		} {
			if _, err := e(); err != nil {
				tx.Rollback()
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		open = rem
	}
	u := vetshare.Record{PatientID: lib.ID, ItemID: given.ID, Quantity: 1}
	var libTime, sqlTime time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
			ch, err := records.AddUsage(ctx, tx, a, u)
			if err == nil && (len(ch.Changed) != 1 || len(ch.Scheduled) != 1) {
				err = fmt.Errorf("changed %d, scheduled %d; want 1 and 1", len(ch.Changed), len(ch.Scheduled))
			}
			return err
		}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		plain()
		libTime, sqlTime = libTime+t1.Sub(t0), sqlTime+time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(libTime.Nanoseconds())/n, "vetshare-ns/op")
	b.ReportMetric(float64(sqlTime.Nanoseconds())/n, "plainsql-ns/op")
	b.ReportMetric(float64(libTime)/float64(sqlTime), "ratio")
}
