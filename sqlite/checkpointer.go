package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vetshare/vetshare"
)

// CheckpointInterval is the longest the checkpointer of [Open] lets committed transactions
// wait in the write-ahead log before it copies them into the database.
const CheckpointInterval = 100 * time.Millisecond

// checkpointer runs the checkpoints of a store made by [Open], on a connection of its own, so
// that no request pays for one. SQLite's automatic checkpoint runs inside the commit that
// takes the log past 1,000 pages: that request then copies the log into the database and
// syncs both, which made every write's p99 6 to 16 times its median (issue 16). The write
// connection runs wal_autocheckpoint(0) instead, and after each commit the store tells the
// checkpointer, which runs a PASSIVE checkpoint (it never waits for a reader or the writer)
// at most every [CheckpointInterval] while commits come, and once a second in any case (the
// host may write through [Store.DB], whose commits do not tell it). The log then restarts
// from its beginning at the next write, so it stays as small as the writes of an interval.
//
// It does not read the log's length from the wal-index file: opening and closing that file
// in the process would release the POSIX locks SQLite's own connections hold on it.
//
// It is the one goroutine vetshare starts, against the house rule that Open starts none: a
// checkpoint has to run somewhere, and the alternatives are inside a request (the stall this
// removes) or in the host's code (which [OpenDB] leaves to the host: [Store.Checkpoint]). It
// touches nothing but the store's own file, and [Store.Close] stops it and waits for it.
type checkpointer struct {
	db   *sql.DB
	wake chan struct{}
	done chan struct{}
	wg   sync.WaitGroup
	runs atomic.Int64 // checkpoints run without error
}

func startCheckpointer(db *sql.DB) *checkpointer {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	c := &checkpointer{db: db, wake: make(chan struct{}, 1), done: make(chan struct{})}
	c.wg.Add(1)
	go c.loop()
	return c
}

// kick tells the checkpointer that a transaction committed; it never blocks.
func (c *checkpointer) kick() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop() {
	defer c.wg.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-c.wake:
			// Let the commits of an interval gather, then copy them at once.
			select {
			case <-c.done:
				return
			case <-time.After(CheckpointInterval):
			}
		case <-tick.C:
		}
		// A failure (the disk is full, say) is met again by the next commit, whose own error
		// the host sees; the checkpointer has no one to tell.
		if _, _, err := checkpoint(context.Background(), c.db); err == nil {
			c.runs.Add(1)
		}
	}
}

// stop stops the goroutine, waits for it, and closes its connection.
func (c *checkpointer) stop() error {
	close(c.done)
	c.wg.Wait()
	return c.db.Close()
}

// Checkpoints returns the number of checkpoints the store's own checkpointer has run (see
// [Store.Checkpoint]); 0 for a store made by [OpenDB], which runs none. It is for monitoring
// and benchmarks.
func (s *Store) Checkpoints() int64 {
	if s.ckpt == nil {
		return 0
	}
	return s.ckpt.runs.Load()
}

// checkpoint runs PRAGMA wal_checkpoint(PASSIVE) on db and returns the log's length and the
// frames copied, in pages.
func checkpoint(ctx context.Context, db *sql.DB) (log, copied int, err error) {
	var busy int
	if err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &copied); err != nil {
		return 0, 0, translate(fmt.Errorf("sqlite: checkpoint: %w", err))
	}
	return log, copied, nil
}

// Checkpoint copies the write-ahead log into the database file (a PASSIVE checkpoint: it
// waits for no reader or writer, and copies what they leave it). A store made by [Open] runs
// it by itself, off the requests; a store made by [OpenDB] leaves checkpoints to the host's
// pool, whose connections run them inside the commit that takes the log past 1,000 pages
// unless the host's DSN has _pragma=wal_autocheckpoint(0): such a host calls Checkpoint from
// its own goroutine or job, for example when a second has passed or after a batch. It
// returns a [*StoreError] if SQLite fails, or the context's error.
func (s *Store) Checkpoint(ctx context.Context) error {
	db := s.write
	if s.ckpt != nil {
		db = s.ckpt.db
	}
	_, _, err := checkpoint(ctx, db)
	return vetshare.Op("sqlite.Checkpoint", cancelled(ctx, err))
}
