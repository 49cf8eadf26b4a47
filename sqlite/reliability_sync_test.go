package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sqlite"
)

// R11.2: with WithSynchronousFull every pooled connection, read and write, runs
// synchronous(FULL) (2), so a commit is on disk before Update returns; several connections are
// forced open at once so that none is checked twice.
func TestR11_2SynchronousFullOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "full.db"), sqlite.WithSynchronousFull())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg, inside sync.WaitGroup
	var mu sync.Mutex
	start := make(chan struct{})
	inside.Add(sqlite.ReadConns + 1)
	var syncs []int
	check := func(tx *vetshare.Tx) error {
		inside.Done() // every transaction holds its own connection until all have begun
		<-start
		var journal string
		var fk, busy, sync, readOnly int
		err := s.Pragmas(ctx, tx, &journal, &fk, &busy, &sync, &readOnly)
		mu.Lock()
		syncs = append(syncs, sync)
		mu.Unlock()
		return err
	}
	errs := make(chan error, sqlite.ReadConns+1)
	for range sqlite.ReadConns {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- s.View(ctx, check) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); errs <- s.Update(ctx, check) }()
	inside.Wait()
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(syncs) != sqlite.ReadConns+1 {
		t.Fatalf("%d readings, want %d", len(syncs), sqlite.ReadConns+1)
	}
	for i, got := range syncs {
		if got != 2 {
			t.Errorf("connection %d: synchronous %d, want 2 (FULL)", i, got)
		}
	}
	if s.Stats() < sqlite.ReadConns+1 {
		t.Errorf("only %d connections were opened; want the test to force %d", s.Stats(), sqlite.ReadConns+1)
	}
}

// R11.2: a host's pool handed to OpenDB with WithSynchronousFull must run synchronous(FULL)
// itself: OpenDB cannot change the host's DSN, so it refuses a pool that does not.
func TestR11_2SynchronousFullHostPool(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Run("ErrNormal", func(t *testing.T) {
		db, err := sql.Open("sqlite", sqlite.DSN(filepath.Join(dir, "normal.db"), true))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := sqlite.OpenDB(ctx, db, sqlite.WithSynchronousFull()); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("OpenDB of a synchronous(NORMAL) pool with WithSynchronousFull = %v, want ErrInvalid", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		db, err := sql.Open("sqlite", strings.Replace(sqlite.DSN(filepath.Join(dir, "full.db"), true), "NORMAL", "FULL", 1))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		s, err := sqlite.OpenDB(ctx, db, sqlite.WithSynchronousFull())
		if err != nil {
			t.Fatalf("OpenDB of a synchronous(FULL) pool: %v", err)
		}
		s.Close()
	})
}
