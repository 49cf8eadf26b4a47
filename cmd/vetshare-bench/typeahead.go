package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/gen"
	"github.com/vetshare/vetshare/internal/search"
	"github.com/vetshare/vetshare/records"
)

// Type-ahead search in an account's own clients (issue 14, R2.3): records.Clients with what a
// front desk types, first page of 10, from an account of the big owner (its 10-account manual
// group holds the 1M clients of the 1M set). The inputs are drawn from the data set at setup
// with plain SQL: the first clients by number of each of the ten accounts, typed as a person
// would (see typeaheadInput).

// taKind is what is typed.
type taKind struct {
	name, desc string
	// make returns what is typed for a client, or "" when the client has nothing to type.
	make func(last, first, phone, email string, j int) string
}

var taKinds = []taKind{
	{"typeahead-surname", "3 or 4 letters of a surname", func(last, _, _, _ string, j int) string {
		w := driver.SplitWords(last)
		if len(w) == 0 || len([]rune(w[0])) < 4 {
			return ""
		}
		return string([]rune(w[0])[:3+j%2])
	}},
	{"typeahead-last-first", `"smith, jo": a surname, a comma and 2 letters of the first name`, func(last, first, _, _ string, _ int) string {
		l, f := driver.SplitWords(last), driver.SplitWords(first)
		if len(l) == 0 || len(f) == 0 || len([]rune(f[0])) < 2 {
			return ""
		}
		return l[0] + ", " + string([]rune(f[0])[:2])
	}},
	{"typeahead-first-last", `"john smi": a first name, a space and 3 letters of the surname`, func(last, first, _, _ string, _ int) string {
		l, f := driver.SplitWords(last), driver.SplitWords(first)
		if len(l) == 0 || len(f) == 0 || len([]rune(l[0])) < 3 {
			return ""
		}
		return f[0] + " " + string([]rune(l[0])[:3])
	}},
	{"typeahead-phone", `the last 10 digits of a client's phone typed as "(555) 012-3456"`, func(_, _, phone, _ string, _ int) string {
		d := driver.PhoneDigits(phone)
		if len(d) < 10 {
			return ""
		}
		d = d[len(d)-10:]
		return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:]
	}},
	{"typeahead-email", `the start of a client's email: its local part, the @ and 2 letters of the domain`, func(_, _, _, email string, _ int) string {
		e := strings.ToLower(strings.TrimSpace(email))
		at := strings.IndexByte(e, '@')
		if at < 1 || len(e) < at+3 {
			return ""
		}
		return e[:at+3]
	}},
}

// taInput is one typed text in one account.
type taInput struct {
	actor vetshare.Actor
	typed string
}

// taPage is the page size, and taN how many clients are looked for (a page and one more, as
// records.Clients does to know whether there is a next page).
const taPage, taN = 10, taPage + 1

// setupTypeahead draws the inputs of every type-ahead workload from the data set: for each of
// the big owner's ten accounts, its first 50 clients by number, interleaved by account. It also
// makes the one-row write of the after-write samples and prepares every statement.
func (e *env) setupTypeahead(ctx context.Context) error {
	o := e.m.Owners[e.m.Big]
	nacct := min(10, len(o.Accounts))
	type person struct{ last, first, phone, email string }
	per := make([][]person, nacct)
	for a := range nacct {
		rows, err := e.p.r.QueryContext(ctx, `SELECT c.last_name, c.first_name, c.phone, c.email FROM vetshare_client_entries e
			JOIN vetshare_clients c ON c.id = e.client_id WHERE e.account_id = ? ORDER BY e.number LIMIT 50`, o.Accounts[a])
		if err != nil {
			return err
		}
		for rows.Next() {
			var p person
			if err := rows.Scan(&p.last, &p.first, &p.phone, &p.email); err != nil {
				rows.Close()
				return err
			}
			per[a] = append(per[a], p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	e.taInputs = map[string][]taInput{}
	for _, k := range taKinds {
		var ins []taInput
		for j := range 50 {
			for a := range nacct {
				if j < len(per[a]) {
					p := per[a][j]
					if t := k.make(p.last, p.first, p.phone, p.email, j); t != "" {
						ins = append(ins, taInput{actor: o.Actor(a), typed: t})
					}
				}
			}
		}
		if len(ins) == 0 {
			return fmt.Errorf("%s: no input in the data set", k.name)
		}
		e.taInputs[k.name] = ins
	}
	// The statements of every input's plan, prepared once like every baseline statement.
	var reads []string
	for _, ins := range e.taInputs {
		for _, in := range ins {
			tiers, _, _ := search.Plan(in.typed)
			for _, t := range tiers {
				q, _ := taBaseQuery("", "", t)
				reads = append(reads, q)
			}
			q, _ := taLimitQuery(in.actor, tiers)
			reads = append(reads, q)
		}
	}
	for _, p := range gen.Prefixes() {
		tiers, _, _ := search.Plan(p)
		for _, t := range tiers {
			q, _ := candBaseQuery("", "", "", t)
			reads = append(reads, q)
		}
		q, _ := candLimitQuery(vetshare.Actor{}, tiers)
		reads = append(reads, q)
	}
	reads = append(reads, qCandEntries, qCandPatients)
	if err := e.p.prepare(ctx, e.p.r, reads...); err != nil {
		return err
	}
	if _, err := e.p.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS vetshare_bench_writes (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)`); err != nil {
		return err
	}
	return e.p.prepare(ctx, e.p.w, qBenchWrite)
}

// qBenchWrite is the one-row write committed before each after-write sample: a row of a table
// of the bench's own in the store's file, the kind of write the calibration times.
const qBenchWrite = `INSERT INTO vetshare_bench_writes (v) VALUES (?)`

// oneWrite commits a one-row write transaction on the store's write connection.
func (e *env) oneWrite(ctx context.Context, i int) error {
	return e.p.update(ctx, func(q *ptx) error {
		_, err := q.exec(qBenchWrite, i)
		return err
	})
}

// taRows are a page of found clients as compared between the sides: id and client number.
type taRows []string

func (r *taRows) add(id vetshare.ClientID, number int64) {
	*r = append(*r, fmt.Sprintf("%s#%d", id, number))
}

// typeahead: records.Clients for one kind of typed text, with its baseline and its limit.
func (e *env) typeahead(k taKind) *workload {
	o := e.m.Owners[e.m.Big]
	ins := e.taInputs[k.name]
	in := func(i int) taInput { return ins[i%len(ins)] }
	op := func(ctx context.Context, x taInput) (taRows, error) {
		var out taRows
		return out, e.rst.View(ctx, func(tx *vetshare.Tx) error {
			rows, _, err := records.Clients(ctx, tx, x.actor, x.typed, vetshare.Page{Limit: taPage})
			for _, r := range rows {
				out.add(r.ID, r.Entry.Number)
			}
			return err
		})
	}
	base := func(ctx context.Context, x taInput) (taRows, error) {
		var out taRows
		return out, e.p.view(ctx, func(q *ptx) error {
			var err error
			out, err = q.baseTypeahead(x)
			return err
		})
	}
	limit := func(ctx context.Context, x taInput) (taRows, error) {
		var out taRows
		return out, e.p.view(ctx, func(q *ptx) error {
			var err error
			out, err = q.limitTypeahead(x)
			return err
		})
	}
	count := func(f func(context.Context, taInput) (taRows, error)) func(context.Context, int) (int, error) {
		return func(ctx context.Context, i int) (int, error) {
			r, err := f(ctx, in(i))
			return len(r), err
		}
	}
	return &workload{
		name: k.name, desc: fmt.Sprintf("records.Clients typed with %s, first page of 10, in an account of a 10-account manual group of %d clients", k.desc, o.Clients),
		target: "p99 ≤ 0.5 ms", iters: e.n(2000), warm: 50, judge: p99AtMost(500), absolute: true, afterWrite: true,
		op: count(op), base: count(base), limit: count(limit),
		// The sides must find the same page: checked before each run on the input the run
		// starts with.
		verify: func(ctx context.Context, i int) error {
			x := in(i)
			want, err := op(ctx, x)
			if err != nil {
				return err
			}
			if len(want) == 0 {
				return fmt.Errorf("%q in %s found nothing", x.typed, x.actor.Account)
			}
			for side, f := range map[string]func(context.Context, taInput) (taRows, error){"baseline": base, "limit": limit} {
				got, err := f(ctx, x)
				if err != nil {
					return fmt.Errorf("%s: %w", side, err)
				}
				if !slices.Equal(got, want) {
					return fmt.Errorf("%s found another page for %q than the operation:\n  op   %v\n  %s %v", side, x.typed, want, side, got)
				}
			}
			return nil
		},
	}
}

// taEntryCols are the columns of a found client as records.Clients reads them: the store's
// client columns (sqlite/clients.go) and the account's entry.
const taEntryCols = `c.id, c.owner_id, c.first_name, c.last_name, c.email, c.phone, c.address,
	c.origin_account, c.home_account, c.created_at, c.updated_at, c.version, e.number, e.via, e.created_at`

func scanTA(r *sql.Rows, more ...any) (vetshare.Client, int64, error) {
	var c vetshare.Client
	var created, updated, entryCreated, number int64
	var via string
	err := r.Scan(append(more, &c.ID, &c.OwnerID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.Address,
		&c.OriginAccount, &c.HomeAccount, &created, &updated, &c.Version, &number, &via, &entryCreated)...)
	return c, number, err
}

// taBaseQuery is the baseline's statement of one tier: a name probed on the account's keys
// (vetshare_account_keys, by account and key), any other key on the owner's keys with the
// client's entry in the account joined; equal, or in the prefix's range; each further word a
// probe of the client's keys; the client joined in the same statement (where the store reads it
// apart). Rows by key, then client, as many as the store asks for.
func taBaseQuery(owner vetshare.OwnerID, account vetshare.AccountID, t search.Tier) (string, []any) {
	var b strings.Builder
	args := []any{owner, account}
	b.WriteString(`SELECT ` + taEntryCols + taKeysFrom(t, "?1"))
	args = tierSQL(&b, args, t, "?1")
	args = append(args, taN*2+2)
	fmt.Fprintf(&b, ` ORDER BY k.key, k.client_id LIMIT ?%d`, len(args))
	return b.String(), args
}

// taKeysFrom is the FROM and WHERE of a type-ahead tier in the account ?2 of the owner (an SQL
// expression): the account's own name keys, or the owner's keys with the account's entry.
func taKeysFrom(t search.Tier, owner string) string {
	if driver.IsPairKey(t.Probe) {
		return ` FROM vetshare_account_keys k
		JOIN vetshare_client_entries e ON e.account_id = k.account_id AND e.client_id = k.client_id
		JOIN vetshare_clients c ON c.id = k.client_id
		WHERE k.account_id = ?2 AND c.owner_id = ` + owner
	}
	return ` FROM vetshare_client_keys k
		JOIN vetshare_client_entries e ON e.account_id = ?2 AND e.client_id = k.client_id
		JOIN vetshare_clients c ON c.id = k.client_id
		WHERE k.owner_id = ` + owner
}

// baseTypeahead is the baseline: the actor's membership with the account's owner, then one
// statement per tier of the plan until a page and one more are found. The tiers (which probes,
// in which order: the ranking R2.3 asks for) come from internal/search.Plan, pure Go; the SQL is
// the baseline's own.
func (q *ptx) baseTypeahead(x taInput) (taRows, error) {
	_, owner, err := q.actor(x.actor)
	if err != nil {
		return nil, err
	}
	tiers, _, ok := search.Plan(x.typed)
	if !ok {
		return nil, errors.New("baseline: nothing to search")
	}
	var out taRows
	seen := map[vetshare.ClientID]bool{}
	for _, t := range tiers {
		if len(out) >= taN {
			break
		}
		query, args := taBaseQuery(owner, x.actor.Account, t)
		err := q.each(query, args, func(r *sql.Rows) error {
			c, n, err := scanTA(r)
			if err == nil && !seen[c.ID] && len(out) < taN {
				seen[c.ID] = true
				out.add(c.ID, n)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out[:min(len(out), taPage)], nil
}

// qLimitMe is the actor's active membership and the account's owner, as a common table
// expression of the limits' one statement.
const qLimitMe = `WITH me AS MATERIALIZED (SELECT a.owner_id AS owner FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id
	JOIN vetshare_accounts a ON a.id = m.account_id WHERE m.user_id = ?1 AND m.account_id = ?2 AND m.active AND u.active)`

// taLimitQuery is the limit's one statement for a plan: the membership as its first row (tier
// 0), then every tier as an arm of a UNION ALL, in plan order, each as the baseline's tier
// statement. SQLite runs the arms one after the other as the rows are read, so the caller stops
// reading once it has a page and one more, and the tiers after are never run.
// The owner is a scalar subquery of the membership, not a join with it: joined, SQLite could not
// tell that it gives one row, and sorted each tier's whole key range (a temporary B-tree,
// 20–30 ms on the small set) instead of reading the keys index in order.
func taLimitQuery(a vetshare.Actor, tiers []search.Tier) (string, []any) {
	var b strings.Builder
	args := []any{a.User, a.Account}
	b.WriteString(qLimitMe + "\nSELECT 0, '', '', '', '', '', '', '', '', '', 0, 0, 0, 0, '', 0 FROM me")
	for i, t := range tiers {
		if t.Then != "" {
			// Both names cut short: the skip scan the store runs (internal/sqlitesearch), the
			// fewest rows read.
			fmt.Fprintf(&b, "\nUNION ALL SELECT * FROM (SELECT %d, %s", i+1, taEntryCols)
			args = taSkipFrom(&b, args, t, "(SELECT owner FROM me)")
		} else {
			fmt.Fprintf(&b, "\nUNION ALL SELECT * FROM (SELECT %d, %s%s", i+1, taEntryCols, taKeysFrom(t, "(SELECT owner FROM me)"))
			args = tierSQL(&b, args, t, "(SELECT owner FROM me)")
		}
		fmt.Fprintf(&b, ` ORDER BY k.key, k.client_id LIMIT %d)`, taN*2+2)
	}
	return b.String(), args
}

// taSkipFrom appends the FROM and WHERE of a tier with Then in the account ?2 of the owner (an
// SQL expression) to b: the distinct first names of the account's pair keys in the probe's
// range, one seek each, then one range per name continued by Then.
func taSkipFrom(b *strings.Builder, args []any, t search.Tier, owner string) []any {
	arg := argFunc(&args)
	lo, ff, then := arg(t.Probe), arg("\xff"), arg(t.Then)
	hi := lo + ` || ` + ff
	b.WriteString(` FROM (WITH RECURSIVE names(n) AS (
		SELECT (SELECT substr(key, 1, instr(key, ' ')) FROM vetshare_account_keys WHERE account_id = ?2 AND key >= ` + lo + ` AND key < ` + hi + ` ORDER BY key LIMIT 1)
		UNION ALL SELECT (SELECT substr(key, 1, instr(key, ' ')) FROM vetshare_account_keys WHERE account_id = ?2 AND key > names.n || ` + ff + ` AND key < ` + hi + ` ORDER BY key LIMIT 1)
		FROM names WHERE names.n <> '') SELECT n FROM names WHERE n <> '') nm
		CROSS JOIN vetshare_account_keys k
		JOIN vetshare_client_entries e ON e.account_id = k.account_id AND e.client_id = k.client_id
		JOIN vetshare_clients c ON c.id = k.client_id
		WHERE k.account_id = ?2 AND c.owner_id = ` + owner + ` AND k.key >= nm.n || ` + then + ` AND k.key < nm.n || ` + then + ` || ` + ff)
	return args
}

// argFunc returns a function that gives the parameter of a value, appending it to *args the
// first time: a value used twice is one parameter. SQLite prepared a statement of 33 parameters
// or more again on every run, as internal/sqlitesearch notes; the limits keep under that too.
func argFunc(args *[]any) func(v any) string {
	return func(v any) string {
		if i := slices.Index(*args, v); i >= 0 {
			return fmt.Sprintf("?%d", i+1)
		}
		*args = append(*args, v)
		return fmt.Sprintf("?%d", len(*args))
	}
}

// errEnough stops reading a statement's rows.
var errEnough = errors.New("enough rows")

// limitTypeahead is the limit: one statement (taLimitQuery).
func (q *ptx) limitTypeahead(x taInput) (taRows, error) {
	tiers, _, ok := search.Plan(x.typed)
	if !ok {
		return nil, errors.New("limit: nothing to search")
	}
	query, args := taLimitQuery(x.actor, tiers)
	var out taRows
	seen := map[vetshare.ClientID]bool{}
	member := false
	err := q.each(query, args, func(r *sql.Rows) error {
		var tier int64
		c, n, err := scanTA(r, &tier)
		if err != nil {
			return err
		}
		if tier == 0 {
			member = true
			return nil
		}
		if !seen[c.ID] {
			seen[c.ID] = true
			out.add(c.ID, n)
		}
		if len(out) >= taN {
			return errEnough
		}
		return nil
	})
	if err != nil && err != errEnough {
		return nil, err
	}
	if !member {
		return nil, errors.New("limit: no active membership")
	}
	return out[:min(len(out), taPage)], nil
}

// candBaseQuery is the baseline's statement of one tier of sharing.Candidates: the keys index
// probed by owner and key (equal, or in the prefix's range), each further word a probe of the
// client's keys, the client joined in the same statement, kept when it has no entry in the
// actor's account (?2) and one in another member of the group (?3, a JSON array). Rows by key,
// then client, as many as the store asks for.
func candBaseQuery(owner vetshare.OwnerID, to vetshare.AccountID, from string, t search.Tier) (string, []any) {
	var b strings.Builder
	args := []any{owner, to, from}
	b.WriteString(`SELECT ` + storeClientCols + ` FROM vetshare_client_keys k
		JOIN vetshare_clients c ON c.id = k.client_id
		WHERE k.owner_id = ?1`)
	args = tierSQL(&b, args, t, "k.owner_id")
	args = append(args, taN*2+2)
	fmt.Fprintf(&b, ` AND NOT EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.account_id = ?2 AND e.client_id = k.client_id)
		AND EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.client_id = k.client_id AND e.account_id IN (SELECT value FROM json_each(?3)))
		ORDER BY k.key, k.client_id LIMIT ?%d`, len(args))
	return b.String(), args
}

// The baseline's reads of a page of candidates' details, each one statement for the page (ids
// as a JSON array): the accounts that have each, with their names and numbers, and the
// patients, in the store's orders.
const (
	qCandEntries = `SELECT e.client_id, e.account_id, a.name, e.number FROM json_each(?1) j
		JOIN vetshare_client_entries e ON e.client_id = j.value JOIN vetshare_accounts a ON a.id = e.account_id
		ORDER BY j.key, e.created_at, e.seq`
	qCandPatients = `SELECT p.client_id, p.id, p.name, p.species FROM json_each(?1) j
		JOIN vetshare_patients p ON p.client_id = j.value
		WHERE NOT EXISTS (SELECT 1 FROM vetshare_patient_replaced x WHERE x.patient_id = p.id)
		ORDER BY j.key, p.created_at, p.name, p.id`
)

// baseCandidates is the baseline of sharing.Candidates: the actor's membership with the
// account's owner, the group's current members, then one statement per tier of the plan until a
// page and one more are found, then the page's accounts and patients in one statement each.
// The tiers come from internal/search.Plan, pure Go; the SQL is the baseline's own. Each
// candidate is given as limitCandidates gives it.
func (q *ptx) baseCandidates(a vetshare.Actor, typed string) ([]string, error) {
	_, owner, err := q.actor(a)
	if err != nil {
		return nil, err
	}
	_, _, _, members, err := q.group(a.Account)
	if err != nil {
		return nil, err
	}
	from := make([]vetshare.AccountID, 0, len(members))
	for _, m := range members {
		if m != a.Account {
			from = append(from, m)
		}
	}
	list, err := json.Marshal(from)
	if err != nil {
		return nil, err
	}
	tiers, _, ok := search.Plan(typed)
	if !ok {
		return nil, errors.New("baseline: nothing to search")
	}
	var ids []vetshare.ClientID
	for _, t := range tiers {
		if len(ids) >= taN {
			break
		}
		query, args := candBaseQuery(owner, a.Account, string(list), t)
		err := q.each(query, args, func(r *sql.Rows) error {
			var c vetshare.Client
			var created, updated int64
			err := r.Scan(&c.ID, &c.OwnerID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.Address,
				&c.OriginAccount, &c.HomeAccount, &created, &updated, &c.Version)
			if err == nil && !slices.Contains(ids, c.ID) && len(ids) < taN {
				ids = append(ids, c.ID)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	ids = ids[:min(len(ids), taPage)]
	if len(ids) == 0 {
		return nil, nil
	}
	page, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	accounts := make(map[vetshare.ClientID][][3]any, len(ids))
	err = q.each(qCandEntries, []any{string(page)}, func(r *sql.Rows) error {
		var c vetshare.ClientID
		var acct vetshare.AccountID
		var name string
		var number int64
		err := r.Scan(&c, &acct, &name, &number)
		if err == nil && slices.Contains(members, acct) {
			accounts[c] = append(accounts[c], [3]any{string(acct), name, float64(number)})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	patients := make(map[vetshare.ClientID][][3]any, len(ids))
	err = q.each(qCandPatients, []any{string(page)}, func(r *sql.Rows) error {
		var c vetshare.ClientID
		var id, name, species string
		err := r.Scan(&c, &id, &name, &species)
		patients[c] = append(patients[c], [3]any{id, name, species})
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = candKey(id, accounts[id], patients[id])
	}
	return out, nil
}

// tierSQL appends the conditions of tier t on the keys table k to b: the probe, equal or a
// prefix's range, and for each further word a probe of the client's keys by owner (the SQL
// expression owner). Its arguments are appended to args and numbered after those already there.
func tierSQL(b *strings.Builder, args []any, t search.Tier, owner string) []any {
	arg := argFunc(&args)
	switch {
	case t.Then != "":
		// Both names cut short: the plain way, the probe's range filtered on what follows the
		// first name's space.
		b.WriteString(` AND k.key >= ` + arg(t.Probe) + ` AND k.key < ` + arg(t.Probe) + ` || ` + arg("\xff") +
			` AND substr(k.key, instr(k.key, ' ') + 1) >= ` + arg(t.Then) + ` AND substr(k.key, instr(k.key, ' ') + 1) < ` + arg(t.Then) + ` || ` + arg("\xff"))
	case t.Exact:
		b.WriteString(` AND k.key = ` + arg(t.Probe))
	default:
		b.WriteString(` AND k.key >= ` + arg(t.Probe) + ` AND k.key < ` + arg(t.Probe) + ` || ` + arg("\xff"))
	}
	for _, alts := range t.Also {
		b.WriteString(` AND EXISTS (SELECT 1 FROM vetshare_client_keys a WHERE a.owner_id = ` + owner + ` AND a.client_id = k.client_id AND (`)
		for j, p := range alts {
			if j > 0 {
				b.WriteString(` OR `)
			}
			b.WriteString(`(a.key >= ` + arg(p) + ` AND a.key < ` + arg(p) + ` || ` + arg("\xff") + `)`)
		}
		b.WriteString(`))`)
	}
	return args
}
