package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vetshare/vetshare"
)

// CheckpointFrames is the size of write-ahead log, in pages, past which the checkpointer of
// [Open] copies the log into the database: SQLite's own default for automatic checkpoints.
const CheckpointFrames = 1000

// checkpointEvery is how often the checkpointer looks at the log when no commit of the store
// told it to: the host may write through [Store.DB], whose connection does not checkpoint.
const checkpointEvery = time.Second

// checkpointer runs the checkpoints of a store made by [Open], on a connection of its own, so
// that no request pays for one. SQLite's automatic checkpoint runs inside the commit that
// takes the log past 1,000 pages: that request then copies the log into the database and
// syncs both, which made every write's p99 6 to 16 times its median (issue 16). The write
// connection runs wal_autocheckpoint(0) instead, and after each commit the store tells the
// checkpointer, which reads the log's length from the shared-memory index and runs a PASSIVE
// checkpoint (it never waits for a reader or the writer) once the log passes
// [CheckpointFrames] pages.
//
// It is the one goroutine vetshare starts, against the house rule that Open starts none: a
// checkpoint has to run somewhere, and the alternatives are inside a request (the stall this
// removes) or in the host's code (which [OpenDB] leaves to the host: [Store.Checkpoint]). It
// touches nothing but the store's own file, and [Store.Close] stops it and waits for it.
type checkpointer struct {
	db   *sql.DB
	shm  string // the -shm file: its header holds the log's length in frames
	wake chan struct{}
	done chan struct{}
	wg   sync.WaitGroup
	runs atomic.Int64 // checkpoints run without error, for tests
}

func startCheckpointer(db *sql.DB, wal, shm string) *checkpointer {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	c := &checkpointer{db: db, shm: shm, wake: make(chan struct{}, 1), done: make(chan struct{})}
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
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-c.wake:
		case <-tick.C:
		}
		if n, ok := walFrames(c.shm); ok && n < CheckpointFrames {
			continue
		}
		// The log is long, or its length could not be read: checkpoint. A PASSIVE
		// checkpoint of a log already copied costs a read of the index.
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

// walFrames reads the number of valid frames in the write-ahead log (mxFrame) from the header
// of the shared-memory wal-index, which SQLite documents as its file format: the first header
// copy starts the file, mxFrame is its 32-bit field at byte 16, in native byte order. It reads
// no more than 4 bytes and takes no lock; a torn read only makes a checkpoint early or late.
func walFrames(shm string) (uint32, bool) {
	f, err := os.Open(shm)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var b [4]byte
	if _, err := f.ReadAt(b[:], 16); err != nil {
		return 0, false
	}
	return binary.NativeEndian.Uint32(b[:]), true
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
