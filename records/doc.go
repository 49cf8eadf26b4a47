// Package records keeps the shared clinical data: client profiles, patients and their medical
// records, every read scoped to the account it is made in.
//
// # Rules
//
//   - R2.5: each client entry has its account's own client number; numbers are looked up only
//     within their account ([ClientByNumber]); the client id is the same everywhere.
//   - R13.1: [CreateClientChecked] creates a client only when no client of the account or its
//     group is likely the same person (graded a match by duplicates.Score); otherwise it creates
//     nothing and returns a [*LikelyDuplicateError] with the matches, so the host can offer to
//     open or share one. [CreateClient] never checks: it is what a host calls once told the
//     person is new, and what imports and tests that create namesakes on purpose call. A
//     merged-away client's id and numbers resolve to the survivor ([Client], [ClientByNumber]).
//   - R2.6: a client's profile is one record; an edit from any sharing account is seen by all.
//     Edits carry the version they were based on, and a stale one is refused with
//     [vetshare.ErrConflict] ([UpdateClient]), so concurrent edits never lose an update.
//   - R3.1: a patient and every record of it is visible in every account that has an entry for
//     the patient's client: records are stored by patient id, never copied.
//   - R3.2: every record carries the account (location) and user that added it.
//   - R3.3: every read takes the account it is made in; anything not shared with that account
//     answers [vetshare.ErrNotFound], exactly as something that does not exist.
//   - R5.3: a record added to the wrong account is removed from it ([RemoveRecord]): kept,
//     marked removed with who, where and why, and left out of the history.
//   - R12.4: every record carries the time it happened (GivenAt, given by the host for late
//     charting and imports, the transaction's time when left zero) apart from the time it was
//     recorded (CreatedAt), and the store's recording order (Seq). A time more than a day
//     after the recording time, or one no store keeps, is refused with [vetshare.ErrInvalid]
//     ([vetshare.GivenTime]). Moving a usage ([MoveUsage]) keeps the time it was given.
//
// Usages — the records that say an item was given — are added with [AddUsage], which in the
// same transaction moves the account's stock and schedules and completes reminders (R5.2,
// R7.2, R7.4), and removed or moved to the right account with [RemoveUsage] and [MoveUsage]
// (R5.3, R7.8); see packages inventory and reminders.
//
// Creating a client in an account of an automatic share group shares it with the group in the
// same transaction (R2.1).
//
// # Readings
//
// "Cross-account write" (R10.1) is read as a write made from an account other than the
// client's origin account to the client's shared data (a profile edit, a new patient, a new
// record): those are audited; writes from the origin account are not. Only the account that
// added a record may remove it.
//
// A usage charted late, or imported from another system in any order, takes its place among
// the patient's usages by the time given: it completes the reminders of usages given before
// it, never those of usages given after it, and its own reminders are completed by the first
// usage given after it that targets them. The package reminders tells the whole reading.
package records
