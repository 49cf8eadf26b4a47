package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the migration scripts in order.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// SchemaVersion is the newest schema version this library knows: the number of its
// migration scripts.
func SchemaVersion() int {
	m, _ := migrations()
	return len(m)
}

// NewerSchemaError refuses a database that a newer version of vetshare has migrated: this
// library does not know its tables. It matches [vetshare.ErrInvalid].
type NewerSchemaError struct {
	Version   int // the database's schema version
	Supported int // the newest this library knows
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("the database was set up by a newer version of vetshare (schema %d; this version knows up to %d): upgrade the program", e.Version, e.Supported)
}

// Unwrap returns [vetshare.ErrInvalid].
func (e *NewerSchemaError) Unwrap() error { return vetshare.ErrInvalid }

// migrateLock is the key of the advisory lock under which vetshare migrates its schema.
const migrateLock = 0x76657473686172 // "vetshar"

// migrate brings the schema vetshare up to this version, in one transaction under an advisory
// lock, with the version re-read after the lock is taken: processes that open the database
// together migrate it once (R12.1).
func (s *Store) migrate(ctx context.Context) (err error) {
	scripts, err := migrations()
	if err != nil {
		return err
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return translate(ctx, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrateLock)); err != nil {
		return translate(ctx, err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, "SELECT to_regclass('vetshare.schema_version') IS NOT NULL").Scan(&exists); err != nil {
		return translate(ctx, err)
	}
	version, partitions := 0, s.partitions
	if exists {
		if err := tx.QueryRow(ctx, "SELECT version, partitions FROM vetshare.schema_version").Scan(&version, &partitions); err != nil {
			return translate(ctx, err)
		}
	}
	if version > len(scripts) {
		return &NewerSchemaError{Version: version, Supported: len(scripts)}
	}
	if version == len(scripts) {
		return translate(ctx, tx.Commit(ctx))
	}
	if !exists {
		var schema bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'vetshare')").Scan(&schema); err != nil {
			return translate(ctx, err)
		}
		if !schema {
			if _, err := tx.Exec(ctx, "CREATE SCHEMA vetshare"); err != nil {
				return fmt.Errorf("postgres: creating the schema vetshare: %w", translate(ctx, err))
			}
		}
		if _, err := tx.Exec(ctx, "CREATE TABLE vetshare.schema_version (version integer NOT NULL, partitions integer NOT NULL)"); err != nil {
			return translate(ctx, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO vetshare.schema_version (version, partitions) VALUES (0, $1)", partitions); err != nil {
			return translate(ctx, err)
		}
	}
	for ; version < len(scripts); version++ {
		if _, err := tx.Exec(ctx, scripts[version], pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("postgres: migration %d: %w", version+1, translate(ctx, err))
		}
		if err := partition(ctx, tx, partitions); err != nil {
			return fmt.Errorf("postgres: migration %d: %w", version+1, err)
		}
		if err := secure(ctx, tx); err != nil {
			return fmt.Errorf("postgres: migration %d: %w", version+1, err)
		}
		if step := goSteps[version+1]; step != nil {
			if err := step(ctx, tx); err != nil {
				return fmt.Errorf("postgres: migration %d: %w", version+1, err)
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE vetshare.schema_version SET version = $1", version+1); err != nil {
			return translate(ctx, err)
		}
	}
	return translate(ctx, tx.Commit(ctx))
}

// partition gives every partitioned table of the schema that has none its n hash partitions.
func partition(ctx context.Context, tx pgx.Tx, n int) error {
	rows, err := tx.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
		WHERE s.nspname = 'vetshare' AND c.relkind = 'p'
		AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid) ORDER BY c.relname`)
	if err != nil {
		return translate(ctx, err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return translate(ctx, err)
	}
	for _, t := range tables {
		for i := range n {
			q := fmt.Sprintf("CREATE TABLE vetshare.%s PARTITION OF vetshare.%s FOR VALUES WITH (MODULUS %d, REMAINDER %d)",
				pgx.Identifier{fmt.Sprintf("%s_p%d", t, i)}.Sanitize(), pgx.Identifier{t}.Sanitize(), n, i)
			if _, err := tx.Exec(ctx, q); err != nil {
				return translate(ctx, err)
			}
		}
	}
	return nil
}

// secure turns on row-level security, forced, on every table of the schema with an owner_id
// column that does not have it yet, but the routing table account_owners (read to learn the
// owner) (partitions are reached through their parent, whose
// policies apply): a row is seen and written only when its owner_id is the transaction's
// setting vetshare.owner. The role that migrates (the tables' owner) has a policy of its own
// that sees every row, for the function owner_of.
func secure(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
		WHERE s.nspname = 'vetshare' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND NOT c.relrowsecurity
		AND c.relname <> 'account_owners'
		AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'owner_id' AND NOT a.attisdropped)
		ORDER BY c.relname`)
	if err != nil {
		return translate(ctx, err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return translate(ctx, err)
	}
	for _, t := range tables {
		id := "vetshare." + pgx.Identifier{t}.Sanitize()
		for _, q := range []string{
			"ALTER TABLE " + id + " ENABLE ROW LEVEL SECURITY",
			"ALTER TABLE " + id + " FORCE ROW LEVEL SECURITY",
			"CREATE POLICY owner_only ON " + id + " USING (owner_id = current_setting('vetshare.owner', true)) WITH CHECK (owner_id = current_setting('vetshare.owner', true))",
			"CREATE POLICY migrator ON " + id + " TO CURRENT_USER USING (true) WITH CHECK (true)",
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return translate(ctx, err)
			}
		}
	}
	return nil
}
