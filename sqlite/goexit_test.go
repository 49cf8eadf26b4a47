package sqlite_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/vetsharetest"
)

// A function that leaves a transaction by runtime.Goexit, as t.Fatal does inside Update or
// View in a host's test, leaves no transaction behind: the next Update gets the connection.
// Before, the write pool's only connection stayed with the abandoned transaction and every later
// Update waited for it (found by records.FuzzIsolationSequence, whose failures hung the fuzzer).
func TestGoexitInsideATransactionReleasesIt(t *testing.T) {
	s := vetsharetest.Open(t)
	for _, run := range []func(context.Context, func(*vetshare.Tx) error) error{s.Update, s.View} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			run(context.Background(), func(*vetshare.Tx) error { runtime.Goexit(); return nil })
		}()
		<-done
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := s.Update(ctx, func(*vetshare.Tx) error { return nil })
		cancel()
		if err != nil {
			t.Fatalf("Update after a transaction left by Goexit: %v", err)
		}
	}
}
