package vetshare

import "time"

// ContactKind says whether an address-book entry is a person or a company.
type ContactKind string

// The contact kinds.
const (
	ContactPerson  ContactKind = "person"  // a referring vet, a lab technician, a sales rep
	ContactCompany ContactKind = "company" // a lab, a supplier, a referral hospital
)

// Valid reports whether k is one of the kinds.
func (k ContactKind) Valid() bool { return k == ContactPerson || k == ContactCompany }

// Contact is an entry of one account's address book: a person or a company (R6.1). It is never
// shared; a copy made for another account of the same owner is an independent entry (R6.2).
type Contact struct {
	ID        ContactID
	AccountID AccountID
	Kind      ContactKind
	Name      string
	// CompanyID optionally names the company, of the same account, a person works at. It is
	// empty on companies.
	CompanyID ContactID
	// Category is the host's label for the entry: "referring vet", "lab", "supplier", ...
	Category string
	Email    string
	Phone    string
	Address  string
	Notes    string
	// CopiedFrom names the entry of another account this one was copied from, as history; the
	// two are not linked (R6.2).
	CopiedFrom ContactID
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Version counts the entry's edits, from 1; an edit based on an older version is refused
	// with [ErrConflict].
	Version int64
}
