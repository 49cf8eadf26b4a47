// Package inventory keeps each account's items and stock (R5): the catalogue of products and
// services, their reminder rules, the stock ledger, and the searches of items and usages.
//
// # Rules
//
//   - R5.1: every account has its own items and its own stock counts. Items are never shared
//     (R3.4): an item is read, changed or stocked only from its own account.
//   - R5.2: a usage recorded at account X must use one of X's items and moves X's stock
//     ([CheckUsageItem], [UsageMovement]). An item of another account of the same owner is
//     refused with a [*WrongAccountError] that names the item's account, so the host can tell
//     the user where to record it; an item of another owner answers [vetshare.ErrNotFound].
//     Usages themselves are records and are added with records.AddUsage.
//   - R5.3: removing a usage returns the stock it took ([ReturnMovement]); see records.RemoveUsage and
//     records.MoveUsage.
//   - R5.4: stock is a ledger of movements: received ([Receive]), used and returned by usages,
//     adjusted ([Adjust]). The count on hand ([vetshare.Item.OnHand]) is kept by the store in
//     the same transaction as each movement and always equals the sum of the ledger. A usage
//     is never refused for lack of stock; [BelowZero] reports the items below zero.
//   - R7.1: an item may carry reminder rules, checked with reminders.CheckRules.
//   - R7.6: [SearchUsages] lists the usages an account sees, its own and those recorded at the
//     other accounts sharing the patient, each with the account it originated from.
//
// # Readings
//
// Only inventory-tracked items have stock: a usage of an untracked item (a service, an exam)
// moves nothing, and receiving or adjusting one is refused with [vetshare.ErrInvalid].
// Quantities are whole units of the item, from 1 to [MaxQuantity]. An adjustment needs a note
// saying why. Changing an item never changes its account or its count on hand.
package inventory
