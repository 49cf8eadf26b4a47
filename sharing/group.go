package sharing

import (
	"context"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/txn"
)

// Member is one membership of an account in a share group, with the account's name.
type Member struct {
	Account  vetshare.AccountID
	Name     string
	JoinedAt time.Time
	LeftAt   time.Time // zero while the account is a member
}

// GroupView is a share group as the accounts in it see it: its mode, its current members and
// its history.
type GroupView struct {
	ID        vetshare.GroupID
	Mode      vetshare.Mode
	CreatedAt time.Time
	// Members are the accounts in the group now, by joining time.
	Members []Member
	// History is every membership the group has had, current and past, by joining time: when
	// each account joined and, where it did, left (R1.6, R1.7). An account that left and joined
	// again appears once for each time.
	History []Member
}

// Group returns the share group of the account the actor is logged into. It returns
// [vetshare.ErrNotFound] when the account is in no group now (one that left its group sees
// none, R1.7), and what [accounts.Check] returns for an actor that may not act there. Every
// account a group holds is of the same owner (R1.1), so the view shows no other owner's
// accounts.
func Group(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) (GroupView, error) {
	const op = "sharing.Group"
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return GroupView{}, vetshare.Op(op, err)
	}
	m, err := txn.D(tx).GroupOf(ctx, actor.Account)
	if err != nil {
		return GroupView{}, vetshare.Op(op, err)
	}
	g, err := txn.D(tx).Group(ctx, m.GroupID)
	if err != nil {
		return GroupView{}, vetshare.Op(op, err)
	}
	history, err := txn.D(tx).GroupHistory(ctx, g.ID)
	if err != nil {
		return GroupView{}, vetshare.Op(op, err)
	}
	accts, err := txn.D(tx).Accounts(ctx, g.OwnerID)
	if err != nil {
		return GroupView{}, vetshare.Op(op, err)
	}
	names := make(map[vetshare.AccountID]string, len(accts))
	for _, a := range accts {
		names[a.ID] = a.Name
	}
	v := GroupView{ID: g.ID, Mode: g.Mode, CreatedAt: g.CreatedAt}
	for _, h := range history {
		mem := Member{Account: h.AccountID, Name: names[h.AccountID], JoinedAt: h.JoinedAt, LeftAt: h.LeftAt}
		v.History = append(v.History, mem)
		if h.LeftAt.IsZero() {
			v.Members = append(v.Members, mem)
		}
	}
	return v, nil
}
