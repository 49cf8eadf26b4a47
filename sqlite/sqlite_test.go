package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/sqlite"
	"github.com/vetshare/vetshare/storetest"
)

func MustOpen(tb testing.TB) (*sqlite.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "vetshare.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	return s, path
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) vetshare.Store {
		s, _ := MustOpen(t)
		return s
	})
}

// The conformance suite also passes on a pool the host opened itself.
func TestConformanceHostDB(t *testing.T) {
	storetest.Run(t, func(t *testing.T) vetshare.Store {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "host.db")+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		s, err := sqlite.OpenDB(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// R11.3: every pooled connection, read and write, has the pragmas; force several to open at once.
func TestPragmasOnEveryConnection(t *testing.T) {
	s, _ := MustOpen(t)
	defer s.Close()
	ctx := context.Background()
	var wg, inside sync.WaitGroup
	var mu sync.Mutex
	start := make(chan struct{})
	inside.Add(sqlite.ReadConns + 1)
	type reading struct {
		journal                  string
		fk, busy, sync, readOnly int
	}
	var got []reading
	check := func(tx *vetshare.Tx) error {
		inside.Done() // every transaction holds its own connection until all have begun
		<-start
		var r reading
		err := s.Pragmas(ctx, tx, &r.journal, &r.fk, &r.busy, &r.sync, &r.readOnly)
		mu.Lock()
		got = append(got, r)
		mu.Unlock()
		return err
	}
	for range sqlite.ReadConns {
		wg.Add(1)
		go func() { defer wg.Done(); s.View(ctx, check) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); s.Update(ctx, check) }()
	inside.Wait()
	close(start)
	wg.Wait()
	if len(got) != sqlite.ReadConns+1 {
		t.Fatalf("%d readings, want %d", len(got), sqlite.ReadConns+1)
	}
	conns := s.Stats()
	if conns < sqlite.ReadConns+1 {
		t.Errorf("only %d connections were opened; want the test to force %d", conns, sqlite.ReadConns+1)
	}
	readOnly := 0
	for _, r := range got {
		if r.journal != "wal" || r.fk != 1 || r.busy != int(sqlite.BusyTimeout.Milliseconds()) || r.sync != 1 {
			t.Errorf("connection pragmas: %+v, want journal wal, foreign_keys 1, busy_timeout 5000, synchronous 1 (NORMAL)", r)
		}
		readOnly += r.readOnly
	}
	if readOnly != sqlite.ReadConns {
		t.Errorf("%d read-only connections, want %d", readOnly, sqlite.ReadConns)
	}
}

func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrMemory", func(t *testing.T) {
		_, err := sqlite.Open(ctx, ":memory:")
		if !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("Open(:memory:) = %v, want ErrInvalid", err)
		}
	})
	t.Run("ErrNewerSchema", func(t *testing.T) {
		s, path := MustOpen(t)
		s.Close()
		db, _ := sql.Open("sqlite", path)
		if _, err := db.Exec("UPDATE vetshare_schema SET version = 999"); err != nil {
			t.Fatal(err)
		}
		db.Close()
		_, err := sqlite.Open(ctx, path)
		var newer *sqlite.NewerSchemaError
		if !errors.Is(err, vetshare.ErrInvalid) || !errors.As(err, &newer) || newer.Version != 999 || newer.Supported != sqlite.SchemaVersion() {
			t.Errorf("Open of a newer schema = %v, want a NewerSchemaError", err)
		}
	})
	t.Run("ErrHostPoolWithoutForeignKeys", func(t *testing.T) {
		db, _ := sql.Open("sqlite", filepath.Join(t.TempDir(), "h.db"))
		defer db.Close()
		_, err := sqlite.OpenDB(ctx, db)
		if !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("OpenDB without foreign keys = %v, want ErrInvalid", err)
		}
	})
	t.Run("ReopenKeepsData", func(t *testing.T) {
		s, path := MustOpen(t)
		id := vetshare.NewID[vetshare.OwnerID](vetshare.SystemClock{}.Now())
		if err := s.Update(ctx, func(tx *vetshare.Tx) error {
			return txn.D(tx).InsertOwner(ctx, vetshare.Owner{ID: id, Name: "o", CreatedAt: tx.Now()})
		}); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.View(ctx, func(tx *vetshare.Tx) error { _, err := txn.D(tx).Owner(ctx, id); return err }); err != nil {
			t.Errorf("after reopening: %v", err)
		}
	})
}
