package records

import (
	"context"
	"errors"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/txn"
)

// Limits on free text.
const (
	MaxField = 1000    // a contact detail, a species, a breed
	MaxText  = 1 << 20 // a record's text
)

// checkProfile validates and tidies the editable fields of a client profile.
func checkProfile(c vetshare.Client) (vetshare.Client, error) {
	if err := accounts.CheckName("LastName", c.LastName); err != nil {
		return c, err
	}
	if c.FirstName != "" {
		if err := accounts.CheckName("FirstName", c.FirstName); err != nil {
			return c, err
		}
	}
	if c.Email != "" {
		email, err := vetshare.NormalizeEmail("Email", c.Email)
		if err != nil {
			return c, err
		}
		c.Email = email
	}
	if err := accounts.CheckText("Phone", c.Phone, MaxField, false); err != nil {
		return c, err
	}
	if err := accounts.CheckText("Address", c.Address, MaxField, false); err != nil {
		return c, err
	}
	c.FirstName, c.LastName = strings.TrimSpace(c.FirstName), strings.TrimSpace(c.LastName)
	c.Phone, c.Address = strings.TrimSpace(c.Phone), strings.TrimSpace(c.Address)
	return c, nil
}

// CreateClient creates a client profile in the actor's account, with the account's next client
// number (R2.5) and the account as its home location (R2.10). In an automatic group it is shared,
// in the same transaction, with every other current member (R2.1). It returns the client and
// its entries: first the creating account's, then one for each other member that automatic
// sharing gave the client to. LastName is required; FirstName, Email, Phone and Address are
// optional. The client keeps c.ID when the host gives one ([vetshare.ErrInvalid] when it is
// malformed, [vetshare.ErrConflict] when it is taken) and gets a new one otherwise (R12.3); the
// owner, accounts, times and version are set here.
func CreateClient(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, c vetshare.Client) (vetshare.Client, []vetshare.ClientEntry, error) {
	const op = "records.CreateClient"
	defer txn.Begin(tx)()
	c, err := checkProfile(c)
	if err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	if c.ID, err = vetshare.IDOrNew("ID", c.ID, tx.Now()); err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	a, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	now := tx.Now()
	c.OwnerID, c.OriginAccount, c.HomeAccount = a.OwnerID, a.ID, a.ID
	c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
	if err := txn.IDTaken(txn.D(tx).InsertClient(ctx, c), "client", c.ID); err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	if err := txn.D(tx).IndexClient(ctx, c); err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	e := vetshare.ClientEntry{AccountID: a.ID, ClientID: c.ID, Via: vetshare.ViaCreated, CreatedAt: now}
	if err := txn.D(tx).InsertClientEntry(ctx, &e); err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	shared, err := shareOnCreate(ctx, tx, actor, c)
	if err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	return c, append([]vetshare.ClientEntry{e}, shared...), nil
}

// UpdateClient edits a client's profile from the actor's account, which must share the client
// (else [vetshare.ErrNotFound]). c.Version must be the version the edit is based on: when the
// profile has changed since, the edit is refused with a [*vetshare.ConflictError] and the caller
// re-reads and retries (R2.6). The edit is seen by every account that shares the client. The
// home location is changed with sharing.SetHomeLocation, not here; the id, owner, origin and
// creation time never change. An edit that sets one of those to something other than what is
// stored is refused with a [*vetshare.InvalidError] naming the field, rather than dropped
// silently; left zero, they keep what is stored. An edit from an account other than the
// client's origin is written to the audit log as a cross-account write (R10.1).
func UpdateClient(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, c vetshare.Client) (vetshare.Client, error) {
	const op = "records.UpdateClient"
	defer txn.Begin(tx)()
	if !vetshare.ValidID(c.ID) {
		return vetshare.Client{}, vetshare.Op(op, vetshare.Invalid("ID", "malformed id"))
	}
	c, err := checkProfile(c)
	if err != nil {
		return vetshare.Client{}, vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Client{}, vetshare.Op(op, err)
	}
	old, err := txn.D(tx).Client(ctx, actor.Account, c.ID)
	if err != nil {
		return vetshare.Client{}, vetshare.Op(op, err)
	}
	if err := checkFixed(c, old); err != nil {
		return vetshare.Client{}, vetshare.Op(op, err)
	}
	c.OwnerID, c.OriginAccount, c.HomeAccount, c.CreatedAt, c.UpdatedAt = old.OwnerID, old.OriginAccount, old.HomeAccount, old.CreatedAt, tx.Now()
	if err := txn.D(tx).UpdateClient(ctx, c); err != nil {
		return vetshare.Client{}, vetshare.Op(op, err)
	}
	c.Version++
	if err := txn.D(tx).IndexClient(ctx, c); err != nil {
		return vetshare.Client{}, vetshare.Op(op, err)
	}
	if actor.Account != c.OriginAccount {
		if err := auditlog.Write(ctx, tx, c.OwnerID, actor, "client.update", "client:"+string(c.ID), audit.OK,
			map[string]any{"version": c.Version}); err != nil {
			return vetshare.Client{}, vetshare.Op(op, err)
		}
	}
	return c, nil
}

// Client returns a client as the actor's account sees it; [vetshare.ErrNotFound] when it does
// not exist or is not shared with the account (R3.3). The id of a client merged away returns
// the client that replaced it, when the account shares that one (R13.3).
func Client(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.ClientID) (vetshare.Client, vetshare.ClientEntry, error) {
	const op = "records.Client"
	if err := vetshare.CheckID("id", id); err != nil {
		return vetshare.Client{}, vetshare.ClientEntry{}, vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Client{}, vetshare.ClientEntry{}, vetshare.Op(op, err)
	}
	c, err := txn.D(tx).Client(ctx, actor.Account, id)
	if errors.Is(err, vetshare.ErrNotFound) {
		c, err = replaced(ctx, tx, actor, id, err)
	}
	if err != nil {
		return vetshare.Client{}, vetshare.ClientEntry{}, vetshare.Op(op, err)
	}
	e, err := txn.D(tx).ClientEntry(ctx, actor.Account, c.ID)
	return c, e, vetshare.Op(op, err)
}

// ClientByNumber returns the client with a client number of the actor's account; a number is
// looked up only within its account (R2.5). The number of a client merged away in an account
// that held both clients returns the survivor (R13.3).
func ClientByNumber(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, number int64) (vetshare.Client, vetshare.ClientEntry, error) {
	const op = "records.ClientByNumber"
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Client{}, vetshare.ClientEntry{}, vetshare.Op(op, err)
	}
	e, err := txn.D(tx).ClientEntryByNumber(ctx, actor.Account, number)
	if errors.Is(err, vetshare.ErrNotFound) {
		if id, aerr := txn.D(tx).NumberAlias(ctx, actor.Account, number); aerr == nil {
			e, err = txn.D(tx).ClientEntry(ctx, actor.Account, id)
		}
	}
	if err != nil {
		return vetshare.Client{}, vetshare.ClientEntry{}, vetshare.Op(op, err)
	}
	c, err := txn.D(tx).Client(ctx, actor.Account, e.ClientID)
	return c, e, vetshare.Op(op, err)
}

// Clients lists the actor's account's clients. With nothing typed (prefix empty or spaces),
// all of them by name key ([vetshare.NameKey]: last name, then first name), then id. With
// something typed, those that match it as the front desk's type-ahead does (R2.3, the same
// matching as sharing.Candidates): a last or first name or its start, "last, first" or "first
// last" in either order, case-, accent- and punctuation-insensitive, the digits of a phone
// number, or the start of an email address, best match first. It pages with [vetshare.Page]:
// next is the cursor of the next page, empty after the last; a cursor of a search is good only
// for the same typed text. A bad limit or a cursor of another list is refused with
// [vetshare.ErrInvalid].
func Clients(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, prefix string, page vetshare.Page) (rows []ClientRow, next vetshare.Cursor, err error) {
	const op = "records.Clients"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if strings.TrimSpace(prefix) != "" {
		return searchClients(ctx, tx, actor, prefix, limit, page) // checks the actor itself
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	q := driver.ClientListQuery{Account: actor.Account, Limit: limit + 1}
	after, err := cursor.Read(op, page.After, 2)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if after != nil {
		q.AfterKey, q.AfterID = after[0], vetshare.ClientID(after[1])
	}
	stored, err := txn.D(tx).Clients(ctx, q)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	stored, next = cursor.Trim(op, stored, limit, func(r driver.ClientRow) []string { return []string{r.Key, string(r.ID)} })
	rows = make([]ClientRow, len(stored))
	for i, r := range stored {
		rows[i] = ClientRow{Client: r.Client, Entry: r.Entry}
	}
	return rows, next, nil
}

// ClientRow is a client as a list of one account shows it: the shared profile and the
// account's own entry, with its client number.
type ClientRow struct {
	vetshare.Client
	Entry vetshare.ClientEntry
}

// shareOnCreate shares a client that CreateClient has just created in actor.Account with every
// other current member of the account's group when the group is in automatic mode (R2.1), and
// returns the entries it made, all inserted in one batch. It does nothing for an account in no
// group or in a manual group. It is unexported on purpose: it trusts CreateClient to have
// checked the actor, and it still reads the client as stored and refuses one that was not
// created in actor.Account or belongs to another owner (R3.3).
func shareOnCreate(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, c vetshare.Client) ([]vetshare.ClientEntry, error) {
	c, err := txn.D(tx).Client(ctx, actor.Account, c.ID) // what is stored, not what the caller says
	if err != nil {
		return nil, err
	}
	if c.OriginAccount != actor.Account {
		return nil, vetshare.NotFound("client", c.ID)
	}
	g, members, err := txn.D(tx).GroupOfAccount(ctx, actor.Account)
	if errors.Is(err, vetshare.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if g.OwnerID != c.OwnerID {
		return nil, vetshare.NotFound("client", c.ID)
	}
	if g.Mode != vetshare.ModeAutomatic || len(members) < 2 {
		return nil, nil
	}
	entries := make([]vetshare.ClientEntry, 0, len(members)-1)
	to := make([]vetshare.AccountID, 0, len(members)-1)
	for _, m := range members {
		if m.AccountID != actor.Account {
			entries = append(entries, vetshare.ClientEntry{AccountID: m.AccountID, ClientID: c.ID, Via: vetshare.ViaAutomatic, CreatedAt: tx.Now()})
			to = append(to, m.AccountID)
		}
	}
	// One batch, which sets each entry's number: two statements for the whole group, where
	// one entry at a time took two each.
	if err := txn.D(tx).InsertClientEntries(ctx, entries); err != nil {
		return nil, err
	}
	err = auditlog.Write(ctx, tx, g.OwnerID, actor, "client.share", "client:"+string(c.ID), audit.OK,
		map[string]any{"via": vetshare.ViaAutomatic, "to": to})
	return entries, err
}

// checkFixed refuses an edit that tries to change what UpdateClient does not change: the home
// location has its own operation, and the owner, origin and creation time never change. Zero
// values mean "as stored".
func checkFixed(c, old vetshare.Client) error {
	switch {
	case c.HomeAccount != "" && c.HomeAccount != old.HomeAccount:
		return &vetshare.InvalidError{Field: "HomeAccount", Reason: "the home location is changed with sharing.SetHomeLocation, not by editing the client"}
	case c.OwnerID != "" && c.OwnerID != old.OwnerID:
		return &vetshare.InvalidError{Field: "OwnerID", Reason: "a client's owner never changes"}
	case c.OriginAccount != "" && c.OriginAccount != old.OriginAccount:
		return &vetshare.InvalidError{Field: "OriginAccount", Reason: "the clinic that created a client never changes"}
	case !c.CreatedAt.IsZero() && !c.CreatedAt.Equal(old.CreatedAt):
		return &vetshare.InvalidError{Field: "CreatedAt", Reason: "a client's creation time never changes"}
	}
	return nil
}
