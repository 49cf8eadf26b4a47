package accounts

import (
	"context"
	"slices"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/txn"
)

// own checks actor ([Check]) and returns the account the actor is logged into.
func own(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) (vetshare.Account, error) {
	if _, err := Check(ctx, tx, actor); err != nil {
		return vetshare.Account{}, err
	}
	return txn.D(tx).Account(ctx, actor.Account)
}

// Account returns an account of the owner of the actor's account: the actor's own, or another
// clinic of the same owner. It returns [vetshare.ErrNotFound] for an account of another owner,
// exactly as for one that does not exist (R3.3), [vetshare.ErrInvalid] for a malformed id, and
// what [Check] returns for an actor that may not act.
func Account(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.AccountID) (vetshare.Account, error) {
	const op = "accounts.Account"
	if !vetshare.ValidID(id) {
		return vetshare.Account{}, vetshare.Op(op, vetshare.Invalid("id", "malformed id"))
	}
	mine, err := own(ctx, tx, actor)
	if err != nil {
		return vetshare.Account{}, vetshare.Op(op, err)
	}
	if id == mine.ID {
		return mine, nil
	}
	a, err := txn.D(tx).Account(ctx, id)
	if err != nil {
		return vetshare.Account{}, vetshare.Op(op, err)
	}
	if a.OwnerID != mine.OwnerID {
		return vetshare.Account{}, vetshare.Op(op, vetshare.NotFound("account", id))
	}
	return a, nil
}

// Owner returns the owner of the actor's account, or what [Check] returns for an actor that may
// not act.
func Owner(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) (vetshare.Owner, error) {
	const op = "accounts.Owner"
	mine, err := own(ctx, tx, actor)
	if err != nil {
		return vetshare.Owner{}, vetshare.Op(op, err)
	}
	o, err := txn.D(tx).Owner(ctx, mine.OwnerID)
	return o, vetshare.Op(op, err)
}

// clinicsList names the cursors of [Clinics].
const clinicsList = "accounts.Clinics"

// Clinics returns a page of the accounts of the owner of the actor's account, oldest first, and
// the cursor of the next page, empty at the end (R12.6). It returns [vetshare.ErrInvalid] for a
// bad page or a cursor of another list, and what [Check] returns for an actor that may not act.
//
// An owner has few accounts (the clinics of one practice), so the page is cut from all of them;
// the cursor names the last account given.
func Clinics(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, page vetshare.Page) ([]vetshare.Account, vetshare.Cursor, error) {
	const op = "accounts.Clinics"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	key, err := cursor.Read(clinicsList, page.After, 1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	mine, err := own(ctx, tx, actor)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	all, err := txn.D(tx).Accounts(ctx, mine.OwnerID)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	start := 0
	if key != nil {
		i := slices.IndexFunc(all, func(a vetshare.Account) bool { return string(a.ID) == key[0] })
		if i < 0 {
			// Accounts are never deleted: a cursor naming none of the owner's was not
			// returned by this list for this owner.
			return nil, "", vetshare.Op(op, vetshare.Invalid("Page.After", "this cursor was not returned by this list"))
		}
		start = i + 1
	}
	rows := all[start:]
	var next vetshare.Cursor
	if len(rows) > limit {
		rows = rows[:limit]
		next = cursor.Make(clinicsList, string(rows[limit-1].ID))
	}
	return rows, next, nil
}
