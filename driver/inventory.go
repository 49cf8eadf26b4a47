package driver

import (
	"context"

	"github.com/vetshare/vetshare"
)

// InventoryTx keeps items and the stock ledger (package inventory).
type InventoryTx interface {
	// InsertItem stores a new item with its reminder rules and a count on hand of zero;
	// ErrConflict when the id is taken, ErrNotFound when the account does not exist.
	InsertItem(ctx context.Context, it vetshare.Item) error
	// UpdateItem writes the name, kind, tracked flag and reminder rules of it over the item with
	// its id; ErrNotFound when there is none. The account and the count on hand never change.
	UpdateItem(ctx context.Context, it vetshare.Item) error
	// Item returns the item with its reminder rules and count on hand; ErrNotFound when there
	// is none. It is not scoped: items belong to one account, and operations compare
	// Item.AccountID with the account asking before they show or use it.
	Item(ctx context.Context, id vetshare.ItemID) (vetshare.Item, error)
	// Items lists a page of q.Account's items by folded name, then id.
	Items(ctx context.Context, q vetshare.ItemQuery) ([]vetshare.Item, error)
	// ItemsWithReminders returns the items of the accounts that carry reminder rules, by
	// account and id.
	ItemsWithReminders(ctx context.Context, accounts []vetshare.AccountID) ([]vetshare.Item, error)
	// InsertStockMovement stores m and adds m.Quantity to its item's count on hand, together;
	// ErrNotFound when m.ItemID is not an item of m.AccountID, ErrConflict when the id is taken.
	InsertStockMovement(ctx context.Context, m vetshare.StockMovement) error
	// StockMovements returns up to limit movements of the item's ledger after the movement
	// id (from the first when it is empty), in the order they were written.
	StockMovements(ctx context.Context, item vetshare.ItemID, after vetshare.MovementID, limit int) ([]vetshare.StockMovement, error)
	// RecordMovements returns the movements of the ledger made for the record (a usage), in
	// the order they were written.
	RecordMovements(ctx context.Context, record vetshare.RecordID) ([]vetshare.StockMovement, error)
	// Usages lists a page of the usages q.Account sees, newest first, each with its item's
	// name and the account it was recorded at.
	Usages(ctx context.Context, q vetshare.UsageQuery) ([]vetshare.UsageRow, error)
}
