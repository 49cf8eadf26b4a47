package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sqlite"
	"github.com/vetshare/vetshare/vetsharetest"
)

// hostFile makes a host program's database at path: its own tables (one of them named as a
// table of vetshare's would be without the prefix), rows, user_version 7 and application_id 42.
func hostFile(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"PRAGMA user_version = 7",
		"PRAGMA application_id = 42",
		"CREATE TABLE appointments (id INTEGER PRIMARY KEY, patient TEXT NOT NULL, at TEXT NOT NULL)",
		"CREATE INDEX appointments_at ON appointments (at)",
		"CREATE TABLE clients (id TEXT PRIMARY KEY, name TEXT)",
		"CREATE TRIGGER clients_upper AFTER INSERT ON clients BEGIN UPDATE clients SET name = upper(name) WHERE id = NEW.id; END",
		"INSERT INTO appointments (patient, at) VALUES ('Scooby', '2026-03-01 10:00'), ('Rex', '2026-03-02 11:00')",
		"INSERT INTO clients (id, name) VALUES ('h-1', 'shaggy')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// hostState is everything of the host's in a database: its schema objects and rows, and the two
// pragmas.
func hostState(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	var user, app int
	if err := db.QueryRow("PRAGMA user_version").Scan(&user); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA application_id").Scan(&app); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "user_version %d, application_id %d\n", user, app)
	rows, err := db.Query(`SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'vetshare\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var typ, name string
		var q sql.NullString
		if err := rows.Scan(&typ, &name, &q); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s: %s\n", typ, name, q.String)
	}
	rows.Close()
	for _, q := range []string{"SELECT id || ' ' || patient || ' ' || at FROM appointments ORDER BY id", "SELECT id || ' ' || name FROM clients ORDER BY id"} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, s)
		}
		rows.Close()
	}
	return b.String()
}

// R12.1: vetshare lives in the host's own file beside the host's tables, under its own names: a
// file with the host's tables (one named "clients"), user_version 7 and application_id 42 keeps
// all of that untouched through OpenDB, the migrations, use, a second open and Open.
func TestR12_1HostFileKeepsItsOwnTablesAndPragmas(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "practice.db")
	hostFile(t, path)
	db, err := sql.Open("sqlite", sqlite.DSN(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before := hostState(t, db)

	for range 2 { // the second open finds the schema migrated and changes nothing
		s, err := sqlite.OpenDB(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		vs := &vetsharetest.Store{Store: s, Clock: vetshare.NewTickClock(vetsharetest.Start()), Path: path}
		p := vs.NewPractice(t, 2, vetshare.ModeAutomatic)
		vs.Client(t, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
		s.Close()
	}
	if d := cmp.Diff(before, hostState(t, db)); d != "" {
		t.Errorf("the host's database changed (-before +after):\n%s", d)
	}
	var version int
	if err := db.QueryRow("SELECT version FROM vetshare_schema").Scan(&version); err != nil || version != sqlite.SchemaVersion() {
		t.Errorf("vetshare_schema: %d, %v; want %d", version, err, sqlite.SchemaVersion())
	}
	var foreign int
	err = db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'vetshare\_%' ESCAPE '\'
		AND name NOT IN ('appointments', 'appointments_at', 'clients', 'clients_upper') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&foreign)
	if err != nil || foreign != 0 {
		t.Errorf("%d schema objects outside vetshare's names (%v)", foreign, err)
	}

	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of the host's file: %v", err)
	}
	s.Close()
	if d := cmp.Diff(before, hostState(t, db)); d != "" {
		t.Errorf("Open changed the host's database (-before +after):\n%s", d)
	}
}

// R12.1: a file vetshare creates for itself is marked with its application id; one that held
// anything before is not.
func TestR12_1OpenMarksOnlyItsOwnNewFile(t *testing.T) {
	ctx := context.Background()
	s, path := MustOpen(t)
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var app int
	if err := db.QueryRow("PRAGMA application_id").Scan(&app); err != nil || app != sqlite.ApplicationID {
		t.Errorf("application_id of a new file = %#x, %v; want %#x", app, err, sqlite.ApplicationID)
	}
	other := filepath.Join(t.TempDir(), "notes.db")
	odb, _ := sql.Open("sqlite", other)
	defer odb.Close()
	if _, err := odb.Exec("CREATE TABLE notes (x TEXT)"); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := odb.QueryRow("PRAGMA application_id").Scan(&app); err != nil || app != 0 {
		t.Errorf("application_id of a file that held a table = %#x, %v; want 0", app, err)
	}
}

// R12.1, R11.3: several pools opening one new host file at the same moment migrate it once: every
// open succeeds and the schema is made once.
func TestR12_1ConcurrentOpensMigrateOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "practice.db")
	hostFile(t, path)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := sql.Open("sqlite", sqlite.DSN(path, true))
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			s, err := sqlite.OpenDB(ctx, db)
			if err != nil {
				errs <- err
				return
			}
			s.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("open: %v", err)
	}
	db, _ := sql.Open("sqlite", path)
	defer db.Close()
	var rows, version int
	if err := db.QueryRow("SELECT count(*), max(version) FROM vetshare_schema").Scan(&rows, &version); err != nil || rows != 1 || version != sqlite.SchemaVersion() {
		t.Errorf("vetshare_schema: %d rows at version %d (%v)", rows, version, err)
	}
}

// R12.1: a database a newer vetshare migrated is refused with a typed error, on a host's pool as
// on a file of vetshare's own.
func TestR12_1NewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "practice.db")
	hostFile(t, path)
	db, _ := sql.Open("sqlite", sqlite.DSN(path, true))
	defer db.Close()
	s, err := sqlite.OpenDB(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := db.Exec("UPDATE vetshare_schema SET version = version + 1"); err != nil {
		t.Fatal(err)
	}
	_, err = sqlite.OpenDB(ctx, db)
	var newer *sqlite.NewerSchemaError
	if !errors.As(err, &newer) || !errors.Is(err, vetshare.ErrInvalid) || newer.Version != sqlite.SchemaVersion()+1 {
		t.Errorf("OpenDB of a newer schema: %v", err)
	}
}
