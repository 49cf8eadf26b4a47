package duplicates

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/vetshare/vetshare"
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

// ownerBatch is the clients read at once while walking the owner's clients.
const ownerBatch = 500

// Report lists every pair of clients that may be the same person across the actor's account
// and its group, best first (by score, then by ids), one page at a time (R13.1): the report for
// the day a group starts sharing. Each client is compared only with the clients its blocking
// keys ([Blocks]) bring, never with every other client; pairs decided not the same (R13.2) are
// left out. Every page walks the owner's clients again (the order is by score, known only once
// every pair is scored), so a page costs one pass of index probes over the group's clients.
// [vetshare.ErrInvalid] for a page limit out of bounds or a cursor of another list.
func Report(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, page vetshare.Page) ([]Pair, vetshare.Cursor, error) {
	const op = "duplicates.Report"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	after, err := cursor.Read(reportList, page.After, 3)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	owner, accs, err := visible(ctx, tx, actor)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	pairs, err := allPairs(ctx, tx, owner, accs)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if after != nil {
		score, err := strconv.Atoi(after[0])
		if err != nil {
			return nil, "", vetshare.Op(op, &vetshare.InvalidError{Field: "Page.After", Reason: "this cursor was not returned by this list"})
		}
		key := Pair{A: vetshare.Client{ID: vetshare.ClientID(after[1])}, B: vetshare.Client{ID: vetshare.ClientID(after[2])}, Result: Result{Score: score}}
		i, _ := slices.BinarySearchFunc(pairs, key, comparePairs)
		for i < len(pairs) && comparePairs(pairs[i], key) <= 0 {
			i++
		}
		pairs = pairs[i:]
	}
	rows, next := cursor.Trim(reportList, pairs, limit, func(p Pair) []string {
		return []string{strconv.Itoa(p.Score), string(p.A.ID), string(p.B.ID)}
	})
	return rows, next, nil
}

// comparePairs orders pairs best first: by score, highest first, then by the ids.
func comparePairs(x, y Pair) int {
	return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(x.A.ID, y.A.ID), cmp.Compare(x.B.ID, y.B.ID))
}

// allPairs returns every graded pair of the owner's clients shown to accs, sorted.
func allPairs(ctx context.Context, tx *vetshare.Tx, owner vetshare.OwnerID, accs []vetshare.AccountID) ([]Pair, error) {
	d := txn.D(tx)
	found := map[[2]vetshare.ClientID]Pair{}
	var last vetshare.ClientID
	for {
		cs, err := d.OwnerClients(ctx, owner, last, ownerBatch)
		if err != nil {
			return nil, err
		}
		if len(cs) == 0 {
			break
		}
		last = cs[len(cs)-1].ID
		ids := make([]vetshare.ClientID, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		shown, byClient, err := match.Shown(ctx, d, ids, accs)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if !shown[c.ID] {
				continue
			}
			ms, err := match.Find(ctx, tx, owner, accs, c, toMatch(ProfileOf(c, byClient[c.ID])))
			if err != nil {
				return nil, err
			}
			for _, m := range ms {
				p := Pair{A: c, B: m.Client, Result: fromMatch(m.Result)}
				if p.B.ID < p.A.ID {
					p.A, p.B = p.B, p.A
				}
				k := [2]vetshare.ClientID{p.A.ID, p.B.ID}
				if old, ok := found[k]; !ok || old.Score < p.Score {
					found[k] = p
				}
			}
		}
		if len(cs) < ownerBatch {
			break
		}
	}
	pairs := make([]Pair, 0, len(found))
	for _, p := range found {
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, comparePairs)
	return pairs, nil
}

// String returns the pair's names and grade, for logs: "Mary O'Brien ~ Mary OBrien (match, 80)".
func (p Pair) String() string {
	return fmt.Sprintf("%s %s ~ %s %s (%s, %d)", p.A.FirstName, p.A.LastName, p.B.FirstName, p.B.LastName, p.Grade, p.Score)
}
