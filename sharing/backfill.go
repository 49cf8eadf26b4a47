package sharing

import (
	"context"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/txn"
)

// BackfillOptions tunes [Backfill].
type BackfillOptions struct {
	// Filter, when set, keeps the clients to share; the others are passed over.
	Filter func(vetshare.Client) bool
	// After resumes a backfill after this client: the Cursor of the last progress reported.
	After vetshare.ClientID
	// BatchSize is the number of clients examined per transaction; 0 means 500.
	BatchSize int
	// Progress, when set, is called after each committed batch.
	Progress func(BackfillProgress)
}

// BackfillProgress says how far a backfill has come.
type BackfillProgress struct {
	Clients int               // clients examined so far (in this call)
	Shared  int               // client entries created so far (in this call)
	Cursor  vetshare.ClientID // every client up to this one is done: resume after it
	Done    bool              // no client is left
}

// Backfill shares the historical clients of the actor's account's group in bulk (R2.9): every
// client that some current member has and another lacks gets an entry, with that account's next
// number, in every member that lacks it. It works in batches, each in its own transaction of
// store, reporting progress after each; when ctx is done or the store fails it returns the
// progress so far with the error, and a later call with After set to the Cursor resumes where it
// stopped. Clients shared already are never shared twice (R2.7), so a call started over from the
// beginning is safe too.
//
// The actor must be an owner or admin of the account (else [vetshare.ErrNotPermitted]), and the
// account must be in a group (else [vetshare.ErrNotFound]).
func Backfill(ctx context.Context, store vetshare.Store, actor vetshare.Actor, opts BackfillOptions) (BackfillProgress, error) {
	const op = "sharing.Backfill"
	p := BackfillProgress{Cursor: opts.After}
	if opts.BatchSize < 0 {
		return p, vetshare.Op(op, vetshare.Invalid("BatchSize", "negative"))
	}
	if opts.BatchSize == 0 {
		opts.BatchSize = 500
	}
	if opts.After != "" && !vetshare.ValidID(opts.After) {
		return p, vetshare.Op(op, vetshare.Invalid("After", "malformed id"))
	}
	// The batches are one operation call: their audit entries share one operation id (R10.1),
	// made in the first batch and carried to the next once it commits.
	var opID vetshare.OperationID
	for !p.Done {
		if err := ctx.Err(); err != nil {
			return p, vetshare.Op(op, err)
		}
		next, nextID := p, opID
		err := store.Update(ctx, func(tx *vetshare.Tx) error {
			defer txn.Continue(tx, opID)()
			if err := backfillBatch(ctx, tx, actor, opts, &next); err != nil {
				return err
			}
			nextID = txn.OperationID(tx)
			return nil
		})
		if err != nil {
			return p, vetshare.Op(op, err)
		}
		p, opID = next, nextID
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	return p, nil
}

func backfillBatch(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, opts BackfillOptions, p *BackfillProgress) error {
	m, err := accounts.Check(ctx, tx, actor)
	if err != nil {
		return err
	}
	if m.Role != vetshare.RoleOwner && m.Role != vetshare.RoleAdmin {
		e := &vetshare.NotPermittedError{User: actor.User, Account: actor.Account, Reason: "a backfill needs an owner or admin of the clinic"}
		if a, err := txn.D(tx).Account(ctx, actor.Account); err == nil {
			e.AccountName, e.Reason = a.Name, "a backfill needs an owner or admin of "+a.Name
		}
		return e
	}
	g, members, err := txn.D(tx).GroupOfAccount(ctx, actor.Account)
	if err != nil {
		return err
	}
	ids := make([]vetshare.AccountID, len(members))
	for i, m := range members {
		ids[i] = m.AccountID
	}
	clients, err := txn.D(tx).UnsharedClients(ctx, ids, p.Cursor, opts.BatchSize)
	if err != nil {
		return err
	}
	if len(clients) < opts.BatchSize {
		p.Done = true
	}
	// The batch's entries are read in one call and written in one (R2.7: an account that has
	// the client already is passed over), each with its account's next number.
	var shared []vetshare.ClientID
	for _, c := range clients {
		p.Clients++
		p.Cursor = c.ID
		if opts.Filter == nil || opts.Filter(c) {
			shared = append(shared, c.ID)
		}
	}
	if len(shared) == 0 {
		return nil
	}
	entries, err := txn.D(tx).ClientEntriesOf(ctx, shared)
	if err != nil {
		return err
	}
	type key struct {
		account vetshare.AccountID
		client  vetshare.ClientID
	}
	has := make(map[key]bool, len(entries))
	for _, e := range entries {
		has[key{e.AccountID, e.ClientID}] = true
	}
	var add []vetshare.ClientEntry
	for _, c := range shared {
		for _, a := range ids {
			if !has[key{a, c}] {
				add = append(add, vetshare.ClientEntry{AccountID: a, ClientID: c, Via: vetshare.ViaBackfill, CreatedAt: tx.Now()})
			}
		}
	}
	if err := txn.D(tx).InsertClientEntries(ctx, add); err != nil {
		return err
	}
	p.Shared += len(add)
	return auditlog.Write(ctx, tx, g.OwnerID, actor, "client.share", "group:"+string(g.ID), audit.OK,
		map[string]any{"via": vetshare.ViaBackfill, "clients": shared})
}
