package inventory

import (
	"fmt"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/reminders"
)

// MaxQuantity is the largest quantity a usage or a movement may have.
const MaxQuantity = 1_000_000_000

// MaxName is the longest item name, in bytes; MaxNote the longest note of a movement.
const (
	MaxName = 200
	MaxNote = 1000
)

// WrongAccountError refuses a usage of an item of another account of the same owner (R5.2).
// It matches [vetshare.ErrNotPermitted].
type WrongAccountError struct {
	Item        vetshare.ItemID
	ItemAccount vetshare.AccountID // where the item belongs
	Account     vetshare.AccountID // where the usage was to be recorded
	// The names of the item and the two accounts, where the operation has them.
	ItemName, ItemAccountName, AccountName string
}

func (e *WrongAccountError) Error() string {
	item := "the item"
	if e.ItemName != "" {
		item = fmt.Sprintf("%q", e.ItemName)
	}
	if e.ItemAccountName == "" || e.AccountName == "" {
		return item + " belongs to another clinic: record the usage at that clinic, with its own item"
	}
	return fmt.Sprintf("%s is an item of %s, not of %s: record the usage at %s", item, e.ItemAccountName, e.AccountName, e.ItemAccountName)
}

// Unwrap returns [vetshare.ErrNotPermitted].
func (e *WrongAccountError) Unwrap() error { return vetshare.ErrNotPermitted }

// CheckItem returns the item with its name trimmed, or an [*vetshare.InvalidError] for the
// first field that is wrong: an empty or too long name, an unknown kind, reminder rules that
// make no sense ([reminders.CheckRules]).
func CheckItem(it vetshare.Item) (vetshare.Item, error) {
	it.Name = strings.TrimSpace(it.Name)
	if err := accounts.CheckName("Name", it.Name); err != nil {
		return it, err
	}
	switch {
	case !it.Kind.Valid():
		return it, vetshare.Invalid("Kind", "must be product or service")
	}
	return it, reminders.CheckRules(it.Reminders)
}

// CheckQuantity returns an [*vetshare.InvalidError] for field unless 1 <= q <= [MaxQuantity].
func CheckQuantity(field string, q int64) error {
	if q < 1 || q > MaxQuantity {
		return vetshare.Invalid(field, fmt.Sprintf("must be between 1 and %d", MaxQuantity))
	}
	return nil
}

// CheckUsageItem checks that a usage may use item (R5.2): the item must be of the account the
// usage is recorded at, else a [*WrongAccountError]. The quantity must be positive.
func CheckUsageItem(usage vetshare.Record, item vetshare.Item) error {
	if item.ID != usage.ItemID || item.AccountID != usage.AccountID {
		return &WrongAccountError{Item: usage.ItemID, ItemAccount: item.AccountID, Account: usage.AccountID, ItemName: item.Name}
	}
	return CheckQuantity("Quantity", usage.Quantity)
}

// UsageMovement returns the movement a usage of item makes (R5.2, R5.4): its quantity taken
// from the stock of the usage's account, and false for an item that is not tracked.
func UsageMovement(usage vetshare.Record, item vetshare.Item) (vetshare.StockMovement, bool) {
	if !item.Tracked {
		return vetshare.StockMovement{}, false
	}
	return vetshare.StockMovement{AccountID: usage.AccountID, ItemID: item.ID, Kind: vetshare.MoveUsed,
		Quantity: -usage.Quantity, RecordID: usage.ID, UserID: usage.UserID, At: usage.CreatedAt}, true
}

// ReturnMovement returns the movement that removing a usage makes (R5.3): what the usage's
// movements took (moved, the usage's entries of the ledger), given back to the stock of the
// usage's account; false when they took nothing (an item that was not tracked).
func ReturnMovement(usage vetshare.Record, moved []vetshare.StockMovement, rm vetshare.Removal) (vetshare.StockMovement, bool) {
	var sum int64
	for _, m := range moved {
		if m.RecordID == usage.ID && m.AccountID == usage.AccountID && m.ItemID == usage.ItemID {
			sum += m.Quantity
		}
	}
	if sum == 0 {
		return vetshare.StockMovement{}, false
	}
	return vetshare.StockMovement{AccountID: usage.AccountID, ItemID: usage.ItemID, Kind: vetshare.MoveReturned,
		Quantity: -sum, RecordID: usage.ID, UserID: rm.UserID, Note: rm.Reason, At: rm.At}, true
}
