package tasks

import (
	"slices"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
)

// Limits on input.
const (
	// MaxTitle is the longest title, in bytes.
	MaxTitle = 200
	// MaxNotes is the longest notes, in bytes.
	MaxNotes = 10000
	// MaxEvery is the largest interval of a repeat rule, in its units.
	MaxEvery = 1000
)

// minDue and maxDue bound due dates and repeat ends: a task due outside is a typing error.
var (
	minDue = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDue = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Actions says what a user may do to a task now, by the user's permissions in the task's
// account (R9.5) and the task's status.
type Actions struct {
	MarkInProgress bool
	Complete       bool
	Edit           bool
	Delete         bool
}

// Allowed returns the actions that perms allow on a task with status s: marking in progress an
// open task, completing one that is not completed, editing and deleting any.
func Allowed(perms vetshare.Permissions, s vetshare.TaskStatus) Actions {
	return Actions{
		MarkInProgress: perms.Has(vetshare.PermTaskMarkInProgress) && s == vetshare.TaskOpen,
		Complete:       perms.Has(vetshare.PermTaskComplete) && (s == vetshare.TaskOpen || s == vetshare.TaskInProgress),
		Edit:           perms.Has(vetshare.PermTaskEdit),
		Delete:         perms.Has(vetshare.PermTaskDelete),
	}
}

// Transition returns the permission a user needs to move a task from status from to status
// to. The moves are open → in-progress and back (mark in progress), open or in-progress →
// completed (complete), and completed → open (reopen, by whoever may complete). Any other move,
// including to the same status, returns a [*vetshare.ConflictError]: the task is not where the
// caller thought, and re-reading shows where it is.
func Transition(id vetshare.TaskID, from, to vetshare.TaskStatus) (vetshare.Permissions, error) {
	switch {
	case from == vetshare.TaskOpen && to == vetshare.TaskInProgress,
		from == vetshare.TaskInProgress && to == vetshare.TaskOpen:
		return vetshare.PermTaskMarkInProgress, nil
	case (from == vetshare.TaskOpen || from == vetshare.TaskInProgress) && to == vetshare.TaskCompleted,
		from == vetshare.TaskCompleted && to == vetshare.TaskOpen:
		return vetshare.PermTaskComplete, nil
	}
	return 0, &vetshare.ConflictError{Kind: "task", ID: string(id), Reason: "a task that is " + string(from) + " cannot become " + string(to)}
}

// CheckRepeat returns an [*vetshare.InvalidError] unless r is the zero rule or a rule that
// makes sense for a task due at due: a positive interval of at most [MaxEvery] known units, a
// due date to count from, and an end, when set, not before the due date.
func CheckRepeat(r vetshare.RepeatRule, due time.Time) error {
	if r.IsZero() {
		return nil
	}
	switch {
	case r.Every < 1 || r.Every > MaxEvery:
		return vetshare.Invalid("Repeat.Every", "must be between 1 and 1000")
	case !r.Unit.Valid():
		return vetshare.Invalid("Repeat.Unit", "must be day, week, month or year")
	case due.IsZero():
		return vetshare.Invalid("Repeat", "a repeating task needs a due date")
	case !r.Until.IsZero() && (r.Until.Before(due) || !r.Until.Before(maxDue)):
		return vetshare.Invalid("Repeat.Until", "must not be before the due date, nor after the year 9999")
	}
	return nil
}

// CheckDue returns an [*vetshare.InvalidError] for field unless due is zero (no due date) or
// between the years 1900 and 9999.
func CheckDue(field string, due time.Time) error {
	if !due.IsZero() && (due.Before(minDue) || !due.Before(maxDue)) {
		return vetshare.Invalid(field, "must be between the years 1900 and 9999")
	}
	return nil
}

// DueOn returns the instant a task due on the local date day ("2006-01-02") is due in loc: the
// end of that day there (its last microsecond), so the task is overdue once the day is over.
// It returns an [*vetshare.InvalidError] for "DueOn" when day is not a date, or is a day that
// does not exist in loc (Pacific/Apia skipped 2011-12-30).
func DueOn(day string, loc *time.Location) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(day))
	if err != nil {
		return time.Time{}, vetshare.Invalid("DueOn", "not a date of the form 2006-01-02")
	}
	if d.Before(minDue) || !d.Before(maxDue.AddDate(0, 0, -1)) {
		return time.Time{}, vetshare.Invalid("DueOn", "must be between the years 1900 and 9999")
	}
	y, m, dd := d.Date()
	if ly, lm, ld := time.Date(y, m, dd, 12, 0, 0, 0, loc).Date(); ly != y || lm != m || ld != dd {
		return time.Time{}, vetshare.Invalid("DueOn", "the day does not exist in time zone "+loc.String())
	}
	return vetshare.Time(time.Date(y, m, dd, 23, 59, 59, 999999000, loc)), nil
}

// NextDue returns when the next occurrence of a task due at due with rule r is due, counting
// in loc (so that "every day at 9" stays at 9 across a change of daylight saving time, and
// "every month on the 31st" falls on the last day of shorter months), and whether there is
// one. It is the first occurrence after the one due at due that is after now: occurrences
// already past when the task is completed are skipped, so completing a late task never makes
// a backlog. There is none when r is the zero rule, due is zero, or the occurrence would be
// after r.Until.
func NextDue(due time.Time, r vetshare.RepeatRule, loc *time.Location, now time.Time) (time.Time, bool) {
	if r.IsZero() || due.IsZero() || r.Every < 1 || !r.Unit.Valid() {
		return time.Time{}, false
	}
	local := due.In(loc)
	occ := func(k int) time.Time {
		n := k * r.Every
		switch r.Unit {
		case vetshare.RepeatDay:
			return local.AddDate(0, 0, n)
		case vetshare.RepeatWeek:
			return local.AddDate(0, 0, 7*n)
		case vetshare.RepeatMonth:
			return addMonths(local, n)
		default:
			return addMonths(local, 12*n)
		}
	}
	k := 1
	if now.After(due) {
		// Start from an estimate that is never past the answer: the elapsed time over the
		// longest the interval can be, then step.
		longest := map[vetshare.RepeatUnit]time.Duration{
			vetshare.RepeatDay: 25 * time.Hour, vetshare.RepeatWeek: 7*24*time.Hour + time.Hour,
			vetshare.RepeatMonth: 31*24*time.Hour + time.Hour, vetshare.RepeatYear: 366*24*time.Hour + time.Hour,
		}[r.Unit]
		k = max(1, int(now.Sub(due)/longest)/r.Every)
	}
	next := occ(k)
	for i := 0; !next.After(now); i++ {
		if i > 1000 || next.After(maxDue) {
			return time.Time{}, false
		}
		k++
		next = occ(k)
	}
	if !r.Until.IsZero() && next.After(r.Until) || !next.Before(maxDue) {
		return time.Time{}, false
	}
	return vetshare.Time(next), true
}

// addMonths returns t moved by n months, on the same day of the month or the last day of a
// shorter month, at the same time of day.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// EditRefusedError is the refusal of an edit made from an account other than the task's
// (R9.6): only Repeat and Notes may change that way. It matches [vetshare.ErrNotPermitted].
type EditRefusedError struct {
	Task      vetshare.TaskID
	From      vetshare.AccountID // the account the edit came from
	Owner     vetshare.AccountID // the task's account, where the edit can be made
	Fields    []string           // the refused fields, by their names in [vetshare.Task]
	OwnerName string             // the name of the task's account, where known
}

func (e *EditRefusedError) Error() string {
	owner := "another clinic"
	if e.OwnerName != "" {
		owner = e.OwnerName
	}
	return "the task belongs to " + owner + ": from another clinic only Repeat and Notes may change, not " +
		strings.Join(e.Fields, ", ")
}

// Unwrap returns [vetshare.ErrNotPermitted].
func (e *EditRefusedError) Unwrap() error { return vetshare.ErrNotPermitted }

// Changed returns the names of the fields a user may edit that differ between old and new, in
// the order of [vetshare.Task]: Kind, Title, Notes, Assignee, Due, Priority, Repeat, ClientID,
// PatientID.
func Changed(old, new vetshare.Task) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("Kind", old.Kind != new.Kind)
	add("Title", old.Title != new.Title)
	add("Notes", old.Notes != new.Notes)
	add("Assignee", old.Assignee != new.Assignee)
	add("Due", !old.Due.Equal(new.Due))
	add("Priority", old.Priority != new.Priority)
	add("Repeat", old.Repeat.Every != new.Repeat.Every || old.Repeat.Unit != new.Repeat.Unit || !old.Repeat.Until.Equal(new.Repeat.Until))
	add("ClientID", old.ClientID != new.ClientID)
	add("PatientID", old.PatientID != new.PatientID)
	return out
}

// CrossAccountEditable returns the fields an edit made from an account other than the task's may
// change (R9.6).
func CrossAccountEditable() []string { return []string{"Notes", "Repeat"} }

// CheckEdit returns an [*EditRefusedError] when an edit from account from changes old into new
// and from is not old's account, and it changes a field other than [CrossAccountEditable]. An
// edit from the task's own account may change every field.
func CheckEdit(from vetshare.AccountID, old, new vetshare.Task) error {
	if from == old.AccountID {
		return nil
	}
	var refused []string
	for _, f := range Changed(old, new) {
		if !slices.Contains(CrossAccountEditable(), f) {
			refused = append(refused, f)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	return &EditRefusedError{Task: old.ID, From: from, Owner: old.AccountID, Fields: refused}
}

// Selection is the choice of clinics of Assigned To Me (R9.2). The zero Selection is the
// default: the account the user is logged into.
type Selection struct {
	// All selects every linked clinic.
	All bool
	// Accounts selects these linked clinics; empty (with All false) for the default.
	Accounts []vetshare.AccountID
}

// Select returns the accounts sel chooses, in the order of linked, given the user's linked
// clinics (which include the logged-in account login). An account that is not a linked clinic
// is refused with a [*vetshare.NotPermittedError] that says nothing of it but the id the
// caller gave; an id of the wrong form with an [*vetshare.InvalidError].
func Select(linked []vetshare.AccountID, login vetshare.AccountID, sel Selection) ([]vetshare.AccountID, error) {
	switch {
	case sel.All && len(sel.Accounts) > 0:
		return nil, vetshare.Invalid("Clinics", "choose all clinics or some, not both")
	case sel.All:
		return slices.Clone(linked), nil
	case len(sel.Accounts) == 0:
		return []vetshare.AccountID{login}, nil
	}
	for _, a := range sel.Accounts {
		if !vetshare.ValidID(a) {
			return nil, vetshare.Invalid("Clinics", "one of the chosen clinics is not a clinic id")
		}
		if !slices.Contains(linked, a) {
			return nil, &vetshare.NotPermittedError{Account: a, Reason: "one of the chosen clinics is not one of your linked clinics"}
		}
	}
	var out []vetshare.AccountID
	for _, a := range linked {
		if slices.Contains(sel.Accounts, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// Linked returns the linked clinics of a user logged into login (R9.2): login first, then the
// accounts of login's owner in which the user has an active membership, in the order of
// accounts. With task sharing off (R1.8, R9.9) it is login alone.
func Linked(login vetshare.Account, sharing bool, memberships []vetshare.Membership, accounts []vetshare.Account) []vetshare.AccountID {
	out := []vetshare.AccountID{login.ID}
	if !sharing {
		return out
	}
	for _, a := range accounts {
		if a.ID == login.ID || a.OwnerID != login.OwnerID {
			continue
		}
		if slices.ContainsFunc(memberships, func(m vetshare.Membership) bool { return m.AccountID == a.ID && m.Active }) {
			out = append(out, a.ID)
		}
	}
	return out
}

// Clinic names an account in a task list.
type Clinic struct {
	ID   vetshare.AccountID
	Name string
}

// Warning tells that a listed task's client, and so its patient, is not shared with the
// account the user is logged into (R9.7): to see them, switch to SwitchTo, the task's account.
type Warning struct {
	SwitchTo Clinic
	Message  string
}

// Warn returns the warning for task t listed in account login, or nil: there is one when t has
// a client (a patient always has one) that is not shared with login.
func Warn(t vetshare.Task, clientShared bool, login, taskClinic Clinic) *Warning {
	if !warns(t, clientShared, login) {
		return nil
	}
	return &Warning{SwitchTo: taskClinic, Message: warnMessage(t.PatientID != "", login, taskClinic)}
}

// warns reports whether [Warn] gives a warning.
func warns(t vetshare.Task, clientShared bool, login Clinic) bool {
	return t.ClientID != "" && !clientShared && t.AccountID != login.ID
}

// warnMessage is the message of [Warn], for a task with a patient or a client alone.
func warnMessage(patient bool, login, taskClinic Clinic) string {
	what := "client of this task is"
	if patient {
		what = "client and patient of this task are"
	}
	return "The " + what + " not shared with " + login.Name + ": switch to " + taskClinic.Name + " to see them."
}
