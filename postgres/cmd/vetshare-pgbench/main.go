// Command vetshare-pgbench measures vetshare on PostgreSQL beside SQLite: it generates a data
// set through the operations on both stores (gen, as vetshare-bench does), then measures the
// throughput of 1, 2 and 4 writers, each creating clients (records.CreateClient) for an owner
// of its own, on each store.
//
//	eval "$(bash .ci/postgres start)"
//	go run ./postgres/cmd/vetshare-pgbench -dsn "$VETSHARE_PG_OWNER_DSN" -size small
//
// With -ratios it runs instead, on a data set generated on PostgreSQL, the hot workloads of
// cmd/vetshare-bench each beside a plain-SQL baseline written for PostgreSQL with pgx (the rows
// the operation reads and writes, in the driver's statements, owner-filtered, in one
// transaction, without the library's savepoints and extra reads), alternating in blocks of
// ten, and prints op and baseline p50/p99, their ratio, and the statements each side sent:
//
//	go run ./postgres/cmd/vetshare-pgbench -ratios -size small -runs 5
//
// -trace prints the statements of one operation and one baseline operation of each workload.
//
// It lives in the postgres module, not beside vetshare-bench, so that the root module never
// has pgx in its graph. The dsn's role must be able to create a database: the run works in a
// new one, dropped at the end.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/gen"
	"github.com/vetshare/vetshare/postgres"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sqlite"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "vetshare-pgbench:", err)
		os.Exit(1)
	}
}

func run() error {
	dsn := flag.String("dsn", os.Getenv("VETSHARE_PG_OWNER_DSN"), "PostgreSQL connection string of a role that may create databases")
	size := flag.String("size", "small", "data set generated first on both stores: small, medium, 1M, or none")
	seconds := flag.Float64("seconds", 5, "seconds each writers' measurement runs")
	writersFlag := flag.String("writers", "1,2,4", "numbers of concurrent writers, each on an owner of its own")
	ratios := flag.Bool("ratios", false, "instead of the writers: run every workload beside its plain-SQL baseline on PostgreSQL, as vetshare-bench does on SQLite")
	runs := flag.Int("runs", 5, "-ratios: runs of each workload")
	only := flag.String("workloads", "", "-ratios: comma-separated workloads to run (default all)")
	scale := flag.Float64("scale", 0, "-ratios: operations per run relative to the full counts (default 1 for 1M, less for smaller sizes)")
	keep := flag.String("keep", "", "-ratios: keep the generated data set in this database (and its manifest in NAME.manifest.json here), or reuse it if the manifest exists")
	trace := flag.Bool("trace", false, "-ratios: print the statements of one operation and one baseline operation of each workload instead of measuring")
	flag.Parse()
	if *dsn == "" {
		return fmt.Errorf("no -dsn (or VETSHARE_PG_OWNER_DSN)")
	}
	if *ratios {
		return runRatios(context.Background(), ratioFlags{dsn: *dsn, size: *size, only: *only, keep: *keep, runs: *runs, scale: *scale, trace: *trace})
	}
	var counts []int
	for _, f := range strings.Split(*writersFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-writers: %q is not a positive number", f)
		}
		counts = append(counts, n)
	}
	ctx := context.Background()
	dur := time.Duration(*seconds * float64(time.Second))

	dir, err := os.MkdirTemp("", "vetshare-pgbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sclk := vetshare.NewTickClock(gen.End())
	sq, err := sqlite.Open(ctx, filepath.Join(dir, "bench.db"), sqlite.WithClock(sclk))
	if err != nil {
		return err
	}
	defer sq.Close()

	db := fmt.Sprintf("vetshare_bench_%d", os.Getpid())
	admin, err := pgx.Connect(ctx, *dsn)
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		return err
	}
	defer admin.Exec(context.Background(), "DROP DATABASE "+db+" WITH (FORCE)")
	cfg, err := pgx.ParseConfig(*dsn)
	if err != nil {
		return err
	}
	pdsn := fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable pool_max_conns=16", cfg.Host, cfg.Port, cfg.User, db)
	pclk := vetshare.NewTickClock(gen.End())
	pg, err := postgres.Open(ctx, pdsn, postgres.WithClock(pclk))
	if err != nil {
		return err
	}
	defer pg.Close()

	stores := []struct {
		name string
		st   vetshare.Store
		clk  *vetshare.TickClock
	}{{"SQLite", sq, sclk}, {"PostgreSQL", pg, pclk}}

	if *size != "none" {
		sz, ok := gen.SizeNamed(*size)
		if !ok {
			return fmt.Errorf("-size: no size %q", *size)
		}
		for _, s := range stores {
			began := time.Now()
			m, err := gen.Generate(ctx, s.st, s.clk, gen.Config{Seed: 1, Size: sz})
			if err != nil {
				return fmt.Errorf("generating on %s: %w", s.name, err)
			}
			el := time.Since(began)
			fmt.Printf("generated %s on %s: %d rows in %s, %.0f rows/s\n", sz.Name, s.name, m.Counts.Rows(), el.Round(time.Millisecond), float64(m.Counts.Rows())/el.Seconds())
		}
	}

	fmt.Printf("\n| writers (one owner each) | SQLite clients/s | PostgreSQL clients/s | PostgreSQL / SQLite |\n|---:|---:|---:|---:|\n")
	maxW := 0
	for _, n := range counts {
		maxW = max(maxW, n)
	}
	actors := make([][]vetshare.Actor, len(stores))
	for i, s := range stores {
		for w := range maxW {
			a, err := newOwner(ctx, s.st, w)
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			actors[i] = append(actors[i], a)
		}
	}
	for _, n := range counts {
		var rates [2]float64
		for i, s := range stores {
			r, err := writers(ctx, s.st, actors[i][:n], dur)
			if err != nil {
				return fmt.Errorf("%s, %d writers: %w", s.name, n, err)
			}
			rates[i] = r
		}
		fmt.Printf("| %d | %.0f | %.0f | %.2f |\n", n, rates[0], rates[1], rates[1]/rates[0])
	}
	return nil
}

// newOwner makes an owner with one clinic and its admin, and returns the admin at the clinic.
func newOwner(ctx context.Context, st vetshare.Store, i int) (vetshare.Actor, error) {
	var a vetshare.Actor
	err := st.Update(ctx, func(tx *vetshare.Tx) error {
		o, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: fmt.Sprintf("Bench Owner %d", i)})
		if err != nil {
			return err
		}
		u, err := accounts.CreateUser(ctx, tx, vetshare.User{Name: "Bench Admin", Email: fmt.Sprintf("bench%d@bench.example", i), EmailVerified: true, Active: true})
		if err != nil {
			return err
		}
		acc, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: o.ID, Name: "Bench Clinic", Email: fmt.Sprintf("clinic%d@bench.example", i),
			EmailVerified: true, TimeZone: "UTC", Currency: "USD"})
		if err != nil {
			return err
		}
		a = vetshare.Actor{User: u.ID, Account: acc.ID}
		return accounts.Grant(ctx, tx, vetshare.Membership{UserID: u.ID, AccountID: acc.ID, Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true})
	})
	return a, err
}

// writers runs one writer per actor for d, each creating clients one transaction at a time,
// and returns the clients created per second, all writers together.
func writers(ctx context.Context, st vetshare.Store, actors []vetshare.Actor, d time.Duration) (float64, error) {
	var done atomic.Int64
	var firstErr error
	var once sync.Once
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	began := time.Now()
	for w, a := range actors {
		wg.Go(func() {
			for i := 0; time.Now().Before(stop); i++ {
				err := st.Update(ctx, func(tx *vetshare.Tx) error {
					_, _, err := records.CreateClient(ctx, tx, a, vetshare.Client{LastName: "Writer", FirstName: fmt.Sprintf("W%d-%d", w, i)})
					return err
				})
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(began).Seconds(), firstErr
}
