// Command vetshare is the support desk's tool (see github.com/vetshare/vetshare/cmd/vetshare and
// its README) built with the PostgreSQL store: the same commands, flags, help and exit codes,
// and --db takes a postgres:// DSN as well as a SQLite file path.
//
//	go run ./postgres/cmd/vetshare doctor --db 'postgres://vetshare_owner@db.example/practice'
//
// It lives in the postgres module so that the root module never has pgx in its graph; it shares
// every line of the command with the SQLite build through github.com/vetshare/vetshare/internal/cli
// and adds only the PostgreSQL opener: its directory (the name-to-id lookups) and its doctor.
//
// # The role to connect as
//
// The support desk serves every owner, so the command reads across owners: the clinics a
// request names, the user with an email. Row-level security forbids that to the application
// role, and the command never sets vetshare.owner to get round it. Connect as the role that owns
// vetshare's tables (the one that ran the migrations; its policy sees every row), or as a
// support role given its own read policy on every table of the schema vetshare:
//
//	CREATE POLICY support_read ON vetshare.accounts FOR SELECT TO vetshare_support USING (true);
//
// (and so on for each table; writes, such as approving a request, need the owning role). A role
// that sees fewer accounts than vetshare.account_owners lists is refused at once with exit
// code 2, saying so, rather than answering "no clinic is named North".
//
// The DSN must name a database vetshare has already set up: the command never creates the
// schema from a mistyped DSN. A backfill's resume point is kept in the user's configuration
// directory (vetshare/ under os.UserConfigDir), keyed by a hash of the server, database and
// role (never the password).
package main

import (
	"os"

	"github.com/vetshare/vetshare/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, openers()))
}

// openers are the databases this build opens: SQLite files and PostgreSQL DSNs.
func openers() cli.Openers {
	return cli.Openers{"": cli.OpenSQLite, "postgres": openPostgres, "postgresql": openPostgres}
}
