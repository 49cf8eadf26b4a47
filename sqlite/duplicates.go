package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/sqlitesearch"
)

// goSteps are the steps of a migration that SQL cannot do, run in its transaction right after
// its script, by the version the script brings the schema to.
var goSteps = map[int]func(ctx context.Context, conn *sql.Conn) error{
	9:  backfillClientKeys,
	14: backfillClientKeys, // the n: and m: keys; the triggers of 0014 copy them by account
}

// backfillClientKeys gives every client its search keys (driver.ClientSearchKeys), which fold
// names in Go (vetshare.FoldName) and so cannot be computed by the migration's SQL. It adds
// only the keys a client lacks, so a later version that adds a kind of key runs it again.
func backfillClientKeys(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, `SELECT id, owner_id, first_name, last_name, email, phone FROM vetshare_clients`)
	if err != nil {
		return err
	}
	var clients []vetshare.Client
	for rows.Next() {
		var c vetshare.Client
		if err := rows.Scan(&c.ID, &c.OwnerID, &c.FirstName, &c.LastName, &c.Email, &c.Phone); err != nil {
			rows.Close()
			return err
		}
		clients = append(clients, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	st, err := conn.PrepareContext(ctx, `INSERT OR IGNORE INTO vetshare_client_keys (owner_id, key, client_id) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, c := range clients {
		for _, k := range driver.ClientSearchKeys(c) {
			if _, err := st.ExecContext(ctx, c.OwnerID, k, c.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// IndexClient implements [driver.Tx]: it deletes the keys the client no longer has and adds
// the new ones, so that a change of phone leaves the name keys, and their copies by account
// (vetshare_account_keys, kept by triggers), as they are.
func (t *dtx) IndexClient(ctx context.Context, c vetshare.Client) error {
	// The client's existence and its keys in one read: a client without keys is one row with
	// a NULL key.
	var had []string
	found := false
	err := t.each(ctx, func(r *sql.Rows) error {
		var k sql.NullString
		err := r.Scan(&k)
		if found = true; k.Valid {
			had = append(had, k.String)
		}
		return err
	}, `SELECT k.key FROM vetshare_clients c LEFT JOIN vetshare_client_keys k ON k.owner_id = c.owner_id AND k.client_id = c.id
		WHERE c.id = ? AND c.owner_id = ?`, c.ID, c.OwnerID)
	if err != nil {
		return err
	}
	if !found {
		return vetshare.NotFound("client", c.ID)
	}
	// The keys gone in one statement and the new ones in another, each a JSON array: a new
	// client has eight to ten keys, and a statement each was most of IndexClient's time.
	keys := driver.ClientSearchKeys(c)
	var gone, added []string
	for _, k := range had {
		if !slices.Contains(keys, k) {
			gone = append(gone, k)
		}
	}
	for _, k := range keys {
		if !slices.Contains(had, k) {
			added = append(added, k)
		}
	}
	for _, change := range []struct {
		keys  []string
		query string
	}{
		{gone, `DELETE FROM vetshare_client_keys WHERE owner_id = ?1 AND client_id = ?2 AND key IN (SELECT value FROM json_each(?3))`},
		{added, `INSERT INTO vetshare_client_keys (owner_id, key, client_id) SELECT ?1, value, ?2 FROM json_each(?3)`},
	} {
		if len(change.keys) == 0 {
			continue
		}
		list, err := json.Marshal(change.keys)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, change.query, c.OwnerID, c.ID, string(list)); err != nil {
			return err
		}
	}
	return nil
}

// SearchClients implements [driver.Tx]. A search in an account for a pair key (the type-ahead
// of R2.3) is one range of the account's own keys (vetshare_account_keys), checked for each
// further condition in the client's keys, then the client rows of the kept keys only. Any other
// search is one range (or equality) probe of the owner's keys, with, for each key in range, a
// probe of the client's keys for each further condition and of the entries indexes for the
// scope; then the client's row, for the clients kept only. The client is joined last (CROSS
// JOIN fixes the order): most keys in range may belong to clients out of scope, and reading
// their rows first was most of the work. The entry of the scope's account is a join, not an
// EXISTS, for the same reason: SQLite turns such an EXISTS into a join of its own choosing,
// after the client. With an account, the rows kept also read the client's entry there, in the
// same statement: a read of the page's entries apart cost about a quarter of the type-ahead.
func (t *dtx) SearchClients(ctx context.Context, q driver.ClientSearch) ([]driver.ClientRow, error) {
	if err := driver.CheckSearch(q); err != nil {
		return nil, err
	}
	stmts, err := sqlitesearch.SQL(q, clientCols)
	if err != nil {
		return nil, err
	}
	// Rows stop being read (and SQLite stops probing, and runs no further tier) once Limit
	// distinct clients are found. A tier gives at most Limit distinct clients, found before or
	// not, as a search of it alone would.
	// The page is at most Limit rows: room for them at once, not by doubling (a row is a
	// whole client and entry, and a search runs on every keystroke).
	out := make([]driver.ClientRow, 0, min(max(q.Limit, 0), 64))
	tier, inTier := -1, map[vetshare.ClientID]bool{}
	var i int
	var row driver.ClientRow
	var created int64
	var more []any
	if q.Account != "" {
		more = append(more, &row.Entry.Number, &row.Entry.Via, &created) // sqlitesearch.EntryCols
	}
	if len(q.Tiers) > 0 {
		more = append(more, &i)
	}
	scan := func(r *sql.Rows) error {
		row = driver.ClientRow{}
		if err := scanClient(r, &row.Client, more...); err != nil {
			return err
		}
		if q.Account != "" {
			row.Entry.AccountID, row.Entry.ClientID, row.Entry.CreatedAt = q.Account, row.ID, time.UnixMicro(created).UTC()
		}
		if i != tier {
			tier = i
			clear(inTier)
		}
		if inTier[row.ID] || len(inTier) == q.Limit {
			return nil
		}
		inTier[row.ID] = true
		if !slices.ContainsFunc(out, func(o driver.ClientRow) bool { return o.ID == row.ID }) {
			out = append(out, row)
		}
		if len(out) == q.Limit {
			return errEnough
		}
		return nil
	}
	for _, st := range stmts {
		if err = t.each(ctx, scan, st.Query, st.Args...); err != nil {
			break
		}
	}
	if err == errEnough {
		err = nil
	}
	return out, err
}

// errEnough stops reading the rows of a statement that has given what was asked.
var errEnough = errors.New("enough rows")

// InsertNotSame implements [driver.Tx].
func (t *dtx) InsertNotSame(ctx context.Context, d driver.NotSame) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_not_same (owner_id, client_a, client_b, account_id, user_id, reason, decided_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, d.Owner, d.A, d.B, d.Account, d.User, d.Reason, micros(d.At))
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `DELETE FROM vetshare_duplicate_pairs WHERE owner_id = ? AND client_a = ? AND client_b = ?`, d.Owner, d.A, d.B)
	return err
}

// NotSameOf implements [driver.Tx]: the decisions that name the client first, by the primary
// key, then those that name it second, by vetshare_not_same_b.
//
// INDEXED BY, here and in the merges' steps: on a file without statistics, SQLite chose the
// owner's prefix of the primary key over an index that also names the client, and so read every
// decision, pair or replacement of the owner (TestEveryIndexServesAStatement found the indexes
// unread). A pair names a client first or second: a merge deletes each with a DELETE of its
// own, where one DELETE with an OR read every pair of the owner.
func (t *dtx) NotSameOf(ctx context.Context, owner vetshare.OwnerID, client vetshare.ClientID) ([]driver.NotSame, error) {
	var out []driver.NotSame
	err := t.each(ctx, func(r *sql.Rows) error {
		var d driver.NotSame
		var at int64
		err := r.Scan(&d.Owner, &d.A, &d.B, &d.Account, &d.User, &d.Reason, &at)
		d.At = time.UnixMicro(at).UTC()
		out = append(out, d)
		return err
	}, `SELECT owner_id, client_a, client_b, account_id, user_id, reason, decided_at FROM (
		SELECT *, client_b AS other FROM vetshare_not_same WHERE owner_id = ?1 AND client_a = ?2
		UNION ALL
		SELECT *, client_a AS other FROM vetshare_not_same INDEXED BY vetshare_not_same_b WHERE owner_id = ?1 AND client_b = ?2) ORDER BY other`, owner, client)
	return out, err
}

// OwnerClients implements [driver.Tx].
func (t *dtx) OwnerClients(ctx context.Context, owner vetshare.OwnerID, after vetshare.ClientID, limit int) ([]vetshare.Client, error) {
	var out []vetshare.Client
	err := t.each(ctx, func(r *sql.Rows) error {
		var c vetshare.Client
		err := scanClient(r, &c)
		out = append(out, c)
		return err
	}, `SELECT `+clientCols+` FROM vetshare_clients c WHERE c.owner_id = ? AND c.id > ?
		AND EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.client_id = c.id)
		ORDER BY c.id LIMIT ?`, owner, after, limit)
	return out, err
}

// MergeClients implements [driver.Tx]. Foreign keys are checked at the end of the
// transaction (PRAGMA defer_foreign_keys, which SQLite resets when it ends), so that entries,
// balances and invoices can change their client in any order.
func (t *dtx) MergeClients(ctx context.Context, m driver.ClientMerge) error {
	for _, id := range []vetshare.ClientID{m.Survivor, m.Merged} {
		var n int
		err := t.queryRow(ctx, vetshare.NotFound("client", id), func(r *sql.Rows) error { return r.Scan(&n) },
			`SELECT 1 FROM vetshare_clients c WHERE c.id = ? AND c.owner_id = ? AND EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.client_id = c.id)`, id, m.Owner)
		if err != nil {
			return err
		}
	}
	steps := []string{ // INDEXED BY: see NotSameOf
		`PRAGMA defer_foreign_keys = ON`,
		// Accounts that hold both: the merged-away number stands for the survivor.
		`INSERT INTO vetshare_number_aliases (account_id, number, client_id)
			SELECT e.account_id, e.number, ?1 FROM vetshare_client_entries e
			WHERE e.client_id = ?2 AND EXISTS (SELECT 1 FROM vetshare_client_entries s WHERE s.account_id = e.account_id AND s.client_id = ?1)`,
		`UPDATE vetshare_number_aliases SET client_id = ?1 WHERE client_id = ?2`,
		// Balances stay per account: in an account that held both, they add up.
		`INSERT INTO vetshare_balances (account_id, client_id, outstanding, open_invoices)
			SELECT b.account_id, ?1, b.outstanding, b.open_invoices FROM vetshare_client_entries e
			JOIN vetshare_balances b ON b.account_id = e.account_id AND b.client_id = e.client_id WHERE e.client_id = ?2
			ON CONFLICT (account_id, client_id) DO UPDATE SET outstanding = outstanding + excluded.outstanding,
				open_invoices = open_invoices + excluded.open_invoices`,
		`DELETE FROM vetshare_balances WHERE client_id = ?2 AND account_id IN (SELECT account_id FROM vetshare_client_entries WHERE client_id = ?2)`,
		`UPDATE vetshare_invoices SET client_id = ?1 WHERE client_id = ?2 AND account_id IN (SELECT account_id FROM vetshare_client_entries WHERE client_id = ?2)`,
		// The invoices the step before gave the survivor, by the accounts of either client: by
		// client_id alone, every invoice of the store was read.
		`UPDATE vetshare_payments SET client_id = ?1 WHERE client_id = ?2 AND invoice_id IN (SELECT i.id FROM vetshare_client_entries e
			JOIN vetshare_invoices i ON i.account_id = e.account_id AND i.client_id = ?1 WHERE e.client_id IN (?1, ?2))`,
		`DELETE FROM vetshare_client_entries WHERE client_id = ?2
			AND account_id IN (SELECT account_id FROM vetshare_client_entries WHERE client_id = ?1)`,
		`UPDATE vetshare_client_entries SET client_id = ?1,
			seq = seq + (SELECT COALESCE(MAX(seq), 0) FROM vetshare_client_entries WHERE client_id = ?1) WHERE client_id = ?2`,
		`UPDATE vetshare_patients SET client_id = ?1 WHERE client_id = ?2`,
		`UPDATE vetshare_tasks SET client_id = ?1 WHERE client_id = ?2`,
		`DELETE FROM vetshare_client_keys WHERE owner_id = ?3 AND client_id = ?2`,
		`DELETE FROM vetshare_duplicate_pairs WHERE owner_id = ?3 AND client_a = ?2`,
		`DELETE FROM vetshare_duplicate_pairs INDEXED BY vetshare_duplicate_pairs_b WHERE owner_id = ?3 AND client_b = ?2`,
		`UPDATE vetshare_client_replaced INDEXED BY vetshare_client_replaced_survivor SET survivor_id = ?1 WHERE owner_id = ?3 AND survivor_id = ?2`,
		`INSERT INTO vetshare_client_replaced (owner_id, client_id, survivor_id, merged_at) VALUES (?3, ?2, ?1, ?4)`,
	}
	for _, s := range steps {
		if _, err := t.exec(ctx, s, m.Survivor, m.Merged, m.Owner, micros(m.At)); err != nil {
			return err
		}
	}
	return nil
}

// ReplacedBy implements [driver.Tx].
func (t *dtx) ReplacedBy(ctx context.Context, owner vetshare.OwnerID, id vetshare.ClientID) (vetshare.ClientID, error) {
	var s vetshare.ClientID
	err := t.queryRow(ctx, vetshare.NotFound("client", id), func(r *sql.Rows) error { return r.Scan(&s) },
		`SELECT survivor_id FROM vetshare_client_replaced WHERE owner_id = ? AND client_id = ?`, owner, id)
	return s, err
}

// NumberAlias implements [driver.Tx].
func (t *dtx) NumberAlias(ctx context.Context, account vetshare.AccountID, number int64) (vetshare.ClientID, error) {
	var s vetshare.ClientID
	err := t.queryRow(ctx, &vetshare.NotFoundError{Kind: "client number", ID: strconv.FormatInt(number, 10)}, func(r *sql.Rows) error { return r.Scan(&s) },
		`SELECT client_id FROM vetshare_number_aliases WHERE account_id = ? AND number = ?`, account, number)
	return s, err
}

// MergePatients implements [driver.Tx].
func (t *dtx) MergePatients(ctx context.Context, m driver.PatientMerge) error {
	for _, id := range []vetshare.PatientID{m.Survivor, m.Merged} {
		var n int
		err := t.queryRow(ctx, vetshare.NotFound("patient", id), func(r *sql.Rows) error { return r.Scan(&n) },
			`SELECT 1 FROM vetshare_patients p JOIN vetshare_clients c ON c.id = p.client_id AND c.owner_id = ?2
			WHERE p.id = ?1 AND NOT EXISTS (SELECT 1 FROM vetshare_patient_replaced x WHERE x.patient_id = p.id)`, id, m.Owner)
		if err != nil {
			return err
		}
	}
	steps := []string{ // INDEXED BY: see NotSameOf
		`UPDATE vetshare_reminders SET status = 'withdrawn' WHERE patient_id = ?2 AND status = 'open'
			AND EXISTS (SELECT 1 FROM vetshare_reminders s WHERE s.patient_id = ?1 AND s.status = 'open'
				AND s.item_id = vetshare_reminders.item_id AND s.kind_key = vetshare_reminders.kind_key)`,
		`UPDATE vetshare_reminders SET patient_id = ?1 WHERE patient_id = ?2`,
		`UPDATE vetshare_records SET patient_id = ?1 WHERE patient_id = ?2`,
		`UPDATE vetshare_tasks SET patient_id = ?1 WHERE patient_id = ?2`,
		`UPDATE vetshare_patient_replaced INDEXED BY vetshare_patient_replaced_survivor SET survivor_id = ?1 WHERE owner_id = ?3 AND survivor_id = ?2`,
		`INSERT INTO vetshare_patient_replaced (owner_id, patient_id, survivor_id, merged_at) VALUES (?3, ?2, ?1, ?4)`,
	}
	for _, s := range steps {
		if _, err := t.exec(ctx, s, m.Survivor, m.Merged, m.Owner, micros(m.At)); err != nil {
			return err
		}
	}
	return nil
}

// PatientReplacedBy implements [driver.Tx].
func (t *dtx) PatientReplacedBy(ctx context.Context, owner vetshare.OwnerID, id vetshare.PatientID) (vetshare.PatientID, error) {
	var s vetshare.PatientID
	err := t.queryRow(ctx, vetshare.NotFound("patient", id), func(r *sql.Rows) error { return r.Scan(&s) },
		`SELECT survivor_id FROM vetshare_patient_replaced WHERE owner_id = ? AND patient_id = ?`, owner, id)
	return s, err
}

// KeyedClients implements [driver.Tx]: one range read of the keys index from the cursor,
// joined to each client.
func (t *dtx) KeyedClients(ctx context.Context, owner vetshare.OwnerID, prefix, afterKey string, afterClient vetshare.ClientID, limit int) ([]driver.KeyedClient, error) {
	if prefix == "" {
		return nil, vetshare.Invalid("prefix", "a key prefix is required")
	}
	if limit < 1 {
		return nil, vetshare.Invalid("limit", "must be at least 1")
	}
	var out []driver.KeyedClient
	err := t.each(ctx, func(r *sql.Rows) error {
		var k driver.KeyedClient
		err := scanClient(r, &k.Client, &k.Key)
		out = append(out, k)
		return err
	}, `SELECT `+clientCols+`, k.key FROM vetshare_client_keys k JOIN vetshare_clients c ON c.id = k.client_id
		WHERE k.owner_id = ?1 AND k.key >= ?2 AND k.key < ?3 AND (k.key, k.client_id) > (?4, ?5)
		AND EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.client_id = k.client_id)
		ORDER BY k.key, k.client_id LIMIT ?6`, owner, prefix, upper(prefix), afterKey, afterClient, limit)
	return out, err
}

// PutDuplicatePairs implements [driver.Tx].
func (t *dtx) PutDuplicatePairs(ctx context.Context, pairs []driver.DuplicatePair) error {
	for _, p := range pairs {
		if p.A >= p.B {
			return vetshare.Invalid("pairs", "a pair needs A < B")
		}
		_, err := t.exec(ctx, `INSERT INTO vetshare_duplicate_pairs (owner_id, client_a, client_b, score, rank, grade, agree, found_at)
			SELECT ?1, ?2, ?3, ?4, -?4, ?5, ?6, ?7
			WHERE NOT EXISTS (SELECT 1 FROM vetshare_not_same n WHERE n.owner_id = ?1 AND n.client_a = ?2 AND n.client_b = ?3)
			ON CONFLICT (owner_id, client_a, client_b) DO UPDATE SET score = excluded.score, rank = excluded.rank, grade = excluded.grade,
				agree = excluded.agree, found_at = excluded.found_at`,
			p.Owner, p.A, p.B, p.Score, p.Grade, strings.Join(p.Agree, ","), micros(p.Found))
		if err != nil {
			return err
		}
	}
	return nil
}

// ClearDuplicatePairs implements [driver.Tx].
func (t *dtx) ClearDuplicatePairs(ctx context.Context, owner vetshare.OwnerID) error {
	_, err := t.exec(ctx, `DELETE FROM vetshare_duplicate_pairs WHERE owner_id = ?`, owner)
	return err
}

// DuplicatePairs implements [driver.Tx]: one range read of the best-first index from the
// cursor, joined to both clients.
func (t *dtx) DuplicatePairs(ctx context.Context, owner vetshare.OwnerID, after *driver.DuplicatePair, limit int) ([]driver.StoredPair, error) {
	if limit < 1 {
		return nil, vetshare.Invalid("limit", "must be at least 1")
	}
	// The index orders by rank (minus the score), then ids: one row-value range from the
	// cursor. Without a cursor, start before every rank.
	rank, a, b := math.MinInt32, vetshare.ClientID(""), vetshare.ClientID("")
	if after != nil {
		rank, a, b = -after.Score, after.A, after.B
	}
	var out []driver.StoredPair
	err := t.each(ctx, func(r *sql.Rows) error {
		var p driver.StoredPair
		var agree string
		var found int64
		var bCreated, bUpdated int64
		cb := &p.ClientB
		err := scanClient(r, &p.ClientA, &p.Owner, &p.A, &p.B, &p.Score, &p.Grade, &agree, &found,
			&cb.ID, &cb.OwnerID, &cb.FirstName, &cb.LastName, &cb.Email, &cb.Phone, &cb.Address,
			&cb.OriginAccount, &cb.HomeAccount, &bCreated, &bUpdated, &cb.Version)
		if agree != "" {
			p.Agree = strings.Split(agree, ",")
		}
		p.Found = time.UnixMicro(found).UTC()
		cb.CreatedAt, cb.UpdatedAt = time.UnixMicro(bCreated).UTC(), time.UnixMicro(bUpdated).UTC()
		out = append(out, p)
		return err
	}, `SELECT `+clientCols+`, x.owner_id, x.client_a, x.client_b, x.score, x.grade, x.agree, x.found_at, `+strings.ReplaceAll(clientCols, "c.", "d.")+`
		FROM vetshare_duplicate_pairs x JOIN vetshare_clients c ON c.id = x.client_a JOIN vetshare_clients d ON d.id = x.client_b
		WHERE x.owner_id = ?1 AND (x.rank, x.client_a, x.client_b) > (?2, ?3, ?4)
		ORDER BY x.rank, x.client_a, x.client_b LIMIT ?5`, owner, rank, a, b, limit)
	return out, err
}
