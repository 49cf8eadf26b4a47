package sqlite

import (
	"context"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

// Pragmas reads, on the connection of tx (a transaction of this store), the pragmas every
// connection must have: journal_mode, foreign_keys, busy_timeout, synchronous and query_only.
// It is for tests and health checks.
func (s *Store) Pragmas(ctx context.Context, tx *vetshare.Tx, journal *string, fk, busy, sync, queryOnly *int) error {
	t, ok := txn.D(tx).(*dtx)
	if !ok || t.s != s {
		return vetshare.Invalid("tx", "not a transaction of this store")
	}
	for _, p := range []struct {
		name string
		dst  any
	}{{"journal_mode", journal}, {"foreign_keys", fk}, {"busy_timeout", busy}, {"synchronous", sync}, {"query_only", queryOnly}} {
		if err := t.tx.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(p.dst); err != nil {
			return fmt.Errorf("sqlite: PRAGMA %s: %w", p.name, err)
		}
	}
	return nil
}

// Stats returns the number of open connections of the store's pools.
func (s *Store) Stats() int {
	n := s.write.Stats().OpenConnections
	if s.read != s.write {
		n += s.read.Stats().OpenConnections
	}
	return n
}
