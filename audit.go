package vetshare

import (
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// AuditEntry is one entry of an owner's append-only audit log (R10.1). Each owner has its own
// chain: entry n carries the hash of entry n-1 and a hash over its own content and that
// previous hash, so any change to a stored entry breaks the chain (R10.2).
type AuditEntry struct {
	OwnerID   OwnerID
	Seq       int64     // 1, 2, 3, ... per owner; set by the store
	At        time.Time // when
	UserID    UserID    // who; empty for the library itself
	AccountID AccountID // from which account
	Action    string    // what: "sharing.decide", "client.share", "record.remove", ...
	Subject   string    // on what: "client:<id>", "account:<id>", ...
	Outcome   string    // "ok", "rejected", ...
	Detail    string    // the evidence, as JSON
	PrevHash  []byte    // set by the store
	Hash      []byte    // set by the store
}

// AuditHash returns the hash entry e must carry: SHA-256 over e.PrevHash and every other field
// but Hash, each length-prefixed so that no two different entries hash alike. Stores call it to
// append; audit verification calls it to check.
func AuditHash(e AuditEntry) []byte {
	h := sha256.New()
	var n [8]byte
	put := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	put(string(e.PrevHash))
	put(string(e.OwnerID))
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(Time(e.At).UnixMicro()))
	h.Write(n[:])
	put(string(e.UserID))
	put(string(e.AccountID))
	put(e.Action)
	put(e.Subject)
	put(e.Outcome)
	put(e.Detail)
	return h.Sum(nil)
}
