// Package pgengine, imported for its effect by a test file of each of vetshare's packages
// under the build tag vetshare_pg, makes vetsharetest.Open (and so internal/fixture) open a
// PostgreSQL store, on a new database per test, through postgres/pgtest. Without the tag it
// is empty, and the tests run on SQLite.
package pgengine
