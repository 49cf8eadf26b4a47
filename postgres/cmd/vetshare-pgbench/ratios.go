package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/gen"
	"github.com/vetshare/vetshare/postgres"
)

// ratioFlags are the flags of the -ratios mode.
type ratioFlags struct {
	dsn, size, only, keep string
	runs                  int
	scale                 float64
	trace                 bool
}

// runRatios is the -ratios mode: it generates a data set on PostgreSQL through the operations
// (or reuses the one -keep kept), then runs every workload beside its plain-SQL baseline, as
// cmd/vetshare-bench does on SQLite, and prints the table.
func runRatios(ctx context.Context, f ratioFlags) error {
	sz, ok := gen.SizeNamed(f.size)
	if !ok {
		return fmt.Errorf("-size: no size %q", f.size)
	}
	if f.scale <= 0 {
		f.scale = map[string]float64{"small": 0.05, "medium": 0.5}[sz.Name]
		if f.scale == 0 {
			f.scale = 1
		}
	}
	cfg, err := pgx.ParseConfig(f.dsn)
	if err != nil {
		return err
	}
	admin, err := pgx.Connect(ctx, f.dsn)
	if err != nil {
		return err
	}
	defer admin.Close(ctx)

	db := fmt.Sprintf("vetshare_bench_%d", os.Getpid())
	manifest := ""
	if f.keep != "" {
		db, manifest = f.keep, f.keep+".manifest.json"
	}
	pdsn := fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable pool_max_conns=8", cfg.Host, cfg.Port, cfg.User, db)

	var m *gen.Manifest
	if b, err := os.ReadFile(manifest); manifest != "" && err == nil {
		m = new(gen.Manifest)
		if err := json.Unmarshal(b, m); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "reusing database %s (%s)\n", db, manifest)
	} else {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+db); err != nil {
			return err
		}
		if f.keep == "" {
			defer admin.Exec(context.Background(), "DROP DATABASE "+db+" WITH (FORCE)")
		}
		clk := vetshare.NewTickClock(gen.End())
		gs, err := postgres.Open(ctx, pdsn, postgres.WithClock(clk))
		if err != nil {
			return err
		}
		began := time.Now()
		m, err = gen.Generate(ctx, gs, clk, gen.Config{Seed: 1, Size: sz})
		gs.Close()
		if err != nil {
			return fmt.Errorf("generating: %w", err)
		}
		el := time.Since(began)
		fmt.Fprintf(os.Stderr, "generated %s on PostgreSQL: %d rows in %s, %.0f rows/s\n", sz.Name, m.Counts.Rows(), el.Round(time.Second), float64(m.Counts.Rows())/el.Seconds())
		if manifest != "" {
			b, _ := json.Marshal(m)
			if err := os.WriteFile(manifest, b, 0o644); err != nil {
				return err
			}
		}
	}
	// The store and the baseline each get a pool of their own, alike (pgx's default: each
	// statement prepared once per connection and cached), with a tracer counting the statements
	// each side sends.
	opCount, baseCount := &tracer{}, &tracer{}
	open := func(t *tracer) (*pgxpool.Pool, error) {
		pc, err := pgxpool.ParseConfig(pdsn)
		if err != nil {
			return nil, err
		}
		pc.ConnConfig.Tracer = t
		return pgxpool.NewWithConfig(ctx, pc)
	}
	opPool, err := open(opCount)
	if err != nil {
		return err
	}
	defer opPool.Close()
	if _, err := opPool.Exec(ctx, "ANALYZE"); err != nil {
		return err
	}
	st, err := postgres.OpenPool(ctx, opPool)
	if err != nil {
		return err
	}
	basePool, err := open(baseCount)
	if err != nil {
		return err
	}
	defer basePool.Close()

	e := &env{m: m, st: st, p: &plain{pool: basePool}, runs: f.runs, scale: f.scale}
	var want []string
	if f.only != "" {
		want = strings.Split(f.only, ",")
	}
	load := loadAvg()
	fmt.Fprintf(os.Stderr, "load average %s at the start of the workloads\n", load)
	var results []*result
	var failed []string
	for _, w := range e.workloads() {
		if want != nil && !slices.Contains(want, w.name) {
			continue
		}
		if f.trace {
			opCount.log, baseCount.log = os.Stderr, os.Stderr
			fmt.Fprintf(os.Stderr, "--- %s: operation\n", w.name)
			if w.prepare != nil {
				opCount.log = nil
				if err := w.prepare(ctx, "op", -1); err != nil {
					return err
				}
				opCount.log = os.Stderr
			}
			if _, err := w.op(ctx, 0); err != nil {
				return fmt.Errorf("%s: %w", w.name, err)
			}
			fmt.Fprintf(os.Stderr, "--- %s: baseline\n", w.name)
			if w.prepare != nil {
				baseCount.log, opCount.log = nil, nil
				if err := w.prepare(ctx, "baseline", -1); err != nil {
					return err
				}
				baseCount.log = os.Stderr
			}
			if _, err := w.base(ctx, 0); err != nil && !errors.Is(err, errNotPorted) {
				return fmt.Errorf("%s baseline: %w", w.name, err)
			}
			opCount.log, baseCount.log = nil, nil
			continue
		}
		res, err := e.measure(ctx, w, opCount, baseCount)
		if err != nil {
			// One workload failing does not lose the others' figures; it is said in the output.
			fmt.Fprintf(os.Stderr, "%-22s FAILED: %v\n", w.name, err)
			failed = append(failed, w.name+": "+err.Error())
			continue
		}
		results = append(results, res)
		fmt.Fprintf(os.Stderr, "%-22s op p50 %s p99 %s | baseline p50 %s p99 %s | ratio %.2f | statements %.1f / %.1f\n", res.Name,
			dur(res.Op.P50), dur(res.Op.P99), dur(res.Base.P50), dur(res.Base.P99), res.Ratio, res.OpStmts, res.BaseStmts)
	}
	if f.trace {
		return nil
	}
	fmt.Printf("Run of %s: `vetshare-pgbench %s`; %d CPUs, %s; load average %s at the start of the workloads, %s at the end.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), strings.Join(os.Args[1:], " "), runtime.NumCPU(), runtime.Version(), load, loadAvg())
	writeTable(os.Stdout, results, f.runs)
	if len(failed) > 0 {
		return fmt.Errorf("%d workloads failed:\n%s", len(failed), strings.Join(failed, "\n"))
	}
	return nil
}

// tracer counts the statements a pool sends and, when log is set, writes them.
type tracer struct {
	n   atomic.Int64
	log io.Writer
}

func (t *tracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	t.n.Add(1)
	if t.log != nil {
		fmt.Fprintf(t.log, "  %s\n", strings.Join(strings.Fields(d.SQL), " "))
	}
	return ctx
}

func (t *tracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// stats summarizes one side of a workload. Times are microseconds.
type stats struct {
	N          int
	P50, P99   float64
	Mean       float64
	PerSec     float64
	RowsPerSec float64
}

type result struct {
	Name, Desc         string
	Op, Base           stats
	Ratio              float64
	OpStmts, BaseStmts float64 // statements sent per operation, per baseline operation
}

// measure runs a workload as cmd/vetshare-bench does: warm-up, then runs in which operations
// and baseline operations alternate in blocks of ten, so that both meet the same load.
func (e *env) measure(ctx context.Context, w *workload, opCount, baseCount *tracer) (*result, error) {
	runtime.GC()
	var opT, baseT []time.Duration
	var opRows, baseRows int
	var opTotal, baseTotal time.Duration
	var opStmts, baseStmts int64
	oi, bi := 0, 0
	for range w.warm {
		if _, err := w.op(ctx, oi); err != nil {
			return nil, fmt.Errorf("warm-up: %w", err)
		}
		if _, err := w.base(ctx, bi); err != nil {
			return nil, fmt.Errorf("baseline warm-up: %w", err)
		}
		oi, bi = oi+1, bi+1
	}
	const block = 10
	one := func(name string, f func(context.Context, int) (int, error), i *int, ts *[]time.Duration, rows *int, total *time.Duration, c *tracer, stmts *int64) error {
		before := c.n.Load()
		t := time.Now()
		n, err := f(ctx, *i)
		d := time.Since(t)
		if err != nil {
			return fmt.Errorf("%s %d: %w", name, *i, err)
		}
		*stmts += c.n.Load() - before
		*ts, *rows, *total = append(*ts, d), *rows+n, *total+d
		*i++
		return nil
	}
	for run := range e.runs {
		if w.prepare != nil {
			if err := w.prepare(ctx, "op", run); err != nil {
				return nil, err
			}
		}
		for done := 0; done < w.iters; done += block {
			for range min(block, w.iters-done) {
				if err := one("op", w.op, &oi, &opT, &opRows, &opTotal, opCount, &opStmts); err != nil {
					return nil, err
				}
			}
			if w.prepare != nil && done == 0 {
				if err := w.prepare(ctx, "baseline", run); err != nil {
					return nil, err
				}
			}
			for range min(block, w.iters-done) {
				if err := one("baseline", w.base, &bi, &baseT, &baseRows, &baseTotal, baseCount, &baseStmts); err != nil {
					return nil, err
				}
			}
		}
	}
	res := &result{Name: w.name, Desc: w.desc, Op: summarize(opT, opRows, opTotal), Base: summarize(baseT, baseRows, baseTotal)}
	if w.iters == 1 {
		res.Ratio = res.Op.Mean / res.Base.Mean
	} else {
		res.Ratio = res.Op.P50 / res.Base.P50
	}
	res.OpStmts = float64(opStmts) / float64(max(len(opT), 1))
	res.BaseStmts = float64(baseStmts) / float64(max(len(baseT), 1))
	return res, nil
}

func summarize(ts []time.Duration, rows int, total time.Duration) stats {
	if len(ts) == 0 {
		return stats{}
	}
	s := slices.Clone(ts)
	slices.Sort(s)
	q := func(p float64) float64 {
		i := int(p*float64(len(s))+0.5) - 1
		return float64(s[min(max(i, 0), len(s)-1)]) / 1e3
	}
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	st := stats{N: len(s), P50: q(0.50), P99: q(0.99), Mean: float64(sum) / float64(len(s)) / 1e3, PerSec: float64(len(s)) / total.Seconds()}
	if rows > 0 {
		st.RowsPerSec = float64(rows) / total.Seconds()
	}
	return st
}

// dur formats microseconds.
func dur(us float64) string {
	switch {
	case us >= 1e6:
		return fmt.Sprintf("%.2f s", us/1e6)
	case us >= 1e3:
		return fmt.Sprintf("%.2f ms", us/1e3)
	}
	return fmt.Sprintf("%.1f µs", us)
}

func writeTable(w io.Writer, rs []*result, runs int) {
	fmt.Fprintf(w, "| workload | op p50 | op p99 | baseline p50 | baseline p99 | ratio | statements op / baseline |\n")
	fmt.Fprintf(w, "|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %.2f | %.1f / %.1f |\n", r.Name, dur(r.Op.P50), dur(r.Op.P99),
			dur(r.Base.P50), dur(r.Base.P99), r.Ratio, r.OpStmts, r.BaseStmts)
	}
	fmt.Fprintln(w)
	for _, r := range rs {
		fmt.Fprintf(w, "- `%s`: %s.\n", r.Name, r.Desc)
	}
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

var errOutOfFixtures = errors.New("out of fixtures (lower -runs)")
