package tasks

import (
	"context"
	"errors"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/txn"
)

// Row is a task as a list shows it.
type Row struct {
	Task vetshare.Task
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

// Page is one page of a task list.
type Page struct {
	Rows []Row
	// Clinics are the accounts the list shows.
	Clinics []Clinic
	// Next is where the next page starts (the After of the next query); nil on the last page.
	Next *vetshare.TaskKey
}

// AssignedQuery asks for a page of Assigned To Me.
type AssignedQuery struct {
	// Clinics is the choice of linked clinics; the zero Selection is the default, the account
	// the user is logged into, and choosing it again is the reset (R9.2).
	Clinics Selection
	// Completed lists the completed tasks instead of the open and in-progress ones.
	Completed bool
	// After starts the page after this position: the Next of the page before.
	After *vetshare.TaskKey
	// Limit is the page size, up to [MaxLimit]; 0 for [DefaultLimit].
	Limit int
}

// LinkedClinics returns the clinics the actor may choose in Assigned To Me (R9.2): the account
// they are logged into first, then every other account of its owner in which they have an
// active membership, or the logged-in account alone when task sharing is off (R9.9).
func LinkedClinics(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) ([]Clinic, error) {
	s, err := reach(ctx, tx, actor)
	if err != nil {
		return nil, vetshare.Op("tasks.LinkedClinics", err)
	}
	return s.clinicsOf(s.linked), nil
}

// AssignedToMe lists the tasks assigned to the actor in the clinics q chooses (R9.2): by
// default the account they are logged into; any set of their linked clinics; or all of them.
// Choosing an account that is not a linked clinic is refused with a
// [*vetshare.NotPermittedError] and lists nothing; so is choosing any other account than the
// logged-in one when task sharing is off for the owner (R1.8, R9.9). Rows are ordered by due
// date, which puts the overdue first, then by priority, most urgent first; tasks without a due
// date come last. Each row names its clinic (R9.4), the actions the actor's permissions in that
// clinic allow (R9.5), and a warning when its client is not shared with the logged-in account
// (R9.7).
func AssignedToMe(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, q AssignedQuery) (Page, error) {
	const op = "tasks.AssignedToMe"
	limit, err := checkLimit(q.Limit)
	if err != nil {
		return Page{}, vetshare.Op(op, err)
	}
	s, err := reach(ctx, tx, actor)
	if err != nil {
		return Page{}, vetshare.Op(op, err)
	}
	accounts, err := Select(s.linked, actor.Account, q.Clinics)
	if err != nil {
		if !s.sharing && errors.Is(err, vetshare.ErrNotPermitted) {
			err = &vetshare.NotPermittedError{User: actor.User, Account: actor.Account, AccountName: s.login.Name,
				Reason: "task sharing is not enabled: Assigned To Me shows only the clinic you are logged into"}
		}
		return Page{}, vetshare.Op(op, err)
	}
	rows, err := txn.D(tx).Tasks(ctx, vetshare.TaskQuery{
		Accounts: accounts, Assignee: actor.User, Completed: q.Completed, After: q.After, Limit: limit + 1,
		SharedWith: actor.Account,
	})
	if err != nil {
		return Page{}, vetshare.Op(op, err)
	}
	return s.page(rows, accounts, limit, tx.Now()), nil
}

// ListQuery asks for a page of a one-account task list (R9.3).
type ListQuery struct {
	// Assignee, when set, keeps the tasks assigned to this user.
	Assignee vetshare.UserID
	// Completed lists the completed tasks instead of the open and in-progress ones.
	Completed bool
	// After starts the page after this position: the Next of the page before.
	After *vetshare.TaskKey
	// Limit is the page size, up to [MaxLimit]; 0 for [DefaultLimit].
	Limit int
}

// AccountTasks lists the tasks of the account the actor is logged into, and of no other
// (R9.3), in the order of [AssignedToMe].
func AccountTasks(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, q ListQuery) (Page, error) {
	p, err := list(ctx, tx, actor, "", q)
	return p, vetshare.Op("tasks.AccountTasks", err)
}

// PatientTasks lists the tasks about a patient in the account the actor is logged into, and
// in no other (R9.3). A patient not shared with that account answers [vetshare.ErrNotFound].
func PatientTasks(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, patient vetshare.PatientID, q ListQuery) (Page, error) {
	if !vetshare.ValidID(patient) {
		return Page{}, vetshare.Op("tasks.PatientTasks", vetshare.Invalid("patient", "not a patient id"))
	}
	p, err := list(ctx, tx, actor, patient, q)
	return p, vetshare.Op("tasks.PatientTasks", err)
}

func list(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, patient vetshare.PatientID, q ListQuery) (Page, error) {
	limit, err := checkLimit(q.Limit)
	if err != nil {
		return Page{}, err
	}
	if q.Assignee != "" && !vetshare.ValidID(q.Assignee) {
		return Page{}, vetshare.Invalid("Assignee", "not a user id")
	}
	m, err := accounts.Check(ctx, tx, actor)
	if err != nil {
		return Page{}, err
	}
	login, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return Page{}, err
	}
	if patient != "" {
		if _, err := txn.D(tx).Patient(ctx, actor.Account, patient); err != nil {
			return Page{}, err
		}
	}
	s := &scope{
		actor: actor, login: login, linked: []vetshare.AccountID{login.ID},
		clinics: map[vetshare.AccountID]Clinic{login.ID: {ID: login.ID, Name: login.Name}},
		perms:   map[vetshare.AccountID]vetshare.Permissions{login.ID: m.Permissions},
	}
	rows, err := txn.D(tx).Tasks(ctx, vetshare.TaskQuery{
		Accounts: s.linked, Assignee: q.Assignee, Patient: patient, Completed: q.Completed, After: q.After,
		Limit: limit + 1, SharedWith: actor.Account,
	})
	if err != nil {
		return Page{}, err
	}
	return s.page(rows, s.linked, limit, tx.Now()), nil
}

func checkLimit(n int) (int, error) {
	switch {
	case n == 0:
		return DefaultLimit, nil
	case n < 0 || n > MaxLimit:
		return 0, vetshare.Invalid("Limit", "must be between 1 and 500, or 0 for the default")
	}
	return n, nil
}

// page makes a page of up to limit rows of the limit+1 the store returned.
func (s *scope) page(rows []vetshare.TaskRow, accounts []vetshare.AccountID, limit int, now time.Time) Page {
	p := Page{Clinics: s.clinicsOf(accounts)}
	if len(rows) > limit {
		rows = rows[:limit]
		k := rows[limit-1].Key()
		p.Next = &k
	}
	p.Rows = make([]Row, len(rows))
	for i, r := range rows {
		p.Rows[i] = s.row(r, now)
	}
	return p
}

func (s *scope) row(r vetshare.TaskRow, now time.Time) Row {
	c := s.clinics[r.AccountID]
	return Row{
		Task:    r.Task,
		Clinic:  c,
		Overdue: r.Overdue(now),
		Actions: Allowed(s.perms[r.AccountID], r.Status),
		Warning: Warn(r.Task, r.ClientShared, s.clinics[s.actor.Account], c),
	}
}

func (s *scope) clinicsOf(ids []vetshare.AccountID) []Clinic {
	out := make([]Clinic, len(ids))
	for i, id := range ids {
		out[i] = s.clinics[id]
	}
	return out
}
