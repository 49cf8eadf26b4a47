package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/records"
)

// plantedDuplicates is the number of duplicates planted in the big owner's group before the
// duplicate workloads: the generated data set has namesakes but no planted duplicates.
const plantedDuplicates = 1000

// plantDuplicates creates, untimed, plantedDuplicates clients of the big owner's second account
// that are the same people as clients of its first account: the same phone and first name,
// one letter of the last name changed (a typing mistake), so that Score grades them a match.
// It returns the planted pairs.
func (e *env) plantDuplicates(ctx context.Context) (map[[2]vetshare.ClientID]bool, error) {
	o := e.m.Owners[e.m.Big]
	type person struct {
		id                        vetshare.ClientID
		first, last, phone, email string
	}
	var ps []person
	rows, err := e.p.r.QueryContext(ctx, `SELECT c.id, c.first_name, c.last_name, c.phone, c.email FROM vetshare_client_entries e
		JOIN vetshare_clients c ON c.id = e.client_id WHERE e.account_id = ? AND length(c.last_name) >= 5 AND length(c.phone) >= 7
		ORDER BY e.number LIMIT ?`, o.Accounts[0], plantedDuplicates)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p person
		if err := rows.Scan(&p.id, &p.first, &p.last, &p.phone, &p.email); err != nil {
			rows.Close()
			return nil, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	planted := map[[2]vetshare.ClientID]bool{}
	err = e.st.Update(ctx, func(tx *vetshare.Tx) error {
		for i, p := range ps {
			last := []rune(p.last)
			k := 1 + i%(len(last)-2)
			last[k] = 'x'
			if string(last) == p.last {
				last[k] = 'q'
			}
			c, _, err := records.CreateClient(ctx, tx, staff(o, 1), vetshare.Client{FirstName: p.first, LastName: string(last), Phone: p.phone})
			if err != nil {
				return err
			}
			planted[[2]vetshare.ClientID{min(p.id, c.ID), max(p.id, c.ID)}] = true
		}
		return nil
	})
	return planted, err
}

// duplicateWorkloads are the group's duplicate scan and its report (R13.1).
func (e *env) duplicateWorkloads() []*workload {
	o := e.m.Owners[e.m.Big]
	admin := o.Actor(0)
	var planted map[[2]vetshare.ClientID]bool
	scan := &workload{
		name: "duplicate-scan", desc: fmt.Sprintf("duplicates.Scan of the big owner's %d clients, %d duplicates planted (baseline: reading the same keys and clients once, the floor)", o.Clients, plantedDuplicates),
		iters: 1,
		prepare: func(ctx context.Context, side string, run int) error {
			if planted != nil {
				return nil
			}
			var err error
			planted, err = e.plantDuplicates(ctx)
			return err
		},
		op: func(ctx context.Context, i int) (int, error) {
			p, err := duplicates.Scan(ctx, e.st, admin, duplicates.ScanOptions{})
			if err == nil && p.Keys == 0 {
				err = fmt.Errorf("the scan read no key")
			}
			return p.Keys, err
		},
		// The floor: the scan cannot do less than read the owner's keys of the three kinds, each
		// joined to its client, once. No scoring, no writes.
		base: func(ctx context.Context, i int) (int, error) {
			n := 0
			err := e.p.view(ctx, func(q *ptx) error {
				for _, prefix := range []string{"e:", "p:", "l:"} {
					rows, err := q.tx.QueryContext(ctx, `SELECT c.id, c.owner_id, c.first_name, c.last_name, c.email, c.phone, c.address,
						c.origin_account, c.home_account, c.created_at, c.updated_at, c.version, k.key
						FROM vetshare_client_keys k JOIN vetshare_clients c ON c.id = k.client_id
						WHERE k.owner_id = ? AND k.key >= ? AND k.key < ?
						AND EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.client_id = k.client_id)
						ORDER BY k.key, k.client_id`, o.ID, prefix, prefix+"\U0010FFFF")
					if err != nil {
						return err
					}
					for rows.Next() {
						var c vetshare.Client
						var created, updated int64
						var key string
						if err := rows.Scan(&c.ID, &c.OwnerID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.Address,
							&c.OriginAccount, &c.HomeAccount, &created, &updated, &c.Version, &key); err != nil {
							rows.Close()
							return err
						}
						n++
					}
					rows.Close()
					if err := rows.Err(); err != nil {
						return err
					}
				}
				return nil
			})
			return n, err
		},
	}
	// The report: pages of 50 from the first account (which sees the whole group), the first
	// and nineteen further pages, their cursors read once, untimed.
	const pages, limit = 20, 50
	var cursors []vetshare.Cursor
	var keys [][]string // the stored key of the last pair before each page, for the baseline
	actor := staff(o, 0)
	// prep reads the cursors once, untimed; the warm-up runs before the first prepare.
	prep := func(ctx context.Context) error {
		if cursors != nil {
			return nil
		}
		cursors, keys = []vetshare.Cursor{""}, [][]string{nil}
		var all []duplicates.Pair
		err := e.rst.View(ctx, func(tx *vetshare.Tx) error {
			for len(cursors) < pages {
				ps, next, err := duplicates.Report(ctx, tx, actor, vetshare.Page{Limit: limit, After: cursors[len(cursors)-1]})
				if err != nil {
					return err
				}
				all = append(all, ps...)
				if next == "" {
					break
				}
				last := ps[len(ps)-1]
				cursors = append(cursors, next)
				keys = append(keys, []string{fmt.Sprint(last.Score), string(last.A.ID), string(last.B.ID)})
			}
			// The quality at this size: the planted pairs the whole report grades a match.
			found, listed, after := 0, 0, vetshare.Cursor("")
			for {
				ps, next, err := duplicates.Report(ctx, tx, actor, vetshare.Page{Limit: vetshare.MaxLimit, After: after})
				if err != nil {
					return err
				}
				for _, p := range ps {
					listed++
					if p.Grade == duplicates.GradeMatch && planted[[2]vetshare.ClientID{p.A.ID, p.B.ID}] {
						found++
					}
				}
				if next == "" {
					break
				}
				after = next
			}
			e.extra["duplicate report"] = fmt.Sprintf("the scan stored %d pairs the first account is shown; %d of the %d planted duplicates graded match", listed, found, len(planted))
			return nil
		})
		if err == nil && len(all) == 0 {
			err = fmt.Errorf("duplicate-report: the report is empty (run duplicate-scan first)")
		}
		if err == nil {
			e.extra["duplicate report plan"] = e.plan(ctx, qDupPage, o.ID, 1<<31-1, "", "", limit+1)
		}
		return err
	}
	report := &workload{
		name: "duplicate-report", desc: fmt.Sprintf("duplicates.Report, a page of %d of the big owner's group (one of its first %d pages), after the scan", limit, pages),
		iters: e.n(2000), warm: 20, rows: limit,
		prepare: func(ctx context.Context, side string, run int) error { return prep(ctx) },
		op: func(ctx context.Context, i int) (int, error) {
			if err := prep(ctx); err != nil {
				return 0, err
			}
			n := 0
			err := e.rst.View(ctx, func(tx *vetshare.Tx) error {
				ps, _, err := duplicates.Report(ctx, tx, actor, vetshare.Page{Limit: limit, After: cursors[i%len(cursors)]})
				n = len(ps)
				if err == nil && n == 0 {
					err = fmt.Errorf("an empty page")
				}
				return err
			})
			return n, err
		},
		base: func(ctx context.Context, i int) (int, error) {
			if err := prep(ctx); err != nil {
				return 0, err
			}
			n := 0
			err := e.p.view(ctx, func(q *ptx) error {
				// Who is asking, and the accounts of the group it sees.
				if _, _, err := q.actor(actor); err != nil {
					return err
				}
				if _, _, _, _, err := q.group(actor.Account); err != nil {
					return err
				}
				// The store's cursor is opaque; the baseline keeps its own key of the page before.
				after := keys[i%len(cursors)]
				score, a, b := int64(1<<31-1), "", ""
				if after != nil {
					fmt.Sscan(after[0], &score)
					a, b = after[1], after[2]
				}
				var ids []string
				err := q.each(qDupPage, []any{o.ID, score, a, b, limit + 1}, func(r *sql.Rows) error {
					var x [28]any
					var ca, cb string
					for j := range x {
						x[j] = new(any)
					}
					x[0], x[15] = &ca, &cb
					err := r.Scan(x[:]...)
					ids = append(ids, ca, cb)
					n++
					return err
				})
				if err != nil {
					return err
				}
				list, _ := json.Marshal(ids)
				if err := q.each(qDupEntries, []any{string(list)}, func(r *sql.Rows) error {
					var a, c string
					return r.Scan(&a, &c)
				}); err != nil {
					return err
				}
				if err := q.each(qDupPatients, []any{string(list)}, func(r *sql.Rows) error {
					var id, c, name, species string
					var birth sql.NullInt64
					return r.Scan(&id, &c, &name, &species, &birth)
				}); err != nil {
					return err
				}
				return nil
			})
			return min(n, limit), err
		},
	}
	return []*workload{scan, report}
}

// The baseline's statements of the duplicate report: the page of stored pairs with both
// clients, then the entries and the patients of the page's clients.
const (
	qDupPage = `SELECT x.client_a, x.score, x.grade, x.agree, c.first_name, c.last_name, c.email, c.phone, c.address, c.origin_account, c.home_account, c.created_at, c.updated_at, c.version, x.found_at,
		x.client_b, d.first_name, d.last_name, d.email, d.phone, d.address, d.origin_account, d.home_account, d.created_at, d.updated_at, d.version, c.owner_id, d.owner_id
		FROM vetshare_duplicate_pairs x JOIN vetshare_clients c ON c.id = x.client_a JOIN vetshare_clients d ON d.id = x.client_b
		WHERE x.owner_id = ?1 AND (x.rank, x.client_a, x.client_b) > (-?2, ?3, ?4)
		ORDER BY x.rank, x.client_a, x.client_b LIMIT ?5`
	qDupEntries  = `SELECT account_id, client_id FROM vetshare_client_entries WHERE client_id IN (SELECT value FROM json_each(?))`
	qDupPatients = `SELECT id, client_id, name, species, birth_date FROM vetshare_patients WHERE client_id IN (SELECT value FROM json_each(?))`
)

// plan returns SQLite's query plan of a statement with its arguments, one line per step.
func (e *env) plan(ctx context.Context, query string, args ...any) string {
	rows, err := e.p.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return "error: " + err.Error()
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "error: " + err.Error()
		}
		steps = append(steps, detail)
	}
	return strings.Join(steps, "; ")
}
