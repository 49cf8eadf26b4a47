package driver

import (
	"context"

	"github.com/vetshare/vetshare"
)

// TasksTx keeps tasks (package tasks). Tasks are never shared: each belongs to one account.
type TasksTx interface {
	// InsertTask stores t. It returns ErrConflict when the id is taken and ErrNotFound when its
	// account, assignee, creator, client or patient does not exist.
	InsertTask(ctx context.Context, t vetshare.Task) error
	// Task returns the task with the id, whatever its account; ErrNotFound when there is none.
	// It is not scoped: operations use it to decide whether the asker may see it.
	Task(ctx context.Context, id vetshare.TaskID) (vetshare.Task, error)
	// UpdateTask writes t over the task with its id when the stored version is t.Version, and
	// stores t.Version+1; the account, creator and creation time never change. It returns
	// ErrNotFound when there is no such task and a [*vetshare.ConflictError] with the current version
	// when the stored version differs.
	UpdateTask(ctx context.Context, t vetshare.Task) error
	// DeleteTask deletes the task; ErrNotFound when there is none.
	DeleteTask(ctx context.Context, id vetshare.TaskID) error
	// Tasks calls fn with each of up to q.Limit tasks that q selects, in [vetshare.TaskKey]
	// order. Each row holds the fields a task list shows and decides on: ID, AccountID, Kind,
	// Title, Assignee, Due, Priority, Status, ClientID, PatientID and CreatedAt; Notes, Repeat,
	// CreatedBy, UpdatedAt, CompletedAt, Previous, Next and Version are left zero (Task reads
	// them), so that a list reads one covering index range (issue 16). Rows are given as they
	// are read, so that a list makes its own rows without a copy of the store's (a page of
	// Assigned To Me allocated a third again its bytes for that copy); fn must not use the
	// transaction. Tasks stops at fn's first error and returns it as it is. It returns an
	// [*vetshare.InvalidError] when q names no account or a Limit below 1.
	Tasks(ctx context.Context, q vetshare.TaskQuery, fn func(vetshare.TaskRow) error) error
	// TaskScope returns, in one read, what the task operations decide on for user acting in
	// account (R9.2, R9.5, R9.9): whether the user and their membership of the account are
	// active, the account's owner and its task sharing switch, the account and, when task
	// sharing is on, the user's linked clinics, each with the user's permissions. It returns
	// ErrNotFound when the user has no membership of the account (active or not) or the
	// account does not exist.
	TaskScope(ctx context.Context, user vetshare.UserID, account vetshare.AccountID) (TaskScope, error)
}

// TaskScope is what [TasksTx.TaskScope] reads.
type TaskScope struct {
	// Active reports whether the user is active and so is their membership of the account.
	Active bool
	// Owner is the account's owner; TaskSharing is its switch (R1.8).
	Owner       vetshare.OwnerID
	TaskSharing bool
	// Clinics are the account, first, then the other accounts of Owner in which the user has
	// an active membership, oldest first (the order of [DirectoryTx.Accounts]); those only
	// when TaskSharing is on.
	Clinics []LinkedClinic
}

// LinkedClinic is an account of [TaskScope.Clinics] with the user's permissions in it.
type LinkedClinic struct {
	ID          vetshare.AccountID
	Name        string
	Permissions vetshare.Permissions
}
