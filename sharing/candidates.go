package sharing

import (
	"context"
	"errors"
	"slices"

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
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	group, members, err := txn.D(tx).GroupOfAccount(ctx, actor.Account)
	if errors.Is(err, vetshare.ErrNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	from := make([]vetshare.AccountID, 0, len(members))
	for _, m := range members {
		if m.AccountID != actor.Account {
			from = append(from, m.AccountID)
		}
	}
	if len(from) == 0 {
		return nil, "", nil
	}
	clients, err := search.Find(ctx, txn.D(tx), driver.ClientSearch{Owner: group.OwnerID, To: actor.Account, From: from}, tiers, offset+limit+1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	clients = clients[min(offset, len(clients)):]
	if len(clients) > limit {
		clients, next = clients[:limit], cursor.MakeOffset(op, prefix, offset+limit)
	}
	if len(clients) == 0 {
		return []Candidate{}, "", nil
	}
	// The details of the page in three reads, whatever its size: the entries of every
	// candidate, their patients, and the names of the owner's accounts (one read of a few rows,
	// where reading each account apart took up to one read per member).
	ids := make([]vetshare.ClientID, len(clients))
	for i, c := range clients {
		ids[i] = c.ID
	}
	entries, err := txn.D(tx).ClientEntriesOf(ctx, ids)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	patients, err := txn.D(tx).PatientsOf(ctx, ids)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	accts, err := txn.D(tx).Accounts(ctx, group.OwnerID)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	byID := make(map[vetshare.ClientID]*Candidate, len(clients))
	out := make([]Candidate, len(clients))
	for i, c := range clients {
		out[i].Client = c.Client
		byID[c.ID] = &out[i]
	}
	for _, e := range entries {
		if !isMember(members, e.AccountID) {
			continue // an account that left the group: not shown
		}
		i := slices.IndexFunc(accts, func(a vetshare.Account) bool { return a.ID == e.AccountID })
		if i < 0 {
			return nil, "", vetshare.Op(op, vetshare.NotFound("account", e.AccountID))
		}
		cand := byID[e.ClientID]
		cand.Accounts = append(cand.Accounts, CandidateAccount{ID: e.AccountID, Name: accts[i].Name, Number: e.Number})
	}
	for _, p := range patients {
		cand := byID[p.ClientID]
		cand.Patients = append(cand.Patients, CandidatePatient{ID: p.ID, Name: p.Name, Species: p.Species})
	}
	return out, next, nil
}

func isMember(members []vetshare.GroupMember, a vetshare.AccountID) bool {
	for _, m := range members {
		if m.AccountID == a {
			return true
		}
	}
	return false
}
