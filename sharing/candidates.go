package sharing

import (
	"context"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/search"
	"github.com/vetshare/vetshare/internal/txn"
)

// Candidate is a client that the actor's account may share (R2.3 a), with what a person needs
// to pick the right one.
type Candidate struct {
	Client vetshare.Client
	// Accounts are the accounts of the group that have the client, with their client numbers.
	Accounts []CandidateAccount
	// Patients are the client's patients.
	Patients []CandidatePatient
}

// CandidateAccount is an account that has a candidate client.
type CandidateAccount struct {
	ID     vetshare.AccountID
	Name   string
	Number int64
}

// CandidatePatient is a patient of a candidate client.
type CandidatePatient struct {
	ID      vetshare.PatientID
	Name    string
	Species string
}

// Candidates lists, as something is typed in the actor's account, the clients of the other
// current members of its group that are not shared with it yet and that match it (R2.3 a): a
// last or first name or its start, "last, first" or "first last" in either order with or
// without the comma, compared case-, accent- and punctuation-insensitively (obrien finds
// O'Brien); the digits of a phone number in any format; or the start of an email address. The
// LIKE wildcards %, _ and \ are plain characters. Best match first: an exact last name before
// a last name that starts with what is typed, clients matching every word before those matching
// one, each tier by name, then id. Every tier is one range of the owner's search-key index;
// both names cut short ("smi jo") are one range for each name that starts with the first.
//
// It pages with [vetshare.Page]; next is the cursor of the next page, empty after the last.
// Best-first order has no key to page by, so a cursor keeps what was typed and how many
// candidates were given before it: a client that comes into range or is shared between two pages
// can move a candidate from one page to the next or out of sight. A cursor given with other
// typed text is refused, as are a bad limit and a cursor of another list, with
// [vetshare.ErrInvalid]. A page further on reads the candidates before it again: a front desk
// picks from the first page.
//
// An account in no group has no candidates. typed must hold at least one letter or digit after
// folding, or Candidates returns [vetshare.ErrInvalid].
func Candidates(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, typed string, page vetshare.Page) (rows []Candidate, next vetshare.Cursor, err error) {
	const op = "sharing.Candidates"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	tiers, prefix, ok := search.Plan(typed)
	if !ok {
		return nil, "", vetshare.Op(op, vetshare.Invalid("typed", "type at least one letter or digit"))
	}
	offset, err := cursor.ReadOffset(op, page.After, prefix)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if err := accounts.CheckActor(actor); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	// Three statements, whatever the page: the search, which checks the actor's membership
	// (Member), takes the owner from the account and the accounts to search from its group
	// (To alone); then the page's entries in the group, with the clinics' names, and their
	// patients. Where the search finds nothing, the membership is read apart, to refuse a
	// non-member rather than show an empty page (an account in no group finds nothing).
	clients, err := search.Find(ctx, txn.D(tx), driver.ClientSearch{To: actor.Account, Member: actor.User}, tiers, offset+limit+1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if len(clients) == 0 {
		if _, err := accounts.Check(ctx, tx, actor); err != nil {
			return nil, "", vetshare.Op(op, err)
		}
	}
	clients = clients[min(offset, len(clients)):]
	if len(clients) > limit {
		clients, next = clients[:limit], cursor.MakeOffset(op, prefix, offset+limit)
	}
	if len(clients) == 0 {
		return []Candidate{}, "", nil
	}
	ids := make([]vetshare.ClientID, len(clients))
	for i, c := range clients {
		ids[i] = c.ID
	}
	entries, err := txn.D(tx).GroupEntriesOf(ctx, actor.Account, ids)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	patients, err := txn.D(tx).PatientNamesOf(ctx, ids)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	byID := make(map[vetshare.ClientID]*Candidate, len(clients))
	out := make([]Candidate, len(clients))
	for i, c := range clients {
		out[i].Client = c.Client
		byID[c.ID] = &out[i]
	}
	// Only the accounts now in the group (GroupEntriesOf): one that left is not shown.
	byClient(entries, func(e driver.GroupEntry) vetshare.ClientID { return e.ClientID },
		func(e driver.GroupEntry) CandidateAccount {
			return CandidateAccount{ID: e.AccountID, Name: e.AccountName, Number: e.Number}
		},
		func(id vetshare.ClientID, run []CandidateAccount) {
			byID[id].Accounts = appendRun(byID[id].Accounts, run)
		})
	byClient(patients, func(p driver.PatientName) vetshare.ClientID { return p.ClientID },
		func(p driver.PatientName) CandidatePatient {
			return CandidatePatient{ID: p.ID, Name: p.Name, Species: p.Species}
		},
		func(id vetshare.ClientID, run []CandidatePatient) {
			byID[id].Patients = appendRun(byID[id].Patients, run)
		})
	return out, next, nil
}

// byClient copies rows into one array of views, and gives add each client's run of it: the
// store gives a client's rows together, so a page of candidates allocates one array for all
// their accounts and one for all their patients, not one a candidate growing by doubling. A
// client's rows given apart would be appended to its first run (a copy), still right.
func byClient[R, V any](rows []R, client func(R) vetshare.ClientID, view func(R) V, add func(vetshare.ClientID, []V)) {
	views := make([]V, len(rows))
	for i, r := range rows {
		views[i] = view(r)
	}
	for i := 0; i < len(rows); {
		id, j := client(rows[i]), i+1
		for j < len(rows) && client(rows[j]) == id {
			j++
		}
		add(id, views[i:j:j]) // capped: an append to one run never writes over the next
		i = j
	}
}

// appendRun returns run when s is empty (sharing its array), else s with run appended.
func appendRun[T any](s, run []T) []T {
	if len(s) == 0 {
		return run
	}
	return append(s, run...)
}
