package duplicates_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
)

// view is what an account sees: its clients and, for each, its patients.
type view map[vetshare.ClientID][]vetshare.PatientID

func viewOf(rt *rapid.T, fx *fixture.Fixture, i int) view {
	ctx := context.Background()
	v := view{}
	fx.View(rt, func(tx *vetshare.Tx) error {
		rows, _, err := records.Clients(ctx, tx, fx.Actor(i), "", vetshare.Page{Limit: vetshare.MaxLimit})
		if err != nil {
			return err
		}
		for _, r := range rows {
			ps, _, err := records.Patients(ctx, tx, fx.Actor(i), r.ID, vetshare.Page{Limit: vetshare.MaxLimit})
			if err != nil {
				return err
			}
			ids := []vetshare.PatientID{}
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			slices.Sort(ids)
			v[r.ID] = ids
		}
		return nil
	})
	return v
}

// TestR13_4IsolationProperty, R13.3–R13.4: over random clients, patients and merges (allowed
// or refused) in a group of two clinics beside a clinic outside it and another owner, nothing
// is visible to an account that could not see it before: a refused merge changes no view; a
// merge changes only the views of the accounts that held one of the two clients, and there
// only by the survivor standing for the merged-away client, with both their patients; every
// merged-away id resolves to the survivor; the audit chain verifies.
func TestR13_4IsolationProperty(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		fx := fixture.New(rt, fixture.Options{Accounts: 3, Path: filepath.Join(dir, fmt.Sprintf("merge-%d.db", run))})
		fx.Enable(rt, vetshare.ModeManual, fx.AccountIDs()[0], fx.AccountIDs()[1])
		var clients []vetshare.ClientID
		patientsOf := map[vetshare.ClientID][]vetshare.PatientID{}
		merged := map[vetshare.ClientID]vetshare.ClientID{}
		acct := rapid.IntRange(0, 2)
		rt.Repeat(map[string]func(*rapid.T){
			"createClient": func(rt *rapid.T) {
				i := acct.Draw(rt, "account")
				last := rapid.SampledFrom([]string{"O'Brien", "OBrien", "Müller", "Lee"}).Draw(rt, "last")
				var c vetshare.Client
				fx.Update(rt, func(tx *vetshare.Tx) error {
					var err error
					c, _, err = records.CreateClient(ctx, tx, fx.Actor(i), vetshare.Client{LastName: last, FirstName: "Mary", Phone: "555 123 4567"})
					return err
				})
				clients = append(clients, c.ID)
			},
			"addPatient": func(rt *rapid.T) {
				if len(clients) == 0 {
					rt.Skip("no clients")
				}
				c := rapid.SampledFrom(clients).Draw(rt, "client")
				if _, gone := merged[c]; gone {
					rt.Skip("merged away")
				}
				var p vetshare.Patient
				fx.Update(rt, func(tx *vetshare.Tx) error {
					i := 0 // an account that has the client
					for i < 2 {
						if _, _, err := records.Client(ctx, tx, fx.Actor(i), c); err == nil {
							break
						}
						i++
					}
					var err error
					p, err = records.AddPatient(ctx, tx, fx.Actor(i), vetshare.Patient{ClientID: c, Name: "Rex", Species: "dog"})
					return err
				})
				patientsOf[c] = append(patientsOf[c], p.ID)
			},
			"merge": func(rt *rapid.T) {
				if len(clients) < 2 {
					rt.Skip("fewer than two clients")
				}
				s := rapid.SampledFrom(clients).Draw(rt, "survivor")
				m := rapid.SampledFrom(clients).Draw(rt, "merged")
				by := acct.Draw(rt, "by")
				var before [3]view
				for i := range before {
					before[i] = viewOf(rt, fx, i)
				}
				var err error
				fx.Update(rt, func(tx *vetshare.Tx) error {
					_, err = duplicates.Merge(ctx, tx, fx.Actor(by), s, m)
					if err != nil && !errors.Is(err, vetshare.ErrNotFound) && !errors.Is(err, vetshare.ErrInvalid) {
						return err
					}
					return nil
				})
				for i := range before {
					after := viewOf(rt, fx, i)
					_, heldS := before[i][s]
					_, heldM := before[i][m]
					want := before[i]
					if err == nil && (heldS || heldM) {
						want = maps.Clone(before[i])
						delete(want, m)
						ps := append(slices.Clone(patientsOf[s]), patientsOf[m]...)
						slices.Sort(ps)
						if ps == nil {
							ps = []vetshare.PatientID{}
						}
						want[s] = ps
					}
					if !maps.EqualFunc(want, after, slices.Equal) {
						rt.Fatalf("account %d after merge by %d (err %v): %v, want %v", i, by, err, after, want)
					}
				}
				if err != nil {
					return
				}
				merged[m] = s
				patientsOf[s] = append(patientsOf[s], patientsOf[m]...)
				delete(patientsOf, m)
				for old, to := range merged {
					if to == m {
						merged[old] = s
					}
				}
				clients = slices.DeleteFunc(clients, func(c vetshare.ClientID) bool { return c == m })
			},
		})
		fx.View(rt, func(tx *vetshare.Tx) error {
			for old, to := range merged {
				for i := range 3 {
					c, _, err := records.Client(ctx, tx, fx.Actor(i), old)
					if err == nil && c.ID != to {
						rt.Fatalf("account %d: merged-away client resolves to %s, want %s", i, c.ID, to)
					}
				}
			}
			if _, err := audit.Verify(ctx, tx, fx.Actor(0)); err != nil {
				rt.Fatalf("audit.Verify: %v", err)
			}
			return nil
		})
	})
}
