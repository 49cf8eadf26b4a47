// Package duplicates finds, decides about and merges clients of one owner that are the same
// person (SPEC section 13).
//
// # Rules
//
// R13.1 Match. [Score] is the pure rule: two [Profile] values in, a [Result] out — a score from
// 0 to 100, a [Grade] ([GradeMatch], [GradePossible] or none) and the fields that agree. A host
// can call it on its own data. The readings chosen:
//
//   - Names are folded (case, accents) and compared without punctuation or spaces, so O'Brien,
//     OBrien and o brien agree. Common variants count: an initial for a first name, the first
//     and last names swapped, one typing mistake (a letter changed, added, dropped or two
//     neighbours swapped) in a name of 5 letters or more.
//   - A phone agrees on its last 7 digits, in any format; an email lower-cased; an address
//     folded word for word; patients by name, then species and birth date.
//   - Weights: last name 30 (22 with a typo, 45 with first swapped), first name 20 (14 with a
//     typo, 8 as an initial), phone 30, email 35, address 15, a patient's name 12, its species
//     3, its birth date 8. A match needs 70 and the first names agreeing, so two people of one
//     family at one phone and address are only possible; possible needs 45.
//   - A married name (a new last name) with the same phone and email is a match; with the
//     phone only it is possible, as is the same name at a changed phone without an email:
//     the front desk is shown them, never told.
//
// [Find] and [FindFor] list, best first, the clients of the actor's account and of its group
// that may be the same person as a client or as a profile about to be created. They never
// compare every pair: the candidates come from blocking keys ([Blocks]: the last name, the
// names swapped, the last 7 digits of the phone, the email) probed on the owner's search-key
// index, at most 50 clients a key. The group-wide report, for the day a group starts sharing,
// is in two steps. [Scan] reads the owner's search keys in key order, a batch per transaction,
// resumable, and compares the clients within each block (one email, one phone's last 7 digits,
// one last and first name; at most 50 a block), storing the pairs graded. [Report] then pages
// through the stored pairs best first with [vetshare.Page], one range read a page whatever the
// size of the group, showing each account only the pairs whose clients it may see, graded
// again on the clients as they are. The reading chosen: the SPEC asks for every likely pair,
// best first and paged; ordering by score is known only once every pair is scored, so the
// scoring is done once by the scan instead of again for every page (at a million clients, a
// page that matched every client again took tens of minutes). Clients created since the scan
// are checked as they are created, and by the next scan. records.CreateClientChecked refuses, with a
// *records.LikelyDuplicateError, to create a client that Score grades a match with one the
// account or its group has, so the host can offer to open or share it instead;
// records.CreateClient never checks and is the host's "create anyway".
//
// R13.2 Decisions. [DecideNotSame] keeps, with who decided and why, that two clients are not
// the same person; Find and Report never propose that pair again. A pair is decided once.
//
// R13.3 and R13.4 Merge. [PreviewMerge] shows what [Merge] will do; Merge does it,
// irreversibly: every account keeps its entry and number (an account that held both keeps the
// survivor's, and the merged-away number stands for it, and is never given again); patients,
// records, invoices, payments, reminders and tasks follow the survivor; balances stay per
// account; the merged-away client is kept as replaced, and its id and numbers resolve to the
// survivor. It needs an active admin or owner of every account that holds either client, and
// is audited with both profiles.
//
// R13.5 Patients. [PreviewPatientMerge] and [MergePatients] merge two patients of one client
// that are the same animal, the same way: records (usages among them), reminders and tasks
// follow the survivor into one history (an open reminder of the merged-away patient for an
// item and kind the survivor has open too is withdrawn, so one stays open); the merged-away
// patient is kept as replaced and its id resolves to the survivor in records.Patient; it needs
// an admin or owner of every account that holds the client, and is audited with both patients.
package duplicates
