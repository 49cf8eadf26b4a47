//go:build vetshare_pg

package vetsharetest

// pgTagged is true in a build with -tags vetshare_pg: Open must then open PostgreSQL.
const pgTagged = true
