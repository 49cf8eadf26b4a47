package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/vetshare/vetshare"
)

// ApplicationID is the PRAGMA application_id of a vetshare database ("vets"). Open refuses a
// file that carries another.
const ApplicationID = 0x76657473

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

// migrate applies the scripts the database lacks, each in its own write transaction with the
// version re-read after the lock is taken, so two processes opening one file migrate it once.
func (s *Store) migrate(ctx context.Context) error {
	scripts, err := migrations()
	if err != nil {
		return err
	}
	for {
		done, err := s.migrateOne(ctx, scripts)
		if err != nil || done {
			return err
		}
	}
}

func (s *Store) migrateOne(ctx context.Context, scripts []string) (done bool, err error) {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return false, err
	}
	defer func() {
		if err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	var app, version int
	if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); err != nil {
		return false, err
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return false, err
	}
	if app == 0 && version == 0 {
		var tables int
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
			return false, err
		}
		if tables > 0 {
			return false, vetshare.Invalid("path", "the database holds another program's tables")
		}
	} else if app != ApplicationID {
		return false, vetshare.Invalid("path", fmt.Sprintf("not a vetshare database (application_id %#x)", app))
	}
	if version > len(scripts) {
		return false, vetshare.Invalid("path", fmt.Sprintf("the database is at schema version %d, newer than this library's %d", version, len(scripts)))
	}
	if version == len(scripts) {
		_, err := conn.ExecContext(ctx, "COMMIT")
		return true, err
	}
	if _, err := conn.ExecContext(ctx, scripts[version]); err != nil {
		return false, fmt.Errorf("sqlite: migration %d: %w", version+1, err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", ApplicationID, version+1)); err != nil {
		return false, err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return false, err
}
