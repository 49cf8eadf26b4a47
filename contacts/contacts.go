package contacts

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/txn"
)

// Limits on input.
const (
	MaxName  = 200  // bytes of a name
	MaxField = 1000 // bytes of a category, phone or address
	MaxNotes = 4000 // bytes of notes
)

// Check validates and tidies the editable fields of an address-book entry: a kind, a name,
// optional category, email (an address, kept normalized), phone, address and notes, and a
// CompanyID only on a person. It returns an [*vetshare.InvalidError] naming the first bad
// field. It does not look the company up.
func Check(c vetshare.Contact) (vetshare.Contact, error) {
	if !c.Kind.Valid() {
		return c, vetshare.Invalid("Kind", "must be person or company")
	}
	if err := accounts.CheckName("Name", c.Name); err != nil {
		return c, err
	}
	if c.CompanyID != "" {
		if c.Kind != vetshare.ContactPerson {
			return c, vetshare.Invalid("CompanyID", "only a person works at a company")
		}
		if !vetshare.ValidID(c.CompanyID) {
			return c, vetshare.Invalid("CompanyID", "malformed id")
		}
	}
	if c.Email != "" {
		email, err := vetshare.NormalizeEmail("Email", c.Email)
		if err != nil {
			return c, err
		}
		c.Email = email
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{{"Category", c.Category, MaxField}, {"Phone", c.Phone, MaxField}, {"Address", c.Address, MaxField}, {"Notes", c.Notes, MaxNotes}} {
		if err := accounts.CheckText(f.name, f.value, f.max, false); err != nil {
			return c, err
		}
	}
	c.Name, c.Category, c.Phone = strings.TrimSpace(c.Name), strings.TrimSpace(c.Category), strings.TrimSpace(c.Phone)
	c.Address, c.Notes = strings.TrimSpace(c.Address), strings.TrimSpace(c.Notes)
	return c, nil
}

// CopyOf returns an independent copy of c for account to, with the id id, made at now (R6.2):
// every detail is copied, the copy starts at version 1 and remembers c as CopiedFrom. A person's
// CompanyID is not copied: it names an entry of c's account, which the copy cannot link to.
func CopyOf(c vetshare.Contact, to vetshare.AccountID, id vetshare.ContactID, now time.Time) vetshare.Contact {
	c.CopiedFrom, c.ID, c.AccountID, c.CompanyID = c.ID, id, to, ""
	c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
	return c
}

// CanCopy returns [vetshare.ErrNotPermitted] unless an entry of account from may be copied to
// account to: another account of the same owner (R6.2).
func CanCopy(from, to vetshare.Account) error {
	switch {
	case from.OwnerID != to.OwnerID:
		return &vetshare.NotPermittedError{Account: to.ID, AccountName: to.Name,
			Reason: to.Name + " has another owner: contacts are copied only between clinics of one owner"}
	case from.ID == to.ID:
		return vetshare.Invalid("to", "the entry is already in "+to.Name)
	}
	return nil
}

// Create adds an entry to the actor's account's address book (R6.1). c.AccountID, when set,
// must be the actor's account; a CompanyID must name a company of that account. The id,
// times, version and CopiedFrom are set here. It returns [vetshare.ErrInvalid] for bad input,
// [vetshare.ErrNotFound] for a company the account does not have, and
// [vetshare.ErrNotPermitted] for another account.
func Create(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, c vetshare.Contact) (vetshare.Contact, error) {
	const op = "contacts.Create"
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	if c.AccountID != "" && c.AccountID != actor.Account {
		return vetshare.Contact{}, vetshare.Op(op, &vetshare.NotPermittedError{
			Reason: "an address-book entry belongs to the clinic that creates it", User: actor.User, Account: c.AccountID})
	}
	c, err := Check(c)
	if err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	if err := checkCompany(ctx, tx, actor.Account, c.CompanyID); err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	now := tx.Now()
	c.ID, c.AccountID, c.CopiedFrom = vetshare.NewID[vetshare.ContactID](now), actor.Account, ""
	c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
	return c, vetshare.Op(op, txn.D(tx).InsertContact(ctx, c))
}

func checkCompany(ctx context.Context, tx *vetshare.Tx, account vetshare.AccountID, id vetshare.ContactID) error {
	if id == "" {
		return nil
	}
	co, err := txn.D(tx).Contact(ctx, account, id)
	if errors.Is(err, vetshare.ErrNotFound) {
		return vetshare.NotFound("company", id)
	} else if err != nil {
		return err // the store failed: not a refusal (R11.2)
	}
	if co.Kind != vetshare.ContactCompany {
		return vetshare.Invalid("CompanyID", co.Name+" is a person, not a company")
	}
	return nil
}

// Get returns an entry of the actor's account's address book. An entry of any other account
// answers [vetshare.ErrNotFound], as one that does not exist (R6.1, R3.4).
func Get(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.ContactID) (vetshare.Contact, error) {
	const op = "contacts.Get"
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	if !vetshare.ValidID(id) {
		return vetshare.Contact{}, vetshare.Op(op, vetshare.Invalid("id", "malformed id"))
	}
	c, err := txn.D(tx).Contact(ctx, actor.Account, id)
	return c, vetshare.Op(op, err)
}

// Update edits an entry of the actor's account from c, which must carry the Version it was read
// at: an edit based on an older version is refused with a [*vetshare.ConflictError] (re-read and
// retry). Kind, CopiedFrom and CreatedAt cannot change; the edit reaches no copy of the entry
// in another account, nor the entry it was copied from (R6.2). It returns the entry as stored.
func Update(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, c vetshare.Contact) (vetshare.Contact, error) {
	const op = "contacts.Update"
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	if !vetshare.ValidID(c.ID) {
		return vetshare.Contact{}, vetshare.Op(op, vetshare.Invalid("ID", "malformed id"))
	}
	old, err := txn.D(tx).Contact(ctx, actor.Account, c.ID)
	if err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	if c.Kind == "" {
		c.Kind = old.Kind
	}
	if c.Kind != old.Kind {
		return vetshare.Contact{}, vetshare.Op(op, vetshare.Invalid("Kind", "cannot change"))
	}
	c, err = Check(c)
	if err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	if err := checkCompany(ctx, tx, actor.Account, c.CompanyID); err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	c.AccountID, c.CopiedFrom, c.CreatedAt, c.UpdatedAt = actor.Account, old.CopiedFrom, old.CreatedAt, tx.Now()
	if err := txn.D(tx).UpdateContact(ctx, c); err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	c.Version++
	return c, nil
}

// ListQuery selects the entries [List] lists.
type ListQuery struct {
	// Kind, when set, keeps the entries of this kind.
	Kind vetshare.ContactKind
	// Prefix, when set, keeps the entries whose name starts with it (compared folded, as
	// [vetshare.FoldName] does).
	Prefix string
}

// List lists the actor's account's address book by folded name ([vetshare.FoldName]), then id,
// the entries q selects. It pages with [vetshare.Page]: next is the cursor of the next page,
// empty after the last. An unknown kind, a prefix that is not a name, a bad limit and a cursor
// of another list are refused with [vetshare.ErrInvalid].
func List(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, q ListQuery, page vetshare.Page) (rows []vetshare.Contact, next vetshare.Cursor, err error) {
	const op = "contacts.List"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	after, err := cursor.Read(op, page.After, 2)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	switch {
	case q.Kind != "" && !q.Kind.Valid():
		return nil, "", vetshare.Op(op, vetshare.Invalid("Kind", "must be person or company"))
	case len(q.Prefix) > MaxName || !utf8.ValidString(q.Prefix):
		return nil, "", vetshare.Op(op, vetshare.Invalid("Prefix", "not a name"))
	}
	dq := driver.ContactQuery{Account: actor.Account, Kind: q.Kind, Prefix: vetshare.FoldName(q.Prefix), Limit: limit + 1}
	if after != nil {
		dq.AfterKey, dq.AfterID = after[0], vetshare.ContactID(after[1])
	}
	rows, err = txn.D(tx).Contacts(ctx, dq)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	rows, next = cursor.Trim(op, rows, limit, func(c vetshare.Contact) []string { return []string{vetshare.FoldName(c.Name), string(c.ID)} })
	return rows, next, nil
}

// Copy copies an entry of the actor's account to account to, another account of the same
// owner in which the actor also has an active membership, as an independent entry (R6.2; see
// [CopyOf]); it returns the copy. A copy to another owner's account is refused with
// [vetshare.ErrNotPermitted]. The copy is written to the audit log as a cross-account write
// (R10.1).
func Copy(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.ContactID, to vetshare.AccountID) (vetshare.Contact, error) {
	const op = "contacts.Copy"
	defer txn.Begin(tx)()
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	if !vetshare.ValidID(id) {
		return vetshare.Contact{}, vetshare.Op(op, vetshare.Invalid("id", "malformed id"))
	}
	if !vetshare.ValidID(to) {
		return vetshare.Contact{}, vetshare.Op(op, vetshare.Invalid("to", "malformed id"))
	}
	c, err := txn.D(tx).Contact(ctx, actor.Account, id)
	if err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	from, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	dest, err := txn.D(tx).Account(ctx, to)
	if err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	if err := CanCopy(from, dest); err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, vetshare.Actor{User: actor.User, Account: to}); err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	cp := CopyOf(c, to, vetshare.NewID[vetshare.ContactID](tx.Now()), tx.Now())
	if err := txn.D(tx).InsertContact(ctx, cp); err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	err = auditlog.Write(ctx, tx, from.OwnerID, actor, "contact.copy", "contact:"+string(cp.ID), "ok", struct {
		From vetshare.ContactID `json:"from"`
		To   vetshare.AccountID `json:"to"`
	}{c.ID, to})
	if err != nil {
		return vetshare.Contact{}, vetshare.Op(op, err)
	}
	return cp, nil
}
