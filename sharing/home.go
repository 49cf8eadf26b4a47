package sharing

import (
	"context"
	"errors"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/txn"
)

// SetHomeLocation sets a client's home location, its primary clinic (R2.10), from the actor's
// account, which must share the client (else [vetshare.ErrNotFound]). home must be an account
// the client is shared with; any other is refused with [vetshare.ErrInvalid]. The change is a
// profile edit: it bumps the client's version, and is written to the audit log.
func SetHomeLocation(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, client vetshare.ClientID, home vetshare.AccountID) (vetshare.Client, error) {
	const op = "sharing.SetHomeLocation"
	defer txn.Begin(tx)()
	if !vetshare.ValidID(client) {
		return vetshare.Client{}, vetshare.Op(op, vetshare.Invalid("client", "malformed id"))
	}
	if !vetshare.ValidID(home) {
		return vetshare.Client{}, vetshare.Op(op, vetshare.Invalid("home", "malformed id"))
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Client{}, vetshare.Op(op, err)
	}
	c, err := txn.D(tx).Client(ctx, actor.Account, client)
	if err != nil {
		return vetshare.Client{}, vetshare.Op(op, err)
	}
	if _, err := txn.D(tx).ClientEntry(ctx, home, client); errors.Is(err, vetshare.ErrNotFound) {
		return vetshare.Client{}, vetshare.Op(op, vetshare.Invalid("home", "the client is not shared with that clinic"))
	} else if err != nil {
		return vetshare.Client{}, vetshare.Op(op, err) // the store failed: not a refusal (R11.2)
	}
	if c.HomeAccount == home {
		return c, nil
	}
	from := c.HomeAccount
	c.HomeAccount, c.UpdatedAt = home, tx.Now()
	if err := txn.D(tx).UpdateClient(ctx, c); err != nil {
		return vetshare.Client{}, vetshare.Op(op, err)
	}
	c.Version++
	err = auditlog.Write(ctx, tx, c.OwnerID, actor, "client.home", "client:"+string(client), audit.OK,
		map[string]any{"from": from, "to": home})
	return c, vetshare.Op(op, err)
}

// HomeLocation returns the client's home location as the actor's account shows it: shown is
// false when the account does not take part in record sharing (it is not, and never was, in a
// share group), and then home is empty (R2.10, R8.3).
func HomeLocation(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, client vetshare.ClientID) (home vetshare.AccountID, shown bool, err error) {
	const op = "sharing.HomeLocation"
	if !vetshare.ValidID(client) {
		return "", false, vetshare.Op(op, vetshare.Invalid("client", "malformed id"))
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return "", false, vetshare.Op(op, err)
	}
	c, err := txn.D(tx).Client(ctx, actor.Account, client)
	if err != nil {
		return "", false, vetshare.Op(op, err)
	}
	ever, err := txn.D(tx).EverInGroup(ctx, actor.Account)
	if err != nil || !ever {
		return "", false, vetshare.Op(op, err)
	}
	return c.HomeAccount, true, nil
}
