package driver

import (
	"context"

	"github.com/vetshare/vetshare"
)

// ContactQuery selects a page of one account's address book by folded name ([vetshare.FoldName]).
type ContactQuery struct {
	Account vetshare.AccountID
	// Kind, when set, keeps the entries of this kind.
	Kind vetshare.ContactKind
	// Prefix, when set, keeps the entries whose folded name starts with it (already folded).
	Prefix string
	// AfterKey and AfterID, when set, start after this entry (keyset paging: the folded name
	// and id of the last entry returned).
	AfterKey string
	AfterID  vetshare.ContactID
	Limit    int
}

// ContactsTx keeps each account's contacts and companies (package contacts). Nothing it keeps
// is shared across accounts (R3.4, R6.1).
type ContactsTx interface {
	// InsertContact stores c. It returns ErrConflict when the id is taken and ErrNotFound when
	// c.CompanyID is set and is not an entry of c.AccountID.
	InsertContact(ctx context.Context, c vetshare.Contact) error
	// Contact returns the entry of account's address book: ErrNotFound when account has no
	// entry with the id.
	Contact(ctx context.Context, account vetshare.AccountID, id vetshare.ContactID) (vetshare.Contact, error)
	// UpdateContact writes c over the entry with c.ID in c.AccountID when the stored version is
	// c.Version, and stores c.Version+1. It returns ErrNotFound when c.AccountID has no such
	// entry (or c.CompanyID is not one of its entries) and a [*vetshare.ConflictError] with the current
	// version when the stored one differs. Kind, CopiedFrom and CreatedAt never change.
	UpdateContact(ctx context.Context, c vetshare.Contact) error
	// Contacts lists a page of q.Account's entries by folded name, then id.
	Contacts(ctx context.Context, q ContactQuery) ([]vetshare.Contact, error)
}
