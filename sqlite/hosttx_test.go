package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sqlite"
	"github.com/vetshare/vetshare/vetsharetest"
)

// hostDB is a host program's database for R12.2: its pool (opened with dsn made from the file's
// path), its own table "visits" in the same file, a store made on the pool with OpenDB, and a
// practice of one clinic.
type hostDB struct {
	db       *sql.DB
	s        *sqlite.Store
	p        *vetsharetest.Practice
	path     string
	deferred bool
}

func newHostDB(t *testing.T, deferred bool) *hostDB {
	t.Helper()
	h := &hostDB{path: filepath.Join(t.TempDir(), "practice.db"), deferred: deferred}
	h.db = h.open(t)
	if _, err := h.db.Exec("CREATE TABLE visits (id INTEGER PRIMARY KEY, note TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	clock := vetshare.NewTickClock(vetsharetest.Start())
	s, err := sqlite.OpenDB(context.Background(), h.db, sqlite.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	h.s = s
	h.p = (&vetsharetest.Store{Store: s, Clock: clock, Path: h.path}).NewPractice(t, 1, "")
	return h
}

// open opens a pool on the host's file: with the DSN of sqlite.DSN(path, true), or, for a
// deferred host, the same without _txlock=immediate.
func (h *hostDB) open(t *testing.T) *sql.DB {
	t.Helper()
	dsn := sqlite.DSN(h.path, true)
	if h.deferred {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Del("_txlock")
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// visits returns the number of the host's rows.
func (h *hostDB) visits(t *testing.T) int {
	t.Helper()
	var n int
	if err := h.db.QueryRow("SELECT count(*) FROM visits").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// client reports whether the client is stored, read through a transaction of vetshare's own.
func (h *hostDB) client(t *testing.T, id vetshare.ClientID) bool {
	t.Helper()
	err := h.s.View(context.Background(), func(tx *vetshare.Tx) error {
		_, _, err := records.Client(context.Background(), tx, h.p.Actor(0), id)
		return err
	})
	if err != nil && !errors.Is(err, vetshare.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// work is what the host does in its transaction: a row of its own, then a client of vetshare's.
func (h *hostDB) work(t *testing.T, tx *sql.Tx) vetshare.ClientID {
	t.Helper()
	ctx := context.Background()
	if _, err := tx.ExecContext(ctx, "INSERT INTO visits (note) VALUES ('Scooby seen')"); err != nil {
		t.Fatal(err)
	}
	vtx, err := h.s.Tx(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := records.CreateClient(ctx, vtx, h.p.Actor(0), vetshare.Client{LastName: "Rogers"})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// R12.2: a host's transaction that commits keeps the host's row and vetshare's together.
func TestR12_2HostTxCommitKeepsBoth(t *testing.T) {
	for _, deferred := range []bool{false, true} { // a deferred tx that gets the lock is served
		h := newHostDB(t, deferred)
		tx, err := h.db.BeginTx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		id := h.work(t, tx)
		if err := tx.Commit(); err != nil {
			t.Fatalf("deferred %v: the host's commit: %v", deferred, err)
		}
		if n, ok := h.visits(t), h.client(t, id); n != 1 || !ok {
			t.Errorf("deferred %v: after commit: %d host rows, client stored %v; want 1, true", deferred, n, ok)
		}
	}
}

// R12.2: a host's transaction that rolls back keeps neither the host's row nor vetshare's.
func TestR12_2HostTxRollbackKeepsNeither(t *testing.T) {
	h := newHostDB(t, false)
	tx, err := h.db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	id := h.work(t, tx)
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n, ok := h.visits(t), h.client(t, id); n != 0 || ok {
		t.Errorf("after rollback: %d host rows, client stored %v; want 0, false", n, ok)
	}
}

// R12.2: a panic in the host's code after vetshare's operation, with the host rolling back in a
// defer, leaves neither the host's row nor vetshare's.
func TestR12_2HostPanicKeepsNeither(t *testing.T) {
	h := newHostDB(t, false)
	var id vetshare.ClientID
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the host's code did not panic")
			}
		}()
		tx, err := h.db.BeginTx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		id = h.work(t, tx)
		panic("the host's own bug, between vetshare's work and the commit")
	}()
	if n, ok := h.visits(t), h.client(t, id); n != 0 || ok {
		t.Errorf("after the panic: %d host rows, client stored %v; want 0, false", n, ok)
	}
}

// R12.2: vetshare never commits the host's transaction: until the host commits, another
// connection sees nothing of vetshare's, and the host can still write in it after the
// operations.
func TestR12_2VetshareNeverCommits(t *testing.T) {
	h := newHostDB(t, false)
	ctx := context.Background()
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := h.work(t, tx)
	vtx, err := h.s.Tx(ctx, tx) // a second wrap of the same transaction is served too
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := records.Client(ctx, vtx, h.p.Actor(0), id); err != nil {
		t.Errorf("the client, read in the host's transaction: %v", err)
	}
	if h.client(t, id) {
		t.Error("another connection sees the client before the host commits")
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO visits (note) VALUES ('Rex seen')"); err != nil {
		t.Fatalf("the host's write after the operations: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("the host's commit: %v", err)
	}
	if n, ok := h.visits(t), h.client(t, id); n != 2 || !ok {
		t.Errorf("after commit: %d host rows, client stored %v; want 2, true", n, ok)
	}
}

// R12.2: a host's transaction begun DEFERRED while another connection holds the write lock is
// refused at once with a *sqlite.DeferredTxError, not after the 5 s busy timeout, and its
// connection keeps its busy timeout.
func TestR12_2DeferredTxRefusedAtOnce(t *testing.T) {
	h := newHostDB(t, true)
	ctx := context.Background()
	other, err := h.open(t).BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback()
	if _, err := other.ExecContext(ctx, "INSERT INTO visits (note) VALUES ('other writer')"); err != nil {
		t.Fatal(err)
	}

	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	start := time.Now()
	vtx, err := h.s.Tx(ctx, tx)
	took := time.Since(start)
	var deferred *sqlite.DeferredTxError
	if !errors.As(err, &deferred) || !errors.Is(err, vetshare.ErrInvalid) || vtx != nil {
		t.Fatalf("Tx of a deferred transaction while another writes = %v, %v; want a *sqlite.DeferredTxError", vtx, err)
	}
	if took > time.Second {
		t.Errorf("Tx took %v to refuse; want under 1s", took)
	}
	var busy int
	if err := tx.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil || busy != int(sqlite.BusyTimeout/time.Millisecond) {
		t.Errorf("busy_timeout after the refusal = %d, %v; want %d", busy, err, sqlite.BusyTimeout/time.Millisecond)
	}
}

// R12.2: a transaction of another *sql.DB, on another file or on another pool of the same file,
// is refused: no operation runs in it.
func TestR12_2ForeignTxRefused(t *testing.T) {
	h := newHostDB(t, false)
	other := newHostDB(t, false)
	ctx := context.Background()
	for name, db := range map[string]*sql.DB{"another file": other.db, "another pool of the file": h.open(t)} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if vtx, err := h.s.Tx(ctx, tx); !errors.Is(err, vetshare.ErrInvalid) || vtx != nil {
			t.Errorf("%s: Tx = %v, %v; want ErrInvalid", name, vtx, err)
		}
		if vtx, err := h.s.ViewTx(ctx, tx); !errors.Is(err, vetshare.ErrInvalid) || vtx != nil {
			t.Errorf("%s: ViewTx = %v, %v; want ErrInvalid", name, vtx, err)
		}
		tx.Rollback()
	}
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if _, err := h.s.Tx(ctx, tx); !errors.Is(err, vetshare.ErrInvalid) {
		t.Errorf("Tx of an ended transaction: %v; want ErrInvalid", err)
	}
	if _, err := h.s.Tx(ctx, nil); !errors.Is(err, vetshare.ErrInvalid) {
		t.Errorf("Tx of nil: %v; want ErrInvalid", err)
	}
}

// R12.2: ViewTx reads in the host's transaction, taking no lock, and refuses writes.
func TestR12_2ViewTxReadsOnly(t *testing.T) {
	h := newHostDB(t, true)
	ctx := context.Background()
	_, e, _ := h.p.Client(t, h.p.Actor(0), vetshare.Client{LastName: "Rogers"})
	other, err := h.open(t).BeginTx(ctx, nil) // another writer holds the lock
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback()
	if _, err := other.ExecContext(ctx, "INSERT INTO visits (note) VALUES ('other writer')"); err != nil {
		t.Fatal(err)
	}
	tx, err := h.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	vtx, err := h.s.ViewTx(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := records.Client(ctx, vtx, h.p.Actor(0), e.ClientID); err != nil {
		t.Errorf("read in ViewTx: %v", err)
	}
	if _, _, err := records.CreateClient(ctx, vtx, h.p.Actor(0), vetshare.Client{LastName: "Shaggy"}); !errors.Is(err, vetshare.ErrNotPermitted) {
		t.Errorf("write in ViewTx: %v; want ErrNotPermitted", err)
	}
}

// R12.2, R11.3: while a host holds its transaction, the store's own Update on a deferred pool
// waits for the write lock and then succeeds.
func TestR12_2UpdateWaitsForHostTx(t *testing.T) {
	h := newHostDB(t, true)
	ctx := context.Background()
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.work(t, tx)
	done := make(chan error, 1)
	go func() {
		done <- h.s.Update(ctx, func(tx *vetshare.Tx) error {
			_, _, err := records.CreateClient(ctx, tx, h.p.Actor(0), vetshare.Client{LastName: "Shaggy"})
			return err
		})
	}()
	select {
	case err := <-done:
		t.Fatalf("Update ended while the host held the write lock: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("Update after the host committed: %v", err)
	}
}
