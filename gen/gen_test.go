package gen_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/gen"
	"github.com/vetshare/vetshare/sqlite"
)

// tiny has every part of a data set, at a size that builds in a moment.
var tiny = gen.Size{Name: "tiny", BigClients: 150, AutoClients: 40, Owners: 2, OwnerClients: 20, Backfill: 30, Spare: 2,
	Fixtures: 2, HugeRecords: 30, Years: 2}

func generate(t *testing.T, size gen.Size, seed int64) (*gen.Manifest, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gen.db")
	m, err := gen.GenerateFile(context.Background(), path, gen.Config{Seed: seed, Size: size, Batch: 64})
	if err != nil {
		t.Fatal(err)
	}
	return m, path
}

func open(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", sqlite.DSN(path, false))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fingerprint hashes everything of a data set but its ids: names, numbers, contact details,
// patients, records, times, and the audit log's actions, each row named by what it is about.
func fingerprint(t *testing.T, path string) string {
	t.Helper()
	db := open(t, path)
	h := sha256.New()
	for _, q := range []string{
		`SELECT a.name, e.number, e.via, e.created_at, c.first_name, c.last_name, c.email, c.phone, c.address, c.created_at, oa.name, ha.name, c.version
		FROM vetshare_client_entries e JOIN vetshare_accounts a ON a.id = e.account_id JOIN vetshare_clients c ON c.id = e.client_id
		JOIN vetshare_accounts oa ON oa.id = c.origin_account JOIN vetshare_accounts ha ON ha.id = c.home_account ORDER BY 1, 2`,
		`SELECT oa.name, ce.number, p.name, p.species, p.breed, p.birth_date, p.created_at, u.email
		FROM vetshare_patients p JOIN vetshare_clients c ON c.id = p.client_id JOIN vetshare_accounts oa ON oa.id = c.origin_account
		JOIN vetshare_client_entries ce ON ce.client_id = c.id AND ce.account_id = c.origin_account JOIN vetshare_users u ON u.id = p.created_by
		ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
		`SELECT oa.name, ce.number, p.name, p.species, p.breed, r.created_at, r.kind, r.text, ra.name, u.email
		FROM vetshare_records r JOIN vetshare_patients p ON p.id = r.patient_id JOIN vetshare_clients c ON c.id = p.client_id
		JOIN vetshare_accounts oa ON oa.id = c.origin_account JOIN vetshare_client_entries ce ON ce.client_id = c.id AND ce.account_id = c.origin_account
		JOIN vetshare_accounts ra ON ra.id = r.account_id JOIN vetshare_users u ON u.id = r.user_id ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
		`SELECT o.name, l.seq, l.at, l.action, l.outcome, u.email FROM vetshare_audit_log l JOIN vetshare_owners o ON o.id = l.owner_id
		JOIN vetshare_users u ON u.id = l.user_id ORDER BY 1, 2`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		n := 0
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%v\n", vals)
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if n == 0 {
			t.Fatalf("no rows for %s", q)
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestGenerateIsDeterministicFromSeed(t *testing.T) {
	m1, p1 := generate(t, tiny, 7)
	m2, p2 := generate(t, tiny, 7)
	if m1.Counts.Rows() != m2.Counts.Rows() {
		t.Errorf("rows: %d and %d from the same seed", m1.Counts.Rows(), m2.Counts.Rows())
	}
	f1, f2 := fingerprint(t, p1), fingerprint(t, p2)
	if f1 != f2 {
		t.Errorf("two data sets from seed 7 differ: %s and %s", f1, f2)
	}
	_, p3 := generate(t, tiny, 8)
	if f3 := fingerprint(t, p3); f3 == f1 {
		t.Errorf("seeds 7 and 8 gave the same data set")
	}
}

// count runs a query that returns one number.
func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestGenerateSmallObeysTheRules(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the small data set")
	}
	sz, _ := gen.SizeNamed("small")
	began := time.Now()
	m, path := generate(t, sz, 1)
	took := time.Since(began)
	t.Logf("small: %d rows in %s (%.0f rows/s), peak RSS %d MiB", m.Counts.Rows(), took.Round(time.Millisecond), float64(m.Counts.Rows())/took.Seconds(), m.PeakRSS>>20)
	if took > 2*time.Minute { // seconds on an idle machine; generous for a shared one
		t.Errorf("small took %s", took)
	}
	db := open(t, path)

	// R2.1: in an automatic group every client created in a member is shared with every member.
	for _, o := range m.Owners {
		if o.Mode != vetshare.ModeAutomatic {
			continue
		}
		missing := count(t, db, `SELECT count(*) FROM vetshare_clients c WHERE c.owner_id = ?
			AND (SELECT count(*) FROM vetshare_client_entries e WHERE e.client_id = c.id) <> ?`, o.ID, o.Grouped)
		if missing != 0 {
			t.Errorf("R2.1: owner %s (automatic, %d accounts): %d clients not shared with every account", o.Name, o.Grouped, missing)
		}
	}
	// R2.2: the backfill owner's historical clients are in its first account only, and it has no group.
	bf := m.Owners[m.Backfill]
	if n := count(t, db, `SELECT count(*) FROM vetshare_client_entries e JOIN vetshare_accounts a ON a.id = e.account_id WHERE a.owner_id = ? AND e.account_id <> ?`, bf.ID, bf.Accounts[0]); n != 0 {
		t.Errorf("backfill owner: %d entries outside its first account", n)
	}
	if n := count(t, db, `SELECT count(*) FROM vetshare_client_entries WHERE account_id = ?`, bf.Accounts[0]); n != sz.Backfill {
		t.Errorf("backfill owner: %d historical clients, want %d", n, sz.Backfill)
	}
	// R2.3: in the manual group some clients were shared by hand, never the ShareClient fixtures
	// with the second account.
	big := m.Owners[m.Big]
	if n := count(t, db, `SELECT count(*) FROM vetshare_client_entries e JOIN vetshare_accounts a ON a.id = e.account_id WHERE a.owner_id = ? AND e.via = 'manual'`, big.ID); n == 0 {
		t.Error("big owner: no client shared by hand")
	}
	for _, c := range append(m.ShareSmall, m.ShareHuge...) {
		if n := count(t, db, `SELECT count(*) FROM vetshare_client_entries WHERE client_id = ? AND account_id = ?`, c, big.Accounts[1]); n != 0 {
			t.Errorf("fixture %s already shared with the big owner's second account", c)
		}
	}
	if len(m.ShareSmall) != sz.Fixtures || len(m.ShareHuge) != sz.Fixtures {
		t.Errorf("fixtures: %d small and %d huge, want %d each", len(m.ShareSmall), len(m.ShareHuge), sz.Fixtures)
	}
	for _, c := range m.ShareHuge[:1] {
		if n := count(t, db, `SELECT count(*) FROM vetshare_records r JOIN vetshare_patients p ON p.id = r.patient_id WHERE p.client_id = ?`, c); n != sz.HugeRecords {
			t.Errorf("huge fixture has %d records, want %d", n, sz.HugeRecords)
		}
	}
	// R2.5: client numbers run 1, 2, 3, ... in each account.
	if n := count(t, db, `SELECT count(*) FROM (SELECT account_id FROM vetshare_client_entries GROUP BY account_id HAVING max(number) <> count(*) OR min(number) <> 1)`); n != 0 {
		t.Errorf("R2.5: %d accounts whose client numbers are not 1..n", n)
	}
	// R3.1, R3.3: every record was added from an account that shares the patient's client.
	if n := count(t, db, `SELECT count(*) FROM vetshare_records r JOIN vetshare_patients p ON p.id = r.patient_id
		WHERE NOT EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.client_id = p.client_id AND e.account_id = r.account_id)`); n != 0 {
		t.Errorf("R3.3: %d records added from an account that does not share the client", n)
	}
	// Records come from other locations too, and span the years.
	if n := count(t, db, `SELECT count(*) FROM vetshare_records r JOIN vetshare_patients p ON p.id = r.patient_id JOIN vetshare_clients c ON c.id = p.client_id WHERE r.account_id <> c.origin_account`); n == 0 {
		t.Error("no record was added at another location than the client's")
	}
	var first, last int64
	if err := db.QueryRow(`SELECT min(created_at), max(created_at) FROM vetshare_records`).Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	if span := time.UnixMicro(last).Sub(time.UnixMicro(first)); span < time.Duration(sz.Years-1)*365*24*time.Hour {
		t.Errorf("records span %s, want about %d years", span, sz.Years)
	}
	if time.UnixMicro(last).After(m.End) || time.UnixMicro(first).Before(m.Start) {
		t.Errorf("records from %s to %s, outside %s..%s", time.UnixMicro(first), time.UnixMicro(last), m.Start, m.End)
	}
	// 1–4 patients per client, of several species.
	if n := count(t, db, `SELECT count(*) FROM vetshare_clients c WHERE (SELECT count(*) FROM vetshare_patients p WHERE p.client_id = c.id) NOT BETWEEN 1 AND 4`); n != 0 {
		t.Errorf("%d clients without 1 to 4 patients", n)
	}
	if n := count(t, db, `SELECT count(DISTINCT species) FROM vetshare_patients`); n < 5 {
		t.Errorf("%d species, want several", n)
	}
	// Names: accents, and many clients sharing a surname.
	if n := count(t, db, `SELECT count(*) FROM vetshare_clients WHERE last_name <> name_key AND lower(last_name) <> substr(name_key, 1, length(last_name))`); n == 0 {
		t.Error("no client name with an accent")
	}
	if n := count(t, db, `SELECT max(k) FROM (SELECT count(*) AS k FROM vetshare_clients GROUP BY last_name)`); n < 50 {
		t.Errorf("the most common surname is shared by %d clients only", n)
	}
	// Owners of 1 to 20 accounts, groups of both modes.
	modes := map[vetshare.Mode]bool{}
	for _, o := range m.Owners {
		modes[o.Mode] = true
		if len(o.Accounts) < 1 || len(o.Accounts) > 20 {
			t.Errorf("owner %s has %d accounts", o.Name, len(o.Accounts))
		}
	}
	if !modes[vetshare.ModeAutomatic] || !modes[vetshare.ModeManual] {
		t.Errorf("group modes %v, want both", modes)
	}
	// R10.2: every owner's audit chain verifies.
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(context.Background(), func(tx *vetshare.Tx) error {
		for _, o := range m.Owners {
			if _, err := audit.Verify(context.Background(), tx, vetshare.Actor{User: o.Admin, Account: o.Accounts[0]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Errorf("R10.2: %v", err)
	}
	// The counts the generator keeps as it goes are the rows it wrote.
	c := m.Counts
	for table, want := range map[string]int64{"owners": c.Owners, "accounts": c.Accounts, "users": c.Users, "memberships": c.Memberships,
		"share_groups": c.Groups, "clients": c.Clients, "client_entries": c.Entries, "patients": c.Patients, "records": c.Records} {
		if got := c.Tables[table]; got != want {
			t.Errorf("%s: the generator counted %d rows, the table holds %d", table, want, got)
		}
	}
}
