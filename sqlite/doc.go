// Package sqlite is the embedded default [vetshare.Store], on modernc.org/sqlite (pure Go, no
// cgo).
//
// [Open] opens a database file with two pools: one write connection whose transactions begin
// IMMEDIATE, so a writer holds the write lock from its first statement and never fails to
// upgrade a read lock, and [ReadConns] read-only connections for [Store.View]. Every pragma
// (WAL journal, foreign keys, busy timeout, synchronous NORMAL, temp_store, mmap_size on the
// readers) is set in the DSN ([DSN]), so each pooled connection runs it when it opens. A transaction that finds another process
// holding the lock waits within its context's deadline (R11.3).
//
// # A guest in the host's file
//
// vetshare's tables, indexes and triggers are all named vetshare_… ([Prefix]); it never reads,
// changes or depends on anything else in the file: not the host's tables, not PRAGMA
// user_version or application_id (R12.1). [OpenDB] puts the store on a host's own pool and
// migrates beside the host's tables; [Open] does the same on a file path, and marks only a file
// that held nothing with vetshare's [ApplicationID].
//
// The schema is a list of embedded, numbered migration scripts, each applied in its own write
// transaction (BEGIN IMMEDIATE) with the version, kept in the table vetshare_schema, re-read
// after the lock is taken, so several processes opening one database migrate it once. A
// database migrated by a newer vetshare is refused with a [*NewerSchemaError]. A file of the
// layout vetshare used up to schema version 5 (its own file, unprefixed tables, the version in
// user_version) is moved into vetshare's names on the first open, without copying a row.
//
// # The host's transaction
//
// A host that keeps its own rows in the file runs vetshare's operations in its own *sql.Tx, so
// that both commit or roll back together (R12.2): [Store.Tx] gives the [*vetshare.Tx] for a
// write transaction begun on the store's pool, [Store.ViewTx] a read-only one. vetshare never
// commits or rolls it back. SQLite's one rule for it: a write transaction takes the write lock
// when it begins (_txlock=immediate, as [DSN](path, true) sets, or BEGIN IMMEDIATE). Store.Tx
// checks that at once, without waiting, and refuses a DEFERRED transaction that cannot take the
// lock with a [*DeferredTxError], which matches [vetshare.ErrInvalid]. [Store.Update] on a host's
// pool takes the write lock with its first statement, waiting for it, whatever the pool's DSN.
//
// # Indexes
//
// Every index serves a statement of the store, named in INDEXES.md beside this file;
// TestEveryIndexServesAStatement explains every statement the conformance suite runs and holds
// the list to the schema.
//
// # Settings and checkpoints
//
// Every connection keeps temporary B-trees in memory (temp_store MEMORY); the read connections
// map the file ([MmapSize]) so that they share its pages, which modernc.org/sqlite's separate
// page caches, emptied by every commit, do not. SQLite's automatic checkpoint runs inside the
// commit that takes the log past 1,000 pages, and that request pays for copying the log and
// syncing the file: [Open]'s write connection turns it off, and a checkpointer on a connection
// of its own, the one goroutine the package starts, runs a PASSIVE checkpoint at most every
// [CheckpointInterval] while commits come. Under writes that never pause none of those copies
// the whole log, which then never starts again: past [LogRestartSize] the checkpointer copies
// the rest on the write connection, between two writes, so that it does. [Store.Close] stops
// it and waits for it. A store on a host's pool ([OpenDB]) starts nothing: the host keeps
// SQLite's automatic checkpoints, or turns them off in its DSN and calls [Store.Checkpoint]
// from a job of its own.
//
// # Search keys by account
//
// The pair keys of each client (driver.ClientSearchKeys: n: and m:, the two names in each
// order, in which every name search is a range) are kept twice: by owner in
// vetshare_client_keys, and again for each account the client has an entry in, in
// vetshare_account_keys, so that what a front desk types in its clinic is one range of that
// clinic's keys (R2.3) rather than a range of the whole group's filtered clinic by clinic.
// Triggers on vetshare_client_entries and vetshare_client_keys keep the second table equal to
// the join of the first with the entries, whatever writes them; its cost is a few more rows for
// each entry a share or a new client writes (two for a client whose names are one word each).
// A search with many tiers is one statement, each tier an arm of a UNION ALL read until
// the page is full; statements keep under 32 parameters, past which SQLite prepared them again
// on every run.
//
// Some reads give what the operation asks for next, and the transaction keeps it: the actor's
// membership gives the actor's account and, in a write of the store's own, the owner's last
// audit entry (then Account and AppendAudit read nothing); an item gives its disable actions,
// kept until the next statement (then DisableActions reads nothing). The reads that check a
// member (ShareClientEntry, PatientWithClient and UsageFacts with a member, InvoiceFor) are
// the membership's read with more columns, and keep the same. UsageFacts is the one read of a
// usage: the patient, its client, the item with its disable actions, the open reminders of the
// usage's targets (as a JSON array) and whether a usage was given after it.
//
// Times are stored as INTEGER microseconds since the Unix epoch, UTC. Statements are prepared
// once per connection and reused.
package sqlite
