package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare/internal/cli"
	"github.com/vetshare/vetshare/internal/cli/clitest"
	"github.com/vetshare/vetshare/postgres"
)

// The tests run the PostgreSQL build of the command against a real server: VETSHARE_PG_OWNER_DSN
// (a role that may create databases; the command connects as it, the role that owns vetshare's
// tables) and VETSHARE_PG_DSN (the application role, which row-level security confines to one
// owner). .ci/postgres starts a server and prints both.
var (
	appDSN   = os.Getenv("VETSHARE_PG_DSN")
	ownerDSN = os.Getenv("VETSHARE_PG_OWNER_DSN")
	dbs      atomic.Int64
)

func skipWithoutPG(t *testing.T) {
	t.Helper()
	if appDSN == "" || ownerDSN == "" {
		t.Skip("SKIPPED: no PostgreSQL: set VETSHARE_PG_DSN and VETSHARE_PG_OWNER_DSN (eval \"$(bash .ci/postgres start)\") to run the PostgreSQL command's tests")
	}
}

// pgURL returns a postgres:// URL for dsn's server and role, on database db: what a support
// person gives --db.
func pgURL(t *testing.T, dsn, db string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"sslmode": {"disable"}}
	host := cfg.Host
	if strings.HasPrefix(host, "/") { // a unix socket directory
		q.Set("host", host)
		q.Set("port", strconv.Itoa(int(cfg.Port)))
		host = ""
	} else {
		host = fmt.Sprintf("%s:%d", host, cfg.Port)
	}
	u := url.URL{Scheme: "postgres", User: url.User(cfg.User), Host: host, Path: "/" + db, RawQuery: q.Encode()}
	return u.String()
}

// newDatabase creates an empty database, dropped when the test ends, and returns its name.
func newDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("vetshare_cli_%d_%d", os.Getpid(), dbs.Add(1))
	admin, err := pgx.Connect(ctx, ownerDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin, err := pgx.Connect(ctx, ownerDSN)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Logf("dropping %s: %v", name, err)
		}
	})
	return name
}

// fixture makes a database migrated by the owner role, filled by clitest.Populate, with the
// application role granted what an application gets, and writes the keys and messages in dir.
// It returns the database's name.
func fixture(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	name := newDatabase(t)
	s, err := postgres.Open(ctx, pgURL(t, ownerDSN, name))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := clitest.Populate(ctx, s, 0); err != nil {
		t.Fatal(err)
	}
	app, err := pgx.ParseConfig(appDSN)
	if err != nil {
		t.Fatal(err)
	}
	role := pgx.Identifier{app.User}.Sanitize()
	for _, q := range []string{
		"GRANT USAGE ON SCHEMA vetshare TO " + role,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA vetshare TO " + role,
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA vetshare TO " + role,
		"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA vetshare TO " + role,
	} {
		if _, err := s.Pool().Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := clitest.WriteMessages(dir); err != nil {
		t.Fatal(err)
	}
	return name
}

// result is what one run of the command did.
type result struct {
	code           int
	stdout, stderr string
}

// runCmd runs the PostgreSQL build's cli.Main, as its main does, in dir.
func runCmd(t *testing.T, dir string, args ...string) result {
	t.Helper()
	for i, a := range args {
		if strings.HasSuffix(a, ".eml") || a == "keys.txt" {
			args[i] = filepath.Join(dir, a)
		}
	}
	var stdout, stderr bytes.Buffer
	code := cli.Main(args, strings.NewReader(""), &stdout, &stderr, openers())
	r := result{code, stdout.String(), stderr.String()}
	t.Logf("vetshare %s: exit %d\n%s%s", strings.Join(args, " "), code, r.stdout, r.stderr)
	return r
}

// expect checks the exit code and that out matches every pattern (multi-line mode).
func expect(t *testing.T, r result, code int, out string, patterns ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d; stderr: %s", r.code, code, r.stderr)
	}
	for _, p := range patterns {
		if !regexp.MustCompile("(?m)" + p).MatchString(out) {
			t.Errorf("output does not match %q:\n%s", p, out)
		}
	}
}

// The support desk's work on PostgreSQL, as a support person runs it: R1.9's request check and
// approval from a signed email, the group, a backfill, the audit log and doctor, and a request
// to leave, on the owner role's postgres:// URL.
func TestCommandOnPostgres(t *testing.T) {
	skipWithoutPG(t)
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("VETSHARE_DB", "")
	t.Setenv("VETSHARE_AS", "")
	db := pgURL(t, ownerDSN, fixture(t, dir))

	r := runCmd(t, dir, "request", "check", "--db", db, "--dkim-keys", "keys.txt", "signed.eml")
	expect(t, r, 0, r.stdout,
		`^From +Alice Admin <alice@north.example>, user Alice Admin$`,
		`^Clinics +North, South$`,
		`^Signature +verified for north.example \(selector s1\)$`,
		`^Decision +would be approved`)

	// R1.9: each forgery fails with its own reason, on PostgreSQL as on SQLite.
	for file, reason := range map[string]string{
		"from-changed.eml": `signed headers, such as From, were changed after it was signed`,
		"body-altered.eml": `body was changed after it was signed`,
		"other-domain.eml": `signed by another domain than the sender's \(signed by evil.example\)`,
		"unsigned.eml":     `not signed \(it has no DKIM signature\)`,
	} {
		r := runCmd(t, dir, "request", "check", "--db", db, "--dkim-keys", "keys.txt", file)
		expect(t, r, 1, r.stdout, `Decision +would be refused`, reason)
	}
	r = runCmd(t, dir, "request", "check", "--db", db, "--dkim-keys", "keys.txt", "staff.eml")
	expect(t, r, 1, r.stdout, `Sam Staff, the requester, is not an admin or owner of the account \(North\)`)

	r = runCmd(t, dir, "request", "approve", "--db", db, "--dkim-keys", "keys.txt", "signed.eml")
	expect(t, r, 0, r.stdout, `^Decision +approved and applied: North and South share records$`)

	r = runCmd(t, dir, "group", "show", "--db", db, "--clinic", "North", "--as", "alice@north.example")
	expect(t, r, 0, r.stdout,
		`^Owner +Riverside Veterinary Group$`,
		`^Clinics +North, South, East$`,
		`^Group +automatic mode, since \d{4}-\d\d-\d\d`,
		`^North +\d{4}-\d\d-\d\d \d\d:\d\d +- +0$`)

	r = runCmd(t, dir, "backfill", "--db", db, "--clinic", "North", "--as", "alice@north.example")
	expect(t, r, 0, r.stdout, `^backfill done: 5 clients examined, 5 client entries created$`)
	r = runCmd(t, dir, "group", "show", "--db", db, "--clinic", "south", "--as", "alice@north.example")
	expect(t, r, 0, r.stdout, `^North +\d{4}-\d\d-\d\d \d\d:\d\d +- +5$`, `^South +\d{4}-\d\d-\d\d \d\d:\d\d +- +5$`)

	r = runCmd(t, dir, "audit", "verify", "--db", db, "--clinic", "North", "--as", "alice@north.example")
	expect(t, r, 0, r.stdout+r.stderr, `holds`)
	r = runCmd(t, dir, "audit", "show", "--raw", "--db", db, "--clinic", "North", "--as", "alice@north.example")
	expect(t, r, 0, r.stdout, `sharing.enable +ok +by Alice Admin at North`, `signature: verified for north.example`)

	r = runCmd(t, dir, "doctor", "--db", db)
	expect(t, r, 0, r.stdout,
		fmt.Sprintf(`^ok +schema +version %d `, postgres.SchemaVersion()),
		`^ok +indexes +`,
		`^ok +constraints +every constraint validated`,
		`^ok +stock +2 items, each on hand equal to its ledger$`,
		`^ok +balances +0 balances`,
		`^ok +audit +Riverside Veterinary Group: \d+ entries$`,
		`^ok +audit +Hillside Pets: 0 entries$`)
	r = runCmd(t, dir, "doctor", "--json", "--db", db)
	expect(t, r, 0, r.stdout, `"ok": true`)

	r = runCmd(t, dir, "request", "remove", "--db", db, "--dkim-keys", "keys.txt", "remove.eml")
	expect(t, r, 0, r.stdout, `^Decision +approved and applied`)

	// doctor finds a stock count that no longer equals its ledger.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "UPDATE vetshare.items SET on_hand = on_hand + 5 WHERE name = 'Rabies vaccine'"); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, dir, "doctor", "--db", db)
	expect(t, r, 1, r.stdout, `^FAILED +stock +1 of 2 items differ from their ledger: Rabies vaccine \(5 on hand, ledger 0\)$`)
}

// The PostgreSQL build refuses, with exit code 2 and a sentence, a role that row-level security
// keeps from seeing every clinic (it never sets vetshare.owner to get round it) and a database
// vetshare has not set up (it never creates one).
func TestCommandOnPostgresRefuses(t *testing.T) {
	skipWithoutPG(t)
	dir := t.TempDir()
	name := fixture(t, dir)

	r := runCmd(t, dir, "doctor", "--db", pgURL(t, appDSN, name))
	expect(t, r, 2, r.stderr, `sees 0 of the 4 clinics \(row-level security\)`)

	r = runCmd(t, dir, "doctor", "--db", pgURL(t, ownerDSN, newDatabase(t)))
	expect(t, r, 2, r.stderr, `no vetshare database in PostgreSQL database vetshare_cli_`)
}
