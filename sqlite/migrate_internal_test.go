package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/records"
)

// legacyDB makes, at path, a database of the layout vetshare used up to schema version 5 in a
// file of its own: unprefixed tables made by the scripts of that version (kept in
// testdata/layout5), the version in user_version and vetshare's application_id.
func legacyDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", DSN(path, true))
	if err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob("testdata/layout5/*.sql")
	if err != nil || len(names) != 5 {
		t.Fatalf("legacy scripts: %v, %v", names, err)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(b)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = 5", ApplicationID)); err != nil {
		t.Fatal(err)
	}
	return db
}

// R10.1, R10.2: a database written before audit entries had operation and request ids migrates
// forward; its entries read back with both empty and still hash to what they carry, and new
// entries, which have them, extend the same chain.
func TestMigrateAuditOperationIDsForward(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db := legacyDB(t, path)
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	owner := vetshare.NewID[vetshare.OwnerID](at)
	old := vetshare.AuditEntry{OwnerID: owner, Seq: 1, At: at, UserID: "u", AccountID: "a", Action: "client.share",
		Subject: "client:c", Outcome: "ok", Detail: "{}", PrevHash: []byte{}}
	old.Hash = vetshare.AuditHash(old)
	if _, err := db.Exec(`INSERT INTO audit_log (owner_id, seq, at, user_id, account_id, action, subject, outcome, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, old.OwnerID, old.Seq, at.UnixMicro(), old.UserID, old.AccountID,
		old.Action, old.Subject, old.Outcome, old.Detail, old.PrevHash, old.Hash); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version int
	if err := s.DB().QueryRow("SELECT version FROM vetshare_schema").Scan(&version); err != nil || version != SchemaVersion() {
		t.Fatalf("schema version %d (%v), want %d", version, err, SchemaVersion())
	}
	err = s.Update(ctx, func(tx *vetshare.Tx) error {
		return txn.D(tx).AppendAudit(ctx, &vetshare.AuditEntry{OwnerID: owner, At: at.Add(time.Hour), UserID: "u", AccountID: "a",
			Action: "client.home", Subject: "client:c", Outcome: "ok", Detail: "{}", OperationID: "op", RequestID: "req"})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx *vetshare.Tx) error {
		es, err := txn.D(tx).AuditEntries(ctx, owner, 0, 10)
		if err != nil {
			return err
		}
		if len(es) != 2 {
			t.Fatalf("%d entries, want 2", len(es))
		}
		if es[0].OperationID != "" || es[0].RequestID != "" || string(es[0].Hash) != string(vetshare.AuditHash(es[0])) {
			t.Errorf("the old entry after migrating: %+v, or its hash no longer verifies", es[0])
		}
		if es[1].OperationID != "op" || es[1].RequestID != "req" || string(es[1].PrevHash) != string(es[0].Hash) ||
			string(es[1].Hash) != string(vetshare.AuditHash(es[1])) {
			t.Errorf("the new entry: %+v does not extend the chain", es[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// R12.1: a database of the legacy layout (vetshare's own file, unprefixed tables, the version in
// user_version) moves into vetshare's names without losing a row: the clinic, its client,
// patient and record read back through the operations, and the audit chain verifies.
func TestR12_1LegacyLayoutMigratedWithoutLoss(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db := legacyDB(t, path)
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC).UnixMicro()
	t0 := time.UnixMicro(at)
	ids := strings.NewReplacer("'o1'", "'"+string(vetshare.NewID[vetshare.OwnerID](t0))+"'", "'a1'", "'"+string(vetshare.NewID[vetshare.AccountID](t0))+"'",
		"'u1'", "'"+string(vetshare.NewID[vetshare.UserID](t0))+"'", "'c1'", "'"+string(vetshare.NewID[vetshare.ClientID](t0))+"'",
		"'p1'", "'"+string(vetshare.NewID[vetshare.PatientID](t0))+"'", "'r1'", "'"+string(vetshare.NewID[vetshare.RecordID](t0))+"'")
	id := func(s string) string { return strings.Trim(ids.Replace("'"+s+"'"), "'") }
	for _, q := range []string{
		`INSERT INTO owners (id, name, created_at) VALUES ('o1', 'Riverside', ?)`,
		`INSERT INTO accounts (id, owner_id, name, email, email_verified, time_zone, currency, created_at) VALUES ('a1', 'o1', 'North', 'n@r.example', 1, 'UTC', 'USD', ?)`,
		`INSERT INTO users (id, name, email, email_verified, active, created_at) VALUES ('u1', 'Ada', 'ada@r.example', 1, 1, ?)`,
		`INSERT INTO memberships (user_id, account_id, role, permissions, active) VALUES ('u1', 'a1', 'owner', 255, 1)`,
		`INSERT INTO clients (id, owner_id, first_name, last_name, name_key, first_key, email, phone, address, origin_account, home_account, created_at, updated_at, version)
			VALUES ('c1', 'o1', 'Shaggy', 'Rogers', 'rogers' || char(0) || 'shaggy', 'shaggy', '', '', '', 'a1', 'a1', ?, ?, 1)`,
		`INSERT INTO client_entries (account_id, client_id, number, via, created_at) VALUES ('a1', 'c1', 1, 'created', ?)`,
		`INSERT INTO patients (id, client_id, name, species, breed, origin_account, created_by, created_at) VALUES ('p1', 'c1', 'Scooby', 'dog', '', 'a1', 'u1', ?)`,
		`INSERT INTO records (id, patient_id, account_id, user_id, kind, text, created_at) VALUES ('r1', 'p1', 'a1', 'u1', 'note', 'Healthy.', ?)`,
	} {
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = at
		}
		if _, err := db.Exec(ids.Replace(q), args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	e := vetshare.AuditEntry{OwnerID: vetshare.OwnerID(id("o1")), Seq: 1, At: time.UnixMicro(at).UTC(), UserID: vetshare.UserID(id("u1")),
		AccountID: vetshare.AccountID(id("a1")), Action: "client.update", Subject: "client:" + id("c1"), Outcome: "ok", Detail: "{}", PrevHash: []byte{}}
	e.Hash = vetshare.AuditHash(e)
	if _, err := db.Exec(`INSERT INTO audit_log (owner_id, seq, at, user_id, account_id, action, subject, outcome, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.OwnerID, e.Seq, at, e.UserID, e.AccountID, e.Action, e.Subject, e.Outcome, e.Detail, e.PrevHash, e.Hash); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var legacy int
	if err := s.DB().QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'vetshare\_%' ESCAPE '\' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&legacy); err != nil || legacy != 0 {
		t.Errorf("%d tables, indexes or triggers kept their legacy names (%v)", legacy, err)
	}
	actor := vetshare.Actor{User: vetshare.UserID(id("u1")), Account: vetshare.AccountID(id("a1"))}
	err = s.View(ctx, func(tx *vetshare.Tx) error {
		c, entry, err := records.Client(ctx, tx, actor, vetshare.ClientID(id("c1")))
		if err != nil {
			return err
		}
		if c.LastName != "Rogers" || entry.Number != 1 {
			t.Errorf("client after migrating: %+v, %+v", c, entry)
		}
		hist, _, err := records.History(ctx, tx, actor, records.HistoryQuery{Patient: vetshare.PatientID(id("p1"))}, vetshare.Page{})
		if err != nil {
			return err
		}
		if len(hist) != 1 || hist[0].Text != "Healthy." {
			t.Errorf("history after migrating: %+v", hist)
		}
		n, err := audit.Verify(ctx, tx, actor)
		if err != nil || n != 1 {
			t.Errorf("audit chain after migrating: %d entries, %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The append-only triggers came along under their new names.
	if _, err := s.DB().Exec("DELETE FROM vetshare_audit_log"); err == nil {
		t.Error("the audit log's append-only trigger was lost")
	}
}

// R12.4, R7.8: migration 7 gives the rows written before it their time given (the time they
// were recorded), the recording order (by time, then id), and the usages the targets of the
// actions configured when it runs.
func TestR12_4_MigrationGivesOldRowsTheirTimes(t *testing.T) {
	scripts, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "six.db")) // foreign keys off: rows without parents
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range scripts[:6] {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO vetshare_records (id, patient_id, account_id, user_id, kind, text, item_id, quantity, created_at) VALUES
			('r2', 'p', 'a', 'u', 'usage', '', 'rabies', 1, 200), ('r1', 'p', 'a', 'u', 'usage', '', 'rabies', 1, 100),
			('r0', 'p', 'a', 'u', 'note', 'n', NULL, 0, 200)`,
		`INSERT INTO vetshare_disable_actions (item_id, target_item_id, account_id, target_account_id, created_at)
			VALUES ('rabies', 'other', 'a', 'b', 1)`,
		`INSERT INTO vetshare_invoices (id, account_id, client_id, number, status, currency, total, issued_at, created_by, note)
			VALUES ('i', 'a', 'c', 1, 'open', 'USD', 10, 300, 'u', '')`,
		`INSERT INTO vetshare_payments (id, owner_id, key, account_id, invoice_id, client_id, channel, amount, currency, taken_at,
			user_id, method, reference, created_at) VALUES ('pay', 'o', 'k', 'a', 'i', 'c', 'counter', 10, 'USD', 'a', 'u', '', '', 400)`,
		scripts[6],
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	rows, err := db.Query(`SELECT * FROM (SELECT id || ' ' || given_at || ' ' || seq FROM vetshare_records ORDER BY seq)
		UNION ALL SELECT 'invoice ' || given_at || ' ' || coalesce(paid_at, '') FROM vetshare_invoices
		UNION ALL SELECT 'payment ' || given_at FROM vetshare_payments
		UNION ALL SELECT usage_id || ' targets ' || group_concat(target_item_id, ',') FROM
			(SELECT * FROM vetshare_usage_targets ORDER BY usage_id, target_item_id) GROUP BY usage_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	want := []string{"r1 100 1", "r0 200 2", "r2 200 3", "invoice 300 400", "payment 400",
		"r1 targets other,rabies", "r2 targets other,rabies"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after migration 7 (-want +got):\n%s", diff)
	}
}
