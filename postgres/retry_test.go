package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/postgres"
)

// rename renames owner o in tx, which locks its row until tx ends.
func rename(ctx context.Context, tx *vetshare.Tx, o vetshare.OwnerID, name string) error {
	d := txn.D(tx)
	own, err := d.Owner(ctx, o)
	if err != nil {
		return err
	}
	own.Name = name
	return d.UpdateOwner(ctx, own)
}

// Update retries a deadlock (40P01): two transactions lock two owners' rows in opposite orders;
// PostgreSQL ends one of them, and Update runs its function again, which then succeeds. Both
// commit, and the function of one of them ran twice.
func TestUpdateRetriesDeadlock(t *testing.T) {
	s := MustOpen(t)
	x, y := newWorld(t, s), newWorld(t, s)
	ctx := context.Background()
	var runs atomic.Int32
	var locked sync.WaitGroup
	locked.Add(2)
	first := [2]atomic.Bool{}
	writer := func(i int, a, b vetshare.OwnerID) error {
		return s.Update(ctx, func(tx *vetshare.Tx) error {
			runs.Add(1)
			if err := rename(ctx, tx, a, fmt.Sprint("first by ", i)); err != nil {
				return err
			}
			if !first[i].Swap(true) {
				locked.Done()
				locked.Wait() // both hold their first row: each now waits for the other's
			}
			return rename(ctx, tx, b, fmt.Sprint("second by ", i))
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- writer(0, x.owner, y.owner) }()
	go func() { errs <- writer(1, y.owner, x.owner) }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("Update after a deadlock: %v, want it retried and done", err)
		}
	}
	// At least one run again after the deadlock. Both waited from about the same moment, and
	// when both backends' deadlock checks run before either aborts, PostgreSQL ends both: then
	// both run again, 4 runs, both still committed once.
	if n := runs.Load(); n != 3 && n != 4 {
		t.Errorf("the functions ran %d times, want 3 or 4 (again after the deadlock)", n)
	}
}

// With retries off, the same deadlock is returned as a *RetryError matching ErrConflict.
func TestUpdateWithoutRetriesReturnsRetryError(t *testing.T) {
	s := MustOpen(t, postgres.WithRetries(0))
	x, y := newWorld(t, s), newWorld(t, s)
	ctx := context.Background()
	var locked sync.WaitGroup
	locked.Add(2)
	writer := func(i int, a, b vetshare.OwnerID) error {
		return s.Update(ctx, func(tx *vetshare.Tx) error {
			if err := rename(ctx, tx, a, "a"); err != nil {
				return err
			}
			locked.Done()
			locked.Wait()
			return rename(ctx, tx, b, "b")
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- writer(0, x.owner, y.owner) }()
	go func() { errs <- writer(1, y.owner, x.owner) }()
	var failed int
	for range 2 {
		err := <-errs
		if err == nil {
			continue
		}
		failed++
		var re *postgres.RetryError
		if !errors.As(err, &re) || re.Code != "40P01" || !errors.Is(err, vetshare.ErrConflict) {
			t.Errorf("the deadlocked Update: %v (%T), want a *RetryError with code 40P01 matching ErrConflict", err, err)
		}
	}
	if failed != 1 {
		t.Errorf("%d of the two deadlocked Updates failed, want 1", failed)
	}
}

// In a host's transaction a serialization failure (40001) is a *RetryError matching
// vetshare.ErrConflict: the host's REPEATABLE READ transaction reads an owner, another
// transaction changes it and commits, and the host's write of it cannot be serialized. After
// rolling back, the host's transaction run again succeeds.
func TestHostTxSerializationFailureIsRetryError(t *testing.T) {
	s := MustOpen(t)
	w := newWorld(t, s)
	ctx := context.Background()
	attempt := func(interfere bool) error {
		tx, err := s.Pool().BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		vt, err := s.Tx(ctx, tx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := txn.D(vt).Owner(ctx, w.owner); err != nil { // the snapshot is taken here
			t.Fatal(err)
		}
		if interfere {
			if err := s.Update(ctx, func(tx *vetshare.Tx) error { return rename(ctx, tx, w.owner, "Other") }); err != nil {
				t.Fatal(err)
			}
		}
		if err := rename(ctx, vt, w.owner, "Host"); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	err := attempt(true)
	var re *postgres.RetryError
	if !errors.As(err, &re) || re.Code != "40001" {
		t.Fatalf("a write that cannot be serialized in a host's transaction: %v (%T), want a *RetryError with code 40001", err, err)
	}
	if !errors.Is(err, vetshare.ErrConflict) {
		t.Errorf("the *RetryError %v does not match vetshare.ErrConflict", err)
	}
	if err := attempt(false); err != nil {
		t.Errorf("the host's transaction run again: %v", err)
	}
}

// freshDB returns the name of a new empty database, dropped when the test ends.
func freshDB(t *testing.T) string {
	t.Helper()
	skipWithoutPG(t)
	ctx := context.Background()
	name := fmt.Sprintf("vetshare_fresh_%d_%d", os.Getpid(), dbCounter.Add(1))
	admin, err := pgx.Connect(ctx, ownerDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin, err := pgx.Connect(ctx, ownerDSN)
		if err != nil {
			return
		}
		defer admin.Close(ctx)
		admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)")
	})
	return name
}

// 8 processes opening a fresh database at once migrate it once: every Open succeeds, and the
// schema has one version row, at the newest version, and each per-owner table its partitions
// once.
func TestConcurrentOpensMigrateOnce(t *testing.T) {
	db := freshDB(t)
	dsn := dsnFor(t, ownerDSN, db)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			s, err := postgres.Open(ctx, dsn, postgres.WithPartitions(4))
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d of 8 at once: %v", i, err)
		}
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, version, partitions int
	if err := conn.QueryRow(ctx, "SELECT count(*), max(version), max(partitions) FROM vetshare.schema_version").Scan(&rows, &version, &partitions); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || version != postgres.SchemaVersion() || partitions != 4 {
		t.Errorf("schema_version: %d rows, version %d, %d partitions; want 1 row, version %d, 4 partitions", rows, version, partitions, postgres.SchemaVersion())
	}
	var n int
	err = conn.QueryRow(ctx, `SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
		JOIN pg_namespace s ON s.oid = p.relnamespace WHERE s.nspname = 'vetshare' AND p.relname = 'clients'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("clients has %d partitions, want 4", n)
	}
}

// A database migrated by a newer vetshare is refused with a *NewerSchemaError, which matches
// vetshare.ErrInvalid, and is left as it was.
func TestNewerSchemaRefused(t *testing.T) {
	db := freshDB(t)
	dsn := dsnFor(t, ownerDSN, db)
	ctx := context.Background()
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	newer := postgres.SchemaVersion() + 1
	if _, err := s.Pool().Exec(ctx, "UPDATE vetshare.schema_version SET version = $1", newer); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = postgres.Open(ctx, dsn)
	var ne *postgres.NewerSchemaError
	if !errors.As(err, &ne) || ne.Version != newer || ne.Supported != postgres.SchemaVersion() {
		t.Fatalf("Open of a database of schema %d: %v, want a *NewerSchemaError{Version: %d, Supported: %d}", newer, err, newer, postgres.SchemaVersion())
	}
	if !errors.Is(err, vetshare.ErrInvalid) {
		t.Errorf("%v does not match vetshare.ErrInvalid", err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v int
	if err := conn.QueryRow(ctx, "SELECT version FROM vetshare.schema_version").Scan(&v); err != nil || v != newer {
		t.Errorf("the version after the refused Open: %d, %v; want %d, untouched", v, err, newer)
	}
}
