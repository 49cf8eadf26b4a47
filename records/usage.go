package records

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/reminders"
)

// UsageChange is what recording or removing a usage did, in the transaction that did it.
type UsageChange struct {
	// Record is the usage as stored: new, or marked removed.
	Record vetshare.Record
	// Movement is the stock movement made: the quantity used, or returned; zero when the item
	// is not tracked.
	Movement vetshare.StockMovement
	// Scheduled are the reminders the new usage scheduled (R7.1, R7.2).
	Scheduled []vetshare.Reminder
	// Changed are the reminders whose status changed, as they are now: completed by the new
	// usage (R7.4); or, on removal, withdrawn, reopened, or completed by a later usage (R7.8).
	Changed []vetshare.Reminder
}

// AddUsage records that an item was given to a patient at the actor's account, and in the same
// transaction moves that account's stock, schedules the item's reminders from that account and
// applies that account's disable actions to the patient's open reminders:
//
//   - u.PatientID must be a patient the actor's account shares ([vetshare.ErrNotFound]);
//   - u.ItemID must be an item of the actor's account (R5.2): an item of another account of the
//     owner is refused with an [*inventory.WrongAccountError], of another owner with
//     [vetshare.ErrNotFound];
//   - u.Quantity is between 1 and [inventory.MaxQuantity]; u.Text is an optional note;
//   - the item's stock moves by -Quantity when it is tracked (R5.4), never refused for lack of
//     stock;
//   - one reminder per rule of the item is scheduled, coming from the actor's account (R7.2);
//   - the patient's open reminders that [reminders.ResolveDisableActions] picks are completed,
//     stamped with the usage (R7.4).
//
// Completing another account's reminder, and a usage for a client of another origin account,
// are cross-account writes and are audited (R10.1). u.Kind must be empty or
// [vetshare.RecordUsage]; its other fields are set here.
func AddUsage(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, u vetshare.Record) (UsageChange, error) {
	const op = "records.AddUsage"
	defer txn.Begin(tx)()
	ch, err := addUsage(ctx, tx, actor, u)
	return ch, vetshare.Op(op, err)
}

// checkUsage checks a new usage's own fields.
func checkUsage(u vetshare.Record) error {
	switch {
	case u.Kind != "" && u.Kind != vetshare.RecordUsage:
		return vetshare.Invalid("Kind", "only a usage is recorded this way: add other records as records")
	case !vetshare.ValidID(u.ItemID):
		return vetshare.Invalid("ItemID", "malformed id")
	}
	if err := inventory.CheckQuantity("Quantity", u.Quantity); err != nil {
		return err
	}
	return accounts.CheckText("Text", u.Text, MaxText, false)
}

func addUsage(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, u vetshare.Record) (UsageChange, error) {
	if err := checkUsage(u); err != nil {
		return UsageChange{}, err
	}
	p, c, err := patientForWrite(ctx, tx, actor, u.PatientID)
	if err != nil {
		return UsageChange{}, err
	}
	item, err := usageItem(ctx, tx, actor.Account, u.ItemID)
	if err != nil {
		return UsageChange{}, err
	}
	now := tx.Now()
	r := vetshare.Record{ID: vetshare.NewID[vetshare.RecordID](now), PatientID: p.ID, AccountID: actor.Account, UserID: actor.User,
		Kind: vetshare.RecordUsage, Text: u.Text, ItemID: item.ID, Quantity: u.Quantity, CreatedAt: now}
	if err := inventory.CheckUsageItem(r, item); err != nil {
		return UsageChange{}, err
	}
	actions, err := txn.D(tx).DisableActions(ctx, item.ID)
	if err != nil {
		return UsageChange{}, err
	}
	// Only the open reminders of the targets can be completed: read those alone.
	targets := reminders.Targets(vetshare.Record{AccountID: actor.Account, ItemID: item.ID}, actions)
	open, err := txn.D(tx).OpenReminders(ctx, p.ID, slices.Collect(maps.Keys(targets)))
	if err != nil {
		return UsageChange{}, err
	}

	// Every check is done: write.
	ch := UsageChange{Record: r}
	if err := txn.D(tx).InsertRecord(ctx, r); err != nil {
		return UsageChange{}, err
	}
	if m, ok := inventory.UsageMovement(r, item); ok {
		m.ID = vetshare.NewID[vetshare.MovementID](now)
		if err := txn.D(tx).InsertStockMovement(ctx, m); err != nil {
			return UsageChange{}, err
		}
		ch.Movement = m
	}
	ch.Changed = reminders.ResolveDisableActions(r, open, actions)
	for _, rem := range ch.Changed {
		if err := txn.D(tx).UpdateReminderStatus(ctx, rem, vetshare.ReminderOpen); err != nil {
			return UsageChange{}, err
		}
	}
	ch.Scheduled = reminders.Schedule(r, item)
	for i := range ch.Scheduled {
		ch.Scheduled[i].ID = vetshare.NewID[vetshare.ReminderID](now)
		if err := txn.D(tx).InsertReminder(ctx, ch.Scheduled[i]); err != nil {
			return UsageChange{}, err
		}
	}
	if err := auditReminders(ctx, tx, actor, c, "reminders.complete", r, ch.Changed); err != nil {
		return UsageChange{}, err
	}
	return ch, auditCrossAccount(ctx, tx, actor, c, "record.add", "record:"+string(r.ID),
		map[string]any{"patient": p.ID, "kind": r.Kind, "item": item.ID, "quantity": r.Quantity})
}

// auditReminders writes one audit entry for the reminders of other accounts than the actor's
// that a usage changed: a cross-account write (R10.1).
func auditReminders(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, c vetshare.Client, action string, usage vetshare.Record, changed []vetshare.Reminder) error {
	var ids []vetshare.ReminderID
	var accts []vetshare.AccountID
	for _, rem := range changed {
		if rem.AccountID != actor.Account {
			ids = append(ids, rem.ID)
			if !slices.Contains(accts, rem.AccountID) {
				accts = append(accts, rem.AccountID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return auditlog.Write(ctx, tx, c.OwnerID, actor, action, "record:"+string(usage.ID), audit.OK,
		map[string]any{"patient": usage.PatientID, "reminders": ids, "accounts": accts})
}

// RemoveUsage removes a usage recorded at the wrong account (R5.3), from that account, the
// actor's: the record is kept, marked removed with who, where and why, and left out of the
// history; the stock it took is returned to that account (R5.4); the reminders it generated are
// withdrawn and those it completed reopened, unless a later usage completes them (R7.8,
// [reminders.ResolveRemoval]). Only the account that recorded it may remove it
// ([vetshare.ErrNotPermitted]); reason is required; a usage already removed is a
// [vetshare.ErrConflict]; a record that is not a usage is removed with RemoveRecord. The removal
// is audited (R10.1), and so are changes to other accounts' reminders.
func RemoveUsage(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.RecordID, reason string) (UsageChange, error) {
	const op = "records.RemoveUsage"
	defer txn.Begin(tx)()
	r, c, err := usageForRemoval(ctx, tx, actor, id, reason)
	if err != nil {
		return UsageChange{}, vetshare.Op(op, err)
	}
	ch, err := removeUsage(ctx, tx, actor, r, c, reason)
	return ch, vetshare.Op(op, err)
}

func usageForRemoval(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.RecordID, reason string) (vetshare.Record, vetshare.Client, error) {
	r, c, err := recordForRemoval(ctx, tx, actor, id, reason)
	if err != nil {
		return vetshare.Record{}, vetshare.Client{}, err
	}
	if r.Kind != vetshare.RecordUsage {
		return vetshare.Record{}, vetshare.Client{}, vetshare.Invalid("id", "the record is not a usage: remove it as a record")
	}
	return r, c, nil
}

func removeUsage(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, r vetshare.Record, c vetshare.Client, reason string) (UsageChange, error) {
	moved, err := txn.D(tx).RecordMovements(ctx, r.ID)
	if err != nil {
		return UsageChange{}, err
	}
	generated, err := txn.D(tx).UsageReminders(ctx, r.ID)
	if err != nil {
		return UsageChange{}, err
	}
	completed, err := txn.D(tx).CompletedReminders(ctx, r.ID)
	if err != nil {
		return UsageChange{}, err
	}
	r, err = markRemoved(ctx, tx, actor, r, c, reason)
	if err != nil {
		return UsageChange{}, err
	}
	ch := UsageChange{Record: r}
	if m, ok := inventory.ReturnMovement(r, moved, *r.Removed); ok {
		m.ID = vetshare.NewID[vetshare.MovementID](tx.Now())
		if err := txn.D(tx).InsertStockMovement(ctx, m); err != nil {
			return UsageChange{}, err
		}
		ch.Movement = m
	}
	var live []vetshare.Record
	var actions []vetshare.DisableAction
	if len(completed) > 0 {
		if live, err = txn.D(tx).PatientUsages(ctx, r.PatientID); err != nil {
			return UsageChange{}, err
		}
		var items []vetshare.ItemID
		for _, u := range live {
			if !slices.Contains(items, u.ItemID) {
				items = append(items, u.ItemID)
			}
		}
		for _, it := range items {
			as, err := txn.D(tx).DisableActions(ctx, it)
			if err != nil {
				return UsageChange{}, err
			}
			actions = append(actions, as...)
		}
	}
	ch.Changed = reminders.ResolveRemoval(r, generated, completed, live, actions)
	was := map[vetshare.ReminderID]vetshare.ReminderStatus{}
	for _, rem := range slices.Concat(generated, completed) {
		was[rem.ID] = rem.Status
	}
	// Withdrawals come first in Changed, so that a reopened reminder never meets the open
	// reminder its usage's removal withdraws.
	for _, rem := range ch.Changed {
		if err := txn.D(tx).UpdateReminderStatus(ctx, rem, was[rem.ID]); err != nil {
			return UsageChange{}, err
		}
	}
	return ch, auditReminders(ctx, tx, actor, c, "reminders.reopen", r, ch.Changed)
}

// MoveUsage corrects a usage recorded at the wrong account in one step (R5.3): it removes the
// usage id from the actor's account as [RemoveUsage] does, with reason, and records it again at
// account to, with the item given (an item of account to) and the same patient, quantity and
// text, as [AddUsage] does for the same user acting from account to. Everything is checked
// before anything is written: the user must have an active membership in both accounts and
// account to must share the patient. It returns both changes.
func MoveUsage(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.RecordID, reason string, to vetshare.AccountID, item vetshare.ItemID) (removed, added UsageChange, err error) {
	const op = "records.MoveUsage"
	defer txn.Begin(tx)()
	r, c, err := usageForRemoval(ctx, tx, actor, id, reason)
	if err != nil {
		return UsageChange{}, UsageChange{}, vetshare.Op(op, err)
	}
	there := actor // the same user and request (R10.1), at the account the usage moves to
	there.Account = to
	u := vetshare.Record{PatientID: r.PatientID, Kind: vetshare.RecordUsage, ItemID: item, Quantity: r.Quantity, Text: r.Text}
	if err := checkMove(ctx, tx, there, u); err != nil {
		return UsageChange{}, UsageChange{}, vetshare.Op(op, err)
	}
	if removed, err = removeUsage(ctx, tx, actor, r, c, reason); err != nil {
		return UsageChange{}, UsageChange{}, vetshare.Op(op, err)
	}
	added, err = addUsage(ctx, tx, there, u)
	return removed, added, vetshare.Op(op, err)
}

// checkMove checks, without writing, that u can be recorded by actor.
func checkMove(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, u vetshare.Record) error {
	if err := checkUsage(u); err != nil {
		return err
	}
	if !vetshare.ValidID(actor.Account) {
		return vetshare.Invalid("to", "malformed id")
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return err
	}
	if _, err := txn.D(tx).Patient(ctx, actor.Account, u.PatientID); err != nil {
		if errors.Is(err, vetshare.ErrNotFound) {
			return &vetshare.NotPermittedError{Reason: "the patient is not shared with the clinic the usage is moved to",
				User: actor.User, Account: actor.Account}
		}
		return err
	}
	_, err := usageItem(ctx, tx, actor.Account, u.ItemID)
	return err
}

// usageItem returns the item a usage recorded at account uses (R5.2): the item must exist
// ([vetshare.ErrNotFound], also for an item of another owner) and be of account (a
// [*WrongAccountError] for an item of another account of the same owner). It trusts its caller to
// have checked the actor, so it is not exported (R3.3).
func usageItem(ctx context.Context, tx *vetshare.Tx, account vetshare.AccountID, id vetshare.ItemID) (vetshare.Item, error) {
	if !vetshare.ValidID(id) {
		return vetshare.Item{}, vetshare.Invalid("ItemID", "malformed id")
	}
	it, err := txn.D(tx).Item(ctx, id)
	if err != nil {
		return vetshare.Item{}, err
	}
	if it.AccountID == account {
		return it, nil
	}
	here, err := txn.D(tx).Account(ctx, account)
	if err != nil {
		return vetshare.Item{}, err
	}
	there, err := txn.D(tx).Account(ctx, it.AccountID)
	if err != nil && !errors.Is(err, vetshare.ErrNotFound) {
		return vetshare.Item{}, err // the store failed: not a refusal (R11.2)
	}
	if err != nil || there.OwnerID != here.OwnerID {
		return vetshare.Item{}, vetshare.NotFound("item", id)
	}
	return vetshare.Item{}, &inventory.WrongAccountError{Item: id, ItemAccount: it.AccountID, Account: account,
		ItemName: it.Name, ItemAccountName: there.Name, AccountName: here.Name}
}
