package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"slices"
	"time"

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
	return time.UnixMicro(n).UTC()
}

const taskCols = `t.id, t.account_id, t.kind, t.title, t.notes, t.assignee_id, t.due, t.priority, t.status,
	t.repeat_every, t.repeat_unit, t.repeat_until, t.client_id, t.patient_id, t.created_by, t.created_at,
	t.updated_at, t.completed_at, t.previous_id, t.next_id, t.version`

func scanTask(r *sql.Rows, t *vetshare.Task, more ...any) error {
	var sc taskScanner
	if err := r.Scan(append(sc.dest(), more...)...); err != nil {
		return err
	}
	sc.into(t)
	return nil
}

// taskScanner holds the scan targets of a task's columns (taskCols).
type taskScanner struct {
	t                     vetshare.Task
	due, created, updated int64
	until, completed      sql.NullInt64
	client, patient, prev sql.NullString
	next                  sql.NullString
	targets               []any
}

// dest returns the scan targets of taskCols, in order.
func (s *taskScanner) dest() []any {
	if s.targets == nil {
		t := &s.t
		s.targets = []any{&t.ID, &t.AccountID, &t.Kind, &t.Title, &t.Notes, &t.Assignee, &s.due, &t.Priority,
			&t.Status, &t.Repeat.Every, &t.Repeat.Unit, &s.until, &s.client, &s.patient, &t.CreatedBy, &s.created,
			&s.updated, &s.completed, &s.prev, &s.next, &t.Version}
	}
	return s.targets
}

// into stores the row last scanned in t.
func (s *taskScanner) into(t *vetshare.Task) {
	*t = s.t
	t.Due = fromDueCol(s.due)
	t.Repeat.Until = fromMicros(s.until)
	t.ClientID, t.PatientID = vetshare.ClientID(s.client.String), vetshare.PatientID(s.patient.String)
	t.Previous, t.Next = vetshare.TaskID(s.prev.String), vetshare.TaskID(s.next.String)
	t.CreatedAt, t.UpdatedAt = time.UnixMicro(s.created).UTC(), time.UnixMicro(s.updated).UTC()
	t.CompletedAt = fromMicros(s.completed)
}

func (t *dtx) InsertTask(ctx context.Context, k vetshare.Task) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_tasks (id, account_id, kind, title, notes, assignee_id, due, priority, status, done,
		repeat_every, repeat_unit, repeat_until, client_id, patient_id, created_by, created_at, updated_at, completed_at,
		previous_id, next_id, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.AccountID, string(k.Kind), k.Title, k.Notes, k.Assignee, dueCol(k.Due), int64(k.Priority),
		string(k.Status), b2i(k.Status == vetshare.TaskCompleted), k.Repeat.Every, string(k.Repeat.Unit),
		micros(k.Repeat.Until), nullString(string(k.ClientID)), nullString(string(k.PatientID)), k.CreatedBy,
		micros(k.CreatedAt), micros(k.UpdatedAt), micros(k.CompletedAt), nullString(string(k.Previous)),
		nullString(string(k.Next)), k.Version)
	return err
}

func (t *dtx) Task(ctx context.Context, id vetshare.TaskID) (vetshare.Task, error) {
	var k vetshare.Task
	err := t.queryRow(ctx, vetshare.NotFound("task", id), func(r *sql.Rows) error { return scanTask(r, &k) },
		`SELECT `+taskCols+` FROM vetshare_tasks t WHERE t.id = ?`, id)
	return k, err
}

func (t *dtx) UpdateTask(ctx context.Context, k vetshare.Task) error {
	res, err := t.exec(ctx, `UPDATE vetshare_tasks SET kind = ?, title = ?, notes = ?, assignee_id = ?, due = ?, priority = ?,
		status = ?, done = ?, repeat_every = ?, repeat_unit = ?, repeat_until = ?, client_id = ?, patient_id = ?,
		updated_at = ?, completed_at = ?, previous_id = ?, next_id = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		string(k.Kind), k.Title, k.Notes, k.Assignee, dueCol(k.Due), int64(k.Priority),
		string(k.Status), b2i(k.Status == vetshare.TaskCompleted), k.Repeat.Every, string(k.Repeat.Unit),
		micros(k.Repeat.Until), nullString(string(k.ClientID)), nullString(string(k.PatientID)),
		micros(k.UpdatedAt), micros(k.CompletedAt), nullString(string(k.Previous)), nullString(string(k.Next)),
		k.ID, k.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var current int64
	err = t.queryRow(ctx, vetshare.NotFound("task", k.ID), func(r *sql.Rows) error { return r.Scan(&current) },
		`SELECT version FROM vetshare_tasks WHERE id = ?`, k.ID)
	if err != nil {
		return err
	}
	return &vetshare.ConflictError{Kind: "task", ID: string(k.ID), Version: k.Version, Current: current, Name: k.Title}
}

func (t *dtx) DeleteTask(ctx context.Context, id vetshare.TaskID) error {
	return mustAffect(t.exec(ctx, `DELETE FROM vetshare_tasks WHERE id = ?`, id))(vetshare.NotFound("task", id))
}

// The task lists. Each is one range of an index in (done, due, priority DESC, id) order,
// started after the keyset (:d, :p, :i): "due >= :d" bounds the range, the rest of the
// condition skips the rows of that due date already listed. They read the columns a list shows
// (listCols, [driver.TasksTx.Tasks]), which vetshare_tasks_assignee holds (0012), so that
// Assigned To Me over several clinics reads that index alone. shared is 1 when the task has no
// client or its client has an entry in :s.
const (
	listCols = `t.id, t.account_id, t.kind, t.title, t.assignee_id, t.due, t.priority, t.status,
	t.client_id, t.patient_id, t.created_at,
	t.client_id IS NULL OR EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.account_id = :s AND e.client_id = t.client_id)`
	taskAfter = ` AND t.due >= :d AND (t.due > :d OR t.priority < :p OR (t.priority = :p AND t.id > :i))
	ORDER BY t.due, t.priority DESC, t.id LIMIT :n`

	// Assigned To Me in one clinic: tasks_assignee_account, named because SQLite would rather
	// read the covering tasks_assignee and filter the clinic, a range as long as all the user's
	// tasks in every clinic.
	tasksAssignedOne = `SELECT ` + listCols + ` FROM vetshare_tasks t INDEXED BY vetshare_tasks_assignee_account
	WHERE t.assignee_id = :u AND t.account_id = :a AND t.done = :c` + taskAfter
	// Assigned To Me in several clinics: the user's tasks in list order (tasks_assignee, which
	// covers listCols), the clinic filter read from the index; no sort, no table read.
	tasksAssignedMany = `SELECT ` + listCols + ` FROM vetshare_tasks t INDEXED BY vetshare_tasks_assignee
	WHERE t.assignee_id = :u AND t.done = :c AND t.account_id IN (SELECT value FROM json_each(:a))` + taskAfter
	// Every task of one account: tasks_account.
	tasksAccount = `SELECT ` + listCols + ` FROM vetshare_tasks t
	WHERE t.account_id = :a AND t.done = :c` + taskAfter
	// A patient's tasks in one account: tasks_patient.
	tasksPatient = `SELECT ` + listCols + ` FROM vetshare_tasks t
	WHERE t.patient_id = :v AND t.account_id = :a AND t.done = :c` + taskAfter
)

// listScanner holds the scan targets of listCols, so that a list scans every row into the same
// ones, all of them of the types the driver returns (string, int64), which database/sql
// assigns without the reflection and the copy a named string type costs (issue 16: fewer
// allocations per row).
type listScanner struct {
	id, account, kind, title, assignee, status string
	due, priority, created                     int64
	client, patient                            sql.NullString
	shared                                     bool
	targets                                    []any
}

// dest returns the scan targets of listCols, in order.
func (s *listScanner) dest() []any {
	if s.targets == nil {
		s.targets = []any{&s.id, &s.account, &s.kind, &s.title, &s.assignee, &s.due, &s.priority, &s.status,
			&s.client, &s.patient, &s.created, &s.shared}
	}
	return s.targets
}

// row returns the row last scanned.
func (s *listScanner) row() vetshare.TaskRow {
	return vetshare.TaskRow{ClientShared: s.shared, Task: vetshare.Task{
		ID: vetshare.TaskID(s.id), AccountID: vetshare.AccountID(s.account), Kind: vetshare.TaskKind(s.kind),
		Title: s.title, Assignee: vetshare.UserID(s.assignee), Due: fromDueCol(s.due), Priority: vetshare.Priority(s.priority),
		Status: vetshare.TaskStatus(s.status), ClientID: vetshare.ClientID(s.client.String),
		PatientID: vetshare.PatientID(s.patient.String), CreatedAt: time.UnixMicro(s.created).UTC(),
	}}
}

func (t *dtx) Tasks(ctx context.Context, q vetshare.TaskQuery, fn func(vetshare.TaskRow) error) error {
	if len(q.Accounts) == 0 {
		return vetshare.Invalid("Accounts", "at least one account is needed")
	}
	if q.Limit < 1 {
		return vetshare.Invalid("Limit", "must be at least 1")
	}
	after := vetshare.TaskKey{Due: time.Time{}, Priority: math.MaxInt32}
	afterDue := int64(math.MinInt64)
	if q.After != nil {
		after = *q.After
		afterDue = dueCol(after.Due)
	}
	var query string
	var account any = q.Accounts[0]
	switch {
	case q.Patient != "":
		if len(q.Accounts) != 1 {
			return vetshare.Invalid("Accounts", "a patient's tasks are listed in one account")
		}
		query = tasksPatient
	case q.Assignee == "":
		if len(q.Accounts) != 1 {
			return vetshare.Invalid("Accounts", "an account's tasks are listed in one account")
		}
		query = tasksAccount
	case len(q.Accounts) == 1:
		query = tasksAssignedOne
	default:
		list, err := json.Marshal(q.Accounts)
		if err != nil {
			return err
		}
		query, account = tasksAssignedMany, string(list)
	}
	var sc listScanner
	dest := sc.dest()
	var stop error // fn's, returned as it is
	err := t.each(ctx, func(r *sql.Rows) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		stop = fn(sc.row())
		return stop
	}, query,
		sql.Named("u", string(q.Assignee)), sql.Named("a", account), sql.Named("v", string(q.Patient)),
		sql.Named("c", b2i(q.Completed)), sql.Named("s", string(q.SharedWith)),
		sql.Named("d", afterDue), sql.Named("p", int64(after.Priority)), sql.Named("i", string(after.ID)),
		sql.Named("n", q.Limit))
	if stop != nil {
		return stop
	}
	return err
}

// taskScope is TaskScope's one statement: a row (kind 0) of the account with the membership's
// permissions, whether it and the user are active, the owner and its task sharing; then (kind
// 1), when task sharing is on, a row of each linked clinic with the permissions there and its
// place in the owner's accounts, which TaskScope sorts by (a handful of rows: cheaper in Go than
// a temporary B-tree).
const taskScope = `SELECT 0, a.id, a.name, m.permissions, m.active AND u.active, a.owner_id, o.task_sharing, 0, 0
	FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id
	JOIN vetshare_accounts a ON a.id = m.account_id JOIN vetshare_owners o ON o.id = a.owner_id
	WHERE m.user_id = ?1 AND m.account_id = ?2
UNION ALL
SELECT 1, la.id, la.name, l.permissions, 1, '', 0, la.created_at, la.seq
	FROM vetshare_accounts a JOIN vetshare_owners o ON o.id = a.owner_id AND o.task_sharing
	JOIN vetshare_memberships l ON l.user_id = ?1 AND l.active
	JOIN vetshare_accounts la ON la.id = l.account_id AND la.owner_id = a.owner_id
	WHERE a.id = ?2 AND la.id <> ?2`

// TaskScope implements [driver.Tx].
func (t *dtx) TaskScope(ctx context.Context, user vetshare.UserID, account vetshare.AccountID) (driver.TaskScope, error) {
	var b scopeBuilder
	err := t.each(ctx, func(r *sql.Rows) error {
		if err := r.Scan(b.dest()...); err != nil {
			return err
		}
		b.add()
		return nil
	}, taskScope, string(user), string(account))
	if err != nil {
		return driver.TaskScope{}, err
	}
	if !b.found {
		return driver.TaskScope{}, vetshare.NotFound("membership", string(user)+"@"+string(account))
	}
	return b.scope(), nil
}

// scopeBuilder gathers the rows of taskScope.
type scopeBuilder struct {
	kind, perms, created, seq int64
	id, name, owner           string
	active, sharing           bool
	targets                   []any

	found   bool
	s       driver.TaskScope
	account driver.LinkedClinic
	linked  []linkedRow
}

type linkedRow struct {
	c            driver.LinkedClinic
	created, seq int64
}

func (b *scopeBuilder) dest() []any {
	if b.targets == nil {
		b.targets = []any{&b.kind, &b.id, &b.name, &b.perms, &b.active, &b.owner, &b.sharing, &b.created, &b.seq}
	}
	return b.targets
}

// add keeps the row last scanned.
func (b *scopeBuilder) add() {
	c := driver.LinkedClinic{ID: vetshare.AccountID(b.id), Name: b.name, Permissions: vetshare.Permissions(b.perms)}
	if b.kind != 0 {
		if b.linked == nil {
			b.linked = make([]linkedRow, 0, 16)
		}
		b.linked = append(b.linked, linkedRow{c, b.created, b.seq})
		return
	}
	b.found = true
	b.s.Active, b.s.Owner, b.s.TaskSharing = b.active, vetshare.OwnerID(b.owner), b.sharing
	b.account = c
}

// scope returns the scope read: the account, then the linked clinics by creation time, then
// the order the owner's accounts were inserted in.
func (b *scopeBuilder) scope() driver.TaskScope {
	slices.SortFunc(b.linked, func(x, y linkedRow) int {
		return cmp.Or(cmp.Compare(x.created, y.created), cmp.Compare(x.seq, y.seq))
	})
	s := b.s
	s.Clinics = make([]driver.LinkedClinic, 1, 1+len(b.linked))
	s.Clinics[0] = b.account
	for _, l := range b.linked {
		s.Clinics = append(s.Clinics, l.c)
	}
	return s
}
