package vetshare

import "time"

// TaskStatus is where a [Task] stands: open, in progress or completed.
type TaskStatus string

// The task statuses (R9.1).
const (
	TaskOpen       TaskStatus = "open"
	TaskInProgress TaskStatus = "in-progress"
	TaskCompleted  TaskStatus = "completed"
)

// Valid reports whether s is one of the statuses.
func (s TaskStatus) Valid() bool {
	return s == TaskOpen || s == TaskInProgress || s == TaskCompleted
}

// TaskKind is what a [Task] is about.
type TaskKind string

// The task kinds (R9.1). New ones are only ever appended.
const (
	TaskGeneral             TaskKind = "general"
	TaskPrescriptionRequest TaskKind = "prescription-request"
	TaskLabResultReview     TaskKind = "lab-result-review"
	TaskMessage             TaskKind = "message"
	TaskCallback            TaskKind = "callback"
)

// Valid reports whether k is one of the kinds.
func (k TaskKind) Valid() bool {
	switch k {
	case TaskGeneral, TaskPrescriptionRequest, TaskLabResultReview, TaskMessage, TaskCallback:
		return true
	}
	return false
}

// Priority is how urgent a [Task] is; a higher value is more urgent.
type Priority int

// The priorities. The zero value is not a priority; operations read it as [PriorityNormal].
const (
	PriorityLow    Priority = 1
	PriorityNormal Priority = 2
	PriorityHigh   Priority = 3
	PriorityUrgent Priority = 4
)

// Valid reports whether p is one of the priorities.
func (p Priority) Valid() bool { return PriorityLow <= p && p <= PriorityUrgent }

// RepeatUnit is the unit of a [RepeatRule]'s interval.
type RepeatUnit string

// The repeat units.
const (
	RepeatDay   RepeatUnit = "day"
	RepeatWeek  RepeatUnit = "week"
	RepeatMonth RepeatUnit = "month"
	RepeatYear  RepeatUnit = "year"
)

// Valid reports whether u is one of the units.
func (u RepeatUnit) Valid() bool {
	return u == RepeatDay || u == RepeatWeek || u == RepeatMonth || u == RepeatYear
}

// RepeatRule says how a task repeats: every Every Units, until Until (inclusive) when set. The
// zero RepeatRule means the task does not repeat.
type RepeatRule struct {
	Every int
	Unit  RepeatUnit
	Until time.Time // zero for no end
}

// IsZero reports whether r is the zero rule: the task does not repeat.
func (r RepeatRule) IsZero() bool { return r.Every == 0 && r.Unit == "" && r.Until.IsZero() }

// Task is a piece of work in one account, assigned to a user (R9.1). It belongs to the account
// it was created in, for ever.
type Task struct {
	ID        TaskID
	AccountID AccountID // the account it was created in and belongs to
	Kind      TaskKind
	Title     string
	Notes     string
	Assignee  UserID
	// Due is the instant the task is due; zero when it has no due date. A task is overdue when
	// it is not completed and Due is before now.
	Due      time.Time
	Priority Priority
	Status   TaskStatus
	Repeat   RepeatRule
	// ClientID and PatientID are optional. When PatientID is set, ClientID is the patient's
	// client.
	ClientID  ClientID
	PatientID PatientID
	CreatedBy UserID
	CreatedAt time.Time
	UpdatedAt time.Time
	// CompletedAt is when the task was last completed; zero unless Status is completed.
	CompletedAt time.Time
	// Previous is the occurrence of a repeating task this one follows; Next is the occurrence
	// created when this one was completed (R9.8). Either may be empty.
	Previous TaskID
	Next     TaskID
	// Version counts the task's writes, from 1. A write names the version it was based on and is
	// refused with [ErrConflict] when the task has moved on.
	Version int64
}

// Overdue reports whether t is overdue at now: not completed, with a due date before now.
func (t Task) Overdue(now time.Time) bool {
	return t.Status != TaskCompleted && !t.Due.IsZero() && t.Due.Before(now)
}

// TaskKey is the position of a task in a task list, which is ordered by due date (those
// without one last), then priority (most urgent first), then id. Lists page by it.
type TaskKey struct {
	Due      time.Time
	Priority Priority
	ID       TaskID
}

// Key returns t's position in a task list.
func (t Task) Key() TaskKey { return TaskKey{Due: t.Due, Priority: t.Priority, ID: t.ID} }

// TaskQuery selects a page of tasks of one or more accounts, in [TaskKey] order.
type TaskQuery struct {
	// Accounts are the accounts whose tasks are listed; at least one.
	Accounts []AccountID
	// Assignee, when set, keeps the tasks assigned to this user.
	Assignee UserID
	// Patient, when set, keeps the tasks about this patient.
	Patient PatientID
	// Completed lists the completed tasks instead of the open and in-progress ones.
	Completed bool
	// After, when set, starts after this position (keyset paging).
	After *TaskKey
	Limit int
	// SharedWith, when set, makes each row report whether the task's client has an entry in
	// this account.
	SharedWith AccountID
}

// TaskRow is a task as listed by [TasksTx.Tasks].
type TaskRow struct {
	Task
	// ClientShared reports whether the task has no client or its client has an entry in the
	// query's SharedWith account.
	ClientShared bool
}
