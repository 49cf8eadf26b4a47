package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() {
	Register("ClientsByName", testClientsByName)
}

// testClientsByName pages through the client list of a clinic holding most of its owner's
// clients and of one holding few (a store may read them by different plans: SQLite does), and
// checks each page against the clients sorted by name key and id.
func testClientsByName(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 3)
	want := map[vetshare.AccountID][]string{}
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		for i := range 40 {
			origin := 0
			if i%10 == 9 {
				origin = 1
			}
			c, err := w.client(ctx, tx, origin, fmt.Sprintf("Name%02d", (i*7)%13), fmt.Sprintf("First%d", i%3))
			if err != nil {
				return err
			}
			want[c.OriginAccount] = append(want[c.OriginAccount], vetshare.NameKey(c.LastName, c.FirstName)+"|"+string(c.ID))
		}
		return nil
	})
	for _, a := range w.accounts {
		slices.Sort(want[a.ID])
		for _, limit := range []int{1, 3, 50} {
			var got []string
			view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
				q := driver.ClientListQuery{Account: a.ID, Limit: limit}
				for {
					rows, err := txn.D(tx).Clients(ctx, q)
					if err != nil {
						return err
					}
					for _, r := range rows {
						if r.Entry.AccountID != a.ID || r.Entry.Number == 0 {
							t.Errorf("Clients of %s gave the entry %+v", a.Name, r.Entry)
						}
						got = append(got, r.Key+"|"+string(r.ID))
					}
					if len(rows) < limit {
						return nil
					}
					q.AfterKey, q.AfterID = rows[len(rows)-1].Key, rows[len(rows)-1].ID
				}
			})
			if !slices.Equal(got, want[a.ID]) {
				t.Errorf("Clients of %s in pages of %d =\n%q, want\n%q", a.Name, limit, got, want[a.ID])
			}
		}
	}
}
