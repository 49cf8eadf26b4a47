package records

import (
	"context"
	"slices"

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
	// The account's entry of every client of the page in one read, not one read each.
	ids := make([]vetshare.ClientID, len(clients))
	for i, c := range clients {
		ids[i] = c.ID
	}
	entries, err := txn.D(tx).AccountEntriesOf(ctx, a.ID, ids)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	rows := make([]ClientRow, 0, len(clients))
	for _, c := range clients {
		i := slices.IndexFunc(entries, func(e vetshare.ClientEntry) bool { return e.ClientID == c.ID && e.AccountID == a.ID })
		if i < 0 {
			return nil, "", vetshare.Op(op, vetshare.NotFound("client", c.ID))
		}
		rows = append(rows, ClientRow{Client: c, Entry: entries[i]})
	}
	return rows, next, nil
}
