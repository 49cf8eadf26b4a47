// Package sqlite is the embedded default [vetshare.Store], on modernc.org/sqlite (pure Go, no
// cgo).
//
// [Open] opens a database file with two pools: one write connection whose transactions begin
// IMMEDIATE, so a writer holds the write lock from its first statement and never fails to
// upgrade a read lock, and [ReadConns] read-only connections for [Store.View]. Every pragma
// (WAL journal, foreign keys, busy timeout, synchronous NORMAL) is set in the DSN ([DSN]), so
// each pooled connection runs it when it opens. A transaction that finds another process
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
// Times are stored as INTEGER microseconds since the Unix epoch, UTC. Statements are prepared
// once per connection and reused.
package sqlite
