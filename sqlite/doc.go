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
// The schema is a list of embedded, numbered migration scripts, each applied in its own write
// transaction with the version (PRAGMA user_version) re-read after the lock is taken. A file
// whose application_id is not vetshare's, or whose schema is newer than this library's, is
// refused. [OpenDB] puts the store on a host's own pool instead.
//
// Times are stored as INTEGER microseconds since the Unix epoch, UTC. Statements are prepared
// once per connection and reused.
package sqlite
