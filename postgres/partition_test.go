package postgres_test

import (
	"context"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/postgres"
	"github.com/vetshare/vetshare/storetest"
)

// recorder keeps the statements a store issues, with the arguments of their first few runs.
type recorder struct {
	mu    sync.Mutex
	stmts map[string][][]any
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.stmts[d.SQL]) < 3 {
		r.stmts[d.SQL] = append(r.stmts[d.SQL], append([]any(nil), d.Args...))
	}
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// openTraced returns a store on a new database whose pool reports every statement to rec.
func openTraced(t *testing.T, rec *recorder) *postgres.Store {
	t.Helper()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(dsnFor(t, appDSN, newDB(t)))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	s, err := postgres.OpenPool(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// notRouted are the statements that do not name an owner, each for a reason doc.go gives.
var notRouted = []*regexp.Regexp{
	regexp.MustCompile(`^(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|begin|commit|rollback)\b`),
	regexp.MustCompile(`^SELECT set_config\('vetshare.owner'`),
	regexp.MustCompile(`^SELECT vetshare\.owner_of\(`), // finds an owner: probes every partition's key, by design
	regexp.MustCompile(`^SELECT pg_advisory_xact_lock|^SELECT to_regclass|vetshare\.schema_version|pg_namespace|pg_class`),
}

var partitionName = regexp.MustCompile(`^(.+)_p[0-9]+$`)

// Every statement the driver issues in a run of the conformance suite, explained with the
// arguments it ran with, reads or writes at most one partition of each per-owner table: the
// property a Citus cluster needs to route it to one shard.
func TestEveryStatementTouchesOnePartition(t *testing.T) {
	skipWithoutPG(t)
	rec := &recorder{stmts: map[string][][]any{}}
	t.Run("Suite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) vetshare.Store { return openTraced(t, rec) })
	})
	ctx := context.Background()
	// As the tables' owner, whose policy sees every row: as the application role, row-level
	// security would prune the partitions itself and hide a statement that lacks its owner.
	conn, err := pgx.Connect(ctx, dsnFor(t, ownerDSN, newDB(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// Plans with the statement's own arguments, as the first runs of a prepared statement get.
	if _, err := conn.Exec(ctx, "SET plan_cache_mode = force_custom_plan"); err != nil {
		t.Fatal(err)
	}
	// The check itself: a statement without its owner is caught.
	var raw []byte
	if err := conn.QueryRow(ctx, "EXPLAIN (FORMAT JSON) SELECT * FROM vetshare.clients WHERE id = $1", "x").Scan(&raw); err != nil {
		t.Fatal(err)
	}
	var unrouted []map[string]any
	if err := json.Unmarshal(raw, &unrouted); err != nil {
		t.Fatal(err)
	}
	parts := map[string]map[string]bool{}
	if walk(unrouted[0]["Plan"], parts); len(parts["clients"]) < 2 {
		t.Fatalf("a statement without owner_id was seen touching %d partitions of clients; the check is blind", len(parts["clients"]))
	}
	sqls := make([]string, 0, len(rec.stmts))
	for q := range rec.stmts {
		sqls = append(sqls, q)
	}
	sort.Strings(sqls)
	explained, skipped := 0, 0
next:
	for _, q := range sqls {
		trimmed := strings.TrimSpace(q)
		for _, re := range notRouted {
			if re.MatchString(trimmed) {
				skipped++
				continue next
			}
		}
		for _, args := range rec.stmts[q] {
			var plan []map[string]any
			var raw []byte
			if err := conn.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+q, args...).Scan(&raw); err != nil {
				t.Errorf("EXPLAIN %s: %v", oneLine(q), err)
				continue
			}
			if err := json.Unmarshal(raw, &plan); err != nil {
				t.Fatal(err)
			}
			parts := map[string]map[string]bool{}
			for _, p := range plan {
				walk(p["Plan"], parts)
			}
			for table, ps := range parts {
				if len(ps) > 1 {
					t.Errorf("%s touches %d partitions of %s with args %v", oneLine(q), len(ps), table, args)
				}
			}
			explained++
		}
	}
	t.Logf("%d statement runs explained (%d distinct statements, %d not routed by design)", explained, len(sqls)-skipped, skipped)
}

// walk collects, per partitioned table, the partitions a plan node and its children scan.
func walk(node any, parts map[string]map[string]bool) {
	n, ok := node.(map[string]any)
	if !ok {
		return
	}
	if rel, ok := n["Relation Name"].(string); ok {
		if m := partitionName.FindStringSubmatch(rel); m != nil {
			if parts[m[1]] == nil {
				parts[m[1]] = map[string]bool{}
			}
			parts[m[1]][rel] = true
		}
	}
	if children, ok := n["Plans"].([]any); ok {
		for _, c := range children {
			walk(c, parts)
		}
	}
}

func oneLine(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 160 {
		q = q[:160] + "…"
	}
	return q
}
