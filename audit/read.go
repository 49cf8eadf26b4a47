package audit

import (
	"context"
	"errors"
	"strconv"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/txn"
)

// reader checks that actor may read the audit log (R10.3): an active user with an active owner
// or admin membership of the account they are logged into, which reads the log of that
// account's owner. Anyone else, a staff member, an inactive user or membership, a user with no
// membership there, gets [vetshare.ErrNotFound], as if there were no log; a malformed actor
// gets [vetshare.ErrInvalid].
func reader(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) (vetshare.OwnerID, error) {
	m, err := accounts.Check(ctx, tx, actor)
	switch {
	case errors.Is(err, vetshare.ErrNotPermitted):
		return "", vetshare.NotFound("audit log of account", actor.Account)
	case err != nil:
		return "", err
	case m.Role != vetshare.RoleOwner && m.Role != vetshare.RoleAdmin:
		return "", vetshare.NotFound("audit log of account", actor.Account)
	}
	a, err := txn.D(tx).Account(ctx, actor.Account)
	return a.OwnerID, err
}

// logList names the cursors of [Log].
const logList = "audit.Log"

// Log returns a page of the audit log of the owner of the actor's account, in the order it was
// written (by Seq), and the cursor of the next page, empty at the end (R12.6). Only an active
// owner or admin of the account reads it; anyone else gets [vetshare.ErrNotFound] (R10.3). A bad
// page or a cursor of another list is [vetshare.ErrInvalid]. Log reads the entries as stored;
// [Verify] checks that they are untouched.
func Log(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, page vetshare.Page) ([]vetshare.AuditEntry, vetshare.Cursor, error) {
	const op = "audit.Log"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	key, err := cursor.Read(logList, page.After, 1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	var after int64
	if key != nil {
		if after, err = strconv.ParseInt(key[0], 10, 64); err != nil || after < 0 {
			return nil, "", vetshare.Op(op, vetshare.Invalid("Page.After", "this cursor was not returned by this list"))
		}
	}
	owner, err := reader(ctx, tx, actor)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	es, err := txn.D(tx).AuditEntries(ctx, owner, after, limit+1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	var next vetshare.Cursor
	if len(es) > limit {
		es = es[:limit]
		next = cursor.Make(logList, strconv.FormatInt(es[limit-1].Seq, 10))
	}
	return es, next, nil
}
