package postgres

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// goSteps are the steps of a migration that SQL cannot do, run in its transaction right after
// its script, by the version the script brings the schema to.
var goSteps = map[int]func(ctx context.Context, tx pgx.Tx) error{
	2: backfillClientKeys,
	7: backfillClientKeys, // the n: and m: keys; it adds only the keys a client lacks
}

// backfillClientKeys gives every client its search keys (driver.ClientSearchKeys), which fold
// names in Go and so cannot be computed by the migration's SQL. It runs as the migrator, whose
// policy sees every owner's rows.
func backfillClientKeys(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT id, owner_id, first_name, last_name, email, phone FROM vetshare.clients`)
	if err != nil {
		return translate(ctx, err)
	}
	var clients []vetshare.Client
	for rows.Next() {
		var c vetshare.Client
		if err := rows.Scan(&c.ID, &c.OwnerID, &c.FirstName, &c.LastName, &c.Email, &c.Phone); err != nil {
			rows.Close()
			return translate(ctx, err)
		}
		clients = append(clients, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return translate(ctx, err)
	}
	for _, c := range clients {
		if _, err := tx.Exec(ctx, `INSERT INTO vetshare.client_keys (owner_id, key, client_id)
			SELECT $1, k, $2 FROM unnest($3::text[]) k ON CONFLICT DO NOTHING`, string(c.OwnerID), string(c.ID), driver.ClientSearchKeys(c)); err != nil {
			return translate(ctx, err)
		}
	}
	return nil
}

// IndexClient implements [driver.Tx].
func (t *dtx) IndexClient(ctx context.Context, c vetshare.Client) error {
	if err := t.use(ctx, string(c.OwnerID)); err != nil {
		return err
	}
	var one int
	if err := t.row(ctx, vetshare.NotFound("client", c.ID), []any{&one},
		`SELECT 1 FROM vetshare.clients WHERE owner_id = $1 AND id = $2`, c.OwnerID, c.ID); err != nil {
		return err
	}
	return t.write(ctx, func() error {
		if _, err := t.exec(ctx, `DELETE FROM vetshare.client_keys WHERE owner_id = $1 AND client_id = $2`, c.OwnerID, c.ID); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO vetshare.client_keys (owner_id, key, client_id) SELECT $1, k, $2 FROM unnest($3::text[]) k`,
			c.OwnerID, c.ID, driver.ClientSearchKeys(c))
		return err
	})
}

// SearchClients implements [driver.Tx]: one probe of the keys index by owner and key (for a
// search with Then, the range of Probe filtered on what follows the space), and for
// each key in range a probe of the client's keys for each further condition and of its
// entries for the scope, all in the owner's partition; then the rows of the clients kept, and
// of no other (most keys in range in a group's account belong to clients of the others).
func (t *dtx) SearchClients(ctx context.Context, q driver.ClientSearch) ([]driver.ClientRow, error) {
	if err := driver.CheckSearch(q); err != nil {
		return nil, err
	}
	if q.Owner == "" {
		o, err := t.acct(ctx, actingAccount(q))
		if err != nil || o == "" {
			return nil, err // no such account: nothing to find
		}
		q.Owner = vetshare.OwnerID(o)
	}
	if err := t.use(ctx, string(q.Owner)); err != nil {
		return nil, err
	}
	if len(q.Tiers) == 0 {
		return t.searchTier(ctx, q)
	}
	// One statement a tier, until Limit clients are found: PostgreSQL runs a statement to its
	// end before pgx reads its rows, so one UNION ALL would run every tier.
	var out []driver.ClientRow
	for _, tier := range q.Tiers {
		found, err := t.searchTier(ctx, q.Tier(tier))
		if err != nil {
			return nil, err
		}
		for _, c := range found {
			if len(out) < q.Limit && !slices.ContainsFunc(out, func(o driver.ClientRow) bool { return o.ID == c.ID }) {
				out = append(out, c)
			}
		}
		if len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

// actingAccount is the account a search checks its Member in, and takes its owner from when
// Owner is empty: Account, or To for share candidates.
func actingAccount(q driver.ClientSearch) vetshare.AccountID {
	if q.Account != "" {
		return q.Account
	}
	return q.To
}

// searchTier is SearchClients for a search without tiers.
func (t *dtx) searchTier(ctx context.Context, q driver.ClientSearch) ([]driver.ClientRow, error) {
	var b strings.Builder
	args := []any{string(q.Owner)}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	b.WriteString(`SELECT k.key, k.client_id FROM vetshare.client_keys k WHERE k.owner_id = $1`)
	if q.Exact {
		b.WriteString(` AND k.key = ` + arg(q.Probe))
	} else {
		b.WriteString(` AND k.key >= ` + arg(q.Probe) + ` AND k.key < ` + arg(upper(q.Probe)))
	}
	if q.Then != "" {
		// What follows the first name's space starts with Then: a filter on the range.
		b.WriteString(` AND starts_with(substr(k.key, strpos(k.key, ' ') + 1), ` + arg(q.Then) + `)`)
	}
	for _, alts := range q.Also {
		b.WriteString(` AND EXISTS (SELECT 1 FROM vetshare.client_keys a WHERE a.owner_id = $1 AND a.client_id = k.client_id AND (`)
		for i, p := range alts {
			if i > 0 {
				b.WriteString(` OR `)
			}
			b.WriteString(`(a.key >= ` + arg(p) + ` AND a.key < ` + arg(upper(p)) + `)`)
		}
		b.WriteString(`))`)
	}
	if q.Not != "" {
		b.WriteString(` AND k.client_id <> ` + arg(string(q.Not)))
	}
	if q.Member != "" {
		b.WriteString(` AND ` + memberOf(arg(string(q.Member)), arg(string(actingAccount(q)))))
	}
	switch {
	case q.Account != "":
		b.WriteString(` AND EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.account_id = ` + arg(string(q.Account)) + ` AND e.client_id = k.client_id)`)
	case q.To != "":
		b.WriteString(` AND NOT EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.account_id = ` + arg(string(q.To)) + ` AND e.client_id = k.client_id)`)
		if len(q.From) > 0 {
			b.WriteString(` AND EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = k.client_id AND e.account_id = ANY (` + arg(strs(q.From)) + `))`)
		} else {
			// From is To's share group now, To left out by the condition before.
			b.WriteString(` AND EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = k.client_id AND e.account_id IN (` +
				groupAccounts(arg(string(q.To))) + `))`)
		}
	default:
		b.WriteString(` AND EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = k.client_id)`)
	}
	b.WriteString(` ORDER BY k.key, k.client_id LIMIT ` + arg(q.Limit*2+2))
	// The keys that pass every condition first, from the keys and entries indexes; then the
	// rows of those clients only (a LIMIT keeps the planner from joining them in earlier), with
	// their entry in the account.
	cols, join := clientCols, ""
	if q.Account != "" {
		cols += ", e.number, e.via, e.created_at"
		join = ` JOIN vetshare.client_entries e ON e.owner_id = $1 AND e.account_id = ` + arg(string(q.Account)) + ` AND e.client_id = m.client_id`
	}
	query := `SELECT ` + cols + ` FROM (` + b.String() + `) m
		JOIN vetshare.clients c ON c.owner_id = $1 AND c.id = m.client_id` + join + ` ORDER BY m.key, m.client_id`
	var out []driver.ClientRow
	seen := map[vetshare.ClientID]bool{}
	err := t.each(ctx, func(r pgx.Rows) error {
		var row driver.ClientRow
		var more []any
		var created int64
		if q.Account != "" {
			more = []any{&row.Entry.Number, &row.Entry.Via, &created}
		}
		if err := scanClient(r, &row.Client, more...); err != nil {
			return err
		}
		if q.Account != "" {
			row.Entry.AccountID, row.Entry.ClientID, row.Entry.CreatedAt = q.Account, row.ID, fromMicros(created)
		}
		if !seen[row.ID] && len(out) < q.Limit {
			seen[row.ID] = true
			out = append(out, row)
		}
		return nil
	}, query, args...)
	return out, err
}

// InsertNotSame implements [driver.Tx].
func (t *dtx) InsertNotSame(ctx context.Context, d driver.NotSame) error {
	if err := t.use(ctx, string(d.Owner)); err != nil {
		return err
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.not_same (owner_id, client_a, client_b, account_id, user_id, reason, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, d.Owner, d.A, d.B, d.Account, d.User, d.Reason, micros(d.At))
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `DELETE FROM vetshare.duplicate_pairs WHERE owner_id = $1 AND client_a = $2 AND client_b = $3`, d.Owner, d.A, d.B)
		return err
	})
}

// NotSameOf implements [driver.Tx].
func (t *dtx) NotSameOf(ctx context.Context, owner vetshare.OwnerID, client vetshare.ClientID) ([]driver.NotSame, error) {
	if err := t.use(ctx, string(owner)); err != nil {
		return nil, err
	}
	var out []driver.NotSame
	err := t.each(ctx, func(r pgx.Rows) error {
		var d driver.NotSame
		var at int64
		err := r.Scan(&d.Owner, &d.A, &d.B, &d.Account, &d.User, &d.Reason, &at)
		d.At = fromMicros(at)
		out = append(out, d)
		return err
	}, `SELECT owner_id, client_a, client_b, account_id, user_id, reason, decided_at FROM (
		SELECT n.*, client_b AS other FROM vetshare.not_same n WHERE owner_id = $1 AND client_a = $2
		UNION ALL
		SELECT n.*, client_a AS other FROM vetshare.not_same n WHERE owner_id = $1 AND client_b = $2) d ORDER BY other`, owner, client)
	return out, err
}

// OwnerClients implements [driver.Tx].
func (t *dtx) OwnerClients(ctx context.Context, owner vetshare.OwnerID, after vetshare.ClientID, limit int) ([]vetshare.Client, error) {
	if err := t.use(ctx, string(owner)); err != nil {
		return nil, err
	}
	var out []vetshare.Client
	err := t.clients(ctx, &out, `SELECT `+clientCols+` FROM vetshare.clients c WHERE c.owner_id = $1 AND c.id > $2
		AND EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = c.id)
		ORDER BY c.id LIMIT $3`, owner, after, limit)
	return out, err
}

// MergeClients implements [driver.Tx]. The foreign keys are not deferrable, and are checked at
// the end of each statement: a statement that moves entries moves what refers to them too.
func (t *dtx) MergeClients(ctx context.Context, m driver.ClientMerge) error {
	if err := t.use(ctx, string(m.Owner)); err != nil {
		return err
	}
	for _, id := range []vetshare.ClientID{m.Survivor, m.Merged} {
		var one int
		if err := t.row(ctx, vetshare.NotFound("client", id), []any{&one},
			`SELECT 1 FROM vetshare.clients c WHERE c.owner_id = $1 AND c.id = $2
			AND EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = c.id)`, m.Owner, id); err != nil {
			return err
		}
	}
	steps := []string{
		// Accounts that hold both: the merged-away number stands for the survivor, balances add
		// up, invoices follow, and the merged-away entry goes.
		`WITH both_ AS (SELECT m.account_id, m.number FROM vetshare.client_entries m
				JOIN vetshare.client_entries s ON s.owner_id = $1 AND s.account_id = m.account_id AND s.client_id = $2
				WHERE m.owner_id = $1 AND m.client_id = $3),
			al AS (INSERT INTO vetshare.number_aliases (owner_id, account_id, number, client_id) SELECT $1, account_id, number, $2 FROM both_),
			mb AS (DELETE FROM vetshare.balances b USING both_ WHERE b.owner_id = $1 AND b.account_id = both_.account_id AND b.client_id = $3
				RETURNING b.account_id, b.outstanding, b.open_invoices),
			ub AS (INSERT INTO vetshare.balances (owner_id, account_id, client_id, outstanding, open_invoices)
				SELECT $1, account_id, $2, outstanding, open_invoices FROM mb
				ON CONFLICT (owner_id, account_id, client_id) DO UPDATE SET outstanding = vetshare.balances.outstanding + excluded.outstanding,
					open_invoices = vetshare.balances.open_invoices + excluded.open_invoices),
			inv AS (UPDATE vetshare.invoices i SET client_id = $2 FROM both_ WHERE i.owner_id = $1 AND i.account_id = both_.account_id AND i.client_id = $3)
		DELETE FROM vetshare.client_entries e USING both_ WHERE e.owner_id = $1 AND e.account_id = both_.account_id AND e.client_id = $3`,
		// The other accounts: the entry becomes the survivor's, with its number.
		`WITH mv AS (UPDATE vetshare.client_entries SET client_id = $2 WHERE owner_id = $1 AND client_id = $3 RETURNING account_id),
			b AS (UPDATE vetshare.balances SET client_id = $2 WHERE owner_id = $1 AND client_id = $3 AND account_id IN (SELECT account_id FROM mv))
		UPDATE vetshare.invoices SET client_id = $2 WHERE owner_id = $1 AND client_id = $3 AND account_id IN (SELECT account_id FROM mv)`,
		`UPDATE vetshare.payments SET client_id = $2 WHERE owner_id = $1 AND client_id = $3`,
		`UPDATE vetshare.patients SET client_id = $2 WHERE owner_id = $1 AND client_id = $3`,
		`UPDATE vetshare.tasks SET client_id = $2 WHERE owner_id = $1 AND client_id = $3`,
		`UPDATE vetshare.number_aliases SET client_id = $2 WHERE owner_id = $1 AND client_id = $3`,
		`UPDATE vetshare.client_replaced SET survivor_id = $2 WHERE owner_id = $1 AND survivor_id = $3`,
		`INSERT INTO vetshare.client_replaced (owner_id, client_id, survivor_id, merged_at) VALUES ($1, $3, $2, $4)`,
	}
	return t.write(ctx, func() error {
		if _, err := t.exec(ctx, `DELETE FROM vetshare.client_keys WHERE owner_id = $1 AND client_id = $2`, m.Owner, m.Merged); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM vetshare.duplicate_pairs WHERE owner_id = $1 AND (client_a = $2 OR client_b = $2)`, m.Owner, m.Merged); err != nil {
			return err
		}
		for _, s := range steps {
			var args []any
			if strings.Contains(s, "$4") {
				args = []any{m.Owner, m.Survivor, m.Merged, micros(m.At)}
			} else {
				args = []any{m.Owner, m.Survivor, m.Merged}
			}
			if _, err := t.exec(ctx, s, args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReplacedBy implements [driver.Tx].
func (t *dtx) ReplacedBy(ctx context.Context, owner vetshare.OwnerID, id vetshare.ClientID) (vetshare.ClientID, error) {
	if err := t.use(ctx, string(owner)); err != nil {
		return "", err
	}
	var s string
	err := t.row(ctx, vetshare.NotFound("client", id), []any{&s},
		`SELECT survivor_id FROM vetshare.client_replaced WHERE owner_id = $1 AND client_id = $2`, owner, id)
	return vetshare.ClientID(s), err
}

// NumberAlias implements [driver.Tx].
func (t *dtx) NumberAlias(ctx context.Context, account vetshare.AccountID, number int64) (vetshare.ClientID, error) {
	nf := &vetshare.NotFoundError{Kind: "client number", ID: strconv.FormatInt(number, 10)}
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return "", orNotFound(err, nf)
	}
	var s string
	err = t.row(ctx, nf, []any{&s}, `SELECT client_id FROM vetshare.number_aliases WHERE owner_id = $1 AND account_id = $2 AND number = $3`, o, account, number)
	return vetshare.ClientID(s), err
}

// MergePatients implements [driver.Tx].
func (t *dtx) MergePatients(ctx context.Context, m driver.PatientMerge) error {
	if err := t.use(ctx, string(m.Owner)); err != nil {
		return err
	}
	for _, id := range []vetshare.PatientID{m.Survivor, m.Merged} {
		var one int
		if err := t.row(ctx, vetshare.NotFound("patient", id), []any{&one},
			`SELECT 1 FROM vetshare.patients p WHERE p.owner_id = $1 AND p.id = $2
			AND NOT EXISTS (SELECT 1 FROM vetshare.patient_replaced x WHERE x.owner_id = $1 AND x.patient_id = p.id)`, m.Owner, id); err != nil {
			return err
		}
	}
	steps := []string{
		`UPDATE vetshare.reminders r SET status = 'withdrawn' WHERE r.owner_id = $1 AND r.patient_id = $3 AND r.status = 'open'
			AND EXISTS (SELECT 1 FROM vetshare.reminders s WHERE s.owner_id = $1 AND s.patient_id = $2 AND s.status = 'open'
				AND s.item_id = r.item_id AND s.kind_key = r.kind_key)`,
		`UPDATE vetshare.reminders SET patient_id = $2 WHERE owner_id = $1 AND patient_id = $3`,
		`UPDATE vetshare.records SET patient_id = $2 WHERE owner_id = $1 AND patient_id = $3`,
		`UPDATE vetshare.tasks SET patient_id = $2 WHERE owner_id = $1 AND patient_id = $3`,
		`UPDATE vetshare.patient_replaced SET survivor_id = $2 WHERE owner_id = $1 AND survivor_id = $3`,
		`INSERT INTO vetshare.patient_replaced (owner_id, patient_id, survivor_id, merged_at) VALUES ($1, $3, $2, $4)`,
	}
	return t.write(ctx, func() error {
		for _, s := range steps {
			args := []any{m.Owner, m.Survivor, m.Merged}
			if strings.Contains(s, "$4") {
				args = append(args, micros(m.At))
			}
			if _, err := t.exec(ctx, s, args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// PatientReplacedBy implements [driver.Tx].
func (t *dtx) PatientReplacedBy(ctx context.Context, owner vetshare.OwnerID, id vetshare.PatientID) (vetshare.PatientID, error) {
	if err := t.use(ctx, string(owner)); err != nil {
		return "", err
	}
	var s string
	err := t.row(ctx, vetshare.NotFound("patient", id), []any{&s},
		`SELECT survivor_id FROM vetshare.patient_replaced WHERE owner_id = $1 AND patient_id = $2`, owner, id)
	return vetshare.PatientID(s), err
}

// KeyedClients implements [driver.Tx]: one range read of the keys index from the cursor, in
// the owner's partition, joined to each client.
func (t *dtx) KeyedClients(ctx context.Context, owner vetshare.OwnerID, prefix, afterKey string, afterClient vetshare.ClientID, limit int) ([]driver.KeyedClient, error) {
	if prefix == "" {
		return nil, vetshare.Invalid("prefix", "a key prefix is required")
	}
	if limit < 1 {
		return nil, vetshare.Invalid("limit", "must be at least 1")
	}
	if err := t.use(ctx, string(owner)); err != nil {
		return nil, err
	}
	var out []driver.KeyedClient
	err := t.each(ctx, func(r pgx.Rows) error {
		var k driver.KeyedClient
		err := scanClient(r, &k.Client, &k.Key)
		out = append(out, k)
		return err
	}, `SELECT `+clientCols+`, k.key FROM vetshare.client_keys k JOIN vetshare.clients c ON c.owner_id = k.owner_id AND c.id = k.client_id
		WHERE k.owner_id = $1 AND k.key >= $2 AND k.key < $3 AND (k.key, k.client_id) > ($4, $5)
		AND EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = k.client_id)
		ORDER BY k.key, k.client_id LIMIT $6`, string(owner), prefix, upper(prefix), afterKey, string(afterClient), limit)
	return out, err
}

// PutDuplicatePairs implements [driver.Tx]: one statement for all the pairs.
func (t *dtx) PutDuplicatePairs(ctx context.Context, pairs []driver.DuplicatePair) error {
	if len(pairs) == 0 {
		return nil
	}
	owner := pairs[0].Owner
	n := len(pairs)
	as, bs, grades, agrees := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	scores, found := make([]int64, n), make([]int64, n)
	for i, p := range pairs {
		if p.Owner != owner {
			return vetshare.Invalid("pairs", "every pair must be of one owner")
		}
		if p.A >= p.B {
			return vetshare.Invalid("pairs", "a pair needs A < B")
		}
		as[i], bs[i], scores[i], grades[i], agrees[i], found[i] = string(p.A), string(p.B), int64(p.Score), p.Grade, strings.Join(p.Agree, ","), vetshare.Time(p.Found).UnixMicro()
	}
	if err := t.use(ctx, string(owner)); err != nil {
		return err
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.duplicate_pairs (owner_id, client_a, client_b, score, rank, grade, agree, found_at)
			SELECT $1, p.a, p.b, p.score, -p.score, p.grade, p.agree, p.found
			FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[]) AS p (a, b, score, grade, agree, found)
			WHERE NOT EXISTS (SELECT 1 FROM vetshare.not_same n WHERE n.owner_id = $1 AND n.client_a = p.a AND n.client_b = p.b)
			ON CONFLICT (owner_id, client_a, client_b) DO UPDATE SET score = excluded.score, rank = excluded.rank, grade = excluded.grade,
				agree = excluded.agree, found_at = excluded.found_at`,
			string(owner), as, bs, scores, grades, agrees, found)
		return err
	})
}

// ClearDuplicatePairs implements [driver.Tx].
func (t *dtx) ClearDuplicatePairs(ctx context.Context, owner vetshare.OwnerID) error {
	if err := t.use(ctx, string(owner)); err != nil {
		return err
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `DELETE FROM vetshare.duplicate_pairs WHERE owner_id = $1`, string(owner))
		return err
	})
}

// DuplicatePairs implements [driver.Tx]: one range read of the best-first index from the
// cursor, in the owner's partition, joined to both clients.
func (t *dtx) DuplicatePairs(ctx context.Context, owner vetshare.OwnerID, after *driver.DuplicatePair, limit int) ([]driver.StoredPair, error) {
	if limit < 1 {
		return nil, vetshare.Invalid("limit", "must be at least 1")
	}
	if err := t.use(ctx, string(owner)); err != nil {
		return nil, err
	}
	// The index orders by rank (minus the score), then ids: one row-value range from the
	// cursor. Without a cursor, start before every rank.
	rank, a, b := int64(math.MinInt32), "", ""
	if after != nil {
		rank, a, b = -int64(after.Score), string(after.A), string(after.B)
	}
	var out []driver.StoredPair
	err := t.each(ctx, func(r pgx.Rows) error {
		var p driver.StoredPair
		var agree string
		var found, bCreated, bUpdated int64
		var sc int32
		cb := &p.ClientB
		err := scanClient(r, &p.ClientA, &p.Owner, &p.A, &p.B, &sc, &p.Grade, &agree, &found,
			&cb.ID, &cb.OwnerID, &cb.FirstName, &cb.LastName, &cb.Email, &cb.Phone, &cb.Address,
			&cb.OriginAccount, &cb.HomeAccount, &bCreated, &bUpdated, &cb.Version)
		p.Score = int(sc)
		if agree != "" {
			p.Agree = strings.Split(agree, ",")
		}
		p.Found = fromMicros(found)
		cb.CreatedAt, cb.UpdatedAt = fromMicros(bCreated), fromMicros(bUpdated)
		out = append(out, p)
		return err
	}, `SELECT `+clientCols+`, x.owner_id, x.client_a, x.client_b, x.score, x.grade, x.agree, x.found_at, `+strings.ReplaceAll(clientCols, "c.", "d.")+`
		FROM vetshare.duplicate_pairs x
		JOIN vetshare.clients c ON c.owner_id = x.owner_id AND c.id = x.client_a
		JOIN vetshare.clients d ON d.owner_id = x.owner_id AND d.id = x.client_b
		WHERE x.owner_id = $1 AND (x.rank, x.client_a, x.client_b) > ($2, $3, $4)
		ORDER BY x.rank, x.client_a, x.client_b LIMIT $5`, string(owner), rank, a, b, limit)
	return out, err
}
