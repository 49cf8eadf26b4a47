// Package tasks keeps tasks, each a piece of work in one clinic's account assigned to a user,
// and the Assigned To Me view that lets a user who works at several clinics of one owner see
// and act on their tasks at all of them without logging out (R9).
//
// # Tasks
//
// A [vetshare.Task] belongs to the account it was created in, for ever (R9.1): [Create] makes it
// in the account the actor is logged into. Its status moves open → in-progress ([Start]), open
// or in-progress → completed ([Complete]), and back to open ([Reopen]); see [Transition]. Every
// operation on a task checks the actor's permissions in the task's account, not the account
// they are logged into (R9.5): [vetshare.PermTaskMarkInProgress] to start a task or put an
// in-progress task back, [vetshare.PermTaskComplete] to complete or reopen a completed one,
// [vetshare.PermTaskEdit], [vetshare.PermTaskDelete], and [vetshare.PermTaskCreate] in the
// logged-in account to create.
//
// # Assigned To Me
//
// [AssignedToMe] lists the actor's tasks in a choice of clinics (R9.2): by default the account
// they are logged into; any set of their linked clinics — the accounts of the logged-in
// account's owner in which they have an active membership ([LinkedClinics]); all of them; and
// back to the default by asking for the zero [Selection]. Any other account is refused with
// [vetshare.ErrNotPermitted], with the same words whether it exists, belongs to another owner
// or merely lacks a membership, so the refusal tells nothing of it. Each [Row] names its
// clinic (R9.4), the [Actions] the actor's permissions in that clinic allow for the task's
// status (R9.5), and a [Warning] naming the clinic to switch to when the task's client (and so
// its patient, R3.1) is not shared with the logged-in account (R9.7). The other lists,
// [AccountTasks] and [PatientTasks], show the logged-in account only (R9.3).
//
// Task sharing is a limited-release feature, off unless enabled for the owner
// ([vetshare.Owner.TaskSharing], set with accounts.SetTaskSharing) (R1.8). While it is off, the
// only linked clinic is the logged-in account: Assigned To Me shows that account, choosing any
// other is refused, and tasks of other accounts are out of reach (R9.9).
//
// # Edits from another clinic
//
// From an account other than the task's, [Edit] may change Notes and Repeat only; a change of
// any other field is refused with an [*EditRefusedError] naming the fields, and nothing is
// written (R9.6). Edits, status changes and deletions made from another account are
// cross-account writes, recorded in the owner's audit log (R10.1).
//
// # Repeating tasks
//
// A [vetshare.RepeatRule] repeats every N days, weeks, months or years, optionally until an
// instant; it needs a due date to count from ([CheckRepeat]). Completing a repeating task
// creates its next occurrence in the task's account (R9.8), a copy with a new id, open, due as
// [NextDue] says, linked to it by Previous and Next.
//
// # Readings of the SPEC
//
//   - Order (R9.2 "ordered usefully"): by due date, then priority (most urgent first), then id.
//     Overdue means not completed and due before now, so for the open and in-progress tasks the
//     due-date order puts the overdue first; tasks without a due date come last. Completed tasks
//     are a separate list (Completed in the query), as a to-do list shows what is left to do.
//     Pages follow with a keyset ([vetshare.TaskKey]) kept in the [vetshare.Cursor], stable
//     under inserts.
//   - Reach: in the logged-in account a member sees every task of the account; in another
//     linked clinic only the tasks assigned to them (that is what Assigned To Me shows). Any
//     other task answers [vetshare.ErrNotFound], as one that does not exist (R3.3).
//   - "All" with task sharing off means the linked clinics, which are then the logged-in account
//     alone; it is not refused. Choosing another account by id is.
//   - A due date given as a local date ([Draft].DueOn, [DueOn]) is due at the end of that day in
//     the task account's time zone, so the task becomes overdue when the day is over there. A day
//     that does not exist in that zone, or an account whose zone is unknown, is refused.
//   - The next occurrence is due one interval after the completed one, counted in the account's
//     zone (wall-clock time kept across daylight saving; the 31st becomes the last day of a
//     shorter month); occurrences already past when the task is completed are skipped, so
//     completing a late task never leaves a backlog. None is made past the rule's end. Reopening
//     a completed task keeps its next occurrence, and completing it again makes no other. The
//     next occurrence keeps the task's creator, assignee, title, notes, priority, kind, client
//     and patient.
//   - Reopen is the "back where it makes sense": in-progress → open and completed → open.
//   - A refused cross-account edit is not a write, and writes no audit entry; the error names
//     the fields, the account it came from and the task's account.
//   - Permissions are those of the actor's active membership in the task's account at the time
//     of the action; the assignee of a task must have an active membership in its account when
//     it is assigned.
package tasks
