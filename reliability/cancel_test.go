package reliability_test

import (
	"context"
	"errors"
	"flag"
	"math/rand/v2"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/vetshare/vetshare"
)

const cancelBatch = 200

var cancels = flag.Int("cancels", 200, "how many operations TestR11_2CancelledAnywhereLeavesNothing cancels")

// R11.2, R11.3: random operations cancelled at random points leave nothing behind. Each round
// picks an operation of scenarios and either cancels its context just before its k-th storage
// call, for a random k up to one past its last (cancelled after the operation returned, before
// the commit), or gives it a random deadline of up to 0.8ms. An operation that does not commit
// fails with an error matching context.Canceled or context.DeadlineExceeded, from the operation
// and from Update, and the database is as before it; no connection is left in use after a
// round; at the end every invariant holds, the store's pools close all their connections, and no
// goroutine the test started outlives it (goleak).
func TestR11_2CancelledAnywhereLeavesNothing(t *testing.T) {
	leaks := goleak.IgnoreCurrent()
	start := time.Now()
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 2))
	var atCall, afterOp, deadlines, committed int
	// Rounds run in batches on a fresh store each, so that a long run (-cancels 10000) does not
	// hash an ever larger database twice a round.
	for batch := 0; batch*cancelBatch < *cancels; batch++ {
		s, db := newStore(t)
		w := newWorld(t, s)
		for round := batch * cancelBatch; round < min((batch+1)*cancelBatch, *cancels); round++ {
			sc := scenarios[rng.IntN(len(scenarios))]
			o := sc.prepare(t, w)
			n, _, _ := hooked(context.Background(), s, o, false, func(int, string) error { return nil })
			before := snapshot(t, db)

			ctx, cancel := context.WithCancel(context.Background())
			k := 0 // cancel just before storage call k; n+1: after the operation, before the commit
			if rng.IntN(4) == 0 {
				cancel()
				ctx, cancel = context.WithTimeout(context.Background(), time.Duration(rng.IntN(800))*time.Microsecond)
				deadlines++
			} else if k = 1 + rng.IntN(n+1); k > n {
				afterOp++
			} else {
				atCall++
			}
			run := o
			if k > n {
				run = func(ctx context.Context, tx *vetshare.Tx) error {
					err := o(ctx, tx)
					cancel()
					return err
				}
			}
			_, updateErr, opErr := hooked(ctx, s, run, true, func(i int, _ string) error {
				if i == k {
					cancel()
				}
				return nil
			})
			cancel()

			isCtx := func(err error) bool {
				return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
			}
			switch {
			case updateErr == nil && k > 0:
				t.Errorf("round %d, %s cancelled at call %d of %d: committed", round, sc.name, k, n)
			case updateErr == nil:
				committed++ // the deadline came too late
			case !isCtx(updateErr):
				t.Errorf("round %d, %s cancelled at call %d of %d: Update returned %v, which matches neither context.Canceled nor context.DeadlineExceeded", round, sc.name, k, n, updateErr)
			case opErr != nil && !isCtx(opErr):
				t.Errorf("round %d, %s cancelled at call %d of %d: the operation returned %v, which matches neither context.Canceled nor context.DeadlineExceeded", round, sc.name, k, n, opErr)
			}
			if updateErr != nil && snapshot(t, db) != before {
				t.Fatalf("round %d, %s cancelled at call %d of %d: the database changed", round, sc.name, k, n)
			}
			if inUse, open, most := conns(s); inUse != 0 {
				t.Fatalf("round %d, %s: %d connections still in use after Update returned", round, sc.name, inUse)
			} else if open > most {
				t.Fatalf("round %d: %d connections open, more than the pools' %d", round, open, most)
			}
		}
		checkDatabase(t, s, db)
		if err := s.Engine.(interface{ Close() error }).Close(); err != nil {
			t.Fatal(err)
		}
		db.Close() // on SQLite the store's own pool, closed already; on PostgreSQL the checks' own
		if _, open, _ := conns(s); open != 0 {
			t.Errorf("%d connections still open after Close", open)
		}
	}
	goleak.VerifyNone(t, leaks)
	t.Logf("%s: %d cancellations (seed %d): %d before a storage call, %d after the operation before its commit, %d by deadline (%d of them too late to stop the commit), in %v",
		engineName, *cancels, seed, atCall, afterOp, deadlines, committed, time.Since(start).Round(time.Millisecond))
}
