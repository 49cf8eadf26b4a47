// Package driver is the storage contract that database engines implement for vetshare: what a
// store must keep and how it must answer, written as contracts that the conformance suite in
// package storetest checks. Hosts never hold a driver: inside a transaction they hold a
// [*vetshare.Tx], which offers the operations of the domain packages only (R12.5), so no
// storage call that skips a rule (scoping, authorization, audit) is within a host's reach.
//
// A store implements [Tx] on its own transaction and hands the host [Wrap] of it; the domain
// packages reach the driver again through an internal accessor. The methods are storage, not
// rules: they check neither permissions nor sharing rules beyond the account scoping each one
// documents, and the membership an operation asks a read to check in its own statement
// ([RecordQuery.Member], [ClientSearch.Member]); the operations decide.
//
// # Errors
//
// Methods take the context first. A method returns an error matching [vetshare.ErrNotFound]
// (a [*vetshare.NotFoundError]) for what is absent or, where it takes an account, not shared
// with that account; methods named Insert return [vetshare.ErrConflict] when the id is taken.
// Errors of the engine itself are translated by code, never by text, into these sentinels
// where one applies (a write inside a read-only transaction is [vetshare.ErrNotPermitted], a
// violated constraint [vetshare.ErrConflict]); anything else is returned as the engine's error.
package driver

import (
	"context"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txhook"
)

// Tx is one transaction of a store: the union of what each domain package needs, declared
// below by domain. Methods take the context first and return [vetshare.ErrNotFound] (as a
// [*vetshare.NotFoundError]) for what is absent or, where they take an account, not shared with it.
// Methods named Insert return [vetshare.ErrConflict] when the id is taken. A Tx is not safe for
// concurrent use and is valid only inside the function it was passed to.
//
// The methods are storage, not rules: they do not check permissions or sharing rules beyond the
// account scoping their documentation states (and the membership a read's Member field asks
// for). The operations of the domain packages do.
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
	DuplicatesTx
}

// DirectoryTx keeps owners, accounts, users and memberships.
type DirectoryTx interface {
	InsertOwner(ctx context.Context, o vetshare.Owner) error
	Owner(ctx context.Context, id vetshare.OwnerID) (vetshare.Owner, error)
	// UpdateOwner writes o over the owner with its id.
	UpdateOwner(ctx context.Context, o vetshare.Owner) error
	InsertAccount(ctx context.Context, a vetshare.Account) error
	Account(ctx context.Context, id vetshare.AccountID) (vetshare.Account, error)
	// UpdateAccount writes a over the account with its id; the owner never changes.
	UpdateAccount(ctx context.Context, a vetshare.Account) error
	// Accounts returns the owner's accounts, oldest first: by creation time, then in the order
	// they were inserted, whatever their ids (hosts give their own, R12.3).
	Accounts(ctx context.Context, owner vetshare.OwnerID) ([]vetshare.Account, error)
	InsertUser(ctx context.Context, u vetshare.User) error
	User(ctx context.Context, id vetshare.UserID) (vetshare.User, error)
	// UpdateUser writes u over the user with its id.
	UpdateUser(ctx context.Context, u vetshare.User) error
	// PutMembership creates or replaces the membership of (m.UserID, m.AccountID).
	PutMembership(ctx context.Context, m vetshare.Membership) error
	Membership(ctx context.Context, user vetshare.UserID, account vetshare.AccountID) (vetshare.Membership, error)
	// ActorMembership returns the user and the user's membership of the account, in one read;
	// ErrNotFound when either is missing.
	ActorMembership(ctx context.Context, user vetshare.UserID, account vetshare.AccountID) (vetshare.User, vetshare.Membership, error)
	// Memberships returns the user's memberships, active or not, by account id.
	Memberships(ctx context.Context, user vetshare.UserID) ([]vetshare.Membership, error)
}

// SharingTx keeps share groups and their members.
type SharingTx interface {
	InsertGroup(ctx context.Context, g vetshare.ShareGroup) error
	Group(ctx context.Context, id vetshare.GroupID) (vetshare.ShareGroup, error)
	// GroupOf returns the account's current group membership; ErrNotFound when it has none.
	GroupOf(ctx context.Context, account vetshare.AccountID) (vetshare.GroupMember, error)
	// GroupOfAccount returns the account's current group and that group's current members, by
	// joining time, in one read; ErrNotFound when the account is in no group.
	GroupOfAccount(ctx context.Context, account vetshare.AccountID) (vetshare.ShareGroup, []vetshare.GroupMember, error)
	// GroupMembers returns the current members of a group, by joining time.
	GroupMembers(ctx context.Context, group vetshare.GroupID) ([]vetshare.GroupMember, error)
	// GroupHistory returns every membership of a group, current (LeftAt zero) and past, by
	// joining time then account id: an account that left and joined again has one for each
	// time. It returns none, and no error, for a group without members or that does not exist.
	GroupHistory(ctx context.Context, group vetshare.GroupID) ([]vetshare.GroupMember, error)
	// JoinGroup adds m; ErrConflict when the account is already in a group.
	JoinGroup(ctx context.Context, m vetshare.GroupMember) error
	// LeaveGroup ends the account's current membership at at; ErrNotFound when it has none.
	LeaveGroup(ctx context.Context, account vetshare.AccountID, at time.Time) error
	// EverInGroup reports whether the account is, or was, a member of a share group.
	EverInGroup(ctx context.Context, account vetshare.AccountID) (bool, error)
	// SharedEntries counts the account's client entries whose client has an entry in another
	// account too.
	SharedEntries(ctx context.Context, account vetshare.AccountID) (int, error)
}

// ClientListQuery selects a page of one account's clients, by name key (see [vetshare.NameKey]).
type ClientListQuery struct {
	Account vetshare.AccountID
	// After, when set, starts after this client (keyset paging, as returned in the last row).
	AfterKey string
	AfterID  vetshare.ClientID
	Limit    int
}

// ClientRow is a client with its entry in the account that listed it.
type ClientRow struct {
	vetshare.Client
	Entry vetshare.ClientEntry
	// Key is the client's name key, for paging with [ClientListQuery.AfterKey]; set by
	// Clients, not by SearchClients.
	Key string
}

// ClientsTx keeps client profiles and client entries.
type ClientsTx interface {
	InsertClient(ctx context.Context, c vetshare.Client) error
	// Client returns the client as seen from account: ErrNotFound unless the account has an
	// entry for it.
	Client(ctx context.Context, account vetshare.AccountID, id vetshare.ClientID) (vetshare.Client, error)
	// UpdateClient writes c over the client with its id when the stored version is c.Version,
	// and stores c.Version+1; otherwise it returns a [*vetshare.ConflictError] with the current version.
	UpdateClient(ctx context.Context, c vetshare.Client) error
	// InsertClientEntry gives e.AccountID's next client number to e, sets e.Number and stores
	// it; ErrConflict when the account already has an entry for the client.
	InsertClientEntry(ctx context.Context, e *vetshare.ClientEntry) error
	// ShareClientEntry stores e as InsertClientEntry does, setting e.Number, when the client
	// has an entry in another account now in e.AccountID's share group and none in
	// e.AccountID, and reports whether it did; otherwise it stores nothing, takes no number
	// and returns false. The caller reads the client's entries only when it returns false, to
	// tell why.
	//
	// When member is set, the store first checks, as [DirectoryTx.ActorMembership] would and
	// in the read that decides the share, that member is an active user with an active
	// membership of e.AccountID; when not, it stores nothing and returns an error matching
	// [vetshare.ErrNotPermitted], and the caller asks ActorMembership why. After a check that
	// passed, the transaction is as after ActorMembership (the account read with it, for one).
	ShareClientEntry(ctx context.Context, e *vetshare.ClientEntry, member vetshare.UserID) (bool, error)
	// InsertClientEntries stores the entries as InsertClientEntry would one after the other, in
	// a batch (a backfill's): each gets its account's next client number, the entries of one
	// account in the order given, and each e.Number is set. Entries of one client are listed by
	// ClientEntries in the order given. It returns ErrConflict, and stores none, when an account
	// already has an entry for a client or when two entries are of the same account and client.
	InsertClientEntries(ctx context.Context, entries []vetshare.ClientEntry) error
	ClientEntry(ctx context.Context, account vetshare.AccountID, client vetshare.ClientID) (vetshare.ClientEntry, error)
	ClientEntryByNumber(ctx context.Context, account vetshare.AccountID, number int64) (vetshare.ClientEntry, error)
	// ClientEntries returns every entry of the client, in every account, oldest first: by
	// creation time, then in the order they were inserted, whatever the accounts' ids. It is not
	// scoped: operations use it to decide, never to show.
	ClientEntries(ctx context.Context, client vetshare.ClientID) ([]vetshare.ClientEntry, error)
	// ClientEntriesOf returns every entry of each of the clients, in every account, by client
	// then age. Like ClientEntries it is not scoped.
	ClientEntriesOf(ctx context.Context, clients []vetshare.ClientID) ([]vetshare.ClientEntry, error)
	// GroupEntriesOf returns the entries of each of the clients in the accounts now in
	// account's share group (account included), each with its account's name, by client then
	// age as ClientEntriesOf; none when account is in no group. A page of share candidates
	// reads the clinics that hold each in one statement.
	GroupEntriesOf(ctx context.Context, account vetshare.AccountID, clients []vetshare.ClientID) ([]GroupEntry, error)
	// Clients lists a page of the account's clients by name key.
	Clients(ctx context.Context, q ClientListQuery) ([]ClientRow, error)
	// UnsharedClients returns, by id after the cursor, up to limit clients that have an entry
	// in one of accounts and lack one in another of them.
	UnsharedClients(ctx context.Context, accounts []vetshare.AccountID, after vetshare.ClientID, limit int) ([]vetshare.Client, error)
}

// RecordQuery selects a page of a patient's records, by the time given, then the recording
// order (R12.4).
type RecordQuery struct {
	Account        vetshare.AccountID
	Patient        vetshare.PatientID
	IncludeRemoved bool
	AfterID        vetshare.RecordID // keyset paging: the records after this one in that order
	Limit          int
	// Member, when set, makes Records give nothing unless Member is an active user with an
	// active membership of Account (as [ClientSearch.Member]).
	Member vetshare.UserID
}

// PatientName is what a share candidate shows of a patient (R2.3): [RecordsTx.PatientNamesOf].
type PatientName struct {
	ID       vetshare.PatientID
	ClientID vetshare.ClientID
	Name     string
	Species  string
}

// RecordsTx keeps patients and their medical records.
type RecordsTx interface {
	InsertPatient(ctx context.Context, p vetshare.Patient) error
	// Patient returns the patient as seen from account: ErrNotFound unless the account has an
	// entry for the patient's client.
	Patient(ctx context.Context, account vetshare.AccountID, id vetshare.PatientID) (vetshare.Patient, error)
	// PatientWithClient returns the patient and its client as seen from account, as Patient and
	// Client would, in one read: what a write to a patient's chart decides on. When member is
	// set, the store first checks it as [ClientsTx.ShareClientEntry] checks its member (an error
	// matching [vetshare.ErrNotPermitted], whether or not the patient exists), in the same read
	// where it can.
	PatientWithClient(ctx context.Context, account vetshare.AccountID, id vetshare.PatientID, member vetshare.UserID) (vetshare.Patient, vetshare.Client, error)
	// Patients returns the client's patients as seen from account, oldest first (by name within one
	// transaction).
	Patients(ctx context.Context, account vetshare.AccountID, client vetshare.ClientID) ([]vetshare.Patient, error)
	// PatientsOf returns the patients of each of the clients, by client then age. It is not
	// scoped: operations use it to describe share candidates (R2.3), never to open a patient.
	PatientsOf(ctx context.Context, clients []vetshare.ClientID) ([]vetshare.Patient, error)
	// PatientNamesOf returns what a share candidate shows of the patients of each of the
	// clients (R2.3), in the order of PatientsOf and as unscoped: the patients PatientsOf
	// returns, without the columns a candidate does not show. A page of candidates reads it on
	// every keystroke.
	PatientNamesOf(ctx context.Context, clients []vetshare.ClientID) ([]PatientName, error)
	// InsertRecord stores r with the store's next recording sequence, which it sets in r.Seq:
	// larger than the Seq of every record stored before, in this transaction or any other
	// (R12.4). A zero r.GivenAt is stored, and set, as r.CreatedAt. It returns ErrConflict when
	// the id is taken and ErrNotFound when the patient, account or user does not exist.
	InsertRecord(ctx context.Context, r *vetshare.Record) error
	// Record returns the record as seen from account, removed or not.
	Record(ctx context.Context, account vetshare.AccountID, id vetshare.RecordID) (vetshare.Record, error)
	// Records lists a page of a patient's records as seen from q.Account.
	Records(ctx context.Context, q RecordQuery) ([]vetshare.Record, error)
	// RemoveRecord marks the record removed; ErrConflict when it already is.
	RemoveRecord(ctx context.Context, id vetshare.RecordID, rm vetshare.Removal) error
}

// AuditTx keeps the audit log.
type AuditTx interface {
	// AppendAudit sets e's Seq, PrevHash and Hash (with [vetshare.AuditHash]) as the next entry of its
	// owner's chain, and stores it with every field, OperationID and RequestID included.
	AppendAudit(ctx context.Context, e *vetshare.AuditEntry) error
	// AuditEntries returns up to limit entries of the owner's chain after seq, in order.
	AuditEntries(ctx context.Context, owner vetshare.OwnerID, afterSeq int64, limit int) ([]vetshare.AuditEntry, error)
}

// Wrap returns the transaction a host holds for t: a store calls it on each transaction it
// begins, for the host's own transactions as for those of Update and View, and passes the
// result to the host's function. The host's [*vetshare.Tx] has no storage method; the domain
// packages reach t through it.
func Wrap(t Tx) *vetshare.Tx { return txhook.New(t, t.Now()).(*vetshare.Tx) }
