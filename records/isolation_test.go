package records_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
)

// model is what each account may see, kept by the rules alone.
type model struct {
	owner    map[vetshare.AccountID]int // account -> owner index
	group    map[vetshare.AccountID]int // account -> current group; 0 is none
	mode     map[int]vetshare.Mode
	groups   int
	entries  map[vetshare.AccountID]map[vetshare.ClientID]bool
	clients  []vetshare.ClientID
	names    map[vetshare.ClientID]string // folded last name
	patients map[vetshare.PatientID]vetshare.ClientID
	pats     []vetshare.PatientID
	recs     map[vetshare.PatientID][]vetshare.RecordID
	recOf    map[vetshare.RecordID]vetshare.PatientID
}

func (m *model) members(g int) []vetshare.AccountID {
	var out []vetshare.AccountID
	for a, x := range m.group {
		if x == g && g != 0 {
			out = append(out, a)
		}
	}
	return out
}

func (m *model) sees(a vetshare.AccountID, c vetshare.ClientID) bool { return m.entries[a][c] }

var lastNames = []string{"Müller", "Muller", "Smith", "Smyth", "Ödegaard", "Núñez", "Nunez", "Ng"}

// R3.3, R3.1, R2.1, R2.4, R2.8, R3.5: random owners, accounts, groups joining and leaving,
// clients created in both modes, manual shares, patients and records; after every step no
// account can read, list or search anything outside the model of what it may see, and nothing
// inside it is missing.
func TestR3_3IsolationProperty(t *testing.T) {
	dir := t.TempDir()
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		f := fixture.New(rt, fixture.Options{Accounts: 3, Path: filepath.Join(dir, fmt.Sprintf("iso-%d.db", run))})
		m := &model{owner: map[vetshare.AccountID]int{}, group: map[vetshare.AccountID]int{}, mode: map[int]vetshare.Mode{},
			entries: map[vetshare.AccountID]map[vetshare.ClientID]bool{}, names: map[vetshare.ClientID]string{},
			patients: map[vetshare.PatientID]vetshare.ClientID{}, recs: map[vetshare.PatientID][]vetshare.RecordID{}, recOf: map[vetshare.RecordID]vetshare.PatientID{}}
		// A second owner with two accounts, where the same admin is owner too.
		f.Update(rt, func(tx *vetshare.Tx) error {
			o, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Second"})
			if err != nil {
				return err
			}
			for i := range 2 {
				a, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: o.ID, Name: fmt.Sprint("Second ", i), Email: fmt.Sprintf("s%d@second.example", i), EmailVerified: true, TimeZone: "Europe/Paris", Currency: "EUR"})
				if err != nil {
					return err
				}
				if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: f.Admin.ID, AccountID: a.ID, Role: vetshare.RoleOwner, Active: true}); err != nil {
					return err
				}
				f.Accounts = append(f.Accounts, a)
			}
			return nil
		})
		for i, a := range f.Accounts {
			m.owner[a.ID] = min(i/3, 1)
			m.entries[a.ID] = map[vetshare.ClientID]bool{}
		}
		acct := rapid.IntRange(0, len(f.Accounts)-1)
		actor := func(i int) vetshare.Actor { return vetshare.Actor{User: f.Admin.ID, Account: f.Accounts[i].ID} }

		rt.Repeat(map[string]func(*rapid.T){
			"enable": func(rt *rapid.T) {
				i, j := acct.Draw(rt, "a"), acct.Draw(rt, "b")
				if i == j {
					rt.Skip("same account")
				}
				mode := rapid.SampledFrom([]vetshare.Mode{vetshare.ModeAutomatic, vetshare.ModeManual}).Draw(rt, "mode")
				a, b := f.Accounts[i].ID, f.Accounts[j].ID
				req := f.Request(sharing.ActionEnable, mode, a, b)
				req.From = f.Accounts[i].Email
				var d sharing.Decision
				f.Update(rt, func(tx *vetshare.Tx) error { var err error; d, err = sharing.Enable(ctx, tx, req); return err })
				ga, gb := m.group[a], m.group[b]
				want := m.owner[a] == m.owner[b] && (ga == 0 || gb == 0 || ga == gb)
				if d.Approved != want {
					rt.Fatalf("enable %d,%d: approved %v, want %v (%v)", i, j, d.Approved, want, d.Err())
				}
				if !want {
					return
				}
				g := max(ga, gb)
				if g == 0 {
					m.groups++
					g = m.groups
					m.mode[g] = mode
				}
				m.group[a], m.group[b] = g, g
			},
			"remove": func(rt *rapid.T) {
				i := acct.Draw(rt, "a")
				a := f.Accounts[i].ID
				req := f.Request(sharing.ActionRemove, "", a)
				req.From = f.Accounts[i].Email
				var res sharing.RemoveResult
				f.Update(rt, func(tx *vetshare.Tx) error { var err error; res, err = sharing.Remove(ctx, tx, req); return err })
				if res.Approved != (m.group[a] != 0) {
					rt.Fatalf("remove %d: approved %v, in group %d", i, res.Approved, m.group[a])
				}
				m.group[a] = 0
			},
			"createClient": func(rt *rapid.T) {
				i := acct.Draw(rt, "a")
				last := rapid.SampledFrom(lastNames).Draw(rt, "last")
				c, _ := f.Client(rt, i, last, "X")
				a := f.Accounts[i].ID
				m.clients = append(m.clients, c.ID)
				m.names[c.ID] = vetshare.FoldName(last)
				m.entries[a][c.ID] = true
				if g := m.group[a]; g != 0 && m.mode[g] == vetshare.ModeAutomatic {
					for _, b := range m.members(g) {
						m.entries[b][c.ID] = true
					}
				}
			},
			"share": func(rt *rapid.T) {
				if len(m.clients) == 0 {
					rt.Skip("no clients")
				}
				i := acct.Draw(rt, "a")
				c := rapid.SampledFrom(m.clients).Draw(rt, "client")
				a := f.Accounts[i].ID
				var err error
				f.Update(rt, func(tx *vetshare.Tx) error { _, err = sharing.ShareClient(ctx, tx, actor(i), c); return nil })
				want := m.sees(a, c)
				if g := m.group[a]; !want && g != 0 {
					for _, b := range m.members(g) {
						if b != a && m.sees(b, c) {
							want = true
						}
					}
				}
				if (err == nil) != want {
					rt.Fatalf("share %s into %d: %v, want allowed=%v", c, i, err, want)
				}
				if err != nil && !errors.Is(err, vetshare.ErrNotFound) {
					rt.Fatalf("share refused with %v, want not found", err)
				}
				if want {
					m.entries[a][c] = true
				}
			},
			"addPatient": func(rt *rapid.T) {
				if len(m.clients) == 0 {
					rt.Skip("no clients")
				}
				i := acct.Draw(rt, "a")
				c := rapid.SampledFrom(m.clients).Draw(rt, "client")
				var p vetshare.Patient
				var err error
				f.Update(rt, func(tx *vetshare.Tx) error {
					p, err = records.AddPatient(ctx, tx, actor(i), vetshare.Patient{ClientID: c, Name: "Rex", Species: "dog"})
					return nil
				})
				if (err == nil) != m.sees(f.Accounts[i].ID, c) {
					rt.Fatalf("add patient to %s at %d: %v", c, i, err)
				}
				if err == nil {
					m.patients[p.ID] = c
					m.pats = append(m.pats, p.ID)
				}
			},
			"addRecord": func(rt *rapid.T) {
				if len(m.pats) == 0 {
					rt.Skip("no patients")
				}
				i := acct.Draw(rt, "a")
				p := rapid.SampledFrom(m.pats).Draw(rt, "patient")
				var r vetshare.Record
				var err error
				f.Update(rt, func(tx *vetshare.Tx) error {
					r, err = records.AddRecord(ctx, tx, actor(i), vetshare.Record{PatientID: p, Kind: vetshare.RecordNote, Text: "n"})
					return nil
				})
				if (err == nil) != m.sees(f.Accounts[i].ID, m.patients[p]) {
					rt.Fatalf("add record to %s at %d: %v", p, i, err)
				}
				if err == nil {
					m.recs[p] = append(m.recs[p], r.ID)
					m.recOf[r.ID] = p
				}
			},
			"": func(rt *rapid.T) { checkModel(rt, f, m) },
		})
	})
}

func checkModel(rt *rapid.T, f *fixture.Fixture, m *model) {
	f.View(rt, func(tx *vetshare.Tx) error {
		for i, a := range f.Accounts {
			act := vetshare.Actor{User: f.Admin.ID, Account: a.ID}
			// List: exactly the model's clients.
			rows, _, err := records.Clients(ctx, tx, act, "", vetshare.Page{Limit: 1000})
			if err != nil {
				return err
			}
			var got, want []vetshare.ClientID
			for _, r := range rows {
				got = append(got, r.ID)
			}
			for c := range m.entries[a.ID] {
				want = append(want, c)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				rt.Fatalf("account %d lists %v, want %v", i, got, want)
			}
			// Search by prefix: the model's clients with that folded last name prefix.
			rows, _, err = records.Clients(ctx, tx, act, "mu", vetshare.Page{Limit: 1000})
			if err != nil {
				return err
			}
			n := 0
			for c := range m.entries[a.ID] {
				if len(m.names[c]) >= 2 && m.names[c][:2] == "mu" {
					n++
				}
			}
			if len(rows) != n {
				rt.Fatalf("account %d: search mu finds %d, want %d", i, len(rows), n)
			}
			// Read: every client, patient and record of the world is found iff the model says so.
			for _, c := range m.clients {
				_, _, err := records.Client(ctx, tx, act, c)
				if (err == nil) != m.sees(a.ID, c) || (err != nil && !errors.Is(err, vetshare.ErrNotFound)) {
					rt.Fatalf("account %d reads client %s: %v, want visible=%v", i, c, err, m.sees(a.ID, c))
				}
			}
			for _, p := range m.pats {
				visible := m.sees(a.ID, m.patients[p])
				_, err := records.Patient(ctx, tx, act, p)
				if (err == nil) != visible {
					rt.Fatalf("account %d reads patient %s: %v, want visible=%v", i, p, err, visible)
				}
				hist, _, err := records.History(ctx, tx, act, records.HistoryQuery{Patient: p}, vetshare.Page{Limit: 1000})
				if (err == nil) != visible {
					rt.Fatalf("account %d reads history of %s: %v", i, p, err)
				}
				if visible && len(hist) != len(m.recs[p]) {
					rt.Fatalf("account %d sees %d records of %s, want %d", i, len(hist), p, len(m.recs[p]))
				}
				for _, r := range m.recs[p] {
					_, err := records.Record(ctx, tx, act, r)
					if (err == nil) != visible {
						rt.Fatalf("account %d reads record %s: %v, want visible=%v", i, r, err, visible)
					}
				}
			}
		}
		return nil
	})
}
