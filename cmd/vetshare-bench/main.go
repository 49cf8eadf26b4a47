// Command vetshare-bench generates a data set (package gen) and measures every hot operation
// of vetshare on it, next to a baseline doing the same rows with plain SQL on the same SQLite
// file through the same driver, in the same run:
//
//	vetshare-bench -size 1M -runs 5 -markdown BENCHMARKS.md -json bench.json
//
// Each workload runs -runs times; each run times a number of operations and as many baseline
// operations, alternating in blocks of ten so that both meet the same load. It prints, per workload, p50, p99 and throughput of both, and the ratio of the
// operation's p50 to the baseline's (for a backfill, of total times), with the target and
// whether it is met. -markdown writes the table into a Markdown file, between the markers
// <!-- bench:begin --> and <!-- bench:end --> when the file has them (the rest is kept), and
// -json writes the results so that runs can be compared between commits.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/vetshare/vetshare/gen"
	"github.com/vetshare/vetshare/sqlite"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "vetshare-bench:", err)
		os.Exit(1)
	}
}

// stats summarizes one side of a workload. Times are microseconds.
type stats struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50_us"`
	P99 float64 `json:"p99_us"`
	// Ckpt counts the samples during which the store's checkpointer ran a checkpoint, and
	// P99NoCkpt is p99 without them.
	Ckpt int `json:"checkpoint_samples"`
	// GC counts the samples during which the garbage collector ran, in part or whole (a
	// pause, or a cycle under way at the start or the end), and P99NoGC is p99 without them.
	GC      int     `json:"gc_samples"`
	P99NoGC float64 `json:"p99_no_gc_us"`
	// Allocs is the mean number of heap allocations per operation (runtime.MemStats.Mallocs
	// over each block, read outside the timed samples).
	Allocs float64 `json:"allocs_per_op"`
	// AllocBytes is the mean number of bytes allocated per operation (MemStats.TotalAlloc, read
	// as Allocs is). The collector's pace follows the bytes, not the count: a side that
	// allocates more bytes has more samples the collector ran in.
	AllocBytes float64 `json:"alloc_bytes_per_op"`
	P99NoCkpt  float64 `json:"p99_no_checkpoint_us"`
	Mean       float64 `json:"mean_us"`
	PerSec     float64 `json:"ops_per_s"`
	RowsPerSec float64 `json:"rows_per_s,omitempty"`
}

type result struct {
	Name   string  `json:"name"`
	Desc   string  `json:"desc"`
	Target string  `json:"target"`
	Op     stats   `json:"op"`
	Base   stats   `json:"baseline"`
	Limit  *stats  `json:"limit,omitempty"`
	Ratio  float64 `json:"ratio"`
	// LimitRatio is op p50 / limit p50, and LimitP99Ratio op p99 / limit p99.
	LimitRatio    float64 `json:"limit_ratio,omitempty"`
	LimitP99Ratio float64 `json:"limit_p99_ratio,omitempty"`
	// CalWriteTx is, for an absolute target, the p50 in µs of the calibration's one-row write
	// transaction timed first in each of the workload's blocks: the machine's speed while the
	// workload ran, by which the target is scaled (p99AtMost).
	CalWriteTx float64 `json:"calibration_write_tx_p50_us,omitempty"`
	// CalWriteTxP99 is that write's p99, timed in the blocks of an absolute target and of
	// every write (workload.beside): the machine's own write tail, beside the write p99/p50
	// target.
	CalWriteTxP99 float64 `json:"calibration_write_tx_p99_us,omitempty"`
	Met           bool    `json:"met"`
	Note          string  `json:"note,omitempty"`
	Rows          int     `json:"rows_per_op,omitempty"`
	// afterWrite is the row of the samples taken right after a write (workload.afterWrite).
	afterWrite *result
}

type report struct {
	Machine     machine        `json:"machine"`
	Calibration calibration    `json:"calibration"`
	Command     string         `json:"command"`
	Size        gen.Size       `json:"size"`
	Seed        int64          `json:"seed"`
	Runs        int            `json:"runs"`
	Generation  generation     `json:"generation"`
	Results     []*result      `json:"results"`
	At          time.Time      `json:"at"`
	Extra       map[string]any `json:"extra,omitempty"`
	Plans       []queryPlan    `json:"query_plans,omitempty"`
}

type generation struct {
	Counts     gen.Counts    `json:"counts"`
	Rows       int64         `json:"rows"`
	Elapsed    time.Duration `json:"elapsed_ns"`
	RowsPerSec float64       `json:"rows_per_s"`
	PeakRSS    int64         `json:"peak_rss_bytes"`
	FileBytes  int64         `json:"file_bytes"`
}

func run() error {
	size := flag.String("size", "small", "data set size: small, medium or 1M")
	seed := flag.Int64("seed", 1, "random seed of the data set")
	runs := flag.Int("runs", 5, "runs of each workload")
	only := flag.String("workloads", "", "comma-separated workloads to run (default all); -list shows them")
	list := flag.Bool("list", false, "list the workloads and exit")
	jsonOut := flag.String("json", "", "write the results as JSON to this file")
	mdOut := flag.String("markdown", "", "write the results as Markdown into this file")
	dir := flag.String("dir", "", "directory of the database file (default a temporary one, removed at the end)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the workloads (not the generation) to this file")
	memprofile := flag.String("memprofile", "", "write an allocation profile of the workloads (not the generation) to this file")
	samplesOut := flag.String("samples", "", "write every timed sample to this CSV file: workload, side, index, start and duration in µs since the workloads began, whether a checkpoint and the collector ran in it")
	scale := flag.Float64("scale", 0, "operations per run relative to the full counts (default 1 for 1M, less for smaller sizes)")
	quiet := flag.Bool("q", false, "no generation progress")
	reuse := flag.Bool("reuse", false, "reuse the data set a run with the same -dir, -size and -seed kept, instead of generating it (for read-only workloads: the others change it)")
	flag.Parse()
	sz, ok := gen.SizeNamed(*size)
	if !ok {
		return fmt.Errorf("unknown size %q", *size)
	}
	if *scale <= 0 {
		*scale = map[string]float64{"small": 0.05, "medium": 0.5}[sz.Name]
		if *scale == 0 {
			*scale = 1
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	if *list {
		fmt.Println(strings.Join(workloadNames, "\n"))
		return nil
	}

	d := *dir
	if d == "" {
		tmp, err := os.MkdirTemp("", "vetshare-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		d = tmp
	}
	path := filepath.Join(d, fmt.Sprintf("vetshare-%s-%d.db", sz.Name, *seed))
	rep := &report{Machine: describeMachine(), Command: "vetshare-bench " + strings.Join(os.Args[1:], " "), Size: sz, Seed: *seed, Runs: *runs, At: time.Now().UTC()}

	var m *gen.Manifest
	if *reuse {
		b, err := os.ReadFile(path + ".manifest.json")
		if err != nil {
			return fmt.Errorf("-reuse: %w", err)
		}
		m = new(gen.Manifest)
		if err := json.Unmarshal(b, m); err != nil {
			return fmt.Errorf("-reuse: %w", err)
		}
		fmt.Fprintf(os.Stderr, "reusing the %s data set (seed %d) in %s\n", sz.Name, *seed, path)
	} else {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		fmt.Fprintf(os.Stderr, "generating %s data set (seed %d) in %s\n", sz.Name, *seed, path)
		cfg := gen.Config{Seed: *seed, Size: sz}
		if !*quiet {
			cfg.Progress = func(p gen.Progress) { fmt.Fprintln(os.Stderr, " ", p) }
		}
		var err error
		if m, err = gen.GenerateFile(ctx, path, cfg); err != nil {
			return err
		}
		if *dir != "" {
			b, _ := json.Marshal(m)
			if err := os.WriteFile(path+".manifest.json", b, 0o644); err != nil {
				return err
			}
		}
	}
	fi, _ := os.Stat(path)
	var fileBytes int64
	if fi != nil {
		fileBytes = fi.Size()
	}
	rep.Generation = generation{Counts: m.Counts, Rows: m.Counts.Rows(), Elapsed: m.Elapsed,
		RowsPerSec: float64(m.Counts.Rows()) / m.Elapsed.Seconds(), PeakRSS: m.PeakRSS, FileBytes: fileBytes}
	fmt.Fprintf(os.Stderr, "generated %d rows in %s: %.0f rows/s, peak memory %d MiB, file %d MiB\n",
		rep.Generation.Rows, m.Elapsed.Round(time.Second), rep.Generation.RowsPerSec, m.PeakRSS>>20, fileBytes>>20)

	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	// Every side of a read reads through r: the operation through rst, a store opened over r,
	// the baseline and the limit through p. See readPool.
	r, rst, err := readPool(ctx, path)
	if err != nil {
		return err
	}
	defer r.Close()
	defer rst.Close()
	p := &plain{w: st.DB(), r: r}
	defer p.close()
	if err := p.prepare(ctx, p.w, append(append(writeQueries, domainWriteQueries...), limitWriteQueries...)...); err != nil {
		return err
	}
	if err := p.prepare(ctx, p.r, append(append(append(readQueries, domainReadQueries...), limitReadQueries...), qDupPage, qDupEntries, qDupPatients)...); err != nil {
		return err
	}
	cal, err := openCalWriter(ctx, d)
	if err != nil {
		return err
	}
	defer cal.close()
	rep.Calibration, err = calibrate(ctx, cal)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "calibration: %s\n", rep.Calibration)
	e := &env{m: m, st: st, rst: rst, p: p, runs: *runs, scale: *scale, path: path, cal: cal}
	if err := e.setupDomains(ctx); err != nil {
		return err
	}

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *samplesOut != "" {
		f, err := os.Create(*samplesOut)
		if err != nil {
			return err
		}
		e.samples, e.samplesT0 = bufio.NewWriterSize(f, 1<<20), time.Now()
		fmt.Fprintln(e.samples, "workload,side,index,start_us,duration_us,checkpoint,gc")
		defer func() {
			if err := e.samples.Flush(); err != nil {
				fmt.Fprintln(os.Stderr, "samples:", err)
			}
			f.Close()
		}()
	}
	if *memprofile != "" {
		runtime.GC()
		runtime.MemProfileRate = 4096 // one sample per 4 KiB allocated, from here on
		defer writeHeapProfile(*memprofile)
	}
	var want []string
	if *only != "" {
		want = strings.Split(*only, ",")
	}
	all := map[string]*result{}
	for _, w := range e.workloads() {
		if want != nil && !slices.Contains(want, w.name) {
			continue
		}
		res, err := e.measure(ctx, w)
		if err != nil {
			return fmt.Errorf("%s: %w", w.name, err)
		}
		all[w.name] = res
		rep.Results = append(rep.Results, res)
		if w.judge != nil {
			res.Met, res.Note = w.judge(res, all)
		}
		if res.afterWrite != nil {
			rep.Results = append(rep.Results, res.afterWrite)
		}
		for _, res := range []*result{res, res.afterWrite} {
			if res == nil {
				continue
			}
			fmt.Fprintf(os.Stderr, "%-22s op p50 %s p99 %s (%d ckpt, p99 %s without) | baseline p50 %s p99 %s (%d ckpt) | ratio %.2f %s\n", res.Name,
				dur(res.Op.P50), dur(res.Op.P99), res.Op.Ckpt, p99Without(res.Op.Ckpt, res.Op, res.Op.P99NoCkpt), dur(res.Base.P50), dur(res.Base.P99), res.Base.Ckpt, res.Ratio, metWord(res))
			fmt.Fprintf(os.Stderr, "%-22s allocs/op: op %.0f (%.1f KiB), baseline %.0f (%.1f KiB); samples the garbage collector ran in: op %d (p99 %s without), baseline %d\n", "",
				res.Op.Allocs, res.Op.AllocBytes/1024, res.Base.Allocs, res.Base.AllocBytes/1024, res.Op.GC, p99Without(res.Op.GC, res.Op, res.Op.P99NoGC), res.Base.GC)
			if res.Limit != nil {
				fmt.Fprintf(os.Stderr, "%-22s limit p50 %s p99 %s (%d GC samples, p99 %s without; allocs/op %.0f, %.1f KiB) | op/limit p50 %.2f p99 %.2f\n", "",
					dur(res.Limit.P50), dur(res.Limit.P99), res.Limit.GC, p99Without(res.Limit.GC, *res.Limit, res.Limit.P99NoGC), res.Limit.Allocs, res.Limit.AllocBytes/1024, res.LimitRatio, res.LimitP99Ratio)
			}
			if res.CalWriteTx > 0 {
				fmt.Fprintf(os.Stderr, "%-22s one-row write timed beside it: p50 %s p99 %s (p99/p50 %.1f); op p99/p50 %.1f\n", "",
					dur(res.CalWriteTx), dur(res.CalWriteTxP99), res.CalWriteTxP99/res.CalWriteTx, res.Op.P99/res.Op.P50)
			}
		}
	}
	rep.Extra = e.extra
	rep.Plans = e.plans
	writeTable(os.Stdout, rep)
	writePlans(os.Stdout, rep)
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	if *mdOut != "" {
		if err := writeMarkdown(*mdOut, rep); err != nil {
			return err
		}
	}
	return nil
}

// measure runs a workload: warm-up, then runs of timed operations and baseline operations.
func (e *env) measure(ctx context.Context, w *workload) (*result, error) {
	runtime.GC()
	var opT, baseT, limT []sample
	var opRows, baseRows, limRows int
	var opTotal, baseTotal, limTotal time.Duration
	oi, bi, li := 0, 0, 0
	for range w.warm {
		if _, err := w.op(ctx, oi); err != nil {
			return nil, fmt.Errorf("warm-up: %w", err)
		}
		if _, err := w.base(ctx, bi); err != nil {
			return nil, fmt.Errorf("baseline warm-up: %w", err)
		}
		if w.limit != nil {
			if _, err := w.limit(ctx, li); err != nil {
				return nil, fmt.Errorf("limit warm-up: %w", err)
			}
			li++
		}
		oi, bi = oi+1, bi+1
	}
	// The sides alternate in blocks of a few operations, so that all meet the same conditions
	// of a shared machine, and the side that goes first changes every block, so that none
	// always follows another's writes; each side's throughput counts its own time only.
	block := 10
	if w.block > 0 {
		block = w.block
	}
	gcm := newGCMeter()
	suffix := "" // of the workload's name in -samples: "-after-write" for those rows
	one := func(name string, f func(context.Context, int) (int, error), i *int, ts *[]sample, rows *int, total *time.Duration) error {
		before, gcBefore := e.st.Checkpoints(), gcm.read()
		t := time.Now()
		n, err := f(ctx, *i)
		d := time.Since(t)
		if err != nil {
			return fmt.Errorf("%s %d: %w", name, *i, err)
		}
		gcAfter := gcm.read()
		x := sample{d: d, ckpt: e.st.Checkpoints() != before, gc: gcBefore.during(gcAfter)}
		*ts = append(*ts, x)
		if e.samples != nil { // buffered (1 MiB): written out when full, after a sample's time is taken
			fmt.Fprintf(e.samples, "%s,%s,%d,%d,%d,%t,%t\n", w.name+suffix, name, *i, t.Sub(e.samplesT0).Microseconds(), d.Microseconds(), x.ckpt, x.gc)
		}
		*rows, *total = *rows+n, *total+d
		*i++
		return nil
	}
	type sideT struct {
		name   string
		f      func(context.Context, int) (int, error)
		i      *int
		ts     *[]sample
		rows   *int
		total  *time.Duration
		allocs *allocCount
	}
	var opA, baseA, limA allocCount
	sides := []sideT{{"op", w.op, &oi, &opT, &opRows, &opTotal, &opA}, {"baseline", w.base, &bi, &baseT, &baseRows, &baseTotal, &baseA}}
	if w.limit != nil {
		sides = append(sides, sideT{"limit", w.limit, &li, &limT, &limRows, &limTotal, &limA})
	}
	// An absolute target's calibration is timed in the same blocks, first in each, so that
	// the side it precedes is the block's first side, which rotates: the machine's speed
	// while the workload runs, not at the start of the run (workload.absolute).
	var calT []sample
	var ci, calRows int
	var calTotal time.Duration
	timeCal := func(k int) error {
		if !w.absolute && !w.beside {
			return nil
		}
		for range k {
			if err := one("calibration", e.cal.write, &ci, &calT, &calRows, &calTotal); err != nil {
				return err
			}
		}
		return nil
	}
	var ms runtime.MemStats
	nblock := 0
	for run := range e.runs {
		// prepare runs before a side's first block of the run, not before every side's (a
		// backfill's prepare adds the account that the next side fills).
		prepared := map[string]bool{}
		if w.verify != nil {
			if err := w.verify(ctx, oi); err != nil {
				return nil, fmt.Errorf("run %d: %w", run, err)
			}
		}
		for done := 0; done < w.iters; done += block {
			k := min(block, w.iters-done)
			first := nblock % len(sides)
			nblock++
			if err := timeCal(k); err != nil {
				return nil, err
			}
			for j := range sides {
				sd := sides[(first+j)%len(sides)]
				if w.prepare != nil && !prepared[sd.name] {
					prepared[sd.name] = true
					if err := w.prepare(ctx, sd.name, run); err != nil {
						return nil, err
					}
				}
				if err := sd.allocs.during(&ms, func() error {
					for range k {
						if err := one(sd.name, sd.f, sd.i, sd.ts, sd.rows, sd.total); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					return nil, err
				}
			}
		}
	}
	res := e.summarizeSides(w, w.name, w.desc, opT, baseT, limT, opRows, baseRows, limRows, opTotal, baseTotal, limTotal, opA, baseA, limA)
	res.Target = w.target
	if w.absolute || w.beside {
		c := summarize(calT, 0, calTotal)
		res.CalWriteTx, res.CalWriteTxP99 = c.P50, c.P99
	}
	if !w.afterWrite {
		return res, nil
	}
	// After a write: the same sides and blocks again, each sample taken right after a one-row
	// write transaction committed on the store's file (untimed), so that every read meets what
	// a commit leaves: read connections whose page cache the commit emptied, a WAL grown by a
	// frame. The allocations count the reads only.
	opT, baseT, limT = nil, nil, nil
	suffix = "-after-write"
	opRows, baseRows, limRows = 0, 0, 0
	opTotal, baseTotal, limTotal = 0, 0, 0
	opA, baseA, limA = allocCount{}, allocCount{}, allocCount{}
	calT = nil
	writes := 0
	for range e.runs {
		for done := 0; done < w.iters; done += block {
			k := min(block, w.iters-done)
			first := nblock % len(sides)
			nblock++
			if err := timeCal(k); err != nil {
				return nil, err
			}
			for j := range sides {
				sd := sides[(first+j)%len(sides)]
				for range k {
					if err := e.oneWrite(ctx, writes); err != nil {
						return nil, fmt.Errorf("write before a sample: %w", err)
					}
					writes++
					if err := sd.allocs.during(&ms, func() error { return one(sd.name, sd.f, sd.i, sd.ts, sd.rows, sd.total) }); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	res.afterWrite = e.summarizeSides(w, w.name+"-after-write", w.desc+"; each sample right after a one-row write transaction committed on the store",
		opT, baseT, limT, opRows, baseRows, limRows, opTotal, baseTotal, limTotal, opA, baseA, limA)
	if w.absolute {
		c := summarize(calT, 0, calTotal)
		res.afterWrite.CalWriteTx, res.afterWrite.CalWriteTxP99 = c.P50, c.P99
	}
	return res, nil
}

// summarizeSides makes a result of the samples of the sides.
func (e *env) summarizeSides(w *workload, name, desc string, opT, baseT, limT []sample, opRows, baseRows, limRows int,
	opTotal, baseTotal, limTotal time.Duration, opA, baseA, limA allocCount) *result {
	res := &result{Name: name, Desc: desc, Op: summarize(opT, opRows, opTotal), Base: summarize(baseT, baseRows, baseTotal), Rows: w.rows}
	res.Op.Allocs, res.Op.AllocBytes = opA.per(len(opT))
	res.Base.Allocs, res.Base.AllocBytes = baseA.per(len(baseT))
	if w.iters == 1 {
		res.Ratio = res.Op.Mean / res.Base.Mean
	} else {
		res.Ratio = res.Op.P50 / res.Base.P50
	}
	if w.limit != nil {
		l := summarize(limT, limRows, limTotal)
		l.Allocs, l.AllocBytes = limA.per(len(limT))
		res.Limit, res.LimitRatio, res.LimitP99Ratio = &l, res.Op.P50/l.P50, res.Op.P99/l.P99
	}
	return res
}

// allocCount adds up a side's heap allocations, counted and in bytes, over its blocks.
type allocCount struct{ n, bytes uint64 }

// during runs f and counts what it allocated, reading ms before and after it, outside the
// samples f times. It returns f's error.
func (a *allocCount) during(ms *runtime.MemStats, f func() error) error {
	runtime.ReadMemStats(ms)
	mallocs, total := ms.Mallocs, ms.TotalAlloc
	err := f()
	runtime.ReadMemStats(ms)
	a.n += ms.Mallocs - mallocs
	a.bytes += ms.TotalAlloc - total
	return err
}

// per returns the allocations and bytes per operation of n operations.
func (a allocCount) per(n int) (allocs, bytes float64) {
	d := float64(max(n, 1))
	return float64(a.n) / d, float64(a.bytes) / d
}

// sample is one timed operation; ckpt is set when a checkpoint of the store's checkpointer
// ended during it (off the request path, but on the same machine: the copy and its fsync
// compete; a checkpoint outlasts many samples, and only the one it ends in is marked).
type sample struct {
	d    time.Duration
	ckpt bool
	gc   bool // the garbage collector ran during it (gcState.during)
}

// gcMeter reads the garbage collector's state from runtime/metrics, without stopping the
// world, into memory it keeps, so that a read allocates nothing.
type gcMeter struct{ s []metrics.Sample }

func newGCMeter() *gcMeter {
	return &gcMeter{s: []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/sched/pauses/total/gc:seconds"}}}
}

// gcState is the collector's completed cycles and its stop-the-world pauses so far. A cycle
// pauses twice, when it starts and when its marking ends, so a count of pauses past twice the
// cycles means a cycle is under way.
type gcState struct{ cycles, pauses uint64 }

func (g *gcMeter) read() gcState {
	metrics.Read(g.s)
	var st gcState
	if g.s[0].Value.Kind() == metrics.KindUint64 {
		st.cycles = g.s[0].Value.Uint64()
	}
	if g.s[1].Value.Kind() == metrics.KindFloat64Histogram {
		for _, c := range g.s[1].Value.Float64Histogram().Counts {
			st.pauses += c
		}
	}
	return st
}

// during reports whether the collector ran between a and b: it paused, or a cycle was under
// way at either end.
func (a gcState) during(b gcState) bool {
	return a.pauses != b.pauses || a.pauses > 2*a.cycles || b.pauses > 2*b.cycles
}

func summarize(samples []sample, rows int, total time.Duration) stats {
	if len(samples) == 0 {
		return stats{}
	}
	var ts, clean, noGC []time.Duration
	ckpt, gc := 0, 0
	for _, x := range samples {
		ts = append(ts, x.d)
		if x.ckpt {
			ckpt++
		} else {
			clean = append(clean, x.d)
		}
		if x.gc {
			gc++
		} else {
			noGC = append(noGC, x.d)
		}
	}
	s := slices.Clone(ts)
	slices.Sort(s)
	slices.Sort(clean)
	slices.Sort(noGC)
	q := func(s []time.Duration, p float64) float64 {
		if len(s) == 0 {
			return 0
		}
		i := int(p*float64(len(s))+0.5) - 1
		return float64(s[min(max(i, 0), len(s)-1)]) / 1e3
	}
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	st := stats{N: len(s), P50: q(s, 0.50), P99: q(s, 0.99), Ckpt: ckpt, P99NoCkpt: q(clean, 0.99), GC: gc, P99NoGC: q(noGC, 0.99),
		Mean: float64(sum) / float64(len(s)) / 1e3, PerSec: float64(len(s)) / total.Seconds()}
	if rows > 0 {
		st.RowsPerSec = float64(rows) / total.Seconds()
	}
	return st
}

// p99Without formats p99, the p99 of a side's samples without the n of its N set apart (the
// checkpointed ones, or those the collector ran in); — when every sample was.
func p99Without(n int, s stats, p99 float64) string {
	if n >= s.N {
		return "—"
	}
	return dur(p99)
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

func metWord(r *result) string {
	if r.Target == "" {
		return ""
	}
	if r.Met {
		return "met"
	}
	return "MISSED"
}

func rate(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.2fM", x/1e6)
	case x >= 1e4:
		return fmt.Sprintf("%.0fk", x/1e3)
	case x >= 1e3:
		return fmt.Sprintf("%.1fk", x/1e3)
	}
	return fmt.Sprintf("%.0f", x)
}

func writeTable(w io.Writer, rep *report) {
	fmt.Fprintf(w, "| workload | op p50 | op p99 | op/s | baseline p50 | baseline p99 | baseline/s | ratio | limit p50 | limit p99 | op/limit p50 | op/limit p99 | checkpointed samples op / base | op p99 without them | GC samples op / base | op p99 without them | allocs/op op / base / limit | KiB allocated/op op / base / limit | target | met |\n")
	fmt.Fprintf(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
	for _, r := range rep.Results {
		opS, baseS := rate(r.Op.PerSec), rate(r.Base.PerSec)
		if r.Op.N > 0 && r.Op.N == rep.Runs { // one operation per run: show rows/s
			opS, baseS = rate(r.Op.RowsPerSec)+" rows/s", rate(r.Base.RowsPerSec)+" rows/s"
		}
		note := metWord(r)
		if r.Note != "" {
			note += " (" + r.Note + ")"
		}
		lim, limAllocs, limBytes := "— | — | — | —", "—", "—"
		if r.Limit != nil {
			lim = fmt.Sprintf("%s | %s | %.2f | %.2f", dur(r.Limit.P50), dur(r.Limit.P99), r.LimitRatio, r.LimitP99Ratio)
			limAllocs, limBytes = fmt.Sprintf("%.0f", r.Limit.Allocs), fmt.Sprintf("%.1f", r.Limit.AllocBytes/1024)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %.2f | %s | %d / %d | %s | %d / %d | %s | %.0f / %.0f / %s | %.1f / %.1f / %s | %s | %s |\n", r.Name, dur(r.Op.P50), dur(r.Op.P99), opS,
			dur(r.Base.P50), dur(r.Base.P99), baseS, r.Ratio, lim, r.Op.Ckpt, r.Base.Ckpt, p99Without(r.Op.Ckpt, r.Op, r.Op.P99NoCkpt), r.Op.GC, r.Base.GC, p99Without(r.Op.GC, r.Op, r.Op.P99NoGC),
			r.Op.Allocs, r.Base.Allocs, limAllocs, r.Op.AllocBytes/1024, r.Base.AllocBytes/1024, limBytes, r.Target, note)
	}
}

const beginMark, endMark = "<!-- bench:begin -->", "<!-- bench:end -->"

func writeMarkdown(path string, rep *report) error {
	var b strings.Builder
	b.WriteString(beginMark + "\n")
	fmt.Fprintf(&b, "Run of %s: `%s`.\n\n", rep.At.Format("2006-01-02 15:04 UTC"), rep.Command)
	m := rep.Machine
	fmt.Fprintf(&b, "Machine: %s, %d CPUs (`nproc`), %s memory, %s, %s/%s; load average %s at the start.\n\n",
		m.CPU, m.NumCPU, m.Memory, m.GoVersion, m.OS, m.Arch, m.LoadAvg)
	fmt.Fprintf(&b, "Calibration at the start: %s.\n\n", rep.Calibration)
	g := rep.Generation
	c := g.Counts
	fmt.Fprintf(&b, "Data set `%s` (seed %d): %d owners, %d accounts, %d users, %d clients, %d client entries, %d patients, %d records, %d audit entries",
		rep.Size.Name, rep.Seed, c.Owners, c.Accounts, c.Users, c.Clients, c.Entries, c.Patients, c.Records, c.Audit)
	keys := make([]string, 0, len(c.Domain))
	for k := range c.Domain {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, ", %d %s", c.Domain[k], k)
	}
	fmt.Fprintf(&b, ".\nGenerated through the operations in %s: %d rows, **%.0f rows/s**, %d operations in %d transactions; peak memory (RSS) %d MiB; file %d MiB.\n\n",
		g.Elapsed.Round(time.Second), g.Rows, g.RowsPerSec, c.Ops, c.Txs, g.PeakRSS>>20, g.FileBytes>>20)
	fmt.Fprintf(&b, "%d runs per workload; ratio = operation p50 / baseline p50 (backfill: total time / baseline total time). "+
		"Operation and baseline alternate in blocks of ten, the side that goes first changing every block. "+
		"A checkpointed sample is one during which the store's checkpointer ran a checkpoint (beside the request, not in it).\n\n", rep.Runs)
	writeTable(&b, rep)
	b.WriteString("\n")
	for _, r := range rep.Results {
		fmt.Fprintf(&b, "- `%s`: %s.\n", r.Name, r.Desc)
	}
	if len(rep.Extra) > 0 {
		b.WriteString("\n")
		keys := make([]string, 0, len(rep.Extra))
		for k := range rep.Extra {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "- %s: %v\n", k, rep.Extra[k])
		}
	}
	writePlans(&b, rep)
	b.WriteString(endMark + "\n")
	section := b.String()

	old, err := os.ReadFile(path)
	if err == nil {
		s := string(old)
		i, j := strings.Index(s, beginMark), strings.Index(s, endMark)
		if i >= 0 && j > i {
			section = s[:i] + section + s[j+len(endMark)+1:]
		}
	}
	return os.WriteFile(path, []byte(section), 0o644)
}

type machine struct {
	CPU       string `json:"cpu"`
	NumCPU    int    `json:"num_cpu"`
	Memory    string `json:"memory"`
	GoVersion string `json:"go"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	LoadAvg   string `json:"load_avg"`
}

func describeMachine() machine {
	m := machine{NumCPU: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, CPU: "unknown CPU", Memory: "unknown"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				var kb int64
				fmt.Sscan(strings.TrimSpace(v), &kb)
				m.Memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			m.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	return m
}

// writeHeapProfile writes the allocations sampled since the workloads began to path; a failure
// is reported, not fatal, as the results are written already.
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "memprofile:", err)
	}
}
