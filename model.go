package vetshare

import (
	"net/mail"
	"strings"
	"time"
)

// Owner is the legal owner of one or more clinics. Sharing only ever happens inside one owner.
type Owner struct {
	ID   OwnerID
	Name string
	// TaskSharing is the limited-release switch of task sharing (R1.8): off unless enabled.
	TaskSharing bool
	CreatedAt   time.Time
}

// Account is one clinic location's account, with its own billing, inventory and reporting.
type Account struct {
	ID      AccountID
	OwnerID OwnerID
	Name    string
	// Email is the address on file, the one sharing requests must come from (R1.4).
	Email         string
	EmailVerified bool
	// TimeZone is an IANA zone name, such as "America/Chicago"; reports count days in it.
	TimeZone string
	// Currency is an ISO 4217 code of three capital letters, such as "USD".
	Currency  string
	CreatedAt time.Time
}

// User is a staff member, who may hold memberships in many accounts.
type User struct {
	ID            UserID
	Name          string
	Email         string
	EmailVerified bool
	Active        bool
	CreatedAt     time.Time
}

// Role is a user's role in one account.
type Role string

// The roles. Only owners and admins may request sharing (R1.3).
const (
	RoleOwner Role = "owner"
	RoleAdmin Role = "admin"
	RoleStaff Role = "staff"
)

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r == RoleOwner || r == RoleAdmin || r == RoleStaff }

// Permissions is a set of things a user may do in one account, as bits.
type Permissions uint64

// The permissions. New ones are only ever appended.
const (
	PermTaskMarkInProgress Permissions = 1 << iota
	PermTaskComplete
	PermTaskEdit
	PermTaskDelete
	PermTaskCreate
)

// PermAll is every permission.
const PermAll Permissions = 1<<63 - 1

// Has reports whether p holds every permission of q.
func (p Permissions) Has(q Permissions) bool { return p&q == q }

// Membership is a user's access to one account.
type Membership struct {
	UserID      UserID
	AccountID   AccountID
	Role        Role
	Permissions Permissions
	Active      bool
}

// Mode is how a share group shares new clients.
type Mode string

// The sharing modes (R2.1, R2.3).
const (
	// ModeAutomatic shares a client created in a member account with every other member, in
	// the same transaction.
	ModeAutomatic Mode = "automatic"
	// ModeManual shares a client only when an account chooses it from the candidates.
	ModeManual Mode = "manual"
)

// Valid reports whether m is one of the modes.
func (m Mode) Valid() bool { return m == ModeAutomatic || m == ModeManual }

// ShareGroup is a set of accounts of one owner that share records.
type ShareGroup struct {
	ID        GroupID
	OwnerID   OwnerID
	Mode      Mode
	CreatedAt time.Time
}

// GroupMember is an account's membership of a share group. An account is in at most one group
// at a time (R1.6); the store keeps past memberships too, with LeftAt set.
type GroupMember struct {
	GroupID   GroupID
	AccountID AccountID
	JoinedAt  time.Time
	LeftAt    time.Time // zero while the account is a member
}

// Client is the shared client profile: one record, seen and edited by every account that shares
// it (R2.6).
type Client struct {
	ID        ClientID
	OwnerID   OwnerID
	FirstName string
	LastName  string
	Email     string
	Phone     string
	Address   string
	// OriginAccount is the account the client was created in.
	OriginAccount AccountID
	// HomeAccount is the client's primary clinic (R2.10), OriginAccount until it is set.
	HomeAccount AccountID
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Version counts the profile's edits, from 1. An edit names the version it was based on and
	// is refused with [ErrConflict] when the profile has moved on.
	Version int64
}

// EntryVia says how a client entry came to be.
type EntryVia string

// The ways a client entry is made.
const (
	ViaCreated   EntryVia = "created"   // the client was created in this account
	ViaAutomatic EntryVia = "automatic" // shared by automatic mode on creation (R2.1)
	ViaManual    EntryVia = "manual"    // shared by choosing a candidate (R2.3)
	ViaBackfill  EntryVia = "backfill"  // shared by a bulk backfill (R2.9)
)

// ClientEntry is a client as one account knows it, with that account's own client number.
type ClientEntry struct {
	AccountID AccountID
	ClientID  ClientID
	// Number is the client number in this account: 1, 2, 3, ... per account (R2.5).
	Number    int64
	Via       EntryVia
	CreatedAt time.Time
}

// Patient is an animal, belonging to one client. Its history is stored by patient id, so it is
// the same in every account that shares the client.
type Patient struct {
	ID            PatientID
	ClientID      ClientID
	Name          string
	Species       string
	Breed         string
	BirthDate     time.Time // zero when unknown
	OriginAccount AccountID
	CreatedBy     UserID
	CreatedAt     time.Time
}

// RecordKind is the kind of a medical record entry.
type RecordKind string

// The record kinds.
const (
	RecordNote       RecordKind = "note"
	RecordUsage      RecordKind = "usage" // an item given; see the inventory and reminders packages
	RecordLab        RecordKind = "lab"
	RecordAttachment RecordKind = "attachment" // a reference to a file kept by the host
)

// Valid reports whether k is one of the kinds.
func (k RecordKind) Valid() bool {
	switch k {
	case RecordNote, RecordUsage, RecordLab, RecordAttachment:
		return true
	}
	return false
}

// Record is a medical record entry of a patient, always stamped with the account (location)
// that added it and the user who did (R3.2).
type Record struct {
	ID        RecordID
	PatientID PatientID
	AccountID AccountID // where it was added
	UserID    UserID    // who added it
	Kind      RecordKind
	Text      string
	// ItemID and Quantity are set on usages: the item of AccountID's catalogue given, and how
	// many of the item's units. Quantity is positive.
	ItemID   ItemID
	Quantity int64
	// GivenAt is when it happened at the clinic, as the host gives it (late charting, an
	// import of history); CreatedAt is when vetshare recorded it (R12.4). Left zero when a
	// record is added, it is the transaction's time; more than [MaxGivenAhead] after the
	// recording time is refused. "Before", "after" and "in the period" in the rules compare
	// GivenAt, then Seq.
	GivenAt   time.Time
	CreatedAt time.Time
	// Seq is the store's recording order, set by the store: a record recorded later has a
	// larger Seq, also within one transaction. It breaks ties of GivenAt (R12.4).
	Seq int64
	// Removed is set when the record was removed (R5.3): it is kept, but no longer listed as
	// part of the history.
	Removed *Removal
}

// Removal says who removed a record, from which account, when and why.
type Removal struct {
	At        time.Time
	UserID    UserID
	AccountID AccountID
	Reason    string
}

// Actor is who does something and from which account: the user and the account they are logged
// into. Operations take it explicitly and check the user's membership in the account.
type Actor struct {
	User    UserID
	Account AccountID
	// RequestID, when set, is the host's own id of the request the operation serves (a web
	// request, a job): every audit entry the operation writes carries it, so the host can find
	// the entries of one of its requests (R10.1). It is not checked and grants nothing.
	RequestID string
}

// NormalizeEmail returns the addr-spec of an RFC 5322 address, trimmed and lower-cased, without
// the display name: `"Front Desk" <FrontDesk@Clinic.example>` gives "frontdesk@clinic.example".
// A local part that is not a dot-atom keeps its quotes (`"front desk"@clinic.example`), so the
// result is itself an address and normalizes to itself: stored and compared forms agree (R1.4).
// It returns an [*InvalidError] for field when s is not an address.
func NormalizeEmail(field, s string) (string, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return "", Invalid(field, "not an email address")
	}
	addr := strings.ToLower(a.Address)
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return "", Invalid(field, "not an email address")
	}
	local, domain := addr[:at], addr[at+1:]
	if !dotAtom(local) {
		var b strings.Builder
		b.WriteByte('"')
		for _, r := range local {
			if r == '"' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		b.WriteByte('"')
		local = b.String()
	}
	return local + "@" + domain, nil
}

// dotAtom reports whether s is an RFC 5322 dot-atom: atoms of atext joined by single dots.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 0x80, 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '.':
		case strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r):
		default:
			return false
		}
	}
	return true
}
