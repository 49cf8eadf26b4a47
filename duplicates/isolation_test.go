package duplicates_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
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

// pview is what an account sees of its owner's clients: each client's patients and each
// patient's history, by record id.
type pview map[vetshare.ClientID]map[vetshare.PatientID][]vetshare.RecordID

func pviewOf(rt *rapid.T, fx *fixture.Fixture, actor vetshare.Actor) pview {
	ctx := context.Background()
	all := vetshare.Page{Limit: vetshare.MaxLimit}
	v := pview{}
	fx.View(rt, func(tx *vetshare.Tx) error {
		rows, _, err := records.Clients(ctx, tx, actor, "", all)
		if err != nil {
			return err
		}
		for _, r := range rows {
			ps, _, err := records.Patients(ctx, tx, actor, r.ID, all)
			if err != nil {
				return err
			}
			v[r.ID] = map[vetshare.PatientID][]vetshare.RecordID{}
			for _, p := range ps {
				if p.ClientID != r.ID {
					rt.Fatalf("patient %s listed under client %s is of client %s", p.ID, r.ID, p.ClientID)
				}
				h, _, err := records.History(ctx, tx, actor, records.HistoryQuery{Patient: p.ID}, all)
				if err != nil {
					return err
				}
				ids := []vetshare.RecordID{}
				for _, rec := range h {
					if rec.PatientID != p.ID {
						rt.Fatalf("record %s in the history of %s is of patient %s", rec.ID, p.ID, rec.PatientID)
					}
					ids = append(ids, rec.ID)
				}
				slices.Sort(ids)
				v[r.ID][p.ID] = ids
			}
		}
		return nil
	})
	return v
}

// clonePatients returns a deep copy of a client's patients and their histories.
func clonePatients(ps map[vetshare.PatientID][]vetshare.RecordID) map[vetshare.PatientID][]vetshare.RecordID {
	c := map[vetshare.PatientID][]vetshare.RecordID{}
	for p, rs := range ps {
		c[p] = slices.Clone(rs)
	}
	return c
}

// outcome names the class of a merge's error, for comparing with the one expected.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, vetshare.ErrNotPermitted):
		return "not permitted"
	case errors.Is(err, vetshare.ErrNotFound):
		return "not found"
	case errors.Is(err, vetshare.ErrInvalid):
		return "invalid"
	}
	return "unexpected: " + err.Error()
}

// patientModel is what TestR13_5IsolationProperty expects to see.
type patientModel struct {
	// actors are the owner's admin at its clinics 0 and 1 (a group) and 2 (outside it), the
	// other owner's admin at its one clinic, and ann, an admin of clinic 0 and staff of 1.
	actors []vetshare.Actor
	// want is what the actors 0 to 3 see; ann sees what actor 0 sees.
	want [4]pview
	// pool is every patient id ever added, of both owners; replaced maps each merged-away id to
	// the patient that replaced it.
	pool     []vetshare.PatientID
	replaced map[vetshare.PatientID]vetshare.PatientID
}

const annActor = 4

func viewIndex(actor int) int {
	if actor == annActor {
		return 0
	}
	return actor
}

// holders returns the views (accounts) that hold the client.
func (m *patientModel) holders(c vetshare.ClientID) []int {
	var hs []int
	for i, v := range m.want {
		if _, ok := v[c]; ok {
			hs = append(hs, i)
		}
	}
	return hs
}

// clientIn returns the client of patient p in view i.
func (m *patientModel) clientIn(i int, p vetshare.PatientID) (vetshare.ClientID, bool) {
	for c, ps := range m.want[i] {
		if _, ok := ps[p]; ok {
			return c, true
		}
	}
	return "", false
}

// clients returns the first owner's clients, as its clinics see them.
func (m *patientModel) clients() []vetshare.ClientID {
	var cs []vetshare.ClientID
	for i := range 3 {
		for c := range m.want[i] {
			if !slices.Contains(cs, c) {
				cs = append(cs, c)
			}
		}
	}
	slices.Sort(cs)
	return cs
}

// patientsOf returns the patients of client c, as the first account that holds it sees them.
func (m *patientModel) patientsOf(c vetshare.ClientID) map[vetshare.PatientID][]vetshare.RecordID {
	for _, i := range m.holders(c) {
		return m.want[i][c]
	}
	return nil
}

// heldIn reports whether some account of accs holds the client c.
func (m *patientModel) heldIn(c vetshare.ClientID, accs []int) bool {
	return slices.ContainsFunc(m.holders(c), func(h int) bool { return slices.Contains(accs, h) })
}

// onlyAt0 reports whether no account but clinic 0 holds the client: what ann may merge.
func (m *patientModel) onlyAt0(cs ...vetshare.ClientID) bool {
	for _, c := range cs {
		for _, h := range m.holders(c) {
			if h != 0 {
				return false
			}
		}
	}
	return true
}

// group returns the views whose clients the actor's account may be shown: its group, or itself.
func group(i int) []int {
	if i < 2 {
		return []int{0, 1}
	}
	return []int{i}
}

func auditLength(rt *rapid.T, fx *fixture.Fixture, actor vetshare.Actor) (int64, vetshare.AuditEntry) {
	ctx := context.Background()
	var n int64
	var last vetshare.AuditEntry
	fx.View(rt, func(tx *vetshare.Tx) error {
		var err error
		if n, err = audit.Verify(ctx, tx, actor); err != nil {
			rt.Fatalf("audit.Verify: %v", err)
		}
		page := vetshare.Page{Limit: vetshare.MaxLimit}
		for {
			rows, next, err := audit.Log(ctx, tx, actor, page)
			if err != nil {
				return err
			}
			if len(rows) > 0 {
				last = rows[len(rows)-1]
			}
			if next == "" {
				return nil
			}
			page.After = next
		}
	})
	return n, last
}

// TestR13_5IsolationProperty, R13.3–R13.5 with R3.3: over random clients, shares, patients,
// notes, client merges and patient merges (allowed or refused; by admins of every clinic, by an
// admin of one clinic of the group who is staff of the other, and by another owner's admin), in
// a group of two clinics beside a clinic outside it and another owner with a client of two
// patients, after every action each account sees exactly what it is expected to: a refused
// merge changes nothing, and is refused for the expected reason; a patient merge changes only
// the views of the accounts that hold the patients' client, there only by the survivor
// standing for the merged-away patient, with both histories. Every patient id ever added,
// merged away or not, resolves in records.Patient to the patient that replaced it, from exactly
// the accounts that see that patient, and is not found elsewhere; both owners' audit chains
// verify, and each merge is audited once, a refused one not at all.
func TestR13_5IsolationProperty(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		fx := fixture.New(rt, fixture.Options{Accounts: 3, Path: filepath.Join(dir, fmt.Sprintf("pmerge-%d.db", run))})
		fx.Enable(rt, vetshare.ModeManual, fx.AccountIDs()[0], fx.AccountIDs()[1])
		other := fx.Another(rt, "Other", fixture.Options{Accounts: 1})
		ann := fx.User(rt, "ann", vetshare.RoleAdmin, vetshare.PermAll, 0)
		fx.Update(rt, func(tx *vetshare.Tx) error {
			return accounts.Grant(ctx, tx, vetshare.Membership{UserID: ann.ID, AccountID: fx.AccountIDs()[1], Role: vetshare.RoleStaff, Permissions: vetshare.PermAll, Active: true})
		})
		m := &patientModel{
			actors:   []vetshare.Actor{fx.Actor(0), fx.Actor(1), fx.Actor(2), other.Actor(0), {User: ann.ID, Account: fx.AccountIDs()[0]}},
			want:     [4]pview{{}, {}, {}, {}},
			replaced: map[vetshare.PatientID]vetshare.PatientID{},
		}
		oc, _ := other.Client(rt, 0, "Lee", "Ann")
		m.want[3][oc.ID] = map[vetshare.PatientID][]vetshare.RecordID{}
		for _, name := range []string{"Bella", "Bella"} {
			p := other.Patient(rt, 0, oc.ID, name, "cat")
			m.want[3][oc.ID][p.ID] = []vetshare.RecordID{other.Note(rt, 0, p.ID, "seen").ID}
			m.pool = append(m.pool, p.ID)
		}
		owner := func(actor int) int { // the index of the actor whose owner's chain to read
			if actor == 3 {
				return 3
			}
			return 0
		}
		acct := rapid.IntRange(0, 2)
		rt.Repeat(map[string]func(*rapid.T){
			"createClient": func(rt *rapid.T) {
				i := acct.Draw(rt, "account")
				var c vetshare.Client
				fx.Update(rt, func(tx *vetshare.Tx) error {
					var err error
					c, _, err = records.CreateClient(ctx, tx, fx.Actor(i), vetshare.Client{LastName: "O'Brien", FirstName: "Mary", Phone: "555 123 4567"})
					return err
				})
				m.want[i][c.ID] = map[vetshare.PatientID][]vetshare.RecordID{}
			},
			"shareClient": func(rt *rapid.T) {
				cs := m.clients()
				if len(cs) == 0 {
					rt.Skip("no clients")
				}
				i := acct.Draw(rt, "account")
				if i < 2 && rapid.IntRange(0, 3).Draw(rt, "any client") > 0 {
					// Mostly one the other clinic of the group holds: a share that is allowed.
					if there := slices.DeleteFunc(slices.Clone(cs), func(c vetshare.ClientID) bool { return !m.heldIn(c, []int{1 - i}) }); len(there) > 0 {
						cs = there
					}
				}
				c := rapid.SampledFrom(cs).Draw(rt, "client")
				_, held := m.want[i][c]
				ok := held || (i < 2 && m.heldIn(c, []int{1 - i}))
				var err error
				fx.Update(rt, func(tx *vetshare.Tx) error {
					_, err = sharing.ShareClient(ctx, tx, fx.Actor(i), c)
					return nil
				})
				if got, want := outcome(err), map[bool]string{true: "ok", false: "not found"}[ok]; got != want {
					rt.Fatalf("share %s to account %d: %s (%v), want %s", c, i, got, err, want)
				}
				if ok && !held {
					m.want[i][c] = clonePatients(m.patientsOf(c))
				}
			},
			"addPatient": func(rt *rapid.T) {
				cs := m.clients()
				if len(cs) == 0 {
					rt.Skip("no clients")
				}
				c := rapid.SampledFrom(cs).Draw(rt, "client")
				hs := m.holders(c)
				i := rapid.SampledFrom(hs).Draw(rt, "by")
				var p vetshare.Patient
				fx.Update(rt, func(tx *vetshare.Tx) error {
					var err error
					p, err = records.AddPatient(ctx, tx, fx.Actor(i), vetshare.Patient{ClientID: c, Name: "Rex", Species: "dog"})
					return err
				})
				for _, h := range hs {
					m.want[h][c][p.ID] = []vetshare.RecordID{}
				}
				m.pool = append(m.pool, p.ID)
			},
			"addNote": func(rt *rapid.T) {
				clientOf := map[vetshare.PatientID]vetshare.ClientID{}
				for _, c := range m.clients() {
					for p := range m.patientsOf(c) {
						clientOf[p] = c
					}
				}
				if len(clientOf) == 0 {
					rt.Skip("no patients")
				}
				p := rapid.SampledFrom(slices.Sorted(maps.Keys(clientOf))).Draw(rt, "patient")
				c := clientOf[p]
				hs := m.holders(c)
				i := rapid.SampledFrom(hs).Draw(rt, "by")
				var r vetshare.Record
				fx.Update(rt, func(tx *vetshare.Tx) error {
					var err error
					r, err = records.AddRecord(ctx, tx, fx.Actor(i), vetshare.Record{PatientID: p, Kind: vetshare.RecordNote, Text: "seen"})
					return err
				})
				for _, h := range hs {
					rs := append(slices.Clone(m.want[h][c][p]), r.ID)
					slices.Sort(rs)
					m.want[h][c][p] = rs
				}
			},
			"mergeClients": func(rt *rapid.T) {
				cs := m.clients()
				if len(cs) == 0 {
					rt.Skip("no clients")
				}
				s := rapid.SampledFrom(cs).Draw(rt, "survivor")
				mc := rapid.SampledFrom(cs).Draw(rt, "merged")
				by := rapid.SampledFrom([]int{0, 1, 2, annActor}).Draw(rt, "by")
				vis := group(viewIndex(by))
				want := "ok"
				switch {
				case s == mc:
					want = "invalid"
				case !m.heldIn(s, vis) || !m.heldIn(mc, vis):
					want = "not found"
				case by == annActor && !m.onlyAt0(s, mc):
					want = "not permitted"
				}
				n0, _ := auditLength(rt, fx, m.actors[0])
				var err error
				fx.Update(rt, func(tx *vetshare.Tx) error {
					_, err = duplicates.Merge(ctx, tx, m.actors[by], s, mc)
					return nil
				})
				if got := outcome(err); got != want {
					rt.Fatalf("merge client %s into %s by actor %d: %s (%v), want %s", mc, s, by, got, err, want)
				}
				n1, last := auditLength(rt, fx, m.actors[0])
				if err != nil {
					if n1 != n0 {
						rt.Fatalf("a refused client merge wrote %d audit entries", n1-n0)
					}
					return
				}
				if n1 != n0+1 || last.Action != "client.merge" || last.Subject != "client:"+string(s) {
					rt.Fatalf("client merge audited as %d entries, the last %s %s", n1-n0, last.Action, last.Subject)
				}
				both := clonePatients(m.patientsOf(s))
				for p, rs := range m.patientsOf(mc) {
					both[p] = slices.Clone(rs)
				}
				for _, h := range append(m.holders(s), m.holders(mc)...) {
					delete(m.want[h], mc)
					m.want[h][s] = clonePatients(both)
				}
			},
			"mergePatients": func(rt *rapid.T) {
				by := rapid.IntRange(0, annActor).Draw(rt, "by")
				vi := viewIndex(by)
				// Mostly patients the actor's account sees, of one client: the merges that may
				// be allowed; else any patient ever added, of either owner, merged away or not.
				var seen []vetshare.PatientID
				for _, ps := range m.want[vi] {
					seen = append(seen, slices.Collect(maps.Keys(ps))...)
				}
				slices.Sort(seen)
				var s vetshare.PatientID
				if len(seen) > 0 && rapid.IntRange(0, 3).Draw(rt, "any survivor") > 0 {
					s = rapid.SampledFrom(seen).Draw(rt, "survivor")
				} else {
					s = rapid.SampledFrom(m.pool).Draw(rt, "survivor")
				}
				var mp vetshare.PatientID
				if c, ok := m.clientIn(vi, s); ok && rapid.IntRange(0, 3).Draw(rt, "any merged") > 0 {
					ps := slices.Sorted(maps.Keys(m.want[vi][c]))
					if len(ps) > 1 { // mostly another patient of the client; itself now and then
						ps = slices.DeleteFunc(ps, func(p vetshare.PatientID) bool { return p == s && rapid.IntRange(0, 9).Draw(rt, "itself") > 0 })
					}
					mp = rapid.SampledFrom(ps).Draw(rt, "merged")
				} else {
					mp = rapid.SampledFrom(m.pool).Draw(rt, "merged")
				}
				cs, okS := m.clientIn(vi, s)
				cm, okM := m.clientIn(vi, mp)
				want := "ok"
				switch {
				case s == mp:
					want = "invalid"
				case !okS || !okM:
					want = "not found"
				case cs != cm:
					want = "invalid"
				case by == annActor && !m.onlyAt0(cs):
					want = "not permitted"
				}
				chain := m.actors[owner(by)]
				n0, _ := auditLength(rt, fx, chain)
				var err error
				fx.Update(rt, func(tx *vetshare.Tx) error {
					_, err = duplicates.MergePatients(ctx, tx, m.actors[by], s, mp)
					return nil
				})
				if got := outcome(err); got != want {
					rt.Fatalf("merge patient %s into %s by actor %d: %s (%v), want %s", mp, s, by, got, err, want)
				}
				n1, last := auditLength(rt, fx, chain)
				if err != nil {
					if n1 != n0 {
						rt.Fatalf("a refused patient merge wrote %d audit entries", n1-n0)
					}
					return
				}
				if n1 != n0+1 || last.Action != "patient.merge" || last.Subject != "patient:"+string(s) || last.UserID != m.actors[by].User {
					rt.Fatalf("patient merge audited as %d entries, the last %+v", n1-n0, last)
				}
				for _, h := range m.holders(cs) {
					rs := append(slices.Clone(m.want[h][cs][s]), m.want[h][cs][mp]...)
					slices.Sort(rs)
					m.want[h][cs][s] = rs
					delete(m.want[h][cs], mp)
				}
				for old, to := range m.replaced {
					if to == mp {
						m.replaced[old] = s
					}
				}
				m.replaced[mp] = s
			},
			"": func(rt *rapid.T) {
				for i, want := range m.want {
					if d := cmp.Diff(want, pviewOf(rt, fx, m.actors[i]), cmpopts.EquateEmpty()); d != "" {
						rt.Fatalf("account %d sees (-want +got):\n%s", i, d)
					}
				}
				fx.View(rt, func(tx *vetshare.Tx) error {
					for _, id := range m.pool {
						cur := id
						if to, ok := m.replaced[id]; ok {
							cur = to
						}
						for i := range m.want {
							c, seen := m.clientIn(i, cur)
							p, err := records.Patient(ctx, tx, m.actors[i], id)
							switch {
							case seen && (err != nil || p.ID != cur || p.ClientID != c):
								rt.Fatalf("account %d: patient %s is %s of %s (%v), want %s of %s", i, id, p.ID, p.ClientID, err, cur, c)
							case !seen && !errors.Is(err, vetshare.ErrNotFound):
								rt.Fatalf("account %d: patient %s is %s (%v), want not found", i, id, p.ID, err)
							}
						}
					}
					for _, i := range []int{0, 3} {
						if _, err := audit.Verify(ctx, tx, m.actors[i]); err != nil {
							rt.Fatalf("audit.Verify from account %d: %v", i, err)
						}
					}
					return nil
				})
			},
		})
	})
}
