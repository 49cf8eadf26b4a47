package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/vetshare/vetshare/sqlite"
)

// calibration says how fast this machine was when the run began, so that absolute times can
// be compared between machines (issue 16): the p50 of a one-row write transaction on a file of
// its own with the store's settings, and of a fixed CPU spin.
type calibration struct {
	WriteTxP50 float64 `json:"write_tx_p50_us"`
	WriteTxP99 float64 `json:"write_tx_p99_us"`
	SpinP50    float64 `json:"spin_p50_us"` // spinIters multiply-adds
}

const spinIters = 1_000_000

func (c calibration) String() string {
	return fmt.Sprintf("one-row write transaction p50 %s, p99 %s; CPU spin (%d multiply-adds) p50 %s",
		dur(c.WriteTxP50), dur(c.WriteTxP99), spinIters, dur(c.SpinP50))
}

func spin() {
	x := uint64(1)
	for i := range uint64(spinIters) {
		x = x*6364136223846793005 + i
	}
	runtime.KeepAlive(x) // the loop is work the compiler must not remove
}

// calWriter is the calibration's one-row write transaction, on a file of its own in the
// bench's directory with the store's settings.
type calWriter struct {
	db  *sql.DB
	ins *sql.Stmt
}

func openCalWriter(ctx context.Context, dir string) (*calWriter, error) {
	db, err := sql.Open("sqlite", sqlite.DSN(filepath.Join(dir, "calibration.db"), true))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS calib (id INTEGER PRIMARY KEY, v INTEGER)"); err != nil {
		db.Close()
		return nil, err
	}
	ins, err := db.PrepareContext(ctx, "INSERT INTO calib (v) VALUES (?)")
	if err != nil {
		db.Close()
		return nil, err
	}
	return &calWriter{db: db, ins: ins}, nil
}

// write runs one write transaction of one row: the calibration's, and the write measure
// times in the blocks of a workload with an absolute target (workload.absolute).
func (c *calWriter) write(ctx context.Context, i int) (int, error) {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	if _, err := tx.StmtContext(ctx, c.ins).ExecContext(ctx, i); err != nil {
		tx.Rollback()
		return 0, err
	}
	return 1, tx.Commit()
}

func (c *calWriter) close() error {
	c.ins.Close()
	return c.db.Close()
}

// calibrate measures the calibration, interleaving the write and the spin.
func calibrate(ctx context.Context, c *calWriter) (calibration, error) {
	var w, s []time.Duration
	for i := range 400 {
		t := time.Now()
		if _, err := c.write(ctx, i); err != nil {
			return calibration{}, err
		}
		w = append(w, time.Since(t))
		if i%4 == 0 {
			t = time.Now()
			spin()
			s = append(s, time.Since(t))
		}
	}
	q := func(ts []time.Duration, p float64) float64 {
		slices.Sort(ts)
		return float64(ts[min(int(p*float64(len(ts))), len(ts)-1)]) / 1e3
	}
	return calibration{WriteTxP50: q(w, .5), WriteTxP99: q(w, .99), SpinP50: q(s, .5)}, nil
}
