package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vetshare/vetshare/sqlite"
)

// R11.3: two stores opening one brand-new file at the same moment both open: the switch to WAL
// and the first migration wait for each other within the context instead of failing busy. (It
// failed 6 times in 200 when the journal mode was set before the busy timeout.)
func TestR11_3ConcurrentOpenOfNewFile(t *testing.T) {
	dir := t.TempDir()
	rounds := 100
	if testing.Short() {
		rounds = 20
	}
	for i := range rounds {
		path := filepath.Join(dir, fmt.Sprintf("new-%d.db", i))
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for j := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := sqlite.Open(ctx, path)
				if err == nil {
					err = s.Close()
				}
				errs[j] = err
			}()
		}
		wg.Wait()
		cancel()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
		}
	}
}
