package sqlite_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/vetsharetest"
)

// R11.2: a transaction cancelled at any point fails with an error matching context.Canceled,
// never with database/sql's "statement is closed" or "transaction has already been committed
// or rolled back" (about 1 in 900 did), and nothing of it is kept.
func TestR11_2CancelledAnywhereMatchesContextCanceled(t *testing.T) {
	s := vetsharetest.Open(t)
	p := s.NewPractice(t, 2, vetshare.ModeAutomatic)
	rounds := 2000
	if testing.Short() {
		rounds = 300
	}
	kept := 0
	for i := range rounds {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(time.Duration(rand.IntN(400)) * time.Microsecond)
			cancel()
		}()
		err := s.Update(ctx, func(tx *vetshare.Tx) error {
			c, _, err := records.CreateClient(ctx, tx, p.Actor(0), vetshare.Client{LastName: "Cancel"})
			if err != nil {
				return err
			}
			_, err = records.AddPatient(ctx, tx, p.Actor(1), vetshare.Patient{ClientID: c.ID, Name: "Rex", Species: "dog"})
			return err
		})
		cancel()
		switch {
		case err == nil:
			kept++
		case !errors.Is(err, context.Canceled):
			t.Fatalf("round %d: %v, want an error matching context.Canceled", i, err)
		}
	}
	s.MustView(t, func(tx *vetshare.Tx) error {
		var rows []records.ClientRow
		for page := (vetshare.Page{Limit: vetshare.MaxLimit}); ; {
			got, next, err := records.Clients(context.Background(), tx, p.Actor(0), "Cancel", page)
			if err != nil {
				return err
			}
			rows = append(rows, got...)
			if next == "" {
				break
			}
			page.After = next
		}
		if len(rows) != kept {
			t.Errorf("%d clients kept, %d transactions committed", len(rows), kept)
		}
		for _, r := range rows {
			ps, _, err := records.Patients(context.Background(), tx, p.Actor(0), r.ID, vetshare.Page{})
			if err != nil || len(ps) != 1 {
				t.Errorf("client of a committed transaction has %d patients (%v): half done", len(ps), err)
			}
		}
		return nil
	})
}
