package duplicates

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/match"
	"github.com/vetshare/vetshare/internal/txn"
)

// ScanOptions tunes [Scan].
type ScanOptions struct {
	// After resumes a scan after this point: the Cursor of the last progress reported. Empty
	// starts the scan over, forgetting the pairs the last one found.
	After vetshare.Cursor
	// BatchSize is the search keys read per transaction; 0 means 5000.
	BatchSize int
	// Progress, when set, is called after each committed batch.
	Progress func(ScanProgress)
}

// ScanProgress says how far a scan has come.
type ScanProgress struct {
	Keys   int             // search keys read so far (in this call)
	Pairs  int             // pairs graded and stored so far (in this call; a pair found by two keys counts twice)
	Cursor vetshare.Cursor // every key up to this point is done: resume after it
	Done   bool            // no key is left
}

// scanList names the cursors of [Scan].
const scanList = "duplicates.Scan"

// scanStages are the kinds of search keys a scan blocks on, in the order it reads them: the
// email, the phone (its last 7 digits), the last name (the whole of it, its words joined).
var scanStages = []string{driver.KeyEmail, driver.KeyPhone, driver.KeyLast}

// scanBlock bounds the clients compared within one block: the first 50 by id, as [Find] takes
// at most 50 clients a key.
const scanBlock = 50

// Scan finds the pairs of the owner's clients that may be the same person and keeps them for
// [Report] (R13.1): the work of the group's duplicate report, done once, the day a group starts
// sharing, rather than again for each page. It reads the owner's search keys in order, a batch
// in each transaction of store, and compares the clients within each block of one key, never
// every pair: clients with the same email, with the same last 7 digits of a phone, and with the
// same last and first names (folded, without punctuation). Each block compares at most its first
// 50 clients by id, so a very common name costs no more than a rare one. Each pair is graded
// with [Score] and stored, unless decided not the same (R13.2), when it is likely: graded a
// match, or possible with the phone, the email or the address in common. Namesakes with nothing
// else in common are left to [Find] of either client: in a large owner they are most pairs.
//
// A scan started without a cursor forgets the pairs the last scan found; one resumed with
// ScanOptions.After (the Cursor of the progress reported, also when Scan returns an error or ctx
// is done) goes on where it stopped. While a scan runs, Report lists what it has found so far.
// Pairs that only a swapped name or an initial would find, without a shared email or phone, are
// left to [Find] of either client. A scan changes no client and writes no audit entry.
//
// The actor must be an active owner or admin of its account ([vetshare.ErrNotPermitted]); the
// scan covers every client of the account's owner, and Report shows each account only the
// pairs it may see. [vetshare.ErrInvalid] for a negative BatchSize or a cursor of another list.
func Scan(ctx context.Context, store vetshare.Store, actor vetshare.Actor, opts ScanOptions) (ScanProgress, error) {
	const op = "duplicates.Scan"
	p := ScanProgress{Cursor: opts.After}
	if store == nil {
		return p, vetshare.Op(op, vetshare.Invalid("store", "a store is required"))
	}
	if opts.BatchSize < 0 {
		return p, vetshare.Op(op, vetshare.Invalid("BatchSize", "negative"))
	}
	if opts.BatchSize == 0 {
		opts.BatchSize = 5000
	}
	opts.BatchSize = max(opts.BatchSize, 2)
	var pos scanPos
	if opts.After != "" {
		parts, err := cursor.Read(scanList, opts.After, 3)
		if err != nil {
			return p, vetshare.Op(op, err)
		}
		stage, err := strconv.Atoi(parts[0])
		if err != nil || stage < 0 || stage > len(scanStages) {
			return p, vetshare.Op(op, &vetshare.InvalidError{Field: "After", Reason: "this cursor was not returned by a scan"})
		}
		pos = scanPos{stage: stage, key: parts[1], client: vetshare.ClientID(parts[2])}
	}
	first := opts.After == ""
	for !p.Done {
		if err := ctx.Err(); err != nil {
			return p, vetshare.Op(op, err)
		}
		next, nextPos := p, pos
		err := store.Update(ctx, func(tx *vetshare.Tx) error {
			keys, pairs, err := scanBatch(ctx, tx, actor, opts.BatchSize, &nextPos, first)
			next.Keys += keys
			next.Pairs += pairs
			return err
		})
		if err != nil {
			return p, vetshare.Op(op, err)
		}
		p, pos, first = next, nextPos, false
		p.Done = pos.stage >= len(scanStages)
		p.Cursor = cursor.Make(scanList, strconv.Itoa(pos.stage), pos.key, string(pos.client))
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	return p, nil
}

// scanPos is where a scan is: the stage, and the last key and client of it done.
type scanPos struct {
	stage  int
	key    string
	client vetshare.ClientID
}

// scanBatch reads up to size keys after pos, completing the last block, compares the clients
// of each block, stores the pairs graded and moves pos on.
func scanBatch(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, size int, pos *scanPos, first bool) (keys, pairs int, err error) {
	m, err := accounts.Check(ctx, tx, actor)
	if err != nil {
		return 0, 0, err
	}
	// The account once: its owner is what the scan covers, its name what a refusal says.
	d := txn.D(tx)
	acc, err := d.Account(ctx, actor.Account)
	if err != nil {
		return 0, 0, err
	}
	if m.Role != vetshare.RoleOwner && m.Role != vetshare.RoleAdmin {
		return 0, 0, &vetshare.NotPermittedError{User: actor.User, Account: actor.Account, AccountName: acc.Name,
			Reason: "a duplicate scan needs an owner or admin of " + acc.Name}
	}
	owner := acc.OwnerID
	if first {
		if err := d.ClearDuplicatePairs(ctx, owner); err != nil {
			return 0, 0, err
		}
	}
	if pos.stage >= len(scanStages) {
		return 0, 0, nil
	}
	prefix := scanStages[pos.stage]
	rows, err := d.KeyedClients(ctx, owner, prefix, pos.key, pos.client, size)
	if err != nil {
		return 0, 0, err
	}
	full := len(rows) == size
	if full {
		last := rows[len(rows)-1].Key
		i := slices.IndexFunc(rows, func(r driver.KeyedClient) bool { return r.Key == last })
		if i > 0 {
			// The last block may go on past the batch: the next batch reads it whole.
			rows = rows[:i]
		} else {
			// One block fills the batch: read it to its end.
			for {
				more, err := d.KeyedClients(ctx, owner, prefix, last, rows[len(rows)-1].Client.ID, size)
				if err != nil {
					return 0, 0, err
				}
				j := slices.IndexFunc(more, func(r driver.KeyedClient) bool { return r.Key != last })
				if j >= 0 {
					rows = append(rows, more[:j]...)
					break
				}
				rows = append(rows, more...)
				if len(more) < size {
					break
				}
			}
		}
	}
	groups := scanGroups(prefix, rows)
	stored, err := scoreGroups(ctx, d, owner, groups, tx.Now())
	if err != nil {
		return 0, 0, err
	}
	if len(rows) > 0 {
		pos.key, pos.client = rows[len(rows)-1].Key, rows[len(rows)-1].Client.ID
	}
	if !full {
		*pos = scanPos{stage: pos.stage + 1}
	}
	return len(rows), stored, nil
}

// scanGroups splits the rows of one stage into the groups of clients to compare: a group for
// each email, each last 7 digits of a phone, and each last and first name, of at least two
// clients and at most [scanBlock].
func scanGroups(prefix string, rows []driver.KeyedClient) [][]vetshare.Client {
	var groups [][]vetshare.Client
	add := func(g []vetshare.Client) {
		slices.SortFunc(g, func(a, b vetshare.Client) int { return cmp.Compare(a.ID, b.ID) })
		g = slices.CompactFunc(g, func(a, b vetshare.Client) bool { return a.ID == b.ID })
		if len(g) > scanBlock {
			g = g[:scanBlock]
		}
		if len(g) > 1 {
			groups = append(groups, g)
		}
	}
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].Key == rows[i].Key {
			j++
		}
		block := rows[i:j]
		key := block[0].Key
		i = j
		switch prefix {
		case driver.KeyPhone:
			if len(key) != len(driver.KeyPhone)+7 { // a longer tail: the 7-digit one is its block
				continue
			}
		case driver.KeyLast:
			// The block of the whole last name; within it, a group for each first name.
			byFirst := map[string][]vetshare.Client{}
			var firsts []string
			for _, r := range block {
				if key != driver.KeyLast+joinedName(r.Client.LastName) {
					continue // a word of a longer last name
				}
				f := joinedName(r.Client.FirstName)
				if _, ok := byFirst[f]; !ok {
					firsts = append(firsts, f)
				}
				byFirst[f] = append(byFirst[f], r.Client)
			}
			for _, f := range firsts {
				if f != "" {
					add(byFirst[f])
				}
			}
			continue
		}
		g := make([]vetshare.Client, len(block))
		for k, r := range block {
			g[k] = r.Client
		}
		add(g)
	}
	return groups
}

// likely reports whether a pair graded r belongs in the group's report: graded a match, or
// possible with a way to reach the person in common (phone, email or address). Namesakes with
// nothing else in common are graded possible too, and [Find] shows them for one client, but in
// a large owner they are most pairs (on the 1M data set, millions of pairs of common names), so
// the report leaves them out.
func likely(r match.Result) bool {
	if r.Grade == match.GradeMatch {
		return true
	}
	return r.Grade == match.GradePossible && slices.ContainsFunc(r.Agree, func(f string) bool {
		return f == match.FieldPhone || f == match.FieldEmail || f == match.FieldAddress
	})
}

// joinedName is a name folded, without punctuation or spaces, as [Score] compares names.
func joinedName(name string) string { return strings.Join(driver.SplitWords(name), "") }

// scoreGroups grades every pair within each group and stores those graded, returning how many
// it stored.
func scoreGroups(ctx context.Context, d driver.Tx, owner vetshare.OwnerID, groups [][]vetshare.Client, now time.Time) (int, error) {
	if len(groups) == 0 {
		return 0, nil
	}
	var ids []vetshare.ClientID
	for _, g := range groups {
		for _, c := range g {
			ids = append(ids, c.ID)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	pets := make(map[vetshare.ClientID][]vetshare.Patient, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		ps, err := d.PatientsOf(ctx, chunk)
		if err != nil {
			return 0, err
		}
		for _, pt := range ps {
			pets[pt.ClientID] = append(pets[pt.ClientID], pt)
		}
	}
	seen := map[[2]vetshare.ClientID]bool{}
	var out []driver.DuplicatePair
	for _, g := range groups {
		profiles := make([]match.Profile, len(g))
		for i, c := range g {
			profiles[i] = match.ProfileOf(c, pets[c.ID])
		}
		for i := range g {
			for j := i + 1; j < len(g); j++ {
				k := [2]vetshare.ClientID{g[i].ID, g[j].ID} // g is by id: g[i] < g[j]
				if seen[k] {
					continue
				}
				seen[k] = true
				r := match.Score(profiles[i], profiles[j])
				if !likely(r) {
					continue
				}
				out = append(out, driver.DuplicatePair{Owner: owner, A: k[0], B: k[1], Score: r.Score, Grade: string(r.Grade), Agree: r.Agree, Found: now})
			}
		}
	}
	for chunk := range slices.Chunk(out, 1000) {
		if err := d.PutDuplicatePairs(ctx, chunk); err != nil {
			return 0, err
		}
	}
	return len(out), nil
}
