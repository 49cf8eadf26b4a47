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
	// OperationID is shared by every entry one operation call writes (R10.1): a host tells by it
	// which entries belong together. Set by the library; empty on entries written before it was.
	OperationID OperationID
	// RequestID is the host's id of the request the operation served, from [Actor.RequestID];
	// empty when the host gave none.
	RequestID string
	PrevHash  []byte // set by the store
	Hash      []byte // set by the store
}

// AuditHash returns the hash entry e must carry: SHA-256 over e.PrevHash and every other field
// but Hash, each length-prefixed so that no two different entries hash alike. Stores call it to
// append; audit verification calls it to check.
//
// OperationID and RequestID are hashed, after Detail, only when one of them is set: entries
// written before the log had them (both empty) hash as they always did, so existing chains keep
// verifying, and an entry that has them cannot be given them or stripped of them unnoticed.
// With the fields length-prefixed, an entry with them never hashes like one without.
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
	if e.OperationID != "" || e.RequestID != "" {
		put(string(e.OperationID))
		put(e.RequestID)
	}
	return h.Sum(nil)
}
