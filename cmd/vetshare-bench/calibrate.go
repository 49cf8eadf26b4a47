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

// calibrate measures the calibration in dir, interleaving the write and the spin.
func calibrate(ctx context.Context, dir string) (calibration, error) {
	path := filepath.Join(dir, "calibration.db")
	db, err := sql.Open("sqlite", sqlite.DSN(path, true))
	if err != nil {
		return calibration{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS calib (id INTEGER PRIMARY KEY, v INTEGER)"); err != nil {
		return calibration{}, err
	}
	ins, err := db.PrepareContext(ctx, "INSERT INTO calib (v) VALUES (?)")
	if err != nil {
		return calibration{}, err
	}
	defer ins.Close()
	var w, s []time.Duration
	for i := range 400 {
		t := time.Now()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return calibration{}, err
		}
		if _, err := tx.StmtContext(ctx, ins).ExecContext(ctx, i); err != nil {
			tx.Rollback()
			return calibration{}, err
		}
		if err := tx.Commit(); err != nil {
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
