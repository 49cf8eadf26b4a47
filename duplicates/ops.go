package duplicates

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/txn"
)

// Match is a client that may be the same person (R13.1).
type Match struct {
	Client vetshare.Client
	Result
}

// blockLimit bounds the clients one blocking key brings.
const blockLimit = 50

// visible returns the owner and the accounts whose clients the actor's account may be shown:
// its own and those of the current members of its group.
func visible(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) (vetshare.OwnerID, []vetshare.AccountID, error) {
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return "", nil, err
	}
	a, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return "", nil, err
	}
	accs := []vetshare.AccountID{a.ID}
	_, members, err := txn.D(tx).GroupOfAccount(ctx, actor.Account)
	if err != nil && !errors.Is(err, vetshare.ErrNotFound) {
		return "", nil, err
	}
	for _, m := range members {
		if m.AccountID != a.ID {
			accs = append(accs, m.AccountID)
		}
	}
	return a.OwnerID, accs, nil
}

// Find lists the clients that may be the same person as the client id, seen from the actor's
// account, best first (R13.1): clients of the account and of its group, found through blocking
// keys, scored with [Score], graded, leaving out pairs decided not the same (R13.2).
// [vetshare.ErrNotFound] when the account does not share the client.
func Find(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.ClientID) ([]Match, error) {
	const op = "duplicates.Find"
	owner, accs, err := visible(ctx, tx, actor)
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	c, err := txn.D(tx).Client(ctx, actor.Account, id)
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	pats, err := txn.D(tx).PatientsOf(ctx, []vetshare.ClientID{id})
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	ms, err := find(ctx, tx, owner, accs, c, ProfileOf(c, pats))
	return ms, vetshare.Op(op, err)
}

// FindFor lists the clients that may be the same person as a profile about to be created in
// the actor's account (R13.1), as [Find] does.
func FindFor(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, p vetshare.Client) ([]Match, error) {
	const op = "duplicates.FindFor"
	owner, accs, err := visible(ctx, tx, actor)
	if err != nil {
		return nil, vetshare.Op(op, err)
	}
	p.ID = ""
	ms, err := find(ctx, tx, owner, accs, p, ProfileOf(p, nil))
	return ms, vetshare.Op(op, err)
}

// Blocks returns the blocking keys of a client: probes of the search-key index that bring
// every client likely to be graded with it.
func Blocks(c vetshare.Client) []string {
	var keys []string
	if l := joined(c.LastName); l != "" {
		keys = append(keys, driver.KeyLast+l)
	}
	if f := joined(c.FirstName); f != "" {
		keys = append(keys, driver.KeyLast+f) // first and last swapped
	}
	if d := driver.PhoneDigits(c.Phone); len(d) >= 7 {
		keys = append(keys, driver.KeyPhone+d[len(d)-7:])
	}
	if e := strings.ToLower(strings.TrimSpace(c.Email)); e != "" {
		keys = append(keys, driver.KeyEmail+e)
	}
	return keys
}

func find(ctx context.Context, tx *vetshare.Tx, owner vetshare.OwnerID, accs []vetshare.AccountID, c vetshare.Client, p Profile) ([]Match, error) {
	d := txn.D(tx)
	seen := map[vetshare.ClientID]bool{}
	var found []vetshare.Client
	for _, k := range Blocks(c) {
		cs, err := d.SearchClients(ctx, driver.ClientSearch{Owner: owner, Probe: k, Exact: true, Not: c.ID, Limit: blockLimit})
		if err != nil {
			return nil, err
		}
		for _, x := range cs {
			if !seen[x.ID] {
				seen[x.ID] = true
				found = append(found, x)
			}
		}
	}
	if len(found) == 0 {
		return nil, nil
	}
	decided := map[vetshare.ClientID]bool{}
	if c.ID != "" {
		ns, err := d.NotSameOf(ctx, owner, c.ID)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			decided[n.A], decided[n.B] = true, true
		}
	}
	ids := make([]vetshare.ClientID, len(found))
	for i, x := range found {
		ids[i] = x.ID
	}
	entries, err := d.ClientEntriesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	shown := map[vetshare.ClientID]bool{}
	for _, e := range entries {
		if slices.Contains(accs, e.AccountID) {
			shown[e.ClientID] = true
		}
	}
	pats, err := d.PatientsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	byClient := map[vetshare.ClientID][]vetshare.Patient{}
	for _, pt := range pats {
		byClient[pt.ClientID] = append(byClient[pt.ClientID], pt)
	}
	var out []Match
	for _, x := range found {
		if !shown[x.ID] || decided[x.ID] {
			continue
		}
		if r := Score(p, ProfileOf(x, byClient[x.ID])); r.Grade != "" {
			out = append(out, Match{Client: x, Result: r})
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return strings.Compare(string(a.Client.ID), string(b.Client.ID))
	})
	return out, nil
}

// Decision is a kept decision that two clients are not the same person (R13.2).
type Decision = driver.NotSame

// DecideNotSame keeps the decision of the actor that clients a and b are not the same person,
// with the reason given, so that the pair is never proposed again (R13.2); it is audited. Both
// clients must be shared with the actor's account or its group ([vetshare.ErrNotFound]
// otherwise); a reason is required ([vetshare.ErrInvalid]); a pair decided before is
// [vetshare.ErrConflict].
func DecideNotSame(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, a, b vetshare.ClientID, reason string) (Decision, error) {
	const op = "duplicates.DecideNotSame"
	defer txn.Begin(tx)()
	reason = strings.TrimSpace(reason)
	if err := accounts.CheckText("reason", reason, 1000, true); err != nil {
		return Decision{}, vetshare.Op(op, err)
	}
	if a == b {
		return Decision{}, vetshare.Op(op, vetshare.Invalid("b", "a client is always the same person as itself"))
	}
	owner, accs, err := visible(ctx, tx, actor)
	if err != nil {
		return Decision{}, vetshare.Op(op, err)
	}
	for _, id := range []vetshare.ClientID{a, b} {
		if err := seen(ctx, tx, owner, accs, id); err != nil {
			return Decision{}, vetshare.Op(op, err)
		}
	}
	d := Decision{Owner: owner, A: min(a, b), B: max(a, b), Account: actor.Account, User: actor.User, Reason: reason, At: tx.Now()}
	if err := txn.D(tx).InsertNotSame(ctx, d); err != nil {
		if errors.Is(err, vetshare.ErrConflict) {
			err = &vetshare.ConflictError{Kind: "decision", ID: string(d.A) + "/" + string(d.B)}
		}
		return Decision{}, vetshare.Op(op, err)
	}
	err = auditlog.Write(ctx, tx, owner, actor, "client.not-same", "client:"+string(d.A), audit.OK,
		map[string]any{"other": d.B, "reason": reason})
	return d, vetshare.Op(op, err)
}

// seen returns ErrNotFound unless one of accs has an entry for the client of owner.
func seen(ctx context.Context, tx *vetshare.Tx, owner vetshare.OwnerID, accs []vetshare.AccountID, id vetshare.ClientID) error {
	if err := vetshare.CheckID("client", id); err != nil {
		return err
	}
	entries, err := txn.D(tx).ClientEntries(ctx, id)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if slices.Contains(accs, e.AccountID) {
			return nil
		}
	}
	return vetshare.NotFound("client", id)
}
