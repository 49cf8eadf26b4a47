package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

const contactCols = `id, account_id, kind, name, company_id, category, email, phone, address, notes, copied_from,
	created_at, updated_at, version`

func (t *dtx) contacts(ctx context.Context, query string, args ...any) ([]vetshare.Contact, error) {
	var out []vetshare.Contact
	err := t.each(ctx, func(r pgx.Rows) error {
		var c vetshare.Contact
		var company, copied *string
		var created, updated int64
		err := r.Scan(&c.ID, &c.AccountID, &c.Kind, &c.Name, &company, &c.Category, &c.Email, &c.Phone, &c.Address, &c.Notes,
			&copied, &created, &updated, &c.Version)
		c.CompanyID, c.CopiedFrom = vetshare.ContactID(deref(company)), vetshare.ContactID(deref(copied))
		c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
		out = append(out, c)
		return err
	}, query, args...)
	return out, err
}

// InsertContact implements [driver.Tx].
func (t *dtx) InsertContact(ctx context.Context, c vetshare.Contact) error {
	o, err := t.acct(ctx, c.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", c.AccountID))
	}
	err = t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.contacts (owner_id, id, account_id, kind, name, name_key, company_id, category, email, phone,
			address, notes, copied_from, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			o, c.ID, c.AccountID, string(c.Kind), c.Name, vetshare.FoldName(c.Name), nullString(string(c.CompanyID)), c.Category,
			c.Email, c.Phone, c.Address, c.Notes, nullString(string(c.CopiedFrom)), micros(c.CreatedAt), micros(c.UpdatedAt), c.Version)
		return err
	})
	if nf, ok := err.(*vetshare.NotFoundError); ok && c.CompanyID != "" {
		nf.Kind, nf.ID = "company", string(c.CompanyID)
	}
	return err
}

// Contact implements [driver.Tx].
func (t *dtx) Contact(ctx context.Context, account vetshare.AccountID, id vetshare.ContactID) (vetshare.Contact, error) {
	notFound := vetshare.NotFound("contact", id)
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return vetshare.Contact{}, orNotFound(err, notFound)
	}
	cs, err := t.contacts(ctx, `SELECT `+contactCols+` FROM vetshare.contacts WHERE owner_id = $1 AND id = $2 AND account_id = $3`, o, id, account)
	if err != nil || len(cs) == 0 {
		return vetshare.Contact{}, orNotFound(err, notFound)
	}
	return cs[0], nil
}

// UpdateContact implements [driver.Tx].
func (t *dtx) UpdateContact(ctx context.Context, c vetshare.Contact) error {
	notFound := vetshare.NotFound("contact", c.ID)
	o, err := t.acct(ctx, c.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, notFound)
	}
	var n int64
	err = t.write(ctx, func() (err error) {
		n, err = t.exec(ctx, `UPDATE vetshare.contacts SET name = $4, name_key = $5, company_id = $6, category = $7, email = $8, phone = $9,
			address = $10, notes = $11, updated_at = $12, version = version + 1 WHERE owner_id = $1 AND id = $2 AND account_id = $3 AND version = $13`,
			o, c.ID, c.AccountID, c.Name, vetshare.FoldName(c.Name), nullString(string(c.CompanyID)), c.Category, c.Email, c.Phone, c.Address, c.Notes,
			micros(c.UpdatedAt), c.Version)
		return err
	})
	if err != nil {
		if nf, ok := err.(*vetshare.NotFoundError); ok && c.CompanyID != "" {
			nf.Kind, nf.ID = "company", string(c.CompanyID)
		}
		return err
	}
	if n == 1 {
		return nil
	}
	var current int64
	if err := t.row(ctx, notFound, []any{&current}, `SELECT version FROM vetshare.contacts WHERE owner_id = $1 AND id = $2 AND account_id = $3`,
		o, c.ID, c.AccountID); err != nil {
		return err
	}
	return &vetshare.ConflictError{Kind: "contact", ID: string(c.ID), Version: c.Version, Current: current, Name: c.Name}
}

// Contacts implements [driver.Tx].
func (t *dtx) Contacts(ctx context.Context, q driver.ContactQuery) ([]vetshare.Contact, error) {
	o, err := t.acct(ctx, q.Account)
	if err != nil || o == "" {
		return nil, err
	}
	// Start after (AfterKey, AfterID) or at Prefix, whichever is later.
	lo, loID := q.Prefix, ""
	if q.AfterKey > lo || q.AfterKey == lo && q.AfterID != "" {
		lo, loID = q.AfterKey, string(q.AfterID)
	}
	return t.contacts(ctx, `SELECT `+contactCols+` FROM vetshare.contacts WHERE owner_id = $1 AND account_id = $2 AND (name_key, id) > ($3, $4)
		AND name_key < $5 AND ($6 = '' OR kind = $6) ORDER BY name_key, id LIMIT $7`,
		o, q.Account, lo, loID, upper(q.Prefix), string(q.Kind), limitArg(q.Limit))
}
