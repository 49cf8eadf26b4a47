package duplicates

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/match"
	"github.com/vetshare/vetshare/internal/txn"
)

// Pair is two clients that may be the same person, as [Report] lists them: A has the smaller
// id.
type Pair struct {
	A, B vetshare.Client
	Result
}

// reportList names the cursors of [Report].
const reportList = "duplicates.Report"

// Report lists the pairs of clients that may be the same person across the actor's account and
// its group, best first (by score, then by ids), one page at a time (R13.1): the report for the
// day a group starts sharing. It reads the pairs the last [Scan] of the owner found, so each
// page is one range read of the stored pairs, however many clients the group has; without a
// scan it is empty. Each pair is shown only when both clients are shared with the actor's
// account or its group, and graded again with [Score] on the clients and patients as they are
// now (a pair no longer likely, as [Scan] says, is left out; the order stays the scan's score). Pairs decided not
// the same (R13.2) and pairs with a client merged away are gone. Clients created after the scan
// are matched when they are created (records.CreateClientChecked, [FindFor]) and by the next
// scan. [vetshare.ErrInvalid] for a page limit out of bounds or a cursor of another list.
func Report(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, page vetshare.Page) ([]Pair, vetshare.Cursor, error) {
	const op = "duplicates.Report"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	parts, err := cursor.Read(reportList, page.After, 3)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	var after *driver.DuplicatePair
	if parts != nil {
		score, err := strconv.Atoi(parts[0])
		if err != nil {
			return nil, "", vetshare.Op(op, &vetshare.InvalidError{Field: "Page.After", Reason: "this cursor was not returned by this list"})
		}
		after = &driver.DuplicatePair{Score: score, A: vetshare.ClientID(parts[1]), B: vetshare.ClientID(parts[2])}
	}
	owner, accs, err := visible(ctx, tx, actor)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	d := txn.D(tx)
	// Read the stored pairs in batches until the page and one more pair are found (the one
	// more says there is a next page), leaving out those the account may not be shown.
	type shownPair struct {
		Pair
		key driver.DuplicatePair // the stored order, for the cursor
	}
	var rows []shownPair
	// The page and one more, then more at a time while pairs are left out.
	batch := limit + 1
	for len(rows) <= limit {
		stored, err := d.DuplicatePairs(ctx, owner, after, batch)
		if err != nil {
			return nil, "", vetshare.Op(op, err)
		}
		if len(stored) == 0 {
			break
		}
		ids := make([]vetshare.ClientID, 0, 2*len(stored))
		for _, p := range stored {
			ids = append(ids, p.A, p.B)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		shown, byClient, err := match.Shown(ctx, d, ids, accs)
		if err != nil {
			return nil, "", vetshare.Op(op, err)
		}
		for _, p := range stored {
			if !shown[p.A] || !shown[p.B] {
				continue
			}
			r := match.Score(match.ProfileOf(p.ClientA, byClient[p.A]), match.ProfileOf(p.ClientB, byClient[p.B]))
			if !likely(r) {
				continue
			}
			rows = append(rows, shownPair{Pair{A: p.ClientA, B: p.ClientB, Result: fromMatch(r)}, p.DuplicatePair})
		}
		last := stored[len(stored)-1].DuplicatePair
		after = &last
		if len(stored) < batch {
			break
		}
		batch = min(2*batch, vetshare.MaxLimit+1)
	}
	var next vetshare.Cursor
	if len(rows) > limit {
		k := rows[limit-1].key
		next = cursor.Make(reportList, strconv.Itoa(k.Score), string(k.A), string(k.B))
		rows = rows[:limit]
	}
	out := make([]Pair, len(rows))
	for i, r := range rows {
		out[i] = r.Pair
	}
	return out, next, nil
}

// String returns the pair's names and grade, for logs: "Mary O'Brien ~ Mary OBrien (match, 80)".
func (p Pair) String() string {
	return fmt.Sprintf("%s %s ~ %s %s (%s, %d)", p.A.FirstName, p.A.LastName, p.B.FirstName, p.B.LastName, p.Grade, p.Score)
}
