// Package billing keeps each clinic location's invoices, payments and client balances. Money is
// never shared: a client shared by several accounts has a separate balance at each of them.
//
// # Invoices and balances
//
// An invoice belongs to the account that issues it, against that account's own client entry
// (R4.1): [CreateInvoice] refuses a client not shared with the account as not found. Its lines
// are priced by [PriceLines]; a line may name the usage record it bills, which must be a usage
// recorded at the same account for a patient of the same client, and the line keeps its own
// description and amount. Money is integer minor units in the account's currency, never
// floating point, and every amount is bounded by [vetshare.MaxAmount] (R4.6).
//
// A client's balance is kept per account (R4.2): [Balance] returns what the client's open
// invoices at the actor's account still ask for. No function adds balances of several
// accounts. [LocationBalances] is the cross-location view (R4.3): from an account sharing the
// client, the balance at each other account sharing it, each in its own currency and with the
// (account, client number) reference a host renders as a link. It is read-only.
//
// # Payments
//
// [RecordPayment] takes a payment at the actor's account through a channel, and books it at the
// invoice's account. The rules are the pure function [CheckPayment]:
//
//   - R4.4: at the counter of account B, only B's invoices can be paid. An invoice of account
//     A is refused with a [*CounterError] naming both accounts.
//   - R4.5: through the client-facing app, an invoice of any account sharing the client with
//     the actor's account can be paid; it is booked at the invoice's account.
//   - R4.6: the amount is positive, in the invoice's currency ([*CurrencyError]), and never
//     more than is outstanding ([*OverpaymentError]). A paid or void invoice takes no payment
//     ([*StatusError]).
//
// Payments are idempotent: each carries a caller-chosen key, unique within the owner. A retry
// with the same key and the same payment ([SamePayment]) returns the payment already recorded
// and records nothing; the same key with a different payment is a [*vetshare.ConflictError].
//
// # Readings of the rules
//
// Where the SPEC leaves room, this package chose:
//
//   - An invoice of another account is visible to nobody but its account (R3.4): [Invoice],
//     [Invoices] and [Payments] answer not found for it. A counter payment for it is refused
//     with [*CounterError] only where the client is shared with the counter's account; where it
//     is not, the invoice is not found, as R3.3 wants.
//   - The app channel is used by the host's app integration acting as a user with a membership
//     in the account the app is connected to. That account must share the invoice's client.
//     An app payment booked at another account is audited as a cross-account write (R10.1).
//   - A payment is "the same" for idempotency when invoice, amount, currency, channel and the
//     account it was taken at are equal; method and reference are not compared. Idempotency
//     keys are unique per owner, so a key reused at another clinic of the owner is a conflict.
//   - The balance is what open invoices still ask for: void invoices ask for nothing, partly
//     paid ones for the rest. The SQLite store keeps it in a per-account table, maintained by
//     triggers in the statement that issues, pays or voids an invoice, so the cross-location
//     view reads one row per account and no writer can leave it stale.
//   - The view lists every other account with a client entry for the client, including one
//     that has left the share group (the client stays shared with it, R3.5), with a zero
//     balance where nothing is owed, ordered by account name.
//   - An invoice has 1 to [MaxLines] lines and a positive total; there are no discount lines or
//     credit notes. Voiding is allowed only before any payment ([CanVoid]); refunds are not
//     part of this package.
//   - Invoices carry the currency the account had when they were issued; a payment must be in
//     the invoice's currency.
//   - Payments through both channels are not refused for an account that has left its share
//     group: the client stays shared with it (R3.5).
package billing
