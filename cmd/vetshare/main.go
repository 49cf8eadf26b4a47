// Command vetshare is the support desk's tool for a vetshare database: it checks and applies
// written sharing requests delivered as email (R1.9), shows a clinic's share group, explains its
// reminder setup, backfills historical clients, prints the client reports, checks the audit log
// and the database's integrity.
//
// Run "vetshare help" or "vetshare COMMAND --help" for what each command does, with an example.
//
// # The database
//
// Every command takes --db, a SQLite file path (or the VETSHARE_DB environment variable). The
// file must exist: vetshare never creates a database by mistake. This build refuses a
// postgres:// DSN (the root module never links pgx); the PostgreSQL build is
// github.com/vetshare/vetshare/postgres/cmd/vetshare, the same command with a PostgreSQL opener.
//
// # Who acts
//
// The library checks who does what. The command acts as a user of the database, named with
// --as EMAIL (or VETSHARE_AS), from the clinic named with --clinic NAME_OR_ID: the user must
// hold an active owner or admin membership there for what needs one (backfill, the audit log,
// the setup report); any active member may see the group and the reports. A sharing request
// acts as its requester: the user whose email is the message's From address; --as is not used.
//
// # Exit codes
//
//	0  done: the request is (or would be) approved, the check found nothing wrong
//	1  refused: a request refused, an operation not permitted, a check that found a problem
//	2  bad usage or input: unknown command or flag, a file that cannot be read, a clinic or user
//	   that matches nothing
//	3  the database failed (it could not be opened or read)
//	130 interrupted (Ctrl-C); a backfill resumes where it stopped when run again
package main

import (
	"os"

	"github.com/vetshare/vetshare/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, openers()))
}

// openers are the databases this build opens: SQLite files only.
func openers() cli.Openers {
	return cli.Openers{"": cli.OpenSQLite}
}
