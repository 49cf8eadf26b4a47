package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/vetshare/vetshare"
)

// InsertGroup implements [*vetshare.Tx].
func (t *dtx) InsertGroup(ctx context.Context, g vetshare.ShareGroup) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_share_groups (id, owner_id, mode, created_at) VALUES (?, ?, ?, ?)`,
		g.ID, g.OwnerID, string(g.Mode), micros(g.CreatedAt))
	return err
}

// Group implements [*vetshare.Tx].
func (t *dtx) Group(ctx context.Context, id vetshare.GroupID) (vetshare.ShareGroup, error) {
	var g vetshare.ShareGroup
	var created int64
	err := t.queryRow(ctx, vetshare.NotFound("share group", id), func(r *sql.Rows) error {
		return r.Scan(&g.ID, &g.OwnerID, &g.Mode, &created)
	}, `SELECT id, owner_id, mode, created_at FROM vetshare_share_groups WHERE id = ?`, id)
	g.CreatedAt = time.UnixMicro(created).UTC()
	return g, err
}

func scanMember(r *sql.Rows, m *vetshare.GroupMember) error {
	var joined int64
	var left sql.NullInt64
	err := r.Scan(&m.GroupID, &m.AccountID, &joined, &left)
	m.JoinedAt, m.LeftAt = time.UnixMicro(joined).UTC(), fromMicros(left)
	return err
}

// GroupOf implements [*vetshare.Tx].
func (t *dtx) GroupOf(ctx context.Context, account vetshare.AccountID) (vetshare.GroupMember, error) {
	var m vetshare.GroupMember
	err := t.queryRow(ctx, vetshare.NotFound("share group of the clinic", account),
		func(r *sql.Rows) error { return scanMember(r, &m) },
		`SELECT group_id, account_id, joined_at, left_at FROM vetshare_group_members WHERE account_id = ? AND left_at IS NULL`, account)
	return m, err
}

// GroupMembers implements [*vetshare.Tx].
func (t *dtx) GroupMembers(ctx context.Context, group vetshare.GroupID) ([]vetshare.GroupMember, error) {
	var out []vetshare.GroupMember
	err := t.each(ctx, func(r *sql.Rows) error {
		var m vetshare.GroupMember
		err := scanMember(r, &m)
		out = append(out, m)
		return err
	}, `SELECT group_id, account_id, joined_at, left_at FROM vetshare_group_members WHERE group_id = ? AND left_at IS NULL ORDER BY joined_at, account_id`, group)
	return out, err
}

// GroupHistory implements [*vetshare.Tx].
func (t *dtx) GroupHistory(ctx context.Context, group vetshare.GroupID) ([]vetshare.GroupMember, error) {
	var out []vetshare.GroupMember
	err := t.each(ctx, func(r *sql.Rows) error {
		var m vetshare.GroupMember
		err := scanMember(r, &m)
		out = append(out, m)
		return err
	}, `SELECT group_id, account_id, joined_at, left_at FROM vetshare_group_members WHERE group_id = ? ORDER BY joined_at, account_id`, group)
	return out, err
}

// JoinGroup implements [*vetshare.Tx].
func (t *dtx) JoinGroup(ctx context.Context, m vetshare.GroupMember) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_group_members (group_id, account_id, joined_at) VALUES (?, ?, ?)`,
		m.GroupID, m.AccountID, micros(m.JoinedAt))
	return err
}

// LeaveGroup implements [*vetshare.Tx].
func (t *dtx) LeaveGroup(ctx context.Context, account vetshare.AccountID, at time.Time) error {
	return mustAffect(t.exec(ctx, `UPDATE vetshare_group_members SET left_at = ? WHERE account_id = ? AND left_at IS NULL`,
		micros(at), account))(vetshare.NotFound("share group of the clinic", account))
}

// EverInGroup implements [*vetshare.Tx].
func (t *dtx) EverInGroup(ctx context.Context, account vetshare.AccountID) (bool, error) {
	var ever bool
	err := t.queryRow(ctx, nil, func(r *sql.Rows) error { return r.Scan(&ever) },
		`SELECT EXISTS (SELECT 1 FROM vetshare_group_members WHERE account_id = ?)`, account)
	return ever, err
}

// SharedEntries implements [*vetshare.Tx].
func (t *dtx) SharedEntries(ctx context.Context, account vetshare.AccountID) (int, error) {
	var n int
	err := t.queryRow(ctx, nil, func(r *sql.Rows) error { return r.Scan(&n) },
		`SELECT count(*) FROM vetshare_client_entries e WHERE e.account_id = ?1
		   AND EXISTS (SELECT 1 FROM vetshare_client_entries o WHERE o.client_id = e.client_id AND o.account_id <> ?1)`, account)
	return n, err
}

// GroupOfAccount implements [*vetshare.Tx].
func (t *dtx) GroupOfAccount(ctx context.Context, account vetshare.AccountID) (vetshare.ShareGroup, []vetshare.GroupMember, error) {
	var g vetshare.ShareGroup
	var members []vetshare.GroupMember
	err := t.each(ctx, func(r *sql.Rows) error {
		var m vetshare.GroupMember
		var created, joined int64
		err := r.Scan(&g.ID, &g.OwnerID, &g.Mode, &created, &m.AccountID, &joined)
		g.CreatedAt, m.GroupID, m.JoinedAt = time.UnixMicro(created).UTC(), g.ID, time.UnixMicro(joined).UTC()
		members = append(members, m)
		return err
	}, `SELECT g.id, g.owner_id, g.mode, g.created_at, o.account_id, o.joined_at
		FROM vetshare_group_members me JOIN vetshare_share_groups g ON g.id = me.group_id
		JOIN vetshare_group_members o ON o.group_id = me.group_id AND o.left_at IS NULL
		WHERE me.account_id = ? AND me.left_at IS NULL ORDER BY o.joined_at, o.account_id`, account)
	if err == nil && len(members) == 0 {
		err = vetshare.NotFound("share group of the clinic", account)
	}
	return g, members, err
}
