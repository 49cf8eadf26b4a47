// Package postgres is the PostgreSQL [vetshare.Store], for vendors that host many clinic groups
// on one server and, past one server, on a distributed PostgreSQL (Citus) sharded by owner. It
// lives in its own module, so that a host using SQLite only never has pgx in its module graph.
//
//	s, err := postgres.Open(ctx, "postgres://app@db/practice")  // or OpenPool(ctx, hostPool)
//	err = s.Update(ctx, func(tx *vetshare.Tx) error { ... })     // or vt, _ := s.Tx(ctx, hostTx)
//
// # A guest in the host's database
//
// vetshare's tables live in the schema vetshare, beside the host's (R12.1); its schema version
// is kept in vetshare.schema_version, with the partition count chosen when the schema was made.
// [Open] and [OpenPool] migrate in one transaction under pg_advisory_xact_lock, re-reading the
// version after the lock is taken, so processes that open the database together migrate it
// once; a database migrated by a newer vetshare is refused with a [*NewerSchemaError].
// [Store.Tx] runs operations inside a host's pgx.Tx (R12.2) and never commits or rolls it back.
//
// # Shaped for distribution by owner
//
// Sharing never crosses owners, so the owner is the distribution key. Every per-owner table
// (owners, accounts, counters, share_groups, group_members, clients, client_entries, patients,
// records, audit_log, items, stock_movements, disable_actions, reminders, usage_targets,
// invoices, invoice_lines, payments, balances, contacts, tasks) carries owner_id first in its
// primary key and in every unique constraint, refers to other per-owner rows by foreign keys
// that include owner_id, and is PARTITION BY HASH (owner_id) into [WithPartitions] partitions
// (default [DefaultPartitions]; the count is fixed when the schema is first created).
//
// Three tables are not per owner; Citus would make them reference tables:
//
//   - users: one person may work at clinics of several owners (a locum); a user is not an
//     owner's.
//   - memberships: a user's memberships span owners ([driver.Tx] Memberships lists them all
//     in one read).
//   - account_owners: the routing table, account id to owner id. It is small, read once per
//     transaction, and written only when an account is made. It has no row-level security.
//
// Every statement the driver issues on a per-owner table filters by owner_id = $1, so it
// touches one partition (one shard under Citus). A transaction learns its owner from the first
// account or owner a statement names: an operation begins by reading the actor's membership
// (ActorMembership), or by a read that checks it in its own statement (driver.RecordQuery.Member,
// driver.ClientSearch.Member, joining the reference tables memberships and users); either names
// the actor's account, whose owner comes from account_owners (once per transaction).
// Statements that name a thing by its id alone (an invoice, a task) run under that owner. Only
// when a transaction has no owner yet, or has worked for several (the conformance suite does;
// operations do not), is the owner of such a thing found by vetshare.owner_of, a
// SECURITY DEFINER function that probes each partition's primary key: the one statement that
// is not routed.
//
// Numbers without gaps or duplicates: client and invoice numbers come from a counter row per
// account (vetshare.counters), taken by INSERT ... ON CONFLICT DO UPDATE SET value = value + 1
// RETURNING value in the very statement that inserts the entry or invoice. The row stays locked
// until the transaction ends, so writers of one account take numbers one after the other, a
// rolled-back transaction gives its number back, and writers of other accounts, and of other
// owners, never wait on each other. The audit chain takes its sequence from the owner's counter
// the same way. A record's recording sequence (R12.4) comes from the sequence vetshare.seq,
// which only grows.
//
// Times are bigint microseconds since the Unix epoch, UTC (NULL where unset): the precision of
// [vetshare.Time], exactly what SQLite stores, compared and ordered as integers, with no time
// zone conversion on the way in or out.
//
// For a Citus cluster (not tested here: this package is tested on PostgreSQL 15 with local
// hash partitioning only), after the migrations:
//
//	SELECT create_reference_table('vetshare.users');
//	SELECT create_reference_table('vetshare.account_owners');
//	SELECT create_reference_table('vetshare.memberships');
//	SELECT create_distributed_table('vetshare.owners', 'owner_id');
//	SELECT create_distributed_table('vetshare.' || t, 'owner_id', colocate_with => 'vetshare.owners')
//	FROM unnest(ARRAY['counters', 'accounts', 'share_groups', 'group_members', 'clients',
//		'client_entries', 'patients', 'records', 'audit_log', 'items', 'stock_movements',
//		'disable_actions', 'reminders', 'usage_targets', 'invoices', 'invoice_lines', 'payments',
//		'balances', 'contacts', 'tasks']) AS t;
//
// in the order of the foreign keys (owners first). Citus would also need vetshare.seq replaced
// by a per-owner counter, and owner_of, which reads every shard, is best kept off the hot path
// (operations never call it). The partition test of this package proves that every statement
// of a conformance run touches one partition of each table it reads; that is what Citus needs
// to route it to one shard.
//
// # Row-level security as a second wall
//
// Every per-owner table has ENABLE and FORCE ROW LEVEL SECURITY and a policy
// owner_id = current_setting('vetshare.owner', true), for reading and for writing. The driver
// sets vetshare.owner with set_config(..., true), local to the transaction, whenever its owner
// changes; a statement that forgot its owner filter still sees nothing of another owner. The
// application role must be neither the tables' owner nor BYPASSRLS (and not a superuser), or
// the policies do not apply to it: run the migrations (Open once) as an owner role, grant the
// application role USAGE on the schema, SELECT, INSERT, UPDATE, DELETE on its tables, USAGE on
// its sequence and EXECUTE on its functions, and connect as it. The migrating role has a policy
// of its own that sees every row (owner_of runs as it). The wall guards against the driver's
// own mistakes, not against a hostile application: any role may set vetshare.owner.
//
// # Concurrency and errors
//
// [Store.Update] runs READ COMMITTED and retries a serialization failure or a deadlock
// (SQLSTATE 40001, 40P01) up to [WithRetries] times: its function may run more than once. In
// a host's transaction the same failure is a [*RetryError] (it matches [vetshare.ErrConflict]):
// roll back and run the whole transaction again. [Store.View] is REPEATABLE READ, READ ONLY.
// Each write runs inside a savepoint, so that a refused write (an id taken) leaves the
// transaction usable, as the driver contract requires. Errors are translated by SQLSTATE: 23505
// is a [*vetshare.ConflictError], 23503 a [*vetshare.NotFoundError], 23514 and 23502 a
// [*vetshare.InvalidError], 25006 an error matching [vetshare.ErrNotPermitted]; anything else
// is a [*StoreError] whose message gives the SQLSTATE and not PostgreSQL's text. A cancelled
// context rolls the transaction back and returns an error matching context.Canceled.
//
// # Testing
//
// The tests run against a real server when VETSHARE_PG_DSN (the application role) and
// VETSHARE_PG_OWNER_DSN (the owner role, which may create databases) are set, and skip with a
// message otherwise. .ci/postgres starts a throwaway server (installing PostgreSQL with apt-get
// when absent, running initdb as the postgres user, listening on a unix socket in a temp dir)
// and prints both:
//
//	eval "$(.ci/postgres start)"
//	go test ./postgres/...
//	.ci/postgres stop "$VETSHARE_PG_DIR"
//
// Package [github.com/vetshare/vetshare/postgres/pgtest] gives any test a store on a database of
// its own, a copy of a template migrated once per test binary. vetshare's domain packages and
// its reliability suite run on PostgreSQL through it when built with -tags vetshare_pg:
//
//	go test -tags vetshare_pg ./accounts/... ./records/... ./reliability/... # and the others
//
// The choice of store is made by a hook in vetshare's internal/testengine, which vetsharetest
// calls and internal/pgengine (built only with the tag) sets; each tested package has a
// tagged pg_test.go that imports pgengine. The import of this module is thus in vetshare's own
// internal packages and test files only, never in a package a host imports: go mod tidy reads
// files of every build tag, and an import of this module from vetsharetest, even behind a tag,
// would make a host's go mod tidy add this module (and pgx) to the host's go.mod. The cost
// falls on vetshare's developers: go mod tidy in the root module cannot resolve the tagged
// import (go.work does not apply to tidy) and must be run as go mod tidy -e, which leaves the
// root go.mod without this module, as it must stay; .ci/run checks that it does. Tests that
// read SQLite's own tables or file (listed in RELIABILITY.md) skip on PostgreSQL.
package postgres
