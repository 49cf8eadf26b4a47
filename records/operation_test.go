package records_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
)

// entriesAfter returns the owner's audit entries after seq.
func entriesAfter(t *testing.T, s *scooby, seq int64) []vetshare.AuditEntry {
	t.Helper()
	var es []vetshare.AuditEntry
	s.f.View(t, func(tx *vetshare.Tx) error {
		var err error
		es, err = txn.D(tx).AuditEntries(ctx, s.f.Owner.ID, seq, 1000)
		return err
	})
	return es
}

func lastSeq(t *testing.T, s *scooby) int64 {
	t.Helper()
	es := entriesAfter(t, s, 0)
	if len(es) == 0 {
		return 0
	}
	return es[len(es)-1].Seq
}

type opEntry struct {
	Action    string
	RequestID string
}

// R10.1: the entries one operation call writes share one operation id and carry the host's
// request id from the actor; the next call gets another id. A usage at B, which is not the
// client's origin, completing A's reminder writes two entries: the cross-account completion and
// the cross-account record.
func TestR10_1OneOperationIDPerCall(t *testing.T) {
	s := newScooby(t, 2)
	s.f.Update(t, func(tx *vetshare.Tx) error {
		_, err := reminders.AddDisableAction(ctx, tx, s.b, s.rabiesB.ID, s.rabiesA.ID)
		return err
	})
	s.give(t, s.a, s.rabiesA)
	before := lastSeq(t, s)

	atB := s.b
	atB.RequestID = "web-req-17"
	s.f.Update(t, func(tx *vetshare.Tx) error {
		if _, err := records.AddUsage(ctx, tx, atB, vetshare.Record{PatientID: s.patient.ID, ItemID: s.rabiesB.ID, Quantity: 1}); err != nil {
			return err
		}
		// A second call in the same transaction is another operation.
		_, err := records.AddUsage(ctx, tx, s.b, vetshare.Record{PatientID: s.patient.ID, ItemID: s.examB.ID, Quantity: 1})
		return err
	})
	es := entriesAfter(t, s, before)
	var got []opEntry
	for _, e := range es {
		got = append(got, opEntry{e.Action, e.RequestID})
	}
	want := []opEntry{{"reminders.complete", "web-req-17"}, {"record.add", "web-req-17"}, {"record.add", ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("entries (-want +got):\n%s", diff)
	}
	if es[0].OperationID == "" || es[0].OperationID != es[1].OperationID {
		t.Errorf("one call's entries have operation ids %q and %q, want one", es[0].OperationID, es[1].OperationID)
	}
	if !vetshare.ValidID(es[0].OperationID) || !vetshare.ValidID(es[2].OperationID) {
		t.Errorf("operation ids %q, %q are not ids the library makes", es[0].OperationID, es[2].OperationID)
	}
	if es[2].OperationID == es[0].OperationID {
		t.Errorf("two calls share operation id %q", es[0].OperationID)
	}
}

// R10.1: MoveUsage removes a usage and adds it at another account, calling the steps of
// RemoveUsage and AddUsage; everything it writes is one operation, with the host's request id.
func TestR10_1MoveUsageIsOneOperation(t *testing.T) {
	s := newScooby(t, 2)
	s.f.Update(t, func(tx *vetshare.Tx) error {
		_, err := reminders.AddDisableAction(ctx, tx, s.b, s.rabiesB.ID, s.rabiesA.ID)
		return err
	})
	s.give(t, s.a, s.rabiesA)
	wrong := s.give(t, s.b, s.rabiesB) // completes A's reminder from B
	before := lastSeq(t, s)
	atB := s.b
	atB.RequestID = "move-1"
	s.f.Update(t, func(tx *vetshare.Tx) error {
		_, _, err := records.MoveUsage(ctx, tx, atB, wrong.Record.ID, "given at A", s.accountA, s.rabiesA.ID)
		return err
	})
	es := entriesAfter(t, s, before)
	if len(es) < 2 {
		t.Fatalf("MoveUsage wrote %d entries, want the removal and the reopened reminder at least: %+v", len(es), es)
	}
	for _, e := range es {
		if e.OperationID != es[0].OperationID || e.RequestID != "move-1" {
			t.Errorf("entry %d %s: operation %q request %q; want %q and move-1", e.Seq, e.Action, e.OperationID, e.RequestID, es[0].OperationID)
		}
	}
}
