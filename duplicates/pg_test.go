//go:build vetshare_pg

package duplicates_test

// Built with -tags vetshare_pg, this package's tests run on PostgreSQL: vetsharetest.Open and
// internal/fixture open a new PostgreSQL database per test (see vetsharetest's documentation).
import _ "github.com/vetshare/vetshare/internal/pgengine"
