package duplicates

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/match"
	"github.com/vetshare/vetshare/internal/txn"
)

// visible returns the owner and the accounts whose clients the actor's account may be shown.
func visible(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) (vetshare.OwnerID, []vetshare.AccountID, error) {
	return match.Visible(ctx, tx, actor)
}

// Find lists the clients that may be the same person as the client id, seen from the actor's
// account, best first (R13.1): clients of the account and of its group, found through blocking
// keys, scored with [Score], graded, leaving out pairs decided not the same (R13.2).
// [vetshare.ErrNotFound] when the account does not share the client.
func Find(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.ClientID) ([]Match, error) {
	const op = "duplicates.Find"
	owner, accs, err := visible(ctx, tx, actor)
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	c, err := txn.D(tx).Client(ctx, actor.Account, id)
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	pats, err := txn.D(tx).PatientsOf(ctx, []vetshare.ClientID{id})
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	ms, err := match.Find(ctx, tx, owner, accs, c, toMatch(ProfileOf(c, pats)))
	return fromMatches(ms), vetshare.Op(op, err)
}

// FindFor lists the clients that may be the same person as a profile about to be created in
// the actor's account (R13.1), as [Find] does.
func FindFor(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, p vetshare.Client) ([]Match, error) {
	const op = "duplicates.FindFor"
	owner, accs, err := visible(ctx, tx, actor)
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	p.ID = ""
	ms, err := match.Find(ctx, tx, owner, accs, p, toMatch(ProfileOf(p, nil)))
	return fromMatches(ms), vetshare.Op(op, err)
}

// Decision is a kept decision that two clients are not the same person (R13.2).
type Decision = driver.NotSame

// DecideNotSame keeps the decision of the actor that clients a and b are not the same person,
// with the reason given, so that the pair is never proposed again (R13.2); it is audited. Both
// clients must be shared with the actor's account or its group ([vetshare.ErrNotFound]
// otherwise); a reason is required ([vetshare.ErrInvalid]); a pair decided before is
// [vetshare.ErrConflict].
func DecideNotSame(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, a, b vetshare.ClientID, reason string) (Decision, error) {
	const op = "duplicates.DecideNotSame"
	defer txn.Begin(tx)()
	reason = strings.TrimSpace(reason)
	if err := accounts.CheckText("reason", reason, 1000, true); err != nil {
		return Decision{}, vetshare.Op(op, err)
	}
	if a == b {
		return Decision{}, vetshare.Op(op, vetshare.Invalid("b", "a client is always the same person as itself"))
	}
	owner, accs, err := visible(ctx, tx, actor)
	if err != nil {
		return Decision{}, vetshare.Op(op, err)
	}
	for _, id := range []vetshare.ClientID{a, b} {
		if err := seen(ctx, tx, owner, accs, id); err != nil {
			return Decision{}, vetshare.Op(op, err)
		}
	}
	d := Decision{Owner: owner, A: min(a, b), B: max(a, b), Account: actor.Account, User: actor.User, Reason: reason, At: tx.Now()}
	if err := txn.D(tx).InsertNotSame(ctx, d); err != nil {
		if errors.Is(err, vetshare.ErrConflict) {
			err = &vetshare.ConflictError{Kind: "decision", ID: string(d.A) + "/" + string(d.B)}
		}
		return Decision{}, vetshare.Op(op, err)
	}
	err = auditlog.Write(ctx, tx, owner, actor, "client.not-same", "client:"+string(d.A), audit.OK,
		map[string]any{"other": d.B, "reason": reason})
	return d, vetshare.Op(op, err)
}

// seen returns ErrNotFound unless one of accs has an entry for the client of owner.
func seen(ctx context.Context, tx *vetshare.Tx, owner vetshare.OwnerID, accs []vetshare.AccountID, id vetshare.ClientID) error {
	if err := vetshare.CheckID("client", id); err != nil {
		return err
	}
	entries, err := txn.D(tx).ClientEntries(ctx, id)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if slices.Contains(accs, e.AccountID) {
			return nil
		}
	}
	return vetshare.NotFound("client", id)
}
