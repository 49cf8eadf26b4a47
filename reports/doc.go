// Package reports makes the six client reports of an account (R8): New Clients, New Engaged
// Clients, Active Client List, Active Engaged Clients, Inactive Client List and Lapsed Clients.
// Each lists the account's own client entries (R8.1) with the account's client number, the
// client's name and contact details, the dates that put the client in the report and, where the
// account takes part in record sharing, the client's home location (R8.3).
//
// [Open] checks the actor and the parameters and returns a [Report]; [Report.Rows] is an
// iterator and [Report.Each] a callback over its rows, read from the store one at a time, so a
// report of 100,000 clients never sits in memory; [Report.WriteCSV] (or [WriteCSV] in one call)
// writes it as CSV with a header. A report is read inside the host's transaction
// (store.View), which gives it one consistent snapshot.
//
// # Rules
//
// The rules are pure functions on plain values: [ReportBounds] turns the parameters into
// instants in the account's time zone, [Includes] decides whether a client entry belongs in a
// report from its facts, [Query] says which entries and facts the store reads, [Columns] gives
// the CSV header.
//
//   - R8.2 visit: a record added at this account for one of the client's patients, or an
//     invoice of this account for the client, at its issue time. A removed record (R5.3) is not
//     a visit, nor is a void invoice, nor anything done at another account: a client shared by
//     two clinics is in each clinic's reports by that clinic's own visits.
//   - R8.2 New Clients: the account's client entries created in the period (entry creation,
//     whether the client was created there or shared to it). New Engaged Clients: new clients
//     with an invoice of this account that became fully paid in the period (its paid_at).
//   - R8.2 Active Client List: a visit in the active window before the as-of date (18 months).
//     Active Engaged Clients: active clients with an invoice of this account that became paid in
//     the engaged window (12 months). Inactive Client List: no visit in the active window,
//     including clients never seen. Lapsed Clients: the last visit up to the as-of date is in the
//     lapsed window (between 18 and 12 months before).
//   - R8.3, R2.10: rows carry the client's home location (account id and name) when the account
//     is, or was, in a share group; otherwise there is no home location column at all.
//
// # Readings
//
// Where R8 leaves room, this package reads it so:
//
//   - Days are calendar days in the account's time zone ([vetshare.Account.TimeZone]). The
//     period runs from the first instant of its first day to the end of its last day, both
//     included. Where a daylight-saving change skips midnight, a day starts at the change.
//   - "N months before the as-of date" counts calendar months with [time.Time.AddDate]: the
//     window starts at the first instant of the day N months before the as-of date (a missing
//     day overflows: 31 August less 18 months is 3 March) and ends with the as-of date itself.
//     A visit exactly 18 months before is inside; so is a visit on the as-of date.
//   - Lapsed is "within 18 months but not within 12": a last visit exactly 18 months before is
//     lapsed, exactly 12 months before is not. So Lapsed Clients are always Active Clients, and
//     Active and Inactive split the account's entries.
//   - The as-of reports look at the account as it was at the end of the as-of date: entries
//     created later are left out, and visits and payments after it do not count. Removals and
//     voids are read as they are now (a removed record was a mistake all along).
//   - A zero as-of date is the day of the transaction in the account's time zone. The period has
//     no default: the "new" reports refuse a missing one.
//   - Every window is a parameter ([vetshare.ReportParams]); the lapsed window has both edges
//     as parameters. Windows are 1 to 1,200 months.
//   - Any active member of the account may run its reports ([accounts.Check]).
//   - Rows come by client number; the "new" reports by entry creation time, then number.
//   - CSV dates are days (2006-01-02) in the account's time zone; the home location is given as
//     the account's name and id.
package reports
