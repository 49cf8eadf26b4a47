package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/tasks"
)

// The baseline statements of Assigned To Me: the actor with its account's owner and task
// sharing switch, the user's linked clinics, and the first page of their tasks in them.
const (
	qTaskActor = `SELECT m.active AND u.active, a.owner_id, o.task_sharing FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id
		JOIN vetshare_accounts a ON a.id = m.account_id JOIN vetshare_owners o ON o.id = a.owner_id WHERE m.user_id = ? AND m.account_id = ?`
	qLinked = `SELECT a.id, a.name, m.permissions FROM vetshare_memberships m JOIN vetshare_accounts a ON a.id = m.account_id
		WHERE m.user_id = ? AND m.active AND a.owner_id = ? ORDER BY a.created_at, a.id`
	// The columns a task list shows (driver.TasksTx.Tasks), which vetshare_tasks_assignee holds.
	qAssigned = `SELECT t.id, t.account_id, t.kind, t.title, t.assignee_id, t.due, t.priority, t.status,
		t.client_id, t.patient_id, t.created_at,
		t.client_id IS NULL OR EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.account_id = :s AND e.client_id = t.client_id)
		FROM vetshare_tasks t INDEXED BY vetshare_tasks_assignee
		WHERE t.assignee_id = :u AND t.done = 0 AND t.account_id IN (SELECT value FROM json_each(:a))
		  AND t.due >= :d AND (t.due > :d OR t.priority < :p OR (t.priority = :p AND t.id > :i))
		ORDER BY t.due, t.priority DESC, t.id LIMIT :n`
)

// assignedToMe: tasks.AssignedToMe, first page (50), all ten linked clinics, for a vet who works
// at every location of the big owner, whose ten accounts hold the task backlog.
func (e *env) assignedToMe() *workload {
	o := e.m.Owners[e.m.Big]
	actor := func(i int) vetshare.Actor {
		return vetshare.Actor{User: o.Roaming[i%len(o.Roaming)], Account: o.Accounts[i%len(o.Accounts)]}
	}
	return &workload{
		name: "assigned-to-me", desc: fmt.Sprintf("vetshare_tasks.AssignedToMe, first page of 50 over 10 linked clinics, %d tasks in the big owner's accounts", e.m.Size.Tasks),
		target: "p99 ≤ 1 ms", iters: e.n(2000), warm: 50, judge: p99AtMost(1000), absolute: true, afterWrite: true,
		op: func(ctx context.Context, i int) (int, error) {
			var n int
			return n, e.rst.View(ctx, func(tx *vetshare.Tx) error {
				p, err := tasks.AssignedToMe(ctx, tx, actor(i), tasks.AssignedQuery{Clinics: tasks.Selection{All: true}}, vetshare.Page{Limit: 50})
				n = len(p.Rows)
				if err == nil && n == 0 {
					err = errors.New("no task assigned")
				}
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			a := actor(i)
			var n int
			return n, e.p.view(ctx, func(q *ptx) error {
				var active, sharing bool
				var owner vetshare.OwnerID
				if err := q.row(qTaskActor, []any{a.User, a.Account}, &active, &owner, &sharing); err != nil || !active || !sharing {
					return fmt.Errorf("baseline: actor: %v", err)
				}
				var linked []vetshare.AccountID
				names := map[vetshare.AccountID]string{}
				err := q.each(qLinked, []any{a.User, owner}, func(r *sql.Rows) error {
					var id vetshare.AccountID
					var name string
					var perms int64
					err := r.Scan(&id, &name, &perms)
					linked, names[id] = append(linked, id), name
					return err
				})
				if err != nil {
					return err
				}
				list, _ := json.Marshal(linked)
				err = q.each(qAssigned, []any{sql.Named("s", string(a.Account)), sql.Named("u", string(a.User)), sql.Named("a", string(list)),
					sql.Named("d", int64(math.MinInt64)), sql.Named("p", int64(math.MaxInt32)), sql.Named("i", ""), sql.Named("n", 51)},
					func(r *sql.Rows) error {
						var id, acct, kind, title, assignee, status string
						var due, prio, created int64
						var client, patient sql.NullString
						var shared bool
						n++
						return r.Scan(&id, &acct, &kind, &title, &assignee, &due, &prio, &status, &client, &patient, &created, &shared)
					})
				n = min(n, 50)
				return err
			})
		},
		limit: func(ctx context.Context, i int) (int, error) {
			var n int
			return n, e.p.view(ctx, func(q *ptx) error {
				var err error
				n, err = q.limitAssigned(actor(i))
				return err
			})
		},
	}
}
