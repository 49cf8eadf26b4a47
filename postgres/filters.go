//go:build !vetshare_nofilter

package postgres

import "github.com/jackc/pgx/v5"

// ownerFiltersRemoved reports whether the driver was built with its owner filters removed
// (the build tag vetshare_nofilter, for the test that row-level security alone keeps owners
// apart). It is false in every real build.
const ownerFiltersRemoved = false

// statements returns the transaction the driver issues its statements on: tx itself. Under
// the build tag vetshare_nofilter it is a wrapper that removes every owner filter from them
// (see nofilter.go).
func statements(tx pgx.Tx) pgx.Tx { return tx }
