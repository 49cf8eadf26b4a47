package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/cli"
	"github.com/vetshare/vetshare/postgres"
)

// openPostgres is the opener of a postgres:// DSN. It refuses, with exit code 2, a database
// where vetshare has no schema (it never creates one) and a role that cannot read every owner's
// rows; a server that cannot be reached is exit code 3.
func openPostgres(ctx context.Context, target string) (*cli.Database, error) {
	cfg, err := pgx.ParseConfig(target)
	if err != nil {
		return nil, cli.UsageError("--db: the PostgreSQL connection string cannot be read")
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL database %s on %s as %s: %w", cfg.Database, cfg.Host, cfg.User, err)
	}
	var found bool
	err = conn.QueryRow(ctx, "SELECT to_regclass('vetshare.schema_version') IS NOT NULL").Scan(&found)
	conn.Close(ctx)
	if err != nil {
		return nil, fmt.Errorf("read PostgreSQL database %s: %w", cfg.Database, err)
	}
	if !found {
		return nil, cli.UsageError("no vetshare database in PostgreSQL database %s on %s (vetshare never creates one: check the DSN)", cfg.Database, cfg.Host)
	}
	s, err := postgres.Open(ctx, target)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL database %s: %w", cfg.Database, err)
	}
	pool := s.Pool()
	var routed, seen int
	if err := pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM vetshare.account_owners), (SELECT count(*) FROM vetshare.accounts)").Scan(&routed, &seen); err != nil {
		s.Close()
		return nil, fmt.Errorf("read PostgreSQL database %s: %w", cfg.Database, err)
	}
	if seen < routed {
		s.Close()
		return nil, cli.UsageError("the role %s sees %d of the %d clinics (row-level security): the support desk reads across owners, so connect as the role that owns vetshare's tables, or a support role with a read policy of its own", cfg.User, seen, routed)
	}
	return &cli.Database{Store: s, Directory: pgDirectory{pool}, Doctor: pgDoctor(pool), StatePath: statePath(cfg)}, nil
}

// statePath is where the files kept for the database go: the user's configuration directory,
// keyed by a hash of server, port, database and role, never the password. Without a
// configuration directory, the working directory.
func statePath(cfg *pgx.ConnConfig) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%s\x00%s", cfg.Host, cfg.Port, cfg.Database, cfg.User))
	name := "postgres-" + hex.EncodeToString(sum[:8])
	dir, err := os.UserConfigDir()
	if err != nil {
		return name
	}
	return filepath.Join(dir, "vetshare", name)
}

// pgDirectory reads vetshare's PostgreSQL tables across owners, read only. It needs a role that
// row-level security lets see every owner's rows (see the package comment).
type pgDirectory struct{ pool *pgxpool.Pool }

func (d pgDirectory) Accounts(ctx context.Context) ([]vetshare.Account, error) {
	rows, err := d.pool.Query(ctx, `SELECT id, owner_id, name, email, email_verified, time_zone, currency
		FROM vetshare.accounts ORDER BY created_at, seq, id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (vetshare.Account, error) {
		var a vetshare.Account
		err := r.Scan(&a.ID, &a.OwnerID, &a.Name, &a.Email, &a.EmailVerified, &a.TimeZone, &a.Currency)
		return a, err
	})
}

func (d pgDirectory) users(ctx context.Context, where string, arg any) ([]vetshare.User, error) {
	rows, err := d.pool.Query(ctx, `SELECT id, name, email, email_verified, active FROM vetshare.users `+where, arg)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (vetshare.User, error) {
		var u vetshare.User
		err := r.Scan(&u.ID, &u.Name, &u.Email, &u.EmailVerified, &u.Active)
		return u, err
	})
}

func (d pgDirectory) UsersByEmail(ctx context.Context, addr string) ([]vetshare.User, error) {
	all, err := d.users(ctx, `WHERE lower(email) = lower($1) ORDER BY id`, addr)
	if err != nil {
		return nil, err
	}
	var out []vetshare.User
	for _, u := range all {
		if n, err := vetshare.NormalizeEmail("email", u.Email); err == nil && n == addr {
			out = append(out, u)
		}
	}
	return out, nil
}

func (d pgDirectory) User(ctx context.Context, id vetshare.UserID) (vetshare.User, error) {
	us, err := d.users(ctx, `WHERE id = $1`, id)
	if err != nil {
		return vetshare.User{}, err
	}
	if len(us) == 0 {
		return vetshare.User{}, vetshare.NotFound("user", id)
	}
	return us[0], nil
}

func (d pgDirectory) Memberships(ctx context.Context, user vetshare.UserID) ([]vetshare.Membership, error) {
	rows, err := d.pool.Query(ctx, `SELECT user_id, account_id, role, active FROM vetshare.memberships WHERE user_id = $1 ORDER BY account_id`, user)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (vetshare.Membership, error) {
		var m vetshare.Membership
		err := r.Scan(&m.UserID, &m.AccountID, &m.Role, &m.Active)
		return m, err
	})
}

func (d pgDirectory) Owners(ctx context.Context) ([]vetshare.Owner, error) {
	rows, err := d.pool.Query(ctx, `SELECT owner_id, name FROM vetshare.owners ORDER BY owner_id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (vetshare.Owner, error) {
		var o vetshare.Owner
		err := r.Scan(&o.ID, &o.Name)
		return o, err
	})
}

// SharedClients counts, per account, the client entries whose client another account of the
// same owner has too.
func (d pgDirectory) SharedClients(ctx context.Context) (map[vetshare.AccountID]int, error) {
	rows, err := d.pool.Query(ctx, `SELECT e.account_id, count(*) FROM vetshare.client_entries e
		WHERE EXISTS (SELECT 1 FROM vetshare.client_entries o
			WHERE o.owner_id = e.owner_id AND o.client_id = e.client_id AND o.account_id <> e.account_id)
		GROUP BY e.account_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[vetshare.AccountID]int{}
	for rows.Next() {
		var a vetshare.AccountID
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			return nil, err
		}
		out[a] = n
	}
	return out, rows.Err()
}

// Unshared counts the clients after the cursor that some of accounts have and another lacks.
func (d pgDirectory) Unshared(ctx context.Context, accounts []vetshare.AccountID, after vetshare.ClientID) (int, error) {
	if len(accounts) == 0 {
		return 0, nil
	}
	ids := make([]string, len(accounts))
	for i, a := range accounts {
		ids[i] = string(a)
	}
	var n int
	err := d.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM vetshare.client_entries
		WHERE client_id > $1 AND account_id = ANY($2)
		GROUP BY owner_id, client_id HAVING count(*) < $3) AS unshared`, string(after), ids, len(accounts)).Scan(&n)
	return n, err
}

// AuditReader finds the owner's first active owner (else admin) with an active membership.
func (d pgDirectory) AuditReader(ctx context.Context, owner vetshare.OwnerID) (vetshare.Actor, error) {
	var actor vetshare.Actor
	err := d.pool.QueryRow(ctx, `SELECT m.user_id, m.account_id FROM vetshare.memberships m
		JOIN vetshare.account_owners a ON a.account_id = m.account_id JOIN vetshare.users u ON u.id = m.user_id
		WHERE a.owner_id = $1 AND m.active AND u.active AND m.role IN ('owner', 'admin')
		ORDER BY m.role = 'owner' DESC, m.user_id LIMIT 1`, owner).Scan(&actor.User, &actor.Account)
	if errors.Is(err, pgx.ErrNoRows) {
		return actor, vetshare.NotFound("audit reader", owner)
	}
	return actor, err
}
