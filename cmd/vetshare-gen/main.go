// Command vetshare-gen builds a realistic vetshare data set in a new SQLite file, through the
// library's operations, deterministically from a seed (see package gen):
//
//	vetshare-gen -size 1M -seed 1 -o vetshare.db
//
// It prints its progress and, at the end, the rows written per second and the peak memory, and
// writes the data set's manifest (owners, accounts, users, fixtures) as JSON beside the file.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/vetshare/vetshare/gen"
)

func main() {
	size := flag.String("size", "small", "data set size: "+sizeNames())
	seed := flag.Int64("seed", 1, "random seed; the same seed and size give the same data")
	out := flag.String("o", "vetshare.db", "database file to create (must not exist)")
	batch := flag.Int("batch", 1000, "clients per transaction")
	quiet := flag.Bool("q", false, "no progress")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the generation to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "vetshare-gen:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "vetshare-gen:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	sz, ok := gen.SizeNamed(*size)
	if !ok {
		fmt.Fprintf(os.Stderr, "vetshare-gen: unknown size %q (want %s)\n", *size, sizeNames())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg := gen.Config{Seed: *seed, Size: sz, Batch: *batch}
	if !*quiet {
		cfg.Progress = func(p gen.Progress) { fmt.Fprintln(os.Stderr, p) }
	}
	m, err := gen.GenerateFile(ctx, *out, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vetshare-gen:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(*out+".manifest.json", b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "vetshare-gen:", err)
		os.Exit(1)
	}
	c := m.Counts
	fmt.Printf("%s: size %s seed %d: %d owners, %d accounts, %d users, %d clients, %d client entries, %d patients, %d records, %d audit entries",
		*out, sz.Name, *seed, c.Owners, c.Accounts, c.Users, c.Clients, c.Entries, c.Patients, c.Records, c.Audit)
	for k, v := range c.Domain {
		fmt.Printf(", %d %s", v, k)
	}
	fmt.Printf("\n%d rows in %s (%d operations, %d transactions): %.0f rows/s; peak memory %d MiB\n",
		c.Rows(), m.Elapsed.Round(time.Millisecond), c.Ops, c.Txs, float64(c.Rows())/m.Elapsed.Seconds(), m.PeakRSS>>20)
}

func sizeNames() string {
	var s []string
	for _, z := range gen.Sizes() {
		s = append(s, z.Name)
	}
	return strings.Join(s, ", ")
}
