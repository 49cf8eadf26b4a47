package records

import (
	"context"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

// replaced returns the client that replaced id by a merge (R13.3) as the actor's account sees
// it, or notFound when id was not merged away or the account does not share its survivor.
func replaced(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.ClientID, notFound error) (vetshare.Client, error) {
	a, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return vetshare.Client{}, err
	}
	s, err := txn.D(tx).ReplacedBy(ctx, a.OwnerID, id)
	if err != nil {
		return vetshare.Client{}, notFound
	}
	c, err := txn.D(tx).Client(ctx, actor.Account, s)
	if err != nil {
		return vetshare.Client{}, notFound
	}
	return c, nil
}
