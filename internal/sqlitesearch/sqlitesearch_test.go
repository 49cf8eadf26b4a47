package sqlitesearch

import (
	"math/rand/v2"
	"reflect"
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

// A text SQL keeps for a shape is the text it writes for every search of that shape: searches
// whose fields are drawn from a few values, so that many share a shape and many differ only in
// which of their arguments are equal, get from SQL what writing their text afresh gives.
func TestKeptTextIsWrittenText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vals := []string{"", "n:a", "n:b", "a", "A", "O"}
	pick := func() string { return vals[r.IntN(len(vals))] }
	tier := func() driver.SearchTier {
		var tr driver.SearchTier
		tr.Probe, tr.Then, tr.Exact = pick(), pick(), r.IntN(3) == 0
		for range r.IntN(3) {
			alts := make([]string, 1+r.IntN(3))
			for i := range alts {
				alts[i] = pick()
			}
			tr.Also = append(tr.Also, alts)
		}
		return tr
	}
	shapes.mu.Lock()
	shapes.m = nil
	shapes.mu.Unlock()
	for n := range 20000 {
		q := driver.ClientSearch{Owner: vetshare.OwnerID(pick()), Limit: 1 + r.IntN(3)}
		switch r.IntN(3) {
		case 0:
			q.Account, q.Member = vetshare.AccountID(pick()), vetshare.UserID(pick())
		case 1:
			q.To, q.From = vetshare.AccountID(pick()), []vetshare.AccountID{vetshare.AccountID(pick())}
		}
		q.Not = vetshare.ClientID(pick())
		if r.IntN(4) == 0 {
			tr := tier()
			q.Probe, q.Then, q.Exact, q.Also = tr.Probe, tr.Then, tr.Exact, tr.Also
		} else {
			for range 1 + r.IntN(12) {
				q.Tiers = append(q.Tiers, tier())
			}
		}
		cols := []string{"c.id", "c.id, c.owner_id"}[r.IntN(2)]
		got, err := SQL(q, cols)
		if err != nil {
			t.Fatal(err)
		}
		w := gen{text: true}
		want, err := w.stmts(q, cols)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("search %d %+v: SQL gave\n%v\nwritten afresh\n%v", n, q, got, want)
		}
	}
	shapes.mu.Lock()
	kept := len(shapes.m)
	shapes.mu.Unlock()
	if kept == 0 || kept >= 20000 {
		t.Errorf("%d shapes kept for 20,000 searches", kept)
	}
}

// BenchmarkSQL is the statements of a two-word type-ahead ("smith, jo": a dozen tiers), from the
// kept text (kept) and written afresh (written).
func BenchmarkSQL(b *testing.B) {
	tiers, _, _ := search.Plan("smith, jo")
	q := driver.ClientSearch{Owner: "O", Account: "A", Tiers: tiers, Limit: 11}
	b.Run("kept", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := SQL(q, "c.id"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("written", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w := gen{text: true}
			if _, err := w.stmts(q, "c.id"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
