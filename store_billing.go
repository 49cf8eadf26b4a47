package vetshare

// BillingTx keeps invoices and payments (package billing).
type BillingTx interface{}
