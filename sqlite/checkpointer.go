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

// LogRestartSize is the length of the write-ahead log past which the checkpointer of [Open]
// makes it start again from its beginning though writes never pause, and the size [Open]'s
// write connection truncates the log file to when it starts again (journal_size_limit).
//
// The log starts again at the first write after a checkpoint that copied all of it. Under
// writes that never pause (an import, a busy group), a checkpoint beside them never copies
// all of it: each commit lands while the last checkpoint runs. The log then grew without
// bound, 2 GiB in the twenty seconds of the bench's writes at 1M, and every commit appended
// to the end of the file, which made writes two to two and a half times as slow as writes
// over a log that starts again (the bench at 1M, the two alternating: creating a client in a
// 10-account group 2.75–2.79 ms against 1.09–1.14 ms at p50, a usage 0.82–0.83 ms against
// 0.33–0.35 ms, a payment 0.32–0.37 ms against 0.14 ms). Past this length the
// checkpointer takes the store's write connection, as a write would, and copies the rest of
// the log there, so that no commit lands in between. The write that waits for it waits for
// that copy and its two syncs, about 30 ms on the bench's disk, once per LogRestartSize of
// log: the trade is a bounded log and faster writes for one slower write in every few
// hundred MiB written.
const LogRestartSize = 256 << 20

// logRestartSize is LogRestartSize, which a test of the package may lower before Open.
var logRestartSize int64 = LogRestartSize

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
	db    *sql.DB
	write *sql.DB // the store's write pool, of one connection
	// restartPages is restartSize in pages of the file, set by the first checkpoint.
	restartPages int
	restartSize  int64
	wake         chan struct{}
	// ctx is done once stop is called: the loop returns, and a checkpoint, or a wait for the
	// write connection, under way then ends.
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	runs     atomic.Int64 // checkpoints run without error
	restarts atomic.Int64 // checkpoints on the write connection, for the log to start again
}

func startCheckpointer(db, write *sql.DB, restartSize int64) *checkpointer {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{db: db, write: write, restartSize: restartSize, wake: make(chan struct{}, 1), ctx: ctx, cancel: cancel}
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
		case <-c.ctx.Done():
			return
		case <-c.wake:
			// Let the commits of an interval gather, then copy them at once.
			select {
			case <-c.ctx.Done():
				return
			case <-time.After(CheckpointInterval):
			}
		case <-tick.C:
		}
		// A failure (the disk is full, say) is met again by the next commit, whose own error
		// the host sees; the checkpointer has no one to tell.
		log, _, err := checkpoint(c.ctx, c.db)
		if err != nil {
			continue
		}
		c.runs.Add(1)
		if c.restartPages == 0 {
			var page int64
			if err := c.db.QueryRowContext(c.ctx, "PRAGMA page_size").Scan(&page); err != nil || page <= 0 {
				continue
			}
			c.restartPages = int(max(c.restartSize/page, 1))
		}
		if log >= c.restartPages {
			c.restart()
		}
	}
}

// restart copies what is left of the log on the store's write connection, taken as a write
// takes it: no commit can land during that checkpoint, so it copies the whole log, and the
// next write starts the log again from its beginning (unless a read begun before still reads
// from the log; the next restart then tries again). It gives the connection up when done,
// or when the store closes while it waits for it.
func (c *checkpointer) restart() {
	conn, err := c.write.Conn(c.ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if _, _, err := checkpoint(c.ctx, conn); err == nil {
		c.restarts.Add(1)
	}
}

// stop stops the goroutine, waits for it, and closes its connection.
func (c *checkpointer) stop() error {
	c.cancel()
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

// rowQuerier is a pool, or one connection of it.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// checkpoint runs PRAGMA wal_checkpoint(PASSIVE) on db and returns the log's length and the
// frames copied, in pages.
func checkpoint(ctx context.Context, db rowQuerier) (log, copied int, err error) {
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
// its own goroutine or job, for example when a second has passed or after a batch. A
// checkpoint copies no commit that lands while it runs, and the log starts again from its
// beginning only after one that copied all of it: a host whose writes never pause calls it,
// now and then, where no write can begin (holding its write connection, say), or its log
// grows without bound and every commit appends to the end of the file ([LogRestartSize]). It
// returns a [*StoreError] if SQLite fails, or the context's error.
func (s *Store) Checkpoint(ctx context.Context) error {
	db := s.write
	if s.ckpt != nil {
		db = s.ckpt.db
	}
	_, _, err := checkpoint(ctx, db)
	return vetshare.Op("sqlite.Checkpoint", cancelled(ctx, err))
}
