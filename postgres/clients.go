package postgres

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

const clientCols = `c.id, c.owner_id, c.first_name, c.last_name, c.email, c.phone, c.address,
	c.origin_account, c.home_account, c.created_at, c.updated_at, c.version`

func scanClient(r pgx.Rows, c *vetshare.Client, more ...any) error {
	var created, updated int64
	err := r.Scan(append([]any{&c.ID, &c.OwnerID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.Address,
		&c.OriginAccount, &c.HomeAccount, &created, &updated, &c.Version}, more...)...)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return err
}

func (t *dtx) clients(ctx context.Context, out *[]vetshare.Client, query string, args ...any) error {
	return t.each(ctx, func(r pgx.Rows) error {
		var c vetshare.Client
		err := scanClient(r, &c)
		*out = append(*out, c)
		return err
	}, query, args...)
}

// InsertClient implements [driver.Tx].
func (t *dtx) InsertClient(ctx context.Context, c vetshare.Client) error {
	if err := t.use(ctx, string(c.OwnerID)); err != nil {
		return err
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.clients (owner_id, id, first_name, last_name, name_key, first_key, email, phone, address,
			origin_account, home_account, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			c.OwnerID, c.ID, c.FirstName, c.LastName, vetshare.NameKey(c.LastName, c.FirstName), vetshare.FoldName(c.FirstName),
			c.Email, c.Phone, c.Address, c.OriginAccount, c.HomeAccount, micros(c.CreatedAt), micros(c.UpdatedAt), c.Version)
		return err
	})
}

// Client implements [driver.Tx].
func (t *dtx) Client(ctx context.Context, account vetshare.AccountID, id vetshare.ClientID) (vetshare.Client, error) {
	var out []vetshare.Client
	o, err := t.acct(ctx, account)
	if err == nil && o != "" {
		err = t.clients(ctx, &out, `SELECT `+clientCols+` FROM vetshare.client_entries e JOIN vetshare.clients c ON c.owner_id = $1 AND c.id = e.client_id
			WHERE e.owner_id = $1 AND e.account_id = $2 AND e.client_id = $3`, o, account, id)
	}
	if err != nil || len(out) == 0 {
		return vetshare.Client{}, orNotFound(err, vetshare.NotFound("client", id))
	}
	return out[0], nil
}

// UpdateClient implements [driver.Tx].
func (t *dtx) UpdateClient(ctx context.Context, c vetshare.Client) error {
	o := string(c.OwnerID)
	if o == "" {
		var err error
		if o, err = t.bare(ctx, "client", string(c.ID)); err != nil || o == "" {
			return orNotFound(err, vetshare.NotFound("client", c.ID))
		}
	} else if err := t.use(ctx, o); err != nil {
		return err
	}
	var n int64
	err := t.write(ctx, func() (err error) {
		n, err = t.exec(ctx, `UPDATE vetshare.clients SET first_name = $3, last_name = $4, name_key = $5, first_key = $6, email = $7, phone = $8,
			address = $9, home_account = $10, updated_at = $11, version = version + 1 WHERE owner_id = $1 AND id = $2 AND version = $12`,
			o, c.ID, c.FirstName, c.LastName, vetshare.NameKey(c.LastName, c.FirstName), vetshare.FoldName(c.FirstName),
			c.Email, c.Phone, c.Address, c.HomeAccount, micros(c.UpdatedAt), c.Version)
		return err
	})
	if err != nil || n == 1 {
		return err
	}
	var current int64
	if err := t.row(ctx, vetshare.NotFound("client", c.ID), []any{&current},
		`SELECT version FROM vetshare.clients WHERE owner_id = $1 AND id = $2`, o, c.ID); err != nil {
		return err
	}
	return &vetshare.ConflictError{Kind: "client", ID: string(c.ID), Version: c.Version, Current: current,
		Name: strings.TrimSpace(c.FirstName + " " + c.LastName)}
}

// next is a data-modifying common table expression that takes the next number of a counter:
// $1 the owner, $2 the scope (an account), $3 the counter's name. The row stays locked until
// the transaction ends, so concurrent writers of one account take numbers one after the other
// with no gap and no duplicate, and writers of other accounts never wait.
const next = `next AS (INSERT INTO vetshare.counters AS k (owner_id, scope, name, value) VALUES ($1, $2, $3, 1)
	ON CONFLICT (owner_id, scope, name) DO UPDATE SET value = k.value + 1 RETURNING value)`

// InsertClientEntry implements [driver.Tx]. The number comes from the account's counter.
func (t *dtx) InsertClientEntry(ctx context.Context, e *vetshare.ClientEntry) error {
	o, err := t.acct(ctx, e.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", e.AccountID))
	}
	var n int64
	err = t.write(ctx, func() error {
		return t.row(ctx, nil, []any{&n}, `WITH `+next+`
			INSERT INTO vetshare.client_entries (owner_id, account_id, client_id, number, via, created_at, seq)
			SELECT $1, $2, $4, next.value, $5, $6, nextval('vetshare.seq') FROM next RETURNING number`,
			o, e.AccountID, "client", e.ClientID, string(e.Via), micros(e.CreatedAt))
	})
	if err != nil {
		return err
	}
	e.Number = n
	return nil
}

// ShareClientEntry implements [driver.Tx]: InsertClientEntry's statement, whose counter takes
// a number only when the share's condition holds (the counter's INSERT … SELECT has it as its
// WHERE), and whose entry is inserted from that number: no row, no number, when it fails. A
// member is checked first by ActorMembership's read, a statement of its own: the statement
// that shares could not tell a refused member from a refused client.
func (t *dtx) ShareClientEntry(ctx context.Context, e *vetshare.ClientEntry, member vetshare.UserID) (bool, error) {
	if member != "" {
		if err := t.checkMember(ctx, member, e.AccountID); err != nil {
			return false, err
		}
	}
	o, err := t.acct(ctx, e.AccountID)
	if err != nil || o == "" {
		return false, err
	}
	var n int64
	err = t.write(ctx, func() error {
		return t.row(ctx, errNoRow, []any{&n}, `WITH next AS (INSERT INTO vetshare.counters AS k (owner_id, scope, name, value)
				SELECT $1, $2, 'client', 1
				WHERE NOT EXISTS (SELECT 1 FROM vetshare.client_entries WHERE owner_id = $1 AND account_id = $2 AND client_id = $3)
				AND EXISTS (SELECT 1 FROM vetshare.client_entries x WHERE x.owner_id = $1 AND x.client_id = $3
					AND x.account_id IN (`+groupAccounts("$2")+`))
				ON CONFLICT (owner_id, scope, name) DO UPDATE SET value = k.value + 1 RETURNING value)
			INSERT INTO vetshare.client_entries (owner_id, account_id, client_id, number, via, created_at, seq)
			SELECT $1, $2, $3, next.value, $4, $5, nextval('vetshare.seq') FROM next RETURNING number`,
			o, string(e.AccountID), string(e.ClientID), string(e.Via), micros(e.CreatedAt))
	})
	if err == errNoRow {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	e.Number = n
	return true, nil
}

// InsertClientEntries implements [driver.Tx]. Per owner of the entries' accounts (a backfill's
// are all of one), in one savepoint: one statement takes as many numbers from each account's
// counter as it gets entries (the counter rows locked in account order, so two batches never
// wait on each other in a cycle), one INSERT … SELECT from arrays stores the entries, seq
// taken in the order given.
func (t *dtx) InsertClientEntries(ctx context.Context, entries []vetshare.ClientEntry) error {
	var owners []string
	byOwner := map[string][]int{}
	for i, e := range entries {
		o, err := t.acct(ctx, e.AccountID)
		if err != nil || o == "" {
			return orNotFound(err, vetshare.NotFound("account", e.AccountID))
		}
		if byOwner[o] == nil {
			owners = append(owners, o)
		}
		byOwner[o] = append(byOwner[o], i)
	}
	numbers := make([]int64, len(entries))
	for _, o := range owners {
		if err := t.use(ctx, o); err != nil {
			return err
		}
		idx := byOwner[o]
		count := map[vetshare.AccountID]int64{}
		var accounts []string
		var counts []int64
		for _, i := range idx {
			if count[entries[i].AccountID] == 0 {
				accounts = append(accounts, string(entries[i].AccountID))
			}
			count[entries[i].AccountID]++
		}
		slices.Sort(accounts)
		for _, a := range accounts {
			counts = append(counts, count[vetshare.AccountID(a)])
		}
		acc, cli, via := make([]string, len(idx)), make([]string, len(idx)), make([]string, len(idx))
		at, num := make([]*int64, len(idx)), make([]int64, len(idx))
		err := t.write(ctx, func() error {
			next := map[vetshare.AccountID]int64{}
			err := t.each(ctx, func(r pgx.Rows) error {
				var a string
				var last int64
				err := r.Scan(&a, &last)
				next[vetshare.AccountID(a)] = last - count[vetshare.AccountID(a)] + 1
				return err
			}, `INSERT INTO vetshare.counters AS k (owner_id, scope, name, value)
				SELECT $1, j.a, 'client', j.n FROM unnest($2::text[], $3::bigint[]) AS j (a, n) ORDER BY j.a
				ON CONFLICT (owner_id, scope, name) DO UPDATE SET value = k.value + excluded.value RETURNING scope, value`,
				o, accounts, counts)
			if err != nil {
				return err
			}
			for k, i := range idx {
				e := entries[i]
				num[k] = next[e.AccountID]
				next[e.AccountID]++
				acc[k], cli[k], via[k] = string(e.AccountID), string(e.ClientID), string(e.Via)
				if !e.CreatedAt.IsZero() {
					us := vetshare.Time(e.CreatedAt).UnixMicro()
					at[k] = &us
				}
			}
			_, err = t.exec(ctx, `INSERT INTO vetshare.client_entries (owner_id, account_id, client_id, number, via, created_at, seq)
				SELECT $1, j.a, j.c, j.num, j.v, j.at, nextval('vetshare.seq')
				FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[]) WITH ORDINALITY AS j (a, c, num, v, at, i)
				ORDER BY j.i`, o, acc, cli, num, via, at)
			return err
		})
		if err != nil {
			return err
		}
		for k, i := range idx {
			numbers[i] = num[k]
		}
	}
	for i := range entries {
		entries[i].Number = numbers[i]
	}
	return nil
}

const entryCols = `e.account_id, e.client_id, e.number, e.via, e.created_at`

func scanEntry(r pgx.Rows, e *vetshare.ClientEntry) error {
	var created int64
	err := r.Scan(&e.AccountID, &e.ClientID, &e.Number, &e.Via, &created)
	e.CreatedAt = fromMicros(created)
	return err
}

func (t *dtx) entries(ctx context.Context, query string, args ...any) ([]vetshare.ClientEntry, error) {
	var out []vetshare.ClientEntry
	err := t.each(ctx, func(r pgx.Rows) error {
		var e vetshare.ClientEntry
		err := scanEntry(r, &e)
		out = append(out, e)
		return err
	}, query, args...)
	return out, err
}

// ClientEntry implements [driver.Tx].
func (t *dtx) ClientEntry(ctx context.Context, account vetshare.AccountID, client vetshare.ClientID) (vetshare.ClientEntry, error) {
	notFound := vetshare.NotFound("client", client)
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return vetshare.ClientEntry{}, orNotFound(err, notFound)
	}
	es, err := t.entries(ctx, `SELECT `+entryCols+` FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.account_id = $2 AND e.client_id = $3`,
		o, account, client)
	if err != nil || len(es) == 0 {
		return vetshare.ClientEntry{}, orNotFound(err, notFound)
	}
	return es[0], nil
}

// ClientEntryByNumber implements [driver.Tx].
func (t *dtx) ClientEntryByNumber(ctx context.Context, account vetshare.AccountID, number int64) (vetshare.ClientEntry, error) {
	notFound := &vetshare.NotFoundError{Kind: "client number", ID: strconv.FormatInt(number, 10)}
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return vetshare.ClientEntry{}, orNotFound(err, notFound)
	}
	es, err := t.entries(ctx, `SELECT `+entryCols+` FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.account_id = $2 AND e.number = $3`,
		o, account, number)
	if err != nil || len(es) == 0 {
		return vetshare.ClientEntry{}, orNotFound(err, notFound)
	}
	return es[0], nil
}

// ClientEntries implements [driver.Tx].
func (t *dtx) ClientEntries(ctx context.Context, client vetshare.ClientID) ([]vetshare.ClientEntry, error) {
	o, err := t.bare(ctx, "client", string(client))
	if err != nil || o == "" {
		return nil, err
	}
	return t.entries(ctx, `SELECT `+entryCols+` FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = $2
		ORDER BY e.created_at, e.seq`, o, client)
}

// ClientEntriesOf implements [driver.Tx].
func (t *dtx) ClientEntriesOf(ctx context.Context, clients []vetshare.ClientID) ([]vetshare.ClientEntry, error) {
	o, err := t.clientsOwner(ctx, clients)
	if err != nil || o == "" {
		return nil, err
	}
	return t.entries(ctx, `SELECT `+entryCols+` FROM unnest($2::text[]) WITH ORDINALITY AS j (id, n)
		JOIN vetshare.client_entries e ON e.owner_id = $1 AND e.client_id = j.id
		ORDER BY j.n, e.created_at, e.seq`, o, strs(clients))
}

// groupAccounts is a SELECT of the accounts now in the share group of account (an SQL
// expression) in the owner $1, account included; none when it is in no group.
func groupAccounts(account string) string {
	return `SELECT o.account_id FROM vetshare.group_members t JOIN vetshare.group_members o ON o.owner_id = $1 AND o.group_id = t.group_id AND o.left_at IS NULL
		WHERE t.owner_id = $1 AND t.account_id = ` + account + ` AND t.left_at IS NULL`
}

// GroupEntriesOf implements [driver.Tx].
func (t *dtx) GroupEntriesOf(ctx context.Context, account vetshare.AccountID, clients []vetshare.ClientID) ([]driver.GroupEntry, error) {
	if len(clients) == 0 {
		return nil, nil
	}
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return nil, err
	}
	var out []driver.GroupEntry
	err = t.each(ctx, func(r pgx.Rows) error {
		var g driver.GroupEntry
		var created int64
		err := r.Scan(&g.AccountID, &g.ClientID, &g.Number, &g.Via, &created, &g.AccountName)
		g.CreatedAt = fromMicros(created)
		out = append(out, g)
		return err
	}, `WITH grp AS MATERIALIZED (SELECT a.id AS account_id, a.name FROM vetshare.accounts a
			WHERE a.owner_id = $1 AND a.id IN (`+groupAccounts("$2")+`))
		SELECT `+entryCols+`, grp.name FROM unnest($3::text[]) WITH ORDINALITY AS j (id, n)
		JOIN vetshare.client_entries e ON e.owner_id = $1 AND e.client_id = j.id
		JOIN grp ON grp.account_id = e.account_id
		ORDER BY j.n, e.created_at, e.seq`, o, string(account), strs(clients))
	return out, err
}

// Clients implements [driver.Tx].
func (t *dtx) Clients(ctx context.Context, q driver.ClientListQuery) ([]driver.ClientRow, error) {
	o, err := t.acct(ctx, q.Account)
	if err != nil || o == "" {
		return nil, err
	}
	var out []driver.ClientRow
	scan := func(r pgx.Rows) error {
		var row driver.ClientRow
		var created int64
		err := scanClient(r, &row.Client, &row.Key, &row.Entry.Number, &row.Entry.Via, &created)
		row.Entry.AccountID, row.Entry.ClientID, row.Entry.CreatedAt = q.Account, row.ID, fromMicros(created)
		out = append(out, row)
		return err
	}
	const cols = clientCols + `, c.name_key, e.number, e.via, e.created_at`
	err = t.each(ctx, scan, `SELECT `+cols+` FROM vetshare.client_entries e JOIN vetshare.clients c ON c.owner_id = $1 AND c.id = e.client_id
		WHERE e.owner_id = $1 AND e.account_id = $2
		  AND (c.name_key, c.id) > ($3, $4)
		ORDER BY c.name_key, c.id LIMIT $5`,
		o, q.Account, q.AfterKey, q.AfterID, limitArg(q.Limit))
	return out, err
}

// UnsharedClients implements [driver.Tx].
func (t *dtx) UnsharedClients(ctx context.Context, accounts []vetshare.AccountID, after vetshare.ClientID, limit int) ([]vetshare.Client, error) {
	if len(accounts) == 0 {
		return nil, nil
	}
	o, err := t.acct(ctx, accounts[0])
	if err != nil || o == "" {
		return nil, err
	}
	var out []vetshare.Client
	err = t.clients(ctx, &out, `SELECT `+clientCols+` FROM vetshare.clients c
		WHERE c.owner_id = $1 AND c.id > $2
		  AND (SELECT count(*) FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = c.id AND e.account_id = ANY ($3))
		      BETWEEN 1 AND $4 - 1
		ORDER BY c.id LIMIT $5`, o, after, strs(accounts), len(accounts), limit)
	return out, err
}
