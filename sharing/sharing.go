package sharing

import (
	"context"
	"errors"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/member"
	"github.com/vetshare/vetshare/internal/txn"
)

// gather collects the facts Authorize needs, at decision time.
func gather(ctx context.Context, tx *vetshare.Tx, req Request) (Facts, error) {
	var f Facts
	if vetshare.ValidID(req.Requester) {
		u, err := txn.D(tx).User(ctx, req.Requester)
		switch {
		case err == nil:
			f.Requester, f.RequesterFound = u, true
		case !errors.Is(err, vetshare.ErrNotFound):
			return f, err
		}
	}
	for _, id := range req.Accounts {
		af := AccountFacts{Account: vetshare.Account{ID: id}}
		if vetshare.ValidID(id) {
			a, err := txn.D(tx).Account(ctx, id)
			switch {
			case err == nil:
				af.Account, af.Found = a, true
			case !errors.Is(err, vetshare.ErrNotFound):
				return f, err
			}
		}
		if af.Found {
			if f.RequesterFound {
				m, err := txn.D(tx).Membership(ctx, req.Requester, id)
				switch {
				case err == nil:
					af.Membership = &m
				case !errors.Is(err, vetshare.ErrNotFound):
					return f, err
				}
			}
			g, err := txn.D(tx).GroupOf(ctx, id)
			switch {
			case err == nil:
				af.Group = g.GroupID
			case !errors.Is(err, vetshare.ErrNotFound):
				return f, err
			}
		}
		f.Accounts = append(f.Accounts, af)
	}
	return f, nil
}

// auditOwner is the owner whose log records a decision: the first named account's that exists.
func auditOwner(f Facts) vetshare.OwnerID {
	for _, af := range f.Accounts {
		if af.Found {
			return af.Account.OwnerID
		}
	}
	return ""
}

// decisionRecord is the evidence a decision's audit entry keeps.
type decisionRecord struct {
	Request Request  `json:"request"`
	Reasons []string `json:"reasons,omitempty"`
	Group   vetshare.GroupID
}

func writeDecision(ctx context.Context, tx *vetshare.Tx, req Request, f Facts, d Decision) error {
	owner := auditOwner(f)
	if owner == "" {
		// No named account exists: there is no owner's log to write to and nothing changes.
		return nil
	}
	rec := decisionRecord{Request: req, Group: d.Group}
	for _, r := range d.Reasons {
		rec.Reasons = append(rec.Reasons, r.Error())
	}
	outcome := audit.OK
	if !d.Approved {
		outcome = audit.Rejected
	}
	var acct vetshare.AccountID
	if len(req.Accounts) > 0 {
		acct = req.Accounts[0]
	}
	return auditlog.Write(ctx, tx, owner, vetshare.Actor{User: req.Requester, Account: acct, RequestID: req.RequestID},
		"sharing."+string(req.Action), "request", outcome, rec)
}

// Enable decides a request to share records between accounts (R1.1–R1.6) and, when it is
// approved, creates a share group with the request's mode or adds the other accounts to the one
// group a named account is already in (which keeps its mode). Every decision is written to the
// audit log with the request as evidence (R1.5).
//
// A rejected request is not an error of Enable: it returns the decision, with every failed
// reason, and a nil error, so that the host's transaction commits the audit entry and nothing
// else. [Decision.Err] turns a rejection into an error. Enable returns an error only when the
// store fails, or with [vetshare.ErrInvalid] when req.Action names another action than enable
// (an empty Action is taken as enable).
func Enable(ctx context.Context, tx *vetshare.Tx, req Request) (Decision, error) {
	const op = "sharing.Enable"
	defer txn.Begin(tx)()
	if err := accounts.CheckText("RequestID", req.RequestID, accounts.MaxRequestID, false); err != nil {
		return Decision{}, vetshare.Op(op, err)
	}
	if err := setAction(&req, ActionEnable); err != nil {
		return Decision{}, vetshare.Op(op, err)
	}
	f, err := gather(ctx, tx, req)
	if err != nil {
		return Decision{}, vetshare.Op(op, err)
	}
	d := Authorize(req, f)
	if d.Approved {
		now := tx.Now()
		if d.Group == "" {
			g := vetshare.ShareGroup{ID: vetshare.NewID[vetshare.GroupID](now), OwnerID: f.Accounts[0].Account.OwnerID, Mode: req.Mode, CreatedAt: now}
			if err := txn.D(tx).InsertGroup(ctx, g); err != nil {
				return Decision{}, vetshare.Op(op, err)
			}
			d.Group = g.ID
		}
		for _, af := range f.Accounts {
			if af.Group != "" {
				continue
			}
			if err := txn.D(tx).JoinGroup(ctx, vetshare.GroupMember{GroupID: d.Group, AccountID: af.Account.ID, JoinedAt: now}); err != nil {
				return Decision{}, vetshare.Op(op, err)
			}
		}
	}
	return d, vetshare.Op(op, writeDecision(ctx, tx, req, f, d))
}

// RemoveResult is the outcome of a removal request.
type RemoveResult struct {
	Decision
	// LiveEntries counts the leaving account's client entries that stay shared (R1.7, R3.5):
	// those whose client another account has too. They keep syncing.
	LiveEntries int
}

// Remove decides a request to remove one account from its share group (R1.7), authorized as
// [Enable] requests are. From then on nothing new is shared to or from the account, but nothing
// is unshared (R3.5). Like Enable, a rejection is returned as the decision with a nil error; a
// request whose Action names another action than remove is refused with [vetshare.ErrInvalid].
func Remove(ctx context.Context, tx *vetshare.Tx, req Request) (RemoveResult, error) {
	const op = "sharing.Remove"
	defer txn.Begin(tx)()
	if err := accounts.CheckText("RequestID", req.RequestID, accounts.MaxRequestID, false); err != nil {
		return RemoveResult{}, vetshare.Op(op, err)
	}
	if err := setAction(&req, ActionRemove); err != nil {
		return RemoveResult{}, vetshare.Op(op, err)
	}
	f, err := gather(ctx, tx, req)
	if err != nil {
		return RemoveResult{}, vetshare.Op(op, err)
	}
	res := RemoveResult{Decision: Authorize(req, f)}
	if res.Approved {
		if err := txn.D(tx).LeaveGroup(ctx, req.Accounts[0], tx.Now()); err != nil {
			return RemoveResult{}, vetshare.Op(op, err)
		}
		if res.LiveEntries, err = txn.D(tx).SharedEntries(ctx, req.Accounts[0]); err != nil {
			return RemoveResult{}, vetshare.Op(op, err)
		}
	}
	return res, vetshare.Op(op, writeDecision(ctx, tx, req, f, res.Decision))
}

// ShareClient shares a client with the account the actor is logged into (R2.3 b): the account
// gets its own client entry, with its next client number (R2.5), created from the shared
// profile, and with it every patient and record of the client, now and later (R2.4). Nothing is
// copied: patients and records are stored by patient id.
//
// The client must have an entry in another account that is, at this moment, a member of the
// actor's account's group (R2.8); otherwise, or when the client does not exist, ShareClient
// returns [vetshare.ErrNotFound] (a client of another group is not revealed). Sharing a client
// the account already has returns the existing entry and creates nothing (R2.7).
func ShareClient(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, client vetshare.ClientID) (vetshare.ClientEntry, error) {
	const op = "sharing.ShareClient"
	defer txn.Begin(tx)()
	e, err := share(ctx, tx, actor, client, vetshare.ViaManual)
	return e, vetshare.Op(op, err)
}

func share(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, client vetshare.ClientID, via vetshare.EntryVia) (vetshare.ClientEntry, error) {
	if !vetshare.ValidID(client) {
		return vetshare.ClientEntry{}, vetshare.Invalid("client", "malformed id")
	}
	if err := accounts.CheckActor(actor); err != nil {
		return vetshare.ClientEntry{}, err
	}
	// The store checks the actor and decides in one read: the entry is stored when the actor
	// is an active member here and the client has an entry in another account now in the
	// group (R2.8) and none here. When the actor is refused, Check tells why; when the client
	// is, its entries do.
	e := vetshare.ClientEntry{AccountID: actor.Account, ClientID: client, Via: via, CreatedAt: tx.Now()}
	shared, err := txn.D(tx).ShareClientEntry(ctx, &e, actor.User)
	if err != nil {
		return vetshare.ClientEntry{}, member.Refusal(ctx, tx, actor, err)
	}
	if !shared {
		entries, err := txn.D(tx).ClientEntries(ctx, client)
		if err != nil {
			return vetshare.ClientEntry{}, err
		}
		for _, e := range entries {
			if e.AccountID == actor.Account {
				return e, nil // R2.7
			}
		}
		return vetshare.ClientEntry{}, vetshare.NotFound("client", client) // R2.8, R3.3
	}
	// The actor's account, for its owner: the store read it with the actor's membership.
	a, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return vetshare.ClientEntry{}, err
	}
	err = auditlog.Write(ctx, tx, a.OwnerID, actor, "client.share", "client:"+string(client), audit.OK,
		map[string]any{"via": via, "to": []vetshare.AccountID{actor.Account}, "number": e.Number})
	return e, err
}

// CrossReference translates a client number of the actor's account into the client number of
// the same client in account to (R2.5). It returns [vetshare.ErrNotFound] when the number does
// not exist in the actor's account or the client is not shared with to.
func CrossReference(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, number int64, to vetshare.AccountID) (vetshare.ClientEntry, error) {
	const op = "sharing.CrossReference"
	if number <= 0 {
		return vetshare.ClientEntry{}, vetshare.Op(op, vetshare.Invalid("number", "client numbers start at 1"))
	}
	if !vetshare.ValidID(to) {
		return vetshare.ClientEntry{}, vetshare.Op(op, vetshare.Invalid("to", "malformed id"))
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.ClientEntry{}, vetshare.Op(op, err)
	}
	e, err := txn.D(tx).ClientEntryByNumber(ctx, actor.Account, number)
	if err != nil {
		return vetshare.ClientEntry{}, vetshare.Op(op, err)
	}
	other, err := txn.D(tx).ClientEntry(ctx, to, e.ClientID)
	return other, vetshare.Op(op, err)
}

// setAction gives req the action of the operation called. A request that names another action
// is refused rather than silently decided as something it did not ask for.
func setAction(req *Request, a Action) error {
	if req.Action != "" && req.Action != a {
		return &vetshare.InvalidError{Field: "Action", Reason: fmt.Sprintf("the request asks to %s, but this operation decides requests to %s", req.Action, a)}
	}
	req.Action = a
	return nil
}
