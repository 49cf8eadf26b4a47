//go:build !vetshare_pg

package vetsharetest

// pgTagged is false without -tags vetshare_pg: Open opens SQLite.
const pgTagged = false
