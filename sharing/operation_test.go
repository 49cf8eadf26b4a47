package sharing_test

import (
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/sharing"
)

// R10.1: a backfill is one operation call though it commits in batches: every batch's entry
// carries one operation id and the host's request id; a later call gets another id.
func TestR10_1BackfillIsOneOperation(t *testing.T) {
	f := historical(t, 5)
	before := len(auditLog(t, f))
	actor := f.Actor(2)
	actor.RequestID = "job-backfill-1"
	if _, err := sharing.Backfill(ctx, f.Store, actor, sharing.BackfillOptions{BatchSize: 2}); err != nil {
		t.Fatal(err)
	}
	es := auditLog(t, f)[before:]
	if len(es) != 3 {
		t.Fatalf("%d entries for 5 clients in batches of 2, want 3", len(es))
	}
	for _, e := range es {
		if e.Action != "client.share" || e.OperationID == "" || e.OperationID != es[0].OperationID || e.RequestID != "job-backfill-1" {
			t.Errorf("entry %d %s: operation %q, request %q; want one operation and job-backfill-1", e.Seq, e.Action, e.OperationID, e.RequestID)
		}
	}
	// A later operation gets its own id.
	c, _ := f.Client(t, 0, "Later", "L")
	f.Update(t, func(tx *vetshare.Tx) error {
		_, err := sharing.SetHomeLocation(ctx, tx, f.Actor(1), c.ID, f.Accounts[1].ID)
		return err
	})
	last := lastAudit(t, f)
	if last.OperationID == "" || last.OperationID == es[0].OperationID {
		t.Errorf("a later operation has operation id %q (the backfill's is %q)", last.OperationID, es[0].OperationID)
	}
}

// R10.1: a sharing decision carries the request id the host gives with the request; a request
// id that is not text of at most 200 bytes is refused before anything is written.
func TestR10_1DecisionCarriesRequestID(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	req := f.Request(sharing.ActionEnable, vetshare.ModeManual, f.AccountIDs()...)
	req.RequestID = "ticket-9"
	f.Update(t, func(tx *vetshare.Tx) error {
		_, err := sharing.Enable(ctx, tx, req)
		return err
	})
	if e := lastAudit(t, f); e.Action != "sharing.enable" || e.RequestID != "ticket-9" || e.OperationID == "" {
		t.Errorf("decision entry %s: request %q, operation %q; want ticket-9 and an operation id", e.Action, e.RequestID, e.OperationID)
	}
	n := len(auditLog(t, f))
	req.RequestID = string(make([]byte, 201))
	err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
		_, err := sharing.Enable(ctx, tx, req)
		return err
	})
	if !errors.Is(err, vetshare.ErrInvalid) {
		t.Errorf("a 201-byte request id: %v, want ErrInvalid", err)
	}
	if len(auditLog(t, f)) != n {
		t.Error("a refused request id wrote an audit entry")
	}
}
