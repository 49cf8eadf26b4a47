package tasks_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/tasks"
)

// R9.2, R9.4, R9.5, R9.9: random owners (task sharing on or off), accounts, users, memberships
// with random permissions, and tasks in any status; for a random user, logged-in account and
// choice of clinics, Assigned To Me shows exactly the user's open tasks in the chosen clinics,
// never a task assigned to someone else nor one of an account the user cannot reach, names
// each task's clinic, and never offers an action the user's permissions in the task's account
// do not allow. A choice outside the reachable clinics is refused and shows nothing.
func TestR9_2_R9_5_AssignedToMeProperty(t *testing.T) {
	w := newWorld(t)
	rapid.Check(t, func(rt *rapid.T) {
		type acct struct {
			id    vetshare.AccountID
			owner int
		}
		type member struct {
			active bool
			perms  vetshare.Permissions
		}
		nOwners := rapid.IntRange(1, 3).Draw(rt, "owners")
		owners := make([]vetshare.OwnerID, nOwners)
		sharing := make([]bool, nOwners)
		var accts []acct
		for i := range owners {
			sharing[i] = rapid.Bool().Draw(rt, "sharing")
			owners[i] = w.owner(fmt.Sprint("owner ", i), sharing[i])
			for j := range rapid.IntRange(1, 4).Draw(rt, "accounts") {
				accts = append(accts, acct{w.account(owners[i], fmt.Sprintf("clinic %d.%d", i, j), "UTC"), i})
			}
		}
		users := make([]vetshare.UserID, rapid.IntRange(1, 4).Draw(rt, "users"))
		ms := map[vetshare.UserID]map[vetshare.AccountID]member{}
		for i := range users {
			users[i] = w.user(fmt.Sprint("user", i))
			ms[users[i]] = map[vetshare.AccountID]member{}
			for _, a := range accts {
				switch rapid.IntRange(0, 2).Draw(rt, "membership") {
				case 1, 2:
					m := member{active: rapid.IntRange(0, 5).Draw(rt, "active") > 0,
						perms: vetshare.Permissions(rapid.Uint64Range(0, 31).Draw(rt, "perms"))}
					ms[users[i]][a.id] = m
					w.update(func(tx *vetshare.Tx) error {
						return txn.D(tx).PutMembership(w.ctx, vetshare.Membership{UserID: users[i], AccountID: a.id, Role: vetshare.RoleStaff,
							Permissions: m.perms, Active: m.active})
					})
				}
			}
		}
		statuses := []vetshare.TaskStatus{vetshare.TaskOpen, vetshare.TaskInProgress, vetshare.TaskCompleted}
		var all []vetshare.Task
		w.update(func(tx *vetshare.Tx) error {
			for range rapid.IntRange(0, 30).Draw(rt, "tasks") {
				a := rapid.SampledFrom(accts).Draw(rt, "task account")
				k := vetshare.Task{
					ID: vetshare.NewID[vetshare.TaskID](tx.Now()), AccountID: a.id, Kind: vetshare.TaskGeneral, Title: "t",
					Assignee: rapid.SampledFrom(users).Draw(rt, "assignee"), Priority: vetshare.Priority(rapid.IntRange(1, 4).Draw(rt, "priority")),
					Status: rapid.SampledFrom(statuses).Draw(rt, "status"), CreatedBy: users[0], CreatedAt: tx.Now(), UpdatedAt: tx.Now(), Version: 1,
				}
				if h := rapid.IntRange(-1, 6).Draw(rt, "due"); h >= 0 {
					k.Due = t0.Add(time.Duration(h) * 12 * time.Hour)
				}
				if err := txn.D(tx).InsertTask(w.ctx, k); err != nil {
					return err
				}
				all = append(all, k)
			}
			return nil
		})

		u := rapid.SampledFrom(users).Draw(rt, "user")
		var logins []acct
		for _, a := range accts {
			if ms[u][a.id].active {
				logins = append(logins, a)
			}
		}
		if len(logins) == 0 {
			return
		}
		login := rapid.SampledFrom(logins).Draw(rt, "login")
		// The model: the clinics u can reach from login.
		reach := map[vetshare.AccountID]bool{}
		for _, a := range accts {
			if a.id == login.id || sharing[login.owner] && a.owner == login.owner && ms[u][a.id].active {
				reach[a.id] = true
			}
		}
		var sel tasks.Selection
		chosen := map[vetshare.AccountID]bool{login.id: true}
		switch rapid.IntRange(0, 2).Draw(rt, "selection") {
		case 1:
			sel.All, chosen = true, reach
		case 2:
			chosen = map[vetshare.AccountID]bool{}
			for _, a := range accts {
				if rapid.Bool().Draw(rt, "choose") {
					sel.Accounts = append(sel.Accounts, a.id)
					chosen[a.id] = true
				}
			}
			if len(sel.Accounts) == 0 {
				chosen[login.id] = true
			}
		}
		refused := false
		for a := range chosen {
			refused = refused || !reach[a]
		}

		var p tasks.Assigned
		err := w.store.View(w.ctx, func(tx *vetshare.Tx) error {
			var err error
			p, err = tasks.AssignedToMe(w.ctx, tx, vetshare.Actor{User: u, Account: login.id}, tasks.AssignedQuery{Clinics: sel}, vetshare.Page{Limit: vetshare.MaxLimit})
			return err
		})
		if refused {
			if !errors.Is(err, vetshare.ErrNotPermitted) || len(p.Rows) != 0 {
				rt.Fatalf("choice %v beyond reach %v: %v, %d rows; want refused and nothing", sel, reach, err, len(p.Rows))
			}
			return
		}
		if err != nil {
			rt.Fatal(err)
		}
		var want []vetshare.TaskID
		for _, k := range all {
			if k.Assignee == u && chosen[k.AccountID] && k.Status != vetshare.TaskCompleted {
				want = append(want, k.ID)
			}
		}
		var got []vetshare.TaskID
		for _, r := range p.Rows {
			got = append(got, r.Task.ID)
			k := r.Task
			if k.Assignee != u {
				rt.Fatalf("row %s is assigned to %s, not %s", k.ID, k.Assignee, u)
			}
			if !reach[k.AccountID] {
				rt.Fatalf("row %s is of account %s, beyond reach", k.ID, k.AccountID)
			}
			if r.Clinic.ID != k.AccountID {
				rt.Fatalf("row %s names clinic %s, not its account %s", k.ID, r.Clinic.ID, k.AccountID)
			}
			perms := ms[u][k.AccountID].perms
			if r.Actions.MarkInProgress && !perms.Has(vetshare.PermTaskMarkInProgress) ||
				r.Actions.Complete && !perms.Has(vetshare.PermTaskComplete) ||
				r.Actions.Edit && !perms.Has(vetshare.PermTaskEdit) ||
				r.Actions.Delete && !perms.Has(vetshare.PermTaskDelete) {
				rt.Fatalf("row %s offers %+v beyond the permissions %b in its account", k.ID, r.Actions, perms)
			}
			if r.Actions != tasks.Allowed(perms, k.Status) {
				rt.Fatalf("row %s offers %+v, want %+v", k.ID, r.Actions, tasks.Allowed(perms, k.Status))
			}
		}
		slices.Sort(want)
		sorted := slices.Clone(got)
		slices.Sort(sorted)
		if !slices.Equal(want, sorted) {
			rt.Fatalf("listed %v, want %v", sorted, want)
		}
		for i := 1; i < len(p.Rows); i++ {
			a, b := p.Rows[i-1].Task, p.Rows[i].Task
			ka := vetshare.TaskKey{Due: a.Due, Priority: a.Priority, ID: a.ID}
			kb := vetshare.TaskKey{Due: b.Due, Priority: b.Priority, ID: b.ID}
			if !keyBefore(ka, kb) {
				rt.Fatalf("rows out of order: %+v before %+v", ka, kb)
			}
		}
	})
}

// keyBefore reports whether a comes before b in a task list: by due date (none last), then
// priority (most urgent first), then id.
func keyBefore(a, b vetshare.TaskKey) bool {
	switch {
	case a.Due.IsZero() != b.Due.IsZero():
		return b.Due.IsZero()
	case !a.Due.Equal(b.Due):
		return a.Due.Before(b.Due)
	case a.Priority != b.Priority:
		return a.Priority > b.Priority
	}
	return a.ID < b.ID
}
