package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

const contactCols = `id, account_id, kind, name, company_id, category, email, phone, address, notes, copied_from,
	created_at, updated_at, version`

func scanContact(r *sql.Rows, c *vetshare.Contact) error {
	var company, copied sql.NullString
	var created, updated int64
	err := r.Scan(&c.ID, &c.AccountID, &c.Kind, &c.Name, &company, &c.Category, &c.Email, &c.Phone, &c.Address, &c.Notes,
		&copied, &created, &updated, &c.Version)
	c.CompanyID, c.CopiedFrom = vetshare.ContactID(company.String), vetshare.ContactID(copied.String)
	c.CreatedAt, c.UpdatedAt = time.UnixMicro(created).UTC(), time.UnixMicro(updated).UTC()
	return err
}

func (t *dtx) InsertContact(ctx context.Context, c vetshare.Contact) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_contacts (id, account_id, kind, name, name_key, company_id, category, email, phone,
		address, notes, copied_from, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.AccountID, string(c.Kind), c.Name, vetshare.FoldName(c.Name), nullString(string(c.CompanyID)), c.Category,
		c.Email, c.Phone, c.Address, c.Notes, nullString(string(c.CopiedFrom)), micros(c.CreatedAt), micros(c.UpdatedAt),
		c.Version)
	if nf, ok := err.(*vetshare.NotFoundError); ok && c.CompanyID != "" {
		nf.Kind, nf.ID = "company", string(c.CompanyID)
	}
	return err
}

func (t *dtx) Contact(ctx context.Context, account vetshare.AccountID, id vetshare.ContactID) (vetshare.Contact, error) {
	var c vetshare.Contact
	err := t.queryRow(ctx, vetshare.NotFound("contact", id), func(r *sql.Rows) error { return scanContact(r, &c) },
		`SELECT `+contactCols+` FROM vetshare_contacts WHERE id = ? AND account_id = ?`, id, account)
	return c, err
}

func (t *dtx) UpdateContact(ctx context.Context, c vetshare.Contact) error {
	res, err := t.exec(ctx, `UPDATE vetshare_contacts SET name = ?, name_key = ?, company_id = ?, category = ?, email = ?, phone = ?,
		address = ?, notes = ?, updated_at = ?, version = version + 1 WHERE id = ? AND account_id = ? AND version = ?`,
		c.Name, vetshare.FoldName(c.Name), nullString(string(c.CompanyID)), c.Category, c.Email, c.Phone, c.Address, c.Notes,
		micros(c.UpdatedAt), c.ID, c.AccountID, c.Version)
	if err != nil {
		if nf, ok := err.(*vetshare.NotFoundError); ok && c.CompanyID != "" {
			nf.Kind, nf.ID = "company", string(c.CompanyID)
		}
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var current int64
	err = t.queryRow(ctx, vetshare.NotFound("contact", c.ID), func(r *sql.Rows) error { return r.Scan(&current) },
		`SELECT version FROM vetshare_contacts WHERE id = ? AND account_id = ?`, c.ID, c.AccountID)
	if err != nil {
		return err
	}
	return &vetshare.ConflictError{Kind: "contact", ID: string(c.ID), Version: c.Version, Current: current, Name: c.Name}
}

func (t *dtx) Contacts(ctx context.Context, q driver.ContactQuery) ([]vetshare.Contact, error) {
	var out []vetshare.Contact
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	// Start after (AfterKey, AfterID) or at Prefix, whichever is later.
	lo, loID := q.Prefix, ""
	if q.AfterKey > lo || q.AfterKey == lo && q.AfterID != "" {
		lo, loID = q.AfterKey, string(q.AfterID)
	}
	err := t.each(ctx, func(r *sql.Rows) error {
		var c vetshare.Contact
		err := scanContact(r, &c)
		out = append(out, c)
		return err
	}, `SELECT `+contactCols+` FROM vetshare_contacts WHERE account_id = ?1 AND (name_key, id) > (?2, ?3)
		AND name_key < ?4 AND (?5 = '' OR kind = ?5) ORDER BY name_key, id LIMIT ?6`,
		q.Account, lo, loID, upper(q.Prefix), string(q.Kind), limit)
	return out, err
}
