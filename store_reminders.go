package vetshare

import (
	"context"
	"time"
)

// RemindersTx keeps reminders and disable-reminder actions (package reminders).
type RemindersTx interface {
	// InsertDisableAction stores a; ErrConflict when a.ItemID already has an action for
	// a.TargetItemID, ErrNotFound when either item does not exist.
	InsertDisableAction(ctx context.Context, a DisableAction) error
	// DeleteDisableAction deletes the action of item for target; ErrNotFound when there is none.
	DeleteDisableAction(ctx context.Context, item, target ItemID) error
	// DisableActions returns the actions configured on the item, by target item id.
	DisableActions(ctx context.Context, item ItemID) ([]DisableAction, error)
	// AccountsDisableActions returns the actions configured at any of the accounts, by
	// account, item and target.
	AccountsDisableActions(ctx context.Context, accounts []AccountID) ([]DisableAction, error)

	// InsertReminder stores r; ErrConflict when the patient already has an open reminder of
	// r.ItemID and r.Kind, ErrNotFound when the patient, account, item or usage does not exist.
	InsertReminder(ctx context.Context, r Reminder) error
	// Reminder returns the reminder; ErrNotFound when there is none. It is not scoped.
	Reminder(ctx context.Context, id ReminderID) (Reminder, error)
	// PatientReminders returns the patient's reminders, all of them when status is empty, by
	// due date then id. It is not scoped.
	PatientReminders(ctx context.Context, patient PatientID, status ReminderStatus) ([]Reminder, error)
	// UsageReminders returns the reminders the usage generated, by id.
	UsageReminders(ctx context.Context, usage RecordID) ([]Reminder, error)
	// CompletedReminders returns the reminders the usage completed, by id.
	CompletedReminders(ctx context.Context, usage RecordID) ([]Reminder, error)
	// UpdateReminderStatus writes r.Status, r.CompletedBy and r.CompletedAt over the reminder
	// r.ID when its stored status is from; ErrNotFound when there is none, a [*ConflictError]
	// when its status is another, or when it would open a second reminder of its patient, item
	// and kind.
	UpdateReminderStatus(ctx context.Context, r Reminder, from ReminderStatus) error
	// PatientUsages returns the patient's usages that are not removed, in the order they were
	// recorded (by time, then id). It is not scoped.
	PatientUsages(ctx context.Context, patient PatientID) ([]Record, error)
	// DueReminders returns up to limit open reminders from the account due in [from, to), by
	// due date then id, starting after (afterDue, afterID) when afterID is set.
	DueReminders(ctx context.Context, account AccountID, from, to, afterDue time.Time, afterID ReminderID, limit int) ([]DueReminder, error)
	// DuplicateReminders returns the open reminders from the accounts whose patient has another
	// open reminder of the same kind (compared folded, see [FoldName]) from the accounts, by
	// patient, kind, due date and id.
	DuplicateReminders(ctx context.Context, accounts []AccountID) ([]Reminder, error)
}
