package vetshare

import (
	"context"
	"time"
)

// Store is where vetshare keeps its data. The embedded default is package sqlite; every Store
// must pass the conformance suite of package storetest.
//
// Operations of the domain packages run on a [Tx]; a host runs them in Update or View, and may
// run several in one transaction so that they happen together or not at all.
type Store interface {
	// Update runs fn in a read-write transaction, committed when fn returns nil and rolled back
	// when it returns an error or panics, or when ctx is done first. The transaction takes the
	// write lock when it begins, waiting for it within ctx's deadline. Update returns fn's error
	// as it is, or ctx's error.
	Update(ctx context.Context, fn func(tx Tx) error) error
	// View runs fn in a read-only transaction that sees one consistent snapshot. A write in it
	// fails.
	View(ctx context.Context, fn func(tx Tx) error) error
	// Close releases the store. Transactions still running fail.
	Close() error
}

// Tx is one transaction on a [Store]: the union of what each domain package needs, declared
// below by domain. Methods take the context first and return [ErrNotFound] (as a
// [*NotFoundError]) for what is absent or, where they take an account, not shared with it.
// Methods named Insert return [ErrConflict] when the id is taken. A Tx is not safe for
// concurrent use and is valid only inside the function it was passed to.
//
// The methods are storage, not rules: they do not check permissions or sharing rules beyond the
// account scoping their documentation states. The operations of the domain packages do.
type Tx interface {
	// Now returns the time of the transaction, taken once from the store's clock when it began.
	Now() time.Time

	DirectoryTx
	SharingTx
	ClientsTx
	RecordsTx
	AuditTx
	InventoryTx
	RemindersTx
	BillingTx
	ContactsTx
	TasksTx
	ReportsTx
}

// DirectoryTx keeps owners, accounts, users and memberships.
type DirectoryTx interface {
	InsertOwner(ctx context.Context, o Owner) error
	Owner(ctx context.Context, id OwnerID) (Owner, error)
	// UpdateOwner writes o over the owner with its id.
	UpdateOwner(ctx context.Context, o Owner) error
	InsertAccount(ctx context.Context, a Account) error
	Account(ctx context.Context, id AccountID) (Account, error)
	// UpdateAccount writes a over the account with its id; the owner never changes.
	UpdateAccount(ctx context.Context, a Account) error
	// Accounts returns the owner's accounts, oldest first.
	Accounts(ctx context.Context, owner OwnerID) ([]Account, error)
	InsertUser(ctx context.Context, u User) error
	User(ctx context.Context, id UserID) (User, error)
	// UpdateUser writes u over the user with its id.
	UpdateUser(ctx context.Context, u User) error
	// PutMembership creates or replaces the membership of (m.UserID, m.AccountID).
	PutMembership(ctx context.Context, m Membership) error
	Membership(ctx context.Context, user UserID, account AccountID) (Membership, error)
	// ActorMembership returns the user and the user's membership of the account, in one read;
	// ErrNotFound when either is missing.
	ActorMembership(ctx context.Context, user UserID, account AccountID) (User, Membership, error)
	// Memberships returns the user's memberships, active or not, by account id.
	Memberships(ctx context.Context, user UserID) ([]Membership, error)
}

// SharingTx keeps share groups and their members.
type SharingTx interface {
	InsertGroup(ctx context.Context, g ShareGroup) error
	Group(ctx context.Context, id GroupID) (ShareGroup, error)
	// GroupOf returns the account's current group membership; ErrNotFound when it has none.
	GroupOf(ctx context.Context, account AccountID) (GroupMember, error)
	// GroupOfAccount returns the account's current group and that group's current members, by
	// joining time, in one read; ErrNotFound when the account is in no group.
	GroupOfAccount(ctx context.Context, account AccountID) (ShareGroup, []GroupMember, error)
	// GroupMembers returns the current members of a group, by joining time.
	GroupMembers(ctx context.Context, group GroupID) ([]GroupMember, error)
	// JoinGroup adds m; ErrConflict when the account is already in a group.
	JoinGroup(ctx context.Context, m GroupMember) error
	// LeaveGroup ends the account's current membership at at; ErrNotFound when it has none.
	LeaveGroup(ctx context.Context, account AccountID, at time.Time) error
	// EverInGroup reports whether the account is, or was, a member of a share group.
	EverInGroup(ctx context.Context, account AccountID) (bool, error)
	// SharedEntries counts the account's client entries whose client has an entry in another
	// account too.
	SharedEntries(ctx context.Context, account AccountID) (int, error)
}

// ClientListQuery selects a page of one account's clients, by name key (see [NameKey]).
type ClientListQuery struct {
	Account AccountID
	// Prefix, when set, keeps the clients whose folded last name, first name or "last, first"
	// starts with it (already folded by [FoldName]).
	Prefix string
	// After, when set, starts after this client (keyset paging, as returned in the last row).
	AfterKey string
	AfterID  ClientID
	Limit    int
}

// ClientRow is a client with its entry in the account that listed it.
type ClientRow struct {
	Client
	Entry ClientEntry
	// Key is the client's name key, for paging with [ClientListQuery.AfterKey].
	Key string
}

// CandidateQuery selects the clients of other accounts of a group that an account may share
// (R2.3): clients with an entry in one of From, none in To, matching Prefix.
type CandidateQuery struct {
	To     AccountID
	From   []AccountID
	Prefix string // folded by [FoldName]; must not be empty
	Limit  int
}

// ClientsTx keeps client profiles and client entries.
type ClientsTx interface {
	InsertClient(ctx context.Context, c Client) error
	// Client returns the client as seen from account: ErrNotFound unless the account has an
	// entry for it.
	Client(ctx context.Context, account AccountID, id ClientID) (Client, error)
	// UpdateClient writes c over the client with its id when the stored version is c.Version,
	// and stores c.Version+1; otherwise it returns a [*ConflictError] with the current version.
	UpdateClient(ctx context.Context, c Client) error
	// InsertClientEntry gives e.AccountID's next client number to e, sets e.Number and stores
	// it; ErrConflict when the account already has an entry for the client.
	InsertClientEntry(ctx context.Context, e *ClientEntry) error
	ClientEntry(ctx context.Context, account AccountID, client ClientID) (ClientEntry, error)
	ClientEntryByNumber(ctx context.Context, account AccountID, number int64) (ClientEntry, error)
	// ClientEntries returns every entry of the client, in every account, oldest first. It is
	// not scoped: operations use it to decide, never to show.
	ClientEntries(ctx context.Context, client ClientID) ([]ClientEntry, error)
	// ClientEntriesOf returns every entry of each of the clients, in every account, by client
	// then age. Like ClientEntries it is not scoped.
	ClientEntriesOf(ctx context.Context, clients []ClientID) ([]ClientEntry, error)
	// Clients lists a page of the account's clients by name key.
	Clients(ctx context.Context, q ClientListQuery) ([]ClientRow, error)
	// ShareCandidates returns the clients q selects, those whose "last, first" key starts with
	// the prefix first, then those whose first name does, each group by key.
	ShareCandidates(ctx context.Context, q CandidateQuery) ([]Client, error)
	// UnsharedClients returns, by id after the cursor, up to limit clients that have an entry
	// in one of accounts and lack one in another of them.
	UnsharedClients(ctx context.Context, accounts []AccountID, after ClientID, limit int) ([]Client, error)
}

// RecordQuery selects a page of a patient's records, oldest first.
type RecordQuery struct {
	Account        AccountID
	Patient        PatientID
	IncludeRemoved bool
	AfterID        RecordID // keyset paging
	Limit          int
}

// RecordsTx keeps patients and their medical records.
type RecordsTx interface {
	InsertPatient(ctx context.Context, p Patient) error
	// Patient returns the patient as seen from account: ErrNotFound unless the account has an
	// entry for the patient's client.
	Patient(ctx context.Context, account AccountID, id PatientID) (Patient, error)
	// Patients returns the client's patients as seen from account, oldest first (by name within one
	// transaction).
	Patients(ctx context.Context, account AccountID, client ClientID) ([]Patient, error)
	// PatientsOf returns the patients of each of the clients, by client then age. It is not
	// scoped: operations use it to describe share candidates (R2.3), never to open a patient.
	PatientsOf(ctx context.Context, clients []ClientID) ([]Patient, error)
	InsertRecord(ctx context.Context, r Record) error
	// Record returns the record as seen from account, removed or not.
	Record(ctx context.Context, account AccountID, id RecordID) (Record, error)
	// Records lists a page of a patient's records as seen from q.Account.
	Records(ctx context.Context, q RecordQuery) ([]Record, error)
	// RemoveRecord marks the record removed; ErrConflict when it already is.
	RemoveRecord(ctx context.Context, id RecordID, rm Removal) error
}

// AuditTx keeps the audit log.
type AuditTx interface {
	// AppendAudit sets e's Seq, PrevHash and Hash (with [AuditHash]) as the next entry of its
	// owner's chain, and stores it.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// AuditEntries returns up to limit entries of the owner's chain after seq, in order.
	AuditEntries(ctx context.Context, owner OwnerID, afterSeq int64, limit int) ([]AuditEntry, error)
}
