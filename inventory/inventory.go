package inventory

import (
	"context"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/txn"
)

// CreateItem adds an item to the catalogue of the actor's account (R5.1) with a count on hand
// of zero, and returns it with its id. it.AccountID must be empty or the actor's account
// ([vetshare.ErrNotPermitted] otherwise); the item is checked with [CheckItem].
func CreateItem(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, it vetshare.Item) (vetshare.Item, error) {
	const op = "inventory.CreateItem"
	it, err := CheckItem(it)
	if err != nil {
		return vetshare.Item{}, vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Item{}, vetshare.Op(op, err)
	}
	if it.AccountID != "" && it.AccountID != actor.Account {
		return vetshare.Item{}, vetshare.Op(op, &vetshare.NotPermittedError{
			Reason: "an item is created in the clinic the user is logged into", User: actor.User, Account: it.AccountID})
	}
	it.ID, it.AccountID, it.OnHand, it.CreatedAt = vetshare.NewID[vetshare.ItemID](tx.Now()), actor.Account, 0, tx.Now()
	it.Reminders = trimRules(it.Reminders)
	return it, vetshare.Op(op, txn.D(tx).InsertItem(ctx, it))
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
	if !vetshare.ValidID(id) {
		return vetshare.Item{}, vetshare.NotFound("item", id)
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

// Page is a page request: the id of the last row of the previous page, and a size (0 means
// 100; at most 1000).
type Page struct {
	After string
	Limit int
}

func (p Page) limit() (int, error) {
	switch {
	case p.Limit < 0:
		return 0, vetshare.Invalid("Limit", "negative")
	case p.Limit == 0:
		return 100, nil
	case p.Limit > 1000:
		return 1000, nil
	}
	return p.Limit, nil
}

// SearchItems returns a page of the actor's account's items whose name starts with prefix
// (folded: case and accents do not matter), by name (R7.6). Items of other accounts are never
// listed (R3.4).
func SearchItems(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, prefix string, page Page) ([]vetshare.Item, error) {
	return listItems(ctx, tx, actor, "inventory.SearchItems", prefix, false, page)
}

// BelowZero returns a page of the actor's account's tracked items whose count on hand is below
// zero, by name (R5.4).
func BelowZero(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, page Page) ([]vetshare.Item, error) {
	return listItems(ctx, tx, actor, "inventory.BelowZero", "", true, page)
}

func listItems(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, op, prefix string, below bool, page Page) ([]vetshare.Item, error) {
	limit, err := page.limit()
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	q := vetshare.ItemQuery{Account: actor.Account, Prefix: vetshare.FoldName(prefix), BelowZero: below, Limit: limit}
	if page.After != "" {
		last, err := ownItem(ctx, tx, actor, vetshare.ItemID(page.After))
		if err != nil {
			return nil, vetshare.Op(op, vetshare.Invalid("After", "not an item of this account"))
		}
		q.AfterKey, q.AfterID = vetshare.FoldName(last.Name), last.ID
	} else if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, vetshare.Op(op, err)
	}
	items, err := txn.D(tx).Items(ctx, q)
	return items, vetshare.Op(op, err)
}

// UsageSearch selects usages for [SearchUsages].
type UsageSearch struct {
	// Patient, when set, keeps the usages of this patient.
	Patient vetshare.PatientID
	// Prefix, when set, keeps the usages whose item's name starts with it (folded).
	Prefix string
	// Removed includes removed usages, marked by their Removed field.
	Removed bool
	Page    Page // After is a record id
}

// SearchUsages returns a page of the usages the actor's account sees, newest first: those of
// every patient whose client the account shares, recorded at this account or any other, each
// with the item's name and the account it originated from (R7.6). [vetshare.ErrNotFound] when
// Patient is set and not shared with the account (R3.3).
func SearchUsages(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, s UsageSearch) ([]vetshare.UsageRow, error) {
	const op = "inventory.SearchUsages"
	limit, err := s.Page.limit()
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	if s.Page.After != "" && !vetshare.ValidID(s.Page.After) {
		return nil, vetshare.Op(op, vetshare.Invalid("Page.After", "malformed id"))
	}
	if s.Patient != "" && !vetshare.ValidID(s.Patient) {
		return nil, vetshare.Op(op, vetshare.NotFound("patient", s.Patient))
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, vetshare.Op(op, err)
	}
	rows, err := txn.D(tx).Usages(ctx, vetshare.UsageQuery{Account: actor.Account, Patient: s.Patient, Prefix: vetshare.FoldName(s.Prefix),
		Before: vetshare.RecordID(s.Page.After), Limit: limit, Removed: s.Removed})
	if err == nil && len(rows) == 0 && s.Patient != "" {
		// An empty page for a patient the account does not see is a not found (R3.3).
		if _, err := txn.D(tx).Patient(ctx, actor.Account, s.Patient); err != nil {
			return nil, vetshare.Op(op, err)
		}
	}
	return rows, vetshare.Op(op, err)
}
