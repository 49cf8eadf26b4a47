// Package sqlitesearch writes the statement the SQLite store runs for a client search (R2.3),
// shared by the store and by cmd/vetshare-bench, which explains its query plan.
package sqlitesearch

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vetshare/vetshare/driver"
)

// Stmt is one statement of a search, and its arguments.
type Stmt struct {
	Query string
	Args  []any
}

// maxArgs is the most parameters a statement of a search takes. Measured: a statement of 33
// parameters or more was prepared again by SQLite on every run, its parse costing ten times
// its execution.
const maxArgs = 31

// EntryCols are the columns of the client's entry a search with an account selects after the
// caller's, in this order.
const EntryCols = "e.number, e.via, e.created_at"

// SQL returns the statements of the SQLite store's SearchClients for q, to run in order; cols are
// the client columns they select (of vetshare_clients as c), followed, when q.Account is set, by
// [EntryCols] of the client's entry in that account. cmd/vetshare-bench explains their plans.
//
// Without q.Tiers it is one statement. With q.Tiers, a statement holds one arm per tier, in
// order, joined by UNION ALL, each row ending with its tier's number (from 0): SQLite runs the
// arms one after the other as the rows are read, so a caller that stops reading once it has
// found enough never runs the tiers after. A statement holds as many tiers as maxArgs allows,
// the next statement the tiers after; an argument used twice is one parameter.
//
// The text of a statement depends on q's shape (which fields are set, how many alternatives,
// which arguments are equal), not on its values: SQL finds the arguments and the shape first,
// and writes the text only for a shape it has not met (up to maxShapes of them). Writing the
// text of a two-word search's dozen tiers was a tenth of the type-ahead's CPU time at 1M.
func SQL(q driver.ClientSearch, cols string) ([]Stmt, error) {
	g := gen{shape: []byte(cols)}
	stmts, err := g.stmts(q, cols)
	if err != nil {
		return nil, err
	}
	shapes.mu.Lock()
	texts, ok := shapes.m[string(g.shape)]
	shapes.mu.Unlock()
	if !ok {
		w := gen{text: true}
		if stmts, err = w.stmts(q, cols); err != nil {
			return nil, err
		}
		texts = make([]string, len(stmts))
		for i, st := range stmts {
			texts[i] = st.Query
		}
		shapes.mu.Lock()
		if shapes.m == nil || len(shapes.m) >= maxShapes {
			shapes.m = map[string][]string{}
		}
		shapes.m[string(g.shape)] = texts
		shapes.mu.Unlock()
		return stmts, nil
	}
	for i := range stmts {
		stmts[i].Query = texts[i]
	}
	return stmts, nil
}

// maxShapes bounds the texts SQL keeps; past it, it starts again with none. What people type
// makes a few dozen shapes.
const maxShapes = 512

// shapes are the statements' texts SQL has written, by shape.
var shapes struct {
	mu sync.Mutex
	m  map[string][]string
}

// MemberOf is the condition that the user (an SQL expression) is active and holds an active
// membership of the account (another): the check of the driver's ActorMembership, inside a
// statement that reads (driver.ClientSearch.Member, driver.RecordQuery.Member). It does not
// depend on the statement's rows, so SQLite evaluates it once, before the first.
func MemberOf(user, account string) string {
	return `EXISTS (SELECT 1 FROM vetshare_memberships mb JOIN vetshare_users mu ON mu.id = mb.user_id
		WHERE mb.user_id = ` + user + ` AND mb.account_id = ` + account + ` AND mb.active AND mu.active)`
}

// GroupAccounts is a SELECT of the accounts now in the share group of account (an SQL
// expression), account included; none when it is in no group. The candidates' search, a share's
// INSERT and the page's group entries read the group with it.
func GroupAccounts(account string) string {
	return `SELECT o.account_id FROM vetshare_group_members t JOIN vetshare_group_members o ON o.group_id = t.group_id AND o.left_at IS NULL
		WHERE t.account_id = ` + account + ` AND t.left_at IS NULL`
}

// gen writes the statements of a search: their arguments always; their text when text is set;
// otherwise their shape, every choice the text depends on and every parameter's number, so that
// two searches of one shape have one text.
type gen struct {
	text  bool
	shape []byte
}

// choose records a choice of the text in the shape and returns it.
func (g *gen) choose(c bool) bool {
	if !g.text {
		g.shape = append(g.shape, '0'+b2i(c))
	}
	return c
}

// count records a number the text depends on in the shape and returns it.
func (g *gen) count(n int) int {
	if !g.text {
		g.shape = strconv.AppendInt(append(g.shape, '#'), int64(n), 10)
	}
	return n
}

func b2i(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// arg gives the parameter of v in *args, appending v the first time: a value used twice is one
// parameter.
func (g *gen) arg(args *[]any, v any) string {
	i := slices.Index(*args, v)
	if i < 0 {
		*args, i = append(*args, v), len(*args)
	}
	if !g.text {
		g.count(i + 1)
		return ""
	}
	return "?" + strconv.Itoa(i+1)
}

// memberAccount is the account a search checks its Member in, and takes its owner from when
// Owner is empty: Account, or To for share candidates.
func memberAccount(q driver.ClientSearch) string {
	if q.Account != "" {
		return string(q.Account)
	}
	return string(q.To)
}

// me is the common table expression of a search that checks a member or takes the account's
// owner: one row, the owner, when the account (memberAccount) exists (of q.Owner, when set)
// and, when q.Member is set, Member may act there; no row otherwise. SQLite computes it once a
// statement, where a condition in each arm was computed once an arm.
func (g *gen) me(q driver.ClientSearch, args *[]any) string {
	account := g.arg(args, memberAccount(q))
	owner, member := g.choose(q.Owner != ""), g.choose(q.Member != "")
	var user string
	if member {
		user = g.arg(args, q.Member)
	}
	if !g.text {
		return ""
	}
	s := `WITH me AS MATERIALIZED (SELECT a.owner_id AS owner FROM vetshare_accounts a WHERE a.id = ` + account
	if owner {
		s += ` AND a.owner_id = ?1`
	}
	if member {
		s += ` AND ` + MemberOf(user, account)
	}
	return s + ")\n"
}

func (g *gen) stmts(q driver.ClientSearch, cols string) ([]Stmt, error) {
	if g.choose(q.Account != "") && g.text {
		cols += ", " + EntryCols
	}
	// The owner of the arms: ?1, or the one row of me, which is no row (NULL, matching
	// nothing) for a member who may not act or an unknown account.
	owner, useMe := "?1", g.choose(memberAccount(q) != "" && q.Owner == "" || q.Member != "")
	start := func() (string, []any) {
		args := []any{q.Owner}
		if !useMe {
			return "", args
		}
		return g.me(q, &args), args
	}
	if useMe {
		owner = "(SELECT owner FROM me)"
	}
	if g.choose(len(q.Tiers) == 0) {
		prefix, args := start()
		s, args, err := g.arm(q, cols, args, owner)
		return []Stmt{{prefix + s, args}}, err
	}
	var out []Stmt
	var b strings.Builder
	prefix, args := start()
	tierCols := func(i int) string {
		if !g.text {
			return ""
		}
		return cols + ", " + strconv.Itoa(i)
	}
	n := 0 // the arms of the statement being written
	for i, t := range q.Tiers {
		// arm appends to args' array, past its length: args itself stays as it was.
		s, more, err := g.arm(q.Tier(t), tierCols(i), args, owner)
		if err != nil {
			return nil, err
		}
		if g.choose(len(more) > maxArgs && n > 0) {
			out = append(out, Stmt{prefix + b.String(), args})
			b.Reset()
			n = 0
			prefix, args = start()
			s, more, err = g.arm(q.Tier(t), tierCols(i), args, owner)
			if err != nil {
				return nil, err
			}
		}
		if g.text {
			if n > 0 {
				b.WriteString("\nUNION ALL ")
			}
			b.WriteString("SELECT * FROM (" + s + ")")
		}
		n++
		args = more
	}
	return append(out, Stmt{prefix + b.String(), args}), nil
}

// arm is the statement of a search without tiers, its arguments numbered after args (whose
// first is the owner), in the owner given as an SQL expression. Without g.text it gives the
// arguments alone, and records the shape.
func (g *gen) arm(q driver.ClientSearch, cols string, args []any, owner string) (string, []any, error) {
	var b strings.Builder
	w := func(parts ...string) {
		if g.text {
			for _, p := range parts {
				b.WriteString(p)
			}
		}
	}
	arg := func(v any) string { return g.arg(&args, v) }
	byAccount := g.choose(q.Account != "" && driver.IsPairKey(q.Probe))
	table, scope := "vetshare_client_keys", "owner_id = "+owner
	if byAccount {
		table, scope = "vetshare_account_keys", "account_id = "+arg(q.Account)
	}
	ff := arg("\xff")
	lo := arg(q.Probe)
	hi := lo + ` || ` + ff // the least string above every one that starts with Probe
	if g.choose(q.Then != "") {
		// Both names cut short ("smi jo"): a skip scan. The recursive names are the distinct
		// first names of the pair keys in Probe's range, each found with one seek past the
		// last ("n:smith ", "n:smithers "); each is then one range, name and Then.
		w(`WITH RECURSIVE names(n) AS (SELECT (SELECT substr(key, 1, instr(key, ' ')) FROM `, table,
			` WHERE `, scope, ` AND key >= `, lo, ` AND key < `, hi, ` ORDER BY key LIMIT 1)`,
			` UNION ALL SELECT (SELECT substr(key, 1, instr(key, ' ')) FROM `, table,
			` WHERE `, scope, ` AND key > names.n || `, ff, ` AND key < `, hi, ` ORDER BY key LIMIT 1) FROM names WHERE names.n <> '')`)
		w(` SELECT k.key, k.client_id FROM names CROSS JOIN `, table, ` k`)
	} else {
		w(`SELECT k.key, k.client_id FROM `, table, ` k`)
	}
	if g.choose(q.Account != "" && !byAccount) {
		w(` CROSS JOIN vetshare_client_entries e ON e.account_id = `, arg(q.Account), ` AND e.client_id = k.client_id`)
	}
	w(` WHERE k.`, scope)
	switch {
	case q.Then != "":
		then := arg(q.Then)
		w(` AND names.n <> '' AND k.key >= names.n || `, then, ` AND k.key < names.n || `, then, ` || `, ff)
	case g.choose(q.Exact):
		w(` AND k.key = `, lo)
	default:
		w(` AND k.key >= `, lo, ` AND k.key < `, hi)
	}
	for _, alts := range q.Also[:g.count(len(q.Also))] {
		w(` AND EXISTS (SELECT 1 FROM vetshare_client_keys a WHERE a.owner_id = `, owner, ` AND a.client_id = k.client_id AND (`)
		for i, p := range alts[:g.count(len(alts))] {
			if i > 0 {
				w(` OR `)
			}
			pa := arg(p)
			w(`(a.key >= `, pa, ` AND a.key < `, pa, ` || `, ff, `)`)
		}
		w(`))`)
	}
	if g.choose(q.Not != "") {
		w(` AND k.client_id <> `, arg(q.Not))
	}
	switch {
	case g.choose(q.Account != ""):
	case g.choose(q.To != ""):
		// Of the client's entries in To and From, at least one and none in To: one seek of the
		// client's entries (a client has one to a few) read through, where an entry in To by
		// its primary key and one in From by an IN on the index's second column made a seek
		// for each account of From until one was found, about six a key at 1M clients. The +
		// keeps SQLite from seeking each account; the list is built once a statement. Without
		// From, the list is To's share group now, To included.
		to := arg(q.To)
		w(` AND (SELECT min(e.account_id <> `, to, `) FROM vetshare_client_entries e WHERE e.client_id = k.client_id AND +e.account_id IN (`)
		if g.choose(len(q.From) > 0) {
			accts, err := json.Marshal(append(slices.Clone(q.From), q.To))
			if err != nil {
				return "", nil, err
			}
			w(`SELECT value FROM json_each(`, arg(string(accts)), `)`)
		} else {
			w(GroupAccounts(to))
		}
		w(`)) = 1`)
	default:
		w(` AND EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.client_id = k.client_id)`)
	}
	// A client may hold several keys in range ("n:smith jo", "n:smithjones jo"): ask for enough rows
	// to give Limit distinct clients in the usual case, and keep the first of each.
	w(` ORDER BY k.key, k.client_id LIMIT `, arg(q.Limit*2+2))
	inner := b.String()
	b.Reset()
	w(`SELECT `, cols, ` FROM (`, inner, `) m CROSS JOIN vetshare_clients c ON c.id = m.client_id`)
	if q.Account != "" {
		// The entry the page shows, for the kept rows only: one probe of its primary key.
		w(` CROSS JOIN vetshare_client_entries e ON e.account_id = `, arg(q.Account), ` AND e.client_id = m.client_id`)
	}
	if byAccount {
		w(` WHERE c.owner_id = `, owner) // an account of another owner finds nothing
	}
	w(` ORDER BY m.key, m.client_id`)
	return b.String(), args, nil
}
