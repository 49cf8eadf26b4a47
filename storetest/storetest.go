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
// The suite is written against the Store and Tx interfaces only: it runs the operations of the
// domain packages and calls Tx methods directly, and checks the contracts the interfaces state.
// Each domain adds its checks with [Register].
package storetest

import (
	"context"
	"sort"
	"sync"
	"testing"

	"github.com/vetshare/vetshare"
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
	for _, n := range names {
		t.Run(n, func(t *testing.T) { suites[n](t, h) })
	}
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
