package duplicates_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
)

// TestR13_1CreateClientChecked, R13.1: creating a client the group already has is reported
// before it is created, as a typed result; a possible match only is created; CreateClient
// creates anyway; another owner's clients are never reported.
func TestR13_1CreateClientChecked(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2})
	fx.Enable(t, vetshare.ModeManual, fx.AccountIDs()...)
	stranger := fx.Another(t, "Other Owner", fixture.Options{Accounts: 1})
	var mary vetshare.Client
	fx.Update(t, func(tx *vetshare.Tx) error {
		var err error
		mary, _, err = records.CreateClient(ctx, tx, fx.Actor(0), vetshare.Client{LastName: "O'Brien", FirstName: "Mary", Phone: "555 123 4567", Email: "mary@example.com"})
		return err
	})
	stranger.Update(t, func(tx *vetshare.Tx) error {
		_, _, err := records.CreateClient(ctx, tx, stranger.Actor(0), vetshare.Client{LastName: "Lee", FirstName: "Ann", Phone: "555 999 0000"})
		return err
	})
	fx.Update(t, func(tx *vetshare.Tx) error {
		_, _, err := records.CreateClientChecked(ctx, tx, fx.Actor(1), vetshare.Client{LastName: "OBrien", FirstName: "mary", Phone: "(555) 123-4567"})
		var ld *records.LikelyDuplicateError
		if !errors.As(err, &ld) || !errors.Is(err, vetshare.ErrConflict) {
			t.Fatalf("CreateClientChecked of Mary again: %v, want a *LikelyDuplicateError", err)
		}
		if len(ld.Matches) != 1 || ld.Matches[0].Client.ID != mary.ID || ld.Matches[0].Score < 70 {
			t.Errorf("matches: %+v", ld.Matches)
		}
		cs, _, err := records.Clients(ctx, tx, fx.Actor(1), "obrien", vetshare.Page{})
		if err != nil {
			return err
		}
		if len(cs) != 0 {
			t.Errorf("a refused creation created %d clients in clinic 1", len(cs))
		}
		// A namesake without a phone or email in common is only possible: created.
		if _, _, err := records.CreateClientChecked(ctx, tx, fx.Actor(1), vetshare.Client{LastName: "O'Brien", FirstName: "Mary"}); err != nil {
			t.Errorf("namesake: %v", err)
		}
		// The host was told it is a new person after all: CreateClient never checks.
		if _, _, err := records.CreateClient(ctx, tx, fx.Actor(1), vetshare.Client{LastName: "OBrien", FirstName: "Mary", Phone: "5551234567"}); err != nil {
			t.Errorf("create anyway: %v", err)
		}
		// Another owner's Ann Lee is not this owner's client.
		if _, _, err := records.CreateClientChecked(ctx, tx, fx.Actor(0), vetshare.Client{LastName: "Lee", FirstName: "Ann", Phone: "555 999 0000"}); err != nil {
			t.Errorf("another owner's client: %v", err)
		}
		return nil
	})
}
