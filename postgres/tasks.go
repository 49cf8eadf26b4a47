package postgres

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// noDue is the due column of a task without a due date: after every real one.
const noDue = math.MaxInt64

func dueCol(t time.Time) int64 {
	if t.IsZero() {
		return noDue
	}
	return vetshare.Time(t).UnixMicro()
}

func fromDueCol(n int64) time.Time {
	if n == noDue {
		return time.Time{}
	}
	return fromMicros(n)
}

const taskCols = `t.id, t.account_id, t.kind, t.title, t.notes, t.assignee_id, t.due, t.priority, t.status,
	t.repeat_every, t.repeat_unit, t.repeat_until, t.client_id, t.patient_id, t.created_by, t.created_at,
	t.updated_at, t.completed_at, t.previous_id, t.next_id, t.version`

func scanTask(r pgx.Rows, t *vetshare.Task, more ...any) error {
	var due, created, updated, priority int64
	var until, completed *int64
	var client, patient, prev, next *string
	err := r.Scan(append([]any{&t.ID, &t.AccountID, &t.Kind, &t.Title, &t.Notes, &t.Assignee, &due, &priority,
		&t.Status, &t.Repeat.Every, &t.Repeat.Unit, &until, &client, &patient, &t.CreatedBy, &created,
		&updated, &completed, &prev, &next, &t.Version}, more...)...)
	t.Due, t.Priority = fromDueCol(due), vetshare.Priority(priority)
	t.Repeat.Until = fromNull(until)
	t.ClientID, t.PatientID = vetshare.ClientID(deref(client)), vetshare.PatientID(deref(patient))
	t.Previous, t.Next = vetshare.TaskID(deref(prev)), vetshare.TaskID(deref(next))
	t.CreatedAt, t.UpdatedAt = fromMicros(created), fromMicros(updated)
	t.CompletedAt = fromNull(completed)
	return err
}

// InsertTask implements [driver.Tx].
func (t *dtx) InsertTask(ctx context.Context, k vetshare.Task) error {
	o, err := t.acct(ctx, k.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", k.AccountID))
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.tasks (owner_id, id, account_id, kind, title, notes, assignee_id, due, priority, status, done,
			repeat_every, repeat_unit, repeat_until, client_id, patient_id, created_by, created_at, updated_at, completed_at,
			previous_id, next_id, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
			o, k.ID, k.AccountID, string(k.Kind), k.Title, k.Notes, k.Assignee, dueCol(k.Due), int64(k.Priority),
			string(k.Status), k.Status == vetshare.TaskCompleted, k.Repeat.Every, string(k.Repeat.Unit),
			micros(k.Repeat.Until), nullString(string(k.ClientID)), nullString(string(k.PatientID)), k.CreatedBy,
			micros(k.CreatedAt), micros(k.UpdatedAt), micros(k.CompletedAt), nullString(string(k.Previous)),
			nullString(string(k.Next)), k.Version)
		return err
	})
}

func (t *dtx) tasks(ctx context.Context, query string, args ...any) ([]vetshare.TaskRow, error) {
	var out []vetshare.TaskRow
	err := t.each(ctx, func(r pgx.Rows) error {
		var row vetshare.TaskRow
		err := scanTask(r, &row.Task, &row.ClientShared)
		out = append(out, row)
		return err
	}, query, args...)
	return out, err
}

// listCols are the columns a task list shows ([driver.TasksTx.Tasks]), which the (owner,
// assignee) index includes (0005).
const listCols = `t.id, t.account_id, t.kind, t.title, t.assignee_id, t.due, t.priority, t.status, t.client_id, t.patient_id, t.created_at`

// list calls fn with each row of a task list query of listCols and the shared flag, each
// scanned into the same targets, and returns fn's first error as it is.
func (t *dtx) list(ctx context.Context, fn func(vetshare.TaskRow) error, query string, args ...any) error {
	var id, account, kind, title, assignee, status string
	var due, priority, created int64
	var client, patient *string
	var shared bool
	dest := []any{&id, &account, &kind, &title, &assignee, &due, &priority, &status, &client, &patient, &created, &shared}
	var stop error
	err := t.each(ctx, func(r pgx.Rows) error {
		client, patient = nil, nil
		if err := r.Scan(dest...); err != nil {
			return err
		}
		stop = fn(vetshare.TaskRow{ClientShared: shared, Task: vetshare.Task{
			ID: vetshare.TaskID(id), AccountID: vetshare.AccountID(account), Kind: vetshare.TaskKind(kind), Title: title,
			Assignee: vetshare.UserID(assignee), Due: fromDueCol(due), Priority: vetshare.Priority(priority),
			Status: vetshare.TaskStatus(status), ClientID: vetshare.ClientID(deref(client)),
			PatientID: vetshare.PatientID(deref(patient)), CreatedAt: fromMicros(created),
		}})
		return stop
	}, query, args...)
	if stop != nil {
		return stop
	}
	return err
}

// Task implements [driver.Tx].
func (t *dtx) Task(ctx context.Context, id vetshare.TaskID) (vetshare.Task, error) {
	notFound := vetshare.NotFound("task", id)
	o, err := t.bare(ctx, "task", string(id))
	if err != nil || o == "" {
		return vetshare.Task{}, orNotFound(err, notFound)
	}
	rows, err := t.tasks(ctx, `SELECT `+taskCols+`, true FROM vetshare.tasks t WHERE t.owner_id = $1 AND t.id = $2`, o, id)
	if err != nil || len(rows) == 0 {
		return vetshare.Task{}, orNotFound(err, notFound)
	}
	return rows[0].Task, nil
}

// UpdateTask implements [driver.Tx].
func (t *dtx) UpdateTask(ctx context.Context, k vetshare.Task) error {
	notFound := vetshare.NotFound("task", k.ID)
	o, err := t.bare(ctx, "task", string(k.ID))
	if err != nil || o == "" {
		return orNotFound(err, notFound)
	}
	var n int64
	err = t.write(ctx, func() (err error) {
		n, err = t.exec(ctx, `UPDATE vetshare.tasks SET kind = $3, title = $4, notes = $5, assignee_id = $6, due = $7, priority = $8,
			status = $9, done = $10, repeat_every = $11, repeat_unit = $12, repeat_until = $13, client_id = $14, patient_id = $15,
			updated_at = $16, completed_at = $17, previous_id = $18, next_id = $19, version = version + 1
			WHERE owner_id = $1 AND id = $2 AND version = $20`,
			o, k.ID, string(k.Kind), k.Title, k.Notes, k.Assignee, dueCol(k.Due), int64(k.Priority),
			string(k.Status), k.Status == vetshare.TaskCompleted, k.Repeat.Every, string(k.Repeat.Unit),
			micros(k.Repeat.Until), nullString(string(k.ClientID)), nullString(string(k.PatientID)),
			micros(k.UpdatedAt), micros(k.CompletedAt), nullString(string(k.Previous)), nullString(string(k.Next)), k.Version)
		return err
	})
	if err != nil || n == 1 {
		return err
	}
	var current int64
	if err := t.row(ctx, notFound, []any{&current}, `SELECT version FROM vetshare.tasks WHERE owner_id = $1 AND id = $2`, o, k.ID); err != nil {
		return err
	}
	return &vetshare.ConflictError{Kind: "task", ID: string(k.ID), Version: k.Version, Current: current, Name: k.Title}
}

// DeleteTask implements [driver.Tx].
func (t *dtx) DeleteTask(ctx context.Context, id vetshare.TaskID) error {
	notFound := vetshare.NotFound("task", id)
	o, err := t.bare(ctx, "task", string(id))
	if err != nil || o == "" {
		return orNotFound(err, notFound)
	}
	return t.execOne(ctx, notFound, `DELETE FROM vetshare.tasks WHERE owner_id = $1 AND id = $2`, o, id)
}

// The task lists, in (done, due, priority DESC, id) order, started after the keyset
// ($d, $p, $i). shared is true when the task has no client or its client has an entry in the
// account the list is shared with.
const taskList = `SELECT ` + listCols + `,
	t.client_id IS NULL OR EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.account_id = $2 AND e.client_id = t.client_id)
	FROM vetshare.tasks t
	WHERE t.owner_id = $1 AND t.account_id = ANY ($3) AND ($4 = '' OR t.assignee_id = $4) AND ($5 = '' OR t.patient_id = $5)
	AND t.done = $6 AND t.due >= $7 AND (t.due > $7 OR t.priority < $8 OR (t.priority = $8 AND t.id > $9))
	ORDER BY t.due, t.priority DESC, t.id LIMIT $10`

// Tasks implements [driver.Tx].
func (t *dtx) Tasks(ctx context.Context, q vetshare.TaskQuery, fn func(vetshare.TaskRow) error) error {
	if len(q.Accounts) == 0 {
		return vetshare.Invalid("Accounts", "at least one account is needed")
	}
	if q.Limit < 1 {
		return vetshare.Invalid("Limit", "must be at least 1")
	}
	if (q.Patient != "" || q.Assignee == "") && len(q.Accounts) != 1 {
		if q.Patient != "" {
			return vetshare.Invalid("Accounts", "a patient's tasks are listed in one account")
		}
		return vetshare.Invalid("Accounts", "an account's tasks are listed in one account")
	}
	o, err := t.acct(ctx, q.Accounts[0])
	if err != nil || o == "" {
		return err
	}
	after := vetshare.TaskKey{Due: time.Time{}, Priority: math.MaxInt32}
	afterDue := int64(math.MinInt64)
	if q.After != nil {
		after = *q.After
		afterDue = dueCol(after.Due)
	}
	return t.list(ctx, fn, taskList, o, string(q.SharedWith), strs(q.Accounts), string(q.Assignee), string(q.Patient),
		q.Completed, afterDue, int64(after.Priority), string(after.ID), q.Limit)
}

// taskScope is TaskScope's one statement, under the account's owner ($1): a row (kind 0) of
// the account with the membership's permissions, whether it and the user are active, and the
// owner's task sharing; then (kind 1), when task sharing is on, a row of each linked clinic
// with the permissions there, in the owner's account order.
const taskScope = `SELECT 0 AS kind, a.id, a.name, m.permissions, m.active AND u.active, o.task_sharing,
	0::bigint AS l_created, 0::bigint AS l_seq
	FROM vetshare.memberships m JOIN vetshare.users u ON u.id = m.user_id
	JOIN vetshare.accounts a ON a.owner_id = $1 AND a.id = m.account_id
	JOIN vetshare.owners o ON o.owner_id = $1
	WHERE m.user_id = $2 AND m.account_id = $3
UNION ALL
SELECT 1, la.id, la.name, l.permissions, true, false, la.created_at, la.seq
	FROM vetshare.owners o JOIN vetshare.memberships l ON l.user_id = $2 AND l.active
	JOIN vetshare.accounts la ON la.owner_id = $1 AND la.id = l.account_id
	WHERE o.owner_id = $1 AND o.task_sharing AND la.id <> $3
ORDER BY kind, l_created, l_seq`

// TaskScope implements [driver.Tx].
func (t *dtx) TaskScope(ctx context.Context, user vetshare.UserID, account vetshare.AccountID) (driver.TaskScope, error) {
	notFound := vetshare.NotFound("membership", string(user)+"@"+string(account))
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return driver.TaskScope{}, orNotFound(err, notFound)
	}
	s := driver.TaskScope{Owner: vetshare.OwnerID(o)}
	var kind int32
	var perms, created, seq int64
	var id, name string
	var active, sharing bool
	dest := []any{&kind, &id, &name, &perms, &active, &sharing, &created, &seq}
	err = t.each(ctx, func(r pgx.Rows) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		if (kind == 0) != (len(s.Clinics) == 0) {
			return errNoScope
		}
		if kind == 0 {
			s.Active, s.TaskSharing = active, sharing
			s.Clinics = make([]driver.LinkedClinic, 0, 16)
		}
		s.Clinics = append(s.Clinics, driver.LinkedClinic{ID: vetshare.AccountID(id), Name: name, Permissions: vetshare.Permissions(perms)})
		return nil
	}, taskScope, o, string(user), string(account))
	if errors.Is(err, errNoScope) || err == nil && len(s.Clinics) == 0 {
		return driver.TaskScope{}, notFound
	}
	if err != nil {
		return driver.TaskScope{}, err
	}
	return s, nil
}

// errNoScope stops TaskScope's read when the membership row is missing.
var errNoScope = errors.New("postgres: no membership row")
