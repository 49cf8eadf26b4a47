// Package storetest is the conformance suite every [vetshare.Store] must pass. A store's test is
// a few lines:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) vetshare.Store {
//			s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db"))
//			...
//			return s
//		})
//	}
//
// The suite is written against the driver contract (package driver): it runs the operations of
// the domain packages and calls driver methods directly, and checks the contracts the driver
// states. Each domain adds its checks with [Register]. Run counts the driver methods the checks
// call and, when every check ran, fails for each method of the contract that none called, so
// the suite keeps covering the whole contract as it grows.
package storetest

import (
	"context"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

// Harness returns a new, empty, migrated store for one test. The suite closes it.
type Harness func(t *testing.T) vetshare.Store

var (
	mu     sync.Mutex
	suites = map[string]func(*testing.T, Harness){}
)

// Register adds a named group of checks to the suite. Domain files of this package call it from
// init; the name is the subtest's.
func Register(name string, fn func(*testing.T, Harness)) {
	mu.Lock()
	defer mu.Unlock()
	suites[name] = fn
}

// Run runs every registered group of checks, each as a subtest, against stores from h.
func Run(t *testing.T, h Harness) {
	mu.Lock()
	names := make([]string, 0, len(suites))
	for n := range suites {
		names = append(names, n)
	}
	mu.Unlock()
	sort.Strings(names)
	c := &coverage{calls: map[string]int{}}
	ran := 0
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			ran++
			suites[n](t, func(t *testing.T) vetshare.Store { return covering{h(t), c} })
		})
	}
	if ran < len(names) {
		return // a -run filter chose some checks: coverage is not judged
	}
	dt := reflect.TypeFor[driver.Tx]()
	for i := range dt.NumMethod() {
		if m := dt.Method(i).Name; m != "Now" && c.count(m) == 0 {
			t.Errorf("no check of the suite calls driver method %s", m)
		}
	}
}

// coverage counts the calls of each driver method.
type coverage struct {
	mu    sync.Mutex
	calls map[string]int
}

func (c *coverage) add(method string) error {
	c.mu.Lock()
	c.calls[method]++
	c.mu.Unlock()
	return nil
}

func (c *coverage) count(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[method]
}

// covering is a store whose transactions count their driver calls.
type covering struct {
	vetshare.Store
	c *coverage
}

func (s covering) wrap(fn func(*vetshare.Tx) error) func(*vetshare.Tx) error {
	return func(tx *vetshare.Tx) error {
		return fn(driver.Wrap(txn.Hooked{Tx: txn.D(tx), Before: s.c.add}))
	}
}

// Update runs fn in the store's write transaction, counting its driver calls.
func (s covering) Update(ctx context.Context, fn func(*vetshare.Tx) error) error {
	return s.Store.Update(ctx, s.wrap(fn))
}

// View runs fn in the store's read transaction, counting its driver calls.
func (s covering) View(ctx context.Context, fn func(*vetshare.Tx) error) error {
	return s.Store.View(ctx, s.wrap(fn))
}

// open returns a store from h that is closed when the test ends.
func open(t *testing.T, h Harness) vetshare.Store {
	t.Helper()
	s := h(t)
	t.Cleanup(func() { s.Close() })
	return s
}

// update runs fn in a write transaction and fails the test on error.
func update(t *testing.T, s vetshare.Store, fn func(ctx context.Context, tx *vetshare.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := s.Update(ctx, func(tx *vetshare.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// view runs fn in a read transaction and fails the test on error.
func view(t *testing.T, s vetshare.Store, fn func(ctx context.Context, tx *vetshare.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := s.View(ctx, func(tx *vetshare.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}
