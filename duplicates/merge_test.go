package duplicates_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
)

// TestR13_3MergeKeepsEveryIDAndNumber, R13.3: in an account that held both clients, the
// merged-away number and id resolve to the survivor, its patient follows, a new client gets a
// new number, and the audit chain verifies after the merge.
func TestR13_3MergeKeepsEveryIDAndNumber(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	s, es := fx.Client(t, 0, "O'Brien", "Mary")
	m, em := fx.Client(t, 0, "OBrien", "Mary")
	rex := fx.Patient(t, 0, m.ID, "Rex", "dog")
	fx.Note(t, 0, rex.ID, "vaccinated")
	fx.Update(t, func(tx *vetshare.Tx) error {
		p, err := duplicates.Merge(ctx, tx, fx.Actor(0), s.ID, m.ID)
		if err == nil && (len(p.Aliases) != 1 || p.Aliases[0].Number != em.Number) {
			t.Errorf("aliases: %+v", p.Aliases)
		}
		return err
	})
	fx.Update(t, func(tx *vetshare.Tx) error {
		for _, n := range []int64{es.Number, em.Number} {
			c, _, err := records.ClientByNumber(ctx, tx, fx.Actor(0), n)
			if err != nil || c.ID != s.ID {
				t.Errorf("number %d: %v %v, want the survivor", n, c.ID, err)
			}
		}
		if c, _, err := records.Client(ctx, tx, fx.Actor(0), m.ID); err != nil || c.ID != s.ID {
			t.Errorf("old id: %v %v", c.ID, err)
		}
		if p, err := records.Patient(ctx, tx, fx.Actor(0), rex.ID); err != nil || p.ClientID != s.ID {
			t.Errorf("patient: %+v %v", p, err)
		}
		_, entries, err := records.CreateClient(ctx, tx, fx.Actor(0), vetshare.Client{LastName: "Lee"})
		if err != nil {
			return err
		}
		if entries[0].Number <= em.Number {
			t.Errorf("a new client got number %d, which a merged-away client had", entries[0].Number)
		}
		if _, err := audit.Verify(ctx, tx, fx.Actor(0)); err != nil {
			t.Errorf("audit.Verify: %v", err)
		}
		return nil
	})
}

// TestR13_4MergeNeedsAdminOfEveryAccount, R13.4: staff cannot merge, nor an admin of only one
// of the accounts involved; a refused merge changes nothing.
func TestR13_4MergeNeedsAdminOfEveryAccount(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	a, _ := fx.Client(t, 0, "O'Brien", "Mary")
	b, _ := fx.Client(t, 1, "OBrien", "Mary")
	staff := fx.User(t, "sam", vetshare.RoleStaff, vetshare.PermAll, 0, 1)
	half := fx.User(t, "ann", vetshare.RoleAdmin, vetshare.PermAll, 0)
	fx.Update(t, func(tx *vetshare.Tx) error {
		for _, u := range []vetshare.User{staff, half} {
			_, err := duplicates.Merge(ctx, tx, vetshare.Actor{User: u.ID, Account: fx.AccountIDs()[0]}, a.ID, b.ID)
			if !errors.Is(err, vetshare.ErrNotPermitted) {
				t.Errorf("%s: %v, want ErrNotPermitted", u.Name, err)
			}
		}
		return nil
	})
	fx.View(t, func(tx *vetshare.Tx) error {
		if c, _, err := records.Client(ctx, tx, fx.Actor(1), b.ID); err != nil || c.ID != b.ID {
			t.Errorf("after refused merges: %v %v", c.ID, err)
		}
		return nil
	})
}
