package tasks_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/tasks"
)

// snapshot is every task's id and version, and the length of every audit log: what a refused
// operation must leave as it was.
func (g *group) snapshot() string {
	g.tb.Helper()
	var b strings.Builder
	rows, err := g.store.DB().Query(`SELECT id, version, status FROM vetshare_tasks ORDER BY id`)
	if err != nil {
		g.tb.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, st string
		var v int64
		if err := rows.Scan(&id, &v, &st); err != nil {
			g.tb.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %s\n", id, v, st)
	}
	var n int
	if err := g.store.DB().QueryRow(`SELECT count(*) FROM vetshare_audit_log`).Scan(&n); err != nil {
		g.tb.Fatal(err)
	}
	fmt.Fprintf(&b, "audit %d\n", n)
	return b.String()
}

// R11.1: bad input gets a typed error and changes nothing: unknown users, tasks and accounts,
// selections with foreign accounts, repeat rules that make no sense, due dates in impossible
// zones.
func TestBadInput(t *testing.T) {
	g := newGroup(t, true)
	mars := vetshare.NewID[vetshare.AccountID](t0)
	g.update(func(tx *vetshare.Tx) error { // a zone no machine knows, written past accounts' checks
		return txn.D(tx).InsertAccount(g.ctx, vetshare.Account{ID: mars, OwnerID: g.owner, Name: "Mars", Email: "m@x.example",
			TimeZone: "Mars/Olympus_Mons", Currency: "USD", CreatedAt: t0})
	})
	g.grant(g.vet, mars, allPerms)
	g.grant(g.boss, g.far, 0) // no permission to create
	northClient := g.client(g.owner, g.north, "North")
	southClient := g.client(g.owner, g.south, "South")
	southPet := g.patient(southClient, g.south, g.boss, "Rex")
	otherPet := g.patient(g.client(g.owner, g.north, "Other"), g.north, g.boss, "Tom")
	task := g.create(g.boss, g.north, tasks.Draft{Title: "t", Assignee: g.vet, Due: t0.Add(time.Hour)})
	farTask := g.create(g.stranger, g.far, tasks.Draft{Title: "far", Assignee: g.stranger})
	bossTask := g.create(g.boss, g.south, tasks.Draft{Title: "boss's", Assignee: g.boss}) // not the vet's
	as := vetshare.Actor{User: g.vet, Account: g.north}
	unknownUser := vetshare.NewID[vetshare.UserID](t0)
	unknownAccount := vetshare.NewID[vetshare.AccountID](t0)
	unknownTask := vetshare.NewID[vetshare.TaskID](t0)
	draft := func(f func(*tasks.Draft)) tasks.Draft {
		d := tasks.Draft{Title: "ok", Assignee: g.vet, Due: t0.Add(time.Hour)}
		f(&d)
		return d
	}
	create := func(actor vetshare.Actor, d tasks.Draft) func(*vetshare.Tx) error {
		return func(tx *vetshare.Tx) error { _, err := tasks.Create(g.ctx, tx, actor, d); return err }
	}
	edit := func(id vetshare.TaskID, ch tasks.Change) func(*vetshare.Tx) error {
		return func(tx *vetshare.Tx) error { _, err := tasks.Edit(g.ctx, tx, as, id, ch); return err }
	}
	assigned := func(actor vetshare.Actor, q tasks.AssignedQuery, page ...vetshare.Page) func(*vetshare.Tx) error {
		return func(tx *vetshare.Tx) error {
			_, err := tasks.AssignedToMe(g.ctx, tx, actor, q, append(page, vetshare.Page{})[0])
			return err
		}
	}
	empty, repeat0 := "  ", vetshare.RepeatRule{Every: 0, Unit: vetshare.RepeatDay}
	farDue := time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		do   func(*vetshare.Tx) error
		want error
	}{
		{"unknown user", create(vetshare.Actor{User: unknownUser, Account: g.north}, draft(func(*tasks.Draft) {})), vetshare.ErrNotPermitted},
		{"malformed user", create(vetshare.Actor{User: "bob\x00", Account: g.north}, draft(func(*tasks.Draft) {})), vetshare.ErrInvalid},
		{"unknown account", create(vetshare.Actor{User: g.vet, Account: unknownAccount}, draft(func(*tasks.Draft) {})), vetshare.ErrNotPermitted},
		{"no create permission", create(vetshare.Actor{User: g.boss, Account: g.far}, draft(func(d *tasks.Draft) { d.Assignee = g.boss })), vetshare.ErrNotPermitted},
		{"empty title", create(as, draft(func(d *tasks.Draft) { d.Title = " " })), vetshare.ErrInvalid},
		{"long title", create(as, draft(func(d *tasks.Draft) { d.Title = strings.Repeat("x", 201) })), vetshare.ErrInvalid},
		{"unknown kind", create(as, draft(func(d *tasks.Draft) { d.Kind = "chore" })), vetshare.ErrInvalid},
		{"unknown priority", create(as, draft(func(d *tasks.Draft) { d.Priority = 9 })), vetshare.ErrInvalid},
		{"unknown assignee", create(as, draft(func(d *tasks.Draft) { d.Assignee = unknownUser })), vetshare.ErrNotFound},
		{"assignee of another clinic", create(as, draft(func(d *tasks.Draft) { d.Assignee = g.stranger })), vetshare.ErrNotFound},
		{"malformed assignee", create(as, draft(func(d *tasks.Draft) { d.Assignee = "" })), vetshare.ErrInvalid},
		{"due twice", create(as, draft(func(d *tasks.Draft) { d.DueOn = "2026-03-04" })), vetshare.ErrInvalid},
		{"due on no date", create(as, draft(func(d *tasks.Draft) { d.Due, d.DueOn = time.Time{}, "2026-02-30" })), vetshare.ErrInvalid},
		{"due in year 20000", create(as, draft(func(d *tasks.Draft) { d.Due = farDue })), vetshare.ErrInvalid},
		{"due in an impossible zone", create(vetshare.Actor{User: g.vet, Account: mars}, draft(func(d *tasks.Draft) { d.Due, d.DueOn = time.Time{}, "2026-03-04" })), vetshare.ErrInvalid},
		{"repeat every 0", create(as, draft(func(d *tasks.Draft) { d.Repeat = repeat0 })), vetshare.ErrInvalid},
		{"repeat by fortnights", create(as, draft(func(d *tasks.Draft) { d.Repeat = vetshare.RepeatRule{Every: 1, Unit: "fortnight"} })), vetshare.ErrInvalid},
		{"repeat without due", create(as, draft(func(d *tasks.Draft) {
			d.Due, d.Repeat = time.Time{}, vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatDay}
		})), vetshare.ErrInvalid},
		{"repeat ending before due", create(as, draft(func(d *tasks.Draft) {
			d.Repeat = vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatDay, Until: t0}
		})), vetshare.ErrInvalid},
		{"client not shared", create(as, draft(func(d *tasks.Draft) { d.ClientID = southClient })), vetshare.ErrNotFound},
		{"patient not shared", create(as, draft(func(d *tasks.Draft) { d.PatientID = southPet })), vetshare.ErrNotFound},
		{"patient of another client", create(as, draft(func(d *tasks.Draft) { d.ClientID, d.PatientID = northClient, otherPet })), vetshare.ErrInvalid},
		{"malformed client", create(as, draft(func(d *tasks.Draft) { d.ClientID = "c1\x00" })), vetshare.ErrInvalid},
		{"edit unknown task", edit(unknownTask, tasks.Change{Title: &empty}), vetshare.ErrNotFound},
		{"edit malformed task", edit("t1\x00", tasks.Change{}), vetshare.ErrInvalid},
		{"edit another owner's task", edit(farTask.ID, tasks.Change{Notes: &empty}), vetshare.ErrNotFound},
		{"edit a linked clinic's task of someone else", edit(bossTask.ID, tasks.Change{Notes: &empty}), vetshare.ErrNotFound},
		{"edit to an empty title", edit(task.ID, tasks.Change{Title: &empty}), vetshare.ErrInvalid},
		{"edit to a nonsense repeat", edit(task.ID, tasks.Change{Repeat: &repeat0}), vetshare.ErrInvalid},
		{"edit to year 20000", edit(task.ID, tasks.Change{Due: &farDue}), vetshare.ErrInvalid},
		{"edit from a stale version", edit(task.ID, tasks.Change{Version: 7, Notes: &empty}), vetshare.ErrConflict},
		{"complete unknown task", func(tx *vetshare.Tx) error { _, _, err := tasks.Complete(g.ctx, tx, as, unknownTask); return err }, vetshare.ErrNotFound},
		{"delete another owner's task", func(tx *vetshare.Tx) error { return tasks.Delete(g.ctx, tx, as, farTask.ID) }, vetshare.ErrNotFound},
		{"get another owner's task", func(tx *vetshare.Tx) error { _, err := tasks.Get(g.ctx, tx, as, farTask.ID); return err }, vetshare.ErrNotFound},
		{"select a foreign account", assigned(as, tasks.AssignedQuery{Clinics: tasks.Selection{Accounts: []vetshare.AccountID{g.far}}}), vetshare.ErrNotPermitted},
		{"select an unknown account", assigned(as, tasks.AssignedQuery{Clinics: tasks.Selection{Accounts: []vetshare.AccountID{unknownAccount}}}), vetshare.ErrNotPermitted},
		{"select a malformed account", assigned(as, tasks.AssignedQuery{Clinics: tasks.Selection{Accounts: []vetshare.AccountID{"north\x00"}}}), vetshare.ErrInvalid},
		{"negative limit", assigned(as, tasks.AssignedQuery{}, vetshare.Page{Limit: -1}), vetshare.ErrInvalid},
		{"huge limit", assigned(as, tasks.AssignedQuery{}, vetshare.Page{Limit: 100000}), vetshare.ErrInvalid},
		{"unknown user's list", assigned(vetshare.Actor{User: unknownUser, Account: g.north}, tasks.AssignedQuery{}), vetshare.ErrNotPermitted},
		{"malformed patient", func(tx *vetshare.Tx) error {
			_, _, err := tasks.PatientTasks(g.ctx, tx, as, "rex\x00", tasks.ListQuery{}, vetshare.Page{})
			return err
		}, vetshare.ErrInvalid},
		{"malformed assignee filter", func(tx *vetshare.Tx) error {
			_, _, err := tasks.AccountTasks(g.ctx, tx, as, tasks.ListQuery{Assignee: "x\x00"}, vetshare.Page{})
			return err
		}, vetshare.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := g.snapshot()
			// The transaction commits whatever the operation wrote before failing.
			var err error
			g.update(func(tx *vetshare.Tx) error { err = tt.do(tx); return nil })
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if after := g.snapshot(); after != before {
				t.Errorf("refused input changed the store:\n%s\nthen\n%s", before, after)
			}
		})
	}
}
