// Package sqlitesearch writes the statement the SQLite store runs for a client search (R2.3),
// shared by the store and by cmd/vetshare-bench, which explains its query plan.
package sqlitesearch

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

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
func SQL(q driver.ClientSearch, cols string) ([]Stmt, error) {
	if q.Account != "" {
		cols += ", " + EntryCols
	}
	if len(q.Tiers) == 0 {
		s, args, err := arm(q, cols, []any{q.Owner})
		return []Stmt{{s, args}}, err
	}
	var out []Stmt
	var b strings.Builder
	args := []any{q.Owner}
	for i, t := range q.Tiers {
		// arm appends to args' array, past its length: args itself stays as it was.
		s, more, err := arm(q.Tier(t), cols+", "+strconv.Itoa(i), args)
		if err != nil {
			return nil, err
		}
		if len(more) > maxArgs && b.Len() > 0 {
			out = append(out, Stmt{b.String(), args})
			b.Reset()
			args = []any{q.Owner}
			s, more, err = arm(q.Tier(t), cols+", "+strconv.Itoa(i), args)
			if err != nil {
				return nil, err
			}
		}
		if b.Len() > 0 {
			b.WriteString("\nUNION ALL ")
		}
		b.WriteString("SELECT * FROM (" + s + ")")
		args = more
	}
	return append(out, Stmt{b.String(), args}), nil
}

// arm is the statement of a search without tiers, its arguments numbered after args (whose
// first is the owner).
func arm(q driver.ClientSearch, cols string, args []any) (string, []any, error) {
	var b strings.Builder
	arg := func(v any) string {
		if i := slices.Index(args, v); i >= 0 {
			return "?" + strconv.Itoa(i+1)
		}
		args = append(args, v)
		return "?" + strconv.Itoa(len(args))
	}
	byAccount := q.Account != "" && driver.IsPairKey(q.Probe)
	table, scope := "vetshare_client_keys", "owner_id = ?1"
	if byAccount {
		table, scope = "vetshare_account_keys", "account_id = "+arg(q.Account)
	}
	ff := arg("\xff")
	lo := arg(q.Probe)
	hi := lo + ` || ` + ff // the least string above every one that starts with Probe
	if q.Then != "" {
		// Both names cut short ("smi jo"): a skip scan. The recursive names are the distinct
		// first names of the pair keys in Probe's range, each found with one seek past the
		// last ("n:smith ", "n:smithers "); each is then one range, name and Then.
		b.WriteString(`WITH RECURSIVE names(n) AS (SELECT (SELECT substr(key, 1, instr(key, ' ')) FROM ` + table +
			` WHERE ` + scope + ` AND key >= ` + lo + ` AND key < ` + hi + ` ORDER BY key LIMIT 1)` +
			` UNION ALL SELECT (SELECT substr(key, 1, instr(key, ' ')) FROM ` + table +
			` WHERE ` + scope + ` AND key > names.n || ` + ff + ` AND key < ` + hi + ` ORDER BY key LIMIT 1) FROM names WHERE names.n <> '')`)
		b.WriteString(` SELECT k.key, k.client_id FROM names CROSS JOIN ` + table + ` k`)
	} else {
		b.WriteString(`SELECT k.key, k.client_id FROM ` + table + ` k`)
	}
	if q.Account != "" && !byAccount {
		b.WriteString(` CROSS JOIN vetshare_client_entries e ON e.account_id = ` + arg(q.Account) + ` AND e.client_id = k.client_id`)
	}
	b.WriteString(` WHERE k.` + scope)
	switch {
	case q.Then != "":
		then := arg(q.Then)
		b.WriteString(` AND names.n <> '' AND k.key >= names.n || ` + then + ` AND k.key < names.n || ` + then + ` || ` + ff)
	case q.Exact:
		b.WriteString(` AND k.key = ` + lo)
	default:
		b.WriteString(` AND k.key >= ` + lo + ` AND k.key < ` + hi)
	}
	for _, alts := range q.Also {
		b.WriteString(` AND EXISTS (SELECT 1 FROM vetshare_client_keys a WHERE a.owner_id = ?1 AND a.client_id = k.client_id AND (`)
		for i, p := range alts {
			if i > 0 {
				b.WriteString(` OR `)
			}
			pa := arg(p)
			b.WriteString(`(a.key >= ` + pa + ` AND a.key < ` + pa + ` || ` + ff + `)`)
		}
		b.WriteString(`))`)
	}
	if q.Not != "" {
		b.WriteString(` AND k.client_id <> ` + arg(q.Not))
	}
	switch {
	case q.Account != "":
	case q.To != "":
		from, err := json.Marshal(q.From)
		if err != nil {
			return "", nil, err
		}
		b.WriteString(` AND NOT EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.account_id = ` + arg(q.To) + ` AND e.client_id = k.client_id)`)
		b.WriteString(` AND EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.client_id = k.client_id AND e.account_id IN (SELECT value FROM json_each(` + arg(string(from)) + `)))`)
	default:
		b.WriteString(` AND EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.client_id = k.client_id)`)
	}
	// A client may hold several keys in range ("n:smith jo", "n:smithjones jo"): ask for enough rows
	// to give Limit distinct clients in the usual case, and keep the first of each.
	b.WriteString(` ORDER BY k.key, k.client_id LIMIT ` + arg(q.Limit*2+2))
	inner := b.String()
	b.Reset()
	b.WriteString(`SELECT ` + cols + ` FROM (` + inner + `) m CROSS JOIN vetshare_clients c ON c.id = m.client_id`)
	if q.Account != "" {
		// The entry the page shows, for the kept rows only: one probe of its primary key.
		b.WriteString(` CROSS JOIN vetshare_client_entries e ON e.account_id = ` + arg(q.Account) + ` AND e.client_id = m.client_id`)
	}
	if byAccount {
		b.WriteString(` WHERE c.owner_id = ?1`) // an account of another owner finds nothing
	}
	b.WriteString(` ORDER BY m.key, m.client_id`)
	return b.String(), args, nil
}
