package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

// R10.1, R10.2: a database written before audit entries had operation and request ids migrates
// forward; its entries read back with both empty and still hash to what they carry, and new
// entries, which have them, extend the same chain.
func TestMigrateAuditOperationIDsForward(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	scripts, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", DSN(path, true))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range scripts[:5] {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = 5", ApplicationID)); err != nil {
		t.Fatal(err)
	}
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
	if err := s.DB().QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != SchemaVersion() {
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
