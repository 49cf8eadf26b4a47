package sharing_test

import (
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/sharing"
)

// R1.5: the function called decides the action: a removal request handed to Enable (or the
// reverse) is refused with ErrInvalid and writes nothing, not decided as the other action.
func TestR1_5ActionDecidedByTheFunctionCalled(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	before := len(auditLog(t, f))
	err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
		_, err := sharing.Enable(ctx, tx, f.Request(sharing.ActionRemove, vetshare.ModeManual, f.AccountIDs()...))
		return err
	})
	var inv *vetshare.InvalidError
	if !errors.As(err, &inv) || inv.Field != "Action" {
		t.Errorf("Enable of a removal request: %v, want an InvalidError for Action", err)
	}
	err = f.Store.Update(ctx, func(tx *vetshare.Tx) error {
		_, err := sharing.Remove(ctx, tx, f.Request(sharing.ActionEnable, "", f.Accounts[0].ID))
		return err
	})
	if !errors.Is(err, vetshare.ErrInvalid) {
		t.Errorf("Remove of an enable request: %v, want ErrInvalid", err)
	}
	if after := len(auditLog(t, f)); after != before {
		t.Errorf("refused calls wrote %d audit entries", after-before)
	}
}

// R1.4: an account whose address on file has a quoted local part ("front desk"@clinic.example)
// approves a request sent from that exact address, with or without a display name. The quotes
// were dropped when storing, and every such request was refused.
func TestR1_4QuotedLocalPartOnFile(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	f.Update(t, func(tx *vetshare.Tx) error {
		a := f.Accounts[0]
		a.Email = `"Front Desk"@Clinic.example`
		var err error
		f.Accounts[0], err = accounts.UpdateAccount(ctx, tx, a)
		return err
	})
	if got := f.Accounts[0].Email; got != `"front desk"@clinic.example` {
		t.Fatalf("stored as %s", got)
	}
	for _, from := range []string{`"front desk"@clinic.example`, `"Front Desk" <"FRONT DESK"@clinic.example>`} {
		req := f.Request(sharing.ActionEnable, vetshare.ModeManual, f.AccountIDs()...)
		req.From = from
		err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
			d, err := sharing.Enable(ctx, tx, req)
			if err == nil && !d.Approved {
				t.Errorf("request from %s refused: %v", from, d.Err())
			}
			return errors.New("roll back: try the next address on a fresh state")
		})
		if err == nil {
			t.Fatal("rolled back")
		}
	}
}
