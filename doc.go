// Package vetshare lets a veterinary group run several clinic locations as separate accounts
// that share clients, patients and medical records, while billing, inventory, contacts,
// reminders and tasks stay with the location they belong to.
//
// # Getting started
//
// Open a store, then run operations inside its transactions. Every operation has the shape
// op(ctx, tx, actor, input): it takes the [*Tx] it runs in, never begins or commits one, and
// checks the [Actor] (a user acting from an account) and every id it is given:
//
//	store, err := sqlite.Open(ctx, "clinic.db")
//	if err != nil {
//		return err
//	}
//	defer store.Close()
//	err = store.Update(ctx, func(tx *vetshare.Tx) error {
//		at := vetshare.Actor{User: userID, Account: northID}
//		client, entries, err := records.CreateClient(ctx, tx, at, vetshare.Client{LastName: "Rogers"})
//		...
//		return err // nil commits; an error rolls back every operation run in tx
//	})
//
// Several operations in one Update happen together or not at all. examples/quickstart walks
// through a whole story; every package has runnable examples.
//
// # Where things are
//
// This package holds the vocabulary: typed ids, entities, errors, [Clock], [Store] and the
// [*Tx] a host holds, which offers the operations only: no method of it reaches storage (R12.5).
// It imports only the standard library. The rules live in packages named after them, as pure
// functions on plain values plus the operations that run them:
//
//   - accounts: owners, accounts, users and memberships.
//   - sharing: authorizing sharing requests (R1), share groups, sharing clients (R2).
//   - records: clients, patients and medical records, every read scoped to an account (R3);
//     usages, the records that move stock and schedule reminders (R5.2, R5.3, R7.2, R7.4, R7.8).
//   - inventory: each account's items and its stock ledger (R5).
//   - reminders: reminder rules, disable-reminder actions and due reminders per location (R7).
//   - billing: invoices, payments and balances that stay with their account (R4).
//   - contacts: each account's contacts and companies, copied but never shared (R6).
//   - tasks: tasks per account and the Assigned To Me view across clinics (R9).
//   - reports: the six client reports with the home location, streamed or as CSV (R8).
//   - audit: reading and verifying the tamper-evident audit log (R10).
//   - sqlite: the embedded default [Store]. driver: the storage contract a store implements,
//     which hosts never hold; storetest: the suite every driver passes.
//
// Lists page one way everywhere: a [Page] in, the rows and the [Cursor] of the next page out,
// empty at the end (R12.6).
//
// # The model
//
// An [Owner] owns [Account]s, one per clinic location. [User]s reach accounts through
// [Membership]s with a [Role]. Accounts of one owner join a [ShareGroup]; a [Client] profile is
// one record with a global id, and each account that shares it has its own [ClientEntry] with
// its own client number. A [Patient] belongs to a client; its [Record]s are stored by patient
// id, so every account with an entry for the client sees them all, each stamped with the
// account and user that added it.
//
// # Errors
//
// Errors match one of [ErrNotFound], [ErrInvalid], [ErrConflict] and [ErrNotPermitted] with
// [errors.Is], and carry details as typed values ([*NotFoundError], [*InvalidError],
// [*ConflictError], [*NotPermittedError]) for [errors.As]. Something that exists but is not
// shared with the account asking is reported exactly as something that does not exist.
//
// An error's message (its Error method) is a sentence a host may show a person (R12.7): what
// was refused and why, naming the clinic, the item or the user by name where the operation has
// the name ("Sam Staff has no active membership at Clinic B"). Ids are fields of the typed
// errors, never in the sentence; rule numbers are in the documentation, never in a message.
// Every operation wraps its errors in an [*OpError] whose Op field names it
// ("records.CreateClient") for logs and [errors.As]; the message stays the sentence, without
// the operation's name. A store translates its database's failures by error code, so no
// database text reaches the message.
//
// # Lists
//
// Every operation that lists takes a [Page] as its last parameter, a limit and the cursor a
// previous page returned, and returns its rows with the [Cursor] of the next page, empty after
// the last (R12.6). A cursor belongs to its list: given to another it is refused with
// [ErrInvalid], as is a limit below 0 or above [MaxLimit].
//
// # Time
//
// Times are kept in UTC at microsecond precision ([Time]); every row a transaction writes
// carries the one instant [Tx.Now] returns as the time it was recorded.
package vetshare
