package inventory

import (
	"context"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/txn"
)

// CreateItem adds an item to the catalogue of the actor's account (R5.1) with a count on hand
// of zero, and returns it with its id. it.AccountID must be empty or the actor's account
// ([vetshare.ErrNotPermitted] otherwise); the item is checked with [CheckItem]. The item keeps
// it.ID when the host gives one ([vetshare.ErrInvalid] when it is malformed,
// [vetshare.ErrConflict] when it is taken); otherwise it gets a new one (R12.3).
func CreateItem(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, it vetshare.Item) (vetshare.Item, error) {
	const op = "inventory.CreateItem"
	it, err := CheckItem(it)
	if err != nil {
		return vetshare.Item{}, vetshare.Op(op, err)
	}
	if it.ID, err = vetshare.IDOrNew("ID", it.ID, tx.Now()); err != nil {
		return vetshare.Item{}, vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Item{}, vetshare.Op(op, err)
	}
	if it.AccountID != "" && it.AccountID != actor.Account {
		return vetshare.Item{}, vetshare.Op(op, &vetshare.NotPermittedError{
			Reason: "an item is created in the clinic the user is logged into", User: actor.User, Account: it.AccountID})
	}
	it.AccountID, it.OnHand, it.CreatedAt = actor.Account, 0, tx.Now()
	it.Reminders = trimRules(it.Reminders)
	return it, vetshare.Op(op, txn.IDTaken(txn.D(tx).InsertItem(ctx, it), "item", it.ID))
}

func trimRules(rules []vetshare.ReminderRule) []vetshare.ReminderRule {
	if len(rules) == 0 {
		return nil
	}
	out := make([]vetshare.ReminderRule, len(rules))
	for i, r := range rules {
		r.Kind = strings.TrimSpace(r.Kind)
		out[i] = r
	}
	return out
}

// UpdateItem writes the name, kind, tracked flag and reminder rules of it over the actor's
// account's item it.ID and returns the item as stored. An item of another account answers
// [vetshare.ErrNotFound]; the item is checked with [CheckItem].
func UpdateItem(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, it vetshare.Item) (vetshare.Item, error) {
	const op = "inventory.UpdateItem"
	it, err := CheckItem(it)
	if err != nil {
		return vetshare.Item{}, vetshare.Op(op, err)
	}
	cur, err := ownItem(ctx, tx, actor, it.ID)
	if err != nil {
		return vetshare.Item{}, vetshare.Op(op, err)
	}
	cur.Name, cur.Kind, cur.Tracked, cur.Reminders = it.Name, it.Kind, it.Tracked, trimRules(it.Reminders)
	return cur, vetshare.Op(op, txn.D(tx).UpdateItem(ctx, cur))
}

// Item returns an item of the actor's account, with its count on hand; [vetshare.ErrNotFound]
// for an item of another account (R3.4).
func Item(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.ItemID) (vetshare.Item, error) {
	it, err := ownItem(ctx, tx, actor, id)
	return it, vetshare.Op("inventory.Item", err)
}

// ownItem checks the actor and returns the item when it is of the actor's account.
func ownItem(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.ItemID) (vetshare.Item, error) {
	if err := vetshare.CheckID("id", id); err != nil {
		return vetshare.Item{}, err
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Item{}, err
	}
	it, err := txn.D(tx).Item(ctx, id)
	if err != nil {
		return vetshare.Item{}, err
	}
	if it.AccountID != actor.Account {
		return vetshare.Item{}, vetshare.NotFound("item", id)
	}
	return it, nil
}

// SearchItems lists the actor's account's items whose name starts with prefix (folded: case and
// accents do not matter), by folded name, then id (R7.6). Items of other accounts are never
// listed (R3.4). It pages with [vetshare.Page]: next is the cursor of the next page, empty after
// the last; a bad limit or a cursor of another list is refused with [vetshare.ErrInvalid].
func SearchItems(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, prefix string, page vetshare.Page) (rows []vetshare.Item, next vetshare.Cursor, err error) {
	return listItems(ctx, tx, actor, "inventory.SearchItems", prefix, false, page)
}

// BelowZero lists the actor's account's tracked items whose count on hand is below zero, by
// folded name, then id (R5.4). It pages with [vetshare.Page] as [SearchItems] does.
func BelowZero(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, page vetshare.Page) (rows []vetshare.Item, next vetshare.Cursor, err error) {
	return listItems(ctx, tx, actor, "inventory.BelowZero", "", true, page)
}

func listItems(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, op, prefix string, below bool, page vetshare.Page) ([]vetshare.Item, vetshare.Cursor, error) {
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	after, err := cursor.Read(op, page.After, 2)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	q := vetshare.ItemQuery{Account: actor.Account, Prefix: vetshare.FoldName(prefix), BelowZero: below, Limit: limit + 1}
	if after != nil {
		q.AfterKey, q.AfterID = after[0], vetshare.ItemID(after[1])
	}
	items, err := txn.D(tx).Items(ctx, q)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	items, next := cursor.Trim(op, items, limit, func(it vetshare.Item) []string { return []string{vetshare.FoldName(it.Name), string(it.ID)} })
	return items, next, nil
}

// UsageSearch selects usages for [SearchUsages].
type UsageSearch struct {
	// Patient, when set, keeps the usages of this patient.
	Patient vetshare.PatientID
	// Prefix, when set, keeps the usages whose item's name starts with it (folded).
	Prefix string
	// Removed includes removed usages, marked by their Removed field.
	Removed bool
}

// SearchUsages lists the usages the actor's account sees, latest first (by the time given, then
// the recording order, descending; R12.4): those of every patient whose client the account shares, recorded at this
// account or any other, each with the item's name and the account it originated from (R7.6). It
// pages with [vetshare.Page]: next is the cursor of the next page, empty after the last.
// [vetshare.ErrNotFound] when Patient is set and not shared with the account (R3.3);
// [vetshare.ErrInvalid] for a bad limit or a cursor of another list.
func SearchUsages(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, s UsageSearch, page vetshare.Page) (rows []vetshare.UsageRow, next vetshare.Cursor, err error) {
	const op = "inventory.SearchUsages"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	after, err := cursor.Read(op, page.After, 1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if s.Patient != "" {
		if err := vetshare.CheckID("Patient", s.Patient); err != nil {
			return nil, "", vetshare.Op(op, err)
		}
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	q := vetshare.UsageQuery{Account: actor.Account, Patient: s.Patient, Prefix: vetshare.FoldName(s.Prefix), Limit: limit + 1, Removed: s.Removed}
	if after != nil {
		q.Before = vetshare.RecordID(after[0])
	}
	rows, err = txn.D(tx).Usages(ctx, q)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if len(rows) == 0 && s.Patient != "" {
		// An empty page for a patient the account does not see is a not found (R3.3).
		if _, err := txn.D(tx).Patient(ctx, actor.Account, s.Patient); err != nil {
			return nil, "", vetshare.Op(op, err)
		}
	}
	rows, next = cursor.Trim(op, rows, limit, func(r vetshare.UsageRow) []string { return []string{string(r.Record.ID)} })
	return rows, next, nil
}
