package records

import (
	"context"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/search"
	"github.com/vetshare/vetshare/internal/txn"
)

// searchClients is Clients with something typed: best match first, paged by how many rows came
// before (best-first order has no key to page by), the cursor keeping the typed text.
func searchClients(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, typed string, limit int, page vetshare.Page) ([]ClientRow, vetshare.Cursor, error) {
	const op = "records.Clients"
	tiers, norm, ok := search.Plan(typed)
	if !ok {
		return nil, "", vetshare.Op(op, vetshare.Invalid("prefix", "type at least one letter or digit"))
	}
	offset, err := cursor.ReadOffset(op, page.After, norm)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	a, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	clients, err := search.Find(ctx, txn.D(tx), driver.ClientSearch{Owner: a.OwnerID, Account: a.ID}, tiers, offset+limit+1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
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
