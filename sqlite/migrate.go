package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/vetshare/vetshare"
)

// ApplicationID is the PRAGMA application_id that [Open] gives a file it creates ("vets"), so
// that tools can tell it is vetshare's. vetshare never sets it on a file that held anything
// before, never reads it to decide whether a file may be used, and never touches it on a host's
// database ([OpenDB]) (R12.1).
const ApplicationID = 0x76657473

// Prefix starts the name of every table, index and trigger vetshare creates: it keeps nothing
// outside them (R12.1).
const Prefix = "vetshare_"

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrations returns the embedded scripts in order; file names start with their version.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	scripts := make([]string, 0, len(names))
	for i, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("sqlite: migration %s is out of sequence", base)
		}
		b, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		scripts = append(scripts, string(b))
	}
	return scripts, nil
}

// SchemaVersion is the schema version this library migrates to.
func SchemaVersion() int {
	m, _ := migrations()
	return len(m)
}

// NewerSchemaError refuses a database that a newer vetshare has migrated: this library does not
// know its tables. It matches [vetshare.ErrInvalid].
type NewerSchemaError struct {
	Version   int // the database's schema version
	Supported int // the newest this library knows, [SchemaVersion]
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("the database was set up by a newer version of vetshare (schema %d; this version knows up to %d): upgrade the program", e.Version, e.Supported)
}

// Unwrap returns [vetshare.ErrInvalid].
func (e *NewerSchemaError) Unwrap() error { return vetshare.ErrInvalid }

// legacyVersion is the last schema version kept in PRAGMA user_version, with unprefixed tables,
// before vetshare moved into its own names and version table.
const legacyVersion = 5

// migrate applies the scripts the database lacks, each in its own write transaction with the
// version re-read after the lock is taken, so two processes opening one database migrate it
// once (R12.1). mark is set for a file of the store's own ([Open]): a file that held nothing
// gets the [ApplicationID].
func (s *Store) migrate(ctx context.Context, mark bool) error {
	scripts, err := migrations()
	if err != nil {
		return err
	}
	for {
		done, err := s.migrateOne(ctx, scripts, mark)
		if err != nil || done {
			return err
		}
	}
}

func (s *Store) migrateOne(ctx context.Context, scripts []string, mark bool) (done bool, err error) {
	var conn *sql.Conn
	err = retryBusy(ctx, func() error { // opening runs the DSN's pragmas: the switch to WAL may find the file busy
		conn, err = s.write.Conn(ctx)
		return err
	})
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if err := s.beginImmediate(ctx, conn); err != nil {
		return false, err
	}
	defer func() {
		if err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	version, err := schemaVersion(ctx, conn)
	if err != nil {
		return false, err
	}
	if version < 0 { // vetshare's tables of the legacy layout: move them into vetshare's names
		if version, err = adoptLegacy(ctx, conn); err != nil {
			return false, fmt.Errorf("sqlite: moving the tables into vetshare's names: %w", err)
		}
	}
	if version > len(scripts) {
		return false, &NewerSchemaError{Version: version, Supported: len(scripts)}
	}
	if version == len(scripts) {
		_, err := conn.ExecContext(ctx, "COMMIT")
		return true, err
	}
	if version == 0 {
		if mark {
			if err := markFile(ctx, conn); err != nil {
				return false, err
			}
		}
		if _, err := conn.ExecContext(ctx, "CREATE TABLE vetshare_schema (version INTEGER NOT NULL) STRICT; INSERT INTO vetshare_schema (version) VALUES (0)"); err != nil {
			return false, err
		}
	}
	if _, err := conn.ExecContext(ctx, scripts[version]); err != nil {
		return false, fmt.Errorf("sqlite: migration %d: %w", version+1, err)
	}
	if step := goSteps[version+1]; step != nil {
		if err := step(ctx, conn); err != nil {
			return false, fmt.Errorf("sqlite: migration %d: %w", version+1, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "UPDATE vetshare_schema SET version = ?", version+1); err != nil {
		return false, err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return false, err
}

// beginImmediate takes the write lock on conn, retrying while another process holds it and ctx
// allows (R11.3).
func (s *Store) beginImmediate(ctx context.Context, conn *sql.Conn) error {
	return retryBusy(ctx, func() error {
		_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
		return err
	})
}

// schemaVersion reads vetshare's schema version: from its own table; 0 when the database has
// none of vetshare's tables (a new file, or a host's database vetshare has not yet moved into);
// -1 for vetshare's legacy layout, recognised by its application id and user_version on a file
// vetshare created.
func schemaVersion(ctx context.Context, conn *sql.Conn) (int, error) {
	var n int
	err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'vetshare_schema'").Scan(&n)
	if err != nil {
		return 0, err
	}
	if n == 1 {
		var v int
		err := conn.QueryRowContext(ctx, "SELECT version FROM vetshare_schema").Scan(&v)
		return v, err
	}
	var app, user int
	if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); err != nil {
		return 0, err
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&user); err != nil {
		return 0, err
	}
	if app == ApplicationID && user > 0 {
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'owners'").Scan(&n); err != nil {
			return 0, err
		}
		if n == 1 {
			return -1, nil
		}
	}
	return 0, nil
}

// markFile gives a file that holds nothing yet vetshare's application id. A file with anything
// in it is left as it is.
func markFile(ctx context.Context, conn *sql.Conn) error {
	var n, app int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return err
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); err != nil {
		return err
	}
	if n > 0 || app != 0 {
		return nil
	}
	_, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", ApplicationID))
	return err
}

// legacyTables are the tables of the legacy layout, which vetshare created in a file of its own.
var legacyTables = [...]string{"owners", "accounts", "users", "memberships", "share_groups", "group_members",
	"clients", "client_entries", "patients", "records", "audit_log", "items", "stock_movements",
	"disable_actions", "reminders", "invoices", "invoice_lines", "payments", "balances", "contacts", "tasks"}

// adoptLegacy moves a database of the legacy layout (schema versions 1 to 5 kept in
// user_version, unprefixed names) into vetshare's names without copying a row: each table is
// renamed (SQLite rewrites the foreign keys, indexes and triggers that refer to it), each index
// and trigger is made again under its prefixed name, and the version moves into
// vetshare_schema. It returns that version.
func adoptLegacy(ctx context.Context, conn *sql.Conn) (int, error) {
	var version int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, err
	}
	if version > legacyVersion {
		return 0, &NewerSchemaError{Version: version, Supported: legacyVersion}
	}
	for _, t := range legacyTables {
		var n int
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", t).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			continue // not yet created at this version
		}
		if _, err := conn.ExecContext(ctx, `ALTER TABLE "`+t+`" RENAME TO "`+Prefix+t+`"`); err != nil {
			return 0, err
		}
	}
	type object struct{ kind, name, sql string }
	var objects []object
	rows, err := conn.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_schema
		WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND name NOT LIKE 'vetshare\_%' ESCAPE '\' AND tbl_name LIKE 'vetshare\_%' ESCAPE '\'`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.kind, &o.name, &o.sql); err != nil {
			rows.Close()
			return 0, err
		}
		objects = append(objects, o)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, err
	}
	for _, o := range objects {
		i := strings.Index(o.sql, o.name)
		if i < 0 {
			return 0, fmt.Errorf("%s %s: its name is not in its definition", o.kind, o.name)
		}
		create := o.sql[:i] + Prefix + o.sql[i:]
		if _, err := conn.ExecContext(ctx, "DROP "+strings.ToUpper(o.kind)+` "`+o.name+`"`); err != nil {
			return 0, err
		}
		if _, err := conn.ExecContext(ctx, create); err != nil {
			return 0, err
		}
	}
	_, err = conn.ExecContext(ctx, "CREATE TABLE vetshare_schema (version INTEGER NOT NULL) STRICT; INSERT INTO vetshare_schema (version) VALUES (?)", version)
	return version, err
}
