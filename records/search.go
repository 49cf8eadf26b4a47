package records

import (
	"context"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/search"
	"github.com/vetshare/vetshare/internal/txn"
)

// searchClients is Clients with something typed: best match first, paged by how many rows came
// before (best-first order has no key to page by), the cursor keeping the typed text.
func searchClients(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, typed string, limit int, page vetshare.Page) ([]ClientRow, vetshare.Cursor, error) {
	const op = "records.Clients"
	if err := accounts.CheckActor(actor); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	tiers, norm, ok := search.Plan(typed)
	if !ok {
		return nil, "", vetshare.Op(op, vetshare.Invalid("prefix", "type at least one letter or digit"))
	}
	offset, err := cursor.ReadOffset(op, page.After, norm)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	// One statement: the search checks the actor's membership (Member) and takes the owner
	// from the account. Finding nothing, it reads the membership apart, to refuse a non-member
	// rather than show an empty page.
	clients, err := search.Find(ctx, txn.D(tx), driver.ClientSearch{Account: actor.Account, Member: actor.User}, tiers, offset+limit+1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if len(clients) == 0 {
		if _, err := accounts.Check(ctx, tx, actor); err != nil {
			return nil, "", vetshare.Op(op, err)
		}
	}
	clients = clients[min(offset, len(clients)):]
	var next vetshare.Cursor
	if len(clients) > limit {
		clients, next = clients[:limit], cursor.MakeOffset(op, norm, offset+limit)
	}
	// Each client comes with its entry in the account, read by the search itself.
	rows := make([]ClientRow, len(clients))
	for i, c := range clients {
		rows[i] = ClientRow{Client: c.Client, Entry: c.Entry}
	}
	return rows, next, nil
}
