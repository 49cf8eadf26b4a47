package audit_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
)

// The columns of a stored entry that its hash covers, beyond its key (owner_id, seq): changing
// the key moves an entry or leaves a gap, which TestR10_2GapFound covers.
var hashed = []string{"at", "user_id", "account_id", "action", "subject", "outcome", "detail",
	"operation_id", "request_id", "prev_hash", "hash"}

// FuzzVerify, R10.2: any single-byte change to any hashed column of any stored entry, or a byte
// added to it, makes Verify report a BrokenError at that entry; put back, the chain verifies.
// One store per fuzz worker, with the log's guards dropped as someone with the file would.
func FuzzVerify(f *testing.F) {
	fx := fixture.New(f, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, _ := fx.Client(f, 0, "Rogers", "Shaggy")
	p := fx.Patient(f, 1, c.ID, "Scooby", "dog")
	fx.Note(f, 1, p.ID, "cross-account")
	fx.Update(f, func(tx *vetshare.Tx) error {
		actor := fx.Actor(1)
		actor.RequestID = "req-42"
		_, err := records.AddRecord(ctx, tx, actor, vetshare.Record{PatientID: p.ID, Kind: vetshare.RecordNote, Text: "with a request id"})
		return err
	})
	db := fx.RequireSQLite(f).DB()
	if _, err := db.Exec(`DROP TRIGGER vetshare_audit_log_no_update`); err != nil {
		f.Fatal(err)
	}
	var n int64
	if err := db.QueryRow(`SELECT count(*) FROM vetshare_audit_log WHERE owner_id = ?`, fx.Owner.ID).Scan(&n); err != nil || n < 5 {
		f.Fatalf("%d entries, %v; want at least 5", n, err)
	}
	for col := range hashed {
		f.Add(uint8(col), uint8(col), uint16(0), byte(1), false)
	}
	f.Add(uint8(4), uint8(8), uint16(3), byte(0x80), true)
	f.Fuzz(func(t *testing.T, entry, col uint8, pos uint16, xor byte, add bool) {
		seq, column := int64(entry)%n+1, hashed[int(col)%len(hashed)]
		var was []byte
		if err := db.QueryRow(fmt.Sprintf(`SELECT CAST(%s AS BLOB) FROM vetshare_audit_log WHERE owner_id = ? AND seq = ?`, column),
			fx.Owner.ID, seq).Scan(&was); err != nil {
			t.Fatal(err)
		}
		if column == "at" {
			var at int64
			if err := db.QueryRow(`SELECT at FROM vetshare_audit_log WHERE owner_id = ? AND seq = ?`, fx.Owner.ID, seq).Scan(&at); err != nil {
				t.Fatal(err)
			}
			was, add = binary.BigEndian.AppendUint64(nil, uint64(at)), false // an integer of 8 bytes
		}
		if was == nil {
			was = []byte{} // an empty blob, which is not NULL
		}
		changed := append([]byte(nil), was...)
		if xor == 0 {
			xor = 1
		}
		if add || len(changed) == 0 {
			changed = append(changed, xor)
		} else {
			changed[int(pos)%len(changed)] ^= xor
		}
		set := func(v []byte) {
			t.Helper()
			var arg any = v
			switch column {
			case "at":
				arg = int64(binary.BigEndian.Uint64(v))
			case "prev_hash", "hash":
			default:
				arg = string(v)
			}
			if _, err := db.Exec(fmt.Sprintf(`UPDATE vetshare_audit_log SET %s = ? WHERE owner_id = ? AND seq = ?`, column),
				arg, fx.Owner.ID, seq); err != nil {
				t.Fatal(err)
			}
		}
		set(changed)
		_, err := verifyTx(t, fx)
		set(was)
		var broken *audit.BrokenError
		if !errors.As(err, &broken) || broken.Seq != seq || !errors.Is(err, vetshare.ErrConflict) {
			t.Fatalf("entry %d's %s changed from %x to %x: Verify says %v, want a BrokenError at %d", seq, column, was, changed, err, seq)
		}
		if got, err := verifyTx(t, fx); err != nil || got != n {
			t.Fatalf("entry %d's %s put back: %d entries, %v", seq, column, got, err)
		}
	})
}

func verifyTx(t *testing.T, fx *fixture.Fixture) (int64, error) {
	var n int64
	var verr error
	fx.View(t, func(tx *vetshare.Tx) error {
		n, verr = audit.Verify(ctx, tx, fx.Actor(0))
		return nil
	})
	return n, verr
}
