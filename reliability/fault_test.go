package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

// injectedError is the failure the fault injection gives the k-th storage call.
type injectedError struct {
	K      int
	Method string
}

func (e *injectedError) Error() string {
	return fmt.Sprintf("injected failure of storage call %d (%s)", e.K, e.Method)
}

// errRollback ends a transaction that only counted, so that it leaves nothing.
var errRollback = errors.New("rolled back on purpose")

// hooked runs o in a transaction of s through a driver that calls before ahead of each storage
// call and fails the call with before's error. It returns Update's error, the error o returned,
// and the number of calls made; when o succeeds the transaction is rolled back all the same
// unless commit is set.
func hooked(ctx context.Context, s vetshare.Store, o op, commit bool, before func(k int, method string) error) (calls int, updateErr, opErr error) {
	updateErr = s.Update(ctx, func(tx *vetshare.Tx) error {
		h := driver.Wrap(txn.Hooked{Tx: txn.D(tx), Before: func(method string) error {
			calls++
			return before(calls, method)
		}})
		if opErr = o(ctx, h); opErr != nil || commit {
			return opErr
		}
		return errRollback
	})
	return calls, updateErr, opErr
}

// R11.2: for every operation that makes more than one storage call, each of its calls in turn
// fails: the operation returns an error that wraps the failure (typed, so errors.As finds it),
// Update returns it, and the database is byte for byte what it was before (every row of every
// table hashed). An operation that swallowed a storage error, or went on after one, would commit
// half of itself here.
func TestR11_2EveryDriverFailureLeavesNothing(t *testing.T) {
	start := time.Now()
	s, db := newStore(t)
	w := newWorld(t, s)
	ctx := context.Background()
	faults := 0
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			o := sc.prepare(t, w)
			before := snapshot(t, db)
			n, updateErr, opErr := hooked(ctx, s, o, false, func(int, string) error { return nil })
			if opErr != nil || !errors.Is(updateErr, errRollback) {
				t.Fatalf("without a fault: %v (Update: %v)", opErr, updateErr)
			}
			if n < 2 {
				t.Fatalf("%d storage calls: not a multi-call operation", n)
			}
			for k := 1; k <= n; k++ {
				var fired *injectedError
				_, updateErr, opErr := hooked(ctx, s, o, true, func(i int, method string) error {
					if i == k {
						fired = &injectedError{K: k, Method: method}
						return fired
					}
					return nil
				})
				if fired == nil {
					t.Errorf("call %d of %d: never made (the operation took another path)", k, n)
					continue
				}
				faults++
				var got *injectedError
				switch {
				case opErr == nil:
					t.Errorf("%s failed (call %d of %d): the operation succeeded, or was refused as if nothing had failed", fired.Method, k, n)
				case !errors.As(opErr, &got) || got != fired:
					t.Errorf("%s failed (call %d of %d): the operation returned %v, which does not wrap the failure", fired.Method, k, n, opErr)
				case !errors.Is(updateErr, fired):
					t.Errorf("%s failed (call %d of %d): Update returned %v, not the operation's error", fired.Method, k, n, updateErr)
				}
				if after := snapshot(t, db); after != before {
					t.Fatalf("%s failed (call %d of %d): the database changed", fired.Method, k, n)
				}
			}
			t.Logf("%d storage calls, each failed in turn", n)
		})
	}
	checkDatabase(t, s, db)
	t.Logf("%s: %d operations, %d faults injected, in %v", engineName, len(scenarios), faults, time.Since(start).Round(time.Millisecond))
}
