package tasks

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/txn"
)

// Draft is a new task, as a host fills it in.
type Draft struct {
	Kind     vetshare.TaskKind // empty for [vetshare.TaskGeneral]
	Title    string
	Notes    string
	Assignee vetshare.UserID
	// Due is the instant the task is due, or DueOn the local date ("2006-01-02") on which it is
	// due, read in the account's time zone (see [DueOn]); at most one of them; neither for no
	// due date.
	Due      time.Time
	DueOn    string
	Priority vetshare.Priority // 0 for [vetshare.PriorityNormal]
	Repeat   vetshare.RepeatRule
	// ClientID and PatientID are optional; a patient's client is taken when ClientID is empty.
	ClientID  vetshare.ClientID
	PatientID vetshare.PatientID
}

// Create creates a task in the account actor is logged into (R9.1), open, created by actor.
// The actor needs [vetshare.PermTaskCreate] there; the assignee an active membership there; the
// client and patient must be shared with the account. It returns an [*vetshare.InvalidError]
// for bad input, a [*vetshare.NotFoundError] for an assignee, client or patient it cannot find
// there and a [*vetshare.NotPermittedError] when the actor may not create tasks.
func Create(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, d Draft) (vetshare.Task, error) {
	const op = "vetshare_tasks.Create"
	m, err := accounts.Check(ctx, tx, actor)
	if err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	if !m.Permissions.Has(vetshare.PermTaskCreate) {
		acct, _ := txn.D(tx).Account(ctx, actor.Account)
		return vetshare.Task{}, vetshare.Op(op, refusal(actor, actor.Account, acct.Name, "create tasks"))
	}
	acct, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	now := tx.Now()
	t := vetshare.Task{
		ID: vetshare.NewID[vetshare.TaskID](now), AccountID: actor.Account, Kind: d.Kind, Title: d.Title, Notes: d.Notes,
		Assignee: d.Assignee, Due: d.Due, Priority: d.Priority, Status: vetshare.TaskOpen, Repeat: d.Repeat,
		ClientID: d.ClientID, PatientID: d.PatientID, CreatedBy: actor.User, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if t.Kind == "" {
		t.Kind = vetshare.TaskGeneral
	}
	if t.Priority == 0 {
		t.Priority = vetshare.PriorityNormal
	}
	if d.DueOn != "" {
		if !d.Due.IsZero() {
			return vetshare.Task{}, vetshare.Op(op, vetshare.Invalid("DueOn", "give Due or DueOn, not both"))
		}
		if t.Due, err = dueOn(d.DueOn, acct); err != nil {
			return vetshare.Task{}, vetshare.Op(op, err)
		}
	}
	if err := checkTask(t); err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	if err := checkRefs(ctx, tx, &t, vetshare.Task{}); err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	if err := txn.D(tx).InsertTask(ctx, t); err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	return t, nil
}

// Change is an edit of a task: each field that is not nil is set.
type Change struct {
	// Version, when not 0, is the version the change is based on: the edit is refused with a
	// [*vetshare.ConflictError] when the task has moved on since.
	Version  int64
	Kind     *vetshare.TaskKind
	Title    *string
	Notes    *string
	Assignee *vetshare.UserID
	// Due sets the due instant (the zero time for none); DueOn sets it to a local date of the
	// task's account, as in [Draft]. At most one of them.
	Due       *time.Time
	DueOn     *string
	Priority  *vetshare.Priority
	Repeat    *vetshare.RepeatRule
	ClientID  *vetshare.ClientID
	PatientID *vetshare.PatientID
}

// Edit applies ch to the task. The actor needs [vetshare.PermTaskEdit] in the task's account
// (R9.5). From an account other than the task's, only Notes and Repeat may change (R9.6): a
// change of another field is refused with an [*EditRefusedError] naming the fields, and the
// edit is written to the audit log (R10.1). An edit that changes nothing writes nothing. It
// returns the task as it is now.
func Edit(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.TaskID, ch Change) (vetshare.Task, error) {
	const op = "vetshare_tasks.Edit"
	defer txn.Begin(tx)()
	s, old, err := load(ctx, tx, actor, id)
	if err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	if !s.perms[old.AccountID].Has(vetshare.PermTaskEdit) {
		return vetshare.Task{}, vetshare.Op(op, s.refuse(old.AccountID, "edit tasks"))
	}
	if ch.Version != 0 && ch.Version != old.Version {
		return vetshare.Task{}, vetshare.Op(op, &vetshare.ConflictError{Kind: "task", ID: string(id), Version: ch.Version, Current: old.Version, Name: old.Title})
	}
	t, err := apply(ctx, tx, old, ch)
	if err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	if err := CheckEdit(actor.Account, old, t); err != nil {
		var re *EditRefusedError
		if errors.As(err, &re) {
			re.OwnerName = s.clinics[old.AccountID].Name
		}
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	changed := Changed(old, t)
	if len(changed) == 0 {
		return old, nil
	}
	if err := checkTask(t); err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	if err := checkRefs(ctx, tx, &t, old); err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	t.UpdatedAt = tx.Now()
	if err := txn.D(tx).UpdateTask(ctx, t); err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	t.Version++
	if err := audit(ctx, tx, s, t, "task.edit", map[string]any{"fields": changed}); err != nil {
		return vetshare.Task{}, vetshare.Op(op, err)
	}
	return t, nil
}

// apply returns old with ch applied; it checks only what it must to apply it.
func apply(ctx context.Context, tx *vetshare.Tx, old vetshare.Task, ch Change) (vetshare.Task, error) {
	t := old
	if ch.Kind != nil {
		t.Kind = *ch.Kind
	}
	if ch.Title != nil {
		t.Title = *ch.Title
	}
	if ch.Notes != nil {
		t.Notes = *ch.Notes
	}
	if ch.Assignee != nil {
		t.Assignee = *ch.Assignee
	}
	if ch.Priority != nil {
		t.Priority = *ch.Priority
	}
	if ch.Repeat != nil {
		t.Repeat = *ch.Repeat
	}
	if ch.ClientID != nil {
		t.ClientID = *ch.ClientID
	}
	if ch.PatientID != nil {
		t.PatientID = *ch.PatientID
	}
	switch {
	case ch.Due != nil && ch.DueOn != nil:
		return t, vetshare.Invalid("DueOn", "give Due or DueOn, not both")
	case ch.Due != nil:
		t.Due = vetshare.Time(*ch.Due)
		if ch.Due.IsZero() {
			t.Due = time.Time{}
		}
	case ch.DueOn != nil:
		acct, err := txn.D(tx).Account(ctx, old.AccountID)
		if err != nil {
			return t, err
		}
		if t.Due, err = dueOn(*ch.DueOn, acct); err != nil {
			return t, err
		}
	}
	return t, nil
}

// Start marks the task in progress (open → in-progress). The actor needs
// [vetshare.PermTaskMarkInProgress] in the task's account (R9.5). It returns a
// [*vetshare.ConflictError] when the task is not open.
func Start(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.TaskID) (vetshare.Task, error) {
	defer txn.Begin(tx)()
	t, _, err := move(ctx, tx, actor, id, vetshare.TaskInProgress)
	return t, vetshare.Op("vetshare_tasks.Start", err)
}

// Reopen moves the task back to open: from in-progress with [vetshare.PermTaskMarkInProgress],
// from completed with [vetshare.PermTaskComplete], in the task's account (R9.5). Reopening a
// completed repeating task leaves its next occurrence as it is, and completing it again
// creates no other. It returns a [*vetshare.ConflictError] when the task is open.
func Reopen(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.TaskID) (vetshare.Task, error) {
	defer txn.Begin(tx)()
	t, _, err := move(ctx, tx, actor, id, vetshare.TaskOpen)
	return t, vetshare.Op("vetshare_tasks.Reopen", err)
}

// Complete completes the task (open or in-progress → completed). The actor needs
// [vetshare.PermTaskComplete] in the task's account (R9.5). Completing a repeating task creates
// its next occurrence in the task's account (R9.8), due as [NextDue] says, and returns it as
// next (zero when there is none). It returns a [*vetshare.ConflictError] when the task is
// already completed.
func Complete(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.TaskID) (done, next vetshare.Task, err error) {
	defer txn.Begin(tx)()
	done, next, err = move(ctx, tx, actor, id, vetshare.TaskCompleted)
	return done, next, vetshare.Op("vetshare_tasks.Complete", err)
}

func move(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.TaskID, to vetshare.TaskStatus) (t, next vetshare.Task, err error) {
	s, t, err := load(ctx, tx, actor, id)
	if err != nil {
		return vetshare.Task{}, vetshare.Task{}, err
	}
	need, err := Transition(id, t.Status, to)
	if err != nil {
		return vetshare.Task{}, vetshare.Task{}, err
	}
	if !s.perms[t.AccountID].Has(need) {
		what := "mark tasks in progress"
		if need == vetshare.PermTaskComplete {
			what = "complete or reopen tasks"
		}
		return vetshare.Task{}, vetshare.Task{}, s.refuse(t.AccountID, what)
	}
	now := tx.Now()
	from := t.Status
	t.Status, t.UpdatedAt, t.CompletedAt = to, now, time.Time{}
	if to == vetshare.TaskCompleted {
		t.CompletedAt = now
		if t.Next == "" {
			acct, err := txn.D(tx).Account(ctx, t.AccountID)
			if err != nil {
				return vetshare.Task{}, vetshare.Task{}, err
			}
			loc, err := time.LoadLocation(acct.TimeZone)
			if err != nil {
				return vetshare.Task{}, vetshare.Task{}, vetshare.Invalid("TimeZone", acct.Name+" has an unknown time zone")
			}
			if due, ok := NextDue(t.Due, t.Repeat, loc, now); ok {
				next = t
				next.ID, next.Status, next.Due = vetshare.NewID[vetshare.TaskID](now), vetshare.TaskOpen, due
				next.CreatedAt, next.UpdatedAt, next.CompletedAt = now, now, time.Time{}
				next.Previous, next.Next, next.Version = t.ID, "", 1
				if err := txn.D(tx).InsertTask(ctx, next); err != nil {
					return vetshare.Task{}, vetshare.Task{}, err
				}
				t.Next = next.ID
			}
		}
	}
	if err := txn.D(tx).UpdateTask(ctx, t); err != nil {
		return vetshare.Task{}, vetshare.Task{}, err
	}
	t.Version++
	detail := map[string]any{"from": from, "to": to}
	if next.ID != "" {
		detail["next"] = next.ID
	}
	if err := audit(ctx, tx, s, t, "task.status", detail); err != nil {
		return vetshare.Task{}, vetshare.Task{}, err
	}
	return t, next, nil
}

// Delete deletes the task. The actor needs [vetshare.PermTaskDelete] in the task's account
// (R9.5).
func Delete(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.TaskID) error {
	const op = "vetshare_tasks.Delete"
	defer txn.Begin(tx)()
	s, t, err := load(ctx, tx, actor, id)
	if err != nil {
		return vetshare.Op(op, err)
	}
	if !s.perms[t.AccountID].Has(vetshare.PermTaskDelete) {
		return vetshare.Op(op, s.refuse(t.AccountID, "delete tasks"))
	}
	if err := txn.D(tx).DeleteTask(ctx, id); err != nil {
		return vetshare.Op(op, err)
	}
	return vetshare.Op(op, audit(ctx, tx, s, t, "task.delete", map[string]any{"title": t.Title}))
}

// Detail is the whole of a task, as [Get] returns it, with what a list's [Row] says of it.
type Detail struct {
	Task    vetshare.Task
	Clinic  Clinic   // the account the task belongs to (R9.4)
	Overdue bool     // not completed, and its due date has passed
	Actions Actions  // what the user may do to it (R9.5)
	Warning *Warning // set when its client is not shared with the logged-in account (R9.7)
}

// Get returns the whole task, with what a list made in the account actor is logged into says of
// it: a task of that account, or a task assigned to the actor in one of their linked clinics
// (R9.2). Any other task answers [vetshare.ErrNotFound].
func Get(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.TaskID) (Detail, error) {
	const op = "vetshare_tasks.Get"
	s, t, err := load(ctx, tx, actor, id)
	if err != nil {
		return Detail{}, vetshare.Op(op, err)
	}
	shared := true
	if t.ClientID != "" && t.AccountID != actor.Account {
		_, err := txn.D(tx).ClientEntry(ctx, actor.Account, t.ClientID)
		if err != nil && !errors.Is(err, vetshare.ErrNotFound) {
			return Detail{}, vetshare.Op(op, err)
		}
		shared = err == nil
	}
	return s.detail(vetshare.TaskRow{Task: t, ClientShared: shared}, tx.Now(), nil), nil
}

// scope is what an actor can reach: the logged-in account, its linked clinics (R9.2) and the
// actor's permissions in each.
type scope struct {
	actor vetshare.Actor
	// login is the logged-in account: its ID, OwnerID and Name.
	login   vetshare.Account
	sharing bool
	linked  []vetshare.AccountID
	clinics map[vetshare.AccountID]Clinic
	perms   map[vetshare.AccountID]vetshare.Permissions
}

// refuse returns the refusal of what (an action on tasks: "edit tasks") at account, which the
// actor's permissions there do not allow (R9.5), naming the clinic (R12.7).
func (s *scope) refuse(account vetshare.AccountID, what string) error {
	return refusal(s.actor, account, s.clinics[account].Name, what)
}

func refusal(actor vetshare.Actor, account vetshare.AccountID, name, what string) error {
	e := &vetshare.NotPermittedError{User: actor.User, Account: account, AccountName: name}
	if name == "" {
		name = "this clinic"
	}
	e.Reason = "your permissions do not let you " + what + " at " + name
	return e
}

// reach checks the actor and returns what it can reach.
func reach(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) (*scope, error) {
	// One read decides (issue 16); a refused or malformed actor goes through accounts.Check,
	// whose error it is, and which reads again what the refusal names: not a hot path.
	var d driver.TaskScope
	err := vetshare.ErrNotPermitted
	if vetshare.ValidID(actor.User) && vetshare.ValidID(actor.Account) &&
		accounts.CheckText("Actor.RequestID", actor.RequestID, accounts.MaxRequestID, false) == nil {
		d, err = txn.D(tx).TaskScope(ctx, actor.User, actor.Account)
		if err != nil && !errors.Is(err, vetshare.ErrNotFound) {
			return nil, err
		}
	}
	if err != nil || !d.Active || len(d.Clinics) == 0 {
		if _, err := accounts.Check(ctx, tx, actor); err != nil {
			return nil, err
		}
		// Check found the active membership TaskScope did not: the store is inconsistent.
		return nil, vetshare.NotFound("membership", string(actor.User)+"@"+string(actor.Account))
	}
	login := d.Clinics[0]
	s := &scope{
		actor: actor, login: vetshare.Account{ID: login.ID, OwnerID: d.Owner, Name: login.Name}, sharing: d.TaskSharing,
		linked:  make([]vetshare.AccountID, 0, len(d.Clinics)),
		clinics: make(map[vetshare.AccountID]Clinic, len(d.Clinics)),
		perms:   make(map[vetshare.AccountID]vetshare.Permissions, len(d.Clinics)),
	}
	for _, c := range d.Clinics {
		s.linked = append(s.linked, c.ID)
		s.clinics[c.ID], s.perms[c.ID] = Clinic{ID: c.ID, Name: c.Name}, c.Permissions
	}
	return s, nil
}

// load returns the actor's scope and the task, if the actor can reach it: a task of the
// logged-in account, or one assigned to the actor in a linked clinic. Any other answers
// ErrNotFound, as one that does not exist.
func load(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.TaskID) (*scope, vetshare.Task, error) {
	if !vetshare.ValidID(id) {
		return nil, vetshare.Task{}, vetshare.Invalid("ID", "not a task id")
	}
	s, err := reach(ctx, tx, actor)
	if err != nil {
		return nil, vetshare.Task{}, err
	}
	t, err := txn.D(tx).Task(ctx, id)
	if err != nil {
		return nil, vetshare.Task{}, err
	}
	if t.AccountID != actor.Account && !(t.Assignee == actor.User && slices.Contains(s.linked, t.AccountID)) {
		return nil, vetshare.Task{}, vetshare.NotFound("task", id)
	}
	return s, t, nil
}

// audit writes a write made from an account other than the task's to the audit log (R10.1).
func audit(ctx context.Context, tx *vetshare.Tx, s *scope, t vetshare.Task, action string, detail map[string]any) error {
	if t.AccountID == s.actor.Account {
		return nil
	}
	detail["task_account"] = t.AccountID
	return auditlog.Write(ctx, tx, s.login.OwnerID, s.actor, action, "task:"+string(t.ID), "ok", detail)
}

// checkTask checks t's fields that need no store.
func checkTask(t vetshare.Task) error {
	title := strings.TrimSpace(t.Title)
	switch {
	case !t.Kind.Valid():
		return vetshare.Invalid("Kind", "not a task kind")
	case accounts.CheckName("Title", title) != nil:
		return accounts.CheckName("Title", title)
	case len(t.Title) > MaxTitle:
		return vetshare.Invalid("Title", "longer than 200 bytes")
	case len(t.Notes) > MaxNotes || !utf8.ValidString(t.Notes):
		return vetshare.Invalid("Notes", "longer than 10000 bytes, or not UTF-8")
	case vetshare.CheckTime("Due", t.Due) != nil:
		return vetshare.CheckTime("Due", t.Due)
	case !vetshare.ValidID(t.Assignee):
		return vetshare.Invalid("Assignee", "not a user id")
	case !t.Priority.Valid():
		return vetshare.Invalid("Priority", "not a priority")
	case t.ClientID != "" && !vetshare.ValidID(t.ClientID):
		return vetshare.Invalid("ClientID", "not a client id")
	case t.PatientID != "" && !vetshare.ValidID(t.PatientID):
		return vetshare.Invalid("PatientID", "not a patient id")
	}
	if err := CheckDue("Due", t.Due); err != nil {
		return err
	}
	return CheckRepeat(t.Repeat, t.Due)
}

// checkRefs checks that t's assignee, client and patient are there in t's account, for those
// that differ from old's, and fills in the client of t's patient.
func checkRefs(ctx context.Context, tx *vetshare.Tx, t *vetshare.Task, old vetshare.Task) error {
	if t.Assignee != old.Assignee {
		m, err := txn.D(tx).Membership(ctx, t.Assignee, t.AccountID)
		if errors.Is(err, vetshare.ErrNotFound) || err == nil && !m.Active {
			return vetshare.NotFound("user", t.Assignee)
		} else if err != nil {
			return err
		}
		u, err := txn.D(tx).User(ctx, t.Assignee)
		if err != nil {
			return err
		}
		if !u.Active {
			return vetshare.NotFound("user", t.Assignee)
		}
	}
	if t.PatientID != "" && (t.PatientID != old.PatientID || t.ClientID != old.ClientID) {
		p, err := txn.D(tx).Patient(ctx, t.AccountID, t.PatientID)
		if err != nil {
			return err
		}
		if t.ClientID == "" {
			t.ClientID = p.ClientID
		}
		if t.ClientID != p.ClientID {
			return vetshare.Invalid("PatientID", "not a patient of the task's client")
		}
	}
	if t.ClientID != "" && t.ClientID != old.ClientID {
		if _, err := txn.D(tx).Client(ctx, t.AccountID, t.ClientID); err != nil {
			return err
		}
	}
	return nil
}

// dueOn reads a local date in the account's time zone.
func dueOn(day string, acct vetshare.Account) (time.Time, error) {
	loc, err := time.LoadLocation(acct.TimeZone)
	if err != nil || acct.TimeZone == "" || strings.EqualFold(acct.TimeZone, "local") {
		return time.Time{}, vetshare.Invalid("TimeZone", acct.Name+" has an unknown time zone")
	}
	return DueOn(day, loc)
}
