// Package contacts keeps each clinic location's address book: people (referring vets, lab
// technicians, sales representatives) and companies (labs, suppliers, referral hospitals).
//
// An entry belongs to one account and is never shared (R6.1, R3.4): [Get], [List] and [Update]
// see only the actor's account's entries, and an entry of any other account is not found. A
// person may work at a company of the same account.
//
// [Copy] copies an entry to another account of the same owner (R6.2). The copy is an
// independent entry ([CopyOf]): it has its own id and version, remembers the entry it was made
// from only as history (CopiedFrom), and later edits of either reach not the other. A copy to an
// account of another owner is refused ([CanCopy]).
//
// # Readings of the rules
//
//   - Copying needs an active membership in both accounts: the actor copies from the account
//     they are logged into to another they may act in. It is a cross-account write, and is
//     written to the audit log (R10.1).
//   - A person's CompanyID is not copied, since it names an entry of the source account; copy
//     the company too and link the copies with [Update].
//   - Copying the same entry twice makes two independent copies; the library does not
//     deduplicate an address book.
package contacts
