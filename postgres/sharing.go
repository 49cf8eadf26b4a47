package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
)

// InsertGroup implements [driver.Tx].
func (t *dtx) InsertGroup(ctx context.Context, g vetshare.ShareGroup) error {
	if err := t.use(ctx, string(g.OwnerID)); err != nil {
		return err
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.share_groups (owner_id, id, mode, created_at) VALUES ($1, $2, $3, $4)`,
			g.OwnerID, g.ID, string(g.Mode), micros(g.CreatedAt))
		return err
	})
}

// Group implements [driver.Tx].
func (t *dtx) Group(ctx context.Context, id vetshare.GroupID) (vetshare.ShareGroup, error) {
	var g vetshare.ShareGroup
	o, err := t.bare(ctx, "group", string(id))
	if err != nil || o == "" {
		return g, orNotFound(err, vetshare.NotFound("share group", id))
	}
	var created int64
	err = t.row(ctx, vetshare.NotFound("share group", id), []any{&g.ID, &g.OwnerID, &g.Mode, &created},
		`SELECT id, owner_id, mode, created_at FROM vetshare.share_groups WHERE owner_id = $1 AND id = $2`, o, id)
	g.CreatedAt = fromMicros(created)
	return g, err
}

const memberCols = `group_id, account_id, joined_at, left_at`

func scanMember(r pgx.Rows, m *vetshare.GroupMember) error {
	var joined int64
	var left *int64
	err := r.Scan(&m.GroupID, &m.AccountID, &joined, &left)
	m.JoinedAt, m.LeftAt = fromMicros(joined), fromNull(left)
	return err
}

func (t *dtx) members(ctx context.Context, query string, args ...any) ([]vetshare.GroupMember, error) {
	var out []vetshare.GroupMember
	err := t.each(ctx, func(r pgx.Rows) error {
		var m vetshare.GroupMember
		err := scanMember(r, &m)
		out = append(out, m)
		return err
	}, query, args...)
	return out, err
}

// GroupOf implements [driver.Tx].
func (t *dtx) GroupOf(ctx context.Context, account vetshare.AccountID) (vetshare.GroupMember, error) {
	notFound := vetshare.NotFound("share group of the clinic", account)
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return vetshare.GroupMember{}, orNotFound(err, notFound)
	}
	ms, err := t.members(ctx, `SELECT `+memberCols+` FROM vetshare.group_members WHERE owner_id = $1 AND account_id = $2 AND left_at IS NULL`, o, account)
	if err != nil {
		return vetshare.GroupMember{}, err
	}
	if len(ms) == 0 {
		return vetshare.GroupMember{}, notFound
	}
	return ms[0], nil
}

// GroupMembers implements [driver.Tx].
func (t *dtx) GroupMembers(ctx context.Context, group vetshare.GroupID) ([]vetshare.GroupMember, error) {
	o, err := t.bare(ctx, "group", string(group))
	if err != nil || o == "" {
		return nil, err
	}
	return t.members(ctx, `SELECT `+memberCols+` FROM vetshare.group_members WHERE owner_id = $1 AND group_id = $2 AND left_at IS NULL
		ORDER BY joined_at, account_id`, o, group)
}

// GroupHistory implements [driver.Tx].
func (t *dtx) GroupHistory(ctx context.Context, group vetshare.GroupID) ([]vetshare.GroupMember, error) {
	o, err := t.bare(ctx, "group", string(group))
	if err != nil || o == "" {
		return nil, err
	}
	return t.members(ctx, `SELECT `+memberCols+` FROM vetshare.group_members WHERE owner_id = $1 AND group_id = $2
		ORDER BY joined_at, account_id`, o, group)
}

// JoinGroup implements [driver.Tx].
func (t *dtx) JoinGroup(ctx context.Context, m vetshare.GroupMember) error {
	o, err := t.acct(ctx, m.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", m.AccountID))
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.group_members (owner_id, group_id, account_id, joined_at) VALUES ($1, $2, $3, $4)`,
			o, m.GroupID, m.AccountID, micros(m.JoinedAt))
		return err
	})
}

// LeaveGroup implements [driver.Tx].
func (t *dtx) LeaveGroup(ctx context.Context, account vetshare.AccountID, at time.Time) error {
	notFound := vetshare.NotFound("share group of the clinic", account)
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return orNotFound(err, notFound)
	}
	return t.execOne(ctx, notFound, `UPDATE vetshare.group_members SET left_at = $3 WHERE owner_id = $1 AND account_id = $2 AND left_at IS NULL`,
		o, account, micros(at))
}

// EverInGroup implements [driver.Tx].
func (t *dtx) EverInGroup(ctx context.Context, account vetshare.AccountID) (bool, error) {
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return false, err
	}
	var ever bool
	err = t.row(ctx, nil, []any{&ever}, `SELECT EXISTS (SELECT 1 FROM vetshare.group_members WHERE owner_id = $1 AND account_id = $2)`, o, account)
	return ever, err
}

// SharedEntries implements [driver.Tx].
func (t *dtx) SharedEntries(ctx context.Context, account vetshare.AccountID) (int, error) {
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return 0, err
	}
	var n int
	err = t.row(ctx, nil, []any{&n}, `SELECT count(*) FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.account_id = $2
		AND EXISTS (SELECT 1 FROM vetshare.client_entries x WHERE x.owner_id = $1 AND x.client_id = e.client_id AND x.account_id <> $2)`, o, account)
	return n, err
}

// GroupOfAccount implements [driver.Tx].
func (t *dtx) GroupOfAccount(ctx context.Context, account vetshare.AccountID) (vetshare.ShareGroup, []vetshare.GroupMember, error) {
	var g vetshare.ShareGroup
	notFound := vetshare.NotFound("share group of the clinic", account)
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return g, nil, orNotFound(err, notFound)
	}
	var members []vetshare.GroupMember
	err = t.each(ctx, func(r pgx.Rows) error {
		var m vetshare.GroupMember
		var created, joined int64
		err := r.Scan(&g.ID, &g.OwnerID, &g.Mode, &created, &m.AccountID, &joined)
		g.CreatedAt, m.GroupID, m.JoinedAt = fromMicros(created), g.ID, fromMicros(joined)
		members = append(members, m)
		return err
	}, `SELECT g.id, g.owner_id, g.mode, g.created_at, x.account_id, x.joined_at
		FROM vetshare.group_members me JOIN vetshare.share_groups g ON g.owner_id = $1 AND g.id = me.group_id
		JOIN vetshare.group_members x ON x.owner_id = $1 AND x.group_id = me.group_id AND x.left_at IS NULL
		WHERE me.owner_id = $1 AND me.account_id = $2 AND me.left_at IS NULL ORDER BY x.joined_at, x.account_id`, o, account)
	if err == nil && len(members) == 0 {
		err = notFound
	}
	return g, members, err
}
