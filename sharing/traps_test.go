package sharing_test

import (
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
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
