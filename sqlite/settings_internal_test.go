package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

// settings are the pragmas of issue 16 as one connection reads them.
type settings struct {
	tempStore, autoCheckpoint int
	mmap                      int64
	readOnly                  bool
}

func readSettings(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (settings, error) {
	var s settings
	for _, p := range []struct {
		name string
		dst  any
	}{{"temp_store", &s.tempStore}, {"wal_autocheckpoint", &s.autoCheckpoint}, {"mmap_size", &s.mmap}, {"query_only", &s.readOnly}} {
		if err := q.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(p.dst); err != nil {
			return s, fmt.Errorf("PRAGMA %s: %w", p.name, err)
		}
	}
	return s, nil
}

// Every pooled connection, read and write, keeps its temporary tables in memory; the read
// connections map the file; the write connection does not checkpoint (the checkpointer's
// connection does). Several
// connections are forced open at once.
func TestSettingsOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg, inside sync.WaitGroup
	var mu sync.Mutex
	start := make(chan struct{})
	inside.Add(ReadConns + 1)
	var got []settings
	check := func(tx *vetshare.Tx) error {
		inside.Done()
		<-start
		r, err := readSettings(ctx, txn.D(tx).(*dtx).tx)
		mu.Lock()
		got = append(got, r)
		mu.Unlock()
		return err
	}
	errs := make(chan error, ReadConns+1)
	for range ReadConns {
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
	if len(got) != ReadConns+1 {
		t.Fatalf("%d readings, want %d", len(got), ReadConns+1)
	}
	writers := 0
	for _, r := range got {
		if r.tempStore != 2 {
			t.Errorf("connection settings %+v, want temp_store 2 (MEMORY)", r)
		}
		if !r.readOnly {
			writers++
			if r.autoCheckpoint != 0 || r.mmap != 0 {
				t.Errorf("write connection %+v, want wal_autocheckpoint 0 (the checkpointer checkpoints) and mmap_size 0", r)
			}
		} else if r.mmap != MmapSize {
			t.Errorf("read connection %+v, want mmap_size %d", r, MmapSize)
		}
	}
	if writers != 1 {
		t.Errorf("%d write connections, want 1", writers)
	}
	c, err := readSettings(ctx, s.ckpt.db)
	if err != nil {
		t.Fatal(err)
	}
	if c.tempStore != 2 || c.mmap != MmapSize || c.autoCheckpoint != 0 {
		t.Errorf("checkpointer connection %+v", c)
	}
}

// padStore opens a store made by Open in a new file, with a table of the host's to write
// pads of 3,000 bytes into, and returns it with the file's path and a pad.
func padStore(t *testing.T) (*Store, string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec("CREATE TABLE host_pad (x BLOB)"); err != nil {
		t.Fatal(err)
	}
	return s, path, strings.Repeat("x", 3000)
}

// The checkpointer copies a long log off the requests, and Close leaves no goroutine behind.
func TestCheckpointer(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	ctx := context.Background()
	s, _, pad := padStore(t)
	deadline := time.Now().Add(10 * time.Second)
	for s.ckpt.runs.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint ran")
		}
		if err := s.Update(ctx, func(tx *vetshare.Tx) error {
			_, err := txn.D(tx).(*dtx).tx.ExecContext(ctx, "INSERT INTO host_pad VALUES (?), (?)", pad, pad)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	// The log was copied, so the next write starts it again from the beginning: it stays
	// bounded.
	write := func() error {
		return s.Update(ctx, func(tx *vetshare.Tx) error {
			_, err := txn.D(tx).(*dtx).tx.ExecContext(ctx, "INSERT INTO host_pad VALUES (?)", pad)
			return err
		})
	}
	for i := 0; ; i++ {
		if err := write(); err != nil {
			t.Fatal(err)
		}
		// A PASSIVE checkpoint of our own tells the log's length: the one write since the
		// restart, when it restarted.
		n, _, err := checkpoint(ctx, s.ckpt.db)
		if err != nil {
			t.Fatal(err)
		}
		if n <= 8 {
			break
		} else if i == 100 {
			t.Fatalf("the log holds %d frames after checkpoints and %d writes: it was not restarted", n, i)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Checkpoint(ctx); err != nil {
		t.Errorf("Checkpoint: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// Writes that never pause: each commit lands while a checkpoint runs beside it, so none of
// those copies the whole log, and the log would grow with every write. Past logRestartSize the
// checkpointer copies the rest on the write connection, and the log starts again, its file
// truncated to that size: it stays near it.
func TestCheckpointerRestartsUnderSteadyWrites(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	defer func(old int64) { logRestartSize = old }(logRestartSize)
	logRestartSize = 256 << 10
	ctx := context.Background()
	s, path, pad := padStore(t)
	var last, largest, grown int64 // grown: what the log file grew by, over all its starts
	writes, shrank := 0, 0
	for start := time.Now(); time.Since(start) < 1500*time.Millisecond; writes++ {
		if err := s.Update(ctx, func(tx *vetshare.Tx) error {
			_, err := txn.D(tx).(*dtx).tx.ExecContext(ctx, "INSERT INTO host_pad VALUES (?)", pad)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(path + "-wal"); err == nil {
			if fi.Size() < last {
				shrank++
				last = 0
			}
			grown += fi.Size() - last
			last, largest = fi.Size(), max(largest, fi.Size())
		}
	}
	restarts := s.ckpt.restarts.Load()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if grown < 32<<20 {
		t.Skipf("%d writes in 1.5 s, %d MiB of log: too few to tell a bounded log from a growing one", writes, grown>>20)
	}
	// Between two checkpoints the log grows by what an interval writes, so the bound is that,
	// not logRestartSize: the log must start again, and stay well below all it was given.
	if restarts < 2 || shrank < 2 || largest > grown/3 {
		t.Errorf("%d writes without a pause, %d MiB of log: %d restarts, the log file shrank %d times and grew to %d MiB; want it to start again and stay below a third",
			writes, grown>>20, restarts, shrank, largest>>20)
	}
}

// A store on a host's pool starts no goroutine; the host checkpoints with Checkpoint.
func TestCheckpointHostDB(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.db")
	db, err := sql.Open("sqlite", DSN(path, true)+"&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := OpenDB(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if s.ckpt != nil {
		t.Fatal("OpenDB started a checkpointer")
	}
	if err := s.Checkpoint(ctx); err != nil {
		t.Errorf("Checkpoint: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
