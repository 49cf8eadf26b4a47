package vetshare

import "time"

// MovementID identifies a [StockMovement] of the stock ledger.
type MovementID string

// ItemKind says whether an item is a product or a service.
type ItemKind string

// The item kinds.
const (
	ItemProduct ItemKind = "product" // a thing handed over or administered: a vaccine, a drug
	ItemService ItemKind = "service" // work done: an exam, a procedure
)

// Valid reports whether k is one of the kinds.
func (k ItemKind) Valid() bool { return k == ItemProduct || k == ItemService }

// Item is a product or a service of one account's catalogue (R5.1). Items are never shared:
// every account has its own, with its own stock count.
type Item struct {
	ID        ItemID
	AccountID AccountID
	Name      string
	Kind      ItemKind
	// Tracked is set when the item's stock is counted: a usage of it moves stock (R5.4).
	Tracked bool
	// Reminders are the item's reminder rules (R7.1): giving the item schedules one reminder
	// per rule. Their kinds are distinct within an item.
	Reminders []ReminderRule
	// OnHand is the count in stock, the sum of the item's stock ledger. It is kept by the
	// store; writes of an item ignore it.
	OnHand    int64
	CreatedAt time.Time
}

// MovementKind is why stock moved.
type MovementKind string

// The movement kinds of the stock ledger (R5.4).
const (
	MoveReceived MovementKind = "received" // stock came in: positive
	MoveUsed     MovementKind = "used"     // a usage took it: negative
	MoveReturned MovementKind = "returned" // a removed usage gave it back: positive
	MoveAdjusted MovementKind = "adjusted" // a count was corrected: either sign
)

// Valid reports whether k is one of the kinds.
func (k MovementKind) Valid() bool {
	switch k {
	case MoveReceived, MoveUsed, MoveReturned, MoveAdjusted:
		return true
	}
	return false
}

// StockMovement is one entry of an account's stock ledger. The count on hand of an item is
// always the sum of the quantities of its movements (R5.4).
type StockMovement struct {
	ID        MovementID
	AccountID AccountID
	ItemID    ItemID
	Kind      MovementKind
	// Quantity is signed: what the movement adds to the count on hand.
	Quantity int64
	// RecordID is the usage that moved the stock, for MoveUsed and MoveReturned.
	RecordID RecordID
	UserID   UserID
	Note     string
	At       time.Time
}

// ItemQuery selects a page of one account's items, by folded name (see [FoldName]).
type ItemQuery struct {
	Account AccountID
	// Prefix, when set, keeps the items whose folded name starts with it (already folded).
	Prefix string
	// BelowZero keeps only tracked items whose count on hand is below zero (R5.4).
	BelowZero bool
	// AfterKey and AfterID start the page after this item (keyset paging by folded name).
	AfterKey string
	AfterID  ItemID
	Limit    int
}

// UsageQuery selects a page of the usages an account sees (R7.6): those recorded for patients
// whose client the account has an entry for, at any account, latest first (by the time given,
// then the recording order; R12.4).
type UsageQuery struct {
	Account AccountID
	// Patient, when set, keeps the usages of this patient.
	Patient PatientID
	// Prefix, when set, keeps the usages whose item's folded name starts with it.
	Prefix  string
	Before  RecordID // keyset paging: the usages before this one, latest given first
	Limit   int
	Removed bool // include removed usages
}

// UsageRow is a usage as an account's search shows it: the record, its item, and the account
// it originated from (R7.6).
type UsageRow struct {
	Record Record
	// ItemName is the name of the item in the catalogue of the account that recorded it.
	ItemName string
	// Origin is the account where the usage was recorded, and OriginName its name.
	Origin     AccountID
	OriginName string
	// PatientName is the name of the patient the item was given to.
	PatientName string
}
