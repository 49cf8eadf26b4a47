package tasks

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/txn"
)

// Row is a task as a list shows it.
type Row struct {
	// Task is what a list shows of the task; [Get] returns the whole of it.
	Task Listed
	// Clinic is the account the task belongs to (R9.4).
	Clinic Clinic
	// Overdue is set when the task is not completed and its due date has passed.
	Overdue bool
	// Actions are what the user may do to it, by their permissions in its account (R9.5).
	Actions Actions
	// Warning is set when the task's client is not shared with the account the user is
	// logged into (R9.7).
	Warning *Warning
}

// Listed is what a task list ([AssignedToMe], [AccountTasks], [PatientTasks]) shows of a
// task: the fields its index holds, so that a list is one read of that index with no read of
// the tasks themselves (issue 16). The notes, the repeat rule, who created it, when it was last
// updated or completed, its occurrences and its version are [Get]'s: an edit from a list
// without a version ([Change] with Version 0) is not checked against one.
type Listed struct {
	ID        vetshare.TaskID
	AccountID vetshare.AccountID
	Kind      vetshare.TaskKind
	Title     string
	Assignee  vetshare.UserID
	Due       time.Time // zero when it has no due date
	Priority  vetshare.Priority
	Status    vetshare.TaskStatus
	ClientID  vetshare.ClientID
	PatientID vetshare.PatientID
	CreatedAt time.Time
}

// Assigned is a page of [AssignedToMe].
type Assigned struct {
	Rows []Row
	// Clinics are the accounts the list shows.
	Clinics []Clinic
	// Next is the cursor of the next page, for [vetshare.Page.After]; empty on the last page.
	Next vetshare.Cursor
}

// AssignedQuery selects the tasks [AssignedToMe] lists.
type AssignedQuery struct {
	// Clinics is the choice of linked clinics; the zero Selection is the default, the account
	// the user is logged into, and choosing it again is the reset (R9.2).
	Clinics Selection
	// Completed lists the completed tasks instead of the open and in-progress ones.
	Completed bool
}

// LinkedClinics returns the clinics the actor may choose in Assigned To Me (R9.2): the account
// they are logged into first, then every other account of its owner in which they have an
// active membership, or the logged-in account alone when task sharing is off (R9.9).
func LinkedClinics(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) ([]Clinic, error) {
	s, err := reach(ctx, tx, actor)
	if err != nil {
		return nil, vetshare.Op("vetshare_tasks.LinkedClinics", err)
	}
	return s.clinicsOf(s.linked), nil
}

// AssignedToMe lists the tasks assigned to the actor in the clinics q chooses (R9.2): by
// default the account they are logged into; any set of their linked clinics; or all of them.
// Choosing an account that is not a linked clinic is refused with a
// [*vetshare.NotPermittedError] and lists nothing; so is choosing any other account than the
// logged-in one when task sharing is off for the owner (R1.8, R9.9). Rows are ordered by due
// date, which puts the overdue first, then by priority, most urgent first, then by id; tasks
// without a due date come last ([vetshare.TaskKey]). Each row names its clinic (R9.4), the
// actions the actor's permissions in that clinic allow (R9.5), and a warning when its client is
// not shared with the logged-in account (R9.7). It pages with [vetshare.Page]: the result's
// Next is the cursor of the next page, empty after the last. A bad limit or a cursor of another
// list is refused with [vetshare.ErrInvalid].
func AssignedToMe(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, q AssignedQuery, page vetshare.Page) (Assigned, error) {
	const op = "vetshare_tasks.AssignedToMe"
	limit, after, err := readPage(op, page)
	if err != nil {
		return Assigned{}, vetshare.Op(op, err)
	}
	s, err := reach(ctx, tx, actor)
	if err != nil {
		return Assigned{}, vetshare.Op(op, err)
	}
	accounts, err := Select(s.linked, actor.Account, q.Clinics)
	if err != nil {
		if !s.sharing && errors.Is(err, vetshare.ErrNotPermitted) {
			err = &vetshare.NotPermittedError{User: actor.User, Account: actor.Account, AccountName: s.login.Name,
				Reason: "task sharing is not enabled: Assigned To Me shows only the clinic you are logged into"}
		}
		return Assigned{}, vetshare.Op(op, err)
	}
	out := Assigned{Clinics: s.clinicsOf(accounts)}
	out.Rows, out.Next, err = s.page(ctx, tx, op, vetshare.TaskQuery{
		Accounts: accounts, Assignee: actor.User, Completed: q.Completed, After: after, SharedWith: actor.Account,
	}, limit)
	if err != nil {
		return Assigned{}, vetshare.Op(op, err)
	}
	return out, nil
}

// ListQuery selects the tasks of a one-account task list (R9.3).
type ListQuery struct {
	// Assignee, when set, keeps the tasks assigned to this user.
	Assignee vetshare.UserID
	// Completed lists the completed tasks instead of the open and in-progress ones.
	Completed bool
}

// AccountTasks lists the tasks of the account the actor is logged into, and of no other
// (R9.3), in the order of [AssignedToMe]. It pages with [vetshare.Page]: next is the cursor of
// the next page, empty after the last; a bad limit or a cursor of another list is refused with
// [vetshare.ErrInvalid].
func AccountTasks(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, q ListQuery, page vetshare.Page) (rows []Row, next vetshare.Cursor, err error) {
	const op = "vetshare_tasks.AccountTasks"
	rows, next, err = list(ctx, tx, actor, op, "", q, page)
	return rows, next, vetshare.Op(op, err)
}

// PatientTasks lists the tasks about a patient in the account the actor is logged into, and
// in no other (R9.3), in the order of [AssignedToMe]. A patient not shared with that account
// answers [vetshare.ErrNotFound]. It pages with [vetshare.Page] as [AccountTasks] does.
func PatientTasks(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, patient vetshare.PatientID, q ListQuery, page vetshare.Page) (rows []Row, next vetshare.Cursor, err error) {
	const op = "vetshare_tasks.PatientTasks"
	if !vetshare.ValidID(patient) {
		return nil, "", vetshare.Op(op, vetshare.Invalid("patient", "not a patient id"))
	}
	rows, next, err = list(ctx, tx, actor, op, patient, q, page)
	return rows, next, vetshare.Op(op, err)
}

func list(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, op string, patient vetshare.PatientID, q ListQuery, page vetshare.Page) ([]Row, vetshare.Cursor, error) {
	limit, after, err := readPage(op, page)
	if err != nil {
		return nil, "", err
	}
	if q.Assignee != "" && !vetshare.ValidID(q.Assignee) {
		return nil, "", vetshare.Invalid("Assignee", "not a user id")
	}
	m, err := accounts.Check(ctx, tx, actor)
	if err != nil {
		return nil, "", err
	}
	login, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return nil, "", err
	}
	if patient != "" {
		if _, err := txn.D(tx).Patient(ctx, actor.Account, patient); err != nil {
			return nil, "", err
		}
	}
	s := &scope{
		actor: actor, login: login, linked: []vetshare.AccountID{login.ID},
		clinics: map[vetshare.AccountID]Clinic{login.ID: {ID: login.ID, Name: login.Name}},
		perms:   map[vetshare.AccountID]vetshare.Permissions{login.ID: m.Permissions},
	}
	return s.page(ctx, tx, op, vetshare.TaskQuery{
		Accounts: s.linked, Assignee: q.Assignee, Patient: patient, Completed: q.Completed, After: after,
		SharedWith: actor.Account,
	}, limit)
}

// readPage returns the limit of page and the task key its cursor names in list: nil for the
// first page. A cursor keeps a task's due date (empty for none), priority and id.
func readPage(list string, page vetshare.Page) (int, *vetshare.TaskKey, error) {
	limit, err := cursor.Limit(page)
	if err != nil {
		return 0, nil, err
	}
	key, err := cursor.Read(list, page.After, 3)
	if err != nil || key == nil {
		return limit, nil, err
	}
	bad := vetshare.Invalid("Page.After", "this cursor was not returned by this list")
	var k vetshare.TaskKey
	if key[0] != "" {
		if k.Due, err = time.Parse(time.RFC3339Nano, key[0]); err != nil {
			return 0, nil, bad
		}
	}
	p, err := strconv.Atoi(key[1])
	if err != nil || key[2] == "" {
		return 0, nil, bad
	}
	k.Priority, k.ID = vetshare.Priority(p), vetshare.TaskID(key[2])
	return limit, &k, nil
}

// taskCursor returns the key a cursor keeps for the task at k.
func taskCursor(k vetshare.TaskKey) []string {
	due := ""
	if !k.Due.IsZero() {
		due = k.Due.UTC().Format(time.RFC3339Nano)
	}
	return []string{due, strconv.Itoa(int(k.Priority)), string(k.ID)}
}

// page reads the page of up to limit tasks that q selects, asking the store for one more to
// know whether there is a next page, and returns its rows with the cursor of the next page in
// list. Each row is made as the store reads it: no copy of the store's rows is kept.
func (s *scope) page(ctx context.Context, tx *vetshare.Tx, list string, q vetshare.TaskQuery, limit int) ([]Row, vetshare.Cursor, error) {
	q.Limit = limit + 1
	now := tx.Now()
	out := make([]Row, 0, min(q.Limit, 257))
	w := warnings{room: cap(out)}
	err := txn.D(tx).Tasks(ctx, q, func(r vetshare.TaskRow) error {
		out = append(out, s.row(r, now, &w))
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	out, next := cursor.Trim(list, out, limit, func(r Row) []string {
		return taskCursor(vetshare.TaskKey{Due: r.Task.Due, Priority: r.Task.Priority, ID: r.Task.ID})
	})
	return out, next, nil
}

// row is r as a list shows it, its warning made by w.
func (s *scope) row(r vetshare.TaskRow, now time.Time, w *warnings) Row {
	d := s.detail(r, now, w)
	t := d.Task
	return Row{
		Task: Listed{ID: t.ID, AccountID: t.AccountID, Kind: t.Kind, Title: t.Title, Assignee: t.Assignee, Due: t.Due,
			Priority: t.Priority, Status: t.Status, ClientID: t.ClientID, PatientID: t.PatientID, CreatedAt: t.CreatedAt},
		Clinic: d.Clinic, Overdue: d.Overdue, Actions: d.Actions, Warning: d.Warning,
	}
}

// warnings makes the warnings of a page's rows, as [Warn] does: their Warning values in one
// array, and their messages once for each clinic and kind, which the rows share (strings are
// immutable). A page of Assigned To Me in a group's clinics otherwise made a warning and its
// message, about a hundred bytes, for nearly every row.
type warnings struct {
	room int // the rows a page may have: the array's size
	made []Warning
	msgs []warnMsg
}

// warnMsg is the message for the tasks of clinic, with or without a patient.
type warnMsg struct {
	clinic  vetshare.AccountID
	patient bool
	text    string
}

// warn returns Warn(t, clientShared, login, taskClinic), its value in w's array.
func (w *warnings) warn(t vetshare.Task, clientShared bool, login, taskClinic Clinic) *Warning {
	if !warns(t, clientShared, login) {
		return nil
	}
	patient := t.PatientID != ""
	text := ""
	for _, m := range w.msgs {
		if m.clinic == taskClinic.ID && m.patient == patient {
			text = m.text
			break
		}
	}
	if text == "" {
		text = warnMessage(patient, login, taskClinic)
		w.msgs = append(w.msgs, warnMsg{clinic: taskClinic.ID, patient: patient, text: text})
	}
	if len(w.made) == cap(w.made) {
		w.made = make([]Warning, 0, max(w.room, 1)) // a new array: the rows keep pointers into the old one
	}
	w.made = append(w.made, Warning{SwitchTo: taskClinic, Message: text})
	return &w.made[len(w.made)-1]
}

// detail is what the actor's lists say of the task r: its clinic, whether it is overdue, what
// the actor may do to it and the warning of a client not shared with the logged-in account.
// Its warning is made by w, or by [Warn] when w is nil.
func (s *scope) detail(r vetshare.TaskRow, now time.Time, w *warnings) Detail {
	c, login := s.clinics[r.AccountID], s.clinics[s.actor.Account]
	d := Detail{Task: r.Task, Clinic: c, Overdue: r.Overdue(now), Actions: Allowed(s.perms[r.AccountID], r.Status)}
	if w != nil {
		d.Warning = w.warn(r.Task, r.ClientShared, login, c)
	} else {
		d.Warning = Warn(r.Task, r.ClientShared, login, c)
	}
	return d
}

func (s *scope) clinicsOf(ids []vetshare.AccountID) []Clinic {
	out := make([]Clinic, len(ids))
	for i, id := range ids {
		out[i] = s.clinics[id]
	}
	return out
}
