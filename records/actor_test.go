package records_test

import (
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/records"
)

// History and the client search check the actor's membership in the statement that reads
// (driver.RecordQuery.Member, driver.ClientSearch.Member). An account with clients that match
// and a patient with records must still refuse, with ErrNotPermitted, a user without a
// membership there, one whose membership is inactive and an inactive user; and a malformed
// request id is ErrInvalid even where the read would find rows.
func TestReadsRefuseWhoMayNotAct(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	c, _ := f.Client(t, 0, "O'Brien", "Seán")
	f.EditClient(t, 0, c.ID, func(c *vetshare.Client) { c.Phone, c.Email = "+1 (555) 123-4567", "sean@x.example" })
	p := f.Patient(t, 0, c.ID, "Rex", "dog")
	f.Note(t, 0, p.ID, "seen")
	a := f.Accounts[0].ID
	elsewhere := f.User(t, "Elsewhere", vetshare.RoleStaff, 0, 1) // a member of the other account only
	lapsed := f.User(t, "Lapsed", vetshare.RoleStaff, 0, 0)
	gone := f.User(t, "Gone", vetshare.RoleStaff, 0, 0)
	f.Update(t, func(tx *vetshare.Tx) error {
		if err := txn.D(tx).PutMembership(ctx, vetshare.Membership{UserID: lapsed.ID, AccountID: a, Role: vetshare.RoleStaff}); err != nil {
			return err
		}
		gone.Active = false
		return txn.D(tx).UpdateUser(ctx, gone)
	})
	reads := map[string]func(tx *vetshare.Tx, actor vetshare.Actor) (int, error){
		"History": func(tx *vetshare.Tx, actor vetshare.Actor) (int, error) {
			rows, _, err := records.History(ctx, tx, actor, records.HistoryQuery{Patient: p.ID}, vetshare.Page{})
			return len(rows), err
		},
	}
	for _, typed := range []string{"obrien", "o'brien, se", "sean obr", "555 123", "sean@x"} {
		reads["Clients "+typed] = func(tx *vetshare.Tx, actor vetshare.Actor) (int, error) {
			rows, _, err := records.Clients(ctx, tx, actor, typed, vetshare.Page{})
			return len(rows), err
		}
	}
	for name, read := range reads {
		f.View(t, func(tx *vetshare.Tx) error {
			if n, err := read(tx, f.Actor(0)); err != nil || n != 1 {
				t.Errorf("%s by the admin: %d rows, %v; want 1", name, n, err)
			}
			for who, actor := range map[string]vetshare.Actor{
				"no membership":       {User: elsewhere.ID, Account: a},
				"inactive membership": {User: lapsed.ID, Account: a},
				"inactive user":       {User: gone.ID, Account: a},
			} {
				n, err := read(tx, actor)
				if !errors.Is(err, vetshare.ErrNotPermitted) || n != 0 {
					t.Errorf("%s by a user with %s: %d rows, %v; want ErrNotPermitted", name, who, n, err)
				}
			}
			bad := f.Actor(0)
			bad.RequestID = string(make([]byte, accounts.MaxRequestID+1))
			if n, err := read(tx, bad); !errors.Is(err, vetshare.ErrInvalid) || n != 0 {
				t.Errorf("%s with a request id too long: %d rows, %v; want ErrInvalid", name, n, err)
			}
			return nil
		})
	}
}
