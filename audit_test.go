package vetshare_test

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
)

// R10.2: an entry without operation and request ids hashes exactly as entries did before the log
// had them, so chains written then keep verifying; the golden hash was computed by the library
// of that time. Setting either id changes the hash.
func TestR10_2AuditHashKeepsOldChains(t *testing.T) {
	e := vetshare.AuditEntry{OwnerID: "01JH0000000000000000000000", Seq: 7, At: time.Date(2026, 1, 5, 9, 0, 0, 123456000, time.UTC),
		UserID: "01JH0000000000000000000001", AccountID: "01JH0000000000000000000002", Action: "client.share",
		Subject: "client:01JH0000000000000000000003", Outcome: "ok", Detail: `{"via":"manual"}`, PrevHash: []byte("previous")}
	const golden = "530ba69102d8cc00dfee357b45a47f03623dfd02a4397f2fcd21336900b7193f"
	if got := hex.EncodeToString(vetshare.AuditHash(e)); got != golden {
		t.Errorf("AuditHash without ids = %s, want %s (the hash of entries written before R10.1 ids)", got, golden)
	}
	seen := map[string]string{golden: "no ids"}
	for name, ids := range map[string][2]string{"operation": {"op", ""}, "request": {"", "op"}, "both": {"op", "req"}} {
		e := e
		e.OperationID, e.RequestID = vetshare.OperationID(ids[0]), ids[1]
		h := hex.EncodeToString(vetshare.AuditHash(e))
		if prev, ok := seen[h]; ok {
			t.Errorf("%s id hashes like %s", name, prev)
		}
		seen[h] = name
	}
}
