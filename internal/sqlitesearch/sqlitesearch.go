// Package sqlitesearch writes the statement the SQLite store runs for a client search (R2.3),
// shared by the store and by cmd/vetshare-bench, which explains its query plan.
package sqlitesearch

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/vetshare/vetshare/driver"
)

// SQL is the statement of the SQLite store's SearchClients for q, and its arguments; cols are
// the client columns it selects (of vetshare_clients as c). cmd/vetshare-bench explains its plan.
func SQL(q driver.ClientSearch, cols string) (string, []any, error) {
	var b strings.Builder
	args := make([]any, 1, 8)
	args[0] = q.Owner
	arg := func(v any) string {
		args = append(args, v)
		return "?" + strconv.Itoa(len(args))
	}
	byAccount := q.Account != "" && driver.IsNameKey(q.Probe)
	table, scope := "vetshare_client_keys", "owner_id = ?1"
	if byAccount {
		table, scope = "vetshare_account_keys", "account_id = "+arg(q.Account)
	}
	lo, hi := arg(q.Probe), arg(upper(q.Probe))
	var ff string
	if q.Then != "" {
		// Both names cut short ("smi jo"): a skip scan. The recursive names are the distinct
		// first names of the pair keys in Probe's range, each found with one seek past the
		// last ("n:smith ", "n:smithers "); each is then one range, name and Then.
		ff = arg("\xff")
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
			b.WriteString(`(a.key >= ` + arg(p) + ` AND a.key < ` + arg(upper(p)) + `)`)
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
	// A client may hold several keys in range ("l:smith", "l:smithjones"): ask for enough rows
	// to give Limit distinct clients in the usual case, and keep the first of each.
	b.WriteString(` ORDER BY k.key, k.client_id LIMIT ` + arg(q.Limit*2+2))
	inner := b.String()
	b.Reset()
	b.WriteString(`SELECT ` + cols + ` FROM (` + inner + `) m CROSS JOIN vetshare_clients c ON c.id = m.client_id`)
	if byAccount {
		b.WriteString(` WHERE c.owner_id = ?1`) // an account of another owner finds nothing
	}
	b.WriteString(` ORDER BY m.key, m.client_id`)
	return b.String(), args, nil
}

// upper is the smallest string above every string that starts with p.
func upper(p string) string { return p + "\xff" }
