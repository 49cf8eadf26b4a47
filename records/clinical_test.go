package records_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
)

// giveAt records a usage of item given at given, from actor.
func (s *scooby) giveAt(t testing.TB, actor vetshare.Actor, item vetshare.Item, given time.Time) records.UsageChange {
	t.Helper()
	var ch records.UsageChange
	s.f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		ch, err = records.AddUsage(ctx, tx, actor, vetshare.Record{PatientID: s.patient.ID, ItemID: item.ID, Quantity: 1, GivenAt: given})
		return err
	})
	return ch
}

// R12.4: a record, a usage, an invoice and a payment keep the time given apart from the time
// recorded, as written and as read back.
func TestR12_4_GivenTimeStoredApartFromRecorded(t *testing.T) {
	s := newScooby(t, 2)
	s.f.Clock.Add(30 * 24 * time.Hour)
	given := s.f.Clock.Now().Add(-10 * 24 * time.Hour) // charted ten days late
	s.f.Update(t, func(tx *vetshare.Tx) error {
		now := tx.Now()
		note, err := records.AddRecord(ctx, tx, s.a, vetshare.Record{PatientID: s.patient.ID, Kind: vetshare.RecordNote, Text: "exam", GivenAt: given})
		if err != nil {
			return err
		}
		ch, err := records.AddUsage(ctx, tx, s.a, vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesA.ID, Quantity: 1, GivenAt: given})
		if err != nil {
			return err
		}
		inv, err := billing.CreateInvoice(ctx, tx, s.a, vetshare.Invoice{ClientID: s.client.ID, GivenAt: given,
			Lines: []vetshare.InvoiceLine{{Description: "Rabies", Quantity: 1, UnitPrice: 2500}}})
		if err != nil {
			return err
		}
		pay, err := billing.RecordPayment(ctx, tx, s.a, billing.PaymentRequest{Key: "k1", Invoice: inv.ID, GivenAt: given.Add(time.Hour),
			Amount: vetshare.Money{Amount: 2500, Currency: "USD"}, Channel: vetshare.ChannelCounter, Method: "cash"})
		if err != nil {
			return err
		}
		for _, r := range []vetshare.Record{note, ch.Record} {
			back, err := records.Record(ctx, tx, s.a, r.ID)
			if err != nil {
				return err
			}
			if !back.GivenAt.Equal(given) || !back.CreatedAt.Equal(now) || back != r {
				t.Errorf("%s record: given %v, recorded %v (returned %v, %v); want given %v, recorded %v", back.Kind, back.GivenAt, back.CreatedAt, r.GivenAt, r.CreatedAt, given, now)
			}
		}
		back, err := billing.Invoice(ctx, tx, s.a, inv.ID)
		if err != nil {
			return err
		}
		if !back.GivenAt.Equal(given) || !back.IssuedAt.Equal(now) || !back.PaidAt.Equal(pay.GivenAt) {
			t.Errorf("invoice: given %v, recorded %v, paid %v; want given %v, recorded %v, paid %v", back.GivenAt, back.IssuedAt, back.PaidAt, given, now, pay.GivenAt)
		}
		pays, _, err := billing.Payments(ctx, tx, s.a, inv.ID, vetshare.Page{})
		if err != nil {
			return err
		}
		if len(pays) != 1 || !pays[0].GivenAt.Equal(given.Add(time.Hour)) || !pays[0].CreatedAt.Equal(now) || pays[0] != pay {
			t.Errorf("payments %+v; want one given %v, recorded %v", pays, given.Add(time.Hour), now)
		}
		return nil
	})

	// Left zero, the time given is the transaction's time.
	ch := s.give(t, s.b, s.rabiesB)
	if !ch.Record.GivenAt.Equal(ch.Record.CreatedAt) || ch.Record.GivenAt.IsZero() {
		t.Errorf("usage without GivenAt: given %v, recorded %v; want both the transaction's time", ch.Record.GivenAt, ch.Record.CreatedAt)
	}
}

// R12.4: a time more than 24 hours after the recording time, or one no store keeps, is refused
// with ErrInvalid, and nothing changes; 24 hours exactly is accepted.
func TestR12_4_GivenMoreThanADayAheadRefused(t *testing.T) {
	s := newScooby(t, 2)
	var inv vetshare.Invoice
	s.f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		inv, err = billing.CreateInvoice(ctx, tx, s.a, vetshare.Invoice{ClientID: s.client.ID,
			Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: 100}}})
		return err
	})
	for _, tc := range []struct {
		name  string
		given func(now time.Time) time.Time
		ok    bool
	}{
		{"a day and a microsecond ahead", func(now time.Time) time.Time { return now.Add(vetshare.MaxGivenAhead + time.Microsecond) }, false},
		{"a year ahead", func(now time.Time) time.Time { return now.AddDate(1, 0, 0) }, false},
		{"before the year 1", func(time.Time) time.Time { return time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC) }, false},
		{"far in the past", func(time.Time) time.Time { return time.Date(-300000, 1, 1, 0, 0, 0, 0, time.UTC) }, false},
		{"a day ahead exactly", func(now time.Time) time.Time { return now.Add(vetshare.MaxGivenAhead) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ops := map[string]func(tx *vetshare.Tx, given time.Time) error{
				"AddRecord": func(tx *vetshare.Tx, given time.Time) error {
					_, err := records.AddRecord(ctx, tx, s.a, vetshare.Record{PatientID: s.patient.ID, Kind: vetshare.RecordNote, Text: "n", GivenAt: given})
					return err
				},
				"AddUsage": func(tx *vetshare.Tx, given time.Time) error {
					_, err := records.AddUsage(ctx, tx, s.a, vetshare.Record{PatientID: s.patient.ID, ItemID: s.dhppA.ID, Quantity: 1, GivenAt: given})
					return err
				},
				"CreateInvoice": func(tx *vetshare.Tx, given time.Time) error {
					_, err := billing.CreateInvoice(ctx, tx, s.a, vetshare.Invoice{ClientID: s.client.ID, GivenAt: given,
						Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: 100}}})
					return err
				},
				"RecordPayment": func(tx *vetshare.Tx, given time.Time) error {
					_, err := billing.RecordPayment(ctx, tx, s.a, billing.PaymentRequest{Key: "k-" + tc.name, Invoice: inv.ID, GivenAt: given,
						Amount: vetshare.Money{Amount: 1, Currency: "USD"}, Channel: vetshare.ChannelCounter})
					return err
				},
			}
			for name, op := range ops {
				errRollback := errors.New("roll back")
				err := s.f.Store.Update(ctx, func(tx *vetshare.Tx) error {
					if err := op(tx, tc.given(tx.Now())); err != nil {
						return err
					}
					return errRollback
				})
				var ie *vetshare.InvalidError
				switch {
				case tc.ok && err != errRollback:
					t.Errorf("%s: %v; want it accepted", name, err)
				case !tc.ok && (!errors.Is(err, vetshare.ErrInvalid) || !errors.As(err, &ie) || ie.Field != "GivenAt"):
					t.Errorf("%s: %v; want an InvalidError for GivenAt", name, err)
				}
			}
		})
	}
}

// R12.4: reminders are due from the time given, not the time recorded.
func TestR12_4_RemindersDueFromGivenTime(t *testing.T) {
	s := newScooby(t, 2)
	s.f.Clock.Add(90 * 24 * time.Hour)
	april := s.f.Clock.Now().AddDate(0, 0, -60)
	ch := s.giveAt(t, s.a, s.rabiesA, april)
	if len(ch.Scheduled) != 1 || !ch.Scheduled[0].Due.Equal(april.AddDate(1, 0, 0)) {
		t.Fatalf("scheduled %+v; want one due a year after %v", ch.Scheduled, april)
	}
	s.f.View(t, func(tx *vetshare.Tx) error {
		rs, err := txn.D(tx).UsageReminders(ctx, ch.Record.ID)
		if err != nil || len(rs) != 1 || !rs[0].Due.Equal(april.AddDate(1, 0, 0)) {
			t.Errorf("stored %+v, %v; want due a year after the time given", rs, err)
		}
		return nil
	})
}

// R12.4, R5.3: moving a usage to another account keeps the time it was given, and its
// reminder stays due from then: a Rabies shot given in April is not re-dated by the correction.
func TestR12_4_MoveUsageKeepsGivenTime(t *testing.T) {
	s := newScooby(t, 2)
	s.f.Clock.Add(90 * 24 * time.Hour)
	april := s.f.Clock.Now().AddDate(0, 0, -60)
	ch := s.giveAt(t, s.a, s.rabiesA, april)
	s.f.Clock.Add(24 * time.Hour)
	var added records.UsageChange
	s.f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		_, added, err = records.MoveUsage(ctx, tx, s.a, ch.Record.ID, "given at B", s.accntB, s.rabiesB.ID)
		return err
	})
	if !added.Record.GivenAt.Equal(april) || added.Record.CreatedAt.Equal(april) {
		t.Errorf("moved usage given %v, recorded %v; want given %v, recorded now", added.Record.GivenAt, added.Record.CreatedAt, april)
	}
	if len(added.Scheduled) != 1 || !added.Scheduled[0].Due.Equal(april.AddDate(1, 0, 0)) || added.Scheduled[0].AccountID != s.accntB {
		t.Errorf("scheduled %+v; want B's reminder due a year after %v", added.Scheduled, april)
	}
}

// R12.4: two usages recorded in one transaction, given at the same time (its time), keep the
// order in which they were recorded: the second completes the first's reminder, whatever
// their ids.
func TestR12_4_UsagesOfOneTransactionKeepRecordingOrder(t *testing.T) {
	s := newScooby(t, 2)
	for i := range 10 {
		var first, second records.UsageChange
		s.f.Update(t, func(tx *vetshare.Tx) error {
			var err error
			if first, err = records.AddUsage(ctx, tx, s.a, vetshare.Record{PatientID: s.patient.ID, ItemID: s.dhppA.ID, Quantity: 1}); err != nil {
				return err
			}
			second, err = records.AddUsage(ctx, tx, s.a, vetshare.Record{PatientID: s.patient.ID, ItemID: s.dhppA.ID, Quantity: 1})
			return err
		})
		if !first.Record.GivenAt.Equal(second.Record.GivenAt) || first.Record.Seq >= second.Record.Seq {
			t.Fatalf("round %d: given %v and %v, seq %d and %d; want one time, increasing seq", i, first.Record.GivenAt, second.Record.GivenAt, first.Record.Seq, second.Record.Seq)
		}
		s.f.View(t, func(tx *vetshare.Tx) error {
			rs, err := txn.D(tx).UsageReminders(ctx, first.Record.ID)
			if err != nil || len(rs) != 1 || rs[0].Status != vetshare.ReminderCompleted || rs[0].CompletedBy != second.Record.ID {
				t.Errorf("round %d: first's reminder %+v, %v; want completed by the second", i, rs, err)
			}
			us, err := txn.D(tx).PatientUsages(ctx, s.patient.ID, first.Record.GivenAt.Add(-time.Microsecond))
			if err != nil || len(us) != 2 || us[0].ID != first.Record.ID || us[1].ID != second.Record.ID {
				t.Errorf("round %d: usages %+v, %v; want the first, then the second", i, us, err)
			}
			return nil
		})
		s.f.Clock.Add(time.Hour)
	}
}

// R12.4, R7.4: a usage charted late completes the reminders of usages given before it, never one
// of a usage given after it; its own reminder is completed at once by a usage given after it.
func TestR12_4_LateChartedUsage(t *testing.T) {
	s := newScooby(t, 2)
	s.f.Clock.Add(90 * 24 * time.Hour)
	now := s.f.Clock.Now()
	early := s.giveAt(t, s.a, s.rabiesA, now.AddDate(0, 0, -60))
	recent := s.giveAt(t, s.a, s.rabiesA, now.AddDate(0, 0, -1))
	late := s.giveAt(t, s.a, s.rabiesA, now.AddDate(0, 0, -30)) // charted after recent, given before it
	if len(late.Changed) != 1 || late.Changed[0].UsageID != early.Record.ID || late.Changed[0].CompletedBy != late.Record.ID {
		t.Errorf("late usage changed %+v; want early's reminder, now completed by it", late.Changed)
	}
	if len(late.Scheduled) != 1 || late.Scheduled[0].Status != vetshare.ReminderCompleted || late.Scheduled[0].CompletedBy != recent.Record.ID {
		t.Errorf("late usage scheduled %+v; want its reminder completed by the recent usage", late.Scheduled)
	}
	s.f.View(t, func(tx *vetshare.Tx) error {
		open, err := txn.D(tx).PatientReminders(ctx, s.patient.ID, vetshare.ReminderOpen)
		if err != nil || len(open) != 1 || open[0].UsageID != recent.Record.ID {
			t.Errorf("open %+v, %v; want the recent usage's reminder alone", open, err)
		}
		return nil
	})
}

// R7.8 step by step on one patient: a usage given before the removed one, and a disable action
// configured after that usage was recorded, never re-complete a reminder the removed usage
// completed; a usage given after it re-completes it by the actions in force when that usage
// was recorded, not by actions configured later.
func TestR7_8_ReplayOnOnePatient(t *testing.T) {
	type status struct {
		Status      vetshare.ReminderStatus
		CompletedBy vetshare.RecordID
	}
	for _, withLater := range []bool{false, true} {
		name := "no usage after"
		if withLater {
			name = "a usage after"
		}
		t.Run(name, func(t *testing.T) {
			s := newScooby(t, 2)
			s.f.Clock.Add(365 * 24 * time.Hour)
			day := func(n int) time.Time { return fixture.Start().AddDate(0, 0, n) }
			// Day 0: Rabies at B; its reminder rB is open.
			u1 := s.giveAt(t, s.b, s.rabiesB, day(0))
			// Day 10: Rabies at A, with no action yet: rB stays open beside A's reminder.
			u2 := s.giveAt(t, s.a, s.rabiesA, day(10))
			if len(u2.Changed) != 0 {
				t.Fatalf("day 10 changed %+v; want nothing: A has no action yet", u2.Changed)
			}
			// The action is configured after the usage of day 10 was recorded.
			s.f.Update(t, func(tx *vetshare.Tx) error {
				_, err := reminders.AddDisableAction(ctx, tx, s.a, s.rabiesA.ID, s.rabiesB.ID)
				return err
			})
			// Day 20: Rabies at A completes rB (by the action) and A's own of day 10.
			u3 := s.giveAt(t, s.a, s.rabiesA, day(20))
			if len(u3.Changed) != 2 {
				t.Fatalf("day 20 changed %+v; want rB and A's reminder of day 10", u3.Changed)
			}
			var u4 records.UsageChange
			if withLater {
				// Day 30: Rabies at B, recorded with no action of B's: it targets B's item alone.
				u4 = s.giveAt(t, s.b, s.rabiesB, day(30))
				// An action configured after the fact: B's Rabies completes A's.
				s.f.Update(t, func(tx *vetshare.Tx) error {
					_, err := reminders.AddDisableAction(ctx, tx, s.b, s.rabiesB.ID, s.rabiesA.ID)
					return err
				})
			}
			var removed records.UsageChange
			s.f.Update(t, func(tx *vetshare.Tx) error {
				var err error
				removed, err = records.RemoveUsage(ctx, tx, s.a, u3.Record.ID, "charted on the wrong patient")
				return err
			})
			got := map[vetshare.RecordID]status{}
			s.f.View(t, func(tx *vetshare.Tx) error {
				rs, err := txn.D(tx).PatientReminders(ctx, s.patient.ID, "")
				for _, r := range rs {
					got[r.UsageID] = status{r.Status, r.CompletedBy}
				}
				return err
			})
			want := map[vetshare.RecordID]status{
				u1.Record.ID: {vetshare.ReminderOpen, ""},      // reopened: day 10 is before, its action came after
				u2.Record.ID: {vetshare.ReminderOpen, ""},      // reopened
				u3.Record.ID: {vetshare.ReminderWithdrawn, ""}, // withdrawn with its usage
			}
			if withLater {
				want[u1.Record.ID] = status{vetshare.ReminderCompleted, u4.Record.ID} // day 30 targets B's Rabies
				// Day 30 was recorded before B's action for A's Rabies: day 10's stays reopened.
				want[u4.Record.ID] = status{vetshare.ReminderOpen, ""}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("reminders after the removal (-want +got):\n%s", diff)
			}
			if len(removed.Changed) != 3 {
				t.Errorf("removal changed %d reminders, want 3: %+v", len(removed.Changed), removed.Changed)
			}
		})
	}
}
