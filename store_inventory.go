package vetshare

// InventoryTx keeps items and the stock ledger (package inventory).
type InventoryTx interface{}
