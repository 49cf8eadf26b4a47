package sharing_test

import (
	"context"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
)

func TestSmoke(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, e := f.Client(t, 0, "Doo", "Scooby")
	p := f.Patient(t, 0, c.ID, "Scooby", "dog")
	f.Note(t, 1, p.ID, "seen at B")
	f.View(t, func(tx vetshare.Tx) error {
		_, eb, err := records.Client(context.Background(), tx, f.Actor(1), c.ID)
		if err != nil {
			return err
		}
		t.Logf("A number %d, B number %d", e.Number, eb.Number)
		rs, err := records.History(context.Background(), tx, f.Actor(0), records.HistoryQuery{Patient: p.ID})
		t.Logf("%+v", rs)
		return err
	})
}
