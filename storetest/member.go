package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() {
	Register("MemberInStatement", testMemberInStatement)
}

// testMemberInStatement checks RecordQuery.Member and ClientSearch.Member: a read that names a
// member gives rows only to an active user with an active membership of the account, as
// ActorMembership would allow; and a search without an owner searches the account's.
func testMemberInStatement(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 2)
	a, b := w.accounts[0].ID, w.accounts[1].ID
	var c vetshare.Client
	var p vetshare.Patient
	var away, idle vetshare.UserID // an inactive membership of a; an inactive user member of a
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		var err error
		if c, err = w.client(ctx, tx, 0, "Member", "Ada"); err != nil {
			return err
		}
		if err := d.IndexClient(ctx, c); err != nil {
			return err
		}
		p = vetshare.Patient{ID: vetshare.NewID[vetshare.PatientID](t0), ClientID: c.ID, Name: "Rex", Species: "dog",
			BirthDate: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), OriginAccount: a, CreatedBy: w.user.ID, CreatedAt: t0}
		if err := d.InsertPatient(ctx, p); err != nil {
			return err
		}
		r := vetshare.Record{ID: vetshare.NewID[vetshare.RecordID](t0), PatientID: p.ID, AccountID: a, UserID: w.user.ID,
			Kind: vetshare.RecordNote, Text: "seen", CreatedAt: t0}
		if err := d.InsertRecord(ctx, &r); err != nil {
			return err
		}
		if err := d.PutMembership(ctx, vetshare.Membership{UserID: w.user.ID, AccountID: a, Role: vetshare.RoleStaff, Active: true}); err != nil {
			return err
		}
		for i, active := range []bool{true, false} {
			u := vetshare.User{ID: vetshare.NewID[vetshare.UserID](t0.Add(time.Duration(i+1) * time.Second)), Name: "V", Email: "v@x.example", Active: active, CreatedAt: t0}
			if err := d.InsertUser(ctx, u); err != nil {
				return err
			}
			if err := d.PutMembership(ctx, vetshare.Membership{UserID: u.ID, AccountID: a, Role: vetshare.RoleStaff, Active: !active}); err != nil {
				return err
			}
			if active {
				away = u.ID
			} else {
				idle = u.ID
			}
		}
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		for _, tc := range []struct {
			name    string
			account vetshare.AccountID
			member  vetshare.UserID
			found   bool
		}{
			{"an active member", a, w.user.ID, true},
			{"no member named", a, "", true},
			{"an inactive membership", a, away, false},
			{"an inactive user", a, idle, false},
			{"an unknown user", a, "nope", false},
			{"no membership of the account", b, w.user.ID, false},
		} {
			recs, err := d.Records(ctx, driver.RecordQuery{Account: tc.account, Patient: p.ID, Member: tc.member, Limit: 10})
			if err != nil || (len(recs) == 1) != tc.found || len(recs) > 1 {
				t.Errorf("Records by %s: %d records, %v; want found %v", tc.name, len(recs), err, tc.found)
			}
			for _, owner := range []vetshare.OwnerID{w.owner.ID, ""} {
				for _, q := range []driver.ClientSearch{
					{Probe: "l:memb"},
					{Probe: "n:member a"},
					{Tiers: []driver.SearchTier{{Probe: "l:member", Exact: true}, {Probe: "n:mem", Then: "a"}}},
				} {
					q.Owner, q.Account, q.Member, q.Limit = owner, tc.account, tc.member, 5
					rows, err := d.SearchClients(ctx, q)
					if err != nil {
						t.Errorf("SearchClients %+v: %v", q, err)
						continue
					}
					if got := len(rows) == 1 && rows[0].ID == c.ID; got != tc.found || len(rows) > 1 {
						t.Errorf("SearchClients by %s, owner %q, %+v: %d rows; want found %v", tc.name, owner, q, len(rows), tc.found)
						continue
					}
					if tc.found {
						want, err := d.Client(ctx, a, c.ID)
						if err != nil {
							return err
						}
						e, err := d.ClientEntry(ctx, a, c.ID)
						if err != nil {
							return err
						}
						if diff := cmp.Diff(driver.ClientRow{Client: want, Entry: e}, rows[0]); diff != "" {
							t.Errorf("SearchClients by %s, owner %q: row (-want +got):\n%s", tc.name, owner, diff)
						}
					}
				}
			}
		}
		rows, err := d.SearchClients(ctx, driver.ClientSearch{Account: "nope", Probe: "l:memb", Limit: 5})
		if err != nil || len(rows) != 0 {
			t.Errorf("SearchClients in an unknown account without an owner: %v, %v; want nothing", rows, err)
		}
		for name, q := range map[string]driver.ClientSearch{
			"without owner or account":             {Probe: "l:memb", Limit: 5},
			"with a member and no account":         {Owner: w.owner.ID, Member: w.user.ID, Probe: "l:memb", Limit: 5},
			"with tiers, without owner or account": {Tiers: []driver.SearchTier{{Probe: "l:memb"}}, Limit: 5},
		} {
			_, err := d.SearchClients(ctx, q)
			wantErr(t, "SearchClients "+name, err, vetshare.ErrInvalid)
		}
		return nil
	})
}
