// Package sharing decides who may share records, manages share groups, and shares clients
// between the accounts of a group.
//
// # Authorization (R1)
//
// [Authorize] is a pure function: it takes a [Request] and the [Facts] at decision time and
// returns a [Decision] listing every reason the request fails, each a [*Reason] that matches one
// of the Err variables with [errors.Is] (R1.5). A request must name accounts of one owner
// (R1.1), come in writing — email, letter or signed form (R1.2) — from an active user with a
// verified email who is owner or admin of every named account (R1.3), sent from the verified
// email on file of one of the named accounts, compared as addr-specs case-insensitively with the
// display name ignored (R1.4). [Enable] gathers the facts, decides, writes the decision with the
// request as evidence to the audit log, and on approval creates a group with the requested mode
// or adds the accounts to the one group a named account is in, which keeps its mode (R1.6).
// [Remove] takes an account out of its group (R1.7). A rejection is a decision, not an error: it
// is returned with a nil error so that the caller's transaction commits its audit entry.
// [Group] shows a member account its group: the mode, the current members by name, and when
// each account joined and left.
//
// A request delivered as an email message carries it as [Evidence] (R1.9): the raw message and
// the result of the host's check of its DKIM signature, kept in the decision's audit entry. A
// message whose signature did not verify for the sender's domain fails with
// [ErrSignatureInvalid], unless a support user's Override states why it is decided anyway; the
// override is kept in the audit entry with the message.
//
// # Sharing clients (R2)
//
// A client created in an account of an automatic group is shared with every current member in
// the same transaction (records.CreateClient does it; R2.1); clients created
// before an account joined stay unshared (R2.2) until shared by hand or by [Backfill] (R2.9).
// [Candidates] offers, as a name is typed, the clients of the other members not yet shared with
// the account (R2.3a), and [ShareClient] shares one (R2.3b): the account gets its own
// [vetshare.ClientEntry] with its next client number (R2.5), and through it every patient and
// record, present and future, since those are stored by patient id and never copied (R2.4).
// Sharing is idempotent (R2.7) and only between current members of one group (R2.8).
// [CrossReference] translates a client number between accounts (R2.5); [SetHomeLocation] and
// [HomeLocation] keep the client's primary clinic (R2.10).
//
// # Irreversibility (R3.5)
//
// Nothing here unshares: after an account leaves its group, what was shared with it stays
// shared and keeps syncing; only new sharing stops.
//
// # Readings
//
//   - An enable request names at least two distinct accounts; a remove request exactly one.
//   - R1.3's "holds the role in every account" also requires the membership to be active.
//   - R1.4's verified address is the account's: a request from an account address on file that
//     is not verified fails with [ErrSenderUnverified].
//   - A decision is audited in the log of the owner of the first named account that exists; a
//     request naming no existing account changes nothing and is not logged, since there is no
//     owner to log it for.
//   - Candidates rank clients whose "last, first" starts with the typed text before those whose
//     first name does, each in name order; an account that left the group is not listed among
//     the accounts that have a candidate.
//   - A backfill is an admin's act: it needs an owner or admin of the account it runs from. Its
//     shares are audited one entry per batch, listing the clients; the batches are one
//     operation call, so their entries share one operation id (R10.1).
//   - Any active member of an account in a group, staff included, may see the group ([Group]):
//     it shows only accounts of the member's own owner (R1.1). An account that left sees no
//     group; the accounts still in it see its leaving in the history.
//   - A sharing request has no actor; the host's request id travels in [Request.RequestID].
package sharing
