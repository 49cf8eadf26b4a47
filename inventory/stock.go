package inventory

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/txn"
)

// Receive adds quantity units of a tracked item of the actor's account to its stock (R5.4)
// and returns the movement. quantity must be between 1 and [MaxQuantity]; an untracked item is
// refused with [vetshare.ErrInvalid], an item of another account with [vetshare.ErrNotFound].
func Receive(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, item vetshare.ItemID, quantity int64, note string) (vetshare.StockMovement, error) {
	const op = "inventory.Receive"
	if err := CheckQuantity("quantity", quantity); err != nil {
		return vetshare.StockMovement{}, vetshare.Op(op, err)
	}
	m, err := move(ctx, tx, actor, item, vetshare.MoveReceived, quantity, note, false)
	return m, vetshare.Op(op, err)
}

// Adjust corrects the count on hand of a tracked item of the actor's account by delta (after a
// stock take, a breakage) and returns the movement (R5.4). delta is non-zero, at most
// [MaxQuantity] either way, and the note saying why is required.
func Adjust(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, item vetshare.ItemID, delta int64, note string) (vetshare.StockMovement, error) {
	const op = "inventory.Adjust"
	if err := CheckQuantity("delta", max(delta, -delta)); err != nil {
		return vetshare.StockMovement{}, vetshare.Op(op, vetshare.Invalid("delta", "must be non-zero and at most 1000000000 either way"))
	}
	m, err := move(ctx, tx, actor, item, vetshare.MoveAdjusted, delta, note, true)
	return m, vetshare.Op(op, err)
}

func move(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, item vetshare.ItemID, kind vetshare.MovementKind, q int64, note string, noteRequired bool) (vetshare.StockMovement, error) {
	note = strings.TrimSpace(note)
	switch {
	case noteRequired && note == "":
		return vetshare.StockMovement{}, vetshare.Invalid("note", "empty: say why the count is adjusted")
	case len(note) > MaxNote || !utf8.ValidString(note):
		return vetshare.StockMovement{}, vetshare.Invalid("note", "longer than 1000 bytes or not UTF-8")
	}
	it, err := ownItem(ctx, tx, actor, item)
	if err != nil {
		return vetshare.StockMovement{}, err
	}
	if !it.Tracked {
		return vetshare.StockMovement{}, vetshare.Invalid("item", "the item's stock is not tracked")
	}
	m := vetshare.StockMovement{ID: vetshare.NewID[vetshare.MovementID](tx.Now()), AccountID: actor.Account, ItemID: it.ID,
		Kind: kind, Quantity: q, UserID: actor.User, Note: note, At: tx.Now()}
	return m, txn.D(tx).InsertStockMovement(ctx, m)
}

// Ledger lists the stock ledger of an item of the actor's account, oldest first (in the order
// the movements were written). It pages with [vetshare.Page]: next is the cursor of the next
// page, empty after the last. [vetshare.ErrNotFound] for an item of another account;
// [vetshare.ErrInvalid] for a bad limit or a cursor of another list.
func Ledger(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, item vetshare.ItemID, page vetshare.Page) (rows []vetshare.StockMovement, next vetshare.Cursor, err error) {
	const op = "inventory.Ledger"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	after, err := cursor.Read(op, page.After, 1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if _, err := ownItem(ctx, tx, actor, item); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	var from vetshare.MovementID
	if after != nil {
		from = vetshare.MovementID(after[0])
	}
	rows, err = txn.D(tx).StockMovements(ctx, item, from, limit+1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	rows, next = cursor.Trim(op, rows, limit, func(m vetshare.StockMovement) []string { return []string{string(m.ID)} })
	return rows, next, nil
}
