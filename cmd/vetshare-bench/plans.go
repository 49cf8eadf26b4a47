package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/gen"
	"github.com/vetshare/vetshare/internal/search"
	"github.com/vetshare/vetshare/internal/sqlitesearch"
)

// queryPlan is SQLite's EXPLAIN QUERY PLAN of one statement of a workload, run on the read
// pool with the arguments of the workload's first input.
type queryPlan struct {
	Workload string   `json:"workload"`
	Side     string   `json:"side"`  // store, baseline or limit
	Tiers    string   `json:"tiers"` // the tiers of the search plan that run this text
	Input    string   `json:"input"`
	SQL      string   `json:"sql"`
	Plan     []string `json:"plan"`
}

// storeSearchSQL is the statements sqlite's SearchClients runs for q.
func storeSearchSQL(q driver.ClientSearch) []sqlitesearch.Stmt {
	stmts, _ := sqlitesearch.SQL(q, storeClientCols)
	return stmts
}

// explainPlans records the plans of the type-ahead workloads' statements (the store's, the
// baseline's, the limit's) and of the candidates' search, for their first input.
func (e *env) explainPlans(ctx context.Context) error {
	o := e.m.Owners[e.m.Big]
	type stmt struct {
		side, sql string
		args      []any
	}
	add := func(workload, input string, stmts []stmt, tierOf []int) error {
		byText := map[string]int{}
		for i, s := range stmts {
			if k, ok := byText[s.side+s.sql]; ok {
				if tierOf[i] > 0 {
					e.plans[k].Tiers += fmt.Sprintf(", %d", tierOf[i])
				}
				continue
			}
			plan, err := e.explain(ctx, s.sql, s.args)
			if err != nil {
				return fmt.Errorf("explain %s %s: %w", workload, s.side, err)
			}
			tiers := "all"
			if tierOf[i] > 0 {
				tiers = fmt.Sprint(tierOf[i])
			}
			byText[s.side+s.sql] = len(e.plans)
			e.plans = append(e.plans, queryPlan{Workload: workload, Side: s.side, Tiers: tiers, Input: input, SQL: s.sql, Plan: plan})
		}
		return nil
	}
	for _, k := range taKinds {
		x := e.taInputs[k.name][0]
		tiers, _, _ := search.Plan(x.typed)
		// The store's statements for every tier, then the baseline's one a tier.
		var stmts []stmt
		var tierOf []int
		for _, st := range storeSearchSQL(driver.ClientSearch{Account: x.actor.Account, Member: x.actor.User, Tiers: tiers, Limit: taN}) {
			stmts, tierOf = append(stmts, stmt{"store", st.Query, st.Args}), append(tierOf, 0)
		}
		for i, t := range tiers {
			q, args := taBaseQuery(o.ID, x.actor.Account, t)
			stmts, tierOf = append(stmts, stmt{"baseline", q, args}), append(tierOf, i+1)
		}
		q, args := taLimitQuery(x.actor, tiers)
		stmts, tierOf = append(stmts, stmt{"limit", q, args}), append(tierOf, 0)
		if err := add(k.name, x.typed, stmts, tierOf); err != nil {
			return err
		}
	}
	typed := gen.Prefixes()[0]
	tiers, _, _ := search.Plan(typed)
	actor := o.Actor(0)
	from := slices.Clone(o.Accounts[1:o.Grouped])
	var stmts []stmt
	var tierOf []int
	for _, st := range storeSearchSQL(driver.ClientSearch{Owner: o.ID, To: actor.Account, From: from, Tiers: tiers, Limit: taN}) {
		stmts, tierOf = append(stmts, stmt{"store", st.Query, st.Args}), append(tierOf, 0)
	}
	q, args := candLimitQuery(actor, tiers)
	stmts, tierOf = append(stmts, stmt{"limit", q, args}), append(tierOf, 0)
	return add("candidates-prefix3", typed, stmts, tierOf)
}

// explain returns EXPLAIN QUERY PLAN of query as an indented tree.
func (e *env) explain(ctx context.Context, query string, args []any) ([]string, error) {
	rows, err := e.p.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	depth := map[int64]int{}
	var out []string
	for rows.Next() {
		var id, parent, notused int64
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return nil, err
		}
		d := 0
		if parent != 0 {
			d = depth[parent] + 1
		}
		depth[id] = d
		out = append(out, strings.Repeat("  ", d)+detail)
	}
	return out, rows.Err()
}

// writePlans prints the plans of the workloads that ran.
func writePlans(w io.Writer, rep *report) {
	ran := map[string]bool{}
	for _, r := range rep.Results {
		ran[r.Name] = true
	}
	first := true
	for _, p := range rep.Plans {
		if !ran[p.Workload] {
			continue
		}
		if first {
			fmt.Fprintf(w, "\n#### Query plans\n\nEXPLAIN QUERY PLAN of each distinct statement text, with the arguments of the workload's first input "+
				"(the store's: the statements of sqlite.SearchClients for every tier, from internal/sqlitesearch; tiers: the tiers of internal/search.Plan that run it).\n")
			first = false
		}
		fmt.Fprintf(w, "\n`%s`, %s, tiers %s, typed %q:\n\n```\n%s\n```\n", p.Workload, p.Side, p.Tiers, p.Input, strings.Join(p.Plan, "\n"))
	}
}
