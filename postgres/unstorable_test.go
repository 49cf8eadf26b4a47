package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/postgres"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/vetsharetest"
)

// A read given text PostgreSQL cannot hold (a NUL byte, invalid UTF-8) finds nothing, as on
// SQLite, and leaves the transaction usable: sent to the server, it failed with 22021, which
// aborted the transaction, and every later statement of it failed with 25P02 (found by
// records.TestR11_4NoPanicOnAnyInput on PostgreSQL).
func TestUnstorableTextReadsNothing(t *testing.T) {
	clock := vetshare.NewTickClock(vetsharetest.Start())
	s := &vetsharetest.Store{Engine: MustOpen(t, postgres.WithClock(clock)), Clock: clock}
	p := s.NewPractice(t, 2, vetshare.ModeManual)
	ctx := context.Background()
	for _, text := range []string{"A\x00", "A\xff"} {
		err := s.Update(ctx, func(tx *vetshare.Tx) error {
			if got, _, err := sharing.Candidates(ctx, tx, p.Actor(0), text, vetshare.Page{Limit: 10}); err != nil || len(got) != 0 {
				t.Errorf("Candidates(%q) = %v, %v; want nothing", text, got, err)
			}
			if _, err := records.Patient(ctx, tx, p.Actor(0), vetshare.PatientID(text)); !errors.Is(err, vetshare.ErrNotFound) && !errors.Is(err, vetshare.ErrInvalid) {
				t.Errorf("Patient(%q): %v, want not found or invalid", text, err)
			}
			_, _, err := records.CreateClient(ctx, tx, p.Actor(0), vetshare.Client{LastName: "Rogers"})
			return err
		})
		if err != nil {
			t.Errorf("after reads of %q, the transaction failed: %v", text, err)
		}
	}
}
