package duplicates

import (
	"context"
	"slices"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/txn"
)

// MergePreview is what a merge will do, shown before it is done (R13.3).
type MergePreview struct {
	Survivor vetshare.Client // the profile that stays, as it is
	Merged   vetshare.Client // the profile merged away, kept as replaced by Survivor
	// Entries are the entries the survivor will have: its own, and those of the merged-away
	// client in accounts that had only it, with their numbers.
	Entries []vetshare.ClientEntry
	// Aliases are the merged-away client's entries in accounts that held both: their numbers
	// will stand for the survivor's entry there.
	Aliases  []vetshare.ClientEntry
	Patients []vetshare.Patient // the merged-away client's patients, who follow the survivor
}

// PreviewMerge shows what [Merge] of merged into survivor would do, changing nothing. It
// needs what Merge needs.
func PreviewMerge(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, survivor, merged vetshare.ClientID) (MergePreview, error) {
	const op = "duplicates.PreviewMerge"
	p, _, err := preview(ctx, tx, actor, survivor, merged)
	return p, vetshare.Op(op, err)
}

func preview(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, survivor, merged vetshare.ClientID) (MergePreview, vetshare.OwnerID, error) {
	var p MergePreview
	if survivor == merged {
		return p, "", vetshare.Invalid("merged", "a client cannot be merged into itself")
	}
	owner, accs, err := visible(ctx, tx, actor)
	if err != nil {
		return p, "", err
	}
	d := txn.D(tx)
	var held [2][]vetshare.ClientEntry
	for i, id := range []vetshare.ClientID{survivor, merged} {
		if err := seen(ctx, tx, owner, accs, id); err != nil {
			return p, "", err
		}
		if held[i], err = d.ClientEntries(ctx, id); err != nil {
			return p, "", err
		}
	}
	// R13.4: an active admin or owner of every account that holds either client.
	for _, e := range append(slices.Clone(held[0]), held[1]...) {
		m, err := d.Membership(ctx, actor.User, e.AccountID)
		if err != nil || !m.Active || (m.Role != vetshare.RoleAdmin && m.Role != vetshare.RoleOwner) {
			a, _ := d.Account(ctx, e.AccountID)
			return p, "", &vetshare.NotPermittedError{User: actor.User, Account: e.AccountID,
				Reason: "merging clients needs an admin or owner of every clinic that has either of them, and you are not one at " + a.Name}
		}
	}
	if p.Survivor, err = d.Client(ctx, held[0][0].AccountID, survivor); err != nil {
		return p, "", err
	}
	if p.Merged, err = d.Client(ctx, held[1][0].AccountID, merged); err != nil {
		return p, "", err
	}
	p.Entries = slices.Clone(held[0])
	for _, e := range held[1] {
		if slices.ContainsFunc(held[0], func(s vetshare.ClientEntry) bool { return s.AccountID == e.AccountID }) {
			p.Aliases = append(p.Aliases, e)
		} else {
			e.ClientID = survivor
			p.Entries = append(p.Entries, e)
		}
	}
	if p.Patients, err = d.PatientsOf(ctx, []vetshare.ClientID{merged}); err != nil {
		return p, "", err
	}
	return p, owner, nil
}

// Merge merges client merged into client survivor, irreversibly (R13.3, R13.4): every
// account keeps its entry and number (an account that held both keeps the survivor's, and
// the merged-away number stands for it); patients, records, invoices, payments, reminders and
// tasks follow the survivor; balances stay per account; the merged-away client is kept as
// replaced by the survivor, and its id resolves to it in records.Client and its numbers in
// records.ClientByNumber. It needs an active admin or owner of every account that holds either
// client ([vetshare.ErrNotPermitted]); both must be shared with the actor's account or its
// group ([vetshare.ErrNotFound]). It is audited with both profiles and returns the preview of
// what it did.
func Merge(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, survivor, merged vetshare.ClientID) (MergePreview, error) {
	const op = "duplicates.Merge"
	defer txn.Begin(tx)()
	p, owner, err := preview(ctx, tx, actor, survivor, merged)
	if err != nil {
		return p, vetshare.Op(op, err)
	}
	if err := txn.D(tx).MergeClients(ctx, driver.ClientMerge{Owner: owner, Survivor: survivor, Merged: merged, At: tx.Now()}); err != nil {
		return p, vetshare.Op(op, err)
	}
	err = auditlog.Write(ctx, tx, owner, actor, "client.merge", "client:"+string(survivor), audit.OK,
		map[string]any{"survivor": p.Survivor, "merged": p.Merged, "aliases": p.Aliases})
	return p, vetshare.Op(op, err)
}
