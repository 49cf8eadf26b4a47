package sqlitesearch

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/search"
)

// Every statement of a search keeps to maxArgs parameters, however many tiers what is typed
// makes, and the statements hold every tier once, in order.
func TestStatementsKeepToMaxArgs(t *testing.T) {
	param := regexp.MustCompile(`\?(\d+)`)
	tierCol := regexp.MustCompile(`, (\d+) FROM \(`)
	for _, typed := range []string{"smi", "smith, jo", "mary ann van der", "a b c d e f", "js@example"} {
		tiers, _, _ := search.Plan(typed)
		for _, scope := range []driver.ClientSearch{
			{Account: "A"},
			{To: "B", From: []vetshare.AccountID{"A", "C"}},
		} {
			q := scope
			q.Owner, q.Tiers, q.Limit = "O", tiers, 11
			stmts, err := SQL(q, "c.id")
			if err != nil {
				t.Fatal(err)
			}
			next := 0
			for _, st := range stmts {
				if len(st.Args) > maxArgs {
					t.Errorf("%q: a statement of %d arguments", typed, len(st.Args))
				}
				for _, m := range param.FindAllStringSubmatch(st.Query, -1) {
					if n, _ := strconv.Atoi(m[1]); n < 1 || n > len(st.Args) {
						t.Errorf("%q: parameter ?%d of %d arguments", typed, n, len(st.Args))
					}
				}
				for _, m := range tierCol.FindAllStringSubmatch(st.Query, -1) {
					if n, _ := strconv.Atoi(m[1]); n != next {
						t.Errorf("%q: tier %d where %d comes next", typed, n, next)
					}
					next++
				}
			}
			if next != len(tiers) {
				t.Errorf("%q: %d tiers in the statements, want %d", typed, next, len(tiers))
			}
		}
	}
}
