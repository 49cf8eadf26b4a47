package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/storetest"
)

// recording is a store that keeps, when it closes, the text of every statement its
// transactions prepared.
type recording struct {
	*Store
	mu   *sync.Mutex
	seen map[string]bool
}

func (r recording) Close() error {
	r.Store.mu.Lock()
	r.mu.Lock()
	for _, m := range r.Store.stmts {
		for q := range m {
			r.seen[q] = true
		}
	}
	r.mu.Unlock()
	r.Store.mu.Unlock()
	return r.Store.Close()
}

var (
	// usedIndex is a line of EXPLAIN QUERY PLAN that seeks in an index.
	usedIndex = regexp.MustCompile(`^SEARCH \S+ USING (?:COVERING )?INDEX (vetshare_\w+)(?: \(|$)`)
	// scanned is a line that reads the whole of a table, an index or a subquery's rows;
	// subquery names the subqueries a plan has.
	scanned  = regexp.MustCompile(`^SCAN (\S+)`)
	subquery = regexp.MustCompile(`^(?:CO-ROUTINE|MATERIALIZE) (\S+)`)
	// listedIndex is an index's row in INDEXES.md; a constraint's row starts its reason with
	// "Constraint:".
	listedIndex = regexp.MustCompile("^\\| `(vetshare_\\w+)` \\| `([^`]+)` \\| (.+) \\|$")
	// indexDef is an index's definition: its columns, and its WHERE clause.
	indexDef = regexp.MustCompile(`(?s)\((.*)\)\s*(WHERE .*)?$`)
)

// Every index of the schema serves a statement of the store, or a constraint that its row in
// INDEXES.md names (issue 16's index diet: no index is written for nothing), and no statement
// reads a whole table. The statements are those the conformance suite's transactions run, each
// explained on a new store's schema; an index serves a statement that names its table and
// seeks in it. (An INSERT's plan also lists the foreign keys' checks of the rows that refer to
// the new one, which SQLite runs only while a violation is pending: they neither serve an index
// nor count as reading a table.) INDEXES.md must list the schema's indexes with their
// columns, no more.
func TestEveryIndexServesAStatement(t *testing.T) {
	rec := recording{mu: &sync.Mutex{}, seen: map[string]bool{}}
	t.Run("Suite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) vetshare.Store {
			s, err := Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
			if err != nil {
				t.Fatal(err)
			}
			return recording{Store: s, mu: rec.mu, seen: rec.seen}
		})
	})
	if t.Failed() {
		t.FailNow()
	}
	s := planStore(t)
	table := map[string]string{}   // index: its table
	columns := map[string]string{} // index: its columns and WHERE clause, as INDEXES.md gives them
	rows, err := s.write.Query(`SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND name LIKE 'vetshare\_%' ESCAPE '\'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n, tb, def string
		if err := rows.Scan(&n, &tb, &def); err != nil {
			t.Fatal(err)
		}
		table[n] = tb
		if m := indexDef.FindStringSubmatch(def); m != nil {
			columns[n] = strings.Join(strings.Fields(strings.TrimSpace(m[1]+" "+m[2])), " ")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	readers := map[string][]string{} // index: the statements that seek in it
	queries := make([]string, 0, len(rec.seen))
	for q := range rec.seen {
		queries = append(queries, q)
	}
	slices.Sort(queries)
	for _, q := range queries {
		insert := strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q)), "INSERT")
		lines := strings.Split(explainPlan(t, s, q, params(q)...), "\n")
		subs := map[string]bool{}
		for _, l := range lines {
			if m := subquery.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
				subs[m[1]] = true
			}
		}
		for _, l := range lines {
			l = strings.TrimSpace(l)
			if m := usedIndex.FindStringSubmatch(l); m != nil && names(q, table[m[1]]) {
				if r := readers[m[1]]; len(r) == 0 || r[len(r)-1] != q {
					readers[m[1]] = append(readers[m[1]], q)
				}
			}
			if m := scanned.FindStringSubmatch(l); m != nil && !insert && !subs[m[1]] && isTable(q, m[1]) {
				t.Errorf("%s reads a whole table: %s", oneLine(q), l)
			}
		}
	}
	if len(queries) < 100 || len(readers) < 10 {
		t.Fatalf("%d statements recorded, %d indexes read: the recording is blind", len(queries), len(readers))
	}
	doc, err := os.ReadFile("INDEXES.md")
	if err != nil {
		t.Fatal(err)
	}
	reasons, listedColumns := map[string]string{}, map[string]string{}
	for _, l := range strings.Split(string(doc), "\n") {
		if m := listedIndex.FindStringSubmatch(l); m != nil {
			listedColumns[m[1]], reasons[m[1]] = m[2], m[3]
		}
	}
	for name := range table {
		reason, listed := reasons[name]
		switch {
		case !listed:
			t.Errorf("INDEXES.md does not list index %s: say which statement or constraint it serves", name)
		case listedColumns[name] != columns[name]:
			t.Errorf("INDEXES.md gives index %s as (%s), the schema as (%s)", name, listedColumns[name], columns[name])
		case len(readers[name]) == 0 && !strings.HasPrefix(reason, "Constraint:"):
			t.Errorf("no statement of the suite seeks in index %s, and INDEXES.md names no constraint it serves: drop it, or say why it stays", name)
		case len(readers[name]) > 0 && strings.HasPrefix(reason, "Constraint:"):
			t.Errorf("INDEXES.md gives index %s as a constraint's, and %d statements seek in it, first: %s", name, len(readers[name]), oneLine(readers[name][0]))
		}
		for _, q := range readers[name] {
			t.Logf("%s: %s", name, oneLine(q))
		}
	}
	for name := range reasons {
		if _, ok := table[name]; !ok {
			t.Errorf("INDEXES.md lists %s, which the schema does not have", name)
		}
	}
}

// names reports whether q names table.
func names(q, table string) bool {
	return regexp.MustCompile(`\b` + table + `\b`).MatchString(q)
}

// isTable reports whether name, in q's plan, is one of vetshare's tables or an alias of one.
func isTable(q, name string) bool {
	return strings.HasPrefix(name, "vetshare_") ||
		regexp.MustCompile(`vetshare_\w+ (?:AS )?`+regexp.QuoteMeta(name)+`\b`).MatchString(q)
}

// param is a parameter of a statement: ?, ?NNN or :name.
var param = regexp.MustCompile(`\?(\d*)|[^\w:]:([a-z]\w*)`)

// params returns a NULL for each of q's parameters, as SQLite numbers them (?NNN is number NNN,
// a bare ? the one after the largest so far), then one for each name: SQLite plans a statement
// when it prepares it, whatever the values.
func params(q string) []any {
	n := 0
	var named []any
	seen := map[string]bool{}
	for _, m := range param.FindAllStringSubmatch(q, -1) {
		switch {
		case m[2] != "":
			if !seen[m[2]] {
				seen[m[2]] = true
				named = append(named, sql.Named(m[2], nil))
			}
		case m[1] == "":
			n++
		default:
			if k, _ := strconv.Atoi(m[1]); k > n {
				n = k
			}
		}
	}
	return append(make([]any, n), named...)
}

// oneLine is q on one line, cut short.
func oneLine(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 160 {
		q = q[:160] + "…"
	}
	return q
}
